# PyTorch parameter groups (per-group lr and weight_decay) on a two-layer network, float64, CPU.
# Usage: /usr/bin/python3 scripts/reference/gen_torch_param_groups.py OUT.json [--seed S]
# Needs Debian's python3-torch (1.13). Each case: the optimizer (PyTorch's class name), its keywords,
# the groups (which parameters, which keywords), the initial parameters and, per step, the gradient
# PyTorch computed (of a mean squared error of tanh(X·W1ᵀ + b1)·W2ᵀ + b2 against y) and the
# parameters after the step. gradstep replays the gradients on a parameter tree whose groups select
# the same leaves, so the comparison is of the optimizers alone.
import argparse
import json
import random

import torch

torch.set_default_dtype(torch.float64)

CASES = [
    ("SGD", {"lr": 0.05, "momentum": 0.9, "weight_decay": 1e-2}, [{"lr": 0.01}, {"weight_decay": 0.0}]),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 1e-3}, [{}, {"lr": 0.2, "weight_decay": 0.0}]),
    ("Adam", {"lr": 1e-2, "weight_decay": 1e-2}, [{"lr": 1e-3}, {"weight_decay": 0.0}]),
    ("AdamW", {"lr": 1e-2, "weight_decay": 0.1}, [{}, {"weight_decay": 0.0, "lr": 3e-2}]),
    ("Adam", {"lr": 1e-2, "amsgrad": True}, [{"lr": 5e-3, "weight_decay": 1e-2}, {}]),
    ("RMSprop", {"lr": 1e-3, "momentum": 0.5, "centered": True, "weight_decay": 1e-2}, [{"lr": 1e-2}, {"weight_decay": 0.0}]),
    ("Adagrad", {"lr": 0.1, "weight_decay": 1e-2}, [{"lr": 0.05}, {"weight_decay": 0.0}]),
    ("Adamax", {"lr": 2e-2, "weight_decay": 1e-2}, [{}, {"weight_decay": 0.0, "lr": 1e-2}]),
    ("NAdam", {"lr": 2e-2, "weight_decay": 1e-2}, [{"lr": 1e-2}, {"weight_decay": 0.0}]),
    ("RAdam", {"lr": 2e-2, "weight_decay": 1e-2}, [{"lr": 1e-2}, {"weight_decay": 0.0}]),
    ("Adadelta", {"lr": 1.0, "weight_decay": 1e-2}, [{"lr": 0.5}, {"weight_decay": 0.0}]),
]
STEPS = 8
NAMES = ["layer1/weight", "layer1/bias", "layer2/weight", "layer2/bias"]
SHAPES = [[4, 3], [4], [1, 4], [1]]
# Group 0: the weights; group 1: the biases.
GROUP_OF = {"layer1/weight": 0, "layer2/weight": 0, "layer1/bias": 1, "layer2/bias": 1}


def run(name, keywords, group_keywords, seed):
    gen = torch.Generator().manual_seed(seed)
    params = {n: torch.nn.Parameter(torch.randn(*s, generator=gen) * 0.5) for n, s in zip(NAMES, SHAPES)}
    x = torch.randn(16, 3, generator=gen)
    y = torch.randn(16, 1, generator=gen)
    groups = [
        {"params": [params[n] for n in NAMES if GROUP_OF[n] == g], **group_keywords[g]} for g in range(2)
    ]
    opt = getattr(torch.optim, name)(groups, **keywords)
    init = {n: params[n].detach().flatten().tolist() for n in NAMES}
    steps = []
    for _ in range(STEPS):
        opt.zero_grad()
        hidden = torch.tanh(x @ params["layer1/weight"].T + params["layer1/bias"])
        loss = ((hidden @ params["layer2/weight"].T + params["layer2/bias"] - y) ** 2).mean()
        loss.backward()
        grads = {n: params[n].grad.flatten().tolist() for n in NAMES}
        opt.step()
        steps.append({"grads": grads, "params": {n: params[n].detach().flatten().tolist() for n in NAMES}})
    return {
        "optimizer": name,
        "options": keywords,
        "groups": [{"leaves": [n for n in NAMES if GROUP_OF[n] == g], "options": group_keywords[g]} for g in range(2)],
        "shapes": dict(zip(NAMES, SHAPES)),
        "init": init,
        "steps": steps,
    }


def plateau_case(seed):
    # ReduceLROnPlateau over parameter groups: each group's lr reduced on its own (min_lr, eps).
    rng = random.Random(seed)
    params = [torch.nn.Parameter(torch.zeros(2)) for _ in range(4)]
    groups = [{"params": [params[0], params[2]], "lr": 0.1}, {"params": [params[1], params[3]], "lr": 0.004}]
    opt = torch.optim.SGD(groups, lr=0.05)
    options = {"mode": "min", "factor": 0.3, "patience": 1, "threshold": 1e-4, "threshold_mode": "rel", "cooldown": 1, "min_lr": 1e-3, "eps": 1e-8}
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, **options)
    metrics, lrs, value = [], [], 1.0
    for _ in range(24):
        value *= rng.choice([0.9, 1.0, 1.01, 0.99999])
        metrics.append(value)
        sched.step(value)
        lrs.append([g["lr"] for g in opt.param_groups])
    return {"options": options, "lr": 0.05, "groups": [{"leaves": ["layer1/weight", "layer2/weight"], "lr": 0.1}, {"leaves": ["layer1/bias", "layer2/bias"], "lr": 0.004}], "metrics": metrics, "lrs": lrs}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    cases = [run(name, kw, groups, rng.randrange(2**31)) for name, kw, groups in CASES]
    with open(args.out, "w") as f:
        json.dump({"generator": "scripts/reference/gen_torch_param_groups.py", "torch": torch.__version__, "seed": args.seed, "cases": cases, "plateau": [plateau_case(rng.randrange(2**31)) for _ in range(3)]}, f)
        f.write("\n")


main()
