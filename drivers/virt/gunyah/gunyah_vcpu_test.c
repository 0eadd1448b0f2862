// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the vCPU function (gunyah_vcpu.c): the two pure functions
 * of the run state machine, and GUNYAH_VCPU_RUN's loop against a fake
 * vcpu_run hypercall and a fake VM manager (&struct gunyah_vcpu_ops):
 * exits, resume data and actions, in-kernel MMIO handlers, waits, signals,
 * immediate_exit and untrusted sizes from the hypervisor. Runs anywhere,
 * after gunyah_vcpu.ko.
 */

#include <kunit/test-bug.h>
#include <kunit/test.h>
#include <linux/bitops.h>
#include <linux/jiffies.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/signal.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "gunyah_vcpu.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define FAKE_CAPID	0xca9000000007ULL
#define FAKE_MAX_CALLS	16

/* Hypervisor values, written out rather than taken from <linux/gunyah.h> */
#define ST_READY	0
#define ST_WAKEUP	1
#define ST_POWERED_OFF	2
#define ST_BLOCKED	3
#define ST_READ		4
#define ST_WRITE	5
#define ST_FAULT	6
#define ST_PAGE_FAULT	7
#define ST_RESET	0x100
#define ACT_EMULATE	0
#define ACT_RETRY	1
#define ACT_FAULT	2
#define ERR_UNIMPL	(-1)
#define ERR_RETRY	(-2)
#define ERR_BUSY	31
#define ERR_CAP_REVOKED	51

/* UAPI resume_action values */
#define UAPI_HANDLED	0
#define UAPI_FAULT	1
#define UAPI_RETRY	2

/* What one vcpu_run returns; a script of them ends with END */
struct fake_result {
	int err;
	u64 state;
	u64 data[3];
	bool end;
};

#define OK(st, ...)	{ .err = 0, .state = (st), .data = { __VA_ARGS__ } }
#define ERR(e)		{ .err = (e) }
#define END		{ .end = true }

/* The hypervisor and the VM manager of a test */
struct fake {
	struct kunit *test;
	struct gunyah_vcpu *vcpu;

	/* vcpu_run: the results to give in turn, and the resume data seen */
	const struct fake_result *results;
	unsigned int calls;
	u64 resume[FAKE_MAX_CALLS][GUNYAH_VCPU_RUN_RESUME_WORDS];

	/* The VM */
	int start_ret;
	unsigned int starts;
	bool stopped;
	enum gunyah_vm_status status;
	struct gunyah_vm_exit_info exit_info;

	/* What a wait does: stop the VM, take the vCPU away, or fail */
	bool stop_on_wait;
	bool gone_on_wait;
	int wait_ret;
	unsigned int waits;
	unsigned int wakeup_waits;

	/* Sleeps between retries: how many, how long, and what they do */
	unsigned int backoffs;
	unsigned long backoff_timeouts[FAKE_MAX_CALLS];
	bool stop_on_backoff;
	bool exit_on_backoff;
	int backoff_ret;

	/* An in-kernel handler takes writes to @io_addr */
	u64 io_addr;
	unsigned int mmio_writes;
	u64 mmio_addr;
	u32 mmio_len;
	u64 mmio_data;
};

static struct fake *current_fake(void)
{
	return kunit_get_current_test()->priv;
}

static enum gunyah_error
fake_run(struct gunyah_vcpu *vcpu, u64 capid,
	 const u64 resume_data[GUNYAH_VCPU_RUN_RESUME_WORDS],
	 struct gunyah_hypercall_vcpu_run_resp *resp)
{
	struct fake *fake = current_fake();
	const struct fake_result *r;

	KUNIT_EXPECT_EQ(fake->test, capid, FAKE_CAPID);
	r = &fake->results[fake->calls];
	if (r->end || fake->calls >= FAKE_MAX_CALLS) {
		KUNIT_FAIL(fake->test, "vcpu_run call %u: not in the script", fake->calls + 1);
		/* Ends the loop */
		return GUNYAH_ERROR_UNIMPLEMENTED;
	}
	memcpy(fake->resume[fake->calls++], resume_data, sizeof(fake->resume[0]));

	/* On error the real wrapper leaves @resp alone: garbage */
	memset(resp, 0x5a, sizeof(*resp));
	if (!r->err) {
		resp->state = r->state;
		memcpy(resp->state_data, r->data, sizeof(resp->state_data));
	}
	return r->err;
}

static int fake_ensure_started(struct gunyah_vcpu *vcpu)
{
	struct fake *fake = current_fake();

	fake->starts++;
	return fake->start_ret;
}

static bool fake_vm_stopped(struct gunyah_vcpu *vcpu, enum gunyah_vm_status *status,
			    struct gunyah_vm_exit_info *exit_info)
{
	struct fake *fake = current_fake();

	if (!fake->stopped)
		return false;
	*status = fake->status;
	*exit_info = fake->exit_info;
	return true;
}

static int fake_wait(struct gunyah_vcpu *vcpu, bool wakeup)
{
	struct fake *fake = current_fake();

	fake->waits++;
	if (wakeup)
		fake->wakeup_waits++;
	if (fake->wait_ret)
		return fake->wait_ret;
	if (fake->stop_on_wait) {
		fake->stopped = true;
	} else if (fake->gone_on_wait) {
		/* As the resource's unpopulate does */
		spin_lock(&vcpu->lock);
		vcpu->has_cap = false;
		spin_unlock(&vcpu->lock);
	} else if (wakeup) {
		/* As the wake-up interrupt does */
		set_bit(GUNYAH_VCPU_WOKEN, &vcpu->flags);
	}
	return 0;
}

static int fake_mmio_write(struct gunyah_vcpu *vcpu, u64 addr, u32 len, u64 data)
{
	struct fake *fake = current_fake();

	fake->mmio_writes++;
	fake->mmio_addr = addr;
	fake->mmio_len = len;
	fake->mmio_data = data;
	return fake->io_addr && addr == fake->io_addr ? 0 : -ENODEV;
}

