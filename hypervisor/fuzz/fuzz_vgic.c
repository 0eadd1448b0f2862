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
 * Input: u8 nr_vcpus, u8 nr_lrs, then operations (see below).
 *
 * Invariants: an access outside the GIC's frames is not claimed and
 * changes nothing; a read changes no state and fits its size; write-only
 * and reserved registers read as zero; kicks name existing vCPUs only;
 * list registers hold valid, distinct INTIDs of the vCPU's own
 * interrupts, never more than the hardware has, and an SPI is in the list
 * registers of one vCPU at most. After every operation, each vCPU's
 * candidate bitmap holds exactly its candidates, and its
 * vgic_has_pending() and, for a vCPU out of the guest, what vgic_flush()
 * would do (LR images, underflow, interrupt state) match the full-scan
 * reference model (tests/include/vgic_ref.h).
 */
#include <fuzz.h>
#include <hyp/vgic.h>
#include <vgic_ref.h>

#define GICD		0x3fff0000UL
#define GICR		0x3f000000UL

static struct vgic_dist d, snap, ours_d, ref_d;
static bool loaded[VGIC_MAX_VCPUS];

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
		       (off >= 0x6100 + 8 * VGIC_NR_IRQS - 0x100 && off < 0xc000) ||
		       (off >= 0x0d00 && off < 0x6000);
	}
	/* GICR: SETLPIR, CLRLPIR, INVLPIR, INVALLR, and the SGI frame's holes. */
	return off == 0x40 || off == 0x48 || off == 0xa0 || off == 0xb0 ||
	       (off >= 0x10000 + 0x0d00 && off < 0x1ffe0);
}

