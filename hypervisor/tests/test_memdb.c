// SPDX-License-Identifier: GPL-2.0-only
/* Host tests of the memory ownership database (core/memdb.c). */
#include <stdlib.h>
#include <string.h>
#include <test.h>
#include <hyp/gunyah_abi.h>
#include <hyp/memdb.h>

#define HLOS	3
#define HYP	0
#define GUEST	0x80

static struct memdb db;
static struct memdb_page low[0x40000000 / 4096];
static struct memdb_page hyp[0x4000000 / 4096];
static struct memdb_page high[0x3c000000 / 4096];

static const struct memdb_attr owned_hlos = { HLOS, MEMDB_OWNED, 0, 0 };
static const struct memdb_attr lent_7 = { HLOS, MEMDB_LENT, GUEST, 7 };
static const struct memdb_attr shared_8 = { HLOS, MEMDB_SHARED, GUEST, 8 };

/* The boot layout: host RAM around the hypervisor's 64 MiB. */
static void setup(void)
{
	memdb_init(&db);
	REQUIRE_EQ(memdb_insert(&db, 0x40000000, 0x40000000, HLOS, low), 0);
	REQUIRE_EQ(memdb_insert(&db, 0x80000000, 0x4000000, HYP, hyp), 0);
	REQUIRE_EQ(memdb_insert(&db, 0x84000000, 0x3c000000, HLOS, high), 0);
}

static int check_page(paddr_t pa, const struct memdb_attr *want)
{
	struct memdb_attr got;
	int ok = CHECK_EQ(memdb_lookup(&db, pa, &got), 0);

	ok = ok && CHECK_EQ(got.owner, want->owner) && CHECK_EQ(got.state, want->state) &&
	     CHECK_EQ(got.borrower, want->borrower) && CHECK_EQ(got.tag, want->tag);
	if (!ok)
		printf("#     at %#lx\n", (unsigned long)pa);
	return ok;
}

TEST(records_size)
{
	CHECK_EQ(sizeof(struct memdb_page), 8);
	CHECK_EQ(memdb_records_size(0x80000000UL), 4UL << 20);
}

TEST(insert_and_lookup)
{
	struct memdb_attr a;

	setup();
	check_page(0x40000000, &owned_hlos);
	check_page(0x7ffff000, &owned_hlos);
	check_page(0x7fffffff, &owned_hlos);
	CHECK_EQ(memdb_lookup(&db, 0x80000000, &a), 0);
	CHECK_EQ(a.owner, HYP);
	check_page(0x84000000, &owned_hlos);
	check_page(0xbffff000, &owned_hlos);
	CHECK_EQ(memdb_lookup(&db, 0x3ffff000, &a), GUNYAH_ERROR_MEMDB_EMPTY);
	CHECK_EQ(memdb_lookup(&db, 0xc0000000, &a), GUNYAH_ERROR_MEMDB_EMPTY);
}

TEST(insert_errors)
{
	static struct memdb_page more[16];
	unsigned int i;

	setup();
	CHECK_EQ(memdb_insert(&db, 0x7ffff000, 0x2000, HLOS, more),
		 GUNYAH_ERROR_ALLOCATOR_RANGE_OVERLAPPING);
	CHECK_EQ(memdb_insert(&db, 0x3ffff000, 0x2000, HLOS, more),
		 GUNYAH_ERROR_ALLOCATOR_RANGE_OVERLAPPING);
	CHECK_EQ(memdb_insert(&db, 0xc0000800, 0x1000, HLOS, more), GUNYAH_ERROR_ARG_ALIGN);
	CHECK_EQ(memdb_insert(&db, 0xc0000000, 0x800, HLOS, more), GUNYAH_ERROR_ARG_ALIGN);
	CHECK_EQ(memdb_insert(&db, 0xc0000000, 0, HLOS, more), GUNYAH_ERROR_ADDR_OVFL);
	CHECK_EQ(memdb_insert(&db, 0xfffffffffffff000UL, 0x2000, HLOS, more),
		 GUNYAH_ERROR_ADDR_OVFL);
	/* Regions run out. */
	for (i = 3; i < MEMDB_MAX_REGIONS; i++)
		CHECK_EQ(memdb_insert(&db, 0x100000000UL + i * 0x2000, 0x1000, HLOS, more + i), 0);
	CHECK_EQ(memdb_insert(&db, 0x200000000UL, 0x1000, HLOS, more), GUNYAH_ERROR_NOMEM);
}

