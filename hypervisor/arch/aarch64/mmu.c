// SPDX-License-Identifier: GPL-2.0-only
/*
 * EL2 translation: the hypervisor maps RAM and device memory 1:1 and keeps
 * its own image write-xor-execute. Stage-2 tables of VMs are built with the
 * same pgtable code and these operations.
 */
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <hyp/alloc.h>
#include <hyp/gunyah_abi.h>

struct el2_mmu_config el2_mmu_config;
static struct pgtable el2_pgt;
static bool el2_mmu_on;

static void *mmu_alloc_table(void *ctx __unused)
{
	return page_alloc();
}

static void mmu_free_table(void *ctx __unused, void *table)
{
	page_free(table);
}

/* Hypervisor memory is identity-mapped: table VA == PA. */
static paddr_t mmu_virt_to_phys(void *ctx __unused, void *va)
{
	return (paddr_t)va;
}

static void *mmu_phys_to_virt(void *ctx __unused, paddr_t pa)
{
	return (void *)pa;
}

static void el2_invalidate(void *ctx __unused, u64 va, unsigned int level __unused,
			   bool table)
{
	if (!el2_mmu_on)
		return;
	dsb(ishst);
	if (table)
		asm volatile("tlbi alle2is" : : : "memory");
	else
		asm volatile("tlbi vae2is, %0" : : "r"(va >> 12) : "memory");
	dsb(ish);
	isb();
}

/*
 * TLB maintenance by IPA acts on the VMID in VTTBR_EL2. @ctx is NULL for
 * the tables of the VM that is current on this CPU (the host), or points
 * to the VTTBR value of another VM, which is loaded around the operation.
 */
static void s2_invalidate(void *ctx, u64 ipa, unsigned int level __unused, bool table)
{
	u64 saved = 0;

	if (ctx) {
		saved = read_sysreg(vttbr_el2);
		write_sysreg(*(u64 *)ctx, vttbr_el2);
		isb();
	}
	dsb(ishst);
	/* A by-IPA invalidation also drops a block entry covering @ipa. */
	if (table)
		asm volatile("tlbi vmalls12e1is" : : : "memory");
	else
		asm volatile("tlbi ipas2e1is, %0" : : "r"(ipa >> 12) : "memory");
	dsb(ish);
	/* Combined stage-1+2 entries are not tagged by IPA: drop them all. */
	asm volatile("tlbi vmalle1is" : : : "memory");
	dsb(ish);
	isb();
	if (ctx) {
		write_sysreg(saved, vttbr_el2);
		isb();
	}
}

static const struct pgtable_ops el2_ops = {
	.alloc_table = mmu_alloc_table,
	.free_table = mmu_free_table,
	.virt_to_phys = mmu_virt_to_phys,
	.phys_to_virt = mmu_phys_to_virt,
	.invalidate = el2_invalidate,
};

const struct pgtable_ops arch_s2_ops = {
	.alloc_table = mmu_alloc_table,
	.free_table = mmu_free_table,
	.virt_to_phys = mmu_virt_to_phys,
	.phys_to_virt = mmu_phys_to_virt,
	.invalidate = s2_invalidate,
};

/* PS field for TCR/VTCR: the CPU's PA size, at most 48 bits. */
static u64 mmu_ps(void)
{
	return MIN(FIELD_GET(ID_AA64MMFR0_PARANGE, read_sysreg(id_aa64mmfr0_el1)), 5UL);
}

u64 arch_vtcr(void)
{
	return VTCR_EL2_RES1 | TCR_T0SZ(PGT_IA_BITS) | VTCR_SL0_LEVEL1 | TCR_IRGN0_WBWA |
	       TCR_ORGN0_WBWA | TCR_SH0_INNER | (mmu_ps() << VTCR_PS_SHIFT);
}

int arch_mmu_init(const struct machine *m, const struct mem_range *mmio)
{
	u64 start = (u64)__hyp_start;
	unsigned int i;
	int ret;

	/* 39-bit input addresses need at least 40-bit physical addresses. */
	if (mmu_ps() < 2)
		return GUNYAH_ERROR_UNIMPLEMENTED;

	ret = pgtable_init(&el2_pgt, PGT_STAGE1_EL2, &el2_ops, NULL);
	for (i = 0; !ret && i < m->nr_ram; i++)
		ret = pgtable_map(&el2_pgt, m->ram[i].base, m->ram[i].base, m->ram[i].size,
				  PGT_PROT_RW);
	if (!ret)
		ret = pgtable_map(&el2_pgt, mmio->base, mmio->base, mmio->size,
				  PGT_PROT_RW | PGT_PROT_DEVICE);
	/* The image itself: text RX, rodata R, the rest stays RW. */
	if (!ret)
		ret = pgtable_map(&el2_pgt, start, start, (u64)__text_end - start,
				  PGT_PROT_R | PGT_PROT_X);
	if (!ret)
		ret = pgtable_map(&el2_pgt, (u64)__text_end, (u64)__text_end,
				  (u64)__rodata_end - (u64)__text_end, PGT_PROT_R);
	if (ret)
		return ret;

	el2_mmu_config.mair = MAIR_EL2_VALUE;
	el2_mmu_config.tcr = TCR_EL2_RES1 | TCR_T0SZ(PGT_IA_BITS) | TCR_IRGN0_WBWA |
			     TCR_ORGN0_WBWA | TCR_SH0_INNER | (mmu_ps() << TCR_EL2_PS_SHIFT);
	el2_mmu_config.ttbr0 = el2_pgt.root_pa;
	el2_mmu_config.sctlr = SCTLR_EL2_RES1 | SCTLR_EL2_M | SCTLR_EL2_C | SCTLR_EL2_SA |
			       SCTLR_EL2_I | SCTLR_EL2_WXN;

	write_sysreg(el2_mmu_config.mair, mair_el2);
	write_sysreg(el2_mmu_config.tcr, tcr_el2);
	write_sysreg(el2_mmu_config.ttbr0, ttbr0_el2);
	isb();
	asm volatile("tlbi alle2" : : : "memory");
	dsb(nsh);
	isb();
	write_sysreg(el2_mmu_config.sctlr, sctlr_el2);
	isb();
	el2_mmu_on = true;

	/* Secondary CPUs read this with their MMU off. */
	dcache_clean_range(&el2_mmu_config, sizeof(el2_mmu_config));
	return 0;
}
