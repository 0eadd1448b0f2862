/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SMCCC decoding and dispatch: turns a trapped HVC or SMC into a call of the
 * service it names. Pure logic, unit-tested on the build host.
 */
#ifndef HYP_SMCCC_H
#define HYP_SMCCC_H

#include <hyp/gunyah_abi.h>
#include <hyp/types.h>

/* x0..x7 of the caller: function ID and arguments in, results out. */
#define SMCCC_NR_REGS	8

enum smccc_service {
	SMCCC_SVC_UNKNOWN,
	SMCCC_SVC_ARCH,		/* owner 0: SMCCC_VERSION, ARCH_FEATURES */
	SMCCC_SVC_PSCI,		/* owner 4, functions 0x00-0x1F */
	SMCCC_SVC_STD_HYP,	/* owner 5: UID and REVISION */
	SMCCC_SVC_VENDOR_HYP,	/* owner 6, class 3: UID and REVISION */
	SMCCC_SVC_HYPCALL,	/* owner 6, class 2: Gunyah hypercall N */
};

struct smccc_call {
	u32 fid;
	enum smccc_service service;
	u16 func;	/* bits 15:0; the hypercall number for SMCCC_SVC_HYPCALL */
};

/* Who answers the calls that are not pure architecture or discovery calls. */
struct smccc_handlers {
	/* PSCI call; the FID is in regs[0], results go to regs[0..3]. */
	void (*psci)(void *ctx, u64 regs[SMCCC_NR_REGS]);
	/* Gunyah hypercall @num, arguments in regs[1..7], results from regs[0]. */
	void (*hypercall)(void *ctx, u32 num, u64 regs[SMCCC_NR_REGS]);
};

enum smccc_service smccc_decode(u64 x0, struct smccc_call *call);

/* A Gunyah hypercall's function ID, the SVE hint aside, less its number. */
#define SMCCC_HYPCALL_FID	(SMCCC_FAST_CALL | SMCCC_64 | \
				 FIELD_PREP(SMCCC_OWNER, SMCCC_OWNER_VENDOR_HYP) | \
				 FIELD_PREP(SMCCC_VENDOR_HYP_CLASS, \
					    SMCCC_VENDOR_HYP_CLASS_HYPCALL))

/*
 * Is @x0 the function ID of a Gunyah hypercall (what smccc_decode() says
 * SMCCC_SVC_HYPCALL of)? Its number in @num if so. The hot calls
 * (vcpu_run, doorbells, queues) take this look first.
 */
static inline bool smccc_is_hypcall(u64 x0, u32 *num)
{
	u32 fid = (u32)x0 & ~(u32)SMCCC_SVE_HINT;

	*num = FIELD_GET(SMCCC_HYPCALL_NUM, fid);
	return (fid & ~(u32)SMCCC_HYPCALL_NUM) == SMCCC_HYPCALL_FID;
}

/* Handle an SMCCC call (HVC #0 or SMC #0) in place. */
void smccc_handle(const struct smccc_handlers *h, void *ctx, u64 regs[SMCCC_NR_REGS]);

/*
 * Handle a call on the native Gunyah path, HVC #(0x6000 + N): inputs in
 * x0..x6, outputs as for SMCCC. Returns false if @imm is not in that range.
 */
bool smccc_handle_native(const struct smccc_handlers *h, void *ctx, u16 imm,
			 u64 regs[SMCCC_NR_REGS]);

#endif
