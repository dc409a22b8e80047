;; log x: the twin of src/math/log.ts (fdlibm's e_log.c, Copyright (C) 1993 by Sun Microsystems, Inc.;
;; notice in THIRD_PARTY_NOTICES.md), the same operations in the same order, so the two give the same
;; bits. Included in the generated module by scripts/kernels/generate.ts; exported as math_log. $hx is
;; the high word (i32, signed), as fdlibm's GET_HIGH_WORD reads it; SET_HIGH_WORD keeps the low word.
(func $math_log (export "math_log") (param $x f64) (result f64)
  (local $hx i32) (local $k i32) (local $half i32) (local $far i32)
  (local $f f64) (local $R f64) (local $s f64) (local $dk f64) (local $z f64) (local $w f64) (local $hfsq f64)
  (local.set $hx (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $x)) (i64.const 32))))
  (if (i32.lt_s (local.get $hx) (i32.const 0x00100000)) (then
    ;; x < 2^−1022: zero, negative or subnormal (and negative NaNs)
    (if (f64.eq (local.get $x) (f64.const 0)) (then (return (f64.const -inf))))
    (if (i32.or (i32.lt_s (local.get $hx) (i32.const 0)) (f64.ne (local.get $x) (local.get $x))) (then (return (f64.const nan))))
    (local.set $k (i32.const -54))
    (local.set $x (f64.mul (local.get $x) (f64.const 0x1p+54))) ;; a subnormal: scale up, exactly
    (local.set $hx (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $x)) (i64.const 32))))))
  (if (i32.ge_s (local.get $hx) (i32.const 0x7ff00000)) (then (return (f64.add (local.get $x) (local.get $x)))))
  (local.set $k (i32.add (local.get $k) (i32.sub (i32.shr_s (local.get $hx) (i32.const 20)) (i32.const 1023))))
  (local.set $hx (i32.and (local.get $hx) (i32.const 0x000fffff)))
  (local.set $half (i32.and (i32.add (local.get $hx) (i32.const 0x95f64)) (i32.const 0x100000)))
  ;; x or x/2 normalized into [√2/2, √2): its high word replaced
  (local.set $x (f64.reinterpret_i64 (i64.or
    (i64.shl (i64.extend_i32_u (i32.or (local.get $hx) (i32.xor (local.get $half) (i32.const 0x3ff00000)))) (i64.const 32))
    (i64.and (i64.reinterpret_f64 (local.get $x)) (i64.const 0xffffffff)))))
  (local.set $k (i32.add (local.get $k) (i32.shr_s (local.get $half) (i32.const 20))))
  (local.set $f (f64.sub (local.get $x) (f64.const 1)))
  (local.set $dk (f64.convert_i32_s (local.get $k)))
  (if (i32.lt_s (i32.and (i32.const 0x000fffff) (i32.add (i32.const 2) (local.get $hx))) (i32.const 3)) (then
    ;; −2^−20 ≤ f < 2^−20
    (if (f64.eq (local.get $f) (f64.const 0)) (then
      (if (i32.eqz (local.get $k)) (then (return (f64.const 0))))
      (return (f64.add (f64.mul (local.get $dk) (f64.const 0x1.62e42feep-1)) (f64.mul (local.get $dk) (f64.const 0x1.a39ef35793c76p-33))))))
    (local.set $R (f64.mul (f64.mul (local.get $f) (local.get $f))
      (f64.sub (f64.const 0.5) (f64.mul (f64.const 0x1.5555555555555p-2) (local.get $f)))))
    (if (i32.eqz (local.get $k)) (then (return (f64.sub (local.get $f) (local.get $R)))))
    (return (f64.sub (f64.mul (local.get $dk) (f64.const 0x1.62e42feep-1))
      (f64.sub (f64.sub (local.get $R) (f64.mul (local.get $dk) (f64.const 0x1.a39ef35793c76p-33))) (local.get $f))))))
  (local.set $s (f64.div (local.get $f) (f64.add (f64.const 2) (local.get $f))))
  (local.set $z (f64.mul (local.get $s) (local.get $s)))
  (local.set $w (f64.mul (local.get $z) (local.get $z)))
  ;; fdlibm's i and j: > 0 where f is far from 0 (the hfsq form)
  (local.set $far (i32.or (i32.sub (local.get $hx) (i32.const 0x6147a)) (i32.sub (i32.const 0x6b851) (local.get $hx))))
  ;; R = t2 + t1: t1 = w·(Lg2 + w·(Lg4 + w·Lg6)), t2 = z·(Lg1 + w·(Lg3 + w·(Lg5 + w·Lg7)))
  (local.set $R (f64.add
    (f64.mul (local.get $z) (f64.add (f64.const 0x1.5555555555593p-1) (f64.mul (local.get $w)
      (f64.add (f64.const 0x1.2492494229359p-2) (f64.mul (local.get $w)
      (f64.add (f64.const 0x1.7466496cb03dep-3) (f64.mul (local.get $w) (f64.const 0x1.2f112df3e5244p-3))))))))
    (f64.mul (local.get $w) (f64.add (f64.const 0x1.999999997fa04p-2) (f64.mul (local.get $w)
      (f64.add (f64.const 0x1.c71c51d8e78afp-3) (f64.mul (local.get $w) (f64.const 0x1.39a09d078c69fp-3))))))))
  (if (i32.gt_s (local.get $far) (i32.const 0)) (then
    (local.set $hfsq (f64.mul (f64.mul (f64.const 0.5) (local.get $f)) (local.get $f)))
    (if (i32.eqz (local.get $k)) (then
      (return (f64.sub (local.get $f) (f64.sub (local.get $hfsq) (f64.mul (local.get $s) (f64.add (local.get $hfsq) (local.get $R))))))))
    (return (f64.sub (f64.mul (local.get $dk) (f64.const 0x1.62e42feep-1))
      (f64.sub
        (f64.sub (local.get $hfsq) (f64.add (f64.mul (local.get $s) (f64.add (local.get $hfsq) (local.get $R))) (f64.mul (local.get $dk) (f64.const 0x1.a39ef35793c76p-33))))
        (local.get $f))))))
  (if (i32.eqz (local.get $k)) (then
    (return (f64.sub (local.get $f) (f64.mul (local.get $s) (f64.sub (local.get $f) (local.get $R)))))))
  (f64.sub (f64.mul (local.get $dk) (f64.const 0x1.62e42feep-1))
    (f64.sub
      (f64.sub (f64.mul (local.get $s) (f64.sub (local.get $f) (local.get $R))) (f64.mul (local.get $dk) (f64.const 0x1.a39ef35793c76p-33)))
      (local.get $f))))
