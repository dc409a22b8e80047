// The gradient check of the Wasm backend, written by hand (no rule to declare): a sum first, then,
// only where the sum is not finite, an exact test.

/**
 * From this many doubles on (512 KiB, past the L2 cache), the check reads the vector's two halves
 * side by side: one thread reading one stream from main memory gets about 13 GB/s here, two streams
 * about 20 (the check of 1e7 doubles: 0.47–0.53 ns per double in one stream, 0.35–0.37 in two).
 */
const TWO_STREAMS_FROM = 65536;

/**
 * How a pass folds each pair x into its accumulator:
 * - "sum": acc + x. A sum of doubles is finite only if every term is (a NaN term makes it NaN; an
 *   infinite one makes it infinite or NaN, never finite again), so a finite sum clears the vector in
 *   one floating-point operation a pair. It can also overflow with every term finite: then the exact
 *   pass decides.
 * - "exact": acc + (x − x): +0 where x is finite, NaN where it is NaN or ±Infinity.
 */
type Fold = "sum" | "exact";

/** `acc` ← fold of the pair that `load` reads at `address` + i. */
const fold = (how: Fold, acc: string, load: string, address: string) => {
  const x = `(local.set $x (${load} (i32.add (local.get $${address}) (local.get $i))))`;
  const term = how === "sum" ? "(local.get $x)" : "(f64x2.sub (local.get $x) (local.get $x))";
  return `${x}
    (local.set $${acc} (f64x2.add (local.get $${acc}) ${term}))`;
};

/** 1 where any lane of the four accumulators a–d is not finite (acc − acc is NaN exactly there). */
const notFinite = (() => {
  const t = (acc: string) => `(f64x2.sub (local.get $${acc}) (local.get $${acc}))`;
  const all = `(f64x2.add (f64x2.add ${t("a")} ${t("b")}) (f64x2.add ${t("c")} ${t("d")}))`;
  return `(v128.any_true (f64x2.ne ${all} ${all}))`;
})();

const ACCUMULATORS = "(local $a v128) (local $b v128) (local $c v128) (local $d v128) (local $x v128)";

/** One stream, folded: eight elements per iteration into four accumulators, then pairs and a last one. */
function runText(how: Fold): string {
  return `(func $non_finite_${how} (param $values i32) (param $n i32) (result i32)
  (local $i i32) (local $end i32) (local $octets i32) (local $pairs i32) ${ACCUMULATORS}
  (local.set $end (i32.shl (local.get $n) (i32.const 3)))
  (local.set $octets (i32.and (local.get $end) (i32.const -64)))
  (local.set $pairs (i32.and (local.get $end) (i32.const -16)))
  (block $octets_done (loop $octet
    (br_if $octets_done (i32.ge_u (local.get $i) (local.get $octets)))
    ${fold(how, "a", "v128.load", "values")}
    ${fold(how, "b", "v128.load offset=16", "values")}
    ${fold(how, "c", "v128.load offset=32", "values")}
    ${fold(how, "d", "v128.load offset=48", "values")}
    (local.set $i (i32.add (local.get $i) (i32.const 64)))
    (br $octet)))
  (block $pairs_done (loop $pair
    (br_if $pairs_done (i32.ge_u (local.get $i) (local.get $pairs)))
    ${fold(how, "a", "v128.load", "values")}
    (local.set $i (i32.add (local.get $i) (i32.const 16)))
    (br $pair)))
  (if (i32.lt_u (local.get $i) (local.get $end)) (then
    ${fold(how, "b", "v128.load64_splat", "values")}))
  ${notFinite})`;
}

/** Two streams of n, folded side by side (four elements of each per iteration), then what is left of each. */
function pairText(how: Fold): string {
  return `(func $non_finite_pair_${how} (param $first i32) (param $second i32) (param $n i32) (result i32)
  (local $i i32) (local $quads i32) ${ACCUMULATORS}
  (local.set $quads (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 3)))
  (block $done (loop $quad
    (br_if $done (i32.ge_u (local.get $i) (local.get $quads)))
    ${fold(how, "a", "v128.load", "first")}
    ${fold(how, "b", "v128.load offset=16", "first")}
    ${fold(how, "c", "v128.load", "second")}
    ${fold(how, "d", "v128.load offset=16", "second")}
    (local.set $i (i32.add (local.get $i) (i32.const 32)))
    (br $quad)))
  (i32.or ${notFinite}
    (i32.or (call $non_finite_${how} (i32.add (local.get $first) (local.get $quads)) (i32.and (local.get $n) (i32.const 3)))
      (call $non_finite_${how} (i32.add (local.get $second) (local.get $quads)) (i32.and (local.get $n) (i32.const 3))))))`;
}

/**
 * `non_finite(values, n)`: 1 if any of the n doubles at `values` is NaN or ±Infinity, else 0.
 * `non_finite_pair(a, b, n)`: the same over n doubles at a and n at b, read side by side (two
 * streams): a tree's gradient leaves, laid end to end, are checked as one vector's two halves are.
 * Each runs the sum pass, and the exact pass only where the sum is not finite (a bad gradient, or
 * one whose sum overflows). At 10^3–10^5 doubles in cache, the sum pass takes about half the time
 * of an exact pass alone.
 */
export const nonFiniteText = `(func $non_finite (export "non_finite") (param $values i32) (param $n i32) (result i32)
  (local $half i32)
  (if (i32.lt_u (local.get $n) (i32.const ${TWO_STREAMS_FROM})) (then (return (call $non_finite_run (local.get $values) (local.get $n)))))
  ;; the two halves side by side (each a whole number of quads), then what is left after them
  (local.set $half (i32.and (i32.shr_u (local.get $n) (i32.const 1)) (i32.const -4)))
  (i32.or (call $non_finite_pair (local.get $values) (i32.add (local.get $values) (i32.shl (local.get $half) (i32.const 3))) (local.get $half))
    (call $non_finite_run (i32.add (local.get $values) (i32.shl (local.get $half) (i32.const 4))) (i32.sub (local.get $n) (i32.shl (local.get $half) (i32.const 1))))))

(func $non_finite_run (param $values i32) (param $n i32) (result i32)
  (if (result i32) (call $non_finite_sum (local.get $values) (local.get $n))
    (then (call $non_finite_exact (local.get $values) (local.get $n)))
    (else (i32.const 0))))

(func $non_finite_pair (export "non_finite_pair") (param $first i32) (param $second i32) (param $n i32) (result i32)
  (if (result i32) (call $non_finite_pair_sum (local.get $first) (local.get $second) (local.get $n))
    (then (call $non_finite_pair_exact (local.get $first) (local.get $second) (local.get $n)))
    (else (i32.const 0))))

${runText("sum")}

${runText("exact")}

${pairText("sum")}

${pairText("exact")}`;
