// SPDX-License-Identifier: GPL-2.0-only
/* The primary VM's virtual GIC; see include/hyp/host_gic.h. */
#include <arch/cpu.h>
#include <arch/gic.h>
#include <arch/guest_ctx.h>
#include <arch/guest_run.h>
#include <arch/sysreg.h>
#include <hyp/console.h>
#include <hyp/host_gic.h>
#include <hyp/psci.h>
#include <hyp/spinlock.h>
#include <hyp/vgic.h>
#include <platform/platform.h>

static struct vgic_dist host_vgic;
static struct vgic_irq host_spis[VGIC_MAX_IRQS - VGIC_NR_PRIVATE];
/* Leaf lock: nothing is called with it held but the physical GIC hooks. */
static spinlock_t host_vgic_lock;
static u32 phys_max_spi;

/*
 * What each CPU keeps of its host vCPU's interface besides the model and
 * struct hyp_cpu's host_lrs_used and host_gic_dirty.
 */
static struct host_gic_cpu {
	bool guest;		/* a guest is loaded: the host's state is saved */
	struct gic_cpuif_state cpuif;
} hcpu[HYP_MAX_CPUS];

/* The host's private interrupts with a physical twin: its PMU and timers. */
static const u32 host_ppis[] = { GIC_INTID_PMU, GIC_INTID_VTIMER, GIC_INTID_PTIMER };

static bool host_linked(void *ctx __unused, u32 intid)
{
	unsigned int i;

	if (intid >= VGIC_NR_PRIVATE)
		return intid <= phys_max_spi;
	for (i = 0; i < ARRAY_SIZE(host_ppis); i++)
		if (intid == host_ppis[i])
			return true;
	return false;
}

static void phys_enable(void *ctx __unused, unsigned int rd, u32 intid, bool on)
{
	gic_irq_enable(rd, intid, on);
}

static void phys_set_edge(void *ctx __unused, u32 intid, bool edge)
{
	gic_spi_set_edge(intid, edge);
}

static void phys_route(void *ctx __unused, u32 intid, unsigned int vcpu)
{
	gic_spi_route(intid, vcpu);
}

static void phys_pend(void *ctx __unused, unsigned int rd, u32 intid, bool on)
{
	gic_irq_set_pending(rd, intid, on);
}

static void phys_deactivate(void *ctx __unused, unsigned int rd, u32 intid)
{
	gic_irq_set_active(rd, intid, false);
}

static const struct vgic_phys_ops host_phys_ops = {
	.linked = host_linked,
	.enable = phys_enable,
	.set_edge = phys_set_edge,
	.route = phys_route,
	.pend = phys_pend,
	.deactivate = phys_deactivate,
};

void host_gic_init(const struct machine *m)
{
	unsigned int i;

	/* Host vCPU i is CPU i; the virtual redistributors say affinity 0.0.0.i. */
	for (i = 0; i < m->nr_cpus; i++)
		if ((m->mpidr[i] & MPIDR_AFFINITY_MASK) != i)
			hyp_panic("CPU %u has MPIDR %#lx: only 0.0.0.n is supported\n", i,
				  (unsigned long)m->mpidr[i]);
	gic_dist_init(m->mpidr, m->nr_cpus);
	phys_max_spi = gic_max_spi();
	if (phys_max_spi >= PLATFORM_HOST_VIRQ_BASE)
		hyp_panic("physical SPIs up to %u overlap the host's virtual ones\n",
			  phys_max_spi);
	spin_lock_init(&host_vgic_lock);
	vgic_init_linked(&host_vgic, m->nr_cpus, gic_nr_lrs(), PLATFORM_GICD_BASE,
			 PLATFORM_GICR_BASE, VGIC_MAX_IRQS, host_spis, &host_phys_ops, NULL);
	/* Its list registers are read back lazily (host_gic.h). */
	host_vgic.kick_in_lr = true;
	hyp_log("host GIC: %u SPIs (INTIDs up to %u linked), %u list registers\n",
		VGIC_MAX_IRQS - VGIC_NR_PRIVATE, phys_max_spi, host_vgic.nr_lrs);
}

