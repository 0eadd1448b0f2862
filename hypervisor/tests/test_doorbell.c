// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of core/doorbell.c (../shared/spec/abi.md §5): send ORs and
 * returns the old flags, the interrupt is asserted while (flags & enable)
 * is non-zero and asserting clears the ack bits, receive / reset / mask,
 * and both forms of Linux's level irqfd (bit 0, and the old BIT(32)).
 */
#include <string.h>
#include <hyp/doorbell.h>
#include <hyp/gunyah_abi.h>
#include "test.h"

struct fake_virq {
	struct virq v;		/* first: the callbacks cast back */
	unsigned int raised;
	unsigned int lowered;
	unsigned int pulsed;
	struct doorbell *db;
	unsigned int called_locked;
	u64 flags_at_raise;	/* what the doorbell held when last raised */
};

static void fake_raise(struct virq *v)
{
	struct fake_virq *f = (struct fake_virq *)v;

	f->raised++;
	f->flags_at_raise = f->db->flags;
	if (f->db->lock.locked)
		f->called_locked++;
}

static void fake_pulse(struct virq *v)
{
	struct fake_virq *f = (struct fake_virq *)v;

	f->pulsed++;
	if (f->db->lock.locked)
		f->called_locked++;
}

static void fake_lower(struct virq *v)
{
	struct fake_virq *f = (struct fake_virq *)v;

	f->lowered++;
	if (f->db->lock.locked)
		f->called_locked++;
}

struct tdb {
	struct doorbell db;
	struct fake_virq irq;
};

static void tdb_init(struct tdb *t)
{
	memset(t, 0xa5, sizeof(*t));
	doorbell_init(&t->db);
	memset(&t->irq, 0, sizeof(t->irq));
	t->irq.v.raise = fake_raise;
	t->irq.v.lower = fake_lower;
	t->irq.db = &t->db;
	t->db.virq = &t->irq.v;
}

TEST(init_defaults)
{
	struct tdb t;

	memset(&t.db, 0x5a, sizeof(t.db));
	doorbell_init(&t.db);
	CHECK_EQ(t.db.obj.type, OBJECT_DOORBELL);
	CHECK_EQ(t.db.flags, 0);
	CHECK_EQ(t.db.enable_mask, ~0UL);
	CHECK_EQ(t.db.ack_mask, 0);
	CHECK(t.db.virq == NULL);
	CHECK_EQ(t.db.lock.locked, 0);
}

TEST(send_ors_and_returns_old_flags)
{
	struct tdb t;

	tdb_init(&t);
	CHECK_EQ(doorbell_send(&t.db, 0x1), 0x0);
	CHECK_EQ(t.db.flags, 0x1);
	CHECK_EQ(doorbell_send(&t.db, 0x4), 0x1);
	CHECK_EQ(doorbell_send(&t.db, 0x1), 0x5);
	CHECK_EQ(doorbell_send(&t.db, 0xf0f0000000000000UL), 0x5);
	CHECK_EQ(t.db.flags, 0xf0f0000000000005UL);
	/* Enable is all-ones: every send with flags set asserts. */
	CHECK_EQ(t.irq.raised, 4);
	CHECK_EQ(t.irq.lowered, 0);
	CHECK_EQ(t.irq.called_locked, 0);
	CHECK_EQ(t.db.lock.locked, 0);
}

TEST(raise_only_if_enabled_flags_are_set)
{
	struct tdb t;

	tdb_init(&t);
	doorbell_mask(&t.db, 0x2, 0);
	CHECK_EQ(t.irq.raised, 0);
	CHECK_EQ(doorbell_send(&t.db, 0x1), 0);
	CHECK_EQ(doorbell_send(&t.db, 0x4), 0x1);
	CHECK_EQ(doorbell_send(&t.db, 0x8000000000000000UL), 0x5);
	CHECK_EQ(t.irq.raised, 0);
	CHECK_EQ(doorbell_send(&t.db, 0x2), 0x8000000000000005UL);
	CHECK_EQ(t.irq.raised, 1);
	CHECK_EQ(t.db.flags, 0x8000000000000007UL);

	/* Nothing enabled at all: never raised. */
	tdb_init(&t);
	doorbell_mask(&t.db, 0, 0);
	CHECK_EQ(doorbell_send(&t.db, ~0UL), 0);
	CHECK_EQ(t.irq.raised, 0);
	CHECK_EQ(t.db.flags, ~0UL);

	/* Sending nothing to an idle doorbell does not raise it. */
	tdb_init(&t);
	CHECK_EQ(doorbell_send(&t.db, 0), 0);
	CHECK_EQ(t.irq.raised, 0);
}

