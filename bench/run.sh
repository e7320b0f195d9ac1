#!/usr/bin/env bash
# Runs one benchmark harness (a main class of this module) against a fresh suite started from the services' jars.
# Builds what is missing first (BENCH_BUILD=1 rebuilds anyway). Results go to bench/results/<name>-<date>T<hhmm>Z.json|md.
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
# the class path is resolved again when a POM it depends on changed (the parent's holds every version)
stale=0
for pom in pom.xml bench/pom.xml dev-stack/pom.xml event-schemas/pom.xml; do
  [[ "$pom" -nt bench/target/classpath.txt ]] && stale=1
done
if [[ ! -s bench/target/classpath.txt || "$stale" == 1 ]]; then
  ./mvnw -B -q -pl bench dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
fi

# kube-api-test puts --service-cluster-ip-range=10.0.0.0/24 after any flag one adds, which leaves room for 254
# Services; the benchmarks create thousands. A wrapper around the cached kube-apiserver widens the range to a /16.
version="${WINDLASS_KUBE_API_VERSION:-1.20.2}"
real="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/$version-linux-amd64"
wrap="$root/bench/target/kubeapitest/k8s/$version-linux-amd64"
if [[ -x "$real/kube-apiserver" ]]; then
  mkdir -p "$wrap"
  ln -sf "$real/etcd" "$wrap/etcd"
  ln -sf "$real/kubectl" "$wrap/kubectl"
  cat > "$wrap/kube-apiserver" <<WRAPPER
#!/usr/bin/env bash
args=()
for arg in "\$@"; do
  [[ "\$arg" == 10.0.0.0/24 ]] && arg=10.0.0.0/16
  args+=("\$arg")
done
exec "$real/kube-apiserver" "\${args[@]}"
WRAPPER
  chmod +x "$wrap/kube-apiserver"
  export KUBE_API_TEST_DIR="$root/bench/target/kubeapitest"
  export KUBECTL="$real/kubectl"
fi

echo "bench: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
exec java -Xmx2g \
  -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -Dwindlass.repo.root="$root" \
  ${KUBE_API_TEST_DIR:+-DKUBE_API_TEST_DIR="$KUBE_API_TEST_DIR"} \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  "dev.windlass.bench.$main" "$@"
