// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the firmware-side ABI of a Gunyah hypervisor, seen from
 * EL1: SMCCC discovery, function-ID decoding, the native HVC entry path,
 * PSCI, and that malformed calls return an error instead of crashing or
 * hanging the hypervisor (abi.md sections 1.1-1.6).
 *
 * Every case calls the hypervisor: load this module only on a kernel that
 * runs under Gunyah. The cases run in order and the last two check that
 * the hypervisor still serves calls after all the bad ones.
 *
 * Results of SMC32 calls are compared on W0 only: SMCCC defines no more.
 * An unknown function ID must return -1 sign-extended to all of X0.
 */

#include <kunit/test.h>
#include <linux/arm-smccc.h>
#include <linux/array_size.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/gunyah.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/stringify.h>
#include <uapi/linux/psci.h>
#include <asm/cputype.h>
#include <asm/memory.h>

/* Gunyah hypercall hypervisor_identify, SMCCC path (abi.md 1.3) */
#define ABI_FID_IDENTIFY		0xc6008000UL
/* The same with the SVE live-state hint, bit 16, which must be ignored */
#define ABI_FID_IDENTIFY_SVE_HINT	0xc6018000UL
/* Standard hypervisor service CALL_UID and REVISION (abi.md 1.4) */
#define ABI_FID_STD_HYP_UID		0x8500ff01UL
#define ABI_FID_STD_HYP_REVISION	0x8500ff03UL

/* No CPU has this MPIDR on the QEMU platform */
#define ABI_NO_SUCH_MPIDR		0xffUL

/* hypervisor_identify calls per online CPU in the burst */
#define ABI_BURST_CALLS			10000

/**
 * abi_w0() - The result of an SMC32 call
 * @res: the registers returned by the call
 *
 * Return: W0, sign-extended.
 */
static long abi_w0(const struct arm_smccc_res *res)
{
	return (s32)lower_32_bits(res->a0);
}

/* Only call the hypervisor if it is Gunyah: an HVC could go nowhere. */
static int gunyah_abi_test_init(struct kunit *test)
{
	KUNIT_ASSERT_TRUE_MSG(test, arch_is_gunyah_guest(),
			      "not running under Gunyah");
	return 0;
}

static void abi_identify_hvc(struct arm_smccc_res *res)
{
	arm_smccc_1_1_hvc(ABI_FID_IDENTIFY, res);
}

static void abi_expect_gunyah_uid(struct kunit *test,
				  const struct arm_smccc_res *res,
				  const char *how)
{
	KUNIT_EXPECT_TRUE_MSG(test, gunyah_uuid_is_gunyah(res),
			      "%s: CALL_UID %#lx %#lx %#lx %#lx", how,
			      res->a0, res->a1, res->a2, res->a3);
}

/* ---------------------------------------------------------------------- */
/* SMCCC discovery                                                        */

static void abi_smccc_version(struct kunit *test)
{
	struct arm_smccc_res res, hvc, smc;

	arm_smccc_1_1_invoke(ARM_SMCCC_VERSION_FUNC_ID, &res);
	kunit_info(test, "SMCCC_VERSION %#lx\n", res.a0);
	/* Bit 31 clear: a version, not an error; at least SMCCC 1.1 */
	KUNIT_EXPECT_GE(test, abi_w0(&res), ARM_SMCCC_VERSION_1_1);

	/* Both conduits reach the same implementation. */
	arm_smccc_1_1_hvc(ARM_SMCCC_VERSION_FUNC_ID, &hvc);
	arm_smccc_1_1_smc(ARM_SMCCC_VERSION_FUNC_ID, &smc);
	KUNIT_EXPECT_EQ(test, abi_w0(&hvc), abi_w0(&res));
	KUNIT_EXPECT_EQ(test, abi_w0(&smc), abi_w0(&res));
}

/*
 * SMCCC_ARCH_FEATURES(ARCH_WORKAROUND_1): 0 (implemented), 1 (not needed
 * on this CPU) or -1 (not supported) are all valid answers.
 */