/* What the host's list registers hold, back into the model. */
static void host_gic_sync_images(bool from_hw)
{
	unsigned int cpu = this_cpu()->index;
	struct vgic_cpu *c = &host_vgic.cpu[cpu];

	if (from_hw)
		gic_lrs_read(c->lr, c->nr_lr_used);
	spin_lock(&host_vgic_lock);
	vgic_sync(&host_vgic, cpu);
	spin_unlock(&host_vgic_lock);
	this_cpu()->host_lrs_used = 0;
	this_cpu()->host_gic_dirty = true;
}

static void host_gic_sync(void)
{
	host_gic_sync_images(true);
}

void host_gic_cpu_init(void)
{
	unsigned int cpu = this_cpu()->index;
	unsigned int i;

	gic_cpu_init();
	/*
	 * Powered off with interrupts in its list registers: what it had not
	 * taken goes back to the model, pending, as a CPU interface hands
	 * its pending interrupts back to the redistributor when it sleeps.
	 * The registers themselves did not survive.
	 */
	if (this_cpu()->host_lrs_used)
		host_gic_sync_images(false);
	/* After a power cycle the host's enabled timers are enabled again. */
	spin_lock(&host_vgic_lock);
	for (i = 0; i < ARRAY_SIZE(host_ppis); i++)
		if (host_vgic.cpu[cpu].priv[host_ppis[i]].enabled)
			gic_irq_enable(cpu, host_ppis[i], true);
	spin_unlock(&host_vgic_lock);
	write_sysreg(0, ICH_VMCR_EL2);
	hcpu[cpu].guest = false;
	this_cpu()->host_gic_dirty = true;
}

/* New interrupts for the host vCPUs in @mask: make their CPUs look. */
static void kick(u32 mask)
{
	unsigned int self = this_cpu()->index, i;

	for (i = 0; mask; i++, mask >>= 1) {
		if (!(mask & 1))
			continue;
		/* A guest on this CPU leaves through the interrupt. */
		if (i == self && !hcpu[self].guest)
			this_cpu()->host_gic_dirty = true;
		else
			gic_kick_cpu(i);
	}
}

bool host_gic_owns(u64 ipa)
{
	return ipa >= PLATFORM_GIC_BASE && ipa - PLATFORM_GIC_BASE < PLATFORM_GIC_SIZE;
}

bool host_gic_mmio(const struct mmio_access *a, u64 reg, u64 *val)
{
	u64 v = a->write ? mmio_write_value(a, reg) : 0;
	u32 mask;
	bool ours;

	spin_lock(&host_vgic_lock);
	ours = vgic_mmio(&host_vgic, this_cpu()->index, a->ipa, a->size, a->write, &v, &mask);
	spin_unlock(&host_vgic_lock);
	kick(mask);
	*val = v;
	return ours;
}

void host_gic_sgi(u64 v)
{
	u32 mask;

	spin_lock(&host_vgic_lock);
	mask = vgic_sgi(&host_vgic, this_cpu()->index, v);
	spin_unlock(&host_vgic_lock);
	kick(mask);
}

void host_gic_raise(u32 intid)
{
	u32 mask;

	spin_lock(&host_vgic_lock);
	mask = vgic_inject_edge(&host_vgic, 0, intid);
	spin_unlock(&host_vgic_lock);
	kick(mask);
}


void host_gic_flush_lrs(void)
{
	unsigned int cpu = this_cpu()->index;
	struct vgic_cpu *c = &host_vgic.cpu[cpu];

	if (this_cpu()->host_lrs_used)
		host_gic_sync();
	this_cpu()->host_gic_dirty = false;
	spin_lock(&host_vgic_lock);
	vgic_flush(&host_vgic, cpu);
	spin_unlock(&host_vgic_lock);
	this_cpu()->host_lrs_used = c->nr_lr_used;
	gic_lrs_load(c->lr, c->nr_lr_used);
	write_sysreg(ICH_HCR_EN | (c->underflow ? ICH_HCR_UIE : 0), ICH_HCR_EL2);
	isb();
}

