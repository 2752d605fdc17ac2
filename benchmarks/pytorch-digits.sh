#!/usr/bin/env bash
# Measures issue 15's PyTorch rows (W6-W8 on the digits, float64, one thread, ns per example) on this machine,
# beside DigitsModelBenchmark. Needs a python3 with torch (Debian: apt-get install python3-torch); without one it
# says so and exits 0, so that run.sh goes on. Usage: benchmarks/pytorch-digits.sh [OUTPUT.md]
# PYTHON=/path/to/python3 picks the interpreter; otherwise python3 on the PATH, then /usr/bin/python3.
set -euo pipefail
cd "$(dirname "$0")/.."

python=""
for candidate in "${PYTHON:-python3}" /usr/bin/python3; do
    if command -v "$candidate" > /dev/null 2>&1 && "$candidate" -c 'import torch, numpy' > /dev/null 2>&1; then
        python="$candidate"
        break
    fi
done
if [ -z "$python" ]; then
    echo "pytorch-digits: no python3 with torch found (Debian: apt-get install python3-torch); skipped" >&2
    exit 0
fi
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
"$python" benchmarks/pytorch_digits.py --data benchmarks/src/main/resources/data/digits.csv ${1:+--output "$1"}
