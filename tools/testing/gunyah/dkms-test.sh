#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The DKMS package (dkms.conf) through Debian's dkms itself, with the test
# kernel's build tree standing in for an installed kernel's headers: dkms
# add, build, install, uninstall and remove, in a scratch dkms tree, source
# tree and install tree under $O/dkms-check; the machine's /var/lib/dkms,
# /usr/src and /lib/modules are left alone. TAP on stdout; `make dkms-check`
# runs it and check.sh reads it.
#
# On a device dkms builds natively. Here ARCH and CROSS_COMPILE come from
# lib.sh through the environment, which the kernel's Makefile reads, so that
# dkms.conf is the device's, unchanged; the arch dkms is told is aarch64, what
# `uname -m` says there.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

O=${O:-$GUNYAH_TOP/build}
work=$O/dkms-check
kernel_dirs
ver=$(dkms_version)
pkg=gunyah/$ver
# What a device gets: no KUnit suite, no gunyah_bench.
modules=(gunyah gunyah_hypercall gunyah_ioeventfd gunyah_irqfd gunyah_msgq gunyah_rsc_mgr gunyah_vcpu)

rm -rf "$work"
mkdir -p "$work/dkms" "$work/src" "$work/tmp" "$work/bin"
cd "$work" || exit 1

# shellcheck source=tools/testing/gunyah/tap.sh
. "$GUNYAH_TOP/tools/testing/gunyah/tap.sh"

echo "1..12"

command -v dkms >/dev/null || { echo "Bail out! dkms is not installed (make deps)"; exit 1; }
[ -f "$KDIR/.gunyah-built" ] || { echo "Bail out! no kernel build in $KDIR (make kernel)"; exit 1; }
kver=$(cat "$KDIR/include/config/kernel.release")
# The install tree holds what an installed kernel's has beside its modules.
itree=$work/root/lib/modules
mkdir -p "$itree/$kver"
cp "$KDIR/modules.order" "$KDIR/modules.builtin" "$KDIR/modules.builtin.modinfo" "$itree/$kver/"

# dkms install and uninstall, and add of a directory, want root; a user
# namespace is root enough for a scratch tree.
as_root=()
if [ "$(id -u)" -ne 0 ]; then
	unshare -r true 2>/dev/null || { echo "Bail out! dkms needs root or unshare -r"; exit 1; }
	as_root=(unshare -r)
