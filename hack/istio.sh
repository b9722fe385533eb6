#!/usr/bin/env bash
# Istio for tests, benchmarks and `make run`: the artifacts (CRDs, injection templates...) and the real istioctl
# and pilot-discovery of every catalogued release the Go module proxy serves, each built once per machine and
# cached. Prints shell assignments for the caller to eval:
#   MESHOP_ISTIO_BINS   JSON object: Istio version -> directory holding istioctl and pilot-discovery
#   MESHOP_ISTIOCTL     the newest release's istioctl (the fidelity oracle)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$PWD/node_modules/.bin:$PATH"

bins='{}'
oracle=''
while read -r module version; do
  node bin/meshop.js artifacts build --version "$version" >/dev/null
  dir=$(bash test/istio/build-istio.sh "$module" "$version")
  bins=$(jq -c --arg v "$version" --arg d "$dir" '. + {($v): $d}' <<<"$bins")
  [ -n "$oracle" ] || oracle="$dir/istioctl"
done < <(node test/istio/buildable-releases.ts)
printf 'export MESHOP_ISTIO_BINS=%q\nexport MESHOP_ISTIOCTL=%q\n' "$bins" "$oracle"
