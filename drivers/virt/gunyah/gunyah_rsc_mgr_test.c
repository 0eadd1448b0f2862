// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the Gunyah Resource Manager RPC core and of the typed RM
 * calls, against a fake transport: runs anywhere, no hypervisor needed.
 *
 * The fake checks every packet the core sends (header bytes, fragment
 * sizes, PUSH only on the last packet), reassembles the requests itself and
 * can answer them at once from inside the send callback. Packets "from the
 * RM" are built here byte by byte, independently of the driver's encoder.
 */

#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include <linux/wait.h>

#include "rsc_mgr.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define FAKE_HDR		8
#define FAKE_PAYLOAD		232
#define FAKE_PKT		240
#define FAKE_MAX_MSG		(63 * FAKE_PAYLOAD)
#define FAKE_MAX_PKTS		128
#define FAKE_MAX_MSGS		64
#define FAKE_TIMEOUT		(10 * HZ)

/* Wire values, written out rather than taken from rsc_mgr.h */
#define FAKE_API		0x21
#define FAKE_CONTINUATION	0
#define FAKE_REQUEST		1
#define FAKE_REPLY		2
#define FAKE_NOTIFICATION	3

#define FAKE_MSG_ID		0x56000042

struct fake_pkt {
	size_t size;
	bool push;
	u8 data[FAKE_PKT];
};

/* A request as the fake reassembled it */
struct fake_msg {
	u16 seq;
	u32 msg_id;
	unsigned int n_pkts;
	size_t size;
	u8 *data;
};

struct fake_rm;
typedef void (*fake_respond_t)(struct fake_rm *fake, const struct fake_msg *msg);

struct fake_rm {
	struct kunit *test;
	struct gunyah_rm *rm;
	bool destroyed;

	struct mutex lock;		/* protects the rest */
	wait_queue_head_t wq;
	int send_ret;

	/* Every packet sent */
	struct fake_pkt *pkts;
	unsigned int n_pkts;

	/* Reassembly of the request in progress */
	struct fake_msg cur;
	unsigned int cur_fragments;
	size_t last_len;

	/* Complete requests */
	struct fake_msg msgs[FAKE_MAX_MSGS];
	unsigned int n_msgs;

	/* Answer to each complete request, from inside send() */
	fake_respond_t respond;
	u32 reply_err;
	const void *reply_data;
	size_t reply_size;
	void *ctx;
};

static void fake_hdr(u8 *p, u8 type, unsigned int fragments, u16 seq,
		     u32 msg_id)
{
	p[0] = FAKE_API;
	p[1] = type | (fragments << 2);
	p[2] = seq & 0xff;
	p[3] = seq >> 8;
	put_unaligned_le32(msg_id, p + 4);
}

/* Send a message "from the RM", split into packets of 232 bytes. */
static void fake_inject(struct fake_rm *fake, u8 type, u16 seq, u32 msg_id,
			const u8 *payload, size_t size)
{
	unsigned int fragments = size ? DIV_ROUND_UP(size, FAKE_PAYLOAD) - 1 : 0;
	u8 pkt[FAKE_PKT];
	size_t off = 0, len;
	unsigned int i;

	for (i = 0; i <= fragments; i++) {
		len = min_t(size_t, size - off, FAKE_PAYLOAD);
		fake_hdr(pkt, i ? FAKE_CONTINUATION : type, fragments, seq,
			 msg_id);
		if (len)
			memcpy(pkt + FAKE_HDR, payload + off, len);
		gunyah_rm_rx(fake->rm, pkt, FAKE_HDR + len);
		off += len;
	}
}

static void fake_reply(struct fake_rm *fake, u16 seq, u32 msg_id, u32 err,
		       const void *data, size_t size)
{
	u8 *buf = kmalloc(size + 4, GFP_KERNEL);

	if (WARN_ON(!buf))
		return;

	put_unaligned_le32(err, buf);
	if (size)
		memcpy(buf + 4, data, size);
	fake_inject(fake, FAKE_REPLY, seq, msg_id, buf, size + 4);
	kfree(buf);
}

static void fake_respond_canned(struct fake_rm *fake, const struct fake_msg *msg)
{
	fake_reply(fake, msg->seq, msg->msg_id, fake->reply_err,
		   fake->reply_data, fake->reply_size);
}

static int fake_send(void *priv, const void *pkt, size_t size, bool push)
{
	struct fake_rm *fake = priv;
	struct kunit *test = fake->test;
	struct fake_msg *cur = &fake->cur;
	const struct fake_msg *done = NULL;
	unsigned int type, fragments;
	const u8 *p = pkt;
	size_t len;
	u32 msg_id;
	u16 seq;
	int ret;

	mutex_lock(&fake->lock);

	ret = fake->send_ret;
	if (ret)
		goto out;

	if (fake->n_pkts < FAKE_MAX_PKTS) {
		struct fake_pkt *rec = &fake->pkts[fake->n_pkts];

		rec->size = min_t(size_t, size, FAKE_PKT);
		rec->push = push;
		memcpy(rec->data, pkt, rec->size);
	}
	fake->n_pkts++;

	KUNIT_EXPECT_GE(test, size, FAKE_HDR);
	KUNIT_EXPECT_LE(test, size, FAKE_PKT);
	if (size < FAKE_HDR || size > FAKE_PKT) {
		ret = -EIO;
		goto out;
	}

	KUNIT_EXPECT_EQ(test, p[0], FAKE_API);
	type = p[1] & 3;
	fragments = p[1] >> 2;
	seq = get_unaligned_le16(p + 2);
	msg_id = get_unaligned_le32(p + 4);
	len = size - FAKE_HDR;

	KUNIT_EXPECT_LE(test, fragments, 62);
	if (!cur->n_pkts) {
		KUNIT_EXPECT_EQ(test, type, FAKE_REQUEST);
		fake->cur_fragments = fragments;
		cur->seq = seq;
		cur->msg_id = msg_id;
		cur->size = 0;
	} else {
		/* Continuations repeat the header; earlier packets are full. */
		KUNIT_EXPECT_EQ(test, type, FAKE_CONTINUATION);
		KUNIT_EXPECT_EQ(test, seq, cur->seq);
		KUNIT_EXPECT_EQ(test, msg_id, cur->msg_id);
		KUNIT_EXPECT_EQ(test, fragments, fake->cur_fragments);
		KUNIT_EXPECT_EQ(test, fake->last_len, FAKE_PAYLOAD);
	}

	if (cur->size + len > FAKE_MAX_MSG || cur->n_pkts > fragments) {
		KUNIT_FAIL(test, "request longer than its header announces");
		ret = -EIO;
		goto out;
	}
	memcpy(cur->data + cur->size, p + FAKE_HDR, len);
	cur->size += len;
	cur->n_pkts++;
	fake->last_len = len;

	/* PUSH exactly on the last packet */
	KUNIT_EXPECT_EQ(test, push, cur->n_pkts == fragments + 1);

	if (cur->n_pkts == fragments + 1) {
		if (fake->n_msgs < FAKE_MAX_MSGS) {
			struct fake_msg *msg = &fake->msgs[fake->n_msgs];

			*msg = *cur;
			msg->data = kunit_kmalloc(test, max_t(size_t, cur->size, 1),
						  GFP_KERNEL);
			if (msg->data) {
				memcpy(msg->data, cur->data, cur->size);
				done = msg;
			}
		}
		fake->n_msgs++;
		cur->n_pkts = 0;
		cur->size = 0;
	}

out:
	mutex_unlock(&fake->lock);

	if (done) {
		wake_up_all(&fake->wq);
		if (fake->respond)
			fake->respond(fake, done);
	}

	return ret;
}

static const struct gunyah_rm_transport_ops fake_ops = {
	.send = fake_send,
};

static int rm_test_init(struct kunit *test)
{
	struct fake_rm *fake;
	struct device *dev;

	dev = kunit_device_register(test, "gunyah-rm-fake");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);

	fake = kunit_kzalloc(test, sizeof(*fake), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fake);
	fake->pkts = kunit_kcalloc(test, FAKE_MAX_PKTS, sizeof(*fake->pkts),
				   GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fake->pkts);
	fake->cur.data = kunit_kmalloc(test, FAKE_MAX_MSG, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fake->cur.data);

	fake->test = test;
	mutex_init(&fake->lock);
	init_waitqueue_head(&fake->wq);
	fake->respond = fake_respond_canned;

	fake->rm = gunyah_rm_create(dev, &fake_ops, fake);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fake->rm);

	test->priv = fake;
	return 0;
}

static void fake_destroy(struct fake_rm *fake)
{
	if (!fake->destroyed) {
		fake->destroyed = true;
		gunyah_rm_destroy(fake->rm);
	}
}

static void rm_test_exit(struct kunit *test)
{
	struct fake_rm *fake = test->priv;

	if (fake)
		fake_destroy(fake);
}

static unsigned int fake_n_msgs(struct fake_rm *fake)
{
	guard(mutex)(&fake->lock);
	return fake->n_msgs;
}

/*
 * The condition runs with the task state set: no mutex there. n_msgs only
 * grows, and fake_n_msgs() rechecks it under the lock once woken.
 */
static bool fake_wait_msgs_for(struct fake_rm *fake, unsigned int n,
			       unsigned long timeout)
{
	return wait_event_timeout(fake->wq, READ_ONCE(fake->n_msgs) >= n,
				  timeout) > 0 && fake_n_msgs(fake) >= n;
}

