/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Gunyah irqfd function: internal interface of gunyah_irqfd.ko, for its
 * KUnit test. See gunyah_irqfd.c.
 */
#ifndef _GUNYAH_IRQFD_H
#define _GUNYAH_IRQFD_H

#include <linux/gunyah.h>
#include <linux/gunyah_vm_mgr.h>
#include <linux/kref.h>
#include <linux/poll.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

struct eventfd_ctx;
struct file;

/**
 * struct gunyah_irqfd_ops - The doorbell hypercalls, replaceable by KUnit
 * @bell_send: gunyah_hypercall_bell_send()
 * @bell_mask: gunyah_hypercall_bell_mask()
 */
struct gunyah_irqfd_ops {
	enum gunyah_error (*bell_send)(u64 capid, u64 new_flags, u64 *old_flags);
	enum gunyah_error (*bell_mask)(u64 capid, u64 enable_mask, u64 ack_mask);
};

/* Bits of &gunyah_irqfd.flags */
#define GUNYAH_IRQFD_HANGUP	0	/* the eventfd was closed */

/**
 * struct gunyah_irqfd - An eventfd that rings a doorbell of a VM
 * @kref: held by the function instance and by a queued @cleanup
 * @vm: the VM; no reference: the instance is unbound before the VM goes
 * @ops: the hypercalls
 * @ticket: claims the BELL_TX resource with the doorbell's label
 * @level: GUNYAH_IRQFD_FLAGS_LEVEL: the doorbell acknowledges itself
 * @lock: protects @has_cap, @capid and @premature against the wake-up
 * @has_cap: @capid is the doorbell's send capability (the VM started)
 * @capid: valid with @has_cap
 * @premature: signalled before the VM started; rung when it starts
 * @ctx: the eventfd, a reference; NULL for KUnit's stand-in
 * @wqh: the eventfd's wait queue, on which @wait is queued
 * @wait: the wake-up callback, run by the eventfd under @wqh's lock
 * @pt: to queue @wait
 * @flags: %GUNYAH_IRQFD_HANGUP
 * @cleanup: removes the instance after a hang-up
 */
struct gunyah_irqfd {
	struct kref kref;
	struct gunyah_vm *vm;
	const struct gunyah_irqfd_ops *ops;
	struct gunyah_vm_resource_ticket ticket;
	bool level;

	spinlock_t lock;	/* has_cap, capid, premature */
	bool has_cap;
	u64 capid;
	bool premature;

	struct eventfd_ctx *ctx;
	wait_queue_head_t *wqh;
	wait_queue_entry_t wait;
	poll_table pt;

	unsigned long flags;
	struct work_struct cleanup;
};

struct gunyah_irqfd *gunyah_irqfd_create(struct gunyah_vm *vm,
					 const struct gunyah_irqfd_ops *ops,
					 u32 label, bool level, struct file *file,
					 struct eventfd_ctx *ctx);
void gunyah_irqfd_destroy(struct gunyah_irqfd *irqfd);
void gunyah_irqfd_flush_cleanup(void);

#endif
