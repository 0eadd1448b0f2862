/* SPDX-License-Identifier: GPL-2.0-only */
/* System-register access and the EL2 register values this hypervisor uses. */
#ifndef ARCH_SYSREG_H
#define ARCH_SYSREG_H

#include <hyp/types.h>

#define __stringify_1(x)	#x
#define __stringify(x)		__stringify_1(x)

#define read_sysreg(r) ({						\
	u64 __v;							\
	asm volatile("mrs %0, " __stringify(r) : "=r"(__v));		\
	__v;								\
})

#define write_sysreg(v, r)						\
	asm volatile("msr " __stringify(r) ", %x0" : : "rZ"((u64)(v)))

#define isb()		asm volatile("isb" : : : "memory")
#define dsb(opt)	asm volatile("dsb " #opt : : : "memory")

/* Registers the assembler may not know by name with -march=armv8-a. */
#define ICC_SRE_EL2		s3_4_c12_c9_5
#define ICC_SGI1R_EL1		s3_0_c12_c11_5
/* The GIC CPU interface (virtual at EL1 under HCR_EL2.IMO). */
#define ICC_IAR1_EL1		s3_0_c12_c12_0
#define ICC_EOIR1_EL1		s3_0_c12_c12_1
#define ICC_PMR_EL1		s3_0_c4_c6_0
#define ICC_IGRPEN1_EL1		s3_0_c12_c12_7
#define ICH_HCR_EL2		s3_4_c12_c11_0
#define ICH_VMCR_EL2		s3_4_c12_c11_7
#define ZCR_EL2			s3_4_c1_c2_0
#define SMCR_EL2		s3_4_c1_c2_6
#define HCRX_EL2		s3_4_c1_c2_2
#define HFGRTR_EL2		s3_4_c1_c1_4
#define HFGWTR_EL2		s3_4_c1_c1_5
#define HFGITR_EL2		s3_4_c1_c1_6
#define HDFGRTR_EL2		s3_4_c3_c1_4
#define HDFGWTR_EL2		s3_4_c3_c1_5
#define ID_AA64SMFR0_EL1	s3_0_c0_c4_5
#define ID_AA64ISAR2_EL1	s3_0_c0_c6_2

/* HCR_EL2 */
#define HCR_VM			BIT(0)
#define HCR_SWIO		BIT(1)
#define HCR_FMO			BIT(3)
#define HCR_IMO			BIT(4)
#define HCR_AMO			BIT(5)
#define HCR_FB			BIT(9)
#define HCR_DC			BIT(12)
#define HCR_TWI			BIT(13)
#define HCR_TID3		BIT(18)
#define HCR_BSU_IS		(1UL << 10)
#define HCR_TSC			BIT(19)
#define HCR_RW			BIT(31)
#define HCR_APK			BIT(40)
#define HCR_API			BIT(41)

/* SCTLR_EL2 with HCR_EL2.E2H == 0 */
#define SCTLR_EL2_RES1		0x30c50830UL
#define SCTLR_EL2_M		BIT(0)
#define SCTLR_EL2_C		BIT(2)
#define SCTLR_EL2_SA		BIT(3)
#define SCTLR_EL2_I		BIT(12)
#define SCTLR_EL2_WXN		BIT(19)

/* SCTLR_EL1 as an OS expects to find it: MMU and caches off, little-endian. */
#define SCTLR_EL1_RESET		0x30d00800UL
#define SCTLR_EL1_SPAN		BIT(23)
#define SCTLR_EL1_DSSBS		BIT(44)

/* TCR_EL2 (E2H == 0) and VTCR_EL2: 4 KiB granule, 39-bit input, WB walks. */
#define TCR_EL2_RES1		(BIT(31) | BIT(23))
#define VTCR_EL2_RES1		BIT(31)
#define TCR_T0SZ(bits)		(64UL - (bits))
#define TCR_IRGN0_WBWA		(1UL << 8)
#define TCR_ORGN0_WBWA		(1UL << 10)
#define TCR_SH0_INNER		(3UL << 12)
#define TCR_EL2_PS_SHIFT	16
#define VTCR_PS_SHIFT		16
#define VTCR_SL0_LEVEL1		(1UL << 6)

