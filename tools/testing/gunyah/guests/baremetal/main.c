// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bare-metal test guest for Gunyah VMs: checks MMIO exits through the VMM,
 * PSCI, the virtual GIC, the virtual timer and the test device's interrupt
 * (an ioeventfd and an irqfd in the VMM), prints one TAP-like line per
 * check on the PL011 ("[baremetal] ok N - what"), reports to the test
 * device (../test_device.h) and powers off with PSCI SYSTEM_OFF.
 *
 * It runs at EL1 with the MMU off: every data access is Device-nGnRnE, so
 * the code is built with -mstrict-align, and RAM is coherent between the
 * vCPUs without any cache maintenance. Only the boot vCPU prints.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../test_device.h"
#include "guest.h"

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;

#define BIT(n)			(1UL << (n))

/* PL011 */
#define UART_DR			0x00
#define UART_FR			0x18
#define UART_FR_TXFF		BIT(5)

/* PSCI function IDs (SMC32 for those without a 64-bit form) */
#define PSCI_VERSION		0x84000000U
#define PSCI_CPU_OFF		0x84000002U
#define PSCI_CPU_ON		0xc4000003U
#define PSCI_AFFINITY_INFO	0xc4000004U
#define PSCI_SYSTEM_OFF		0x84000008U
#define PSCI_AFFINITY_OFF	1

/* GICv3 distributor */
#define GICD_CTLR		0x0000
#define GICD_TYPER		0x0004
#define GICD_IGROUPR		0x0080
#define GICD_ISENABLER		0x0100
#define GICD_ICENABLER		0x0180
#define GICD_ISPENDR		0x0200
#define GICD_ICPENDR		0x0280
#define GICD_IPRIORITYR		0x0400
#define GICD_ICFGR		0x0c00
#define GICD_IROUTER		0x6000
#define GICD_PIDR2		0xffe8
#define GICD_CTLR_RWP		BIT(31)
#define GICD_CTLR_ARE		BIT(4)
#define GICD_CTLR_ENABLE_G1	BIT(1)	/* EnableGrp1 (one security state) */
#define GICD_CTLR_ENABLE_G0	BIT(0)	/* EnableGrp0, or EnableGrp1NS */

/* GICv3 redistributor: RD_base frame, then SGI_base frame */
#define GICR_CTLR		0x0000
#define GICR_TYPER		0x0008
#define GICR_WAKER		0x0014
#define GICR_CTLR_RWP		BIT(3)
#define GICR_TYPER_LAST		BIT(4)
#define GICR_WAKER_PS		BIT(1)	/* ProcessorSleep */
#define GICR_WAKER_CA		BIT(2)	/* ChildrenAsleep */
#define GICR_SGI_BASE		0x10000
#define GICR_IGROUPR0		0x0080
#define GICR_ISENABLER0		0x0100
#define GICR_ICENABLER0		0x0180
#define GICR_ICPENDR0		0x0280
#define GICR_IPRIORITYR0	0x0400
#define GIC_PIDR2_ARCH(v)	(((v) >> 4) & 0xf)
#define GIC_PRIORITY		0xa0

#define INTID_VTIMER		27
#define INTID_TEST_DEV		(32 + GUEST_TEST_DEV_SPI)
#define INTID_SPECIAL		1020	/* 1020..1023: spurious and friends */
#define NR_SGIS			6	/* more than the 4 list registers */
/* MPIDR_EL1 bits that GICD_IROUTER has too (Aff3, Aff2..0; not bit 31) */
#define MPIDR_AFFINITY		0xff00ffffffUL

/* CNTV_CTL_EL0 */
#define CNTV_CTL_ENABLE		BIT(0)
#define CNTV_CTL_IMASK		BIT(1)
#define CNTV_CTL_ISTATUS	BIT(2)

/* What vCPU 1 stores in RAM, plus its index */
#define SECONDARY_MAGIC		0x5ec0d000UL

/* Flattened devicetree */
#define FDT_MAGIC		0xd00dfeedU
#define FDT_BEGIN_NODE		1
#define FDT_END_NODE		2
#define FDT_PROP		3
#define FDT_NOP			4
#define FDT_END			9

#define TEST_DEV(reg)		(GUEST_TEST_DEV_BASE + (reg))

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define __printf(a, b)		__attribute__((format(printf, a, b)))
#define __noreturn		__attribute__((noreturn))

/*
 * Data shared with the IRQ handler or the other vCPU. Plain loads and
 * stores: exclusives are not for Device memory.
 */
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

/* ---------------------------------------------------------------------- */
/* Registers                                                              */

#define read_sysreg(r) ({						\
	u64 __v;							\
	asm volatile("mrs %0, " #r : "=r" (__v) :: "memory");		\
	__v;								\
})
#define write_sysreg(v, r) ({						\
	asm volatile("msr " #r ", %x0" :: "rZ" ((u64)(v)) : "memory");	\
})

static inline void isb(void)
{
	asm volatile("isb" ::: "memory");
}

static inline void dsb_sy(void)
{
	asm volatile("dsb sy" ::: "memory");
}

static inline void wfi(void)
{
	asm volatile("wfi" ::: "memory");
}

static inline void irq_enable(void)
{
	asm volatile("msr daifclr, #2" ::: "memory");
}

static inline void irq_disable(void)
{
	asm volatile("msr daifset, #2" ::: "memory");
}

/*
 * MMIO: single loads and stores without writeback, the only accesses the
 * hypervisor can decode into an MMIO exit.
 */
static inline u8 readb(u64 a)
{
	u32 v;

	asm volatile("ldrb %w0, [%1]" : "=r" (v) : "r" (a) : "memory");
	return v;
}

static inline u16 readw(u64 a)
{
	u32 v;

	asm volatile("ldrh %w0, [%1]" : "=r" (v) : "r" (a) : "memory");
	return v;
}

static inline u32 readl(u64 a)
{
	u32 v;

	asm volatile("ldr %w0, [%1]" : "=r" (v) : "r" (a) : "memory");
	return v;
}

static inline u64 readq(u64 a)
{
	u64 v;

	asm volatile("ldr %x0, [%1]" : "=r" (v) : "r" (a) : "memory");
	return v;
}

static inline void writeb(u8 v, u64 a)
{
	asm volatile("strb %w0, [%1]" :: "rZ" (v), "r" (a) : "memory");
}

static inline void writew(u16 v, u64 a)
{
	asm volatile("strh %w0, [%1]" :: "rZ" (v), "r" (a) : "memory");
}

