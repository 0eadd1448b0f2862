/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hypervisor objects that VMs reach through capabilities: message queues,
 * doorbells, vCPUs, and those only the resource manager holds (its
 * partition, capability spaces, interrupt controllers, guest address
 * spaces). Every object starts with a struct object.
 */
#ifndef HYP_OBJECT_H
#define HYP_OBJECT_H

#include <hyp/types.h>

enum object_type {
	OBJECT_NONE,
	OBJECT_MSGQUEUE,
	OBJECT_DOORBELL,
	OBJECT_VCPU,
	OBJECT_PARTITION,
	OBJECT_CSPACE,
	OBJECT_VIC,
	OBJECT_ADDRSPACE,
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
/* What the creator of an object holds: every right. */
#define RIGHTS_ALL		0xffffffffU
#define RIGHT_OBJECT_ACTIVATE	0x80000000U
#define RIGHT_VCPU_POWER	0x1U
#define RIGHT_VCPU_AFFINITY	0x2U
#define RIGHT_VCPU_PRIORITY	0x4U
#define RIGHT_VCPU_TIMESLICE	0x8U
#define RIGHT_VCPU_YIELD_TO	0x10U
#define RIGHT_VCPU_BIND_VIRQ	0x20U
#define RIGHT_VCPU_LIFECYCLE	0x80U
#define RIGHT_VCPU_WRITE_CONTEXT	0x100U
#define RIGHT_ADDRSPACE_ATTACH	0x1U
#define RIGHT_ADDRSPACE_MAP	0x2U
#define RIGHT_PARTITION_OBJECT_CREATE	0x1U
#define RIGHT_CSPACE_CAP_CREATE	0x1U
#define RIGHT_CSPACE_CAP_DELETE	0x2U
#define RIGHT_CSPACE_CAP_COPY	0x4U
#define RIGHT_VIC_BIND_SOURCE	0x1U
#define RIGHT_VIC_ATTACH_VCPU	0x2U

#endif
