/* SPDX-License-Identifier: GPL-2.0-only */
/* The hypervisor's page pool: the part of its own memory after the image. */
#ifndef HYP_ALLOC_H
#define HYP_ALLOC_H

#include <hyp/types.h>

void page_pool_init(paddr_t base, u64 size);

/* A zeroed 4 KiB page, or NULL when the pool is exhausted. */
void *page_alloc(void);
void page_free(void *page);

/* @n zeroed, physically contiguous pages (for boot-time tables), or NULL. */
void *page_alloc_contig(u64 n);

/* Pages not handed out. */
u64 page_pool_free_pages(void);

#endif
