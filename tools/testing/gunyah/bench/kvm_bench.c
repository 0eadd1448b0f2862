// SPDX-License-Identifier: GPL-2.0-only
/*
 * The KVM anchor of make bench: the paths gunyah_bench.ko and the sample
 * VMM's --bench measure on our hypervisor, measured with KVM on the same
 * kernel booted without it (at EL2), so that each figure has a yardstick
 * from the same run:
 *
 *   MMIO exit round trip to the VMM	a guest store to an unbacked address,
 *					KVM_RUN returns KVM_EXIT_MMIO, run again
 *   ioeventfd notification		a guest store KVM signals an eventfd
 *					for, without leaving KVM_RUN
 *   guest HVC				an SMCCC call KVM answers itself
 *					(NOT_SUPPORTED), without leaving KVM_RUN
 *   irqfd injection			the VMM's write() to an irqfd of an
 *					enabled edge SPI, while the vCPU waits
 *					in an MMIO exit: KVM injects it into
 *					its vGIC inside the write()
 *   eventfd write without a waiter	the same write() to an eventfd nobody
 *					waits on: the system call's floor on
 *					this kernel without our hypervisor
 *   VM start to first exit		from allocating START_MIB of guest RAM
 *					(faulted in, as the sample VMM's pinning
 *					does) to the first KVM_RUN's exit; with
 *					4 KiB pages and with huge pages
 *
 * Under -icount shift=0 a nanosecond of CLOCK_MONOTONIC is one instruction:
 * each figure is the fastest of ROUNDS rounds of N calls, in ns per call,
 * printed as
 *
 *   kvm_bench: LABEL: <path>: <n> ns per call over <N> calls
 *
 * The guest is a few hand-assembled instructions; see guest_code[].
 *
 *   kvm_bench N [LABEL]	LABEL names the boot, e.g. "KVM nVHE" (default "KVM")
 *
 * The VM starts are one each (a round allocates START_MIB afresh), printed
 * as "... ns per call over 1 calls".
 *
 * Like a VMM, and like the sample VMM whose figures these stand beside,
 * kvm_bench runs with a second thread: glibc's write() then does its
 * cancellation bookkeeping around the system call (about 105 instructions
 * more than in a process that never had a second thread).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <linux/kvm.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS		5
#define GUEST_BASE	0x80000000ULL	/* guest RAM: code at its start */
#define GUEST_SIZE	0x10000ULL
#define MMIO_EXIT	0x10000000ULL	/* unbacked: an exit to us */
#define MMIO_IOEVENTFD	0x10001000ULL	/* unbacked, with an ioeventfd */
#define MMIO_DONE	0x10002000ULL	/* unbacked: end of a round */
#define START_MIB	256ULL		/* guest RAM of the VM start */
#define GICD_BASE	0x08000000ULL	/* the vGIC's distributor, 64 KiB */
#define GICR_BASE	0x080a0000ULL	/* its redistributor, 128 KiB per vCPU */
#define SZ_4K		0x1000ULL
#define SZ_2M		0x200000ULL
#define BIT(n)		(1U << (n))

/*
 * Entry points (byte offsets) and code, from aarch64-linux-gnu-as:
 *
 *   0x00 mmio:	str xzr, [x0]		one exit per KVM_RUN
 *		b mmio
 *   0x08 iofd:	mov x2, x3		x3 writes to the ioeventfd per KVM_RUN
 *   0x0c 1:	str xzr, [x1]
 *		subs x2, x2, #1
 *		b.ne 1b
 *		str xzr, [x7]		then one exit
 *		b iofd
 *   0x20 hvc:	mov x4, x5		x5 HVCs per KVM_RUN (KVM's answer
 *   0x24 1:	mov x0, x6		sets x0-x3; SMCCC 1.1 keeps x4-x17)
 *		hvc #0			an SMCCC function KVM does not know
 *		subs x4, x4, #1
 *		b.ne 1b
 *		str xzr, [x7]		then one exit
 *		b hvc
 */
