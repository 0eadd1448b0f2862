#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Every test of the tree; `make check` runs this after `make all`.
# Prints PASS/FAIL/SKIP per result and a last line "N passed, M failed"
# (", K skipped" when some were); exits non-zero on any failure or missing
# result. With GUNYAH_REAL_HYP=path/to/hypvm.elf the end-to-end tests run a
# second time on that hypervisor (the real Gunyah), results prefixed "real: ".
#
# check.sh --real runs only the real Gunyah's lane (GUNYAH_REAL_HYP must be
# set); its results go to $O/check-real.
#
# check.sh --debug (make check-debug) runs the end-to-end tests and a stress
# run instead, on the debug kernel (GUNYAH_KERNEL_VARIANT=debug) with the
# modules of GUNYAH_MODULES_TOP, and fails on any kernel splat or leak.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

mode=all
case ${1:-} in
"") ;;
--debug) mode=debug ;;
--real) mode=real ;;
*) die "usage: $0 [--debug | --real]" ;;
esac

O=${O:-$GUNYAH_TOP/build}
out=$O/check
[ $mode = all ] || out=$O/check-$mode
rm -rf "$out"
mkdir -p "$out"
# The kernel that runs the tests' guests: always the plain one.
kernel_dirs
KUNIT_PY=$KSRC/tools/testing/kunit/kunit.py

passed=0
failed=0
skipped=0
P=""		# the lane's prefix of every result name ("real: ")
result() {	# result PASS|FAIL|SKIP name [detail]
	case $1 in
	PASS) passed=$((passed + 1)) ;;
	SKIP) skipped=$((skipped + 1)) ;;
	*) failed=$((failed + 1)) ;;
	esac
	printf '%s %s%s%s\n' "$1" "$P" "$2" "${3:+ ($3)}"
}
expect() {	# expect name command...
	local name=$1
	shift
	if "$@"; then result PASS "$name"; else result FAIL "$name"; fi
}
in_log() { grep -qE -- "$2" "$1"; }
tap() {		# tap log prefix: one result per "ok"/"not ok" line, plan checked
	local plan n=0 line
	plan=$(sed -nE 's/^1\.\.([0-9]+)$/\1/p' "$1" | head -n1)
	while read -r line; do
		n=$((n + 1))
		case $line in
		"ok "*" # SKIP"*) result SKIP "$2: ${line#ok [0-9]* }" ;;
		"ok "*) result PASS "$2: ${line#ok [0-9]* }" ;;
		*) result FAIL "$2: ${line#not ok [0-9]* }" ;;
		esac
	done < <(grep -E '^(not )?ok [0-9]+ ' "$1")
	[ -n "$plan" ] && [ "$n" -eq "$plan" ] || result FAIL "$2" "${plan:-no} tests planned, $n results"
}

