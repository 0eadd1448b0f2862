// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzzing rm/memparcel.c: the bodies of MEM_LEND, MEM_SHARE, MEM_APPEND
 * and MEM_RECLAIM from the primary VM (or from another client), as
 * rm_memparcel_handle() gets them from the RPC layer, and the accesses
 * VM management makes to complete parcels (read, write, map, unmap) with
 * the offsets and sizes a VMM chose in VM_CONFIG_IMAGE.
 *
 * Input: operations. Bodies are copied into exactly-sized heap buffers.
 * Structured ones (an ACL, a list of ranges in the 16 MiB of host RAM
 * the ownership record knows, attributes) reach the deep paths; raw ones
 * test the list parsing.
 *
 * Invariants: a refused request changes no page's ownership and returns
 * no data; an accepted LEND/SHARE returns a fresh non-zero handle and
 * every page it names is given to the borrower under that handle;
 * RECLAIM gives every page of the parcel back, and nothing else; the RM
 * takes back only what it gave (rm_env.c); reads and writes stay inside
 * the caller's buffer and the parcel's pages, and a write reads back; a
 * guest is mapped only memory given to it and unmapped only what was
 * mapped; once every handle is reclaimed the host owns all its memory.
 */
#include <fuzz.h>
#include <rm_env.h>
#include <hyp/guest_ops.h>
#include <hyp/vm.h>
#include <rm/hypcall.h>
#include <rm/memparcel.h>
#include <rm/rm.h>

#define MAX_HANDLES	32
#define BORROWERS	3

static const u16 borrowers[BORROWERS] = { 0x80, 0x81, 0x2d };
static struct rm_client host, other;
/* The guest the RM names by capability GUEST_CAP while a map is tried. */
#define GUEST_CAP	5
static struct hyp_guest *guest;
static u8 reply[RM_RPC_MSG_MAX];
static u32 handles[MAX_HANDLES];
static u16 handle_borrower[MAX_HANDLES];
static unsigned int nr_handles;
static struct memdb_page snap[ENV_HOST_PAGES];

/* rm/vm_mgmt.c's: VMs 0x80, 0x81 and 45 belong to the primary VM. */
bool rm_vm_owned_by(u16 vmid, u16 owner)
{
	unsigned int i;

	for (i = 0; i < BORROWERS; i++)
		if (vmid == borrowers[i])
			return owner == VMID_HLOS;
	return false;
}

/*
 * The hypervisor's side of the calls memparcel.c makes: fuzz/rm_env.c's
 * checking fakes, reached as the RM's hypercalls are.
 */
void rm_hvc(u64 r[SMCCC_NR_REGS])
{
	u32 num = r[0] - GUNYAH_HYPCALL_FID(0);
	bool known_guest = r[1] == GUEST_CAP && guest;
	s64 ret;

	switch (num) {
	case HYP_HYPCALL_HOST_MEM_GIVE:
		FUZZ_ASSERT(!(r[3] & ~(u64)HYP_HOST_MEM_LEND));
		ret = hyp_host_mem_give(r[1], r[2], r[3] & HYP_HOST_MEM_LEND, r[4], r[5]);
		break;
	case HYP_HYPCALL_HOST_MEM_TAKE_BACK:
		ret = hyp_host_mem_take_back(r[1], r[2], r[3] & HYP_HOST_MEM_LEND, r[4], r[5],
					     r[3] & HYP_HOST_MEM_SANITIZE);
		break;
	case HYP_HYPCALL_HOST_MEM_READ:
		ret = hyp_host_mem_read((void *)(uintptr_t)r[1], r[2], r[3]);
		break;
	case HYP_HYPCALL_HOST_MEM_WRITE:
		ret = hyp_host_mem_write(r[1], (const void *)(uintptr_t)r[2], r[3]);
		break;
	case HYP_HYPCALL_ADDRSPACE_MAP_PA:
		FUZZ_ASSERT(known_guest);
		ret = hyp_guest_map(guest, r[2], r[3], r[4], r[5]);
		break;
	case HYP_HYPCALL_ADDRSPACE_UNMAP_PA:
		FUZZ_ASSERT(known_guest);
		ret = hyp_guest_unmap(guest, r[2], r[3]);
		break;
	default:
		ret = GUNYAH_ERROR_UNIMPLEMENTED;
		break;
	}
	r[0] = (u64)ret;
}

