/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A guest's address space as the resource manager names it: one
 * capability object for the guest the hypervisor builds (include/hyp/
 * guest_ops.h), which is at the same time its virtual GIC (the real
 * Gunyah's addrspace and vic objects are one here). Configured with the
 * guest's VMID, then activated: only then does the guest exist.
 */
#ifndef HYP_ADDRSPACE_H
#define HYP_ADDRSPACE_H

#include <hyp/object.h>

struct hyp_guest;

struct addrspace {
	struct object obj;
	u16 vmid;		/* addrspace_configure */
	struct hyp_guest *guest;	/* object_activate */
	/* vic_configure, then addrspace_attach_vdevice of the distributor */
	unsigned int max_vcpus;
	u64 gicd;
};

#endif
