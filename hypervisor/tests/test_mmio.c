// SPDX-License-Identifier: GPL-2.0-only
/* Host tests of MMIO access decoding (core/mmio.c). */
#include <test.h>
#include <hyp/mmio.h>

#define EC_DABT_LOW	(0x24UL << 26)
#define IL		(1UL << 25)
#define ISV		(1UL << 24)
#define SAS(n)		((u64)(n) << 22)
#define SSE		(1UL << 21)
#define SRT(n)		((u64)(n) << 16)
#define SF		(1UL << 15)
#define CM		(1UL << 8)
#define S1PTW		(1UL << 7)
#define WNR		(1UL << 6)
#define FSC_TRANS(l)	(0x04UL + (l))

/* IPA 0x0901_0000 + the page offset of FAR. */
#define HPFAR		((0x09010000UL >> 12) << 4)

TEST(decode_store_word)
{
	struct mmio_access a;

	/* str w3, [x0, #0x18] to a page with no mapping. */
	CHECK_EQ(mmio_decode(EC_DABT_LOW | IL | ISV | SAS(2) | SRT(3) | WNR | FSC_TRANS(3), HPFAR,
			     0xffff800012340018UL, &a), 0);
	CHECK_EQ(a.ipa, 0x09010018UL);
	CHECK_EQ(a.size, 4);
	CHECK(a.write);
	CHECK(!a.sign_extend);
	CHECK(!a.reg64);
	CHECK_EQ(a.reg, 3);
	CHECK_EQ(mmio_write_value(&a, 0x1122334455667788UL), 0x55667788);
}

TEST(decode_loads)
{
	struct mmio_access a;

	/* ldrsb x5: byte, sign-extended into an X register. */
	CHECK_EQ(mmio_decode(EC_DABT_LOW | IL | ISV | SAS(0) | SSE | SRT(5) | SF | FSC_TRANS(2),
			     HPFAR, 0x3ff, &a), 0);
	CHECK_EQ(a.ipa, 0x090103ffUL);
	CHECK_EQ(a.size, 1);
	CHECK(!a.write);
	CHECK_EQ(mmio_read_value(&a, 0xabcdef80), 0xffffffffffffff80UL);
	CHECK_EQ(mmio_read_value(&a, 0x7f), 0x7f);
	/* ldrsh w1: half-word, sign-extended into a W register. */
	CHECK_EQ(mmio_decode(EC_DABT_LOW | ISV | SAS(1) | SSE | SRT(1) | FSC_TRANS(1), HPFAR, 0,
			     &a), 0);
	CHECK_EQ(mmio_read_value(&a, 0x8001), 0xffff8001UL);
	/* ldr x30: 8 bytes as they are. */
	CHECK_EQ(mmio_decode(EC_DABT_LOW | ISV | SAS(3) | SRT(30) | SF | FSC_TRANS(0), HPFAR, 0,
			     &a), 0);
	CHECK_EQ(a.size, 8);
	CHECK_EQ(a.reg, 30);
	CHECK_EQ(mmio_read_value(&a, 0xfedcba9876543210UL), 0xfedcba9876543210UL);
	/* ldrh w2: zero-extended. */
	CHECK_EQ(mmio_decode(EC_DABT_LOW | ISV | SAS(1) | SRT(2) | FSC_TRANS(3), HPFAR, 0, &a), 0);
	CHECK_EQ(mmio_read_value(&a, 0xffff8001UL), 0x8001);
	/* str xzr: register 31 stores zero. */
	CHECK_EQ(mmio_decode(EC_DABT_LOW | ISV | SAS(3) | SRT(31) | SF | WNR | FSC_TRANS(3), HPFAR,
			     0, &a), 0);
	CHECK_EQ(a.reg, 31);
}

TEST(not_emulable)
{
	struct mmio_access a;
	u64 good = EC_DABT_LOW | ISV | SAS(2) | SRT(1) | FSC_TRANS(3);

	CHECK_EQ(mmio_decode(good, HPFAR, 0, &a), 0);
	/* No syndrome (e.g. ldp, or a load with writeback). */
	CHECK_EQ(mmio_decode(good & ~ISV, HPFAR, 0, &a), -1);
	/* A stage-1 walk that hit unbacked memory. */
	CHECK_EQ(mmio_decode(good | S1PTW, HPFAR, 0, &a), -1);
	/* Cache maintenance. */
	CHECK_EQ(mmio_decode(good | CM, HPFAR, 0, &a), -1);
	/* Permission (0x0f), access flag (0x0b), external abort (0x10) faults. */
	CHECK_EQ(mmio_decode((good & ~0x3fUL) | 0x0f, HPFAR, 0, &a), -1);
	CHECK_EQ(mmio_decode((good & ~0x3fUL) | 0x0b, HPFAR, 0, &a), -1);
	CHECK_EQ(mmio_decode((good & ~0x3fUL) | 0x10, HPFAR, 0, &a), -1);
	/* Not a data abort from a lower EL at all. */
	CHECK_EQ(mmio_decode((good & ~(0x3fUL << 26)) | (0x25UL << 26), HPFAR, 0, &a), -1);
	CHECK_EQ(mmio_decode((good & ~(0x3fUL << 26)) | (0x20UL << 26), HPFAR, 0, &a), -1);
}
