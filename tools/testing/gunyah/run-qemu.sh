#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Boot the stack in QEMU: the hypervisor at EL2 (entered by QEMU at its ELF
# entry, 0x80000000), Linux Image, devicetree and initramfs loaded at the
# real Gunyah QEMU platform's addresses. /init runs a list of steps (load our
# modules, KUnit modules, programs) and powers off. Exit status 0 only if
# every step passed and Linux powered off cleanly: a panic, a hang (timeout)
# or a failed step is a failure.
#
# Run `make all` first; see --help.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

O=${O:-$GUNYAH_TOP/build}
hyp=$O/hyp/hyp.elf
no_hyp=0
foreign_hyp=0
smp=2
tcg_threads=""
timeout_s=${GUNYAH_QEMU_TIMEOUT:-300}
logfile=""
rm_log=""
gdb=0
qemu_extra=()
icount=0
kunit=0
leak_check=0
modules=1
adds=()
envs=()
files=()
steps=()

usage() {
	cat <<USAGE
usage: $0 [options]
  --hyp PATH        boot this hypervisor ELF instead of ours (same layout)
  --no-hyp          boot Linux directly at EL2: a machine without Gunyah
  --smp N           number of CPUs (default 2; the real Gunyah needs 8)
  --tcg-threads single|multi
                    one host thread for all CPUs, or one each (default:
                    multi, single when N is more than the host's cores)
  --add FILE        put FILE in /bin of the initramfs (repeatable)
  --file SRC:/DEST  put SRC at /DEST in the initramfs, creating the directories
                    above it; executable if SRC is (repeatable)
  --cmd 'PROG ARGS' run PROG on the booted host, expect exit 0 (repeatable)
  --env NAME=VALUE  set NAME in the environment of the programs (repeatable)
  --step 'STEP'     add a raw /init step (see tools/testing/gunyah/init/init.c)
  --kunit           load the KUnit test modules and print their results
  --leak-check      at the end, let kmemleak scan and print what it suspects
                    (a kernel with CONFIG_DEBUG_KMEMLEAK: check-debug)
  --no-modules      do not load our modules
  --icount          -icount shift=0 -seed 1: guest time counts instructions,
                    randomness repeats
  --timeout SEC     give up after SEC seconds (default $timeout_s)
  --log FILE        also write the console to FILE
  --rm-log FILE     at the end (power-off, panic or timeout) save the real
                    Gunyah RM's in-memory log to FILE (see rm-log.py)
  --gdb             start QEMU halted with a gdb stub on :1234
  --qemu-arg ARG    pass ARG to QEMU as it is (repeatable), e.g. for
                    -d exec,nochain,in_asm (see hyp-profile.py)
USAGE
}

while [ $# -gt 0 ]; do
	case $1 in
	--hyp) hyp=$(realpath "$2"); foreign_hyp=1; shift ;;
	--no-hyp) no_hyp=1 ;;
	--smp) smp=$2; shift ;;
	--tcg-threads)
		[ "$2" = single ] || [ "$2" = multi ] ||
			die "--tcg-threads $2: expected single or multi"
		tcg_threads=$2; shift ;;
	--add) adds+=("$(realpath "$2")"); shift ;;
	--file)
		src=${2%%:*} dest=${2#*:}
		[ "$src" != "$2" ] && [ "${dest#/}" != "$dest" ] && [ "${dest%/}" = "$dest" ] ||
			die "--file $2: expected SRC:/DEST, DEST an absolute file name"
		[ -f "$src" ] || die "--file $2: no file $src"
		files+=("$(realpath "$src")" "$dest")
		shift ;;
	--cmd) c=$2; [ "${c#/}" != "$c" ] || c="/bin/$c"; steps+=("run $c"); shift ;;
	--step) steps+=("$2"); shift ;;
	--env)
		[[ $2 =~ ^[A-Za-z_][A-Za-z0-9_]*=[^[:space:]]+$ ]] ||
			die "--env $2: expected NAME=VALUE, VALUE without blanks"
		envs+=("env ${2%%=*} ${2#*=}")
		shift ;;
	--kunit) kunit=1 ;;
	--leak-check) leak_check=1 ;;
	--no-modules) modules=0 ;;
	--icount) icount=1 ;;
	--timeout) timeout_s=$2; shift ;;
	--log) logfile=$2; shift ;;
	--rm-log) rm_log=$2; shift ;;
	--gdb) gdb=1 ;;
	--qemu-arg) qemu_extra+=("$2"); shift ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done

