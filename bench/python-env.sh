# Sourced by the benchmark scripts: the checkout root as the working folder, Debian's own python3 in
# $python with the packages named in $needs (Python modules) installed from Debian when missing, and
# the environment both sides of a comparison share.
set -euo pipefail
cd "$(cd "$(dirname "${BASH_SOURCE[1]}")/.." && pwd)"
python="$(command -p -v python3)"
if ! "$python" -c "import ${needs:-torch}" 2>/dev/null; then
  echo "$(basename "$0"): ${needs:-torch} missing for $python; installing Debian's packages" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch python3-sklearn \
    libopenblas0-pthread >&2
fi
export OPENBLAS_NUM_THREADS=1
export OMP_WAIT_POLICY=PASSIVE
mvn -q -B -pl bench -am -DskipTests package >&2
