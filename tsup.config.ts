import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts", learn: "src/learn.ts" },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  target: "es2020",
  sourcemap: false,
  treeshake: true,
});
