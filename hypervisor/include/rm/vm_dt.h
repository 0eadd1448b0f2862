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
 * Edit the devicetree at @fdt in place, within @max bytes, and pack it.
 * Returns RM_OK, RM_ERROR_DENIED if it already has /hypervisor,
 * RM_ERROR_NOMEM if the result does not fit, RM_ERROR_MSG_INVALID for a
 * malformed blob.
 */
u32 rm_vm_dt_overlay(void *fdt, size_t max, const struct rm_vm_dt_info *info);

#endif
