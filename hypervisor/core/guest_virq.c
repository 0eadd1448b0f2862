// SPDX-License-Identifier: GPL-2.0-only
/*
 * A doorbell's receiver interrupt in a guest: one of its SPIs, through its
 * vGIC (doorbell_bind_virq with the guest's vic). As on the real Gunyah
 * the binding has no trigger type: the SPI's trigger is the guest's own to
 * program through GICD_ICFGR, level-sensitive until it does.
 *
 * An assertion while flags stay enabled is Gunyah's virq_assert(): the
 * SPI's line goes high and, if the guest made it edge-triggered, every
 * assertion is a new interrupt. A level SPI stays pending while the flags
 * stay set (the guest clears them to stop it). An assertion that leaves
 * no enabled flag (the ack mask took them) is a pulse: pending until the
 * guest takes it, whatever the trigger.
 *
 * Kept apart from guest_vm.c so that the host tests can drive it.
 */
#include <hyp/doorbell.h>
#include <hyp/guest.h>
#include <hyp/gunyah_abi.h>
#include <hyp/guest_ops.h>

static void guest_virq_assert(struct virq *v, bool hold)
{
	struct guest_virq *gv = (struct guest_virq *)v;
	struct hyp_guest *g = gv->g;
	u32 kick;

	spin_lock(&g->lock);
	if (hold)
		kick = vgic_source_assert(&g->vgic, 0, gv->intid);
	else
		kick = vgic_inject_edge(&g->vgic, 0, gv->intid);
	guest_kick_locked(g, kick);
	spin_unlock(&g->lock);
}

static void guest_virq_raise(struct virq *v)
{
	guest_virq_assert(v, true);
}

static void guest_virq_pulse(struct virq *v)
{
	guest_virq_assert(v, false);
}

/* The flags went: line low. An edge already latched stays pending. */
static void guest_virq_lower(struct virq *v)
{
	struct guest_virq *gv = (struct guest_virq *)v;
	struct hyp_guest *g = gv->g;

	spin_lock(&g->lock);
	vgic_set_level(&g->vgic, 0, gv->intid, false);
	spin_unlock(&g->lock);
}

int hyp_guest_bind_doorbell(struct hyp_guest *g, struct doorbell *db, u32 intid)
{
	struct guest_virq *gv;

	/* An SPI of the guest's vGIC; its configuration stays the guest's. */
	if (g->nr_virqs == GUEST_MAX_VIRQS || !g->nr_vcpus || intid < VGIC_NR_PRIVATE ||
	    intid >= VGIC_NR_IRQS)
		return GUNYAH_ERROR_ARG_INVAL;
	gv = &g->virqs[g->nr_virqs++];
	*gv = (struct guest_virq){
		.virq = {
			.raise = guest_virq_raise,
			.lower = guest_virq_lower,
			.pulse = guest_virq_pulse,
		},
		.g = g,
		.intid = intid,
	};
	db->virq = &gv->virq;
	return 0;
}
