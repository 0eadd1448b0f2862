/* SPDX-License-Identifier: GPL-2.0-only */
/* The registers of a lower EL saved on the EL2 stack by vectors.S. */
#ifndef ARCH_FRAME_H
#define ARCH_FRAME_H

#define FRAME_X30	240
#define FRAME_ELR	248
#define FRAME_SPSR	256
#define FRAME_SIZE	272

/* ESR_EL2.EC and its value for HVC from AArch64, for vectors.S. */
#define ESR_EC_SHIFT	26
#define ESR_EC_HVC64_VAL 0x16

/* Vector kinds passed to handle_exception(). */
#define VEC_EL2_SP0	0
#define VEC_EL2_SYNC	1
#define VEC_EL2_IRQ	2
#define VEC_EL2_FIQ	3
#define VEC_EL2_SERROR	4
#define VEC_LOWER_SYNC	5
#define VEC_LOWER_IRQ	6
#define VEC_LOWER_FIQ	7
#define VEC_LOWER_SERROR 8

#ifndef __ASSEMBLER__
#include <hyp/types.h>

struct trap_frame {
	u64 x[31];
	u64 elr;
	u64 spsr;
	u64 pad;
};

_Static_assert(sizeof(struct trap_frame) == FRAME_SIZE, "frame layout");
_Static_assert(__builtin_offsetof(struct trap_frame, elr) == FRAME_ELR, "frame layout");

void handle_exception(struct trap_frame *f, u64 kind);

/*
 * An HVC from the host (vectors.S's light path): @regs are its x0-x7, the
 * only registers it may read or change; @esr is ESR_EL2.
 */
void host_hvc(u64 regs[8], u64 esr);
#endif

#endif
