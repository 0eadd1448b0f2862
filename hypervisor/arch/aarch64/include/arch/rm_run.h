/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Running the RM's vCPU (arch/aarch64/rm_run.c). Lighter than a guest's
 * load (arch/guest_run.h): the RM has no vGIC and no timer of its own, so
 * its runs are part of the host's trap that raised its interrupt. The
 * host's EL1 registers and EL2 controls are swapped for the RM's; its
 * virtual GIC interface and virtual timer stay in place, the interface
 * disabled and every EL1 access to it trapped while the RM runs.
 */
#ifndef ARCH_RM_RUN_H
#define ARCH_RM_RUN_H

#include <arch/guest_ctx.h>

struct arch_rm_host {
	struct el1_sysregs el1;
	u64 hcr, mdcr, cptr, cnthctl, vttbr, elr, spsr, ich_hcr;
};

/* Put the RM's vCPU (@el1, stage 2 @vttbr) in the CPU; the host's go to @host. */
void arch_rm_load(const struct el1_sysregs *el1, u64 vttbr, struct arch_rm_host *host);
/* And back: the RM's EL1 registers to @el1. */
void arch_rm_put(struct el1_sysregs *el1, const struct arch_rm_host *host);

#endif
