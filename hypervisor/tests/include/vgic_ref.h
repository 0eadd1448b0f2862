/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A reference model of the vGIC's list-register selection for the tests
 * and the fuzzer: the plain full scan of every INTID that core/vgic.c
 * once did at each entry. It reads only the per-interrupt state of a
 * struct vgic_dist, so that what core/vgic.c derives from it can be
 * checked against it. Test code only; not built into the hypervisor.
 */
#ifndef HYP_VGIC_REF_H
#define HYP_VGIC_REF_H

#include <hyp/vgic.h>

/* The model is not code under test: not instrumented in the fuzzer. */
#ifdef HYP_FUZZ
#define REF_FN static inline __attribute__((no_sanitize("coverage", "address", "undefined")))
#else
#define REF_FN static inline
#endif

REF_FN struct vgic_irq *ref_irq(struct vgic_dist *d, unsigned int vcpu, u32 intid)
{
	if (intid < VGIC_NR_PRIVATE)
		return &d->cpu[vcpu].priv[intid];
	return &d->spi[intid - VGIC_NR_PRIVATE];
}

REF_FN bool ref_pending(const struct vgic_irq *irq)
{
	return irq->latched || (!irq->edge && irq->line);
}

/*
 * Private interrupts are their vCPU's; an SPI goes to the vCPU its
 * GICD_IROUTER names in Aff0 (bits 7:0), or to vCPU 0 if any other bit
 * (IRM, Aff1-3) is set or Aff0 names no vCPU.
 */
REF_FN bool ref_for_vcpu(const struct vgic_dist *d, unsigned int vcpu, u32 intid,
			 const struct vgic_irq *irq)
{
	unsigned int target = 0;

	if (intid < VGIC_NR_PRIVATE)
		return true;
	if (!(irq->irouter & ~0xffUL) && (irq->irouter & 0xff) < d->nr_vcpus)
		target = irq->irouter & 0xff;
	return target == vcpu;
}

/* GICD_CTLR.EnableGrp0/1 */
REF_FN bool ref_dist_on(const struct vgic_dist *d)
{
	return d->ctlr & 3;
}

REF_FN bool ref_wants_lr(const struct vgic_dist *d, const struct vgic_irq *irq)
{
	return irq->active || (irq->enabled && ref_pending(irq) && ref_dist_on(d));
}

/*
 * What vCPU @vcpu's candidate bitmap (&vgic_cpu.cand) must hold for
 * @intid: its interrupt is for @vcpu and in a list register or wants one.
 */
REF_FN bool ref_candidate(struct vgic_dist *d, unsigned int vcpu, u32 intid)
{
	const struct vgic_irq *irq = ref_irq(d, vcpu, intid);

	return ref_for_vcpu(d, vcpu, intid, irq) && (irq->in_lr || ref_wants_lr(d, irq));
}

REF_FN bool ref_cand_bit(const struct vgic_dist *d, unsigned int vcpu, u32 intid)
{
	return d->cpu[vcpu].cand[intid / 64] & BIT(intid % 64);
}

REF_FN bool ref_has_pending(struct vgic_dist *d, unsigned int vcpu)
{
	u32 intid;

	if (vcpu >= d->nr_vcpus)
		return false;
	for (intid = 0; intid < d->nr_irqs; intid++) {
		const struct vgic_irq *irq = ref_irq(d, vcpu, intid);

		if (!ref_for_vcpu(d, vcpu, intid, irq))
			continue;
		if (irq->in_lr && !irq->active)
			return true;
		if (!irq->active && irq->enabled && ref_pending(irq) && ref_dist_on(d))
			return true;
	}
	return false;
}

REF_FN u64 ref_lr_image(u32 intid, const struct vgic_irq *irq)
{
	/* Never pending and active in a hardware list register. */
	u64 state = (ref_pending(irq) && irq->enabled && !(irq->hw && irq->active) ?
		     ICH_LR_PENDING : 0) |
		    (irq->active ? ICH_LR_ACTIVE : 0);
	u64 lr = FIELD_PREP(ICH_LR_VINTID, intid) | FIELD_PREP(ICH_LR_PRIORITY, irq->priority) |
		 ICH_LR_GROUP1 | FIELD_PREP(ICH_LR_STATE, state);

	if (irq->hw)
		lr |= ICH_LR_HW | FIELD_PREP(ICH_LR_PINTID, intid);
	return lr;
}

/*
 * vgic_flush() by full scans: the active interrupts, then the pending
 * ones, each time the most urgent one left (lowest priority value, then
 * lowest INTID) until the list registers are full; underflow if any
 * interrupt was left waiting. Changes the same state as vgic_flush()
 * (LR images, in_lr, latches), but no candidate bitmap.
 */
REF_FN void ref_flush(struct vgic_dist *d, unsigned int vcpu)
{
	struct vgic_cpu *c = &d->cpu[vcpu];
	unsigned int n = 0, waiting = 0;
	u32 intid;
	int pass;

	c->nr_lr_used = 0;
	c->underflow = false;
	if (vcpu >= d->nr_vcpus)
		return;
	for (pass = 0; pass < 2; pass++) {
		for (;;) {
			struct vgic_irq *best = NULL;
			u32 best_id = 0;

			for (intid = 0; intid < d->nr_irqs; intid++) {
				struct vgic_irq *irq = ref_irq(d, vcpu, intid);

				if (irq->in_lr || !ref_for_vcpu(d, vcpu, intid, irq) ||
				    !ref_wants_lr(d, irq) || (pass == 0) != irq->active)
					continue;
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
			c->lr[n] = ref_lr_image(best_id, best);
			best->in_lr = VGIC_IN_LR;
			if (best->latched &&
			    (c->lr[n] & FIELD_PREP(ICH_LR_STATE, ICH_LR_PENDING))) {
				best->in_lr |= VGIC_IN_LR_LATCH;
				best->latched = false;
			}
			n++;
		}
	}
	c->nr_lr_used = n;
	c->underflow = waiting > 0;
}

#endif
