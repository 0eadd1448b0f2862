// SPDX-License-Identifier: GPL-2.0-only
/*
 * Gunyah hypercalls (../shared/spec/abi.md §2). The caller is a struct
 * hyp_vm: a VM trapping with HVC, or the resource manager calling in
 * through rm_hvc() (core/rm_partition.c), which also reaches the calls
 * only it may issue (core/rm_hypcall.c). Each capability sets its bit in api_flags_0 when it lands, so
 * that hypervisor_identify tells the truth about what is implemented.
 *
 * The SMCCC path does not check reserved argument registers (abi.md §1.1);
 * flags arguments with unknown bits set are refused.
 */
#include <hyp/doorbell.h>
#include <hyp/gunyah_abi.h>
#include <hyp/hypercall.h>
#include <hyp/msgq.h>
#include <hyp/vcpu.h>
#include <hyp/vm.h>


u64 hypercall_api_info(void)
{
	return FIELD_PREP(GUNYAH_API_INFO_VERSION, GUNYAH_API_VERSION) |
	       GUNYAH_API_INFO_64BIT |
	       FIELD_PREP(GUNYAH_API_INFO_VARIANT, GUNYAH_API_VARIANT);
}

u64 hypercall_api_flags0(void)
{
	/* Scheduler variant 0 ("trivial"): the host schedules everything. */
	return GUNYAH_API_FLAG_DOORBELL | GUNYAH_API_FLAG_MSGQUEUE;
}

static void hypercall_identify(u64 regs[SMCCC_NR_REGS])
{
	regs[0] = hypercall_api_info();
	regs[1] = hypercall_api_flags0();
	regs[2] = 0;	/* api_flags_1: no SVE context switching advertised */
	regs[3] = 0;	/* api_flags_2 */
}

static int lookup_msgq(struct hyp_vm *vm, u64 capid, u32 rights, struct msgq **q)
{
	struct object *obj;
	int ret = cspace_lookup(&vm->cspace, capid, OBJECT_MSGQUEUE, rights, &obj);

	if (!ret)
		*q = container_of(obj, struct msgq, obj);
	return ret;
}

static int lookup_doorbell(struct hyp_vm *vm, u64 capid, u32 rights, struct doorbell **db)
{
	struct object *obj;
	int ret = cspace_lookup(&vm->cspace, capid, OBJECT_DOORBELL, rights, &obj);

	if (!ret)
		*db = container_of(obj, struct doorbell, obj);
	return ret;
}

/* x1 cap, x2 size, x3 buffer, x4 flags -> x0 error, x1 not_full */
static void hypercall_msgq_send(struct hyp_vm *vm, u64 regs[SMCCC_NR_REGS])
{
	bool not_full = false;
	struct msgq *q;
	int ret;

	ret = lookup_msgq(vm, regs[1], RIGHT_MSGQ_SEND, &q);
	if (!ret && (regs[4] & ~GUNYAH_MSGQ_SEND_PUSH))
		ret = GUNYAH_ERROR_ARG_INVAL;
	if (!ret)
		ret = msgq_send(q, regs[3], regs[2], regs[4] & GUNYAH_MSGQ_SEND_PUSH,
				vm->copy_from, &not_full);
	regs[0] = (u64)(s64)ret;
	regs[1] = not_full;
}

/* x1 cap, x2 buffer, x3 size -> x0 error, x1 size, x2 not_empty */
static void hypercall_msgq_receive(struct hyp_vm *vm, u64 regs[SMCCC_NR_REGS])
{
	bool not_empty = false;
	size_t size = 0;
	struct msgq *q;
	int ret;

	ret = lookup_msgq(vm, regs[1], RIGHT_MSGQ_RECEIVE, &q);
	if (!ret)
		ret = msgq_receive(q, regs[2], regs[3], vm->copy_to, &size, &not_empty);
	regs[0] = (u64)(s64)ret;
	regs[1] = size;
	regs[2] = not_empty;
}

/* x1 cap -> x0 error; needs the receive right */
static void hypercall_msgq_flush(struct hyp_vm *vm, u64 regs[SMCCC_NR_REGS])
{
	struct msgq *q;
	int ret;

	ret = lookup_msgq(vm, regs[1], RIGHT_MSGQ_RECEIVE, &q);
	if (!ret)
		msgq_flush(q);
	regs[0] = (u64)(s64)ret;
}

/* x1 cap, x2 new flags -> x0 error, x1 old flags */
static void hypercall_doorbell_send(struct hyp_vm *vm, u64 regs[SMCCC_NR_REGS])
{
	struct doorbell *db;
	int ret;

	ret = lookup_doorbell(vm, regs[1], RIGHT_DOORBELL_SEND, &db);
	/* Sending nothing is a caller's mistake, as on the real Gunyah. */
	if (!ret && !regs[2])
		ret = GUNYAH_ERROR_ARG_INVAL;
	regs[1] = ret ? 0 : doorbell_send(db, regs[2]);
	regs[0] = (u64)(s64)ret;
}