section() { printf '==> [%d:%02d] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }
# The host-side builds use every CPU (the boots are QEMU's own).
jobs=-j$(nproc)

# ---- on the build host: side by side, reported in order ------------------
# Every host-side check but the fuzzers' pass runs in the background, all at
# once: nothing in them is timed (the benchmarks count instructions), so
# they may share the CPUs. bg_run runs one, bg_section waits for some and
# heads their results with when they ran; the results come out in the same
# order as ever. The fuzzers' pass is timed: it runs alone, once the others
# are done.
bg_run() {	# bg_run name log command...: command, its output to log; then its status and when it ran in $out/name.done
	local name=$1 log=$2 start=$SECONDS status
	shift 2
	"$@" >"$log" 2>&1
	status=$?
	echo "$status $start $SECONDS" >"$out/$name.done.tmp"
	mv "$out/$name.done.tmp" "$out/$name.done"
}
bg_status() {	# bg_status name: the status of bg_run name, 125 if it never finished
	local status=125
	[ ! -f "$out/$1.done" ] || read -r status _ <"$out/$1.done"
	echo "$status"
}
mmss() { printf '%d:%02d' $(($1 / 60)) $(($1 % 60)); }
bg_section() {	# bg_section title name...: wait for those checks, then a section header with when they ran
	local title=$1 name from=-1 to=0 status start end
	shift
	for name; do
		while [ ! -f "$out/$name.done" ] && [ -n "$(jobs -rp)" ]; do
			sleep 1
		done
		[ -f "$out/$name.done" ] || continue
		read -r status start end <"$out/$name.done"
		[ $from -ge 0 ] && [ $from -le "$start" ] || from=$start
		[ $to -ge "$end" ] || to=$end
	done
	if [ $from -ge 0 ]; then
		section "$title (ran $(mmss $from)-$(mmss $to))"
	else
		section "$title"
	fi
}

host_checks() {
# Kernel code: checkpatch also reads the selftests, kernel-doc only the kernel.
kfiles=$(cd "$GUNYAH_TOP" && git ls-files -- 'arch/*.c' 'arch/*.h' 'drivers/*.c' 'drivers/*.h' \
	'include/*.h' 2>/dev/null)
stfiles=$(cd "$GUNYAH_TOP" && git ls-files -- 'tools/testing/selftests/*.c' 2>/dev/null)
checkpatch() (
	cd "$GUNYAH_TOP" && perl "$KSRC/scripts/checkpatch.pl" --no-tree --strict --terse \
		--show-types -q -f $kfiles $stfiles
)
kernel_doc() (
	cd "$GUNYAH_TOP" && perl "$KSRC/scripts/kernel-doc" -Wall -none $kfiles
)
# The modules' builds (make's own output in $out/target.out; the Makefile
# leaves kbuild's, the compiler's and sparse's, in $O/target.log).
build_run() {	# build_run target
	rm -f "$O/$1.log"
	bg_run "$1" "$out/$1.out" make -s "$jobs" -C "$GUNYAH_TOP" "$1"
}
# One after another where two share files: the hypervisor's unit tests,
# then dt-check's devicetree writer (both link the host-side libfdt
# objects); the modules' W=1 and sparse build (in a copy of the sources),
# then the DKMS package's (both compile every module: one at a time).
hyp_dir_checks() {
	bg_run hyp-test "$out/hyp-test.log" make -s "$jobs" -C "$GUNYAH_TOP" hyp-test
	bg_run dt-check "$out/dt-check.log" make -s -C "$GUNYAH_TOP" dt-check
}
module_tree_checks() {
	build_run modules-check
	bg_run dkms "$out/dkms.log" "$GUNYAH_TOP/tools/testing/gunyah/dkms-test.sh"
}
hyp_dir_checks &
module_tree_checks &
build_run modules-clang &
# The benchmarks as make bench-check runs them, without its make all (make
# check has just made it): they only boot the modules all built.
bg_run bench "$out/bench.log" env KVM_BENCH="$O/bench/kvm_bench" \
	"$GUNYAH_TOP/tools/testing/gunyah/bench.sh" \
	--check "$GUNYAH_TOP/tools/testing/gunyah/bench-baseline.txt" "${guest_files[@]}" &
# The fuzz targets, for the pass below (its own directory in the
# hypervisor's; fuzz-smoke makes them again if this failed).
bg_run fuzz-build "$out/fuzz-build.log" make -s "$jobs" -C "$GUNYAH_TOP/hypervisor" \
	LIBFDT="$KSRC/scripts/dtc/libfdt" O="$O/hyp" fuzz-build &
bg_run kernel-version-test "$out/kernel-version-test.log" \
	"$GUNYAH_TOP/tools/testing/gunyah/kernel-version-test.sh" &
bg_run checkpatch "$out/checkpatch.log" checkpatch &
bg_run kernel-doc "$out/kernel-doc.log" kernel_doc &

# ---- hypervisor unit tests on the build host (TAP) ------------------------
bg_section "hypervisor host unit tests" hyp-test
status=$(bg_status hyp-test)
# The Makefile announces each test binary with a "# test_*" line.
bin=""
while read -r line; do
	case $line in
	"# test_"*) bin=${line#\# } ;;
	"ok "*) result PASS "hyp-unit: $bin: ${line#ok [0-9]* }" ;;
	"not ok "*) result FAIL "hyp-unit: $bin: ${line#not ok [0-9]* }" ;;
	esac
done <"$out/hyp-test.log"
grep -qE '^ok ' "$out/hyp-test.log" || result FAIL "hyp-unit: no results"
[ "$status" -eq 0 ] || result FAIL "hyp-unit: test run" "exit $status, see $out/hyp-test.log"

