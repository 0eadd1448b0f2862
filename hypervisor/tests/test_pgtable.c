// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of core/pgtable.c: block/page selection, descriptor encodings,
 * splitting with break-before-make, unmapping, table-page accounting and the
 * error paths. Table pages come from aligned_alloc(); phys == virt.
 */
#include <stdlib.h>
#include <string.h>
#include <hyp/gunyah_abi.h>
#include <hyp/pgtable.h>
#include "test.h"

#define MAX_INVAL	64

struct inval {
	u64 va;
	unsigned int level;
	bool table;
};

struct fake_mm {
	unsigned int allocs;
	unsigned int frees;
	int fail_after;		/* allocations allowed before NULL; -1: unlimited */
	unsigned int nr_inval;
	struct inval inval[MAX_INVAL];
	/* Set to check break-before-make: at invalidate time @va must be unmapped. */
	const struct pgtable *pgt;
	unsigned int mapped_at_inval;
};

static void *fake_alloc(void *ctx)
{
	struct fake_mm *mm = ctx;
	void *p;

	if (mm->fail_after >= 0 && mm->allocs >= (unsigned int)mm->fail_after)
		return NULL;
	p = aligned_alloc(4096, 4096);
	if (!p)
		abort();
	memset(p, 0, 4096);
	mm->allocs++;
	return p;
}

static void fake_free(void *ctx, void *table)
{
	struct fake_mm *mm = ctx;

	if ((uintptr_t)table & 0xfff)
		abort();
	mm->frees++;
	free(table);
}

static paddr_t fake_v2p(void *ctx, void *va)
{
	return (paddr_t)(uintptr_t)va;
}

static void *fake_p2v(void *ctx, paddr_t pa)
{
	return (void *)(uintptr_t)pa;
}

static void fake_invalidate(void *ctx, u64 va, unsigned int level, bool table)
{
	struct fake_mm *mm = ctx;

	if (mm->nr_inval < MAX_INVAL)
		mm->inval[mm->nr_inval] = (struct inval){ va, level, table };
	mm->nr_inval++;
	if (mm->pgt && pgtable_lookup(mm->pgt, va, NULL, NULL, NULL))
		mm->mapped_at_inval++;
}

static const struct pgtable_ops fake_ops = {
	.alloc_table = fake_alloc,
	.free_table = fake_free,
	.virt_to_phys = fake_v2p,
	.phys_to_virt = fake_p2v,
	.invalidate = fake_invalidate,
};

static void mm_init(struct fake_mm *mm)
{
	memset(mm, 0, sizeof(*mm));
	mm->fail_after = -1;
}

/* Fresh table; returns 0 on success. */
static int setup(struct pgtable *pgt, struct fake_mm *mm, enum pgtable_stage stage)
{
	mm_init(mm);
	memset(pgt, 0, sizeof(*pgt));
	if (pgtable_init(pgt, stage, &fake_ops, mm))
		return -1;
	mm->pgt = pgt;
	return 0;
}

struct census {
	unsigned int leaves[4];	/* per level */
	unsigned int tables;	/* table pages, the root included */
};

static void census_walk(const u64 *table, unsigned int level, struct census *c)
{
	unsigned int i;

	c->tables++;
	for (i = 0; i < PGT_ENTRIES; i++) {
		u64 pte = table[i];

		if (!(pte & PTE_VALID))
			continue;
		if (level < 3 && (pte & PTE_TABLE))
			census_walk((const u64 *)(uintptr_t)(pte & PTE_ADDR), level + 1, c);
		else
			c->leaves[level]++;
	}
}

static struct census census(const struct pgtable *pgt)
{
	struct census c;

	memset(&c, 0, sizeof(c));
	census_walk(pgt->root, PGT_START_LEVEL, &c);
	return c;
}

/* The raw descriptor for @va at @level (walking through table entries). */
static u64 raw_pte(const struct pgtable *pgt, u64 va, unsigned int level)
{
	const u64 *table = pgt->root;
	unsigned int l;

	for (l = PGT_START_LEVEL; l < level; l++) {
		u64 pte = table[(va >> (12 + 9 * (3 - l))) & 511];

		if (!(pte & PTE_VALID) || !(pte & PTE_TABLE))
			return 0;
		table = (const u64 *)(uintptr_t)(pte & PTE_ADDR);
	}
	return table[(va >> (12 + 9 * (3 - level))) & 511];
}

static void teardown(struct pgtable *pgt, struct fake_mm *mm)
{
	pgtable_destroy(pgt);
	CHECK_EQ(mm->allocs, mm->frees);
	CHECK(pgt->root == NULL);
}

/* Check one translation: mapped to @pa with @prot at @level. */
#define CHECK_MAPPED(pgt, va, want_pa, want_prot, want_level)			\
	do {									\
		paddr_t pa_ = 0;						\
		unsigned int prot_ = 0, level_ = 0;				\
		if (CHECK(pgtable_lookup((pgt), (va), &pa_, &prot_, &level_))) {\
			CHECK_EQ(pa_, (want_pa));				\
			CHECK_EQ(prot_, (want_prot));				\
			CHECK_EQ(level_, (want_level));				\
		}								\
	} while (0)

