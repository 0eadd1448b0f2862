/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Gunyah VM manager: VMs created through /dev/gunyah, internal interface of
 * gunyah_rsc_mgr.ko.
 */

#ifndef __GUNYAH_VM_MGR_H
#define __GUNYAH_VM_MGR_H

#include <linux/bitmap.h>
#include <linux/kref.h>
#include <linux/maple_tree.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/xarray.h>

#include <uapi/linux/gunyah.h>

#include "rsc_mgr.h"
#include "vm_mgr_fn.h"

struct gunyah_rm;
struct mm_struct;
struct page;

/**
 * enum gunyah_vm_mem_share_type - How a memory region is given to its VM
 * @GUNYAH_VM_MEM_SHARE: shared (MEM_SHARE), the host keeps access
 *	(GUNYAH_VM_SET_USER_MEM_REGION)
 * @GUNYAH_VM_MEM_LEND: lent (MEM_LEND), the host loses access
 *	(GUNYAH_VM_ANDROID_LEND_USER_MEM)
 */
enum gunyah_vm_mem_share_type {
	GUNYAH_VM_MEM_SHARE,
	GUNYAH_VM_MEM_LEND,
};

/**
 * struct gunyah_vm_mem_region - User memory of a VM, pinned
 * @label: label of the region, unique in the VM
 * @flags: the VM's access rights, %GUNYAH_MEM_ALLOW_READ etc.
 * @share_type: shared or lent
 * @guest_phys_addr: where the VM sees the region
 * @size: size in bytes, a multiple of PAGE_SIZE
 * @nr_pages: number of pages
 * @pages: the pages, pinned long term and counted in the owner's
 *	locked_vm
 * @mem_handle: the Resource Manager's handle of the parcel made of the
 *	region once it is given to the VM, else %GUNYAH_MEM_HANDLE_INVAL.
 *	While a parcel exists the pages may be mapped by the VM: they are
 *	unpinned only after the RM agreed to reclaim the parcel, and leaked
 *	otherwise.
 */
struct gunyah_vm_mem_region {
	u32 label;
	u32 flags;
	enum gunyah_vm_mem_share_type share_type;
	u64 guest_phys_addr;
	u64 size;
	unsigned long nr_pages;
	struct page **pages;
	u32 mem_handle;
};

/* Registers of the boot context: X0..X31, PC, three stack pointers */
#define GUNYAH_VM_BOOT_CONTEXT_NR_X	32
#define GUNYAH_VM_BOOT_CONTEXT_NR_SP	3
#define GUNYAH_VM_BOOT_CONTEXT_NR_REGS	(GUNYAH_VM_BOOT_CONTEXT_NR_X + 1 + \
					 GUNYAH_VM_BOOT_CONTEXT_NR_SP)

/**
 * enum gunyah_vm_reset - Where a VM is in its reset by the RM
 * @GUNYAH_VM_RESET_NONE: the RM has no VM to take apart (VM_INIT not sent)
 * @GUNYAH_VM_RESET_NEEDED: VM_INIT was sent; no VM_RESET accepted yet
 * @GUNYAH_VM_RESET_REQUESTED: VM_RESET sent (or being sent); until the RM's
 *	VM_STATUS notification with status RESET, the VM may map its parcels
 * @GUNYAH_VM_RESET_DONE: the RM reported the reset
 */
enum gunyah_vm_reset {
	GUNYAH_VM_RESET_NONE,
	GUNYAH_VM_RESET_NEEDED,
	GUNYAH_VM_RESET_REQUESTED,
	GUNYAH_VM_RESET_DONE,
};

