// SPDX-License-Identifier: GPL-2.0-only
/*
 * VM management messages (../shared/spec/abi.md §7.4): VMID allocation,
 * identity, state. Request layouts are checked exactly: a wrong length is
 * MSG_INVALID. Only the primary VM may create VMs; a VM is managed by the
 * VM that allocated it (its owner).
 */
#include <libfdt.h>
#include <string.h>
#include <hyp/guest_exit.h>
#include <hyp/vm.h>
#include <rm/hypcall.h>
#include <rm/memparcel.h>
#include <rm/notify.h>
#include <rm/rm.h>
#include <rm/vm_config.h>
#include <rm/vm_dt.h>

#define RM_VM_ALLOCATE		0x56000001U
#define RM_VM_DEALLOCATE	0x56000002U
#define RM_VM_START		0x56000004U
#define RM_VM_STOP		0x56000005U
#define RM_VM_RESET		0x56000006U
#define RM_VM_CONFIG_IMAGE	0x56000009U
#define RM_VM_INIT		0x5600000bU
#define RM_VM_GET_HYP_RESOURCES	0x56000020U
#define RM_VM_SET_BOOT_CONTEXT	0x56000031U

/* VM_SET_BOOT_CONTEXT register sets: X0-X30, PC, SP_EL0 / SP_EL1. */
#define RM_BOOT_REGS_X		0
#define RM_BOOT_REGS_PC		1
#define RM_BOOT_REGS_SP		2
#define RM_BOOT_NR_REGS		(31 + 1 + 2)
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
#define RM_VM_STATE_INIT	1
#define RM_VM_STATE_READY	2
#define RM_VM_STATE_RUNNING	3
#define RM_VM_STATE_LOAD	5
#define RM_VM_STATE_INIT_FAILED	8
#define RM_VM_STATE_EXITED	9
#define RM_VM_STATE_RESET	11
#define RM_OS_STATE_NONE	0
#define RM_OS_STATE_RUN		4

/* VM_EXITED exit types (§7.2). */
#define RM_EXIT_VM_EXIT		0
#define RM_EXIT_PLATFORM_OFF	1
#define RM_EXIT_PLATFORM_RESET	2
#define RM_EXIT_SOFTWARE_ERROR	5
#define RM_EXIT_VM_STOP_FORCED	7
#define RM_VM_STOP_FLAG_FORCE	BIT(0)

/* Resource types of VM_GET_HYP_RESOURCES (§7.5). */
#define RM_RES_DOORBELL_SRC	0
#define RM_RES_VIRTUAL_CPU	4
#define RM_RES_ENTRY_SIZE	44
/* The interrupt of a resource that has none. */
#define RM_NO_VIRQ		0xffffffffU

/* The largest VM-config devicetree the RM reads. */
#define RM_VM_DT_MAX		(64 * 1024)

/* Caps: the RM's own (RM_NO_CAP: none) and the copy in the owner's cspace. */
struct rm_vm_vcpu {
	u64 cap;
	u64 host_cap;
	bool wakeup;		/* bound to an interrupt of the owner */
	u32 wakeup_intid;
};

struct rm_vm_doorbell {
	u64 cap;
	u64 host_cap;
	u32 label;
};

#define RM_MAX_VMS		64

struct rm_vm {
	u16 vmid;		/* 0: free slot */
	u16 owner;
	u8 vm_state;
	u8 os_state;
	u16 app_status;
	/* VM_CONFIG_IMAGE */
	u32 image_handle;
	u64 image_offset, image_size, dt_offset, dt_size;
	/* VM_INIT */
	struct rm_vm_config cfg;
	u64 guest;		/* its address space and vGIC; RM_NO_CAP: none */
	struct rm_vm_vcpu vcpus[RM_VM_MAX_VCPUS];
	struct rm_vm_doorbell doorbells[RM_VM_MAX_DOORBELLS];
	/* VM_SET_BOOT_CONTEXT: the boot vCPU's first registers */
	u64 boot_regs[RM_BOOT_NR_REGS];
	u64 boot_regs_set;	/* bit per register */
};

