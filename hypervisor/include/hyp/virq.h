/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A virtual interrupt bound to an object event (a message queue's "not
 * empty", a doorbell's flags): what it means to raise it depends on the
 * receiver. For the primary VM it is a physical SPI the hypervisor sets
 * pending; for the resource manager a call into it; for guests (later) an
 * interrupt in their virtual GIC.
 */
#ifndef HYP_VIRQ_H
#define HYP_VIRQ_H

#include <hyp/types.h>

struct virq {
	void (*raise)(struct virq *v);
	/* Level interrupts only: the condition went away. May be NULL. */
	void (*lower)(struct virq *v);
	/*
	 * Level interrupts: the condition came and was acknowledged at once
	 * (a doorbell's ack mask), so the interrupt stays pending until the
	 * receiver takes it and the line is low afterwards. May be NULL:
	 * then it is raised.
	 */
	void (*pulse)(struct virq *v);
};

static inline void virq_raise(struct virq *v)
{
	if (v && v->raise)
		v->raise(v);
}

static inline void virq_pulse(struct virq *v)
{
	if (v && v->pulse)
		v->pulse(v);
	else
		virq_raise(v);
}

static inline void virq_lower(struct virq *v)
{
	if (v && v->lower)
		v->lower(v);
}

#endif
