// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzzing the resource manager end to end (rm/rm.c, rm/rpc.c,
 * rm/vm_mgmt.c, rm/memparcel.c, rm/vm_config.c, rm/vm_dt.c) as the
 * primary VM reaches it: packets on its RM message queue through the
 * msgqueue_send hypercall, whole requests split the way Linux splits
 * them, devicetrees written into host RAM that parcels then name, and
 * guests that stop by themselves. The hypervisor below is fuzz/rm_env.c,
 * which checks every call the RM makes of it.
 *
 * Input: operations, a byte each (low 3 bits) and what it needs: 0 a raw
 * packet (u8 length), 1-2 a request (u8 message, u16 seq, u16 length),
 * 3 host RAM written (u32 offset, u16 length), 4 a guest stops (u8
 * guest, u8 why), 5 a guest busy in vcpu_run or not, 6 the next stage-2
 * map fails, 7 a request naming the last parcel handle the RM returned
 * (u8 where, u8 message, u16 seq, u16 length).
 *
 * Invariants: every packet the RM sends is a well-formed reply or
 * notification; whatever an input did, VM_STOP, VM_RESET, MEM_RECLAIM
 * and VM_DEALLOCATE of everything it created bring the RM and the
 * hypervisor back to the start: no VM left, every page owned by the host
 * again, no guest, interrupt or capability of the host left behind.
 */
#include <fuzz.h>
#include <rm_env.h>
#include <hyp/alloc.h>
#include <hyp/gunyah_abi.h>
#include <hyp/hypercall.h>
#include <hyp/rm_partition.h>
#include <hyp/vm.h>
#include <rm/memparcel.h>
#include <rm/notify.h>
#include <rm/rm.h>

#define PTR(p)		((u64)(uintptr_t)(p))
#define POOL_PAGES	8
#define MAX_HANDLES	64

static struct hyp_vm host;
static struct virq host_tx, host_rx;
static const struct rm_host_irqs irqs = {
	.tx = &host_tx, .rx = &host_rx, .tx_intid = 0xe0, .rx_intid = 0xe1,
	.free_irq_start = 0xe2,
};
static u64 tx_cap, rx_cap;
static u32 handles[MAX_HANDLES];
static unsigned int nr_handles;

static int copy_from(void *dst, u64 addr, size_t len)
{
	memcpy(dst, (const void *)(uintptr_t)addr, len);
	return 0;
}

static int copy_to(u64 addr, const void *src, size_t len)
{
	memcpy((void *)(uintptr_t)addr, src, len);
	return 0;
}

static void once(void)
{
	static bool done;
	void *pool;

	if (done)
		return;
	done = true;
	pool = aligned_alloc(SZ_4K, POOL_PAGES * SZ_4K);
	page_pool_init(PTR(pool), POOL_PAGES * SZ_4K);
	host.vmid = VMID_HLOS;
	cspace_init(&host.cspace);
	host.copy_from = copy_from;
	host.copy_to = copy_to;
	env_reset();
	FUZZ_ASSERT(!rm_init(&host, &irqs));
	tx_cap = rm_host_link()->tx_cap;
	rx_cap = rm_host_link()->rx_cap;
}

/* Take every packet the RM queued for the host, and check it. */
static void drain(void)
{
	u8 pkt[RM_MSG_SIZE];

	for (;;) {
		u64 r[SMCCC_NR_REGS] = { 0, rx_cap, PTR(pkt), sizeof(pkt) };
		struct rm_rpc_hdr hdr;
		enum rm_rpc_drop why;
		u64 len;

		hypercall_dispatch(&host, GUNYAH_HYPCALL_MSGQ_RECEIVE, r);
		if ((s64)r[0] == GUNYAH_ERROR_MSGQUEUE_EMPTY)
			return;
		FUZZ_ASSERT(!r[0]);
		len = r[1];
		FUZZ_ASSERT(len >= RM_RPC_HDR_SIZE && len <= RM_RPC_PACKET_MAX);
		FUZZ_ASSERT(!rm_rpc_hdr_decode(pkt, len, &hdr, &why));
		if (hdr.type == RM_RPC_CONTINUATION)
			continue;
		FUZZ_ASSERT(hdr.type == RM_RPC_REPLY || hdr.type == RM_RPC_NOTIFICATION);
		if (hdr.type != RM_RPC_REPLY)
			continue;
		FUZZ_ASSERT(len >= RM_RPC_HDR_SIZE + 4);
		/* An error carries no data. */
		if (rm_get_le32(pkt + 8))
			FUZZ_ASSERT(len == RM_RPC_HDR_SIZE + 4 && !hdr.fragments);
		else if ((hdr.msg_id == RM_MEM_LEND || hdr.msg_id == RM_MEM_SHARE) &&
			 nr_handles < MAX_HANDLES)
			handles[nr_handles++] = rm_get_le32(pkt + 12);
	}
}

static void send_pkt(const u8 *pkt, size_t len, bool push)
{
	u64 r[SMCCC_NR_REGS] = { 0, tx_cap, len, PTR(pkt), push };

	hypercall_dispatch(&host, GUNYAH_HYPCALL_MSGQ_SEND, r);
	drain();
}