/* Where the RM reads a VM's devicetree: aligned as libfdt wants it. */
static u8 vm_dt[RM_VM_DT_MAX] __aligned(8);

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
	return req->client->vmid == VMID_HLOS;
}

/* vmid16: a u16 VMID and two bytes of padding, which must be zero. */
static bool rm_get_vmid16(const struct rm_request *req, u16 *vmid)
{
	if (req->len != 4 || rm_get_le16(req->data + 2))
		return false;
	*vmid = rm_get_le16(req->data);
	return true;
}

/* No guest, vCPU or doorbell, no cap of them. */
static void rm_vm_forget_resources(struct rm_vm *vm)
{
	unsigned int i;

	vm->guest = RM_NO_CAP;
	for (i = 0; i < RM_VM_MAX_VCPUS; i++)
		vm->vcpus[i] = (struct rm_vm_vcpu){ .cap = RM_NO_CAP, .host_cap = RM_NO_CAP };
	for (i = 0; i < RM_VM_MAX_DOORBELLS; i++)
		vm->doorbells[i] = (struct rm_vm_doorbell){ .cap = RM_NO_CAP,
							     .host_cap = RM_NO_CAP };
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
		.owner = req->client->vmid,
		.vm_state = RM_VM_STATE_LOAD,
		.os_state = RM_OS_STATE_NONE,
	};
	rm_vm_forget_resources(slot);
	/* A static VMID was asked for and given: no reply data. */
	if (vmid <= RM_VMID_STATIC_MAX)
		return RM_OK;
	return rm_reply_u32(req, vmid);
}

/* Drop what VM_INIT created: capabilities, objects, interrupts, address space. */
static void rm_vm_release(struct rm_vm *vm)
{
	u64 owner_cspace = rm_owner_cspace(vm->owner);
	unsigned int i;

	for (i = 0; i < RM_VM_MAX_VCPUS; i++) {
		struct rm_vm_vcpu *v = &vm->vcpus[i];

		if (v->cap == RM_NO_CAP)
			continue;
		if (owner_cspace != RM_NO_CAP && v->host_cap != RM_NO_CAP)
			rm_hyp_cap_delete(owner_cspace, v->host_cap);
		if (v->wakeup)
			rm_hyp_vcpu_unbind_wakeup(v->cap);
		rm_hyp_cap_delete(rm_hyp_own_cspace(), v->cap);
	}
	for (i = 0; i < RM_VM_MAX_DOORBELLS; i++) {
		struct rm_vm_doorbell *d = &vm->doorbells[i];

		if (d->cap == RM_NO_CAP)
			continue;
		if (owner_cspace != RM_NO_CAP && d->host_cap != RM_NO_CAP)
			rm_hyp_cap_delete(owner_cspace, d->host_cap);
		rm_hyp_cap_delete(rm_hyp_own_cspace(), d->cap);
	}
	if (vm->guest != RM_NO_CAP) {
		rm_memparcel_unmap_all(vm->vmid, vm->guest);
		rm_hyp_cap_delete(rm_hyp_own_cspace(), vm->guest);
	}
	rm_vm_forget_resources(vm);
}

/* The VM @vmid owned by the caller, or NULL. */
static struct rm_vm *rm_vm_of_caller(const struct rm_request *req, u16 vmid)
{
	struct rm_vm *vm = rm_vm_find(vmid);

	return vm && vm->owner == req->client->vmid ? vm : NULL;
}

/* A vmid16 request about a VM of the caller: the VM, or an RM error. */
static u32 rm_vm_of_request(const struct rm_request *req, struct rm_vm **vm)
{
	u16 vmid;

	if (!rm_get_vmid16(req, &vmid))
		return RM_ERROR_MSG_INVALID;
	*vm = rm_vm_of_caller(req, vmid);
	return *vm ? RM_OK : RM_ERROR_VMID_INVALID;
}

