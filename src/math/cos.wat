;; cos x: the twin of src/math/cos.ts (fdlibm's s_cos.c as V8 carries it, Copyright (C) 1993 by Sun
;; Microsystems, Inc.; notice in THIRD_PARTY_NOTICES.md): $math_trig (trig-at.wat) with 1 quarter
;; turn, the same operations in the same order as the JavaScript port, so the two give the same bits
;; (and Node 20's Math.cos's). Included in the generated module by scripts/kernels/generate.ts; exported as
;; math_cos, and as math_cos_array for the bit-identity tests' millions of inputs in one call.
(func $math_cos (export "math_cos") (param $x f64) (result f64)
  (call $math_trig (local.get $x) (i32.const 1)))

;; out[i] ← cos(in[i]) for the n doubles at byte addresses $in and $out (the same address: in place).
(func $math_cos_array (export "math_cos_array") (param $in i32) (param $out i32) (param $n i32)
  (local $i i32) (local $end i32)
  (local.set $end (i32.shl (local.get $n) (i32.const 3)))
  (block $done (loop $next
    (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
    (f64.store (i32.add (local.get $out) (local.get $i)) (call $math_trig (f64.load (i32.add (local.get $in) (local.get $i))) (i32.const 1)))
    (local.set $i (i32.add (local.get $i) (i32.const 8)))
    (br $next))))
