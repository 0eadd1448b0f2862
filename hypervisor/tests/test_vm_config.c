// SPDX-License-Identifier: GPL-2.0-only
/* Host tests of the VM-config parser (rm/vm_config.c). */
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>
#include <test.h>
#include <rm/rm.h>
#include <rm/vm_config.h>
#include <rm/vm_dt.h>

static char blob[8192] __aligned(8);

/*
 * What a VMM like crosvm or the sample emits; @variant breaks one thing,
 * or says it in another way.
 */
enum variant {
	GOOD, NO_NAME, LONG_NAME, NO_MEMORY, MISALIGNED_BASE, PPI_DOORBELL, MQ_VDEVICE,
	DUP_LABEL, EXTRA_MEMORY, QCOM_NAME, TWO_IRQS, LEVEL_DOORBELL,
	/* the vcpus node and the CPUs */
	NO_VCPUS, STATIC_VALID, STATIC_NO_MAP, STATIC_SHORT_MAP, UNKNOWN_AFFINITY,
	STATIC_PSCI_NO_IDLE, NO_ENABLE_METHOD, CPUS_ENABLE_METHOD, SPIN_TABLE, BAD_STATUS,
	FAILED_CPU, NO_BOOT_CPU, SECOND_CPU_BOOTS, NINE_CPUS, NO_CPUS, CPUS_ELSEWHERE,
	CPUS_PATH_DANGLING, PROXY_IGNORES_SCHED,
	/* scheduling without proxy */
	SCHED_PRIO_OWNER, SCHED_PRIO_NEGATIVE, SCHED_NO_PRIO, SCHED_PRIO_WIDE, SCHED_SLICE_SHORT,
	SCHED_SLICE_LONG, SCHED_SLICE_MIN, SCHED_SLICE_MAX, SCHED_NO_SLICE, SCHED_PRIO_ZERO,
	SCHED_MAP_HIGH_BITS, SCHED_PSCI_BEFORE, SCHED_PSCI_AFTER,
	/* the GIC */
	NO_GIC, GIC_BY_PATH, GIC_FROM_ROOT, GIC_ROOT_AND_EMPTY_IRQS, EMPTY_IRQS,
	GIC_DANGLING, GIC_NOT_V3, GIC_NOT_CONTROLLER, GIC_TWO_CELLS, GIC_TWO_REGIONS,
	GIC_PATH_NO_PHANDLE, GIC_SHORT_REG, GIC_NO_REG, GIC_MISALIGNED, GIC_SMALL_GICR,
	GIC_STRIDE_256K, GIC_STRIDE_SMALL,
};

#define GICD		0x3fff0000U
#define GICR(n)		(GICD - (n) * 0x20000U)

static void build_gic(void *fdt, enum variant v, unsigned int nr_cpus)
{
	u32 gicd = v == GIC_MISALIGNED ? GICD + 0x8000 : GICD;
	fdt32_t reg[8] = {
		0, cpu_to_fdt32(gicd), 0, cpu_to_fdt32(0x10000),
		0, cpu_to_fdt32(GICR(nr_cpus)),
		0, cpu_to_fdt32((v == GIC_SMALL_GICR ? nr_cpus - 1 : nr_cpus) * 0x20000),
	};

	fdt_begin_node(fdt, "intc@3fff0000");
	fdt_property_string(fdt, "compatible", v == GIC_NOT_V3 ? "arm,gic-400" : "arm,gic-v3");
	fdt_property_u32(fdt, "#interrupt-cells", v == GIC_TWO_CELLS ? 2 : 3);
	if (v != GIC_NOT_CONTROLLER)
		fdt_property(fdt, "interrupt-controller", NULL, 0);
	if (v != GIC_NO_REG)
		fdt_property(fdt, "reg", reg, v == GIC_SHORT_REG ? 16 : sizeof(reg));
	fdt_property_u32(fdt, "#redistributor-regions", v == GIC_TWO_REGIONS ? 2 : 1);
	if (v == GIC_STRIDE_256K || v == GIC_STRIDE_SMALL)
		fdt_property_u64(fdt, "redistributor-stride", v == GIC_STRIDE_SMALL ? 0x10000 : 0x40000);
	if (v != GIC_PATH_NO_PHANDLE)
		fdt_property_u32(fdt, "phandle", 1);
	fdt_end_node(fdt);
}

