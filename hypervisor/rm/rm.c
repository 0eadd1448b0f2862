// SPDX-License-Identifier: GPL-2.0-only
/*
 * The resource manager's event loop and RPC server; see include/rm/rm.h.
 *
 * The RM runs whenever one of its queue interrupts is raised: a client sent
 * a packet, or a client's receive queue has room again. Whoever raises it
 * runs the RM on its own CPU; a CPU that finds the RM busy only marks it
 * pending, and the running one loops once more. The RM takes a new request
 * only when its outbox has room for the largest reply, so replies are never
 * dropped; a client that does not read its replies eventually sees its send
 * queue full, which is the back-pressure the protocol expects.
 */
#include <string.h>
#include <hyp/console.h>
#include <hyp/gunyah_abi.h>
#include <hyp/hypercall.h>
#include <rm/hyp_iface.h>
#include <rm/memparcel.h>
#include <rm/rm.h>

#define rm_log(...)	hyp_log_prefix("[RM] ", __VA_ARGS__)

/* Malformed packets logged before going quiet. */
#define RM_DROP_LOG_MAX	16

static const char *const drop_names[RM_DROP_NR] = {
	[RM_DROP_SHORT] = "bad length",
	[RM_DROP_HEADER] = "bad version or header length",
	[RM_DROP_TYPE] = "not a request",
	[RM_DROP_FRAGMENTS] = "too many fragments",
	[RM_DROP_STRAY] = "stray continuation",
	[RM_DROP_MISMATCH] = "continuation of another message",
	[RM_DROP_RESTARTED] = "incomplete message abandoned",
};

static struct rm {
	struct hyp_vm vm;	/* the RM as a hypercall caller */
	struct rm_client host;
	struct rm_link_info host_link;
	struct virq virq;	/* bound to the RM's ends of every queue */
	struct virq halt_virq;	/* raised when a guest stops */
	u32 busy;
	u32 pending;
	u32 exits_pending;	/* a guest stopped since the last look */
	u32 dropped;
	u8 packet[RM_RPC_PACKET_MAX];
	u8 reply[RM_RPC_MSG_MAX];
} rm;

/* The RM's buffers are its own memory. */
static int rm_copy_in(void *dst, u64 src, size_t len)
{
	memcpy(dst, (const void *)(uintptr_t)src, len);
	return 0;
}

static int rm_copy_out(u64 dst, const void *src, size_t len)
{
	memcpy((void *)(uintptr_t)dst, src, len);
	return 0;
}

/* A hypercall, as the RM would issue it with HVC from its own VM. */
static s64 rm_hypercall(u32 num, u64 a1, u64 a2, u64 a3, u64 a4, u64 *r1, u64 *r2)
{
	u64 regs[SMCCC_NR_REGS] = { 0, a1, a2, a3, a4 };

	hypercall_dispatch(&rm.vm, num, regs);
	if (r1)
		*r1 = regs[1];
	if (r2)
		*r2 = regs[2];
	return (s64)regs[0];
}

static bool outbox_has_room(const struct rm_outbox *out, unsigned int packets)
{
	return out->count + packets <= RM_OUTBOX_PACKETS;
}

/* Queue a whole message; the caller checked there is room. */
static void outbox_put(struct rm_outbox *out, enum rm_rpc_type type, u32 msg_id, u16 seq,
		       const u8 *payload, size_t len)
{
	unsigned int n = rm_rpc_continuations(len) + 1, i;

	for (i = 0; i < n; i++) {
		unsigned int slot = (out->head + out->count) % RM_OUTBOX_PACKETS;

		out->len[slot] = rm_rpc_packet(out->pkt[slot], type, msg_id, seq, payload,
					       len, i);
		out->push[slot] = i == n - 1;
		out->count++;
	}
}

/* Send queued packets until the client's queue is full. */
static void outbox_flush(struct rm_client *c)
{
	struct rm_outbox *out = &c->out;

	while (out->count) {
		unsigned int slot = out->head;
		s64 ret = rm_hypercall(GUNYAH_HYPCALL_MSGQ_SEND, c->tx_cap, out->len[slot],
				       (uintptr_t)out->pkt[slot],
				       out->push[slot] ? GUNYAH_MSGQ_SEND_PUSH : 0, NULL, NULL);

		if (ret == GUNYAH_ERROR_MSGQUEUE_FULL)
			return;
		if (ret)
			rm_log("send to VM %u failed (%ld): packet lost\n", c->vm->vmid, (long)ret);
		out->head = (out->head + 1) % RM_OUTBOX_PACKETS;
		out->count--;
	}
}

