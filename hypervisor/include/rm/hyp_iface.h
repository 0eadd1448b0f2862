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

#endif
