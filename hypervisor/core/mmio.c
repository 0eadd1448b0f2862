// SPDX-License-Identifier: GPL-2.0-only
/* MMIO access decoding; see include/hyp/mmio.h. */
#include <hyp/mmio.h>

/* ESR_ELx.ISS of a data abort */
#define ISS_ISV		BIT(24)
#define ISS_SAS		GENMASK(23, 22)
#define ISS_SSE		BIT(21)
#define ISS_SRT		GENMASK(20, 16)
#define ISS_SF		BIT(15)
#define ISS_CM		BIT(8)
#define ISS_S1PTW	BIT(7)
#define ISS_WNR		BIT(6)
#define ISS_DFSC	GENMASK(5, 0)
/* Translation faults, levels 0-3 */
#define DFSC_TRANSLATION_MASK	0x3c
#define DFSC_TRANSLATION	0x04

#define ESR_EC_DABT_LOW	0x24

int mmio_decode(u64 esr, u64 hpfar, u64 far, struct mmio_access *a)
{
	if (FIELD_GET(GENMASK(31, 26), esr) != ESR_EC_DABT_LOW)
		return -1;
	if (!(esr & ISS_ISV) || (esr & (ISS_S1PTW | ISS_CM)) ||
	    (FIELD_GET(ISS_DFSC, esr) & DFSC_TRANSLATION_MASK) != DFSC_TRANSLATION)
		return -1;

	/* HPFAR_EL2.FIPA holds IPA[47:12] in bits 43:4. */
	a->ipa = (FIELD_GET(GENMASK(43, 4), hpfar) << 12) | (far & 0xfff);
	a->size = 1 << FIELD_GET(ISS_SAS, esr);
	a->write = esr & ISS_WNR;
	a->sign_extend = esr & ISS_SSE;
	a->reg64 = esr & ISS_SF;
	a->reg = FIELD_GET(ISS_SRT, esr);
	return 0;
}

int vmmio_add(struct vmmio_ranges *r, u64 base, u64 size)
{
	unsigned int i;

	if (!size || base + size - 1 < base)
		return -1;
	for (i = 0; i < r->nr; i++)
		if (base <= r->range[i].base + r->range[i].size - 1 &&
		    r->range[i].base <= base + size - 1)
			return -1;
	if (r->nr == VMMIO_MAX_RANGES)
		return -2;
	r->range[r->nr].base = base;
	r->range[r->nr].size = size;
	r->nr++;
	return 0;
}

bool vmmio_covers(const struct vmmio_ranges *r, u64 ipa, u64 size)
{
	unsigned int i;

	if (!size || ipa + size - 1 < ipa)
		return false;
	for (i = 0; i < r->nr; i++)
		if (ipa >= r->range[i].base && ipa + size - 1 <= r->range[i].base + r->range[i].size - 1)
			return true;
	return false;
}

/* SPSR/PSTATE: EL1 with SP_EL1, AArch64 */
#define PSR_MODE_MASK_ALL	0x1f
#define PSR_MODE_EL1H		0x05
/* The synchronous entry of "current EL with SP_ELx" in the vector table */
#define VECTOR_EL1H_SYNC	0x200
#define VECTOR_ENTRY_SIZE	0x80

enum s2_abort_fate mmio_abort_fate(const struct vmmio_ranges *r, const struct mmio_access *a,
				   u64 pc, u64 pstate, u64 vbar)
{
	if (a && vmmio_covers(r, a->ipa, a->size))
		return S2_ABORT_VMMIO_EXIT;
	if ((pstate & PSR_MODE_MASK_ALL) == PSR_MODE_EL1H &&
	    ALIGN_DOWN(pc, VECTOR_ENTRY_SIZE) == vbar + VECTOR_EL1H_SYNC)
		return S2_ABORT_HALT;
	return S2_ABORT_INJECT;
}

static u64 size_mask(u8 size)
{
	return size == 8 ? ~0UL : (1UL << (8 * size)) - 1;
}

u64 mmio_read_value(const struct mmio_access *a, u64 data)
{
	u64 v = data & size_mask(a->size);

	if (a->sign_extend && a->size < 8 && (v & (1UL << (8 * a->size - 1))))
		v |= ~size_mask(a->size);
	/* A W register: the upper half of Xn is zero. */
	if (!a->reg64)
		v &= 0xffffffffUL;
	return v;
}

u64 mmio_write_value(const struct mmio_access *a, u64 reg)
{
	return reg & size_mask(a->size);
}
