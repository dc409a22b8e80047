# PyTorch's loss and gradient for small dense networks (gradstep's softmaxRegression and mlp), in
# float64: an independent check of their forward pass, log-sum-exp cross-entropy and backprop.
# Usage: /usr/bin/python3 scripts/reference/gen_torch_networks.py OUT.json [--seed S]
# Needs Debian's python3-torch (1.13). Each case: the architecture as gradstep's options, X (N × d),
# y (class indices, or values for a regression), the batch rows (null: all), the reduction, θ in
# gradstep's flat layout (per layer: W [out, in] row-major, then b), and PyTorch's loss, gradient
# (the same layout, from autograd) and predictions (softmax probabilities n × K row-major, or f).
import argparse
import json
import random

import torch
import torch.nn.functional as F

ACT = {"tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid}


def run(case):
    d = case["inputs"]
    widths = [d] + [h["units"] for h in case["hidden"]] + [case["classes"] if case["output"] == "softmax" else 1]
    theta = torch.tensor(case["theta"], dtype=torch.float64)
    params, offset = [], 0
    for n_in, n_out in zip(widths[:-1], widths[1:]):
        W = theta[offset:offset + n_out * n_in].reshape(n_out, n_in).clone().requires_grad_(True)
        offset += n_out * n_in
        b = theta[offset:offset + n_out].clone().requires_grad_(True)
        offset += n_out
        params.append((W, b))
    assert offset == len(case["theta"])
    X = torch.tensor(case["X"], dtype=torch.float64)
    rows = case["rows"]
    Xb = X if rows is None else X[rows]

    def forward(x):
        a = x
        for l, (W, b) in enumerate(params):
            a = F.linear(a, W, b)
            if l < len(params) - 1:
                a = ACT[case["hidden"][l]["activation"]](a)
        return a

    scores = forward(Xb)
    if case["output"] == "softmax":
        y = torch.tensor(case["y"], dtype=torch.long)
        yb = y if rows is None else y[rows]
        loss = F.cross_entropy(scores, yb, reduction=case["reduction"])
    else:
        y = torch.tensor(case["y"], dtype=torch.float64)
        yb = y if rows is None else y[rows]
        loss = F.mse_loss(scores[:, 0], yb, reduction=case["reduction"])
    loss.backward()
    grad = torch.cat([torch.cat([W.grad.reshape(-1), b.grad]) for W, b in params])
    with torch.no_grad():
        out = forward(X)
        predictions = torch.softmax(out, dim=1).reshape(-1) if case["output"] == "softmax" else out[:, 0]
    return {**case, "loss": loss.item(), "grad": grad.tolist(), "predictions": predictions.tolist()}


def make(rng, name, inputs, hidden, output, classes, n, reduction="mean", rows=None, scale=0.7, input_scale=1.0):
    widths = [inputs] + [h["units"] for h in hidden] + [classes if output == "softmax" else 1]
    count = sum(o * (i + 1) for i, o in zip(widths[:-1], widths[1:]))
    case = {
        "name": name,
        "inputs": inputs,
        "hidden": hidden,
        "output": output,
        "X": [[rng.gauss(0, input_scale) for _ in range(inputs)] for _ in range(n)],
        "y": [rng.randrange(classes) for _ in range(n)] if output == "softmax" else [rng.gauss(0, 1) for _ in range(n)],
        "rows": rows,
        "reduction": reduction,
        "theta": [rng.gauss(0, scale) for _ in range(count)],
    }
    if output == "softmax":
        case["classes"] = classes
    return case


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    torch.set_default_dtype(torch.float64)
    cases = [
        make(rng, "softmax regression, 4 features, 3 classes", 4, [], "softmax", 3, 9),
        make(rng, "softmax regression, summed, 5 classes", 3, [], "softmax", 5, 12, reduction="sum"),
        make(rng, "softmax regression, scores near ±800 (log-sum-exp)", 3, [], "softmax", 4, 6, scale=30.0, input_scale=10.0),
        make(rng, "mlp tanh → relu, softmax over 3 classes", 4, [{"units": 6, "activation": "tanh"}, {"units": 5, "activation": "relu"}], "softmax", 3, 10),
        make(rng, "mlp relu, softmax over 4 classes, a batch of rows", 5, [{"units": 7, "activation": "relu"}], "softmax", 4, 12, rows=[3, 0, 11, 7, 5]),
        make(rng, "mlp sigmoid, regression (mean squared error)", 3, [{"units": 5, "activation": "sigmoid"}], "regression", 0, 8),
        make(rng, "mlp sigmoid → tanh → relu, regression, summed", 2, [{"units": 4, "activation": "sigmoid"}, {"units": 4, "activation": "tanh"}, {"units": 3, "activation": "relu"}], "regression", 0, 7, reduction="sum"),
    ]
    out = {"generator": "scripts/reference/gen_torch_networks.py", "seed": args.seed, "versions": {"torch": torch.__version__}, "cases": [run(c) for c in cases]}
    with open(args.out, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