/* Tell the owner about a state change, after the reply. */
static void rm_vm_post_status(struct rm_request *req, struct rm_vm *vm)
{
	req->notify_id = RM_NOTIFY_VM_STATUS;
	rm_vm_status_encode(req->notify, vm->vmid, vm->vm_state, vm->os_state,
			    vm->app_status);
	req->notify_len = RM_VM_STATUS_SIZE;
}

/*
 * VM_CONFIG_IMAGE: u16 vmid, u16 auth, u32 image parcel, u64 image_offset,
 * u64 image_size, u64 dt_offset, u64 dt_size.
 */
static u32 rm_vm_config_image(struct rm_request *req)
{
	const u8 *d = req->data;
	struct rm_vm *vm;
	u64 parcel_size, io, is, dto, dts;
	u32 handle;

	if (req->len != 40)
		return RM_ERROR_MSG_INVALID;
	vm = rm_vm_of_caller(req, rm_get_le16(d));
	if (!vm)
		return RM_ERROR_VMID_INVALID;
	if (vm->vm_state != RM_VM_STATE_LOAD)
		return RM_ERROR_VM_STATE;
	/* No image authentication on this platform. */
	if (rm_get_le16(d + 2))
		return RM_ERROR_ARG_INVALID;
	handle = rm_get_le32(d + 4);
	io = rm_get_le32(d + 8) | (u64)rm_get_le32(d + 12) << 32;
	is = rm_get_le32(d + 16) | (u64)rm_get_le32(d + 20) << 32;
	dto = rm_get_le32(d + 24) | (u64)rm_get_le32(d + 28) << 32;
	dts = rm_get_le32(d + 32) | (u64)rm_get_le32(d + 36) << 32;
	if (!rm_memparcel_size(handle, vm->owner, vm->vmid, &parcel_size))
		return RM_ERROR_ARG_INVALID;
	if (io + is < io || io + is > parcel_size || !dts || dto + dts < dto ||
	    dto + dts > parcel_size)
		return RM_ERROR_ARG_INVALID;
	vm->image_handle = handle;
	vm->image_offset = io;
	vm->image_size = is;
	vm->dt_offset = dto;
	vm->dt_size = dts;
	vm->vm_state = RM_VM_STATE_INIT;
	return RM_OK;
}

