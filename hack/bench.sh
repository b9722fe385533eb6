#!/usr/bin/env bash
# The benchmarks, each printing medians and the ratio to a reference measured in the same run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash hack/deps.sh
export PATH="$PWD/node_modules/.bin:$PATH"
eval "$(bash hack/istio.sh)"
node bench/render.ts
bash test/cluster/build.sh >/dev/null
node bench/cli-start.ts
node bench/operator.ts
node bench/scale.ts
node bench/upgrade.ts
node bench/compare.ts
