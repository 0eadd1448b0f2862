/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * EL2 entry points. QEMU starts the boot CPU at _start (the ELF entry,
 * 0x80000000) at EL2 with the MMU off; the other CPUs stay off until the host
 * asks for them with PSCI CPU_ON and the firmware starts them at
 * hyp_warm_entry with x0 = their CPU index.
 */
#include <arch/cpu.h>
#include <arch/frame.h>

#define SCTLR_EL2_RES1	0x30c50830

	.macro	adr_l, reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
	.endm

	/* sp = top of the stack of CPU \idx (clobbers x9, x10) */
	.macro	set_stack, idx
	adr_l	x9, hyp_stacks
	add	x10, \idx, #1
	mov	x11, #HYP_STACK_SIZE
	madd	x9, x10, x11, x9
	mov	sp, x9
	.endm

	.macro	el2_early_setup
	msr	daifset, #0xf
	mov_imm	x9, SCTLR_EL2_RES1
	msr	sctlr_el2, x9
	isb
	adr_l	x9, hyp_vectors
	msr	vbar_el2, x9
	isb
	.endm

	.macro	mov_imm, reg, val
	movz	\reg, #((\val) & 0xffff)
	movk	\reg, #(((\val) >> 16) & 0xffff), lsl #16
	.endm

	.section .text.entry, "ax"
	.global	_start
_start:
	mrs	x9, CurrentEL
	cmp	x9, #(2 << 2)
	b.ne	not_el2
	el2_early_setup

	adr_l	x9, __bss_start
	adr_l	x10, __bss_end
1:	cmp	x9, x10
	b.hs	2f
	str	xzr, [x9], #8
	b	1b
2:
	/* The boot CPU is CPU 0 of the machine devicetree (checked in C). */
	mov	x19, #0
	set_stack x19
	bl	hyp_cold_boot
	b	park

	.global	hyp_warm_entry
hyp_warm_entry:
	el2_early_setup
	cmp	x0, #HYP_MAX_CPUS
	b.hs	park
	mov	x19, x0
	set_stack x19

	/* Same translation as the boot CPU: it cleaned el2_mmu_config to PoC. */
	adr_l	x9, el2_mmu_config
	ldp	x10, x11, [x9]
	ldp	x12, x13, [x9, #16]
	msr	mair_el2, x10
	msr	tcr_el2, x11
	msr	ttbr0_el2, x12
	isb
	tlbi	alle2
	dsb	nsh
	isb
	msr	sctlr_el2, x13
	isb

	mov	x0, x19
	bl	hyp_warm_boot
	b	park

not_el2:
	/* Not entered at EL2: there is nothing this image can do. */
park:
	msr	daifset, #0xf
	wfe
	b	park

	/* x0 = entry, x1 = argument for the primary VM, x2 = top of this CPU's stack */
	.global	arch_enter_host
arch_enter_host:
	/* Nothing on the EL2 stack survives: traps start from its top. */
	mov	sp, x2
	msr	elr_el2, x0
	mov	x9, #(0x3c0 | 0x5)		/* EL1h, DAIF masked */
	msr	spsr_el2, x9
	mov	x0, x1
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	mov	x4, xzr
	mov	x5, xzr
	mov	x6, xzr
	mov	x7, xzr
	mov	x8, xzr
	mov	x9, xzr
	mov	x10, xzr
	mov	x11, xzr
	mov	x12, xzr
	mov	x13, xzr
	mov	x14, xzr
	mov	x15, xzr
	mov	x16, xzr
	mov	x17, xzr
	mov	x18, xzr
	mov	x29, xzr
	mov	x30, xzr
	eret
	dsb	nsh
	isb
