import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: [
      { find: /^gradstep\/learn$/, replacement: fileURLToPath(new URL("./src/learn.ts", import.meta.url)) },
      { find: /^gradstep\/plot$/, replacement: fileURLToPath(new URL("./src/plot.ts", import.meta.url)) },
      { find: /^gradstep$/, replacement: fileURLToPath(new URL("./src/index.ts", import.meta.url)) },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup-backend.ts"],
    // A safety net for a slow or loaded machine (vitest's defaults are 5 s and 10 s): the light
    // tests take at most ~2 s on one core shared with a CPU-bound process, so 30 s leaves room for
    // a slower laptop and still reports a hung test soon. The heavy tests set their own timeouts.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