#define ENTRY_MMIO	0x00
#define ENTRY_IOEVENTFD	0x08
#define ENTRY_HVC	0x20
static const uint32_t guest_code[] = {
	0xf900001f, 0x17ffffff,
	0xaa0303e2, 0xf900003f, 0xf1000442, 0x54ffffc1, 0xf90000ff, 0x17fffffb,
	0xaa0503e4, 0xaa0603e0, 0xd4000002, 0xf1000484, 0x54ffffa1, 0xf90000ff,
	0x17fffffa,
};

/* An SMCCC 1.1 fast call of the vendor-specific hypervisor range KVM leaves unanswered. */
#define UNKNOWN_SMCCC	0xc6000abcULL

#define ARM64_CORE_REG(x) (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
			   (offsetof(struct kvm_regs, x) / sizeof(uint32_t)))

static void die(const char *what)
{
	fprintf(stderr, "kvm_bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

struct vm {
	int kvm, vm, vcpu;
	struct kvm_run *run;
};

static void set_reg(struct vm *v, uint64_t id, uint64_t val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uint64_t)(uintptr_t)&val };

	if (ioctl(v->vcpu, KVM_SET_ONE_REG, &reg))
		die("KVM_SET_ONE_REG");
}

/* A VM with @size bytes of RAM at @ram (GUEST_BASE in the guest), one vCPU */
static void vm_create_with(struct vm *v, void *ram, uint64_t size)
{
	struct kvm_userspace_memory_region mem = {
		.slot = 0, .guest_phys_addr = GUEST_BASE, .memory_size = size,
	};
	struct kvm_vcpu_init init;
	int mmap_size;

	v->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (v->kvm < 0)
		die("/dev/kvm");
	v->vm = ioctl(v->kvm, KVM_CREATE_VM, 0);
	if (v->vm < 0)
		die("KVM_CREATE_VM");
	memcpy(ram, guest_code, sizeof(guest_code));
	mem.userspace_addr = (uint64_t)(uintptr_t)ram;
	if (ioctl(v->vm, KVM_SET_USER_MEMORY_REGION, &mem))
		die("KVM_SET_USER_MEMORY_REGION");
	v->vcpu = ioctl(v->vm, KVM_CREATE_VCPU, 0);
	if (v->vcpu < 0)
		die("KVM_CREATE_VCPU");
	if (ioctl(v->vm, KVM_ARM_PREFERRED_TARGET, &init))
		die("KVM_ARM_PREFERRED_TARGET");
	if (ioctl(v->vcpu, KVM_ARM_VCPU_INIT, &init))
		die("KVM_ARM_VCPU_INIT");
	mmap_size = ioctl(v->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (mmap_size < 0)
		die("KVM_GET_VCPU_MMAP_SIZE");
	v->run = mmap(NULL, mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->vcpu, 0);
	if (v->run == MAP_FAILED)
		die("mmap kvm_run");
}

static void vm_create(struct vm *v)
{
	void *ram = mmap(NULL, GUEST_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			 -1, 0);

	if (ram == MAP_FAILED)
		die("mmap");
	vm_create_with(v, ram, GUEST_SIZE);
}

/* Run until the guest stores to @addr; anything else is a failure. */
static void run_to(struct vm *v, uint64_t addr)
{
	if (ioctl(v->vcpu, KVM_RUN, 0))
		die("KVM_RUN");
	if (v->run->exit_reason != KVM_EXIT_MMIO || v->run->mmio.phys_addr != addr ||
	    !v->run->mmio.is_write) {
		fprintf(stderr, "kvm_bench: exit %u at %#llx, expected an MMIO write to %#llx\n",
			v->run->exit_reason, (unsigned long long)v->run->mmio.phys_addr,
			(unsigned long long)addr);
		exit(1);
	}
}

/* A fresh vCPU at @entry: each path starts from its own entry point. */
static void vm_regs(struct vm *v, uint64_t entry, uint64_t n)
{
	set_reg(v, ARM64_CORE_REG(regs.pc), GUEST_BASE + entry);
	set_reg(v, ARM64_CORE_REG(regs.regs[0]), MMIO_EXIT);
	set_reg(v, ARM64_CORE_REG(regs.regs[1]), MMIO_IOEVENTFD);
	set_reg(v, ARM64_CORE_REG(regs.regs[3]), n);
	set_reg(v, ARM64_CORE_REG(regs.regs[5]), n);
	set_reg(v, ARM64_CORE_REG(regs.regs[6]), UNKNOWN_SMCCC);
	set_reg(v, ARM64_CORE_REG(regs.regs[7]), MMIO_DONE);
}

static void vm_start(struct vm *v, uint64_t entry, uint64_t n)
{
	vm_create(v);
	vm_regs(v, entry, n);
}

/*
 * The vGIC's distributor registers, as the sample VMM's bare-metal guest
 * programs its own before make bench injects the test device's SPI:
 * group 1 enabled with affinity routing, the SPI edge-triggered, group 1,
 * enabled, routed to vCPU 0 (GICD_IROUTER's reset value).
 */
#define GICD_CTLR		0x0000
#define GICD_CTLR_ENABLE_G1A	BIT(1)
#define GICD_CTLR_ARE		BIT(4)
#define GICD_IGROUPR		0x0080
#define GICD_ISENABLER		0x0100
#define GICD_ISPENDR		0x0200
#define GICD_ICFGR		0x0c00
#define IRQFD_SPI		3	/* the sample VMM's GUEST_TEST_DEV_SPI */
#define IRQFD_INTID		(32 + IRQFD_SPI)

static void vgic_attr(int dev, int set, uint32_t group, uint64_t attr, void *val)
{
	struct kvm_device_attr a = {
		.group = group, .attr = attr, .addr = (uint64_t)(uintptr_t)val,
	};

	if (ioctl(dev, set ? KVM_SET_DEVICE_ATTR : KVM_GET_DEVICE_ATTR, &a))
		die(set ? "KVM_SET_DEVICE_ATTR (vGIC)" : "KVM_GET_DEVICE_ATTR (vGIC)");
}

static uint32_t gicd_read(int dev, uint32_t off)
{
	uint32_t val;

	vgic_attr(dev, 0, KVM_DEV_ARM_VGIC_GRP_DIST_REGS, off, &val);
	return val;
}

static void gicd_write(int dev, uint32_t off, uint32_t val)
{
	vgic_attr(dev, 1, KVM_DEV_ARM_VGIC_GRP_DIST_REGS, off, &val);
}

/* A GICv3 for @v's one vCPU, initialised, IRQFD_INTID set up as above. */
static int vgic_create(struct vm *v)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	uint64_t dist = GICD_BASE, redist = GICR_BASE;
	uint32_t bit = BIT(IRQFD_INTID % 32), word = 4 * (IRQFD_INTID / 32);
	uint32_t cfg = GICD_ICFGR + 4 * (IRQFD_INTID / 16);

	if (ioctl(v->vm, KVM_CREATE_DEVICE, &cd))
		die("KVM_CREATE_DEVICE (vGICv3)");
	vgic_attr(cd.fd, 1, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, &dist);
	vgic_attr(cd.fd, 1, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, &redist);
	vgic_attr(cd.fd, 1, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);
	gicd_write(cd.fd, GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1A);
	gicd_write(cd.fd, cfg, gicd_read(cd.fd, cfg) | 2U << (2 * (IRQFD_INTID % 16)));
	gicd_write(cd.fd, GICD_IGROUPR + word, gicd_read(cd.fd, GICD_IGROUPR + word) | bit);
	gicd_write(cd.fd, GICD_ISENABLER + word, bit);
	return cd.fd;
}

