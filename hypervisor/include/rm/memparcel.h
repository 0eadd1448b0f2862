/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Memory parcels (../shared/spec/abi.md §7.6): memory the primary VM shares
 * or lends to the VMs it owns, named by a handle the RM returns.
 */
#ifndef RM_MEMPARCEL_H
#define RM_MEMPARCEL_H

#include <rm/rm.h>

#define RM_MEM_LEND		0x51000012U
#define RM_MEM_SHARE		0x51000013U
#define RM_MEM_RECLAIM		0x51000015U
#define RM_MEM_APPEND		0x51000018U

/* Per list, as Linux splits them. */
#define RM_PARCEL_MAX_LIST	512
#define RM_PARCEL_MAX_ACL	8

u32 rm_memparcel_handle(struct rm_request *req);

/* Forget every parcel (at RM start). */
void rm_memparcel_init(void);

/* Whether @vmid is a VM that @owner allocated. */
bool rm_vm_owned_by(u16 vmid, u16 owner);

/* Whether any parcel is given to @vmid. */
bool rm_memparcel_vm_in_use(u16 vmid);

/* The size of a complete parcel of @owner given to @borrower. */
bool rm_memparcel_size(u32 handle, u16 owner, u16 borrower, u64 *size);

/* Copy bytes [@off, @off + @len) of such a parcel. 0 or a Gunyah error. */
int rm_memparcel_read(u32 handle, u16 owner, u16 borrower, u64 off, void *dst, u64 len);
int rm_memparcel_write(u32 handle, u16 owner, u16 borrower, u64 off, const void *src,
		       u64 len);

/* Map such a parcel into the stage 2 of @guest (a cap), contiguous from @ipa. */
int rm_memparcel_map(u32 handle, u16 owner, u16 borrower, u64 guest, u64 ipa);

/* Unmap every parcel of @borrower from @guest. */
void rm_memparcel_unmap_all(u16 borrower, u64 guest);

#endif
