// SPDX-License-Identifier: GPL-2.0-only
/*
 * Gunyah irqfd function (GUNYAH_FN_IRQFD): an eventfd whose signal rings a
 * doorbell of the VM, which the hypervisor turns into the guest interrupt
 * the VM configuration gives that doorbell (a bell-<label> vdevice).
 *
 * The doorbell's send capability comes from the Resource Manager at VM
 * start, as the BELL_TX resource with the doorbell's label; a resource
 * ticket claims it. A signal before that is remembered and rung at start.
 * With GUNYAH_IRQFD_FLAGS_LEVEL the doorbell is set to acknowledge itself
 * (enable and ack mask bit 0), so that each ring asserts a level interrupt
 * once rather than leaving it asserted.
 *
 * Lifetime, as KVM's irqfds: a wait-queue entry of our own on the eventfd
 * runs the wake-up callback, under the eventfd's wait-queue lock. Unbinding
 * (GUNYAH_VM_REMOVE_FUNCTION or the VM's release) takes the entry off the
 * queue first, so no callback runs afterwards. When the eventfd is closed
 * the callback sees EPOLLHUP and queues a cleanup work, which removes the
 * instance from the VM as GUNYAH_VM_REMOVE_FUNCTION would: the label is
 * then free again. A queued cleanup holds a reference to the VM, so the
 * VM's release cannot start under it, and to the irqfd; unbinding cancels
 * a cleanup that has not started. Unloading the module drains the
 * workqueue.
 *
 * Every ring, and every signal deferred until the VM starts, is traced
 * (gunyah_irqfd_inject, gunyah_irqfd_trace.h).
 */

#define pr_fmt(fmt) "gunyah_irqfd: " fmt

#include <kunit/visibility.h>
#include <linux/bitops.h>
#include <linux/build_bug.h>
#include <linux/err.h>
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>

#include <uapi/linux/gunyah.h>

#include "gunyah_irqfd.h"

#define CREATE_TRACE_POINTS
#include "gunyah_irqfd_trace.h"

/* The doorbell flag Linux rings since upstream v12 (abi.md, section 5) */
#define GUNYAH_IRQFD_BELL_FLAG	BIT_ULL(0)

static struct workqueue_struct *gunyah_irqfd_wq;

/* Ring the doorbell, or remember the signal until the VM starts. */
static void gunyah_irqfd_ring(struct gunyah_irqfd *irqfd)
{
	enum gunyah_error gerr = GUNYAH_ERROR_OK;
	unsigned long flags;
	bool premature;
	u64 old;

	spin_lock_irqsave(&irqfd->lock, flags);
	premature = !irqfd->has_cap;
	if (premature)
		irqfd->premature = true;
	else
		gerr = irqfd->ops->bell_send(irqfd->capid, GUNYAH_IRQFD_BELL_FLAG, &old);
	spin_unlock_irqrestore(&irqfd->lock, flags);

	trace_gunyah_irqfd_inject(irqfd->ticket.label, irqfd->level, premature, gerr);
	if (premature)
		pr_debug("doorbell %u: premature injection, rung when the VM starts\n",
			 irqfd->ticket.label);
	else if (gerr != GUNYAH_ERROR_OK)
		pr_err_ratelimited("doorbell %u: doorbell_send failed: %d\n",
				   irqfd->ticket.label, gerr);
}

static void gunyah_irqfd_free(struct kref *kref)
{
	struct gunyah_irqfd *irqfd = container_of(kref, struct gunyah_irqfd, kref);

	if (irqfd->ctx)
		eventfd_ctx_put(irqfd->ctx);
	kfree(irqfd);
}

/* The eventfd was closed: remove the instance, as REMOVE_FUNCTION would. */
static void gunyah_irqfd_cleanup(struct work_struct *work)
{
	struct gunyah_irqfd *irqfd = container_of(work, struct gunyah_irqfd, cleanup);
	struct gunyah_vm *vm = irqfd->vm;

	/* -ENOENT: REMOVE_FUNCTION got there first, and could not cancel us. */
	gunyah_vm_remove_function_instance(vm, irqfd);
	kref_put(&irqfd->kref, gunyah_irqfd_free);
	/* May be the last reference: the VM goes, from this work. */
	gunyah_vm_put(vm);
}

