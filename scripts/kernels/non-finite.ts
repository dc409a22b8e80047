// The gradient check of the Wasm backend, written by hand: integer lane tests, no rule to declare.

/**
 * From this many doubles on (512 KiB, past the L2 cache), the check reads the vector's two halves
 * side by side: one thread reading one stream from main memory gets about 13 GB/s here, two streams
 * about 20 (the check of 1e7 doubles: 0.47–0.53 ns per double in one stream, 0.35–0.37 in two).
 */
const TWO_STREAMS_FROM = 65536;

/** `acc` |= the lanes of the doubles `load` reads at `address` + i whose exponent bits are all ones. */
const flag = (acc: string, load: string, address: string) => `(local.set $${acc} (v128.or (local.get $${acc})
      (i64x2.eq (v128.and (${load} (i32.add (local.get $${address}) (local.get $i))) (local.get $exponent)) (local.get $exponent))))`;

/**
 * `non_finite(values, n)`: 1 if any of the n doubles at `values` is NaN or ±Infinity, else 0: those
 * whose exponent bits are all ones. Integer lane operations (one cycle each) ORed into accumulators,
 * four elements per iteration, keep the check as fast as memory delivers the gradient.
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
  (local $i i32) (local $quads i32) (local $a v128) (local $b v128) (local $exponent v128)
  (local.set $exponent (v128.const i64x2 0x7ff0000000000000 0x7ff0000000000000))
  (local.set $quads (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 3)))
  (block $done (loop $quad
    (br_if $done (i32.ge_u (local.get $i) (local.get $quads)))
    ${flag("a", "v128.load", "first")}
    ${flag("a", "v128.load offset=16", "first")}
    ${flag("b", "v128.load", "second")}
    ${flag("b", "v128.load offset=16", "second")}
    (local.set $i (i32.add (local.get $i) (i32.const 32)))
    (br $quad)))
  (i32.or (v128.any_true (v128.or (local.get $a) (local.get $b)))
    (i32.or (call $non_finite_run (i32.add (local.get $first) (local.get $quads)) (i32.and (local.get $n) (i32.const 3)))
      (call $non_finite_run (i32.add (local.get $second) (local.get $quads)) (i32.and (local.get $n) (i32.const 3))))))

;; non_finite over one stream: four elements per iteration, then a pair and a last one.
(func $non_finite_run (param $values i32) (param $n i32) (result i32)
  (local $i i32) (local $end i32) (local $quads i32) (local $pairs i32) (local $a v128) (local $b v128) (local $exponent v128)
  (local.set $exponent (v128.const i64x2 0x7ff0000000000000 0x7ff0000000000000))
  (local.set $end (i32.shl (local.get $n) (i32.const 3)))
  (local.set $quads (i32.and (local.get $end) (i32.const -32)))
  (local.set $pairs (i32.and (local.get $end) (i32.const -16)))
  (block $quads_done (loop $quad
    (br_if $quads_done (i32.ge_u (local.get $i) (local.get $quads)))
    ${flag("a", "v128.load", "values")}
    ${flag("b", "v128.load offset=16", "values")}
    (local.set $i (i32.add (local.get $i) (i32.const 32)))
    (br $quad)))
  (if (i32.lt_u (local.get $i) (local.get $pairs)) (then
    ${flag("a", "v128.load", "values")}
    (local.set $i (i32.add (local.get $i) (i32.const 16)))))
  (if (i32.lt_u (local.get $i) (local.get $end)) (then
    ${flag("b", "v128.load64_splat", "values")}))
  (v128.any_true (v128.or (local.get $a) (local.get $b))))`;
