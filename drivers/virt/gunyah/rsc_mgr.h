/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Gunyah Resource Manager (RM): RPC core, typed RPC calls and notifications.
 *
 * Wire formats are little-endian and packed (abi.md sections 6 and 7).
 */

#ifndef __GUNYAH_RSC_MGR_H
#define __GUNYAH_RSC_MGR_H

#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/gunyah.h>
#include <linux/limits.h>
#include <linux/types.h>

#include <asm/byteorder.h>

struct device;
struct gunyah_rm;
struct notifier_block;

/* ---------------------------------------------------------------------- */
/* RPC transport: packet header and limits (abi.md 6.2, 6.3)              */

#define GUNYAH_RM_RPC_API_VERSION		1
#define GUNYAH_RM_RPC_HDR_WORDS			2

#define GUNYAH_RM_RPC_API_VERSION_MASK		GENMASK(3, 0)
#define GUNYAH_RM_RPC_HDR_WORDS_MASK		GENMASK(7, 4)
#define GUNYAH_RM_RPC_TYPE_MASK			GENMASK(1, 0)
#define GUNYAH_RM_RPC_FRAGMENTS_MASK		GENMASK(7, 2)

/**
 * enum gunyah_rm_rpc_type - Packet types of the RM RPC transport
 * @GUNYAH_RM_RPC_TYPE_CONTINUATION: further fragment of a message
 * @GUNYAH_RM_RPC_TYPE_REQUEST: first packet of a request
 * @GUNYAH_RM_RPC_TYPE_REPLY: first packet of a reply
 * @GUNYAH_RM_RPC_TYPE_NOTIFICATION: first packet of a notification
 */
enum gunyah_rm_rpc_type {
	GUNYAH_RM_RPC_TYPE_CONTINUATION	= 0,
	GUNYAH_RM_RPC_TYPE_REQUEST	= 1,
	GUNYAH_RM_RPC_TYPE_REPLY	= 2,
	GUNYAH_RM_RPC_TYPE_NOTIFICATION	= 3,
};

/**
 * struct gunyah_rm_rpc_hdr - Header of every RM RPC packet
 * @api: API version (bits 3:0) and header length in 32-bit words
 *	(bits 7:4); 0x21
 * @type: &enum gunyah_rm_rpc_type (bits 1:0) and the number of
 *	continuation packets of the message (bits 7:2)
 * @seq: sequence number; a reply echoes its request's
 * @msg_id: message ID
 */
struct gunyah_rm_rpc_hdr {
	u8 api;
	u8 type;
	__le16 seq;
	__le32 msg_id;
} __packed;

/* Largest packet on the RM's message queues */
#define GUNYAH_RM_MAX_PACKET_SIZE	240
#define GUNYAH_RM_MAX_PAYLOAD_SIZE	\
	(GUNYAH_RM_MAX_PACKET_SIZE - sizeof(struct gunyah_rm_rpc_hdr))
/* Most continuation packets a message may have */
#define GUNYAH_RM_MAX_FRAGMENTS		62
/* Largest message the RM sends: 63 packets */
#define GUNYAH_RM_MAX_RX_MSG_SIZE	\
	((GUNYAH_RM_MAX_FRAGMENTS + 1) * GUNYAH_RM_MAX_PAYLOAD_SIZE)
/* Largest request Linux sends (abi.md 6.3): 62 packets */
#define GUNYAH_RM_MAX_TX_MSG_SIZE	\
	(GUNYAH_RM_MAX_FRAGMENTS * GUNYAH_RM_MAX_PAYLOAD_SIZE)

static_assert(sizeof(struct gunyah_rm_rpc_hdr) == 8);
static_assert(GUNYAH_RM_MAX_PAYLOAD_SIZE == 232);
static_assert(GUNYAH_RM_MAX_TX_MSG_SIZE == 14384);

/**
 * gunyah_rm_rpc_hdr_init() - Fill in an RPC packet header
 * @hdr: the header
 * @type: packet type
 * @fragments: number of continuation packets of the message, at most
 *	%GUNYAH_RM_MAX_FRAGMENTS
 * @seq: sequence number
 * @msg_id: message ID
 */
