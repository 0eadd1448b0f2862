// SPDX-License-Identifier: GPL-2.0-only
/*
 * Writes the seed corpora of the fuzz targets (fuzz/corpus/<target>/):
 * valid VM devicetrees made with libfdt's sequential-write API, RPC
 * packets and a VM's whole life as the RM sees it, real ESR and ISS
 * values, register sets of real PSCI calls and hypercalls. Small and
 * meaningful; the fuzzers find the rest.
 *
 *   make LIBFDT=... fuzz-seeds
 */
#include <errno.h>
#include <libfdt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *root;
static unsigned char buf[65536];
static size_t len;

static void put8(unsigned int v) { buf[len++] = v; }
static void put16(unsigned int v) { put8(v); put8(v >> 8); }
static void put32(uint32_t v) { put16(v); put16(v >> 16); }
static void put64(uint64_t v) { put32(v); put32(v >> 32); }
static void putb(const void *p, size_t n) { memcpy(buf + len, p, n); len += n; }

/* Bytes given in hex: inputs a fuzzer found, kept as they are. */
static void puthex(const char *hex)
{
	unsigned int v;

	for (; hex[0] && hex[1] && sscanf(hex, "%2x", &v) == 1; hex += 2)
		put8(v);
}

static void emit(const char *target, const char *name)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, target);
	if (mkdir(path, 0755) && errno != EEXIST)
		exit(1);
	snprintf(path, sizeof(path), "%s/%s/%s", root, target, name);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f))
		exit(1);
	len = 0;
}

/* ---- devicetrees --------------------------------------------------------- */

enum dt_kind { DT_CROSVM, DT_QCOM, DT_GIC_NODE, DT_GIC_PHANDLE, DT_ONE_CELL, DT_RSVMAP,
	       DT_EIGHT_CPUS };

static size_t vm_dt(void *fdt, size_t size, enum dt_kind k)
{
	int i, cells = k == DT_ONE_CELL ? 1 : 2;

	if (fdt_create(fdt, size))
		exit(1);
	if (k == DT_RSVMAP)
		fdt_add_reservemap_entry(fdt, 0x80f00000, 0x1000);
	fdt_finish_reservemap(fdt);
	fdt_begin_node(fdt, "");
	fdt_property_u32(fdt, "#address-cells", cells);
	fdt_property_u32(fdt, "#size-cells", cells);
	fdt_property_string(fdt, "compatible", "linux,dummy-virt");
	fdt_begin_node(fdt, k == DT_QCOM ? "qcom,vm-config" : "gunyah-vm-config");
	fdt_property_string(fdt, "image-name", "fuzz-seed-vm");
	fdt_property_string(fdt, "os-type", "linux");
	fdt_property_string(fdt, "vm-type", "aarch64-guest");
	fdt_begin_node(fdt, "memory");
	fdt_property_u64(fdt, "base-address", 0x80000000);
	fdt_end_node(fdt);
	fdt_begin_node(fdt, "vcpus");
	fdt_property_string(fdt, "affinity", "proxy");
	fdt_end_node(fdt);
	if (k == DT_GIC_PHANDLE) {
		fdt_begin_node(fdt, "interrupts");
		fdt_property_u32(fdt, "config", 1);
		fdt_end_node(fdt);
	}
	fdt_begin_node(fdt, "vdevices");
	fdt_property_string(fdt, "generate", "/hypervisor");
	for (i = 0; i < 2; i++) {
		uint32_t irq[3] = { cpu_to_fdt32(0), cpu_to_fdt32(40 + i),
				    cpu_to_fdt32(i ? 4 : 1) };
		char name[16];

		snprintf(name, sizeof(name), "bell-%d", i);
		fdt_begin_node(fdt, name);
		fdt_property_string(fdt, "vdevice-type", "doorbell");
		fdt_property_u32(fdt, "label", 7 + i);
		fdt_property(fdt, "peer-default", NULL, 0);
		if (i)
			fdt_property(fdt, "source-can-clear", NULL, 0);
		fdt_property(fdt, "interrupts", irq, sizeof(irq));
		fdt_end_node(fdt);
	}
	fdt_end_node(fdt);
	fdt_end_node(fdt);
	fdt_begin_node(fdt, "cpus");
	fdt_property_u32(fdt, "#address-cells", 1);
	fdt_property_u32(fdt, "#size-cells", 0);
	for (i = 0; i < (k == DT_EIGHT_CPUS ? 8 : 2); i++) {
		char name[16];

		snprintf(name, sizeof(name), "cpu@%d", i);
		fdt_begin_node(fdt, name);
		fdt_property_string(fdt, "device_type", "cpu");
		fdt_property_string(fdt, "compatible", "arm,armv8");
		fdt_property_u32(fdt, "reg", i);
		fdt_end_node(fdt);
	}
	fdt_end_node(fdt);
	if (k == DT_GIC_NODE || k == DT_GIC_PHANDLE) {
		uint32_t reg[8] = { 0, cpu_to_fdt32(0x3fff0000), 0, cpu_to_fdt32(0x10000),
				    0, cpu_to_fdt32(0x3ffb0000), 0, cpu_to_fdt32(0x40000) };

		fdt_begin_node(fdt, "intc@3fff0000");
		fdt_property_string(fdt, "compatible", "arm,gic-v3");
		fdt_property(fdt, "reg", reg, sizeof(reg));
		fdt_property_u32(fdt, "#interrupt-cells", 3);
		fdt_property(fdt, "interrupt-controller", NULL, 0);
		fdt_property_u32(fdt, "phandle", 1);
		fdt_end_node(fdt);
	}
	fdt_begin_node(fdt, "memory");
	fdt_property_string(fdt, "device_type", "memory");
	fdt_end_node(fdt);
	fdt_begin_node(fdt, "chosen");
	fdt_property_string(fdt, "bootargs", "console=hvc0");
	fdt_end_node(fdt);
	fdt_end_node(fdt);
	if (fdt_finish(fdt))
		exit(1);
	return fdt_totalsize(fdt);
}

