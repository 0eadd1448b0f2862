// SPDX-License-Identifier: GPL-2.0-only
/*
 * Benchmarks of the Gunyah paths, printed when the module loads: the cost
 * of a null hypercall (hypervisor_identify) and of a resource-manager round
 * trip (VM_HOST_GET_TYPE through gunyah_rsc_mgr.ko: message queue send,
 * the RM, the reply's interrupt, the wake-up of the caller).
 *
 * Under QEMU with -icount shift=0 every instruction advances the virtual
 * clock by one nanosecond, so the nanoseconds printed are instructions
 * (make bench). Each figure is the fastest of several rounds: a round in
 * which the host's timer tick or a console flush ran is slower, and the
 * fastest repeats from run to run. Not a test: it never fails on a figure
 * (make bench-check compares them with a baseline).
 */

#define pr_fmt(fmt) "gunyah_bench: " fmt

#include <linux/err.h>
#include <linux/gunyah.h>
#include <linux/ktime.h>
#include <linux/limits.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/module.h>

#include "rsc_mgr.h"

static unsigned int iterations = 1000;
module_param(iterations, uint, 0444);
MODULE_PARM_DESC(iterations, "calls per round (default 1000)");

static unsigned int rounds = 5;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "rounds per measurement, the fastest reported (default 5)");

static void bench_report(const char *what, u64 best, unsigned int n)
{
	pr_info("%s: %llu ns per call over %u calls, fastest of %u rounds (= instructions under -icount shift=0)\n",
		what, div_u64(best, n), n, rounds);
}

static void bench_identify(unsigned int n)
{
	struct gunyah_hypercall_hyp_identify_resp id;
	u64 start, t, best = U64_MAX;
	unsigned int i, r;

	for (r = 0; r < rounds; r++) {
		start = ktime_get_ns();
		for (i = 0; i < n; i++)
			gunyah_hypercall_hyp_identify(&id);
		t = ktime_get_ns() - start;
		best = min(best, t);
	}
	bench_report("null hypercall (hypervisor_identify)", best, n);
}

static int bench_rm_round_trip(unsigned int n)
{
	struct gunyah_rm *rm = gunyah_rm_get();
	u64 start, t, best = U64_MAX;
	unsigned int i, r;
	u32 type;
	int ret = 0;

	if (IS_ERR(rm)) {
		pr_err("no resource manager: %ld\n", PTR_ERR(rm));
		return PTR_ERR(rm);
	}
	for (r = 0; r < rounds && !ret; r++) {
		start = ktime_get_ns();
		for (i = 0; i < n && !ret; i++)
			ret = gunyah_rm_host_get_type(rm, &type);
		t = ktime_get_ns() - start;
		best = min(best, t);
	}
	if (ret)
		pr_err("VM_HOST_GET_TYPE failed: %d\n", ret);
	else
		bench_report("RM round trip (VM_HOST_GET_TYPE)", best, n);
	gunyah_rm_put(rm);
	return ret;
}

static int __init gunyah_bench_init(void)
{
	if (!arch_is_gunyah_guest()) {
		pr_info("not running under Gunyah, nothing to measure\n");
		return -ENODEV;
	}
	if (!iterations || !rounds)
		return -EINVAL;
	bench_identify(iterations);
	return bench_rm_round_trip(iterations);
}
module_init(gunyah_bench_init);

static void __exit gunyah_bench_exit(void)
{
}
module_exit(gunyah_bench_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Gunyah hypercall and resource-manager benchmarks");
