// SPDX-License-Identifier: GPL-2.0-only
/*
 * Gunyah VM manager: GUNYAH_CREATE_VM on /dev/gunyah and the VM file.
 *
 * GUNYAH_CREATE_VM allocates a VMID from the Resource Manager
 * (VM_ALLOCATE) and returns an anon-inode file, "gunyah-vm", holding the
 * only initial reference to a &struct gunyah_vm. Its ioctls configure the
 * VM: memory regions (vm_mgr_mem.c), the devicetree and firmware location,
 * the boot context. The configuration is only stored; the RM sees it when
 * the VM starts (GUNYAH_VM_START, gunyah_vm_start()), and it cannot change
 * afterwards.
 *
 * When the last reference goes, a started VM is stopped and reset, and its
 * memory parcels are reclaimed; then the regions are unpinned and the VMID
 * is freed (VM_DEALLOCATE). Memory the RM does not give back is leaked,
 * never freed.
 *
 * The RM's reset may take long: seconds under QEMU even for a small VM.
 * Its VM_STATUS notification is waited for interruptibly by an ioctl that
 * rolls a failed start back (and the release finishes what a signal cut
 * short), and uninterruptibly by the release: whoever drops the last
 * reference, a killed VMM included, must not leak a VM that the RM would
 * still reset. Both waits end after vm_reset_timeout_ms; then the RM's
 * answers to MEM_RECLAIM decide what is leaked.
 *
 * The VM's file holds a reference to the RM and to this module.
 */

#include <linux/anon_inodes.h>
#include <linux/bitops.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/interrupt.h>
#include <linux/irqdomain.h>
#include <linux/jiffies.h>
#include <linux/kref.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include <kunit/visibility.h>

#include "rsc_mgr.h"
#include "vm_mgr.h"

static unsigned int vm_reset_timeout_ms = 300000;
module_param(vm_reset_timeout_ms, uint, 0644);
MODULE_PARM_DESC(vm_reset_timeout_ms,
		 "How long a VM's teardown waits for the RM to report its reset, in ms (default 300000)");

/**
 * gunyah_vm_get_status() - What the VM manager knows of a VM's state
 * @vm: the VM
 *
 * Context: Any context.
 * Return: &gunyah_vm.status.
 */
enum gunyah_rm_vm_status gunyah_vm_get_status(struct gunyah_vm *vm)
{
	enum gunyah_rm_vm_status status;

	spin_lock(&vm->status_lock);
	status = vm->status;
	spin_unlock(&vm->status_lock);

	return status;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vm_get_status);

static void gunyah_vm_set_status(struct gunyah_vm *vm,
				 enum gunyah_rm_vm_status status)
{
	spin_lock(&vm->status_lock);
	vm->status = status;
	spin_unlock(&vm->status_lock);
	wake_up_all(&vm->status_wait);
}

static void gunyah_vm_notif_status(struct gunyah_vm *vm,
				   const struct gunyah_rm_vm_status_payload *payload)
{
	/*
	 * Every other transition is the result of one of our calls and is
	 * recorded by its caller. A reset completes after VM_RESET returns.
	 */
	if (payload->vm_status != GUNYAH_RM_VM_STATUS_RESET)
		return;

	spin_lock(&vm->status_lock);
	/* Only a reset we asked for: the VM may be gone from the RM now */
	if (vm->reset == GUNYAH_VM_RESET_REQUESTED) {
		vm->reset = GUNYAH_VM_RESET_DONE;
		/* A VM that failed to start keeps saying so to its vCPUs */
		if (vm->status != GUNYAH_RM_VM_STATUS_INIT_FAILED)
			vm->status = GUNYAH_RM_VM_STATUS_RESET;
	}
	spin_unlock(&vm->status_lock);
	wake_up_all(&vm->status_wait);
}

static void gunyah_vm_notif_exited(struct gunyah_vm *vm,
				   const struct gunyah_rm_vm_exited_payload *payload)
{
	size_t size = min_t(size_t, le32_to_cpu(payload->exit_reason_size),
			    GUNYAH_VM_MAX_EXIT_REASON_SIZE);

	spin_lock(&vm->status_lock);
	/* READY: VM_START's reply may not have been seen yet */
	if (vm->status == GUNYAH_RM_VM_STATUS_READY ||
	    vm->status == GUNYAH_RM_VM_STATUS_RUNNING) {
		vm->status = GUNYAH_RM_VM_STATUS_EXITED;
		memset(&vm->exit_info, 0, sizeof(vm->exit_info));
		vm->exit_info.type = le16_to_cpu(payload->exit_type);
		vm->exit_info.reason_size = size;
		memcpy(vm->exit_info.reason, payload->exit_reason, size);
	}
	spin_unlock(&vm->status_lock);
	wake_up_all(&vm->status_wait);
}

static int gunyah_vm_rm_notification(struct notifier_block *nb,
				     unsigned long action, void *data)
{
	struct gunyah_vm *vm = container_of(nb, struct gunyah_vm, nb);
	const struct gunyah_rm_vm_exited_payload *exited;
	const struct gunyah_rm_vm_status_payload *status;

	switch (action) {
	case GUNYAH_RM_NOTIFICATION_VM_STATUS:
		status = gunyah_rm_notif_vm_status(data);
		if (IS_ERR(status) || le16_to_cpu(status->vmid) != vm->vmid)
			return NOTIFY_DONE;
		gunyah_vm_notif_status(vm, status);
		return NOTIFY_OK;
	case GUNYAH_RM_NOTIFICATION_VM_EXITED:
		exited = gunyah_rm_notif_vm_exited(data);
		if (IS_ERR(exited) || le16_to_cpu(exited->vmid) != vm->vmid)
			return NOTIFY_DONE;
		gunyah_vm_notif_exited(vm, exited);
		return NOTIFY_OK;
	default:
		return NOTIFY_DONE;
	}
}

/**
 * gunyah_vm_alloc() - Create a VM
 * @rm: the Resource Manager; the VM takes a reference
 *
 * Allocates a dynamic VMID. The caller's address space becomes the VM's
 * owner.
 *
 * Context: Process context; sleeps.
 * Return: the VM with one reference, or an ERR_PTR(): -ENOMEM, or the
 * error of VM_ALLOCATE.
 */
