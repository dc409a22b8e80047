// npm run test:playground: only the documentation's playground page in headless Chromium
// (playground-check.mjs), without the rest of npm run test:browser. Needs `npm run build` first.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { checkPlayground } from "./playground-check.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const dist = process.env.DIST ?? `${root}dist`;
if (!existsSync(`${dist}/index.js`)) throw new Error("dist/ is missing: run `npm run build` first");
if (!existsSync(executablePath)) throw new Error(`${executablePath} is missing: install Debian's chromium`);

const browser = await chromium.launch({
  executablePath,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
let result;
try {
  result = await checkPlayground(browser, dist);
} finally {
  await browser.close();
}
console.log(`playground: start ${JSON.stringify(result.start)}; JavaScript ${result.size.bytes} bytes, ${result.size.gzipped} gzipped; 4 × 1000 steps animated at ${result.fps.toFixed(1)} frames per second, figure 7's 17 × 3000 at ${result.sevenFps.toFixed(1)} (5 steps a frame; reported, not checked)`);
if (result.failures.length > 0) {
  console.error(result.failures.join("\n"));
  process.exit(1);
}
console.log(`playground: the drawn paths equal minimize's in Node bit for bit (Wasm, JS kernels, strict CSP), by mouse and keyboard, with schedules, in the lecture's and PyTorch's conventions, with runs of their own step budgets, and for figure 7's seventeen optimizers in one race (one look a run on the map, in the loss curves and the legend; folding panels by keyboard); figure 4's arrows are Node's mini-batch and full gradients to the bit, their tips to 0.1 px (Wasm, JS kernels, strict CSP); the URL round-trips; all ${result.presets} presets run; no console errors`);
