#!/usr/bin/env bash
# Builds otp4j and runs the benchmarks: otp4j, the bare virtual-thread floor, Apache Pekko and
# (when erl is installed) BEAM, each run in a fresh JVM or erl, interleaved; then a table of medians.
#
#   benchmarks/run.sh [--quick] [--passes N] [--jdk-defaults] [--observer] [w1 w2 w3 w4 w5 w6 w7 w9]
#
# Figures go to stdout, progress to stderr; see benchmarks/README.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# The major version of the JDK installed at $1, or 0 if it is not a JDK.
jdk_major() {
    local v=""
    if [[ -x "$1/bin/java" && -x "$1/bin/javac" && -f "$1/release" ]]; then
        v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release")
    fi
    echo "${v:-0}"
}

# The JDK to run on, found as the build's toolchains plugin finds one: JAVA_HOME if it is 21 or
# newer, else the newest JDK 21+ installed in a usual place.
find_jdk() {
    if [[ -n "${JAVA_HOME:-}" && $(jdk_major "$JAVA_HOME") -ge 21 ]]; then
        echo "$JAVA_HOME"
        return
    fi
    local d v best="" best_v=0
    for d in /usr/lib/jvm/* /usr/java/* /opt/java/* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* \
             /Library/Java/JavaVirtualMachines/*/Contents/Home; do
        v=$(jdk_major "$d")
        if (( v >= 21 && v > best_v )); then
            best=$d
            best_v=$v
        fi
    done
    [[ -n "$best" ]] && echo "$best"
}

JDK=$(find_jdk) || {
    echo "run.sh: no JDK 21 or newer found (JAVA_HOME, /usr/lib/jvm, ~/.sdkman, ~/.jdks, ...); install one" >&2
    exit 2
}
cd "$ROOT"
./mvnw -q -B -pl benchmarks -am package -DskipTests
exec "$JDK/bin/java" -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" otp4j.bench.Runner "$@"
