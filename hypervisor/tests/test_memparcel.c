// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of rm/memparcel.c on its own, against a fake hypervisor that
 * serves the RM's hypercalls (rm_hvc()) on a real ownership record, and
 * records every stage-2 map and unmap the RM asks for.
 */
#include <stdarg.h>
#include <string.h>
#include <hyp/console.h>
#include <hyp/gunyah_abi.h>
#include <hyp/memdb.h>
#include <hyp/vm.h>
#include <rm/hypcall.h>
#include <rm/memparcel.h>
#include <rm/rm.h>
#include "test.h"

#define HOST_BASE	0x50000000UL
#define HOST_SIZE	0x100000UL
#define BORROWER	0x80

struct memdb hyp_memdb;
static struct memdb_page records[HOST_SIZE / SZ_4K];

void hyp_log_prefix(const char *prefix, const char *fmt, ...)
{
}

bool rm_vm_owned_by(u16 vmid, u16 owner)
{
	return vmid == BORROWER && owner == VMID_HLOS;
}

static int host_mem_give(paddr_t base, u64 size, bool lend, u16 borrower, u32 tag)
{
	const struct memdb_attr from = { VMID_HLOS, MEMDB_OWNED, 0, 0 };
	const struct memdb_attr to = { VMID_HLOS, lend ? MEMDB_LENT : MEMDB_SHARED, borrower,
				       tag };

	return memdb_update(&hyp_memdb, base, size, &from, &to);
}

static int host_mem_take_back(paddr_t base, u64 size, bool lend, u16 borrower, u32 tag,
			   bool sanitize)
{
	const struct memdb_attr from = { VMID_HLOS, lend ? MEMDB_LENT : MEMDB_SHARED, borrower,
					 tag };
	const struct memdb_attr to = { VMID_HLOS, MEMDB_OWNED, 0, 0 };

	return memdb_update(&hyp_memdb, base, size, &from, &to);
}

/* The guest's stage 2: the calls, in order; map call @fail_at fails. */
struct s2_call {
	bool map;
	u64 ipa, size;
};

struct hyp_guest {
	struct s2_call calls[16];
	unsigned int nr_calls, maps, fail_at;
};

static int guest_map(struct hyp_guest *g, u64 ipa, paddr_t pa, u64 size, unsigned int prot)
{
	if (g->nr_calls < 16)
		g->calls[g->nr_calls++] = (struct s2_call){ true, ipa, size };
	return ++g->maps == g->fail_at ? GUNYAH_ERROR_NOMEM : 0;
}

static int guest_unmap(struct hyp_guest *g, u64 ipa, u64 size)
{
	if (g->nr_calls < 16)
		g->calls[g->nr_calls++] = (struct s2_call){ false, ipa, size };
	return 0;
}

/* The guest the RM names by capability GUEST_CAP. */
#define GUEST_CAP	5
static struct hyp_guest *guest;

/* The hypervisor's side of the calls memparcel.c makes; host memory is not readable. */
void rm_hvc(u64 r[SMCCC_NR_REGS])
{
	u32 num = r[0] - GUNYAH_HYPCALL_FID(0);
	bool known_guest = r[1] == GUEST_CAP && guest;

	switch (num) {
	case HYP_HYPCALL_HOST_MEM_GIVE:
		r[0] = host_mem_give(r[1], r[2], r[3] & HYP_HOST_MEM_LEND, r[4], r[5]);
		break;
	case HYP_HYPCALL_HOST_MEM_TAKE_BACK:
		r[0] = host_mem_take_back(r[1], r[2], r[3] & HYP_HOST_MEM_LEND, r[4], r[5],
					  r[3] & HYP_HOST_MEM_SANITIZE);
		break;
	case HYP_HYPCALL_ADDRSPACE_MAP_PA:
		r[0] = (s64)(known_guest ? guest_map(guest, r[2], r[3], r[4], r[5]) :
				     GUNYAH_ERROR_CSPACE_CAP_NULL);
		break;
	case HYP_HYPCALL_ADDRSPACE_UNMAP_PA:
		r[0] = (s64)(known_guest ? guest_unmap(guest, r[2], r[3]) :
				     GUNYAH_ERROR_CSPACE_CAP_NULL);
		break;
	case HYP_HYPCALL_HOST_MEM_READ:
	case HYP_HYPCALL_HOST_MEM_WRITE:
		r[0] = GUNYAH_ERROR_ADDR_INVAL;
		break;
	default:
		r[0] = (u64)GUNYAH_ERROR_UNIMPLEMENTED;
		break;
	}
}

