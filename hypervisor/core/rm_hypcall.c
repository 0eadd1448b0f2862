// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hypercalls only the resource manager may issue: creating and
 * binding objects in its own capability space, building guests, handing
 * them the primary VM's memory. Real Gunyah numbers and argument orders
 * where the real Gunyah has the call (include/hyp/gunyah_abi.h), our
 * private ones otherwise (include/hyp/hypcall_private.h); the list is in
 * Documentation/virt/gunyah/hypervisor.rst, "The RM's interface to the
 * hypervisor".
 *
 * Every call works on capabilities of the caller's cspace and on values
 * in registers, never on pointers the caller passes: the same code serves
 * the RM linked into the hypervisor today and the RM in its own VM later.
 * The work itself is done by include/hyp/guest_ops.h.
 */
#include <hyp/cspace.h>
#include <hyp/gunyah_abi.h>
#include <hyp/guest_ops.h>
#include <hyp/hypercall.h>
#include <hyp/objects.h>
#include <hyp/rm_partition.h>
#include <hyp/vic.h>
#include <hyp/vm.h>


/* The bounce buffer of the memory copies, on the stack. */
#define HOST_MEM_CHUNK	256

static int lookup(struct hyp_vm *vm, u64 capid, enum object_type type, u32 rights,
		  struct object **obj)
{
	return cspace_lookup(&vm->cspace, capid, type, rights, obj);
}

static int lookup_cspace(struct hyp_vm *vm, u64 capid, u32 rights, struct cspace **cs)
{
	struct object *obj;
	int ret = lookup(vm, capid, OBJECT_CSPACE, rights, &obj);

	if (!ret)
		*cs = container_of(obj, struct cspace, obj);
	return ret;
}

static int lookup_msgq(struct hyp_vm *vm, u64 capid, u32 rights, struct msgq **q)
{
	struct object *obj;
	int ret = lookup(vm, capid, OBJECT_MSGQUEUE, rights, &obj);

	if (!ret)
		*q = container_of(obj, struct msgq, obj);
	return ret;
}

static int lookup_vcpu(struct hyp_vm *vm, u64 capid, u32 rights, struct vcpu **vcpu)
{
	struct object *obj;
	int ret = lookup(vm, capid, OBJECT_VCPU, rights, &obj);

	if (!ret)
		*vcpu = container_of(obj, struct vcpu, obj);
	return ret;
}

/* A vCPU that vic_attach_vcpu put in its guest. */
static int lookup_bound_vcpu(struct hyp_vm *vm, u64 capid, u32 rights, struct vcpu **vcpu)
{
	int ret = lookup_vcpu(vm, capid, rights, vcpu);

	if (!ret && !(*vcpu)->guest)
		ret = GUNYAH_ERROR_OBJECT_STATE;
	return ret;
}

static int lookup_addrspace(struct hyp_vm *vm, u64 capid, u32 rights, struct addrspace **as)
{
	struct object *obj;
	int ret = lookup(vm, capid, OBJECT_ADDRSPACE, rights, &obj);

	if (!ret)
		*as = container_of(obj, struct addrspace, obj);
	return ret;
}

/* An address space that object_activate made a guest. */
static int lookup_guest(struct hyp_vm *vm, u64 capid, u32 rights, struct addrspace **as)
{
	int ret = lookup_addrspace(vm, capid, rights, as);

	if (!ret && !(*as)->guest)
		ret = GUNYAH_ERROR_OBJECT_STATE;
	return ret;
}

static int lookup_vic_virq(struct hyp_vm *vm, u64 capid, u32 num, struct virq **virq)
{
	struct object *obj;
	int ret = lookup(vm, capid, OBJECT_VIC, RIGHT_VIC_BIND_SOURCE, &obj);

	if (!ret) {
		*virq = vic_virq(container_of(obj, struct vic, obj), num);
		if (!*virq)
			ret = GUNYAH_ERROR_ARG_INVAL;
	}
	return ret;
}

