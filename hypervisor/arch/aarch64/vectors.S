/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * EL2 exception vectors. Every exception saves the interrupted registers in
 * a struct trap_frame on this CPU's EL2 stack and calls
 * handle_exception(frame, kind); what it leaves in the frame is what the
 * lower EL gets back.
 *
 * But for HVC from AArch64, the host's calls: host_hvc() reads and writes
 * x0-x7 only and C preserves x19-x29 (AAPCS64), so that path saves what C
 * may clobber, x0-x18 and x30, and nothing else. ELR_EL2 and SPSR_EL2
 * change only when a vcpu_run enters a guest: arch_guest_load() saves them
 * and arch_guest_put() puts them back. Whatever may write any Xt (a
 * trapped system-register or MMIO access) takes the full frame.
 */
#include <arch/frame.h>

	.macro	ventry, kind
	.balign	0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x1, #\kind
	b	exception_common
	.endm

	/* Lower EL, AArch64, synchronous: HVCs to the light path. */
	.macro	ventry_lower_sync
	.balign	0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mrs	x1, esr_el2
	ubfx	x0, x1, #ESR_EC_SHIFT, #6
	cmp	x0, #ESR_EC_HVC64_VAL
	b.eq	hvc_light
	mov	x1, #VEC_LOWER_SYNC
	b	exception_common
	.endm

	.section .text.vectors, "ax"
	.balign	0x800
	.global	hyp_vectors
hyp_vectors:
	ventry	VEC_EL2_SP0		/* current EL, SP_EL0 */
	ventry	VEC_EL2_SP0
	ventry	VEC_EL2_SP0
	ventry	VEC_EL2_SP0
	ventry	VEC_EL2_SYNC		/* current EL, SP_EL2 */
	ventry	VEC_EL2_IRQ
	ventry	VEC_EL2_FIQ
	ventry	VEC_EL2_SERROR
	ventry_lower_sync		/* lower EL, AArch64 */
	ventry	VEC_LOWER_IRQ
	ventry	VEC_LOWER_FIQ
	ventry	VEC_LOWER_SERROR
	ventry	VEC_LOWER_SYNC		/* lower EL, AArch32 */
	ventry	VEC_LOWER_IRQ
	ventry	VEC_LOWER_FIQ
	ventry	VEC_LOWER_SERROR

/* x1 = ESR_EL2. The frame's x19-x29 slots stay unwritten: x30 in x19's. */
hvc_light:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x30, [sp, #144]

	mov	x0, sp
	bl	host_hvc

	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x30, [sp, #144]
	add	sp, sp, #FRAME_SIZE
	eret
	dsb	nsh
	isb

exception_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	mrs	x9, elr_el2
	mrs	x10, spsr_el2
	str	x30, [sp, #FRAME_X30]
	stp	x9, x10, [sp, #FRAME_ELR]

	mov	x0, sp
	bl	handle_exception

	ldp	x9, x10, [sp, #FRAME_ELR]
	msr	elr_el2, x9
	msr	spsr_el2, x10
	ldr	x30, [sp, #FRAME_X30]
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	add	sp, sp, #FRAME_SIZE
	eret
	/* No straight-line speculation past the eret. */
	dsb	nsh
	isb
