// SPDX-License-Identifier: GPL-2.0-only
/* The hypervisor side of the RM's fuzz targets; see fuzz/rm_env.h. */
#include <stdarg.h>
#include <fuzz.h>
#include <rm_env.h>
#include <hyp/console.h>
#include <hyp/gunyah_abi.h>
#include <hyp/vcpu.h>
#include <hyp/vm.h>
#include <hyp/guest_ops.h>
#include <rm/vm_config.h>

struct memdb hyp_memdb;
struct memdb_page env_records[ENV_HOST_PAGES];
u8 env_ram[ENV_RAM_SIZE];
struct hyp_guest env_guests[ENV_NR_GUESTS];
bool env_fail_map;
u32 env_write_tag;

/* The part of env_ram written since the last reset. */
static size_t dirty_lo = ENV_RAM_SIZE, dirty_hi;

static struct virq_slot {
	struct virq v;
	bool used;
} virqs[ENV_NR_VIRQS];

void env_mark_dirty(size_t off, size_t len)
{
	dirty_lo = MIN(dirty_lo, off);
	dirty_hi = MAX(dirty_hi, off + len);
}

void env_reset(void)
{
	memdb_init(&hyp_memdb);
	FUZZ_ASSERT(!memdb_insert(&hyp_memdb, ENV_HOST_BASE, ENV_HOST_SIZE, VMID_HLOS,
				  env_records));
	if (dirty_lo < dirty_hi)
		memset(env_ram + dirty_lo, 0, dirty_hi - dirty_lo);
	dirty_lo = ENV_RAM_SIZE;
	dirty_hi = 0;
	memset(env_guests, 0, sizeof(env_guests));
	memset(virqs, 0, sizeof(virqs));
	env_fail_map = false;
	env_write_tag = 0;
}

void env_check_clean(void)
{
	unsigned int i;

	for (i = 0; i < ENV_HOST_PAGES; i++)
		FUZZ_ASSERT(env_records[i].owner == VMID_HLOS && !env_records[i].borrower &&
			    !env_records[i].state_tag);
	for (i = 0; i < ENV_NR_GUESTS; i++)
		FUZZ_ASSERT(!env_guests[i].used);
	for (i = 0; i < ENV_NR_VIRQS; i++)
		FUZZ_ASSERT(!virqs[i].used);
}

void hyp_log_prefix(const char *prefix, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	/* Formatted as the RM's log would be: bad arguments show here. */
	va_start(ap, fmt);
	hyp_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
}

int hyp_host_mem_give(paddr_t base, u64 size, bool lend, u16 borrower, u32 tag)
{
	const struct memdb_attr from = { VMID_HLOS, MEMDB_OWNED, 0, 0 };
	const struct memdb_attr to = { VMID_HLOS, lend ? MEMDB_LENT : MEMDB_SHARED, borrower,
				       tag };

	FUZZ_ASSERT(tag && tag <= MEMDB_TAG_MAX);
	return memdb_update(&hyp_memdb, base, size, &from, &to);
}

int hyp_host_mem_take_back(paddr_t base, u64 size, bool lend, u16 borrower, u32 tag,
			   bool sanitize)
{
	const struct memdb_attr from = { VMID_HLOS, lend ? MEMDB_LENT : MEMDB_SHARED, borrower,
					 tag };
	const struct memdb_attr to = { VMID_HLOS, MEMDB_OWNED, 0, 0 };

	/* The RM takes back only what it gave, as it gave it. */
	FUZZ_ASSERT(!memdb_update(&hyp_memdb, base, size, &from, &to));
	return 0;
}

static bool ram_range(paddr_t pa, size_t len)
{
	return pa >= ENV_HOST_BASE && len <= ENV_RAM_SIZE &&
	       pa - ENV_HOST_BASE <= ENV_RAM_SIZE - len;
}

int hyp_host_mem_read(void *dst, paddr_t pa, size_t len)
{
	if (!ram_range(pa, len))
		return GUNYAH_ERROR_ADDR_INVAL;
	memcpy(dst, env_ram + (pa - ENV_HOST_BASE), len);
	return 0;
}

int hyp_host_mem_write(paddr_t pa, const void *src, size_t len)
{
	u64 off;

	if (env_write_tag) {
		/* Only into the pages of the parcel being written. */
		for (off = ALIGN_DOWN(pa, SZ_4K); off < pa + len; off += SZ_4K) {
			struct memdb_attr a;

			FUZZ_ASSERT(!memdb_lookup(&hyp_memdb, off, &a));
			FUZZ_ASSERT(a.state != MEMDB_OWNED && a.tag == env_write_tag);
		}
	}
	if (!ram_range(pa, len))
		return GUNYAH_ERROR_ADDR_INVAL;
	memcpy(env_ram + (pa - ENV_HOST_BASE), src, len);
	env_mark_dirty(pa - ENV_HOST_BASE, len);
	return 0;
}

struct virq *hyp_host_virq_alloc(u32 *intid)
{
	unsigned int i;

	for (i = 0; i < ENV_NR_VIRQS; i++) {
		if (!virqs[i].used) {
			virqs[i].used = true;
			*intid = 0x100 + i;
			return &virqs[i].v;
		}
	}
	return NULL;
}

