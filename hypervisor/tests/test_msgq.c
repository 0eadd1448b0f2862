// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of core/msgq.c (../shared/spec/abi.md §4): queue shapes,
 * FIFO order and exact bytes, size limits, FULL / EMPTY / ADDR_OVFL, copy
 * failures, wrap-around, and exactly when the sender's and the receiver's
 * interrupts are raised.
 */
#include <string.h>
#include <hyp/gunyah_abi.h>
#include <hyp/msgq.h>
#include "test.h"

#define PTR(p)		((u64)(uintptr_t)(p))

/* ---- fake interrupts ------------------------------------------------------ */

struct fake_virq {
	struct virq v;		/* first: the callbacks cast back */
	unsigned int raised;
	unsigned int lowered;
	struct msgq *q;		/* whose lock must be free in the callback */
	unsigned int raised_locked;
};

static void fake_raise(struct virq *v)
{
	struct fake_virq *f = (struct fake_virq *)v;

	f->raised++;
	if (f->q && f->q->lock.locked)
		f->raised_locked++;
}

static void fake_lower(struct virq *v)
{
	((struct fake_virq *)v)->lowered++;
}

static void fake_virq_init(struct fake_virq *f, struct msgq *q)
{
	memset(f, 0, sizeof(*f));
	f->v.raise = fake_raise;
	f->v.lower = fake_lower;
	f->q = q;
}

/* ---- copies on host pointers, with injectable failures --------------------- */

static struct {
	unsigned int in_calls, out_calls;
	int in_err, out_err;	/* returned instead of copying when non-zero */
} cp;

static int copy_in(void *dst, u64 addr, size_t len)
{
	cp.in_calls++;
	if (cp.in_err)
		return cp.in_err;
	memcpy(dst, (const void *)(uintptr_t)addr, len);
	return 0;
}

static int copy_out(u64 addr, const void *src, size_t len)
{
	cp.out_calls++;
	if (cp.out_err)
		return cp.out_err;
	memcpy((void *)(uintptr_t)addr, src, len);
	return 0;
}

/* ---- a queue with both interrupts bound ------------------------------------ */

struct tq {
	struct msgq q;
	struct fake_virq tx, rx;	/* sender's (not full), receiver's (not empty) */
	u64 *storage;
};

static int tq_init(struct tq *t, u16 depth, u16 max_size)
{
	int ret;

	memset(t, 0, sizeof(*t));
	memset(&cp, 0, sizeof(cp));
	t->storage = aligned_alloc(8, ALIGN_UP(msgq_storage_size(depth, max_size), 8));
	ret = msgq_init(&t->q, depth, max_size, t->storage);
	fake_virq_init(&t->tx, &t->q);
	fake_virq_init(&t->rx, &t->q);
	t->q.send_virq = &t->tx.v;
	t->q.recv_virq = &t->rx.v;
	return ret;
}

static void tq_fini(struct tq *t)
{
	free(t->storage);
	t->storage = NULL;
}

static int send(struct tq *t, const void *buf, size_t len, bool push, bool *not_full)
{
	return msgq_send(&t->q, PTR(buf), len, push, copy_in, not_full);
}

static int recv(struct tq *t, void *buf, size_t bufsize, size_t *size, bool *not_empty)
{
	return msgq_receive(&t->q, PTR(buf), bufsize, copy_out, size, not_empty);
}

/* Send one message whose bytes are derived from @tag. */
static int send_tagged(struct tq *t, u32 tag, size_t len, bool push, bool *not_full)
{
	u8 buf[MSGQ_MAX_MSG_SIZE];
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (u8)(tag * 31 + i * 7 + 1);
	return send(t, buf, len, push, not_full);
}

/* Receive one message and check it is @tag's, @len bytes. */
static bool recv_tagged(struct tq *t, u32 tag, size_t len)
{
	u8 buf[MSGQ_MAX_MSG_SIZE];
	size_t size = 0xdead, i;
	bool not_empty;
	bool ok;

	ok = CHECK_EQ(recv(t, buf, sizeof(buf), &size, &not_empty), 0);
	ok &= CHECK_EQ(size, len);
	for (i = 0; ok && i < len; i++)
		ok &= CHECK_EQ(buf[i], (u8)(tag * 31 + i * 7 + 1));
	if (!ok)
		printf("#     message tag %u, %zu bytes\n", tag, len);
	return ok;
}