static bool fake_wait_msgs(struct fake_rm *fake, unsigned int n)
{
	return fake_wait_msgs_for(fake, n, FAKE_TIMEOUT);
}

static void fill_pattern(u8 *buf, size_t size, unsigned int seed)
{
	size_t i;

	for (i = 0; i < size; i++)
		buf[i] = (i * 7 + seed) & 0xff;
}

/* ---------------------------------------------------------------------- */
/* Header encoding and decoding                                           */

static void rm_hdr_encode_decode(struct kunit *test)
{
	static const u8 request[] = {
		0x21, 0x15, 0x34, 0x12, 0x24, 0x00, 0x00, 0x56,
	};
	static const u8 continuation[] = {
		0x21, 0xf8, 0xff, 0xff, 0x18, 0x00, 0x00, 0x51,
	};
	static const u8 notification[] = {
		0x21, 0x03, 0x00, 0x00, 0x08, 0x00, 0x10, 0x56,
	};
	struct gunyah_rm_rpc_hdr hdr;
	u8 raw[8] = { 0x21, 0xfe, 0x01, 0x80, 0x78, 0x56, 0x34, 0x12 };

	gunyah_rm_rpc_hdr_init(&hdr, GUNYAH_RM_RPC_TYPE_REQUEST, 5, 0x1234,
			       0x56000024);
	KUNIT_EXPECT_MEMEQ(test, &hdr, request, sizeof(request));

	gunyah_rm_rpc_hdr_init(&hdr, GUNYAH_RM_RPC_TYPE_CONTINUATION, 62,
			       0xffff, 0x51000018);
	KUNIT_EXPECT_MEMEQ(test, &hdr, continuation, sizeof(continuation));

	gunyah_rm_rpc_hdr_init(&hdr, GUNYAH_RM_RPC_TYPE_NOTIFICATION, 0, 0,
			       0x56100008);
	KUNIT_EXPECT_MEMEQ(test, &hdr, notification, sizeof(notification));

	memcpy(&hdr, raw, sizeof(hdr));
	KUNIT_EXPECT_TRUE(test, gunyah_rm_rpc_hdr_api_valid(&hdr));
	KUNIT_EXPECT_EQ(test, gunyah_rm_rpc_hdr_type(&hdr), GUNYAH_RM_RPC_TYPE_REPLY);
	KUNIT_EXPECT_EQ(test, gunyah_rm_rpc_hdr_fragments(&hdr), 63);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(hdr.seq), 0x8001);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(hdr.msg_id), 0x12345678);

	raw[1] = 0x09;
	memcpy(&hdr, raw, sizeof(hdr));
	KUNIT_EXPECT_EQ(test, gunyah_rm_rpc_hdr_type(&hdr), GUNYAH_RM_RPC_TYPE_REQUEST);
	KUNIT_EXPECT_EQ(test, gunyah_rm_rpc_hdr_fragments(&hdr), 2);

	/* Version 2, version 0, 1 or 3 header words */
	hdr.api = 0x22;
	KUNIT_EXPECT_FALSE(test, gunyah_rm_rpc_hdr_api_valid(&hdr));
	hdr.api = 0x20;
	KUNIT_EXPECT_FALSE(test, gunyah_rm_rpc_hdr_api_valid(&hdr));
	hdr.api = 0x11;
	KUNIT_EXPECT_FALSE(test, gunyah_rm_rpc_hdr_api_valid(&hdr));
	hdr.api = 0x31;
	KUNIT_EXPECT_FALSE(test, gunyah_rm_rpc_hdr_api_valid(&hdr));
}

/* ---------------------------------------------------------------------- */
/* Splitting requests                                                     */

struct rm_size_case {
	size_t size;
	unsigned int packets;
};

static const struct rm_size_case rm_tx_sizes[] = {
	{ 0, 1 }, { 1, 1 }, { 232, 1 }, { 233, 2 }, { 464, 2 }, { 14384, 62 },
};

static void rm_size_desc(const struct rm_size_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%zu bytes", c->size);
}

KUNIT_ARRAY_PARAM(rm_tx_size, rm_tx_sizes, rm_size_desc);

static void rm_tx_split(struct kunit *test)
{
	const struct rm_size_case *c = test->param_value;
	struct fake_rm *fake = test->priv;
	unsigned int i, fragments = c->packets - 1;
	u8 *req = NULL;
	size_t off = 0;
	u16 seq;

	if (c->size) {
		req = kunit_kmalloc(test, c->size, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, req);
		fill_pattern(req, c->size, c->size);
	}

	KUNIT_ASSERT_EQ(test, gunyah_rm_call(fake->rm, FAKE_MSG_ID, req, c->size,
					     NULL, NULL), 0);

	KUNIT_ASSERT_EQ(test, fake->n_msgs, 1);
	KUNIT_ASSERT_EQ(test, fake->n_pkts, c->packets);
	KUNIT_EXPECT_EQ(test, fake->msgs[0].size, c->size);
	if (c->size)
		KUNIT_EXPECT_MEMEQ(test, fake->msgs[0].data, req, c->size);

	seq = get_unaligned_le16(fake->pkts[0].data + 2);
	for (i = 0; i < c->packets; i++) {
		const struct fake_pkt *pkt = &fake->pkts[i];
		size_t len = min_t(size_t, c->size - off, FAKE_PAYLOAD);
		u8 hdr[FAKE_HDR];

		fake_hdr(hdr, i ? FAKE_CONTINUATION : FAKE_REQUEST, fragments,
			 seq, FAKE_MSG_ID);
		KUNIT_EXPECT_MEMEQ(test, pkt->data, hdr, FAKE_HDR);
		KUNIT_EXPECT_EQ(test, pkt->size, FAKE_HDR + len);
		KUNIT_EXPECT_EQ(test, pkt->push, i == fragments);
		if (len)
			KUNIT_EXPECT_MEMEQ(test, pkt->data + FAKE_HDR, req + off, len);
		off += len;
	}
}

static void rm_tx_too_big(struct kunit *test)
{
	struct fake_rm *fake = test->priv;
	size_t size = 14385;
	u8 *req;

	req = kunit_kzalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, req);

	KUNIT_EXPECT_EQ(test, gunyah_rm_call(fake->rm, FAKE_MSG_ID, req, size,
					     NULL, NULL), -E2BIG);
	KUNIT_EXPECT_EQ(test, fake->n_pkts, 0);

	/* The largest request still goes out. */
	KUNIT_EXPECT_EQ(test, gunyah_rm_call(fake->rm, FAKE_MSG_ID, req, size - 1,
					     NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, fake->n_pkts, 62);
}

