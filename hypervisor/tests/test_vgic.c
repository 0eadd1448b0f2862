// SPDX-License-Identifier: GPL-2.0-only
/* Host tests of the virtual GIC (core/vgic.c): registers and list registers. */
#include <test.h>
#include <hyp/vgic.h>
#include <vgic_ref.h>

#define GICD	0x3fff0000UL
#define GICR	(GICD - 2 * VGIC_GICR_STRIDE)
#define SGI	0x10000UL

static struct vgic_dist d;

static void setup(unsigned int nr_lrs)
{
	vgic_init(&d, 2, nr_lrs, GICD, GICR);
}

static u64 rd(unsigned int vcpu, u64 ipa, unsigned int size)
{
	u64 v = 0xdeadbeef;
	u32 kick;

	CHECK(vgic_mmio(&d, vcpu, ipa, size, false, &v, &kick));
	return v;
}

static u32 wr(unsigned int vcpu, u64 ipa, unsigned int size, u64 v)
{
	u32 kick = 0;

	CHECK(vgic_mmio(&d, vcpu, ipa, size, true, &v, &kick));
	return kick;
}

/* Enable interrupt @intid of @vcpu with @prio. */
static void enable(unsigned int vcpu, u32 intid, u8 prio)
{
	if (intid < 32) {
		wr(vcpu, d.gicr_base + vcpu * VGIC_GICR_STRIDE + SGI + 0x400 + intid, 1, prio);
		wr(vcpu, d.gicr_base + vcpu * VGIC_GICR_STRIDE + SGI + 0x100, 4, 1U << intid);
	} else {
		wr(vcpu, GICD + 0x400 + intid, 1, prio);
		wr(vcpu, GICD + 0x100 + intid / 32 * 4, 4, 1U << (intid % 32));
	}
}

/* The guest makes SPI @intid edge-triggered or level-sensitive: GICD_ICFGR. */
static void configure(u32 intid, bool edge)
{
	u64 icfgr = GICD + 0xc00 + intid / 16 * 4;
	unsigned int shift = intid % 16 * 2;

	wr(0, icfgr, 4, (rd(0, icfgr, 4) & ~(3U << shift)) | ((u32)edge << (shift + 1)));
}

static u32 lr_intid(u64 lr)
{
	return lr & 0xffffffff;
}

static u64 lr_state(u64 lr)
{
	return lr >> 62;
}

TEST(identification_registers)
{
	setup(4);
	CHECK_EQ(rd(0, GICD + 0xffe8, 4) & 0xf0, 0x30);
	CHECK_EQ(rd(0, GICR + 0xffe8, 4) & 0xf0, 0x30);
	/* 96 INTIDs, two CPUs, no LPIs. */
	CHECK_EQ(rd(0, GICD + 0x4, 4) & 0x1f, 2);
	CHECK_EQ((rd(0, GICD + 0x4, 4) >> 5) & 7, 1);
	CHECK_EQ(rd(0, GICD + 0x4, 4) & (1U << 17), 0);
	/* ARE and DS always set. */
	CHECK_EQ(rd(0, GICD, 4) & 0x50, 0x50);
}

TEST(redistributor_typer_and_last)
{
	setup(4);
	CHECK_EQ(rd(0, GICR + 0x8, 8), 0);
	CHECK_EQ(rd(0, GICR + VGIC_GICR_STRIDE + 0x8, 8), (1UL << 32) | (1 << 8) | (1 << 4));
	/* 32-bit halves of the same register. */
	CHECK_EQ(rd(1, GICR + VGIC_GICR_STRIDE + 0xc, 4), 1);
	CHECK_EQ(rd(1, GICR + VGIC_GICR_STRIDE + 0x8, 4), (1 << 8) | (1 << 4));
}

TEST(waker_follows_processor_sleep)
{
	setup(4);
	CHECK_EQ(rd(0, GICR + 0x14, 4), 6);
	wr(0, GICR + 0x14, 4, 0);
	CHECK_EQ(rd(0, GICR + 0x14, 4), 0);
	/* The other redistributor is still asleep. */
	CHECK_EQ(rd(0, GICR + VGIC_GICR_STRIDE + 0x14, 4), 6);
}

TEST(outside_the_gic_is_not_handled)
{
	u64 v = 0;
	u32 kick;

	setup(4);
	CHECK(!vgic_mmio(&d, 0, GICD - 2 * VGIC_GICR_STRIDE - 4, 4, false, &v, &kick));
	CHECK(!vgic_mmio(&d, 0, GICD + 0x10000, 4, false, &v, &kick));
	CHECK(!vgic_mmio(&d, 0, 0x09000000, 4, true, &v, &kick));
	/* A vCPU the GIC does not know. */
	CHECK(!vgic_mmio(&d, 5, GICD, 4, false, &v, &kick));
}

TEST(enable_pending_and_priority_registers)
{
	setup(4);
	wr(0, GICD, 4, 3);
	enable(0, 40, 0x80);
	CHECK_EQ(rd(0, GICD + 0x104, 4), 1U << 8);
	CHECK_EQ(rd(0, GICD + 0x428, 4) & 0xff, 0x80);
	CHECK_EQ(rd(0, GICD + 0x428, 1), 0x80);
	/* Setting it pending kicks its target, vCPU 0. */
	CHECK_EQ(wr(1, GICD + 0x204, 4, 1U << 8), 1U);
	CHECK_EQ(rd(0, GICD + 0x204, 4), 1U << 8);
	wr(0, GICD + 0x284, 4, 1U << 8);
	CHECK_EQ(rd(0, GICD + 0x204, 4), 0);
	/* Private interrupts are not the distributor's. */
	CHECK_EQ(rd(0, GICD + 0x100, 4), 0);
	CHECK_EQ(rd(0, GICD + 0x400, 4), 0);
}

TEST(spi_routing_follows_irouter)
{
	setup(4);
	wr(0, GICD, 4, 3);
	enable(0, 33, 0x10);
	wr(0, GICD + 0x6000 + 8 * 33, 8, 1);
	CHECK_EQ(rd(0, GICD + 0x6000 + 8 * 33, 8), 1);
	CHECK_EQ(vgic_inject_edge(&d, 0, 33), 2U);
	CHECK(vgic_has_pending(&d, 1));
	CHECK(!vgic_has_pending(&d, 0));
	vgic_flush(&d, 1);
	CHECK_EQ(d.cpu[1].nr_lr_used, 1);
	CHECK_EQ(lr_intid(d.cpu[1].lr[0]), 33);
}

TEST(sgi_targets)
{
	setup(4);
	wr(0, GICD, 4, 3);
	enable(0, 3, 0);
	enable(1, 3, 0);
	/* Target list bit 1: vCPU 1. */
	CHECK_EQ(vgic_sgi(&d, 0, (3UL << 24) | 2), 2U);
	CHECK(vgic_has_pending(&d, 1));
	CHECK(!vgic_has_pending(&d, 0));
	/* IRM: everyone but the sender. */
	CHECK_EQ(vgic_sgi(&d, 1, (3UL << 24) | (1UL << 40)), 1U);
	/* Affinity that matches no vCPU. */
	CHECK_EQ(vgic_sgi(&d, 0, (3UL << 24) | (1UL << 16) | 1), 0U);
}

TEST(disabled_or_dist_off_is_not_delivered)
{
	setup(4);
	vgic_inject_edge(&d, 0, 5);
	CHECK(!vgic_has_pending(&d, 0));
	enable(0, 5, 0);
	/* Still off at the distributor. */
	CHECK(!vgic_has_pending(&d, 0));
	vgic_flush(&d, 0);
	CHECK_EQ(d.cpu[0].nr_lr_used, 0);
	CHECK_EQ(wr(0, GICD, 4, 2), 3U);
	CHECK(vgic_has_pending(&d, 0));
}

TEST(flush_orders_by_priority_and_overflows)
{
	unsigned int i;

	setup(4);
	wr(0, GICD, 4, 3);
	for (i = 0; i < 6; i++) {
		enable(0, i, 0xa0 - 0x10 * i);
		vgic_inject_edge(&d, 0, i);
	}
	vgic_flush(&d, 0);
	CHECK_EQ(d.cpu[0].nr_lr_used, 4);
	CHECK(d.cpu[0].underflow);
	/* Highest priority (lowest value) first: 5, 4, 3, 2. */
	for (i = 0; i < 4; i++) {
		CHECK_EQ(lr_intid(d.cpu[0].lr[i]), 5 - i);
		CHECK_EQ(lr_state(d.cpu[0].lr[i]), ICH_LR_PENDING);
		CHECK_EQ((d.cpu[0].lr[i] >> 48) & 0xff, 0xa0 - 0x10 * (5 - i));
		CHECK(d.cpu[0].lr[i] & ICH_LR_GROUP1);
	}
	/* The guest took and finished all four: their LRs come back empty. */
	for (i = 0; i < 4; i++)
		d.cpu[0].lr[i] &= ~ICH_LR_STATE;
	vgic_sync(&d, 0);
	vgic_flush(&d, 0);
	CHECK_EQ(d.cpu[0].nr_lr_used, 2);
	CHECK(!d.cpu[0].underflow);
	CHECK_EQ(lr_intid(d.cpu[0].lr[0]), 1);
	CHECK_EQ(lr_intid(d.cpu[0].lr[1]), 0);
	for (i = 0; i < 2; i++)
		d.cpu[0].lr[i] &= ~ICH_LR_STATE;
	vgic_sync(&d, 0);
	CHECK(!vgic_has_pending(&d, 0));
}

TEST(active_interrupts_keep_their_lr_first)
{
	unsigned int i;

	setup(2);
	wr(0, GICD, 4, 3);
	for (i = 0; i < 3; i++) {
		enable(0, i, 0x80);
		vgic_inject_edge(&d, 0, i);
	}
	vgic_flush(&d, 0);
	CHECK_EQ(d.cpu[0].nr_lr_used, 2);
	/* The guest acknowledged INTID 1 (now active), 0 is still pending. */
	for (i = 0; i < 2; i++)
		if (lr_intid(d.cpu[0].lr[i]) == 1)
			d.cpu[0].lr[i] = (d.cpu[0].lr[i] & ~ICH_LR_STATE) |
					 FIELD_PREP(ICH_LR_STATE, ICH_LR_ACTIVE);
	vgic_sync(&d, 0);
	vgic_flush(&d, 0);
	CHECK_EQ(d.cpu[0].nr_lr_used, 2);
	CHECK_EQ(lr_intid(d.cpu[0].lr[0]), 1);
	CHECK_EQ(lr_state(d.cpu[0].lr[0]), ICH_LR_ACTIVE);
	CHECK(d.cpu[0].underflow);
	/* An edge re-raised while it sat in an LR is not lost. */
	vgic_inject_edge(&d, 0, 0);
	vgic_sync(&d, 0);
	CHECK(vgic_has_pending(&d, 0));
}

/*
 * The guest takes its timer interrupt and its line stays high (it has not
 * reprogrammed the timer yet): the hardware list register holds it active
 * only, never pending and active, which the architecture leaves
 * unpredictable. The pending state is back once the guest deactivates it.
 */
