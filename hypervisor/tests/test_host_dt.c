// SPDX-License-Identifier: GPL-2.0-only
/*
 * Unit tests of core/machine_dt.c and core/host_dt.c on blobs built with
 * libfdt's sequential-write API: parsing RAM and CPUs, carving the
 * hypervisor's memory out of /memory, and adding /hypervisor exactly as the
 * real resource manager writes it
 * (../shared/spec/reference/real-gunyah-hlos.md).
 */
#include <string.h>
#include <libfdt.h>
#include <rm/host_dt.h>
#include <hyp/machine.h>
#include <rm/rm.h>
#include "test.h"

#define BLOB_SIZE	16384
#define ROOM		65536

/* ---- building blobs ------------------------------------------------------ */

struct mem_node {
	const char *name;
	unsigned int nr;
	u64 base[4];
	u64 size[4];
};

struct dt_desc {
	int root_ac, root_sc;		/* 0: 2 */
	const struct mem_node *mem;
	unsigned int nr_mem;
	int cpus_ac;			/* 0: 1 */
	unsigned int nr_cpus;
	const u64 *cpu_reg;		/* NULL: 0, 1, 2, ... */
	bool old_hypervisor;		/* a stale /hypervisor, last child of / */
};

static unsigned int put_cells(fdt32_t *cells, int n, u64 v)
{
	if (n == 2) {
		cells[0] = cpu_to_fdt32((u32)(v >> 32));
		cells[1] = cpu_to_fdt32((u32)v);
	} else {
		cells[0] = cpu_to_fdt32((u32)v);
	}
	return n;
}

/* Build @d into @buf with fdt_create() and friends; returns 0 or -FDT_ERR_*. */
static int build(void *buf, int size, const struct dt_desc *d)
{
	int ac = d->root_ac ? d->root_ac : 2, sc = d->root_sc ? d->root_sc : 2;
	int cac = d->cpus_ac ? d->cpus_ac : 1;
	unsigned int i, j;
	int err = 0;

#define T(x) do { if (!err) err = (x); } while (0)
	T(fdt_create(buf, size));
	T(fdt_add_reservemap_entry(buf, 0x40f00000, 0x1000));
	T(fdt_finish_reservemap(buf));
	T(fdt_begin_node(buf, ""));
	T(fdt_property_u32(buf, "interrupt-parent", 0x8002));
	T(fdt_property_u32(buf, "#size-cells", sc));
	T(fdt_property_u32(buf, "#address-cells", ac));
	T(fdt_property_string(buf, "compatible", "linux,dummy-virt"));

	T(fdt_begin_node(buf, "psci"));
	T(fdt_property_string(buf, "method", "smc"));
	T(fdt_property_string(buf, "compatible", "arm,psci-1.0"));
	T(fdt_end_node(buf));

	for (i = 0; i < d->nr_mem; i++) {
		fdt32_t cells[16];
		unsigned int n = 0;

		T(fdt_begin_node(buf, d->mem[i].name));
		for (j = 0; j < d->mem[i].nr; j++) {
			n += put_cells(cells + n, ac, d->mem[i].base[j]);
			n += put_cells(cells + n, sc, d->mem[i].size[j]);
		}
		T(fdt_property(buf, "reg", cells, n * 4));
		T(fdt_property_string(buf, "device_type", "memory"));
		T(fdt_end_node(buf));
	}

	T(fdt_begin_node(buf, "pl011@9000000"));
	{
		fdt32_t cells[4];
		unsigned int n = 0;

		n += put_cells(cells + n, ac, 0x09000000);
		n += put_cells(cells + n, sc, 0x1000);
		T(fdt_property(buf, "reg", cells, n * 4));
	}
	T(fdt_property_string(buf, "compatible", "arm,pl011"));
	T(fdt_end_node(buf));

	T(fdt_begin_node(buf, "cpus"));
	T(fdt_property_u32(buf, "#size-cells", 0));
	T(fdt_property_u32(buf, "#address-cells", cac));
	/* QEMU also writes a cpu-map here, which is not a CPU. */
	T(fdt_begin_node(buf, "cpu-map"));
	T(fdt_begin_node(buf, "socket0"));
	T(fdt_end_node(buf));
	T(fdt_end_node(buf));
	for (i = 0; i < d->nr_cpus; i++) {
		char name[32];
		u64 reg = d->cpu_reg ? d->cpu_reg[i] : i;
		fdt32_t cells[2];

		snprintf(name, sizeof(name), "cpu@%lx", (unsigned long)reg);
		T(fdt_begin_node(buf, name));
		T(fdt_property(buf, "reg", cells, put_cells(cells, cac, reg) * 4));
		T(fdt_property_string(buf, "compatible", "arm,arm-v8"));
		T(fdt_property_string(buf, "device_type", "cpu"));
		T(fdt_end_node(buf));
	}
	T(fdt_end_node(buf));

	if (d->old_hypervisor) {
		T(fdt_begin_node(buf, "hypervisor"));
		T(fdt_property_string(buf, "compatible", "old,hypervisor"));
		T(fdt_property_u32(buf, "old-prop", 7));
		T(fdt_begin_node(buf, "old-child"));
		T(fdt_property_u32(buf, "x", 1));
		T(fdt_end_node(buf));
		T(fdt_end_node(buf));
	}

	T(fdt_end_node(buf));
	T(fdt_finish(buf));
#undef T
	return err;
}

