#!/usr/bin/env bash
# The main job. With no KUBECONFIG it brings up the embedded local control plane (building it once per machine)
# and leaves it running; with a KUBECONFIG it uses that cluster. Then it checks the cluster answers and says how
# to use it. (The operator and the sample MeshConfig join this job when the operator issue lands.)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash hack/deps.sh
export PATH="$PWD/node_modules/.bin:$PATH"
current="${MESHOP_CACHE_DIR:-$HOME/.cache/meshop}/clusters/current.json"

if [ -z "${KUBECONFIG:-}" ]; then
  bin_dir=$(bash test/cluster/build.sh)
  if [ -f "$current" ] && kc=$(jq -r .kubeconfigPath "$current") && [ -f "$kc" ] &&
    "$bin_dir/kubectl" --kubeconfig "$kc" get --raw=/readyz >/dev/null 2>&1; then
    echo "# reusing the local control plane started earlier ($(jq -r .server "$current"))"
  else
    node test/cluster/up.ts >/dev/null
  fi
  export KUBECONFIG=$(jq -r .kubeconfigPath "$current")
  export PATH="$bin_dir:$PATH"
fi

node bin/meshop.js version
if command -v kubectl >/dev/null; then kubectl get nodes -o wide; fi
echo
echo "The cluster is ready. To use it from your shell:"
echo "  export KUBECONFIG=$KUBECONFIG"
if [ -n "${bin_dir:-}" ]; then
  echo "  export PATH=$bin_dir:\$PATH   # the pinned kubectl"
  echo "Stop the local control plane with: make cluster-down"
fi
