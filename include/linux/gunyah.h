/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Gunyah hypervisor: hypercall interface shared by the Gunyah drivers.
 *
 * The numbers in this file are the hypervisor's ABI (see abi.md, section 1).
 */

#ifndef _LINUX_GUNYAH_H
#define _LINUX_GUNYAH_H

#include <linux/arm-smccc.h>
#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/list.h>
#include <linux/types.h>

/**
 * enum gunyah_error - Error codes returned by Gunyah hypercalls in x0
 * @GUNYAH_ERROR_OK: success
 * @GUNYAH_ERROR_UNIMPLEMENTED: unknown or unimplemented hypercall
 * @GUNYAH_ERROR_RETRY: transient condition, try again
 * @GUNYAH_ERROR_ARG_INVAL: invalid argument
 * @GUNYAH_ERROR_ARG_SIZE: invalid size argument
 * @GUNYAH_ERROR_ARG_ALIGN: misaligned argument
 * @GUNYAH_ERROR_NOMEM: out of memory
 * @GUNYAH_ERROR_NORESOURCES: out of some other resource
 * @GUNYAH_ERROR_ADDR_OVFL: address overflow
 * @GUNYAH_ERROR_ADDR_UNFL: address underflow
 * @GUNYAH_ERROR_ADDR_INVAL: invalid address
 * @GUNYAH_ERROR_DENIED: operation not permitted
 * @GUNYAH_ERROR_BUSY: object busy
 * @GUNYAH_ERROR_IDLE: object idle
 * @GUNYAH_ERROR_OBJECT_STATE: object in the wrong state
 * @GUNYAH_ERROR_OBJECT_CONFIG: invalid object configuration
 * @GUNYAH_ERROR_OBJECT_CONFIGURED: object already configured
 * @GUNYAH_ERROR_FAILURE: unspecified failure
 * @GUNYAH_ERROR_VIRQ_BOUND: virtual IRQ already bound
 * @GUNYAH_ERROR_VIRQ_NOT_BOUND: virtual IRQ not bound
 * @GUNYAH_ERROR_CSPACE_CAP_NULL: null capability
 * @GUNYAH_ERROR_CSPACE_CAP_REVOKED: revoked capability
 * @GUNYAH_ERROR_CSPACE_WRONG_OBJ_TYPE: capability names an object of
 *	another type
 * @GUNYAH_ERROR_CSPACE_INSUF_RIGHTS: capability lacks the needed rights
 * @GUNYAH_ERROR_CSPACE_FULL: capability space full
 * @GUNYAH_ERROR_MSGQUEUE_EMPTY: message queue empty
 * @GUNYAH_ERROR_MSGQUEUE_FULL: message queue full
 * @GUNYAH_ERROR_STRING_TRUNCATED: string truncated (hypervisor-internal)
 * @GUNYAH_ERROR_STRING_REACHED_END: end of string reached
 *	(hypervisor-internal)
 * @GUNYAH_ERROR_STRING_INVALID_FORMAT: invalid format string
 *	(hypervisor-internal)
 * @GUNYAH_ERROR_STRING_MISSING_PLACEHOLDER: format placeholder missing
 *	(hypervisor-internal)
 * @GUNYAH_ERROR_STRING_MISSING_ARGUMENT: format argument missing
 *	(hypervisor-internal)
 * @GUNYAH_ERROR_ALLOCATOR_RANGE_OVERLAPPING: allocator ranges overlap
 * @GUNYAH_ERROR_ALLOCATOR_MEM_INUSE: allocator memory in use
 * @GUNYAH_ERROR_MEMDB_EMPTY: memory database entry empty
 * @GUNYAH_ERROR_MEMDB_NOT_OWNER: memory not owned by the caller
 * @GUNYAH_ERROR_MEMEXTENT_MAPPINGS_FULL: memory extent has no free mapping
 * @GUNYAH_ERROR_MEMEXTENT_TYPE: wrong memory extent type
 * @GUNYAH_ERROR_EXISTING_MAPPING: a mapping already exists
 */
