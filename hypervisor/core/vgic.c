// SPDX-License-Identifier: GPL-2.0-only
/* The guests' virtual GICv3; see include/hyp/vgic.h. */
#include <hyp/vgic.h>

/* Distributor registers */
#define GICD_CTLR		0x0000
#define GICD_TYPER		0x0004
#define GICD_IIDR		0x0008
#define GICD_IGROUPR		0x0080
#define GICD_ISENABLER		0x0100
#define GICD_ICENABLER		0x0180
#define GICD_ISPENDR		0x0200
#define GICD_ICPENDR		0x0280
#define GICD_ISACTIVER		0x0300
#define GICD_ICACTIVER		0x0380
#define GICD_IPRIORITYR		0x0400
#define GICD_ICFGR		0x0c00
#define GICD_IROUTER		0x6000
#define GICD_PIDR2		0xffe8

#define GICD_CTLR_ENABLE	(BIT(0) | BIT(1))
#define GICD_CTLR_ARE		BIT(4)
#define GICD_CTLR_DS		BIT(6)

/* Redistributor: RD_base frame, then SGI_base frame at +64 KiB */
#define GICR_CTLR		0x0000
#define GICR_IIDR		0x0004
#define GICR_TYPER		0x0008
#define GICR_WAKER		0x0014
#define GICR_PIDR2		0xffe8
#define GICR_SGI_BASE		0x10000
#define GICR_TYPER_LAST		BIT(4)
#define GICR_WAKER_PS		BIT(1)
#define GICR_WAKER_CA		BIT(2)

/* Arm as implementer, GICv3 (PIDR2.ArchRev = 3) */
#define VGIC_IIDR		0x0300043bU
#define VGIC_PIDR2		0x3bU

/* ICC_SGI1R_EL1 */
#define SGIR_TARGETS		GENMASK(15, 0)
#define SGIR_AFF1		GENMASK(23, 16)
#define SGIR_INTID		GENMASK(27, 24)
#define SGIR_AFF2		GENMASK(39, 32)
#define SGIR_IRM		BIT(40)
#define SGIR_RS			GENMASK(47, 44)
#define SGIR_AFF3		GENMASK(55, 48)

#define IROUTER_AFF0		GENMASK(7, 0)
#define IROUTER_IRM		BIT(31)

void vgic_init_linked(struct vgic_dist *d, unsigned int nr_vcpus, unsigned int nr_lrs,
		      u64 gicd, u64 gicr, unsigned int nr_irqs, struct vgic_irq *spis,
		      const struct vgic_phys_ops *phys, void *phys_ctx)
{
	unsigned int c, i;

	/*
	 * PPIs and SPIs reset level-sensitive: their trigger is the VM's
	 * (ICFGR). Nothing is enabled or active: no candidates.
	 */
	*d = (struct vgic_dist){ 0 };
	d->nr_vcpus = nr_vcpus > VGIC_MAX_VCPUS ? VGIC_MAX_VCPUS : nr_vcpus;
	d->nr_lrs = nr_lrs > VGIC_MAX_LRS ? VGIC_MAX_LRS : nr_lrs;
	d->gicd_base = gicd;
	d->gicr_base = gicr;
	d->spi = spis ? spis : d->spi_store;
	d->nr_irqs = MIN(nr_irqs, spis ? VGIC_MAX_IRQS : VGIC_NR_IRQS);
	if (d->nr_irqs < VGIC_NR_PRIVATE)
		d->nr_irqs = VGIC_NR_PRIVATE;
	d->phys = phys;
	d->phys_ctx = phys_ctx;
	for (i = VGIC_NR_PRIVATE; i < d->nr_irqs; i++)
		d->spi[i - VGIC_NR_PRIVATE] = (struct vgic_irq){
			.hw = phys && phys->linked(phys_ctx, i),
		};
	for (c = 0; c < d->nr_vcpus; c++) {
		d->cpu[c].asleep = true;
		for (i = 0; i < VGIC_NR_PRIVATE; i++) {
			d->cpu[c].priv[i].edge = i < 16;	/* SGIs are edge */
			d->cpu[c].priv[i].hw = i >= 16 && phys && phys->linked(phys_ctx, i);
		}
	}
}

