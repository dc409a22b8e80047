;; A dense network's batch in one call: for each row, the forward pass, the loss (softmax cross-entropy
;; or squared error) and backpropagation into the gradient. The twin of the JavaScript path
;; (Network.accumulate, forward and backward in src/models/dense-network.ts): the same operations in
;; the same order, so the two give the same bits. Each output's pre-activation is the sequential sum
;; b + Σ_i w_i·a_i in i order; four outputs' sums run side by side in the lanes of two f64x2 (four
;; independent chains keep the adder busy). The backward pass's updates are element-wise (each
;; element of the gradient and of δ gets one term per output, in the outputs' order): f64x2 over i.
;; Included in the generated module by scripts/kernels/generate.ts; called by
;; src/objectives/wasm-network-risk.ts.
;;
;; layers: the layer table, 8 i32 (32 bytes) a layer, input to output: n_in, n_out, the activation
;; (0 identity, 1 tanh, 2 relu, 3 sigmoid), then byte offsets: W's and b's in θ (the same in the
;; gradient), a_(l−1)'s and a_l's in the activations (the same in the deltas); the last layer's a_L
;; are the scores. Layer 0 reads its input from the row of X in place (a_0 is never copied).

;; a = g(z) for an activation code, as forward() computes it (σ from e^−|z|).
(func $net_activate (param $code i32) (param $z f64) (result f64)
  (local $e f64)
  (if (i32.eq (local.get $code) (i32.const 1)) (then (return (call $math_tanh (local.get $z)))))
  (if (i32.eq (local.get $code) (i32.const 2)) (then
    (return (select (local.get $z) (f64.const 0) (f64.gt (local.get $z) (f64.const 0))))))
  (if (i32.eq (local.get $code) (i32.const 3)) (then
    (local.set $e (call $math_exp (f64.neg (f64.abs (local.get $z)))))
    (return (select
      (f64.div (f64.const 1) (f64.add (f64.const 1) (local.get $e)))
      (f64.div (local.get $e) (f64.add (f64.const 1) (local.get $e)))
      (f64.ge (local.get $z) (f64.const 0))))))
  (local.get $z))

