// SPDX-License-Identifier: GPL-2.0-only
/*
 * PSCI for the primary VM. The host sees the physical CPU topology; a CPU it
 * powers on is started by the firmware at the hypervisor's warm-boot entry,
 * which sets up EL2 and then enters the host where it asked.
 */
#include <hyp/console.h>
#include <hyp/psci.h>

void psci_host_init(struct psci_host *ph, const u64 *mpidr, unsigned int nr,
		    unsigned int boot, const struct psci_firmware *fw, u64 warm_entry,
		    bool (*entry_valid)(u64 entry))
{
	unsigned int i;

	spin_lock_init(&ph->lock);
	ph->nr_cpus = MIN(nr, HYP_MAX_CPUS);
	for (i = 0; i < ph->nr_cpus; i++) {
		ph->cpu[i].mpidr = mpidr[i] & MPIDR_AFFINITY_MASK;
		ph->cpu[i].state = i == boot ? HOST_CPU_ON : HOST_CPU_OFF;
		ph->cpu[i].entry = 0;
		ph->cpu[i].context = 0;
	}
	ph->fw = fw;
	ph->warm_entry = warm_entry;
	ph->entry_valid = entry_valid;
}

int psci_host_cpu_index(const struct psci_host *ph, u64 mpidr)
{
	unsigned int i;

	mpidr &= MPIDR_AFFINITY_MASK;
	for (i = 0; i < ph->nr_cpus; i++)
		if (ph->cpu[i].mpidr == mpidr)
			return i;
	return -1;
}

/* A CPU that was told to power off: has the firmware finished? */
static bool psci_host_off_done(struct psci_host *ph, struct psci_host_cpu *c)
{
	if (c->state == HOST_CPU_OFF_PENDING &&
	    ph->fw->affinity_info(c->mpidr) == PSCI_AFFINITY_OFF)
		c->state = HOST_CPU_OFF;
	return c->state == HOST_CPU_OFF;
}

static s64 psci_host_cpu_on(struct psci_host *ph, u64 mpidr, u64 entry, u64 context)
{
	struct psci_host_cpu *c;
	s64 ret;
	int idx;

	idx = psci_host_cpu_index(ph, mpidr);
	if (idx < 0)
		return PSCI_RET_INVALID_PARAMS;

	/* The CPU's state first, as the real Gunyah answers; then the entry. */
	c = &ph->cpu[idx];
	spin_lock(&ph->lock);
	if (c->state == HOST_CPU_ON_PENDING) {
		spin_unlock(&ph->lock);
		return PSCI_RET_ON_PENDING;
	}
	if (!psci_host_off_done(ph, c)) {
		spin_unlock(&ph->lock);
		return PSCI_RET_ALREADY_ON;
	}
	if (!IS_ALIGNED(entry, 4) || !ph->entry_valid(entry)) {
		spin_unlock(&ph->lock);
		return PSCI_RET_INVALID_ADDRESS;
	}
	c->state = HOST_CPU_ON_PENDING;
	c->entry = entry;
	c->context = context;
	spin_unlock(&ph->lock);

	ret = ph->fw->cpu_on(c->mpidr, ph->warm_entry, idx);
	if (ret != PSCI_RET_SUCCESS) {
		hyp_log("firmware CPU_ON of CPU %d (mpidr %#lx) failed: %ld\n", idx,
			(unsigned long)c->mpidr, (long)ret);
		spin_lock(&ph->lock);
		c->state = HOST_CPU_OFF;
		spin_unlock(&ph->lock);
		/* The host asked for a valid CPU: the failure is ours. */
		return ret == PSCI_RET_ALREADY_ON ? ret : PSCI_RET_INTERNAL_FAILURE;
	}
	return PSCI_RET_SUCCESS;
}

