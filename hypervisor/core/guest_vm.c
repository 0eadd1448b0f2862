// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guests' address spaces: stage-2 tables tagged with a hardware VMID
 * (the low 8 bits of the Gunyah VMID; dynamic VMIDs 0x80-0xbf and static
 * 1-63 never collide, and the host uses 0). Memory is only ever mapped if
 * the ownership record says it was given to that guest.
 */
#include <arch/mmu.h>
#include <arch/sysreg.h>
#include <hyp/gunyah_abi.h>
#include <hyp/memdb.h>
#include <hyp/spinlock.h>
#include <rm/hyp_iface.h>

#define MAX_GUESTS	64

struct hyp_guest {
	bool used;
	u16 vmid;
	u64 vttbr;
	struct pgtable s2;
};

static struct hyp_guest guests[MAX_GUESTS];
static spinlock_t guests_lock;

struct hyp_guest *hyp_guest_create(u16 vmid)
{
	struct hyp_guest *g = NULL;
	unsigned int i;

	spin_lock(&guests_lock);
	for (i = 0; i < MAX_GUESTS && !g; i++) {
		if (!guests[i].used) {
			guests[i].used = true;
			g = &guests[i];
		}
	}
	spin_unlock(&guests_lock);
	if (!g)
		return NULL;
	g->vmid = vmid;
	if (pgtable_init(&g->s2, PGT_STAGE2, &arch_s2_ops, &g->vttbr)) {
		g->used = false;
		return NULL;
	}
	g->vttbr = g->s2.root_pa | ((u64)(vmid & 0xff) << VTTBR_VMID_SHIFT);
	return g;
}

void hyp_guest_destroy(struct hyp_guest *g)
{
	if (!g)
		return;
	/* Nothing of this VMID may stay in the TLBs once its tables are gone. */
	arch_s2_ops.invalidate(&g->vttbr, 0, PGT_START_LEVEL, true);
	pgtable_destroy(&g->s2);
	spin_lock(&guests_lock);
	g->used = false;
	spin_unlock(&guests_lock);
}

int hyp_guest_map(struct hyp_guest *g, u64 ipa, paddr_t pa, u64 size, unsigned int prot)
{
	u64 off;

	/* Every page must have been given to this guest. */
	for (off = 0; off < size; off += SZ_4K) {
		struct memdb_attr a;

		if (memdb_lookup(&hyp_memdb, pa + off, &a) || a.state == MEMDB_OWNED ||
		    a.borrower != g->vmid)
			return GUNYAH_ERROR_MEMDB_NOT_OWNER;
	}
	return pgtable_map(&g->s2, ipa, pa, size, prot);
}

int hyp_guest_unmap(struct hyp_guest *g, u64 ipa, u64 size)
{
	return pgtable_unmap(&g->s2, ipa, size);
}
