// SPDX-License-Identifier: GPL-2.0-only
/* Message queues; see include/hyp/msgq.h. */
#include <hyp/gunyah_abi.h>
#include <hyp/msgq.h>

/* Each slot: the message length, then max_size bytes. */
#define SLOT_HDR	sizeof(u64)

static size_t slot_size(const struct msgq *q)
{
	return ALIGN_UP(SLOT_HDR + q->max_size, 8);
}

static u8 *slot(const struct msgq *q, unsigned int idx)
{
	return q->storage + (size_t)(idx % q->depth) * slot_size(q);
}

size_t msgq_storage_size(u16 depth, u16 max_size)
{
	return (size_t)depth * ALIGN_UP(SLOT_HDR + max_size, 8);
}

int msgq_init(struct msgq *q, u16 depth, u16 max_size, void *storage)
{
	if (!depth || depth > MSGQ_MAX_DEPTH || !max_size || max_size > MSGQ_MAX_MSG_SIZE ||
	    !storage)
		return GUNYAH_ERROR_ARG_INVAL;
	q->obj.type = OBJECT_MSGQUEUE;
	spin_lock_init(&q->lock);
	q->depth = depth;
	q->max_size = max_size;
	q->head = 0;
	q->count = 0;
	q->notempty_thresh = 1;
	q->notfull_thresh = depth - 1;
	q->send_virq = NULL;
	q->recv_virq = NULL;
	q->storage = storage;
	return 0;
}

int msgq_send(struct msgq *q, u64 src, size_t size, bool push, msgq_copy_in_fn copy,
	      bool *not_full)
{
	bool raise = false;
	u8 *s;
	int ret;

	/* Configured but never activated: it has no slots yet. */
	if (!q->storage)
		return GUNYAH_ERROR_OBJECT_STATE;
	if (!size || size > q->max_size)
		return GUNYAH_ERROR_ARG_SIZE;

	spin_lock(&q->lock);
	if (q->count == q->depth) {
		*not_full = false;
		spin_unlock(&q->lock);
		return GUNYAH_ERROR_MSGQUEUE_FULL;
	}
	s = slot(q, q->head + q->count);
	ret = copy(s + SLOT_HDR, src, size);
	if (!ret) {
		*(u64 *)s = size;
		q->count++;
		raise = push || q->count == q->notempty_thresh;
	}
	*not_full = q->count < q->depth;
	spin_unlock(&q->lock);

	if (raise)
		virq_raise(q->recv_virq);
	return ret;
}

int msgq_receive(struct msgq *q, u64 dst, size_t bufsize, msgq_copy_out_fn copy,
		 size_t *size, bool *not_empty)
{
	bool raise = false;
	u64 len;
	u8 *s;
	int ret;

	if (!q->storage)
		return GUNYAH_ERROR_OBJECT_STATE;
	spin_lock(&q->lock);
	if (!q->count) {
		*not_empty = false;
		spin_unlock(&q->lock);
		return GUNYAH_ERROR_MSGQUEUE_EMPTY;
	}
	s = slot(q, q->head);
	len = *(u64 *)s;
	if (bufsize < len)
		ret = GUNYAH_ERROR_ADDR_OVFL;
	else
		ret = copy(dst, s + SLOT_HDR, len);
	if (!ret) {
		q->head = (q->head + 1) % q->depth;
		q->count--;
		raise = q->count == q->notfull_thresh;
		*size = len;
	}
	*not_empty = q->count > 0;
	spin_unlock(&q->lock);

	if (raise)
		virq_raise(q->send_virq);
	return ret;
}

void msgq_flush(struct msgq *q)
{
	bool raise;

	if (!q->storage)
		return;
	spin_lock(&q->lock);
	raise = q->count > q->notfull_thresh;
	q->head = 0;
	q->count = 0;
	spin_unlock(&q->lock);

	if (raise)
		virq_raise(q->send_virq);
}
