// SPDX-License-Identifier: GPL-2.0-only
/*
 * Gunyah vCPU function (GUNYAH_FN_VCPU): GUNYAH_VM_ADD_FUNCTION creates a
 * vCPU file, "gh-vcpu:<id>", with a run page to mmap and GUNYAH_VCPU_RUN,
 * which runs a proxy-scheduled vCPU of the VM with the vcpu_run hypercall
 * until it needs user space.
 *
 * The run loop is a state machine whose source of truth is the kernel's
 * copy of the vCPU's state (&struct gunyah_vcpu_state): the run page is
 * writable by user space at any time, so the kernel reads only the
 * documented inputs from it (immediate_exit; for a pending MMIO exit
 * mmio.resume_action, and the first len bytes of mmio.data for a read),
 * each once per call, and never trusts it for anything else. Two pure
 * functions carry the machine: gunyah_vcpu_resume_data() turns the pending
 * exit and the user's answer into the hypercall's resume data, and
 * gunyah_vcpu_next() turns the hypercall's result into the next pending
 * exit and what to do. gunyah_vcpu_run() ties them to the hypercall, the VM
 * manager, signals and sleeping, all reached through
 * &struct gunyah_vcpu_ops so that KUnit can drive the loop with fakes.
 * Every return of vcpu_run is traced (gunyah_vcpu_exit, gunyah_vcpu_trace.h).
 *
 * The vCPU's capability and wake-up interrupt come from the Resource
 * Manager at VM start: a resource ticket claims the VCPU resource whose
 * label is the vCPU's id. The vCPU file holds a reference to the VM.
 */

#define pr_fmt(fmt) "gunyah_vcpu: " fmt

#include <linux/anon_inodes.h>
#include <linux/bitops.h>
#include <linux/build_bug.h>
#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include <kunit/visibility.h>

#include "gunyah_vcpu.h"

#define CREATE_TRACE_POINTS
#include "gunyah_vcpu_trace.h"

/* The union of the run page is its tail; an exit clears it whole. */
static_assert(sizeof_field(struct gunyah_vcpu_run, mmio) ==
	      sizeof(struct gunyah_vcpu_run) - offsetof(struct gunyah_vcpu_run, mmio));
static_assert(sizeof(struct gunyah_vcpu_run) <= PAGE_SIZE);

static bool gunyah_vcpu_mmio_len_ok(u64 len)
{
	return len == 1 || len == 2 || len == 4 || len == 8;
}

/**
 * gunyah_vcpu_resume_data() - The resume data of the next vcpu_run
 * @st: the vCPU's state
 * @run: the run page, read only for the pending exit's inputs
 * @resume_data: filled with resume_data_0..2
 *
 * Nothing pending: zeros. A pending MMIO exit: mmio.resume_action in
 * resume_data_1, translated to the hypervisor's order (HANDLED to EMULATE,
 * FAULT to FAULT, RETRY to RETRY); for a read also the first
 * @st->mmio_len bytes of mmio.data, little endian, in resume_data_0.
 *
 * Context: Any context.
 * Return: 0, or -EINVAL if resume_action has an unknown value; the exit
 * stays pending either way.
 */
