// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sample VMM for the Gunyah VM manager (/dev/gunyah).
 *
 * Runs a Linux arm64 Image, or a raw binary, in a proxy-scheduled VM: one
 * memory region, a devicetree built here with libfdt, one vCPU function
 * and one thread per vCPU. Each thread runs GUNYAH_VCPU_RUN and emulates
 * the MMIO accesses the hypervisor hands back: a PL011 UART whose output
 * goes to stdout, and the test device of
 * tools/testing/gunyah/guests/test_device.h. The GIC is the hypervisor's.
 *
 * Messages of the VMM itself go to stderr, the guest's console to stdout.
 * Exit status 0 when the guest powers off (PSCI SYSTEM_OFF) and, if it used
 * the test device, reported success; 1 otherwise.
 *
 * Documentation/virt/gunyah/sample-vmm.rst describes the guest's platform.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libfdt.h>
#include <linux/gunyah.h>

#include "test_device.h"

#define PROG			"gunyah_vmm"
#define GUNYAH_DEV		"/dev/gunyah"

#define SZ_4K			((uint64_t)0x1000)
#define SZ_64K			((uint64_t)0x10000)
#define SZ_1M			((uint64_t)0x100000)
#define SZ_2M			((uint64_t)0x200000)
#define ALIGN_UP(x, a)		(((x) + (a) - 1) & ~((uint64_t)(a) - 1))
#define ALIGN_DOWN(x, a)	((x) & ~((uint64_t)(a) - 1))
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define __printf(a, b)		__attribute__((format(printf, a, b)))
#define __noreturn		__attribute__((noreturn))

#define DEFAULT_MEM_MIB		256
#define DEFAULT_CMDLINE		"console=ttyAMA0 earlycon panic=-1"
/* The Resource Manager builds at most 8 vCPUs per VM */
#define MAX_VCPUS		8
/*
 * The devicetree sits in the last 64 KiB of RAM: the Resource Manager
 * reads at most 64 KiB of it, and adds its overlay (/hypervisor, /memory)
 * in place, within the size given to GUNYAH_VM_SET_DTB_CONFIG.
 */
#define DTB_AREA		SZ_64K
#define DTB_SLACK		SZ_4K
/* arm64's COMMAND_LINE_SIZE */
#define CMDLINE_MAX		2048

/* arm64 Linux Image header (Documentation/arch/arm64/booting.rst) */
#define IMAGE_HDR_SIZE		64
#define IMAGE_TEXT_OFFSET	8
#define IMAGE_IMAGE_SIZE	16
#define IMAGE_FLAGS		24
#define IMAGE_MAGIC_OFFSET	56
#define IMAGE_MAGIC		0x644d5241U	/* "ARM\x64" */
#define IMAGE_FLAG_BE		(1ULL << 0)
#define IMAGE_OLD_TEXT_OFFSET	0x80000ULL

/* Devicetree phandles */
#define PHANDLE_GIC		1
#define PHANDLE_CLK		2

/* PL011 registers and bits */
#define UART_DR			0x000
#define UART_RSR		0x004
#define UART_FR			0x018
#define UART_ILPR		0x020
#define UART_IBRD		0x024
#define UART_FBRD		0x028
#define UART_LCRH		0x02c
#define UART_CR			0x030
#define UART_IFLS		0x034
#define UART_IMSC		0x038
#define UART_RIS		0x03c
#define UART_MIS		0x040
#define UART_ICR		0x044
#define UART_DMACR		0x048
#define UART_PERIPH_ID0		0xfe0
#define UART_FR_RXFE		(1U << 4)
#define UART_FR_TXFE		(1U << 7)

/* Primecell identification: periph ID 0x00041011 (PL011 r1p5), cell ID */
static const uint8_t pl011_id[8] = {
	0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1,
};

struct options {
	const char *image;
	const char *initrd;
	const char *cmdline;
	const char *dtb_out;
	bool raw;
	uint64_t base;
	uint64_t mem_size;
	unsigned int nr_vcpus;
	uint64_t bench;
};

/* Where everything goes in the guest's RAM */
struct layout {
	uint64_t base, size;
	uint64_t kernel_addr, kernel_end;	/* kernel_end: incl. its BSS */
	uint64_t entry;
	uint64_t initrd_addr, initrd_size;
	uint64_t dtb_addr, dtb_size;		/* dtb_size: for SET_DTB_CONFIG */
};

struct vcpu {
	unsigned int id;
	int fd;
	struct gunyah_vcpu_run *run;
	size_t run_size;
	pthread_t thread;
	bool running;
};

/* Why the VM stopped, as seen by the first vCPU thread that noticed */
enum stop_kind {
	STOP_NONE,
	STOP_STATUS,	/* GUNYAH_VCPU_EXIT_STATUS */
	STOP_ERROR,	/* an error; message already printed */
};

struct test_dev {
	uint64_t scratch;
	uint64_t echo;		/* last value read from ECHO */
	uint32_t echo_len;	/* its size; 0 once written back */
	uint64_t echo_mismatches;
	uint64_t last_unhandled;
	uint64_t hello;		/* bitmap of vCPUs */
	uint64_t checks;	/* bitmap of passed checks */
	unsigned int nr_checks;
	uint64_t result;
	bool used, result_written;
	uint64_t rng;
	uint64_t bench;		/* --bench: round trips the guest should time */
	uint64_t bench_start;	/* CLOCK_MONOTONIC at TEST_BENCH_START, ns */
};

struct pl011 {
	uint32_t ilpr, ibrd, fbrd, lcrh, cr, ifls, imsc, dmacr;
	bool at_line_start;
};

static struct vmm {
	int vm_fd;
	unsigned int nr_vcpus;
	struct vcpu vcpus[MAX_VCPUS];

