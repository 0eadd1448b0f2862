// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of a doorbell bound to a guest's SPI (core/guest_virq.c), from
 * doorbell_send() through the guest VIRQ to the vGIC's list registers, as
 * on the real Gunyah: the binding has no trigger, the guest programs it
 * (GICD_ICFGR, level at reset); an edge SPI fires at every send, a level
 * SPI stays pending while the doorbell's flags stay set (an interrupt
 * storm for a guest that never clears them), an acknowledged send is one
 * interrupt, and clearing the flags lowers the line.
 */
#include <hyp/doorbell.h>
#include <hyp/guest.h>
#include <hyp/gunyah_abi.h>
#include <hyp/guest_ops.h>
#include "test.h"

#define GICD	0x3fff0000UL
#define GICR	(GICD - 2 * VGIC_GICR_STRIDE)
#define SPI	72

static struct hyp_guest g;
static struct doorbell db;
static u32 kicked;		/* vCPUs kicked since the last look */
static unsigned int kicks_unlocked;

/* The guest side's: the vCPUs that got a new interrupt are woken. */
void guest_kick_locked(struct hyp_guest *guest, u32 mask)
{
	if (!guest->lock.locked)
		kicks_unlocked++;
	kicked |= mask;
}

static u64 rd(u64 ipa)
{
	u64 v = 0xdeadbeef;
	u32 kick;

	CHECK(vgic_mmio(&g.vgic, 0, ipa, 4, false, &v, &kick));
	return v;
}

static void wr(u64 ipa, u64 v)
{
	u32 kick;

	CHECK(vgic_mmio(&g.vgic, 0, ipa, 4, true, &v, &kick));
}

static bool spi_edge(u32 intid)
{
	return rd(GICD + 0xc00 + intid / 16 * 4) & (2U << (intid % 16 * 2));
}

/* What the guest's GIC driver does: ICFGR, then priority and enable. */
static void guest_configure(u32 intid, bool edge)
{
	u64 icfgr = GICD + 0xc00 + intid / 16 * 4;
	unsigned int shift = intid % 16 * 2;

	wr(icfgr, (rd(icfgr) & ~(3U << shift)) | ((u32)edge << (shift + 1)));
}

static void guest_enable(u32 intid)
{
	wr(GICD, 3);
	wr(GICD + 0x400 + intid / 4 * 4, 0x40U << (intid % 4 * 8));
	wr(GICD + 0x100 + intid / 32 * 4, 1U << (intid % 32));
}

/* A guest with two vCPUs, as the RM builds it, and a doorbell on @intid. */
static int setup(u32 intid)
{
	g = (struct hyp_guest){ .used = true, .nr_vcpus = 2 };
	spin_lock_init(&g.lock);
	vgic_init(&g.vgic, 2, 4, GICD, GICR);
	doorbell_init(&db);
	kicked = 0;
	kicks_unlocked = 0;
	return hyp_guest_bind_doorbell(&g, &db, intid);
}

/*
 * vCPU 0 enters, takes what its list registers offer and EOIs it (the LR
 * comes back empty), and leaves. Returns the INTID, or 0 for nothing.
 */
static u32 guest_takes_one(void)
{
	struct vgic_cpu *c = &g.vgic.cpu[0];
	u32 intid;

	vgic_flush(&g.vgic, 0);
	if (!c->nr_lr_used)
		return 0;
	CHECK_EQ(c->nr_lr_used, 1);
	CHECK_EQ(FIELD_GET(ICH_LR_STATE, c->lr[0]), ICH_LR_PENDING);
	intid = FIELD_GET(ICH_LR_VINTID, c->lr[0]);
	c->lr[0] &= ~ICH_LR_STATE;
	vgic_sync(&g.vgic, 0);
	return intid;
}

/* The binding leaves the SPI's trigger alone, in either direction. */
TEST(doorbell_spi_level_until_guest_writes_icfgr)
{
	REQUIRE_EQ(setup(SPI), 0);
	CHECK(db.virq == &g.virqs[0].virq);
	CHECK(!spi_edge(SPI));
	/* Sends before the guest configured anything: still level. */
	doorbell_send(&db, 1);
	CHECK(!spi_edge(SPI));
	guest_configure(SPI, true);
	CHECK(spi_edge(SPI));
	guest_configure(SPI, false);
	CHECK(!spi_edge(SPI));

	/* A guest that made an SPI edge before it was bound keeps it edge. */
	guest_configure(SPI + 1, true);
	CHECK_EQ(hyp_guest_bind_doorbell(&g, &db, SPI + 1), 0);
	CHECK(spi_edge(SPI + 1));
	CHECK(!spi_edge(SPI));
}

