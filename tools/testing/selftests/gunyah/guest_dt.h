/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The devicetree of the selftests' guests: a flattened devicetree written
 * by hand, just what the RM and the bare-metal guest read. It has what the
 * real Gunyah's RM requires at VM_START (a /chosen node, a GIC node that
 * gunyah-vm-config/interrupts/config names, proxy-scheduled vCPUs), the
 * memory at GUEST_RAM_BASE and the test device's doorbell (label
 * GUEST_TEST_DEV_BELL, SPI GUEST_TEST_DEV_SPI). Include after
 * ../../gunyah/guests/test_device.h.
 */
#ifndef GUNYAH_SELFTEST_GUEST_DT_H
#define GUNYAH_SELFTEST_GUEST_DT_H

#include <endian.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The GIC node's phandle, which gunyah-vm-config/interrupts/config names */
#define GIC_PHANDLE		1

/* Flags cell of an SPI in the VM config's interrupts property */
#define DT_IRQ_EDGE_RISING	1
#define DT_IRQ_LEVEL_HIGH	4

struct fdt_buf {
	uint32_t structs[1024];
	unsigned int n;		/* words */
	char strings[1024];
	unsigned int strings_len;
};

static inline void fdt_word(struct fdt_buf *f, uint32_t v)
{
	if (f->n < sizeof(f->structs) / 4)
		f->structs[f->n++] = htobe32(v);
}

static inline void fdt_data(struct fdt_buf *f, const void *p, size_t len)
{
	size_t words = (len + 3) / 4;

	if (f->n + words > sizeof(f->structs) / 4)
		return;
	memset(&f->structs[f->n], 0, words * 4);
	memcpy(&f->structs[f->n], p, len);
	f->n += words;
}

