#!/usr/bin/env bash
# Provisions kube-apiserver, etcd and kubectl into kube-api-test's binary cache on an
# offline Debian host, so the dev-stack's real Kubernetes API server starts without any
# download. Idempotent and quiet when the binaries are already there.
#
#   etcd            <- Debian package etcd-server (3.4)
#   kubectl         <- Debian package kubernetes-client, extracted (never installed, so an
#                      existing kubectl is left alone)
#   kube-apiserver  <- built from Debian's kubernetes source package (1.20.x ships its
#                      vendor tree), in GOPATH mode
#
# Environment: KUBE_API_TEST_DIR (default ~/.kubeapitest), KUBE_VERSION (default 1.20.2).
set -euo pipefail

version="${KUBE_VERSION:-1.20.2}"
cache="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/${version}-linux-amd64"
if [[ -x "$cache/kube-apiserver" && -x "$cache/etcd" && -x "$cache/kubectl" ]]; then
  exit 0
fi

log() { echo "[provision-kube] $*" >&2; }
sudo_cmd=()
[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)

work="$(mktemp -d /tmp/windlass-kube-build.XXXXXX)"
chmod 755 "$work" # apt-get download/source run as the _apt user
trap 'rm -rf "$work"' EXIT
mkdir -p "$cache"

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

if [[ ! -x "$cache/kube-apiserver" ]]; then
  log "building kube-apiserver from Debian's kubernetes source package (several minutes)"
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
    golang-go rsync dpkg-dev make >/dev/null
  (cd "$work" && apt-get source -qq --download-only kubernetes >/dev/null && dpkg-source -x --no-check kubernetes_*.dsc src >/dev/null)
  gopath="$work/gopath"
  mkdir -p "$gopath/src/k8s.io"
  ln -s "$work/src" "$gopath/src/k8s.io/kubernetes"
  (
    cd "$gopath/src/k8s.io/kubernetes"
    export GOPATH="$gopath" GO111MODULE=off GOFLAGS= GOCACHE="$work/gocache"
    export KUBE_GIT_VERSION="v${version}" KUBE_GIT_TREE_STATE=clean
    make WHAT=cmd/kube-apiserver >"$work/build.log" 2>&1 || { tail -50 "$work/build.log" >&2; exit 1; }
  )
  cp "$work"/src/_output/local/bin/linux/amd64/kube-apiserver "$cache/kube-apiserver" \
    || cp "$work"/src/_output/bin/kube-apiserver "$cache/kube-apiserver"
fi
chmod +x "$cache"/*
log "ready: $cache"
