// SPDX-License-Identifier: GPL-2.0-only
/*
 * Gunyah Resource Manager: one function per RM message the VM manager uses,
 * and decoders of the notification payloads (abi.md 7.4-7.6, 7.9).
 *
 * Every reply is checked against the size its message defines; a reply of
 * another size fails with -EBADMSG.
 */

#include <linux/device.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/unaligned.h>

#include "rsc_mgr.h"

/* Requests */

struct gunyah_rm_vm_common_vmid_req {
	__le16 vmid;
	__le16 _padding;
} __packed;

struct gunyah_rm_vm_stop_req {
	__le16 vmid;
	u8 flags;
	u8 _padding;
	__le32 stop_reason;
} __packed;

struct gunyah_rm_vm_config_image_req {
	__le16 vmid;
	__le16 auth_mech;
	__le32 mem_handle;
	__le64 image_offset;
	__le64 image_size;
	__le64 dtb_offset;
	__le64 dtb_size;
} __packed;

struct gunyah_rm_vm_set_boot_context_req {
	__le16 vmid;
	u8 reg_set;
	u8 reg_index;
	__le32 _padding;
	__le64 value;
} __packed;

struct gunyah_rm_vm_set_firmware_mem_req {
	__le16 vmid;
	__le16 _padding;
	__le32 mem_handle;
	__le64 fw_offset;
	__le64 fw_size;
} __packed;

/* Head of an ACL, SGL or attribute list */
struct gunyah_rm_mem_list_hdr {
	__le16 n_entries;
	__le16 _reserved;
} __packed;

/* MEM_LEND, MEM_SHARE: followed by the ACL, SGL and attribute lists */
struct gunyah_rm_mem_share_req_header {
	u8 mem_type;
	u8 _reserved0;
	u8 flags;
	u8 _reserved1;
	__le32 label;
} __packed;

/* MEM_APPEND: followed by an SGL list */
struct gunyah_rm_mem_append_req_header {
	__le32 mem_handle;
	u8 flags;
	u8 _reserved[3];
} __packed;

/* MEM_RECLAIM */
struct gunyah_rm_mem_release_req {
	__le32 mem_handle;
	u8 flags;
	u8 _reserved[3];
} __packed;

static_assert(sizeof(struct gunyah_rm_vm_stop_req) == 8);
static_assert(sizeof(struct gunyah_rm_vm_config_image_req) == 40);
static_assert(sizeof(struct gunyah_rm_vm_set_boot_context_req) == 16);
static_assert(sizeof(struct gunyah_rm_vm_set_firmware_mem_req) == 24);
static_assert(sizeof(struct gunyah_rm_mem_share_req_header) == 8);
static_assert(sizeof(struct gunyah_rm_mem_append_req_header) == 8);

/*
 * A call whose reply carries exactly @resp_size bytes of data (0 for a
 * standard reply), copied to @resp.
 */
static int gunyah_rm_call_sized(struct gunyah_rm *rm, u32 message_id,
				const void *req, size_t req_size, void *resp,
				size_t resp_size)
{
	size_t size;
	void *buf;
	int ret;

	ret = gunyah_rm_call(rm, message_id, req, req_size, &buf, &size);
	if (ret)
		return ret;

	if (size != resp_size) {
		dev_warn_ratelimited(gunyah_rm_dev(rm),
				     "reply to message %#x has %zu bytes of data, expected %zu\n",
				     message_id, size, resp_size);
		ret = -EBADMSG;
	} else if (size) {
		memcpy(resp, buf, size);
	}

	kfree(buf);
	return ret;
}

static int gunyah_rm_common_vmid_call(struct gunyah_rm *rm, u32 message_id,
				      u16 vmid)
{
	struct gunyah_rm_vm_common_vmid_req req = {
		.vmid = cpu_to_le16(vmid),
	};

	return gunyah_rm_call_sized(rm, message_id, &req, sizeof(req), NULL, 0);
}