TEST(hw_list_register_is_never_pending_and_active)
{
	setup(4);
	wr(0, GICD, 4, 3);
	vgic_set_hw(&d, 0, VGIC_INTID_VTIMER);
	enable(0, VGIC_INTID_VTIMER, 0);
	vgic_set_level(&d, 0, VGIC_INTID_VTIMER, true);
	vgic_flush(&d, 0);
	REQUIRE_EQ(d.cpu[0].nr_lr_used, 1);
	CHECK_EQ(lr_state(d.cpu[0].lr[0]), ICH_LR_PENDING);
	/* Acknowledged: active in the list register, the line still high. */
	d.cpu[0].lr[0] = (d.cpu[0].lr[0] & ~ICH_LR_STATE) | FIELD_PREP(ICH_LR_STATE, ICH_LR_ACTIVE);
	vgic_sync(&d, 0);
	vgic_flush(&d, 0);
	REQUIRE_EQ(d.cpu[0].nr_lr_used, 1);
	CHECK(d.cpu[0].lr[0] & ICH_LR_HW);
	CHECK_EQ(lr_state(d.cpu[0].lr[0]), ICH_LR_ACTIVE);
	/* Deactivated, the line still high: pending again. */
	d.cpu[0].lr[0] &= ~ICH_LR_STATE;
	vgic_sync(&d, 0);
	vgic_flush(&d, 0);
	REQUIRE_EQ(d.cpu[0].nr_lr_used, 1);
	CHECK_EQ(lr_state(d.cpu[0].lr[0]), ICH_LR_PENDING);
}

/*
 * The VM sets an interrupt active, it goes into a list register, and the
 * VM clears it again: the list register still says active, but the
 * model's word stands (else it would stay active in a list register for
 * ever, and take it from every other interrupt).
 */
TEST(active_cleared_while_in_a_list_register_is_gone)
{
	setup(4);
	wr(0, GICD, 4, 3);
	wr(0, GICR + SGI + 0x300, 4, BIT(3));			/* ISACTIVER0 */
	vgic_flush(&d, 0);
	REQUIRE_EQ(d.cpu[0].nr_lr_used, 1);
	CHECK_EQ(lr_state(d.cpu[0].lr[0]), ICH_LR_ACTIVE);
	/* Cleared while the list register holds it: that vCPU is kicked. */
	CHECK_EQ(wr(1, GICR + SGI + 0x380, 4, BIT(3)), 1U);	/* ICACTIVER0 */
	vgic_sync(&d, 0);
	CHECK(!vgic_irq_in_flight(&d, 0, 3));
	vgic_flush(&d, 0);
	CHECK_EQ(d.cpu[0].nr_lr_used, 0);
	/* Pending in a list register, then cleared: gone too. */
	enable(0, 4, 0);
	vgic_inject_edge(&d, 0, 4);
	vgic_flush(&d, 0);
	REQUIRE_EQ(d.cpu[0].nr_lr_used, 1);
	wr(0, GICR + SGI + 0x280, 4, BIT(4));			/* ICPENDR0 */
	vgic_sync(&d, 0);
	vgic_flush(&d, 0);
	CHECK_EQ(d.cpu[0].nr_lr_used, 0);
	/* Made active while pending in one: pending and active after. */
	vgic_inject_edge(&d, 0, 4);
	vgic_flush(&d, 0);
	wr(0, GICR + SGI + 0x300, 4, BIT(4));			/* ISACTIVER0 */
	vgic_sync(&d, 0);
	vgic_flush(&d, 0);
	REQUIRE_EQ(d.cpu[0].nr_lr_used, 1);
	CHECK_EQ(lr_state(d.cpu[0].lr[0]), ICH_LR_PENDING | ICH_LR_ACTIVE);
}

TEST(level_interrupt_follows_its_line)
{
	setup(4);
	wr(0, GICD, 4, 3);
	vgic_set_hw(&d, 0, VGIC_INTID_VTIMER);
	enable(0, VGIC_INTID_VTIMER, 0);
	CHECK_EQ(vgic_set_level(&d, 0, VGIC_INTID_VTIMER, true), 1U);
	CHECK(vgic_irq_in_flight(&d, 0, VGIC_INTID_VTIMER));
	vgic_flush(&d, 0);
	CHECK_EQ(d.cpu[0].nr_lr_used, 1);
	/* Hardware-linked: the physical INTID is the same. */
	CHECK(d.cpu[0].lr[0] & ICH_LR_HW);
	CHECK_EQ(FIELD_GET(ICH_LR_PINTID, d.cpu[0].lr[0]), VGIC_INTID_VTIMER);
	/* The guest handled it and reprogrammed its timer: line low. */
	d.cpu[0].lr[0] &= ~ICH_LR_STATE;
	vgic_sync(&d, 0);
	vgic_set_level(&d, 0, VGIC_INTID_VTIMER, false);
	CHECK(!vgic_irq_in_flight(&d, 0, VGIC_INTID_VTIMER));
	/* Its configuration stays level whatever the guest writes. */
	wr(0, GICR + SGI + 0xc04, 4, 0xffffffff);
	CHECK_EQ(rd(0, GICR + SGI + 0xc04, 4) & (2U << 22), 0);
	/* SGIs stay edge. */
	CHECK_EQ(rd(0, GICR + SGI + 0xc00, 4), 0xaaaaaaaaU);
}

TEST(unaligned_and_odd_sizes_are_harmless)
{
	setup(4);
	CHECK_EQ(rd(0, GICD + 0x102, 4), 0);
	CHECK_EQ(rd(0, GICD + 0x100, 2), 0);
	CHECK_EQ(rd(0, GICD + 0x100, 8), 0);
	wr(0, GICD + 0x101, 1, 0xff);
	CHECK_EQ(rd(0, GICD + 0x104, 4), 0);
}

TEST(spi_configuration)
{
	unsigned int i;

	setup(4);
	wr(0, GICD, 4, 3);
	/* SPIs reset level: ICFGR2-5 (INTIDs 32-95) read as zero. */
	for (i = 2; i < 6; i++)
		CHECK_EQ(rd(0, GICD + 0xc00 + 4 * i, 4), 0);
	configure(72, false);
	/* ICFGR4 covers INTIDs 64-79: 72 is level (bit 17 clear). */
	CHECK_EQ(rd(0, GICD + 0xc10, 4) & (2U << 16), 0);
	/* The distributor's ICFGR0-1 do not reach private interrupts... */
	wr(0, GICD + 0xc04, 4, 0xffffffff);
	CHECK_EQ(rd(0, GICR + SGI + 0xc04, 4), 0);
	/* ...and there is nothing beyond INTID 95. */
	wr(0, GICD + 0xc18, 4, 0xffffffff);
	CHECK_EQ(rd(0, GICD + 0xc18, 4), 0);
	enable(0, 72, 0x40);
	/* Level: pending while the line is high, gone when it drops. */
	CHECK_EQ(vgic_set_level(&d, 0, 72, true), 1U);
	CHECK(vgic_has_pending(&d, 0));
	vgic_set_level(&d, 0, 72, false);
	CHECK(!vgic_has_pending(&d, 0));
	/* Edge: latched. */
	configure(72, true);
	CHECK_EQ(rd(0, GICD + 0xc10, 4) & (2U << 16), 2U << 16);
	/* Only 72's bits changed. */
	CHECK_EQ(rd(0, GICD + 0xc10, 4), 2U << 16);
	vgic_inject_edge(&d, 0, 72);
	CHECK(vgic_has_pending(&d, 0));
}

/*
 * A level SPI pulsed by a doorbell whose ack mask cleared the flag: pending
 * until the guest takes it, low afterwards; untaken, it stays pending
 * across exits. A held line is re-sampled after the guest's EOI.
 */
TEST(level_pulse_pending_until_taken)
{
	setup(4);
	wr(0, GICD, 4, 3);
	configure(72, false);
	enable(0, 72, 0x40);
	CHECK_EQ(vgic_inject_edge(&d, 0, 72), 1U);
	vgic_flush(&d, 0);
	CHECK_EQ(d.cpu[0].nr_lr_used, 1);
	CHECK_EQ(lr_state(d.cpu[0].lr[0]), ICH_LR_PENDING);
	/* An exit before the guest took it: still pending. */
	vgic_sync(&d, 0);
	CHECK(vgic_has_pending(&d, 0));
	vgic_flush(&d, 0);
	CHECK_EQ(lr_state(d.cpu[0].lr[0]), ICH_LR_PENDING);
	/* Taken and EOIed: nothing left, the line never went high. */
	d.cpu[0].lr[0] &= ~ICH_LR_STATE;
	vgic_sync(&d, 0);
	CHECK(!vgic_has_pending(&d, 0));
	vgic_flush(&d, 0);
	CHECK_EQ(d.cpu[0].nr_lr_used, 0);

	/* A held line comes back after the EOI until it is lowered. */
	vgic_set_level(&d, 0, 72, true);
	vgic_flush(&d, 0);
	d.cpu[0].lr[0] &= ~ICH_LR_STATE;
	vgic_sync(&d, 0);
	CHECK(vgic_has_pending(&d, 0));
	vgic_set_level(&d, 0, 72, false);
	CHECK(!vgic_has_pending(&d, 0));
}

/* ISPENDR on a level interrupt: a latch the guest's acknowledge clears. */
TEST(level_ispendr_cleared_by_acknowledge)
{
	setup(4);
	wr(0, GICD, 4, 3);
	configure(72, false);
	enable(0, 72, 0x40);
	wr(0, GICD + 0x200 + 4 * (72 / 32), 4, 1U << (72 % 32));
	vgic_flush(&d, 0);
	CHECK_EQ(lr_state(d.cpu[0].lr[0]), ICH_LR_PENDING);
	/* The guest acknowledged it: active, no longer pending. */
	d.cpu[0].lr[0] = (d.cpu[0].lr[0] & ~ICH_LR_STATE) |
			 FIELD_PREP(ICH_LR_STATE, ICH_LR_ACTIVE);
	vgic_sync(&d, 0);
	vgic_flush(&d, 0);
	CHECK_EQ(lr_state(d.cpu[0].lr[0]), ICH_LR_ACTIVE);
	d.cpu[0].lr[0] &= ~ICH_LR_STATE;
	vgic_sync(&d, 0);
	CHECK(!vgic_has_pending(&d, 0));
}

/*
 * The guest takes and finishes what is pending for vCPU 0: returns the
 * INTID it got, or 0 if nothing came (INTID 0 is not used here).
 */
static u32 take_one(void)
{
	u32 intid;

	vgic_flush(&d, 0);
	if (!d.cpu[0].nr_lr_used)
		return 0;
	CHECK_EQ(d.cpu[0].nr_lr_used, 1);
	CHECK_EQ(lr_state(d.cpu[0].lr[0]), ICH_LR_PENDING);
	intid = lr_intid(d.cpu[0].lr[0]);
	d.cpu[0].lr[0] &= ~ICH_LR_STATE;
	vgic_sync(&d, 0);
	return intid;
}

/*
 * A virtual source asserting an edge SPI (Gunyah's virq_assert): each
 * assertion is a new interrupt, the line high all along. A wire
 * (vgic_set_level) only latches on its rising edge.
 */
TEST(source_assert_edge_every_time)
{
	unsigned int i;

	setup(4);
	wr(0, GICD, 4, 3);
	configure(72, true);
	enable(0, 72, 0x40);
	for (i = 0; i < 3; i++) {
		CHECK_EQ(vgic_source_assert(&d, 0, 72), 1U);
		CHECK_EQ(take_one(), 72);
		CHECK_EQ(take_one(), 0);
	}
	/* Lowered: nothing more, and no level left if it turns level. */
	vgic_set_level(&d, 0, 72, false);
	CHECK_EQ(take_one(), 0);
	configure(72, false);
	CHECK_EQ(take_one(), 0);

	configure(72, true);
	CHECK_EQ(vgic_set_level(&d, 0, 72, true), 1U);
	CHECK_EQ(take_one(), 72);
	CHECK_EQ(vgic_set_level(&d, 0, 72, true), 0U);
	CHECK_EQ(take_one(), 0);
}

/*
 * A level SPI asserted by a source: pending as long as the source is
 * high, taken and EOIed or not; lowered, it is gone.
 */
