#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Stage the DKMS source tree: dkms.conf, Kbuild and the modules' sources,
# without kbuild's outputs, in DIR/gunyah-<version> (DIR: $O/dkms, by default
# build/dkms). Prints that directory; `dkms add` takes it. `make dkms` runs
# this.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

O=${O:-$GUNYAH_TOP/build}
ver=$(dkms_version)
[ -n "$ver" ] || die "no PACKAGE_VERSION in $GUNYAH_TOP/dkms.conf"
dest=${1:-$O/dkms}/gunyah-$ver

# What kbuild writes beside the sources (.gitignore's list).
outputs=('*.o' '*.o.d' '*.ko' '*.mod' '*.mod.c' '*.cmd' '*.a' '*.lds' '*.symtypes'
	 '*.dwo' '*.gcno' '*.su' '*.ko.unsigned' modules.order Module.symvers
	 .tmp_versions .cache.mk)
excludes=()
for p in "${outputs[@]}"; do
	excludes+=("--exclude=$p")
done

rm -rf "$dest"
mkdir -p "$dest"
tar -C "$GUNYAH_TOP" -cf - "${excludes[@]}" dkms.conf Kbuild Kconfig \
	arch/arm64/gunyah drivers/mailbox drivers/virt/gunyah include |
	tar -C "$dest" -xf -
echo "$dest"
