// SPDX-License-Identifier: GPL-2.0-only
/*
 * Gunyah Resource Manager (RM): the RPC core and the platform driver of the
 * RM's devicetree node.
 *
 * The RPC core frames requests into packets of at most 240 bytes, matches
 * replies to waiting callers by sequence number and message ID, reassembles
 * fragmented replies and notifications and hands notifications to a
 * blocking notifier chain from a work item. It reaches the RM through a
 * small transport interface (&struct gunyah_rm_transport_ops and
 * gunyah_rm_rx()); the platform driver plugs in the RM's message queue pair
 * (gunyah_msgq: requests are sent synchronously with gunyah_msgq_send(),
 * packets come in through the mailbox client's rx_callback), KUnit plugs
 * in a fake.
 *
 * A call costs no context switch when the RM answers at once: the last
 * packet's send receives what the RM sent meanwhile, in the caller's
 * context, so the reply completes the call before the caller waits. An RM
 * that answers later (the real Gunyah's RM is a VM of its own) wakes the
 * receive interrupt's thread, which completes the call.
 *
 * Lifetime of &struct gunyah_rm
 * -----------------------------
 * The object is reference counted (gunyah_rm_get(), gunyah_rm_put()) and is
 * not device-managed: callers of gunyah_rm_call(), open files of
 * /dev/gunyah and other modules may hold it after the device is unbound, and
 * devres would free it while they still use it. Teardown runs in this
 * order:
 *
 *  1. gunyah_rm_stop(): under the send lock, mark the RM dead. No packet is
 *     sent afterwards; new calls fail with -ENODEV.
 *  2. The transport stops delivering packets (gunyah_msgq_remove() frees
 *     the interrupts, waiting for the receive thread).
 *  3. gunyah_rm_destroy(): complete every call still waiting for a reply
 *     with -ENODEV, then destroy the notification workqueue, which first
 *     runs every queued notification to the end. Only then is the creator's
 *     reference dropped; the memory goes with the last reference.
 *
 * So no notification work can run on freed memory, and nothing queues work
 * after the workqueue is gone.
 */

#include <linux/atomic.h>
#include <linux/cleanup.h>
#include <linux/completion.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/gunyah.h>
#include <linux/gunyah_msgq.h>
#include <linux/kref.h>
#include <linux/ktime.h>
#include <linux/mailbox_client.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mod_devicetable.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/of.h>
#include <linux/of_irq.h>
#include <linux/overflow.h>
#include <linux/platform_device.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include <linux/workqueue.h>

#include <kunit/visibility.h>

#include "rsc_mgr.h"
#include "vm_mgr.h"

#define CREATE_TRACE_POINTS
#include "gunyah_rsc_mgr_trace.h"

/**
 * struct gunyah_rm_call - A request waiting for its reply
 * @msg_id: message ID of the request; the reply must carry the same
 * @done: completed once the reply (or an error) is in
 * @ret: 0, or an errno if no valid reply arrived
 * @rm_error: the reply's error word
 * @resp: reply data after the error word (kmalloc'd), or NULL
 * @resp_size: size of @resp
 *
 * Lives on the caller's stack. Whoever takes it out of the call slot
 * completes it and is the last to touch it apart from the caller.
 */
struct gunyah_rm_call {
	u32 msg_id;
	struct completion done;
	int ret;
	u32 rm_error;
	void *resp;
	size_t resp_size;
};

/**
 * struct gunyah_rm_rx_state - Reassembly of the message being received
 * @active: a first packet arrived and continuations are expected
 * @type: %GUNYAH_RM_RPC_TYPE_REPLY or %GUNYAH_RM_RPC_TYPE_NOTIFICATION
 * @fragments: continuations announced by the first packet
 * @received: continuations received so far
 * @seq: sequence number of the message
 * @msg_id: message ID of the message
 * @size: bytes of payload in @buf
 * @buf: %GUNYAH_RM_MAX_RX_MSG_SIZE bytes, allocated once
 */
struct gunyah_rm_rx_state {
	bool active;
	enum gunyah_rm_rpc_type type;
	unsigned int fragments;
	unsigned int received;
	u16 seq;
	u32 msg_id;
	size_t size;
	u8 *buf;
};

/**
 * struct gunyah_rm_notif - A notification waiting for the notifier chain
 * @list: node in &gunyah_rm.notifs
 * @msg_id: its message ID
 * @size: size of @payload
 * @payload: its payload
 */
struct gunyah_rm_notif {
	struct list_head list;
	u32 msg_id;
	size_t size;
	u8 payload[] __counted_by(size);
};

/**
 * struct gunyah_rm - A connection to the Resource Manager
 * @dev: device for messages; a reference is held
 * @ops: transport
 * @transport: transport's argument
 * @kref: reference count
 * @call_lock: one request in flight at a time, from sending it to its reply
 * @send_lock: serialises requests, so that their packets do not interleave
 * @dead: no more sending (under @send_lock)
 * @tx_pkt: packet being sent (under @send_lock)
 * @call_slot_lock: protects @call and @call_seq
 * @call: the request waiting for its reply, or NULL. One at a time
 *	(@call_lock), so one slot: a reply is matched against it alone.
 * @call_seq: sequence number of @call
 * @next_seq: sequence number of the next request
 * @rx_lock: serialises gunyah_rm_rx()
 * @rx: reassembly state (under @rx_lock)
 * @rx_dropped: packets and messages dropped (written under @rx_lock)
 * @refusals: requests the RM answered with an error
 * @notifier: notifier chain of RM notifications
 * @notif_wq: ordered workqueue of @notif_work; NULL after teardown (under
 *	@rx_lock)
 * @notif_work: runs @notifier for each entry of @notifs
 * @notif_lock: protects @notifs
 * @notifs: notifications received, oldest first
 * @vmid_cache: BIT(16) | VMID once VM_GET_VMID succeeded, else 0
 */