static int fake_backoff(struct gunyah_vcpu *vcpu, unsigned long timeout)
{
	struct fake *fake = current_fake();

	if (fake->backoffs < FAKE_MAX_CALLS)
		fake->backoff_timeouts[fake->backoffs] = timeout;
	fake->backoffs++;
	if (fake->backoff_ret)
		return fake->backoff_ret;
	if (fake->stop_on_backoff)
		fake->stopped = true;
	if (fake->exit_on_backoff)
		vcpu->run->immediate_exit = 1;
	return 0;
}

static const struct gunyah_vcpu_ops fake_ops = {
	.run = fake_run,
	.ensure_started = fake_ensure_started,
	.vm_stopped = fake_vm_stopped,
	.wait = fake_wait,
	.mmio_write = fake_mmio_write,
	.backoff = fake_backoff,
};

static void put_vcpu(void *vcpu)
{
	gunyah_vcpu_put(vcpu);
}

static int vcpu_test_init(struct kunit *test)
{
	struct fake *fake;

	fake = kunit_kzalloc(test, sizeof(*fake), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fake);
	fake->test = test;

	/* No VM: the fakes stand for it */
	fake->vcpu = gunyah_vcpu_create(NULL, 3, &fake_ops);
	KUNIT_ASSERT_NOT_NULL(test, fake->vcpu);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, put_vcpu, fake->vcpu), 0);

	/* As if the RM had given the vCPU's resource */
	fake->vcpu->capid = FAKE_CAPID;
	fake->vcpu->has_cap = true;

	test->priv = fake;
	return 0;
}

/* GUNYAH_VCPU_RUN, the hypervisor answering with @script */
static long run_script(struct fake *fake, const struct fake_result *script)
{
	fake->results = script;
	fake->calls = 0;
	memset(fake->resume, 0xee, sizeof(fake->resume));
	return gunyah_vcpu_run(fake->vcpu);
}

static void expect_resume(struct kunit *test, unsigned int call, u64 r0, u64 r1, u64 r2)
{
	struct fake *fake = test->priv;

	KUNIT_ASSERT_LT(test, call, fake->calls);
	KUNIT_EXPECT_EQ_MSG(test, fake->resume[call][0], r0, "call %u", call);
	KUNIT_EXPECT_EQ_MSG(test, fake->resume[call][1], r1, "call %u", call);
	KUNIT_EXPECT_EQ_MSG(test, fake->resume[call][2], r2, "call %u", call);
}

static void expect_mmio_exit(struct kunit *test, u64 addr, u32 len, bool is_write)
{
	struct gunyah_vcpu_run *run = ((struct fake *)test->priv)->vcpu->run;

	KUNIT_EXPECT_EQ(test, run->exit_reason, GUNYAH_VCPU_EXIT_MMIO);
	KUNIT_EXPECT_EQ(test, run->mmio.phys_addr, addr);
	KUNIT_EXPECT_EQ(test, run->mmio.len, len);
	KUNIT_EXPECT_EQ(test, run->mmio.is_write, is_write);
	KUNIT_EXPECT_EQ(test, run->mmio.resume_action, UAPI_HANDLED);
}

static void expect_status_exit(struct kunit *test, u32 status)
{
	struct gunyah_vcpu_run *run = ((struct fake *)test->priv)->vcpu->run;

	KUNIT_EXPECT_EQ(test, run->exit_reason, GUNYAH_VCPU_EXIT_STATUS);
	KUNIT_EXPECT_EQ(test, run->status.status, status);
}

static void set_data(struct gunyah_vcpu_run *run, u64 le_value)
{
	put_unaligned_le64(le_value, run->mmio.data);
}

/* ---------------------------------------------------------------------- */
/* The pure functions                                                     */

struct next_case {
	const char *name;
	struct fake_result r;
	enum gunyah_vcpu_action action;
	enum gunyah_vcpu_pending pending;
	u64 addr;
	u32 len;
	u64 data;
};

#define PENDING(p)	GUNYAH_VCPU_PENDING_##p
#define ACTION(a)	GUNYAH_VCPU_ACTION_##a

/* Each starts from a pending read of 4 bytes at 0x77 */
static const struct next_case next_cases[] = {
	{ "READY", OK(ST_READY), ACTION(RESCHED), PENDING(NONE) },
	{ "BLOCKED", OK(ST_BLOCKED), ACTION(YIELD), PENDING(NONE) },
	{ "EXPECTS_WAKEUP", OK(ST_WAKEUP, 0, 1), ACTION(WAIT_WAKEUP), PENDING(NONE) },
	{ "POWERED_OFF", OK(ST_POWERED_OFF, 0), ACTION(WAIT_WAKEUP), PENDING(NONE) },
	{ "POWERED_OFF, other flags", OK(ST_POWERED_OFF, 6), ACTION(WAIT_WAKEUP),
	  PENDING(NONE) },
	{ "POWERED_OFF, exited", OK(ST_POWERED_OFF, 1), ACTION(WAIT_STOP), PENDING(NONE) },
	{ "PSCI_SYSTEM_RESET", OK(ST_RESET, 1ULL << 63), ACTION(WAIT_STOP), PENDING(NONE) },
	{ "VMMIO_READ 1", OK(ST_READ, 0x9000, 1, 0xff), ACTION(MMIO_READ), PENDING(MMIO_READ),
	  0x9000, 1, 0 },
	{ "VMMIO_READ 8", OK(ST_READ, ~0ULL, 8), ACTION(MMIO_READ), PENDING(MMIO_READ),
	  ~0ULL, 8, 0 },
	{ "VMMIO_WRITE 2", OK(ST_WRITE, 0xa000, 2, 0x1122334455667788ULL),
	  ACTION(MMIO_WRITE), PENDING(MMIO_WRITE), 0xa000, 2, 0x7788 },
	{ "VMMIO_WRITE 4", OK(ST_WRITE, 0xa004, 4, 0x1122334455667788ULL),
	  ACTION(MMIO_WRITE), PENDING(MMIO_WRITE), 0xa004, 4, 0x55667788 },
	{ "VMMIO_WRITE 8", OK(ST_WRITE, 0xa008, 8, 0x1122334455667788ULL),
	  ACTION(MMIO_WRITE), PENDING(MMIO_WRITE), 0xa008, 8, 0x1122334455667788ULL },
	{ "VMMIO_READ size 0", OK(ST_READ, 0x9000, 0), ACTION(CRASHED), PENDING(CRASHED) },
	{ "VMMIO_READ size 3", OK(ST_READ, 0x9000, 3), ACTION(CRASHED), PENDING(CRASHED) },
	{ "VMMIO_READ size 16", OK(ST_READ, 0x9000, 16), ACTION(CRASHED), PENDING(CRASHED) },
	{ "VMMIO_WRITE size 2^32 + 4", OK(ST_WRITE, 0x9000, (1ULL << 32) + 4, 1),
	  ACTION(CRASHED), PENDING(CRASHED) },
	{ "VMMIO_WRITE size ~0", OK(ST_WRITE, 0x9000, ~0ULL, 1), ACTION(CRASHED),
	  PENDING(CRASHED) },
	{ "FAULT", OK(ST_FAULT), ACTION(CRASHED), PENDING(CRASHED) },
	{ "PAGE_FAULT", OK(ST_PAGE_FAULT, 0x9000, 1), ACTION(CRASHED), PENDING(CRASHED) },
	{ "unknown state 8", OK(8), ACTION(CRASHED), PENDING(CRASHED) },
	{ "unknown state 0x101", OK(0x101), ACTION(CRASHED), PENDING(CRASHED) },
	{ "unknown state ~0", OK(~0ULL), ACTION(CRASHED), PENDING(CRASHED) },
	/* Nothing consumed: the read stays pending */
	{ "error RETRY", ERR(ERR_RETRY), ACTION(BACKOFF), PENDING(MMIO_READ), 0x77, 4 },
	{ "error BUSY", ERR(ERR_BUSY), ACTION(BACKOFF), PENDING(MMIO_READ), 0x77, 4 },
	{ "error UNIMPLEMENTED", ERR(ERR_UNIMPL), ACTION(ERROR), PENDING(MMIO_READ), 0x77, 4 },
	{ "error CAP_REVOKED", ERR(ERR_CAP_REVOKED), ACTION(ERROR), PENDING(MMIO_READ),
	  0x77, 4 },
};

