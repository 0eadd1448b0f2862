/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The contract between the hypervisor and the resource manager's own VM
 * (rm.elf, rm/el1/): where the RM lives in its address space, how it is
 * entered, and the private hypercalls only its VM may make. Both sides
 * include this; rm/el1/rm.ld repeats the numbers and asserts them.
 *
 * Memory map of the RM VM (IPA; its stage 2 holds nothing else):
 *
 *   RM_VM_IPA_BASE               rm.elf: text, rodata, data, bss
 *   RM_VM_GUARD_IPA              one page left unmapped: a stack overflow
 *                                faults instead of writing over the bss
 *   RM_VM_STACK_IPA              its stack, RM_VM_STACK_SIZE
 *   RM_VM_BOOT_INFO_IPA          one page: struct rm_boot_info at boot
 *   RM_VM_HOST_DT_IPA            RM_VM_HOST_DT_MAX: the primary VM's
 *                                devicetree, which the RM prepares at boot
 *   RM_VM_IPA_BASE + RM_VM_SIZE  end
 *
 * The hypervisor backs it with RM_VM_SIZE bytes of its own memory, zeroed,
 * copies rm.bin (the image without its bss) to the start and the
 * devicetree the primary VM starts from to RM_VM_HOST_DT_IPA, and enters
 * the RM at RM_VM_IPA_BASE at EL1h with x0 = RM_VM_BOOT_INFO_IPA, MMU off
 * (HCR_EL2.DC: normal cacheable memory), interrupts masked.
 *
 * Its interrupts come through its own GIC virtual CPU interface (the
 * system registers; it has no distributor): RM_VIRQ_N is SPI
 * RM_VM_VINTID_BASE + N, group 1, edge, priority 0xa0 (the halt 0x90).
 * The RM enables its interface (ICC_PMR_EL1, ICC_IGRPEN1_EL1), takes each
 * with ICC_IAR1_EL1 and ends it with ICC_EOIR1_EL1, its IRQs masked, and
 * waits with WFI when ICC_IAR1_EL1 gives a spurious INTID; the hypervisor
 * lets it go on past its WFI if one was raised meanwhile, and otherwise
 * gives the CPU back.
 */
#ifndef HYP_RM_VM_ABI_H
#define HYP_RM_VM_ABI_H

#define RM_VM_IPA_BASE		0x40000000
#define RM_VM_SIZE		0x00500000	/* 5 MiB */
#define RM_VM_HOST_DT_MAX	0x00100000	/* PLATFORM_HOST_DT_MAX */
#define RM_VM_HOST_DT_IPA	(RM_VM_IPA_BASE + RM_VM_SIZE - RM_VM_HOST_DT_MAX)
#define RM_VM_BOOT_INFO_IPA	(RM_VM_HOST_DT_IPA - 0x1000)
#define RM_VM_STACK_SIZE	0x10000
#define RM_VM_STACK_IPA		(RM_VM_BOOT_INFO_IPA - RM_VM_STACK_SIZE)
#define RM_VM_GUARD_IPA		(RM_VM_STACK_IPA - 0x1000)
#define RM_VM_VINTID_BASE	32

/*
 * Private hypercalls of the RM VM alone (its HVC #0, SMCCC function ID
 * GUNYAH_HYPCALL_FID(N)); the rest of 0x1C0-0x1FF is in
 * hyp/hypcall_private.h.
 */
/* x1 buffer (its IPA), x2 length (at most 256): one log line, "[RM] " added. */
#define HYP_HYPCALL_RM_LOG		0x1c9
/* The RM is up (once): it handed over the primary VM's devicetree with its link. */
#define HYP_HYPCALL_RM_READY		0x1ca
/* x1 ESR_EL1, x2 ELR_EL1, x3 FAR_EL1, x4 vector offset: the RM crashed. */
#define HYP_HYPCALL_RM_FAULT		0x1cb

#define RM_VM_LOG_MAX		256

#endif
