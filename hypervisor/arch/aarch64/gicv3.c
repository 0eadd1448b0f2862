// SPDX-License-Identifier: GPL-2.0-only
/* The physical GICv3, owned by the hypervisor; see arch/gic.h. */
#include <arch/cpu.h>
#include <arch/gic.h>
#include <arch/guest_ctx.h>
#include <arch/sysreg.h>
#include <hyp/console.h>
#include <hyp/psci.h>
#include <platform/platform.h>

#define GICD_CTLR		0x0000
#define GICD_TYPER		0x0004
#define GICD_IGROUPR(n)		(0x0080 + 4 * (n))
#define GICD_ISENABLER(n)	(0x0100 + 4 * (n))
#define GICD_ICENABLER(n)	(0x0180 + 4 * (n))
#define GICD_ISPENDR(n)		(0x0200 + 4 * (n))
#define GICD_ICPENDR(n)		(0x0280 + 4 * (n))
#define GICD_ISACTIVER(n)	(0x0300 + 4 * (n))
#define GICD_ICACTIVER(n)	(0x0380 + 4 * (n))
#define GICD_IPRIORITYR(n)	(0x0400 + (n))
#define GICD_ICFGR(n)		(0x0c00 + 4 * (n))
#define GICD_IROUTER(n)		(0x6000 + 8 * (n))
#define GICD_TYPER_ITLINES	GENMASK(4, 0)
/* Non-secure view or single security state: both have these at 1 and 4. */
#define GICD_CTLR_ENABLE_G1	BIT(1)
#define GICD_CTLR_ARE		BIT(4)
#define GICD_CTLR_RWP		BIT(31)

#define GICR_CTLR		0x0000
#define GICR_TYPER		0x0008
#define GICR_WAKER		0x0014
#define GICR_TYPER_LAST		BIT(4)
#define GICR_WAKER_PS		BIT(1)
#define GICR_WAKER_CA		BIT(2)
#define GICR_STRIDE		0x20000UL
#define GICR_SGI_BASE		0x10000UL
/* In the SGI_base frame: the same offsets as the distributor's word 0. */
#define GICR_IGROUPR0		0x0080
#define GICR_ICFGR1		0x0c04
/* QEMU virt's first redistributor region holds at most 123 of them. */
#define GICR_MAX_FRAMES		123

#define ICC_DIR_EL1		s3_0_c12_c11_1
#define ICC_BPR1_EL1		s3_0_c12_c12_3
#define ICC_CTLR_EL1		s3_0_c12_c12_4
#define ICC_CTLR_EOIMODE	BIT(1)

/* Every interrupt's priority: the hypervisor drops it as soon as it acknowledges. */
#define GIC_PRIO_DEFAULT	0xa0

static u64 cpu_mpidr[HYP_MAX_CPUS];
static volatile u8 *sgi_frames[HYP_MAX_CPUS];
static unsigned int nr_gic_cpus;

static inline volatile u32 *gicd(unsigned long off)
{
	return (volatile u32 *)(PLATFORM_GICD_BASE + off);
}

static void gicd_wait_rwp(void)
{
	while (*gicd(GICD_CTLR) & GICD_CTLR_RWP)
		;
}

u32 gic_max_spi(void)
{
	u32 n = 32 * (FIELD_GET(GICD_TYPER_ITLINES, *gicd(GICD_TYPER)) + 1) - 1;

	return n > 1019 ? 1019 : n;
}

static u64 mpidr_to_irouter(u64 mpidr)
{
	return (mpidr & 0xffffff) | (((mpidr >> 32) & 0xff) << 32);
}

/* The SGI_base frame of CPU @cpu's redistributor, found by affinity. */
static volatile u8 *sgi_frame(unsigned int cpu)
{
	u32 aff;
	unsigned int i;

	if (cpu >= nr_gic_cpus)
		hyp_panic("GIC: no CPU %u\n", cpu);
	if (sgi_frames[cpu])
		return sgi_frames[cpu];
	aff = (cpu_mpidr[cpu] & 0xffffff) | ((cpu_mpidr[cpu] >> 32) & 0xff) << 24;
	for (i = 0; i < GICR_MAX_FRAMES; i++) {
		volatile u8 *rd = (volatile u8 *)(PLATFORM_GICR_BASE + i * GICR_STRIDE);
		u64 typer = *(volatile u64 *)(rd + GICR_TYPER);

		if ((u32)(typer >> 32) == aff) {
			sgi_frames[cpu] = rd + GICR_SGI_BASE;
			return sgi_frames[cpu];
		}
		if (typer & GICR_TYPER_LAST)
			break;
	}
	hyp_panic("no redistributor for CPU %#lx\n", (unsigned long)cpu_mpidr[cpu]);
}

