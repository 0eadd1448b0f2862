/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The resource manager as the hypervisor holds it: a caller of hypercalls
 * with its own capability space (VMID_RM), which the hypervisor fills at
 * boot with what the RM starts from (its partition, its cspace, the
 * primary VM's cspace, the interrupt controllers it binds queues to), and
 * whose interrupts are calls into rm_interrupt(). Linked into the
 * hypervisor for now; its own EL1 VM later (issue 13).
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

/*
 * Build the RM's partition and start the RM (rm_start()), which links
 * itself to @host. Returns 0 or a Gunyah error.
 */
int rm_init(struct hyp_vm *host, const struct rm_host_irqs *irqs);

#endif
