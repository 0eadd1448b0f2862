#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The kernel-source version logic of lib.sh and build-kernel.sh against two
# uploads: the one the tree was last tested with and a newer one the archive
# moved to. TAP on stdout; check.sh runs it. Needs no kernel source: a fake
# dpkg-query names the installed upload and a throw-away cache holds a
# "built" kernel for each.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

tested=$KERNEL_PKG_VERSION_TESTED
newer=6.12.999-1~deb12u1
n=0
fails=0
ok() {		# ok description command...
	local d=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n $d"
	else
		echo "not ok $n $d"
		fails=$((fails + 1))
	fi
}
no_warning() { ! grep -qE 'warning:|error:' <<<"$1"; }

# The notice: silent for the tested upload, one plain line for another.
ok "no notice for the tested upload" [ -z "$(kernel_version_notice "$tested")" ]
notice=$(kernel_version_notice "$newer")
ok "a notice naming both uploads for a newer one" \
	bash -c '[[ $1 == *"$2"* && $1 == *"$3"* ]]' _ "$notice" "$newer" "$tested"
ok "the notice is not worded as a compiler warning" no_warning "$notice"

# What deps.sh installs, from `apt-cache madison` output.
madison_line() { printf ' %s | %s | http://deb.debian.org/debian-security bookworm-security/main amd64 Packages\n' \
	"$KERNEL_PKG" "$1"; }
ok "the tested upload is pinned while the archive lists it" \
	[ "$( { madison_line "$newer"; madison_line "$tested"; } | kernel_pkg_to_install)" = \
	  "$KERNEL_PKG=$tested" ]
ok "the current upload once the archive dropped the tested one" \
	[ "$(madison_line "$newer" | kernel_pkg_to_install)" = "$KERNEL_PKG" ]
ok "a version that only starts like the tested one is not taken for it" \
	[ "$(madison_line "${tested}0" | kernel_pkg_to_install)" = "$KERNEL_PKG" ]
ok "an empty archive listing installs the package by name" \
	[ "$(kernel_pkg_to_install </dev/null)" = "$KERNEL_PKG" ]

# Cache keys: one source and one build directory per upload.
kernel_dirs_for "$tested"
src_t=$KSRC dir_t=$KDIR
kernel_dirs_for "$newer"
src_n=$KSRC dir_n=$KDIR
ok "each upload has its own source directory" \
	bash -c '[ "$1" != "$2" ] && [[ $1 == *"$3" && $2 == *"$4" ]]' _ "$src_t" "$src_n" "$tested" "$newer"
ok "each upload has its own build directory" [ "$dir_t" != "$dir_n" ]
kernel_dirs_for "$tested"
ok "the build directory of an upload is stable" [ "$KDIR" = "$dir_t" ]

# build-kernel.sh end to end, with each upload installed in turn: a warm
# cache, the notice on stderr only for the newer one, the build directory of
# that upload on stdout, exit 0.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin"
cat >"$tmp/bin/dpkg-query" <<'FAKE'
#!/bin/sh
echo "$FAKE_KERNEL_PKG_VERSION"
FAKE
chmod +x "$tmp/bin/dpkg-query"
for ver in "$tested" "$newer"; do
	GUNYAH_CACHE=$tmp/cache kernel_dirs_for "$ver"
	mkdir -p "$KSRC" "$KDIR"
	touch "$KSRC/.gunyah-extracted" "$KDIR/.gunyah-built"
	stdout=$(PATH=$tmp/bin:$PATH GUNYAH_CACHE=$tmp/cache FAKE_KERNEL_PKG_VERSION=$ver \
		"$GUNYAH_TOP/tools/testing/gunyah/build-kernel.sh" 2>"$tmp/stderr")
	status=$?
	ok "build-kernel.sh with $ver: exit 0, its own build directory" \
		bash -c '[ "$1" -eq 0 ] && [ "$2" = "$3" ]' _ "$status" "$stdout" "$KDIR"
	ok "build-kernel.sh with $ver: no warning on stderr" no_warning "$(cat "$tmp/stderr")"
	if [ "$ver" = "$tested" ]; then
		ok "build-kernel.sh with $ver: no notice" bash -c "! grep -q 'note:' '$tmp/stderr'"
	else
		ok "build-kernel.sh with $ver: the notice" grep -q "note: $KERNEL_PKG $ver installed" "$tmp/stderr"
	fi
done

echo "1..$n"
[ $fails -eq 0 ]
