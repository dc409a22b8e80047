// Real problems for comparing optimizers: the UCI data in bench/data (iris and wine with softmax
// regression, digits with an MLP). The protocol, the same for every optimizer of the registry:
// - one seeded split per dataset (test 20%, validation 15% of the rest), standardized with the
//   training rows' statistics;
// - the learning rate tuned over one grid (LR_GRID) by the final validation loss of a run with seed 0;
// - then SEEDS runs at that rate, each seed drawing the initial weights and the batches' order;
// - per epoch, the full training loss and the test accuracy: medians and interquartile ranges.
// Deterministic (no timing): the numbers are the same on every machine and backend.
// `node bench/run-bundled.mjs bench/real-data.ts [--quick] [--json out.json] [--svg folder] [--md out.md]`; `npm run bench`
// runs it as part 5 (with --quick when given).
import { readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { type Optimizer, optimizerRegistry } from "gradstep";
import { accuracy, csvDataset, type Dataset, type DenseNetwork, EpochSampler, fitStandardizer, minimize, mlp, networkRisk, softmaxRegression, splitDataset } from "gradstep/learn";
import { figure, lossCurves } from "gradstep/plot";
import { isEntry } from "./entry.js";

export const LR_GRID = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1, 1, 3, 10];

interface Task {
  readonly name: string;
  readonly file: string;
  readonly target: string;
  readonly network: (inputs: number, classes: number) => DenseNetwork;
  readonly model: string;
  readonly epochs: number;
  readonly batchSize: number;
}

const TASKS: readonly Task[] = [
  { name: "iris", file: "iris.csv", target: "species", network: (inputs, classes) => softmaxRegression({ inputs, classes }), model: "softmax regression", epochs: 60, batchSize: 16 },
  { name: "wine", file: "wine.csv", target: "cultivar", network: (inputs, classes) => softmaxRegression({ inputs, classes }), model: "softmax regression", epochs: 60, batchSize: 16 },
  { name: "digits", file: "digits.csv", target: "digit", network: (inputs, classes) => mlp({ inputs, hidden: [{ units: 32, activation: "tanh" }], output: { kind: "softmax", classes } }), model: "MLP 64→32 tanh→10", epochs: 30, batchSize: 32 },
];

/** Median and quartiles (linear interpolation between order statistics). */
function quartiles(values: readonly number[]): { median: number; q1: number; q3: number } {
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number) => {
    const h = (s.length - 1) * p;
    const lo = Math.floor(h);
    return s[lo] + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]) - s[lo]);
  };
  return { median: at(0.5), q1: at(0.25), q3: at(0.75) };
}

export interface RealDataRow {
  task: string;
  optimizer: string;
  /** The tuned learning rate (null: every rate of the grid diverged). */
  lr: number | null;
  seeds: number;
  /** The learning rates tried. */
  grid: number[];
  /** Per epoch (index 0: before training): median and quartiles over the seeds. */
  trainLoss: { median: number; q1: number; q3: number }[];
  testAccuracy: { median: number; q1: number; q3: number }[];
}

interface Prepared {
  task: Task;
  net: DenseNetwork;
  train: Dataset;
  validation: Dataset;
  test: Dataset;
}

function prepare(task: Task): Prepared {
  const data = csvDataset(readFileSync(new URL(`./data/${task.file}`, import.meta.url), "utf8"), { target: task.target });
  const classes = Math.max(...Array.from({ length: data.size }, (_, i) => data.y.get(i))) + 1;
  const split = splitDataset(data, { validation: 0.15, test: 0.2, seed: 2026 });
  const scaler = fitStandardizer(split.train);
  return { task, net: task.network(data.features, classes), train: scaler.apply(split.train), validation: scaler.apply(split.validation!), test: scaler.apply(split.test!) };
}

/** One run: per epoch the full training loss and the test accuracy; the final validation loss. */
function train(p: Prepared, optimizer: Optimizer, seed: number, epochs: number) {
  const objective = networkRisk(p.net, p.train);
  const params = p.net.initialize(seed);
  const losses = [objective.evaluate(params, null)];
  const accuracies = [accuracy(p.test.y, p.net.classify(params, p.test.X))];
  minimize({
    objective,
    optimizer,
    params,
    sampler: new EpochSampler({ size: p.train.size, batchSize: p.task.batchSize, seed: 1000 + seed }),
    epochs,
    onEpoch: (_, theta, loss) => {
      losses.push(loss);
      accuracies.push(accuracy(p.test.y, p.net.classify(theta, p.test.X)));
    },
  });
  while (losses.length <= epochs) {
    losses.push(NaN); // a run stopped early (a non-finite loss): the rest is missing
    accuracies.push(NaN);
  }
  return { losses, accuracies, validationLoss: networkRisk(p.net, p.validation).evaluate(params, null) };
}