static unsigned int pages_with_tag(u32 tag)
{
	unsigned int i, n = 0;

	for (i = 0; i < ENV_HOST_PAGES; i++)
		n += (env_records[i].state_tag & MEMDB_TAG_MAX) == tag &&
		     env_records[i].state_tag >> 30;
	return n;
}

static u32 request(struct rm_client *c, u32 id, const u8 *body, size_t len, size_t *rlen)
{
	u8 *data = malloc(len ? len : 1);
	struct rm_request req = {
		.client = c, .msg_id = id, .data = data, .len = len, .reply = reply,
	};
	u32 err;

	memcpy(data, body, len);
	memcpy(snap, env_records, sizeof(snap));
	err = rm_memparcel_handle(&req);
	free(data);
	FUZZ_ASSERT(req.reply_len <= RM_RPC_MSG_MAX - 4);
	if (err != RM_OK) {
		FUZZ_ASSERT(!req.reply_len);
		FUZZ_ASSERT(!memcmp(snap, env_records, sizeof(snap)));
	}
	*rlen = req.reply_len;
	return err;
}

/* MEM_LEND / MEM_SHARE built from the input. */
static void create(struct fuzz_in *in, bool lend, struct rm_client *c)
{
	u8 body[8 + 4 + 4 * 4 + 4 + 16 * 8 + 4 + 4 * 2];
	u8 nacl = fuzz_u8(in), nsgl = fuzz_u8(in), flags = fuzz_u8(in);
	unsigned int i, b = fuzz_u8(in) % BORROWERS;
	size_t off = 0, rlen;
	u64 pages = 0;
	u32 err, handle;

	if (nr_handles == MAX_HANDLES)
		return;
	memset(body, 0, sizeof(body));
	body[2] = flags & 0x83;		/* sanitize, append (and a bad bit) */
	rm_put_le32(body + 4, fuzz_u32(in));
	off = 8;
	/* ACL: the borrower (and, to share, the owner), or what the input says. */
	nacl = nacl & 0x80 ? nacl % 5 : (lend ? 1 : 2);
	rm_put_le16(body + off, nacl);
	off += 4;
	for (i = 0; i < nacl; i++) {
		u8 r = fuzz_u8(in);

		rm_put_le16(body + off, r & 0x80 ? fuzz_u16(in) :
					i == 1 ? VMID_HLOS : borrowers[b]);
		body[off + 2] = r & 0x40 ? r : 0x6;
		off += 4;
	}
	nsgl = 1 + nsgl % 8;
	rm_put_le16(body + off, nsgl);
	off += 4;
	for (i = 0; i < nsgl; i++) {
		u8 r = fuzz_u8(in);
		u64 base = ENV_HOST_BASE + (u64)(fuzz_u16(in) % (ENV_HOST_PAGES + 16)) * SZ_4K;
		u64 size = (u64)(1 + fuzz_u8(in) % 16) * SZ_4K;

		if (r & 0x80)
			base = fuzz_u64(in);
		if (r & 0x40)
			size = fuzz_u64(in);
		rm_put_le32(body + off, (u32)base);
		rm_put_le32(body + off + 4, base >> 32);
		rm_put_le32(body + off + 8, (u32)size);
		rm_put_le32(body + off + 12, size >> 32);
		off += 16;
		pages += size / SZ_4K;
	}
	/* Attributes: none, or two. */
	i = fuzz_u8(in) & 1 ? 2 : 0;
	rm_put_le16(body + off, i);
	off += 4 + 4 * i;

	err = request(c, lend ? RM_MEM_LEND : RM_MEM_SHARE, body, off, &rlen);
	if (err != RM_OK)
		return;
	FUZZ_ASSERT(c == &host);
	FUZZ_ASSERT(rlen == 4);
	handle = rm_get_le32(reply);
	FUZZ_ASSERT(handle && handle <= MEMDB_TAG_MAX);
	for (i = 0; i < nr_handles; i++)
		FUZZ_ASSERT(handles[i] != handle);
	/* Each page of each range, given under the handle. */
	FUZZ_ASSERT(pages_with_tag(handle) == pages);
	FUZZ_ASSERT(nr_handles < MAX_HANDLES);
	handle_borrower[nr_handles] = borrowers[b];
	handles[nr_handles++] = handle;
}