static const struct mem_node qemu_mem[] = {
	{ "memory@40000000", 1, { 0x40000000 }, { 0x80000000 } },
};

static const struct dt_desc qemu_dt = {
	.mem = qemu_mem, .nr_mem = 1, .nr_cpus = 2,
};

static u8 blob[BLOB_SIZE] __aligned(8);
static u8 room[ROOM] __aligned(8);

/* Build @d and reopen it into room[] with space to grow. */
static int build_open(const struct dt_desc *d)
{
	int ret = build(blob, sizeof(blob), d);

	if (ret)
		return ret;
	return fdt_open_into(blob, room, sizeof(room));
}

/*
 * libfdt of this kernel tree has no fdt_check_full() (fdt_check.c is not
 * part of it): check the header, then walk every tag, checking nesting,
 * property names and that the struct block ends with FDT_END.
 */
static int check_structure(const void *fdt)
{
	int offset = 0, next, depth = 0, len;
	uint32_t tag;

	if (fdt_check_header(fdt))
		return -1;
	for (;;) {
		tag = fdt_next_tag(fdt, offset, &next);
		if (next < 0)
			return -2;
		switch (tag) {
		case FDT_BEGIN_NODE:
			depth++;
			if (!fdt_get_name(fdt, offset, &len))
				return -3;
			break;
		case FDT_END_NODE:
			if (--depth < 0)
				return -4;
			break;
		case FDT_PROP:
			if (depth < 1)
				return -5;
			if (!fdt_getprop_by_offset(fdt, offset, NULL, &len) || len < 0)
				return -6;
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			return depth == 0 ? 0 : -7;
		default:
			return -8;
		}
		offset = next;
	}
}

/* The reg property of @path as cells, or -1 if absent. */
static int get_reg(const void *fdt, const char *path, u32 *cells, int max)
{
	const fdt32_t *p;
	int node = fdt_path_offset(fdt, path), len, i;

	if (node < 0)
		return -1;
	p = fdt_getprop(fdt, node, "reg", &len);
	if (!p || len % 4 || len / 4 > max)
		return -1;
	for (i = 0; i < len / 4; i++)
		cells[i] = fdt32_to_cpu(p[i]);
	return len / 4;
}

#define CHECK_REG(fdt, path, ...)						\
	do {									\
		static const u32 want_[] = { __VA_ARGS__ };			\
		u32 got_[32];							\
		int n_ = get_reg((fdt), (path), got_, 32);			\
		if (CHECK_EQ(n_, ARRAY_SIZE(want_)))				\
			CHECK_MEM_EQ(got_, want_, sizeof(want_));		\
	} while (0)

/* ---- machine_dt_parse ---------------------------------------------------- */

TEST(parse_qemu_blob)
{
	struct machine m;

	REQUIRE_EQ(build(blob, sizeof(blob), &qemu_dt), 0);
	memset(&m, 0xa5, sizeof(m));
	CHECK_EQ(machine_dt_parse(blob, sizeof(blob), &m), 0);
	CHECK_EQ(m.nr_ram, 1);
	CHECK_EQ(m.ram[0].base, 0x40000000);
	CHECK_EQ(m.ram[0].size, 0x80000000);
	CHECK_EQ(m.nr_cpus, 2);
	CHECK_EQ(m.mpidr[0], 0);
	CHECK_EQ(m.mpidr[1], 1);
}

