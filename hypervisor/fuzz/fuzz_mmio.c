// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzzing core/mmio.c: a guest's stage-2 data abort (ESR_EL2, HPFAR_EL2,
 * FAR_EL2, all of which the guest chooses through the instruction and
 * address it faults on), the value of the register a write stores, and the
 * data a VMM answers a read with.
 *
 * Input: esr u64, hpfar u64, far u64, reg u64, data u64 (little endian).
 */
#include <fuzz.h>
#include <hyp/mmio.h>

static u64 mask_of(u8 size)
{
	return size == 8 ? ~0UL : (1UL << (8 * size)) - 1;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_in in = { data, size };
	u64 esr = fuzz_u64(&in), hpfar = fuzz_u64(&in), far = fuzz_u64(&in);
	u64 reg = fuzz_u64(&in), rdata = fuzz_u64(&in), v;
	struct mmio_access a, before;

	memset(&a, 0xa5, sizeof(a));
	before = a;
	if (mmio_decode(esr, hpfar, far, &a)) {
		/* Refused: the access is left as it was. */
		FUZZ_ASSERT(!memcmp(&a, &before, sizeof(a)));
		/* Only a data abort from a lower EL with a valid syndrome is decoded. */
		FUZZ_ASSERT(((esr >> 26) & 0x3f) != 0x24 || !(esr & BIT(24)) ||
			    (esr & (BIT(7) | BIT(8))) || (esr & 0x3c) != 0x04);
		return 0;
	}
	FUZZ_ASSERT(((esr >> 26) & 0x3f) == 0x24 && (esr & BIT(24)));
	FUZZ_ASSERT(!(esr & (BIT(7) | BIT(8))));
	FUZZ_ASSERT(a.size == 1 || a.size == 2 || a.size == 4 || a.size == 8);
	FUZZ_ASSERT(a.reg <= 31);
	/* A 52-bit IPA at most, with the page offset of FAR. */
	FUZZ_ASSERT(a.ipa < (1UL << 52));
	FUZZ_ASSERT((a.ipa & 0xfff) == (far & 0xfff));
	FUZZ_ASSERT(a.write == !!(esr & BIT(6)));

	v = mmio_write_value(&a, reg);
	FUZZ_ASSERT(!(v & ~mask_of(a.size)));
	FUZZ_ASSERT(v == (reg & mask_of(a.size)));

	v = mmio_read_value(&a, rdata);
	/* A W register never gets bits 63:32. */
	if (!a.reg64)
		FUZZ_ASSERT(!(v >> 32));
	/* The bytes read are the low bytes of the register... */
	FUZZ_ASSERT(((v ^ rdata) & mask_of(a.size) & (a.reg64 ? ~0UL : 0xffffffffUL)) == 0);
	/* ...and the rest is zero, or copies of the sign bit. */
	if (a.size < 8) {
		u64 upper = v & ~mask_of(a.size) & (a.reg64 ? ~0UL : 0xffffffffUL);
		bool neg = rdata & (1UL << (8 * a.size - 1));

		FUZZ_ASSERT(upper == ((a.sign_extend && neg) ?
				      (~mask_of(a.size) & (a.reg64 ? ~0UL : 0xffffffffUL)) : 0));
	}
	return 0;
}
