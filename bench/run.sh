#!/usr/bin/env bash
# Times one training step of scorematch against the PyTorch reference formulation, in one run on
# this machine, and writes the Markdown results to bench/results.md (BENCHMARKS.md quotes them).
#
#   bench/run.sh [harness options, e.g. --dims 10,50 --min-time 1]
#
# Both sides use the same OpenBLAS kernels: PyTorch (Debian's python3-torch) links the system
# OpenBLAS 0.3.21, which does not recognise recent AMD CPUs, so OPENBLAS_CORETYPE is set for both
# (SkylakeX where the CPU has AVX-512, else Haswell) unless the caller sets it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

python="$(command -p -v python3)"
if ! "$python" -c 'import torch' 2>/dev/null; then
  echo "bench/run.sh: PyTorch missing for $python; installing Debian's python3-torch and OpenBLAS" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch libopenblas0-pthread >&2
fi

if [ -z "${OPENBLAS_CORETYPE_BENCH:-}" ]; then
  if grep -q avx512f /proc/cpuinfo; then OPENBLAS_CORETYPE_BENCH=SkylakeX; else OPENBLAS_CORETYPE_BENCH=Haswell; fi
fi
export OPENBLAS_CORETYPE="$OPENBLAS_CORETYPE_BENCH"
export OPENBLAS_NUM_THREADS=1
export OMP_WAIT_POLICY=PASSIVE

mvn -q -B -pl bench -am -DskipTests package >&2
java --add-modules jdk.incubator.vector -Dscorematch.gemm-timing=true -jar bench/target/scorematch-bench.jar --python "$python" --torch-script bench/python/torch_step.py \
  --out bench/results.md "$@"
