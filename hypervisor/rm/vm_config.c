// SPDX-License-Identifier: GPL-2.0-only
/*
 * Parsing the VM-config node (../shared/spec/abi.md §8.3). What this RM
 * can build is checked strictly: doorbell vdevices only, SPIs only. Anything else is refused rather than ignored,
 * so a VMM learns at VM_INIT, not when its guest misbehaves.
 *
 * What the real RM refuses, this RM refuses too, at the same message and
 * with the same error, so that a VMM tested here works on a device: the
 * vcpus node and the GIC as the real RM reads them, below; the list is in
 * Documentation/virt/gunyah/hypervisor.rst, "What the RM refuses".
 */
#include <libfdt.h>
#include <hyp/dt_check.h>
#include <hyp/sched.h>
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

/* Does the NUL-terminated @s start with @prefix? */
static bool str_starts(const char *s, const char *prefix)
{
	while (*prefix && *s == *prefix) {
		s++;
		prefix++;
	}
	return !*prefix;
}

/* The first string of property @name of @node, or NULL (fdt_stringlist_get). */
static const char *prop_first_string(const void *fdt, int node, const char *name)
{
	return fdt_stringlist_get(fdt, node, name, 0, NULL);
}

/* What the vcpus node and the CPU nodes say, as the real RM reads them. */
struct vcpus_info {
	bool node;		/* gunyah-vm-config/vcpus exists */
	bool proxy;		/* affinity = "proxy" */
	/* Not proxy: the scheduling properties, 0 when absent (as the real RM) */
	s32 prio_offset;	/* sched-priority */
	u32 timeslice_us;	/* sched-timeslice */
	const fdt32_t *map;	/* affinity-map, one cell per vCPU */
	unsigned int nr;	/* CPU nodes that are not failed: one vCPU each */
	bool boot_not_only_first;	/* another CPU boots than the first vCPU */
};

/*
 * The real RM's parse of the vcpus node (quic/gunyah-resource-manager
 * src/vm_config/vm_config_parser.c parse_vcpus): what it refuses here fails
 * the whole devicetree parse, hence VM_INIT with MEM_INVALID.
 *
 * - affinity: "proxy", or anything else (static, sticky, pinned, an
 *   unknown string, none), which needs an affinity-map with one CPU index
 *   per vCPU;
 * - the CPU nodes under the vcpus node's config path (default /cpus):
 *   those with device_type "cpu"; status absent (the first such one boots,
 *   the others wait), "okay" (boots), "disabled" (waits), "fail..."
 *   (no vCPU), nothing else; a vCPU that waits needs an enable-method,
 *   its own or /cpus', of "psci" or "qcom,gunyah-hvc"; at least one boots;
 * - without proxy scheduling, PSCI (an enable-method "psci", idle states,
 *   or a PSCI node, "arm,psci-0.2" or "arm,psci-1.0", that the real RM's
 *   parser meets before the vcpus node) needs cpu-idle-states on every
 *   CPU; sched-priority and
 *   sched-timeslice are read (one cell each; else as if absent, 0) and
 *   checked later, with the vCPUs.
 */
/* A PSCI node before @node in the blob: the real RM's parser has seen it by then. */
static bool psci_node_before(const void *fdt, int node)
{
	static const char *const compat[] = { "arm,psci-0.2", "arm,psci-1.0" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(compat); i++) {
		int psci = fdt_node_offset_by_compatible(fdt, -1, compat[i]);

		if (psci >= 0 && psci < node)
			return true;
	}
	return false;
}

