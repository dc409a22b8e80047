import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts", learn: "src/learn.ts", plot: "src/plot.ts" },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  target: "es2020",
  sourcemap: false,
  treeshake: true,
  // Code shared by the two entry points lives in one chunk, in CommonJS too: otherwise
  // gradstep/learn would carry its own copy of the error classes, and `instanceof` would fail.
  splitting: true,
  // d3's modules are ESM-only: bundled into gradstep/plot (both formats), so that CommonJS and every
  // Node ≥ 18 can load it, with no runtime dependency (notices in THIRD_PARTY_NOTICES.md).
  noExternal: [/^d3-/, "internmap"],
});
