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
    // tests take well under 1 s on one core, yet one took 9 s on a core shared with a CPU-bound
    // process while the machine was busy. 60 s leaves room for that and still reports a hung test
    // within a minute. The heavy tests set their own, larger timeouts where they are declared.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // for the allocation tests' wait on the optimizing compiler (test/no-allocation.ts)
    execArgv: ["--allow-natives-syntax"],
  },
});