static inline void writel(u32 v, u64 a)
{
	asm volatile("str %w0, [%1]" :: "rZ" (v), "r" (a) : "memory");
}

static inline void writeq(u64 v, u64 a)
{
	asm volatile("str %x0, [%1]" :: "rZ" (v), "r" (a) : "memory");
}

static u64 read_n(u64 a, unsigned int size)
{
	switch (size) {
	case 1:
		return readb(a);
	case 2:
		return readw(a);
	case 4:
		return readl(a);
	default:
		return readq(a);
	}
}

static void write_n(u64 v, u64 a, unsigned int size)
{
	switch (size) {
	case 1:
		writeb(v, a);
		break;
	case 2:
		writew(v, a);
		break;
	case 4:
		writel(v, a);
		break;
	default:
		writeq(v, a);
		break;
	}
}

/* ---------------------------------------------------------------------- */
/* Library                                                                */

void *memset(void *s, int c, unsigned long n)
{
	u8 *p = s;

	while (n--)
		*p++ = c;
	return s;
}

void *memcpy(void *d, const void *s, unsigned long n)
{
	const u8 *q = s;
	u8 *p = d;

	while (n--)
		*p++ = *q++;
	return d;
}

static unsigned long str_len(const char *s)
{
	unsigned long n = 0;

	while (s[n])
		n++;
	return n;
}

static bool str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static bool str_starts(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return false;
	return true;
}

static void uart_putc(char c)
{
	while (readl(GUEST_PL011_BASE + UART_FR) & UART_FR_TXFF)
		;
	writel(c, GUEST_PL011_BASE + UART_DR);
}

static void print_num(u64 v, unsigned int base, unsigned int width, char pad, bool neg)
{
	char buf[24];
	unsigned int n = 0;

	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		buf[n++] = '-';
	while (width > n) {
		uart_putc(pad);
		width--;
	}
	while (n)
		uart_putc(buf[--n]);
}

/* %s %c %d %u %x %p, with '#', '0', a width and 'l'/'ll' */
static void vprint(const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		unsigned int width = 0, longs = 0;
		bool alt = false;
		char pad = ' ';
		const char *s;
		u64 v;
		s32 d;

		if (*fmt != '%') {
			uart_putc(*fmt);
			continue;
		}
		fmt++;
		if (*fmt == '#') {
			alt = true;
			fmt++;
		}
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + *fmt++ - '0';
		while (*fmt == 'l') {
			longs++;
			fmt++;
		}
		switch (*fmt) {
		case 's':
			s = va_arg(ap, const char *);
			while (*s)
				uart_putc(*s++);
			break;
		case 'c':
			uart_putc(va_arg(ap, int));
			break;
		case 'd':
			if (longs) {
				long l = va_arg(ap, long);

				print_num(l < 0 ? -(u64)l : (u64)l, 10, width, pad, l < 0);
			} else {
				d = va_arg(ap, int);
				print_num(d < 0 ? -(u64)d : (u64)d, 10, width, pad, d < 0);
			}
			break;
		case 'u':
		case 'x':
		case 'p':
			if (*fmt == 'p')
				v = (u64)va_arg(ap, void *);
			else
				v = longs ? va_arg(ap, u64) : va_arg(ap, unsigned int);
			if (alt || *fmt == 'p') {
				uart_putc('0');
				uart_putc('x');
			}
			print_num(v, *fmt == 'u' ? 10 : 16, width, pad, false);
			break;
		case '%':
			uart_putc('%');
			break;
		default:
			uart_putc('?');
			break;
		}
	}
}

static void print(const char *fmt, ...) __printf(1, 2);
static void print(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
}

static long psci(u32 fn, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 asm("x0") = fn;
	register u64 x1 asm("x1") = a1;
	register u64 x2 asm("x2") = a2;
	register u64 x3 asm("x3") = a3;

	asm volatile("hvc #0"
		     : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3)
		     :
		     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
		       "x13", "x14", "x15", "x16", "x17", "memory");
	/* PSCI returns an int32 in w0 */
	return (s32)x0;
}

static u64 timer_freq;

