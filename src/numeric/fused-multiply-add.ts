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