int gunyah_vcpu_resume_data(const struct gunyah_vcpu_state *st,
			    const struct gunyah_vcpu_run *run,
			    u64 resume_data[GUNYAH_VCPU_RUN_RESUME_WORDS])
{
	u8 data[8] = { 0 };

	memset(resume_data, 0, GUNYAH_VCPU_RUN_RESUME_WORDS * sizeof(*resume_data));
	if (st->pending != GUNYAH_VCPU_PENDING_MMIO_READ &&
	    st->pending != GUNYAH_VCPU_PENDING_MMIO_WRITE)
		return 0;

	switch (READ_ONCE(run->mmio.resume_action)) {
	case GUNYAH_VCPU_RESUME_HANDLED:
		resume_data[1] = GUNYAH_VCPU_RUN_VMMIO_EMULATE;
		break;
	case GUNYAH_VCPU_RESUME_FAULT:
		resume_data[1] = GUNYAH_VCPU_RUN_VMMIO_FAULT;
		break;
	case GUNYAH_VCPU_RESUME_RETRY:
		resume_data[1] = GUNYAH_VCPU_RUN_VMMIO_RETRY;
		break;
	default:
		return -EINVAL;
	}

	if (st->pending == GUNYAH_VCPU_PENDING_MMIO_READ) {
		/* mmio_len was checked when the exit was taken; bound it anyway */
		memcpy(data, run->mmio.data, min_t(u32, st->mmio_len, sizeof(data)));
		resume_data[0] = get_unaligned_le64(data);
	}

	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vcpu_resume_data);

/**
 * gunyah_vcpu_next() - The next step after a vcpu_run
 * @st: the vCPU's state, updated
 * @err: the hypercall's error
 * @resp: its result, valid if @err is %GUNYAH_ERROR_OK
 *
 * On success the resume data were consumed and the pending exit becomes
 * the one @resp reports, if any. A VMMIO access of a size other than 1, 2,
 * 4 or 8 bytes, a fault, a page fault (this kernel provides no memory on
 * demand) and an unknown state make the vCPU crashed, for good. On an
 * error @st is left as it was, so the same resume data are passed again.
 *
 * %GUNYAH_ERROR_BUSY and %GUNYAH_ERROR_RETRY are retried. The
 * hypervisor's vcpu_run answers BUSY when the vCPU is not waiting for a
 * vcpu_run caller: while another caller runs it, as the RM does when it
 * takes the vCPUs of a stopping VM down (it calls vcpu_run itself), and
 * for a vCPU that is not proxy-scheduled (which has no resource here, see
 * gunyah_vcpu_populate()). RETRY comes from an affinity change still in
 * progress.
 *
 * Context: Any context.
 * Return: what the run loop does next.
 */
enum gunyah_vcpu_action
gunyah_vcpu_next(struct gunyah_vcpu_state *st, enum gunyah_error err,
		 const struct gunyah_hypercall_vcpu_run_resp *resp)
{
	u64 len;

	if (err == GUNYAH_ERROR_BUSY || err == GUNYAH_ERROR_RETRY)
		return GUNYAH_VCPU_ACTION_BACKOFF;
	if (err != GUNYAH_ERROR_OK)
		return GUNYAH_VCPU_ACTION_ERROR;

	st->pending = GUNYAH_VCPU_PENDING_NONE;

	switch (resp->state) {
	case GUNYAH_VCPU_RUN_STATE_READY:
		return GUNYAH_VCPU_ACTION_RESCHED;
	case GUNYAH_VCPU_RUN_STATE_BLOCKED:
		return GUNYAH_VCPU_ACTION_YIELD;
	case GUNYAH_VCPU_RUN_STATE_EXPECTS_WAKEUP:
		return GUNYAH_VCPU_ACTION_WAIT_WAKEUP;
	case GUNYAH_VCPU_RUN_STATE_POWERED_OFF:
		if (resp->state_data[0] & GUNYAH_VCPU_RUN_POWERED_OFF_EXITED)
			return GUNYAH_VCPU_ACTION_WAIT_STOP;
		return GUNYAH_VCPU_ACTION_WAIT_WAKEUP;
	case GUNYAH_VCPU_RUN_STATE_PSCI_SYSTEM_RESET:
		return GUNYAH_VCPU_ACTION_WAIT_STOP;
	case GUNYAH_VCPU_RUN_STATE_ADDRSPACE_VMMIO_READ:
	case GUNYAH_VCPU_RUN_STATE_ADDRSPACE_VMMIO_WRITE:
		len = resp->state_data[1];
		if (!gunyah_vcpu_mmio_len_ok(len))
			break;
		st->mmio_addr = resp->state_data[0];
		st->mmio_len = len;
		if (resp->state == GUNYAH_VCPU_RUN_STATE_ADDRSPACE_VMMIO_READ) {
			st->pending = GUNYAH_VCPU_PENDING_MMIO_READ;
			st->mmio_data = 0;
			return GUNYAH_VCPU_ACTION_MMIO_READ;
		}
		st->pending = GUNYAH_VCPU_PENDING_MMIO_WRITE;
		st->mmio_data = resp->state_data[2] & GENMASK_ULL(len * 8 - 1, 0);
		return GUNYAH_VCPU_ACTION_MMIO_WRITE;
	default:
		/* FAULT, ADDRSPACE_PAGE_FAULT, unknown states */
		break;
	}

	st->pending = GUNYAH_VCPU_PENDING_CRASHED;
	return GUNYAH_VCPU_ACTION_CRASHED;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vcpu_next);

