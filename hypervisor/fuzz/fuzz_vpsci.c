// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzzing core/vpsci.c and the SMCCC decoding in front of it
 * (core/smccc.c): a guest's HVC/SMC #0 with any x0..x7, from any of its
 * vCPUs that is on, interleaved with its owner's vcpu_run calls that power
 * on the vCPUs CPU_ON named (as core/vcpu_run.c does).
 *
 * Input: u8 nr_vcpus, then operations (see below).
 *
 * Invariants: x4..x7 are never changed (SMCCC); of the Gunyah hypercalls
 * a guest reaches only hypervisor_identify; CPU_ON targets an existing
 * vCPU, records the entry point and context the guest gave (truncated for
 * SMC32) and kicks that vCPU only; no vCPU is ever both on and pending
 * on; kicks name existing vCPUs only; the guest's lock is held where the
 * callees expect it and released at the end; the VM ends only by
 * SYSTEM_OFF, SYSTEM_RESET or the last vCPU's CPU_OFF.
 */
#include <fuzz.h>
#include <hyp/guest.h>
#include <hyp/gunyah_abi.h>
#include <hyp/psci.h>

static struct hyp_guest g;
static u32 kicked;
static int exits;

/* core/vcpu_run.c's, which needs the CPU: recorded and checked here. */
void guest_kick_locked(struct hyp_guest *guest, u32 mask)
{
	FUZZ_ASSERT(guest == &g && g.lock.locked);
	FUZZ_ASSERT(!(mask & ~(u32)(BIT(g.nr_vcpus) - 1)));
	kicked |= mask;
}

void guest_exit_locked(struct hyp_guest *guest, enum guest_exit why)
{
	FUZZ_ASSERT(guest == &g && g.lock.locked);
	FUZZ_ASSERT(why == GUEST_EXIT_POWER_OFF || why == GUEST_EXIT_RESET);
	if (g.exit == GUEST_RUNNING)
		g.exit = why;
	exits++;
}

static bool is_psci(u32 fid)
{
	return (fid & SMCCC_FAST_CALL) && !(fid & SMCCC_MBZ) &&
	       FIELD_GET(SMCCC_OWNER, fid) == SMCCC_OWNER_STANDARD &&
	       FIELD_GET(SMCCC_FUNC, fid) <= 0x1f;
}

