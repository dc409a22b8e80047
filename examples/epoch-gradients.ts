// Figure 4's second panel, as numbers: at one point, the gradient of the full batch and the gradient
// of each mini-batch of one epoch, the batches drawn as `minimize` draws them (an EpochSampler of the
// same size, batch size and seed), so that they are the batches a mini-batch run from that point
// takes in its first epoch. examples/04-batch-sizes.ts draws them; so does the playground's arrows
// layer (docs/playground/src/gradient-arrows.ts), with the same numbers.
import { EpochSampler, type Objective } from "gradstep/learn";

export interface EpochGradients {
  /** ∇J at the point, over all N examples. */
  readonly full: Float64Array;
  /** ∇J of each batch of the epoch, in the order the sampler draws them (⌈N/B⌉ batches; the last has N mod B examples when B does not divide N). */
  readonly batches: readonly Float64Array[];
  /** How many examples each batch has. */
  readonly counts: readonly number[];
}

/** The gradients at `at` of the full batch and of each batch of B of one epoch of an EpochSampler (size N, batch size B, `seed`). */
export function epochGradients(J: Objective, at: ArrayLike<number>, batchSize: number, seed: number): EpochGradients {
  const size = J.examples;
  if (size === undefined) throw new Error("epochGradients: the objective has no examples (it is not a loss over data)");
  const theta = Float64Array.from(at);
  const full = new Float64Array(J.dimension);
  J.evaluate(theta, full);
  const sampler = new EpochSampler({ size, batchSize, seed });
  const rows = new Int32Array(batchSize);
  const batches: Float64Array[] = [];
  const counts: number[] = [];
  while (sampler.epoch === 0) {
    const g = new Float64Array(J.dimension);
    const count = sampler.next(rows);
    J.evaluate(theta, g, rows, count);
    batches.push(g);
    counts.push(count);
  }
  return { full, batches, counts };
}
