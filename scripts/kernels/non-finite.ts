// The gradient check of the Wasm backend, written by hand (no rule to declare): x − x is NaN exactly where x is not finite.

/**
 * From this many doubles on (512 KiB, past the L2 cache), the check reads the vector's two halves
 * side by side: one thread reading one stream from main memory gets about 13 GB/s here, two streams
 * about 20 (the check of 1e7 doubles: 0.47–0.53 ns per double in one stream, 0.35–0.37 in two).
 */
const TWO_STREAMS_FROM = 65536;

/**
 * `acc` += x − x for the doubles x that `load` reads at `address` + i: +0 where x is finite, NaN where
 * it is NaN or ±Infinity, and a NaN stays NaN. Two floating-point operations a pair (three integer
 * ones tested the exponent bits before: 0.79× the time on 10^3–10^5 doubles).
 */
const flag = (acc: string, load: string, address: string) => `(local.set $x (${load} (i32.add (local.get $${address}) (local.get $i))))
    (local.set $${acc} (f64x2.add (local.get $${acc}) (f64x2.sub (local.get $x) (local.get $x))))`;

/** 1 where any lane of the accumulators is NaN. */
const anyNaN = (...accs: string[]) => {
  const sum = accs.map((a) => `(local.get $${a})`).reduce((a, b) => `(f64x2.add ${a} ${b})`);
  return `(v128.any_true (f64x2.ne ${sum} ${sum}))`;
};

/**
 * `non_finite(values, n)`: 1 if any of the n doubles at `values` is NaN or ±Infinity, else 0. Each
 * pair's x − x summed into four accumulators (eight elements per iteration, no chain of additions
 * waiting on the one before) keeps the check as fast as memory delivers the gradient.
 * `non_finite_pair(a, b, n)`: the same over n doubles at a and n at b, read side by side (two
 * streams): a tree's gradient leaves, laid end to end, are checked as one vector's two halves are.
 */
export const nonFiniteText = `(func $non_finite (export "non_finite") (param $values i32) (param $n i32) (result i32)
  (local $half i32)
  (if (i32.lt_u (local.get $n) (i32.const ${TWO_STREAMS_FROM})) (then (return (call $non_finite_run (local.get $values) (local.get $n)))))
  ;; the two halves side by side (each a whole number of quads), then what is left after them
  (local.set $half (i32.and (i32.shr_u (local.get $n) (i32.const 1)) (i32.const -4)))
  (i32.or (call $non_finite_pair (local.get $values) (i32.add (local.get $values) (i32.shl (local.get $half) (i32.const 3))) (local.get $half))
    (call $non_finite_run (i32.add (local.get $values) (i32.shl (local.get $half) (i32.const 4))) (i32.sub (local.get $n) (i32.shl (local.get $half) (i32.const 1))))))

;; non_finite over two streams of n: their quads side by side, then what is left of each.
(func $non_finite_pair (export "non_finite_pair") (param $first i32) (param $second i32) (param $n i32) (result i32)
  (local $i i32) (local $quads i32) (local $a v128) (local $b v128) (local $c v128) (local $d v128) (local $x v128)
  (local.set $quads (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 3)))
  (block $done (loop $quad
    (br_if $done (i32.ge_u (local.get $i) (local.get $quads)))
    ${flag("a", "v128.load", "first")}
    ${flag("b", "v128.load offset=16", "first")}
    ${flag("c", "v128.load", "second")}
    ${flag("d", "v128.load offset=16", "second")}
    (local.set $i (i32.add (local.get $i) (i32.const 32)))
    (br $quad)))
  (i32.or ${anyNaN("a", "b", "c", "d")}
    (i32.or (call $non_finite_run (i32.add (local.get $first) (local.get $quads)) (i32.and (local.get $n) (i32.const 3)))
      (call $non_finite_run (i32.add (local.get $second) (local.get $quads)) (i32.and (local.get $n) (i32.const 3))))))

;; non_finite over one stream: eight elements per iteration, then pairs and a last one.
(func $non_finite_run (param $values i32) (param $n i32) (result i32)
  (local $i i32) (local $end i32) (local $octets i32) (local $pairs i32) (local $a v128) (local $b v128) (local $c v128) (local $d v128) (local $x v128)
  (local.set $end (i32.shl (local.get $n) (i32.const 3)))
  (local.set $octets (i32.and (local.get $end) (i32.const -64)))
  (local.set $pairs (i32.and (local.get $end) (i32.const -16)))
  (block $octets_done (loop $octet
    (br_if $octets_done (i32.ge_u (local.get $i) (local.get $octets)))
    ${flag("a", "v128.load", "values")}
    ${flag("b", "v128.load offset=16", "values")}
    ${flag("c", "v128.load offset=32", "values")}
    ${flag("d", "v128.load offset=48", "values")}
    (local.set $i (i32.add (local.get $i) (i32.const 64)))
    (br $octet)))
  (block $pairs_done (loop $pair
    (br_if $pairs_done (i32.ge_u (local.get $i) (local.get $pairs)))
    ${flag("a", "v128.load", "values")}
    (local.set $i (i32.add (local.get $i) (i32.const 16)))
    (br $pair)))
  (if (i32.lt_u (local.get $i) (local.get $end)) (then
    ${flag("b", "v128.load64_splat", "values")}))
  ${anyNaN("a", "b", "c", "d")})`;
