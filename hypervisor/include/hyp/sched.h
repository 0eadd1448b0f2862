/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypervisor's scheduler policy for the vCPUs it runs itself (those
 * that are not proxy-scheduled): fixed priority, round robin with a
 * timeslice among equals, one queue per physical CPU. Pure logic: the
 * caller (core/vcpu_sched.c) locks each queue, says which of its entities
 * are ready, runs them and reports why they stopped.
 *
 * Priorities are Gunyah's: 0 to 63, higher runs first. The primary VM's
 * vCPUs have SCHED_PRIO_HOST and are not in the queues: a queue only
 * holds what runs while its CPU's host vCPU has nothing to do (the RM
 * gives other VMs a priority below the host's).
 */
#ifndef HYP_SCHED_H
#define HYP_SCHED_H

#include <hyp/types.h>

#define SCHED_PRIO_MIN		0
#define SCHED_PRIO_MAX		63
#define SCHED_PRIO_HOST		32	/* Gunyah's default priority */

/* Timeslices the RM accepts, in nanoseconds (100 us to 100 ms). */
#define SCHED_TIMESLICE_MIN_NS	100000ULL
#define SCHED_TIMESLICE_MAX_NS	100000000ULL

struct sched_entity {
	struct sched_entity *next;	/* in its queue */
	u8 prio;
	u64 timeslice;		/* in counter ticks */
	u64 slice_left;		/* of the current turn */
	u64 turn;		/* when it last went behind its equals */
	bool queued;
};

struct sched_queue {
	struct sched_entity *head;
	u64 turns;		/* turns handed out so far */
};

/* Why an entity stopped running (sched_stopped()). */
enum sched_stop {
	/* Something more urgent took the CPU: it keeps its turn and the rest of its slice. */
	SCHED_PREEMPTED,
	/* Its slice is used up: behind its equals, with a new slice. */
	SCHED_SLICE_END,
	/* It waits for something (WFI, powered off): the same, for when it is ready again. */
	SCHED_BLOCKED,
};

/* @timeslice in counter ticks, at least 1. */
void sched_entity_init(struct sched_entity *e, u8 prio, u64 timeslice);

/* Add @e to @q, behind the entities of its priority; nothing if queued already. */
void sched_add(struct sched_queue *q, struct sched_entity *e);

/* Take @e out of @q; nothing if it is not queued. */
void sched_remove(struct sched_queue *q, struct sched_entity *e);

typedef bool (*sched_ready_fn)(struct sched_entity *e, void *arg);

/*
 * The entity of @q to run: of those @ready accepts, the one of highest
 * priority; among equals, the one whose turn is the oldest. NULL if none.
 */
struct sched_entity *sched_pick(struct sched_queue *q, sched_ready_fn ready, void *arg);

/* Does @cand take the CPU from @cur at once (rather than at the end of its slice)? */
bool sched_preempts(const struct sched_entity *cand, const struct sched_entity *cur);

/* @e ran @ran ticks of its slice and stopped, for @why. */
void sched_stopped(struct sched_queue *q, struct sched_entity *e, u64 ran, enum sched_stop why);

#endif