# ---- a short pass of each fuzz target of the hypervisor's parsers ---------
# Each target runs for a fixed time: alone, once every other check is done.
wait
section "fuzzing the hypervisor's parsers (short pass)"
make -s "$jobs" -C "$GUNYAH_TOP" fuzz-smoke >"$out/fuzz.log" 2>&1
status=$?
n=0
while read -r line; do
	n=$((n + 1))
	case $line in
	"fuzz: "*": ok, "*) t=${line#fuzz: }; result PASS "fuzz: ${t%%: *}" "${t#*: ok, }" ;;
	*) t=${line#fuzz: }; result FAIL "fuzz: ${t%%: *}" "${t#*: }" ;;
	esac
done < <(grep -aE '^fuzz: [a-z_]+: ' "$out/fuzz.log")
[ $n -gt 0 ] || result FAIL "fuzz: no results" "see $out/fuzz.log"
[ $status -eq 0 ] || result FAIL "fuzz: run" "exit $status, see $out/fuzz.log"

# ---- the /hypervisor devicetree binding against dt-schema (TAP) ------------
bg_section "devicetree binding: dt-schema" dt-check
status=$(bg_status dt-check)
tap "$out/dt-check.log" "dt-schema"
[ "$status" -eq 0 ] || result FAIL "dt-schema: run" "exit $status, see $out/dt-check.log"

# ---- the build scripts' kernel-source version logic (TAP) -----------------
bg_section "kernel source version logic" kernel-version-test
status=$(bg_status kernel-version-test)
tap "$out/kernel-version-test.log" "kernel-version"
[ "$status" -eq 0 ] || result FAIL "kernel-version: test run" "exit $status"

# ---- kernel code quality -------------------------------------------------
bg_section "module build with W=1 and sparse, with clang, checkpatch --strict, kernel-doc" \
	modules-check modules-clang checkpatch kernel-doc
# build_clean name target: the only log read, $O/target.log: the build
# succeeded and it holds no warning or error.
build_clean() {
	local status log=$O/$2.log
	status=$(bg_status "$2")
	expect "$1" bash -c "[ $status -eq 0 ] && [ -f '$log' ] && ! grep -qE 'warning:|error:' '$log'"
}
build_clean "modules: W=1 + sparse build clean" modules-check
# clang (LLVM=1, W=1) against a clang-prepared kernel.
build_clean "modules: clang (LLVM=1) W=1 build clean" modules-clang
expect "checkpatch --strict on kernel code" bash -c "! grep -qE 'ERROR|WARNING|CHECK' '$out/checkpatch.log'"
expect "kernel-doc -Wall on kernel code" bash -c "[ ! -s '$out/kernel-doc.log' ]"

# ---- the DKMS package through dkms, against the test kernel (TAP) ---------
bg_section "DKMS package: dkms add, build, install, uninstall, remove" dkms
status=$(bg_status dkms)
tap "$out/dkms.log" "dkms"
[ "$status" -eq 0 ] || result FAIL "dkms: test run" "exit $status, see $out/dkms.log"

# ---- benchmarks against the committed baseline (TAP) ----------------------
bg_section "benchmarks: no path more than 10% slower than bench-baseline.txt" bench
status=$(bg_status bench)
tap "$out/bench.log" "bench"
[ "$status" -eq 0 ] || result FAIL "bench: run" "exit $status, see $out/bench.log"
}

# ---- end to end: a hypervisor, Linux, modules, KUnit, selftests, guests ----
# The same tests run in one lane per hypervisor: ours, and with
# GUNYAH_REAL_HYP the real Gunyah (every result prefixed "real: "). A lane
# sets lane (a name for logs), P (the prefix), lane_args (run-qemu options)
# and host_cpus.
rm_logs=0	# 1: save the real RM's log of each boot as NAME.rm.log
after_boot=:	# a lane's checks of every boot's console: after_boot name
boot() {	# boot name args...: one boot of the current lane, nothing checked; its status
	local name=$lane$1 extra=()
	shift
	[ $rm_logs -eq 0 ] || extra=(--rm-log "$out/$name.rm.log")
	"$GUNYAH_TOP/tools/testing/gunyah/run-qemu.sh" --log "$out/$name.log" "${extra[@]}" \
		"${lane_args[@]}" "$@" >"$out/$name.out" 2>&1
}
run() {		# run name args...: one boot of the current lane; its status
	local status
	boot "$@"
	status=$?
	$after_boot "$1"
	return $status
}
# Boots that run side by side, as many as there are CPUs (a lane may ask
# for fewer: side_by_side): a boot is mostly one busy QEMU thread.
# boot_start name args... starts one (waiting for a free slot first); boot_finish name waits for it, runs the lane's checks of
# every boot and returns its status. Results are only ever printed by the
# main shell, in the order the boots were finished.
side_by_side=$(nproc)
boot_start() {
	while [ "$(jobs -rp | wc -l)" -ge "$side_by_side" ]; do
		wait -n
	done
	( boot "$@"; echo $? >"$out/$lane$1.status" ) &
}
boot_finish() {
	local f=$out/$lane$1.status
	while [ ! -f "$f" ] && [ -n "$(jobs -rp)" ]; do
		wait -n
	done
	$after_boot "$1"
	[ -f "$f" ] || return 125
	return "$(cat "$f")"
}
console() {	# console name: the console log of a boot of the current lane
	if [ -f "$out/$lane$1.log" ]; then echo "$out/$lane$1.log"; else echo "$out/$lane$1.out"; fi
}

