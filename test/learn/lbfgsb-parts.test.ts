// The parts of L-BFGS-B against dense linear algebra written here: the compact matrix's middle
// product M·v, the Cholesky factor and triangular solves, the breakpoint heap, and the Cauchy point
// as the first local minimiser of the model along the projected gradient path.
import { describe, expect, it } from "vitest";
import { createRandom as createArc4 } from "gradstep/learn";
import { AT_LOWER, AT_UPPER, cauchyPoint, FREE, heapSelectLeast, UNBOUNDED } from "../../src/solvers/lbfgsb-cauchy.js";
import { choleskyUpper, formT, middleTimes, RING_COL, RING_HEAD, solveUpper, solveUpperTransposed, updateMemory } from "../../src/solvers/lbfgsb-compact.js";
import { DR, DTD, SBGNRM, STP, THETA } from "../../src/solvers/lbfgsb-scalars.js";

/** uniform() in [0, 1) and normal() (Box–Muller) from the library's seeded generator. */
function createRandom(seed: number) {
  const r = createArc4(seed);
  return {
    uniform: () => r.next(),
    normal: () => Math.sqrt(-2 * Math.log(1 - r.next())) * Math.cos(2 * Math.PI * r.next()),
  };
}

/** Solves A x = b by Gaussian elimination with partial pivoting (dense, row-major n × n). */
function solveDense(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(m[i][k]) > Math.abs(m[p][k])) p = i;
    [m[k], m[p]] = [m[p], m[k]];
    for (let i = k + 1; i < n; i++) {
      const f = m[i][k] / m[k][k];
      for (let j = k; j <= n; j++) m[i][j] -= f * m[k][j];
    }
  }
  const x = new Array(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = m[i][n];
    for (let j = i + 1; j < n; j++) s -= m[i][j] * x[j];
    x[i] = s / m[i][i];
  }
  return x;
}

/** A memory of `pairs` pairs (s, y) with sᵀy > 0 in n dimensions, stored as L-BFGS-B stores them. */
function memory(n: number, m: number, pairs: number, seed: number) {
  const random = createRandom(seed);
  const ws = new Float64Array(n * m);
  const wy = new Float64Array(n * m);
  const sy = new Float64Array(m * m);
  const ss = new Float64Array(m * m);
  const wt = new Float64Array(m * m);
  const ring = new Int32Array(3);
  const v = new Float64Array(11);
  const S: number[][] = [];
  const Y: number[][] = [];
  for (let k = 1; k <= pairs; k++) {
    const d = Float64Array.from({ length: n }, () => random.normal());
    // y = A s for a fixed SPD A = diag(1..n) + 0.1·11ᵀ, so every sᵀy > 0.
    const sum = d.reduce((a, b) => a + b, 0);
    const r = Float64Array.from(d, (di, i) => (i + 1) * di + 0.1 * sum);
    let dr = 0;
    let rr = 0;
    let dtd = 0;
    for (let i = 0; i < n; i++) {
      dr += d[i] * r[i];
      rr += r[i] * r[i];
      dtd += d[i] * d[i];
    }
    v[DR] = dr;
    v[STP] = 1;
    v[DTD] = dtd;
    updateMemory(n, m, ws, wy, sy, ss, d, r, ring, k, v);
    v[THETA] = rr / dr;
    S.push(Array.from(d));
    Y.push(Array.from(r));
  }
  const col = ring[RING_COL];
  expect(formT(m, wt, sy, ss, col, v)).toBe(0);
  // The pairs kept, oldest first.
  return { ws, wy, sy, ss, wt, ring, v, col, S: S.slice(-col), Y: Y.slice(-col), theta: v[THETA] };
}

