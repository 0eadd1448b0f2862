// SPDX-License-Identifier: GPL-2.0-only
/*
 * Gunyah message queues as a mailbox controller.
 *
 * One controller per message queue pair, with one channel. Sending calls
 * msgqueue_send; the "not full" interrupt of the transmit queue reports
 * transmit completion; a threaded handler of the "not empty" interrupt of
 * the receive queue drains it and hands every message to the client.
 *
 * Transmit completion and the 6.12 mailbox core
 * ---------------------------------------------
 * A message is delivered as soon as msgqueue_send accepts it, so ideally
 * ->send_data() would complete the transfer itself whenever the queue
 * still has room. The core does not allow that: msg_submit() calls
 * ->send_data() with chan->lock held and interrupts off, and only records
 * the message as the channel's active request after ->send_data()
 * returns. mbox_chan_txdone() takes chan->lock again (self-deadlock) and
 * would in any case find no active request to complete. Making the client
 * acknowledge (knows_txdone, TXDONE_BY_ACK) does not work either: the
 * core then ignores mbox_chan_txdone() from the controller, so the "not
 * full" interrupt could no longer restart a transfer refused with a full
 * queue, and a non-blocking mbox_send_message() cannot tell the client
 * that ->send_data() failed.
 *
 * The channel is therefore TXDONE_BY_IRQ and completion is asynchronous:
 *
 *  - sent, queue not full: a work item on system_bh_wq (the replacement of
 *    tasklets, same softirq context) calls mbox_chan_txdone() right after
 *    the core drops chan->lock;
 *  - sent, queue now full: the transmit interrupt completes the transfer
 *    once the receiver has made room, which throttles the client;
 *  - queue full (MSGQUEUE_FULL): ->send_data() returns -EAGAIN, the core
 *    keeps the message, and the transmit interrupt's mbox_chan_txdone()
 *    resubmits it;
 *  - any other hypervisor error: the message is dropped and the work item
 *    completes the transfer with the error, so that a blocking client
 *    gets it back instead of waiting for an interrupt that never comes.
 *
 * A transmit interrupt that arrives while a transfer completed by the
 * work item is still active may complete that transfer early. That is
 * harmless: the message is already in the queue, and the next one is
 * either accepted or refused with MSGQUEUE_FULL and resubmitted as above.
 *
 * The synchronous path
 * --------------------
 * Each of those steps is a context switch: the work item runs in
 * ksoftirqd, the receive interrupt in its thread. A client that sends a
 * request and waits for the answer (the Resource Manager's RPC) pays them
 * all on every call. gunyah_msgq_send() is the path without them, as the
 * upstream review of the message queue asked for: the caller puts the
 * message into the queue itself and, with %GUNYAH_MSGQ_SEND_POLL, then
 * receives what the receive queue holds, in its own context, before it
 * returns. While it polls, the receive interrupt does not wake the thread;
 * it only counts itself (@rx_irqs), and the poller drains again if it
 * counted one after the poller's last look. The thread and pollers
 * deliver under @rx_lock, so messages reach the client in queue order.
 */

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/device.h>
#include <linux/errno.h>
#include <linux/gunyah.h>
#include <linux/gunyah_msgq.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/mailbox_client.h>
#include <linux/mailbox_controller.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/workqueue.h>

static struct gunyah_msgq *mbox_chan_to_msgq(struct mbox_chan *chan)
{
	return container_of(chan->mbox, struct gunyah_msgq, mbox);
}

static void gunyah_msgq_txdone_work(struct work_struct *work)
{
	struct gunyah_msgq *msgq = container_of(work, struct gunyah_msgq,
						txdone_work);

	mbox_chan_txdone(&msgq->chan, READ_ONCE(msgq->tx_status));
}

/* Complete the active transfer with @status from outside chan->lock. */
static void gunyah_msgq_txdone_later(struct gunyah_msgq *msgq, int status)
{
	WRITE_ONCE(msgq->tx_status, status);
	queue_work(system_bh_wq, &msgq->txdone_work);
}