static inline void fdt_node(struct fdt_buf *f, const char *fmt, ...)
{
	char name[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	fdt_word(f, 1);			/* FDT_BEGIN_NODE */
	fdt_data(f, name, strlen(name) + 1);
}

static inline void fdt_end(struct fdt_buf *f)
{
	fdt_word(f, 2);			/* FDT_END_NODE */
}

static inline void fdt_prop(struct fdt_buf *f, const char *name, const void *val, size_t len)
{
	size_t nlen = strlen(name) + 1;

	if (f->strings_len + nlen > sizeof(f->strings))
		return;
	fdt_word(f, 3);			/* FDT_PROP */
	fdt_word(f, len);
	fdt_word(f, f->strings_len);
	memcpy(f->strings + f->strings_len, name, nlen);
	f->strings_len += nlen;
	fdt_data(f, val, len);
}

static inline void fdt_str(struct fdt_buf *f, const char *name, const char *s)
{
	fdt_prop(f, name, s, strlen(s) + 1);
}

/* @n 32-bit cells */
static inline void fdt_cells(struct fdt_buf *f, const char *name, unsigned int n, ...)
{
	uint32_t cells[16];
	unsigned int i;
	va_list ap;

	va_start(ap, n);
	for (i = 0; i < n && i < 16; i++)
		cells[i] = htobe32(va_arg(ap, uint32_t));
	va_end(ap);
	fdt_prop(f, name, cells, i * 4);
}

static inline void fdt_u64(struct fdt_buf *f, const char *name, uint64_t v)
{
	fdt_cells(f, name, 2, (uint32_t)(v >> 32), (uint32_t)v);
}

#define FDT_MAGIC		0xd00dfeedU
#define FDT_HDR_SIZE		40	/* the reservation map follows */
#define FDT_RSVMAP_SIZE		16	/* empty: its terminating entry */

/*
 * End @f's structure block (its root node ended) and write the blob to
 * @dst: header, empty reservation map, structure block, strings. Returns
 * its size.
 */
static inline size_t fdt_finish(struct fdt_buf *f, void *dst)
{
	const size_t off_struct = FDT_HDR_SIZE + FDT_RSVMAP_SIZE;
	size_t off_strings, size;
	uint32_t *hdr = dst;

	fdt_word(f, 9);			/* FDT_END */
	off_strings = off_struct + f->n * 4;
	size = off_strings + f->strings_len;
	memset(dst, 0, off_struct);
	hdr[0] = htobe32(FDT_MAGIC);
	hdr[1] = htobe32(size);
	hdr[2] = htobe32(off_struct);
	hdr[3] = htobe32(off_strings);
	hdr[4] = htobe32(FDT_HDR_SIZE);
	hdr[5] = htobe32(17);		/* version */
	hdr[6] = htobe32(16);		/* last compatible version */
	hdr[8] = htobe32(f->strings_len);
	hdr[9] = htobe32(f->n * 4);
	memcpy((char *)dst + off_struct, f->structs, f->n * 4);
	memcpy((char *)dst + off_strings, f->strings, f->strings_len);
	return size;
}

/* The PSCI node (HVC): Linux powers off and brings up CPUs through it. */
static inline void fdt_psci_node(struct fdt_buf *f)
{
	static const char psci[] = "arm,psci-1.0\0arm,psci-0.2";

	fdt_node(f, "psci");
	fdt_prop(f, "compatible", psci, sizeof(psci));
	fdt_str(f, "method", "hvc");
	fdt_end(f);
}

/* The guest's GICv3: the distributor, one redistributor per vCPU below it. */
static inline void fdt_gic_node(struct fdt_buf *f, unsigned int nr_vcpus)
{
	uint64_t gicr = GUEST_GICR_BASE(nr_vcpus);

	fdt_node(f, "intc@%lx", GUEST_GICD_BASE);
	fdt_str(f, "compatible", "arm,gic-v3");
	fdt_cells(f, "#interrupt-cells", 1, 3);
	fdt_prop(f, "interrupt-controller", NULL, 0);
	fdt_cells(f, "reg", 8, 0, (uint32_t)GUEST_GICD_BASE, 0, (uint32_t)GUEST_GICD_SIZE,
		  0, (uint32_t)gicr, 0, (uint32_t)(GUEST_GICD_BASE - gicr));
	fdt_cells(f, "#redistributor-regions", 1, 1);
	fdt_cells(f, "phandle", 1, GIC_PHANDLE);
	fdt_end(f);
}

/*
 * Write the devicetree of a guest named @name with @ram_size bytes of RAM
 * to @dst (at least 16 KiB); returns its size, 0 if out of memory. The
 * test device's doorbell raises a level SPI if @level, else an edge one.
 */
static inline size_t make_dt(void *dst, const char *name, unsigned long ram_size,
			     unsigned int nr_vcpus, bool level)
{
	struct fdt_buf *f = calloc(1, sizeof(*f));
	unsigned int i;
	size_t size;
	char bell[32];

	if (!f)
		return 0;
	fdt_node(f, "");
	fdt_cells(f, "#address-cells", 1, 2);
	fdt_cells(f, "#size-cells", 1, 2);
	fdt_str(f, "compatible", "linux,dummy-virt");
	fdt_cells(f, "interrupt-parent", 1, GIC_PHANDLE);

	/* The RM patches /chosen: it must be there */
	fdt_node(f, "chosen");
	fdt_str(f, "bootargs", "");
	fdt_end(f);

	fdt_node(f, "memory");
	fdt_str(f, "device_type", "memory");
	fdt_cells(f, "reg", 4, 0, (uint32_t)GUEST_RAM_BASE, 0, (uint32_t)ram_size);
	fdt_end(f);

	fdt_node(f, "cpus");
	fdt_cells(f, "#address-cells", 1, 1);
	fdt_cells(f, "#size-cells", 1, 0);
	for (i = 0; i < nr_vcpus; i++) {
		fdt_node(f, "cpu@%u", i);
		fdt_str(f, "device_type", "cpu");
		fdt_str(f, "compatible", "arm,armv8");
		fdt_cells(f, "reg", 1, i);
		fdt_str(f, "enable-method", "psci");
		fdt_end(f);
	}
	fdt_end(f);

	fdt_psci_node(f);

	fdt_gic_node(f, nr_vcpus);

	fdt_node(f, "timer");
	fdt_str(f, "compatible", "arm,armv8-timer");
	fdt_cells(f, "interrupts", 12, 1, 13, 0xf08, 1, 14, 0xf08, 1, 11, 0xf08, 1, 10, 0xf08);
	fdt_end(f);

	fdt_node(f, "gunyah-vm-config");
	fdt_str(f, "image-name", name);
	fdt_str(f, "os-type", "linux");
	fdt_node(f, "memory");
	fdt_cells(f, "#address-cells", 1, 2);
	fdt_cells(f, "#size-cells", 1, 2);
	fdt_u64(f, "base-address", GUEST_RAM_BASE);
	fdt_end(f);
	fdt_node(f, "vcpus");
	fdt_str(f, "affinity", "proxy");
	fdt_end(f);
	fdt_node(f, "interrupts");
	fdt_cells(f, "config", 1, GIC_PHANDLE);
	fdt_end(f);
	fdt_node(f, "vdevices");
	fdt_str(f, "generate", "/hypervisor");
	fdt_node(f, "bell-%u", GUEST_TEST_DEV_BELL);
	fdt_str(f, "vdevice-type", "doorbell");
	snprintf(bell, sizeof(bell), "/hypervisor/bell-%u", GUEST_TEST_DEV_BELL);
	fdt_str(f, "generate", bell);
	fdt_cells(f, "label", 1, GUEST_TEST_DEV_BELL);
	fdt_prop(f, "peer-default", NULL, 0);
	fdt_prop(f, "source-can-clear", NULL, 0);
	fdt_cells(f, "interrupts", 3, 0, GUEST_TEST_DEV_SPI,
		  level ? DT_IRQ_LEVEL_HIGH : DT_IRQ_EDGE_RISING);
	fdt_end(f);
	fdt_end(f);
	fdt_end(f);

	fdt_end(f);
	size = fdt_finish(f, dst);
	free(f);
	return size;
}

#endif /* GUNYAH_SELFTEST_GUEST_DT_H */
