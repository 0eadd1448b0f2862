// SPDX-License-Identifier: GPL-2.0-only
/* Host tests of trapped system-register decoding (core/sysreg_emul.c). */
#include <test.h>
#include <hyp/sysreg_emul.h>

/* The ISS of an EC 0x18 trap. */
static u32 iss(u32 op0, u32 op1, u32 crn, u32 crm, u32 op2, u32 rt, bool read)
{
	return (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | (rt << 5) | (crm << 1) |
	       (read ? 1 : 0);
}

TEST(decode_fields)
{
	struct sysreg_access a;

	/* mrs x7, id_aa64pfr0_el1 */
	CHECK_EQ(sysreg_decode(iss(3, 0, 0, 4, 0, 7, true), &a), SYSREG_CLASS_ID);
	CHECK_EQ(a.reg, SYSREG_ID_AA64PFR0);
	CHECK_EQ(a.rt, 7);
	CHECK(a.read);
	/* msr icc_sgi1r_el1, x3 */
	CHECK_EQ(sysreg_decode(iss(3, 0, 12, 11, 5, 3, false), &a), SYSREG_CLASS_SGI);
	CHECK_EQ(a.rt, 3);
	CHECK(!a.read);
	/* msr mdscr_el1, xzr */
	CHECK_EQ(sysreg_decode(iss(2, 0, 0, 2, 2, 31, false), &a), SYSREG_CLASS_MDSCR);
	CHECK_EQ(a.rt, 31);
}

TEST(classes)
{
	struct sysreg_access a;

	/* ID registers cannot be written. */
	CHECK_EQ(sysreg_decode(iss(3, 0, 0, 4, 0, 1, false), &a), SYSREG_CLASS_UNDEF);
	/* Nor SGI registers read. */
	CHECK_EQ(sysreg_decode(iss(3, 0, 12, 11, 5, 1, true), &a), SYSREG_CLASS_UNDEF);
	/* Debug: OSLAR_EL1, DBGBCR0_EL1. */
	CHECK_EQ(sysreg_decode(iss(2, 0, 1, 0, 4, 1, false), &a), SYSREG_CLASS_RAZ_WI);
	CHECK_EQ(sysreg_decode(iss(2, 0, 0, 0, 5, 1, true), &a), SYSREG_CLASS_RAZ_WI);
	/* PMU: PMCR_EL0, PMUSERENR_EL0, PMEVCNTR0_EL0. */
	CHECK_EQ(sysreg_decode(iss(3, 3, 9, 12, 0, 1, true), &a), SYSREG_CLASS_RAZ_WI);
	CHECK_EQ(sysreg_decode(iss(3, 3, 9, 14, 0, 1, false), &a), SYSREG_CLASS_RAZ_WI);
	CHECK_EQ(sysreg_decode(iss(3, 3, 14, 8, 0, 1, true), &a), SYSREG_CLASS_RAZ_WI);
	/* EL1 physical timer: CNTP_CTL_EL0. */
	CHECK_EQ(sysreg_decode(iss(3, 3, 14, 2, 1, 1, true), &a), SYSREG_CLASS_RAZ_WI);
	/* Group 0 SGIs are ignored. */
	CHECK_EQ(sysreg_decode(iss(3, 0, 12, 11, 7, 1, false), &a), SYSREG_CLASS_RAZ_WI);
	/* Anything else, e.g. an EL2 register, is undefined for the guest. */
	CHECK_EQ(sysreg_decode(iss(3, 4, 1, 1, 0, 1, true), &a), SYSREG_CLASS_UNDEF);
}

TEST(id_registers_hide_what_is_not_switched)
{
	/* SVE (35:32), EL2 and EL3 present, AArch32 EL0/EL1 (value 2). */
	u64 pfr0 = 0x0000000111112222UL | (1UL << 32);

	CHECK_EQ(sysreg_id_sanitise(SYSREG_ID_AA64PFR0, pfr0) & GENMASK(35, 32), 0);
	CHECK_EQ(sysreg_id_sanitise(SYSREG_ID_AA64PFR0, pfr0) & 0xffff, 0x11);
	/* FP, AdvSIMD and GIC fields (27:16) stay. */
	CHECK_EQ(sysreg_id_sanitise(SYSREG_ID_AA64PFR0, pfr0) & GENMASK(27, 16),
		 pfr0 & GENMASK(27, 16));
	/* SME (27:24) and MTE (11:8) go, BT and SSBS stay. */
	CHECK_EQ(sysreg_id_sanitise(SYSREG_ID_AA64PFR1, 0x1000321UL), 0x21);
	/* No PMU (11:8) or trace (7:4); debug version and breakpoints stay. */
	CHECK_EQ(sysreg_id_sanitise(SYSREG_ID_AA64DFR0, 0xf5a5f1f6UL), 0xf0a0f006UL);
	CHECK_EQ(sysreg_id_sanitise(SYSREG_ID_AA64ZFR0, ~0UL), 0);
	CHECK_EQ(sysreg_id_sanitise(SYSREG_ID_AA64SMFR0, ~0UL), 0);
	CHECK_EQ(sysreg_id_sanitise(SYSREG(3, 0, 0, 1, 0), ~0UL), 0);
	CHECK_EQ(sysreg_id_sanitise(SYSREG_ID_AA64ISAR1, 0x1234UL), 0x1234UL);
	CHECK_EQ(sysreg_id_sanitise(SYSREG_ID_AA64MMFR0, 0x5UL), 0x5UL);
}