static inline void gunyah_rm_rpc_hdr_init(struct gunyah_rm_rpc_hdr *hdr,
					  enum gunyah_rm_rpc_type type,
					  unsigned int fragments, u16 seq,
					  u32 msg_id)
{
	hdr->api = FIELD_PREP(GUNYAH_RM_RPC_API_VERSION_MASK,
			      GUNYAH_RM_RPC_API_VERSION) |
		   FIELD_PREP(GUNYAH_RM_RPC_HDR_WORDS_MASK,
			      GUNYAH_RM_RPC_HDR_WORDS);
	hdr->type = FIELD_PREP(GUNYAH_RM_RPC_TYPE_MASK, type) |
		    FIELD_PREP(GUNYAH_RM_RPC_FRAGMENTS_MASK, fragments);
	hdr->seq = cpu_to_le16(seq);
	hdr->msg_id = cpu_to_le32(msg_id);
}

/**
 * gunyah_rm_rpc_hdr_api_valid() - Whether a header has the supported API
 *	version and header length
 * @hdr: the header
 *
 * Return: true if the version is 1 and the header is 2 words long.
 */
static inline bool gunyah_rm_rpc_hdr_api_valid(const struct gunyah_rm_rpc_hdr *hdr)
{
	return FIELD_GET(GUNYAH_RM_RPC_API_VERSION_MASK, hdr->api) ==
		GUNYAH_RM_RPC_API_VERSION &&
	       FIELD_GET(GUNYAH_RM_RPC_HDR_WORDS_MASK, hdr->api) ==
		GUNYAH_RM_RPC_HDR_WORDS;
}

/**
 * gunyah_rm_rpc_hdr_type() - Packet type of a header
 * @hdr: the header
 *
 * Return: the &enum gunyah_rm_rpc_type in bits 1:0 of @hdr->type.
 */
static inline enum gunyah_rm_rpc_type
gunyah_rm_rpc_hdr_type(const struct gunyah_rm_rpc_hdr *hdr)
{
	return FIELD_GET(GUNYAH_RM_RPC_TYPE_MASK, hdr->type);
}

/**
 * gunyah_rm_rpc_hdr_fragments() - Continuation count of a header
 * @hdr: the header
 *
 * Return: bits 7:2 of @hdr->type, 0 to 63. More than
 * %GUNYAH_RM_MAX_FRAGMENTS is invalid.
 */
static inline unsigned int
gunyah_rm_rpc_hdr_fragments(const struct gunyah_rm_rpc_hdr *hdr)
{
	return FIELD_GET(GUNYAH_RM_RPC_FRAGMENTS_MASK, hdr->type);
}

/* ---------------------------------------------------------------------- */
/* RM error codes (abi.md 6.5)                                            */

/**
 * enum gunyah_rm_error - Error word at the start of every RM reply
 * @GUNYAH_RM_ERROR_OK: success
 * @GUNYAH_RM_ERROR_UNIMPLEMENTED: unknown message ID
 * @GUNYAH_RM_ERROR_NOMEM: out of memory
 * @GUNYAH_RM_ERROR_NORESOURCE: out of a resource
 * @GUNYAH_RM_ERROR_DENIED: caller not allowed
 * @GUNYAH_RM_ERROR_MSG_INVALID: malformed request
 * @GUNYAH_RM_ERROR_BUSY: busy
 * @GUNYAH_RM_ERROR_ARGUMENT_INVALID: invalid argument
 * @GUNYAH_RM_ERROR_HANDLE_INVALID: invalid handle
 * @GUNYAH_RM_ERROR_VALIDATE_FAILED: validation failed
 * @GUNYAH_RM_ERROR_MAP_FAILED: mapping failed
 * @GUNYAH_RM_ERROR_MEM_INVALID: invalid memory
 * @GUNYAH_RM_ERROR_MEM_INUSE: memory in use
 * @GUNYAH_RM_ERROR_MEM_RELEASED: memory already released
 * @GUNYAH_RM_ERROR_VMID_INVALID: invalid VMID
 * @GUNYAH_RM_ERROR_LOOKUP_FAILED: lookup failed
 * @GUNYAH_RM_ERROR_IRQ_INVALID: invalid IRQ
 * @GUNYAH_RM_ERROR_IRQ_INUSE: IRQ in use
 * @GUNYAH_RM_ERROR_IRQ_RELEASED: IRQ already released
 * @GUNYAH_RM_ERROR_IN_USE: object in use
 * @GUNYAH_RM_ERROR_IRQ_NOT_MAPPED: IRQ not mapped
 * @GUNYAH_RM_ERROR_VM_STATE: VM in the wrong state
 */
