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

;; e^x of both lanes of an f64x2: for each lane exactly the operations of $math_exp above (so the same
;; bits), two at a time. Lanes where |x| ≥ 707 (or NaN), where $math_exp may take its overflow,
;; underflow, subnormal or k = 1024 branches, go through $math_exp one by one. The branches of
;; $math_exp below that are lane selections here:
;; - k = ±1 below 1.5·ln2 is k·ln2's formula with t = ±1 (multiplying by ±1 is exact);
;; - both final forms divide r·c by 2 − c: fdlibm's (r·c)/(c − 2) is −((r·c)/(2 − c)) exactly, as
;;   c − 2 = −(2 − c) and rounding to nearest is symmetric;
;; - |x| < 2^−28 gives 1 + x, and x = 1 gives e as V8 has it.
(func $math_exp2 (param $x v128) (result v128)
  (local $ax v128) (local $neg v128) (local $big v128) (local $k v128) (local $t v128) (local $hi v128)
  (local $lo v128) (local $r v128) (local $r2 v128) (local $c v128) (local $q v128) (local $y v128)
  (local.set $ax (f64x2.abs (local.get $x)))
  (if (i32.eqz (i64x2.all_true (f64x2.lt (local.get $ax) (f64x2.splat (f64.const 707))))) (then
    (return (f64x2.replace_lane 1
      (f64x2.splat (call $math_exp (f64x2.extract_lane 0 (local.get $x))))
      (call $math_exp (f64x2.extract_lane 1 (local.get $x)))))))
  (local.set $neg (f64x2.lt (local.get $x) (f64x2.splat (f64.const 0))))
  (local.set $big (f64x2.ge (local.get $ax) (f64x2.splat (f64.const 0x1.62e43p-2))))
  ;; k: ±1 below 1.5·ln2, else trunc(x/ln2 ± 0.5); 0 where |x| ≤ 0.5·ln2 (as i32 in lanes 0 and 1)
  (local.set $k (i32x4.trunc_sat_f64x2_s_zero (f64x2.add
    (f64x2.mul (f64x2.splat (f64.const 0x1.71547652b82fep+0)) (local.get $x))
    (v128.bitselect (f64x2.splat (f64.const -0.5)) (f64x2.splat (f64.const 0.5)) (local.get $neg)))))
  (local.set $t (f64x2.convert_low_i32x4_s (local.get $k)))
  (local.set $t (v128.bitselect
    (v128.bitselect (f64x2.splat (f64.const -1)) (f64x2.splat (f64.const 1)) (local.get $neg))
    (local.get $t)
    (f64x2.lt (local.get $ax) (f64x2.splat (f64.const 0x1.0a2b2p+0)))))
  (local.set $t (v128.and (local.get $t) (local.get $big)))
  (local.set $k (i32x4.trunc_sat_f64x2_s_zero (local.get $t))) ;; the k the scale uses is the t the reduction used
  (local.set $hi (f64x2.sub (local.get $x) (f64x2.mul (local.get $t) (f64x2.splat (f64.const 0x1.62e42feep-1)))))
  (local.set $lo (f64x2.mul (local.get $t) (f64x2.splat (f64.const 0x1.a39ef35793c76p-33))))
  (local.set $r (v128.bitselect (f64x2.sub (local.get $hi) (local.get $lo)) (local.get $x) (local.get $big)))
  (local.set $r2 (f64x2.mul (local.get $r) (local.get $r)))
  (local.set $c (f64x2.sub (local.get $r) (f64x2.mul (local.get $r2)
    (f64x2.add (f64x2.splat (f64.const 0x1.555555555553ep-3)) (f64x2.mul (local.get $r2)
    (f64x2.add (f64x2.splat (f64.const -0x1.6c16c16bebd93p-9)) (f64x2.mul (local.get $r2)
    (f64x2.add (f64x2.splat (f64.const 0x1.1566aaf25de2cp-14)) (f64x2.mul (local.get $r2)
    (f64x2.add (f64x2.splat (f64.const -0x1.bbd41c5d26bf1p-20)) (f64x2.mul (local.get $r2) (f64x2.splat (f64.const 0x1.6376972bea4dp-25)))))))))))))
  (local.set $q (f64x2.div (f64x2.mul (local.get $r) (local.get $c)) (f64x2.sub (f64x2.splat (f64.const 2)) (local.get $c))))
  ;; k ≠ 0: (1 − ((lo − q) − hi))·2^k, 2^k from its exponent bits; k = 0: 1 − (−q − r)
  (local.set $y (v128.bitselect
    (f64x2.mul
      (f64x2.sub (f64x2.splat (f64.const 1)) (f64x2.sub (f64x2.sub (local.get $lo) (local.get $q)) (local.get $hi)))
      (i64x2.shl (i64x2.add (i64x2.extend_low_i32x4_s (local.get $k)) (i64x2.splat (i64.const 1023))) (i32.const 52)))
    (f64x2.sub (f64x2.splat (f64.const 1)) (f64x2.sub (f64x2.neg (local.get $q)) (local.get $r)))
    (local.get $big)))
  (local.set $y (v128.bitselect (f64x2.add (f64x2.splat (f64.const 1)) (local.get $x)) (local.get $y)
    (f64x2.lt (local.get $ax) (f64x2.splat (f64.const 0x1p-28)))))
  (v128.bitselect (f64x2.splat (f64.const 0x1.5bf0a8b145769p+1)) (local.get $y) (f64x2.eq (local.get $x) (f64x2.splat (f64.const 1)))))

;; $math_exp2 over n doubles at `in` into `out` (n even): the bit-identity tests' millions of inputs in one call.
(func $math_exp2_array (export "math_exp2_array") (param $in i32) (param $out i32) (param $n i32)
  (local $i i32)
  (block $done (loop $pair
    (br_if $done (i32.ge_u (local.get $i) (i32.shl (local.get $n) (i32.const 3))))
    (v128.store (i32.add (local.get $out) (local.get $i)) (call $math_exp2 (v128.load (i32.add (local.get $in) (local.get $i)))))
    (local.set $i (i32.add (local.get $i) (i32.const 16)))
    (br $pair))))
