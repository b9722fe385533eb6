#!/usr/bin/env bash
# Builds the chart engine (engine/: Go's text/template + sprig, Helm's rendering rules) for GOOS=wasip1
# GOARCH=wasm as a WebAssembly reactor that src/charts/ loads into Node. Built once per machine and cached under
# ${MESHOP_CACHE_DIR:-~/.cache/meshop}/engine/<key>/chart-engine.wasm, where the key hashes the engine's sources,
# go.mod/go.sum and the Go version, so an edit to the engine or a new toolchain rebuilds it and nothing else does.
# Prints the path of the wasm file.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/../engine" && pwd)
recipe=1

cache_root=${MESHOP_CACHE_DIR:-$HOME/.cache/meshop}
export GOMODCACHE=${GOMODCACHE_OVERRIDE:-$cache_root/go-mod}
export GOCACHE=${GOCACHE_OVERRIDE:-$cache_root/go-build}
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-modcacherw

# The key covers what goes into the wasm: the module's own Go files (not helmcheck/, a test-only module), its
# go.mod and go.sum, the toolchain and this recipe.
sources=$(cd "$src" && find . -path ./helmcheck -prune -o -type f \( \( -name '*.go' ! -name '*_test.go' \) -o -name go.mod -o -name go.sum \) -print |
  LC_ALL=C sort)
key=$( (
  cd "$src"
  printf 'go=%s recipe=%s\n' "$(go env GOVERSION)" "$recipe"
  for f in $sources; do printf '%s\n' "$f"; cat "$f"; done
) | sha256sum | cut -c1-16)
dir="$cache_root/engine/$key"
wasm="$dir/chart-engine.wasm"
if [ -s "$wasm" ]; then printf '%s\n' "$wasm"; exit 0; fi

mkdir -p "$cache_root/engine"
exec 9>"$cache_root/engine/.build.lock"
flock 9
if [ -s "$wasm" ]; then printf '%s\n' "$wasm"; exit 0; fi

work=$(mktemp -d "$cache_root/engine/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT
start=$(date +%s)
echo "[engine] building chart-engine.wasm from $src" >&2
# c-shared makes a reactor: Node calls _initialize once, then the //go:wasmexport functions any number of times.
(cd "$src" && GOOS=wasip1 GOARCH=wasm go build -trimpath -ldflags='-s -w' -buildmode=c-shared \
  -o "$work/chart-engine.wasm" ./cmd/chart-engine)
rm -rf "$dir"
mv "$work" "$dir"
trap - EXIT
echo "[engine] built in $(($(date +%s) - start))s" >&2
printf '%s\n' "$wasm"
