/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Doorbells (../shared/spec/abi.md §5): a 64-bit flags word with an enable
 * mask (default all-ones) and an ack mask (default 0). The receiver's
 * interrupt is asserted while (flags & enable) is non-zero; asserting it
 * clears the ack bits. All 64 bits behave alike. Pure logic.
 */
#ifndef HYP_DOORBELL_H
#define HYP_DOORBELL_H

#include <hyp/object.h>
#include <hyp/spinlock.h>
#include <hyp/virq.h>

struct doorbell {
	struct object obj;
	spinlock_t lock;
	u64 flags;
	u64 enable_mask;
	u64 ack_mask;
	struct virq *virq;	/* the receiver's */
};

void doorbell_init(struct doorbell *db);

/* OR @new_flags in; returns the previous flags. */
u64 doorbell_send(struct doorbell *db, u64 new_flags);

/* Clear @clear_flags (non-zero); GUNYAH_ERROR_ARG_INVAL if it is 0. */
int doorbell_receive(struct doorbell *db, u64 clear_flags, u64 *old_flags);

/* Back to the defaults: flags 0, enable all-ones, ack 0; interrupt deasserted. */
void doorbell_reset(struct doorbell *db);

void doorbell_mask(struct doorbell *db, u64 enable_mask, u64 ack_mask);

#endif
