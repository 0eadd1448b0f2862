# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2154
#
# TAP steps for the host-side check scripts (dt-check.sh, dkms-test.sh),
# sourced once $work, their scratch directory, is set:
#   ok DESCRIPTION COMMAND...  run COMMAND in this shell: one numbered "ok" or
#                              "not ok" line, then, if it failed, its output as
#                              "# " diagnostics; $fails counts the failures
#   fail MESSAGE...            inside a step: print MESSAGE, return 1

n=0
fails=0
ok() {
	local d=$1 status
	shift
	n=$((n + 1))
	"$@" >"$work/step.out" 2>&1
	status=$?
	if [ $status -eq 0 ]; then
		echo "ok $n $d"
	else
		echo "not ok $n $d"
		sed 's/^/# /' "$work/step.out"
		fails=$((fails + 1))
	fi
}
fail() { echo "$*"; return 1; }