static void next_case_desc(const struct next_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(next, next_cases, next_case_desc);

static void vcpu_next(struct kunit *test)
{
	const struct next_case *c = test->param_value;
	struct gunyah_vcpu_state st = {
		.pending = GUNYAH_VCPU_PENDING_MMIO_READ, .mmio_addr = 0x77, .mmio_len = 4,
	};
	struct gunyah_hypercall_vcpu_run_resp resp;

	memset(&resp, 0x5a, sizeof(resp));
	if (!c->r.err) {
		resp.state = c->r.state;
		memcpy(resp.state_data, c->r.data, sizeof(resp.state_data));
	}

	KUNIT_EXPECT_EQ(test, gunyah_vcpu_next(&st, c->r.err, &resp), c->action);
	KUNIT_EXPECT_EQ(test, st.pending, c->pending);
	if (c->pending == GUNYAH_VCPU_PENDING_MMIO_READ ||
	    c->pending == GUNYAH_VCPU_PENDING_MMIO_WRITE) {
		KUNIT_EXPECT_EQ(test, st.mmio_addr, c->addr);
		KUNIT_EXPECT_EQ(test, st.mmio_len, c->len);
		KUNIT_EXPECT_EQ(test, st.mmio_data, c->data);
	}
}

struct resume_case {
	const char *name;
	enum gunyah_vcpu_pending pending;
	u32 len;
	u8 action;
	int ret;
	u64 r0, r1;
};

/* The page's data are 11 22 33 ... 88 */
static const struct resume_case resume_cases[] = {
	{ "nothing pending, garbage on the page", PENDING(NONE), 4, 0xff, 0, 0, 0 },
	{ "crashed", PENDING(CRASHED), 4, 0xff, 0, 0, 0 },
	{ "read 1, HANDLED", PENDING(MMIO_READ), 1, UAPI_HANDLED, 0, 0x11, ACT_EMULATE },
	{ "read 2, HANDLED", PENDING(MMIO_READ), 2, UAPI_HANDLED, 0, 0x2211, ACT_EMULATE },
	{ "read 4, HANDLED", PENDING(MMIO_READ), 4, UAPI_HANDLED, 0, 0x44332211,
	  ACT_EMULATE },
	{ "read 8, HANDLED", PENDING(MMIO_READ), 8, UAPI_HANDLED, 0, 0x8877665544332211ULL,
	  ACT_EMULATE },
	{ "read 4, FAULT", PENDING(MMIO_READ), 4, UAPI_FAULT, 0, 0x44332211, ACT_FAULT },
	{ "read 4, RETRY", PENDING(MMIO_READ), 4, UAPI_RETRY, 0, 0x44332211, ACT_RETRY },
	{ "write, HANDLED: no data", PENDING(MMIO_WRITE), 8, UAPI_HANDLED, 0, 0, ACT_EMULATE },
	{ "write, FAULT", PENDING(MMIO_WRITE), 8, UAPI_FAULT, 0, 0, ACT_FAULT },
	{ "write, RETRY", PENDING(MMIO_WRITE), 8, UAPI_RETRY, 0, 0, ACT_RETRY },
	{ "read, unknown action 3", PENDING(MMIO_READ), 4, 3, -EINVAL },
	{ "write, unknown action 0xff", PENDING(MMIO_WRITE), 4, 0xff, -EINVAL },
};

static void resume_case_desc(const struct resume_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(resume, resume_cases, resume_case_desc);

static void vcpu_resume_data(struct kunit *test)
{
	const struct resume_case *c = test->param_value;
	struct gunyah_vcpu_state st = {
		.pending = c->pending, .mmio_addr = 0x9000, .mmio_len = c->len,
	};
	struct gunyah_vcpu_run run = { 0 };
	u64 resume[GUNYAH_VCPU_RUN_RESUME_WORDS] = { 1, 2, 3 };

	set_data(&run, 0x8877665544332211ULL);
	run.mmio.resume_action = c->action;

	KUNIT_ASSERT_EQ(test, gunyah_vcpu_resume_data(&st, &run, resume), c->ret);
	if (c->ret)
		return;
	KUNIT_EXPECT_EQ(test, resume[0], c->r0);
	KUNIT_EXPECT_EQ(test, resume[1], c->r1);
	KUNIT_EXPECT_EQ(test, resume[2], 0);
}

/* ---------------------------------------------------------------------- */
/* The run loop                                                           */

/* READY, BLOCKED and error RETRY never reach user space */
static void vcpu_ready_loops(struct kunit *test)
{
	static const struct fake_result r[] = {
		OK(ST_READY), OK(ST_READY), OK(ST_BLOCKED), ERR(ERR_RETRY), OK(ST_READY),
		OK(ST_READ, 0x9000, 4), END
	};
	struct fake *fake = test->priv;
	unsigned int i;

	KUNIT_EXPECT_EQ(test, run_script(fake, r), 0);
	KUNIT_EXPECT_EQ(test, fake->calls, ARRAY_SIZE(r) - 1);
	for (i = 0; i < fake->calls; i++)
		expect_resume(test, i, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, fake->starts, 1);
	KUNIT_EXPECT_EQ(test, fake->waits, 0);
	expect_mmio_exit(test, 0x9000, 4, false);
}

/* A read's data go back as resume_data_0 with EMULATE, only len bytes */
static void vcpu_mmio_read(struct kunit *test)
{
	static const struct fake_result read[] = { OK(ST_READ, 0x9000, 2), END };
	static const struct fake_result more[] = {
		OK(ST_READY), OK(ST_READ, 0x9008, 8), END
	};
	struct fake *fake = test->priv;
	struct gunyah_vcpu_run *run = fake->vcpu->run;

	KUNIT_ASSERT_EQ(test, run_script(fake, read), 0);
	expect_mmio_exit(test, 0x9000, 2, false);
	/* Nothing of a read's data is made up */
	KUNIT_EXPECT_EQ(test, get_unaligned_le64(run->mmio.data), 0);

	set_data(run, 0x8877665544332211ULL);
	KUNIT_ASSERT_EQ(test, run_script(fake, more), 0);
	KUNIT_ASSERT_EQ(test, fake->calls, 2);
	expect_resume(test, 0, 0x2211, ACT_EMULATE, 0);
	/* Consumed: once only */
	expect_resume(test, 1, 0, 0, 0);
	expect_mmio_exit(test, 0x9008, 8, false);
}

/* A call the hypervisor refused with RETRY consumed nothing: sent again */
static void vcpu_retry_resends(struct kunit *test)
{
	static const struct fake_result read[] = { OK(ST_READ, 0x9000, 4), END };
	static const struct fake_result retry[] = {
		ERR(ERR_RETRY), ERR(ERR_RETRY), OK(ST_READY), OK(ST_READ, 0x9004, 4), END
	};
	struct fake *fake = test->priv;

	KUNIT_ASSERT_EQ(test, run_script(fake, read), 0);
	set_data(fake->vcpu->run, 0x600df00d);
	fake->vcpu->run->mmio.resume_action = UAPI_FAULT;
	KUNIT_ASSERT_EQ(test, run_script(fake, retry), 0);
	KUNIT_ASSERT_EQ(test, fake->calls, 4);
	expect_resume(test, 0, 0x600df00d, ACT_FAULT, 0);
	expect_resume(test, 1, 0x600df00d, ACT_FAULT, 0);
	expect_resume(test, 2, 0x600df00d, ACT_FAULT, 0);
	expect_resume(test, 3, 0, 0, 0);
}

/* A write's data come out, little endian, len bytes */
static void vcpu_mmio_write(struct kunit *test)
{
	static const struct fake_result write[] = {
		OK(ST_WRITE, 0xa000, 2, 0xdeadbeefcafe1234ULL), END
	};
	static const struct fake_result next[] = {
		OK(ST_WRITE, 0xa008, 8, 0x0102030405060708ULL), END
	};
	struct fake *fake = test->priv;
	struct gunyah_vcpu_run *run = fake->vcpu->run;
	static const u8 expect[8] = { 0x34, 0x12 };
	static const u8 expect8[8] = { 8, 7, 6, 5, 4, 3, 2, 1 };

	KUNIT_ASSERT_EQ(test, run_script(fake, write), 0);
	expect_mmio_exit(test, 0xa000, 2, true);
	KUNIT_EXPECT_MEMEQ(test, run->mmio.data, expect, sizeof(expect));
	/* No in-kernel handler took it */
	KUNIT_EXPECT_EQ(test, fake->mmio_writes, 1);

	/* Whatever user space leaves in data is not passed for a write */
	set_data(run, ~0ULL);
	KUNIT_ASSERT_EQ(test, run_script(fake, next), 0);
	expect_resume(test, 0, 0, ACT_EMULATE, 0);
	expect_mmio_exit(test, 0xa008, 8, true);
	KUNIT_EXPECT_MEMEQ(test, run->mmio.data, expect8, sizeof(expect8));
}

/* resume_action: UAPI HANDLED 0 / FAULT 1 / RETRY 2 to EMULATE 0 / FAULT 2 / RETRY 1 */
static void vcpu_resume_action(struct kunit *test)
{
	static const struct fake_result read[] = { OK(ST_READ, 0x9000, 4), END };
	static const struct fake_result write[] = { OK(ST_WRITE, 0xa000, 4, 7), END };
	static const struct {
		u8 uapi;
		u64 hyp;
	} map[] = {
		{ UAPI_HANDLED, ACT_EMULATE }, { UAPI_FAULT, ACT_FAULT }, { UAPI_RETRY, ACT_RETRY },
	};
	struct fake *fake = test->priv;
	struct gunyah_vcpu_run *run = fake->vcpu->run;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(map); i++) {
		KUNIT_ASSERT_EQ(test, run_script(fake, read), 0);
		set_data(run, 0x55aa55aa);
		run->mmio.resume_action = map[i].uapi;
		KUNIT_ASSERT_EQ(test, run_script(fake, write), 0);
		expect_resume(test, 0, 0x55aa55aa, map[i].hyp, 0);
		/* Back to HANDLED at the exit */
		KUNIT_EXPECT_EQ(test, run->mmio.resume_action, UAPI_HANDLED);

		run->mmio.resume_action = map[i].uapi;
		KUNIT_ASSERT_EQ(test, run_script(fake, read), 0);
		expect_resume(test, 0, 0, map[i].hyp, 0);
		KUNIT_EXPECT_EQ(test, run->mmio.resume_action, UAPI_HANDLED);
	}
}

/* An unknown resume_action is refused and nothing is consumed */
static void vcpu_resume_action_unknown(struct kunit *test)
{
	static const struct fake_result read[] = { OK(ST_READ, 0x9000, 1), END };
	static const struct fake_result none[] = { END };
	struct fake *fake = test->priv;
	struct gunyah_vcpu_run *run = fake->vcpu->run;

	KUNIT_ASSERT_EQ(test, run_script(fake, read), 0);
	set_data(run, 0x42);
	run->mmio.resume_action = 3;
	KUNIT_EXPECT_EQ(test, run_script(fake, none), -EINVAL);
	run->mmio.resume_action = 0xff;
	KUNIT_EXPECT_EQ(test, run_script(fake, none), -EINVAL);
	KUNIT_EXPECT_EQ(test, fake->calls, 0);
	/* Checked before the VM is even looked at */
	KUNIT_EXPECT_EQ(test, fake->starts, 1);

	run->mmio.resume_action = UAPI_RETRY;
	KUNIT_ASSERT_EQ(test, run_script(fake, read), 0);
	expect_resume(test, 0, 0x42, ACT_RETRY, 0);
}

struct bad_len_case {
	const char *name;
	u64 state;
	u64 len;
};

static const struct bad_len_case bad_len_cases[] = {
	{ "read 0", ST_READ, 0 },
	{ "read 3", ST_READ, 3 },
	{ "read 9", ST_READ, 9 },
	{ "read 16", ST_READ, 16 },
	{ "read 4096", ST_READ, 4096 },
	{ "write 5", ST_WRITE, 5 },
	{ "write 2^32 + 8", ST_WRITE, (1ULL << 32) + 8 },
	{ "write ~0", ST_WRITE, ~0ULL },
};

static void bad_len_case_desc(const struct bad_len_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bad_len, bad_len_cases, bad_len_case_desc);

/* A size the hypervisor must not report: a crash, nothing copied, for good */
static void vcpu_bad_len(struct kunit *test)
{
	const struct bad_len_case *c = test->param_value;
	const struct fake_result r[] = { OK(c->state, 0x9000, c->len, ~0ULL), END };
	static const struct fake_result none[] = { END };
	struct fake *fake = test->priv;
	struct gunyah_vcpu_run *run = fake->vcpu->run;
	u8 *tail = (u8 *)run + sizeof(*run);
	size_t tail_len = PAGE_SIZE - sizeof(*run);

	memset(tail, 0xcc, tail_len);
	KUNIT_ASSERT_EQ(test, run_script(fake, r), 0);
	expect_status_exit(test, GUNYAH_VM_STATUS_CRASHED);
	KUNIT_EXPECT_EQ(test, run->status.exit_info.reason_size, 0);
	/* Nothing written beyond the structure, no handler asked */
	KUNIT_EXPECT_NULL(test, memchr_inv(tail, 0xcc, tail_len));
	KUNIT_EXPECT_EQ(test, fake->mmio_writes, 0);

	/* The vCPU is not resumed again */
	memset(run, 0, sizeof(*run));
	KUNIT_ASSERT_EQ(test, run_script(fake, none), 0);
	expect_status_exit(test, GUNYAH_VM_STATUS_CRASHED);
	KUNIT_EXPECT_EQ(test, fake->calls, 0);
}

/* A write an in-kernel handler takes is resumed with EMULATE, no exit */
static void vcpu_io_handler(struct kunit *test)
{
	static const struct fake_result r[] = {
		OK(ST_WRITE, 0x3000, 4, 0xffffffff00000005ULL), OK(ST_READY),
		OK(ST_WRITE, 0x4000, 1, 0x1ff), END
	};
	struct fake *fake = test->priv;

	fake->io_addr = 0x3000;
	KUNIT_ASSERT_EQ(test, run_script(fake, r), 0);
	KUNIT_ASSERT_EQ(test, fake->calls, 3);
	expect_resume(test, 1, 0, ACT_EMULATE, 0);
	/* The second one nobody takes */
	KUNIT_EXPECT_EQ(test, fake->mmio_writes, 2);
	expect_mmio_exit(test, 0x4000, 1, true);
	KUNIT_EXPECT_EQ(test, fake->vcpu->run->mmio.data[0], 0xff);
	KUNIT_EXPECT_EQ(test, fake->vcpu->run->mmio.data[1], 0);
	KUNIT_EXPECT_EQ(test, fake->mmio_addr, 0x4000);
	KUNIT_EXPECT_EQ(test, fake->mmio_len, 1);
	KUNIT_EXPECT_EQ(test, fake->mmio_data, 0xff);
}

static void vcpu_io_handler_data(struct kunit *test)
{
	static const struct fake_result r[] = {
		OK(ST_WRITE, 0x3000, 2, 0xffffffffffff1234ULL), OK(ST_READ, 0x3000, 2), END
	};
	struct fake *fake = test->priv;

	fake->io_addr = 0x3000;
	KUNIT_ASSERT_EQ(test, run_script(fake, r), 0);
	/* The handler sees the access's bytes only; reads are not offered */
	KUNIT_EXPECT_EQ(test, fake->mmio_writes, 1);
	KUNIT_EXPECT_EQ(test, fake->mmio_addr, 0x3000);
	KUNIT_EXPECT_EQ(test, fake->mmio_len, 2);
	KUNIT_EXPECT_EQ(test, fake->mmio_data, 0x1234);
	expect_mmio_exit(test, 0x3000, 2, false);
}

/* immediate_exit: -EINTR before any call, a pending read kept */
static void vcpu_immediate_exit(struct kunit *test)
{
	static const struct fake_result read[] = { OK(ST_READ, 0x9000, 4), END };
	static const struct fake_result none[] = { END };
	struct fake *fake = test->priv;
	struct gunyah_vcpu_run *run = fake->vcpu->run;

	run->immediate_exit = 1;
	KUNIT_EXPECT_EQ(test, run_script(fake, none), -EINTR);
	KUNIT_EXPECT_EQ(test, fake->calls, 0);

	run->immediate_exit = 0;
	KUNIT_ASSERT_EQ(test, run_script(fake, read), 0);
	set_data(run, 0xfeedf00d);
	run->immediate_exit = 1;
	KUNIT_EXPECT_EQ(test, run_script(fake, none), -EINTR);
	run->immediate_exit = 0;
	KUNIT_ASSERT_EQ(test, run_script(fake, read), 0);
	expect_resume(test, 0, 0xfeedf00d, ACT_EMULATE, 0);
}

/* A signal: -ERESTARTSYS, and a pending read's data are not lost */
static void vcpu_signal_keeps_read(struct kunit *test)
{
	static const struct fake_result read[] = { OK(ST_READ, 0x9000, 4), END };
	static const struct fake_result none[] = { END };
	static const struct fake_result wakeup[] = { OK(ST_WAKEUP), END };
	struct fake *fake = test->priv;
	struct gunyah_vcpu_run *run = fake->vcpu->run;

	KUNIT_ASSERT_EQ(test, run_script(fake, read), 0);
	set_data(run, 0xabcd1234);

	/* KUnit runs the test in a kernel thread, which ignores signals */
	allow_signal(SIGUSR1);
	send_sig(SIGUSR1, current, 0);
	KUNIT_ASSERT_TRUE(test, signal_pending(current));
	KUNIT_EXPECT_EQ(test, run_script(fake, none), -ERESTARTSYS);
	KUNIT_EXPECT_EQ(test, fake->calls, 0);
	flush_signals(current);

	KUNIT_ASSERT_EQ(test, run_script(fake, read), 0);
	expect_resume(test, 0, 0xabcd1234, ACT_EMULATE, 0);

	/* Interrupted while asleep: the wait's -ERESTARTSYS comes out */
	fake->wait_ret = -ERESTARTSYS;
	KUNIT_EXPECT_EQ(test, run_script(fake, wakeup), -ERESTARTSYS);
	KUNIT_EXPECT_EQ(test, fake->wakeup_waits, 1);
	disallow_signal(SIGUSR1);
}

/* EXPECTS_WAKEUP and POWERED_OFF: sleep for the wake-up, then run again */
static void vcpu_wakeup(struct kunit *test)
{
	static const struct fake_result r[] = {
		OK(ST_WAKEUP, 0, 1), OK(ST_POWERED_OFF, 0), OK(ST_READ, 0x9000, 4), END
	};
	struct fake *fake = test->priv;

	KUNIT_ASSERT_EQ(test, run_script(fake, r), 0);
	KUNIT_EXPECT_EQ(test, fake->calls, 3);
	KUNIT_EXPECT_EQ(test, fake->wakeup_waits, 2);
	KUNIT_EXPECT_EQ(test, fake->waits, 2);
	/* Each wake-up is used once */
	KUNIT_EXPECT_FALSE(test, test_bit(GUNYAH_VCPU_WOKEN, &fake->vcpu->flags));
	expect_mmio_exit(test, 0x9000, 4, false);
}

/* Powered off for good, or reset: wait for the VM to stop, report it */
static void vcpu_powered_off_exited(struct kunit *test)
{
	static const struct fake_result off[] = { OK(ST_POWERED_OFF, 1), END };
	static const struct fake_result none[] = { END };
	struct fake *fake = test->priv;
	struct gunyah_vcpu_run *run = fake->vcpu->run;
	static const u8 reason[8] = { 1, 2, 3, 4 };

	fake->stop_on_wait = true;
	fake->status = GUNYAH_VM_STATUS_EXITED;
	fake->exit_info.type = GUNYAH_VM_EXIT_TYPE_PSCI_POWER_OFF;
	fake->exit_info.reason_size = 4;
	memcpy(fake->exit_info.reason, reason, sizeof(reason));

	KUNIT_ASSERT_EQ(test, run_script(fake, off), 0);
	KUNIT_EXPECT_EQ(test, fake->calls, 1);
	KUNIT_EXPECT_EQ(test, fake->waits, 1);
	/* Not a wait for the wake-up interrupt */
	KUNIT_EXPECT_EQ(test, fake->wakeup_waits, 0);
	expect_status_exit(test, GUNYAH_VM_STATUS_EXITED);
	KUNIT_EXPECT_EQ(test, run->status.exit_info.type, GUNYAH_VM_EXIT_TYPE_PSCI_POWER_OFF);
	KUNIT_EXPECT_EQ(test, run->status.exit_info.reason_size, 4);
	KUNIT_EXPECT_MEMEQ(test, run->status.exit_info.reason, reason, sizeof(reason));

	/* And again, without calling the hypervisor */
	memset(run, 0, sizeof(*run));
	KUNIT_ASSERT_EQ(test, run_script(fake, none), 0);
	KUNIT_EXPECT_EQ(test, fake->calls, 0);
	expect_status_exit(test, GUNYAH_VM_STATUS_EXITED);
}

static void vcpu_system_reset(struct kunit *test)
{
	static const struct fake_result reset[] = { OK(ST_RESET, 1ULL << 63), END };
	struct fake *fake = test->priv;

	fake->stop_on_wait = true;
	fake->status = GUNYAH_VM_STATUS_EXITED;
	fake->exit_info.type = GUNYAH_VM_EXIT_TYPE_PSCI_SYSTEM_RESET;
	KUNIT_ASSERT_EQ(test, run_script(fake, reset), 0);
	KUNIT_EXPECT_EQ(test, fake->waits, 1);
	expect_status_exit(test, GUNYAH_VM_STATUS_EXITED);
	KUNIT_EXPECT_EQ(test, fake->vcpu->run->status.exit_info.type,
			GUNYAH_VM_EXIT_TYPE_PSCI_SYSTEM_RESET);
}

/* FAULT and PAGE_FAULT: a crash, for good */
static void vcpu_fault(struct kunit *test)
{
	static const struct fake_result fault[] = { OK(ST_READY), OK(ST_FAULT), END };
	static const struct fake_result page_fault[] = { OK(ST_PAGE_FAULT, 0x9000, 1), END };
	static const struct fake_result none[] = { END };
	struct fake *fake = test->priv;

	KUNIT_ASSERT_EQ(test, run_script(fake, fault), 0);
	KUNIT_EXPECT_EQ(test, fake->calls, 2);
	expect_status_exit(test, GUNYAH_VM_STATUS_CRASHED);
	KUNIT_ASSERT_EQ(test, run_script(fake, none), 0);
	expect_status_exit(test, GUNYAH_VM_STATUS_CRASHED);

	fake->vcpu->state.pending = GUNYAH_VCPU_PENDING_NONE;
	KUNIT_ASSERT_EQ(test, run_script(fake, page_fault), 0);
	expect_status_exit(test, GUNYAH_VM_STATUS_CRASHED);
}

/* Hypercall errors come out as errnos, at once: no retry loop */
static void vcpu_hyp_errors(struct kunit *test)
{
	static const struct fake_result unimpl[] = { ERR(ERR_UNIMPL), END };
	static const struct fake_result revoked[] = { OK(ST_READY), ERR(ERR_CAP_REVOKED), END };
	struct fake *fake = test->priv;

	KUNIT_EXPECT_EQ(test, run_script(fake, unimpl), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, fake->calls, 1);
	KUNIT_EXPECT_EQ(test, run_script(fake, revoked), -EACCES);
	KUNIT_EXPECT_EQ(test, fake->calls, 2);
}

/*
 * BUSY: the RM runs the vCPU itself while it stops the VM. Retried, never
 * -EBUSY for the VMM: first after a yield, then after sleeps that double
 * up to a bound, with the same resume data each time.
 */
static void vcpu_hyp_busy_retried(struct kunit *test)
{
	static const struct fake_result read[] = { OK(ST_READ, 0x9000, 4), END };
	static const struct fake_result busy[] = {
		ERR(ERR_BUSY), ERR(ERR_BUSY), ERR(ERR_RETRY), ERR(ERR_BUSY), ERR(ERR_BUSY),
		OK(ST_READY), ERR(ERR_BUSY), OK(ST_READ, 0x9004, 4), END
	};
	struct fake *fake = test->priv;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, run_script(fake, read), 0);
	set_data(fake->vcpu->run, 0x12345678);
	KUNIT_ASSERT_EQ(test, run_script(fake, busy), 0);
	KUNIT_EXPECT_EQ(test, fake->calls, ARRAY_SIZE(busy) - 1);
	expect_mmio_exit(test, 0x9004, 4, false);

	/* Nothing consumed until the READY */
	for (i = 0; i < 6; i++)
		expect_resume(test, i, 0x12345678, ACT_EMULATE, 0);
	expect_resume(test, 6, 0, 0, 0);

	/*
	 * Five refusals in a row: a yield, then sleeps of 1, 2, 4, 8 jiffies
	 * (at most the bound); the one after READY: a yield again.
	 */
	KUNIT_ASSERT_EQ(test, fake->backoffs, 4);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ_MSG(test, fake->backoff_timeouts[i],
				    min(BIT(i), gunyah_vcpu_backoff_timeout(UINT_MAX)),
				    "sleep %u", i);
	KUNIT_EXPECT_EQ(test, fake->waits, 0);
}