TEST(linux_level_irqfd_bit0)
{
	struct tdb t;
	u64 old = 0x77;

	tdb_init(&t);
	/* populate: doorbell_mask(cap, enable = 1, ack = 1) */
	doorbell_mask(&t.db, 1, 1);
	CHECK_EQ(t.db.enable_mask, 1);
	CHECK_EQ(t.db.ack_mask, 1);
	CHECK_EQ(t.irq.raised, 0);
	/* eventfd signal: doorbell_send(cap, 1) */
	CHECK_EQ(doorbell_send(&t.db, 1), 0);
	CHECK_EQ(t.irq.raised, 1);
	CHECK_EQ(t.db.flags, 0);
	CHECK_EQ(t.irq.flags_at_raise, 0);
	/* And again: the flag was acked, so it is not "already set". */
	CHECK_EQ(doorbell_send(&t.db, 1), 0);
	CHECK_EQ(t.irq.raised, 2);
	CHECK_EQ(t.db.flags, 0);
	/* The receiver finds nothing left to clear. */
	CHECK_EQ(doorbell_receive(&t.db, ~0UL, &old), 0);
	CHECK_EQ(old, 0);
	CHECK_EQ(t.irq.called_locked, 0);
}

TEST(linux_level_irqfd_old_nonblock_bit32)
{
	struct tdb t;

	tdb_init(&t);
	/* Pre-v12 drivers: enable = BIT(32), ack = ~0, send BIT(32). */
	doorbell_mask(&t.db, BIT(32), ~0UL);
	CHECK_EQ(doorbell_send(&t.db, BIT(32)), 0);
	CHECK_EQ(t.irq.raised, 1);
	CHECK_EQ(t.db.flags, 0);
	CHECK_EQ(doorbell_send(&t.db, BIT(32)), 0);
	CHECK_EQ(t.irq.raised, 2);
	/* Other bits do not assert and therefore are not acked. */
	CHECK_EQ(doorbell_send(&t.db, 1), 0);
	CHECK_EQ(t.irq.raised, 2);
	CHECK_EQ(t.db.flags, 1);
	/* Asserting acks everything in the ack mask, not only the enabled bit. */
	CHECK_EQ(doorbell_send(&t.db, BIT(32)), 1);
	CHECK_EQ(t.irq.raised, 3);
	CHECK_EQ(t.db.flags, 0);
}

/*
 * A receiver that tells a pulse from a held line (a guest's level SPI):
 * an assertion whose ack clears every enabled flag is a pulse, one that
 * leaves an enabled flag set holds the line.
 */
TEST(acked_assertion_is_a_pulse)
{
	struct tdb t;

	tdb_init(&t);
	t.irq.v.pulse = fake_pulse;
	doorbell_mask(&t.db, 1, 1);
	CHECK_EQ(t.irq.pulsed, 0);
	CHECK_EQ(t.irq.lowered, 1);
	doorbell_send(&t.db, 1);
	doorbell_send(&t.db, 1);
	CHECK_EQ(t.irq.pulsed, 2);
	CHECK_EQ(t.irq.raised, 0);
	/* Enabled bits outside the ack mask hold the line. */
	doorbell_mask(&t.db, 3, 1);
	CHECK_EQ(t.irq.lowered, 2);
	doorbell_send(&t.db, 3);
	CHECK_EQ(t.irq.raised, 1);
	CHECK_EQ(t.irq.pulsed, 2);
	CHECK_EQ(t.db.flags, 2);
	/* No ack mask: every send holds it. */
	tdb_init(&t);
	t.irq.v.pulse = fake_pulse;
	doorbell_send(&t.db, 1);
	CHECK_EQ(t.irq.raised, 1);
	CHECK_EQ(t.irq.pulsed, 0);
	CHECK_EQ(t.irq.called_locked, 0);
}

TEST(all_64_bits_alike)
{
	unsigned int bit;

	for (bit = 0; bit < 64; bit++) {
		struct tdb t;
		u64 old = 0, b = 1UL << bit;
		int ok;

		tdb_init(&t);
		doorbell_mask(&t.db, b, 0);
		ok = CHECK_EQ(t.irq.raised, 0);
		t.irq.lowered = 0;
		/* Every other bit leaves the line alone. */
		ok &= CHECK_EQ(doorbell_send(&t.db, ~b), 0);
		ok &= CHECK_EQ(t.irq.raised, 0);
		ok &= CHECK_EQ(doorbell_send(&t.db, b), ~b);
		ok &= CHECK_EQ(t.irq.raised, 1);
		ok &= CHECK_EQ(t.db.flags, ~0UL);
		ok &= CHECK_EQ(doorbell_receive(&t.db, b, &old), 0);
		ok &= CHECK_EQ(old, ~0UL);
		ok &= CHECK_EQ(t.db.flags, ~b);
		ok &= CHECK_EQ(t.irq.lowered, 1);

		/* With this bit in the ack mask, asserting clears it. */
		tdb_init(&t);
		doorbell_mask(&t.db, b, b);
		ok &= CHECK_EQ(doorbell_send(&t.db, b), 0);
		ok &= CHECK_EQ(t.irq.raised, 1);
		ok &= CHECK_EQ(t.db.flags, 0);
		if (!ok)
			printf("#     bit %u\n", bit);
	}
}

