// Each optimizer's update written inline as one hand-written fused loop over Float64Array, with no
// checks and the hyperparameters as constants: the floor for plain JavaScript, against which
// gradstep's step is measured. The arithmetic is the same as gradstep's default configuration.

/** A baseline update: same arithmetic as the rule, state captured in the closure. */
export type BaselineStep = (params: Float64Array, grad: Float64Array) => void;

/** The inline loop for an optimizer of the bench, or undefined if there is none. */
export function inlineBaseline(rule: string, n: number): BaselineStep | undefined {
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const lr = 1e-3;
  let t = 0;
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
    case "SGD":
      return (p, g) => {
        t++;
        for (let i = 0; i < n; i++) {
          const v = t === 1 ? g[i] : 0.9 * a[i] + g[i];
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
    case "Adam":
      return (p, g) => {
        t++;
        const stepSize = lr / (1 - Math.pow(0.9, t));
        const c = 1 / (1 - Math.pow(0.999, t));
        for (let i = 0; i < n; i++) {
          const m = 0.9 * a[i] + 0.1 * g[i];
          const v = 0.999 * b[i] + 0.001 * g[i] * g[i];
          a[i] = m;
          b[i] = v;
          p[i] -= stepSize * (m / (Math.sqrt(v * c) + 1e-8));
        }
      };
    case "Adamax":
      return (p, g) => {
        t++;
        const stepSize = lr / (1 - Math.pow(0.9, t));
        for (let i = 0; i < n; i++) {
          const m = 0.9 * a[i] + 0.1 * g[i];
          const u = Math.max(0.999 * b[i], Math.abs(g[i]) + 1e-8);
          a[i] = m;
          b[i] = u;
          p[i] -= stepSize * (m / u);
        }
      };
    case "NAdam": {
      // PyTorch ≥ 2.0's NAdam with ψ = 4e-3: μ_t and the running product are per-step scalars
      let product = 1;
      return (p, g) => {
        t++;
        const mu = 0.9 * (1 - 0.5 * Math.pow(0.96, t * 4e-3));
        const muNext = 0.9 * (1 - 0.5 * Math.pow(0.96, (t + 1) * 4e-3));
        product *= mu;
        const ga = (lr * (1 - mu)) / (1 - product);
        const mb = (lr * muNext) / (1 - product * muNext);
        const c = 1 / (1 - Math.pow(0.999, t));
        for (let i = 0; i < n; i++) {
          const m = 0.9 * a[i] + 0.1 * g[i];
          const v = 0.999 * b[i] + 0.001 * g[i] * g[i];
          a[i] = m;
          b[i] = v;
          const d = Math.sqrt(v * c) + 1e-8;
          p[i] -= ga * (g[i] / d) + mb * (m / d);
        }
      };
    }
    case "RAdam":
      return (p, g) => {
        t++;
        const c1 = 1 - Math.pow(0.9, t);
        const gt = Math.pow(0.999, t);
        const rhoInf = 2 / 0.001 - 1;
        const rhoT = rhoInf - (2 * t * gt) / (1 - gt);
        const rect = rhoT > 5 ? Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 0;
        const step = ((lr * rect) / c1) * Math.sqrt(1 - gt);
        for (let i = 0; i < n; i++) {
          const m = 0.9 * a[i] + 0.1 * g[i];
          const v = 0.999 * b[i] + 0.001 * g[i] * g[i];
          a[i] = m;
          b[i] = v;
          p[i] -= rhoT > 5 ? step * (m / (Math.sqrt(v) + 1e-8)) : (lr / c1) * m;
        }
      };
    case "Adadelta":
      return (p, g) => {
        for (let i = 0; i < n; i++) {
          const e = 0.9 * a[i] + 0.1 * g[i] * g[i];
          a[i] = e;
          const delta = (Math.sqrt(b[i] + 1e-6) / Math.sqrt(e + 1e-6)) * g[i];
          b[i] = 0.9 * b[i] + 0.1 * delta * delta;
          p[i] -= delta;
        }
      };
    case "Rprop": {
      a.fill(0);
      b.fill(0.01);
      return (p, g) => {
        for (let i = 0; i < n; i++) {
          let gi = g[i];
          const agreement = gi * a[i];
          const size = Math.min(Math.max(b[i] * (agreement > 0 ? 1.2 : agreement < 0 ? 0.5 : 1), 1e-6), 50);
          b[i] = size;
          if (agreement < 0) gi = 0;
          a[i] = gi;
          p[i] -= Math.sign(gi) * size;
        }
      };
    }
    case "ASGD": {
      // lr 1e-3 and PyTorch's λ = 1e-4, α = 0.75, t0 = 1e6: η and μ from the step count, the average a copy until t0
      let eta = lr;
      let mu = 1;
      return (p, g) => {
        t++;
        const shrink = 1 - 1e-4 * eta;
        for (let i = 0; i < n; i++) {
          const q = shrink * p[i] - eta * g[i];
          p[i] = q;
          a[i] = mu === 1 ? q : a[i] + (q - a[i]) * mu;
        }
        eta = lr / Math.pow(1 + 1e-4 * lr * t, 0.75);
        mu = 1 / Math.max(1, t - 1e6);
      };
    }
    default:
      return undefined;
  }
}