/**
 * gunyah_vcpu_backoff_timeout() - How long to sleep before a retry
 * @retries: the vcpu_run calls refused with BUSY or RETRY in a row, before
 *	this one, 1 or more (the first retry only yields)
 *
 * Context: Any context.
 * Return: 2^(@retries - 1) jiffies, at most %GUNYAH_VCPU_BACKOFF_MAX_MS
 * milliseconds (and at least a jiffy).
 */
unsigned long gunyah_vcpu_backoff_timeout(unsigned int retries)
{
	unsigned long max = max(msecs_to_jiffies(GUNYAH_VCPU_BACKOFF_MAX_MS), 1UL);
	unsigned int shift = retries ? retries - 1 : 0;

	if (shift >= BITS_PER_LONG - 1 || BIT(shift) > max)
		return max;
	return BIT(shift);
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vcpu_backoff_timeout);

/* Clear the union of the run page and set the exit reason */
static void gunyah_vcpu_set_exit(struct gunyah_vcpu *vcpu, enum gunyah_vcpu_exit reason)
{
	struct gunyah_vcpu_run *run = vcpu->run;

	memset(&run->mmio, 0, sizeof(run->mmio));
	run->exit_reason = reason;
}

static void gunyah_vcpu_exit_status(struct gunyah_vcpu *vcpu,
				    enum gunyah_vm_status status,
				    const struct gunyah_vm_exit_info *exit_info)
{
	gunyah_vcpu_set_exit(vcpu, GUNYAH_VCPU_EXIT_STATUS);
	vcpu->run->status.status = status;
	vcpu->run->status.exit_info = *exit_info;
}

static void gunyah_vcpu_exit_crashed(struct gunyah_vcpu *vcpu)
{
	static const struct gunyah_vm_exit_info none;

	gunyah_vcpu_exit_status(vcpu, GUNYAH_VM_STATUS_CRASHED, &none);
}

/* The pending MMIO exit; resume_action back to HANDLED */
static void gunyah_vcpu_exit_mmio(struct gunyah_vcpu *vcpu)
{
	const struct gunyah_vcpu_state *st = &vcpu->state;
	struct gunyah_vcpu_run *run = vcpu->run;

	gunyah_vcpu_set_exit(vcpu, GUNYAH_VCPU_EXIT_MMIO);
	run->mmio.phys_addr = st->mmio_addr;
	run->mmio.len = st->mmio_len;
	run->mmio.is_write = st->pending == GUNYAH_VCPU_PENDING_MMIO_WRITE;
	run->mmio.resume_action = GUNYAH_VCPU_RESUME_HANDLED;
	if (run->mmio.is_write)
		put_unaligned_le64(st->mmio_data, run->mmio.data);
}

/* The vCPU's capability, if the RM gave it and it was not taken back */
static bool gunyah_vcpu_capid(struct gunyah_vcpu *vcpu, u64 *capid)
{
	bool has_cap;

	spin_lock(&vcpu->lock);
	has_cap = vcpu->has_cap;
	*capid = vcpu->capid;
	spin_unlock(&vcpu->lock);

	return has_cap;
}

