// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the object hypercalls of core/hypercall.c through
 * hypercall_dispatch, with the real cspace, msgq and doorbell code
 * (../shared/spec/abi.md §2.1): register layout of msgqueue_send /
 * receive / flush (0x1B-0x1D) and doorbell send / receive / reset / mask
 * (0x12-0x15), capability errors, flag checks, unknown numbers.
 */
#include <string.h>
#include <hyp/doorbell.h>
#include <hyp/gunyah_abi.h>
#include <hyp/hypercall.h>
#include <hyp/msgq.h>
#include <hyp/vm.h>
#include "test.h"

#define RET(x)		((u64)(s64)(x))
#define PTR(p)		((u64)(uintptr_t)(p))
#define POISON		0xa0a0a0a000000000UL

/* ---- a fake caller: host pointers as "virtual addresses" -------------------- */

static int fail_copy;	/* error returned by the copies when non-zero */

static int vm_copy_from(void *dst, u64 addr, size_t len)
{
	if (fail_copy)
		return fail_copy;
	memcpy(dst, (const void *)(uintptr_t)addr, len);
	return 0;
}

static int vm_copy_to(u64 addr, const void *src, size_t len)
{
	if (fail_copy)
		return fail_copy;
	memcpy((void *)(uintptr_t)addr, src, len);
	return 0;
}

struct fake_virq {
	struct virq v;
	unsigned int raised, lowered;
};

static void fake_raise(struct virq *v)
{
	((struct fake_virq *)v)->raised++;
}

static void fake_lower(struct virq *v)
{
	((struct fake_virq *)v)->lowered++;
}

/* Capability IDs the fixture hands out, in insertion order. */
enum {
	CAP_Q_TX,	/* msgq, SEND */
	CAP_Q_RX,	/* msgq, RECEIVE */
	CAP_DB_TX,	/* doorbell, SEND */
	CAP_DB_RX,	/* doorbell, RECEIVE */
	CAP_DB_BIND,	/* doorbell, BIND only */
	CAP_Q_BIND,	/* msgq, BIND_SEND | BIND_RECEIVE only */
	CAP_Q_BOTH,	/* msgq, SEND | RECEIVE */
	CAP_UNUSED,
};

#define Q_DEPTH		2
#define Q_SIZE		16

static struct {
	struct hyp_vm vm;
	struct msgq q;
	u64 storage[Q_DEPTH * 4];
	struct doorbell db;
	struct fake_virq q_tx, q_rx, db_irq;
} f;

static void setup(void)
{
	static const struct { int obj; u32 rights; } caps[] = {
		{ 0, RIGHT_MSGQ_SEND },
		{ 0, RIGHT_MSGQ_RECEIVE },
		{ 1, RIGHT_DOORBELL_SEND },
		{ 1, RIGHT_DOORBELL_RECEIVE },
		{ 1, RIGHT_DOORBELL_BIND },
		{ 0, RIGHT_MSGQ_BIND_SEND | RIGHT_MSGQ_BIND_RECEIVE },
		{ 0, RIGHT_MSGQ_SEND | RIGHT_MSGQ_RECEIVE },
	};
	unsigned int i;
	u64 id;

	memset(&f, 0, sizeof(f));
	fail_copy = 0;
	f.vm.vmid = VMID_HLOS;
	f.vm.copy_from = vm_copy_from;
	f.vm.copy_to = vm_copy_to;
	cspace_init(&f.vm.cspace);
	if (msgq_storage_size(Q_DEPTH, Q_SIZE) > sizeof(f.storage) ||
	    msgq_init(&f.q, Q_DEPTH, Q_SIZE, f.storage))
		abort();
	doorbell_init(&f.db);
	f.q_tx.v = (struct virq){ .raise = fake_raise, .lower = fake_lower };
	f.q_rx.v = (struct virq){ .raise = fake_raise, .lower = fake_lower };
	f.db_irq.v = (struct virq){ .raise = fake_raise, .lower = fake_lower };
	f.q.send_virq = &f.q_tx.v;
	f.q.recv_virq = &f.q_rx.v;
	f.db.virq = &f.db_irq.v;
	for (i = 0; i < ARRAY_SIZE(caps); i++) {
		struct object *obj = caps[i].obj ? &f.db.obj : &f.q.obj;

		if (cspace_insert(&f.vm.cspace, obj, caps[i].rights, &id) || id != i)
			abort();
	}
}

