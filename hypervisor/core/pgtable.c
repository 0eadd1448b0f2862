// SPDX-License-Identifier: GPL-2.0-only
/*
 * Translation-table builder, see include/hyp/pgtable.h. Entries are changed
 * with break-before-make: a valid entry is cleared and invalidated before
 * it is written with a different output or type.
 */
#include <hyp/gunyah_abi.h>
#include <hyp/pgtable.h>

static unsigned int pgt_index(u64 va, unsigned int level)
{
	return (va >> (12 + 9 * (3 - level))) & (PGT_ENTRIES - 1);
}

u64 pgtable_leaf_attrs(enum pgtable_stage stage, unsigned int prot)
{
	u64 attrs = PTE_AF | PTE_SH_INNER;
	bool device = prot & PGT_PROT_DEVICE;

	if (!(prot & PGT_PROT_X))
		attrs |= PTE_XN;

	if (stage == PGT_STAGE1_EL2) {
		attrs |= FIELD_PREP(PTE_S1_ATTRIDX, device ? MAIR_IDX_DEVICE : MAIR_IDX_NORMAL);
		attrs |= PTE_S1_AP_RES1;
		if (!(prot & PGT_PROT_W))
			attrs |= PTE_S1_AP_RO;
	} else {
		attrs |= FIELD_PREP(PTE_S2_MEMATTR,
				    device ? S2_MEMATTR_DEVICE_nGnRE : S2_MEMATTR_NORMAL_WB);
		if (prot & PGT_PROT_R)
			attrs |= PTE_S2_AP_R;
		if (prot & PGT_PROT_W)
			attrs |= PTE_S2_AP_W;
	}
	return attrs;
}

static unsigned int pgt_leaf_prot(enum pgtable_stage stage, u64 pte)
{
	unsigned int prot = 0;

	if (!(pte & PTE_XN))
		prot |= PGT_PROT_X;
	if (stage == PGT_STAGE1_EL2) {
		prot |= PGT_PROT_R;
		if (!(pte & PTE_S1_AP_RO))
			prot |= PGT_PROT_W;
		if (FIELD_GET(PTE_S1_ATTRIDX, pte) == MAIR_IDX_DEVICE)
			prot |= PGT_PROT_DEVICE;
	} else {
		if (pte & PTE_S2_AP_R)
			prot |= PGT_PROT_R;
		if (pte & PTE_S2_AP_W)
			prot |= PGT_PROT_W;
		if (FIELD_GET(PTE_S2_MEMATTR, pte) != S2_MEMATTR_NORMAL_WB)
			prot |= PGT_PROT_DEVICE;
	}
	return prot;
}

static bool pte_is_table(u64 pte, unsigned int level)
{
	return (pte & PTE_VALID) && (pte & PTE_TABLE) && level < 3;
}

static u64 *pgt_table_of(const struct pgtable *pgt, u64 pte)
{
	return pgt->ops->phys_to_virt(pgt->ctx, pte & PTE_ADDR);
}

static u64 pgt_leaf(paddr_t pa, u64 attrs, unsigned int level)
{
	/* Level-3 leaves are pages (type bit set), higher ones blocks. */
	return (pa & PTE_ADDR) | attrs | PTE_VALID | (level == 3 ? PTE_TABLE : 0);
}

/* Break: clear a valid entry and make the walkers forget it. */
static void pgt_break(struct pgtable *pgt, u64 *ptep, u64 va, unsigned int level)
{
	u64 old = *ptep;

	if (!(old & PTE_VALID))
		return;
	WRITE_ONCE(*ptep, 0);
	pgt->ops->invalidate(pgt->ctx, ALIGN_DOWN(va, pgtable_level_size(level)), level,
			     pte_is_table(old, level));
}

static void pgt_free_tree(struct pgtable *pgt, u64 *table, unsigned int level)
{
	unsigned int i;

	for (i = 0; i < PGT_ENTRIES; i++)
		if (pte_is_table(table[i], level))
			pgt_free_tree(pgt, pgt_table_of(pgt, table[i]), level + 1);
	pgt->ops->free_table(pgt->ctx, table);
}

/*
 * Make *ptep (at @level, covering @va) a table entry: allocate one if it is
 * empty, or split the block it holds into a table of equivalent entries.
 */