void vgic_init(struct vgic_dist *d, unsigned int nr_vcpus, unsigned int nr_lrs, u64 gicd,
	       u64 gicr)
{
	vgic_init_linked(d, nr_vcpus, nr_lrs, gicd, gicr, VGIC_NR_IRQS, NULL, NULL, NULL);
}

static struct vgic_irq *irq_of(struct vgic_dist *d, unsigned int vcpu, u32 intid)
{
	if (intid < VGIC_NR_PRIVATE)
		return vcpu < d->nr_vcpus ? &d->cpu[vcpu].priv[intid] : NULL;
	if (intid < d->nr_irqs)
		return &d->spi[intid - VGIC_NR_PRIVATE];
	return NULL;
}

/* An interrupt with a physical twin that the hooks keep in step. */
static bool linked(const struct vgic_dist *d, const struct vgic_irq *irq)
{
	return d->phys && irq->hw;
}

static bool irq_pending(const struct vgic_irq *irq)
{
	return irq->latched || (!irq->edge && irq->line);
}

/* The vCPU an SPI goes to: its IROUTER's Aff0 (1-of-N means vCPU 0). */
static unsigned int spi_target(const struct vgic_dist *d, const struct vgic_irq *irq)
{
	u64 aff0 = FIELD_GET(IROUTER_AFF0, irq->irouter);

	if ((irq->irouter & IROUTER_IRM) || aff0 >= d->nr_vcpus ||
	    (irq->irouter & ~(IROUTER_AFF0 | IROUTER_IRM)))
		return 0;
	return aff0;
}

static bool for_vcpu(const struct vgic_dist *d, unsigned int vcpu, u32 intid,
		     const struct vgic_irq *irq)
{
	return intid < VGIC_NR_PRIVATE || spi_target(d, irq) == vcpu;
}

static bool wants_lr(const struct vgic_dist *d, const struct vgic_irq *irq)
{
	if (irq->active)
		return true;
	return irq->enabled && irq_pending(irq) && (d->ctlr & GICD_CTLR_ENABLE);
}

/*
 * The candidate bitmaps (&vgic_cpu.cand). Whatever changes an input of
 * candidate() (enable, pending, trigger, active, in_lr, routing,
 * GICD_CTLR) calls update() for the interrupts it touched, so that the
 * flush at every entry looks at set bits only, not at every INTID.
 */
static bool candidate(const struct vgic_dist *d, const struct vgic_irq *irq)
{
	return irq->in_lr || wants_lr(d, irq);
}

/*
 * @sum has bit w set exactly while word w of @map is not zero; a word
 * whose bit is clear is zero, whatever memory holds (vgic_flush()'s
 * scratch maps are not cleared).
 */
static void cand_assign(u64 *map, u32 *sum, u32 intid, bool on)
{
	u64 *w = &map[intid / 64];

	if (!(*sum & BIT(intid / 64)))
		*w = 0;
	if (on)
		*w |= BIT(intid % 64);
	else
		*w &= ~BIT(intid % 64);
	if (*w)
		*sum |= BIT(intid / 64);
	else
		*sum &= ~BIT(intid / 64);
}

static void update(struct vgic_dist *d, unsigned int vcpu, u32 intid)
{
	const struct vgic_irq *irq = irq_of(d, vcpu, intid);
	unsigned int c, target;
	bool on;

	if (!irq)
		return;
	on = candidate(d, irq);
	if (intid < VGIC_NR_PRIVATE) {
		cand_assign(d->cpu[vcpu].cand, &d->cpu[vcpu].cand_sum, intid, on);
		return;
	}
	/* An SPI is in its target's map only; the target may just have changed. */
	target = spi_target(d, irq);
	for (c = 0; c < d->nr_vcpus; c++)
		cand_assign(d->cpu[c].cand, &d->cpu[c].cand_sum, intid, on && c == target);
}