static void rm_call_bad_args(struct kunit *test)
{
	struct fake_rm *fake = test->priv;
	size_t size;
	void *resp;

	KUNIT_EXPECT_EQ(test, gunyah_rm_call(fake->rm, 0, NULL, 0, NULL, NULL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, gunyah_rm_call(fake->rm, FAKE_MSG_ID, NULL, 4,
					     NULL, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, gunyah_rm_call(fake->rm, FAKE_MSG_ID, NULL, 0,
					     &resp, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, gunyah_rm_call(fake->rm, FAKE_MSG_ID, NULL, 0,
					     NULL, &size), -EINVAL);
	KUNIT_EXPECT_EQ(test, fake->n_pkts, 0);

	/* A transport error is returned and the sequence number freed */
	fake->send_ret = -EIO;
	KUNIT_EXPECT_EQ(test, gunyah_rm_call(fake->rm, FAKE_MSG_ID, NULL, 0,
					     NULL, NULL), -EIO);
	fake->send_ret = 0;
	KUNIT_EXPECT_EQ(test, gunyah_rm_call(fake->rm, FAKE_MSG_ID, NULL, 0,
					     NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, gunyah_rm_rx_dropped(fake->rm), 0);
}

/* ---------------------------------------------------------------------- */
/* Reassembling replies and notifications                                 */

/* Payload sizes, 63 packets being the most the RM may send */
static const struct rm_size_case rm_rx_sizes[] = {
	{ 0, 1 }, { 1, 1 }, { 232, 1 }, { 233, 2 }, { 14384, 62 },
	{ 14616, 63 },
};

KUNIT_ARRAY_PARAM(rm_rx_size, rm_rx_sizes, rm_size_desc);

/* A reply's payload includes the 4-byte error word. */
static const struct rm_size_case rm_rx_reply_sizes[] = {
	{ 4, 1 }, { 5, 1 }, { 232, 1 }, { 233, 2 }, { 14384, 62 },
	{ 14616, 63 },
};

KUNIT_ARRAY_PARAM(rm_rx_reply_size, rm_rx_reply_sizes, rm_size_desc);

static void rm_rx_reply_reassembly(struct kunit *test)
{
	const struct rm_size_case *c = test->param_value;
	struct fake_rm *fake = test->priv;
	size_t data_size = c->size - 4;
	size_t resp_size;
	void *resp;
	u8 *data;

	data = kunit_kmalloc(test, max_t(size_t, data_size, 1), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, data);
	fill_pattern(data, data_size, 3);
	fake->reply_data = data;
	fake->reply_size = data_size;

	KUNIT_ASSERT_EQ(test, gunyah_rm_call(fake->rm, FAKE_MSG_ID, NULL, 0,
					     &resp, &resp_size), 0);
	KUNIT_EXPECT_EQ(test, resp_size, data_size);
	if (data_size) {
		KUNIT_ASSERT_NOT_NULL(test, resp);
		KUNIT_EXPECT_MEMEQ(test, resp, data, data_size);
	} else {
		KUNIT_EXPECT_NULL(test, resp);
	}
	kfree(resp);
	KUNIT_EXPECT_EQ(test, gunyah_rm_rx_dropped(fake->rm), 0);
}

#define REC_MAX 16

struct notif_rec {
	struct notifier_block nb;
	struct completion got;
	unsigned int count;
	unsigned int sleep_ms;
	unsigned long actions[REC_MAX];
	size_t sizes[REC_MAX];
	u8 first[REC_MAX];
	size_t last_size;
	u8 *last;
};

static int notif_rec_call(struct notifier_block *nb, unsigned long action,
			  void *data)
{
	struct notif_rec *rec = container_of(nb, struct notif_rec, nb);
	const struct gunyah_rm_notification *n = data;

	if (rec->sleep_ms)
		msleep(rec->sleep_ms);

	if (rec->count < REC_MAX) {
		rec->actions[rec->count] = action;
		rec->sizes[rec->count] = n->size;
		rec->first[rec->count] = n->size ? *(const u8 *)n->payload : 0;
	}
	rec->last_size = min_t(size_t, n->size, FAKE_MAX_MSG);
	memcpy(rec->last, n->payload, rec->last_size);
	rec->count++;
	complete(&rec->got);

	return NOTIFY_OK;
}

static struct notif_rec *notif_rec_register(struct kunit *test)
{
	struct fake_rm *fake = test->priv;
	struct notif_rec *rec;

	rec = kunit_kzalloc(test, sizeof(*rec), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	rec->last = kunit_kzalloc(test, FAKE_MAX_MSG, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rec->last);
	init_completion(&rec->got);
	rec->nb.notifier_call = notif_rec_call;
	KUNIT_ASSERT_EQ(test, gunyah_rm_notifier_register(fake->rm, &rec->nb), 0);

	return rec;
}

static void notif_rec_unregister(struct kunit *test, struct notif_rec *rec)
{
	struct fake_rm *fake = test->priv;

	KUNIT_EXPECT_EQ(test, gunyah_rm_notifier_unregister(fake->rm, &rec->nb), 0);
}

static bool notif_rec_wait(struct notif_rec *rec)
{
	return wait_for_completion_timeout(&rec->got, FAKE_TIMEOUT) > 0;
}

static void rm_rx_notification_reassembly(struct kunit *test)
{
	const struct rm_size_case *c = test->param_value;
	struct fake_rm *fake = test->priv;
	struct notif_rec *rec = notif_rec_register(test);
	u8 *payload;

	payload = kunit_kmalloc(test, max_t(size_t, c->size, 1), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, payload);
	fill_pattern(payload, c->size, 5);

	fake_inject(fake, FAKE_NOTIFICATION, 7, 0x56100077, payload, c->size);
	KUNIT_ASSERT_TRUE(test, notif_rec_wait(rec));
	notif_rec_unregister(test, rec);

	KUNIT_EXPECT_EQ(test, rec->count, 1);
	KUNIT_EXPECT_EQ(test, rec->actions[0], 0x56100077);
	KUNIT_EXPECT_EQ(test, rec->last_size, c->size);
	if (c->size)
		KUNIT_EXPECT_MEMEQ(test, rec->last, payload, c->size);
	KUNIT_EXPECT_EQ(test, gunyah_rm_rx_dropped(fake->rm), 0);
}

/* ---------------------------------------------------------------------- */
/* Malformed packets                                                      */

/* A one-byte notification marked with @mark, then wait for it. */
static void expect_only_notification(struct kunit *test, struct notif_rec *rec,
				     u8 mark)
{
	struct fake_rm *fake = test->priv;

	fake_inject(fake, FAKE_NOTIFICATION, 0, 0x56100099, &mark, 1);
	KUNIT_ASSERT_TRUE(test, notif_rec_wait(rec));
	/* Notifications run in order: anything delivered before shows here. */
	KUNIT_EXPECT_EQ(test, rec->count, 1);
	KUNIT_EXPECT_EQ(test, rec->first[0], mark);
	KUNIT_EXPECT_EQ(test, rec->actions[0], 0x56100099);
}

static void rm_rx_drop_bad_api(struct kunit *test)
{
	static const u8 bad_api[] = { 0x22, 0x20, 0x11, 0x31, 0x12, 0x00 };
	struct fake_rm *fake = test->priv;
	struct notif_rec *rec = notif_rec_register(test);
	u8 pkt[FAKE_HDR + 1];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_api); i++) {
		fake_hdr(pkt, FAKE_NOTIFICATION, 0, 0, 0x56100099);
		pkt[0] = bad_api[i];
		pkt[FAKE_HDR] = 0xee;
		gunyah_rm_rx(fake->rm, pkt, sizeof(pkt));
	}
	KUNIT_EXPECT_EQ(test, gunyah_rm_rx_dropped(fake->rm), ARRAY_SIZE(bad_api));

	expect_only_notification(test, rec, 0x5a);
	notif_rec_unregister(test, rec);
}

static void rm_rx_drop_short_long_request(struct kunit *test)
{
	struct fake_rm *fake = test->priv;
	struct notif_rec *rec = notif_rec_register(test);
	u8 pkt[FAKE_PKT + 1] = {};

	fake_hdr(pkt, FAKE_NOTIFICATION, 0, 0, 0x56100099);
	gunyah_rm_rx(fake->rm, pkt, 0);
	gunyah_rm_rx(fake->rm, pkt, FAKE_HDR - 1);
	gunyah_rm_rx(fake->rm, pkt, FAKE_PKT + 1);
	/* The RM sends no requests to us */
	fake_hdr(pkt, FAKE_REQUEST, 0, 0, 0x56000024);
	gunyah_rm_rx(fake->rm, pkt, FAKE_HDR);
	KUNIT_EXPECT_EQ(test, gunyah_rm_rx_dropped(fake->rm), 4);

	/* A full-size packet and a header-only packet are fine */
	fake_hdr(pkt, FAKE_NOTIFICATION, 0, 0, 0x56100098);
	gunyah_rm_rx(fake->rm, pkt, FAKE_PKT);
	KUNIT_ASSERT_TRUE(test, notif_rec_wait(rec));
	KUNIT_EXPECT_EQ(test, rec->sizes[0], FAKE_PAYLOAD);
	fake_hdr(pkt, FAKE_NOTIFICATION, 0, 0, 0x56100097);
	gunyah_rm_rx(fake->rm, pkt, FAKE_HDR);
	KUNIT_ASSERT_TRUE(test, notif_rec_wait(rec));
	KUNIT_EXPECT_EQ(test, rec->sizes[1], 0);
	KUNIT_EXPECT_EQ(test, rec->actions[1], 0x56100097);
	KUNIT_EXPECT_EQ(test, gunyah_rm_rx_dropped(fake->rm), 4);
	notif_rec_unregister(test, rec);
}

static void rm_rx_drop_stray_continuation(struct kunit *test)
{
	struct fake_rm *fake = test->priv;
	struct notif_rec *rec = notif_rec_register(test);
	u8 pkt[FAKE_PKT];

	/* No message in progress */
	fake_hdr(pkt, FAKE_CONTINUATION, 1, 9, 0x56100099);
	gunyah_rm_rx(fake->rm, pkt, FAKE_HDR + 1);
	KUNIT_EXPECT_EQ(test, gunyah_rm_rx_dropped(fake->rm), 1);

	/* First packet of 2; continuations of another seq, ID or count */
	memset(pkt + FAKE_HDR, 0x11, FAKE_PAYLOAD);
	fake_hdr(pkt, FAKE_NOTIFICATION, 1, 9, 0x56100099);
	gunyah_rm_rx(fake->rm, pkt, FAKE_PKT);
	fake_hdr(pkt, FAKE_CONTINUATION, 1, 10, 0x56100099);
	gunyah_rm_rx(fake->rm, pkt, FAKE_HDR + 1);
	fake_hdr(pkt, FAKE_CONTINUATION, 1, 9, 0x56100098);
	gunyah_rm_rx(fake->rm, pkt, FAKE_HDR + 1);
	fake_hdr(pkt, FAKE_CONTINUATION, 2, 9, 0x56100099);
	gunyah_rm_rx(fake->rm, pkt, FAKE_HDR + 1);
	KUNIT_EXPECT_EQ(test, gunyah_rm_rx_dropped(fake->rm), 4);

	/* The right continuation completes it */
	pkt[FAKE_HDR] = 0x22;
	fake_hdr(pkt, FAKE_CONTINUATION, 1, 9, 0x56100099);
	gunyah_rm_rx(fake->rm, pkt, FAKE_HDR + 1);
	KUNIT_ASSERT_TRUE(test, notif_rec_wait(rec));
	KUNIT_EXPECT_EQ(test, rec->count, 1);
	KUNIT_EXPECT_EQ(test, rec->last_size, FAKE_PAYLOAD + 1);
	KUNIT_EXPECT_EQ(test, rec->last[0], 0x11);
	KUNIT_EXPECT_EQ(test, rec->last[FAKE_PAYLOAD - 1], 0x11);
	KUNIT_EXPECT_EQ(test, rec->last[FAKE_PAYLOAD], 0x22);

	/* One more continuation is stray */
	gunyah_rm_rx(fake->rm, pkt, FAKE_HDR + 1);
	KUNIT_EXPECT_EQ(test, gunyah_rm_rx_dropped(fake->rm), 5);

	/* A new first packet drops the message in progress */
	fake_hdr(pkt, FAKE_NOTIFICATION, 3, 11, 0x56100099);
	gunyah_rm_rx(fake->rm, pkt, FAKE_PKT);
	reinit_completion(&rec->got);
	rec->count = 0;
	expect_only_notification(test, rec, 0x77);
	KUNIT_EXPECT_EQ(test, gunyah_rm_rx_dropped(fake->rm), 6);
	notif_rec_unregister(test, rec);
}

static void rm_rx_drop_too_many_fragments(struct kunit *test)
{
	struct fake_rm *fake = test->priv;
	struct notif_rec *rec = notif_rec_register(test);
	u8 pkt[FAKE_PKT] = {};
	unsigned int i;

	/* 63 continuations: one too many. Its continuations are stray. */
	fake_hdr(pkt, FAKE_NOTIFICATION, 63, 1, 0x56100099);
	gunyah_rm_rx(fake->rm, pkt, FAKE_PKT);
	KUNIT_EXPECT_EQ(test, gunyah_rm_rx_dropped(fake->rm), 1);
	for (i = 0; i < 63; i++) {
		fake_hdr(pkt, FAKE_CONTINUATION, 63, 1, 0x56100099);
		gunyah_rm_rx(fake->rm, pkt, FAKE_PKT);
	}
	KUNIT_EXPECT_EQ(test, gunyah_rm_rx_dropped(fake->rm), 64);

	/* A reply with too many fragments never reaches a caller either */
	fake_hdr(pkt, FAKE_REPLY, 63, 0, FAKE_MSG_ID);
	gunyah_rm_rx(fake->rm, pkt, FAKE_PKT);
	KUNIT_EXPECT_EQ(test, gunyah_rm_rx_dropped(fake->rm), 65);

	expect_only_notification(test, rec, 0x42);
	notif_rec_unregister(test, rec);
}

/* ---------------------------------------------------------------------- */
/* One call in flight, unknown replies                                   */

struct rm_caller {
	struct gunyah_rm *rm;
	u32 msg_id;
	u8 req;
	int ret;
	void *resp;
	size_t resp_size;
	struct completion done;
};

static int rm_caller_fn(void *data)
{
	struct rm_caller *c = data;

	c->ret = gunyah_rm_call(c->rm, c->msg_id, &c->req, 1, &c->resp,
				&c->resp_size);
	complete(&c->done);
	return 0;
}

static void rm_caller_start(struct kunit *test, struct rm_caller *c,
			    u32 msg_id, u8 req)
{
	struct fake_rm *fake = test->priv;
	struct task_struct *task;

	c->rm = fake->rm;
	c->msg_id = msg_id;
	c->req = req;
	init_completion(&c->done);
	task = kthread_run(rm_caller_fn, c, "rm-test-caller");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
}

/*
 * Wait for a caller; on timeout fail its call through the teardown so that
 * the thread is gone before the test's memory is.
 */
static bool rm_caller_wait(struct kunit *test, struct rm_caller *c)
{
	struct fake_rm *fake = test->priv;

	if (wait_for_completion_timeout(&c->done, FAKE_TIMEOUT))
		return true;

	KUNIT_FAIL(test, "call %#x did not complete", c->msg_id);
	fake_destroy(fake);
	wait_for_completion(&c->done);
	return false;
}

/* The fake's request with request byte @req */
static const struct fake_msg *fake_find_req(struct fake_rm *fake, u8 req)
{
	unsigned int i;

	guard(mutex)(&fake->lock);
	for (i = 0; i < min_t(unsigned int, fake->n_msgs, FAKE_MAX_MSGS); i++)
		if (fake->msgs[i].size == 1 && fake->msgs[i].data[0] == req)
			return &fake->msgs[i];

	return NULL;
}

/*
 * One request in flight: the RM keeps a single pending reply per client
 * and drops it when the next request's reply cannot be sent either, so B
 * goes out only once A has its reply.
 */
static void rm_one_call_in_flight(struct kunit *test)
{
	struct fake_rm *fake = test->priv;
	const struct fake_msg *ma, *mb;
	struct rm_caller *a, *b;
	static const u8 data_a[] = { 0xaa, 0x01 };
	static const u8 data_b[] = { 0xbb, 0x02, 0x03 };

	fake->respond = NULL;
	a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);

	rm_caller_start(test, a, FAKE_MSG_ID, 'A');
	KUNIT_ASSERT_TRUE(test, fake_wait_msgs(fake, 1));
	rm_caller_start(test, b, FAKE_MSG_ID, 'B');

	/* B waits for A's reply before it is sent */
	KUNIT_EXPECT_FALSE(test, fake_wait_msgs_for(fake, 2, msecs_to_jiffies(300)));
	KUNIT_EXPECT_EQ(test, fake_n_msgs(fake), 1);
	ma = fake_find_req(fake, 'A');
	KUNIT_ASSERT_NOT_NULL(test, ma);

	fake_reply(fake, ma->seq, FAKE_MSG_ID, 0, data_a, sizeof(data_a));
	KUNIT_ASSERT_TRUE(test, rm_caller_wait(test, a));
	KUNIT_ASSERT_TRUE(test, fake_wait_msgs(fake, 2));
	KUNIT_EXPECT_FALSE(test, completion_done(&b->done));
	mb = fake_find_req(fake, 'B');
	KUNIT_ASSERT_NOT_NULL(test, mb);
	/* Only the sequence number tells a late reply to A from B's */
	KUNIT_EXPECT_NE(test, ma->seq, mb->seq);
	fake_reply(fake, mb->seq, FAKE_MSG_ID, 0, data_b, sizeof(data_b));
	KUNIT_ASSERT_TRUE(test, rm_caller_wait(test, b));

	KUNIT_EXPECT_EQ(test, a->ret, 0);
	KUNIT_EXPECT_EQ(test, a->resp_size, sizeof(data_a));
	if (a->resp_size == sizeof(data_a))
		KUNIT_EXPECT_MEMEQ(test, a->resp, data_a, sizeof(data_a));
	KUNIT_EXPECT_EQ(test, b->ret, 0);
	KUNIT_EXPECT_EQ(test, b->resp_size, sizeof(data_b));
	if (b->resp_size == sizeof(data_b))
		KUNIT_EXPECT_MEMEQ(test, b->resp, data_b, sizeof(data_b));
	kfree(a->resp);
	kfree(b->resp);
	KUNIT_EXPECT_EQ(test, gunyah_rm_rx_dropped(fake->rm), 0);
}

static void rm_reply_unknown(struct kunit *test)
{
	struct fake_rm *fake = test->priv;
	const struct fake_msg *m;
	struct rm_caller *a;
	u8 err[4] = {};

	fake->respond = NULL;
	a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);

	rm_caller_start(test, a, FAKE_MSG_ID, 'A');
	KUNIT_ASSERT_TRUE(test, fake_wait_msgs(fake, 1));
	m = fake_find_req(fake, 'A');
	KUNIT_ASSERT_NOT_NULL(test, m);

	/* Another sequence number; the right one with another message ID */
	fake_inject(fake, FAKE_REPLY, m->seq + 1, FAKE_MSG_ID, err, sizeof(err));
	fake_inject(fake, FAKE_REPLY, m->seq, FAKE_MSG_ID + 1, err, sizeof(err));
	KUNIT_EXPECT_EQ(test, gunyah_rm_rx_dropped(fake->rm), 2);
	KUNIT_EXPECT_FALSE(test, completion_done(&a->done));

	/* A reply without its error word fails the call */
	fake_inject(fake, FAKE_REPLY, m->seq, FAKE_MSG_ID, err, 3);
	KUNIT_ASSERT_TRUE(test, rm_caller_wait(test, a));
	KUNIT_EXPECT_EQ(test, a->ret, -EBADMSG);
	KUNIT_EXPECT_EQ(test, gunyah_rm_rx_dropped(fake->rm), 3);

	/* The call is gone: the same reply again is unknown */
	fake_inject(fake, FAKE_REPLY, m->seq, FAKE_MSG_ID, err, sizeof(err));
	KUNIT_EXPECT_EQ(test, gunyah_rm_rx_dropped(fake->rm), 4);
}

/* ---------------------------------------------------------------------- */
/* Notifications                                                          */

static int rm_test_nb_status(struct notifier_block *nb, unsigned long action,
			     void *data)
{
	return NOTIFY_DONE;
}

static void rm_notification_dispatch(struct kunit *test)
{
	/* VMID 0x45, RUNNING, OS RUN, app status 0x1234 */
	static const u8 status[] = {
		0x45, 0x00, 0x00, 0x00, 0x03, 0x04, 0x34, 0x12,
	};
	struct fake_rm *fake = test->priv;
	struct notif_rec *rec = notif_rec_register(test);
	struct notifier_block other = { .notifier_call = rm_test_nb_status };
	const struct gunyah_rm_vm_status_payload *payload;
	struct gunyah_rm_notification n;

	KUNIT_ASSERT_EQ(test, gunyah_rm_notifier_register(fake->rm, &other), 0);
	/* Keep the RM after the teardown below */
	gunyah_rm_ref(fake->rm);

	fake_inject(fake, FAKE_NOTIFICATION, 0x321, 0x56100008, status,
		    sizeof(status));
	KUNIT_ASSERT_TRUE(test, notif_rec_wait(rec));
	KUNIT_EXPECT_EQ(test, rec->count, 1);
	KUNIT_EXPECT_EQ(test, rec->actions[0], GUNYAH_RM_NOTIFICATION_VM_STATUS);
	KUNIT_EXPECT_EQ(test, rec->last_size, sizeof(status));
	KUNIT_EXPECT_MEMEQ(test, rec->last, status, sizeof(status));

	n.payload = rec->last;
	n.size = rec->last_size;
	payload = gunyah_rm_notif_vm_status(&n);
	KUNIT_ASSERT_FALSE(test, IS_ERR(payload));
	KUNIT_EXPECT_EQ(test, le16_to_cpu(payload->vmid), 0x45);
	KUNIT_EXPECT_EQ(test, payload->vm_status, GUNYAH_RM_VM_STATUS_RUNNING);
	KUNIT_EXPECT_EQ(test, payload->os_status, GUNYAH_RM_OS_STATUS_RUN);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(payload->app_status), 0x1234);

	/* After unregistering, nothing more */
	KUNIT_EXPECT_EQ(test, gunyah_rm_notifier_unregister(fake->rm, &other), 0);
	notif_rec_unregister(test, rec);
	fake_inject(fake, FAKE_NOTIFICATION, 0x322, 0x56100008, status,
		    sizeof(status));
	fake_destroy(fake);
	KUNIT_EXPECT_EQ(test, rec->count, 1);
	KUNIT_EXPECT_EQ(test, gunyah_rm_notifier_unregister(fake->rm, &other),
			-ENOENT);
	gunyah_rm_put(fake->rm);
}