describe("L-BFGS-B's compact representation", () => {
  it("M·v equals the dense inverse of [−D, Lᵀ; L, θSᵀS] applied to v, with the ring wrapped", () => {
    for (const [n, m, pairs] of [[5, 3, 2], [6, 3, 5], [8, 4, 4], [7, 5, 9]]) {
      const { sy, wt, col, S, Y, theta } = memory(n, m, pairs, 17 + pairs);
      const StY = S.map((s) => Y.map((y) => s.reduce((a, si, i) => a + si * y[i], 0)));
      const StS = S.map((s) => S.map((t) => s.reduce((a, si, i) => a + si * t[i], 0)));
      const K: number[][] = [];
      for (let i = 0; i < 2 * col; i++) {
        K.push([]);
        for (let j = 0; j < 2 * col; j++) {
          if (i < col && j < col) K[i].push(i === j ? -StY[i][i] : 0);
          else if (i < col) K[i].push(j - col < i ? StY[i][j - col] : 0); // Lᵀ: (i, j) = (SᵀY)_{j,i}, j > i
          else if (j < col) K[i].push(j < i - col ? StY[i - col][j] : 0); // L: strictly lower SᵀY
          else K[i].push(theta * StS[i - col][j - col]);
        }
      }
      // Lᵀ block: row i, column j − col holds L_{j−col, i} = (SᵀY)_{j−col, i} for j − col > i.
      for (let i = 0; i < col; i++) for (let j = 0; j < col; j++) K[i][col + j] = j > i ? StY[j][i] : 0;
      const vIn = Float64Array.from({ length: 2 * col }, (_, i) => Math.sin(i + 1));
      const p = new Float64Array(2 * col);
      expect(middleTimes(m, sy, wt, col, vIn, 0, p, 0)).toBe(0);
      const expected = solveDense(K, Array.from(vIn));
      for (let i = 0; i < 2 * col; i++) expect(Math.abs(p[i] - expected[i])).toBeLessThan(1e-10 * Math.max(1, Math.abs(expected[i])));
    }
  });

  it("choleskyUpper, solveUpperTransposed and solveUpper solve an SPD system", () => {
    const a = [
      [4, 1, 0.5],
      [1, 3, 0.2],
      [0.5, 0.2, 2],
    ];
    const packed = new Float64Array(9);
    for (let i = 0; i < 3; i++) for (let j = i; j < 3; j++) packed[i + 3 * j] = a[i][j];
    expect(choleskyUpper(packed, 0, 3, 3)).toBe(0);
    const b = Float64Array.of(1, 2, 3);
    solveUpperTransposed(packed, 0, 3, 3, b, 0);
    solveUpper(packed, 0, 3, 3, b, 0);
    const expected = solveDense(a, [1, 2, 3]);
    for (let i = 0; i < 3; i++) expect(b[i]).toBeCloseTo(expected[i], 14);
    // Not positive definite: the order of the failing minor.
    const bad = Float64Array.of(1, 0, 2, 1);
    expect(choleskyUpper(bad, 0, 2, 2)).toBe(2);
  });
});

describe("L-BFGS-B's breakpoint heap", () => {
  it("hands out the breakpoints in increasing order", () => {
    const random = createRandom(5);
    const n = 23;
    const t = Float64Array.from({ length: n }, () => random.uniform());
    const order = Int32Array.from({ length: n }, (_, i) => i);
    const original = t.slice();
    const out: number[] = [];
    for (let k = 0; k < n; k++) {
      heapSelectLeast(n - k, t, order, k);
      out.push(t[n - k - 1]);
      expect(original[order[n - k - 1]]).toBe(t[n - k - 1]);
    }
    expect(out).toEqual(Array.from(original).sort((a, b) => a - b));
  });
});

