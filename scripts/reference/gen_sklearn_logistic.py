#!/usr/bin/python3
"""scikit-learn's L2-penalised logistic regression, as a reference for gradstep's penalized objective.

Run with /usr/bin/python3 (scikit-learn 1.2.1, scipy 1.10.1, numpy):
    /usr/bin/python3 scripts/reference/gen_sklearn_logistic.py test/fixtures/sklearn-logistic.json

For each dataset (seeded make_classification; breast_cancer standardised), X is rounded to 6 decimals
*before* fitting, so the JSON holds exactly the data that was fitted. Then:
- sklearn: LogisticRegression(solver="lbfgs", C, tol=1e-12, max_iter=10000) -> coef, intercept, n_iter.
  In sklearn 1.2.1 the lbfgs solver minimises  sum_k l_k + 1/(2C)*||w||^2  (intercept unpenalised,
  l the binary cross-entropy of the logit); divided by C*N that is
      F(b, w) = mean_k l_k + (lam/2)*||w||^2,   lam = 1/(C*N),
  the form gradstep's penalized(empiricalRisk(...binaryCrossEntropy()), { l2: lam, mask: "exceptIntercept" }) uses.
- objective: F at sklearn's solution, in float64 numpy (stable l = max(z,0) - y*z + log1p(exp(-|z|))).
- newton: the minimiser of F by Newton's method from sklearn's solution, iterated until the gradient's
  max-norm is below 1e-15 or stops shrinking; its F, gradient max-norm, and the Hessian's smallest
  eigenvalue mu there (F is mu-strongly convex near the optimum: ||theta - theta*|| <= ||grad F(theta)||/mu).
- sklearn_grad_norm: ||grad F||_2 at sklearn's solution (sklearn stops on scipy's ftol as well as gtol).
Parameters are written as [intercept, w_1, ..., w_d], gradstep's theta order.
"""
import json
import sys

import numpy as np
import sklearn
import scipy
from sklearn.datasets import load_breast_cancer, make_classification
from sklearn.linear_model import LogisticRegression


def objective(theta, X, y, lam):
    z = theta[0] + X @ theta[1:]
    losses = np.maximum(z, 0) - y * z + np.log1p(np.exp(-np.abs(z)))
    return losses.mean() + 0.5 * lam * (theta[1:] @ theta[1:])


def gradient_hessian(theta, X, y, lam):
    n, d = X.shape
    A = np.hstack([np.ones((n, 1)), X])
    z = A @ theta
    p = 1 / (1 + np.exp(-z))
    pen = np.concatenate([[0.0], np.full(d, lam)])
    g = A.T @ (p - y) / n + pen * theta
    H = (A.T * (p * (1 - p))) @ A / n + np.diag(pen)
    return g, H


def newton(theta, X, y, lam):
    best = np.inf
    for _ in range(100):
        g, H = gradient_hessian(theta, X, y, lam)
        size = np.abs(g).max()
        if size < 1e-15 or size >= best:
            break
        best = size
        theta = theta - np.linalg.solve(H, g)
    g, H = gradient_hessian(theta, X, y, lam)
    return theta, np.abs(g).max(), np.linalg.eigvalsh(H).min()


def case(name, X, y, C):
    X = np.round(X, 6)
    y = y.astype(np.float64)
    n = X.shape[0]
    lam = 1.0 / (C * n)
    model = LogisticRegression(solver="lbfgs", C=C, tol=1e-12, max_iter=10000).fit(X, y)
    theta = np.concatenate([model.intercept_, model.coef_[0]])
    exact, exact_grad, mu = newton(theta.copy(), X, y, lam)
    g, _ = gradient_hessian(theta, X, y, lam)
    return {
        "name": name,
        "C": C,
        "lambda": lam,
        "X": X.tolist(),
        "y": y.tolist(),
        "sklearn": {
            "theta": theta.tolist(),
            "objective": float(objective(theta, X, y, lam)),
            "n_iter": int(model.n_iter_[0]),
            "grad_norm": float(np.linalg.norm(g)),
        },
        "newton": {
            "theta": exact.tolist(),
            "objective": float(objective(exact, X, y, lam)),
            "grad_max": float(exact_grad),
            "hessian_min_eigenvalue": float(mu),
        },
    }


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "test/fixtures/sklearn-logistic.json"
    X1, y1 = make_classification(n_samples=600, n_features=8, n_informative=5, n_redundant=2, flip_y=0.05, class_sep=0.8, random_state=15)
    cancer = load_breast_cancer()
    X2 = (cancer.data - cancer.data.mean(axis=0)) / cancer.data.std(axis=0)
    cases = [
        case("make_classification(600, 8, seed 15), C = 1", X1, y1, 1.0),
        case("make_classification(600, 8, seed 15), C = 0.01", X1, y1, 0.01),
        case("breast_cancer standardised, C = 1", X2, cancer.target, 1.0),
    ]
    doc = {
        "generator": "scripts/reference/gen_sklearn_logistic.py",
        "versions": {"sklearn": sklearn.__version__, "scipy": scipy.__version__, "numpy": np.__version__},
        "cases": cases,
    }
    with open(out, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    for c in cases:
        s, e = c["sklearn"], c["newton"]
        dist = np.linalg.norm(np.array(s["theta"]) - np.array(e["theta"]))
        print(f'{c["name"]}: n_iter {s["n_iter"]}, F {s["objective"]!r} (newton {e["objective"]!r}, diff {s["objective"] - e["objective"]:.3g}), '
              f'sklearn |grad| {s["grad_norm"]:.3g}, |theta_sk - theta*| {dist:.3g}, newton grad max {e["grad_max"]:.3g}, mu {e["hessian_min_eigenvalue"]:.3g}')


if __name__ == "__main__":
    main()