static void rm_notification_payloads(struct kunit *test)
{
	/* VMID 0x81, PSCI_SYSTEM_RESET2, 16 reason bytes */
	static const u8 exited[] = {
		0x81, 0x00, 0x03, 0x00, 0x10, 0x00, 0x00, 0x00,
		0x00, 0x80, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00,
		0x78, 0x56, 0x34, 0x12, 0xf0, 0xde, 0xbc, 0x9a,
	};
	static const u8 status[8] = { 0x45 };
	const struct gunyah_rm_vm_exited_payload *e;
	struct gunyah_rm_notification n;
	u8 bad[12];

	n.payload = status;
	n.size = sizeof(status);
	KUNIT_EXPECT_PTR_EQ(test, (const void *)gunyah_rm_notif_vm_status(&n),
			    (const void *)status);
	n.size = 7;
	KUNIT_EXPECT_EQ(test, PTR_ERR(gunyah_rm_notif_vm_status(&n)), -EBADMSG);
	n.size = 0;
	KUNIT_EXPECT_EQ(test, PTR_ERR(gunyah_rm_notif_vm_status(&n)), -EBADMSG);

	n.payload = exited;
	n.size = sizeof(exited);
	e = gunyah_rm_notif_vm_exited(&n);
	KUNIT_ASSERT_FALSE(test, IS_ERR(e));
	KUNIT_EXPECT_EQ(test, le16_to_cpu(e->vmid), 0x81);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(e->exit_type),
			GUNYAH_RM_VM_EXIT_TYPE_PSCI_SYSTEM_RESET2);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(e->exit_reason_size), 16);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(e->exit_reason + 4), 1);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(e->exit_reason + 8), 0x12345678);

	/* A reason past the end is refused; none at all is fine */
	n.size = 8;
	KUNIT_EXPECT_EQ(test, PTR_ERR(gunyah_rm_notif_vm_exited(&n)), -EBADMSG);
	memcpy(bad, exited, sizeof(bad));
	bad[4] = 0;
	n.payload = bad;
	KUNIT_EXPECT_FALSE(test, IS_ERR(gunyah_rm_notif_vm_exited(&n)));
	bad[4] = 4;
	n.size = sizeof(bad);
	KUNIT_EXPECT_FALSE(test, IS_ERR(gunyah_rm_notif_vm_exited(&n)));
	bad[4] = 5;
	KUNIT_EXPECT_EQ(test, PTR_ERR(gunyah_rm_notif_vm_exited(&n)), -EBADMSG);
	put_unaligned_le32(0xfffffffc, bad + 4);
	KUNIT_EXPECT_EQ(test, PTR_ERR(gunyah_rm_notif_vm_exited(&n)), -EBADMSG);
	n.size = 7;
	KUNIT_EXPECT_EQ(test, PTR_ERR(gunyah_rm_notif_vm_exited(&n)), -EBADMSG);
}