enum gunyah_error {
	GUNYAH_ERROR_OK				= 0,
	GUNYAH_ERROR_UNIMPLEMENTED		= -1,
	GUNYAH_ERROR_RETRY			= -2,

	GUNYAH_ERROR_ARG_INVAL			= 1,
	GUNYAH_ERROR_ARG_SIZE			= 2,
	GUNYAH_ERROR_ARG_ALIGN			= 3,

	GUNYAH_ERROR_NOMEM			= 10,
	GUNYAH_ERROR_NORESOURCES		= 11,

	GUNYAH_ERROR_ADDR_OVFL			= 20,
	GUNYAH_ERROR_ADDR_UNFL			= 21,
	GUNYAH_ERROR_ADDR_INVAL			= 22,

	GUNYAH_ERROR_DENIED			= 30,
	GUNYAH_ERROR_BUSY			= 31,
	GUNYAH_ERROR_IDLE			= 32,
	GUNYAH_ERROR_OBJECT_STATE		= 33,
	GUNYAH_ERROR_OBJECT_CONFIG		= 34,
	GUNYAH_ERROR_OBJECT_CONFIGURED		= 35,
	GUNYAH_ERROR_FAILURE			= 36,

	GUNYAH_ERROR_VIRQ_BOUND			= 40,
	GUNYAH_ERROR_VIRQ_NOT_BOUND		= 41,

	GUNYAH_ERROR_CSPACE_CAP_NULL		= 50,
	GUNYAH_ERROR_CSPACE_CAP_REVOKED		= 51,
	GUNYAH_ERROR_CSPACE_WRONG_OBJ_TYPE	= 52,
	GUNYAH_ERROR_CSPACE_INSUF_RIGHTS	= 53,
	GUNYAH_ERROR_CSPACE_FULL		= 54,

	GUNYAH_ERROR_MSGQUEUE_EMPTY		= 60,
	GUNYAH_ERROR_MSGQUEUE_FULL		= 61,

	GUNYAH_ERROR_STRING_TRUNCATED		= 90,
	GUNYAH_ERROR_STRING_REACHED_END		= 91,
	GUNYAH_ERROR_STRING_INVALID_FORMAT	= 92,
	GUNYAH_ERROR_STRING_MISSING_PLACEHOLDER	= 93,
	GUNYAH_ERROR_STRING_MISSING_ARGUMENT	= 94,

	GUNYAH_ERROR_ALLOCATOR_RANGE_OVERLAPPING = 100,
	GUNYAH_ERROR_ALLOCATOR_MEM_INUSE	= 101,

	GUNYAH_ERROR_MEMDB_EMPTY		= 110,
	GUNYAH_ERROR_MEMDB_NOT_OWNER		= 111,

	GUNYAH_ERROR_MEMEXTENT_MAPPINGS_FULL	= 120,
	GUNYAH_ERROR_MEMEXTENT_TYPE		= 121,

	GUNYAH_ERROR_EXISTING_MAPPING		= 200,
};

/**
 * gunyah_error_remap() - Convert a Gunyah hypercall error to an errno
 * @gunyah_error: the error code returned by the hypervisor
 *
 * Return: 0 for %GUNYAH_ERROR_OK, otherwise a negative errno: -ENOMEM,
 * -EACCES (denied and the capability errors), -EBUSY, -EIO (virtual IRQ
 * binding and message queue state), -EOPNOTSUPP, -EAGAIN, and -EINVAL for
 * every other value, including values this header does not know.
 */
static inline int gunyah_error_remap(enum gunyah_error gunyah_error)
{
	switch (gunyah_error) {
	case GUNYAH_ERROR_OK:
		return 0;
	case GUNYAH_ERROR_NOMEM:
		return -ENOMEM;
	case GUNYAH_ERROR_DENIED:
	case GUNYAH_ERROR_CSPACE_CAP_NULL:
	case GUNYAH_ERROR_CSPACE_CAP_REVOKED:
	case GUNYAH_ERROR_CSPACE_WRONG_OBJ_TYPE:
	case GUNYAH_ERROR_CSPACE_INSUF_RIGHTS:
		return -EACCES;
	case GUNYAH_ERROR_CSPACE_FULL:
	case GUNYAH_ERROR_BUSY:
	case GUNYAH_ERROR_IDLE:
		return -EBUSY;
	case GUNYAH_ERROR_VIRQ_BOUND:
	case GUNYAH_ERROR_VIRQ_NOT_BOUND:
	case GUNYAH_ERROR_MSGQUEUE_FULL:
	case GUNYAH_ERROR_MSGQUEUE_EMPTY:
		return -EIO;
	case GUNYAH_ERROR_UNIMPLEMENTED:
		return -EOPNOTSUPP;
	case GUNYAH_ERROR_RETRY:
		return -EAGAIN;
	default:
		return -EINVAL;
	}
}

