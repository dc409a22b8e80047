// The playground page (docs/playground) in headless Chromium, as a reader uses it, bundled from the
// built package (dist/): load it, apply the Rosenbrock race preset, click a start on the map, move
// it with the arrow keys and set it with Enter, let the paths run, and compare every point drawn
// with the path `minimize` computes in Node for the same settings, bit for bit; then load the URL
// the page wrote in fresh pages (the same state and paths), on the JS kernels (b=js), and under a
// CSP that forbids WebAssembly (the JS kernels again), where the lecture's linear regression also runs
// in seeded mini-batches as in Node; schedules as learning rates (a preset, then a field edited),
// the lecture's and PyTorch's conventions side by side and switched for every run by one
// button, runs of their own step budgets (figure 6's 200, 40, 40, 60; a budget typed and
// cleared), and figure 7's race of all seventeen optimizers (on Wasm and under the CSP; each run's
// look the same on the map, in the loss curves and in the legend; its panels folded and unfolded by
// keyboard), each against Node's own optimizers and presets; figure 4's gradient arrows (the six
// mini-batches' gradients at the start beside the full one), their gradients against Node's to the
// bit and their tips to the 0.1 px the map writes, on Wasm, on the JS kernels and under the CSP, their
// switch in the URL and by keyboard, their description read by Chromium's accessibility tree. No
// console errors, no failed requests.
// The frame rates of the animation (four runs × 1,000 steps, and figure 7's 17 × 3,000) are measured
// and reported only.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { buildPlayground } from "../docs/playground.mjs";

const STEPS = 1000; // the preset's budget
const types = { ".html": "text/html", ".css": "text/css", ".js": "text/javascript" };
const CSP = "script-src 'self'"; // no 'wasm-unsafe-eval' (nor 'unsafe-eval')