#define CHECK_UNMAPPED(pgt, va) CHECK(!pgtable_lookup((pgt), (va), NULL, NULL, NULL))

#define S2_RWX	PGT_PROT_RWX
#define DEV_RW	(PGT_PROT_RW | PGT_PROT_DEVICE)

TEST(init_and_destroy_account_the_root)
{
	struct fake_mm mm;
	struct pgtable pgt;

	REQUIRE_EQ(setup(&pgt, &mm, PGT_STAGE2), 0);
	CHECK_EQ(mm.allocs, 1);
	CHECK(pgt.root != NULL);
	CHECK_EQ(pgt.root_pa, (uintptr_t)pgt.root);
	CHECK_EQ(pgt.stage, PGT_STAGE2);
	CHECK_UNMAPPED(&pgt, 0);
	teardown(&pgt, &mm);
	CHECK_EQ(mm.frees, 1);
}

TEST(level_sizes)
{
	CHECK_EQ(pgtable_level_size(1), SZ_1G);
	CHECK_EQ(pgtable_level_size(2), SZ_2M);
	CHECK_EQ(pgtable_level_size(3), SZ_4K);
}

TEST(gib_block_at_level1_when_all_aligned)
{
	struct fake_mm mm;
	struct pgtable pgt;
	u64 pte;

	REQUIRE_EQ(setup(&pgt, &mm, PGT_STAGE2), 0);
	CHECK_EQ(pgtable_map(&pgt, 0x40000000, 0x140000000, SZ_1G, S2_RWX), 0);
	/* No table page beyond the root, nothing invalidated (nothing was mapped). */
	CHECK_EQ(mm.allocs, 1);
	CHECK_EQ(mm.nr_inval, 0);
	pte = pgt.root[1];
	CHECK_EQ(pte, 0x140000000UL | pgtable_leaf_attrs(PGT_STAGE2, S2_RWX) | PTE_VALID);
	CHECK_EQ(pte & PTE_TABLE, 0);	/* a block, not a table */
	CHECK_MAPPED(&pgt, 0x40000000, 0x140000000, S2_RWX, 1);
	CHECK_MAPPED(&pgt, 0x52345678, 0x152345678, S2_RWX, 1);
	CHECK_MAPPED(&pgt, 0x7ffff000, 0x17ffff000, S2_RWX, 1);
	CHECK_UNMAPPED(&pgt, 0x3ffff000);
	CHECK_UNMAPPED(&pgt, 0x80000000);
	struct census c = census(&pgt);
	CHECK_EQ(c.leaves[1], 1);
	CHECK_EQ(c.leaves[2] + c.leaves[3], 0);
	teardown(&pgt, &mm);
}

TEST(gib_aligned_va_with_2m_aligned_pa_uses_2m_blocks)
{
	struct fake_mm mm;
	struct pgtable pgt;

	REQUIRE_EQ(setup(&pgt, &mm, PGT_STAGE2), 0);
	CHECK_EQ(pgtable_map(&pgt, 0x40000000, 0x40200000, SZ_1G, S2_RWX), 0);
	struct census c = census(&pgt);
	CHECK_EQ(c.leaves[1], 0);
	CHECK_EQ(c.leaves[2], 512);
	CHECK_EQ(c.leaves[3], 0);
	CHECK_EQ(mm.allocs, 2);
	CHECK_MAPPED(&pgt, 0x7ffff000, 0x801ff000, S2_RWX, 2);
	teardown(&pgt, &mm);
}

TEST(two_mib_blocks)
{
	struct fake_mm mm;
	struct pgtable pgt;
	u64 pte;

	REQUIRE_EQ(setup(&pgt, &mm, PGT_STAGE2), 0);
	CHECK_EQ(pgtable_map(&pgt, 0x40200000, 0x90400000, 2 * SZ_2M, PGT_PROT_RW), 0);
	struct census c = census(&pgt);
	CHECK_EQ(c.leaves[1], 0);
	CHECK_EQ(c.leaves[2], 2);
	CHECK_EQ(c.leaves[3], 0);
	CHECK_EQ(c.tables, 2);
	CHECK_EQ(mm.allocs, 2);
	pte = raw_pte(&pgt, 0x40200000, 2);
	CHECK_EQ(pte, 0x90400000UL | pgtable_leaf_attrs(PGT_STAGE2, PGT_PROT_RW) | PTE_VALID);
	CHECK_MAPPED(&pgt, 0x40200000, 0x90400000, PGT_PROT_RW, 2);
	CHECK_MAPPED(&pgt, 0x405ff000, 0x907ff000, PGT_PROT_RW, 2);
	CHECK_UNMAPPED(&pgt, 0x401ff000);
	CHECK_UNMAPPED(&pgt, 0x40600000);
	teardown(&pgt, &mm);
}

