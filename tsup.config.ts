import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts", learn: "src/learn.ts" },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  target: "es2020",
  sourcemap: false,
  treeshake: true,
  // Code shared by the two entry points lives in one chunk, in CommonJS too: otherwise
  // gradstep/learn would carry its own copy of the error classes, and `instanceof` would fail.
  splitting: true,
});