static long gunyah_vcpu_run_locked(struct gunyah_vcpu *vcpu)
{
	u64 resume_data[GUNYAH_VCPU_RUN_RESUME_WORDS];
	struct gunyah_hypercall_vcpu_run_resp resp;
	struct gunyah_vcpu_state *st = &vcpu->state;
	struct gunyah_vm_exit_info exit_info;
	enum gunyah_vcpu_action action;
	enum gunyah_vm_status status;
	unsigned long busy_since = 0;
	unsigned int retries = 0;
	enum gunyah_error err;
	u64 capid;
	int ret;

	if (st->pending == GUNYAH_VCPU_PENDING_CRASHED) {
		gunyah_vcpu_exit_crashed(vcpu);
		return 0;
	}

	/* The user's answer to the pending exit, if any, checked first */
	ret = gunyah_vcpu_resume_data(st, vcpu->run, resume_data);
	if (ret)
		return ret;

	ret = vcpu->ops->ensure_started(vcpu);
	if (ret)
		return ret;

	for (;;) {
		if (vcpu->ops->vm_stopped(vcpu, &status, &exit_info)) {
			/* Whatever was pending will never be resumed. */
			st->pending = GUNYAH_VCPU_PENDING_NONE;
			gunyah_vcpu_exit_status(vcpu, status, &exit_info);
			return 0;
		}
		if (!gunyah_vcpu_capid(vcpu, &capid))
			return -ENODEV;
		/* Nothing consumed: a pending exit is answered next time. */
		if (signal_pending(current))
			return -ERESTARTSYS;
		if (READ_ONCE(vcpu->run->immediate_exit))
			return -EINTR;

		err = vcpu->ops->run(vcpu, capid, resume_data, &resp);
		action = gunyah_vcpu_next(st, err, &resp);
		trace_gunyah_vcpu_exit(vcpu->id, err, &resp, action);
		if (err == GUNYAH_ERROR_OK) {
			memset(resume_data, 0, sizeof(resume_data));
			retries = 0;
		}

		switch (action) {
		case GUNYAH_VCPU_ACTION_RESCHED:
			cond_resched();
			break;
		case GUNYAH_VCPU_ACTION_YIELD:
			schedule();
			break;
		case GUNYAH_VCPU_ACTION_BACKOFF:
			/*
			 * Never -EBUSY for this: only another thread in
			 * VCPU_RUN is, and run_lock keeps it out. The VM
			 * stopping, a signal or immediate_exit ends the
			 * retries at the top of the loop.
			 */
			if (!retries++) {
				busy_since = jiffies;
				schedule();
				break;
			}
			if (time_after(jiffies, busy_since + GUNYAH_VCPU_BUSY_WARN_S * HZ)) {
				pr_warn_ratelimited("vCPU %u: vcpu_run refused (%d) for %u s, still retrying\n",
						    vcpu->id, err, GUNYAH_VCPU_BUSY_WARN_S);
				busy_since = jiffies;
			}
			ret = vcpu->ops->backoff(vcpu, gunyah_vcpu_backoff_timeout(retries - 1));
			if (ret)
				return ret;
			break;
		case GUNYAH_VCPU_ACTION_WAIT_WAKEUP:
			ret = vcpu->ops->wait(vcpu, true);
			if (ret)
				return ret;
			/* A wake-up after this is for the next wait. */
			clear_bit(GUNYAH_VCPU_WOKEN, &vcpu->flags);
			break;
		case GUNYAH_VCPU_ACTION_WAIT_STOP:
			/* Then the VM's status, at the top of the loop */
			ret = vcpu->ops->wait(vcpu, false);
			if (ret)
				return ret;
			break;
		case GUNYAH_VCPU_ACTION_MMIO_WRITE:
			if (!vcpu->ops->mmio_write(vcpu, st->mmio_addr, st->mmio_len,
						   st->mmio_data)) {
				/* Taken: resume with EMULATE, zero resume data */
				st->pending = GUNYAH_VCPU_PENDING_NONE;
				/*
				 * An ioeventfd may have woken a task onto this
				 * CPU: let it run before the guest takes the
				 * CPU again until the next tick.
				 */
				cond_resched();
				break;
			}
			fallthrough;
		case GUNYAH_VCPU_ACTION_MMIO_READ:
			gunyah_vcpu_exit_mmio(vcpu);
			return 0;
		case GUNYAH_VCPU_ACTION_CRASHED:
			pr_warn_ratelimited("vCPU %u: vcpu_run returned state %#llx (%#llx %#llx %#llx): reporting a crash\n",
					    vcpu->id, resp.state, resp.state_data[0],
					    resp.state_data[1], resp.state_data[2]);
			gunyah_vcpu_exit_crashed(vcpu);
			return 0;
		case GUNYAH_VCPU_ACTION_ERROR:
			if (err == GUNYAH_ERROR_UNIMPLEMENTED)
				pr_warn_once("the hypervisor does not implement vcpu_run: vCPUs cannot run\n");
			return gunyah_error_remap(err);
		}
	}
}