/* ---- shapes ------------------------------------------------------------------ */

TEST(init_rejects_impossible_shapes)
{
	static const struct { u16 depth, size; } bad[] = {
		{ 0, 16 }, { 256, 16 }, { 0xffff, 16 }, { 8, 0 }, { 8, 1024 }, { 8, 0xffff },
		{ 0, 0 },
	};
	u64 storage[4];
	struct msgq q;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (!CHECK_EQ(msgq_init(&q, bad[i].depth, bad[i].size, storage),
			      GUNYAH_ERROR_ARG_INVAL))
			printf("#     depth %u, size %u\n", bad[i].depth, bad[i].size);
	}
	/* No storage. */
	CHECK_EQ(msgq_init(&q, 1, 1, NULL), GUNYAH_ERROR_ARG_INVAL);
}

TEST(init_accepts_the_limits)
{
	struct tq t;

	REQUIRE_EQ(tq_init(&t, 255, 1023), 0);
	CHECK_EQ(t.q.obj.type, OBJECT_MSGQUEUE);
	CHECK_EQ(t.q.depth, 255);
	CHECK_EQ(t.q.max_size, 1023);
	CHECK_EQ(t.q.count, 0);
	CHECK_EQ(t.q.notempty_thresh, 1);
	CHECK_EQ(t.q.notfull_thresh, 254);
	CHECK_EQ(t.q.lock.locked, 0);
	tq_fini(&t);

	REQUIRE_EQ(tq_init(&t, 1, 1), 0);
	CHECK_EQ(t.q.notempty_thresh, 1);
	CHECK_EQ(t.q.notfull_thresh, 0);
	tq_fini(&t);

	/* A fresh queue has no interrupts bound. */
	{
		u64 storage[2];
		struct msgq q;

		memset(&q, 0xa5, sizeof(q));
		REQUIRE_EQ(msgq_init(&q, 1, 8, storage), 0);
		CHECK(q.send_virq == NULL);
		CHECK(q.recv_virq == NULL);
		CHECK(q.storage == (u8 *)storage);
	}
}

TEST(storage_size_is_depth_slots_of_length_plus_payload)
{
	/* Each slot: 8-byte length + max_size, rounded up to 8. */
	CHECK_EQ(msgq_storage_size(1, 1), 16);
	CHECK_EQ(msgq_storage_size(1, 8), 16);
	CHECK_EQ(msgq_storage_size(1, 9), 24);
	CHECK_EQ(msgq_storage_size(8, 240), 8 * 248);
	CHECK_EQ(msgq_storage_size(255, 1023), 255 * 1032);
}

/* ---- send and receive --------------------------------------------------------- */

TEST(fifo_order_and_exact_bytes)
{
	static const u8 m1[] = { 0x42 };
	static const u8 m2[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0xff };
	static const u8 m3[] = { 'h', 'e', 'l', 'l', 'o', 0, '!' };
	u8 buf[32], expect[32];
	bool not_full = false, not_empty = false;
	size_t size;
	struct tq t;

	REQUIRE_EQ(tq_init(&t, 4, 16), 0);
	CHECK_EQ(send(&t, m1, sizeof(m1), false, &not_full), 0);
	CHECK(not_full);
	CHECK_EQ(send(&t, m2, sizeof(m2), false, &not_full), 0);
	CHECK(not_full);
	CHECK_EQ(send(&t, m3, sizeof(m3), false, &not_full), 0);
	CHECK(not_full);
	CHECK_EQ(t.q.count, 3);
	CHECK_EQ(cp.in_calls, 3);

	/* Bytes beyond the message stay untouched. */
	memset(buf, 0xee, sizeof(buf));
	memset(expect, 0xee, sizeof(expect));
	memcpy(expect, m1, sizeof(m1));
	size = 0;
	CHECK_EQ(recv(&t, buf, sizeof(buf), &size, &not_empty), 0);
	CHECK_EQ(size, 1);
	CHECK(not_empty);
	CHECK_MEM_EQ(buf, expect, sizeof(buf));

	memset(buf, 0xee, sizeof(buf));
	memcpy(expect, m2, sizeof(m2));
	CHECK_EQ(recv(&t, buf, sizeof(buf), &size, &not_empty), 0);
	CHECK_EQ(size, 16);
	CHECK(not_empty);
	CHECK_MEM_EQ(buf, expect, sizeof(buf));

	memset(buf, 0xee, sizeof(buf));
	memset(expect, 0xee, sizeof(expect));
	memcpy(expect, m3, sizeof(m3));
	CHECK_EQ(recv(&t, buf, sizeof(buf), &size, &not_empty), 0);
	CHECK_EQ(size, 7);
	CHECK(!not_empty);
	CHECK_MEM_EQ(buf, expect, sizeof(buf));
	CHECK_EQ(t.q.count, 0);
	CHECK_EQ(t.q.lock.locked, 0);
	tq_fini(&t);
}