static void append(struct fuzz_in *in)
{
	u8 body[8 + 4 + 16 * 4];
	unsigned int n = 1 + fuzz_u8(in) % 4, i, before;
	u32 handle = nr_handles ? handles[fuzz_u8(in) % nr_handles] : 1;
	size_t rlen;

	memset(body, 0, sizeof(body));
	rm_put_le32(body, handle);
	body[4] = fuzz_u8(in) & 1;
	rm_put_le16(body + 8, n);
	for (i = 0; i < n; i++) {
		u64 base = ENV_HOST_BASE + (u64)(fuzz_u16(in) % ENV_HOST_PAGES) * SZ_4K;

		rm_put_le32(body + 12 + 16 * i, (u32)base);
		rm_put_le32(body + 16 + 16 * i, base >> 32);
		rm_put_le32(body + 20 + 16 * i, (1 + fuzz_u8(in) % 4) * SZ_4K);
	}
	before = pages_with_tag(handle);
	if (request(&host, RM_MEM_APPEND, body, 12 + 16 * n, &rlen) == RM_OK)
		FUZZ_ASSERT(pages_with_tag(handle) > before && !rlen);
}

static void reclaim(struct rm_client *c, unsigned int idx, u8 flags)
{
	u8 body[8] = { 0 };
	size_t rlen;
	u32 err;

	rm_put_le32(body, handles[idx]);
	body[4] = flags;
	err = request(c, RM_MEM_RECLAIM, body, sizeof(body), &rlen);
	if (err != RM_OK)
		return;
	FUZZ_ASSERT(c == &host && !rlen);
	FUZZ_ASSERT(!pages_with_tag(handles[idx]));
	/* Every other parcel keeps its pages. */
	for (unsigned int i = 0; i < ENV_HOST_PAGES; i++)
		if ((snap[i].state_tag & MEMDB_TAG_MAX) != handles[idx])
			FUZZ_ASSERT(!memcmp(&snap[i], &env_records[i], sizeof(snap[i])));
	handles[idx] = handles[--nr_handles];
	handle_borrower[idx] = handle_borrower[nr_handles];
}

