// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of core/cspace.c: IDs handed out from 0 upwards, CSPACE_FULL,
 * and the lookup errors of ../shared/spec/abi.md §1.6 (CAP_NULL,
 * WRONG_OBJECT_TYPE, INSUFFICIENT_RIGHTS) with the rights of §1.7.
 */
#include <string.h>
#include <hyp/cspace.h>
#include <hyp/gunyah_abi.h>
#include "test.h"

#define SENTINEL	((u64)0x5e5e5e5e5e5e5e5eUL)

static struct object *const BAD_OBJ = (struct object *)(uintptr_t)0x0bad0bad;

TEST(init_empties_every_slot)
{
	struct cspace cs;
	unsigned int i;

	memset(&cs, 0xa5, sizeof(cs));
	cspace_init(&cs);
	CHECK_EQ(cs.lock.locked, 0);
	for (i = 0; i < CSPACE_MAX_CAPS; i++) {
		CHECK(cs.caps[i].obj == NULL);
		CHECK_EQ(cs.caps[i].rights, 0);
	}
}

TEST(insert_lowest_free_ids_then_full)
{
	static struct object objs[CSPACE_MAX_CAPS + 1];
	struct object extra = { OBJECT_DOORBELL }, *obj;
	struct cspace cs;
	u64 id;
	unsigned int i;

	cspace_init(&cs);
	for (i = 0; i < CSPACE_MAX_CAPS; i++) {
		objs[i].type = (i & 1) ? OBJECT_DOORBELL : OBJECT_MSGQUEUE;
		id = SENTINEL;
		if (!CHECK_EQ(cspace_insert(&cs, &objs[i], 0x1 + i % 3, &id), 0) ||
		    !CHECK_EQ(id, i))
			return;
	}
	CHECK_EQ(CSPACE_MAX_CAPS, 256);
	id = SENTINEL;
	CHECK_EQ(cspace_insert(&cs, &extra, 0x3, &id), GUNYAH_ERROR_CSPACE_FULL);
	CHECK_EQ(id, SENTINEL);
	CHECK_EQ(cs.lock.locked, 0);

	/* Every cap names its own object with its own rights. */
	for (i = 0; i < CSPACE_MAX_CAPS; i++) {
		enum object_type type = (i & 1) ? OBJECT_DOORBELL : OBJECT_MSGQUEUE;

		obj = BAD_OBJ;
		CHECK_EQ(cspace_lookup(&cs, i, type, 0x1 + i % 3, &obj), 0);
		CHECK(obj == &objs[i]);
		CHECK_EQ(cs.caps[i].rights, 0x1 + i % 3);
	}

	/*
	 * Nothing deletes a cap yet; emulate a freed slot to see that the
	 * lowest free ID is reused.
	 */
	cs.caps[37] = (struct cap){ NULL, 0 };
	cs.caps[5] = (struct cap){ NULL, 0 };
	CHECK_EQ(cspace_insert(&cs, &extra, 0x2, &id), 0);
	CHECK_EQ(id, 5);
	CHECK_EQ(cspace_insert(&cs, &extra, 0x2, &id), 0);
	CHECK_EQ(id, 37);
	CHECK_EQ(cspace_insert(&cs, &extra, 0x2, &id), GUNYAH_ERROR_CSPACE_FULL);
}

TEST(same_object_twice_gets_two_ids)
{
	struct object q = { OBJECT_MSGQUEUE }, *obj = BAD_OBJ;
	struct cspace cs;
	u64 tx = SENTINEL, rx = SENTINEL;

	cspace_init(&cs);
	CHECK_EQ(cspace_insert(&cs, &q, RIGHT_MSGQ_SEND, &tx), 0);
	CHECK_EQ(cspace_insert(&cs, &q, RIGHT_MSGQ_RECEIVE, &rx), 0);
	CHECK_EQ(tx, 0);
	CHECK_EQ(rx, 1);
	CHECK_EQ(cspace_lookup(&cs, tx, OBJECT_MSGQUEUE, RIGHT_MSGQ_SEND, &obj), 0);
	CHECK(obj == &q);
	CHECK_EQ(cspace_lookup(&cs, tx, OBJECT_MSGQUEUE, RIGHT_MSGQ_RECEIVE, &obj),
		 GUNYAH_ERROR_CSPACE_INSUFFICIENT_RIGHTS);
	CHECK_EQ(cspace_lookup(&cs, rx, OBJECT_MSGQUEUE, RIGHT_MSGQ_SEND, &obj),
		 GUNYAH_ERROR_CSPACE_INSUFFICIENT_RIGHTS);
	obj = BAD_OBJ;
	CHECK_EQ(cspace_lookup(&cs, rx, OBJECT_MSGQUEUE, RIGHT_MSGQ_RECEIVE, &obj), 0);
	CHECK(obj == &q);
}

