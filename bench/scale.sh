#!/usr/bin/env bash
# Benchmark 4: throughput by partitions of the requests topic (1, 2, 4) and deployer processes (1, 2, 4).
# Usage: bench/scale.sh [--deploys=500]
exec "$(dirname "$0")/run.sh" ScaleBench "$@"
