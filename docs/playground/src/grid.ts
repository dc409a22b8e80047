// The landscape sampled on a grid over the window, for gradstep/plot's contourMap. Points where the
// function is not finite (log of a negative number, an overflow) are drawn as its highest level.
import type { Objective } from "gradstep/learn";
import type { GridValues } from "gradstep/plot";
import type { Window } from "./landscapes.js";

export function sampleGrid(objective: Objective, window: Window, points = 101): GridValues & { values: Float64Array } {
  const axis = (from: number, to: number) => Float64Array.from({ length: points }, (_, i) => (i === points - 1 ? to : from + ((to - from) * i) / (points - 1)));
  const x = axis(window[0], window[1]);
  const y = axis(window[2], window[3]);
  const values = new Float64Array(points * points);
  const theta = new Float64Array(2);
  let max = -Infinity;
  for (let r = 0; r < points; r++) {
    for (let c = 0; c < points; c++) {
      theta[0] = x[c];
      theta[1] = y[r];
      const v = objective.evaluate(theta, null);
      values[r * points + c] = v;
      if (Number.isFinite(v) && v > max) max = v;
    }
  }
  if (max === -Infinity) throw new Error("the function is not finite anywhere in the window");
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) values[i] = max;
  return { x, y, values };
}
