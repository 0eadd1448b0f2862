// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMCCC function-ID decoding (../shared/spec/abi.md §1.3, §1.4) and the
 * discovery calls every caller gets: SMCCC_VERSION, ARCH_FEATURES, the
 * standard-hyp and vendor-hyp UID and REVISION. Anything not recognised
 * returns -1 (NOT_SUPPORTED) in x0 and leaves x1..x7 as they were.
 */
#include <hyp/gunyah_abi.h>
#include <hyp/hypercall.h>
#include <hyp/smccc.h>

enum smccc_service smccc_decode(u64 x0, struct smccc_call *call)
{
	/* The function ID is w0 without the SVE live-state hint (bit 16). */
	u32 fid = (u32)x0 & ~(u32)SMCCC_SVE_HINT;
	u32 owner = FIELD_GET(SMCCC_OWNER, fid);
	u16 func = FIELD_GET(SMCCC_FUNC, fid);
	bool fast = fid & SMCCC_FAST_CALL;
	bool is64 = fid & SMCCC_64;
	enum smccc_service svc = SMCCC_SVC_UNKNOWN;

	call->fid = fid;
	call->func = func;

	/* Yielding calls do not exist here; bits 23:17 must be zero. */
	if (!fast || (fid & SMCCC_MBZ))
		goto out;

	switch (owner) {
	case SMCCC_OWNER_ARCH:
		if (!is64 && (fid == SMCCC_VERSION || fid == SMCCC_ARCH_FEATURES))
			svc = SMCCC_SVC_ARCH;
		break;
	case SMCCC_OWNER_STANDARD:
		/* PSCI owns functions 0x00-0x1F of the standard service. */
		if (func <= 0x1f)
			svc = SMCCC_SVC_PSCI;
		break;
	case SMCCC_OWNER_STANDARD_HYP:
		if (!is64 && (func == SMCCC_FUNC_CALL_UID || func == SMCCC_FUNC_REVISION))
			svc = SMCCC_SVC_STD_HYP;
		break;
	case SMCCC_OWNER_VENDOR_HYP:
		switch (FIELD_GET(SMCCC_VENDOR_HYP_CLASS, func)) {
		case SMCCC_VENDOR_HYP_CLASS_HYPCALL:
			/* Gunyah hypercalls are SMC64 only. */
			if (is64) {
				svc = SMCCC_SVC_HYPCALL;
				call->func = FIELD_GET(SMCCC_HYPCALL_NUM, func);
			}
			break;
		case SMCCC_VENDOR_HYP_CLASS_SERVICE:
			/* UID and REVISION are SMC32; CALL_COUNT is deprecated. */
			if (!is64 && (func == SMCCC_FUNC_CALL_UID || func == SMCCC_FUNC_REVISION))
				svc = SMCCC_SVC_VENDOR_HYP;
			break;
		}
		break;
	}
out:
	call->service = svc;
	return svc;
}

static void smccc_return_uid(u64 regs[SMCCC_NR_REGS])
{
	regs[0] = GUNYAH_UID0;
	regs[1] = GUNYAH_UID1;
	regs[2] = GUNYAH_UID2;
	regs[3] = GUNYAH_UID3;
}

static void smccc_handle_arch(u64 regs[SMCCC_NR_REGS], u32 fid)
{
	u32 feature = (u32)regs[1];

	if (fid == SMCCC_VERSION) {
		regs[0] = SMCCC_VERSION_1_3;
		return;
	}
	/*
	 * ARCH_FEATURES: only the two calls above. The CPU workarounds
	 * (ARCH_WORKAROUND_1..3) and SOC_ID are not provided.
	 */
	if (feature == SMCCC_VERSION || feature == SMCCC_ARCH_FEATURES)
		regs[0] = SMCCC_RET_SUCCESS;
	else
		regs[0] = (u64)SMCCC_RET_NOT_SUPPORTED;
}

void smccc_handle(const struct smccc_handlers *h, void *ctx, u64 regs[SMCCC_NR_REGS])
{
	struct smccc_call call;
	u32 num;

	if (smccc_is_hypcall(regs[0], &num)) {
		h->hypercall(ctx, num, regs);
		return;
	}

	switch (smccc_decode(regs[0], &call)) {
	case SMCCC_SVC_ARCH:
		smccc_handle_arch(regs, call.fid);
		break;
	case SMCCC_SVC_PSCI:
		/* PSCI matches whole function IDs: hand it the decoded one. */
		regs[0] = call.fid;
		if (h->psci)
			h->psci(ctx, regs);
		else
			regs[0] = (u64)SMCCC_RET_NOT_SUPPORTED;
		break;
	case SMCCC_SVC_STD_HYP:
		if (call.func == SMCCC_FUNC_CALL_UID) {
			smccc_return_uid(regs);
		} else {
			/* Standard hypervisor service revision 1.0. */
			regs[0] = 1;
			regs[1] = 0;
		}
		break;
	case SMCCC_SVC_VENDOR_HYP:
		if (call.func == SMCCC_FUNC_CALL_UID)
			smccc_return_uid(regs);
		else
			regs[0] = hypercall_api_info();
		break;
	case SMCCC_SVC_HYPCALL:
		h->hypercall(ctx, call.func, regs);
		break;
	case SMCCC_SVC_UNKNOWN:
		regs[0] = (u64)SMCCC_RET_NOT_SUPPORTED;
		break;
	}
}

bool smccc_handle_native(const struct smccc_handlers *h, void *ctx, u16 imm,
			 u64 regs[SMCCC_NR_REGS])
{
	u64 shifted[SMCCC_NR_REGS];
	unsigned int i;

	if (imm < GUNYAH_NATIVE_HVC_BASE || imm > GUNYAH_NATIVE_HVC_LAST)
		return false;

	/* Native inputs start at x0: present them to the handler as SMCCC's x1.. */
	shifted[0] = 0;
	for (i = 1; i < SMCCC_NR_REGS; i++)
		shifted[i] = regs[i - 1];
	h->hypercall(ctx, imm - GUNYAH_NATIVE_HVC_BASE, shifted);
	for (i = 0; i < SMCCC_NR_REGS; i++)
		regs[i] = shifted[i];
	return true;
}