struct gunyah_vm *gunyah_vm_alloc(struct gunyah_rm *rm)
{
	struct gunyah_vm *vm;
	int vmid, ret;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL_ACCOUNT);
	if (!vm)
		return ERR_PTR(-ENOMEM);

	vmid = gunyah_rm_alloc_vmid(rm, 0);
	if (vmid < 0) {
		kfree(vm);
		return ERR_PTR(vmid);
	}

	vm->rm = gunyah_rm_ref(rm);
	vm->vmid = vmid;
	kref_init(&vm->kref);
	gunyah_fns_init(&vm->fns, vm);
	mutex_init(&vm->lock);
	gunyah_vm_mem_init(vm);
	vm->auth = GUNYAH_RM_VM_AUTH_NONE;
	spin_lock_init(&vm->status_lock);
	vm->status = GUNYAH_RM_VM_STATUS_LOAD;
	init_waitqueue_head(&vm->status_wait);

	vm->nb.notifier_call = gunyah_vm_rm_notification;
	ret = gunyah_rm_notifier_register(rm, &vm->nb);
	if (ret) {
		/* Nothing was given to the VM: it can go at once. */
		if (gunyah_rm_dealloc_vmid(rm, vmid))
			dev_warn(gunyah_rm_dev(rm), "failed to free VMID %u\n",
				 vmid);
		mutex_destroy(&vm->lock);
		gunyah_rm_put(vm->rm);
		kfree(vm);
		return ERR_PTR(ret);
	}

	mmgrab(current->mm);
	vm->mm = current->mm;

	return vm;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vm_alloc);

static enum gunyah_vm_reset gunyah_vm_get_reset(struct gunyah_vm *vm)
{
	enum gunyah_vm_reset reset;

	spin_lock(&vm->status_lock);
	reset = vm->reset;
	spin_unlock(&vm->status_lock);

	return reset;
}

static void gunyah_vm_set_reset(struct gunyah_vm *vm, enum gunyah_vm_reset from,
				enum gunyah_vm_reset to)
{
	spin_lock(&vm->status_lock);
	if (vm->reset == from)
		vm->reset = to;
	spin_unlock(&vm->status_lock);
}

/*
 * VM_RESET, if the RM has a VM to take apart and did not accept one yet.
 * Returns 0 once the RM accepted one, now or before, or if none is needed.
 */
static int gunyah_vm_request_reset(struct gunyah_vm *vm)
{
	int ret;

	spin_lock(&vm->status_lock);
	if (vm->reset != GUNYAH_VM_RESET_NEEDED) {
		spin_unlock(&vm->status_lock);
		return 0;
	}
	/* Before the request: the notification may beat the reply. */
	vm->reset = GUNYAH_VM_RESET_REQUESTED;
	spin_unlock(&vm->status_lock);

	ret = gunyah_rm_vm_reset(vm->rm, vm->vmid);
	if (ret) {
		gunyah_vm_set_reset(vm, GUNYAH_VM_RESET_REQUESTED, GUNYAH_VM_RESET_NEEDED);
		dev_err(gunyah_rm_dev(vm->rm), "VM %u: VM_RESET failed: %d\n",
			vm->vmid, ret);
	}

	return ret;
}

static bool gunyah_vm_reset_settled(struct gunyah_vm *vm)
{
	return gunyah_vm_get_reset(vm) != GUNYAH_VM_RESET_REQUESTED;
}

/*
 * Wait for the RM to report a requested reset: interruptibly for an ioctl
 * (@interruptible), else in TASK_IDLE, which no signal ends and the hung
 * task detector leaves alone, for the release. Until the report comes the
 * VM may still map its parcels. At most vm_reset_timeout_ms, read now.
 *
 * Returns 0 once the reset is done or if none is pending; -EAGAIN if no
 * VM_RESET was accepted; -ETIMEDOUT; -ERESTARTSYS.
 */
static int gunyah_vm_wait_reset(struct gunyah_vm *vm, bool interruptible)
{
	struct device *dev = gunyah_rm_dev(vm->rm);
	unsigned long start = jiffies;
	long timeout, ret;

	switch (gunyah_vm_get_reset(vm)) {
	case GUNYAH_VM_RESET_NONE:
	case GUNYAH_VM_RESET_DONE:
		return 0;
	case GUNYAH_VM_RESET_NEEDED:
		return -EAGAIN;
	case GUNYAH_VM_RESET_REQUESTED:
		break;
	}

	timeout = vm->reset_timeout ?:
		  msecs_to_jiffies(READ_ONCE(vm_reset_timeout_ms));
	if (interruptible)
		ret = wait_event_interruptible_timeout(vm->status_wait,
						       gunyah_vm_reset_settled(vm),
						       timeout);
	else
		ret = wait_event_idle_timeout(vm->status_wait,
					      gunyah_vm_reset_settled(vm), timeout);
	if (ret < 0)
		return ret;
	if (!ret) {
		dev_err(dev, "VM %u: the RM did not report the reset within %u ms\n",
			vm->vmid, jiffies_to_msecs(timeout));
		return -ETIMEDOUT;
	}

	dev_dbg(dev, "VM %u: reset in %u ms\n", vm->vmid,
		jiffies_to_msecs(jiffies - start));
	return 0;
}

/* From the last reference: a VM that runs stops, and raises nothing more. */
static void gunyah_vm_stop(struct gunyah_vm *vm)
{
	int ret;

	if (gunyah_vm_get_status(vm) != GUNYAH_RM_VM_STATUS_RUNNING)
		return;
	ret = gunyah_rm_vm_stop(vm->rm, vm->vmid, GUNYAH_RM_VM_STOP_FLAG_FORCE_STOP,
				GUNYAH_RM_VM_STOP_REASON_FORCE_STOP);
	/* It may have exited meanwhile: the reset tells. */
	if (ret)
		dev_warn(gunyah_rm_dev(vm->rm), "VM %u: VM_STOP failed: %d\n",
			 vm->vmid, ret);
}

