// Each lecture rule written inline as one hand-written fused loop over Float64Array, with no checks:
// the floor for plain JavaScript, against which gradstep's step is measured.

/** A baseline update: same arithmetic as the rule, state captured in the closure. */
export type BaselineStep = (params: Float64Array, grad: Float64Array) => void;

export function inlineBaseline(rule: string, n: number): BaselineStep {
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const lr = 1e-3;
  switch (rule) {
    case "GradientDescent":
      return (p, g) => {
        for (let i = 0; i < n; i++) p[i] -= lr * g[i];
      };
    case "Momentum":
    case "Nesterov":
      return (p, g) => {
        for (let i = 0; i < n; i++) {
          const v = 0.9 * a[i] + 0.1 * g[i];
          a[i] = v;
          p[i] -= lr * v;
        }
      };
    case "NormalizedGradient":
      return (p, g) => {
        for (let i = 0; i < n; i++) p[i] -= (lr * g[i]) / (Math.abs(g[i]) + 1e-8);
      };
    case "AdaGrad":
      return (p, g) => {
        for (let i = 0; i < n; i++) {
          const s = a[i] + g[i] * g[i];
          a[i] = s;
          p[i] -= lr * (g[i] / (Math.sqrt(s) + 1e-10));
        }
      };
    case "RMSProp":
      return (p, g) => {
        for (let i = 0; i < n; i++) {
          const e = 0.99 * a[i] + 0.01 * g[i] * g[i];
          a[i] = e;
          p[i] -= lr * (g[i] / (Math.sqrt(e) + 1e-8));
        }
      };
    case "Adam": {
      let t = 0;
      return (p, g) => {
        t++;
        const stepSize = lr / (1 - Math.pow(0.9, t));
        const inv = 1 / Math.sqrt(1 - Math.pow(0.999, t));
        for (let i = 0; i < n; i++) {
          const m = 0.9 * a[i] + 0.1 * g[i];
          const v = 0.999 * b[i] + 0.001 * g[i] * g[i];
          a[i] = m;
          b[i] = v;
          p[i] -= stepSize * (m / (Math.sqrt(v) * inv + 1e-8));
        }
      };
    }
    default:
      throw new Error(`no baseline for ${rule}`);
  }
}
