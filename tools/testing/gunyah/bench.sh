#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make bench: instructions per call of each path under -icount shift=0 on
# one CPU, under our hypervisor (gunyah_bench.ko, gunyah_irq_bench.ko, the
# sample VMM's --bench with the bare-metal guest, its --bench-start with
# 256 MiB of 4 KiB and of huge pages), then on the same kernel
# without a hypervisor: the host's own interrupts, and the KVM anchor
# (progs/kvm_bench.c: the same paths with KVM, VHE on -cpu max, nVHE on
# -cpu cortex-a57), with the ratio of ours to KVM nVHE (the host at EL1,
# as under Gunyah).
#
# make bench-check (part of make check): the same, then each path against
# tools/testing/gunyah/bench-baseline.txt, one TAP line each: a path more
# than 10% slower than its baseline fails. A change that makes a path
# faster updates the baseline in the same commit.
#
#   bench.sh [--check BASELINE] [run-qemu.sh arguments, e.g. --file ...]
set -u
T=$(cd "$(dirname "$0")" && pwd)
baseline=""
if [ "${1:-}" = --check ]; then
	baseline=$2
	shift 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Percent a path may be slower than its baseline.
slack=10

boot() {	# boot name args...: a run-qemu.sh boot, its console in $work/name.log
	local name=$1
	shift
	if ! "$T/run-qemu.sh" --icount --smp 1 --log "$work/$name.log" "$@" \
		>"$work/$name.out" 2>&1; then
		echo "bench: the $name boot failed:"
		tail -n 20 "$work/$name.out"
		exit 1
	fi
}

# "what|instructions" for each figure a console shows.
figures() {
	tr -d '\r' <"$1" |
		sed -nE -e 's/.*(gunyah_bench|gunyah_irq_bench|gunyah_vmm: bench): ([^:]+): ([0-9]+) ns per .*/\2|\3/p' \
			-e 's/.*kvm_bench: ([^:]+): ([^:]+): ([0-9]+) ns per .*/\2, KVM \1|\3/p'
}

# The VM starts: 256 MiB of guest RAM, of 4 KiB and of huge pages, as the
# KVM anchor's.
boot ours --step 'insmod /lib/modules/gunyah_bench.ko' \
	--step 'insmod /lib/modules/gunyah_irq_bench.ko' "$@" \
	--cmd 'gunyah_vmm --raw --bench 1000 /usr/lib/gunyah/baremetal.bin' \
	--cmd 'gunyah_vmm --raw --mem 256 --bench-start /usr/lib/gunyah/baremetal.bin' \
	--cmd 'gunyah_vmm --raw --mem 256 --hugepages --bench-start /usr/lib/gunyah/baremetal.bin'
# The KVM anchor: $KVM_BENCH (the Makefile's $(O)/bench/kvm_bench).
kvm_vhe=() kvm_nvhe=()
if [ -x "${KVM_BENCH:-}" ]; then
	kvm_vhe=(--add "$KVM_BENCH" --cmd 'kvm_bench 1000 VHE')
	kvm_nvhe=(--add "$KVM_BENCH" --cmd 'kvm_bench 1000 nVHE')
else
	echo "# no KVM anchor: KVM_BENCH does not name kvm_bench (make bench sets it)"
fi
boot nohyp --no-hyp --step 'insmod /lib/modules/gunyah_irq_bench.ko' "${kvm_vhe[@]}"
[ ${#kvm_nvhe[@]} -eq 0 ] || QEMU_CPU=cortex-a57 boot nvhe --no-hyp "${kvm_nvhe[@]}"
figures "$work/ours.log" >"$work/figures"
figures "$work/nohyp.log" | sed '/, KVM /!s/|/, without a hypervisor|/' >>"$work/figures"
[ ! -f "$work/nvhe.log" ] || figures "$work/nvhe.log" >>"$work/figures"

echo "# instructions per call under -icount shift=0, one CPU"
while IFS='|' read -r what n; do
	printf '#   %-60s %8s\n' "$what" "$n"
done <"$work/figures"
# Ours against KVM nVHE, for the paths both have.
awk -F'|' '{ n[$1] = $2 } END {
	for (w in n) if ((w ", KVM nVHE") in n)
		printf "#   %-60s %8.2f\n", w ": ours / KVM nVHE", n[w] / n[w ", KVM nVHE"]
}' "$work/figures" | sort
[ -n "$baseline" ] || exit 0

# Each baseline line: "what|instructions"; '#' starts a comment.
i=0
fails=0
while IFS='|' read -r what base; do
	case $what in '#'* | '') continue ;; esac
	i=$((i + 1))
	got=$(awk -F'|' -v w="$what" '$1 == w { print $2 }' "$work/figures")
	if [ -z "$got" ]; then
		echo "not ok $i $what: no figure (see the boot's console)"
		fails=$((fails + 1))
	elif [ "$got" -gt $((base * (100 + slack) / 100)) ]; then
		echo "not ok $i $what: $got instructions, baseline $base (more than $slack% slower)"
		fails=$((fails + 1))
	else
		echo "ok $i $what: $got instructions, baseline $base"
		[ "$got" -ge $((base * (100 - slack) / 100)) ] ||
			echo "# $what is more than $slack% faster than its baseline: update it"
	fi
done <"$baseline"
echo "1..$i"
[ $fails -eq 0 ]
