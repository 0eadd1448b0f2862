// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzzing rm/rpc.c: the RM's reassembly of a client's packets into
 * requests. Every packet a VM sends on its RM queue reaches
 * rm_rpc_rx_packet() as it is: any length up to the queue's message size
 * (and more, here), any header.
 *
 * Input: operations. 0x00-0x7f: a packet of (op & 0x7f) * 2 bytes, or
 * with op 0x7f a u16 length, each packet copied into an exactly-sized
 * heap buffer. 0x80-0xff: a message of u16 length that the RM's own
 * encoder (rm_rpc_packet) splits, fed back.
 *
 * Invariants, against a model kept here: a message is exactly the
 * payloads of its first packet and continuations; the assembled length
 * never exceeds RM_RPC_MSG_MAX; each dropped packet is counted once;
 * whatever the encoder splits reassembles to the same bytes.
 */
#include <fuzz.h>
#include <rm/rpc.h>

static struct rm_rpc_rx rx;
static u8 model[RM_RPC_MSG_MAX + RM_RPC_PACKET_MAX];
static size_t model_len;

static u32 drops(void)
{
	u32 n = 0;
	unsigned int i;

	for (i = 0; i < RM_DROP_NR; i++)
		if (i != RM_DROP_RESTARTED)
			n += rx.drops[i];
	return n;
}

static enum rm_rpc_rx_status feed(const u8 *pkt, size_t len)
{
	struct rm_rpc_rx before = rx;
	bool first = len >= 2 && (pkt[1] & 3) == RM_RPC_REQUEST;
	enum rm_rpc_rx_status st = rm_rpc_rx_packet(&rx, pkt, len);
	size_t chunk = len > RM_RPC_HDR_SIZE ? len - RM_RPC_HDR_SIZE : 0;

	FUZZ_ASSERT(rx.len <= RM_RPC_MSG_MAX);
	switch (st) {
	case RM_RX_DROPPED:
		FUZZ_ASSERT(drops() == 1 + (before.drops[0] + before.drops[1] + before.drops[2] +
					    before.drops[3] + before.drops[4] + before.drops[5]));
		/* A dropped packet leaves the message being assembled alone. */
		FUZZ_ASSERT(rx.active == before.active && rx.len == before.len &&
			    rx.received == before.received);
		FUZZ_ASSERT(!memcmp(rx.payload, before.payload, rx.len));
		return st;
	case RM_RX_INCOMPLETE:
	case RM_RX_MESSAGE:
		FUZZ_ASSERT(drops() == before.drops[0] + before.drops[1] + before.drops[2] +
				       before.drops[3] + before.drops[4] + before.drops[5]);
		FUZZ_ASSERT(len >= RM_RPC_HDR_SIZE && len <= RM_RPC_PACKET_MAX);
		FUZZ_ASSERT(pkt[0] == RM_RPC_HDR_API);
		if (first) {
			FUZZ_ASSERT(rx.drops[RM_DROP_RESTARTED] ==
				    before.drops[RM_DROP_RESTARTED] + before.active);
			model_len = 0;
		} else {
			FUZZ_ASSERT(before.active);
			FUZZ_ASSERT(rx.drops[RM_DROP_RESTARTED] == before.drops[RM_DROP_RESTARTED]);
		}
		memcpy(model + model_len, pkt + RM_RPC_HDR_SIZE, chunk);
		model_len += chunk;
		FUZZ_ASSERT(model_len == rx.len);
		FUZZ_ASSERT(rx.received <= rx.hdr.fragments);
		break;
	}
	if (st == RM_RX_MESSAGE) {
		FUZZ_ASSERT(!rx.active);
		FUZZ_ASSERT(rx.received == rx.hdr.fragments);
		FUZZ_ASSERT(rx.hdr.type == RM_RPC_REQUEST);
		FUZZ_ASSERT(!memcmp(model, rx.payload, rx.len));
	} else {
		FUZZ_ASSERT(rx.active);
	}
	return st;
}

static void roundtrip(const u8 *msg, size_t len, u16 seq, u32 id)
{
	int cont = rm_rpc_continuations(len), i;
	u8 pkt[RM_RPC_PACKET_MAX];

	if (len > RM_RPC_MSG_MAX) {
		FUZZ_ASSERT(cont < 0);
		return;
	}
	FUZZ_ASSERT(cont >= 0 && cont <= RM_RPC_MAX_CONT);
	for (i = 0; i <= cont; i++) {
		size_t n = rm_rpc_packet(pkt, RM_RPC_REQUEST, id, seq, msg, len, i);
		enum rm_rpc_rx_status st;

		FUZZ_ASSERT(n >= RM_RPC_HDR_SIZE && n <= RM_RPC_PACKET_MAX);
		st = feed(pkt, n);
		FUZZ_ASSERT(st == (i == cont ? RM_RX_MESSAGE : RM_RX_INCOMPLETE));
	}
	FUZZ_ASSERT(rx.len == len && !memcmp(rx.payload, msg, len));
	FUZZ_ASSERT(rx.hdr.seq == seq && rx.hdr.msg_id == id);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_in in = { data, size };

	rm_rpc_rx_init(&rx);
	model_len = 0;
	while (fuzz_more(&in)) {
		u8 op = fuzz_u8(&in);
		size_t want, len;
		u8 *buf;

		if (op < 0x80) {
			want = op == 0x7f ? fuzz_u16(&in) : (size_t)op * 2;
			buf = fuzz_take(&in, want, &len);
			feed(buf, len);
		} else {
			u16 seq = fuzz_u16(&in);
			u32 id = fuzz_u32(&in);

			want = fuzz_u16(&in) % (RM_RPC_MSG_MAX + 64);
			buf = fuzz_take(&in, want, &len);
			roundtrip(buf, len, seq, id);
		}
		free(buf);
	}
	return 0;
}