/* After a change that concerns every interrupt (GICD_CTLR). */
static void update_all(struct vgic_dist *d)
{
	unsigned int c;
	u32 intid;

	for (c = 0; c < d->nr_vcpus; c++)
		for (intid = 0; intid < VGIC_NR_PRIVATE; intid++)
			update(d, c, intid);
	for (intid = VGIC_NR_PRIVATE; intid < d->nr_irqs; intid++)
		update(d, 0, intid);
}

/*
 * The first INTID from @from on whose bit is set in @map, else @end or
 * more; @sum says which words of @map have bits, so that empty words cost
 * nothing (the host's distributor has 16 of them).
 */
static u32 next_cand(const u64 *map, u32 sum, u32 from, u32 end)
{
	while (from < end) {
		u32 words = sum & (~0U << (from / 64));
		u32 w;
		u64 bits;

		if (!words)
			return end;
		w = __builtin_ctz(words);
		if (from < w * 64)
			from = w * 64;
		bits = map[w] & (~0UL << (from % 64));
		if (bits)
			return w * 64 + __builtin_ctzll(bits);
		from = (w + 1) * 64;
	}
	return from;
}

#define for_each_cand(intid, map, sum, end)					\
	for ((intid) = next_cand((map), (sum), 0, (end)); (intid) < (end);	\
	     (intid) = next_cand((map), (sum), (intid) + 1, (end)))

static u32 owner_mask(const struct vgic_dist *d, unsigned int vcpu, u32 intid)
{
	const struct vgic_irq *irq;

	if (intid < VGIC_NR_PRIVATE)
		return BIT(vcpu);
	irq = &d->spi[intid - VGIC_NR_PRIVATE];
	return BIT(spi_target(d, irq));
}

/* Kick the owner if the interrupt can be delivered now. */
static u32 deliverable_kick(const struct vgic_dist *d, unsigned int vcpu, u32 intid,
			    const struct vgic_irq *irq)
{
	if (irq->enabled && irq_pending(irq) && (!irq->in_lr || d->kick_in_lr))
		return owner_mask(d, vcpu, intid);
	return 0;
}

u32 vgic_inject_edge(struct vgic_dist *d, unsigned int vcpu, u32 intid)
{
	struct vgic_irq *irq = irq_of(d, vcpu, intid);

	if (!irq)
		return 0;
	irq->latched = true;
	update(d, vcpu, intid);
	return deliverable_kick(d, vcpu, intid, irq);
}

u32 vgic_set_level(struct vgic_dist *d, unsigned int vcpu, u32 intid, bool level)
{
	struct vgic_irq *irq = irq_of(d, vcpu, intid);
	bool rising;

	if (!irq)
		return 0;
	rising = level && !irq->line;
	irq->line = level;
	update(d, vcpu, intid);
	if (irq->edge)
		return rising ? vgic_inject_edge(d, vcpu, intid) : 0;
	return level ? deliverable_kick(d, vcpu, intid, irq) : 0;
}

u32 vgic_source_assert(struct vgic_dist *d, unsigned int vcpu, u32 intid)
{
	struct vgic_irq *irq = irq_of(d, vcpu, intid);

	if (!irq)
		return 0;
	/*
	 * As Gunyah's virq_assert(): the level source goes high and an edge
	 * is latched each time, so an edge interrupt fires again even while
	 * the source is still high. A level interrupt ignores the edge.
	 */
	irq->line = true;
	if (irq->edge)
		irq->latched = true;
	update(d, vcpu, intid);
	return deliverable_kick(d, vcpu, intid, irq);
}

void vgic_set_hw(struct vgic_dist *d, unsigned int vcpu, u32 intid)
{
	struct vgic_irq *irq = irq_of(d, vcpu, intid);

	if (irq && intid < VGIC_NR_PRIVATE) {
		irq->hw = true;
		irq->edge = false;
		update(d, vcpu, intid);
	}
}

u32 vgic_inject_linked(struct vgic_dist *d, unsigned int vcpu, u32 intid)
{
	struct vgic_irq *irq = irq_of(d, vcpu, intid);

	if (!irq || !linked(d, irq))
		return 0;
	return vgic_inject_edge(d, vcpu, intid);
}

