// SPDX-License-Identifier: GPL-2.0-only
/* The primary VM; see include/hyp/host_vm.h. */
#include <string.h>
#include <arch/cpu.h>
#include <arch/gic.h>
#include <arch/guest_va.h>
#include <arch/mmu.h>
#include <hyp/alloc.h>
#include <hyp/console.h>
#include <hyp/host_gic.h>
#include <hyp/host_vm.h>
#include <hyp/hypercall.h>
#include <hyp/memdb.h>
#include <hyp/psci.h>
#include <hyp/vm.h>
#include <platform/platform.h>
#include <hyp/guest_ops.h>
#include <hyp/rm_partition.h>

/* Hardware VMID of the primary VM's stage-2 translations. */
#define HOST_HW_VMID	0

extern const struct psci_firmware arch_psci_firmware;

static struct pgtable host_s2;
/* Serialises changes of host_s2 with the check of a host stage-2 fault. */
static spinlock_t host_s2_lock;
static struct psci_host host_psci;

/* Who owns every page of RAM: the host, or the hypervisor. */
struct memdb hyp_memdb;

/* The primary VM as a hypercall caller: buffers are its EL1 virtual addresses. */
static struct hyp_vm host_vm = {
	.vmid = VMID_HLOS,
	.copy_from = guest_va_read,
	.copy_to = guest_va_write,
};

/* Interrupts for the host: virtual SPIs of its GIC. */
struct host_spi {
	struct virq virq;
	u32 intid;
};

static struct host_spi host_spis[PLATFORM_HOST_VIRQ_NR];
static bool host_spi_used[PLATFORM_HOST_VIRQ_NR];
static spinlock_t host_spi_lock;

static void host_spi_raise(struct virq *v)
{
	host_gic_raise(((struct host_spi *)v)->intid);
}

/* The lowest free host SPI, or NULL. */
static struct host_spi *host_spi_alloc(void)
{
	struct host_spi *s = NULL;
	unsigned int i;

	spin_lock(&host_spi_lock);
	for (i = 0; i < PLATFORM_HOST_VIRQ_NR && !s; i++) {
		if (!host_spi_used[i]) {
			host_spi_used[i] = true;
			s = &host_spis[i];
			s->intid = PLATFORM_HOST_VIRQ_BASE + i;
			s->virq.raise = host_spi_raise;
			s->virq.lower = NULL;
		}
	}
	spin_unlock(&host_spi_lock);
	return s;
}

struct virq *hyp_host_virq_alloc(u32 *intid)
{
	struct host_spi *s = host_spi_alloc();

	if (!s)
		return NULL;
	*intid = s->intid;
	return &s->virq;
}

void hyp_host_virq_free(struct virq *virq)
{
	struct host_spi *s = (struct host_spi *)virq;

	if (!virq)
		return;
	spin_lock(&host_spi_lock);
	host_spi_used[s - host_spis] = false;
	spin_unlock(&host_spi_lock);
}

/* Only memory the host owns (given away or not): never the hypervisor's. */
static int host_mem_check(paddr_t pa, size_t len)
{
	struct memdb_attr a;
	paddr_t p;

	if (!len || pa + len < pa)
		return GUNYAH_ERROR_ADDR_OVFL;
	for (p = ALIGN_DOWN(pa, SZ_4K); p < pa + len; p += SZ_4K)
		if (memdb_lookup(&hyp_memdb, p, &a) || a.owner != VMID_HLOS)
			return GUNYAH_ERROR_ADDR_INVAL;
	return 0;
}

int hyp_host_mem_read(void *dst, paddr_t pa, size_t len)
{
	int ret = host_mem_check(pa, len);

	if (!ret)
		memcpy(dst, (const void *)pa, len);
	return ret;
}

int hyp_host_mem_write(paddr_t pa, const void *src, size_t len)
{
	int ret = host_mem_check(pa, len);

	if (!ret) {
		memcpy((void *)pa, src, len);
		/* The guest may start with its caches off. */
		dcache_clean_range((const void *)pa, len);
	}
	return ret;
}

static int host_vm_link_rm(void)
{
	struct host_spi *tx, *rx;
	struct rm_host_irqs irqs;

	tx = host_spi_alloc();
	rx = host_spi_alloc();
	if (!tx || !rx)
		return GUNYAH_ERROR_NORESOURCES;
	irqs = (struct rm_host_irqs){
		.tx = &tx->virq,
		.rx = &rx->virq,
		.tx_intid = tx->intid,
		.rx_intid = rx->intid,
		.free_irq_start = PLATFORM_HOST_VIRQ_BASE,
	};
	return rm_init(&host_vm, &irqs);
}

static bool host_vm_entry_valid(u64 entry)
{
	return host_vm_can_access(entry, PGT_PROT_X);
}

/* Record a RAM region, its page records taken from the page pool. */
static int host_vm_memdb_insert(paddr_t base, u64 size, u16 owner)
{
	void *records = page_alloc_contig(ALIGN_UP(memdb_records_size(size), SZ_4K) / SZ_4K);

	if (!records)
		return GUNYAH_ERROR_NOMEM;
	return memdb_insert(&hyp_memdb, base, size, owner, records);
}