/* The VM stops while the vCPU is BUSY: the STATUS exit, not -EBUSY */
static void vcpu_hyp_busy_vm_stops(struct kunit *test)
{
	static const struct fake_result busy[] = { ERR(ERR_BUSY), ERR(ERR_BUSY), END };
	struct fake *fake = test->priv;

	fake->stop_on_backoff = true;
	fake->status = GUNYAH_VM_STATUS_EXITED;
	fake->exit_info.type = GUNYAH_VM_EXIT_TYPE_VM_FORCE_STOPPED;
	KUNIT_ASSERT_EQ(test, run_script(fake, busy), 0);
	KUNIT_EXPECT_EQ(test, fake->calls, 2);
	KUNIT_EXPECT_EQ(test, fake->backoffs, 1);
	expect_status_exit(test, GUNYAH_VM_STATUS_EXITED);
	KUNIT_EXPECT_EQ(test, fake->vcpu->run->status.exit_info.type,
			GUNYAH_VM_EXIT_TYPE_VM_FORCE_STOPPED);
}

/* A signal or immediate_exit ends the retries */
static void vcpu_hyp_busy_interrupted(struct kunit *test)
{
	static const struct fake_result busy[] = { ERR(ERR_BUSY), ERR(ERR_BUSY), END };
	struct fake *fake = test->priv;

	fake->backoff_ret = -ERESTARTSYS;
	KUNIT_EXPECT_EQ(test, run_script(fake, busy), -ERESTARTSYS);
	KUNIT_EXPECT_EQ(test, fake->calls, 2);
	KUNIT_EXPECT_EQ(test, fake->backoffs, 1);

	/* The VMM sets immediate_exit from another thread during a sleep */
	fake->backoff_ret = 0;
	fake->backoffs = 0;
	fake->exit_on_backoff = true;
	KUNIT_EXPECT_EQ(test, run_script(fake, busy), -EINTR);
	KUNIT_EXPECT_EQ(test, fake->calls, 2);
	KUNIT_EXPECT_EQ(test, fake->backoffs, 1);
}

