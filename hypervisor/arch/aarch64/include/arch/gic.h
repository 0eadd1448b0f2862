/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The physical GICv3 distributor, as far as the hypervisor touches it: the
 * host drives the GIC; the hypervisor sets SPIs pending for it and touches
 * a few private interrupts of its own (below).
 */
#ifndef ARCH_GIC_H
#define ARCH_GIC_H

#include <hyp/types.h>

/* Highest SPI INTID the distributor implements. */
u32 gic_max_spi(void);

void gic_spi_set_pending(u32 intid);

/*
 * This CPU's private interrupts in its redistributor, for the interrupts
 * the hypervisor owns while a guest runs (maintenance, hypervisor timer)
 * and for parking the guest's timer interrupt. The host never requests
 * INTIDs 25 and 26; it keeps 27 (its own virtual timer) and gets it back
 * inactive whenever vcpu_run returns.
 */
void gic_local_ppi_enable(u32 intid);
void gic_local_ppi_set_active(u32 intid, bool active);

/*
 * Make the CPU with affinity @mpidr leave the guest it runs: an SGI traps
 * a running guest to EL2 (HCR_EL2.IMO), which returns to the host (vcpu_run
 * READY), whose next vcpu_run loads what was injected meanwhile. The SGI
 * is then the host's: GIC_SGI_HOST_KICK, Linux's reschedule IPI, which
 * Linux takes as a hint and ignores when there is nothing to do (KVM kicks
 * a vCPU the same way). A kick that arrives after the vCPU left is such a
 * spurious reschedule.
 */
void gic_kick_cpu(u64 mpidr);

/* Physical INTIDs (QEMU virt, ../shared/spec/abi.md §9.3). */
#define GIC_INTID_MAINTENANCE	25
#define GIC_INTID_HYP_TIMER	26
#define GIC_INTID_VTIMER	27
/* The SGI of gic_kick_cpu(): arm64 Linux's IPI_RESCHEDULE */
#define GIC_SGI_HOST_KICK	0

#endif