/*
 * Take back what the RM gave a stopped VM, from the last reference: reset
 * it unless that was done, then reclaim every parcel it still holds. The
 * RM's MEM_RECLAIM decides: it refuses a parcel the VM may still map
 * (MEM_INUSE), and that parcel is leaked; so even after a reset that
 * failed or did not complete in time, what the RM gives back is not
 * leaked.
 */
static void gunyah_vm_reset_reclaim(struct gunyah_vm *vm)
{
	/* Again if the rollback of a failed start could not. */
	if (!gunyah_vm_request_reset(vm))
		gunyah_vm_wait_reset(vm, false);

	gunyah_vm_mem_reclaim_all(vm);
}

/* ---------------------------------------------------------------------- */
/* Resources and functions                                                 */

static struct gunyah_resource *
gunyah_vm_resource_alloc(struct gunyah_vm *vm, const struct gunyah_rm_hyp_resource *e)
{
	struct gunyah_resource *res;
	int irq;

	res = kzalloc(sizeof(*res), GFP_KERNEL_ACCOUNT);
	if (!res)
		return ERR_PTR(-ENOMEM);
	res->type = e->type;
	res->capid = le64_to_cpu(e->cap_id);
	res->rm_label = le32_to_cpu(e->resource_label);
	INIT_LIST_HEAD(&res->list);
	if (gunyah_rm_resource_has_virq(e)) {
		irq = gunyah_rm_virq_to_irq(vm->rm, le32_to_cpu(e->virq));
		if (irq < 0) {
			kfree(res);
			return ERR_PTR(irq);
		}
		res->irq = irq;
	}
	return res;
}

static void gunyah_vm_resource_free(struct gunyah_resource *res)
{
	if (res->irq)
		irq_dispose_mapping(res->irq);
	kfree(res);
}

/* Hand the resources of VM_GET_HYP_RESOURCES to the tickets that want them. */
static void gunyah_vm_populate_resources(struct gunyah_vm *vm)
{
	u32 i, n = le32_to_cpu(vm->resources->n_entries);

	for (i = 0; i < n; i++) {
		struct gunyah_resource *res =
			gunyah_vm_resource_alloc(vm, &vm->resources->entries[i]);

		if (IS_ERR(res)) {
			dev_warn(gunyah_rm_dev(vm->rm),
				 "VM %u: resource %u (type %u, label %u) unusable: %ld\n",
				 vm->vmid, i, vm->resources->entries[i].type,
				 le32_to_cpu(vm->resources->entries[i].resource_label),
				 PTR_ERR(res));
			continue;
		}
		gunyah_fns_add_resource(&vm->fns, res);
	}
}

/*
 * An interrupt the VM raised on its way out (its VM_STOP wakes every vCPU's
 * owner) may still be on its way to another CPU: its mapping must outlive
 * it, or the GIC driver takes an interrupt that maps to nothing. Wait until
 * the GIC no longer holds it pending, a few milliseconds at most, then for
 * its handling to end.
 */
static void gunyah_vm_resource_quiesce(struct gunyah_resource *res)
{
	unsigned long timeout = jiffies + msecs_to_jiffies(10);
	bool pending;

	if (!res->irq)
		return;
	while (!irq_get_irqchip_state(res->irq, IRQCHIP_STATE_PENDING, &pending) &&
	       pending && time_before(jiffies, timeout))
		cpu_relax();
	synchronize_irq(res->irq);
}

static void gunyah_vm_free_resources(struct gunyah_vm *vm)
{
	struct gunyah_resource *res, *next;
	LIST_HEAD(all);

	gunyah_fns_take_resources(&vm->fns, &all);
	list_for_each_entry_safe(res, next, &all, list) {
		list_del(&res->list);
		gunyah_vm_resource_quiesce(res);
		gunyah_vm_resource_free(res);
	}
}

/**
 * gunyah_vm_get() - Take a reference to a VM
 * @vm: the VM
 *
 * Context: Any context.
 * Return: @vm.
 */
struct gunyah_vm *gunyah_vm_get(struct gunyah_vm *vm)
{
	kref_get(&vm->kref);
	return vm;
}
EXPORT_SYMBOL_GPL(gunyah_vm_get);

/**
 * gunyah_vm_get_unless_zero() - Take a reference to a VM unless it is going
 * @vm: the VM; its memory must be valid, e.g. because one of its function
 *	instances is not unbound yet
 *
 * Context: Any context.
 * Return: true with a reference, false if the VM is being released.
 */
bool gunyah_vm_get_unless_zero(struct gunyah_vm *vm)
{
	return kref_get_unless_zero(&vm->kref);
}
EXPORT_SYMBOL_GPL(gunyah_vm_get_unless_zero);

/**
 * gunyah_vm_remove_function_instance() - Remove a function instance
 *	on its own initiative
 * @vm: the VM
 * @data: the instance's &gunyah_vm_function_instance.data, not NULL. The
 *	caller keeps it allocated during the call, so that it names no other
 *	instance.
 *
 * For instances that go away without a GUNYAH_VM_REMOVE_FUNCTION, such as
 * an irqfd whose eventfd was closed. The instance is unbound and freed as
 * by GUNYAH_VM_REMOVE_FUNCTION, unless that or the VM's release got to it
 * first.
 *
 * Context: Process context; sleeps. Not from a function's ->bind() or
 * ->unbind().
 * Return: 0, or -ENOENT if the instance is already gone.
 */
int gunyah_vm_remove_function_instance(struct gunyah_vm *vm, const void *data)
{
	return gunyah_fns_remove_function_data(&vm->fns, data);
}
EXPORT_SYMBOL_GPL(gunyah_vm_remove_function_instance);

/**
 * gunyah_vm_add_resource_ticket() - Claim resources of a VM
 * @vm: the VM
 * @ticket: what to claim; ->populate() runs for the matching resources the
 *	VM has now and for those it gets when it starts
 *
 * Context: Process context; sleeps.
 * Return: 0, -EEXIST if another ticket claims the same type and label,
 * -ENODEV if @ticket->owner is going away.
 */