kernel_dirs
image=$KDIR/arch/arm64/boot/Image
gen_cpio=$KDIR/usr/gen_init_cpio
[ -f "$image" ] || die "no kernel at $image: run 'make all' first"
[ $no_hyp -eq 1 ] || [ -f "$hyp" ] || die "no hypervisor at $hyp: run 'make all' first"
[ -x "$O/progs/init" ] || die "no $O/progs/init: run 'make all' first"

work=$(mktemp -d "${TMPDIR:-/tmp}/gunyah-run.XXXXXX")
trap 'rm -rf "$work"' EXIT

# ---- initramfs -----------------------------------------------------------
# The modules: this tree's, or (GUNYAH_MODULES_TOP) a copy built against
# another kernel, such as the debug lane's.
mods=${GUNYAH_MODULES_TOP:-$GUNYAH_TOP}
mod_hypercall=$mods/arch/arm64/gunyah/gunyah_hypercall.ko
mod_msgq=$mods/drivers/mailbox/gunyah_msgq.ko
mod_gunyah=$mods/drivers/virt/gunyah/gunyah.ko
mod_rsc_mgr=$mods/drivers/virt/gunyah/gunyah_rsc_mgr.ko
mod_vcpu=$mods/drivers/virt/gunyah/gunyah_vcpu.ko
mod_irqfd=$mods/drivers/virt/gunyah/gunyah_irqfd.ko
mod_ioeventfd=$mods/drivers/virt/gunyah/gunyah_ioeventfd.ko
kunit_mods=("$mods/drivers/virt/gunyah/gunyah_test.ko"
	    "$mods/drivers/virt/gunyah/gunyah_abi_test.ko"
	    "$mods/drivers/virt/gunyah/gunyah_rsc_mgr_test.ko"
	    "$mods/drivers/virt/gunyah/gunyah_rm_live_test.ko"
	    "$mods/drivers/virt/gunyah/gunyah_vm_mgr_test.ko"
	    "$mods/drivers/virt/gunyah/gunyah_vm_fn_test.ko"
	    "$mods/drivers/virt/gunyah/gunyah_vcpu_test.ko"
	    "$mods/drivers/virt/gunyah/gunyah_irqfd_test.ko")

