// SPDX-License-Identifier: GPL-2.0-only
/*
 * Gunyah VM manager: GUNYAH_CREATE_VM on /dev/gunyah and the VM file.
 *
 * GUNYAH_CREATE_VM allocates a VMID from the Resource Manager
 * (VM_ALLOCATE) and returns an anon-inode file, "gunyah-vm", holding the
 * only initial reference to a &struct gunyah_vm. Its ioctls configure the
 * VM: memory regions (vm_mgr_mem.c), the devicetree and firmware location,
 * the boot context. The configuration is only stored; the RM sees it when
 * the VM starts. When the last reference goes, the regions are unpinned and
 * the VMID is freed (VM_DEALLOCATE).
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
#include <linux/kref.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <kunit/visibility.h>

#include "rsc_mgr.h"
#include "vm_mgr.h"

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
	int vmid;

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
	mmgrab(current->mm);
	vm->mm = current->mm;
	mutex_init(&vm->lock);
	gunyah_vm_mem_init(vm);
	vm->auth = GUNYAH_RM_VM_AUTH_NONE;

	return vm;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vm_alloc);

static void gunyah_vm_release(struct kref *kref)
{
	struct gunyah_vm *vm = container_of(kref, struct gunyah_vm, kref);
	int ret;

	/*
	 * Nothing of the VM has been given to the RM: the regions are the
	 * host's. A started VM is stopped and reset, and its parcels are
	 * reclaimed, before this point.
	 */
	gunyah_vm_mem_release(vm);

	ret = gunyah_rm_dealloc_vmid(vm->rm, vm->vmid);
	if (ret)
		dev_warn(gunyah_rm_dev(vm->rm), "failed to free VMID %u: %d\n",
			 vm->vmid, ret);

	mutex_destroy(&vm->lock);
	mmdrop(vm->mm);
	gunyah_rm_put(vm->rm);
	kfree(vm);
}

/**
 * gunyah_vm_put() - Drop a reference to a VM
 * @vm: the VM
 *
 * The last reference releases the VM's memory and frees its VMID.
 *
 * Context: Process context; may sleep.
 */
void gunyah_vm_put(struct gunyah_vm *vm)
{
	kref_put(&vm->kref, gunyah_vm_release);
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vm_put);

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

static long gunyah_vm_ioctl_add_mem(struct gunyah_vm *vm, void __user *argp,
				    enum gunyah_vm_mem_share_type share_type)
{
	struct gunyah_userspace_memory_region region;
	int ret;

	if (copy_from_user(&region, argp, sizeof(region)))
		return -EFAULT;

	ret = mutex_lock_killable(&vm->lock);
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

	ret = mutex_lock_killable(&vm->lock);
	if (ret)
		return ret;

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

	ret = mutex_lock_killable(&vm->lock);
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

	ret = mutex_lock_killable(&vm->lock);
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

	ret = mutex_lock_killable(&vm->lock);
	if (ret)
		return ret;

	vm->boot_context[index] = ctx.value;
	__set_bit(index, vm->boot_context_set);
	mutex_unlock(&vm->lock);

	return 0;
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
	case GUNYAH_VM_ANDROID_SET_FW_CONFIG:
		return gunyah_vm_ioctl_set_fw_config(vm, argp);
	case GUNYAH_VM_SET_BOOT_CONTEXT:
		return gunyah_vm_ioctl_set_boot_context(vm, argp);
	case GUNYAH_VM_CHECK_EXTENSION:
		/* No capability is supported yet, known or not. */
		return 0;
	default:
		/* Including GUNYAH_VM_START and the functions, for now */
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