/**
 * gunyah_rm_alloc_vmid() - Allocate a VMID (VM_ALLOCATE)
 * @rm: the RM
 * @vmid: a static VMID to allocate, or 0 for a dynamic one
 *
 * Context: Process context; sleeps.
 * Return: the VMID allocated, or a negative errno (-EBADMSG if the RM
 * returned VMID 0 or one above 16 bits).
 */
int gunyah_rm_alloc_vmid(struct gunyah_rm *rm, u16 vmid)
{
	struct gunyah_rm_vm_common_vmid_req req = {
		.vmid = cpu_to_le16(vmid),
	};
	__le32 resp;
	u32 new_vmid;
	int ret;

	if (vmid) {
		ret = gunyah_rm_call_sized(rm, GUNYAH_RM_RPC_VM_ALLOC_VMID,
					   &req, sizeof(req), NULL, 0);
		return ret ?: vmid;
	}

	ret = gunyah_rm_call_sized(rm, GUNYAH_RM_RPC_VM_ALLOC_VMID, &req,
				   sizeof(req), &resp, sizeof(resp));
	if (ret)
		return ret;

	new_vmid = le32_to_cpu(resp);
	if (!new_vmid || new_vmid >= GUNYAH_VMID_INVAL)
		return -EBADMSG;

	return new_vmid;
}
EXPORT_SYMBOL_GPL(gunyah_rm_alloc_vmid);

/**
 * gunyah_rm_dealloc_vmid() - Free a VMID (VM_DEALLOCATE)
 * @rm: the RM
 * @vmid: the VMID, of a VM in the RESET or LOAD state
 *
 * Context: Process context; sleeps.
 * Return: 0 or a negative errno.
 */
int gunyah_rm_dealloc_vmid(struct gunyah_rm *rm, u16 vmid)
{
	return gunyah_rm_common_vmid_call(rm, GUNYAH_RM_RPC_VM_DEALLOC_VMID,
					  vmid);
}
EXPORT_SYMBOL_GPL(gunyah_rm_dealloc_vmid);

/**
 * gunyah_rm_vm_start() - Start a VM (VM_START)
 * @rm: the RM
 * @vmid: the VM, in the READY state
 *
 * Context: Process context; sleeps.
 * Return: 0 or a negative errno.
 */
int gunyah_rm_vm_start(struct gunyah_rm *rm, u16 vmid)
{
	return gunyah_rm_common_vmid_call(rm, GUNYAH_RM_RPC_VM_START, vmid);
}
EXPORT_SYMBOL_GPL(gunyah_rm_vm_start);

/**
 * gunyah_rm_vm_stop() - Stop a VM (VM_STOP)
 * @rm: the RM
 * @vmid: the VM
 * @flags: %GUNYAH_RM_VM_STOP_FLAG_FORCE_STOP to stop it at once, else the
 *	VM is asked to shut down
 * @stop_reason: reason given to the VM, such as
 *	%GUNYAH_RM_VM_STOP_REASON_FORCE_STOP
 *
 * Context: Process context; sleeps.
 * Return: 0 or a negative errno.
 */
int gunyah_rm_vm_stop(struct gunyah_rm *rm, u16 vmid, u8 flags,
		      u32 stop_reason)
{
	struct gunyah_rm_vm_stop_req req = {
		.vmid = cpu_to_le16(vmid),
		.flags = flags,
		.stop_reason = cpu_to_le32(stop_reason),
	};

	return gunyah_rm_call_sized(rm, GUNYAH_RM_RPC_VM_STOP, &req,
				    sizeof(req), NULL, 0);
}
EXPORT_SYMBOL_GPL(gunyah_rm_vm_stop);

/**
 * gunyah_rm_vm_reset() - Reset a VM, releasing its resources (VM_RESET)
 * @rm: the RM
 * @vmid: the VM
 *
 * The reset completes when the RM sends VM_STATUS with status RESET.
 *
 * Context: Process context; sleeps.
 * Return: 0 or a negative errno.
 */
