#!/usr/bin/env bash
# Issue 14's acceptance run: diffusion models with every default on random 5-D anisotropic
# three-component mixtures; weights, mean and held-out ODE log-likelihood against the truth and a
# cross-validated KDE (BENCHMARKS.md, "Diffusion").
#
#   bench/diffusion-quality.sh [--seeds 1,2,3] [--samplers sde,pc,ode] [--train-args "..."]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -pl bench -am -DskipTests package >&2
java --add-modules jdk.incubator.vector -cp bench/target/scorematch-bench.jar org.scorematch.bench.DiffusionQuality "$@"