static void fill(u64 r[SMCCC_NR_REGS])
{
	unsigned int i;

	for (i = 0; i < SMCCC_NR_REGS; i++)
		r[i] = POISON + i;
}

static void call(u32 num, u64 r[SMCCC_NR_REGS])
{
	hypercall_dispatch(&f.vm, num, r);
}

/* msgqueue_send: x1 cap, x2 size, x3 buffer, x4 flags -> x0, x1 not_full */
static void msgq_send_call(u64 r[SMCCC_NR_REGS], u64 cap, const void *buf, u64 size,
			   u64 flags)
{
	fill(r);
	r[1] = cap;
	r[2] = size;
	r[3] = PTR(buf);
	r[4] = flags;
	r[5] = 0;
	call(GUNYAH_HYPCALL_MSGQ_SEND, r);
}

/* msgqueue_receive: x1 cap, x2 buffer, x3 size -> x0, x1 size, x2 not_empty */
static void msgq_recv_call(u64 r[SMCCC_NR_REGS], u64 cap, void *buf, u64 size)
{
	fill(r);
	r[1] = cap;
	r[2] = PTR(buf);
	r[3] = size;
	r[4] = 0;
	call(GUNYAH_HYPCALL_MSGQ_RECEIVE, r);
}

static void cap_call(u64 r[SMCCC_NR_REGS], u32 num, u64 cap, u64 a2, u64 a3)
{
	fill(r);
	r[1] = cap;
	r[2] = a2;
	r[3] = a3;
	r[4] = 0;
	call(num, r);
}

/* ---- identify and unknown numbers ------------------------------------------ */

TEST(identify_through_dispatch)
{
	u64 r[SMCCC_NR_REGS];

	setup();
	fill(r);
	call(GUNYAH_HYPCALL_IDENTIFY, r);
	CHECK_EQ(r[0], 0x4800000000008001UL);
	CHECK_EQ(r[1], GUNYAH_API_FLAG_DOORBELL | GUNYAH_API_FLAG_MSGQUEUE);
	CHECK_EQ(r[1], 0x6);
	CHECK_EQ(r[2], 0);
	CHECK_EQ(r[3], 0);
}

TEST(unknown_hypercall_numbers)
{
	static const u32 unknown[] = {
		0x01, 0x10, 0x11, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1e, 0x2b, 0x66, 0x68, 0x3fff,
	};
	unsigned int i;

	setup();
	for (i = 0; i < ARRAY_SIZE(unknown); i++) {
		u64 r[SMCCC_NR_REGS];

		fill(r);
		r[1] = CAP_Q_BOTH;
		call(unknown[i], r);
		if (!CHECK_EQ(r[0], RET(GUNYAH_ERROR_UNIMPLEMENTED)))
			printf("#     hypercall %#x\n", unknown[i]);
		CHECK_EQ(r[0], 0xffffffffffffffffUL);
	}
	/* Nothing was touched. */
	CHECK_EQ(f.q.count, 0);
	CHECK_EQ(f.db.flags, 0);
}

/* ---- message queues ------------------------------------------------------------ */

