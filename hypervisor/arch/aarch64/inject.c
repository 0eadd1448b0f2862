// SPDX-License-Identifier: GPL-2.0-only
/* Exception injection into EL1; see arch/inject.h. */
#include <arch/inject.h>
#include <arch/sysreg.h>

/* Offset in VBAR_EL1 of the synchronous vector for an exception from @spsr. */
static u64 el1_sync_vector(u64 spsr)
{
	if (spsr & PSR_MODE32)
		return 0x600;
	switch (spsr & PSR_MODE_MASK) {
	case PSR_MODE_EL0t:
		return 0x400;
	case PSR_MODE_EL1t:
		return 0x000;
	default:
		return 0x200;
	}
}

bool arch_pstate_is_el0(u64 pstate)
{
	return (pstate & PSR_MODE32) || (pstate & PSR_MODE_MASK) == PSR_MODE_EL0t;
}

void arch_inject_sync(u64 *pc, u64 *pstate, struct el1_sysregs *el1, u64 esr, u64 far)
{
	u64 sctlr = el1 ? el1->sctlr : read_sysreg(sctlr_el1);
	u64 vbar = el1 ? el1->vbar : read_sysreg(vbar_el1);
	u64 spsr = PSR_MODE_EL1h | PSR_DAIF;

	/* PSTATE.PAN is set on entry unless SCTLR_EL1.SPAN says keep it. */
	if (!(sctlr & SCTLR_EL1_SPAN) || (*pstate & PSR_PAN))
		spsr |= PSR_PAN;
	if (sctlr & SCTLR_EL1_DSSBS)
		spsr |= PSR_SSBS;

	if (el1) {
		el1->elr = *pc;
		el1->spsr = *pstate;
		el1->esr = esr;
		el1->far = far;
	} else {
		write_sysreg(*pc, elr_el1);
		write_sysreg(*pstate, spsr_el1);
		write_sysreg(esr, esr_el1);
		write_sysreg(far, far_el1);
	}
	*pc = vbar + el1_sync_vector(*pstate);
	*pstate = spsr;
}
