// SPDX-License-Identifier: GPL-2.0-only
/*
 * The RM VM's C runtime: its hypercall instruction, its log, its start and
 * its wait for interrupts. The RM itself (the C files of rm/) is the same code the
 * hypervisor linked in before (RM_AT_EL2=1 still does).
 */
#include <stdarg.h>
#include <arch/gic.h>
#include <arch/sysreg.h>
#include <hyp/console.h>
#include <hyp/gunyah_abi.h>
#include <hyp/rm_vm_abi.h>
#include <rm/hypcall.h>
#include <rm/rm.h>

void rm_el1_main(const struct rm_boot_info *info);
extern char __stack_top[];

#ifdef RM_FAULT_TEST
/* RM_FAULT_TEST=3: down the stack until the guard page below it. */
static unsigned long rm_el1_recurse(unsigned long n)
{
	volatile char frame[256];

	frame[0] = n;
	asm volatile("" : : "r"(frame) : "memory");
	/* Always true, but not to the compiler, which refuses an endless recursion. */
	if (frame[0] != 0x5a || n < ~0UL)
		n = rm_el1_recurse(n + 1);
	return n + frame[0];
}
#endif

void rm_hvc(u64 regs[SMCCC_NR_REGS])
{
	register u64 x0 asm("x0") = regs[0];
	register u64 x1 asm("x1") = regs[1];
	register u64 x2 asm("x2") = regs[2];
	register u64 x3 asm("x3") = regs[3];
	register u64 x4 asm("x4") = regs[4];
	register u64 x5 asm("x5") = regs[5];
	register u64 x6 asm("x6") = regs[6];
	register u64 x7 asm("x7") = regs[7];

	asm volatile("hvc #0"
		     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6),
		       "+r"(x7)
		     : : "memory");
	regs[0] = x0;
	regs[1] = x1;
	regs[2] = x2;
	regs[3] = x3;
	regs[4] = x4;
	regs[5] = x5;
	regs[6] = x6;
	regs[7] = x7;
}

static u64 rm_el1_call(u32 num, u64 a1, u64 a2, u64 a3, u64 a4, u64 *r1)
{
	u64 regs[SMCCC_NR_REGS] = { GUNYAH_HYPCALL_FID(num), a1, a2, a3, a4 };

	rm_hvc(regs);
	if (r1)
		*r1 = regs[1];
	return regs[0];
}

/* The hypervisor's console adds "[RM] " itself: an RM cannot pose as anyone else. */
void hyp_log_prefix(const char *prefix, const char *fmt, ...)
{
	char line[RM_VM_LOG_MAX];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = hyp_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (len >= (int)sizeof(line))
		len = sizeof(line) - 1;
	if (len > 0)
		rm_el1_call(HYP_HYPCALL_RM_LOG, (u64)(uintptr_t)line, len, 0, 0, NULL);
}

/* Its GIC virtual CPU interface: every priority, group 1 on. */
static void rm_el1_gic_init(void)
{
	write_sysreg(0xff, ICC_PMR_EL1);
	write_sysreg(1, ICC_IGRPEN1_EL1);
	isb();
}

/*
 * Its interrupts, with IRQs masked: taken and ended through the CPU
 * interface, one at a time, the most urgent first.
 */
static void rm_el1_wait(void)
{
	for (;;) {
		u32 intid = read_sysreg(ICC_IAR1_EL1) & 0xffffff;

		/* Nothing: give the CPU back until something is raised. */
		if (intid >= GIC_INTID_SPECIAL) {
			asm volatile("wfi" : : : "memory");
			continue;
		}
		if (intid - RM_VM_VINTID_BASE <= RM_VIRQ_HALT)
			rm_interrupt(intid - RM_VM_VINTID_BASE);
		write_sysreg(intid, ICC_EOIR1_EL1);
	}
}

void rm_el1_main(const struct rm_boot_info *info)
{
	struct rm_boot_info boot = *info;
	int ret;

	/* rm/el1/rm.ld repeats hyp/rm_vm_abi.h's map: the two must agree. */
	if ((uintptr_t)__stack_top != RM_VM_BOOT_INFO_IPA) {
		hyp_log_prefix("[RM] ", "rm.ld and rm_vm_abi.h disagree on the stack\n");
		rm_el1_call(HYP_HYPCALL_RM_FAULT, 0, 0, 0, 0, NULL);
	}
	rm_el1_gic_init();
	ret = rm_start(&boot);
	if (ret) {
		hyp_log_prefix("[RM] ", "start failed: %d\n", ret);
		/* Reported as a crash: the hypervisor stops this VM. */
		rm_el1_call(HYP_HYPCALL_RM_FAULT, 0, 0, 0, 0, NULL);
	}
#ifdef RM_FAULT_TEST
	/*
	 * make hyp RM_FAULT_TEST=1: the containment test, a write to IPA 8
	 * (nothing there: the hypervisor sees its stage-2 fault); =2: an
	 * undefined instruction (its own vector reports it); =3: a stack
	 * overflow (into the unmapped guard page below its stack).
	 */
	hyp_log_prefix("[RM] ", "RM_FAULT_TEST=%d: crashing on purpose\n", RM_FAULT_TEST);
	if (RM_FAULT_TEST == 2) {
		asm volatile("udf #0");
	} else if (RM_FAULT_TEST == 3) {
		rm_el1_recurse(0);
	} else {
		/* An address the compiler cannot see through. */
		volatile u32 *nowhere;

		asm volatile("mov %0, #8" : "=r"(nowhere));
		*nowhere = 0;
	}
#endif
	ret = rm_publish_host_link();
	if (ret) {
		hyp_log_prefix("[RM] ", "the primary VM's link: %d\n", ret);
		rm_el1_call(HYP_HYPCALL_RM_FAULT, 0, 0, 0, 0, NULL);
	}
	rm_el1_call(HYP_HYPCALL_RM_READY, 0, 0, 0, 0, NULL);
	rm_el1_wait();
}
