// SPDX-License-Identifier: GPL-2.0-only
/*
 * Proxy scheduling (../shared/spec/abi.md §3): a guest vCPU runs only
 * inside its owner's vcpu_run hypercall, on the calling CPU, until
 * something needs the owner: a host interrupt (READY), WFI with nothing
 * pending (EXPECTS_WAKEUP), an access to an unbacked address (VMMIO_READ /
 * VMMIO_WRITE), power-off or the end of the VM. Everything else the guest
 * does is handled here without leaving the hypercall.
 *
 * A vCPU that waits (WFI, powered off) is woken through its wake-up
 * interrupt: when an interrupt is delivered to it, when another vCPU
 * powers it on, when the VM stops, and when its virtual timer expires.
 * For the last one the hypervisor keeps its own timer (INTID 26) armed,
 * on the CPUs that looked at the deadlines last, for the earliest one:
 * it fires whatever the host does, busy or idle.
 *
 * vCPUs that are not proxy-scheduled wait and wake the same way, but the
 * hypervisor runs them itself (core/vcpu_sched.c): a wake-up makes their
 * CPU look, instead of raising an interrupt for an owner.
 */
#include <arch/cpu.h>
#include <arch/gic.h>
#include <arch/guest_run.h>
#include <arch/sysreg.h>
#include <hyp/console.h>
#include <hyp/gunyah_abi.h>
#include <hyp/guest.h>
#include <hyp/host_gic.h>
#include <hyp/vcpu.h>

/* CNTV_CTL_EL0 */
#define CNTV_ENABLE	BIT(0)
#define CNTV_IMASK	BIT(1)

/*
 * Inside its owner's vcpu_run and staying there: an interrupt for it is
 * picked up without its wake-up interrupt (on another CPU, after a kick).
 * One that decided to wait is on its way out to sleep.
 */
static bool vcpu_in_run(const struct guest_vcpu *v)
{
	return v->running && !v->waiting;
}

void guest_kick_locked(struct hyp_guest *g, u32 mask)
{
	unsigned int i;

	/* The vCPUs of @mask, lowest first; most often there are none. */
	for (; mask; mask &= mask - 1) {
		struct guest_vcpu *v;

		i = __builtin_ctz(mask);
		if (i >= g->nr_vcpus)
			break;
		v = &g->vcpu[i];
		/*
		 * Running on another CPU: make it come out and look (on this
		 * CPU it will, before it enters the guest again).
		 */
		if (vcpu_in_run(v)) {
			if (v->host_cpu != this_cpu()->index)
				gic_kick_cpu(v->host_cpu);
			continue;
		}
		/* Its CPU looks at what it is ready for: cheap, and never lost. */
		if (v->scheduled) {
			guest_sched_wake(v);
			continue;
		}
		if (v->woken || !v->obj)
			continue;
		v->woken = true;
		virq_raise(v->obj->wakeup);
	}
}

void guest_exit_locked(struct hyp_guest *g, enum guest_exit why)
{
	if (g->exit != GUEST_RUNNING)
		return;
	g->exit = why;
	guest_kick_locked(g, BIT(g->nr_vcpus) - 1);
	/* The RM hears of it once the lock is dropped (it takes the lock). */
}

void guest_vcpu_reset(struct hyp_guest *g, struct guest_vcpu *v, u64 entry, u64 context)
{
	v->gprs = (struct guest_gprs){ 0 };
	v->gprs.x[0] = context;
	v->gprs.pc = entry;
	v->gprs.pstate = PSR_MODE_EL1h | PSR_DAIF;
	v->el1 = (struct el1_sysregs){ 0 };
	v->el1.sctlr = SCTLR_EL1_RESET;
	v->fp = (struct fp_state){ 0 };
	v->timer = (struct vtimer_state){ 0 };
	v->cpuif = (struct gic_cpuif_state){ 0 };
	v->mdscr = 0;
	v->mmio_pending = false;
	v->wfi = false;
	v->on = true;
}

/* Guest virtual-timer deadline in physical counter ticks, or 0 if none. */
static u64 timer_deadline(const struct hyp_guest *g, const struct guest_vcpu *v)
{
	if ((v->timer.ctl & (CNTV_ENABLE | CNTV_IMASK)) != CNTV_ENABLE)
		return 0;
	/* 0 means "none": a deadline at tick 0 is long past anyway. */
	return v->timer.cval + g->cntvoff ?: 1;
}

static bool timer_expired(const struct hyp_guest *g, const struct guest_vcpu *v, u64 now)
{
	u64 d = timer_deadline(g, v);

	return d && d <= now;
}

/*
 * The guests of this hypervisor, for the timer wake-ups; guests register
 * themselves the first time one of their vCPUs runs.
 */
#define MAX_TIMED_GUESTS	64
static struct hyp_guest *timed_guests[MAX_TIMED_GUESTS];
static spinlock_t timed_lock;