int gunyah_rm_vm_reset(struct gunyah_rm *rm, u16 vmid)
{
	return gunyah_rm_common_vmid_call(rm, GUNYAH_RM_RPC_VM_RESET, vmid);
}
EXPORT_SYMBOL_GPL(gunyah_rm_vm_reset);

/**
 * gunyah_rm_vm_configure() - Tell the RM where a VM's image and devicetree
 *	are (VM_CONFIG_IMAGE)
 * @rm: the RM
 * @vmid: the VM
 * @auth_mechanism: authentication of the image
 * @mem_handle: the memory parcel holding the image and the devicetree
 * @image_offset: offset of the image in the parcel
 * @image_size: size of the image
 * @dtb_offset: offset of the devicetree in the parcel
 * @dtb_size: size of the devicetree
 *
 * Context: Process context; sleeps.
 * Return: 0 or a negative errno.
 */
int gunyah_rm_vm_configure(struct gunyah_rm *rm, u16 vmid,
			   enum gunyah_rm_vm_auth_mechanism auth_mechanism,
			   u32 mem_handle, u64 image_offset, u64 image_size,
			   u64 dtb_offset, u64 dtb_size)
{
	struct gunyah_rm_vm_config_image_req req = {
		.vmid = cpu_to_le16(vmid),
		.auth_mech = cpu_to_le16(auth_mechanism),
		.mem_handle = cpu_to_le32(mem_handle),
		.image_offset = cpu_to_le64(image_offset),
		.image_size = cpu_to_le64(image_size),
		.dtb_offset = cpu_to_le64(dtb_offset),
		.dtb_size = cpu_to_le64(dtb_size),
	};

	return gunyah_rm_call_sized(rm, GUNYAH_RM_RPC_VM_CONFIG_IMAGE, &req,
				    sizeof(req), NULL, 0);
}
EXPORT_SYMBOL_GPL(gunyah_rm_vm_configure);

/**
 * gunyah_rm_vm_init() - Have the RM build a VM from its configuration
 *	(VM_INIT)
 * @rm: the RM
 * @vmid: the VM
 *
 * Context: Process context; sleeps.
 * Return: 0 or a negative errno.
 */
int gunyah_rm_vm_init(struct gunyah_rm *rm, u16 vmid)
{
	return gunyah_rm_common_vmid_call(rm, GUNYAH_RM_RPC_VM_INIT, vmid);
}
EXPORT_SYMBOL_GPL(gunyah_rm_vm_init);

/**
 * gunyah_rm_get_hyp_resources() - Get the capabilities this VM holds to a
 *	VM's objects (VM_GET_HYP_RESOURCES)
 * @rm: the RM
 * @vmid: the VM
 * @resources: filled with the reply (kmalloc'd; kfree() it) on success
 *
 * The reply is checked to hold exactly n_entries entries.
 *
 * Context: Process context; sleeps.
 * Return: 0, -EBADMSG if the entry count does not match the reply's size,
 * or another negative errno.
 */
int gunyah_rm_get_hyp_resources(struct gunyah_rm *rm, u16 vmid,
				struct gunyah_rm_hyp_resources **resources)
{
	struct gunyah_rm_vm_common_vmid_req req = {
		.vmid = cpu_to_le16(vmid),
	};
	struct gunyah_rm_hyp_resources *resp;
	size_t resp_size;
	int ret;

	ret = gunyah_rm_call(rm, GUNYAH_RM_RPC_VM_GET_HYP_RESOURCES, &req,
			     sizeof(req), (void **)&resp, &resp_size);
	if (ret)
		return ret;

	/* struct_size() saturates: a huge n_entries cannot wrap around. */
	if (resp_size < sizeof(*resp) ||
	    resp_size != struct_size(resp, entries,
				     le32_to_cpu(resp->n_entries))) {
		dev_warn_ratelimited(gunyah_rm_dev(rm),
				     "VM_GET_HYP_RESOURCES reply of %zu bytes does not hold %u entries\n",
				     resp_size,
				     resp_size >= sizeof(*resp) ?
				     le32_to_cpu(resp->n_entries) : 0);
		kfree(resp);
		return -EBADMSG;
	}

