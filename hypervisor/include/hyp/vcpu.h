/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A guest vCPU as a capability object. The resource manager creates them
 * at VM_INIT and hands the owner a capability (AFFINITY | YIELD_TO, the
 * rights vcpu_run checks) and a wake-up interrupt. The vCPU's context lives
 * in its guest (hyp/guest.h); it runs only inside its owner's vcpu_run.
 */
#ifndef HYP_VCPU_H
#define HYP_VCPU_H

#include <hyp/object.h>
#include <hyp/virq.h>

struct hyp_guest;

/* Boot registers: x0-x30, PC, SP_EL0, SP_EL1 (VM_SET_BOOT_CONTEXT order). */
#define HYP_BOOT_REG_PC		31
#define HYP_BOOT_REG_SP_EL0	32
#define HYP_BOOT_REG_SP_EL1	33
#define HYP_BOOT_NR_REGS	34

struct vcpu {
	struct object obj;
	u16 vmid;
	u32 index;
	struct virq *wakeup;	/* to the owner: the vCPU wants to run */
	struct hyp_guest *guest;	/* set when the RM binds it to its guest */
	/* What the RM set before the start, applied by vcpu_set_affinity / vcpu_poweron. */
	u8 prio;
	u64 timeslice_ns;
	u64 boot_regs[HYP_BOOT_NR_REGS];
};

/*
 * The vcpu_run hypercall (../shared/spec/abi.md §3): run @vcpu with the
 * owner's resume data; out[0] is the state, out[1..3] its data. Returns a
 * Gunyah error (BUSY if the vCPU runs already, OBJECT_STATE if it has no
 * guest).
 */
int guest_vcpu_run(struct vcpu *vcpu, const u64 resume[3], u64 out[4]);

#endif