/** Runs the checks with `browser`; returns what failed (empty when all passed). */
export async function checkPlayground(browser, dist) {
  const folder = mkdtempSync(join(tmpdir(), "gradstep-playground-"));
  const size = await buildPlayground({ outdir: folder, gradstep: dist });
  const server = createServer((request, response) => {
    const path = new URL(request.url, "http://localhost").pathname;
    const [, setting, file] = path.match(/^\/(playground|playground-csp)\/([\w.-]*)$/) ?? [];
    const name = file === "" ? "index.html" : file;
    if (setting === undefined || !["index.html", "playground.js", "style.css"].includes(name)) return void response.writeHead(404).end();
    const headers = { "content-type": types[extname(name)] };
    if (setting === "playground-csp") headers["content-security-policy"] = CSP;
    response.writeHead(200, headers).end(readFileSync(join(folder, name)));
  });
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  const base = `http://127.0.0.1:${server.address().port}`;
  const failures = [];
  const expect = (label, ok, detail) => {
    if (!ok) failures.push(`playground: ${label}${detail === undefined ? "" : `: ${JSON.stringify(detail)}`}`);
  };

  // What Node computes for the Rosenbrock race from `start`, with the built package.
  const core = await import(`${dist}/index.js`);
  const learn = await import(`${dist}/learn.js`);
  const nodePaths = (start) =>
    [new core.GradientDescent({ lr: 0.001 }), new core.SGD({ lr: 0.001, momentum: 0.9 }), new core.Adam({ lr: 0.1 }), new core.Lion({ lr: 0.01 })].map(
      (optimizer) => learn.minimize({ objective: learn.rosenbrock(), optimizer, params: Float64Array.from(start), steps: STEPS, record: {} }).path,
    );
  const samePaths = (drawn, expected) =>
    drawn.length === expected.length && drawn.every((path, k) => path.length === expected[k].length && path.every((p, i) => Object.is(p[0], expected[k][i][0]) && Object.is(p[1], expected[k][i][1])));

  /** A page that records its problems; `ignoreCsp` leaves out Chromium's report of the refused Wasm compile. */
  const open = async (url, ignoreCsp = false) => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const problems = [];
    page.on("console", (m) => {
      if (m.type() === "error" && !(ignoreCsp && /Content Security Policy/.test(m.text()))) problems.push(`console error: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`failed request: ${r.url()}`));
    page.on("response", (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`));
    await page.goto(url);
    await page.waitForFunction(() => window.__playground !== undefined);
    return { page, problems };
  };
  /** Runs the animation to its end at 100 steps a frame, and returns what the page drew and holds. */
  const finish = async (page) => {
    await page.selectOption("#speed", "100");
    await page.click("#reset");
    await page.click("#play");
    await page.waitForFunction(() => window.__playground.shown() === window.__playground.total() && window.__playground.total() > 0, null, { timeout: 60_000 });
    return page.evaluate(() => {
      const p = window.__playground;
      return { state: p.state(), url: p.url(), hash: location.hash.slice(1), drawn: p.drawn(), errors: p.errors(), backend: p.backend(), counter: document.querySelector("#step-counter").textContent };
    });
  };

  /** The frames per second of the animation from step 0 to the end at `speed` steps a frame, from requestAnimationFrame's timestamps. */
  const frameRate = async (page, speed) => {
    await page.selectOption("#speed", String(speed));
    await page.click("#reset");
    const { count, ms } = await page.evaluate(async () => {
      const times = [];
      document.getElementById("play").click();
      while (window.__playground.shown() < window.__playground.total()) times.push(await new Promise(requestAnimationFrame));
      return { count: times.length - 1, ms: times.at(-1) - times[0] };
    });
    return (1000 * count) / ms;
  };

  try {
    // 1. The reader's way: preset, click, keys, Enter.
    const { page, problems } = await open(`${base}/playground/`);
    await page.click('[data-preset="rosenbrock-race"]');
    await page.locator("#map").scrollIntoViewIfNeeded(); // the preset's button may be far down the list
    const box = await page.locator("#map svg.overlay.top").boundingBox();
    await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.6);
    const clicked = await page.evaluate(() => window.__playground.state().start);
    await page.focus("#map");
    for (const key of ["ArrowRight", "ArrowRight", "ArrowRight", "ArrowUp", "ArrowUp", "Enter"]) await page.keyboard.press(key);
    const seen = await finish(page);
    // The cursor moves by 1/50 of the window per key (the window of the preset: x −2…2, y −1…3).
    let [x, y] = clicked;
    for (let i = 0; i < 3; i++) x = Math.min(Math.max(x + 1 * (1 / 50) * (2 - -2), -2), 2);
    for (let i = 0; i < 2; i++) y = Math.min(Math.max(y + 1 * (1 / 50) * (3 - -1), -1), 3);
    expect("the click set no start inside the window", clicked[0] > -2 && clicked[0] < 2 && clicked[1] > -1 && clicked[1] < 3 && !(clicked[0] === -1.2 && clicked[1] === 1), clicked);
    expect("the arrow keys and Enter did not set the start", Object.is(seen.state.start[0], x) && Object.is(seen.state.start[1], y), { start: seen.state.start, expected: [x, y] });
    const expected = nodePaths(seen.state.start);
    expect("the preset's runs are not the Rosenbrock race", seen.state.landscape === "rosenbrock" && seen.state.steps === STEPS && seen.state.runs.map((r) => r.optimizer).join() === "GradientDescent,SGD,Adam,Lion", seen.state);
    expect("the drawn paths differ from minimize's in Node", samePaths(seen.drawn, expected), { drawnLengths: seen.drawn.map((p) => p.length), last: seen.drawn.map((p) => p.at(-1)), node: expected.map((p) => p.at(-1)) });
    expect("the step counter", seen.counter === `step ${STEPS} / ${STEPS}`, seen.counter);
    expect("a run reported an error", seen.errors.every((e) => e === null), seen.errors);
    expect("the URL does not hold the state", seen.hash === seen.url, seen);
    expect("not on the Wasm backend", seen.backend.name === "wasm", seen.backend);
    // The frame rate of four runs × 1,000 steps at 5 steps a frame: printed, not asserted (no check
    // here depends on the machine's speed).
    const frames = await frameRate(page, 5);
    expect("problems on the page", problems.length === 0, problems);
    await page.close();

    // 2. The URL round-trips: a fresh page from it shows the same state and the same paths; with b=js, on the JS kernels.
    for (const [suffix, backend] of [["", "wasm"], ["&b=js", "js"]]) {
      const again = await open(`${base}/playground/#${seen.url}${suffix}`);
      const back = await finish(again.page);
      expect(`the URL${suffix} did not round-trip`, JSON.stringify({ ...back.state, backend: "auto" }) === JSON.stringify(seen.state) && back.url === `${seen.url}${suffix}`, { back: back.url, was: seen.url });
      expect(`the paths from the URL${suffix} differ from Node's`, samePaths(back.drawn, expected));
      expect(`the URL${suffix}: expected the ${backend} backend`, back.backend.name === backend, back.backend);
      expect(`problems on the page from the URL${suffix}`, again.problems.length === 0, again.problems);
      await again.page.close();
    }

    // 3. Under a CSP without 'wasm-unsafe-eval': the JS kernels, the same paths.
    const csp = await open(`${base}/playground-csp/#${seen.url}`, true);
    const strict = await finish(csp.page);
    expect("CSP: expected the JS kernels", strict.backend.name === "js" && /unavailable/.test(strict.backend.reason ?? ""), strict.backend);
    expect("CSP: the paths differ from Node's", samePaths(strict.drawn, expected));
    expect("CSP: problems on the page", csp.problems.length === 0, csp.problems);
    await csp.page.close();

    // 4. The lecture's linear regression on its 12 points, in mini-batches of 4 (seed 3), under the
    // same CSP: the data landscape and the sampler in the browser, against Node's.
    const data = "l=linear&w=0,2,-1,1&s=1.6,-0.5&n=150&r=GradientDescent:lr=0.03&r=Momentum:lr=0.03,beta=0.9&r=Adam:lr=0.05&batch=4&seed=3";
    const J = learn.empiricalRisk(learn.linearRegression(), learn.sumOfSquares(), learn.udlLinearData());
    const batches = [new core.GradientDescent({ lr: 0.03 }), new core.Momentum({ lr: 0.03, beta: 0.9 }), new core.Adam({ lr: 0.05 })].map(
      (optimizer) => learn.minimize({ objective: J, optimizer, params: Float64Array.of(1.6, -0.5), steps: 150, sampler: new learn.EpochSampler({ size: 12, batchSize: 4, seed: 3 }), record: {} }).path,
    );
    const linear = await open(`${base}/playground-csp/#${data}`, true);
    const fitted = await finish(linear.page);
    expect("CSP, linear regression in batches: the URL was not read", fitted.url === data, fitted.url);
    expect("CSP, linear regression in batches: the paths differ from Node's", samePaths(fitted.drawn, batches), { last: fitted.drawn.map((p) => p.at(-1)), node: batches.map((p) => p.at(-1)) });
    expect("CSP, linear regression in batches: problems on the page", linear.problems.length === 0, linear.problems);
    await linear.page.close();

    // 5. Schedules as hyperparameters: the schedules preset (Adam's η constant, in steps, cosine,
    // warm-up then cosine), then step decay's γ edited in its field; each against Node's Adam given
    // the same schedules written out here; the page's URL again under the CSP.
    const scheduled = (gamma) =>
      [
        0.1,
        { kind: "step", initial: 0.1, gamma, stepSize: 250 },
        { kind: "cosine", initial: 0.1, final: 0, period: 1000 },
        { kind: "sequence", boundaries: [100], schedules: [{ kind: "linear", initial: 0, final: 0.1, steps: 100 }, { kind: "cosine", initial: 0.1, final: 0, period: 900 }] },
      ].map((lr) => learn.minimize({ objective: learn.rosenbrock(), optimizer: new core.Adam({ lr }), params: Float64Array.of(-1.2, 1), steps: 1000, record: {} }).path);
    const schedules = await open(`${base}/playground/`);
    await schedules.page.click('[data-preset="schedules"]');
    const preset = await finish(schedules.page);
    expect("schedules: the paths differ from Node's", samePaths(preset.drawn, scheduled(0.5)), { last: preset.drawn.map((p) => p.at(-1)) });
    expect("schedules: the URL does not hold them", /r=Adam:lr=step\(initial=0\.1,gamma=0\.5,stepSize=250\)/.test(preset.url), preset.url);
    await schedules.page.fill('[data-key="run1.lr.gamma"]', "0.3");
    await schedules.page.press('[data-key="run1.lr.gamma"]', "Enter");
    const edited = await finish(schedules.page);
    expect("schedules: the edited γ is not in the URL", edited.url.includes("r=Adam:lr=step(initial=0.1,gamma=0.3,stepSize=250)"), edited.url);
    expect("schedules: the paths after editing γ differ from Node's", samePaths(edited.drawn, scheduled(0.3)));
    // By keyboard: the first run's η from a number to a schedule (the first kind: constant, at the same value).
    await schedules.page.focus('[data-key="run0.lr.kind"]');
    await schedules.page.keyboard.press("ArrowDown");
    const keyed = await finish(schedules.page);
    const constant = learn.minimize({ objective: learn.rosenbrock(), optimizer: new core.Adam({ lr: { kind: "constant", value: 0.1 } }), params: Float64Array.of(-1.2, 1), steps: 1000, record: {} }).path;
    expect("schedules: the arrow key did not make η a constant schedule", keyed.url.includes("r=Adam:lr=constant(value=0.1)&"), keyed.url);
    expect("schedules: the keyboard-chosen schedule's paths differ from Node's", samePaths(keyed.drawn, [constant, ...scheduled(0.3).slice(1)]));
    expect("schedules: problems on the page", schedules.problems.length === 0, schedules.problems);
    await schedules.page.close();
    const scheduledCsp = await open(`${base}/playground-csp/#${edited.url}`, true);
    const strictSchedules = await finish(scheduledCsp.page);
    expect("CSP, schedules: the URL did not round-trip", strictSchedules.url === edited.url, strictSchedules.url);
    expect("CSP, schedules: the paths differ from Node's", strictSchedules.backend.name === "js" && samePaths(strictSchedules.drawn, scheduled(0.3)));
    expect("CSP, schedules: problems on the page", scheduledCsp.problems.length === 0, scheduledCsp.problems);
    await scheduledCsp.page.close();

    // 6. Conventions: the lecture's Adam and Nesterov against PyTorch's Adam and SGD (Nesterov), each
    // against Node's lecture.* and pytorch.* presets; under the CSP from the URL; then every run
    // switched to PyTorch's conventions by the one button (the lecture's Adam becomes PyTorch's, with
    // betas; the lecture's Nesterov has no PyTorch preset and stays).
    const valley = (optimizers) => optimizers.map((optimizer) => learn.minimize({ objective: learn.anisotropicValley(), optimizer, params: Float64Array.of(-0.7, -0.9), steps: 150, record: {} }).path);
    const conventionsNode = valley([
      core.lecture.Adam({ lr: 0.05, beta: 0.9, gamma: 0.99, eps: 0.01 }),
      core.pytorch.Adam({ lr: 0.05, betas: [0.9, 0.99], eps: 0.01 }),
      core.lecture.Nesterov({ lr: 1, beta: 0.9 }),
      core.pytorch.SGD({ lr: 0.1, momentum: 0.9, nesterov: true }),
    ]);
    const conventions = await open(`${base}/playground/`);
    await conventions.page.click('[data-preset="lecture-vs-pytorch"]');
    const mixed = await finish(conventions.page);
    expect("conventions: the URL does not name them", mixed.url.includes("r=lecture.Adam:lr=0.05,beta=0.9,gamma=0.99,eps=0.01&r=pytorch.Adam:lr=0.05,betas=[0.9,0.99],eps=0.01"), mixed.url);
    expect("conventions: the paths differ from Node's lecture and pytorch presets", samePaths(mixed.drawn, conventionsNode), { last: mixed.drawn.map((p) => p.at(-1)), node: conventionsNode.map((p) => p.at(-1)) });
    expect("conventions: the two Adams drew the same path (ε inside and outside the root must differ)", !samePaths([mixed.drawn[0]], [conventionsNode[1]]));
    await conventions.page.click('[data-key="convention.pytorch"]');
    const switched = await finish(conventions.page);
    const pytorchAdam = valley([core.pytorch.Adam({ lr: 0.05, betas: [0.9, 0.99], eps: 0.01 })])[0];
    expect("conventions: the global switch did not convert the lecture's Adam", switched.url.includes("r=pytorch.Adam:lr=0.05,betas=[0.9,0.99],eps=0.01&r=pytorch.Adam:") && switched.url.includes("r=lecture.Nesterov:"), switched.url);
    expect("conventions: the switched paths differ from Node's", samePaths(switched.drawn, [pytorchAdam, ...conventionsNode.slice(1)]));
    expect("conventions: problems on the page", conventions.problems.length === 0, conventions.problems);
    await conventions.page.close();
    const conventionsCsp = await open(`${base}/playground-csp/#${mixed.url}`, true);
    const strictConventions = await finish(conventionsCsp.page);
    expect("CSP, conventions: the paths differ from Node's", strictConventions.backend.name === "js" && strictConventions.url === mixed.url && samePaths(strictConventions.drawn, conventionsNode));
    expect("CSP, conventions: problems on the page", conventionsCsp.problems.length === 0, conventionsCsp.problems);
    await conventionsCsp.page.close();

    // 7. A run's own step budget: figure 6's panels, 200, 40, 40 and 60 steps, each drawn path
    // against minimize in Node for its own budget (the example's optimizers: GradientDescent, the
    // lecture's NormalizedGradient and Adam); halfway, the short runs stop at their budgets on the
    // map and in the counter; then a budget typed in a run's field, and cleared (the common one).
    const valleyRun = (optimizer, steps) => learn.minimize({ objective: learn.anisotropicValley(), optimizer, params: Float64Array.of(-0.7, -0.9), steps, record: {} }).path;
    const panels = (second) => [
      valleyRun(new core.GradientDescent({ lr: 0.08 }), 200),
      valleyRun(new core.GradientDescent({ lr: 1 }), second),
      valleyRun(core.lecture.NormalizedGradient({ lr: 0.08, eps: 1e-20 }), 40),
      valleyRun(core.lecture.Adam({ lr: 0.05, beta: 0.9, gamma: 0.99, eps: 1e-20 }), 60),
    ];
    const budgets = await open(`${base}/playground/`);
    await budgets.page.click('[data-preset="valley-four-ways"]');
    const four = await finish(budgets.page);
    expect("budgets: the URL does not hold the runs' own budgets", /&n=200&r=lecture\.GradientDescent:lr=0\.08&r=lecture\.GradientDescent:lr=1,@steps=40&r=lecture\.NormalizedGradient:lr=0\.08,eps=1e-20,@steps=40&r=lecture\.Adam:.*,@steps=60(&|$)/.test(four.url), four.url);
    expect("budgets: figure 6's paths differ from minimize's for 200, 40, 40 and 60 steps", samePaths(four.drawn, panels(40)), { lengths: four.drawn.map((p) => p.length) });
    expect("budgets: the step counter at the end", four.counter === "step 200 / 200 (runs at 200, 40, 40, 60)", four.counter);
    /** How many steps of each run the map's line draws (its pieces: the last step of the last one, + 1), and the counter. */
    const onMap = () =>
      budgets.page.evaluate(() => ({
        points: [0, 1, 2, 3].map((k) => Math.max(-1, ...[...document.querySelectorAll(`#map svg.overlay path[data-run="${k}"]`)].map((p) => Number(p.dataset.to))) + 1),
        counter: document.querySelector("#step-counter").textContent,
        drawn: window.__playground.drawn().map((p) => p.length),
      }));
    const end = await onMap();
    await budgets.page.click("#reset");
    await budgets.page.evaluate(() => {
      for (let i = 0; i < 50; i++) document.getElementById("step").click();
    });
    const half = await onMap();
    expect("budgets: at the end, the map's lines do not stop at each run's budget", JSON.stringify(end.points) === "[201,41,41,61]", end);
    expect("budgets: at step 50, the map, the counter or the drawn points do not stop the short runs at their budgets", JSON.stringify(half.points) === "[51,41,41,51]" && JSON.stringify(half.drawn) === "[51,41,41,51]" && half.counter === "step 50 / 200 (runs at 50, 40, 40, 50)", half);
    await budgets.page.fill('[data-key="run1.steps"]', "25");
    await budgets.page.press('[data-key="run1.steps"]', "Enter");
    const typed = await finish(budgets.page);
    expect("budgets: a typed budget is not in the URL", typed.url.includes("&r=lecture.GradientDescent:lr=1,@steps=25&"), typed.url);
    expect("budgets: the paths after typing a budget differ from Node's", samePaths(typed.drawn, panels(25)), { lengths: typed.drawn.map((p) => p.length) });
    await budgets.page.fill('[data-key="run1.steps"]', "");
    await budgets.page.press('[data-key="run1.steps"]', "Enter");
    const cleared = await finish(budgets.page);
    expect("budgets: a cleared budget is still in the URL", cleared.url.includes("&r=lecture.GradientDescent:lr=1&"), cleared.url);
    expect("budgets: the cleared run does not take the common 200 steps", samePaths(cleared.drawn, panels(200)), { lengths: cleared.drawn.map((p) => p.length) });
    expect("budgets: problems on the page", budgets.problems.length === 0, budgets.problems);
    await budgets.page.close();
    const budgetsCsp = await open(`${base}/playground-csp/#${four.url}`, true);
    const strictBudgets = await finish(budgetsCsp.page);
    expect("CSP, budgets: the URL did not round-trip, or the paths differ from Node's", strictBudgets.backend.name === "js" && strictBudgets.url === four.url && samePaths(strictBudgets.drawn, panels(40)), strictBudgets.url);
    expect("CSP, budgets: problems on the page", budgetsCsp.problems.length === 0, budgetsCsp.problems);
    await budgetsCsp.page.close();

    // 8. Every preset (each of the lecture's figures among them) runs without an error.
    const all = await open(`${base}/playground/`);
    const ids = await all.page.$$eval("[data-preset]", (buttons) => buttons.map((b) => b.dataset.preset));
    for (const id of ids) {
      await all.page.click(`[data-preset="${id}"]`);
      const ran = await all.page.evaluate(() => ({ errors: window.__playground.errors(), total: window.__playground.total() }));
      expect(`preset ${id}: a run failed`, ran.total > 0 && ran.errors.length > 0 && ran.errors.every((e) => e === null), ran);
    }
    // one preset a figure: figure 5's and 6's named for their races, the others figure-n (figure 3 and 7 were once in parts)
    expect("every figure 1 to 8 has one preset", [1, 2, 3, 4, 5, 6, 7, 8].every((n) => ids.filter((id) => id === `figure-${n}` || id.startsWith(`figure-${n}-`) || (n === 5 && id === "gabor-batches") || (n === 6 && id === "valley-four-ways")).length === 1), ids);
    expect("presets: problems on the page", all.problems.length === 0, all.problems);
    await all.page.close();
    // 9. Figure 7: every optimizer of the registry in one race, on Rosenbrock from (−1.5, 2) for 3000
    // steps with the example's tuned rates. By its preset's button, on Wasm: all seventeen paths
    // against minimize in Node; the URL; each run's look (colour and dash pattern) the same on the
    // map and in the loss curves, and the legend naming it; the map's lines whole at the end; the
    // panels: four open, the others folded, unfolded by Enter on a summary, all folded and opened by
    // the buttons; the add button at the cap, and again after a run is removed; the frame rate at 5
    // steps a frame (reported). Then the URL under the CSP: the JS kernels, the same paths.
    const SEVEN = [
      ["GradientDescent", { lr: 0.001 }],
      ["Momentum", { lr: 0.01 }],
      ["Nesterov", { lr: 0.01 }],
      ["NormalizedGradient", { lr: 0.0003 }],
      ["AdaGrad", { lr: 1 }],
      ["RMSProp", { lr: 0.0003 }],
      ["Adam", { lr: 0.01 }],
      ["SGD", { lr: 0.001, momentum: 0.9 }],
      ["Adamax", { lr: 0.0003 }],
      ["NAdam", { lr: 0.0003 }],
      ["RAdam", { lr: 0.01 }],
      ["Adadelta", { lr: 0.01 }],
      ["Rprop", { lr: 0.001 }],
      ["ASGD", { lr: 0.001 }],
      ["Lion", { lr: 0.001 }],
      ["LAMB", { lr: 0.003 }],
      ["Adafactor", { lr: 0.003 }],
    ];
    expect("figure 7: the check's list is not the registry's", JSON.stringify(SEVEN.map(([name]) => name)) === JSON.stringify(core.optimizerRegistry.map((e) => e.name)), core.optimizerRegistry.map((e) => e.name));
    const sevenNode = SEVEN.map(([name, options]) => learn.minimize({ objective: learn.rosenbrock(), optimizer: new core[name](options), params: Float64Array.of(-1.5, 2), steps: 3000, record: {} }).path);
    const sevenUrl = `l=rosenbrock&w=-2,2,-1,3&s=-1.5,2&n=3000&${SEVEN.map(([name, options]) => `r=${name}:${Object.entries(options).map(([k, v]) => `${k}=${v}`).join(",")}`).join("&")}`;
    const figure7 = await open(`${base}/playground/`);
    await figure7.page.click('[data-preset="figure-7"]');
    const all7 = await finish(figure7.page);
    expect("figure 7: the URL", all7.url === sevenUrl, { url: all7.url, expected: sevenUrl });
    expect("figure 7: the URL is more than a few kB", all7.url.length < 4096, all7.url.length);
    expect("figure 7: not on the Wasm backend", all7.backend.name === "wasm", all7.backend);
    expect("figure 7: a run failed", all7.errors.length === 17 && all7.errors.every((e) => e === null), all7.errors);
    expect("figure 7: the 17 paths differ from minimize's in Node", samePaths(all7.drawn, sevenNode), { lengths: all7.drawn.map((p) => p.length), last: all7.drawn.map((p) => p.at(-1)), node: sevenNode.map((p) => p.at(-1)) });
    // what the map, the loss curves, the legend and the panels show of each run
    const looks = await figure7.page.evaluate(() => {
      const style = (e) => (e === null ? null : { color: e.getAttribute("stroke"), dash: e.getAttribute("stroke-dasharray") ?? "" });
      const curves = [...document.querySelectorAll("#losses .reveal g[clip-path] path")].filter((p) => !["#000", "#fff", "none"].includes(p.getAttribute("stroke")));
      return Array.from({ length: 17 }, (_, k) => {
        const pieces = [...document.querySelectorAll(`#map svg.overlay path[data-run="${k}"]`)];
        return {
          map: style(pieces[0]?.parentElement ?? null),
          curve: style(curves[k] ?? null),
          pieces: pieces.length,
          to: Math.max(...pieces.map((p) => Number(p.dataset.to))),
          drawing: pieces.filter((p) => p.closest("svg.top") !== null).length,
          panel: document.querySelector(`details.run[data-run="${k}"]`)?.open ?? null,
          summary: document.querySelector(`details.run[data-run="${k}"] summary .run-name`)?.textContent ?? null,
        };
      });
    });
    const legend = await figure7.page.$$eval("#losses > svg text", (texts) => texts.map((t) => t.textContent));
    expect("figure 7: a run's line on the map and its loss curve differ in look (colour or dashes)", looks.every((l) => l.map !== null && JSON.stringify(l.map) === JSON.stringify(l.curve)), looks.map((l) => [l.map, l.curve]));
    expect(
      "figure 7: the looks are not 8 colours, then the same dashed",
      new Set(looks.map((l) => JSON.stringify(l.map))).size === 17 && looks.every((l, k) => (k < 8 ? l.map.dash === "" : l.map.dash !== "" && l.map.color === looks[k - 8].map.color)),
      looks.map((l) => l.map),
    );
    expect("figure 7: the legend or a panel does not name each run", SEVEN.every(([name], k) => legend.includes(`${k + 1}. ${name}`) && looks[k].summary === `${k + 1}. ${name}`), { legend, summaries: looks.map((l) => l.summary) });
    expect("figure 7: at the end, a map line is not its 30 pieces to step 3000, all in the finished layer", looks.every((l) => l.pieces === 30 && l.to === 3000 && l.drawing === 0), looks.map((l) => [l.pieces, l.to, l.drawing]));
    expect("figure 7: not the first four panels open and the others folded", looks.every((l, k) => l.panel === k < 4), looks.map((l) => l.panel));
    // by keyboard: the 9th run's summary, Enter, then Space folds it again; the buttons fold and open all
    await figure7.page.focus('[data-key="run8.summary"]');
    await figure7.page.keyboard.press("Enter");
    const opened = await figure7.page.$eval('details.run[data-run="8"]', (d) => d.open);
    await figure7.page.keyboard.press(" ");
    const folded = await figure7.page.$eval('details.run[data-run="8"]', (d) => d.open);
    expect("figure 7: Enter and Space on a summary do not unfold and fold its panel", opened === true && folded === false, { opened, folded });
    const openness = () => figure7.page.$$eval("details.run", (panels) => panels.map((d) => d.open));
    await figure7.page.click('[data-key="runs.close"]');
    const none = await openness();
    await figure7.page.click('[data-key="runs.open"]');
    const every = await openness();
    expect("figure 7: the buttons do not fold and open every panel", none.length === 17 && none.every((o) => !o) && every.every((o) => o), { none, every });
    // the cap: no 18th run; remove one, add one: 17 again, the new one open, its line in the 17th look
    const capped = await figure7.page.$eval('[data-key="add"]', (b) => b.disabled);
    await figure7.page.click('[data-key="run3.remove"]');
    const freed = await figure7.page.$eval('[data-key="add"]', (b) => b.disabled);
    await figure7.page.click('[data-key="add"]');
    const added = await figure7.page.evaluate(() => ({ runs: window.__playground.state().runs.length, open: document.querySelector('details.run[data-run="16"]').open, add: document.querySelector('[data-key="add"]').disabled }));
    expect("figure 7: the add button at the cap, after a removal, after adding again", capped === true && freed === false && added.runs === 17 && added.open === true && added.add === true, { capped, freed, added });
    const sevenFps = await (async () => {
      await figure7.page.click('[data-preset="figure-7"]');
      await figure7.page.locator("#map").scrollIntoViewIfNeeded();
      return frameRate(figure7.page, 5);
    })();
    expect("figure 7: problems on the page", figure7.problems.length === 0, figure7.problems);
    await figure7.page.close();
    const sevenCsp = await open(`${base}/playground-csp/#${sevenUrl}`, true);
    const strictSeven = await finish(sevenCsp.page);
    expect("CSP, figure 7: the URL did not round-trip, or not the JS kernels", strictSeven.url === sevenUrl && strictSeven.backend.name === "js", { url: strictSeven.url, backend: strictSeven.backend });
    expect("CSP, figure 7: the 17 paths differ from minimize's in Node", samePaths(strictSeven.drawn, sevenNode));
    expect("CSP, figure 7: problems on the page", sevenCsp.problems.length === 0, sevenCsp.problems);
    await sevenCsp.page.close();

    // 10. Figure 4's arrows: at the start (−1.5, 6.5) of the Gabor loss, the negative gradients of the
    // six mini-batches of 5 of an epoch (EpochSampler size 30, batch size 5, seed 1) and the full
    // gradient ÷ 6, computed here as examples/04-batch-sizes.ts does. Each drawn arrow's data-gradient
    // must be Node's gradient to the bit (String of each component, which reads back as the same
    // double), and its tip (data-tip, as its head's `d` writes it, 0.1 px) within the 0.05 px of that
    // rounding of start − s·share·∇J in the map's pixels, s making the full arrow 0.15 of the plot
    // area's smaller side (the clip rectangle of the arrows' layer); the full arrow in the B = 30 run's
    // colour, the batches' in the B = 5 run's. By the preset's button on Wasm, from its URL on the JS
    // kernels and under the CSP; the switch turned off by a click (no arrows, no arrows=1) and on
    // again by Space; the map's accessible description, as Chromium computes it, names them.
    const gaborJ = learn.empiricalRisk(learn.gaborModel(), learn.sumOfSquares(), learn.udlGaborData());
    const at = Float64Array.of(-1.5, 6.5);
    const fullGradient = new Float64Array(2);
    gaborJ.evaluate(at, fullGradient);
    const epoch = new learn.EpochSampler({ size: 30, batchSize: 5, seed: 1 });
    const rows = new Int32Array(5);
    const batchGradients = Array.from({ length: 6 }, () => {
      const g = new Float64Array(2);
      gaborJ.evaluate(at, g, rows, epoch.next(rows));
      return g;
    });
    const nodeArrows = [...batchGradients.map((g, k) => ({ kind: "batch", batch: k, gradient: g, share: 1 })), { kind: "full", batch: 0, gradient: fullGradient, share: 5 / 30 }];
    /** The arrows the page drew, what they are drawn over and the colours of the runs' lines. */
    const drawnArrows = (page) =>
      page.evaluate(() => ({
        arrows: [...document.querySelectorAll("#map svg.overlay.arrows g[data-arrow]")].map((g) => ({
          kind: g.dataset.arrow,
          batch: Number(g.dataset.batch),
          gradient: g.dataset.gradient,
          share: g.dataset.share,
          tip: g.dataset.tip.split(",").map(Number),
          tail: g.querySelector("path").getAttribute("d").match(/^M([-\d.]+),([-\d.]+)L/).slice(1).map(Number),
          color: g.querySelectorAll("path")[2].getAttribute("stroke"),
          head: g.querySelectorAll("path")[3].getAttribute("fill"),
        })),
        clip: ["x", "y", "width", "height"].map((k) => Number(document.querySelector("#playground-clip-arrows rect").getAttribute(k))),
        window: window.__playground.state().window,
        runColors: [0, 1].map((k) => document.querySelector(`#map svg.overlay path[data-run="${k}"]`)?.parentElement.getAttribute("stroke") ?? null),
        describedBy: document.getElementById("map").getAttribute("aria-describedby"),
        url: window.__playground.url(),
        backend: window.__playground.backend().name,
      }));
    /** Compares what the page drew with Node's arrows; `label` names the setting. */
    const expectArrows = (label, seen) => {
      const [left, top, width, height] = seen.clip;
      const [x0, x1, y0, y1] = seen.window;
      const pixel = (x, y) => [left + ((x - x0) / (x1 - x0)) * width, top + height - ((y - y0) / (y1 - y0)) * height];
      const full = nodeArrows[6];
      const s = (0.15 * Math.min(width, height)) / Math.hypot((full.share * full.gradient[0] * width) / (x1 - x0), (full.share * full.gradient[1] * height) / (y1 - y0));
      const start = pixel(at[0], at[1]);
      const near = (a, b) => Math.abs(a[0] - b[0]) <= 0.05 + 1e-9 && Math.abs(a[1] - b[1]) <= 0.05 + 1e-9;
      expect(`${label}: not the six batches' arrows and the full one`, seen.arrows.length === 7 && seen.arrows.every((a, k) => a.kind === nodeArrows[k].kind && a.batch === nodeArrows[k].batch && Number(a.share) === nodeArrows[k].share), seen.arrows);
      expect(
        `${label}: an arrow's gradient differs from Node's (to the bit)`,
        seen.arrows.length === 7 && seen.arrows.every((a, k) => a.gradient === `${nodeArrows[k].gradient[0]},${nodeArrows[k].gradient[1]}` && a.gradient.split(",").every((v, i) => Object.is(Number(v), nodeArrows[k].gradient[i]))),
        { drawn: seen.arrows.map((a) => a.gradient), node: nodeArrows.map((a) => `${a.gradient[0]},${a.gradient[1]}`) },
      );
      const expectedTips = nodeArrows.map((a) => pixel(at[0] - s * a.share * a.gradient[0], at[1] - s * a.share * a.gradient[1]));
      expect(`${label}: an arrow's tip is not start − s·share·∇J to 0.05 px, or it does not start at the start`, seen.arrows.length === 7 && seen.arrows.every((a, k) => near(a.tip, expectedTips[k]) && near(a.tail, start)), {
        drawn: seen.arrows.map((a) => [a.tail, a.tip]),
        node: [start, expectedTips],
      });
      expect(
        `${label}: the arrows are not in the runs' colours (the batches' in the B = 5 run's, the full one in the B = 30 run's)`,
        seen.runColors[0] !== null && seen.runColors[1] !== null && seen.runColors[0] !== seen.runColors[1] && seen.arrows.every((a) => a.color === a.head && a.color === seen.runColors[a.kind === "full" ? 0 : 1]),
        { arrows: seen.arrows.map((a) => [a.color, a.head]), runs: seen.runColors },
      );
      expect(`${label}: the map is not described by the arrows' description`, seen.describedBy === "map-arrows-description", seen.describedBy);
    };
    /** The map's accessible description, as Chromium's accessibility tree has it. */
    const mapDescription = async (page) => {
      const cdp = await page.context().newCDPSession(page);
      const { root } = await cdp.send("DOM.getDocument");
      const { nodeId } = await cdp.send("DOM.querySelector", { nodeId: root.nodeId, selector: "#map" });
      const { nodes } = await cdp.send("Accessibility.getPartialAXTree", { nodeId, fetchRelatives: false });
      await cdp.detach();
      return nodes[0]?.description?.value ?? null;
    };
    const arrowsPage = await open(`${base}/playground/`);
    await arrowsPage.page.click('[data-preset="figure-4"]');
    const four4 = await finish(arrowsPage.page);
    const arrowsSeen = await drawnArrows(arrowsPage.page);
    expect("figure 4: the URL does not hold the arrows", four4.url.endsWith("&arrows=1") && four4.state.arrows === true, four4.url);
    expect("figure 4: not on the Wasm backend", arrowsSeen.backend === "wasm", arrowsSeen.backend);
    expectArrows("figure 4 (Wasm)", arrowsSeen);
    const described = await mapDescription(arrowsPage.page);
    const caption = await arrowsPage.page.$eval('[data-key="arrows.caption"]', (p) => p.textContent);
    expect(
      "figure 4: the map's accessible description or the caption does not name the arrows",
      described === caption && /^Arrows at the start \(-1\.5, 6\.5\): the negative gradient of the full batch of 30, ÷ 6 .* each of the 6 batches of 5 of an epoch, seed 1/.test(described ?? ""),
      { described, caption },
    );
    // off by a click: no arrows, no description, not in the URL; on again by Space on the focused switch
    await arrowsPage.page.click('[data-key="arrows"]');
    const off = await drawnArrows(arrowsPage.page);
    const offDescription = await mapDescription(arrowsPage.page);
    expect("figure 4: the switch did not turn the arrows off", off.arrows.length === 0 && off.describedBy === null && !off.url.includes("arrows") && !offDescription, { arrows: off.arrows.length, describedBy: off.describedBy, url: off.url, offDescription });
    await arrowsPage.page.focus('[data-key="arrows"]');
    await arrowsPage.page.keyboard.press(" ");
    const on = await drawnArrows(arrowsPage.page);
    expect("figure 4: Space on the switch did not turn the arrows on again", on.url === four4.url, on.url);
    expectArrows("figure 4, switched on by Space", on);
    expect("figure 4: problems on the page", arrowsPage.problems.length === 0, arrowsPage.problems);
    await arrowsPage.page.close();
    // (the page writes b=js before arrows=1)
    for (const [path, url, label] of [["playground", four4.url.replace("&arrows=1", "&b=js&arrows=1"), "figure 4 from its URL (JS kernels)"], ["playground-csp", four4.url, "CSP, figure 4"]]) {
      const again = await open(`${base}/${path}/#${url}`, path === "playground-csp");
      const back = await finish(again.page);
      const seenAgain = await drawnArrows(again.page);
      expect(`${label}: the URL did not round-trip, or not the JS kernels`, back.url === url && seenAgain.backend === "js", { url: back.url, expected: url, backend: seenAgain.backend });
      expectArrows(label, seenAgain);
      expect(`${label}: problems on the page`, again.problems.length === 0, again.problems);
      await again.page.close();
    }

    return { failures, size, start: seen.state.start, fps: frames, sevenFps, presets: ids.length };
  } finally {
    server.close();
    rmSync(folder, { recursive: true, force: true });
  }
}
