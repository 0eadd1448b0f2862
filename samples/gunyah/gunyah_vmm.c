// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sample VMM for the Gunyah VM manager (/dev/gunyah).
 *
 * Runs a Linux arm64 Image, or a raw binary, in a proxy-scheduled VM: one
 * memory region, a devicetree built here with libfdt, one vCPU function
 * and one thread per vCPU. Each thread runs GUNYAH_VCPU_RUN and emulates
 * the MMIO accesses the hypervisor hands back: a PL011 UART whose output
 * goes to stdout, the test device of
 * tools/testing/gunyah/guests/test_device.h and the registers of a
 * virtio-mmio console. The GIC is the hypervisor's.
 *
 * Interrupts reach the guest through doorbells declared in the VM config
 * and irqfds bound to them; the guest's notifications (the test device's
 * KICK and NOTIFY, the console's QueueNotify) are ioeventfds, signalled by
 * the kernel without an exit to this VMM. One I/O thread waits on those
 * eventfds and does the devices' work.
 *
 * Messages of the VMM itself go to stderr, the guest's consoles to stdout.
 * Exit status 0 when the guest powers off (PSCI SYSTEM_OFF) and, if it used
 * the test device, reported success and passed the benchmarks; 1
 * otherwise.
 *
 * Documentation/virt/gunyah/sample-vmm.rst describes the guest's platform.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libfdt.h>
#include <linux/gunyah.h>
#include <linux/virtio_config.h>
#include <linux/virtio_console.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_mmio.h>
#include <linux/virtio_ring.h>

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

/*
 * Doorbells: the VM config declares one per interrupt this VMM raises, and
 * the Resource Manager wires each to a guest SPI. An irqfd bound to the
 * doorbell's label then raises that SPI whenever its eventfd is written.
 * Devicetree interrupt flags: 1 edge rising, 4 level high.
 */
#define IRQ_EDGE_RISING		1
#define IRQ_LEVEL_HIGH		4

static const struct doorbell {
	uint32_t label, spi, flags;
} doorbells[] = {
	{ GUEST_VIRTIO_CON_BELL, GUEST_VIRTIO_CON_SPI, IRQ_LEVEL_HIGH },
	{ GUEST_TEST_DEV_BELL, GUEST_TEST_DEV_SPI, IRQ_EDGE_RISING },
};

/*
 * The virtio-mmio console (virtio 1.2, 4.2.2 and 5.3): a "modern"
 * (Version 2) device with one port, no MULTIPORT, VIRTIO_F_VERSION_1 as
 * its only feature. Offsets and bits come from <linux/virtio_*.h>.
 */
#define VIRTIO_MMIO_MAGIC	0x74726976	/* "virt" */
#define VIRTIO_MMIO_VERSION_2	2
#define VCON_VENDOR_ID		0x6d6d7667	/* "gvmm" */
#define VCON_FEATURES		(1ULL << VIRTIO_F_VERSION_1)
#define VCON_RXQ		0	/* receiveq: port 0 input, host to guest */
#define VCON_TXQ		1	/* transmitq: port 0 output, guest to host */
#define VCON_NR_QUEUES		2
/* Small enough that a burst of console writes wraps the rings */
#define VCON_QUEUE_NUM_MAX	64
/*
 * The device's only input: one line, sent once the driver first
 * transmits (its port is open then). Linux's virtio console reads its
 * receiveq only when interrupted, so the guest sees this line only if the
 * irqfd works.
 */
#define VCON_GREETING		"hello from the VMM through the irqfd\n"

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
	bool hugepages;		/* guest RAM of transparent huge pages */
	bool bench_start;	/* time from RAM allocation to the first exit */
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
	uint64_t bench_start;	/* CLOCK_MONOTONIC at TEST_BENCH_*START, ns */
	bool bench_failed;

	int irqfd;		/* raises GUEST_TEST_DEV_SPI */
	int kick_fd;		/* ioeventfd of KICK, read by the I/O thread */
	int notify_fd;		/* ioeventfd of NOTIFY, read by bench_mark() */
	uint64_t kicks;		/* KICKs that came through kick_fd */
	uint64_t kick_exits;	/* KICKs that came as MMIO exits */
	uint64_t notify_exits;	/* NOTIFYs that came as MMIO exits */
};

struct pl011 {
	uint32_t ilpr, ibrd, fbrd, lcrh, cr, ifls, imsc, dmacr;
};

/* A split virtqueue, as the driver configured it through the registers */
struct virtq {
	uint32_t num;
	uint64_t desc_addr, avail_addr, used_addr;
	bool ready;
	/* Once ready: the rings, in our mapping of the guest's RAM */
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	uint16_t last_avail;	/* the next avail ring entry to take */
	uint16_t used_idx;	/* what we last published in used->idx */
	int notify_fd;		/* ioeventfd: QueueNotify with our index; kept at reset */
};

struct virtio_console {
	/* Device state: back to zero at reset */
	uint32_t status;
	uint32_t isr;		/* InterruptStatus */
	uint32_t dev_features_sel, drv_features_sel;
	uint64_t drv_features;
	uint32_t queue_sel;
	struct virtq vq[VCON_NR_QUEUES];

	/* Kept across resets */
	int irqfd;		/* LEVEL: raises GUEST_VIRTIO_CON_SPI */
	bool probed;		/* the driver ever wrote Status */
	bool greeted;		/* VCON_GREETING was queued for input */
	const char *input;	/* what is left of it to deliver */
	size_t input_len;
	uint64_t bytes_out;
	uint64_t bytes_in;
	uint64_t notifications;	/* counted from the queues' eventfds */
	uint64_t notify_exits;	/* QueueNotify writes that were MMIO exits */
	uint64_t interrupts;	/* irqfd signals */
};

static struct vmm {
	int vm_fd;
	unsigned int nr_vcpus;
	struct vcpu vcpus[MAX_VCPUS];

	/* The guest's RAM, for the virtqueues: one mapping, one region */
	uint8_t *ram;
	uint64_t ram_base, ram_size;
	const char *ram_pages;	/* "4 KiB pages" or "huge pages", for --bench-start */

	/* --bench-start: CLOCK_MONOTONIC before the RAM, ns; 0 once reported */
	uint64_t start_ns;

