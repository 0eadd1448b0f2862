// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-CPU EL2 state and the EL2 controls under which the primary VM runs:
 * stage 2 on, its SMCs trapped, everything else (GIC CPU interface, timers,
 * FP/SIMD/SVE/SME, PMU, pointer authentication) left to it.
 */
#include <arch/cpu.h>

struct hyp_cpu hyp_cpus[HYP_MAX_CPUS];
u8 hyp_stacks[HYP_MAX_CPUS][HYP_STACK_SIZE] __aligned(16);

int arch_pauth = -1;

bool arch_pauth_probe(void)
{
	arch_pauth = (read_sysreg(id_aa64isar1_el1) & ID_AA64ISAR1_PAUTH) ||
		     (read_sysreg(ID_AA64ISAR2_EL1) & ID_AA64ISAR2_PAUTH3);
	return arch_pauth;
}

static u64 host_hcr(void)
{
	/*
	 * Physical interrupts come to EL2 (the host's GIC is virtual); idle
	 * WFIs trap, so that the host does not sleep past its own interrupts.
	 */
	u64 hcr = HCR_VM | HCR_SWIO | HCR_FB | HCR_BSU_IS | HCR_TSC | HCR_RW | HCR_TWI |
		  HCR_IMO | HCR_FMO;

	/* With pointer authentication, leave its keys and instructions to EL1. */
	if (arch_has_pauth())
		hcr |= HCR_API | HCR_APK;
	return hcr;
}

static void host_fp_setup(void)
{
	u64 cptr = CPTR_EL2_RES1 | CPTR_EL2_TZ | CPTR_EL2_TSM;

	/* Vector lengths: EL1 may use the largest the CPU implements. */
	if (FIELD_GET(ID_AA64PFR0_SVE, read_sysreg(id_aa64pfr0_el1))) {
		cptr &= ~CPTR_EL2_TZ;
		write_sysreg(cptr, cptr_el2);
		isb();
		write_sysreg(ZCR_EL2_LEN_MAX, ZCR_EL2);
	}
	if (FIELD_GET(ID_AA64PFR1_SME, read_sysreg(id_aa64pfr1_el1))) {
		u64 smcr = SMCR_EL2_LEN_MAX;

		if (read_sysreg(ID_AA64SMFR0_EL1) & ID_AA64SMFR0_FA64)
			smcr |= SMCR_EL2_FA64;
		cptr &= ~CPTR_EL2_TSM;
		write_sysreg(cptr, cptr_el2);
		isb();
		write_sysreg(smcr, SMCR_EL2);
	}
	write_sysreg(cptr, cptr_el2);
}

static u64 host_mdcr(void)
{
	u64 pmuver = FIELD_GET(ID_AA64DFR0_PMUVER, read_sysreg(id_aa64dfr0_el1));

	/* All PMU counters to EL1; no debug or trace traps. */
	if (pmuver && pmuver != 0xf)
		return FIELD_GET(PMCR_N, read_sysreg(pmcr_el0));
	return 0;
}

void arch_host_cpu_setup(u64 vttbr, u64 vtcr)
{
	u64 mmfr0 = read_sysreg(id_aa64mmfr0_el1);

	host_fp_setup();
	write_sysreg(host_mdcr(), mdcr_el2);
	write_sysreg(CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN, cnthctl_el2);
	write_sysreg(0, cntvoff_el2);
	write_sysreg(read_sysreg(midr_el1), vpidr_el2);
	write_sysreg(read_sysreg(mpidr_el1), vmpidr_el2);
	write_sysreg(ICC_SRE_EL2_ALL, ICC_SRE_EL2);
	isb();
	write_sysreg(0, ICH_HCR_EL2);
	if (FIELD_GET(ID_AA64MMFR1_HCX, read_sysreg(id_aa64mmfr1_el1)))
		write_sysreg(0, HCRX_EL2);
	if (FIELD_GET(ID_AA64MMFR0_FGT, mmfr0)) {
		/* Reset values are UNKNOWN: no fine-grained traps. */
		write_sysreg(0, HFGRTR_EL2);
		write_sysreg(0, HFGWTR_EL2);
		write_sysreg(0, HFGITR_EL2);
		write_sysreg(0, HDFGRTR_EL2);
		write_sysreg(0, HDFGWTR_EL2);
	}
	write_sysreg(SCTLR_EL1_RESET, sctlr_el1);

	write_sysreg(vtcr, vtcr_el2);
	write_sysreg(vttbr, vttbr_el2);
	isb();
	asm volatile("tlbi vmalls12e1" : : : "memory");
	dsb(nsh);
	write_sysreg(host_hcr(), hcr_el2);
	isb();
}

void dcache_clean_range(const void *va, u64 size)
{
	u64 line = 4UL << FIELD_GET(GENMASK(19, 16), read_sysreg(ctr_el0));
	u64 p = ALIGN_DOWN((u64)va, line);
	u64 end = (u64)va + size;

	for (; p < end; p += line)
		asm volatile("dc cvac, %0" : : "r"(p) : "memory");
	dsb(sy);
}