bool vgic_drop_linked(struct vgic_dist *d, unsigned int vcpu, u32 intid)
{
	struct vgic_irq *irq = irq_of(d, vcpu, intid);

	if (!irq || !linked(d, irq) || !irq->latched || irq->active || irq->in_lr)
		return false;
	irq->latched = false;
	update(d, vcpu, intid);
	return true;
}

bool vgic_irq_in_flight(struct vgic_dist *d, unsigned int vcpu, u32 intid)
{
	const struct vgic_irq *irq = irq_of(d, vcpu, intid);

	return irq && (irq->in_lr || irq->active || irq_pending(irq));
}

bool vgic_has_pending(struct vgic_dist *d, unsigned int vcpu)
{
	u32 intid;

	if (vcpu >= d->nr_vcpus)
		return false;
	for_each_cand(intid, d->cpu[vcpu].cand, d->cpu[vcpu].cand_sum, d->nr_irqs) {
		const struct vgic_irq *irq = irq_of(d, vcpu, intid);

		if (!for_vcpu(d, vcpu, intid, irq))
			continue;
		if (irq->in_lr && !irq->active)
			return true;
		if (!irq->active && irq->enabled && irq_pending(irq) &&
		    (d->ctlr & GICD_CTLR_ENABLE))
			return true;
	}
	return false;
}

static u64 lr_image(u32 intid, const struct vgic_irq *irq)
{
	/*
	 * A hardware list register is never pending and active: the
	 * architecture leaves that state unpredictable. The pending state
	 * waits in the model until the VM deactivates the interrupt.
	 */
	bool pending = irq_pending(irq) && irq->enabled && !(irq->hw && irq->active);
	u64 state = (pending ? ICH_LR_PENDING : 0) | (irq->active ? ICH_LR_ACTIVE : 0);
	u64 lr = FIELD_PREP(ICH_LR_VINTID, intid) | FIELD_PREP(ICH_LR_PRIORITY, irq->priority) |
		 ICH_LR_GROUP1 | FIELD_PREP(ICH_LR_STATE, state);

	if (irq->hw)
		lr |= ICH_LR_HW | FIELD_PREP(ICH_LR_PINTID, intid);
	return lr;
}

void vgic_flush(struct vgic_dist *d, unsigned int vcpu)
{
	struct vgic_cpu *c = &d->cpu[vcpu];
	unsigned int n = 0, waiting = 0;
	u32 intid;
	int pass;

	c->nr_lr_used = 0;
	c->underflow = false;
	/* No candidate: nothing to look at (most entries). */
	if (vcpu >= d->nr_vcpus || !c->cand_sum)
		return;
	/*
	 * Pass 0: active interrupts; pass 1: pending ones. Each time the most
	 * urgent one left: lowest priority value, then lowest INTID.
	 */
	for (pass = 0; pass < 2; pass++) {
		u64 todo[VGIC_CAND_WORDS];
		u32 todo_sum = 0;

		for_each_cand(intid, c->cand, c->cand_sum, d->nr_irqs) {
			const struct vgic_irq *irq = irq_of(d, vcpu, intid);

			if (!irq->in_lr && for_vcpu(d, vcpu, intid, irq) && wants_lr(d, irq) &&
			    (pass == 0) == irq->active)
				cand_assign(todo, &todo_sum, intid, true);
		}
		for (;;) {
			struct vgic_irq *best = NULL;
			u32 best_id = 0;

			for_each_cand(intid, todo, todo_sum, d->nr_irqs) {
				struct vgic_irq *irq = irq_of(d, vcpu, intid);

				if (!best || irq->priority < best->priority) {
					best = irq;
					best_id = intid;
				}
			}
			if (!best)
				break;
			if (n == d->nr_lrs) {
				waiting++;
				break;
			}
			cand_assign(todo, &todo_sum, best_id, false);
			c->lr[n] = lr_image(best_id, best);
			best->in_lr = VGIC_IN_LR;
			/*
			 * The list register now holds the latch: a level
			 * interrupt's line, if low, stays low after the guest
			 * takes it.
			 */
			if (best->latched &&
			    (c->lr[n] & FIELD_PREP(ICH_LR_STATE, ICH_LR_PENDING))) {
				best->in_lr |= VGIC_IN_LR_LATCH;
				best->latched = false;
			}
			/* Its candidate bit stays: it is in a list register now. */
			n++;
		}
	}
	c->nr_lr_used = n;
	c->underflow = waiting > 0;
}

