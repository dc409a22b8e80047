;; log(1 + x): the twin of src/math/log1p.ts (fdlibm's s_log1p.c, Copyright (C) 1993 by Sun
;; Microsystems, Inc.; notice in THIRD_PARTY_NOTICES.md), the same operations in the same order, so the
;; two give the same bits. Included in the generated module by scripts/kernels/generate.ts; exported
;; as math_log1p. $hx and $hu are high words (i32, signed), as fdlibm's GET_HIGH_WORD reads them.
(func $math_log1p (export "math_log1p") (param $x f64) (result f64)
  (local $hx i32) (local $ax i32) (local $k i32) (local $hu i32)
  (local $f f64) (local $c f64) (local $u f64) (local $hfsq f64) (local $R f64) (local $s f64) (local $z f64) (local $dk f64)
  (local.set $hx (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $x)) (i64.const 32))))
  (local.set $ax (i32.and (local.get $hx) (i32.const 0x7fffffff)))
  (local.set $k (i32.const 1))
  (if (i32.lt_s (local.get $hx) (i32.const 0x3fda827a)) (then
    ;; 1 + x < √2, or x negative
    (if (i32.ge_s (local.get $ax) (i32.const 0x3ff00000)) (then
      (return (select (f64.const -inf) (f64.const nan) (f64.eq (local.get $x) (f64.const -1))))))
    (if (i32.lt_s (local.get $ax) (i32.const 0x3e200000)) (then
      (if (i32.lt_s (local.get $ax) (i32.const 0x3c900000)) (then (return (local.get $x))))
      (return (f64.sub (local.get $x) (f64.mul (f64.mul (local.get $x) (local.get $x)) (f64.const 0.5))))))
    (if (i32.or (i32.gt_s (local.get $hx) (i32.const 0)) (i32.le_s (local.get $hx) (i32.const 0xbfd2bec4))) (then
      ;; √2/2 ≤ 1 + x < √2: f = x exactly, no correction
      (local.set $k (i32.const 0))
      (local.set $f (local.get $x))
      (local.set $hu (i32.const 1))))))
  (if (i32.ge_s (local.get $hx) (i32.const 0x7ff00000)) (then (return (f64.add (local.get $x) (local.get $x)))))
  (if (local.get $k) (then
    (if (i32.lt_s (local.get $hx) (i32.const 0x43400000)) (then
      (local.set $u (f64.add (f64.const 1) (local.get $x)))
      (local.set $hu (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $u)) (i64.const 32))))
      (local.set $k (i32.sub (i32.shr_s (local.get $hu) (i32.const 20)) (i32.const 1023)))
      (local.set $c (select
        (f64.sub (f64.const 1) (f64.sub (local.get $u) (local.get $x)))
        (f64.sub (local.get $x) (f64.sub (local.get $u) (f64.const 1)))
        (i32.gt_s (local.get $k) (i32.const 0))))
      (local.set $c (f64.div (local.get $c) (local.get $u))))
    (else
      ;; x ≥ 2^53: 1 + x rounds to x
      (local.set $u (local.get $x))
      (local.set $hu (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $u)) (i64.const 32))))
      (local.set $k (i32.sub (i32.shr_s (local.get $hu) (i32.const 20)) (i32.const 1023)))
      (local.set $c (f64.const 0))))
    (local.set $hu (i32.and (local.get $hu) (i32.const 0x000fffff)))
    (if (i32.lt_s (local.get $hu) (i32.const 0x6a09e)) (then
      ;; u·2^−k in [1, √2): the high word's exponent set to 0, the low word kept
      (local.set $u (f64.reinterpret_i64 (i64.or
        (i64.and (i64.reinterpret_f64 (local.get $u)) (i64.const 0xffffffff))
        (i64.shl (i64.extend_i32_u (i32.or (local.get $hu) (i32.const 0x3ff00000))) (i64.const 32))))))
    (else
      ;; u·2^−(k+1) in [√2/2, 1)
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (local.set $u (f64.reinterpret_i64 (i64.or
        (i64.and (i64.reinterpret_f64 (local.get $u)) (i64.const 0xffffffff))
        (i64.shl (i64.extend_i32_u (i32.or (local.get $hu) (i32.const 0x3fe00000))) (i64.const 32)))))
      (local.set $hu (i32.shr_s (i32.sub (i32.const 0x00100000) (local.get $hu)) (i32.const 2)))))
    (local.set $f (f64.sub (local.get $u) (f64.const 1)))))
  (local.set $hfsq (f64.mul (f64.mul (f64.const 0.5) (local.get $f)) (local.get $f)))
  (local.set $dk (f64.convert_i32_s (local.get $k)))
  (if (i32.eqz (local.get $hu)) (then
    ;; |f| < 2^−20
    (if (f64.eq (local.get $f) (f64.const 0)) (then
      (if (i32.eqz (local.get $k)) (then (return (f64.const 0))))
      (local.set $c (f64.add (local.get $c) (f64.mul (local.get $dk) (f64.const 0x1.a39ef35793c76p-33))))
      (return (f64.add (f64.mul (local.get $dk) (f64.const 0x1.62e42feep-1)) (local.get $c)))))
    (local.set $R (f64.mul (local.get $hfsq)
      (f64.sub (f64.const 1) (f64.mul (f64.const 0x1.5555555555555p-1) (local.get $f)))))
    (if (i32.eqz (local.get $k)) (then (return (f64.sub (local.get $f) (local.get $R)))))
    (return (f64.sub (f64.mul (local.get $dk) (f64.const 0x1.62e42feep-1))
      (f64.sub
        (f64.sub (local.get $R) (f64.add (f64.mul (local.get $dk) (f64.const 0x1.a39ef35793c76p-33)) (local.get $c)))
        (local.get $f))))))
  (local.set $s (f64.div (local.get $f) (f64.add (f64.const 2) (local.get $f))))
  (local.set $z (f64.mul (local.get $s) (local.get $s)))
  (local.set $R (f64.mul (local.get $z)
    (f64.add (f64.const 0x1.5555555555593p-1) (f64.mul (local.get $z)
    (f64.add (f64.const 0x1.999999997fa04p-2) (f64.mul (local.get $z)
    (f64.add (f64.const 0x1.2492494229359p-2) (f64.mul (local.get $z)
    (f64.add (f64.const 0x1.c71c51d8e78afp-3) (f64.mul (local.get $z)
    (f64.add (f64.const 0x1.7466496cb03dep-3) (f64.mul (local.get $z)
    (f64.add (f64.const 0x1.39a09d078c69fp-3) (f64.mul (local.get $z) (f64.const 0x1.2f112df3e5244p-3)))))))))))))))
  (if (i32.eqz (local.get $k)) (then
    (return (f64.sub (local.get $f)
      (f64.sub (local.get $hfsq) (f64.mul (local.get $s) (f64.add (local.get $hfsq) (local.get $R))))))))
  (f64.sub (f64.mul (local.get $dk) (f64.const 0x1.62e42feep-1))
    (f64.sub
      (f64.sub (local.get $hfsq)
        (f64.add (f64.mul (local.get $s) (f64.add (local.get $hfsq) (local.get $R)))
          (f64.add (f64.mul (local.get $dk) (f64.const 0x1.a39ef35793c76p-33)) (local.get $c))))
      (local.get $f))))
