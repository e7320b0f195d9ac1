#!/usr/bin/env bash
# Benchmark 1: deploys through Kafka vs Fabric8 direct vs kubectl, then a steady rate.
# Usage: bench/deploy-pipeline.sh [N ...] [--repeats=3] [--kubectl-sample=100] [--steady-rate=20] [--steady-seconds=30]
exec "$(dirname "$0")/run.sh" DeployPipelineBench "$@"
