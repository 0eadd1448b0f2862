// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of rm/rpc.c (../shared/spec/abi.md §6): the 8-byte header,
 * decode errors, packet building, reassembly of 0..14616-byte requests,
 * and every kind of dropped packet with its counter.
 */
#include <string.h>
#include <rm/rpc.h>
#include "test.h"

static struct rm_rpc_rx rx;	/* large: keep it off the stack */
static u8 payload[RM_RPC_MSG_MAX + RM_RPC_PAYLOAD_MAX];

static void fill_payload(size_t len, u8 seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		payload[i] = (u8)(seed + i * 13 + (i >> 8));
}

/* The drop counters, all zero except @why (which must be @n). */
static int drops_are(enum rm_rpc_drop why, u32 n)
{
	int ok = 1;
	unsigned int i;

	for (i = 0; i < RM_DROP_NR; i++) {
		if (!CHECK_EQ(rx.drops[i], i == (unsigned int)why ? n : 0)) {
			printf("#     drop counter %u\n", i);
			ok = 0;
		}
	}
	return ok;
}

static int no_drops(void)
{
	return drops_are(RM_DROP_NR, 0);
}

/* ---- header ------------------------------------------------------------------- */

TEST(header_encode_exact_bytes)
{
	struct rm_rpc_hdr h = {
		.type = RM_RPC_REQUEST, .fragments = 0, .seq = 0x1234, .msg_id = 0x56000024,
	};
	static const u8 e1[8] = { 0x21, 0x01, 0x34, 0x12, 0x24, 0x00, 0x00, 0x56 };
	static const u8 e2[8] = { 0x21, 0xfa, 0xff, 0xff, 0x08, 0x00, 0x10, 0x56 };
	static const u8 e3[8] = { 0x21, 0x04, 0x01, 0x00, 0xa0, 0x00, 0x00, 0x56 };
	u8 pkt[9];

	memset(pkt, 0xee, sizeof(pkt));
	rm_rpc_hdr_encode(pkt, &h);
	CHECK_MEM_EQ(pkt, e1, 8);
	CHECK_EQ(pkt[8], 0xee);

	/* NOTIFICATION with 62 fragments: 3 | 62 << 2 = 0xfb; REPLY: 0xfa. */
	h = (struct rm_rpc_hdr){ RM_RPC_REPLY, 62, 0xffff, 0x56100008 };
	rm_rpc_hdr_encode(pkt, &h);
	CHECK_MEM_EQ(pkt, e2, 8);
	h.type = RM_RPC_NOTIFICATION;
	rm_rpc_hdr_encode(pkt, &h);
	CHECK_EQ(pkt[1], 0xfb);

	h = (struct rm_rpc_hdr){ RM_RPC_CONTINUATION, 1, 1, 0x560000a0 };
	rm_rpc_hdr_encode(pkt, &h);
	CHECK_MEM_EQ(pkt, e3, 8);
}

TEST(header_decode_round_trip)
{
	static const struct rm_rpc_hdr cases[] = {
		{ RM_RPC_CONTINUATION, 0, 0, 0 },
		{ RM_RPC_REQUEST, 1, 1, 0x56000024 },
		{ RM_RPC_REPLY, 31, 0x8000, 0x51000011 },
		{ RM_RPC_NOTIFICATION, 62, 0xffff, 0xffffffff },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct rm_rpc_hdr h;
		enum rm_rpc_drop why = RM_DROP_NR;
		u8 pkt[RM_RPC_HDR_SIZE];

		memset(&h, 0x5a, sizeof(h));
		rm_rpc_hdr_encode(pkt, &cases[i]);
		CHECK_EQ(rm_rpc_hdr_decode(pkt, sizeof(pkt), &h, &why), 0);
		CHECK_EQ(h.type, cases[i].type);
		CHECK_EQ(h.fragments, cases[i].fragments);
		CHECK_EQ(h.seq, cases[i].seq);
		CHECK_EQ(h.msg_id, cases[i].msg_id);
		CHECK_EQ(why, RM_DROP_NR);
	}
}

