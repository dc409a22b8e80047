// typedoc's configuration (a module rather than JSON, for the markdown-it hook that renders math).
import { markdownKatex } from "./scripts/docs/markdown-katex.mjs";

/** @type {Partial<import("typedoc").TypeDocOptions>} */
export default {

  "entryPoints": [
    "src/index.ts",
    "src/learn.ts",
    "src/plot.ts"
  ],
  "out": "docs/api",
  "name": "gradstep",
  "readme": "README.md",
  "includeVersion": true,
  "excludePrivate": true,
  "excludeProtected": false,
  "excludeInternal": true,
  "treatWarningsAsErrors": true,
  "validation": {
    "notExported": true,
    "invalidLink": true,
    "notDocumented": true
  },
  "disableSources": true,
  "projectDocuments": [
    "docs/guides/*.md"
  ],
  "plugin": [
    "./scripts/docs/typedoc-katex-assets.mjs",
    "./scripts/docs/typedoc-playground.mjs"
  ],
  markdownItLoader: (parser) => parser.use(markdownKatex),
};