/* Under the eventfd's wait-queue lock, interrupts off */
static void gunyah_irqfd_hangup(struct gunyah_irqfd *irqfd)
{
	if (test_and_set_bit(GUNYAH_IRQFD_HANGUP, &irqfd->flags))
		return;
	/*
	 * The VM is valid: its release unbinds us first, which waits for this
	 * lock. If it is already being released, that unbind is our cleanup.
	 */
	if (!gunyah_vm_get_unless_zero(irqfd->vm))
		return;
	kref_get(&irqfd->kref);
	queue_work(gunyah_irqfd_wq, &irqfd->cleanup);
}

static int gunyah_irqfd_wakeup(wait_queue_entry_t *wait, unsigned int mode, int sync,
			       void *key)
{
	struct gunyah_irqfd *irqfd = container_of(wait, struct gunyah_irqfd, wait);
	__poll_t events = key_to_poll(key);
	u64 cnt;

	if (events & EPOLLIN) {
		/* A doorbell counts nothing: consume the count, as KVM does. */
		if (irqfd->ctx)
			eventfd_ctx_do_read(irqfd->ctx, &cnt);
		gunyah_irqfd_ring(irqfd);
	}
	if (events & EPOLLHUP)
		gunyah_irqfd_hangup(irqfd);
	return 0;
}

static void gunyah_irqfd_queue_proc(struct file *file, wait_queue_head_t *wqh,
				    poll_table *pt)
{
	struct gunyah_irqfd *irqfd = container_of(pt, struct gunyah_irqfd, pt);

	/* An eventfd has a single wait queue. */
	if (WARN_ON_ONCE(irqfd->wqh))
		return;
	irqfd->wqh = wqh;
	add_wait_queue(wqh, &irqfd->wait);
}

static bool gunyah_irqfd_populate(struct gunyah_vm_resource_ticket *ticket,
				  struct gunyah_resource *res)
{
	struct gunyah_irqfd *irqfd = container_of(ticket, struct gunyah_irqfd, ticket);
	enum gunyah_error gerr = GUNYAH_ERROR_OK;
	bool has_cap, rung = false;
	u64 old;

	spin_lock_irq(&irqfd->lock);
	has_cap = irqfd->has_cap;
	spin_unlock_irq(&irqfd->lock);
	if (has_cap) {
		pr_warn("doorbell %u: a second BELL_TX resource from the RM, ignored\n",
			ticket->label);
		return false;
	}

	/* Bit 0 asserts the interrupt and is cleared by the assertion. */
	if (irqfd->level) {
		gerr = irqfd->ops->bell_mask(res->capid, GUNYAH_IRQFD_BELL_FLAG,
					     GUNYAH_IRQFD_BELL_FLAG);
		if (gerr != GUNYAH_ERROR_OK) {
			pr_warn("doorbell %u: doorbell_mask failed: %d, not bound\n",
				ticket->label, gerr);
			return false;
		}
	}

	spin_lock_irq(&irqfd->lock);
	irqfd->capid = res->capid;
	irqfd->has_cap = true;
	if (irqfd->premature) {
		irqfd->premature = false;
		gerr = irqfd->ops->bell_send(irqfd->capid, GUNYAH_IRQFD_BELL_FLAG, &old);
		rung = true;
	}
	spin_unlock_irq(&irqfd->lock);
	if (rung)
		trace_gunyah_irqfd_inject(ticket->label, irqfd->level, false, gerr);
	if (gerr != GUNYAH_ERROR_OK)
		pr_err("doorbell %u: doorbell_send failed: %d\n", ticket->label, gerr);
	return true;
}