TEST(four_k_pages)
{
	struct fake_mm mm;
	struct pgtable pgt;
	u64 pte;

	REQUIRE_EQ(setup(&pgt, &mm, PGT_STAGE1_EL2), 0);
	CHECK_EQ(pgtable_map(&pgt, 0x40001000, 0x9000a000, 3 * SZ_4K, PGT_PROT_RW), 0);
	struct census c = census(&pgt);
	CHECK_EQ(c.leaves[3], 3);
	CHECK_EQ(c.leaves[1] + c.leaves[2], 0);
	CHECK_EQ(mm.allocs, 3);
	pte = raw_pte(&pgt, 0x40002000, 3);
	/* Level-3 descriptors are pages: bits 1:0 = 0b11. */
	CHECK_EQ(pte, 0x9000b000UL | pgtable_leaf_attrs(PGT_STAGE1_EL2, PGT_PROT_RW) |
		      PTE_VALID | PTE_TABLE);
	CHECK_UNMAPPED(&pgt, 0x40000000);
	CHECK_MAPPED(&pgt, 0x40001000, 0x9000a000, PGT_PROT_RW, 3);
	CHECK_MAPPED(&pgt, 0x40003abc, 0x9000cabc, PGT_PROT_RW, 3);
	CHECK_UNMAPPED(&pgt, 0x40004000);
	teardown(&pgt, &mm);
}

TEST(unaligned_range_uses_minimal_mix)
{
	struct fake_mm mm;
	struct pgtable pgt;
	/* 1 page, 1 2M block, one 1G block, 1 2M block, 1 page. */
	u64 va = SZ_1G - SZ_2M - SZ_4K;
	u64 size = SZ_4K + SZ_2M + SZ_1G + SZ_2M + SZ_4K;

	REQUIRE_EQ(setup(&pgt, &mm, PGT_STAGE2), 0);
	CHECK_EQ(pgtable_map(&pgt, va, va, size, S2_RWX), 0);
	struct census c = census(&pgt);
	CHECK_EQ(c.leaves[1], 1);
	CHECK_EQ(c.leaves[2], 2);
	CHECK_EQ(c.leaves[3], 2);
	/* root + L2 and L3 tables on each side */
	CHECK_EQ(c.tables, 5);
	CHECK_EQ(mm.allocs, 5);
	CHECK_UNMAPPED(&pgt, va - SZ_4K);
	CHECK_MAPPED(&pgt, va, va, S2_RWX, 3);
	CHECK_MAPPED(&pgt, SZ_1G - SZ_2M, SZ_1G - SZ_2M, S2_RWX, 2);
	CHECK_MAPPED(&pgt, SZ_1G, SZ_1G, S2_RWX, 1);
	CHECK_MAPPED(&pgt, 2 * SZ_1G, 2 * SZ_1G, S2_RWX, 2);
	CHECK_MAPPED(&pgt, 2 * SZ_1G + SZ_2M, 2 * SZ_1G + SZ_2M, S2_RWX, 3);
	CHECK_UNMAPPED(&pgt, va + size);
	teardown(&pgt, &mm);

	/* Within one 1G region: page, block, page. */
	REQUIRE_EQ(setup(&pgt, &mm, PGT_STAGE2), 0);
	CHECK_EQ(pgtable_map(&pgt, 0x1ff000, 0x801ff000, 0x202000, S2_RWX), 0);
	c = census(&pgt);
	CHECK_EQ(c.leaves[1], 0);
	CHECK_EQ(c.leaves[2], 1);
	CHECK_EQ(c.leaves[3], 2);
	CHECK_MAPPED(&pgt, 0x1ff000, 0x801ff000, S2_RWX, 3);
	CHECK_MAPPED(&pgt, 0x200000, 0x80200000, S2_RWX, 2);
	CHECK_MAPPED(&pgt, 0x400000, 0x80400000, S2_RWX, 3);
	teardown(&pgt, &mm);
}

TEST(pa_misaligned_relative_to_va_forces_pages)
{
	struct fake_mm mm;
	struct pgtable pgt;

	REQUIRE_EQ(setup(&pgt, &mm, PGT_STAGE2), 0);
	CHECK_EQ(pgtable_map(&pgt, 0x40000000, 0x50001000, SZ_2M, S2_RWX), 0);
	struct census c = census(&pgt);
	CHECK_EQ(c.leaves[1] + c.leaves[2], 0);
	CHECK_EQ(c.leaves[3], 512);
	CHECK_MAPPED(&pgt, 0x401ff000, 0x50200000, S2_RWX, 3);
	teardown(&pgt, &mm);
}

struct attr_case {
	enum pgtable_stage stage;
	unsigned int prot;
	u64 attrs;
	unsigned int lookup_prot;	/* what lookup reports back */
};

