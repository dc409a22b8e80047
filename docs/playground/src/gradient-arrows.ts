// The second panel of the lecture's figure 4 on the map: at the first run's start, the negative
// gradient of each mini-batch of one epoch beside the full batch's, scaled to a batch's share of it,
// so that one sees the batches' gradients scatter around the full one, noisy estimates of it. The
// gradients are examples/epoch-gradients.ts's, which examples/04-batch-sizes.ts draws: the batches of
// an EpochSampler of the page's seed, those a run of that batch size takes in its first epoch.
// Shown when the state asks for them (`arrows=1`; figure 4's preset does) on a data landscape; the
// batch size is that of the first run that takes mini-batches (1 ≤ B < N), the arrows in its colour,
// and the full one in the colour of the first run that takes the full batch (black if none does),
// as the example draws them in the colours of the runs that step along them.
import type { Objective } from "gradstep/learn";
import { epochGradients } from "../../../examples/epoch-gradients.js";
import { LANDSCAPES } from "./landscapes.js";
import { runLook } from "./palette.js";
import { startOf } from "./runs.js";
import type { PlaygroundState } from "./state.js";

/** The full arrow's colour when no run takes the full batch. */
const NO_RUN_COLOR = "#000000";

export interface GradientArrow {
  /** The full batch's gradient, or batch `index`'s. */
  readonly kind: "full" | "batch";
  /** Which batch of the epoch, from 0 (0 for the full batch too). */
  readonly index: number;
  /** ∇J at the start, as evaluated: the arrow points along −share·∇J. */
  readonly gradient: readonly [number, number];
  /** The full gradient's factor, a batch's share of it (B/N when the loss sums over the examples, 1 when it averages them); 1 for a batch. */
  readonly share: number;
  readonly color: string;
}

export interface GradientArrows {
  /** Where they start: the first run's start. */
  readonly at: readonly [number, number];
  /** The batches' arrows, then the full one (drawn last, on top); none when no run takes mini-batches. */
  readonly arrows: readonly GradientArrow[];
  /** What they are, in words: the map's description for a screen reader, and the caption under the switch. */
  readonly description: string;
}

/** The batch size a run takes on N examples (as runs.ts gives its sampler), 0 for the full batch. */
function batchOf(state: PlaygroundState, k: number, examples: number): number {
  const b = Math.min(state.runs[k].batch ?? state.batch, examples);
  return b >= examples ? 0 : b;
}

/** The arrows `state` asks for on `objective`, or undefined when it asks for none (or the landscape is not a loss over data). */
export function gradientArrows(objective: Objective, state: PlaygroundState): GradientArrows | undefined {
  const examples = objective.examples;
  if (!state.arrows || !LANDSCAPES[state.landscape].data || examples === undefined || state.runs.length === 0) return undefined;
  const start = startOf(state, state.runs[0]);
  const at = [start[0], start[1]] as const;
  const batches = state.runs.map((_, k) => batchOf(state, k, examples));
  const batchRun = batches.findIndex((b) => b > 0);
  if (batchRun < 0) return { at, arrows: [], description: `No arrows: no run takes mini-batches (give one a batch size from 1 to ${examples - 1}).` };
  const B = batches[batchRun];
  const fullRun = batches.indexOf(0);
  const { full, batches: gradients, counts } = epochGradients(objective, at, B, state.seed);
  const mean = LANDSCAPES[state.landscape].meanLoss === true;
  const share = mean ? 1 : B / examples;
  const batchColor = runLook(batchRun).color;
  const fullColor = fullRun < 0 ? NO_RUN_COLOR : runLook(fullRun).color;
  const arrows: GradientArrow[] = [
    ...gradients.map((g, index) => ({ kind: "batch" as const, index, gradient: [g[0], g[1]] as const, share: 1, color: batchColor })),
    { kind: "full", index: 0, gradient: [full[0], full[1]], share, color: fullColor },
  ];
  const last = counts[counts.length - 1];
  const scaled = mean ? "" : examples % B === 0 ? `, ÷ ${examples / B} (a batch's share of the sum)` : `, × ${B}/${examples} (a batch's share of the sum)`;
  const description =
    `Arrows at the start (${at[0]}, ${at[1]}): the negative gradient of the full batch of ${examples}${scaled}, in ${fullRun < 0 ? "black" : `run ${fullRun + 1}'s colour`}, ` +
    `and that of each of the ${gradients.length} batches of ${B}${last === B ? "" : ` (the last of ${last})`} of an epoch, seed ${state.seed}, in run ${batchRun + 1}'s colour: noisy estimates of it.`;
  return { at, arrows, description };
}
