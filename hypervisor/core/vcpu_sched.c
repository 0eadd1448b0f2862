// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vCPUs the hypervisor schedules itself: those the RM configured with
 * an affinity, a priority and a timeslice rather than proxy scheduling
 * (Documentation/virt/gunyah/hypervisor.rst, "Scheduling").
 *
 * Each physical CPU has a queue of the scheduled vCPUs with an affinity
 * to it. The host's vCPU of that CPU comes first (the RM gives every
 * other VM a priority below the host's): the queue runs only in the
 * host's idle time, from its trapped WFI, and gives the CPU back as soon
 * as an interrupt comes for the host. Among themselves the queue's vCPUs
 * follow core/sched.c: the highest priority that is ready runs, equals
 * take turns of one timeslice, a more urgent vCPU that becomes ready
 * preempts at once.
 *
 * A vCPU is ready when its guest runs, it is powered on (or about to be)
 * and not waiting in WFI with nothing pending. Whatever makes it ready
 * (an interrupt, a power-on, its timer) goes through guest_kick_locked(),
 * which lands in guest_sched_wake(): that marks its CPU for a new look
 * and, if that CPU is idle, kicks it with the hypervisor's SGI.
 *
 * Locks: a queue's lock, then a guest's. The guest lock is never held
 * while a queue lock is taken.
 */
#include <arch/cpu.h>
#include <arch/gic.h>
#include <arch/guest_run.h>
#include <arch/sysreg.h>
#include <hyp/guest.h>
#include <hyp/host_gic.h>
#include <hyp/sched.h>

#define dmb_ish()	asm volatile("dmb ish" : : : "memory")

struct cpu_sched {
	spinlock_t lock;	/* the queue */
	struct sched_queue q;
	bool idle;		/* in guest_host_idle(): a wake-up must kick it */
	bool resched;		/* a vCPU of this CPU may have become ready */
};

static struct cpu_sched cpu_sched[HYP_MAX_CPUS];

static bool has_cpu(const struct guest_vcpu *v)
{
	return v->scheduled && v->affinity < HYP_MAX_CPUS;
}

/* Put the scheduled vCPUs of @g in their CPUs' queues, or take them out. */
static void sched_queue_all(struct hyp_guest *g, bool add)
{
	unsigned int i;

	for (i = 0; i < g->nr_vcpus; i++) {
		struct guest_vcpu *v = &g->vcpu[i];
		struct cpu_sched *cs;

		if (!has_cpu(v))
			continue;
		cs = &cpu_sched[v->affinity];
		spin_lock(&cs->lock);
		if (add)
			sched_add(&cs->q, &v->se);
		else
			sched_remove(&cs->q, &v->se);
		spin_unlock(&cs->lock);
	}
}

void guest_sched_start(struct hyp_guest *g)
{
	sched_queue_all(g, true);
	guest_timed_register(g);
	/* The boot vCPU is on: its CPU looks. */
	spin_lock(&g->lock);
	guest_kick_locked(g, BIT(g->nr_vcpus) - 1);
	spin_unlock(&g->lock);
}

void guest_sched_forget(struct hyp_guest *g)
{
	sched_queue_all(g, false);
}

void guest_sched_quiesce(struct hyp_guest *g)
{
	/* At most 1 ms: a kicked CPU leaves the guest at its next instruction. */
	u64 until = read_sysreg(cntpct_el0) + read_sysreg(cntfrq_el0) / 1000;
	unsigned int i;
	bool running;

	do {
		running = false;
		spin_lock(&g->lock);
		/* Only an ended guest: a running one would start again at once. */
		if (g->exit != GUEST_RUNNING)
			for (i = 0; i < g->nr_vcpus; i++)
				running |= g->vcpu[i].scheduled && g->vcpu[i].running;
		spin_unlock(&g->lock);
	} while (running && read_sysreg(cntpct_el0) < until);
}

void guest_sched_wake(struct guest_vcpu *v)
{
	struct cpu_sched *cs;
	unsigned int cpu = v->affinity;

	if (!has_cpu(v))
		return;
	cs = &cpu_sched[cpu];
	WRITE_ONCE(cs->resched, true);
	/* Pairs with guest_sched_set_idle(): either it sees resched, or we see idle. */
	dmb_ish();
	if (cpu != this_cpu()->index && READ_ONCE(cs->idle))
		gic_kick_cpu(cpu);
}