/*
 * What QEMU's virt machine gives the hypervisor: RAM at 0x40000000, CPUs
 * with one address cell; @variant 1 has two memory nodes, a "cpus@0" node
 * and CPUs with two address cells, as other machines do.
 */
static size_t machine_dt(void *fdt, size_t size, int variant)
{
	int i, ac = variant ? 2 : 1;

	if (fdt_create(fdt, size) || fdt_finish_reservemap(fdt))
		exit(1);
	fdt_begin_node(fdt, "");
	fdt_property_u32(fdt, "#address-cells", 2);
	fdt_property_u32(fdt, "#size-cells", 2);
	fdt_property_string(fdt, "compatible", "linux,dummy-virt");
	for (i = 0; i <= variant; i++) {
		uint64_t reg[2] = { cpu_to_fdt64(0x40000000ULL << i), cpu_to_fdt64(0x80000000) };
		char name[32];

		snprintf(name, sizeof(name), "memory@%llx", 0x40000000ULL << i);
		fdt_begin_node(fdt, name);
		fdt_property(fdt, "reg", reg, sizeof(reg));
		fdt_property_string(fdt, "device_type", "memory");
		fdt_end_node(fdt);
	}
	fdt_begin_node(fdt, variant ? "cpus@0" : "cpus");
	fdt_property_u32(fdt, "#address-cells", ac);
	fdt_property_u32(fdt, "#size-cells", 0);
	for (i = 0; i < 8; i++) {
		uint32_t reg[2] = { 0, cpu_to_fdt32(i) };
		char name[16];

		snprintf(name, sizeof(name), "cpu@%d", i);
		fdt_begin_node(fdt, name);
		fdt_property(fdt, "reg", reg + 2 - ac, 4 * ac);
		fdt_property_string(fdt, "enable-method", "psci");
		fdt_property_string(fdt, "compatible", "arm,cortex-a57");
		fdt_property_string(fdt, "device_type", "cpu");
		fdt_end_node(fdt);
	}
	fdt_end_node(fdt);
	fdt_begin_node(fdt, "chosen");
	fdt_end_node(fdt);
	fdt_end_node(fdt);
	if (fdt_finish(fdt))
		exit(1);
	return fdt_totalsize(fdt);
}

