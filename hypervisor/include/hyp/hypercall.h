/* SPDX-License-Identifier: GPL-2.0-only */
/* The Gunyah hypercall table (../shared/spec/abi.md §2). */
#ifndef HYP_HYPERCALL_H
#define HYP_HYPERCALL_H

#include <hyp/smccc.h>

/* hypervisor_identify word 0: API version, 64-bit, variant. */
u64 hypercall_api_info(void);

/* hypervisor_identify word 1: the features this build really implements. */
u64 hypercall_api_flags0(void);

struct hyp_vm;

/*
 * Run hypercall @num of the resource manager's that other VMs may not
 * issue. Returns false if @num is none of them.
 */
bool hypercall_rm_dispatch(struct hyp_vm *vm, u32 num, u64 regs[SMCCC_NR_REGS]);

/* Run hypercall @num with SMCCC-layout @regs (arguments from x1). */
void hypercall_dispatch(void *ctx, u32 num, u64 regs[SMCCC_NR_REGS]);

#endif
