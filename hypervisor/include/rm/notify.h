/* SPDX-License-Identifier: GPL-2.0-only */
/* Notifications the RM sends (../shared/spec/abi.md §7.9). */
#ifndef RM_NOTIFY_H
#define RM_NOTIFY_H

#include <rm/rm.h>

#define RM_NOTIFY_VM_EXITED	0x56100001U
#define RM_NOTIFY_VM_SHUTDOWN	0x56100002U
#define RM_NOTIFY_VM_STATUS	0x56100008U

#define RM_VM_STATUS_SIZE	8

/* VM_STATUS: u16 vmid, u16 res0, u8 vm_status, u8 os_status, u16 app_status. */
static inline void rm_vm_status_encode(u8 *p, u16 vmid, u8 vm_status, u8 os_status,
				       u16 app_status)
{
	rm_put_le16(p, vmid);
	rm_put_le16(p + 2, 0);
	p[4] = vm_status;
	p[5] = os_status;
	rm_put_le16(p + 6, app_status);
}

/* Tell @c that VM @vmid changed state; from the RM's own context. */
static inline u32 rm_notify_vm_status(struct rm_client *c, u16 vmid, u8 vm_status,
				      u8 os_status, u16 app_status)
{
	u8 payload[RM_VM_STATUS_SIZE];

	rm_vm_status_encode(payload, vmid, vm_status, os_status, app_status);
	return rm_notify(c, RM_NOTIFY_VM_STATUS, payload, sizeof(payload));
}

#endif
