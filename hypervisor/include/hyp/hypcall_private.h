/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Our private hypercalls: what our resource manager needs of the
 * hypervisor where the real Gunyah has no hypercall of that shape, because
 * the real RM does it in its own EL1 code or with objects we do not have
 * (memory extents). Only the RM may issue them (core/rm_hypcall.c); for
 * any other caller they are UNIMPLEMENTED, as every unknown number.
 *
 * They sit at 0x1C0-0x1FF: above every number the real Gunyah uses
 * (0x00-0x69) and inside the window of the native entry path
 * (HVC #0x6000 + N, N <= 0x1FF), so that an EL1 RM can issue them either
 * way. Registers as for every hypercall: the SMCCC function ID
 * GUNYAH_HYPCALL_FID(N) in x0, arguments from x1, x0 the error, results
 * from x1. Documentation/virt/gunyah/hypervisor.rst, "The RM's interface
 * to the hypervisor", says what each does and returns.
 */
#ifndef HYP_HYPCALL_PRIVATE_H
#define HYP_HYPCALL_PRIVATE_H

#include <hyp/types.h>

#define HYP_PRIV_HYPCALL_FIRST		0x1c0
#define HYP_PRIV_HYPCALL_LAST		0x1ff

/* Give pages of the primary VM to a VM it owns (memextent_donate + unmap). */
#define HYP_HYPCALL_HOST_MEM_GIVE	0x1c0
/* Take them back, zeroed if asked (memextent_donate back + map). */
#define HYP_HYPCALL_HOST_MEM_TAKE_BACK	0x1c1
/* Copy from the primary VM's memory by physical address into the RM's. */
#define HYP_HYPCALL_HOST_MEM_READ	0x1c2
/* Copy from the RM's memory into the primary VM's by physical address. */
#define HYP_HYPCALL_HOST_MEM_WRITE	0x1c3
/* Map physical pages given to a guest into its stage 2 (addrspace_map). */
#define HYP_HYPCALL_ADDRSPACE_MAP_PA	0x1c4
/* Unmap an IPA range of a guest's stage 2 (addrspace_unmap). */
#define HYP_HYPCALL_ADDRSPACE_UNMAP_PA	0x1c5
/* Bind a vCPU's wake-up to a free SPI of the primary VM (vcpu_bind_virq). */
#define HYP_HYPCALL_VCPU_BIND_HOST_WAKEUP	0x1c6
/* Why a guest stopped, or that it runs (vcpu_run_check of its vCPUs). */
#define HYP_HYPCALL_ADDRSPACE_EXIT_REASON	0x1c7
/* Whether some vCPU of a guest is inside its owner's vcpu_run. */
#define HYP_HYPCALL_ADDRSPACE_BUSY	0x1c8
/*
 * The primary VM's devicetree, from the RM's memory to where the primary
 * VM finds it; only before the primary VM starts.
 */
#define HYP_HYPCALL_RM_HOST_DT		0x1cc

/* host_mem_give / take_back flags */
#define HYP_HOST_MEM_LEND		BIT(0)	/* lent: leaves the host's stage 2 */
#define HYP_HOST_MEM_SANITIZE		BIT(1)	/* take_back only: zero the pages */

/* vcpu_bind_virq / vcpu_unbind_virq types (the real Gunyah's). */
#define GUNYAH_VCPU_VIRQ_HALT		0
#define GUNYAH_VCPU_VIRQ_RUN_WAKEUP	1

/* vcpu_register_write register sets: X0-X30, PC, SP_EL0 / SP_EL1. */
#define GUNYAH_VCPU_REGS_X		0
#define GUNYAH_VCPU_REGS_PC		1
#define GUNYAH_VCPU_REGS_SP		2

/* addrspace_attach_vdevice indexes of the vGIC: its distributor, its redistributors. */
#define GUNYAH_VGIC_VDEVICE_GICD	0
#define GUNYAH_VGIC_VDEVICE_GICR	1

/* addrspace_configure_vmmio operations */
#define GUNYAH_VMMIO_ADD		0

/* The RM's own interrupts, by number in its interrupt controller. */
#define RM_VIRQ_MSGQ			0	/* one of its queues has packets or room */
#define RM_VIRQ_HALT			1	/* a guest stopped by itself */

#endif
