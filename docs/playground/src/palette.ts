// One look per run, the same on the map, in the loss curves and in the run's controls: gradstep/plot's
// rule (its PALETTE of Okabe and Ito's eight colour-blind-safe colours, then the same colours dashed,
// dotted, … by DASHES), so that a race of up to MAX_RUNS optimizers looks as the library's own
// figures draw it (figure 7's seventeen paths among them). Each line is cased, black under white
// under its colour, as gradstep/plot cases its lines, so that it shows on every level of the map.
import { DASHES, PALETTE } from "gradstep/plot";

export interface RunLook {
  /** The line's colour. */
  readonly color: string;
  /** Its SVG stroke-dasharray ("" is solid). */
  readonly dash: string;
}

/** Run k's colour and dash pattern (k from 0): the k-th path of gradstep/plot's contourMap and the k-th curve of its lossCurves. */
export function runLook(k: number): RunLook {
  return { color: PALETTE[k % PALETTE.length], dash: DASHES[Math.floor(k / PALETTE.length) % DASHES.length] };
}

/** The widths of a line's casing around it (gradstep/plot's): a black band, and a white one inside it. */
export const CASING = { dark: 3.2, light: 1.6 } as const;
