// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzzing rm/vm_config.c: the VM-config devicetree a VMM puts in its
 * guest's image parcel, which the RM parses at VM_INIT
 * (rm_vm_config_parse, with the size VM_CONFIG_IMAGE gave). The input is
 * the blob, of any size, copied into an exactly-sized heap buffer so that
 * ASan sees any access past it.
 *
 * Invariants: the answer is RM_OK, ARG_INVALID or MSG_INVALID; a config
 * accepted is one the RM can build: a NUL-terminated image name, 1..8
 * vCPUs, at most 16 doorbells with distinct labels on SPIs, a 2 MiB
 * aligned base, GIC frames aligned, inside the IPA space and apart.
 */
#include <libfdt.h>
#include <fuzz.h>
#include <rm/rm.h>
#include <rm/vm_config.h>

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct rm_vm_config cfg;
	unsigned int i, j;
	u8 *blob = malloc(size ? size : 1);
	u32 err;

	memcpy(blob, data, size);
	err = rm_vm_config_parse(blob, size, &cfg);
	/* The parser only reads. */
	FUZZ_ASSERT(!memcmp(blob, data, size));
	free(blob);
	/* The real RM's answers at VM_INIT, and ARG_INVALID for our own refusals */
	FUZZ_ASSERT(err == RM_OK || err == RM_ERROR_ARG_INVALID || err == RM_ERROR_MSG_INVALID ||
		    err == RM_ERROR_MEM_INVALID || err == RM_ERROR_NORESOURCE);
	if (err != RM_OK)
		return 0;

	FUZZ_ASSERT(size >= sizeof(struct fdt_header));
	FUZZ_ASSERT(memchr(cfg.image_name, 0, sizeof(cfg.image_name)) != NULL);
	FUZZ_ASSERT(cfg.image_name[0]);
	FUZZ_ASSERT(IS_ALIGNED(cfg.mem_base, SZ_2M));
	FUZZ_ASSERT(cfg.nr_vcpus >= 1 && cfg.nr_vcpus <= RM_VM_MAX_VCPUS);
	FUZZ_ASSERT(cfg.nr_doorbells <= RM_VM_MAX_DOORBELLS);
	for (i = 0; i < cfg.nr_doorbells; i++) {
		FUZZ_ASSERT(cfg.doorbells[i].intid >= 32 && cfg.doorbells[i].intid <= 1019);
		for (j = 0; j < i; j++)
			FUZZ_ASSERT(cfg.doorbells[i].label != cfg.doorbells[j].label);
	}
	/* Without a GIC the config parses; VM_START refuses it (NORESOURCE). */
	if (!cfg.has_gic)
		return 0;
	FUZZ_ASSERT(IS_ALIGNED(cfg.gicd_base, SZ_64K) && IS_ALIGNED(cfg.gicr_base, SZ_64K));
	/* Inside the IPA space (without wrapping around 2^64). */
	FUZZ_ASSERT(cfg.gicd_base < RM_VM_IPA_LIMIT && cfg.gicr_base < RM_VM_IPA_LIMIT);
	FUZZ_ASSERT(cfg.gicd_base + SZ_64K <= RM_VM_IPA_LIMIT);
	FUZZ_ASSERT(cfg.gicr_base + cfg.nr_vcpus * RM_VM_GICR_STRIDE <= RM_VM_IPA_LIMIT);
	FUZZ_ASSERT(cfg.gicd_base >= cfg.gicr_base + cfg.nr_vcpus * RM_VM_GICR_STRIDE ||
		    cfg.gicr_base >= cfg.gicd_base + SZ_64K);
	return 0;
}
