// SPDX-License-Identifier: GPL-2.0-only
/* Copies to and from a VM's EL1 virtual addresses; see arch/guest_va.h. */
#include <string.h>
#include <arch/guest_va.h>
#include <arch/sysreg.h>
#include <hyp/gunyah_abi.h>

#define PAR_F		BIT(0)
#define PAR_PA		GENMASK(47, 12)
#define PAR_ATTR	GENMASK(63, 56)

/* Translate @va as the caller's EL1 would for a read or a write. */
static int guest_va_to_pa(u64 va, bool write, paddr_t *pa)
{
	/* PAR_EL1 belongs to the caller: give it back untouched. */
	u64 saved = read_sysreg(par_el1);
	u64 par;

	if (write)
		asm volatile("at s12e1w, %0" : : "r"(va));
	else
		asm volatile("at s12e1r, %0" : : "r"(va));
	isb();
	par = read_sysreg(par_el1);
	write_sysreg(saved, par_el1);

	if (par & PAR_F)
		return GUNYAH_ERROR_ADDR_INVAL;
	/* Device memory (attribute 0b0000dd00): not a message buffer. */
	if (!(FIELD_GET(PAR_ATTR, par) & 0xf0))
		return GUNYAH_ERROR_ADDR_INVAL;
	*pa = (par & PAR_PA) | (va & (SZ_4K - 1));
	return 0;
}

int guest_va_read(void *dst, u64 va, size_t len)
{
	u8 *d = dst;

	while (len) {
		size_t chunk = MIN(len, SZ_4K - (va & (SZ_4K - 1)));
		paddr_t pa;
		int ret = guest_va_to_pa(va, false, &pa);

		if (ret)
			return ret;
		/* RAM is identity-mapped at EL2. */
		memcpy(d, (const void *)pa, chunk);
		d += chunk;
		va += chunk;
		len -= chunk;
	}
	return 0;
}

int guest_va_write(u64 va, const void *src, size_t len)
{
	const u8 *s = src;
	size_t done;
	paddr_t pa;
	int ret;

	/*
	 * Translate every page first, so that a bad buffer leaves no partial
	 * copy behind (only a VM racing against its own page tables can).
	 */
	for (done = 0; done < len; done += SZ_4K - ((va + done) & (SZ_4K - 1))) {
		ret = guest_va_to_pa(va + done, true, &pa);
		if (ret)
			return ret;
	}
	while (len) {
		size_t chunk = MIN(len, SZ_4K - (va & (SZ_4K - 1)));

		/* Translate again: the tables may have changed meanwhile. */
		ret = guest_va_to_pa(va, true, &pa);
		if (ret)
			return ret;
		memcpy((void *)pa, s, chunk);
		s += chunk;
		va += chunk;
		len -= chunk;
	}
	return 0;
}
