;; x − N·π/2 for sin and cos: the twin of src/math/rem-pio2.ts (fdlibm's __ieee754_rem_pio2,
;; e_rem_pio2.c, Copyright (C) 1993 by Sun Microsystems, Inc.; notice in THIRD_PARTY_NOTICES.md), the
;; same operations in the same order, so the two give the same bits. Included in the generated module
;; by scripts/kernels/generate.ts, which also places the table it reads ($math_npio2_hw: the high
;; words of N·π/2, N = 1 … 32) in the module's fixed block for the reduction (memory-layout.ts).
;;
;; Returns N (its low bits are what sin and cos need) and the remainder as the unevaluated sum
;; y0 + y1 (|y1| tiny), |y0 + y1| ≤ π/4 (about); for ±∞ and NaN, N = 0 and y0 = y1 = NaN.
(func $math_rem_pio2 (param $x f64) (result i32 f64 f64)
  (local $hx i32) (local $ix i32) (local $n i32) (local $j i32) (local $e0 i32) (local $nx i32)
  (local $z f64) (local $t f64) (local $fn f64) (local $r f64) (local $w f64) (local $y0 f64) (local $y1 f64)
  (local.set $hx (call $math_high_word (local.get $x)))
  (local.set $ix (i32.and (local.get $hx) (i32.const 0x7fffffff)))
  (if (i32.le_s (local.get $ix) (i32.const 0x3fe921fb)) (then
    ;; |x| ≤ π/4
    (return (i32.const 0) (local.get $x) (f64.const 0))))
  (if (i32.lt_s (local.get $ix) (i32.const 0x4002d97c)) (then
    ;; |x| < 3π/4: N = ±1, π/2 in 33 + 53 bits, or 33 + 33 + 53 near π/2
    (if (i32.gt_s (local.get $hx) (i32.const 0)) (then
      (local.set $z (f64.sub (local.get $x) (f64.const 0x1.921fb544p0)))
      (if (i32.ne (local.get $ix) (i32.const 0x3ff921fb))
        (then
          (local.set $y0 (f64.sub (local.get $z) (f64.const 0x1.0b4611a626331p-34)))
          (local.set $y1 (f64.sub (f64.sub (local.get $z) (local.get $y0)) (f64.const 0x1.0b4611a626331p-34))))
        (else
          (local.set $z (f64.sub (local.get $z) (f64.const 0x1.0b4611a6p-34)))
          (local.set $y0 (f64.sub (local.get $z) (f64.const 0x1.3198a2e037073p-69)))
          (local.set $y1 (f64.sub (f64.sub (local.get $z) (local.get $y0)) (f64.const 0x1.3198a2e037073p-69)))))
      (return (i32.const 1) (local.get $y0) (local.get $y1))))
    (local.set $z (f64.add (local.get $x) (f64.const 0x1.921fb544p0)))
    (if (i32.ne (local.get $ix) (i32.const 0x3ff921fb))
      (then
        (local.set $y0 (f64.add (local.get $z) (f64.const 0x1.0b4611a626331p-34)))
        (local.set $y1 (f64.add (f64.sub (local.get $z) (local.get $y0)) (f64.const 0x1.0b4611a626331p-34))))
      (else
        (local.set $z (f64.add (local.get $z) (f64.const 0x1.0b4611a6p-34)))
        (local.set $y0 (f64.add (local.get $z) (f64.const 0x1.3198a2e037073p-69)))
        (local.set $y1 (f64.add (f64.sub (local.get $z) (local.get $y0)) (f64.const 0x1.3198a2e037073p-69)))))
    (return (i32.const -1) (local.get $y0) (local.get $y1))))
  (if (i32.le_s (local.get $ix) (i32.const 0x413921fb)) (then
    ;; |x| ≤ 2^19·π/2: N = round(|x|·2/π), minus N·π/2 in 33-bit pieces of π/2 (85, 118 or 151 bits)
    (local.set $t (f64.abs (local.get $x)))
    (local.set $n (i32.trunc_f64_s (f64.add (f64.mul (local.get $t) (f64.const 0x1.45f306dc9c883p-1)) (f64.const 0.5))))
    (local.set $fn (f64.convert_i32_s (local.get $n)))
    (local.set $r (f64.sub (local.get $t) (f64.mul (local.get $fn) (f64.const 0x1.921fb544p0))))
    (local.set $w (f64.mul (local.get $fn) (f64.const 0x1.0b4611a626331p-34)))
    (local.set $y0 (f64.sub (local.get $r) (local.get $w)))
    (if (if (result i32) (i32.lt_s (local.get $n) (i32.const 32))
        (then (i32.eq (local.get $ix) (i32.load (i32.add (global.get $math_npio2_hw) (i32.shl (i32.sub (local.get $n) (i32.const 1)) (i32.const 2))))))
        (else (i32.const 1)))
      (then
        ;; near N·π/2 (or N ≥ 32): count the bits lost to cancellation
        (local.set $j (i32.shr_s (local.get $ix) (i32.const 20)))
        (if (i32.gt_s (i32.sub (local.get $j) (i32.and (i32.shr_s (call $math_high_word (local.get $y0)) (i32.const 20)) (i32.const 0x7ff))) (i32.const 16)) (then
          ;; a second round, good to 118 bits
          (local.set $t (local.get $r))
          (local.set $w (f64.mul (local.get $fn) (f64.const 0x1.0b4611a6p-34)))
          (local.set $r (f64.sub (local.get $t) (local.get $w)))
          (local.set $w (f64.sub (f64.mul (local.get $fn) (f64.const 0x1.3198a2e037073p-69)) (f64.sub (f64.sub (local.get $t) (local.get $r)) (local.get $w))))
          (local.set $y0 (f64.sub (local.get $r) (local.get $w)))
          (if (i32.gt_s (i32.sub (local.get $j) (i32.and (i32.shr_s (call $math_high_word (local.get $y0)) (i32.const 20)) (i32.const 0x7ff))) (i32.const 49)) (then
            ;; a third round, 151 bits: enough for every double
            (local.set $t (local.get $r))
            (local.set $w (f64.mul (local.get $fn) (f64.const 0x1.3198a2ep-69)))
            (local.set $r (f64.sub (local.get $t) (local.get $w)))
            (local.set $w (f64.sub (f64.mul (local.get $fn) (f64.const 0x1.b839a252049c1p-104)) (f64.sub (f64.sub (local.get $t) (local.get $r)) (local.get $w))))
            (local.set $y0 (f64.sub (local.get $r) (local.get $w)))))))))
    (local.set $y1 (f64.sub (f64.sub (local.get $r) (local.get $y0)) (local.get $w)))
    (if (i32.lt_s (local.get $hx) (i32.const 0)) (then
      (return (i32.sub (i32.const 0) (local.get $n)) (f64.neg (local.get $y0)) (f64.neg (local.get $y1)))))
    (return (local.get $n) (local.get $y0) (local.get $y1))))
  (if (i32.ge_s (local.get $ix) (i32.const 0x7ff00000)) (then
    ;; ±∞ or NaN
    (local.set $y0 (f64.sub (local.get $x) (local.get $x)))
    (return (i32.const 0) (local.get $y0) (local.get $y0))))
  ;; huge: z = |x|·2^−e0 in [2^23, 2^24) (SET_HIGH_WORD, the low word kept), cut into three 24-bit pieces
  (local.set $e0 (i32.sub (i32.shr_s (local.get $ix) (i32.const 20)) (i32.const 1046)))
  (local.set $z (f64.reinterpret_i64 (i64.or
    (i64.shl (i64.extend_i32_u (i32.sub (local.get $ix) (i32.shl (local.get $e0) (i32.const 20)))) (i64.const 32))
    (i64.and (i64.reinterpret_f64 (local.get $x)) (i64.const 0xffffffff)))))
  (local.set $t (f64.trunc (local.get $z)))
  (f64.store (global.get $math_rem_pio2_x) (local.get $t))
  (local.set $z (f64.mul (f64.sub (local.get $z) (local.get $t)) (f64.const 0x1p24)))
  (local.set $t (f64.trunc (local.get $z)))
  (f64.store offset=8 (global.get $math_rem_pio2_x) (local.get $t))
  (local.set $z (f64.mul (f64.sub (local.get $z) (local.get $t)) (f64.const 0x1p24)))
  (f64.store offset=16 (global.get $math_rem_pio2_x) (local.get $z))
  ;; skip zero pieces
  (local.set $nx (i32.const 3))
  (block $counted (loop $count
    (br_if $counted (f64.ne (f64.load (i32.add (global.get $math_rem_pio2_x) (i32.shl (i32.sub (local.get $nx) (i32.const 1)) (i32.const 3)))) (f64.const 0)))
    (local.set $nx (i32.sub (local.get $nx) (i32.const 1)))
    (br $count)))
  (call $math_rem_pio2_large (local.get $e0) (local.get $nx))
  (local.set $y1)
  (local.set $y0)
  (local.set $n)
  (if (i32.lt_s (local.get $hx) (i32.const 0)) (then
    (return (i32.sub (i32.const 0) (local.get $n)) (f64.neg (local.get $y0)) (f64.neg (local.get $y1)))))
  (local.get $n) (local.get $y0) (local.get $y1))