TEST(receive_zero_is_invalid)
{
	struct tdb t;
	u64 old = 0x1234;

	tdb_init(&t);
	doorbell_send(&t.db, 0x3);
	CHECK_EQ(doorbell_receive(&t.db, 0, &old), GUNYAH_ERROR_ARG_INVAL);
	CHECK_EQ(old, 0x1234);
	CHECK_EQ(t.db.flags, 0x3);
	CHECK_EQ(t.irq.lowered, 0);
	CHECK_EQ(t.db.lock.locked, 0);
}

TEST(receive_clears_returns_old_and_lowers_when_nothing_enabled_remains)
{
	struct tdb t;
	u64 old = 0;

	tdb_init(&t);
	doorbell_send(&t.db, 0x5);
	CHECK_EQ(doorbell_receive(&t.db, 0x1, &old), 0);
	CHECK_EQ(old, 0x5);
	CHECK_EQ(t.db.flags, 0x4);
	CHECK_EQ(t.irq.lowered, 0);
	/* Clearing bits that are not set is fine. */
	CHECK_EQ(doorbell_receive(&t.db, 0x3, &old), 0);
	CHECK_EQ(old, 0x4);
	CHECK_EQ(t.irq.lowered, 0);
	CHECK_EQ(doorbell_receive(&t.db, ~0UL, &old), 0);
	CHECK_EQ(old, 0x4);
	CHECK_EQ(t.db.flags, 0);
	CHECK_EQ(t.irq.lowered, 1);
	/* Receive never raises. */
	CHECK_EQ(t.irq.raised, 1);

	/* Flags left over but none enabled: lowered too. */
	tdb_init(&t);
	doorbell_mask(&t.db, 0x1, 0);
	t.irq.lowered = 0;
	doorbell_send(&t.db, 0x2);
	doorbell_send(&t.db, 0x1);
	CHECK_EQ(t.irq.raised, 1);
	CHECK_EQ(doorbell_receive(&t.db, 0x1, &old), 0);
	CHECK_EQ(old, 0x3);
	CHECK_EQ(t.db.flags, 0x2);
	CHECK_EQ(t.irq.lowered, 1);
	CHECK_EQ(t.irq.called_locked, 0);
}

TEST(reset)
{
	struct tdb t;

	tdb_init(&t);
	doorbell_mask(&t.db, 0x10, 0x20);
	t.irq.lowered = 0;
	doorbell_send(&t.db, 0x15);
	CHECK_EQ(t.irq.raised, 1);
	doorbell_reset(&t.db);
	CHECK_EQ(t.db.flags, 0);
	CHECK_EQ(t.db.enable_mask, ~0UL);
	CHECK_EQ(t.db.ack_mask, 0);
	CHECK_EQ(t.irq.lowered, 1);
	CHECK_EQ(t.irq.raised, 1);
	CHECK_EQ(t.irq.called_locked, 0);
	CHECK_EQ(t.db.lock.locked, 0);
	/* Everything is enabled again. */
	CHECK_EQ(doorbell_send(&t.db, BIT(40)), 0);
	CHECK_EQ(t.irq.raised, 2);
}

TEST(mask_reevaluates_the_line)
{
	struct tdb t;

	tdb_init(&t);
	doorbell_mask(&t.db, 0x1, 0);
	CHECK_EQ(t.irq.lowered, 1);
	doorbell_send(&t.db, 0x2);		/* pending but not enabled */
	CHECK_EQ(t.irq.raised, 0);
	doorbell_mask(&t.db, 0x3, 0);		/* now enabled: raise */
	CHECK_EQ(t.irq.raised, 1);
	CHECK_EQ(t.irq.lowered, 1);
	CHECK_EQ(t.db.flags, 0x2);
	doorbell_mask(&t.db, 0x1, 0);		/* disabled again: lower */
	CHECK_EQ(t.irq.raised, 1);
	CHECK_EQ(t.irq.lowered, 2);

	/* Enabling a pending flag with it in the ack mask clears it. */
	doorbell_send(&t.db, 0x4);
	CHECK_EQ(t.db.flags, 0x6);
	doorbell_mask(&t.db, 0x2, 0x2);
	CHECK_EQ(t.irq.raised, 2);
	CHECK_EQ(t.db.flags, 0x4);
	/* Nothing enabled is pending any more: the next mask lowers. */
	doorbell_mask(&t.db, 0x2, 0x2);
	CHECK_EQ(t.irq.raised, 2);
	CHECK_EQ(t.irq.lowered, 3);
	CHECK_EQ(t.irq.called_locked, 0);
	CHECK_EQ(t.db.lock.locked, 0);
}

TEST(unbound_doorbell)
{
	struct doorbell db;
	u64 old;

	doorbell_init(&db);
	CHECK_EQ(doorbell_send(&db, 1), 0);
	CHECK_EQ(doorbell_receive(&db, 1, &old), 0);
	CHECK_EQ(old, 1);
	doorbell_mask(&db, 1, 1);
	doorbell_reset(&db);
	CHECK_EQ(db.flags, 0);
}