TEST(lend_and_reclaim)
{
	setup();
	CHECK_EQ(memdb_update(&db, 0x50000000, 0x200000, &owned_hlos, &lent_7), 0);
	check_page(0x4ffff000, &owned_hlos);
	check_page(0x50000000, &lent_7);
	check_page(0x501ff000, &lent_7);
	check_page(0x50200000, &owned_hlos);
	CHECK_EQ(memdb_update(&db, 0x50000000, 0x200000, &lent_7, &owned_hlos), 0);
	check_page(0x50000000, &owned_hlos);
	check_page(0x501ff000, &owned_hlos);
}

TEST(update_is_all_or_nothing)
{
	setup();
	CHECK_EQ(memdb_update(&db, 0x50001000, 0x1000, &owned_hlos, &shared_8), 0);
	/* One page in the middle is already shared: nothing changes. */
	CHECK_EQ(memdb_update(&db, 0x50000000, 0x4000, &owned_hlos, &lent_7),
		 GUNYAH_ERROR_MEMDB_NOT_OWNER);
	check_page(0x50000000, &owned_hlos);
	check_page(0x50001000, &shared_8);
	check_page(0x50002000, &owned_hlos);
	/* Crossing into the hypervisor's memory, or beyond RAM. */
	CHECK_EQ(memdb_update(&db, 0x7ffff000, 0x2000, &owned_hlos, &lent_7),
		 GUNYAH_ERROR_MEMDB_NOT_OWNER);
	CHECK_EQ(memdb_update(&db, 0xbffff000, 0x2000, &owned_hlos, &lent_7),
		 GUNYAH_ERROR_MEMDB_EMPTY);
	CHECK_EQ(memdb_update(&db, 0x3ffff000, 0x2000, &owned_hlos, &lent_7),
		 GUNYAH_ERROR_MEMDB_EMPTY);
	check_page(0x7ffff000, &owned_hlos);
	check_page(0xbffff000, &owned_hlos);
}

TEST(ranges_across_touching_regions)
{
	static const struct memdb_attr hyp_owned = { HYP, MEMDB_OWNED, 0, 0 };
	static const struct memdb_attr hyp_lent = { HYP, MEMDB_LENT, GUEST, 1 };

	setup();
	/* The hypervisor's region and the host's above touch: one owner must match. */
	CHECK_EQ(memdb_update(&db, 0x83fff000, 0x2000, &hyp_owned, &hyp_lent),
		 GUNYAH_ERROR_MEMDB_NOT_OWNER);
	CHECK_EQ(memdb_update(&db, 0x83ffe000, 0x2000, &hyp_owned, &hyp_lent), 0);
	check_page(0x83fff000, &hyp_lent);
	check_page(0x84000000, &owned_hlos);
}

TEST(reclaim_needs_the_same_parcel)
{
	static const struct memdb_attr lent_9 = { HLOS, MEMDB_LENT, GUEST, 9 };
	static const struct memdb_attr lent_other = { HLOS, MEMDB_LENT, GUEST + 1, 7 };

	setup();
	CHECK_EQ(memdb_update(&db, 0x60000000, 0x10000, &owned_hlos, &lent_7), 0);
	CHECK_EQ(memdb_update(&db, 0x60000000, 0x10000, &lent_9, &owned_hlos),
		 GUNYAH_ERROR_MEMDB_NOT_OWNER);
	CHECK_EQ(memdb_update(&db, 0x60000000, 0x10000, &lent_other, &owned_hlos),
		 GUNYAH_ERROR_MEMDB_NOT_OWNER);
	/* Part of a parcel can be given back, the rest stays lent. */
	CHECK_EQ(memdb_update(&db, 0x60008000, 0x8000, &lent_7, &owned_hlos), 0);
	check_page(0x60007000, &lent_7);
	check_page(0x60008000, &owned_hlos);
}

