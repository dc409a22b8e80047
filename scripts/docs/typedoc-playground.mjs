// A local typedoc plugin: builds the playground page (scripts/docs/playground.mjs) into the site's
// playground/ folder each time the site is written, so that `npm run docs` (and `typedoc` alone)
// produce the whole site; and links it at the top of every page's navigation and of the guide
// "Playground" (a link in a guide's markdown would be taken for a file of the repository to copy).
import { join } from "node:path";
import { JSX, RendererEvent } from "typedoc";
import { buildPlayground } from "./playground.mjs";

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.renderer.hooks.on("sidebar.begin", (context) =>
    JSX.createElement(
      "p",
      { class: "gradstep-playground-link", style: "margin: 0 0 1rem" },
      JSX.createElement("a", { href: context.relativeURL("playground/index.html") }, JSX.createElement("strong", null, "▶ Playground"), ": optimizers racing in your browser"),
    ),
  );
  app.renderer.hooks.on("content.begin", (context) =>
    context.page.model.isDocument?.() && context.page.model.name === "Playground"
      ? JSX.createElement("p", null, JSX.createElement("a", { href: context.relativeURL("playground/index.html") }, JSX.createElement("strong", null, "▶ Open the playground")))
      : JSX.createElement(JSX.Fragment, null),
  );
  app.renderer.on(RendererEvent.BEGIN, () => {
    // (the list is emptied after each render: registered anew for each)
    app.renderer.postRenderAsyncJobs.push(async (event) => {
      const { bytes, gzipped } = await buildPlayground({ outdir: join(event.outputDirectory, "playground") });
      app.logger.verbose(`playground: ${bytes} bytes of JavaScript, ${gzipped} gzipped`);
    });
  });
}
