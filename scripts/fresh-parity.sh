#!/usr/bin/env bash
# Fresh random reference cases from every generator in test/fixtures/, then the parity check on them:
#   scripts/fresh-parity.sh [K] [SEED]     (K random configurations per generator, default 100)
# Generators that import torch need Debian's python3-torch (apt-get install python3-torch), run by
# /usr/bin/python3; without it they are skipped. The others need only python3.
set -euo pipefail
cd "$(dirname "$0")/.."
k="${1:-100}"
seed="${2:-$RANDOM}"
out="$(mktemp -d)"
files=()
has_torch=0
/usr/bin/python3 -c "import torch" 2>/dev/null && has_torch=1
for generator in test/fixtures/gen_*.py; do
  name="$(basename "$generator" .py)"
  if grep -q "import torch" "$generator"; then
    if [ "$has_torch" = 0 ]; then
      echo "PyTorch not found for /usr/bin/python3: skipping $name (apt-get install python3-torch)"
      continue
    fi
    /usr/bin/python3 "$generator" "$out/$name.json" --random "$k" --seed "$seed"
  else
    python3 "$generator" "$out/$name.json" --random "$k" --seed "$seed"
  fi
  files+=("$out/$name.json")
done
echo "seed $seed"
npx tsx scripts/parity.ts "${files[@]}" | tail -4