/**
 * struct gunyah_vm - A VM created through /dev/gunyah
 * @rm: the Resource Manager; a reference is held
 * @vmid: the VMID the RM allocated
 * @kref: reference count; the VM's file holds one
 * @mm: the creator's address space (mmgrab()'d). Only it may add or
 *	reclaim memory, and the pinned pages are counted in its locked_vm.
 * @lock: serialises the configuration and the start of the VM (the
 *	fields below up to @resources)
 * @mem_regions: the memory regions, indexed by guest physical address
 *	range
 * @mem_labels: the memory regions, indexed by label
 * @dtb_config: the devicetree's location, valid if @dtb_config_set
 * @dtb_config_set: GUNYAH_VM_SET_DTB_CONFIG was called
 * @fw_config: the firmware's location, valid if @fw_config_set
 * @fw_config_set: GUNYAH_VM_ANDROID_SET_FW_CONFIG was called
 * @auth: authentication of the VM's image for VM_CONFIG_IMAGE
 * @boot_context: initial register values, by gunyah_vm_boot_context_index()
 * @boot_context_set: which of @boot_context were set
 * @resources: the VM's resources the RM gave this VM at start
 *	(VM_GET_HYP_RESOURCES), or NULL
 * @nb: receives the RM's notifications about the VM
 * @status_lock: protects @status, @exit_info and @reset
 * @status: what the VM manager knows of the VM's state, an
 *	&enum gunyah_rm_vm_status. %GUNYAH_RM_VM_STATUS_LOAD while it is
 *	configured; the start sets INIT, READY, then RUNNING on success and
 *	INIT_FAILED on failure; the notifications set EXITED and RESET.
 *	Written under @status_lock and @lock, or under @status_lock alone by
 *	the notifier; read under either.
 * @status_wait: woken when @status changes
 * @exit_info: how the VM exited, valid once @status went to EXITED
 * @reset: where the VM is in its reset; the notifier makes REQUESTED DONE
 * @reset_timeout: how long to wait for the RESET notification, in jiffies;
 *	0 (the default) for the module parameter vm_reset_timeout_ms
 * @fns: the VM's functions, resource tickets, resources and io handlers
 */
struct gunyah_vm {
	struct gunyah_rm *rm;
	u16 vmid;
	struct kref kref;
	struct mm_struct *mm;

	struct mutex lock;	/* serialises configuration and start */
	struct maple_tree mem_regions;
	struct xarray mem_labels;
	struct gunyah_vm_dtb_config dtb_config;
	bool dtb_config_set;
	struct gunyah_vm_firmware_config fw_config;
	bool fw_config_set;
	enum gunyah_rm_vm_auth_mechanism auth;
	u64 boot_context[GUNYAH_VM_BOOT_CONTEXT_NR_REGS];
	DECLARE_BITMAP(boot_context_set, GUNYAH_VM_BOOT_CONTEXT_NR_REGS);
	struct gunyah_rm_hyp_resources *resources;

	struct notifier_block nb;
	spinlock_t status_lock;	/* protects status, exit_info and reset */
	enum gunyah_rm_vm_status status;
	wait_queue_head_t status_wait;
	struct gunyah_vm_exit_info exit_info;
	enum gunyah_vm_reset reset;
	unsigned long reset_timeout;

	struct gunyah_vm_fns fns;
};

long gunyah_dev_vm_mgr_ioctl(struct gunyah_rm *rm, unsigned int cmd,
			     unsigned long arg);

struct gunyah_vm *gunyah_vm_alloc(struct gunyah_rm *rm);
void gunyah_vm_put(struct gunyah_vm *vm);
int gunyah_vm_start(struct gunyah_vm *vm);
enum gunyah_rm_vm_status gunyah_vm_get_status(struct gunyah_vm *vm);
int gunyah_vm_boot_context_index(u32 reg);
int gunyah_vm_check_config_range(u64 guest_phys_addr, u64 size);

/* vm_mgr_mem.c */
void gunyah_vm_mem_init(struct gunyah_vm *vm);
unsigned int gunyah_vm_mem_release(struct gunyah_vm *vm,
				   unsigned long *leaked_pages);
int gunyah_vm_mem_region_check(const struct gunyah_userspace_memory_region *region);
int gunyah_vm_mem_add(struct gunyah_vm *vm,
		      const struct gunyah_userspace_memory_region *region,
		      enum gunyah_vm_mem_share_type share_type);
int gunyah_vm_mem_reclaim_range(struct gunyah_vm *vm,
				const struct gunyah_address_range *range);
int gunyah_vm_mem_provide(struct gunyah_vm *vm, u16 host_vmid);
unsigned int gunyah_vm_mem_reclaim_all(struct gunyah_vm *vm);
int gunyah_vm_mem_parcel_init(const struct gunyah_vm_mem_region *region,
			      u16 guest_vmid, u16 host_vmid,
			      struct gunyah_rm_mem_parcel *parcel);
void gunyah_vm_mem_parcel_free(struct gunyah_rm_mem_parcel *parcel);

#endif /* __GUNYAH_VM_MGR_H */
