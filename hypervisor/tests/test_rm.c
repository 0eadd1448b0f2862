// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of the resource manager (rm/rm.c, rm/vm_mgmt.c) end to end:
 * the test plays the primary VM, talking to the RM only through
 * hypercall_dispatch on the capabilities rm_init gave it, exactly as Linux
 * does with HVC (../shared/spec/abi.md §6, §7.4). The RM runs synchronously
 * inside the hypercall that raises its interrupt.
 */
#include <stdarg.h>
#include <string.h>
#include <hyp/alloc.h>
#include <hyp/console.h>
#include <hyp/dt_check.h>
#include <hyp/gunyah_abi.h>
#include <hyp/hypercall.h>
#include <hyp/hypcall_private.h>
#include <hyp/memdb.h>
#include <hyp/vm.h>
#include <libfdt.h>
#include <hyp/guest_ops.h>
#include <hyp/rm_partition.h>
#include <rm/hypcall.h>
#include <rm/vm_config.h>
#include <rm/memparcel.h>
#include <rm/notify.h>
#include <rm/rm.h>
#include "test.h"

#define PTR(p)		((u64)(uintptr_t)(p))

#define VM_GET_STATE	0x56000017U
#define VM_GET_VMID	0x56000024U
#define VM_HOST_GET_TYPE 0x560000a0U

#define POOL_PAGES	16

static const u8 nothing[4];

/*
 * The hypervisor's side of memory parcels: the real ownership record, and
 * a count of the pages that left (lend) or came back to the host's stage 2.
 */
struct memdb hyp_memdb;
static struct memdb_page host_records[0x40000000 / 4096];
static struct memdb_page hyp_records[0x4000000 / 4096];
static u64 host_unmapped, host_remapped, sanitized;

int hyp_host_mem_give(paddr_t base, u64 size, bool lend, u16 borrower, u32 tag)
{
	const struct memdb_attr from = { VMID_HLOS, MEMDB_OWNED, 0, 0 };
	const struct memdb_attr to = { VMID_HLOS, lend ? MEMDB_LENT : MEMDB_SHARED, borrower,
				       tag };
	int ret = memdb_update(&hyp_memdb, base, size, &from, &to);

	if (!ret && lend)
		host_unmapped += size;
	return ret;
}

int hyp_host_mem_take_back(paddr_t base, u64 size, bool lend, u16 borrower, u32 tag,
			   bool sanitize)
{
	const struct memdb_attr from = { VMID_HLOS, lend ? MEMDB_LENT : MEMDB_SHARED, borrower,
					 tag };
	const struct memdb_attr to = { VMID_HLOS, MEMDB_OWNED, 0, 0 };
	int ret = memdb_update(&hyp_memdb, base, size, &from, &to);

	if (!ret && lend)
		host_remapped += size;
	if (!ret && sanitize)
		sanitized += size;
	return ret;
}

/* Host RAM the RM may read (VM-config devicetrees): 1 MiB at 0x50000000. */
#define FAKE_RAM_BASE	0x50000000UL
static u8 fake_ram[0x100000] __aligned(8);

int hyp_host_mem_read(void *dst, paddr_t pa, size_t len)
{
	if (pa < FAKE_RAM_BASE || pa + len > FAKE_RAM_BASE + sizeof(fake_ram))
		return GUNYAH_ERROR_ADDR_INVAL;
	memcpy(dst, fake_ram + (pa - FAKE_RAM_BASE), len);
	return 0;
}

int hyp_host_mem_write(paddr_t pa, const void *src, size_t len)
{
	if (pa < FAKE_RAM_BASE || pa + len > FAKE_RAM_BASE + sizeof(fake_ram))
		return GUNYAH_ERROR_ADDR_INVAL;
	memcpy(fake_ram + (pa - FAKE_RAM_BASE), src, len);
	return 0;
}

/* Host interrupts: a pool of eight, counted. */
static struct fake_virq_slot {
	struct virq v;
	bool used;
} host_virqs[8];

struct virq *hyp_host_virq_alloc(u32 *intid)
{
	unsigned int i;

	for (i = 0; i < 8; i++) {
		if (!host_virqs[i].used) {
			host_virqs[i].used = true;
			*intid = 0x100 + i;
			return &host_virqs[i].v;
		}
	}
	return NULL;
}

void hyp_host_virq_free(struct virq *virq)
{
	if (virq)
		((struct fake_virq_slot *)virq)->used = false;
}

/* Guests: what is mapped, in bytes, and where the first mapping went. */
struct hyp_guest {
	bool used;
	u16 vmid;
	u64 mapped;
	u64 first_ipa;
	paddr_t first_pa;
	/* the execution side: what the RM configured, and how it ended */
	unsigned int nr_vcpus;
	u64 gicd, gicr;
	unsigned int bound_vcpus;
	struct virq *halt;
	bool started;
	u64 boot_pc, boot_x0;
	enum guest_exit exit;
	bool busy;
	/* VMMIO ranges the RM registered */
	unsigned int nr_vmmio;
	u64 vmmio_base, vmmio_size;
	/* doorbells bound to guest SPIs */
	unsigned int nr_bells;
	u32 bell_intid[4];
	struct doorbell *bell[4];
	/* vCPUs the hypervisor schedules: CPU, priority, timeslice */
	unsigned int nr_sched;
	u16 sched_cpu[8];
	u8 sched_prio;
	u64 sched_slice_ns;
};
static struct hyp_guest fake_guests[4];

/* The fake machine's CPUs, for vCPU affinities. */
#define FAKE_NR_CPUS	2

struct hyp_guest *hyp_guest_create(u16 vmid)
{
	unsigned int i;

	for (i = 0; i < 4; i++) {
		if (!fake_guests[i].used) {
			fake_guests[i] = (struct hyp_guest){ .used = true, .vmid = vmid, .first_ipa = ~0UL };
			return &fake_guests[i];
		}
	}
	return NULL;
}

void hyp_guest_destroy(struct hyp_guest *g)
{
	g->used = false;
}

int hyp_guest_map(struct hyp_guest *g, u64 ipa, paddr_t pa, u64 size, unsigned int prot)
{
	struct memdb_attr a;

	/* As the hypervisor does: only memory given to this guest. */
	if (memdb_lookup(&hyp_memdb, pa, &a) || a.state == MEMDB_OWNED || a.borrower != g->vmid)
		return GUNYAH_ERROR_MEMDB_NOT_OWNER;
	if (ipa < g->first_ipa) {
		g->first_ipa = ipa;
		g->first_pa = pa;
	}
	g->mapped += size;
	return 0;
}

int hyp_guest_unmap(struct hyp_guest *g, u64 ipa, u64 size)
{
	g->mapped -= size;
	return 0;
}

int hyp_guest_configure(struct hyp_guest *g, unsigned int nr_vcpus, u64 gicd, u64 gicr)
{
	g->nr_vcpus = nr_vcpus;
	g->gicd = gicd;
	g->gicr = gicr;
	return 0;
}

int hyp_guest_add_vmmio(struct hyp_guest *g, u64 base, u64 size)
{
	if (g->nr_vmmio++ == 0) {
		g->vmmio_base = base;
		g->vmmio_size = size;
	}
	return 0;
}

int hyp_guest_bind_vcpu(struct hyp_guest *g, struct vcpu *vcpu)
{
	if (vcpu->index >= g->nr_vcpus)
		return GUNYAH_ERROR_ARG_INVAL;
	g->bound_vcpus++;
	vcpu->guest = g;
	return 0;
}

int hyp_guest_bind_doorbell(struct hyp_guest *g, struct doorbell *db, u32 intid)
{
	/* As the vGIC: SPIs 32-95 only. */
	if (g->nr_bells == 4 || intid < 32 || intid > 95)
		return GUNYAH_ERROR_ARG_INVAL;
	g->bell[g->nr_bells] = db;
	g->bell_intid[g->nr_bells++] = intid;
	return 0;
}

void hyp_guest_bind_halt(struct hyp_guest *g, struct virq *halt)
{
	g->halt = halt;
}

int hyp_guest_sched_vcpu(struct hyp_guest *g, unsigned int index, u16 cpu, u8 prio,
			 u64 timeslice_ns)
{
	/* As the hypervisor: an existing CPU, or none. */
	if (index >= g->nr_vcpus || (cpu != 0xffff && cpu >= FAKE_NR_CPUS))
		return GUNYAH_ERROR_ARG_INVAL;
	g->sched_cpu[index] = cpu;
	g->sched_prio = prio;
	g->sched_slice_ns = timeslice_ns;
	g->nr_sched++;
	return 0;
}

