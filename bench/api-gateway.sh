#!/usr/bin/env bash
# Benchmark 2: list/get orchestrators through the gateway and directly at the registry.
# Usage: bench/api-gateway.sh [--repeats=3] [--seconds=10]
exec "$(dirname "$0")/run.sh" ApiGatewayBench "$@"
