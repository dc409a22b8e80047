;; The body shared by sin and cos: the twin of src/math/trig-at.ts (fdlibm's s_sin.c and s_cos.c,
;; Copyright (C) 1993 by Sun Microsystems, Inc.; notice in THIRD_PARTY_NOTICES.md), the same
;; operations in the same order, so the two give the same bits. cos x = sin(x + π/2): cos is sin with
;; its quadrant advanced by one. Included in the generated module by scripts/kernels/generate.ts.

;; sin(x + k·π/2) for k = $quarter_turns (0: sin, 1: cos): x − N·π/2 = y0 + y1 reduced, then the
;; kernel and the sign of quadrant (N + k) mod 4: sin r, cos r, −sin r, −cos r.
(func $math_trig (param $x f64) (param $quarter_turns i32) (result f64)
  (local $ix i32) (local $n i32) (local $quadrant i32) (local $y0 f64) (local $y1 f64) (local $r f64)
  (local.set $ix (i32.and (call $math_high_word (local.get $x)) (i32.const 0x7fffffff)))
  (if (i32.le_s (local.get $ix) (i32.const 0x3fe921fb)) (then
    ;; |x| ≲ π/4
    (if (local.get $quarter_turns) (then (return (call $math_kernel_cos (local.get $x) (f64.const 0)))))
    (return (call $math_kernel_sin (local.get $x) (f64.const 0) (i32.const 0)))))
  ;; ±∞ or NaN: NaN
  (if (i32.ge_s (local.get $ix) (i32.const 0x7ff00000)) (then (return (f64.sub (local.get $x) (local.get $x)))))
  (call $math_rem_pio2 (local.get $x))
  (local.set $y1)
  (local.set $y0)
  (local.set $n)
  (local.set $quadrant (i32.and (i32.add (local.get $n) (local.get $quarter_turns)) (i32.const 3)))
  (local.set $r (if (result f64) (i32.and (local.get $quadrant) (i32.const 1))
    (then (call $math_kernel_cos (local.get $y0) (local.get $y1)))
    (else (call $math_kernel_sin (local.get $y0) (local.get $y1) (i32.const 1)))))
  (select (local.get $r) (f64.neg (local.get $r)) (i32.lt_s (local.get $quadrant) (i32.const 2))))

;; sin x and cos x from one reduction: the same bits as $math_trig with 0 and with 1 quarter turns
;; (the reduction is a function of x alone, and each result takes the kernel and sign its quadrant
;; gives), for a caller that wants both (the Gabor model's f and ∂f/∂z).
(func $math_sin_cos (export "math_sin_cos") (param $x f64) (result f64 f64)
  (local $ix i32) (local $n i32) (local $y0 f64) (local $y1 f64) (local $s f64) (local $c f64)
  (local.set $ix (i32.and (call $math_high_word (local.get $x)) (i32.const 0x7fffffff)))
  (if (i32.le_s (local.get $ix) (i32.const 0x3fe921fb)) (then
    (return (call $math_kernel_sin (local.get $x) (f64.const 0) (i32.const 0)) (call $math_kernel_cos (local.get $x) (f64.const 0)))))
  (if (i32.ge_s (local.get $ix) (i32.const 0x7ff00000)) (then
    (local.set $s (f64.sub (local.get $x) (local.get $x)))
    (return (local.get $s) (local.get $s))))
  (call $math_rem_pio2 (local.get $x))
  (local.set $y1)
  (local.set $y0)
  (local.set $n)
  (local.set $n (i32.and (local.get $n) (i32.const 3)))
  (local.set $s (call $math_kernel_sin (local.get $y0) (local.get $y1) (i32.const 1)))
  (local.set $c (call $math_kernel_cos (local.get $y0) (local.get $y1)))
  ;; sin x: s, c, −s, −c and cos x: c, −s, −c, s for N mod 4 = 0, 1, 2, 3
  (if (i32.and (local.get $n) (i32.const 1)) (then
    (return
      (select (local.get $c) (f64.neg (local.get $c)) (i32.eq (local.get $n) (i32.const 1)))
      (select (f64.neg (local.get $s)) (local.get $s) (i32.eq (local.get $n) (i32.const 1))))))
  (select (local.get $s) (f64.neg (local.get $s)) (i32.eqz (local.get $n)))
  (select (local.get $c) (f64.neg (local.get $c)) (i32.eqz (local.get $n))))

;; out[2i], out[2i + 1] ← sin(in[i]), cos(in[i]) for the n doubles at $in ($math_sin_cos over an
;; array: the bit-identity tests' millions of inputs in one call).
(func $math_sin_cos_array (export "math_sin_cos_array") (param $in i32) (param $out i32) (param $n i32)
  (local $i i32) (local $s f64) (local $c f64)
  (block $done (loop $next
    (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
    (call $math_sin_cos (f64.load (i32.add (local.get $in) (i32.shl (local.get $i) (i32.const 3)))))
    (local.set $c)
    (local.set $s)
    (f64.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 4))) (local.get $s))
    (f64.store offset=8 (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 4))) (local.get $c))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br $next))))
