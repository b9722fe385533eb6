#!/usr/bin/env bash
# The operator image's whole root filesystem, assembled in the Dockerfile's build stage and copied into a
# `FROM scratch` final stage: the node binary, exactly the shared libraries it links (as ldd lists them, so any
# architecture), the shipped JavaScript (dist/js) and package.json. No shell, no npm, no package manager: nothing
# an attacker in the pod could run but node itself. test/unit/installer/image-rootfs.test.ts runs the operator
# from a root filesystem made by this script.
# Usage: image-rootfs.sh <rootfs dir> <app dir holding package.json and dist/js>
set -euo pipefail
rootfs=$1
app=$2
node=$(command -v node)
node=$(readlink -f "$node")

copy() { # <file> <path inside rootfs>
  mkdir -p "$rootfs$(dirname "$2")"
  cp -L "$1" "$rootfs$2"
}

copy "$node" /usr/local/bin/node
# "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" and "/lib64/ld-linux-x86-64.so.2 (0x...)": both the
# path a library is found at and the path the dynamic linker is asked for.
ldd "$node" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | while read -r lib; do
  copy "$lib" "$lib"
done
mkdir -p "$rootfs/app/dist" "$rootfs/tmp"
chmod 1777 "$rootfs/tmp"
cp "$app/package.json" "$rootfs/app/package.json"
cp -R "$app/dist/js" "$rootfs/app/dist/js"
# Source maps only name the sources, which the image does not hold.
find "$rootfs/app/dist/js" -name '*.map' -delete