/*
 * Expected descriptors, by hand from the Arm ARM:
 *   AF bit 10 (0x400), SH inner 0b11 at 9:8 (0x300), XN bit 54;
 *   stage 1: AttrIndx 4:2 (0 normal, 1 device -> 0x4), AP[1] bit 6 RES1,
 *            AP[2] bit 7 = read-only;
 *   stage 2: MemAttr 5:2 (0xf normal -> 0x3c, 0x1 device -> 0x4),
 *            S2AP[0] bit 6 = read, S2AP[1] bit 7 = write.
 */
static const struct attr_case attr_cases[] = {
	{ PGT_STAGE1_EL2, PGT_PROT_R, 0x00400000000007c0UL, PGT_PROT_R },
	{ PGT_STAGE1_EL2, PGT_PROT_RW, 0x0040000000000740UL, PGT_PROT_RW },
	{ PGT_STAGE1_EL2, PGT_PROT_R | PGT_PROT_X, 0x00000000000007c0UL,
	  PGT_PROT_R | PGT_PROT_X },
	{ PGT_STAGE1_EL2, PGT_PROT_RWX, 0x0000000000000740UL, PGT_PROT_RWX },
	{ PGT_STAGE1_EL2, DEV_RW, 0x0040000000000744UL, DEV_RW },
	{ PGT_STAGE1_EL2, PGT_PROT_R | PGT_PROT_DEVICE, 0x00400000000007c4UL,
	  PGT_PROT_R | PGT_PROT_DEVICE },
	{ PGT_STAGE2, PGT_PROT_R, 0x004000000000077cUL, PGT_PROT_R },
	{ PGT_STAGE2, PGT_PROT_RW, 0x00400000000007fcUL, PGT_PROT_RW },
	{ PGT_STAGE2, PGT_PROT_R | PGT_PROT_X, 0x000000000000077cUL, PGT_PROT_R | PGT_PROT_X },
	{ PGT_STAGE2, PGT_PROT_RWX, 0x00000000000007fcUL, PGT_PROT_RWX },
	{ PGT_STAGE2, DEV_RW, 0x00400000000007c4UL, DEV_RW },
	{ PGT_STAGE2, PGT_PROT_R | PGT_PROT_DEVICE, 0x0040000000000744UL,
	  PGT_PROT_R | PGT_PROT_DEVICE },
};

TEST(leaf_attribute_encodings)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(attr_cases); i++) {
		const struct attr_case *ac = &attr_cases[i];

		if (!CHECK_EQ(pgtable_leaf_attrs(ac->stage, ac->prot), ac->attrs))
			printf("#     case %u: stage %d prot %#x\n", i, ac->stage, ac->prot);
	}
}

TEST(mapped_descriptors_carry_attrs_and_lookup_round_trips)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(attr_cases); i++) {
		const struct attr_case *ac = &attr_cases[i];
		struct fake_mm mm;
		struct pgtable pgt;

		REQUIRE_EQ(setup(&pgt, &mm, ac->stage), 0);
		/* A block, a 2M block and a page, each with the same attributes. */
		CHECK_EQ(pgtable_map(&pgt, 0, 0x80000000, SZ_1G, ac->prot), 0);
		CHECK_EQ(pgtable_map(&pgt, SZ_1G, 0x80000000, SZ_2M, ac->prot), 0);
		CHECK_EQ(pgtable_map(&pgt, 2 * SZ_1G, 0x80000000, SZ_4K, ac->prot), 0);
		CHECK_EQ(raw_pte(&pgt, 0, 1), 0x80000000UL | ac->attrs | PTE_VALID);
		CHECK_EQ(raw_pte(&pgt, SZ_1G, 2), 0x80000000UL | ac->attrs | PTE_VALID);
		CHECK_EQ(raw_pte(&pgt, 2 * SZ_1G, 3),
			 0x80000000UL | ac->attrs | PTE_VALID | PTE_TABLE);
		CHECK_MAPPED(&pgt, 0x1000, 0x80001000, ac->lookup_prot, 1);
		CHECK_MAPPED(&pgt, SZ_1G + 0x1000, 0x80001000, ac->lookup_prot, 2);
		CHECK_MAPPED(&pgt, 2 * SZ_1G + 0x123, 0x80000123, ac->lookup_prot, 3);
		teardown(&pgt, &mm);
	}
}

TEST(lookup_optional_outputs_and_out_of_range)
{
	struct fake_mm mm;
	struct pgtable pgt;
	paddr_t pa = 0;

	REQUIRE_EQ(setup(&pgt, &mm, PGT_STAGE2), 0);
	CHECK_EQ(pgtable_map(&pgt, 0, 0, SZ_1G, S2_RWX), 0);
	CHECK(pgtable_lookup(&pgt, 0x1234, NULL, NULL, NULL));
	CHECK(pgtable_lookup(&pgt, 0x1234, &pa, NULL, NULL));
	CHECK_EQ(pa, 0x1234);
	/* Beyond the 39-bit input range aliases nothing. */
	CHECK_UNMAPPED(&pgt, 1UL << 39);
	CHECK_UNMAPPED(&pgt, (1UL << 39) + 0x1234);
	CHECK_UNMAPPED(&pgt, ~0UL);
	teardown(&pgt, &mm);
}