static void gunyah_irqfd_unpopulate(struct gunyah_vm_resource_ticket *ticket,
				    struct gunyah_resource *res)
{
	struct gunyah_irqfd *irqfd = container_of(ticket, struct gunyah_irqfd, ticket);

	spin_lock_irq(&irqfd->lock);
	irqfd->has_cap = false;
	spin_unlock_irq(&irqfd->lock);
}

/**
 * gunyah_irqfd_create() - Bind an eventfd to a doorbell of a VM
 * @vm: the VM
 * @ops: the hypercalls
 * @label: the doorbell's label in the VM configuration
 * @level: set the doorbell up for a level interrupt
 * @file: the eventfd's file, polled to queue the wake-up callback
 * @ctx: the eventfd; the irqfd takes this reference on success. NULL only
 *	for KUnit's stand-in of an eventfd.
 *
 * A signal pending already is rung (at VM start if the VM has not started).
 *
 * Context: Process context; sleeps. Under the VM's function lock.
 * Return: the irqfd, ERR_PTR(-EEXIST) if the VM has an irqfd for @label,
 * -EINVAL if @file cannot be polled, -ENOMEM, -ENODEV if the module goes.
 */
struct gunyah_irqfd *gunyah_irqfd_create(struct gunyah_vm *vm,
					 const struct gunyah_irqfd_ops *ops,
					 u32 label, bool level, struct file *file,
					 struct eventfd_ctx *ctx)
{
	struct gunyah_irqfd *irqfd;
	__poll_t events;
	u64 cnt;
	int ret;

	irqfd = kzalloc(sizeof(*irqfd), GFP_KERNEL_ACCOUNT);
	if (!irqfd)
		return ERR_PTR(-ENOMEM);
	kref_init(&irqfd->kref);
	irqfd->vm = vm;
	irqfd->ops = ops;
	irqfd->level = level;
	spin_lock_init(&irqfd->lock);
	INIT_WORK(&irqfd->cleanup, gunyah_irqfd_cleanup);
	irqfd->ticket.resource_type = GUNYAH_RESOURCE_TYPE_BELL_TX;
	irqfd->ticket.label = label;
	irqfd->ticket.owner = THIS_MODULE;
	irqfd->ticket.populate = gunyah_irqfd_populate;
	irqfd->ticket.unpopulate = gunyah_irqfd_unpopulate;

	/* Populated at once if the VM runs already */
	ret = gunyah_vm_add_resource_ticket(vm, &irqfd->ticket);
	if (ret) {
		kfree(irqfd);
		return ERR_PTR(ret);
	}

	init_waitqueue_func_entry(&irqfd->wait, gunyah_irqfd_wakeup);
	init_poll_funcptr(&irqfd->pt, gunyah_irqfd_queue_proc);
	events = vfs_poll(file, &irqfd->pt);
	if (!irqfd->wqh) {
		gunyah_vm_remove_resource_ticket(vm, &irqfd->ticket);
		kfree(irqfd);
		return ERR_PTR(-EINVAL);
	}
	irqfd->ctx = ctx;

	/* Signalled before we listened */
	if (events & EPOLLIN) {
		if (ctx) {
			spin_lock_irq(&irqfd->wqh->lock);
			eventfd_ctx_do_read(ctx, &cnt);
			spin_unlock_irq(&irqfd->wqh->lock);
		}
		gunyah_irqfd_ring(irqfd);
	}
	return irqfd;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_irqfd_create);

/**
 * gunyah_irqfd_destroy() - Unbind an irqfd
 * @irqfd: from gunyah_irqfd_create()
 *
 * No wake-up callback runs once this returns, and the label is free.
 *
 * Context: Process context; sleeps. Under the VM's function lock.
 */
