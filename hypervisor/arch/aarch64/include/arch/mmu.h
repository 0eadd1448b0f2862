/* SPDX-License-Identifier: GPL-2.0-only */
/* EL2 stage-1 translation of the hypervisor, and stage-2 support for VMs. */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include <hyp/machine.h>
#include <hyp/pgtable.h>

/* Linker-script symbols. */
extern char __hyp_start[], __text_end[], __rodata_end[], __hyp_end[];

/*
 * Build the EL2 tables (RAM and @mmio identity-mapped, the image W^X) and
 * turn the MMU on for this CPU. Returns 0 or a Gunyah error.
 */
int arch_mmu_init(const struct machine *m, const struct mem_range *mmio);

/* Table-page and TLB operations for stage-2 tables of the current VMID. */
extern const struct pgtable_ops arch_s2_ops;

/* VTCR_EL2 for 39-bit IPA spaces walked from level 1. */
u64 arch_vtcr(void);

#endif
