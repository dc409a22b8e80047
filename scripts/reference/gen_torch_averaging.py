# PyTorch's torch.optim.swa_utils.AveragedModel beside an optimizer: the parameters and the averaged
# parameters after each step, for the equal-weight (SWA) average and an EMA avg_fn.
# Usage: /usr/bin/python3 scripts/reference/gen_torch_averaging.py OUT.json [--seed S]
# Needs Debian's python3-torch. Each case: the optimizer (SGD with momentum or Adam) and its keywords,
# a diagonal quadratic ½Σaᵢ(θᵢ − bᵢ)² (its a, b), θ₀, the averaging (kind, decay, start, every:
# update_parameters is called after step t when t > start and (t − start − 1) % every == 0), and
# per step the params and the average (null before the first update).
import argparse
import json
import random

import torch
from torch.optim.swa_utils import AveragedModel


def run(case):
    theta = torch.nn.Parameter(torch.tensor(case["params0"], dtype=torch.float64))
    model = torch.nn.ParameterList([theta])
    a = torch.tensor(case["a"], dtype=torch.float64)
    b = torch.tensor(case["b"], dtype=torch.float64)
    opt = (torch.optim.SGD if case["optimizer"] == "SGD" else torch.optim.Adam)([theta], **case["options"])
    avg = case["average"]
    decay = avg["decay"]
    avg_fn = None if avg["kind"] == "polyak" else (lambda averaged, p, n: decay * averaged + (1 - decay) * p)
    swa = AveragedModel(model, avg_fn=avg_fn)
    params, averages = [], []
    for t in range(1, case["steps"] + 1):
        opt.zero_grad()
        loss = 0.5 * (a * (theta - b) ** 2).sum()
        loss.backward()
        opt.step()
        if t > avg["start"] and (t - avg["start"] - 1) % avg["every"] == 0:
            swa.update_parameters(model)
        params.append(theta.detach().tolist())
        averages.append(list(swa.parameters())[0].detach().tolist() if int(swa.n_averaged) > 0 else None)
    return {**case, "params": params, "averages": averages, "nAveraged": int(swa.n_averaged)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--random", type=int, default=24)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    cases = []
    for k in range(args.random):
        n = rng.randint(1, 6)
        optimizer = rng.choice(["SGD", "Adam"])
        options = {"lr": rng.choice([0.01, 0.05, 0.1]), "momentum": rng.choice([0.0, 0.9])} if optimizer == "SGD" else {"lr": rng.choice([0.01, 0.05])}
        kind = rng.choice(["polyak", "ema"])
        cases.append({
            "name": f"{optimizer} {kind} {k}",
            "optimizer": optimizer,
            "options": options,
            "a": [rng.uniform(0.1, 10) for _ in range(n)],
            "b": [rng.uniform(-2, 2) for _ in range(n)],
            "params0": [rng.uniform(-3, 3) for _ in range(n)],
            "average": {"kind": kind, "decay": rng.choice([0.9, 0.99, 0.5, 0.999]), "start": rng.choice([0, 0, 3, 10]), "every": rng.choice([1, 1, 2, 5])},
            "steps": rng.randint(15, 40),
        })
    out = {"torch": torch.__version__, "seed": args.seed, "cases": [run(c) for c in cases]}
    open(args.out, "w").write(json.dumps(out, separators=(",", ":")) + "\n")


main()