/* partition_create_*: x1 partition, x2 cspace -> x1 the new object's cap (every right). */
static int partition_create(struct hyp_vm *vm, u32 num, u64 regs[SMCCC_NR_REGS])
{
	struct object *partition, *obj = NULL;
	struct addrspace *as = NULL;
	struct doorbell *db = NULL;
	struct vcpu *vcpu = NULL;
	struct msgq *q = NULL;
	struct cspace *cs;
	u64 capid;
	int ret;

	ret = lookup(vm, regs[1], OBJECT_PARTITION, RIGHT_PARTITION_OBJECT_CREATE, &partition);
	if (!ret)
		ret = lookup_cspace(vm, regs[2], RIGHT_CSPACE_CAP_CREATE, &cs);
	if (ret)
		return ret;
	switch (num) {
	case GUNYAH_HYPCALL_PARTITION_CREATE_ADDRSPACE:
		as = addrspace_create();
		obj = as ? &as->obj : NULL;
		break;
	case GUNYAH_HYPCALL_PARTITION_CREATE_THREAD:
		vcpu = vcpu_create(0, 0);
		obj = vcpu ? &vcpu->obj : NULL;
		break;
	case GUNYAH_HYPCALL_PARTITION_CREATE_DOORBELL:
		db = doorbell_create();
		obj = db ? &db->obj : NULL;
		break;
	default:
		q = msgq_alloc();
		obj = q ? &q->obj : NULL;
		break;
	}
	if (!obj)
		return GUNYAH_ERROR_NOMEM;
	ret = cspace_insert(cs, obj, RIGHTS_ALL, &capid);
	if (ret) {
		/* Queues are never freed: that one stays unused. */
		addrspace_destroy(as);
		vcpu_destroy(vcpu);
		doorbell_destroy(db);
		return ret;
	}
	regs[1] = capid;
	return 0;
}

/*
 * object_activate: x1 cap. An address space becomes a guest with the VMID
 * addrspace_configure gave it; a queue gets the storage of its shape.
 * Doorbells and vCPUs are ready as they are created.
 */
static int object_activate(struct hyp_vm *vm, u64 regs[SMCCC_NR_REGS])
{
	struct cap cap;
	int ret = cspace_get(&vm->cspace, regs[1], &cap);

	if (!ret && !(cap.rights & RIGHT_OBJECT_ACTIVATE))
		ret = GUNYAH_ERROR_CSPACE_INSUFFICIENT_RIGHTS;
	if (ret)
		return ret;
	switch (cap.obj->type) {
	case OBJECT_ADDRSPACE: {
		struct addrspace *as = container_of(cap.obj, struct addrspace, obj);

		if (as->guest)
			return GUNYAH_ERROR_OBJECT_STATE;
		if (!as->vmid)
			return GUNYAH_ERROR_OBJECT_CONFIG;
		as->guest = hyp_guest_create(as->vmid);
		return as->guest ? 0 : GUNYAH_ERROR_NOMEM;
	}
	case OBJECT_MSGQUEUE: {
		struct msgq *q = container_of(cap.obj, struct msgq, obj);

		if (q->storage)
			return GUNYAH_ERROR_OBJECT_STATE;
		if (!q->depth)
			return GUNYAH_ERROR_OBJECT_CONFIG;
		return msgq_activate(q, q->depth, q->max_size);
	}
	default:
		return 0;
	}
}