/**
 * struct gunyah_hypercall_hyp_identify_resp - Result of hypervisor_identify
 * @api_info: x0, the hyp_api_info word (see the GUNYAH_API_INFO_* masks)
 * @flags: x1..x3, api_flags_0..api_flags_2; the bits of @flags[0] are
 *	named by &enum gunyah_api_feature
 */
struct gunyah_hypercall_hyp_identify_resp {
	u64 api_info;
	u64 flags[3];
};

#define GUNYAH_API_INFO_API_VERSION_MASK	GENMASK_ULL(13, 0)
#define GUNYAH_API_INFO_BIG_ENDIAN		BIT_ULL(14)
#define GUNYAH_API_INFO_IS_64BIT		BIT_ULL(15)
#define GUNYAH_API_INFO_VARIANT_MASK		GENMASK_ULL(63, 56)

/* The only API version this interface knows. */
#define GUNYAH_API_V1				1

/* hyp_api_info variants */
#define GUNYAH_API_VARIANT_GUNYAH		0x48	/* 'H' */
#define GUNYAH_API_VARIANT_QUALCOMM		0x51	/* 'Q' */

/**
 * enum gunyah_api_feature - Feature bits of api_flags_0
 * @GUNYAH_FEATURE_PARTITION_CSPACE: partition and cspace APIs
 * @GUNYAH_FEATURE_DOORBELL: doorbells
 * @GUNYAH_FEATURE_MSGQUEUE: message queues
 * @GUNYAH_FEATURE_VIC: virtual interrupt controller and virtual IRQs
 * @GUNYAH_FEATURE_VPM: virtual power-management groups
 * @GUNYAH_FEATURE_VCPU: vCPUs
 * @GUNYAH_FEATURE_MEMEXTENT: memory extents
 * @GUNYAH_FEATURE_TRACE_CTRL: trace control
 * @GUNYAH_FEATURE_WATCHDOG: watchdog
 * @GUNYAH_FEATURE_VIRTIO_MMIO: virtio-mmio backends
 * @GUNYAH_FEATURE_PRNG: pseudo-random number generator
 * @GUNYAH_FEATURE_VCPU_RUN: vcpu_run (proxy scheduling)
 */
enum gunyah_api_feature {
	GUNYAH_FEATURE_PARTITION_CSPACE	= 0,
	GUNYAH_FEATURE_DOORBELL		= 1,
	GUNYAH_FEATURE_MSGQUEUE		= 2,
	GUNYAH_FEATURE_VIC		= 3,
	GUNYAH_FEATURE_VPM		= 4,
	GUNYAH_FEATURE_VCPU		= 5,
	GUNYAH_FEATURE_MEMEXTENT	= 6,
	GUNYAH_FEATURE_TRACE_CTRL	= 7,
	GUNYAH_FEATURE_WATCHDOG		= 8,
	GUNYAH_FEATURE_VIRTIO_MMIO	= 9,
	GUNYAH_FEATURE_PRNG		= 10,
	GUNYAH_FEATURE_VCPU_RUN		= 11,
};

/* Scheduler variant, bits 31:28 of api_flags_0 */
#define GUNYAH_API_FLAGS0_SCHEDULER_MASK	GENMASK_ULL(31, 28)

/**
 * enum gunyah_api_scheduler - Scheduler variants of api_flags_0
 * @GUNYAH_SCHEDULER_TRIVIAL: trivial scheduler
 * @GUNYAH_SCHEDULER_FPRR: fixed-priority round-robin scheduler
 */