int host_vm_init(const struct machine *m, const struct mem_range *hyp,
		 const struct mem_range *mmio)
{
	unsigned int i;
	int ret;

	/* RAM belongs to the host, except the hypervisor's own. */
	memdb_init(&hyp_memdb);
	ret = host_vm_memdb_insert(hyp->base, hyp->size, VMID_HYP);
	for (i = 0; !ret && i < m->nr_ram; i++) {
		const struct mem_range *r = &m->ram[i];
		u64 end = r->base + r->size, hyp_end = hyp->base + hyp->size;

		if (r->base < hyp->base)
			ret = host_vm_memdb_insert(r->base, MIN(end, hyp->base) - r->base,
						   VMID_HLOS);
		if (!ret && end > hyp_end)
			ret = host_vm_memdb_insert(MAX(r->base, hyp_end),
						   end - MAX(r->base, hyp_end), VMID_HLOS);
	}
	if (ret)
		return ret;

	ret = pgtable_init(&host_s2, PGT_STAGE2, &arch_s2_ops, NULL);
	for (i = 0; !ret && i < m->nr_ram; i++)
		ret = pgtable_map(&host_s2, m->ram[i].base, m->ram[i].base, m->ram[i].size,
				  PGT_PROT_RWX);
	if (!ret)
		ret = pgtable_unmap(&host_s2, hyp->base, hyp->size);
	if (!ret)
		ret = pgtable_map(&host_s2, mmio->base, mmio->base, mmio->size,
				  PGT_PROT_RW | PGT_PROT_DEVICE);
	/* The GIC is the hypervisor's: the host's accesses trap and are emulated. */
	if (!ret)
		ret = pgtable_unmap(&host_s2, PLATFORM_GIC_BASE, PLATFORM_GIC_SIZE);
	if (ret)
		return ret;

	psci_host_init(&host_psci, m->mpidr, m->nr_cpus, 0, &arch_psci_firmware,
		       (u64)hyp_warm_entry, host_vm_entry_valid);
	cspace_init(&host_vm.cspace);
	spin_lock_init(&host_s2_lock);
	spin_lock_init(&host_spi_lock);
	return host_vm_link_rm();
}

u64 host_vm_vttbr(void)
{
	return host_s2.root_pa | ((u64)HOST_HW_VMID << VTTBR_VMID_SHIFT);
}

int hyp_host_mem_give(paddr_t base, u64 size, bool lend, u16 borrower, u32 tag)
{
	const struct memdb_attr from = { VMID_HLOS, MEMDB_OWNED, 0, 0 };
	const struct memdb_attr to = {
		VMID_HLOS, lend ? MEMDB_LENT : MEMDB_SHARED, borrower, tag
	};
	int ret;

	spin_lock(&host_s2_lock);
	ret = memdb_update(&hyp_memdb, base, size, &from, &to);
	/* Lent memory leaves the host's stage 2; shared memory stays. */
	if (!ret && lend) {
		ret = pgtable_unmap(&host_s2, base, size);
		if (ret) {
			/* Out of table pages: put back what may be gone. */
			pgtable_map(&host_s2, base, base, size, PGT_PROT_RWX);
			memdb_update(&hyp_memdb, base, size, &to, &from);
		}
	}
	spin_unlock(&host_s2_lock);
	return ret;
}

int hyp_host_mem_take_back(paddr_t base, u64 size, bool lend, u16 borrower, u32 tag,
			   bool sanitize)
{
	const struct memdb_attr from = {
		VMID_HLOS, lend ? MEMDB_LENT : MEMDB_SHARED, borrower, tag
	};
	const struct memdb_attr to = { VMID_HLOS, MEMDB_OWNED, 0, 0 };
	int ret;

	spin_lock(&host_s2_lock);
	ret = memdb_update(&hyp_memdb, base, size, &from, &to);
	if (!ret && sanitize) {
		/* RAM is identity-mapped at EL2. */
		memset((void *)base, 0, size);
		dcache_clean_range((void *)base, size);
	}
	if (!ret && lend) {
		ret = pgtable_map(&host_s2, base, base, size, PGT_PROT_RWX);
		if (ret)
			memdb_update(&hyp_memdb, base, size, &to, &from);
	}
	spin_unlock(&host_s2_lock);
	return ret;
}

bool host_vm_fault_is_stale(u64 ipa, bool write, bool exec)
{
	unsigned int prot = PGT_PROT_R | (write ? PGT_PROT_W : 0) | (exec ? PGT_PROT_X : 0);
	bool mapped;

	/*
	 * A change of the host's stage 2 breaks a block before it makes the
	 * table that replaces it: an access in that window faults although
	 * the page stays mapped. Once the change is done, retry it.
	 */
	spin_lock(&host_s2_lock);
	mapped = host_vm_can_access(ipa, prot);
	spin_unlock(&host_s2_lock);
	return mapped;
}

bool host_vm_can_access(u64 ipa, unsigned int prot)
{
	unsigned int have;

	if (!pgtable_lookup(&host_s2, ipa, NULL, &have, NULL))
		return false;
	return (have & prot) == prot;
}

static void host_vm_psci(void *ctx __unused, u64 regs[SMCCC_NR_REGS])
{
	psci_host_call(&host_psci, this_cpu()->index, regs);
}

static const struct smccc_handlers host_vm_handlers = {
	.psci = host_vm_psci,
	.hypercall = hypercall_dispatch,
};

void host_vm_smccc(u64 regs[SMCCC_NR_REGS])
{
	u32 num;

	/* The hot calls straight to the table, as smccc_handle() would. */
	if (smccc_is_hypcall(regs[0], &num))
		hypercall_dispatch(&host_vm, num, regs);
	else
		smccc_handle(&host_vm_handlers, &host_vm, regs);
}

bool host_vm_native_hvc(u16 imm, u64 regs[SMCCC_NR_REGS])
{
	return smccc_handle_native(&host_vm_handlers, &host_vm, imm, regs);
}

bool host_vm_cpu_started(unsigned int cpu, u64 *entry, u64 *context)
{
	return psci_host_cpu_started(&host_psci, cpu, entry, context);
}
