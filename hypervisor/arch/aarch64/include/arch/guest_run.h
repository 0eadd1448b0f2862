/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The architecture side of running a guest vCPU (arch/aarch64/guest_run.c):
 * swapping the host's EL1 world for the guest's, one entry into the guest
 * and the handling of what made it leave.
 */
#ifndef ARCH_GUEST_RUN_H
#define ARCH_GUEST_RUN_H

#include <arch/guest_ctx.h>

struct hyp_guest;
struct guest_vcpu;

/* What the host had in the registers the guest takes over. */
struct arch_host_save {
	struct el1_sysregs el1;
	struct fp_state fp;	/* saved only once the guest uses FP/SIMD */
	struct vtimer_state timer;
	u64 hcr, mdcr, cptr, cnthctl, vttbr, vmpidr;
	/* Where the trapped host returns to: guest entries and exits change them. */
	u64 elr, spsr;
};

void arch_guest_load(struct hyp_guest *g, struct guest_vcpu *v, struct arch_host_save *host);
void arch_guest_put(struct hyp_guest *g, struct guest_vcpu *v, struct arch_host_save *host);

/*
 * Enter the loaded guest once and handle its exit. Returns a vcpu_run
 * state for the owner (with its data in @out[1..3]), or -1 to go on.
 */
int arch_guest_run_once(struct hyp_guest *g, struct guest_vcpu *v, u64 out[4]);

/* A data abort for @v (not loaded) at @ipa: the owner refused the access. */
void arch_guest_inject_dabt(struct guest_vcpu *v, u64 ipa, bool write);

/* The hypervisor timer: raise INTID 26 at physical count @deadline. */
void arch_hyp_timer_arm(u64 deadline);
void arch_hyp_timer_disarm(void);

#endif
