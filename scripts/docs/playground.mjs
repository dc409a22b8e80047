// Builds the playground page (docs/playground) into a folder: its index.html and style.css as they
// are, and its TypeScript bundled by esbuild into one minified ES module, playground.js. The page
// imports "gradstep", "gradstep/learn" and "gradstep/plot" as a user's page would; `gradstep` says
// what they resolve to: "src" (the sources: `npm run docs` needs no build) or a built dist/ folder
// (the browser check runs the package as published). Returns the bundle's size, raw and gzipped.
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = fileURLToPath(new URL("../..", import.meta.url));
const page = join(root, "docs/playground");
/** The budget of issue 18: the page's own JavaScript, gzipped. */
export const PLAYGROUND_BUDGET = 150 * 1024;

/** @param {{ outdir: string, gradstep?: "src" | string }} options */
export async function buildPlayground({ outdir, gradstep = "src" }) {
  const alias =
    gradstep === "src"
      ? { "gradstep/learn": join(root, "src/learn.ts"), "gradstep/plot": join(root, "src/plot.ts"), gradstep: join(root, "src/index.ts") }
      : { "gradstep/learn": join(gradstep, "learn.js"), "gradstep/plot": join(gradstep, "plot.js"), gradstep: join(gradstep, "index.js") };
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    entryPoints: [join(page, "src/main.ts")],
    outfile: join(outdir, "playground.js"),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2020",
    minify: true,
    alias,
    tsconfig: join(page, "tsconfig.json"),
    logLevel: "warning",
    write: false,
  });
  const [bundle] = result.outputFiles;
  writeFileSync(bundle.path, bundle.contents);
  copyFileSync(join(page, "page.html"), join(outdir, "index.html"));
  copyFileSync(join(page, "style.css"), join(outdir, "style.css"));
  const bytes = bundle.contents.length;
  const gzipped = gzipSync(bundle.contents, { level: 9 }).length;
  if (gzipped > PLAYGROUND_BUDGET) throw new Error(`the playground's JavaScript is ${gzipped} bytes gzipped, over its budget of ${PLAYGROUND_BUDGET}`);
  return { bytes, gzipped };
}
