;; A dense network's batch in one call: for each row, the forward pass, the loss (softmax cross-entropy
;; or squared error) and backpropagation into the gradient. The twin of the JavaScript path
;; (Network.accumulate, forward and backward in src/models/dense-network.ts): the same operations in
;; the same order, so the two give the same bits. Each output's pre-activation is the sequential sum
;; b + Σ_i w_i·a_i in i order; eight outputs' sums run side by side in the lanes of four f64x2 (eight
;; independent chains keep the adder busy), over a transposed copy of W made once a call (so that the
;; lanes' weights are adjacent). The backward pass's updates are element-wise (each element of the
;; gradient and of δ gets one term per output, in the outputs' order): f64x2 over i, two rows of W a pass.
;; Included in the generated module by scripts/kernels/generate.ts; called by
;; src/objectives/wasm-network-risk.ts.
;;
;; layers: the layer table, 8 i32 (32 bytes) a layer, input to output: n_in, n_out, the activation
;; (0 identity, 1 tanh, 2 relu, 3 sigmoid), then byte offsets: W's and b's in θ (the same in the
;; gradient), a_(l−1)'s and a_l's in the activations (the same in the deltas), b's and Wᵀ's in the
;; transposed block ($net_transpose); the last layer's a_L are the scores. Layer 0 reads its input
;; from the row of X in place (a_0 is never copied).

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

;; The outputs o … o + 3 of a layer below m (o itself always is) from their pre-activations in the
;; lanes of za and zb: identity and relu (z > 0 ? z : +0, a lane mask) two at a time where all four are.
(func $net_store4 (param $out i32) (param $o i32) (param $m i32) (param $code i32) (param $za v128) (param $zb v128)
  (local.set $out (i32.add (local.get $out) (i32.shl (local.get $o) (i32.const 3))))
  (if (i32.and (i32.le_s (i32.add (local.get $o) (i32.const 4)) (local.get $m)) (i32.eqz (i32.and (local.get $code) (i32.const 1)))) (then
    (if (local.get $code) (then
      (local.set $za (v128.and (local.get $za) (f64x2.gt (local.get $za) (f64x2.splat (f64.const 0)))))
      (local.set $zb (v128.and (local.get $zb) (f64x2.gt (local.get $zb) (f64x2.splat (f64.const 0)))))))
    (v128.store (local.get $out) (local.get $za))
    (v128.store offset=16 (local.get $out) (local.get $zb))
    (return)))
  (f64.store (local.get $out) (call $net_activate (local.get $code) (f64x2.extract_lane 0 (local.get $za))))
  (if (i32.ge_s (i32.add (local.get $o) (i32.const 1)) (local.get $m)) (then (return)))
  (f64.store offset=8 (local.get $out) (call $net_activate (local.get $code) (f64x2.extract_lane 1 (local.get $za))))
  (if (i32.ge_s (i32.add (local.get $o) (i32.const 2)) (local.get $m)) (then (return)))
  (f64.store offset=16 (local.get $out) (call $net_activate (local.get $code) (f64x2.extract_lane 0 (local.get $zb))))
  (if (i32.ge_s (i32.add (local.get $o) (i32.const 3)) (local.get $m)) (then (return)))
  (f64.store offset=24 (local.get $out) (call $net_activate (local.get $code) (f64x2.extract_lane 1 (local.get $zb)))))

;; θ's b and W of every layer into the block at $wt, once a call, so that the forward pass reads the
;; weights of consecutive outputs from consecutive addresses: per layer, b then Wᵀ (n_in rows of the
;; outputs' weights), each row m4 = n_out rounded up to 4 long (the padding stays 0).
(func $net_transpose (param $layers i32) (param $depth i32) (param $theta i32) (param $wt i32)
  (local $l i32) (local $t i32) (local $n i32) (local $m i32) (local $stride i32) (local $W i32) (local $to i32)
  (local $o i32) (local $i i32) (local $at i32)
  (block $layered (loop $layer
    (br_if $layered (i32.ge_s (local.get $l) (local.get $depth)))
    (local.set $t (i32.add (local.get $layers) (i32.shl (local.get $l) (i32.const 5))))
    (local.set $n (i32.load (local.get $t)))
    (local.set $m (i32.load offset=4 (local.get $t)))
    (local.set $stride (i32.shl (i32.and (i32.add (local.get $m) (i32.const 3)) (i32.const -4)) (i32.const 3)))
    (local.set $W (i32.add (local.get $theta) (i32.load offset=12 (local.get $t))))
    (local.set $to (i32.add (local.get $wt) (i32.load offset=28 (local.get $t))))
    (memory.copy (local.get $to) (i32.add (local.get $theta) (i32.load offset=16 (local.get $t))) (i32.shl (local.get $m) (i32.const 3)))
    (local.set $o (i32.const 0))
    (block $rowed (loop $row
      (br_if $rowed (i32.ge_s (local.get $o) (local.get $m)))
      (local.set $at (i32.add (local.get $to) (i32.shl (local.get $o) (i32.const 3))))
      (local.set $i (i32.const 0))
      (block $copied (loop $copy
        (br_if $copied (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $at (i32.add (local.get $at) (local.get $stride)))
        (f64.store (local.get $at) (f64.load (local.get $W)))
        (local.set $W (i32.add (local.get $W) (i32.const 8)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $copy)))
      (local.set $o (i32.add (local.get $o) (i32.const 1)))
      (br $row)))
    (local.set $l (i32.add (local.get $l) (i32.const 1)))
    (br $layer))))

;; a_l = g_l(W_l·a_(l−1) + b_l) for every layer, a_0 = the row at $x, reading b and W from the
;; transposed block at $wt: eight outputs at a time (four f64x2 chains), then four.
(func $net_forward (param $layers i32) (param $depth i32) (param $wt i32) (param $a i32) (param $x i32)
  (local $l i32) (local $t i32) (local $m i32) (local $code i32) (local $stride i32) (local $from i32)
  (local $in i32) (local $end i32) (local $out i32) (local $o i32) (local $p i32) (local $q i32)
  (local $v v128) (local $z0 v128) (local $z1 v128) (local $z2 v128) (local $z3 v128)
  (block $layered (loop $layer
    (br_if $layered (i32.ge_s (local.get $l) (local.get $depth)))
    (local.set $t (i32.add (local.get $layers) (i32.shl (local.get $l) (i32.const 5))))
    (local.set $m (i32.load offset=4 (local.get $t)))
    (local.set $code (i32.load offset=8 (local.get $t)))
    (local.set $stride (i32.shl (i32.and (i32.add (local.get $m) (i32.const 3)) (i32.const -4)) (i32.const 3)))
    (local.set $from (i32.add (local.get $wt) (i32.load offset=28 (local.get $t))))
    (local.set $in (select (local.get $x) (i32.add (local.get $a) (i32.load offset=20 (local.get $t))) (i32.eqz (local.get $l))))
    (local.set $end (i32.add (local.get $in) (i32.shl (i32.load (local.get $t)) (i32.const 3))))
    (local.set $out (i32.add (local.get $a) (i32.load offset=24 (local.get $t))))
    (local.set $o (i32.const 0))
    (block $eights (loop $eight
      (br_if $eights (i32.gt_s (i32.shl (i32.add (local.get $o) (i32.const 8)) (i32.const 3)) (local.get $stride)))
      ;; z = b, then z += w_i·a_i for i in order
      (local.set $p (i32.add (local.get $from) (i32.shl (local.get $o) (i32.const 3))))
      (local.set $z0 (v128.load (local.get $p)))
      (local.set $z1 (v128.load offset=16 (local.get $p)))
      (local.set $z2 (v128.load offset=32 (local.get $p)))
      (local.set $z3 (v128.load offset=48 (local.get $p)))
      (local.set $q (local.get $in))
      (block $summed (loop $sum
        (br_if $summed (i32.ge_u (local.get $q) (local.get $end)))
        (local.set $p (i32.add (local.get $p) (local.get $stride)))
        (local.set $v (v128.load64_splat (local.get $q)))
        (local.set $z0 (f64x2.add (local.get $z0) (f64x2.mul (v128.load (local.get $p)) (local.get $v))))
        (local.set $z1 (f64x2.add (local.get $z1) (f64x2.mul (v128.load offset=16 (local.get $p)) (local.get $v))))
        (local.set $z2 (f64x2.add (local.get $z2) (f64x2.mul (v128.load offset=32 (local.get $p)) (local.get $v))))
        (local.set $z3 (f64x2.add (local.get $z3) (f64x2.mul (v128.load offset=48 (local.get $p)) (local.get $v))))
        (local.set $q (i32.add (local.get $q) (i32.const 8)))
        (br $sum)))
      (call $net_store4 (local.get $out) (local.get $o) (local.get $m) (local.get $code) (local.get $z0) (local.get $z1))
      (call $net_store4 (local.get $out) (i32.add (local.get $o) (i32.const 4)) (local.get $m) (local.get $code) (local.get $z2) (local.get $z3))
      (local.set $o (i32.add (local.get $o) (i32.const 8)))
      (br $eight)))
    (if (i32.lt_s (i32.shl (local.get $o) (i32.const 3)) (local.get $stride)) (then
      (local.set $p (i32.add (local.get $from) (i32.shl (local.get $o) (i32.const 3))))
      (local.set $z0 (v128.load (local.get $p)))
      (local.set $z1 (v128.load offset=16 (local.get $p)))
      (local.set $q (local.get $in))
      (block $summed (loop $sum
        (br_if $summed (i32.ge_u (local.get $q) (local.get $end)))
        (local.set $p (i32.add (local.get $p) (local.get $stride)))
        (local.set $v (v128.load64_splat (local.get $q)))
        (local.set $z0 (f64x2.add (local.get $z0) (f64x2.mul (v128.load (local.get $p)) (local.get $v))))
        (local.set $z1 (f64x2.add (local.get $z1) (f64x2.mul (v128.load offset=16 (local.get $p)) (local.get $v))))
        (local.set $q (i32.add (local.get $q) (i32.const 8)))
        (br $sum)))
      (call $net_store4 (local.get $out) (local.get $o) (local.get $m) (local.get $code) (local.get $z0) (local.get $z1))))
    (local.set $l (i32.add (local.get $l) (i32.const 1)))
    (br $layer))))

;; One row of W, its δ d, in the backward pass: ∇W's row (at g) += d·a_(l−1) and, with din ≠ 0 (below
;; the first layer), δ_(l−1) += W's row (at w)·d; `row` bytes each.
(func $net_row (param $g i32) (param $w i32) (param $row i32) (param $in i32) (param $din i32) (param $d f64)
  (local $i i32) (local $at i32) (local $dv v128)
  (local.set $dv (f64x2.splat (local.get $d)))
  (block $paired (loop $pair
    (br_if $paired (i32.gt_s (i32.add (local.get $i) (i32.const 16)) (local.get $row)))
    (local.set $at (i32.add (local.get $g) (local.get $i)))
    (v128.store (local.get $at) (f64x2.add (v128.load (local.get $at)) (f64x2.mul (local.get $dv) (v128.load (i32.add (local.get $in) (local.get $i))))))
    (if (local.get $din) (then
      (local.set $at (i32.add (local.get $din) (local.get $i)))
      (v128.store (local.get $at) (f64x2.add (v128.load (local.get $at)) (f64x2.mul (v128.load (i32.add (local.get $w) (local.get $i))) (local.get $dv))))))
    (local.set $i (i32.add (local.get $i) (i32.const 16)))
    (br $pair)))
  (if (i32.lt_s (local.get $i) (local.get $row)) (then
    (local.set $at (i32.add (local.get $g) (local.get $i)))
    (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (f64.mul (local.get $d) (f64.load (i32.add (local.get $in) (local.get $i))))))
    (if (local.get $din) (then
      (local.set $at (i32.add (local.get $din) (local.get $i)))
      (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (f64.mul (f64.load (i32.add (local.get $w) (local.get $i))) (local.get $d)))))))))

;; Two consecutive rows of W (the second `row` bytes after the first), their δ d and e: $net_row for
;; the first then the second, in one pass (each element of δ_(l−1) gets d's term, then e's).
(func $net_rows (param $g i32) (param $w i32) (param $row i32) (param $in i32) (param $din i32) (param $d f64) (param $e f64)
  (local $i i32) (local $at i32) (local $dv v128) (local $ev v128) (local $x v128) (local $s v128)
  (local.set $dv (f64x2.splat (local.get $d)))
  (local.set $ev (f64x2.splat (local.get $e)))
  (block $paired (loop $pair
    (br_if $paired (i32.gt_s (i32.add (local.get $i) (i32.const 16)) (local.get $row)))
    (local.set $x (v128.load (i32.add (local.get $in) (local.get $i))))
    (local.set $at (i32.add (local.get $g) (local.get $i)))
    (v128.store (local.get $at) (f64x2.add (v128.load (local.get $at)) (f64x2.mul (local.get $dv) (local.get $x))))
    (local.set $at (i32.add (local.get $at) (local.get $row)))
    (v128.store (local.get $at) (f64x2.add (v128.load (local.get $at)) (f64x2.mul (local.get $ev) (local.get $x))))
    (if (local.get $din) (then
      (local.set $at (i32.add (local.get $w) (local.get $i)))
      (local.set $s (f64x2.add (v128.load (i32.add (local.get $din) (local.get $i))) (f64x2.mul (v128.load (local.get $at)) (local.get $dv))))
      (local.set $s (f64x2.add (local.get $s) (f64x2.mul (v128.load (i32.add (local.get $at) (local.get $row))) (local.get $ev))))
      (v128.store (i32.add (local.get $din) (local.get $i)) (local.get $s))))
    (local.set $i (i32.add (local.get $i) (i32.const 16)))
    (br $pair)))
  (if (i32.lt_s (local.get $i) (local.get $row)) (then
    (call $net_row (i32.add (local.get $g) (local.get $i)) (i32.add (local.get $w) (local.get $i)) (i32.const 8)
      (i32.add (local.get $in) (local.get $i)) (select (i32.add (local.get $din) (local.get $i)) (i32.const 0) (local.get $din)) (local.get $d))
    (call $net_row (i32.add (local.get $g) (i32.add (local.get $row) (local.get $i))) (i32.add (local.get $w) (i32.add (local.get $row) (local.get $i))) (i32.const 8)
      (i32.add (local.get $in) (local.get $i)) (select (i32.add (local.get $din) (local.get $i)) (i32.const 0) (local.get $din)) (local.get $e)))))

;; With δ_L = ∂loss/∂z_L in the deltas: for l = L … 1, ∇W_l += δ_l·a_(l−1)ᵀ, ∇b_l += δ_l and, below
;; the first layer, δ_(l−1) = (W_lᵀ·δ_l) ⊙ g′_(l−1), g′ read from the activation (1 − a², [a > 0],
;; a·(1 − a)), as backward() does.
(func $net_backward (param $layers i32) (param $depth i32) (param $theta i32) (param $grad i32) (param $a i32) (param $delta i32) (param $x i32)
  (local $l i32) (local $t i32) (local $n i32) (local $m i32) (local $w i32) (local $b i32) (local $in i32) (local $din i32)
  (local $dout i32) (local $below i32) (local $o i32) (local $i i32) (local $row i32) (local $code i32) (local $at i32)
  (local $d f64) (local $e f64) (local $s v128) (local $v v128)
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
    ;; two rows of W at a time (δ_(l−1)'s elements get the two terms in the rows' order), then the last one
    (local.set $o (i32.const 0))
    (block $done (loop $each
      (br_if $done (i32.ge_s (local.get $o) (local.get $m)))
      (local.set $at (i32.shl (local.get $o) (i32.const 3)))
      (local.set $w (i32.add (i32.load offset=12 (local.get $t)) (i32.mul (local.get $o) (local.get $row))))
      (local.set $d (f64.load (i32.add (local.get $dout) (local.get $at))))
      (local.set $at (i32.add (local.get $grad) (i32.add (local.get $b) (local.get $at))))
      (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (local.get $d)))
      (if (i32.lt_s (i32.add (local.get $o) (i32.const 1)) (local.get $m))
        (then
          (local.set $e (f64.load offset=8 (i32.add (local.get $dout) (i32.shl (local.get $o) (i32.const 3)))))
          (f64.store offset=8 (local.get $at) (f64.add (f64.load offset=8 (local.get $at)) (local.get $e)))
          (call $net_rows (i32.add (local.get $grad) (local.get $w)) (i32.add (local.get $theta) (local.get $w)) (local.get $row)
            (local.get $in) (select (local.get $din) (i32.const 0) (local.get $below)) (local.get $d) (local.get $e))
          (local.set $o (i32.add (local.get $o) (i32.const 2))))
        (else
          (call $net_row (i32.add (local.get $grad) (local.get $w)) (i32.add (local.get $theta) (local.get $w)) (local.get $row)
            (local.get $in) (select (local.get $din) (i32.const 0) (local.get $below)) (local.get $d))
          (local.set $o (i32.add (local.get $o) (i32.const 1)))))
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
;; numbers) into grad: the rows rows[k] (i32; rows 0: row k is k), k < count. theta, grad, wt (the
;; transposed block), a (activations), delta, X (n × n_in, row-major), y, out: byte addresses. softmax: the loss is the
;; cross-entropy of the scores' softmax against the class y (else the squared error of the one output).
(func $network_batch (export "network_batch")
  (param $layers i32) (param $depth i32) (param $theta i32) (param $grad i32) (param $size i32) (param $wt i32) (param $a i32) (param $delta i32)
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
  (call $net_transpose (local.get $layers) (local.get $depth) (local.get $theta) (local.get $wt))
  (block $done (loop $each
    (br_if $done (i32.ge_s (local.get $k) (local.get $count)))
    (local.set $r (select (local.get $k) (i32.load (i32.add (local.get $rows) (i32.shl (local.get $k) (i32.const 2)))) (i32.eqz (local.get $rows))))
    (local.set $x (i32.add (local.get $X) (i32.mul (local.get $r) (local.get $row))))
    (call $net_forward (local.get $layers) (local.get $depth) (local.get $wt) (local.get $a) (local.get $x))
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
