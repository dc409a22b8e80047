// The documentation as a reader sees it, in headless Chromium: the landing page, an optimizer page,
// the walk-through and the figures page (docs/figures/index.html), each at a desktop window of
// 1280 px, where the site's content column is about 640 px wide; the figures page is shown in a window
// as wide as that column. The playground (docs/api/playground/, its own full-width page) is shown with
// figure 6's preset loaded and its paths and loss curves drawn, then with figure 4's (its gradient
// arrows and their caption), then with figure 7's (seventeen runs, the loss curves' legend in rows),
// each at the 1280 px window and then at
// every width from the content column's to 1280 px in steps of 20 px (its layout changes with the
// width: controls beside the map, or above it). Each page is saved as a full-page screenshot into
// screenshots/ (git-ignored; the playground also at the column's width, playground-column.png), and
// every visible piece of text must be at least 10 px tall as shown: HTML text by its computed font
// size, and SVG text (inline or in an <img>) by its font size times the SVG's scale on screen.
// Needs `npm run docs` first. Run alone: node scripts/browser/docs-text-check.mjs
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
/** The smallest text a reader has to read, in CSS px. */
export const MIN_TEXT_PX = 10;
const WINDOW = { width: 1280, height: 900 };
const types = { ".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml", ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf", ".png": "image/png", ".json": "application/json" };

/** Serves docs/api at / and docs/figures at /figures/. */
function serve() {
  const folders = { api: resolve(root, "docs/api"), figures: resolve(root, "docs/figures") };
  return createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url, "http://localhost").pathname)).replace(/^(\.\.[/\\])+/, "");
    const [folder, rest] = path.startsWith("/figures/") ? [folders.figures, path.slice("/figures".length)] : [folders.api, path];
    const file = join(folder, rest.endsWith("/") ? `${rest}index.html` : rest);
    if (!file.startsWith(folder) || !existsSync(file)) return void response.writeHead(path === "/favicon.ico" ? 204 : 404).end();
    response.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
}

/**
 * Runs in the page: every visible text's size as shown, in px, with a short description, smallest
 * first. SVG in <img> elements is parsed and drawn inline, off screen, at the image's displayed size,
 * so that its text can be measured the same way as inline SVG.
 */