# The sample VMM, the test guests and the kernel the Linux guest runs.
guest_files=(--file "$O/samples/gunyah_vmm:/bin/gunyah_vmm"
	     --file "$O/guests/baremetal.bin:/usr/lib/gunyah/baremetal.bin"
	     --file "$KDIR/arch/arm64/boot/Image:/usr/lib/gunyah/Image"
	     --file "$O/guests/linux-initramfs.cpio:/usr/lib/gunyah/linux-initramfs.cpio")

# One KTAP block per suite, each parsed on its own by kunit.py.
expected_suites="gunyah_identify gunyah_uid gunyah_errno gunyah_live gunyah_abi gunyah_rsc_mgr
	gunyah_rm_live gunyah_rm_abuse gunyah_vm_mgr gunyah_vm_fn gunyah_vcpu gunyah_irqfd"
kunit_results() {	# kunit_results console-log
	awk -v dir="$out" -v lane="$lane" '
		{ sub(/\r$/, "") }
		/\[init\] KUNIT-BEGIN / { for (i = 1; i <= NF; i++) if ($i ~ /^suite=/) f = dir "/" lane "kunit-" substr($i, 7) ".ktap"; next }
		/\[init\] KUNIT-END / { f = ""; next }
		f { print > f }' "$1"
	for s in $expected_suites; do
		f=$out/${lane}kunit-$s.ktap
		if [ ! -s "$f" ]; then
			result FAIL "kunit: $s" "no results"
			continue
		fi
		python3 "$KUNIT_PY" parse --json="$f.json" "$f" >"$f.parsed" 2>&1
		counts=$(python3 - "$f.json" <<'PY'
import json, sys
def walk(t, acc):
    if t.get("sub_groups") or t.get("test_cases"):
        for g in t.get("sub_groups", []):
            walk(g, acc)
        for c in t.get("test_cases", []):
            acc[c["status"]] = acc.get(c["status"], 0) + 1
    return acc
d = json.load(open(sys.argv[1]))
acc = walk(d, {})
print(acc.get("PASS", 0), sum(v for k, v in acc.items() if k not in ("PASS", "SKIP")), acc.get("SKIP", 0))
PY
)
		read -r p fl sk <<<"$counts"
		if [ "${p:-0}" -gt 0 ] && [ "${fl:-1}" -eq 0 ]; then
			result PASS "kunit: $s" "$p passed${sk:+, $sk skipped}"
		else
			result FAIL "kunit: $s" "${p:-0} passed, ${fl:-?} failed, see $f.parsed"
		fi
	done
}

# kselftest_start name prog [args]: one boot, in the background; then
# kselftest_finish name prog: one result per TAP line of @prog.
# ks_qemu_args: more run-qemu options for the boot.
ks_qemu_args=()
kselftest_start() {
	local name=$1 prog=$2
	shift 2
	boot_start "$name" "${guest_files[@]}" "${ks_qemu_args[@]}" --cmd "$prog $*"
}
# kselftest_finish name prog: the results of a boot kselftest_start started.
kselftest_finish() {
	local name=$1 prog=$2 log status reason
	boot_finish "$name"
	status=$?
	log=$(console "$name")
	tr -d '\r' <"$log" >"$out/$lane$name.tap"
	if [ $status -ne 0 ] && reason=$(lane_boot_excuse "$name" "$out/$lane$name.tap"); then
		# What failed waited for that: SKIP with the reason, the rest as it is.
		result SKIP "$prog: boot completes and powers off" "$reason"
		sed -i -E "s/^not ok ([0-9]+ .*)$/ok \1 # SKIP $reason/" "$out/$lane$name.tap"
	else
		expect "$prog: boot completes and powers off" [ $status -eq 0 ]
	fi
	tap "$out/$lane$name.tap" "$prog"
}