static void build_cpus(void *fdt, enum variant v, unsigned int nr_cpus)
{
	unsigned int i;

	if (v == NO_CPUS)
		return;
	fdt_begin_node(fdt, v == CPUS_ELSEWHERE ? "vcpu-nodes" : "cpus");
	fdt_property_u32(fdt, "#address-cells", 1);
	fdt_property_u32(fdt, "#size-cells", 0);
	if (v == CPUS_ENABLE_METHOD)
		fdt_property_string(fdt, "enable-method", "psci");
	for (i = 0; i < nr_cpus; i++) {
		char name[16];

		snprintf(name, sizeof(name), "cpu@%u", i);
		fdt_begin_node(fdt, name);
		fdt_property_string(fdt, "device_type", "cpu");
		fdt_property_u32(fdt, "reg", i);
		if (v != NO_ENABLE_METHOD && v != CPUS_ENABLE_METHOD)
			fdt_property_string(fdt, "enable-method",
					    v == SPIN_TABLE ? "spin-table" :
					    v == SCHED_PSCI_BEFORE || v == SCHED_PSCI_AFTER ?
					    "qcom,gunyah-hvc" : "psci");
		if (v == BAD_STATUS && i == 1)
			fdt_property_string(fdt, "status", "broken");
		if (v == FAILED_CPU && i == 1)
			fdt_property_string(fdt, "status", "fail-sss");
		if (v == NO_BOOT_CPU || (v == SECOND_CPU_BOOTS && !i))
			fdt_property_string(fdt, "status", "disabled");
		if (v == SECOND_CPU_BOOTS && i)
			fdt_property_string(fdt, "status", "okay");
		/* Without proxy scheduling, PSCI needs idle states on every CPU. */
		if (v == STATIC_VALID || (v >= SCHED_PRIO_OWNER && v <= SCHED_MAP_HIGH_BITS))
			fdt_property_u32(fdt, "cpu-idle-states", 2);
		fdt_end_node(fdt);
	}
	fdt_end_node(fdt);
}

static void build_psci(void *fdt)
{
	fdt_begin_node(fdt, "psci");
	fdt_property_string(fdt, "compatible", "arm,psci-1.0");
	fdt_property_string(fdt, "method", "hvc");
	fdt_end_node(fdt);
}

