// SPDX-License-Identifier: GPL-2.0-only
/*
 * Gunyah VM manager: the memory regions of a VM.
 *
 * A region is memory of the VM's creator. It is pinned long term when it is
 * added and counted in the creator's locked_vm, so RLIMIT_MEMLOCK applies
 * (unless the caller has CAP_IPC_LOCK). Nothing is sent to the Resource
 * Manager then: when the VM starts, each region becomes one memory parcel
 * (gunyah_vm_mem_parcel_init(), then gunyah_rm_mem_share() or
 * gunyah_rm_mem_lend()).
 *
 * Regions are indexed twice, by guest physical address range (a maple tree,
 * which refuses overlapping ranges) and by label (an xarray). Both and the
 * regions themselves are protected by &gunyah_vm.lock.
 *
 * While the RM holds a region's parcel (&gunyah_vm_mem_region.mem_handle is
 * valid), the VM may map its pages, and a lent region is out of the host's
 * reach. Its pages stay pinned and accounted until the RM agrees to
 * reclaim the parcel. If it never does, they are leaked on purpose: freeing
 * them would hand memory the VM may still use to someone else.
 */

#include <linux/device.h>
#include <linux/err.h>
#include <linux/lockdep.h>
#include <linux/maple_tree.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>

#include <kunit/visibility.h>

#include "vm_mgr.h"

/* Pages pinned per pin_user_pages_fast() call */
#define GUNYAH_VM_MEM_PIN_BATCH		4096UL

/**
 * gunyah_vm_mem_init() - Initialise the memory bookkeeping of a VM
 * @vm: the VM
 */
void gunyah_vm_mem_init(struct gunyah_vm *vm)
{
	mt_init(&vm->mem_regions);
	xa_init(&vm->mem_labels);
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vm_mem_init);

/**
 * gunyah_vm_mem_region_check() - Validate a memory region from userspace
 * @region: the region, as passed to GUNYAH_VM_SET_USER_MEM_REGION or
 *	GUNYAH_VM_ANDROID_LEND_USER_MEM
 *
 * Checks the region on its own, not against the VM's other regions.
 *
 * Return: 0 if the region is acceptable; -EINVAL if @region->flags has
 * none or an unknown access bit, or the size is 0, or the size, guest
 * address or user address is not page aligned; -EOVERFLOW if the guest or
 * user range does not fit in 64 bits; -EFAULT if the user range is not in
 * the user address space; -ENOMEM if the region is larger than the RAM.
 */
int gunyah_vm_mem_region_check(const struct gunyah_userspace_memory_region *region)
{
	u64 end;

	if (!region->flags || region->flags & ~GUNYAH_MEM_ALLOW_RWX)
		return -EINVAL;

	if (!region->memory_size || !PAGE_ALIGNED(region->memory_size) ||
	    !PAGE_ALIGNED(region->guest_phys_addr) ||
	    !PAGE_ALIGNED(region->userspace_addr))
		return -EINVAL;

	if (check_add_overflow(region->guest_phys_addr, region->memory_size,
			       &end) ||
	    check_add_overflow(region->userspace_addr, region->memory_size,
			       &end))
		return -EOVERFLOW;

	if (!access_ok(u64_to_user_ptr(region->userspace_addr),
		       region->memory_size))
		return -EFAULT;

	/* More than can ever be pinned; also bounds the page array. */
	if (region->memory_size >> PAGE_SHIFT > totalram_pages())
		return -ENOMEM;

	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vm_mem_region_check);

/* Give back the owner's locked_vm, unless its address space is gone. */
static void gunyah_vm_mem_unaccount(struct gunyah_vm *vm,
				    unsigned long nr_pages)
{
	if (!mmget_not_zero(vm->mm))
		return;

	account_locked_vm(vm->mm, nr_pages, false);
	mmput(vm->mm);
}

/*
 * Account and pin the pages of @region, which start at @userspace_addr in
 * the caller's address space, the VM's owner's. All or nothing.
 */