static void abi_smccc_arch_features_workaround_1(struct kunit *test)
{
	struct arm_smccc_res res;
	long ret;

	arm_smccc_1_1_invoke(ARM_SMCCC_ARCH_FEATURES_FUNC_ID,
			     ARM_SMCCC_ARCH_WORKAROUND_1, &res);
	ret = abi_w0(&res);
	kunit_info(test, "ARCH_FEATURES(ARCH_WORKAROUND_1) %ld\n", ret);
	KUNIT_EXPECT_TRUE_MSG(test,
			      ret == SMCCC_RET_SUCCESS ||
			      ret == SMCCC_ARCH_WORKAROUND_RET_UNAFFECTED ||
			      ret == SMCCC_RET_NOT_SUPPORTED,
			      "ARCH_FEATURES(ARCH_WORKAROUND_1) = %ld", ret);

	/* Advertised: then calling it must return. */
	if (ret == SMCCC_RET_SUCCESS)
		arm_smccc_1_1_invoke(ARM_SMCCC_ARCH_WORKAROUND_1, NULL);
}

/* Vendor-hyp CALL_UID through HVC and through SMC (trapped to EL2) */
static void abi_vendor_uid_hvc_and_smc(struct kunit *test)
{
	struct arm_smccc_res hvc, smc;

	arm_smccc_1_1_hvc(ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID, &hvc);
	arm_smccc_1_1_smc(ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID, &smc);

	abi_expect_gunyah_uid(test, &hvc, "HVC");
	abi_expect_gunyah_uid(test, &smc, "SMC");
	KUNIT_EXPECT_EQ(test, lower_32_bits(smc.a0), lower_32_bits(hvc.a0));
	KUNIT_EXPECT_EQ(test, lower_32_bits(smc.a1), lower_32_bits(hvc.a1));
	KUNIT_EXPECT_EQ(test, lower_32_bits(smc.a2), lower_32_bits(hvc.a2));
	KUNIT_EXPECT_EQ(test, lower_32_bits(smc.a3), lower_32_bits(hvc.a3));
}

/* Standard-hyp CALL_UID is the vendor-hyp one; REVISION is 1.0 (abi.md 1.4). */
static void abi_std_hyp_uid_and_revision(struct kunit *test)
{
	struct arm_smccc_res vendor, res;

	arm_smccc_1_1_hvc(ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID, &vendor);
	arm_smccc_1_1_hvc(ABI_FID_STD_HYP_UID, &res);
	abi_expect_gunyah_uid(test, &res, "standard hyp");
	KUNIT_EXPECT_EQ(test, lower_32_bits(res.a0), lower_32_bits(vendor.a0));
	KUNIT_EXPECT_EQ(test, lower_32_bits(res.a1), lower_32_bits(vendor.a1));
	KUNIT_EXPECT_EQ(test, lower_32_bits(res.a2), lower_32_bits(vendor.a2));
	KUNIT_EXPECT_EQ(test, lower_32_bits(res.a3), lower_32_bits(vendor.a3));

	arm_smccc_1_1_hvc(ABI_FID_STD_HYP_REVISION, &res);
	KUNIT_EXPECT_EQ(test, abi_w0(&res), 1);
	KUNIT_EXPECT_EQ(test, lower_32_bits(res.a1), 0);
}

/* hypervisor_identify through SMC #0, and with the SVE hint bit set */
static void abi_identify_smc_and_sve_hint(struct kunit *test)
{
	struct arm_smccc_res ref, res;

	abi_identify_hvc(&ref);
	KUNIT_ASSERT_EQ(test, FIELD_GET(GUNYAH_API_INFO_API_VERSION_MASK, (u64)ref.a0),
			GUNYAH_API_V1);

	arm_smccc_1_1_smc(ABI_FID_IDENTIFY, &res);
	KUNIT_EXPECT_EQ(test, res.a0, ref.a0);
	KUNIT_EXPECT_EQ(test, res.a1, ref.a1);
	KUNIT_EXPECT_EQ(test, res.a2, ref.a2);
	KUNIT_EXPECT_EQ(test, res.a3, ref.a3);

	arm_smccc_1_1_hvc(ABI_FID_IDENTIFY_SVE_HINT, &res);
	KUNIT_EXPECT_EQ(test, res.a0, ref.a0);
	KUNIT_EXPECT_EQ(test, res.a1, ref.a1);
	KUNIT_EXPECT_EQ(test, res.a2, ref.a2);
	KUNIT_EXPECT_EQ(test, res.a3, ref.a3);
}

/* ---------------------------------------------------------------------- */
/* Function IDs that must return -1 (NOT_SUPPORTED / unknown)             */

/**
 * struct abi_bad_fid - A function ID nobody may implement
 * @fid: the function ID
 * @why: what is wrong with it
 */
