// SPDX-License-Identifier: GPL-2.0-only
/*
 * Object creation. Objects come from fixed pools; message queues are never
 * destroyed (the only ones are the resource manager's), doorbells, vCPUs
 * and address spaces go back to their pool. Message storage comes from
 * the page pool.
 */
#include <hyp/alloc.h>
#include <hyp/gunyah_abi.h>
#include <hyp/objects.h>
#include <hyp/spinlock.h>

/* Queues are never freed; test_rm, which makes an RM per test, needs more. */
#ifndef MAX_MSGQS
#define MAX_MSGQS	64
#endif
#define MAX_DOORBELLS	64

static struct msgq msgqs[MAX_MSGQS];
static struct doorbell doorbells[MAX_DOORBELLS];
static unsigned int nr_msgqs;
static spinlock_t objects_lock;

struct msgq *msgq_alloc(void)
{
	struct msgq *q = NULL;

	spin_lock(&objects_lock);
	if (nr_msgqs < MAX_MSGQS)
		q = &msgqs[nr_msgqs++];
	spin_unlock(&objects_lock);
	if (q)
		*q = (struct msgq){ .obj = { OBJECT_MSGQUEUE } };
	return q;
}

int msgq_activate(struct msgq *q, u16 depth, u16 max_size)
{
	size_t bytes = msgq_storage_size(depth, max_size);
	void *storage;

	/* One page of storage is enough for the queues anyone asks for. */
	if (!bytes || bytes > SZ_4K || depth > MSGQ_MAX_DEPTH || max_size > MSGQ_MAX_MSG_SIZE)
		return GUNYAH_ERROR_ARG_INVAL;
	storage = page_alloc();
	if (!storage)
		return GUNYAH_ERROR_NOMEM;
	/* The shape was checked above: msgq_init() cannot fail. */
	return msgq_init(q, depth, max_size, storage);
}

#define MAX_VCPUS	64

static struct vcpu vcpus[MAX_VCPUS];
static bool doorbell_used[MAX_DOORBELLS];
static bool vcpu_used[MAX_VCPUS];

struct doorbell *doorbell_create(void)
{
	struct doorbell *db = NULL;
	unsigned int i;

	spin_lock(&objects_lock);
	for (i = 0; i < MAX_DOORBELLS && !db; i++) {
		if (!doorbell_used[i]) {
			doorbell_used[i] = true;
			db = &doorbells[i];
		}
	}
	spin_unlock(&objects_lock);
	if (db)
		doorbell_init(db);
	return db;
}

void doorbell_destroy(struct doorbell *db)
{
	if (!db)
		return;
	spin_lock(&objects_lock);
	doorbell_used[db - doorbells] = false;
	spin_unlock(&objects_lock);
}

struct vcpu *vcpu_create(u16 vmid, u32 index)
{
	struct vcpu *vcpu = NULL;
	unsigned int i;

	spin_lock(&objects_lock);
	for (i = 0; i < MAX_VCPUS && !vcpu; i++) {
		if (!vcpu_used[i]) {
			vcpu_used[i] = true;
			vcpu = &vcpus[i];
		}
	}
	spin_unlock(&objects_lock);
	if (vcpu)
		*vcpu = (struct vcpu){ .obj = { OBJECT_VCPU }, .vmid = vmid, .index = index };
	return vcpu;
}

void vcpu_destroy(struct vcpu *vcpu)
{
	if (!vcpu)
		return;
	spin_lock(&objects_lock);
	vcpu_used[vcpu - vcpus] = false;
	spin_unlock(&objects_lock);
}

#define MAX_ADDRSPACES	64

static struct addrspace addrspaces[MAX_ADDRSPACES];
static bool addrspace_used[MAX_ADDRSPACES];

struct addrspace *addrspace_create(void)
{
	struct addrspace *as = NULL;
	unsigned int i;

	spin_lock(&objects_lock);
	for (i = 0; i < MAX_ADDRSPACES && !as; i++) {
		if (!addrspace_used[i]) {
			addrspace_used[i] = true;
			as = &addrspaces[i];
		}
	}
	spin_unlock(&objects_lock);
	if (as)
		*as = (struct addrspace){ .obj = { OBJECT_ADDRSPACE } };
	return as;
}

void addrspace_destroy(struct addrspace *as)
{
	if (!as)
		return;
	spin_lock(&objects_lock);
	addrspace_used[as - addrspaces] = false;
	spin_unlock(&objects_lock);
}