static void rm_count_drop(struct rm_client *c, const u32 *before)
{
	unsigned int i;

	for (i = 0; i < RM_DROP_NR; i++) {
		if (c->rx.drops[i] == before[i])
			continue;
		rm.dropped++;
		if (rm.dropped <= RM_DROP_LOG_MAX)
			rm_log("dropped a packet from VM %u: %s (%u dropped so far)\n",
			       c->vm->vmid, drop_names[i], rm.dropped);
	}
}

static void rm_dispatch(struct rm_client *c)
{
	struct rm_request req = {
		.client = c,
		.msg_id = c->rx.hdr.msg_id,
		.data = c->rx.payload,
		.len = c->rx.len,
		.reply = rm.reply + 4,
		.reply_len = 0,
	};
	u32 err;

	switch (req.msg_id >> 24) {
	case 0x56:
		err = rm_vm_mgmt_handle(&req);
		break;
	case 0x51:
		err = rm_memparcel_handle(&req);
		break;
	default:
		err = RM_ERROR_UNIMPLEMENTED;
		break;
	}
	/* Every reply starts with the error word; data only on success. */
	if (err != RM_OK)
		req.reply_len = 0;
	rm_put_le32(rm.reply, err);
	outbox_put(&c->out, RM_RPC_REPLY, req.msg_id, c->rx.hdr.seq, rm.reply,
		   4 + req.reply_len);
	/* A state change the request caused: told after the reply. */
	if (req.notify_id)
		rm_notify(c, req.notify_id, req.notify, req.notify_len);
}

/* Serve one client until its queue is empty or its outbox has no room. */
static void rm_serve(struct rm_client *c)
{
	for (;;) {
		u32 before[RM_DROP_NR];
		u64 size;
		s64 ret;

		outbox_flush(c);
		if (!outbox_has_room(&c->out, RM_RPC_MAX_CONT + 1))
			return;
		ret = rm_hypercall(GUNYAH_HYPCALL_MSGQ_RECEIVE, c->rx_cap, (uintptr_t)rm.packet,
				   sizeof(rm.packet), 0, &size, NULL);
		if (ret == GUNYAH_ERROR_MSGQUEUE_EMPTY)
			return;
		if (ret) {
			rm_log("receive from VM %u failed (%ld)\n", c->vm->vmid, (long)ret);
			return;
		}
		memcpy(before, c->rx.drops, sizeof(before));
		switch (rm_rpc_rx_packet(&c->rx, rm.packet, size)) {
		case RM_RX_MESSAGE:
			rm_dispatch(c);
			break;
		case RM_RX_DROPPED:
		case RM_RX_INCOMPLETE:
			break;
		}
		rm_count_drop(c, before);
	}
}

/* A queue interrupt of the RM: run it here unless another CPU does. */
static void rm_kick(struct virq *v __unused)
{
	__atomic_store_n(&rm.pending, 1, __ATOMIC_SEQ_CST);
	while (!__atomic_exchange_n(&rm.busy, 1, __ATOMIC_ACQUIRE)) {
		while (__atomic_exchange_n(&rm.pending, 0, __ATOMIC_ACQ_REL)) {
			rm_serve(&rm.host);
			/* Looking at every VM costs more than a call: only after a halt. */
			if (__atomic_exchange_n(&rm.exits_pending, 0, __ATOMIC_ACQ_REL))
				rm_vm_poll_exits();
		}
		__atomic_store_n(&rm.busy, 0, __ATOMIC_RELEASE);
		/* Kicked between the last check and the release? Go again. */
		if (!__atomic_load_n(&rm.pending, __ATOMIC_ACQUIRE))
			break;
	}
}

/* A guest stopped: look at the VMs' exits once the RM runs. */
static void rm_halt_kick(struct virq *v)
{
	__atomic_store_n(&rm.exits_pending, 1, __ATOMIC_SEQ_CST);
	rm_kick(v);
}

