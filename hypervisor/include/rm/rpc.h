/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * RM RPC framing (../shared/spec/abi.md §6): 8-byte header, at most 232
 * payload bytes per packet, a first packet plus up to 62 continuations.
 * Pure logic, unit-tested on the build host.
 */
#ifndef RM_RPC_H
#define RM_RPC_H

#include <hyp/types.h>

#define RM_RPC_PACKET_MAX	240
#define RM_RPC_HDR_SIZE		8
#define RM_RPC_PAYLOAD_MAX	(RM_RPC_PACKET_MAX - RM_RPC_HDR_SIZE)
#define RM_RPC_MAX_CONT		62
#define RM_RPC_MSG_MAX		((RM_RPC_MAX_CONT + 1) * RM_RPC_PAYLOAD_MAX)

/* Byte 0: API version 1 in bits 3:0, header length 2 words in bits 7:4. */
#define RM_RPC_HDR_API		0x21

enum rm_rpc_type {
	RM_RPC_CONTINUATION = 0,
	RM_RPC_REQUEST = 1,
	RM_RPC_REPLY = 2,
	RM_RPC_NOTIFICATION = 3,
};

struct rm_rpc_hdr {
	enum rm_rpc_type type;
	u8 fragments;		/* continuations that follow the first packet */
	u16 seq;
	u32 msg_id;
};

/* Why a packet was dropped; indexes rm_rpc_rx.drops. */
enum rm_rpc_drop {
	RM_DROP_SHORT,		/* shorter than the header */
	RM_DROP_HEADER,		/* wrong version or header length */
	RM_DROP_TYPE,		/* a reply or notification sent to the RM */
	RM_DROP_FRAGMENTS,	/* more than 62 continuations announced */
	RM_DROP_STRAY,		/* continuation without a message in progress */
	RM_DROP_MISMATCH,	/* continuation of another message */
	RM_DROP_RESTARTED,	/* incomplete message abandoned for a new one */
	RM_DROP_NR,
};

/* Reassembly state of one client's requests. */
struct rm_rpc_rx {
	bool active;
	struct rm_rpc_hdr hdr;	/* of the message being assembled */
	u8 received;		/* continuations received */
	size_t len;
	u8 payload[RM_RPC_MSG_MAX];
	u32 drops[RM_DROP_NR];
};

enum rm_rpc_rx_status {
	RM_RX_INCOMPLETE,	/* packet taken, more to come */
	RM_RX_MESSAGE,		/* rx->hdr, rx->payload, rx->len hold a request */
	RM_RX_DROPPED,		/* packet dropped and counted */
};

void rm_rpc_hdr_encode(u8 *pkt, const struct rm_rpc_hdr *hdr);

/* Returns 0, or the drop reason of a malformed header. */
int rm_rpc_hdr_decode(const u8 *pkt, size_t len, struct rm_rpc_hdr *hdr,
		      enum rm_rpc_drop *why);

void rm_rpc_rx_init(struct rm_rpc_rx *rx);

/* Feed one packet received from a client. */
enum rm_rpc_rx_status rm_rpc_rx_packet(struct rm_rpc_rx *rx, const u8 *pkt, size_t len);

/* Continuations needed for a @len-byte payload, or -1 if it is too long. */
int rm_rpc_continuations(size_t len);

/*
 * Packet @index (0 = the first) of a message: header plus its slice of
 * @payload. Returns the packet's length.
 */
size_t rm_rpc_packet(u8 *pkt, enum rm_rpc_type type, u32 msg_id, u16 seq,
		     const u8 *payload, size_t len, unsigned int index);

static inline u32 rm_get_le32(const u8 *p)
{
	return p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static inline u16 rm_get_le16(const u8 *p)
{
	return p[0] | (u16)(p[1] << 8);
}

static inline void rm_put_le32(u8 *p, u32 v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static inline void rm_put_le16(u8 *p, u16 v)
{
	p[0] = v;
	p[1] = v >> 8;
}

#endif