/* msgqueue_configure: x1 cap, x2 bits 15:0 depth, 31:16 maximum message size. */
static int msgq_configure(struct hyp_vm *vm, u64 regs[SMCCC_NR_REGS])
{
	u16 depth = regs[2] & 0xffff, max_size = (regs[2] >> 16) & 0xffff;
	struct msgq *q;
	int ret = lookup_msgq(vm, regs[1], 0, &q);

	if (ret)
		return ret;
	if (q->storage)
		return GUNYAH_ERROR_OBJECT_STATE;
	if (!depth || depth > MSGQ_MAX_DEPTH || !max_size || max_size > MSGQ_MAX_MSG_SIZE)
		return GUNYAH_ERROR_ARG_INVAL;
	/* Kept until object_activate gives it storage of that shape. */
	q->depth = depth;
	q->max_size = max_size;
	return 0;
}

/* msgqueue_bind_{send,receive}_virq: x1 queue, x2 vic, x3 virq number. */
static int msgq_bind(struct hyp_vm *vm, bool send, u64 regs[SMCCC_NR_REGS])
{
	struct virq *virq;
	struct msgq *q;
	int ret;

	ret = lookup_msgq(vm, regs[1], send ? RIGHT_MSGQ_BIND_SEND : RIGHT_MSGQ_BIND_RECEIVE, &q);
	if (!ret)
		ret = lookup_vic_virq(vm, regs[2], regs[3], &virq);
	if (ret)
		return ret;
	if (send ? q->send_virq : q->recv_virq)
		return GUNYAH_ERROR_VIRQ_BOUND;
	if (send)
		q->send_virq = virq;
	else
		q->recv_virq = virq;
	return 0;
}

/* cspace_copy_cap_from: x1 source cspace, x2 cap, x3 destination cspace, x4 rights mask -> x1 */
static int cap_copy(struct hyp_vm *vm, u64 regs[SMCCC_NR_REGS])
{
	struct cspace *from, *to;
	struct cap cap;
	u64 capid;
	int ret;

	ret = lookup_cspace(vm, regs[1], RIGHT_CSPACE_CAP_COPY, &from);
	if (!ret)
		ret = lookup_cspace(vm, regs[3], RIGHT_CSPACE_CAP_CREATE, &to);
	if (!ret)
		ret = cspace_get(from, regs[2], &cap);
	if (!ret)
		ret = cspace_insert(to, cap.obj, cap.rights & (u32)regs[4], &capid);
	if (!ret)
		regs[1] = capid;
	return ret;
}

/*
 * cspace_delete_cap_from: x1 cspace, x2 cap. Objects have no reference
 * counts here: the cap the RM got at creation, in its own cspace, is the
 * object's last one by construction (it deletes the copies it gave first),
 * and deleting it destroys the doorbell, vCPU or guest. Queues live on.
 */
static int cap_delete(struct hyp_vm *vm, u64 regs[SMCCC_NR_REGS])
{
	struct cspace *cs;
	struct cap cap;
	int ret;

	ret = lookup_cspace(vm, regs[1], RIGHT_CSPACE_CAP_DELETE, &cs);
	if (!ret)
		ret = cspace_get(cs, regs[2], &cap);
	if (!ret)
		ret = cspace_remove(cs, regs[2], cap.obj);
	if (ret || cs != &vm->cspace)
		return ret;
	switch (cap.obj->type) {
	case OBJECT_VCPU:
		vcpu_destroy(container_of(cap.obj, struct vcpu, obj));
		break;
	case OBJECT_DOORBELL:
		doorbell_destroy(container_of(cap.obj, struct doorbell, obj));
		break;
	case OBJECT_ADDRSPACE: {
		struct addrspace *as = container_of(cap.obj, struct addrspace, obj);

		if (as->guest)
			hyp_guest_destroy(as->guest);
		addrspace_destroy(as);
		break;
	}
	default:
		break;
	}
	return 0;
}

/* addrspace_configure: x1 addrspace, x2 VMID; before object_activate. */
static int addrspace_configure(struct hyp_vm *vm, u64 regs[SMCCC_NR_REGS])
{
	struct addrspace *as;
	int ret = lookup_addrspace(vm, regs[1], 0, &as);

	if (ret)
		return ret;
	if (as->guest)
		return GUNYAH_ERROR_OBJECT_STATE;
	if (!regs[2] || regs[2] > 0xffff)
		return GUNYAH_ERROR_ARG_INVAL;
	as->vmid = regs[2];
	return 0;
}

