#!/usr/bin/python3
"""scikit-learn's multinomial logistic regression and metrics, as references for gradstep's
softmaxRegression (with penalized) and its metric functions.

Run with /usr/bin/python3 (scikit-learn 1.2.1, numpy):
    /usr/bin/python3 scripts/reference/gen_sklearn_softmax.py test/fixtures/sklearn-softmax.json

- softmax: Iris (sklearn's bundled copy, 150 x 4, 3 classes), standardised and rounded to 6
  decimals before fitting (so the JSON holds exactly the data fitted), and a seeded
  make_classification (300 x 6, 4 classes). LogisticRegression(multi_class="multinomial",
  solver="lbfgs", C, tol=1e-12, max_iter=10000) minimises  sum_k CE_k + 1/(2C)*||W||_F^2  (the K
  intercepts unpenalised); divided by C*N that is
      F(W, b) = mean_k CE_k + (lam/2)*||W||_F^2,   lam = 1/(C*N),
  gradstep's penalized(networkRisk(softmaxRegression(...), data), { l2: lam, mask: weightMask() }).
  Each case: theta in gradstep's layout (coef_ row-major [K, d], then intercept_), F there in float64
  numpy (log-sum-exp), n_iter, and ||grad F||_2 there.
- metrics: seeded vectors and sklearn's accuracy_score, log_loss (probabilities bounded away from
  0 and 1, where its clipping to [1e-15, 1 - 1e-15] does nothing), r2_score, mean_squared_error.
"""
import json
import sys

import numpy as np
import sklearn
from sklearn.datasets import load_iris, make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss, mean_squared_error, r2_score


def parts(theta, d, K):
    return theta[: K * d].reshape(K, d), theta[K * d:]


def objective_gradient(theta, X, y, lam, K):
    n, d = X.shape
    W, b = parts(theta, d, K)
    Z = X @ W.T + b
    m = Z.max(axis=1, keepdims=True)
    lse = m[:, 0] + np.log(np.exp(Z - m).sum(axis=1))
    F = (lse - Z[np.arange(n), y]).mean() + 0.5 * lam * (W * W).sum()
    P = np.exp(Z - lse[:, None])
    P[np.arange(n), y] -= 1
    gW = P.T @ X / n + lam * W
    gb = P.sum(axis=0) / n
    return F, np.concatenate([gW.reshape(-1), gb])


def case(name, X, y, C):
    X = np.round(X, 6)
    n, d = X.shape
    K = int(y.max()) + 1
    lam = 1.0 / (C * n)
    model = LogisticRegression(multi_class="multinomial", solver="lbfgs", C=C, tol=1e-12, max_iter=10000).fit(X, y)
    theta = np.concatenate([model.coef_.reshape(-1), model.intercept_])
    F, g = objective_gradient(theta, X, y, lam, K)
    return {
        "name": name,
        "C": C,
        "lambda": lam,
        "classes": K,
        "X": X.tolist(),
        "y": [int(v) for v in y],
        "sklearn": {"theta": theta.tolist(), "objective": float(F), "n_iter": int(model.n_iter_[0]), "grad_norm": float(np.linalg.norm(g))},
    }


def metrics(rng):
    n, K = 40, 3
    labels = rng.integers(0, K, n)
    predicted = np.where(rng.random(n) < 0.7, labels, rng.integers(0, K, n))
    scores = rng.normal(0, 1.5, (n, K))
    probabilities = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    targets = rng.normal(0, 2, n)
    predictions = targets + rng.normal(0, 0.8, n)
    return {
        "labels": labels.tolist(),
        "predicted": predicted.tolist(),
        "probabilities": probabilities.reshape(-1).tolist(),
        "targets": targets.tolist(),
        "predictions": predictions.tolist(),
        "accuracy": float(accuracy_score(labels, predicted)),
        "log_loss": float(log_loss(labels, probabilities, labels=list(range(K)))),
        "r2": float(r2_score(targets, predictions)),
        "mse": float(mean_squared_error(targets, predictions)),
    }


def main():
    out = sys.argv[1]
    iris = load_iris()
    Xi = (iris.data - iris.data.mean(axis=0)) / iris.data.std(axis=0)
    Xc, yc = make_classification(n_samples=300, n_features=6, n_informative=4, n_redundant=1, n_classes=4, n_clusters_per_class=1, random_state=5)
    cases = [
        case("iris, standardised, C = 1", Xi, iris.target, 1.0),
        case("iris, standardised, C = 0.05", Xi, iris.target, 0.05),
        case("make_classification 300 x 6, 4 classes, C = 1", Xc, yc, 1.0),
    ]
    result = {
        "generator": "scripts/reference/gen_sklearn_softmax.py",
        "versions": {"sklearn": sklearn.__version__, "numpy": np.__version__},
        "cases": cases,
        "metrics": metrics(np.random.default_rng(11)),
    }
    with open(out, "w") as f:
        json.dump(result, f)
        f.write("\n")


if __name__ == "__main__":
    main()
