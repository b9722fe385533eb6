#!/usr/bin/env bash
# The whole test suite: set-up on a fresh machine, the control-plane build (cached after the first run), then
# unit and integration tests in one node:test run, inside a network namespace that has only `lo` so that
# nothing the API server or the tests dial can leave the machine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash hack/deps.sh
# The build needs the Go module proxy, so it runs before we enter the namespace; inside, build.sh only finds
# the cached binaries.
bash test/cluster/build.sh >/dev/null
export PATH="$PWD/node_modules/.bin:$PATH"
# Istio's release data and its real istioctl and istiod for every catalogued release the module proxy serves
# (cached like the control plane; a cold build takes about ten minutes a release).
eval "$(bash hack/istio.sh)"
# The chart engine (engine/: Go's text/template and sprig as WebAssembly, ADR 0014), cached like the rest; its
# native Go tests run here too, while the module proxy is still reachable.
MESHOP_CHART_ENGINE_WASM=$(bash hack/build-engine.sh)
export MESHOP_CHART_ENGINE_WASM
(cd engine && GOMODCACHE="${MESHOP_CACHE_DIR:-$HOME/.cache/meshop}/go-mod" \
  GOCACHE="${MESHOP_CACHE_DIR:-$HOME/.cache/meshop}/go-build" GOFLAGS=-modcacherw go test ./render/ >&2)

# A third Istio snapshot the catalog does not hold (early 1.31), for the test that adding a release needs no code
# (test/unit/render/new-release.test.ts): fetched into the module cache now, built offline by the test.
export MESHOP_EXTRA_ISTIO_MODULE=v0.0.0-20260423205519-b01690e6db7d
(cd "$(mktemp -d)" && export GOMODCACHE="${MESHOP_CACHE_DIR:-$HOME/.cache/meshop}/go-mod" GOFLAGS=-modcacherw \
  GOTOOLCHAIN=local && go mod download "istio.io/istio@$MESHOP_EXTRA_ISTIO_MODULE" >&2 &&
  # and the API modules its go.mod requires, whose definitions its artifacts carry
  gomod=$(go mod download -json "istio.io/istio@$MESHOP_EXTRA_ISTIO_MODULE" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p') &&
  go mod download $(awk '$1 ~ /^(istio\.io\/api|k8s\.io\/api|k8s\.io\/apimachinery)$/ { print $1 "@" $2 }' "$gomod") >&2)

# The JavaScript meshop ships (dist/js, ADR 0022), which the integration and end-to-end tests run.
node hack/bundle.ts >&2

files=("test/unit/**/*.test.ts" "test/conformance/**/*.test.ts" "test/integration/**/*.test.ts" "test/e2e/**/*.test.ts"
  "test/chaos/**/*.test.ts")
[ $# -eq 0 ] || files=("$@")
run_tests=(node --test --test-reporter=spec --test-timeout=600000 --test-global-setup=test/cluster/global-setup.ts "${files[@]}")

if unshare --net true 2>/dev/null; then
  exec unshare --net --fork -- bash -c 'ip link set lo up && MESHOP_NETNS=lo-only exec "$@"' netns "${run_tests[@]}"
fi
if [ "${CI:-}" = "true" ]; then
  echo "test.sh: cannot create a network namespace (unshare --net); CI runs tests only inside one" >&2
  exit 1
fi
echo "[test] warning: no network namespace (not root?); running on the host network, loopback addresses only" >&2
exec "${run_tests[@]}"