void vgic_sync(struct vgic_dist *d, unsigned int vcpu)
{
	struct vgic_cpu *c = &d->cpu[vcpu];
	unsigned int i;

	if (vcpu >= d->nr_vcpus)
		return;
	for (i = 0; i < c->nr_lr_used; i++) {
		u32 intid = FIELD_GET(ICH_LR_VINTID, c->lr[i]);
		u64 state = FIELD_GET(ICH_LR_STATE, c->lr[i]);
		struct vgic_irq *irq = irq_of(d, vcpu, intid);

		if (!irq)
			continue;
		if (irq->in_lr & VGIC_IN_LR_STALE) {
			irq->in_lr = 0;
			update(d, vcpu, intid);
			continue;
		}
		irq->active = state & ICH_LR_ACTIVE;
		/* Still pending in the LR: a latch not yet taken stays. */
		if ((state & ICH_LR_PENDING) && (irq->in_lr & VGIC_IN_LR_LATCH))
			irq->latched = true;
		irq->in_lr = 0;
		update(d, vcpu, intid);
	}
	c->nr_lr_used = 0;
}

u32 vgic_sgi(struct vgic_dist *d, unsigned int vcpu, u64 v)
{
	u32 intid = FIELD_GET(SGIR_INTID, v);
	u32 kick = 0;
	unsigned int t;

	if (v & SGIR_IRM) {
		for (t = 0; t < d->nr_vcpus; t++)
			if (t != vcpu)
				kick |= vgic_inject_edge(d, t, intid);
		return kick;
	}
	/* Our vCPUs have affinity 0.0.0.n: only Aff3-1 = 0, RS = 0..0xf. */
	if (FIELD_GET(SGIR_AFF1, v) || FIELD_GET(SGIR_AFF2, v) || FIELD_GET(SGIR_AFF3, v))
		return 0;
	for (t = 0; t < 16; t++) {
		unsigned int target = FIELD_GET(SGIR_RS, v) * 16 + t;

		if ((v & BIT(t)) && target < d->nr_vcpus)
			kick |= vgic_inject_edge(d, target, intid);
	}
	return kick;
}

/* One bit per interrupt registers (ISENABLER...): @first is the word's first INTID. */
static u32 read_bits(struct vgic_dist *d, unsigned int vcpu, u32 first, unsigned int reg)
{
	u32 v = 0;
	unsigned int i;

	for (i = 0; i < 32; i++) {
		const struct vgic_irq *irq = irq_of(d, vcpu, first + i);
		bool bit;

		if (!irq)
			break;
		switch (reg) {
		case GICD_ISENABLER:
		case GICD_ICENABLER:
			bit = irq->enabled;
			break;
		case GICD_ISPENDR:
		case GICD_ICPENDR:
			bit = irq_pending(irq) || irq->in_lr;
			break;
		default:
			bit = irq->active;
			break;
		}
		v |= (u32)bit << i;
	}
	return v;
}

/*
 * A linked interrupt is pending in the model only once the physical one
 * was acknowledged, and is then active in the physical GIC until the VM
 * deactivates it: pending writes go to the physical GIC, and what drops
 * an acknowledged interrupt from the model deactivates the physical one.
 * Setting one active would leave the physical GIC behind: ignored.
 */
static void write_linked_bit(struct vgic_dist *d, unsigned int vcpu, u32 intid,
			     struct vgic_irq *irq, unsigned int reg)
{
	const struct vgic_phys_ops *p = d->phys;
	bool held = !irq->in_lr && (irq->latched || irq->active);

