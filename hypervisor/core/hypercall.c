// SPDX-License-Identifier: GPL-2.0-only
/*
 * Gunyah hypercalls. Each later capability (message queues, doorbells,
 * vcpu_run) adds its calls here and sets its bit in api_flags_0, so that
 * hypervisor_identify always tells the truth about what is implemented.
 */
#include <hyp/gunyah_abi.h>
#include <hyp/hypercall.h>

u64 hypercall_api_info(void)
{
	return FIELD_PREP(GUNYAH_API_INFO_VERSION, GUNYAH_API_VERSION) |
	       GUNYAH_API_INFO_64BIT |
	       FIELD_PREP(GUNYAH_API_INFO_VARIANT, GUNYAH_API_VARIANT);
}

u64 hypercall_api_flags0(void)
{
	/* No object API yet; scheduler variant 0 ("trivial"). */
	return 0;
}

static void hypercall_identify(u64 regs[SMCCC_NR_REGS])
{
	regs[0] = hypercall_api_info();
	regs[1] = hypercall_api_flags0();
	regs[2] = 0;	/* api_flags_1: no SVE context switching advertised */
	regs[3] = 0;	/* api_flags_2 */
}

void hypercall_dispatch(void *ctx __unused, u32 num, u64 regs[SMCCC_NR_REGS])
{
	switch (num) {
	case GUNYAH_HYPCALL_IDENTIFY:
		hypercall_identify(regs);
		break;
	default:
		regs[0] = (u64)GUNYAH_ERROR_UNIMPLEMENTED;
		break;
	}
}
