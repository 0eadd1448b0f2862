/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Gunyah vCPU function: internal interface of gunyah_vcpu.ko, for its
 * KUnit test. See gunyah_vcpu.c.
 */
#ifndef _GUNYAH_VCPU_H
#define _GUNYAH_VCPU_H

#include <linux/gunyah.h>
#include <linux/gunyah_vm_mgr.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

#include <uapi/linux/gunyah.h>

struct page;

/* Largest vCPU id: ids 0 to 1023. Larger ones are -EINVAL. */
#define GUNYAH_VCPU_MAX_ID	1023

/**
 * enum gunyah_vcpu_pending - What the kernel remembers of the last exit
 * @GUNYAH_VCPU_PENDING_NONE: nothing; the next vcpu_run passes zeros as
 *	resume data (which is also EMULATE after a write the kernel took)
 * @GUNYAH_VCPU_PENDING_MMIO_READ: an MMIO read exit; the next VCPU_RUN
 *	passes mmio.data[0..len) and mmio.resume_action
 * @GUNYAH_VCPU_PENDING_MMIO_WRITE: an MMIO write exit; the next VCPU_RUN
 *	passes mmio.resume_action
 * @GUNYAH_VCPU_PENDING_CRASHED: the vCPU faulted, or the hypervisor
 *	reported something it cannot resume from; every VCPU_RUN reports a
 *	crash and the hypervisor is not called again
 */
enum gunyah_vcpu_pending {
	GUNYAH_VCPU_PENDING_NONE,
	GUNYAH_VCPU_PENDING_MMIO_READ,
	GUNYAH_VCPU_PENDING_MMIO_WRITE,
	GUNYAH_VCPU_PENDING_CRASHED,
};

/**
 * struct gunyah_vcpu_state - The kernel's copy of a vCPU's state: the source
 *	of truth, never the user-writable run page
 * @pending: what the last exit expects
 * @mmio_addr: guest physical address of the pending MMIO access
 * @mmio_len: its size: 1, 2, 4 or 8
 * @mmio_data: the value of a write, @mmio_len bytes, zero above
 */
struct gunyah_vcpu_state {
	enum gunyah_vcpu_pending pending;
	u64 mmio_addr;
	u32 mmio_len;
	u64 mmio_data;
};

/**
 * enum gunyah_vcpu_action - What the run loop does after a vcpu_run
 * @GUNYAH_VCPU_ACTION_RESCHED: READY: cond_resched(), call again
 * @GUNYAH_VCPU_ACTION_YIELD: BLOCKED: schedule(), call again
 * @GUNYAH_VCPU_ACTION_BACKOFF: error BUSY (someone else, the RM, runs the
 *	vCPU) or RETRY: call again, the same resume data, after a yield and
 *	then after sleeps that grow (gunyah_vcpu_backoff_timeout())
 * @GUNYAH_VCPU_ACTION_WAIT_WAKEUP: EXPECTS_WAKEUP, POWERED_OFF: sleep until
 *	the wake-up interrupt, then call again
 * @GUNYAH_VCPU_ACTION_WAIT_STOP: POWERED_OFF for good, PSCI_SYSTEM_RESET:
 *	sleep until the VM stops, then report its status
 * @GUNYAH_VCPU_ACTION_MMIO_WRITE: a write: give it to the in-kernel
 *	handlers; if none takes it, an MMIO exit
 * @GUNYAH_VCPU_ACTION_MMIO_READ: a read: an MMIO exit
 * @GUNYAH_VCPU_ACTION_CRASHED: a STATUS exit with CRASHED
 * @GUNYAH_VCPU_ACTION_ERROR: the hypercall failed: return its errno
 */
enum gunyah_vcpu_action {
	GUNYAH_VCPU_ACTION_RESCHED,
	GUNYAH_VCPU_ACTION_YIELD,
	GUNYAH_VCPU_ACTION_BACKOFF,
	GUNYAH_VCPU_ACTION_WAIT_WAKEUP,
	GUNYAH_VCPU_ACTION_WAIT_STOP,
	GUNYAH_VCPU_ACTION_MMIO_WRITE,
	GUNYAH_VCPU_ACTION_MMIO_READ,
	GUNYAH_VCPU_ACTION_CRASHED,
	GUNYAH_VCPU_ACTION_ERROR,
};

struct gunyah_vcpu;

