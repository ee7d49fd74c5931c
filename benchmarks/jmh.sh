#!/usr/bin/env bash
# Builds otp4j and runs the JMH microbenchmarks of its hot paths (benchmarks/src/main/java/
# otp4j/bench/jmh): mailbox offer/take, send and receive, selective receive past 10,000
# messages, GenServer call, ETS lookup/insert/update_counter, each beside its bare JDK or
# JCTools counterpart. Forks get the runtime's recommended JVM flags (--jdk-defaults: none).
#
#   benchmarks/jmh.sh                      # all of them (2-3 minutes)
#   benchmarks/jmh.sh MailboxBench         # a regular expression over benchmark names
#   benchmarks/jmh.sh EtsBench.lookup -t 2 # JMH's own options: -t threads, -f forks, -h ...
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

source "$ROOT/benchmarks/jdk.sh"
cd "$ROOT"
./mvnw -q -B -pl benchmarks -am package -DskipTests
exec "$JDK/bin/java" -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" otp4j.bench.Jmh "$@"
