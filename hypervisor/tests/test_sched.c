// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of the scheduler's policy (core/sched.c): the highest ready
 * priority runs; equals take turns, a turn ending when the slice is used
 * up or the entity blocks; a preempted entity comes back first with the
 * rest of its slice; entities come and go from a queue in any order.
 */
#include <hyp/sched.h>
#include "test.h"

#define SLICE	100

static bool ready_flag[8];

static struct sched_entity ents[8];

static unsigned int idx(const struct sched_entity *e)
{
	return e ? (unsigned int)(e - ents) : 99;
}

static bool is_ready(struct sched_entity *e, void *arg)
{
	unsigned int *asked = arg;

	if (asked)
		(*asked)++;
	return ready_flag[idx(e)];
}

static unsigned int pick(struct sched_queue *q)
{
	return idx(sched_pick(q, is_ready, NULL));
}

/* A queue of @n entities, priorities @prio[], all ready. */
static void setup(struct sched_queue *q, unsigned int n, const u8 *prio)
{
	unsigned int i;

	*q = (struct sched_queue){ 0 };
	for (i = 0; i < 8; i++) {
		ready_flag[i] = i < n;
		sched_entity_init(&ents[i], i < n ? prio[i] : 0, SLICE);
	}
	for (i = 0; i < n; i++)
		sched_add(q, &ents[i]);
}

TEST(empty_queue_picks_nothing)
{
	struct sched_queue q = { 0 };

	CHECK(sched_pick(&q, is_ready, NULL) == NULL);
}

TEST(highest_ready_priority_runs)
{
	struct sched_queue q;
	const u8 prio[] = { 10, 31, 20 };

	setup(&q, 3, prio);
	CHECK_EQ(pick(&q), 1u);
	ready_flag[1] = false;
	CHECK_EQ(pick(&q), 2u);
	ready_flag[2] = false;
	CHECK_EQ(pick(&q), 0u);
	ready_flag[0] = false;
	CHECK_EQ(pick(&q), 99u);
}

TEST(equals_take_turns_at_slice_end)
{
	struct sched_queue q;
	const u8 prio[] = { 31, 31, 31 };
	unsigned int seen[3] = { 0 }, i, first;

	setup(&q, 3, prio);
	/* Added in order 0, 1, 2: they run in that order, then again. */
	first = pick(&q);
	CHECK_EQ(first, 0u);
	for (i = 0; i < 9; i++) {
		unsigned int e = pick(&q);

		CHECK_EQ(e, i % 3);
		seen[e]++;
		sched_stopped(&q, &ents[e], SLICE, SCHED_SLICE_END);
	}
	CHECK_EQ(seen[0], 3u);
	CHECK_EQ(seen[1], 3u);
	CHECK_EQ(seen[2], 3u);
}

TEST(blocking_ends_the_turn)
{
	struct sched_queue q;
	const u8 prio[] = { 31, 31 };

	setup(&q, 2, prio);
	CHECK_EQ(pick(&q), 0u);
	sched_stopped(&q, &ents[0], 5, SCHED_BLOCKED);
	ready_flag[0] = false;
	CHECK_EQ(pick(&q), 1u);
	/* Ready again: it waits for 1's turn to end. */
	ready_flag[0] = true;
	CHECK_EQ(pick(&q), 1u);
	sched_stopped(&q, &ents[1], SLICE, SCHED_SLICE_END);
	CHECK_EQ(pick(&q), 0u);
	/* And got a whole new slice. */
	CHECK_EQ(ents[0].slice_left, (u64)SLICE);
}

TEST(preempted_keeps_its_turn_and_the_rest_of_its_slice)
{
	struct sched_queue q;
	const u8 prio[] = { 31, 31 };

	setup(&q, 2, prio);
	CHECK_EQ(pick(&q), 0u);
	sched_stopped(&q, &ents[0], 30, SCHED_PREEMPTED);
	CHECK_EQ(ents[0].slice_left, (u64)(SLICE - 30));
	CHECK_EQ(pick(&q), 0u);
	sched_stopped(&q, &ents[0], 50, SCHED_PREEMPTED);
	CHECK_EQ(ents[0].slice_left, (u64)(SLICE - 80));
	CHECK_EQ(pick(&q), 0u);
	/* Preempted after the slice ran out: that is the end of its turn. */
	sched_stopped(&q, &ents[0], 20, SCHED_PREEMPTED);
	CHECK_EQ(ents[0].slice_left, (u64)SLICE);
	CHECK_EQ(pick(&q), 1u);
}

