// SPDX-License-Identifier: GPL-2.0-only
/*
 * Compile-time checks of <uapi/linux/gunyah.h> against the binary ABI of the
 * Android Common Kernels android15-6.6 and android16-6.12 (uapi.md sections
 * 1 to 3): every ioctl number, structure size, field offset and value.
 * Nothing here generates code; a mismatch breaks the build.
 */

#include <linux/build_bug.h>
#include <linux/stddef.h>

#include <uapi/linux/gunyah.h>

/*
 * Inside the kernel _IOC_TYPECHECK() also names an extern for a size that
 * does not fit, which GCC folds away and clang does not: for clang an
 * ioctl number with a size is no integer constant expression, and no
 * static_assert() can read it. The size as it is, here only: the numbers
 * checked are those userspace computes.
 */
#undef _IOC_TYPECHECK
#define _IOC_TYPECHECK(t) (sizeof(t))

#define GUNYAH_CHECK_OFFSET(type, field, offset) \
	static_assert(offsetof(struct type, field) == (offset))

/* ioctl numbers (arm64) */
static_assert(GUNYAH_CREATE_VM == 0x00004700);
static_assert(GUNYAH_VM_SET_USER_MEM_REGION == 0x40204701);
static_assert(GUNYAH_VM_SET_DTB_CONFIG == 0x40104702);
static_assert(GUNYAH_VM_START == 0x00004703);
static_assert(GUNYAH_VM_ADD_FUNCTION == 0x40104704);
static_assert(GUNYAH_VCPU_RUN == 0x00004705);
static_assert(GUNYAH_VCPU_MMAP_SIZE == 0x00004706);
static_assert(GUNYAH_VM_REMOVE_FUNCTION == 0x40104707);
static_assert(GUNYAH_VM_SET_BOOT_CONTEXT == 0x4010470a);
static_assert(GUNYAH_VM_ANDROID_LEND_USER_MEM == 0x40204111);
static_assert(GUNYAH_VM_ANDROID_SET_FW_CONFIG == 0x40104112);
static_assert(GUNYAH_VM_RECLAIM_REGION == 0x40104113);
static_assert(GUNYAH_VM_CHECK_EXTENSION == 0x00004117);

/* The GH_ spellings give the same numbers */
static_assert(GH_CREATE_VM == GUNYAH_CREATE_VM);
static_assert(GH_VM_SET_USER_MEM_REGION == 0x40204701);
static_assert(GH_VM_ANDROID_LEND_USER_MEM == 0x40204111);
static_assert(GH_VM_ANDROID_SET_FW_CONFIG == 0x40104112);
static_assert(GH_VM_RECLAIM_REGION == 0x40104113);
static_assert(GH_VM_ADD_FUNCTION == 0x40104704);
static_assert(GH_VM_REMOVE_FUNCTION == 0x40104707);
static_assert(GH_VM_SET_BOOT_CONTEXT == 0x4010470a);
static_assert(sizeof(struct gh_userspace_memory_region) == 32);
static_assert(sizeof(struct gh_vcpu_run) == 40);

/* 2.1 userspace_memory_region */
static_assert(sizeof(struct gunyah_userspace_memory_region) == 32);
GUNYAH_CHECK_OFFSET(gunyah_userspace_memory_region, label, 0);
GUNYAH_CHECK_OFFSET(gunyah_userspace_memory_region, flags, 4);
GUNYAH_CHECK_OFFSET(gunyah_userspace_memory_region, guest_phys_addr, 8);
GUNYAH_CHECK_OFFSET(gunyah_userspace_memory_region, memory_size, 16);
GUNYAH_CHECK_OFFSET(gunyah_userspace_memory_region, userspace_addr, 24);
static_assert(GUNYAH_MEM_ALLOW_READ == 1);
static_assert(GUNYAH_MEM_ALLOW_WRITE == 2);
static_assert(GUNYAH_MEM_ALLOW_EXEC == 4);

