;; A batch of an empirical risk in one call: for each row, the model's forward pass, the loss's
;; derivative (and its value when asked) and the model's backward pass, fused. The twin of the
;; JavaScript path (empiricalRisk over src/models/linear.ts or gabor.ts and src/losses/loss.ts): the
;; same operations in the same order, so the two give the same bits. Each row's score is a sequential sum
;; as in JavaScript; four rows' sums run side by side, in the lanes of two f64x2 (a row's sum is a
;; chain of dependent additions: four chains at once keep the adder busy). The gradient update
;; grad[j+1] += w·x_j runs in f64x2 pairs, in one pass over grad for four rows: each element still
;; gets the rows' terms added one by one in the batch's order, the same operations.
;; Included in the generated module by scripts/kernels/generate.ts; called by src/objectives/wasm-risk.ts.
;;
;; form: bits 0–1 = the model: 0 a score θ0 + θ·x (linearRegression, logisticRegression), 1 the
;; score squashed (σ: sigmoidRegression), 2 the Gabor model (its own loop, $risk_gabor); bits 2–3 =
;; the loss: 0 sumOfSquares, 1 meanSquaredError, 2 binaryCrossEntropy (mean), 3 binaryCrossEntropy
;; (sum) (src/objectives/batch-forms.ts).
;; theta, grad, X (n × d, row-major), y, rows (i32 row indices; 0: row k is k), out: byte addresses
;; (0 is no block's address). grad 0: no gradient. value 0: out[0] gets, instead of the loss, a number finite exactly where the
;; loss is (binary cross-entropy leaves out its log(1 + e^−|z|) terms, each in [0, ln 2]).
;; The batch's k-th row: rows[k], or k itself without rows.
(func $risk_row_index (param $rows i32) (param $k i32) (result i32)
  (select (local.get $k) (i32.load (i32.add (local.get $rows) (i32.shl (local.get $k) (i32.const 2)))) (i32.eqz (local.get $rows))))

;; Whether $risk_weight reads e^−|z|: for σ(z) (the squashed model) or binary cross-entropy's terms.
(func $risk_needs_exp (param $form i32) (result i32)
  (i32.or (i32.eq (i32.and (local.get $form) (i32.const 3)) (i32.const 1)) (i32.ge_u (i32.shr_u (local.get $form) (i32.const 2)) (i32.const 2))))

;; One row after its score z: w = ∂loss/∂f·∂f/∂z (the weight of (1, x) in the gradient) and the loss's
;; term. (For the Gabor model z is its output f: w = ∂loss/∂f.) ez = e^−|z| where $risk_needs_exp
;; (the callers compute it, four rows' two at a time with $math_exp2), anything otherwise.
(func $risk_weight (param $form i32) (param $z f64) (param $ez f64) (param $t f64) (param $value i32) (param $n f64) (param $scale f64) (result f64 f64)
  (local $loss i32) (local $squashed i32) (local $f f64) (local $e f64) (local $r f64) (local $w f64)
  (local.set $loss (i32.shr_u (local.get $form) (i32.const 2)))
  (local.set $squashed (i32.eq (i32.and (local.get $form) (i32.const 3)) (i32.const 1)))
  ;; f = z, or σ(z) = 1/(1 + e^−z) computed from e = e^−|z|
  (local.set $f (local.get $z))
  (if (local.get $squashed) (then
    (local.set $e (local.get $ez))
    (local.set $f (select
      (f64.div (f64.const 1) (f64.add (f64.const 1) (local.get $e)))
      (f64.div (local.get $e) (f64.add (f64.const 1) (local.get $e)))
      (f64.ge (local.get $z) (f64.const 0))))))
  ;; w = ∂loss/∂f, and the loss's term r
  (if (i32.lt_u (local.get $loss) (i32.const 2))
    (then
      (local.set $r (f64.sub (local.get $f) (local.get $t)))
      (local.set $w (f64.mul (f64.const 2) (local.get $r)))
      (if (local.get $loss) (then (local.set $w (f64.div (local.get $w) (local.get $n)))))
      (local.set $r (f64.mul (local.get $r) (local.get $r))))
    (else
      (local.set $e (if (result f64) (local.get $squashed) (then (call $math_exp (f64.neg (f64.abs (local.get $f))))) (else (local.get $ez))))
      (local.set $r (f64.sub (f64.max (local.get $f) (f64.const 0)) (f64.mul (local.get $t) (local.get $f))))
      (if (local.get $value) (then (local.set $r (f64.add (local.get $r) (call $math_log1p (local.get $e))))))
      (local.set $w (f64.mul
        (f64.sub
          (select
            (f64.div (f64.const 1) (f64.add (f64.const 1) (local.get $e)))
            (f64.div (local.get $e) (f64.add (f64.const 1) (local.get $e)))
            (f64.ge (local.get $f) (f64.const 0)))
          (local.get $t))
        (local.get $scale)))))
  ;; times σ'(z) = f·(1 − f) for the squashed model
  (if (local.get $squashed) (then
    (local.set $w (f64.mul (local.get $w) (f64.mul (local.get $f) (f64.sub (f64.const 1) (local.get $f)))))))
  (local.get $w) (local.get $r))

;; grad += Σ_i w_i·(1, x_i) over four rows (x3 = 0: row 0 alone), each element getting the rows'
;; terms in order.
(func $risk_accumulate (param $grad i32) (param $d i32)
  (param $x0 i32) (param $w0 f64) (param $x1 i32) (param $w1 f64) (param $x2 i32) (param $w2 f64) (param $x3 i32) (param $w3 f64)
  (local $j i32) (local $at i32) (local $g v128) (local $s f64) (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
  (local.set $v0 (f64x2.splat (local.get $w0)))
  (local.set $v1 (f64x2.splat (local.get $w1)))
  (local.set $v2 (f64x2.splat (local.get $w2)))
  (local.set $v3 (f64x2.splat (local.get $w3)))
  (if (local.get $x3)
    (then
      (f64.store (local.get $grad) (f64.add (f64.add (f64.add (f64.add (f64.load (local.get $grad))
        (local.get $w0)) (local.get $w1)) (local.get $w2)) (local.get $w3)))
      (block $paired (loop $pair
        (br_if $paired (i32.ge_s (i32.add (local.get $j) (i32.const 1)) (local.get $d)))
        (local.set $at (i32.shl (local.get $j) (i32.const 3)))
        (local.set $g (v128.load offset=8 (i32.add (local.get $grad) (local.get $at))))
        (local.set $g (f64x2.add (local.get $g) (f64x2.mul (local.get $v0) (v128.load (i32.add (local.get $x0) (local.get $at))))))
        (local.set $g (f64x2.add (local.get $g) (f64x2.mul (local.get $v1) (v128.load (i32.add (local.get $x1) (local.get $at))))))
        (local.set $g (f64x2.add (local.get $g) (f64x2.mul (local.get $v2) (v128.load (i32.add (local.get $x2) (local.get $at))))))
        (local.set $g (f64x2.add (local.get $g) (f64x2.mul (local.get $v3) (v128.load (i32.add (local.get $x3) (local.get $at))))))
        (v128.store offset=8 (i32.add (local.get $grad) (local.get $at)) (local.get $g))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $pair)))
      (if (i32.lt_s (local.get $j) (local.get $d)) (then
        (local.set $at (i32.shl (local.get $j) (i32.const 3)))
        (local.set $s (f64.load offset=8 (i32.add (local.get $grad) (local.get $at))))
        (local.set $s (f64.add (local.get $s) (f64.mul (local.get $w0) (f64.load (i32.add (local.get $x0) (local.get $at))))))
        (local.set $s (f64.add (local.get $s) (f64.mul (local.get $w1) (f64.load (i32.add (local.get $x1) (local.get $at))))))
        (local.set $s (f64.add (local.get $s) (f64.mul (local.get $w2) (f64.load (i32.add (local.get $x2) (local.get $at))))))
        (local.set $s (f64.add (local.get $s) (f64.mul (local.get $w3) (f64.load (i32.add (local.get $x3) (local.get $at))))))
        (f64.store offset=8 (i32.add (local.get $grad) (local.get $at)) (local.get $s)))))
    (else
      ;; one row
      (f64.store (local.get $grad) (f64.add (f64.load (local.get $grad)) (local.get $w0)))
      (block $paired (loop $pair
        (br_if $paired (i32.ge_s (i32.add (local.get $j) (i32.const 1)) (local.get $d)))
        (local.set $at (i32.shl (local.get $j) (i32.const 3)))
        (v128.store offset=8 (i32.add (local.get $grad) (local.get $at)) (f64x2.add (v128.load offset=8 (i32.add (local.get $grad) (local.get $at)))
          (f64x2.mul (local.get $v0) (v128.load (i32.add (local.get $x0) (local.get $at))))))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $pair)))
      (if (i32.lt_s (local.get $j) (local.get $d)) (then
        (local.set $at (i32.shl (local.get $j) (i32.const 3)))
        (f64.store offset=8 (i32.add (local.get $grad) (local.get $at)) (f64.add (f64.load offset=8 (i32.add (local.get $grad) (local.get $at)))
          (f64.mul (local.get $w0) (f64.load (i32.add (local.get $x0) (local.get $at)))))))))))

;; The Gabor model's batch (src/models/gabor.ts), one row at a time, returning the loss's sum: for
;; x = X[row] (one feature), z = θ0 + 0.06·θ1·x, f = sin z·e with e = e^(−z²/32), w = ∂loss/∂f, then
;; ∂f/∂z = cos z·e − sin z·e·z/16, grad[0] += w·∂f/∂z and grad[1] += w·0.06·x·∂f/∂z, in the order of
;; the JavaScript path's predict and accumulateGradient (the same sin z, cos z and e, from one reduction).
(func $risk_gabor (param $form i32) (param $theta i32) (param $grad i32) (param $X i32) (param $y i32) (param $rows i32)
  (param $count i32) (param $value i32) (param $n f64) (param $scale f64) (result f64)
  (local $k i32) (local $r i32) (local $x f64) (local $z f64) (local $s f64) (local $c f64) (local $e f64)
  (local $w f64) (local $term f64) (local $dz f64) (local $sum f64) (local $g0 f64) (local $g1 f64) (local $t0 f64) (local $t1 f64)
  (local $f f64) (local $needsExp i32)
  (local.set $needsExp (call $risk_needs_exp (local.get $form)))
  (local.set $t0 (f64.load (local.get $theta)))
  (local.set $t1 (f64.mul (f64.const 0.06) (f64.load offset=8 (local.get $theta))))
  (block $done (loop $each
    (br_if $done (i32.ge_s (local.get $k) (local.get $count)))
    (local.set $r (call $risk_row_index (local.get $rows) (local.get $k)))
    (local.set $x (f64.load (i32.add (local.get $X) (i32.shl (local.get $r) (i32.const 3)))))
    (local.set $z (f64.add (local.get $t0) (f64.mul (local.get $t1) (local.get $x))))
    (call $math_sin_cos (local.get $z))
    (local.set $c)
    (local.set $s)
    (local.set $e (call $math_exp (f64.div (f64.neg (f64.mul (local.get $z) (local.get $z))) (f64.const 32))))
    (local.set $f (f64.mul (local.get $s) (local.get $e)))
    (call $risk_weight (local.get $form) (local.get $f)
      (if (result f64) (local.get $needsExp) (then (call $math_exp (f64.neg (f64.abs (local.get $f))))) (else (f64.const 0)))
      (f64.load (i32.add (local.get $y) (i32.shl (local.get $r) (i32.const 3))))
      (local.get $value) (local.get $n) (local.get $scale))
    (local.set $term)
    (local.set $w)
    (local.set $sum (f64.add (local.get $sum) (local.get $term)))
    (local.set $dz (f64.sub (f64.mul (local.get $c) (local.get $e))
      (f64.div (f64.mul (f64.mul (local.get $s) (local.get $e)) (local.get $z)) (f64.const 16))))
    (local.set $g0 (f64.add (local.get $g0) (f64.mul (local.get $w) (local.get $dz))))
    (local.set $g1 (f64.add (local.get $g1) (f64.mul (f64.mul (f64.mul (local.get $w) (f64.const 0.06)) (local.get $x)) (local.get $dz))))
    (local.set $k (i32.add (local.get $k) (i32.const 1)))
    (br $each)))
  (if (local.get $grad) (then
    (f64.store (local.get $grad) (local.get $g0))
    (f64.store offset=8 (local.get $grad) (local.get $g1))))
  (local.get $sum))

(func $risk_batch (export "risk_batch")
  (param $form i32) (param $theta i32) (param $grad i32) (param $X i32) (param $y i32) (param $rows i32)
  (param $count i32) (param $d i32) (param $value i32) (param $out i32)
  (local $k i32) (local $j i32) (local $at i32) (local $loss i32)
  (local $x0 i32) (local $x1 i32) (local $x2 i32) (local $x3 i32) (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32)
  (local $w0 f64) (local $w1 f64) (local $w2 f64) (local $w3 f64) (local $term f64)
  (local $z f64) (local $sum f64) (local $n f64) (local $scale f64) (local $a v128) (local $b v128) (local $th v128)
  (local $ea v128) (local $eb v128) (local $needsExp i32)
  (local.set $needsExp (call $risk_needs_exp (local.get $form)))
  (local.set $loss (i32.shr_u (local.get $form) (i32.const 2)))
  (local.set $n (f64.convert_i32_s (local.get $count)))
  (local.set $scale (select (f64.div (f64.const 1) (local.get $n)) (f64.const 1) (i32.eq (local.get $loss) (i32.const 2))))
  (if (local.get $grad) (then
    (local.set $j (i32.const 0))
    (block $zeroed (loop $zero
      (br_if $zeroed (i32.gt_s (local.get $j) (local.get $d)))
      (f64.store (i32.add (local.get $grad) (i32.shl (local.get $j) (i32.const 3))) (f64.const 0))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $zero)))))
  (local.set $k (i32.const 0))
  ;; the Gabor model: its own loop, all rows (the score models' loops below then have none left)
  (if (i32.eq (i32.and (local.get $form) (i32.const 3)) (i32.const 2)) (then
    (local.set $sum (call $risk_gabor (local.get $form) (local.get $theta) (local.get $grad) (local.get $X) (local.get $y) (local.get $rows)
      (local.get $count) (local.get $value) (local.get $n) (local.get $scale)))
    (local.set $k (local.get $count))))
  ;; four rows at a time: scores in the lanes of a (rows k, k + 1) and b (k + 2, k + 3)
  (block $fours (loop $four
    (br_if $fours (i32.gt_s (i32.add (local.get $k) (i32.const 4)) (local.get $count)))
    (local.set $r0 (call $risk_row_index (local.get $rows) (local.get $k)))
    (local.set $x0 (i32.add (local.get $X) (i32.shl (i32.mul (local.get $r0) (local.get $d)) (i32.const 3))))
    (local.set $r1 (call $risk_row_index (local.get $rows) (i32.add (local.get $k) (i32.const 1))))
    (local.set $x1 (i32.add (local.get $X) (i32.shl (i32.mul (local.get $r1) (local.get $d)) (i32.const 3))))
    (local.set $r2 (call $risk_row_index (local.get $rows) (i32.add (local.get $k) (i32.const 2))))
    (local.set $x2 (i32.add (local.get $X) (i32.shl (i32.mul (local.get $r2) (local.get $d)) (i32.const 3))))
    (local.set $r3 (call $risk_row_index (local.get $rows) (i32.add (local.get $k) (i32.const 3))))
    (local.set $x3 (i32.add (local.get $X) (i32.shl (i32.mul (local.get $r3) (local.get $d)) (i32.const 3))))
    (local.set $a (v128.load64_splat (local.get $theta)))
    (local.set $b (local.get $a))
    (local.set $j (i32.const 0))
    (block $scored (loop $score
      (br_if $scored (i32.ge_s (local.get $j) (local.get $d)))
      (local.set $at (i32.shl (local.get $j) (i32.const 3)))
      (local.set $th (v128.load64_splat offset=8 (i32.add (local.get $theta) (local.get $at))))
      (local.set $a (f64x2.add (local.get $a) (f64x2.mul (local.get $th)
        (v128.load64_lane 1 (i32.add (local.get $x1) (local.get $at)) (v128.load64_splat (i32.add (local.get $x0) (local.get $at)))))))
      (local.set $b (f64x2.add (local.get $b) (f64x2.mul (local.get $th)
        (v128.load64_lane 1 (i32.add (local.get $x3) (local.get $at)) (v128.load64_splat (i32.add (local.get $x2) (local.get $at)))))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $score)))
    (if (local.get $needsExp) (then
      (local.set $ea (call $math_exp2 (f64x2.neg (f64x2.abs (local.get $a)))))
      (local.set $eb (call $math_exp2 (f64x2.neg (f64x2.abs (local.get $b)))))))
    (call $risk_weight (local.get $form) (f64x2.extract_lane 0 (local.get $a)) (f64x2.extract_lane 0 (local.get $ea)) (f64.load (i32.add (local.get $y) (i32.shl (local.get $r0) (i32.const 3))))
      (local.get $value) (local.get $n) (local.get $scale))
    (local.set $term)
    (local.set $w0)
    (local.set $sum (f64.add (local.get $sum) (local.get $term)))
    (call $risk_weight (local.get $form) (f64x2.extract_lane 1 (local.get $a)) (f64x2.extract_lane 1 (local.get $ea)) (f64.load (i32.add (local.get $y) (i32.shl (local.get $r1) (i32.const 3))))
      (local.get $value) (local.get $n) (local.get $scale))
    (local.set $term)
    (local.set $w1)
    (local.set $sum (f64.add (local.get $sum) (local.get $term)))
    (call $risk_weight (local.get $form) (f64x2.extract_lane 0 (local.get $b)) (f64x2.extract_lane 0 (local.get $eb)) (f64.load (i32.add (local.get $y) (i32.shl (local.get $r2) (i32.const 3))))
      (local.get $value) (local.get $n) (local.get $scale))
    (local.set $term)
    (local.set $w2)
    (local.set $sum (f64.add (local.get $sum) (local.get $term)))
    (call $risk_weight (local.get $form) (f64x2.extract_lane 1 (local.get $b)) (f64x2.extract_lane 1 (local.get $eb)) (f64.load (i32.add (local.get $y) (i32.shl (local.get $r3) (i32.const 3))))
      (local.get $value) (local.get $n) (local.get $scale))
    (local.set $term)
    (local.set $w3)
    (local.set $sum (f64.add (local.get $sum) (local.get $term)))
    (if (local.get $grad) (then
      (call $risk_accumulate (local.get $grad) (local.get $d) (local.get $x0) (local.get $w0) (local.get $x1) (local.get $w1)
        (local.get $x2) (local.get $w2) (local.get $x3) (local.get $w3))))
    (local.set $k (i32.add (local.get $k) (i32.const 4)))
    (br $four)))
  ;; the last rows, one at a time
  (block $done (loop $each
    (br_if $done (i32.ge_s (local.get $k) (local.get $count)))
    (local.set $r0 (call $risk_row_index (local.get $rows) (local.get $k)))
    (local.set $x0 (i32.add (local.get $X) (i32.shl (i32.mul (local.get $r0) (local.get $d)) (i32.const 3))))
    (local.set $z (f64.load (local.get $theta)))
    (local.set $j (i32.const 0))
    (block $scored (loop $score
      (br_if $scored (i32.ge_s (local.get $j) (local.get $d)))
      (local.set $at (i32.shl (local.get $j) (i32.const 3)))
      (local.set $z (f64.add (local.get $z) (f64.mul
        (f64.load offset=8 (i32.add (local.get $theta) (local.get $at)))
        (f64.load (i32.add (local.get $x0) (local.get $at))))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $score)))
    (call $risk_weight (local.get $form) (local.get $z)
      (if (result f64) (local.get $needsExp) (then (call $math_exp (f64.neg (f64.abs (local.get $z))))) (else (f64.const 0)))
      (f64.load (i32.add (local.get $y) (i32.shl (local.get $r0) (i32.const 3))))
      (local.get $value) (local.get $n) (local.get $scale))
    (local.set $term)
    (local.set $w0)
    (local.set $sum (f64.add (local.get $sum) (local.get $term)))
    (if (local.get $grad) (then
      (call $risk_accumulate (local.get $grad) (local.get $d) (local.get $x0) (local.get $w0) (i32.const 0) (f64.const 0)
        (i32.const 0) (f64.const 0) (i32.const 0) (f64.const 0))))
    (local.set $k (i32.add (local.get $k) (i32.const 1)))
    (br $each)))
  ;; the batch's value: the sum, or its mean
  (f64.store (local.get $out) (select
    (f64.div (local.get $sum) (local.get $n))
    (f64.mul (local.get $sum) (local.get $scale))
    (i32.eq (local.get $loss) (i32.const 1)))))
