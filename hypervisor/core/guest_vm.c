// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guests as the RM builds them: stage-2 tables tagged with a hardware VMID
 * (the low 8 bits of the Gunyah VMID; dynamic VMIDs 0x80-0xbf and static
 * 1-63 never collide, and the host uses 0), a virtual GIC and vCPUs.
 * Memory is only ever mapped if the ownership record says it was given to
 * that guest.
 */
#include <arch/guest_ctx.h>
#include <arch/mmu.h>
#include <arch/sysreg.h>
#include <hyp/gunyah_abi.h>
#include <hyp/guest.h>
#include <hyp/machine.h>
#include <hyp/memdb.h>
#include <hyp/spinlock.h>
#include <hyp/vcpu.h>
#include <hyp/guest_ops.h>

#define MAX_GUESTS	64

static struct hyp_guest guests[MAX_GUESTS];
static spinlock_t guests_lock;

struct hyp_guest *hyp_guest_create(u16 vmid)
{
	struct hyp_guest *g = NULL;
	unsigned int i;

	spin_lock(&guests_lock);
	for (i = 0; i < MAX_GUESTS && !g; i++) {
		if (!guests[i].used) {
			guests[i].used = true;
			g = &guests[i];
		}
	}
	spin_unlock(&guests_lock);
	if (!g)
		return NULL;
	*g = (struct hyp_guest){ .used = true };
	g->vmid = vmid;
	if (pgtable_init(&g->s2, PGT_STAGE2, &arch_s2_ops, &g->vttbr)) {
		g->used = false;
		return NULL;
	}
	g->vttbr = g->s2.root_pa | ((u64)(vmid & 0xff) << VTTBR_VMID_SHIFT);
	return g;
}

void hyp_guest_destroy(struct hyp_guest *g)
{
	if (!g)
		return;
	guest_forget(g);
	/* Nothing of this VMID may stay in the TLBs once its tables are gone. */
	arch_s2_ops.invalidate(&g->vttbr, 0, PGT_START_LEVEL, true);
	pgtable_destroy(&g->s2);
	spin_lock(&guests_lock);
	g->used = false;
	spin_unlock(&guests_lock);
}

int hyp_guest_map(struct hyp_guest *g, u64 ipa, paddr_t pa, u64 size, unsigned int prot)
{
	int ret = memdb_check_borrower(&hyp_memdb, pa, size, g->vmid);

	/* Every page must have been given to this guest. */
	if (ret == GUNYAH_ERROR_MEMDB_EMPTY || ret == GUNYAH_ERROR_MEMDB_NOT_OWNER)
		return GUNYAH_ERROR_MEMDB_NOT_OWNER;
	/* A range that is not one reports as the page tables see it. */
	return pgtable_map(&g->s2, ipa, pa, size, prot);
}

int hyp_guest_unmap(struct hyp_guest *g, u64 ipa, u64 size)
{
	return pgtable_unmap(&g->s2, ipa, size);
}

int hyp_guest_configure(struct hyp_guest *g, unsigned int nr_vcpus, u64 gicd, u64 gicr)
{
	unsigned int i;

	if (!nr_vcpus || nr_vcpus > VGIC_MAX_VCPUS)
		return GUNYAH_ERROR_ARG_INVAL;
	g->nr_vcpus = nr_vcpus;
	vgic_init(&g->vgic, nr_vcpus, gic_nr_lrs(), gicd, gicr);
	for (i = 0; i < nr_vcpus; i++) {
		g->vcpu[i].guest = g;
		g->vcpu[i].mpidr = BIT(31) | i;
		/* The virtual timer is level, linked to the physical one. */
		vgic_set_hw(&g->vgic, i, VGIC_INTID_VTIMER);
	}
	return 0;
}

