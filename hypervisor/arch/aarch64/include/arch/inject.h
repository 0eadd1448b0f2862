/* SPDX-License-Identifier: GPL-2.0-only */
/* Delivering a synchronous exception to a VM's EL1, as the CPU would. */
#ifndef ARCH_INJECT_H
#define ARCH_INJECT_H

#include <arch/guest_ctx.h>

/*
 * Take a synchronous exception with @esr and @far to EL1 from the context
 * at *@pc / *@pstate: EL1's ELR, SPSR, ESR and FAR are written, and *@pc
 * and *@pstate become the vector and EL1h. @el1 is the saved EL1 state
 * of a VM that is not loaded, or NULL for the live registers.
 */
void arch_inject_sync(u64 *pc, u64 *pstate, struct el1_sysregs *el1, u64 esr, u64 far);

/* Is @pstate EL0 (or AArch32)? */
bool arch_pstate_is_el0(u64 pstate);

#endif