enum gunyah_api_scheduler {
	GUNYAH_SCHEDULER_TRIVIAL	= 0,
	GUNYAH_SCHEDULER_FPRR		= 1,
};

/**
 * gunyah_api_version() - API version reported by hypervisor_identify
 * @resp: the hypervisor_identify result
 *
 * Return: bits 13:0 of hyp_api_info; %GUNYAH_API_V1 on a supported
 * hypervisor.
 */
static inline u16
gunyah_api_version(const struct gunyah_hypercall_hyp_identify_resp *resp)
{
	return FIELD_GET(GUNYAH_API_INFO_API_VERSION_MASK, resp->api_info);
}

/**
 * gunyah_api_is_64bit() - Whether the hypervisor reports a 64-bit ABI
 * @resp: the hypervisor_identify result
 *
 * Return: true if bit 15 of hyp_api_info is set.
 */
static inline bool
gunyah_api_is_64bit(const struct gunyah_hypercall_hyp_identify_resp *resp)
{
	return resp->api_info & GUNYAH_API_INFO_IS_64BIT;
}

/**
 * gunyah_api_is_big_endian() - Whether the hypervisor reports big endian
 * @resp: the hypervisor_identify result
 *
 * Return: true if bit 14 of hyp_api_info is set.
 */
static inline bool
gunyah_api_is_big_endian(const struct gunyah_hypercall_hyp_identify_resp *resp)
{
	return resp->api_info & GUNYAH_API_INFO_BIG_ENDIAN;
}

/**
 * gunyah_api_variant() - Hypervisor variant reported by hypervisor_identify
 * @resp: the hypervisor_identify result
 *
 * Return: bits 63:56 of hyp_api_info, such as %GUNYAH_API_VARIANT_GUNYAH
 * or %GUNYAH_API_VARIANT_QUALCOMM.
 */
static inline u8
gunyah_api_variant(const struct gunyah_hypercall_hyp_identify_resp *resp)
{
	return FIELD_GET(GUNYAH_API_INFO_VARIANT_MASK, resp->api_info);
}

/**
 * gunyah_api_has_feature() - Whether api_flags_0 has a feature bit set
 * @resp: the hypervisor_identify result
 * @feature: the feature to test
 *
 * Return: true if bit @feature of api_flags_0 is set.
 */
static inline bool
gunyah_api_has_feature(const struct gunyah_hypercall_hyp_identify_resp *resp,
		       enum gunyah_api_feature feature)
{
	if ((unsigned int)feature >= BITS_PER_TYPE(resp->flags[0]))
		return false;

	return resp->flags[0] & BIT_ULL(feature);
}

/**
 * gunyah_api_scheduler() - Scheduler variant reported by hypervisor_identify
 * @resp: the hypervisor_identify result
 *
 * Return: bits 31:28 of api_flags_0, an &enum gunyah_api_scheduler value
 * on known hypervisors.
 */
static inline u8
gunyah_api_scheduler(const struct gunyah_hypercall_hyp_identify_resp *resp)
{
	return FIELD_GET(GUNYAH_API_FLAGS0_SCHEDULER_MASK, resp->flags[0]);
}

void gunyah_hypercall_hyp_identify(struct gunyah_hypercall_hyp_identify_resp *hyp_identity);
bool arch_is_gunyah_guest(void);
bool gunyah_uuid_is_gunyah(const struct arm_smccc_res *res);

/**
 * enum gunyah_resource_type - Types of the resources the Resource Manager
 *	hands out (VM_GET_HYP_RESOURCES, abi.md 7.5)
 * @GUNYAH_RESOURCE_TYPE_BELL_TX: doorbell, this VM holds the send capability
 * @GUNYAH_RESOURCE_TYPE_BELL_RX: doorbell, this VM holds the receive
 *	capability
 * @GUNYAH_RESOURCE_TYPE_MSGQ_TX: message queue, this VM sends
 * @GUNYAH_RESOURCE_TYPE_MSGQ_RX: message queue, this VM receives
 * @GUNYAH_RESOURCE_TYPE_VCPU: vCPU of a VM this VM owns
 * @GUNYAH_RESOURCE_TYPE_VPM_GROUP: virtual power-management group
 * @GUNYAH_RESOURCE_TYPE_VIRTIO_MMIO: virtio-mmio backend
 * @GUNYAH_RESOURCE_TYPE_VRTC: virtual RTC
 * @GUNYAH_RESOURCE_TYPE_WATCHDOG: watchdog
 * @GUNYAH_RESOURCE_TYPE_MEM_EXTENT: memory extent (demand-paging RMs only)
 * @GUNYAH_RESOURCE_TYPE_ADDR_SPACE: address space (demand-paging RMs only)
 */