TEST(size_limits)
{
	u8 msg[1024] = { 0 }, buf[1024];
	bool not_full = true, not_empty;
	size_t size;
	struct tq t;

	REQUIRE_EQ(tq_init(&t, 4, 100), 0);
	CHECK_EQ(send(&t, msg, 0, false, &not_full), GUNYAH_ERROR_ARG_SIZE);
	CHECK_EQ(send(&t, msg, 101, false, &not_full), GUNYAH_ERROR_ARG_SIZE);
	CHECK_EQ(send(&t, msg, 1024, true, &not_full), GUNYAH_ERROR_ARG_SIZE);
	/* A size that only fits after truncation to 32 or 16 bits. */
	CHECK_EQ(msgq_send(&t.q, PTR(msg), 0x100000001UL, false, copy_in, &not_full),
		 GUNYAH_ERROR_ARG_SIZE);
	CHECK_EQ(msgq_send(&t.q, PTR(msg), 0x10001, false, copy_in, &not_full),
		 GUNYAH_ERROR_ARG_SIZE);
	CHECK_EQ(cp.in_calls, 0);
	CHECK_EQ(t.q.count, 0);
	CHECK_EQ(t.rx.raised, 0);
	CHECK_EQ(recv(&t, buf, sizeof(buf), &size, &not_empty), GUNYAH_ERROR_MSGQUEUE_EMPTY);

	/* Exactly max_size and exactly 1 are fine. */
	memset(msg, 0x5a, 100);
	CHECK_EQ(send(&t, msg, 100, false, &not_full), 0);
	CHECK_EQ(send(&t, msg, 1, false, &not_full), 0);
	CHECK_EQ(recv(&t, buf, sizeof(buf), &size, &not_empty), 0);
	CHECK_EQ(size, 100);
	CHECK_MEM_EQ(buf, msg, 100);
	CHECK_EQ(recv(&t, buf, sizeof(buf), &size, &not_empty), 0);
	CHECK_EQ(size, 1);
	tq_fini(&t);
}

TEST(full_at_depth)
{
	u8 m[4] = { 1, 2, 3, 4 };
	bool not_full;
	struct tq t;
	unsigned int i;

	REQUIRE_EQ(tq_init(&t, 3, 8), 0);
	for (i = 0; i < 3; i++) {
		not_full = !(i < 2);
		CHECK_EQ(send(&t, m, sizeof(m), false, &not_full), 0);
		/* True after the first two, false after the one that filled it. */
		CHECK_EQ(not_full, i < 2);
	}
	not_full = true;
	CHECK_EQ(send(&t, m, sizeof(m), false, &not_full), GUNYAH_ERROR_MSGQUEUE_FULL);
	CHECK(!not_full);
	CHECK_EQ(send(&t, m, sizeof(m), true, &not_full), GUNYAH_ERROR_MSGQUEUE_FULL);
	CHECK_EQ(cp.in_calls, 3);
	CHECK_EQ(t.q.count, 3);
	/* A size error is reported before fullness. */
	CHECK_EQ(send(&t, m, 0, false, &not_full), GUNYAH_ERROR_ARG_SIZE);
	CHECK_EQ(t.q.lock.locked, 0);
	tq_fini(&t);
}

