/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Running the RM's vCPU (arch/aarch64/rm_run.c). Lighter than a guest's
 * load (arch/guest_run.h): the RM has no timer of its own and no
 * distributor, so its runs are part of the host's trap that raised its
 * interrupt. The host's EL1 registers, EL2 controls and GIC virtual CPU
 * interface (its list registers as they are, not synced into its model)
 * are swapped for the RM's; the host's virtual timer stays in place.
 */
#ifndef ARCH_RM_RUN_H
#define ARCH_RM_RUN_H

#include <arch/guest_ctx.h>
#include <hyp/vgic.h>

/* The list registers the RM's interrupts use: one each. */
#define RM_NR_LRS	2

/* The RM's GIC virtual CPU interface while it does not run. */
struct arch_rm_gic {
	struct gic_cpuif_state cpuif;	/* its priority mask, group enable */
	u64 lr[RM_NR_LRS];
};

struct arch_rm_host {
	struct el1_sysregs el1;
	struct gic_cpuif_state cpuif;
	u64 lr[VGIC_MAX_LRS];
	unsigned int nr_lr;
	u64 hcr, mdcr, cptr, cnthctl, vttbr, elr, spsr, ich_hcr;
};

/*
 * Put the RM's vCPU (@el1, @gic, stage 2 @vttbr) in the CPU; the host's
 * go to @host.
 */
void arch_rm_load(const struct el1_sysregs *el1, const struct arch_rm_gic *gic, u64 vttbr,
		  struct arch_rm_host *host);
/* And back: the RM's EL1 registers to @el1, its CPU interface to @gic. */
void arch_rm_put(struct el1_sysregs *el1, struct arch_rm_gic *gic,
		 const struct arch_rm_host *host);

#endif
