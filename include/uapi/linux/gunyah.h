/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * Userspace interface of the Gunyah VM manager: /dev/gunyah, VM and vCPU
 * file descriptors.
 *
 * The ABI is binary compatible with the Android Common Kernels
 * android15-6.6 and android16-6.12: ioctl numbers, structure layouts, flag
 * values and the mmap'd vCPU run page are the same. Every name exists with
 * a GUNYAH_ prefix; the GH_ spellings of earlier versions of this header
 * are provided at the end for source compatibility.
 *
 * Not provided: 'A' 0x15 (MAP_CMA_MEM) and 'A' 0x16 (SET_AUTH_TYPE), which
 * need Qualcomm's trusted-VM firmware, and the guest_memfd ioctls of the
 * v17 series ('G' 0x8, 'G' 0x9), whose memory flags differ from the ones
 * below. These numbers stay reserved; 'G' 0x14 and 0x15 are used by another
 * driver and are never assigned to a Gunyah file descriptor.
 */

#ifndef _UAPI_LINUX_GUNYAH_H
#define _UAPI_LINUX_GUNYAH_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define GUNYAH_IOCTL_TYPE		'G'
#define GUNYAH_ANDROID_IOCTL_TYPE	'A'

/*
 * ioctls on /dev/gunyah
 */

/*
 * GUNYAH_CREATE_VM - Create a VM. The argument is reserved and must be 0.
 * Returns the file descriptor of the new VM.
 */
#define GUNYAH_CREATE_VM		_IO(GUNYAH_IOCTL_TYPE, 0x0)

/*
 * ioctls on a VM file descriptor
 */

/* Access rights of a memory region, &gunyah_userspace_memory_region.flags */
#define GUNYAH_MEM_ALLOW_READ		(1U << 0)
#define GUNYAH_MEM_ALLOW_WRITE		(1U << 1)
#define GUNYAH_MEM_ALLOW_EXEC		(1U << 2)
#define GUNYAH_MEM_ALLOW_RWX		(GUNYAH_MEM_ALLOW_READ | \
					 GUNYAH_MEM_ALLOW_WRITE | \
					 GUNYAH_MEM_ALLOW_EXEC)

/**
 * struct gunyah_userspace_memory_region - Memory given to a VM
 * @label: identifies the region towards the VM; unique within the VM
 * @flags: access rights of the VM: GUNYAH_MEM_ALLOW_READ, _WRITE, _EXEC
 * @guest_phys_addr: where the VM sees the region; page aligned
 * @memory_size: size in bytes; page aligned, not 0
 * @userspace_addr: the memory, in the caller's address space; page aligned
 *
 * The argument of GUNYAH_VM_SET_USER_MEM_REGION (the memory is shared: the
 * caller keeps access) and of GUNYAH_VM_ANDROID_LEND_USER_MEM (the memory
 * is lent: the caller loses access while the VM has it). Regions must not
 * overlap in the VM's address space and cannot be removed.
 */
struct gunyah_userspace_memory_region {
	__u32 label;
	__u32 flags;
	__u64 guest_phys_addr;
	__u64 memory_size;
	__u64 userspace_addr;
};

#define GUNYAH_VM_SET_USER_MEM_REGION	_IOW(GUNYAH_IOCTL_TYPE, 0x1, \
					     struct gunyah_userspace_memory_region)

/**
 * struct gunyah_vm_dtb_config - Where the VM's devicetree is
 * @guest_phys_addr: start of the devicetree in the VM's address space; it
 *	must lie inside one memory region
 * @size: bytes reserved for it, including room for the overlay the
 *	Resource Manager adds (a page is typically plenty)
 */
struct gunyah_vm_dtb_config {
	__u64 guest_phys_addr;
	__u64 size;
};

#define GUNYAH_VM_SET_DTB_CONFIG	_IOW(GUNYAH_IOCTL_TYPE, 0x2, \
					     struct gunyah_vm_dtb_config)

/* GUNYAH_VM_START - Give the memory to the VM and start it. */
#define GUNYAH_VM_START			_IO(GUNYAH_IOCTL_TYPE, 0x3)

/**
 * enum gunyah_fn_type - Types of VM functions
 * @GUNYAH_FN_VCPU: a vCPU; &struct gunyah_fn_vcpu_arg. Adding one returns
 *	the vCPU's file descriptor.
 * @GUNYAH_FN_IRQFD: an eventfd that raises a doorbell of the VM;
 *	&struct gunyah_fn_irqfd_arg
 * @GUNYAH_FN_IOEVENTFD: an eventfd signalled by writes of the VM to an
 *	address; &struct gunyah_fn_ioeventfd_arg
 */