TEST(empty)
{
	u8 buf[8];
	size_t size = 77;
	bool not_empty = true, not_full;
	struct tq t;

	REQUIRE_EQ(tq_init(&t, 2, 8), 0);
	CHECK_EQ(recv(&t, buf, sizeof(buf), &size, &not_empty), GUNYAH_ERROR_MSGQUEUE_EMPTY);
	CHECK(!not_empty);
	CHECK_EQ(cp.out_calls, 0);
	CHECK_EQ(t.tx.raised, 0);

	CHECK_EQ(send(&t, buf, 3, false, &not_full), 0);
	CHECK_EQ(recv(&t, buf, sizeof(buf), &size, &not_empty), 0);
	not_empty = true;
	CHECK_EQ(recv(&t, buf, sizeof(buf), &size, &not_empty), GUNYAH_ERROR_MSGQUEUE_EMPTY);
	CHECK(!not_empty);
	CHECK_EQ(t.q.lock.locked, 0);
	tq_fini(&t);
}

TEST(a_queue_without_storage_is_refused)
{
	/* Configured, never activated: no slots, nothing touched. */
	struct msgq q = { .depth = 4, .max_size = 8 };
	u8 buf[8] = { 0 };
	size_t size = 77;
	bool not_empty = true, not_full = true;

	CHECK_EQ(msgq_send(&q, PTR(buf), 3, true, copy_in, &not_full),
		 GUNYAH_ERROR_OBJECT_STATE);
	CHECK_EQ(msgq_receive(&q, PTR(buf), sizeof(buf), copy_out, &size, &not_empty),
		 GUNYAH_ERROR_OBJECT_STATE);
	msgq_flush(&q);
	CHECK_EQ(q.count, 0);
	CHECK_EQ(size, 77);
}

TEST(buffer_too_small_keeps_the_message)
{
	u8 m[10] = { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 }, buf[16], untouched[16];
	bool not_full, not_empty = false;
	size_t size = 0;
	struct tq t;

	REQUIRE_EQ(tq_init(&t, 2, 16), 0);
	REQUIRE_EQ(send(&t, m, sizeof(m), false, &not_full), 0);
	REQUIRE_EQ(send(&t, m, 3, false, &not_full), 0);
	memset(buf, 0xcc, sizeof(buf));
	memset(untouched, 0xcc, sizeof(untouched));

	CHECK_EQ(recv(&t, buf, 9, &size, &not_empty), GUNYAH_ERROR_ADDR_OVFL);
	CHECK(not_empty);
	CHECK_EQ(recv(&t, buf, 0, &size, &not_empty), GUNYAH_ERROR_ADDR_OVFL);
	CHECK_EQ(recv(&t, buf, 1, &size, &not_empty), GUNYAH_ERROR_ADDR_OVFL);
	CHECK_EQ(cp.out_calls, 0);
	CHECK_MEM_EQ(buf, untouched, sizeof(buf));
	CHECK_EQ(t.q.count, 2);
	/* Receiving from a full queue failed: the sender was not told of room. */
	CHECK_EQ(t.tx.raised, 0);

	/* An exactly-sized buffer is enough; the message was not lost. */
	CHECK_EQ(recv(&t, buf, 10, &size, &not_empty), 0);
	CHECK_EQ(size, 10);
	CHECK_MEM_EQ(buf, m, 10);
	CHECK(not_empty);
	CHECK_EQ(t.tx.raised, 1);
	CHECK_EQ(recv(&t, buf, 3, &size, &not_empty), 0);
	CHECK_EQ(size, 3);
	CHECK(!not_empty);
	tq_fini(&t);
}

TEST(copy_error_on_send_queues_nothing)
{
	u8 m[4] = { 1, 2, 3, 4 }, buf[8];
	bool not_full = false, not_empty;
	size_t size;
	struct tq t;

	REQUIRE_EQ(tq_init(&t, 2, 8), 0);
	cp.in_err = GUNYAH_ERROR_ADDR_INVAL;
	CHECK_EQ(send(&t, m, sizeof(m), true, &not_full), GUNYAH_ERROR_ADDR_INVAL);
	CHECK(not_full);
	CHECK_EQ(cp.in_calls, 1);
	CHECK_EQ(t.q.count, 0);
	CHECK_EQ(t.rx.raised, 0);
	CHECK_EQ(recv(&t, buf, sizeof(buf), &size, &not_empty), GUNYAH_ERROR_MSGQUEUE_EMPTY);

	/* With one message queued and the last slot failing: still one. */
	cp.in_err = 0;
	CHECK_EQ(send(&t, m, 2, false, &not_full), 0);
	CHECK_EQ(t.rx.raised, 1);
	cp.in_err = GUNYAH_ERROR_ADDR_INVAL;
	not_full = false;
	CHECK_EQ(send(&t, m, 4, false, &not_full), GUNYAH_ERROR_ADDR_INVAL);
	CHECK(not_full);
	CHECK_EQ(t.q.count, 1);
	cp.in_err = 0;
	CHECK_EQ(recv(&t, buf, sizeof(buf), &size, &not_empty), 0);
	CHECK_EQ(size, 2);
	CHECK(!not_empty);
	CHECK_EQ(t.q.lock.locked, 0);
	tq_fini(&t);
}