/* x1 cap, x2 flags to clear -> x0 error, x1 old flags */
static void hypercall_doorbell_receive(struct hyp_vm *vm, u64 regs[SMCCC_NR_REGS])
{
	struct doorbell *db;
	u64 old = 0;
	int ret;

	ret = lookup_doorbell(vm, regs[1], RIGHT_DOORBELL_RECEIVE, &db);
	if (!ret)
		ret = doorbell_receive(db, regs[2], &old);
	regs[0] = (u64)(s64)ret;
	regs[1] = old;
}

/*
 * Reset and mask: either end may configure the doorbell. Linux's level
 * irqfd programs the masks through the send capability (BELL_TX) it holds.
 */
static int lookup_doorbell_either_end(struct hyp_vm *vm, u64 capid, struct doorbell **db)
{
	int ret = lookup_doorbell(vm, capid, RIGHT_DOORBELL_RECEIVE, db);

	if (ret == GUNYAH_ERROR_CSPACE_INSUFFICIENT_RIGHTS)
		ret = lookup_doorbell(vm, capid, RIGHT_DOORBELL_SEND, db);
	return ret;
}

/* x1 cap -> x0 error */
static void hypercall_doorbell_reset(struct hyp_vm *vm, u64 regs[SMCCC_NR_REGS])
{
	struct doorbell *db;
	int ret;

	ret = lookup_doorbell_either_end(vm, regs[1], &db);
	if (!ret)
		doorbell_reset(db);
	regs[0] = (u64)(s64)ret;
}

/* x1 cap, x2 enable mask, x3 ack mask -> x0 error */
static void hypercall_doorbell_mask(struct hyp_vm *vm, u64 regs[SMCCC_NR_REGS])
{
	struct doorbell *db;
	int ret;

	ret = lookup_doorbell_either_end(vm, regs[1], &db);
	if (!ret)
		doorbell_mask(db, regs[2], regs[3]);
	regs[0] = (u64)(s64)ret;
}

/*
 * Run a guest vCPU (core/vcpu_run.c). Builds without guest execution (the
 * host unit tests) get this stand-in.
 */
__attribute__((weak)) int guest_vcpu_run(struct vcpu *vcpu, const u64 resume[3], u64 out[4])
{
	return GUNYAH_ERROR_UNIMPLEMENTED;
}

/* x1 vCPU cap, x2-x4 resume data -> x0 error, x1 state, x2-x4 state data */
static void hypercall_vcpu_run(struct hyp_vm *vm, u64 regs[SMCCC_NR_REGS])
{
	u64 out[4] = { 0 };
	struct object *obj;
	int ret;

	ret = cspace_lookup(&vm->cspace, regs[1], OBJECT_VCPU, RIGHT_VCPU_YIELD_TO, &obj);
	if (ret == GUNYAH_ERROR_CSPACE_WRONG_OBJECT_TYPE)
		ret = GUNYAH_ERROR_ARG_INVAL;
	if (!ret)
		ret = guest_vcpu_run(container_of(obj, struct vcpu, obj), &regs[2], out);
	regs[0] = (u64)(s64)ret;
	regs[1] = out[0];
	regs[2] = out[1];
	regs[3] = out[2];
	regs[4] = out[3];
}

/*
 * The resource manager's own hypercalls (core/rm_hypcall.c). Builds
 * without the RM (the hypercall unit tests) get this stand-in.
 */
__attribute__((weak)) bool hypercall_rm_dispatch(struct hyp_vm *vm, u32 num,
						 u64 regs[SMCCC_NR_REGS])
{
	return false;
}

void hypercall_dispatch(void *ctx, u32 num, u64 regs[SMCCC_NR_REGS])
{
	struct hyp_vm *vm = ctx;

	switch (num) {
	case GUNYAH_HYPCALL_IDENTIFY:
		hypercall_identify(regs);
		break;
	case GUNYAH_HYPCALL_MSGQ_SEND:
		hypercall_msgq_send(vm, regs);
		break;
	case GUNYAH_HYPCALL_MSGQ_RECEIVE:
		hypercall_msgq_receive(vm, regs);
		break;
	case GUNYAH_HYPCALL_MSGQ_FLUSH:
		hypercall_msgq_flush(vm, regs);
		break;
	case GUNYAH_HYPCALL_DOORBELL_SEND:
		hypercall_doorbell_send(vm, regs);
		break;
	case GUNYAH_HYPCALL_DOORBELL_RECEIVE:
		hypercall_doorbell_receive(vm, regs);
		break;
	case GUNYAH_HYPCALL_DOORBELL_RESET:
		hypercall_doorbell_reset(vm, regs);
		break;
	case GUNYAH_HYPCALL_DOORBELL_MASK:
		hypercall_doorbell_mask(vm, regs);
		break;
	case GUNYAH_HYPCALL_VCPU_RUN:
		hypercall_vcpu_run(vm, regs);
		break;
	default:
		/* Every other VM sees them as the unknown numbers they are to it. */
		if (vm && vm->vmid == VMID_RM && hypercall_rm_dispatch(vm, num, regs))
			break;
		regs[0] = (u64)GUNYAH_ERROR_UNIMPLEMENTED;
		break;
	}
}