TEST(remap_inside_gib_block_splits_with_break_before_make)
{
	struct fake_mm mm;
	struct pgtable pgt;
	unsigned int bad = 0;
	u64 va;

	REQUIRE_EQ(setup(&pgt, &mm, PGT_STAGE2), 0);
	REQUIRE_EQ(pgtable_map(&pgt, 0x40000000, 0x40000000, SZ_1G, S2_RWX), 0);
	REQUIRE_EQ(mm.nr_inval, 0);
	CHECK_EQ(pgtable_map(&pgt, 0x40201000, 0x90000000, SZ_4K, PGT_PROT_R), 0);

	/* Each broken valid entry is invalidated once, outermost first. */
	CHECK_EQ(mm.nr_inval, 3);
	CHECK_EQ(mm.inval[0].va, 0x40000000);
	CHECK_EQ(mm.inval[0].level, 1);
	CHECK_EQ(mm.inval[1].va, 0x40200000);
	CHECK_EQ(mm.inval[1].level, 2);
	CHECK_EQ(mm.inval[2].va, 0x40201000);
	CHECK_EQ(mm.inval[2].level, 3);
	/* Blocks and pages were broken, never a table entry. */
	CHECK(!mm.inval[0].table && !mm.inval[1].table && !mm.inval[2].table);
	/* ... and the entry was already invalid when invalidate ran. */
	CHECK_EQ(mm.mapped_at_inval, 0);

	struct census c = census(&pgt);
	CHECK_EQ(c.leaves[1], 0);
	CHECK_EQ(c.leaves[2], 511);
	CHECK_EQ(c.leaves[3], 512);
	CHECK_EQ(mm.allocs, 3);

	CHECK_MAPPED(&pgt, 0x40201000, 0x90000000, PGT_PROT_R, 3);
	CHECK_MAPPED(&pgt, 0x40200000, 0x40200000, S2_RWX, 3);
	CHECK_MAPPED(&pgt, 0x40202000, 0x40202000, S2_RWX, 3);
	CHECK_MAPPED(&pgt, 0x40000000, 0x40000000, S2_RWX, 2);
	CHECK_MAPPED(&pgt, 0x40400000, 0x40400000, S2_RWX, 2);

	/* Every other page of the old block still translates as before. */
	for (va = 0x40000000; va < 0x80000000; va += SZ_4K) {
		paddr_t pa;
		unsigned int prot;

		if (va == 0x40201000)
			continue;
		if (!pgtable_lookup(&pgt, va, &pa, &prot, NULL) || pa != va || prot != S2_RWX)
			bad++;
	}
	CHECK_EQ(bad, 0);
	/* The split entries keep the block's exact attributes. */
	CHECK_EQ(raw_pte(&pgt, 0x40400000, 2),
		 0x40400000UL | pgtable_leaf_attrs(PGT_STAGE2, S2_RWX) | PTE_VALID);
	CHECK_EQ(raw_pte(&pgt, 0x40202000, 3),
		 0x40202000UL | pgtable_leaf_attrs(PGT_STAGE2, S2_RWX) | PTE_VALID | PTE_TABLE);
	teardown(&pgt, &mm);
}

TEST(remap_whole_block_breaks_then_makes)
{
	struct fake_mm mm;
	struct pgtable pgt;

	REQUIRE_EQ(setup(&pgt, &mm, PGT_STAGE1_EL2), 0);
	REQUIRE_EQ(pgtable_map(&pgt, 0x40000000, 0x40000000, SZ_2M, PGT_PROT_RWX), 0);
	CHECK_EQ(pgtable_map(&pgt, 0x40000000, 0x60000000, SZ_2M, PGT_PROT_RW), 0);
	CHECK_EQ(mm.nr_inval, 1);
	CHECK_EQ(mm.inval[0].va, 0x40000000);
	CHECK_EQ(mm.inval[0].level, 2);
	CHECK_EQ(mm.mapped_at_inval, 0);
	CHECK_MAPPED(&pgt, 0x40100000, 0x60100000, PGT_PROT_RW, 2);
	teardown(&pgt, &mm);
}

