/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Message queues (../shared/spec/abi.md §4): a one-way FIFO of up to @depth
 * messages of 1..@max_size bytes. The receiver's interrupt fires when the
 * count reaches the not-empty threshold (1) or on PUSH; the sender's when it
 * drops to the not-full threshold (depth - 1). Pure logic: callers pass the
 * copy routine for the other side's buffer (a VM's virtual address, or
 * hypervisor memory), and the interrupts are raised after the queue lock is
 * released.
 */
#ifndef HYP_MSGQ_H
#define HYP_MSGQ_H

#include <hyp/object.h>
#include <hyp/spinlock.h>
#include <hyp/virq.h>

/* Limits of the real Gunyah: depth < 256, message size < 1024. */
#define MSGQ_MAX_DEPTH		255
#define MSGQ_MAX_MSG_SIZE	1023

/* Copy @len bytes between the queue and a buffer at @addr; 0 or a Gunyah error. */
typedef int (*msgq_copy_in_fn)(void *dst, u64 addr, size_t len);
typedef int (*msgq_copy_out_fn)(u64 addr, const void *src, size_t len);

struct msgq {
	struct object obj;
	spinlock_t lock;
	u16 depth;
	u16 max_size;
	u16 head;		/* oldest message */
	u16 count;
	u16 notempty_thresh;
	u16 notfull_thresh;
	struct virq *send_virq;	/* to the sender: there is room again */
	struct virq *recv_virq;	/* to the receiver: messages are waiting */
	u8 *storage;
};

/* Bytes of storage for a queue of this shape. */
size_t msgq_storage_size(u16 depth, u16 max_size);

/* Returns 0 or GUNYAH_ERROR_ARG_INVAL for an impossible shape. */
int msgq_init(struct msgq *q, u16 depth, u16 max_size, void *storage);

/*
 * Append the @size bytes at @src. Returns 0, GUNYAH_ERROR_ARG_SIZE,
 * GUNYAH_ERROR_MSGQUEUE_FULL or the copy's error (nothing is queued then);
 * *@not_full tells whether another message fits.
 */
int msgq_send(struct msgq *q, u64 src, size_t size, bool push, msgq_copy_in_fn copy,
	      bool *not_full);

/*
 * Take the oldest message into the @bufsize bytes at @dst. Returns 0,
 * GUNYAH_ERROR_MSGQUEUE_EMPTY, GUNYAH_ERROR_ADDR_OVFL (buffer too small) or
 * the copy's error; on error the message stays queued. *@not_empty tells
 * whether more messages wait.
 */
int msgq_receive(struct msgq *q, u64 dst, size_t bufsize, msgq_copy_out_fn copy,
		 size_t *size, bool *not_empty);

/* Drop every queued message. */
void msgq_flush(struct msgq *q);

#endif