export function realData(quick: boolean, tick: (label: string) => void = () => {}): RealDataRow[] {
  const seeds = quick ? 3 : 5;
  const grid = quick ? LR_GRID.filter((_, i) => i % 2 === 0) : LR_GRID;
  const rows: RealDataRow[] = [];
  for (const task of TASKS) {
    const p = prepare(task);
    const epochs = quick ? Math.ceil(task.epochs / 3) : task.epochs;
    for (const entry of optimizerRegistry) {
      let best: { lr: number; loss: number } | null = null;
      for (const lr of grid) {
        const loss = train(p, entry.create({ lr }), 0, epochs).validationLoss;
        if (Number.isFinite(loss) && (best === null || loss < best.loss)) best = { lr, loss };
      }
      const runs = best === null ? [] : Array.from({ length: seeds }, (_, s) => train(p, entry.create({ lr: best!.lr }), s + 1, epochs));
      const per = (pick: (r: (typeof runs)[number]) => number[]) => Array.from({ length: epochs + 1 }, (_, e) => quartiles(runs.map((r) => pick(r)[e])));
      rows.push({ task: task.name, optimizer: entry.name, lr: best?.lr ?? null, seeds, grid, trainLoss: per((r) => r.losses), testAccuracy: per((r) => r.accuracies) });
      tick(`real data ${task.name} ${entry.name}`);
    }
  }
  return rows;
}

/** How many ticks {@link realData} makes. */
export function realDataTicks(): number {
  return TASKS.length * optimizerRegistry.length;
}

const fmt = (q: { median: number; q1: number; q3: number }, digits: number, scale = 1) =>
  Number.isFinite(q.median) ? `${(q.median * scale).toFixed(digits)} [${(q.q1 * scale).toFixed(digits)}, ${(q.q3 * scale).toFixed(digits)}]` : "diverged";

/** Markdown tables, one per task: tuned lr, final training loss and test accuracy (median [IQR]). */
export function realDataTables(rows: RealDataRow[]): string[] {
  const lines: string[] = [];
  for (const task of TASKS) {
    const mine = rows.filter((r) => r.task === task.name);
    if (mine.length === 0) continue;
    const epochs = mine[0].trainLoss.length - 1;
    lines.push(`**${task.name}** (${task.model}, batches of ${task.batchSize}, ${epochs} epochs, ${mine[0].seeds} seeds):`, "");
    lines.push("| optimizer | tuned lr | final training loss, median [IQR] | test accuracy %, median [IQR] |", "|---|---|---|---|");
    for (const r of [...mine].sort((a, b) => (b.testAccuracy.at(-1)!.median || 0) - (a.testAccuracy.at(-1)!.median || 0))) {
      const edge = r.lr !== null && (r.lr === r.grid[0] || r.lr === r.grid[r.grid.length - 1]) ? " (grid's edge)" : "";
      lines.push(`| ${r.optimizer} | ${r.lr ?? "—"}${edge} | ${fmt(r.trainLoss.at(-1)!, 4)} | ${fmt(r.testAccuracy.at(-1)!, 1, 100)} |`);
    }
    lines.push("");
  }
  return lines;
}

/** One SVG per task: the median training loss and the median test accuracy against the epoch. */
export function realDataCharts(rows: RealDataRow[]): Map<string, string> {
  const charts = new Map<string, string>();
  for (const task of TASKS) {
    const mine = rows.filter((r) => r.task === task.name && r.lr !== null);
    if (mine.length === 0) continue;
    const x = mine[0].trainLoss.map((_, e) => e);
    charts.set(
      task.name,
      figure([
        lossCurves({ series: mine.map((r) => ({ label: r.optimizer, x, values: r.trainLoss.map((q) => q.median) })), xLabel: "epoch", yLabel: `${task.name}: training loss (median)`, logY: true }),
        lossCurves({ series: mine.map((r) => ({ label: r.optimizer, x, values: r.testAccuracy.map((q) => q.median) })), xLabel: "epoch", yLabel: "test accuracy (median)", logY: false }),
      ]),
    );
  }
  return charts;
}

if (isEntry("real-data.ts")) {
  const args = process.argv.slice(2);
  const value = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const rows = realData(args.includes("--quick"), (label) => process.stderr.write(`\r${label.padEnd(60)}`));
  process.stderr.write("\n");
  const tables = realDataTables(rows);
  console.log(tables.join("\n"));
  if (value("--md")) writeFileSync(value("--md")!, tables.join("\n"));
  if (value("--json")) writeFileSync(value("--json")!, JSON.stringify({ grid: LR_GRID, rows }, null, 1));
  const folder = value("--svg") ?? ".bench-results";
  mkdirSync(folder, { recursive: true });
  for (const [name, svg] of realDataCharts(rows)) {
    const file = `${folder}/real-data-${name}.svg`;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, svg);
    console.log(`chart: ${file}`);
  }
}