struct gunyah_rm {
	struct device *dev;
	const struct gunyah_rm_transport_ops *ops;
	void *transport;
	struct kref kref;

	struct mutex call_lock;		/* one request in flight */
	struct mutex send_lock;		/* serialises requests */
	bool dead;
	u8 tx_pkt[GUNYAH_RM_MAX_PACKET_SIZE];

	spinlock_t call_slot_lock;	/* protects call, call_seq */
	struct gunyah_rm_call *call;
	u16 call_seq;
	u16 next_seq;

	struct mutex rx_lock;		/* serialises gunyah_rm_rx() */
	struct gunyah_rm_rx_state rx;
	unsigned long rx_dropped;
	atomic_long_t refusals;

	struct blocking_notifier_head notifier;
	struct workqueue_struct *notif_wq;
	struct work_struct notif_work;
	spinlock_t notif_lock;		/* protects notifs */
	struct list_head notifs;

	u32 vmid_cache;
};

#define GUNYAH_RM_VMID_CACHED	BIT(16)

/* ---------------------------------------------------------------------- */
/* Names for messages                                                     */

/**
 * gunyah_rm_msg_name() - The name of a request the driver sends
 * @msg_id: its message ID
 *
 * Context: Any context.
 * Return: the RM's name of the message (abi.md 7.4, 7.6), such as
 * "VM_INIT", or NULL for a message ID the driver does not send.
 */
const char *gunyah_rm_msg_name(u32 msg_id)
{
	switch (msg_id) {
	case GUNYAH_RM_RPC_VM_ALLOC_VMID:	return "VM_ALLOCATE";
	case GUNYAH_RM_RPC_VM_DEALLOC_VMID:	return "VM_DEALLOCATE";
	case GUNYAH_RM_RPC_VM_START:		return "VM_START";
	case GUNYAH_RM_RPC_VM_STOP:		return "VM_STOP";
	case GUNYAH_RM_RPC_VM_RESET:		return "VM_RESET";
	case GUNYAH_RM_RPC_VM_CONFIG_IMAGE:	return "VM_CONFIG_IMAGE";
	case GUNYAH_RM_RPC_VM_INIT:		return "VM_INIT";
	case GUNYAH_RM_RPC_VM_GET_STATE:	return "VM_GET_STATE";
	case GUNYAH_RM_RPC_VM_GET_HYP_RESOURCES: return "VM_GET_HYP_RESOURCES";
	case GUNYAH_RM_RPC_VM_GET_VMID:		return "VM_GET_VMID";
	case GUNYAH_RM_RPC_VM_SET_BOOT_CONTEXT:	return "VM_SET_BOOT_CONTEXT";
	case GUNYAH_RM_RPC_VM_SET_FIRMWARE_MEM:	return "VM_SET_FIRMWARE_MEM";
	case GUNYAH_RM_RPC_VM_HOST_GET_TYPE:	return "VM_HOST_GET_TYPE";
	case GUNYAH_RM_RPC_MEM_LEND:		return "MEM_LEND";
	case GUNYAH_RM_RPC_MEM_SHARE:		return "MEM_SHARE";
	case GUNYAH_RM_RPC_MEM_RECLAIM:		return "MEM_RECLAIM";
	case GUNYAH_RM_RPC_MEM_APPEND:		return "MEM_APPEND";
	default:				return NULL;
	}
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_rm_msg_name);

/**
 * gunyah_rm_error_name() - The name of an RM error
 * @rm_error: the error word of a reply
 *
 * Context: Any context.
 * Return: the name of &enum gunyah_rm_error without its prefix, such as
 * "ARGUMENT_INVALID", or NULL for a value it does not define.
 */
const char *gunyah_rm_error_name(u32 rm_error)
{
	switch (rm_error) {
	case GUNYAH_RM_ERROR_OK:		return "OK";
	case GUNYAH_RM_ERROR_UNIMPLEMENTED:	return "UNIMPLEMENTED";
	case GUNYAH_RM_ERROR_NOMEM:		return "NOMEM";
	case GUNYAH_RM_ERROR_NORESOURCE:	return "NORESOURCE";
	case GUNYAH_RM_ERROR_DENIED:		return "DENIED";
	case GUNYAH_RM_ERROR_MSG_INVALID:	return "MSG_INVALID";
	case GUNYAH_RM_ERROR_BUSY:		return "BUSY";
	case GUNYAH_RM_ERROR_ARGUMENT_INVALID:	return "ARGUMENT_INVALID";
	case GUNYAH_RM_ERROR_HANDLE_INVALID:	return "HANDLE_INVALID";
	case GUNYAH_RM_ERROR_VALIDATE_FAILED:	return "VALIDATE_FAILED";
	case GUNYAH_RM_ERROR_MAP_FAILED:	return "MAP_FAILED";
	case GUNYAH_RM_ERROR_MEM_INVALID:	return "MEM_INVALID";
	case GUNYAH_RM_ERROR_MEM_INUSE:		return "MEM_INUSE";
	case GUNYAH_RM_ERROR_MEM_RELEASED:	return "MEM_RELEASED";
	case GUNYAH_RM_ERROR_VMID_INVALID:	return "VMID_INVALID";
	case GUNYAH_RM_ERROR_LOOKUP_FAILED:	return "LOOKUP_FAILED";
	case GUNYAH_RM_ERROR_IRQ_INVALID:	return "IRQ_INVALID";
	case GUNYAH_RM_ERROR_IRQ_INUSE:		return "IRQ_INUSE";
	case GUNYAH_RM_ERROR_IRQ_RELEASED:	return "IRQ_RELEASED";
	case GUNYAH_RM_ERROR_IN_USE:		return "IN_USE";
	case GUNYAH_RM_ERROR_IRQ_NOT_MAPPED:	return "IRQ_NOT_MAPPED";
	case GUNYAH_RM_ERROR_VM_STATE:		return "VM_STATE";
	default:				return NULL;
	}
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_rm_error_name);

