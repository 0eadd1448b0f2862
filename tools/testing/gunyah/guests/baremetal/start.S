/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry points and exception vectors of the bare-metal test guest. It runs
 * at EL1 with the MMU off, from 0x80000000 (baremetal.ld).
 */

#define STACK_SIZE	0x4000

	.macro	adr_l, reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
	.endm

	.section .text.boot, "ax"

/* The boot vCPU: x0 = the devicetree */
	.global	_start
_start:
	mov	x19, x0
	adr_l	x1, stack0_top
	mov	sp, x1
	adr_l	x1, __bss_start
	adr_l	x2, __bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	adr_l	x1, vectors
	msr	vbar_el1, x1
	isb
	mov	x0, x19
	bl	guest_main
halt:	wfi
	b	halt

/* A vCPU started by PSCI CPU_ON: x0 = context_id = the top of its stack */
	.global	secondary_entry
secondary_entry:
	mov	sp, x0
	adr_l	x1, vectors
	msr	vbar_el1, x1
	isb
	bl	secondary_main
	b	halt

	.text

/* What the AAPCS lets a C function clobber, and the link register */
	.macro	save_caller_regs
	sub	sp, sp, #176
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x29, [sp, #144]
	str	x30, [sp, #160]
	.endm

	.macro	restore_caller_regs
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x29, [sp, #144]
	ldr	x30, [sp, #160]
	add	sp, sp, #176
	.endm

/* IRQ: call irq_handler() */
irq_entry:
	save_caller_regs
	bl	irq_handler
	restore_caller_regs
	eret

/*
 * A synchronous exception at EL1 (SP_EL1): an abort the guest provoked on
 * purpose, as sync_abort_expected() says, is skipped; anything else is
 * fatal.
 */
sync_entry:
	save_caller_regs
	mrs	x0, esr_el1
	mrs	x1, elr_el1
	mrs	x2, far_el1
	bl	sync_abort_expected
	cbz	w0, 1f
	mrs	x0, elr_el1
	add	x0, x0, #4
	msr	elr_el1, x0
	restore_caller_regs
	eret
1:	restore_caller_regs
	mov	x0, #4
	b	fault_entry

/* Anything else is fatal: fault_handler(vector, esr, elr, far) */
fault_entry:
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
	bl	fault_handler
	b	halt

	.macro	vector, idx
	.balign	0x80
	.if	(\idx % 4) == 1
	b	irq_entry
	.elseif	\idx == 4
	b	sync_entry
	.else
	mov	x0, #\idx
	b	fault_entry
	.endif
	.endm

/* 16 entries: {current EL SP0, current EL SPx, lower EL A64, A32} x {sync, IRQ, FIQ, SError} */
	.balign	0x800
vectors:
	.irp	idx, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	vector	\idx
	.endr

	.bss
	.balign	16
stack0:
	.space	STACK_SIZE
stack0_top:
	.global	stack1_top
stack1:
	.space	STACK_SIZE
stack1_top:
