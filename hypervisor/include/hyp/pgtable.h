/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VMSAv8-64 translation tables, 4 KiB granule, 39-bit input addresses
 * (start level 1). One builder serves the hypervisor's own EL2 stage-1 tables
 * and every VM's stage-2 tables. Pure logic: memory for tables and TLB
 * maintenance come from the caller through struct pgtable_ops, so the same
 * code runs in the unit tests on the build host.
 */
#ifndef HYP_PGTABLE_H
#define HYP_PGTABLE_H

#include <hyp/types.h>

#define PGT_IA_BITS		39
#define PGT_START_LEVEL		1
#define PGT_LEVELS		4	/* levels 0..3; we use 1..3 */
#define PGT_ENTRIES		512

/* Permissions and memory type of a mapping, independent of the stage. */
#define PGT_PROT_R		BIT(0)
#define PGT_PROT_W		BIT(1)
#define PGT_PROT_X		BIT(2)
#define PGT_PROT_DEVICE		BIT(3)	/* Device-nGnRE instead of Normal WB */
#define PGT_PROT_RW		(PGT_PROT_R | PGT_PROT_W)
#define PGT_PROT_RWX		(PGT_PROT_RW | PGT_PROT_X)

/* Descriptor fields. */
#define PTE_VALID		BIT(0)
#define PTE_TABLE		BIT(1)	/* table at levels 0-2, page at level 3 */
#define PTE_ADDR		GENMASK(47, 12)
#define PTE_S1_ATTRIDX		GENMASK(4, 2)
#define PTE_S1_AP_RO		BIT(7)
#define PTE_S1_AP_RES1		BIT(6)	/* AP[1] is RES1 in the EL2 regime */
#define PTE_S2_MEMATTR		GENMASK(5, 2)
#define PTE_S2_AP_R		BIT(6)
#define PTE_S2_AP_W		BIT(7)
#define PTE_SH_INNER		(3UL << 8)
#define PTE_AF			BIT(10)
#define PTE_XN			BIT(54)

/* MAIR_EL2 indices used by the EL2 stage-1 tables. */
#define MAIR_IDX_NORMAL		0	/* 0xff: Normal, inner/outer WB RA WA */
#define MAIR_IDX_DEVICE		1	/* 0x04: Device-nGnRE */
#define MAIR_EL2_VALUE		(0xffUL | (0x04UL << 8))

/* Stage-2 MemAttr values. */
#define S2_MEMATTR_NORMAL_WB	0xf
#define S2_MEMATTR_DEVICE_nGnRE	0x1

enum pgtable_stage {
	PGT_STAGE1_EL2,
	PGT_STAGE2,
};

struct pgtable_ops {
	/* A zeroed, page-aligned table page, or NULL. */
	void *(*alloc_table)(void *ctx);
	void (*free_table)(void *ctx, void *table);
	paddr_t (*virt_to_phys)(void *ctx, void *va);
	void *(*phys_to_virt)(void *ctx, paddr_t pa);
	/*
	 * A valid entry for @va at @level was just cleared: make every walker
	 * forget it before the entry is written again (break-before-make).
	 * For a @table entry, that is everything cached from the tables below
	 * it, not only the translation of @va.
	 */
	void (*invalidate)(void *ctx, u64 va, unsigned int level, bool table);
};

struct pgtable {
	u64 *root;
	paddr_t root_pa;
	enum pgtable_stage stage;
	const struct pgtable_ops *ops;
	void *ctx;
};

/* Returns 0 or a Gunyah error (GUNYAH_ERROR_NOMEM). */
int pgtable_init(struct pgtable *pgt, enum pgtable_stage stage,
		 const struct pgtable_ops *ops, void *ctx);

/* Free every table page of @pgt. Mappings must no longer be in use. */
void pgtable_destroy(struct pgtable *pgt);

/*
 * Map [@va, @va + @size) to @pa with @prot, replacing what was there. Uses
 * 1 GiB and 2 MiB blocks wherever @va and @pa allow. Returns 0,
 * GUNYAH_ERROR_ARG_ALIGN, GUNYAH_ERROR_ADDR_OVFL or GUNYAH_ERROR_NOMEM; on
 * NOMEM the range may be partly mapped.
 */
int pgtable_map(struct pgtable *pgt, u64 va, paddr_t pa, u64 size, unsigned int prot);

/* Remove every mapping in [@va, @va + @size), splitting blocks at the edges. */
int pgtable_unmap(struct pgtable *pgt, u64 va, u64 size);

/* Translate @va: true and the output address, prot and level if mapped. */
bool pgtable_lookup(const struct pgtable *pgt, u64 va, paddr_t *pa,
		    unsigned int *prot, unsigned int *level);

/* The leaf descriptor attributes (no address, no type bits) for @prot. */
u64 pgtable_leaf_attrs(enum pgtable_stage stage, unsigned int prot);

/* Size mapped by one entry at @level. */
static inline u64 pgtable_level_size(unsigned int level)
{
	return 1UL << (12 + 9 * (3 - level));
}

#endif