struct abi_bad_fid {
	u32 fid;
	const char *why;
};

static const struct abi_bad_fid abi_bad_fids[] = {
	{ 0xc600ff01, "vendor-hyp CALL_UID, SMC64 form" },
	{ 0xc600ff03, "vendor-hyp REVISION, SMC64 form" },
	{ 0x8600ff00, "vendor-hyp CALL_COUNT (deprecated)" },
	{ 0x8600ff02, "vendor-hyp service 0x3f02 (reserved)" },
	{ 0x86008000, "hypervisor_identify, SMC32 form" },
	{ 0x8600bfff, "hypercall 0x3fff, SMC32 form" },
	{ 0x46008000, "hypervisor_identify, yielding call" },
	{ 0x0600ff01, "vendor-hyp CALL_UID, yielding call" },
	{ 0xc6028000, "hypervisor_identify with bit 17 set" },
	{ 0xc6fe8000, "hypervisor_identify with bits 23:17 set" },
	{ 0x86feff01, "vendor-hyp CALL_UID with bits 23:17 set" },
	{ 0xc600bfff, "unknown Gunyah hypercall 0x3fff" },
	{ 0xc6009000, "unknown Gunyah hypercall 0x1000" },
	{ 0xc6004000, "vendor-hyp function class 0b01" },
	{ 0xbf000000, "owner 63 (trusted OS), SMC32" },
	{ 0xff000000, "owner 63 (trusted OS), SMC64" },
	{ 0x88000000, "owner 8 (reserved)" },
	{ 0xaf000000, "owner 47 (reserved)" },
	{ 0xc0000000, "SMCCC_VERSION, SMC64 form" },
	{ 0x8400001f, "PSCI function 0x1f (unassigned)" },
	{ 0x8400f000, "standard service 0xf000 (unassigned)" },
	{ 0xc400f000, "standard service 0xf000 (unassigned), SMC64" },
};

static void abi_bad_fid_desc(const struct abi_bad_fid *b, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%#010x %s", b->fid, b->why);
}

KUNIT_ARRAY_PARAM(abi_bad_fids, abi_bad_fids, abi_bad_fid_desc);

/* Through HVC and SMC, with every argument register all ones */
static void abi_bad_fid_not_supported(struct kunit *test)
{
	const struct abi_bad_fid *b = test->param_value;
	struct arm_smccc_res res;

	arm_smccc_1_1_hvc(b->fid, ~0UL, ~0UL, ~0UL, ~0UL, ~0UL, ~0UL, ~0UL, &res);
	KUNIT_EXPECT_EQ_MSG(test, res.a0, (unsigned long)SMCCC_RET_NOT_SUPPORTED,
			    "HVC %#x", b->fid);

	arm_smccc_1_1_smc(b->fid, ~0UL, ~0UL, ~0UL, ~0UL, ~0UL, ~0UL, ~0UL, &res);
	KUNIT_EXPECT_EQ_MSG(test, res.a0, (unsigned long)SMCCC_RET_NOT_SUPPORTED,
			    "SMC %#x", b->fid);
}

/* ---------------------------------------------------------------------- */
/* Raw HVC and SMC with arbitrary immediates                              */

/**
 * struct abi_regs - Registers of a raw HVC or SMC
 * @x: x0..x17; which are inputs and outputs depends on the helper
 */
struct abi_regs {
	unsigned long x[18];
};

/*
 * Issue "@insn #@imm" with x0..x7 from @r and return x0..x3 in @r. The
 * immediate is part of the instruction, hence a macro: one asm statement
 * per immediate. x4..x17 are not preserved by the native ABI (abi.md 1.2).
 */
#define ABI_TRAP(insn, imm, r)						\
	do {								\
		struct abi_regs *abi_r = (r);				\
		register unsigned long x0 asm("x0") = abi_r->x[0];	\
		register unsigned long x1 asm("x1") = abi_r->x[1];	\
		register unsigned long x2 asm("x2") = abi_r->x[2];	\
		register unsigned long x3 asm("x3") = abi_r->x[3];	\
		register unsigned long x4 asm("x4") = abi_r->x[4];	\
		register unsigned long x5 asm("x5") = abi_r->x[5];	\
		register unsigned long x6 asm("x6") = abi_r->x[6];	\
		register unsigned long x7 asm("x7") = abi_r->x[7];	\
									\
		asm volatile(insn "\t#" __stringify(imm)		\
			     : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3), \
			       "+r" (x4), "+r" (x5), "+r" (x6), "+r" (x7) \
			     :						\
			     : "x8", "x9", "x10", "x11", "x12", "x13",	\
			       "x14", "x15", "x16", "x17", "memory");	\
		abi_r->x[0] = x0;					\
		abi_r->x[1] = x1;					\
		abi_r->x[2] = x2;					\
		abi_r->x[3] = x3;					\
	} while (0)

