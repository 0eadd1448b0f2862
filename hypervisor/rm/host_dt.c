// SPDX-License-Identifier: GPL-2.0-only
/* Editing the primary VM's devicetree with libfdt; see include/rm/host_dt.h. */
#include <libfdt.h>
#include <hyp/console.h>
#include <rm/host_dt.h>
#include <hyp/machine.h>
#include <rm/rm.h>

/* Room for the ranges of one memory node, each possibly split in two. */
#define HOST_DT_MAX_RANGES	(2 * HYP_MAX_MEM_RANGES)

static void dt_write_cells(u8 *p, int ncells, u64 v)
{
	fdt32_t *cells = (fdt32_t *)p;
	int i;

	for (i = ncells - 1; i >= 0; i--) {
		cells[i] = cpu_to_fdt32((u32)v);
		v = ncells == 2 ? v >> 32 : 0;
	}
}

/* Rewrite one memory node's reg without [base, end). */
static int host_dt_carve_node(void *fdt, int node, int ac, int sc, u64 base, u64 end,
			      bool *deleted)
{
	struct mem_range out[HOST_DT_MAX_RANGES];
	u8 cells[HOST_DT_MAX_RANGES * 16];
	int stride = (ac + sc) * 4;
	unsigned int n = 0, i;
	const u8 *reg;
	bool changed = false;
	int len;

	*deleted = false;
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg)
		return 0;
	if (len % stride)
		return -FDT_ERR_BADVALUE;

	for (; len >= stride; len -= stride, reg += stride) {
		u64 rb = dt_read_cells(reg, ac);
		u64 re = rb + dt_read_cells(reg + ac * 4, sc);

		if (re <= base || rb >= end) {
			if (n == HOST_DT_MAX_RANGES)
				return -FDT_ERR_NOSPACE;
			out[n++] = (struct mem_range){ rb, re - rb };
			continue;
		}
		changed = true;
		if (n + 2 > HOST_DT_MAX_RANGES)
			return -FDT_ERR_NOSPACE;
		if (rb < base)
			out[n++] = (struct mem_range){ rb, base - rb };
		if (re > end)
			out[n++] = (struct mem_range){ end, re - end };
	}
	if (!changed)
		return 0;
	if (!n) {
		*deleted = true;
		return fdt_del_node(fdt, node);
	}
	for (i = 0; i < n; i++) {
		if (ac == 1 && (out[i].base >> 32))
			return -FDT_ERR_BADVALUE;
		dt_write_cells(cells + i * stride, ac, out[i].base);
		dt_write_cells(cells + i * stride + ac * 4, sc, out[i].size);
	}
	return fdt_setprop(fdt, node, "reg", cells, n * stride);
}

int host_dt_carve_memory(void *fdt, u64 base, u64 size)
{
	int ac = fdt_address_cells(fdt, 0);
	int sc = fdt_size_cells(fdt, 0);
	bool deleted;
	int node, ret;

	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return -FDT_ERR_BADNCELLS;
	if (base + size < base)
		return -FDT_ERR_BADVALUE;

	node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", 7);
	while (node >= 0) {
		ret = host_dt_carve_node(fdt, node, ac, sc, base, base + size, &deleted);
		if (ret)
			return ret;
		/* Deleting moves later nodes; carving again is harmless. */
		node = fdt_node_offset_by_prop_value(fdt, deleted ? -1 : node, "device_type",
						     "memory", 7);
	}
	return node == -FDT_ERR_NOTFOUND ? 0 : node;
}

/*
 * libfdt inserts a new property before the existing ones and a new node
 * before its siblings: properties and children are therefore added in the
 * reverse of the order the real resource manager's blob shows.
 */
int dt_add_gunyah_nodes(void *fdt, const char *hyp_compat, int compat_len, u32 vmid)
{
	static const char vm_compat[] = "qcom,gunyah-vm-id-1.0\0qcom,gunyah-vm-id";
	int hyp, vm, ret;

	hyp = fdt_add_subnode(fdt, 0, "hypervisor");
	if (hyp < 0)
		return hyp;
	ret = fdt_setprop_u32(fdt, hyp, "#address-cells", 2);
	if (!ret)
		ret = fdt_setprop_u32(fdt, hyp, "#size-cells", 0);
	if (!ret)
		ret = fdt_setprop(fdt, hyp, "compatible", hyp_compat, compat_len);
	if (ret)
		return ret;

	vm = fdt_add_subnode(fdt, hyp, "qcom,gunyah-vm");
	if (vm < 0)
		return vm;
	ret = fdt_setprop(fdt, vm, "compatible", vm_compat, sizeof(vm_compat));
	if (!ret)
		ret = fdt_setprop_u32(fdt, vm, "qcom,vmid", vmid);
	return ret ? ret : vm;
}

