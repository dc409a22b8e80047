;; tanh x: the twin of src/math/tanh.ts (fdlibm's s_tanh.c, Copyright (C) 1993 by Sun Microsystems,
;; Inc.; notice in THIRD_PARTY_NOTICES.md), through $math_expm1 (expm1.wat), the same operations in
;; the same order, so the two give the same bits. Included in the generated module by
;; scripts/kernels/generate.ts; exported as math_tanh. $jx is the high word (i32, signed).
(func $math_tanh (export "math_tanh") (param $x f64) (result f64)
  (local $jx i32) (local $ix i32) (local $t f64) (local $z f64)
  (local.set $jx (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $x)) (i64.const 32))))
  (local.set $ix (i32.and (local.get $jx) (i32.const 0x7fffffff)))
  (if (i32.ge_s (local.get $ix) (i32.const 0x7ff00000)) (then
    ;; ±∞ or NaN: 1/x ± 1 gives ±1 or NaN
    (return (select
      (f64.add (f64.div (f64.const 1) (local.get $x)) (f64.const 1))
      (f64.sub (f64.div (f64.const 1) (local.get $x)) (f64.const 1))
      (i32.ge_s (local.get $jx) (i32.const 0))))))
  ;; |x| ≥ 22: ±1 (fdlibm's one − tiny, which rounds to 1)
  (if (i32.ge_s (local.get $ix) (i32.const 0x40360000)) (then
    (return (select (f64.const 1) (f64.const -1) (i32.ge_s (local.get $jx) (i32.const 0))))))
  ;; |x| < 2^−28: tanh x rounds to x
  (if (i32.lt_s (local.get $ix) (i32.const 0x3e300000)) (then (return (local.get $x))))
  (if (i32.ge_s (local.get $ix) (i32.const 0x3ff00000))
    (then
      ;; |x| ≥ 1: 1 − 2/(expm1(2|x|) + 2)
      (local.set $t (call $math_expm1 (f64.mul (f64.const 2) (f64.abs (local.get $x)))))
      (local.set $z (f64.sub (f64.const 1) (f64.div (f64.const 2) (f64.add (local.get $t) (f64.const 2))))))
    (else
      ;; −t/(t + 2), t = expm1(−2|x|)
      (local.set $t (call $math_expm1 (f64.mul (f64.const -2) (f64.abs (local.get $x)))))
      (local.set $z (f64.div (f64.neg (local.get $t)) (f64.add (local.get $t) (f64.const 2))))))
  (select (local.get $z) (f64.neg (local.get $z)) (i32.ge_s (local.get $jx) (i32.const 0))))
