#!/usr/bin/env bash
# Builds the real istioctl and pilot-discovery (istiod) of one catalogued Istio release from the istio.io/istio Go
# module through the Go module proxy, in one `go build`: istioctl is the fidelity oracle (istioctl manifest
# generate beside meshop manifest generate), pilot-discovery runs as each revision's istiod in tests.
# Usage: build-istio.sh MODULE_VERSION VERSION
# Prints the directory holding both binaries; cached under ~/.cache/meshop/istio/<key>/ like the control plane.
# Replacements a snapshot needs to resolve through the proxy are in module-replaces.txt (with the reason).
set -euo pipefail

module_version=${1:?module version (v0.0.0-...)}
version=${2:?Istio version as the catalog names it}
recipe=3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

cache_root=${MESHOP_CACHE_DIR:-$HOME/.cache/meshop}
export GOMODCACHE=${GOMODCACHE_OVERRIDE:-$cache_root/go-mod}
export GOCACHE=${GOCACHE_OVERRIDE:-$cache_root/go-build}
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-modcacherw

replaces=$(awk -v m="$module_version" '$1 == m { print $2 }' "$here/module-replaces.txt")
key=$(printf '%s' "istio=$module_version version=$version go=$(go env GOVERSION) recipe=$recipe $replaces" |
  sha256sum | cut -c1-16)
dir="$cache_root/istio/$key"
complete() { [ -x "$dir/istioctl" ] && [ -x "$dir/pilot-discovery" ]; }
if complete; then printf '%s\n' "$dir"; exit 0; fi

mkdir -p "$cache_root/istio"
exec 9>"$cache_root/istio/.build.lock"
flock 9
if complete; then printf '%s\n' "$dir"; exit 0; fi

work=$(mktemp -d "$cache_root/istio/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT
start=$(date +%s)
echo "[istio] building istioctl and pilot-discovery $version from istio.io/istio@$module_version" >&2
(
  cd "$work"
  go mod init meshop.local/istio >/dev/null 2>&1
  go mod edit -require="istio.io/istio@$module_version" \
    -tool=istio.io/istio/istioctl/cmd/istioctl -tool=istio.io/istio/pilot/cmd/pilot-discovery
  for r in $replaces; do go mod edit -replace="$r"; done
  go mod tidy >&2
  # The version is compiled in (it is what `istioctl version` says); no hub or tag: istioctl would render its
  # images from them (hubTagOverlay), making its images agree with meshop's by construction. Its defaults stay
  # the module's own, and the conformance test names the release's published images explicitly.
  p=istio.io/istio/pkg/version
  go build -trimpath -ldflags="-s -w -X $p.buildVersion=$version \
    -X $p.buildGitRevision=$module_version -X $p.buildStatus=Clean" -o "$work/bin/" \
    istio.io/istio/istioctl/cmd/istioctl istio.io/istio/pilot/cmd/pilot-discovery
)
"$work/bin/istioctl" version --remote=false >&2
rm -rf "$dir"
mv "$work/bin" "$dir"
echo "[istio] built in $(($(date +%s) - start))s" >&2
printf '%s\n' "$dir"