static inline volatile u32 *sgi_reg(unsigned int cpu, unsigned long off)
{
	return (volatile u32 *)(sgi_frame(cpu) + off);
}

void gic_dist_init(const u64 *mpidr, unsigned int nr_cpus)
{
	u32 max = gic_max_spi(), i;

	nr_gic_cpus = nr_cpus > HYP_MAX_CPUS ? HYP_MAX_CPUS : nr_cpus;
	for (i = 0; i < nr_gic_cpus; i++)
		cpu_mpidr[i] = mpidr[i] & MPIDR_AFFINITY_MASK;

	*gicd(GICD_CTLR) = 0;
	gicd_wait_rwp();
	for (i = 32; i <= max; i += 32) {
		*gicd(GICD_IGROUPR(i / 32)) = ~0U;
		*gicd(GICD_ICENABLER(i / 32)) = ~0U;
		*gicd(GICD_ICPENDR(i / 32)) = ~0U;
		*gicd(GICD_ICACTIVER(i / 32)) = ~0U;
	}
	for (i = 32; i <= max; i += 16)
		*gicd(GICD_ICFGR(i / 16)) = 0;
	for (i = 32; i <= max; i++) {
		*(volatile u8 *)gicd(GICD_IPRIORITYR(i)) = GIC_PRIO_DEFAULT;
		*(volatile u64 *)gicd(GICD_IROUTER(i)) = mpidr_to_irouter(cpu_mpidr[0]);
	}
	gicd_wait_rwp();
	*gicd(GICD_CTLR) = GICD_CTLR_ARE;
	gicd_wait_rwp();
	*gicd(GICD_CTLR) = GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1;
	gicd_wait_rwp();
}

static void gicr_wait_rwp(unsigned int cpu)
{
	volatile u32 *ctlr = (volatile u32 *)(sgi_frame(cpu) - GICR_SGI_BASE + GICR_CTLR);

	while (*ctlr & BIT(3))
		;
}

void gic_cpu_init(void)
{
	unsigned int cpu = this_cpu()->index, i;
	volatile u32 *waker = (volatile u32 *)(sgi_frame(cpu) - GICR_SGI_BASE + GICR_WAKER);

	*waker &= ~GICR_WAKER_PS;
	while (*waker & GICR_WAKER_CA)
		;
	*sgi_reg(cpu, GICR_IGROUPR0) = ~0U;
	*sgi_reg(cpu, GICD_ICENABLER(0)) = ~0U;
	gicr_wait_rwp(cpu);
	*sgi_reg(cpu, GICD_ICPENDR(0)) = ~0U;
	*sgi_reg(cpu, GICD_ICACTIVER(0)) = ~0U;
	*sgi_reg(cpu, GICR_ICFGR1) = 0;
	for (i = 0; i < 32; i++)
		*(volatile u8 *)sgi_reg(cpu, GICD_IPRIORITYR(i)) = GIC_PRIO_DEFAULT;
	*sgi_reg(cpu, GICD_ISENABLER(0)) = BIT(GIC_SGI_HYP_KICK) | BIT(GIC_INTID_MAINTENANCE) |
					  BIT(GIC_INTID_HYP_TIMER);

	write_sysreg(ICC_SRE_EL2_ALL, ICC_SRE_EL2);
	isb();
	write_sysreg(0xff, ICC_PMR_EL1);
	write_sysreg(0, ICC_BPR1_EL1);
	write_sysreg(ICC_CTLR_EOIMODE, ICC_CTLR_EL1);
	write_sysreg(1, ICC_IGRPEN1_EL1);
	isb();
	/* List registers reset to UNKNOWN values: the first load empties them all. */
	this_cpu()->lrs_loaded = gic_nr_lrs();
	/*
	 * The hypervisor timer too (a CPU powered on again comes here): off,
	 * so that arch_hyp_timer_arm() knows what it holds.
	 */
	write_sysreg(0, cnthp_ctl_el2);
	isb();
	this_cpu()->hyp_timer_at = 0;
}

