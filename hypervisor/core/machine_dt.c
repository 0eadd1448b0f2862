// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading the machine description (RAM, CPUs) from QEMU's devicetree at
 * cold boot, without libfdt: dt_check() first proves the blob whole (every
 * token, name and property inside it, properties before subnodes), then
 * one walk over the structure block reads the few properties needed. The
 * result is what libfdt's lookups gave (fuzz/fuzz_machine_dt.c compares
 * the two on every input).
 */
#include <string.h>
#include <libfdt.h>
#include <hyp/dt_check.h>
#include <hyp/machine.h>

/* Header fields, version 17 (dt_check() has checked them). */
#define DT_OFF_STRUCT		8
#define DT_OFF_STRINGS		12
#define DT_OFF_STRUCT_SIZE	36

static u32 be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

u64 dt_read_cells(const void *p, int ncells)
{
	const u8 *b = p;
	u64 v = 0;
	int i;

	for (i = 0; i < ncells; i++)
		v = (v << 32) | be32(b + 4 * i);
	return v;
}

/* A property of the node being read. */
struct dt_prop {
	const u8 *val;
	u32 len;
};

/* What the walk keeps of the node whose properties it reads. */
struct dt_node {
	struct dt_prop device_type, reg, address_cells, size_cells;
	unsigned int depth;
	bool is_cpus;		/* the first "cpus" or "cpus@..." child of / */
};

/* State of the walk. */
struct machine_walk {
	struct machine *m;
	int root_ac, root_sc;	/* libfdt's defaults: 2 and 1 */
	int cpus_ac;
	unsigned int cpus_depth;	/* depth of /cpus while inside it, else 0 */
	bool seen_cpus;
	int cpu_err;
};

/* #address-cells or #size-cells as libfdt reads them: absent gives @dflt. */
static int dt_cells(const struct dt_prop *p, int dflt, bool zero_ok)
{
	u32 v;

	if (!p->val)
		return dflt;
	if (p->len != 4)
		return -FDT_ERR_BADNCELLS;
	v = be32(p->val);
	if (v > FDT_MAX_NCELLS || (!v && !zero_ok))
		return -FDT_ERR_BADNCELLS;
	return v;
}

static bool prop_is(const struct dt_prop *p, const char *s, size_t len)
{
	return p->val && p->len == len && !memcmp(p->val, s, len);
}

/* The node's properties are all read: take what it describes. */
static void machine_node(struct machine_walk *w, const struct dt_node *n)
{
	struct machine *m = w->m;

	if (n->depth == 1) {
		w->root_ac = dt_cells(&n->address_cells, 2, false);
		w->root_sc = dt_cells(&n->size_cells, 1, true);
	}
	if (n->is_cpus)
		w->cpus_ac = dt_cells(&n->address_cells, 2, false);

	/* device_type "memory" anywhere: its reg in the root's cells. */
	if (prop_is(&n->device_type, "memory", 7) && n->reg.val && w->root_ac >= 1 &&
	    w->root_ac <= 2 && w->root_sc >= 1 && w->root_sc <= 2) {
		u32 stride = (w->root_ac + w->root_sc) * 4, len = n->reg.len;
		const u8 *reg = n->reg.val;

		for (; len >= stride && m->nr_ram < HYP_MAX_MEM_RANGES; len -= stride) {
			struct mem_range *r = &m->ram[m->nr_ram];

			r->base = dt_read_cells(reg, w->root_ac);
			r->size = dt_read_cells(reg + w->root_ac * 4, w->root_sc);
			reg += stride;
			if (r->size && r->base + r->size > r->base)
				m->nr_ram++;
		}
	}

	/* A child of /cpus whose device_type is "cpu" (as strcmp() reads it). */
	if (w->cpus_depth && n->depth == w->cpus_depth + 1 && n->device_type.val &&
	    n->device_type.len >= 4 && !memcmp(n->device_type.val, "cpu", 4) &&
	    !w->cpu_err && w->cpus_ac >= 1 && w->cpus_ac <= 2) {
		if (!n->reg.val || n->reg.len < (u32)w->cpus_ac * 4)
			w->cpu_err = -FDT_ERR_BADVALUE;
		else if (m->nr_cpus < HYP_MAX_CPUS)
			m->mpidr[m->nr_cpus++] = dt_read_cells(n->reg.val, w->cpus_ac);
	}
}

