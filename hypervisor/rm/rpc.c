// SPDX-License-Identifier: GPL-2.0-only
/* RM RPC framing; see include/rm/rpc.h. */
#include <string.h>
#include <rm/rpc.h>

void rm_rpc_hdr_encode(u8 *pkt, const struct rm_rpc_hdr *hdr)
{
	pkt[0] = RM_RPC_HDR_API;
	pkt[1] = (hdr->type & 0x3) | (u8)(hdr->fragments << 2);
	rm_put_le16(pkt + 2, hdr->seq);
	rm_put_le32(pkt + 4, hdr->msg_id);
}

int rm_rpc_hdr_decode(const u8 *pkt, size_t len, struct rm_rpc_hdr *hdr,
		      enum rm_rpc_drop *why)
{
	if (len < RM_RPC_HDR_SIZE) {
		*why = RM_DROP_SHORT;
		return -1;
	}
	if (pkt[0] != RM_RPC_HDR_API) {
		*why = RM_DROP_HEADER;
		return -1;
	}
	hdr->type = pkt[1] & 0x3;
	hdr->fragments = pkt[1] >> 2;
	hdr->seq = rm_get_le16(pkt + 2);
	hdr->msg_id = rm_get_le32(pkt + 4);
	if (hdr->fragments > RM_RPC_MAX_CONT) {
		*why = RM_DROP_FRAGMENTS;
		return -1;
	}
	return 0;
}

void rm_rpc_rx_init(struct rm_rpc_rx *rx)
{
	memset(rx, 0, sizeof(*rx));
}

static enum rm_rpc_rx_status rm_rpc_drop(struct rm_rpc_rx *rx, enum rm_rpc_drop why)
{
	rx->drops[why]++;
	return RM_RX_DROPPED;
}

enum rm_rpc_rx_status rm_rpc_rx_packet(struct rm_rpc_rx *rx, const u8 *pkt, size_t len)
{
	size_t chunk = len > RM_RPC_HDR_SIZE ? len - RM_RPC_HDR_SIZE : 0;
	struct rm_rpc_hdr hdr;
	enum rm_rpc_drop why;

	if (rm_rpc_hdr_decode(pkt, len, &hdr, &why))
		return rm_rpc_drop(rx, why);
	/* A packet never carries more than 232 payload bytes (240 in all). */
	if (len > RM_RPC_PACKET_MAX)
		return rm_rpc_drop(rx, RM_DROP_SHORT);

	switch (hdr.type) {
	case RM_RPC_REQUEST:
		if (rx->active) {
			/* A new first packet restarts reassembly. */
			rx->drops[RM_DROP_RESTARTED]++;
		}
		rx->active = true;
		rx->hdr = hdr;
		rx->received = 0;
		rx->len = chunk;
		memcpy(rx->payload, pkt + RM_RPC_HDR_SIZE, chunk);
		break;
	case RM_RPC_CONTINUATION:
		if (!rx->active)
			return rm_rpc_drop(rx, RM_DROP_STRAY);
		if (hdr.msg_id != rx->hdr.msg_id || hdr.seq != rx->hdr.seq ||
		    hdr.fragments != rx->hdr.fragments)
			return rm_rpc_drop(rx, RM_DROP_MISMATCH);
		/* Bounded: at most 62 continuations of at most 232 bytes. */
		memcpy(rx->payload + rx->len, pkt + RM_RPC_HDR_SIZE, chunk);
		rx->len += chunk;
		rx->received++;
		break;
	default:
		return rm_rpc_drop(rx, RM_DROP_TYPE);
	}

	if (rx->received < rx->hdr.fragments)
		return RM_RX_INCOMPLETE;
	rx->active = false;
	return RM_RX_MESSAGE;
}

int rm_rpc_continuations(size_t len)
{
	size_t packets = len ? (len + RM_RPC_PAYLOAD_MAX - 1) / RM_RPC_PAYLOAD_MAX : 1;

	if (packets > RM_RPC_MAX_CONT + 1)
		return -1;
	return (int)packets - 1;
}

size_t rm_rpc_packet(u8 *pkt, enum rm_rpc_type type, u32 msg_id, u16 seq,
		     const u8 *payload, size_t len, unsigned int index)
{
	struct rm_rpc_hdr hdr = {
		.type = index ? RM_RPC_CONTINUATION : type,
		.fragments = (u8)rm_rpc_continuations(len),
		.seq = seq,
		.msg_id = msg_id,
	};
	size_t off = (size_t)index * RM_RPC_PAYLOAD_MAX;
	size_t chunk = off < len ? MIN(len - off, RM_RPC_PAYLOAD_MAX) : 0;

	rm_rpc_hdr_encode(pkt, &hdr);
	memcpy(pkt + RM_RPC_HDR_SIZE, payload + off, chunk);
	return RM_RPC_HDR_SIZE + chunk;
}