	*resources = resp;
	return 0;
}
EXPORT_SYMBOL_GPL(gunyah_rm_get_hyp_resources);

/**
 * gunyah_rm_get_vmid() - Get this VM's VMID (VM_GET_VMID)
 * @rm: the RM
 * @vmid: filled with the VMID on success
 *
 * Only the first successful call asks the RM; the answer is cached.
 *
 * Context: Process context; sleeps.
 * Return: 0, -EBADMSG if the VMID does not fit 16 bits, or another
 * negative errno.
 */
int gunyah_rm_get_vmid(struct gunyah_rm *rm, u16 *vmid)
{
	__le32 resp;
	u32 id;
	int ret;

	if (gunyah_rm_cached_vmid(rm, vmid))
		return 0;

	ret = gunyah_rm_call_sized(rm, GUNYAH_RM_RPC_VM_GET_VMID, NULL, 0,
				   &resp, sizeof(resp));
	if (ret)
		return ret;

	id = le32_to_cpu(resp);
	if (id >= GUNYAH_VMID_INVAL)
		return -EBADMSG;

	gunyah_rm_cache_vmid(rm, id);
	*vmid = id;
	return 0;
}
EXPORT_SYMBOL_GPL(gunyah_rm_get_vmid);

/**
 * gunyah_rm_vm_get_state() - Get a VM's state (VM_GET_STATE)
 * @rm: the RM
 * @vmid: the VM, 0 for this one
 * @state: filled with the VM, OS and application status on success
 *
 * Context: Process context; sleeps.
 * Return: 0 or a negative errno.
 */
int gunyah_rm_vm_get_state(struct gunyah_rm *rm, u16 vmid,
			   struct gunyah_rm_vm_state *state)
{
	struct gunyah_rm_vm_common_vmid_req req = {
		.vmid = cpu_to_le16(vmid),
	};
	__le32 resp;
	u32 word;
	int ret;

	ret = gunyah_rm_call_sized(rm, GUNYAH_RM_RPC_VM_GET_STATE, &req,
				   sizeof(req), &resp, sizeof(resp));
	if (ret)
		return ret;

	word = le32_to_cpu(resp);
	state->vm_status = word & 0xff;
	state->os_status = (word >> 8) & 0xff;
	state->app_status = word >> 16;
	return 0;
}
EXPORT_SYMBOL_GPL(gunyah_rm_vm_get_state);

/**
 * gunyah_rm_host_get_type() - Get the host type word (VM_HOST_GET_TYPE)
 * @rm: the RM
 * @type: filled with the word on success (0x01000164 for AArch64 Gunyah
 *	with an RM, version 1)
 *
 * Context: Process context; sleeps.
 * Return: 0 or a negative errno.
 */
int gunyah_rm_host_get_type(struct gunyah_rm *rm, u32 *type)
{
	__le32 resp;
	int ret;

	ret = gunyah_rm_call_sized(rm, GUNYAH_RM_RPC_VM_HOST_GET_TYPE, NULL, 0,
				   &resp, sizeof(resp));
	if (ret)
		return ret;

	*type = le32_to_cpu(resp);
	return 0;
}
EXPORT_SYMBOL_GPL(gunyah_rm_host_get_type);

/**
 * gunyah_rm_vm_set_boot_context() - Set a register of a VM's boot vCPU
 *	(VM_SET_BOOT_CONTEXT)
 * @rm: the RM
 * @vmid: the VM, after VM_INIT and before VM_START
 * @reg_set: &enum gunyah_rm_boot_context_reg
 * @reg_index: register in the set
 * @value: the value
 *
 * Only RMs of the demand-paging generation implement this message; the
 * open-source RM answers -EOPNOTSUPP.
 *
 * Context: Process context; sleeps.
 * Return: 0 or a negative errno.
 */