static void dt_seeds(void)
{
	static const char *names[] = { "crosvm", "qcom-name", "gic-node", "gic-phandle",
				       "one-cell", "rsvmap", "eight-cpus" };
	static unsigned char dt[8192];
	unsigned int k;

	for (k = 0; k <= DT_EIGHT_CPUS; k++) {
		size_t n = vm_dt(dt, sizeof(dt), k);

		putb(dt, n);
		emit("vm_config", names[k]);
		/* vm_dt: room in 256-byte units, the VM's selector, the blob. */
		put8(k == DT_ONE_CELL ? 0 : 4);
		put8(k * 0x25);
		putb(dt, n);
		emit("vm_dt", names[k]);
		putb(dt, n);
		emit("machine_dt", names[k]);
	}
	putb(dt, machine_dt(dt, sizeof(dt), 0));
	emit("machine_dt", "qemu-virt");
	putb(dt, machine_dt(dt, sizeof(dt), 1));
	emit("machine_dt", "two-memory-nodes-cpus-at-two-cells");
	if (fdt_create_empty_tree(dt, 256))
		exit(1);
	putb(dt, fdt_totalsize(dt));
	emit("vm_config", "empty-tree");
	put8(2);
	put8(0);
	putb(dt, fdt_totalsize(dt));
	emit("vm_dt", "empty-tree");
}

/* ---- RPC ------------------------------------------------------------------ */

static void hdr(unsigned int type, unsigned int frags, unsigned int seq, uint32_t id)
{
	put8(0x21);
	put8(type | frags << 2);
	put16(seq);
	put32(id);
}

static void rpc_seeds(void)
{
	unsigned int i;

	/* One packet: VM_GET_VMID. op = length / 2. */
	put8(4);
	hdr(1, 0, 1, 0x56000024);
	emit("rm_rpc", "get-vmid");
	/* A request of one packet and two continuations, full ones. */
	put8(0x7f);
	put16(240);
	hdr(1, 2, 7, 0x51000012);
	for (i = 0; i < 232; i++)
		put8(i);
	for (i = 0; i < 2; i++) {
		put8(0x7f);
		put16(240);
		hdr(0, 2, 7, 0x51000012);
		memset(buf + len, 0x40 + i, 232);
		len += 232;
	}
	emit("rm_rpc", "three-packets");
	/* The encoder's round trip, 600 bytes. */
	put8(0x80);
	put16(9);
	put32(0x56000009);
	put16(600);
	for (i = 0; i < 600; i++)
		put8(i * 7);
	emit("rm_rpc", "roundtrip-600");
	/* A stray continuation, a reply, a bad version. */
	put8(4);
	hdr(0, 1, 2, 0x56000001);
	put8(4);
	hdr(2, 0, 2, 0x56000001);
	put8(4);
	put8(0x11);
	put8(1);
	put16(0);
	put32(0);
	emit("rm_rpc", "drops");
}

/* ---- the RM end to end ------------------------------------------------- */

#define RM_REQ		1
#define RM_RAM		3
#define RM_EXIT		4
#define RM_PATCHED	7

enum { M_ALLOC, M_DEALLOC, M_START, M_STOP, M_RESET, M_CONFIG_IMAGE, M_INIT, M_RESOURCES,
       M_BOOT_CONTEXT, M_STATE, M_VMID, M_TYPE, M_LEND, M_SHARE, M_APPEND, M_RECLAIM };

static void rm_req(unsigned int msg, const void *body, size_t n)
{
	put8(RM_REQ);
	put8(msg);
	put16(0x100 + msg);
	put16(n);
	putb(body, n);
}

static void rm_vmid(unsigned int msg, unsigned int vmid)
{
	unsigned char b[4] = { vmid, vmid >> 8, 0, 0 };

	rm_req(msg, b, 4);
}

/* Lend (or share) [0x50000000, +1 MiB) to VM 0x80: the VM's image parcel. */
static void rm_parcel(unsigned int msg, unsigned int flags, uint64_t size)
{
	unsigned char b[64];
	size_t n = 0;

	memset(b, 0, sizeof(b));
	b[2] = flags;
	n = 8;
	b[n] = msg == M_SHARE ? 2 : 1;
	n += 4;
	b[n] = 0x80;
	b[n + 2] = 7;
	n += 4;
	if (msg == M_SHARE) {
		b[n] = 3;
		b[n + 2] = 7;
		n += 4;
	}
	b[n] = 1;
	n += 4;
	b[n + 3] = 0x50;		/* base 0x50000000 */
	n += 8;
	memcpy(b + n, &size, 8);	/* little endian host */
	n += 8;
	n += 4;				/* no attributes */
	rm_req(msg, b, n);
}