/* abi_<insn>_<imm>(): ABI_TRAP() with one immediate */
#define ABI_DEFINE_TRAP(insn, imm)					\
static void abi_##insn##_##imm(struct abi_regs *r)			\
{									\
	ABI_TRAP(#insn, imm, r);					\
}

ABI_DEFINE_TRAP(hvc, 1)
ABI_DEFINE_TRAP(hvc, 0x5fff)
ABI_DEFINE_TRAP(hvc, 0x6000)
ABI_DEFINE_TRAP(hvc, 0x61ff)
ABI_DEFINE_TRAP(hvc, 0x6200)
ABI_DEFINE_TRAP(hvc, 0xffff)
ABI_DEFINE_TRAP(smc, 1)
ABI_DEFINE_TRAP(smc, 0x6000)
ABI_DEFINE_TRAP(smc, 0xffff)

/**
 * struct abi_bad_trap - An HVC or SMC immediate that must return -1
 * @name: the instruction and immediate; no "#", which starts a KTAP directive
 * @call: issues it
 * @x0: x0 on entry
 */
struct abi_bad_trap {
	const char *name;
	void (*call)(struct abi_regs *r);
	unsigned long x0;
};

/*
 * Outside the native range 0x6000-0x61ff only immediate 0 is a call. x0
 * holds hypervisor_identify's function ID: a hypervisor that ignored the
 * immediate would answer it. Inside the range, 0x1ff is no hypercall.
 */
static const struct abi_bad_trap abi_bad_traps[] = {
	{ "hvc imm 1", abi_hvc_1, ABI_FID_IDENTIFY },
	{ "hvc imm 0x5fff", abi_hvc_0x5fff, ABI_FID_IDENTIFY },
	{ "hvc imm 0x61ff", abi_hvc_0x61ff, 0 },
	{ "hvc imm 0x6200", abi_hvc_0x6200, ABI_FID_IDENTIFY },
	{ "hvc imm 0xffff", abi_hvc_0xffff, ABI_FID_IDENTIFY },
	{ "smc imm 1", abi_smc_1, ABI_FID_IDENTIFY },
	{ "smc imm 0x6000", abi_smc_0x6000, 0 },
	{ "smc imm 0xffff", abi_smc_0xffff, ABI_FID_IDENTIFY },
};

static void abi_bad_trap_desc(const struct abi_bad_trap *t, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", t->name);
}

KUNIT_ARRAY_PARAM(abi_bad_traps, abi_bad_traps, abi_bad_trap_desc);

static void abi_bad_immediate(struct kunit *test)
{
	const struct abi_bad_trap *t = test->param_value;
	struct abi_regs r = { .x = { t->x0 } };

	t->call(&r);
	KUNIT_EXPECT_EQ_MSG(test, r.x[0], (unsigned long)SMCCC_RET_NOT_SUPPORTED,
			    "%s: x0 %#lx", t->name, r.x[0]);
}

/* Native path: HVC #0x6000 is hypervisor_identify, same outputs (abi.md 1.1). */
static void abi_native_identify(struct kunit *test)
{
	struct abi_regs r = {};
	struct arm_smccc_res ref;

	abi_identify_hvc(&ref);
	abi_hvc_0x6000(&r);

	KUNIT_EXPECT_EQ(test, r.x[0], ref.a0);
	KUNIT_EXPECT_EQ(test, r.x[1], ref.a1);
	KUNIT_EXPECT_EQ(test, r.x[2], ref.a2);
	KUNIT_EXPECT_EQ(test, r.x[3], ref.a3);
}

/* ---------------------------------------------------------------------- */
/* SMCCC 1.1: x4..x17 survive a call                                      */

#define ABI_SENTINEL(n)		(0x5a5a5a5a00000000UL | (n))

/*
 * Issue "@insn #0" with x0..x17 from @r and store x0..x17 back. Linux's
 * arm_smccc_1_1_*() rely on the callee preserving x4..x17. Those are
 * loaded and stored by the asm itself, through a pointer the compiler
 * keeps outside x0..x17.
 */
#define ABI_TRAP_ALL(insn, r)						\
	do {								\
		struct abi_regs *abi_r = (r);				\
		register unsigned long x0 asm("x0") = abi_r->x[0];	\
		register unsigned long x1 asm("x1") = abi_r->x[1];	\
		register unsigned long x2 asm("x2") = abi_r->x[2];	\
		register unsigned long x3 asm("x3") = abi_r->x[3];	\
									\
		asm volatile("ldp	x4, x5, [%[p], #32]\n"		\
			     "ldp	x6, x7, [%[p], #48]\n"		\
			     "ldp	x8, x9, [%[p], #64]\n"		\
			     "ldp	x10, x11, [%[p], #80]\n"	\
			     "ldp	x12, x13, [%[p], #96]\n"	\
			     "ldp	x14, x15, [%[p], #112]\n"	\
			     "ldp	x16, x17, [%[p], #128]\n"	\
			     insn "	#0\n"				\
			     "stp	x4, x5, [%[p], #32]\n"		\
			     "stp	x6, x7, [%[p], #48]\n"		\
			     "stp	x8, x9, [%[p], #64]\n"		\
			     "stp	x10, x11, [%[p], #80]\n"	\
			     "stp	x12, x13, [%[p], #96]\n"	\
			     "stp	x14, x15, [%[p], #112]\n"	\
			     "stp	x16, x17, [%[p], #128]\n"	\
			     : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3) \
			     : [p] "r" (abi_r->x)			\
			     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", \
			       "x11", "x12", "x13", "x14", "x15", "x16", \
			       "x17", "memory");			\
		abi_r->x[0] = x0;					\
		abi_r->x[1] = x1;					\
		abi_r->x[2] = x2;					\
		abi_r->x[3] = x3;					\
	} while (0)

static void abi_hvc_all(struct abi_regs *r)
{
	ABI_TRAP_ALL("hvc", r);
}

static void abi_smc_all(struct abi_regs *r)
{
	ABI_TRAP_ALL("smc", r);
}

static void abi_expect_x4_x17_kept(struct kunit *test, u32 fid, bool smc)
{
	struct abi_regs r;
	unsigned int i;

	r.x[0] = fid;
	for (i = 1; i < ARRAY_SIZE(r.x); i++)
		r.x[i] = ABI_SENTINEL(i);

	if (smc)
		abi_smc_all(&r);
	else
		abi_hvc_all(&r);

	for (i = 4; i < ARRAY_SIZE(r.x); i++)
		KUNIT_EXPECT_EQ_MSG(test, r.x[i], ABI_SENTINEL(i),
				    "%s %#x: x%u changed", smc ? "SMC" : "HVC",
				    fid, i);
}

static void abi_smccc_preserves_x4_x17(struct kunit *test)
{
	static const u32 fids[] = {
		ABI_FID_IDENTIFY,
		ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID,
		ARM_SMCCC_VERSION_FUNC_ID,
		0xc600bfff,	/* unknown hypercall */
		0x88000000,	/* reserved owner */
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fids); i++) {
		abi_expect_x4_x17_kept(test, fids[i], false);
		abi_expect_x4_x17_kept(test, fids[i], true);
	}
}

/* ---------------------------------------------------------------------- */
/* PSCI                                                                   */

/* This CPU's MPIDR affinity fields, as PSCI takes them */
static unsigned long abi_own_mpidr(void)
{
	return read_cpuid_mpidr() & MPIDR_HWID_BITMASK;
}

/* A physical address in kernel text: valid, executable host memory */
static unsigned long abi_kernel_entry(void)
{
	return __pa_symbol(schedule);
}

static void abi_psci_version(struct kunit *test)
{
	struct arm_smccc_res res;

	arm_smccc_1_1_invoke(PSCI_0_2_FN_PSCI_VERSION, &res);
	kunit_info(test, "PSCI_VERSION %#lx\n", res.a0);
	KUNIT_EXPECT_GE(test, abi_w0(&res), PSCI_VERSION(1, 0));
}

static void abi_psci_features(struct kunit *test)
{
	struct arm_smccc_res res;

	arm_smccc_1_1_invoke(PSCI_1_0_FN_PSCI_FEATURES, PSCI_0_2_FN64_CPU_ON, &res);
	KUNIT_EXPECT_EQ(test, abi_w0(&res), PSCI_RET_SUCCESS);

	/* How Linux learns that SMCCC 1.1 or later is there */
	arm_smccc_1_1_invoke(PSCI_1_0_FN_PSCI_FEATURES, ARM_SMCCC_VERSION_FUNC_ID, &res);
	KUNIT_EXPECT_EQ(test, abi_w0(&res), PSCI_RET_SUCCESS);

	arm_smccc_1_1_invoke(PSCI_1_0_FN_PSCI_FEATURES, 0x8400001f, &res);
	KUNIT_EXPECT_EQ(test, abi_w0(&res), PSCI_RET_NOT_SUPPORTED);
}

static void abi_psci_cpu_on_no_such_cpu(struct kunit *test)
{
	unsigned long entry = abi_kernel_entry();
	struct arm_smccc_res res;

	arm_smccc_1_1_invoke(PSCI_0_2_FN64_CPU_ON, ABI_NO_SUCH_MPIDR, entry, 0, &res);
	KUNIT_EXPECT_EQ(test, (long)res.a0, PSCI_RET_INVALID_PARAMS);

	arm_smccc_1_1_invoke(PSCI_0_2_FN_CPU_ON, ABI_NO_SUCH_MPIDR,
			     lower_32_bits(entry), 0, &res);
	KUNIT_EXPECT_EQ(test, abi_w0(&res), PSCI_RET_INVALID_PARAMS);
}

static void abi_psci_cpu_on_already_on(struct kunit *test)
{
	unsigned long mpidr = abi_own_mpidr();
	unsigned long entry = abi_kernel_entry();
	struct arm_smccc_res res;
	long ret;

	arm_smccc_1_1_invoke(PSCI_0_2_FN64_CPU_ON, mpidr, entry, 0, &res);
	KUNIT_EXPECT_EQ(test, (long)res.a0, PSCI_RET_ALREADY_ON);

	if (entry <= U32_MAX && mpidr <= U32_MAX) {
		arm_smccc_1_1_invoke(PSCI_0_2_FN_CPU_ON, mpidr, entry, 0, &res);
		KUNIT_EXPECT_EQ(test, abi_w0(&res), PSCI_RET_ALREADY_ON);
	}

	/*
	 * A misaligned entry point for a CPU that is on: PSCI does not rank
	 * the two errors, either may come first.
	 */
	arm_smccc_1_1_invoke(PSCI_0_2_FN64_CPU_ON, mpidr, 0x1, 0, &res);
	ret = res.a0;
	kunit_info(test, "CPU_ON(own MPIDR, entry 0x1) %ld\n", ret);
	KUNIT_EXPECT_TRUE_MSG(test,
			      ret == PSCI_RET_ALREADY_ON ||
			      ret == PSCI_RET_INVALID_ADDRESS,
			      "CPU_ON(own MPIDR, entry 0x1) = %ld", ret);
}

/* AFFINITY_INFO of one CPU at level 0 through the SMC64 function */
static long abi_affinity_info(unsigned long mpidr, unsigned long level)
{
	struct arm_smccc_res res;

	arm_smccc_1_1_invoke(PSCI_0_2_FN64_AFFINITY_INFO, mpidr, level, &res);
	return res.a0;
}

/* The MPIDR of a CPU of the devicetree that PSCI reports OFF, or ~0UL */
static unsigned long abi_find_off_cpu(void)
{
	struct device_node *dn;

	for_each_of_cpu_node(dn) {
		const __be32 *reg = of_get_property(dn, "reg", NULL);
		int cells = of_n_addr_cells(dn);
		unsigned long hwid;

		if (!reg || cells < 1 || cells > 2)
			continue;
		hwid = of_read_number(reg, cells) & MPIDR_HWID_BITMASK;
		if (abi_affinity_info(hwid, 0) == PSCI_0_2_AFFINITY_LEVEL_OFF) {
			of_node_put(dn);
			return hwid;
		}
	}
	return ~0UL;
}

/* CPU_ON of a CPU that is off, with a misaligned entry point */
static void abi_psci_cpu_on_bad_entry(struct kunit *test)
{
	unsigned long mpidr = abi_find_off_cpu();
	struct arm_smccc_res res;

	if (mpidr == ~0UL)
		kunit_skip(test, "every CPU is on: INVALID_ADDRESS needs an off CPU");

	arm_smccc_1_1_invoke(PSCI_0_2_FN64_CPU_ON, mpidr, 0x1, 0, &res);
	KUNIT_EXPECT_EQ_MSG(test, (long)res.a0, PSCI_RET_INVALID_ADDRESS,
			    "CPU_ON(%#lx, entry 0x1)", mpidr);
	/* and the CPU was not started */
	KUNIT_EXPECT_EQ(test, abi_affinity_info(mpidr, 0), PSCI_0_2_AFFINITY_LEVEL_OFF);
}

static void abi_psci_affinity_info(struct kunit *test)
{
	unsigned long mpidr = abi_own_mpidr();
	struct arm_smccc_res res;
	long ret;

	KUNIT_EXPECT_EQ(test, abi_affinity_info(mpidr, 0), PSCI_0_2_AFFINITY_LEVEL_ON);
	if (mpidr <= U32_MAX) {
		arm_smccc_1_1_invoke(PSCI_0_2_FN_AFFINITY_INFO, mpidr, 0, &res);
		KUNIT_EXPECT_EQ(test, abi_w0(&res), PSCI_0_2_AFFINITY_LEVEL_ON);
	}

	/*
	 * Levels above 0 are optional since PSCI 1.0. If answered, the
	 * cluster of a running CPU is on.
	 */
	ret = abi_affinity_info(mpidr, 1);
	kunit_info(test, "AFFINITY_INFO(own MPIDR, level 1) %ld\n", ret);
	KUNIT_EXPECT_TRUE_MSG(test,
			      ret == PSCI_RET_INVALID_PARAMS ||
			      ret == PSCI_0_2_AFFINITY_LEVEL_ON,
			      "AFFINITY_INFO(own MPIDR, level 1) = %ld", ret);

	KUNIT_EXPECT_EQ(test, abi_affinity_info(ABI_NO_SUCH_MPIDR, 0),
			PSCI_RET_INVALID_PARAMS);
}

/*
 * No Trusted OS to migrate: 2 ("not present or no migration needed"), or
 * NOT_SUPPORTED, which Linux reads the same way.
 */
static void abi_psci_migrate_info_type(struct kunit *test)
{
	struct arm_smccc_res res;
	long ret;

	arm_smccc_1_1_invoke(PSCI_0_2_FN_MIGRATE_INFO_TYPE, &res);
	ret = abi_w0(&res);
	kunit_info(test, "MIGRATE_INFO_TYPE %ld\n", ret);
	KUNIT_EXPECT_TRUE_MSG(test,
			      ret == PSCI_0_2_TOS_MP || ret == PSCI_RET_NOT_SUPPORTED,
			      "MIGRATE_INFO_TYPE = %ld", ret);
}

/* ---------------------------------------------------------------------- */
/* After all of the above, the hypervisor still serves calls              */

static void abi_still_serving(struct kunit *test)
{
	struct gunyah_hypercall_hyp_identify_resp id;
	struct arm_smccc_res res;

	arm_smccc_1_1_invoke(ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID, &res);
	abi_expect_gunyah_uid(test, &res, "conduit");

	gunyah_hypercall_hyp_identify(&id);
	KUNIT_EXPECT_EQ(test, gunyah_api_version(&id), GUNYAH_API_V1);
	KUNIT_EXPECT_TRUE(test, gunyah_api_is_64bit(&id));
}

/**
 * struct abi_burst - hypervisor_identify calls on every online CPU at once
 * @start: released when every thread exists
 * @ref: the expected result
 */
struct abi_burst {
	struct completion start;
	struct gunyah_hypercall_hyp_identify_resp ref;
};

/**
 * struct abi_burst_cpu - One thread of the burst
 * @burst: the shared state
 * @task: the thread, bound to @cpu
 * @cpu: the CPU it must run on
 * @ran_on: the CPU it ran on
 * @calls: calls made
 * @mismatches: results different from @burst->ref
 * @first_bad: the first of them
 * @done: the calls are over
 */
struct abi_burst_cpu {
	struct abi_burst *burst;
	struct task_struct *task;
	unsigned int cpu;
	unsigned int ran_on;
	unsigned int calls;
	unsigned int mismatches;
	struct gunyah_hypercall_hyp_identify_resp first_bad;
	struct completion done;
};

static int abi_burst_thread(void *data)
{
	struct abi_burst_cpu *c = data;
	struct gunyah_hypercall_hyp_identify_resp id;
	unsigned int i;

	wait_for_completion(&c->burst->start);
	for (i = 0; i < ABI_BURST_CALLS; i++) {
		gunyah_hypercall_hyp_identify(&id);
		c->calls++;
		if (memcmp(&id, &c->burst->ref, sizeof(id)) && !c->mismatches++)
			c->first_bad = id;
		if (i % 1024 == 1023)
			cond_resched();
	}
	c->ran_on = raw_smp_processor_id();
	complete(&c->done);

	/* kthread_stop() needs the thread alive. */
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

static void abi_identify_burst(struct kunit *test)
{
	struct abi_burst burst;
	struct abi_burst_cpu *cpus;
	unsigned int cpu, started = 0, failed = 0;
	u64 total = 0;
	ktime_t t0;

	init_completion(&burst.start);
	gunyah_hypercall_hyp_identify(&burst.ref);
	KUNIT_ASSERT_EQ(test, gunyah_api_version(&burst.ref), GUNYAH_API_V1);

	cpus = kunit_kcalloc(test, nr_cpu_ids, sizeof(*cpus), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cpus);

	for_each_online_cpu(cpu) {
		struct abi_burst_cpu *c = &cpus[cpu];

		c->burst = &burst;
		c->cpu = cpu;
		init_completion(&c->done);
		c->task = kthread_create_on_cpu(abi_burst_thread, c, cpu,
						"gunyah_abi/%u");
		if (IS_ERR(c->task)) {
			c->task = NULL;
			failed++;
			continue;
		}
		wake_up_process(c->task);
		started++;
	}

	t0 = ktime_get();
	complete_all(&burst.start);
	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct abi_burst_cpu *c = &cpus[cpu];

		if (!c->task)
			continue;
		wait_for_completion(&c->done);
		kthread_stop(c->task);
		total += c->calls;
	}
	kunit_info(test, "%llu calls on %u CPUs in %lld ms\n", total, started,
		   ktime_ms_delta(ktime_get(), t0));

	KUNIT_EXPECT_EQ(test, failed, 0);
	KUNIT_EXPECT_GT(test, started, 0);
	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct abi_burst_cpu *c = &cpus[cpu];

		if (!c->task)
			continue;
		KUNIT_EXPECT_EQ(test, c->calls, ABI_BURST_CALLS);
		KUNIT_EXPECT_EQ(test, c->ran_on, c->cpu);
		KUNIT_EXPECT_EQ_MSG(test, c->mismatches, 0,
				    "CPU %u: first bad result %#llx %#llx %#llx %#llx",
				    c->cpu, c->first_bad.api_info,
				    c->first_bad.flags[0], c->first_bad.flags[1],
				    c->first_bad.flags[2]);
	}
}