# lane_cpus_excuse console-log: a lane's known reason for a CPU that did not
# come up in that boot, printed; fails when there is none.
lane_cpus_excuse() { return 1; }
# lane_boot_excuse boot console-log: a lane's known reason for a failed
# kselftest boot (a defect of that hypervisor, with its proof), printed;
# fails when there is none.
lane_boot_excuse() { return 1; }

# Both hypervisors: the driver's probe, every KUnit suite, every kselftest,
# the bare-metal and the Linux guest through the sample VMM.
stack_tests() {
	local log status reason
	section "${P}boot: modules, KUnit"
	run hyp --kunit "$@"
	status=$?
	log=$(console hyp)
	expect "boot: completes and powers off cleanly" [ $status -eq 0 ]
	if reason=$(lane_cpus_excuse "$log"); then
		result SKIP "boot: Linux runs at EL1 with $host_cpus CPUs" "$reason"
	else
		expect "boot: Linux runs at EL1 with $host_cpus CPUs" bash -c \
			"grep -q 'smp: Brought up 1 node, $host_cpus CPUs' '$log' &&
			 grep -q 'CPU: All CPU(s) started at EL1' '$log'"
	fi
	expect "boot: driver reports Gunyah API v1" in_log "$log" 'gunyah hypervisor: Gunyah API v1 '
	expect "rm: the resource manager probed and reports VMID 3" in_log "$log" \
		'gunyah_rsc_mgr .*resource manager probed, our VMID 3'
	kunit_results "$log"
	lane_boot_checks "$log"

	section "${P}kselftests of the VM manager and vCPUs"
	# The longest first, side by side with the others.
	# More CPUs than threads of each kind: the races need them, running
	# truly in parallel (a thread per vCPU, though they outnumber the cores).
	[ "$host_cpus" -ne 2 ] || ks_qemu_args=(--smp 4 --tcg-threads multi)
	kselftest_start selftests-stress gunyah_stress_test
	ks_qemu_args=()
	# A VM the hypervisor schedules itself: the Linux guest, four ioctls.
	kselftest_start selftests-sched gunyah_sched_test
	kselftest_start selftests gunyah_vm_test
	kselftest_start selftests-vcpu gunyah_vcpu_test
	kselftest_start selftests-run gunyah_run_test /usr/lib/gunyah/baremetal.bin
	kselftest_start selftests-fn gunyah_fn_test
	kselftest_start selftests-trace gunyah_trace_test
	kselftest_finish selftests gunyah_vm_test
	kselftest_finish selftests-vcpu gunyah_vcpu_test
	kselftest_finish selftests-run gunyah_run_test
	kselftest_finish selftests-fn gunyah_fn_test
	kselftest_finish selftests-trace gunyah_trace_test
	kselftest_finish selftests-sched gunyah_sched_test
	kselftest_finish selftests-stress gunyah_stress_test

	section "${P}guests through the sample VMM: the bare-metal test guest, a Linux guest"
	# A guest that hangs: what the VMM's threads wait in, before the timeout.
	run guests "${guest_files[@]}" --step 'watchdog 240' \
		--cmd 'gunyah_vmm --raw --vcpus 2 /usr/lib/gunyah/baremetal.bin' \
		--cmd 'gunyah_vmm --vcpus 2 --initrd /usr/lib/gunyah/linux-initramfs.cpio /usr/lib/gunyah/Image'
	status=$?
	log=$(console guests)
	expect "guests: both VMs power off and the host too" [ $status -eq 0 ]
	n=0
	while read -r line; do
		n=$((n + 1))
		case $line in
		"ok "*" # SKIP "*)
			line=${line#ok [0-9]* - }
			result SKIP "baremetal: ${line%% # SKIP *}" "${line#* # SKIP }" ;;
		"ok "*) result PASS "baremetal: ${line#ok [0-9]* - }" ;;
		*) result FAIL "baremetal: ${line#not ok [0-9]* - }" ;;
		esac
	done < <(tr -d '\r' <"$log" | sed -nE 's/^\[baremetal\] ((not )?ok [0-9]+ .*)/\1/p')
	expect "baremetal: all checks reported" bash -c \
		"[ $n -gt 0 ] && grep -q '^\[baremetal\] done: 0 of $n checks failed' '$log'"
	# The guest says these after the host; with 2 host CPUs both say the same.
	expect "linux guest: boots at EL1 with 2 vCPUs (PSCI CPU_ON)" bash -c \
		"[ \$(grep -c 'CPU: All CPU(s) started at EL1' '$log') -eq 2 ] &&
		 [ \$(grep -c 'smp: Brought up 1 node, 2 CPUs' '$log') -eq $((host_cpus == 2 ? 2 : 1)) ]"
	expect "linux guest: GICv3 and the virtual timer work" bash -c \
		"grep -qE 'GICv3: [0-9]+ SPIs implemented' '$log' &&
		 [ \$(grep -c 'clocksource: Switched to clocksource arch_sys_counter' '$log') -eq 2 ]"
	expect "linux guest: PL011 console through MMIO exits, init runs" \
		in_log "$log" 'Hello from the Gunyah guest'
	expect "bare-metal guest: KICK writes reach the VMM through the ioeventfd, none as MMIO exits" \
		in_log "$log" 'gunyah_vmm: test device: 3 KICKs through the ioeventfd, 0 as MMIO exits'
	expect "linux guest: virtio console output, notified through ioeventfds only" bash -c \
		"grep -q '^virtio console: burst done, 5170 bytes' '$log' &&
		 grep -qE 'gunyah_vmm: virtio-console: [0-9]+ bytes out, .* [1-9][0-9]* notifications through ioeventfd, [1-9][0-9]* interrupts through irqfd, 0 notifications as MMIO exits' '$log'"
	expect "linux guest: virtio console input, which needs its interrupt through the irqfd" \
		in_log "$log" "^virtio console: the VMM says 'hello from the VMM through the irqfd'"
	expect "linux guest and bare-metal guest: PSCI SYSTEM_OFF is a STATUS exit" bash -c \
		"[ \$(grep -c 'gunyah_vmm: VM exited: PSCI_POWER_OFF' '$log') -eq 2 ]"
}

