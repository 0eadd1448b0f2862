/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A guest VM as the hypervisor runs it: its stage-2 address space, its
 * virtual GIC and its vCPUs' contexts. The resource manager builds it
 * through its hypercalls (core/rm_hypcall.c, hyp/guest_ops.h); the owner's vcpu_run calls execute it.
 *
 * One lock per guest protects the vGIC and the vCPUs' power and wait
 * states; it is never held while a guest runs.
 */
#ifndef HYP_GUEST_H
#define HYP_GUEST_H

#include <arch/guest_ctx.h>
#include <hyp/guest_exit.h>
#include <hyp/guest_ops.h>
#include <hyp/mmio.h>
#include <hyp/pgtable.h>
#include <hyp/sched.h>
#include <hyp/spinlock.h>
#include <hyp/vgic.h>
#include <hyp/virq.h>

struct vcpu;

/* vcpu_run states (../shared/spec/abi.md §3.2) */
#define VCPU_RUN_READY			0
#define VCPU_RUN_EXPECTS_WAKEUP		1
#define VCPU_RUN_POWERED_OFF		2
#define VCPU_RUN_BLOCKED		3
#define VCPU_RUN_VMMIO_READ		4
#define VCPU_RUN_VMMIO_WRITE		5
#define VCPU_RUN_FAULT			6
#define VCPU_RUN_PSCI_SYSTEM_RESET	0x100
#define VCPU_RUN_POWEROFF_EXITED	BIT(0)
#define VCPU_RUN_RESET_IS_SYSTEM_RESET	BIT(63)
#define VCPU_RUN_WAKEUP_FROM_WFI	1

/* resume_data_1 after a VMMIO exit */
#define VCPU_RESUME_EMULATE		0
#define VCPU_RESUME_RETRY		1
#define VCPU_RESUME_FAULT		2

struct guest_vcpu {
	struct guest_gprs gprs;
	struct el1_sysregs el1;
	struct fp_state fp;
	struct vtimer_state timer;
	/* Its timer's line was high or its interrupt in flight at the last look. */
	bool vtimer_hot;
	/* FP/SIMD: its registers are in the CPU; loads left to switch them at once. */
	bool fp_live;
	u8 fp_eager;
	/* The same for its pointer-authentication keys. */
	bool pauth_live;
	u8 pauth_eager;
	struct gic_cpuif_state cpuif;
	u64 mdscr;		/* MDSCR_EL1: debug is trapped and emulated */
	u64 mpidr;

	struct vcpu *obj;	/* the capability object: wake-up interrupt */
	bool on;
	bool wfi;		/* blocked in WFI: vcpu_run says EXPECTS_WAKEUP */
	bool woken;		/* the wake-up interrupt went out since it blocked */
	bool running;		/* inside its owner's vcpu_run */
	unsigned int host_cpu;	/* while running: the physical CPU's index */
	bool waiting;		/* running, but returning to its owner to wait */
	bool on_pending;	/* PSCI CPU_ON accepted while off */
	u64 on_entry, on_context;
	bool reset_reported;
	bool mmio_pending;	/* a VMMIO exit waits for its resume data */
	struct mmio_access mmio;

	/*
	 * Not proxy-scheduled: the hypervisor runs it (core/vcpu_sched.c)
	 * on physical CPU @affinity while that CPU's host vCPU is idle, by
	 * its priority and timeslice in @se. Its owner's vcpu_run is BUSY.
	 */
	bool scheduled;
	u16 affinity;		/* GUEST_CPU_NONE: it never runs */
	struct sched_entity se;
	struct hyp_guest *guest;
};


static inline struct guest_vcpu *guest_vcpu_of(struct sched_entity *e)
{
	return (struct guest_vcpu *)((char *)e - __builtin_offsetof(struct guest_vcpu, se));
}

/* An interrupt that an object (a doorbell) asserts in the guest: an SPI. */
struct guest_virq {
	struct virq virq;	/* first: the object holds a struct virq * */
	struct hyp_guest *g;
	u32 intid;
};

#define GUEST_MAX_VIRQS		16

struct hyp_guest {
	bool used;
	u16 vmid;
	u64 vttbr;
	struct pgtable s2;

