// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzzing core/machine_dt.c, the hypervisor's reader of QEMU's devicetree
 * at cold boot, which walks the blob itself because no libfdt runs at EL2.
 * The oracle is the same lookups done with libfdt (what the hypervisor
 * did before): on every input both must give the same error, or the same
 * RAM ranges and CPUs.
 *
 * Input: the blob, in a heap buffer of exactly its size (ASan reports any
 * read past it); the reader is given that size as its bound.
 */
#include <libfdt.h>
#include <fuzz.h>
#include <hyp/dt_check.h>
#include <hyp/machine.h>

/* The old reader, on libfdt: the reference. */
static int oracle_memory(const void *fdt, struct machine *m)
{
	int ac = fdt_address_cells(fdt, 0);
	int sc = fdt_size_cells(fdt, 0);
	int node, len, stride;
	const u8 *reg;

	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return -FDT_ERR_BADNCELLS;
	stride = (ac + sc) * 4;
	m->nr_ram = 0;
	for (node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", 7);
	     node >= 0;
	     node = fdt_node_offset_by_prop_value(fdt, node, "device_type", "memory", 7)) {
		reg = fdt_getprop(fdt, node, "reg", &len);
		if (!reg)
			continue;
		for (; len >= stride && m->nr_ram < HYP_MAX_MEM_RANGES; len -= stride) {
			struct mem_range *r = &m->ram[m->nr_ram];

			r->base = dt_read_cells(reg, ac);
			r->size = dt_read_cells(reg + ac * 4, sc);
			reg += stride;
			if (r->size && r->base + r->size > r->base)
				m->nr_ram++;
		}
	}
	return m->nr_ram ? 0 : -FDT_ERR_NOTFOUND;
}

static int oracle_cpus(const void *fdt, struct machine *m)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	int ac, node, len, tlen;
	const char *type;
	const void *reg;

	if (cpus < 0)
		return cpus;
	ac = fdt_address_cells(fdt, cpus);
	if (ac < 1 || ac > 2)
		return -FDT_ERR_BADNCELLS;
	m->nr_cpus = 0;
	fdt_for_each_subnode(node, fdt, cpus) {
		/* "cpu" with its NUL: what strcmp() matched inside the value. */
		type = fdt_getprop(fdt, node, "device_type", &tlen);
		if (!type || tlen < 4 || memcmp(type, "cpu", 4))
			continue;
		reg = fdt_getprop(fdt, node, "reg", &len);
		if (!reg || len < ac * 4)
			return -FDT_ERR_BADVALUE;
		if (m->nr_cpus < HYP_MAX_CPUS)
			m->mpidr[m->nr_cpus++] = dt_read_cells(reg, ac);
	}
	return m->nr_cpus ? 0 : -FDT_ERR_NOTFOUND;
}

static int oracle(const void *fdt, size_t size, struct machine *m)
{
	int ret = dt_check(fdt, size);

	if (!ret)
		ret = oracle_memory(fdt, m);
	if (!ret)
		ret = oracle_cpus(fdt, m);
	return ret;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct machine got, want;
	u8 *buf = malloc(size ? size : 1);
	int r_got, r_want;
	unsigned int i;

	memcpy(buf, data, size);
	memset(&got, 0, sizeof(got));
	memset(&want, 0, sizeof(want));
	r_got = machine_dt_parse(buf, size, &got);
	r_want = oracle(buf, size, &want);
	if (r_got != r_want)
		fprintf(stderr, "machine_dt_parse %d, libfdt %d\n", r_got, r_want);
	FUZZ_ASSERT(r_got == r_want);
	if (!r_got) {
		FUZZ_ASSERT(got.nr_ram == want.nr_ram && got.nr_cpus == want.nr_cpus);
		for (i = 0; i < got.nr_ram; i++)
			FUZZ_ASSERT(got.ram[i].base == want.ram[i].base &&
				    got.ram[i].size == want.ram[i].size);
		for (i = 0; i < got.nr_cpus; i++)
			FUZZ_ASSERT(got.mpidr[i] == want.mpidr[i]);
	}
	free(buf);
	return 0;
}
