/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Everything the resource manager asks of the hypervisor besides ordinary
 * hypercalls: these stand for the object-creation and binding hypercalls
 * the real RM issues (partition_create_msgqueue + msgqueue_configure,
 * cspace_copy_cap, msgqueue_bind_send_virq / bind_receive_virq).
 */
#ifndef RM_HYP_IFACE_H
#define RM_HYP_IFACE_H

#include <hyp/cspace.h>
#include <hyp/msgq.h>
#include <hyp/objects.h>

static inline struct object *hyp_msgq_object(struct msgq *q)
{
	return &q->obj;
}

/* Bind the interrupts of a queue: the sender's "not full", the receiver's "not empty". */
static inline void hyp_msgq_bind(struct msgq *q, struct virq *send, struct virq *recv)
{
	q->send_virq = send;
	q->recv_virq = recv;
}

/*
 * Memory of the primary VM given to another VM: the ownership record
 * changes, and lent memory leaves the primary VM's stage 2 (shared memory
 * stays). @tag is the parcel handle. These stand for the real RM's
 * memextent donate/map hypercalls. Each returns 0 or a Gunyah error
 * (GUNYAH_ERROR_MEMDB_NOT_OWNER, GUNYAH_ERROR_MEMDB_EMPTY, ...); on error
 * nothing changed.
 */
int hyp_host_mem_give(paddr_t base, u64 size, bool lend, u16 borrower, u32 tag);

/* Undo hyp_host_mem_give(); zero the pages first if @sanitize. */
int hyp_host_mem_take_back(paddr_t base, u64 size, bool lend, u16 borrower, u32 tag,
			   bool sanitize);

#endif