/**
 * gunyah_vcpu_run() - GUNYAH_VCPU_RUN: run a vCPU until it needs user space
 * @vcpu: the vCPU
 *
 * Only one thread runs a vCPU at a time. Starts the VM if it was not
 * started yet. Then calls vcpu_run, with the answer to the pending exit
 * first, until an exit for user space: an MMIO access no in-kernel handler
 * takes, or a STATUS exit once the VM stopped or the vCPU crashed. See
 * Documentation/virt/gunyah/vm-manager.rst.
 *
 * Context: Process context; sleeps.
 * Return: 0 with the exit on the run page; -EBUSY if another thread runs
 * the vCPU; -EINVAL for an unknown resume_action; the error of starting
 * the VM; -ENODEV if the RM gave no resource for this vCPU, or it went;
 * -ERESTARTSYS if a signal is pending; -EINTR if immediate_exit is set; or
 * the hypercall's error as gunyah_error_remap() maps it, e.g.
 * -EOPNOTSUPP if the hypervisor has no vcpu_run.
 */
long gunyah_vcpu_run(struct gunyah_vcpu *vcpu)
{
	long ret;

	if (!mutex_trylock(&vcpu->run_lock))
		return -EBUSY;
	ret = gunyah_vcpu_run_locked(vcpu);
	mutex_unlock(&vcpu->run_lock);

	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vcpu_run);

/* ---------------------------------------------------------------------- */
/* The real hypervisor and VM manager                                      */

static enum gunyah_error
gunyah_vcpu_hyp_run(struct gunyah_vcpu *vcpu, u64 capid,
		    const u64 resume_data[GUNYAH_VCPU_RUN_RESUME_WORDS],
		    struct gunyah_hypercall_vcpu_run_resp *resp)
{
	return gunyah_hypercall_vcpu_run(capid, resume_data, resp);
}

static int gunyah_vcpu_vm_ensure_started(struct gunyah_vcpu *vcpu)
{
	return gunyah_vm_ensure_started(vcpu->vm);
}

static bool gunyah_vcpu_vm_stopped(struct gunyah_vcpu *vcpu,
				   enum gunyah_vm_status *status,
				   struct gunyah_vm_exit_info *exit_info)
{
	return gunyah_vm_stopped(vcpu->vm, status, exit_info);
}

static bool gunyah_vcpu_gone(void *data)
{
	struct gunyah_vcpu *vcpu = data;
	u64 capid;

	return !gunyah_vcpu_capid(vcpu, &capid);
}

static bool gunyah_vcpu_woken_or_gone(void *data)
{
	struct gunyah_vcpu *vcpu = data;

	return test_bit(GUNYAH_VCPU_WOKEN, &vcpu->flags) || gunyah_vcpu_gone(vcpu);
}