int gunyah_rm_vm_set_boot_context(struct gunyah_rm *rm, u16 vmid, u8 reg_set,
				  u8 reg_index, u64 value)
{
	struct gunyah_rm_vm_set_boot_context_req req = {
		.vmid = cpu_to_le16(vmid),
		.reg_set = reg_set,
		.reg_index = reg_index,
		.value = cpu_to_le64(value),
	};

	return gunyah_rm_call_sized(rm, GUNYAH_RM_RPC_VM_SET_BOOT_CONTEXT, &req,
				    sizeof(req), NULL, 0);
}
EXPORT_SYMBOL_GPL(gunyah_rm_vm_set_boot_context);

/**
 * gunyah_rm_vm_set_firmware_mem() - Give a VM its firmware
 *	(VM_SET_FIRMWARE_MEM)
 * @rm: the RM
 * @vmid: the VM, in the INIT state
 * @mem_handle: the memory parcel holding the firmware
 * @fw_offset: offset of the firmware in the parcel
 * @fw_size: size of the firmware
 *
 * Context: Process context; sleeps.
 * Return: 0 or a negative errno.
 */
int gunyah_rm_vm_set_firmware_mem(struct gunyah_rm *rm, u16 vmid,
				  u32 mem_handle, u64 fw_offset, u64 fw_size)
{
	struct gunyah_rm_vm_set_firmware_mem_req req = {
		.vmid = cpu_to_le16(vmid),
		.mem_handle = cpu_to_le32(mem_handle),
		.fw_offset = cpu_to_le64(fw_offset),
		.fw_size = cpu_to_le64(fw_size),
	};

	return gunyah_rm_call_sized(rm, GUNYAH_RM_RPC_VM_SET_FIRMWARE_MEM, &req,
				    sizeof(req), NULL, 0);
}
EXPORT_SYMBOL_GPL(gunyah_rm_vm_set_firmware_mem);

/* ---------------------------------------------------------------------- */
/* Memory parcels                                                         */

static void *gunyah_rm_put_list(void *p, const void *entries, size_t n,
				size_t entry_size)
{
	struct gunyah_rm_mem_list_hdr *hdr = p;

	hdr->n_entries = cpu_to_le16(n);
	hdr->_reserved = 0;
	if (n)
		memcpy(hdr + 1, entries, n * entry_size);

	return (u8 *)(hdr + 1) + n * entry_size;
}

static int gunyah_rm_mem_append(struct gunyah_rm *rm, u32 mem_handle,
				const struct gunyah_rm_mem_entry *entries,
				size_t n_entries)
{
	struct gunyah_rm_mem_append_req_header *req;
	size_t n, req_size;
	int ret = 0;

	req = kmalloc(sizeof(*req) + sizeof(struct gunyah_rm_mem_list_hdr) +
		      GUNYAH_RM_MAX_MEM_ENTRIES * sizeof(*entries), GFP_KERNEL);
	if (!req)
		return -ENOMEM;

	while (n_entries) {
		n = min_t(size_t, n_entries, GUNYAH_RM_MAX_MEM_ENTRIES);

		req->mem_handle = cpu_to_le32(mem_handle);
		req->flags = n == n_entries ? GUNYAH_RM_MEM_APPEND_REQ_FLAGS_END : 0;
		memset(req->_reserved, 0, sizeof(req->_reserved));
		req_size = (u8 *)gunyah_rm_put_list(req + 1, entries, n,
						    sizeof(*entries)) - (u8 *)req;

		ret = gunyah_rm_call_sized(rm, GUNYAH_RM_RPC_MEM_APPEND, req,
					   req_size, NULL, 0);
		if (ret)
			break;

		entries += n;
		n_entries -= n;
	}

	kfree(req);
	return ret;
}