/*
 * The RM refused a request: say which and why, in one line. The errno the
 * caller gets cannot tell, e.g., VM_INIT's ARGUMENT_INVALID (a devicetree
 * the RM cannot use) from MEM_LEND's MEM_INVALID.
 */
static void gunyah_rm_refused(struct gunyah_rm *rm, u32 msg_id, u32 rm_error)
{
	const char *msg = gunyah_rm_msg_name(msg_id);
	const char *err = gunyah_rm_error_name(rm_error);

	atomic_long_inc(&rm->refusals);
	dev_warn_ratelimited(rm->dev, "RM refused %s (%#x): %s (%#x)\n",
			     msg ?: "message", msg_id, err ?: "unknown error",
			     rm_error);
}

/**
 * gunyah_rm_refusals() - Number of requests the RM refused so far
 * @rm: the RM
 *
 * Return: the requests the RM answered with an error other than OK, each
 * of them logged (rate limited) with the message and the error.
 */
unsigned long gunyah_rm_refusals(struct gunyah_rm *rm)
{
	return atomic_long_read(&rm->refusals);
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_rm_refusals);

/* ---------------------------------------------------------------------- */
/* Sending                                                                */

static int gunyah_rm_send_request(struct gunyah_rm *rm, u32 msg_id, u16 seq,
				  const void *req, size_t size)
{
	struct gunyah_rm_rpc_hdr *hdr = (struct gunyah_rm_rpc_hdr *)rm->tx_pkt;
	unsigned int fragments, i;
	size_t offset = 0;
	int ret = 0;

	/* One packet even for an empty request */
	fragments = size ? DIV_ROUND_UP(size, GUNYAH_RM_MAX_PAYLOAD_SIZE) - 1 : 0;

	guard(mutex)(&rm->send_lock);

	if (rm->dead)
		return -ENODEV;

	for (i = 0; i <= fragments; i++) {
		size_t len = min(size - offset, GUNYAH_RM_MAX_PAYLOAD_SIZE);

		gunyah_rm_rpc_hdr_init(hdr, i ? GUNYAH_RM_RPC_TYPE_CONTINUATION :
						GUNYAH_RM_RPC_TYPE_REQUEST,
				       fragments, seq, msg_id);
		if (len)
			memcpy(hdr + 1, req + offset, len);
		offset += len;

		/* Raise the RM's interrupt once the whole message is queued. */
		ret = rm->ops->send(rm->transport, rm->tx_pkt,
				    sizeof(*hdr) + len, i == fragments);
		if (ret) {
			dev_warn_ratelimited(rm->dev,
					     "failed to send packet %u/%u of message %#x: %d\n",
					     i + 1, fragments + 1, msg_id, ret);
			return ret;
		}
	}

	return 0;
}

/* Empty the call slot if it holds @call; whoever empties it completes it. */
static bool gunyah_rm_take_call(struct gunyah_rm *rm, struct gunyah_rm_call *call)
{
	bool mine;

	spin_lock(&rm->call_slot_lock);
	mine = rm->call == call;
	if (mine)
		rm->call = NULL;
	spin_unlock(&rm->call_slot_lock);

	return mine;
}

/**
 * gunyah_rm_call() - Send a request to the RM and wait for its reply
 * @rm: the RM, with a reference held by the caller
 * @message_id: message ID of the request; not 0
 * @req_buf: request payload; may be NULL if @req_buf_size is 0
 * @req_buf_size: size of the request payload, at most
 *	%GUNYAH_RM_MAX_TX_MSG_SIZE
 * @resp_buf: if not NULL, filled with the reply data following the error
 *	word (kmalloc'd, kfree() it) or NULL if there is none. Only set when
 *	the call returns 0.
 * @resp_buf_size: filled with the size of @resp_buf; NULL if and only if
 *	@resp_buf is NULL
 *
 * The wait is uninterruptible: once the request is sent, only the reply
 * says what the RM did, and the caller's rollback depends on it. The RM
 * answers every request (abi.md 6.4).
 *
 * Calls are serialised: the next request is sent only once the previous
 * one has its reply. The RM keeps a single pending reply per client while
 * the client's queue is full, and drops it when the reply to a newer
 * request has to wait too; a caller whose reply was dropped would wait
 * forever.
 *
 * Context: Process context; sleeps. RM notifier callbacks may call it:
 * replies are matched in the receive path, not on the notification
 * workqueue.
 * An error from the RM is logged, rate limited, with the names of the
 * message and of the error (gunyah_rm_refusals() counts them). The trace
 * events gunyah_rm_call_start and gunyah_rm_call_done bracket the call
 * once it has its sequence number.
 *
 * Return: 0 on success; -EINVAL for bad arguments; -E2BIG if the request
 * is too large; -ENODEV if the RM is going away; -EBADMSG if the reply
 * was malformed; -ENOMEM; the transport's error; or the RM's error
 * remapped by gunyah_rm_error_remap().
 */