TEST(preempted_too_often_still_yields_to_equals)
{
	struct sched_queue q;
	const u8 prio[] = { 31, 31 };
	unsigned int i;

	/* Host interrupts every 10 ticks: 0 runs 10 times, then 1 gets the CPU. */
	setup(&q, 2, prio);
	for (i = 0; i < 10; i++) {
		CHECK_EQ(pick(&q), 0u);
		sched_stopped(&q, &ents[0], 10, SCHED_PREEMPTED);
	}
	CHECK_EQ(pick(&q), 1u);
}

TEST(only_a_higher_priority_preempts)
{
	struct sched_entity a, b, c;

	sched_entity_init(&a, 31, SLICE);
	sched_entity_init(&b, 31, SLICE);
	sched_entity_init(&c, 30, SLICE);
	CHECK(!sched_preempts(&b, &a));
	CHECK(!sched_preempts(&c, &a));
	CHECK(sched_preempts(&a, &c));
}

TEST(lower_priority_starves_while_higher_is_ready)
{
	struct sched_queue q;
	const u8 prio[] = { 5, 6 };
	unsigned int i;

	setup(&q, 2, prio);
	for (i = 0; i < 20; i++) {
		CHECK_EQ(pick(&q), 1u);
		sched_stopped(&q, &ents[1], SLICE, i % 2 ? SCHED_SLICE_END : SCHED_BLOCKED);
	}
}

TEST(add_and_remove_in_any_order)
{
	struct sched_queue q;
	const u8 prio[] = { 1, 2, 3, 4, 5 };

	setup(&q, 5, prio);
	sched_remove(&q, &ents[4]);
	CHECK(!ents[4].queued);
	CHECK_EQ(pick(&q), 3u);
	sched_remove(&q, &ents[0]);
	sched_remove(&q, &ents[0]);	/* twice: nothing */
	sched_remove(&q, &ents[2]);
	CHECK_EQ(pick(&q), 3u);
	sched_remove(&q, &ents[3]);
	CHECK_EQ(pick(&q), 1u);
	sched_add(&q, &ents[1]);	/* queued already: nothing */
	sched_remove(&q, &ents[1]);
	CHECK(q.head == NULL);
	CHECK_EQ(pick(&q), 99u);
	/* Back in: behind nothing, it runs. */
	sched_add(&q, &ents[4]);
	CHECK(ents[4].queued);
	CHECK_EQ(pick(&q), 4u);
}

TEST(readded_goes_behind_its_equals)
{
	struct sched_queue q;
	const u8 prio[] = { 31, 31 };

	setup(&q, 2, prio);
	sched_remove(&q, &ents[0]);
	sched_add(&q, &ents[0]);
	CHECK_EQ(pick(&q), 1u);
}

TEST(pick_skips_ready_checks_it_cannot_need)
{
	struct sched_queue q;
	const u8 prio[] = { 40, 10, 10, 10 };
	unsigned int asked = 0;

	/* The most urgent comes first in the scan: nobody after it is asked. */
	setup(&q, 4, prio);
	sched_remove(&q, &ents[0]);
	sched_add(&q, &ents[0]);	/* head of the list */
	CHECK_EQ(idx(sched_pick(&q, is_ready, &asked)), 0u);
	CHECK_EQ(asked, 1u);
}

TEST(priority_and_slice_are_clamped)
{
	struct sched_entity e;

	sched_entity_init(&e, 200, 0);
	CHECK_EQ(e.prio, SCHED_PRIO_MAX);
	CHECK_EQ(e.timeslice, (u64)1);
	CHECK_EQ(e.slice_left, (u64)1);
}
