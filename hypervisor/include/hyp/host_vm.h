/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The primary VM ("HLOS", VMID 3): Linux at EL1 with stage 2 on, its RAM
 * identity-mapped except the hypervisor's memory, its devices as device
 * memory, one vCPU per physical CPU.
 */
#ifndef HYP_HOST_VM_H
#define HYP_HOST_VM_H

#include <hyp/machine.h>
#include <hyp/smccc.h>

int host_vm_init(const struct machine *m, const struct mem_range *hyp,
		 const struct mem_range *mmio);

u64 host_vm_vttbr(void);

/* Whether the primary VM may access @ipa (for the caller's own checks). */
bool host_vm_can_access(u64 ipa, unsigned int prot);

/*
 * A stage-2 fault of the primary VM at @ipa that a concurrent change of its
 * stage 2 caused (the page is mapped now): retry the access.
 */
bool host_vm_fault_is_stale(u64 ipa, bool write, bool exec);

/* An HVC #0 or SMC #0 from the primary VM on this CPU. */
void host_vm_smccc(u64 regs[SMCCC_NR_REGS]);

/* An HVC with another immediate; false if it is not a Gunyah native call. */
bool host_vm_native_hvc(u16 imm, u64 regs[SMCCC_NR_REGS]);

/* See psci_host_cpu_started(). */
bool host_vm_cpu_started(unsigned int cpu, u64 *entry, u64 *context);

#endif
