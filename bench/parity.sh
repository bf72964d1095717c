#!/usr/bin/env bash
# The parity harness: scorematch and the PyTorch reference formulation trained from one initial θ on
# one sequence of batches, noise and directions; prints how far the two trajectories drift apart over
# 100 Adam steps for every objective (bench/parity.md; BENCHMARKS.md quotes it). Exits non-zero when
# any objective exceeds 1e-8.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

python="$(command -p -v python3)"
if ! "$python" -c 'import torch, numpy' 2>/dev/null; then
  echo "bench/parity.sh: PyTorch missing for $python; installing Debian's python3-torch" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch >&2
fi
export OPENBLAS_NUM_THREADS=1
export OMP_WAIT_POLICY=PASSIVE

mvn -q -B -pl bench -am -DskipTests package >&2
java -cp bench/target/scorematch-bench.jar org.scorematch.bench.ParityHarness --python "$python" \
  --out bench/parity.md "$@"