int hyp_guest_start(struct hyp_guest *g, const u64 *regs, unsigned int nr_regs)
{
	g->started = true;
	g->boot_pc = regs[HYP_BOOT_REG_PC];
	g->boot_x0 = regs[0];
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

/* ---- the RM's log ------------------------------------------------------------- */

static char log_buf[8192];
static size_t log_len;
static unsigned int log_bad_prefix;

void hyp_log_prefix(const char *prefix, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (strcmp(prefix, "[RM] "))
		log_bad_prefix++;
	va_start(ap, fmt);
	n = hyp_vsnprintf(log_buf + log_len, sizeof(log_buf) - log_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		log_len = MIN(log_len + (size_t)n, sizeof(log_buf) - 1);
}

/* ---- the primary VM --------------------------------------------------------------- */

struct fake_virq {
	struct virq v;
	unsigned int raised;
};

static void fake_raise(struct virq *v)
{
	((struct fake_virq *)v)->raised++;
}

static struct hyp_vm host;
static struct fake_virq host_tx, host_rx;
static const struct rm_host_irqs host_irqs = {
	.tx = &host_tx.v,
	.rx = &host_rx.v,
	.tx_intid = 0xe0,
	.rx_intid = 0xe1,
	.free_irq_start = 0xe2,
};
static u64 tx_cap, rx_cap;
static u8 *pool;

static int host_copy_from(void *dst, u64 addr, size_t len)
{
	memcpy(dst, (const void *)(uintptr_t)addr, len);
	return 0;
}

static int host_copy_to(u64 addr, const void *src, size_t len)
{
	memcpy((void *)(uintptr_t)addr, src, len);
	return 0;
}

/* A fresh page pool and primary VM; @precaps dummy caps already in its cspace. */
static void host_reset(u16 vmid, unsigned int pool_pages, unsigned int precaps)
{
	static struct object dummy = { OBJECT_DOORBELL };
	unsigned int i;
	u64 id;

	if (!pool)
		pool = aligned_alloc(SZ_4K, POOL_PAGES * SZ_4K);
	page_pool_init(PTR(pool), pool_pages * SZ_4K);
	memset(&host, 0, sizeof(host));
	host.vmid = vmid;
	cspace_init(&host.cspace);
	host.copy_from = host_copy_from;
	host.copy_to = host_copy_to;
	for (i = 0; i < precaps; i++)
		cspace_insert(&host.cspace, &dummy, RIGHT_DOORBELL_SEND, &id);
	host_tx = (struct fake_virq){ .v = { .raise = fake_raise } };
	host_rx = (struct fake_virq){ .v = { .raise = fake_raise } };
	log_len = 0;
	log_buf[0] = 0;
	log_bad_prefix = 0;
}

/*
 * The usual set-up: VM @vmid, its link to the RM on caps 0 and 1. Every
 * rm_init that gets as far as its queues takes two of core/objects.c's
 * queues for good (nothing frees them): at most 48 in this binary, which
 * has 96 (-DMAX_MSGQS).
 */
static int setup(u16 vmid)
{
	int ret;

	host_reset(vmid, POOL_PAGES, 0);
	/* 1 GiB of host RAM at 0x40000000, the hypervisor's 64 MiB after it. */
	memdb_init(&hyp_memdb);
	memdb_insert(&hyp_memdb, 0x40000000, 0x40000000, VMID_HLOS, host_records);
	memdb_insert(&hyp_memdb, 0x80000000, 0x4000000, VMID_HYP, hyp_records);
	host_unmapped = 0;
	host_remapped = 0;
	sanitized = 0;
	memset(host_virqs, 0, sizeof(host_virqs));
	memset(fake_guests, 0, sizeof(fake_guests));
	ret = rm_init(&host, &host_irqs);
	tx_cap = rm_host_link()->tx_cap;
	rx_cap = rm_host_link()->rx_cap;
	return ret;
}

/* msgqueue_send on the TX cap: returns x0; *not_full = x1. */
static s64 host_send(const void *pkt, size_t len, u64 flags, u64 *not_full)
{
	u64 r[SMCCC_NR_REGS] = { 0, tx_cap, len, PTR(pkt), flags, 0, 0, 0 };

	hypercall_dispatch(&host, GUNYAH_HYPCALL_MSGQ_SEND, r);
	if (not_full)
		*not_full = r[1];
	return (s64)r[0];
}

/* msgqueue_receive on the RX cap: returns x0; *size = x1, *not_empty = x2. */
static s64 host_recv(void *buf, size_t bufsize, u64 *size, u64 *not_empty)
{
	u64 r[SMCCC_NR_REGS] = { 0, rx_cap, PTR(buf), bufsize, 0, 0, 0, 0 };

	hypercall_dispatch(&host, GUNYAH_HYPCALL_MSGQ_RECEIVE, r);
	if (size)
		*size = r[1];
	if (not_empty)
		*not_empty = r[2];
	return (s64)r[0];
}

/* Send a whole request the way Linux does: PUSH on the last packet only. */
static s64 host_request(u32 msg_id, u16 seq, const void *data, size_t len)
{
	int cont = rm_rpc_continuations(len), i;
	u8 pkt[RM_RPC_PACKET_MAX];
	s64 ret = 0;

	for (i = 0; i <= cont && !ret; i++) {
		size_t n = rm_rpc_packet(pkt, RM_RPC_REQUEST, msg_id, seq, data ? data : nothing,
					 len, i);

		ret = host_send(pkt, n, i == cont ? GUNYAH_MSGQ_SEND_PUSH : 0, NULL);
	}
	return ret;
}

/* Receive one packet and compare it with the reply expected, byte for byte. */
static int expect_reply(u16 seq, u32 msg_id, u32 err, const void *data, size_t len)
{
	u8 want[RM_RPC_PACKET_MAX], got[RM_RPC_PACKET_MAX];
	u64 size = 0, not_empty = 0;
	int ok;

	want[0] = 0x21;
	want[1] = RM_RPC_REPLY;		/* no continuations */
	rm_put_le16(want + 2, seq);
	rm_put_le32(want + 4, msg_id);
	rm_put_le32(want + 8, err);
	if (len)
		memcpy(want + 12, data, len);
	memset(got, 0xee, sizeof(got));
	ok = CHECK_EQ(host_recv(got, sizeof(got), &size, &not_empty), 0);
	ok = ok && CHECK_EQ(size, 12 + len);
	ok = ok && CHECK_MEM_EQ(got, want, 12 + len);
	if (!ok)
		printf("#     reply to %#x seq %u\n", msg_id, seq);
	return ok;
}

static int expect_u32_reply(u16 seq, u32 msg_id, u32 v)
{
	u8 d[4];

	rm_put_le32(d, v);
	return expect_reply(seq, msg_id, RM_OK, d, 4);
}

static int expect_no_reply(void)
{
	u8 buf[RM_RPC_PACKET_MAX];

	return CHECK_EQ(host_recv(buf, sizeof(buf), NULL, NULL), GUNYAH_ERROR_MSGQUEUE_EMPTY);
}

/* ---- set-up ------------------------------------------------------------------------ */

TEST(init_gives_the_host_caps_0_and_1)
{
	const struct rm_link_info *link;
	struct object *obj;
	u64 before;

	host_reset(VMID_HLOS, POOL_PAGES, 0);
	before = page_pool_free_pages();
	CHECK_EQ(before, POOL_PAGES);
	REQUIRE_EQ(rm_init(&host, &host_irqs), 0);
	link = rm_host_link();
	CHECK_EQ(link->tx_cap, 0);
	CHECK_EQ(link->rx_cap, 1);
	CHECK_EQ(link->tx_intid, 0xe0);
	CHECK_EQ(link->rx_intid, 0xe1);
	CHECK_EQ(link->free_irq_start, 0xe2);
	CHECK_EQ(link->queue_depth, 8);
	CHECK_EQ(link->msg_size, 240);
	/* Two queues, one page of storage each. */
	CHECK_EQ(page_pool_free_pages(), before - 2);

	/* TX: a queue the host may only send on; RX: only receive from. */
	CHECK_EQ(cspace_lookup(&host.cspace, 0, OBJECT_MSGQUEUE, RIGHT_MSGQ_SEND, &obj), 0);
	CHECK_EQ(cspace_lookup(&host.cspace, 0, OBJECT_MSGQUEUE, RIGHT_MSGQ_RECEIVE, &obj),
		 GUNYAH_ERROR_CSPACE_INSUFFICIENT_RIGHTS);
	CHECK_EQ(cspace_lookup(&host.cspace, 1, OBJECT_MSGQUEUE, RIGHT_MSGQ_RECEIVE, &obj), 0);
	CHECK_EQ(cspace_lookup(&host.cspace, 1, OBJECT_MSGQUEUE, RIGHT_MSGQ_SEND, &obj),
		 GUNYAH_ERROR_CSPACE_INSUFFICIENT_RIGHTS);
	CHECK_EQ(cspace_lookup(&host.cspace, 2, OBJECT_MSGQUEUE, 0, &obj),
		 GUNYAH_ERROR_CSPACE_CAP_NULL);

	CHECK_EQ(rm_dropped_packets(), 0);
	CHECK_EQ(host_tx.raised + host_rx.raised, 0);
	tx_cap = 0;
	rx_cap = 1;
	expect_no_reply();
	CHECK(strstr(log_buf, "caps 0 (TX) and 1 (RX)") != NULL);
	CHECK_EQ(log_bad_prefix, 0);
}

TEST(init_reports_the_caps_it_really_gave)
{
	const struct rm_link_info *link;

	/* Caps 0..2 are taken: the link is on 3 and 4. */
	host_reset(VMID_HLOS, POOL_PAGES, 3);
	REQUIRE_EQ(rm_init(&host, &host_irqs), 0);
	link = rm_host_link();
	CHECK_EQ(link->tx_cap, 3);
	CHECK_EQ(link->rx_cap, 4);
	tx_cap = link->tx_cap;
	rx_cap = link->rx_cap;
	CHECK_EQ(host_request(VM_GET_VMID, 1, NULL, 0), 0);
	CHECK(expect_u32_reply(1, VM_GET_VMID, VMID_HLOS));
}

TEST(init_errors)
{
	/* No memory for the queues. */
	host_reset(VMID_HLOS, 0, 0);
	CHECK_EQ(rm_init(&host, &host_irqs), GUNYAH_ERROR_NOMEM);
	/* No room in the host's cspace. */
	host_reset(VMID_HLOS, POOL_PAGES, CSPACE_MAX_CAPS);
	CHECK_EQ(rm_init(&host, &host_irqs), GUNYAH_ERROR_CSPACE_FULL);
	host_reset(VMID_HLOS, POOL_PAGES, CSPACE_MAX_CAPS - 1);
	CHECK_EQ(rm_init(&host, &host_irqs), GUNYAH_ERROR_CSPACE_FULL);
}

/* ---- the primary VM's devicetree ------------------------------------------------- */

#define HOST_DT_ROOM	0x10000

static u8 host_dt_in[HOST_DT_ROOM] __aligned(8);
static u8 host_dt_window[HOST_DT_ROOM] __aligned(8);

/* QEMU's shape: 2 GiB of RAM at 0x40000000 (the hypervisor's 64 MiB inside), two CPUs. */
static int build_qemu_dt(void *buf, size_t size)
{
	fdt64_t reg[2] = { cpu_to_fdt64(0x40000000), cpu_to_fdt64(0x80000000) };

	if (fdt_create(buf, size) || fdt_finish_reservemap(buf))
		return -1;
	fdt_begin_node(buf, "");
	fdt_property_u32(buf, "#address-cells", 2);
	fdt_property_u32(buf, "#size-cells", 2);
	fdt_begin_node(buf, "memory@40000000");
	fdt_property_string(buf, "device_type", "memory");
	fdt_property(buf, "reg", reg, sizeof(reg));
	fdt_end_node(buf);
	fdt_begin_node(buf, "chosen");
	fdt_end_node(buf);
	fdt_end_node(buf);
	return fdt_finish(buf);
}

/*
 * The RM prepares it from this blob, into a window of @room bytes; the
 * hypervisor's memory at 0x80000000.
 */
static void host_dt_from(const void *blob, u64 room)
{
	struct rm_host_dt cfg = {
		.from = blob,
		.from_size = blob ? fdt_totalsize(blob) : 0,
		.window = host_dt_window,
		.window_size = room,
		.hyp_base = 0x80000000,
		.hyp_size = 0x4000000,
	};

	memset(host_dt_window, 0, sizeof(host_dt_window));
	rm_partition_set_host_dt(&cfg);
}

/* HYP_HYPCALL_RM_HOST_DT as the RM makes it. */
static s64 rm_hands_over(const void *dt, u64 size)
{
	u64 r[SMCCC_NR_REGS] = { GUNYAH_HYPCALL_FID(HYP_HYPCALL_RM_HOST_DT), PTR(dt), size };

	rm_hvc(r);
	return (s64)r[0];
}

TEST(init_prepares_the_host_devicetree)
{
	static const u64 carved[] = { 0x40000000, 0x40000000, 0x84000000, 0x3c000000 };
	const void *reg;
	u64 size;
	int node, len, i;

	REQUIRE_EQ(build_qemu_dt(host_dt_in, sizeof(host_dt_in)), 0);
	host_reset(VMID_HLOS, POOL_PAGES, 0);
	host_dt_from(host_dt_in, sizeof(host_dt_window));
	REQUIRE_EQ(rm_init(&host, &host_irqs), 0);
	size = rm_partition_host_dt_close();
	REQUIRE(size > 0);
	CHECK_EQ(size, fdt_totalsize(host_dt_window));
	CHECK_EQ(dt_check(host_dt_window, size), 0);
	/* The hypervisor's memory carved out of /memory. */
	node = fdt_path_offset(host_dt_window, "/memory@40000000");
	reg = fdt_getprop(host_dt_window, node, "reg", &len);
	REQUIRE_EQ(len, sizeof(carved));
	for (i = 0; i < 4; i++)
		CHECK_EQ(fdt64_ld((const fdt64_t *)reg + i), carved[i]);
	/* /hypervisor, and the RM's node for the link it made: caps 0 and 1. */
	CHECK(fdt_path_offset(host_dt_window, "/hypervisor/qcom,gunyah-vm") >= 0);
	CHECK(fdt_path_offset(host_dt_window,
			      "/hypervisor/qcom,resource-manager-rpc@0000000000000000") >= 0);
	CHECK(strstr(log_buf, "caps 0 (TX) and 1 (RX)") != NULL);

	/* Once the primary VM runs, its memory is not the RM's to write. */
	CHECK_EQ(rm_hands_over(host_dt_window, size), GUNYAH_ERROR_DENIED);
	CHECK_EQ(rm_partition_host_dt_close(), size);
	host_dt_from(NULL, 0);
}

TEST(host_devicetree_without_the_rm_if_it_fails_to_link)
{
	u64 size;

	REQUIRE_EQ(build_qemu_dt(host_dt_in, sizeof(host_dt_in)), 0);
	/* No memory for the link's queues: the RM fails after the first hand-over. */
	host_reset(VMID_HLOS, 0, 0);
	host_dt_from(host_dt_in, sizeof(host_dt_window));
	CHECK_EQ(rm_init(&host, &host_irqs), GUNYAH_ERROR_NOMEM);
	size = rm_partition_host_dt_close();
	REQUIRE(size > 0);
	CHECK(fdt_path_offset(host_dt_window, "/hypervisor/qcom,gunyah-vm") >= 0);
	CHECK_EQ(fdt_path_offset(host_dt_window,
				 "/hypervisor/qcom,resource-manager-rpc@0000000000000000"),
		 -FDT_ERR_NOTFOUND);
	host_dt_from(NULL, 0);
}

TEST(host_devicetree_hand_over_errors)
{
	static u8 junk[256] __aligned(8);

	/* No room for /hypervisor: the RM cannot prepare it, none is handed over. */
	REQUIRE_EQ(build_qemu_dt(host_dt_in, sizeof(host_dt_in)), 0);
	host_reset(VMID_HLOS, POOL_PAGES, 0);
	host_dt_from(host_dt_in, fdt_totalsize(host_dt_in));
	CHECK_EQ(rm_init(&host, &host_irqs), GUNYAH_ERROR_ARG_INVAL);
	CHECK(strstr(log_buf, "the primary VM's devicetree: FDT_ERR_NOSPACE") != NULL);
	CHECK_EQ(rm_partition_host_dt_close(), 0);

	/* What the hypervisor refuses: no size, too big, not a devicetree. */
	host_dt_from(host_dt_in, sizeof(host_dt_window));
	CHECK_EQ(rm_hands_over(junk, 0), GUNYAH_ERROR_ARG_SIZE);
	CHECK_EQ(rm_hands_over(junk, sizeof(host_dt_window) + 1), GUNYAH_ERROR_ARG_SIZE);
	CHECK_EQ(rm_hands_over(junk, sizeof(junk)), GUNYAH_ERROR_ARG_INVAL);
	CHECK_EQ(rm_partition_host_dt_close(), 0);

	/* A good one, then a bad one: the window holds none. */
	host_dt_from(host_dt_in, sizeof(host_dt_window));
	CHECK_EQ(rm_hands_over(host_dt_in, fdt_totalsize(host_dt_in)), 0);
	CHECK_EQ(rm_hands_over(junk, sizeof(junk)), GUNYAH_ERROR_ARG_INVAL);
	CHECK_EQ(rm_partition_host_dt_close(), 0);
	host_dt_from(NULL, 0);
}

/* ---- requests ------------------------------------------------------------------------ */

TEST(vm_get_vmid_and_host_get_type)
{
	static const u8 exact[16] = {
		0x21, 0x02, 0x34, 0x12, 0x24, 0x00, 0x00, 0x56,	/* REPLY, seq, id */
		0x00, 0x00, 0x00, 0x00,				/* OK */
		0x03, 0x00, 0x00, 0x00,				/* VMID 3 */
	};
	u8 req[8] = { 0x21, 0x01, 0x34, 0x12, 0x24, 0x00, 0x00, 0x56 }, got[RM_RPC_PACKET_MAX];
	u64 not_full = 0, size = 0, not_empty = 1;

	REQUIRE_EQ(setup(VMID_HLOS), 0);
	/* A request built by hand. */
	CHECK_EQ(host_send(req, sizeof(req), GUNYAH_MSGQ_SEND_PUSH, &not_full), 0);
	CHECK_EQ(not_full, 1);
	CHECK_EQ(host_rx.raised, 1);
	memset(got, 0xee, sizeof(got));
	CHECK_EQ(host_recv(got, sizeof(got), &size, &not_empty), 0);
	CHECK_EQ(size, 16);
	CHECK_EQ(not_empty, 0);
	CHECK_MEM_EQ(got, exact, sizeof(exact));
	CHECK_EQ(got[16], 0xee);
	expect_no_reply();

	CHECK_EQ(host_request(VM_HOST_GET_TYPE, 0xffff, NULL, 0), 0);
	CHECK(expect_u32_reply(0xffff, VM_HOST_GET_TYPE, 0x01000164));
	CHECK_EQ(host_request(VM_GET_VMID, 0, NULL, 0), 0);
	CHECK(expect_u32_reply(0, VM_GET_VMID, 3));
	CHECK_EQ(host_rx.raised, 3);
	CHECK_EQ(host_tx.raised, 0);
	CHECK_EQ(rm_dropped_packets(), 0);
	expect_no_reply();
}

TEST(vm_get_vmid_is_the_callers)
{
	REQUIRE_EQ(setup(45), 0);
	CHECK_EQ(host_request(VM_GET_VMID, 7, NULL, 0), 0);
	CHECK(expect_u32_reply(7, VM_GET_VMID, 45));
	/* VM_GET_STATE(0) and (45) are the caller; 3 is someone else now. */
	CHECK_EQ(host_request(VM_GET_STATE, 8, (const u8[]){ 45, 0, 0, 0 }, 4), 0);
	CHECK(expect_u32_reply(8, VM_GET_STATE, 0x00000403));
	CHECK_EQ(host_request(VM_GET_STATE, 9, (const u8[]){ 3, 0, 0, 0 }, 4), 0);
	CHECK(expect_reply(9, VM_GET_STATE, RM_ERROR_VMID_INVALID, NULL, 0));
}

TEST(vm_get_state)
{
	REQUIRE_EQ(setup(VMID_HLOS), 0);
	/* vmid16 + 2 bytes of padding; 0 = self. */
	CHECK_EQ(host_request(VM_GET_STATE, 1, (const u8[]){ 0, 0, 0, 0 }, 4), 0);
	CHECK(expect_u32_reply(1, VM_GET_STATE, 0x00000403));	/* RUNNING | RUN << 8 */
	CHECK_EQ(host_request(VM_GET_STATE, 2, (const u8[]){ 3, 0, 0, 0 }, 4), 0);
	CHECK(expect_u32_reply(2, VM_GET_STATE, 0x00000403));
	/* No such VM: VMID_INVALID and no data. */
	CHECK_EQ(host_request(VM_GET_STATE, 3, (const u8[]){ 5, 0, 0, 0 }, 4), 0);
	CHECK(expect_reply(3, VM_GET_STATE, 0xd, NULL, 0));
	CHECK_EQ(host_request(VM_GET_STATE, 4, (const u8[]){ 3, 1, 0, 0 }, 4), 0);
	CHECK(expect_reply(4, VM_GET_STATE, 0xd, NULL, 0));
	CHECK_EQ(host_request(VM_GET_STATE, 5, (const u8[]){ 0xff, 0xff, 0, 0 }, 4), 0);
	CHECK(expect_reply(5, VM_GET_STATE, 0xd, NULL, 0));
	/* Wrong lengths: MSG_INVALID. */
	CHECK_EQ(host_request(VM_GET_STATE, 6, NULL, 0), 0);
	CHECK(expect_reply(6, VM_GET_STATE, RM_ERROR_MSG_INVALID, NULL, 0));
	CHECK_EQ(host_request(VM_GET_STATE, 7, (const u8[]){ 3, 0 }, 2), 0);
	CHECK(expect_reply(7, VM_GET_STATE, 4, NULL, 0));
	CHECK_EQ(host_request(VM_GET_STATE, 8, (const u8[]){ 3, 0, 0, 0, 0, 0, 0, 0 }, 8), 0);
	CHECK(expect_reply(8, VM_GET_STATE, 4, NULL, 0));
	CHECK_EQ(host_rx.raised, 8);
	expect_no_reply();
}

#define VM_ALLOCATE	0x56000001
#define VM_DEALLOCATE	0x56000002

static int expect_vmid16_reply(u16 seq, u32 msg_id, u32 err)
{
	return expect_reply(seq, msg_id, err, NULL, 0);
}

TEST(vm_allocate_and_deallocate)
{
	u16 seq = 1;
	u16 v;

	REQUIRE_EQ(setup(VMID_HLOS), 0);

	/* Dynamic VMIDs from 0x80 up, the lowest free one first. */
	CHECK_EQ(host_request(VM_ALLOCATE, seq, (const u8[]){ 0, 0, 0, 0 }, 4), 0);
	CHECK(expect_u32_reply(seq++, VM_ALLOCATE, 0x80));
	CHECK_EQ(host_request(VM_ALLOCATE, seq, (const u8[]){ 0, 0, 0, 0 }, 4), 0);
	CHECK(expect_u32_reply(seq++, VM_ALLOCATE, 0x81));

	/* The owner sees the new VM in LOAD (5), OS state NONE. */
	CHECK_EQ(host_request(VM_GET_STATE, seq, (const u8[]){ 0x80, 0, 0, 0 }, 4), 0);
	CHECK(expect_u32_reply(seq++, VM_GET_STATE, 0x00000005));

	CHECK_EQ(host_request(VM_DEALLOCATE, seq, (const u8[]){ 0x80, 0, 0, 0 }, 4), 0);
	CHECK(expect_vmid16_reply(seq++, VM_DEALLOCATE, RM_OK));
	/* Gone: state and a second deallocation say VMID_INVALID. */
	CHECK_EQ(host_request(VM_GET_STATE, seq, (const u8[]){ 0x80, 0, 0, 0 }, 4), 0);
	CHECK(expect_vmid16_reply(seq++, VM_GET_STATE, RM_ERROR_VMID_INVALID));
	CHECK_EQ(host_request(VM_DEALLOCATE, seq, (const u8[]){ 0x80, 0, 0, 0 }, 4), 0);
	CHECK(expect_vmid16_reply(seq++, VM_DEALLOCATE, RM_ERROR_VMID_INVALID));
	/* ... and its VMID is the next one handed out. */
	CHECK_EQ(host_request(VM_ALLOCATE, seq, (const u8[]){ 0, 0, 0, 0 }, 4), 0);
	CHECK(expect_u32_reply(seq++, VM_ALLOCATE, 0x80));

	/* A static VMID: granted without reply data, once. */
	CHECK_EQ(host_request(VM_ALLOCATE, seq, (const u8[]){ 45, 0, 0, 0 }, 4), 0);
	CHECK(expect_vmid16_reply(seq++, VM_ALLOCATE, RM_OK));
	CHECK_EQ(host_request(VM_ALLOCATE, seq, (const u8[]){ 45, 0, 0, 0 }, 4), 0);
	CHECK(expect_vmid16_reply(seq++, VM_ALLOCATE, RM_ERROR_BUSY));
	/* Not allocatable: the host's own, the dynamic range, the RM's. */
	for (v = 0; v < 3; v++) {
		static const u8 bad[3][4] = { { 3, 0 }, { 0x80, 0 }, { 0xff, 0 } };

		CHECK_EQ(host_request(VM_ALLOCATE, seq, bad[v], 4), 0);
		CHECK(expect_vmid16_reply(seq++, VM_ALLOCATE,
					  v ? RM_ERROR_VMID_INVALID : RM_ERROR_BUSY));
	}
	/* Malformed: wrong length, non-zero padding. */
	CHECK_EQ(host_request(VM_ALLOCATE, seq, NULL, 0), 0);
	CHECK(expect_vmid16_reply(seq++, VM_ALLOCATE, RM_ERROR_MSG_INVALID));
	CHECK_EQ(host_request(VM_ALLOCATE, seq, (const u8[]){ 0, 0, 1, 0 }, 4), 0);
	CHECK(expect_vmid16_reply(seq++, VM_ALLOCATE, RM_ERROR_MSG_INVALID));
	CHECK_EQ(host_request(VM_DEALLOCATE, seq, (const u8[]){ 0x80, 0 }, 2), 0);
	CHECK(expect_vmid16_reply(seq++, VM_DEALLOCATE, RM_ERROR_MSG_INVALID));
	expect_no_reply();
}

TEST(vm_allocate_exhausts_and_recovers)
{
	u16 seq = 1;
	unsigned int i;

	REQUIRE_EQ(setup(VMID_HLOS), 0);
	for (i = 0; i < 64; i++) {
		CHECK_EQ(host_request(VM_ALLOCATE, seq, (const u8[]){ 0, 0, 0, 0 }, 4), 0);
		CHECK(expect_u32_reply(seq++, VM_ALLOCATE, 0x80 + i));
	}
	CHECK_EQ(host_request(VM_ALLOCATE, seq, (const u8[]){ 0, 0, 0, 0 }, 4), 0);
	CHECK(expect_vmid16_reply(seq++, VM_ALLOCATE, RM_ERROR_NORESOURCE));
	CHECK_EQ(host_request(VM_DEALLOCATE, seq, (const u8[]){ 0x9a, 0, 0, 0 }, 4), 0);
	CHECK(expect_vmid16_reply(seq++, VM_DEALLOCATE, RM_OK));
	CHECK_EQ(host_request(VM_ALLOCATE, seq, (const u8[]){ 0, 0, 0, 0 }, 4), 0);
	CHECK(expect_u32_reply(seq++, VM_ALLOCATE, 0x9a));
	/* 200 more cycles leave nothing behind. */
	for (i = 0; i < 200; i++) {
		CHECK_EQ(host_request(VM_DEALLOCATE, seq, (const u8[]){ 0x9a, 0, 0, 0 }, 4), 0);
		CHECK(expect_vmid16_reply(seq++, VM_DEALLOCATE, RM_OK));
		CHECK_EQ(host_request(VM_ALLOCATE, seq, (const u8[]){ 0, 0, 0, 0 }, 4), 0);
		CHECK(expect_u32_reply(seq++, VM_ALLOCATE, 0x9a));
	}
	expect_no_reply();
}

TEST(only_the_primary_vm_allocates_and_owners_manage)
{
	REQUIRE_EQ(setup(0x45), 0);
	CHECK_EQ(host_request(VM_ALLOCATE, 1, (const u8[]){ 0, 0, 0, 0 }, 4), 0);
	CHECK(expect_vmid16_reply(1, VM_ALLOCATE, RM_ERROR_DENIED));
	expect_no_reply();
}

TEST(unknown_and_malformed_requests)
{
	static u8 big[300];

	REQUIRE_EQ(setup(VMID_HLOS), 0);
	CHECK_EQ(host_request(0x56000fff, 1, NULL, 0), 0);
	CHECK(expect_reply(1, 0x56000fff, RM_ERROR_UNIMPLEMENTED, NULL, 0));
	CHECK_EQ(host_request(0x51000001, 2, (const u8[]){ 1, 2, 3, 4 }, 4), 0);
	CHECK(expect_reply(2, 0x51000001, 0xffffffff, NULL, 0));
	/* VM_SET_NAME of the 2021 RM: gone. */
	CHECK_EQ(host_request(0x56000003, 3, (const u8[]){ 0, 0, 0, 0 }, 4), 0);
	CHECK(expect_reply(3, 0x56000003, 0xffffffff, NULL, 0));

	/* Requests without data refuse any. */
	CHECK_EQ(host_request(VM_GET_VMID, 4, (const u8[]){ 0, 0, 0, 0 }, 4), 0);
	CHECK(expect_reply(4, VM_GET_VMID, RM_ERROR_MSG_INVALID, NULL, 0));
	CHECK_EQ(host_request(VM_HOST_GET_TYPE, 5, (const u8[]){ 0 }, 1), 0);
	CHECK(expect_reply(5, VM_HOST_GET_TYPE, RM_ERROR_MSG_INVALID, NULL, 0));

	/* Two packets of VM_GET_VMID: one reply, MSG_INVALID. */
	memset(big, 0x5a, sizeof(big));
	CHECK_EQ(host_request(VM_GET_VMID, 6, big, sizeof(big)), 0);
	CHECK(expect_reply(6, VM_GET_VMID, RM_ERROR_MSG_INVALID, NULL, 0));
	expect_no_reply();
	CHECK_EQ(host_rx.raised, 6);
	CHECK_EQ(rm_dropped_packets(), 0);
}

TEST(request_without_push_is_served)
{
	u8 pkt[RM_RPC_PACKET_MAX];
	size_t n;

	REQUIRE_EQ(setup(VMID_HLOS), 0);
	/* The queue goes from empty to one message: the RM is told anyway. */
	n = rm_rpc_packet(pkt, RM_RPC_REQUEST, VM_GET_VMID, 0x77, nothing, 0, 0);
	CHECK_EQ(host_send(pkt, n, 0, NULL), 0);
	CHECK(expect_u32_reply(0x77, VM_GET_VMID, 3));
}

/* ---- malformed packets ------------------------------------------------------------ */

TEST(garbage_gets_no_reply_and_is_counted)
{
	u8 pkt[RM_RPC_PACKET_MAX];
	u32 x = 0x12345678, dropped = 0;
	size_t n;
	unsigned int i, j;

	REQUIRE_EQ(setup(VMID_HLOS), 0);

	/* Random bytes, never a valid first byte. */
	for (i = 0; i < 40; i++) {
		n = 1 + (x % RM_RPC_PACKET_MAX);
		for (j = 0; j < n; j++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			pkt[j] = (u8)x;
		}
		if (pkt[0] == RM_RPC_HDR_API)
			pkt[0] = 0x20;
		CHECK_EQ(host_send(pkt, n, GUNYAH_MSGQ_SEND_PUSH, NULL), 0);
		CHECK_EQ(rm_dropped_packets(), ++dropped);
	}

	/* Shorter than a header. */
	n = rm_rpc_packet(pkt, RM_RPC_REQUEST, VM_GET_VMID, 1, nothing, 0, 0);
	CHECK_EQ(host_send(pkt, 7, GUNYAH_MSGQ_SEND_PUSH, NULL), 0);
	CHECK_EQ(rm_dropped_packets(), ++dropped);
	/* Bad version / header length. */
	pkt[0] = 0x11;
	CHECK_EQ(host_send(pkt, n, GUNYAH_MSGQ_SEND_PUSH, NULL), 0);
	CHECK_EQ(rm_dropped_packets(), ++dropped);
	pkt[0] = 0x22;
	CHECK_EQ(host_send(pkt, n, GUNYAH_MSGQ_SEND_PUSH, NULL), 0);
	CHECK_EQ(rm_dropped_packets(), ++dropped);
	/* 63 continuations announced. */
	pkt[0] = 0x21;
	pkt[1] = 63 << 2 | RM_RPC_REQUEST;
	CHECK_EQ(host_send(pkt, n, GUNYAH_MSGQ_SEND_PUSH, NULL), 0);
	CHECK_EQ(rm_dropped_packets(), ++dropped);
	/* A stray continuation. */
	pkt[1] = 1 << 2 | RM_RPC_CONTINUATION;
	CHECK_EQ(host_send(pkt, n, GUNYAH_MSGQ_SEND_PUSH, NULL), 0);
	CHECK_EQ(rm_dropped_packets(), ++dropped);
	/* A reply and a notification sent to the RM. */
	n = rm_rpc_packet(pkt, RM_RPC_REPLY, VM_GET_VMID, 1, (const u8[]){ 0, 0, 0, 0 }, 4, 0);
	CHECK_EQ(host_send(pkt, n, GUNYAH_MSGQ_SEND_PUSH, NULL), 0);
	CHECK_EQ(rm_dropped_packets(), ++dropped);
	n = rm_rpc_packet(pkt, RM_RPC_NOTIFICATION, 0x56100008, 1, nothing, 0, 0);
	CHECK_EQ(host_send(pkt, n, GUNYAH_MSGQ_SEND_PUSH, NULL), 0);
	CHECK_EQ(rm_dropped_packets(), ++dropped);

	CHECK_EQ(host_rx.raised, 0);
	expect_no_reply();

	/* Still in business. */
	CHECK_EQ(host_request(VM_GET_VMID, 0x4242, NULL, 0), 0);
	CHECK(expect_u32_reply(0x4242, VM_GET_VMID, 3));
	CHECK_EQ(rm_dropped_packets(), dropped);
	expect_no_reply();
}

TEST(abandoned_message_and_mismatched_continuation)
{
	static u8 big[300];
	u8 first[RM_RPC_PACKET_MAX], cont[RM_RPC_PACKET_MAX], bad[RM_RPC_PACKET_MAX];
	size_t n_first, n_cont;

	REQUIRE_EQ(setup(VMID_HLOS), 0);
	memset(big, 0x33, sizeof(big));
	n_first = rm_rpc_packet(first, RM_RPC_REQUEST, VM_GET_STATE, 10, big, sizeof(big), 0);
	n_cont = rm_rpc_packet(cont, RM_RPC_REQUEST, VM_GET_STATE, 10, big, sizeof(big), 1);

	/* Continuation of another sequence number: dropped, the message goes on. */
	CHECK_EQ(host_send(first, n_first, 0, NULL), 0);
	memcpy(bad, cont, n_cont);
	bad[2] = 11;
	CHECK_EQ(host_send(bad, n_cont, GUNYAH_MSGQ_SEND_PUSH, NULL), 0);
	CHECK_EQ(rm_dropped_packets(), 1);
	expect_no_reply();
	CHECK_EQ(host_send(cont, n_cont, GUNYAH_MSGQ_SEND_PUSH, NULL), 0);
	CHECK(expect_reply(10, VM_GET_STATE, RM_ERROR_MSG_INVALID, NULL, 0));

	/* A new request in the middle of one: the old one is abandoned. */
	CHECK_EQ(host_send(first, n_first, 0, NULL), 0);
	CHECK_EQ(host_request(VM_GET_VMID, 12, NULL, 0), 0);
	CHECK(expect_u32_reply(12, VM_GET_VMID, 3));
	CHECK_EQ(rm_dropped_packets(), 2);
	/* Its continuation is now stray. */
	CHECK_EQ(host_send(cont, n_cont, GUNYAH_MSGQ_SEND_PUSH, NULL), 0);
	CHECK_EQ(rm_dropped_packets(), 3);
	expect_no_reply();
}

/* ---- back-pressure ------------------------------------------------------------------ */

TEST(replies_wait_for_room_none_lost)
{
	u8 buf[RM_RPC_PACKET_MAX];
	u64 not_empty;
	unsigned int i, n = 24;

	REQUIRE_EQ(setup(VMID_HLOS), 0);
	/* 8 fill the host's receive queue; the rest wait in the RM. */
	for (i = 0; i < n; i++) {
		CHECK_EQ(host_request(VM_GET_VMID, (u16)(100 + i), NULL, 0), 0);
	}
	CHECK_EQ(host_rx.raised, RM_QUEUE_DEPTH);
	/* The host's send queue never filled: the RM kept reading it. */
	CHECK_EQ(host_tx.raised, 0);

	for (i = 0; i < n; i++) {
		if (!CHECK(expect_u32_reply((u16)(100 + i), VM_GET_VMID, 3)))
			break;
	}
	expect_no_reply();
	CHECK_EQ(host_rx.raised, n);
	CHECK_EQ(rm_dropped_packets(), 0);

	/* The link works as before. */
	CHECK_EQ(host_request(VM_HOST_GET_TYPE, 1, NULL, 0), 0);
	CHECK_EQ(host_recv(buf, sizeof(buf), NULL, &not_empty), 0);
	CHECK_EQ(not_empty, 0);
	CHECK_EQ(rm_get_le32(buf + 12), 0x01000164);
}

TEST(back_pressure_reaches_the_host_and_recovers)
{
	/*
	 * The RM takes a request only while its outbox has room for the
	 * largest reply (63 packets): 128 - 63 + 1 = 66 replies wait there,
	 * 8 in the host's receive queue, and 8 requests in its send queue.
	 */
	const unsigned int accepted = 2 * RM_QUEUE_DEPTH +
				      (RM_OUTBOX_PACKETS - (RM_RPC_MAX_CONT + 1) + 1);
	u64 not_full = 1, not_empty = 0;
	unsigned int sent = 0, i;
	u8 buf[RM_RPC_PACKET_MAX];
	s64 ret = 0;

	REQUIRE_EQ(setup(VMID_HLOS), 0);
	while (sent < 1000) {
		u8 pkt[RM_RPC_PACKET_MAX];
		size_t len = rm_rpc_packet(pkt, RM_RPC_REQUEST, VM_GET_VMID, (u16)sent, nothing,
					   0, 0);

		ret = host_send(pkt, len, GUNYAH_MSGQ_SEND_PUSH, &not_full);
		if (ret)
			break;
		sent++;
		/* not_full turns false exactly with the last one accepted. */
		if (!not_full)
			break;
	}
	CHECK_EQ(ret, 0);
	CHECK_EQ(not_full, 0);
	CHECK_EQ(sent, accepted);
	CHECK_EQ(host_send(buf, 8, GUNYAH_MSGQ_SEND_PUSH, &not_full),
		 GUNYAH_ERROR_MSGQUEUE_FULL);
	CHECK_EQ(not_full, 0);
	CHECK_EQ(host_tx.raised, 0);
	CHECK_EQ(host_rx.raised, RM_QUEUE_DEPTH);

	/* Reading makes room; the RM refills, then reads the host's queue again. */
	for (i = 0; i < sent; i++) {
		if (!CHECK(expect_u32_reply((u16)i, VM_GET_VMID, 3)))
			break;
	}
	CHECK_EQ(host_rx.raised, sent);
	/* Told once that it may send again (8 -> 7). */
	CHECK_EQ(host_tx.raised, 1);
	CHECK_EQ(host_recv(buf, sizeof(buf), NULL, &not_empty), GUNYAH_ERROR_MSGQUEUE_EMPTY);
	CHECK_EQ(rm_dropped_packets(), 0);

	CHECK_EQ(host_request(VM_GET_VMID, 0xbeef, NULL, 0), 0);
	CHECK(expect_u32_reply(0xbeef, VM_GET_VMID, 3));
}

/*
 * A host that handles its RX interrupt synchronously: it reads the reply
 * inside the interrupt and sends its next request from there, while the
 * RM is still running (the nested kick must only mark the RM pending).
 */
static struct {
	unsigned int next, last, replies, bad, depth, max_depth;
} chain;

static void chain_rx_raise(struct virq *v)
{
	u8 buf[RM_RPC_PACKET_MAX];
	u64 size = 0;

	host_rx.raised++;
	chain.depth++;
	chain.max_depth = MAX(chain.max_depth, chain.depth);
	while (host_recv(buf, sizeof(buf), &size, NULL) == 0) {
		if (size != 16 || buf[1] != RM_RPC_REPLY ||
		    rm_get_le16(buf + 2) != (u16)chain.replies ||
		    rm_get_le32(buf + 4) != VM_GET_VMID || rm_get_le32(buf + 8) != RM_OK ||
		    rm_get_le32(buf + 12) != VMID_HLOS)
			chain.bad++;
		chain.replies++;
	}
	/* Nested interrupts would mean a nested RM: stop the chain there. */
	if (chain.depth == 1 && chain.next < chain.last) {
		chain.next++;
		if (host_request(VM_GET_VMID, (u16)(chain.next - 1), NULL, 0))
			chain.bad++;
	}
	chain.depth--;
}

TEST(host_answering_from_its_interrupt)
{
	REQUIRE_EQ(setup(VMID_HLOS), 0);
	host_rx.v.raise = chain_rx_raise;
	memset(&chain, 0, sizeof(chain));
	chain.last = 50;
	chain.next = 1;
	CHECK_EQ(host_request(VM_GET_VMID, 0, NULL, 0), 0);
	CHECK_EQ(chain.replies, 50);
	CHECK_EQ(chain.next, 50);
	CHECK_EQ(chain.bad, 0);
	CHECK_EQ(host_rx.raised, 50);
	/* The RM looped instead of recursing: one interrupt at a time. */
	CHECK_EQ(chain.max_depth, 1);
	CHECK_EQ(rm_dropped_packets(), 0);
	host_rx.v.raise = fake_raise;
	expect_no_reply();
}

/* ---- notifications ------------------------------------------------------------------ */

TEST(vm_status_payload_bytes)
{
	static const u8 want[8] = { 0x34, 0x12, 0x00, 0x00, 0x0a, 0x04, 0xcd, 0xab };
	u8 p[RM_VM_STATUS_SIZE + 1];

	memset(p, 0xee, sizeof(p));
	rm_vm_status_encode(p, 0x1234, 10, 4, 0xabcd);
	CHECK_MEM_EQ(p, want, 8);
	CHECK_EQ(p[8], 0xee);
	CHECK_EQ(RM_VM_STATUS_SIZE, 8);
	CHECK_EQ(RM_NOTIFY_VM_STATUS, 0x56100008);
	CHECK_EQ(RM_NOTIFY_VM_EXITED, 0x56100001);
	CHECK_EQ(RM_NOTIFY_VM_SHUTDOWN, 0x56100002);
}

/* ---- memory parcels ------------------------------------------------------- */

/* A MEM_LEND / MEM_SHARE request with one other VM and @n ranges. */
static size_t parcel_req(u8 *b, u8 flags, u16 guest, bool share, const u64 (*sgl)[2],
			 unsigned int n)
{
	size_t o = 0;
	unsigned int i;

	memset(b, 0, 8);
	b[2] = flags;
	rm_put_le32(b + 4, 0x1234);		/* label */
	o = 8;
	rm_put_le16(b + o, share ? 2 : 1);	/* ACL */
	rm_put_le16(b + o + 2, 0);
	o += 4;
	rm_put_le16(b + o, guest);
	b[o + 2] = 0x6;				/* RW */
	b[o + 3] = 0;
	o += 4;
	if (share) {
		rm_put_le16(b + o, VMID_HLOS);
		b[o + 2] = 0x7;
		b[o + 3] = 0;
		o += 4;
	}
	rm_put_le16(b + o, n);			/* SGL */
	rm_put_le16(b + o + 2, 0);
	o += 4;
	for (i = 0; i < n; i++, o += 16) {
		rm_put_le32(b + o, (u32)sgl[i][0]);
		rm_put_le32(b + o + 4, sgl[i][0] >> 32);
		rm_put_le32(b + o + 8, (u32)sgl[i][1]);
		rm_put_le32(b + o + 12, sgl[i][1] >> 32);
	}
	rm_put_le16(b + o, 0);			/* attributes */
	rm_put_le16(b + o + 2, 0);
	return o + 4;
}

static u16 mp_seq = 100;

/* Send @req, expect @err; returns the handle on success. */
static u32 parcel_call(u32 msg_id, const u8 *req, size_t len, u32 err)
{
	u8 got[RM_RPC_PACKET_MAX];
	u64 size = 0;
	u16 seq = mp_seq++;
	u32 handle = 0;

	CHECK_EQ(host_request(msg_id, seq, req, len), 0);
	CHECK_EQ(host_recv(got, sizeof(got), &size, NULL), 0);
	CHECK_EQ(rm_get_le16(got + 2), seq);
	CHECK_EQ(rm_get_le32(got + 4), msg_id);
	if (!CHECK_EQ(rm_get_le32(got + 8), err))
		printf("#     message %#x\n", msg_id);
	if (err == RM_OK && size == 16)
		handle = rm_get_le32(got + 12);
	CHECK_EQ(size, err == RM_OK && (msg_id == RM_MEM_LEND || msg_id == RM_MEM_SHARE) ?
		 16 : 12);
	return handle;
}

static u16 allocate_guest(void)
{
	u8 got[RM_RPC_PACKET_MAX];
	u64 size;

	CHECK_EQ(host_request(0x56000001, 99, (const u8[]){ 0, 0, 0, 0 }, 4), 0);
	CHECK_EQ(host_recv(got, sizeof(got), &size, NULL), 0);
	return rm_get_le16(got + 12);
}

static int check_owner(paddr_t pa, enum memdb_state state, u16 borrower, u32 tag)
{
	struct memdb_attr a;

	return CHECK_EQ(memdb_lookup(&hyp_memdb, pa, &a), 0) && CHECK_EQ(a.state, state) &&
	       CHECK_EQ(a.borrower, borrower) && CHECK_EQ(a.tag, tag);
}

static size_t reclaim_req(u8 *b, u32 handle, u8 flags)
{
	memset(b, 0, 8);
	rm_put_le32(b, handle);
	b[4] = flags;
	return 8;
}

TEST(lend_and_reclaim)
{
	static const u64 sgl[2][2] = { { 0x50000000, 0x200000 }, { 0x60001000, 0x3000 } };
	u8 req[256];
	u16 guest;
	u32 h;

	REQUIRE_EQ(setup(VMID_HLOS), 0);
	guest = allocate_guest();
	h = parcel_call(RM_MEM_LEND, req, parcel_req(req, 0, guest, false, sgl, 2), RM_OK);
	CHECK(h != 0);
	check_owner(0x50000000, MEMDB_LENT, guest, h);
	check_owner(0x601ff000 & ~0xfffUL, MEMDB_OWNED, 0, 0);
	check_owner(0x60003000, MEMDB_LENT, guest, h);
	CHECK_EQ(host_unmapped, 0x203000);

	/* The guest cannot be deallocated while it holds memory. */
	{
		u8 got[RM_RPC_PACKET_MAX];
		u8 d[4] = { (u8)guest, 0, 0, 0 };

		CHECK_EQ(host_request(0x56000002, 98, d, 4), 0);
		CHECK_EQ(host_recv(got, sizeof(got), NULL, NULL), 0);
		CHECK_EQ(rm_get_le32(got + 8), RM_ERROR_IN_USE);
	}

	parcel_call(RM_MEM_RECLAIM, req, reclaim_req(req, h, 1), RM_OK);
	check_owner(0x50000000, MEMDB_OWNED, 0, 0);
	check_owner(0x60003000, MEMDB_OWNED, 0, 0);
	CHECK_EQ(host_remapped, 0x203000);
	CHECK_EQ(sanitized, 0x203000);
	/* Gone: a second reclaim names no parcel. */
	parcel_call(RM_MEM_RECLAIM, req, reclaim_req(req, h, 0), 0x7);
	expect_no_reply();
}

TEST(share_keeps_the_host_mapping)
{
	static const u64 sgl[1][2] = { { 0x70000000, 0x10000 } };
	u8 req[256];
	u16 guest;
	u32 h;

	REQUIRE_EQ(setup(VMID_HLOS), 0);
	guest = allocate_guest();
	h = parcel_call(RM_MEM_SHARE, req, parcel_req(req, 0, guest, true, sgl, 1), RM_OK);
	check_owner(0x70000000, MEMDB_SHARED, guest, h);
	CHECK_EQ(host_unmapped, 0);
	/* The same memory cannot be given twice. */
	parcel_call(RM_MEM_LEND, req, parcel_req(req, 0, guest, false, sgl, 1), 0xa);
	parcel_call(RM_MEM_RECLAIM, req, reclaim_req(req, h, 0), RM_OK);
	check_owner(0x70000000, MEMDB_OWNED, 0, 0);
	CHECK_EQ(host_remapped, 0);
	expect_no_reply();
}

TEST(parcel_is_all_or_nothing)
{
	/* The third range is the hypervisor's: nothing may stay given. */
	static const u64 sgl[3][2] = {
		{ 0x50000000, 0x1000 }, { 0x51000000, 0x1000 }, { 0x80000000, 0x1000 },
	};
	static const u64 bad[2][2] = { { 0x52000000, 0x1000 }, { 0x53000800, 0x1000 } };
	u8 req[256];
	u16 guest;

	REQUIRE_EQ(setup(VMID_HLOS), 0);
	guest = allocate_guest();
	parcel_call(RM_MEM_LEND, req, parcel_req(req, 0, guest, false, sgl, 3), 0xa);
	check_owner(0x50000000, MEMDB_OWNED, 0, 0);
	check_owner(0x51000000, MEMDB_OWNED, 0, 0);
	CHECK_EQ(host_unmapped, host_remapped);
	/* A misaligned range: ARG_INVALID, the first range given back. */
	parcel_call(RM_MEM_LEND, req, parcel_req(req, 0, guest, false, bad, 2), 0x6);
	check_owner(0x52000000, MEMDB_OWNED, 0, 0);
	expect_no_reply();
}

TEST(parcel_request_validation)
{
	static const u64 sgl[1][2] = { { 0x50000000, 0x1000 } };
	u8 req[256];
	size_t len;
	u16 guest;

	REQUIRE_EQ(setup(VMID_HLOS), 0);
	guest = allocate_guest();
	/* Lending to a VM the host does not own, or to itself. */
	parcel_call(RM_MEM_LEND, req, parcel_req(req, 0, 0x99, false, sgl, 1), 0xd);
	parcel_call(RM_MEM_LEND, req, parcel_req(req, 0, VMID_HLOS, false, sgl, 1), 0x6);
	/* Sharing needs the owner in the ACL, lending must not have it. */
	len = parcel_req(req, 0, guest, true, sgl, 1);
	parcel_call(RM_MEM_LEND, req, len, 0x6);
	len = parcel_req(req, 0, guest, false, sgl, 1);
	parcel_call(RM_MEM_SHARE, req, len, 0x6);
	/* IO memory, unknown flags, reserved bytes. */
	len = parcel_req(req, 0, guest, false, sgl, 1);
	req[0] = 1;
	parcel_call(RM_MEM_LEND, req, len, 0x6);
	len = parcel_req(req, 0x4, guest, false, sgl, 1);
	parcel_call(RM_MEM_LEND, req, len, 0x6);
	/* Truncated or padded messages. */
	len = parcel_req(req, 0, guest, false, sgl, 1);
	parcel_call(RM_MEM_LEND, req, len - 1, 0x4);
	parcel_call(RM_MEM_LEND, req, len + 4, 0x4);
	parcel_call(RM_MEM_LEND, req, 7, 0x4);
	/* No range at all. */
	parcel_call(RM_MEM_LEND, req, parcel_req(req, 0, guest, false, sgl, 0), 0x6);
	check_owner(0x50000000, MEMDB_OWNED, 0, 0);
	CHECK_EQ(host_unmapped, 0);
	expect_no_reply();
}

/* MEM_APPEND: u32 handle, u8 flags, u8[3], SGL list. */
static size_t append_req(u8 *b, u32 handle, u8 flags, const u64 (*sgl)[2], unsigned int n)
{
	unsigned int i;
	size_t o = 12;

	memset(b, 0, 12);
	rm_put_le32(b, handle);
	b[4] = flags;
	rm_put_le16(b + 8, n);
	for (i = 0; i < n; i++, o += 16) {
		rm_put_le32(b + o, (u32)sgl[i][0]);
		rm_put_le32(b + o + 4, sgl[i][0] >> 32);
		rm_put_le32(b + o + 8, (u32)sgl[i][1]);
		rm_put_le32(b + o + 12, sgl[i][1] >> 32);
	}
	return o;
}

TEST(append_until_end)
{
	static u64 sgl[600][2];
	static u8 req[RM_RPC_MSG_MAX];
	unsigned int i;
	u16 guest;
	u32 h;

	REQUIRE_EQ(setup(VMID_HLOS), 0);
	guest = allocate_guest();
	/* 600 separate pages: 512 in the create message, 88 appended. */
	for (i = 0; i < 600; i++) {
		sgl[i][0] = 0x50000000 + 0x2000 * (u64)i;
		sgl[i][1] = 0x1000;
	}
	h = parcel_call(RM_MEM_SHARE, req, parcel_req(req, 2, guest, true, sgl, 512), RM_OK);
	/* More than 512 in one message is refused. */
	parcel_call(RM_MEM_APPEND, req, append_req(req, h, 0, &sgl[0], 513), 0x6);
	parcel_call(RM_MEM_APPEND, req, append_req(req, h, 0, &sgl[512], 40), RM_OK);
	parcel_call(RM_MEM_APPEND, req, append_req(req, h, 1, &sgl[552], 48), RM_OK);
	check_owner(0x50000000 + 0x2000 * 599, MEMDB_SHARED, guest, h);
	/* Complete: no more appending; unknown handles are refused. */
	parcel_call(RM_MEM_APPEND, req, append_req(req, h, 1, &sgl[0], 1), 0x6);
	parcel_call(RM_MEM_APPEND, req, append_req(req, h + 1, 1, &sgl[0], 1), 0x7);
	parcel_call(RM_MEM_RECLAIM, req, reclaim_req(req, h, 0), RM_OK);
	for (i = 0; i < 600; i++)
		if (!check_owner(sgl[i][0], MEMDB_OWNED, 0, 0))
			break;
	expect_no_reply();
}

/* ---- the VM lifecycle --------------------------------------------------------- */

#define VM_START		0x56000004
#define VM_STOP			0x56000005
#define VM_RESET		0x56000006
#define VM_CONFIG_IMAGE		0x56000009
#define VM_INIT			0x5600000b
#define VM_GET_HYP_RESOURCES	0x56000020

/* What build_vm_dt() leaves out or gets wrong. */
enum vm_dt_flaw {
	DT_GOOD,
	DT_STATIC,	/* affinity "static" without an affinity-map */
	DT_NO_VCPUS,	/* no vcpus node */
	DT_NO_GIC,	/* no GIC node, nothing names one */
	DT_NO_CHOSEN,	/* no /chosen */
	DT_SCHEDULED,	/* not proxy: affinity-map <0 1>, priority -1, 2 ms */
	DT_SCHED_NO_CPU,	/* the same on CPUs <0 5>: the machine has 2 */
};

#define GIC_PHANDLE	1

/*
 * A VM config like crosvm's: 2 vCPUs (PSCI), the GIC at 0x3fff0000 named
 * by interrupts { config }, /chosen, one doorbell with label 5 on SPI 40.
 */
static size_t build_vm_dt(void *buf, size_t size, enum vm_dt_flaw flaw)
{
	fdt32_t irq[3] = { cpu_to_fdt32(0), cpu_to_fdt32(40), cpu_to_fdt32(1) };
	fdt32_t gic_reg[8] = {
		0, cpu_to_fdt32(0x3fff0000), 0, cpu_to_fdt32(0x10000),
		0, cpu_to_fdt32(0x3fff0000 - 2 * 0x20000), 0, cpu_to_fdt32(2 * 0x20000),
	};
	int i;

	if (fdt_create(buf, size) || fdt_finish_reservemap(buf))
		abort();
	fdt_begin_node(buf, "");
	fdt_property_u32(buf, "#address-cells", 2);
	fdt_property_u32(buf, "#size-cells", 2);
	if (flaw != DT_NO_CHOSEN) {
		fdt_begin_node(buf, "chosen");
		fdt_property_string(buf, "bootargs", "");
		fdt_end_node(buf);
	}
	fdt_begin_node(buf, "gunyah-vm-config");
	fdt_property_string(buf, "image-name", "test-vm");
	fdt_begin_node(buf, "memory");
	fdt_property_u64(buf, "base-address", 0x80000000);
	fdt_end_node(buf);
	if (flaw != DT_NO_VCPUS) {
		bool sched = flaw == DT_SCHEDULED || flaw == DT_SCHED_NO_CPU;
		fdt32_t map[2] = { 0, cpu_to_fdt32(flaw == DT_SCHED_NO_CPU ? 5 : 1) };

		fdt_begin_node(buf, "vcpus");
		fdt_property_string(buf, "affinity",
				    flaw == DT_STATIC || sched ? "static" : "proxy");
		if (sched) {
			fdt_property(buf, "affinity-map", map, sizeof(map));
			fdt_property_u32(buf, "sched-priority", -1);
			fdt_property_u32(buf, "sched-timeslice", 2000);
		}
		fdt_end_node(buf);
	}
	if (flaw != DT_NO_GIC) {
		fdt_begin_node(buf, "interrupts");
		fdt_property_u32(buf, "config", GIC_PHANDLE);
		fdt_end_node(buf);
	}
	fdt_begin_node(buf, "bell-0");
	fdt_property_string(buf, "vdevice-type", "doorbell");
	fdt_property_u32(buf, "label", 5);
	fdt_property(buf, "interrupts", irq, sizeof(irq));
	fdt_end_node(buf);
	fdt_end_node(buf);
	fdt_begin_node(buf, "cpus");
	for (i = 0; i < 2; i++) {
		fdt_begin_node(buf, i ? "cpu@1" : "cpu@0");
		fdt_property_string(buf, "device_type", "cpu");
		fdt_property_string(buf, "enable-method", "psci");
		/* Without proxy scheduling, PSCI needs them (as the real RM). */
		if (flaw == DT_SCHEDULED || flaw == DT_SCHED_NO_CPU)
			fdt_property_u32(buf, "cpu-idle-states", 2);
		fdt_end_node(buf);
	}
	fdt_end_node(buf);
	if (flaw != DT_NO_GIC) {
		fdt_begin_node(buf, "intc@3fff0000");
		fdt_property_string(buf, "compatible", "arm,gic-v3");
		fdt_property_u32(buf, "#interrupt-cells", 3);
		fdt_property(buf, "interrupt-controller", NULL, 0);
		fdt_property(buf, "reg", gic_reg, sizeof(gic_reg));
		fdt_property_u32(buf, "phandle", GIC_PHANDLE);
		fdt_end_node(buf);
	}
	fdt_end_node(buf);
	/* fdt_pack(): the reservation map right after the header, as dtc has it. */
	if (fdt_finish(buf) || fdt_pack(buf))
		abort();
	return fdt_totalsize(buf);
}

static size_t config_image_req(u8 *b, u16 vmid, u32 handle, u64 dt_off, u64 dt_size)
{
	memset(b, 0, 40);
	rm_put_le16(b, vmid);
	rm_put_le32(b + 4, handle);
	rm_put_le32(b + 24, (u32)dt_off);
	rm_put_le32(b + 32, (u32)dt_size);
	return 40;
}

/* Receive the next packet: a notification with @id; returns its payload size. */
static size_t expect_notification(u32 id, u8 *payload)
{
	u8 got[RM_RPC_PACKET_MAX];
	u64 size = 0;

	if (!CHECK_EQ(host_recv(got, sizeof(got), &size, NULL), 0))
		return 0;
	CHECK_EQ(got[1] & 3, RM_RPC_NOTIFICATION);
	CHECK_EQ(rm_get_le32(got + 4), id);
	memcpy(payload, got + 8, size - 8);
	return size - 8;
}

static u32 vm_call(u32 msg_id, const u8 *req, size_t len, u32 err, u8 *data, u64 *data_len)
{
	u8 got[RM_RPC_PACKET_MAX * 2];
	u64 size = 0;
	u16 seq = mp_seq++;

	CHECK_EQ(host_request(msg_id, seq, req, len), 0);
	CHECK_EQ(host_recv(got, RM_RPC_PACKET_MAX, &size, NULL), 0);
	CHECK_EQ(rm_get_le16(got + 2), seq);
	if (!CHECK_EQ(rm_get_le32(got + 8), err))
		printf("#     message %#x\n", msg_id);
	if (data && size > 12)
		memcpy(data, got + 12, size - 12);
	if (data_len)
		*data_len = size - 12;
	return rm_get_le32(got + 8);
}

TEST(vm_lifecycle)
{
	static const u64 sgl[1][2] = { { FAKE_RAM_BASE, 0x100000 } };
	u8 req[256], data[256], note[32];
	u8 vm16[4] = { 0 };
	size_t dt_size;
	u64 len;
	u16 guest;
	u32 h;

	REQUIRE_EQ(setup(VMID_HLOS), 0);
	guest = allocate_guest();
	rm_put_le16(vm16, guest);
	dt_size = build_vm_dt(fake_ram + 0x1000, 0x4000, DT_GOOD);

	/* Nothing before VM_CONFIG_IMAGE. */
	vm_call(VM_INIT, vm16, 4, RM_ERROR_VM_STATE, NULL, NULL);
	vm_call(VM_START, vm16, 4, RM_ERROR_VM_STATE, NULL, NULL);

	h = parcel_call(RM_MEM_SHARE, req, parcel_req(req, 0, guest, true, sgl, 1), RM_OK);
	/* Offsets outside the parcel; an unknown parcel; authentication. */
	vm_call(VM_CONFIG_IMAGE, req, config_image_req(req, guest, h, 0xff000, 0x2000), 0x6,
		NULL, NULL);
	vm_call(VM_CONFIG_IMAGE, req, config_image_req(req, guest, h + 1, 0x1000, dt_size), 0x6,
		NULL, NULL);
	config_image_req(req, guest, h, 0x1000, dt_size);
	req[2] = 1;
	vm_call(VM_CONFIG_IMAGE, req, 40, 0x6, NULL, NULL);
	vm_call(VM_CONFIG_IMAGE, req, 39, RM_ERROR_MSG_INVALID, NULL, NULL);
	/* As Linux does: the devicetree's size rounded up, room for the RM's edits. */
	vm_call(VM_CONFIG_IMAGE, req, config_image_req(req, guest, h, 0x1000, 0x4000), RM_OK,
		NULL, NULL);
	vm_call(VM_CONFIG_IMAGE, req, 40, RM_ERROR_VM_STATE, NULL, NULL);

	vm_call(VM_INIT, vm16, 4, RM_OK, NULL, NULL);
	/* Two vCPUs (cap, wake-up interrupt) and one doorbell, exactly. */
	vm_call(VM_GET_HYP_RESOURCES, vm16, 4, RM_OK, data, &len);
	CHECK_EQ(len, 4 + 3 * 44);
	CHECK_EQ(rm_get_le32(data), 3);
	CHECK_EQ(data[4], 4);				/* VIRTUAL_CPU */
	CHECK_EQ(rm_get_le16(data + 4 + 2), guest);
	CHECK_EQ(rm_get_le32(data + 4 + 8), 0);		/* label = index */
	CHECK_EQ(rm_get_le32(data + 4 + 12), 2);	/* cap: after the RM's 0 and 1 */
	CHECK_EQ(rm_get_le32(data + 4 + 24), 0x100);	/* wake-up INTID */
	CHECK_EQ(rm_get_le32(data + 48 + 8), 1);
	CHECK_EQ(rm_get_le32(data + 48 + 24), 0x101);
	CHECK_EQ(data[92], 0);				/* DOORBELL_SRC */
	CHECK_EQ(rm_get_le32(data + 92 + 8), 5);	/* its label */
	CHECK_EQ(rm_get_le32(data + 92 + 12), 4);

	/* The boot context: registers X, PC, SP; not an unknown set or index. */
	{
		static const u8 regs[][4] = { { 0, 0 }, { 0, 30 }, { 1, 0 }, { 2, 1 } };
		static const u8 bad[][4] = { { 0, 31 }, { 1, 1 }, { 2, 2 }, { 3, 0 } };
		unsigned int i;

		for (i = 0; i < 4; i++) {
			memset(req, 0, 16);
			rm_put_le16(req, guest);
			req[2] = regs[i][0];
			req[3] = regs[i][1];
			rm_put_le32(req + 8, 0x80001000);
			vm_call(0x56000031, req, 16, RM_OK, NULL, NULL);
			req[2] = bad[i][0];
			req[3] = bad[i][1];
			vm_call(0x56000031, req, 16, 0x6, NULL, NULL);
		}
		vm_call(0x56000031, req, 12, RM_ERROR_MSG_INVALID, NULL, NULL);
	}

	vm_call(VM_START, vm16, 4, RM_OK, NULL, NULL);
	CHECK_EQ(expect_notification(0x56100008, note), 8);
	CHECK_EQ(rm_get_le16(note), guest);
	/* The guest's devicetree now has /hypervisor and its real /memory. */
	{
		void *dt = fake_ram + 0x1000;
		const fdt32_t *reg;
		int vmn, len;

		REQUIRE_EQ(fdt_check_header(dt), 0);
		CHECK(fdt_totalsize(dt) > dt_size && fdt_totalsize(dt) <= 0x4000);
		vmn = fdt_path_offset(dt, "/hypervisor/qcom,gunyah-vm");
		CHECK(vmn >= 0);
		CHECK_EQ(fdt32_to_cpu(*(const fdt32_t *)fdt_getprop(dt, vmn, "qcom,vmid", NULL)),
			 guest);
		CHECK_EQ(fdt32_to_cpu(*(const fdt32_t *)fdt_getprop(dt, vmn, "qcom,owner-vmid",
								     NULL)), VMID_HLOS);
		CHECK(fdt_node_check_compatible(dt, fdt_path_offset(dt, "/hypervisor"),
						"gunyah-hypervisor") == 0);
		reg = fdt_getprop(dt, fdt_path_offset(dt, "/memory"), "reg", &len);
		CHECK(reg != NULL);
		if (reg) {
			CHECK_EQ(len, 16);
			CHECK_EQ(fdt32_to_cpu(reg[1]), 0x80000000);
			CHECK_EQ(fdt32_to_cpu(reg[3]), 0x100000);
		}
	}
	CHECK_EQ(note[4], 3);				/* RUNNING */
	CHECK_EQ(fake_guests[0].mapped, 0x100000);
	CHECK_EQ(fake_guests[0].first_ipa, 0x80000000);
	CHECK_EQ(fake_guests[0].first_pa, FAKE_RAM_BASE);
	/* In use: no reclaim, no second start, no deallocation. */
	parcel_call(RM_MEM_RECLAIM, req, reclaim_req(req, h, 0), 0xb);
	vm_call(VM_START, vm16, 4, RM_ERROR_VM_STATE, NULL, NULL);
	vm_call(0x56000002, vm16, 4, RM_ERROR_VM_STATE, NULL, NULL);

	memset(req, 0, 8);
	rm_put_le16(req, guest);
	req[2] = 1;					/* FORCE */
	rm_put_le32(req + 4, 3);
	vm_call(VM_STOP, req, 8, RM_OK, NULL, NULL);
	CHECK_EQ(expect_notification(0x56100001, note), 12);
	CHECK_EQ(rm_get_le16(note + 2), 7);		/* VM_STOP_FORCED */

	vm_call(VM_RESET, vm16, 4, RM_OK, NULL, NULL);
	CHECK_EQ(expect_notification(0x56100008, note), 8);
	CHECK_EQ(note[4], 11);				/* RESET */
	CHECK_EQ(fake_guests[0].mapped, 0);
	CHECK(!fake_guests[0].used);
	CHECK(!host_virqs[0].used && !host_virqs[1].used);
	/* The host's vCPU and doorbell capabilities are gone. */
	{
		u64 r[SMCCC_NR_REGS] = { 0, 4, 1 };

		hypercall_dispatch(&host, GUNYAH_HYPCALL_DOORBELL_SEND, r);
		CHECK_EQ(r[0], GUNYAH_ERROR_CSPACE_CAP_NULL);
	}
	parcel_call(RM_MEM_RECLAIM, req, reclaim_req(req, h, 0), RM_OK);
	vm_call(0x56000002, vm16, 4, RM_OK, NULL, NULL);
	expect_no_reply();
}

TEST(guest_exit_is_reported_to_the_owner)
{
	static const u64 sgl[1][2] = { { FAKE_RAM_BASE, 0x100000 } };
	u8 req[256], note[32], vm16[4] = { 0 };
	size_t dt_size;
	u16 guest;
	u32 h;

	REQUIRE_EQ(setup(VMID_HLOS), 0);
	guest = allocate_guest();
	rm_put_le16(vm16, guest);
	dt_size = build_vm_dt(fake_ram + 0x1000, 0x4000, DT_GOOD);
	h = parcel_call(RM_MEM_SHARE, req, parcel_req(req, 0, guest, true, sgl, 1), RM_OK);
	vm_call(VM_CONFIG_IMAGE, req, config_image_req(req, guest, h, 0x1000, 0x4000), RM_OK,
		NULL, NULL);
	vm_call(VM_INIT, vm16, 4, RM_OK, NULL, NULL);
	/* Two vCPUs, and the GIC where the devicetree's GIC node puts it. */
	CHECK_EQ(fake_guests[0].nr_vcpus, 2);
	CHECK_EQ(fake_guests[0].bound_vcpus, 2);
	CHECK_EQ(fake_guests[0].gicd, 0x3fff0000);
	CHECK_EQ(fake_guests[0].gicr, 0x3fff0000 - 2 * 0x20000);
	REQUIRE(fake_guests[0].halt != NULL);
	/* An unauthenticated VM: the real RM's VMMIO window, [0, 1 GiB). */
	CHECK_EQ(fake_guests[0].nr_vmmio, 1);
	CHECK_EQ(fake_guests[0].vmmio_base, 0);
	CHECK_EQ(fake_guests[0].vmmio_size, 0x40000000);
	/*
	 * bell-0: interrupts = <0 40 1>, INTID 72. The trigger is not passed
	 * on: the guest programs it in its GIC.
	 */
	CHECK_EQ(fake_guests[0].nr_bells, 1);
	CHECK_EQ(fake_guests[0].bell_intid[0], 72);
	CHECK(fake_guests[0].bell[0] != NULL);
	/* Without a boot context: the image's start, x0 = the devicetree. */
	vm_call(VM_START, vm16, 4, RM_OK, NULL, NULL);
	CHECK_EQ(expect_notification(0x56100008, note), 8);
	CHECK(fake_guests[0].started);
	CHECK_EQ(fake_guests[0].boot_pc, 0x80000000);
	CHECK_EQ(fake_guests[0].boot_x0, 0x80001000);
	(void)dt_size;

	/* The guest powers itself off: the RM hears it and tells the owner. */
	fake_guests[0].exit = GUEST_EXIT_POWER_OFF;
	virq_raise(fake_guests[0].halt);
	CHECK_EQ(expect_notification(0x56100001, note), 12);
	CHECK_EQ(rm_get_le16(note), guest);
	CHECK_EQ(rm_get_le16(note + 2), 1);		/* PLATFORM_OFF */
	CHECK_EQ(rm_get_le32(note + 4), 4);
	CHECK_EQ(host_request(VM_GET_STATE, 7, vm16, 4), 0);
	CHECK(expect_u32_reply(7, VM_GET_STATE, 9));	/* EXITED */
	/* Once only. */
	virq_raise(fake_guests[0].halt);
	expect_no_reply();

	/* A vCPU still in vcpu_run holds the reset off. */
	fake_guests[0].busy = true;
	vm_call(VM_RESET, vm16, 4, RM_ERROR_BUSY, NULL, NULL);
	fake_guests[0].busy = false;
	vm_call(VM_RESET, vm16, 4, RM_OK, NULL, NULL);
	CHECK_EQ(expect_notification(0x56100008, note), 8);
}

TEST(guest_gic_from_the_devicetree)
{
	struct rm_vm_config cfg;
	u8 dt[0x2000] __aligned(8);
	fdt32_t reg[8] = {
		0, cpu_to_fdt32(0x08000000), 0, cpu_to_fdt32(0x10000),
		0, cpu_to_fdt32(0x080a0000), 0, cpu_to_fdt32(0x40000),
	};
	fdt32_t ph = cpu_to_fdt32(9);
	int gic;

	build_vm_dt(dt, sizeof(dt), DT_GOOD);
	REQUIRE_EQ(fdt_open_into(dt, dt, sizeof(dt)), 0);
	gic = fdt_path_offset(dt, "/intc@3fff0000");
	REQUIRE(gic >= 0);
	REQUIRE_EQ(fdt_setprop(dt, gic, "reg", reg, sizeof(reg)), 0);
	CHECK_EQ(rm_vm_config_parse(dt, sizeof(dt), &cfg), RM_OK);
	CHECK(cfg.has_gic);
	CHECK_EQ(cfg.gicd_base, 0x08000000);
	CHECK_EQ(cfg.gicr_base, 0x080a0000);
	/* Redistributors too small for two vCPUs (only this RM minds). */
	reg[7] = cpu_to_fdt32(0x20000);
	REQUIRE_EQ(fdt_setprop(dt, gic, "reg", reg, sizeof(reg)), 0);
	CHECK_EQ(rm_vm_config_parse(dt, sizeof(dt), &cfg), RM_ERROR_ARG_INVALID);
	/* Overlapping frames (this RM too). */
	reg[5] = cpu_to_fdt32(0x08000000);
	reg[7] = cpu_to_fdt32(0x40000);
	REQUIRE_EQ(fdt_setprop(dt, gic, "reg", reg, sizeof(reg)), 0);
	CHECK_EQ(rm_vm_config_parse(dt, sizeof(dt), &cfg), RM_ERROR_ARG_INVALID);
	/* A distributor not 64 KiB aligned: what the real RM cannot attach. */
	reg[1] = cpu_to_fdt32(0x08001000);
	reg[5] = cpu_to_fdt32(0x080a0000);
	REQUIRE_EQ(fdt_setprop(dt, gic, "reg", reg, sizeof(reg)), 0);
	CHECK_EQ(rm_vm_config_parse(dt, sizeof(dt), &cfg), RM_ERROR_NORESOURCE);
	/* A config phandle that names nothing: the real RM's parse fails. */
	REQUIRE_EQ(fdt_setprop(dt, fdt_path_offset(dt, "/gunyah-vm-config/interrupts"), "config",
			       &ph, sizeof(ph)), 0);
	CHECK_EQ(rm_vm_config_parse(dt, sizeof(dt), &cfg), RM_ERROR_MEM_INVALID);
}

TEST(vm_init_failure)
{
	static const u64 sgl[1][2] = { { FAKE_RAM_BASE, 0x100000 } };
	u8 req[256], vm16[4] = { 0 };
	size_t dt_size;
	u16 guest;
	u32 h;

	REQUIRE_EQ(setup(VMID_HLOS), 0);
	guest = allocate_guest();
	rm_put_le16(vm16, guest);
	dt_size = build_vm_dt(fake_ram + 0x1000, 0x4000, DT_STATIC);
	h = parcel_call(RM_MEM_LEND, req, parcel_req(req, 0, guest, false, sgl, 1), RM_OK);
	vm_call(VM_CONFIG_IMAGE, req, config_image_req(req, guest, h, 0x1000, dt_size), RM_OK,
		NULL, NULL);
	/* Static affinity without an affinity-map: the real RM's parse fails too. */
	vm_call(VM_INIT, vm16, 4, RM_ERROR_MEM_INVALID, NULL, NULL);
	CHECK_EQ(host_request(VM_GET_STATE, 7, vm16, 4), 0);
	CHECK(expect_u32_reply(7, VM_GET_STATE, 8));	/* INIT_FAILED */
	CHECK(!fake_guests[0].used);
	vm_call(VM_START, vm16, 4, RM_ERROR_VM_STATE, NULL, NULL);
	vm_call(VM_RESET, vm16, 4, RM_OK, NULL, NULL);
	CHECK_EQ(expect_notification(0x56100008, req), 8);
	parcel_call(RM_MEM_RECLAIM, req, reclaim_req(req, h, 0), RM_OK);
	vm_call(0x56000002, vm16, 4, RM_OK, NULL, NULL);
	expect_no_reply();
}

/* ---- what the real RM refuses, refused the same way ------------------------------ */

#define DT_OFF		0x1000
#define DT_ROOM		0x4000

/*
 * A VM with 1 MiB of shared RAM at FAKE_RAM_BASE and its devicetree
 * (with @flaw; byte @corrupt set to 0xf9 if not -1) at DT_OFF, through
 * VM_CONFIG_IMAGE; VM_INIT must answer @init_err. The parcel in *@h.
 */
static u16 vm_through_init(enum vm_dt_flaw flaw, int corrupt, u32 init_err, u32 *h)
{
	static const u64 sgl[1][2] = { { FAKE_RAM_BASE, 0x100000 } };
	u8 req[256], vm16[4] = { 0 };
	u16 guest = allocate_guest();

	rm_put_le16(vm16, guest);
	memset(fake_ram, 0, sizeof(fake_ram));
	build_vm_dt(fake_ram + DT_OFF, DT_ROOM, flaw);
	if (corrupt >= 0)
		fake_ram[DT_OFF + corrupt] = 0xf9;
	*h = parcel_call(RM_MEM_SHARE, req, parcel_req(req, 0, guest, true, sgl, 1), RM_OK);
	vm_call(VM_CONFIG_IMAGE, req, config_image_req(req, guest, *h, DT_OFF, DT_ROOM), RM_OK,
		NULL, NULL);
	vm_call(VM_INIT, vm16, 4, init_err, NULL, NULL);
	return guest;
}

/* VM_GET_STATE of @guest is @state; then VM_RESET, reclaim, deallocate. */
static void vm_state_and_teardown(u16 guest, u32 h, u8 state)
{
	u8 req[64], vm16[4] = { 0 };

	rm_put_le16(vm16, guest);
	CHECK_EQ(host_request(VM_GET_STATE, 7, vm16, 4), 0);
	CHECK(expect_u32_reply(7, VM_GET_STATE, state));
	vm_call(VM_RESET, vm16, 4, RM_OK, NULL, NULL);
	CHECK_EQ(expect_notification(0x56100008, req), 8);
	CHECK_EQ(req[4], 11);				/* RESET */
	parcel_call(RM_MEM_RECLAIM, req, reclaim_req(req, h, 0), RM_OK);
	vm_call(0x56000002, vm16, 4, RM_OK, NULL, NULL);
	expect_no_reply();
}

/* VM_START of @guest answers NORESOURCE, the VM INIT_FAILED, its memory untouched. */
static void expect_start_refused(u16 guest)
{
	u8 vm16[4] = { 0 }, note[32];
	static u8 before[DT_ROOM];

	rm_put_le16(vm16, guest);
	memcpy(before, fake_ram + DT_OFF, DT_ROOM);
	vm_call(VM_START, vm16, 4, RM_ERROR_NORESOURCE, NULL, NULL);
	CHECK_EQ(expect_notification(0x56100008, note), 8);
	CHECK_EQ(note[4], 8);				/* INIT_FAILED */
	CHECK(!fake_guests[0].started);
	CHECK_EQ(fake_guests[0].mapped, 0);
	CHECK_MEM_EQ(fake_ram + DT_OFF, before, DT_ROOM);
}

/*
 * Not proxy-scheduled: the hypervisor gets each vCPU's CPU, the priority
 * (the owner's 32 - 1) and the timeslice; the owner gets the vCPUs' caps
 * without a wake-up interrupt (0xffffffff, as the real RM).
 */
TEST(scheduled_vcpus_go_to_the_hypervisor)
{
	u8 vm16[4] = { 0 }, data[256];
	u64 len;
	u32 h;
	u16 guest;

	REQUIRE_EQ(setup(VMID_HLOS), 0);
	guest = vm_through_init(DT_SCHEDULED, -1, RM_OK, &h);
	rm_put_le16(vm16, guest);
	CHECK_EQ(fake_guests[0].nr_sched, 2);
	CHECK_EQ(fake_guests[0].sched_cpu[0], 0);
	CHECK_EQ(fake_guests[0].sched_cpu[1], 1);
	CHECK_EQ(fake_guests[0].sched_prio, 31);
	CHECK_EQ(fake_guests[0].sched_slice_ns, 2000000);
	vm_call(VM_GET_HYP_RESOURCES, vm16, 4, RM_OK, data, &len);
	CHECK_EQ(len, 4 + 3 * 44);
	CHECK_EQ(data[4], 4);				/* VIRTUAL_CPU */
	CHECK_EQ(rm_get_le32(data + 4 + 24), 0xffffffff);
	CHECK_EQ(rm_get_le32(data + 48 + 24), 0xffffffff);
	vm_state_and_teardown(guest, h, 2);		/* READY */
	/* No host interrupt was taken for them: the next VM's are the first again. */
	guest = vm_through_init(DT_GOOD, -1, RM_OK, &h);
	rm_put_le16(vm16, guest);
	vm_call(VM_GET_HYP_RESOURCES, vm16, 4, RM_OK, data, &len);
	CHECK_EQ(rm_get_le32(data + 4 + 24), 0x100);
	vm_state_and_teardown(guest, h, 2);

	/* A CPU the machine does not have: the hypervisor refuses, VM_INIT NORESOURCE. */
	guest = vm_through_init(DT_SCHED_NO_CPU, -1, RM_ERROR_NORESOURCE, &h);
	CHECK(!fake_guests[0].used);
	vm_state_and_teardown(guest, h, 8);		/* INIT_FAILED */
}

/* The real RM: no vcpus node, no vCPU created, VM_INIT NORESOURCE. */
TEST(vm_init_refuses_no_vcpus_node)
{
	u32 h;
	u16 guest;

	REQUIRE_EQ(setup(VMID_HLOS), 0);
	guest = vm_through_init(DT_NO_VCPUS, -1, RM_ERROR_NORESOURCE, &h);
	CHECK(!fake_guests[0].used);
	vm_state_and_teardown(guest, h, 8);		/* INIT_FAILED */
}

/*
 * The real RM: no GIC node, VM_INIT goes on (it would place one), VM_START
 * cannot patch it and answers NORESOURCE. No default addresses here.
 */
TEST(vm_start_refuses_no_gic_node)
{
	u32 h;
	u16 guest;

	REQUIRE_EQ(setup(VMID_HLOS), 0);
	guest = vm_through_init(DT_NO_GIC, -1, RM_OK, &h);
	expect_start_refused(guest);
	vm_state_and_teardown(guest, h, 8);
}

/* The real RM: the overlay patches /chosen; without it VM_START is NORESOURCE. */
TEST(vm_start_refuses_no_chosen_node)
{
	u32 h;
	u16 guest;

	REQUIRE_EQ(setup(VMID_HLOS), 0);
	guest = vm_through_init(DT_NO_CHOSEN, -1, RM_OK, &h);
	expect_start_refused(guest);
	vm_state_and_teardown(guest, h, 8);
}

/*
 * The reported attack: byte 53 of the devicetree, in the size of the
 * reservation map's last entry, 0x00 -> 0xf9. Refused at VM_INIT with
 * MEM_INVALID (the real RM's answer for a devicetree it cannot use there).
 */
TEST(hostile_dt_refused_at_vm_init)
{
	static u8 before[DT_ROOM];
	u32 h;
	u16 guest;

	REQUIRE_EQ(setup(VMID_HLOS), 0);
	build_vm_dt(before, sizeof(before), DT_GOOD);
	REQUIRE_EQ(before[53], 0);
	guest = vm_through_init(DT_GOOD, 53, RM_ERROR_MEM_INVALID, &h);
	CHECK_EQ(fdt_check_header(fake_ram + DT_OFF), 0);
	CHECK_EQ(fdt_num_mem_rsv(fake_ram + DT_OFF), -FDT_ERR_TRUNCATED);
	memcpy(before, fake_ram + DT_OFF, DT_ROOM);
	CHECK(!fake_guests[0].used);
	vm_state_and_teardown(guest, h, 8);
	CHECK_MEM_EQ(fake_ram + DT_OFF, before, DT_ROOM);
}

/*
 * The same byte changed after VM_INIT, before VM_START, where the RM
 * edits the devicetree: VM_START NORESOURCE, nothing written; then another
 * VM starts as usual.
 */
TEST(hostile_dt_refused_at_vm_start)
{
	u8 vm16[4] = { 0 }, note[32];
	u32 h;
	u16 guest;

	REQUIRE_EQ(setup(VMID_HLOS), 0);
	guest = vm_through_init(DT_GOOD, -1, RM_OK, &h);
	fake_ram[DT_OFF + 53] = 0xf9;
	expect_start_refused(guest);
	vm_state_and_teardown(guest, h, 8);

	guest = vm_through_init(DT_GOOD, -1, RM_OK, &h);
	rm_put_le16(vm16, guest);
	vm_call(VM_START, vm16, 4, RM_OK, NULL, NULL);
	CHECK_EQ(expect_notification(0x56100008, note), 8);
	CHECK_EQ(note[4], 3);				/* RUNNING */
	CHECK(fdt_path_offset(fake_ram + DT_OFF, "/hypervisor") >= 0);
}

/* The VMMIO window of an unauthenticated VM, as the real RM registers it. */
TEST(unauthenticated_vm_vmmio_window)
{
	u32 h;

	REQUIRE_EQ(setup(VMID_HLOS), 0);
	vm_through_init(DT_GOOD, -1, RM_OK, &h);
	CHECK_EQ(fake_guests[0].nr_vmmio, 1);
	CHECK_EQ(fake_guests[0].vmmio_base, 0);
	CHECK_EQ(fake_guests[0].vmmio_size, 0x40000000);
}