TEST(lookup_cap_null)
{
	static const u64 ids[] = {
		2, 3, 63, 64, 65, 255, 0x100, 0xffffffffUL, 0x100000000UL, 0x8000000000000000UL,
		0x8000000000000001UL, ~0UL, ~0UL - 62,
	};
	struct object q = { OBJECT_MSGQUEUE }, *obj;
	struct cspace cs;
	unsigned int i;
	u64 id;

	cspace_init(&cs);
	CHECK_EQ(cspace_insert(&cs, &q, 0x3, &id), 0);
	CHECK_EQ(cspace_insert(&cs, &q, 0x3, &id), 0);
	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		obj = BAD_OBJ;
		if (!CHECK_EQ(cspace_lookup(&cs, ids[i], OBJECT_MSGQUEUE, 0x1, &obj),
			      GUNYAH_ERROR_CSPACE_CAP_NULL))
			printf("#     capid %#lx\n", (unsigned long)ids[i]);
		CHECK(obj == BAD_OBJ);
		/* Whatever the type and rights asked for. */
		CHECK_EQ(cspace_lookup(&cs, ids[i], OBJECT_DOORBELL, 0, &obj),
			 GUNYAH_ERROR_CSPACE_CAP_NULL);
	}
	/* IDs that alias a used slot modulo 64 or 2^32 are not that slot. */
	CHECK_EQ(cspace_lookup(&cs, 64 + 1, OBJECT_MSGQUEUE, 0x1, &obj),
		 GUNYAH_ERROR_CSPACE_CAP_NULL);
	CHECK_EQ(cspace_lookup(&cs, 0x100000000UL + 1, OBJECT_MSGQUEUE, 0x1, &obj),
		 GUNYAH_ERROR_CSPACE_CAP_NULL);
	CHECK_EQ(cs.lock.locked, 0);

	/* An empty cspace: even ID 0 is null. */
	cspace_init(&cs);
	CHECK_EQ(cspace_lookup(&cs, 0, OBJECT_MSGQUEUE, 0, &obj), GUNYAH_ERROR_CSPACE_CAP_NULL);
}

TEST(lookup_wrong_type)
{
	struct object db = { OBJECT_DOORBELL }, q = { OBJECT_MSGQUEUE }, *obj = BAD_OBJ;
	struct cspace cs;
	u64 id_db, id_q;

	cspace_init(&cs);
	CHECK_EQ(cspace_insert(&cs, &db, RIGHT_DOORBELL_SEND | RIGHT_DOORBELL_RECEIVE, &id_db),
		 0);
	CHECK_EQ(cspace_insert(&cs, &q, RIGHT_MSGQ_SEND, &id_q), 0);
	CHECK_EQ(cspace_lookup(&cs, id_db, OBJECT_MSGQUEUE, RIGHT_MSGQ_SEND, &obj),
		 GUNYAH_ERROR_CSPACE_WRONG_OBJECT_TYPE);
	CHECK_EQ(cspace_lookup(&cs, id_q, OBJECT_DOORBELL, RIGHT_DOORBELL_SEND, &obj),
		 GUNYAH_ERROR_CSPACE_WRONG_OBJECT_TYPE);
	CHECK_EQ(cspace_lookup(&cs, id_q, OBJECT_NONE, 0, &obj),
		 GUNYAH_ERROR_CSPACE_WRONG_OBJECT_TYPE);
	/* The type is checked before the rights. */
	CHECK_EQ(cspace_lookup(&cs, id_q, OBJECT_DOORBELL, RIGHT_DOORBELL_RECEIVE, &obj),
		 GUNYAH_ERROR_CSPACE_WRONG_OBJECT_TYPE);
	CHECK(obj == BAD_OBJ);
}

