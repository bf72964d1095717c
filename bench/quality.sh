#!/usr/bin/env bash
# The quality suite: scorematch and the PyTorch reference trained with the same settings on targets
# with analytic scores, Fisher divergences side by side (bench/quality.md; BENCHMARKS.md quotes it).
#
#   bench/quality.sh [suite options, e.g. --targets banana,mixture5 --seeds 5]
#
# PyTorch runs under Debian's own python3 with 2 threads and OMP_WAIT_POLICY=PASSIVE; its results
# are cached in bench/quality-work/ (delete the folder to retrain it).
needs="torch, numpy"
source "$(dirname "$0")/python-env.sh"
java -cp bench/target/scorematch-bench.jar org.scorematch.bench.QualitySuite --python "$python" \
  --out bench/quality.md "$@"
