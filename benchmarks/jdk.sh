#!/usr/bin/env bash
# Sourced by the benchmarks' scripts: sets JDK to a JDK 21 or newer, found as the build's
# toolchains plugin finds one: JAVA_HOME if it is 21 or newer, else the newest JDK 21+ installed
# in a usual place. Exits with 2 when there is none.

# The major version of the JDK installed at $1, or 0 if it is not a JDK.
jdk_major() {
    local v=""
    if [[ -x "$1/bin/java" && -x "$1/bin/javac" && -f "$1/release" ]]; then
        v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release")
    fi
    echo "${v:-0}"
}

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
    echo "$(basename "$0"): no JDK 21 or newer found (JAVA_HOME, /usr/lib/jvm, ~/.sdkman, ~/.jdks, ...); install one" >&2
    exit 2
}