enum gunyah_rm_error {
	GUNYAH_RM_ERROR_OK			= 0x0,
	GUNYAH_RM_ERROR_UNIMPLEMENTED		= 0xffffffff,
	GUNYAH_RM_ERROR_NOMEM			= 0x1,
	GUNYAH_RM_ERROR_NORESOURCE		= 0x2,
	GUNYAH_RM_ERROR_DENIED			= 0x3,
	GUNYAH_RM_ERROR_MSG_INVALID		= 0x4,
	GUNYAH_RM_ERROR_BUSY			= 0x5,
	GUNYAH_RM_ERROR_ARGUMENT_INVALID	= 0x6,
	GUNYAH_RM_ERROR_HANDLE_INVALID		= 0x7,
	GUNYAH_RM_ERROR_VALIDATE_FAILED		= 0x8,
	GUNYAH_RM_ERROR_MAP_FAILED		= 0x9,
	GUNYAH_RM_ERROR_MEM_INVALID		= 0xa,
	GUNYAH_RM_ERROR_MEM_INUSE		= 0xb,
	GUNYAH_RM_ERROR_MEM_RELEASED		= 0xc,
	GUNYAH_RM_ERROR_VMID_INVALID		= 0xd,
	GUNYAH_RM_ERROR_LOOKUP_FAILED		= 0xe,
	GUNYAH_RM_ERROR_IRQ_INVALID		= 0xf,
	GUNYAH_RM_ERROR_IRQ_INUSE		= 0x10,
	GUNYAH_RM_ERROR_IRQ_RELEASED		= 0x11,
	GUNYAH_RM_ERROR_IN_USE			= 0x12,
	GUNYAH_RM_ERROR_IRQ_NOT_MAPPED		= 0x13,
	GUNYAH_RM_ERROR_VM_STATE		= 0x14,
};

/**
 * gunyah_rm_error_remap() - Convert an RM error word to an errno
 * @rm_error: the error word of a reply
 *
 * Return: 0 for %GUNYAH_RM_ERROR_OK; -ENOMEM, -ENODEV (NORESOURCE), -EPERM
 * (DENIED), -EBUSY, -EOPNOTSUPP (UNIMPLEMENTED); -EINVAL for MSG_INVALID
 * through IRQ_RELEASED; -EBADMSG for every other value.
 */
static inline int gunyah_rm_error_remap(u32 rm_error)
{
	switch (rm_error) {
	case GUNYAH_RM_ERROR_OK:
		return 0;
	case GUNYAH_RM_ERROR_NOMEM:
		return -ENOMEM;
	case GUNYAH_RM_ERROR_NORESOURCE:
		return -ENODEV;
	case GUNYAH_RM_ERROR_DENIED:
		return -EPERM;
	case GUNYAH_RM_ERROR_BUSY:
		return -EBUSY;
	case GUNYAH_RM_ERROR_MSG_INVALID:
	case GUNYAH_RM_ERROR_ARGUMENT_INVALID:
	case GUNYAH_RM_ERROR_HANDLE_INVALID:
	case GUNYAH_RM_ERROR_VALIDATE_FAILED:
	case GUNYAH_RM_ERROR_MAP_FAILED:
	case GUNYAH_RM_ERROR_MEM_INVALID:
	case GUNYAH_RM_ERROR_MEM_INUSE:
	case GUNYAH_RM_ERROR_MEM_RELEASED:
	case GUNYAH_RM_ERROR_VMID_INVALID:
	case GUNYAH_RM_ERROR_LOOKUP_FAILED:
	case GUNYAH_RM_ERROR_IRQ_INVALID:
	case GUNYAH_RM_ERROR_IRQ_INUSE:
	case GUNYAH_RM_ERROR_IRQ_RELEASED:
		return -EINVAL;
	case GUNYAH_RM_ERROR_UNIMPLEMENTED:
		return -EOPNOTSUPP;
	default:
		return -EBADMSG;
	}
}

/* ---------------------------------------------------------------------- */
/* The RPC core                                                           */

