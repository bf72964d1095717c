#!/usr/bin/env bash
# Held-out log-likelihood of `scorematch train` with no tuning flags on small real two-column data,
# against scikit-learn's cross-validated KDE and a BIC-chosen Gaussian mixture on the same splits
# (bench/small-data.md; BENCHMARKS.md quotes it).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

python="$(command -p -v python3)"
if ! "$python" -c 'import sklearn, numpy' 2>/dev/null; then
  echo "bench/small-data.sh: scikit-learn missing for $python; installing Debian's python3-sklearn" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-sklearn >&2
fi
export OPENBLAS_NUM_THREADS=1

mvn -q -B -pl bench -am -DskipTests package >&2
java -cp bench/target/scorematch-bench.jar org.scorematch.bench.SmallDataSuite --python "$python" \
  --out bench/small-data.md "$@"
