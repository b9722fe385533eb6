#!/usr/bin/env bash
# Builds the real istioctl of one catalogued Istio version from the istio.io/istio Go module through the Go
# module proxy, for the fidelity oracle (istioctl manifest generate beside meshop manifest generate).
# Usage: build-istioctl.sh MODULE_VERSION VERSION HUB
# Prints the path of the binary; cached under ~/.cache/meshop/istioctl/<key>/ like the control plane.
set -euo pipefail

module_version=${1:?module version (v0.0.0-...)}
version=${2:?Istio version as the catalog names it}
hub=${3:?default image hub of that version}
recipe=1

cache_root=${MESHOP_CACHE_DIR:-$HOME/.cache/meshop}
export GOMODCACHE=${GOMODCACHE_OVERRIDE:-$cache_root/go-mod}
export GOCACHE=${GOCACHE_OVERRIDE:-$cache_root/go-build}
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-modcacherw

key=$(printf '%s' "istio=$module_version version=$version hub=$hub go=$(go env GOVERSION) recipe=$recipe" | sha256sum | cut -c1-16)
dir="$cache_root/istioctl/$key"
if [ -x "$dir/istioctl" ]; then printf '%s\n' "$dir/istioctl"; exit 0; fi

mkdir -p "$cache_root/istioctl"
exec 9>"$cache_root/istioctl/.build.lock"
flock 9
if [ -x "$dir/istioctl" ]; then printf '%s\n' "$dir/istioctl"; exit 0; fi

work=$(mktemp -d "$cache_root/istioctl/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT
start=$(date +%s)
echo "[istioctl] building istioctl $version from istio.io/istio@$module_version" >&2
(
  cd "$work"
  go mod init meshop.local/istioctl >/dev/null 2>&1
  go mod edit -require="istio.io/istio@$module_version" -tool=istio.io/istio/istioctl/cmd/istioctl
  go mod tidy >&2
  # Release builds compile their hub and version in; istioctl then renders images from them (hubTagOverlay).
  p=istio.io/istio/pkg/version
  go build -trimpath -ldflags="-s -w -X $p.buildVersion=$version -X $p.buildHub=$hub -X $p.buildTag=$version \
    -X $p.buildGitRevision=$module_version -X $p.buildStatus=Clean" -o "$work/bin/istioctl" istio.io/istio/istioctl/cmd/istioctl
)
"$work/bin/istioctl" version --remote=false >&2
rm -rf "$dir"
mv "$work/bin" "$dir"
echo "[istioctl] built in $(($(date +%s) - start))s" >&2
printf '%s\n' "$dir/istioctl"