static void rm_patched(unsigned int at, unsigned int msg, const void *body, size_t n)
{
	put8(RM_PATCHED);
	put8(at);
	put8(msg);
	put16(0x200 + msg);
	put16(n);
	putb(body, n);
}

static void rm_life(const char *name, unsigned int parcel_msg, unsigned int stop_after)
{
	static unsigned char dt[8192];
	unsigned char b[40];
	size_t n = vm_dt(dt, sizeof(dt), DT_CROSVM);
	unsigned int step = 0;

	/* The devicetree at 0x50001000: offset 0x1000 in the parcel. */
	put8(RM_RAM);
	put32(0x1000);
	put16(n);
	putb(dt, n);
	rm_vmid(M_ALLOC, 0);
	rm_parcel(parcel_msg, 0, 0x100000);
	if (stop_after == ++step)
		goto out;
	memset(b, 0, sizeof(b));
	b[0] = 0x80;
	b[9] = 0x01;		/* image at 0x100 */
	b[16] = 0x00;
	b[17] = 0x10;		/* image size 0x1000 */
	b[25] = 0x10;		/* dt at 0x1000 */
	b[33] = 0x20;		/* dt size 0x2000 */
	rm_patched(4, M_CONFIG_IMAGE, b, 40);
	rm_vmid(M_INIT, 0x80);
	rm_vmid(M_RESOURCES, 0x80);
	if (stop_after == ++step)
		goto out;
	memset(b, 0, 16);
	b[0] = 0x80;
	b[2] = 1;		/* PC */
	b[8] = 0x40;
	b[11] = 0x80;
	rm_req(M_BOOT_CONTEXT, b, 16);
	rm_vmid(M_START, 0x80);
	rm_vmid(M_STATE, 0x80);
	if (stop_after == ++step)
		goto out;
	put8(RM_EXIT);
	put8(0);
	put8(0);		/* power off */
	rm_vmid(M_RESET, 0x80);
	memset(b, 0, 8);
	rm_patched(0, M_RECLAIM, b, 8);
	rm_vmid(M_DEALLOC, 0x80);
out:
	emit("rm", name);
}

static void rm_seeds(void)
{
	rm_vmid(M_VMID, 0);
	rm_vmid(M_TYPE, 0);
	emit("rm", "identity");
	rm_life("life-lend", M_LEND, 0);
	rm_life("life-share", M_SHARE, 0);
	rm_life("lend-only", M_LEND, 1);
	rm_life("init", M_LEND, 2);
	rm_life("running", M_SHARE, 3);
	/* Static VMID 5, then a parcel built by APPEND. */
	rm_vmid(M_ALLOC, 5);
	rm_parcel(M_LEND, 2, 0x10000);
	{
		unsigned char b[28] = { 0 };

		b[4] = 1;		/* END */
		b[8] = 1;
		b[15] = 0x50;
		b[14] = 0x10;		/* 0x50100000 */
		b[22] = 0x01;		/* 0x10000 */
		rm_patched(0, M_APPEND, b, sizeof(b));
	}
	emit("rm", "append");
}

/* ---- memory parcels (fuzz_memparcel's own operations) --------------------- */

static void mp_create(unsigned int lend, unsigned int nsgl, unsigned int page)
{
	unsigned int i;

	put8(lend);		/* 0 share, 1 lend */
	put8(0);		/* nacl: the usual */
	put8(nsgl - 1);
	put8(0);		/* flags */
	put8(0);		/* borrower 0x80 */
	put32(0x1234);
	for (i = 0; i < (lend ? 1U : 2U); i++)
		put8(0);
	for (i = 0; i < nsgl; i++) {
		put8(0);
		put16(page + 8 * i);
		put8(i);
	}
	put8(0);		/* no attributes */
}

static void mp_seeds(void)
{
	mp_create(1, 3, 0);
	put8(4);		/* access: write */
	put8(0);
	put8(1);
	put32(0x800);
	put16(0x2000);
	put8(4);		/* access: map */
	put8(0);
	put8(2);
	put64(0x80000000);
	put8(3);		/* reclaim */
	put8(0);
	put8(1);
	emit("memparcel", "lend-write-map-reclaim");
	mp_create(0, 2, 100);
	mp_create(1, 1, 200);
	put8(5);		/* access: read */
	put8(1);
	put8(0);
	put32(0);
	put16(0x1000);
	emit("memparcel", "share-lend-read");
	put8(1);
	put8(0);
	put8(0);
	put8(2);		/* APPEND flag */
	put8(1);
	put32(0);
	put8(0);
	put8(0);
	put16(300);
	put8(0);
	put8(0);
	put8(2);		/* append */
	put8(1);
	put8(0);
	put8(1);		/* END */
	put16(400);
	put8(1);
	emit("memparcel", "append");
}