static int gunyah_vcpu_vm_wait(struct gunyah_vcpu *vcpu, bool wakeup)
{
	return gunyah_vm_wait(vcpu->vm, &vcpu->wait,
			      wakeup ? gunyah_vcpu_woken_or_gone : gunyah_vcpu_gone,
			      vcpu);
}

static int gunyah_vcpu_vm_mmio_write(struct gunyah_vcpu *vcpu, u64 addr, u32 len,
				     u64 data)
{
	return gunyah_vm_mmio_write(vcpu->vm, addr, len, data);
}

static int gunyah_vcpu_vm_backoff(struct gunyah_vcpu *vcpu, unsigned long timeout)
{
	long ret = gunyah_vm_wait_timeout(vcpu->vm, &vcpu->wait, gunyah_vcpu_gone, vcpu,
					  timeout);

	return ret < 0 ? ret : 0;
}

static const struct gunyah_vcpu_ops gunyah_vcpu_default_ops = {
	.run = gunyah_vcpu_hyp_run,
	.ensure_started = gunyah_vcpu_vm_ensure_started,
	.vm_stopped = gunyah_vcpu_vm_stopped,
	.wait = gunyah_vcpu_vm_wait,
	.mmio_write = gunyah_vcpu_vm_mmio_write,
	.backoff = gunyah_vcpu_vm_backoff,
};

/* ---------------------------------------------------------------------- */
/* The vCPU resource                                                       */

static irqreturn_t gunyah_vcpu_wakeup_irq(int irq, void *data)
{
	struct gunyah_vcpu *vcpu = data;

	set_bit(GUNYAH_VCPU_WOKEN, &vcpu->flags);
	wake_up(&vcpu->wait);

	return IRQ_HANDLED;
}

static bool gunyah_vcpu_populate(struct gunyah_vm_resource_ticket *ticket,
				 struct gunyah_resource *res)
{
	struct gunyah_vcpu *vcpu = container_of(ticket, struct gunyah_vcpu, ticket);
	bool has_cap;
	int ret;

	if (!res->irq) {
		pr_warn("vCPU %u: no wake-up interrupt from the RM, cannot run it\n",
			vcpu->id);
		return false;
	}

	spin_lock(&vcpu->lock);
	has_cap = vcpu->has_cap;
	spin_unlock(&vcpu->lock);
	if (has_cap) {
		pr_warn("vCPU %u: a second resource from the RM, ignored\n", vcpu->id);
		return false;
	}

	clear_bit(GUNYAH_VCPU_WOKEN, &vcpu->flags);
	ret = request_irq(res->irq, gunyah_vcpu_wakeup_irq, 0, "gunyah_vcpu_wakeup", vcpu);
	if (ret) {
		pr_warn("vCPU %u: cannot request its wake-up IRQ %u: %d\n", vcpu->id,
			res->irq, ret);
		return false;
	}

	spin_lock(&vcpu->lock);
	vcpu->capid = res->capid;
	vcpu->irq = res->irq;
	vcpu->has_cap = true;
	spin_unlock(&vcpu->lock);

	return true;
}

static void gunyah_vcpu_unpopulate(struct gunyah_vm_resource_ticket *ticket,
				   struct gunyah_resource *res)
{
	struct gunyah_vcpu *vcpu = container_of(ticket, struct gunyah_vcpu, ticket);
	unsigned int irq;

	spin_lock(&vcpu->lock);
	irq = vcpu->irq;
	vcpu->irq = 0;
	vcpu->has_cap = false;
	spin_unlock(&vcpu->lock);

	free_irq(irq, vcpu);
	/* A VCPU_RUN asleep in the loop returns -ENODEV. */
	wake_up(&vcpu->wait);
}

