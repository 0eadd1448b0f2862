// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of core/smccc.c and core/hypercall.c: function-ID decoding
 * (../shared/spec/abi.md §1.3), the discovery calls (§1.4), routing to the
 * PSCI and hypercall handlers, hypervisor_identify (§1.5) and the native
 * HVC #(0x6000 + N) path.
 */
#include <string.h>
#include <hyp/gunyah_abi.h>
#include <hyp/hypercall.h>
#include <hyp/smccc.h>
#include "test.h"

#define NOT_SUPPORTED	0xffffffffffffffffUL

struct decode_case {
	u64 x0;
	enum smccc_service svc;
	u16 func;	/* checked for PSCI and hypercalls */
};

static const struct decode_case decode_cases[] = {
	/* Arm architecture calls: SMC32 only. */
	{ 0x80000000, SMCCC_SVC_ARCH, 0 },
	{ 0x80000001, SMCCC_SVC_ARCH, 1 },
	{ 0xc0000000, SMCCC_SVC_UNKNOWN, 0 },
	{ 0xc0000001, SMCCC_SVC_UNKNOWN, 0 },
	{ 0x80000002, SMCCC_SVC_UNKNOWN, 0 },	/* SOC_ID: not provided */
	{ 0x80008000, SMCCC_SVC_UNKNOWN, 0 },	/* ARCH_WORKAROUND_1 */
	{ 0x80007fff, SMCCC_SVC_UNKNOWN, 0 },
	/* PSCI: standard service functions 0x00-0x1f, both conventions. */
	{ 0x84000000, SMCCC_SVC_PSCI, 0x00 },
	{ 0x84000003, SMCCC_SVC_PSCI, 0x03 },
	{ 0x8400000a, SMCCC_SVC_PSCI, 0x0a },
	{ 0x8400001f, SMCCC_SVC_PSCI, 0x1f },
	{ 0xc4000003, SMCCC_SVC_PSCI, 0x03 },
	{ 0xc400001f, SMCCC_SVC_PSCI, 0x1f },
	{ 0x84000020, SMCCC_SVC_UNKNOWN, 0 },
	{ 0x84000040, SMCCC_SVC_UNKNOWN, 0 },	/* SDEI etc. live above PSCI */
	{ 0xc4000020, SMCCC_SVC_UNKNOWN, 0 },
	/* Standard hypervisor service: UID and REVISION, SMC32. */
	{ 0x8500ff01, SMCCC_SVC_STD_HYP, 0xff01 },
	{ 0x8500ff03, SMCCC_SVC_STD_HYP, 0xff03 },
	{ 0x8500ff00, SMCCC_SVC_UNKNOWN, 0 },
	{ 0x8500ff02, SMCCC_SVC_UNKNOWN, 0 },
	{ 0xc500ff01, SMCCC_SVC_UNKNOWN, 0 },
	{ 0xc500ff03, SMCCC_SVC_UNKNOWN, 0 },
	/* Vendor hypervisor service calls: UID, REVISION; SMC32; no CALL_COUNT. */
	{ 0x8600ff01, SMCCC_SVC_VENDOR_HYP, 0xff01 },
	{ 0x8600ff03, SMCCC_SVC_VENDOR_HYP, 0xff03 },
	{ 0xc600ff01, SMCCC_SVC_UNKNOWN, 0 },
	{ 0xc600ff03, SMCCC_SVC_UNKNOWN, 0 },
	{ 0x8600ff00, SMCCC_SVC_UNKNOWN, 0 },
	{ 0x8600ff02, SMCCC_SVC_UNKNOWN, 0 },
	{ 0x8600c000, SMCCC_SVC_UNKNOWN, 0 },
	/* Gunyah hypercalls: vendor-hyp class 2, fast SMC64 only. */
	{ 0xc6008000, SMCCC_SVC_HYPCALL, 0x00 },
	{ 0xc6008065, SMCCC_SVC_HYPCALL, 0x65 },
	{ 0xc600bfff, SMCCC_SVC_HYPCALL, 0x3fff },
	{ 0x86008000, SMCCC_SVC_UNKNOWN, 0 },
	{ 0x86008065, SMCCC_SVC_UNKNOWN, 0 },
	/* Vendor-hyp classes 0 (platform) and 1: nothing here. */
	{ 0xc6000000, SMCCC_SVC_UNKNOWN, 0 },
	{ 0x86000001, SMCCC_SVC_UNKNOWN, 0 },
	{ 0xc6004000, SMCCC_SVC_UNKNOWN, 0 },
	/* Other owners. */
	{ 0x81000000, SMCCC_SVC_UNKNOWN, 0 },	/* CPU service */
	{ 0x82000000, SMCCC_SVC_UNKNOWN, 0 },	/* SiP */
	{ 0xc2000000, SMCCC_SVC_UNKNOWN, 0 },
	{ 0x83000000, SMCCC_SVC_UNKNOWN, 0 },	/* OEM */
	{ 0x87000000, SMCCC_SVC_UNKNOWN, 0 },	/* standard secure service */
	{ 0xb0000000, SMCCC_SVC_UNKNOWN, 0 },	/* trusted applications */
	{ 0xbf00ff01, SMCCC_SVC_UNKNOWN, 0 },	/* trusted OS */
	/* Yielding calls (bit 31 clear) do not exist here. */
	{ 0x00000000, SMCCC_SVC_UNKNOWN, 0 },
	{ 0x04000000, SMCCC_SVC_UNKNOWN, 0 },
	{ 0x0600ff01, SMCCC_SVC_UNKNOWN, 0 },
	{ 0x46008000, SMCCC_SVC_UNKNOWN, 0 },
	{ 0x44000003, SMCCC_SVC_UNKNOWN, 0 },
	/* The upper half of x0 is not part of the function ID. */
	{ 0xffffffff80000000UL, SMCCC_SVC_ARCH, 0 },
	{ 0x00000001c6008000UL, SMCCC_SVC_HYPCALL, 0x00 },
	{ 0xdeadbeef84000003UL, SMCCC_SVC_PSCI, 0x03 },
	{ 0x123456788600ff01UL, SMCCC_SVC_VENDOR_HYP, 0xff01 },
	{ 0xffffffff00000000UL, SMCCC_SVC_UNKNOWN, 0 },
	/* Bit 16 is the SMCCC 1.3 SVE live-state hint: ignored. */
	{ 0x80010000, SMCCC_SVC_ARCH, 0 },
	{ 0x80010001, SMCCC_SVC_ARCH, 1 },
	{ 0x84010003, SMCCC_SVC_PSCI, 0x03 },
	{ 0xc4010003, SMCCC_SVC_PSCI, 0x03 },
	{ 0x8501ff01, SMCCC_SVC_STD_HYP, 0xff01 },
	{ 0x8601ff01, SMCCC_SVC_VENDOR_HYP, 0xff01 },
	{ 0x8601ff03, SMCCC_SVC_VENDOR_HYP, 0xff03 },
	{ 0xc6018065, SMCCC_SVC_HYPCALL, 0x65 },
};

