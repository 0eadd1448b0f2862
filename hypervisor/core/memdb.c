// SPDX-License-Identifier: GPL-2.0-only
/* The memory ownership database; see include/hyp/memdb.h. */
#include <string.h>
#include <hyp/gunyah_abi.h>
#include <hyp/memdb.h>

static bool attr_equal(const struct memdb_attr *a, const struct memdb_attr *b)
{
	return a->owner == b->owner && a->state == b->state && a->borrower == b->borrower &&
	       a->tag == b->tag;
}

static int memdb_check_range(paddr_t base, u64 size)
{
	if (!IS_ALIGNED(base | size, SZ_4K))
		return GUNYAH_ERROR_ARG_ALIGN;
	if (!size || base + size < base)
		return GUNYAH_ERROR_ADDR_OVFL;
	return 0;
}

void memdb_init(struct memdb *db)
{
	spin_lock_init(&db->lock);
	db->nr = 0;
}

/* Index of the first range that ends after @pa (db->nr if none). */
static unsigned int memdb_first_after(const struct memdb *db, paddr_t pa)
{
	unsigned int lo = 0, hi = db->nr;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (db->ranges[mid].base + db->ranges[mid].size <= pa)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void memdb_insert_at(struct memdb *db, unsigned int i, const struct memdb_range *r)
{
	memmove(&db->ranges[i + 1], &db->ranges[i], (db->nr - i) * sizeof(*r));
	db->ranges[i] = *r;
	db->nr++;
}

static void memdb_remove_at(struct memdb *db, unsigned int i)
{
	db->nr--;
	memmove(&db->ranges[i], &db->ranges[i + 1], (db->nr - i) * sizeof(db->ranges[0]));
}

/* Make a range boundary at @pa, if @pa falls inside a range. */
static void memdb_split(struct memdb *db, paddr_t pa)
{
	unsigned int i = memdb_first_after(db, pa);
	struct memdb_range *r = &db->ranges[i];
	struct memdb_range tail;

	if (i == db->nr || r->base >= pa)
		return;
	tail = *r;
	tail.base = pa;
	tail.size = r->base + r->size - pa;
	r->size = pa - r->base;
	memdb_insert_at(db, i + 1, &tail);
}

/*
 * Merge neighbours that touch and agree: the pairs (i, i + 1) for i from
 * @first - 1 to @last, i.e. the changed ranges and the one on each side.
 */
static void memdb_merge(struct memdb *db, unsigned int first, unsigned int last)
{
	int i = (int)first - 1, end = (int)last;

	if (i < 0)
		i = 0;
	while (i <= end && i + 1 < (int)db->nr) {
		struct memdb_range *a = &db->ranges[i], *b = &db->ranges[i + 1];

		if (a->base + a->size == b->base && attr_equal(&a->attr, &b->attr)) {
			a->size += b->size;
			memdb_remove_at(db, i + 1);
			end--;
		} else {
			i++;
		}
	}
}

int memdb_insert(struct memdb *db, paddr_t base, u64 size, u16 owner)
{
	struct memdb_range r = { base, size, { owner, MEMDB_OWNED, 0, 0 } };
	unsigned int i;
	int ret = memdb_check_range(base, size);

	if (ret)
		return ret;
	spin_lock(&db->lock);
	i = memdb_first_after(db, base);
	if (i < db->nr && db->ranges[i].base < base + size)
		ret = GUNYAH_ERROR_ALLOCATOR_RANGE_OVERLAPPING;
	else if (db->nr == MEMDB_MAX_RANGES)
		ret = GUNYAH_ERROR_NOMEM;
	if (!ret) {
		memdb_insert_at(db, i, &r);
		memdb_merge(db, i, i);
	}
	spin_unlock(&db->lock);
	return ret;
}

/* Under the lock: is every page of [base, end) exactly @from? */
static int memdb_check_all(const struct memdb *db, paddr_t base, paddr_t end,
			   const struct memdb_attr *from, unsigned int *first)
{
	unsigned int i = memdb_first_after(db, base);
	paddr_t next = base;

	*first = i;
	for (; next < end; i++) {
		const struct memdb_range *r = &db->ranges[i];

		if (i == db->nr || r->base > next)
			return GUNYAH_ERROR_MEMDB_EMPTY;
		if (!attr_equal(&r->attr, from))
			return GUNYAH_ERROR_MEMDB_NOT_OWNER;
		next = r->base + r->size;
	}
	return 0;
}

int memdb_update(struct memdb *db, paddr_t base, u64 size, const struct memdb_attr *from,
		 const struct memdb_attr *to)
{
	paddr_t end = base + size;
	unsigned int first, last, i;
	int ret = memdb_check_range(base, size);

	if (ret)
		return ret;
	spin_lock(&db->lock);
	ret = memdb_check_all(db, base, end, from, &first);
	/* Splitting at both ends adds at most two ranges. */
	if (!ret && db->nr + 2 > MEMDB_MAX_RANGES)
		ret = GUNYAH_ERROR_NOMEM;
	if (!ret) {
		memdb_split(db, base);
		memdb_split(db, end);
		first = memdb_first_after(db, base);
		for (i = first; i < db->nr && db->ranges[i].base < end; i++)
			db->ranges[i].attr = *to;
		last = i - 1;
		memdb_merge(db, first, last);
	}
	spin_unlock(&db->lock);
	return ret;
}

int memdb_lookup(struct memdb *db, paddr_t pa, struct memdb_attr *attr)
{
	unsigned int i;
	int ret = GUNYAH_ERROR_MEMDB_EMPTY;

	spin_lock(&db->lock);
	i = memdb_first_after(db, pa);
	if (i < db->nr && db->ranges[i].base <= pa) {
		*attr = db->ranges[i].attr;
		ret = 0;
	}
	spin_unlock(&db->lock);
	return ret;
}