void guest_timed_register(struct hyp_guest *g)
{
	unsigned int i, free = MAX_TIMED_GUESTS;

	/* Set under timed_lock, cleared by guest_forget(): a hint here. */
	if (g->timed)
		return;
	spin_lock(&timed_lock);
	for (i = 0; i < MAX_TIMED_GUESTS; i++) {
		if (timed_guests[i] == g)
			break;
		if (!timed_guests[i] && free == MAX_TIMED_GUESTS)
			free = i;
	}
	if (i == MAX_TIMED_GUESTS && free < MAX_TIMED_GUESTS)
		timed_guests[free] = g;
	g->timed = i < MAX_TIMED_GUESTS || free < MAX_TIMED_GUESTS;
	spin_unlock(&timed_lock);
}

void guest_forget(struct hyp_guest *g)
{
	unsigned int i;

	guest_sched_forget(g);

	spin_lock(&timed_lock);
	for (i = 0; i < MAX_TIMED_GUESTS; i++)
		if (timed_guests[i] == g)
			timed_guests[i] = NULL;
	g->timed = false;
	spin_unlock(&timed_lock);
}

/*
 * Wake the vCPUs whose timer expired while they wait in WFI. Returns the
 * earliest deadline still to come (physical counter), or 0.
 */
static u64 guest_timers_poll(void)
{
	u64 now = read_sysreg(cntpct_el0), next = 0;
	unsigned int i, c;

	spin_lock(&timed_lock);
	for (i = 0; i < MAX_TIMED_GUESTS; i++) {
		struct hyp_guest *g = timed_guests[i];

		if (!g)
			continue;
		spin_lock(&g->lock);
		for (c = 0; c < g->nr_vcpus; c++) {
			struct guest_vcpu *v = &g->vcpu[c];
			u64 d = timer_deadline(g, v);

			if (!v->wfi || v->woken || vcpu_in_run(v) || !d)
				continue;
			if (d <= now)
				guest_kick_locked(g, BIT(c));
			else if (!next || d < next)
				next = d;
		}
		spin_unlock(&g->lock);
	}
	spin_unlock(&timed_lock);
	return next;
}

/* The deadlines of each CPU's hypervisor timer (guest.h), 0 for none. */
static struct {
	u64 host_tick;
	u64 wake_next;
	u64 slice_end;
} cpu_timer[HYP_MAX_CPUS];

static u64 earliest(u64 a, u64 b)
{
	return !a ? b : !b ? a : MIN(a, b);
}

static void hyp_timer_program(void)
{
	unsigned int cpu = this_cpu()->index;
	u64 d = earliest(earliest(cpu_timer[cpu].host_tick, cpu_timer[cpu].wake_next),
			 cpu_timer[cpu].slice_end);

	if (d)
		arch_hyp_timer_arm(d);
	else
		arch_hyp_timer_disarm();
}

void guest_timers_rearm(void)
{
	cpu_timer[this_cpu()->index].wake_next = guest_timers_poll();
	hyp_timer_program();
}

void guest_hyp_timer_slice(u64 deadline)
{
	cpu_timer[this_cpu()->index].slice_end = deadline;
	hyp_timer_program();
}

void guest_host_tick(u64 deadline)
{
	cpu_timer[this_cpu()->index].host_tick = deadline;
	hyp_timer_program();
}

void guest_host_untick(void)
{
	/*
	 * The timer stays armed for the host's deadline, which the next load
	 * most likely asks for again: if it fires meanwhile, the interrupt
	 * re-arms it for what is left (guest_hyp_timer_expired()).
	 */
	cpu_timer[this_cpu()->index].host_tick = 0;
}

bool guest_hyp_timer_expired(void)
{
	u64 tick = cpu_timer[this_cpu()->index].host_tick;

	guest_timers_rearm();
	return tick && tick <= read_sysreg(cntpct_el0);
}

void guest_host_idle(void)
{
	unsigned int flags;

	guest_sched_set_idle(true);
	for (;;) {
		guest_timers_rearm();
		/*
		 * Like the WFI itself: it completes at once if an interrupt
		 * is pending, also one that the poll just raised for this CPU
		 * (a vCPU's wake-up), which no physical interrupt announces.
		 */
		if (host_gic_pending())
			break;
		/* The host's idle time is its Gunyah-scheduled vCPUs'. */
		if (guest_sched_run_idle())
			break;
		/* Woken by any physical interrupt, even one for the hypervisor only. */
		asm volatile("wfi" : : : "memory");
		flags = hyp_irq_handle(false);
		if (flags & HYP_IRQ_HOST)
			break;
	}
	guest_sched_set_idle(false);
}

/* Finish the VMMIO access the guest was stopped on, with the owner's answer. */
static void mmio_complete(struct guest_vcpu *v, const u64 resume[3])
{
	struct mmio_access *a = &v->mmio;

	v->mmio_pending = false;
	switch (resume[1]) {
	case VCPU_RESUME_RETRY:
		return;
	case VCPU_RESUME_FAULT:
		arch_guest_inject_dabt(v, a->ipa, a->write);
		return;
	default:
		break;
	}
	if (!a->write && a->reg != 31)
		v->gprs.x[a->reg] = mmio_read_value(a, resume[0]);
	v->gprs.pc += 4;
}