static struct rm_client host = { .vmid = VMID_HLOS };

static void reset(void)
{
	memdb_init(&hyp_memdb);
	memdb_insert(&hyp_memdb, HOST_BASE, HOST_SIZE, VMID_HLOS, records);
	rm_memparcel_init();
}

/* MEM_LEND of @n ranges of @pages[i] pages each, to BORROWER: the handle, or 0. */
static u32 lend(unsigned int n, const unsigned int *pages)
{
	u8 body[8 + 8 + 4 + 16 * 4 + 4] = { 0 }, reply[16];
	struct rm_request req = {
		.client = &host, .msg_id = RM_MEM_LEND, .data = body, .reply = reply,
	};
	size_t off = 8;
	u64 base = HOST_BASE;
	unsigned int i;

	rm_put_le16(body + off, 1);
	rm_put_le16(body + off + 4, BORROWER);
	body[off + 6] = 0x6;
	off += 8;
	rm_put_le16(body + off, n);
	off += 4;
	for (i = 0; i < n; i++, off += 16) {
		rm_put_le32(body + off, (u32)base);
		rm_put_le32(body + off + 8, pages[i] * SZ_4K);
		base += pages[i] * SZ_4K;
	}
	off += 4;	/* no attributes */
	req.len = off;
	if (rm_memparcel_handle(&req) != RM_OK || req.reply_len != 4)
		return 0;
	return rm_get_le32(reply);
}

TEST(map_maps_every_range_contiguously)
{
	static const unsigned int pages[] = { 1, 2, 3 };
	struct hyp_guest g = { .fail_at = 0 };
	u64 total = 0;
	unsigned int i;
	u32 h;

	reset();
	h = lend(3, pages);
	REQUIRE(h != 0);
	CHECK_EQ(rm_memparcel_map(h, VMID_HLOS, BORROWER, (guest = &g, GUEST_CAP), 0x80000000UL), 0);
	REQUIRE_EQ(g.nr_calls, 3);
	for (i = 0; i < 3; i++) {
		CHECK(g.calls[i].map);
		total += g.calls[i].size;
	}
	CHECK_EQ(total, 6 * SZ_4K);
}

/*
 * A map that fails on its second range undoes the first and the second
 * (which may be mapped in part), and leaves the third range's addresses
 * alone: it never mapped anything there.
 */
TEST(failed_map_unmaps_only_what_it_tried)
{
	static const unsigned int pages[] = { 1, 2, 3 };
	struct hyp_guest g = { .fail_at = 2 };
	unsigned int i, maps = 0, unmaps = 0;
	u32 h;

	reset();
	h = lend(3, pages);
	REQUIRE(h != 0);
	CHECK_EQ(rm_memparcel_map(h, VMID_HLOS, BORROWER, (guest = &g, GUEST_CAP), 0x80000000UL),
		 GUNYAH_ERROR_NOMEM);
	for (i = 0; i < g.nr_calls; i++) {
		unsigned int j;
		bool was_tried = false;

		if (g.calls[i].map) {
			maps++;
			continue;
		}
		unmaps++;
		/* Every unmap is of a range a map call was made for. */
		for (j = 0; j < i; j++)
			if (g.calls[j].map && g.calls[j].ipa == g.calls[i].ipa &&
			    g.calls[j].size == g.calls[i].size)
				was_tried = true;
		if (!CHECK(was_tried))
			printf("#     unmap of %#lx + %#lx never mapped\n",
			       (unsigned long)g.calls[i].ipa, (unsigned long)g.calls[i].size);
	}
	CHECK_EQ(maps, 2);
	CHECK_EQ(unmaps, 2);
	/* Not mapped: a second try may map it. */
	g.fail_at = 0;
	g.nr_calls = 0;
	CHECK_EQ(rm_memparcel_map(h, VMID_HLOS, BORROWER, (guest = &g, GUEST_CAP), 0x80000000UL), 0);
}