int gunyah_rm_call(struct gunyah_rm *rm, u32 message_id, const void *req_buf,
		   size_t req_buf_size, void **resp_buf, size_t *resp_buf_size)
{
	struct gunyah_rm_call call = { .msg_id = message_id };
	ktime_t start;
	u16 seq;
	int ret;

	if (!rm || !message_id || (req_buf_size && !req_buf) ||
	    !resp_buf != !resp_buf_size)
		return -EINVAL;

	if (req_buf_size > GUNYAH_RM_MAX_TX_MSG_SIZE)
		return -E2BIG;

	if (resp_buf) {
		*resp_buf = NULL;
		*resp_buf_size = 0;
	}

	init_completion(&call.done);

	guard(mutex)(&rm->call_lock);

	/*
	 * Every request gets the next sequence number, so that a late reply
	 * to an earlier one (which the RM never sends; a confused one might)
	 * cannot complete this one.
	 */
	seq = rm->next_seq++;
	scoped_guard(spinlock, &rm->call_slot_lock) {
		rm->call = &call;
		rm->call_seq = seq;
	}

	trace_gunyah_rm_call_start(message_id, seq, req_buf_size);
	/* The clock only for the trace: nothing reads it otherwise. */
	start = trace_gunyah_rm_call_done_enabled() ? ktime_get() : 0;

	ret = gunyah_rm_send_request(rm, message_id, seq, req_buf,
				     req_buf_size);
	if (ret) {
		/*
		 * If the call is no longer in its slot, a reply or the
		 * teardown took it and completes it: wait for that before
		 * the stack frame goes away.
		 */
		if (!gunyah_rm_take_call(rm, &call)) {
			wait_for_completion(&call.done);
			kfree(call.resp);
		}
		trace_gunyah_rm_call_done(message_id, seq, GUNYAH_RM_ERROR_OK, ret, 0, start);
		return ret;
	}

	wait_for_completion(&call.done);

	ret = call.ret;
	if (!ret && call.rm_error != GUNYAH_RM_ERROR_OK)
		ret = gunyah_rm_error_remap(call.rm_error);
	trace_gunyah_rm_call_done(message_id, seq, call.rm_error, ret, call.resp_size, start);

	if (call.ret)
		return call.ret;

	if (call.rm_error != GUNYAH_RM_ERROR_OK) {
		gunyah_rm_refused(rm, message_id, call.rm_error);
		kfree(call.resp);
		return ret;
	}

	if (resp_buf) {
		*resp_buf = call.resp;
		*resp_buf_size = call.resp_size;
	} else {
		kfree(call.resp);
	}

	return 0;
}
EXPORT_SYMBOL_GPL(gunyah_rm_call);

/* ---------------------------------------------------------------------- */
/* Receiving                                                              */

static __printf(2, 3) void gunyah_rm_drop(struct gunyah_rm *rm,
					   const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	rm->rx_dropped++;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	dev_warn_ratelimited(rm->dev, "dropped: %pV", &vaf);
	va_end(args);
}

static void gunyah_rm_complete_call(struct gunyah_rm *rm,
				    const struct gunyah_rm_rx_state *rx)
{
	struct gunyah_rm_call *call;

	scoped_guard(spinlock, &rm->call_slot_lock) {
		call = rm->call;
		if (call && rm->call_seq == rx->seq && call->msg_id == rx->msg_id)
			rm->call = NULL;
		else
			call = NULL;
	}
	if (!call) {
		gunyah_rm_drop(rm, "reply to %#x with unknown sequence number %u\n",
			       rx->msg_id, rx->seq);
		return;
	}

	if (rx->size < sizeof(__le32)) {
		gunyah_rm_drop(rm, "reply to %#x of %zu bytes, no error word\n",
			       rx->msg_id, rx->size);
		call->ret = -EBADMSG;
	} else {
		call->rm_error = get_unaligned_le32(rx->buf);
		call->resp_size = rx->size - sizeof(__le32);
		if (call->resp_size) {
			call->resp = kmemdup(rx->buf + sizeof(__le32),
					     call->resp_size, GFP_KERNEL);
			if (!call->resp)
				call->ret = -ENOMEM;
		}
	}

	complete(&call->done);
}

static void gunyah_rm_queue_notif(struct gunyah_rm *rm,
				  const struct gunyah_rm_rx_state *rx)
{
	struct gunyah_rm_notif *notif;

	trace_gunyah_rm_notification(rx->msg_id, rx->size);

	if (!rm->notif_wq) {
		gunyah_rm_drop(rm, "notification %#x after teardown\n",
			       rx->msg_id);
		return;
	}

	notif = kmalloc(struct_size(notif, payload, rx->size), GFP_KERNEL);
	if (!notif) {
		gunyah_rm_drop(rm, "notification %#x: out of memory\n",
			       rx->msg_id);
		return;
	}

	notif->msg_id = rx->msg_id;
	notif->size = rx->size;
	memcpy(notif->payload, rx->buf, rx->size);

	spin_lock(&rm->notif_lock);
	list_add_tail(&notif->list, &rm->notifs);
	spin_unlock(&rm->notif_lock);

	queue_work(rm->notif_wq, &rm->notif_work);
}

static void gunyah_rm_rx_deliver(struct gunyah_rm *rm)
{
	struct gunyah_rm_rx_state *rx = &rm->rx;

	if (rx->type == GUNYAH_RM_RPC_TYPE_REPLY)
		gunyah_rm_complete_call(rm, rx);
	else
		gunyah_rm_queue_notif(rm, rx);

	rx->active = false;
}

static void gunyah_rm_rx_first(struct gunyah_rm *rm,
			       const struct gunyah_rm_rpc_hdr *hdr,
			       const void *payload, size_t len)
{
	unsigned int fragments = gunyah_rm_rpc_hdr_fragments(hdr);
	struct gunyah_rm_rx_state *rx = &rm->rx;

	if (rx->active) {
		gunyah_rm_drop(rm, "message %#x (seq %u) incomplete (%u of %u continuations)\n",
			       rx->msg_id, rx->seq, rx->received,
			       rx->fragments);
		rx->active = false;
	}

	if (fragments > GUNYAH_RM_MAX_FRAGMENTS) {
		gunyah_rm_drop(rm, "message %#x with %u continuations, at most %u allowed\n",
			       le32_to_cpu(hdr->msg_id), fragments,
			       GUNYAH_RM_MAX_FRAGMENTS);
		return;
	}

	rx->type = gunyah_rm_rpc_hdr_type(hdr);
	rx->fragments = fragments;
	rx->received = 0;
	rx->seq = le16_to_cpu(hdr->seq);
	rx->msg_id = le32_to_cpu(hdr->msg_id);
	memcpy(rx->buf, payload, len);
	rx->size = len;

	if (!fragments)
		gunyah_rm_rx_deliver(rm);
	else
		rx->active = true;
}

