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

/* el1_sysregs_save() and _restore() are in guest_entry.S, in this order: */
_Static_assert(__builtin_offsetof(struct el1_sysregs, csselr) == 8 * (EL1_SYSREGS_NR - 1),
	       "el1_sysregs layout");
_Static_assert(__builtin_offsetof(struct el1_sysregs, pauth) == 8 * EL1_SYSREGS_NR,
	       "el1_sysregs layout");

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

/* Inlined: gic_lrs_load()'s loop runs on every guest entry and RM run. */
static inline __attribute__((always_inline)) void lr_write(unsigned int n, u64 v)
{
	switch (n) {
	LR_CASE_W(0, c12, 0); LR_CASE_W(1, c12, 1); LR_CASE_W(2, c12, 2);
	LR_CASE_W(3, c12, 3); LR_CASE_W(4, c12, 4); LR_CASE_W(5, c12, 5);
	LR_CASE_W(6, c12, 6); LR_CASE_W(7, c12, 7); LR_CASE_W(8, c13, 0);
	LR_CASE_W(9, c13, 1); LR_CASE_W(10, c13, 2); LR_CASE_W(11, c13, 3);
	LR_CASE_W(12, c13, 4); LR_CASE_W(13, c13, 5); LR_CASE_W(14, c13, 6);
	LR_CASE_W(15, c13, 7);
	}
}

void gic_lrs_load(const u64 *lr, unsigned int n)
{
	unsigned int i, end = MAX(n, this_cpu()->lrs_loaded);

	for (i = 0; i < end; i++)
		lr_write(i, i < n ? lr[i] : 0);
	this_cpu()->lrs_loaded = n;
}

void gic_lr_write(unsigned int n, u64 v)
{
	lr_write(n, v);
	if (n >= this_cpu()->lrs_loaded)
		this_cpu()->lrs_loaded = n + 1;
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
