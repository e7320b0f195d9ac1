#!/usr/bin/env bash
# How soon ./windlass-local's services are ready, side by side in one run: on the launcher's JDK with the build's
# class-data archive (--no-aot-cache) and on JDK 25+ with the ahead-of-time caches (the default where such a JDK is
# found). Each start is timed by the launcher's own "services ready X s after they started" line: from the first
# service's start to the last one's readiness, the components (PostgreSQL, Kafka, ...) already running.
# One start of each kind comes first and is not counted (it trains the caches and warms the file cache); then the
# kinds alternate. Usage: bench/local-suite-start.sh [REPEATS] (default 5). Needs a build (./mvnw install -DskipTests).
# Writes bench/results/local-suite-start-<UTC time>.md.
set -euo pipefail
cd "$(dirname "$0")/.."
repeats="${1:-5}"
state="$(mktemp -d /tmp/windlass-suite-start-XXXXXX)"
stamp="$(date -u +%Y-%m-%dT%H%MZ)"
result="bench/results/local-suite-start-$stamp.md"
trap 'rm -rf "$state"' EXIT

# one start: prints "<services seconds> <whole-suite seconds>"
once() {
  local out="$state/launcher.out"
  ./windlass-local --no-build --ephemeral-ports --state "$state/suite" "$@" >"$out" 2>&1 &
  local pid=$!
  for _ in $(seq 1 240); do
    grep -q '^windlass: ready in ' "$out" && break
    kill -0 "$pid" 2>/dev/null || { cat "$out" >&2; exit 1; }
    sleep 1
  done
  local services suite
  services="$(sed -n 's/^  services *ready \([0-9.]*\) s after.*/\1/p' "$out")"
  suite="$(sed -n 's/^windlass: ready in \([0-9]*\)s.*/\1/p' "$out")"
  [[ -n "$services" ]] || { cat "$out" >&2; exit 1; }
  kill -TERM "$pid"
  wait "$pid" || true
  echo "$services $suite"
}

median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

echo "local-suite-start: warm-up starts (the first trains the ahead-of-time caches)" >&2
once >/dev/null
once --no-aot-cache >/dev/null
aot=() plain=()
for i in $(seq 1 "$repeats"); do
  plain+=("$(once --no-aot-cache)")
  aot+=("$(once)")
  echo "local-suite-start: run $i: class-data archive ${plain[-1]%% *} s, ahead-of-time caches ${aot[-1]%% *} s" >&2
done
plain_median="$(printf '%s\n' "${plain[@]%% *}" | median)"
aot_median="$(printf '%s\n' "${aot[@]%% *}" | median)"
ratio="$(awk -v a="$aot_median" -v p="$plain_median" 'BEGIN {printf "%.2f", a / p}')"
{
  echo "# ./windlass-local: services ready, $stamp"
  echo
  echo "\`bench/local-suite-start.sh $repeats\` on $(nproc) cores; launcher JDK: $(java -version 2>&1 | head -1)."
  echo "Seconds from the first service's start to all three ready (the components already running), and the whole"
  echo "suite's ready line in whole seconds."
  echo
  echo "| run | launcher's JDK, class-data archive: services / suite | JDK 25+, ahead-of-time caches: services / suite |"
  echo "|---|---|---|"
  for i in $(seq 0 $((repeats - 1))); do
    echo "| $((i + 1)) | ${plain[$i]%% *} s / ${plain[$i]##* } s | ${aot[$i]%% *} s / ${aot[$i]##* } s |"
  done
  echo "| median | $plain_median s | $aot_median s |"
  echo
  echo "Ahead-of-time caches ÷ class-data archive (medians of the services' time): $ratio"
} >"$result"
cat "$result"
