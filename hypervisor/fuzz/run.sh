#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run the libFuzzer targets, each for a bounded time in a single process (no
# -jobs/-fork), FUZZ_JOBS of them at a time (default 1; make check runs one
# per CPU). Their lines come out in the order of the targets given.
#
#   fuzz/run.sh <build dir> <seconds per target> <target>...
#
# Seeds come from fuzz/corpus/<target> (read only); what the fuzzer finds
# goes to <build dir>/corpus/<target> (kept between runs; FUZZ_WORK names
# another directory than corpus/, FUZZ_FRESH=1 empties it first), crash, leak and timeout inputs to
# <build dir>/artifacts/<target>/, the full output to <build dir>/logs/.
# One line per target on stdout, for scripts:
#
#   fuzz: <target>: ok, <N> execs, cov <C>, ft <F>, <E> exec/s, <S> s
#   fuzz: <target>: CRASH <artifact>        (crash, sanitizer report, leak)
#   fuzz: <target>: TIMEOUT <artifact>      (one input ran longer than 10 s)
#   fuzz: <target>: FAIL (exit <code>, see <log>)
#
# followed by libFuzzer's own last status line, indented, and at the end
# "fuzz: <P> passed, <F> failed". Exits non-zero if any target failed.
# FUZZ_SEED fixes libFuzzer's random seed: the smoke run's is 1, so that
# make check takes the same path through the inputs each time.
set -u

out=$1
secs=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
jobs=${FUZZ_JOBS:-1}
passed=0
failed=0

mkdir -p "$out/logs" "$out/artifacts"

# run_target TARGET: one fuzzer; its lines (below) to logs/TARGET.result.
run_target() {
	local t=$1
	local bin="$out/fuzz_$t"
	local log="$out/logs/$t.log"
	local corpus="$out/${FUZZ_WORK:-corpus}/$t"
	local art="$out/artifacts/$t/"
	local seeds="$here/corpus/$t"
	local maxlen start rc end done_line last_line execs cov ft eps artifact

	[ "${FUZZ_FRESH:-0}" = 1 ] && rm -rf "$corpus"
	mkdir -p "$corpus" "$art"
	[ -d "$seeds" ] || seeds=
	# Inputs up to 64 KiB: the RM reads devicetrees of that size.
	case $t in
	vm_config|vm_dt|rm) maxlen=65536 ;;
	*) maxlen=4096 ;;
	esac
	start=$(date +%s)
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=$maxlen \
		${FUZZ_SEED:+-seed=$FUZZ_SEED} \
		-print_final_stats=1 -artifact_prefix="$art" "$corpus" $seeds >"$log" 2>&1
	rc=$?
	end=$(date +%s)
	done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1)
	last_line=${done_line:-$(grep -E '^#[0-9]+' "$log" | tail -n 1)}
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	cov=$(printf '%s\n' "$last_line" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(printf '%s\n' "$last_line" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	eps=$(printf '%s\n' "$last_line" | sed -n 's/.* exec\/s: \([0-9]*\).*/\1/p')
	artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)

	if [ $rc -eq 0 ] && [ -n "$done_line" ]; then
		echo "fuzz: $t: ok, ${execs:-0} execs, cov ${cov:-0}, ft ${ft:-0}, ${eps:-0} exec/s, $((end - start)) s"
	else
		if grep -q 'ERROR: libFuzzer: timeout' "$log"; then
			echo "fuzz: $t: TIMEOUT ${artifact:-(no artifact)}"
		elif [ -n "$artifact" ]; then
			echo "fuzz: $t: CRASH $artifact"
		else
			echo "fuzz: $t: FAIL (exit $rc, see $log)"
		fi
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" | head -n 3 | sed 's/^/  /'
	fi
	[ -z "$last_line" ] || echo "  $last_line"
}

for t in "$@"; do
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
		wait -n
	done
	run_target "$t" >"$out/logs/$t.result" &
done
wait
for t in "$@"; do
	cat "$out/logs/$t.result"
	if grep -q "^fuzz: $t: ok, " "$out/logs/$t.result"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ $failed -eq 0 ]
