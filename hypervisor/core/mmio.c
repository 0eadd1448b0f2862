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
