#!/usr/bin/env bash
# The main job. With no KUBECONFIG it brings up the embedded local control plane (building it once per machine);
# with a KUBECONFIG it uses that cluster. Then it installs the MeshConfig CRD, runs the operator, applies the demo
# sample, waits until `kubectl wait --for=condition=Ready mesh/demo` succeeds and prints what was installed. The
# operator keeps running in the foreground (Ctrl-C stops it); MESHOP_RUN_ONCE=1 stops it after printing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source hack/lib/wait-condition.sh

bash hack/deps.sh
export PATH="$PWD/node_modules/.bin:$PATH"
current="${MESHOP_CACHE_DIR:-$HOME/.cache/meshop}/clusters/current.json"

if [ -z "${KUBECONFIG:-}" ]; then
  bin_dir=$(bash test/cluster/build.sh)
  # The local control plane runs istiod as a real process: each release's own pilot-discovery (built once per
  # machine, cached; a cold build takes tens of minutes), started by the cluster's pod runner.
  echo "# building (or finding cached) Istio's artifacts and binaries"
  eval "$(bash hack/istio.sh)"
  if [ -f "$current" ] && kc=$(jq -r .kubeconfigPath "$current") && [ -f "$kc" ] &&
    "$bin_dir/kubectl" --kubeconfig "$kc" get --raw=/readyz >/dev/null 2>&1; then
    echo "# reusing the local control plane started earlier ($(jq -r .server "$current"))"
    node test/istio/register-istiod.ts "$(jq -r .dir "$current")"
  else
    node test/cluster/up.ts >/dev/null
  fi
  export KUBECONFIG=$(jq -r .kubeconfigPath "$current")
  export PATH="$bin_dir:$PATH"
fi
version=$(node -e "console.log(require('./package.json').version)" 2>/dev/null || echo dev)
# On a cluster of your own only the release data is needed (istiod runs from its image there).
[ -n "${MESHOP_ISTIO_BINS:-}" ] || node bin/meshop.js artifacts build --version 1.31.0 >/dev/null

echo "# installing the MeshConfig CRD"
kubectl apply --server-side --field-manager=meshop -f crds/meshconfigs.meshop.dev.yaml >/dev/null
wait_condition crd/meshconfigs.meshop.dev Established 60
kubectl create namespace meshop-system --dry-run=client -o yaml | kubectl apply --server-side -f - >/dev/null

log=$(mktemp -t meshop-operator.XXXXXX.log)
echo "# starting the operator (meshop $version), log: $log"
node --max-semi-space-size=4 --expose-gc src/main.ts --leader-elect --leader-election-namespace meshop-system \
  --health-probe-bind-address 127.0.0.1:8081 >"$log" 2>&1 &
operator=$!
trap 'kill $operator 2>/dev/null || true; wait $operator 2>/dev/null || true' EXIT

echo "# applying config/samples/demo.yaml and waiting for Ready"
kubectl apply --server-side --field-manager=meshop-user -f config/samples/demo.yaml >/dev/null
start=$(date +%s)
if ! wait_condition mesh/demo Ready 300; then
  echo "run.sh: mesh/demo did not become Ready; last operator log lines:" >&2
  tail -20 "$log" >&2
  exit 1
fi
echo "# mesh/demo Ready after $(($(date +%s) - start))s"
kubectl get mesh demo
kubectl get deployments,services -n istio-system -l app.kubernetes.io/managed-by=meshop
echo
echo "To use this cluster from your shell:  export KUBECONFIG=$KUBECONFIG"
if [ -n "${bin_dir:-}" ]; then
  echo "  export PATH=$bin_dir:\$PATH   # the pinned kubectl"
  echo "Stop the local control plane with: make cluster-down"
fi
[ "${MESHOP_RUN_ONCE:-}" = "1" ] && exit 0
echo "The operator keeps running (Ctrl-C stops it; the mesh stays)."
wait $operator