/* 2.2 vm_dtb_config */
static_assert(sizeof(struct gunyah_vm_dtb_config) == 16);
GUNYAH_CHECK_OFFSET(gunyah_vm_dtb_config, guest_phys_addr, 0);
GUNYAH_CHECK_OFFSET(gunyah_vm_dtb_config, size, 8);

/* 2.3 vm_firmware_config */
static_assert(sizeof(struct gunyah_vm_firmware_config) == 16);
GUNYAH_CHECK_OFFSET(gunyah_vm_firmware_config, guest_phys_addr, 0);
GUNYAH_CHECK_OFFSET(gunyah_vm_firmware_config, size, 8);

/* 2.4 fn_desc and the function arguments */
static_assert(sizeof(struct gunyah_fn_desc) == 16);
GUNYAH_CHECK_OFFSET(gunyah_fn_desc, type, 0);
GUNYAH_CHECK_OFFSET(gunyah_fn_desc, arg_size, 4);
GUNYAH_CHECK_OFFSET(gunyah_fn_desc, arg, 8);
static_assert(GUNYAH_FN_VCPU == 1);
static_assert(GUNYAH_FN_IRQFD == 2);
static_assert(GUNYAH_FN_IOEVENTFD == 3);
static_assert(GUNYAH_FN_MAX_ARG_SIZE == 256);

static_assert(sizeof(struct gunyah_fn_vcpu_arg) == 4);
GUNYAH_CHECK_OFFSET(gunyah_fn_vcpu_arg, id, 0);

static_assert(sizeof(struct gunyah_fn_irqfd_arg) == 16);
GUNYAH_CHECK_OFFSET(gunyah_fn_irqfd_arg, fd, 0);
GUNYAH_CHECK_OFFSET(gunyah_fn_irqfd_arg, label, 4);
GUNYAH_CHECK_OFFSET(gunyah_fn_irqfd_arg, flags, 8);
GUNYAH_CHECK_OFFSET(gunyah_fn_irqfd_arg, padding, 12);
static_assert(GUNYAH_IRQFD_FLAGS_LEVEL == 1);

static_assert(sizeof(struct gunyah_fn_ioeventfd_arg) == 32);
GUNYAH_CHECK_OFFSET(gunyah_fn_ioeventfd_arg, datamatch, 0);
GUNYAH_CHECK_OFFSET(gunyah_fn_ioeventfd_arg, addr, 8);
GUNYAH_CHECK_OFFSET(gunyah_fn_ioeventfd_arg, len, 16);
GUNYAH_CHECK_OFFSET(gunyah_fn_ioeventfd_arg, fd, 20);
GUNYAH_CHECK_OFFSET(gunyah_fn_ioeventfd_arg, flags, 24);
GUNYAH_CHECK_OFFSET(gunyah_fn_ioeventfd_arg, padding, 28);
static_assert(GUNYAH_IOEVENTFD_FLAGS_DATAMATCH == 1);

/* 2.5 vm_boot_context */
static_assert(sizeof(struct gunyah_vm_boot_context) == 16);
GUNYAH_CHECK_OFFSET(gunyah_vm_boot_context, reg, 0);
GUNYAH_CHECK_OFFSET(gunyah_vm_boot_context, reserved, 4);
GUNYAH_CHECK_OFFSET(gunyah_vm_boot_context, value, 8);
static_assert(GUNYAH_VM_BOOT_CONTEXT_REG_SET_X == 0);
static_assert(GUNYAH_VM_BOOT_CONTEXT_REG_SET_PC == 1);
static_assert(GUNYAH_VM_BOOT_CONTEXT_REG_SET_SP == 2);
static_assert(GUNYAH_VM_BOOT_CONTEXT_REG(GUNYAH_VM_BOOT_CONTEXT_REG_SET_SP, 1) ==
	      0x201);