/* ---------------------------------------------------------------------- */
/* Error remapping                                                        */

struct rm_errno_case {
	u32 rm_error;
	int err;
};

static const struct rm_errno_case rm_errnos[] = {
	{ 0x0, 0 },		{ 0xffffffff, -EOPNOTSUPP },
	{ 0x1, -ENOMEM },	{ 0x2, -ENODEV },
	{ 0x3, -EPERM },	{ 0x4, -EINVAL },
	{ 0x5, -EBUSY },	{ 0x6, -EINVAL },
	{ 0x7, -EINVAL },	{ 0x8, -EINVAL },
	{ 0x9, -EINVAL },	{ 0xa, -EINVAL },
	{ 0xb, -EINVAL },	{ 0xc, -EINVAL },
	{ 0xd, -EINVAL },	{ 0xe, -EINVAL },
	{ 0xf, -EINVAL },	{ 0x10, -EINVAL },
	{ 0x11, -EINVAL },	{ 0x12, -EBADMSG },
	{ 0x13, -EBADMSG },	{ 0x14, -EBADMSG },
	{ 0x15, -EBADMSG },	{ 0xfffffffe, -EBADMSG },
	{ 0x80000000, -EBADMSG },
};

static void rm_error_remap(struct kunit *test)
{
	struct fake_rm *fake = test->priv;
	static const u8 data[] = { 1, 2, 3, 4 };
	unsigned int i;
	size_t size;
	void *resp;
	int ret;

	unsigned long refusals;

	fake->reply_data = data;
	fake->reply_size = sizeof(data);

	for (i = 0; i < ARRAY_SIZE(rm_errnos); i++) {
		const struct rm_errno_case *c = &rm_errnos[i];

		KUNIT_EXPECT_EQ_MSG(test, gunyah_rm_error_remap(c->rm_error),
				    c->err, "RM error %#x", c->rm_error);

		/* And through a call: data comes back only on success */
		fake->reply_err = c->rm_error;
		resp = ERR_PTR(-EFAULT);
		refusals = gunyah_rm_refusals(fake->rm);
		ret = gunyah_rm_call(fake->rm, FAKE_MSG_ID, NULL, 0, &resp, &size);
		KUNIT_EXPECT_EQ_MSG(test, ret, c->err, "RM error %#x", c->rm_error);
		/* Every refusal is logged, whatever its errno */
		KUNIT_EXPECT_EQ_MSG(test, gunyah_rm_refusals(fake->rm) - refusals,
				    c->rm_error ? 1 : 0, "RM error %#x", c->rm_error);
		if (ret) {
			KUNIT_EXPECT_NULL(test, resp);
			KUNIT_EXPECT_EQ(test, size, 0);
		} else {
			KUNIT_EXPECT_EQ(test, size, sizeof(data));
			KUNIT_EXPECT_MEMEQ(test, resp, data, sizeof(data));
		}
		if (!IS_ERR(resp))
			kfree(resp);
	}
}