struct gunyah_rm *gunyah_rm_get(void);
struct gunyah_rm *gunyah_rm_ref(struct gunyah_rm *rm);
void gunyah_rm_put(struct gunyah_rm *rm);

int gunyah_rm_call(struct gunyah_rm *rm, u32 message_id, const void *req_buf,
		   size_t req_buf_size, void **resp_buf, size_t *resp_buf_size);

/**
 * struct gunyah_rm_notification - What an RM notifier is called with
 * @payload: the notification's payload, valid during the call only
 * @size: its size in bytes, as received: check it before reading
 *
 * The notifier's action argument is the notification's message ID, such as
 * %GUNYAH_RM_NOTIFICATION_VM_STATUS.
 */
struct gunyah_rm_notification {
	const void *payload;
	size_t size;
};

int gunyah_rm_notifier_register(struct gunyah_rm *rm, struct notifier_block *nb);
int gunyah_rm_notifier_unregister(struct gunyah_rm *rm,
				  struct notifier_block *nb);

/**
 * struct gunyah_rm_transport_ops - How the RPC core sends packets
 * @send: send one packet of @size bytes (header included, at most
 *	%GUNYAH_RM_MAX_PACKET_SIZE); @push on the last packet of a message.
 *	Called with the core's send lock held, one packet at a time, and may
 *	sleep until the packet is queued. After the last packet it may
 *	already pass what the RM sent to gunyah_rm_rx(), from the caller's
 *	context. Return 0 or a negative errno.
 *
 * Packets from the RM go to gunyah_rm_rx().
 */
struct gunyah_rm_transport_ops {
	int (*send)(void *priv, const void *pkt, size_t size, bool push);
};

struct gunyah_rm *gunyah_rm_create(struct device *dev,
				   const struct gunyah_rm_transport_ops *ops,
				   void *priv);
void gunyah_rm_rx(struct gunyah_rm *rm, const void *pkt, size_t size);
void gunyah_rm_stop(struct gunyah_rm *rm);
void gunyah_rm_destroy(struct gunyah_rm *rm);
unsigned long gunyah_rm_rx_dropped(struct gunyah_rm *rm);
unsigned long gunyah_rm_refusals(struct gunyah_rm *rm);
const char *gunyah_rm_msg_name(u32 msg_id);
const char *gunyah_rm_error_name(u32 rm_error);

/* Internal to gunyah_rsc_mgr.ko */
struct device *gunyah_rm_dev(struct gunyah_rm *rm);
int gunyah_rm_virq_to_irq(struct gunyah_rm *rm, u32 virq);
bool gunyah_rm_cached_vmid(struct gunyah_rm *rm, u16 *vmid);
void gunyah_rm_cache_vmid(struct gunyah_rm *rm, u16 vmid);

/* ---------------------------------------------------------------------- */
/* VM management (abi.md 7.1-7.5)                                         */

#define GUNYAH_RM_RPC_VM_ALLOC_VMID		0x56000001
#define GUNYAH_RM_RPC_VM_DEALLOC_VMID		0x56000002
#define GUNYAH_RM_RPC_VM_START			0x56000004
#define GUNYAH_RM_RPC_VM_STOP			0x56000005
#define GUNYAH_RM_RPC_VM_RESET			0x56000006
#define GUNYAH_RM_RPC_VM_CONFIG_IMAGE		0x56000009
#define GUNYAH_RM_RPC_VM_INIT			0x5600000B
#define GUNYAH_RM_RPC_VM_GET_STATE		0x56000017
#define GUNYAH_RM_RPC_VM_GET_HYP_RESOURCES	0x56000020
#define GUNYAH_RM_RPC_VM_GET_VMID		0x56000024
#define GUNYAH_RM_RPC_VM_SET_BOOT_CONTEXT	0x56000031
#define GUNYAH_RM_RPC_VM_SET_FIRMWARE_MEM	0x56000032
#define GUNYAH_RM_RPC_VM_HOST_GET_TYPE		0x560000A0

#define GUNYAH_RM_NOTIFICATION_VM_EXITED	0x56100001
#define GUNYAH_RM_NOTIFICATION_VM_SHUTDOWN	0x56100002
#define GUNYAH_RM_NOTIFICATION_VM_STATUS	0x56100008