int gunyah_vm_add_resource_ticket(struct gunyah_vm *vm,
				  struct gunyah_vm_resource_ticket *ticket)
{
	return gunyah_fns_add_ticket(&vm->fns, ticket);
}
EXPORT_SYMBOL_GPL(gunyah_vm_add_resource_ticket);

/**
 * gunyah_vm_remove_resource_ticket() - Give the claimed resources back
 * @vm: the VM
 * @ticket: as added; ->unpopulate() runs for each resource it holds
 *
 * Context: Process context; sleeps.
 */
void gunyah_vm_remove_resource_ticket(struct gunyah_vm *vm,
				      struct gunyah_vm_resource_ticket *ticket)
{
	gunyah_fns_remove_ticket(&vm->fns, ticket);
}
EXPORT_SYMBOL_GPL(gunyah_vm_remove_resource_ticket);

/**
 * gunyah_vm_add_io_handler() - Handle guest MMIO in the kernel
 * @vm: the VM
 * @io: address, length (0: any), data match and ops
 *
 * Context: Process context; sleeps.
 * Return: 0, -EINVAL for a bad length, -EEXIST if it overlaps a handler.
 */
int gunyah_vm_add_io_handler(struct gunyah_vm *vm, struct gunyah_vm_io_handler *io)
{
	return gunyah_fns_add_io_handler(&vm->fns, io);
}
EXPORT_SYMBOL_GPL(gunyah_vm_add_io_handler);

/**
 * gunyah_vm_remove_io_handler() - Stop handling guest MMIO in the kernel
 * @vm: the VM
 * @io: as added
 *
 * Context: Process context; sleeps.
 */
void gunyah_vm_remove_io_handler(struct gunyah_vm *vm, struct gunyah_vm_io_handler *io)
{
	gunyah_fns_remove_io_handler(&vm->fns, io);
}
EXPORT_SYMBOL_GPL(gunyah_vm_remove_io_handler);

/**
 * gunyah_vm_mmio_write() - Give a guest write to the in-kernel handlers
 * @vm: the VM
 * @addr: guest physical address
 * @len: 1, 2, 4 or 8 bytes
 * @data: the value written
 *
 * Context: Process context; sleeps.
 * Return: the handler's result, or -ENODEV if no handler takes the write.
 */
int gunyah_vm_mmio_write(struct gunyah_vm *vm, u64 addr, u32 len, u64 data)
{
	return gunyah_fns_mmio_write(&vm->fns, addr, len, data);
}
EXPORT_SYMBOL_GPL(gunyah_vm_mmio_write);

static long gunyah_vm_ioctl_function(struct gunyah_vm *vm, void __user *argp, bool add)
{
	struct gunyah_fn_desc f;
	void *arg;
	long ret;

	if (copy_from_user(&f, argp, sizeof(f)))
		return -EFAULT;
	if (f.arg_size > GUNYAH_FN_MAX_ARG_SIZE)
		return -EINVAL;
	arg = memdup_user(u64_to_user_ptr(f.arg), f.arg_size);
	if (IS_ERR(arg))
		return PTR_ERR(arg);

	if (add) {
		ret = gunyah_fns_add_function(&vm->fns, f.type, arg, f.arg_size);
		/* On success the instance keeps @arg. */
		if (ret < 0)
			kfree(arg);
	} else {
		ret = gunyah_fns_remove_function(&vm->fns, f.type, arg, f.arg_size);
		kfree(arg);
	}
	return ret;
}

static void gunyah_vm_release(struct kref *kref)
{
	struct gunyah_vm *vm = container_of(kref, struct gunyah_vm, kref);
	struct device *dev = gunyah_rm_dev(vm->rm);
	enum gunyah_rm_vm_status status;
	unsigned long leaked_pages;
	unsigned int leaked;
	int ret;

	/* Functions first: they hold resources and io handlers of the VM. */
	gunyah_fns_remove_all_functions(&vm->fns);
	/* Then the VM stops: from now on it raises none of its interrupts. */
	gunyah_vm_stop(vm);
	/*
	 * Then the resources' IRQ mappings, before the reset: once reset, the
	 * RM may hand the same interrupts to another VM, whose mappings would
	 * be these very ones (they are keyed by interrupt number).
	 */
	gunyah_vm_free_resources(vm);

	/*
	 * Not started: nothing was given to the RM. Start failed: the start
	 * took back what it could, this takes the rest.
	 */
	status = gunyah_vm_get_status(vm);
	if (status != GUNYAH_RM_VM_STATUS_LOAD)
		gunyah_vm_reset_reclaim(vm);

	gunyah_rm_notifier_unregister(vm->rm, &vm->nb);
	kfree(vm->resources);

	leaked = gunyah_vm_mem_release(vm, &leaked_pages);
	if (leaked) {
		/* Freeing it would orphan them: the RM may not check. */
		dev_warn(dev, "VM %u: %u memory parcels (%lu pages) not reclaimed from the RM: leaking them and the VMID\n",
			 vm->vmid, leaked, leaked_pages);
	} else {
		ret = gunyah_rm_dealloc_vmid(vm->rm, vm->vmid);
		if (ret)
			dev_warn(dev, "failed to free VMID %u: %d\n", vm->vmid,
				 ret);
	}

	mutex_destroy(&vm->lock);
	mmdrop(vm->mm);
	gunyah_rm_put(vm->rm);
	kfree(vm);
}

/**
 * gunyah_vm_put() - Drop a reference to a VM
 * @vm: the VM
 *
 * The last reference tears the VM down. A started VM is stopped (VM_STOP
 * with FORCE, unless it exited) and reset (VM_RESET, then the RESET
 * notification, waited for uninterruptibly, at most vm_reset_timeout_ms),
 * and its parcels are reclaimed (MEM_RECLAIM), even if the reset failed or
 * timed out. Then the regions are unpinned and the VMID is freed
 * (VM_DEALLOCATE). A parcel the RM refuses to reclaim is leaked, and so is
 * the VMID.
 *
 * Context: Process context; may sleep, for as long as the RM takes to
 * reset the VM, whatever signals are pending.
 */