static void vm_destroy(struct vm *v)
{
	close(v->vcpu);
	close(v->vm);
	close(v->kvm);
}

static void report(const char *mode, const char *what, uint64_t best, uint64_t n)
{
	printf("kvm_bench: %s: %s: %llu ns per call over %llu calls\n", mode, what,
	       (unsigned long long)(best / n), (unsigned long long)n);
}

static int new_eventfd(void)
{
	int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);

	if (efd < 0)
		die("eventfd");
	return efd;
}

/* Every write to @efd reached it: its count (read, and so reset) is @n. */
static void expect_count(int efd, uint64_t n)
{
	uint64_t count = 0;

	if (read(efd, &count, sizeof(count)) != sizeof(count) || count != n) {
		fprintf(stderr, "kvm_bench: the eventfd counted %llu of %llu writes\n",
			(unsigned long long)count, (unsigned long long)n);
		exit(1);
	}
}

/* The fastest of ROUNDS rounds of @n write()s to @efd, in ns for all @n. */
static uint64_t time_writes(int efd, uint64_t n)
{
	uint64_t best = UINT64_MAX, t, i, one = 1;
	int r;

	for (r = 0; r < ROUNDS; r++) {
		t = now_ns();
		for (i = 0; i < n; i++)
			if (write(efd, &one, sizeof(one)) != sizeof(one))
				die("eventfd write");
		t = now_ns() - t;
		best = t < best ? t : best;
	}
	return best;
}