/* vic_configure: x1 vic (the guest's addrspace), x2 max vCPUs, x3-x5 ignored. */
static int vic_configure(struct hyp_vm *vm, u64 regs[SMCCC_NR_REGS])
{
	struct addrspace *as;
	int ret = lookup_guest(vm, regs[1], 0, &as);

	if (!ret)
		as->max_vcpus = regs[2];
	return ret;
}

/*
 * addrspace_attach_vdevice: x1 addrspace, x2 its vGIC (the same cap), x3
 * index, x4 base IPA, x5 size (not checked), x6 flags. Index 0 places the
 * distributor; index 1 the redistributors of every vCPU from there, and
 * builds the vGIC with vic_configure's vCPU count.
 */
static int attach_vdevice(struct hyp_vm *vm, u64 regs[SMCCC_NR_REGS])
{
	struct addrspace *as, *vic;
	int ret;

	ret = lookup_guest(vm, regs[1], RIGHT_ADDRSPACE_ATTACH, &as);
	if (!ret)
		ret = lookup_guest(vm, regs[2], 0, &vic);
	if (ret)
		return ret;
	if (as != vic)
		return GUNYAH_ERROR_ARG_INVAL;
	switch (regs[3]) {
	case GUNYAH_VGIC_VDEVICE_GICD:
		as->gicd = regs[4];
		return 0;
	case GUNYAH_VGIC_VDEVICE_GICR:
		return hyp_guest_configure(as->guest, as->max_vcpus, as->gicd, regs[4]);
	default:
		return GUNYAH_ERROR_ARG_INVAL;
	}
}

/* addrspace_configure_vmmio: x1 addrspace, x2 base, x3 size, x4 operation (add only). */
static int configure_vmmio(struct hyp_vm *vm, u64 regs[SMCCC_NR_REGS])
{
	struct addrspace *as;
	int ret = lookup_guest(vm, regs[1], 0, &as);

	if (ret)
		return ret;
	if (regs[4] != GUNYAH_VMMIO_ADD)
		return GUNYAH_ERROR_UNIMPLEMENTED;
	return hyp_guest_add_vmmio(as->guest, regs[2], regs[3]);
}

/* vic_attach_vcpu: x1 vic (the guest's addrspace), x2 vCPU, x3 index. */
static int vic_attach_vcpu(struct hyp_vm *vm, u64 regs[SMCCC_NR_REGS])
{
	struct addrspace *as;
	struct vcpu *vcpu;
	int ret;

	ret = lookup_guest(vm, regs[1], 0, &as);
	if (!ret)
		ret = lookup_vcpu(vm, regs[2], 0, &vcpu);
	if (ret)
		return ret;
	if (vcpu->guest)
		return GUNYAH_ERROR_OBJECT_STATE;
	if (regs[3] > 0xffffffffU)
		return GUNYAH_ERROR_ARG_INVAL;
	vcpu->vmid = as->vmid;
	vcpu->index = regs[3];
	return hyp_guest_bind_vcpu(as->guest, vcpu);
}

/*
 * vcpu_set_priority / vcpu_set_timeslice: x1 vCPU, x2 value, kept for
 * vcpu_set_affinity: x1 vCPU, x2 physical CPU (-1: none), which makes the
 * hypervisor schedule it with all three, and checks them.
 */
