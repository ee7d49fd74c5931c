#!/usr/bin/env bash
# Builds otp4j and runs the benchmarks: otp4j, the bare virtual-thread floor, Apache Pekko (its
# default and its virtual-thread dispatcher) and (when erl is installed) BEAM, each run in a fresh
# JVM or erl, interleaved; then a table of medians.
#
#   benchmarks/run.sh [--quick] [--passes N] [--jdk-defaults] [--observer] [w1 w2 w3 w4 w5 w6 w7 w8 w9]
#
# Figures go to stdout, progress to stderr; see benchmarks/README.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

source "$ROOT/benchmarks/jdk.sh"
cd "$ROOT"
./mvnw -q -B -pl benchmarks -am package -DskipTests
exec "$JDK/bin/java" -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" otp4j.bench.Runner "$@"
