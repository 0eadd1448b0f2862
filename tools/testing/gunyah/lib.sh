# SPDX-License-Identifier: GPL-2.0-only
# Shared settings for the build and run scripts; sourced, never executed.

GUNYAH_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
GUNYAH_CACHE=${GUNYAH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gunyah}
CROSS_COMPILE=${CROSS_COMPILE:-aarch64-linux-gnu-}
ARCH=arm64
export ARCH CROSS_COMPILE

# The kernel source package this tree is tested against. The tarball path stays
# the same when Debian publishes a new upload, its contents do not: the version
# is part of every cache key and of every module's vermagic. Any upload works;
# the one named here is what the last recorded run used, and deps.sh prefers it
# while the archive still offers it.
KERNEL_PKG=linux-source-6.12
KERNEL_PKG_VERSION_TESTED=6.12.117-1~deb12u1
KERNEL_TARBALL=/usr/src/linux-source-6.12.tar.xz
# GUNYAH_KERNEL_VARIANT=debug: the same kernel with kernel-debug.config
# merged on top (KASAN, lockdep, kmemleak, ...), cached beside the first.
# GUNYAH_KERNEL_VARIANT=clang: the same configuration built with Debian's
# LLVM (LLVM=1), as Android device kernels are.
GUNYAH_KERNEL_VARIANT=${GUNYAH_KERNEL_VARIANT:-}
KERNEL_FRAGMENTS=("$GUNYAH_TOP/tools/testing/gunyah/kernel.config")
KERNEL_LLVM=
case $GUNYAH_KERNEL_VARIANT in
"") ;;
debug) KERNEL_FRAGMENTS+=("$GUNYAH_TOP/tools/testing/gunyah/kernel-debug.config") ;;
clang) KERNEL_LLVM=1 ;;
*) echo "error: GUNYAH_KERNEL_VARIANT=$GUNYAH_KERNEL_VARIANT: expected nothing, 'debug' or 'clang'" >&2
   exit 1 ;;
esac

# The QEMU machine every boot runs on (run-qemu.sh); dt-check.sh dumps its
# devicetree.
QEMU_MACHINE=virt,virtualization=on,gic-version=3,highmem=off
# QEMU_CPU in the environment overrides the CPU (bench.sh: cortex-a57 for KVM nVHE).
QEMU_CPU=${QEMU_CPU:-max,pauth-impdef=on}

die() { echo "error: $*" >&2; exit 1; }
log() { echo "==> $*" >&2; }

kernel_pkg_version() {
	dpkg-query -W -f='${Version}' "$KERNEL_PKG" 2>/dev/null ||
		die "$KERNEL_PKG is not installed (run 'make deps')"
}

# kernel_pkg_to_install: what deps.sh hands apt-get for the kernel source.
# stdin is `apt-cache madison` output. The tested upload while the archive
# still lists it, else the package name alone: apt then takes the newest.
kernel_pkg_to_install() {
	local pkg ver rest
	while IFS='|' read -r pkg ver rest; do
		ver=${ver// /}
		if [ "$ver" = "$KERNEL_PKG_VERSION_TESTED" ]; then
			echo "$KERNEL_PKG=$KERNEL_PKG_VERSION_TESTED"
			return
		fi
	done
	echo "$KERNEL_PKG"
}

# kernel_version_notice VERSION: one informational line when VERSION is not
# the upload the tree was last tested with, nothing otherwise. Never worded as
# a warning: a newer upload is expected, and check.sh greps build logs for
# the compiler's "warning:".
kernel_version_notice() {
	[ "$1" = "$KERNEL_PKG_VERSION_TESTED" ] ||
		echo "note: $KERNEL_PKG $1 installed (last tested: $KERNEL_PKG_VERSION_TESTED)"
}

# kernel_cc_version: the compiler of the kernel variant, part of its cache
# key.
kernel_cc_version() {
	if [ -n "$KERNEL_LLVM" ]; then
		clang --version | head -n1
	else
		"${CROSS_COMPILE}gcc" --version | head -n1
	fi
}

# kernel_dirs_for VERSION: where the extracted source and the configured,
# built kernel of that upload live. The build directory is keyed by source
# version, fragments and compiler so that any change to one of them gets a
# fresh build, and a warm run finds its Image at once.
kernel_dirs_for() {
	local ver=$1 key
	key=$( { echo "$ver"; cat "${KERNEL_FRAGMENTS[@]}"; kernel_cc_version; } |
		sha256sum | cut -c1-12)
	KSRC=$GUNYAH_CACHE/src/linux-$ver
	KDIR=$GUNYAH_CACHE/kernel-$ver${GUNYAH_KERNEL_VARIANT:+-$GUNYAH_KERNEL_VARIANT}-$key
	KERNEL_VERSION_PKG=$ver
}

# kernel_dirs: the same for the installed upload.
kernel_dirs() {
	kernel_dirs_for "$(kernel_pkg_version)"
}

# dkms_version: PACKAGE_VERSION of the top-level dkms.conf.
dkms_version() {
	sed -n 's/^PACKAGE_VERSION="\([^"]*\)"$/\1/p' "$GUNYAH_TOP/dkms.conf"
}