static s64 psci_host_cpu_off(struct psci_host *ph, unsigned int self)
{
	struct psci_host_cpu *c = &ph->cpu[self];
	s64 ret;

	spin_lock(&ph->lock);
	c->state = HOST_CPU_OFF_PENDING;
	spin_unlock(&ph->lock);

	ret = ph->fw->cpu_off();

	/* Still here: the firmware refused. */
	spin_lock(&ph->lock);
	c->state = HOST_CPU_ON;
	spin_unlock(&ph->lock);
	return ret ? ret : PSCI_RET_INTERNAL_FAILURE;
}

static s64 psci_host_affinity_info(struct psci_host *ph, u64 mpidr, u64 level)
{
	struct psci_host_cpu *c;
	s64 ret;
	int idx;

	/* Only individual CPUs: there is no cluster power control. */
	if (level != 0)
		return PSCI_RET_INVALID_PARAMS;
	idx = psci_host_cpu_index(ph, mpidr);
	if (idx < 0)
		return PSCI_RET_INVALID_PARAMS;

	c = &ph->cpu[idx];
	spin_lock(&ph->lock);
	if (c->state == HOST_CPU_ON_PENDING)
		ret = PSCI_AFFINITY_ON_PENDING;
	else if (psci_host_off_done(ph, c))
		ret = PSCI_AFFINITY_OFF;
	else
		ret = PSCI_AFFINITY_ON;
	spin_unlock(&ph->lock);
	return ret;
}

static s64 psci_host_features(u32 fid)
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
	case SMCCC_VERSION:	/* how Linux learns that SMCCC 1.1+ is there */
		return PSCI_RET_SUCCESS;
	default:
		return PSCI_RET_NOT_SUPPORTED;
	}
}

void psci_host_call(struct psci_host *ph, unsigned int self, u64 regs[SMCCC_NR_REGS])
{
	u32 fid = (u32)regs[0];
	bool is64 = fid & SMCCC_64;
	/* SMC32 calls take 32-bit arguments. */
	u64 a1 = is64 ? regs[1] : (u32)regs[1];
	u64 a2 = is64 ? regs[2] : (u32)regs[2];
	u64 a3 = is64 ? regs[3] : (u32)regs[3];
	s64 ret;

	switch (fid) {
	case PSCI_VERSION:
		ret = PSCI_VERSION_1_1;
		break;
	case PSCI_CPU_ON:
	case PSCI_64(PSCI_CPU_ON):
		ret = psci_host_cpu_on(ph, a1, a2, a3);
		break;
	case PSCI_CPU_OFF:
		ret = psci_host_cpu_off(ph, self);
		break;
	case PSCI_AFFINITY_INFO:
	case PSCI_64(PSCI_AFFINITY_INFO):
		ret = psci_host_affinity_info(ph, a1, a2);
		break;
	case PSCI_MIGRATE_INFO_TYPE:
		ret = PSCI_TOS_NOT_PRESENT_MP;
		break;
	case PSCI_SYSTEM_OFF:
		hyp_log("host requested system off\n");
		ph->fw->system_off();
		ret = PSCI_RET_INTERNAL_FAILURE;
		break;
	case PSCI_SYSTEM_RESET:
		hyp_log("host requested system reset\n");
		ph->fw->system_reset();
		ret = PSCI_RET_INTERNAL_FAILURE;
		break;
	case PSCI_FEATURES:
		ret = psci_host_features((u32)a1);
		break;
	default:
		ret = PSCI_RET_NOT_SUPPORTED;
		break;
	}
	regs[0] = (u64)ret;
}

bool psci_host_cpu_started(struct psci_host *ph, unsigned int self, u64 *entry,
			   u64 *context)
{
	struct psci_host_cpu *c = &ph->cpu[self];
	bool ok = false;

	spin_lock(&ph->lock);
	if (c->state == HOST_CPU_ON_PENDING) {
		c->state = HOST_CPU_ON;
		*entry = c->entry;
		*context = c->context;
		ok = true;
	}
	spin_unlock(&ph->lock);
	return ok;
}
