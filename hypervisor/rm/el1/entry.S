/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The RM VM's EL1 runtime: its entry, its stack, its exception vectors.
 * The hypervisor enters at _start with x0 the boot information's address
 * (hyp/rm_vm_abi.h). The RM runs with interrupts masked (its own come
 * in its events word), so every exception is a crash, reported with the
 * private RM_FAULT hypercall, after which the hypervisor never runs the
 * RM again.
 */
#include <hyp/rm_vm_abi.h>

/* GUNYAH_HYPCALL_FID(HYP_HYPCALL_RM_FAULT) */
#define RM_FAULT_FID	(0xc6008000 + HYP_HYPCALL_RM_FAULT)

	.section .text.entry, "ax"
	.global	_start
_start:
	adrp	x1, __stack_top
	add	x1, x1, :lo12:__stack_top
	mov	sp, x1
	adrp	x1, rm_vectors
	add	x1, x1, :lo12:rm_vectors
	msr	vbar_el1, x1
	isb
	/* The hypervisor zeroed our memory; the bss again, to be sure. */
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	bl	rm_el1_main
	/* Not reached: rm_el1_main() waits for interrupts for ever. */
	mov	x4, #0xfff
	b	rm_fault

	/* A crash: tell the hypervisor, which stops this VM. */
	.macro	fault_entry, off
	.balign	0x80
	mov	x4, #\off
	b	rm_fault
	.endm

	.section .text.vectors, "ax"
	.balign	0x800
rm_vectors:
	/* EL1 with SP_EL0: never used */
	fault_entry	0x0
	fault_entry	0x80
	fault_entry	0x100
	fault_entry	0x180
	/* EL1 with SP_EL1: ours */
	fault_entry	0x200
	fault_entry	0x280
	fault_entry	0x300
	fault_entry	0x380
	/* EL0: the RM has none */
	fault_entry	0x400
	fault_entry	0x480
	fault_entry	0x500
	fault_entry	0x580
	fault_entry	0x600
	fault_entry	0x680
	fault_entry	0x700
	fault_entry	0x780

	.text
rm_fault:
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
	movz	x0, #(RM_FAULT_FID & 0xffff)
	movk	x0, #(RM_FAULT_FID >> 16), lsl #16
	hvc	#0
	/* The hypervisor does not come back; if it does, stay here. */
3:	wfi
	b	3b
