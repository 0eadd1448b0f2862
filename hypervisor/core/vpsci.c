// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SMCCC calls of a guest: the architecture and discovery calls every
 * caller gets (core/smccc.c), PSCI 1.1 for its vCPUs and the VM, and of
 * the Gunyah hypercalls only hypervisor_identify (a guest holds no
 * capabilities yet).
 *
 * PSCI acts on the guest's vCPUs: CPU_ON marks the target to be powered on
 * at its entry point and wakes its owner's thread, which resets it in its
 * next vcpu_run; CPU_OFF powers the caller off, and the last vCPU off ends
 * the VM like SYSTEM_OFF; SYSTEM_RESET ends it with a reset request.
 */
#include <hyp/guest.h>
#include <hyp/gunyah_abi.h>
#include <hyp/hypercall.h>
#include <hyp/psci.h>
#include <hyp/smccc.h>

struct vpsci_ctx {
	struct hyp_guest *g;
	struct guest_vcpu *v;
};

static struct guest_vcpu *vcpu_by_mpidr(struct hyp_guest *g, u64 mpidr)
{
	u64 aff = mpidr & MPIDR_AFFINITY_MASK;

	return aff < g->nr_vcpus ? &g->vcpu[aff] : NULL;
}

static s64 vpsci_cpu_on(struct hyp_guest *g, u64 target, u64 entry, u64 context)
{
	struct guest_vcpu *t = vcpu_by_mpidr(g, target);

	if (!t)
		return PSCI_RET_INVALID_PARAMS;
	if (t->on)
		return PSCI_RET_ALREADY_ON;
	if (t->on_pending)
		return PSCI_RET_ON_PENDING;
	t->on_pending = true;
	t->on_entry = entry;
	t->on_context = context;
	guest_kick_locked(g, BIT(t - g->vcpu));
	return PSCI_RET_SUCCESS;
}

static void vpsci_cpu_off(struct hyp_guest *g, struct guest_vcpu *v)
{
	unsigned int i;

	v->on = false;
	for (i = 0; i < g->nr_vcpus; i++)
		if (g->vcpu[i].on || g->vcpu[i].on_pending)
			return;
	guest_exit_locked(g, GUEST_EXIT_POWER_OFF);
}

static s64 vpsci_affinity_info(struct hyp_guest *g, u64 target, u64 level)
{
	struct guest_vcpu *t = vcpu_by_mpidr(g, target);

	if (!t || level)
		return PSCI_RET_INVALID_PARAMS;
	if (t->on)
		return PSCI_AFFINITY_ON;
	return t->on_pending ? PSCI_AFFINITY_ON_PENDING : PSCI_AFFINITY_OFF;
}

static s64 vpsci_features(u32 fid)
{
	switch (fid) {
	case PSCI_VERSION:
	case PSCI_CPU_OFF:
	case PSCI_CPU_ON:
	case PSCI_64(PSCI_CPU_ON):
	case PSCI_AFFINITY_INFO:
	case PSCI_64(PSCI_AFFINITY_INFO):
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_FEATURES:
	case SMCCC_VERSION:
		return PSCI_RET_SUCCESS;
	default:
		return PSCI_RET_NOT_SUPPORTED;
	}
}

static void vpsci_psci(void *ctx, u64 regs[SMCCC_NR_REGS])
{
	struct vpsci_ctx *c = ctx;
	struct hyp_guest *g = c->g;
	u32 fid = regs[0];
	s64 ret;

	/* SMC32 callers pass 32-bit arguments. */
	if (!(fid & SMCCC_64)) {
		regs[1] = (u32)regs[1];
		regs[2] = (u32)regs[2];
		regs[3] = (u32)regs[3];
	}
	spin_lock(&g->lock);
	switch (fid) {
	case PSCI_VERSION:
		ret = PSCI_VERSION_1_1;
		break;
	case PSCI_FEATURES:
		ret = vpsci_features(regs[1]);
		break;
	case PSCI_MIGRATE_INFO_TYPE:
		ret = PSCI_TOS_NOT_PRESENT_MP;
		break;
	case PSCI_CPU_ON:
	case PSCI_64(PSCI_CPU_ON):
		ret = vpsci_cpu_on(g, regs[1], regs[2], regs[3]);
		break;
	case PSCI_CPU_OFF:
		vpsci_cpu_off(g, c->v);
		ret = PSCI_RET_SUCCESS;
		break;
	case PSCI_AFFINITY_INFO:
	case PSCI_64(PSCI_AFFINITY_INFO):
		ret = vpsci_affinity_info(g, regs[1], regs[2]);
		break;
	case PSCI_SYSTEM_OFF:
		guest_exit_locked(g, GUEST_EXIT_POWER_OFF);
		ret = PSCI_RET_INTERNAL_FAILURE;	/* seen only if it failed */
		break;
	case PSCI_SYSTEM_RESET:
		guest_exit_locked(g, GUEST_EXIT_RESET);
		ret = PSCI_RET_INTERNAL_FAILURE;
		break;
	default:
		ret = PSCI_RET_NOT_SUPPORTED;
		break;
	}
	spin_unlock(&g->lock);
	regs[0] = (u64)ret;
}

static void vpsci_hypercall(void *ctx, u32 num, u64 regs[SMCCC_NR_REGS])
{
	if (num != GUNYAH_HYPCALL_IDENTIFY) {
		regs[0] = (u64)GUNYAH_ERROR_UNIMPLEMENTED;
		return;
	}
	regs[0] = hypercall_api_info();
	regs[1] = 0;	/* no capabilities, no features for guests yet */
	regs[2] = 0;
	regs[3] = 0;
}

static const struct smccc_handlers vpsci_handlers = {
	.psci = vpsci_psci,
	.hypercall = vpsci_hypercall,
};

void vpsci_call(struct hyp_guest *g, struct guest_vcpu *v, u64 regs[8])
{
	struct vpsci_ctx c = { g, v };

	smccc_handle(&vpsci_handlers, &c, regs);
}