static int gunyah_vm_mem_pin(struct gunyah_vm *vm,
			     struct gunyah_vm_mem_region *region,
			     u64 userspace_addr)
{
	unsigned int gup_flags = FOLL_LONGTERM;
	unsigned long pinned = 0, n;
	int ret;

	if (region->flags & GUNYAH_MEM_ALLOW_WRITE)
		gup_flags |= FOLL_WRITE;

	ret = account_locked_vm(vm->mm, region->nr_pages, true);
	if (ret)
		return ret;

	region->pages = kvcalloc(region->nr_pages, sizeof(*region->pages),
				 GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!region->pages) {
		ret = -ENOMEM;
		goto err_unaccount;
	}

	while (pinned < region->nr_pages) {
		n = min(region->nr_pages - pinned, GUNYAH_VM_MEM_PIN_BATCH);
		ret = pin_user_pages_fast(userspace_addr + pinned * PAGE_SIZE,
					  n, gup_flags, region->pages + pinned);
		if (ret <= 0) {
			ret = ret ?: -EFAULT;
			goto err_unpin;
		}
		pinned += ret;
		cond_resched();
	}

	return 0;

err_unpin:
	unpin_user_pages(region->pages, pinned);
	kvfree(region->pages);
	region->pages = NULL;
err_unaccount:
	account_locked_vm(vm->mm, region->nr_pages, false);
	return ret;
}

/**
 * gunyah_vm_mem_add() - Add a memory region to a VM
 * @vm: the VM, with @vm->lock held
 * @region: the region, from userspace
 * @share_type: whether the region is to be shared or lent
 *
 * Checks the region (gunyah_vm_mem_region_check()) and that it neither
 * reuses a label nor overlaps another region of the VM, then pins its
 * pages. Only the VM's creator may add memory.
 *
 * Context: Process context, the VM's creator; sleeps.
 * Return: 0; -EPERM if the caller's address space is not the VM's
 * creator's; an error of gunyah_vm_mem_region_check(); -EEXIST if the label
 * is in use or the range overlaps another region; -ENOMEM if the pages would
 * exceed RLIMIT_MEMLOCK or out of memory; the error of pinning, such as
 * -EFAULT if part of the range is not mapped or a writable region is
 * mapped read-only. On error nothing stays pinned or accounted.
 */
int gunyah_vm_mem_add(struct gunyah_vm *vm,
		      const struct gunyah_userspace_memory_region *region,
		      enum gunyah_vm_mem_share_type share_type)
{
	struct gunyah_vm_mem_region *r;
	int ret;

	lockdep_assert_held(&vm->lock);

	if (current->mm != vm->mm)
		return -EPERM;

	ret = gunyah_vm_mem_region_check(region);
	if (ret)
		return ret;

	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r)
		return -ENOMEM;

	r->label = region->label;
	r->flags = region->flags;
	r->share_type = share_type;
	r->guest_phys_addr = region->guest_phys_addr;
	r->size = region->memory_size;
	r->nr_pages = region->memory_size >> PAGE_SHIFT;
	r->mem_handle = GUNYAH_MEM_HANDLE_INVAL;

	ret = xa_insert(&vm->mem_labels, r->label, r, GFP_KERNEL_ACCOUNT);
	if (ret) {
		if (ret == -EBUSY)
			ret = -EEXIST;
		goto err_free;
	}

	/* -EEXIST if the range overlaps another region */
	ret = mtree_insert_range(&vm->mem_regions, r->guest_phys_addr,
				 r->guest_phys_addr + r->size - 1, r,
				 GFP_KERNEL_ACCOUNT);
	if (ret)
		goto err_erase_label;

	ret = gunyah_vm_mem_pin(vm, r, region->userspace_addr);
	if (ret)
		goto err_erase_range;

	return 0;

err_erase_range:
	mtree_erase(&vm->mem_regions, r->guest_phys_addr);
err_erase_label:
	xa_erase(&vm->mem_labels, r->label);