static void gunyah_rm_rx_continuation(struct gunyah_rm *rm,
				      const struct gunyah_rm_rpc_hdr *hdr,
				      const void *payload, size_t len)
{
	unsigned int fragments = gunyah_rm_rpc_hdr_fragments(hdr);
	u32 msg_id = le32_to_cpu(hdr->msg_id);
	u16 seq = le16_to_cpu(hdr->seq);
	struct gunyah_rm_rx_state *rx = &rm->rx;

	if (!rx->active) {
		gunyah_rm_drop(rm, "continuation of %#x (seq %u) without a first packet\n",
			       msg_id, seq);
		return;
	}

	if (msg_id != rx->msg_id || seq != rx->seq) {
		gunyah_rm_drop(rm, "continuation of %#x (seq %u) while receiving %#x (seq %u)\n",
			       msg_id, seq, rx->msg_id, rx->seq);
		return;
	}

	if (fragments != rx->fragments) {
		gunyah_rm_drop(rm, "continuation of %#x (seq %u) counts %u continuations, not %u\n",
			       msg_id, seq, fragments, rx->fragments);
		return;
	}

	/* At most fragments + 1 packets of at most 232 bytes: it fits. */
	memcpy(rx->buf + rx->size, payload, len);
	rx->size += len;

	if (++rx->received == rx->fragments)
		gunyah_rm_rx_deliver(rm);
}

/**
 * gunyah_rm_rx() - Entry point of the packets the RM sends
 * @rm: the RM
 * @pkt: one packet, header included; only read during the call
 * @size: its size
 *
 * Malformed packets are dropped, counted (gunyah_rm_rx_dropped()) and
 * logged, rate limited: packets shorter than the header or longer than
 * %GUNYAH_RM_MAX_PACKET_SIZE, with another API version or header length,
 * requests, continuations without a message in progress or of another
 * message, with a fragment count that differs from the first packet's or
 * above %GUNYAH_RM_MAX_FRAGMENTS, and replies nobody waits for. A first
 * packet interrupts the message in progress, which is dropped.
 *
 * The transport must stop calling this before gunyah_rm_destroy().
 *
 * Context: Process context; sleeps. Calls are serialised internally.
 */
void gunyah_rm_rx(struct gunyah_rm *rm, const void *pkt, size_t size)
{
	const struct gunyah_rm_rpc_hdr *hdr = pkt;
	const void *payload = hdr + 1;
	size_t len;

	guard(mutex)(&rm->rx_lock);

	if (size < sizeof(*hdr)) {
		gunyah_rm_drop(rm, "packet of %zu bytes, shorter than the header\n",
			       size);
		return;
	}

	if (size > GUNYAH_RM_MAX_PACKET_SIZE) {
		gunyah_rm_drop(rm, "packet of %zu bytes, at most %u allowed\n",
			       size, GUNYAH_RM_MAX_PACKET_SIZE);
		return;
	}

	if (!gunyah_rm_rpc_hdr_api_valid(hdr)) {
		gunyah_rm_drop(rm, "packet with API byte %#x, not version %u, %u words\n",
			       hdr->api, GUNYAH_RM_RPC_API_VERSION,
			       GUNYAH_RM_RPC_HDR_WORDS);
		return;
	}

	len = size - sizeof(*hdr);

	switch (gunyah_rm_rpc_hdr_type(hdr)) {
	case GUNYAH_RM_RPC_TYPE_REPLY:
	case GUNYAH_RM_RPC_TYPE_NOTIFICATION:
		gunyah_rm_rx_first(rm, hdr, payload, len);
		break;
	case GUNYAH_RM_RPC_TYPE_CONTINUATION:
		gunyah_rm_rx_continuation(rm, hdr, payload, len);
		break;
	case GUNYAH_RM_RPC_TYPE_REQUEST:
		gunyah_rm_drop(rm, "request %#x from the RM\n",
			       le32_to_cpu(hdr->msg_id));
		break;
	}
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_rm_rx);

/**
 * gunyah_rm_rx_dropped() - Number of packets and messages dropped so far
 * @rm: the RM
 *
 * Return: the counter gunyah_rm_rx() increments for every malformed
 * packet, interrupted message and failed delivery.
 */
unsigned long gunyah_rm_rx_dropped(struct gunyah_rm *rm)
{
	guard(mutex)(&rm->rx_lock);

	return rm->rx_dropped;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_rm_rx_dropped);

/* ---------------------------------------------------------------------- */
/* Notifications                                                          */

static struct gunyah_rm_notif *gunyah_rm_next_notif(struct gunyah_rm *rm)
{
	struct gunyah_rm_notif *notif;

	spin_lock(&rm->notif_lock);
	notif = list_first_entry_or_null(&rm->notifs, struct gunyah_rm_notif,
					 list);
	if (notif)
		list_del(&notif->list);
	spin_unlock(&rm->notif_lock);

	return notif;
}

static void gunyah_rm_notif_work(struct work_struct *work)
{
	struct gunyah_rm *rm = container_of(work, struct gunyah_rm, notif_work);
	struct gunyah_rm_notif *notif;

	while ((notif = gunyah_rm_next_notif(rm))) {
		struct gunyah_rm_notification n = {
			.payload = notif->payload,
			.size = notif->size,
		};

		blocking_notifier_call_chain(&rm->notifier, notif->msg_id, &n);
		kfree(notif);
	}
}

/**
 * gunyah_rm_notifier_register() - Receive the RM's notifications
 * @rm: the RM
 * @nb: notifier block; its callback gets the message ID as action and a
 *	&struct gunyah_rm_notification as data
 *
 * Callbacks run one notification at a time, in the order received, from
 * a workqueue of the RM. They may sleep and may call the RM. Unregister
 * before dropping the reference to @rm.
 *
 * Context: Process context; sleeps.
 * Return: 0 or a negative errno.
 */