TEST(unmap_sub_range_splits_and_keeps_neighbours)
{
	struct fake_mm mm;
	struct pgtable pgt;

	REQUIRE_EQ(setup(&pgt, &mm, PGT_STAGE2), 0);
	REQUIRE_EQ(pgtable_map(&pgt, 0x40000000, 0x40000000, SZ_1G, S2_RWX), 0);
	CHECK_EQ(pgtable_unmap(&pgt, 0x40200000, SZ_2M), 0);
	CHECK_EQ(mm.nr_inval, 2);
	CHECK_EQ(mm.inval[0].va, 0x40000000);
	CHECK_EQ(mm.inval[0].level, 1);
	CHECK_EQ(mm.inval[1].va, 0x40200000);
	CHECK_EQ(mm.inval[1].level, 2);
	CHECK_EQ(mm.mapped_at_inval, 0);
	CHECK_MAPPED(&pgt, 0x401ff000, 0x401ff000, S2_RWX, 2);
	CHECK_UNMAPPED(&pgt, 0x40200000);
	CHECK_UNMAPPED(&pgt, 0x403ff000);
	CHECK_MAPPED(&pgt, 0x40400000, 0x40400000, S2_RWX, 2);
	CHECK_MAPPED(&pgt, 0x7ffff000, 0x7ffff000, S2_RWX, 2);
	struct census c = census(&pgt);
	CHECK_EQ(c.leaves[2], 511);
	CHECK_EQ(mm.allocs, 2);

	/* One page out of a 2M block. */
	CHECK_EQ(pgtable_unmap(&pgt, 0x40801000, SZ_4K), 0);
	CHECK_MAPPED(&pgt, 0x40800000, 0x40800000, S2_RWX, 3);
	CHECK_UNMAPPED(&pgt, 0x40801000);
	CHECK_MAPPED(&pgt, 0x40802000, 0x40802000, S2_RWX, 3);
	c = census(&pgt);
	CHECK_EQ(c.leaves[2], 510);
	CHECK_EQ(c.leaves[3], 511);
	teardown(&pgt, &mm);
}

TEST(unmap_of_nothing_changes_nothing)
{
	struct fake_mm mm;
	struct pgtable pgt;

	REQUIRE_EQ(setup(&pgt, &mm, PGT_STAGE2), 0);
	CHECK_EQ(pgtable_unmap(&pgt, 0x40001000, 0x3000), 0);
	CHECK_EQ(pgtable_unmap(&pgt, 0, SZ_1G * 4), 0);
	CHECK_EQ(mm.allocs, 1);
	CHECK_EQ(mm.nr_inval, 0);
	teardown(&pgt, &mm);
}

TEST(unmap_whole_table_ranges_frees_table_pages)
{
	struct fake_mm mm;
	struct pgtable pgt;

	REQUIRE_EQ(setup(&pgt, &mm, PGT_STAGE2), 0);
	REQUIRE_EQ(pgtable_map(&pgt, 0x40001000, 0x40001000, 3 * SZ_4K, S2_RWX), 0);
	REQUIRE_EQ(mm.allocs, 3);

	/* The 2 MiB covering the pages: the L3 table goes. */
	CHECK_EQ(pgtable_unmap(&pgt, 0x40000000, SZ_2M), 0);
	CHECK_EQ(mm.frees, 1);
	CHECK_UNMAPPED(&pgt, 0x40001000);
	CHECK_EQ(mm.nr_inval, 1);
	CHECK_EQ(mm.inval[0].va, 0x40000000);
	CHECK_EQ(mm.inval[0].level, 2);

	/* The whole GiB: the (now empty) L2 table goes too. */
	CHECK_EQ(pgtable_unmap(&pgt, 0x40000000, SZ_1G), 0);
	CHECK_EQ(mm.frees, 2);
	CHECK_EQ(mm.nr_inval, 2);
	CHECK_EQ(mm.inval[1].va, 0x40000000);
	CHECK_EQ(mm.inval[1].level, 1);
	struct census c = census(&pgt);
	CHECK_EQ(c.tables, 1);

	/* A whole-GiB unmap over a deeper tree frees the whole subtree at once. */
	REQUIRE_EQ(pgtable_map(&pgt, 0x80001000, 0x80001000, SZ_4K, S2_RWX), 0);
	REQUIRE_EQ(pgtable_map(&pgt, 0x80401000, 0x80401000, SZ_4K, S2_RWX), 0);
	CHECK_EQ(mm.allocs - mm.frees, 4);
	CHECK_EQ(pgtable_unmap(&pgt, 0x80000000, SZ_1G), 0);
	CHECK_EQ(mm.allocs - mm.frees, 1);
	CHECK_UNMAPPED(&pgt, 0x80401000);
	teardown(&pgt, &mm);
}

TEST(map_block_over_tables_frees_them)
{
	struct fake_mm mm;
	struct pgtable pgt;

	REQUIRE_EQ(setup(&pgt, &mm, PGT_STAGE2), 0);
	REQUIRE_EQ(pgtable_map(&pgt, 0x40001000, 0x40001000, SZ_4K, S2_RWX), 0);
	REQUIRE_EQ(pgtable_map(&pgt, 0x40601000, 0x40601000, SZ_4K, S2_RWX), 0);
	REQUIRE_EQ(mm.allocs, 4);
	CHECK_EQ(pgtable_map(&pgt, 0x40000000, 0x40000000, SZ_1G, PGT_PROT_RW), 0);
	CHECK_EQ(mm.frees, 3);
	CHECK_EQ(mm.mapped_at_inval, 0);
	CHECK_MAPPED(&pgt, 0x40601000, 0x40601000, PGT_PROT_RW, 1);
	teardown(&pgt, &mm);
}