TEST(source_assert_level_follows_the_source)
{
	setup(4);
	wr(0, GICD, 4, 3);
	enable(0, 72, 0x40);
	CHECK_EQ(vgic_source_assert(&d, 0, 72), 1U);
	CHECK_EQ(take_one(), 72);
	CHECK_EQ(take_one(), 72);
	/* Asserting again changes nothing: no extra edge. */
	vgic_source_assert(&d, 0, 72);
	CHECK_EQ(take_one(), 72);
	vgic_set_level(&d, 0, 72, false);
	CHECK_EQ(take_one(), 0);
	CHECK(!vgic_irq_in_flight(&d, 0, 72));
}

/* Route SPI @intid to vCPU @target through GICD_IROUTER; returns the kick. */
static u32 route(u32 intid, u64 target)
{
	return wr(0, GICD + 0x6000 + 8 * intid, 8, target);
}

/*
 * Which vCPU gets a pending SPI is decided at each flush: re-routed while
 * pending it goes to the new target only; re-routed while in a list
 * register it is not handed out twice and follows its new route once the
 * first vCPU gives it back.
 */
TEST(spi_rerouted_while_pending)
{
	setup(4);
	wr(0, GICD, 4, 3);
	enable(0, 40, 0x20);
	CHECK_EQ(vgic_inject_edge(&d, 0, 40), 1U);
	CHECK(vgic_has_pending(&d, 0));
	CHECK_EQ(route(40, 1), 2U);
	CHECK(!vgic_has_pending(&d, 0));
	CHECK(vgic_has_pending(&d, 1));
	vgic_flush(&d, 0);
	CHECK_EQ(d.cpu[0].nr_lr_used, 0);
	vgic_sync(&d, 0);
	vgic_flush(&d, 1);
	REQUIRE_EQ(d.cpu[1].nr_lr_used, 1);
	CHECK_EQ(lr_intid(d.cpu[1].lr[0]), 40);
	/* Back to vCPU 0 while vCPU 1 holds it, not yet taken. */
	route(40, 0);
	vgic_flush(&d, 0);
	CHECK_EQ(d.cpu[0].nr_lr_used, 0);
	vgic_sync(&d, 0);
	vgic_sync(&d, 1);
	CHECK(!vgic_has_pending(&d, 1));
	vgic_flush(&d, 1);
	CHECK_EQ(d.cpu[1].nr_lr_used, 0);
	vgic_sync(&d, 1);
	vgic_flush(&d, 0);
	REQUIRE_EQ(d.cpu[0].nr_lr_used, 1);
	CHECK_EQ(lr_intid(d.cpu[0].lr[0]), 40);
	CHECK_EQ(lr_state(d.cpu[0].lr[0]), ICH_LR_PENDING);
	vgic_sync(&d, 0);
	/* The upper half alone: Aff3 set names no vCPU of ours, so vCPU 0. */
	route(40, 1);
	CHECK(vgic_has_pending(&d, 1));
	wr(0, GICD + 0x6000 + 8 * 40 + 4, 4, 1);
	CHECK(!vgic_has_pending(&d, 1));
	CHECK(vgic_has_pending(&d, 0));
	/* Back to Aff0 = 1 with the upper half cleared. */
	wr(0, GICD + 0x6000 + 8 * 40 + 4, 4, 0);
	CHECK(vgic_has_pending(&d, 1));
	CHECK(!vgic_has_pending(&d, 0));
}

/*
 * The distributor turned off holds pending interrupts back, not active
 * ones; turned on again, all that waited are handed out, in order.
 */
TEST(distributor_off_and_on_again)
{
	setup(4);
	wr(0, GICD, 4, 3);
	enable(0, 5, 0x40);
	enable(0, 6, 0x80);
	enable(0, 70, 0x40);
	route(70, 1);
	vgic_inject_edge(&d, 0, 5);
	vgic_inject_edge(&d, 0, 70);
	CHECK_EQ(wr(0, GICD, 4, 0), 0U);
	CHECK(!vgic_has_pending(&d, 0));
	CHECK(!vgic_has_pending(&d, 1));
	/* INTID 6 made active by the guest. */
	wr(0, GICR + SGI + 0x300, 4, 1U << 6);
	vgic_flush(&d, 0);
	REQUIRE_EQ(d.cpu[0].nr_lr_used, 1);
	CHECK_EQ(lr_intid(d.cpu[0].lr[0]), 6);
	CHECK_EQ(lr_state(d.cpu[0].lr[0]), ICH_LR_ACTIVE);
	CHECK(!d.cpu[0].underflow);
	vgic_sync(&d, 0);
	vgic_flush(&d, 1);
	CHECK_EQ(d.cpu[1].nr_lr_used, 0);
	vgic_sync(&d, 1);
	/* On again: both vCPUs are kicked. */
	CHECK_EQ(wr(0, GICD, 4, 2), 3U);
	CHECK(vgic_has_pending(&d, 0));
	CHECK(vgic_has_pending(&d, 1));
	vgic_flush(&d, 0);
	REQUIRE_EQ(d.cpu[0].nr_lr_used, 2);
	CHECK_EQ(lr_intid(d.cpu[0].lr[0]), 6);
	CHECK_EQ(lr_intid(d.cpu[0].lr[1]), 5);
	CHECK_EQ(lr_state(d.cpu[0].lr[1]), ICH_LR_PENDING);
	vgic_flush(&d, 1);
	REQUIRE_EQ(d.cpu[1].nr_lr_used, 1);
	CHECK_EQ(lr_intid(d.cpu[1].lr[0]), 70);
}

/*
 * Disabling, clearing the pending state or changing the trigger takes an
 * interrupt out of the next flush; undoing it brings it back.
 */
TEST(pending_inputs_changed_between_flushes)
{
	setup(4);
	wr(0, GICD, 4, 3);
	enable(0, 72, 0x40);
	vgic_set_level(&d, 0, 72, true);
	CHECK(vgic_has_pending(&d, 0));
	wr(0, GICD + 0x180 + 4 * (72 / 32), 4, 1U << (72 % 32));
	CHECK(!vgic_has_pending(&d, 0));
	CHECK_EQ(wr(0, GICD + 0x100 + 4 * (72 / 32), 4, 1U << (72 % 32)), 1U);
	CHECK(vgic_has_pending(&d, 0));
	/* Edge now: a line that stays high is no new edge. */
	configure(72, true);
	CHECK(!vgic_has_pending(&d, 0));
	vgic_flush(&d, 0);
	CHECK_EQ(d.cpu[0].nr_lr_used, 0);
	vgic_sync(&d, 0);
	configure(72, false);
	CHECK(vgic_has_pending(&d, 0));
	/* ISPENDR then ICPENDR on an edge SPI. */
	enable(0, 80, 0x40);
	configure(80, true);
	vgic_set_level(&d, 0, 72, false);
	wr(0, GICD + 0x200 + 4 * (80 / 32), 4, 1U << (80 % 32));
	CHECK(vgic_has_pending(&d, 0));
	wr(0, GICD + 0x280 + 4 * (80 / 32), 4, 1U << (80 % 32));
	CHECK(!vgic_has_pending(&d, 0));
	/* Active set and cleared through ISACTIVER/ICACTIVER. */
	wr(0, GICD + 0x300 + 4 * (80 / 32), 4, 1U << (80 % 32));
	vgic_flush(&d, 0);
	REQUIRE_EQ(d.cpu[0].nr_lr_used, 1);
	CHECK_EQ(lr_state(d.cpu[0].lr[0]), ICH_LR_ACTIVE);
	vgic_sync(&d, 0);
	wr(0, GICD + 0x380 + 4 * (80 / 32), 4, 1U << (80 % 32));
	vgic_flush(&d, 0);
	CHECK_EQ(d.cpu[0].nr_lr_used, 0);
}

/*
 * Equal priorities: the lowest INTID first, private or shared, on either
 * side of INTID 64; the rest wait for the underflow.
 */
TEST(equal_priority_lowest_intid_first)
{
	static const u32 ids[] = { 70, 64, 63, 40, 20, 3 };
	unsigned int i;

	setup(4);
	wr(0, GICD, 4, 3);
	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		enable(0, ids[i], 0x60);
		vgic_inject_edge(&d, 0, ids[i]);
	}
	/* A more urgent one, last in INTID order. */
	enable(0, 90, 0x50);
	vgic_set_level(&d, 0, 90, true);
	vgic_flush(&d, 0);
	REQUIRE_EQ(d.cpu[0].nr_lr_used, 4);
	CHECK(d.cpu[0].underflow);
	CHECK_EQ(lr_intid(d.cpu[0].lr[0]), 90);
	CHECK_EQ(lr_intid(d.cpu[0].lr[1]), 3);
	CHECK_EQ(lr_intid(d.cpu[0].lr[2]), 20);
	CHECK_EQ(lr_intid(d.cpu[0].lr[3]), 40);
	for (i = 0; i < 4; i++)
		d.cpu[0].lr[i] &= ~ICH_LR_STATE;
	vgic_sync(&d, 0);
	vgic_set_level(&d, 0, 90, false);
	vgic_flush(&d, 0);
	REQUIRE_EQ(d.cpu[0].nr_lr_used, 3);
	CHECK(!d.cpu[0].underflow);
	CHECK_EQ(lr_intid(d.cpu[0].lr[0]), 63);
	CHECK_EQ(lr_intid(d.cpu[0].lr[1]), 64);
	CHECK_EQ(lr_intid(d.cpu[0].lr[2]), 70);
}

static struct vgic_dist ours_d, ref_d;
static struct vgic_irq ours_spis[VGIC_MAX_IRQS - VGIC_NR_PRIVATE];
static struct vgic_irq ref_spis[VGIC_MAX_IRQS - VGIC_NR_PRIVATE];

/*
 * vCPU @c's candidate bitmap, vgic_has_pending() and, if it is out of the
 * guest, vgic_flush() against the full-scan model (vgic_ref.h), the flush
 * on copies of @d. Any size of distributor, the SPIs in its store or not.
 */
static bool matches_model(unsigned int c, bool loaded)
{
	size_t spis = (d.nr_irqs - VGIC_NR_PRIVATE) * sizeof(*d.spi);
	unsigned int o;
	u32 intid;

	/* No bit beyond the last INTID either: the flush would take it for one. */
	for (intid = 0; intid < VGIC_CAND_WORDS * 64; intid++)
		if (!CHECK_EQ(ref_cand_bit(&d, c, intid),
			      intid < d.nr_irqs && ref_candidate(&d, c, intid)))
			return false;
	/* The summary: a bit for each word with bits, no other. */
	for (o = 0; o < 32; o++)
		if (!CHECK_EQ(!!(d.cpu[c].cand_sum & BIT(o)),
			      o < VGIC_CAND_WORDS && d.cpu[c].cand[o] != 0))
			return false;
	if (!CHECK_EQ(vgic_has_pending(&d, c), ref_has_pending(&d, c)))
		return false;
	if (loaded)
		return true;
	ours_d = d;
	ref_d = d;
	/* Each copy keeps its SPIs in its own array. */
	memcpy(ours_spis, d.spi, spis);
	memcpy(ref_spis, d.spi, spis);
	ours_d.spi = ours_spis;
	ref_d.spi = ref_spis;
	vgic_flush(&ours_d, c);
	ref_flush(&ref_d, c);
	if (!CHECK_EQ(ours_d.cpu[c].nr_lr_used, ref_d.cpu[c].nr_lr_used) ||
	    !CHECK_EQ(ours_d.cpu[c].underflow, ref_d.cpu[c].underflow) ||
	    !CHECK_MEM_EQ(ours_d.cpu[c].lr, ref_d.cpu[c].lr, sizeof(ref_d.cpu[c].lr)) ||
	    !CHECK_MEM_EQ(ours_spis, ref_spis, spis))
		return false;
	for (o = 0; o < d.nr_vcpus; o++)
		if (!CHECK_MEM_EQ(ours_d.cpu[o].priv, ref_d.cpu[o].priv, sizeof(ref_d.cpu[o].priv)))
			return false;
	return true;
}

