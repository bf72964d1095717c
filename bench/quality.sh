#!/usr/bin/env bash
# The quality suite: scorematch and the PyTorch reference trained with the same settings on targets
# with analytic scores, Fisher divergences side by side (bench/quality.md; BENCHMARKS.md quotes it).
#
#   bench/quality.sh [suite options, e.g. --targets banana,mixture5 --seeds 5]
#
# PyTorch runs under Debian's own python3 with 2 threads and OMP_WAIT_POLICY=PASSIVE; its results
# are cached in bench/quality-work/ (delete the folder to retrain it).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

python="$(command -p -v python3)"
if ! "$python" -c 'import torch, numpy' 2>/dev/null; then
  echo "bench/quality.sh: PyTorch missing for $python; installing Debian's python3-torch" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch >&2
fi
export OPENBLAS_NUM_THREADS=1
export OMP_WAIT_POLICY=PASSIVE

mvn -q -B -pl bench -am -DskipTests package >&2
java -cp bench/target/scorematch-bench.jar org.scorematch.bench.QualitySuite --python "$python" \
  --out bench/quality.md "$@"
