/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The memory ownership database: for every physical page the hypervisor
 * knows, who owns it and who may use it. One 8-byte record per 4 KiB page
 * of each RAM region, so that lookups are O(1) and a parcel of scattered
 * pages costs no more than a contiguous one. A change applies to a whole
 * range or not at all: every page in it must be in the expected state
 * first. Pure logic, unit-tested on the host.
 */
#ifndef HYP_MEMDB_H
#define HYP_MEMDB_H

#include <hyp/spinlock.h>
#include <hyp/types.h>

#define MEMDB_MAX_REGIONS	8
/* Parcel handles are recorded in 30 bits. */
#define MEMDB_TAG_MAX		((1U << 30) - 1)

enum memdb_state {
	MEMDB_OWNED,	/* only the owner uses it */
	MEMDB_LENT,	/* the borrower uses it, the owner may not */
	MEMDB_SHARED,	/* owner and borrower both use it */
};

/* What a page is: owner, state, the other VM and the parcel it came in. */
struct memdb_attr {
	u16 owner;
	enum memdb_state state;
	u16 borrower;		/* LENT / SHARED only, else 0 */
	u32 tag;		/* the parcel handle, LENT / SHARED only, else 0 */
};

/*
 * The record of one page. Aligned to its size, so that comparing and
 * setting one is a single 8-byte access even under -mstrict-align: a
 * range of pages costs a few instructions per page.
 */
struct memdb_page {
	u16 owner;
	u16 borrower;
	u32 state_tag;		/* state in bits 31:30, tag in 29:0 */
} __attribute__((aligned(8)));

struct memdb_region {
	paddr_t base;
	u64 pages;
	struct memdb_page *page;
};

struct memdb {
	spinlock_t lock;
	unsigned int nr;
	struct memdb_region regions[MEMDB_MAX_REGIONS];
};

void memdb_init(struct memdb *db);

/* Bytes of records memdb_insert() needs for @size bytes of memory. */
static inline size_t memdb_records_size(u64 size)
{
	return (size / SZ_4K) * sizeof(struct memdb_page);
}

/*
 * Record [@base, @base + @size), not yet known, as owned by @owner, using
 * @records (memdb_records_size(@size) bytes) for it. Returns 0,
 * GUNYAH_ERROR_ARG_ALIGN, GUNYAH_ERROR_ADDR_OVFL,
 * GUNYAH_ERROR_ALLOCATOR_RANGE_OVERLAPPING or GUNYAH_ERROR_NOMEM (no
 * region left).
 */
int memdb_insert(struct memdb *db, paddr_t base, u64 size, u16 owner, void *records);

/*
 * Change [@base, @base + @size) from @from to @to, if every page of it is
 * exactly @from. Returns 0, GUNYAH_ERROR_ARG_ALIGN, GUNYAH_ERROR_ADDR_OVFL,
 * GUNYAH_ERROR_ARG_INVAL (a tag above MEMDB_TAG_MAX),
 * GUNYAH_ERROR_MEMDB_EMPTY (a page the database does not know) or
 * GUNYAH_ERROR_MEMDB_NOT_OWNER (a page in another state); nothing changes
 * on error.
 */
int memdb_update(struct memdb *db, paddr_t base, u64 size, const struct memdb_attr *from,
		 const struct memdb_attr *to);

/* The hypervisor's database, filled at boot (core/host_vm.c). */
extern struct memdb hyp_memdb;

/* The attributes of the page at @pa: 0, or GUNYAH_ERROR_MEMDB_EMPTY. */
int memdb_lookup(struct memdb *db, paddr_t pa, struct memdb_attr *attr);

/*
 * Is every page of [@base, @base + @size) lent or shared to @borrower?
 * Returns 0, GUNYAH_ERROR_ARG_ALIGN, GUNYAH_ERROR_ADDR_OVFL,
 * GUNYAH_ERROR_MEMDB_EMPTY (a page the database does not know) or
 * GUNYAH_ERROR_MEMDB_NOT_OWNER (a page that is not). One look under the
 * lock for the whole range, rather than memdb_lookup() per page.
 */
int memdb_check_borrower(struct memdb *db, paddr_t base, u64 size, u16 borrower);

#endif