/* The names in the line that logs a refusal */
static void rm_names(struct kunit *test)
{
	static const struct {
		u32 rm_error;
		const char *name;
	} errors[] = {
		{ 0x0, "OK" }, { 0xffffffff, "UNIMPLEMENTED" }, { 0x1, "NOMEM" },
		{ 0x2, "NORESOURCE" }, { 0x3, "DENIED" }, { 0x4, "MSG_INVALID" },
		{ 0x5, "BUSY" }, { 0x6, "ARGUMENT_INVALID" }, { 0x7, "HANDLE_INVALID" },
		{ 0x8, "VALIDATE_FAILED" }, { 0x9, "MAP_FAILED" }, { 0xa, "MEM_INVALID" },
		{ 0xb, "MEM_INUSE" }, { 0xc, "MEM_RELEASED" }, { 0xd, "VMID_INVALID" },
		{ 0xe, "LOOKUP_FAILED" }, { 0xf, "IRQ_INVALID" }, { 0x10, "IRQ_INUSE" },
		{ 0x11, "IRQ_RELEASED" }, { 0x12, "IN_USE" }, { 0x13, "IRQ_NOT_MAPPED" },
		{ 0x14, "VM_STATE" },
	};
	static const struct {
		u32 msg_id;
		const char *name;
	} msgs[] = {
		{ 0x56000001, "VM_ALLOCATE" }, { 0x56000002, "VM_DEALLOCATE" },
		{ 0x56000004, "VM_START" }, { 0x56000005, "VM_STOP" },
		{ 0x56000006, "VM_RESET" }, { 0x56000009, "VM_CONFIG_IMAGE" },
		{ 0x5600000b, "VM_INIT" }, { 0x56000017, "VM_GET_STATE" },
		{ 0x56000020, "VM_GET_HYP_RESOURCES" }, { 0x56000024, "VM_GET_VMID" },
		{ 0x56000031, "VM_SET_BOOT_CONTEXT" }, { 0x56000032, "VM_SET_FIRMWARE_MEM" },
		{ 0x560000a0, "VM_HOST_GET_TYPE" }, { 0x51000012, "MEM_LEND" },
		{ 0x51000013, "MEM_SHARE" }, { 0x51000015, "MEM_RECLAIM" },
		{ 0x51000018, "MEM_APPEND" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(errors); i++)
		KUNIT_EXPECT_STREQ_MSG(test, gunyah_rm_error_name(errors[i].rm_error),
				       errors[i].name, "RM error %#x", errors[i].rm_error);
	KUNIT_EXPECT_NULL(test, gunyah_rm_error_name(0x15));
	KUNIT_EXPECT_NULL(test, gunyah_rm_error_name(0xfffffffe));

	for (i = 0; i < ARRAY_SIZE(msgs); i++)
		KUNIT_EXPECT_STREQ_MSG(test, gunyah_rm_msg_name(msgs[i].msg_id),
				       msgs[i].name, "message %#x", msgs[i].msg_id);
	KUNIT_EXPECT_NULL(test, gunyah_rm_msg_name(0));
	KUNIT_EXPECT_NULL(test, gunyah_rm_msg_name(0x56000003));
	KUNIT_EXPECT_NULL(test, gunyah_rm_msg_name(0x56100001));
}

/* ---------------------------------------------------------------------- */
/* Typed calls                                                            */

static void rm_get_hyp_resources(struct kunit *test)
{
	static const u8 req[] = { 0x81, 0x00, 0x00, 0x00 };
	struct fake_rm *fake = test->priv;
	struct gunyah_rm_hyp_resources *res = NULL;
	u8 reply[4 + 2 * 44] = {};
	const struct gunyah_rm_hyp_resource *e;
	u8 *entry;

	/* A vCPU and a doorbell */
	put_unaligned_le32(2, reply);
	entry = reply + 4;
	entry[0] = 4;
	put_unaligned_le16(0x81, entry + 2);
	put_unaligned_le32(0x1000, entry + 4);
	put_unaligned_le32(1, entry + 8);
	put_unaligned_le32(0x89abcdef, entry + 12);
	put_unaligned_le32(0x01234567, entry + 16);
	put_unaligned_le32(0x2000, entry + 20);
	put_unaligned_le32(960, entry + 24);
	entry += 44;
	entry[0] = 0;
	put_unaligned_le32(7, entry + 8);
	put_unaligned_le64(0x3000000000ULL, entry + 28);
	put_unaligned_le64(0x1000, entry + 36);

	fake->reply_data = reply;
	fake->reply_size = sizeof(reply);
	KUNIT_ASSERT_EQ(test, gunyah_rm_get_hyp_resources(fake->rm, 0x81, &res), 0);
	KUNIT_ASSERT_NOT_NULL(test, res);
	KUNIT_EXPECT_EQ(test, fake->msgs[0].msg_id, 0x56000020);
	KUNIT_EXPECT_EQ(test, fake->msgs[0].size, sizeof(req));
	KUNIT_EXPECT_MEMEQ(test, fake->msgs[0].data, req, sizeof(req));

	KUNIT_EXPECT_EQ(test, le32_to_cpu(res->n_entries), 2);
	e = &res->entries[0];
	KUNIT_EXPECT_EQ(test, e->type, GUNYAH_RESOURCE_TYPE_VCPU);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(e->partner_vmid), 0x81);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(e->resource_handle), 0x1000);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(e->resource_label), 1);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(e->cap_id), 0x0123456789abcdefULL);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(e->virq_handle), 0x2000);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(e->virq), 960);
	e = &res->entries[1];
	KUNIT_EXPECT_EQ(test, e->type, GUNYAH_RESOURCE_TYPE_BELL_TX);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(e->resource_label), 7);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(e->base), 0x3000000000ULL);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(e->size), 0x1000);
	kfree(res);

	/* n_entries must match the reply's size exactly */
	res = NULL;
	put_unaligned_le32(3, reply);
	KUNIT_EXPECT_EQ(test, gunyah_rm_get_hyp_resources(fake->rm, 0x81, &res),
			-EBADMSG);
	put_unaligned_le32(1, reply);
	KUNIT_EXPECT_EQ(test, gunyah_rm_get_hyp_resources(fake->rm, 0x81, &res),
			-EBADMSG);
	put_unaligned_le32(0xffffffff, reply);
	KUNIT_EXPECT_EQ(test, gunyah_rm_get_hyp_resources(fake->rm, 0x81, &res),
			-EBADMSG);
	put_unaligned_le32(0x05d1745e, reply);	/* 44 * n wraps to 8 in 32 bits */
	KUNIT_EXPECT_EQ(test, gunyah_rm_get_hyp_resources(fake->rm, 0x81, &res),
			-EBADMSG);
	put_unaligned_le32(2, reply);
	fake->reply_size = sizeof(reply) - 1;
	KUNIT_EXPECT_EQ(test, gunyah_rm_get_hyp_resources(fake->rm, 0x81, &res),
			-EBADMSG);
	fake->reply_size = 3;
	KUNIT_EXPECT_EQ(test, gunyah_rm_get_hyp_resources(fake->rm, 0x81, &res),
			-EBADMSG);
	fake->reply_size = 0;
	KUNIT_EXPECT_EQ(test, gunyah_rm_get_hyp_resources(fake->rm, 0x81, &res),
			-EBADMSG);
	KUNIT_EXPECT_NULL(test, res);

	/* No resources at all */
	put_unaligned_le32(0, reply);
	fake->reply_size = 4;
	KUNIT_EXPECT_EQ(test, gunyah_rm_get_hyp_resources(fake->rm, 0x81, &res), 0);
	KUNIT_ASSERT_NOT_NULL(test, res);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(res->n_entries), 0);
	kfree(res);
}

static void rm_get_vmid_cached(struct kunit *test)
{
	struct fake_rm *fake = test->priv;
	u8 reply[4] = { 0x03, 0x00, 0x01, 0x00 };
	u16 vmid = 0;

	fake->reply_data = reply;

	/* Not 16 bits; then a reply of the wrong size */
	fake->reply_size = sizeof(reply);
	KUNIT_EXPECT_EQ(test, gunyah_rm_get_vmid(fake->rm, &vmid), -EBADMSG);
	fake->reply_size = 2;
	KUNIT_EXPECT_EQ(test, gunyah_rm_get_vmid(fake->rm, &vmid), -EBADMSG);
	fake->reply_size = 4;
	fake->reply_err = GUNYAH_RM_ERROR_DENIED;
	KUNIT_EXPECT_EQ(test, gunyah_rm_get_vmid(fake->rm, &vmid), -EPERM);
	fake->reply_err = 0;
	KUNIT_EXPECT_EQ(test, fake->n_msgs, 3);

	reply[2] = 0;
	KUNIT_EXPECT_EQ(test, gunyah_rm_get_vmid(fake->rm, &vmid), 0);
	KUNIT_EXPECT_EQ(test, vmid, 3);
	KUNIT_EXPECT_EQ(test, fake->n_msgs, 4);
	KUNIT_EXPECT_EQ(test, fake->msgs[3].msg_id, 0x56000024);
	KUNIT_EXPECT_EQ(test, fake->msgs[3].size, 0);

	/* Cached: no second request */
	vmid = 0;
	KUNIT_EXPECT_EQ(test, gunyah_rm_get_vmid(fake->rm, &vmid), 0);
	KUNIT_EXPECT_EQ(test, vmid, 3);
	KUNIT_EXPECT_EQ(test, fake->n_msgs, 4);
}

static void rm_alloc_vmid(struct kunit *test)
{
	static const u8 dyn_req[] = { 0x00, 0x00, 0x00, 0x00 };
	static const u8 static_req[] = { 0x05, 0x00, 0x00, 0x00 };
	struct fake_rm *fake = test->priv;
	u8 reply[4] = { 0x80, 0x00, 0x00, 0x00 };

	fake->reply_data = reply;
	fake->reply_size = sizeof(reply);
	KUNIT_EXPECT_EQ(test, gunyah_rm_alloc_vmid(fake->rm, 0), 0x80);
	KUNIT_EXPECT_EQ(test, fake->msgs[0].msg_id, 0x56000001);
	KUNIT_EXPECT_MEMEQ(test, fake->msgs[0].data, dyn_req, sizeof(dyn_req));

	put_unaligned_le32(0, reply);
	KUNIT_EXPECT_EQ(test, gunyah_rm_alloc_vmid(fake->rm, 0), -EBADMSG);
	put_unaligned_le32(0x10000, reply);
	KUNIT_EXPECT_EQ(test, gunyah_rm_alloc_vmid(fake->rm, 0), -EBADMSG);

	/* A static VMID: empty reply */
	fake->reply_size = 0;
	KUNIT_EXPECT_EQ(test, gunyah_rm_alloc_vmid(fake->rm, 5), 5);
	KUNIT_EXPECT_MEMEQ(test, fake->msgs[3].data, static_req,
			   sizeof(static_req));
	KUNIT_EXPECT_EQ(test, gunyah_rm_alloc_vmid(fake->rm, 0), -EBADMSG);
}