void gunyah_vm_put(struct gunyah_vm *vm)
{
	kref_put(&vm->kref, gunyah_vm_release);
}
EXPORT_SYMBOL_GPL(gunyah_vm_put);

/**
 * gunyah_vm_boot_context_index() - Where a boot context register is stored
 * @reg: &gunyah_vm_boot_context.reg
 *
 * Return: the index in &gunyah_vm.boot_context (X0..X31, then PC, then the
 * stack pointers), or -EINVAL if bits 31:16 are set, the register set is
 * unknown or the index is out of range for the set (X 0..31, PC 0,
 * SP 0..2).
 */
int gunyah_vm_boot_context_index(u32 reg)
{
	unsigned int set = reg >> GUNYAH_VM_BOOT_CONTEXT_REG_SHIFT;
	unsigned int index = reg & 0xff;

	switch (set) {
	case GUNYAH_VM_BOOT_CONTEXT_REG_SET_X:
		if (index >= GUNYAH_VM_BOOT_CONTEXT_NR_X)
			return -EINVAL;
		return index;
	case GUNYAH_VM_BOOT_CONTEXT_REG_SET_PC:
		if (index)
			return -EINVAL;
		return GUNYAH_VM_BOOT_CONTEXT_NR_X;
	case GUNYAH_VM_BOOT_CONTEXT_REG_SET_SP:
		if (index >= GUNYAH_VM_BOOT_CONTEXT_NR_SP)
			return -EINVAL;
		return GUNYAH_VM_BOOT_CONTEXT_NR_X + 1 + index;
	default:
		/* Includes every value with bits 31:16 set */
		return -EINVAL;
	}
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vm_boot_context_index);

/**
 * gunyah_vm_check_config_range() - Validate the range of the devicetree or
 *	firmware configuration
 * @guest_phys_addr: start, in the VM's address space
 * @size: size in bytes
 *
 * Return: 0; -EINVAL if @size is 0; -EOVERFLOW if the range does not fit
 * in 64 bits.
 */
int gunyah_vm_check_config_range(u64 guest_phys_addr, u64 size)
{
	u64 end;

	if (!size)
		return -EINVAL;

	if (check_add_overflow(guest_phys_addr, size, &end))
		return -EOVERFLOW;

	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vm_check_config_range);

/* The register of the RM's VM_SET_BOOT_CONTEXT for a boot_context index */
static void gunyah_vm_boot_context_reg(unsigned int index, u8 *reg_set,
				       u8 *reg_index)
{
	if (index < GUNYAH_VM_BOOT_CONTEXT_NR_X) {
		*reg_set = GUNYAH_RM_BOOT_CONTEXT_REG_SET_X;
		*reg_index = index;
	} else if (index == GUNYAH_VM_BOOT_CONTEXT_NR_X) {
		*reg_set = GUNYAH_RM_BOOT_CONTEXT_REG_SET_PC;
		*reg_index = 0;
	} else {
		*reg_set = GUNYAH_RM_BOOT_CONTEXT_REG_SET_SP;
		*reg_index = index - GUNYAH_VM_BOOT_CONTEXT_NR_X - 1;
	}
}

/*
 * Send the boot context, one register at a time. An RM without
 * VM_SET_BOOT_CONTEXT (the open-source one) answers -EOPNOTSUPP: the VM
 * then starts with the RM's defaults.
 */
static int gunyah_vm_send_boot_context(struct gunyah_vm *vm)
{
	unsigned int i;
	u8 set, index;
	int ret;

	for_each_set_bit(i, vm->boot_context_set, GUNYAH_VM_BOOT_CONTEXT_NR_REGS) {
		gunyah_vm_boot_context_reg(i, &set, &index);
		ret = gunyah_rm_vm_set_boot_context(vm->rm, vm->vmid, set, index,
						    vm->boot_context[i]);
		if (ret == -EOPNOTSUPP) {
			dev_warn(gunyah_rm_dev(vm->rm),
				 "VM %u: the RM has no VM_SET_BOOT_CONTEXT, the boot context is ignored\n",
				 vm->vmid);
			return 0;
		}
		if (ret)
			return ret;
	}

	return 0;
}

/* The region holding all of [@gpa, @gpa + @size), or NULL */
static struct gunyah_vm_mem_region *
gunyah_vm_find_region(struct gunyah_vm *vm, u64 gpa, u64 size)
{
	struct gunyah_vm_mem_region *region;

	region = mtree_load(&vm->mem_regions, gpa);
	if (!region ||
	    gpa + size > region->guest_phys_addr + region->size)
		return NULL;

	return region;
}

/**
 * gunyah_vm_start() - Give a VM its memory and have the RM start it
 * @vm: the VM, with @vm->lock held
 *
 * The devicetree (and the firmware, if configured) must lie inside one
 * region each. Then the RM is sent, in this order: VM_GET_VMID (answered
 * from a cache after the first time); MEM_SHARE or MEM_LEND for each
 * region, in guest address order, with MEM_APPEND as needed;
 * VM_CONFIG_IMAGE with the devicetree's parcel, offset and size rounded up
 * to a page (but not beyond the region); VM_SET_FIRMWARE_MEM if firmware
 * was configured; VM_INIT; VM_SET_BOOT_CONTEXT for each register set;
 * VM_GET_HYP_RESOURCES; VM_START.
 *
 * If a step fails, the VM is rolled back: reset if VM_INIT was sent
 * (VM_RESET, then the RESET notification, waited for interruptibly), then
 * every parcel is reclaimed. If the reset fails or the wait ends early, the
 * parcels stay given and the VM's release finishes the job. The VM is left
 * in %GUNYAH_RM_VM_STATUS_INIT_FAILED and cannot be started again.
 *
 * Context: Process context; sleeps.
 * Return: 0 on success, the VM is RUNNING; -EBUSY if the VM was started
 * before, successfully or not; -EINVAL if no devicetree was configured, or
 * the devicetree or the firmware does not lie inside one region: then
 * nothing was sent to the RM and the VM can still be configured and
 * started. Otherwise the error of the first RM call that failed, with the
 * VM INIT_FAILED.
 */