/* Create the vCPUs and doorbells of the config, and give the owner its caps. */
static u32 rm_vm_create_resources(struct rm_vm *vm)
{
	u64 owner_cspace = rm_owner_cspace(vm->owner);
	unsigned int i;

	if (owner_cspace == RM_NO_CAP)
		return RM_ERROR_DENIED;
	if (rm_hyp_guest_create(vm->vmid, &vm->guest))
		return RM_ERROR_NOMEM;
	/* Without a GIC node the VM never starts: its vGIC stays at 0. */
	if (rm_hyp_guest_vgic(vm->guest, vm->cfg.nr_vcpus, vm->cfg.gicd_base, vm->cfg.gicr_base))
		return RM_ERROR_ARG_INVALID;
	/*
	 * Unauthenticated VMs (the only kind here) get the VMMIO window the
	 * real RM registers for them, from Google's protected virtual
	 * platform: stage-2 faults in IPA [0, 1 GiB) become vcpu_run exits,
	 * any other fault outside the VM's memory an abort in the guest.
	 */
	if (rm_hyp_guest_add_vmmio(vm->guest, RM_VM_VMMIO_BASE, RM_VM_VMMIO_SIZE))
		return RM_ERROR_NOMEM;
	for (i = 0; i < vm->cfg.nr_vcpus; i++) {
		struct rm_vm_vcpu *v = &vm->vcpus[i];

		if (rm_hyp_vcpu_create(vm->guest, i, &v->cap))
			return RM_ERROR_NOMEM;
		/* The guest's stop by itself (the real RM's vCPU "halt" VIRQs). */
		if (rm_hyp_vcpu_bind_halt(v->cap))
			return RM_ERROR_NOMEM;
		if (vm->cfg.scheduled) {
			/*
			 * The hypervisor runs it: no wake-up interrupt for the
			 * owner (VM_GET_HYP_RESOURCES says 0xffffffff, as the
			 * real RM's VIRQ_INVALID). A CPU that does not exist is
			 * the hypervisor's refusal, and VM_INIT's NORESOURCE.
			 */
			v->wakeup_intid = RM_NO_VIRQ;
			if (rm_hyp_vcpu_schedule(v->cap, vm->cfg.affinity[i], vm->cfg.priority,
						 vm->cfg.timeslice_ns))
				return RM_ERROR_NORESOURCE;
		} else {
			if (rm_hyp_vcpu_bind_host_wakeup(v->cap, &v->wakeup_intid))
				return RM_ERROR_NOMEM;
			v->wakeup = true;
		}
		if (rm_hyp_cap_copy(v->cap, owner_cspace, RIGHT_VCPU_AFFINITY | RIGHT_VCPU_YIELD_TO,
				    &v->host_cap)) {
			v->host_cap = RM_NO_CAP;
			return RM_ERROR_NOMEM;
		}
	}
	for (i = 0; i < vm->cfg.nr_doorbells; i++) {
		struct rm_vm_doorbell *d = &vm->doorbells[i];

		d->label = vm->cfg.doorbells[i].label;
		if (rm_hyp_doorbell_create(&d->cap))
			return RM_ERROR_NOMEM;
		if (rm_hyp_cap_copy(d->cap, owner_cspace, RIGHT_DOORBELL_SEND, &d->host_cap)) {
			d->host_cap = RM_NO_CAP;
			return RM_ERROR_NOMEM;
		}
		/*
		 * The guest's end: its SPI, through the virtual GIC. As the
		 * real RM, no trigger: the guest programs that (GICD_ICFGR).
		 */
		if (rm_hyp_doorbell_bind(d->cap, vm->guest, vm->cfg.doorbells[i].intid))
			return RM_ERROR_ARG_INVALID;
	}
	return RM_OK;
}

/* VM_INIT: vmid16. Parses the VM config and builds the VM: INIT -> READY. */
static u32 rm_vm_init(struct rm_request *req)
{
	struct rm_vm *vm;
	u32 err = rm_vm_of_request(req, &vm);

	if (err != RM_OK)
		return err;
	if (vm->vm_state != RM_VM_STATE_INIT)
		return RM_ERROR_VM_STATE;
	if (vm->dt_size > sizeof(vm_dt) ||
	    rm_memparcel_read(vm->image_handle, vm->owner, vm->vmid, vm->dt_offset, vm_dt,
			      vm->dt_size))
		err = RM_ERROR_ARG_INVALID;
	else
		err = rm_vm_config_parse(vm_dt, vm->dt_size, &vm->cfg);
	if (err == RM_OK)
		err = rm_vm_create_resources(vm);
	if (err != RM_OK) {
		rm_vm_release(vm);
		vm->vm_state = RM_VM_STATE_INIT_FAILED;
		return err;
	}
	vm->vm_state = RM_VM_STATE_READY;
	return RM_OK;
}

static void rm_put_resource(u8 *e, u8 type, u16 vmid, u32 label, u64 cap, u32 virq)
{
	memset(e, 0, RM_RES_ENTRY_SIZE);
	e[0] = type;
	rm_put_le16(e + 2, vmid);
	rm_put_le32(e + 8, label);
	rm_put_le32(e + 12, (u32)cap);
	rm_put_le32(e + 16, cap >> 32);
	rm_put_le32(e + 24, virq);
}

