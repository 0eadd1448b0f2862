// SPDX-License-Identifier: GPL-2.0-only
/* Setting SPIs pending in the physical distributor; see arch/gic.h. */
#include <arch/cpu.h>
#include <arch/gic.h>
#include <arch/sysreg.h>
#include <hyp/console.h>
#include <platform/platform.h>

#define GICD_TYPER		0x0004
#define GICD_TYPER_ITLINES	GENMASK(4, 0)
#define GICD_ISPENDR(n)		(0x0200 + 4 * (n))

static inline volatile u32 *gicd(unsigned long off)
{
	return (volatile u32 *)(PLATFORM_GICD_BASE + off);
}

u32 gic_max_spi(void)
{
	return 32 * (FIELD_GET(GICD_TYPER_ITLINES, *gicd(GICD_TYPER)) + 1) - 1;
}

void gic_spi_set_pending(u32 intid)
{
	/* Whatever the interrupt announces must be visible before it. */
	dsb(ishst);
	/* Write-one-to-set: no read-modify-write race with the host. */
	*gicd(GICD_ISPENDR(intid / 32)) = BIT(intid % 32);
}

/* ICC_SGI1R_EL1 */
#define SGI1R_TARGETS		GENMASK(15, 0)
#define SGI1R_AFF1		GENMASK(23, 16)
#define SGI1R_INTID		GENMASK(27, 24)
#define SGI1R_AFF2		GENMASK(39, 32)
#define SGI1R_RS		GENMASK(47, 44)
#define SGI1R_AFF3		GENMASK(55, 48)

void gic_kick_cpu(u64 mpidr)
{
	u64 aff0 = mpidr & 0xff;
	u64 sgi = FIELD_PREP(SGI1R_TARGETS, BIT(aff0 % 16)) |
		  FIELD_PREP(SGI1R_RS, aff0 / 16) |
		  FIELD_PREP(SGI1R_AFF1, (mpidr >> 8) & 0xff) |
		  FIELD_PREP(SGI1R_AFF2, (mpidr >> 16) & 0xff) |
		  FIELD_PREP(SGI1R_AFF3, (mpidr >> 32) & 0xff) |
		  FIELD_PREP(SGI1R_INTID, GIC_SGI_HOST_KICK);

	/* What the kicked CPU is to find must be visible before the SGI. */
	dsb(ishst);
	write_sysreg(sgi, ICC_SGI1R_EL1);
	isb();
}

#define GICR_TYPER		0x0008
#define GICR_TYPER_LAST		BIT(4)
#define GICR_STRIDE		0x20000UL
#define GICR_SGI_BASE		0x10000UL
#define GICR_ISENABLER0		0x0100
#define GICR_ISACTIVER0		0x0300
#define GICR_ICACTIVER0		0x0380
/* QEMU virt's first redistributor region holds at most 123 of them. */
#define GICR_MAX_FRAMES		123

/* This CPU's SGI_base frame: found by affinity the first time. */
static volatile u8 *local_sgi_frame(void)
{
	static volatile u8 *frames[HYP_MAX_CPUS];
	struct hyp_cpu *cpu = this_cpu();
	u64 mpidr = cpu->mpidr;
	u32 aff = (mpidr & 0xffffff) | ((mpidr >> 32) & 0xff) << 24;
	unsigned int i;

	if (frames[cpu->index])
		return frames[cpu->index];
	for (i = 0; i < GICR_MAX_FRAMES; i++) {
		volatile u8 *rd = (volatile u8 *)(PLATFORM_GICR_BASE + i * GICR_STRIDE);
		u64 typer = *(volatile u64 *)(rd + GICR_TYPER);

		if ((u32)(typer >> 32) == aff) {
			frames[cpu->index] = rd + GICR_SGI_BASE;
			break;
		}
		if (typer & GICR_TYPER_LAST)
			break;
	}
	if (!frames[cpu->index])
		hyp_panic("no redistributor for CPU %#lx\n", (unsigned long)mpidr);
	return frames[cpu->index];
}

void gic_local_ppi_enable(u32 intid)
{
	*(volatile u32 *)(local_sgi_frame() + GICR_ISENABLER0) = BIT(intid);
}

void gic_local_ppi_set_active(u32 intid, bool active)
{
	*(volatile u32 *)(local_sgi_frame() + (active ? GICR_ISACTIVER0 : GICR_ICACTIVER0)) =
		BIT(intid);
	dsb(sy);
}
