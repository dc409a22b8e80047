// The child process of long-runs.test.ts: `whole DIR` runs 2000 steps and prints θ's bytes;
// `first DIR K` runs K steps and saves the training state to DIR/state.json; `rest DIR` resumes
// from it (fresh objects, another process) to 2000 steps and prints θ's bytes.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SGD } from "../../src/index.js";
import { empiricalRisk, EpochSampler, gaborModel, minimize, sumOfSquares, udlGaborData } from "../../src/learn.js";

const [mode, directory, split] = process.argv.slice(2);
const setup = () => ({
  objective: empiricalRisk(gaborModel(), sumOfSquares(), udlGaborData()),
  optimizer: new SGD({ lr: { kind: "cosineRestarts", initial: 0.05, final: 0.001, period: 100, periodMultiplier: 2 }, momentum: 0.9 }),
  sampler: new EpochSampler({ size: 30, batchSize: 4, seed: 77 }),
  params: Float64Array.of(-1.5, 8.5),
});
const hex = (p: Float64Array) => Buffer.from(p.buffer).toString("hex");
if (mode === "whole") {
  const s = setup();
  minimize({ ...s, steps: 2000 });
  process.stdout.write(hex(s.params));
} else if (mode === "first") {
  const s = setup();
  const result = minimize({ ...s, steps: Number(split) });
  writeFileSync(join(directory, "state.json"), JSON.stringify(result.state));
} else {
  const s = setup();
  s.params.fill(0);
  minimize({ ...s, steps: 2000, resume: JSON.parse(readFileSync(join(directory, "state.json"), "utf8")) });
  process.stdout.write(hex(s.params));
}
