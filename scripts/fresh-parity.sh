#!/usr/bin/env bash
# Fresh random reference cases, then the parity check on them:
#   scripts/fresh-parity.sh [K] [SEED]     (K random configurations per generator, default 100)
# The lecture generator needs only python3; the PyTorch one needs Debian's python3-torch
# (apt-get install python3-torch), run by /usr/bin/python3. Without it, only the lecture set runs.
set -euo pipefail
cd "$(dirname "$0")/.."
k="${1:-100}"
seed="${2:-$RANDOM}"
out="$(mktemp -d)"
files=()
python3 test/fixtures/gen_lecture_reference.py "$out/lecture.json" --random "$k" --seed "$seed"
files+=("$out/lecture.json")
quasi_newton=""
if /usr/bin/python3 -c "import torch" 2>/dev/null; then
  /usr/bin/python3 test/fixtures/gen_torch_reference.py "$out/torch.json" --random "$k" --seed "$seed"
  files+=("$out/torch.json")
  # LBFGS and ASGD (K random LBFGS cases, K/2 ASGD configurations on both problems): only ASGD is gradstep's.
  /usr/bin/python3 test/fixtures/gen_torch_quasi_newton.py "$out/quasi-newton.json" --random "$k" --seed "$seed"
  quasi_newton="$out/quasi-newton.json"
else
  echo "PyTorch not found for /usr/bin/python3: skipping the torch sets (apt-get install python3-torch)"
fi
echo "seed $seed"
npx tsx scripts/parity.ts "${files[@]}" | tail -4
if [ -n "$quasi_newton" ]; then
  npx tsx scripts/parity.ts --optimizer ASGD "$quasi_newton" | tail -2
fi