int gunyah_rm_notifier_register(struct gunyah_rm *rm, struct notifier_block *nb)
{
	return blocking_notifier_chain_register(&rm->notifier, nb);
}
EXPORT_SYMBOL_GPL(gunyah_rm_notifier_register);

/**
 * gunyah_rm_notifier_unregister() - Stop receiving the RM's notifications
 * @rm: the RM
 * @nb: a notifier block registered with gunyah_rm_notifier_register()
 *
 * When this returns, @nb's callback is not running and is not called again.
 *
 * Context: Process context; sleeps. Not from @nb's own callback.
 * Return: 0, or -ENOENT if @nb was not registered.
 */
int gunyah_rm_notifier_unregister(struct gunyah_rm *rm,
				  struct notifier_block *nb)
{
	return blocking_notifier_chain_unregister(&rm->notifier, nb);
}
EXPORT_SYMBOL_GPL(gunyah_rm_notifier_unregister);

/* ---------------------------------------------------------------------- */
/* Object lifetime                                                        */

/**
 * gunyah_rm_create() - Create the RPC core of an RM connection
 * @dev: device for messages; a reference is taken
 * @ops: the transport
 * @priv: argument of @ops
 *
 * Packets received from the RM are passed to gunyah_rm_rx(). Tear down
 * with gunyah_rm_stop(), then stop the transport, then gunyah_rm_destroy().
 *
 * Context: Process context; sleeps.
 * Return: the RM with one reference, or ERR_PTR(-EINVAL) or
 * ERR_PTR(-ENOMEM).
 */
struct gunyah_rm *
gunyah_rm_create(struct device *dev, const struct gunyah_rm_transport_ops *ops,
		 void *priv)
{
	struct gunyah_rm *rm;

	if (!dev || !ops || !ops->send)
		return ERR_PTR(-EINVAL);

	rm = kzalloc(sizeof(*rm), GFP_KERNEL);
	if (!rm)
		return ERR_PTR(-ENOMEM);

	rm->rx.buf = kvmalloc(GUNYAH_RM_MAX_RX_MSG_SIZE, GFP_KERNEL);
	if (!rm->rx.buf)
		goto err_free_rm;

	rm->notif_wq = alloc_ordered_workqueue("gunyah-rm-notify", 0);
	if (!rm->notif_wq)
		goto err_free_buf;

	rm->dev = get_device(dev);
	rm->ops = ops;
	rm->transport = priv;
	kref_init(&rm->kref);
	mutex_init(&rm->call_lock);
	mutex_init(&rm->send_lock);
	spin_lock_init(&rm->call_slot_lock);
	mutex_init(&rm->rx_lock);
	BLOCKING_INIT_NOTIFIER_HEAD(&rm->notifier);
	INIT_WORK(&rm->notif_work, gunyah_rm_notif_work);
	spin_lock_init(&rm->notif_lock);
	INIT_LIST_HEAD(&rm->notifs);

	return rm;

err_free_buf:
	kvfree(rm->rx.buf);
err_free_rm:
	kfree(rm);
	return ERR_PTR(-ENOMEM);
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_rm_create);

/**
 * gunyah_rm_stop() - Stop sending to the RM
 * @rm: the RM
 *
 * Waits for a request being sent; later calls fail with -ENODEV. Calls
 * already sent keep waiting for their replies.
 *
 * Context: Process context; sleeps.
 */
void gunyah_rm_stop(struct gunyah_rm *rm)
{
	guard(mutex)(&rm->send_lock);

	rm->dead = true;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_rm_stop);

/**
 * gunyah_rm_destroy() - Tear down the RPC core and drop the creator's
 *	reference
 * @rm: the RM, with the transport no longer calling gunyah_rm_rx()
 *
 * Stops sending if gunyah_rm_stop() was not called, fails every call still
 * waiting for a reply with -ENODEV and runs every queued notification
 * before returning.
 *
 * Context: Process context; sleeps.
 */
void gunyah_rm_destroy(struct gunyah_rm *rm)
{
	struct workqueue_struct *wq;
	struct gunyah_rm_call *call;
	struct gunyah_rm_notif *notif;

	gunyah_rm_stop(rm);

	scoped_guard(spinlock, &rm->call_slot_lock) {
		call = rm->call;
		rm->call = NULL;
	}
	if (call) {
		call->ret = -ENODEV;
		complete(&call->done);
	}

	/* No more notifications are queued, not even by a late packet. */
	scoped_guard(mutex, &rm->rx_lock) {
		wq = rm->notif_wq;
		rm->notif_wq = NULL;
	}

	/* Runs the queued notification work to the end first. */
	destroy_workqueue(wq);

	/* Empty unless the work item never ran; nothing adds to it now. */
	while ((notif = gunyah_rm_next_notif(rm)))
		kfree(notif);

	gunyah_rm_put(rm);
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_rm_destroy);

static void gunyah_rm_release(struct kref *kref)
{
	struct gunyah_rm *rm = container_of(kref, struct gunyah_rm, kref);

	kvfree(rm->rx.buf);
	put_device(rm->dev);
	kfree(rm);
}

/**
 * gunyah_rm_ref() - Take another reference to the RM
 * @rm: the RM, with a reference held by the caller
 *
 * For objects that outlive the reference they got the RM from, such as a VM
 * created through an open file of /dev/gunyah. Drop it with gunyah_rm_put().
 *
 * Context: Any context.
 * Return: @rm.
 */
struct gunyah_rm *gunyah_rm_ref(struct gunyah_rm *rm)
{
	kref_get(&rm->kref);
	return rm;
}
EXPORT_SYMBOL_GPL(gunyah_rm_ref);

/**
 * gunyah_rm_put() - Drop a reference to the RM
 * @rm: a reference from gunyah_rm_get(), or NULL or an error pointer
 *
 * Context: Process context; may sleep.
 */
void gunyah_rm_put(struct gunyah_rm *rm)
{
	if (!IS_ERR_OR_NULL(rm))
		kref_put(&rm->kref, gunyah_rm_release);
}
EXPORT_SYMBOL_GPL(gunyah_rm_put);