TEST(doorbell_bind_refuses_what_is_not_an_spi)
{
	REQUIRE_EQ(setup(SPI), 0);
	db.virq = NULL;
	CHECK_EQ(hyp_guest_bind_doorbell(&g, &db, 3), GUNYAH_ERROR_ARG_INVAL);
	CHECK_EQ(hyp_guest_bind_doorbell(&g, &db, VGIC_INTID_VTIMER), GUNYAH_ERROR_ARG_INVAL);
	CHECK_EQ(hyp_guest_bind_doorbell(&g, &db, 31), GUNYAH_ERROR_ARG_INVAL);
	CHECK_EQ(hyp_guest_bind_doorbell(&g, &db, VGIC_NR_IRQS), GUNYAH_ERROR_ARG_INVAL);
	CHECK(db.virq == NULL);
	CHECK_EQ(g.nr_virqs, 1);
	/* Nothing changed for the private interrupts either. */
	CHECK_EQ(rd(GICR + 0x10000 + 0xc04), 0);
	CHECK_EQ(hyp_guest_bind_doorbell(&g, &db, 32), 0);
	CHECK_EQ(hyp_guest_bind_doorbell(&g, &db, VGIC_NR_IRQS - 1), 0);
}

/* Edge: every send is an interrupt, though the flags (the line) stay set. */
TEST(doorbell_edge_spi_interrupts_at_every_send)
{
	unsigned int i;

	REQUIRE_EQ(setup(SPI), 0);
	guest_configure(SPI, true);
	guest_enable(SPI);
	for (i = 0; i < 3; i++) {
		kicked = 0;
		doorbell_send(&db, BIT(i));
		CHECK_EQ(db.flags, BIT(i + 1) - 1);
		CHECK_EQ(kicked, 1U);
		CHECK_EQ(guest_takes_one(), SPI);
		CHECK_EQ(guest_takes_one(), 0);
	}
	CHECK_EQ(kicks_unlocked, 0);
	/* The guest clears the flags: the line drops, nothing more comes. */
	{
		u64 old;

		CHECK_EQ(doorbell_receive(&db, ~0UL, &old), 0);
		CHECK_EQ(old, 7);
	}
	CHECK_EQ(guest_takes_one(), 0);
	guest_configure(SPI, false);
	CHECK_EQ(guest_takes_one(), 0);
}

/*
 * Level, the doorbell's default masks: the flags stay set after the send,
 * so the SPI is pending again after every EOI, as on the real Gunyah,
 * until the guest clears the flags.
 */
TEST(doorbell_level_spi_storms_while_flags_stay_set)
{
	unsigned int i;
	u64 old;

	REQUIRE_EQ(setup(SPI), 0);
	guest_enable(SPI);
	doorbell_send(&db, 1);
	CHECK_EQ(kicked, 1U);
	for (i = 0; i < 3; i++)
		CHECK_EQ(guest_takes_one(), SPI);
	/* Another send adds no edge to a level SPI. */
	doorbell_send(&db, 2);
	CHECK_EQ(guest_takes_one(), SPI);
	CHECK_EQ(doorbell_receive(&db, 3, &old), 0);
	CHECK_EQ(old, 3);
	CHECK_EQ(guest_takes_one(), 0);
	CHECK(!vgic_irq_in_flight(&g.vgic, 0, SPI));
	CHECK_EQ(kicks_unlocked, 0);
}

/* Level, a send the ack mask clears at once: one interrupt, not again. */
TEST(doorbell_level_spi_pulse_is_pending_once)
{
	REQUIRE_EQ(setup(SPI), 0);
	guest_enable(SPI);
	doorbell_mask(&db, ~0UL, ~0UL);
	doorbell_send(&db, 1);
	CHECK_EQ(db.flags, 0);
	CHECK_EQ(kicked, 1U);
	/* Not taken before an exit: still there at the next entry. */
	vgic_flush(&g.vgic, 0);
	vgic_sync(&g.vgic, 0);
	CHECK_EQ(guest_takes_one(), SPI);
	CHECK_EQ(guest_takes_one(), 0);
	CHECK(!vgic_irq_in_flight(&g.vgic, 0, SPI));
}

/* Level: clearing the flags drops the line, taken or not. */
TEST(doorbell_level_spi_lowered_by_receive)
{
	u64 old;

	REQUIRE_EQ(setup(SPI), 0);
	guest_enable(SPI);
	doorbell_send(&db, 1);
	CHECK(vgic_irq_in_flight(&g.vgic, 0, SPI));
	CHECK_EQ(doorbell_receive(&db, 1, &old), 0);
	CHECK(!vgic_irq_in_flight(&g.vgic, 0, SPI));
	CHECK_EQ(guest_takes_one(), 0);
	/* And by a reset of the doorbell. */
	doorbell_send(&db, 1);
	CHECK_EQ(guest_takes_one(), SPI);
	doorbell_reset(&db);
	CHECK_EQ(guest_takes_one(), 0);
}

/* Edge: a send not yet taken survives the flags' clearing (it was an edge). */
TEST(doorbell_edge_spi_latched_across_receive)
{
	u64 old;

	REQUIRE_EQ(setup(SPI), 0);
	guest_configure(SPI, true);
	guest_enable(SPI);
	doorbell_send(&db, 1);
	CHECK_EQ(doorbell_receive(&db, 1, &old), 0);
	CHECK_EQ(guest_takes_one(), SPI);
	CHECK_EQ(guest_takes_one(), 0);
}