	pthread_t io_thread;	/* the devices' work on eventfds */
	bool io_running;
	int io_stop_fd;		/* written to end the I/O thread */

	pthread_mutex_t lock;	/* everything below */
	pthread_cond_t stopped;
	enum stop_kind stop;
	struct gunyah_vcpu_run stop_run;	/* the STATUS exit */
	unsigned int stop_vcpu;

	bool stdout_at_line_start;	/* where the guest's consoles left stdout */
	struct pl011 uart;
	struct test_dev dev;
	struct virtio_console vcon;
	uint64_t logged[64];	/* unhandled addresses already reported */
	unsigned int nr_logged;
} vmm = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.stopped = PTHREAD_COND_INITIALIZER,
	.stdout_at_line_start = true,
	.uart = { .cr = 0x300, .ifls = 0x12 },
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
		"  --hugepages       back the guest RAM with transparent huge pages (2 MiB)\n"
		"  --bench N         have the bare-metal test guest time N MMIO exits, N ioeventfd\n"
		"                    notifications; time N irqfd injections\n"
		"  --bench-start     time the VM's start: from allocating its RAM to its first exit\n"
		"  -h, --help        this text\n"
		"The guest's consoles (PL011, virtio console) go to stdout; the VMM's messages\n"
		"go to stderr.\n",
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
		{ "bench-start", no_argument, NULL, 'S' },
		{ "hugepages", no_argument, NULL, 'H' },
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
		case 'S':
			o->bench_start = true;
			break;
		case 'H':
			o->hugepages = true;
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
 * A doorbell in the VM config's vdevices: the host rings it, the guest
 * receives it as one SPI (the RM also describes it under the guest's
 * /hypervisor). peer-default makes the host, our VM, its sender; the RM
 * hands the host a BELL_TX resource with this label, which is how the
 * kernel finds the doorbell of an irqfd. source-can-clear is declared as
 * other Gunyah VMMs declare their irqfd doorbells.
 */
