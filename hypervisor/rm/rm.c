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
#include <rm/hypcall.h>
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
	struct rm_boot_info boot;
	struct rm_client host;
	struct rm_link_info host_link;
	u32 busy;
	u32 pending;
	u32 exits_pending;	/* a guest stopped since the last look */
	u32 dropped;
	u8 packet[RM_RPC_PACKET_MAX];
	u8 reply[RM_RPC_MSG_MAX];
} rm;

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
		s64 ret = rm_hyp_msgq_send(c->tx_cap, out->pkt[slot], out->len[slot],
					   out->push[slot] ? GUNYAH_MSGQ_SEND_PUSH : 0);

		if (ret == GUNYAH_ERROR_MSGQUEUE_FULL)
			return;
		if (ret)
			rm_log("send to VM %u failed (%ld): packet lost\n", c->vmid, (long)ret);
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
			       c->vmid, drop_names[i], rm.dropped);
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

/*
 * Serve one client until its queue is empty or its outbox has no room.
 * Empty as the last receive said: the next packet pushed raises the RM's
 * interrupt again, and a hypercall that would find nothing is saved (in
 * the RM's own VM each one is a trap).
 */
static void rm_serve(struct rm_client *c)
{
	bool more = true;

	for (;;) {
		u32 before[RM_DROP_NR];
		u64 size;
		s64 ret;

		outbox_flush(c);
		if (!outbox_has_room(&c->out, RM_RPC_MAX_CONT + 1) || !more)
			return;
		ret = rm_hyp_msgq_receive(c->rx_cap, rm.packet, sizeof(rm.packet), &size, &more);
		if (ret == GUNYAH_ERROR_MSGQUEUE_EMPTY)
			return;
		if (ret) {
			rm_log("receive from VM %u failed (%ld)\n", c->vmid, (long)ret);
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
static void rm_kick(void)
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

void rm_interrupt(u32 virq)
{
	/* A guest stopped: look at the VMs' exits once the RM runs. */
	if (virq == RM_VIRQ_HALT)
		__atomic_store_n(&rm.exits_pending, 1, __ATOMIC_SEQ_CST);
	rm_kick();
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
		rm_log("notification %#x to VM %u dropped (%u so far)\n", msg_id, c->vmid,
		       c->notif_dropped);
		return RM_ERROR_NOMEM;
	}
	outbox_put(&c->out, RM_RPC_NOTIFICATION, msg_id, c->notif_seq++, payload, len);
	outbox_flush(c);
	return RM_OK;
}

/* One end of a link: a queue in the RM's cspace, and the client's cap to it. */
static int rm_link_queue(const struct rm_client *c, u32 client_rights, u64 *rm_cap,
			 u64 *client_cap)
{
	int ret = rm_hyp_msgq_create(RM_QUEUE_DEPTH, RM_MSG_SIZE, rm_cap);

	if (!ret)
		ret = rm_hyp_cap_copy(*rm_cap, c->cspace_cap, client_rights, client_cap);
	return ret;
}

/*
 * Create a queue pair to VM @vmid and give it its ends; the queues raise
 * @tx_intid and @rx_intid of its interrupt controller @vic, and the RM's
 * RM_VIRQ_MSGQ.
 */
static int rm_link_client(struct rm_client *c, u16 vmid, u64 cspace, u64 vic, u32 tx_intid,
			  u32 rx_intid)
{
	int ret;

	c->vmid = vmid;
	c->cspace_cap = cspace;
	rm_rpc_rx_init(&c->rx);
	/* The client's caps first: the host expects TX = 0, RX = 1. */
	ret = rm_link_queue(c, RIGHT_MSGQ_SEND, &c->rx_cap, &c->client_tx_cap);
	if (!ret)
		ret = rm_link_queue(c, RIGHT_MSGQ_RECEIVE, &c->tx_cap, &c->client_rx_cap);
	if (!ret)
		ret = rm_hyp_msgq_bind(c->rx_cap, true, vic, tx_intid);
	if (!ret)
		ret = rm_hyp_msgq_bind(c->rx_cap, false, rm.boot.vic_cap, RM_VIRQ_MSGQ);
	if (!ret)
		ret = rm_hyp_msgq_bind(c->tx_cap, true, rm.boot.vic_cap, RM_VIRQ_MSGQ);
	if (!ret)
		ret = rm_hyp_msgq_bind(c->tx_cap, false, vic, rx_intid);
	return ret;
}

int rm_start(const struct rm_boot_info *info)
{
	int ret;

	memset(&rm, 0, sizeof(rm));
	rm.boot = *info;
	rm_hyp_init(info);
	rm_vm_table_init();
	rm_memparcel_init();

	/* First a devicetree the host can boot from, whatever happens next. */
	ret = rm_host_dt_publish(info, NULL);
	if (ret)
		return ret;
	ret = rm_link_client(&rm.host, info->host_vmid, info->host_cspace_cap,
			     info->host_vic_cap, info->host_tx_intid, info->host_rx_intid);
	if (ret)
		return ret;
	rm.host_link = (struct rm_link_info){
		.tx_cap = rm.host.client_tx_cap,
		.rx_cap = rm.host.client_rx_cap,
		.tx_intid = info->host_tx_intid,
		.rx_intid = info->host_rx_intid,
		.free_irq_start = info->host_free_irq_start,
		.queue_depth = RM_QUEUE_DEPTH,
		.msg_size = RM_MSG_SIZE,
	};
	return 0;
}

int rm_publish_host_link(void)
{
	int ret = rm_host_dt_publish(&rm.boot, &rm.host_link);

	if (ret)
		return ret;
	rm_log("Resource Manager ready: VM %u talks to it through caps %lu (TX) and %lu (RX), IRQs %u and %u\n",
	       rm.boot.host_vmid, (unsigned long)rm.host_link.tx_cap,
	       (unsigned long)rm.host_link.rx_cap, rm.host_link.tx_intid, rm.host_link.rx_intid);
	return 0;
}

struct rm_client *rm_client_of(u16 vmid)
{
	return vmid && rm.host.vmid == vmid ? &rm.host : NULL;
}

u64 rm_owner_cspace(u16 vmid)
{
	return rm_client_of(vmid) ? rm.host.cspace_cap : RM_NO_CAP;
}

const struct rm_link_info *rm_host_link(void)
{
	return &rm.host_link;
}

u32 rm_dropped_packets(void)
{
	return rm.dropped;
}