TEST(copy_error_on_receive_keeps_the_message)
{
	bool not_full, not_empty = false;
	u8 buf[16];
	size_t size = 0;
	struct tq t;

	REQUIRE_EQ(tq_init(&t, 2, 16), 0);
	REQUIRE_EQ(send_tagged(&t, 1, 5, false, &not_full), 0);
	REQUIRE_EQ(send_tagged(&t, 2, 6, false, &not_full), 0);
	cp.out_err = GUNYAH_ERROR_ADDR_INVAL;
	CHECK_EQ(recv(&t, buf, sizeof(buf), &size, &not_empty), GUNYAH_ERROR_ADDR_INVAL);
	CHECK(not_empty);
	CHECK_EQ(t.q.count, 2);
	CHECK_EQ(t.tx.raised, 0);
	cp.out_err = 0;
	CHECK(recv_tagged(&t, 1, 5));
	CHECK_EQ(t.tx.raised, 1);
	CHECK(recv_tagged(&t, 2, 6));
	CHECK_EQ(t.q.lock.locked, 0);
	tq_fini(&t);
}

TEST(wrap_around_many_cycles)
{
	u32 next_send = 0, next_recv = 0;
	bool not_full;
	unsigned int cycle, i;
	struct tq t;
	int ok = 1;

	REQUIRE_EQ(tq_init(&t, 5, 40), 0);
	/* Varying fill levels so that head and tail visit every slot. */
	for (cycle = 0; cycle < 1000 && ok; cycle++) {
		unsigned int fill = 1 + cycle % 5, drain = 1 + (cycle * 3) % 5;

		for (i = 0; i < fill && t.q.count < 5; i++, next_send++)
			ok &= CHECK_EQ(send_tagged(&t, next_send, 1 + next_send % 40, false,
						   &not_full), 0);
		for (i = 0; i < drain && t.q.count; i++, next_recv++)
			ok &= recv_tagged(&t, next_recv, 1 + next_recv % 40);
	}
	while (t.q.count && ok) {
		ok &= recv_tagged(&t, next_recv, 1 + next_recv % 40);
		next_recv++;
	}
	CHECK_EQ(next_recv, next_send);
	CHECK(next_send > 2000);
	CHECK(t.q.head < 5);
	tq_fini(&t);
}

/* ---- interrupts ------------------------------------------------------------------ */

