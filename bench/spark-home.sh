#!/usr/bin/env bash
# Makes a SPARK_HOME from Maven's Spark jars, without a Spark distribution: DIR/jars holds Spark
# 4.1 and its dependencies (as the spark module resolves them) and scorematch-spark.jar. That is
# what a standalone Master, Worker or spark-submit needs (with SPARK_SCALA_VERSION=2.13):
#   bench/spark-home.sh /opt/spark-home
#   export SPARK_HOME=/opt/spark-home SPARK_SCALA_VERSION=2.13
#   java $(bench/spark-flags.sh) -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.master.Master --host HOST
set -euo pipefail
home="${1:?usage: bench/spark-home.sh DIR}"
cd "$(dirname "$0")/.."
mvn -q -B -pl spark -am install -DskipTests
mkdir -p "$home/jars"
mvn -q -B -pl spark dependency:copy-dependencies -DincludeScope=compile -DoutputDirectory="$home/jars" \
  -DexcludeGroupIds=org.scorematch
cp spark/target/scorematch-spark.jar "$home/jars/"
echo "SPARK_HOME ready: $home (export SPARK_HOME=$home SPARK_SCALA_VERSION=2.13)"