static void vcpu_backoff_timeout(struct kunit *test)
{
	unsigned long max = max(msecs_to_jiffies(GUNYAH_VCPU_BACKOFF_MAX_MS), 1UL);
	unsigned long prev = 0, t;
	unsigned int i;

	KUNIT_EXPECT_EQ(test, gunyah_vcpu_backoff_timeout(1), 1);
	for (i = 1; i < 100; i++) {
		t = gunyah_vcpu_backoff_timeout(i);
		KUNIT_EXPECT_GE_MSG(test, t, prev, "retry %u", i);
		KUNIT_EXPECT_GE_MSG(test, t, 1, "retry %u", i);
		KUNIT_EXPECT_LE_MSG(test, t, max, "retry %u", i);
		prev = t;
	}
	KUNIT_EXPECT_EQ(test, gunyah_vcpu_backoff_timeout(UINT_MAX), max);
	KUNIT_EXPECT_EQ(test, prev, max);
}

/* The VM: started first; once stopped, a STATUS exit without a call */
static void vcpu_vm_state(struct kunit *test)
{
	static const struct fake_result none[] = { END };
	static const struct fake_result read[] = { OK(ST_READ, 0x9000, 4), END };
	struct fake *fake = test->priv;
	struct gunyah_vcpu_run *run = fake->vcpu->run;

	fake->start_ret = -EINVAL;
	KUNIT_EXPECT_EQ(test, run_script(fake, none), -EINVAL);
	KUNIT_EXPECT_EQ(test, fake->starts, 1);

	fake->start_ret = 0;
	fake->stopped = true;
	fake->status = GUNYAH_VM_STATUS_LOAD_FAILED;
	KUNIT_ASSERT_EQ(test, run_script(fake, none), 0);
	expect_status_exit(test, GUNYAH_VM_STATUS_LOAD_FAILED);
	KUNIT_EXPECT_EQ(test, fake->starts, 2);

	/* A pending exit is dropped when the VM stops */
	fake->stopped = false;
	KUNIT_ASSERT_EQ(test, run_script(fake, read), 0);
	fake->stopped = true;
	fake->status = GUNYAH_VM_STATUS_EXITED;
	KUNIT_ASSERT_EQ(test, run_script(fake, none), 0);
	expect_status_exit(test, GUNYAH_VM_STATUS_EXITED);
	KUNIT_EXPECT_EQ(test, fake->vcpu->state.pending, GUNYAH_VCPU_PENDING_NONE);
	/* So a garbage resume_action no longer matters */
	run->mmio.resume_action = 0x77;
	KUNIT_EXPECT_EQ(test, run_script(fake, none), 0);
}

