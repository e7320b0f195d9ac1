#!/usr/bin/env bash
# Benchmark 3: start-to-ready time and RSS after warm-up of each service (JVM mode).
# Usage: bench/footprint.sh [--repeats=3]
exec "$(dirname "$0")/run.sh" FootprintBench "$@"