# The test programs without their symbol tables: the initramfs must fit in
# the 7 MiB before the devicetree, and every boot carries all of them.
mkdir "$work/progs"
for f in "$O"/progs/*; do
	"${CROSS_COMPILE:-aarch64-linux-gnu-}strip" -o "$work/progs/$(basename "$f")" "$f" ||
		die "cannot strip $f"
done

{
	if [ $modules -eq 1 ]; then
		echo "insmod /lib/modules/gunyah_hypercall.ko"
		echo "insmod /lib/modules/gunyah_msgq.ko"
		if [ $no_hyp -eq 1 ]; then
			echo "insmod /lib/modules/gunyah.ko =ENODEV"
		else
			echo "insmod /lib/modules/gunyah.ko"
		fi
		# Loads without a device; binds the RM node once gunyah.ko
		# has populated /hypervisor.
		echo "insmod /lib/modules/gunyah_rsc_mgr.ko"
		# The vCPU function (GUNYAH_FN_VCPU); needs gunyah_rsc_mgr.ko.
		echo "insmod /lib/modules/gunyah_vcpu.ko"
		# irqfd and ioeventfd (GUNYAH_FN_IRQFD, _IOEVENTFD); there is
		# no modprobe here to load them on demand.
		echo "insmod /lib/modules/gunyah_irqfd.ko"
		echo "insmod /lib/modules/gunyah_ioeventfd.ko"
	fi
	for e in "${envs[@]}"; do echo "$e"; done
	if [ $kunit -eq 1 ]; then
		for m in "${kunit_mods[@]}"; do echo "kunit /lib/modules/$(basename "$m")"; done
	fi
	for s in "${steps[@]}"; do echo "$s"; done
	if [ $leak_check -eq 1 ]; then
		# kmemleak reports an object only once it is a few seconds
		# old and was unreferenced in two scans.
		echo "sleep 6"
		echo "write /sys/kernel/debug/kmemleak scan"
		echo "sleep 6"
		echo "write /sys/kernel/debug/kmemleak scan"
		echo "cat /sys/kernel/debug/kmemleak"
	fi
} >"$work/steps"

{
	cat <<LIST
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
dir /proc 0755 0 0
dir /sys 0755 0 0
dir /bin 0755 0 0
dir /etc 0755 0 0
dir /etc/gunyah 0755 0 0
dir /lib 0755 0 0
dir /lib/modules 0755 0 0
file /init $work/progs/init 0755 0 0
file /etc/gunyah/steps $work/steps 0644 0 0
LIST
	for m in "$mod_hypercall" "$mod_msgq" "$mod_gunyah" "$mod_rsc_mgr" "$mod_vcpu" \
		 "$mod_irqfd" "$mod_ioeventfd" \
		 "${kunit_mods[@]}" "$mods/drivers/virt/gunyah/gunyah_bench.ko" \
		 "$mods/drivers/virt/gunyah/gunyah_irq_bench.ko"; do
		[ -f "$m" ] && echo "file /lib/modules/$(basename "$m") $m 0644 0 0"
	done
	for f in "$work"/progs/*; do
		[ "$(basename "$f")" = init ] || echo "file /bin/$(basename "$f") $f 0755 0 0"
	done
	for f in "${adds[@]}"; do
		echo "file /bin/$(basename "$f") $f 0755 0 0"
	done
	# --file: the directories above each destination first, once each
	declare -A have_dir=([/dev]=1 [/proc]=1 [/sys]=1 [/bin]=1 [/etc]=1 [/etc/gunyah]=1
			     [/lib]=1 [/lib/modules]=1)
	for ((i = 0; i < ${#files[@]}; i += 2)); do
		src=${files[i]} dest=${files[i + 1]} d="" mode=0644
		IFS=/ read -r -a parts <<<"${dest#/}"
		for p in "${parts[@]:0:${#parts[@]}-1}"; do
			d="$d/$p"
			[ -n "${have_dir[$d]:-}" ] || echo "dir $d 0755 0 0"
			have_dir[$d]=1
		done
		[ ! -x "$src" ] || mode=0755
		echo "file $dest $src $mode 0 0"
	done
} >"$work/initramfs.list"
"$gen_cpio" "$work/initramfs.list" | gzip -9 >"$work/initrd.gz"

initrd_size=$(stat -c %s "$work/initrd.gz")
# The initramfs must end before the devicetree at 0x40f00000.
[ "$initrd_size" -le $((0x40f00000 - 0x40800000)) ] ||
	die "initramfs is $initrd_size bytes: more than the 7 MiB the platform layout allows"

# ---- QEMU ------------------------------------------------------------------
cmdline="console=ttyAMA0 panic=-1 rdinit=/init"
# With --icount, -seed makes the guest's randomness (RNDR, the devicetree's
# rng-seed and kaslr-seed) repeat too, so that instruction counts do.
qemu_base() {
	echo qemu-system-aarch64 -machine "$QEMU_MACHINE" -cpu "$QEMU_CPU" -smp "$smp" \
		-m "$1" -nographic -nic none -no-reboot
	[ $icount -eq 0 ] || echo -seed 1
}
read -r -a qemu <<<"$(qemu_base 2G | tr '\n' ' ')"
[ $icount -eq 0 ] || qemu+=(-icount shift=0)
# With more vCPUs than host cores, one thread per vCPU is slow: every
# broadcast TLB invalidation waits until all vCPU threads have stopped,
# and the real Gunyah's 8 CPUs on 2 cores then take minutes to boot with
# RCU stalls where one thread for all takes seconds. (-icount implies one.)
if [ -z "$tcg_threads" ]; then
	tcg_threads=multi
	[ "$smp" -le "$(nproc)" ] || tcg_threads=single
fi
[ $icount -eq 1 ] || qemu+=(-accel tcg,thread="$tcg_threads")
[ $gdb -eq 0 ] || qemu+=(-s -S)
qemu+=("${qemu_extra[@]}")

if [ $no_hyp -eq 1 ]; then
	qemu+=(-kernel "$image" -initrd "$work/initrd.gz" -append "$cmdline")
else
	# The devicetree the platform hands over: QEMU's own, plus /chosen, less
	# the ITS: both hypervisors give the host a virtual GIC without LPIs.
	# The real Gunyah's scripts describe only the host's 1 GiB; ours
	# carves its memory itself.
	dtb_mem=2G
	[ $foreign_hyp -eq 0 ] || dtb_mem=1G
	read -r -a dump <<<"$(qemu_base $dtb_mem | tr '\n' ' ')"
	"${dump[@]}" -kernel "$hyp" -append "$cmdline" \
		-machine dumpdtb="$work/host.dtb" >/dev/null 2>&1 ||
		die "QEMU could not dump its devicetree"
	fdtput -t x "$work/host.dtb" /chosen linux,initrd-start 0x40800000
	fdtput -t x "$work/host.dtb" /chosen linux,initrd-end \
		"$(printf '%#x' $((0x40800000 + initrd_size)))"
	intc=$(fdtget -l "$work/host.dtb" / | grep -m1 '^intc@' || true)
	its=$(fdtget -l "$work/host.dtb" "/$intc" 2>/dev/null | grep -m1 '^its@' || true)
	[ -z "$intc" ] || [ -z "$its" ] || fdtput -r "$work/host.dtb" "/$intc/$its"
	for n in $(fdtget -l "$work/host.dtb" / | grep '^pcie@'); do
		fdtput -d "$work/host.dtb" "/$n" msi-map 2>/dev/null || true
	done
	qemu+=(-kernel "$hyp"
	       -device loader,file="$work/host.dtb",addr=0x40f00000,force-raw=on
	       -device loader,file="$image",addr=0x41000000,force-raw=on
	       -device loader,file="$work/initrd.gz",addr=0x40800000,force-raw=on)
fi

console=$work/console.log
: >"$console"
# --rm-log: the machine pauses at power-off instead of ending, rm-log.py
# saves the RM's buffer through QMP, then quits QEMU. It gives up a little
# before the timeout, saving the buffer of a hung run too.
rm_log_pid=""
if [ -n "$rm_log" ]; then
	rm -f "$rm_log" "$rm_log.timeout"
	qemu+=(-qmp "unix:$work/qmp.sock,server=on,wait=off" -action shutdown=pause)
	"$GUNYAH_TOP/tools/testing/gunyah/rm-log.py" "$work/qmp.sock" "$console" "$rm_log" \
		$((timeout_s > 30 ? timeout_s - 15 : timeout_s / 2)) &
	rm_log_pid=$!
fi
set +e
timeout --foreground -k 5 "$timeout_s" "${qemu[@]}" </dev/null 2>&1 | tee -a "$console"
qemu_status=${PIPESTATUS[0]}
timed_out=0
[ "$qemu_status" -ne 124 ] || timed_out=1
if [ -n "$rm_log_pid" ]; then
	wait "$rm_log_pid" || echo "run-qemu: the RM log was not saved" >&2
	[ ! -f "$rm_log.timeout" ] || timed_out=1
	rm -f "$rm_log.timeout"
fi
set -e
[ -z "$logfile" ] || cp "$console" "$logfile"

fail() { echo "run-qemu: FAIL: $*" >&2; exit 1; }
[ "$timed_out" -eq 0 ] || fail "timed out after ${timeout_s}s"
[ "$qemu_status" -eq 0 ] || fail "QEMU exited with status $qemu_status"
! grep -q 'Kernel panic' "$console" || fail "kernel panic"
! grep -q '\[HYP\] PANIC' "$console" || fail "hypervisor panic"
grep -q '\[init\] done: ' "$console" || fail "init did not finish"
grep -q '\[init\] done: .* 0 failed' "$console" || fail "$(grep -a '\[init\] done' "$console" | tr -d '\r')"
grep -q 'reboot: Power down' "$console" || fail "no clean power-off"
echo "run-qemu: PASS" >&2
