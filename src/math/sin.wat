;; sin x: the twin of src/math/sin.ts (fdlibm's s_sin.c as V8 carries it, Copyright (C) 1993 by Sun
;; Microsystems, Inc.; notice in THIRD_PARTY_NOTICES.md): $math_trig (trig-at.wat) with 0 quarter
;; turns, the same operations in the same order as the JavaScript port, so the two give the same bits
;; (and Node 20's Math.sin's). Included in the generated module by scripts/kernels/generate.ts; exported as
;; math_sin, and as math_sin_array for the bit-identity tests' millions of inputs in one call.
(func $math_sin (export "math_sin") (param $x f64) (result f64)
  (call $math_trig (local.get $x) (i32.const 0)))

;; out[i] ← sin(in[i]) for the n doubles at byte addresses $in and $out (the same address: in place).
(func $math_sin_array (export "math_sin_array") (param $in i32) (param $out i32) (param $n i32)
  (local $i i32) (local $end i32)
  (local.set $end (i32.shl (local.get $n) (i32.const 3)))
  (block $done (loop $next
    (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
    (f64.store (i32.add (local.get $out) (local.get $i)) (call $math_trig (f64.load (i32.add (local.get $in) (local.get $i))) (i32.const 0)))
    (local.set $i (i32.add (local.get $i) (i32.const 8)))
    (br $next))))