TEST(receiver_raised_on_not_empty_and_on_push)
{
	bool not_full;
	u8 buf[8];
	size_t size;
	bool not_empty;
	struct tq t;

	REQUIRE_EQ(tq_init(&t, 4, 8), 0);
	CHECK_EQ(send_tagged(&t, 0, 1, false, &not_full), 0);	/* 0 -> 1 */
	CHECK_EQ(t.rx.raised, 1);
	CHECK_EQ(send_tagged(&t, 1, 1, false, &not_full), 0);	/* 1 -> 2 */
	CHECK_EQ(send_tagged(&t, 2, 1, false, &not_full), 0);
	CHECK_EQ(t.rx.raised, 1);
	CHECK_EQ(send_tagged(&t, 3, 1, true, &not_full), 0);	/* PUSH */
	CHECK_EQ(t.rx.raised, 2);
	CHECK_EQ(send_tagged(&t, 4, 1, true, &not_full), GUNYAH_ERROR_MSGQUEUE_FULL);
	CHECK_EQ(t.rx.raised, 2);

	/* Partly drained: going 1 -> 2 again does not raise, PUSH does. */
	CHECK_EQ(recv(&t, buf, sizeof(buf), &size, &not_empty), 0);
	CHECK_EQ(recv(&t, buf, sizeof(buf), &size, &not_empty), 0);
	CHECK_EQ(recv(&t, buf, sizeof(buf), &size, &not_empty), 0);
	CHECK_EQ(t.q.count, 1);
	CHECK_EQ(send_tagged(&t, 5, 1, false, &not_full), 0);
	CHECK_EQ(t.rx.raised, 2);
	CHECK_EQ(send_tagged(&t, 6, 1, true, &not_full), 0);
	CHECK_EQ(t.rx.raised, 3);

	/* Empty again: the next message raises. */
	while (t.q.count)
		CHECK_EQ(recv(&t, buf, sizeof(buf), &size, &not_empty), 0);
	CHECK_EQ(send_tagged(&t, 7, 1, false, &not_full), 0);
	CHECK_EQ(t.rx.raised, 4);
	CHECK_EQ(send_tagged(&t, 8, 1, true, &not_full), 0);
	CHECK_EQ(t.rx.raised, 5);

	/* Receiving never raises the receiver; nothing is ever lowered. */
	CHECK_EQ(t.rx.lowered + t.tx.lowered, 0);
	CHECK_EQ(t.rx.raised_locked + t.tx.raised_locked, 0);
	tq_fini(&t);
}

TEST(sender_raised_when_leaving_full)
{
	bool not_full, not_empty;
	u8 buf[8];
	size_t size;
	struct tq t;
	unsigned int i;

	REQUIRE_EQ(tq_init(&t, 4, 8), 0);
	for (i = 0; i < 4; i++)
		CHECK_EQ(send_tagged(&t, i, 2, false, &not_full), 0);
	CHECK_EQ(t.tx.raised, 0);
	CHECK_EQ(recv(&t, buf, sizeof(buf), &size, &not_empty), 0);	/* 4 -> 3 */
	CHECK_EQ(t.tx.raised, 1);
	CHECK_EQ(recv(&t, buf, sizeof(buf), &size, &not_empty), 0);	/* 3 -> 2 */
	CHECK_EQ(recv(&t, buf, sizeof(buf), &size, &not_empty), 0);
	CHECK_EQ(recv(&t, buf, sizeof(buf), &size, &not_empty), 0);
	CHECK_EQ(t.tx.raised, 1);

	/* 3 -> 4 -> 3 raises again; never on the way up. */
	for (i = 0; i < 3; i++)
		CHECK_EQ(send_tagged(&t, i, 2, false, &not_full), 0);
	CHECK_EQ(recv(&t, buf, sizeof(buf), &size, &not_empty), 0);	/* 3 -> 2 */
	CHECK_EQ(t.tx.raised, 1);
	CHECK_EQ(send_tagged(&t, 9, 2, false, &not_full), 0);
	CHECK_EQ(send_tagged(&t, 9, 2, false, &not_full), 0);
	CHECK_EQ(t.q.count, 4);
	CHECK_EQ(t.tx.raised, 1);
	CHECK_EQ(recv(&t, buf, sizeof(buf), &size, &not_empty), 0);	/* 4 -> 3 */
	CHECK_EQ(t.tx.raised, 2);
	CHECK_EQ(t.rx.raised_locked + t.tx.raised_locked, 0);
	tq_fini(&t);
}

TEST(depth_one_queue)
{
	bool not_full = true, not_empty = true;
	u8 buf[4];
	size_t size;
	struct tq t;

	REQUIRE_EQ(tq_init(&t, 1, 4), 0);
	CHECK_EQ(send_tagged(&t, 1, 4, false, &not_full), 0);
	CHECK(!not_full);
	CHECK_EQ(t.rx.raised, 1);
	CHECK_EQ(send_tagged(&t, 2, 4, false, &not_full), GUNYAH_ERROR_MSGQUEUE_FULL);
	CHECK_EQ(recv(&t, buf, sizeof(buf), &size, &not_empty), 0);
	CHECK(!not_empty);
	CHECK_EQ(t.tx.raised, 1);
	CHECK_EQ(send_tagged(&t, 3, 4, false, &not_full), 0);
	CHECK_EQ(t.rx.raised, 2);
	CHECK(recv_tagged(&t, 3, 4));
	CHECK_EQ(t.tx.raised, 2);
	tq_fini(&t);
}

