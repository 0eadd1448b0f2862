/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entering a guest and coming back. guest_enter() keeps the hypervisor's
 * callee-saved registers on its own EL2 stack (SP_EL2 does not change
 * while the guest runs), switches VBAR_EL2 to guest_vectors and erets;
 * any exception from the guest lands in guest_vectors, which stores the
 * guest's registers and returns from guest_enter() with the exit kind.
 * The pointer to the guest's registers lives in the CPU's struct hyp_cpu.
 */
#include <arch/cpu.h>
#include <arch/guest_ctx.h>

	.arch_extension	fp
	.arch_extension	simd

	.text
	.global	guest_enter
guest_enter:
	stp	x29, x30, [sp, #-96]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	mrs	x1, tpidr_el2
	str	x0, [x1, #HYP_CPU_GUEST_GPRS]
	adrp	x1, guest_vectors
	add	x1, x1, :lo12:guest_vectors
	msr	vbar_el2, x1
	ldp	x1, x2, [x0, #GPRS_PC]
	msr	elr_el2, x1
	msr	spsr_el2, x2
	ldp	x2, x3, [x0, #16]
	ldp	x4, x5, [x0, #32]
	ldp	x6, x7, [x0, #48]
	ldp	x8, x9, [x0, #64]
	ldp	x10, x11, [x0, #80]
	ldp	x12, x13, [x0, #96]
	ldp	x14, x15, [x0, #112]
	ldp	x16, x17, [x0, #128]
	ldp	x18, x19, [x0, #144]
	ldp	x20, x21, [x0, #160]
	ldp	x22, x23, [x0, #176]
	ldp	x24, x25, [x0, #192]
	ldp	x26, x27, [x0, #208]
	ldp	x28, x29, [x0, #224]
	ldr	x30, [x0, #240]
	ldp	x0, x1, [x0]
	eret
	dsb	nsh
	isb

	.macro	gventry, kind
	.balign	0x80
	stp	x0, x1, [sp, #-16]!
	mov	x1, #\kind
	b	guest_exit
	.endm

	.macro	gvpanic
	.balign	0x80
	b	.
	.endm

	.section .text.vectors, "ax"
	.balign	0x800
guest_vectors:
	/* From EL2 itself while a guest is loaded: cannot happen (DAIF masked). */
	gvpanic
	gvpanic
	gvpanic
	gvpanic
	gvpanic
	gvpanic
	gvpanic
	gvpanic
	gventry	GUEST_TRAP_SYNC		/* lower EL, AArch64 */
	gventry	GUEST_TRAP_IRQ
	gventry	GUEST_TRAP_FIQ
	gventry	GUEST_TRAP_SERROR
	gventry	GUEST_TRAP_SYNC		/* lower EL, AArch32: refused by HCR.RW */
	gventry	GUEST_TRAP_IRQ
	gventry	GUEST_TRAP_FIQ
	gventry	GUEST_TRAP_SERROR

guest_exit:
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #HYP_CPU_GUEST_GPRS]
	stp	x2, x3, [x0, #16]
	stp	x4, x5, [x0, #32]
	stp	x6, x7, [x0, #48]
	stp	x8, x9, [x0, #64]
	stp	x10, x11, [x0, #80]
	stp	x12, x13, [x0, #96]
	stp	x14, x15, [x0, #112]
	stp	x16, x17, [x0, #128]
	stp	x18, x19, [x0, #144]
	stp	x20, x21, [x0, #160]
	stp	x22, x23, [x0, #176]
	stp	x24, x25, [x0, #192]
	stp	x26, x27, [x0, #208]
	stp	x28, x29, [x0, #224]
	str	x30, [x0, #240]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [x0, #GPRS_PC]
	adrp	x2, hyp_vectors
	add	x2, x2, :lo12:hyp_vectors
	msr	vbar_el2, x2
	isb
	mov	x0, x1
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	ret

	/*
	 * struct el1_sysregs (guest_ctx.h) but for its keys: its registers in
	 * its order, two a store or a load.
	 */
	.macro	el1_sysregs, op
	\op	sctlr_el1, cpacr_el1, 0
	\op	ttbr0_el1, ttbr1_el1, 16
	\op	tcr_el1, esr_el1, 32
	\op	afsr0_el1, afsr1_el1, 48
	\op	far_el1, mair_el1, 64
	\op	amair_el1, vbar_el1, 80
	\op	contextidr_el1, tpidr_el0, 96
	\op	tpidrro_el0, tpidr_el1, 112
	\op	sp_el0, sp_el1, 128
	\op	elr_el1, spsr_el1, 144
	\op	par_el1, cntkctl_el1, 160
	.endm

	.macro	save2, a, b, off
	mrs	x1, \a
	mrs	x2, \b
	stp	x1, x2, [x0, #\off]
	.endm

	.macro	load2, a, b, off
	ldp	x1, x2, [x0, #\off]
	msr	\a, x1
	msr	\b, x2
	.endm

	.text
	.global	el1_sysregs_save
el1_sysregs_save:
	el1_sysregs save2
	mrs	x1, csselr_el1
	str	x1, [x0, #8 * (EL1_SYSREGS_NR - 1)]
	ret

	.global	el1_sysregs_restore
el1_sysregs_restore:
	el1_sysregs load2
	ldr	x1, [x0, #8 * (EL1_SYSREGS_NR - 1)]
	msr	csselr_el1, x1
	ret

	.global	fp_save
fp_save:
	stp	q0, q1, [x0, #0]
	stp	q2, q3, [x0, #32]
	stp	q4, q5, [x0, #64]
	stp	q6, q7, [x0, #96]
	stp	q8, q9, [x0, #128]
	stp	q10, q11, [x0, #160]
	stp	q12, q13, [x0, #192]
	stp	q14, q15, [x0, #224]
	stp	q16, q17, [x0, #256]
	stp	q18, q19, [x0, #288]
	stp	q20, q21, [x0, #320]
	stp	q22, q23, [x0, #352]
	stp	q24, q25, [x0, #384]
	stp	q26, q27, [x0, #416]
	stp	q28, q29, [x0, #448]
	stp	q30, q31, [x0, #480]
	mrs	x1, fpsr
	mrs	x2, fpcr
	add	x0, x0, #512
	stp	x1, x2, [x0]
	ret

	.global	fp_restore
fp_restore:
	ldp	q0, q1, [x0, #0]
	ldp	q2, q3, [x0, #32]
	ldp	q4, q5, [x0, #64]
	ldp	q6, q7, [x0, #96]
	ldp	q8, q9, [x0, #128]
	ldp	q10, q11, [x0, #160]
	ldp	q12, q13, [x0, #192]
	ldp	q14, q15, [x0, #224]
	ldp	q16, q17, [x0, #256]
	ldp	q18, q19, [x0, #288]
	ldp	q20, q21, [x0, #320]
	ldp	q22, q23, [x0, #352]
	ldp	q24, q25, [x0, #384]
	ldp	q26, q27, [x0, #416]
	ldp	q28, q29, [x0, #448]
	ldp	q30, q31, [x0, #480]
	add	x0, x0, #512
	ldp	x1, x2, [x0]
	msr	fpsr, x1
	msr	fpcr, x2
	ret