TEST(header_decode_errors)
{
	static const u8 bad_first[] = { 0x11, 0x22, 0x31, 0x20, 0x01, 0x00, 0xff, 0x12, 0xa1 };
	u8 pkt[RM_RPC_PACKET_MAX] = { 0x21, 0x01, 0, 0, 0x24, 0, 0, 0x56 };
	struct rm_rpc_hdr h;
	enum rm_rpc_drop why;
	unsigned int i;

	for (i = 0; i < RM_RPC_HDR_SIZE; i++) {
		why = RM_DROP_NR;
		CHECK_EQ(rm_rpc_hdr_decode(pkt, i, &h, &why), -1);
		CHECK_EQ(why, RM_DROP_SHORT);
	}
	for (i = 0; i < ARRAY_SIZE(bad_first); i++) {
		pkt[0] = bad_first[i];
		why = RM_DROP_NR;
		if (!CHECK_EQ(rm_rpc_hdr_decode(pkt, 8, &h, &why), -1) ||
		    !CHECK_EQ(why, RM_DROP_HEADER))
			printf("#     byte 0 = %#x\n", bad_first[i]);
	}
	pkt[0] = 0x21;
	/* 63 fragments (0xfd) is one too many; 62 (0xf9) is fine. */
	pkt[1] = 63 << 2 | RM_RPC_REQUEST;
	why = RM_DROP_NR;
	CHECK_EQ(rm_rpc_hdr_decode(pkt, 8, &h, &why), -1);
	CHECK_EQ(why, RM_DROP_FRAGMENTS);
	pkt[1] = 62 << 2 | RM_RPC_REQUEST;
	CHECK_EQ(rm_rpc_hdr_decode(pkt, 8, &h, &why), 0);
	CHECK_EQ(h.fragments, 62);
}

/* ---- packets and continuations ------------------------------------------------------ */

TEST(continuations_needed)
{
	CHECK_EQ(rm_rpc_continuations(0), 0);
	CHECK_EQ(rm_rpc_continuations(1), 0);
	CHECK_EQ(rm_rpc_continuations(232), 0);
	CHECK_EQ(rm_rpc_continuations(233), 1);
	CHECK_EQ(rm_rpc_continuations(464), 1);
	CHECK_EQ(rm_rpc_continuations(465), 2);
	CHECK_EQ(rm_rpc_continuations(14384), 61);
	CHECK_EQ(rm_rpc_continuations(14616), 62);
	CHECK_EQ(rm_rpc_continuations(14617), -1);
	CHECK_EQ(rm_rpc_continuations(1UL << 40), -1);
	CHECK_EQ(RM_RPC_MSG_MAX, 14616);
}

TEST(packet_builder_exact_bytes)
{
	u8 pkt[RM_RPC_PACKET_MAX + 8];
	static const u8 h0[8] = { 0x21, 0x01 | 1 << 2, 0x07, 0x00, 0x17, 0x00, 0x00, 0x56 };
	static const u8 h1[8] = { 0x21, 0x00 | 1 << 2, 0x07, 0x00, 0x17, 0x00, 0x00, 0x56 };
	static const u8 e[8] = { 0x21, 0x02, 0xcd, 0xab, 0x24, 0x00, 0x00, 0x56 };

	fill_payload(300, 3);
	memset(pkt, 0xee, sizeof(pkt));
	CHECK_EQ(rm_rpc_packet(pkt, RM_RPC_REQUEST, 0x56000017, 7, payload, 300, 0), 240);
	CHECK_MEM_EQ(pkt, h0, 8);
	CHECK_MEM_EQ(pkt + 8, payload, 232);
	CHECK_EQ(pkt[240], 0xee);

	memset(pkt, 0xee, sizeof(pkt));
	CHECK_EQ(rm_rpc_packet(pkt, RM_RPC_REQUEST, 0x56000017, 7, payload, 300, 1), 8 + 68);
	CHECK_MEM_EQ(pkt, h1, 8);
	CHECK_MEM_EQ(pkt + 8, payload + 232, 68);
	CHECK_EQ(pkt[76], 0xee);

	/* Empty payload: the header alone. */
	memset(pkt, 0xee, sizeof(pkt));
	CHECK_EQ(rm_rpc_packet(pkt, RM_RPC_REPLY, 0x56000024, 0xabcd, payload, 0, 0), 8);
	CHECK_MEM_EQ(pkt, e, 8);
	CHECK_EQ(pkt[8], 0xee);
}