	switch (reg) {
	case GICD_ISENABLER:
	case GICD_ICENABLER:
		irq->enabled = reg == GICD_ISENABLER;
		p->enable(d->phys_ctx, vcpu, intid, irq->enabled);
		break;
	case GICD_ISPENDR:
		p->pend(d->phys_ctx, vcpu, intid, true);
		break;
	case GICD_ICPENDR:
		p->pend(d->phys_ctx, vcpu, intid, false);
		if (held && !irq->active) {
			irq->latched = false;
			p->deactivate(d->phys_ctx, vcpu, intid);
		}
		break;
	case GICD_ICACTIVER:
		if (held && irq->active) {
			irq->active = false;
			irq->latched = false;
			p->deactivate(d->phys_ctx, vcpu, intid);
		}
		break;
	default:
		break;
	}
}

/*
 * The VM set the active or pending state of an interrupt that a list
 * register holds: that register is void, the model's state stands at the
 * next vgic_sync() (else an interrupt made inactive would come back active
 * from the register, for ever if no one deactivates it). The latch the
 * register holds, if any, is the model's again. Returns the vCPU to kick
 * so that it syncs soon.
 */
static u32 lr_void(struct vgic_dist *d, unsigned int vcpu, u32 intid, struct vgic_irq *irq)
{
	if (!irq->in_lr)
		return 0;
	if (irq->in_lr & VGIC_IN_LR_LATCH)
		irq->latched = true;
	irq->in_lr = VGIC_IN_LR | VGIC_IN_LR_STALE;
	return owner_mask(d, vcpu, intid);
}

static u32 write_bits(struct vgic_dist *d, unsigned int vcpu, u32 first, unsigned int reg, u32 v)
{
	u32 kick = 0;

	/* Only the bits written as one: usually a single one. */
	for (; v; v &= v - 1) {
		u32 intid = first + __builtin_ctz(v);
		struct vgic_irq *irq = irq_of(d, vcpu, intid);

		if (!irq)
			break;
		if (linked(d, irq)) {
			write_linked_bit(d, vcpu, intid, irq, reg);
			kick |= deliverable_kick(d, vcpu, intid, irq);
			update(d, vcpu, intid);
			continue;
		}
		switch (reg) {
		case GICD_ISENABLER:
			irq->enabled = true;
			kick |= deliverable_kick(d, vcpu, intid, irq);
			break;
		case GICD_ICENABLER:
			irq->enabled = false;
			break;
		case GICD_ISPENDR:
			irq->latched = true;
			kick |= deliverable_kick(d, vcpu, intid, irq);
			break;
		case GICD_ICPENDR:
			irq->latched = false;
			/* A latch the list register holds goes with it. */
			irq->in_lr &= ~VGIC_IN_LR_LATCH;
			kick |= lr_void(d, vcpu, intid, irq);
			break;
		case GICD_ISACTIVER:
			irq->active = true;
			kick |= lr_void(d, vcpu, intid, irq);
			break;
		case GICD_ICACTIVER:
			irq->active = false;
			kick |= lr_void(d, vcpu, intid, irq);
			break;
		}
		update(d, vcpu, intid);
	}
	return kick;
}

static u32 read_cfg(struct vgic_dist *d, unsigned int vcpu, u32 first)
{
	u32 v = 0;
	unsigned int i;

	for (i = 0; i < 16; i++) {
		const struct vgic_irq *irq = irq_of(d, vcpu, first + i);

		if (irq && irq->edge)
			v |= 2U << (2 * i);
	}
	return v;
}

static void write_cfg(struct vgic_dist *d, unsigned int vcpu, u32 first, u32 v)
{
	unsigned int i;
	bool edge;

	for (i = 0; i < 16; i++) {
		struct vgic_irq *irq = irq_of(d, vcpu, first + i);

		/* SGIs are always edge; private linked ones (timers) stay level. */
		if (!irq || first + i < 16 || (irq->hw && first + i < VGIC_NR_PRIVATE))
			continue;
		edge = v & (2U << (2 * i));
		/* The physical trigger is rewritten only when it changes. */
		if (linked(d, irq) && edge != irq->edge)
			d->phys->set_edge(d->phys_ctx, first + i, edge);
		irq->edge = edge;
		update(d, vcpu, first + i);
	}
}