TEST(parse_cpus_with_two_address_cells)
{
	static const u64 regs[] = { 0x0, 0x100, 0x1000000ff };
	struct dt_desc d = qemu_dt;
	struct machine m;

	d.cpus_ac = 2;
	d.nr_cpus = 3;
	d.cpu_reg = regs;
	REQUIRE_EQ(build(blob, sizeof(blob), &d), 0);
	CHECK_EQ(machine_dt_parse(blob, sizeof(blob), &m), 0);
	CHECK_EQ(m.nr_cpus, 3);
	CHECK_EQ(m.mpidr[0], 0);
	CHECK_EQ(m.mpidr[1], 0x100);
	CHECK_EQ(m.mpidr[2], 0x1000000ff);
}

TEST(parse_several_memory_nodes_and_ranges)
{
	static const struct mem_node mem[] = {
		{ "memory@40000000", 2, { 0x40000000, 0x100000000 },
		  { 0x40000000, 0x200000000 } },
		{ "memory@80000000", 1, { 0x80000000 }, { 0x10000000 } },
	};
	struct dt_desc d = qemu_dt;
	struct machine m;

	d.mem = mem;
	d.nr_mem = 2;
	REQUIRE_EQ(build(blob, sizeof(blob), &d), 0);
	CHECK_EQ(machine_dt_parse(blob, sizeof(blob), &m), 0);
	CHECK_EQ(m.nr_ram, 3);
	CHECK_EQ(m.ram[0].base, 0x40000000);
	CHECK_EQ(m.ram[0].size, 0x40000000);
	CHECK_EQ(m.ram[1].base, 0x100000000);
	CHECK_EQ(m.ram[1].size, 0x200000000);
	CHECK_EQ(m.ram[2].base, 0x80000000);
	CHECK_EQ(m.ram[2].size, 0x10000000);
}

TEST(parse_ignores_empty_ranges_and_extra_ranges)
{
	static const struct mem_node mem[] = {
		{ "memory@0", 4, { 0x0, 0x1000, 0x2000, 0x3000 },
		  { 0x1000, 0, 0x1000, 0x1000 } },
		{ "memory@10000", 4, { 0x10000, 0x20000, 0x30000, 0x40000 },
		  { 0x1000, 0x1000, 0x1000, 0x1000 } },
		{ "memory@100000", 4, { 0x100000, 0x200000, 0x300000, 0x400000 },
		  { 0x1000, 0x1000, 0x1000, 0x1000 } },
	};
	struct dt_desc d = qemu_dt;
	struct machine m;

	d.mem = mem;
	d.nr_mem = 3;
	REQUIRE_EQ(build(blob, sizeof(blob), &d), 0);
	CHECK_EQ(machine_dt_parse(blob, sizeof(blob), &m), 0);
	CHECK_EQ(m.nr_ram, HYP_MAX_MEM_RANGES);
	CHECK_EQ(m.ram[1].base, 0x2000);	/* the empty range skipped */
	CHECK_EQ(m.ram[7].base, 0x100000);
	CHECK_EQ(m.ram[7].size, 0x1000);
	CHECK_EQ(m.nr_cpus, 2);
}

TEST(parse_one_cell_root)
{
	struct dt_desc d = qemu_dt;
	struct machine m;

	d.root_ac = 1;
	d.root_sc = 1;
	REQUIRE_EQ(build(blob, sizeof(blob), &d), 0);
	CHECK_EQ(machine_dt_parse(blob, sizeof(blob), &m), 0);
	CHECK_EQ(m.nr_ram, 1);
	CHECK_EQ(m.ram[0].base, 0x40000000);
	CHECK_EQ(m.ram[0].size, 0x80000000);
}

TEST(parse_without_memory_fails)
{
	struct dt_desc d = qemu_dt;
	struct machine m;

	d.nr_mem = 0;
	REQUIRE_EQ(build(blob, sizeof(blob), &d), 0);
	CHECK_EQ(machine_dt_parse(blob, sizeof(blob), &m), -FDT_ERR_NOTFOUND);
}

