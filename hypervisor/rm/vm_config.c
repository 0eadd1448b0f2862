// SPDX-License-Identifier: GPL-2.0-only
/*
 * Parsing the VM-config node (../shared/spec/abi.md §8.3). What this RM
 * can build is checked strictly: proxy-scheduled vCPUs only, doorbell
 * vdevices only, SPIs only. Anything else is refused rather than ignored,
 * so a VMM learns at VM_INIT, not when its guest misbehaves.
 */
#include <libfdt.h>
#include <rm/rm.h>
#include <rm/vm_config.h>

#define IRQ_TYPE_SPI		0
#define IRQ_FLAGS_EDGE_RISING	1
#define IRQ_FLAGS_LEVEL_HIGH	4
/* Guests get SPIs 32..1019 of their virtual GIC. */
#define SPI_MAX			(1019 - 32)

static int rm_vm_config_node(const void *fdt)
{
	int node = fdt_path_offset(fdt, "/gunyah-vm-config");

	if (node < 0)
		node = fdt_path_offset(fdt, "/qcom,vm-config");
	return node;
}

static bool prop_is_string(const void *fdt, int node, const char *name, const char *want)
{
	int len;
	const char *v = fdt_getprop(fdt, node, name, &len);

	return v && len == (int)strlen(want) + 1 && !memcmp(v, want, len);
}

static bool prop_u64(const void *fdt, int node, const char *name, u64 *v)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

	if (!p || (len != 4 && len != 8))
		return false;
	*v = len == 4 ? fdt32_to_cpu(p[0]) :
			((u64)fdt32_to_cpu(p[0]) << 32) | fdt32_to_cpu(p[1]);
	return true;
}

static u32 rm_vm_config_doorbell(const void *fdt, int node, struct rm_vm_config *cfg)
{
	struct rm_doorbell_config *db;
	const fdt32_t *irq;
	u64 label;
	int len;
	u32 type, num, flags;

	if (cfg->nr_doorbells == RM_VM_MAX_DOORBELLS)
		return RM_ERROR_ARG_INVALID;
	db = &cfg->doorbells[cfg->nr_doorbells];
	if (!prop_u64(fdt, node, "label", &label) || label > 0xffffffffUL)
		return RM_ERROR_ARG_INVALID;
	/* Exactly one interrupt, three cells: type, number, flags. */
	irq = fdt_getprop(fdt, node, "interrupts", &len);
	if (!irq || len != 12)
		return RM_ERROR_ARG_INVALID;
	type = fdt32_to_cpu(irq[0]);
	num = fdt32_to_cpu(irq[1]);
	flags = fdt32_to_cpu(irq[2]);
	if (type != IRQ_TYPE_SPI || num > SPI_MAX ||
	    (flags != IRQ_FLAGS_EDGE_RISING && flags != IRQ_FLAGS_LEVEL_HIGH))
		return RM_ERROR_ARG_INVALID;
	*db = (struct rm_doorbell_config){
		.label = (u32)label,
		.intid = num + 32,
		.level = flags == IRQ_FLAGS_LEVEL_HIGH,
		.source_can_clear = fdt_getprop(fdt, node, "source-can-clear", NULL) != NULL,
	};
	cfg->nr_doorbells++;
	return RM_OK;
}

/* Every node with a vdevice-type, anywhere under the config node. */
static u32 rm_vm_config_vdevices(const void *fdt, int config, struct rm_vm_config *cfg)
{
	int depth = 0, node = config;
	u32 err = RM_OK;

	for (node = fdt_next_node(fdt, node, &depth); node >= 0 && depth > 0 && err == RM_OK;
	     node = fdt_next_node(fdt, node, &depth)) {
		const char *type = fdt_getprop(fdt, node, "vdevice-type", NULL);
		unsigned int i;

		if (!type)
			continue;
		if (!strcmp(type, "doorbell"))
			err = rm_vm_config_doorbell(fdt, node, cfg);
		else
			err = RM_ERROR_ARG_INVALID;
		/* Labels name resources: they must be unique. */
		for (i = 0; err == RM_OK && i + 1 < cfg->nr_doorbells; i++)
			if (cfg->doorbells[i].label == cfg->doorbells[cfg->nr_doorbells - 1].label)
				err = RM_ERROR_ARG_INVALID;
	}
	return err;
}

static u32 rm_vm_config_cpus(const void *fdt, struct rm_vm_config *cfg)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), node;

	if (cpus < 0)
		return RM_ERROR_ARG_INVALID;
	cfg->nr_vcpus = 0;
	fdt_for_each_subnode(node, fdt, cpus) {
		if (!prop_is_string(fdt, node, "device_type", "cpu"))
			continue;
		if (++cfg->nr_vcpus > RM_VM_MAX_VCPUS)
			return RM_ERROR_ARG_INVALID;
	}
	return cfg->nr_vcpus ? RM_OK : RM_ERROR_ARG_INVALID;
}

