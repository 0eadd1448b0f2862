// SPDX-License-Identifier: GPL-2.0-only
/*
 * VM management messages (../shared/spec/abi.md §7.4) that exist before
 * there are guests: who am I, what kind of host is this, what state is a
 * VM in. Request layouts are checked exactly: a wrong length is
 * MSG_INVALID.
 */
#include <rm/rm.h>

#define RM_VM_GET_STATE		0x56000017U
#define RM_VM_GET_VMID		0x56000024U
#define RM_VM_HOST_GET_TYPE	0x560000a0U

/* AArch64 (0x64), "Gunyah + RM" (bit 8), version 1 (bits 31:24). */
#define RM_HOST_TYPE		0x01000164U

/* VM and OS states (§7.2). */
#define RM_VM_STATE_RUNNING	3
#define RM_OS_STATE_RUN		4

static u32 rm_reply_u32(struct rm_request *req, u32 v)
{
	rm_put_le32(req->reply, v);
	req->reply_len = 4;
	return RM_OK;
}

static u32 rm_vm_get_vmid(struct rm_request *req)
{
	if (req->len)
		return RM_ERROR_MSG_INVALID;
	return rm_reply_u32(req, req->client->vm->vmid);
}

static u32 rm_vm_host_get_type(struct rm_request *req)
{
	if (req->len)
		return RM_ERROR_MSG_INVALID;
	return rm_reply_u32(req, RM_HOST_TYPE);
}

/* vmid16 (0 = the caller) -> u32: vm_state, os_state << 8, app_status << 16 */
static u32 rm_vm_get_state(struct rm_request *req)
{
	u16 vmid;

	if (req->len != 4)
		return RM_ERROR_MSG_INVALID;
	vmid = rm_get_le16(req->data);
	if (vmid == 0)
		vmid = req->client->vm->vmid;
	/* Only the caller itself exists so far: it is running. */
	if (vmid != req->client->vm->vmid)
		return RM_ERROR_VMID_INVALID;
	return rm_reply_u32(req, RM_VM_STATE_RUNNING | RM_OS_STATE_RUN << 8);
}

u32 rm_vm_mgmt_handle(struct rm_request *req)
{
	switch (req->msg_id) {
	case RM_VM_GET_VMID:
		return rm_vm_get_vmid(req);
	case RM_VM_HOST_GET_TYPE:
		return rm_vm_host_get_type(req);
	case RM_VM_GET_STATE:
		return rm_vm_get_state(req);
	default:
		return RM_ERROR_UNIMPLEMENTED;
	}
}
