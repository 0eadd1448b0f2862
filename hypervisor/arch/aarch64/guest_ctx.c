// SPDX-License-Identifier: GPL-2.0-only
/* Saving and loading EL1 and GIC virtual-interface state; see arch/guest_ctx.h. */
#include <arch/cpu.h>
#include <arch/guest_ctx.h>
#include <arch/sysreg.h>

/* Pointer-authentication keys (by encoding: -march=armv8-a has no names). */
#define APIAKEYLO_EL1	s3_0_c2_c1_0
#define APIAKEYHI_EL1	s3_0_c2_c1_1
#define APIBKEYLO_EL1	s3_0_c2_c1_2
#define APIBKEYHI_EL1	s3_0_c2_c1_3
#define APDAKEYLO_EL1	s3_0_c2_c2_0
#define APDAKEYHI_EL1	s3_0_c2_c2_1
#define APDBKEYLO_EL1	s3_0_c2_c2_2
#define APDBKEYHI_EL1	s3_0_c2_c2_3
#define APGAKEYLO_EL1	s3_0_c2_c3_0
#define APGAKEYHI_EL1	s3_0_c2_c3_1

void el1_sysregs_save(struct el1_sysregs *r)
{
	r->sctlr = read_sysreg(sctlr_el1);
	r->cpacr = read_sysreg(cpacr_el1);
	r->ttbr0 = read_sysreg(ttbr0_el1);
	r->ttbr1 = read_sysreg(ttbr1_el1);
	r->tcr = read_sysreg(tcr_el1);
	r->esr = read_sysreg(esr_el1);
	r->afsr0 = read_sysreg(afsr0_el1);
	r->afsr1 = read_sysreg(afsr1_el1);
	r->far = read_sysreg(far_el1);
	r->mair = read_sysreg(mair_el1);
	r->amair = read_sysreg(amair_el1);
	r->vbar = read_sysreg(vbar_el1);
	r->contextidr = read_sysreg(contextidr_el1);
	r->tpidr_el0 = read_sysreg(tpidr_el0);
	r->tpidrro_el0 = read_sysreg(tpidrro_el0);
	r->tpidr_el1 = read_sysreg(tpidr_el1);
	r->sp_el0 = read_sysreg(sp_el0);
	r->sp_el1 = read_sysreg(sp_el1);
	r->elr = read_sysreg(elr_el1);
	r->spsr = read_sysreg(spsr_el1);
	r->par = read_sysreg(par_el1);
	r->cntkctl = read_sysreg(cntkctl_el1);
	r->csselr = read_sysreg(csselr_el1);
}

void pauth_keys_save(u64 k[PAUTH_NR_KEY_REGS])
{
	k[0] = read_sysreg(APIAKEYLO_EL1);
	k[1] = read_sysreg(APIAKEYHI_EL1);
	k[2] = read_sysreg(APIBKEYLO_EL1);
	k[3] = read_sysreg(APIBKEYHI_EL1);
	k[4] = read_sysreg(APDAKEYLO_EL1);
	k[5] = read_sysreg(APDAKEYHI_EL1);
	k[6] = read_sysreg(APDBKEYLO_EL1);
	k[7] = read_sysreg(APDBKEYHI_EL1);
	k[8] = read_sysreg(APGAKEYLO_EL1);
	k[9] = read_sysreg(APGAKEYHI_EL1);
}

void pauth_keys_restore(const u64 k[PAUTH_NR_KEY_REGS])
{
	write_sysreg(k[0], APIAKEYLO_EL1);
	write_sysreg(k[1], APIAKEYHI_EL1);
	write_sysreg(k[2], APIBKEYLO_EL1);
	write_sysreg(k[3], APIBKEYHI_EL1);
	write_sysreg(k[4], APDAKEYLO_EL1);
	write_sysreg(k[5], APDAKEYHI_EL1);
	write_sysreg(k[6], APDBKEYLO_EL1);
	write_sysreg(k[7], APDBKEYHI_EL1);
	write_sysreg(k[8], APGAKEYLO_EL1);
	write_sysreg(k[9], APGAKEYHI_EL1);
}

bool pauth_key_sysreg(u64 esr)
{
	/* Op0 3, Op1 0, CRn 2, CRm 1-3: the key registers (ISS of EC 0x18). */
	u64 iss = esr & ESR_ISS;
	u32 op0 = (iss >> 20) & 3, op1 = (iss >> 14) & 7, crn = (iss >> 10) & 0xf;
	u32 crm = (iss >> 1) & 0xf;

	return op0 == 3 && op1 == 0 && crn == 2 && crm >= 1 && crm <= 3;
}

