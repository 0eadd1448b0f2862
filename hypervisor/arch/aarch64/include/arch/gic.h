/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The physical GICv3. The hypervisor owns it: it programs the distributor
 * and the redistributors, takes every physical interrupt at EL2
 * (HCR_EL2.IMO/FMO) and acknowledges it there, with the CPU interface in
 * split priority drop and deactivation (ICC_CTLR_EL1.EOImode = 1), so that
 * an interrupt passed to a VM through a hardware list register stays
 * active until that VM deactivates it. VMs see only virtual GICs
 * (core/vgic.c, core/host_gic.c).
 */
#ifndef ARCH_GIC_H
#define ARCH_GIC_H

#include <hyp/types.h>

/* Physical INTIDs (QEMU virt, ../shared/spec/abi.md §9.3). */
#define GIC_INTID_PMU		23
#define GIC_INTID_MAINTENANCE	25
#define GIC_INTID_HYP_TIMER	26
#define GIC_INTID_VTIMER	27
#define GIC_INTID_PTIMER	30
/* The hypervisor's own SGI: cross-CPU kicks. No VM sees physical SGIs. */
#define GIC_SGI_HYP_KICK	15
/* INTIDs 1020-1023 are special: 1023 says that nothing is pending. */
#define GIC_INTID_SPECIAL	1020

/*
 * Cold boot, before any VM runs: every SPI Group 1, disabled, inactive,
 * level-sensitive, routed to the boot CPU; affinity routing and Group 1
 * on. @mpidr lists the CPUs by index, for routing and redistributors.
 */
void gic_dist_init(const u64 *mpidr, unsigned int nr_cpus);

/*
 * Every CPU, before it enters a VM for the first time after power-on: its
 * redistributor awake with every private interrupt disabled except the
 * hypervisor's (its SGI, the maintenance interrupt, its timer), and the
 * CPU interface at EL2 (priority mask open, EOImode 1, Group 1 on).
 */
void gic_cpu_init(void);

/* Highest SPI INTID the distributor implements. */
u32 gic_max_spi(void);

/* The highest-priority pending interrupt, now active; 1023 if none. */
u32 gic_ack(void);
/* Priority drop of an acknowledged interrupt (it stays active). */
void gic_eoi(u32 intid);
/* Deactivate an interrupt this CPU acknowledged. */
void gic_deactivate(u32 intid);

/*
 * The state of one interrupt; @cpu (an index) names the redistributor of
 * a private one and is ignored for SPIs.
 */
void gic_irq_enable(unsigned int cpu, u32 intid, bool on);
void gic_irq_set_pending(unsigned int cpu, u32 intid, bool on);
void gic_irq_set_active(unsigned int cpu, u32 intid, bool active);
void gic_spi_set_edge(u32 intid, bool edge);
void gic_spi_route(u32 intid, unsigned int cpu);

/* One of this CPU's private interrupts. */
void gic_local_ppi_set_active(u32 intid, bool active);

/* Send the hypervisor's SGI to the CPU of index @cpu. */
void gic_kick_cpu(unsigned int cpu);

#endif