/* Well-known VMIDs (abi.md 7.1) */
#define GUNYAH_VMID_HYPERVISOR			0
#define GUNYAH_VMID_HLOS			3
#define GUNYAH_VMID_RM				0xff
#define GUNYAH_VMID_INVAL			U16_MAX

/**
 * enum gunyah_rm_vm_status - VM states (abi.md 7.2)
 * @GUNYAH_RM_VM_STATUS_NO_STATE: no VM
 * @GUNYAH_RM_VM_STATUS_INIT: being initialised
 * @GUNYAH_RM_VM_STATUS_READY: initialised, not started
 * @GUNYAH_RM_VM_STATUS_RUNNING: running
 * @GUNYAH_RM_VM_STATUS_PAUSED: paused
 * @GUNYAH_RM_VM_STATUS_LOAD: allocated, being configured
 * @GUNYAH_RM_VM_STATUS_AUTH: image being authenticated
 * @GUNYAH_RM_VM_STATUS_INIT_FAILED: initialisation failed
 * @GUNYAH_RM_VM_STATUS_EXITED: exited
 * @GUNYAH_RM_VM_STATUS_RESETTING: being reset
 * @GUNYAH_RM_VM_STATUS_RESET: reset, may be deallocated
 */
enum gunyah_rm_vm_status {
	GUNYAH_RM_VM_STATUS_NO_STATE	= 0,
	GUNYAH_RM_VM_STATUS_INIT	= 1,
	GUNYAH_RM_VM_STATUS_READY	= 2,
	GUNYAH_RM_VM_STATUS_RUNNING	= 3,
	GUNYAH_RM_VM_STATUS_PAUSED	= 4,
	GUNYAH_RM_VM_STATUS_LOAD	= 5,
	GUNYAH_RM_VM_STATUS_AUTH	= 6,
	GUNYAH_RM_VM_STATUS_INIT_FAILED	= 8,
	GUNYAH_RM_VM_STATUS_EXITED	= 9,
	GUNYAH_RM_VM_STATUS_RESETTING	= 10,
	GUNYAH_RM_VM_STATUS_RESET	= 11,
};

/**
 * enum gunyah_rm_os_status - Guest OS states (abi.md 7.2)
 * @GUNYAH_RM_OS_STATUS_NONE: unknown
 * @GUNYAH_RM_OS_STATUS_EARLY_BOOT: early boot
 * @GUNYAH_RM_OS_STATUS_BOOT: booting
 * @GUNYAH_RM_OS_STATUS_INIT: initialising
 * @GUNYAH_RM_OS_STATUS_RUN: running
 * @GUNYAH_RM_OS_STATUS_SHUTDOWN: shutting down
 * @GUNYAH_RM_OS_STATUS_HALTED: halted
 * @GUNYAH_RM_OS_STATUS_CRASHED: crashed
 */
enum gunyah_rm_os_status {
	GUNYAH_RM_OS_STATUS_NONE	= 0,
	GUNYAH_RM_OS_STATUS_EARLY_BOOT	= 1,
	GUNYAH_RM_OS_STATUS_BOOT	= 2,
	GUNYAH_RM_OS_STATUS_INIT	= 3,
	GUNYAH_RM_OS_STATUS_RUN		= 4,
	GUNYAH_RM_OS_STATUS_SHUTDOWN	= 5,
	GUNYAH_RM_OS_STATUS_HALTED	= 6,
	GUNYAH_RM_OS_STATUS_CRASHED	= 7,
};

/**
 * enum gunyah_rm_vm_exit_type - Exit types of a VM_EXITED notification
 * @GUNYAH_RM_VM_EXIT_TYPE_VM_EXIT: the VM exited through the RM
 * @GUNYAH_RM_VM_EXIT_TYPE_PSCI_POWER_OFF: PSCI SYSTEM_OFF
 * @GUNYAH_RM_VM_EXIT_TYPE_PSCI_SYSTEM_RESET: PSCI SYSTEM_RESET
 * @GUNYAH_RM_VM_EXIT_TYPE_PSCI_SYSTEM_RESET2: PSCI SYSTEM_RESET2
 * @GUNYAH_RM_VM_EXIT_TYPE_WDT_BITE: watchdog bite
 * @GUNYAH_RM_VM_EXIT_TYPE_HYP_ERROR: software error
 * @GUNYAH_RM_VM_EXIT_TYPE_ASYNC_EXT_ABORT: asynchronous hardware error
 * @GUNYAH_RM_VM_EXIT_TYPE_VM_FORCE_STOPPED: stopped by VM_STOP with FORCE
 */