TEST(range_errors)
{
	struct fake_mm mm;
	struct pgtable pgt;
	const u64 top = 1UL << 39;

	REQUIRE_EQ(setup(&pgt, &mm, PGT_STAGE2), 0);
	CHECK_EQ(pgtable_map(&pgt, 0x40000800, 0x40000000, SZ_4K, S2_RWX),
		 GUNYAH_ERROR_ARG_ALIGN);
	CHECK_EQ(pgtable_map(&pgt, 0x40000000, 0x40000010, SZ_4K, S2_RWX),
		 GUNYAH_ERROR_ARG_ALIGN);
	CHECK_EQ(pgtable_map(&pgt, 0x40000000, 0x40000000, 0x1800, S2_RWX),
		 GUNYAH_ERROR_ARG_ALIGN);
	CHECK_EQ(pgtable_map(&pgt, 0x40000000, 0x40000000, 0, S2_RWX),
		 GUNYAH_ERROR_ADDR_OVFL);
	CHECK_EQ(pgtable_map(&pgt, top - SZ_4K, 0, 2 * SZ_4K, S2_RWX),
		 GUNYAH_ERROR_ADDR_OVFL);
	CHECK_EQ(pgtable_map(&pgt, top, 0, SZ_4K, S2_RWX), GUNYAH_ERROR_ADDR_OVFL);
	CHECK_EQ(pgtable_map(&pgt, ~0xfffUL, 0, 2 * SZ_4K, S2_RWX), GUNYAH_ERROR_ADDR_OVFL);
	CHECK_EQ(pgtable_map(&pgt, 0, ~0xfffUL, 2 * SZ_4K, S2_RWX), GUNYAH_ERROR_ADDR_OVFL);
	/* Output addresses are at most 48 bits. */
	CHECK_EQ(pgtable_map(&pgt, 0, 1UL << 48, SZ_4K, S2_RWX), GUNYAH_ERROR_ADDR_OVFL);
	CHECK_EQ(pgtable_unmap(&pgt, 0x1800, SZ_4K), GUNYAH_ERROR_ARG_ALIGN);
	CHECK_EQ(pgtable_unmap(&pgt, 0x1000, 0x10), GUNYAH_ERROR_ARG_ALIGN);
	CHECK_EQ(pgtable_unmap(&pgt, 0x1000, 0), GUNYAH_ERROR_ADDR_OVFL);
	CHECK_EQ(pgtable_unmap(&pgt, top - SZ_4K, 2 * SZ_4K), GUNYAH_ERROR_ADDR_OVFL);
	CHECK_EQ(pgtable_unmap(&pgt, ~0xfffUL, 2 * SZ_4K), GUNYAH_ERROR_ADDR_OVFL);
	/* Nothing was touched. */
	CHECK_EQ(mm.allocs, 1);
	struct census c = census(&pgt);
	CHECK_EQ(c.leaves[1] + c.leaves[2] + c.leaves[3], 0);

	/* The last page and the last 48-bit output page are fine. */
	CHECK_EQ(pgtable_map(&pgt, top - SZ_4K, (1UL << 48) - SZ_4K, SZ_4K, S2_RWX), 0);
	CHECK_MAPPED(&pgt, top - SZ_4K, (1UL << 48) - SZ_4K, S2_RWX, 3);
	CHECK_EQ(pgtable_unmap(&pgt, top - SZ_4K, SZ_4K), 0);
	CHECK_UNMAPPED(&pgt, top - SZ_4K);
	teardown(&pgt, &mm);
}

TEST(init_nomem)
{
	struct fake_mm mm;
	struct pgtable pgt;

	mm_init(&mm);
	mm.fail_after = 0;
	memset(&pgt, 0, sizeof(pgt));
	CHECK_EQ(pgtable_init(&pgt, PGT_STAGE2, &fake_ops, &mm), GUNYAH_ERROR_NOMEM);
	CHECK(pgt.root == NULL);
	pgtable_destroy(&pgt);
	CHECK_EQ(mm.allocs, 0);
	CHECK_EQ(mm.frees, 0);
}

TEST(map_nomem_leaks_nothing)
{
	/* The mixed range needs 5 pages in all (root included). */
	u64 va = SZ_1G - SZ_2M - SZ_4K;
	u64 size = SZ_4K + SZ_2M + SZ_1G + SZ_2M + SZ_4K;
	int k;

	for (k = 1; k <= 5; k++) {
		struct fake_mm mm;
		struct pgtable pgt;
		int ret;

		REQUIRE_EQ(setup(&pgt, &mm, PGT_STAGE2), 0);
		mm.fail_after = k;
		ret = pgtable_map(&pgt, va, va, size, S2_RWX);
		if (!CHECK_EQ(ret, k < 5 ? GUNYAH_ERROR_NOMEM : 0))
			printf("#     with %d pages\n", k);
		CHECK(mm.allocs <= (unsigned int)k);
		teardown(&pgt, &mm);
	}
}

