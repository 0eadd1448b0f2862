#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Print the kernel build directory ("build") or source directory ("src")
# for the installed kernel source and the checked-in fragment. Builds nothing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
dpkg-query -W "$KERNEL_PKG" >/dev/null 2>&1 || exit 0
kernel_dirs
case ${1:-build} in
build) echo "$KDIR" ;;
src) echo "$KSRC" ;;
*) die "usage: $0 build|src" ;;
esac