TEST(msgq_send_and_receive_registers)
{
	static const u8 m1[5] = { 1, 2, 3, 4, 5 };
	static const u8 m2[16] = { 0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7,
				   0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff };
	u8 buf[64];
	u64 r[SMCCC_NR_REGS];

	setup();
	msgq_send_call(r, CAP_Q_TX, m1, sizeof(m1), 0);
	CHECK_EQ(r[0], 0);
	CHECK_EQ(r[1], 1);		/* not_full */
	CHECK_EQ(f.q_rx.raised, 1);
	msgq_send_call(r, CAP_Q_TX, m2, sizeof(m2), GUNYAH_MSGQ_SEND_PUSH);
	CHECK_EQ(r[0], 0);
	CHECK_EQ(r[1], 0);		/* that filled it */
	CHECK_EQ(f.q_rx.raised, 2);
	msgq_send_call(r, CAP_Q_TX, m1, sizeof(m1), 0);
	CHECK_EQ(r[0], GUNYAH_ERROR_MSGQUEUE_FULL);
	CHECK_EQ(r[0], 61);
	CHECK_EQ(r[1], 0);

	memset(buf, 0xee, sizeof(buf));
	msgq_recv_call(r, CAP_Q_RX, buf, sizeof(buf));
	CHECK_EQ(r[0], 0);
	CHECK_EQ(r[1], 5);		/* size */
	CHECK_EQ(r[2], 1);		/* not_empty */
	CHECK_MEM_EQ(buf, m1, sizeof(m1));
	CHECK_EQ(buf[5], 0xee);
	CHECK_EQ(f.q_tx.raised, 1);	/* full -> not full */

	msgq_recv_call(r, CAP_Q_RX, buf, 16);
	CHECK_EQ(r[0], 0);
	CHECK_EQ(r[1], 16);
	CHECK_EQ(r[2], 0);
	CHECK_MEM_EQ(buf, m2, sizeof(m2));

	msgq_recv_call(r, CAP_Q_RX, buf, sizeof(buf));
	CHECK_EQ(r[0], GUNYAH_ERROR_MSGQUEUE_EMPTY);
	CHECK_EQ(r[0], 60);
	CHECK_EQ(r[1], 0);
	CHECK_EQ(r[2], 0);
}

TEST(msgq_cap_with_both_rights)
{
	u8 m[3] = { 7, 8, 9 }, buf[3];
	u64 r[SMCCC_NR_REGS];

	setup();
	msgq_send_call(r, CAP_Q_BOTH, m, sizeof(m), 0);
	CHECK_EQ(r[0], 0);
	msgq_recv_call(r, CAP_Q_BOTH, buf, sizeof(buf));
	CHECK_EQ(r[0], 0);
	CHECK_EQ(r[1], 3);
	CHECK_MEM_EQ(buf, m, 3);
}

TEST(msgq_receive_errors)
{
	u8 m[10] = { 0 }, buf[16];
	u64 r[SMCCC_NR_REGS];

	setup();
	msgq_send_call(r, CAP_Q_TX, m, sizeof(m), 0);
	REQUIRE_EQ(r[0], 0);

	/* Buffer too small: ADDR_OVFL, the message stays. */
	msgq_recv_call(r, CAP_Q_RX, buf, 9);
	CHECK_EQ(r[0], GUNYAH_ERROR_ADDR_OVFL);
	CHECK_EQ(r[0], 20);
	CHECK_EQ(r[1], 0);
	CHECK_EQ(r[2], 1);
	CHECK_EQ(f.q.count, 1);

	/* Copy failure: its error, the message stays. */
	fail_copy = GUNYAH_ERROR_ADDR_INVAL;
	msgq_recv_call(r, CAP_Q_RX, buf, sizeof(buf));
	CHECK_EQ(r[0], GUNYAH_ERROR_ADDR_INVAL);
	CHECK_EQ(r[1], 0);
	CHECK_EQ(f.q.count, 1);
	fail_copy = 0;

	/* Capability errors. */
	msgq_recv_call(r, CAP_Q_TX, buf, sizeof(buf));
	CHECK_EQ(r[0], GUNYAH_ERROR_CSPACE_INSUFFICIENT_RIGHTS);
	CHECK_EQ(r[0], 53);
	CHECK_EQ(r[1], 0);
	CHECK_EQ(r[2], 0);
	msgq_recv_call(r, CAP_Q_BIND, buf, sizeof(buf));
	CHECK_EQ(r[0], 53);
	msgq_recv_call(r, CAP_DB_RX, buf, sizeof(buf));
	CHECK_EQ(r[0], GUNYAH_ERROR_CSPACE_WRONG_OBJECT_TYPE);
	CHECK_EQ(r[0], 52);
	msgq_recv_call(r, CAP_UNUSED, buf, sizeof(buf));
	CHECK_EQ(r[0], GUNYAH_ERROR_CSPACE_CAP_NULL);
	CHECK_EQ(r[0], 50);
	msgq_recv_call(r, ~0UL, buf, sizeof(buf));
	CHECK_EQ(r[0], 50);
	CHECK_EQ(f.q.count, 1);

	msgq_recv_call(r, CAP_Q_RX, buf, sizeof(buf));
	CHECK_EQ(r[0], 0);
	CHECK_EQ(r[1], 10);
}