static void bench_mmio(const char *mode, uint64_t n)
{
	uint64_t best = UINT64_MAX, t, i;
	int r;
	struct vm v;

	vm_start(&v, ENTRY_MMIO, n);
	run_to(&v, MMIO_EXIT);		/* warm up */
	for (r = 0; r < ROUNDS; r++) {
		t = now_ns();
		for (i = 0; i < n; i++)
			run_to(&v, MMIO_EXIT);
		t = now_ns() - t;
		best = t < best ? t : best;
	}
	report(mode, "MMIO exit round trip to the VMM", best, n);
	vm_destroy(&v);
}

static void bench_ioeventfd(const char *mode, uint64_t n)
{
	uint64_t best = UINT64_MAX, t, count;
	struct kvm_ioeventfd io = { .addr = MMIO_IOEVENTFD, .len = 8 };
	int r, efd;
	struct vm v;

	vm_start(&v, ENTRY_IOEVENTFD, n);
	efd = new_eventfd();
	io.fd = efd;
	if (ioctl(v.vm, KVM_IOEVENTFD, &io))
		die("KVM_IOEVENTFD");
	run_to(&v, MMIO_DONE);		/* warm up */
	for (r = 0; r < ROUNDS; r++) {
		if (read(efd, &count, sizeof(count)) != sizeof(count))
			die("eventfd read");
		t = now_ns();
		run_to(&v, MMIO_DONE);
		t = now_ns() - t;
		best = t < best ? t : best;
	}
	/* Every write of the last round reached the eventfd. */
	expect_count(efd, n);
	report(mode, "ioeventfd notification", best, n);
	close(efd);
	vm_destroy(&v);
}

static void bench_hvc(const char *mode, uint64_t n)
{
	uint64_t best = UINT64_MAX, t;
	struct vm v;
	int r;

	vm_start(&v, ENTRY_HVC, n);
	run_to(&v, MMIO_DONE);		/* warm up */
	for (r = 0; r < ROUNDS; r++) {
		t = now_ns();
		run_to(&v, MMIO_DONE);
		t = now_ns() - t;
		best = t < best ? t : best;
	}
	report(mode, "guest HVC", best, n);
	vm_destroy(&v);
}

/*
 * The sample VMM's --bench injects the test device's edge SPI N times while
 * its vCPU waits in an MMIO exit: the same here, with an irqfd on the
 * vGIC's default routing (GSI n is SPI n). The SPI must then be pending.
 */
