// SPDX-License-Identifier: GPL-2.0-only
/*
 * Page pool: pages never handed out are taken from the top of an untouched
 * region, freed pages go to a free list. Used before the MMU is on (for the
 * first EL2 tables), so the lock is taken only once other CPUs run.
 */
#include <hyp/alloc.h>
#include <hyp/spinlock.h>

struct free_page {
	struct free_page *next;
};

static struct {
	spinlock_t lock;
	paddr_t next;		/* first never-used page */
	paddr_t end;
	struct free_page *free;
	u64 nr_free;
} pool;

/* Set once another CPU may allocate: from then on, lock. */
bool page_pool_smp;

void page_pool_init(paddr_t base, u64 size)
{
	spin_lock_init(&pool.lock);
	pool.next = ALIGN_UP(base, SZ_4K);
	pool.end = ALIGN_DOWN(base + size, SZ_4K);
	pool.free = NULL;
	pool.nr_free = pool.end > pool.next ? (pool.end - pool.next) / SZ_4K : 0;
}

static void page_zero(void *page)
{
	u64 *p = page;
	unsigned int i;

	for (i = 0; i < SZ_4K / sizeof(u64); i++)
		p[i] = 0;
}

void *page_alloc(void)
{
	void *page = NULL;

	if (page_pool_smp)
		spin_lock(&pool.lock);
	if (pool.free) {
		page = pool.free;
		pool.free = pool.free->next;
	} else if (pool.next < pool.end) {
		page = (void *)pool.next;
		pool.next += SZ_4K;
	}
	if (page)
		pool.nr_free--;
	if (page_pool_smp)
		spin_unlock(&pool.lock);

	if (page)
		page_zero(page);
	return page;
}

void *page_alloc_contig(u64 n)
{
	void *pages = NULL;
	u64 i;

	if (page_pool_smp)
		spin_lock(&pool.lock);
	/* Only never-used pages are contiguous for sure. */
	if (n && n <= (pool.end - pool.next) / SZ_4K) {
		pages = (void *)pool.next;
		pool.next += n * SZ_4K;
		pool.nr_free -= n;
	}
	if (page_pool_smp)
		spin_unlock(&pool.lock);

	for (i = 0; pages && i < n; i++)
		page_zero((u8 *)pages + i * SZ_4K);
	return pages;
}

void page_free(void *page)
{
	struct free_page *fp = page;

	if (!page)
		return;
	if (page_pool_smp)
		spin_lock(&pool.lock);
	fp->next = pool.free;
	pool.free = fp;
	pool.nr_free++;
	if (page_pool_smp)
		spin_unlock(&pool.lock);
}

u64 page_pool_free_pages(void)
{
	return pool.nr_free;
}