/**
 * struct gunyah_vcpu_ops - What the run loop needs from the hypervisor and
 *	the VM manager; a seam for tests
 * @run: the vcpu_run hypercall, gunyah_hypercall_vcpu_run()
 * @ensure_started: start the VM unless it was, gunyah_vm_ensure_started()
 * @vm_stopped: whether the VM stopped, and its status for a STATUS exit,
 *	gunyah_vm_stopped()
 * @wait: sleep interruptibly until the VM stops or the vCPU is gone, and
 *	with @wakeup also until its wake-up interrupt; 0 or -ERESTARTSYS
 * @mmio_write: give a guest write to the in-kernel handlers: 0 if one took
 *	it, gunyah_vm_mmio_write()
 * @backoff: sleep interruptibly for @timeout jiffies, or until the VM stops
 *	or the vCPU is gone; 0 or -ERESTARTSYS
 */
struct gunyah_vcpu_ops {
	enum gunyah_error (*run)(struct gunyah_vcpu *vcpu, u64 capid,
				 const u64 resume_data[GUNYAH_VCPU_RUN_RESUME_WORDS],
				 struct gunyah_hypercall_vcpu_run_resp *resp);
	int (*ensure_started)(struct gunyah_vcpu *vcpu);
	bool (*vm_stopped)(struct gunyah_vcpu *vcpu, enum gunyah_vm_status *status,
			   struct gunyah_vm_exit_info *exit_info);
	int (*wait)(struct gunyah_vcpu *vcpu, bool wakeup);
	int (*mmio_write)(struct gunyah_vcpu *vcpu, u64 addr, u32 len, u64 data);
	int (*backoff)(struct gunyah_vcpu *vcpu, unsigned long timeout);
};

/*
 * Retries of a vcpu_run refused with BUSY or RETRY: the first one after a
 * yield, then after sleeps of 1, 2, 4... jiffies, at most this long.
 */
#define GUNYAH_VCPU_BACKOFF_MAX_MS	50
/* Refusals that last this long are logged, rate limited */
#define GUNYAH_VCPU_BUSY_WARN_S		10

/* &gunyah_vcpu.flags: the wake-up interrupt fired since the last wait */
#define GUNYAH_VCPU_WOKEN	0

/**
 * struct gunyah_vcpu - A vCPU function instance and its file
 * @vm: the VM; the file holds a reference
 * @id: the vCPU's index, the label of its RM resource
 * @ops: the hypercall and the VM manager, or fakes
 * @kref: held by the function instance and by the file
 * @run_page: the page user space maps, a &struct gunyah_vcpu_run
 * @run: its kernel address
 * @run_lock: one VCPU_RUN at a time; protects @state
 * @state: the pending exit
 * @ticket: claims the VCPU resource labelled @id
 * @lock: protects @capid, @irq and @has_cap
 * @capid: the vCPU's capability, valid if @has_cap
 * @irq: the wake-up interrupt, requested while @has_cap
 * @has_cap: the resource is populated; cleared when it goes
 * @flags: %GUNYAH_VCPU_WOKEN
 * @wait: woken by the wake-up interrupt and when the resource goes
 */
struct gunyah_vcpu {
	struct gunyah_vm *vm;
	u32 id;
	const struct gunyah_vcpu_ops *ops;
	struct kref kref;

	struct page *run_page;
	struct gunyah_vcpu_run *run;

	struct mutex run_lock;	/* one VCPU_RUN at a time */
	struct gunyah_vcpu_state state;

	struct gunyah_vm_resource_ticket ticket;
	spinlock_t lock;	/* capid, irq, has_cap */
	u64 capid;
	unsigned int irq;
	bool has_cap;
	unsigned long flags;
	wait_queue_head_t wait;
};

int gunyah_vcpu_resume_data(const struct gunyah_vcpu_state *st,
			    const struct gunyah_vcpu_run *run,
			    u64 resume_data[GUNYAH_VCPU_RUN_RESUME_WORDS]);
enum gunyah_vcpu_action
gunyah_vcpu_next(struct gunyah_vcpu_state *st, enum gunyah_error err,
		 const struct gunyah_hypercall_vcpu_run_resp *resp);
unsigned long gunyah_vcpu_backoff_timeout(unsigned int retries);

struct gunyah_vcpu *gunyah_vcpu_create(struct gunyah_vm *vm, u32 id,
				       const struct gunyah_vcpu_ops *ops);
void gunyah_vcpu_put(struct gunyah_vcpu *vcpu);
long gunyah_vcpu_run(struct gunyah_vcpu *vcpu);

#endif /* _GUNYAH_VCPU_H */