TEST(parse_without_cpus_fails)
{
	struct dt_desc d = qemu_dt;
	struct machine m;

	d.nr_cpus = 0;
	REQUIRE_EQ(build(blob, sizeof(blob), &d), 0);
	CHECK_EQ(machine_dt_parse(blob, sizeof(blob), &m), -FDT_ERR_NOTFOUND);
}

TEST(parse_malformed_header_fails)
{
	struct machine m;

	REQUIRE_EQ(build(blob, sizeof(blob), &qemu_dt), 0);
	memcpy(room, blob, fdt_totalsize(blob));
	room[0] ^= 0xff;	/* magic */
	CHECK_EQ(machine_dt_parse(room, sizeof(room), &m), -FDT_ERR_BADMAGIC);

	memcpy(room, blob, fdt_totalsize(blob));
	fdt_set_version(room, 1);
	CHECK(machine_dt_parse(room, sizeof(room), &m) < 0);

	memset(room, 0, 64);
	CHECK(machine_dt_parse(room, sizeof(room), &m) < 0);
}

TEST(parse_truncates_cpus_beyond_max)
{
	struct dt_desc d = qemu_dt;
	struct machine m;
	unsigned int i;

	d.nr_cpus = HYP_MAX_CPUS + 2;
	REQUIRE_EQ(build(blob, sizeof(blob), &d), 0);
	CHECK_EQ(machine_dt_parse(blob, sizeof(blob), &m), 0);
	CHECK_EQ(m.nr_cpus, HYP_MAX_CPUS);
	for (i = 0; i < HYP_MAX_CPUS; i++)
		CHECK_EQ(m.mpidr[i], i);
}

TEST(is_ram_edges)
{
	struct machine m;

	memset(&m, 0, sizeof(m));
	m.nr_ram = 2;
	m.ram[0] = (struct mem_range){ 0x40000000, 0x80000000 };
	m.ram[1] = (struct mem_range){ 0xc0000000, 0x1000000 };	/* adjacent */

	CHECK(machine_is_ram(&m, 0x40000000, 0x80000000));
	CHECK(machine_is_ram(&m, 0x40000000, 0x1000));
	CHECK(machine_is_ram(&m, 0xbffff000, 0x1000));
	CHECK(!machine_is_ram(&m, 0x3ffff000, 0x1000));
	CHECK(!machine_is_ram(&m, 0x3ffff000, 0x2000));
	CHECK(!machine_is_ram(&m, 0x40000000, 0x80001000));
	/* Spanning two adjacent ranges is not "within one range". */
	CHECK(!machine_is_ram(&m, 0xbffff000, 0x2000));
	CHECK(machine_is_ram(&m, 0xc0000000, 0x1000000));
	CHECK(!machine_is_ram(&m, 0xc0fff000, 0x2000));
	CHECK(!machine_is_ram(&m, 0xc1000000, 0x1000));
	/* Wrap-around. */
	CHECK(!machine_is_ram(&m, 0x40000000, ~0UL));
	CHECK(!machine_is_ram(&m, ~0xfffUL, 0x2000));
}

TEST(read_cells)
{
	static const u8 c[8] = { 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0 };

	CHECK_EQ(dt_read_cells(c, 1), 0x12345678);
	CHECK_EQ(dt_read_cells(c, 2), 0x123456789abcdef0UL);
}

/* ---- host_dt_carve_memory ------------------------------------------------ */

TEST(carve_middle_splits_the_range)
{
	struct machine m;

	REQUIRE_EQ(build_open(&qemu_dt), 0);
	CHECK_EQ(host_dt_carve_memory(room, 0x80000000, 0x4000000), 0);
	CHECK_REG(room, "/memory@40000000",
		  0, 0x40000000, 0, 0x40000000,
		  0, 0x84000000, 0, 0x3c000000);
	CHECK_EQ(check_structure(room), 0);
	CHECK_EQ(machine_dt_parse(room, sizeof(room), &m), 0);
	CHECK_EQ(m.nr_ram, 2);
	CHECK_EQ(m.nr_cpus, 2);
}