# Our hypervisor: its banner, what its RM prints on the console, and two
# programs that only make sense on it (its memory is carved out of the
# host's devicetree and unmapped from the host's stage 2).
ours_lane() {
lane="" P="" lane_args=() host_cpus=2
lane_boot_checks() {
	expect "boot: hypervisor banner" in_log "$1" '^\[HYP\] Gunyah-compatible hypervisor .* cold boot'
	expect "boot: host devicetree has /hypervisor, memory without the hypervisor" \
		in_log "$1" 'host_dt_test: PASS'
	expect "hypervisor memory: host read faults (SIGBUS)" in_log "$1" 'hyp_memory_test: PASS'
	expect "rm: malformed packets are dropped and counted" bash -c \
		"grep -q '^\[RM\] dropped a packet from VM 3: too many fragments' '$1' &&
		 grep -q '^\[RM\] dropped a packet from VM 3: stray continuation' '$1' &&
		 grep -q '^\[RM\] dropped a packet from VM 3: incomplete message abandoned' '$1'"
}
stack_tests --cmd hyp_memory_test --cmd host_dt_test

section "boot under our hypervisor with 4 CPUs, CPU hotplug"
run smp4 --smp 4 --cmd 'cpu_hotplug_test 3'
status=$?
expect "smp4: boots and powers off" [ $status -eq 0 ]
expect "smp4: 4 CPUs up through host PSCI CPU_ON" in_log "$out/smp4.log" 'smp: Brought up 1 node, 4 CPUs'
expect "smp4: CPUs go off and on again (PSCI CPU_OFF, AFFINITY_INFO, CPU_ON)" \
	in_log "$out/smp4.log" 'cpu_hotplug_test: PASS'

# The interrupts of our hypervisor (its kick SGI, its timer, the maintenance
# interrupt) are its choice: written for it.
section "the host's GIC is virtual: what the host writes there, a host that never idles"
run hostile "${guest_files[@]}" --step 'watchdog 240' --cmd 'hyp_irq_test hostile' \
	--cmd 'hyp_irq_test busy gunyah_vmm --raw --vcpus 2 /usr/lib/gunyah/baremetal.bin'
status=$?
expect "hostile: boots, runs its programs and powers off" [ $status -eq 0 ]
expect "hostile: 988 SPIs; the ITS and the frames past the last redistributor fault" bash -c \
	"grep -q 'hyp_irq_test: ok: the host.s GIC has 988 SPIs' '$out/hostile.log' &&
	 grep -q 'hyp_irq_test: ok: the ITS is not the host.s: SIGBUS' '$out/hostile.log' &&
	 grep -q 'hyp_irq_test: ok: no redistributor past the last CPU: SIGBUS' '$out/hostile.log'"
expect "hostile: the host masked, unpended and deprioritised the hypervisor's interrupts: guest unharmed" \
	bash -c "grep -q '^\[baremetal\] done: 0 of [0-9]* checks failed' '$out/hostile.log'"
expect "hostile: a guest waiting for its timer is woken while every host CPU is busy" \
	in_log "$out/hostile.log" 'hyp_irq_test: ok: the program ran to its end with every host CPU busy'

section "boot with --hyp (another hypervisor ELF, the real Gunyah's host devicetree)"
run foreign --hyp "$O/hyp/hyp.elf"
status=$?
expect "foreign: --hyp boots with a 1 GiB host devicetree and no ITS" bash -c \
	"[ $status -eq 0 ] && grep -q 'Memory: [0-9]*K/1048576K available' '$out/foreign.log' &&
	 ! grep -q 'ITS@' '$out/foreign.log'"

# The RM is a VM of its own (hypervisor.rst, "The RM's VM"): images built
# to crash it on purpose (RM_FAULT_TEST: 1 a write to an address its
# stage 2 does not map, 2 an undefined instruction its own vector reports)
# must log it, stop the RM and carry on; Linux then boots without an RM.
section "the RM crashes on purpose: contained"
for n in 1 2; do
	what=("" "a stage-2 fault" "an undefined instruction")
	make -s "$jobs" -C "$GUNYAH_TOP/hypervisor" LIBFDT="$KSRC/scripts/dtc/libfdt" \
		O="$O/hyp-rm-fault$n" RM_FAULT_TEST=$n >"$out/rm-fault$n.build" 2>&1
	status=$?
	if [ $status -ne 0 ]; then
		result FAIL "rm crash, ${what[$n]}: the image builds" "see $out/rm-fault$n.build"
		continue
	fi
	run rm-fault$n --hyp "$O/hyp-rm-fault$n/hyp.elf"
	status=$?
	log=$(console rm-fault$n)
	expect "rm crash, ${what[$n]}: logged, the RM stopped, Linux boots without it" bash -c \
		"[ $status -eq 0 ] && grep -q 'RM_FAULT_TEST=$n: crashing on purpose' '$log' &&
		 grep -q 'RM faulted (.*; RM VM stopped' '$log' &&
		 ! grep -q 'resource manager probed' '$log'"
done

# ---- a machine without Gunyah --------------------------------------------
section "boot without a hypervisor"
run nohyp --no-hyp
status=$?
expect "no-hyp: gunyah.ko refuses to load with -ENODEV" [ $status -eq 0 ]
lines=$(grep -cE '\] gunyah: ' "$out/nohyp.log" 2>/dev/null)
expect "no-hyp: exactly one clear log line" bash -c \
	"[ '$lines' = 1 ] && grep -q '\] gunyah: not running under Gunyah' '$out/nohyp.log'"
expect "no-hyp: no oops or warning" bash -c \
	"! grep -qE 'Internal error|WARNING:|BUG:|Oops' '$out/nohyp.log'"
}