static void rm_request_layouts(struct kunit *test)
{
	static const u8 stop[] = {
		0x81, 0x00, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00,
	};
	static const u8 config[] = {
		0x81, 0x00, 0x02, 0x00, 0x44, 0x33, 0x22, 0x11,
		0x01, 0, 0, 0, 0, 0, 0, 0,
		0x02, 0, 0, 0, 0, 0, 0, 0,
		0x00, 0x10, 0, 0, 0, 0, 0, 0,
		0x00, 0x20, 0, 0, 0, 0, 0, 0x80,
	};
	static const u8 boot_ctx[] = {
		0x81, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,
	};
	static const u8 fw[] = {
		0x81, 0x00, 0x00, 0x00, 0x0d, 0xf0, 0xad, 0x0b,
		0x00, 0x00, 0x01, 0, 0, 0, 0, 0,
		0x00, 0x00, 0x10, 0, 0, 0, 0, 0,
	};
	static const u8 vmid_req[] = { 0x81, 0x00, 0x00, 0x00 };
	static const u8 reclaim[] = { 0x78, 0x56, 0x34, 0x12, 0, 0, 0, 0 };
	static const u8 state[] = { 0x03, 0x04, 0x34, 0x12 };
	/* The fifth byte makes a reply one byte too long */
	static const u8 host_type[] = { 0x64, 0x01, 0x00, 0x01, 0x00 };
	static const struct {
		u32 msg_id;
	} vmid_calls[] = {
		{ 0x56000002 }, { 0x56000004 }, { 0x56000006 }, { 0x5600000b },
	};
	struct gunyah_rm_mem_parcel parcel = { .mem_handle = 0x12345678 };
	struct fake_rm *fake = test->priv;
	struct gunyah_rm_vm_state st;
	unsigned int i;
	u32 type;

	KUNIT_EXPECT_EQ(test, gunyah_rm_vm_stop(fake->rm, 0x81,
						GUNYAH_RM_VM_STOP_FLAG_FORCE_STOP,
						GUNYAH_RM_VM_STOP_REASON_FORCE_STOP), 0);
	KUNIT_EXPECT_EQ(test, gunyah_rm_vm_configure(fake->rm, 0x81,
						     GUNYAH_RM_VM_AUTH_QCOM_ANDROID_PVM,
						     0x11223344, 1, 2, 0x1000,
						     0x8000000000002000ULL), 0);
	KUNIT_EXPECT_EQ(test, gunyah_rm_vm_set_boot_context(fake->rm, 0x81,
							    GUNYAH_RM_BOOT_CONTEXT_REG_SET_PC,
							    0, 0x0102030405060708ULL), 0);
	KUNIT_EXPECT_EQ(test, gunyah_rm_vm_set_firmware_mem(fake->rm, 0x81,
							    0x0badf00d, 0x10000,
							    0x100000), 0);
	KUNIT_EXPECT_EQ(test, gunyah_rm_mem_reclaim(fake->rm, &parcel), 0);
	KUNIT_EXPECT_EQ(test, parcel.mem_handle, GUNYAH_MEM_HANDLE_INVAL);
	KUNIT_EXPECT_EQ(test, gunyah_rm_dealloc_vmid(fake->rm, 0x81), 0);
	KUNIT_EXPECT_EQ(test, gunyah_rm_vm_start(fake->rm, 0x81), 0);
	KUNIT_EXPECT_EQ(test, gunyah_rm_vm_reset(fake->rm, 0x81), 0);
	KUNIT_EXPECT_EQ(test, gunyah_rm_vm_init(fake->rm, 0x81), 0);

	KUNIT_ASSERT_EQ(test, fake->n_msgs, 9);
	KUNIT_EXPECT_EQ(test, fake->msgs[0].msg_id, 0x56000005);
	KUNIT_EXPECT_EQ(test, fake->msgs[0].size, sizeof(stop));
	KUNIT_EXPECT_MEMEQ(test, fake->msgs[0].data, stop, sizeof(stop));
	KUNIT_EXPECT_EQ(test, fake->msgs[1].msg_id, 0x56000009);
	KUNIT_EXPECT_EQ(test, fake->msgs[1].size, sizeof(config));
	KUNIT_EXPECT_MEMEQ(test, fake->msgs[1].data, config, sizeof(config));
	KUNIT_EXPECT_EQ(test, fake->msgs[2].msg_id, 0x56000031);
	KUNIT_EXPECT_EQ(test, fake->msgs[2].size, sizeof(boot_ctx));
	KUNIT_EXPECT_MEMEQ(test, fake->msgs[2].data, boot_ctx, sizeof(boot_ctx));
	KUNIT_EXPECT_EQ(test, fake->msgs[3].msg_id, 0x56000032);
	KUNIT_EXPECT_EQ(test, fake->msgs[3].size, sizeof(fw));
	KUNIT_EXPECT_MEMEQ(test, fake->msgs[3].data, fw, sizeof(fw));
	KUNIT_EXPECT_EQ(test, fake->msgs[4].msg_id, 0x51000015);
	KUNIT_EXPECT_EQ(test, fake->msgs[4].size, sizeof(reclaim));
	KUNIT_EXPECT_MEMEQ(test, fake->msgs[4].data, reclaim, sizeof(reclaim));
	for (i = 0; i < ARRAY_SIZE(vmid_calls); i++) {
		KUNIT_EXPECT_EQ(test, fake->msgs[5 + i].msg_id, vmid_calls[i].msg_id);
		KUNIT_EXPECT_EQ(test, fake->msgs[5 + i].size, sizeof(vmid_req));
		KUNIT_EXPECT_MEMEQ(test, fake->msgs[5 + i].data, vmid_req,
				   sizeof(vmid_req));
	}

	/* Standard replies carry no data */
	fake->reply_data = state;
	fake->reply_size = sizeof(state);
	KUNIT_EXPECT_EQ(test, gunyah_rm_vm_start(fake->rm, 0x81), -EBADMSG);

	KUNIT_EXPECT_EQ(test, gunyah_rm_vm_get_state(fake->rm, 0x81, &st), 0);
	KUNIT_EXPECT_EQ(test, fake->msgs[10].msg_id, 0x56000017);
	KUNIT_EXPECT_EQ(test, st.vm_status, GUNYAH_RM_VM_STATUS_RUNNING);
	KUNIT_EXPECT_EQ(test, st.os_status, GUNYAH_RM_OS_STATUS_RUN);
	KUNIT_EXPECT_EQ(test, st.app_status, 0x1234);

	fake->reply_data = host_type;
	fake->reply_size = 4;
	KUNIT_EXPECT_EQ(test, gunyah_rm_host_get_type(fake->rm, &type), 0);
	KUNIT_EXPECT_EQ(test, fake->msgs[11].msg_id, 0x560000a0);
	KUNIT_EXPECT_EQ(test, fake->msgs[11].size, 0);
	KUNIT_EXPECT_EQ(test, type, 0x01000164);
	fake->reply_size = 5;
	KUNIT_EXPECT_EQ(test, gunyah_rm_host_get_type(fake->rm, &type), -EBADMSG);
}

/* ---------------------------------------------------------------------- */
/* Memory parcels                                                         */

#define SHARE_HANDLE	0xa5a50001

struct share_ctx {
	u32 fail_append_at;	/* 1-based MEM_APPEND to fail, 0 for none */
	unsigned int appends;
};

static void fake_respond_share(struct fake_rm *fake, const struct fake_msg *msg)
{
	struct share_ctx *ctx = fake->ctx;
	u8 handle[4];

	switch (msg->msg_id) {
	case GUNYAH_RM_RPC_MEM_SHARE:
	case GUNYAH_RM_RPC_MEM_LEND:
		put_unaligned_le32(SHARE_HANDLE, handle);
		fake_reply(fake, msg->seq, msg->msg_id, 0, handle, sizeof(handle));
		break;
	case GUNYAH_RM_RPC_MEM_APPEND:
		ctx->appends++;
		fake_reply(fake, msg->seq, msg->msg_id,
			   ctx->appends == ctx->fail_append_at ?
			   GUNYAH_RM_ERROR_MEM_INVALID : 0, NULL, 0);
		break;
	default:
		fake_reply(fake, msg->seq, msg->msg_id, 0, NULL, 0);
		break;
	}
}

static struct gunyah_rm_mem_parcel *make_parcel(struct kunit *test,
						size_t n_mem)
{
	struct gunyah_rm_mem_parcel *p;
	size_t i;

	p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	p->mem_type = GUNYAH_RM_MEM_TYPE_NORMAL;
	p->label = 0x0c0ffee0;
	p->n_acl_entries = 2;
	p->acl_entries = kunit_kcalloc(test, 2, sizeof(*p->acl_entries),
				       GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p->acl_entries);
	p->acl_entries[0].vmid = cpu_to_le16(0x81);
	p->acl_entries[0].perms = GUNYAH_RM_ACL_R | GUNYAH_RM_ACL_W |
				  GUNYAH_RM_ACL_X;
	p->acl_entries[1].vmid = cpu_to_le16(3);
	p->acl_entries[1].perms = GUNYAH_RM_ACL_R | GUNYAH_RM_ACL_W;
	p->n_mem_entries = n_mem;
	p->mem_entries = kunit_kcalloc(test, n_mem, sizeof(*p->mem_entries),
				       GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p->mem_entries);
	for (i = 0; i < n_mem; i++) {
		p->mem_entries[i].phys_addr = cpu_to_le64(0x40000000ULL + i * 0x2000);
		p->mem_entries[i].size = cpu_to_le64(0x1000);
	}

	return p;
}