/* VM_GET_HYP_RESOURCES: vmid16 -> u32 n, n x 44-byte entries. */
static u32 rm_vm_get_hyp_resources(struct rm_request *req)
{
	unsigned int i, n = 0;
	struct rm_vm *vm;
	u32 err = rm_vm_of_request(req, &vm);

	if (err != RM_OK)
		return err;
	for (i = 0; i < RM_VM_MAX_VCPUS; i++)
		if (vm->vcpus[i].cap != RM_NO_CAP)
			rm_put_resource(req->reply + 4 + RM_RES_ENTRY_SIZE * n++,
					RM_RES_VIRTUAL_CPU, vm->vmid, i, vm->vcpus[i].host_cap,
					vm->vcpus[i].wakeup_intid);
	for (i = 0; i < RM_VM_MAX_DOORBELLS; i++)
		if (vm->doorbells[i].cap != RM_NO_CAP)
			rm_put_resource(req->reply + 4 + RM_RES_ENTRY_SIZE * n++,
					RM_RES_DOORBELL_SRC, vm->vmid, vm->doorbells[i].label,
					vm->doorbells[i].host_cap, 0);
	rm_put_le32(req->reply, n);
	req->reply_len = 4 + RM_RES_ENTRY_SIZE * n;
	return RM_OK;
}

/*
 * Give the guest's devicetree its /hypervisor node and a /memory that says
 * what the guest has, in place in the image parcel, within the size
 * VM_CONFIG_IMAGE gave.
 */
static u32 rm_vm_write_dt(struct rm_vm *vm)
{
	u64 mem_size = 0;
	struct rm_vm_dt_info info = {
		.vmid = vm->vmid,
		.owner = vm->owner,
		.image_name = vm->cfg.image_name,
		.mem_base = vm->cfg.mem_base,
	};
	u32 err;

	if (!rm_memparcel_size(vm->image_handle, vm->owner, vm->vmid, &mem_size) ||
	    vm->dt_size > sizeof(vm_dt) ||
	    rm_memparcel_read(vm->image_handle, vm->owner, vm->vmid, vm->dt_offset, vm_dt,
			      vm->dt_size))
		return RM_ERROR_ARG_INVALID;
	info.mem_size = mem_size;
	err = rm_vm_dt_overlay(vm_dt, vm->dt_size, &info);
	if (err != RM_OK)
		return err;
	if (rm_memparcel_write(vm->image_handle, vm->owner, vm->vmid, vm->dt_offset, vm_dt,
			       fdt_totalsize(vm_dt)))
		return RM_ERROR_ARG_INVALID;
	return RM_OK;
}

/*
 * VM_SET_BOOT_CONTEXT: u16 vmid, u8 register set, u8 index, u32 padding,
 * u64 value. Between VM_INIT and VM_START.
 */
static u32 rm_vm_set_boot_context(struct rm_request *req)
{
	const u8 *d = req->data;
	unsigned int reg;
	struct rm_vm *vm;
	u8 set, index;

	if (req->len != 16)
		return RM_ERROR_MSG_INVALID;
	vm = rm_vm_of_caller(req, rm_get_le16(d));
	if (!vm)
		return RM_ERROR_VMID_INVALID;
	if (vm->vm_state != RM_VM_STATE_READY)
		return RM_ERROR_VM_STATE;
	set = d[2];
	index = d[3];
	if (rm_get_le32(d + 4))
		return RM_ERROR_ARG_INVALID;
	if (set == RM_BOOT_REGS_X && index <= 30)
		reg = index;
	else if (set == RM_BOOT_REGS_PC && index == 0)
		reg = 31;
	else if (set == RM_BOOT_REGS_SP && index <= 1)
		reg = 32 + index;
	else
		return RM_ERROR_ARG_INVALID;
	vm->boot_regs[reg] = rm_get_le32(d + 8) | (u64)rm_get_le32(d + 12) << 32;
	vm->boot_regs_set |= 1ULL << reg;
	return RM_OK;
}

/*
 * Power on the boot vCPU. Unless VM_SET_BOOT_CONTEXT said otherwise it
 * starts at the image in the image parcel with x0 = the devicetree, the
 * Linux arm64 boot protocol.
 */
