// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzzing core/psci_host.c: the primary VM's PSCI calls (any function ID,
 * any x1..x7, from any of its CPUs that is on), against a model of the
 * firmware and of the physical CPUs: CPU_OFF that succeeds (does not
 * return) or is refused, CPUs that arrive at the warm-boot entry when the
 * firmware started them, firmware errors.
 *
 * Input: u8 nr_cpus, u8 layout, then operations (see below).
 *
 * Invariants: x1..x7 are never changed; the return value is one PSCI
 * allows for the call; the firmware never gets a CPU_ON for a CPU that is
 * on or already being started, nor one for an MPIDR the machine lacks,
 * nor a host entry point (it always gets the warm-boot entry); a CPU the
 * firmware started always finds the entry point and context the host gave
 * for it, and a CPU nobody started finds none.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <fuzz.h>
#include <hyp/psci.h>

#define WARM_ENTRY	0x80001000UL
#define HOST_RAM	0x40000000UL
#define HOST_RAM_END	0x80000000UL

void hyp_log(const char *fmt, ...)
{
}

enum phys { PHYS_OFF, PHYS_STARTING, PHYS_ON, PHYS_STOPPING };

static struct psci_host ph;
static u64 mpidrs[HYP_MAX_CPUS];
static unsigned int nr;
static struct {
	enum phys phys;
	bool host_asked;	/* an accepted CPU_ON not yet taken */
	u64 entry, context;
} cpu[HYP_MAX_CPUS];
static struct fuzz_in *in;
static jmp_buf off_jmp;
static unsigned int off_self;

static int index_of(u64 mpidr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (mpidrs[i] == mpidr)
			return i;
	return -1;
}

static s64 fw_cpu_on(u64 mpidr, u64 entry, u64 context)
{
	int i = index_of(mpidr);
	u8 fail = fuzz_u8(in);

	FUZZ_ASSERT(i >= 0);
	FUZZ_ASSERT(entry == WARM_ENTRY);
	FUZZ_ASSERT(context == (u64)i);
	/* The hypervisor never starts a CPU that is on or on its way. */
	FUZZ_ASSERT(cpu[i].phys == PHYS_OFF);
	if (fail & 1)
		return fail & 2 ? PSCI_RET_INTERNAL_FAILURE : PSCI_RET_ALREADY_ON;
	cpu[i].phys = PHYS_STARTING;
	return PSCI_RET_SUCCESS;
}

static s64 fw_cpu_off(void)
{
	FUZZ_ASSERT(cpu[off_self].phys == PHYS_ON);
	if (fuzz_u8(in) & 1)
		return PSCI_RET_DENIED;
	cpu[off_self].phys = PHYS_STOPPING;
	longjmp(off_jmp, 1);
}

static s64 fw_affinity_info(u64 mpidr)
{
	int i = index_of(mpidr);

	FUZZ_ASSERT(i >= 0);
	/* A CPU being switched off finishes whenever the firmware likes. */
	if (cpu[i].phys == PHYS_STOPPING && (fuzz_u8(in) & 1))
		cpu[i].phys = PHYS_OFF;
	switch (cpu[i].phys) {
	case PHYS_OFF:
		return PSCI_AFFINITY_OFF;
	case PHYS_STARTING:
		return PSCI_AFFINITY_ON_PENDING;
	default:
		return PSCI_AFFINITY_ON;
	}
}

static void fw_system_off(void)
{
}

static void fw_system_reset(void)
{
}

static const struct psci_firmware fw = {
	.cpu_on = fw_cpu_on,
	.cpu_off = fw_cpu_off,
	.affinity_info = fw_affinity_info,
	.system_off = fw_system_off,
	.system_reset = fw_system_reset,
};

static bool entry_valid(u64 entry)
{
	return entry >= HOST_RAM && entry < HOST_RAM_END;
}

static const u32 fids[] = {
	PSCI_VERSION, PSCI_CPU_SUSPEND, PSCI_CPU_OFF, PSCI_CPU_ON, PSCI_64(PSCI_CPU_ON),
	PSCI_AFFINITY_INFO, PSCI_64(PSCI_AFFINITY_INFO), PSCI_MIGRATE_INFO_TYPE,
	PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET, PSCI_FEATURES, PSCI_64(PSCI_SYSTEM_RESET),
};