int guest_vcpu_wait_state(struct hyp_guest *g, struct guest_vcpu *v, u64 out[4])
{
	if (g->exit != GUEST_RUNNING) {
		if (g->exit == GUEST_EXIT_RESET && v->on && !v->reset_reported) {
			v->reset_reported = true;
			out[1] = VCPU_RUN_RESET_IS_SYSTEM_RESET;
			return VCPU_RUN_PSCI_SYSTEM_RESET;
		}
		if (g->exit == GUEST_EXIT_FAULT && v->on && !v->reset_reported) {
			v->reset_reported = true;
			return VCPU_RUN_FAULT;
		}
		out[1] = VCPU_RUN_POWEROFF_EXITED;
		return VCPU_RUN_POWERED_OFF;
	}
	if (!v->on && v->on_pending) {
		v->on_pending = false;
		guest_vcpu_reset(g, v, v->on_entry, v->on_context);
	}
	if (!v->on) {
		v->woken = false;
		v->waiting = true;
		return VCPU_RUN_POWERED_OFF;
	}
	if (v->wfi) {
		if (vgic_has_pending(&g->vgic, v - g->vcpu) ||
		    timer_expired(g, v, read_sysreg(cntpct_el0))) {
			v->wfi = false;
		} else {
			v->woken = false;
			v->waiting = true;
			out[2] = VCPU_RUN_WAKEUP_FROM_WFI;
			return VCPU_RUN_EXPECTS_WAKEUP;
		}
	}
	return -1;
}

bool guest_vcpu_ready_locked(struct hyp_guest *g, struct guest_vcpu *v, u64 now)
{
	unsigned int idx = v - g->vcpu;

	if (!g->started || g->exit != GUEST_RUNNING || v->running)
		return false;
	if (!v->on)
		return v->on_pending;
	return !v->wfi || vgic_has_pending(&g->vgic, idx) || timer_expired(g, v, now);
}

void guest_vcpu_left(struct hyp_guest *g, struct guest_vcpu *v)
{
	bool halt;

	spin_lock(&g->lock);
	v->running = false;
	halt = g->exit != GUEST_RUNNING && g->exit != GUEST_EXIT_STOPPED && !g->halt_raised;
	if (halt)
		g->halt_raised = true;
	spin_unlock(&g->lock);
	if (halt)
		virq_raise(g->halt);
}

int guest_vcpu_enter_state(struct hyp_guest *g, struct guest_vcpu *v, u64 out[4])
{
	int state;

	/*
	 * On, not in WFI, its VM running: it enters, no lock needed. Only
	 * this vCPU changes the first two; whoever ends the VM kicks it, and
	 * the kick brings it back here.
	 */
	if (v->on && !v->wfi && READ_ONCE(g->exit) == GUEST_RUNNING)
		return -1;
	spin_lock(&g->lock);
	state = guest_vcpu_wait_state(g, v, out);
	spin_unlock(&g->lock);
	return state;
}

/* Run @v until it needs its owner; returns the vcpu_run state. */
static u64 vcpu_run_loop(struct hyp_guest *g, struct guest_vcpu *v, u64 out[4])
{
	struct arch_host_save host;
	bool loaded = false;
	int state;

	for (;;) {
		state = guest_vcpu_enter_state(g, v, out);
		if (state >= 0)
			break;
		if (!loaded) {
			arch_guest_load(g, v, &host);
			loaded = true;
		}
		state = arch_guest_run_once(g, v, out);
		if (state >= 0)
			break;
	}
	if (loaded)
		arch_guest_put(g, v, &host);
	return state;
}

int guest_vcpu_run(struct vcpu *obj, const u64 resume[3], u64 out[4])
{
	struct hyp_guest *g = obj->guest;
	struct guest_vcpu *v;

	out[0] = out[1] = out[2] = out[3] = 0;
	if (!g || obj->index >= g->nr_vcpus)
		return GUNYAH_ERROR_OBJECT_STATE;
	v = &g->vcpu[obj->index];
	spin_lock(&g->lock);
	if (!g->started) {
		spin_unlock(&g->lock);
		out[0] = VCPU_RUN_POWERED_OFF;
		return GUNYAH_ERROR_OK;
	}
	/* The hypervisor runs it, or someone else does already. */
	if (v->scheduled || v->running) {
		spin_unlock(&g->lock);
		return GUNYAH_ERROR_BUSY;
	}
	/* The resume action of a pending VMMIO access: emulate, retry, fault. */
	if (v->mmio_pending && resume[1] > VCPU_RESUME_FAULT) {
		spin_unlock(&g->lock);
		return GUNYAH_ERROR_ARG_INVAL;
	}
	v->running = true;
	v->waiting = false;
	v->host_cpu = this_cpu()->index;
	spin_unlock(&g->lock);
	guest_timed_register(g);

	if (v->mmio_pending)
		mmio_complete(v, resume);
	out[0] = vcpu_run_loop(g, v, out);
	/* A new deadline to keep, maybe the earliest: this CPU's timer keeps it. */
	if (out[0] == VCPU_RUN_EXPECTS_WAKEUP)
		guest_timers_rearm();

	guest_vcpu_left(g, v);
	return GUNYAH_ERROR_OK;
}
