#!/usr/bin/env bash
# Installs what meshop needs on a fresh Debian machine: a few Debian tools, then the npm dependencies (which
# bring Node 24 itself, as the `node` devDependency). Go 1.26 must already be on the machine; it builds the
# local control plane. Safe to run again: it only does what is missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

need_debs=()
for pair in openssl:openssl jq:jq ip:iproute2 unshare:util-linux setpriv:util-linux flock:util-linux make:make; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need_debs+=("${pair#*:}")
done
# The font bench/scale's plot (bench/out/scale.png) is drawn with.
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_debs+=(fonts-dejavu-core)
if [ ${#need_debs[@]} -gt 0 ]; then
  echo "[deps] installing Debian packages: ${need_debs[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "deps.sh: missing ${need_debs[*]}; run as root or install them with apt-get" >&2
    exit 1
  fi
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_debs[@]}" >&2
fi

command -v go >/dev/null 2>&1 || { echo "deps.sh: Go 1.26 is required (it builds the local control plane)" >&2; exit 1; }
command -v npm >/dev/null 2>&1 || { echo "deps.sh: npm is required (it installs Node 24 and the dependencies)" >&2; exit 1; }

# Reinstall when package-lock.json changed since the last install.
stamp=node_modules/.meshop-lock-stamp
if [ ! -x node_modules/.bin/node ] || [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  echo "[deps] npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
  cp package-lock.json "$stamp"
fi