TEST(decode_table)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(decode_cases); i++) {
		const struct decode_case *dc = &decode_cases[i];
		struct smccc_call call;
		enum smccc_service svc;
		int ok;

		memset(&call, 0xa5, sizeof(call));
		svc = smccc_decode(dc->x0, &call);
		ok = CHECK_EQ(svc, dc->svc);
		ok &= CHECK_EQ(call.service, dc->svc);
		/* Whether the hint bit is kept in call.fid is not specified. */
		ok &= CHECK_EQ(call.fid & ~SMCCC_SVE_HINT, (u32)dc->x0 & ~SMCCC_SVE_HINT);
		if (dc->svc == SMCCC_SVC_PSCI || dc->svc == SMCCC_SVC_HYPCALL)
			ok &= CHECK_EQ(call.func, dc->func);
		if (!ok)
			printf("#     x0 = %#lx\n", (unsigned long)dc->x0);
	}
}

TEST(decode_must_be_zero_bits)
{
	static const u32 valid[] = {
		0x80000000, 0x80000001, 0x84000000, 0xc4000003, 0x8500ff01,
		0x8600ff01, 0x8600ff03, 0xc6008000, 0xc6008065,
	};
	unsigned int i, bit;

	for (i = 0; i < ARRAY_SIZE(valid); i++) {
		struct smccc_call call;

		CHECK(smccc_decode(valid[i], &call) != SMCCC_SVC_UNKNOWN);
		for (bit = 17; bit <= 23; bit++) {
			u32 fid = valid[i] | (1U << bit);

			if (!CHECK_EQ(smccc_decode(fid, &call), SMCCC_SVC_UNKNOWN))
				printf("#     fid = %#x\n", fid);
		}
		/* A yielding version of every valid call is unknown too. */
		CHECK_EQ(smccc_decode(valid[i] & ~SMCCC_FAST_CALL, &call), SMCCC_SVC_UNKNOWN);
	}
}