TEST(carve_start_and_end_trim)
{
	REQUIRE_EQ(build_open(&qemu_dt), 0);
	CHECK_EQ(host_dt_carve_memory(room, 0x40000000, 0x100000), 0);
	CHECK_REG(room, "/memory@40000000", 0, 0x40100000, 0, 0x7ff00000);
	CHECK_EQ(host_dt_carve_memory(room, 0xbff00000, 0x100000), 0);
	CHECK_REG(room, "/memory@40000000", 0, 0x40100000, 0, 0x7fe00000);
	CHECK_EQ(check_structure(room), 0);

	/* Overlapping the ends. */
	REQUIRE_EQ(build_open(&qemu_dt), 0);
	CHECK_EQ(host_dt_carve_memory(room, 0x3ff00000, 0x200000), 0);
	CHECK_REG(room, "/memory@40000000", 0, 0x40100000, 0, 0x7ff00000);
	CHECK_EQ(host_dt_carve_memory(room, 0xbff00000, 0x10000000), 0);
	CHECK_REG(room, "/memory@40000000", 0, 0x40100000, 0, 0x7fe00000);
}

TEST(carve_whole_node_deletes_it)
{
	struct machine m;

	REQUIRE_EQ(build_open(&qemu_dt), 0);
	CHECK_EQ(host_dt_carve_memory(room, 0x40000000, 0x80000000), 0);
	CHECK_EQ(fdt_path_offset(room, "/memory@40000000"), -FDT_ERR_NOTFOUND);
	CHECK_EQ(fdt_node_offset_by_prop_value(room, -1, "device_type", "memory", 7),
		 -FDT_ERR_NOTFOUND);
	CHECK(fdt_path_offset(room, "/pl011@9000000") >= 0);
	CHECK(fdt_path_offset(room, "/cpus/cpu@1") >= 0);
	CHECK_EQ(check_structure(room), 0);
	CHECK_EQ(machine_dt_parse(room, sizeof(room), &m), -FDT_ERR_NOTFOUND);

	REQUIRE_EQ(build_open(&qemu_dt), 0);
	CHECK_EQ(host_dt_carve_memory(room, 0, 0x100000000), 0);
	CHECK_EQ(fdt_path_offset(room, "/memory@40000000"), -FDT_ERR_NOTFOUND);
}

TEST(carve_outside_changes_nothing)
{
	static const u64 outside[][2] = {
		{ 0, 0x1000 }, { 0x3ff00000, 0x100000 }, { 0xc0000000, 0x1000 },
		{ 0x100000000, 0x40000000 }, { 0x40000000, 0 },
	};
	static u8 saved[ROOM];
	unsigned int i;

	REQUIRE_EQ(build_open(&qemu_dt), 0);
	REQUIRE_EQ(fdt_totalsize(room), ROOM);
	memcpy(saved, room, ROOM);
	for (i = 0; i < ARRAY_SIZE(outside); i++) {
		CHECK_EQ(host_dt_carve_memory(room, outside[i][0], outside[i][1]), 0);
		/* The reg, and indeed the whole blob, byte-identical. */
		CHECK_REG(room, "/memory@40000000", 0, 0x40000000, 0, 0x80000000);
		if (!CHECK_MEM_EQ(room, saved, ROOM))
			printf("#     carve %#lx+%#lx\n", (unsigned long)outside[i][0],
			       (unsigned long)outside[i][1]);
	}
}