/* VM management's accesses to a complete parcel. */
static void access(struct fuzz_in *in)
{
	unsigned int idx = nr_handles ? fuzz_u8(in) % nr_handles : 0;
	u32 handle = nr_handles ? handles[idx] : fuzz_u32(in);
	u16 borrower = nr_handles ? handle_borrower[idx] : 0x80;
	u8 how = fuzz_u8(in);
	u64 off = how & 0x80 ? fuzz_u64(in) : fuzz_u32(in) % 0x20000;
	u64 len = how & 0x40 ? fuzz_u64(in) : fuzz_u16(in);
	u64 size = 0;
	bool complete = rm_memparcel_size(handle, VMID_HLOS, borrower, &size);

	if (how & 0x20) {
		/* Another VM: one the parcel's ACL may name too */
		borrower ^= 1;
		complete = rm_memparcel_size(handle, VMID_HLOS, borrower, &size);
	}
	switch (how & 3) {
	case 0:
	case 1: {
		size_t n = len > 0x10000 ? 0x10000 : len;
		u8 *buf = malloc(n ? n : 1), *back;
		int ret;

		/* A @len past the buffer only where the RM must refuse it anyway. */
		if (len > n && (!complete || len <= size))
			len = n;
		memset(buf, how, n);
		env_write_tag = handle;
		/* With a buffer of exactly @n bytes: an over-long @len must be refused. */
		ret = (how & 1) ? rm_memparcel_write(handle, VMID_HLOS, borrower, off, buf, len) :
				  rm_memparcel_read(handle, VMID_HLOS, borrower, off, buf, len);
		env_write_tag = 0;
		if (!ret) {
			FUZZ_ASSERT(complete && len <= size && off <= size - len);
			FUZZ_ASSERT(len <= n);
			if (how & 1) {
				back = malloc(n ? n : 1);
				FUZZ_ASSERT(!rm_memparcel_read(handle, VMID_HLOS, borrower, off,
							       back, len));
				FUZZ_ASSERT(!memcmp(buf, back, len));
				free(back);
			}
		}
		free(buf);
		break;
	}
	case 2: {
		struct hyp_guest *g = hyp_guest_create(borrower);

		if (!g)
			break;
		env_fail_map = how & 4;
		guest = g;
		if (!rm_memparcel_map(handle, VMID_HLOS, borrower, GUEST_CAP, fuzz_u64(in) & ~0xfffUL))
			FUZZ_ASSERT(g->mapped == size);
		else
			FUZZ_ASSERT(!g->mapped);
		env_fail_map = false;
		rm_memparcel_unmap_all(borrower, GUEST_CAP);
		FUZZ_ASSERT(!g->mapped);
		guest = NULL;
		hyp_guest_destroy(g);
		break;
	}
	default:
		/* A parcel the borrower can use is never empty */
		FUZZ_ASSERT(!complete || size);
		break;
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_in in = { data, size };
	int ops = 0;

	static bool once;

	env_reset();
	/*
	 * Once: it walks 65536 list entries, slow under coverage tracing.
	 * Each input reclaims every parcel it made, so the next starts clean.
	 */
	if (!once)
		rm_memparcel_init();
	once = true;
	nr_handles = 0;
	host.vmid = VMID_HLOS;
	other.vmid = 0x80;

	while (fuzz_more(&in) && ops++ < 256) {
		u8 op = fuzz_u8(&in);
		struct rm_client *c = op & 0x80 ? &other : &host;

		switch (op & 7) {
		case 0:
		case 1:
			create(&in, op & 1, c);
			break;
		case 2:
			append(&in);
			break;
		case 3:
			if (nr_handles)
				reclaim(c, fuzz_u8(&in) % nr_handles, fuzz_u8(&in));
			break;
		case 4:
		case 5:
			access(&in);
			break;
		default: {
			/* A raw body for any of the four. */
			static const u32 ids[] = { RM_MEM_LEND, RM_MEM_SHARE, RM_MEM_APPEND,
						   RM_MEM_RECLAIM, 0x51000014 };
			u32 id = ids[fuzz_u8(&in) % ARRAY_SIZE(ids)];
			size_t len, rlen;
			u8 *body = fuzz_take(&in, fuzz_u16(&in) % 2048, &len);
			u32 err = request(c, id, body, len, &rlen);

			free(body);
			/* Parcels made this way are not tracked: take them back at once. */
			if (err == RM_OK && rlen == 4 && nr_handles < MAX_HANDLES) {
				handles[nr_handles] = rm_get_le32(reply);
				reclaim(&host, nr_handles++, 0);
			}
			break;
		}
		}
	}
	while (nr_handles) {
		u32 h = handles[nr_handles - 1];

		reclaim(&host, nr_handles - 1, 0);
		FUZZ_ASSERT(!nr_handles || handles[nr_handles - 1] != h);
	}
	env_check_clean();
	return 0;
}