enum gunyah_fn_type {
	GUNYAH_FN_VCPU = 1,
	GUNYAH_FN_IRQFD,
	GUNYAH_FN_IOEVENTFD,
};

/* Largest argument of a VM function, &gunyah_fn_desc.arg_size */
#define GUNYAH_FN_MAX_ARG_SIZE		256

/**
 * struct gunyah_fn_vcpu_arg - Argument of a vCPU function
 * @id: index of the vCPU
 */
struct gunyah_fn_vcpu_arg {
	__u32 id;
};

/* &gunyah_fn_irqfd_arg.flags: the doorbell is level triggered */
#define GUNYAH_IRQFD_FLAGS_LEVEL	(1U << 0)

/**
 * struct gunyah_fn_irqfd_arg - Argument of an irqfd function
 * @fd: the eventfd
 * @label: label of the doorbell in the VM's configuration
 * @flags: GUNYAH_IRQFD_FLAGS_LEVEL
 * @padding: zero
 */
struct gunyah_fn_irqfd_arg {
	__u32 fd;
	__u32 label;
	__u32 flags;
	__u32 padding;
};

/* &gunyah_fn_ioeventfd_arg.flags: signal only writes of @datamatch */
#define GUNYAH_IOEVENTFD_FLAGS_DATAMATCH	(1U << 0)

/**
 * struct gunyah_fn_ioeventfd_arg - Argument of an ioeventfd function
 * @datamatch: the value to match, with GUNYAH_IOEVENTFD_FLAGS_DATAMATCH
 * @addr: guest physical address of the register
 * @len: access size: 1, 2, 4 or 8, or 0 for any
 * @fd: the eventfd
 * @flags: GUNYAH_IOEVENTFD_FLAGS_DATAMATCH
 * @padding: zero
 */
struct gunyah_fn_ioeventfd_arg {
	__u64 datamatch;
	__u64 addr;
	__u32 len;
	__s32 fd;
	__u32 flags;
	__u32 padding;
};

/**
 * struct gunyah_fn_desc - A VM function to add or remove
 * @type: &enum gunyah_fn_type
 * @arg_size: size of the argument, at most GUNYAH_FN_MAX_ARG_SIZE
 * @arg: pointer to the argument
 */
struct gunyah_fn_desc {
	__u32 type;
	__u32 arg_size;
	__u64 arg;
};

#define GUNYAH_VM_ADD_FUNCTION		_IOW(GUNYAH_IOCTL_TYPE, 0x4, \
					     struct gunyah_fn_desc)
#define GUNYAH_VM_REMOVE_FUNCTION	_IOW(GUNYAH_IOCTL_TYPE, 0x7, \
					     struct gunyah_fn_desc)

/**
 * enum gunyah_vm_boot_context_reg - Register sets of the boot context
 * @GUNYAH_VM_BOOT_CONTEXT_REG_SET_X: general-purpose registers Xn (index 0
 *	to 31)
 * @GUNYAH_VM_BOOT_CONTEXT_REG_SET_PC: the program counter (index 0)
 * @GUNYAH_VM_BOOT_CONTEXT_REG_SET_SP: stack pointers (index 0 to 2)
 */
enum gunyah_vm_boot_context_reg {
	GUNYAH_VM_BOOT_CONTEXT_REG_SET_X = 0,
	GUNYAH_VM_BOOT_CONTEXT_REG_SET_PC = 1,
	GUNYAH_VM_BOOT_CONTEXT_REG_SET_SP = 2,
};

#define GUNYAH_VM_BOOT_CONTEXT_REG_SHIFT	8
/* &gunyah_vm_boot_context.reg of register @idx of register set @set */
#define GUNYAH_VM_BOOT_CONTEXT_REG(set, idx)	\
	((((set) & 0xff) << GUNYAH_VM_BOOT_CONTEXT_REG_SHIFT) | ((idx) & 0xff))

/**
 * struct gunyah_vm_boot_context - Initial value of a register of the boot
 *	vCPU
 * @reg: GUNYAH_VM_BOOT_CONTEXT_REG(set, index)
 * @reserved: zero
 * @value: the value
 */
struct gunyah_vm_boot_context {
	__u32 reg;
	__u32 reserved;
	__u64 value;
};

