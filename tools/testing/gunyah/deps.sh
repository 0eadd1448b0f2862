#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Install the Debian packages this tree needs, if any is missing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PKGS="make gcc libc6-dev gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm
      $KERNEL_PKG device-tree-compiler bc bison flex libssl-dev libelf-dev cpio gzip
      xz-utils kmod ccache sparse python3 clang lld llvm libclang-rt-dev dt-schema dkms"

missing=()
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
log "installing: ${missing[*]}"
$sudo apt-get update -qq
# Prefer the kernel source upload this tree was last tested with while the
# archive keeps it; otherwise take the current one (lib.sh).
pinned=()
for p in "${missing[@]}"; do
	[ "$p" != "$KERNEL_PKG" ] || p=$(apt-cache madison "$KERNEL_PKG" | kernel_pkg_to_install)
	pinned+=("$p")
done
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${pinned[@]}"