static int gunyah_rm_mem_lend_common(struct gunyah_rm *rm, u32 message_id,
				     struct gunyah_rm_mem_parcel *p)
{
	struct gunyah_rm_mem_share_req_header *req;
	size_t n_mem, req_size;
	__le32 resp;
	void *end;
	u32 handle;
	int ret;

	p->mem_handle = GUNYAH_MEM_HANDLE_INVAL;

	if (p->mem_type != GUNYAH_RM_MEM_TYPE_NORMAL &&
	    p->mem_type != GUNYAH_RM_MEM_TYPE_IO)
		return -EINVAL;

	if (!p->n_acl_entries || p->n_acl_entries > GUNYAH_RM_MAX_MEM_ENTRIES ||
	    !p->acl_entries || !p->n_mem_entries || !p->mem_entries)
		return -EINVAL;

	/* The first GUNYAH_RM_MAX_MEM_ENTRIES ranges; MEM_APPEND the rest */
	n_mem = min_t(size_t, p->n_mem_entries, GUNYAH_RM_MAX_MEM_ENTRIES);

	req_size = sizeof(*req) +
		   sizeof(struct gunyah_rm_mem_list_hdr) +
		   p->n_acl_entries * sizeof(*p->acl_entries) +
		   sizeof(struct gunyah_rm_mem_list_hdr) +
		   n_mem * sizeof(*p->mem_entries) +
		   sizeof(struct gunyah_rm_mem_list_hdr);

	req = kzalloc(req_size, GFP_KERNEL);
	if (!req)
		return -ENOMEM;

	req->mem_type = p->mem_type;
	req->label = cpu_to_le32(p->label);
	if (p->n_mem_entries > n_mem)
		req->flags = GUNYAH_RM_MEM_SHARE_REQ_FLAGS_APPEND;

	end = gunyah_rm_put_list(req + 1, p->acl_entries, p->n_acl_entries,
				 sizeof(*p->acl_entries));
	end = gunyah_rm_put_list(end, p->mem_entries, n_mem,
				 sizeof(*p->mem_entries));
	/* No attributes */
	end = gunyah_rm_put_list(end, NULL, 0, 0);
	WARN_ON((u8 *)end - (u8 *)req != req_size);

	ret = gunyah_rm_call_sized(rm, message_id, req, req_size, &resp,
				   sizeof(resp));
	kfree(req);
	if (ret)
		return ret;

	handle = le32_to_cpu(resp);

	if (p->n_mem_entries > n_mem) {
		ret = gunyah_rm_mem_append(rm, handle, p->mem_entries + n_mem,
					   p->n_mem_entries - n_mem);
		if (ret) {
			struct gunyah_rm_mem_parcel incomplete = *p;

			/*
			 * Take the incomplete parcel back. If even that fails,
			 * report its handle: the memory still belongs to it.
			 */
			incomplete.mem_handle = handle;
			if (gunyah_rm_mem_reclaim(rm, &incomplete))
				p->mem_handle = handle;
			return ret;
		}
	}

	p->mem_handle = handle;
	return 0;
}

/**
 * gunyah_rm_mem_lend() - Lend memory to other VMs (MEM_LEND)
 * @rm: the RM
 * @parcel: the parcel. On success @parcel->mem_handle is set.
 *
 * The lent memory is no longer accessible to this VM until it is
 * reclaimed. More than %GUNYAH_RM_MAX_MEM_ENTRIES ranges are sent in
 * further MEM_APPEND messages, the last one flagged END; if one fails, the
 * parcel is reclaimed.
 *
 * Context: Process context; sleeps.
 * Return: 0 or a negative errno. On failure @parcel->mem_handle is
 * %GUNYAH_MEM_HANDLE_INVAL, unless the RM created the parcel and refused
 * both to complete and to reclaim it: then it holds the handle and the
 * memory must not be reused.
 */