err_free:
	kfree(r);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vm_mem_add);

/**
 * gunyah_vm_mem_reclaim_range() - Take memory of a VM back
 * @vm: the VM, with @vm->lock held
 * @range: the range of the VM's address space
 *
 * Memory is given to the VM when it starts; until then there is nothing
 * to take back, and a valid request fails with -EINVAL.
 *
 * Context: Process context, the VM's creator.
 * Return: -EPERM if the caller's address space is not the VM's creator's;
 * -EINVAL if the size is 0 or the range is not page aligned, or if no
 * memory of the range was given to the VM; -EOVERFLOW if the range does not
 * fit in 64 bits.
 */
int gunyah_vm_mem_reclaim_range(struct gunyah_vm *vm,
				const struct gunyah_address_range *range)
{
	u64 end;

	lockdep_assert_held(&vm->lock);

	if (current->mm != vm->mm)
		return -EPERM;

	if (!range->size || !PAGE_ALIGNED(range->gpa) ||
	    !PAGE_ALIGNED(range->size))
		return -EINVAL;

	if (check_add_overflow(range->gpa, range->size, &end))
		return -EOVERFLOW;

	/* The VM has not started: no region has been given to it. */
	return -EINVAL;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vm_mem_reclaim_range);

/**
 * gunyah_vm_mem_provide() - Give every memory region to its VM
 * @vm: the VM, with @vm->lock held
 * @host_vmid: this VM's VMID (gunyah_rm_get_vmid())
 *
 * Each region, in guest address order, becomes one parcel
 * (gunyah_vm_mem_parcel_init()): MEM_SHARE for a shared region, MEM_LEND
 * for a lent one. The parcel's handle is stored in the region.
 *
 * Context: Process context; sleeps.
 * Return: 0, or the first error. On error the regions given so far keep
 * their handles, and so may the failing one if the RM refused to take back
 * an incomplete parcel: take them back with gunyah_vm_mem_reclaim_all().
 */
int gunyah_vm_mem_provide(struct gunyah_vm *vm, u16 host_vmid)
{
	struct gunyah_vm_mem_region *region;
	struct gunyah_rm_mem_parcel parcel;
	unsigned long index = 0;
	int ret;

	lockdep_assert_held(&vm->lock);

	mt_for_each(&vm->mem_regions, region, index, ULONG_MAX) {
		if (WARN_ON(region->mem_handle != GUNYAH_MEM_HANDLE_INVAL))
			return -EINVAL;

		ret = gunyah_vm_mem_parcel_init(region, vm->vmid, host_vmid,
						&parcel);
		if (ret)
			return ret;

		if (region->share_type == GUNYAH_VM_MEM_LEND)
			ret = gunyah_rm_mem_lend(vm->rm, &parcel);
		else
			ret = gunyah_rm_mem_share(vm->rm, &parcel);
		region->mem_handle = parcel.mem_handle;
		gunyah_vm_mem_parcel_free(&parcel);
		if (ret) {
			dev_dbg(gunyah_rm_dev(vm->rm),
				"VM %u: failed to give region %u to the VM: %d\n",
				vm->vmid, region->label, ret);
			return ret;
		}
	}

	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vm_mem_provide);

/**
 * gunyah_vm_mem_reclaim_all() - Take back every parcel of a VM
 * @vm: the VM, no longer able to map its parcels: reset by the RM, or
 *	never initialised
 *
 * Sends MEM_RECLAIM for every region that has a parcel. A region whose
 * parcel the RM takes back is the host's again; one it refuses to reclaim
 * keeps its handle, and gunyah_vm_mem_release() leaks it.
 *
 * Context: Process context; sleeps. Called with @vm->lock held, or on the
 * last reference.
 * Return: the number of parcels the RM still holds.
 */
