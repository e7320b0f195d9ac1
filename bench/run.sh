#!/usr/bin/env bash
# Runs one benchmark harness (a main class of this module) against a fresh suite started from the services' jars.
# Builds what is missing first (BENCH_BUILD=1 rebuilds anyway). Results go to bench/results/<name>-<date>.json|md.
# Usage: bench/run.sh <MainClass> [args...]   (the four bench/*.sh scripts call it)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
main="$1"
shift

jars=(registry-service deployer-service identity-gateway)
need_build="${BENCH_BUILD:-0}"
for module in "${jars[@]}"; do
  [[ -f "$module/target/quarkus-app/quarkus-run.jar" ]] || need_build=1
done
[[ -d bench/target/classes/dev/windlass/bench ]] || need_build=1
if [[ "$need_build" == 1 ]]; then
  ./mvnw -B -q install -DskipTests -pl bench -am
fi
if [[ ! -s bench/target/classpath.txt || bench/pom.xml -nt bench/target/classpath.txt ]]; then
  ./mvnw -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
fi

echo "bench: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
exec java -Xmx2g \
  -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -Dwindlass.repo.root="$root" \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  "dev.windlass.bench.$main" "$@"
