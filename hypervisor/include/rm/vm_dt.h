/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The RM's changes to a guest's devicetree at VM_START
 * (../shared/spec/abi.md §8.2): /hypervisor with the qcom,gunyah-vm child,
 * and /memory rewritten to the memory the guest really has. Pure logic
 * (libfdt), unit-tested on the host.
 */
#ifndef RM_VM_DT_H
#define RM_VM_DT_H

#include <hyp/types.h>

struct rm_vm_dt_info {
	u16 vmid;
	u16 owner;
	const char *image_name;
	u64 mem_base;
	u64 mem_size;
};

/*
 * Edit the devicetree at @fdt (8-byte aligned) in place, within @max
 * bytes, and pack it. Returns RM_OK, RM_ERROR_MEM_INVALID for a malformed
 * blob (dt_check(); then nothing was written), RM_ERROR_DENIED if it
 * already has /hypervisor, RM_ERROR_NORESOURCE if it has no /chosen (the
 * node the real RM's overlay patches), RM_ERROR_NOMEM if the result does
 * not fit. VM_START answers NORESOURCE for all of them, as the real RM.
 */
u32 rm_vm_dt_overlay(void *fdt, size_t max, const struct rm_vm_dt_info *info);

#endif