/* One reg entry of @node: its parent's cell counts, entry @i. */
static bool reg_entry(const void *fdt, int node, int i, u64 *base, u64 *size)
{
	int parent = fdt_parent_offset(fdt, node);
	int ac = fdt_address_cells(fdt, parent), sc = fdt_size_cells(fdt, parent), len;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

	if (!reg || ac < 1 || ac > 2 || sc < 1 || sc > 2 ||
	    len < (int)((i + 1) * (ac + sc) * sizeof(*reg)))
		return false;
	reg += i * (ac + sc);
	*base = fdt32_to_cpu(reg[0]);
	if (ac == 2)
		*base = *base << 32 | fdt32_to_cpu(reg[1]);
	reg += ac;
	*size = fdt32_to_cpu(reg[0]);
	if (sc == 2)
		*size = *size << 32 | fdt32_to_cpu(reg[1]);
	return true;
}

/*
 * The guest's GICv3, which the hypervisor emulates where the VMM put it:
 * the node interrupts { config = <&gic>; } names, else the first
 * "arm,gic-v3" node, else the addresses crosvm and gunyah-test-vmm use.
 */
static u32 rm_vm_config_gic(const void *fdt, int config, struct rm_vm_config *cfg)
{
	int irqs = fdt_subnode_offset(fdt, config, "interrupts"), gic = -1, len;
	u64 gicd_size, gicr_size, gicr_need = (u64)cfg->nr_vcpus * RM_VM_GICR_STRIDE;

	if (irqs >= 0) {
		const fdt32_t *ph = fdt_getprop(fdt, irqs, "config", &len);

		if (ph) {
			if (len != sizeof(*ph))
				return RM_ERROR_ARG_INVALID;
			gic = fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(*ph));
			if (gic < 0)
				return RM_ERROR_ARG_INVALID;
		}
	}
	if (gic < 0)
		gic = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
	if (gic < 0) {
		cfg->gicd_base = RM_VM_GICD_DEFAULT;
		cfg->gicr_base = RM_VM_GICD_DEFAULT - gicr_need;
		return RM_OK;
	}
	if (fdt_node_check_compatible(fdt, gic, "arm,gic-v3") ||
	    !reg_entry(fdt, gic, 0, &cfg->gicd_base, &gicd_size) ||
	    !reg_entry(fdt, gic, 1, &cfg->gicr_base, &gicr_size))
		return RM_ERROR_ARG_INVALID;
	/* 64 KiB aligned frames, big enough, inside the IPA space, apart. */
	if (!IS_ALIGNED(cfg->gicd_base, SZ_64K) || !IS_ALIGNED(cfg->gicr_base, SZ_64K) ||
	    gicd_size < SZ_64K || gicr_size < gicr_need ||
	    cfg->gicd_base + SZ_64K > RM_VM_IPA_LIMIT || cfg->gicr_base + gicr_need > RM_VM_IPA_LIMIT ||
	    (cfg->gicd_base < cfg->gicr_base + gicr_need && cfg->gicr_base < cfg->gicd_base + SZ_64K))
		return RM_ERROR_ARG_INVALID;
	return RM_OK;
}

/* Only /memory may say it is memory: the RM rewrites it. */
static u32 rm_vm_config_memory_nodes(const void *fdt)
{
	int node;

	for (node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", 7);
	     node >= 0;
	     node = fdt_node_offset_by_prop_value(fdt, node, "device_type", "memory", 7)) {
		char path[16];

		if (fdt_get_path(fdt, node, path, sizeof(path)) || strcmp(path, "/memory"))
			return RM_ERROR_ARG_INVALID;
	}
	return RM_OK;
}

u32 rm_vm_config_parse(const void *fdt, size_t size, struct rm_vm_config *cfg)
{
	const char *name;
	int config, mem, vcpus, len;
	u32 err;

	memset(cfg, 0, sizeof(*cfg));
	if (size < sizeof(struct fdt_header) || fdt_check_header(fdt) ||
	    fdt_totalsize(fdt) > size)
		return RM_ERROR_MSG_INVALID;
	config = rm_vm_config_node(fdt);
	if (config < 0)
		return RM_ERROR_ARG_INVALID;

	name = fdt_getprop(fdt, config, "image-name", &len);
	if (!name || len < 2 || len > RM_VM_IMAGE_NAME_MAX || name[len - 1] ||
	    (int)strlen(name) != len - 1)
		return RM_ERROR_ARG_INVALID;
	memcpy(cfg->image_name, name, len);
	if (fdt_getprop(fdt, config, "vm-type", NULL) &&
	    !prop_is_string(fdt, config, "vm-type", "aarch64-guest"))
		return RM_ERROR_ARG_INVALID;

	mem = fdt_subnode_offset(fdt, config, "memory");
	if (mem < 0 || !prop_u64(fdt, mem, "base-address", &cfg->mem_base) ||
	    !IS_ALIGNED(cfg->mem_base, SZ_2M))
		return RM_ERROR_ARG_INVALID;

	/* Proxy scheduling is the only kind this hypervisor has. */
	vcpus = fdt_subnode_offset(fdt, config, "vcpus");
	if (vcpus < 0 || !prop_is_string(fdt, vcpus, "affinity", "proxy"))
		return RM_ERROR_ARG_INVALID;

	err = rm_vm_config_cpus(fdt, cfg);
	if (err == RM_OK)
		err = rm_vm_config_gic(fdt, config, cfg);
	if (err == RM_OK)
		err = rm_vm_config_memory_nodes(fdt);
	if (err == RM_OK)
		err = rm_vm_config_vdevices(fdt, config, cfg);
	return err;
}
