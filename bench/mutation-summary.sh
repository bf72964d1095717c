#!/usr/bin/env bash
# The mutation score per core package from PIT's CSV report (after the mutation profile ran):
#   mvn -P mutation -pl core -am test-compile org.pitest:pitest-maven:mutationCoverage
#   bench/mutation-summary.sh [core/target/pit-reports/mutations.csv]
# Killed counts KILLED and TIMED_OUT (PIT's own "mutation score"); the rest is SURVIVED or
# NO_COVERAGE. Prints one line per package and the total.
set -euo pipefail
csv="${1:-core/target/pit-reports/mutations.csv}"
awk -F, '
  { cls = $2; sub(/\.[^.]*$/, "", cls); total[cls]++; all++
    if ($6 == "KILLED" || $6 == "TIMED_OUT" || $6 == "MEMORY_ERROR") { killed[cls]++; k++ } }
  END {
    for (p in total) printf "%-28s %5d / %5d  %5.1f %%\n", p, killed[p], total[p], 100 * killed[p] / total[p]
    printf "%-28s %5d / %5d  %5.1f %%\n", "all", k, all, 100 * k / all
  }' "$csv" | sort
