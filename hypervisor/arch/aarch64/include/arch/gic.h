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

/* Physical INTIDs (QEMU virt, ../shared/spec/abi.md §9.3). */
#define GIC_INTID_MAINTENANCE	25
#define GIC_INTID_HYP_TIMER	26
#define GIC_INTID_VTIMER	27

#endif
