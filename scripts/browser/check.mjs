// npm run test:browser: the package's core in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core), as a page would use it, in three settings:
// - cross-origin isolated (COOP/COEP): Wasm SIMD over shared memory, with the worker thread (a Blob
//   worker), bit-identical to the JS backend;
// - not isolated: no SharedArrayBuffer, so Wasm over a plain memory, one thread;
// - isolated under a CSP that allows Wasm but no blob: worker: Wasm on one thread, and backendInfo says why;
// - a CSP without 'wasm-unsafe-eval': WebAssembly is forbidden, the JS kernels run, nothing throws;
// minimizeAsync on the UCI digits (train-page.js): the same bits as minimize, no task over 50 ms, and
// the same θ as in Node to the bit (the models use the library's math ports, not the engine's Math.*);
// the math ports themselves (math-page.js): the same bits as in Node on a few thousand inputs each;
// and gradstep/learn under a CSP without 'unsafe-eval' (learn-page.js): it imports, builds and
// standardizes a dataset, and minimizes. Every page must run without a page error or console error.
// And the documentation's playground page (playground-check.mjs), and the site's text sizes with
// screenshots into screenshots/ (docs-text-check.mjs: the landing page, an optimizer page, the
// walk-through and the figures page at the docs column width, and the playground with figure 6's
// preset drawn, then figure 4's (its gradient arrows), then figure 7's, at every window width from 1280 px down to that column's; no text
// under 10 px).
// Needs `npm run build` and `npm run docs` first (it bundles dist/ with esbuild; DIST=folder checks another build).
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { checkDocsText } from "./docs-text-check.mjs";
import { checkPlayground } from "./playground-check.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const dist = process.env.DIST ?? `${root}dist`;
if (!existsSync(`${dist}/index.js`)) throw new Error("dist/ is missing: run `npm run build` first");
if (!existsSync(executablePath)) throw new Error(`${executablePath} is missing: install Debian's chromium`);

const bundle = async (page) =>
  (
    await build({
      entryPoints: [fileURLToPath(new URL(page, import.meta.url))],
      bundle: true,
      format: "esm",
      platform: "browser",
      write: false,
      // one module graph for both entries (gradstep/learn shares gradstep's chunks)
      splitting: true,
      outdir: "/bundle",
      alias: { "gradstep/learn": `${dist}/learn.js`, gradstep: `${dist}/index.js` },
      loader: { ".csv": "text" },
      logLevel: "warning",
    })
  ).outputFiles.map((f) => [`/${f.path.split("/").pop()}`, f.text]);