static void bench_irqfd(const char *mode, uint64_t n)
{
	struct kvm_irqfd irqfd = { .gsi = IRQFD_SPI };
	uint64_t best;
	int efd, gic;
	struct vm v;

	vm_create(&v);
	gic = vgic_create(&v);
	efd = new_eventfd();
	irqfd.fd = efd;
	if (ioctl(v.vm, KVM_IRQFD, &irqfd))
		die("KVM_IRQFD");
	vm_regs(&v, ENTRY_MMIO, 1);
	run_to(&v, MMIO_EXIT);
	best = time_writes(efd, n);
	if (!(gicd_read(gic, GICD_ISPENDR + 4 * (IRQFD_INTID / 32)) & BIT(IRQFD_INTID % 32))) {
		fprintf(stderr, "kvm_bench: SPI %u is not pending after %llu injections\n",
			IRQFD_INTID, (unsigned long long)n * ROUNDS);
		exit(1);
	}
	report(mode, "irqfd injection", best, n);
	close(efd);
	close(gic);
	vm_destroy(&v);
}

/* The same writes to an eventfd nobody waits on: the kernel's share alone. */
static void bench_eventfd_write(const char *mode, uint64_t n)
{
	int efd = new_eventfd();
	uint64_t best = time_writes(efd, n);

	expect_count(efd, n * ROUNDS);
	report(mode, "eventfd write without a waiter", best, n);
	close(efd);
}

/*
 * START_MIB of RAM, allocated, faulted in and given to a new VM, which runs
 * to its first exit: what the sample VMM's --bench-start times, with the
 * same memory: 4 KiB pages of a memfd, shared (a fault in one costs about
 * 3,300 instructions, in private anonymous memory 2,100), or huge pages of
 * private anonymous memory, 2 MiB aligned with MADV_HUGEPAGE, as its
 * --hugepages.
 */
static void bench_start(const char *mode, bool huge)
{
	uint64_t size = START_MIB << 20, t, off;
	uint8_t *map, *ram;
	char what[64];
	struct vm v;
	int fd;

	t = now_ns();
	if (huge) {
		map = mmap(NULL, size + SZ_2M, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (map == MAP_FAILED)
			die("mmap");
		ram = (uint8_t *)(((uintptr_t)map + SZ_2M - 1) & ~(uintptr_t)(SZ_2M - 1));
		if (madvise(ram, size, MADV_HUGEPAGE))
			die("madvise(MADV_HUGEPAGE)");
	} else {
		fd = memfd_create("kvm_bench-ram", MFD_CLOEXEC);
		if (fd < 0)
			die("memfd_create");
		if (ftruncate(fd, size))
			die("ftruncate");
		map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (map == MAP_FAILED)
			die("mmap");
		close(fd);
		ram = map;
	}
	for (off = 0; off < size; off += SZ_4K)
		ram[off] = 0;
	vm_create_with(&v, ram, size);
	vm_regs(&v, ENTRY_MMIO, 1);
	run_to(&v, MMIO_EXIT);
	t = now_ns() - t;
	snprintf(what, sizeof(what), "VM start to first exit, %llu MiB, %s",
		 (unsigned long long)START_MIB, huge ? "huge pages" : "4 KiB pages");
	report(mode, what, t, 1);
	vm_destroy(&v);
	munmap(map, huge ? size + SZ_2M : size);
}

/* The second thread: it waits for good, as a VMM's idle vCPU thread. */
static void *idle_thread(void *arg)
{
	for (;;)
		pause();
	return arg;
}

int main(int argc, char **argv)
{
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 0) : 0;
	/* What bench.sh booted: KVM's VHE or nVHE flavour. */
	const char *mode = argc > 2 ? argv[2] : "KVM";
	pthread_t idle;

	if (!n || argc > 3) {
		fprintf(stderr, "usage: kvm_bench N [LABEL]\n");
		return 2;
	}
	errno = pthread_create(&idle, NULL, idle_thread, NULL);
	if (errno)
		die("pthread_create");
	bench_mmio(mode, n);
	bench_ioeventfd(mode, n);
	bench_hvc(mode, n);
	bench_irqfd(mode, n);
	bench_eventfd_write(mode, n);
	bench_start(mode, false);
	bench_start(mode, true);
	return 0;
}