/**
 * gunyah_rm_virq_to_irq() - A Linux IRQ for an interrupt the RM named
 * @rm: the RM
 * @virq: a GIC INTID from the RM (an SPI, 32 to 1019)
 *
 * The interrupt belongs to the interrupt controller of the RM's node, as
 * the interrupts of the node itself do. Dispose of it with
 * irq_dispose_mapping().
 *
 * Context: Process context.
 * Return: the IRQ number, or a negative errno.
 */
int gunyah_rm_virq_to_irq(struct gunyah_rm *rm, u32 virq)
{
	struct irq_fwspec fwspec = { .param_count = 3 };
	struct device_node *parent;
	int irq;

	if (virq < 32 || virq > 1019)
		return -EINVAL;
	parent = of_irq_find_parent(rm->dev->of_node);
	if (!parent)
		return -ENODEV;
	fwspec.fwnode = of_fwnode_handle(parent);
	fwspec.param[0] = 0;	/* GIC_SPI of the GIC binding */
	fwspec.param[1] = virq - 32;
	fwspec.param[2] = IRQ_TYPE_EDGE_RISING;
	irq = irq_create_fwspec_mapping(&fwspec);
	of_node_put(parent);
	return irq > 0 ? irq : -EINVAL;
}

struct device *gunyah_rm_dev(struct gunyah_rm *rm)
{
	return rm->dev;
}

bool gunyah_rm_cached_vmid(struct gunyah_rm *rm, u16 *vmid)
{
	u32 cache = READ_ONCE(rm->vmid_cache);

	if (!(cache & GUNYAH_RM_VMID_CACHED))
		return false;

	*vmid = lower_16_bits(cache);
	return true;
}

void gunyah_rm_cache_vmid(struct gunyah_rm *rm, u16 vmid)
{
	WRITE_ONCE(rm->vmid_cache, GUNYAH_RM_VMID_CACHED | vmid);
}

/* ---------------------------------------------------------------------- */
/* The platform driver                                                    */

/**
 * struct gunyah_rm_device - The RM's devicetree node, bound
 * @rm: the RPC core
 * @tx_ghrsc: message queue to the RM
 * @rx_ghrsc: message queue from the RM
 * @msgq: the message queue pair
 * @msgq_client: our mailbox client, which receives the RM's packets
 * @miscdev: /dev/gunyah
 *
 * Device-managed: nothing uses it after remove() returns (the RPC core
 * stops sending first, the mailbox is unregistered and the misc device
 * deregistered in remove()).
 */
struct gunyah_rm_device {
	struct gunyah_rm *rm;
	struct gunyah_resource tx_ghrsc;
	struct gunyah_resource rx_ghrsc;
	struct gunyah_msgq msgq;
	struct mbox_client msgq_client;
	struct miscdevice miscdev;
};

/* The RM of the VM this kernel runs in, once probed */
static DEFINE_MUTEX(gunyah_rm_instance_lock);
static struct gunyah_rm *gunyah_rm_instance;

/**
 * gunyah_rm_get() - Get the Resource Manager of this VM
 *
 * Drivers that talk to the RM (the VM manager, live tests) hold the
 * returned reference while they use it. The RM may go away meanwhile;
 * then its calls fail with -ENODEV, and the memory stays valid until
 * gunyah_rm_put().
 *
 * Context: Process context; sleeps.
 * Return: a reference to the RM, or ERR_PTR(-ENODEV) if none is bound.
 */
struct gunyah_rm *gunyah_rm_get(void)
{
	guard(mutex)(&gunyah_rm_instance_lock);

	if (!gunyah_rm_instance)
		return ERR_PTR(-ENODEV);

	return gunyah_rm_ref(gunyah_rm_instance);
}
EXPORT_SYMBOL_GPL(gunyah_rm_get);

/*
 * Synchronous: returns once the packet is in the queue. After the last
 * packet of a request, what the RM has answered by then is received here,
 * in the caller's context (GUNYAH_MSGQ_SEND_POLL): when the RM replies at
 * once, the caller finds its reply without sleeping or waking a thread.
 */
static int gunyah_rm_msgq_send(void *priv, const void *pkt, size_t size,
			       bool push)
{
	struct gunyah_rm_device *rmdev = priv;

	return gunyah_msgq_send(&rmdev->msgq, pkt, size,
				push ? GUNYAH_MSGQ_SEND_PUSH | GUNYAH_MSGQ_SEND_POLL : 0);
}

static const struct gunyah_rm_transport_ops gunyah_rm_msgq_ops = {
	.send = gunyah_rm_msgq_send,
};

static void gunyah_rm_msgq_rx(struct mbox_client *cl, void *mssg)
{
	struct gunyah_rm_device *rmdev = container_of(cl, struct gunyah_rm_device,
						      msgq_client);
	struct gunyah_msgq_rx_data *rx = mssg;

	gunyah_rm_rx(rmdev->rm, rx->data, rx->length);
}

static int gunyah_dev_open(struct inode *inode, struct file *filp)
{
	/* misc_open() holds misc_mtx: the device is not being removed. */
	struct miscdevice *miscdev = filp->private_data;
	struct gunyah_rm_device *rmdev = container_of(miscdev,
						      struct gunyah_rm_device,
						      miscdev);

	filp->private_data = gunyah_rm_ref(rmdev->rm);

	return nonseekable_open(inode, filp);
}

static int gunyah_dev_release(struct inode *inode, struct file *filp)
{
	gunyah_rm_put(filp->private_data);

	return 0;
}

static long gunyah_dev_ioctl(struct file *filp, unsigned int cmd,
			     unsigned long arg)
{
	return gunyah_dev_vm_mgr_ioctl(filp->private_data, cmd, arg);
}