	pthread_mutex_t lock;	/* everything below */
	pthread_cond_t stopped;
	enum stop_kind stop;
	struct gunyah_vcpu_run stop_run;	/* the STATUS exit */
	unsigned int stop_vcpu;

	struct pl011 uart;
	struct test_dev dev;
	uint64_t logged[64];	/* unhandled addresses already reported */
	unsigned int nr_logged;
} vmm = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.stopped = PTHREAD_COND_INITIALIZER,
	.uart = { .cr = 0x300, .ifls = 0x12, .at_line_start = true },
};

/* ---------------------------------------------------------------------- */
/* Errors                                                                 */

static void __noreturn __printf(1, 2) die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, PROG ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* die() with strerror(errno) and, for some errors, a hint */
static void __noreturn __printf(2, 3) die_errno(const char *hint, const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	fprintf(stderr, PROG ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s%s%s\n", strerror(err), hint ? " " : "", hint ? hint : "");
	exit(1);
}

static void __printf(1, 2) info(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, PROG ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---------------------------------------------------------------------- */
/* Options                                                                */

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [options] IMAGE\n"
		"Run IMAGE, a Linux arm64 Image (or with --raw a raw binary), in a Gunyah VM.\n"
		"  --raw             IMAGE is a raw binary: loaded at the RAM base, entered there\n"
		"  --initrd FILE     initramfs for a Linux guest (placed below the devicetree)\n"
		"  --cmdline STR     kernel command line (default \"%s\")\n"
		"  --mem MiB         guest RAM in MiB (default %d)\n"
		"  --base ADDR       guest physical address of RAM (default %#lx; 2 MiB aligned)\n"
		"  --vcpus N         number of vCPUs, 1 to %d (default 1)\n"
		"  --dtb-out FILE    write the guest's devicetree to FILE and exit\n"
		"  --bench N         have the bare-metal test guest time N MMIO exits\n"
		"  -h, --help        this text\n"
		"The guest's console (PL011) is stdout; the VMM's messages go to stderr.\n",
		DEFAULT_CMDLINE, DEFAULT_MEM_MIB, GUEST_RAM_BASE, MAX_VCPUS);
}

static uint64_t parse_u64(const char *opt, const char *s)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || *s == '-')
		die("%s: invalid number '%s'", opt, s);
	return v;
}

static void parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "raw", no_argument, NULL, 'r' },
		{ "initrd", required_argument, NULL, 'i' },
		{ "cmdline", required_argument, NULL, 'c' },
		{ "mem", required_argument, NULL, 'm' },
		{ "base", required_argument, NULL, 'b' },
		{ "vcpus", required_argument, NULL, 'n' },
		{ "dtb-out", required_argument, NULL, 'd' },
		{ "bench", required_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t mib = DEFAULT_MEM_MIB, n;
	int c;

	*o = (struct options){
		.cmdline = DEFAULT_CMDLINE,
		.base = GUEST_RAM_BASE,
		.nr_vcpus = 1,
	};
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			o->raw = true;
			break;
		case 'i':
			o->initrd = optarg;
			break;
		case 'c':
			o->cmdline = optarg;
			break;
		case 'm':
			mib = parse_u64("--mem", optarg);
			break;
		case 'b':
			o->base = parse_u64("--base", optarg);
			break;
		case 'n':
			n = parse_u64("--vcpus", optarg);
			if (n < 1 || n > MAX_VCPUS)
				die("--vcpus: %" PRIu64 " is not between 1 and %d", n, MAX_VCPUS);
			o->nr_vcpus = n;
			break;
		case 'd':
			o->dtb_out = optarg;
			break;
		case 'B':
			o->bench = parse_u64("--bench", optarg);
			break;
		case 'h':
			print_usage(stdout);
			exit(0);
		default:
			print_usage(stderr);
			exit(1);
		}
	}
	if (optind != argc - 1) {
		print_usage(stderr);
		exit(1);
	}
	o->image = argv[optind];

	if (mib < 2 || mib > (1ULL << 20))
		die("--mem: %" PRIu64 " MiB is not between 2 MiB and 1 TiB", mib);
	o->mem_size = mib * SZ_1M;
	if (o->base % SZ_2M)
		die("--base: %#" PRIx64 " is not 2 MiB aligned", o->base);
	if (o->base < GUEST_GICD_BASE + GUEST_GICD_SIZE)
		die("--base: %#" PRIx64 " is in the device window below %#lx", o->base,
		    GUEST_GICD_BASE + GUEST_GICD_SIZE);
	if (o->base + o->mem_size < o->base)
		die("--base, --mem: the RAM wraps around the address space");
	if (strlen(o->cmdline) >= CMDLINE_MAX)
		die("--cmdline: longer than %d characters", CMDLINE_MAX - 1);
}

/* ---------------------------------------------------------------------- */
/* Files and memory layout                                                */

static void *read_file(const char *path, size_t *size)
{
	struct stat st;
	size_t done = 0;
	char *buf;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die_errno(NULL, "open %s", path);
	if (fstat(fd, &st))
		die_errno(NULL, "stat %s", path);
	if (!S_ISREG(st.st_mode))
		die("%s: not a regular file", path);
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf)
		die("%s: out of memory for %lld bytes", path, (long long)st.st_size);
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + done, st.st_size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die_errno(NULL, "read %s", path);
		if (!n)
			die("%s: file shrank while reading it", path);
		done += n;
	}
	close(fd);
	*size = done;
	return buf;
}

static uint64_t get_le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

/*
 * Place the kernel (at the RAM base + text_offset, or the raw binary at
 * the RAM base), the devicetree in the last 64 KiB and the initrd right
 * below it.
 */
