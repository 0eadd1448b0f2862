/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Gunyah message queues as mailbox channels.
 *
 * A Gunyah message queue pair (one queue this VM sends on, one it receives
 * from) becomes a mailbox controller with a single channel. The capability
 * IDs and interrupts come from the Resource Manager at run time, not from a
 * devicetree "mboxes" phandle, so the client is bound to the channel
 * directly by gunyah_msgq_init().
 *
 * This header only pulls in the controller side of the mailbox API; a
 * client includes <linux/mailbox_client.h> itself.
 */

#ifndef _LINUX_GUNYAH_MSGQ_H
#define _LINUX_GUNYAH_MSGQ_H

#include <linux/bits.h>
#include <linux/completion.h>
#include <linux/gunyah.h>
#include <linux/mailbox_controller.h>
#include <linux/mutex_types.h>
#include <linux/types.h>
#include <linux/workqueue_types.h>

struct device;
struct mbox_client;

/*
 * Largest message the channel receives. The Resource Manager creates its
 * queues with this message size (abi.md 6.1).
 */
#define GUNYAH_MSGQ_MAX_MSG_SIZE	240

/**
 * struct gunyah_msgq_tx_data - A message to send, the argument of
 *	mbox_send_message() on a Gunyah message queue channel
 * @length: number of bytes in @data, 1 to %GUNYAH_MSGQ_MAX_MSG_SIZE (the
 *	hypervisor enforces the queue's own maximum)
 * @push: raise the receiver's interrupt at once
 *	(%GUNYAH_HYPERCALL_MSGQ_TX_FLAGS_PUSH) instead of waiting for the
 *	queue's receive threshold
 * @data: the message. It must stay valid until the transfer completes
 *	and be mapped in the kernel's linear or vmalloc space: the
 *	hypervisor reads it through its kernel virtual address.
 *
 * The transfer completes, and the client's tx_done() or blocking
 * mbox_send_message() returns, once the message is in the queue. A status
 * of 0 means it was queued; a negative errno means the hypervisor refused
 * it and it was not sent.
 */
struct gunyah_msgq_tx_data {
	size_t length;
	bool push;
	u8 data[];
};

/**
 * struct gunyah_msgq_rx_data - A received message, the argument of the
 *	client's rx_callback()
 * @length: number of valid bytes in @data, at most
 *	%GUNYAH_MSGQ_MAX_MSG_SIZE
 * @data: the message
 *
 * The structure is reused for the next message once rx_callback()
 * returns: the client copies what it keeps. rx_callback() runs in the
 * threaded handler of the receive interrupt, or in the context of a
 * gunyah_msgq_send() with %GUNYAH_MSGQ_SEND_POLL, so it may sleep.
 */
struct gunyah_msgq_rx_data {
	size_t length;
	u8 data[GUNYAH_MSGQ_MAX_MSG_SIZE];
};

/**
 * struct gunyah_msgq - A Gunyah message queue pair driven as a mailbox
 * @tx_ghrsc: the queue this VM sends on, or NULL
 * @rx_ghrsc: the queue this VM receives from, or NULL
 * @mbox: the mailbox controller
 * @chan: its only channel
 * @txdone_work: completes a transfer that left room in the queue (see
 *	drivers/mailbox/gunyah-msgq.c)
 * @tx_status: status reported by @txdone_work
 * @tx_room: completed by the transmit interrupt, for gunyah_msgq_send()
 * @rx_lock: serialises receiving and delivering, by the interrupt thread
 *	and by pollers (gunyah_msgq_send() with %GUNYAH_MSGQ_SEND_POLL)
 * @rx_irqs: receive interrupts so far
 * @rx_pollers: callers of gunyah_msgq_send() about to drain the receive
 *	queue; while there are any, the receive interrupt leaves it to them
 * @rx_data: buffer of the receiver holding @rx_lock
 *
 * Owned by the client, which embeds it; every field is private to the
 * controller and set up by gunyah_msgq_init().
 */
struct gunyah_msgq {
	struct gunyah_resource *tx_ghrsc;
	struct gunyah_resource *rx_ghrsc;
	struct mbox_controller mbox;
	struct mbox_chan chan;
	struct work_struct txdone_work;
	int tx_status;
	struct completion tx_room;
	struct mutex rx_lock;		/* serialises receivers */
	atomic_t rx_irqs;
	atomic_t rx_pollers;
	struct gunyah_msgq_rx_data rx_data;
};

/* Flags of gunyah_msgq_send() */
#define GUNYAH_MSGQ_SEND_PUSH	BIT(0)	/* raise the receiver's interrupt now */
#define GUNYAH_MSGQ_SEND_POLL	BIT(1)	/* then receive in the caller's context */

int gunyah_msgq_init(struct device *parent, struct gunyah_msgq *msgq,
		     struct mbox_client *cl, struct gunyah_resource *tx_ghrsc,
		     struct gunyah_resource *rx_ghrsc);
void gunyah_msgq_remove(struct gunyah_msgq *msgq);
int gunyah_msgq_send(struct gunyah_msgq *msgq, const void *data, size_t len,
		     unsigned int flags);

/**
 * gunyah_msgq_chan() - The mailbox channel of a message queue pair
 * @msgq: a message queue pair set up by gunyah_msgq_init()
 *
 * Return: the channel to pass to mbox_send_message().
 */
static inline struct mbox_chan *gunyah_msgq_chan(struct gunyah_msgq *msgq)
{
	return &msgq->chan;
}

#endif /* _LINUX_GUNYAH_MSGQ_H */