# ---- the real Gunyah -----------------------------------------------------
# GUNYAH_REAL_HYP names Qualcomm's hypervisor + RM built for QEMU, e.g.
# ../shared/reference/real-gunyah/hypvm.elf. It needs 8 CPUs; each boot
# also saves the RM's in-memory log beside its console log, and tells the
# selftests (GUNYAH_SELFTEST_HYP=qualcomm) to skip what hits that
# release's known defects.
real_lane() {
	lane="real-" P="real: " host_cpus=8 rm_logs=1
	# One boot at a time: each is 8 vCPUs on one TCG thread, and two side
	# by side on 2 cores made gunyah_trace_test's guest miss the
	# harness's 30 s (once in three lanes).
	side_by_side=1
	lane_args=(--hyp "$GUNYAH_REAL_HYP" --smp 8 --timeout "${GUNYAH_REAL_TIMEOUT:-900}"
		   --env GUNYAH_SELFTEST_HYP=qualcomm)
	lane_boot_checks() {
		expect "boot: the real Gunyah's RM came up" in_log "$out/${lane}hyp.rm.log" \
			'Init completed, disabling UART'
	}
	# Eight vCPUs on one TCG thread (more than the host's cores): now and
	# then a secondary misses Linux's 5 s wait for it to come online.
	lane_cpus_excuse() {
		local cpu
		cpu=$(tr -d '\r' <"$1" | grep -oE 'CPU[0-9]+: failed to come online' | head -n1)
		[ -n "$cpu" ] && [ "$host_cpus" -gt "$(nproc)" ] &&
			echo "$cpu: 8 vCPUs on one TCG thread, Linux's 5 s wait for a secondary CPU ran out"
	}
	# Defects of the real RM, each excused only with its proof in the
	# RM's log:
	# - now and then it leaves a guest's vCPU-halt interrupt unhandled
	#   until the next RPC: the guest powered off, the VMM waits for an RM
	#   notification that comes only once the test stops the VM (the run
	#   and trace selftests stop it after a minute and say so);
	# - now and then its heap runs out after a run of refused configs
	#   (sys_brk) and it refuses the next good VM_START with NORESOURCE;
	#   the same config starts a moment later.
	lane_boot_excuse() {
		local rmlog=$out/$lane$1.rm.log
		[ -f "$rmlog" ] || return 1
		if grep -q 'no STATUS exit (blocked until the test stopped it)' "$2" &&
			grep -qaE 'VCPU halt: VM [0-9]+ has already exited' "$rmlog"; then
			echo "real Gunyah: its RM handled the guest's vCPU halt only after the VM was stopped (RM log), the power-off never reached the VMM"
		elif grep -q 'RM refused VM_START (0x56000004): NORESOURCE' "$2" &&
			grep -qa 'sys_brk: invalid brk' "$rmlog"; then
			echo "real Gunyah: its RM ran out of heap (sys_brk: invalid brk in its log) and refused a good VM_START with NORESOURCE"
		else
			return 1
		fi
	}
	stack_tests
}