#define GUNYAH_VM_SET_BOOT_CONTEXT	_IOW(GUNYAH_IOCTL_TYPE, 0xa, \
					     struct gunyah_vm_boot_context)

/*
 * Android ioctls on a VM file descriptor
 */

/* Argument: &struct gunyah_userspace_memory_region */
#define GUNYAH_VM_ANDROID_LEND_USER_MEM	_IOW(GUNYAH_ANDROID_IOCTL_TYPE, 0x11, \
					     struct gunyah_userspace_memory_region)

/**
 * struct gunyah_vm_firmware_config - Where a protected VM's firmware is
 * @guest_phys_addr: start of the firmware in the VM's address space; it
 *	must lie inside one memory region
 * @size: size of the firmware
 */
struct gunyah_vm_firmware_config {
	__u64 guest_phys_addr;
	__u64 size;
};

#define GUNYAH_VM_ANDROID_SET_FW_CONFIG	_IOW(GUNYAH_ANDROID_IOCTL_TYPE, 0x12, \
					     struct gunyah_vm_firmware_config)

/**
 * struct gunyah_address_range - A range of the VM's address space
 * @gpa: start; page aligned
 * @size: size in bytes; page aligned, not 0
 */
struct gunyah_address_range {
	__u64 gpa;
	__u64 size;
};

/* Take memory of a range back from the VM */
#define GUNYAH_VM_RECLAIM_REGION	_IOW(GUNYAH_ANDROID_IOCTL_TYPE, 0x13, \
					     struct gunyah_address_range)

/*
 * GUNYAH_VM_CHECK_EXTENSION - Whether a capability is supported. The
 * argument is the capability number, passed by value. Returns a positive
 * value if it is supported, 0 if not or if the number is unknown.
 */
#define GUNYAH_VM_CHECK_EXTENSION	_IO(GUNYAH_ANDROID_IOCTL_TYPE, 0x17)

/* Capabilities of GUNYAH_VM_CHECK_EXTENSION */
#define GUNYAH_CAP_VCPU_TIMER_WAKEUP	0

/*
 * ioctls on a vCPU file descriptor
 */

/* GUNYAH_VCPU_RUN - Run the vCPU until an exit; see &struct gunyah_vcpu_run. */
#define GUNYAH_VCPU_RUN			_IO(GUNYAH_IOCTL_TYPE, 0x5)
/* GUNYAH_VCPU_MMAP_SIZE - Returns the size of the vCPU's run page. */
#define GUNYAH_VCPU_MMAP_SIZE		_IO(GUNYAH_IOCTL_TYPE, 0x6)

/**
 * enum gunyah_vm_status - Why a VM stopped, &gunyah_vcpu_run.status.status
 * @GUNYAH_VM_STATUS_LOAD_FAILED: the VM failed to start
 * @GUNYAH_VM_STATUS_EXITED: the VM exited
 * @GUNYAH_VM_STATUS_CRASHED: the VM crashed
 */
enum gunyah_vm_status {
	GUNYAH_VM_STATUS_LOAD_FAILED = 1,
	GUNYAH_VM_STATUS_EXITED = 2,
	GUNYAH_VM_STATUS_CRASHED = 3,
};

/**
 * enum gunyah_vm_exit_type - Exit types, &gunyah_vm_exit_info.type
 * @GUNYAH_VM_EXIT_TYPE_VM_EXIT: the VM asked the Resource Manager to exit
 * @GUNYAH_VM_EXIT_TYPE_PSCI_POWER_OFF: PSCI SYSTEM_OFF
 * @GUNYAH_VM_EXIT_TYPE_PSCI_SYSTEM_RESET: PSCI SYSTEM_RESET
 * @GUNYAH_VM_EXIT_TYPE_PSCI_SYSTEM_RESET2: PSCI SYSTEM_RESET2
 * @GUNYAH_VM_EXIT_TYPE_WDT_BITE: the VM's watchdog fired
 * @GUNYAH_VM_EXIT_TYPE_HYP_ERROR: a software error
 * @GUNYAH_VM_EXIT_TYPE_ASYNC_EXT_ABORT: an asynchronous hardware error
 * @GUNYAH_VM_EXIT_TYPE_VM_FORCE_STOPPED: the VM was stopped by force
 */