static void build_vcpus(void *fdt, enum variant v, unsigned int nr_cpus)
{
	const fdt32_t map[2] = { cpu_to_fdt32(v == SCHED_MAP_HIGH_BITS ? 0x10001 : 0),
				 cpu_to_fdt32(v == SCHED_MAP_HIGH_BITS ? 0x1ffff : 1) };
	bool sched = v >= SCHED_PRIO_OWNER && v <= SCHED_PSCI_AFTER;
	bool is_static = v == STATIC_VALID || v == STATIC_NO_MAP || v == STATIC_SHORT_MAP ||
			 v == STATIC_PSCI_NO_IDLE || sched;
	/* Valid for the real RM: below the owner's priority, 1 ms. */
	s32 prio = v == PROXY_IGNORES_SCHED ? 100 : v == SCHED_PRIO_OWNER ? 0 :
		   v == SCHED_PRIO_NEGATIVE ? -33 : v == SCHED_PRIO_ZERO ? -32 : -1;
	u32 slice = v == PROXY_IGNORES_SCHED ? 0 : v == SCHED_SLICE_SHORT ? 99 :
		    v == SCHED_SLICE_LONG ? 100001 : v == SCHED_SLICE_MIN ? 100 :
		    v == SCHED_SLICE_MAX ? 100000 : 1000;

	if (v == NO_VCPUS)
		return;
	fdt_begin_node(fdt, "vcpus");
	fdt_property_string(fdt, "affinity", v == UNKNOWN_AFFINITY ? "roundrobin" :
					     is_static ? "static" : "proxy");
	if (is_static && v != STATIC_NO_MAP)
		fdt_property(fdt, "affinity-map", map, v == STATIC_SHORT_MAP ? 4 : 4 * nr_cpus);
	if (is_static || v == PROXY_IGNORES_SCHED) {
		if (v == SCHED_PRIO_WIDE)
			fdt_property_u64(fdt, "sched-priority", (u64)-1);
		else if (v != SCHED_NO_PRIO)
			fdt_property_u32(fdt, "sched-priority", prio);
		if (v != SCHED_NO_SLICE)
			fdt_property_u32(fdt, "sched-timeslice", slice);
	}
	if (v == CPUS_ELSEWHERE)
		fdt_property_string(fdt, "config", "/vcpu-nodes");
	if (v == CPUS_PATH_DANGLING)
		fdt_property_string(fdt, "config", "/nowhere");
	fdt_end_node(fdt);
}

static void *build(enum variant v)
{
	unsigned int nr_cpus = v == NINE_CPUS ? 9 : 2;
	char *fdt = blob;
	int i;

	/* The blob is big enough: a failure here is a bug of the test. */
	if (fdt_create(fdt, sizeof(blob)))
		abort();
	fdt_finish_reservemap(fdt);
	fdt_begin_node(fdt, "");
	fdt_property_u32(fdt, "#address-cells", 2);
	fdt_property_u32(fdt, "#size-cells", 2);
	if (v == GIC_FROM_ROOT || v == GIC_ROOT_AND_EMPTY_IRQS)
		fdt_property_u32(fdt, "interrupt-parent", 1);

	fdt_begin_node(fdt, "chosen");
	fdt_end_node(fdt);
	if (v == SCHED_PSCI_BEFORE)
		build_psci(fdt);
	fdt_begin_node(fdt, v == QCOM_NAME ? "qcom,vm-config" : "gunyah-vm-config");
	if (v != NO_NAME)
		fdt_property_string(fdt, "image-name", v == LONG_NAME ?
			/* 80 characters: one more than the RM takes. */
			"0123456789012345678901234567890123456789012345678901234567890123456789012345678x" :
			"gunyah-vmm-vm");
	fdt_property_string(fdt, "os-type", "linux");
	if (v != NO_MEMORY) {
		fdt_begin_node(fdt, "memory");
		fdt_property_u64(fdt, "base-address", v == MISALIGNED_BASE ? 0x80001000 : 0x80000000);
		fdt_end_node(fdt);
	}
	build_vcpus(fdt, v, nr_cpus);
	if (v == GIC_BY_PATH || v == GIC_PATH_NO_PHANDLE) {
		fdt_begin_node(fdt, "interrupts");
		fdt_property_string(fdt, "config", "/intc@3fff0000");
		fdt_end_node(fdt);
	} else if (v == EMPTY_IRQS || v == GIC_ROOT_AND_EMPTY_IRQS) {
		fdt_begin_node(fdt, "interrupts");
		fdt_end_node(fdt);
	} else if (v != NO_GIC && v != GIC_FROM_ROOT) {
		fdt_begin_node(fdt, "interrupts");
		fdt_property_u32(fdt, "config", v == GIC_DANGLING ? 9 : 1);
		fdt_end_node(fdt);
	}
	fdt_begin_node(fdt, "vdevices");
	fdt_property_string(fdt, "generate", "/hypervisor");
	for (i = 0; i < 2; i++) {
		fdt32_t irq[6] = { cpu_to_fdt32(v == PPI_DOORBELL ? 1 : 0), cpu_to_fdt32(40 + i),
				   cpu_to_fdt32(v == LEVEL_DOORBELL ? 4 : 1),
				   cpu_to_fdt32(0), cpu_to_fdt32(50), cpu_to_fdt32(1) };
		char name[16];

		snprintf(name, sizeof(name), "bell-%d", i);
		fdt_begin_node(fdt, name);
		fdt_property_string(fdt, "vdevice-type", v == MQ_VDEVICE && i ? "message-queue" :
							 "doorbell");
		fdt_property_u32(fdt, "label", v == DUP_LABEL ? 7 : 7 + i);
		fdt_property(fdt, "peer-default", NULL, 0);
		if (i)
			fdt_property(fdt, "source-can-clear", NULL, 0);
		fdt_property(fdt, "interrupts", irq, v == TWO_IRQS ? 24 : 12);
		fdt_end_node(fdt);
	}
	fdt_end_node(fdt);
	fdt_end_node(fdt);

	build_cpus(fdt, v, nr_cpus);
	if (v == SCHED_PSCI_AFTER)
		build_psci(fdt);
	if (v != NO_GIC)
		build_gic(fdt, v, v == FAILED_CPU ? 1 : MIN(nr_cpus, 8));
	fdt_begin_node(fdt, "memory");
	fdt_property_string(fdt, "device_type", "memory");
	fdt_end_node(fdt);
	if (v == EXTRA_MEMORY) {
		fdt_begin_node(fdt, "ram@0");
		fdt_property_string(fdt, "device_type", "memory");
		fdt_end_node(fdt);
	}
	fdt_end_node(fdt);
	if (fdt_finish(fdt))
		abort();
	return fdt;
}