u32 gic_ack(void)
{
	u32 intid = read_sysreg(ICC_IAR1_EL1) & 0xffffff;

	/* What the interrupt announces is read after it. */
	dsb(sy);
	return intid;
}

void gic_eoi(u32 intid)
{
	write_sysreg(intid, ICC_EOIR1_EL1);
	isb();
}

void gic_deactivate(u32 intid)
{
	write_sysreg(intid, ICC_DIR_EL1);
	isb();
}

/* The register of a one-bit-per-interrupt set @base for @intid. */
static volatile u32 *bit_reg(unsigned int cpu, u32 intid, unsigned long base)
{
	if (intid < 32)
		return sgi_reg(cpu, base);
	return gicd(base + 4 * (intid / 32));
}

void gic_irq_enable(unsigned int cpu, u32 intid, bool on)
{
	*bit_reg(cpu, intid, on ? GICD_ISENABLER(0) : GICD_ICENABLER(0)) = BIT(intid % 32);
}

void gic_irq_set_pending(unsigned int cpu, u32 intid, bool on)
{
	/* Whatever the interrupt announces must be visible before it. */
	dsb(ishst);
	*bit_reg(cpu, intid, on ? GICD_ISPENDR(0) : GICD_ICPENDR(0)) = BIT(intid % 32);
}

void gic_irq_set_active(unsigned int cpu, u32 intid, bool active)
{
	*bit_reg(cpu, intid, active ? GICD_ISACTIVER(0) : GICD_ICACTIVER(0)) = BIT(intid % 32);
	dsb(sy);
}

void gic_spi_set_edge(u32 intid, bool edge)
{
	volatile u32 *cfg = gicd(GICD_ICFGR(intid / 16));
	u32 bit = 2U << (2 * (intid % 16));

	if (intid < 32)
		return;
	/* The interrupt is disabled while the VM changes its trigger. */
	*cfg = edge ? (*cfg | bit) : (*cfg & ~bit);
}

void gic_spi_route(u32 intid, unsigned int cpu)
{
	if (intid < 32 || cpu >= nr_gic_cpus)
		return;
	*(volatile u64 *)gicd(GICD_IROUTER(intid)) = mpidr_to_irouter(cpu_mpidr[cpu]);
}

void gic_local_ppi_set_active(u32 intid, bool active)
{
	gic_irq_set_active(this_cpu()->index, intid, active);
}

/* ICC_SGI1R_EL1 */
#define SGI1R_TARGETS		GENMASK(15, 0)
#define SGI1R_AFF1		GENMASK(23, 16)
#define SGI1R_INTID		GENMASK(27, 24)
#define SGI1R_AFF2		GENMASK(39, 32)
#define SGI1R_RS		GENMASK(47, 44)
#define SGI1R_AFF3		GENMASK(55, 48)

void gic_kick_cpu(unsigned int cpu)
{
	u64 mpidr, aff0, sgi;

	if (cpu >= nr_gic_cpus)
		return;
	mpidr = cpu_mpidr[cpu];
	aff0 = mpidr & 0xff;
	sgi = FIELD_PREP(SGI1R_TARGETS, BIT(aff0 % 16)) |
	      FIELD_PREP(SGI1R_RS, aff0 / 16) |
	      FIELD_PREP(SGI1R_AFF1, (mpidr >> 8) & 0xff) |
	      FIELD_PREP(SGI1R_AFF2, (mpidr >> 16) & 0xff) |
	      FIELD_PREP(SGI1R_AFF3, (mpidr >> 32) & 0xff) |
	      FIELD_PREP(SGI1R_INTID, GIC_SGI_HYP_KICK);

	/* What the kicked CPU is to find must be visible before the SGI. */
	dsb(ishst);
	write_sysreg(sgi, ICC_SGI1R_EL1);
	isb();
}