static void call(unsigned int self, u64 regs[8])
{
	struct guest_vcpu *v = &g.vcpu[self];
	u32 fid = (u32)regs[0] & ~(u32)SMCCC_SVE_HINT;
	bool is64 = fid & SMCCC_64;
	u64 a1 = is64 ? regs[1] : (u32)regs[1], a2 = is64 ? regs[2] : (u32)regs[2];
	u64 a3 = is64 ? regs[3] : (u32)regs[3];
	u64 aff = a1 & MPIDR_AFFINITY_MASK;
	struct guest_vcpu t_before = aff < g.nr_vcpus ? g.vcpu[aff] : g.vcpu[0];
	u64 before[8];
	int exits_before = exits;
	unsigned int on_before = 0, i;
	s64 ret;

	for (i = 0; i < g.nr_vcpus; i++)
		on_before += g.vcpu[i].on || g.vcpu[i].on_pending;
	memcpy(before, regs, sizeof(before));
	kicked = 0;
	vpsci_call(&g, v, regs);
	ret = (s64)regs[0];
	FUZZ_ASSERT(!g.lock.locked);
	FUZZ_ASSERT(!memcmp(regs + 4, before + 4, 4 * sizeof(u64)));
	for (i = 0; i < g.nr_vcpus; i++)
		FUZZ_ASSERT(!(g.vcpu[i].on && g.vcpu[i].on_pending));

	/* A Gunyah hypercall (owner 6, class 2, SMC64): only identify. */
	if ((fid & SMCCC_FAST_CALL) && is64 && !(fid & SMCCC_MBZ) &&
	    FIELD_GET(SMCCC_OWNER, fid) == SMCCC_OWNER_VENDOR_HYP &&
	    FIELD_GET(SMCCC_VENDOR_HYP_CLASS, fid) == SMCCC_VENDOR_HYP_CLASS_HYPCALL) {
		if (FIELD_GET(SMCCC_HYPCALL_NUM, fid) != GUNYAH_HYPCALL_IDENTIFY) {
			FUZZ_ASSERT(ret == GUNYAH_ERROR_UNIMPLEMENTED);
			FUZZ_ASSERT(!memcmp(regs + 1, before + 1, 3 * sizeof(u64)));
		} else {
			/* No capabilities, no features for guests. */
			FUZZ_ASSERT(!regs[1] && !regs[2] && !regs[3]);
		}
	}
	if (!is_psci(fid)) {
		FUZZ_ASSERT(!kicked && exits == exits_before);
		return;
	}
	switch (fid) {
	case PSCI_CPU_ON:
	case PSCI_64(PSCI_CPU_ON):
		if (aff >= g.nr_vcpus) {
			FUZZ_ASSERT(ret == PSCI_RET_INVALID_PARAMS && !kicked);
			break;
		}
		if (ret == PSCI_RET_SUCCESS) {
			FUZZ_ASSERT(!t_before.on && !t_before.on_pending);
			FUZZ_ASSERT(g.vcpu[aff].on_pending);
			FUZZ_ASSERT(g.vcpu[aff].on_entry == a2 && g.vcpu[aff].on_context == a3);
			FUZZ_ASSERT(kicked == BIT(aff));
		} else {
			FUZZ_ASSERT(ret == (t_before.on ? PSCI_RET_ALREADY_ON : PSCI_RET_ON_PENDING));
			FUZZ_ASSERT(!memcmp(&g.vcpu[aff], &t_before, sizeof(t_before)));
			FUZZ_ASSERT(!kicked);
		}
		break;
	case PSCI_CPU_OFF:
		FUZZ_ASSERT(!v->on);
		/* The last one off ends the VM. */
		FUZZ_ASSERT((exits > exits_before) == (on_before == 1));
		break;
	case PSCI_AFFINITY_INFO:
	case PSCI_64(PSCI_AFFINITY_INFO):
		if (aff >= g.nr_vcpus || a2)
			FUZZ_ASSERT(ret == PSCI_RET_INVALID_PARAMS);
		else
			FUZZ_ASSERT(ret == (t_before.on ? PSCI_AFFINITY_ON :
					    t_before.on_pending ? PSCI_AFFINITY_ON_PENDING :
					    PSCI_AFFINITY_OFF));
		break;
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
		FUZZ_ASSERT(exits == exits_before + 1);
		break;
	default:
		FUZZ_ASSERT(exits == exits_before);
		break;
	}
	if (fid != PSCI_CPU_ON && fid != PSCI_64(PSCI_CPU_ON))
		FUZZ_ASSERT(!kicked || exits > exits_before);
}

static const u32 fids[] = {
	PSCI_VERSION, PSCI_CPU_SUSPEND, PSCI_CPU_OFF, PSCI_CPU_ON, PSCI_64(PSCI_CPU_ON),
	PSCI_AFFINITY_INFO, PSCI_64(PSCI_AFFINITY_INFO), PSCI_MIGRATE_INFO_TYPE,
	PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET, PSCI_FEATURES, SMCCC_VERSION, SMCCC_ARCH_FEATURES,
	0xc6000000, 0xc6008000 | GUNYAH_HYPCALL_MSGQ_SEND, 0xc6008000 | GUNYAH_HYPCALL_VCPU_RUN,
	0x8600ff01, 0x8600ff03, 0x8500ff01, 0x8500ff03,
};

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_in in = { data, size };
	unsigned int i;
	int ops = 0;

	memset(&g, 0, sizeof(g));
	spin_lock_init(&g.lock);
	g.nr_vcpus = 1 + fuzz_u8(&in) % VGIC_MAX_VCPUS;
	g.started = true;
	g.vcpu[0].on = true;
	exits = 0;

	while (fuzz_more(&in) && ops++ < 1024 && g.exit == GUEST_RUNNING) {
		u8 op = fuzz_u8(&in);
		unsigned int c = (op >> 4) % g.nr_vcpus;
		struct guest_vcpu *v = &g.vcpu[c];

		if ((op & 0xf) < 12) {
			u64 regs[8];
			u8 sel = fuzz_u8(&in);

			/* Only a vCPU that is on runs guest code. */
			if (!v->on)
				continue;
			regs[0] = sel < 0xe0 ? fids[sel % ARRAY_SIZE(fids)] | ((sel & 0x80) ? SMCCC_SVE_HINT : 0) :
					       fuzz_u64(&in);
			regs[1] = (sel & 0x40) ? fuzz_u64(&in) : fuzz_u8(&in) % (VGIC_MAX_VCPUS + 1);
			for (i = 2; i < 8; i++)
				regs[i] = fuzz_u64(&in);
			call(c, regs);
		} else if (!v->on && v->on_pending) {
			/* Its owner's vcpu_run powers it on (vcpu_wait_state). */
			v->on_pending = false;
			v->on = true;
		}
	}
	return 0;
}