/* 2.6 address_range */
static_assert(sizeof(struct gunyah_address_range) == 16);
GUNYAH_CHECK_OFFSET(gunyah_address_range, gpa, 0);
GUNYAH_CHECK_OFFSET(gunyah_address_range, size, 8);

/* 2.8 vm_exit_info */
static_assert(sizeof(struct gunyah_vm_exit_info) == 16);
GUNYAH_CHECK_OFFSET(gunyah_vm_exit_info, type, 0);
GUNYAH_CHECK_OFFSET(gunyah_vm_exit_info, padding, 2);
GUNYAH_CHECK_OFFSET(gunyah_vm_exit_info, reason_size, 4);
GUNYAH_CHECK_OFFSET(gunyah_vm_exit_info, reason, 8);
static_assert(GUNYAH_VM_EXIT_TYPE_VM_EXIT == 0);
static_assert(GUNYAH_VM_EXIT_TYPE_PSCI_POWER_OFF == 1);
static_assert(GUNYAH_VM_EXIT_TYPE_PSCI_SYSTEM_RESET == 2);
static_assert(GUNYAH_VM_EXIT_TYPE_PSCI_SYSTEM_RESET2 == 3);
static_assert(GUNYAH_VM_EXIT_TYPE_WDT_BITE == 4);
static_assert(GUNYAH_VM_EXIT_TYPE_HYP_ERROR == 5);
static_assert(GUNYAH_VM_EXIT_TYPE_ASYNC_EXT_ABORT == 6);
static_assert(GUNYAH_VM_EXIT_TYPE_VM_FORCE_STOPPED == 7);

/* 3 vcpu_run */
static_assert(sizeof(struct gunyah_vcpu_run) == 40);
GUNYAH_CHECK_OFFSET(gunyah_vcpu_run, immediate_exit, 0);
GUNYAH_CHECK_OFFSET(gunyah_vcpu_run, padding, 1);
GUNYAH_CHECK_OFFSET(gunyah_vcpu_run, exit_reason, 8);
GUNYAH_CHECK_OFFSET(gunyah_vcpu_run, mmio.phys_addr, 16);
GUNYAH_CHECK_OFFSET(gunyah_vcpu_run, mmio.data, 24);
GUNYAH_CHECK_OFFSET(gunyah_vcpu_run, mmio.len, 32);
GUNYAH_CHECK_OFFSET(gunyah_vcpu_run, mmio.is_write, 36);
GUNYAH_CHECK_OFFSET(gunyah_vcpu_run, mmio.resume_action, 37);
GUNYAH_CHECK_OFFSET(gunyah_vcpu_run, status.status, 16);
GUNYAH_CHECK_OFFSET(gunyah_vcpu_run, status.exit_info, 20);
GUNYAH_CHECK_OFFSET(gunyah_vcpu_run, page_fault.phys_addr, 16);
GUNYAH_CHECK_OFFSET(gunyah_vcpu_run, page_fault.attempt, 24);
GUNYAH_CHECK_OFFSET(gunyah_vcpu_run, page_fault.resume_action, 28);
static_assert(GUNYAH_VCPU_EXIT_UNKNOWN == 0);
static_assert(GUNYAH_VCPU_EXIT_MMIO == 1);
static_assert(GUNYAH_VCPU_EXIT_STATUS == 2);
static_assert(GUNYAH_VCPU_EXIT_PAGE_FAULT == 3);
static_assert(GUNYAH_VCPU_RESUME_HANDLED == 0);
static_assert(GUNYAH_VCPU_RESUME_FAULT == 1);
static_assert(GUNYAH_VCPU_RESUME_RETRY == 2);
static_assert(GUNYAH_VM_STATUS_LOAD_FAILED == 1);
static_assert(GUNYAH_VM_STATUS_EXITED == 2);
static_assert(GUNYAH_VM_STATUS_CRASHED == 3);