/* Fake handlers: record what they are given, answer recognisably. */
struct fake {
	unsigned int psci_calls;
	u64 psci_regs[SMCCC_NR_REGS];
	unsigned int hyp_calls;
	u32 hyp_num;
	u64 hyp_regs[SMCCC_NR_REGS];
	void *ctx_seen;
};

static void fake_psci(void *ctx, u64 regs[SMCCC_NR_REGS])
{
	struct fake *f = ctx;

	f->psci_calls++;
	f->ctx_seen = ctx;
	memcpy(f->psci_regs, regs, sizeof(f->psci_regs));
	regs[0] = 0x5c15;
}

static void fake_hypercall(void *ctx, u32 num, u64 regs[SMCCC_NR_REGS])
{
	struct fake *f = ctx;

	f->hyp_calls++;
	f->ctx_seen = ctx;
	f->hyp_num = num;
	memcpy(f->hyp_regs, regs, sizeof(f->hyp_regs));
	regs[0] = 0x600d;
	regs[1] = 0x1111;
}

static const struct smccc_handlers fake_handlers = {
	.psci = fake_psci,
	.hypercall = fake_hypercall,
};

static const struct smccc_handlers real_handlers = {
	.psci = NULL,
	.hypercall = hypercall_dispatch,
};

static void fill(u64 regs[SMCCC_NR_REGS], u64 x0)
{
	unsigned int i;

	regs[0] = x0;
	for (i = 1; i < SMCCC_NR_REGS; i++)
		regs[i] = 0xa0a0a0a000000000UL + i;
}

/* Run @x0 through smccc_handle with the fake handlers. */
static void call(struct fake *f, u64 regs[SMCCC_NR_REGS], u64 x0)
{
	memset(f, 0, sizeof(*f));
	fill(regs, x0);
	smccc_handle(&fake_handlers, f, regs);
}

TEST(smccc_version)
{
	struct fake f;
	u64 r[SMCCC_NR_REGS];

	call(&f, r, 0x80000000);
	CHECK_EQ(r[0], 0x10003);
	CHECK_EQ(f.psci_calls + f.hyp_calls, 0);
	call(&f, r, 0xffffffff80000000UL);
	CHECK_EQ(r[0], 0x10003);
	/* SMC64 SMCCC_VERSION does not exist. */
	call(&f, r, 0xc0000000);
	CHECK_EQ(r[0], NOT_SUPPORTED);
}

TEST(smccc_arch_features)
{
	struct fake f;
	u64 r[SMCCC_NR_REGS];

	fill(r, 0x80000001);
	r[1] = 0x80000000;
	smccc_handle(&fake_handlers, &f, r);
	CHECK_EQ(r[0], 0);

	fill(r, 0x80000001);
	r[1] = 0x80000001;
	smccc_handle(&fake_handlers, &f, r);
	CHECK_EQ(r[0], 0);

	/* ARCH_FEATURES is SMC32: its argument is w1. */
	fill(r, 0x80000001);
	r[1] = 0xffffffff80000000UL;
	smccc_handle(&fake_handlers, &f, r);
	CHECK_EQ(r[0], 0);

	/* ARCH_WORKAROUND_1/2/3 and SOC_ID are not offered. */
	static const u32 absent[] = { 0x80008000, 0x80007fff, 0x80003fff, 0x80000002,
				      0xc0000000, 0x12345678 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(absent); i++) {
		fill(r, 0x80000001);
		r[1] = absent[i];
		smccc_handle(&fake_handlers, &f, r);
		CHECK_EQ(r[0], NOT_SUPPORTED);
	}
}

TEST(vendor_hyp_uid_and_revision)
{
	struct fake f;
	u64 r[SMCCC_NR_REGS];

	call(&f, r, 0x8600ff01);
	CHECK_EQ(r[0], 0xcd8fd5c1);
	CHECK_EQ(r[1], 0xdb5f53a4);
	CHECK_EQ(r[2], 0x36ce6592);
	CHECK_EQ(r[3], 0x145f3d67);
	CHECK_EQ(f.psci_calls + f.hyp_calls, 0);

	call(&f, r, 0x8600ff03);
	CHECK_EQ(r[0], hypercall_api_info());
	CHECK_EQ(r[0], 0x4800000000008001UL);

	/* The SMC64 forms and CALL_COUNT are unknown. */
	call(&f, r, 0xc600ff01);
	CHECK_EQ(r[0], NOT_SUPPORTED);
	CHECK_EQ(r[1], 0xa0a0a0a000000001UL);
	call(&f, r, 0x8600ff00);
	CHECK_EQ(r[0], NOT_SUPPORTED);
}