int gunyah_vm_start(struct gunyah_vm *vm)
{
	struct gunyah_vm_mem_region *dtb_region, *fw_region = NULL;
	struct gunyah_rm_hyp_resources *resources;
	u64 dtb_offset, dtb_size;
	u16 host_vmid;
	int ret;

	lockdep_assert_held(&vm->lock);

	if (gunyah_vm_get_status(vm) != GUNYAH_RM_VM_STATUS_LOAD)
		return -EBUSY;

	if (!vm->dtb_config_set)
		return -EINVAL;
	dtb_region = gunyah_vm_find_region(vm, vm->dtb_config.guest_phys_addr,
					   vm->dtb_config.size);
	if (!dtb_region)
		return -EINVAL;
	dtb_offset = vm->dtb_config.guest_phys_addr - dtb_region->guest_phys_addr;
	dtb_size = min(round_up(vm->dtb_config.size, PAGE_SIZE),
		       dtb_region->size - dtb_offset);

	if (vm->fw_config_set) {
		fw_region = gunyah_vm_find_region(vm, vm->fw_config.guest_phys_addr,
						  vm->fw_config.size);
		if (!fw_region)
			return -EINVAL;
	}

	/* From here on, the RM sees the VM: failures are final. */
	ret = gunyah_rm_get_vmid(vm->rm, &host_vmid);
	if (ret)
		goto err_failed;

	ret = gunyah_vm_mem_provide(vm, host_vmid);
	if (ret)
		goto err_reclaim;

	ret = gunyah_rm_vm_configure(vm->rm, vm->vmid, vm->auth,
				     dtb_region->mem_handle, 0, 0, dtb_offset,
				     dtb_size);
	if (ret)
		goto err_reclaim;
	gunyah_vm_set_status(vm, GUNYAH_RM_VM_STATUS_INIT);

	if (fw_region) {
		ret = gunyah_rm_vm_set_firmware_mem(vm->rm, vm->vmid,
						    fw_region->mem_handle,
						    vm->fw_config.guest_phys_addr -
						    fw_region->guest_phys_addr,
						    vm->fw_config.size);
		if (ret)
			goto err_reclaim;
	}

	/* On failure the RM's VM is INIT_FAILED: it must be reset. */
	gunyah_vm_set_reset(vm, GUNYAH_VM_RESET_NONE, GUNYAH_VM_RESET_NEEDED);
	ret = gunyah_rm_vm_init(vm->rm, vm->vmid);
	if (ret)
		goto err_reset;
	gunyah_vm_set_status(vm, GUNYAH_RM_VM_STATUS_READY);

	ret = gunyah_vm_send_boot_context(vm);
	if (ret)
		goto err_reset;

	ret = gunyah_rm_get_hyp_resources(vm->rm, vm->vmid, &resources);
	if (ret)
		goto err_reset;

	/* The functions bind their resources before the guest can run. */
	vm->resources = resources;
	gunyah_vm_populate_resources(vm);

	ret = gunyah_rm_vm_start(vm->rm, vm->vmid);
	if (ret)
		goto err_free_resources;

	spin_lock(&vm->status_lock);
	/* Unless the VM_EXITED notification came first */
	if (vm->status == GUNYAH_RM_VM_STATUS_READY)
		vm->status = GUNYAH_RM_VM_STATUS_RUNNING;
	spin_unlock(&vm->status_lock);
	wake_up_all(&vm->status_wait);

	return 0;

err_free_resources:
	gunyah_vm_free_resources(vm);
	vm->resources = NULL;
	kfree(resources);
err_reset:
	gunyah_vm_set_status(vm, GUNYAH_RM_VM_STATUS_INIT_FAILED);
	/*
	 * Without a reset the VM may map the parcels: keep them given. If
	 * the reset fails, or a signal cuts the wait short, the VM's release
	 * tries again.
	 */
	if (gunyah_vm_request_reset(vm) || gunyah_vm_wait_reset(vm, true))
		goto err_failed;
err_reclaim:
	gunyah_vm_mem_reclaim_all(vm);
err_failed:
	gunyah_vm_set_status(vm, GUNYAH_RM_VM_STATUS_INIT_FAILED);
	dev_dbg(gunyah_rm_dev(vm->rm), "VM %u: failed to start: %d\n",
		vm->vmid, ret);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vm_start);

/**
 * gunyah_vm_ensure_started() - Start a VM unless it was started before
 * @vm: the VM
 *
 * What the first GUNYAH_VCPU_RUN does: the same as GUNYAH_VM_START on a VM
 * still being configured, nothing on a VM that was started before,
 * successfully or not (gunyah_vm_stopped() tells which).
 *
 * Context: Process context; sleeps, for as long as a start takes.
 * Return: 0 if the VM was started now or before; -EINTR if a fatal signal
 * arrived while another thread held the VM's lock; otherwise the error of
 * gunyah_vm_start(): a VM refused before anything was sent to the RM
 * (-EINVAL) stays configurable, and the next call tries again.
 */
int gunyah_vm_ensure_started(struct gunyah_vm *vm)
{
	int ret;

	/* Once running, a VM never goes back to being configured. */
	if (gunyah_vm_get_status(vm) == GUNYAH_RM_VM_STATUS_RUNNING)
		return 0;

	ret = mutex_lock_killable(&vm->lock);
	if (ret)
		return ret;
	if (gunyah_vm_get_status(vm) == GUNYAH_RM_VM_STATUS_LOAD)
		ret = gunyah_vm_start(vm);
	mutex_unlock(&vm->lock);

	return ret;
}
EXPORT_SYMBOL_GPL(gunyah_vm_ensure_started);

/* Whether a VM in @status stopped for good, and what the vCPUs report */
static bool gunyah_vm_status_stopped(enum gunyah_rm_vm_status status,
				     enum gunyah_vm_status *uapi_status)
{
	switch (status) {
	case GUNYAH_RM_VM_STATUS_LOAD:
	case GUNYAH_RM_VM_STATUS_INIT:
	case GUNYAH_RM_VM_STATUS_READY:
	case GUNYAH_RM_VM_STATUS_RUNNING:
		return false;
	case GUNYAH_RM_VM_STATUS_INIT_FAILED:
		*uapi_status = GUNYAH_VM_STATUS_LOAD_FAILED;
		return true;
	case GUNYAH_RM_VM_STATUS_EXITED:
	case GUNYAH_RM_VM_STATUS_RESETTING:
	case GUNYAH_RM_VM_STATUS_RESET:
		*uapi_status = GUNYAH_VM_STATUS_EXITED;
		return true;
	default:
		/* Never set by the VM manager */
		*uapi_status = GUNYAH_VM_STATUS_CRASHED;
		return true;
	}
}

