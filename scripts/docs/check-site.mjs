// npm run docs:check: serves the built site (docs/api, from `npm run docs`) on localhost and loads its
// pages in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core): no console
// errors, no failed requests, every image loaded, math rendered where there is math; the playground
// page runs; and screenshots of the walk-through and the playground (docs/api/walkthrough.png,
// docs/api/playground.png).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, resolve } from "node:path";
import { chromium } from "playwright-core";

const root = resolve("docs/api");
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
if (!existsSync(join(root, "index.html"))) throw new Error("docs/api/index.html is missing: run `npm run docs` first");
if (!existsSync(executablePath)) throw new Error(`${executablePath} is missing: install Debian's chromium (apt-get install chromium)`);

const types = { ".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml", ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf", ".png": "image/png", ".json": "application/json" };
const server = createServer((request, response) => {
  const path = normalize(decodeURIComponent(new URL(request.url, "http://localhost").pathname)).replace(/^(\.\.[/\\])+/, "");
  if (path === "/favicon.ico") {
    response.writeHead(204).end(); // the site has none; Chromium asks anyway
    return;
  }
  const file = join(root, path.endsWith("/") ? `${path}index.html` : path);
  if (!file.startsWith(root) || !existsSync(file)) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
});
await new Promise((done) => server.listen(0, "127.0.0.1", done));
const base = `http://127.0.0.1:${server.address().port}`;

// Every guide and optimizer page, the front page, the modules,
const pages = [
  "index.html",
  "modules/index.html",
  "modules/learn.html",
  "modules/plot.html",
  ...readdirSync(join(root, "documents")).map((f) => `documents/${f}`),
  // and every reference page that holds math
  ...["classes", "interfaces", "functions", "variables", "types"].flatMap((dir) =>
    existsSync(join(root, dir))
      ? readdirSync(join(root, dir))
          .filter((f) => readFileSync(join(root, dir, f), "utf8").includes('class="katex'))
          .map((f) => `${dir}/${f}`)
      : [],
  ),
];
const walkthrough = pages.find((p) => p.includes("walked_through"));
if (walkthrough === undefined) throw new Error("the walk-through page is missing");

const browser = await chromium.launch({
  executablePath,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const problems = [];
let images = 0;
let math = 0;
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  let current = "";
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`${current}: console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`${current}: ${error.message}`));
  page.on("requestfailed", (request) => problems.push(`${current}: failed request ${request.url()}`));
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`${current}: HTTP ${response.status()} for ${response.url()}`);
  });
  for (const path of pages) {
    current = path;
    await page.goto(`${base}/${path}`, { waitUntil: "load" });
    // KaTeX's fonts load lazily, after the page's load event: ask for the main one and wait for it.
    const fontOk = await page.evaluate(async () => {
      if (document.querySelector(".katex") === null) return true;
      try {
        const faces = await document.fonts.load("16px KaTeX_Main");
        return faces.length > 0 && faces.every((face) => face.status === "loaded");
      } catch {
        return false; // a font file that does not load rejects
      }
    });
    const found = await page.evaluate(() => ({
      images: [...document.images].map((img) => ({ src: img.getAttribute("src"), ok: img.complete && img.naturalWidth > 0 })),
      math: document.querySelectorAll(".katex").length,
      mathErrors: document.querySelectorAll(".katex-error").length,
      mathSource: document.querySelectorAll("code.math, pre code.language-math").length,
    }));
    for (const image of found.images) if (!image.ok) problems.push(`${path}: image ${image.src} did not load`);
    if (found.mathErrors > 0) problems.push(`${path}: ${found.mathErrors} KaTeX errors`);
    if (found.mathSource > 0) problems.push(`${path}: ${found.mathSource} math blocks left unrendered`);
    if (!fontOk) problems.push(`${path}: KaTeX's fonts did not load`);
    if ((/^(classes|interfaces|functions|variables|types)\//.test(path) || path.includes("walked_through") || path.includes("Adam")) && found.math === 0) {
      problems.push(`${path}: no rendered math`);
    }
    images += found.images.length;
    math += found.math;
  }
  current = walkthrough;
  await page.goto(`${base}/${walkthrough}`, { waitUntil: "load" });
  await page.screenshot({ path: join(root, "walkthrough.png"), fullPage: true });
  // The playground (its numbers are checked by npm run test:browser): it loads and runs its first
  // preset to the end without an error.
  current = "playground/index.html";
  await page.goto(`${base}/${current}`, { waitUntil: "load" });
  await page.waitForFunction(() => window.__playground?.total() > 0 && window.__playground.shown() === window.__playground.total(), null, { timeout: 60_000 });
  await page.screenshot({ path: join(root, "playground.png"), fullPage: true });
} finally {
  await browser.close();
  server.close();
}
if (problems.length > 0) {
  console.error(problems.join("\n"));
  console.error(`docs:check: ${problems.length} problems`);
  process.exit(1);
}
console.log(`docs:check: ${pages.length} pages and the playground loaded in Chromium without errors; ${images} images loaded, ${math} formulas rendered; screenshots: docs/api/walkthrough.png, docs/api/playground.png`);
