;; The argument reduction x − N·π/2 for huge |x| (above 2^19·π/2): the twin of
;; src/math/rem-pio2-large.ts (fdlibm's __kernel_rem_pio2, k_rem_pio2.c with precision 2, Copyright (C)
;; 1993 by Sun Microsystems, Inc.; notice in THIRD_PARTY_NOTICES.md), the same operations in the same
;; order, so the two give the same bits. Included in the generated module by scripts/kernels/generate.ts.
;;
;; Its arrays live in the module's fixed block for the reduction (memory-layout.ts), each at the
;; address of a global the generator defines: the tables $math_two_over_pi (2/π in 24-bit pieces, i32)
;; and $math_pio2 (π/2 in 24-bit pieces, f64), which the generator writes there from the JavaScript
;; port's own tables (a data segment), and fdlibm's working arrays $math_rem_pio2_x (x's pieces),
;; _f, _q, _fq (f64) and _iq (i32), 20 each (their addresses read into locals: element i of an
;; f64 array at base + 8i, of an i32 array at base + 4i). One thread at a time may reduce: only the
;; thread that evaluates empirical risks (the caller's) calls sin and cos, never the worker.

;; fdlibm's scalbn(z, n) for the exponents met here (n in [−600, 30]: 2^n is normal and the product
;; never rounds): z·2^n with 2^n built from its exponent bits.
(func $math_scale (param $z f64) (param $n i32) (result f64)
  (f64.mul (local.get $z) (f64.reinterpret_i64 (i64.shl (i64.extend_i32_u (i32.add (local.get $n) (i32.const 1023))) (i64.const 52)))))

;; Σ_jj x[jj]·f[jx + i − jj], jj = 0 … jx, in that order: q[i].
(func $math_rem_pio2_term (param $jx i32) (param $i i32) (result f64)
  (local $jj i32) (local $fw f64) (local $x i32) (local $f i32)
  (local.set $x (global.get $math_rem_pio2_x))
  (local.set $f (global.get $math_rem_pio2_f))
  (block $summed (loop $sum
    (br_if $summed (i32.gt_s (local.get $jj) (local.get $jx)))
    (local.set $fw (f64.add (local.get $fw) (f64.mul
      (f64.load (i32.add (local.get $x) (i32.shl (local.get $jj) (i32.const 3))))
      (f64.load (i32.add (local.get $f) (i32.shl (i32.sub (i32.add (local.get $jx) (local.get $i)) (local.get $jj)) (i32.const 3)))))))
    (local.set $jj (i32.add (local.get $jj) (i32.const 1)))
    (br $sum)))
  (local.get $fw))

;; N mod 8 for x·(2/π) = N + r, |r| ≤ 1/2, and x − N·π/2 = y0 + y1, for the positive
;; x = Σ_j x[j]·2^(e0 − 24j) given in `nx` 24-bit pieces at $math_rem_pio2_x.
(func $math_rem_pio2_large (param $e0 i32) (param $nx i32) (result i32 f64 f64)
  (local $jx i32) (local $jv i32) (local $q0 i32) (local $j i32) (local $m i32) (local $i i32) (local $jj i32)
  (local $jz i32) (local $n i32) (local $ih i32) (local $carry i32) (local $v i32) (local $any i32) (local $k i32)
  (local $b i32) (local $fwi i32) (local $at i32)
  (local $fw f64) (local $z f64) (local $y0 f64)
  ;; the arrays' addresses
  (local $f i32) (local $q i32) (local $fq i32) (local $iq i32) (local $two_over_pi i32) (local $pio2 i32)
  (local.set $f (global.get $math_rem_pio2_f))
  (local.set $q (global.get $math_rem_pio2_q))
  (local.set $fq (global.get $math_rem_pio2_fq))
  (local.set $iq (global.get $math_rem_pio2_iq))
  (local.set $two_over_pi (global.get $math_two_over_pi))
  (local.set $pio2 (global.get $math_pio2))
  (local.set $jx (i32.sub (local.get $nx) (i32.const 1)))
  (local.set $jv (i32.div_s (i32.sub (local.get $e0) (i32.const 3)) (i32.const 24)))
  (if (i32.lt_s (local.get $jv) (i32.const 0)) (then (local.set $jv (i32.const 0))))
  (local.set $q0 (i32.sub (local.get $e0) (i32.mul (i32.const 24) (i32.add (local.get $jv) (i32.const 1)))))
  ;; f[0 … jx + jk] = TWO_OVER_PI[jv − jx … jv + jk] (0 below its start), jk = 4
  (local.set $j (i32.sub (local.get $jv) (local.get $jx)))
  (local.set $m (i32.add (local.get $jx) (i32.const 4)))
  (block $filled (loop $fill
    (br_if $filled (i32.gt_s (local.get $i) (local.get $m)))
    (f64.store (i32.add (local.get $f) (i32.shl (local.get $i) (i32.const 3)))
      (if (result f64) (i32.lt_s (local.get $j) (i32.const 0))
        (then (f64.const 0))
        (else (f64.convert_i32_s (i32.load (i32.add (local.get $two_over_pi) (i32.shl (local.get $j) (i32.const 2))))))))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (local.set $j (i32.add (local.get $j) (i32.const 1)))
    (br $fill)))
  (local.set $i (i32.const 0))
  (block $started (loop $start
    (br_if $started (i32.gt_s (local.get $i) (i32.const 4)))
    (f64.store (i32.add (local.get $q) (i32.shl (local.get $i) (i32.const 3))) (call $math_rem_pio2_term (local.get $jx) (local.get $i)))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br $start)))
  (local.set $jz (i32.const 4))
  (loop $recompute
    ;; distill q[] into iq[] reversingly
    (local.set $i (i32.const 0))
    (local.set $z (f64.load (i32.add (local.get $q) (i32.shl (local.get $jz) (i32.const 3)))))
    (local.set $jj (local.get $jz))
    (block $distilled (loop $distill
      (br_if $distilled (i32.le_s (local.get $jj) (i32.const 0)))
      (local.set $fwi (i32.trunc_f64_s (f64.mul (f64.const 0x1p-24) (local.get $z))))
      (i32.store (i32.add (local.get $iq) (i32.shl (local.get $i) (i32.const 2)))
        (i32.trunc_f64_s (f64.sub (local.get $z) (f64.mul (f64.const 0x1p24) (f64.convert_i32_s (local.get $fwi))))))
      (local.set $z (f64.add (f64.load (i32.add (local.get $q) (i32.shl (i32.sub (local.get $jj) (i32.const 1)) (i32.const 3)))) (f64.convert_i32_s (local.get $fwi))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (local.set $jj (i32.sub (local.get $jj) (i32.const 1)))
      (br $distill)))
    ;; n = the integer part mod 8
    (local.set $z (call $math_scale (local.get $z) (local.get $q0)))
    (local.set $z (f64.sub (local.get $z) (f64.mul (f64.const 8) (f64.floor (f64.mul (local.get $z) (f64.const 0.125))))))
    (local.set $n (i32.trunc_f64_s (local.get $z)))
    (local.set $z (f64.sub (local.get $z) (f64.convert_i32_s (local.get $n))))
    (local.set $ih (i32.const 0))
    (local.set $at (i32.add (local.get $iq) (i32.shl (i32.sub (local.get $jz) (i32.const 1)) (i32.const 2))))
    (if (i32.gt_s (local.get $q0) (i32.const 0))
      (then
        ;; iq[jz − 1] holds n's last bits
        (local.set $b (i32.shr_s (i32.load (local.get $at)) (i32.sub (i32.const 24) (local.get $q0))))
        (local.set $n (i32.add (local.get $n) (local.get $b)))
        (i32.store (local.get $at) (i32.sub (i32.load (local.get $at)) (i32.shl (local.get $b) (i32.sub (i32.const 24) (local.get $q0)))))
        (local.set $ih (i32.shr_s (i32.load (local.get $at)) (i32.sub (i32.const 23) (local.get $q0)))))
      (else
        (if (i32.eqz (local.get $q0))
          (then (local.set $ih (i32.shr_s (i32.load (local.get $at)) (i32.const 23))))
          (else (if (f64.ge (local.get $z) (f64.const 0.5)) (then (local.set $ih (i32.const 2))))))))
    (if (i32.gt_s (local.get $ih) (i32.const 0)) (then
      ;; the fraction is ≥ 1/2: take 1 − fraction, and N + 1
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (local.set $carry (i32.const 0))
      (local.set $i (i32.const 0))
      (block $complemented (loop $complement
        (br_if $complemented (i32.ge_s (local.get $i) (local.get $jz)))
        (local.set $v (i32.load (i32.add (local.get $iq) (i32.shl (local.get $i) (i32.const 2)))))
        (if (i32.eqz (local.get $carry))
          (then
            (if (local.get $v) (then
              (local.set $carry (i32.const 1))
              (i32.store (i32.add (local.get $iq) (i32.shl (local.get $i) (i32.const 2))) (i32.sub (i32.const 0x1000000) (local.get $v))))))
          (else
            (i32.store (i32.add (local.get $iq) (i32.shl (local.get $i) (i32.const 2))) (i32.sub (i32.const 0xffffff) (local.get $v)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $complement)))
      (if (i32.gt_s (local.get $q0) (i32.const 0)) (then
        ;; rare: 1 in 12
        (if (i32.eq (local.get $q0) (i32.const 1)) (then (i32.store (local.get $at) (i32.and (i32.load (local.get $at)) (i32.const 0x7fffff)))))
        (if (i32.eq (local.get $q0) (i32.const 2)) (then (i32.store (local.get $at) (i32.and (i32.load (local.get $at)) (i32.const 0x3fffff)))))))
      (if (i32.eq (local.get $ih) (i32.const 2)) (then
        (local.set $z (f64.sub (f64.const 1) (local.get $z)))
        (if (local.get $carry) (then (local.set $z (f64.sub (local.get $z) (call $math_scale (f64.const 1) (local.get $q0))))))))))
    ;; recompute with more terms of 2/π while the fraction's leading pieces are all zeros
    (if (f64.eq (local.get $z) (f64.const 0)) (then
      (local.set $any (i32.const 0))
      (local.set $i (i32.sub (local.get $jz) (i32.const 1)))
      (block $ored (loop $or
        (br_if $ored (i32.lt_s (local.get $i) (i32.const 4)))
        (local.set $any (i32.or (local.get $any) (i32.load (i32.add (local.get $iq) (i32.shl (local.get $i) (i32.const 2))))))
        (local.set $i (i32.sub (local.get $i) (i32.const 1)))
        (br $or)))
      (if (i32.eqz (local.get $any)) (then
        ;; k = the number of terms needed
        (local.set $k (i32.const 1))
        (block $counted (loop $count
          (br_if $counted (i32.gt_s (local.get $k) (i32.const 4)))
          (br_if $counted (i32.load (i32.add (local.get $iq) (i32.shl (i32.sub (i32.const 4) (local.get $k)) (i32.const 2)))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $count)))
        (local.set $i (i32.add (local.get $jz) (i32.const 1)))
        (block $added (loop $add
          (br_if $added (i32.gt_s (local.get $i) (i32.add (local.get $jz) (local.get $k))))
          (f64.store (i32.add (local.get $f) (i32.shl (i32.add (local.get $jx) (local.get $i)) (i32.const 3)))
            (f64.convert_i32_s (i32.load (i32.add (local.get $two_over_pi) (i32.shl (i32.add (local.get $jv) (local.get $i)) (i32.const 2))))))
          (f64.store (i32.add (local.get $q) (i32.shl (local.get $i) (i32.const 3))) (call $math_rem_pio2_term (local.get $jx) (local.get $i)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $add)))
        (local.set $jz (i32.add (local.get $jz) (local.get $k)))
        (br $recompute))))))
  (if (f64.eq (local.get $z) (f64.const 0))
    (then
      ;; chop off zero terms
      (local.set $jz (i32.sub (local.get $jz) (i32.const 1)))
      (local.set $q0 (i32.sub (local.get $q0) (i32.const 24)))
      (block $chopped (loop $chop
        (br_if $chopped (i32.load (i32.add (local.get $iq) (i32.shl (local.get $jz) (i32.const 2)))))
        (local.set $jz (i32.sub (local.get $jz) (i32.const 1)))
        (local.set $q0 (i32.sub (local.get $q0) (i32.const 24)))
        (br $chop))))
    (else
      ;; break z into 24-bit pieces if necessary
      (local.set $z (call $math_scale (local.get $z) (i32.sub (i32.const 0) (local.get $q0))))
      (if (f64.ge (local.get $z) (f64.const 0x1p24))
        (then
          (local.set $fwi (i32.trunc_f64_s (f64.mul (f64.const 0x1p-24) (local.get $z))))
          (i32.store (i32.add (local.get $iq) (i32.shl (local.get $jz) (i32.const 2)))
            (i32.trunc_f64_s (f64.sub (local.get $z) (f64.mul (f64.const 0x1p24) (f64.convert_i32_s (local.get $fwi))))))
          (local.set $jz (i32.add (local.get $jz) (i32.const 1)))
          (local.set $q0 (i32.add (local.get $q0) (i32.const 24)))
          (i32.store (i32.add (local.get $iq) (i32.shl (local.get $jz) (i32.const 2))) (local.get $fwi)))
        (else
          (i32.store (i32.add (local.get $iq) (i32.shl (local.get $jz) (i32.const 2))) (i32.trunc_f64_s (local.get $z)))))))
  ;; the integer pieces as doubles
  (local.set $fw (call $math_scale (f64.const 1) (local.get $q0)))
  (local.set $i (local.get $jz))
  (block $converted (loop $convert
    (br_if $converted (i32.lt_s (local.get $i) (i32.const 0)))
    (f64.store (i32.add (local.get $q) (i32.shl (local.get $i) (i32.const 3)))
      (f64.mul (local.get $fw) (f64.convert_i32_s (i32.load (i32.add (local.get $iq) (i32.shl (local.get $i) (i32.const 2)))))))
    (local.set $fw (f64.mul (local.get $fw) (f64.const 0x1p-24)))
    (local.set $i (i32.sub (local.get $i) (i32.const 1)))
    (br $convert)))
  ;; PIO2[0 … 4]·q[jz … 0]
  (local.set $i (local.get $jz))
  (block $multiplied (loop $multiply
    (br_if $multiplied (i32.lt_s (local.get $i) (i32.const 0)))
    (local.set $fw (f64.const 0))
    (local.set $k (i32.const 0))
    (block $termed (loop $term
      (br_if $termed (i32.gt_s (local.get $k) (i32.const 4)))
      (br_if $termed (i32.gt_s (local.get $k) (i32.sub (local.get $jz) (local.get $i))))
      (local.set $fw (f64.add (local.get $fw) (f64.mul
        (f64.load (i32.add (local.get $pio2) (i32.shl (local.get $k) (i32.const 3))))
        (f64.load (i32.add (local.get $q) (i32.shl (i32.add (local.get $i) (local.get $k)) (i32.const 3)))))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $term)))
    (f64.store (i32.add (local.get $fq) (i32.shl (i32.sub (local.get $jz) (local.get $i)) (i32.const 3))) (local.get $fw))
    (local.set $i (i32.sub (local.get $i) (i32.const 1)))
    (br $multiply)))
  ;; compress fq[] into y0 + y1
  (local.set $fw (f64.const 0))
  (local.set $i (local.get $jz))
  (block $compressed (loop $compress
    (br_if $compressed (i32.lt_s (local.get $i) (i32.const 0)))
    (local.set $fw (f64.add (local.get $fw) (f64.load (i32.add (local.get $fq) (i32.shl (local.get $i) (i32.const 3))))))
    (local.set $i (i32.sub (local.get $i) (i32.const 1)))
    (br $compress)))
  (local.set $y0 (select (local.get $fw) (f64.neg (local.get $fw)) (i32.eqz (local.get $ih))))
  (local.set $fw (f64.sub (f64.load (local.get $fq)) (local.get $fw)))
  (local.set $i (i32.const 1))
  (block $tailed (loop $tail
    (br_if $tailed (i32.gt_s (local.get $i) (local.get $jz)))
    (local.set $fw (f64.add (local.get $fw) (f64.load (i32.add (local.get $fq) (i32.shl (local.get $i) (i32.const 3))))))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br $tail)))
  (i32.and (local.get $n) (i32.const 7))
  (local.get $y0)
  (select (local.get $fw) (f64.neg (local.get $fw)) (i32.eqz (local.get $ih))))