fi
# framework.conf may ask dkms to modprobe what it installed: not here.
if grep -qsE '^[[:space:]]*modprobe_on_install=' /etc/dkms/framework.conf /etc/dkms/framework.conf.d/*.conf; then
	echo "Bail out! /etc/dkms sets modprobe_on_install; dkms would load modules on this machine"
	exit 1
fi

# dkms strips the modules with `strip`: the cross one here, as on a device.
printf '#!/bin/sh\nexec %sstrip "$@"\n' "$CROSS_COMPILE" >"$work/bin/strip"
chmod +x "$work/bin/strip"

# The machine's dkms state, before and after.
machine_state() {
	find /var/lib/dkms /usr/src/gunyah-"$ver" "/lib/modules/$kver" -maxdepth 3 2>/dev/null | sort
}
machine_state >"$work/machine.before"

# dkms ARGS...: dkms on the scratch trees, its output also appended to
# $work/dkms.log. No depmod: dkms runs it on /lib/modules/<release> whatever
# the install tree (depmod_ below runs it on the scratch tree); sign_file
# names no program, so that dkms signs nothing and makes no key in
# /var/lib/dkms.
dkms_() {
	local status
	echo "\$ dkms $*" >>"$work/dkms.log"
	PATH=$work/bin:$PATH TMPDIR=$work/tmp sign_file=$work/no-sign-file \
		"${as_root[@]}" dkms --dkmstree "$work/dkms" --sourcetree "$work/src" \
		--installtree "$itree" --no-depmod "$@" >"$work/dkms.out" 2>&1
	status=$?
	cat "$work/dkms.out" >>"$work/dkms.log"
	cat "$work/dkms.out"
	return $status
}

# refused ARCH KERNELSOURCEDIR: dkms build exits 77 (a BUILD_EXCLUSIVE
# directive does not match) and builds nothing.
refused() {
	local status
	dkms_ build "$pkg" -k "$kver/$1" --kernelsourcedir "$2"
	status=$?
	[ $status -eq 77 ] || fail "dkms build: exit $status, expected 77"
	[ ! -e "$work/dkms/gunyah/$ver/$kver" ] || fail "dkms left $work/dkms/gunyah/$ver/$kver"
}

# built: dkms built the package without a warning (its make.log is kept as
# $work/make.log) and kept exactly the device's modules.
built() {
	local base=$work/dkms/gunyah/$ver/$kver/aarch64 got
	if ! dkms_ build "$pkg" -k "$kver/aarch64" --kernelsourcedir "$KDIR"; then
		tail -n 40 "$work/dkms/gunyah/$ver/build/make.log" 2>/dev/null
		return 1
	fi
	cp "$base/log/make.log" "$work/make.log" || return
	! grep -iE 'warning|error' "$work/make.log" || fail "the build said the above" || return
	! grep -E '/(gunyah_[a-z_]*test|gunyah_[a-z_]*bench)\.ko$' "$work/make.log" ||
		fail "the build made test modules" || return
	got=$(cd "$base/module" && ls)
	[ "$got" = "$(printf '%s.ko\n' "${modules[@]}")" ] || fail "modules kept by dkms: $got"
}

# installed: the modules are in updates/dkms (Debian's place for dkms) of the
# kernel's tree, and nothing else is.
installed() {
	local got want m
	dkms_ install "$pkg" -k "$kver/aarch64" --kernelsourcedir "$KDIR" || return
	got=$(cd "$itree" && find . -type f -name '*.ko*' | sort)
	want=$(for m in "${modules[@]}"; do echo "./$kver/updates/dkms/$m.ko"; done)
	[ "$got" = "$want" ] || fail "installed: ${got:-nothing}; expected: $want"
}

vermagic() {
	local m v
	for m in "${modules[@]}"; do
		v=$(modinfo -F vermagic "$itree/$kver/updates/dkms/$m.ko") || return
		if [ "${v%% *}" != "$kver" ] || [[ " $v " != *" aarch64 "* ]]; then
			fail "$m.ko: vermagic '$v', expected '$kver ... aarch64'"
			return
		fi
	done
}

# The installed modules need nothing the kernel and they do not export, and
# gunyah_rsc_mgr depends on the message queue and the hypercalls.
depmod_() {
	local out
	out=$(depmod -b "$work/root" -e -E "$KDIR/Module.symvers" "$kver" 2>&1) ||
		fail "depmod: $out" || return
	[ -z "$out" ] || fail "depmod: $out" || return
	grep -E '^updates/dkms/gunyah_rsc_mgr\.ko:' "$itree/$kver/modules.dep" |
		grep -q 'gunyah_msgq\.ko' || fail "modules.dep: $(cat "$itree/$kver/modules.dep")"
}

# status_is LINE: what `dkms status` says of the package.
status_is() {
	local out
	out=$(dkms_ status "$pkg") || return
	[ "$(tail -n 1 <<<"$out")" = "$1" ] || fail "expected '$1'"
}

uninstalled() {
	dkms_ uninstall "$pkg" -k "$kver/aarch64" || return
	[ -z "$(find "$itree" -name '*.ko*')" ] || fail "left: $(find "$itree" -name '*.ko*')"
	status_is "$pkg, $kver, aarch64: built"
}

removed() {
	dkms_ remove "$pkg" --all || return
	[ ! -e "$work/dkms/gunyah" ] || fail "left: $(find "$work/dkms/gunyah")"
}

# A kernel tree whose configuration is not arm64's: an x86-64 one.
mkdir -p "$work/x86-kernel/include"
printf 'CONFIG_X86_64=y\nCONFIG_MAILBOX=y\nCONFIG_EVENTFD=y\n' >"$work/x86-kernel/.config"

added() {
	local src
	src=$("$GUNYAH_TOP/tools/testing/gunyah/dkms-src.sh" "$work/stage") || return
	dkms_ add "$src" || return
	[ -f "$work/src/gunyah-$ver/dkms.conf" ] || fail "no $work/src/gunyah-$ver/dkms.conf"
	status_is "$pkg: added"
}

untouched() {
	machine_state >"$work/machine.after"
	diff "$work/machine.before" "$work/machine.after"
}

ok "add: the staged sources become $pkg" added
ok "build for x86_64 is refused (BUILD_EXCLUSIVE_ARCH, exit 77)" refused x86_64 "$KDIR"
ok "build against a kernel configured without CONFIG_ARM64 is refused (BUILD_EXCLUSIVE_CONFIG, exit 77)" \
	refused aarch64 "$work/x86-kernel"
ok "build against $kver: the 7 device modules, no KUnit suite, no gunyah_bench" built
ok "status: built" status_is "$pkg, $kver, aarch64: built"
ok "install: each module in lib/modules/$kver/updates/dkms, nothing else" installed
ok "status: installed" status_is "$pkg, $kver, aarch64: installed"
ok "vermagic of every module is $kver's, aarch64" vermagic
ok "depmod: every symbol resolved, gunyah_rsc_mgr depends on gunyah_msgq" depmod_
ok "uninstall: no module left in lib/modules, status back to built" uninstalled
ok "remove --all: nothing left in the dkms tree" removed
ok "the machine's /var/lib/dkms, /usr/src and /lib/modules/$kver are untouched" untouched
[ $fails -eq 0 ]