/* ---- guest traps and calls ------------------------------------------------ */

static void mmio_seed(const char *name, uint64_t esr, uint64_t far)
{
	put64(esr);
	put64((0x09010000UL >> 12) << 4);
	put64(far);
	put64(0x1122334455667788UL);
	put64(0xfedcba9876543280UL);
	emit("mmio", name);
}

#define DABT	((uint64_t)0x24 << 26 | 1UL << 25 | 1UL << 24)

static void trap_seeds(void)
{
	unsigned int i;
	static const struct { const char *name; uint32_t iss; } sys[] = {
		{ "id-aa64pfr0", 0x300001 | 4 << 1 },	/* mrs x0, id_aa64pfr0_el1 */
		{ "id-aa64dfr0", 0x300001 | 5 << 1 },
		{ "id-aa64zfr0", 0x300001 | 4 << 1 | 4 << 17 },
		{ "mdscr-read", 0x200001 | 2 << 17 | 2 << 1 },
		{ "sgi1r-write", 0x300000 | 12 << 10 | 11 << 1 | 5 << 17 | 3 << 5 },
		{ "pmcr", 0x300001 | 3 << 14 | 9 << 10 | 12 << 1 },
		{ "cntp-ctl", 0x300000 | 3 << 14 | 14 << 10 | 2 << 1 | 1 << 17 },
	};

	mmio_seed("str-w3", DABT | 2UL << 22 | 3UL << 16 | 1UL << 6 | 7, 0xffff800012340018UL);
	mmio_seed("ldrsb-x5", DABT | 0UL << 22 | 1UL << 21 | 5UL << 16 | 1UL << 15 | 6, 0x3ff);
	mmio_seed("ldrsh-w1", DABT | 1UL << 22 | 1UL << 21 | 1UL << 16 | 5, 0x2);
	mmio_seed("ldr-x30", DABT | 3UL << 22 | 30UL << 16 | 1UL << 15 | 4, 0x8);
	mmio_seed("str-xzr", DABT | 3UL << 22 | 31UL << 16 | 1UL << 15 | 1UL << 6 | 7, 0x10);
	mmio_seed("ldp-no-isv", ((uint64_t)0x24 << 26 | 1UL << 25 | 7), 0);
	mmio_seed("perm-fault", DABT | 2UL << 22 | 0xf, 0);
	for (i = 0; i < sizeof(sys) / sizeof(sys[0]); i++) {
		put32(sys[i].iss);
		put64(0x1101000010112222UL);
		emit("sysreg", sys[i].name);
	}
}