/* xorshift32: the same sequence on every run. */
static u32 next_random(u32 *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/*
 * A fixed pseudo-random sequence of register writes, injections and
 * entries and exits on both vCPUs (the guest acknowledging and finishing
 * interrupts at random), each followed by the check against the model.
 */
TEST(flush_matches_the_full_scan_model)
{
	static const u16 bit_regs[] = { 0x100, 0x180, 0x200, 0x280, 0x300, 0x380 };
	bool loaded[2] = { false, false };
	u32 x = 0x2545f491;
	unsigned int step, i;

	setup(2);
	for (step = 0; step < 20000; step++) {
		u32 r = next_random(&x), arg = next_random(&x);
		unsigned int c = r & 1, op = (r >> 1) % 12;
		u32 intid = (r >> 8) % VGIC_NR_IRQS;
		u64 frame = intid < 32 ? GICR + c * VGIC_GICR_STRIDE + SGI : GICD;

		/* A vCPU in the guest does not trap. */
		if (loaded[c] && op < 5)
			op = 11;
		switch (op) {
		case 0:
			wr(c, frame + bit_regs[arg % 6] + intid / 32 * 4, 4, 1U << (intid % 32));
			break;
		case 1:
			wr(c, frame + 0x400 + intid, 1, arg & 0xf0);
			break;
		case 2:
			if (intid >= 32)
				configure(intid, arg & 1);
			else
				route(32 + intid * 2, arg % 3);
			break;
		case 3:
			wr(c, GICD, 4, arg & 3);
			break;
		case 4:
			wr(c, GICD + 0x6000 + 8 * (32 + arg % 64) + 4, 4, arg & 0x100);
			break;
		case 5:
			vgic_inject_edge(&d, c, intid);
			break;
		case 6:
		case 7:
			vgic_set_level(&d, c, intid, arg & 1);
			break;
		case 8:
			vgic_source_assert(&d, c, intid);
			break;
		default:
			if (!loaded[c]) {
				vgic_flush(&d, c);
				loaded[c] = true;
				break;
			}
			/* The guest acknowledges and finishes as it likes. */
			for (i = 0; i < d.cpu[c].nr_lr_used; i++) {
				u64 state = lr_state(d.cpu[c].lr[i]);

				if ((arg >> (2 * i)) & 1)
					state = state & ICH_LR_PENDING ? ICH_LR_ACTIVE : 0;
				if ((arg >> (2 * i)) & 2)
					state &= ~ICH_LR_ACTIVE;
				d.cpu[c].lr[i] = (d.cpu[c].lr[i] & ~ICH_LR_STATE) |
						 FIELD_PREP(ICH_LR_STATE, state);
			}
			vgic_sync(&d, c);
			loaded[c] = false;
			break;
		}
		REQUIRE(matches_model(0, loaded[0]) && matches_model(1, loaded[1]));
	}
}

/*
 * The primary VM's distributor (core/host_gic.c): 1020 INTIDs, the SPIs in
 * a caller's array, and interrupts linked to a physical twin whose hooks
 * are recorded here. Linked as on the QEMU machine: PPIs 23, 27, 30 and
 * SPIs 32-255; the rest (SGIs, other PPIs, SPIs 256-1019) is virtual.
 */
#define HOST_VCPUS	4
#define HGICR		(GICD + VGIC_GICD_SIZE)	/* room for HOST_VCPUS redistributors */
#define HOST_LAST_SPI	255

/* One-bit-per-interrupt registers, GICD's or the SGI frame's. */
#define ISENABLER	0x100
#define ICENABLER	0x180
#define ISPENDR		0x200
#define ICPENDR		0x280
#define ISACTIVER	0x300
#define ICACTIVER	0x380

static struct vgic_irq host_spis[VGIC_MAX_IRQS - VGIC_NR_PRIVATE];

enum hook { HOOK_ENABLE, HOOK_SET_EDGE, HOOK_ROUTE, HOOK_PEND, HOOK_DEACTIVATE };

/* A hook call: @rd is the redistributor, or for route the target vCPU. */
struct hook_call {
	int hook;
	u32 rd;
	u32 intid;
	u32 arg;	/* enable's, set_edge's, pend's bool */
};

#define ANY		0xffffffffU	/* in an expected call: any value (rd: any vCPU) */
#define CALL(h, r, i, a)	((struct hook_call){ HOOK_##h, (r), (i), (a) })
#define MAX_CALLS	64

static struct hook_call calls[MAX_CALLS];
static unsigned int nr_calls;
static int hook_ctx;		/* its address is the phys_ctx */
static unsigned int bad_calls;	/* wrong context, INTID not linked, rd out of range */

static bool host_linked(void *ctx, u32 intid)
{
	return intid == 23 || intid == 27 || intid == 30 ||
	       (intid >= VGIC_NR_PRIVATE && intid <= HOST_LAST_SPI);
}

/*
 * The physical GIC as the hooks leave it; it starts as the model does:
 * disabled, level, routed to CPU 0, inactive. @active (acknowledged by the
 * hypervisor) is kept by the tests that ack with track_active set.
 */
struct phys_irq {
	bool enabled, edge, active;
	u32 cpu;
};

static struct phys_irq phys_spi[VGIC_MAX_IRQS], phys_ppi[HOST_VCPUS][VGIC_NR_PRIVATE];
static bool track_active;

static struct phys_irq *phys_of(u32 r, u32 intid)
{
	return intid < VGIC_NR_PRIVATE ? &phys_ppi[r][intid] : &phys_spi[intid];
}

static void record(void *ctx, int hook, u32 rd, u32 intid, u32 arg)
{
	struct phys_irq *p;

	if (ctx != &hook_ctx || !host_linked(ctx, intid) || (rd != ANY && rd >= HOST_VCPUS) ||
	    ((hook == HOOK_SET_EDGE || hook == HOOK_ROUTE) && intid < VGIC_NR_PRIVATE)) {
		bad_calls++;
	} else {
		p = phys_of(rd, intid);
		if (hook == HOOK_ENABLE)
			p->enabled = arg;
		else if (hook == HOOK_SET_EDGE)
			p->edge = arg;
		else if (hook == HOOK_ROUTE)
			p->cpu = rd;
		if (hook == HOOK_DEACTIVATE && track_active && !p->active)
			bad_calls++;
		if (hook == HOOK_DEACTIVATE)
			p->active = false;
	}
	if (nr_calls < MAX_CALLS)
		calls[nr_calls] = (struct hook_call){ hook, rd, intid, arg };
	nr_calls++;
}

static void rec_enable(void *ctx, unsigned int rd, u32 intid, bool on)
{
	record(ctx, HOOK_ENABLE, rd, intid, on);
}

static void rec_set_edge(void *ctx, u32 intid, bool edge)
{
	record(ctx, HOOK_SET_EDGE, ANY, intid, edge);
}

static void rec_route(void *ctx, u32 intid, unsigned int vcpu)
{
	record(ctx, HOOK_ROUTE, vcpu, intid, 0);
}

static void rec_pend(void *ctx, unsigned int rd, u32 intid, bool on)
{
	record(ctx, HOOK_PEND, rd, intid, on);
}

static void rec_deactivate(void *ctx, unsigned int rd, u32 intid)
{
	record(ctx, HOOK_DEACTIVATE, rd, intid, 0);
}

static const struct vgic_phys_ops rec_ops = {
	.linked = host_linked,
	.enable = rec_enable,
	.set_edge = rec_set_edge,
	.route = rec_route,
	.pend = rec_pend,
	.deactivate = rec_deactivate,
};

static void reset_calls(void)
{
	nr_calls = 0;
	bad_calls = 0;
}

static void host_setup(unsigned int nr_lrs)
{
	vgic_init_linked(&d, HOST_VCPUS, nr_lrs, GICD, HGICR, VGIC_MAX_IRQS, host_spis, &rec_ops,
			 &hook_ctx);
	/* As host_gic_init(): its list registers are read back lazily. */
	d.kick_in_lr = true;
	memset(phys_spi, 0, sizeof(phys_spi));
	memset(phys_ppi, 0, sizeof(phys_ppi));
	track_active = false;
	reset_calls();
}

static bool call_matches(const struct hook_call *want, const struct hook_call *got)
{
	return want->hook == got->hook && want->intid == got->intid &&
	       (want->arg == ANY || want->arg == got->arg) &&
	       (want->rd == ANY ? got->rd == ANY || got->rd < HOST_VCPUS : want->rd == got->rd);
}

/* The hooks called since the last check are exactly @want, in order; the log is reset. */
static void expect_calls(int line, const struct hook_call *want, unsigned int n)
{
	bool ok = CHECK_EQ(nr_calls, n) && CHECK_EQ(bad_calls, 0);
	unsigned int i;

	for (i = 0; ok && i < n; i++)
		ok = CHECK(call_matches(&want[i], &calls[i]));
	if (!ok) {
		printf("#   expected at line %d; called:\n", line);
		for (i = 0; i < nr_calls && i < MAX_CALLS; i++)
			printf("#     hook %d rd %#x intid %u arg %u\n", calls[i].hook, calls[i].rd,
			       calls[i].intid, calls[i].arg);
	}
	reset_calls();
}

#define EXPECT_CALLS(...)							\
	expect_calls(__LINE__, (const struct hook_call[]){ __VA_ARGS__ },		\
		     sizeof((const struct hook_call[]){ __VA_ARGS__ }) / sizeof(struct hook_call))
#define EXPECT_NO_CALLS()	expect_calls(__LINE__, NULL, 0)

/* The address of @reg's word for @intid: GICD's, or redistributor @r's SGI frame's. */
static u64 bit_addr(u64 reg, u32 intid, unsigned int r)
{
	if (intid < VGIC_NR_PRIVATE)
		return d.gicr_base + r * VGIC_GICR_STRIDE + SGI + reg;
	return GICD + reg + intid / 32 * 4;
}

/* vCPU @vcpu sets @intid's bit of @reg (of redistributor @r if private). */
static u32 bit_write(unsigned int vcpu, u64 reg, u32 intid, unsigned int r)
{
	return wr(vcpu, bit_addr(reg, intid, r), 4, BIT(intid % 32));
}

static bool bit_read(u64 reg, u32 intid, unsigned int r)
{
	return rd(0, bit_addr(reg, intid, r), 4) & BIT(intid % 32);
}

/* The host takes what is in @vcpu's list register @i and finishes it, or only takes it. */
static void host_takes(unsigned int vcpu, unsigned int i, bool finish)
{
	d.cpu[vcpu].lr[i] = (d.cpu[vcpu].lr[i] & ~ICH_LR_STATE) |
			    (finish ? 0 : FIELD_PREP(ICH_LR_STATE, ICH_LR_ACTIVE));
}

static struct vgic_irq snap_spis[VGIC_MAX_IRQS - VGIC_NR_PRIVATE];
static struct vgic_dist snap_d;

static void snapshot(void)
{
	snap_d = d;
	memcpy(snap_spis, host_spis, sizeof(host_spis));
}

static bool unchanged(void)
{
	return CHECK_MEM_EQ(&d, &snap_d, sizeof(d)) &&
	       CHECK_MEM_EQ(host_spis, snap_spis, sizeof(host_spis));
}

/*
 * 1020 INTIDs: GICD_TYPER.ITLinesNumber 31, so that Linux finds
 * min(32 * (31 + 1), 1020) - 32 = 988 SPIs; a size asked beyond is cut
 * down, and without an array of its own a distributor has 96.
 */
TEST(host_distributor_has_1020_intids)
{
	u64 typer;

	host_setup(4);
	REQUIRE_EQ(d.nr_irqs, VGIC_MAX_IRQS);
	REQUIRE(d.spi == host_spis);
	/* Only linked() is asked at reset. */
	EXPECT_NO_CALLS();
	CHECK(d.cpu[3].priv[27].hw && d.cpu[0].priv[23].hw && d.cpu[1].priv[30].hw);
	CHECK(!d.cpu[0].priv[25].hw && !d.cpu[0].priv[1].hw);
	CHECK(host_spis[32 - 32].hw && host_spis[HOST_LAST_SPI - 32].hw);
	CHECK(!host_spis[HOST_LAST_SPI + 1 - 32].hw && !host_spis[1019 - 32].hw);
	typer = rd(0, GICD + 0x4, 4);
	CHECK_EQ(typer & 0x1f, 31);
	CHECK_EQ(MIN(32 * ((typer & 0x1f) + 1), 1020) - 32, 988);
	CHECK_EQ((typer >> 5) & 7, HOST_VCPUS - 1);
	/* 10 INTID bits, no LPIs. */
	CHECK_EQ((typer >> 19) & 0x1f, 9);
	CHECK_EQ(typer & (1U << 17), 0);

	vgic_init_linked(&d, 2, 4, GICD, GICR, 4096, host_spis, NULL, NULL);
	CHECK_EQ(d.nr_irqs, VGIC_MAX_IRQS);
	vgic_init_linked(&d, 2, 4, GICD, GICR, VGIC_MAX_IRQS, NULL, NULL, NULL);
	CHECK_EQ(d.nr_irqs, VGIC_NR_IRQS);
	CHECK_EQ(rd(0, GICD + 0x4, 4) & 0x1f, 2);
	/* No phys ops: nothing is linked. */
	CHECK(!d.cpu[0].priv[27].hw && !d.spi[0].hw);
}

/* INTID 1019's registers are there; those of 1020-1023 read as zero and ignore writes. */
TEST(host_last_intid_reachable_and_beyond_raz_wi)
{
	u64 a;

	host_setup(4);
	CHECK_EQ(route(1019, 3), 0U);
	CHECK_EQ(rd(0, GICD + 0x6000 + 8 * 1019, 8), 3);
	CHECK_EQ(rd(0, GICD + 0x6000 + 8 * 1019, 4), 3);
	wr(0, GICD + 0x400 + 1019, 1, 0xa0);
	CHECK_EQ(rd(0, GICD + 0x400 + 1019, 1), 0xa0);
	CHECK_EQ(rd(0, GICD + 0x400 + 1016, 4), 0xa0000000U);
	/* ICFGR63: INTIDs 1008-1019 take it, 1020-1023 are not there. */
	wr(0, GICD + 0xc00 + 63 * 4, 4, 0xffffffff);
	CHECK_EQ(rd(0, GICD + 0xc00 + 63 * 4, 4), 0x00aaaaaaU);
	/* IGROUPR31: Group 1, bits for INTIDs 992-1019 only. */
	CHECK_EQ(rd(0, GICD + 0x80 + 31 * 4, 4), 0x0fffffffU);
	CHECK_EQ(rd(0, GICD + 0x80 + 30 * 4, 4), 0xffffffffU);
	/* ISENABLER31: INTIDs 992-1019. */
	wr(0, GICD + ISENABLER + 31 * 4, 4, 0xffffffff);
	CHECK_EQ(rd(0, GICD + ISENABLER + 31 * 4, 4), 0x0fffffffU);
	CHECK_EQ(rd(0, GICD + ICENABLER + 31 * 4, 4), 0x0fffffffU);
	wr(0, GICD + ISPENDR + 31 * 4, 4, 0xffffffff);
	CHECK_EQ(rd(0, GICD + ISPENDR + 31 * 4, 4), 0x0fffffffU);
	/* Virtual INTIDs all of them. */
	EXPECT_NO_CALLS();

	snapshot();
	for (a = GICD + 0x6000 + 8 * 1020; a < GICD + 0x6000 + 8 * 1024; a += 4) {
		wr(0, a, 4, 1);
		CHECK_EQ(rd(0, a, 4), 0);
	}
	for (a = GICD + 0x6000 + 8 * 1020; a < GICD + 0x6000 + 8 * 1024; a += 8) {
		wr(0, a, 8, 1);
		CHECK_EQ(rd(0, a, 8), 0);
	}
	for (a = GICD + 0x400 + 1020; a < GICD + 0x400 + 1024; a++) {
		wr(0, a, 1, 0xff);
		CHECK_EQ(rd(0, a, 1), 0);
	}
	wr(0, GICD + 0x400 + 1020, 4, 0xffffffff);
	CHECK_EQ(rd(0, GICD + 0x400 + 1020, 4), 0);
	/* ICFGR64 and up would be INTIDs 1024 and up. */
	wr(0, GICD + 0xc00 + 64 * 4, 4, 0xffffffff);
	CHECK_EQ(rd(0, GICD + 0xc00 + 64 * 4, 4), 0);
	CHECK(unchanged());
	EXPECT_NO_CALLS();
}

/*
 * A virtual SPI of the host (the hypervisor's message queues use 960 up)
 * raised with vgic_inject_edge() reaches the vCPU its IROUTER names.
 */
TEST(host_virtual_spi_reaches_routed_vcpu)
{
	unsigned int c;

	host_setup(4);
	wr(0, GICD, 4, 3);
	enable(0, 960, 0x40);
	enable(0, 1019, 0x30);
	CHECK_EQ(route(960, 3), 0U);
	CHECK_EQ(vgic_inject_edge(&d, 0, 960), BIT(3));
	CHECK_EQ(vgic_inject_edge(&d, 0, 1019), BIT(0));
	for (c = 0; c < HOST_VCPUS; c++)
		CHECK(matches_model(c, false));
	CHECK(vgic_has_pending(&d, 3));
	CHECK(vgic_has_pending(&d, 0));
	CHECK(!vgic_has_pending(&d, 1));
	vgic_flush(&d, 3);
	REQUIRE_EQ(d.cpu[3].nr_lr_used, 1);
	CHECK_EQ(lr_intid(d.cpu[3].lr[0]), 960);
	CHECK_EQ(lr_state(d.cpu[3].lr[0]), ICH_LR_PENDING);
	CHECK_EQ(FIELD_GET(ICH_LR_PRIORITY, d.cpu[3].lr[0]), 0x40);
	CHECK(!(d.cpu[3].lr[0] & ICH_LR_HW));
	CHECK(matches_model(3, true));
	vgic_flush(&d, 0);
	REQUIRE_EQ(d.cpu[0].nr_lr_used, 1);
	CHECK_EQ(lr_intid(d.cpu[0].lr[0]), 1019);
	host_takes(3, 0, true);
	host_takes(0, 0, true);
	vgic_sync(&d, 3);
	vgic_sync(&d, 0);
	CHECK(!vgic_irq_in_flight(&d, 3, 960));
	CHECK(!vgic_irq_in_flight(&d, 0, 1019));
	for (c = 0; c < HOST_VCPUS; c++)
		CHECK(matches_model(c, false));
	EXPECT_NO_CALLS();
}

/*
 * Enabling and disabling a linked interrupt enables and disables its
 * physical twin: a PPI in the redistributor whose SGI frame was written,
 * whichever vCPU wrote it; an SPI in the distributor.
 */
TEST(host_enable_linked_calls_enable)
{
	host_setup(4);
	bit_write(0, ISENABLER, 27, 2);
	EXPECT_CALLS(CALL(ENABLE, 2, 27, 1));
	CHECK(bit_read(ISENABLER, 27, 2));
	CHECK(!bit_read(ISENABLER, 27, 0));
	bit_write(3, ICENABLER, 27, 2);
	EXPECT_CALLS(CALL(ENABLE, 2, 27, 0));
	CHECK(!bit_read(ISENABLER, 27, 2));
	/* The whole word: the linked PPIs only, SGIs and the other PPIs are virtual. */
	wr(1, bit_addr(ISENABLER, 0, 1), 4, 0xffffffff);
	EXPECT_CALLS(CALL(ENABLE, 1, 23, 1), CALL(ENABLE, 1, 27, 1), CALL(ENABLE, 1, 30, 1));
	CHECK_EQ(rd(0, bit_addr(ISENABLER, 0, 1), 4), 0xffffffffU);
	wr(2, bit_addr(ICENABLER, 0, 1), 4, BIT(30) | BIT(25) | BIT(3));
	EXPECT_CALLS(CALL(ENABLE, 1, 30, 0));
	CHECK_EQ(rd(0, bit_addr(ISENABLER, 0, 1), 4), (u32)~(BIT(30) | BIT(25) | BIT(3)));
	/* GICD_ISENABLER0 does not reach anyone's private interrupts. */
	wr(0, GICD + ISENABLER, 4, BIT(27));
	EXPECT_NO_CALLS();
	CHECK(!bit_read(ISENABLER, 27, 0));

	bit_write(1, ISENABLER, 40, 0);
	EXPECT_CALLS(CALL(ENABLE, ANY, 40, 1));
	CHECK(bit_read(ISENABLER, 40, 0));
	bit_write(0, ICENABLER, 40, 0);
	EXPECT_CALLS(CALL(ENABLE, ANY, 40, 0));
	CHECK(!bit_read(ISENABLER, 40, 0));
	bit_write(0, ISENABLER, HOST_LAST_SPI, 0);
	EXPECT_CALLS(CALL(ENABLE, ANY, HOST_LAST_SPI, 1));
	/* INTIDs 256-287: virtual. */
	wr(0, GICD + ISENABLER + 8 * 4, 4, 0xffffffff);
	wr(0, GICD + ICENABLER + 8 * 4, 4, 0xffffffff);
	EXPECT_NO_CALLS();
}

/* Number of recorded calls of @hook for @intid with @arg (ANY: any INTID, any arg). */
static unsigned int count_calls(int hook, u32 intid, u32 arg)
{
	unsigned int i, n = 0;

	for (i = 0; i < nr_calls && i < MAX_CALLS; i++)
		if (calls[i].hook == hook && (intid == ANY || calls[i].intid == intid) &&
		    (arg == ANY || calls[i].arg == arg))
			n++;
	return n;
}

/*
 * The trigger of a linked SPI is the physical one's: an ICFGR write sets
 * each linked SPI of the word as written (at least the one that changed).
 * Linked PPIs (timers, PMU) stay level and are not touched; virtual
 * interrupts keep their trigger in the model only.
 */
TEST(host_icfgr_linked_spi_calls_set_edge)
{
	unsigned int i;

	host_setup(4);
	configure(40, true);
	CHECK_EQ(count_calls(HOOK_SET_EDGE, 40, 1), 1);
	/* Anything else: the other SPIs of ICFGR2 (32-47), as they are, level. */
	CHECK_EQ(count_calls(HOOK_SET_EDGE, ANY, 1), 1);
	CHECK_EQ(count_calls(HOOK_SET_EDGE, ANY, ANY), nr_calls);
	for (i = 0; i < nr_calls && i < MAX_CALLS; i++)
		CHECK(calls[i].intid >= 32 && calls[i].intid < 48);
	CHECK_EQ(bad_calls, 0);
	reset_calls();
	CHECK(rd(0, GICD + 0xc08, 4) & (2U << 16));
	configure(40, false);
	CHECK_EQ(count_calls(HOOK_SET_EDGE, 40, 0), 1);
	CHECK_EQ(count_calls(HOOK_SET_EDGE, ANY, 1), 0);
	CHECK_EQ(count_calls(HOOK_SET_EDGE, ANY, ANY), nr_calls);
	reset_calls();
	configure(HOST_LAST_SPI, true);
	CHECK_EQ(count_calls(HOOK_SET_EDGE, HOST_LAST_SPI, 1), 1);
	reset_calls();

	configure(960, true);
	configure(256, true);
	EXPECT_NO_CALLS();
	CHECK_EQ(rd(0, GICD + 0xc00 + 60 * 4, 4), 2U);
	CHECK_EQ(rd(0, GICD + 0xc00 + 16 * 4, 4), 2U);

	/* The SGI frame's ICFGR1: PPIs 23, 27, 30 stay level, the other PPIs take it. */
	wr(0, bit_addr(0xc04, 0, 2), 4, 0xffffffff);
	EXPECT_NO_CALLS();
	CHECK_EQ(rd(0, bit_addr(0xc04, 0, 2), 4),
		 0xaaaaaaaaU & ~(2U << 2 * (23 - 16)) & ~(2U << 2 * (27 - 16)) &
		 ~(2U << 2 * (30 - 16)));
}

/*
 * Routing a linked SPI routes its physical twin, to the vCPU's CPU: Aff0,
 * or vCPU 0 for 1-of-N, an Aff0 no vCPU has, or any higher affinity.
 */
TEST(host_irouter_linked_spi_calls_route)
{
	host_setup(4);
	route(40, 2);
	EXPECT_CALLS(CALL(ROUTE, 2, 40, ANY));
	route(40, BIT(31) | 2);
	EXPECT_CALLS(CALL(ROUTE, 0, 40, ANY));
	route(40, 3);
	EXPECT_CALLS(CALL(ROUTE, 3, 40, ANY));
	route(40, HOST_VCPUS);
	EXPECT_CALLS(CALL(ROUTE, 0, 40, ANY));
	route(40, 0xff);
	EXPECT_CALLS(CALL(ROUTE, 0, 40, ANY));
	route(40, 1);
	EXPECT_CALLS(CALL(ROUTE, 1, 40, ANY));
	/* Aff1 set, then Aff3 through the upper half alone. */
	route(40, (1 << 8) | 1);
	EXPECT_CALLS(CALL(ROUTE, 0, 40, ANY));
	route(40, 1);
	wr(0, GICD + 0x6000 + 8 * 40 + 4, 4, 1);
	EXPECT_CALLS(CALL(ROUTE, 1, 40, ANY), CALL(ROUTE, 0, 40, ANY));
	wr(0, GICD + 0x6000 + 8 * 40 + 4, 4, 0);
	EXPECT_CALLS(CALL(ROUTE, 1, 40, ANY));
	route(HOST_LAST_SPI, 3);
	EXPECT_CALLS(CALL(ROUTE, 3, HOST_LAST_SPI, ANY));
	/* Virtual SPIs: the model only. */
	route(960, 2);
	route(HOST_LAST_SPI + 1, 2);
	EXPECT_NO_CALLS();
}

/*
 * GICD_ISPENDR on a linked interrupt pends the physical one: it reaches
 * the model only once the hypervisor acknowledges it (vgic_inject_linked),
 * else the host would take it twice.
 */
TEST(host_ispendr_linked_pends_physical_only)
{
	host_setup(4);
	wr(0, GICD, 4, 3);
	enable(0, 40, 0x20);
	enable(1, 27, 0x20);
	reset_calls();
	CHECK_EQ(bit_write(1, ISPENDR, 40, 0), 0U);
	EXPECT_CALLS(CALL(PEND, ANY, 40, 1));
	CHECK(!vgic_irq_in_flight(&d, 0, 40));
	CHECK(!bit_read(ISPENDR, 40, 0));
	CHECK(!vgic_has_pending(&d, 0));
	vgic_flush(&d, 0);
	CHECK_EQ(d.cpu[0].nr_lr_used, 0);
	vgic_sync(&d, 0);
	/* vCPU 1's PPI, through its SGI frame, by vCPU 0. */
	CHECK_EQ(bit_write(0, ISPENDR, 27, 1), 0U);
	EXPECT_CALLS(CALL(PEND, 1, 27, 1));
	CHECK(!vgic_irq_in_flight(&d, 1, 27));
	vgic_flush(&d, 1);
	CHECK_EQ(d.cpu[1].nr_lr_used, 0);
	vgic_sync(&d, 1);
	/* A virtual SPI is latched in the model, as a guest's. */
	enable(0, 960, 0x20);
	CHECK_EQ(bit_write(0, ISPENDR, 960, 0), BIT(0));
	CHECK(vgic_irq_in_flight(&d, 0, 960));
	EXPECT_NO_CALLS();
}

/*
 * GICD_ICPENDR on a linked interrupt clears the physical pending state
 * and, if the model holds an acknowledged one that no list register has
 * and the host has not taken, drops it and deactivates the physical one,
 * once. A taken (active) one stays, and so does one in a list register:
 * the host's EOI deactivates those.
 */
TEST(host_icpendr_linked_drops_and_deactivates_once)
{
	host_setup(4);
	wr(0, GICD, 4, 3);
	enable(0, 40, 0x20);
	reset_calls();
	/* Nothing acknowledged: nothing to deactivate. */
	bit_write(0, ICPENDR, 40, 0);
	EXPECT_CALLS(CALL(PEND, ANY, 40, 0));

	CHECK_EQ(vgic_inject_linked(&d, 0, 40), BIT(0));
	CHECK(bit_read(ISPENDR, 40, 0));
	bit_write(1, ICPENDR, 40, 0);
	EXPECT_CALLS(CALL(PEND, ANY, 40, 0), CALL(DEACTIVATE, ANY, 40, ANY));
	CHECK(!vgic_irq_in_flight(&d, 0, 40));
	CHECK(!vgic_has_pending(&d, 0));
	CHECK(matches_model(0, false));
	vgic_flush(&d, 0);
	CHECK_EQ(d.cpu[0].nr_lr_used, 0);
	vgic_sync(&d, 0);
	bit_write(1, ICPENDR, 40, 0);
	EXPECT_CALLS(CALL(PEND, ANY, 40, 0));

	/* Taken by the host, not finished: active, it stays. */
	vgic_inject_linked(&d, 0, 40);
	vgic_flush(&d, 0);
	REQUIRE_EQ(d.cpu[0].nr_lr_used, 1);
	host_takes(0, 0, false);
	vgic_sync(&d, 0);
	bit_write(1, ICPENDR, 40, 0);
	EXPECT_CALLS(CALL(PEND, ANY, 40, 0));
	CHECK(bit_read(ISACTIVER, 40, 0));
	vgic_flush(&d, 0);
	REQUIRE_EQ(d.cpu[0].nr_lr_used, 1);
	CHECK_EQ(lr_state(d.cpu[0].lr[0]), ICH_LR_ACTIVE);
	host_takes(0, 0, true);
	vgic_sync(&d, 0);
	CHECK(!vgic_irq_in_flight(&d, 0, 40));
	EXPECT_NO_CALLS();

	/* Pending in vCPU 1's list register: not the model's to drop. */
	route(40, 1);
	reset_calls();
	CHECK_EQ(vgic_inject_linked(&d, 1, 40), BIT(1));
	vgic_flush(&d, 1);
	REQUIRE_EQ(d.cpu[1].nr_lr_used, 1);
	bit_write(0, ICPENDR, 40, 0);
	EXPECT_CALLS(CALL(PEND, ANY, 40, 0));
	vgic_sync(&d, 1);
	CHECK(vgic_irq_in_flight(&d, 1, 40));

	/* A PPI: the redistributor is the SGI frame's. */
	enable(2, 27, 0x20);
	reset_calls();
	CHECK_EQ(vgic_inject_linked(&d, 2, 27), BIT(2));
	bit_write(0, ICPENDR, 27, 2);
	EXPECT_CALLS(CALL(PEND, 2, 27, 0), CALL(DEACTIVATE, 2, 27, ANY));
	CHECK(!vgic_irq_in_flight(&d, 2, 27));
}

/* Setting a linked interrupt active would leave the physical GIC behind: ignored. */
TEST(host_isactiver_linked_changes_nothing)
{
	host_setup(4);
	wr(0, GICD, 4, 3);
	enable(0, 40, 0x20);
	enable(1, 27, 0x20);
	reset_calls();
	snapshot();
	bit_write(0, ISACTIVER, 40, 0);
	bit_write(0, ISACTIVER, 27, 1);
	CHECK(unchanged());
	EXPECT_NO_CALLS();
	CHECK(!bit_read(ISACTIVER, 40, 0));
	CHECK(!bit_read(ISACTIVER, 27, 1));
	vgic_flush(&d, 0);
	CHECK_EQ(d.cpu[0].nr_lr_used, 0);
	vgic_flush(&d, 1);
	CHECK_EQ(d.cpu[1].nr_lr_used, 0);
}

/*
 * GICD_ICACTIVER on a linked interrupt the host took and did not finish,
 * that no list register holds: the model drops it and deactivates the
 * physical one. Not active, or active in a list register: nothing.
 */
TEST(host_icactiver_linked_deactivates_active)
{
	host_setup(4);
	wr(0, GICD, 4, 3);
	enable(0, 40, 0x20);
	reset_calls();
	CHECK_EQ(vgic_inject_linked(&d, 0, 40), BIT(0));
	vgic_flush(&d, 0);
	REQUIRE_EQ(d.cpu[0].nr_lr_used, 1);
	host_takes(0, 0, false);
	vgic_sync(&d, 0);
	CHECK(bit_read(ISACTIVER, 40, 0));
	bit_write(1, ICACTIVER, 40, 0);
	EXPECT_CALLS(CALL(DEACTIVATE, ANY, 40, ANY));
	CHECK(!bit_read(ISACTIVER, 40, 0));
	CHECK(!vgic_irq_in_flight(&d, 0, 40));
	CHECK(matches_model(0, false));
	vgic_flush(&d, 0);
	CHECK_EQ(d.cpu[0].nr_lr_used, 0);
	vgic_sync(&d, 0);
	bit_write(1, ICACTIVER, 40, 0);
	EXPECT_NO_CALLS();

	/* Pending, not active: stays pending. */
	vgic_inject_linked(&d, 0, 40);
	bit_write(1, ICACTIVER, 40, 0);
	EXPECT_NO_CALLS();
	CHECK(vgic_irq_in_flight(&d, 0, 40));
	CHECK(vgic_has_pending(&d, 0));

	/* Active in vCPU 1's list register: its EOI deactivates it. */
	bit_write(1, ICPENDR, 40, 0);
	route(40, 1);
	reset_calls();
	CHECK_EQ(vgic_inject_linked(&d, 1, 40), BIT(1));
	vgic_flush(&d, 1);
	REQUIRE_EQ(d.cpu[1].nr_lr_used, 1);
	host_takes(1, 0, false);
	vgic_sync(&d, 1);
	vgic_flush(&d, 1);
	REQUIRE_EQ(d.cpu[1].nr_lr_used, 1);
	CHECK_EQ(lr_state(d.cpu[1].lr[0]), ICH_LR_ACTIVE);
	bit_write(0, ICACTIVER, 40, 0);
	EXPECT_NO_CALLS();
	CHECK(bit_read(ISACTIVER, 40, 0));
	host_takes(1, 0, true);
	vgic_sync(&d, 1);
	CHECK(!vgic_irq_in_flight(&d, 1, 40));

	/* A PPI of vCPU 3's, through its SGI frame. */
	enable(3, 23, 0x20);
	reset_calls();
	vgic_inject_linked(&d, 3, 23);
	vgic_flush(&d, 3);
	REQUIRE_EQ(d.cpu[3].nr_lr_used, 1);
	host_takes(3, 0, false);
	vgic_sync(&d, 3);
	bit_write(0, ICACTIVER, 23, 3);
	EXPECT_CALLS(CALL(DEACTIVATE, 3, 23, ANY));
	CHECK(!vgic_irq_in_flight(&d, 3, 23));
}

/* Virtual interrupts of the host's GIC behave as a guest's and call no hook. */
TEST(host_virtual_intids_call_no_hook)
{
	static const u32 ids[] = { 1, 16, 25, 31, HOST_LAST_SPI + 1, 960, 1019 };
	static const u16 regs[] = { ISENABLER, ISPENDR, ISACTIVER };
	unsigned int i, j;

	host_setup(4);
	wr(0, GICD, 4, 3);
	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		u32 intid = ids[i];

		for (j = 0; j < ARRAY_SIZE(regs); j++) {
			bit_write(0, regs[j], intid, 1);
			CHECK(bit_read(regs[j], intid, 1));
		}
		for (j = 0; j < ARRAY_SIZE(regs); j++) {
			/* The clear register follows its set one by 0x80. */
			bit_write(0, regs[j] + 0x80, intid, 1);
			CHECK(!bit_read(regs[j], intid, 1));
		}
		wr(0, (intid < 32 ? bit_addr(0, 0, 1) : GICD) + 0x400 + intid, 1, 0x80);
		if (intid >= 32) {
			configure(intid, true);
			route(intid, 2);
		}
	}
	vgic_sgi(&d, 0, (3UL << 24) | 2);
	vgic_inject_edge(&d, 0, 960);
	EXPECT_NO_CALLS();
}