/* VTTBR_EL2 */
#define VTTBR_VMID_SHIFT	48

/* CPTR_EL2 (E2H == 0) */
#define CPTR_EL2_RES1		0x22ffUL
#define CPTR_EL2_TZ		BIT(8)
#define CPTR_EL2_TFP		BIT(10)
#define CPTR_EL2_TSM		BIT(12)
#define CPTR_EL2_TTA		BIT(20)
#define CPTR_EL2_TAM		BIT(30)

/* MDCR_EL2: PMU and debug traps */
#define MDCR_EL2_TPMCR		BIT(5)
#define MDCR_EL2_TPM		BIT(6)
#define MDCR_EL2_TDA		BIT(9)
#define MDCR_EL2_TDOSA		BIT(10)
#define MDCR_EL2_TDRA		BIT(11)

/* ICH_HCR_EL2 */
#define ICH_HCR_EN		BIT(0)
#define ICH_HCR_UIE		BIT(1)

/* CNTHP_CTL_EL2 / CNTV_CTL_EL0 */
#define CNT_CTL_ENABLE		BIT(0)
#define CNT_CTL_IMASK		BIT(1)
#define CNT_CTL_ISTATUS		BIT(2)

/* CNTHCTL_EL2 (E2H == 0): EL1 may use the physical counter and timer. */
#define CNTHCTL_EL1PCTEN	BIT(0)
#define CNTHCTL_EL1PCEN		BIT(1)

/* ICC_SRE_EL2: system-register GIC interface at EL2 and EL1. */
#define ICC_SRE_EL2_ALL		0xfUL

/* SMCR_EL2 */
#define SMCR_EL2_LEN_MAX	0xfUL
#define SMCR_EL2_FA64		BIT(31)
#define ZCR_EL2_LEN_MAX		0xfUL

/* ID register fields */
#define ID_AA64PFR0_SVE		GENMASK(35, 32)
#define ID_AA64PFR1_SME		GENMASK(27, 24)
#define ID_AA64SMFR0_FA64	BIT(63)
#define ID_AA64MMFR0_PARANGE	GENMASK(3, 0)
#define ID_AA64MMFR0_FGT	GENMASK(59, 56)
#define ID_AA64MMFR1_HCX	GENMASK(43, 40)
#define ID_AA64ISAR1_PAUTH	(GENMASK(11, 4) | GENMASK(31, 24))
#define ID_AA64ISAR2_PAUTH3	GENMASK(15, 8)
#define ID_AA64DFR0_PMUVER	GENMASK(11, 8)
#define PMCR_N			GENMASK(15, 11)

/* SPSR */
#define PSR_MODE_MASK		0xfUL
#define PSR_MODE_EL0t		0x0UL
#define PSR_MODE_EL1t		0x4UL
#define PSR_MODE_EL1h		0x5UL
#define PSR_MODE32		BIT(4)
#define PSR_DAIF		(0xfUL << 6)
#define PSR_SSBS		BIT(12)
#define PSR_PAN			BIT(22)

/* ESR_ELx */
#define ESR_EC			GENMASK(31, 26)
#define ESR_IL			BIT(25)
#define ESR_ISS			GENMASK(24, 0)
#define ESR_HVC_IMM		GENMASK(15, 0)
#define ESR_EC_UNKNOWN		0x00
#define ESR_EC_WFX		0x01
#define ESR_EC_FP		0x07	/* FP/SIMD trapped by CPTR_EL2.TFP */
#define ESR_EC_PAC		0x09	/* pointer authentication, HCR_EL2.API */
#define ESR_WFX_WFE		BIT(0)
#define ESR_EC_SYS64		0x18
#define ESR_EC_HVC64		0x16
#define ESR_EC_SMC64		0x17
#define ESR_EC_IABT_LOW		0x20
#define ESR_EC_IABT_CUR		0x21
#define ESR_EC_DABT_LOW		0x24
#define ESR_EC_DABT_CUR		0x25
#define ESR_ABT_WNR		BIT(6)
#define ESR_FSC_SEA		0x10

#endif
