// SPDX-License-Identifier: GPL-2.0-only
/* The RM's vCPU in the CPU; see arch/rm_run.h. */
#include <arch/cpu.h>
#include <arch/rm_run.h>
#include <arch/sysreg.h>

void arch_rm_load(const struct el1_sysregs *el1, const struct arch_rm_gic *gic, u64 vttbr,
		  struct arch_rm_host *host)
{
	host->hcr = read_sysreg(hcr_el2);
	host->mdcr = read_sysreg(mdcr_el2);
	host->cptr = read_sysreg(cptr_el2);
	host->cnthctl = read_sysreg(cnthctl_el2);
	host->vttbr = read_sysreg(vttbr_el2);
	host->elr = read_sysreg(elr_el2);
	host->spsr = read_sysreg(spsr_el2);
	host->ich_hcr = read_sysreg(ICH_HCR_EL2);
	el1_sysregs_save(&host->el1);

	/*
	 * The host's list registers as they are (only those that may be
	 * full), to be put back unchanged: what comes for the host meanwhile
	 * goes to its model, and into the list registers on the way back.
	 */
	host->nr_lr = this_cpu()->lrs_loaded;
	gic_lrs_read(host->lr, host->nr_lr);
	gic_cpuif_save(&host->cpuif);
	gic_cpuif_restore(&gic->cpuif);
	gic_lrs_load(gic->lr, RM_NR_LRS);
	/* Its CPU interface on, nothing of it trapped, no maintenance interrupt. */
	write_sysreg(ICH_HCR_EN, ICH_HCR_EL2);
	/*
	 * Interrupts and SErrors to EL2 (its own are virtual), ID registers
	 * trapped, no pointer authentication, its MMU off but its memory
	 * Normal (DC).
	 */
	write_sysreg((host->hcr | HCR_IMO | HCR_FMO | HCR_AMO | HCR_TID3 | HCR_DC | HCR_TWI) &
		     ~(HCR_API | HCR_APK), hcr_el2);
	write_sysreg(host->mdcr | MDCR_EL2_TPM | MDCR_EL2_TPMCR | MDCR_EL2_TDA |
		     MDCR_EL2_TDOSA | MDCR_EL2_TDRA, mdcr_el2);
	/* FP/SIMD, SVE, SME, trace, AMU: none of the host's state for it to touch. */
	write_sysreg(CPTR_EL2_RES1 | CPTR_EL2_TZ | CPTR_EL2_TSM | CPTR_EL2_TTA | CPTR_EL2_TAM |
		     CPTR_EL2_TFP, cptr_el2);
	/* The physical counter, not the physical timer. */
	write_sysreg(CNTHCTL_EL1PCTEN, cnthctl_el2);
	write_sysreg(vttbr, vttbr_el2);
	isb();
	el1_sysregs_restore(el1);
}

void arch_rm_put(struct el1_sysregs *el1, struct arch_rm_gic *gic,
		 const struct arch_rm_host *host)
{
	el1_sysregs_save(el1);
	gic_lrs_read(gic->lr, RM_NR_LRS);
	gic_cpuif_save(&gic->cpuif);
	gic_cpuif_restore(&host->cpuif);
	gic_lrs_load(host->lr, host->nr_lr);
	write_sysreg(host->hcr, hcr_el2);
	write_sysreg(host->mdcr, mdcr_el2);
	write_sysreg(host->cptr, cptr_el2);
	write_sysreg(host->cnthctl, cnthctl_el2);
	write_sysreg(host->vttbr, vttbr_el2);
	write_sysreg(host->elr, elr_el2);
	write_sysreg(host->spsr, spsr_el2);
	write_sysreg(host->ich_hcr, ICH_HCR_EL2);
	isb();
	el1_sysregs_restore(&host->el1);
}
