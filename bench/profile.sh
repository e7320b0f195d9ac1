#!/usr/bin/env bash
# Records a JFR profile of a running service JVM (e.g. the deployer while bench/deploy-pipeline.sh runs) and prints
# where its CPU samples are: the hottest top frames, and the share of samples that pass through each library.
# Usage: bench/profile.sh <pid> [seconds=60]      (the pid of a service is in its log and in `jcmd -l`)
set -euo pipefail
pid="$1"
seconds="${2:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$root/bench/target"
out="$root/bench/target/profile-$pid-$(date -u +%Y%m%dT%H%M%S).jfr"
jcmd "$pid" JFR.start name=bench settings=profile "duration=${seconds}s" "filename=$out" >/dev/null
sleep "$((seconds + 3))"
echo "profile: $out"
echo "== hottest top frames"
jfr print --events jdk.ExecutionSample --stack-depth 1 "$out" \
  | grep -A1 'stackTrace = \[' | grep -v 'stackTrace\|^--' | sed -e 's/line:.*//' -e 's/^ *//' \
  | sort | uniq -c | sort -rn | head -25
echo "== share of samples through each library (inclusive)"
jfr print --events jdk.ExecutionSample --stack-depth 128 "$out" | awk '
  /jdk.ExecutionSample/ { if (n) for (p in seen) count[p]++; n++; delete seen; next }
  /^ +[a-zA-Z_$][a-zA-Z0-9_$]*\.[a-zA-Z0-9_$.]*\(/ {
    split($1, parts, "."); prefix = parts[1] "." parts[2] "." parts[3]; seen[prefix] = 1 }
  END { if (n) for (p in seen) count[p]++; for (p in count) printf "%6.1f %%  %s\n", 100 * count[p] / n, p }
' | sort -rn | head -25
