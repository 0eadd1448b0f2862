// SPDX-License-Identifier: GPL-2.0-only
/*
 * VM management messages (../shared/spec/abi.md §7.4): VMID allocation,
 * identity, state. Request layouts are checked exactly: a wrong length is
 * MSG_INVALID. Only the primary VM may create VMs; a VM is managed by the
 * VM that allocated it (its owner).
 */
#include <string.h>
#include <rm/memparcel.h>
#include <rm/rm.h>

#define RM_VM_ALLOCATE		0x56000001U
#define RM_VM_DEALLOCATE	0x56000002U
#define RM_VM_GET_STATE		0x56000017U
#define RM_VM_GET_VMID		0x56000024U
#define RM_VM_HOST_GET_TYPE	0x560000a0U

/* AArch64 (0x64), "Gunyah + RM" (bit 8), version 1 (bits 31:24). */
#define RM_HOST_TYPE		0x01000164U

/* VMIDs (§7.1): static 1..63, dynamic 0x80..0xbf. */
#define RM_VMID_STATIC_MAX	63
#define RM_VMID_DYNAMIC_FIRST	0x80
#define RM_VMID_DYNAMIC_LAST	0xbf

/* VM and OS states (§7.2). */
#define RM_VM_STATE_RUNNING	3
#define RM_VM_STATE_LOAD	5
#define RM_OS_STATE_NONE	0
#define RM_OS_STATE_RUN		4

#define RM_MAX_VMS		64

struct rm_vm {
	u16 vmid;		/* 0: free slot */
	u16 owner;
	u8 vm_state;
	u8 os_state;
	u16 app_status;
};

static struct rm_vm vms[RM_MAX_VMS];

void rm_vm_table_init(void)
{
	memset(vms, 0, sizeof(vms));
}

static struct rm_vm *rm_vm_find(u16 vmid)
{
	unsigned int i;

	for (i = 0; vmid && i < RM_MAX_VMS; i++)
		if (vms[i].vmid == vmid)
			return &vms[i];
	return NULL;
}

bool rm_vm_owned_by(u16 vmid, u16 owner)
{
	const struct rm_vm *vm = rm_vm_find(vmid);

	return vm && vm->owner == owner;
}

static u32 rm_reply_u32(struct rm_request *req, u32 v)
{
	rm_put_le32(req->reply, v);
	req->reply_len = 4;
	return RM_OK;
}

static bool rm_caller_is_hlos(const struct rm_request *req)
{
	return req->client->vm->vmid == VMID_HLOS;
}

/* vmid16: a u16 VMID and two bytes of padding, which must be zero. */
static bool rm_get_vmid16(const struct rm_request *req, u16 *vmid)
{
	if (req->len != 4 || rm_get_le16(req->data + 2))
		return false;
	*vmid = rm_get_le16(req->data);
	return true;
}

static u32 rm_vm_allocate(struct rm_request *req)
{
	struct rm_vm *slot = NULL;
	u16 vmid, v;
	unsigned int i;

	if (!rm_get_vmid16(req, &vmid))
		return RM_ERROR_MSG_INVALID;
	if (!rm_caller_is_hlos(req))
		return RM_ERROR_DENIED;
	if (vmid > RM_VMID_STATIC_MAX)
		return RM_ERROR_VMID_INVALID;
	/* The primary VM's own VMID is as taken as any allocated one. */
	if (vmid && (vmid == VMID_HLOS || rm_vm_find(vmid)))
		return RM_ERROR_BUSY;

	for (i = 0; i < RM_MAX_VMS && !slot; i++)
		if (!vms[i].vmid)
			slot = &vms[i];
	if (!slot)
		return RM_ERROR_NORESOURCE;
	if (!vmid) {
		for (v = RM_VMID_DYNAMIC_FIRST; v <= RM_VMID_DYNAMIC_LAST; v++)
			if (!rm_vm_find(v))
				break;
		/* 64 dynamic VMIDs for 64 slots: one is always free here. */
		vmid = v;
	}
	*slot = (struct rm_vm){
		.vmid = vmid,
		.owner = req->client->vm->vmid,
		.vm_state = RM_VM_STATE_LOAD,
		.os_state = RM_OS_STATE_NONE,
	};
	/* A static VMID was asked for and given: no reply data. */
	if (vmid <= RM_VMID_STATIC_MAX)
		return RM_OK;
	return rm_reply_u32(req, vmid);
}

static u32 rm_vm_deallocate(struct rm_request *req)
{
	struct rm_vm *vm;
	u16 vmid;

	if (!rm_get_vmid16(req, &vmid))
		return RM_ERROR_MSG_INVALID;
	vm = rm_vm_find(vmid);
	if (!vm)
		return RM_ERROR_VMID_INVALID;
	if (vm->owner != req->client->vm->vmid)
		return RM_ERROR_DENIED;
	/* A VM that runs must be stopped and reset first. */
	if (vm->vm_state == RM_VM_STATE_RUNNING)
		return RM_ERROR_VM_STATE;
	/* Its memory must be reclaimed first. */
	if (rm_memparcel_vm_in_use(vmid))
		return RM_ERROR_IN_USE;
	memset(vm, 0, sizeof(*vm));
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
	u16 caller = req->client->vm->vmid;
	struct rm_vm *vm;
	u16 vmid;

	if (!rm_get_vmid16(req, &vmid))
		return RM_ERROR_MSG_INVALID;
	if (vmid == 0 || vmid == caller) {
		/* Only running VMs talk to the RM. */
		return rm_reply_u32(req, RM_VM_STATE_RUNNING | RM_OS_STATE_RUN << 8);
	}
	vm = rm_vm_find(vmid);
	/* Only the owner may ask about a VM. */
	if (!vm || vm->owner != caller)
		return RM_ERROR_VMID_INVALID;
	return rm_reply_u32(req, vm->vm_state | (u32)vm->os_state << 8 |
				 (u32)vm->app_status << 16);
}

u32 rm_vm_mgmt_handle(struct rm_request *req)
{
	switch (req->msg_id) {
	case RM_VM_ALLOCATE:
		return rm_vm_allocate(req);
	case RM_VM_DEALLOCATE:
		return rm_vm_deallocate(req);
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
