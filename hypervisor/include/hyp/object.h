/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hypervisor objects that VMs reach through capabilities: message queues,
 * doorbells (and later vCPUs). Every object starts with a struct object.
 */
#ifndef HYP_OBJECT_H
#define HYP_OBJECT_H

#include <hyp/types.h>

enum object_type {
	OBJECT_NONE,
	OBJECT_MSGQUEUE,
	OBJECT_DOORBELL,
	OBJECT_VCPU,
};

struct object {
	enum object_type type;
};

/* Rights (../shared/spec/abi.md §1.7). */
#define RIGHT_MSGQ_SEND		0x1U
#define RIGHT_MSGQ_RECEIVE	0x2U
#define RIGHT_MSGQ_BIND_SEND	0x4U
#define RIGHT_MSGQ_BIND_RECEIVE	0x8U
#define RIGHT_DOORBELL_SEND	0x1U
#define RIGHT_DOORBELL_RECEIVE	0x2U
#define RIGHT_DOORBELL_BIND	0x4U
#define RIGHT_VCPU_AFFINITY	0x2U
#define RIGHT_VCPU_YIELD_TO	0x10U

#endif