TEST(msgq_send_cap_errors)
{
	u8 m[4] = { 1, 2, 3, 4 };
	u64 r[SMCCC_NR_REGS];

	setup();
	/* A doorbell cap for msgqueue_send. */
	msgq_send_call(r, CAP_DB_TX, m, sizeof(m), 0);
	CHECK_EQ(r[0], 52);
	CHECK_EQ(r[1], 0);
	/* The receive end. */
	msgq_send_call(r, CAP_Q_RX, m, sizeof(m), 0);
	CHECK_EQ(r[0], 53);
	CHECK_EQ(r[1], 0);
	msgq_send_call(r, CAP_Q_BIND, m, sizeof(m), 0);
	CHECK_EQ(r[0], 53);
	/* Nothing there. */
	msgq_send_call(r, CAP_UNUSED, m, sizeof(m), 0);
	CHECK_EQ(r[0], 50);
	CHECK_EQ(r[1], 0);
	msgq_send_call(r, 64, m, sizeof(m), 0);
	CHECK_EQ(r[0], 50);
	msgq_send_call(r, 0x8000000000000000UL, m, sizeof(m), 0);
	CHECK_EQ(r[0], 50);
	CHECK_EQ(f.q.count, 0);
	CHECK_EQ(f.q_rx.raised, 0);
}

TEST(msgq_send_argument_errors)
{
	u8 m[32] = { 0 };
	u64 r[SMCCC_NR_REGS];

	setup();
	/* Unknown flag bits. */
	msgq_send_call(r, CAP_Q_TX, m, 4, 0x2);
	CHECK_EQ(r[0], GUNYAH_ERROR_ARG_INVAL);
	CHECK_EQ(r[0], 1);
	CHECK_EQ(r[1], 0);
	msgq_send_call(r, CAP_Q_TX, m, 4, 0x8000000000000001UL);
	CHECK_EQ(r[0], 1);
	msgq_send_call(r, CAP_Q_TX, m, 4, ~0UL);
	CHECK_EQ(r[0], 1);
	CHECK_EQ(f.q.count, 0);
	CHECK_EQ(f.q_rx.raised, 0);

	/* Sizes 0, max + 1 and one beyond 32 bits. */
	msgq_send_call(r, CAP_Q_TX, m, 0, 0);
	CHECK_EQ(r[0], GUNYAH_ERROR_ARG_SIZE);
	CHECK_EQ(r[0], 2);
	msgq_send_call(r, CAP_Q_TX, m, Q_SIZE + 1, 0);
	CHECK_EQ(r[0], 2);
	msgq_send_call(r, CAP_Q_TX, m, 0x100000004UL, 0);
	CHECK_EQ(r[0], 2);
	CHECK_EQ(f.q.count, 0);

	/* Copy failure. */
	fail_copy = GUNYAH_ERROR_ADDR_INVAL;
	msgq_send_call(r, CAP_Q_TX, m, 4, GUNYAH_MSGQ_SEND_PUSH);
	CHECK_EQ(r[0], GUNYAH_ERROR_ADDR_INVAL);
	CHECK_EQ(r[0], 22);
	CHECK_EQ(r[1], 1);
	CHECK_EQ(f.q.count, 0);
	CHECK_EQ(f.q_rx.raised, 0);
	fail_copy = 0;

	/* PUSH alone is a known flag. */
	msgq_send_call(r, CAP_Q_TX, m, Q_SIZE, GUNYAH_MSGQ_SEND_PUSH);
	CHECK_EQ(r[0], 0);
	CHECK_EQ(r[1], 1);
	CHECK_EQ(f.q.count, 1);
}

TEST(msgq_push_raises_receiver)
{
	u8 m[1] = { 0 };
	u64 r[SMCCC_NR_REGS];

	setup();
	msgq_send_call(r, CAP_Q_TX, m, 1, 0);
	CHECK_EQ(f.q_rx.raised, 1);
	msgq_send_call(r, CAP_Q_TX, m, 1, 0);
	CHECK_EQ(f.q_rx.raised, 1);
	msgq_flush(&f.q);
	msgq_send_call(r, CAP_Q_TX, m, 1, GUNYAH_MSGQ_SEND_PUSH);
	msgq_send_call(r, CAP_Q_TX, m, 1, GUNYAH_MSGQ_SEND_PUSH);
	CHECK_EQ(f.q_rx.raised, 3);
}