static void make_layout(const struct options *o, const uint8_t *image, size_t image_size,
			size_t initrd_size, struct layout *l)
{
	uint64_t text_offset = 0, mem_size = image_size, below;

	*l = (struct layout){ 0 };
	l->base = o->base;
	l->size = o->mem_size;
	l->dtb_addr = l->base + l->size - DTB_AREA;

	if (!o->raw) {
		if (image_size < IMAGE_HDR_SIZE ||
		    (uint32_t)get_le64(image + IMAGE_MAGIC_OFFSET) != IMAGE_MAGIC)
			die("%s: not an arm64 Linux Image (no magic at offset %d); use --raw for a raw binary",
			    o->image, IMAGE_MAGIC_OFFSET);
		text_offset = get_le64(image + IMAGE_TEXT_OFFSET);
		mem_size = get_le64(image + IMAGE_IMAGE_SIZE);
		if (!mem_size) {
			/* Before Linux 3.17: text_offset unknown, assume 0x80000 */
			text_offset = IMAGE_OLD_TEXT_OFFSET;
			mem_size = image_size;
		} else if (get_le64(image + IMAGE_FLAGS) & IMAGE_FLAG_BE) {
			die("%s: a big-endian kernel; this VMM runs little-endian ones", o->image);
		}
		if (mem_size < image_size)
			mem_size = image_size;
	}
	/* The RAM base is 2 MiB aligned, as the boot protocol wants */
	l->kernel_addr = l->base + text_offset;
	l->entry = l->kernel_addr;
	if (text_offset > l->size || mem_size > l->size - text_offset)
		die("%s: %" PRIu64 " bytes at offset %#" PRIx64 " do not fit in %" PRIu64 " MiB",
		    o->image, mem_size, text_offset, l->size / SZ_1M);
	l->kernel_end = l->kernel_addr + mem_size;

	below = l->dtb_addr;
	if (o->initrd) {
		l->initrd_size = initrd_size;
		if (initrd_size > l->dtb_addr - l->base)
			die("%s: %zu bytes do not fit in %" PRIu64 " MiB of RAM", o->initrd,
			    initrd_size, l->size / SZ_1M);
		l->initrd_addr = ALIGN_DOWN(l->dtb_addr - initrd_size, SZ_4K);
		below = l->initrd_addr;
	}
	if (l->kernel_end > below)
		die("%s ends at %#" PRIx64 ", after the %s at %#" PRIx64 ": %" PRIu64 " MiB of RAM is too little (--mem)",
		    o->image, l->kernel_end, o->initrd ? "initrd" : "devicetree", below,
		    l->size / SZ_1M);
}

/* ---------------------------------------------------------------------- */
/* Devicetree                                                             */

static void fdt_check(int err, const char *what)
{
	if (err)
		die("building the devicetree: %s: %s", what, fdt_strerror(err));
}

static void dt_cells(void *fdt, const char *name, const uint32_t *cells, unsigned int n)
{
	fdt32_t be[16];
	unsigned int i;

	for (i = 0; i < n && i < ARRAY_SIZE(be); i++)
		be[i] = cpu_to_fdt32(cells[i]);
	fdt_check(fdt_property(fdt, name, be, i * sizeof(be[0])), name);
}

/* Pairs of (address, size), two cells each */
static void dt_reg(void *fdt, const uint64_t *vals, unsigned int n)
{
	fdt64_t be[8];
	unsigned int i;

	for (i = 0; i < n && i < ARRAY_SIZE(be); i++)
		be[i] = cpu_to_fdt64(vals[i]);
	fdt_check(fdt_property(fdt, "reg", be, i * sizeof(be[0])), "reg");
}

static void dt_u32(void *fdt, const char *name, uint32_t v)
{
	fdt_check(fdt_property_u32(fdt, name, v), name);
}

static void dt_u64(void *fdt, const char *name, uint64_t v)
{
	fdt_check(fdt_property_u64(fdt, name, v), name);
}

static void dt_str(void *fdt, const char *name, const char *s)
{
	fdt_check(fdt_property_string(fdt, name, s), name);
}

/* A string list given as "a\0b" with its sizeof */
static void dt_strs(void *fdt, const char *name, const char *s, size_t len)
{
	fdt_check(fdt_property(fdt, name, s, len), name);
}

static void dt_empty(void *fdt, const char *name)
{
	fdt_check(fdt_property(fdt, name, NULL, 0), name);
}

