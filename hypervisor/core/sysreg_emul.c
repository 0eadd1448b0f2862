// SPDX-License-Identifier: GPL-2.0-only
/*
 * Trapped system registers of guests; see include/hyp/sysreg_emul.h.
 *
 * Guests get what the hypervisor switches for them: no SVE, SME, MTE,
 * AMU, MPAM, SPE, trace or PMU (their state is not context-switched), and
 * AArch64 only at EL0 and EL1. Debug registers read as zero and ignore
 * writes, except MDSCR_EL1, which the kernel expects to read back.
 */
#include <hyp/sysreg_emul.h>

#define ISS_SYS_DIR_READ	BIT(0)
#define ISS_SYS_CRM		GENMASK(4, 1)
#define ISS_SYS_RT		GENMASK(9, 5)
#define ISS_SYS_CRN		GENMASK(13, 10)
#define ISS_SYS_OP1		GENMASK(16, 14)
#define ISS_SYS_OP2		GENMASK(19, 17)
#define ISS_SYS_OP0		GENMASK(21, 20)

#define REG_OP0(r)	(((r) >> 14) & 3)
#define REG_OP1(r)	(((r) >> 11) & 7)
#define REG_CRN(r)	(((r) >> 7) & 0xf)
#define REG_CRM(r)	(((r) >> 3) & 0xf)

enum sysreg_class sysreg_decode(u32 iss, struct sysreg_access *a)
{
	u32 op0 = FIELD_GET(ISS_SYS_OP0, iss), op1 = FIELD_GET(ISS_SYS_OP1, iss);
	u32 crn = FIELD_GET(ISS_SYS_CRN, iss), crm = FIELD_GET(ISS_SYS_CRM, iss);
	u32 op2 = FIELD_GET(ISS_SYS_OP2, iss);

	a->reg = SYSREG(op0, op1, crn, crm, op2);
	a->rt = FIELD_GET(ISS_SYS_RT, iss);
	a->read = iss & ISS_SYS_DIR_READ;

	/* Feature ID registers (TID3): read-only. */
	if (op0 == 3 && op1 == 0 && crn == 0 && crm >= 1)
		return a->read ? SYSREG_CLASS_ID : SYSREG_CLASS_UNDEF;
	if (a->reg == SYSREG_MDSCR_EL1)
		return SYSREG_CLASS_MDSCR;
	if (op0 == 2)
		return SYSREG_CLASS_RAZ_WI;	/* debug (TDA, TDOSA, TDRA) */
	if (a->reg == SYSREG_ICC_SGI1R_EL1)
		return a->read ? SYSREG_CLASS_UNDEF : SYSREG_CLASS_SGI;
	/* ICC_ASGI1R_EL1, ICC_SGI0R_EL1: no Group 0 or secure SGIs here. */
	if (op0 == 3 && op1 == 0 && crn == 12 && crm == 11 && (op2 == 6 || op2 == 7))
		return SYSREG_CLASS_RAZ_WI;
	/* PMU (TPM, TPMCR): PMCR...PMUSERENR, PMEVCNTR/PMEVTYPER. */
	if (op0 == 3 && (op1 == 0 || op1 == 3) && crn == 9 && crm >= 12)
		return SYSREG_CLASS_RAZ_WI;
	if (op0 == 3 && op1 == 3 && crn == 14 && crm >= 8)
		return SYSREG_CLASS_RAZ_WI;
	/* The EL1 physical timer (CNTHCTL_EL2.EL1PCEN = 0). */
	if (op0 == 3 && op1 == 3 && crn == 14 && crm == 2)
		return SYSREG_CLASS_RAZ_WI;
	return SYSREG_CLASS_UNDEF;
}

u64 sysreg_id_sanitise(u32 reg, u64 real)
{
	switch (reg) {
	case SYSREG_ID_AA64PFR0:
		/* EL0/EL1 AArch64 only, no EL2/EL3; keep FP, AdvSIMD, GIC, RAS, CSV2/3, DIT. */
		real &= ~(GENMASK(15, 0) | GENMASK(55, 32));
		return real | 0x11;
	case SYSREG_ID_AA64PFR1:
		/* BT, SSBS, RAS_frac, CSV2_frac only. */
		return real & (GENMASK(7, 0) | GENMASK(15, 12) | GENMASK(35, 32));
	case SYSREG_ID_AA64DFR0:
		/* DebugVer, BRPs, WRPs, CTX_CMPs; no PMU, trace or SPE. */
		return real & (GENMASK(3, 0) | GENMASK(15, 12) | GENMASK(23, 20) |
			       GENMASK(31, 28));
	case SYSREG_ID_AA64ISAR0:
	case SYSREG_ID_AA64ISAR1:
	case SYSREG_ID_AA64ISAR2:
	case SYSREG_ID_AA64MMFR0:
	case SYSREG_ID_AA64MMFR1:
	case SYSREG_ID_AA64MMFR2:
		return real;
	default:
		/* SVE and SME features, AArch32 registers, reserved ones. */
		return 0;
	}
}