static void vgic_seeds(void)
{
	/* 2 vCPUs, 4 LRs. mmio: op 0, who, where (0 GICD, 1 GICR), size|write, off, value. */
	put8(1);
	put8(3);
	put8(0); put8(0); put8(0); put8(2 | 4); put32(0x0); put64(3);		/* CTLR on */
	put8(0); put8(0); put8(0); put8(2 | 4); put32(0x104); put64(0xf00);	/* ISENABLER1 */
	put8(0); put8(0); put8(0); put8(3 | 4); put32(0x6140); put64(1);		/* IROUTER40 -> 1 */
	put8(0); put8(0); put8(1); put8(2 | 4); put32(0x10100); put64(0xffff);	/* SGIs on */
	put8(0); put8(0); put8(1); put8(2 | 4); put32(0x14); put64(0);		/* WAKER */
	put8(7); put8(40);							/* edge 40 */
	put8(7); put8(41);
	put8(6); put64(1UL << 24 | 3);						/* SGI 1 to 0, 1 */
	put8(10);								/* flush vCPU 0 */
	put8(0x1a);								/* flush vCPU 1 */
	put8(11); put8(1); put8(3); put8(2);					/* sync 0 */
	put8(0x1b); put8(1); put8(1); put8(1);
	put8(0); put8(0); put8(0); put8(2); put32(0x204); put64(0);		/* ISPENDR1 read */
	put8(0); put8(0); put8(1); put8(3); put32(0x8); put64(0);		/* GICR_TYPER */
	put8(0); put8(0); put8(0); put8(0); put32(0x420); put64(0);		/* IPRIORITYR byte */
	emit("vgic", "enable-route-flush-sync");
	put8(7);
	put8(15);
	put8(8); put8(0x80 | 27);						/* timer line high */
	put8(12); put8(27);
	put8(10);
	put8(11); put8(1);
	put8(0); put8(0); put8(0); put8(2 | 4); put32(0xc08); put64(0xaaaaaaaa);	/* ICFGR2 */
	put8(0); put8(0); put8(0); put8(2); put32(0xffe8); put64(0);		/* PIDR2 */
	put8(0); put8(0); put8(0); put8(2); put32(0x40); put64(0);		/* SETSPI_NSR */
	emit("vgic", "eight-cpus-timer");
	/* A doorbell's SPI the guest made edge: asserted while still high. */
	put8(0);
	put8(3);
	put8(0); put8(0); put8(0); put8(2 | 4); put32(0x0); put64(3);		/* CTLR on */
	put8(9); put8(0x80 | 72);						/* ICFGR: 72 edge */
	put8(0); put8(0); put8(0); put8(2 | 4); put32(0x108); put64(0x100);	/* ISENABLER2 */
	put8(13); put8(72);							/* asserted */
	put8(10);
	put8(11); put8(3);
	put8(13); put8(72);							/* again */
	put8(13); put8(72);
	put8(10);
	put8(11); put8(0);
	put8(8); put8(72);							/* lowered */
	put8(9); put8(72);							/* level again */
	emit("vgic", "icfgr-edge-source-assert");
	/*
	 * What decides a vCPU's list-register candidates, changed while
	 * interrupts wait: op 14 (distribute: a, b) re-routes, turns the
	 * distributor off and on, enables; a line high across trigger
	 * changes (ICFGR, and vgic_set_hw(), which makes a PPI level).
	 */
	put8(1);
	put8(1);
	put8(14); put8(0x83); put8(0);				/* CTLR on */
	put8(14); put8(0xc1); put8(40);				/* enable 40 */
	put8(14); put8(0xc1); put8(72);				/* enable 72 */
	put8(0x1e); put8(0xc1); put8(20);			/* vCPU 1's PPI 20 */
	put8(0x19); put8(0x80 | 20);				/* 20 edge */
	put8(7); put8(40);					/* 40 pending */
	put8(8); put8(0x80 | 72);				/* 72's line high */
	put8(0x18); put8(0x80 | 20);				/* 20's line high */
	put8(14); put8(0x01); put8(8);				/* IROUTER40 -> 1 */
	put8(0x1a);						/* flush vCPU 1 */
	put8(14); put8(0x00); put8(8);				/* 40 -> 0, in vCPU 1's LR */
	put8(10);						/* flush vCPU 0 */
	put8(11); put8(0);
	put8(9); put8(0x80 | 72);				/* 72 edge, line high */
	put8(9); put8(72);					/* level again */
	put8(0x1b); put8(3); put8(1);				/* 20 done, 40 taken */
	put8(0x1c); put8(20);					/* 20 level, line high */
	put8(14); put8(0x80); put8(0);				/* CTLR off */
	put8(14); put8(0x82); put8(0);				/* CTLR on */
	put8(14); put8(0x21); put8(8);				/* 40: IRM, vCPU 0 */
	put8(14); put8(0xc0); put8(72);				/* disable 72 */
	put8(10);
	put8(11); put8(1); put8(1);
	emit("vgic", "candidates-change-while-pending");
	/*
	 * The host's distributor (bit 7 of the first byte): linked
	 * interrupts dropped by ICPENDR while the physical GIC holds them
	 * active, and injections into list registers the host took since.
	 * Found by fuzz_vgic; each catches mutations the others miss.
	 */
	puthex("83030e83000ec1060ec103070607030a8b030107060ec2060ec4030b00000c0307030c030e"
	       "010609800607061a1b02");
	emit("vgic", "host-linked-pending-dropped");
	puthex("81010e83000ec9030ec1091703170907ff28001a1b01011a0ecc030ec3060ec5099b02021b"
	       "0c06");
	emit("vgic", "host-injected-into-taken-lr");
}