int host_dt_add_hypervisor(void *fdt, u32 vmid)
{
	static const char hyp_compat[] =
		"qcom,gunyah-hypervisor-1.0\0qcom,gunyah-hypervisor\0simple-bus";
	int hyp, vm, ret;

	hyp = fdt_path_offset(fdt, "/hypervisor");
	if (hyp >= 0) {
		ret = fdt_del_node(fdt, hyp);
		if (ret)
			return ret;
	}
	vm = dt_add_gunyah_nodes(fdt, hyp_compat, sizeof(hyp_compat), vmid);
	if (vm < 0)
		return vm;
	return fdt_setprop_string(fdt, vm, "qcom,vendor", "Qualcomm");
}

/* A GIC interrupt specifier: SPI, number, edge rising. */
static void dt_spi(fdt32_t *cells, u32 intid)
{
	cells[0] = cpu_to_fdt32(0);
	cells[1] = cpu_to_fdt32(intid - 32);
	cells[2] = cpu_to_fdt32(1);
}

int host_dt_add_rm(void *fdt, const struct rm_link_info *link)
{
	static const char compat[] =
		"gunyah-resource-manager\0qcom,resource-manager-1-0\0qcom,resource-manager";
	char name[48];
	fdt32_t reg[4], irqs[6];
	int hyp, node, ret;

	hyp = fdt_path_offset(fdt, "/hypervisor");
	if (hyp < 0)
		return hyp;
	/* The unit address is the TX capability, 16 hex digits. */
	hyp_snprintf(name, sizeof(name), "qcom,resource-manager-rpc@%016lx",
		     (unsigned long)link->tx_cap);
	node = fdt_add_subnode(fdt, hyp, name);
	if (node < 0)
		return node;

	reg[0] = cpu_to_fdt32(link->tx_cap >> 32);
	reg[1] = cpu_to_fdt32((u32)link->tx_cap);
	reg[2] = cpu_to_fdt32(link->rx_cap >> 32);
	reg[3] = cpu_to_fdt32((u32)link->rx_cap);
	dt_spi(irqs, link->tx_intid);
	dt_spi(irqs + 3, link->rx_intid);

	/* Reverse blob order, see host_dt_add_hypervisor(). */
	ret = fdt_setprop(fdt, node, "compatible", compat, sizeof(compat));
	if (!ret)
		ret = fdt_setprop(fdt, node, "reg", reg, sizeof(reg));
	if (!ret)
		ret = fdt_setprop(fdt, node, "interrupts", irqs, sizeof(irqs));
	if (!ret)
		ret = fdt_setprop_u32(fdt, node, "qcom,free-irq-start", link->free_irq_start);
	if (!ret)
		ret = fdt_setprop_empty(fdt, node, "qcom,is-full-duplex");
	if (!ret)
		ret = fdt_setprop_u32(fdt, node, "qcom,tx-message-size", link->msg_size);
	if (!ret)
		ret = fdt_setprop_u32(fdt, node, "qcom,rx-message-size", link->msg_size);
	if (!ret)
		ret = fdt_setprop_u32(fdt, node, "qcom,tx-queue-depth", link->queue_depth);
	if (!ret)
		ret = fdt_setprop_u32(fdt, node, "qcom,rx-queue-depth", link->queue_depth);
	return ret;
}

int host_dt_prepare(void *fdt, u64 hyp_base, u64 hyp_size, const struct rm_link_info *link)
{
	int ret;

	ret = host_dt_carve_memory(fdt, hyp_base, hyp_size);
	if (!ret)
		ret = host_dt_add_hypervisor(fdt, GUNYAH_VMID_HLOS);
	/* No RM (it crashed at boot): no node, the host finds no RM. */
	if (!ret && link)
		ret = host_dt_add_rm(fdt, link);
	if (!ret)
		ret = fdt_pack(fdt);
	return ret;
}
