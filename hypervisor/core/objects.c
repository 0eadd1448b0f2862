// SPDX-License-Identifier: GPL-2.0-only
/*
 * Object creation. Objects come from fixed pools and are never destroyed
 * yet (the only ones are the resource manager's queues); message storage
 * comes from the page pool.
 */
#include <hyp/alloc.h>
#include <hyp/objects.h>
#include <hyp/spinlock.h>

#define MAX_MSGQS	64
#define MAX_DOORBELLS	64

static struct msgq msgqs[MAX_MSGQS];
static struct doorbell doorbells[MAX_DOORBELLS];
static unsigned int nr_msgqs, nr_doorbells;
static spinlock_t objects_lock;

struct msgq *msgq_create(u16 depth, u16 max_size)
{
	size_t bytes = msgq_storage_size(depth, max_size);
	struct msgq *q = NULL;
	void *storage;

	/* One page of storage is enough for the queues anyone asks for. */
	if (!bytes || bytes > SZ_4K || depth > MSGQ_MAX_DEPTH || max_size > MSGQ_MAX_MSG_SIZE)
		return NULL;
	storage = page_alloc();
	if (!storage)
		return NULL;
	spin_lock(&objects_lock);
	if (nr_msgqs < MAX_MSGQS)
		q = &msgqs[nr_msgqs++];
	spin_unlock(&objects_lock);
	/* The shape was checked above: msgq_init() cannot fail. */
	if (!q || msgq_init(q, depth, max_size, storage)) {
		page_free(storage);
		return NULL;
	}
	return q;
}

struct doorbell *doorbell_create(void)
{
	struct doorbell *db = NULL;

	spin_lock(&objects_lock);
	if (nr_doorbells < MAX_DOORBELLS)
		db = &doorbells[nr_doorbells++];
	spin_unlock(&objects_lock);
	if (db)
		doorbell_init(db);
	return db;
}