unsigned int gunyah_vm_mem_reclaim_all(struct gunyah_vm *vm)
{
	struct gunyah_vm_mem_region *region;
	unsigned long index = 0;
	unsigned int held = 0;
	int ret;

	mt_for_each(&vm->mem_regions, region, index, ULONG_MAX) {
		struct gunyah_rm_mem_parcel parcel = {
			.mem_handle = region->mem_handle,
		};

		if (region->mem_handle == GUNYAH_MEM_HANDLE_INVAL)
			continue;

		ret = gunyah_rm_mem_reclaim(vm->rm, &parcel);
		if (ret) {
			dev_dbg(gunyah_rm_dev(vm->rm),
				"VM %u: RM refused to reclaim parcel %#x (region %u): %d\n",
				vm->vmid, region->mem_handle, region->label, ret);
			held++;
			continue;
		}
		region->mem_handle = GUNYAH_MEM_HANDLE_INVAL;
	}

	return held;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vm_mem_reclaim_all);

/*
 * Unpin and unaccount the pages of a region the RM does not hold, and free
 * it. A region whose parcel the RM still holds keeps its pages pinned and
 * accounted forever: only the bookkeeping is freed. Returns whether the
 * pages were leaked.
 */
static bool gunyah_vm_mem_region_release(struct gunyah_vm *vm,
					 struct gunyah_vm_mem_region *region)
{
	bool leak = region->mem_handle != GUNYAH_MEM_HANDLE_INVAL;

	if (!leak) {
		unpin_user_pages_dirty_lock(region->pages, region->nr_pages,
					    region->flags & GUNYAH_MEM_ALLOW_WRITE);
		gunyah_vm_mem_unaccount(vm, region->nr_pages);
	}

	kvfree(region->pages);
	kfree(region);
	return leak;
}

/**
 * gunyah_vm_mem_release() - Release all memory regions of a VM
 * @vm: the VM, no longer used by anyone else
 * @leaked_pages: filled with the number of pages leaked
 *
 * Unpins and unaccounts the pages of every region that the RM does not
 * hold. The pages of a region whose parcel the RM still holds stay pinned
 * and counted in the owner's locked_vm: they are leaked. The caller says
 * so.
 *
 * Context: Process context; sleeps.
 * Return: the number of regions leaked.
 */
unsigned int gunyah_vm_mem_release(struct gunyah_vm *vm,
				   unsigned long *leaked_pages)
{
	struct gunyah_vm_mem_region *region;
	unsigned long index = 0;
	unsigned int leaked = 0;

	*leaked_pages = 0;
	mt_for_each(&vm->mem_regions, region, index, ULONG_MAX) {
		unsigned long nr_pages = region->nr_pages;

		if (gunyah_vm_mem_region_release(vm, region)) {
			leaked++;
			*leaked_pages += nr_pages;
		}
	}

	mtree_destroy(&vm->mem_regions);
	xa_destroy(&vm->mem_labels);

	return leaked;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vm_mem_release);

/*
 * nth_page() is the next struct page by address where the memory map
 * allows (SPARSEMEM_VMEMMAP, arm64's): one compare per page of a region,
 * which counts for a VM of huge pages.
 */
static bool gunyah_vm_mem_contiguous(struct page *prev, struct page *next)
{
	return next == nth_page(prev, 1);
}

/* RM ACL rights (R 4, W 2, X 1) of region flags (R 1, W 2, X 4) */
static u8 gunyah_vm_mem_acl_perms(u32 flags)
{
	u8 perms = 0;

	if (flags & GUNYAH_MEM_ALLOW_READ)
		perms |= GUNYAH_RM_ACL_R;
	if (flags & GUNYAH_MEM_ALLOW_WRITE)
		perms |= GUNYAH_RM_ACL_W;
	if (flags & GUNYAH_MEM_ALLOW_EXEC)
		perms |= GUNYAH_RM_ACL_X;

	return perms;
}