enum gunyah_vm_exit_type {
	GUNYAH_VM_EXIT_TYPE_VM_EXIT = 0,
	GUNYAH_VM_EXIT_TYPE_PSCI_POWER_OFF = 1,
	GUNYAH_VM_EXIT_TYPE_PSCI_SYSTEM_RESET = 2,
	GUNYAH_VM_EXIT_TYPE_PSCI_SYSTEM_RESET2 = 3,
	GUNYAH_VM_EXIT_TYPE_WDT_BITE = 4,
	GUNYAH_VM_EXIT_TYPE_HYP_ERROR = 5,
	GUNYAH_VM_EXIT_TYPE_ASYNC_EXT_ABORT = 6,
	GUNYAH_VM_EXIT_TYPE_VM_FORCE_STOPPED = 7,
};

#define GUNYAH_VM_MAX_EXIT_REASON_SIZE	8U

/**
 * struct gunyah_vm_exit_info - How a VM exited
 * @type: &enum gunyah_vm_exit_type
 * @padding: zero
 * @reason_size: number of valid bytes in @reason
 * @reason: the start of the exit reason the Resource Manager reported
 */
struct gunyah_vm_exit_info {
	__u16 type;
	__u16 padding;
	__u32 reason_size;
	__u8 reason[GUNYAH_VM_MAX_EXIT_REASON_SIZE];
};

/**
 * enum gunyah_vcpu_exit - Exit reasons, &gunyah_vcpu_run.exit_reason
 * @GUNYAH_VCPU_EXIT_UNKNOWN: none of the below
 * @GUNYAH_VCPU_EXIT_MMIO: an access to an address without memory;
 *	&gunyah_vcpu_run.mmio
 * @GUNYAH_VCPU_EXIT_STATUS: the VM stopped; &gunyah_vcpu_run.status
 * @GUNYAH_VCPU_EXIT_PAGE_FAULT: a fault the kernel could not resolve;
 *	&gunyah_vcpu_run.page_fault
 */
enum gunyah_vcpu_exit {
	GUNYAH_VCPU_EXIT_UNKNOWN,
	GUNYAH_VCPU_EXIT_MMIO,
	GUNYAH_VCPU_EXIT_STATUS,
	GUNYAH_VCPU_EXIT_PAGE_FAULT,
};

/**
 * enum gunyah_vcpu_resume_action - How to continue after an exit, set by
 *	userspace before the next GUNYAH_VCPU_RUN
 * @GUNYAH_VCPU_RESUME_HANDLED: the access was emulated (the default, which
 *	the kernel writes at every exit)
 * @GUNYAH_VCPU_RESUME_FAULT: the access faults in the VM
 * @GUNYAH_VCPU_RESUME_RETRY: the access is retried, e.g. after memory was
 *	added
 */
enum gunyah_vcpu_resume_action {
	GUNYAH_VCPU_RESUME_HANDLED = 0,
	GUNYAH_VCPU_RESUME_FAULT,
	GUNYAH_VCPU_RESUME_RETRY,
};

/**
 * struct gunyah_vcpu_run - The vCPU's run page, mmap'd at offset 0 of the
 *	vCPU file descriptor
 * @immediate_exit: in: when set, GUNYAH_VCPU_RUN returns -EINTR at once
 * @padding: zero
 * @exit_reason: out: &enum gunyah_vcpu_exit; selects the member of the
 *	union below
 * @mmio: GUNYAH_VCPU_EXIT_MMIO
 * @mmio.phys_addr: out: guest physical address of the access
 * @mmio.data: out: the data of a write; in: the data a read returns
 * @mmio.len: out: access size in bytes, at most 8
 * @mmio.is_write: out: 1 for a write, 0 for a read
 * @mmio.resume_action: in: &enum gunyah_vcpu_resume_action
 * @status: GUNYAH_VCPU_EXIT_STATUS
 * @status.status: out: &enum gunyah_vm_status
 * @status.exit_info: out: how the VM exited
 * @page_fault: GUNYAH_VCPU_EXIT_PAGE_FAULT
 * @page_fault.phys_addr: out: guest physical address of the fault
 * @page_fault.attempt: out: negative errno of the kernel's attempt to
 *	resolve the fault
 * @page_fault.resume_action: in: &enum gunyah_vcpu_resume_action
 */
struct gunyah_vcpu_run {
	/* in */
	__u8 immediate_exit;
	__u8 padding[7];

	/* out */
	__u32 exit_reason;

	union {
		struct {
			__u64 phys_addr;
			__u8 data[8];
			__u32 len;
			__u8 is_write;
			__u8 resume_action;
		} mmio;

