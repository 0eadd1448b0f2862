/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Decoding a guest's stage-2 data abort into an MMIO access that can be
 * handed to the VMM (vcpu_run's VMMIO_READ / VMMIO_WRITE states), and
 * completing the read it asked for. Pure logic, unit-tested on the host.
 */
#ifndef HYP_MMIO_H
#define HYP_MMIO_H

#include <hyp/types.h>

struct mmio_access {
	u64 ipa;
	u8 size;		/* 1, 2, 4 or 8 bytes */
	bool write;
	bool sign_extend;	/* a load that sign-extends (LDRS*) */
	bool reg64;		/* the register is Xn (else Wn) */
	u8 reg;			/* 0-30, or 31 for XZR */
};

/*
 * Decode a data abort from the guest (ESR_EL2, HPFAR_EL2, FAR_EL2). Returns
 * 0, or -1 if it is not a plain load or store that faulted on translation
 * (no syndrome, a stage-1 table walk, cache maintenance, or another fault):
 * such an access cannot be emulated and gets an abort instead.
 */
int mmio_decode(u64 esr, u64 hpfar, u64 far, struct mmio_access *a);

/*
 * The ranges of a guest's IPA space where a stage-2 fault that no virtual
 * device claims becomes a VMMIO exit to the guest's owner (the real
 * Gunyah's addrspace_configure_vmmio).
 */
#define VMMIO_MAX_RANGES	4

struct vmmio_ranges {
	unsigned int nr;
	struct {
		u64 base;
		u64 size;
	} range[VMMIO_MAX_RANGES];
};

/*
 * Add [@base, @base + @size). Returns 0, -1 for an empty, wrapping or
 * overlapping range, -2 when all VMMIO_MAX_RANGES are in use.
 */
int vmmio_add(struct vmmio_ranges *r, u64 base, u64 size);

/* Is the whole access [@ipa, @ipa + @size) inside one range? */
bool vmmio_covers(const struct vmmio_ranges *r, u64 ipa, u64 size);

/* What becomes of a stage-2 abort of a guest that no virtual device took. */
enum s2_abort_fate {
	S2_ABORT_VMMIO_EXIT,	/* vcpu_run VMMIO_READ / VMMIO_WRITE to the owner */
	S2_ABORT_INJECT,	/* a synchronous external abort in the guest */
	S2_ABORT_HALT,		/* the vCPU is halted: the VM ends (FAULT) */
};

/*
 * As the real Gunyah decides it: an access decoded into @a (NULL if it
 * could not be) inside the VMMIO ranges @r is an exit; anything else is an
 * abort injected into the guest, unless the guest took it at EL1h in its
 * own synchronous vector for EL1h (@pc within [@vbar + 0x200, + 0x280),
 * @pstate the guest's PSTATE): another abort there would loop forever, so
 * the vCPU is halted instead, as the real Gunyah's debug build does.
 */
enum s2_abort_fate mmio_abort_fate(const struct vmmio_ranges *r, const struct mmio_access *a,
				   u64 pc, u64 pstate, u64 vbar);

/* The register value for a read that returned @data (low @size bytes). */
u64 mmio_read_value(const struct mmio_access *a, u64 data);

/* The value a write stores: the register, cut to the access size. */
u64 mmio_write_value(const struct mmio_access *a, u64 reg);

#endif