/* ---- reassembly ----------------------------------------------------------------------- */

/* Feed a whole message built with rm_rpc_packet; check it comes out intact. */
static int reassemble(size_t len, u32 msg_id, u16 seq)
{
	int cont = rm_rpc_continuations(len), i, ok = 1;
	u8 pkt[RM_RPC_PACKET_MAX];

	fill_payload(len, (u8)len);
	for (i = 0; i <= cont && ok; i++) {
		size_t n = rm_rpc_packet(pkt, RM_RPC_REQUEST, msg_id, seq, payload, len, i);
		enum rm_rpc_rx_status want = i == cont ? RM_RX_MESSAGE : RM_RX_INCOMPLETE;

		ok &= CHECK(n <= RM_RPC_PACKET_MAX);
		ok &= CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, n), want);
	}
	ok &= CHECK_EQ(rx.len, len);
	ok &= CHECK_EQ(rx.hdr.type, RM_RPC_REQUEST);
	ok &= CHECK_EQ(rx.hdr.fragments, cont);
	ok &= CHECK_EQ(rx.hdr.msg_id, msg_id);
	ok &= CHECK_EQ(rx.hdr.seq, seq);
	ok &= CHECK_MEM_EQ(rx.payload, payload, len);
	ok &= CHECK(!rx.active);
	if (!ok)
		printf("#     %zu-byte message\n", len);
	return ok;
}

TEST(reassembly_sizes)
{
	static const size_t sizes[] = { 0, 1, 231, 232, 233, 464, 465, 1000, 14384, 14615, 14616 };
	unsigned int i;

	rm_rpc_rx_init(&rx);
	CHECK(!rx.active);
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		CHECK(reassemble(sizes[i], 0x56000000 + i + 1, (u16)(0xfff0 + i)));
	no_drops();
}

TEST(reassembly_packets_by_hand)
{
	u8 a[8 + 232], b[8 + 5];
	int i;

	/* A REQUEST announcing one continuation, then the continuation. */
	rm_rpc_rx_init(&rx);
	a[0] = 0x21;
	a[1] = 1 << 2 | 1;
	a[2] = 0x02;
	a[3] = 0x01;
	a[4] = 0x78;
	a[5] = 0x56;
	a[6] = 0x34;
	a[7] = 0x12;
	for (i = 0; i < 232; i++)
		a[8 + i] = (u8)i;
	memcpy(b, a, 8);
	b[1] = 1 << 2 | 0;
	for (i = 0; i < 5; i++)
		b[8 + i] = (u8)(0xf0 + i);
	CHECK_EQ(rm_rpc_rx_packet(&rx, a, sizeof(a)), RM_RX_INCOMPLETE);
	CHECK(rx.active);
	CHECK_EQ(rm_rpc_rx_packet(&rx, b, sizeof(b)), RM_RX_MESSAGE);
	CHECK_EQ(rx.len, 237);
	CHECK_EQ(rx.hdr.msg_id, 0x12345678);
	CHECK_EQ(rx.hdr.seq, 0x0102);
	CHECK_MEM_EQ(rx.payload, a + 8, 232);
	CHECK_MEM_EQ(rx.payload + 232, b + 8, 5);
	no_drops();
}