/*
 * A guest's distributor (vgic_init, no phys ops) has no linked interrupt:
 * its vtimer, hardware-backed (vgic_set_hw), takes ISPENDR, ISACTIVER,
 * ICACTIVER and ICPENDR in the model as before, and the linked calls
 * leave it alone.
 */
TEST(guest_hw_vtimer_is_not_linked)
{
	u32 kick;

	setup(4);
	wr(0, GICD, 4, 3);
	vgic_set_hw(&d, 0, VGIC_INTID_VTIMER);
	enable(0, VGIC_INTID_VTIMER, 0x10);
	REQUIRE(!d.phys);
	kick = wr(1, GICR + SGI + ISPENDR, 4, BIT(VGIC_INTID_VTIMER));
	CHECK_EQ(kick, BIT(0));
	CHECK(vgic_irq_in_flight(&d, 0, VGIC_INTID_VTIMER));
	snapshot();
	CHECK_EQ(vgic_inject_linked(&d, 0, VGIC_INTID_VTIMER), 0U);
	CHECK(!vgic_drop_linked(&d, 0, VGIC_INTID_VTIMER));
	CHECK_MEM_EQ(&d, &snap_d, sizeof(d));
	vgic_flush(&d, 0);
	REQUIRE_EQ(d.cpu[0].nr_lr_used, 1);
	CHECK(d.cpu[0].lr[0] & ICH_LR_HW);
	CHECK_EQ(FIELD_GET(ICH_LR_PINTID, d.cpu[0].lr[0]), VGIC_INTID_VTIMER);
	CHECK_EQ(lr_state(d.cpu[0].lr[0]), ICH_LR_PENDING);
	/* Not taken; cleared by ICPENDR. */
	vgic_sync(&d, 0);
	wr(0, GICR + SGI + ICPENDR, 4, BIT(VGIC_INTID_VTIMER));
	CHECK(!vgic_irq_in_flight(&d, 0, VGIC_INTID_VTIMER));
	wr(0, GICR + SGI + ISACTIVER, 4, BIT(VGIC_INTID_VTIMER));
	vgic_flush(&d, 0);
	REQUIRE_EQ(d.cpu[0].nr_lr_used, 1);
	CHECK_EQ(lr_state(d.cpu[0].lr[0]), ICH_LR_ACTIVE);
	vgic_sync(&d, 0);
	wr(0, GICR + SGI + ICACTIVER, 4, BIT(VGIC_INTID_VTIMER));
	CHECK(!vgic_irq_in_flight(&d, 0, VGIC_INTID_VTIMER));
	vgic_flush(&d, 0);
	CHECK_EQ(d.cpu[0].nr_lr_used, 0);
	/* Disabled in the model alone; still level. */
	wr(0, GICR + SGI + ICENABLER, 4, BIT(VGIC_INTID_VTIMER));
	CHECK(!(rd(0, GICR + SGI + ISENABLER, 4) & BIT(VGIC_INTID_VTIMER)));
	wr(0, GICR + SGI + 0xc04, 4, 0xffffffff);
	CHECK_EQ(rd(0, GICR + SGI + 0xc04, 4) & (2U << 22), 0);
}