TEST(msgq_flush_needs_receive)
{
	u8 m[4] = { 0 }, buf[16];
	u64 r[SMCCC_NR_REGS];

	setup();
	msgq_send_call(r, CAP_Q_TX, m, 4, 0);
	msgq_send_call(r, CAP_Q_TX, m, 4, 0);
	REQUIRE_EQ(f.q.count, 2);

	cap_call(r, GUNYAH_HYPCALL_MSGQ_FLUSH, CAP_Q_TX, 0, 0);
	CHECK_EQ(r[0], 53);
	cap_call(r, GUNYAH_HYPCALL_MSGQ_FLUSH, CAP_Q_BIND, 0, 0);
	CHECK_EQ(r[0], 53);
	cap_call(r, GUNYAH_HYPCALL_MSGQ_FLUSH, CAP_DB_RX, 0, 0);
	CHECK_EQ(r[0], 52);
	cap_call(r, GUNYAH_HYPCALL_MSGQ_FLUSH, CAP_UNUSED, 0, 0);
	CHECK_EQ(r[0], 50);
	CHECK_EQ(f.q.count, 2);

	cap_call(r, GUNYAH_HYPCALL_MSGQ_FLUSH, CAP_Q_RX, 0, 0);
	CHECK_EQ(r[0], 0);
	CHECK_EQ(f.q.count, 0);
	CHECK_EQ(f.q_tx.raised, 1);	/* it was full */
	msgq_recv_call(r, CAP_Q_RX, buf, sizeof(buf));
	CHECK_EQ(r[0], 60);
}

/* ---- doorbells --------------------------------------------------------------- */

TEST(doorbell_send_needs_send)
{
	u64 r[SMCCC_NR_REGS];

	setup();
	cap_call(r, GUNYAH_HYPCALL_DOORBELL_SEND, CAP_DB_TX, 0x5, 0);
	CHECK_EQ(r[0], 0);
	CHECK_EQ(r[1], 0);		/* old flags */
	CHECK_EQ(f.db_irq.raised, 1);
	cap_call(r, GUNYAH_HYPCALL_DOORBELL_SEND, CAP_DB_TX, BIT(63), 0);
	CHECK_EQ(r[0], 0);
	CHECK_EQ(r[1], 0x5);
	CHECK_EQ(f.db.flags, BIT(63) | 0x5);

	cap_call(r, GUNYAH_HYPCALL_DOORBELL_SEND, CAP_DB_RX, 0x1, 0);
	CHECK_EQ(r[0], 53);
	CHECK_EQ(r[1], 0);
	cap_call(r, GUNYAH_HYPCALL_DOORBELL_SEND, CAP_DB_BIND, 0x1, 0);
	CHECK_EQ(r[0], 53);
	cap_call(r, GUNYAH_HYPCALL_DOORBELL_SEND, CAP_Q_TX, 0x1, 0);
	CHECK_EQ(r[0], 52);
	CHECK_EQ(r[1], 0);
	cap_call(r, GUNYAH_HYPCALL_DOORBELL_SEND, CAP_UNUSED, 0x1, 0);
	CHECK_EQ(r[0], 50);
	CHECK_EQ(r[1], 0);
	CHECK_EQ(f.db.flags, BIT(63) | 0x5);
	CHECK_EQ(f.db_irq.raised, 2);

	/* Sending no flag at all is refused, and raises nothing. */
	cap_call(r, GUNYAH_HYPCALL_DOORBELL_SEND, CAP_DB_TX, 0, 0);
	CHECK_EQ(r[0], 1);
	CHECK_EQ(r[1], 0);
	CHECK_EQ(f.db_irq.raised, 2);
}