static int vcpu_sched(struct hyp_vm *vm, u32 num, u64 regs[SMCCC_NR_REGS])
{
	struct vcpu *vcpu;
	u64 cpu = regs[2];
	int ret;

	switch (num) {
	case GUNYAH_HYPCALL_VCPU_SET_PRIORITY:
		ret = lookup_bound_vcpu(vm, regs[1], RIGHT_VCPU_PRIORITY, &vcpu);
		if (!ret && regs[2] > 0xff)
			ret = GUNYAH_ERROR_ARG_INVAL;
		if (!ret)
			vcpu->prio = regs[2];
		return ret;
	case GUNYAH_HYPCALL_VCPU_SET_TIMESLICE:
		ret = lookup_bound_vcpu(vm, regs[1], RIGHT_VCPU_TIMESLICE, &vcpu);
		if (!ret)
			vcpu->timeslice_ns = regs[2];
		return ret;
	default:
		ret = lookup_bound_vcpu(vm, regs[1], RIGHT_VCPU_AFFINITY, &vcpu);
		if (ret)
			return ret;
		if (cpu == ~0ULL)
			cpu = GUEST_CPU_NONE;
		else if (cpu >= GUEST_CPU_NONE)
			return GUNYAH_ERROR_ARG_INVAL;
		return hyp_guest_sched_vcpu(vcpu->guest, vcpu->index, cpu, vcpu->prio,
					    vcpu->timeslice_ns);
	}
}

/* vcpu_register_write: x1 vCPU, x2 register set, x3 index, x4 value; before power-on. */
static int vcpu_register_write(struct hyp_vm *vm, u64 regs[SMCCC_NR_REGS])
{
	struct vcpu *vcpu;
	unsigned int reg;
	int ret = lookup_bound_vcpu(vm, regs[1], RIGHT_VCPU_WRITE_CONTEXT, &vcpu);

	if (ret)
		return ret;
	if (regs[2] == GUNYAH_VCPU_REGS_X && regs[3] <= 30)
		reg = regs[3];
	else if (regs[2] == GUNYAH_VCPU_REGS_PC && regs[3] == 0)
		reg = HYP_BOOT_REG_PC;
	else if (regs[2] == GUNYAH_VCPU_REGS_SP && regs[3] <= 1)
		reg = HYP_BOOT_REG_SP_EL0 + regs[3];
	else
		return GUNYAH_ERROR_ARG_INVAL;
	vcpu->boot_regs[reg] = regs[4];
	return 0;
}

/*
 * vcpu_poweron: x1 vCPU, x2 entry, x3 context (x0), x4 flags (none
 * supported). Only the boot vCPU, index 0: the others start through the
 * guest's PSCI CPU_ON. It starts with the registers written so far.
 */
static int vcpu_poweron(struct hyp_vm *vm, u64 regs[SMCCC_NR_REGS])
{
	struct vcpu *vcpu;
	int ret = lookup_bound_vcpu(vm, regs[1], RIGHT_VCPU_POWER, &vcpu);

	if (ret)
		return ret;
	if (vcpu->index || regs[4])
		return GUNYAH_ERROR_ARG_INVAL;
	vcpu->boot_regs[HYP_BOOT_REG_PC] = regs[2];
	vcpu->boot_regs[0] = regs[3];
	return hyp_guest_start(vcpu->guest, vcpu->boot_regs, HYP_BOOT_NR_REGS);
}

/* vcpu_kill: x1 vCPU. Here it stops its whole guest: every vCPU leaves vcpu_run. */
static int vcpu_kill(struct hyp_vm *vm, u64 regs[SMCCC_NR_REGS])
{
	struct vcpu *vcpu;
	int ret = lookup_bound_vcpu(vm, regs[1], RIGHT_VCPU_LIFECYCLE, &vcpu);

	if (!ret)
		hyp_guest_stop(vcpu->guest);
	return ret;
}

/*
 * vcpu_bind_virq: x1 vCPU, x2 vic, x3 virq number, x4 type. Only HALT: the
 * guest's stop raises it (one per guest here: the last binding wins).
 * The owner's wake-up interrupt is HYP_HYPCALL_VCPU_BIND_HOST_WAKEUP.
 */
