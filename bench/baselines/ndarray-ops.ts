// The same updates written with ndarray-ops, one of gradstep's chosen dependencies: the way a
// numerical JavaScript user would write them, one pass over the arrays per operation.
import ndarray from "ndarray";
import ops from "ndarray-ops";
import type { BaselineStep } from "./inline.js";

/** The ndarray-ops version of an optimizer's update, or undefined if there is none. */
export function ndarrayOpsBaseline(rule: string, n: number): BaselineStep | undefined {
  const a = ndarray(new Float64Array(n));
  const b = ndarray(new Float64Array(n));
  const tmp = ndarray(new Float64Array(n));
  const lr = 1e-3;
  let t = 0;
  const wrap = (f: (p: ndarray.NdArray, g: ndarray.NdArray) => void): BaselineStep => (p, g) => f(ndarray(p), ndarray(g));
  switch (rule) {
    case "GradientDescent":
      return wrap((p, g) => {
        ops.muls(tmp, g, lr);
        ops.subeq(p, tmp);
      });
    case "Momentum":
      return wrap((p, g) => {
        ops.mulseq(a, 0.9);
        ops.muls(tmp, g, 0.1);
        ops.addeq(a, tmp);
        ops.muls(tmp, a, lr);
        ops.subeq(p, tmp);
      });
    case "AdaGrad":
      return wrap((p, g) => {
        ops.mul(tmp, g, g);
        ops.addeq(a, tmp);
        ops.sqrt(tmp, a);
        ops.addseq(tmp, 1e-10);
        ops.div(tmp, g, tmp);
        ops.mulseq(tmp, lr);
        ops.subeq(p, tmp);
      });
    case "RMSProp":
      return wrap((p, g) => {
        ops.mul(tmp, g, g);
        ops.mulseq(tmp, 0.01);
        ops.mulseq(a, 0.99);
        ops.addeq(a, tmp);
        ops.sqrt(tmp, a);
        ops.addseq(tmp, 1e-8);
        ops.div(tmp, g, tmp);
        ops.mulseq(tmp, lr);
        ops.subeq(p, tmp);
      });
    case "Adam":
      return wrap((p, g) => {
        t++;
        ops.mulseq(a, 0.9);
        ops.muls(tmp, g, 0.1);
        ops.addeq(a, tmp);
        ops.mul(tmp, g, g);
        ops.mulseq(tmp, 0.001);
        ops.mulseq(b, 0.999);
        ops.addeq(b, tmp);
        ops.muls(tmp, b, 1 / (1 - Math.pow(0.999, t)));
        ops.sqrteq(tmp);
        ops.addseq(tmp, 1e-8);
        ops.div(tmp, a, tmp);
        ops.mulseq(tmp, lr / (1 - Math.pow(0.9, t)));
        ops.subeq(p, tmp);
      });
    default:
      return undefined;
  }
}
