// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the host pays for its own interrupts, printed when the module
 * loads: a self-IPI round trip (irq_work: an SGI to this CPU, written to
 * ICC_SGI1R_EL1, taken and acknowledged through the GIC CPU interface).
 * Under Gunyah the host's GIC is virtual: the write traps to the
 * hypervisor, which delivers the SGI through a list register. The module
 * has no Gunyah dependency and gives the same figure on a machine without
 * it, for comparison (make bench runs both).
 *
 * Under QEMU with -icount shift=0 the nanoseconds printed are
 * instructions; the figure is the fastest of several rounds (a round in
 * which the host's tick or a console flush ran is slower). Not a test: it
 * never fails on a figure.
 */

#define pr_fmt(fmt) "gunyah_irq_bench: " fmt

#include <linux/irq_work.h>
#include <linux/limits.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/module.h>

static unsigned int iterations = 1000;
module_param(iterations, uint, 0444);
MODULE_PARM_DESC(iterations, "round trips per round (default 1000)");

static unsigned int rounds = 5;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "rounds per measurement, the fastest reported (default 5)");

static int done;

static void bench_report(const char *what, u64 best, unsigned int n)
{
	pr_info("%s: %llu ns per round trip over %u, fastest of %u rounds (= instructions under -icount shift=0)\n",
		what, div_u64(best, n), n, rounds);
}

static void irq_work_done(struct irq_work *work)
{
	WRITE_ONCE(done, 1);
}

/* irq_work_queue() raises IPI_IRQ_WORK on this CPU; its handler sets done. */
static void bench_self_ipi(unsigned int n)
{
	struct irq_work work = IRQ_WORK_INIT_HARD(irq_work_done);
	u64 start, t, best = U64_MAX;
	unsigned int i, r;

	preempt_disable();
	for (r = 0; r < rounds; r++) {
		start = ktime_get_ns();
		for (i = 0; i < n; i++) {
			WRITE_ONCE(done, 0);
			irq_work_queue(&work);
			while (!READ_ONCE(done))
				cpu_relax();
		}
		t = ktime_get_ns() - start;
		best = min(best, t);
	}
	bench_report("host self-IPI (irq_work)", best, n);
	preempt_enable();
	irq_work_sync(&work);
}

static int __init gunyah_irq_bench_init(void)
{
	if (!iterations || !rounds)
		return -EINVAL;
	bench_self_ipi(iterations);
	return 0;
}
module_init(gunyah_irq_bench_init);

static void __exit gunyah_irq_bench_exit(void)
{
}
module_exit(gunyah_irq_bench_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("The host's interrupt round trips, with or without Gunyah");
