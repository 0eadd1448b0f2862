/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a hypercall needs to know about its caller: the caller's VMID, its
 * capability space, and how to copy from and to the buffers it names (a VM
 * passes EL1 virtual addresses; the resource manager, hypervisor pointers).
 */
#ifndef HYP_VM_H
#define HYP_VM_H

#include <hyp/cspace.h>
#include <hyp/msgq.h>

struct hyp_vm {
	u16 vmid;
	struct cspace cspace;
	msgq_copy_in_fn copy_from;
	msgq_copy_out_fn copy_to;
};

/* VMIDs of ../shared/spec/abi.md §7.1. */
#define VMID_HYP		0
#define VMID_HLOS		3
#define VMID_RM			0xff

#endif