/**
 * gunyah_vm_stopped() - Whether a VM stopped, and how
 * @vm: the VM
 * @status: filled, if the VM stopped, with what a vCPU reports:
 *	%GUNYAH_VM_STATUS_LOAD_FAILED if the start failed,
 *	%GUNYAH_VM_STATUS_EXITED once the VM exited (or was reset)
 * @exit_info: filled, if the VM stopped, with the exit type and reason of
 *	the RM's VM_EXITED notification; zero if there was none
 *
 * Context: Any context.
 * Return: false while the VM is configured, starting or running; true
 * once it stopped for good.
 */
bool gunyah_vm_stopped(struct gunyah_vm *vm, enum gunyah_vm_status *status,
		       struct gunyah_vm_exit_info *exit_info)
{
	bool stopped;

	spin_lock(&vm->status_lock);
	stopped = gunyah_vm_status_stopped(vm->status, status);
	if (stopped) {
		if (vm->status == GUNYAH_RM_VM_STATUS_INIT_FAILED)
			memset(exit_info, 0, sizeof(*exit_info));
		else
			*exit_info = vm->exit_info;
	}
	spin_unlock(&vm->status_lock);

	return stopped;
}
EXPORT_SYMBOL_GPL(gunyah_vm_stopped);

/**
 * gunyah_vm_wait_timeout() - Sleep until a VM stops or a condition holds,
 *	for at most a time
 * @vm: the VM
 * @wq: a wait queue of the caller's, or NULL: its wake-ups re-check @cond
 * @cond: the condition, or NULL; called with the task state set, so it
 *	must not sleep
 * @data: argument of @cond
 * @timeout: the longest sleep, in jiffies; %MAX_SCHEDULE_TIMEOUT for none
 *
 * Sleeps interruptibly on the VM's status changes and on @wq until
 * gunyah_vm_stopped() would return true, @cond(@data) returns true or
 * @timeout elapsed. The waker sets what @cond reads before it wakes @wq up.
 *
 * Context: Process context; sleeps.
 * Return: the jiffies left of @timeout (at least 1) if the VM stopped or
 * @cond holds; 0 if @timeout elapsed first; -ERESTARTSYS if a signal is
 * pending.
 */
long gunyah_vm_wait_timeout(struct gunyah_vm *vm, wait_queue_head_t *wq,
			    bool (*cond)(void *data), void *data, long timeout)
{
	struct wait_queue_entry vm_entry, wq_entry;
	enum gunyah_vm_status ignored;
	long ret;

	init_waitqueue_entry(&vm_entry, current);
	add_wait_queue(&vm->status_wait, &vm_entry);
	if (wq) {
		init_waitqueue_entry(&wq_entry, current);
		add_wait_queue(wq, &wq_entry);
	}

	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (gunyah_vm_status_stopped(gunyah_vm_get_status(vm), &ignored) ||
		    (cond && cond(data))) {
			ret = max(timeout, 1L);
			break;
		}
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;
			break;
		}
		if (!timeout) {
			ret = 0;
			break;
		}
		timeout = schedule_timeout(timeout);
	}
	__set_current_state(TASK_RUNNING);

	if (wq)
		remove_wait_queue(wq, &wq_entry);
	remove_wait_queue(&vm->status_wait, &vm_entry);

	return ret;
}
EXPORT_SYMBOL_GPL(gunyah_vm_wait_timeout);

/**
 * gunyah_vm_wait() - Sleep until a VM stops or a condition holds
 * @vm: the VM
 * @wq: a wait queue of the caller's, or NULL: its wake-ups re-check @cond
 * @cond: the condition, or NULL; called with the task state set, so it
 *	must not sleep
 * @data: argument of @cond
 *
 * gunyah_vm_wait_timeout() without a timeout.
 *
 * Context: Process context; sleeps.
 * Return: 0, or -ERESTARTSYS if a signal is pending.
 */
int gunyah_vm_wait(struct gunyah_vm *vm, wait_queue_head_t *wq,
		   bool (*cond)(void *data), void *data)
{
	long ret = gunyah_vm_wait_timeout(vm, wq, cond, data, MAX_SCHEDULE_TIMEOUT);

	return ret < 0 ? ret : 0;
}
EXPORT_SYMBOL_GPL(gunyah_vm_wait);

/*
 * Take @vm->lock for a configuration change: 0 with the lock held, or an
 * error without it (-EBUSY once the VM has been started).
 */
static int gunyah_vm_lock_configurable(struct gunyah_vm *vm)
{
	int ret = mutex_lock_killable(&vm->lock);

	if (ret)
		return ret;
	if (gunyah_vm_get_status(vm) != GUNYAH_RM_VM_STATUS_LOAD) {
		mutex_unlock(&vm->lock);
		return -EBUSY;
	}
	return 0;
}

static long gunyah_vm_ioctl_add_mem(struct gunyah_vm *vm, void __user *argp,
				    enum gunyah_vm_mem_share_type share_type)
{
	struct gunyah_userspace_memory_region region;
	int ret;

	if (copy_from_user(&region, argp, sizeof(region)))
		return -EFAULT;

	ret = gunyah_vm_lock_configurable(vm);
	if (ret)
		return ret;

	ret = gunyah_vm_mem_add(vm, &region, share_type);
	mutex_unlock(&vm->lock);

	return ret;
}

static long gunyah_vm_ioctl_reclaim_region(struct gunyah_vm *vm,
					   void __user *argp)
{
	struct gunyah_address_range range;
	int ret;

	if (copy_from_user(&range, argp, sizeof(range)))
		return -EFAULT;

	ret = gunyah_vm_lock_configurable(vm);
	if (ret)
		return ret;

	/* The VM maps whole regions: a running VM keeps all of them. */
	ret = gunyah_vm_mem_reclaim_range(vm, &range);
	mutex_unlock(&vm->lock);

	return ret;
}