/* ---- drops -------------------------------------------------------------------------------- */

TEST(drop_short_and_bad_header)
{
	u8 pkt[RM_RPC_PACKET_MAX + 1];
	unsigned int i;

	rm_rpc_rx_init(&rx);
	fill_payload(8, 0);
	rm_rpc_packet(pkt, RM_RPC_REQUEST, 0x56000024, 1, payload, 0, 0);
	for (i = 0; i < RM_RPC_HDR_SIZE; i++)
		CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, i), RM_RX_DROPPED);
	drops_are(RM_DROP_SHORT, RM_RPC_HDR_SIZE);

	rm_rpc_rx_init(&rx);
	pkt[0] = 0x11;
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, 8), RM_RX_DROPPED);
	pkt[0] = 0x22;
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, 8), RM_RX_DROPPED);
	pkt[0] = 0x31;
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, 8), RM_RX_DROPPED);
	drops_are(RM_DROP_HEADER, 3);
	CHECK(!rx.active);
}

TEST(drop_too_many_fragments)
{
	u8 pkt[RM_RPC_PACKET_MAX];

	rm_rpc_rx_init(&rx);
	fill_payload(232, 1);
	rm_rpc_packet(pkt, RM_RPC_REQUEST, 0x56000024, 1, payload, 232, 0);
	pkt[1] = 63 << 2 | RM_RPC_REQUEST;
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, 240), RM_RX_DROPPED);
	drops_are(RM_DROP_FRAGMENTS, 1);
	CHECK(!rx.active);
}

TEST(drop_longer_than_240)
{
	u8 pkt[RM_RPC_PACKET_MAX + 16];

	rm_rpc_rx_init(&rx);
	fill_payload(240, 2);
	rm_rpc_packet(pkt, RM_RPC_REQUEST, 0x56000024, 1, payload, 232, 0);
	memset(pkt + 240, 0x99, 16);
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, 241), RM_RX_DROPPED);
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, sizeof(pkt)), RM_RX_DROPPED);
	drops_are(RM_DROP_SHORT, 2);
	CHECK(!rx.active);
	/* 240 exactly is a packet. */
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, 240), RM_RX_MESSAGE);
	CHECK_EQ(rx.len, 232);
}

TEST(drop_replies_and_notifications)
{
	u8 pkt[RM_RPC_PACKET_MAX];
	size_t n;

	rm_rpc_rx_init(&rx);
	fill_payload(8, 3);
	n = rm_rpc_packet(pkt, RM_RPC_REPLY, 0x56000024, 1, payload, 8, 0);
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, n), RM_RX_DROPPED);
	n = rm_rpc_packet(pkt, RM_RPC_NOTIFICATION, 0x56100008, 1, payload, 8, 0);
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, n), RM_RX_DROPPED);
	drops_are(RM_DROP_TYPE, 2);
	CHECK(!rx.active);

	/* In the middle of a message: dropped, and the message goes on. */
	fill_payload(300, 4);
	n = rm_rpc_packet(pkt, RM_RPC_REQUEST, 0x56000017, 9, payload, 300, 0);
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, n), RM_RX_INCOMPLETE);
	n = rm_rpc_packet(pkt, RM_RPC_REPLY, 0x56000017, 9, payload, 4, 0);
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, n), RM_RX_DROPPED);
	fill_payload(300, 4);
	n = rm_rpc_packet(pkt, RM_RPC_REQUEST, 0x56000017, 9, payload, 300, 1);
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, n), RM_RX_MESSAGE);
	CHECK_EQ(rx.len, 300);
	CHECK_MEM_EQ(rx.payload, payload, 300);
	drops_are(RM_DROP_TYPE, 3);
}

