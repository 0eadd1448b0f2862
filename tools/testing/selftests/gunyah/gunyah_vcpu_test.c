// SPDX-License-Identifier: GPL-2.0-only
/*
 * Selftests of the Gunyah vCPU function, bad use only: GUNYAH_FN_VCPU
 * arguments, the vCPU file's mmap, GUNYAH_VCPU_RUN on VMs that cannot
 * start or have no such vCPU, immediate_exit, and two threads running one
 * vCPU. Needs /dev/gunyah with gunyah_vcpu.ko loaded, a Resource Manager
 * that starts VMs, and root.
 *
 * two_threads needs a guest that executes: it runs a vCPU spinning on
 * "b ." and skips when the hypervisor has no vcpu_run (EOPNOTSUPP).
 */

#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/gunyah.h>

#include "../kselftest_harness.h"

#define GUNYAH_DEV	"/dev/gunyah"
/* Largest vCPU id the driver accepts (Documentation/virt/gunyah/vm-manager.rst) */
#define MAX_VCPU_ID	1023

static long page_size;

/* ioctl() that returns the errno on failure, 0 on success */
static int ioctl_err(int fd, unsigned long cmd, unsigned long arg)
{
	return ioctl(fd, cmd, arg) < 0 ? errno : 0;
}

/* GUNYAH_VM_ADD_FUNCTION (or REMOVE) of a vCPU with an argument of @size bytes */
static int vcpu_fn(int vm, unsigned long cmd, const void *arg, __u32 size)
{
	struct gunyah_fn_desc desc = {
		.type = GUNYAH_FN_VCPU,
		.arg_size = size,
		.arg = (uintptr_t)arg,
	};

	return ioctl(vm, cmd, &desc);
}

/* A vCPU's file descriptor, or -errno */
static int add_vcpu(int vm, __u32 id)
{
	struct gunyah_fn_vcpu_arg arg = { .id = id };
	int fd = vcpu_fn(vm, GUNYAH_VM_ADD_FUNCTION, &arg, sizeof(arg));

	return fd < 0 ? -errno : fd;
}

static int remove_vcpu(int vm, __u32 id)
{
	struct gunyah_fn_vcpu_arg arg = { .id = id };

	return vcpu_fn(vm, GUNYAH_VM_REMOVE_FUNCTION, &arg, sizeof(arg)) < 0 ? errno : 0;
}

