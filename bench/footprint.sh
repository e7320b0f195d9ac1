#!/usr/bin/env bash
# Benchmark 3: start-to-ready time and RSS after warm-up of each service (JVM mode).
# Usage: bench/footprint.sh [--repeats=3] [--variant=NAME=OPTIONS ...]
#   OPTIONS: JVM options added after -Xmx256m and the service's own (quarkus.jib.jvm-additional-arguments in its
#   application.properties); "untuned" leaves the service's own out (its JVM options and environment variables),
#   "java=<JDK home>" runs the services on that JDK, "env:NAME=value" sets an environment variable, and "aot" first makes an ahead-of-time cache for the variant in a training run (JDK 24+), e.g.
#   --variant=jdk17= --variant=jdk25=java=/usr/lib/jvm/temurin-25-jdk-amd64
#   --variant=jdk25-aot="java=/usr/lib/jvm/temurin-25-jdk-amd64 aot"
exec "$(dirname "$0")/run.sh" FootprintBench "$@"
