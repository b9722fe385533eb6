#!/usr/bin/env bash
# `make deploy|undeploy|install|uninstall` against the cluster of the current kubeconfig, with kubectl:
#   deploy     build dist/install.yaml (IMG overrides the image) and apply it server-side
#   undeploy   delete the operator (config/rbac, config/manager); the CRD and every MeshConfig stay
#   install    apply the MeshConfig CRD (config/crd) server-side
#   uninstall  delete the CRD; refused while a MeshConfig exists
# undeploy keeps the CRD because deleting it deletes every MeshConfig, whose finalizer only a running operator
# can remove: delete the MeshConfigs while the operator still runs, then `make undeploy uninstall`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

die() { printf 'make %s: %s\n' "$action" "$*" >&2; exit 1; }

action=${1:-}
kubectl=${KUBECTL:-kubectl}
command -v "$kubectl" >/dev/null ||
  die "no kubectl on PATH (set KUBECTL=...; \`make cluster-up\` prints the pinned one)"

case "$action" in
  deploy)
    node hack/build-installer.ts
    "$kubectl" apply --server-side -f dist/install.yaml
    echo "wait with: $kubectl -n meshop-system rollout status deployment/meshop-operator"
    ;;
  undeploy)
    { "$kubectl" kustomize config/manager; echo '---'; "$kubectl" kustomize config/rbac; } |
      "$kubectl" delete --ignore-not-found -f -
    ;;
  install)
    "$kubectl" apply --server-side -k config/crd
    ;;
  uninstall)
    if "$kubectl" get crd meshconfigs.meshop.dev >/dev/null 2>&1; then
      meshes=$("$kubectl" get meshconfigs -o name | tr '\n' ' ')
      [ -z "$meshes" ] || die "MeshConfigs still exist (${meshes% }): delete them while the operator runs, then retry"
    fi
    "$kubectl" delete --ignore-not-found -k config/crd
    ;;
  *)
    echo "usage: hack/deploy.sh deploy|undeploy|install|uninstall" >&2
    exit 2
    ;;
esac