enum gunyah_resource_type {
	GUNYAH_RESOURCE_TYPE_BELL_TX		= 0,
	GUNYAH_RESOURCE_TYPE_BELL_RX		= 1,
	GUNYAH_RESOURCE_TYPE_MSGQ_TX		= 2,
	GUNYAH_RESOURCE_TYPE_MSGQ_RX		= 3,
	GUNYAH_RESOURCE_TYPE_VCPU		= 4,
	GUNYAH_RESOURCE_TYPE_VPM_GROUP		= 5,
	GUNYAH_RESOURCE_TYPE_VIRTIO_MMIO	= 6,
	GUNYAH_RESOURCE_TYPE_VRTC		= 7,
	GUNYAH_RESOURCE_TYPE_WATCHDOG		= 8,
	GUNYAH_RESOURCE_TYPE_MEM_EXTENT		= 9,
	GUNYAH_RESOURCE_TYPE_ADDR_SPACE		= 10,
};

/**
 * struct gunyah_resource - A hypervisor object this VM holds a capability to
 * @type: what the capability names
 * @capid: the capability ID in this VM's capability space. Small integers,
 *	0 included, are valid capability IDs.
 * @irq: Linux IRQ number of the object's virtual interrupt, 0 if it has none
 * @rm_label: label the Resource Manager gave the resource (for a vCPU its
 *	index, for a doorbell the label of the VM configuration)
 * @list: list node for the owner's resource list
 */
struct gunyah_resource {
	enum gunyah_resource_type type;
	u64 capid;
	unsigned int irq;
	u32 rm_label;
	struct list_head list;
};

/* msgqueue_send send_flags: raise the receiver's interrupt now */
#define GUNYAH_HYPERCALL_MSGQ_TX_FLAGS_PUSH	BIT_ULL(0)

enum gunyah_error gunyah_hypercall_msgq_send(u64 capid, size_t size,
					     const void *buff, u64 tx_flags,
					     bool *ready);
enum gunyah_error gunyah_hypercall_msgq_recv(u64 capid, void *buff,
					     size_t size, size_t *recv_size,
					     bool *ready);
enum gunyah_error gunyah_hypercall_msgq_flush(u64 capid);

enum gunyah_error gunyah_hypercall_bell_send(u64 capid, u64 new_flags,
					     u64 *old_flags);
enum gunyah_error gunyah_hypercall_bell_recv(u64 capid, u64 clear_flags,
					     u64 *old_flags);
enum gunyah_error gunyah_hypercall_bell_reset(u64 capid);
enum gunyah_error gunyah_hypercall_bell_mask(u64 capid, u64 enable_mask,
					     u64 ack_mask);

