# SPDX-License-Identifier: GPL-2.0-only
# Shared settings for the build and run scripts; sourced, never executed.

GUNYAH_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
GUNYAH_CACHE=${GUNYAH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gunyah}
CROSS_COMPILE=${CROSS_COMPILE:-aarch64-linux-gnu-}
ARCH=arm64
export ARCH CROSS_COMPILE

# The kernel source package this tree is tested against. The tarball path stays
# the same when Debian publishes a new upload, its contents do not: the version
# is part of every cache key and of every module's vermagic.
KERNEL_PKG=linux-source-6.12
KERNEL_PKG_VERSION_TESTED=6.12.117-1~deb12u1
KERNEL_TARBALL=/usr/src/linux-source-6.12.tar.xz
KERNEL_FRAGMENT=$GUNYAH_TOP/tools/testing/gunyah/kernel.config

die() { echo "error: $*" >&2; exit 1; }
log() { echo "==> $*" >&2; }

kernel_pkg_version() {
	dpkg-query -W -f='${Version}' "$KERNEL_PKG" 2>/dev/null ||
		die "$KERNEL_PKG is not installed (run 'make deps')"
}

# Where the extracted source and the configured, built kernel live. The build
# directory is keyed by source version, fragment and compiler so that any change
# to one of them gets a fresh build, and a warm run finds its Image at once.
kernel_dirs() {
	local ver key
	ver=$(kernel_pkg_version)
	key=$( { echo "$ver"; cat "$KERNEL_FRAGMENT"; "${CROSS_COMPILE}gcc" --version | head -n1; } |
		sha256sum | cut -c1-12)
	KSRC=$GUNYAH_CACHE/src/linux-$ver
	KDIR=$GUNYAH_CACHE/kernel-$ver-$key
	KERNEL_VERSION_PKG=$ver
}