bool host_gic_pending(void)
{
	bool pending;

	if (this_cpu()->host_lrs_used)
		host_gic_sync();
	spin_lock(&host_vgic_lock);
	pending = vgic_has_pending(&host_vgic, this_cpu()->index);
	spin_unlock(&host_vgic_lock);
	return pending;
}

void host_gic_guest_load(void)
{
	unsigned int cpu = this_cpu()->index;
	bool drop = false;

	if (this_cpu()->host_lrs_used)
		host_gic_sync();
	gic_cpuif_save(&hcpu[cpu].cpuif);
	hcpu[cpu].guest = true;
	/* A hint: the lock is taken only if there may be something to drop. */
	if (READ_ONCE(host_vgic.cpu[cpu].priv[GIC_INTID_VTIMER].latched)) {
		spin_lock(&host_vgic_lock);
		drop = vgic_drop_linked(&host_vgic, cpu, GIC_INTID_VTIMER);
		spin_unlock(&host_vgic_lock);
	}
	if (drop)
		gic_deactivate(GIC_INTID_VTIMER);
}

void host_gic_guest_put(void)
{
	unsigned int cpu = this_cpu()->index;

	gic_cpuif_restore(&hcpu[cpu].cpuif);
	hcpu[cpu].guest = false;
	/*
	 * The host's list registers were synced before the guest came
	 * (host_lrs_used is 0): empty them of the guest's, or rebuild them
	 * on the way out if anything came for the host meanwhile.
	 */
	if (!this_cpu()->host_gic_dirty) {
		gic_lrs_load(NULL, 0);
		write_sysreg(ICH_HCR_EN, ICH_HCR_EL2);
	}
}

/* Interrupts no one should raise, logged this many times at most. */
#define STRAY_LOG_MAX	8
static unsigned int stray_logged;

unsigned int hyp_irq_handle(bool guest_loaded)
{
	unsigned int cpu = this_cpu()->index, flags = 0, n;

	/* Bounded: a level source that stays up is seen again at the next exit. */
	for (n = 0; n < 16; n++) {
		u32 intid = gic_ack(), mask;

		if (intid >= GIC_INTID_SPECIAL)
			break;
		gic_eoi(intid);
		switch (intid) {
		case GIC_SGI_HYP_KICK:
			gic_deactivate(intid);
			this_cpu()->host_gic_dirty = true;
			flags |= HYP_IRQ_KICK;
			continue;
		case GIC_INTID_HYP_TIMER:
			/* Level: it drops with the timer's enable. */
			arch_hyp_timer_disarm();
			gic_deactivate(intid);
			flags |= HYP_IRQ_TIMER;
			continue;
		case GIC_INTID_MAINTENANCE:
			/* Underflow of the loaded list registers: refilled on the way out. */
			write_sysreg(read_sysreg(ICH_HCR_EL2) & ~ICH_HCR_UIE, ICH_HCR_EL2);
			isb();
			gic_deactivate(intid);
			this_cpu()->host_gic_dirty = true;
			continue;
		case GIC_INTID_VTIMER:
			if (guest_loaded) {
				flags |= HYP_IRQ_VTIMER;
				continue;
			}
			break;
		default:
			break;
		}
		/* Which interrupts are linked never changes: no lock for that. */
		if (!host_linked(NULL, intid)) {
			gic_deactivate(intid);
			if (stray_logged < STRAY_LOG_MAX) {
				stray_logged++;
				hyp_log("CPU %u: physical interrupt %u belongs to no one\n", cpu,
					intid);
			}
			continue;
		}
		spin_lock(&host_vgic_lock);
		mask = vgic_inject_linked(&host_vgic, cpu, intid);
		spin_unlock(&host_vgic_lock);
		flags |= HYP_IRQ_HOST;
		/* This CPU is at EL2 already: its caller looks at the host's state. */
		if (mask & BIT(cpu))
			this_cpu()->host_gic_dirty = true;
		kick(mask & ~BIT(cpu));
	}
	return flags;
}