u32 rm_notify(struct rm_client *c, u32 msg_id, const void *payload, size_t len)
{
	int cont = rm_rpc_continuations(len);

	/*
	 * rm_serve() takes a request only with room for its reply, so a
	 * notification never displaces one: it needs only its own packets.
	 */
	if (cont < 0 || !outbox_has_room(&c->out, cont + 1)) {
		c->notif_dropped++;
		rm_log("notification %#x to VM %u dropped (%u so far)\n", msg_id, c->vm->vmid,
		       c->notif_dropped);
		return RM_ERROR_NOMEM;
	}
	outbox_put(&c->out, RM_RPC_NOTIFICATION, msg_id, c->notif_seq++, payload, len);
	outbox_flush(c);
	return RM_OK;
}

/* Create a queue pair to @vm and give each side its ends. */
static int rm_link_client(struct rm_client *c, struct hyp_vm *vm, struct virq *vm_tx,
			  struct virq *vm_rx)
{
	struct msgq *to_rm = msgq_create(RM_QUEUE_DEPTH, RM_MSG_SIZE);
	struct msgq *from_rm = msgq_create(RM_QUEUE_DEPTH, RM_MSG_SIZE);
	int ret;

	if (!to_rm || !from_rm)
		return GUNYAH_ERROR_NOMEM;
	c->vm = vm;
	rm_rpc_rx_init(&c->rx);
	/* The client's caps first: the host expects TX = 0, RX = 1. */
	ret = cspace_insert(&vm->cspace, hyp_msgq_object(to_rm), RIGHT_MSGQ_SEND,
			    &c->client_tx_cap);
	if (!ret)
		ret = cspace_insert(&vm->cspace, hyp_msgq_object(from_rm), RIGHT_MSGQ_RECEIVE,
				    &c->client_rx_cap);
	if (!ret)
		ret = cspace_insert(&rm.vm.cspace, hyp_msgq_object(to_rm), RIGHT_MSGQ_RECEIVE,
				    &c->rx_cap);
	if (!ret)
		ret = cspace_insert(&rm.vm.cspace, hyp_msgq_object(from_rm), RIGHT_MSGQ_SEND,
				    &c->tx_cap);
	if (ret)
		return ret;
	hyp_msgq_bind(to_rm, vm_tx, &rm.virq);
	hyp_msgq_bind(from_rm, &rm.virq, vm_rx);
	return 0;
}

int rm_init(struct hyp_vm *host, const struct rm_host_irqs *irqs)
{
	int ret;

	memset(&rm, 0, sizeof(rm));
	rm_vm_table_init();
	rm_memparcel_init();
	rm.vm.vmid = VMID_RM;
	cspace_init(&rm.vm.cspace);
	rm.vm.copy_from = rm_copy_in;
	rm.vm.copy_to = rm_copy_out;
	rm.virq.raise = rm_kick;
	rm.halt_virq.raise = rm_halt_kick;

	ret = rm_link_client(&rm.host, host, irqs->tx, irqs->rx);
	if (ret)
		return ret;
	rm.host_link = (struct rm_link_info){
		.tx_cap = rm.host.client_tx_cap,
		.rx_cap = rm.host.client_rx_cap,
		.tx_intid = irqs->tx_intid,
		.rx_intid = irqs->rx_intid,
		.free_irq_start = irqs->free_irq_start,
		.queue_depth = RM_QUEUE_DEPTH,
		.msg_size = RM_MSG_SIZE,
	};
	rm_log("Resource Manager ready: VM %u talks to it through caps %lu (TX) and %lu (RX), IRQs %u and %u\n",
	       host->vmid, (unsigned long)rm.host.client_tx_cap,
	       (unsigned long)rm.host.client_rx_cap, irqs->tx_intid, irqs->rx_intid);
	return 0;
}

struct virq *rm_event_virq(void)
{
	return &rm.halt_virq;
}

struct rm_client *rm_client_of(u16 vmid)
{
	return rm.host.vm && rm.host.vm->vmid == vmid ? &rm.host : NULL;
}

struct hyp_vm *rm_owner_vm(u16 vmid)
{
	return rm.host.vm && rm.host.vm->vmid == vmid ? rm.host.vm : NULL;
}

const struct rm_link_info *rm_host_link(void)
{
	return &rm.host_link;
}

u32 rm_dropped_packets(void)
{
	return rm.dropped;
}
