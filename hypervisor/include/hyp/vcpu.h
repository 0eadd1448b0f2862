/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A guest vCPU as a capability object. The resource manager creates them
 * at VM_INIT and hands the owner a capability (AFFINITY | YIELD_TO, the
 * rights vcpu_run checks) and a wake-up interrupt; running them is the job
 * of vcpu_run, which comes with proxy scheduling.
 */
#ifndef HYP_VCPU_H
#define HYP_VCPU_H

#include <hyp/object.h>
#include <hyp/virq.h>

struct vcpu {
	struct object obj;
	u16 vmid;
	u32 index;
	struct virq *wakeup;	/* to the owner: the vCPU wants to run */
};

#endif
