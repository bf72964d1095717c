#!/usr/bin/env bash
# Held-out log-likelihood of `scorematch train` with no tuning flags on small real two-column data,
# against scikit-learn's cross-validated KDE and a BIC-chosen Gaussian mixture on the same splits
# (bench/small-data.md; BENCHMARKS.md quotes it).
needs="sklearn, numpy"
source "$(dirname "$0")/python-env.sh"
java -cp bench/target/scorematch-bench.jar org.scorematch.bench.SmallDataSuite --python "$python" \
  --out bench/small-data.md "$@"
