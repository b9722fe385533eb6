#!/usr/bin/env bash
# The benchmarks, each printing medians and the ratio to a reference measured in the same run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash hack/deps.sh
export PATH="$PWD/node_modules/.bin:$PATH"
node bin/meshop.js artifacts build --version 1.31-dev >/dev/null
read -r module version hub < <(node test/istio/oracle-release.ts)
MESHOP_ISTIOCTL=$(bash test/istio/build-istioctl.sh "$module" "$version" "$hub")
export MESHOP_ISTIOCTL
node bench/render.ts
bash test/cluster/build.sh >/dev/null
node bench/operator.ts
node bench/upgrade.ts
