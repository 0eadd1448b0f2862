/* SPDX-License-Identifier: GPL-2.0-only */
/* Per-CPU data and the AArch64 entry and exit points of the hypervisor. */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <hyp/config.h>

#define HYP_STACK_SIZE		0x4000
/* offsetof(struct hyp_cpu, guest_gprs), for guest_entry.S */
#define HYP_CPU_GUEST_GPRS	16

#ifndef __ASSEMBLER__
#include <arch/sysreg.h>
#include <hyp/machine.h>

struct fp_state;

struct guest_gprs;

struct hyp_cpu {
	unsigned int index;
	u64 mpidr;
	struct guest_gprs *guest_gprs;	/* the guest running here, if any */
	/* The host's list registers (core/host_gic.c): checked at every trap. */
	unsigned int host_lrs_used;	/* valid ones at the last flush */
	bool host_gic_dirty;		/* to be rebuilt before the host runs */
	/* List registers from 0 that may not be empty in the CPU (gic_lrs_load()). */
	unsigned int lrs_loaded;
	/* The physical virtual-timer interrupt may be active, parked for a guest. */
	bool vtimer_parked;
	/* The hypervisor timer's deadline as programmed, 0 if disarmed. */
	u64 hyp_timer_at;
	/* While a guest is loaded: where the host's FP/SIMD registers go (guest_run.c). */
	struct fp_state *host_fp;
	/* ... and its pointer-authentication keys. */
	u64 *host_pauth;
};

_Static_assert(__builtin_offsetof(struct hyp_cpu, guest_gprs) == HYP_CPU_GUEST_GPRS,
	       "hyp_cpu layout");

extern struct hyp_cpu hyp_cpus[HYP_MAX_CPUS];

static inline struct hyp_cpu *this_cpu(void)
{
	return (struct hyp_cpu *)read_sysreg(tpidr_el2);
}

/* The register values with which every CPU runs the EL2 MMU. */
struct el2_mmu_config {
	u64 mair;
	u64 tcr;
	u64 ttbr0;
	u64 sctlr;
};

extern struct el2_mmu_config el2_mmu_config;

/* boot.S: where the firmware starts a secondary CPU (x0 = CPU index). */
void hyp_warm_entry(void);

/*
 * Leave EL2 for the primary VM at EL1h with x0 = @arg, MMU off, resetting
 * this CPU's EL2 stack to @stack_top.
 */
void __noreturn arch_enter_host(u64 entry, u64 arg, void *stack_top);

extern u8 hyp_stacks[HYP_MAX_CPUS][HYP_STACK_SIZE];

static inline void *hyp_stack_top(unsigned int cpu)
{
	return hyp_stacks[cpu] + HYP_STACK_SIZE;
}

/* Does the CPU implement pointer authentication (whose keys EL1 owns)? */
/* -1 until probed; every world switch asks, and ID registers never change. */
extern int arch_pauth;
bool arch_pauth_probe(void);

static inline bool arch_has_pauth(void)
{
	return arch_pauth > 0 || (arch_pauth < 0 && arch_pauth_probe());
}

/* Program this CPU's EL2 controls for running the primary VM. */
void arch_host_cpu_setup(u64 vttbr, u64 vtcr);

/* Clean [@va, @va + @size) to the point of coherency. */
void dcache_clean_range(const void *va, u64 size);
#endif

#endif
