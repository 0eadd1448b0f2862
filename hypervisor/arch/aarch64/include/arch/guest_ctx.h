/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The EL1 context of a guest vCPU and of the host it displaces. A guest
 * runs only inside its owner's vcpu_run call, on the calling CPU: the
 * hypervisor saves the host's EL1 state, loads the guest's, enters it with
 * guest_enter(), and swaps them back before vcpu_run returns.
 */
#ifndef ARCH_GUEST_CTX_H
#define ARCH_GUEST_CTX_H

#define GPRS_PC		248
#define GPRS_SIZE	264

/* The registers of struct el1_sysregs before its keys (guest_entry.S). */
#define EL1_SYSREGS_NR	23

/* guest_enter() results: why the guest left */
#define GUEST_TRAP_SYNC		0
#define GUEST_TRAP_IRQ		1
#define GUEST_TRAP_FIQ		2
#define GUEST_TRAP_SERROR	3

#ifndef __ASSEMBLER__
#include <hyp/types.h>

struct guest_gprs {
	u64 x[31];
	u64 pc;
	u64 pstate;
};

_Static_assert(__builtin_offsetof(struct guest_gprs, pc) == GPRS_PC, "gprs layout");
_Static_assert(sizeof(struct guest_gprs) == GPRS_SIZE, "gprs layout");

/*
 * The EL1 registers a guest may change, switched at every vcpu_run. The
 * order is guest_entry.S's, which saves and loads them in pairs.
 */
struct el1_sysregs {
	u64 sctlr, cpacr, ttbr0, ttbr1, tcr, esr, afsr0, afsr1, far, mair, amair, vbar;
	u64 contextidr, tpidr_el0, tpidrro_el0, tpidr_el1, sp_el0, sp_el1, elr, spsr, par;
	u64 cntkctl, csselr;
	u64 pauth[10];		/* APIA, APIB, APDA, APDB, APGA keys: lo, hi */
};

#define PAUTH_NR_KEY_REGS	10

struct fp_state {
	u64 q[64];		/* V0-V31 */
	u64 fpsr, fpcr;
};

struct vtimer_state {
	u64 ctl, cval;
};

/* The GIC virtual CPU interface beyond the list registers. */
struct gic_cpuif_state {
	u64 vmcr, ap0r0, ap1r0;
};

/* Enter the guest with @gprs; returns a GUEST_EXIT_* with @gprs updated. */
u64 guest_enter(struct guest_gprs *gprs);

void fp_save(struct fp_state *fp);
void fp_restore(const struct fp_state *fp);

/* EL1's system registers, but for the pointer-authentication keys: */
void el1_sysregs_save(struct el1_sysregs *r);
void el1_sysregs_restore(const struct el1_sysregs *r);

/* those, with pointer authentication (arch_has_pauth()) only. */
void pauth_keys_save(u64 k[PAUTH_NR_KEY_REGS]);
void pauth_keys_restore(const u64 k[PAUTH_NR_KEY_REGS]);

/* Is the trapped system-register access of @esr (EC 0x18) one to a key register? */
bool pauth_key_sysreg(u64 esr);

/* The guest's list registers, ICH_HCR_EL2 and the rest of the CPU interface. */
unsigned int gic_nr_lrs(void);
/*
 * Load @n list registers from @lr and empty those after them that the
 * last load filled: the CPU never fills an empty one itself, so the rest
 * are empty already.
 */
void gic_lrs_load(const u64 *lr, unsigned int n);
void gic_lrs_read(u64 *lr, unsigned int n);
/* List register @n only. */
void gic_lr_write(unsigned int n, u64 v);
void gic_cpuif_save(struct gic_cpuif_state *s);
void gic_cpuif_restore(const struct gic_cpuif_state *s);
#endif

#endif
