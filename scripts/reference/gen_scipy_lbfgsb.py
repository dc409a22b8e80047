#!/usr/bin/python3
"""scipy's L-BFGS-B on gradstep's test functions, with and without bounds: the reference for
test/learn/lbfgsb.test.ts.

Run with /usr/bin/python3 (scipy 1.10.1, Debian):
    /usr/bin/python3 scripts/reference/gen_scipy_lbfgsb.py test/fixtures/scipy-lbfgsb.json

Each objective is written with the same floating-point operations, in the same order, as
src/objectives/test-functions.ts (or, for the random quadratics, as the test builds them), so scipy
and gradstep evaluate the same function. Two exceptions, stated: illConditionedQuadratic's λ are the
values V8's Math.pow gives (glibc's pow differs in the last bit for three of them), hard-coded below;
anisotropicValley calls exp, where glibc and V8 may differ in the last bit.

Records, per case: the start, the bounds (null for none), the options, and scipy's x, fun, nit, nfev,
status, message and the iterate after each iteration (the callback's x).
"""
import json
import math
import struct
import sys

import numpy as np
import scipy
from scipy.optimize import minimize

# illConditionedQuadratic(1e4, 10): λ_i = Math.pow(1e4, i / 9) as V8 computes it (bits, big-endian hex).
LAMBDA_1E4_10 = [
    struct.unpack(">d", bytes.fromhex(h))[0]
    for h in "3ff0000000000000 400642ae80fd415a 401ef875c9cfd6a6 40358b5a51868c62 404df965fdcf58b0 "
    "4064d9ebf5c76db6 407d028ac9478910 40942e32db62baba 40ac13a0988acd9d 40c3880000000000".split()
]


def rosenbrock(t, a=1.0, b=100.0):
    x, y = float(t[0]), float(t[1])
    g = np.array([-2 * (a - x) - 4 * b * x * (y - x * x), 2 * b * (y - x * x)])
    return (a - x) ** 2 + b * (y - x * x) ** 2, g


def beale(t):
    x, y = float(t[0]), float(t[1])
    r1 = 1.5 - x + x * y
    r2 = 2.25 - x + x * y * y
    r3 = 2.625 - x + x * y * y * y
    g = np.array([
        2 * r1 * (y - 1) + 2 * r2 * (y * y - 1) + 2 * r3 * (y * y * y - 1),
        2 * r1 * x + 2 * r2 * 2 * x * y + 2 * r3 * 3 * x * y * y,
    ])
    return r1 * r1 + r2 * r2 + r3 * r3, g


def ill_conditioned(t):
    f = 0.0
    g = np.zeros(len(t))
    for i in range(len(t)):
        ti = float(t[i])
        f += 0.5 * LAMBDA_1E4_10[i] * ti * ti
        g[i] = LAMBDA_1E4_10[i] * ti
    return f, g


def anisotropic_valley(t):
    t0, t1 = float(t[0]), float(t[1])
    h = math.exp(-2 * t1 * t1 - ((t0 - 0.7) * (t0 - 0.7)) / 8)
    return 1 - h, np.array([(h * (t0 - 0.7)) / 4, 4 * h * t1])


def rosenbrock_flipped_after(calls):
    """Rosenbrock whose gradient changes sign after `calls` evaluations: the line searches then fail,
    first with a memory (which is dropped, and the iteration retried), then without (the run stops)."""
    count = [0]

    def f(t):
        count[0] += 1
        value, g = rosenbrock(t)
        return value, (-g if count[0] > calls else g)

    return f


def quadratic(a, b):
    """f(x) = Σ_i x_i·(½·(Ax)_i + b_i), g = Ax + b, summed in index order (as the test does)."""
    n = len(b)

    def f(t):
        x = [float(v) for v in t]
        value = 0.0
        g = np.zeros(n)
        for i in range(n):
            ax = 0.0
            for j in range(n):
                ax += a[i][j] * x[j]
            value += x[i] * (0.5 * ax + b[i])
            g[i] = ax + b[i]
        return value, g

    return f


def seeded_quadratic(seed, n):
    rng = np.random.default_rng(seed)
    q = rng.standard_normal((n, n))
    a = q.T @ q + 0.5 * np.eye(n)
    a = ((a + a.T) / 2).tolist()
    b = rng.standard_normal(n).tolist()
    lower, upper = [], []
    for i in range(n):
        kind = int(rng.integers(0, 4))  # 0 none, 1 lower, 2 both, 3 upper
        lo = float(np.round(rng.uniform(-1.0, 0.2), 3))
        hi = float(np.round(lo + rng.uniform(0.1, 1.5), 3))
        lower.append(lo if kind in (1, 2) else None)
        upper.append(hi if kind in (2, 3) else None)
    x0 = np.round(rng.uniform(-2, 2, n), 3).tolist()
    return a, b, lower, upper, x0


def bounds_list(lower, upper):
    return [(lo, hi) for lo, hi in zip(lower, upper)]