enum gunyah_rm_vm_exit_type {
	GUNYAH_RM_VM_EXIT_TYPE_VM_EXIT			= 0,
	GUNYAH_RM_VM_EXIT_TYPE_PSCI_POWER_OFF		= 1,
	GUNYAH_RM_VM_EXIT_TYPE_PSCI_SYSTEM_RESET	= 2,
	GUNYAH_RM_VM_EXIT_TYPE_PSCI_SYSTEM_RESET2	= 3,
	GUNYAH_RM_VM_EXIT_TYPE_WDT_BITE			= 4,
	GUNYAH_RM_VM_EXIT_TYPE_HYP_ERROR		= 5,
	GUNYAH_RM_VM_EXIT_TYPE_ASYNC_EXT_ABORT		= 6,
	GUNYAH_RM_VM_EXIT_TYPE_VM_FORCE_STOPPED		= 7,
};

/**
 * struct gunyah_rm_vm_status_payload - Payload of VM_STATUS
 * @vmid: the VM
 * @reserved: zero
 * @vm_status: &enum gunyah_rm_vm_status
 * @os_status: &enum gunyah_rm_os_status
 * @app_status: application-defined status
 */
struct gunyah_rm_vm_status_payload {
	__le16 vmid;
	u16 reserved;
	u8 vm_status;
	u8 os_status;
	__le16 app_status;
} __packed;

/**
 * struct gunyah_rm_vm_exited_payload - Payload of VM_EXITED
 * @vmid: the VM
 * @exit_type: &enum gunyah_rm_vm_exit_type
 * @exit_reason_size: number of bytes in @exit_reason, a multiple of 4
 * @exit_reason: u32 common reason (bits 15:0 exit flags, 23:16 exit code)
 *	and further u32 words that depend on @exit_type
 */
struct gunyah_rm_vm_exited_payload {
	__le16 vmid;
	__le16 exit_type;
	__le32 exit_reason_size;
	u8 exit_reason[];
} __packed;

const struct gunyah_rm_vm_status_payload *
gunyah_rm_notif_vm_status(const struct gunyah_rm_notification *notif);
const struct gunyah_rm_vm_exited_payload *
gunyah_rm_notif_vm_exited(const struct gunyah_rm_notification *notif);

/* VM_STOP flags and the stop reason Linux sends with FORCE_STOP */
#define GUNYAH_RM_VM_STOP_FLAG_FORCE_STOP	BIT(0)
#define GUNYAH_RM_VM_STOP_REASON_FORCE_STOP	3

/**
 * enum gunyah_rm_vm_auth_mechanism - Image authentication of VM_CONFIG_IMAGE
 * @GUNYAH_RM_VM_AUTH_NONE: none
 * @GUNYAH_RM_VM_AUTH_QCOM_PIL_ELF: platform (Qualcomm PIL) authentication
 * @GUNYAH_RM_VM_AUTH_QCOM_ANDROID_PVM: Android protected VM
 */
enum gunyah_rm_vm_auth_mechanism {
	GUNYAH_RM_VM_AUTH_NONE			= 0,
	GUNYAH_RM_VM_AUTH_QCOM_PIL_ELF		= 1,
	GUNYAH_RM_VM_AUTH_QCOM_ANDROID_PVM	= 2,
};

/**
 * enum gunyah_rm_boot_context_reg - Register sets of VM_SET_BOOT_CONTEXT
 * @GUNYAH_RM_BOOT_CONTEXT_REG_SET_X: general-purpose registers X0..X30
 * @GUNYAH_RM_BOOT_CONTEXT_REG_SET_PC: the program counter (index 0)
 * @GUNYAH_RM_BOOT_CONTEXT_REG_SET_SP: stack pointers SP_EL0, SP_EL1
 */
enum gunyah_rm_boot_context_reg {
	GUNYAH_RM_BOOT_CONTEXT_REG_SET_X	= 0,
	GUNYAH_RM_BOOT_CONTEXT_REG_SET_PC	= 1,
	GUNYAH_RM_BOOT_CONTEXT_REG_SET_SP	= 2,
};

