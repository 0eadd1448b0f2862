/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The resource manager as the hypervisor holds it: a caller of hypercalls
 * with its own capability space (VMID_RM), which the hypervisor fills at
 * boot with what the RM starts from (its partition, its cspace, the
 * primary VM's cspace, the interrupt controllers it binds queues to), and
 * whose interrupts run it. By default the RM is its own image (rm.elf) in
 * its own EL1 VM (core/rm_vm.c); with RM_AT_EL2 it is linked into the
 * hypervisor and called directly, as before (the host tests do that).
 */
#ifndef HYP_RM_PARTITION_H
#define HYP_RM_PARTITION_H

#include <hyp/smccc.h>
#include <hyp/virq.h>
#include <hyp/vm.h>

/* The primary VM's side of its link: its queue interrupts and their INTIDs. */
struct rm_host_irqs {
	struct virq *tx;	/* room to send */
	struct virq *rx;	/* messages to read */
	u32 tx_intid;
	u32 rx_intid;
	u32 free_irq_start;
};

struct rm_boot_info;
struct rm_link_info;

/*
 * Build the RM's partition and its VM (with RM_AT_EL2, start the RM linked
 * in at once: rm_start(), which links itself to @host). Returns 0 or a
 * Gunyah error.
 */
int rm_init(struct hyp_vm *host, const struct rm_host_irqs *irqs);

/*
 * Run the RM VM's start, up to its first wait, on the boot CPU once its
 * EL2 controls are set (nothing with RM_AT_EL2). Returns 0, or a Gunyah
 * error if the RM did not come up (it is stopped then).
 */
int rm_boot(void);

/* The primary VM's link to the RM, for its devicetree; NULL if it has none. */
const struct rm_link_info *rm_partition_host_link(void);

/* ---- the RM's own VM, core/rm_vm.c ---- */

/* Create it for the caller @vm, linked to the host's @irqs, to start with @info. */
int rmvm_create(struct hyp_vm *vm, const struct rm_host_irqs *irqs,
		 const struct rm_boot_info *info);
int rmvm_boot(void);
/* Its interrupt RM_VIRQ_@virq: run it here, now, unless another CPU does. */
void rmvm_raise(unsigned int virq);
/* Copies from and to its buffers (its IPAs), only inside its memory. */
int rmvm_copy_in(void *dst, u64 src, size_t len);
int rmvm_copy_out(u64 dst, const void *src, size_t len);
/* What it said at HYP_HYPCALL_RM_READY, NULL if it did not (or died). */
const struct rm_link_info *rmvm_host_link(void);

#endif
