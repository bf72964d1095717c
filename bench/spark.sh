#!/usr/bin/env bash
# Spark's per-step overhead and scaling (BENCHMARKS.md, "Spark"): SparkScaling in local mode,
# then on a standalone cluster of two one-core Workers on 127.0.0.1 started from Maven's Spark
# jars (bench/spark-home.sh), so no Spark distribution is needed.
#   bench/spark.sh [overhead|scaling|all|cluster]   (cluster: only the standalone cluster's overhead)
set -euo pipefail
cd "$(dirname "$0")/.."
table="${1:-all}"
work="$(mktemp -d)"
bench/spark-home.sh "$work/spark-home" >/dev/null
export SPARK_HOME="$work/spark-home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
read -r -a flags <<< "$(bench/spark-flags.sh)"
run() { java "${flags[@]}" -cp "$SPARK_HOME/jars/*" "$@"; }
# A daemon JVM in the background; its own PID is kept so that the exit trap stops it.
daemon() { local log="$1"; shift; java "${flags[@]}" -cp "$SPARK_HOME/jars/*" "$@" >"$log" 2>&1 & pids+=($!); }

if [ "$table" != cluster ]; then
  echo "## local mode"
  run org.scorematch.spark.SparkScaling "$table" --cores 2
fi

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
daemon "$work/master.log" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port 7077 --webui-port 18080
for w in 1 2; do
  daemon "$work/worker$w.log" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 1 --memory 4g \
    --webui-port $((18080 + w)) --work-dir "$work/worker$w" spark://127.0.0.1:7077
done
for _ in $(seq 1 120); do
  if curl -s http://127.0.0.1:18080/json/ | grep -Eq '"aliveworkers" *: *2'; then break; fi
  sleep 1
done
echo "## standalone cluster: two Workers with one core each on 127.0.0.1"
run org.scorematch.spark.SparkScaling overhead --master spark://127.0.0.1:7077 --cores 2