/* Without the RM's resource, or once it went: -ENODEV */
static void vcpu_no_resource(struct kunit *test)
{
	static const struct fake_result none[] = { END };
	static const struct fake_result wakeup[] = { OK(ST_WAKEUP), END };
	struct fake *fake = test->priv;

	fake->vcpu->has_cap = false;
	KUNIT_EXPECT_EQ(test, run_script(fake, none), -ENODEV);
	KUNIT_EXPECT_EQ(test, fake->starts, 1);

	/* The resource goes while the vCPU sleeps: the sleeper returns */
	fake->vcpu->has_cap = true;
	fake->gone_on_wait = true;
	KUNIT_EXPECT_EQ(test, run_script(fake, wakeup), -ENODEV);
	KUNIT_EXPECT_EQ(test, fake->calls, 1);
	KUNIT_EXPECT_EQ(test, fake->wakeup_waits, 1);
}

/* One thread at a time */
static void vcpu_busy(struct kunit *test)
{
	static const struct fake_result none[] = { END };
	struct fake *fake = test->priv;

	mutex_lock(&fake->vcpu->run_lock);
	KUNIT_EXPECT_EQ(test, run_script(fake, none), -EBUSY);
	mutex_unlock(&fake->vcpu->run_lock);
	KUNIT_EXPECT_EQ(test, fake->starts, 0);
}