/* IPRIORITYR: one byte per interrupt, accessed by byte or by word. */
static u64 access_prio(struct vgic_dist *d, unsigned int vcpu, u32 first, unsigned int size,
		       bool write, u64 v)
{
	u64 r = 0;
	unsigned int i;

	for (i = 0; i < size; i++) {
		struct vgic_irq *irq = irq_of(d, vcpu, first + i);

		if (!irq)
			break;
		if (write)
			irq->priority = v >> (8 * i);
		else
			r |= (u64)irq->priority << (8 * i);
	}
	return r;
}

/* The registers shared by GICD (word >= 1) and the SGI frame (word 0). */
static bool irq_regs(struct vgic_dist *d, unsigned int vcpu, u64 off, unsigned int size,
		     bool write, u64 *val, u32 *kick, bool private)
{
	u32 word_first;

	if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + d->nr_irqs) {
		u32 first = off - GICD_IPRIORITYR;

		if ((private && first >= VGIC_NR_PRIVATE) || (!private && first < VGIC_NR_PRIVATE) ||
		    (size != 1 && size != 4))
			*val = 0;
		else
			*val = access_prio(d, vcpu, first, size, write, *val);
		return true;
	}
	if (size != 4)
		return false;
	if (off >= GICD_ICFGR && off < GICD_ICFGR + DIV_ROUND_UP(d->nr_irqs, 16) * 4) {
		u32 first = (off - GICD_ICFGR) * 4;

		if ((private && first >= VGIC_NR_PRIVATE) || (!private && first < VGIC_NR_PRIVATE))
			*val = 0;
		else if (write)
			write_cfg(d, vcpu, first, *val);
		else
			*val = read_cfg(d, vcpu, first);
		return true;
	}
	if (off >= GICD_IGROUPR && off < GICD_IGROUPR + DIV_ROUND_UP(d->nr_irqs, 32) * 4) {
		u32 first = (off - GICD_IGROUPR) * 8;

		/* All Group 1; no bits for the INTIDs past the last (1020-1023). */
		*val = first + 32 <= d->nr_irqs ? 0xffffffffU : (u32)(BIT(d->nr_irqs - first) - 1);
		return true;
	}
	if (off < GICD_ISENABLER || off >= GICD_ICACTIVER + 0x80)
		return false;
	word_first = ((off & 0x7f) / 4) * 32;
	if ((private && word_first) || (!private && !word_first) || word_first >= d->nr_irqs) {
		*val = 0;
		return true;
	}
	if (write)
		*kick |= write_bits(d, vcpu, word_first, off & ~0x7fUL, *val);
	else
		*val = read_bits(d, vcpu, word_first, off & ~0x7fUL);
	return true;
}