;; a_l = g_l(W_l·a_(l−1) + b_l) for every layer, a_0 = the row at $x.
(func $net_forward (param $layers i32) (param $depth i32) (param $theta i32) (param $a i32) (param $x i32)
  (local $l i32) (local $t i32) (local $n i32) (local $m i32) (local $code i32) (local $W i32) (local $b i32)
  (local $in i32) (local $out i32) (local $o i32) (local $i i32) (local $at i32) (local $row i32)
  (local $w0 i32) (local $w1 i32) (local $w2 i32) (local $w3 i32) (local $v v128) (local $za v128) (local $zb v128) (local $z f64)
  (block $layered (loop $layer
    (br_if $layered (i32.ge_s (local.get $l) (local.get $depth)))
    (local.set $t (i32.add (local.get $layers) (i32.shl (local.get $l) (i32.const 5))))
    (local.set $n (i32.load (local.get $t)))
    (local.set $m (i32.load offset=4 (local.get $t)))
    (local.set $code (i32.load offset=8 (local.get $t)))
    (local.set $W (i32.add (local.get $theta) (i32.load offset=12 (local.get $t))))
    (local.set $b (i32.add (local.get $theta) (i32.load offset=16 (local.get $t))))
    (local.set $in (select (local.get $x) (i32.add (local.get $a) (i32.load offset=20 (local.get $t))) (i32.eqz (local.get $l))))
    (local.set $out (i32.add (local.get $a) (i32.load offset=24 (local.get $t))))
    (local.set $row (i32.shl (local.get $n) (i32.const 3)))
    (local.set $o (i32.const 0))
    ;; four outputs at a time: z of o, o + 1 in the lanes of za, of o + 2, o + 3 in zb
    (block $fours (loop $four
      (br_if $fours (i32.gt_s (i32.add (local.get $o) (i32.const 4)) (local.get $m)))
      (local.set $w0 (i32.add (local.get $W) (i32.mul (local.get $o) (local.get $row))))
      (local.set $w1 (i32.add (local.get $w0) (local.get $row)))
      (local.set $w2 (i32.add (local.get $w1) (local.get $row)))
      (local.set $w3 (i32.add (local.get $w2) (local.get $row)))
      (local.set $at (i32.add (local.get $b) (i32.shl (local.get $o) (i32.const 3))))
      (local.set $za (v128.load (local.get $at)))
      (local.set $zb (v128.load offset=16 (local.get $at)))
      (local.set $i (i32.const 0))
      (block $summed (loop $sum
        (br_if $summed (i32.ge_s (local.get $i) (local.get $row)))
        (local.set $v (v128.load64_splat (i32.add (local.get $in) (local.get $i))))
        (local.set $za (f64x2.add (local.get $za) (f64x2.mul
          (v128.load64_lane 1 (i32.add (local.get $w1) (local.get $i)) (v128.load64_splat (i32.add (local.get $w0) (local.get $i))))
          (local.get $v))))
        (local.set $zb (f64x2.add (local.get $zb) (f64x2.mul
          (v128.load64_lane 1 (i32.add (local.get $w3) (local.get $i)) (v128.load64_splat (i32.add (local.get $w2) (local.get $i))))
          (local.get $v))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $sum)))
      (local.set $at (i32.add (local.get $out) (i32.shl (local.get $o) (i32.const 3))))
      (f64.store (local.get $at) (call $net_activate (local.get $code) (f64x2.extract_lane 0 (local.get $za))))
      (f64.store offset=8 (local.get $at) (call $net_activate (local.get $code) (f64x2.extract_lane 1 (local.get $za))))
      (f64.store offset=16 (local.get $at) (call $net_activate (local.get $code) (f64x2.extract_lane 0 (local.get $zb))))
      (f64.store offset=24 (local.get $at) (call $net_activate (local.get $code) (f64x2.extract_lane 1 (local.get $zb))))
      (local.set $o (i32.add (local.get $o) (i32.const 4)))
      (br $four)))
    ;; the last outputs, one at a time
    (block $done (loop $each
      (br_if $done (i32.ge_s (local.get $o) (local.get $m)))
      (local.set $w0 (i32.add (local.get $W) (i32.mul (local.get $o) (local.get $row))))
      (local.set $z (f64.load (i32.add (local.get $b) (i32.shl (local.get $o) (i32.const 3)))))
      (local.set $i (i32.const 0))
      (block $summed (loop $sum
        (br_if $summed (i32.ge_s (local.get $i) (local.get $row)))
        (local.set $z (f64.add (local.get $z) (f64.mul
          (f64.load (i32.add (local.get $w0) (local.get $i)))
          (f64.load (i32.add (local.get $in) (local.get $i))))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $sum)))
      (f64.store (i32.add (local.get $out) (i32.shl (local.get $o) (i32.const 3))) (call $net_activate (local.get $code) (local.get $z)))
      (local.set $o (i32.add (local.get $o) (i32.const 1)))
      (br $each)))
    (local.set $l (i32.add (local.get $l) (i32.const 1)))
    (br $layer))))

;; With δ_L = ∂loss/∂z_L in the deltas: for l = L … 1, ∇W_l += δ_l·a_(l−1)ᵀ, ∇b_l += δ_l and, below
;; the first layer, δ_(l−1) = (W_lᵀ·δ_l) ⊙ g′_(l−1), g′ read from the activation (1 − a², [a > 0],
;; a·(1 − a)), as backward() does.
(func $net_backward (param $layers i32) (param $depth i32) (param $theta i32) (param $grad i32) (param $a i32) (param $delta i32) (param $x i32)
  (local $l i32) (local $t i32) (local $n i32) (local $m i32) (local $w i32) (local $b i32) (local $in i32) (local $din i32)
  (local $dout i32) (local $below i32) (local $o i32) (local $i i32) (local $row i32) (local $code i32) (local $at i32)
  (local $d f64) (local $dv v128) (local $s v128) (local $v v128)
  (local.set $l (i32.sub (local.get $depth) (i32.const 1)))
  (loop $layer
    (local.set $t (i32.add (local.get $layers) (i32.shl (local.get $l) (i32.const 5))))
    (local.set $n (i32.load (local.get $t)))
    (local.set $m (i32.load offset=4 (local.get $t)))
    (local.set $b (i32.load offset=16 (local.get $t)))
    (local.set $below (i32.gt_s (local.get $l) (i32.const 0)))
    (local.set $in (select (i32.add (local.get $a) (i32.load offset=20 (local.get $t))) (local.get $x) (local.get $below)))
    (local.set $din (i32.add (local.get $delta) (i32.load offset=20 (local.get $t))))
    (local.set $dout (i32.add (local.get $delta) (i32.load offset=24 (local.get $t))))
    (local.set $row (i32.shl (local.get $n) (i32.const 3)))
    (if (local.get $below) (then (memory.fill (local.get $din) (i32.const 0) (local.get $row))))
    (local.set $o (i32.const 0))
    (block $done (loop $each
      (br_if $done (i32.ge_s (local.get $o) (local.get $m)))
      (local.set $d (f64.load (i32.add (local.get $dout) (i32.shl (local.get $o) (i32.const 3)))))
      (local.set $at (i32.add (local.get $grad) (i32.add (local.get $b) (i32.shl (local.get $o) (i32.const 3)))))
      (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (local.get $d)))
      (local.set $dv (f64x2.splat (local.get $d)))
      ;; this row of W: ∇W's row += d·a_(l−1), and (below the first layer) δ_(l−1) += W's row·d
      (local.set $w (i32.add (i32.load offset=12 (local.get $t)) (i32.mul (local.get $o) (local.get $row))))
      (local.set $i (i32.const 0))
      (block $paired (loop $pair
        (br_if $paired (i32.gt_s (i32.add (local.get $i) (i32.const 16)) (local.get $row)))
        (local.set $at (i32.add (local.get $grad) (i32.add (local.get $w) (local.get $i))))
        (v128.store (local.get $at) (f64x2.add (v128.load (local.get $at))
          (f64x2.mul (local.get $dv) (v128.load (i32.add (local.get $in) (local.get $i))))))
        (if (local.get $below) (then
          (local.set $at (i32.add (local.get $din) (local.get $i)))
          (v128.store (local.get $at) (f64x2.add (v128.load (local.get $at))
            (f64x2.mul (v128.load (i32.add (local.get $theta) (i32.add (local.get $w) (local.get $i)))) (local.get $dv))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $pair)))
      (if (i32.lt_s (local.get $i) (local.get $row)) (then
        (local.set $at (i32.add (local.get $grad) (i32.add (local.get $w) (local.get $i))))
        (f64.store (local.get $at) (f64.add (f64.load (local.get $at))
          (f64.mul (local.get $d) (f64.load (i32.add (local.get $in) (local.get $i))))))
        (if (local.get $below) (then
          (local.set $at (i32.add (local.get $din) (local.get $i)))
          (f64.store (local.get $at) (f64.add (f64.load (local.get $at))
            (f64.mul (f64.load (i32.add (local.get $theta) (i32.add (local.get $w) (local.get $i)))) (local.get $d))))))))
      (local.set $o (i32.add (local.get $o) (i32.const 1)))
      (br $each)))
    (if (local.get $below) (then
      ;; δ_(l−1) ⊙ g′ of the layer below, two elements at a time (for an odd last one the pair's second
      ;; lane reads past a_(l−1), into a_l, and is not stored)
      (local.set $code (i32.load offset=8 (i32.sub (local.get $t) (i32.const 32))))
      (local.set $i (i32.const 0))
      (block $scaled (loop $scale
        (br_if $scaled (i32.ge_s (local.get $i) (local.get $row)))
        (local.set $s (v128.load (i32.add (local.get $din) (local.get $i))))
        (local.set $v (v128.load (i32.add (local.get $in) (local.get $i))))
        (local.set $s (if (result v128) (i32.eq (local.get $code) (i32.const 1))
          (then (f64x2.mul (local.get $s) (f64x2.sub (f64x2.splat (f64.const 1)) (f64x2.mul (local.get $v) (local.get $v)))))
          (else (if (result v128) (i32.eq (local.get $code) (i32.const 2))
            (then (v128.and (local.get $s) (f64x2.gt (local.get $v) (f64x2.splat (f64.const 0)))))
            (else (f64x2.mul (f64x2.mul (local.get $s) (local.get $v)) (f64x2.sub (f64x2.splat (f64.const 1)) (local.get $v))))))))
        (if (i32.lt_s (i32.add (local.get $i) (i32.const 8)) (local.get $row))
          (then (v128.store (i32.add (local.get $din) (local.get $i)) (local.get $s)))
          (else (f64.store (i32.add (local.get $din) (local.get $i)) (f64x2.extract_lane 0 (local.get $s)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $scale)))
      (local.set $l (i32.sub (local.get $l) (i32.const 1)))
      (br $layer)))))

;; The batch's loss into out[0] (times 1/count when `mean`) and, with grad ≠ 0, its gradient (size
;; numbers) into grad: the rows rows[k] (i32; rows 0: row k is k), k < count. theta, grad, a
;; (activations), delta, X (n × n_in, row-major), y, out: byte addresses. softmax: the loss is the
;; cross-entropy of the scores' softmax against the class y (else the squared error of the one output).
(func $network_batch (export "network_batch")
  (param $layers i32) (param $depth i32) (param $theta i32) (param $grad i32) (param $size i32) (param $a i32) (param $delta i32)
  (param $X i32) (param $y i32) (param $rows i32) (param $count i32) (param $softmax i32) (param $mean i32) (param $out i32)
  (local $k i32) (local $r i32) (local $row i32) (local $last i32) (local $K i32) (local $scores i32) (local $ds i32)
  (local $c i32) (local $label i32) (local $x i32)
  (local $scale f64) (local $total f64) (local $t f64) (local $max f64) (local $sum f64) (local $e f64)
  (local.set $row (i32.shl (i32.load (local.get $layers)) (i32.const 3)))
  (local.set $last (i32.add (local.get $layers) (i32.shl (i32.sub (local.get $depth) (i32.const 1)) (i32.const 5))))
  (local.set $K (i32.load offset=4 (local.get $last)))
  (local.set $scores (i32.add (local.get $a) (i32.load offset=24 (local.get $last))))
  (local.set $ds (i32.add (local.get $delta) (i32.load offset=24 (local.get $last))))
  (local.set $scale (select (f64.div (f64.const 1) (f64.convert_i32_s (local.get $count))) (f64.const 1) (local.get $mean)))
  (if (local.get $grad) (then (memory.fill (local.get $grad) (i32.const 0) (i32.shl (local.get $size) (i32.const 3)))))
  (block $done (loop $each
    (br_if $done (i32.ge_s (local.get $k) (local.get $count)))
    (local.set $r (select (local.get $k) (i32.load (i32.add (local.get $rows) (i32.shl (local.get $k) (i32.const 2)))) (i32.eqz (local.get $rows))))
    (local.set $x (i32.add (local.get $X) (i32.mul (local.get $r) (local.get $row))))
    (call $net_forward (local.get $layers) (local.get $depth) (local.get $theta) (local.get $a) (local.get $x))
    (local.set $t (f64.load (i32.add (local.get $y) (i32.shl (local.get $r) (i32.const 3)))))
    (if (local.get $softmax)
      (then
        ;; −log p_t = m + log Σ_c e^(z_c − m) − z_t, m = max z (the first of the largest; NaN never wins)
        (local.set $max (f64.const -inf))
        (local.set $c (i32.const 0))
        (block $maxed (loop $maximum
          (br_if $maxed (i32.ge_s (local.get $c) (local.get $K)))
          (local.set $e (f64.load (i32.add (local.get $scores) (i32.shl (local.get $c) (i32.const 3)))))
          (local.set $max (select (local.get $e) (local.get $max) (f64.gt (local.get $e) (local.get $max))))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br $maximum)))
        (local.set $sum (f64.const 0))
        (local.set $c (i32.const 0))
        (block $summed (loop $exps
          (br_if $summed (i32.ge_s (local.get $c) (local.get $K)))
          (local.set $e (call $math_exp (f64.sub (f64.load (i32.add (local.get $scores) (i32.shl (local.get $c) (i32.const 3)))) (local.get $max))))
          (f64.store (i32.add (local.get $ds) (i32.shl (local.get $c) (i32.const 3))) (local.get $e))
          (local.set $sum (f64.add (local.get $sum) (local.get $e)))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br $exps)))
        (local.set $label (i32.trunc_f64_s (local.get $t)))
        (local.set $total (f64.add (local.get $total) (f64.sub
          (f64.add (local.get $max) (call $math_log (local.get $sum)))
          (f64.load (i32.add (local.get $scores) (i32.shl (local.get $label) (i32.const 3)))))))
        (if (local.get $grad) (then
          ;; ∂/∂z_c = p_c − [c = t]
          (local.set $c (i32.const 0))
          (block $derived (loop $derive
            (br_if $derived (i32.ge_s (local.get $c) (local.get $K)))
            (local.set $e (f64.load (i32.add (local.get $ds) (i32.shl (local.get $c) (i32.const 3)))))
            (f64.store (i32.add (local.get $ds) (i32.shl (local.get $c) (i32.const 3))) (f64.mul
              (f64.sub (f64.div (local.get $e) (local.get $sum)) (select (f64.const 1) (f64.const 0) (i32.eq (local.get $c) (local.get $label))))
              (local.get $scale)))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $derive))))))
      (else
        (local.set $t (f64.sub (f64.load (local.get $scores)) (local.get $t)))
        (local.set $total (f64.add (local.get $total) (f64.mul (local.get $t) (local.get $t))))
        (f64.store (local.get $ds) (f64.mul (f64.mul (f64.const 2) (local.get $t)) (local.get $scale)))))
    (if (local.get $grad) (then
      (call $net_backward (local.get $layers) (local.get $depth) (local.get $theta) (local.get $grad) (local.get $a) (local.get $delta) (local.get $x))))
    (local.set $k (i32.add (local.get $k) (i32.const 1)))
    (br $each)))
  (f64.store (local.get $out) (f64.mul (local.get $total) (local.get $scale))))