describe("L-BFGS-B's Cauchy point", () => {
  it("is the first local minimiser of the model along the projected gradient path", () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const n = 6;
      const m = 3;
      const mem = memory(n, m, seed % 4, 100 + seed);
      const random = createRandom(seed);
      const lower = Float64Array.from({ length: n }, (_, i) => (i % 3 === 2 ? -Infinity : -0.5 - random.uniform()));
      const upper = Float64Array.from({ length: n }, (_, i) => (i % 3 === 1 ? Infinity : 0.5 + random.uniform()));
      const nbd = Int32Array.from({ length: n }, (_, i) => (lower[i] > -Infinity ? (upper[i] < Infinity ? 2 : 1) : upper[i] < Infinity ? 3 : 0));
      const x = Float64Array.from({ length: n }, (_, i) => Math.min(Math.max(random.normal() * 0.3, lower[i]), upper[i]));
      const g = Float64Array.from({ length: n }, () => 3 * random.normal());
      const iwhere = Int32Array.from(nbd, (k) => (k === 0 ? UNBOUNDED : FREE));
      const theta = mem.col > 0 ? mem.theta : 1;
      const v = mem.v;
      v[THETA] = theta;
      v[SBGNRM] = 1;
      const work = {
        n, m, nbd, lower, upper, iwhere,
        order: new Int32Array(n), breakpoints: new Float64Array(n), d: new Float64Array(n),
        ws: mem.ws, wy: mem.wy, sy: mem.sy, wt: mem.wt, wa: new Float64Array(8 * m),
      };
      const xcp = new Float64Array(n);
      expect(cauchyPoint(work, x, g, xcp, mem.col, mem.ring[RING_HEAD], v)).toBe(0);
      // The dense model: B = θI − W M Wᵀ, with B·z = θz − W M (Wᵀz).
      const model = (z: Float64Array) => {
        const dz = Array.from(z, (zi, i) => zi - x[i]);
        const wtz = new Float64Array(2 * mem.col);
        for (let j = 0; j < mem.col; j++) {
          for (let i = 0; i < n; i++) {
            wtz[j] += mem.Y[j][i] * dz[i];
            wtz[mem.col + j] += theta * mem.S[j][i] * dz[i];
          }
        }
        const mw = new Float64Array(2 * mem.col);
        if (mem.col > 0) middleTimes(m, mem.sy, mem.wt, mem.col, wtz, 0, mw, 0);
        let q = 0;
        for (let i = 0; i < n; i++) {
          let bz = theta * dz[i];
          for (let j = 0; j < mem.col; j++) bz -= mem.Y[j][i] * mw[j] + theta * mem.S[j][i] * mw[mem.col + j];
          q += g[i] * dz[i] + 0.5 * dz[i] * bz;
        }
        return q;
      };
      const path = (t: number) => Float64Array.from(x, (xi, i) => Math.min(Math.max(xi - t * g[i], lower[i]), upper[i]));
      // x_c lies on the path: find its t, then check q does not decrease just before or after it,
      // and that q decreases monotonically from t = 0 to there.
      let tc = 0;
      for (let i = 0; i < n; i++) if (g[i] !== 0 && xcp[i] !== lower[i] && xcp[i] !== upper[i]) tc = Math.max(tc, (x[i] - xcp[i]) / g[i]);
      const onPath = path(tc);
      for (let i = 0; i < n; i++) expect(Math.abs(onPath[i] - xcp[i])).toBeLessThan(1e-12);
      const qc = model(xcp);
      expect(model(path(tc * 1.001 + 1e-9))).toBeGreaterThanOrEqual(qc - 1e-12);
      if (tc > 0) expect(model(path(tc * 0.999))).toBeGreaterThanOrEqual(qc - 1e-12);
      let previous = model(x);
      for (let k = 1; k <= 50; k++) {
        const q = model(path((tc * k) / 50));
        expect(q).toBeLessThanOrEqual(previous + 1e-12);
        previous = q;
      }
      for (let i = 0; i < n; i++) if (iwhere[i] === AT_LOWER) expect(xcp[i]).toBe(lower[i]);
      for (let i = 0; i < n; i++) if (iwhere[i] === AT_UPPER) expect(xcp[i]).toBe(upper[i]);
    }
  });
});
