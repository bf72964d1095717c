#!/usr/bin/env bash
# Likelihood speed: scorematch's probability-flow log-likelihood against score_sde's PyTorch
# formulation (scipy RK45, exact divergence by D backward passes, and Hutchinson with K probes), the
# same weights and rows, float64 (BENCHMARKS.md quotes it).
#
#   bench/likelihood.sh [--rows 1000] [--steps 300] [--probes 1,4,16]
needs="torch, numpy, scipy"
source "$(dirname "$0")/python-env.sh"
java -cp bench/target/scorematch-bench.jar org.scorematch.bench.LikelihoodSpeed --python "$python" "$@"