TEST(split_nomem_leaves_block_intact)
{
	struct fake_mm mm;
	struct pgtable pgt;

	REQUIRE_EQ(setup(&pgt, &mm, PGT_STAGE2), 0);
	REQUIRE_EQ(pgtable_map(&pgt, 0x40000000, 0x40000000, SZ_1G, S2_RWX), 0);
	mm.fail_after = 1;
	CHECK_EQ(pgtable_unmap(&pgt, 0x40001000, SZ_4K), GUNYAH_ERROR_NOMEM);
	CHECK_EQ(pgtable_map(&pgt, 0x40001000, 0x90000000, SZ_4K, PGT_PROT_R),
		 GUNYAH_ERROR_NOMEM);
	CHECK_EQ(mm.nr_inval, 0);
	CHECK_MAPPED(&pgt, 0x40001000, 0x40001000, S2_RWX, 1);
	/* With one more page: L2 split done, L3 split fails; still all mapped. */
	mm.fail_after = 2;
	CHECK_EQ(pgtable_unmap(&pgt, 0x40001000, SZ_4K), GUNYAH_ERROR_NOMEM);
	CHECK_MAPPED(&pgt, 0x40001000, 0x40001000, S2_RWX, 2);
	CHECK_MAPPED(&pgt, 0x7ffff000, 0x7ffff000, S2_RWX, 2);
	teardown(&pgt, &mm);
}

/* What host_vm_init does at boot on QEMU virt with 2 GiB of RAM. */
TEST(boot_layout_of_the_host_stage2)
{
	struct fake_mm mm;
	struct pgtable pgt;

	REQUIRE_EQ(setup(&pgt, &mm, PGT_STAGE2), 0);
	CHECK_EQ(pgtable_map(&pgt, 0x40000000, 0x40000000, 0x80000000, S2_RWX), 0);
	CHECK_EQ(pgtable_unmap(&pgt, 0x80000000, 64 * SZ_1M), 0);
	CHECK_EQ(pgtable_map(&pgt, 0, 0, 0x40000000, DEV_RW), 0);

	CHECK_MAPPED(&pgt, 0x40000000, 0x40000000, S2_RWX, 1);
	CHECK_MAPPED(&pgt, 0x7ffff000, 0x7ffff000, S2_RWX, 1);
	CHECK_UNMAPPED(&pgt, 0x80000000);
	CHECK_UNMAPPED(&pgt, 0x81234000);
	CHECK_UNMAPPED(&pgt, 0x83fff000);
	CHECK_MAPPED(&pgt, 0x84000000, 0x84000000, S2_RWX, 2);
	CHECK_MAPPED(&pgt, 0xbffff000, 0xbffff000, S2_RWX, 2);
	CHECK_UNMAPPED(&pgt, 0xc0000000);
	CHECK_MAPPED(&pgt, 0x09000000, 0x09000000, DEV_RW, 1);
	CHECK_MAPPED(&pgt, 0x08000000, 0x08000000, DEV_RW, 1);
	CHECK_EQ(raw_pte(&pgt, 0x09000000, 1),
		 pgtable_leaf_attrs(PGT_STAGE2, DEV_RW) | PTE_VALID);
	struct census c = census(&pgt);
	CHECK_EQ(c.leaves[1], 2);
	CHECK_EQ(c.leaves[2], 512 - 32);
	CHECK_EQ(c.leaves[3], 0);
	CHECK_EQ(mm.allocs, 2);
	CHECK_EQ(mm.mapped_at_inval, 0);
	teardown(&pgt, &mm);
}

TEST(unmap_of_table_entry_invalidates_the_whole_subtree)
{
	struct fake_mm mm;
	struct pgtable pgt;

	REQUIRE_EQ(setup(&pgt, &mm, PGT_STAGE2), 0);
	/* 4 KiB pages under one level-2 table under one level-1 table. */
	REQUIRE_EQ(pgtable_map(&pgt, 0x40000000, 0x40000000, 16 * SZ_4K, S2_RWX), 0);
	REQUIRE_EQ(mm.nr_inval, 0);

	/* Unmapping the whole 2 MiB range clears the level-2 table entry. */
	CHECK_EQ(pgtable_unmap(&pgt, 0x40000000, SZ_2M), 0);
	REQUIRE_EQ(mm.nr_inval, 1);
	CHECK_EQ(mm.inval[0].va, 0x40000000);
	CHECK_EQ(mm.inval[0].level, 2);
	/* One address is not enough: every page below was cached from it. */
	CHECK(mm.inval[0].table);
	CHECK(!pgtable_lookup(&pgt, 0x4000f000, NULL, NULL, NULL));
	teardown(&pgt, &mm);
}