TEST(standard_hyp_uid_and_revision)
{
	struct fake f;
	u64 r[SMCCC_NR_REGS];

	call(&f, r, 0x8500ff01);
	CHECK_EQ(r[0], 0xcd8fd5c1);
	CHECK_EQ(r[1], 0xdb5f53a4);
	CHECK_EQ(r[2], 0x36ce6592);
	CHECK_EQ(r[3], 0x145f3d67);

	call(&f, r, 0x8500ff03);
	CHECK_EQ(r[0], 1);
	CHECK_EQ(r[1], 0);
	CHECK_EQ(f.psci_calls + f.hyp_calls, 0);
}

TEST(hypercall_routed_with_number_and_arguments)
{
	struct fake f;
	u64 r[SMCCC_NR_REGS];
	unsigned int i;

	call(&f, r, 0xc6008065);
	CHECK_EQ(f.hyp_calls, 1);
	CHECK_EQ(f.psci_calls, 0);
	CHECK_EQ(f.hyp_num, 0x65);
	CHECK(f.ctx_seen == &f);
	CHECK_EQ(f.hyp_regs[0], 0xc6008065);
	for (i = 1; i < SMCCC_NR_REGS; i++)
		CHECK_EQ(f.hyp_regs[i], 0xa0a0a0a000000000UL + i);
	CHECK_EQ(r[0], 0x600d);
	CHECK_EQ(r[1], 0x1111);

	call(&f, r, 0xc600bfff);
	CHECK_EQ(f.hyp_calls, 1);
	CHECK_EQ(f.hyp_num, 0x3fff);

	/* SMC32 encoding of a hypercall: not a hypercall. */
	call(&f, r, 0x86008065);
	CHECK_EQ(f.hyp_calls, 0);
	CHECK_EQ(r[0], NOT_SUPPORTED);
}

TEST(psci_routed)
{
	struct fake f;
	u64 r[SMCCC_NR_REGS];
	unsigned int i;

	call(&f, r, 0xc4000003);
	CHECK_EQ(f.psci_calls, 1);
	CHECK_EQ(f.hyp_calls, 0);
	CHECK(f.ctx_seen == &f);
	CHECK_EQ(f.psci_regs[0], 0xc4000003);
	for (i = 1; i < SMCCC_NR_REGS; i++)
		CHECK_EQ(f.psci_regs[i], 0xa0a0a0a000000000UL + i);
	CHECK_EQ(r[0], 0x5c15);

	call(&f, r, 0x84000000);
	CHECK_EQ(f.psci_calls, 1);
	CHECK_EQ(r[0], 0x5c15);

	/* No PSCI handler: NOT_SUPPORTED. */
	fill(r, 0x84000000);
	smccc_handle(&real_handlers, NULL, r);
	CHECK_EQ(r[0], NOT_SUPPORTED);
}

TEST(unknown_calls_return_minus_one_and_preserve_x1_to_x7)
{
	static const u64 unknown[] = {
		0xc0000000, 0x84000020, 0xc500ff01, 0xc600ff01, 0x8600ff00, 0x86008000,
		0x80020000, 0xc6808000, 0x46008000, 0x00000000, 0x82000001,
		0xffffffff00000000UL,
	};
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(unknown); i++) {
		struct fake f;
		u64 r[SMCCC_NR_REGS];
		int ok;

		call(&f, r, unknown[i]);
		ok = CHECK_EQ(r[0], NOT_SUPPORTED);
		for (j = 1; j < SMCCC_NR_REGS; j++)
			ok &= CHECK_EQ(r[j], 0xa0a0a0a000000000UL + j);
		ok &= CHECK_EQ(f.psci_calls + f.hyp_calls, 0);
		if (!ok)
			printf("#     x0 = %#lx\n", (unsigned long)unknown[i]);
	}
}

TEST(sve_hint_bit_is_ignored_by_the_handlers)
{
	struct fake f;
	u64 r[SMCCC_NR_REGS];

	call(&f, r, 0x80010000);
	CHECK_EQ(r[0], 0x10003);

	fill(r, 0x80010001);
	r[1] = 0x80000000;
	smccc_handle(&fake_handlers, &f, r);
	CHECK_EQ(r[0], 0);

	call(&f, r, 0x8601ff01);
	CHECK_EQ(r[0], 0xcd8fd5c1);

	call(&f, r, 0xc6018000);
	CHECK_EQ(f.hyp_calls, 1);
	CHECK_EQ(f.hyp_num, 0);

	/*
	 * The PSCI layer matches whole function IDs: it must be handed the ID
	 * without the hint, or CPU_ON with the hint set would be NOT_SUPPORTED.
	 */
	call(&f, r, 0x84010003);
	CHECK_EQ(f.psci_calls, 1);
	CHECK_EQ((u32)f.psci_regs[0], 0x84000003);
}

