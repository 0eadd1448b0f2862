// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzzing the primary VM's calls into the hypervisor: SMCCC decoding
 * (core/smccc.c, HVC #0 and the native HVC #0x6000+N path) in front of
 * the Gunyah hypercalls (core/hypercall.c) on a capability space holding
 * a message queue and a doorbell under several rights (core/cspace.c,
 * core/msgq.c, core/doorbell.c), with any register values. Buffers are
 * the VM's addresses: a window of 64 KiB here, the copies refuse the rest
 * as the hypervisor's stage-1 walk does.
 *
 * Input: operations, each a selector byte and the registers it needs.
 *
 * Invariants: the registers a call does not return in are unchanged
 * (x5..x7 always, x1..x7 for a call nobody implements); rights are
 * enforced; every copy stays inside the buffer the VM named; the queue
 * delivers exactly the messages it accepted, in order, and refuses the
 * rest without a trace; the doorbell follows its flag/mask/ack rules and
 * its interrupt line is high exactly while an enabled flag is set.
 */
#include <fuzz.h>
#include <hyp/doorbell.h>
#include <hyp/gunyah_abi.h>
#include <hyp/hypercall.h>
#include <hyp/msgq.h>
#include <hyp/smccc.h>
#include <hyp/vm.h>

#define VA_BASE		0x10000000UL
#define VA_SIZE		0x10000UL
#define Q_DEPTH		4
#define Q_SIZE		64

enum {
	CAP_Q_TX, CAP_Q_RX, CAP_DB_TX, CAP_DB_RX, CAP_DB_BIND, CAP_Q_BIND, CAP_Q_BOTH, NR_CAPS,
};

static struct hyp_vm vm;
static struct msgq q;
static u64 storage[Q_DEPTH * (Q_SIZE + 8) / 8];
static struct doorbell db;
static u8 *va_window;

/* The model: the queue's messages, the doorbell's state. */
static struct {
	u8 msg[Q_DEPTH][Q_SIZE];
	size_t len[Q_DEPTH];
	unsigned int head, count;
	u64 flags, enable, ack;
	bool line;
} m;

static bool va_ok(u64 va, size_t len)
{
	return va >= VA_BASE && len <= VA_SIZE && va - VA_BASE <= VA_SIZE - len;
}

static int copy_from(void *dst, u64 va, size_t len)
{
	if (!va_ok(va, len))
		return GUNYAH_ERROR_ADDR_INVAL;
	memcpy(dst, va_window + (va - VA_BASE), len);
	return 0;
}

static int copy_to(u64 va, const void *src, size_t len)
{
	if (!va_ok(va, len))
		return GUNYAH_ERROR_ADDR_INVAL;
	memcpy(va_window + (va - VA_BASE), src, len);
	return 0;
}

static void line_raise(struct virq *v)
{
	m.line = true;
}

static void line_lower(struct virq *v)
{
	m.line = false;
}

static void line_pulse(struct virq *v)
{
	m.line = false;
}

static struct virq db_virq = { line_raise, line_lower, line_pulse };

static void psci(void *ctx, u64 regs[SMCCC_NR_REGS])
{
	regs[0] = 0x5ca1ab1e;
}

static const struct smccc_handlers handlers = {
	.psci = psci,
	.hypercall = hypercall_dispatch,
};

static void setup(void)
{
	static const struct { bool db; u32 rights; } caps[NR_CAPS] = {
		{ false, RIGHT_MSGQ_SEND },
		{ false, RIGHT_MSGQ_RECEIVE },
		{ true, RIGHT_DOORBELL_SEND },
		{ true, RIGHT_DOORBELL_RECEIVE },
		{ true, RIGHT_DOORBELL_BIND },
		{ false, RIGHT_MSGQ_BIND_SEND | RIGHT_MSGQ_BIND_RECEIVE },
		{ false, RIGHT_MSGQ_SEND | RIGHT_MSGQ_RECEIVE },
	};
	unsigned int i;
	u64 id;

	memset(&vm, 0, sizeof(vm));
	vm.vmid = VMID_HLOS;
	vm.copy_from = copy_from;
	vm.copy_to = copy_to;
	cspace_init(&vm.cspace);
	FUZZ_ASSERT(msgq_storage_size(Q_DEPTH, Q_SIZE) <= sizeof(storage));
	FUZZ_ASSERT(!msgq_init(&q, Q_DEPTH, Q_SIZE, storage));
	doorbell_init(&db);
	db.virq = &db_virq;
	for (i = 0; i < NR_CAPS; i++) {
		FUZZ_ASSERT(!cspace_insert(&vm.cspace, caps[i].db ? &db.obj : &q.obj,
					   caps[i].rights, &id));
		FUZZ_ASSERT(id == i);
	}
	memset(&m, 0, sizeof(m));
	m.enable = ~0UL;
	if (!va_window)
		va_window = malloc(VA_SIZE);
	memset(va_window, 0, VA_SIZE);
}

static bool cap_has(u64 cap, bool is_db, u32 right)
{
	switch (cap) {
	case CAP_Q_TX: return !is_db && right == RIGHT_MSGQ_SEND;
	case CAP_Q_RX: return !is_db && right == RIGHT_MSGQ_RECEIVE;
	case CAP_Q_BOTH: return !is_db && (right == RIGHT_MSGQ_SEND || right == RIGHT_MSGQ_RECEIVE);
	case CAP_DB_TX: return is_db && right == RIGHT_DOORBELL_SEND;
	case CAP_DB_RX: return is_db && right == RIGHT_DOORBELL_RECEIVE;
	default: return false;
	}
}

/* After an assertion of the doorbell: the ack mask clears enabled flags. */
static void db_assert(void)
{
	if (m.flags & m.enable)
		m.flags &= ~m.ack;
}

static void check(u32 num, const u64 *in, const u64 *out)
{
	s64 ret = (s64)out[0];
	unsigned int i, last;

	switch (num) {
	case GUNYAH_HYPCALL_IDENTIFY:
		last = 3;
		FUZZ_ASSERT(out[0] == hypercall_api_info() && out[1] == hypercall_api_flags0());
		break;
	case GUNYAH_HYPCALL_MSGQ_SEND: {
		bool ok = cap_has(in[1], false, RIGHT_MSGQ_SEND) && !(in[4] & ~1UL) && in[2] &&
			  in[2] <= Q_SIZE && m.count < Q_DEPTH && va_ok(in[3], in[2]);

		last = 1;
		FUZZ_ASSERT(ok == !ret);
		if (ok) {
			unsigned int slot = (m.head + m.count++) % Q_DEPTH;

			memcpy(m.msg[slot], va_window + (in[3] - VA_BASE), in[2]);
			m.len[slot] = in[2];
		}
		if (!ret || ret == GUNYAH_ERROR_MSGQUEUE_FULL)
			FUZZ_ASSERT(out[1] == (m.count < Q_DEPTH));
		break;
	}
	case GUNYAH_HYPCALL_MSGQ_RECEIVE: {
		bool ok = cap_has(in[1], false, RIGHT_MSGQ_RECEIVE) && m.count &&
			  in[3] >= m.len[m.head] && va_ok(in[2], m.len[m.head]);

		last = 2;
		FUZZ_ASSERT(ok == !ret);
		if (ok) {
			FUZZ_ASSERT(out[1] == m.len[m.head]);
			FUZZ_ASSERT(!memcmp(va_window + (in[2] - VA_BASE), m.msg[m.head],
					    m.len[m.head]));
			m.head = (m.head + 1) % Q_DEPTH;
			m.count--;
			FUZZ_ASSERT(out[2] == (m.count > 0));
		}
		break;
	}
	case GUNYAH_HYPCALL_MSGQ_FLUSH:
		last = 0;
		FUZZ_ASSERT(!ret == cap_has(in[1], false, RIGHT_MSGQ_RECEIVE));
		if (!ret)
			m.count = m.head = 0;
		break;
	case GUNYAH_HYPCALL_DOORBELL_SEND:
		last = 1;
		FUZZ_ASSERT(!ret == (cap_has(in[1], true, RIGHT_DOORBELL_SEND) && in[2]));
		if (!ret) {
			FUZZ_ASSERT(out[1] == m.flags);
			m.flags |= in[2];
			db_assert();
		}
		break;
	case GUNYAH_HYPCALL_DOORBELL_RECEIVE:
		last = 1;
		FUZZ_ASSERT(!ret == (cap_has(in[1], true, RIGHT_DOORBELL_RECEIVE) && in[2]));
		if (!ret) {
			FUZZ_ASSERT(out[1] == m.flags);
			m.flags &= ~in[2];
		}
		break;
	case GUNYAH_HYPCALL_DOORBELL_RESET:
		last = 0;
		FUZZ_ASSERT(!ret == (cap_has(in[1], true, RIGHT_DOORBELL_RECEIVE) ||
				     cap_has(in[1], true, RIGHT_DOORBELL_SEND)));
		if (!ret) {
			m.flags = 0;
			m.enable = ~0UL;
			m.ack = 0;
		}
		break;
	case GUNYAH_HYPCALL_DOORBELL_MASK:
		last = 0;
		FUZZ_ASSERT(!ret == (cap_has(in[1], true, RIGHT_DOORBELL_RECEIVE) ||
				     cap_has(in[1], true, RIGHT_DOORBELL_SEND)));
		if (!ret) {
			m.enable = in[2];
			m.ack = in[3];
			db_assert();
		}
		break;
	case GUNYAH_HYPCALL_VCPU_RUN:
		last = 4;
		/* No vCPU object in this space. */
		FUZZ_ASSERT(ret);
		break;
	default:
		last = 0;
		FUZZ_ASSERT(ret == GUNYAH_ERROR_UNIMPLEMENTED);
		break;
	}
	for (i = last + 1; i < SMCCC_NR_REGS; i++)
		FUZZ_ASSERT(out[i] == in[i]);
	/* The model and the objects agree. */
	FUZZ_ASSERT(q.count == m.count && db.flags == m.flags);
	FUZZ_ASSERT(m.line == !!(m.flags & m.enable));
}

static const u16 nums[] = {
	GUNYAH_HYPCALL_IDENTIFY, GUNYAH_HYPCALL_DOORBELL_SEND, GUNYAH_HYPCALL_DOORBELL_RECEIVE,
	GUNYAH_HYPCALL_DOORBELL_RESET, GUNYAH_HYPCALL_DOORBELL_MASK, GUNYAH_HYPCALL_MSGQ_SEND,
	GUNYAH_HYPCALL_MSGQ_RECEIVE, GUNYAH_HYPCALL_MSGQ_FLUSH, GUNYAH_HYPCALL_VCPU_RUN,
};

static u64 reg(struct fuzz_in *in, u8 how)
{
	switch (how & 3) {
	case 0:
		return fuzz_u8(in) % (NR_CAPS + 1);		/* a capability */
	case 1:
		return VA_BASE + fuzz_u16(in);			/* a buffer */
	case 2:
		return fuzz_u8(in);				/* a size or flags */
	default:
		return fuzz_u64(in);
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_in in = { data, size };
	int ops = 0;

	setup();
	while (fuzz_more(&in) && ops++ < 1024) {
		u8 op = fuzz_u8(&in), how = fuzz_u8(&in);
		u64 regs[SMCCC_NR_REGS], before[SMCCC_NR_REGS];
		u32 num = nums[(op & 0x3f) % ARRAY_SIZE(nums)];
		unsigned int i;

		if (op & 0x40) {
			/* A VM's buffer gets new contents. */
			u16 off = fuzz_u16(&in) % VA_SIZE;
			size_t n;
			u8 *b = fuzz_take(&in, MIN((size_t)(how & 0x7f), VA_SIZE - off), &n);

			memcpy(va_window + off, b, n);
			free(b);
			continue;
		}
		for (i = 1; i < SMCCC_NR_REGS; i++)
			regs[i] = reg(&in, how >> (2 * (i % 4)));
		if (op & 0x80) {
			/* Any function ID at all through HVC #0. */
			regs[0] = (how & 1) ? fuzz_u64(&in) :
				  0xc6008000UL | num | ((u64)fuzz_u8(&in) << 32);
			memcpy(before, regs, sizeof(regs));
			smccc_handle(&handlers, &vm, regs);
			{
				struct smccc_call c;

				switch (smccc_decode(before[0], &c)) {
				case SMCCC_SVC_HYPCALL:
					check(c.func, before, regs);
					break;
				case SMCCC_SVC_UNKNOWN:
					FUZZ_ASSERT(regs[0] == (u64)SMCCC_RET_NOT_SUPPORTED);
					FUZZ_ASSERT(!memcmp(regs + 1, before + 1, 7 * sizeof(u64)));
					break;
				case SMCCC_SVC_PSCI:
					FUZZ_ASSERT(regs[0] == 0x5ca1ab1e);
					break;
				default:
					for (i = 4; i < SMCCC_NR_REGS; i++)
						FUZZ_ASSERT(regs[i] == before[i]);
					break;
				}
			}
		} else if (how & 0x80) {
			/* Native path: HVC #(0x6000 + N), arguments from x0. */
			u64 native[SMCCC_NR_REGS], expect_in[SMCCC_NR_REGS];
			u16 imm = GUNYAH_NATIVE_HVC_BASE + num;

			for (i = 0; i < SMCCC_NR_REGS; i++)
				native[i] = regs[(i + 1) % SMCCC_NR_REGS];
			expect_in[0] = 0;
			for (i = 1; i < SMCCC_NR_REGS; i++)
				expect_in[i] = native[i - 1];
			FUZZ_ASSERT(smccc_handle_native(&handlers, &vm, imm, native));
			check(num, expect_in, native);
			FUZZ_ASSERT(!smccc_handle_native(&handlers, &vm, GUNYAH_NATIVE_HVC_LAST + 1 +
							 (how & 0x3f), native));
		} else {
			regs[0] = 0;
			memcpy(before, regs, sizeof(regs));
			hypercall_dispatch(&vm, num, regs);
			check(num, before, regs);
		}
	}
	return 0;
}