static long gunyah_vm_ioctl_set_dtb_config(struct gunyah_vm *vm,
					   void __user *argp)
{
	struct gunyah_vm_dtb_config config;
	int ret;

	if (copy_from_user(&config, argp, sizeof(config)))
		return -EFAULT;

	ret = gunyah_vm_check_config_range(config.guest_phys_addr, config.size);
	if (ret)
		return ret;

	ret = gunyah_vm_lock_configurable(vm);
	if (ret)
		return ret;

	vm->dtb_config = config;
	vm->dtb_config_set = true;
	mutex_unlock(&vm->lock);

	return 0;
}

static long gunyah_vm_ioctl_set_fw_config(struct gunyah_vm *vm,
					  void __user *argp)
{
	struct gunyah_vm_firmware_config config;
	int ret;

	if (copy_from_user(&config, argp, sizeof(config)))
		return -EFAULT;

	ret = gunyah_vm_check_config_range(config.guest_phys_addr, config.size);
	if (ret)
		return ret;

	ret = gunyah_vm_lock_configurable(vm);
	if (ret)
		return ret;

	vm->fw_config = config;
	vm->fw_config_set = true;
	/* A VM with firmware is an Android protected VM. */
	vm->auth = GUNYAH_RM_VM_AUTH_QCOM_ANDROID_PVM;
	mutex_unlock(&vm->lock);

	return 0;
}

static long gunyah_vm_ioctl_set_boot_context(struct gunyah_vm *vm,
					     void __user *argp)
{
	struct gunyah_vm_boot_context ctx;
	int index, ret;

	if (copy_from_user(&ctx, argp, sizeof(ctx)))
		return -EFAULT;

	if (ctx.reserved)
		return -EINVAL;

	index = gunyah_vm_boot_context_index(ctx.reg);
	if (index < 0)
		return index;

	ret = gunyah_vm_lock_configurable(vm);
	if (ret)
		return ret;

	vm->boot_context[index] = ctx.value;
	__set_bit(index, vm->boot_context_set);
	mutex_unlock(&vm->lock);

	return 0;
}

static long gunyah_vm_ioctl_start(struct gunyah_vm *vm)
{
	int ret;

	ret = mutex_lock_killable(&vm->lock);
	if (ret)
		return ret;

	ret = gunyah_vm_start(vm);
	mutex_unlock(&vm->lock);

	return ret;
}

static long gunyah_vm_ioctl(struct file *filp, unsigned int cmd,
			    unsigned long arg)
{
	struct gunyah_vm *vm = filp->private_data;
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case GUNYAH_VM_SET_USER_MEM_REGION:
		return gunyah_vm_ioctl_add_mem(vm, argp, GUNYAH_VM_MEM_SHARE);
	case GUNYAH_VM_ANDROID_LEND_USER_MEM:
		return gunyah_vm_ioctl_add_mem(vm, argp, GUNYAH_VM_MEM_LEND);
	case GUNYAH_VM_RECLAIM_REGION:
		return gunyah_vm_ioctl_reclaim_region(vm, argp);
	case GUNYAH_VM_SET_DTB_CONFIG:
		return gunyah_vm_ioctl_set_dtb_config(vm, argp);
	case GUNYAH_VM_START:
		return gunyah_vm_ioctl_start(vm);
	case GUNYAH_VM_ANDROID_SET_FW_CONFIG:
		return gunyah_vm_ioctl_set_fw_config(vm, argp);
	case GUNYAH_VM_SET_BOOT_CONTEXT:
		return gunyah_vm_ioctl_set_boot_context(vm, argp);
	case GUNYAH_VM_ADD_FUNCTION:
		return gunyah_vm_ioctl_function(vm, argp, true);
	case GUNYAH_VM_REMOVE_FUNCTION:
		return gunyah_vm_ioctl_function(vm, argp, false);
	case GUNYAH_VM_CHECK_EXTENSION:
		/* No capability is supported yet, known or not. */
		return 0;
	default:
		return -ENOTTY;
	}
}

static int gunyah_vm_file_release(struct inode *inode, struct file *filp)
{
	gunyah_vm_put(filp->private_data);

	return 0;
}

static const struct file_operations gunyah_vm_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= gunyah_vm_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.release	= gunyah_vm_file_release,
	.llseek		= noop_llseek,
};

static long gunyah_dev_ioctl_create_vm(struct gunyah_rm *rm,
				       unsigned long arg)
{
	struct gunyah_vm *vm;
	struct file *file;
	int fd, ret;

	/* Reserved (a VM type in later interfaces) */
	if (arg)
		return -EINVAL;

	vm = gunyah_vm_alloc(rm);
	if (IS_ERR(vm))
		return PTR_ERR(vm);

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		ret = fd;
		goto err_put_vm;
	}

	file = anon_inode_getfile("gunyah-vm", &gunyah_vm_fops, vm, O_RDWR);
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		goto err_put_fd;
	}

	fd_install(fd, file);
	return fd;

err_put_fd:
	put_unused_fd(fd);
err_put_vm:
	gunyah_vm_put(vm);
	return ret;
}

/**
 * gunyah_dev_vm_mgr_ioctl() - The ioctls of /dev/gunyah
 * @rm: the Resource Manager of the open file
 * @cmd: the ioctl
 * @arg: its argument
 *
 * Context: Process context; sleeps.
 * Return: for %GUNYAH_CREATE_VM the new VM's file descriptor, or -EINVAL
 * if @arg is not 0, or the error of creating the VM; -ENOTTY for any other
 * @cmd.
 */
long gunyah_dev_vm_mgr_ioctl(struct gunyah_rm *rm, unsigned int cmd,
			     unsigned long arg)
{
	switch (cmd) {
	case GUNYAH_CREATE_VM:
		return gunyah_dev_ioctl_create_vm(rm, arg);
	default:
		return -ENOTTY;
	}
}
