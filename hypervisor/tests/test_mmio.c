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

/* ---- the VMMIO window and what else becomes of a stage-2 abort ---------- */

#define PSTATE_EL1H	0x3c5UL		/* DAIF masked, EL1h */
#define PSTATE_EL1T	0x3c4UL
#define PSTATE_EL0T	0x0UL
#define VBAR		0x80000800UL

static struct mmio_access at(u64 ipa, u8 size)
{
	return (struct mmio_access){ .ipa = ipa, .size = size };
}

TEST(vmmio_ranges)
{
	struct vmmio_ranges r = { 0 };
	unsigned int i;

	CHECK_EQ(vmmio_add(&r, 0, 0x40000000), 0);
	CHECK(vmmio_covers(&r, 0, 1));
	CHECK(vmmio_covers(&r, 0x3ffffff8, 8));
	/* The whole access must be inside. */
	CHECK(!vmmio_covers(&r, 0x3ffffffc, 8));
	CHECK(!vmmio_covers(&r, 0x40000000, 1));
	CHECK(!vmmio_covers(&r, ~0UL - 3, 8));
	CHECK(!vmmio_covers(&r, 0x100, 0));
	/* Empty, wrapping, overlapping ranges are refused; then it fills up. */
	CHECK_EQ(vmmio_add(&r, 0x80000000, 0), -1);
	CHECK_EQ(vmmio_add(&r, ~0UL - 0xfff, 0x2000), -1);
	CHECK_EQ(vmmio_add(&r, 0x3ffff000, 0x2000), -1);
	for (i = 1; i < VMMIO_MAX_RANGES; i++)
		CHECK_EQ(vmmio_add(&r, 0x100000000UL * i, 0x1000), 0);
	CHECK_EQ(vmmio_add(&r, 0x900000000UL, 0x1000), -2);
	CHECK(vmmio_covers(&r, 0x100000ff8UL, 8));
	CHECK(!vmmio_covers(&r, 0x100001000UL, 8));
}

/* An unauthenticated VM's window, [0, 1 GiB): exits inside, aborts outside. */
TEST(abort_fate_window)
{
	struct vmmio_ranges r = { 0 }, none = { 0 };
	struct mmio_access a;

	REQUIRE_EQ(vmmio_add(&r, 0, 0x40000000), 0);
	a = at(0x20000000, 8);
	CHECK_EQ(mmio_abort_fate(&r, &a, 0x80001000, PSTATE_EL1H, VBAR), S2_ABORT_VMMIO_EXIT);
	a = at(0x09000000, 4);
	CHECK_EQ(mmio_abort_fate(&r, &a, 0x80001000, PSTATE_EL0T, VBAR), S2_ABORT_VMMIO_EXIT);
	/* Past the guest's RAM at 0x8100_0000, and right after the window. */
	a = at(0x81000000, 8);
	CHECK_EQ(mmio_abort_fate(&r, &a, 0x80001000, PSTATE_EL1H, VBAR), S2_ABORT_INJECT);
	a = at(0x40000000, 1);
	CHECK_EQ(mmio_abort_fate(&r, &a, 0x80001000, PSTATE_EL1H, VBAR), S2_ABORT_INJECT);
	a = at(0x3ffffffc, 8);
	CHECK_EQ(mmio_abort_fate(&r, &a, 0x80001000, PSTATE_EL1H, VBAR), S2_ABORT_INJECT);
	/* No window (an authenticated VM), or an access that did not decode. */
	a = at(0x20000000, 8);
	CHECK_EQ(mmio_abort_fate(&none, &a, 0x80001000, PSTATE_EL1H, VBAR), S2_ABORT_INJECT);
	CHECK_EQ(mmio_abort_fate(&r, NULL, 0x80001000, PSTATE_EL1H, VBAR), S2_ABORT_INJECT);
}

/* An abort taken in the guest's own EL1h synchronous vector would loop. */
TEST(abort_fate_in_the_sync_vector)
{
	struct vmmio_ranges r = { 0 };
	struct mmio_access a = at(0x81000000, 8);

	REQUIRE_EQ(vmmio_add(&r, 0, 0x40000000), 0);
	CHECK_EQ(mmio_abort_fate(&r, &a, VBAR + 0x200, PSTATE_EL1H, VBAR), S2_ABORT_HALT);
	CHECK_EQ(mmio_abort_fate(&r, &a, VBAR + 0x27c, PSTATE_EL1H, VBAR), S2_ABORT_HALT);
	CHECK_EQ(mmio_abort_fate(&r, NULL, VBAR + 0x200, PSTATE_EL1H, VBAR), S2_ABORT_HALT);
	/* Next to it, or not at EL1h: an abort as usual. */
	CHECK_EQ(mmio_abort_fate(&r, &a, VBAR + 0x280, PSTATE_EL1H, VBAR), S2_ABORT_INJECT);
	CHECK_EQ(mmio_abort_fate(&r, &a, VBAR + 0x1fc, PSTATE_EL1H, VBAR), S2_ABORT_INJECT);
	CHECK_EQ(mmio_abort_fate(&r, &a, VBAR + 0x200, PSTATE_EL1T, VBAR), S2_ABORT_INJECT);
	CHECK_EQ(mmio_abort_fate(&r, &a, VBAR + 0x200, PSTATE_EL0T, VBAR), S2_ABORT_INJECT);
	/* Inside the window it is an exit wherever the guest is. */
	a = at(0x20000000, 8);
	CHECK_EQ(mmio_abort_fate(&r, &a, VBAR + 0x200, PSTATE_EL1H, VBAR), S2_ABORT_VMMIO_EXIT);
}