static u64 *pgt_make_table(struct pgtable *pgt, u64 *ptep, u64 va, unsigned int level)
{
	u64 pte = *ptep;
	u64 *table;
	unsigned int i;

	if (pte_is_table(pte, level))
		return pgt_table_of(pgt, pte);

	table = pgt->ops->alloc_table(pgt->ctx);
	if (!table)
		return NULL;

	if (pte & PTE_VALID) {
		u64 attrs = pte & ~(PTE_ADDR | PTE_VALID | PTE_TABLE);
		u64 step = pgtable_level_size(level + 1);
		paddr_t base = pte & PTE_ADDR;

		for (i = 0; i < PGT_ENTRIES; i++)
			table[i] = pgt_leaf(base + i * step, attrs, level + 1);
		pgt_break(pgt, ptep, va, level);
	}
	WRITE_ONCE(*ptep, pgt->ops->virt_to_phys(pgt->ctx, table) | PTE_TABLE | PTE_VALID);
	return table;
}

/* Map (attrs valid) or unmap (map == false) [va, end) under @table. */
static int pgt_walk_update(struct pgtable *pgt, u64 *table, unsigned int level,
			   u64 va, u64 end, paddr_t pa, u64 attrs, bool map)
{
	u64 size = pgtable_level_size(level);

	while (va < end) {
		u64 next = MIN(end, ALIGN_DOWN(va, size) + size);
		u64 *ptep = &table[pgt_index(va, level)];
		bool whole = IS_ALIGNED(va, size) && next - va == size;
		int ret;

		if (whole && (!map || level == 3 || (level >= 1 && IS_ALIGNED(pa, size)))) {
			u64 old = *ptep;

			pgt_break(pgt, ptep, va, level);
			if (pte_is_table(old, level))
				pgt_free_tree(pgt, pgt_table_of(pgt, old), level + 1);
			if (map)
				WRITE_ONCE(*ptep, pgt_leaf(pa, attrs, level));
		} else if (map || (*ptep & PTE_VALID)) {
			u64 *child = pgt_make_table(pgt, ptep, va, level);

			if (!child)
				return GUNYAH_ERROR_NOMEM;
			ret = pgt_walk_update(pgt, child, level + 1, va, next, pa, attrs, map);
			if (ret)
				return ret;
		}
		pa += next - va;
		va = next;
	}
	return 0;
}

static int pgt_check_range(u64 va, paddr_t pa, u64 size)
{
	if (!IS_ALIGNED(va | pa | size, SZ_4K))
		return GUNYAH_ERROR_ARG_ALIGN;
	if (!size || va + size < va || va + size > (1UL << PGT_IA_BITS) ||
	    pa + size < pa || pa + size > (PTE_ADDR | 0xfff) + 1)
		return GUNYAH_ERROR_ADDR_OVFL;
	return 0;
}

int pgtable_init(struct pgtable *pgt, enum pgtable_stage stage,
		 const struct pgtable_ops *ops, void *ctx)
{
	pgt->stage = stage;
	pgt->ops = ops;
	pgt->ctx = ctx;
	pgt->root = ops->alloc_table(ctx);
	if (!pgt->root)
		return GUNYAH_ERROR_NOMEM;
	pgt->root_pa = ops->virt_to_phys(ctx, pgt->root);
	return 0;
}

void pgtable_destroy(struct pgtable *pgt)
{
	if (pgt->root)
		pgt_free_tree(pgt, pgt->root, PGT_START_LEVEL);
	pgt->root = NULL;
}

int pgtable_map(struct pgtable *pgt, u64 va, paddr_t pa, u64 size, unsigned int prot)
{
	int ret = pgt_check_range(va, pa, size);

	if (ret)
		return ret;
	return pgt_walk_update(pgt, pgt->root, PGT_START_LEVEL, va, va + size, pa,
			       pgtable_leaf_attrs(pgt->stage, prot), true);
}

int pgtable_unmap(struct pgtable *pgt, u64 va, u64 size)
{
	int ret = pgt_check_range(va, 0, size);

	if (ret)
		return ret;
	return pgt_walk_update(pgt, pgt->root, PGT_START_LEVEL, va, va + size, 0, 0, false);
}

bool pgtable_lookup(const struct pgtable *pgt, u64 va, paddr_t *pa,
		    unsigned int *prot, unsigned int *level)
{
	const u64 *table = pgt->root;
	unsigned int lvl;

	if (va >= (1UL << PGT_IA_BITS))
		return false;
	for (lvl = PGT_START_LEVEL; lvl <= 3; lvl++) {
		u64 pte = READ_ONCE(table[pgt_index(va, lvl)]);

		if (!(pte & PTE_VALID))
			return false;
		if (pte_is_table(pte, lvl)) {
			table = pgt_table_of(pgt, pte);
			continue;
		}
		if (pa)
			*pa = (pte & PTE_ADDR) + (va & (pgtable_level_size(lvl) - 1));
		if (prot)
			*prot = pgt_leaf_prot(pgt->stage, pte);
		if (level)
			*level = lvl;
		return true;
	}
	return false;
}