TEST(crosvm_style_config)
{
	struct rm_vm_config cfg;
	void *fdt = build(GOOD);

	CHECK_EQ(rm_vm_config_parse(fdt, sizeof(blob), &cfg), RM_OK);
	CHECK_STR_EQ(cfg.image_name, "gunyah-vmm-vm");
	CHECK_EQ(cfg.mem_base, 0x80000000);
	CHECK_EQ(cfg.nr_vcpus, 2);
	CHECK(cfg.has_gic);
	CHECK_EQ(cfg.gicd_base, GICD);
	CHECK_EQ(cfg.gicr_base, GICR(2));
	CHECK_EQ(cfg.nr_doorbells, 2);
	CHECK_EQ(cfg.doorbells[0].label, 7);
	CHECK_EQ(cfg.doorbells[0].intid, 72);
	CHECK(!cfg.doorbells[0].level);
	CHECK(!cfg.doorbells[0].source_can_clear);
	CHECK_EQ(cfg.doorbells[1].label, 8);
	CHECK_EQ(cfg.doorbells[1].intid, 73);
	CHECK(cfg.doorbells[1].source_can_clear);
}

TEST(qcom_node_name_and_level_doorbells)
{
	struct rm_vm_config cfg;

	CHECK_EQ(rm_vm_config_parse(build(QCOM_NAME), sizeof(blob), &cfg), RM_OK);
	CHECK_EQ(rm_vm_config_parse(build(LEVEL_DOORBELL), sizeof(blob), &cfg), RM_OK);
	CHECK(cfg.doorbells[0].level);
}

/* What the real RM takes too, said another way. */
TEST(accepted_variants)
{
	static const enum variant ok[] = {
		CPUS_ENABLE_METHOD, CPUS_ELSEWHERE, PROXY_IGNORES_SCHED, GIC_BY_PATH,
		GIC_FROM_ROOT, GIC_ROOT_AND_EMPTY_IRQS,
	};
	struct rm_vm_config cfg;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		if (!CHECK_EQ(rm_vm_config_parse(build(ok[i]), sizeof(blob), &cfg), RM_OK))
			printf("#     variant %u\n", ok[i]);
		CHECK_EQ(cfg.nr_vcpus, 2);
		CHECK(cfg.has_gic);
		CHECK_EQ(cfg.gicd_base, GICD);
	}
	/* A CPU that failed has no vCPU. */
	CHECK_EQ(rm_vm_config_parse(build(FAILED_CPU), sizeof(blob), &cfg), RM_OK);
	CHECK_EQ(cfg.nr_vcpus, 1);
}