static int rm_vm_boot(struct rm_vm *vm)
{
	u64 boot = vm->vcpus[0].cap;
	unsigned int i;
	int ret = 0;

	/* x1-x30, SP_EL0, SP_EL1; x0 and the PC go with the power-on. */
	for (i = 1; i < RM_BOOT_NR_REGS && !ret; i++) {
		if (i == 31 || !(vm->boot_regs_set & (1ULL << i)))
			continue;
		if (i <= 30)
			ret = rm_hyp_vcpu_register_write(boot, GUNYAH_VCPU_REGS_X, i,
							 vm->boot_regs[i]);
		else
			ret = rm_hyp_vcpu_register_write(boot, GUNYAH_VCPU_REGS_SP, i - 32,
							 vm->boot_regs[i]);
	}
	if (ret)
		return ret;
	return rm_hyp_vcpu_poweron(boot,
				   vm->boot_regs_set & (1ULL << 31) ? vm->boot_regs[31] :
				   vm->cfg.mem_base + vm->image_offset,
				   vm->boot_regs_set & 1 ? vm->boot_regs[0] :
				   vm->cfg.mem_base + vm->dt_offset);
}

/*
 * VM_START: vmid16. Maps the image parcel at the config's base: READY ->
 * RUNNING. Whatever stops it (no GIC node, a devicetree without /chosen,
 * with /hypervisor already, malformed, too large, a parcel that does not
 * map) is NORESOURCE and the VM INIT_FAILED, as with the real RM, which
 * answers NORESOURCE whenever it cannot build the VM's resources at start.
 */
static u32 rm_vm_start(struct rm_request *req)
{
	struct rm_vm *vm;
	u32 err = rm_vm_of_request(req, &vm);

	if (err != RM_OK)
		return err;
	if (vm->vm_state != RM_VM_STATE_READY)
		return RM_ERROR_VM_STATE;
	if (!vm->cfg.has_gic || rm_vm_write_dt(vm) != RM_OK ||
	    rm_memparcel_map(vm->image_handle, vm->owner, vm->vmid, vm->guest, vm->cfg.mem_base) ||
	    rm_vm_boot(vm)) {
		/* The VM cannot run: it must be reset. */
		vm->vm_state = RM_VM_STATE_INIT_FAILED;
		rm_vm_post_status(req, vm);
		return RM_ERROR_NORESOURCE;
	}
	vm->vm_state = RM_VM_STATE_RUNNING;
	vm->os_state = RM_OS_STATE_NONE;
	rm_vm_post_status(req, vm);
	return RM_OK;
}

/* VM_STOP: u16 vmid, u8 flags, u8 res0, u32 reason. RUNNING -> EXITED. */
static u32 rm_vm_stop(struct rm_request *req)
{
	struct rm_vm *vm;
	unsigned int i;
	u8 flags;

	if (req->len != 8)
		return RM_ERROR_MSG_INVALID;
	flags = req->data[2];
	if ((flags & ~RM_VM_STOP_FLAG_FORCE) || req->data[3])
		return RM_ERROR_ARG_INVALID;
	vm = rm_vm_of_caller(req, rm_get_le16(req->data));
	if (!vm)
		return RM_ERROR_VMID_INVALID;
	if (vm->vm_state != RM_VM_STATE_RUNNING)
		return RM_ERROR_VM_STATE;
	/* No guest OS is asked to shut down: its vCPUs stop here. */
	for (i = 0; i < RM_VM_MAX_VCPUS; i++)
		if (vm->vcpus[i].cap != RM_NO_CAP)
			rm_hyp_vcpu_kill(vm->vcpus[i].cap);
	vm->vm_state = RM_VM_STATE_EXITED;
	req->notify_id = RM_NOTIFY_VM_EXITED;
	rm_put_le16(req->notify, vm->vmid);
	rm_put_le16(req->notify + 2, (flags & RM_VM_STOP_FLAG_FORCE) ? RM_EXIT_VM_STOP_FORCED : 0);
	rm_put_le32(req->notify + 4, 4);	/* reason size: the common word */
	rm_put_le32(req->notify + 8, 0);	/* exit flags 0, code NORMAL */
	req->notify_len = 12;
	return RM_OK;
}

