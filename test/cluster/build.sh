#!/usr/bin/env bash
# Builds the local control plane (kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, etcd, kwok)
# from pinned Go modules through the Go module proxy, into a cache directory keyed by the pinned versions and
# the Go version. Prints the directory holding the binaries on stdout; progress goes to stderr.
# A cold build happens once per machine; afterwards this returns at once.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.env
source "$here/versions.env"

cache_root=${MESHOP_CACHE_DIR:-$HOME/.cache/meshop}
export GOMODCACHE=${GOMODCACHE_OVERRIDE:-$cache_root/go-mod}
export GOCACHE=${GOCACHE_OVERRIDE:-$cache_root/go-build}
# Never download a Go toolchain; never let cgo pull in system libraries; keep the module cache deletable.
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-modcacherw

log() { printf '[build] %s\n' "$*" >&2; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

command -v go >/dev/null || die "go is not on PATH (Go 1.26 is required to build the control plane)"
go_version=$(go env GOVERSION)
key_src="k8s=$KUBERNETES_VERSION staging=$STAGING_VERSION etcd=$ETCD_VERSION kwok=$KWOK_VERSION go=$go_version recipe=$MESHOP_BIN_RECIPE"
key=$(printf '%s' "$key_src" | sha256sum | cut -c1-16)
bin_dir="$cache_root/k8s-bin/$key"
binaries=(etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok)

complete() { for b in "${binaries[@]}"; do [ -x "$1/$b" ] || return 1; done; [ -f "$1/versions.txt" ]; }

if complete "$bin_dir"; then printf '%s\n' "$bin_dir"; exit 0; fi

mkdir -p "$cache_root/k8s-bin" "$GOMODCACHE" "$GOCACHE"
exec 9>"$cache_root/k8s-bin/.build.lock"
log "waiting for the build lock"
flock 9
# Another process may have finished the build while we waited.
if complete "$bin_dir"; then printf '%s\n' "$bin_dir"; exit 0; fi

work=$(mktemp -d "$cache_root/k8s-bin/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT
out="$work/bin"
mkdir -p "$out"
start=$(date +%s)
log "cold build for $key_src"

build_kubernetes() {
  local info gomod commit date minor mod="$work/k8s"
  mkdir -p "$mod"
  info=$(cd "$work" && go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION")
  gomod=$(jq -r .GoMod <<<"$info")
  # The release time and commit live in the .info file (the -json answer omits them for cached modules).
  date=$(jq -r '.Time // empty' "$(jq -r .Info <<<"$info")")
  commit=$(jq -r '.Origin.Hash // empty' "$(jq -r .Info <<<"$info")")
  [ -n "$date" ] || die "no release time in the module info of k8s.io/kubernetes@$KUBERNETES_VERSION"
  commit=${commit:-unknown}
  [ -f "$gomod" ] || die "go mod download k8s.io/kubernetes@$KUBERNETES_VERSION gave no go.mod"
  # Any replace into the module tree that is not a staging module would be unresolvable from the proxy.
  if grep -E '=> \./' "$gomod" | grep -vqE '^\s*k8s\.io/[a-z0-9-]+ => \./staging/src/k8s\.io/[a-z0-9-]+\s*$'; then
    die "k8s.io/kubernetes@$KUBERNETES_VERSION go.mod has a local replace that is not a staging module"
  fi
  (
    cd "$mod"
    go mod init meshop.local/k8sbins >/dev/null 2>&1
    go mod edit -require="k8s.io/kubernetes@$KUBERNETES_VERSION"
    local n=0 name
    while read -r name; do
      go mod edit -replace="$name=$name@$STAGING_VERSION"
      n=$((n + 1))
    done < <(sed -nE 's#^\s*(k8s\.io/[a-z0-9-]+) => \./staging/src/k8s\.io/[a-z0-9-]+\s*$#\1#p' "$gomod")
    log "derived $n staging replaces from k8s.io/kubernetes@$KUBERNETES_VERSION go.mod"
    local godebug
    godebug=$(grep -E '^godebug ' "$gomod" || true)
    [ -z "$godebug" ] || printf '\n%s\n' "$godebug" >>go.mod
    for c in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
      go mod edit -tool="k8s.io/kubernetes/cmd/$c"
    done
    log "resolving the Kubernetes module graph"
    go mod tidy >&2
    minor=${KUBERNETES_VERSION#v1.}; minor=${minor%%.*}
    local ldf="-s -w" p
    for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      ldf+=" -X $p.gitVersion=$KUBERNETES_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor"
      ldf+=" -X $p.gitTreeState=clean -X $p.gitCommit=$commit -X $p.buildDate=$date"
    done
    log "building kube-apiserver, kube-controller-manager, kube-scheduler, kubectl"
    go build -trimpath -tags=selinux,notest,grpcnotrace,providerless -ldflags="$ldf" -o "$out/" \
      k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
      k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl
  )
}

build_etcd() {
  local mod="$work/etcd"
  mkdir -p "$mod"
  (
    cd "$mod"
    go mod init meshop.local/etcdbin >/dev/null 2>&1
    go mod edit -require="go.etcd.io/etcd/server/v3@$ETCD_VERSION" -tool=go.etcd.io/etcd/server/v3
    go mod tidy >&2
    log "building etcd"
    go build -trimpath -ldflags="-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=$ETCD_VERSION" \
      -o "$out/etcd" go.etcd.io/etcd/server/v3
  )
}

build_kwok() {
  log "building kwok"
  (cd "$work" && GOBIN="$out" go install -trimpath -ldflags="-s -w" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION")
  # KWOK's controller needs Stage objects; the default stages ship in its module, copy them beside the binary.
  local dir
  dir=$(cd "$work" && go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" | jq -r .Dir)
  mkdir -p "$out/kwok-stages"
  cp "$dir/kustomize/stage/node/fast/node-initialize.yaml" \
    "$dir/kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml" \
    "$dir/kustomize/stage/pod/fast/pod-ready.yaml" "$dir/kustomize/stage/pod/fast/pod-complete.yaml" \
    "$dir/kustomize/stage/pod/fast/pod-delete.yaml" "$out/kwok-stages/"
  chmod -R u+w "$out/kwok-stages"
}

build_kubernetes
build_etcd
build_kwok

check() { "$out/$1" "${@:2}" 2>&1 | head -n 1; }
{
  printf 'key: %s\n' "$key_src"
  printf 'kube-apiserver: %s\n' "$(check kube-apiserver --version)"
  printf 'kubectl: %s\n' "$(check kubectl version --client)"
  printf 'etcd: %s\n' "$(check etcd --version)"
  printf 'kwok: %s\n' "$(check kwok --version)"
  printf 'cold build seconds: %s\n' "$(($(date +%s) - start))"
} >"$out/versions.txt"
grep -q "Kubernetes $KUBERNETES_VERSION" "$out/versions.txt" || die "kube-apiserver --version is not $KUBERNETES_VERSION"
grep -q "etcd Version: ${ETCD_VERSION#v}" "$out/versions.txt" || die "etcd --version is not $ETCD_VERSION"

rm -rf "$bin_dir"
mv "$out" "$bin_dir"
log "built in $(($(date +%s) - start))s into $bin_dir"
printf '%s\n' "$bin_dir"