/*
 * vgic_inject_linked(): an acknowledged linked SPI goes to the vCPU of its
 * route, in a hardware list register (pINTID = vINTID, so that the host's
 * EOI deactivates the physical one); after that EOI it is gone, with no
 * deactivation by the model. Not linked: nothing happens, the caller
 * deactivates it.
 */
TEST(host_inject_linked_spi_hw_list_register)
{
	static const u32 not_linked[] = { 1, 16, 25, 31, HOST_LAST_SPI + 1, 960, 1019, 1020, 1023 };
	unsigned int i;
	u64 lr;

	host_setup(4);
	wr(0, GICD, 4, 3);
	enable(0, 40, 0x60);
	enable(0, 960, 0x60);
	for (i = 0; i < HOST_VCPUS; i++)
		enable(i, 25, 0x60);
	route(40, 2);
	reset_calls();
	snapshot();
	for (i = 0; i < ARRAY_SIZE(not_linked); i++)
		CHECK_EQ(vgic_inject_linked(&d, 2, not_linked[i]), 0U);
	CHECK(unchanged());

	CHECK_EQ(vgic_inject_linked(&d, 2, 40), BIT(2));
	CHECK(!vgic_has_pending(&d, 0));
	CHECK(vgic_has_pending(&d, 2));
	for (i = 0; i < HOST_VCPUS; i++)
		CHECK(matches_model(i, false));
	vgic_flush(&d, 2);
	REQUIRE_EQ(d.cpu[2].nr_lr_used, 1);
	lr = d.cpu[2].lr[0];
	CHECK_EQ(lr_intid(lr), 40);
	CHECK(lr & ICH_LR_HW);
	CHECK_EQ(FIELD_GET(ICH_LR_PINTID, lr), 40);
	CHECK_EQ(lr_state(lr), ICH_LR_PENDING);
	CHECK(lr & ICH_LR_GROUP1);
	CHECK_EQ(FIELD_GET(ICH_LR_PRIORITY, lr), 0x60);
	/* An exit before the host took it: still pending. */
	vgic_sync(&d, 2);
	CHECK(vgic_has_pending(&d, 2));
	vgic_flush(&d, 2);
	REQUIRE_EQ(d.cpu[2].nr_lr_used, 1);
	CHECK_EQ(d.cpu[2].lr[0], lr);
	/* Taken, then EOIed: the hardware deactivated the physical one. */
	host_takes(2, 0, false);
	vgic_sync(&d, 2);
	vgic_flush(&d, 2);
	REQUIRE_EQ(d.cpu[2].nr_lr_used, 1);
	CHECK_EQ(d.cpu[2].lr[0], (lr & ~ICH_LR_STATE) | FIELD_PREP(ICH_LR_STATE, ICH_LR_ACTIVE));
	host_takes(2, 0, true);
	vgic_sync(&d, 2);
	CHECK(!vgic_irq_in_flight(&d, 2, 40));
	CHECK(!vgic_has_pending(&d, 2));
	for (i = 0; i < HOST_VCPUS; i++)
		CHECK(matches_model(i, false));
	vgic_flush(&d, 2);
	CHECK_EQ(d.cpu[2].nr_lr_used, 0);
	vgic_sync(&d, 2);
	EXPECT_NO_CALLS();

	/* A linked PPI of vCPU 1. */
	enable(1, 27, 0x10);
	CHECK_EQ(vgic_inject_linked(&d, 1, 27), BIT(1));
	vgic_flush(&d, 1);
	REQUIRE_EQ(d.cpu[1].nr_lr_used, 1);
	CHECK_EQ(d.cpu[1].lr[0], FIELD_PREP(ICH_LR_VINTID, 27) | FIELD_PREP(ICH_LR_PINTID, 27) |
				 ICH_LR_HW | ICH_LR_GROUP1 | FIELD_PREP(ICH_LR_PRIORITY, 0x10) |
				 FIELD_PREP(ICH_LR_STATE, ICH_LR_PENDING));
	/* Disabled meanwhile: held, nobody kicked, delivered once enabled. */
	CHECK_EQ(vgic_inject_linked(&d, 0, 41), 0U);
	CHECK(vgic_irq_in_flight(&d, 0, 41));
	CHECK(!vgic_has_pending(&d, 0));
	CHECK_EQ(bit_write(0, ISENABLER, 41, 0), BIT(0));
	CHECK(vgic_has_pending(&d, 0));
}