# ---- the debug kernel ----------------------------------------------------
# Our hypervisor, a host kernel with KASAN, lockdep, kmemleak, debug objects
# and the hung-task detector; every boot's console must show no splat, and
# kmemleak, made to scan at the end, must suspect no leak at all (none of
# the lane's boots shows a false positive today).
splat='BUG: |WARNING: |INFO: |Internal error|Unable to handle|Oops|kernel BUG|UBSAN|list_(add|del) corruption|ODEBUG'
debug_lane() {
	export GUNYAH_KERNEL_VARIANT=debug
	lane="debug-" P="debug: " host_cpus=2 after_boot=debug_boot_checks
	lane_args=(--leak-check --timeout 900)
	lane_boot_checks() { :; }
	stack_tests
}
# debug_boot_checks name: what every boot of the debug lane must show.
debug_boot_checks() {
	local log
	log=$(console "$1")
	expect "$1: no kernel splat (KASAN, lockdep, atomic sleep, debug objects, hung task)" \
		bash -c "! tr -d '\r' <'$log' | grep -qE '$splat'"
	expect "$1: kmemleak suspects no leak" bash -c \
		"! tr -d '\r' <'$log' | grep -q '^unreferenced object'"
}

case $mode in
all)
	host_checks
	ours_lane
	# GUNYAH_REAL_HYP: see real_lane
	[ -z "${GUNYAH_REAL_HYP:-}" ] || real_lane
	;;
debug)
	debug_lane
	;;
real)
	[ -n "${GUNYAH_REAL_HYP:-}" ] || die "check.sh --real needs GUNYAH_REAL_HYP"
	real_lane
	;;
esac

section "done"
if [ $skipped -eq 0 ]; then
	echo "$passed passed, $failed failed"
else
	echo "$passed passed, $failed failed, $skipped skipped"
fi
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
