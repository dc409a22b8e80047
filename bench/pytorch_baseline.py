#!/usr/bin/python3
"""PyTorch's numbers for gradstep's bench (run by bench/pytorch.ts when /usr/bin/python3 has torch).

Usage: pytorch_baseline.py DIR — DIR holds spec.json ({"sizes": [...], "samples": k, "epochs": e,
"n": N, "d": D}), X.f64 (N*d float64), y.f64 (N float64) and batches.i32 (the batch indices, in
order, each batch padded to 64 with -1). Prints one JSON object: Adam step ns/param per size, and the
end-to-end run's seconds and final loss. float64, one thread, as a user would write it.
"""
import json, math, os, sys, time
import numpy as np
import torch

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)
directory = sys.argv[1]
spec = json.load(open(os.path.join(directory, "spec.json")))

def step_ns_per_param(n, samples):
    p = torch.zeros(n, requires_grad=True)
    p.grad = torch.sin(torch.arange(n, dtype=torch.float64)) * 1e-3
    opt = torch.optim.Adam([p], lr=1e-3)
    for _ in range(20):
        opt.step()
    calls = 1
    while True:
        start = time.perf_counter()
        for _ in range(calls):
            opt.step()
        elapsed = time.perf_counter() - start
        if elapsed > 0.025 or calls > 1e6:
            break
        calls *= 4
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        for _ in range(calls):
            opt.step()
        times.append((time.perf_counter() - start) / calls / n * 1e9)
    return sorted(times)[len(times) // 2]

result = {"torch": torch.__version__, "adam": {str(n): step_ns_per_param(n, spec["samples"]) for n in spec["sizes"]}}

N, D = spec["n"], spec["d"]
X = torch.from_numpy(np.fromfile(os.path.join(directory, "X.f64"), dtype=np.float64).reshape(N, D))
y = torch.from_numpy(np.fromfile(os.path.join(directory, "y.f64"), dtype=np.float64))
batches = np.fromfile(os.path.join(directory, "batches.i32"), dtype=np.int32).reshape(-1, 64)
w = torch.zeros(D, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
opt = torch.optim.Adam([w, b], lr=0.01)
loss_fn = torch.nn.BCEWithLogitsLoss()
start = time.perf_counter()
for row in batches:
    index = torch.from_numpy(row[row >= 0].astype(np.int64))
    opt.zero_grad()
    loss = loss_fn(X[index] @ w + b, y[index])
    loss.backward()
    opt.step()
with torch.no_grad():
    final = loss_fn(X @ w + b, y).item()
result["endToEnd"] = {"seconds": time.perf_counter() - start, "loss": final}
print(json.dumps(result))