TEST(identify_word_values)
{
	CHECK_EQ(hypercall_api_info(), 0x4800000000008001UL);
	CHECK_EQ(FIELD_GET(GUNYAH_API_INFO_VERSION, hypercall_api_info()), 1);
	/* Doorbells (bit 1) and message queues (bit 2), scheduler 0. */
	CHECK_EQ(hypercall_api_flags0(), 0x6);
}

TEST(real_dispatch_identify_and_unknown)
{
	u64 r[SMCCC_NR_REGS];
	unsigned int i;

	fill(r, 0xc6008000);
	smccc_handle(&real_handlers, NULL, r);
	CHECK_EQ(r[0], 0x4800000000008001UL);
	CHECK_EQ(r[1], 0x6);
	CHECK_EQ(r[2], 0);
	CHECK_EQ(r[3], 0);

	fill(r, 0xc600bfff);
	smccc_handle(&real_handlers, NULL, r);
	CHECK_EQ(r[0], NOT_SUPPORTED);
	for (i = 1; i < SMCCC_NR_REGS; i++)
		CHECK_EQ(r[i], 0xa0a0a0a000000000UL + i);

	fill(r, 0xc6008001);
	smccc_handle(&real_handlers, NULL, r);
	CHECK_EQ(r[0], NOT_SUPPORTED);
}

TEST(native_identify_shifts_inputs)
{
	struct fake f;
	u64 r[SMCCC_NR_REGS];
	unsigned int i;

	memset(&f, 0, sizeof(f));
	for (i = 0; i < SMCCC_NR_REGS; i++)
		r[i] = 0x1000 + i;
	CHECK(smccc_handle_native(&fake_handlers, &f, 0x6000, r));
	CHECK_EQ(f.hyp_calls, 1);
	CHECK_EQ(f.hyp_num, 0);
	CHECK(f.ctx_seen == &f);
	/* Native x0..x6 are SMCCC x1..x7. */
	for (i = 1; i < SMCCC_NR_REGS; i++)
		CHECK_EQ(f.hyp_regs[i], 0x1000 + i - 1);
	/* Outputs as for SMCCC: x0 first. */
	CHECK_EQ(r[0], 0x600d);
	CHECK_EQ(r[1], 0x1111);

	for (i = 0; i < SMCCC_NR_REGS; i++)
		r[i] = 0x2000 + i;
	CHECK(smccc_handle_native(&real_handlers, NULL, 0x6000, r));
	CHECK_EQ(r[0], 0x4800000000008001UL);
	CHECK_EQ(r[1], 0x6);
	CHECK_EQ(r[2], 0);
	CHECK_EQ(r[3], 0);
}

TEST(native_range_bounds)
{
	struct fake f;
	u64 r[SMCCC_NR_REGS], before[SMCCC_NR_REGS];
	static const u16 outside[] = { 0x5fff, 0x6200, 0x0000, 0xffff, 0x4000 };
	unsigned int i, j;

	memset(&f, 0, sizeof(f));
	fill(r, 0x55);
	CHECK(smccc_handle_native(&fake_handlers, &f, 0x61ff, r));
	CHECK_EQ(f.hyp_num, 0x1ff);

	fill(r, 0x55);
	CHECK(smccc_handle_native(&real_handlers, NULL, 0x61ff, r));
	CHECK_EQ(r[0], NOT_SUPPORTED);
	fill(r, 0x55);
	CHECK(smccc_handle_native(&real_handlers, NULL, 0x6066, r));
	CHECK_EQ(r[0], NOT_SUPPORTED);

	for (i = 0; i < ARRAY_SIZE(outside); i++) {
		memset(&f, 0, sizeof(f));
		fill(r, 0x55);
		memcpy(before, r, sizeof(r));
		CHECK(!smccc_handle_native(&fake_handlers, &f, outside[i], r));
		CHECK_EQ(f.hyp_calls, 0);
		for (j = 0; j < SMCCC_NR_REGS; j++)
			CHECK_EQ(r[j], before[j]);
	}
}