static u32 rm_vm_config_vcpus_parse(const void *fdt, int config, struct vcpus_info *vi)
{
	const char *affinity, *path, *default_method;
	int vcpus, cpus, node, map_len = 0;
	unsigned int nr_boot = 0, nr_psci = 0, nr_idle = 0;

	*vi = (struct vcpus_info){ 0 };
	vcpus = fdt_subnode_offset(fdt, config, "vcpus");
	if (vcpus < 0)
		return RM_OK;
	vi->node = true;
	affinity = prop_first_string(fdt, vcpus, "affinity");
	vi->proxy = affinity && !strcmp(affinity, "proxy");
	if (!vi->proxy) {
		const fdt32_t *p;
		int len;

		vi->map = fdt_getprop(fdt, vcpus, "affinity-map", &map_len);
		if (!vi->map)
			return RM_ERROR_MEM_INVALID;
		p = fdt_getprop(fdt, vcpus, "sched-priority", &len);
		if (p && len == sizeof(*p))
			vi->prio_offset = (s32)fdt32_to_cpu(*p);
		p = fdt_getprop(fdt, vcpus, "sched-timeslice", &len);
		if (p && len == sizeof(*p))
			vi->timeslice_us = fdt32_to_cpu(*p);
	}

	path = prop_first_string(fdt, vcpus, "config");
	cpus = fdt_path_offset(fdt, path ? path : "/cpus");
	if (cpus < 0)
		return RM_ERROR_MEM_INVALID;
	default_method = prop_first_string(fdt, cpus, "enable-method");
	fdt_for_each_subnode(node, fdt, cpus) {
		const char *type = prop_first_string(fdt, node, "device_type");
		const char *status, *method;
		char node_path[128];
		bool boot;

		if (!type || strcmp(type, "cpu"))
			continue;
		status = prop_first_string(fdt, node, "status");
		if (!status)
			boot = !nr_boot;
		else if (!strcmp(status, "okay"))
			boot = true;
		else if (!strcmp(status, "disabled"))
			boot = false;
		else if (!strcmp(status, "fail") || str_starts(status, "fail-"))
			continue;
		else
			return RM_ERROR_MEM_INVALID;

		method = prop_first_string(fdt, node, "enable-method");
		if (!method)
			method = default_method;
		if (fdt_getprop(fdt, node, "cpu-idle-states", NULL))
			nr_idle++;
		if (boot) {
			nr_boot++;
			if (vi->nr)
				vi->boot_not_only_first = true;
		} else if (!method) {
			return RM_ERROR_MEM_INVALID;
		} else if (!strcmp(method, "psci")) {
			nr_psci++;
		} else if (strcmp(method, "qcom,gunyah-hvc")) {
			return RM_ERROR_MEM_INVALID;
		}
		/* The real RM keeps each CPU's path, in 128 bytes. */
		if (fdt_get_path(fdt, node, node_path, sizeof(node_path)))
			return RM_ERROR_MEM_INVALID;
		vi->nr++;
	}
	if (!nr_boot)
		return RM_ERROR_MEM_INVALID;
	if (!vi->proxy && (unsigned int)map_len / sizeof(fdt32_t) != vi->nr)
		return RM_ERROR_MEM_INVALID;
	if (!vi->proxy && (nr_psci || nr_idle || psci_node_before(fdt, vcpus)) &&
	    nr_idle != vi->nr)
		return RM_ERROR_MEM_INVALID;
	return RM_OK;
}

/*
 * The vCPUs the real RM would then create (src/vm_config/vm_config.c
 * handle_vcpu), whose failures make VM_INIT NORESOURCE: no vcpus node
 * means no vCPU, more vCPUs than the platform's 8 CPUs are refused.
 * Without proxy scheduling the priority is the owner's plus sched-priority,
 * which must stay within 0..63 and, for the untrusted configs a VMM
 * gives, below the owner's; the timeslice (sched-timeslice, in us) must
 * lie within 100 us..100 ms. Each vCPU's CPU (the affinity-map cell, cut
 * to 16 bits as the real RM does) is the hypervisor's to check, when the
 * RM configures the vCPU. vCPU 0 is the one boot vCPU.
 */