static void dt_doorbell(void *fdt, const struct doorbell *db)
{
	const uint32_t irq[] = { 0, db->spi, db->flags };
	char path[32];

	snprintf(path, sizeof(path), "/hypervisor/bell-%u", db->label);
	dt_begin(fdt, "bell-%u", db->label);
	dt_str(fdt, "vdevice-type", "doorbell");
	dt_str(fdt, "generate", path);
	dt_u32(fdt, "label", db->label);
	dt_empty(fdt, "peer-default");
	dt_empty(fdt, "source-can-clear");
	dt_cells(fdt, "interrupts", irq, ARRAY_SIZE(irq));
	dt_end(fdt);
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
	const uint32_t uart_irq[] = { 0, GUEST_PL011_SPI, IRQ_LEVEL_HIGH };
	const uint32_t vcon_irq[] = { 0, GUEST_VIRTIO_CON_SPI, IRQ_LEVEL_HIGH };
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

	/* Rings in guest RAM, which the VMM maps cacheable: dma-coherent */
	dt_begin(fdt, "virtio_mmio@%lx", GUEST_VIRTIO_CON_BASE);
	dt_str(fdt, "compatible", "virtio,mmio");
	reg[0] = GUEST_VIRTIO_CON_BASE;
	reg[1] = GUEST_VIRTIO_CON_SIZE;
	dt_reg(fdt, reg, 2);
	dt_cells(fdt, "interrupts", vcon_irq, ARRAY_SIZE(vcon_irq));
	dt_empty(fdt, "dma-coherent");
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
	for (i = 0; i < ARRAY_SIZE(doorbells); i++)
		dt_doorbell(fdt, &doorbells[i]);
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
/* Eventfds, irqfds and ioeventfds                                        */

static int new_eventfd(const char *what, int flags)
{
	int fd = eventfd(0, EFD_CLOEXEC | flags);

	if (fd < 0)
		die_errno(NULL, "eventfd for %s", what);
	return fd;
}

/*
 * Writing @fd raises the doorbell labelled @label (see dt_doorbell()),
 * hence its guest SPI. Added before GUNYAH_VM_START: the kernel binds the
 * irqfd to the doorbell the RM creates at start.
 */
static void add_irqfd(int vm, int fd, uint32_t label, bool level, const char *what)
{
	struct gunyah_fn_irqfd_arg arg = {
		.fd = fd,
		.label = label,
		.flags = level ? GUNYAH_IRQFD_FLAGS_LEVEL : 0,
	};
	struct gunyah_fn_desc desc = {
		.type = GUNYAH_FN_IRQFD,
		.arg_size = sizeof(arg),
		.arg = (uintptr_t)&arg,
	};

	if (ioctl(vm, GUNYAH_VM_ADD_FUNCTION, &desc) < 0)
		die_errno(errno == ENOENT ? "(no irqfd function: no module for ghfunc:2?)" : NULL,
			  "GUNYAH_VM_ADD_FUNCTION(irqfd of %s, doorbell %u%s)", what, label,
			  level ? ", level" : "");
}

/*
 * Guest writes of @len bytes (0: any size) to @addr signal @fd in the
 * kernel, and the vCPU goes on without an MMIO exit; with @datamatch only
 * writes of @value do. Not fatal if it fails: those writes then come to
 * handle_mmio() as exits, which the devices handle too (and count).
 */
static void add_ioeventfd(int vm, int fd, uint64_t addr, uint32_t len, bool datamatch,
			  uint64_t value, const char *what)
{
	struct gunyah_fn_ioeventfd_arg arg = {
		.datamatch = value,
		.addr = addr,
		.len = len,
		.fd = fd,
		.flags = datamatch ? GUNYAH_IOEVENTFD_FLAGS_DATAMATCH : 0,
	};
	struct gunyah_fn_desc desc = {
		.type = GUNYAH_FN_IOEVENTFD,
		.arg_size = sizeof(arg),
		.arg = (uintptr_t)&arg,
	};
	int err;

	if (ioctl(vm, GUNYAH_VM_ADD_FUNCTION, &desc) >= 0)
		return;
	err = errno;
	info("GUNYAH_VM_ADD_FUNCTION(ioeventfd of %s at %#" PRIx64 "): %s%s; its writes will be MMIO exits",
	     what, addr, strerror(err),
	     err == ENOENT ? " (no ioeventfd function: no module for ghfunc:3?)" : "");
}

/* Read and reset an eventfd's counter; 0 if it was not signalled */
static uint64_t eventfd_take(int fd)
{
	uint64_t count;

	if (read(fd, &count, sizeof(count)) != sizeof(count))
		return 0;	/* EAGAIN: the eventfds we poll are non-blocking */
	return count;
}

/* One write, one interrupt: an irqfd injects once per wake-up */
static bool eventfd_signal(int fd, const char *what)
{
	static bool reported;
	uint64_t one = 1;

	if (write(fd, &one, sizeof(one)) == sizeof(one))
		return true;
	if (!__atomic_exchange_n(&reported, true, __ATOMIC_RELAXED))
		info("write to the eventfd of %s: %s", what, strerror(errno));
	return false;
}

/* ---------------------------------------------------------------------- */
/* Devices (called with vmm.lock held)                                    */

static uint64_t size_mask(uint32_t len)
{
	return len >= 8 ? ~0ULL : (1ULL << (8 * len)) - 1;
}

/* The guest's consoles, PL011 and virtio, share stdout (unbuffered) */
static void console_putc(char c)
{
	putchar(c);
	vmm.stdout_at_line_start = c == '\n';
}

static void console_write(const void *buf, size_t len)
{
	if (!len)
		return;
	fwrite(buf, 1, len, stdout);
	vmm.stdout_at_line_start = ((const char *)buf)[len - 1] == '\n';
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
	case TEST_DEV_KICK:
		return d->kick_exits;
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
 * The writes the VMM times itself, the fastest of BENCH_ROUNDS rounds of
 * @n, so that a round the host's tick lands in does not count: the total
 * in ns, or 0 if a write failed.
 */
#define BENCH_ROUNDS	5

static uint64_t bench_writes(int fd, uint64_t n, const char *what)
{
	uint64_t best = UINT64_MAX, start, ns, i;
	unsigned int r;

	for (r = 0; r < BENCH_ROUNDS; r++) {
		start = now_ns();
		for (i = 0; i < n; i++)
			if (!eventfd_signal(fd, what))
				return 0;
		ns = now_ns() - start;
		best = ns < best ? ns : best;
	}
	return best;
}

/*
 * What an irqfd injection costs before the irqfd: the same writes to an
 * eventfd nobody waits on (the system call, the eventfd's counter).
 */
static void bench_eventfd_write(uint64_t n)
{
	int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	uint64_t ns, count;

	if (fd < 0) {
		info("bench: eventfd: %s", strerror(errno));
		return;
	}
	ns = bench_writes(fd, n, "the benchmark's eventfd");
	if (ns && read(fd, &count, sizeof(count)) == sizeof(count) && count == n * BENCH_ROUNDS)
		info("bench: eventfd write without a waiter: %" PRIu64 " ns per write over %" PRIu64
		     " writes (= instructions under -icount shift=0)", ns / n, n);
	close(fd);
}

/*
 * The VMM's side of an interrupt: rounds of d->bench eventfd writes, each
 * of which the kernel turns into a doorbell send. The guest waits in this
 * MMIO exit meanwhile, and finds its (edge) GUEST_TEST_DEV_SPI pending
 * when it resumes.
 */
static void bench_irqfd(struct test_dev *d)
{
	uint64_t ns = bench_writes(d->irqfd, d->bench, "the test device's irqfd");

	if (!ns) {
		info("bench: irqfd injection: FAILED: a write to the irqfd failed");
		d->bench_failed = true;
		return;
	}
	info("bench: irqfd injection: %" PRIu64 " ns per injection over %" PRIu64
	     " injections (= instructions under -icount shift=0)", ns / d->bench, d->bench);
	bench_eventfd_write(d->bench);
}

/*
 * The guest's timed loops, each of d->bench accesses between two writes of
 * BENCH. Under QEMU -icount shift=0 on one CPU a nanosecond is an
 * instruction.
 *
 * START to END: ID reads, each an MMIO exit to this VMM and back.
 * NOTIFY_START to NOTIFY_END: NOTIFY writes, each signalling notify_fd in
 * the kernel and resuming the vCPU there; nobody reads notify_fd in
 * between, so its counter must then be exactly d->bench.
 */
static void bench_mark(struct test_dev *d, uint64_t mark)
{
	uint64_t ns, count;

	if (!d->bench)
		return;
	switch (mark) {
	case TEST_BENCH_START:
		d->bench_start = now_ns();
		break;
	case TEST_BENCH_END:
		if (!d->bench_start)
			break;
		ns = now_ns() - d->bench_start;
		info("bench: MMIO exit round trip to the VMM: %" PRIu64 " ns per exit over %" PRIu64
		     " exits (= instructions under -icount shift=0)", ns / d->bench, d->bench);
		d->bench_start = 0;
		break;
	case TEST_BENCH_NOTIFY_START:
		eventfd_take(d->notify_fd);
		d->notify_exits = 0;
		d->bench_start = now_ns();
		break;
	case TEST_BENCH_NOTIFY_END:
		if (!d->bench_start)
			break;
		ns = now_ns() - d->bench_start;
		d->bench_start = 0;
		count = eventfd_take(d->notify_fd);
		if (count == d->bench) {
			info("bench: ioeventfd notification: %" PRIu64 " ns per write over %" PRIu64
			     " writes (= instructions under -icount shift=0)", ns / d->bench, d->bench);
		} else {
			info("bench: ioeventfd notification: FAILED: the eventfd counted %" PRIu64
			     " of %" PRIu64 " writes (%" PRIu64 " came as MMIO exits)",
			     count, d->bench, d->notify_exits);
			d->bench_failed = true;
		}
		bench_irqfd(d);
		break;
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
	case TEST_DEV_KICK:
		/* The ioeventfd missed it (or is missing): same interrupt */
		d->kick_exits++;
		eventfd_signal(d->irqfd, "the test device's irqfd");
		break;
	case TEST_DEV_NOTIFY:
		d->notify_exits++;
		break;
	default:
		/* ID, ECHO, LAST_UNHANDLED are read-only */
		break;
	}
}

/* ---------------------------------------------------------------------- */
/* virtio-mmio console (called with vmm.lock held)                        */

/*
 * Everything the driver puts in the registers or the rings is untrusted:
 * each address goes through guest_ptr(), each index is checked against the
 * queue size, each ring field is read once (the driver may change it under
 * us). A driver that breaks the rules gets NEEDS_RESET, and the queues
 * stop until it resets the device.
 */

/* A descriptor, read once and converted from little-endian */
struct vq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

/* @len bytes of guest RAM at @ipa, or NULL if any of them is outside */
static void *guest_ptr(uint64_t ipa, uint64_t len)
{
	uint64_t off = ipa - vmm.ram_base;

	if (ipa < vmm.ram_base || off > vmm.ram_size || len > vmm.ram_size - off)
		return NULL;
	return vmm.ram + off;
}

static uint16_t ring_load16(const __virtio16 *p)
{
	return le16toh(__atomic_load_n(p, __ATOMIC_RELAXED));
}

static struct vq_desc read_desc(const struct virtq *q, uint16_t i)
{
	const struct vring_desc *d = &q->desc[i];

	return (struct vq_desc){
		.addr = le64toh(__atomic_load_n(&d->addr, __ATOMIC_RELAXED)),
		.len = le32toh(__atomic_load_n(&d->len, __ATOMIC_RELAXED)),
		.flags = le16toh(__atomic_load_n(&d->flags, __ATOMIC_RELAXED)),
		.next = le16toh(__atomic_load_n(&d->next, __ATOMIC_RELAXED)),
	};
}

/*
 * Set InterruptStatus bits; ring the doorbell if one of them is new. The
 * LEVEL irqfd's doorbell acks itself when the guest takes the interrupt,
 * so one signal per new bit is the rule: the guest's handler reads
 * InterruptStatus and ACKs what it read, and a bit set after that ACK is
 * new again.
 */
static void vcon_raise(struct virtio_console *c, uint32_t bits)
{
	uint32_t new = bits & ~c->isr;

	c->isr |= bits;
	if (!new)
		return;
	c->interrupts++;
	eventfd_signal(c->irqfd, "the virtio console's irqfd");
}

/* The driver broke the rules: stop the queues, ask for a reset */
static void __printf(2, 3) vcon_fail(struct virtio_console *c, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	if (c->status & VIRTIO_CONFIG_S_NEEDS_RESET)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	info("virtio-console: %s; the device needs a reset", msg);
	c->status |= VIRTIO_CONFIG_S_NEEDS_RESET;
	vcon_raise(c, VIRTIO_MMIO_INT_CONFIG);
}

static void vcon_reset(struct virtio_console *c)
{
	unsigned int i;

	c->status = 0;
	c->isr = 0;
	c->dev_features_sel = 0;
	c->drv_features_sel = 0;
	c->drv_features = 0;
	c->queue_sel = 0;
	for (i = 0; i < VCON_NR_QUEUES; i++)
		c->vq[i] = (struct virtq){ .notify_fd = c->vq[i].notify_fd };
}

/* QueueReady = 1: check what the driver configured, find the rings */
static void vcon_queue_enable(struct virtio_console *c, unsigned int idx)
{
	struct virtq *q = &c->vq[idx];
	uint64_t n = q->num;

	if (!n || n > VCON_QUEUE_NUM_MAX || (n & (n - 1))) {
		vcon_fail(c, "queue %u: size %" PRIu64 " is not a power of 2 up to %u", idx, n,
			  VCON_QUEUE_NUM_MAX);
		return;
	}
	if (q->desc_addr % VRING_DESC_ALIGN_SIZE || q->avail_addr % VRING_AVAIL_ALIGN_SIZE ||
	    q->used_addr % VRING_USED_ALIGN_SIZE) {
		vcon_fail(c, "queue %u: misaligned rings", idx);
		return;
	}
	/* Without VIRTIO_F_EVENT_IDX the rings end with their last entry */
	q->desc = guest_ptr(q->desc_addr, n * sizeof(q->desc[0]));
	q->avail = guest_ptr(q->avail_addr, sizeof(*q->avail) + n * sizeof(q->avail->ring[0]));
	q->used = guest_ptr(q->used_addr, sizeof(*q->used) + n * sizeof(q->used->ring[0]));
	if (!q->desc || !q->avail || !q->used) {
		vcon_fail(c, "queue %u: rings at %#" PRIx64 ", %#" PRIx64 ", %#" PRIx64
			  " not all in guest RAM", idx, q->desc_addr, q->avail_addr, q->used_addr);
		return;
	}
	q->last_avail = 0;
	q->used_idx = 0;
	q->ready = true;
}

/*
 * Copy one chain of the transmitq to stdout; false if it is malformed.
 * Device-writable descriptors have nothing to say in an output queue and
 * are skipped. No VIRTIO_F_INDIRECT_DESC was offered: no indirect ones.
 */
static bool vcon_tx_chain(struct virtio_console *c, struct virtq *q, uint16_t head)
{
	uint16_t i = head;
	uint32_t n;

	for (n = 1;; n++) {
		struct vq_desc d;
		const void *buf;

		if (i >= q->num) {
			vcon_fail(c, "transmitq: descriptor %u in a queue of %u", i, q->num);
			return false;
		}
		d = read_desc(q, i);
		if (d.flags & VRING_DESC_F_INDIRECT) {
			vcon_fail(c, "transmitq: descriptor %u is indirect, a feature not offered", i);
			return false;
		}
		if (!(d.flags & VRING_DESC_F_WRITE)) {
			buf = guest_ptr(d.addr, d.len);
			if (!buf) {
				vcon_fail(c, "transmitq: descriptor %u: %u bytes at %#" PRIx64
					  " are not all in guest RAM", i, d.len, d.addr);
				return false;
			}
			console_write(buf, d.len);
			c->bytes_out += d.len;
		}
		if (!(d.flags & VRING_DESC_F_NEXT))
			return true;
		/* A chain cannot hold more descriptors than the table: a loop */
		if (n == q->num) {
			vcon_fail(c, "transmitq: the chain from descriptor %u does not end", head);
			return false;
		}
		i = d.next;
	}
}

/*
 * Fill one chain of the receiveq with input; the bytes written, or -1 if
 * the chain is malformed. Device-readable descriptors have no place in an
 * input queue.
 */
static int64_t vcon_rx_chain(struct virtio_console *c, struct virtq *q, uint16_t head)
{
	uint16_t i = head;
	uint32_t n, chunk;
	int64_t written = 0;

	for (n = 1;; n++) {
		struct vq_desc d;
		void *buf;

		if (i >= q->num) {
			vcon_fail(c, "receiveq: descriptor %u in a queue of %u", i, q->num);
			return -1;
		}
		d = read_desc(q, i);
		if ((d.flags & VRING_DESC_F_INDIRECT) || !(d.flags & VRING_DESC_F_WRITE)) {
			vcon_fail(c, "receiveq: descriptor %u is not a plain device-writable one", i);
			return -1;
		}
		buf = guest_ptr(d.addr, d.len);
		if (!buf) {
			vcon_fail(c, "receiveq: descriptor %u: %u bytes at %#" PRIx64
				  " are not all in guest RAM", i, d.len, d.addr);
			return -1;
		}
		chunk = d.len < c->input_len ? d.len : (uint32_t)c->input_len;
		memcpy(buf, c->input, chunk);
		c->input += chunk;
		c->input_len -= chunk;
		written += chunk;
		if (!(d.flags & VRING_DESC_F_NEXT) || !c->input_len)
			return written;
		if (n == q->num) {
			vcon_fail(c, "receiveq: the chain from descriptor %u does not end", head);
			return -1;
		}
		i = d.next;
	}
}

/*
 * Give back what vcon_process() took: the used ring entries first, then
 * used->idx with release semantics, so the driver (another CPU) that sees
 * the index also sees the entries. Then interrupt, unless the driver said
 * it does not want one. The full barrier orders our used->idx store
 * before the load of avail->flags, against the driver's mirror-image
 * sequence (it clears NO_INTERRUPT, then reads used->idx).
 */
static void vcon_publish_used(struct virtio_console *c, struct virtq *q)
{
	__atomic_store_n(&q->used->idx, htole16(q->used_idx), __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (ring_load16(&q->avail->flags) & VRING_AVAIL_F_NO_INTERRUPT)
		return;
	vcon_raise(c, VIRTIO_MMIO_INT_VRING);
}

static void vq_push_used(struct virtq *q, uint16_t head, uint32_t len)
{
	struct vring_used_elem *e = &q->used->ring[q->used_idx % q->num];

	__atomic_store_n(&e->id, htole32(head), __ATOMIC_RELAXED);
	__atomic_store_n(&e->len, htole32(len), __ATOMIC_RELAXED);
	q->used_idx++;
}

/*
 * Take what the driver made available on queue @idx: all of the
 * transmitq; of the receiveq as many buffers as the pending input fills.
 * Buffers of the receiveq wait with the device for input, or until the
 * driver resets it.
 */
static void vcon_process(struct virtio_console *c, unsigned int idx)
{
	struct virtq *q = &c->vq[idx];
	uint16_t avail_idx, head;
	bool taken = false;
	int64_t written;

	if (!q->ready || !(c->status & VIRTIO_CONFIG_S_DRIVER_OK) ||
	    (c->status & VIRTIO_CONFIG_S_NEEDS_RESET))
		return;
	if (idx == VCON_RXQ && !c->input_len)
		return;
	/* Acquire: the ring entries and buffers written before the index */
	avail_idx = le16toh(__atomic_load_n(&q->avail->idx, __ATOMIC_ACQUIRE));
	if ((uint16_t)(avail_idx - q->last_avail) > q->num) {
		vcon_fail(c, "%s: avail idx %u is more than %u entries past %u",
			  idx == VCON_TXQ ? "transmitq" : "receiveq", avail_idx, q->num,
			  q->last_avail);
		return;
	}
	while (q->last_avail != avail_idx) {
		head = ring_load16(&q->avail->ring[q->last_avail % q->num]);
		if (idx == VCON_TXQ) {
			if (!vcon_tx_chain(c, q, head))
				break;
			/* We wrote nothing into the chain's buffers: length 0 */
			written = 0;
		} else {
			if (!c->input_len)
				break;
			written = vcon_rx_chain(c, q, head);
			if (written < 0)
				break;
			c->bytes_in += written;
		}
		vq_push_used(q, head, (uint32_t)written);
		q->last_avail++;
		taken = true;
	}
	if (taken)
		vcon_publish_used(c, q);

	/* The driver's first output: its port is open, answer it */
	if (idx == VCON_TXQ && taken && !c->greeted) {
		c->greeted = true;
		c->input = VCON_GREETING;
		c->input_len = strlen(VCON_GREETING);
		vcon_process(c, VCON_RXQ);
	}
}

/*
 * Status: 0 resets the device. When the driver sets FEATURES_OK, check
 * that it took only features we offered, and VERSION_1, which a
 * Version 2 device cannot work without; if not, FEATURES_OK does not
 * stick, which is how the driver learns it. DRIVER_OK lets the queues go:
 * buffers made available before it are taken now.
 */
static void vcon_set_status(struct virtio_console *c, uint32_t val)
{
	uint32_t old = c->status;
	unsigned int i;

	if (!val) {
		vcon_reset(c);
		return;
	}
	c->probed = true;
	if ((val & VIRTIO_CONFIG_S_FEATURES_OK) && !(old & VIRTIO_CONFIG_S_FEATURES_OK) &&
	    ((c->drv_features & ~VCON_FEATURES) ||
	     !(c->drv_features & (1ULL << VIRTIO_F_VERSION_1)))) {
		info("virtio-console: the driver accepts features %#" PRIx64 " of %#llx; FEATURES_OK refused",
		     c->drv_features, VCON_FEATURES);
		val &= ~VIRTIO_CONFIG_S_FEATURES_OK;
	}
	/* NEEDS_RESET is the device's, until the reset */
	c->status = (val & ~VIRTIO_CONFIG_S_NEEDS_RESET) | (old & VIRTIO_CONFIG_S_NEEDS_RESET);
	if ((val & VIRTIO_CONFIG_S_DRIVER_OK) && !(old & VIRTIO_CONFIG_S_DRIVER_OK))
		for (i = 0; i < VCON_NR_QUEUES; i++)
			vcon_process(c, i);
}

static struct virtq *vcon_selected(struct virtio_console *c)
{
	return c->queue_sel < VCON_NR_QUEUES ? &c->vq[c->queue_sel] : NULL;
}

/* One half of a 64-bit value that the registers take 32 bits at a time */
static void set_half(uint64_t *reg, bool high, uint32_t val)
{
	if (high)
		*reg = (*reg & 0xffffffffULL) | (uint64_t)val << 32;
	else
		*reg = (*reg & ~0xffffffffULL) | val;
}

static uint32_t vcon_read(struct virtio_console *c, uint64_t off)
{
	struct virtq *q = vcon_selected(c);

	switch (off) {
	case VIRTIO_MMIO_MAGIC_VALUE:
		return VIRTIO_MMIO_MAGIC;
	case VIRTIO_MMIO_VERSION:
		return VIRTIO_MMIO_VERSION_2;
	case VIRTIO_MMIO_DEVICE_ID:
		return VIRTIO_ID_CONSOLE;
	case VIRTIO_MMIO_VENDOR_ID:
		return VCON_VENDOR_ID;
	case VIRTIO_MMIO_DEVICE_FEATURES:
		if (c->dev_features_sel > 1)
			return 0;
		return (uint32_t)(VCON_FEATURES >> (32 * c->dev_features_sel));
	case VIRTIO_MMIO_QUEUE_NUM_MAX:
		return q ? VCON_QUEUE_NUM_MAX : 0;	/* 0: no such queue */
	case VIRTIO_MMIO_QUEUE_READY:
		return q && q->ready;
	case VIRTIO_MMIO_INTERRUPT_STATUS:
		return c->isr;
	case VIRTIO_MMIO_STATUS:
		return c->status;
	case VIRTIO_MMIO_SHM_LEN_LOW:
	case VIRTIO_MMIO_SHM_LEN_HIGH:
		return ~0U;	/* no shared memory regions */
	case VIRTIO_MMIO_CONFIG_GENERATION:
		return 0;	/* the config space never changes */
	default:
		return 0;
	}
}

static void vcon_write(struct virtio_console *c, uint64_t off, uint32_t val)
{
	struct virtq *q = vcon_selected(c);
	/* A queue's parameters are fixed while it is ready */
	struct virtq *cfg = q && !q->ready ? q : NULL;

	switch (off) {
	case VIRTIO_MMIO_DEVICE_FEATURES_SEL:
		c->dev_features_sel = val;
		break;
	case VIRTIO_MMIO_DRIVER_FEATURES:
		if (c->drv_features_sel < 2 && !(c->status & VIRTIO_CONFIG_S_FEATURES_OK))
			set_half(&c->drv_features, c->drv_features_sel, val);
		break;
	case VIRTIO_MMIO_DRIVER_FEATURES_SEL:
		c->drv_features_sel = val;
		break;
	case VIRTIO_MMIO_QUEUE_SEL:
		c->queue_sel = val;
		break;
	case VIRTIO_MMIO_QUEUE_NUM:
		if (cfg)
			cfg->num = val;
		break;
	case VIRTIO_MMIO_QUEUE_READY:
		if (q && (val & 1) && !q->ready)
			vcon_queue_enable(c, c->queue_sel);
		else if (q && !(val & 1))
			q->ready = false;
		break;
	case VIRTIO_MMIO_QUEUE_NOTIFY:
		/* The ioeventfds take 4-byte writes of 0 and 1: not these */
		c->notify_exits++;
		if (val < VCON_NR_QUEUES)
			vcon_process(c, val);
		break;
	case VIRTIO_MMIO_INTERRUPT_ACK:
		c->isr &= ~val;
		break;
	case VIRTIO_MMIO_STATUS:
		vcon_set_status(c, val);
		break;
	case VIRTIO_MMIO_QUEUE_DESC_LOW:
	case VIRTIO_MMIO_QUEUE_DESC_HIGH:
		if (cfg)
			set_half(&cfg->desc_addr, off == VIRTIO_MMIO_QUEUE_DESC_HIGH, val);
		break;
	case VIRTIO_MMIO_QUEUE_AVAIL_LOW:
	case VIRTIO_MMIO_QUEUE_AVAIL_HIGH:
		if (cfg)
			set_half(&cfg->avail_addr, off == VIRTIO_MMIO_QUEUE_AVAIL_HIGH, val);
		break;
	case VIRTIO_MMIO_QUEUE_USED_LOW:
	case VIRTIO_MMIO_QUEUE_USED_HIGH:
		if (cfg)
			set_half(&cfg->used_addr, off == VIRTIO_MMIO_QUEUE_USED_HIGH, val);
		break;
	default:
		/* Read-only registers, and those of features we lack */
		break;
	}
}

/*
 * An MMIO access to the console, @off from its base; false if it is not
 * one the device takes. The registers below the config space take only
 * aligned 32-bit accesses (virtio 1.2, 4.2.2.2). The config space (struct
 * virtio_console_config) reads 0: no size, no MULTIPORT. A write to its
 * emerg_wr prints the character, as VIRTIO_CONSOLE_F_EMERG_WRITE would;
 * we do not offer it, so drivers do not use it.
 */
static bool vcon_mmio(uint64_t off, uint32_t len, bool write, uint64_t *val)
{
	struct virtio_console *c = &vmm.vcon;
	const uint64_t emerg_wr = VIRTIO_MMIO_CONFIG +
				  offsetof(struct virtio_console_config, emerg_wr);

	if (off >= VIRTIO_MMIO_CONFIG) {
		if (!write) {
			*val = 0;
		} else if (off == emerg_wr) {
			console_putc(*val & 0xff);
			c->bytes_out++;
		}
		return true;
	}
	if (len != 4 || off % 4)
		return false;
	if (write)
		vcon_write(c, off, *val);
	else
		*val = vcon_read(c, off);
	return true;
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
	} else if (in_range(addr, len, GUEST_VIRTIO_CON_BASE, GUEST_VIRTIO_CON_SIZE)) {
		if (!vcon_mmio(addr - GUEST_VIRTIO_CON_BASE, len, write, &val)) {
			log_unhandled(v, addr, len, write, val);
			val = 0;
		}
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

/*
 * Record why the VM stops, if nothing has yet, and wake up main(). @v is
 * NULL for an error outside the vCPU threads.
 */
static void vmm_stop(struct vcpu *v, enum stop_kind kind)
{
	pthread_mutex_lock(&vmm.lock);
	if (vmm.stop == STOP_NONE) {
		vmm.stop = kind;
		vmm.stop_vcpu = v ? v->id : 0;
		if (kind == STOP_STATUS)
			vmm.stop_run = *v->run;
		pthread_cond_signal(&vmm.stopped);
	}
	pthread_mutex_unlock(&vmm.lock);
}

/* --bench-start: the first exit of vCPU 0 ends the VM's start. */
static void bench_start_report(void)
{
	uint64_t ns = now_ns() - vmm.start_ns;

	vmm.start_ns = 0;
	info("bench: VM start to first exit, %" PRIu64 " MiB, %s: %" PRIu64
	     " ns per start (= instructions under -icount shift=0)", vmm.ram_size / SZ_1M,
	     vmm.ram_pages, ns);
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
		if (v->id == 0 && vmm.start_ns)
			bench_start_report();
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

/* ---------------------------------------------------------------------- */
/* The I/O thread                                                         */

/*
 * @n KICK writes came through the ioeventfd: one interrupt each. The guest
 * waits for each interrupt before its next KICK, so n is normally 1.
 */
static void test_dev_kicked(uint64_t n)
{
	uint64_t i;

	pthread_mutex_lock(&vmm.lock);
	vmm.dev.kicks += n;
	pthread_mutex_unlock(&vmm.lock);
	for (i = 0; i < n; i++)
		eventfd_signal(vmm.dev.irqfd, "the test device's irqfd");
}

/* @n QueueNotify writes with the queue's index came through its ioeventfd */
static void vcon_notified(unsigned int idx, uint64_t n)
{
	pthread_mutex_lock(&vmm.lock);
	vmm.vcon.notifications += n;
	vcon_process(&vmm.vcon, idx);
	pthread_mutex_unlock(&vmm.lock);
}

/*
 * Waits for the ioeventfds the kernel signals when the guest writes a
 * device's doorbell register, and does the device's work: the vCPU that
 * wrote it went on without an exit. Reading an eventfd resets its
 * counter, so one wake-up may stand for several writes. Ends when main()
 * writes io_stop_fd, once the vCPUs have stopped; what was signalled by
 * then is still handled. NOTIFY's eventfd is not here: only the benchmark
 * reads it.
 */
static void *io_thread(void *arg)
{
	enum { IO_STOP, IO_KICK, IO_VCON_QUEUE, IO_NR = IO_VCON_QUEUE + VCON_NR_QUEUES };
	struct pollfd fds[IO_NR] = {
		[IO_STOP] = { .fd = vmm.io_stop_fd },
		[IO_KICK] = { .fd = vmm.dev.kick_fd },
	};
	bool stop = false;
	unsigned int i;

	(void)arg;
	for (i = 0; i < VCON_NR_QUEUES; i++)
		fds[IO_VCON_QUEUE + i].fd = vmm.vcon.vq[i].notify_fd;
	for (i = 0; i < IO_NR; i++)
		fds[i].events = POLLIN;

	while (!stop) {
		if (poll(fds, IO_NR, -1) < 0) {
			if (errno == EINTR)
				continue;
			info("I/O thread: poll: %s", strerror(errno));
			vmm_stop(NULL, STOP_ERROR);
			break;
		}
		stop = fds[IO_STOP].revents & POLLIN;
		if (fds[IO_KICK].revents & POLLIN)
			test_dev_kicked(eventfd_take(fds[IO_KICK].fd));
		for (i = 0; i < VCON_NR_QUEUES; i++)
			if (fds[IO_VCON_QUEUE + i].revents & POLLIN)
				vcon_notified(i, eventfd_take(fds[IO_VCON_QUEUE + i].fd));
	}
	return NULL;
}

static void start_io_thread(void)
{
	int err = pthread_create(&vmm.io_thread, NULL, io_thread, NULL);

	if (err) {
		errno = err;
		die_errno(NULL, "pthread_create for the I/O thread");
	}
	vmm.io_running = true;
}

static void stop_io_thread(void)
{
	struct timespec deadline;

	if (!vmm.io_running)
		return;
	eventfd_signal(vmm.io_stop_fd, "the I/O thread's stop eventfd");
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 5;
	if (pthread_timedjoin_np(vmm.io_thread, NULL, &deadline))
		info("the I/O thread does not stop; exiting anyway");
	vmm.io_running = false;
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

/* Print how the VM ended (a STATUS exit); 0 for a power-off */
static int report_exit(void)
{
	const struct gunyah_vcpu_run *run = &vmm.stop_run;
	const struct gunyah_vm_exit_info *ei = &run->status.exit_info;
	unsigned int i, n = ei->reason_size;
	char reason[3 * GUNYAH_VM_MAX_EXIT_REASON_SIZE + 16] = "";
	const char *what;
	int ret = 1;

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
	return ret;
}

/*
 * What the devices saw, for the tests: which path each notification and
 * interrupt took. False if the test device reports a failure.
 */
static bool report_devices(void)
{
	const struct test_dev *d = &vmm.dev;
	const struct virtio_console *c = &vmm.vcon;
	bool ok = true;

	if (d->used) {
		info("test device: %u checks passed, result %s%#" PRIx64, d->nr_checks,
		     d->result_written ? "" : "never written, ", d->result);
		if (!d->result_written || d->result || d->echo_mismatches)
			ok = false;
	}
	if (d->kicks || d->kick_exits)
		info("test device: %" PRIu64 " KICKs through the ioeventfd, %" PRIu64
		     " as MMIO exits", d->kicks, d->kick_exits);
	if (d->bench_failed)
		ok = false;
	if (c->probed)
		info("virtio-console: %" PRIu64 " bytes out, %" PRIu64 " bytes in, %" PRIu64
		     " notifications through ioeventfd, %" PRIu64 " interrupts through irqfd, %"
		     PRIu64 " notifications as MMIO exits", c->bytes_out, c->bytes_in,
		     c->notifications, c->interrupts, c->notify_exits);
	return ok;
}

/* Print how the VM ended; returns the exit status of the VMM */
static int report_stop(void)
{
	int ret = 1;

	if (!vmm.stdout_at_line_start)
		putchar('\n');
	if (vmm.stop == STOP_STATUS)
		ret = report_exit();
	if (!report_devices())
		ret = 1;
	return ret;
}

/* ---------------------------------------------------------------------- */
/* The VM                                                                 */

/*
 * Private anonymous memory at a 2 MiB boundary, which the kernel backs
 * with huge pages where it can (MADV_HUGEPAGE): pinned, each is one
 * physically contiguous range of the memory parcel, and the hypervisor
 * can map it with one stage-2 block.
 */
static void *alloc_guest_ram_huge(uint64_t size)
{
	uint8_t *mem, *aligned;
	size_t head;

	mem = mmap(NULL, size + SZ_2M, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		   -1, 0);
	if (mem == MAP_FAILED)
		die_errno(NULL, "mmap of %" PRIu64 " MiB of guest RAM", size / SZ_1M);
	aligned = (uint8_t *)ALIGN_UP((uintptr_t)mem, SZ_2M);
	head = aligned - mem;
	if (head)
		munmap(mem, head);
	munmap(aligned + size, SZ_2M - head);
	if (madvise(aligned, size, MADV_HUGEPAGE))
		die_errno("(a kernel without CONFIG_TRANSPARENT_HUGEPAGE?)",
			  "--hugepages: madvise(MADV_HUGEPAGE)");
	return aligned;
}

/*
 * Fault fresh guest RAM in from here, a write to each page, before the
 * kernel pins it: a write fault costs about 3,300 instructions per 4 KiB
 * page of a memfd, pin_user_pages()'s fault-in about 4,400 and
 * MADV_POPULATE_WRITE, which faults in the same way, 4,100 (under QEMU
 * -icount). Pinning then finds every page present. The pages are zero:
 * writing zero keeps them so.
 */
static void prefault_guest_ram(void *ram, uint64_t size)
{
	uint64_t page = (uint64_t)getpagesize(), off;
	uint8_t *p = ram;

	/* Atomic: a store the compiler must keep, though nothing reads it */
	for (off = 0; off < size; off += page)
		__atomic_store_n(&p[off], 0, __ATOMIC_RELAXED);
}

static void *alloc_guest_ram(uint64_t size, bool hugepages)
{
	void *mem;
	int fd;

	if (hugepages)
		return alloc_guest_ram_huge(size);

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

/*
 * The eventfds behind the devices' interrupts and notifications. The
 * irqfds must exist before GUNYAH_VM_START, which binds them to their
 * doorbells; the ioeventfds could come later, but the guest may write
 * their registers as soon as it runs. The eventfds the I/O thread or the
 * benchmark read are non-blocking: an empty one reads as no event.
 */
static void add_device_eventfds(int vm)
{
	static const char * const queue_names[VCON_NR_QUEUES] = {
		[VCON_RXQ] = "the virtio console's receiveq notification",
		[VCON_TXQ] = "the virtio console's transmitq notification",
	};
	struct test_dev *d = &vmm.dev;
	struct virtio_console *c = &vmm.vcon;
	unsigned int i;

	vmm.io_stop_fd = new_eventfd("the I/O thread", EFD_NONBLOCK);

	d->irqfd = new_eventfd("the test device's interrupt", 0);
	add_irqfd(vm, d->irqfd, GUEST_TEST_DEV_BELL, false, "the test device");
	d->kick_fd = new_eventfd("KICK", EFD_NONBLOCK);
	add_ioeventfd(vm, d->kick_fd, GUEST_TEST_DEV_BASE + TEST_DEV_KICK, 0, false, 0,
		      "the test device's KICK");
	d->notify_fd = new_eventfd("NOTIFY", EFD_NONBLOCK);
	add_ioeventfd(vm, d->notify_fd, GUEST_TEST_DEV_BASE + TEST_DEV_NOTIFY, 0, false, 0,
		      "the test device's NOTIFY");

	c->irqfd = new_eventfd("the virtio console's interrupt", 0);
	add_irqfd(vm, c->irqfd, GUEST_VIRTIO_CON_BELL, true, "the virtio console");
	/* Linux's virtio_mmio notifies with a 4-byte write of the queue index */
	for (i = 0; i < VCON_NR_QUEUES; i++) {
		c->vq[i].notify_fd = new_eventfd(queue_names[i], EFD_NONBLOCK);
		add_ioeventfd(vm, c->vq[i].notify_fd,
			      GUEST_VIRTIO_CON_BASE + VIRTIO_MMIO_QUEUE_NOTIFY, 4, true, i,
			      queue_names[i]);
	}
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
	if (o.bench_start)
		vmm.start_ns = now_ns();
	vmm.ram_pages = o.hugepages ? "huge pages" : "4 KiB pages";
	ram = alloc_guest_ram(l.size, o.hugepages);
	prefault_guest_ram(ram, l.size);
	memcpy(ram + (l.kernel_addr - l.base), image, image_size);
	if (initrd)
		memcpy(ram + (l.initrd_addr - l.base), initrd, initrd_size);
	memcpy(ram + (l.dtb_addr - l.base), dtb, fdt_totalsize(dtb));
	free(image);
	free(initrd);
	vmm.ram = ram;
	vmm.ram_base = l.base;
	vmm.ram_size = l.size;

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
	add_device_eventfds(vmm.vm_fd);

	if (ioctl(vmm.vm_fd, GUNYAH_VM_START, 0))
		die_errno(errno == EINVAL ? "(the Resource Manager refused the configuration?)" :
			  NULL, "GUNYAH_VM_START");

	/* No SA_RESTART: a kick ends GUNYAH_VCPU_RUN with EINTR */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL))
		die_errno(NULL, "sigaction");
	vmm.dev.rng = (uint64_t)time(NULL) << 20 ^ (uint64_t)getpid() ^ 0x9e3779b97f4a7c15ULL;
	vmm.dev.bench = o.bench;
	start_io_thread();

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
	stop_io_thread();
	return report_stop();
}
