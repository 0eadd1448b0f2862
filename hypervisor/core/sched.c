// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fixed-priority round-robin scheduling (hyp/sched.h). Each queue is a
 * short list (the vCPUs with an affinity to one CPU, eight per VM at
 * most): a linear scan at each pick is cheaper than keeping it sorted.
 *
 * Round robin is by turns: an entity that used up its slice or blocked
 * takes a new turn number, and among ready entities of one priority the
 * oldest turn runs. One that was preempted keeps its turn, so it comes
 * back first, with what was left of its slice.
 */
#include <hyp/sched.h>

void sched_entity_init(struct sched_entity *e, u8 prio, u64 timeslice)
{
	*e = (struct sched_entity){
		.prio = prio > SCHED_PRIO_MAX ? SCHED_PRIO_MAX : prio,
		.timeslice = timeslice ? timeslice : 1,
	};
	e->slice_left = e->timeslice;
}

void sched_add(struct sched_queue *q, struct sched_entity *e)
{
	if (e->queued)
		return;
	e->turn = ++q->turns;
	e->slice_left = e->timeslice;
	e->next = q->head;
	q->head = e;
	e->queued = true;
}

void sched_remove(struct sched_queue *q, struct sched_entity *e)
{
	struct sched_entity **p;

	if (!e->queued)
		return;
	for (p = &q->head; *p; p = &(*p)->next) {
		if (*p == e) {
			*p = e->next;
			break;
		}
	}
	e->next = NULL;
	e->queued = false;
}

/* Does @a run before @b, both ready? */
static bool runs_before(const struct sched_entity *a, const struct sched_entity *b)
{
	if (a->prio != b->prio)
		return a->prio > b->prio;
	return a->turn < b->turn;
}

struct sched_entity *sched_pick(struct sched_queue *q, sched_ready_fn ready, void *arg)
{
	struct sched_entity *e, *best = NULL;

	for (e = q->head; e; e = e->next) {
		if (best && !runs_before(e, best))
			continue;
		if (ready(e, arg))
			best = e;
	}
	return best;
}

bool sched_preempts(const struct sched_entity *cand, const struct sched_entity *cur)
{
	return cand->prio > cur->prio;
}

void sched_stopped(struct sched_queue *q, struct sched_entity *e, u64 ran, enum sched_stop why)
{
	if (why == SCHED_PREEMPTED && ran < e->slice_left) {
		e->slice_left -= ran;
		return;
	}
	/* A new turn: behind every equal that is waiting for one. */
	e->turn = ++q->turns;
	e->slice_left = e->timeslice;
}