/* A resource without a wake-up interrupt is refused: the vCPU could hang */
static void vcpu_populate_needs_irq(struct kunit *test)
{
	struct fake *fake = test->priv;
	struct gunyah_resource res = {
		.type = GUNYAH_RESOURCE_TYPE_VCPU, .capid = 9, .rm_label = 3, .irq = 0,
	};

	fake->vcpu->has_cap = false;
	KUNIT_EXPECT_FALSE(test, fake->vcpu->ticket.populate(&fake->vcpu->ticket, &res));
	KUNIT_EXPECT_FALSE(test, fake->vcpu->has_cap);
	KUNIT_EXPECT_EQ(test, fake->vcpu->ticket.resource_type, GUNYAH_RESOURCE_TYPE_VCPU);
	KUNIT_EXPECT_EQ(test, fake->vcpu->ticket.label, 3);
}

static struct kunit_case gunyah_vcpu_test_cases[] = {
	KUNIT_CASE_PARAM(vcpu_next, next_gen_params),
	KUNIT_CASE_PARAM(vcpu_resume_data, resume_gen_params),
	KUNIT_CASE(vcpu_ready_loops),
	KUNIT_CASE(vcpu_mmio_read),
	KUNIT_CASE(vcpu_retry_resends),
	KUNIT_CASE(vcpu_mmio_write),
	KUNIT_CASE(vcpu_resume_action),
	KUNIT_CASE(vcpu_resume_action_unknown),
	KUNIT_CASE_PARAM(vcpu_bad_len, bad_len_gen_params),
	KUNIT_CASE(vcpu_io_handler),
	KUNIT_CASE(vcpu_io_handler_data),
	KUNIT_CASE(vcpu_immediate_exit),
	KUNIT_CASE(vcpu_signal_keeps_read),
	KUNIT_CASE(vcpu_wakeup),
	KUNIT_CASE(vcpu_powered_off_exited),
	KUNIT_CASE(vcpu_system_reset),
	KUNIT_CASE(vcpu_fault),
	KUNIT_CASE(vcpu_hyp_errors),
	KUNIT_CASE(vcpu_hyp_busy_retried),
	KUNIT_CASE(vcpu_hyp_busy_vm_stops),
	KUNIT_CASE(vcpu_hyp_busy_interrupted),
	KUNIT_CASE(vcpu_backoff_timeout),
	KUNIT_CASE(vcpu_vm_state),
	KUNIT_CASE(vcpu_no_resource),
	KUNIT_CASE(vcpu_busy),
	KUNIT_CASE(vcpu_populate_needs_irq),
	{}
};

static struct kunit_suite gunyah_vcpu_test_suite = {
	.name = "gunyah_vcpu",
	.init = vcpu_test_init,
	.test_cases = gunyah_vcpu_test_cases,
};

kunit_test_suite(gunyah_vcpu_test_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of the Gunyah vCPU function");