/**
 * gunyah_vcpu_create() - Allocate a vCPU
 * @vm: its VM; no reference is taken
 * @id: its index
 * @ops: the hypercall and VM manager to use, or NULL for the real ones
 *
 * The vCPU has one reference and a zeroed run page; its resource ticket
 * (type VCPU, label @id) is not added.
 *
 * Context: Process context; sleeps.
 * Return: the vCPU, or NULL if out of memory.
 */
struct gunyah_vcpu *gunyah_vcpu_create(struct gunyah_vm *vm, u32 id,
				       const struct gunyah_vcpu_ops *ops)
{
	struct gunyah_vcpu *vcpu;

	vcpu = kzalloc(sizeof(*vcpu), GFP_KERNEL_ACCOUNT);
	if (!vcpu)
		return NULL;

	vcpu->run_page = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!vcpu->run_page) {
		kfree(vcpu);
		return NULL;
	}
	vcpu->run = page_address(vcpu->run_page);

	vcpu->vm = vm;
	vcpu->id = id;
	vcpu->ops = ops ?: &gunyah_vcpu_default_ops;
	kref_init(&vcpu->kref);
	mutex_init(&vcpu->run_lock);
	spin_lock_init(&vcpu->lock);
	init_waitqueue_head(&vcpu->wait);

	vcpu->ticket.resource_type = GUNYAH_RESOURCE_TYPE_VCPU;
	vcpu->ticket.label = id;
	vcpu->ticket.owner = THIS_MODULE;
	vcpu->ticket.populate = gunyah_vcpu_populate;
	vcpu->ticket.unpopulate = gunyah_vcpu_unpopulate;

	return vcpu;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vcpu_create);

static void gunyah_vcpu_free(struct kref *kref)
{
	struct gunyah_vcpu *vcpu = container_of(kref, struct gunyah_vcpu, kref);

	/* A mapping of the page holds a reference of its own. */
	__free_page(vcpu->run_page);
	mutex_destroy(&vcpu->run_lock);
	kfree(vcpu);
}

/**
 * gunyah_vcpu_put() - Drop a reference to a vCPU
 * @vcpu: the vCPU; freed with the last reference
 *
 * Context: Process context.
 */
void gunyah_vcpu_put(struct gunyah_vcpu *vcpu)
{
	kref_put(&vcpu->kref, gunyah_vcpu_free);
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vcpu_put);

/* ---------------------------------------------------------------------- */
/* The vCPU file                                                           */

static long gunyah_vcpu_ioctl(struct file *filp, unsigned int cmd,
			      unsigned long arg)
{
	struct gunyah_vcpu *vcpu = filp->private_data;

	switch (cmd) {
	case GUNYAH_VCPU_RUN:
		return gunyah_vcpu_run(vcpu);
	case GUNYAH_VCPU_MMAP_SIZE:
		return PAGE_SIZE;
	default:
		return -ENOTTY;
	}
}

static vm_fault_t gunyah_vcpu_fault(struct vm_fault *vmf)
{
	struct gunyah_vcpu *vcpu = vmf->vma->vm_file->private_data;

	/* Not reachable: the mapping is one page and cannot grow */
	if (vmf->pgoff)
		return VM_FAULT_SIGBUS;

	get_page(vcpu->run_page);
	vmf->page = vcpu->run_page;

	return 0;
}

static const struct vm_operations_struct gunyah_vcpu_vm_ops = {
	.fault = gunyah_vcpu_fault,
};

/* The run page: offset 0, at most a page, shared (a private copy is useless) */
static int gunyah_vcpu_mmap(struct file *filp, struct vm_area_struct *vma)
{
	if (vma->vm_pgoff || vma->vm_end - vma->vm_start > PAGE_SIZE ||
	    !(vma->vm_flags & VM_SHARED))
		return -EINVAL;

	vm_flags_set(vma, VM_DONTEXPAND);
	vma->vm_ops = &gunyah_vcpu_vm_ops;

	return 0;
}

