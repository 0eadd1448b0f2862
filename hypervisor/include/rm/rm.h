/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The resource manager. As on the real Gunyah it is a VM of its own: this
 * code is linked into rm.elf with its EL1 runtime (rm/el1/) and runs in the
 * RM's VM (core/rm_vm.c); RM_AT_EL2=1 links it into the hypervisor instead.
 * Either way:
 *
 * - it reaches the hypervisor only through hypercalls (rm/hypcall.h),
 *   naming objects by capability IDs of its own cspace and other VMs'
 *   memory by physical address;
 * - the hypervisor reaches it only at rm_start() and through its
 *   interrupts (rm_interrupt());
 * - it reaches VMs only through message queues.
 */
#ifndef RM_RM_H
#define RM_RM_H

#include <rm/hypcall.h>
#include <rm/rpc.h>

/* RM error codes (../shared/spec/abi.md §6.5). */
#define RM_OK			0x0U
#define RM_ERROR_NOMEM		0x1U
#define RM_ERROR_NORESOURCE	0x2U
#define RM_ERROR_DENIED		0x3U
#define RM_ERROR_MSG_INVALID	0x4U
#define RM_ERROR_BUSY		0x5U
#define RM_ERROR_ARG_INVALID	0x6U
#define RM_ERROR_MEM_INVALID	0xaU
#define RM_ERROR_VMID_INVALID	0xdU
#define RM_ERROR_IN_USE		0x12U
#define RM_ERROR_VM_STATE	0x14U
#define RM_ERROR_UNIMPLEMENTED	0xffffffffU

/* Queue shape of the primary VM's RPC link, as the real RM makes it. */
#define RM_QUEUE_DEPTH		8
#define RM_MSG_SIZE		RM_RPC_PACKET_MAX

/* Packets waiting for room in a client's receive queue. */
#define RM_OUTBOX_PACKETS	128

struct rm_outbox {
	u8 pkt[RM_OUTBOX_PACKETS][RM_RPC_PACKET_MAX];
	u16 len[RM_OUTBOX_PACKETS];
	bool push[RM_OUTBOX_PACKETS];	/* last packet of a message */
	unsigned int head;
	unsigned int count;
};

/* One VM that talks to the RM. */
struct rm_client {
	u16 vmid;
	u64 cspace_cap;		/* its cspace, to give it caps */
	u64 rx_cap;		/* RM's receive end: client -> RM */
	u64 tx_cap;		/* RM's send end: RM -> client */
	u64 client_tx_cap;	/* the client's ends, for its devicetree */
	u64 client_rx_cap;
	struct rm_rpc_rx rx;
	struct rm_outbox out;
	u16 notif_seq;
	u32 notif_dropped;
};

/* What the primary VM's devicetree must say about its link to the RM. */
struct rm_link_info {
	u64 tx_cap;
	u64 rx_cap;
	u32 tx_intid;
	u32 rx_intid;
	u32 free_irq_start;
	u32 queue_depth;
	u32 msg_size;
};

/*
 * Start the RM with what the hypervisor gave it: hand the hypervisor the
 * primary VM's devicetree without the RM's node (rm_host_dt_publish()),
 * then link the RM to the primary VM. Returns 0 or a Gunyah error.
 */
int rm_start(const struct rm_boot_info *info);

/*
 * The primary VM may talk to the RM: hand the hypervisor its devicetree
 * again, with the RM's node for the link rm_start() made. Returns 0 or a
 * Gunyah error.
 */
int rm_publish_host_link(void);

/*
 * rm/host_boot.c: prepare the primary VM's devicetree in @info's buffer
 * (host_dt_prepare() with @link, or without the RM's node if @link is
 * NULL) and hand it to the hypervisor. Returns 0 or a Gunyah error.
 */
int rm_host_dt_publish(const struct rm_boot_info *info, const struct rm_link_info *link);

/* The RM's interrupt @virq (RM_VIRQ_*) was raised: run it. */
void rm_interrupt(u32 virq);

/* The primary VM's link, for its devicetree (valid after rm_start). */
const struct rm_link_info *rm_host_link(void);

/* Packets dropped as malformed, over all clients (for tests and logs). */
u32 rm_dropped_packets(void);

/*
 * Queue a notification to @c; only from the RM's own context (a message
 * handler). Returns RM_OK, or RM_ERROR_NOMEM if it does not fit (it is then
 * dropped and counted).
 */
u32 rm_notify(struct rm_client *c, u32 msg_id, const void *payload, size_t len);

/* Message handlers: return an RM error; reply data go to @reply. */
struct rm_request {
	struct rm_client *client;
	u32 msg_id;
	const u8 *data;
	size_t len;
	u8 *reply;		/* RM_RPC_MSG_MAX - 4 bytes */
	size_t reply_len;
	/* A notification to send the client once the reply is queued. */
	u32 notify_id;
	u8 notify[16];
	size_t notify_len;
};

u32 rm_vm_mgmt_handle(struct rm_request *req);

/* The client link of VM @vmid, or NULL. */
struct rm_client *rm_client_of(u16 vmid);

/* Report the guests that stopped by themselves to their owners. */
void rm_vm_poll_exits(void);

/* Forget every VM (at RM start). */
void rm_vm_table_init(void);

/* The cspace of client VM @vmid (where the RM puts its caps), or RM_NO_CAP. */
u64 rm_owner_cspace(u16 vmid);

#endif
