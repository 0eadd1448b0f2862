// SPDX-License-Identifier: GPL-2.0-only
/* Host tests of the VM-config parser (rm/vm_config.c). */
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>
#include <test.h>
#include <rm/rm.h>
#include <rm/vm_config.h>
#include <rm/vm_dt.h>

static char blob[8192];

/* What a VMM like crosvm or the sample emits; @variant breaks one thing. */
enum variant {
	GOOD, NO_NAME, LONG_NAME, STATIC_AFFINITY, NO_MEMORY, MISALIGNED_BASE,
	NO_CPUS, NINE_CPUS, PPI_DOORBELL, MQ_VDEVICE, DUP_LABEL, EXTRA_MEMORY, QCOM_NAME,
	TWO_IRQS, LEVEL_DOORBELL,
};

static void *build(enum variant v)
{
	char *fdt = blob;
	int i;

	/* The blob is big enough: a failure here is a bug of the test. */
	if (fdt_create(fdt, sizeof(blob)))
		abort();
	fdt_finish_reservemap(fdt);
	fdt_begin_node(fdt, "");
	fdt_property_u32(fdt, "#address-cells", 2);
	fdt_property_u32(fdt, "#size-cells", 2);

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
	fdt_begin_node(fdt, "vcpus");
	fdt_property_string(fdt, "affinity", v == STATIC_AFFINITY ? "static" : "proxy");
	fdt_end_node(fdt);
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

	if (v != NO_CPUS) {
		fdt_begin_node(fdt, "cpus");
		for (i = 0; i < (v == NINE_CPUS ? 9 : 2); i++) {
			char name[16];

			snprintf(name, sizeof(name), "cpu@%d", i);
			fdt_begin_node(fdt, name);
			fdt_property_string(fdt, "device_type", "cpu");
			fdt_property_u32(fdt, "reg", i);
			fdt_end_node(fdt);
		}
		fdt_end_node(fdt);
	}
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

TEST(refused_configs)
{
	static const enum variant bad[] = {
		NO_NAME, LONG_NAME, STATIC_AFFINITY, NO_MEMORY, MISALIGNED_BASE, NO_CPUS,
		NINE_CPUS, PPI_DOORBELL, MQ_VDEVICE, DUP_LABEL, EXTRA_MEMORY, TWO_IRQS,
	};
	struct rm_vm_config cfg;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (!CHECK_EQ(rm_vm_config_parse(build(bad[i]), sizeof(blob), &cfg),
			      RM_ERROR_ARG_INVALID))
			printf("#     variant %u\n", bad[i]);
}

TEST(malformed_blobs)
{
	struct rm_vm_config cfg;
	char junk[64];
	void *fdt;

	memset(junk, 0x5a, sizeof(junk));
	CHECK_EQ(rm_vm_config_parse(junk, sizeof(junk), &cfg), RM_ERROR_MSG_INVALID);
	fdt = build(GOOD);
	/* The blob says it is longer than the memory given. */
	CHECK_EQ(rm_vm_config_parse(fdt, fdt_totalsize(fdt) - 1, &cfg), RM_ERROR_MSG_INVALID);
	CHECK_EQ(rm_vm_config_parse(fdt, 8, &cfg), RM_ERROR_MSG_INVALID);
	/* No config node at all. */
	REQUIRE_EQ(fdt_create_empty_tree(blob, sizeof(blob)), 0);
	CHECK_EQ(rm_vm_config_parse(blob, sizeof(blob), &cfg), RM_ERROR_ARG_INVALID);
}

/* ---- rm/vm_dt.c: the RM's edits of the guest's devicetree ---------------- */

static const struct rm_vm_dt_info dt_info = {
	.vmid = 0x80, .owner = 3, .image_name = "vm", .mem_base = 0x80000000,
	.mem_size = 0x4000000,
};

TEST(overlay_adds_hypervisor_and_memory)
{
	static char dt[4096];
	const fdt32_t *reg;
	int len;

	REQUIRE_EQ(fdt_create_empty_tree(dt, 512), 0);
	REQUIRE_EQ(fdt_setprop_u32(dt, 0, "#address-cells", 2), 0);
	REQUIRE_EQ(fdt_setprop_u32(dt, 0, "#size-cells", 2), 0);
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

TEST(overlay_errors)
{
	static char dt[4096];

	REQUIRE_EQ(fdt_create_empty_tree(dt, 512), 0);
	/* No room to grow. */
	CHECK_EQ(rm_vm_dt_overlay(dt, fdt_totalsize(dt), &dt_info), RM_ERROR_NOMEM);
	memset(dt, 0x5a, 64);
	CHECK_EQ(rm_vm_dt_overlay(dt, sizeof(dt), &dt_info), RM_ERROR_MSG_INVALID);
	/* One-cell addresses cannot say 0x1_0000_0000. */
	REQUIRE_EQ(fdt_create_empty_tree(dt, 512), 0);
	REQUIRE_EQ(fdt_setprop_u32(dt, 0, "#address-cells", 1), 0);
	{
		struct rm_vm_dt_info high = dt_info;

		high.mem_base = 0x100000000UL;
		CHECK_EQ(rm_vm_dt_overlay(dt, sizeof(dt), &high), RM_ERROR_MSG_INVALID);
	}
}
