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

/* The register value for a read that returned @data (low @size bytes). */
u64 mmio_read_value(const struct mmio_access *a, u64 data);

/* The value a write stores: the register, cut to the access size. */
u64 mmio_write_value(const struct mmio_access *a, u64 reg);

#endif
