# Sourced by hack/ scripts. `kubectl wait --for=condition=X` fails at once ("<nil> is of the type <nil>") when the
# object has no status.conditions yet, which is the normal state of an object created a moment ago (a CRD before
# the API server marks it Established, a MeshConfig before the operator's first status write). So poll until the
# condition exists and is True, or the timeout passes.
#   wait_condition RESOURCE CONDITION TIMEOUT_SECONDS [kubectl args...]
wait_condition() {
  local resource=$1 condition=$2 timeout=$3
  shift 3
  local deadline=$((SECONDS + timeout)) status
  while :; do
    status=$(kubectl get "$resource" "$@" -o "jsonpath={.status.conditions[?(@.type==\"$condition\")].status}" 2>/dev/null || true)
    [ "$status" = "True" ] && return 0
    if [ $SECONDS -ge $deadline ]; then
      echo "timed out after ${timeout}s waiting for $resource to be $condition (status: ${status:-none})" >&2
      return 1
    fi
    sleep 0.5
  done
}