/* Node @name (NUL-terminated, inside the blob) opens at @depth. */
static void node_open(struct machine_walk *w, struct dt_node *n, const char *name,
		      unsigned int depth)
{
	memset(n, 0, sizeof(*n));
	n->depth = depth;
	if (depth == 2 && !w->seen_cpus &&
	    (!strcmp(name, "cpus") || (strlen(name) >= 5 && !memcmp(name, "cpus@", 5)))) {
		n->is_cpus = true;
		w->seen_cpus = true;
		w->cpus_depth = depth;
	}
}

static void prop_take(struct dt_node *n, const char *name, const u8 *val, u32 len)
{
	struct dt_prop p = { val, len };

	/* libfdt's fdt_getprop() finds a node's first property of a name. */
	if (!strcmp(name, "device_type") && !n->device_type.val)
		n->device_type = p;
	else if (!strcmp(name, "reg") && !n->reg.val)
		n->reg = p;
	else if (!strcmp(name, "#address-cells") && !n->address_cells.val)
		n->address_cells = p;
	else if (!strcmp(name, "#size-cells") && !n->size_cells.val)
		n->size_cells = p;
}

int machine_dt_parse(const void *fdt, size_t max, struct machine *m)
{
	struct machine_walk w = { .m = m, .root_ac = 2, .root_sc = 1, .cpus_ac = 2 };
	const u8 *b = fdt;
	struct dt_node node = { 0 };
	bool node_done = true;
	unsigned int depth = 0;
	u64 p, end, str;
	int ret;

	ret = dt_check(fdt, max);
	if (ret)
		return ret;

	m->nr_ram = 0;
	m->nr_cpus = 0;
	p = be32(b + DT_OFF_STRUCT);
	end = p + be32(b + DT_OFF_STRUCT_SIZE);
	str = be32(b + DT_OFF_STRINGS);
	/* dt_check() proved each step below stays inside the block. */
	while (p + 4 <= end) {
		u32 tag = be32(b + p);
		const char *name;
		u32 len;

		p += 4;
		switch (tag) {
		case FDT_BEGIN_NODE:
			/* The parent's properties end at its first subnode. */
			if (!node_done)
				machine_node(&w, &node);
			name = (const char *)b + p;
			node_open(&w, &node, name, ++depth);
			node_done = false;
			p = ALIGN_UP(p + strlen(name) + 1, 4);
			break;
		case FDT_END_NODE:
			if (!node_done)
				machine_node(&w, &node);
			node_done = true;
			if (w.cpus_depth == depth)
				w.cpus_depth = 0;
			depth--;
			break;
		case FDT_PROP:
			len = be32(b + p);
			name = (const char *)b + str + be32(b + p + 4);
			if (!node_done)
				prop_take(&node, name, b + p + 8, len);
			p = ALIGN_UP(p + 8 + len, 4);
			break;
		case FDT_NOP:
			break;
		default:	/* FDT_END */
			p = end;
			break;
		}
	}

	if (w.root_ac < 0)
		return w.root_ac;
	if (w.root_sc < 0)
		return w.root_sc;
	if (w.root_ac > 2 || w.root_sc > 2 || !w.root_sc)
		return -FDT_ERR_BADNCELLS;
	if (!m->nr_ram)
		return -FDT_ERR_NOTFOUND;
	if (!w.seen_cpus)
		return -FDT_ERR_NOTFOUND;
	if (w.cpus_ac < 0)
		return w.cpus_ac;
	if (w.cpus_ac > 2)
		return -FDT_ERR_BADNCELLS;
	if (w.cpu_err)
		return w.cpu_err;
	return m->nr_cpus ? 0 : -FDT_ERR_NOTFOUND;
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
