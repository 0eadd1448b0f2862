// SPDX-License-Identifier: GPL-2.0-only
/* Host tests of the memory ownership database (core/memdb.c). */
#include <string.h>
#include <test.h>
#include <hyp/gunyah_abi.h>
#include <hyp/memdb.h>

#define HLOS	3
#define HYP	0
#define GUEST	0x80

static struct memdb db;

static const struct memdb_attr owned_hlos = { HLOS, MEMDB_OWNED, 0, 0 };
static const struct memdb_attr lent_7 = { HLOS, MEMDB_LENT, GUEST, 7 };
static const struct memdb_attr shared_8 = { HLOS, MEMDB_SHARED, GUEST, 8 };

/* The boot layout: host RAM around the hypervisor's 64 MiB. */
static void setup(void)
{
	memdb_init(&db);
	REQUIRE_EQ(memdb_insert(&db, 0x40000000, 0x40000000, HLOS), 0);
	REQUIRE_EQ(memdb_insert(&db, 0x80000000, 0x4000000, HYP), 0);
	REQUIRE_EQ(memdb_insert(&db, 0x84000000, 0x3c000000, HLOS), 0);
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

TEST(insert_and_lookup)
{
	struct memdb_attr a;

	setup();
	CHECK_EQ(db.nr, 3);
	check_page(0x40000000, &owned_hlos);
	check_page(0x7ffff000, &owned_hlos);
	CHECK_EQ(memdb_lookup(&db, 0x80000000, &a), 0);
	CHECK_EQ(a.owner, HYP);
	check_page(0x84000000, &owned_hlos);
	check_page(0xbffff000, &owned_hlos);
	CHECK_EQ(memdb_lookup(&db, 0x3ffff000, &a), GUNYAH_ERROR_MEMDB_EMPTY);
	CHECK_EQ(memdb_lookup(&db, 0xc0000000, &a), GUNYAH_ERROR_MEMDB_EMPTY);
}

TEST(insert_errors)
{
	setup();
	CHECK_EQ(memdb_insert(&db, 0x7ffff000, 0x2000, HLOS),
		 GUNYAH_ERROR_ALLOCATOR_RANGE_OVERLAPPING);
	CHECK_EQ(memdb_insert(&db, 0x3ffff000, 0x2000, HLOS),
		 GUNYAH_ERROR_ALLOCATOR_RANGE_OVERLAPPING);
	CHECK_EQ(memdb_insert(&db, 0xc0000800, 0x1000, HLOS), GUNYAH_ERROR_ARG_ALIGN);
	CHECK_EQ(memdb_insert(&db, 0xc0000000, 0x800, HLOS), GUNYAH_ERROR_ARG_ALIGN);
	CHECK_EQ(memdb_insert(&db, 0xc0000000, 0, HLOS), GUNYAH_ERROR_ADDR_OVFL);
	CHECK_EQ(memdb_insert(&db, 0xfffffffffffff000UL, 0x2000, HLOS), GUNYAH_ERROR_ADDR_OVFL);
	CHECK_EQ(db.nr, 3);
	/* Adjacent and alike: merged into one range. */
	CHECK_EQ(memdb_insert(&db, 0xc0000000, 0x1000, HLOS), 0);
	CHECK_EQ(db.nr, 3);
	CHECK_EQ(db.ranges[2].size, 0x3c001000);
}

TEST(lend_splits_and_reclaim_merges)
{
	setup();
	CHECK_EQ(memdb_update(&db, 0x50000000, 0x200000, &owned_hlos, &lent_7), 0);
	CHECK_EQ(db.nr, 5);
	check_page(0x4ffff000, &owned_hlos);
	check_page(0x50000000, &lent_7);
	check_page(0x501ff000, &lent_7);
	check_page(0x50200000, &owned_hlos);

	/* Give it back: the three pieces become one range again. */
	CHECK_EQ(memdb_update(&db, 0x50000000, 0x200000, &lent_7, &owned_hlos), 0);
	CHECK_EQ(db.nr, 3);
	CHECK_EQ(db.ranges[0].base, 0x40000000);
	CHECK_EQ(db.ranges[0].size, 0x40000000);
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
	CHECK_EQ(db.nr, 5);
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
	setup();
	CHECK_EQ(memdb_update(&db, 0x50000800, 0x1000, &owned_hlos, &lent_7),
		 GUNYAH_ERROR_ARG_ALIGN);
	CHECK_EQ(memdb_update(&db, 0x50000000, 0, &owned_hlos, &lent_7), GUNYAH_ERROR_ADDR_OVFL);
	CHECK_EQ(memdb_update(&db, 0xfffffffffffff000UL, 0x2000, &owned_hlos, &lent_7),
		 GUNYAH_ERROR_ADDR_OVFL);
	CHECK_EQ(db.nr, 3);
}

TEST(full_database_refuses_without_changing)
{
	unsigned int n = 0;
	int ret = 0;
	paddr_t pa;

	setup();
	/* Every other page lent: each adds two ranges until the table is full. */
	for (pa = 0x40000000; !ret; pa += 0x2000, n++)
		ret = memdb_update(&db, pa, 0x1000, &owned_hlos, &lent_7);
	CHECK_EQ(ret, GUNYAH_ERROR_NOMEM);
	CHECK(db.nr <= MEMDB_MAX_RANGES);
	CHECK(db.nr + 2 > MEMDB_MAX_RANGES);
	/* The refused page is unchanged, the one before it is lent. */
	check_page(pa - 0x2000, &owned_hlos);
	check_page(pa - 0x4000, &lent_7);
	CHECK(n > 500);
}

TEST(many_cycles_leave_one_range)
{
	unsigned int i;

	setup();
	for (i = 0; i < 1000; i++) {
		paddr_t pa = 0x40000000 + (i % 97) * 0x3000;

		REQUIRE_EQ(memdb_update(&db, pa, 0x2000, &owned_hlos, &shared_8), 0);
		REQUIRE_EQ(memdb_update(&db, pa, 0x2000, &shared_8, &owned_hlos), 0);
	}
	CHECK_EQ(db.nr, 3);
}