/* Check a create message: header, the ACL, @n SGL entries, no attributes */
static void expect_share_msg(struct kunit *test, const struct fake_msg *m,
			     u32 msg_id, size_t n, u8 flags)
{
	size_t size = 8 + 4 + 2 * 4 + 4 + n * 16 + 4;
	u8 *want = kunit_kzalloc(test, size, GFP_KERNEL);
	size_t i;
	u8 *e;

	KUNIT_ASSERT_NOT_NULL(test, want);
	want[0] = 0;				/* mem_type NORMAL */
	want[2] = flags;
	put_unaligned_le32(0x0c0ffee0, want + 4);
	put_unaligned_le16(2, want + 8);	/* ACL */
	want[12] = 0x81;
	want[14] = 7;
	want[16] = 3;
	want[18] = 6;
	put_unaligned_le16(n, want + 20);	/* SGL */
	e = want + 24;
	for (i = 0; i < n; i++, e += 16) {
		put_unaligned_le64(0x40000000ULL + i * 0x2000, e);
		put_unaligned_le64(0x1000, e + 8);
	}
	/* attribute list: 4 zero bytes */

	KUNIT_EXPECT_EQ(test, m->msg_id, msg_id);
	KUNIT_ASSERT_EQ(test, m->size, size);
	KUNIT_EXPECT_MEMEQ(test, m->data, want, size);
}

static void expect_append_msg(struct kunit *test, const struct fake_msg *m,
			      size_t first, size_t n, u8 flags)
{
	size_t size = 8 + 4 + n * 16;
	u8 *want = kunit_kzalloc(test, size, GFP_KERNEL);
	size_t i;
	u8 *e;

	KUNIT_ASSERT_NOT_NULL(test, want);
	put_unaligned_le32(SHARE_HANDLE, want);
	want[4] = flags;
	put_unaligned_le16(n, want + 8);
	e = want + 12;
	for (i = first; i < first + n; i++, e += 16) {
		put_unaligned_le64(0x40000000ULL + i * 0x2000, e);
		put_unaligned_le64(0x1000, e + 8);
	}

	KUNIT_EXPECT_EQ(test, m->msg_id, GUNYAH_RM_RPC_MEM_APPEND);
	KUNIT_ASSERT_EQ(test, m->size, size);
	KUNIT_EXPECT_MEMEQ(test, m->data, want, size);
}

static void rm_mem_share_split(struct kunit *test)
{
	struct fake_rm *fake = test->priv;
	struct gunyah_rm_mem_parcel *p;
	struct share_ctx ctx = {};

	fake->respond = fake_respond_share;
	fake->ctx = &ctx;

	/* 512 entries: one message, no APPEND flag */
	p = make_parcel(test, 512);
	KUNIT_ASSERT_EQ(test, gunyah_rm_mem_share(fake->rm, p), 0);
	KUNIT_EXPECT_EQ(test, p->mem_handle, SHARE_HANDLE);
	KUNIT_ASSERT_EQ(test, fake->n_msgs, 1);
	expect_share_msg(test, &fake->msgs[0], GUNYAH_RM_RPC_MEM_SHARE, 512, 0);

	/* 600: 512 with APPEND, then MEM_APPEND of 88 with END */
	p = make_parcel(test, 600);
	KUNIT_ASSERT_EQ(test, gunyah_rm_mem_share(fake->rm, p), 0);
	KUNIT_EXPECT_EQ(test, p->mem_handle, SHARE_HANDLE);
	KUNIT_ASSERT_EQ(test, fake->n_msgs, 3);
	expect_share_msg(test, &fake->msgs[1], GUNYAH_RM_RPC_MEM_SHARE, 512, 0x02);
	expect_append_msg(test, &fake->msgs[2], 512, 88, 0x01);

	/* 1100 lent: 512 + 512 (no END) + 76 (END) */
	p = make_parcel(test, 1100);
	KUNIT_ASSERT_EQ(test, gunyah_rm_mem_lend(fake->rm, p), 0);
	KUNIT_ASSERT_EQ(test, fake->n_msgs, 6);
	expect_share_msg(test, &fake->msgs[3], GUNYAH_RM_RPC_MEM_LEND, 512, 0x02);
	expect_append_msg(test, &fake->msgs[4], 512, 512, 0x00);
	expect_append_msg(test, &fake->msgs[5], 1024, 76, 0x01);
}

static void rm_mem_share_append_fails(struct kunit *test)
{
	static const u8 reclaim[] = { 0x01, 0x00, 0xa5, 0xa5, 0, 0, 0, 0 };
	struct fake_rm *fake = test->priv;
	struct gunyah_rm_mem_parcel *p;
	struct share_ctx ctx = { .fail_append_at = 2 };

	fake->respond = fake_respond_share;
	fake->ctx = &ctx;

	/* The second MEM_APPEND fails: the parcel is reclaimed */
	p = make_parcel(test, 1100);
	KUNIT_EXPECT_EQ(test, gunyah_rm_mem_share(fake->rm, p), -EINVAL);
	KUNIT_EXPECT_EQ(test, p->mem_handle, GUNYAH_MEM_HANDLE_INVAL);
	KUNIT_ASSERT_EQ(test, fake->n_msgs, 4);
	KUNIT_EXPECT_EQ(test, fake->msgs[3].msg_id, GUNYAH_RM_RPC_MEM_RECLAIM);
	KUNIT_EXPECT_EQ(test, fake->msgs[3].size, sizeof(reclaim));
	KUNIT_EXPECT_MEMEQ(test, fake->msgs[3].data, reclaim, sizeof(reclaim));

	/* Invalid parcels never reach the RM */
	p->n_acl_entries = 0;
	KUNIT_EXPECT_EQ(test, gunyah_rm_mem_share(fake->rm, p), -EINVAL);
	p->n_acl_entries = 513;
	KUNIT_EXPECT_EQ(test, gunyah_rm_mem_share(fake->rm, p), -EINVAL);
	p->n_acl_entries = 2;
	p->n_mem_entries = 0;
	KUNIT_EXPECT_EQ(test, gunyah_rm_mem_share(fake->rm, p), -EINVAL);
	p->n_mem_entries = 1;
	p->mem_type = 2;
	KUNIT_EXPECT_EQ(test, gunyah_rm_mem_share(fake->rm, p), -EINVAL);
	KUNIT_EXPECT_EQ(test, fake->n_msgs, 4);
}

/* ---------------------------------------------------------------------- */
/* Teardown                                                               */

static void rm_teardown_pending(struct kunit *test)
{
	struct fake_rm *fake = test->priv;
	struct notif_rec *rec = notif_rec_register(test);
	struct rm_caller *a;
	u8 mark;

	fake->respond = NULL;
	a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	/* Like any reference holder, keep the RM after the teardown */
	gunyah_rm_ref(fake->rm);

	/* A call waiting for its reply, and slow notifications queued */
	rm_caller_start(test, a, FAKE_MSG_ID, 'A');
	KUNIT_ASSERT_TRUE(test, fake_wait_msgs(fake, 1));
	rec->sleep_ms = 30;
	for (mark = 1; mark <= 4; mark++)
		fake_inject(fake, FAKE_NOTIFICATION, mark, 0x56100099, &mark, 1);

	/* Every queued notification runs before destroy returns. */
	fake_destroy(fake);
	KUNIT_EXPECT_EQ(test, rec->count, 4);
	KUNIT_EXPECT_EQ(test, rec->first[3], 4);

	KUNIT_ASSERT_TRUE(test, rm_caller_wait(test, a));
	KUNIT_EXPECT_EQ(test, a->ret, -ENODEV);

	/* The RM object stays valid for reference holders: calls fail */
	KUNIT_EXPECT_EQ(test, gunyah_rm_call(fake->rm, FAKE_MSG_ID, NULL, 0,
					     NULL, NULL), -ENODEV);
	notif_rec_unregister(test, rec);
	gunyah_rm_put(fake->rm);
}

static struct kunit_case gunyah_rsc_mgr_test_cases[] = {
	KUNIT_CASE(rm_hdr_encode_decode),
	KUNIT_CASE_PARAM(rm_tx_split, rm_tx_size_gen_params),
	KUNIT_CASE(rm_tx_too_big),
	KUNIT_CASE(rm_call_bad_args),
	KUNIT_CASE_PARAM(rm_rx_reply_reassembly, rm_rx_reply_size_gen_params),
	KUNIT_CASE_PARAM(rm_rx_notification_reassembly, rm_rx_size_gen_params),
	KUNIT_CASE(rm_rx_drop_bad_api),
	KUNIT_CASE(rm_rx_drop_short_long_request),
	KUNIT_CASE(rm_rx_drop_stray_continuation),
	KUNIT_CASE(rm_rx_drop_too_many_fragments),
	KUNIT_CASE(rm_one_call_in_flight),
	KUNIT_CASE(rm_reply_unknown),
	KUNIT_CASE(rm_notification_dispatch),
	KUNIT_CASE(rm_notification_payloads),
	KUNIT_CASE(rm_error_remap),
	KUNIT_CASE(rm_names),
	KUNIT_CASE(rm_get_hyp_resources),
	KUNIT_CASE(rm_get_vmid_cached),
	KUNIT_CASE(rm_alloc_vmid),
	KUNIT_CASE(rm_request_layouts),
	KUNIT_CASE(rm_mem_share_split),
	KUNIT_CASE(rm_mem_share_append_fails),
	KUNIT_CASE(rm_teardown_pending),
	{}
};

static struct kunit_suite gunyah_rsc_mgr_test_suite = {
	.name = "gunyah_rsc_mgr",
	.init = rm_test_init,
	.exit = rm_test_exit,
	.test_cases = gunyah_rsc_mgr_test_cases,
};

kunit_test_suite(gunyah_rsc_mgr_test_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of the Gunyah Resource Manager RPC core");
