/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The system registers a guest's accesses trap on (HCR_EL2.TID3, the
 * debug and PMU traps of MDCR_EL2, the GIC's SGI registers, the EL1
 * physical timer): decoding the trap and what the guest is told. Pure
 * logic, unit-tested on the host.
 */
#ifndef HYP_SYSREG_EMUL_H
#define HYP_SYSREG_EMUL_H

#include <hyp/types.h>

/* A register as op0:op1:CRn:CRm:op2, packed like Linux's sys_reg(). */
#define SYSREG(op0, op1, crn, crm, op2) \
	(((op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))

#define SYSREG_ID_AA64PFR0	SYSREG(3, 0, 0, 4, 0)
#define SYSREG_ID_AA64PFR1	SYSREG(3, 0, 0, 4, 1)
#define SYSREG_ID_AA64ZFR0	SYSREG(3, 0, 0, 4, 4)
#define SYSREG_ID_AA64SMFR0	SYSREG(3, 0, 0, 4, 5)
#define SYSREG_ID_AA64DFR0	SYSREG(3, 0, 0, 5, 0)
#define SYSREG_ID_AA64ISAR0	SYSREG(3, 0, 0, 6, 0)
#define SYSREG_ID_AA64ISAR1	SYSREG(3, 0, 0, 6, 1)
#define SYSREG_ID_AA64ISAR2	SYSREG(3, 0, 0, 6, 2)
#define SYSREG_ID_AA64MMFR0	SYSREG(3, 0, 0, 7, 0)
#define SYSREG_ID_AA64MMFR1	SYSREG(3, 0, 0, 7, 1)
#define SYSREG_ID_AA64MMFR2	SYSREG(3, 0, 0, 7, 2)
#define SYSREG_MDSCR_EL1	SYSREG(2, 0, 0, 2, 2)
#define SYSREG_OSLSR_EL1	SYSREG(2, 0, 1, 1, 4)
#define SYSREG_ICC_SGI1R_EL1	SYSREG(3, 0, 12, 11, 5)

struct sysreg_access {
	u32 reg;	/* SYSREG() */
	u8 rt;		/* 31 = XZR */
	bool read;
};

enum sysreg_class {
	SYSREG_CLASS_ID,	/* feature ID: the sanitised real value */
	SYSREG_CLASS_MDSCR,	/* kept per vCPU */
	SYSREG_CLASS_SGI,	/* ICC_SGI1R_EL1: to the virtual GIC */
	SYSREG_CLASS_RAZ_WI,	/* debug, PMU, other SGI registers, EL1 physical timer */
	SYSREG_CLASS_UNDEF,	/* not for the guest */
};

/* Decode the ISS of an EC 0x18 trap and say what the access gets. */
enum sysreg_class sysreg_decode(u32 iss, struct sysreg_access *a);

/* The guest's view of ID register @reg whose real value is @real. */
u64 sysreg_id_sanitise(u32 reg, u64 real);

#endif
