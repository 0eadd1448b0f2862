// SPDX-License-Identifier: GPL-2.0-only
/* The memory ownership database; see include/hyp/memdb.h. */
#include <hyp/gunyah_abi.h>
#include <hyp/memdb.h>

#define STATE_SHIFT	30

static struct memdb_page memdb_encode(const struct memdb_attr *a)
{
	return (struct memdb_page){
		.owner = a->owner,
		.borrower = a->borrower,
		.state_tag = ((u32)a->state << STATE_SHIFT) | a->tag,
	};
}

static void memdb_decode(const struct memdb_page *p, struct memdb_attr *a)
{
	a->owner = p->owner;
	a->borrower = p->borrower;
	a->state = p->state_tag >> STATE_SHIFT;
	a->tag = p->state_tag & MEMDB_TAG_MAX;
}

/* A record as one word: records are 8-byte aligned (memdb.h). */
typedef u64 __attribute__((may_alias)) memdb_word_t;

static u64 page_bits(const struct memdb_page *p)
{
	return *(const memdb_word_t *)p;
}

_Static_assert(sizeof(struct memdb_page) == sizeof(u64), "a record is one word");

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

/* The region holding [base, base + size) entirely, or NULL. */
static struct memdb_region *memdb_region(struct memdb *db, paddr_t base, u64 size)
{
	unsigned int i;

	for (i = 0; i < db->nr; i++) {
		struct memdb_region *r = &db->regions[i];
		u64 end = r->base + r->pages * SZ_4K;

		if (base >= r->base && base + size <= end)
			return r;
	}
	return NULL;
}

int memdb_insert(struct memdb *db, paddr_t base, u64 size, u16 owner, void *records)
{
	const struct memdb_attr a = { owner, MEMDB_OWNED, 0, 0 };
	struct memdb_page rec = memdb_encode(&a);
	struct memdb_region *r;
	unsigned int i;
	u64 p;
	int ret = memdb_check_range(base, size);

	if (ret)
		return ret;
	spin_lock(&db->lock);
	for (i = 0; i < db->nr && !ret; i++) {
		r = &db->regions[i];
		if (base < r->base + r->pages * SZ_4K && r->base < base + size)
			ret = GUNYAH_ERROR_ALLOCATOR_RANGE_OVERLAPPING;
	}
	if (!ret && db->nr == MEMDB_MAX_REGIONS)
		ret = GUNYAH_ERROR_NOMEM;
	if (!ret) {
		r = &db->regions[db->nr++];
		r->base = base;
		r->pages = size / SZ_4K;
		r->page = records;
		for (p = 0; p < r->pages; p++)
			r->page[p] = rec;
	}
	spin_unlock(&db->lock);
	return ret;
}

/*
 * Under the lock: is every page of [base, base + size) exactly @from? A
 * range may span regions that touch.
 */
static int memdb_check_all(struct memdb *db, paddr_t base, u64 size,
			   const struct memdb_page *from)
{
	const u64 bits = page_bits(from);

	while (size) {
		struct memdb_region *r = memdb_region(db, base, SZ_4K);
		u64 first, n, p;

		if (!r)
			return GUNYAH_ERROR_MEMDB_EMPTY;
		first = (base - r->base) / SZ_4K;
		n = MIN(size / SZ_4K, r->pages - first);
		for (p = first; p < first + n; p++)
			if (page_bits(&r->page[p]) != bits)
				return GUNYAH_ERROR_MEMDB_NOT_OWNER;
		base += n * SZ_4K;
		size -= n * SZ_4K;
	}
	return 0;
}

static void memdb_set_all(struct memdb *db, paddr_t base, u64 size, const struct memdb_page *to)
{
	const u64 bits = page_bits(to);

	while (size) {
		struct memdb_region *r = memdb_region(db, base, SZ_4K);
		u64 first = (base - r->base) / SZ_4K;
		u64 n = MIN(size / SZ_4K, r->pages - first), p;

		for (p = first; p < first + n; p++)
			*(memdb_word_t *)&r->page[p] = bits;
		base += n * SZ_4K;
		size -= n * SZ_4K;
	}
}

int memdb_update(struct memdb *db, paddr_t base, u64 size, const struct memdb_attr *from,
		 const struct memdb_attr *to)
{
	struct memdb_page f, t;
	int ret = memdb_check_range(base, size);

	if (ret)
		return ret;
	if (from->tag > MEMDB_TAG_MAX || to->tag > MEMDB_TAG_MAX)
		return GUNYAH_ERROR_ARG_INVAL;
	f = memdb_encode(from);
	t = memdb_encode(to);
	spin_lock(&db->lock);
	ret = memdb_check_all(db, base, size, &f);
	if (!ret)
		memdb_set_all(db, base, size, &t);
	spin_unlock(&db->lock);
	return ret;
}

int memdb_check_borrower(struct memdb *db, paddr_t base, u64 size, u16 borrower)
{
	int ret = memdb_check_range(base, size);

	if (ret)
		return ret;
	spin_lock(&db->lock);
	while (size && !ret) {
		struct memdb_region *r = memdb_region(db, base, SZ_4K);
		u64 first, n, p;

		if (!r) {
			ret = GUNYAH_ERROR_MEMDB_EMPTY;
			break;
		}
		first = (base - r->base) / SZ_4K;
		n = MIN(size / SZ_4K, r->pages - first);
		for (p = first; p < first + n; p++) {
			const struct memdb_page *pg = &r->page[p];

			if (pg->borrower != borrower ||
			    pg->state_tag >> STATE_SHIFT == MEMDB_OWNED) {
				ret = GUNYAH_ERROR_MEMDB_NOT_OWNER;
				break;
			}
		}
		base += n * SZ_4K;
		size -= n * SZ_4K;
	}
	spin_unlock(&db->lock);
	return ret;
}

int memdb_lookup(struct memdb *db, paddr_t pa, struct memdb_attr *attr)
{
	struct memdb_region *r;
	int ret = GUNYAH_ERROR_MEMDB_EMPTY;

	spin_lock(&db->lock);
	r = memdb_region(db, ALIGN_DOWN(pa, SZ_4K), SZ_4K);
	if (r) {
		memdb_decode(&r->page[(ALIGN_DOWN(pa, SZ_4K) - r->base) / SZ_4K], attr);
		ret = 0;
	}
	spin_unlock(&db->lock);
	return ret;
}