static void check_lrs(void)
{
	bool seen[VGIC_NR_IRQS] = { false };
	unsigned int c, i;

	for (c = 0; c < d.nr_vcpus; c++) {
		bool mine[VGIC_NR_IRQS] = { false };

		if (!loaded[c])
			continue;
		FUZZ_ASSERT(d.cpu[c].nr_lr_used <= d.nr_lrs);
		for (i = 0; i < d.cpu[c].nr_lr_used; i++) {
			u64 lr = d.cpu[c].lr[i];
			u32 intid = FIELD_GET(ICH_LR_VINTID, lr);

			FUZZ_ASSERT(intid < VGIC_NR_IRQS);
			FUZZ_ASSERT(FIELD_GET(ICH_LR_STATE, lr) != 0);
			FUZZ_ASSERT(lr & ICH_LR_GROUP1);
			/* Twice in one vCPU's list registers: UNPREDICTABLE. */
			FUZZ_ASSERT(!mine[intid]);
			mine[intid] = true;
			if (intid >= VGIC_NR_PRIVATE) {
				/* An SPI is delivered to one vCPU at a time. */
				FUZZ_ASSERT(!seen[intid]);
				seen[intid] = true;
			}
			/* Only the timer's PPI may be linked to a physical interrupt. */
			if (lr & ICH_LR_HW)
				FUZZ_ASSERT(intid < VGIC_NR_PRIVATE &&
					    FIELD_GET(ICH_LR_PINTID, lr) == intid);
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
		/* The candidate bitmap is exact: no stale bit, none missing. */
		for (intid = 0; intid < VGIC_NR_IRQS; intid++)
			FUZZ_ASSERT(ref_cand_bit(&d, c, intid) == ref_candidate(&d, c, intid));
		FUZZ_ASSERT(!(d.cpu[c].cand[VGIC_NR_IRQS / 64] >> (VGIC_NR_IRQS % 64)));
		FUZZ_ASSERT(vgic_has_pending(&d, c) == ref_has_pending(&d, c));
		/* A vCPU in the guest has its list registers: no flush. */
		if (loaded[c])
			continue;
		memcpy(&ours_d, &d, len);
		memcpy(&ref_d, &d, len);
		/* Each copy keeps its SPIs in its own store. */
		ours_d.spi = ours_d.spi_store;
		ref_d.spi = ref_d.spi_store;
		vgic_flush(&ours_d, c);
		ref_flush(&ref_d, c);
		FUZZ_ASSERT(ours_d.cpu[c].nr_lr_used == ref_d.cpu[c].nr_lr_used);
		FUZZ_ASSERT(ours_d.cpu[c].underflow == ref_d.cpu[c].underflow);
		FUZZ_ASSERT(!memcmp(ours_d.cpu[c].lr, ref_d.cpu[c].lr, sizeof(ref_d.cpu[c].lr)));
		/* The same interrupts marked as in a list register, the same latches moved. */
		FUZZ_ASSERT(!memcmp(ours_d.spi_store, ref_d.spi_store, sizeof(ref_d.spi_store)));
		for (o = 0; o < d.nr_vcpus; o++)
			FUZZ_ASSERT(!memcmp(ours_d.cpu[o].priv, ref_d.cpu[o].priv,
					    sizeof(ref_d.cpu[o].priv)));
	}
}

static void mmio(struct fuzz_in *in)
{
	u8 who = fuzz_u8(in), where = fuzz_u8(in), sz = fuzz_u8(in);
	u32 off = fuzz_u32(in);
	u64 val = fuzz_u64(in), v = val, ipa;
	unsigned int vcpu = who % (d.nr_vcpus + 1), size = size_of(sz);
	bool write = sz & 4, rd = false, inside = true, ours;
	u64 rd_size = (u64)d.nr_vcpus * VGIC_GICR_STRIDE;
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
	/* A vCPU that traps is not in the guest: its list registers are synced. */
	if (vcpu < d.nr_vcpus && loaded[vcpu])
		return;
	snap = d;
	ours = vgic_mmio(&d, vcpu, ipa, size, write, &v, &kick);
	FUZZ_ASSERT(ours == (inside && vcpu < d.nr_vcpus));
	FUZZ_ASSERT(!(kick & ~(u32)(BIT(d.nr_vcpus) - 1)));
	if (!ours || !write) {
		/* Nothing changed. */
		FUZZ_ASSERT(!memcmp(&d, &snap, sizeof(d)));
		FUZZ_ASSERT(!kick);
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
 * The guest makes interrupt @b & 0x7f edge-triggered (@b & 0x80) or level:
 * a read-modify-write of its ICFGR, the distributor's for an SPI, the
 * redistributor's SGI frame for a private one. SPIs always take it.
 */
static void configure(unsigned int vcpu, u8 b)
{
	u32 intid = b & 0x7f, kick = 0;
	unsigned int shift = intid % 16 * 2;
	u64 ipa = intid < VGIC_NR_PRIVATE ?
		  GICR + vcpu * VGIC_GICR_STRIDE + 0x10000 + 0xc00 + intid / 16 * 4 :
		  GICD + 0xc00 + intid / 16 * 4;
	u64 v;

	FUZZ_ASSERT(vgic_mmio(&d, vcpu, ipa, 4, false, &v, &kick));
	v = (v & ~(3UL << shift)) | ((b & 0x80 ? 2UL : 0) << shift);
	FUZZ_ASSERT(vgic_mmio(&d, vcpu, ipa, 4, true, &v, &kick));
	FUZZ_ASSERT(!kick);
	FUZZ_ASSERT(vgic_mmio(&d, vcpu, ipa, 4, false, &v, &kick));
	if (intid >= VGIC_NR_PRIVATE && intid < VGIC_NR_IRQS)
		FUZZ_ASSERT(!!(v & (2UL << shift)) == !!(b & 0x80));
}

/*
 * The inputs of the list-register selection that random offsets in mmio()
 * rarely hit, written by the guest at any time: @a >> 6 picks SPI
 * 32 + @b % 64's GICD_IROUTER (0, 1: Aff0 from @a, now and then IRM or
 * an Aff1 bit, both meaning vCPU 0), GICD_CTLR (2), or (3) enables or
 * disables INTID @b % 96 of @vcpu (ISENABLER/ICENABLER, the distributor's
 * or @vcpu's SGI frame's).
 */
static u32 distribute(unsigned int vcpu, u8 a, u8 b)
{
	u32 intid = b % VGIC_NR_IRQS, kick = 0;
	u64 v = (a & 7) | (a & 0x20 ? BIT(31) : 0) | (a & 0x10 ? BIT(8) : 0);
	u64 ipa = GICD + 0x6000 + 8 * (VGIC_NR_PRIVATE + b % VGIC_NR_SPIS);
	unsigned int size = 8;

	if (a >> 6 == 2) {
		ipa = GICD;
		size = 4;
		v = a & 3;
	} else if (a >> 6 == 3) {
		ipa = intid < VGIC_NR_PRIVATE ? GICR + vcpu * VGIC_GICR_STRIDE + 0x10000 : GICD;
		ipa += (a & 1 ? 0x100 : 0x180) + intid / 32 * 4;
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
	check_lrs();
}

/* The guest ran: the hardware changed the LRs' states, never their INTIDs. */
static void sync(struct fuzz_in *in, unsigned int c)
{
	unsigned int i;

	if (!loaded[c])
		return;
	for (i = 0; i < d.cpu[c].nr_lr_used; i++) {
		u64 lr = d.cpu[c].lr[i], state = FIELD_GET(ICH_LR_STATE, lr);
		u8 b = fuzz_u8(in);

		switch (b & 3) {
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
		d.cpu[c].lr[i] = (lr & ~ICH_LR_STATE) | FIELD_PREP(ICH_LR_STATE, state);
	}
	vgic_sync(&d, c);
	loaded[c] = false;
	FUZZ_ASSERT(d.cpu[c].nr_lr_used == 0);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_in in = { data, size };
	unsigned int nr = 1 + fuzz_u8(&in) % VGIC_MAX_VCPUS;
	unsigned int lrs = 1 + fuzz_u8(&in) % VGIC_MAX_LRS, c;
	int ops = 0;

	vgic_init(&d, nr, lrs, GICD, GICR);
	memset(loaded, 0, sizeof(loaded));
	while (fuzz_more(&in) && ops++ < 4096) {
		u8 op = fuzz_u8(&in);
		unsigned int vcpu = (op >> 4) % VGIC_MAX_VCPUS;
		u32 kick = 0;

		switch (op & 0xf) {
		case 0: case 1: case 2: case 3: case 4: case 5:
			mmio(&in);
			break;
		case 6:
			if (vcpu < d.nr_vcpus && !loaded[vcpu])
				kick = vgic_sgi(&d, vcpu, fuzz_u64(&in));
			break;
		case 7:
			kick = vgic_inject_edge(&d, vcpu, fuzz_u8(&in));
			break;
		case 8: {
			u8 b = fuzz_u8(&in);

			kick = vgic_set_level(&d, vcpu, b & 0x7f, b & 0x80);
			break;
		}
		case 9:
			if (vcpu < d.nr_vcpus && !loaded[vcpu])
				configure(vcpu, fuzz_u8(&in));
			break;
		case 10:
			if (vcpu < d.nr_vcpus)
				flush(vcpu);
			break;
		case 11:
			if (vcpu < d.nr_vcpus)
				sync(&in, vcpu);
			break;
		case 12:
			if (!loaded[vcpu] && vcpu < d.nr_vcpus)
				vgic_set_hw(&d, vcpu, fuzz_u8(&in) % VGIC_NR_PRIVATE);
			break;
		case 13:
			kick = vgic_source_assert(&d, vcpu, fuzz_u8(&in));
			break;
		case 14:
			if (vcpu < d.nr_vcpus && !loaded[vcpu]) {
				u8 a = fuzz_u8(&in);

				kick = distribute(vcpu, a, fuzz_u8(&in));
			}
			break;
		default:
			(void)vgic_has_pending(&d, vcpu);
			(void)vgic_irq_in_flight(&d, vcpu, fuzz_u8(&in));
			break;
		}
		FUZZ_ASSERT(!(kick & ~(u32)(BIT(d.nr_vcpus) - 1)));
		check_ref();
	}
	for (c = 0; c < d.nr_vcpus; c++)
		if (loaded[c])
			sync(&in, c);
	return 0;
}
