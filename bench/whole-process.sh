#!/usr/bin/env bash
# Whole process against whole process (issue 15): `./scorematch train` (float32 and float64)
# against bench/python/torch_fit.py (PyTorch float32 and float64) on the same CSV with the same
# settings, wall clock of each command (/usr/bin/time), one run each, alternating.
#
#   bench/whole-process.sh [--dim 50] [--rows 20000] [--batch 1024] [--steps 1500]
#
# Data: rows of a seeded 50-D Gaussian mixture (numpy), written once. Both sides use the same
# OpenBLAS kernels (see bench/run.sh), 2 threads, OMP_WAIT_POLICY=PASSIVE for PyTorch.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
dim=50 rows=20000 batch=1024 steps=1500
while [ $# -gt 0 ]; do
  case "$1" in
    --dim) dim="$2"; shift 2 ;;
    --rows) rows="$2"; shift 2 ;;
    --batch) batch="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
python="$(command -p -v python3)"
if ! "$python" -c 'import torch' 2>/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch libopenblas0-pthread >&2
fi
if [ -z "${OPENBLAS_CORETYPE_BENCH:-}" ]; then
  if grep -q avx512f /proc/cpuinfo; then OPENBLAS_CORETYPE_BENCH=SkylakeX; else OPENBLAS_CORETYPE_BENCH=Haswell; fi
fi
export OPENBLAS_CORETYPE="$OPENBLAS_CORETYPE_BENCH" OMP_WAIT_POLICY=PASSIVE
work="$here/bench/work/whole-process"
mkdir -p "$work"
data="$work/mixture-$dim-$rows.csv"
if [ ! -s "$data" ]; then
  "$python" - "$dim" "$rows" "$data" <<'PY'
import sys
import numpy as np
dim, rows, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = np.random.default_rng(7)
centres = rng.normal(0, 3, (5, dim))
x = centres[rng.integers(0, 5, rows)] + rng.normal(0, 1, (rows, dim))
np.savetxt(path + ".tmp", x, delimiter=",", header=",".join(f"x{i + 1}" for i in range(dim)), comments="", fmt="%.6f")
import os; os.replace(path + ".tmp", path)
PY
fi
./scorematch datasets >/dev/null   # builds the launcher's jar outside the timings
settings=(--model score --objective denoising --sigma 0.5 --hidden 128,128,128 --validation 0 --batch "$batch" --steps "$steps")
# Prints the wall seconds of the whole command, then the seconds of its training loop as it reports them.
timed() {
  local log; log="$(mktemp)"
  /usr/bin/time -f "wall %e" "$@" >"$log" 2>&1
  echo "$(grep '^wall ' "$log" | tail -1 | cut -d' ' -f2) $(grep -o 'trained [0-9]* steps in [0-9.]* s' "$log" | tail -1 | awk '{print $5}')"
  rm -f "$log"
}
echo "| command | precision | wall s | training loop s |"
echo "|---|---|---|---|"
for precision in float32 float64; do
  read -r wall loop < <(OPENBLAS_NUM_THREADS=1 timed ./scorematch train --data "$data" "${settings[@]}" \
      --precision "$precision" --threads 2 --out "$work/model-$precision.safetensors")
  echo "| ./scorematch train | $precision | $wall | $loop |"
  read -r wall loop < <(OPENBLAS_NUM_THREADS=2 timed "$python" bench/python/torch_fit.py --data "$data" --sigma 0.5 \
      --hidden 128,128,128 --batch "$batch" --steps "$steps" --dtype "$precision" --threads 2 \
      --out "$work/model-$precision.pt")
  echo "| PyTorch torch_fit.py | $precision | $wall | $loop |"
done