void gunyah_irqfd_destroy(struct gunyah_irqfd *irqfd)
{
	/* Waits for a callback running under the queue's lock. */
	remove_wait_queue(irqfd->wqh, &irqfd->wait);
	gunyah_vm_remove_resource_ticket(irqfd->vm, &irqfd->ticket);

	/*
	 * A hang-up's cleanup not started yet will not run: drop what it
	 * held. Its VM reference is not the last one: our caller holds one
	 * (REMOVE_FUNCTION), or the VM would not be in its release.
	 */
	if (cancel_work(&irqfd->cleanup)) {
		kref_put(&irqfd->kref, gunyah_irqfd_free);
		gunyah_vm_put(irqfd->vm);
	}
	kref_put(&irqfd->kref, gunyah_irqfd_free);
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_irqfd_destroy);

/**
 * gunyah_irqfd_flush_cleanup() - Wait for the queued hang-up cleanups
 */
void gunyah_irqfd_flush_cleanup(void)
{
	flush_workqueue(gunyah_irqfd_wq);
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_irqfd_flush_cleanup);

static const struct gunyah_irqfd_ops gunyah_irqfd_hyp_ops = {
	.bell_send = gunyah_hypercall_bell_send,
	.bell_mask = gunyah_hypercall_bell_mask,
};

static long gunyah_irqfd_bind(struct gunyah_vm_function_instance *f)
{
	const struct gunyah_fn_irqfd_arg *arg = f->argp;
	struct gunyah_irqfd *irqfd;
	struct eventfd_ctx *ctx;
	struct fd fd;

	if (f->arg_size != sizeof(*arg) || arg->flags & ~GUNYAH_IRQFD_FLAGS_LEVEL)
		return -EINVAL;

	fd = fdget(arg->fd);
	if (!fd_file(fd))
		return -EBADF;
	ctx = eventfd_ctx_fileget(fd_file(fd));
	if (IS_ERR(ctx)) {
		fdput(fd);
		return PTR_ERR(ctx);
	}
	irqfd = gunyah_irqfd_create(f->ghvm, &gunyah_irqfd_hyp_ops, arg->label,
				    arg->flags & GUNYAH_IRQFD_FLAGS_LEVEL, fd_file(fd), ctx);
	fdput(fd);
	if (IS_ERR(irqfd)) {
		eventfd_ctx_put(ctx);
		return PTR_ERR(irqfd);
	}
	f->data = irqfd;
	return 0;
}

static void gunyah_irqfd_unbind(struct gunyah_vm_function_instance *f)
{
	gunyah_irqfd_destroy(f->data);
}

/* REMOVE_FUNCTION names an irqfd by its label only. */
static bool gunyah_irqfd_compare(const struct gunyah_vm_function_instance *f,
				 const void *arg, size_t size)
{
	const struct gunyah_fn_irqfd_arg *other = arg;
	const struct gunyah_irqfd *irqfd = f->data;

	return size == sizeof(*other) && other->label == irqfd->ticket.label;
}

static struct gunyah_vm_function gunyah_irqfd_function = {
	.type = GUNYAH_FN_IRQFD,
	.name = "irqfd",
	.mod = THIS_MODULE,
	.bind = gunyah_irqfd_bind,
	.unbind = gunyah_irqfd_unbind,
	.compare = gunyah_irqfd_compare,
};

static int __init gunyah_irqfd_init(void)
{
	int ret;

	gunyah_irqfd_wq = alloc_workqueue("gunyah_irqfd_cleanup", 0, 0);
	if (!gunyah_irqfd_wq)
		return -ENOMEM;
	ret = gunyah_vm_function_register(&gunyah_irqfd_function);
	if (ret)
		destroy_workqueue(gunyah_irqfd_wq);
	return ret;
}
module_init(gunyah_irqfd_init);

static void __exit gunyah_irqfd_exit(void)
{
	gunyah_vm_function_unregister(&gunyah_irqfd_function);
	/* Drains the cleanups still running our code */
	destroy_workqueue(gunyah_irqfd_wq);
}
module_exit(gunyah_irqfd_exit);

/* The alias needs the number itself */
static_assert(GUNYAH_FN_IRQFD == 2);
MODULE_ALIAS_GUNYAH_VM_FUNCTION(2);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Gunyah irqfd function: eventfds that ring a VM's doorbells");
