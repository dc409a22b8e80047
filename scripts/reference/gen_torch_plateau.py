# PyTorch's ReduceLROnPlateau on generated metric sequences: the learning rate after each step.
# Usage: /usr/bin/python3 scripts/reference/gen_torch_plateau.py OUT.json [--random K] [--seed S]
# Needs Debian's python3-torch. Each case: the options (PyTorch's keywords), the initial lr, the
# metrics, and the lr and PyTorch's counters (best, num_bad_epochs, cooldown_counter) after each step.
import argparse
import json
import random

import torch


def run(case):
    p = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
    opt = torch.optim.SGD([p], lr=case["lr"])
    o = case["options"]
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode=o["mode"], factor=o["factor"], patience=o["patience"], threshold=o["threshold"], threshold_mode=o["threshold_mode"], cooldown=o["cooldown"], min_lr=o["min_lr"], eps=o["eps"])
    lrs, best, bad, cool = [], [], [], []
    for m in case["metrics"]:
        sched.step(m)
        lrs.append(opt.param_groups[0]["lr"])
        best.append(float(sched.best))
        bad.append(sched.num_bad_epochs)
        cool.append(sched.cooldown_counter)
    return {**case, "lrs": lrs, "best": best, "badEpochs": bad, "cooldownCounter": cool}


def metrics(rng, n, mode):
    value, out = rng.uniform(0.5, 2), []
    for _ in range(n):
        r = rng.random()
        if r < 0.3:
            value *= rng.uniform(0.9, 0.9999)  # an improvement, sometimes below the threshold
        elif r < 0.5:
            value *= 1 + rng.choice([0, 1e-6, 1e-5, 1e-4, 2e-4])  # flat, or barely worse
        elif r < 0.6:
            value -= rng.choice([1e-5, 1e-4, 1e-3])  # an absolute step
        else:
            value *= rng.uniform(1.0, 1.05)
        out.append(value if mode == "min" else -value)
    return out


def random_case(rng, k):
    mode = rng.choice(["min", "max"])
    options = {
        "mode": mode,
        "factor": rng.choice([0.1, 0.5, 0.3, 0.9, 1e-3]),
        "patience": rng.randint(0, 4),
        "threshold": rng.choice([1e-4, 0.0, 1e-3, 1e-5, 0.01]),
        "threshold_mode": rng.choice(["rel", "abs"]),
        "cooldown": rng.randint(0, 3),
        "min_lr": rng.choice([0.0, 1e-4, 1e-3]),
        "eps": rng.choice([1e-8, 0.0, 1e-3]),
    }
    return {"name": f"random {k}", "lr": rng.choice([0.1, 1.0, 0.01, 3e-3]), "options": options, "metrics": metrics(rng, rng.randint(20, 60), mode)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--random", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    defaults = {"mode": "min", "factor": 0.1, "patience": 10, "threshold": 1e-4, "threshold_mode": "rel", "cooldown": 0, "min_lr": 0.0, "eps": 1e-8}
    cases = [
        {"name": "defaults, a loss that stalls", "lr": 0.1, "options": defaults, "metrics": [1.0, 0.9, 0.8] + [0.8] * 30},
        {"name": "cooldown 2, patience 1", "lr": 1.0, "options": {**defaults, "patience": 1, "cooldown": 2, "factor": 0.5}, "metrics": [1.0] * 20},
        {"name": "min_lr stops the reductions", "lr": 1.0, "options": {**defaults, "patience": 0, "min_lr": 0.02}, "metrics": [1.0] * 8},
        {"name": "infinite metrics", "lr": 1.0, "options": {**defaults, "patience": 1}, "metrics": [float("inf"), 1.0, float("inf"), float("inf"), float("-inf"), 0.0, 0.0]},
    ]
    cases += [random_case(rng, k) for k in range(args.random)]
    out = {"torch": torch.__version__, "seed": args.seed, "cases": [run(c) for c in cases]}
    text = json.dumps(out, separators=(",", ":")).replace("Infinity", '"Infinity"').replace('-"Infinity"', '"-Infinity"')
    open(args.out, "w").write(text + "\n")


main()