/**
 * enum gunyah_vcpu_run_state - What a vCPU needs after vcpu_run returned
 *	(abi.md 3.2); &gunyah_hypercall_vcpu_run_resp.state
 * @GUNYAH_VCPU_RUN_STATE_READY: runnable; the caller was interrupted or
 *	preempted: call again
 * @GUNYAH_VCPU_RUN_STATE_EXPECTS_WAKEUP: idle (WFI, CPU_SUSPEND): call
 *	again after the vCPU's wake-up interrupt. state_data[0] is the sleep
 *	state, state_data[1] what it waits for.
 * @GUNYAH_VCPU_RUN_STATE_POWERED_OFF: powered off: call again after the
 *	wake-up interrupt, unless %GUNYAH_VCPU_RUN_POWERED_OFF_EXITED is set
 *	in state_data[0]: then the vCPU is gone until the VM is reset
 * @GUNYAH_VCPU_RUN_STATE_BLOCKED: blocked in the hypervisor: yield, then
 *	call again
 * @GUNYAH_VCPU_RUN_STATE_ADDRSPACE_VMMIO_READ: a read of an address the
 *	host emulates: state_data[0] the address, [1] the size in bytes. The
 *	next call passes the value read and an action.
 * @GUNYAH_VCPU_RUN_STATE_ADDRSPACE_VMMIO_WRITE: a write to such an address:
 *	state_data[0] the address, [1] the size, [2] the value. The next call
 *	passes an action.
 * @GUNYAH_VCPU_RUN_STATE_FAULT: the vCPU took an unrecoverable fault
 * @GUNYAH_VCPU_RUN_STATE_ADDRSPACE_PAGE_FAULT: a fault on memory the host
 *	provides on demand (v17 hypervisors): state_data[0] the address, [1]
 *	non-zero for a write
 * @GUNYAH_VCPU_RUN_STATE_PSCI_SYSTEM_RESET: the VM asked for a reset
 *	(PSCI SYSTEM_RESET or SYSTEM_RESET2): state_data[0] the reset type,
 *	[1] the cookie
 */
enum gunyah_vcpu_run_state {
	GUNYAH_VCPU_RUN_STATE_READY			= 0,
	GUNYAH_VCPU_RUN_STATE_EXPECTS_WAKEUP		= 1,
	GUNYAH_VCPU_RUN_STATE_POWERED_OFF		= 2,
	GUNYAH_VCPU_RUN_STATE_BLOCKED			= 3,
	GUNYAH_VCPU_RUN_STATE_ADDRSPACE_VMMIO_READ	= 4,
	GUNYAH_VCPU_RUN_STATE_ADDRSPACE_VMMIO_WRITE	= 5,
	GUNYAH_VCPU_RUN_STATE_FAULT			= 6,
	GUNYAH_VCPU_RUN_STATE_ADDRSPACE_PAGE_FAULT	= 7,
	GUNYAH_VCPU_RUN_STATE_PSCI_SYSTEM_RESET		= 0x100,
};

/* state_data[0] of %GUNYAH_VCPU_RUN_STATE_POWERED_OFF: powered off for good */
#define GUNYAH_VCPU_RUN_POWERED_OFF_EXITED	BIT_ULL(0)

/**
 * enum gunyah_vcpu_run_vmmio_action - How the guest's access continues after
 *	a VMMIO state, resume_data[1] of the next vcpu_run. (The UAPI's
 *	resume_action orders its values differently.)
 * @GUNYAH_VCPU_RUN_VMMIO_EMULATE: the access was emulated; a read returns
 *	resume_data[0]
 * @GUNYAH_VCPU_RUN_VMMIO_RETRY: the guest retries the access
 * @GUNYAH_VCPU_RUN_VMMIO_FAULT: the guest takes a fault
 */
enum gunyah_vcpu_run_vmmio_action {
	GUNYAH_VCPU_RUN_VMMIO_EMULATE	= 0,
	GUNYAH_VCPU_RUN_VMMIO_RETRY	= 1,
	GUNYAH_VCPU_RUN_VMMIO_FAULT	= 2,
};

/* Number of resume data words of vcpu_run */
#define GUNYAH_VCPU_RUN_RESUME_WORDS	3

/**
 * struct gunyah_hypercall_vcpu_run_resp - Result of vcpu_run
 * @state: x1, an &enum gunyah_vcpu_run_state, as the hypervisor reported
 *	it (unknown values included)
 * @state_data: x2..x4, state_data_0..2; their meaning depends on @state
 */
struct gunyah_hypercall_vcpu_run_resp {
	u64 state;
	u64 state_data[3];
};

enum gunyah_error
gunyah_hypercall_vcpu_run(u64 capid, const u64 resume_data[GUNYAH_VCPU_RUN_RESUME_WORDS],
			  struct gunyah_hypercall_vcpu_run_resp *resp);

#endif /* _LINUX_GUNYAH_H */
