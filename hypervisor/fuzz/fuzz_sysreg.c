// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzzing core/sysreg_emul.c: the ISS of a guest's trapped MSR/MRS (EC
 * 0x18), which the guest chooses with the instruction it executes, and
 * the feature ID values the hypervisor passes on (the CPU's: arbitrary
 * here, the sanitising must hide what guests cannot have whatever the
 * hardware says).
 *
 * Input: iss u32, real ID register value u64.
 */
#include <fuzz.h>
#include <hyp/sysreg_emul.h>

#define FIELD(v, hi, lo)	(((v) >> (lo)) & (~0UL >> (63 - (hi) + (lo))))

static void check_id(u32 reg, u64 v)
{
	switch (reg) {
	case SYSREG_ID_AA64PFR0:
		/* EL0 and EL1 AArch64 only; no EL2, EL3, SVE, MPAM, AMU, RME. */
		FUZZ_ASSERT(FIELD(v, 15, 0) == 0x11);
		FUZZ_ASSERT(FIELD(v, 35, 32) == 0);	/* SVE */
		FUZZ_ASSERT(FIELD(v, 43, 40) == 0);	/* MPAM */
		FUZZ_ASSERT(FIELD(v, 47, 44) == 0);	/* AMU */
		FUZZ_ASSERT(FIELD(v, 55, 52) == 0);	/* RME */
		break;
	case SYSREG_ID_AA64PFR1:
		FUZZ_ASSERT(FIELD(v, 11, 8) == 0);	/* MTE */
		FUZZ_ASSERT(FIELD(v, 27, 24) == 0);	/* SME */
		FUZZ_ASSERT(FIELD(v, 31, 28) == 0);	/* RNDR_trap */
		FUZZ_ASSERT(FIELD(v, 39, 36) == 0);	/* NMI */
		break;
	case SYSREG_ID_AA64DFR0:
		FUZZ_ASSERT(FIELD(v, 7, 4) == 0);	/* TraceVer */
		FUZZ_ASSERT(FIELD(v, 11, 8) == 0);	/* PMUVer */
		FUZZ_ASSERT(FIELD(v, 35, 32) == 0);	/* PMSVer (SPE) */
		FUZZ_ASSERT(FIELD(v, 43, 40) == 0);	/* TraceFilt */
		FUZZ_ASSERT(FIELD(v, 47, 44) == 0);	/* TraceBuffer */
		break;
	case SYSREG_ID_AA64ZFR0:
	case SYSREG_ID_AA64SMFR0:
		FUZZ_ASSERT(v == 0);
		break;
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_in in = { data, size };
	u32 iss = fuzz_u32(&in) & 0x1ffffff;
	u64 real = fuzz_u64(&in);
	struct sysreg_access a;
	enum sysreg_class c = sysreg_decode(iss, &a);

	FUZZ_ASSERT(a.rt <= 31);
	FUZZ_ASSERT(a.reg <= 0xffff);
	FUZZ_ASSERT(a.read == (iss & 1));
	switch (c) {
	case SYSREG_CLASS_ID:
		/* Read only, and only the feature ID block (op0 3, op1 0, CRn 0). */
		FUZZ_ASSERT(a.read);
		FUZZ_ASSERT((a.reg >> 7) == ((3 << 7) | 0));
		check_id(a.reg, sysreg_id_sanitise(a.reg, real));
		break;
	case SYSREG_CLASS_MDSCR:
		FUZZ_ASSERT(a.reg == SYSREG_MDSCR_EL1);
		break;
	case SYSREG_CLASS_SGI:
		FUZZ_ASSERT(a.reg == SYSREG_ICC_SGI1R_EL1 && !a.read);
		break;
	case SYSREG_CLASS_RAZ_WI:
	case SYSREG_CLASS_UNDEF:
		break;
	default:
		FUZZ_ASSERT(!"unknown class");
	}
	/* Whatever the register, sanitising never lets SVE or SME through. */
	FUZZ_ASSERT(!sysreg_id_sanitise(SYSREG_ID_AA64ZFR0, real));
	FUZZ_ASSERT(!sysreg_id_sanitise(SYSREG_ID_AA64SMFR0, real));
	check_id(SYSREG_ID_AA64PFR0, sysreg_id_sanitise(SYSREG_ID_AA64PFR0, real));
	check_id(SYSREG_ID_AA64PFR1, sysreg_id_sanitise(SYSREG_ID_AA64PFR1, real));
	check_id(SYSREG_ID_AA64DFR0, sysreg_id_sanitise(SYSREG_ID_AA64DFR0, real));
	return 0;
}