TEST(flush_raises_the_sender_only_if_full)
{
	bool not_full, not_empty;
	u8 buf[8];
	size_t size;
	struct tq t;
	unsigned int i;

	REQUIRE_EQ(tq_init(&t, 3, 8), 0);
	msgq_flush(&t.q);				/* empty */
	CHECK_EQ(t.tx.raised, 0);

	CHECK_EQ(send_tagged(&t, 0, 3, false, &not_full), 0);
	CHECK_EQ(send_tagged(&t, 1, 3, false, &not_full), 0);
	msgq_flush(&t.q);				/* 2 of 3 */
	CHECK_EQ(t.tx.raised, 0);
	CHECK_EQ(t.q.count, 0);
	CHECK_EQ(recv(&t, buf, sizeof(buf), &size, &not_empty), GUNYAH_ERROR_MSGQUEUE_EMPTY);

	for (i = 0; i < 3; i++)
		CHECK_EQ(send_tagged(&t, i, 3, false, &not_full), 0);
	CHECK(!not_full);
	msgq_flush(&t.q);				/* full */
	CHECK_EQ(t.tx.raised, 1);
	CHECK_EQ(t.rx.lowered + t.tx.lowered, 0);
	CHECK_EQ(recv(&t, buf, sizeof(buf), &size, &not_empty), GUNYAH_ERROR_MSGQUEUE_EMPTY);
	CHECK_EQ(t.q.lock.locked, 0);
	CHECK_EQ(t.tx.raised_locked, 0);

	/* Usable afterwards, in order, from a non-zero head too. */
	CHECK_EQ(send_tagged(&t, 10, 5, false, &not_full), 0);
	CHECK_EQ(send_tagged(&t, 11, 6, false, &not_full), 0);
	CHECK(recv_tagged(&t, 10, 5));
	msgq_flush(&t.q);
	CHECK_EQ(t.tx.raised, 1);
	for (i = 0; i < 3; i++)
		CHECK_EQ(send_tagged(&t, 20 + i, 7, false, &not_full), 0);
	for (i = 0; i < 3; i++)
		CHECK(recv_tagged(&t, 20 + i, 7));
	CHECK_EQ(t.tx.raised, 2);
	tq_fini(&t);
}

TEST(not_empty_flag)
{
	bool not_full, not_empty;
	u8 buf[8];
	size_t size;
	struct tq t;

	REQUIRE_EQ(tq_init(&t, 4, 8), 0);
	CHECK_EQ(send_tagged(&t, 0, 1, false, &not_full), 0);
	CHECK_EQ(send_tagged(&t, 1, 1, false, &not_full), 0);
	CHECK_EQ(send_tagged(&t, 2, 1, false, &not_full), 0);
	not_empty = false;
	CHECK_EQ(recv(&t, buf, sizeof(buf), &size, &not_empty), 0);
	CHECK(not_empty);
	not_empty = false;
	CHECK_EQ(recv(&t, buf, sizeof(buf), &size, &not_empty), 0);
	CHECK(not_empty);
	not_empty = true;
	CHECK_EQ(recv(&t, buf, sizeof(buf), &size, &not_empty), 0);
	CHECK(!not_empty);
	tq_fini(&t);
}

TEST(unbound_interrupts_are_fine)
{
	bool not_full, not_empty;
	u8 buf[8];
	size_t size;
	struct tq t;

	REQUIRE_EQ(tq_init(&t, 1, 8), 0);
	t.q.send_virq = NULL;
	t.q.recv_virq = NULL;
	CHECK_EQ(send_tagged(&t, 0, 8, true, &not_full), 0);
	CHECK_EQ(recv(&t, buf, sizeof(buf), &size, &not_empty), 0);
	CHECK_EQ(send_tagged(&t, 0, 8, true, &not_full), 0);
	msgq_flush(&t.q);
	/* A virq without callbacks is fine too. */
	t.tx.v.raise = NULL;
	t.q.send_virq = &t.tx.v;
	CHECK_EQ(send_tagged(&t, 0, 8, true, &not_full), 0);
	CHECK_EQ(recv(&t, buf, sizeof(buf), &size, &not_empty), 0);
	CHECK_EQ(t.tx.raised + t.rx.raised, 0);
	tq_fini(&t);
}
