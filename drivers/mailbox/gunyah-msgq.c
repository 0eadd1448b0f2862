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
 */

#include <linux/device.h>
#include <linux/errno.h>
#include <linux/gunyah.h>
#include <linux/gunyah_msgq.h>
#include <linux/interrupt.h>
#include <linux/mailbox_client.h>
#include <linux/mailbox_controller.h>
#include <linux/module.h>
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

	mbox_chan_txdone(&msgq->chan, 0);

	return IRQ_HANDLED;
}

static irqreturn_t gunyah_msgq_rx_irq_thread(int irq, void *data)
{
	struct gunyah_msgq *msgq = data;
	struct gunyah_msgq_rx_data *rx = &msgq->rx_data;
	u64 capid = msgq->rx_ghrsc->capid;
	enum gunyah_error gunyah_error;
	bool ready = true;
	size_t len;

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

	return IRQ_HANDLED;
}

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
		ret = request_threaded_irq(rx_ghrsc->irq, NULL,
					   gunyah_msgq_rx_irq_thread,
					   IRQF_ONESHOT, "gunyah-msgq-rx", msgq);
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
 * The client must have stopped sending: no mbox_send_message() may be in
 * progress or start. When this returns, the client's callbacks have
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