TEST(update_errors)
{
	static const struct memdb_attr big_tag = { HLOS, MEMDB_LENT, GUEST, MEMDB_TAG_MAX + 1 };

	setup();
	CHECK_EQ(memdb_update(&db, 0x50000800, 0x1000, &owned_hlos, &lent_7),
		 GUNYAH_ERROR_ARG_ALIGN);
	CHECK_EQ(memdb_update(&db, 0x50000000, 0, &owned_hlos, &lent_7), GUNYAH_ERROR_ADDR_OVFL);
	CHECK_EQ(memdb_update(&db, 0xfffffffffffff000UL, 0x2000, &owned_hlos, &lent_7),
		 GUNYAH_ERROR_ADDR_OVFL);
	CHECK_EQ(memdb_update(&db, 0x50000000, 0x1000, &owned_hlos, &big_tag),
		 GUNYAH_ERROR_ARG_INVAL);
	check_page(0x50000000, &owned_hlos);
}

TEST(scattered_pages_cost_nothing_more)
{
	unsigned int i;

	setup();
	/* 16384 separate pages lent (64 MiB worth), then all given back. */
	for (i = 0; i < 16384; i++)
		REQUIRE_EQ(memdb_update(&db, 0x40000000 + 0x2000UL * i, 0x1000, &owned_hlos,
					&lent_7), 0);
	check_page(0x40000000 + 0x2000UL * 16383, &lent_7);
	check_page(0x40001000 + 0x2000UL * 16383, &owned_hlos);
	for (i = 0; i < 16384; i++)
		REQUIRE_EQ(memdb_update(&db, 0x40000000 + 0x2000UL * i, 0x1000, &lent_7,
					&owned_hlos), 0);
	check_page(0x40000000, &owned_hlos);
}

TEST(check_borrower)
{
	static const struct memdb_attr lent_other = { HLOS, MEMDB_LENT, GUEST + 1, 7 };

	setup();
	CHECK_EQ(memdb_update(&db, 0x50000000, 0x4000, &owned_hlos, &lent_7), 0);
	CHECK_EQ(memdb_update(&db, 0x50004000, 0x4000, &owned_hlos, &shared_8), 0);
	/* Lent or shared to it, every page: yes, for the whole or any part. */
	CHECK_EQ(memdb_check_borrower(&db, 0x50000000, 0x8000, GUEST), 0);
	CHECK_EQ(memdb_check_borrower(&db, 0x50003000, 0x2000, GUEST), 0);
	/* To another VM, or one page beyond, or the owner's own: no. */
	CHECK_EQ(memdb_check_borrower(&db, 0x50000000, 0x8000, GUEST + 1),
		 GUNYAH_ERROR_MEMDB_NOT_OWNER);
	CHECK_EQ(memdb_check_borrower(&db, 0x50000000, 0x9000, GUEST),
		 GUNYAH_ERROR_MEMDB_NOT_OWNER);
	CHECK_EQ(memdb_check_borrower(&db, 0x4ffff000, 0x2000, GUEST),
		 GUNYAH_ERROR_MEMDB_NOT_OWNER);
	CHECK_EQ(memdb_update(&db, 0x50002000, 0x1000, &lent_7, &owned_hlos), 0);
	CHECK_EQ(memdb_update(&db, 0x50002000, 0x1000, &owned_hlos, &lent_other), 0);
	CHECK_EQ(memdb_check_borrower(&db, 0x50000000, 0x8000, GUEST),
		 GUNYAH_ERROR_MEMDB_NOT_OWNER);
	/* Unknown memory, bad ranges. */
	CHECK_EQ(memdb_check_borrower(&db, 0xc0000000, 0x1000, GUEST), GUNYAH_ERROR_MEMDB_EMPTY);
	CHECK_EQ(memdb_check_borrower(&db, 0x50000800, 0x1000, GUEST), GUNYAH_ERROR_ARG_ALIGN);
	CHECK_EQ(memdb_check_borrower(&db, 0x50000000, 0, GUEST), GUNYAH_ERROR_ADDR_OVFL);
}
