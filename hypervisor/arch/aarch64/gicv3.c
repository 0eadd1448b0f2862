// SPDX-License-Identifier: GPL-2.0-only
/* Setting SPIs pending in the physical distributor; see arch/gic.h. */
#include <arch/gic.h>
#include <arch/sysreg.h>
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