TEST(drop_stray_continuation)
{
	u8 pkt[RM_RPC_PACKET_MAX];
	size_t n;

	rm_rpc_rx_init(&rx);
	fill_payload(300, 5);
	n = rm_rpc_packet(pkt, RM_RPC_REQUEST, 0x56000024, 1, payload, 300, 1);
	CHECK_EQ(pkt[1] & 3, RM_RPC_CONTINUATION);
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, n), RM_RX_DROPPED);
	drops_are(RM_DROP_STRAY, 1);

	/* After a complete message, one more continuation is stray too. */
	n = rm_rpc_packet(pkt, RM_RPC_REQUEST, 0x56000024, 1, payload, 300, 0);
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, n), RM_RX_INCOMPLETE);
	n = rm_rpc_packet(pkt, RM_RPC_REQUEST, 0x56000024, 1, payload, 300, 1);
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, n), RM_RX_MESSAGE);
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, n), RM_RX_DROPPED);
	drops_are(RM_DROP_STRAY, 2);
	/* A zero-fragment continuation with nothing in progress. */
	n = rm_rpc_packet(pkt, RM_RPC_CONTINUATION, 0x56000024, 1, payload, 8, 0);
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, n), RM_RX_DROPPED);
	drops_are(RM_DROP_STRAY, 3);
}

TEST(drop_mismatched_continuations)
{
	u8 pkt[RM_RPC_PACKET_MAX], good[RM_RPC_PACKET_MAX], first[RM_RPC_PACKET_MAX];
	size_t n, n_good, n_first;

	rm_rpc_rx_init(&rx);
	/* 3 packets: first, continuation 1, continuation 2. */
	fill_payload(500, 6);
	n_first = rm_rpc_packet(first, RM_RPC_REQUEST, 0x56000017, 0x0042, payload, 500, 0);
	CHECK_EQ(rm_rpc_rx_packet(&rx, first, n_first), RM_RX_INCOMPLETE);
	n_good = rm_rpc_packet(good, RM_RPC_REQUEST, 0x56000017, 0x0042, payload, 500, 1);

	/* Other sequence number. */
	memcpy(pkt, good, n_good);
	pkt[2] ^= 1;
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, n_good), RM_RX_DROPPED);
	memcpy(pkt, good, n_good);
	pkt[3] = 0x80;
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, n_good), RM_RX_DROPPED);
	/* Other message ID (each byte). */
	memcpy(pkt, good, n_good);
	pkt[4] = 0x24;
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, n_good), RM_RX_DROPPED);
	memcpy(pkt, good, n_good);
	pkt[7] = 0x51;
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, n_good), RM_RX_DROPPED);
	/* Other fragment count (1 and 3 instead of 2). */
	memcpy(pkt, good, n_good);
	pkt[1] = 1 << 2;
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, n_good), RM_RX_DROPPED);
	pkt[1] = 3 << 2;
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, n_good), RM_RX_DROPPED);
	drops_are(RM_DROP_MISMATCH, 6);
	CHECK(rx.active);

	/* The real continuations still complete the message. */
	CHECK_EQ(rm_rpc_rx_packet(&rx, good, n_good), RM_RX_INCOMPLETE);
	n = rm_rpc_packet(pkt, RM_RPC_REQUEST, 0x56000017, 0x0042, payload, 500, 2);
	CHECK_EQ(n, 8 + 36);
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, n), RM_RX_MESSAGE);
	CHECK_EQ(rx.len, 500);
	CHECK_EQ(rx.hdr.seq, 0x0042);
	CHECK_MEM_EQ(rx.payload, payload, 500);
	drops_are(RM_DROP_MISMATCH, 6);
}