void guest_sched_set_idle(bool idle)
{
	WRITE_ONCE(cpu_sched[this_cpu()->index].idle, idle);
	dmb_ish();
}

/* sched_pick()'s question, under the queue's lock. */
static bool vcpu_ready(struct sched_entity *e, void *arg)
{
	struct guest_vcpu *v = guest_vcpu_of(e);
	struct hyp_guest *g = v->guest;
	bool ready;

	spin_lock(&g->lock);
	ready = guest_vcpu_ready_locked(g, v, *(const u64 *)arg);
	spin_unlock(&g->lock);
	return ready;
}

/*
 * The vCPU this CPU runs next, marked running (so that its guest cannot
 * go away under it), or NULL.
 */
static struct guest_vcpu *sched_claim(struct cpu_sched *cs)
{
	struct guest_vcpu *v = NULL;
	struct sched_entity *e;

	spin_lock(&cs->lock);
	for (;;) {
		u64 now = read_sysreg(cntpct_el0);
		bool claimed;

		e = sched_pick(&cs->q, vcpu_ready, &now);
		if (!e)
			break;
		v = guest_vcpu_of(e);
		spin_lock(&v->guest->lock);
		claimed = guest_vcpu_ready_locked(v->guest, v, now);
		if (claimed) {
			v->running = true;
			v->waiting = false;
			v->host_cpu = this_cpu()->index;
		}
		spin_unlock(&v->guest->lock);
		if (claimed)
			break;
		v = NULL;
	}
	spin_unlock(&cs->lock);
	return v;
}

/* While @v runs: is a vCPU of higher priority ready on this CPU? */
static bool sched_outranked(struct cpu_sched *cs, struct guest_vcpu *v)
{
	u64 now = read_sysreg(cntpct_el0);
	struct sched_entity *e;

	WRITE_ONCE(cs->resched, false);
	dmb_ish();
	spin_lock(&cs->lock);
	e = sched_pick(&cs->q, vcpu_ready, &now);
	spin_unlock(&cs->lock);
	return e && sched_preempts(e, &v->se);
}

/*
 * Run @v, claimed, until it waits, its slice ends, a more urgent vCPU is
 * ready or the host has an interrupt (then true).
 */
static bool sched_run(struct cpu_sched *cs, struct guest_vcpu *v)
{
	struct hyp_guest *g = v->guest;
	u64 start = read_sysreg(cntpct_el0), out[4];
	u64 slice_end = start + v->se.slice_left;
	enum sched_stop why = SCHED_BLOCKED;
	struct arch_host_save host;
	bool loaded = false, to_host = false;
	int state;

	guest_hyp_timer_slice(slice_end);
	for (;;) {
		state = guest_vcpu_enter_state(g, v, out);
		if (state >= 0)
			break;
		if (!loaded) {
			arch_guest_load(g, v, &host);
			loaded = true;
		}
		state = arch_guest_run_once(g, v, out);
		if (state == VCPU_RUN_READY) {
			why = SCHED_PREEMPTED;
			to_host = true;
			break;
		}
		/* No VMMIO exits: those are aborts for this vCPU (s2_abort()). */
		if (state >= 0)
			break;
		if (read_sysreg(cntpct_el0) >= slice_end) {
			why = SCHED_SLICE_END;
			break;
		}
		if (READ_ONCE(cs->resched) && sched_outranked(cs, v)) {
			why = SCHED_PREEMPTED;
			break;
		}
	}
	if (loaded)
		arch_guest_put(g, v, &host);
	guest_hyp_timer_slice(0);
	/* Waiting on its timer, maybe the earliest deadline: this CPU's timer keeps it. */
	if (state == VCPU_RUN_EXPECTS_WAKEUP)
		guest_timers_rearm();

	spin_lock(&cs->lock);
	sched_stopped(&cs->q, &v->se, read_sysreg(cntpct_el0) - start, why);
	spin_unlock(&cs->lock);
	guest_vcpu_left(g, v);
	return to_host;
}

bool guest_sched_run_idle(void)
{
	struct cpu_sched *cs = &cpu_sched[this_cpu()->index];
	struct guest_vcpu *v;

	/* Nothing queued here: the common case costs one load. */
	if (!READ_ONCE(cs->q.head))
		return false;
	for (;;) {
		WRITE_ONCE(cs->resched, false);
		dmb_ish();
		v = sched_claim(cs);
		if (!v)
			return false;
		if (sched_run(cs, v))
			return true;
		if (host_gic_pending())
			return true;
	}
}
