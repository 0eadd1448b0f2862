/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The memory ownership database: for every physical page the hypervisor
 * knows, who owns it and who may use it. Memory is recorded as sorted,
 * non-overlapping ranges that are merged whenever neighbours agree. A
 * change applies to a whole range or not at all: every page in it must be
 * in the expected state first. Pure logic, unit-tested on the host.
 */
#ifndef HYP_MEMDB_H
#define HYP_MEMDB_H

#include <hyp/spinlock.h>
#include <hyp/types.h>

#define MEMDB_MAX_RANGES	4096

enum memdb_state {
	MEMDB_OWNED,	/* only the owner uses it */
	MEMDB_LENT,	/* the borrower uses it, the owner may not */
	MEMDB_SHARED,	/* owner and borrower both use it */
};

/* What a range is: owner, state, the other VM and the parcel it came in. */
struct memdb_attr {
	u16 owner;
	enum memdb_state state;
	u16 borrower;		/* LENT / SHARED only, else 0 */
	u32 tag;		/* the parcel handle, LENT / SHARED only, else 0 */
};

struct memdb_range {
	paddr_t base;
	u64 size;
	struct memdb_attr attr;
};

struct memdb {
	spinlock_t lock;
	unsigned int nr;
	struct memdb_range ranges[MEMDB_MAX_RANGES];
};

void memdb_init(struct memdb *db);

/*
 * Record [@base, @base + @size), not yet known, as owned by @owner.
 * Returns 0, GUNYAH_ERROR_ARG_ALIGN, GUNYAH_ERROR_ADDR_OVFL,
 * GUNYAH_ERROR_ALLOCATOR_RANGE_OVERLAPPING or GUNYAH_ERROR_NOMEM.
 */
int memdb_insert(struct memdb *db, paddr_t base, u64 size, u16 owner);

/*
 * Change [@base, @base + @size) from @from to @to, if every page of it is
 * exactly @from. Returns 0, GUNYAH_ERROR_ARG_ALIGN, GUNYAH_ERROR_ADDR_OVFL,
 * GUNYAH_ERROR_MEMDB_EMPTY (a page the database does not know),
 * GUNYAH_ERROR_MEMDB_NOT_OWNER (a page in another state) or
 * GUNYAH_ERROR_NOMEM (no room to split); nothing changes on error.
 */
int memdb_update(struct memdb *db, paddr_t base, u64 size, const struct memdb_attr *from,
		 const struct memdb_attr *to);

/* The hypervisor's database, filled at boot (core/host_vm.c). */
extern struct memdb hyp_memdb;

/* The attributes of the page at @pa: 0, or GUNYAH_ERROR_MEMDB_EMPTY. */
int memdb_lookup(struct memdb *db, paddr_t pa, struct memdb_attr *attr);

#endif