static void call(unsigned int self, u64 regs[SMCCC_NR_REGS])
{
	u64 before[SMCCC_NR_REGS];
	u32 fid = regs[0];
	bool is64 = fid & SMCCC_64;
	u64 a1 = is64 ? regs[1] : (u32)regs[1], a2 = is64 ? regs[2] : (u32)regs[2];
	u64 a3 = is64 ? regs[3] : (u32)regs[3];
	int target = index_of(a1 & MPIDR_AFFINITY_MASK);
	bool asked_before = target >= 0 && cpu[target].host_asked;
	s64 ret;

	memcpy(before, regs, sizeof(before));
	off_self = self;
	if (setjmp(off_jmp)) {
		/* CPU_OFF went through: the CPU is gone, the call never returns. */
		FUZZ_ASSERT(fid == PSCI_CPU_OFF);
		FUZZ_ASSERT(ph.cpu[self].state == HOST_CPU_OFF_PENDING);
		FUZZ_ASSERT(!ph.lock.locked);
		return;
	}
	psci_host_call(&ph, self, regs);
	FUZZ_ASSERT(!ph.lock.locked);
	FUZZ_ASSERT(!memcmp(regs + 1, before + 1, sizeof(before) - sizeof(before[0])));
	ret = (s64)regs[0];
	switch (fid) {
	case PSCI_VERSION:
		FUZZ_ASSERT(ret == PSCI_VERSION_1_1);
		break;
	case PSCI_CPU_ON:
	case PSCI_64(PSCI_CPU_ON):
		FUZZ_ASSERT(ret == PSCI_RET_SUCCESS || ret == PSCI_RET_INVALID_PARAMS ||
			    ret == PSCI_RET_ALREADY_ON || ret == PSCI_RET_ON_PENDING ||
			    ret == PSCI_RET_INVALID_ADDRESS || ret == PSCI_RET_INTERNAL_FAILURE);
		if (target < 0)
			FUZZ_ASSERT(ret == PSCI_RET_INVALID_PARAMS);
		if (ret == PSCI_RET_SUCCESS) {
			FUZZ_ASSERT(target >= 0 && !asked_before);
			FUZZ_ASSERT(IS_ALIGNED(a2, 4) && entry_valid(a2));
			FUZZ_ASSERT(cpu[target].phys == PHYS_STARTING);
			cpu[target].host_asked = true;
			cpu[target].entry = a2;
			cpu[target].context = a3;
		}
		break;
	case PSCI_CPU_OFF:
		/* Returned: the firmware refused. */
		FUZZ_ASSERT(ret < 0);
		FUZZ_ASSERT(ph.cpu[self].state == HOST_CPU_ON);
		break;
	case PSCI_AFFINITY_INFO:
	case PSCI_64(PSCI_AFFINITY_INFO):
		FUZZ_ASSERT(ret == PSCI_AFFINITY_ON || ret == PSCI_AFFINITY_OFF ||
			    ret == PSCI_AFFINITY_ON_PENDING || ret == PSCI_RET_INVALID_PARAMS);
		if (ret == PSCI_AFFINITY_OFF)
			FUZZ_ASSERT(cpu[target].phys == PHYS_OFF);
		if (ret == PSCI_AFFINITY_ON_PENDING)
			FUZZ_ASSERT(cpu[target].host_asked);
		break;
	case PSCI_FEATURES:
		FUZZ_ASSERT(ret == PSCI_RET_SUCCESS || ret == PSCI_RET_NOT_SUPPORTED);
		break;
	case PSCI_MIGRATE_INFO_TYPE:
		FUZZ_ASSERT(ret == PSCI_TOS_NOT_PRESENT_MP);
		break;
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
		FUZZ_ASSERT(ret == PSCI_RET_INTERNAL_FAILURE);
		break;
	default:
		FUZZ_ASSERT(ret == PSCI_RET_NOT_SUPPORTED);
		break;
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_in input = { data, size };
	unsigned int i, boot;
	u8 layout;
	int ops = 0;

	in = &input;
	nr = 1 + fuzz_u8(in) % HYP_MAX_CPUS;
	layout = fuzz_u8(in);
	boot = (layout >> 2) % nr;
	for (i = 0; i < nr; i++) {
		/* Flat 0.0.0.n, clusters of 4 (0.0.c.n), or Aff3 set. */
		switch (layout & 3) {
		case 0: mpidrs[i] = i; break;
		case 1: mpidrs[i] = ((u64)(i / 4) << 8) | (i % 4); break;
		case 2: mpidrs[i] = (1UL << 32) | i; break;
		default: mpidrs[i] = ((u64)i << 16) | 0x80000000UL; break;
		}
	}
	psci_host_init(&ph, mpidrs, nr, boot, &fw, WARM_ENTRY, entry_valid);
	for (i = 0; i < nr; i++) {
		mpidrs[i] &= MPIDR_AFFINITY_MASK;
		cpu[i] = (typeof(cpu[i])){ .phys = i == boot ? PHYS_ON : PHYS_OFF };
	}

	while (fuzz_more(in) && ops++ < 1024) {
		u8 op = fuzz_u8(in);
		unsigned int c = (op >> 4) % nr;

		if ((op & 0xf) < 12) {
			u64 regs[SMCCC_NR_REGS];
			u8 sel = fuzz_u8(in);

			/* Only a CPU that runs the host makes calls. */
			if (cpu[c].phys != PHYS_ON || ph.cpu[c].state != HOST_CPU_ON)
				continue;
			regs[0] = sel < 0xf0 ? fids[sel % ARRAY_SIZE(fids)] : fuzz_u64(in);
			/* A target: one of ours, most of the time. */
			regs[1] = (sel & 8) ? fuzz_u64(in) : mpidrs[fuzz_u8(in) % nr] |
							   ((sel & 16) ? 0xff000000UL : 0);
			regs[2] = (sel & 32) ? fuzz_u64(in) : HOST_RAM + fuzz_u16(in) * 4UL;
			for (i = 3; i < SMCCC_NR_REGS; i++)
				regs[i] = fuzz_u64(in);
			call(c, regs);
		} else {
			/* CPU @c comes out of the firmware at the warm-boot entry. */
			u64 entry = 0, context = 0;
			bool ok;

			if (cpu[c].phys != PHYS_STARTING)
				continue;
			cpu[c].phys = PHYS_ON;
			ok = psci_host_cpu_started(&ph, c, &entry, &context);
			FUZZ_ASSERT(ok == cpu[c].host_asked);
			if (ok) {
				FUZZ_ASSERT(entry == cpu[c].entry && context == cpu[c].context);
				FUZZ_ASSERT(ph.cpu[c].state == HOST_CPU_ON);
			}
			cpu[c].host_asked = false;
		}
	}
	return 0;
}