static u64 now(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

static u64 ms_to_ticks(u64 ms)
{
	return timer_freq * ms / 1000;
}

static u64 ticks_to_us(u64 ticks)
{
	return ticks * 1000000 / timer_freq;
}

static void delay_us(u64 us)
{
	u64 end = now() + timer_freq * us / 1000000;

	while (now() < end)
		;
}

/* ---------------------------------------------------------------------- */
/* Results                                                                */

static unsigned int first_failure, nr_failed;

static void result(unsigned int n, bool ok, const char *what)
{
	print("[baremetal] %sok %u - %s\n", ok ? "" : "not ", n, what);
	if (ok) {
		writeq(n, TEST_DEV(TEST_DEV_CHECK));
		return;
	}
	nr_failed++;
	if (!first_failure)
		first_failure = n;
}

/* A check this platform cannot make: not a failure (the VMM counts it as done). */
static void skip(unsigned int n, const char *what, const char *why)
{
	print("[baremetal] ok %u - %s # SKIP %s\n", n, what, why);
	writeq(n, TEST_DEV(TEST_DEV_CHECK));
}

/*
 * MMIO exits for the VMM to time, if it asks for them (make bench), then as
 * many writes to a register with an ioeventfd.
 */
static void bench_mmio(void)
{
	u64 i, n = readq(TEST_DEV(TEST_DEV_BENCH));

	if (!n)
		return;
	writeq(TEST_BENCH_START, TEST_DEV(TEST_DEV_BENCH));
	for (i = 0; i < n; i++)
		(void)readq(TEST_DEV(TEST_DEV_ID));
	writeq(TEST_BENCH_END, TEST_DEV(TEST_DEV_BENCH));

	/* The same number of writes an ioeventfd takes in the kernel */
	writeq(TEST_BENCH_NOTIFY_START, TEST_DEV(TEST_DEV_BENCH));
	for (i = 0; i < n; i++)
		writeq(i, TEST_DEV(TEST_DEV_NOTIFY));
	writeq(TEST_BENCH_NOTIFY_END, TEST_DEV(TEST_DEV_BENCH));
}

static void __noreturn power_off(u64 code)
{
	writeq(code, TEST_DEV(TEST_DEV_RESULT));
	psci(PSCI_SYSTEM_OFF, 0, 0, 0);
	print("[baremetal] PSCI SYSTEM_OFF returned\n");
	for (;;)
		wfi();
}

/* ---------------------------------------------------------------------- */
/* The platform, from the devicetree                                      */

static struct {
	u64 gicd, gicr, gicr_size;
	u64 ram_end;		/* from /memory, which the RM wrote; 0 if none */
	unsigned int nr_cpus;
	/*
	 * The test device's SPI trigger, from the interrupts property of its
	 * doorbell in the VM config: DT_TRIGGER_* or 0 if not found
	 */
	u32 test_dev_trigger;
} plat = {
	.gicd = GUEST_GICD_BASE,
	.gicr = GUEST_GICR_BASE(2),
	.gicr_size = 2 * GUEST_GICR_STRIDE,
	.nr_cpus = 2,
};

static u32 fdt32(u64 a)
{
	return __builtin_bswap32(*(const u32 *)a);
}

static u64 fdt64(u64 a)
{
	return (u64)fdt32(a) << 32 | fdt32(a + 4);
}

static bool strlist_has(const char *list, u32 len, const char *s)
{
	u32 off = 0;

	while (off < len) {
		if (str_eq(list + off, s))
			return true;
		off += str_len(list + off) + 1;
	}
	return false;
}

/* The flags cell of a GIC interrupt specifier: the trigger */
#define DT_TRIGGER_EDGE_RISING	1
#define DT_TRIGGER_LEVEL_HIGH	4

/*
 * The number of CPUs under /cpus, the GICv3 node's reg, the end of /memory
 * (2 address, 2 size cells) and the trigger of the test device's doorbell,
 * /gunyah-vm-config/vdevices/<node with label GUEST_TEST_DEV_BELL>.
 */
static void parse_dt(u64 dtb)
{
	u64 p, end, val, reg = 0;
	const char *strings, *name, *node = "";
	unsigned int depth = 0, nr_cpus = 0;
	bool is_gic = false, gic = false, is_memory = false;
	u32 tok, len, reg_len = 0;
	/* Under /gunyah-vm-config/vdevices: the current node's label and trigger */
	bool in_vdevices = false;
	u32 vdev_label = ~0U, vdev_trigger = 0;

	if (!dtb || (dtb & 7) || fdt32(dtb) != FDT_MAGIC) {
		print("[baremetal] # no devicetree at %#lx: assuming 2 vCPUs\n", dtb);
		return;
	}
	p = dtb + fdt32(dtb + 8);
	strings = (const char *)(dtb + fdt32(dtb + 12));
	end = p + fdt32(dtb + 36);
	while (p < end) {
		tok = fdt32(p);
		p += 4;
		switch (tok) {
		case FDT_BEGIN_NODE:
			name = (const char *)p;
			depth++;
			if (depth == 2) {
				node = name;
				is_gic = false;
				is_memory = str_eq(name, "memory") || str_starts(name, "memory@");
				reg_len = 0;
			}
			if (depth == 3 && str_eq(node, "cpus") && str_starts(name, "cpu@"))
				nr_cpus++;
			if (depth == 3)
				in_vdevices = str_eq(node, "gunyah-vm-config") &&
					      str_eq(name, "vdevices");
			if (depth == 4) {
				vdev_label = ~0U;
				vdev_trigger = 0;
			}
			p += (str_len(name) + 4) & ~3UL;
			break;
		case FDT_END_NODE:
			if (depth == 2 && is_gic && reg_len == 32) {
				plat.gicd = fdt64(reg);
				plat.gicr = fdt64(reg + 16);
				plat.gicr_size = fdt64(reg + 24);
				gic = true;
			}
			if (depth == 2 && is_memory && reg_len >= 16)
				plat.ram_end = fdt64(reg) + fdt64(reg + 8);
			if (depth == 4 && in_vdevices && vdev_label == GUEST_TEST_DEV_BELL)
				plat.test_dev_trigger = vdev_trigger;
			depth--;
			break;
		case FDT_PROP:
			len = fdt32(p);
			name = strings + fdt32(p + 4);
			val = p + 8;
			if (depth == 2 && str_eq(name, "compatible") &&
			    strlist_has((const char *)val, len, "arm,gic-v3"))
				is_gic = true;
			if (depth == 2 && str_eq(name, "reg")) {
				reg = val;
				reg_len = len;
			}
			if (depth == 4 && in_vdevices && str_eq(name, "label") && len == 4)
				vdev_label = fdt32(val);
			if (depth == 4 && in_vdevices && str_eq(name, "interrupts") && len == 12)
				vdev_trigger = fdt32(val + 8) & 0xf;
			p = val + ((len + 3) & ~3UL);
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			p = end;
			break;
		default:
			print("[baremetal] # devicetree: bad token %#x\n", tok);
			return;
		}
	}
	if (nr_cpus)
		plat.nr_cpus = nr_cpus;
	if (!gic)
		print("[baremetal] # devicetree: no arm,gic-v3 node, default addresses\n");
	print("[baremetal] # %u vCPUs, GICD %#lx, GICR %#lx (%#lx bytes)\n", plat.nr_cpus,
	      plat.gicd, plat.gicr, plat.gicr_size);
	if (!plat.test_dev_trigger)
		print("[baremetal] # devicetree: no doorbell with label %u, its trigger unknown\n",
		      GUEST_TEST_DEV_BELL);
}

/* ---------------------------------------------------------------------- */
/* MMIO through the VMM                                                   */

/* ESR_EL1 of a data abort taken at EL1, a synchronous external abort */
#define ESR_EC(esr)		(((esr) >> 26) & 0x3f)
#define ESR_EC_DABT_CUR		0x25
#define ESR_DFSC(esr)		((esr) & 0x3f)
#define DFSC_SYNC_EXTERNAL	0x10

/*
 * An abort the guest provokes on purpose: armed just before the access,
 * recorded by sync_abort_expected() from the exception vector, which then
 * steps over the access.
 */
static struct {
	bool armed, taken;
	u64 esr, far;
} abort_probe;

int sync_abort_expected(u64 esr, u64 elr, u64 far)
{
	(void)elr;
	if (!READ_ONCE(abort_probe.armed))
		return 0;
	WRITE_ONCE(abort_probe.armed, false);
	abort_probe.esr = esr;
	abort_probe.far = far;
	WRITE_ONCE(abort_probe.taken, true);
	return 1;
}

/*
 * An 8-byte store (or load) at @addr: true if it ended in a synchronous
 * external abort at EL1 for exactly that address, as the hypervisor
 * injects for an access outside the guest's memory and VMMIO window.
 */
static bool access_aborts(u64 addr, bool write)
{
	WRITE_ONCE(abort_probe.taken, false);
	WRITE_ONCE(abort_probe.armed, true);
	if (write)
		writeq(0x5a5a5a5a, addr);
	else
		(void)readq(addr);
	WRITE_ONCE(abort_probe.armed, false);
	if (!READ_ONCE(abort_probe.taken)) {
		print("[baremetal] # %s of %#lx: no abort\n", write ? "write" : "read", addr);
		return false;
	}
	if (ESR_EC(abort_probe.esr) != ESR_EC_DABT_CUR ||
	    ESR_DFSC(abort_probe.esr) != DFSC_SYNC_EXTERNAL || abort_probe.far != addr) {
		print("[baremetal] # %s of %#lx: ESR %#lx, FAR %#lx\n", write ? "write" : "read",
		      addr, abort_probe.esr, abort_probe.far);
		return false;
	}
	return true;
}

static void test_mmio(void)
{
	static const struct {
		unsigned int size;
		u64 value;
	} scratch_writes[] = TEST_SCRATCH_WRITES;
	static const unsigned int sizes[] = { 1, 2, 4, 8 };
	bool ok, ok8 = true, ok_sizes = true;
	u64 a, b, v, mismatches;
	unsigned int i, j;

	v = readl(TEST_DEV(TEST_DEV_ID));
	ok = v == TEST_DEV_ID_VALUE && readq(TEST_DEV(TEST_DEV_ID)) == TEST_DEV_ID_VALUE;
	result(TEST_CHECK_ID, ok, "test device ID register");
	if (!ok)
		print("[baremetal] # ID %#lx, expected %#lx\n", v, TEST_DEV_ID_VALUE);

	for (i = 0; i < ARRAY_SIZE(scratch_writes); i++) {
		unsigned int size = scratch_writes[i].size;
		u64 want = scratch_writes[i].value;

		write_n(want, TEST_DEV(TEST_DEV_SCRATCH), size);
		v = readq(TEST_DEV(TEST_DEV_SCRATCH));
		if (size == 8) {
			ok8 &= v == want;
			for (j = 0; j < 3; j++)
				ok_sizes &= read_n(TEST_DEV(TEST_DEV_SCRATCH), sizes[j]) ==
					    (want & (BIT(8 * sizes[j]) - 1));
		} else {
			ok_sizes &= v == want;
		}
		if (v != want)
			print("[baremetal] # wrote %#lx (%u bytes), read back %#lx\n", want, size,
			      v);
	}
	result(TEST_CHECK_SCRATCH, ok8, "8-byte MMIO writes and reads round-trip");
	result(TEST_CHECK_SCRATCH_SIZES, ok_sizes, "1-, 2- and 4-byte MMIO reads and writes");

	/* Each size once, then two 8-byte reads that must differ */
	a = 0;
	b = 0;
	for (i = 0; i < 6; i++) {
		unsigned int size = i < 4 ? sizes[i] : 8;

		v = read_n(TEST_DEV(TEST_DEV_ECHO), size);
		write_n(v, TEST_DEV(TEST_DEV_ECHO_BACK), size);
		if (i == 4)
			a = v;
		if (i == 5)
			b = v;
	}
	mismatches = readq(TEST_DEV(TEST_DEV_ECHO_BACK));
	ok = !mismatches && a != b;
	result(TEST_CHECK_ECHO, ok, "MMIO reads return the VMM's data, each size");
	if (!ok)
		print("[baremetal] # %lu write-backs differed; last reads %#lx, %#lx\n",
		      mismatches, a, b);

	v = readq(GUEST_UNBACKED_ADDR);
	a = readq(TEST_DEV(TEST_DEV_LAST_UNHANDLED));
	ok = !v && a == GUEST_UNBACKED_ADDR;
	/* A write there, inside the VMMIO window, goes to the VMM too */
	writeq(0x5a5a5a5a, GUEST_UNBACKED_ADDR + 8);
	b = readq(TEST_DEV(TEST_DEV_LAST_UNHANDLED));
	ok &= b == GUEST_UNBACKED_ADDR + 8;
	/*
	 * Just past the guest's RAM (the hypervisor's own memory follows it
	 * physically on this platform) is outside the window if the RAM is:
	 * a write and a read there are aborts in the guest, and the VMM sees
	 * neither. Inside the window they would be MMIO exits.
	 */
	if (!plat.ram_end) {
		print("[baremetal] # no /memory in the devicetree\n");
		ok = false;
	} else if (plat.ram_end >= GUEST_VMMIO_WINDOW_END) {
		ok &= access_aborts(plat.ram_end, true);
		ok &= access_aborts(plat.ram_end + 8, false);
		v = readq(TEST_DEV(TEST_DEV_LAST_UNHANDLED));
		ok &= v == GUEST_UNBACKED_ADDR + 8;
	} else {
		writeq(0x5a5a5a5a, plat.ram_end);
		v = readq(TEST_DEV(TEST_DEV_LAST_UNHANDLED));
		ok &= v == plat.ram_end;
	}
	result(TEST_CHECK_UNBACKED, ok,
	       "unbacked addresses: MMIO exits below 1 GiB, aborts past the RAM above");
	if (!ok)
		print("[baremetal] # last unhandled addresses %#lx, %#lx, %#lx\n", a, b, v);
}

/* ---------------------------------------------------------------------- */
/* PSCI                                                                   */

static u64 secondary_flag;

/* vCPU 1, after CPU_ON: say hello through RAM and MMIO, power off */
void secondary_main(void)
{
	u64 cpu = read_sysreg(mpidr_el1) & 0xff;

	writeq(cpu, TEST_DEV(TEST_DEV_HELLO));
	dsb_sy();
	WRITE_ONCE(secondary_flag, SECONDARY_MAGIC + cpu);
	dsb_sy();
	psci(PSCI_CPU_OFF, 0, 0, 0);
	/* CPU_OFF does not return on success */
	for (;;)
		wfi();
}

static void test_psci(void)
{
	u32 version = psci(PSCI_VERSION, 0, 0, 0);
	u64 deadline, flag = 0, hello;
	long ret, state = -1;
	bool ok;

	print("[baremetal] # PSCI version %u.%u\n", version >> 16, version & 0xffff);
	ok = !(version & BIT(31)) && (version >> 16 >= 1 || (version & 0xffff) >= 2);
	result(TEST_CHECK_PSCI_VERSION, ok, "PSCI_VERSION is 0.2 or later");

	if (plat.nr_cpus < 2) {
		skip(TEST_CHECK_CPU_ON, "PSCI CPU_ON of vCPU 1", "one vCPU");
		skip(TEST_CHECK_CPU_OFF, "PSCI CPU_OFF of vCPU 1", "one vCPU");
		return;
	}

	WRITE_ONCE(secondary_flag, 0);
	dsb_sy();
	ret = psci(PSCI_CPU_ON, 1, (u64)secondary_entry, (u64)stack1_top);
	deadline = now() + ms_to_ticks(5000);
	if (!ret) {
		while (READ_ONCE(secondary_flag) != SECONDARY_MAGIC + 1 && now() < deadline)
			delay_us(100);
		flag = READ_ONCE(secondary_flag);
	}
	hello = readq(TEST_DEV(TEST_DEV_HELLO));
	ok = !ret && flag == SECONDARY_MAGIC + 1 && (hello & BIT(1));
	result(TEST_CHECK_CPU_ON, ok,
	       "PSCI CPU_ON: vCPU 1 runs (flag in RAM, MMIO write on its own vCPU)");
	if (!ok)
		print("[baremetal] # CPU_ON returned %ld, flag %#lx, HELLO bitmap %#lx\n", ret,
		      flag, hello);

	deadline = now() + ms_to_ticks(5000);
	while (!ret && now() < deadline) {
		state = psci(PSCI_AFFINITY_INFO, 1, 0, 0);
		if (state == PSCI_AFFINITY_OFF)
			break;
		delay_us(200);
	}
	ok = !ret && state == PSCI_AFFINITY_OFF;
	result(TEST_CHECK_CPU_OFF, ok, "PSCI CPU_OFF: AFFINITY_INFO sees vCPU 1 off");
	if (!ok)
		print("[baremetal] # AFFINITY_INFO(1) = %ld\n", state);
}

/* ---------------------------------------------------------------------- */
/* GIC and timer                                                          */

/* Written by irq_handler(), on the boot vCPU */
static u32 timer_irqs, sgi_count, sgi_mask, sgi_repeats, other_irqs, spurious, dev_irqs;
static u32 other_intid;
static u64 timer_irq_at;
static bool timer_istatus;

void irq_handler(void)
{
	u64 iar = read_sysreg(icc_iar1_el1);
	u32 intid = iar & 0xffffff;

	if (intid >= INTID_SPECIAL && intid <= 1023) {
		spurious++;
		return;
	}
	if (intid == INTID_VTIMER) {
		if (!timer_irqs) {
			timer_irq_at = now();
			timer_istatus = read_sysreg(cntv_ctl_el0) & CNTV_CTL_ISTATUS;
		}
		timer_irqs++;
		/* Level triggered: mask it before the EOI */
		write_sysreg(CNTV_CTL_ENABLE | CNTV_CTL_IMASK, cntv_ctl_el0);
		isb();
	} else if (intid == INTID_TEST_DEV) {
		/* Nothing to clear in the device: its doorbell acks itself */
		dev_irqs++;
	} else if (intid < 16) {
		if (sgi_mask & BIT(intid))
			sgi_repeats++;
		sgi_mask |= BIT(intid);
		sgi_count++;
	} else {
		other_irqs++;
		other_intid = intid;
	}
	write_sysreg(iar, icc_eoir1_el1);
	isb();
}

/* Poll @reg until @bits are clear, for up to 100 ms */
static bool wait_clear(u64 reg, u32 bits)
{
	u64 deadline = now() + ms_to_ticks(100);

	while (readl(reg) & bits)
		if (now() > deadline)
			return false;
	return true;
}

static u64 mpidr_affinity(void)
{
	u64 mpidr = read_sysreg(mpidr_el1);

	return (mpidr & 0xffffff) | ((mpidr >> 32) & 0xff) << 24;
}

static bool gic_init(void)
{
	u64 aff = mpidr_affinity(), rd = 0, sgi, typer, a;
	u32 pidr2 = readl(plat.gicd + GICD_PIDR2);
	unsigned int i;

	if (GIC_PIDR2_ARCH(pidr2) != 3 && GIC_PIDR2_ARCH(pidr2) != 4) {
		print("[baremetal] # GICD_PIDR2 %#x: not a GICv3\n", pidr2);
		return false;
	}
	print("[baremetal] # GICD_TYPER %#x: %u SPIs\n", readl(plat.gicd + GICD_TYPER),
	      32 * ((readl(plat.gicd + GICD_TYPER) & 0x1f) + 1) - 32);
	writel(0, plat.gicd + GICD_CTLR);
	if (!wait_clear(plat.gicd + GICD_CTLR, GICD_CTLR_RWP))
		return false;
	writel(GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1 | GICD_CTLR_ENABLE_G0,
	       plat.gicd + GICD_CTLR);
	if (!wait_clear(plat.gicd + GICD_CTLR, GICD_CTLR_RWP)) {
		print("[baremetal] # GICD_CTLR.RWP stays set\n");
		return false;
	}

	/* Our redistributor: the frame whose affinity is our MPIDR's */
	for (a = plat.gicr; a + GICR_SGI_BASE < plat.gicr + plat.gicr_size;
	     a += GUEST_GICR_STRIDE) {
		typer = readq(a + GICR_TYPER);
		if (typer >> 32 == aff) {
			rd = a;
			break;
		}
		if (typer & GICR_TYPER_LAST)
			break;
	}
	if (!rd) {
		print("[baremetal] # no redistributor for affinity %#lx\n", aff);
		return false;
	}
	writel(readl(rd + GICR_WAKER) & ~GICR_WAKER_PS, rd + GICR_WAKER);
	if (!wait_clear(rd + GICR_WAKER, GICR_WAKER_CA)) {
		print("[baremetal] # GICR_WAKER.ChildrenAsleep stays set\n");
		return false;
	}

	/* SGIs and PPIs: group 1, one priority, only ours enabled */
	sgi = rd + GICR_SGI_BASE;
	writel(~0U, sgi + GICR_IGROUPR0);
	writel(~0U, sgi + GICR_ICENABLER0);
	if (!wait_clear(rd + GICR_CTLR, GICR_CTLR_RWP))
		return false;
	writel(~0U, sgi + GICR_ICPENDR0);
	for (i = 0; i < 8; i++)
		writel(GIC_PRIORITY * 0x01010101U, sgi + GICR_IPRIORITYR0 + 4 * i);
	writel(BIT(INTID_VTIMER) | (BIT(NR_SGIS) - 1), sgi + GICR_ISENABLER0);

	/* The CPU interface, through the system registers */
	write_sysreg(read_sysreg(icc_sre_el1) | 1, icc_sre_el1);
	isb();
	if (!(read_sysreg(icc_sre_el1) & 1)) {
		print("[baremetal] # ICC_SRE_EL1.SRE does not stick\n");
		return false;
	}
	write_sysreg(0xff, icc_pmr_el1);
	write_sysreg(0, icc_bpr1_el1);
	write_sysreg(0, icc_ctlr_el1);
	write_sysreg(1, icc_igrpen1_el1);
	isb();
	return true;
}

/*
 * With IRQs masked, WFI until an interrupt is pending, then unmask to take
 * it; until *@count reaches @want, *@stop becomes non-zero or @deadline.
 */
/* The same without WFI: the vCPU keeps running with interrupts unmasked. */
static bool spin_irqs(u32 *count, u32 want, u64 deadline)
{
	irq_enable();
	while (READ_ONCE(*count) < want && now() < deadline)
		;
	irq_disable();
	return READ_ONCE(*count) >= want;
}

static bool wait_irqs(u32 *count, u32 want, u32 *stop, u64 deadline)
{
	while (READ_ONCE(*count) < want && !(stop && READ_ONCE(*stop)) && now() < deadline) {
		wfi();
		irq_enable();
		isb();
		irq_disable();
	}
	return READ_ONCE(*count) >= want;
}

static void test_timer(void)
{
	u64 cval, start;
	bool ok;

	irq_disable();
	timer_irqs = 0;
	other_irqs = 0;
	start = now();
	write_sysreg(ms_to_ticks(10), cntv_tval_el0);
	write_sysreg(CNTV_CTL_ENABLE, cntv_ctl_el0);
	isb();
	cval = read_sysreg(cntv_cval_el0);
	/* The vCPU blocks in WFI until its timer wakes it */
	ok = wait_irqs(&timer_irqs, 1, NULL, cval + ms_to_ticks(2000));
	write_sysreg(0, cntv_ctl_el0);
	isb();
	ok = ok && timer_istatus && timer_irq_at >= cval && !other_irqs;
	result(TEST_CHECK_TIMER, ok, "virtual timer interrupt, INTID 27, after WFI");
	if (ok) {
		print("[baremetal] # timer interrupt %lu us after arming it for 10000 us\n",
		      (timer_irq_at - start) * 1000000 / timer_freq);
		return;
	}
	print("[baremetal] # %u timer interrupts (ISTATUS %u, %ld ticks after the deadline)\n",
	      timer_irqs, timer_istatus, (long)(timer_irq_at - cval));
	print("[baremetal] # %u other interrupts (last INTID %u), %u spurious\n", other_irqs,
	      other_intid, spurious);
}

static u64 sgi1r_self(u32 intid)
{
	u64 mpidr = read_sysreg(mpidr_el1);
	u64 aff0 = mpidr & 0xff, aff1 = (mpidr >> 8) & 0xff;
	u64 aff2 = (mpidr >> 16) & 0xff, aff3 = (mpidr >> 32) & 0xff;

	return aff3 << 48 | (aff0 >> 4) << 44 | aff2 << 32 | (u64)intid << 24 | aff1 << 16 |
	       BIT(aff0 & 0xf);
}

static void test_sgis(void)
{
	unsigned int i;
	bool ok;

	irq_disable();
	sgi_count = 0;
	sgi_mask = 0;
	sgi_repeats = 0;
	other_irqs = 0;
	for (i = 0; i < NR_SGIS; i++) {
		write_sysreg(sgi1r_self(i), icc_sgi1r_el1);
		isb();
	}
	/* The timer as a watchdog: half a second */
	timer_irqs = 0;
	write_sysreg(ms_to_ticks(500), cntv_tval_el0);
	write_sysreg(CNTV_CTL_ENABLE, cntv_ctl_el0);
	isb();
	wait_irqs(&sgi_count, NR_SGIS, &timer_irqs, now() + ms_to_ticks(2000));
	write_sysreg(0, cntv_ctl_el0);
	isb();
	ok = sgi_mask == BIT(NR_SGIS) - 1 && sgi_count == NR_SGIS && !other_irqs;
	result(TEST_CHECK_SGI, ok, "six pending self-SGIs (more than the list registers) all taken");
	if (!ok)
		print("[baremetal] # SGIs: mask %#x, %u taken, %u twice; %u others, %u spurious\n",
		      sgi_mask, sgi_count, sgi_repeats, other_irqs, spurious);
}

/* ---------------------------------------------------------------------- */
/* The test device's interrupt: KICK -> ioeventfd -> VMM -> irqfd -> SPI  */

/* How long one KICK may take to come back as an interrupt */
#define KICK_TIMEOUT_MS		2000

/*
 * Route @intid to us and enable it, its trigger as the devicetree says
 * (@trigger, DT_TRIGGER_*), or as it was if 0: as an OS does, since the
 * GIC's configuration is the guest's to write, not the hypervisor's.
 */
static void spi_setup(u32 intid, u32 trigger)
{
	u64 word = 4 * (intid / 32), gicd = plat.gicd;
	u64 cfg_reg = gicd + GICD_ICFGR + 4 * (intid / 16);
	u32 bit = BIT(intid % 32), edge = 2U << (2 * (intid % 16));

	writel(bit, gicd + GICD_ICENABLER + word);
	wait_clear(gicd + GICD_CTLR, GICD_CTLR_RWP);
	if (trigger == DT_TRIGGER_EDGE_RISING)
		writel(readl(cfg_reg) | edge, cfg_reg);
	else if (trigger == DT_TRIGGER_LEVEL_HIGH)
		writel(readl(cfg_reg) & ~edge, cfg_reg);
	writel(readl(gicd + GICD_IGROUPR + word) | bit, gicd + GICD_IGROUPR + word);
	writeb(GIC_PRIORITY, gicd + GICD_IPRIORITYR + intid);
	/* To us, vCPU 0: the only vCPU still on */
	writeq(read_sysreg(mpidr_el1) & MPIDR_AFFINITY, gicd + GICD_IROUTER + 8 * intid);
	writel(bit, gicd + GICD_ISENABLER + word);
}

static bool spi_pending(u32 intid)
{
	return readl(plat.gicd + GICD_ISPENDR + 4 * (intid / 32)) & BIT(intid % 32);
}

/*
 * Three KICK writes of different sizes (the ioeventfd has no length), each
 * answered by exactly one interrupt before the next: the first two while
 * the vCPU waits in WFI (the hypervisor wakes it), the last while it
 * spins (the hypervisor must make it leave the guest to take the
 * interrupt, or it comes with the next exit, at the latest the host's
 * next tick). The delays are printed, not checked. The trigger mode is
 * the VMM's choice (its VM config, which we write to GICD_ICFGR): edge, or
 * level with the line pulsed by the doorbell's ack mask, low again once we
 * have taken it. Either way no
 * interrupt may follow the last one, and no KICK may be an MMIO exit.
 */
static void test_irqfd(void)
{
	static const struct {
		unsigned int size;
		u64 value;
	} kicks[] = {
		{ 4, 0x6b69636b },
		{ 8, 0x6b69636b6b69636bULL },
		{ 1, 0x6b },
	};
	u32 cfg;
	bool edge;
	u32 bit = BIT(INTID_TEST_DEV % 32), word = 4 * (INTID_TEST_DEV / 32);
	bool early, late, ok = true;
	unsigned int i, done = 0;
	u64 iar, exits, start, took[ARRAY_SIZE(kicks)] = { 0 };
	u32 extra;

	irq_disable();
	other_irqs = 0;
	dev_irqs = 0;
	/* Nothing may be raised before the first KICK */
	early = spi_pending(INTID_TEST_DEV);
	if (early)
		writel(bit, plat.gicd + GICD_ICPENDR + word);
	spi_setup(INTID_TEST_DEV, plat.test_dev_trigger);
	cfg = readl(plat.gicd + GICD_ICFGR + 4 * (INTID_TEST_DEV / 16));
	edge = cfg & (2U << (2 * (INTID_TEST_DEV % 16)));

	for (i = 0; i < ARRAY_SIZE(kicks); i++) {
		/* The timer as a watchdog: WFI alone could wait for ever */
		timer_irqs = 0;
		write_sysreg(ms_to_ticks(KICK_TIMEOUT_MS), cntv_tval_el0);
		write_sysreg(CNTV_CTL_ENABLE, cntv_ctl_el0);
		isb();
		start = now();
		write_n(kicks[i].value, TEST_DEV(TEST_DEV_KICK), kicks[i].size);
		if (i + 1 < ARRAY_SIZE(kicks))
			ok = wait_irqs(&dev_irqs, i + 1, &timer_irqs,
				       now() + ms_to_ticks(2 * KICK_TIMEOUT_MS));
		else
			ok = spin_irqs(&dev_irqs, i + 1, now() + ms_to_ticks(KICK_TIMEOUT_MS));
		took[i] = now() - start;
		write_sysreg(0, cntv_ctl_el0);
		isb();
		/*
		 * Answered before the watchdog: a wake-up the hypervisor lost
		 * shows as the watchdog's 2 s, even if the interrupt then came.
		 */
		if (!ok || READ_ONCE(timer_irqs))
			break;
		done++;
	}

	/* A while for a spurious repeat to arrive, then nothing pending */
	irq_enable();
	delay_us(20000);
	irq_disable();
	extra = dev_irqs - done;
	late = spi_pending(INTID_TEST_DEV);
	iar = read_sysreg(icc_iar1_el1) & 0xffffff;
	if (iar < INTID_SPECIAL) {
		write_sysreg(iar, icc_eoir1_el1);
		isb();
	}
	writel(bit, plat.gicd + GICD_ICENABLER + word);
	exits = readq(TEST_DEV(TEST_DEV_KICK));

	ok = done == ARRAY_SIZE(kicks) && !extra && !early && !late && iar >= INTID_SPECIAL &&
	     !exits && !other_irqs;
	result(TEST_CHECK_IRQFD, ok,
	       "three KICK writes (4, 8, 1 bytes): one test device SPI each, no MMIO exit");
	print("[baremetal] # SPI %u is %s triggered; KICK to interrupt: %lu and %lu us in WFI, %lu us spinning\n",
	      INTID_TEST_DEV, edge ? "edge" : "level", ticks_to_us(took[0]), ticks_to_us(took[1]),
	      ticks_to_us(took[2]));
	if (ok)
		return;
	print("[baremetal] # %u of %lu KICKs answered, then %u more; pending before %u, after %u\n",
	      done, (u64)ARRAY_SIZE(kicks), extra, early, late);
	print("[baremetal] # IAR %lu afterwards; %lu KICK MMIO exits; %u others (last INTID %u)\n",
	      iar, exits, other_irqs, other_intid);
}

void fault_handler(u64 vector, u64 esr, u64 elr, u64 far)
{
	print("[baremetal] unexpected exception: vector %lu, ESR %#lx, ELR %#lx, FAR %#lx\n",
	      vector, esr, elr, far);
	power_off(TEST_RESULT_EXCEPTION + vector);
}

/*
 * The guest's FP/SIMD registers and FPCR survive exits to the VMM, whose
 * process uses its own meanwhile (glibc's string functions), however the
 * hypervisor switches them (at once or at the first use). The compiler
 * uses none of them here (-mgeneral-regs-only): only this asm does.
 */
#define FP_EXITS	64
#define CPACR_FPEN	(3UL << 20)
#define FPCR_TEST	((3UL << 22) | BIT(24))	/* round to zero, flush to zero */

static void test_fp(void)
{
	static u64 want[64] __attribute__((aligned(16))), got[64] __attribute__((aligned(16)));
	u64 fpcr;
	unsigned int i;
	bool ok = true;

	for (i = 0; i < 64; i++)
		want[i] = 0x9e3779b97f4a7c15ULL * (i + 1);
	write_sysreg(read_sysreg(cpacr_el1) | CPACR_FPEN, cpacr_el1);
	isb();
	asm volatile(".arch_extension fp\n.arch_extension simd\n"
		     "ldp q0, q1, [%0, #0]\n ldp q2, q3, [%0, #32]\n"
		     "ldp q4, q5, [%0, #64]\n ldp q6, q7, [%0, #96]\n"
		     "ldp q8, q9, [%0, #128]\n ldp q10, q11, [%0, #160]\n"
		     "ldp q12, q13, [%0, #192]\n ldp q14, q15, [%0, #224]\n"
		     "ldp q16, q17, [%0, #256]\n ldp q18, q19, [%0, #288]\n"
		     "ldp q20, q21, [%0, #320]\n ldp q22, q23, [%0, #352]\n"
		     "ldp q24, q25, [%0, #384]\n ldp q26, q27, [%0, #416]\n"
		     "ldp q28, q29, [%0, #448]\n ldp q30, q31, [%0, #480]\n"
		     "msr fpcr, %1\n"
		     : : "r"(want), "r"(FPCR_TEST) : "memory");
	/* Reads of the ID register: exits that change nothing the VMMs count. */
	for (i = 0; i < FP_EXITS; i++)
		ok &= readl(TEST_DEV(TEST_DEV_ID)) == TEST_DEV_ID_VALUE;
	asm volatile(".arch_extension fp\n.arch_extension simd\n"
		     "stp q0, q1, [%1, #0]\n stp q2, q3, [%1, #32]\n"
		     "stp q4, q5, [%1, #64]\n stp q6, q7, [%1, #96]\n"
		     "stp q8, q9, [%1, #128]\n stp q10, q11, [%1, #160]\n"
		     "stp q12, q13, [%1, #192]\n stp q14, q15, [%1, #224]\n"
		     "stp q16, q17, [%1, #256]\n stp q18, q19, [%1, #288]\n"
		     "stp q20, q21, [%1, #320]\n stp q22, q23, [%1, #352]\n"
		     "stp q24, q25, [%1, #384]\n stp q26, q27, [%1, #416]\n"
		     "stp q28, q29, [%1, #448]\n stp q30, q31, [%1, #480]\n"
		     "mrs %0, fpcr\n"
		     : "=r"(fpcr) : "r"(got) : "memory");
	for (i = 0; i < 64; i++) {
		if (got[i] != want[i] && ok)
			print("[baremetal] # q%u: %#lx, want %#lx\n", i / 2, got[i], want[i]);
		ok &= got[i] == want[i];
	}
	if (fpcr != FPCR_TEST) {
		print("[baremetal] # FPCR %#lx, want %#lx\n", fpcr, FPCR_TEST);
		ok = false;
	}
	result(TEST_CHECK_FP, ok, "FP/SIMD registers and FPCR survive 64 exits to the VMM");
}

/*
 * The guest's pointer-authentication keys survive exits to the VMM, whose
 * host kernel has keys of its own, however the hypervisor switches them
 * (at the first use of a key register or instruction, or at the load):
 * the keys read back, and PACGA, which signs with the generic key, gives
 * the same code before and after.
 */
#define ID_AA64ISAR1_APA	(0xfUL << 4)
#define ID_AA64ISAR1_API	(0xfUL << 8)
#define ID_AA64ISAR1_GPA	(0xfUL << 24)
#define ID_AA64ISAR1_GPI	(0xfUL << 28)

static u64 pacga(u64 a, u64 b)
{
	u64 r;

	asm volatile(".arch_extension pauth\n pacga %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
	return r;
}

static void test_pauth(void)
{
	static const u64 want[10] = {
		0x0123456789abcdefULL, 0xfedcba9876543210ULL, 0x1111222233334444ULL,
		0x5555666677778888ULL, 0x99990000aaaabbbbULL, 0xccccddddeeeeffffULL,
		0x0f1e2d3c4b5a6978ULL, 0x8796a5b4c3d2e1f0ULL, 0x13579bdf02468aceULL,
		0xeca86420fdb97531ULL,
	};
	u64 isar1 = read_sysreg(id_aa64isar1_el1), got[10], code0 = 0, code1 = 0;
	bool generic = isar1 & (ID_AA64ISAR1_GPA | ID_AA64ISAR1_GPI);
	unsigned int i;
	bool ok = true;

	/* The real Gunyah shows its guests no pointer authentication. */
	if (!(isar1 & (ID_AA64ISAR1_APA | ID_AA64ISAR1_API)) && !generic) {
		skip(TEST_CHECK_PAUTH, "pointer-authentication keys across exits",
		     "the vCPU has no pointer authentication (ID_AA64ISAR1_EL1)");
		return;
	}
	write_sysreg(want[0], s3_0_c2_c1_0);
	write_sysreg(want[1], s3_0_c2_c1_1);
	write_sysreg(want[2], s3_0_c2_c1_2);
	write_sysreg(want[3], s3_0_c2_c1_3);
	write_sysreg(want[4], s3_0_c2_c2_0);
	write_sysreg(want[5], s3_0_c2_c2_1);
	write_sysreg(want[6], s3_0_c2_c2_2);
	write_sysreg(want[7], s3_0_c2_c2_3);
	write_sysreg(want[8], s3_0_c2_c3_0);
	write_sysreg(want[9], s3_0_c2_c3_1);
	isb();
	if (generic)
		code0 = pacga(0x1234, 0x5678);
	for (i = 0; i < 64; i++)
		ok &= readl(TEST_DEV(TEST_DEV_ID)) == TEST_DEV_ID_VALUE;
	if (generic)
		code1 = pacga(0x1234, 0x5678);
	got[0] = read_sysreg(s3_0_c2_c1_0);
	got[1] = read_sysreg(s3_0_c2_c1_1);
	got[2] = read_sysreg(s3_0_c2_c1_2);
	got[3] = read_sysreg(s3_0_c2_c1_3);
	got[4] = read_sysreg(s3_0_c2_c2_0);
	got[5] = read_sysreg(s3_0_c2_c2_1);
	got[6] = read_sysreg(s3_0_c2_c2_2);
	got[7] = read_sysreg(s3_0_c2_c2_3);
	got[8] = read_sysreg(s3_0_c2_c3_0);
	got[9] = read_sysreg(s3_0_c2_c3_1);
	for (i = 0; i < 10; i++) {
		if (got[i] != want[i] && ok)
			print("[baremetal] # key register %u: %#lx, want %#lx\n",
			      i, got[i], want[i]);
		ok &= got[i] == want[i];
	}
	if (code0 != code1) {
		print("[baremetal] # generic authentication code %#lx, then %#lx\n", code0, code1);
		ok = false;
	}
	result(TEST_CHECK_PAUTH, ok, "pointer-authentication keys survive 64 exits to the VMM");
}

void guest_main(u64 dtb)
{
	bool gic;

	timer_freq = read_sysreg(cntfrq_el0);
	print("[baremetal] Gunyah bare-metal test guest, devicetree at %#lx, timer %lu Hz\n",
	      dtb, timer_freq);
	if (!timer_freq) {
		print("[baremetal] CNTFRQ_EL0 is 0\n");
		power_off(TEST_CHECK_TIMER);
	}
	parse_dt(dtb);
	print("[baremetal] 1..%u\n", TEST_NR_CHECKS);

	test_mmio();
	test_psci();
	gic = gic_init();
	result(TEST_CHECK_GIC, gic, "GICv3 distributor, redistributor and CPU interface set up");
	if (gic) {
		test_timer();
		test_sgis();
		test_irqfd();
	} else {
		result(TEST_CHECK_TIMER, false, "virtual timer interrupt (no GIC)");
		result(TEST_CHECK_SGI, false, "self-SGIs (no GIC)");
		result(TEST_CHECK_IRQFD, false, "test device interrupt (no GIC)");
	}
	test_fp();
	test_pauth();

	print("[baremetal] done: %u of %u checks failed\n", nr_failed, TEST_NR_CHECKS);
	bench_mmio();
	power_off(first_failure);
}
