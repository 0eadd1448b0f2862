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

/* Enable the distributor and interrupt @intid of @vcpu with @prio. */
static void enable(unsigned int vcpu, u32 intid, u8 prio)
{
	if (intid < 32) {
		wr(vcpu, GICR + vcpu * VGIC_GICR_STRIDE + SGI + 0x400 + intid, 1, prio);
		wr(vcpu, GICR + vcpu * VGIC_GICR_STRIDE + SGI + 0x100, 4, 1U << intid);
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

/*
 * vCPU @c's candidate bitmap, vgic_has_pending() and, if it is out of the
 * guest, vgic_flush() against the full-scan model (vgic_ref.h), the flush
 * on copies of @d.
 */
static bool matches_model(unsigned int c, bool loaded)
{
	unsigned int o;
	u32 intid;

	for (intid = 0; intid < VGIC_NR_IRQS; intid++)
		if (!CHECK_EQ(ref_cand_bit(&d, c, intid), ref_candidate(&d, c, intid)))
			return false;
	if (!CHECK_EQ(vgic_has_pending(&d, c), ref_has_pending(&d, c)))
		return false;
	if (loaded)
		return true;
	ours_d = d;
	ref_d = d;
	/* Each copy keeps its SPIs in its own store. */
	ours_d.spi = ours_d.spi_store;
	ref_d.spi = ref_d.spi_store;
	vgic_flush(&ours_d, c);
	ref_flush(&ref_d, c);
	if (!CHECK_EQ(ours_d.cpu[c].nr_lr_used, ref_d.cpu[c].nr_lr_used) ||
	    !CHECK_EQ(ours_d.cpu[c].underflow, ref_d.cpu[c].underflow) ||
	    !CHECK_MEM_EQ(ours_d.cpu[c].lr, ref_d.cpu[c].lr, sizeof(ref_d.cpu[c].lr)) ||
	    !CHECK_MEM_EQ(ours_d.spi_store, ref_d.spi_store, sizeof(ref_d.spi_store)))
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
