;; A batch of an empirical risk in one call: for each row, the model's forward pass, the loss's
;; derivative (and its value when asked) and the model's backward pass, fused. The twin of the
;; JavaScript path (empiricalRisk over src/models/linear.ts and src/losses/loss.ts): the same
;; operations in the same order, so the two give the same bits. The score is a sequential sum as in
;; JavaScript (rows are independent, so the CPU overlaps one row's sum with the next's); the gradient
;; update grad[j+1] += w·x_j runs in f64x2 pairs, element by element the same operations.
;; Included in the generated module by scripts/kernels/generate.ts; called by src/objectives/wasm-risk.ts.
;;
;; form: bit 0 = the model squashes (σ: sigmoidRegression), bits 1–2 = the loss: 0 sumOfSquares,
;; 1 meanSquaredError, 2 binaryCrossEntropy (mean), 3 binaryCrossEntropy (sum).
;; theta, grad, X (n × d, row-major), y, rows (i32 row indices; 0: row k is k), out: byte addresses
;; (0 is no block's address). grad 0: no gradient. value 0: out[0] gets, instead of the loss, a number finite exactly where the
;; loss is (binary cross-entropy leaves out its log(1 + e^−|z|) terms, each in [0, ln 2]).
(func $risk_batch (export "risk_batch")
  (param $form i32) (param $theta i32) (param $grad i32) (param $X i32) (param $y i32) (param $rows i32)
  (param $count i32) (param $d i32) (param $value i32) (param $out i32)
  (local $k i32) (local $j i32) (local $row i32) (local $x i32) (local $g i32) (local $pairs i32) (local $loss i32)
  (local $z f64) (local $t f64) (local $f f64) (local $e f64) (local $r f64) (local $w f64) (local $sum f64)
  (local $n f64) (local $scale f64) (local $wv v128)
  (local.set $loss (i32.shr_u (local.get $form) (i32.const 1)))
  (local.set $n (f64.convert_i32_s (local.get $count)))
  (local.set $scale (select (f64.div (f64.const 1) (local.get $n)) (f64.const 1) (i32.eq (local.get $loss) (i32.const 2))))
  (local.set $pairs (i32.and (local.get $d) (i32.const -2)))
  (if (local.get $grad) (then
    (local.set $j (i32.const 0))
    (block $zeroed (loop $zero
      (br_if $zeroed (i32.gt_s (local.get $j) (local.get $d)))
      (f64.store (i32.add (local.get $grad) (i32.shl (local.get $j) (i32.const 3))) (f64.const 0))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $zero)))))
  (local.set $k (i32.const 0))
  (block $done (loop $each
    (br_if $done (i32.ge_s (local.get $k) (local.get $count)))
    (local.set $row (select (local.get $k) (i32.load (i32.add (local.get $rows) (i32.shl (local.get $k) (i32.const 2))))
      (i32.eqz (local.get $rows))))
    (local.set $x (i32.add (local.get $X) (i32.shl (i32.mul (local.get $row) (local.get $d)) (i32.const 3))))
    ;; z = θ0 + Σ_j θ_(j+1)·x_j, in order
    (local.set $z (f64.load (local.get $theta)))
    (local.set $j (i32.const 0))
    (block $scored (loop $score
      (br_if $scored (i32.ge_s (local.get $j) (local.get $d)))
      (local.set $z (f64.add (local.get $z) (f64.mul
        (f64.load offset=8 (i32.add (local.get $theta) (i32.shl (local.get $j) (i32.const 3))))
        (f64.load (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 3)))))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $score)))
    ;; f = z, or σ(z) = 1/(1 + e^−z) computed from e = e^−|z|
    (local.set $f (local.get $z))
    (if (i32.and (local.get $form) (i32.const 1)) (then
      (local.set $e (call $math_exp (f64.neg (f64.abs (local.get $z)))))
      (local.set $f (select
        (f64.div (f64.const 1) (f64.add (f64.const 1) (local.get $e)))
        (f64.div (local.get $e) (f64.add (f64.const 1) (local.get $e)))
        (f64.ge (local.get $z) (f64.const 0))))))
    (local.set $t (f64.load (i32.add (local.get $y) (i32.shl (local.get $row) (i32.const 3)))))
    ;; w = ∂loss/∂f, and the loss's term
    (if (i32.lt_u (local.get $loss) (i32.const 2))
      (then
        (local.set $r (f64.sub (local.get $f) (local.get $t)))
        (local.set $sum (f64.add (local.get $sum) (f64.mul (local.get $r) (local.get $r))))
        (local.set $w (f64.mul (f64.const 2) (local.get $r)))
        (if (local.get $loss) (then (local.set $w (f64.div (local.get $w) (local.get $n))))))
      (else
        (local.set $e (call $math_exp (f64.neg (f64.abs (local.get $f)))))
        (local.set $r (f64.sub (f64.max (local.get $f) (f64.const 0)) (f64.mul (local.get $t) (local.get $f))))
        (if (local.get $value) (then (local.set $r (f64.add (local.get $r) (call $math_log1p (local.get $e))))))
        (local.set $sum (f64.add (local.get $sum) (local.get $r)))
        (local.set $w (f64.mul
          (f64.sub
            (select
              (f64.div (f64.const 1) (f64.add (f64.const 1) (local.get $e)))
              (f64.div (local.get $e) (f64.add (f64.const 1) (local.get $e)))
              (f64.ge (local.get $f) (f64.const 0)))
            (local.get $t))
          (local.get $scale)))))
    ;; grad += w·∂f/∂θ, with ∂f/∂θ = (1, x), times σ'(z) = f·(1 − f) for the squashed model
    (if (local.get $grad) (then
      (if (i32.and (local.get $form) (i32.const 1)) (then
        (local.set $w (f64.mul (local.get $w) (f64.mul (local.get $f) (f64.sub (f64.const 1) (local.get $f)))))))
      (f64.store (local.get $grad) (f64.add (f64.load (local.get $grad)) (local.get $w)))
      (local.set $wv (f64x2.splat (local.get $w)))
      (local.set $j (i32.const 0))
      (block $paired (loop $pair
        (br_if $paired (i32.ge_s (local.get $j) (local.get $pairs)))
        (local.set $g (i32.add (local.get $grad) (i32.shl (local.get $j) (i32.const 3))))
        (v128.store offset=8 (local.get $g) (f64x2.add (v128.load offset=8 (local.get $g))
          (f64x2.mul (local.get $wv) (v128.load (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 3)))))))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $pair)))
      (if (i32.lt_s (local.get $j) (local.get $d)) (then
        (local.set $g (i32.add (local.get $grad) (i32.shl (local.get $j) (i32.const 3))))
        (f64.store offset=8 (local.get $g) (f64.add (f64.load offset=8 (local.get $g))
          (f64.mul (local.get $w) (f64.load (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 3)))))))))))
    (local.set $k (i32.add (local.get $k) (i32.const 1)))
    (br $each)))
  ;; the batch's value: the sum, or its mean
  (f64.store (local.get $out) (select
    (f64.div (local.get $sum) (local.get $n))
    (f64.mul (local.get $sum) (local.get $scale))
    (i32.eq (local.get $loss) (i32.const 1)))))