static void gicd_access(struct vgic_dist *d, unsigned int vcpu, u64 off, unsigned int size,
			bool write, u64 *val, u32 *kick)
{
	u64 v = write ? *val : 0;

	if (off >= GICD_IROUTER + 8 * VGIC_NR_PRIVATE && off < GICD_IROUTER + 8 * d->nr_irqs) {
		u32 intid = (off - GICD_IROUTER) / 8;
		struct vgic_irq *irq = &d->spi[intid - VGIC_NR_PRIVATE];
		unsigned int shift = (off & 4) * 8;
		u64 mask = (size == 8 ? ~0UL : 0xffffffffUL) << shift;

		if (size != 8 && size != 4) {
			v = 0;
		} else if (write) {
			irq->irouter = (irq->irouter & ~mask) | ((v << shift) & mask);
			if (linked(d, irq))
				d->phys->route(d->phys_ctx, intid, spi_target(d, irq));
			update(d, vcpu, intid);
			*kick |= deliverable_kick(d, vcpu, intid, irq);
		} else {
			v = (irq->irouter & mask) >> shift;
		}
	} else if (irq_regs(d, vcpu, off, size, write, &v, kick, false)) {
		/* done */
	} else if (size != 4) {
		v = 0;
	} else if (off == GICD_CTLR) {
		if (write) {
			u32 was = d->ctlr;

			d->ctlr = v & GICD_CTLR_ENABLE;
			if (d->ctlr != was)
				update_all(d);
			if (!(was & GICD_CTLR_ENABLE) && (d->ctlr & GICD_CTLR_ENABLE))
				*kick |= BIT(d->nr_vcpus) - 1;
		}
		v = d->ctlr | GICD_CTLR_ARE | GICD_CTLR_DS;
	} else if (off == GICD_TYPER) {
		/* 10 INTID bits, no LPIs, no 1-of-N, CPUNumber, ITLinesNumber */
		v = FIELD_PREP(GENMASK(23, 19), 9) | BIT(25) |
		    FIELD_PREP(GENMASK(7, 5), d->nr_vcpus - 1) |
		    FIELD_PREP(GENMASK(4, 0), DIV_ROUND_UP(d->nr_irqs, 32) - 1);
	} else if (off == GICD_IIDR) {
		v = VGIC_IIDR;
	} else if (off == GICD_PIDR2) {
		v = VGIC_PIDR2;
	} else {
		v = 0;	/* RAZ/WI */
	}
	if (!write)
		*val = v;
}

static void gicr_access(struct vgic_dist *d, unsigned int rd, unsigned int vcpu, u64 off,
			unsigned int size, bool write, u64 *val, u32 *kick)
{
	struct vgic_cpu *c = &d->cpu[rd];
	u64 v = write ? *val : 0;

	if (off >= GICR_SGI_BASE) {
		/* The SGI frame acts on the redistributor's own vCPU. */
		if (!irq_regs(d, rd, off - GICR_SGI_BASE, size, write, &v, kick, true))
			v = 0;
	} else if (off == GICR_TYPER || off == GICR_TYPER + 4) {
		u64 typer = ((u64)rd << 32) | FIELD_PREP(GENMASK(23, 8), rd) |
			    (rd == d->nr_vcpus - 1 ? GICR_TYPER_LAST : 0);

		if (size == 8 && off == GICR_TYPER)
			v = typer;
		else if (size == 4)
			v = (u32)(typer >> ((off - GICR_TYPER) * 8));
		else
			v = 0;
	} else if (size != 4) {
		v = 0;
	} else if (off == GICR_WAKER) {
		if (write)
			c->asleep = v & GICR_WAKER_PS;
		v = c->asleep ? GICR_WAKER_PS | GICR_WAKER_CA : 0;
	} else if (off == GICR_IIDR) {
		v = VGIC_IIDR;
	} else if (off == GICR_PIDR2) {
		v = VGIC_PIDR2;
	} else {
		v = 0;	/* CTLR, STATUSR, PROPBASER, PENDBASER...: RAZ/WI */
	}
	if (!write)
		*val = v;
}

bool vgic_mmio(struct vgic_dist *d, unsigned int vcpu, u64 ipa, unsigned int size, bool write,
	       u64 *val, u32 *kick)
{
	u64 rd_size = (u64)d->nr_vcpus * VGIC_GICR_STRIDE;

	*kick = 0;
	if (vcpu >= d->nr_vcpus)
		return false;
	/* Registers are naturally aligned; anything else reads as zero. */
	if (ipa & (size - 1)) {
		bool ours = vgic_covers(d, ipa);

		if (ours && !write)
			*val = 0;
		return ours;
	}
	if (ipa >= d->gicd_base && ipa - d->gicd_base < VGIC_GICD_SIZE) {
		gicd_access(d, vcpu, ipa - d->gicd_base, size, write, val, kick);
		return true;
	}
	if (ipa >= d->gicr_base && ipa - d->gicr_base < rd_size) {
		u64 off = ipa - d->gicr_base;

		gicr_access(d, off / VGIC_GICR_STRIDE, vcpu, off % VGIC_GICR_STRIDE, size, write,
			    val, kick);
		return true;
	}
	return false;
}