/**
 * struct gunyah_rm_vm_state - Result of VM_GET_STATE
 * @vm_status: &enum gunyah_rm_vm_status
 * @os_status: &enum gunyah_rm_os_status
 * @app_status: application-defined status
 */
struct gunyah_rm_vm_state {
	u8 vm_status;
	u8 os_status;
	u16 app_status;
};

/**
 * struct gunyah_rm_hyp_resource - One entry of VM_GET_HYP_RESOURCES
 * @type: &enum gunyah_resource_type
 * @reserved: zero
 * @partner_vmid: the VM at the other end
 * @resource_handle: RM handle of the resource
 * @resource_label: label (vCPU index, doorbell label, ...)
 * @cap_id: capability ID in the caller's capability space
 * @virq_handle: RM handle of the interrupt
 * @virq: interrupt as a GIC INTID; 0 or %GUNYAH_RM_VIRQ_NONE if none
 *	(gunyah_rm_resource_has_virq())
 * @base: base address, for resources with an address range
 * @size: size of that range
 */
struct gunyah_rm_hyp_resource {
	u8 type;
	u8 reserved;
	__le16 partner_vmid;
	__le32 resource_handle;
	__le32 resource_label;
	__le64 cap_id;
	__le32 virq_handle;
	__le32 virq;
	__le64 base;
	__le64 size;
} __packed;

/**
 * struct gunyah_rm_hyp_resources - Reply of VM_GET_HYP_RESOURCES
 * @n_entries: number of entries
 * @entries: the entries
 */
struct gunyah_rm_hyp_resources {
	__le32 n_entries;
	struct gunyah_rm_hyp_resource entries[];
} __packed;

static_assert(sizeof(struct gunyah_rm_vm_status_payload) == 8);
static_assert(sizeof(struct gunyah_rm_vm_exited_payload) == 8);
static_assert(sizeof(struct gunyah_rm_hyp_resource) == 44);

/*
 * The virq of a resource without an interrupt: the RM's VIRQ_NUM_INVALID
 * (~0). The open-source RM reports it for a vCPU that is not
 * proxy-scheduled, while it still reports 0 for a doorbell source; both
 * mean "no interrupt". 0 is never a valid SPI.
 */
#define GUNYAH_RM_VIRQ_NONE			U32_MAX

/**
 * gunyah_rm_resource_has_virq() - Whether a VM_GET_HYP_RESOURCES entry
 *	names an interrupt
 * @res: the entry
 *
 * Return: false if @res->virq is 0 or %GUNYAH_RM_VIRQ_NONE, else true.
 */
static inline bool
gunyah_rm_resource_has_virq(const struct gunyah_rm_hyp_resource *res)
{
	u32 virq = le32_to_cpu(res->virq);

	return virq && virq != GUNYAH_RM_VIRQ_NONE;
}

int gunyah_rm_alloc_vmid(struct gunyah_rm *rm, u16 vmid);
int gunyah_rm_dealloc_vmid(struct gunyah_rm *rm, u16 vmid);
int gunyah_rm_vm_start(struct gunyah_rm *rm, u16 vmid);
int gunyah_rm_vm_stop(struct gunyah_rm *rm, u16 vmid, u8 flags,
		      u32 stop_reason);
int gunyah_rm_vm_reset(struct gunyah_rm *rm, u16 vmid);
int gunyah_rm_vm_configure(struct gunyah_rm *rm, u16 vmid,
			   enum gunyah_rm_vm_auth_mechanism auth_mechanism,
			   u32 mem_handle, u64 image_offset, u64 image_size,
			   u64 dtb_offset, u64 dtb_size);
int gunyah_rm_vm_init(struct gunyah_rm *rm, u16 vmid);
int gunyah_rm_get_hyp_resources(struct gunyah_rm *rm, u16 vmid,
				struct gunyah_rm_hyp_resources **resources);
int gunyah_rm_get_vmid(struct gunyah_rm *rm, u16 *vmid);
int gunyah_rm_vm_get_state(struct gunyah_rm *rm, u16 vmid,
			   struct gunyah_rm_vm_state *state);