TEST(restart_on_new_first_packet)
{
	u8 pkt[RM_RPC_PACKET_MAX];
	size_t n;

	rm_rpc_rx_init(&rx);
	fill_payload(700, 7);
	n = rm_rpc_packet(pkt, RM_RPC_REQUEST, 0x56000017, 1, payload, 700, 0);
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, n), RM_RX_INCOMPLETE);
	n = rm_rpc_packet(pkt, RM_RPC_REQUEST, 0x56000017, 1, payload, 700, 1);
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, n), RM_RX_INCOMPLETE);

	/* A new request, complete in one packet: the old one is abandoned. */
	fill_payload(4, 0x40);
	n = rm_rpc_packet(pkt, RM_RPC_REQUEST, 0x56000024, 2, payload, 4, 0);
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, n), RM_RX_MESSAGE);
	CHECK_EQ(rx.len, 4);
	CHECK_EQ(rx.hdr.msg_id, 0x56000024);
	CHECK_EQ(rx.hdr.seq, 2);
	CHECK_EQ(rx.hdr.fragments, 0);
	CHECK_MEM_EQ(rx.payload, payload, 4);
	drops_are(RM_DROP_RESTARTED, 1);

	/* The old message's last continuation is now stray. */
	fill_payload(700, 7);
	n = rm_rpc_packet(pkt, RM_RPC_REQUEST, 0x56000017, 1, payload, 700, 2);
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, n), RM_RX_DROPPED);
	CHECK_EQ(rx.drops[RM_DROP_STRAY], 1);

	/* Restarting with a multi-packet message: it completes normally. */
	rm_rpc_rx_init(&rx);
	n = rm_rpc_packet(pkt, RM_RPC_REQUEST, 0x56000017, 1, payload, 700, 0);
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, n), RM_RX_INCOMPLETE);
	fill_payload(400, 9);
	n = rm_rpc_packet(pkt, RM_RPC_REQUEST, 0x56000011, 3, payload, 400, 0);
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, n), RM_RX_INCOMPLETE);
	n = rm_rpc_packet(pkt, RM_RPC_REQUEST, 0x56000011, 3, payload, 400, 1);
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, n), RM_RX_MESSAGE);
	CHECK_EQ(rx.len, 400);
	CHECK_EQ(rx.hdr.msg_id, 0x56000011);
	CHECK_MEM_EQ(rx.payload, payload, 400);
	drops_are(RM_DROP_RESTARTED, 1);
}

TEST(counters_accumulate_independently)
{
	u8 pkt[RM_RPC_PACKET_MAX];
	size_t n;

	rm_rpc_rx_init(&rx);
	fill_payload(300, 1);
	rm_rpc_packet(pkt, RM_RPC_REQUEST, 1, 1, payload, 0, 0);
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, 3), RM_RX_DROPPED);			/* SHORT */
	n = rm_rpc_packet(pkt, RM_RPC_REQUEST, 1, 1, payload, 300, 1);
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, n), RM_RX_DROPPED);			/* STRAY */
	n = rm_rpc_packet(pkt, RM_RPC_REPLY, 1, 1, payload, 4, 0);
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, n), RM_RX_DROPPED);			/* TYPE */
	n = rm_rpc_packet(pkt, RM_RPC_REQUEST, 1, 1, payload, 300, 0);
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, n), RM_RX_INCOMPLETE);
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, n), RM_RX_INCOMPLETE);		/* RESTARTED */
	pkt[0] = 0x12;
	CHECK_EQ(rm_rpc_rx_packet(&rx, pkt, n), RM_RX_DROPPED);			/* HEADER */
	CHECK_EQ(rx.drops[RM_DROP_SHORT], 1);
	CHECK_EQ(rx.drops[RM_DROP_HEADER], 1);
	CHECK_EQ(rx.drops[RM_DROP_TYPE], 1);
	CHECK_EQ(rx.drops[RM_DROP_FRAGMENTS], 0);
	CHECK_EQ(rx.drops[RM_DROP_STRAY], 1);
	CHECK_EQ(rx.drops[RM_DROP_MISMATCH], 0);
	CHECK_EQ(rx.drops[RM_DROP_RESTARTED], 1);
}