/*
 * Scheduled by the hypervisor: the priority is the owner's (32) plus
 * sched-priority, the timeslice in ns, the CPU of each vCPU from the
 * affinity-map, cut to 16 bits.
 */
TEST(scheduled_vcpus)
{
	static const struct {
		enum variant v;
		u8 prio;
		u64 slice_ns;
		u16 cpu0, cpu1;
	} ok[] = {
		{ STATIC_VALID, 31, 1000000, 0, 1 },
		{ SCHED_SLICE_MIN, 31, 100000, 0, 1 },
		{ SCHED_SLICE_MAX, 31, 100000000, 0, 1 },
		{ SCHED_PRIO_ZERO, 0, 1000000, 0, 1 },
		{ SCHED_MAP_HIGH_BITS, 31, 1000000, 1, 0xffff },
		/* A PSCI node after the vcpus node: the real RM has not seen it yet. */
		{ SCHED_PSCI_AFTER, 31, 1000000, 0, 1 },
	};
	struct rm_vm_config cfg;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		if (!CHECK_EQ(rm_vm_config_parse(build(ok[i].v), sizeof(blob), &cfg), RM_OK))
			printf("#     variant %u\n", ok[i].v);
		CHECK(cfg.scheduled);
		CHECK_EQ(cfg.priority, ok[i].prio);
		CHECK_EQ(cfg.timeslice_ns, ok[i].slice_ns);
		CHECK_EQ(cfg.affinity[0], ok[i].cpu0);
		CHECK_EQ(cfg.affinity[1], ok[i].cpu1);
		CHECK_EQ(cfg.nr_vcpus, 2);
	}
	/* Proxy scheduling reads none of it. */
	CHECK_EQ(rm_vm_config_parse(build(PROXY_IGNORES_SCHED), sizeof(blob), &cfg), RM_OK);
	CHECK(!cfg.scheduled);
}

/*
 * No GIC node: VM_INIT goes on, as with the real RM, which refuses the
 * VM at VM_START (test_rm.c); no default addresses.
 */
TEST(no_gic_is_for_vm_start_to_refuse)
{
	struct rm_vm_config cfg;

	CHECK_EQ(rm_vm_config_parse(build(NO_GIC), sizeof(blob), &cfg), RM_OK);
	CHECK(!cfg.has_gic);
	CHECK_EQ(cfg.gicd_base, 0);
	CHECK_EQ(cfg.gicr_base, 0);
	CHECK_EQ(cfg.nr_vcpus, 2);
}

struct refusal {
	enum variant v;
	u32 err;
};

static void check_refusals(const struct refusal *bad, unsigned int n)
{
	struct rm_vm_config cfg;
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!CHECK_EQ(rm_vm_config_parse(build(bad[i].v), sizeof(blob), &cfg), bad[i].err))
			printf("#     variant %u\n", bad[i].v);
}

/*
 * Refused as the real RM refuses them, with the error its VM_INIT answers
 * (from its source): what its parser refuses is MEM_INVALID, vCPUs or a
 * GIC it cannot create NORESOURCE.
 */