int gunyah_rm_host_get_type(struct gunyah_rm *rm, u32 *type);
int gunyah_rm_vm_set_boot_context(struct gunyah_rm *rm, u16 vmid, u8 reg_set,
				  u8 reg_index, u64 value);
int gunyah_rm_vm_set_firmware_mem(struct gunyah_rm *rm, u16 vmid,
				  u32 mem_handle, u64 fw_offset, u64 fw_size);

/* ---------------------------------------------------------------------- */
/* Memory parcels (abi.md 7.6)                                            */

#define GUNYAH_RM_RPC_MEM_LEND			0x51000012
#define GUNYAH_RM_RPC_MEM_SHARE			0x51000013
#define GUNYAH_RM_RPC_MEM_RECLAIM		0x51000015
#define GUNYAH_RM_RPC_MEM_APPEND		0x51000018

#define GUNYAH_MEM_HANDLE_INVAL			U32_MAX

/* Most entries of one ACL, SGL or attribute list */
#define GUNYAH_RM_MAX_MEM_ENTRIES		512

/* Create-request flags */
#define GUNYAH_RM_MEM_SHARE_REQ_FLAGS_APPEND	BIT(1)
/* MEM_APPEND flags */
#define GUNYAH_RM_MEM_APPEND_REQ_FLAGS_END	BIT(0)

/* ACL rights */
#define GUNYAH_RM_ACL_X				BIT(0)
#define GUNYAH_RM_ACL_W				BIT(1)
#define GUNYAH_RM_ACL_R				BIT(2)

/**
 * enum gunyah_rm_mem_type - Memory types of a parcel
 * @GUNYAH_RM_MEM_TYPE_NORMAL: normal memory
 * @GUNYAH_RM_MEM_TYPE_IO: device memory
 */
enum gunyah_rm_mem_type {
	GUNYAH_RM_MEM_TYPE_NORMAL	= 0,
	GUNYAH_RM_MEM_TYPE_IO		= 1,
};

/**
 * struct gunyah_rm_mem_acl_entry - Who gets access to a parcel
 * @vmid: the VM
 * @perms: %GUNYAH_RM_ACL_R, %GUNYAH_RM_ACL_W, %GUNYAH_RM_ACL_X
 * @reserved: zero
 */
struct gunyah_rm_mem_acl_entry {
	__le16 vmid;
	u8 perms;
	u8 reserved;
} __packed;

/**
 * struct gunyah_rm_mem_entry - A range of a parcel
 * @phys_addr: start, in the owner's address space (physical for Linux)
 * @size: size in bytes
 */
struct gunyah_rm_mem_entry {
	__le64 phys_addr;
	__le64 size;
} __packed;

/**
 * struct gunyah_rm_mem_parcel - Memory given to other VMs
 * @mem_type: &enum gunyah_rm_mem_type
 * @label: label the receiving VM knows the parcel by
 * @n_acl_entries: number of @acl_entries, 1 to %GUNYAH_RM_MAX_MEM_ENTRIES
 * @acl_entries: the VMs and their rights
 * @n_mem_entries: number of @mem_entries, at least 1; more than
 *	%GUNYAH_RM_MAX_MEM_ENTRIES are sent with MEM_APPEND
 * @mem_entries: the ranges
 * @mem_handle: output: the RM's handle of the parcel, or
 *	%GUNYAH_MEM_HANDLE_INVAL
 *
 * The attribute list is always sent empty.
 */
struct gunyah_rm_mem_parcel {
	enum gunyah_rm_mem_type mem_type;
	u32 label;
	size_t n_acl_entries;
	struct gunyah_rm_mem_acl_entry *acl_entries;
	size_t n_mem_entries;
	struct gunyah_rm_mem_entry *mem_entries;
	u32 mem_handle;
};

static_assert(sizeof(struct gunyah_rm_mem_acl_entry) == 4);
static_assert(sizeof(struct gunyah_rm_mem_entry) == 16);

int gunyah_rm_mem_lend(struct gunyah_rm *rm,
		       struct gunyah_rm_mem_parcel *parcel);
int gunyah_rm_mem_share(struct gunyah_rm *rm,
			struct gunyah_rm_mem_parcel *parcel);
int gunyah_rm_mem_reclaim(struct gunyah_rm *rm,
			  struct gunyah_rm_mem_parcel *parcel);

#endif /* __GUNYAH_RSC_MGR_H */
