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
  },
});