TEST(carve_across_several_memory_nodes)
{
	static const struct mem_node mem[] = {
		{ "memory@40000000", 1, { 0x40000000 }, { 0x40000000 } },
		{ "memory@80000000", 1, { 0x80000000 }, { 0x40000000 } },
		{ "memory@100000000", 2, { 0x100000000, 0x200000000 },
		  { 0x40000000, 0x40000000 } },
	};
	struct dt_desc d = qemu_dt;

	d.mem = mem;
	d.nr_mem = 3;
	REQUIRE_EQ(build_open(&d), 0);
	/* Straddles the boundary of the first two nodes. */
	CHECK_EQ(host_dt_carve_memory(room, 0x7ff00000, 0x200000), 0);
	CHECK_REG(room, "/memory@40000000", 0, 0x40000000, 0, 0x3ff00000);
	CHECK_REG(room, "/memory@80000000", 0, 0x80100000, 0, 0x3ff00000);
	CHECK_REG(room, "/memory@100000000", 1, 0, 0, 0x40000000, 2, 0, 0, 0x40000000);

	/* Removes one range of a two-range node whole. */
	CHECK_EQ(host_dt_carve_memory(room, 0x100000000, 0x40000000), 0);
	CHECK_REG(room, "/memory@100000000", 2, 0, 0, 0x40000000);

	/* Deletes the first node and trims the second. */
	CHECK_EQ(host_dt_carve_memory(room, 0x0, 0x90000000), 0);
	CHECK_EQ(fdt_path_offset(room, "/memory@40000000"), -FDT_ERR_NOTFOUND);
	CHECK_REG(room, "/memory@80000000", 0, 0x90000000, 0, 0x30000000);
	CHECK_REG(room, "/memory@100000000", 2, 0, 0, 0x40000000);
	CHECK_EQ(check_structure(room), 0);

	/* Deletes the first of two nodes both entirely covered. */
	REQUIRE_EQ(build_open(&d), 0);
	CHECK_EQ(host_dt_carve_memory(room, 0x40000000, 0x80000000), 0);
	CHECK_EQ(fdt_path_offset(room, "/memory@40000000"), -FDT_ERR_NOTFOUND);
	CHECK_EQ(fdt_path_offset(room, "/memory@80000000"), -FDT_ERR_NOTFOUND);
	CHECK_REG(room, "/memory@100000000", 1, 0, 0, 0x40000000, 2, 0, 0, 0x40000000);
	CHECK_EQ(check_structure(room), 0);
}

TEST(carve_with_one_cell_addresses)
{
	struct dt_desc d = qemu_dt;

	d.root_ac = 1;
	d.root_sc = 1;
	REQUIRE_EQ(build_open(&d), 0);
	CHECK_EQ(host_dt_carve_memory(room, 0x80000000, 0x4000000), 0);
	CHECK_REG(room, "/memory@40000000", 0x40000000, 0x40000000, 0x84000000, 0x3c000000);
	CHECK_EQ(host_dt_carve_memory(room, 0x40000000, 0x1000), 0);
	CHECK_REG(room, "/memory@40000000", 0x40001000, 0x3ffff000, 0x84000000, 0x3c000000);
	CHECK_EQ(check_structure(room), 0);
}

TEST(carve_without_room_returns_an_error)
{
	u8 copy[BLOB_SIZE];
	int ret;

	/* Straight from fdt_finish(): totalsize is exactly the content. */
	REQUIRE_EQ(build(blob, sizeof(blob), &qemu_dt), 0);
	memcpy(copy, blob, fdt_totalsize(blob));
	ret = host_dt_carve_memory(blob, 0x80000000, 0x4000000);
	CHECK_EQ(ret, -FDT_ERR_NOSPACE);
	/* Nothing half-done. */
	CHECK_MEM_EQ(blob, copy, fdt_totalsize(copy));
	CHECK_EQ(check_structure(blob), 0);
	/* Shrinking and deleting need no room. */
	CHECK_EQ(host_dt_carve_memory(blob, 0x40000000, 0x100000), 0);
	CHECK_REG(blob, "/memory@40000000", 0, 0x40100000, 0, 0x7ff00000);
}

TEST(carve_rejects_wrapping_range)
{
	REQUIRE_EQ(build_open(&qemu_dt), 0);
	CHECK(host_dt_carve_memory(room, 0x80000000, ~0UL) < 0);
	CHECK_REG(room, "/memory@40000000", 0, 0x40000000, 0, 0x80000000);
}

/* ---- host_dt_add_hypervisor ---------------------------------------------- */

struct prop_want {
	const char *name;
	const void *val;
	int len;
};

/* The properties of @node in blob order are exactly @want. */
static void check_props(const void *fdt, int node, const struct prop_want *want,
			unsigned int n)
{
	unsigned int i = 0;
	int prop;

	fdt_for_each_property_offset(prop, fdt, node) {
		const char *name;
		const void *val;
		int len;

		val = fdt_getprop_by_offset(fdt, prop, &name, &len);
		if (!CHECK(val != NULL))
			return;
		if (!CHECK(i < n)) {
			printf("#     extra property %s\n", name);
			return;
		}
		if (!CHECK_STR_EQ(name, want[i].name))
			printf("#     property %u\n", i);
		if (CHECK_EQ(len, want[i].len))
			CHECK_MEM_EQ(val, want[i].val, len);
		i++;
	}
	CHECK_EQ(prop, -FDT_ERR_NOTFOUND);
	CHECK_EQ(i, n);
}

