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

/* Under the lock: whether to assert, clearing the ack bits if so. */
static bool doorbell_assert_locked(struct doorbell *db)
{
	if (!(db->flags & db->enable_mask))
		return false;
	db->flags &= ~db->ack_mask;
	return true;
}

u64 doorbell_send(struct doorbell *db, u64 new_flags)
{
	bool raise;
	u64 old;

	spin_lock(&db->lock);
	old = db->flags;
	db->flags |= new_flags;
	raise = doorbell_assert_locked(db);
	spin_unlock(&db->lock);

	if (raise)
		virq_raise(db->virq);
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
	bool raise;

	spin_lock(&db->lock);
	db->enable_mask = enable_mask;
	db->ack_mask = ack_mask;
	raise = doorbell_assert_locked(db);
	spin_unlock(&db->lock);

	if (raise)
		virq_raise(db->virq);
	else
		virq_lower(db->virq);
}
