#!/usr/bin/env bash
# The regression guard: compares a new run of benchmarks/run.sh with a saved baseline run and
# prints the figures that got more than 20% worse (or --threshold PERCENT), and those missing
# from the new run. Exit status 1 when there are any, 2 on bad input.
#
#   benchmarks/run.sh --passes 3 > new.txt
#   benchmarks/compare.sh benchmarks/baseline.txt new.txt
#
# Medians over each run's passes are compared; see benchmarks/README.md. Needs no build.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

source "$ROOT/benchmarks/jdk.sh"
exec "$JDK/bin/java" "$ROOT/benchmarks/src/main/java/otp4j/bench/Compare.java" "$@"