static const char hyp_compat[] =
	"qcom,gunyah-hypervisor-1.0\0qcom,gunyah-hypervisor\0simple-bus";
static const char vm_compat[] = "qcom,gunyah-vm-id-1.0\0qcom,gunyah-vm-id";
static const u8 be0[4] = { 0, 0, 0, 0 }, be2[4] = { 0, 0, 0, 2 };

static void check_hypervisor_node(const void *fdt, u32 vmid)
{
	const fdt32_t be_vmid = cpu_to_fdt32(vmid);
	const struct prop_want hyp_props[] = {
		{ "compatible", hyp_compat, sizeof(hyp_compat) },
		{ "#size-cells", be0, 4 },
		{ "#address-cells", be2, 4 },
	};
	const struct prop_want vm_props[] = {
		{ "qcom,vendor", "Qualcomm", 9 },
		{ "qcom,vmid", &be_vmid, 4 },
		{ "compatible", vm_compat, sizeof(vm_compat) },
	};
	int hyp, vm, node, count = 0;
	const char *name;

	/* /hypervisor is the first child of /, and the only one of that name. */
	hyp = fdt_first_subnode(fdt, 0);
	REQUIRE(hyp >= 0);
	CHECK_STR_EQ(fdt_get_name(fdt, hyp, NULL), "hypervisor");
	CHECK_EQ(fdt_path_offset(fdt, "/hypervisor"), hyp);
	fdt_for_each_subnode(node, fdt, 0) {
		name = fdt_get_name(fdt, node, NULL);
		if (name && !strncmp(name, "hypervisor", 10) &&
		    (name[10] == '\0' || name[10] == '@'))
			count++;
	}
	CHECK_EQ(count, 1);
	check_props(fdt, hyp, hyp_props, ARRAY_SIZE(hyp_props));

	/* Its only child (no resource-manager node yet): qcom,gunyah-vm. */
	vm = fdt_first_subnode(fdt, hyp);
	REQUIRE(vm >= 0);
	CHECK_STR_EQ(fdt_get_name(fdt, vm, NULL), "qcom,gunyah-vm");
	CHECK_EQ(fdt_next_subnode(fdt, vm), -FDT_ERR_NOTFOUND);
	check_props(fdt, vm, vm_props, ARRAY_SIZE(vm_props));
	CHECK_EQ(fdt_first_subnode(fdt, vm), -FDT_ERR_NOTFOUND);
	CHECK_EQ(check_structure(fdt), 0);
}

TEST(add_hypervisor_exact_node)
{
	int node;

	REQUIRE_EQ(build_open(&qemu_dt), 0);
	CHECK_EQ(host_dt_add_hypervisor(room, GUNYAH_VMID_HLOS), 0);
	check_hypervisor_node(room, 3);

	/* The rest of the tree is still there, in its order, after /hypervisor. */
	node = fdt_first_subnode(room, 0);
	node = fdt_next_subnode(room, node);
	CHECK_STR_EQ(fdt_get_name(room, node, NULL), "psci");
	CHECK_REG(room, "/memory@40000000", 0, 0x40000000, 0, 0x80000000);
	CHECK(fdt_path_offset(room, "/cpus/cpu@1") >= 0);
	CHECK_STR_EQ(fdt_getprop(room, 0, "compatible", NULL), "linux,dummy-virt");
	CHECK_EQ(fdt_num_mem_rsv(room), 1);
}

TEST(add_hypervisor_other_vmid)
{
	REQUIRE_EQ(build_open(&qemu_dt), 0);
	CHECK_EQ(host_dt_add_hypervisor(room, 0x45), 0);
	check_hypervisor_node(room, 0x45);
}

TEST(add_hypervisor_replaces_existing)
{
	struct dt_desc d = qemu_dt;
	int hyp;

	d.old_hypervisor = true;
	REQUIRE_EQ(build_open(&d), 0);
	REQUIRE(fdt_path_offset(room, "/hypervisor/old-child") >= 0);
	CHECK_EQ(host_dt_add_hypervisor(room, GUNYAH_VMID_HLOS), 0);
	check_hypervisor_node(room, 3);
	hyp = fdt_path_offset(room, "/hypervisor");
	CHECK(fdt_getprop(room, hyp, "old-prop", NULL) == NULL);
	CHECK_EQ(fdt_path_offset(room, "/hypervisor/old-child"), -FDT_ERR_NOTFOUND);

	/* Twice in a row is the same as once. */
	CHECK_EQ(host_dt_add_hypervisor(room, GUNYAH_VMID_HLOS), 0);
	check_hypervisor_node(room, 3);
}