/*
 * vgic_drop_linked(): a linked interrupt the model holds for vCPU @vcpu,
 * acknowledged but not yet in a list register nor taken, leaves the model
 * and the caller deactivates it. Active or in a list register it stays,
 * and the model never drops a virtual one.
 */
TEST(host_drop_linked)
{
	host_setup(4);
	wr(0, GICD, 4, 3);
	enable(0, 27, 0x20);
	enable(0, 25, 0x20);
	reset_calls();
	CHECK(!vgic_drop_linked(&d, 0, 27));
	CHECK_EQ(vgic_inject_linked(&d, 0, 27), BIT(0));
	CHECK(vgic_drop_linked(&d, 0, 27));
	CHECK(!vgic_irq_in_flight(&d, 0, 27));
	CHECK(!vgic_has_pending(&d, 0));
	CHECK(matches_model(0, false));
	CHECK(!vgic_drop_linked(&d, 0, 27));

	/*
	 * In a list register: no; given back untaken: yes. Latched again
	 * meanwhile (the physical GIC does not deliver an active interrupt
	 * twice, but the model does not rely on it): still no.
	 */
	vgic_inject_linked(&d, 0, 27);
	vgic_flush(&d, 0);
	REQUIRE_EQ(d.cpu[0].nr_lr_used, 1);
	CHECK(!vgic_drop_linked(&d, 0, 27));
	vgic_inject_linked(&d, 0, 27);
	CHECK(!vgic_drop_linked(&d, 0, 27));
	vgic_sync(&d, 0);
	CHECK(vgic_drop_linked(&d, 0, 27));
	CHECK(!vgic_irq_in_flight(&d, 0, 27));

	/* Taken, not finished: the host's EOI deactivates it. */
	vgic_inject_linked(&d, 0, 27);
	vgic_flush(&d, 0);
	REQUIRE_EQ(d.cpu[0].nr_lr_used, 1);
	host_takes(0, 0, false);
	vgic_sync(&d, 0);
	CHECK(!vgic_drop_linked(&d, 0, 27));
	CHECK(vgic_irq_in_flight(&d, 0, 27));
	vgic_inject_linked(&d, 0, 27);
	CHECK(!vgic_drop_linked(&d, 0, 27));
	CHECK(bit_read(ISACTIVER, 27, 0));
	bit_write(0, ICACTIVER, 27, 0);
	CHECK(!vgic_irq_in_flight(&d, 0, 27));

	/* Held while disabled: dropped all the same. */
	bit_write(0, ICENABLER, 27, 0);
	vgic_inject_linked(&d, 0, 27);
	CHECK(vgic_drop_linked(&d, 0, 27));
	/* Another vCPU's PPI 27 is not this one's. */
	enable(1, 27, 0x20);
	vgic_inject_linked(&d, 1, 27);
	CHECK(!vgic_drop_linked(&d, 0, 27));
	CHECK(vgic_drop_linked(&d, 1, 27));
	/* A linked SPI. */
	enable(0, 40, 0x20);
	vgic_inject_linked(&d, 0, 40);
	CHECK(vgic_drop_linked(&d, 0, 40));
	CHECK(!vgic_irq_in_flight(&d, 0, 40));
	reset_calls();

	/* Virtual: pending, and staying so. */
	vgic_inject_edge(&d, 0, 25);
	enable(0, 960, 0x20);
	vgic_inject_edge(&d, 0, 960);
	CHECK(!vgic_drop_linked(&d, 0, 25));
	CHECK(!vgic_drop_linked(&d, 0, 960));
	CHECK(!vgic_drop_linked(&d, 0, 1020));
	CHECK(vgic_irq_in_flight(&d, 0, 25));
	CHECK(vgic_irq_in_flight(&d, 0, 960));
	EXPECT_NO_CALLS();

	/* A guest's hardware vtimer is not linked. */
	setup(4);
	vgic_set_hw(&d, 0, VGIC_INTID_VTIMER);
	vgic_set_level(&d, 0, VGIC_INTID_VTIMER, true);
	wr(0, GICR + SGI + ISPENDR, 4, BIT(VGIC_INTID_VTIMER));
	CHECK(!vgic_drop_linked(&d, 0, VGIC_INTID_VTIMER));
	CHECK(d.cpu[0].priv[VGIC_INTID_VTIMER].latched);
}

