# scipy's BFGS, CG and L-BFGS-B on the convergence suite's problems, for bench/solvers.ts.
# Usage: scipy_solvers.py <dir>, where <dir>/spec.json lists the problems (and names the data files
# beside it); prints JSON: per problem and method, evaluations to the target loss and in all, the
# iterations, the final loss and scipy's message. Each objective is evaluated as gradstep's is.
import json
import sys

import numpy as np
import scipy
from scipy.optimize import minimize


def rosenbrock(t):
    x, y = t
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2, np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])


def valley(t):
    h = np.exp(-2 * t[1] * t[1] - (t[0] - 0.7) ** 2 / 8)
    return 1 - h, np.array([h * (t[0] - 0.7) / 4, 4 * h * t[1]])


def quadratic(condition, n):
    lam = np.array([1.0 if n == 1 else condition ** (i / (n - 1)) for i in range(n)])
    return lambda t: (0.5 * np.sum(lam * t * t), lam * t)


def gabor(x, y):
    def f(t):
        z = t[0] + 0.06 * t[1] * x
        e = np.exp(-z * z / 32)
        r = np.sin(z) * e - y
        dz = np.cos(z) * e - np.sin(z) * e * z / 16
        return np.sum(r * r), np.array([np.sum(2 * r * dz), np.sum(2 * r * 0.06 * x * dz)])
    return f


def logistic(X, y):
    n = len(y)
    def f(t):
        z = t[0] + X @ t[1:]
        loss = np.sum(np.maximum(z, 0) - y * z + np.log1p(np.exp(-np.abs(z)))) / n
        r = (1 / (1 + np.exp(-z)) - y) / n
        return loss, np.concatenate(([np.sum(r)], X.T @ r))
    return f


def objective(problem, directory):
    kind = problem["kind"]
    if kind == "rosenbrock":
        return rosenbrock
    if kind == "valley":
        return valley
    if kind == "quadratic":
        return quadratic(problem["condition"], len(problem["start"]))
    rows, cols = problem["rows"], problem["cols"]
    X = np.fromfile(f"{directory}/{problem['name']}.X.f64", dtype=np.float64).reshape(rows, cols)
    y = np.fromfile(f"{directory}/{problem['name']}.y.f64", dtype=np.float64)
    return gabor(X[:, 0], y) if kind == "gabor" else logistic(X, y)


def run(f, start, target, method, gtol):
    evaluations = []
    def counted(t):
        value, grad = f(t)
        evaluations.append(float(value))
        return value, grad
    options = {"gtol": gtol}
    result = minimize(counted, np.array(start, dtype=np.float64), jac=True, method=method, options=options)
    to_target = next((k + 1 for k, v in enumerate(evaluations) if v <= target), None)
    return {
        "evaluationsToTarget": to_target,
        "evaluations": len(evaluations),
        "iterations": int(result.nit),
        "loss": float(result.fun),
        "message": str(result.message),
        "losses": evaluations,
    }


def main():
    directory = sys.argv[1]
    spec = json.load(open(f"{directory}/spec.json"))
    out = {"scipy": scipy.__version__, "problems": {}}
    for problem in spec["problems"]:
        f = objective(problem, directory)
        out["problems"][problem["name"]] = {
            method: run(f, problem["start"], problem["target"], method, spec["gradientTolerance"]) for method in ["BFGS", "CG", "L-BFGS-B"]
        }
    print(json.dumps(out))


main()
