/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the machine has, read once at cold boot from the devicetree QEMU
 * generates for it: RAM ranges and CPUs.
 */
#ifndef HYP_MACHINE_H
#define HYP_MACHINE_H

#include <hyp/config.h>
#include <hyp/types.h>

struct mem_range {
	u64 base;
	u64 size;
};

struct machine {
	struct mem_range ram[HYP_MAX_MEM_RANGES];
	unsigned int nr_ram;
	u64 mpidr[HYP_MAX_CPUS];
	unsigned int nr_cpus;
};

/* The number of CPUs the hypervisor runs on, set at cold boot (core/main.c). */
extern unsigned int hyp_nr_cpus;

/*
 * Fill @m from @fdt, of which at most @max bytes may be read: RAM, the
 * ranges of every node whose device_type is "memory" (in the root's cell
 * sizes, 1 or 2), and CPUs, the reg of every child of /cpus whose
 * device_type is "cpu". Returns 0, or a negative libfdt error (-FDT_ERR_*)
 * if the blob fails dt_check() within @max, its cell sizes are not 1 or 2
 * (-FDT_ERR_BADNCELLS), a CPU has no reg (-FDT_ERR_BADVALUE), or it has no
 * RAM or no CPU (-FDT_ERR_NOTFOUND). CPUs beyond HYP_MAX_CPUS and RAM
 * ranges beyond HYP_MAX_MEM_RANGES are ignored. Uses no libfdt code: it
 * runs at EL2.
 */
int machine_dt_parse(const void *fdt, size_t max, struct machine *m);

/* Whether [base, base + size) lies within one RAM range of @m. */
bool machine_is_ram(const struct machine *m, u64 base, u64 size);

/* Decode @ncells big-endian cells (1 or 2) at @p. */
u64 dt_read_cells(const void *p, int ncells);

#endif