		struct {
			__u32 status;
			struct gunyah_vm_exit_info exit_info;
		} status;

		struct {
			__u64 phys_addr;
			__s32 attempt;
			__u8 resume_action;
		} page_fault;
	};
};

/*
 * GH_ spellings of earlier versions of this interface
 */
#define GH_IOCTL_TYPE			GUNYAH_IOCTL_TYPE
#define GH_ANDROID_IOCTL_TYPE		GUNYAH_ANDROID_IOCTL_TYPE
#define GH_CREATE_VM			GUNYAH_CREATE_VM
#define GH_VM_SET_USER_MEM_REGION	GUNYAH_VM_SET_USER_MEM_REGION
#define GH_VM_SET_DTB_CONFIG		GUNYAH_VM_SET_DTB_CONFIG
#define GH_VM_START			GUNYAH_VM_START
#define GH_VM_ADD_FUNCTION		GUNYAH_VM_ADD_FUNCTION
#define GH_VCPU_RUN			GUNYAH_VCPU_RUN
#define GH_VCPU_MMAP_SIZE		GUNYAH_VCPU_MMAP_SIZE
#define GH_VM_REMOVE_FUNCTION		GUNYAH_VM_REMOVE_FUNCTION
#define GH_VM_SET_BOOT_CONTEXT		GUNYAH_VM_SET_BOOT_CONTEXT
#define GH_VM_ANDROID_LEND_USER_MEM	GUNYAH_VM_ANDROID_LEND_USER_MEM
#define GH_VM_ANDROID_SET_FW_CONFIG	GUNYAH_VM_ANDROID_SET_FW_CONFIG
#define GH_VM_RECLAIM_REGION		GUNYAH_VM_RECLAIM_REGION
#define GH_VM_CHECK_EXTENSION		GUNYAH_VM_CHECK_EXTENSION

#define GH_MEM_ALLOW_READ		GUNYAH_MEM_ALLOW_READ
#define GH_MEM_ALLOW_WRITE		GUNYAH_MEM_ALLOW_WRITE
#define GH_MEM_ALLOW_EXEC		GUNYAH_MEM_ALLOW_EXEC
#define GH_FN_VCPU			GUNYAH_FN_VCPU
#define GH_FN_IRQFD			GUNYAH_FN_IRQFD
#define GH_FN_IOEVENTFD			GUNYAH_FN_IOEVENTFD
#define GH_FN_MAX_ARG_SIZE		GUNYAH_FN_MAX_ARG_SIZE
#define GH_IRQFD_LEVEL			GUNYAH_IRQFD_FLAGS_LEVEL
#define GH_IOEVENTFD_DATAMATCH		GUNYAH_IOEVENTFD_FLAGS_DATAMATCH
#define GH_VM_STATUS_LOAD_FAILED	GUNYAH_VM_STATUS_LOAD_FAILED
#define GH_VM_STATUS_EXITED		GUNYAH_VM_STATUS_EXITED
#define GH_VM_STATUS_CRASHED		GUNYAH_VM_STATUS_CRASHED
#define GH_VM_MAX_EXIT_REASON_SIZE	GUNYAH_VM_MAX_EXIT_REASON_SIZE
#define GH_VCPU_EXIT_UNKNOWN		GUNYAH_VCPU_EXIT_UNKNOWN
#define GH_VCPU_EXIT_MMIO		GUNYAH_VCPU_EXIT_MMIO
#define GH_VCPU_EXIT_STATUS		GUNYAH_VCPU_EXIT_STATUS
#define GH_VCPU_EXIT_PAGE_FAULT		GUNYAH_VCPU_EXIT_PAGE_FAULT

#define gh_userspace_memory_region	gunyah_userspace_memory_region
#define gh_vm_dtb_config		gunyah_vm_dtb_config
#define gh_vm_firmware_config		gunyah_vm_firmware_config
#define gh_fn_desc			gunyah_fn_desc
#define gh_fn_vcpu_arg			gunyah_fn_vcpu_arg
#define gh_fn_irqfd_arg			gunyah_fn_irqfd_arg
#define gh_fn_ioeventfd_arg		gunyah_fn_ioeventfd_arg
#define gh_vm_exit_info			gunyah_vm_exit_info
#define gh_vcpu_run			gunyah_vcpu_run

#endif /* _UAPI_LINUX_GUNYAH_H */