/* Called by the mailbox core with chan->lock held and interrupts off. */
static int gunyah_msgq_send_data(struct mbox_chan *chan, void *data)
{
	struct gunyah_msgq *msgq = mbox_chan_to_msgq(chan);
	struct gunyah_msgq_tx_data *msg = data;
	enum gunyah_error gunyah_error;
	u64 tx_flags = 0;
	bool ready;

	if (!msgq->tx_ghrsc) {
		gunyah_msgq_txdone_later(msgq, -EOPNOTSUPP);
		return 0;
	}

	if (!msg->length || msg->length > GUNYAH_MSGQ_MAX_MSG_SIZE) {
		gunyah_msgq_txdone_later(msgq, -EMSGSIZE);
		return 0;
	}

	if (msg->push)
		tx_flags |= GUNYAH_HYPERCALL_MSGQ_TX_FLAGS_PUSH;

	gunyah_error = gunyah_hypercall_msgq_send(msgq->tx_ghrsc->capid,
						  msg->length, msg->data,
						  tx_flags, &ready);

	/* The core keeps the message; the transmit interrupt resubmits it. */
	if (gunyah_error == GUNYAH_ERROR_MSGQUEUE_FULL)
		return -EAGAIN;

	if (gunyah_error != GUNYAH_ERROR_OK) {
		dev_err_ratelimited(msgq->mbox.dev,
				    "msgqueue_send on capability %#llx failed: %d\n",
				    msgq->tx_ghrsc->capid, gunyah_error);
		gunyah_msgq_txdone_later(msgq, gunyah_error_remap(gunyah_error));
		return 0;
	}

	/* Room left: complete now; queue full: the transmit interrupt will. */
	if (ready)
		gunyah_msgq_txdone_later(msgq, 0);

	return 0;
}

static const struct mbox_chan_ops gunyah_msgq_ops = {
	.send_data = gunyah_msgq_send_data,
};

static irqreturn_t gunyah_msgq_tx_irq_handler(int irq, void *data)
{
	struct gunyah_msgq *msgq = data;

	complete(&msgq->tx_room);
	mbox_chan_txdone(&msgq->chan, 0);

	return IRQ_HANDLED;
}

/* Receive until the queue is empty; under @rx_lock. */
static void gunyah_msgq_rx_drain(struct gunyah_msgq *msgq)
{
	struct gunyah_msgq_rx_data *rx = &msgq->rx_data;
	u64 capid = msgq->rx_ghrsc->capid;
	enum gunyah_error gunyah_error;
	bool ready = true;
	size_t len;

	lockdep_assert_held(&msgq->rx_lock);

	while (ready) {
		gunyah_error = gunyah_hypercall_msgq_recv(capid, rx->data,
							  sizeof(rx->data),
							  &len, &ready);
		if (gunyah_error == GUNYAH_ERROR_MSGQUEUE_EMPTY)
			break;

		if (gunyah_error != GUNYAH_ERROR_OK) {
			/*
			 * ADDR_OVFL (a message larger than the buffer) leaves
			 * the message at the head of the queue: only a queue
			 * created with a larger message size than this driver
			 * supports does that.
			 */
			dev_err_ratelimited(msgq->mbox.dev,
					    "msgqueue_receive on capability %#llx failed: %d\n",
					    capid, gunyah_error);
			break;
		}

		if (len > sizeof(rx->data)) {
			dev_warn_ratelimited(msgq->mbox.dev,
					     "dropped a message of %zu bytes from capability %#llx: buffer is %zu bytes\n",
					     len, capid, sizeof(rx->data));
			continue;
		}

		rx->length = len;
		mbox_chan_received_data(&msgq->chan, rx);
	}
}

static irqreturn_t gunyah_msgq_rx_irq_handler(int irq, void *data)
{
	struct gunyah_msgq *msgq = data;

	atomic_inc(&msgq->rx_irqs);
	/* Count before looking for pollers; pairs with gunyah_msgq_poll_end(). */
	smp_mb__after_atomic();
	if (atomic_read(&msgq->rx_pollers))
		return IRQ_HANDLED;

	return IRQ_WAKE_THREAD;
}

static irqreturn_t gunyah_msgq_rx_irq_thread(int irq, void *data)
{
	struct gunyah_msgq *msgq = data;

	guard(mutex)(&msgq->rx_lock);
	gunyah_msgq_rx_drain(msgq);

	return IRQ_HANDLED;
}

/*
 * A poller receives in its own context what the receive interrupt would
 * have handed to the thread: from gunyah_msgq_poll_begin() on, the
 * interrupt leaves the queue to it. Once the poller no longer counts,
 * the interrupt wakes the thread again; one counted before that and after
 * the poller's last look at the queue makes it look again.
 */
static void gunyah_msgq_poll_begin(struct gunyah_msgq *msgq)
{
	atomic_inc(&msgq->rx_pollers);
	/* Counted before the send whose answer may raise the interrupt. */
	smp_mb__after_atomic();
}

static void gunyah_msgq_poll_end(struct gunyah_msgq *msgq)
{
	int seen;

	guard(mutex)(&msgq->rx_lock);

	seen = atomic_read(&msgq->rx_irqs);
	gunyah_msgq_rx_drain(msgq);

	atomic_dec(&msgq->rx_pollers);
	/* Uncount before looking at @rx_irqs; pairs with the interrupt's. */
	smp_mb__after_atomic();
	while (atomic_read(&msgq->rx_irqs) != seen) {
		seen = atomic_read(&msgq->rx_irqs);
		gunyah_msgq_rx_drain(msgq);
	}
}