/**
 * gunyah_vm_mem_parcel_init() - Describe a memory region as a parcel
 * @region: the region, with its pages
 * @guest_vmid: the VM the region belongs to
 * @host_vmid: this VM's VMID (gunyah_rm_get_vmid())
 * @parcel: filled in: mem_type NORMAL, the region's label, the ACL, one
 *	range per run of physically contiguous pages, and no handle
 *
 * The first ACL entry gives the guest the region's access rights. A shared
 * region has a second entry giving this VM read, write and execute access;
 * a lent one has none. Ranges follow the order of the region's pages. The
 * parcel may have more than %GUNYAH_RM_MAX_MEM_ENTRIES ranges: the RM calls
 * send the rest with MEM_APPEND.
 *
 * Context: Process context; may sleep.
 * Return: 0, -EINVAL if the region has no pages, or -ENOMEM. On success
 * free the lists with gunyah_vm_mem_parcel_free().
 */
int gunyah_vm_mem_parcel_init(const struct gunyah_vm_mem_region *region,
			      u16 guest_vmid, u16 host_vmid,
			      struct gunyah_rm_mem_parcel *parcel)
{
	struct gunyah_rm_mem_acl_entry *acl;
	struct gunyah_rm_mem_entry *entries;
	size_t n_acl, n_entries, e;
	phys_addr_t start;
	unsigned long i;
	u64 size;

	if (!region->nr_pages)
		return -EINVAL;

	n_entries = 1;
	for (i = 1; i < region->nr_pages; i++)
		if (!gunyah_vm_mem_contiguous(region->pages[i - 1],
					      region->pages[i]))
			n_entries++;

	n_acl = region->share_type == GUNYAH_VM_MEM_SHARE ? 2 : 1;
	acl = kcalloc(n_acl, sizeof(*acl), GFP_KERNEL);
	if (!acl)
		return -ENOMEM;

	entries = kvcalloc(n_entries, sizeof(*entries),
			   GFP_KERNEL | __GFP_NOWARN);
	if (!entries) {
		kfree(acl);
		return -ENOMEM;
	}

	acl[0].vmid = cpu_to_le16(guest_vmid);
	acl[0].perms = gunyah_vm_mem_acl_perms(region->flags);
	if (region->share_type == GUNYAH_VM_MEM_SHARE) {
		acl[1].vmid = cpu_to_le16(host_vmid);
		acl[1].perms = GUNYAH_RM_ACL_R | GUNYAH_RM_ACL_W |
			       GUNYAH_RM_ACL_X;
	}

	e = 0;
	start = page_to_phys(region->pages[0]);
	size = PAGE_SIZE;
	for (i = 1; i < region->nr_pages; i++) {
		if (gunyah_vm_mem_contiguous(region->pages[i - 1],
					     region->pages[i])) {
			size += PAGE_SIZE;
			continue;
		}
		entries[e].phys_addr = cpu_to_le64(start);
		entries[e].size = cpu_to_le64(size);
		e++;
		start = page_to_phys(region->pages[i]);
		size = PAGE_SIZE;
	}
	entries[e].phys_addr = cpu_to_le64(start);
	entries[e].size = cpu_to_le64(size);

	parcel->mem_type = GUNYAH_RM_MEM_TYPE_NORMAL;
	parcel->label = region->label;
	parcel->n_acl_entries = n_acl;
	parcel->acl_entries = acl;
	parcel->n_mem_entries = n_entries;
	parcel->mem_entries = entries;
	parcel->mem_handle = GUNYAH_MEM_HANDLE_INVAL;

	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vm_mem_parcel_init);

/**
 * gunyah_vm_mem_parcel_free() - Free the lists of a parcel
 * @parcel: a parcel filled in by gunyah_vm_mem_parcel_init()
 *
 * The handle, if any, is kept: the RM may still hold the parcel.
 */
void gunyah_vm_mem_parcel_free(struct gunyah_rm_mem_parcel *parcel)
{
	kfree(parcel->acl_entries);
	parcel->acl_entries = NULL;
	parcel->n_acl_entries = 0;
	kvfree(parcel->mem_entries);
	parcel->mem_entries = NULL;
	parcel->n_mem_entries = 0;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vm_mem_parcel_free);