// Both bundles' files by path (a chunk's name is its content's hash: no two differ under one name).
const scripts = new Map([...(await bundle("./page.js")), ...(await bundle("./learn-page.js")), ...(await bundle("./train-page.js")), ...(await bundle("./math-page.js"))]);
// The math ports' digests as Node computes them (the same module, bundled for Node), to compare with the page's.
const nodeMath = await (async () => {
  const [file] = (
    await build({ entryPoints: [fileURLToPath(new URL("./math-digests.js", import.meta.url))], bundle: true, format: "esm", platform: "node", write: false, logLevel: "warning" })
  ).outputFiles;
  const { mathDigests } = await import(`data:text/javascript;base64,${Buffer.from(file.text).toString("base64")}`);
  return mathDigests(globalThis.crypto.subtle);
})();
// test/learn/digits-mlp.test.ts's inline snapshot: the digest of θ after the digits MLP's run in Node
const NODE_DIGITS_DIGEST = "b3453e65cec4f864";
const html = (script) => `<!doctype html><html><head><meta charset="utf-8"><script type="module" src="/${script}"></script></head><body></body></html>`;
const settings = {
  "/isolated.html": { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" },
  "/plain.html": {},
  // isolated, Wasm allowed, but no blob: worker (worker-src falls back to script-src): one thread, with the reason
  "/isolated-no-blob.html": { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp", "content-security-policy": "script-src 'self' 'wasm-unsafe-eval'" },
  "/csp.html": { "content-security-policy": "script-src 'self'" },
  // no 'unsafe-eval' (nor 'wasm-unsafe-eval'): eval and new Function throw EvalError
  "/learn-csp.html": { "content-security-policy": "script-src 'self'" },
  "/train.html": {},
  "/math.html": {},
};
const pageScript = { "/learn-csp.html": "learn-page.js", "/train.html": "train-page.js", "/math.html": "math-page.js" };
const server = createServer((request, response) => {
  const path = new URL(request.url, "http://localhost").pathname;
  const referer = request.headers.referer ? new URL(request.headers.referer).pathname : path;
  const headers = settings[path] ?? settings[referer] ?? {};
  if (scripts.has(path)) response.writeHead(200, { "content-type": "text/javascript", ...headers }).end(scripts.get(path));
  else if (settings[path]) response.writeHead(200, { "content-type": "text/html", ...headers }).end(html(pageScript[path] ?? "page.js"));
  else if (path === "/favicon.ico") response.writeHead(204).end(); // the browser asks; not a failed load
  else response.writeHead(404).end();
});
await new Promise((done) => server.listen(0, "127.0.0.1", done));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const failures = [];
const expect = (label, ok, result) => {
  if (!ok) failures.push(`${label}: ${JSON.stringify(result)}`);
};
try {
  for (const path of Object.keys(settings)) {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    // console errors too (a resource that failed to load, an error logged and swallowed)
    page.on("console", (m) => m.type() === "error" && errors.push(`console: ${m.text()}`));
    await page.goto(`${base}${path}`);
    await page.waitForFunction(() => globalThis.__result !== undefined, null, { timeout: 30_000 });
    const result = await page.evaluate(() => globalThis.__result);
    await page.close();
    console.log(`${path}: ${JSON.stringify(result)}`);
    // (the browser itself logs the blocked blob: worker: the one console error that page expects)
    const unexpected = path === "/isolated-no-blob.html" ? errors.filter((e) => !/Content Security Policy/.test(e)) : errors;
    expect(`${path} threw`, result.error === undefined && unexpected.length === 0, { result, errors });
    if (path === "/train.html") {
      expect("train: minimizeAsync differs from minimize", result.same === true, result);
      // test/learn/digits-mlp.test.ts's run: stopped early, ≥ 95% on the test rows, and Node's θ to the
      // bit (this V8's Math.tanh/exp/log round differently from Node 20's; the models use the ports)
      expect("train: did not learn", result.reason === "earlyStopping" && result.testAccuracy >= 0.95, result);
      expect(`train: θ's digest is not Node's (${NODE_DIGITS_DIGEST})`, result.digest === NODE_DIGITS_DIGEST, result);
      expect("train: a task over 50 ms while minimizeAsync ran", result.longTasks.length === 0, result);
      expect("train: the blocking run was not seen as a long task (the measurement checks nothing)", result.longTaskObserved === true && result.syncMs > 50, result);
      expect("train: timers did not run between the slices", result.ticks > 5, result);
      continue;
    }
    if (path === "/math.html") {
      expect("math: the ports' bits differ from Node's", JSON.stringify(result.ports) === JSON.stringify(nodeMath.ports), { page: result.ports, node: nodeMath.ports });
      const differing = Object.keys(result.math).filter((name) => result.math[name] !== nodeMath.math[name]);
      console.log(`math: the ports give Node's bits in this browser; its own Math.* differ from Node's in ${differing.join(", ") || "none"}`);
      continue;
    }
    if (path === "/learn-csp.html") {
      expect("learn-csp: eval was not forbidden, the setting checks nothing", result.evalBlocked === true, result);
      expect("learn-csp: gradstep/learn did not import or minimize", result.reason === "steps" && result.loss < 1e-3 * result.start, result);
      // standardize: μ = 2.5, σ = √1.25 (the rounded square root), x'_0 = −1.5/σ; the fit θ = [6, 2σ]
      const sigma = Math.sqrt(1.25);
      expect("learn-csp: standardize", result.mean === 2.5 && result.deviation === sigma && result.first === -1.5 / sigma, result);
      expect("learn-csp: the linear fit on the standardized data", result.fitLoss < 1e-20 * result.fitStart && Math.abs(result.theta[0] - 6) < 1e-12 && Math.abs(result.theta[1] - 2 * sigma) < 1e-12, result);
      continue;
    }
    expect(`${path} not bit-identical to the JS backend`, result.same === true, result);
    expect(`${path} let a NaN gradient through`, result.refused === true, result);
    if (path === "/isolated.html") {
      expect("isolated: expected Wasm with the worker thread", result.isolated && result.backend === "wasm" && result.after.sharedMemory && result.after.workerReady && result.after.workerHalves > 0, result);
    } else if (path === "/isolated-no-blob.html") {
      expect("isolated, no blob: worker: expected Wasm on one thread and the reason", result.isolated && result.backend === "wasm" && result.after.sharedMemory && !result.after.threads && /could not load/.test(result.after.threadsReason) && result.after.workerHalves === 0, result);
    } else if (path === "/plain.html") {
      expect("plain: expected Wasm over a plain memory, one thread", !result.isolated && result.backend === "wasm" && !result.after.sharedMemory && !result.after.threads, result);
    } else {
      expect("csp: expected the JS kernels and a reason", result.backend === "js" && result.after.name === "js" && /unavailable/.test(result.after.reason), result);
    }
  }
  const playground = await checkPlayground(browser, dist);
  failures.push(...playground.failures);
  console.log(`playground: start ${JSON.stringify(playground.start)}; JavaScript ${playground.size.bytes} bytes, ${playground.size.gzipped} gzipped; 4 × 1000 steps animated at ${playground.fps.toFixed(1)} frames per second, figure 7's 17 × 3000 at ${playground.sevenFps.toFixed(1)} (5 steps a frame; reported, not checked)`);
  const docsText = await checkDocsText(browser);
  failures.push(...docsText.failures);
  for (const [name, t] of Object.entries(docsText.smallest)) console.log(`docs text, ${name} (window ${t.window} px): smallest ${t.px} px, ${t.what}`);
} finally {
  await browser.close();
  server.close();
}
if (failures.length > 0) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log("browser: Wasm SIMD with a worker thread when cross-origin isolated, Wasm over a plain memory when not, the JS kernels under a CSP without 'wasm-unsafe-eval'; every setting bit-identical to the JS backend; gradstep/learn imports, reads CSV, standardizes and minimizes under a CSP without 'unsafe-eval'; minimizeAsync on the digits gives minimize's bits, Node's θ, with no task over 50 ms; the math ports give Node's bits; no page or console error; the playground draws minimize's paths bit for bit (Wasm, JS kernels, strict CSP), by mouse and keyboard, with schedules, the lecture's and PyTorch's conventions runs of their own step budgets (figure 6's 200, 40, 40, 60) and figure 7's race of all seventeen optimizers, figure 4's arrows are Node's batch and full gradients to the bit, and its URL round-trips; the landing, Adam, walk-through and figures pages show no text under 10 px at the docs column width, nor the playground with figure 6, figure 4 (its arrows' caption) or figure 7 drawn (map, loss curves, legend) at any window from 1280 px down to that width (screenshots in screenshots/)");