/**
 * gunyah_msgq_send() - Send a message without the mailbox core
 * @msgq: a message queue pair set up by gunyah_msgq_init() with a
 *	transmit queue
 * @data: the message, mapped in the kernel's linear or vmalloc space (the
 *	hypervisor reads it through its kernel virtual address); only read
 *	during the call
 * @len: its length, 1 to %GUNYAH_MSGQ_MAX_MSG_SIZE
 * @flags: %GUNYAH_MSGQ_SEND_PUSH to raise the receiver's interrupt at
 *	once; %GUNYAH_MSGQ_SEND_POLL to deliver what the receive queue holds
 *	once the message is in (see "The synchronous path" at the top of
 *	this file)
 *
 * The synchronous alternative to mbox_send_message() for a client that
 * waits for an answer anyway. A client uses one or the other, never both:
 * the mailbox core does not know of messages sent this way. While the
 * queue is full, waits for the transmit interrupt; with
 * %GUNYAH_MSGQ_SEND_POLL, the receive queue is drained before each wait,
 * so that a peer waiting for room to answer can go on.
 *
 * Context: Process context; sleeps. With %GUNYAH_MSGQ_SEND_POLL, the
 * client's rx_callback() runs in the caller's context: the caller must not
 * hold a lock that rx_callback() takes.
 * Return: 0 once the message is in the queue; -EINVAL for bad arguments;
 * -EOPNOTSUPP without a transmit queue; -EINTR if a fatal signal came
 * while the queue was full (the message was not sent); or the
 * hypervisor's error (gunyah_error_remap()).
 */
int gunyah_msgq_send(struct gunyah_msgq *msgq, const void *data, size_t len,
		     unsigned int flags)
{
	bool poll = (flags & GUNYAH_MSGQ_SEND_POLL) && msgq->rx_ghrsc;
	enum gunyah_error gunyah_error;
	u64 tx_flags = 0;
	bool ready;
	int ret;

	if (!data || !len || len > GUNYAH_MSGQ_MAX_MSG_SIZE ||
	    (flags & ~(GUNYAH_MSGQ_SEND_PUSH | GUNYAH_MSGQ_SEND_POLL)))
		return -EINVAL;

	if (!msgq->tx_ghrsc)
		return -EOPNOTSUPP;

	if (flags & GUNYAH_MSGQ_SEND_PUSH)
		tx_flags |= GUNYAH_HYPERCALL_MSGQ_TX_FLAGS_PUSH;

	for (;;) {
		/* A transmit interrupt from now on means room. */
		reinit_completion(&msgq->tx_room);
		if (poll)
			gunyah_msgq_poll_begin(msgq);
		gunyah_error = gunyah_hypercall_msgq_send(msgq->tx_ghrsc->capid,
							  len, data, tx_flags,
							  &ready);
		if (poll)
			gunyah_msgq_poll_end(msgq);
		if (gunyah_error != GUNYAH_ERROR_MSGQUEUE_FULL)
			break;

		ret = wait_for_completion_killable(&msgq->tx_room);
		if (ret)
			return ret;
	}

	if (gunyah_error != GUNYAH_ERROR_OK) {
		dev_err_ratelimited(msgq->mbox.dev,
				    "msgqueue_send on capability %#llx failed: %d\n",
				    msgq->tx_ghrsc->capid, gunyah_error);
		return gunyah_error_remap(gunyah_error);
	}

	return 0;
}
EXPORT_SYMBOL_GPL(gunyah_msgq_send);

static int gunyah_msgq_check_resource(const struct gunyah_resource *ghrsc,
				      enum gunyah_resource_type type)
{
	if (!ghrsc)
		return 0;

	if (ghrsc->type != type || !ghrsc->irq)
		return -EINVAL;

	return 0;
}

/**
 * gunyah_msgq_init() - Register a message queue pair as a mailbox and bind
 *	a client to it
 * @parent: device the controller belongs to; its driver's module is pinned
 *	while the client is bound (a rule of the mailbox core)
 * @msgq: the message queue pair, embedded in the client's structure; every
 *	field is initialised here
 * @cl: the client. @cl->rx_callback receives a &struct gunyah_msgq_rx_data
 *	from process context; mbox_send_message() takes a &struct
 *	gunyah_msgq_tx_data.
 * @tx_ghrsc: %GUNYAH_RESOURCE_TYPE_MSGQ_TX resource with its interrupt, or
 *	NULL if the client only receives
 * @rx_ghrsc: %GUNYAH_RESOURCE_TYPE_MSGQ_RX resource with its interrupt, or
 *	NULL if the client only sends
 *
 * The resources must stay valid until gunyah_msgq_remove(). The client may
 * be called back as soon as this returns.
 *
 * Context: Process context; sleeps.
 * Return: 0 on success; -EINVAL if both resources are NULL, a resource is
 * of the wrong type or has no interrupt; or the error of the mailbox core
 * or of request_irq().
 */