static u32 rm_vm_config_vcpus_check(const struct vcpus_info *vi, struct rm_vm_config *cfg)
{
	unsigned int i;

	if (!vi->node || vi->nr > RM_VM_MAX_VCPUS)
		return RM_ERROR_NORESOURCE;
	if (!vi->proxy) {
		s64 prio = (s64)RM_OWNER_PRIORITY + vi->prio_offset;
		u64 slice_ns = (u64)vi->timeslice_us * 1000;

		if (prio < SCHED_PRIO_MIN || prio > SCHED_PRIO_MAX)
			return RM_ERROR_NORESOURCE;
		if (slice_ns < SCHED_TIMESLICE_MIN_NS || slice_ns > SCHED_TIMESLICE_MAX_NS)
			return RM_ERROR_NORESOURCE;
		if (prio >= RM_OWNER_PRIORITY)
			return RM_ERROR_NORESOURCE;
		cfg->scheduled = true;
		cfg->priority = prio;
		cfg->timeslice_ns = slice_ns;
		for (i = 0; i < vi->nr; i++)
			cfg->affinity[i] = (u16)fdt32_to_cpu(vi->map[i]);
	}
	/* The real RM powers on every CPU that boots; this one vCPU 0 only. */
	if (vi->boot_not_only_first)
		return RM_ERROR_ARG_INVALID;
	cfg->nr_vcpus = vi->nr;
	return RM_OK;
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

static bool prop_u32(const void *fdt, int node, const char *name, u32 *v)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

	if (!p || len != sizeof(*p))
		return false;
	*v = fdt32_to_cpu(*p);
	return true;
}

/*
 * The node of phandle @ph, if it is a GIC the real RM takes
 * (platform/qemu/src/vm_dt.c platform_parse_gic): compatible "arm,gic-v3",
 * interrupt-controller, #interrupt-cells = 3, #redistributor-regions 1 if
 * given, a reg with at least two entries if any, a redistributor-stride of
 * at least 128 KiB, 64 KiB aligned, if given. Else -1.
 */
static int gic_of_phandle(const void *fdt, u32 ph)
{
	int gic = fdt_node_offset_by_phandle(fdt, ph), ac, sc, len;
	const fdt32_t *stride;
	u32 v;

	if (gic < 0 || fdt_node_check_compatible(fdt, gic, "arm,gic-v3") ||
	    !fdt_getprop(fdt, gic, "interrupt-controller", NULL))
		return -1;
	if (prop_u32(fdt, gic, "#redistributor-regions", &v) && v != 1)
		return -1;
	if (!prop_u32(fdt, gic, "#interrupt-cells", &v) || v != 3)
		return -1;
	ac = fdt_address_cells(fdt, fdt_parent_offset(fdt, gic));
	sc = fdt_size_cells(fdt, fdt_parent_offset(fdt, gic));
	if (fdt_getprop(fdt, gic, "reg", &len) && (ac < 0 || sc < 0 ||
						   len < 2 * (ac + sc) * (int)sizeof(fdt32_t)))
		return -1;
	stride = fdt_getprop(fdt, gic, "redistributor-stride", &len);
	if (stride && len == 8) {
		u64 s = (u64)fdt32_to_cpu(stride[0]) << 32 | fdt32_to_cpu(stride[1]);

		if (s < RM_VM_GICR_STRIDE || !IS_ALIGNED(s, SZ_64K))
			return -1;
	}
	return gic;
}

/*
 * Which node is the guest's GIC, as the real RM finds it (platform/qemu/
 * src/vm_dt.c platform_parse_root, platform_parse_interrupts): the node
 * that the vm-config's interrupts { config } names, by path (the RM's own
 * form; the node needs a phandle) or by phandle; else the root's
 * interrupt-parent, if that is a GIC. A config that names no GIC, or an
 * interrupts node without config and no GIC at the root, fails the parse
 * (MEM_INVALID). No GIC at all passes here: VM_START refuses it.
 */
static u32 rm_vm_config_gic_find(const void *fdt, int config, int *gic)
{
	int irqs = fdt_subnode_offset(fdt, config, "interrupts"), root_gic = -1, len;
	const char *path;
	u32 root_ph = 0, ph;

	if (prop_u32(fdt, 0, "interrupt-parent", &root_ph))
		root_gic = gic_of_phandle(fdt, root_ph);
	*gic = root_gic;
	if (irqs < 0)
		return RM_OK;
	if (!fdt_getprop(fdt, irqs, "config", &len))
		return root_gic >= 0 ? RM_OK : RM_ERROR_MEM_INVALID;
	path = prop_first_string(fdt, irqs, "config");
	if (path && strlen(path) > 1 && path[0] == '/') {
		int node = fdt_path_offset(fdt, path);

		if (node < 0)
			return RM_ERROR_MEM_INVALID;
		ph = fdt_get_phandle(fdt, node);
	} else if (!prop_u32(fdt, irqs, "config", &ph)) {
		return RM_ERROR_MEM_INVALID;
	}
	if (root_gic >= 0 && ph == root_ph)
		return RM_OK;
	*gic = gic_of_phandle(fdt, ph);
	return *gic >= 0 ? RM_OK : RM_ERROR_MEM_INVALID;
}