static void psci_seeds(void)
{
	/* psci_host: 4 CPUs flat, boot 0; calls: op (cpu << 4), sel, ... */
	put8(3);
	put8(0);
	put8(0x00); put8(4); put8(1); put16(0x20);		/* CPU_ON(1) 64-bit */
	put64(7); put64(0); put64(0); put64(0); put64(0);
	put8(0);						/* firmware: success */
	put8(0x1c);						/* CPU 1 arrives */
	put8(0x10); put8(2);					/* CPU 1: CPU_OFF */
	put64(0); put64(0); put64(0); put64(0); put64(0);
	put8(0); put8(0);
	put8(0x00); put8(6); put8(1);				/* AFFINITY_INFO(1) */
	put16(0); put64(0); put64(0); put64(0); put64(0); put64(0); put8(1);
	emit("psci_host", "on-off-affinity");
	put8(7);
	put8(1);
	put8(0x00); put8(0); put8(0); put16(0);			/* VERSION */
	put64(0); put64(0); put64(0); put64(0); put64(0);
	put8(0x00); put8(10); put8(0); put16(0);		/* FEATURES */
	put64(0); put64(0); put64(0); put64(0); put64(0);
	emit("psci_host", "clusters-version");
	/* vpsci: 4 vCPUs; op (vcpu << 4), sel, x1 byte, x2..x7. */
	put8(3);
	put8(0x00); put8(4); put8(1);
	put64(0x80000000); put64(5); put64(0); put64(0); put64(0); put64(0);
	put8(0x1c);						/* vCPU 1 powered on */
	put8(0x00); put8(5); put8(1);				/* AFFINITY_INFO */
	put64(0); put64(0); put64(0); put64(0); put64(0); put64(0);
	put8(0x10); put8(2); put8(0);				/* CPU_OFF on 1 */
	put64(0); put64(0); put64(0); put64(0); put64(0); put64(0);
	put8(0x00); put8(8); put8(0);				/* SYSTEM_OFF */
	emit("vpsci", "on-affinity-off");
	put8(0);
	put8(0x00); put8(13); put8(0);				/* hypercall identify */
	put64(0); put64(0); put64(0); put64(0); put64(0); put64(0);
	put8(0x00); put8(14); put8(0);				/* msgq_send: refused */
	put64(0); put64(0); put64(0); put64(0); put64(0); put64(0);
	put8(0x00); put8(17); put8(0);				/* vendor UID */
	put64(0); put64(0); put64(0); put64(0); put64(0); put64(0);
	emit("vpsci", "hypercalls-uid");
}

static void hypercall_seeds(void)
{
	/* op: hypercall index; how: register kinds (2 bits per register). */
	/* msgq_send(cap 0, size 16, buf VA, PUSH): x1 cap, x2 size, x3 buf, x4 flags */
	put8(0x40); put8(16); put16(0x100); put8(1); put8(2); put8(3); put8(4); put8(5); put8(6);
	put8(7); put8(8); put8(9); put8(10); put8(11); put8(12); put8(13); put8(14); put8(15);
	put8(16);
	put8(5); put8(0x00 | 2 << 4 | 1 << 6 | 2 << 0);
	put8(0); put8(16); put16(0x100); put8(1); put8(0); put8(0); put8(0); put8(0);
	put8(6); put8(0x00 | 1 << 4 | 2 << 6);
	put8(1); put16(0x200); put8(64); put8(0); put8(0); put8(0); put8(0);
	emit("hypercall", "msgq-send-receive");
	put8(1); put8(2 << 4);
	put8(2); put8(5); put8(0); put8(0); put8(0); put8(0); put8(0);
	put8(2); put8(2 << 4);
	put8(3); put8(1); put8(0); put8(0); put8(0); put8(0); put8(0);
	put8(4); put8(2 << 4 | 2 << 6);
	put8(2); put8(3); put8(1); put8(0); put8(0); put8(0); put8(0);
	put8(0x80 | 0); put8(0);
	put8(0); put8(0); put8(0); put8(0); put8(0); put8(0); put8(0); put8(0);
	emit("hypercall", "doorbell-identify");
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	root = argv[1];
	dt_seeds();
	rpc_seeds();
	rm_seeds();
	mp_seeds();
	trap_seeds();
	vgic_seeds();
	psci_seeds();
	hypercall_seeds();
	return 0;
}