def run(name, problem, fun, x0, lower=None, upper=None, options=None):
    n = len(x0)
    lower = lower if lower is not None else [None] * n
    upper = upper if upper is not None else [None] * n
    options = options or {}
    path = []
    result = minimize(fun, np.array(x0, dtype=float), jac=True, method="L-BFGS-B",
                      bounds=bounds_list(lower, upper), options=options,
                      callback=lambda xk: path.append(xk.tolist()))
    return {
        "name": name,
        "problem": problem,
        "x0": list(map(float, x0)),
        "lower": lower,
        "upper": upper,
        "options": options,
        "x": result.x.tolist(),
        "fun": float(result.fun),
        "nit": int(result.nit),
        "nfev": int(result.nfev),
        "status": int(result.status),
        "message": str(result.message),
        "path": path,
    }


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "test/fixtures/scipy-lbfgsb.json"
    cases = [
        run("rosenbrock from (-1.2, 1)", {"kind": "rosenbrock"}, rosenbrock, [-1.2, 1.0]),
        run("rosenbrock from (-1.5, 2)", {"kind": "rosenbrock"}, rosenbrock, [-1.5, 2.0]),
        run("beale from (1, 1)", {"kind": "beale"}, beale, [1.0, 1.0]),
        run("illConditionedQuadratic(1e4, 10) from ones", {"kind": "illConditionedQuadratic", "condition": 1e4, "dimension": 10},
            ill_conditioned, [1.0] * 10),
        run("anisotropicValley from (-0.7, -0.9)", {"kind": "anisotropicValley"}, anisotropic_valley, [-0.7, -0.9]),
        run("rosenbrock from (-1.2, 1), x ≤ 0.5", {"kind": "rosenbrock"}, rosenbrock, [-1.2, 1.0], upper=[0.5, 0.5]),
        run("rosenbrock from (-1.5, 2), x ≤ 0.5, y ≥ 0.3 (one-sided)", {"kind": "rosenbrock"}, rosenbrock, [-1.5, 2.0],
            lower=[None, 0.3], upper=[0.5, None]),
        run("rosenbrock from (-1.2, 1), box [-2, 2] × [-1, 0.8]", {"kind": "rosenbrock"}, rosenbrock, [-1.2, 1.0],
            lower=[-2.0, -1.0], upper=[2.0, 0.8]),
        run("beale from (1, 1), box [0, 2] × [0, 0.4]", {"kind": "beale"}, beale, [1.0, 1.0], lower=[0.0, 0.0], upper=[2.0, 0.4]),
        run("illConditionedQuadratic(1e4, 10), mixed bounds, start projected", {"kind": "illConditionedQuadratic", "condition": 1e4, "dimension": 10},
            ill_conditioned, [3.0, 1.0, -2.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
            lower=[0.1, None, 0.2, None, -1.0, 0.05, None, None, 0.3, 0.01],
            upper=[2.0, -0.1, None, 0.5, 1.0, None, -0.2, None, 0.8, None]),
        run("anisotropicValley, box [-1, 0.5] × [-1, -0.2]", {"kind": "anisotropicValley"}, anisotropic_valley, [-0.7, -0.9],
            lower=[-1.0, -1.0], upper=[0.5, -0.2]),
        run("rosenbrock from (-1.2, 1), gtol 1e-6, ftol 0", {"kind": "rosenbrock"}, rosenbrock, [-1.2, 1.0],
            options={"gtol": 1e-6, "ftol": 0.0}),
        run("rosenbrock from (-1.2, 1), maxcor 3", {"kind": "rosenbrock"}, rosenbrock, [-1.2, 1.0], options={"maxcor": 3}),
        run("illConditionedQuadratic(1e4, 10), maxcor 3, mixed bounds", {"kind": "illConditionedQuadratic", "condition": 1e4, "dimension": 10},
            ill_conditioned, [1.0] * 10,
            lower=[0.1, None, 0.2, None, -1.0, 0.05, None, None, 0.3, 0.01],
            upper=[2.0, -0.1, None, 0.5, 1.0, None, -0.2, None, 0.8, None], options={"maxcor": 3}),
        run("rosenbrock from (-1.2, 1), maxiter 7", {"kind": "rosenbrock"}, rosenbrock, [-1.2, 1.0], options={"maxiter": 7}),
        run("rosenbrock from (-1.2, 1), maxfun 10", {"kind": "rosenbrock"}, rosenbrock, [-1.2, 1.0], options={"maxfun": 10}),
    ]
    # Failed line searches: a failure with a memory drops it and retries, without one the run stops
    # (ABNORMAL_TERMINATION_IN_LNSRCH). A failing search halves its way down to rounding level, so
    # where the iterates before the flip differ in the last bit (after 8, 12 calls; x ≤ 0.5 after 20)
    # its evaluations differ too: only the cases whose iterates agree to the bit up to the flip are here.
    for calls, upper in [(5, None), (5, [0.5, None]), (20, None)]:
        label = "" if upper is None else ", x ≤ 0.5"
        cases.append(run(f"rosenbrock{label}, gradient's sign flipped after {calls} evaluations", {"kind": "rosenbrockFlippedAfter", "calls": calls},
                         rosenbrock_flipped_after(calls), [-1.2, 1.0], upper=upper))
    seed = 20261130
    for k, n in enumerate([2, 3, 4, 5, 6, 7, 8, 9, 10, 10]):
        a, b, lower, upper, x0 = seeded_quadratic(seed + k, n)
        cases.append(run(f"seeded bound-constrained quadratic n = {n} (seed {seed + k})", {"kind": "quadratic", "a": a, "b": b},
                         quadratic(a, b), x0, lower=lower, upper=upper))
    with open(out, "w") as fh:
        json.dump({"generator": "scripts/reference/gen_scipy_lbfgsb.py", "scipy": scipy.__version__, "numpy": np.__version__,
                   "cases": cases}, fh, indent=1)
        fh.write("\n")
    for c in cases:
        print(f"{c['name']}: nit {c['nit']} nfev {c['nfev']} status {c['status']} {c['message']}")


if __name__ == "__main__":
    main()