TEST(doorbell_receive_needs_receive)
{
	u64 r[SMCCC_NR_REGS];

	setup();
	doorbell_send(&f.db, 0x7);
	cap_call(r, GUNYAH_HYPCALL_DOORBELL_RECEIVE, CAP_DB_RX, 0x1, 0);
	CHECK_EQ(r[0], 0);
	CHECK_EQ(r[1], 0x7);
	CHECK_EQ(f.db.flags, 0x6);

	cap_call(r, GUNYAH_HYPCALL_DOORBELL_RECEIVE, CAP_DB_RX, 0, 0);
	CHECK_EQ(r[0], GUNYAH_ERROR_ARG_INVAL);
	CHECK_EQ(r[1], 0);
	cap_call(r, GUNYAH_HYPCALL_DOORBELL_RECEIVE, CAP_DB_TX, 0x2, 0);
	CHECK_EQ(r[0], 53);
	CHECK_EQ(r[1], 0);
	cap_call(r, GUNYAH_HYPCALL_DOORBELL_RECEIVE, CAP_DB_BIND, 0x2, 0);
	CHECK_EQ(r[0], 53);
	cap_call(r, GUNYAH_HYPCALL_DOORBELL_RECEIVE, CAP_Q_RX, 0x2, 0);
	CHECK_EQ(r[0], 52);
	cap_call(r, GUNYAH_HYPCALL_DOORBELL_RECEIVE, 63, 0x2, 0);
	CHECK_EQ(r[0], 50);
	CHECK_EQ(f.db.flags, 0x6);

	cap_call(r, GUNYAH_HYPCALL_DOORBELL_RECEIVE, CAP_DB_RX, ~0UL, 0);
	CHECK_EQ(r[0], 0);
	CHECK_EQ(r[1], 0x6);
	CHECK_EQ(f.db.flags, 0);
	CHECK_EQ(f.db_irq.lowered, 1);
}

TEST(doorbell_reset_and_mask_from_either_end)
{
	static const u64 ends[] = { CAP_DB_TX, CAP_DB_RX };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ends); i++) {
		u64 r[SMCCC_NR_REGS];

		setup();
		/* x2 is the enable mask, x3 the ack mask. */
		cap_call(r, GUNYAH_HYPCALL_DOORBELL_MASK, ends[i], 0x9, 0x3);
		CHECK_EQ(r[0], 0);
		CHECK_EQ(f.db.enable_mask, 0x9);
		CHECK_EQ(f.db.ack_mask, 0x3);
		/* Linux's LEVEL irqfd programs the masks through its send cap. */
		cap_call(r, GUNYAH_HYPCALL_DOORBELL_MASK, ends[i], 0x1, 0x1);
		CHECK_EQ(r[0], 0);
		CHECK_EQ(f.db.enable_mask, 0x1);
		CHECK_EQ(f.db.ack_mask, 0x1);
		doorbell_send(&f.db, 0x1);
		CHECK_EQ(f.db_irq.raised, 1);
		CHECK_EQ(f.db.flags, 0);

		doorbell_send(&f.db, 0x6);
		cap_call(r, GUNYAH_HYPCALL_DOORBELL_RESET, ends[i], 0, 0);
		CHECK_EQ(r[0], 0);
		CHECK_EQ(f.db.flags, 0);
		CHECK_EQ(f.db.enable_mask, ~0UL);
		CHECK_EQ(f.db_irq.lowered, 3);	/* by the masks, then the reset */
	}
}

TEST(doorbell_reset_and_mask_cap_errors)
{
	static const struct { u64 cap; u64 err; } cases[] = {
		{ CAP_DB_BIND, 53 },
		{ CAP_Q_TX, 52 },
		{ CAP_Q_BOTH, 52 },
		{ CAP_UNUSED, 50 },
		{ 64, 50 },
		{ ~0UL, 50 },
	};
	unsigned int i;

	setup();
	doorbell_mask(&f.db, 0xf0, 0x0f);
	doorbell_send(&f.db, 0x3);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		u64 r[SMCCC_NR_REGS];
		int ok;

		cap_call(r, GUNYAH_HYPCALL_DOORBELL_RESET, cases[i].cap, 0, 0);
		ok = CHECK_EQ(r[0], cases[i].err);
		cap_call(r, GUNYAH_HYPCALL_DOORBELL_MASK, cases[i].cap, 0x1, 0x1);
		ok &= CHECK_EQ(r[0], cases[i].err);
		if (!ok)
			printf("#     cap %#lx\n", (unsigned long)cases[i].cap);
	}
	/* Untouched. */
	CHECK_EQ(f.db.flags, 0x3);
	CHECK_EQ(f.db.enable_mask, 0xf0);
	CHECK_EQ(f.db.ack_mask, 0x0f);
}
