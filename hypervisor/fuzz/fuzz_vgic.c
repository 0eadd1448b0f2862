// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzzing core/vgic.c: a guest's distributor and redistributor accesses
 * at any offset, size and value (among them ICFGR writes that set the
 * triggers, IROUTER writes that re-route SPIs, CTLR writes), its
 * ICC_SGI1R_EL1 writes, interrupts injected by doorbells and timers, and
 * the list registers as the hardware hands them back (the guest
 * acknowledges and deactivates at will), interleaved as vCPUs enter and
 * leave the guest.
 *
 * Or, if bit 7 of the first byte is set, the primary VM's distributor as
 * core/host_gic.c sets it up: 1020 INTIDs, PPIs 23, 27, 30 and SPIs
 * 32-255 linked to a physical twin (a stub of the physical GIC keeps
 * their state from the hooks), virtual SGIs and SPIs raised with
 * vgic_inject_edge(), linked ones acknowledged (vgic_inject_linked()) and
 * dropped (vgic_drop_linked()), accesses by vCPUs whose list registers
 * are still loaded (they are read back lazily), and the host running
 * with its list registers loaded before they are read back.
 *
 * Input: u8 nr_vcpus (bit 7: the host's), u8 nr_lrs, then operations
 * (see below); the host's INTIDs as fuzz_intid() reads them.
 *
 * Invariants: an access outside the GIC's frames is not claimed and
 * changes nothing; a read changes no state, calls no hook and fits its
 * size; write-only and reserved registers read as zero; kicks name
 * existing vCPUs only; list registers hold valid, distinct INTIDs of the
 * vCPU's own interrupts, never more than the hardware has, and an SPI is
 * in the list registers of one vCPU at most. After every operation, each
 * vCPU's candidate bitmap holds exactly its candidates, and its
 * vgic_has_pending() and, for a vCPU out of the guest, what vgic_flush()
 * would do (LR images, underflow, interrupt state) match the full-scan
 * reference model (tests/include/vgic_ref.h).
 *
 * The host's also: hooks are called for linked INTIDs only, with
 * existing vCPUs; a linked interrupt is in a hardware list register and
 * never pending and active there; the physical GIC is enabled, triggered
 * and routed as the model says, and an acknowledged physical interrupt
 * is active exactly while the model holds it: deactivated once, by the
 * host's EOI or by the model, never left active.
 */
#include <fuzz.h>
#include <hyp/vgic.h>
#include <vgic_ref.h>

#define GICD		0x3fff0000UL
#define GICR		0x3f000000UL
#define HOST_LAST_SPI	255
#define NR_SPIS_MAX	(VGIC_MAX_IRQS - VGIC_NR_PRIVATE)

static struct vgic_dist d, snap, ours_d, ref_d;
static struct vgic_irq host_spis[NR_SPIS_MAX], snap_spis[NR_SPIS_MAX];
static struct vgic_irq ours_spis[NR_SPIS_MAX], ref_spis[NR_SPIS_MAX];
static bool loaded[VGIC_MAX_VCPUS];
static bool host;

/* The physical GIC as the hooks leave it: it starts as the model does. */
static struct phys_irq {
	bool enabled, edge, active;
	u8 cpu;
} phys_spi[VGIC_MAX_IRQS], phys_ppi[VGIC_MAX_VCPUS][VGIC_NR_PRIVATE];
static int phys_ctx;
static unsigned int hook_calls;

static bool host_linked(void *ctx, u32 intid)
{
	return intid == 23 || intid == 27 || intid == 30 ||
	       (intid >= VGIC_NR_PRIVATE && intid <= HOST_LAST_SPI);
}

static struct phys_irq *phys_of(unsigned int rd, u32 intid)
{
	return intid < VGIC_NR_PRIVATE ? &phys_ppi[rd][intid] : &phys_spi[intid];
}

/* A hook for @intid of redistributor (or vCPU) @rd: only for linked ones, existing vCPUs. */
static struct phys_irq *hook(void *ctx, unsigned int rd, u32 intid)
{
	FUZZ_ASSERT(host && ctx == &phys_ctx);
	FUZZ_ASSERT(intid < VGIC_MAX_IRQS && host_linked(ctx, intid));
	FUZZ_ASSERT(rd < d.nr_vcpus);
	hook_calls++;
	return phys_of(rd, intid);
}

static void phys_enable(void *ctx, unsigned int rd, u32 intid, bool on)
{
	hook(ctx, rd, intid)->enabled = on;
}

static void phys_set_edge(void *ctx, u32 intid, bool edge)
{
	/* Private linked interrupts (timers, PMU) stay level. */
	FUZZ_ASSERT(intid >= VGIC_NR_PRIVATE);
	hook(ctx, 0, intid)->edge = edge;
}

static void phys_route(void *ctx, u32 intid, unsigned int vcpu)
{
	FUZZ_ASSERT(intid >= VGIC_NR_PRIVATE);
	hook(ctx, vcpu, intid)->cpu = vcpu;
}

static void phys_pend(void *ctx, unsigned int rd, u32 intid, bool on)
{
	hook(ctx, rd, intid);
}

static void phys_deactivate(void *ctx, unsigned int rd, u32 intid)
{
	struct phys_irq *p = hook(ctx, rd, intid);

	/* Only what was acknowledged, once. */
	FUZZ_ASSERT(p->active);
	p->active = false;
}

static const struct vgic_phys_ops phys_ops = {
	.linked = host_linked,
	.enable = phys_enable,
	.set_edge = phys_set_edge,
	.route = phys_route,
	.pend = phys_pend,
	.deactivate = phys_deactivate,
};

static size_t spis_size(void)
{
	return (d.nr_irqs - VGIC_NR_PRIVATE) * sizeof(struct vgic_irq);
}

/*
 * An INTID from the input: a byte for a guest. For the host, mostly one
 * of a few, so that operations meet on the same interrupts (linked and
 * virtual, at the edges of the bitmap words), or after 0xff any of
 * 0-1023 from the next two bytes.
 */
static u32 fuzz_intid(struct fuzz_in *in)
{
	static const u16 few[] = { 1, 23, 25, 27, 30, 32, 40, 63, 64, 255, 256, 960, 1019, 1020 };
	u8 b = fuzz_u8(in);

	if (!host)
		return b;
	return b == 0xff ? fuzz_u16(in) % 1024 : few[b % ARRAY_SIZE(few)];
}

static bool linked_intid(u32 intid)
{
	return host && intid < d.nr_irqs && host_linked(NULL, intid);
}

static unsigned int size_of(u8 b)
{
	return 1U << (b & 3);
}

/* Offsets that must read as zero: write-only or reserved registers. */
static bool raz_offset(bool rd, u64 off)
{
	if (!rd) {
		/* SETSPI/CLRSPI (NS, S), GICD_SGIR (GICv2), reserved blocks. */
		return off == 0x40 || off == 0x48 || off == 0x50 || off == 0x58 || off == 0xf00 ||
		       (off >= 0x6000 + 8 * d.nr_irqs && off < 0xc000) ||
		       (off >= 0x0d00 && off < 0x6000) ||
		       /* Beyond the last INTID: priorities, triggers, one-bit registers. */
		       (off >= 0x400 + d.nr_irqs && off < 0x800) ||
		       (off >= 0xc00 + DIV_ROUND_UP(d.nr_irqs, 16) * 4 && off < 0xd00) ||
		       (off >= 0x100 && off < 0x400 && (off & 0x7f) / 4 * 32 >= d.nr_irqs);
	}
	/* GICR: SETLPIR, CLRLPIR, INVLPIR, INVALLR, and the SGI frame's holes. */
	return off == 0x40 || off == 0x48 || off == 0xa0 || off == 0xb0 ||
	       (off >= 0x10000 + 0x0d00 && off < 0x1ffe0);
}

/*
 * After vCPU @flushed's flush. The host may have run on its other loaded
 * vCPUs since theirs: their list registers' states are the host's.
 */
static void check_lrs(unsigned int flushed)
{
	static bool seen[VGIC_MAX_IRQS], mine[VGIC_MAX_IRQS];
	unsigned int c, i;

	memset(seen, 0, sizeof(seen));
	for (c = 0; c < d.nr_vcpus; c++) {
		if (!loaded[c])
			continue;
		memset(mine, 0, sizeof(mine));
		FUZZ_ASSERT(d.cpu[c].nr_lr_used <= d.nr_lrs);
		for (i = 0; i < d.cpu[c].nr_lr_used; i++) {
			u64 lr = d.cpu[c].lr[i];
			u32 intid = FIELD_GET(ICH_LR_VINTID, lr);

			FUZZ_ASSERT(intid < d.nr_irqs);
			FUZZ_ASSERT((host && c != flushed) || FIELD_GET(ICH_LR_STATE, lr) != 0);
			FUZZ_ASSERT(lr & ICH_LR_GROUP1);
			/* Twice in one vCPU's list registers: UNPREDICTABLE. */
			FUZZ_ASSERT(!mine[intid]);
			mine[intid] = true;
			if (intid >= VGIC_NR_PRIVATE) {
				/* An SPI is delivered to one vCPU at a time. */
				FUZZ_ASSERT(!seen[intid]);
				seen[intid] = true;
			}
			if (lr & ICH_LR_HW)
				FUZZ_ASSERT(FIELD_GET(ICH_LR_PINTID, lr) == intid);
			if (!host) {
				/* Only the timer's PPI may be linked to a physical interrupt. */
				if (lr & ICH_LR_HW)
					FUZZ_ASSERT(intid < VGIC_NR_PRIVATE);
				continue;
			}
			/*
			 * The host's linked interrupts: the host's EOI deactivates the
			 * physical one, whose pending state stays in the physical GIC.
			 */
			FUZZ_ASSERT(!!(lr & ICH_LR_HW) == host_linked(NULL, intid));
			if (lr & ICH_LR_HW)
				FUZZ_ASSERT(FIELD_GET(ICH_LR_STATE, lr) !=
					    (ICH_LR_PENDING | ICH_LR_ACTIVE));
		}
	}
}

/*
 * core/vgic.c against the reference model, the flushes on copies of the
 * state (only the vCPUs that exist: the rest is never touched). The model
 * is test code: neither instrumented for coverage nor sanitized, which
 * keeps the fuzzer fast enough.
 */
__attribute__((noinline, no_sanitize("coverage", "address", "undefined")))
static void check_ref(void)
{
	size_t len = offsetof(struct vgic_dist, cpu) + d.nr_vcpus * sizeof(d.cpu[0]);
	unsigned int c, o;
	u32 intid;

	for (c = 0; c < d.nr_vcpus; c++) {
		/* The candidate bitmap is exact: no stale bit, none missing, none beyond. */
		for (intid = 0; intid < VGIC_CAND_WORDS * 64; intid++)
			FUZZ_ASSERT(ref_cand_bit(&d, c, intid) ==
				    (intid < d.nr_irqs && ref_candidate(&d, c, intid)));
		/* Its summary has a bit for each word with bits, no other. */
		for (o = 0; o < 32; o++)
			FUZZ_ASSERT(!!(d.cpu[c].cand_sum & BIT(o)) ==
				    (o < VGIC_CAND_WORDS && d.cpu[c].cand[o] != 0));
		FUZZ_ASSERT(vgic_has_pending(&d, c) == ref_has_pending(&d, c));
		/* A vCPU in the guest has its list registers: no flush. */
		if (loaded[c])
			continue;
		memcpy(&ours_d, &d, len);
		memcpy(&ref_d, &d, len);
		/* Each copy keeps its SPIs in its own array. */
		memcpy(ours_spis, d.spi, spis_size());
		memcpy(ref_spis, d.spi, spis_size());
		ours_d.spi = ours_spis;
		ref_d.spi = ref_spis;
		vgic_flush(&ours_d, c);
		ref_flush(&ref_d, c);
		FUZZ_ASSERT(ours_d.cpu[c].nr_lr_used == ref_d.cpu[c].nr_lr_used);
		FUZZ_ASSERT(ours_d.cpu[c].underflow == ref_d.cpu[c].underflow);
		FUZZ_ASSERT(!memcmp(ours_d.cpu[c].lr, ref_d.cpu[c].lr, sizeof(ref_d.cpu[c].lr)));
		/* The same interrupts marked as in a list register, the same latches moved. */
		FUZZ_ASSERT(!memcmp(ours_spis, ref_spis, spis_size()));
		for (o = 0; o < d.nr_vcpus; o++)
			FUZZ_ASSERT(!memcmp(ours_d.cpu[o].priv, ref_d.cpu[o].priv,
					    sizeof(ref_d.cpu[o].priv)));
	}
}

/*
 * Does the model hold linked interrupt @irq (@intid, of vCPU @c if
 * private): pending, active, or in a list register that holds it still.
 * The host may have finished one of a loaded vCPU's list registers,
 * which the model learns at the next vgic_sync().
 */
static bool holds(const struct vgic_irq *irq, u32 intid, unsigned int c)
{
	unsigned int o, i;

	if (!irq->in_lr || irq->latched)
		return irq->latched || irq->active;
	for (o = 0; o < d.nr_vcpus; o++) {
		if (!loaded[o] || (intid < VGIC_NR_PRIVATE && o != c))
			continue;
		for (i = 0; i < d.cpu[o].nr_lr_used; i++)
			if (FIELD_GET(ICH_LR_VINTID, d.cpu[o].lr[i]) == intid)
				return FIELD_GET(ICH_LR_STATE, d.cpu[o].lr[i]) != 0;
	}
	/* in_lr, but in no list register. */
	FUZZ_ASSERT(0);
	return false;
}

/* The host's physical GIC in step with the model, for every linked interrupt. */
static void check_phys(void)
{
	unsigned int c;
	u32 intid;

	for (c = 0; c < d.nr_vcpus; c++) {
		for (intid = 16; intid < VGIC_NR_PRIVATE; intid++) {
			const struct vgic_irq *irq = &d.cpu[c].priv[intid];
			const struct phys_irq *p = &phys_ppi[c][intid];

			if (!host_linked(NULL, intid))
				continue;
			FUZZ_ASSERT(irq->hw && !irq->edge && !p->edge);
			FUZZ_ASSERT(p->enabled == irq->enabled);
			FUZZ_ASSERT(p->active == holds(irq, intid, c));
		}
	}
	for (intid = VGIC_NR_PRIVATE; intid < d.nr_irqs; intid++) {
		const struct vgic_irq *irq = &d.spi[intid - VGIC_NR_PRIVATE];
		const struct phys_irq *p = &phys_spi[intid];
		u64 aff0 = irq->irouter & 0xff;

		FUZZ_ASSERT(irq->hw == host_linked(NULL, intid));
		if (!irq->hw)
			continue;
		FUZZ_ASSERT(p->enabled == irq->enabled);
		FUZZ_ASSERT(p->edge == irq->edge);
		FUZZ_ASSERT(p->cpu == ((irq->irouter & ~0xffUL) || aff0 >= d.nr_vcpus ? 0 : aff0));
		FUZZ_ASSERT(p->active == holds(irq, intid, 0));
	}
}

/*
 * A vCPU traps (accesses the GIC, writes ICC_SGI1R_EL1): a guest's only
 * out of the guest, the host's also with its list registers loaded.
 */
static bool traps(unsigned int vcpu)
{
	return vcpu < d.nr_vcpus && (host || !loaded[vcpu]);
}

static void mmio(struct fuzz_in *in)
{
	u8 who = fuzz_u8(in), where = fuzz_u8(in), sz = fuzz_u8(in);
	u32 off = fuzz_u32(in);
	u64 val = fuzz_u64(in), v = val, ipa;
	unsigned int vcpu = who % (d.nr_vcpus + 1), size = size_of(sz);
	bool write = sz & 4, rd = false, inside = true, ours;
	u64 rd_size = (u64)d.nr_vcpus * VGIC_GICR_STRIDE;
	unsigned int calls = hook_calls;
	u32 kick = 0xdeadbeef;

	switch (where & 3) {
	case 0:
		ipa = GICD + (off % VGIC_GICD_SIZE);
		break;
	case 1:
		ipa = GICR + (off % rd_size);
		rd = true;
		break;
	case 2:
		/* Around the frames' edges. */
		ipa = (where & 4 ? GICD : GICR) + (s32)off % 0x40000;
		inside = (ipa >= GICD && ipa < GICD + VGIC_GICD_SIZE) ||
			 (ipa >= GICR && ipa < GICR + rd_size);
		rd = ipa >= GICR && ipa < GICR + rd_size;
		break;
	default:
		ipa = ((u64)off << 32) | fuzz_u32(in);
		inside = (ipa >= GICD && ipa < GICD + VGIC_GICD_SIZE) ||
			 (ipa >= GICR && ipa < GICR + rd_size);
		rd = ipa >= GICR && ipa < GICR + rd_size;
		break;
	}
	/* A vCPU in a guest does not trap. */
	if (vcpu < d.nr_vcpus && !traps(vcpu))
		return;
	snap = d;
	memcpy(snap_spis, d.spi, spis_size());
	ours = vgic_mmio(&d, vcpu, ipa, size, write, &v, &kick);
	FUZZ_ASSERT(ours == (inside && vcpu < d.nr_vcpus));
	FUZZ_ASSERT(!(kick & ~(u32)(BIT(d.nr_vcpus) - 1)));
	if (!ours || !write) {
		/* Nothing changed. */
		FUZZ_ASSERT(!memcmp(&d, &snap, sizeof(d)));
		FUZZ_ASSERT(!memcmp(d.spi, snap_spis, spis_size()));
		FUZZ_ASSERT(!kick);
		FUZZ_ASSERT(hook_calls == calls);
	}
	if (!ours) {
		FUZZ_ASSERT(v == val);
		return;
	}
	if (write) {
		FUZZ_ASSERT(v == val);
		return;
	}
	if (size < 8)
		FUZZ_ASSERT(!(v >> (8 * size)));
	if (raz_offset(rd, rd ? (ipa - GICR) % VGIC_GICR_STRIDE : ipa - GICD))
		FUZZ_ASSERT(v == 0);
	/* Unaligned accesses read as zero. */
	if (ipa & (size - 1))
		FUZZ_ASSERT(v == 0);
}

/*
 * The guest makes interrupt @intid edge-triggered (@edge) or level: a
 * read-modify-write of its ICFGR, the distributor's for an SPI, the
 * redistributor's SGI frame for a private one. SPIs always take it.
 */
static void configure(unsigned int vcpu, u32 intid, bool edge)
{
	u32 kick = 0;
	unsigned int shift = intid % 16 * 2;
	u64 ipa = intid < VGIC_NR_PRIVATE ?
		  GICR + vcpu * VGIC_GICR_STRIDE + 0x10000 + 0xc00 + intid / 16 * 4 :
		  GICD + 0xc00 + intid / 16 * 4;
	u64 v;

	FUZZ_ASSERT(vgic_mmio(&d, vcpu, ipa, 4, false, &v, &kick));
	v = (v & ~(3UL << shift)) | ((edge ? 2UL : 0) << shift);
	FUZZ_ASSERT(vgic_mmio(&d, vcpu, ipa, 4, true, &v, &kick));
	FUZZ_ASSERT(!kick);
	FUZZ_ASSERT(vgic_mmio(&d, vcpu, ipa, 4, false, &v, &kick));
	if (intid >= VGIC_NR_PRIVATE && intid < d.nr_irqs)
		FUZZ_ASSERT(!!(v & (2UL << shift)) == edge);
}

/*
 * The inputs of the list-register selection that random offsets in mmio()
 * rarely hit, written by the guest at any time: @a >> 6 picks SPI
 * @spi's GICD_IROUTER (0, 1: Aff0 from @a, now and then IRM or an Aff1
 * bit, both meaning vCPU 0), GICD_CTLR (2), or (3) enables or disables
 * INTID @intid of @vcpu (ISENABLER/ICENABLER, the distributor's or
 * @vcpu's SGI frame's). The host's may also set or clear its pending or
 * active state (@a bits 1-2), any redistributor's (@a bits 3-5).
 */
static u32 distribute(unsigned int vcpu, u8 a, u32 intid, u32 spi)
{
	static const u16 set[] = { 0x100, 0x200, 0x300, 0x100 };
	u64 v = (a & 7) | (a & 0x20 ? BIT(31) : 0) | (a & 0x10 ? BIT(8) : 0);
	u64 ipa = GICD + 0x6000 + 8 * spi;
	unsigned int size = 8;
	u32 kick = 0;

	if (a >> 6 == 2) {
		ipa = GICD;
		size = 4;
		v = a & 3;
	} else if (a >> 6 == 3 && !host) {
		ipa = intid < VGIC_NR_PRIVATE ? GICR + vcpu * VGIC_GICR_STRIDE + 0x10000 : GICD;
		ipa += (a & 1 ? 0x100 : 0x180) + intid / 32 * 4;
		size = 4;
		v = BIT(intid % 32);
	} else if (a >> 6 == 3) {
		unsigned int rd = ((a >> 3) & 7) % d.nr_vcpus;

		ipa = intid < VGIC_NR_PRIVATE ? GICR + rd * VGIC_GICR_STRIDE + 0x10000 : GICD;
		ipa += set[(a >> 1) & 3] + (a & 1 ? 0 : 0x80) + intid / 32 * 4;
		size = 4;
		v = BIT(intid % 32);
	}
	FUZZ_ASSERT(vgic_mmio(&d, vcpu, ipa, size, true, &v, &kick));
	return kick;
}

static void flush(unsigned int c)
{
	if (loaded[c])
		return;
	vgic_flush(&d, c);
	loaded[c] = true;
	check_lrs(c);
}

/*
 * The guest ran: the hardware changed the LRs' states, never their
 * INTIDs. A hardware interrupt deactivated (by the host's EOI)
 * deactivates the physical one. The host's list registers may stay
 * loaded afterwards (@b & 4): they are read back lazily.
 */
static void sync(struct fuzz_in *in, unsigned int c, u8 b)
{
	unsigned int i;

	if (!loaded[c])
		return;
	for (i = 0; i < d.cpu[c].nr_lr_used; i++) {
		u64 lr = d.cpu[c].lr[i], state = FIELD_GET(ICH_LR_STATE, lr), old = state;
		u8 how = fuzz_u8(in);

		switch (how & 3) {
		case 0:		/* untouched */
			break;
		case 1:		/* acknowledged: pending -> active */
			if (state & ICH_LR_PENDING)
				state = (state & ~ICH_LR_PENDING) | ICH_LR_ACTIVE;
			break;
		case 2:		/* deactivated */
			state &= ~ICH_LR_ACTIVE;
			break;
		case 3:		/* acknowledged and deactivated */
			state = 0;
			break;
		}
		if (host && (lr & ICH_LR_HW) && old && !state) {
			struct phys_irq *p = phys_of(c, FIELD_GET(ICH_LR_VINTID, lr));

			FUZZ_ASSERT(p->active);
			p->active = false;
		}
		d.cpu[c].lr[i] = (lr & ~ICH_LR_STATE) | FIELD_PREP(ICH_LR_STATE, state);
	}
	if (host && (b & 4))
		return;
	vgic_sync(&d, c);
	loaded[c] = false;
	FUZZ_ASSERT(d.cpu[c].nr_lr_used == 0);
}

/*
 * The host's interrupt @intid of @vcpu was just made pending: if enabled,
 * its vCPU is kicked, even if a list register holds it (kick_in_lr: the
 * host may have finished it since the model last looked).
 */
static void check_kick(unsigned int vcpu, u32 intid, u32 kick)
{
	const struct vgic_irq *irq;
	unsigned int owner = vcpu;

	if (intid >= d.nr_irqs || vcpu >= d.nr_vcpus)
		return;
	irq = intid < VGIC_NR_PRIVATE ? &d.cpu[vcpu].priv[intid] : &d.spi[intid - 32];
	if (intid >= VGIC_NR_PRIVATE)
		owner = (irq->irouter & ~0xffUL) || (irq->irouter & 0xff) >= d.nr_vcpus ?
			0 : irq->irouter & 0xff;
	if (irq->enabled)
		FUZZ_ASSERT(kick & BIT(owner));
}

/* The hypervisor acknowledged physical interrupt @intid on vCPU @vcpu's CPU. */
static u32 ack(unsigned int vcpu, u32 intid)
{
	struct phys_irq *p;
	u32 kick;

	if (vcpu >= d.nr_vcpus)
		return 0;
	p = phys_of(vcpu, intid);
	/* An active interrupt is not signalled again. */
	if (p->active)
		return 0;
	p->active = true;
	kick = vgic_inject_linked(&d, vcpu, intid);
	check_kick(vcpu, intid, kick);
	return kick;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_in in = { data, size };
	u8 first = fuzz_u8(&in);
	unsigned int nr = 1 + first % VGIC_MAX_VCPUS;
	unsigned int lrs = 1 + fuzz_u8(&in) % VGIC_MAX_LRS, c;
	int ops = 0, max_ops;

	host = first & 0x80;
	memset(loaded, 0, sizeof(loaded));
	memset(phys_spi, 0, sizeof(phys_spi));
	memset(phys_ppi, 0, sizeof(phys_ppi));
	hook_calls = 0;
	if (host) {
		vgic_init_linked(&d, nr, lrs, GICD, GICR, VGIC_MAX_IRQS, host_spis, &phys_ops,
				 &phys_ctx);
		/* As host_gic_init(). */
		d.kick_in_lr = true;
	} else {
		vgic_init(&d, nr, lrs, GICD, GICR);
	}
	/* Ten times the INTIDs: fewer operations, for as long a run. */
	max_ops = host ? 512 : 4096;
	while (fuzz_more(&in) && ops++ < max_ops) {
		u8 op = fuzz_u8(&in);
		unsigned int vcpu = (op >> 4) % VGIC_MAX_VCPUS;
		u32 kick = 0, intid;

		switch (op & 0xf) {
		case 0: case 1: case 2: case 3: case 4: case 5:
			mmio(&in);
			break;
		case 6:
			if (traps(vcpu))
				kick = vgic_sgi(&d, vcpu, fuzz_u64(&in));
			break;
		case 7:
			/* An interrupt comes: the host's linked ones through the physical GIC. */
			intid = fuzz_intid(&in);
			if (linked_intid(intid)) {
				kick = ack(vcpu, intid);
			} else {
				kick = vgic_inject_edge(&d, vcpu, intid);
				if (host)
					check_kick(vcpu, intid, kick);
			}
			break;
		case 8: {
			u8 b = fuzz_u8(&in);

			/* Lines of virtual sources: the host's linked ones have none. */
			intid = host ? fuzz_intid(&in) : b & 0x7f;
			if (!linked_intid(intid))
				kick = vgic_set_level(&d, vcpu, intid, b & 0x80);
			break;
		}
		case 9:
			if (traps(vcpu)) {
				u8 b = fuzz_u8(&in);

				intid = host ? fuzz_intid(&in) : b & 0x7f;
				configure(vcpu, intid, b & 0x80);
			}
			break;
		case 10:
			if (vcpu < d.nr_vcpus)
				flush(vcpu);
			break;
		case 11:
			if (vcpu < d.nr_vcpus)
				sync(&in, vcpu, op >> 4 >= VGIC_MAX_VCPUS ? 4 : 0);
			break;
		case 12:
			if (host) {
				/*
				 * As host_gic_guest_load(): the list registers read
				 * back, the host's timer handed back if not taken.
				 */
				intid = fuzz_intid(&in);
				if (vcpu < d.nr_vcpus && !loaded[vcpu] &&
				    vgic_drop_linked(&d, vcpu, intid)) {
					struct phys_irq *p = phys_of(vcpu, intid);

					FUZZ_ASSERT(linked_intid(intid) && p->active);
					p->active = false;
				}
			} else if (!loaded[vcpu] && vcpu < d.nr_vcpus) {
				vgic_set_hw(&d, vcpu, fuzz_u8(&in) % VGIC_NR_PRIVATE);
			}
			break;
		case 13:
			intid = fuzz_intid(&in);
			if (!linked_intid(intid))
				kick = vgic_source_assert(&d, vcpu, intid);
			break;
		case 14:
			if (traps(vcpu)) {
				u8 a = fuzz_u8(&in);
				u32 b = fuzz_intid(&in);
				u32 spi = VGIC_NR_PRIVATE + b % (d.nr_irqs - VGIC_NR_PRIVATE);

				kick = distribute(vcpu, a, b % d.nr_irqs, spi);
			}
			break;
		default:
			(void)vgic_has_pending(&d, vcpu);
			(void)vgic_irq_in_flight(&d, vcpu, fuzz_intid(&in));
			break;
		}
		FUZZ_ASSERT(!(kick & ~(u32)(BIT(d.nr_vcpus) - 1)));
		check_ref();
		if (host)
			check_phys();
	}
	for (c = 0; c < d.nr_vcpus; c++)
		if (loaded[c])
			sync(&in, c, 0);
	if (host)
		check_phys();
	return 0;
}