TEST(refused_as_by_the_real_rm)
{
	static const struct refusal bad[] = {
		/* vcpus */
		{ NO_VCPUS, RM_ERROR_NORESOURCE },
		{ STATIC_NO_MAP, RM_ERROR_MEM_INVALID },
		{ STATIC_SHORT_MAP, RM_ERROR_MEM_INVALID },
		{ UNKNOWN_AFFINITY, RM_ERROR_MEM_INVALID },	/* static, no map */
		{ STATIC_PSCI_NO_IDLE, RM_ERROR_MEM_INVALID },
		{ NO_ENABLE_METHOD, RM_ERROR_MEM_INVALID },
		{ SPIN_TABLE, RM_ERROR_MEM_INVALID },
		{ BAD_STATUS, RM_ERROR_MEM_INVALID },
		{ NO_BOOT_CPU, RM_ERROR_MEM_INVALID },
		{ NINE_CPUS, RM_ERROR_NORESOURCE },
		{ NO_CPUS, RM_ERROR_MEM_INVALID },
		{ CPUS_PATH_DANGLING, RM_ERROR_MEM_INVALID },
		/* scheduling: not below the owner's priority, outside 0..63, outside 100 us..100 ms */
		{ SCHED_PRIO_OWNER, RM_ERROR_NORESOURCE },
		{ SCHED_NO_PRIO, RM_ERROR_NORESOURCE },
		{ SCHED_PRIO_WIDE, RM_ERROR_NORESOURCE },	/* not one cell: as if absent */
		{ SCHED_PRIO_NEGATIVE, RM_ERROR_NORESOURCE },
		{ SCHED_SLICE_SHORT, RM_ERROR_NORESOURCE },
		{ SCHED_SLICE_LONG, RM_ERROR_NORESOURCE },
		{ SCHED_NO_SLICE, RM_ERROR_NORESOURCE },
		/* A PSCI node before the vcpus node, CPUs without idle states */
		{ SCHED_PSCI_BEFORE, RM_ERROR_MEM_INVALID },
		/* the GIC */
		{ EMPTY_IRQS, RM_ERROR_MEM_INVALID },
		{ GIC_DANGLING, RM_ERROR_MEM_INVALID },
		{ GIC_NOT_V3, RM_ERROR_MEM_INVALID },
		{ GIC_NOT_CONTROLLER, RM_ERROR_MEM_INVALID },
		{ GIC_TWO_CELLS, RM_ERROR_MEM_INVALID },
		{ GIC_TWO_REGIONS, RM_ERROR_MEM_INVALID },
		{ GIC_PATH_NO_PHANDLE, RM_ERROR_MEM_INVALID },
		{ GIC_SHORT_REG, RM_ERROR_MEM_INVALID },
		{ GIC_STRIDE_SMALL, RM_ERROR_MEM_INVALID },
		{ GIC_MISALIGNED, RM_ERROR_NORESOURCE },
		/* another node that says it is memory */
		{ EXTRA_MEMORY, RM_ERROR_MEM_INVALID },
	};

	check_refusals(bad, ARRAY_SIZE(bad));
}

/*
 * Refused by this RM, which cannot build them: the first group the real
 * RM runs (its source says so), the second it was not checked against.
 */
TEST(refused_by_this_rm_only)
{
	static const struct refusal bad[] = {
		{ SECOND_CPU_BOOTS, RM_ERROR_ARG_INVALID },
		{ GIC_NO_REG, RM_ERROR_ARG_INVALID },
		{ GIC_SMALL_GICR, RM_ERROR_ARG_INVALID },
		{ GIC_STRIDE_256K, RM_ERROR_ARG_INVALID },
		{ NO_NAME, RM_ERROR_ARG_INVALID },
		{ LONG_NAME, RM_ERROR_ARG_INVALID },
		{ NO_MEMORY, RM_ERROR_ARG_INVALID },
		{ MQ_VDEVICE, RM_ERROR_ARG_INVALID },
		{ PPI_DOORBELL, RM_ERROR_ARG_INVALID },
		{ MISALIGNED_BASE, RM_ERROR_ARG_INVALID },	/* it aligns up */
		/* not checked against the real RM */
		{ DUP_LABEL, RM_ERROR_ARG_INVALID },
		{ TWO_IRQS, RM_ERROR_ARG_INVALID },
	};

	check_refusals(bad, ARRAY_SIZE(bad));
}