TEST(add_hypervisor_then_carve)
{
	REQUIRE_EQ(build_open(&qemu_dt), 0);
	CHECK_EQ(host_dt_add_hypervisor(room, GUNYAH_VMID_HLOS), 0);
	CHECK_EQ(host_dt_carve_memory(room, 0x80000000, 0x4000000), 0);
	CHECK_REG(room, "/memory@40000000",
		  0, 0x40000000, 0, 0x40000000, 0, 0x84000000, 0, 0x3c000000);
	check_hypervisor_node(room, 3);
}

TEST(add_hypervisor_without_room_returns_an_error)
{
	REQUIRE_EQ(build(blob, sizeof(blob), &qemu_dt), 0);
	CHECK_EQ(host_dt_add_hypervisor(blob, GUNYAH_VMID_HLOS), -FDT_ERR_NOSPACE);
	CHECK_EQ(fdt_check_header(blob), 0);
}

/* ---- host_dt_prepare ----------------------------------------------------- */

TEST(prepare_carves_adds_the_rm_node_and_packs)
{
	static const char rm_compat[] =
		"gunyah-resource-manager\0qcom,resource-manager-1-0\0qcom,resource-manager";
	/* Caps 3 and 4, 64-bit each. */
	static const u8 reg[16] = { [7] = 3, [15] = 4 };
	/* SPI 928 and 929 (INTID 960, 961), edge rising. */
	static const u8 irqs[24] = {
		[6] = 0x03, [7] = 0xa0, [11] = 1, [18] = 0x03, [19] = 0xa1, [23] = 1,
	};
	static const u8 be8[4] = { 0, 0, 0, 8 }, be240[4] = { 0, 0, 0, 240 };
	static const u8 be966[4] = { 0, 0, 0x03, 0xc6 };
	const struct rm_link_info link = {
		.tx_cap = 3, .rx_cap = 4, .tx_intid = 960, .rx_intid = 961,
		.free_irq_start = 966, .queue_depth = 8, .msg_size = 240,
	};
	/* The real RM's blob order. */
	const struct prop_want rm_props[] = {
		{ "qcom,rx-queue-depth", be8, 4 },
		{ "qcom,tx-queue-depth", be8, 4 },
		{ "qcom,rx-message-size", be240, 4 },
		{ "qcom,tx-message-size", be240, 4 },
		{ "qcom,is-full-duplex", "", 0 },
		{ "qcom,free-irq-start", be966, 4 },
		{ "interrupts", irqs, sizeof(irqs) },
		{ "reg", reg, sizeof(reg) },
		{ "compatible", rm_compat, sizeof(rm_compat) },
	};
	int hyp, rm;

	REQUIRE_EQ(build_open(&qemu_dt), 0);
	CHECK_EQ(host_dt_prepare(room, 0x80000000, 0x4000000, &link), 0);
	CHECK_EQ(check_structure(room), 0);
	/* Packed: the blob ends with its strings. */
	CHECK_EQ(fdt_totalsize(room), fdt_off_dt_strings(room) + fdt_size_dt_strings(room));
	CHECK_REG(room, "/memory@40000000",
		  0, 0x40000000, 0, 0x40000000, 0, 0x84000000, 0, 0x3c000000);

	/* The RM's node, then qcom,gunyah-vm. */
	hyp = fdt_path_offset(room, "/hypervisor");
	REQUIRE_EQ(hyp, fdt_first_subnode(room, 0));
	rm = fdt_first_subnode(room, hyp);
	REQUIRE(rm >= 0);
	CHECK_STR_EQ(fdt_get_name(room, rm, NULL), "qcom,resource-manager-rpc@0000000000000003");
	check_props(room, rm, rm_props, ARRAY_SIZE(rm_props));
	CHECK_EQ(fdt_first_subnode(room, rm), -FDT_ERR_NOTFOUND);
	CHECK_STR_EQ(fdt_get_name(room, fdt_next_subnode(room, rm), NULL), "qcom,gunyah-vm");
}