static void request(u32 id, u16 seq, const u8 *data, size_t len)
{
	int cont = rm_rpc_continuations(len), i;
	u8 pkt[RM_RPC_PACKET_MAX];

	for (i = 0; i <= cont; i++) {
		size_t n = rm_rpc_packet(pkt, RM_RPC_REQUEST, id, seq, data, len, i);

		send_pkt(pkt, n, i == cont);
	}
}

static void vmid_request(u32 id, u16 vmid, u8 b2, u8 b3, size_t len)
{
	u8 d[8] = { 0 };

	rm_put_le16(d, vmid);
	d[2] = b2;
	d[3] = b3;
	request(id, 0, d, len);
}

static bool exists(u16 vmid)
{
	return rm_vm_owned_by(vmid, VMID_HLOS);
}

/* Take down everything the input made, through the protocol, and check. */
static void cleanup(void)
{
	unsigned int v, i;

	for (i = 0; i < ENV_NR_GUESTS; i++)
		env_guests[i].busy = false;
	for (v = 1; v <= 0xbf; v++) {
		if (!exists(v))
			continue;
		vmid_request(0x56000005, v, 1, 0, 8);	/* VM_STOP, forced */
		vmid_request(0x56000006, v, 0, 0, 4);	/* VM_RESET */
	}
	for (i = 0; i < nr_handles; i++) {
		u8 d[8] = { 0 };

		rm_put_le32(d, handles[i]);
		request(RM_MEM_RECLAIM, 0, d, sizeof(d));
	}
	for (v = 1; v <= 0xbf; v++) {
		if (!exists(v))
			continue;
		vmid_request(0x56000002, v, 0, 0, 4);	/* VM_DEALLOCATE */
		FUZZ_ASSERT(!exists(v));
		FUZZ_ASSERT(!rm_memparcel_vm_in_use(v));
	}
	env_check_clean();
	/* The host keeps its two queue capabilities, nothing else. */
	for (i = 0; i < CSPACE_MAX_CAPS; i++)
		FUZZ_ASSERT(!host.cspace.caps[i].obj == (i != tx_cap && i != rx_cap));
}

static const u32 ids[] = {
	0x56000001, 0x56000002, 0x56000004, 0x56000005, 0x56000006, 0x56000009, 0x5600000b,
	0x56000020, 0x56000031, 0x56000017, 0x56000024, 0x560000a0, RM_MEM_LEND, RM_MEM_SHARE,
	RM_MEM_APPEND, RM_MEM_RECLAIM,
};

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_in in = { data, size };
	int ops = 0;

	once();
	env_reset();
	nr_handles = 0;
	/* A fresh first packet: whatever the last input left half-assembled goes. */
	request(0x56000024, 0, (const u8 *)"", 0);

	while (fuzz_more(&in) && ops++ < 256) {
		u8 op = fuzz_u8(&in);

		switch (op & 7) {
		case 0: {
			size_t len;
			u8 *pkt = fuzz_take(&in, fuzz_u8(&in), &len);

			send_pkt(pkt, len, op & 8);
			free(pkt);
			break;
		}
		case 1:
		case 2: {
			u8 sel = fuzz_u8(&in);
			u32 id = sel < 0xf0 ? ids[sel % ARRAY_SIZE(ids)] : fuzz_u32(&in);
			u16 seq = fuzz_u16(&in);
			size_t len;
			u8 *body = fuzz_take(&in, fuzz_u16(&in) % (RM_RPC_MSG_MAX + 16), &len);

			request(id, seq, body, len);
			free(body);
			break;
		}
		case 3: {
			/* The host writes its RAM: a devicetree, an image. */
			u32 off = fuzz_u32(&in) % ENV_RAM_SIZE;
			size_t want = fuzz_u16(&in), len;
			u8 *b = fuzz_take(&in, MIN(want, ENV_RAM_SIZE - off), &len);

			memcpy(env_ram + off, b, len);
			env_mark_dirty(off, len);
			free(b);
			break;
		}
		case 4: {
			/* A guest stops by itself: the hypervisor tells the RM. */
			struct hyp_guest *g = &env_guests[fuzz_u8(&in) % ENV_NR_GUESTS];
			u8 why = fuzz_u8(&in);

			if (g->used && g->started && g->exit == GUEST_RUNNING)
				g->exit = 1 + why % 4;
			rm_interrupt(RM_VIRQ_HALT);
			drain();
			break;
		}
		case 5:
			env_guests[fuzz_u8(&in) % ENV_NR_GUESTS].busy ^= true;
			break;
		case 6:
			env_fail_map = true;
			break;
		default: {
			/* A request naming the last parcel made: its handle at @at. */
			u8 at = fuzz_u8(&in), sel = fuzz_u8(&in);
			u32 id = ids[sel % ARRAY_SIZE(ids)];
			u16 seq = fuzz_u16(&in);
			size_t len;
			u8 *body = fuzz_take(&in, fuzz_u16(&in) % 256, &len);

			if (nr_handles && (size_t)at + 4 <= len)
				rm_put_le32(body + at, handles[nr_handles - 1]);
			request(id, seq, body, len);
			free(body);
			break;
		}
		}
	}
	env_fail_map = false;
	cleanup();
	return 0;
}
