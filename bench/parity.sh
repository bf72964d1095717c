#!/usr/bin/env bash
# The parity harness: scorematch and the PyTorch reference formulation trained from one initial θ on
# one sequence of batches, noise and directions; prints how far the two trajectories drift apart over
# 100 Adam steps for every objective (bench/parity.md; BENCHMARKS.md quotes it). Exits non-zero when
# any objective exceeds 1e-8.
needs="torch, numpy"
source "$(dirname "$0")/python-env.sh"
java -cp bench/target/scorematch-bench.jar org.scorematch.bench.ParityHarness --python "$python" \
  --out bench/parity.md "$@"