static void dt_begin(void *fdt, const char *fmt, ...) __printf(2, 3);
static void dt_begin(void *fdt, const char *fmt, ...)
{
	char name[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	fdt_check(fdt_begin_node(fdt, name), name);
}

static void dt_end(void *fdt)
{
	fdt_check(fdt_end_node(fdt), "end of node");
}

/*
 * The guest's devicetree (see sample-vmm.rst). /memory has no unit address:
 * the Resource Manager accepts only "/memory" as a memory node, and
 * rewrites it.
 */
static void build_dt(void *fdt, size_t bufsize, const struct options *o, const struct layout *l)
{
	static const char psci_compat[] = "arm,psci-1.0\0arm,psci-0.2";
	static const char uart_compat[] = "arm,pl011\0arm,primecell";
	static const char uart_clocks[] = "uartclk\0apb_pclk";
	const uint32_t timer_irqs[] = {
		1, 13, 0xf08,	/* secure physical */
		1, 14, 0xf08,	/* non-secure physical */
		1, 11, 0xf08,	/* virtual: INTID 27 */
		1, 10, 0xf08,	/* hypervisor */
	};
	const uint32_t uart_irq[] = { 0, 1, 4 };	/* SPI 1, level high */
	const uint32_t clocks[] = { PHANDLE_CLK, PHANDLE_CLK };
	uint64_t gicr = GUEST_GICR_BASE(o->nr_vcpus);
	uint64_t reg[4];
	unsigned int i;

	fdt_check(fdt_create(fdt, bufsize), "fdt_create");
	fdt_check(fdt_finish_reservemap(fdt), "reservation map");
	dt_begin(fdt, "%s", "");
	dt_u32(fdt, "#address-cells", 2);
	dt_u32(fdt, "#size-cells", 2);
	dt_str(fdt, "compatible", "linux,dummy-virt");
	dt_u32(fdt, "interrupt-parent", PHANDLE_GIC);

	dt_begin(fdt, "chosen");
	dt_str(fdt, "bootargs", o->cmdline);
	dt_str(fdt, "stdout-path", "/pl011@9000000");
	if (o->initrd) {
		dt_u64(fdt, "linux,initrd-start", l->initrd_addr);
		dt_u64(fdt, "linux,initrd-end", l->initrd_addr + l->initrd_size);
	}
	dt_end(fdt);

	dt_begin(fdt, "memory");
	dt_str(fdt, "device_type", "memory");
	reg[0] = l->base;
	reg[1] = l->size;
	dt_reg(fdt, reg, 2);
	dt_end(fdt);

	dt_begin(fdt, "cpus");
	dt_u32(fdt, "#address-cells", 1);
	dt_u32(fdt, "#size-cells", 0);
	for (i = 0; i < o->nr_vcpus; i++) {
		dt_begin(fdt, "cpu@%u", i);
		dt_str(fdt, "device_type", "cpu");
		dt_str(fdt, "compatible", "arm,armv8");
		dt_u32(fdt, "reg", i);
		dt_str(fdt, "enable-method", "psci");
		dt_end(fdt);
	}
	dt_end(fdt);

	dt_begin(fdt, "psci");
	dt_strs(fdt, "compatible", psci_compat, sizeof(psci_compat));
	dt_str(fdt, "method", "hvc");
	dt_end(fdt);

	dt_begin(fdt, "intc@%lx", GUEST_GICD_BASE);
	dt_str(fdt, "compatible", "arm,gic-v3");
	dt_u32(fdt, "#interrupt-cells", 3);
	dt_empty(fdt, "interrupt-controller");
	dt_u32(fdt, "#address-cells", 2);
	dt_u32(fdt, "#size-cells", 2);
	dt_empty(fdt, "ranges");
	reg[0] = GUEST_GICD_BASE;
	reg[1] = GUEST_GICD_SIZE;
	reg[2] = gicr;
	reg[3] = GUEST_GICD_BASE - gicr;
	dt_reg(fdt, reg, 4);
	dt_u32(fdt, "#redistributor-regions", 1);
	dt_u32(fdt, "phandle", PHANDLE_GIC);
	dt_end(fdt);

	dt_begin(fdt, "timer");
	dt_str(fdt, "compatible", "arm,armv8-timer");
	dt_cells(fdt, "interrupts", timer_irqs, ARRAY_SIZE(timer_irqs));
	dt_empty(fdt, "always-on");
	dt_end(fdt);

	dt_begin(fdt, "clk24mhz");
	dt_str(fdt, "compatible", "fixed-clock");
	dt_u32(fdt, "#clock-cells", 0);
	dt_u32(fdt, "clock-frequency", 24000000);
	dt_str(fdt, "clock-output-names", "clk24mhz");
	dt_u32(fdt, "phandle", PHANDLE_CLK);
	dt_end(fdt);

	dt_begin(fdt, "pl011@%lx", GUEST_PL011_BASE);
	dt_strs(fdt, "compatible", uart_compat, sizeof(uart_compat));
	reg[0] = GUEST_PL011_BASE;
	reg[1] = GUEST_PL011_SIZE;
	dt_reg(fdt, reg, 2);
	dt_cells(fdt, "interrupts", uart_irq, ARRAY_SIZE(uart_irq));
	dt_cells(fdt, "clocks", clocks, ARRAY_SIZE(clocks));
	dt_strs(fdt, "clock-names", uart_clocks, sizeof(uart_clocks));
	dt_end(fdt);

	/* What the Resource Manager reads at VM_INIT (abi.md 8.3) */
	dt_begin(fdt, "gunyah-vm-config");
	dt_str(fdt, "image-name", "gunyah-vmm");
	dt_str(fdt, "os-type", "linux");
	dt_begin(fdt, "memory");
	dt_u32(fdt, "#address-cells", 2);
	dt_u32(fdt, "#size-cells", 2);
	dt_u64(fdt, "base-address", l->base);
	dt_end(fdt);
	dt_begin(fdt, "vcpus");
	dt_str(fdt, "affinity", "proxy");
	dt_end(fdt);
	dt_begin(fdt, "interrupts");
	dt_u32(fdt, "config", PHANDLE_GIC);
	dt_end(fdt);
	dt_begin(fdt, "vdevices");
	dt_str(fdt, "generate", "/hypervisor");
	dt_end(fdt);
	dt_end(fdt);

	dt_end(fdt);
	fdt_check(fdt_finish(fdt), "fdt_finish");
}

static void write_file(const char *path, const void *buf, size_t size)
{
	size_t done = 0;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		die_errno(NULL, "create %s", path);
	while (done < size) {
		ssize_t n = write(fd, (const char *)buf + done, size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die_errno(NULL, "write %s", path);
		done += n;
	}
	if (close(fd))
		die_errno(NULL, "close %s", path);
}

/* ---------------------------------------------------------------------- */
/* Devices (called with vmm.lock held)                                    */

static uint64_t size_mask(uint32_t len)
{
	return len >= 8 ? ~0ULL : (1ULL << (8 * len)) - 1;
}

static void console_putc(char c)
{
	putchar(c);
	vmm.uart.at_line_start = c == '\n';
}

static uint64_t pl011_read(uint64_t off)
{
	struct pl011 *u = &vmm.uart;

	if (off >= UART_PERIPH_ID0 && off < UART_PERIPH_ID0 + 4 * sizeof(pl011_id) && !(off % 4))
		return pl011_id[(off - UART_PERIPH_ID0) / 4];
	switch (off) {
	case UART_FR:
		return UART_FR_TXFE | UART_FR_RXFE;
	case UART_ILPR:
		return u->ilpr;
	case UART_IBRD:
		return u->ibrd;
	case UART_FBRD:
		return u->fbrd;
	case UART_LCRH:
		return u->lcrh;
	case UART_CR:
		return u->cr;
	case UART_IFLS:
		return u->ifls;
	case UART_IMSC:
		return u->imsc;
	case UART_DMACR:
		return u->dmacr;
	default:
		/* DR (no input), RSR, RIS, MIS: 0 */
		return 0;
	}
}

static void pl011_write(uint64_t off, uint64_t val)
{
	struct pl011 *u = &vmm.uart;

	switch (off) {
	case UART_DR:
		console_putc(val & 0xff);
		break;
	case UART_ILPR:
		u->ilpr = val & 0xff;
		break;
	case UART_IBRD:
		u->ibrd = val & 0xffff;
		break;
	case UART_FBRD:
		u->fbrd = val & 0x3f;
		break;
	case UART_LCRH:
		u->lcrh = val & 0xff;
		break;
	case UART_CR:
		u->cr = val & 0xffff;
		break;
	case UART_IFLS:
		u->ifls = val & 0x3f;
		break;
	case UART_IMSC:
		u->imsc = val & 0x7ff;
		break;
	case UART_DMACR:
		u->dmacr = val & 0x7;
		break;
	default:
		/* RSR/ECR, ICR: no errors, no interrupts to clear */
		break;
	}
}

/* xorshift64*: ECHO values the guest cannot predict */
static uint64_t test_dev_random(struct test_dev *d)
{
	d->rng ^= d->rng >> 12;
	d->rng ^= d->rng << 25;
	d->rng ^= d->rng >> 27;
	return d->rng * 0x2545f4914f6cdd1dULL;
}

static uint64_t test_dev_read(struct vcpu *v, uint64_t off, uint32_t len)
{
	struct test_dev *d = &vmm.dev;

	(void)v;
	switch (off) {
	case TEST_DEV_ID:
		return TEST_DEV_ID_VALUE;
	case TEST_DEV_SCRATCH:
		return d->scratch;
	case TEST_DEV_ECHO:
		d->echo = test_dev_random(d);
		d->echo_len = len;
		return d->echo;
	case TEST_DEV_ECHO_BACK:
		return d->echo_mismatches;
	case TEST_DEV_LAST_UNHANDLED:
		return d->last_unhandled;
	case TEST_DEV_HELLO:
		return d->hello;
	case TEST_DEV_BENCH:
		return d->bench;
	default:
		return 0;
	}
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * The guest's timed MMIO loop: one exit to this VMM and back per read.
 * Under QEMU -icount shift=0 on one CPU a nanosecond is an instruction.
 */
static void bench_mark(struct test_dev *d, uint64_t mark)
{
	if (!d->bench)
		return;
	if (mark == TEST_BENCH_START) {
		d->bench_start = now_ns();
	} else if (mark == TEST_BENCH_END && d->bench_start) {
		uint64_t ns = now_ns() - d->bench_start;

		info("bench: MMIO exit round trip to the VMM: %" PRIu64 " ns per exit over %" PRIu64
		     " exits (= instructions under -icount shift=0)", ns / d->bench, d->bench);
		d->bench_start = 0;
	}
}

static void test_dev_write(struct vcpu *v, uint64_t off, uint32_t len, uint64_t val)
{
	struct test_dev *d = &vmm.dev;

	switch (off) {
	case TEST_DEV_SCRATCH:
		d->scratch = val;
		break;
	case TEST_DEV_CHECK:
		d->used = true;
		if (val < 64)
			d->checks |= 1ULL << val;
		d->nr_checks++;
		break;
	case TEST_DEV_RESULT:
		d->used = true;
		d->result = val;
		d->result_written = true;
		if (val)
			info("test device: vCPU %u reports failure %#" PRIx64, v->id, val);
		break;
	case TEST_DEV_ECHO_BACK:
		if (!d->echo_len || len != d->echo_len || val != (d->echo & size_mask(len))) {
			d->echo_mismatches++;
			info("test device: ECHO_BACK %#" PRIx64 " (%u bytes), not %#" PRIx64 " (%u)",
			     val, len, d->echo & size_mask(d->echo_len), d->echo_len);
		}
		d->echo_len = 0;
		break;
	case TEST_DEV_HELLO:
		if (val == v->id)
			d->hello |= 1ULL << v->id;
		else
			info("test device: HELLO %#" PRIx64 " on vCPU %u's thread", val, v->id);
		break;
	case TEST_DEV_BENCH:
		bench_mark(d, val);
		break;
	default:
		/* ID, ECHO, LAST_UNHANDLED are read-only */
		break;
	}
}

static void log_unhandled(struct vcpu *v, uint64_t addr, uint32_t len, bool write, uint64_t val)
{
	unsigned int i;

	vmm.dev.last_unhandled = addr;
	if (write) {
		info("vCPU %u: write of %#" PRIx64 " (%u bytes) to unhandled %#" PRIx64 " ignored",
		     v->id, val, len, addr);
		return;
	}
	for (i = 0; i < vmm.nr_logged; i++)
		if (vmm.logged[i] == addr)
			return;
	if (vmm.nr_logged < ARRAY_SIZE(vmm.logged))
		vmm.logged[vmm.nr_logged++] = addr;
	info("vCPU %u: read (%u bytes) of unhandled address %#" PRIx64 " returns 0%s", v->id, len,
	     addr, vmm.nr_logged == ARRAY_SIZE(vmm.logged) ? "; not logging more addresses" : "");
}

static bool in_range(uint64_t addr, uint32_t len, uint64_t base, uint64_t size)
{
	return addr >= base && addr - base < size && len <= size - (addr - base);
}

static void handle_mmio(struct vcpu *v)
{
	struct gunyah_vcpu_run *run = v->run;
	uint64_t addr = run->mmio.phys_addr, val = 0;
	uint32_t len = run->mmio.len;
	bool write = run->mmio.is_write;
	unsigned int i;

	if (!len || len > 8) {
		info("vCPU %u: MMIO %s of %u bytes at %#" PRIx64 ": bad size, fault injected",
		     v->id, write ? "write" : "read", len, addr);
		run->mmio.resume_action = GUNYAH_VCPU_RESUME_FAULT;
		return;
	}
	if (write)
		for (i = 0; i < len; i++)
			val |= (uint64_t)run->mmio.data[i] << (8 * i);

	pthread_mutex_lock(&vmm.lock);
	if (in_range(addr, len, GUEST_PL011_BASE, GUEST_PL011_SIZE)) {
		if (write)
			pl011_write(addr - GUEST_PL011_BASE, val);
		else
			val = pl011_read(addr - GUEST_PL011_BASE);
	} else if (in_range(addr, len, GUEST_TEST_DEV_BASE, GUEST_TEST_DEV_SIZE)) {
		if (write)
			test_dev_write(v, addr - GUEST_TEST_DEV_BASE, len, val);
		else
			val = test_dev_read(v, addr - GUEST_TEST_DEV_BASE, len);
	} else {
		log_unhandled(v, addr, len, write, val);
		val = 0;
	}
	pthread_mutex_unlock(&vmm.lock);

	if (!write) {
		val &= size_mask(len);
		for (i = 0; i < sizeof(run->mmio.data); i++)
			run->mmio.data[i] = i < len ? val >> (8 * i) : 0;
	}
	run->mmio.resume_action = GUNYAH_VCPU_RESUME_HANDLED;
}

/* ---------------------------------------------------------------------- */
/* vCPU threads                                                           */

/* Record why the VM stops, if nothing has yet, and wake up main() */
static void vmm_stop(struct vcpu *v, enum stop_kind kind)
{
	pthread_mutex_lock(&vmm.lock);
	if (vmm.stop == STOP_NONE) {
		vmm.stop = kind;
		vmm.stop_vcpu = v->id;
		if (kind == STOP_STATUS)
			vmm.stop_run = *v->run;
		pthread_cond_signal(&vmm.stopped);
	}
	pthread_mutex_unlock(&vmm.lock);
}

static bool vmm_stopping(void)
{
	bool stop;

	pthread_mutex_lock(&vmm.lock);
	stop = vmm.stop != STOP_NONE;
	pthread_mutex_unlock(&vmm.lock);
	return stop;
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *v = arg;
	struct gunyah_vcpu_run *run = v->run;

	while (!vmm_stopping()) {
		if (ioctl(v->fd, GUNYAH_VCPU_RUN, 0) < 0) {
			int err = errno;

			/* A signal, or immediate_exit: see if we stop */
			if (err == EINTR)
				continue;
			pthread_mutex_lock(&vmm.lock);
			if (vmm.stop == STOP_NONE)
				fprintf(stderr, PROG ": vCPU %u: GUNYAH_VCPU_RUN: %s\n", v->id,
					strerror(err));
			pthread_mutex_unlock(&vmm.lock);
			vmm_stop(v, STOP_ERROR);
			break;
		}
		switch (run->exit_reason) {
		case GUNYAH_VCPU_EXIT_MMIO:
			handle_mmio(v);
			break;
		case GUNYAH_VCPU_EXIT_STATUS:
			vmm_stop(v, STOP_STATUS);
			return NULL;
		case GUNYAH_VCPU_EXIT_PAGE_FAULT:
			info("vCPU %u: page fault at %#llx the kernel could not resolve: %s",
			     v->id, (unsigned long long)run->page_fault.phys_addr,
			     strerror(-run->page_fault.attempt));
			vmm_stop(v, STOP_ERROR);
			return NULL;
		default:
			info("vCPU %u: unknown exit reason %u", v->id, run->exit_reason);
			vmm_stop(v, STOP_ERROR);
			return NULL;
		}
	}
	return NULL;
}

static void kick_handler(int sig)
{
	(void)sig;
}

/* Get every vCPU thread out of GUNYAH_VCPU_RUN and wait for it */
static void stop_vcpus(void)
{
	struct timespec deadline;
	unsigned int i;

	for (i = 0; i < vmm.nr_vcpus; i++) {
		struct vcpu *v = &vmm.vcpus[i];

		if (!v->running)
			continue;
		__atomic_store_n(&v->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
		pthread_kill(v->thread, SIGUSR1);
	}
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 5;
	for (i = 0; i < vmm.nr_vcpus; i++) {
		struct vcpu *v = &vmm.vcpus[i];

		if (!v->running)
			continue;
		if (pthread_timedjoin_np(v->thread, NULL, &deadline))
			info("vCPU %u: its thread does not stop; exiting anyway", v->id);
		v->running = false;
	}
}

static const char *exit_type_name(unsigned int type)
{
	static const char * const names[] = {
		[GUNYAH_VM_EXIT_TYPE_VM_EXIT] = "VM_EXIT",
		[GUNYAH_VM_EXIT_TYPE_PSCI_POWER_OFF] = "PSCI_POWER_OFF",
		[GUNYAH_VM_EXIT_TYPE_PSCI_SYSTEM_RESET] = "PSCI_SYSTEM_RESET",
		[GUNYAH_VM_EXIT_TYPE_PSCI_SYSTEM_RESET2] = "PSCI_SYSTEM_RESET2",
		[GUNYAH_VM_EXIT_TYPE_WDT_BITE] = "WDT_BITE",
		[GUNYAH_VM_EXIT_TYPE_HYP_ERROR] = "HYP_ERROR",
		[GUNYAH_VM_EXIT_TYPE_ASYNC_EXT_ABORT] = "ASYNC_EXT_ABORT",
		[GUNYAH_VM_EXIT_TYPE_VM_FORCE_STOPPED] = "VM_FORCE_STOPPED",
	};

	return type < ARRAY_SIZE(names) ? names[type] : "unknown";
}

/* Print how the VM ended; returns the exit status of the VMM */
static int report_stop(void)
{
	const struct gunyah_vcpu_run *run = &vmm.stop_run;
	const struct gunyah_vm_exit_info *ei = &run->status.exit_info;
	unsigned int i, n = ei->reason_size;
	char reason[3 * GUNYAH_VM_MAX_EXIT_REASON_SIZE + 16] = "";
	const char *what;
	int ret = 1;

	if (!vmm.uart.at_line_start)
		putchar('\n');
	if (vmm.stop != STOP_STATUS)
		return 1;

	switch (run->status.status) {
	case GUNYAH_VM_STATUS_EXITED:
		what = "VM exited";
		ret = ei->type == GUNYAH_VM_EXIT_TYPE_PSCI_POWER_OFF ? 0 : 1;
		break;
	case GUNYAH_VM_STATUS_CRASHED:
		what = "VM crashed";
		break;
	case GUNYAH_VM_STATUS_LOAD_FAILED:
		what = "VM failed to load";
		break;
	default:
		what = "VM stopped with an unknown status";
		break;
	}
	if (n > GUNYAH_VM_MAX_EXIT_REASON_SIZE)
		n = GUNYAH_VM_MAX_EXIT_REASON_SIZE;
	/* An all-zero reason says nothing: leave it out */
	for (i = 0; i < n && !ei->reason[i]; i++)
		;
	if (i < n) {
		strcat(reason, ", reason");
		for (i = 0; i < n; i++)
			sprintf(reason + strlen(reason), " %02x", ei->reason[i]);
	}
	info("%s: %s (type %u)%s%s", what, exit_type_name(ei->type), ei->type, reason,
	     run->status.status > GUNYAH_VM_STATUS_CRASHED ? " [status unknown]" : "");

	if (vmm.dev.used) {
		info("test device: %u checks passed, result %s%#" PRIx64, vmm.dev.nr_checks,
		     vmm.dev.result_written ? "" : "never written, ", vmm.dev.result);
		if (!vmm.dev.result_written || vmm.dev.result || vmm.dev.echo_mismatches)
			ret = 1;
	}
	return ret;
}

/* ---------------------------------------------------------------------- */
/* The VM                                                                 */

static void *alloc_guest_ram(uint64_t size)
{
	void *mem;
	int fd;

	/* A memfd, or anonymous shared memory on kernels without memfd */
	fd = memfd_create("gunyah-vmm-ram", MFD_CLOEXEC);
	if (fd >= 0) {
		if (ftruncate(fd, size))
			die_errno(NULL, "ftruncate of the guest RAM memfd to %" PRIu64 " bytes",
				  size);
		mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		close(fd);
	} else {
		mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	}
	if (mem == MAP_FAILED)
		die_errno(NULL, "mmap of %" PRIu64 " MiB of guest RAM", size / SZ_1M);
	return mem;
}

static void set_boot_reg(int vm, unsigned int set, unsigned int index, uint64_t value,
			 const char *name, bool *supported)
{
	struct gunyah_vm_boot_context ctx = {
		.reg = GUNYAH_VM_BOOT_CONTEXT_REG(set, index),
		.value = value,
	};

	if (!*supported)
		return;
	if (!ioctl(vm, GUNYAH_VM_SET_BOOT_CONTEXT, &ctx))
		return;
	if (errno == ENOTTY) {
		info("no GUNYAH_VM_SET_BOOT_CONTEXT: entry at the RAM base, x0 = devicetree");
		*supported = false;
		return;
	}
	die_errno(NULL, "GUNYAH_VM_SET_BOOT_CONTEXT(%s = %#" PRIx64 ")", name, value);
}

static void add_vcpu(int vm, struct vcpu *v, unsigned int id)
{
	struct gunyah_fn_vcpu_arg arg = { .id = id };
	struct gunyah_fn_desc desc = {
		.type = GUNYAH_FN_VCPU,
		.arg_size = sizeof(arg),
		.arg = (uintptr_t)&arg,
	};
	long size;

	v->id = id;
	v->fd = ioctl(vm, GUNYAH_VM_ADD_FUNCTION, &desc);
	if (v->fd < 0)
		die_errno(errno == ENOENT ? "(is gunyah_vcpu.ko loaded?)" : NULL,
			  "GUNYAH_VM_ADD_FUNCTION(vCPU %u)", id);
	size = ioctl(v->fd, GUNYAH_VCPU_MMAP_SIZE, 0);
	if (size < 0)
		die_errno(NULL, "GUNYAH_VCPU_MMAP_SIZE(vCPU %u)", id);
	if ((size_t)size < sizeof(struct gunyah_vcpu_run))
		die("GUNYAH_VCPU_MMAP_SIZE(vCPU %u): %ld bytes, less than struct gunyah_vcpu_run",
		    id, size);
	v->run_size = size;
	v->run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED)
		die_errno(NULL, "mmap of vCPU %u's run page (%ld bytes)", id, size);
}

int main(int argc, char **argv)
{
	static uint8_t dtb[DTB_AREA];
	struct gunyah_userspace_memory_region region;
	struct gunyah_vm_dtb_config dtb_config;
	struct sigaction sa = { .sa_handler = kick_handler };
	size_t image_size, initrd_size = 0;
	bool boot_context = true;
	uint8_t *image, *initrd = NULL, *ram;
	struct options o;
	struct layout l;
	unsigned int i;
	int dev, err;

	setvbuf(stdout, NULL, _IONBF, 0);
	parse_options(argc, argv, &o);

	image = read_file(o.image, &image_size);
	if (o.initrd)
		initrd = read_file(o.initrd, &initrd_size);
	make_layout(&o, image, image_size, initrd_size, &l);
	build_dt(dtb, sizeof(dtb), &o, &l);
	l.dtb_size = ALIGN_UP(fdt_totalsize(dtb) + DTB_SLACK, SZ_4K);
	if (l.dtb_size > DTB_AREA)
		die("the devicetree (%u bytes) leaves the Resource Manager less than %" PRIu64 " bytes",
		    fdt_totalsize(dtb), DTB_SLACK);
	if (o.dtb_out) {
		write_file(o.dtb_out, dtb, fdt_totalsize(dtb));
		return 0;
	}

	/* Guest memory: the image, the initrd, the devicetree */
	ram = alloc_guest_ram(l.size);
	memcpy(ram + (l.kernel_addr - l.base), image, image_size);
	if (initrd)
		memcpy(ram + (l.initrd_addr - l.base), initrd, initrd_size);
	memcpy(ram + (l.dtb_addr - l.base), dtb, fdt_totalsize(dtb));
	free(image);
	free(initrd);

	dev = open(GUNYAH_DEV, O_RDWR | O_CLOEXEC);
	if (dev < 0)
		die_errno(errno == ENOENT ? "(is gunyah_rsc_mgr.ko loaded?)" : NULL,
			  "open %s", GUNYAH_DEV);
	vmm.vm_fd = ioctl(dev, GUNYAH_CREATE_VM, 0);
	if (vmm.vm_fd < 0)
		die_errno(NULL, "GUNYAH_CREATE_VM");
	close(dev);

	region = (struct gunyah_userspace_memory_region){
		.label = 0,
		.flags = GUNYAH_MEM_ALLOW_RWX,
		.guest_phys_addr = l.base,
		.memory_size = l.size,
		.userspace_addr = (uintptr_t)ram,
	};
	if (ioctl(vmm.vm_fd, GUNYAH_VM_SET_USER_MEM_REGION, &region))
		die_errno(errno == ENOMEM || errno == EPERM ? "(RLIMIT_MEMLOCK?)" : NULL,
			  "GUNYAH_VM_SET_USER_MEM_REGION(%#" PRIx64 ", %" PRIu64 " MiB)", l.base,
			  l.size / SZ_1M);

	dtb_config = (struct gunyah_vm_dtb_config){
		.guest_phys_addr = l.dtb_addr,
		.size = l.dtb_size,
	};
	if (ioctl(vmm.vm_fd, GUNYAH_VM_SET_DTB_CONFIG, &dtb_config))
		die_errno(NULL, "GUNYAH_VM_SET_DTB_CONFIG(%#" PRIx64 ", %" PRIu64 " bytes)",
			  l.dtb_addr, l.dtb_size);

	set_boot_reg(vmm.vm_fd, GUNYAH_VM_BOOT_CONTEXT_REG_SET_PC, 0, l.entry, "PC", &boot_context);
	set_boot_reg(vmm.vm_fd, GUNYAH_VM_BOOT_CONTEXT_REG_SET_X, 0, l.dtb_addr, "X0",
		     &boot_context);
	if (!boot_context && l.entry != l.base)
		die("entry %#" PRIx64 " is not the RAM base, and the boot context cannot be set",
		    l.entry);

	vmm.nr_vcpus = o.nr_vcpus;
	for (i = 0; i < o.nr_vcpus; i++)
		add_vcpu(vmm.vm_fd, &vmm.vcpus[i], i);

	if (ioctl(vmm.vm_fd, GUNYAH_VM_START, 0))
		die_errno(errno == EINVAL ? "(the Resource Manager refused the configuration?)" :
			  NULL, "GUNYAH_VM_START");

	/* No SA_RESTART: a kick ends GUNYAH_VCPU_RUN with EINTR */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL))
		die_errno(NULL, "sigaction");
	vmm.dev.rng = (uint64_t)time(NULL) << 20 ^ (uint64_t)getpid() ^ 0x9e3779b97f4a7c15ULL;
	vmm.dev.bench = o.bench;

	for (i = 0; i < o.nr_vcpus; i++) {
		err = pthread_create(&vmm.vcpus[i].thread, NULL, vcpu_thread, &vmm.vcpus[i]);
		if (err) {
			errno = err;
			info("pthread_create for vCPU %u: %s", i, strerror(err));
			pthread_mutex_lock(&vmm.lock);
			if (vmm.stop == STOP_NONE)
				vmm.stop = STOP_ERROR;
			pthread_mutex_unlock(&vmm.lock);
			break;
		}
		vmm.vcpus[i].running = true;
	}

	pthread_mutex_lock(&vmm.lock);
	while (vmm.stop == STOP_NONE)
		pthread_cond_wait(&vmm.stopped, &vmm.lock);
	pthread_mutex_unlock(&vmm.lock);

	stop_vcpus();
	return report_stop();
}
