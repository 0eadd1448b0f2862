// SPDX-License-Identifier: GPL-2.0-only
/* Doorbells; see include/hyp/doorbell.h. */
#include <hyp/doorbell.h>
#include <hyp/gunyah_abi.h>

void doorbell_init(struct doorbell *db)
{
	db->obj.type = OBJECT_DOORBELL;
	spin_lock_init(&db->lock);
	db->flags = 0;
	db->enable_mask = ~0UL;
	db->ack_mask = 0;
	db->virq = NULL;
}

enum doorbell_line { LINE_LOW, LINE_HIGH, LINE_PULSE };

/*
 * Under the lock: whether to assert, clearing the ack bits if so. When
 * that leaves no enabled flag the assertion is a pulse: pending until the
 * receiver takes it, then low (Gunyah re-samples a level VIRQ's source
 * when the receiver deactivates it).
 */
static enum doorbell_line doorbell_assert_locked(struct doorbell *db)
{
	if (!(db->flags & db->enable_mask))
		return LINE_LOW;
	db->flags &= ~db->ack_mask;
	return db->flags & db->enable_mask ? LINE_HIGH : LINE_PULSE;
}

static void doorbell_drive(struct doorbell *db, enum doorbell_line line, bool may_lower)
{
	if (line == LINE_HIGH)
		virq_raise(db->virq);
	else if (line == LINE_PULSE)
		virq_pulse(db->virq);
	else if (may_lower)
		virq_lower(db->virq);
}

u64 doorbell_send(struct doorbell *db, u64 new_flags)
{
	enum doorbell_line line;
	u64 old;

	spin_lock(&db->lock);
	old = db->flags;
	db->flags |= new_flags;
	line = doorbell_assert_locked(db);
	spin_unlock(&db->lock);

	doorbell_drive(db, line, false);
	return old;
}

int doorbell_receive(struct doorbell *db, u64 clear_flags, u64 *old_flags)
{
	bool lower;

	if (!clear_flags)
		return GUNYAH_ERROR_ARG_INVAL;
	spin_lock(&db->lock);
	*old_flags = db->flags;
	db->flags &= ~clear_flags;
	lower = !(db->flags & db->enable_mask);
	spin_unlock(&db->lock);

	if (lower)
		virq_lower(db->virq);
	return 0;
}

void doorbell_reset(struct doorbell *db)
{
	spin_lock(&db->lock);
	db->flags = 0;
	db->enable_mask = ~0UL;
	db->ack_mask = 0;
	spin_unlock(&db->lock);

	virq_lower(db->virq);
}

void doorbell_mask(struct doorbell *db, u64 enable_mask, u64 ack_mask)
{
	enum doorbell_line line;

	spin_lock(&db->lock);
	db->enable_mask = enable_mask;
	db->ack_mask = ack_mask;
	line = doorbell_assert_locked(db);
	spin_unlock(&db->lock);

	doorbell_drive(db, line, true);
}
