#!/usr/bin/env bash
# `make docker-build`: the operator image IMG from the Dockerfile, with the first of docker and podman whose
# engine answers. Without one, a single line says what is missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

img=${IMG:?IMG is not set}
found=()
for engine in docker podman; do
  command -v "$engine" >/dev/null || continue
  if "$engine" info >/dev/null 2>&1; then exec "$engine" build -t "$img" .; fi
  found+=("$engine")
done
if [ ${#found[@]} -eq 0 ]; then
  echo "make docker-build: neither docker nor podman is on PATH; build $img on a machine with one" >&2
else
  echo "make docker-build: ${found[*]} found but no engine answers (\`${found[0]} info\` fails); start one" >&2
fi
exit 1