void el1_sysregs_restore(const struct el1_sysregs *r)
{
	write_sysreg(r->sctlr, sctlr_el1);
	write_sysreg(r->cpacr, cpacr_el1);
	write_sysreg(r->ttbr0, ttbr0_el1);
	write_sysreg(r->ttbr1, ttbr1_el1);
	write_sysreg(r->tcr, tcr_el1);
	write_sysreg(r->esr, esr_el1);
	write_sysreg(r->afsr0, afsr0_el1);
	write_sysreg(r->afsr1, afsr1_el1);
	write_sysreg(r->far, far_el1);
	write_sysreg(r->mair, mair_el1);
	write_sysreg(r->amair, amair_el1);
	write_sysreg(r->vbar, vbar_el1);
	write_sysreg(r->contextidr, contextidr_el1);
	write_sysreg(r->tpidr_el0, tpidr_el0);
	write_sysreg(r->tpidrro_el0, tpidrro_el0);
	write_sysreg(r->tpidr_el1, tpidr_el1);
	write_sysreg(r->sp_el0, sp_el0);
	write_sysreg(r->sp_el1, sp_el1);
	write_sysreg(r->elr, elr_el1);
	write_sysreg(r->spsr, spsr_el1);
	write_sysreg(r->par, par_el1);
	write_sysreg(r->cntkctl, cntkctl_el1);
	write_sysreg(r->csselr, csselr_el1);
}

#define ICH_VTR_EL2	s3_4_c12_c11_1
#define ICH_AP0R0_EL2	s3_4_c12_c8_0
#define ICH_AP1R0_EL2	s3_4_c12_c9_0

unsigned int gic_nr_lrs(void)
{
	return (read_sysreg(ICH_VTR_EL2) & 0x1f) + 1;
}

void gic_cpuif_save(struct gic_cpuif_state *s)
{
	s->vmcr = read_sysreg(ICH_VMCR_EL2);
	s->ap0r0 = read_sysreg(ICH_AP0R0_EL2);
	s->ap1r0 = read_sysreg(ICH_AP1R0_EL2);
}

void gic_cpuif_restore(const struct gic_cpuif_state *s)
{
	write_sysreg(s->vmcr, ICH_VMCR_EL2);
	write_sysreg(s->ap0r0, ICH_AP0R0_EL2);
	write_sysreg(s->ap1r0, ICH_AP1R0_EL2);
}

/* ICH_LR<n>_EL2 are s3_4_c12_c12_<n> and s3_4_c12_c13_<n - 8>. */
#define LR_CASE_W(n, crm, op2) case n: write_sysreg(v, s3_4_c12_##crm##_##op2); break
#define LR_CASE_R(n, crm, op2) case n: lr[n] = read_sysreg(s3_4_c12_##crm##_##op2); break

void gic_lrs_load(const u64 *lr, unsigned int n)
{
	unsigned int i, end = MAX(n, this_cpu()->lrs_loaded);

	for (i = 0; i < end; i++) {
		u64 v = i < n ? lr[i] : 0;

		switch (i) {
		LR_CASE_W(0, c12, 0); LR_CASE_W(1, c12, 1); LR_CASE_W(2, c12, 2);
		LR_CASE_W(3, c12, 3); LR_CASE_W(4, c12, 4); LR_CASE_W(5, c12, 5);
		LR_CASE_W(6, c12, 6); LR_CASE_W(7, c12, 7); LR_CASE_W(8, c13, 0);
		LR_CASE_W(9, c13, 1); LR_CASE_W(10, c13, 2); LR_CASE_W(11, c13, 3);
		LR_CASE_W(12, c13, 4); LR_CASE_W(13, c13, 5); LR_CASE_W(14, c13, 6);
		LR_CASE_W(15, c13, 7);
		}
	}
	this_cpu()->lrs_loaded = n;
}

void gic_lrs_read(u64 *lr, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		switch (i) {
		LR_CASE_R(0, c12, 0); LR_CASE_R(1, c12, 1); LR_CASE_R(2, c12, 2);
		LR_CASE_R(3, c12, 3); LR_CASE_R(4, c12, 4); LR_CASE_R(5, c12, 5);
		LR_CASE_R(6, c12, 6); LR_CASE_R(7, c12, 7); LR_CASE_R(8, c13, 0);
		LR_CASE_R(9, c13, 1); LR_CASE_R(10, c13, 2); LR_CASE_R(11, c13, 3);
		LR_CASE_R(12, c13, 4); LR_CASE_R(13, c13, 5); LR_CASE_R(14, c13, 6);
		LR_CASE_R(15, c13, 7);
		}
	}
}
