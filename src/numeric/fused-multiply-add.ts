// PyTorch's CPU kernels compute `x.add_(y, alpha=a)` as one fused multiply-add per element,
// fma(a, y, x) = a·y + x rounded once; JavaScript has no Math.fma. This emulates it with
// error-free transformations: the product's rounding error by Veltkamp splitting (Dekker's
// TwoProduct), the sum's by Knuth's TwoSum, both added back. The result is the correctly rounded
// a·y + x except where the exact value lies within about 2⁻¹⁰⁵ relative of a rounding midpoint
// (the two error terms are themselves added with one rounding), and where a·y overflows or the
// terms are subnormal.

const SPLITTER = 134217729; // 2^27 + 1

/**
 * a·b + c with (nearly always) one rounding, as a hardware fused multiply-add computes it.
 * @internal
 */
export function fusedMultiplyAdd(a: number, b: number, c: number): number {
  const p = a * b;
  if (!Number.isFinite(p) || p === 0 || !Number.isFinite(c)) return p + c;
  // TwoProduct: p + e = a·b exactly
  let t = SPLITTER * a;
  const aHigh = t - (t - a);
  const aLow = a - aHigh;
  t = SPLITTER * b;
  const bHigh = t - (t - b);
  const bLow = b - bHigh;
  const e = aLow * bLow - (((p - aHigh * bHigh) - aLow * bHigh) - aHigh * bLow);
  // TwoSum: s + r = p + c exactly
  const s = p + c;
  const v = s - p;
  const r = (p - (s - v)) + (c - v);
  return s + (r + e);
}

/**
 * out[i] = {@link fusedMultiplyAdd}(a[slot], x[from + i], y[i]) for i < n (`out` may be `y`), the
 * arithmetic written out in the loop: no double is passed to a call or returned from one. A call
 * that V8's optimizing compiler does not inline boxes its double arguments and its result, and
 * whether it inlines one depends on a budget shared by the whole caller: bundled (fusedMultiplyAdd
 * 4 bytes of bytecode shorter, its constant a `var`), LBFGS's step along d after a line search was
 * left a call once fixed-step LBFGS had run first, three heap numbers an element. The coefficient
 * is read from an array for the same reason, at the first element (an entry pass: nothing is
 * computed before the loop's first back edge, see src/kernels/scalars.ts).
 * @internal
 */
export function fusedMultiplyAddInto(out: Float64Array, a: Float64Array, slot: number, x: Float64Array, from: number, y: Float64Array, n: number): void {
  let alpha = 0;
  for (let i = -1; i < n; i++) {
    if (i <= 0) {
      if (i < 0) continue; // the entry pass: no number is made before this loop's first back edge (see scalars.ts)
      alpha = a[slot];
    }
    const b = x[from + i];
    const c = y[i];
    const p = alpha * b;
    if (!Number.isFinite(p) || p === 0 || !Number.isFinite(c)) {
      out[i] = p + c;
      continue;
    }
    let t = SPLITTER * alpha;
    const aHigh = t - (t - alpha);
    const aLow = alpha - aHigh;
    t = SPLITTER * b;
    const bHigh = t - (t - b);
    const bLow = b - bHigh;
    const e = aLow * bLow - (((p - aHigh * bHigh) - aLow * bHigh) - aHigh * bLow);
    const s = p + c;
    const v = s - p;
    const r = (p - (s - v)) + (c - v);
    out[i] = s + (r + e);
  }
}