static int vcpu_bind_virq(struct hyp_vm *vm, u64 regs[SMCCC_NR_REGS])
{
	struct virq *virq;
	struct vcpu *vcpu;
	int ret;

	ret = lookup_bound_vcpu(vm, regs[1], RIGHT_VCPU_BIND_VIRQ, &vcpu);
	if (!ret)
		ret = lookup_vic_virq(vm, regs[2], regs[3], &virq);
	if (ret)
		return ret;
	if (regs[4] != GUNYAH_VCPU_VIRQ_HALT)
		return GUNYAH_ERROR_ARG_INVAL;
	hyp_guest_bind_halt(vcpu->guest, virq);
	return 0;
}

/* vcpu_unbind_virq: x1 vCPU, x2 type. Unbinding the wake-up frees its SPI. */
static int vcpu_unbind_virq(struct hyp_vm *vm, u64 regs[SMCCC_NR_REGS])
{
	struct vcpu *vcpu;
	int ret = lookup_vcpu(vm, regs[1], RIGHT_VCPU_BIND_VIRQ, &vcpu);

	if (ret)
		return ret;
	if (regs[2] != GUNYAH_VCPU_VIRQ_RUN_WAKEUP)
		return GUNYAH_ERROR_ARG_INVAL;
	hyp_host_virq_free(vcpu->wakeup);
	vcpu->wakeup = NULL;
	return 0;
}

/* HYP_HYPCALL_VCPU_BIND_HOST_WAKEUP: x1 vCPU -> x1 the primary VM's INTID. */
static int vcpu_bind_host_wakeup(struct hyp_vm *vm, u64 regs[SMCCC_NR_REGS])
{
	struct vcpu *vcpu;
	u32 intid = 0;
	int ret = lookup_vcpu(vm, regs[1], RIGHT_VCPU_BIND_VIRQ, &vcpu);

	if (ret)
		return ret;
	if (vcpu->wakeup)
		return GUNYAH_ERROR_VIRQ_BOUND;
	vcpu->wakeup = hyp_host_virq_alloc(&intid);
	if (!vcpu->wakeup)
		return GUNYAH_ERROR_NORESOURCES;
	regs[1] = intid;
	return 0;
}

/* doorbell_bind_virq: x1 doorbell, x2 vic (a guest's addrspace), x3 the guest's SPI. */
static int doorbell_bind_virq(struct hyp_vm *vm, u64 regs[SMCCC_NR_REGS])
{
	struct addrspace *as;
	struct object *obj;
	int ret;

	ret = lookup(vm, regs[1], OBJECT_DOORBELL, RIGHT_DOORBELL_BIND, &obj);
	if (!ret)
		ret = lookup_guest(vm, regs[2], 0, &as);
	if (ret)
		return ret;
	if (regs[3] > 0xffffffffU)
		return GUNYAH_ERROR_ARG_INVAL;
	return hyp_guest_bind_doorbell(as->guest, container_of(obj, struct doorbell, obj),
				       regs[3]);
}

/* HOST_MEM_GIVE / TAKE_BACK: x1 base, x2 size, x3 flags, x4 borrower VMID, x5 tag. */
static int host_mem(struct hyp_vm *vm, bool give, u64 regs[SMCCC_NR_REGS])
{
	u64 flags = regs[3];
	u64 allowed = give ? HYP_HOST_MEM_LEND : HYP_HOST_MEM_LEND | HYP_HOST_MEM_SANITIZE;

	if ((flags & ~allowed) || regs[4] > 0xffff || regs[5] > 0xffffffffU)
		return GUNYAH_ERROR_ARG_INVAL;
	if (give)
		return hyp_host_mem_give(regs[1], regs[2], flags & HYP_HOST_MEM_LEND, regs[4],
					 regs[5]);
	return hyp_host_mem_take_back(regs[1], regs[2], flags & HYP_HOST_MEM_LEND, regs[4],
				      regs[5], flags & HYP_HOST_MEM_SANITIZE);
}