	spinlock_t lock;
	bool started;
	enum guest_exit exit;
	struct virq *halt;	/* to the RM: the guest stopped by itself */
	bool halt_raised;
	bool timed;		/* in vcpu_run.c's list for timer wake-ups */
	u64 cntvoff;
	unsigned int nr_vcpus;
	struct guest_vcpu vcpu[VGIC_MAX_VCPUS];
	struct vgic_dist vgic;
	/* Where unclaimed stage-2 faults are VMMIO exits; set before the start */
	struct vmmio_ranges vmmio;
	struct guest_virq virqs[GUEST_MAX_VIRQS];
	unsigned int nr_virqs;
};

/* The guest is going away: no more timer wake-ups for it, nor runs of its vCPUs. */
void guest_forget(struct hyp_guest *g);

/*
 * A host CPU has nothing to do (a trapped WFI): run its Gunyah-scheduled
 * vCPUs, or wait, firing guest timers' wake-ups, until the host has an
 * interrupt.
 */
void guest_host_idle(void);

/*
 * The hypervisor timer of this CPU keeps two deadlines: the earliest
 * virtual-timer deadline of a vCPU waiting in WFI (all guests), and,
 * while a guest is loaded, the host's own virtual-timer deadline
 * (@deadline in physical counter ticks, 0 for none).
 */
void guest_host_tick(u64 deadline);

/* The guest was put: the host keeps its own deadline again. */
void guest_host_untick(void);

/*
 * The hypervisor timer fired on this CPU: wake the vCPUs whose deadline
 * passed and re-arm. Returns true if the host's deadline has passed.
 */
bool guest_hyp_timer_expired(void);

/* Guest PSCI and the other SMCCC calls a guest may make (core/vpsci.c). */
void vpsci_call(struct hyp_guest *g, struct guest_vcpu *v, u64 regs[8]);

/* With g->lock held: raise the wake-up interrupts of the vCPUs in @mask. */
void guest_kick_locked(struct hyp_guest *g, u32 mask);

/* With g->lock held: the guest stops (all vCPUs leave vcpu_run for good). */
void guest_exit_locked(struct hyp_guest *g, enum guest_exit why);

/* Reset @v to the architectural power-on state at @entry with x0 = @context. */
void guest_vcpu_reset(struct hyp_guest *g, struct guest_vcpu *v, u64 entry, u64 context);

/* ---- between the two ways of running vCPUs, vcpu_run.c and vcpu_sched.c ---- */

/*
 * With g->lock held: why @v cannot enter the guest now (a vcpu_run state,
 * with its data in @out), or -1 if it can. Applies a pending power-on; a
 * vCPU that must wait is marked so (waiting, not woken).
 */
int guest_vcpu_wait_state(struct hyp_guest *g, struct guest_vcpu *v, u64 out[4]);

/* guest_vcpu_wait_state() without the lock when @v can obviously enter: -1. */
int guest_vcpu_enter_state(struct hyp_guest *g, struct guest_vcpu *v, u64 out[4]);

/* With g->lock held: could @v enter the guest now (and nobody runs it)? */
bool guest_vcpu_ready_locked(struct hyp_guest *g, struct guest_vcpu *v, u64 now);

/* @v stopped running on this CPU: tell the RM if its guest ended by itself. */
void guest_vcpu_left(struct hyp_guest *g, struct guest_vcpu *v);

/* @g's vCPUs may wait on their virtual timers: keep their wake-ups. */
void guest_timed_register(struct hyp_guest *g);

/* Fire the timer wake-ups that are due, keep this CPU's timer for the next. */
void guest_timers_rearm(void);

/* This CPU's timeslice end, in physical counter ticks (0: none), for its timer. */
void guest_hyp_timer_slice(u64 deadline);

/* The Gunyah-scheduled vCPUs (core/vcpu_sched.c). */
/* Queue the vCPUs of @g that the hypervisor schedules, at its start. */
void guest_sched_start(struct hyp_guest *g);
/* Take them out again; none of them runs (hyp_guest_busy() said so). */
void guest_sched_forget(struct hyp_guest *g);
/*
 * Wait a little for the scheduled vCPUs of @g, which ended, to leave the
 * CPUs running them (they were kicked): a reset that follows finds them
 * gone. Nothing for a guest still running.
 */
void guest_sched_quiesce(struct hyp_guest *g);
/* With g->lock held: @v has something to do; its CPU must look. */
void guest_sched_wake(struct guest_vcpu *v);
/*
 * Run this CPU's ready scheduled vCPUs while its host has nothing to do.
 * Returns true when the host has an interrupt, false when no vCPU is ready.
 */
bool guest_sched_run_idle(void);
/* This CPU waits in guest_host_idle() (@idle) or not: wake-ups kick it only then. */
void guest_sched_set_idle(bool idle);

#endif
