#!/usr/bin/env bash
# Provisions kube-apiserver, etcd and kubectl into kube-api-test's binary cache on an
# offline Debian host, so the dev-stack's real Kubernetes API server starts without any
# download. Idempotent and quiet when the binaries are already there.
#
#   etcd            <- Debian package etcd-server (3.4)
#   kubectl         <- Debian package kubernetes-client, extracted (never installed, so an
#                      existing kubectl is left alone)
#   kube-apiserver  <- built from Debian's kubernetes source package (1.20.x ships its
#                      vendor tree), in GOPATH mode, with the vendored
#                      github.com/modern-go/reflect2 1.0.1 replaced by Debian's 1.0.2
#                      (golang-github-modern-go-reflect2-dev): 1.0.1 breaks on Go >= 1.18
#                      and the server crashes (SIGSEGV) as soon as it stores a custom resource
#
# The built kube-apiserver carries a stamp file next to it (kube-apiserver.build). A cached
# binary whose stamp differs from $build_stamp (or has none, i.e. was built before the
# reflect2 fix) is rebuilt once. The rebuild happens in a temporary directory and the cached
# file is replaced atomically (rename in the same directory), so servers and tests already
# running from the cache are never left without a binary or with a half-written one.
#
# Environment: KUBE_API_TEST_DIR (default ~/.kubeapitest), KUBE_VERSION (default 1.20.2).
set -euo pipefail

version="${KUBE_VERSION:-1.20.2}"
cache="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/${version}-linux-amd64"
# Bump whenever the kube-apiserver build recipe changes, to rebuild cached binaries once.
build_stamp="kubernetes-${version} reflect2-1.0.2"
stamp_file="$cache/kube-apiserver.build"

apiserver_current() {
  [[ -x "$cache/kube-apiserver" && -f "$stamp_file" && "$(cat "$stamp_file")" == "$build_stamp" ]]
}
all_present() {
  [[ -x "$cache/etcd" && -x "$cache/kubectl" ]] && apiserver_current
}
if all_present; then
  exit 0
fi

log() { echo "[provision-kube] $*" >&2; }
sudo_cmd=()
[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)

work="$(mktemp -d /tmp/windlass-kube-build.XXXXXX)"
chmod 755 "$work" # apt-get download/source run as the _apt user
mkdir -p "$cache"
trap 'rm -rf "$work" "$cache"/.kube-apiserver.new.* "$cache"/.kube-apiserver.build.new.*' EXIT

# One provisioning at a time per cache (parallel CI jobs or test runs on one machine);
# whoever waited finds the work done.
exec 9>"$cache/.provision.lock"
flock 9
if all_present; then
  exit 0
fi

apt_updated=false
apt_update() {
  if ! $apt_updated; then
    "${sudo_cmd[@]}" apt-get update -qq
    apt_updated=true
  fi
}

if [[ ! -x "$cache/etcd" ]]; then
  log "installing etcd from Debian's etcd-server package"
  if ! command -v etcd >/dev/null && [[ ! -x /usr/bin/etcd ]]; then
    apt_update
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends etcd-server >/dev/null
  fi
  cp /usr/bin/etcd "$cache/etcd"
fi

if [[ ! -x "$cache/kubectl" ]]; then
  log "extracting kubectl from Debian's kubernetes-client package"
  apt_update
  (cd "$work" && apt-get download -qq kubernetes-client && dpkg -x kubernetes-client_*.deb kc)
  cp "$work"/kc/usr/bin/kubectl "$cache/kubectl"
fi

if ! apiserver_current; then
  if [[ -x "$cache/kube-apiserver" ]]; then
    log "rebuilding kube-apiserver: the cached binary predates build '$build_stamp' (several minutes; the old binary stays in use until then)"
  else
    log "building kube-apiserver from Debian's kubernetes source package (several minutes)"
  fi
  if [[ ! -f /etc/apt/sources.list.d/windlass-deb-src.sources ]]; then
    "${sudo_cmd[@]}" tee /etc/apt/sources.list.d/windlass-deb-src.sources >/dev/null <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    apt_updated=false
  fi
  apt_update
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    golang-go rsync dpkg-dev make golang-github-modern-go-reflect2-dev >/dev/null
  (cd "$work" && apt-get source -qq --download-only kubernetes >/dev/null && dpkg-source -x --no-check kubernetes_*.dsc src >/dev/null)
  reflect2_src=/usr/share/gocode/src/github.com/modern-go/reflect2
  reflect2_vendored="$work/src/vendor/github.com/modern-go/reflect2"
  [[ -d "$reflect2_src" && -d "$reflect2_vendored" ]] \
    || { log "cannot patch reflect2: $reflect2_src or $reflect2_vendored is missing"; exit 1; }
  rm -rf "$reflect2_vendored"
  cp -r "$reflect2_src" "$reflect2_vendored"
  gopath="$work/gopath"
  mkdir -p "$gopath/src/k8s.io"
  ln -s "$work/src" "$gopath/src/k8s.io/kubernetes"
  (
    cd "$gopath/src/k8s.io/kubernetes"
    export GOPATH="$gopath" GO111MODULE=off GOFLAGS= GOCACHE="$work/gocache"
    export KUBE_GIT_VERSION="v${version}" KUBE_GIT_TREE_STATE=clean
    make WHAT=cmd/kube-apiserver >"$work/build.log" 2>&1 || { tail -50 "$work/build.log" >&2; exit 1; }
  )
  built="$work/src/_output/local/bin/linux/amd64/kube-apiserver"
  [[ -x "$built" ]] || built="$work/src/_output/bin/kube-apiserver"
  # Copy next to the cached binary first, then rename over it: the rename is atomic, so
  # the cache always holds either the old or the new, complete binary. The stamp follows
  # the binary, so an interrupted run rebuilds rather than trusting a stale binary.
  staged="$cache/.kube-apiserver.new.$$"
  cp "$built" "$staged"
  chmod 755 "$staged"
  mv -f "$staged" "$cache/kube-apiserver"
  echo "$build_stamp" >"$cache/.kube-apiserver.build.new.$$"
  mv -f "$cache/.kube-apiserver.build.new.$$" "$stamp_file"
fi
chmod +x "$cache/etcd" "$cache/kubectl" "$cache/kube-apiserver"
log "ready: $cache"