static struct gunyah_vcpu_run *map_run(int vcpu)
{
	void *p = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* ---------------------------------------------------------------------- */
/* A VM the Resource Manager starts                                       */

/*
 * A flattened devicetree, built word by word: the structure block, then
 * the strings. Big endian.
 */
struct dt {
	uint32_t words[400];
	unsigned int n;
	char strings[400];
	unsigned int strings_len;
};

static void dt_word(struct dt *dt, uint32_t w)
{
	dt->words[dt->n++] = htobe32(w);
}

static void dt_bytes(struct dt *dt, const void *p, size_t len)
{
	char *dst = (char *)&dt->words[dt->n];

	memset(dst, 0, (len + 3) & ~3UL);
	memcpy(dst, p, len);
	dt->n += (len + 3) / 4;
}

static void dt_node(struct dt *dt, const char *name)
{
	dt_word(dt, 1);			/* FDT_BEGIN_NODE */
	dt_bytes(dt, name, strlen(name) + 1);
}

static void dt_end_node(struct dt *dt)
{
	dt_word(dt, 2);			/* FDT_END_NODE */
}

static void dt_prop(struct dt *dt, const char *name, const void *val, size_t len)
{
	dt_word(dt, 3);			/* FDT_PROP */
	dt_word(dt, len);
	dt_word(dt, dt->strings_len);
	memcpy(dt->strings + dt->strings_len, name, strlen(name) + 1);
	dt->strings_len += strlen(name) + 1;
	dt_bytes(dt, val, len);
}

static void dt_str(struct dt *dt, const char *name, const char *s)
{
	dt_prop(dt, name, s, strlen(s) + 1);
}

static void dt_cells(struct dt *dt, const char *name, uint32_t hi, uint32_t lo, int n)
{
	uint32_t cells[2] = { htobe32(hi), htobe32(lo) };

	dt_prop(dt, name, n == 1 ? &cells[1] : cells, n * 4);
}

/* The guest's GIC: the distributor, one redistributor frame below it */
#define GIC_PHANDLE	1
#define GICD_BASE	0x3fff0000U
#define GICD_SIZE	0x10000U
#define GICR_SIZE	0x20000U

/*
 * The VM's devicetree at @dst: one CPU, the GIC, /chosen, and with @config
 * the VM-config node the RM reads at VM_INIT (proxy-scheduled vCPUs,
 * memory at @base, the GIC). What the real RM requires, as the sample VMM
 * writes it. Without the VM-config node the RM refuses the VM at VM_INIT:
 * no vCPUs (NORESOURCE, -ENODEV, as from the real RM).
 */
static void make_dt(void *dst, uint64_t base, bool config)
{
	static const char gic_compat[] = "arm,gic-v3";
	const uint32_t gic_reg[8] = {
		0, htobe32(GICD_BASE), 0, htobe32(GICD_SIZE),
		0, htobe32(GICD_BASE - GICR_SIZE), 0, htobe32(GICR_SIZE),
	};
	const unsigned int hdr = 40, rsvmap = 16;
	uint32_t *h = dst;
	struct dt dt = { 0 };
	unsigned int off_strings;

	dt_node(&dt, "");
	dt_cells(&dt, "#address-cells", 0, 2, 1);
	dt_cells(&dt, "#size-cells", 0, 2, 1);
	dt_node(&dt, "chosen");
	dt_str(&dt, "bootargs", "");
	dt_end_node(&dt);
	if (config) {
		dt_node(&dt, "gunyah-vm-config");
		dt_str(&dt, "image-name", "gunyah_vcpu_test");
		dt_node(&dt, "memory");
		dt_cells(&dt, "base-address", base >> 32, (uint32_t)base, 2);
		dt_end_node(&dt);
		dt_node(&dt, "vcpus");
		dt_str(&dt, "affinity", "proxy");
		dt_end_node(&dt);
		dt_node(&dt, "interrupts");
		dt_cells(&dt, "config", 0, GIC_PHANDLE, 1);
		dt_end_node(&dt);
		dt_end_node(&dt);
	}
	dt_node(&dt, "cpus");
	dt_cells(&dt, "#address-cells", 0, 1, 1);
	dt_cells(&dt, "#size-cells", 0, 0, 1);
	dt_node(&dt, "cpu@0");
	dt_str(&dt, "device_type", "cpu");
	dt_cells(&dt, "reg", 0, 0, 1);
	dt_str(&dt, "enable-method", "psci");
	dt_end_node(&dt);
	dt_end_node(&dt);
	dt_node(&dt, "intc@3fff0000");
	dt_prop(&dt, "compatible", gic_compat, sizeof(gic_compat));
	dt_cells(&dt, "#interrupt-cells", 0, 3, 1);
	dt_prop(&dt, "interrupt-controller", "", 0);
	dt_prop(&dt, "reg", gic_reg, sizeof(gic_reg));
	dt_cells(&dt, "phandle", 0, GIC_PHANDLE, 1);
	dt_end_node(&dt);
	dt_end_node(&dt);
	dt_word(&dt, 9);		/* FDT_END */

	off_strings = hdr + rsvmap + dt.n * 4;
	memset(dst, 0, hdr + rsvmap);
	h[0] = htobe32(0xd00dfeed);
	h[1] = htobe32(off_strings + dt.strings_len);
	h[2] = htobe32(hdr + rsvmap);
	h[3] = htobe32(off_strings);
	h[4] = htobe32(hdr);		/* an empty reservation map */
	h[5] = htobe32(17);
	h[6] = htobe32(16);
	h[8] = htobe32(dt.strings_len);
	h[9] = htobe32(dt.n * 4);
	memcpy((char *)dst + hdr + rsvmap, dt.words, dt.n * 4);
	memcpy((char *)dst + off_strings, dt.strings, dt.strings_len);
}

#define GUEST_MEM	(4UL << 20)
#define GUEST_GPA	0x80000000ULL
/* The devicetree in the last MiB, room for the RM's overlay */
#define DTB_OFFSET	(GUEST_MEM - (1UL << 20))
#define DTB_SIZE	0x4000
/* "b .": wherever the vCPU starts in its memory, it spins there */
#define INSN_B_SELF	0x14000000U

/*
 * A VM with GUEST_MEM bytes of shared memory full of "b ." and a
 * devicetree, not started; its boot vCPU starts at the base. Returns the
 * VM's fd.
 */
static int make_vm(struct __test_metadata *_metadata, int dev, bool config)
{
	struct gunyah_vm_dtb_config dtb = {
		.guest_phys_addr = GUEST_GPA + DTB_OFFSET,
		.size = DTB_SIZE,
	};
	struct gunyah_userspace_memory_region region = {
		.label = 0,
		.flags = GUNYAH_MEM_ALLOW_RWX,
		.guest_phys_addr = GUEST_GPA,
		.memory_size = GUEST_MEM,
	};
	struct gunyah_vm_boot_context pc = {
		.reg = GUNYAH_VM_BOOT_CONTEXT_REG(GUNYAH_VM_BOOT_CONTEXT_REG_SET_PC, 0),
		.value = GUEST_GPA,
	};
	uint32_t *mem;
	size_t i;
	int vm;

	/* Shared: the VM's memory stays the host's, no unmapping needed */
	mem = mmap(NULL, GUEST_MEM, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		   -1, 0);
	if (mem == MAP_FAILED)
		return -1;
	for (i = 0; i < DTB_OFFSET / 4; i++)
		mem[i] = htole32(INSN_B_SELF);
	make_dt((char *)mem + DTB_OFFSET, GUEST_GPA, config);
	region.userspace_addr = (uintptr_t)mem;

	vm = ioctl(dev, GUNYAH_CREATE_VM, 0);
	if (vm < 0)
		return -1;
	if (ioctl(vm, GUNYAH_VM_SET_USER_MEM_REGION, &region) ||
	    ioctl(vm, GUNYAH_VM_SET_DTB_CONFIG, &dtb) ||
	    ioctl(vm, GUNYAH_VM_SET_BOOT_CONTEXT, &pc)) {
		TH_LOG("configuring the VM: %s", strerror(errno));
		close(vm);
		return -1;
	}
	/* The region holds the pages; the mapping is not needed any more */
	munmap(mem, GUEST_MEM);
	return vm;
}

/* ---------------------------------------------------------------------- */
/* A VM, not configured, with vCPU 0                                      */

FIXTURE(vcpu) {
	int dev;
	int vm;
	int vcpu;
};

FIXTURE_SETUP(vcpu)
{
	self->vm = -1;
	self->vcpu = -1;
	self->dev = open(GUNYAH_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->dev) TH_LOG("open %s: %s", GUNYAH_DEV, strerror(errno));
	self->vm = ioctl(self->dev, GUNYAH_CREATE_VM, 0);
	ASSERT_LE(0, self->vm) TH_LOG("GUNYAH_CREATE_VM: %s", strerror(errno));
	self->vcpu = add_vcpu(self->vm, 0);
	ASSERT_LE(0, self->vcpu) TH_LOG("vCPU 0: %s (is gunyah_vcpu.ko loaded?)",
					strerror(-self->vcpu));
}

FIXTURE_TEARDOWN(vcpu)
{
	close(self->vcpu);
	close(self->vm);
	close(self->dev);
}

TEST_F(vcpu, file)
{
	char path[64], link[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", self->vcpu);
	n = readlink(path, link, sizeof(link) - 1);
	ASSERT_LT(0, n);
	link[n] = '\0';
	EXPECT_STREQ("anon_inode:gh-vcpu:0", link);
	EXPECT_EQ(FD_CLOEXEC, fcntl(self->vcpu, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(O_RDWR, fcntl(self->vcpu, F_GETFL) & O_ACCMODE);
}

TEST_F(vcpu, mmap_size)
{
	EXPECT_EQ(page_size, ioctl(self->vcpu, GUNYAH_VCPU_MMAP_SIZE, 0));
	EXPECT_EQ(page_size, ioctl(self->vcpu, GH_VCPU_MMAP_SIZE, 0));
	EXPECT_LE(sizeof(struct gunyah_vcpu_run), page_size);
}

TEST_F(vcpu, mmap_offset)
{
	void *p;

	p = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_SHARED, self->vcpu, page_size);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	p = mmap(NULL, page_size, PROT_READ, MAP_SHARED, self->vcpu, 16 * page_size);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(vcpu, mmap_too_large)
{
	void *p;

	p = mmap(NULL, 2 * page_size, PROT_READ | PROT_WRITE, MAP_SHARED, self->vcpu, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	p = mmap(NULL, page_size + 1, PROT_READ, MAP_SHARED, self->vcpu, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
}

/* A private mapping would be a copy the kernel never sees: refused */
TEST_F(vcpu, mmap_private)
{
	void *p = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, self->vcpu, 0);

	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
}

/* One page, zeroed, the same in every mapping, that cannot grow */
TEST_F(vcpu, mmap_page)
{
	struct gunyah_vcpu_run *a, *b;
	static const char zero[sizeof(*a)];
	void *p;

	a = map_run(self->vcpu);
	ASSERT_NE(NULL, a) TH_LOG("mmap: %s", strerror(errno));
	b = mmap(NULL, page_size / 2, PROT_READ, MAP_SHARED, self->vcpu, 0);
	ASSERT_NE(MAP_FAILED, b);
	EXPECT_EQ(0, memcmp(a, zero, sizeof(zero)));
	a->immediate_exit = 1;
	EXPECT_EQ(1, b->immediate_exit);

	p = mremap(a, page_size, 2 * page_size, MREMAP_MAYMOVE);
	EXPECT_EQ(MAP_FAILED, p);

	/* The mapping outlives the files */
	close(self->vcpu);
	self->vcpu = -1;
	close(self->vm);
	self->vm = -1;
	EXPECT_EQ(1, b->immediate_exit);
	EXPECT_EQ(0, munmap(a, page_size));
	EXPECT_EQ(0, munmap(b, page_size / 2));
}

TEST_F(vcpu, unknown_ioctl)
{
	struct gunyah_vm_dtb_config dtb = { GUEST_GPA, page_size };

	EXPECT_EQ(ENOTTY, ioctl_err(self->vcpu, GUNYAH_VM_START, 0));
	EXPECT_EQ(ENOTTY, ioctl_err(self->vcpu, GUNYAH_VM_SET_DTB_CONFIG,
				    (unsigned long)&dtb));
	EXPECT_EQ(ENOTTY, ioctl_err(self->vcpu, GUNYAH_CREATE_VM, 0));
	EXPECT_EQ(ENOTTY, ioctl_err(self->vcpu, _IO(GUNYAH_IOCTL_TYPE, 0x99), 0));
	/* VCPU_RUN with another size is another ioctl */
	EXPECT_EQ(ENOTTY, ioctl_err(self->vcpu, _IOW(GUNYAH_IOCTL_TYPE, 0x5, __u32), 0));
}

TEST_F(vcpu, id_out_of_range)
{
	int fd;

	EXPECT_EQ(-EINVAL, add_vcpu(self->vm, MAX_VCPU_ID + 1));
	EXPECT_EQ(-EINVAL, add_vcpu(self->vm, 0x80000000U));
	EXPECT_EQ(-EINVAL, add_vcpu(self->vm, 0xffffffffU));
	fd = add_vcpu(self->vm, MAX_VCPU_ID);
	EXPECT_LE(0, fd) TH_LOG("vCPU %d: %s", MAX_VCPU_ID, strerror(-fd));
	close(fd);
}

TEST_F(vcpu, duplicate_id)
{
	int fd, again;

	EXPECT_EQ(-EEXIST, add_vcpu(self->vm, 0));
	fd = add_vcpu(self->vm, 5);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EEXIST, add_vcpu(self->vm, 5));

	/* Removed by id; then the id is free again */
	EXPECT_EQ(ENOENT, remove_vcpu(self->vm, 6));
	EXPECT_EQ(0, remove_vcpu(self->vm, 5));
	EXPECT_EQ(ENOENT, remove_vcpu(self->vm, 5));
	again = add_vcpu(self->vm, 5);
	EXPECT_LE(0, again);
	/* The removed vCPU's file stays usable for what needs no VM */
	EXPECT_EQ(page_size, ioctl(fd, GUNYAH_VCPU_MMAP_SIZE, 0));
	close(again);
	close(fd);
}

TEST_F(vcpu, bad_arg_size)
{
	static const __u32 sizes[] = { 0, 1, 3, 5, 8, GUNYAH_FN_MAX_ARG_SIZE };
	char arg[GUNYAH_FN_MAX_ARG_SIZE] = { 0 };
	unsigned int i;

	arg[0] = 7;
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		EXPECT_EQ(-1, vcpu_fn(self->vm, GUNYAH_VM_ADD_FUNCTION, arg, sizes[i]));
		EXPECT_EQ(EINVAL, errno) TH_LOG("arg_size %u", sizes[i]);
		/* Nothing of that size to remove either */
		EXPECT_EQ(-1, vcpu_fn(self->vm, GUNYAH_VM_REMOVE_FUNCTION, arg, sizes[i]));
		EXPECT_EQ(ENOENT, errno) TH_LOG("arg_size %u", sizes[i]);
	}
	/* And vCPU 7 was never added */
	EXPECT_EQ(ENOENT, remove_vcpu(self->vm, 7));
}

/* No memory, no devicetree: the start's error, each time; still configurable */
TEST_F(vcpu, run_unconfigured)
{
	struct gunyah_vm_dtb_config dtb = { GUEST_GPA, page_size };

	EXPECT_EQ(EINVAL, ioctl_err(self->vcpu, GUNYAH_VCPU_RUN, 0));
	EXPECT_EQ(EINVAL, ioctl_err(self->vcpu, GH_VCPU_RUN, 0));
	EXPECT_EQ(0, ioctl_err(self->vm, GUNYAH_VM_SET_DTB_CONFIG, (unsigned long)&dtb));
	EXPECT_EQ(EINVAL, ioctl_err(self->vcpu, GUNYAH_VCPU_RUN, 0));
	EXPECT_EQ(EINVAL, ioctl_err(self->vm, GUNYAH_VM_START, 0));
}

/* The vCPU file holds the VM */
TEST_F(vcpu, keeps_vm)
{
	EXPECT_EQ(0, close(self->vm));
	self->vm = -1;
	EXPECT_EQ(page_size, ioctl(self->vcpu, GUNYAH_VCPU_MMAP_SIZE, 0));
	EXPECT_EQ(EINVAL, ioctl_err(self->vcpu, GUNYAH_VCPU_RUN, 0));
}

/* ---------------------------------------------------------------------- */
/* VMs that start                                                         */

FIXTURE(vm) {
	int dev;
	int vm;
};

FIXTURE_SETUP(vm)
{
	self->vm = -1;
	self->dev = open(GUNYAH_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->dev) TH_LOG("open %s: %s", GUNYAH_DEV, strerror(errno));
}

FIXTURE_TEARDOWN(vm)
{
	close(self->vm);
	close(self->dev);
}

/* The RM refuses the VM (no vCPUs): the error first, then LOAD_FAILED, for good */
TEST_F_TIMEOUT(vm, run_start_refused, 120)
{
	struct gunyah_vcpu_run *run;
	int vcpu;

	self->vm = make_vm(_metadata, self->dev, false);
	ASSERT_LE(0, self->vm);
	vcpu = add_vcpu(self->vm, 0);
	ASSERT_LE(0, vcpu);
	run = map_run(vcpu);
	ASSERT_NE(NULL, run);

	EXPECT_EQ(ENODEV, ioctl_err(vcpu, GUNYAH_VCPU_RUN, 0));
	EXPECT_EQ(0, ioctl_err(vcpu, GUNYAH_VCPU_RUN, 0));
	EXPECT_EQ(GUNYAH_VCPU_EXIT_STATUS, run->exit_reason);
	EXPECT_EQ(GUNYAH_VM_STATUS_LOAD_FAILED, run->status.status);
	run->exit_reason = 0;
	EXPECT_EQ(0, ioctl_err(vcpu, GUNYAH_VCPU_RUN, 0));
	EXPECT_EQ(GUNYAH_VCPU_EXIT_STATUS, run->exit_reason);
	EXPECT_EQ(GUNYAH_VM_STATUS_LOAD_FAILED, run->status.status);
	EXPECT_EQ(EBUSY, ioctl_err(self->vm, GUNYAH_VM_START, 0));
	munmap(run, page_size);
	close(vcpu);
}

/* immediate_exit: EINTR, after the start; resume_action with nothing pending is ignored */
TEST_F_TIMEOUT(vm, immediate_exit, 120)
{
	struct gunyah_vcpu_run *run;
	int vcpu;

	self->vm = make_vm(_metadata, self->dev, true);
	ASSERT_LE(0, self->vm);
	vcpu = add_vcpu(self->vm, 0);
	ASSERT_LE(0, vcpu);
	run = map_run(vcpu);
	ASSERT_NE(NULL, run);

	run->immediate_exit = 1;
	run->mmio.resume_action = 0xff;
	EXPECT_EQ(EINTR, ioctl_err(vcpu, GUNYAH_VCPU_RUN, 0));
	EXPECT_EQ(EINTR, ioctl_err(vcpu, GUNYAH_VCPU_RUN, 0));
	/* The first VCPU_RUN started the VM */
	EXPECT_EQ(EBUSY, ioctl_err(self->vm, GUNYAH_VM_START, 0));
	munmap(run, page_size);
	close(vcpu);
}

/* A vCPU the RM never reported: ENODEV, the VM started anyway */
TEST_F_TIMEOUT(vm, unknown_vcpu, 120)
{
	int vcpu;

	self->vm = make_vm(_metadata, self->dev, true);
	ASSERT_LE(0, self->vm);
	vcpu = add_vcpu(self->vm, 1);
	ASSERT_LE(0, vcpu);
	EXPECT_EQ(ENODEV, ioctl_err(vcpu, GUNYAH_VCPU_RUN, 0));
	EXPECT_EQ(ENODEV, ioctl_err(vcpu, GUNYAH_VCPU_RUN, 0));
	EXPECT_EQ(EBUSY, ioctl_err(self->vm, GUNYAH_VM_START, 0));
	close(vcpu);
}

/* vCPUs added after the start get their resource at once; removed ones go */
TEST_F_TIMEOUT(vm, add_after_start, 120)
{
	struct gunyah_vcpu_run *run;
	int vcpu0, vcpu1;

	self->vm = make_vm(_metadata, self->dev, true);
	ASSERT_LE(0, self->vm);
	ASSERT_EQ(0, ioctl_err(self->vm, GUNYAH_VM_START, 0));
	vcpu0 = add_vcpu(self->vm, 0);
	ASSERT_LE(0, vcpu0);
	vcpu1 = add_vcpu(self->vm, 1);
	ASSERT_LE(0, vcpu1);
	run = map_run(vcpu0);
	ASSERT_NE(NULL, run);

	run->immediate_exit = 1;
	EXPECT_EQ(EINTR, ioctl_err(vcpu0, GUNYAH_VCPU_RUN, 0));
	EXPECT_EQ(ENODEV, ioctl_err(vcpu1, GUNYAH_VCPU_RUN, 0));

	/* Removed: its file stays, without the vCPU */
	EXPECT_EQ(0, remove_vcpu(self->vm, 0));
	EXPECT_EQ(ENODEV, ioctl_err(vcpu0, GUNYAH_VCPU_RUN, 0));
	munmap(run, page_size);
	close(vcpu1);
	close(vcpu0);
}

/* Two threads on one vCPU: the second one gets EBUSY */

struct runner {
	pthread_t thread;
	int vcpu;
	int err;		/* of VCPU_RUN, 0 if it returned 0 */
	bool done;		/* atomic: set by the thread once it returned */
};

static bool runner_done(struct runner *r)
{
	return __atomic_load_n(&r->done, __ATOMIC_ACQUIRE);
}

static void *runner_fn(void *data)
{
	struct runner *r = data;

	r->err = ioctl_err(r->vcpu, GUNYAH_VCPU_RUN, 0);
	__atomic_store_n(&r->done, true, __ATOMIC_RELEASE);
	return NULL;
}

static void on_sigusr1(int sig)
{
	(void)sig;
}

/* Wait up to @ms milliseconds for @r to return */
static bool runner_wait(struct runner *r, unsigned int ms)
{
	const struct timespec tick = { .tv_nsec = 10 * 1000 * 1000 };
	unsigned int i;

	for (i = 0; i < ms / 10 && !runner_done(r); i++)
		nanosleep(&tick, NULL);
	return runner_done(r);
}

TEST_F_TIMEOUT(vm, two_threads, 120)
{
	/* No SA_RESTART: a signal ends VCPU_RUN with EINTR */
	struct sigaction sa = { .sa_handler = on_sigusr1 };
	struct gunyah_vcpu_run *run;
	struct runner r = { 0 };
	unsigned int i;
	int vcpu;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	self->vm = make_vm(_metadata, self->dev, true);
	ASSERT_LE(0, self->vm);
	vcpu = add_vcpu(self->vm, 0);
	ASSERT_LE(0, vcpu);
	run = map_run(vcpu);
	ASSERT_NE(NULL, run);

	/* The guest spins on "b .": its vCPU stays in VCPU_RUN */
	r.vcpu = vcpu;
	ASSERT_EQ(0, pthread_create(&r.thread, NULL, runner_fn, &r));
	if (runner_wait(&r, 1000)) {
		pthread_join(r.thread, NULL);
		if (r.err == EOPNOTSUPP)
			SKIP(return, "the hypervisor has no vcpu_run: guests do not execute");
	}
	ASSERT_FALSE(runner_done(&r))
		TH_LOG("VCPU_RUN of a spinning guest returned: %s, exit reason %u",
		       r.err ? strerror(r.err) : "0", run->exit_reason);

	EXPECT_EQ(EBUSY, ioctl_err(vcpu, GUNYAH_VCPU_RUN, 0));
	EXPECT_EQ(EBUSY, ioctl_err(vcpu, GUNYAH_VCPU_RUN, 0));

	/* A signal ends the run; repeat it in case it came before the ioctl */
	for (i = 0; i < 100 && !runner_done(&r); i++) {
		pthread_kill(r.thread, SIGUSR1);
		runner_wait(&r, 50);
	}
	ASSERT_TRUE(runner_done(&r));
	pthread_join(r.thread, NULL);
	EXPECT_EQ(EINTR, r.err);

	/* Free again */
	run->immediate_exit = 1;
	EXPECT_EQ(EINTR, ioctl_err(vcpu, GUNYAH_VCPU_RUN, 0));
	munmap(run, page_size);
	close(vcpu);
}

int main(int argc, char **argv)
{
	page_size = sysconf(_SC_PAGESIZE);
	return test_harness_run(argc, argv);
}