static const struct file_operations gunyah_dev_fops = {
	.owner		= THIS_MODULE,
	.open		= gunyah_dev_open,
	.release	= gunyah_dev_release,
	.unlocked_ioctl	= gunyah_dev_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

/*
 * The RM creates its queues with 240-byte messages. If the node states a
 * size, our packets must fit the TX queue and the RX queue's messages our
 * buffer.
 */
static int gunyah_rm_check_msg_sizes(struct device *dev)
{
	u32 size;

	if (!of_property_read_u32(dev->of_node, "qcom,tx-message-size", &size) &&
	    size < GUNYAH_RM_MAX_PACKET_SIZE) {
		dev_err(dev, "TX message size %u is below the %u bytes of an RM packet\n",
			size, GUNYAH_RM_MAX_PACKET_SIZE);
		return -EINVAL;
	}

	if (!of_property_read_u32(dev->of_node, "qcom,rx-message-size", &size) &&
	    size > GUNYAH_MSGQ_MAX_MSG_SIZE) {
		dev_err(dev, "RX message size %u is above the %u bytes this driver receives\n",
			size, GUNYAH_MSGQ_MAX_MSG_SIZE);
		return -EINVAL;
	}

	return 0;
}

static int gunyah_rm_get_msgq_resource(struct platform_device *pdev,
				       unsigned int index,
				       enum gunyah_resource_type type,
				       struct gunyah_resource *ghrsc)
{
	struct device *dev = &pdev->dev;
	int ret;

	/* reg: the TX then the RX capability ID, 64 bits each */
	ret = of_property_read_u64_index(dev->of_node, "reg", index,
					 &ghrsc->capid);
	if (ret) {
		dev_err(dev, "no capability ID %u in reg: %d\n", index, ret);
		return ret;
	}

	ret = platform_get_irq(pdev, index);
	if (ret < 0)
		return ret;

	ghrsc->type = type;
	ghrsc->irq = ret;

	return 0;
}

static int gunyah_rm_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct gunyah_rm_device *rmdev;
	u16 vmid;
	int ret;

	rmdev = devm_kzalloc(dev, sizeof(*rmdev), GFP_KERNEL);
	if (!rmdev)
		return -ENOMEM;

	ret = gunyah_rm_check_msg_sizes(dev);
	if (ret)
		return ret;

	ret = gunyah_rm_get_msgq_resource(pdev, 0, GUNYAH_RESOURCE_TYPE_MSGQ_TX,
					  &rmdev->tx_ghrsc);
	if (ret)
		return ret;

	ret = gunyah_rm_get_msgq_resource(pdev, 1, GUNYAH_RESOURCE_TYPE_MSGQ_RX,
					  &rmdev->rx_ghrsc);
	if (ret)
		return ret;

	rmdev->rm = gunyah_rm_create(dev, &gunyah_rm_msgq_ops, rmdev);
	if (IS_ERR(rmdev->rm))
		return PTR_ERR(rmdev->rm);

	rmdev->msgq_client.dev = dev;
	rmdev->msgq_client.rx_callback = gunyah_rm_msgq_rx;

	ret = gunyah_msgq_init(dev, &rmdev->msgq, &rmdev->msgq_client,
			       &rmdev->tx_ghrsc, &rmdev->rx_ghrsc);
	if (ret) {
		dev_err(dev, "failed to set up the RM message queues: %d\n", ret);
		goto err_destroy;
	}

	ret = gunyah_rm_get_vmid(rmdev->rm, &vmid);
	if (ret) {
		dev_err(dev, "failed to get our VMID from the RM: %d\n", ret);
		goto err_remove_msgq;
	}

	rmdev->miscdev.name = "gunyah";
	rmdev->miscdev.minor = MISC_DYNAMIC_MINOR;
	rmdev->miscdev.fops = &gunyah_dev_fops;
	rmdev->miscdev.parent = dev;

	ret = misc_register(&rmdev->miscdev);
	if (ret) {
		dev_err(dev, "failed to register /dev/gunyah: %d\n", ret);
		goto err_remove_msgq;
	}

	scoped_guard(mutex, &gunyah_rm_instance_lock) {
		if (gunyah_rm_instance) {
			dev_err(dev, "another resource manager is already bound\n");
			ret = -EBUSY;
		} else {
			gunyah_rm_instance = rmdev->rm;
		}
	}
	if (ret)
		goto err_deregister;

	platform_set_drvdata(pdev, rmdev);
	dev_info(dev, "resource manager probed, our VMID %u\n", vmid);

	return 0;

err_deregister:
	misc_deregister(&rmdev->miscdev);
err_remove_msgq:
	gunyah_rm_stop(rmdev->rm);
	gunyah_msgq_remove(&rmdev->msgq);
err_destroy:
	gunyah_rm_destroy(rmdev->rm);
	return ret;
}

static void gunyah_rm_remove(struct platform_device *pdev)
{
	struct gunyah_rm_device *rmdev = platform_get_drvdata(pdev);

	scoped_guard(mutex, &gunyah_rm_instance_lock)
		gunyah_rm_instance = NULL;

	misc_deregister(&rmdev->miscdev);

	/* The teardown order of the comment at the top of this file */
	gunyah_rm_stop(rmdev->rm);
	gunyah_msgq_remove(&rmdev->msgq);
	gunyah_rm_destroy(rmdev->rm);
}

static const struct of_device_id gunyah_rm_of_match[] = {
	{ .compatible = "gunyah-resource-manager" },
	{}
};
MODULE_DEVICE_TABLE(of, gunyah_rm_of_match);

static struct platform_driver gunyah_rm_driver = {
	.probe = gunyah_rm_probe,
	.remove = gunyah_rm_remove,
	.driver = {
		.name = "gunyah_rsc_mgr",
		.of_match_table = gunyah_rm_of_match,
		/* Unbinding goes with the parent /hypervisor device. */
		.suppress_bind_attrs = true,
	},
};
module_platform_driver(gunyah_rm_driver);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Gunyah Resource Manager driver");