static struct kunit_case gunyah_abi_cases[] = {
	KUNIT_CASE(abi_smccc_version),
	KUNIT_CASE(abi_smccc_arch_features_workaround_1),
	KUNIT_CASE(abi_vendor_uid_hvc_and_smc),
	KUNIT_CASE(abi_std_hyp_uid_and_revision),
	KUNIT_CASE(abi_identify_smc_and_sve_hint),
	KUNIT_CASE_PARAM(abi_bad_fid_not_supported, abi_bad_fids_gen_params),
	KUNIT_CASE_PARAM(abi_bad_immediate, abi_bad_traps_gen_params),
	KUNIT_CASE(abi_native_identify),
	KUNIT_CASE(abi_smccc_preserves_x4_x17),
	KUNIT_CASE(abi_psci_version),
	KUNIT_CASE(abi_psci_features),
	KUNIT_CASE(abi_psci_cpu_on_no_such_cpu),
	KUNIT_CASE(abi_psci_cpu_on_already_on),
	KUNIT_CASE(abi_psci_cpu_on_bad_entry),
	KUNIT_CASE(abi_psci_affinity_info),
	KUNIT_CASE(abi_psci_migrate_info_type),
	KUNIT_CASE(abi_still_serving),
	KUNIT_CASE(abi_identify_burst),
	{}
};

static struct kunit_suite gunyah_abi_suite = {
	.name = "gunyah_abi",
	.init = gunyah_abi_test_init,
	.test_cases = gunyah_abi_cases,
};

kunit_test_suite(gunyah_abi_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of the Gunyah hypervisor's firmware ABI");
