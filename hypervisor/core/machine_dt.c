// SPDX-License-Identifier: GPL-2.0-only
/* Reading the machine description (RAM, CPUs) from QEMU's devicetree. */
#include <libfdt.h>
#include <hyp/dt_check.h>
#include <hyp/machine.h>

u64 dt_read_cells(const void *p, int ncells)
{
	const fdt32_t *cells = p;
	u64 v = 0;
	int i;

	for (i = 0; i < ncells; i++)
		v = (v << 32) | fdt32_to_cpu(cells[i]);
	return v;
}

static int machine_dt_memory(const void *fdt, struct machine *m)
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

static int machine_dt_cpus(const void *fdt, struct machine *m)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	int ac, node, len;
	const char *type;
	const void *reg;

	if (cpus < 0)
		return cpus;
	ac = fdt_address_cells(fdt, cpus);
	if (ac < 1 || ac > 2)
		return -FDT_ERR_BADNCELLS;

	m->nr_cpus = 0;
	fdt_for_each_subnode(node, fdt, cpus) {
		type = fdt_getprop(fdt, node, "device_type", NULL);
		if (!type || strcmp(type, "cpu"))
			continue;
		reg = fdt_getprop(fdt, node, "reg", &len);
		if (!reg || len < ac * 4)
			return -FDT_ERR_BADVALUE;
		if (m->nr_cpus < HYP_MAX_CPUS)
			m->mpidr[m->nr_cpus++] = dt_read_cells(reg, ac);
	}
	return m->nr_cpus ? 0 : -FDT_ERR_NOTFOUND;
}

int machine_dt_parse(const void *fdt, struct machine *m)
{
	int ret = fdt_check_header(fdt);

	/* QEMU's, at the base of RAM: as long as its header says, and whole. */
	if (!ret)
		ret = dt_check(fdt, fdt_totalsize(fdt));
	if (ret)
		return ret;
	ret = machine_dt_memory(fdt, m);
	if (ret)
		return ret;
	return machine_dt_cpus(fdt, m);
}

bool machine_is_ram(const struct machine *m, u64 base, u64 size)
{
	unsigned int i;

	if (base + size < base)
		return false;
	for (i = 0; i < m->nr_ram; i++)
		if (base >= m->ram[i].base &&
		    base + size <= m->ram[i].base + m->ram[i].size)
			return true;
	return false;
}