int gunyah_rm_mem_lend(struct gunyah_rm *rm,
		       struct gunyah_rm_mem_parcel *parcel)
{
	return gunyah_rm_mem_lend_common(rm, GUNYAH_RM_RPC_MEM_LEND, parcel);
}
EXPORT_SYMBOL_GPL(gunyah_rm_mem_lend);

/**
 * gunyah_rm_mem_share() - Share memory with other VMs (MEM_SHARE)
 * @rm: the RM
 * @parcel: the parcel; its ACL must include this VM. On success
 *	@parcel->mem_handle is set.
 *
 * Like gunyah_rm_mem_lend(), except that this VM keeps access.
 *
 * Context: Process context; sleeps.
 * Return: as gunyah_rm_mem_lend().
 */
int gunyah_rm_mem_share(struct gunyah_rm *rm,
			struct gunyah_rm_mem_parcel *parcel)
{
	return gunyah_rm_mem_lend_common(rm, GUNYAH_RM_RPC_MEM_SHARE, parcel);
}
EXPORT_SYMBOL_GPL(gunyah_rm_mem_share);

/**
 * gunyah_rm_mem_reclaim() - Take back a lent or shared parcel
 *	(MEM_RECLAIM)
 * @rm: the RM
 * @parcel: the parcel; on success @parcel->mem_handle becomes
 *	%GUNYAH_MEM_HANDLE_INVAL
 *
 * Fails (-EINVAL, from the RM's MEM_INUSE) while another VM has the parcel
 * accepted. Until a reclaim succeeds, the memory must not be reused.
 *
 * Context: Process context; sleeps.
 * Return: 0 or a negative errno.
 */
int gunyah_rm_mem_reclaim(struct gunyah_rm *rm,
			  struct gunyah_rm_mem_parcel *parcel)
{
	struct gunyah_rm_mem_release_req req = {
		.mem_handle = cpu_to_le32(parcel->mem_handle),
	};
	int ret;

	ret = gunyah_rm_call_sized(rm, GUNYAH_RM_RPC_MEM_RECLAIM, &req,
				   sizeof(req), NULL, 0);
	if (!ret)
		parcel->mem_handle = GUNYAH_MEM_HANDLE_INVAL;

	return ret;
}
EXPORT_SYMBOL_GPL(gunyah_rm_mem_reclaim);

/* ---------------------------------------------------------------------- */
/* Notification payloads                                                  */

/**
 * gunyah_rm_notif_vm_status() - Payload of a VM_STATUS notification
 * @notif: the notification, as passed to an RM notifier with action
 *	%GUNYAH_RM_NOTIFICATION_VM_STATUS
 *
 * Return: the payload, or ERR_PTR(-EBADMSG) if it is shorter than
 * &struct gunyah_rm_vm_status_payload.
 */
const struct gunyah_rm_vm_status_payload *
gunyah_rm_notif_vm_status(const struct gunyah_rm_notification *notif)
{
	if (notif->size < sizeof(struct gunyah_rm_vm_status_payload))
		return ERR_PTR(-EBADMSG);

	return notif->payload;
}
EXPORT_SYMBOL_GPL(gunyah_rm_notif_vm_status);

/**
 * gunyah_rm_notif_vm_exited() - Payload of a VM_EXITED notification
 * @notif: the notification, as passed to an RM notifier with action
 *	%GUNYAH_RM_NOTIFICATION_VM_EXITED
 *
 * Return: the payload, or ERR_PTR(-EBADMSG) if it is shorter than its
 * header, or than the header plus the exit_reason_size it states.
 */
const struct gunyah_rm_vm_exited_payload *
gunyah_rm_notif_vm_exited(const struct gunyah_rm_notification *notif)
{
	const struct gunyah_rm_vm_exited_payload *payload = notif->payload;

	if (notif->size < sizeof(*payload) ||
	    le32_to_cpu(payload->exit_reason_size) >
	    notif->size - sizeof(*payload))
		return ERR_PTR(-EBADMSG);

	return payload;
}
EXPORT_SYMBOL_GPL(gunyah_rm_notif_vm_exited);