/* The reported hostile devicetree: byte 53, in the reservation terminator. */
static void *hostile(size_t *len)
{
	void *fdt = build(GOOD);
	u8 *copy;

	/* As dtc lays it out: the reservation map right after the header. */
	if (fdt_pack(fdt) || fdt_off_mem_rsvmap(fdt) != 40 || ((u8 *)fdt)[53])
		abort();
	*len = fdt_totalsize(fdt);
	copy = malloc(*len);
	if (!copy)
		abort();
	memcpy(copy, fdt, *len);
	copy[53] = 0xf9;
	return copy;
}

TEST(malformed_blobs)
{
	struct rm_vm_config cfg;
	char junk[64] __aligned(8);
	size_t len;
	u8 *bad, *before;
	void *fdt;

	memset(junk, 0x5a, sizeof(junk));
	CHECK_EQ(rm_vm_config_parse(junk, sizeof(junk), &cfg), RM_ERROR_MEM_INVALID);
	fdt = build(GOOD);
	/* The blob says it is longer than the memory given. */
	CHECK_EQ(rm_vm_config_parse(fdt, fdt_totalsize(fdt) - 1, &cfg), RM_ERROR_MEM_INVALID);
	CHECK_EQ(rm_vm_config_parse(fdt, 8, &cfg), RM_ERROR_MEM_INVALID);
	/* No config node at all: no vCPUs, as the real RM finds. */
	REQUIRE_EQ(fdt_create_empty_tree(blob, sizeof(blob)), 0);
	CHECK_EQ(rm_vm_config_parse(blob, sizeof(blob), &cfg), RM_ERROR_NORESOURCE);

	/* Header fine for libfdt, reservation map without its end. */
	bad = hostile(&len);
	before = malloc(len);
	REQUIRE(before != NULL);
	memcpy(before, bad, len);
	CHECK_EQ(fdt_check_header(bad), 0);
	CHECK_EQ(rm_vm_config_parse(bad, len, &cfg), RM_ERROR_MEM_INVALID);
	CHECK_MEM_EQ(bad, before, len);
	free(before);
	free(bad);
}

/*
 * Every byte of a good config set to a few values, each blob in a buffer
 * of its exact size: the parser and the overlay refuse it or handle it,
 * and never read or write outside (AddressSanitizer).
 */
TEST(single_byte_corruptions)
{
	static const u8 values[] = { 0x00, 0xff, 0xf9, 0x01 };
	static const struct rm_vm_dt_info info = {
		.vmid = 0x80, .owner = 3, .image_name = "vm", .mem_base = 0x80000000,
		.mem_size = 0x4000000,
	};
	unsigned int parsed = 0, started = 0;
	size_t n, i, v;
	void *fdt = build(GOOD);

	REQUIRE_EQ(fdt_pack(fdt), 0);
	n = fdt_totalsize(fdt);
	for (i = 0; i < n; i++) {
		for (v = 0; v < ARRAY_SIZE(values); v++) {
			struct rm_vm_config cfg;
			u8 *dt = malloc(n + 1024);

			REQUIRE(dt != NULL);
			memcpy(dt, fdt, n);
			dt[i] = values[v];
			if (rm_vm_config_parse(dt, n, &cfg) == RM_OK)
				parsed++;
			if (rm_vm_dt_overlay(dt, n + 1024, &info) == RM_OK)
				started++;
			free(dt);
		}
	}
	CHECK(parsed > 0);
	CHECK(started > 0);
	printf("#   of %zu corrupted configs, %u parsed, %u took the overlay\n",
	       n * ARRAY_SIZE(values), parsed, started);
}

/* ---- rm/vm_dt.c: the RM's edits of the guest's devicetree ---------------- */

static const struct rm_vm_dt_info dt_info = {
	.vmid = 0x80, .owner = 3, .image_name = "vm", .mem_base = 0x80000000,
	.mem_size = 0x4000000,
};