int hyp_guest_add_vmmio(struct hyp_guest *g, u64 base, u64 size)
{
	int ret;

	spin_lock(&g->lock);
	ret = vmmio_add(&g->vmmio, base, size);
	spin_unlock(&g->lock);
	return ret == -2 ? GUNYAH_ERROR_NOMEM : ret ? GUNYAH_ERROR_ARG_INVAL : 0;
}

int hyp_guest_bind_vcpu(struct hyp_guest *g, struct vcpu *vcpu)
{
	if (vcpu->index >= g->nr_vcpus || g->vcpu[vcpu->index].obj)
		return GUNYAH_ERROR_ARG_INVAL;
	g->vcpu[vcpu->index].obj = vcpu;
	vcpu->guest = g;
	return 0;
}

int hyp_guest_sched_vcpu(struct hyp_guest *g, unsigned int index, u16 cpu, u8 prio,
			 u64 timeslice_ns)
{
	struct guest_vcpu *v;
	u64 ticks;

	if (index >= g->nr_vcpus || g->started)
		return GUNYAH_ERROR_ARG_INVAL;
	if (cpu != GUEST_CPU_NONE && cpu >= hyp_nr_cpus)
		return GUNYAH_ERROR_ARG_INVAL;
	if (prio > SCHED_PRIO_MAX || timeslice_ns < SCHED_TIMESLICE_MIN_NS ||
	    timeslice_ns > SCHED_TIMESLICE_MAX_NS)
		return GUNYAH_ERROR_ARG_INVAL;
	v = &g->vcpu[index];
	v->scheduled = true;
	v->affinity = cpu;
	/* At most 100 ms: no overflow below a 100 GHz counter. */
	ticks = timeslice_ns * read_sysreg(cntfrq_el0) / 1000000000ULL;
	sched_entity_init(&v->se, prio, ticks);
	return 0;
}

void hyp_guest_bind_halt(struct hyp_guest *g, struct virq *halt)
{
	g->halt = halt;
}

int hyp_guest_start(struct hyp_guest *g, const u64 *regs, unsigned int nr_regs)
{
	struct guest_vcpu *v = &g->vcpu[0];
	unsigned int i;

	if (!g->nr_vcpus || nr_regs < HYP_BOOT_NR_REGS)
		return GUNYAH_ERROR_ARG_INVAL;
	spin_lock(&g->lock);
	/* The guest's virtual counter starts near zero. */
	g->cntvoff = read_sysreg(cntpct_el0);
	guest_vcpu_reset(g, v, regs[HYP_BOOT_REG_PC], regs[0]);
	for (i = 1; i < 31; i++)
		v->gprs.x[i] = regs[i];
	v->el1.sp_el0 = regs[HYP_BOOT_REG_SP_EL0];
	v->el1.sp_el1 = regs[HYP_BOOT_REG_SP_EL1];
	g->exit = GUEST_RUNNING;
	g->started = true;
	spin_unlock(&g->lock);
	guest_sched_start(g);
	return 0;
}

void hyp_guest_stop(struct hyp_guest *g)
{
	spin_lock(&g->lock);
	if (g->exit == GUEST_RUNNING)
		g->exit = GUEST_EXIT_STOPPED;
	/* Everyone waiting must come back to hear it. */
	guest_kick_locked(g, BIT(g->nr_vcpus) - 1);
	spin_unlock(&g->lock);
}

enum guest_exit hyp_guest_exit_reason(struct hyp_guest *g)
{
	enum guest_exit why;

	spin_lock(&g->lock);
	why = g->exit;
	spin_unlock(&g->lock);
	return why;
}

bool hyp_guest_busy(struct hyp_guest *g)
{
	bool busy = false;
	unsigned int i;

	/* The vCPUs the hypervisor runs leave at once once it ended: wait for that. */
	guest_sched_quiesce(g);
	spin_lock(&g->lock);
	for (i = 0; i < g->nr_vcpus; i++)
		busy |= g->vcpu[i].running;
	spin_unlock(&g->lock);
	return busy;
}