/*
 * HOST_MEM_READ: x1 the caller's buffer, x2 physical address, x3 length;
 * HOST_MEM_WRITE: x1 physical address, x2 the caller's buffer, x3 length.
 * Only memory the primary VM owns (hyp_host_mem_read/write check it),
 * through the caller's copy routines as message queues do. A failure may
 * leave part of it copied.
 */
static int host_mem_copy(struct hyp_vm *vm, bool write, u64 regs[SMCCC_NR_REGS])
{
	u64 buf = write ? regs[2] : regs[1], pa = write ? regs[1] : regs[2], len = regs[3];
	u8 bounce[HOST_MEM_CHUNK];
	u64 done;
	int ret = 0;

	if (!len || pa + len < pa || buf + len < buf)
		return GUNYAH_ERROR_ADDR_OVFL;
	for (done = 0; done < len && !ret; done += HOST_MEM_CHUNK) {
		size_t n = MIN(len - done, (u64)HOST_MEM_CHUNK);

		if (write) {
			ret = vm->copy_from(bounce, buf + done, n);
			if (!ret)
				ret = hyp_host_mem_write(pa + done, bounce, n);
		} else {
			ret = hyp_host_mem_read(bounce, pa + done, n);
			if (!ret)
				ret = vm->copy_to(buf + done, bounce, n);
		}
	}
	return ret;
}

/* ADDRSPACE_MAP_PA: x1 addrspace, x2 IPA, x3 physical address, x4 size, x5 access (R 4, W 2, X 1). */
static int addrspace_map_pa(struct hyp_vm *vm, u64 regs[SMCCC_NR_REGS])
{
	struct addrspace *as;
	int ret = lookup_guest(vm, regs[1], RIGHT_ADDRSPACE_MAP, &as);

	if (ret)
		return ret;
	if (regs[5] & ~7ULL)
		return GUNYAH_ERROR_ARG_INVAL;
	return hyp_guest_map(as->guest, regs[2], regs[3], regs[4], regs[5]);
}

/* ADDRSPACE_UNMAP_PA: x1 addrspace, x2 IPA, x3 size. */
static int addrspace_unmap_pa(struct hyp_vm *vm, u64 regs[SMCCC_NR_REGS])
{
	struct addrspace *as;
	int ret = lookup_guest(vm, regs[1], RIGHT_ADDRSPACE_MAP, &as);

	return ret ? ret : hyp_guest_unmap(as->guest, regs[2], regs[3]);
}

/* ADDRSPACE_EXIT_REASON: x1 addrspace -> x1 enum guest_exit; ADDRSPACE_BUSY -> x1 bool. */
static int addrspace_query(struct hyp_vm *vm, bool busy, u64 regs[SMCCC_NR_REGS])
{
	struct addrspace *as;
	int ret = lookup_guest(vm, regs[1], 0, &as);

	if (!ret)
		regs[1] = busy ? hyp_guest_busy(as->guest) : hyp_guest_exit_reason(as->guest);
	return ret;
}

