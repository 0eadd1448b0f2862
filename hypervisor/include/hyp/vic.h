/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An interrupt controller as a capability object, as far as the resource
 * manager binds interrupt sources to it: the receiver's interrupts by
 * number (for the primary VM the INTIDs of its RM link, for the RM its own
 * numbers, RM_VIRQ_*). A guest's vGIC is its addrspace object instead
 * (include/hyp/addrspace.h).
 */
#ifndef HYP_VIC_H
#define HYP_VIC_H

#include <hyp/object.h>
#include <hyp/virq.h>

#define VIC_MAX_LINES	4

struct vic {
	struct object obj;
	unsigned int nr;
	struct {
		u32 num;
		struct virq *virq;
	} lines[VIC_MAX_LINES];
};

static inline void vic_init(struct vic *vic)
{
	*vic = (struct vic){ .obj = { OBJECT_VIC } };
}

/* Interrupt @num of the receiver is @virq. Set-up only: the table has room. */
static inline void vic_add(struct vic *vic, u32 num, struct virq *virq)
{
	if (vic->nr < VIC_MAX_LINES) {
		vic->lines[vic->nr].num = num;
		vic->lines[vic->nr++].virq = virq;
	}
}

/* Interrupt @num, or NULL. */
static inline struct virq *vic_virq(const struct vic *vic, u32 num)
{
	unsigned int i;

	for (i = 0; i < vic->nr; i++)
		if (vic->lines[i].num == num)
			return vic->lines[i].virq;
	return NULL;
}

#endif
