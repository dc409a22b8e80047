;; sin and cos on [−π/4, π/4] for an argument given as x + y: the twin of src/math/trig-kernels.ts
;; (fdlibm's __kernel_sin and __kernel_cos, k_sin.c and k_cos.c, Copyright (C) 1993 by Sun
;; Microsystems, Inc.; notice in THIRD_PARTY_NOTICES.md), the same operations in the same order, so the
;; two give the same bits. Included in the generated module by scripts/kernels/generate.ts.

;; fdlibm's GET_HIGH_WORD: the high 32 bits of x's encoding (sign, exponent, top of the mantissa).
(func $math_high_word (param $x f64) (result i32)
  (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $x)) (i64.const 32))))

;; sin(x + y); $tail 0 means y = 0 (fdlibm's iy = 0): x + v·(S1 + z·s), else the tail's correction.
(func $math_kernel_sin (param $x f64) (param $y f64) (param $tail i32) (result f64)
  (local $z f64) (local $v f64) (local $s f64)
  ;; |x| < 2^−27: sin x rounds to x
  (if (i32.lt_u (i32.and (call $math_high_word (local.get $x)) (i32.const 0x7fffffff)) (i32.const 0x3e400000)) (then (return (local.get $x))))
  (local.set $z (f64.mul (local.get $x) (local.get $x)))
  (local.set $v (f64.mul (local.get $z) (local.get $x)))
  (local.set $s (f64.add (f64.const 0x1.111111110f8a6p-7) (f64.mul (local.get $z)
    (f64.add (f64.const -0x1.a01a019c161d5p-13) (f64.mul (local.get $z)
    (f64.add (f64.const 0x1.71de357b1fe7dp-19) (f64.mul (local.get $z)
    (f64.add (f64.const -0x1.ae5e68a2b9cebp-26) (f64.mul (local.get $z) (f64.const 0x1.5d93a5acfd57cp-33))))))))))
  (if (result f64) (local.get $tail)
    (then
      ;; x − ((z·(y/2 − v·s) − y) − v·S1)
      (f64.sub (local.get $x) (f64.sub
        (f64.sub (f64.mul (local.get $z) (f64.sub (f64.mul (f64.const 0.5) (local.get $y)) (f64.mul (local.get $v) (local.get $s)))) (local.get $y))
        (f64.mul (local.get $v) (f64.const -0x1.5555555555549p-3)))))
    (else
      (f64.add (local.get $x) (f64.mul (local.get $v) (f64.add (f64.const -0x1.5555555555549p-3) (f64.mul (local.get $z) (local.get $s))))))))

;; cos(x + y): 1 − (z/2 − (z·c − x·y)) below |x| = 0.3, else with 1 − z/2 split as (1 − qx) − (z/2 − qx).
(func $math_kernel_cos (param $x f64) (param $y f64) (result f64)
  (local $ix i32) (local $z f64) (local $c f64) (local $qx f64)
  (local.set $ix (i32.and (call $math_high_word (local.get $x)) (i32.const 0x7fffffff)))
  ;; |x| < 2^−27: cos x rounds to 1
  (if (i32.lt_u (local.get $ix) (i32.const 0x3e400000)) (then (return (f64.const 1))))
  (local.set $z (f64.mul (local.get $x) (local.get $x)))
  (local.set $c (f64.mul (local.get $z)
    (f64.add (f64.const 0x1.555555555554cp-5) (f64.mul (local.get $z)
    (f64.add (f64.const -0x1.6c16c16c15177p-10) (f64.mul (local.get $z)
    (f64.add (f64.const 0x1.a01a019cb159p-16) (f64.mul (local.get $z)
    (f64.add (f64.const -0x1.27e4f809c52adp-22) (f64.mul (local.get $z)
    (f64.add (f64.const 0x1.1ee9ebdb4b1c4p-29) (f64.mul (local.get $z) (f64.const -0x1.8fae9be8838d4p-37)))))))))))))
  (if (i32.lt_u (local.get $ix) (i32.const 0x3fd33333)) (then
    ;; |x| < 0.3
    (return (f64.sub (f64.const 1) (f64.sub (f64.mul (f64.const 0.5) (local.get $z))
      (f64.sub (f64.mul (local.get $z) (local.get $c)) (f64.mul (local.get $x) (local.get $y))))))))
  ;; qx = 0.28125 for |x| > 0.78125, else |x|/4 cut to its high word (INSERT_WORDS(qx, ix − 2^21, 0))
  (local.set $qx (select
    (f64.const 0x1.2p-2)
    (f64.reinterpret_i64 (i64.shl (i64.extend_i32_u (i32.sub (local.get $ix) (i32.const 0x00200000))) (i64.const 32)))
    (i32.gt_u (local.get $ix) (i32.const 0x3fe90000))))
  (f64.sub (f64.sub (f64.const 1) (local.get $qx)) (f64.sub
    (f64.sub (f64.mul (f64.const 0.5) (local.get $z)) (local.get $qx))
    (f64.sub (f64.mul (local.get $z) (local.get $c)) (f64.mul (local.get $x) (local.get $y))))))