static int rm_hypcall(struct hyp_vm *vm, u32 num, u64 regs[SMCCC_NR_REGS])
{
	switch (num) {
	case GUNYAH_HYPCALL_PARTITION_CREATE_ADDRSPACE:
	case GUNYAH_HYPCALL_PARTITION_CREATE_THREAD:
	case GUNYAH_HYPCALL_PARTITION_CREATE_DOORBELL:
	case GUNYAH_HYPCALL_PARTITION_CREATE_MSGQUEUE:
		return partition_create(vm, num, regs);
	case GUNYAH_HYPCALL_OBJECT_ACTIVATE:
		return object_activate(vm, regs);
	case GUNYAH_HYPCALL_DOORBELL_BIND_VIRQ:
		return doorbell_bind_virq(vm, regs);
	case GUNYAH_HYPCALL_MSGQ_BIND_SEND_VIRQ:
		return msgq_bind(vm, true, regs);
	case GUNYAH_HYPCALL_MSGQ_BIND_RECEIVE_VIRQ:
		return msgq_bind(vm, false, regs);
	case GUNYAH_HYPCALL_MSGQ_CONFIGURE:
		return msgq_configure(vm, regs);
	case GUNYAH_HYPCALL_CSPACE_DELETE_CAP_FROM:
		return cap_delete(vm, regs);
	case GUNYAH_HYPCALL_CSPACE_COPY_CAP_FROM:
		return cap_copy(vm, regs);
	case GUNYAH_HYPCALL_VIC_CONFIGURE:
		return vic_configure(vm, regs);
	case GUNYAH_HYPCALL_VIC_ATTACH_VCPU:
		return vic_attach_vcpu(vm, regs);
	case GUNYAH_HYPCALL_ADDRSPACE_CONFIGURE:
		return addrspace_configure(vm, regs);
	case GUNYAH_HYPCALL_VCPU_POWERON:
		return vcpu_poweron(vm, regs);
	case GUNYAH_HYPCALL_VCPU_KILL:
		return vcpu_kill(vm, regs);
	case GUNYAH_HYPCALL_VCPU_SET_AFFINITY:
	case GUNYAH_HYPCALL_VCPU_SET_PRIORITY:
	case GUNYAH_HYPCALL_VCPU_SET_TIMESLICE:
		return vcpu_sched(vm, num, regs);
	case GUNYAH_HYPCALL_VCPU_BIND_VIRQ:
		return vcpu_bind_virq(vm, regs);
	case GUNYAH_HYPCALL_VCPU_UNBIND_VIRQ:
		return vcpu_unbind_virq(vm, regs);
	case GUNYAH_HYPCALL_ADDRSPACE_CONFIGURE_VMMIO:
		return configure_vmmio(vm, regs);
	case GUNYAH_HYPCALL_ADDRSPACE_ATTACH_VDEVICE:
		return attach_vdevice(vm, regs);
	case GUNYAH_HYPCALL_VCPU_REGISTER_WRITE:
		return vcpu_register_write(vm, regs);
	case HYP_HYPCALL_HOST_MEM_GIVE:
		return host_mem(vm, true, regs);
	case HYP_HYPCALL_HOST_MEM_TAKE_BACK:
		return host_mem(vm, false, regs);
	case HYP_HYPCALL_HOST_MEM_READ:
		return host_mem_copy(vm, false, regs);
	case HYP_HYPCALL_HOST_MEM_WRITE:
		return host_mem_copy(vm, true, regs);
	case HYP_HYPCALL_ADDRSPACE_MAP_PA:
		return addrspace_map_pa(vm, regs);
	case HYP_HYPCALL_ADDRSPACE_UNMAP_PA:
		return addrspace_unmap_pa(vm, regs);
	case HYP_HYPCALL_VCPU_BIND_HOST_WAKEUP:
		return vcpu_bind_host_wakeup(vm, regs);
	case HYP_HYPCALL_ADDRSPACE_EXIT_REASON:
		return addrspace_query(vm, false, regs);
	case HYP_HYPCALL_ADDRSPACE_BUSY:
		return addrspace_query(vm, true, regs);
	case HYP_HYPCALL_RM_HOST_DT:
		/* x1 the caller's buffer, x2 its size. */
		return rm_partition_host_dt(vm, regs[1], regs[2]);
	default:
		return GUNYAH_ERROR_UNIMPLEMENTED;
	}
}

bool hypercall_rm_dispatch(struct hyp_vm *vm, u32 num, u64 regs[SMCCC_NR_REGS])
{
	int ret = rm_hypcall(vm, num, regs);

	if (ret == GUNYAH_ERROR_UNIMPLEMENTED)
		return false;
	regs[0] = (u64)(s64)ret;
	return true;
}