/* VM_RESET: vmid16. Takes the VM apart down to its parcels: -> RESET. */
static u32 rm_vm_reset(struct rm_request *req)
{
	bool busy = false;
	struct rm_vm *vm;
	u32 err = rm_vm_of_request(req, &vm);

	if (err != RM_OK)
		return err;
	if (vm->vm_state != RM_VM_STATE_EXITED && vm->vm_state != RM_VM_STATE_READY &&
	    vm->vm_state != RM_VM_STATE_INIT_FAILED)
		return RM_ERROR_VM_STATE;
	/* A vCPU still inside vcpu_run cannot go away under it. */
	if (vm->guest != RM_NO_CAP && (rm_hyp_guest_busy(vm->guest, &busy) || busy))
		return RM_ERROR_BUSY;
	rm_vm_release(vm);
	vm->vm_state = RM_VM_STATE_RESET;
	vm->os_state = RM_OS_STATE_NONE;
	rm_vm_post_status(req, vm);
	return RM_OK;
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
	if (vm->owner != req->client->vmid)
		return RM_ERROR_DENIED;
	/* A VM that was started must be stopped and reset first. */
	if (vm->vm_state == RM_VM_STATE_RUNNING || vm->vm_state == RM_VM_STATE_EXITED)
		return RM_ERROR_VM_STATE;
	/* Its memory must be reclaimed first. */
	if (rm_memparcel_vm_in_use(vmid))
		return RM_ERROR_IN_USE;
	rm_vm_release(vm);
	memset(vm, 0, sizeof(*vm));
	return RM_OK;
}

static u32 rm_vm_get_vmid(struct rm_request *req)
{
	if (req->len)
		return RM_ERROR_MSG_INVALID;
	return rm_reply_u32(req, req->client->vmid);
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
	u16 caller = req->client->vmid;
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
	case RM_VM_CONFIG_IMAGE:
		return rm_vm_config_image(req);
	case RM_VM_INIT:
		return rm_vm_init(req);
	case RM_VM_GET_HYP_RESOURCES:
		return rm_vm_get_hyp_resources(req);
	case RM_VM_SET_BOOT_CONTEXT:
		return rm_vm_set_boot_context(req);
	case RM_VM_START:
		return rm_vm_start(req);
	case RM_VM_STOP:
		return rm_vm_stop(req);
	case RM_VM_RESET:
		return rm_vm_reset(req);
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

/*
 * Guests that stopped by themselves (PSCI SYSTEM_OFF or SYSTEM_RESET, the
 * last vCPU off, a vCPU fault): RUNNING -> EXITED, and their owners hear
 * why (NOTIFY_VM_EXITED). Runs in the RM's context when the hypervisor
 * raises its event interrupt.
 */
void rm_vm_poll_exits(void)
{
	unsigned int i;

	for (i = 0; i < RM_MAX_VMS; i++) {
		struct rm_vm *vm = &vms[i];
		struct rm_client *owner;
		u64 why;
		u8 msg[12];
		u16 type;

		if (!vm->vmid || vm->vm_state != RM_VM_STATE_RUNNING || vm->guest == RM_NO_CAP ||
		    rm_hyp_guest_exit_reason(vm->guest, &why))
			continue;
		switch (why) {
		case GUEST_RUNNING:
			continue;
		case GUEST_EXIT_POWER_OFF:
			type = RM_EXIT_PLATFORM_OFF;
			break;
		case GUEST_EXIT_RESET:
			type = RM_EXIT_PLATFORM_RESET;
			break;
		case GUEST_EXIT_FAULT:
			type = RM_EXIT_SOFTWARE_ERROR;
			break;
		default:
			type = RM_EXIT_VM_STOP_FORCED;
			break;
		}
		vm->vm_state = RM_VM_STATE_EXITED;
		owner = rm_client_of(vm->owner);
		if (!owner)
			continue;
		rm_put_le16(msg, vm->vmid);
		rm_put_le16(msg + 2, type);
		rm_put_le32(msg + 4, 4);	/* reason size: the common word */
		rm_put_le32(msg + 8, type == RM_EXIT_SOFTWARE_ERROR ? 1 : 0);
		rm_notify(owner, RM_NOTIFY_VM_EXITED, msg, sizeof(msg));
	}
}