static int gunyah_vcpu_release(struct inode *inode, struct file *filp)
{
	struct gunyah_vcpu *vcpu = filp->private_data;
	struct gunyah_vm *vm = vcpu->vm;

	gunyah_vcpu_put(vcpu);
	/* May be the VM's last reference: it goes, and unbinds the vCPU. */
	gunyah_vm_put(vm);

	return 0;
}

static const struct file_operations gunyah_vcpu_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= gunyah_vcpu_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= gunyah_vcpu_mmap,
	.release	= gunyah_vcpu_release,
	.llseek		= noop_llseek,
};

/* ---------------------------------------------------------------------- */
/* The VM function                                                         */

static long gunyah_vcpu_bind(struct gunyah_vm_function_instance *f)
{
	const struct gunyah_fn_vcpu_arg *arg = f->argp;
	char name[sizeof("gh-vcpu:4294967295")];
	struct gunyah_vcpu *vcpu;
	struct file *file;
	long ret;
	int fd;

	if (f->arg_size != sizeof(*arg) || arg->id > GUNYAH_VCPU_MAX_ID)
		return -EINVAL;

	vcpu = gunyah_vcpu_create(f->ghvm, arg->id, NULL);
	if (!vcpu)
		return -ENOMEM;

	/* -EEXIST if the VM has a vCPU with this id */
	ret = gunyah_vm_add_resource_ticket(f->ghvm, &vcpu->ticket);
	if (ret)
		goto err_put_vcpu;

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		ret = fd;
		goto err_remove_ticket;
	}

	/* The file's references */
	kref_get(&vcpu->kref);
	gunyah_vm_get(f->ghvm);
	snprintf(name, sizeof(name), "gh-vcpu:%u", vcpu->id);
	file = anon_inode_getfile(name, &gunyah_vcpu_fops, vcpu, O_RDWR);
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		/* Not the last reference: the caller's VM file holds one */
		gunyah_vm_put(f->ghvm);
		gunyah_vcpu_put(vcpu);
		goto err_put_fd;
	}

	f->data = vcpu;
	fd_install(fd, file);

	return fd;

err_put_fd:
	put_unused_fd(fd);
err_remove_ticket:
	gunyah_vm_remove_resource_ticket(f->ghvm, &vcpu->ticket);
err_put_vcpu:
	gunyah_vcpu_put(vcpu);
	return ret;
}

static void gunyah_vcpu_unbind(struct gunyah_vm_function_instance *f)
{
	struct gunyah_vcpu *vcpu = f->data;

	/* Frees the wake-up interrupt; a running VCPU_RUN returns -ENODEV. */
	gunyah_vm_remove_resource_ticket(f->ghvm, &vcpu->ticket);
	gunyah_vcpu_put(vcpu);
}

static bool gunyah_vcpu_compare(const struct gunyah_vm_function_instance *f,
				const void *arg, size_t size)
{
	const struct gunyah_fn_vcpu_arg *instance = f->argp, *other = arg;

	return size == sizeof(*other) && other->id == instance->id;
}

static struct gunyah_vm_function gunyah_vcpu_function = {
	.type = GUNYAH_FN_VCPU,
	.name = "vcpu",
	.mod = THIS_MODULE,
	.bind = gunyah_vcpu_bind,
	.unbind = gunyah_vcpu_unbind,
	.compare = gunyah_vcpu_compare,
};

static int __init gunyah_vcpu_init(void)
{
	return gunyah_vm_function_register(&gunyah_vcpu_function);
}
module_init(gunyah_vcpu_init);

static void __exit gunyah_vcpu_exit_module(void)
{
	gunyah_vm_function_unregister(&gunyah_vcpu_function);
}
module_exit(gunyah_vcpu_exit_module);

/* The alias needs the number itself */
static_assert(GUNYAH_FN_VCPU == 1);
MODULE_ALIAS_GUNYAH_VM_FUNCTION(1);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Gunyah vCPU function: vCPU files and GUNYAH_VCPU_RUN");