TEST(lookup_rights)
{
	struct object q = { OBJECT_MSGQUEUE }, *obj = BAD_OBJ;
	struct cspace cs;
	u64 all, send, none;

	cspace_init(&cs);
	CHECK_EQ(cspace_insert(&cs, &q, RIGHT_MSGQ_SEND | RIGHT_MSGQ_RECEIVE |
			       RIGHT_MSGQ_BIND_SEND, &all), 0);
	CHECK_EQ(cspace_insert(&cs, &q, RIGHT_MSGQ_SEND, &send), 0);
	CHECK_EQ(cspace_insert(&cs, &q, 0, &none), 0);

	/* Partial rights are not enough. */
	CHECK_EQ(cspace_lookup(&cs, send, OBJECT_MSGQUEUE, RIGHT_MSGQ_SEND | RIGHT_MSGQ_RECEIVE,
			       &obj), GUNYAH_ERROR_CSPACE_INSUFFICIENT_RIGHTS);
	CHECK_EQ(cspace_lookup(&cs, all, OBJECT_MSGQUEUE,
			       RIGHT_MSGQ_RECEIVE | RIGHT_MSGQ_BIND_RECEIVE, &obj),
		 GUNYAH_ERROR_CSPACE_INSUFFICIENT_RIGHTS);
	CHECK_EQ(cspace_lookup(&cs, none, OBJECT_MSGQUEUE, RIGHT_MSGQ_SEND, &obj),
		 GUNYAH_ERROR_CSPACE_INSUFFICIENT_RIGHTS);
	CHECK_EQ(cspace_lookup(&cs, all, OBJECT_MSGQUEUE, 0x80000000U, &obj),
		 GUNYAH_ERROR_CSPACE_INSUFFICIENT_RIGHTS);
	CHECK(obj == BAD_OBJ);

	/* Any subset of the cap's rights is. */
	CHECK_EQ(cspace_lookup(&cs, all, OBJECT_MSGQUEUE, RIGHT_MSGQ_RECEIVE, &obj), 0);
	CHECK(obj == &q);
	obj = BAD_OBJ;
	CHECK_EQ(cspace_lookup(&cs, all, OBJECT_MSGQUEUE, RIGHT_MSGQ_SEND | RIGHT_MSGQ_BIND_SEND,
			       &obj), 0);
	CHECK(obj == &q);
	obj = BAD_OBJ;
	CHECK_EQ(cspace_lookup(&cs, all, OBJECT_MSGQUEUE, RIGHT_MSGQ_SEND | RIGHT_MSGQ_RECEIVE |
			       RIGHT_MSGQ_BIND_SEND, &obj), 0);
	CHECK(obj == &q);
	obj = BAD_OBJ;
	CHECK_EQ(cspace_lookup(&cs, none, OBJECT_MSGQUEUE, 0, &obj), 0);
	CHECK(obj == &q);
	CHECK_EQ(cs.lock.locked, 0);
}

TEST(cspaces_are_independent)
{
	struct object q = { OBJECT_MSGQUEUE }, db = { OBJECT_DOORBELL }, *obj = BAD_OBJ;
	struct cspace a, b;
	u64 id_a = SENTINEL, id_b = SENTINEL;

	cspace_init(&a);
	cspace_init(&b);
	CHECK_EQ(cspace_insert(&a, &q, RIGHT_MSGQ_SEND, &id_a), 0);
	CHECK_EQ(cspace_insert(&b, &db, RIGHT_DOORBELL_RECEIVE, &id_b), 0);
	CHECK_EQ(id_a, 0);
	CHECK_EQ(id_b, 0);
	CHECK_EQ(cspace_lookup(&a, 0, OBJECT_MSGQUEUE, RIGHT_MSGQ_SEND, &obj), 0);
	CHECK(obj == &q);
	CHECK_EQ(cspace_lookup(&b, 0, OBJECT_DOORBELL, RIGHT_DOORBELL_RECEIVE, &obj), 0);
	CHECK(obj == &db);
	CHECK_EQ(cspace_lookup(&b, 0, OBJECT_MSGQUEUE, 0, &obj),
		 GUNYAH_ERROR_CSPACE_WRONG_OBJECT_TYPE);
}
