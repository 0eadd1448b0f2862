#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Extract Debian's linux-source-6.12, configure it from kernel.config (and, for
# GUNYAH_KERNEL_VARIANT=debug, kernel-debug.config) merged onto allnoconfig and
# cross-build Image + modules in a cache directory outside the repository
# (GUNYAH_KERNEL_VARIANT=clang: with LLVM=1). Prints the build directory
# (usable as KDIR) on stdout.
#
# build-kernel.sh --prepare: only what an external module build needs
# (modules_prepare: the configuration, generated headers, build tools), a
# minute or two instead of five. Such a tree has no Module.symvers: modpost
# cannot check the modules' undefined symbols against it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

prepare_only=0
[ "${1:-}" != --prepare ] || prepare_only=1

kernel_dirs
notice=$(kernel_version_notice "$KERNEL_VERSION_PKG")
[ -z "$notice" ] || log "$notice"

if [ ! -f "$KSRC/.gunyah-extracted" ]; then
	log "extracting $KERNEL_TARBALL ($KERNEL_VERSION_PKG)"
	rm -rf "$KSRC" "$KSRC.tmp"
	mkdir -p "$KSRC.tmp"
	tar -xJf "$KERNEL_TARBALL" -C "$KSRC.tmp" --strip-components=1
	mv "$KSRC.tmp" "$KSRC"
	touch "$KSRC/.gunyah-extracted"
fi

if [ -f "$KDIR/.gunyah-built" ] ||
	{ [ $prepare_only -eq 1 ] && [ -f "$KDIR/.gunyah-prepared" ]; }; then
	log "kernel up to date: $KDIR"
	echo "$KDIR"
	exit 0
fi

mkdir -p "$KDIR"
llvm=()
if [ -n "$KERNEL_LLVM" ]; then
	llvm=(LLVM=1)
	cc=clang
else
	cc="${CROSS_COMPILE}gcc"
fi
# ccache in depend mode: it hashes the dependency file kbuild has the
# compiler write (-Wp,-MMD) instead of running the preprocessor once more
# for every file. In its default mode a cold build cost 44% more CPU time
# (554 s instead of 385 s, -j2); in depend mode nothing measurable, and a
# rebuild of the same configuration in a fresh directory still hits on
# every file (15 s).
if command -v ccache >/dev/null; then
	export CCACHE_DIR=$GUNYAH_CACHE/ccache CCACHE_DEPEND=1
	cc="ccache $cc"
fi
jobs=$(nproc)

log "configuring kernel in $KDIR"
# LLVM=1 from the environment: Kconfig then sees clang (CONFIG_CC_IS_CLANG).
(cd "$KSRC" && env "${llvm[@]}" KCONFIG_ALLCONFIG= scripts/kconfig/merge_config.sh -n -O "$KDIR" \
	"${KERNEL_FRAGMENTS[@]}" >"$KDIR/merge.log" 2>&1) || { cat "$KDIR/merge.log" >&2; die "merge_config failed"; }
if grep -q 'not in final .config' "$KDIR/merge.log"; then
	grep -B1 -A2 'not in final' "$KDIR/merge.log" >&2
	die "kernel.config asks for options the kernel cannot provide"
fi

if [ $prepare_only -eq 1 ]; then
	log "preparing the kernel for module builds (-j$jobs; about a minute)"
	make -C "$KSRC" O="$KDIR" "${llvm[@]}" CC="$cc" -j"$jobs" -s modules_prepare >&2
	touch "$KDIR/.gunyah-prepared"
	echo "$KDIR"
	exit 0
fi

log "building Image and modules (-j$jobs; a cold build takes about 3 minutes on 2 CPUs)"
make -C "$KSRC" O="$KDIR" "${llvm[@]}" CC="$cc" -j"$jobs" -s Image modules >&2
# A module build only needs the prepared tree; record success last so that an
# interrupted build is never taken for a finished one.
touch "$KDIR/.gunyah-prepared" "$KDIR/.gunyah-built"
echo "$KDIR"
