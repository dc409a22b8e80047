// The text of the step counter beside the player's buttons. With one budget for all runs it is the
// step shown out of the budget; where the paths differ in length (runs of their own budgets, as
// figure 6's panels, or a run that stopped early), it also says where each run is, so that a run
// that has stopped reads as stopped, not as lagging.
/** "step 50 / 200", and where the runs' paths are not all as long (their own budgets, or a run that
 * stopped early), the step each run is at: "step 50 / 200 (runs at 50, 40, 40, 50)". */
export function counterText(shown: number, total: number, lengths: readonly number[]): string {
  const text = `step ${shown} / ${total}`;
  return lengths.every((n) => n - 1 === total) ? text : `${text} (runs at ${lengths.map((n) => Math.min(shown, n - 1)).join(", ")})`;
}
