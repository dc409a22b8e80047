// A local typedoc plugin: links KaTeX's stylesheet in every page's head and copies it, with its
// fonts, into the site's assets when the site is written.
import { cpSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { JSX, RendererEvent } from "typedoc";

const katexDist = dirname(createRequire(import.meta.url).resolve("katex/dist/katex.min.css"));

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.renderer.hooks.on("head.end", (context) =>
    JSX.createElement("link", { rel: "stylesheet", href: context.relativeURL("assets/katex/katex.min.css") }),
  );
  app.renderer.on(RendererEvent.END, (event) => {
    const target = join(event.outputDirectory, "assets", "katex");
    cpSync(join(katexDist, "katex.min.css"), join(target, "katex.min.css"));
    cpSync(join(katexDist, "fonts"), join(target, "fonts"), { recursive: true });
  });
}