/*
 * The GIC's frames, where the hypervisor emulates them. The real RM
 * refuses (NORESOURCE) frames that are not 64 KiB aligned or do not fit
 * the address space. It also places a GIC without reg itself, and takes
 * any redistributor stride and whatever sizes reg gives; this RM refuses
 * those (ARG_INVALID): it needs reg, 128 KiB redistributor frames, sizes
 * that cover the frames, and frames apart.
 */
static u32 rm_vm_config_gic_place(const void *fdt, int gic, struct rm_vm_config *cfg)
{
	u64 gicd_size, gicr_size, gicr_need = (u64)cfg->nr_vcpus * RM_VM_GICR_STRIDE;
	const fdt32_t *stride;
	int len;

	if (!reg_entry(fdt, gic, 0, &cfg->gicd_base, &gicd_size) ||
	    !reg_entry(fdt, gic, 1, &cfg->gicr_base, &gicr_size))
		return RM_ERROR_ARG_INVALID;
	if (!IS_ALIGNED(cfg->gicd_base, SZ_64K) || !IS_ALIGNED(cfg->gicr_base, SZ_64K) ||
	    cfg->gicd_base > RM_VM_IPA_LIMIT - SZ_64K ||
	    cfg->gicr_base > RM_VM_IPA_LIMIT - gicr_need)
		return RM_ERROR_NORESOURCE;
	stride = fdt_getprop(fdt, gic, "redistributor-stride", &len);
	if (stride && len == 8 &&
	    ((u64)fdt32_to_cpu(stride[0]) << 32 | fdt32_to_cpu(stride[1])) != RM_VM_GICR_STRIDE)
		return RM_ERROR_ARG_INVALID;
	if (gicd_size < SZ_64K || gicr_size < gicr_need ||
	    (cfg->gicd_base < cfg->gicr_base + gicr_need &&
	     cfg->gicr_base < cfg->gicd_base + SZ_64K))
		return RM_ERROR_ARG_INVALID;
	cfg->has_gic = true;
	return RM_OK;
}

/*
 * Only /memory may say it is memory: the RM rewrites it. The real RM's
 * parser refuses any other (parse_memory()): MEM_INVALID.
 */
static u32 rm_vm_config_memory_nodes(const void *fdt)
{
	int node;

	for (node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", 7);
	     node >= 0;
	     node = fdt_node_offset_by_prop_value(fdt, node, "device_type", "memory", 7)) {
		char path[16];

		if (fdt_get_path(fdt, node, path, sizeof(path)) || strcmp(path, "/memory"))
			return RM_ERROR_MEM_INVALID;
	}
	return RM_OK;
}

u32 rm_vm_config_parse(const void *fdt, size_t size, struct rm_vm_config *cfg)
{
	struct vcpus_info vi;
	const char *name;
	int config, mem, len, gic;
	u32 err;

	memset(cfg, 0, sizeof(*cfg));
	/* Nothing of the blob is read before it is known to be whole. */
	if (dt_check(fdt, size))
		return RM_ERROR_MEM_INVALID;
	/*
	 * No VM config: no vCPUs either. The real RM parses nothing, then
	 * cannot create vCPUs (handle_vcpu()): NORESOURCE.
	 */
	config = rm_vm_config_node(fdt);
	if (config < 0)
		return RM_ERROR_NORESOURCE;

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

	/* What the real RM's parse refuses (MEM_INVALID) comes first... */
	err = rm_vm_config_vcpus_parse(fdt, config, &vi);
	if (err == RM_OK)
		err = rm_vm_config_gic_find(fdt, config, &gic);
	if (err == RM_OK)
		err = rm_vm_config_memory_nodes(fdt);
	if (err == RM_OK)
		err = rm_vm_config_vdevices(fdt, config, cfg);
	/* ... then what it cannot create (NORESOURCE). */
	if (err == RM_OK)
		err = rm_vm_config_vcpus_check(&vi, cfg);
	if (err == RM_OK && gic >= 0)
		err = rm_vm_config_gic_place(fdt, gic, cfg);
	return err;
}