int gunyah_msgq_init(struct device *parent, struct gunyah_msgq *msgq,
		     struct mbox_client *cl, struct gunyah_resource *tx_ghrsc,
		     struct gunyah_resource *rx_ghrsc)
{
	int ret;

	if (!parent || !msgq || !cl || (!tx_ghrsc && !rx_ghrsc))
		return -EINVAL;

	ret = gunyah_msgq_check_resource(tx_ghrsc, GUNYAH_RESOURCE_TYPE_MSGQ_TX);
	if (ret)
		return ret;

	ret = gunyah_msgq_check_resource(rx_ghrsc, GUNYAH_RESOURCE_TYPE_MSGQ_RX);
	if (ret)
		return ret;

	memset(msgq, 0, sizeof(*msgq));
	msgq->tx_ghrsc = tx_ghrsc;
	msgq->rx_ghrsc = rx_ghrsc;
	INIT_WORK(&msgq->txdone_work, gunyah_msgq_txdone_work);
	init_completion(&msgq->tx_room);
	mutex_init(&msgq->rx_lock);

	msgq->mbox.dev = parent;
	msgq->mbox.ops = &gunyah_msgq_ops;
	msgq->mbox.chans = &msgq->chan;
	msgq->mbox.num_chans = 1;
	msgq->mbox.txdone_irq = true;

	ret = mbox_controller_register(&msgq->mbox);
	if (ret)
		return ret;

	ret = mbox_bind_client(&msgq->chan, cl);
	if (ret)
		goto err_unregister;

	if (tx_ghrsc) {
		ret = request_irq(tx_ghrsc->irq, gunyah_msgq_tx_irq_handler, 0,
				  "gunyah-msgq-tx", msgq);
		if (ret) {
			dev_err(parent, "failed to request message queue TX IRQ %u: %d\n",
				tx_ghrsc->irq, ret);
			goto err_unregister;
		}
	}

	if (rx_ghrsc) {
		/*
		 * Gunyah's message queue interrupts are edges: one that comes
		 * while the thread runs makes it run again. A level one must
		 * stay masked until the thread has drained the queue; masking
		 * costs two distributor writes per interrupt, so only then.
		 */
		ret = request_threaded_irq(rx_ghrsc->irq,
					   gunyah_msgq_rx_irq_handler,
					   gunyah_msgq_rx_irq_thread,
					   irq_get_trigger_type(rx_ghrsc->irq) &
						IRQ_TYPE_LEVEL_MASK ? IRQF_ONESHOT : 0,
					   "gunyah-msgq-rx", msgq);
		if (ret) {
			dev_err(parent, "failed to request message queue RX IRQ %u: %d\n",
				rx_ghrsc->irq, ret);
			goto err_free_tx_irq;
		}
	}

	return 0;

err_free_tx_irq:
	if (tx_ghrsc)
		free_irq(tx_ghrsc->irq, msgq);
err_unregister:
	/* Also frees the channel, which unbinds the client. */
	mbox_controller_unregister(&msgq->mbox);
	return ret;
}
EXPORT_SYMBOL_GPL(gunyah_msgq_init);

/**
 * gunyah_msgq_remove() - Unbind the client and unregister a message queue
 *	pair
 * @msgq: a message queue pair set up by gunyah_msgq_init()
 *
 * The client must have stopped sending: no mbox_send_message() or
 * gunyah_msgq_send() may be in progress or start. When this returns, the client's callbacks have
 * returned and are not called again, and the resources may be freed.
 *
 * Context: Process context; sleeps.
 */
void gunyah_msgq_remove(struct gunyah_msgq *msgq)
{
	/* No more received messages; waits for the interrupt thread. */
	if (msgq->rx_ghrsc)
		free_irq(msgq->rx_ghrsc->irq, msgq);

	/*
	 * Then no more transmit completions: the interrupt and the work item
	 * are the only callers of mbox_chan_txdone(), and with no transfer
	 * in progress nothing queues the work item again.
	 */
	if (msgq->tx_ghrsc)
		free_irq(msgq->tx_ghrsc->irq, msgq);
	disable_work_sync(&msgq->txdone_work);

	mbox_controller_unregister(&msgq->mbox);
}
EXPORT_SYMBOL_GPL(gunyah_msgq_remove);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Gunyah message queue mailbox driver");
