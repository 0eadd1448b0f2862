/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The RM edits the primary VM's devicetree before it boots, as the real
 * Gunyah's RM applies its overlay to the HLOS devicetree: the RAM the
 * hypervisor keeps is taken out of /memory, and /hypervisor is added
 * exactly as the real resource manager writes it (see
 * ../shared/spec/reference/real-gunyah-hlos.md). rm/host_boot.c runs it
 * at boot, in the RM's VM; tests/host_dt_write.c on the build host.
 */
#ifndef RM_HOST_DT_H
#define RM_HOST_DT_H

#include <hyp/types.h>

/* The primary VM's (HLOS) VMID. */
#define GUNYAH_VMID_HLOS	3

/*
 * Remove [@base, @base + @size) from the reg of every memory node of @fdt,
 * splitting ranges where needed and deleting nodes left empty. The blob must
 * have room to grow (fdt_open_into). Returns 0 or -FDT_ERR_*.
 */
int host_dt_carve_memory(void *fdt, u64 base, u64 size);

/*
 * Add /hypervisor as the first child of / with the qcom,gunyah-vm child
 * carrying @vmid, replacing any /hypervisor already there. Returns 0 or
 * -FDT_ERR_*.
 */
int host_dt_add_hypervisor(void *fdt, u32 vmid);

/*
 * Add /hypervisor (#address-cells 2, #size-cells 0, @hyp_compat) as the
 * first child of / and its qcom,gunyah-vm child with @vmid. Returns the
 * child's offset, for the caller's further properties, or -FDT_ERR_*.
 */
int dt_add_gunyah_nodes(void *fdt, const char *hyp_compat, int compat_len, u32 vmid);

struct rm_link_info;

/*
 * Add the resource manager's node under /hypervisor, as the real RM
 * writes it for the primary VM. Returns 0 or -FDT_ERR_*.
 */
int host_dt_add_rm(void *fdt, const struct rm_link_info *link);

/*
 * Everything the RM changes in the primary VM's devicetree @fdt
 * (opened with room to grow): [@hyp_base, @hyp_base + @hyp_size) carved out
 * of /memory, /hypervisor added for VMID 3 with the resource manager's node
 * for @link (none if @link is NULL), the blob packed. Run again on its own
 * result it gives the same blob (a /hypervisor there is replaced). Returns
 * 0 or -FDT_ERR_*.
 */
int host_dt_prepare(void *fdt, u64 hyp_base, u64 hyp_size, const struct rm_link_info *link);

#endif
