;; e^x: the twin of src/math/exp.ts (fdlibm's e_exp.c, Copyright (C) 2004 by Sun Microsystems, Inc.;
;; notice in THIRD_PARTY_NOTICES.md), the same operations in the same order, so the two give the same
;; bits. Included in the generated module by scripts/kernels/generate.ts; exported as math_exp.
(func $math_exp (export "math_exp") (param $x f64) (result f64)
  (local $ax f64) (local $hi f64) (local $lo f64) (local $t f64) (local $c f64) (local $y f64) (local $k i32)
  (local.set $ax (f64.abs (local.get $x)))
  ;; |x| ≥ 709.78 (high word 0x40862E42) or NaN: non-finite, overflow, underflow
  (if (i32.eqz (f64.lt (local.get $ax) (f64.const 0x1.62e42p+9))) (then
    (if (f64.ne (local.get $x) (local.get $x)) (then (return (f64.add (local.get $x) (local.get $x)))))
    (if (f64.eq (local.get $ax) (f64.const inf)) (then
      (return (select (local.get $x) (f64.const 0) (f64.gt (local.get $x) (f64.const 0))))))
    (if (f64.gt (local.get $x) (f64.const 0x1.62e42fefa39efp+9)) (then (return (f64.const inf))))
    (if (f64.lt (local.get $x) (f64.const -0x1.74910d52d3051p+9)) (then (return (f64.const 0))))))
  (if (f64.ge (local.get $ax) (f64.const 0x1.62e43p-2)) (then
    ;; |x| > 0.5·ln2: x = k·ln2 + (hi − lo)
    (if (f64.lt (local.get $ax) (f64.const 0x1.0a2b2p+0)) (then
      (if (f64.eq (local.get $x) (f64.const 1)) (then (return (f64.const 0x1.5bf0a8b145769p+1))))
      (if (f64.lt (local.get $x) (f64.const 0)) (then
        (local.set $hi (f64.sub (local.get $x) (f64.const -0x1.62e42feep-1)))
        (local.set $lo (f64.const -0x1.a39ef35793c76p-33))
        (local.set $k (i32.const -1)))
      (else
        (local.set $hi (f64.sub (local.get $x) (f64.const 0x1.62e42feep-1)))
        (local.set $lo (f64.const 0x1.a39ef35793c76p-33))
        (local.set $k (i32.const 1)))))
    (else
      (local.set $k (i32.trunc_f64_s (f64.add
        (f64.mul (f64.const 0x1.71547652b82fep+0) (local.get $x))
        (select (f64.const -0.5) (f64.const 0.5) (f64.lt (local.get $x) (f64.const 0))))))
      (local.set $t (f64.convert_i32_s (local.get $k)))
      (local.set $hi (f64.sub (local.get $x) (f64.mul (local.get $t) (f64.const 0x1.62e42feep-1))))
      (local.set $lo (f64.mul (local.get $t) (f64.const 0x1.a39ef35793c76p-33)))))
    (local.set $x (f64.sub (local.get $hi) (local.get $lo))))
  (else
    (if (f64.lt (local.get $ax) (f64.const 0x1p-28)) (then (return (f64.add (f64.const 1) (local.get $x)))))))
  ;; x is now in [−0.5·ln2, 0.5·ln2]
  (local.set $t (f64.mul (local.get $x) (local.get $x)))
  (local.set $c (f64.sub (local.get $x) (f64.mul (local.get $t)
    (f64.add (f64.const 0x1.555555555553ep-3) (f64.mul (local.get $t)
    (f64.add (f64.const -0x1.6c16c16bebd93p-9) (f64.mul (local.get $t)
    (f64.add (f64.const 0x1.1566aaf25de2cp-14) (f64.mul (local.get $t)
    (f64.add (f64.const -0x1.bbd41c5d26bf1p-20) (f64.mul (local.get $t) (f64.const 0x1.6376972bea4dp-25))))))))))))
  (if (i32.eqz (local.get $k)) (then
    (return (f64.sub (f64.const 1) (f64.sub
      (f64.div (f64.mul (local.get $x) (local.get $c)) (f64.sub (local.get $c) (f64.const 2)))
      (local.get $x))))))
  (local.set $y (f64.sub (f64.const 1) (f64.sub
    (f64.sub (local.get $lo) (f64.div (f64.mul (local.get $x) (local.get $c)) (f64.sub (f64.const 2) (local.get $c))))
    (local.get $hi))))
  (if (i32.ge_s (local.get $k) (i32.const -1021)) (then
    (if (i32.eq (local.get $k) (i32.const 1024)) (then
      (return (f64.mul (f64.mul (local.get $y) (f64.const 2)) (f64.const 0x1p+1023)))))
    ;; y·2^k, 2^k from its exponent bits
    (return (f64.mul (local.get $y) (f64.reinterpret_i64 (i64.shl
      (i64.extend_i32_u (i32.add (local.get $k) (i32.const 1023))) (i64.const 52)))))))
  ;; 2^k·y is subnormal: scale by 2^(k+1000), then by 2^−1000, rounding once
  (f64.mul (f64.mul (local.get $y) (f64.reinterpret_i64 (i64.shl
    (i64.extend_i32_u (i32.add (local.get $k) (i32.const 2023))) (i64.const 52))))
    (f64.const 0x1p-1000)))
