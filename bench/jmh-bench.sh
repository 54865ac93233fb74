#!/usr/bin/env bash
# JMH micro-benchmarks of the request path (bench module, Maven profile jmh): SIP parser and encoder,
# digest authentication, presence composer. Builds the module, runs JMH, writes the report to
# bench/results/jmh-<date>-<time>.txt. Never part of ./parley test.
#   bench/jmh-bench.sh                      every benchmark, JMH's settings from the annotations (~2 min)
#   bench/jmh-bench.sh Digest -f 1 -wi 1    JMH's own arguments: a benchmark pattern, forks, iterations...
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
[[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && { sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0; }

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/java}"
JAVA="${JAVA:-java}"
command -v mvn >/dev/null || { echo "jmh-bench: Maven is needed" >&2; exit 1; }
echo "jmh-bench: building the bench module (mvn -P jmh -pl bench -am package)..." >&2
mvn -q -B -P jmh -pl bench -am -DskipTests package >&2

out="bench/results/jmh-$(date -u +%Y%m%d-%H%M%S).txt"
{
  echo "Parley JMH micro-benchmarks, $(date -u '+%Y-%m-%d %H:%M:%S') UTC"
  echo "commit:  ${BENCH_COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)}"
  echo "java:    $("$JAVA" -version 2>&1 | head -n1)"
  echo "host:    $(nproc) CPUs, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  "$JAVA" -cp "bench/target/classes:bench/target/lib/*" org.openjdk.jmh.Main -rf text -rff /dev/stderr "$@" 2>&1 >/dev/null \
    | grep -v "^SLF4J"   # the benchmarks log nothing; the missing binding is noise
} | tee "$out"
echo "jmh-bench: report in $out" >&2