/* An empty tree with two-cell addresses and, if @chosen, a /chosen. */
static void empty_dt(void *dt, bool chosen)
{
	if (fdt_create_empty_tree(dt, 512) || fdt_setprop_u32(dt, 0, "#address-cells", 2) ||
	    fdt_setprop_u32(dt, 0, "#size-cells", 2) ||
	    (chosen && fdt_add_subnode(dt, 0, "chosen") < 0))
		abort();
}

TEST(overlay_adds_hypervisor_and_memory)
{
	static char dt[4096] __aligned(8);
	const fdt32_t *reg;
	int len;

	empty_dt(dt, true);
	CHECK_EQ(rm_vm_dt_overlay(dt, sizeof(dt), &dt_info), RM_OK);
	CHECK(fdt_totalsize(dt) < sizeof(dt));	/* packed */
	CHECK_EQ(fdt_node_check_compatible(dt, fdt_path_offset(dt, "/hypervisor"),
					   "qcom,gunyah-hypervisor"), 0);
	CHECK(fdt_path_offset(dt, "/hypervisor/qcom,gunyah-vm") >= 0);
	reg = fdt_getprop(dt, fdt_path_offset(dt, "/memory"), "reg", &len);
	REQUIRE(reg != NULL);
	CHECK_EQ(len, 16);
	CHECK_EQ(fdt32_to_cpu(reg[1]), 0x80000000);
	CHECK_EQ(fdt32_to_cpu(reg[3]), 0x4000000);
	/* A second time: the devicetree has /hypervisor already. */
	CHECK_EQ(rm_vm_dt_overlay(dt, sizeof(dt), &dt_info), RM_ERROR_DENIED);
}

/* The real RM's overlay patches /chosen: a devicetree without it fails. */
TEST(overlay_needs_chosen)
{
	static char dt[4096] __aligned(8), before[4096];

	empty_dt(dt, false);
	memcpy(before, dt, sizeof(dt));
	CHECK_EQ(rm_vm_dt_overlay(dt, sizeof(dt), &dt_info), RM_ERROR_NORESOURCE);
	/* Refused before anything was written. */
	CHECK_MEM_EQ(dt, before, sizeof(dt));
	CHECK_EQ(fdt_path_offset(dt, "/hypervisor"), -FDT_ERR_NOTFOUND);
}

TEST(overlay_errors)
{
	static char dt[4096] __aligned(8);

	empty_dt(dt, true);
	/* No room to grow. */
	CHECK_EQ(rm_vm_dt_overlay(dt, fdt_totalsize(dt), &dt_info), RM_ERROR_NOMEM);
	memset(dt, 0x5a, 64);
	CHECK_EQ(rm_vm_dt_overlay(dt, sizeof(dt), &dt_info), RM_ERROR_MEM_INVALID);
	/* One-cell addresses cannot say 0x1_0000_0000. */
	empty_dt(dt, true);
	REQUIRE_EQ(fdt_setprop_u32(dt, 0, "#address-cells", 1), 0);
	{
		struct rm_vm_dt_info high = dt_info;

		high.mem_base = 0x100000000UL;
		CHECK_EQ(rm_vm_dt_overlay(dt, sizeof(dt), &high), RM_ERROR_MEM_INVALID);
	}
}

/*
 * The reported attack, where it struck: libfdt's fdt_open_into() on the
 * blob at VM_START moved a negative length. Refused, nothing written,
 * nothing read or written outside the blob's exact-size buffer.
 */
TEST(overlay_refuses_hostile_dt)
{
	size_t len;
	u8 *bad = hostile(&len), *before = malloc(len);

	REQUIRE(before != NULL);
	memcpy(before, bad, len);
	CHECK_EQ(fdt_num_mem_rsv(bad), -FDT_ERR_TRUNCATED);
	CHECK_EQ(rm_vm_dt_overlay(bad, len, &dt_info), RM_ERROR_MEM_INVALID);
	CHECK_MEM_EQ(bad, before, len);
	free(before);
	free(bad);
}