/*
 * The host's list registers are read back lazily: one it finished
 * without an exit (the hardware deactivated the physical interrupt) is
 * still in a list register for the model when the physical interrupt
 * comes again. Its vCPU must be kicked, else the new one waits for an
 * unrelated exit; a guest's distributor (no kick_in_lr) does not kick.
 */
TEST(host_injection_into_a_stale_list_register_kicks)
{
	host_setup(4);
	wr(0, GICD, 4, 3);
	enable(0, 40, 0x20);
	route(40, 1);
	reset_calls();
	CHECK_EQ(vgic_inject_linked(&d, 1, 40), BIT(1));
	vgic_flush(&d, 1);
	REQUIRE_EQ(d.cpu[1].nr_lr_used, 1);
	host_takes(1, 0, true);
	CHECK_EQ(vgic_inject_linked(&d, 1, 40), BIT(1));
	/* Read back: the new one is there, once. */
	vgic_sync(&d, 1);
	vgic_flush(&d, 1);
	REQUIRE_EQ(d.cpu[1].nr_lr_used, 1);
	CHECK_EQ(lr_state(d.cpu[1].lr[0]), ICH_LR_PENDING);
	CHECK(d.cpu[1].lr[0] & ICH_LR_HW);
	host_takes(1, 0, true);
	vgic_sync(&d, 1);
	CHECK(!vgic_irq_in_flight(&d, 1, 40));
	/* A virtual one as well. */
	enable(0, 960, 0x20);
	CHECK_EQ(vgic_inject_edge(&d, 0, 960), BIT(0));
	vgic_flush(&d, 0);
	CHECK_EQ(vgic_inject_edge(&d, 0, 960), BIT(0));
	EXPECT_NO_CALLS();

	setup(4);
	wr(0, GICD, 4, 3);
	enable(0, 40, 0x20);
	CHECK_EQ(vgic_inject_edge(&d, 0, 40), BIT(0));
	vgic_flush(&d, 0);
	CHECK_EQ(vgic_inject_edge(&d, 0, 40), 0U);
}

/*
 * Whether the model holds linked interrupt @irq of vCPU @c (for an SPI,
 * whichever vCPU's list registers have it): pending or active, or in a
 * list register that still holds it now. A loaded vCPU's list registers
 * are read back lazily (host_gic.c): until then, what the host finished
 * there is still in_lr for the model, but the hardware deactivated it.
 */
static bool holds(const struct vgic_irq *irq, const bool *loaded, u32 intid, unsigned int c)
{
	unsigned int o, i;

	if (!irq->in_lr)
		return irq->latched || irq->active;
	if (irq->latched)
		return true;
	for (o = 0; o < HOST_VCPUS; o++) {
		if (!loaded[o] || (intid < VGIC_NR_PRIVATE && o != c))
			continue;
		for (i = 0; i < d.cpu[o].nr_lr_used; i++)
			if (lr_intid(d.cpu[o].lr[i]) == intid)
				return lr_state(d.cpu[o].lr[i]) != 0;
	}
	/* in_lr with no list register: the model lost track. */
	CHECK(false);
	return false;
}

/*
 * Each linked interrupt's physical twin is as the model says: enabled,
 * trigger and route as the host wrote them, and (track_active) active in
 * the physical GIC exactly while the model holds it, so that none is
 * left active forever nor deactivated behind the host's back.
 */
static bool phys_in_step(const bool *loaded)
{
	unsigned int c;
	u32 intid;

	for (c = 0; c < HOST_VCPUS; c++) {
		for (intid = 16; intid < VGIC_NR_PRIVATE; intid++) {
			const struct vgic_irq *irq = &d.cpu[c].priv[intid];
			const struct phys_irq *p = &phys_ppi[c][intid];

			if (!host_linked(NULL, intid))
				continue;
			if (!CHECK_EQ(p->enabled, irq->enabled) || !CHECK(!p->edge) ||
			    (track_active && !CHECK_EQ(p->active, holds(irq, loaded, intid, c)))) {
				printf("#   vCPU %u's PPI %u\n", c, intid);
				return false;
			}
		}
	}
	for (intid = VGIC_NR_PRIVATE; intid <= HOST_LAST_SPI; intid++) {
		const struct vgic_irq *irq = &d.spi[intid - VGIC_NR_PRIVATE];
		const struct phys_irq *p = &phys_spi[intid];
		u64 aff0 = irq->irouter & 0xff;
		u32 target = (irq->irouter & ~0xffUL) || aff0 >= d.nr_vcpus ? 0 : aff0;

		if (!CHECK_EQ(p->enabled, irq->enabled) || !CHECK_EQ(p->edge, irq->edge) ||
		    !CHECK_EQ(p->cpu, target) ||
		    (track_active && !CHECK_EQ(p->active, holds(irq, loaded, intid, 0)))) {
			printf("#   SPI %u\n", intid);
			return false;
		}
	}
	return true;
}

/*
 * The host runs on vCPU @c: it acknowledges (1) or finishes (2, 3) what
 * its list registers hold as @arg says. Finishing a hardware one
 * deactivates the physical interrupt.
 */
static void host_runs(unsigned int c, u32 arg)
{
	unsigned int i;

	for (i = 0; i < d.cpu[c].nr_lr_used; i++) {
		u64 lr = d.cpu[c].lr[i], old = lr_state(lr), now = old;

		if (((arg >> (2 * i)) & 3) == 1 && (old & ICH_LR_PENDING))
			now = ICH_LR_ACTIVE;
		else if ((arg >> (2 * i)) & 2)
			now = 0;
		if (lr & ICH_LR_HW) {
			struct phys_irq *hw = phys_of(c, lr_intid(lr));

			/* Pending and active is not for a hardware interrupt. */
			CHECK_NE(old, ICH_LR_PENDING | ICH_LR_ACTIVE);
			if (old && !now) {
				CHECK(hw->active);
				hw->active = false;
			}
		}
		d.cpu[c].lr[i] = (lr & ~ICH_LR_STATE) | FIELD_PREP(ICH_LR_STATE, now);
	}
}

/*
 * A fixed pseudo-random sequence on the host's distributor: register
 * writes by any vCPU (to any redistributor), also while its list
 * registers are loaded and may have changed (host_gic.c reads them back
 * lazily), acknowledged linked interrupts (never one still active in the
 * physical GIC), virtual ones raised, vgic_drop_linked(), and the host
 * taking and finishing interrupts at random. After each step: the
 * candidates and the flush as the full-scan model's, hooks for linked
 * INTIDs only, and the physical GIC in step with the model.
 */
TEST(host_random_sequence_matches_model_and_physical_gic)
{
	/* Mostly enabled: what is latched while disabled stays so. */
	static const u16 bit_regs[] = { ISENABLER, ISENABLER, ISENABLER, ICENABLER, ISPENDR,
					ICPENDR, ISACTIVER, ICACTIVER };
	static const u16 ids[] = { 1, 15, 16, 23, 25, 27, 30, 31, 32, 33, 63, 64, 100, 191, 192,
				   255, 256, 511, 959, 960, 961, 1019 };
	bool loaded[HOST_VCPUS] = { false };
	u32 x = 0x6c8e9cf5;
	unsigned int step, i;

	host_setup(4);
	track_active = true;
	for (step = 0; step < 6000; step++) {
		u32 r = next_random(&x), arg = next_random(&x);
		unsigned int c = r % HOST_VCPUS, op = (r >> 2) % 13;
		unsigned int rdist = (arg >> 24) % HOST_VCPUS;
		/* Mostly a few INTIDs, so that operations meet on them. */
		u32 intid = (r >> 8) & 3 ? ids[(r >> 10) % ARRAY_SIZE(ids)] :
					   (r >> 10) % VGIC_MAX_IRQS;
		struct phys_irq *p = phys_of(c, intid);
		u64 v;

		switch (op) {
		case 0:
			wr(c, bit_addr(bit_regs[arg % ARRAY_SIZE(bit_regs)], intid, rdist), 4,
			   BIT(intid % 32));
			break;
		case 1:
			wr(c, (intid < 32 ? bit_addr(0, 0, rdist) : GICD) + 0x400 + intid, 1,
			   arg & 0xf0);
			break;
		case 2:
			/* ICFGR, whole words: 16 interrupts at once, linked or not. */
			v = intid < 32 ? bit_addr(0xc04, 0, rdist) : GICD + 0xc00 + intid / 16 * 4;
			wr(c, v, 4, arg & 0xaaaaaaaa);
			break;
		case 3:
			if (intid < 32) {
				wr(c, GICD, 4, arg & 0x30 ? 2 : arg & 1);
				break;
			}
			v = (arg >> 8) & 7;
			if (arg & 1)
				v |= BIT(31);
			if (arg & 2)
				v |= BIT(8);
			wr(c, GICD + 0x6000 + 8 * intid, 8, v);
			break;
		case 4:
			if (intid >= 32)
				wr(c, GICD + 0x6000 + 8 * intid + 4, 4, arg & 1);
			break;
		case 5:
		case 6:
			if (!host_linked(NULL, intid)) {
				vgic_inject_edge(&d, c, intid);
			} else if (!p->active) {
				p->active = true;
				vgic_inject_linked(&d, c, intid);
			}
			break;
		case 7:
			/* As host_gic_guest_load(): the list registers read back first. */
			if (!loaded[c] && vgic_drop_linked(&d, c, intid)) {
				CHECK(p->active);
				p->active = false;
			}
			break;
		case 8:
		case 9:
			if (loaded[c])
				host_runs(c, arg);
			break;
		default:
			if (loaded[c]) {
				vgic_sync(&d, c);
				loaded[c] = false;
			}
			if (arg & 1) {
				vgic_flush(&d, c);
				loaded[c] = true;
			}
			break;
		}
		REQUIRE_EQ(bad_calls, 0);
		reset_calls();
		REQUIRE(phys_in_step(loaded));
		for (i = 0; i < HOST_VCPUS; i++)
			REQUIRE(matches_model(i, loaded[i]));
	}
	track_active = false;
}
