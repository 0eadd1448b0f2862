/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The physical GICv3 distributor, as far as the hypervisor touches it: the
 * host drives the GIC; the hypervisor only sets SPIs pending for it.
 */
#ifndef ARCH_GIC_H
#define ARCH_GIC_H

#include <hyp/types.h>

/* Highest SPI INTID the distributor implements. */
u32 gic_max_spi(void);

void gic_spi_set_pending(u32 intid);

#endif
