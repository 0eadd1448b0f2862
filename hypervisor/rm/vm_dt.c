// SPDX-License-Identifier: GPL-2.0-only
/* The RM's changes to a guest's devicetree; see include/rm/vm_dt.h. */
#include <libfdt.h>
#include <hyp/dt_check.h>
#include <rm/host_dt.h>
#include <rm/rm.h>
#include <rm/vm_dt.h>

static u32 fdt_err(int err)
{
	return err == -FDT_ERR_NOSPACE ? RM_ERROR_NOMEM : RM_ERROR_MEM_INVALID;
}

static int rm_vm_dt_hypervisor(void *fdt, const struct rm_vm_dt_info *info)
{
	/* The secondary VM's form: the plain compatible first (§8.2). */
	static const char hyp_compat[] =
		"gunyah-hypervisor\0qcom,gunyah-hypervisor-1.0\0qcom,gunyah-hypervisor\0simple-bus";
	int vm, ret;

	vm = dt_add_gunyah_nodes(fdt, hyp_compat, sizeof(hyp_compat), info->vmid);
	if (vm < 0)
		return vm;
	ret = fdt_setprop_u32(fdt, vm, "qcom,owner-vmid", info->owner);
	if (!ret)
		ret = fdt_setprop_string(fdt, vm, "qcom,vendor", "Gunyah");
	if (!ret)
		ret = fdt_setprop_string(fdt, vm, "qcom,image-name", info->image_name);
	return ret;
}

/* /memory: exactly the guest's memory, in the root's cell sizes. */
static int rm_vm_dt_memory(void *fdt, const struct rm_vm_dt_info *info)
{
	int ac = fdt_address_cells(fdt, 0), sc = fdt_size_cells(fdt, 0);
	fdt32_t reg[4];
	int mem, n = 0;

	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return -FDT_ERR_BADNCELLS;
	if ((ac == 1 && (info->mem_base >> 32)) || (sc == 1 && (info->mem_size >> 32)))
		return -FDT_ERR_BADVALUE;
	if (ac == 2)
		reg[n++] = cpu_to_fdt32(info->mem_base >> 32);
	reg[n++] = cpu_to_fdt32((u32)info->mem_base);
	if (sc == 2)
		reg[n++] = cpu_to_fdt32(info->mem_size >> 32);
	reg[n++] = cpu_to_fdt32((u32)info->mem_size);

	mem = fdt_path_offset(fdt, "/memory");
	if (mem < 0)
		mem = fdt_add_subnode(fdt, 0, "memory");
	if (mem < 0)
		return mem;
	n = fdt_setprop_string(fdt, mem, "device_type", "memory");
	return n ? n : fdt_setprop(fdt, mem, "reg", reg, (ac + sc) * 4);
}

u32 rm_vm_dt_overlay(void *fdt, size_t max, const struct rm_vm_dt_info *info)
{
	u32 total;
	int ret;

	/* No libfdt call, least of all a write, before the whole blob is checked. */
	if (dt_check(fdt, max))
		return RM_ERROR_MEM_INVALID;
	if (fdt_path_offset(fdt, "/hypervisor") >= 0)
		return RM_ERROR_DENIED;
	/* The real RM's overlay patches /chosen: without it, it fails. */
	if (fdt_path_offset(fdt, "/chosen") < 0)
		return RM_ERROR_NORESOURCE;
	/*
	 * A blob whose blocks are out of order is rebuilt right after its
	 * end, which must then be as aligned as the header libfdt writes
	 * there: the bytes up to the next 8 become free space at its end.
	 */
	total = fdt_totalsize(fdt);
	if (!IS_ALIGNED(total, 8) && ALIGN_UP(total, 8) <= max)
		fdt_set_totalsize(fdt, ALIGN_UP(total, 8));
	ret = fdt_open_into(fdt, fdt, max);
	if (ret)
		return fdt_err(ret);
	ret = rm_vm_dt_hypervisor(fdt, info);
	if (!ret)
		ret = rm_vm_dt_memory(fdt, info);
	if (!ret)
		ret = fdt_pack(fdt);
	return ret ? fdt_err(ret) : RM_OK;
}
