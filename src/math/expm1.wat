;; e^x − 1: the twin of src/math/expm1.ts (fdlibm's s_expm1.c, Copyright (C) 1993 by Sun
;; Microsystems, Inc.; notice in THIRD_PARTY_NOTICES.md), the same operations in the same order, so
;; the two give the same bits; tanh.wat's building block. Included in the generated module by
;; scripts/kernels/generate.ts; exported as math_expm1. $hx is |x|'s high word, as fdlibm reads it;
;; 2^j is built from its exponent bits (the JavaScript port reads the same doubles from a table).
(func $math_expm1 (export "math_expm1") (param $x f64) (result f64)
  (local $hx i32) (local $negative i32) (local $k i32)
  (local $c f64) (local $hi f64) (local $lo f64) (local $hfx f64) (local $hxs f64) (local $r1 f64) (local $t f64) (local $e f64) (local $y f64)
  (local.set $hx (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $x)) (i64.const 32))))
  (local.set $negative (i32.lt_s (local.get $hx) (i32.const 0)))
  (local.set $hx (i32.and (local.get $hx) (i32.const 0x7fffffff)))
  (if (i32.ge_s (local.get $hx) (i32.const 0x4043687a)) (then
    ;; |x| ≥ 56·ln2
    (if (i32.ge_s (local.get $hx) (i32.const 0x40862e42)) (then
      (if (f64.ne (local.get $x) (local.get $x)) (then (return (f64.add (local.get $x) (local.get $x)))))
      (if (f64.eq (local.get $x) (f64.const inf)) (then (return (local.get $x))))
      (if (f64.eq (local.get $x) (f64.const -inf)) (then (return (f64.const -1))))
      (if (f64.gt (local.get $x) (f64.const 0x1.62e42fefa39efp+9)) (then (return (f64.const inf))))))
    (if (local.get $negative) (then (return (f64.const -1))))))
  (if (i32.gt_s (local.get $hx) (i32.const 0x3fd62e42))
    (then
      ;; |x| > ln2/2: x = k·ln2 + (hi − lo), k = ±1 below 1.5·ln2, else round(x/ln2)
      (local.set $k (if (result i32) (i32.lt_s (local.get $hx) (i32.const 0x3ff0a2b2))
        (then (select (i32.const -1) (i32.const 1) (local.get $negative)))
        (else (i32.trunc_f64_s (f64.add (f64.mul (f64.const 0x1.71547652b82fep+0) (local.get $x))
          (select (f64.const -0.5) (f64.const 0.5) (local.get $negative)))))))
      (local.set $hi (f64.sub (local.get $x) (f64.mul (f64.convert_i32_s (local.get $k)) (f64.const 0x1.62e42feep-1))))
      (local.set $lo (f64.mul (f64.convert_i32_s (local.get $k)) (f64.const 0x1.a39ef35793c76p-33)))
      (local.set $x (f64.sub (local.get $hi) (local.get $lo)))
      (local.set $c (f64.sub (f64.sub (local.get $hi) (local.get $x)) (local.get $lo))))
    (else
      ;; |x| < 2^−54: e^x − 1 rounds to x
      (if (i32.lt_s (local.get $hx) (i32.const 0x3c900000)) (then (return (local.get $x))))))
  ;; x is now in [−ln2/2, ln2/2]
  (local.set $hfx (f64.mul (f64.const 0.5) (local.get $x)))
  (local.set $hxs (f64.mul (local.get $x) (local.get $hfx)))
  (local.set $r1 (f64.add (f64.const 1) (f64.mul (local.get $hxs)
    (f64.add (f64.const -0x1.11111111110f4p-5) (f64.mul (local.get $hxs)
    (f64.add (f64.const 0x1.a01a019fe5585p-10) (f64.mul (local.get $hxs)
    (f64.add (f64.const -0x1.4ce199eaadbb7p-14) (f64.mul (local.get $hxs)
    (f64.add (f64.const 0x1.0cfca86e65239p-18) (f64.mul (local.get $hxs) (f64.const -0x1.afdb76e09c32dp-23))))))))))))
  (local.set $t (f64.sub (f64.const 3) (f64.mul (local.get $r1) (local.get $hfx))))
  (local.set $e (f64.mul (local.get $hxs) (f64.div (f64.sub (local.get $r1) (local.get $t))
    (f64.sub (f64.const 6) (f64.mul (local.get $x) (local.get $t))))))
  (if (i32.eqz (local.get $k)) (then ;; c is 0
    (return (f64.sub (local.get $x) (f64.sub (f64.mul (local.get $x) (local.get $e)) (local.get $hxs))))))
  (local.set $e (f64.sub (f64.mul (local.get $x) (f64.sub (local.get $e) (local.get $c))) (local.get $c)))
  (local.set $e (f64.sub (local.get $e) (local.get $hxs)))
  (if (i32.eq (local.get $k) (i32.const -1)) (then
    (return (f64.sub (f64.mul (f64.const 0.5) (f64.sub (local.get $x) (local.get $e))) (f64.const 0.5)))))
  (if (i32.eq (local.get $k) (i32.const 1)) (then
    (if (f64.lt (local.get $x) (f64.const -0.25)) (then
      (return (f64.mul (f64.const -2) (f64.sub (local.get $e) (f64.add (local.get $x) (f64.const 0.5)))))))
    (return (f64.add (f64.const 1) (f64.mul (f64.const 2) (f64.sub (local.get $x) (local.get $e)))))))
  (if (i32.or (i32.le_s (local.get $k) (i32.const -2)) (i32.gt_s (local.get $k) (i32.const 56))) (then
    ;; e^x − 1 = 2^k·e^r − 1 loses nothing here
    (local.set $y (f64.sub (f64.const 1) (f64.sub (local.get $e) (local.get $x))))
    (local.set $y (if (result f64) (i32.eq (local.get $k) (i32.const 1024))
      (then (f64.mul (f64.mul (local.get $y) (f64.const 2)) (f64.const 0x1p+1023)))
      (else (f64.mul (local.get $y) (call $math_expm1_power (local.get $k))))))
    (return (f64.sub (local.get $y) (f64.const 1)))))
  (if (i32.lt_s (local.get $k) (i32.const 20)) (then
    ;; 1 − 2^−k is exact
    (return (f64.mul
      (f64.sub (f64.sub (f64.const 1) (call $math_expm1_power (i32.sub (i32.const 0) (local.get $k)))) (f64.sub (local.get $e) (local.get $x)))
      (call $math_expm1_power (local.get $k))))))
  (local.set $y (f64.sub (local.get $x) (f64.add (local.get $e) (call $math_expm1_power (i32.sub (i32.const 0) (local.get $k))))))
  (local.set $y (f64.add (local.get $y) (f64.const 1)))
  (f64.mul (local.get $y) (call $math_expm1_power (local.get $k))))

;; 2^j for a normal power (−1022 ≤ j ≤ 1023), from its exponent bits.
(func $math_expm1_power (param $j i32) (result f64)
  (f64.reinterpret_i64 (i64.shl (i64.extend_i32_u (i32.add (local.get $j) (i32.const 1023))) (i64.const 52))))