void hyp_host_virq_free(struct virq *virq)
{
	struct virq_slot *s = (struct virq_slot *)virq;

	if (!virq)
		return;
	FUZZ_ASSERT(s >= virqs && s < virqs + ENV_NR_VIRQS && s->used);
	s->used = false;
}

struct hyp_guest *hyp_guest_create(u16 vmid)
{
	unsigned int i;

	for (i = 0; i < ENV_NR_GUESTS; i++) {
		FUZZ_ASSERT(!env_guests[i].used || env_guests[i].vmid != vmid);
	}
	for (i = 0; i < ENV_NR_GUESTS; i++) {
		if (!env_guests[i].used) {
			env_guests[i] = (struct hyp_guest){ .used = true, .vmid = vmid };
			return &env_guests[i];
		}
	}
	return NULL;
}

void hyp_guest_destroy(struct hyp_guest *g)
{
	FUZZ_ASSERT(g->used);
	/* Nothing may stay mapped in a guest that goes away. */
	FUZZ_ASSERT(!g->mapped);
	FUZZ_ASSERT(!g->busy);
	g->used = false;
}

int hyp_guest_map(struct hyp_guest *g, u64 ipa, paddr_t pa, u64 size, unsigned int prot)
{
	u64 off;

	FUZZ_ASSERT(g->used && size && IS_ALIGNED(pa | size | ipa, SZ_4K));
	/* A failed call may leave part of its range mapped: it may be undone. */
	g->failed_ipa = ipa;
	g->failed_size = size;
	if (env_fail_map) {
		env_fail_map = false;
		return GUNYAH_ERROR_NOMEM;
	}
	/* As the hypervisor does: only memory given to this guest. */
	for (off = 0; off < size; off += SZ_4K) {
		struct memdb_attr a;

		if (memdb_lookup(&hyp_memdb, pa + off, &a) || a.state == MEMDB_OWNED ||
		    a.borrower != g->vmid)
			return GUNYAH_ERROR_MEMDB_NOT_OWNER;
	}
	g->failed_size = 0;
	FUZZ_ASSERT(g->nr_maps < ENV_MAX_MAPS);
	g->maps[g->nr_maps].ipa = ipa;
	g->maps[g->nr_maps++].size = size;
	g->mapped += size;
	return 0;
}

int hyp_guest_unmap(struct hyp_guest *g, u64 ipa, u64 size)
{
	unsigned int i;

	FUZZ_ASSERT(g->used);
	if (g->failed_size && ipa == g->failed_ipa && size == g->failed_size) {
		g->failed_size = 0;
		return 0;
	}
	/* Only what was mapped: any other range may be some other mapping's. */
	for (i = 0; i < g->nr_maps; i++) {
		if (g->maps[i].ipa == ipa && g->maps[i].size == size) {
			g->maps[i] = g->maps[--g->nr_maps];
			g->mapped -= size;
			return 0;
		}
	}
	FUZZ_ASSERT(!"unmap of a range never mapped");
	return 0;
}

int hyp_guest_configure(struct hyp_guest *g, unsigned int nr_vcpus, u64 gicd, u64 gicr)
{
	if (!nr_vcpus || nr_vcpus > RM_VM_MAX_VCPUS)
		return GUNYAH_ERROR_ARG_INVAL;
	g->nr_vcpus = nr_vcpus;
	return 0;
}

/* The RM names windows of the guest's IPA space, never empty or wrapping */
int hyp_guest_add_vmmio(struct hyp_guest *g, u64 base, u64 size)
{
	FUZZ_ASSERT(size && base + size > base);
	return 0;
}

int hyp_guest_bind_vcpu(struct hyp_guest *g, struct vcpu *vcpu)
{
	if (vcpu->index >= g->nr_vcpus)
		return GUNYAH_ERROR_ARG_INVAL;
	vcpu->guest = g;
	return 0;
}

void hyp_guest_bind_halt(struct hyp_guest *g, struct virq *halt)
{
}

/* The RM passes only what it checked: a priority below its owner's, a timeslice in range. */
int hyp_guest_sched_vcpu(struct hyp_guest *g, unsigned int index, u16 cpu, u8 prio,
			 u64 timeslice_ns)
{
	FUZZ_ASSERT(index < g->nr_vcpus);
	FUZZ_ASSERT(prio < 32);
	FUZZ_ASSERT(timeslice_ns >= 100000 && timeslice_ns <= 100000000);
	return cpu != 0xffff && cpu >= 8 ? GUNYAH_ERROR_ARG_INVAL : 0;
}

int hyp_guest_bind_doorbell(struct hyp_guest *g, struct doorbell *db, u32 intid)
{
	/* As the vGIC: SPIs 32-95 only. */
	return intid < 32 || intid > 95 ? GUNYAH_ERROR_ARG_INVAL : 0;
}

int hyp_guest_start(struct hyp_guest *g, const u64 *regs, unsigned int nr_regs)
{
	FUZZ_ASSERT(g->used && !g->started && nr_regs == HYP_BOOT_NR_REGS);
	g->started = true;
	return 0;
}

void hyp_guest_stop(struct hyp_guest *g)
{
	if (g->exit == GUEST_RUNNING)
		g->exit = GUEST_EXIT_STOPPED;
}

enum guest_exit hyp_guest_exit_reason(struct hyp_guest *g)
{
	return g->exit;
}

bool hyp_guest_busy(struct hyp_guest *g)
{
	return g->busy;
}