async function measureText() {
  const found = [];
  const describe = (el) => `${el.tagName.toLowerCase()} "${(el.textContent ?? "").trim().slice(0, 40)}"`;
  const ownText = (el) => [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && /[^\s\u200b-\u200d\ufeff]/.test(n.textContent));
  const svgText = (svg, where) => {
    for (const text of svg.querySelectorAll("text, tspan")) {
      if (!ownText(text) || text.getBBox().width === 0) continue;
      const m = text.getScreenCTM();
      const scale = Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
      found.push({ px: Number.parseFloat(getComputedStyle(text).fontSize) * scale, what: `${where}: ${describe(text)}` });
    }
  };
  for (const el of document.body.querySelectorAll("*")) {
    if (el instanceof SVGElement || !ownText(el) || !el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    found.push({ px: Number.parseFloat(getComputedStyle(el).fontSize), what: describe(el) });
  }
  for (const svg of document.querySelectorAll("svg")) if (svg.checkVisibility()) svgText(svg, "inline svg");
  for (const img of document.images) {
    if (!/\.svg($|\?)/.test(img.src) || !img.checkVisibility() || img.width === 0) continue;
    const source = await (await fetch(img.src)).text();
    const svg = new DOMParser().parseFromString(source, "image/svg+xml").documentElement;
    svg.setAttribute("width", String(img.width));
    svg.setAttribute("height", String(img.height));
    const holder = document.createElement("div");
    holder.style.cssText = "position:absolute;left:0;top:0;visibility:hidden;pointer-events:none";
    holder.append(document.importNode(svg, true));
    document.body.append(holder);
    holder.style.visibility = "visible";
    svgText(holder.firstElementChild, `${img.getAttribute("src")} at ${img.width} px`);
    holder.remove();
  }
  return found.sort((a, b) => a.px - b.px);
}

/**
 * The playground with a preset clicked, as a reader would, and run to its end (`total` steps): the
 * map, its paths and the loss curves with their legend drawn, every text of the page in place.
 */
const showPlaygroundPreset = (id, total) => async (page) => {
  await page.waitForFunction(() => window.__playground !== undefined);
  await page.selectOption("#speed", "100");
  await page.click(`[data-preset="${id}"]`);
  await page.waitForFunction((n) => window.__playground.shown() === window.__playground.total() && window.__playground.total() === n, total, { timeout: 60_000 });
  const errors = await page.evaluate(() => window.__playground.errors());
  if (errors.some((e) => e !== null)) throw new Error(`the playground's ${id} preset failed: ${JSON.stringify(errors)}`);
  // the loss curves' SVG and the map's labels, as text the measure can see
  await page.waitForFunction(() => document.querySelectorAll("#losses svg text").length > 0 && document.querySelectorAll("#map svg text").length > 0);
};

/**
 * Loads each page with `browser`, saves its screenshot into screenshots/ and measures its text.
 * Returns the smallest sizes by page and what failed (text under MIN_TEXT_PX, errors).
 */
export async function checkDocsText(browser) {
  if (!existsSync(join(root, "docs/api/index.html")) || !existsSync(join(root, "docs/figures/index.html"))) {
    throw new Error("docs/api or docs/figures is missing: run `npm run docs` first");
  }
  const documents = resolve(root, "docs/api/documents");
  const pages = [
    { name: "landing", url: "/index.html" },
    { name: "optimizer", url: "/documents/Optimizers.Adam.html" },
    { name: "walkthrough", url: "/documents/The_lecture,_walked_through.html" },
    { name: "figures", url: "/figures/index.html", columnOf: "walkthrough" },
    { name: "playground", url: "/playground/index.html", prepare: showPlaygroundPreset("valley-four-ways", 200), sweepFrom: "walkthrough" },
    // figure 4: its gradient arrows on the map, their caption under the switch
    { name: "playground-figure-4", url: "/playground/index.html", prepare: showPlaygroundPreset("figure-4", 300), sweepFrom: "walkthrough" },
    // figure 7: seventeen runs, the legend under the loss curves in rows, thirteen folded panels
    { name: "playground-figure-7", url: "/playground/index.html", prepare: showPlaygroundPreset("figure-7", 3000), sweepFrom: "walkthrough" },
  ];
  for (const p of pages) if (p.url.startsWith("/documents/") && !existsSync(join(documents, p.url.slice("/documents/".length)))) throw new Error(`${p.url} is not in docs/api`);
  const screenshots = join(root, "screenshots");
  mkdirSync(screenshots, { recursive: true });
  const server = serve();
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  const base = `http://127.0.0.1:${server.address().port}`;
  const failures = [];
  const smallest = {};
  const columns = {};
  try {
    for (const p of pages) {
      const width = p.columnOf === undefined ? WINDOW.width : columns[p.columnOf];
      const narrowest = p.sweepFrom === undefined ? undefined : columns[p.sweepFrom];
      if (width === undefined || (p.sweepFrom !== undefined && narrowest === undefined)) throw new Error(`${p.name}: the ${p.columnOf ?? p.sweepFrom} page has no .col-content to take its width from`);
      const page = await browser.newPage({ viewport: { width, height: WINDOW.height } });
      const errors = [];
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("console", (m) => m.type() === "error" && errors.push(`console: ${m.text()}`));
      page.on("response", (r) => r.status() >= 400 && errors.push(`HTTP ${r.status()}: ${r.url()}`));
      await page.goto(`${base}${p.url}`, { waitUntil: "load" });
      await page.evaluate(() => document.fonts.ready);
      await p.prepare?.(page);
      // the site's content column (a page of the site's own layout: the playground and the figures have none)
      columns[p.name] = await page.evaluate(() => {
        const column = document.querySelector(".col-content");
        return column === null ? undefined : Math.round(column.getBoundingClientRect().width);
      });
      await page.screenshot({ path: join(screenshots, `${p.name}.png`), fullPage: true });
      /** Measures the page as it is now shown; keeps the smallest text of the page over its window widths. */
      const measure = async (window) => {
        const texts = await page.evaluate(measureText);
        if (texts.length === 0) return void failures.push(`${p.name} (window ${window} px): no text measured`);
        const px = Math.round(texts[0].px * 100) / 100;
        if (smallest[p.name] === undefined || px < smallest[p.name].px) smallest[p.name] = { px, what: texts[0].what, window, column: columns[p.name] };
        const small = texts.filter((t) => t.px < MIN_TEXT_PX - 1e-6);
        if (small.length > 0) {
          failures.push(`${p.name} (window ${window} px): ${small.length} texts under ${MIN_TEXT_PX} px, e.g. ${small.slice(0, 5).map((t) => `${t.px.toFixed(2)} px ${t.what}`).join("; ")}`);
        }
      };
      await measure(width);
      if (narrowest !== undefined) {
        // the same page at narrower windows, down to the content column's width (a page of its own
        // layout, not in the column: the narrowest window the site's pages are measured at)
        for (let w = width - 20; w > narrowest; w -= 20) {
          await page.setViewportSize({ width: w, height: WINDOW.height });
          await measure(w);
        }
        await page.setViewportSize({ width: narrowest, height: WINDOW.height });
        await measure(narrowest);
        await page.screenshot({ path: join(screenshots, `${p.name}-column.png`), fullPage: true });
      }
      await page.close();
      if (errors.length > 0) failures.push(`${p.name}: ${errors.join("; ")}`);
    }
  } finally {
    server.close();
  }
  return { failures, smallest };
}

if (process.argv[1] !== undefined && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--no-first-run"] });
  try {
    const { failures, smallest } = await checkDocsText(browser);
    for (const [name, s] of Object.entries(smallest)) console.log(`${name}: smallest text ${s.px} px (${s.what}); window ${s.window} px${s.column === undefined ? "" : `, column ${s.column} px`}`);
    if (failures.length > 0) {
      console.error(failures.join("\n"));
      process.exitCode = 1;
    } else console.log(`docs text: every visible text ≥ ${MIN_TEXT_PX} px; screenshots in screenshots/`);
  } finally {
    await browser.close();
  }
}
