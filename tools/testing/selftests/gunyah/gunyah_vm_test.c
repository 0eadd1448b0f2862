// SPDX-License-Identifier: GPL-2.0-only
/*
 * Selftests of the Gunyah VM manager: /dev/gunyah, GUNYAH_CREATE_VM, the
 * ioctls of a VM that is not started, and GUNYAH_VM_START of a VM with
 * shared and lent memory and a minimal devicetree. Needs a Gunyah Resource
 * Manager that allocates, builds and starts VMs, and root (CAP_IPC_LOCK is
 * dropped where a test needs RLIMIT_MEMLOCK to apply).
 */

#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/gunyah.h>

#include "../kselftest_harness.h"
#include "../../gunyah/guests/test_device.h"
#include "guest_dt.h"

#define GUNYAH_DEV	"/dev/gunyah"

static long page_size;

/*
 * check.sh's lane for Qualcomm's release sets GUNYAH_SELFTEST_HYP=qualcomm:
 * a test that would hit one of its known defects skips, saying which.
 */
static bool on_real_gunyah(void)
{
	const char *hyp = getenv("GUNYAH_SELFTEST_HYP");

	return hyp && !strcmp(hyp, "qualcomm");
}

/* ioctl() that returns the errno on failure, 0 on success */
static int ioctl_err(int fd, unsigned long cmd, unsigned long arg)
{
	return ioctl(fd, cmd, arg) < 0 ? errno : 0;
}

/* A field of /proc/self/status or /proc/meminfo, in kB; -1 if absent */
static long read_kb(const char *path, const char *key)
{
	size_t len = strlen(key);
	char line[256];
	long val = -1;
	FILE *f;

	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, len) && line[len] == ':') {
			val = strtol(line + len + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return val;
}

static long locked_kb(void)
{
	return read_kb("/proc/self/status", "VmLck");
}

static long memfree_kb(void)
{
	return read_kb("/proc/meminfo", "MemFree");
}

/*
 * Free memory in kB: MemFree plus the free pages cached on the per-CPU
 * lists, which MemFree leaves out and which can hold tens of MiB after a
 * large free. From /proc/zoneinfo: every zone's nr_free_pages and every
 * pageset's count.
 */
static long free_kb(void)
{
	long pages = 0, val;
	char line[256];
	FILE *f;

	f = fopen("/proc/zoneinfo", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " nr_free_pages %ld", &val) == 1 ||
		    sscanf(line, " count: %ld", &val) == 1)
			pages += val;
	}
	fclose(f);
	return pages * (page_size / 1024);
}

/*
 * Pages pinned and not yet unpinned, system wide, from /proc/vmstat. The
 * counters are per CPU: fold them first (root only).
 */
static long pins_held(void)
{
	long acquired = -1, released = -1;
	char name[64];
	long val;
	FILE *f;
	int fd;

	fd = open("/proc/sys/vm/stat_refresh", O_WRONLY);
	if (fd < 0)
		return -1;
	if (write(fd, "1", 1) != 1) {
		close(fd);
		return -1;
	}
	close(fd);

	f = fopen("/proc/vmstat", "r");
	if (!f)
		return -1;
	while (fscanf(f, "%63s %ld", name, &val) == 2) {
		if (!strcmp(name, "nr_foll_pin_acquired"))
			acquired = val;
		else if (!strcmp(name, "nr_foll_pin_released"))
			released = val;
	}
	fclose(f);
	return acquired < 0 || released < 0 ? -1 : acquired - released;
}

/* Drop CAP_IPC_LOCK, so that RLIMIT_MEMLOCK applies to this process */
static int drop_ipc_lock(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[CAP_TO_INDEX(CAP_IPC_LOCK)].effective &= ~CAP_TO_MASK(CAP_IPC_LOCK);
	data[CAP_TO_INDEX(CAP_IPC_LOCK)].permitted &= ~CAP_TO_MASK(CAP_IPC_LOCK);
	return syscall(SYS_capset, &hdr, data);
}

static void *map_pages(size_t n, int prot)
{
	void *p = mmap(NULL, n * page_size, prot, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (prot & PROT_WRITE)
		memset(p, 0x5a, n * page_size);
	return p;
}

/* ---------------------------------------------------------------------- */
/* /dev/gunyah                                                            */

/* Numbers the VM fd must not know (uapi.md 1: left out, or other fds). */
#define GUNYAH_V17_CREATE_GUEST_MEM	_IOW(GUNYAH_IOCTL_TYPE, 0x8, char[64])
#define DROIDVM_SHARE_IOCTL		_IOWR(GUNYAH_IOCTL_TYPE, 0x14, char[40])
#define GUNYAH_ANDROID_MAP_CMA_MEM	_IOW(GUNYAH_ANDROID_IOCTL_TYPE, 0x15, char[40])
#define GUNYAH_ANDROID_SET_AUTH_TYPE	_IOW(GUNYAH_ANDROID_IOCTL_TYPE, 0x16, char[16])
#define SET_USER_MEM_REGION_24		_IOW(GUNYAH_IOCTL_TYPE, 0x1, char[24])

FIXTURE(dev) {
	int fd;
};

FIXTURE_SETUP(dev)
{
	self->fd = open(GUNYAH_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", GUNYAH_DEV, strerror(errno));
}

FIXTURE_TEARDOWN(dev)
{
	close(self->fd);
}

TEST_F(dev, create_vm_reserved_arg)
{
	EXPECT_EQ(EINVAL, ioctl_err(self->fd, GUNYAH_CREATE_VM, 1));
	EXPECT_EQ(EINVAL, ioctl_err(self->fd, GUNYAH_CREATE_VM, 0x80000000UL));
	EXPECT_EQ(EINVAL, ioctl_err(self->fd, GUNYAH_CREATE_VM, ~0UL));
}

TEST_F(dev, create_vm)
{
	char path[64], link[64];
	int vm1, vm2;
	ssize_t n;

	vm1 = ioctl(self->fd, GUNYAH_CREATE_VM, 0);
	ASSERT_LE(0, vm1) TH_LOG("GUNYAH_CREATE_VM: %s", strerror(errno));
	vm2 = ioctl(self->fd, GH_CREATE_VM, 0);
	ASSERT_LE(0, vm2) TH_LOG("GH_CREATE_VM: %s", strerror(errno));

	snprintf(path, sizeof(path), "/proc/self/fd/%d", vm1);
	n = readlink(path, link, sizeof(link) - 1);
	ASSERT_LT(0, n);
	link[n] = '\0';
	EXPECT_STREQ("anon_inode:gunyah-vm", link);
	EXPECT_EQ(FD_CLOEXEC, fcntl(vm1, F_GETFD) & FD_CLOEXEC);

	/* The VM outlives the /dev/gunyah file it came from */
	close(self->fd);
	self->fd = -1;
	EXPECT_EQ(0, ioctl_err(vm1, GUNYAH_VM_CHECK_EXTENSION, 0));

	EXPECT_EQ(0, close(vm1));
	EXPECT_EQ(0, close(vm2));
}

TEST_F(dev, unknown_ioctl)
{
	struct gunyah_userspace_memory_region region = { 0 };

	EXPECT_EQ(ENOTTY, ioctl_err(self->fd, _IO(GUNYAH_IOCTL_TYPE, 0x99), 0));
	EXPECT_EQ(ENOTTY, ioctl_err(self->fd, GUNYAH_VM_START, 0));
	EXPECT_EQ(ENOTTY, ioctl_err(self->fd, GUNYAH_VM_SET_USER_MEM_REGION,
				    (unsigned long)&region));
	EXPECT_EQ(ENOTTY, ioctl_err(self->fd, _IO(GUNYAH_ANDROID_IOCTL_TYPE, 0x17),
				    0));
	EXPECT_EQ(ENOTTY, ioctl_err(self->fd, _IO('K', 0), 0));
}

#define CYCLES		200
#define CYCLE_PAGES	16
/* Slack for MemFree: page cache and slab come and go */
#define MEMFREE_SLACK_KB	2048

/*
 * Whether MemFree can tell a leak. Not on a debug kernel with kmemleak,
 * which is the leak check there (make check-debug): KASAN's quarantine
 * holds freed memory back, up to 1/32 of it, and kmemleak's metadata
 * grows. The pinned and locked counts are checked everywhere.
 */
static bool memfree_tells_leaks(void)
{
	return access("/sys/kernel/debug/kmemleak", F_OK) != 0;
}

static void create_destroy_cycle(struct __test_metadata *_metadata, int dev,
				 unsigned int i)
{
	struct gunyah_userspace_memory_region region = {
		.label = i,
		.flags = GUNYAH_MEM_ALLOW_READ | GUNYAH_MEM_ALLOW_WRITE,
		.guest_phys_addr = 0x80000000,
		.memory_size = CYCLE_PAGES * page_size,
	};
	unsigned long cmd = i % 2 ? GUNYAH_VM_ANDROID_LEND_USER_MEM :
				    GUNYAH_VM_SET_USER_MEM_REGION;
	void *mem = map_pages(CYCLE_PAGES, PROT_READ | PROT_WRITE);
	int vm;

	ASSERT_NE(NULL, mem);
	region.userspace_addr = (uintptr_t)mem;
	vm = ioctl(dev, GUNYAH_CREATE_VM, 0);
	ASSERT_LE(0, vm) TH_LOG("cycle %u: GUNYAH_CREATE_VM: %s", i,
				strerror(errno));
	ASSERT_EQ(0, ioctl_err(vm, cmd, (unsigned long)&region))
		TH_LOG("cycle %u", i);
	ASSERT_EQ(0, close(vm));
	ASSERT_EQ(0, munmap(mem, CYCLE_PAGES * page_size));
}

/* 200 cycles take over a minute on the real Gunyah under QEMU (8 vCPUs, TCG) */
TEST_F_TIMEOUT(dev, create_destroy_cycles, 300)
{
	long lck, pins, memfree, memfree_after;
	unsigned int i;

	/* Warm up slab caches and the RM */
	create_destroy_cycle(_metadata, self->fd, 0);

	lck = locked_kb();
	pins = pins_held();
	memfree = memfree_kb();
	ASSERT_LE(0, lck);
	ASSERT_LE(0, pins);
	ASSERT_LT(0, memfree);

	for (i = 1; i <= CYCLES; i++)
		create_destroy_cycle(_metadata, self->fd, i);

	memfree_after = memfree_kb();
	EXPECT_EQ(lck, locked_kb());
	EXPECT_EQ(pins, pins_held());
	TH_LOG("MemFree %ld kB before, %ld kB after %d cycles", memfree, memfree_after, CYCLES);
	if (memfree_tells_leaks())
		EXPECT_GE(memfree_after + MEMFREE_SLACK_KB, memfree);
}

/* ---------------------------------------------------------------------- */
/* A VM: configuration                                                    */

FIXTURE(vm) {
	int dev;
	int vm;
};

FIXTURE_SETUP(vm)
{
	self->vm = -1;
	self->dev = open(GUNYAH_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->dev) TH_LOG("open %s: %s", GUNYAH_DEV,
				       strerror(errno));
	self->vm = ioctl(self->dev, GUNYAH_CREATE_VM, 0);
	ASSERT_LE(0, self->vm) TH_LOG("GUNYAH_CREATE_VM: %s", strerror(errno));
}

FIXTURE_TEARDOWN(vm)
{
	close(self->vm);
	close(self->dev);
}

TEST_F(vm, function_arguments)
{
	__u32 arg = 0;
	struct gunyah_fn_desc fn = {
		.type = 0x7fff0000,	/* no module provides it */
		.arg_size = sizeof(arg),
		.arg = (unsigned long)&arg,
	};

	EXPECT_EQ(ENOENT, ioctl_err(self->vm, GUNYAH_VM_ADD_FUNCTION, (unsigned long)&fn));
	EXPECT_EQ(ENOENT, ioctl_err(self->vm, GUNYAH_VM_REMOVE_FUNCTION, (unsigned long)&fn));
	fn.arg_size = GUNYAH_FN_MAX_ARG_SIZE + 1;
	EXPECT_EQ(EINVAL, ioctl_err(self->vm, GUNYAH_VM_ADD_FUNCTION, (unsigned long)&fn));
	EXPECT_EQ(EINVAL, ioctl_err(self->vm, GUNYAH_VM_REMOVE_FUNCTION, (unsigned long)&fn));
	fn.arg_size = sizeof(arg);
	fn.arg = 8;
	EXPECT_EQ(EFAULT, ioctl_err(self->vm, GUNYAH_VM_ADD_FUNCTION, (unsigned long)&fn));
	EXPECT_EQ(EFAULT, ioctl_err(self->vm, GUNYAH_VM_ADD_FUNCTION, 8));
}

TEST_F(vm, unknown_ioctl)
{
	/* vCPU ioctls, /dev/gunyah ioctls, left out and unknown numbers */
	EXPECT_EQ(ENOTTY, ioctl_err(self->vm, GUNYAH_VCPU_RUN, 0));
	EXPECT_EQ(ENOTTY, ioctl_err(self->vm, GUNYAH_VCPU_MMAP_SIZE, 0));
	EXPECT_EQ(ENOTTY, ioctl_err(self->vm, GUNYAH_CREATE_VM, 0));
	EXPECT_EQ(ENOTTY, ioctl_err(self->vm, GUNYAH_V17_CREATE_GUEST_MEM, 0));
	EXPECT_EQ(ENOTTY, ioctl_err(self->vm, DROIDVM_SHARE_IOCTL, 0));
	EXPECT_EQ(ENOTTY, ioctl_err(self->vm, GUNYAH_ANDROID_MAP_CMA_MEM, 0));
	EXPECT_EQ(ENOTTY, ioctl_err(self->vm, GUNYAH_ANDROID_SET_AUTH_TYPE, 0));
	EXPECT_EQ(ENOTTY, ioctl_err(self->vm, _IO(GUNYAH_IOCTL_TYPE, 0x99), 0));
	/* The right number with another size is another ioctl */
	EXPECT_EQ(ENOTTY, ioctl_err(self->vm, SET_USER_MEM_REGION_24, 0));
}

TEST_F(vm, check_extension)
{
	EXPECT_EQ(0, ioctl(self->vm, GUNYAH_VM_CHECK_EXTENSION,
			   GUNYAH_CAP_VCPU_TIMER_WAKEUP));
	EXPECT_EQ(0, ioctl(self->vm, GUNYAH_VM_CHECK_EXTENSION, 1));
	EXPECT_EQ(0, ioctl(self->vm, GUNYAH_VM_CHECK_EXTENSION, 0xdeadbeef));
}

TEST_F(vm, dtb_config)
{
	struct gunyah_vm_dtb_config c = { 0x80000000, 0x1000 };

	EXPECT_EQ(0, ioctl_err(self->vm, GUNYAH_VM_SET_DTB_CONFIG,
			       (unsigned long)&c));
	/* Again: replaces; no alignment needed */
	c.guest_phys_addr = 0x80000123;
	c.size = 0x321;
	EXPECT_EQ(0, ioctl_err(self->vm, GH_VM_SET_DTB_CONFIG, (unsigned long)&c));
	c.size = 0;
	EXPECT_EQ(EINVAL, ioctl_err(self->vm, GUNYAH_VM_SET_DTB_CONFIG,
				    (unsigned long)&c));
	c.guest_phys_addr = ~0ULL - 0xfff;
	c.size = 0x1000;
	EXPECT_EQ(EOVERFLOW, ioctl_err(self->vm, GUNYAH_VM_SET_DTB_CONFIG,
				       (unsigned long)&c));
	EXPECT_EQ(EFAULT, ioctl_err(self->vm, GUNYAH_VM_SET_DTB_CONFIG, 0));
	EXPECT_EQ(EFAULT, ioctl_err(self->vm, GUNYAH_VM_SET_DTB_CONFIG, 8));
}

TEST_F(vm, fw_config)
{
	struct gunyah_vm_firmware_config c = { 0x80000000, 0x200000 };

	EXPECT_EQ(0, ioctl_err(self->vm, GUNYAH_VM_ANDROID_SET_FW_CONFIG,
			       (unsigned long)&c));
	c.size = 0;
	EXPECT_EQ(EINVAL, ioctl_err(self->vm, GH_VM_ANDROID_SET_FW_CONFIG,
				    (unsigned long)&c));
	c.guest_phys_addr = ~0ULL;
	c.size = 1;
	EXPECT_EQ(EOVERFLOW, ioctl_err(self->vm, GUNYAH_VM_ANDROID_SET_FW_CONFIG,
				       (unsigned long)&c));
	EXPECT_EQ(EFAULT, ioctl_err(self->vm, GUNYAH_VM_ANDROID_SET_FW_CONFIG, 0));
}

static int set_boot_context(int vm, __u32 reg, __u32 reserved)
{
	struct gunyah_vm_boot_context c = {
		.reg = reg,
		.reserved = reserved,
		.value = 0x1122334455667788ULL,
	};

	return ioctl_err(vm, GUNYAH_VM_SET_BOOT_CONTEXT, (unsigned long)&c);
}

#define REG(set, idx)	GUNYAH_VM_BOOT_CONTEXT_REG(GUNYAH_VM_BOOT_CONTEXT_REG_SET_##set, idx)

TEST_F(vm, boot_context)
{
	EXPECT_EQ(0, set_boot_context(self->vm, REG(X, 0), 0));
	EXPECT_EQ(0, set_boot_context(self->vm, REG(X, 31), 0));
	EXPECT_EQ(0, set_boot_context(self->vm, REG(PC, 0), 0));
	EXPECT_EQ(0, set_boot_context(self->vm, REG(SP, 0), 0));
	EXPECT_EQ(0, set_boot_context(self->vm, REG(SP, 2), 0));
	/* Again: replaces */
	EXPECT_EQ(0, set_boot_context(self->vm, REG(PC, 0), 0));

	EXPECT_EQ(EINVAL, set_boot_context(self->vm, REG(X, 32), 0));
	EXPECT_EQ(EINVAL, set_boot_context(self->vm, REG(X, 255), 0));
	EXPECT_EQ(EINVAL, set_boot_context(self->vm, REG(PC, 1), 0));
	EXPECT_EQ(EINVAL, set_boot_context(self->vm, REG(SP, 3), 0));
	EXPECT_EQ(EINVAL, set_boot_context(self->vm, GUNYAH_VM_BOOT_CONTEXT_REG(3, 0), 0));
	EXPECT_EQ(EINVAL, set_boot_context(self->vm, GUNYAH_VM_BOOT_CONTEXT_REG(0xff, 0), 0));
	EXPECT_EQ(EINVAL, set_boot_context(self->vm, 0x10000 | REG(X, 0), 0));
	EXPECT_EQ(EINVAL, set_boot_context(self->vm, 0x80000000 | REG(PC, 0), 0));
	EXPECT_EQ(EINVAL, set_boot_context(self->vm, REG(X, 0), 1));
	EXPECT_EQ(EFAULT, ioctl_err(self->vm, GUNYAH_VM_SET_BOOT_CONTEXT, 0));
}

TEST_F(vm, reclaim_region)
{
	struct gunyah_userspace_memory_region region = {
		.label = 1,
		.flags = GUNYAH_MEM_ALLOW_READ | GUNYAH_MEM_ALLOW_WRITE,
		.guest_phys_addr = 0x80000000,
		.memory_size = 4 * page_size,
	};
	struct gunyah_address_range r = { 0x80000000, page_size };
	void *mem = map_pages(4, PROT_READ | PROT_WRITE);
	pid_t pid;
	int status;

	ASSERT_NE(NULL, mem);
	region.userspace_addr = (uintptr_t)mem;
	ASSERT_EQ(0, ioctl_err(self->vm, GUNYAH_VM_SET_USER_MEM_REGION,
			       (unsigned long)&region));

	/* Nothing has been given to the VM before it starts */
	EXPECT_EQ(EINVAL, ioctl_err(self->vm, GUNYAH_VM_RECLAIM_REGION,
				    (unsigned long)&r));
	r.size = 0;
	EXPECT_EQ(EINVAL, ioctl_err(self->vm, GH_VM_RECLAIM_REGION,
				    (unsigned long)&r));
	r.size = page_size / 2;
	EXPECT_EQ(EINVAL, ioctl_err(self->vm, GUNYAH_VM_RECLAIM_REGION,
				    (unsigned long)&r));
	r.gpa = 0x80000010;
	r.size = page_size;
	EXPECT_EQ(EINVAL, ioctl_err(self->vm, GUNYAH_VM_RECLAIM_REGION,
				    (unsigned long)&r));
	r.gpa = ~0ULL - page_size + 1;
	EXPECT_EQ(EOVERFLOW, ioctl_err(self->vm, GUNYAH_VM_RECLAIM_REGION,
				       (unsigned long)&r));
	EXPECT_EQ(EFAULT, ioctl_err(self->vm, GUNYAH_VM_RECLAIM_REGION, 0));

	/* Only the VM's creator may reclaim */
	r.gpa = 0x80000000;
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(ioctl_err(self->vm, GUNYAH_VM_RECLAIM_REGION,
				(unsigned long)&r));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(EPERM, WEXITSTATUS(status));
}

/* ---------------------------------------------------------------------- */
/* A VM: memory regions, shared and lent                                  */

#define MEM_PAGES	16
#define GPA		0x80000000ULL

FIXTURE(mem) {
	int dev;
	int vm;
	char *mem;
	long lck;
	long pins;
};

FIXTURE_VARIANT(mem) {
	unsigned long cmd;
};

FIXTURE_VARIANT_ADD(mem, share) {
	.cmd = GUNYAH_VM_SET_USER_MEM_REGION,
};

FIXTURE_VARIANT_ADD(mem, lend) {
	.cmd = GUNYAH_VM_ANDROID_LEND_USER_MEM,
};

FIXTURE_SETUP(mem)
{
	self->vm = -1;
	self->dev = open(GUNYAH_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->dev) TH_LOG("open %s: %s", GUNYAH_DEV,
				       strerror(errno));
	self->vm = ioctl(self->dev, GUNYAH_CREATE_VM, 0);
	ASSERT_LE(0, self->vm) TH_LOG("GUNYAH_CREATE_VM: %s", strerror(errno));
	self->mem = map_pages(MEM_PAGES, PROT_READ | PROT_WRITE);
	ASSERT_NE(NULL, self->mem);
	self->lck = locked_kb();
	self->pins = pins_held();
	ASSERT_LE(0, self->lck);
	ASSERT_LE(0, self->pins);
}

FIXTURE_TEARDOWN(mem)
{
	close(self->vm);
	close(self->dev);
}

static int add_region(int vm, unsigned long cmd, __u32 label, __u32 flags,
		      __u64 gpa, __u64 size, const void *uaddr)
{
	struct gunyah_userspace_memory_region r = {
		.label = label,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)uaddr,
	};

	return ioctl_err(vm, cmd, (unsigned long)&r);
}

#define RW	(GUNYAH_MEM_ALLOW_READ | GUNYAH_MEM_ALLOW_WRITE)

/* Nothing more pinned or locked than @pages pages of regions */
#define EXPECT_HELD(pages) do { \
	unsigned long __held = (pages); \
	EXPECT_EQ(self->lck + __held * page_size / 1024, locked_kb()); \
	EXPECT_EQ(self->pins + __held, pins_held()); \
} while (0)

TEST_F(mem, add_and_release)
{
	EXPECT_EQ(0, add_region(self->vm, variant->cmd, 0, RW, GPA,
				4 * page_size, self->mem));
	EXPECT_EQ(0, add_region(self->vm, variant->cmd, 1, GUNYAH_MEM_ALLOW_RWX,
				GPA + 4 * page_size, 4 * page_size,
				self->mem + 4 * page_size));
	EXPECT_EQ(0, add_region(self->vm, variant->cmd, 2,
				GUNYAH_MEM_ALLOW_READ, 0x1000000000ULL,
				page_size, self->mem + 8 * page_size));
	EXPECT_HELD(9);

	/* The last reference to the VM unpins and unaccounts everything */
	EXPECT_EQ(0, close(self->vm));
	self->vm = -1;
	EXPECT_HELD(0);
}

struct bad_region {
	const char *name;
	__u32 flags;
	__u64 gpa;
	__u64 size;
	__u64 uaddr_offset;	/* from the fixture's memory */
	__u64 uaddr;		/* if not 0: absolute */
	int err;
};

static const struct bad_region bad_regions[] = {
	{ "no access flags", 0, GPA, 0x1000, 0, 0, EINVAL },
	{ "unknown flag 1 << 3", RW | 8, GPA, 0x1000, 0, 0, EINVAL },
	{ "unknown flag 1 << 31", RW | 0x80000000, GPA, 0x1000, 0, 0, EINVAL },
	{ "size 0", RW, GPA, 0, 0, 0, EINVAL },
	{ "size not page aligned", RW, GPA, 0x1800, 0, 0, EINVAL },
	{ "gpa not page aligned", RW, GPA + 0x10, 0x1000, 0, 0, EINVAL },
	{ "user address not page aligned", RW, GPA, 0x1000, 0x10, 0, EINVAL },
	{ "gpa + size wraps to 0", RW, ~0ULL - 0xfff, 0x1000, 0, 0, EOVERFLOW },
	{ "gpa + size wraps", RW, ~0ULL - 0xfff, 0x2000, 0, 0, EOVERFLOW },
	{ "user address + size wraps", RW, GPA, 0x2000, 0, ~0ULL - 0xfff,
	  EOVERFLOW },
	{ "user address beyond user space", RW, GPA, 0x1000, 0, 1ULL << 54,
	  EFAULT },
	{ "kernel address", RW, GPA, 0x1000, 0, 0xffff800080000000ULL, EFAULT },
	{ "unmapped user memory", RW, GPA, 0x1000, 0, 0x1000, EFAULT },
	{ "larger than the RAM", RW, GPA, 1ULL << 46, 0, 0x10000, ENOMEM },
};

TEST_F(mem, invalid_regions)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_regions); i++) {
		const struct bad_region *b = &bad_regions[i];
		const char *uaddr = b->uaddr ? (const char *)(uintptr_t)b->uaddr :
					       self->mem + b->uaddr_offset;

		EXPECT_EQ(b->err, add_region(self->vm, variant->cmd, 1, b->flags,
					     b->gpa, b->size, uaddr))
			TH_LOG("%s", b->name);
	}
	EXPECT_EQ(EFAULT, ioctl_err(self->vm, variant->cmd, 0));
	EXPECT_EQ(EFAULT, ioctl_err(self->vm, variant->cmd, 0xffff800080000000UL));
	EXPECT_HELD(0);

	/* None of them took label 1 */
	EXPECT_EQ(0, add_region(self->vm, variant->cmd, 1, RW, GPA, page_size,
				self->mem));
	EXPECT_HELD(1);
}

TEST_F(mem, partly_unmapped)
{
	/* The upper half is unmapped: the lower half is pinned, then dropped */
	ASSERT_EQ(0, munmap(self->mem + MEM_PAGES / 2 * page_size,
			    MEM_PAGES / 2 * page_size));
	EXPECT_EQ(EFAULT, add_region(self->vm, variant->cmd, 1, RW, GPA,
				     MEM_PAGES * page_size, self->mem));
	EXPECT_HELD(0);

	/* A PROT_NONE hole in the middle */
	ASSERT_EQ(0, mprotect(self->mem + 2 * page_size, page_size, PROT_NONE));
	EXPECT_EQ(EFAULT, add_region(self->vm, variant->cmd, 1, RW, GPA,
				     4 * page_size, self->mem));
	EXPECT_HELD(0);

	EXPECT_EQ(0, add_region(self->vm, variant->cmd, 1, RW, GPA,
				2 * page_size, self->mem));
	EXPECT_HELD(2);
}

TEST_F(mem, read_only_mapping)
{
	char *ro = map_pages(2, PROT_READ);

	ASSERT_NE(NULL, ro);
	/* A writable region needs writable memory */
	EXPECT_EQ(EFAULT, add_region(self->vm, variant->cmd, 1, RW, GPA,
				     2 * page_size, ro));
	EXPECT_EQ(EFAULT, add_region(self->vm, variant->cmd, 1,
				     GUNYAH_MEM_ALLOW_WRITE, GPA,
				     2 * page_size, ro));
	EXPECT_HELD(0);
	EXPECT_EQ(0, add_region(self->vm, variant->cmd, 1,
				GUNYAH_MEM_ALLOW_READ | GUNYAH_MEM_ALLOW_EXEC,
				GPA, 2 * page_size, ro));
	EXPECT_HELD(2);
}

TEST_F(mem, duplicate_label)
{
	unsigned long other = variant->cmd == GUNYAH_VM_SET_USER_MEM_REGION ?
			      GUNYAH_VM_ANDROID_LEND_USER_MEM :
			      GUNYAH_VM_SET_USER_MEM_REGION;

	ASSERT_EQ(0, add_region(self->vm, variant->cmd, 7, RW, GPA, page_size,
				self->mem));
	EXPECT_EQ(EEXIST, add_region(self->vm, variant->cmd, 7, RW,
				     GPA + 0x100000, page_size,
				     self->mem + page_size));
	/* Shared and lent regions share the labels */
	EXPECT_EQ(EEXIST, add_region(self->vm, other, 7, RW, GPA + 0x100000,
				     page_size, self->mem + page_size));
	EXPECT_EQ(0, add_region(self->vm, other, 8, RW, GPA + 0x100000,
				page_size, self->mem + page_size));
	EXPECT_HELD(2);
}

TEST_F(mem, overlap)
{
	const __u64 base = GPA + 4 * page_size;
	char *m = self->mem + 8 * page_size;

	/* [base, base + 4 pages) */
	ASSERT_EQ(0, add_region(self->vm, variant->cmd, 1, RW, base,
				4 * page_size, self->mem));

	EXPECT_EQ(EEXIST, add_region(self->vm, variant->cmd, 2, RW, base,
				     4 * page_size, m));
	EXPECT_EQ(EEXIST, add_region(self->vm, variant->cmd, 2, RW,
				     base - page_size, 2 * page_size, m));
	EXPECT_EQ(EEXIST, add_region(self->vm, variant->cmd, 2, RW,
				     base + 3 * page_size, 2 * page_size, m));
	EXPECT_EQ(EEXIST, add_region(self->vm, variant->cmd, 2, RW,
				     base + page_size, page_size, m));
	EXPECT_EQ(EEXIST, add_region(self->vm, variant->cmd, 2, RW,
				     base - page_size, 6 * page_size, m));
	EXPECT_HELD(4);

	/* Adjacent below and above */
	EXPECT_EQ(0, add_region(self->vm, variant->cmd, 2, RW, base - page_size,
				page_size, m));
	EXPECT_EQ(0, add_region(self->vm, variant->cmd, 3, RW,
				base + 4 * page_size, page_size, m + page_size));
	/* The same user memory in another region is fine */
	EXPECT_EQ(0, add_region(self->vm, variant->cmd, 4, RW, GPA + 0x100000,
				4 * page_size, self->mem));
	EXPECT_HELD(10);
}

TEST_F(mem, not_owner)
{
	pid_t pid;
	int status;

	/* A child shares the VM file, not the VM's address space */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(add_region(self->vm, variant->cmd, 1, RW, GPA, page_size,
				 self->mem));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(EPERM, WEXITSTATUS(status));
	EXPECT_HELD(0);

	/* The owner may */
	EXPECT_EQ(0, add_region(self->vm, variant->cmd, 1, RW, GPA, page_size,
				self->mem));
	EXPECT_HELD(1);
}

TEST_F(mem, memlock_limit)
{
	struct rlimit lim = {
		.rlim_cur = self->lck * 1024 + 8 * page_size,
		.rlim_max = self->lck * 1024 + 8 * page_size,
	};

	ASSERT_EQ(0, drop_ipc_lock());
	ASSERT_EQ(0, setrlimit(RLIMIT_MEMLOCK, &lim));

	EXPECT_EQ(ENOMEM, add_region(self->vm, variant->cmd, 1, RW, GPA,
				     MEM_PAGES * page_size, self->mem));
	EXPECT_EQ(ENOMEM, add_region(self->vm, variant->cmd, 1, RW, GPA,
				     9 * page_size, self->mem));
	EXPECT_HELD(0);

	/* Up to the limit */
	EXPECT_EQ(0, add_region(self->vm, variant->cmd, 1, RW, GPA,
				6 * page_size, self->mem));
	EXPECT_EQ(ENOMEM, add_region(self->vm, variant->cmd, 2, RW,
				     GPA + 6 * page_size, 3 * page_size,
				     self->mem + 6 * page_size));
	EXPECT_EQ(0, add_region(self->vm, variant->cmd, 2, RW,
				GPA + 6 * page_size, 2 * page_size,
				self->mem + 6 * page_size));
	EXPECT_EQ(ENOMEM, add_region(self->vm, variant->cmd, 3, RW,
				     GPA + 8 * page_size, page_size,
				     self->mem + 8 * page_size));
	EXPECT_HELD(8);

	EXPECT_EQ(0, close(self->vm));
	self->vm = -1;
	EXPECT_HELD(0);
}

/* ---------------------------------------------------------------------- */
/* Starting a VM                                                          */

/*
 * What make_vm_dt() leaves out: the VM-config node, or one of the things
 * the real RM refuses a VM without (Documentation/virt/gunyah/
 * hypervisor.rst, "What the RM refuses").
 */
enum dt_flaw {
	DT_GOOD,
	DT_NO_CONFIG,		/* no VM-config node */
	DT_NO_GIC,		/* no GIC node, and nothing names one */
	DT_NO_CHOSEN,		/* no /chosen */
	DT_NO_VCPUS,		/* no vcpus node in the VM config */
};

/* The guest's GIC: the distributor, one redistributor frame below it */
#define GICD_BASE		0x3fff0000U
#define GICD_SIZE		0x10000U
#define GICR_SIZE		0x20000U

/*
 * A flattened devicetree with the VM-config node the RM reads at VM_INIT
 * (abi.md 8.3): an image name, the memory base, proxy-scheduled vCPUs,
 * the GIC; one CPU, the GIC node, /chosen. No vdevices. What the real RM
 * requires, as the sample VMM writes it. Written to @dst with guest_dt.h's
 * writer; returns its size.
 */
static size_t make_vm_dt(void *dst, uint64_t mem_base, enum dt_flaw flaw)
{
	static const char gic_compat[] = "arm,gic-v3";
	const uint32_t gic_reg[8] = {
		0, htobe32(GICD_BASE), 0, htobe32(GICD_SIZE),
		0, htobe32(GICD_BASE - GICR_SIZE), 0, htobe32(GICR_SIZE),
	};
	struct fdt_buf f = { 0 };

	fdt_node(&f, "");
	fdt_cells(&f, "#address-cells", 1, 2);
	fdt_cells(&f, "#size-cells", 1, 2);
	if (flaw != DT_NO_CHOSEN) {
		fdt_node(&f, "chosen");
		fdt_str(&f, "bootargs", "");
		fdt_end(&f);
	}
	if (flaw != DT_NO_CONFIG) {
		fdt_node(&f, "gunyah-vm-config");
		fdt_str(&f, "image-name", "gunyah_vm_test");
		fdt_node(&f, "memory");
		fdt_u64(&f, "base-address", mem_base);
		fdt_end(&f);
		if (flaw != DT_NO_VCPUS) {
			fdt_node(&f, "vcpus");
			fdt_str(&f, "affinity", "proxy");
			fdt_end(&f);
		}
		if (flaw != DT_NO_GIC) {
			fdt_node(&f, "interrupts");
			fdt_cells(&f, "config", 1, GIC_PHANDLE);
			fdt_end(&f);
		}
		fdt_end(&f);
	}
	fdt_node(&f, "cpus");
	fdt_cells(&f, "#address-cells", 1, 1);
	fdt_cells(&f, "#size-cells", 1, 0);
	fdt_node(&f, "cpu@0");
	fdt_str(&f, "device_type", "cpu");
	fdt_cells(&f, "reg", 1, 0);
	fdt_str(&f, "enable-method", "psci");
	fdt_end(&f);
	fdt_end(&f);
	if (flaw != DT_NO_GIC) {
		fdt_node(&f, "intc@3fff0000");
		fdt_prop(&f, "compatible", gic_compat, sizeof(gic_compat));
		fdt_cells(&f, "#interrupt-cells", 1, 3);
		fdt_prop(&f, "interrupt-controller", "", 0);
		fdt_prop(&f, "reg", gic_reg, sizeof(gic_reg));
		fdt_cells(&f, "phandle", 1, GIC_PHANDLE);
		fdt_end(&f);
	}
	fdt_end(&f);
	return fdt_finish(&f, dst);
}

/* Reading lent memory must fault: a stage-2 abort becomes SIGBUS */
static sigjmp_buf fault_jmp;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(fault_jmp, 1);
}

/* 0 if the read of *@p faulted; 1 if it returned data, in *@data */
static int try_read(const char *p, char *data)
{
	struct sigaction sa = { .sa_handler = on_sigbus }, old;
	int ret;

	sigaction(SIGBUS, &sa, &old);
	if (sigsetjmp(fault_jmp, 1)) {
		ret = 0;
	} else {
		/* A real load, which the compiler cannot drop */
		*data = __atomic_load_n(p, __ATOMIC_RELAXED);
		ret = 1;
	}
	sigaction(SIGBUS, &old, NULL);
	return ret;
}

#define START_MEM		(64UL << 20)
#define SMALL_MEM		(4UL << 20)
/* Shared memory here, lent memory right after it */
#define SHARED_GPA		0x80000000ULL
/* The devicetree: in the last MiB of the shared region, room for overlays */
#define DTB_OFFSET(size)	((size) - (1UL << 20))
#define DTB_SIZE		0x4000

struct start_vm {
	int vm;
	char *shared;
	char *lent;
	size_t size;		/* of each */
};

/*
 * A VM with @size bytes of shared memory at SHARED_GPA (the devicetree in
 * it) and @size bytes lent at SHARED_GPA + @size, not started. The lent
 * memory is MADV_DONTFORK: a fork must not copy pages the host cannot read.
 */
static void make_start_vm(struct __test_metadata *_metadata, int dev,
			  struct start_vm *v, size_t size, enum dt_flaw flaw)
{
	struct gunyah_vm_dtb_config dtb = {
		.guest_phys_addr = SHARED_GPA + DTB_OFFSET(size),
		.size = DTB_SIZE,
	};

	v->size = size;
	v->shared = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, v->shared);
	v->lent = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, v->lent);
	ASSERT_EQ(0, madvise(v->lent, size, MADV_DONTFORK));
	memset(v->shared, 0, size);
	memset(v->lent, 0x5a, size);
	make_vm_dt(v->shared + DTB_OFFSET(size), SHARED_GPA, flaw);

	v->vm = ioctl(dev, GUNYAH_CREATE_VM, 0);
	ASSERT_LE(0, v->vm) TH_LOG("GUNYAH_CREATE_VM: %s", strerror(errno));
	ASSERT_EQ(0, add_region(v->vm, GUNYAH_VM_SET_USER_MEM_REGION, 0,
				GUNYAH_MEM_ALLOW_RWX, SHARED_GPA, size,
				v->shared));
	ASSERT_EQ(0, add_region(v->vm, GUNYAH_VM_ANDROID_LEND_USER_MEM, 1,
				GUNYAH_MEM_ALLOW_RWX, SHARED_GPA + size, size,
				v->lent));
	ASSERT_EQ(0, ioctl_err(v->vm, GUNYAH_VM_SET_DTB_CONFIG,
			       (unsigned long)&dtb));
}

/* Destroy the VM, check the lent memory is readable again, unmap */
static void destroy_start_vm(struct __test_metadata *_metadata,
			     struct start_vm *v)
{
	char c;

	ASSERT_EQ(0, close(v->vm));
	v->vm = -1;
	EXPECT_EQ(1, try_read(v->lent, &c))
		TH_LOG("lent memory still unreadable after the VM is gone");
	EXPECT_EQ(1, try_read(v->lent + v->size - 1, &c));
	ASSERT_EQ(0, munmap(v->shared, v->size));
	ASSERT_EQ(0, munmap(v->lent, v->size));
}

/*
 * Qualcomm's release built for QEMU leaves lent memory mapped in the
 * primary VM: its RM moves the pages out of the primary VM's own memory
 * extent, which on that platform does not hold the primary VM's boot-time
 * stage-2 mappings, so nothing is unmapped. Lending itself succeeds.
 */
#define REAL_LEND_KEEPS_HOST_MAPPING \
	"real Gunyah (QEMU build): lent memory stays mapped in the primary VM"

/*
 * Start, check what the host sees and what is refused, destroy. With
 * @lent_hidden, the lent memory must fault in the host while the VM runs.
 */
static void start_cycle(struct __test_metadata *_metadata, int dev, bool lent_hidden)
{
	struct start_vm v;
	char c;

	make_start_vm(_metadata, dev, &v, START_MEM, DT_GOOD);
	ASSERT_EQ(0, ioctl_err(v.vm, GUNYAH_VM_START, 0))
		TH_LOG("GUNYAH_VM_START: %s", strerror(errno));

	/* Shared memory stays the host's; lent memory does not, anywhere */
	EXPECT_EQ(1, try_read(v.shared + DTB_OFFSET(START_MEM), &c));
	EXPECT_EQ((char)0xd0, c);
	if (lent_hidden) {
		EXPECT_EQ(0, try_read(v.lent, &c)) TH_LOG("read %#x", c);
		EXPECT_EQ(0, try_read(v.lent + START_MEM / 2 + 123, &c));
		EXPECT_EQ(0, try_read(v.lent + START_MEM - 1, &c));
	}

	destroy_start_vm(_metadata, &v);
}

/* Lent memory leaves the host at VM_START and comes back at the end */
TEST_F_TIMEOUT(dev, start_lent_memory_hidden, 120)
{
	if (on_real_gunyah())
		SKIP(return, REAL_LEND_KEEPS_HOST_MAPPING);
	start_cycle(_metadata, self->fd, true);
}

/*
 * Start cycles give everything back. The lent memory is checked too,
 * except where dev.start_lent_memory_hidden skips.
 */
TEST_F_TIMEOUT(dev, start, 300)
{
	bool lent_hidden = !on_real_gunyah();
	long lck, pins, memfree, memfree_after;
	unsigned int i;

	if (!lent_hidden)
		TH_LOG("not checked: %s", REAL_LEND_KEEPS_HOST_MAPPING);
	/* Warm up slab caches */
	start_cycle(_metadata, self->fd, lent_hidden);

	lck = locked_kb();
	pins = pins_held();
	memfree = free_kb();
	ASSERT_LE(0, lck);
	ASSERT_LE(0, pins);
	ASSERT_LT(0, memfree);
	TH_LOG("MemFree %ld kB, with per-CPU lists %ld kB", memfree_kb(), memfree);

	for (i = 0; i < 3; i++)
		start_cycle(_metadata, self->fd, lent_hidden);

	/* All memory is back: unpinned, unlocked, free */
	memfree_after = free_kb();
	EXPECT_EQ(lck, locked_kb());
	EXPECT_EQ(pins, pins_held());
	if (memfree_tells_leaks())
		EXPECT_GE(memfree_after + MEMFREE_SLACK_KB, memfree)
			TH_LOG("free memory %ld kB before, %ld kB after", memfree,
			       memfree_after);
	TH_LOG("MemFree %ld kB, with per-CPU lists %ld kB", memfree_kb(), memfree_after);
}

TEST_F_TIMEOUT(dev, start_refused_after_start, 120)
{
	struct gunyah_userspace_memory_region region = {
		.label = 7,
		.flags = RW,
		.guest_phys_addr = 0x100000000ULL,
		.memory_size = page_size,
	};
	struct gunyah_vm_dtb_config dtb = { SHARED_GPA, page_size };
	struct gunyah_vm_firmware_config fw = { SHARED_GPA, page_size };
	struct gunyah_vm_boot_context ctx = {
		.reg = GUNYAH_VM_BOOT_CONTEXT_REG(GUNYAH_VM_BOOT_CONTEXT_REG_SET_PC, 0),
	};
	struct gunyah_address_range range = { SHARED_GPA + SMALL_MEM, page_size };
	char *mem = map_pages(1, PROT_READ | PROT_WRITE);
	struct start_vm v;
	long lck, pins;

	ASSERT_NE(NULL, mem);
	region.userspace_addr = (uintptr_t)mem;
	lck = locked_kb();
	pins = pins_held();

	make_start_vm(_metadata, self->fd, &v, SMALL_MEM, DT_GOOD);
	ASSERT_EQ(0, ioctl_err(v.vm, GUNYAH_VM_START, 0))
		TH_LOG("GUNYAH_VM_START: %s", strerror(errno));

	EXPECT_EQ(EBUSY, ioctl_err(v.vm, GUNYAH_VM_START, 0));
	EXPECT_EQ(EBUSY, ioctl_err(v.vm, GH_VM_START, 0));
	EXPECT_EQ(EBUSY, ioctl_err(v.vm, GUNYAH_VM_SET_USER_MEM_REGION,
				   (unsigned long)&region));
	EXPECT_EQ(EBUSY, ioctl_err(v.vm, GUNYAH_VM_ANDROID_LEND_USER_MEM,
				   (unsigned long)&region));
	EXPECT_EQ(EBUSY, ioctl_err(v.vm, GUNYAH_VM_SET_DTB_CONFIG,
				   (unsigned long)&dtb));
	EXPECT_EQ(EBUSY, ioctl_err(v.vm, GUNYAH_VM_ANDROID_SET_FW_CONFIG,
				   (unsigned long)&fw));
	EXPECT_EQ(EBUSY, ioctl_err(v.vm, GUNYAH_VM_SET_BOOT_CONTEXT,
				   (unsigned long)&ctx));
	EXPECT_EQ(EBUSY, ioctl_err(v.vm, GUNYAH_VM_RECLAIM_REGION,
				   (unsigned long)&range));
	/* Unreadable arguments are still EFAULT */
	EXPECT_EQ(EFAULT, ioctl_err(v.vm, GUNYAH_VM_SET_DTB_CONFIG, 0));
	/* Not configuration */
	EXPECT_EQ(0, ioctl(v.vm, GUNYAH_VM_CHECK_EXTENSION, 0));

	destroy_start_vm(_metadata, &v);
	EXPECT_EQ(lck, locked_kb());
	EXPECT_EQ(pins, pins_held());
}

/*
 * The RM refuses the devicetree at VM_INIT: no VM-config node, so no vCPUs
 * (NORESOURCE, as from the real RM). Everything comes back.
 */
TEST_F_TIMEOUT(dev, start_refused_by_rm, 120)
{
	struct start_vm v;
	long lck, pins;
	char c;

	lck = locked_kb();
	pins = pins_held();

	make_start_vm(_metadata, self->fd, &v, SMALL_MEM, DT_NO_CONFIG);
	EXPECT_EQ(ENODEV, ioctl_err(v.vm, GUNYAH_VM_START, 0));
	/* Rolled back: the lent memory is the host's again */
	EXPECT_EQ(1, try_read(v.lent, &c));
	EXPECT_EQ(lck + (long)(2 * SMALL_MEM / 1024), locked_kb());
	EXPECT_EQ(pins + (long)(2 * SMALL_MEM / page_size), pins_held());

	/* The VM cannot start or be configured any more */
	EXPECT_EQ(EBUSY, ioctl_err(v.vm, GUNYAH_VM_START, 0));

	destroy_start_vm(_metadata, &v);
	EXPECT_EQ(lck, locked_kb());
	EXPECT_EQ(pins, pins_held());
}

/* Checked before anything goes to the RM: the VM stays configurable */
TEST_F(dev, start_bad_config)
{
	/* After the lent region */
	struct gunyah_vm_dtb_config dtb = { SHARED_GPA + 2 * SMALL_MEM, page_size };
	struct gunyah_vm_firmware_config fw = { SHARED_GPA + SMALL_MEM - page_size,
						2 * page_size };
	struct start_vm v;
	long lck, pins;

	lck = locked_kb();
	pins = pins_held();

	/* No devicetree */
	v.vm = ioctl(self->fd, GUNYAH_CREATE_VM, 0);
	ASSERT_LE(0, v.vm);
	EXPECT_EQ(EINVAL, ioctl_err(v.vm, GUNYAH_VM_START, 0));
	ASSERT_EQ(0, close(v.vm));

	make_start_vm(_metadata, self->fd, &v, SMALL_MEM, DT_GOOD);
	/* A devicetree outside the regions, firmware across two */
	EXPECT_EQ(0, ioctl_err(v.vm, GUNYAH_VM_SET_DTB_CONFIG,
			       (unsigned long)&dtb));
	EXPECT_EQ(EINVAL, ioctl_err(v.vm, GUNYAH_VM_START, 0));
	dtb.guest_phys_addr = SHARED_GPA;
	EXPECT_EQ(0, ioctl_err(v.vm, GUNYAH_VM_SET_DTB_CONFIG,
			       (unsigned long)&dtb));
	EXPECT_EQ(0, ioctl_err(v.vm, GUNYAH_VM_ANDROID_SET_FW_CONFIG,
			       (unsigned long)&fw));
	EXPECT_EQ(EINVAL, ioctl_err(v.vm, GUNYAH_VM_START, 0));

	destroy_start_vm(_metadata, &v);
	EXPECT_EQ(lck, locked_kb());
	EXPECT_EQ(pins, pins_held());
}

/*
 * What the real RM refuses a VM without, the RM refuses too, at VM_START
 * (no GIC node, no /chosen) or VM_INIT (no vcpus node), with NORESOURCE:
 * -ENODEV. Everything is rolled back, as for any refused start.
 */
FIXTURE(rm_refuses) {
	int dev;
};

FIXTURE_VARIANT(rm_refuses) {
	enum dt_flaw flaw;
};

FIXTURE_VARIANT_ADD(rm_refuses, no_gic_node) {
	.flaw = DT_NO_GIC,
};

FIXTURE_VARIANT_ADD(rm_refuses, no_chosen_node) {
	.flaw = DT_NO_CHOSEN,
};

FIXTURE_VARIANT_ADD(rm_refuses, no_vcpus_node) {
	.flaw = DT_NO_VCPUS,
};

FIXTURE_SETUP(rm_refuses)
{
	self->dev = open(GUNYAH_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->dev) TH_LOG("open %s: %s", GUNYAH_DEV, strerror(errno));
}

FIXTURE_TEARDOWN(rm_refuses)
{
	close(self->dev);
}

TEST_F_TIMEOUT(rm_refuses, start, 120)
{
	struct start_vm v;
	long lck, pins;
	char c;

	lck = locked_kb();
	pins = pins_held();

	make_start_vm(_metadata, self->dev, &v, SMALL_MEM, variant->flaw);
	EXPECT_EQ(ENODEV, ioctl_err(v.vm, GUNYAH_VM_START, 0));
	EXPECT_EQ(1, try_read(v.lent, &c)) TH_LOG("lent memory not given back");
	EXPECT_EQ(EBUSY, ioctl_err(v.vm, GUNYAH_VM_START, 0));

	destroy_start_vm(_metadata, &v);
	EXPECT_EQ(lck, locked_kb());
	EXPECT_EQ(pins, pins_held());
}

/*
 * The reported hostile devicetree: a valid one with byte 53, in the size
 * of the reservation map's last entry (the map is at offset 40), changed
 * from 0x00 to 0xf9. libfdt's header check accepts it; an RM that edits
 * it with libfdt without checking it whole moves a negative length. The
 * start is refused with an error: EINVAL if the RM refuses the
 * devicetree at VM_INIT (MEM_INVALID), ENODEV at VM_START (NORESOURCE),
 * as the real RM answers in either place. Everything is rolled back; a VM
 * started before stops and gives its memory back as usual, and a new one
 * starts: the hypervisor and its RM are unharmed.
 *
 * Its own fixture, the last one: the harness runs fixtures in the order
 * of this file, so an RM that dies of it takes only this test along.
 */
FIXTURE(hostile) {
	int fd;
};

FIXTURE_SETUP(hostile)
{
	self->fd = open(GUNYAH_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", GUNYAH_DEV, strerror(errno));
}

FIXTURE_TEARDOWN(hostile)
{
	close(self->fd);
}

TEST_F_TIMEOUT(hostile, start_dt_reservation_map, 300)
{
	struct start_vm good, bad;
	long lck, pins;
	uint8_t *dt;
	char c;
	int err;

	if (on_real_gunyah())
		SKIP(return,
		     "real Gunyah: its RM dies of this devicetree (%s), every RM call after it hangs",
		     "negative-length memmove in fdt_open_into() at VM_START");
	lck = locked_kb();
	pins = pins_held();

	make_start_vm(_metadata, self->fd, &good, SMALL_MEM, DT_GOOD);
	ASSERT_EQ(0, ioctl_err(good.vm, GUNYAH_VM_START, 0))
		TH_LOG("GUNYAH_VM_START of a good VM: %s", strerror(errno));

	make_start_vm(_metadata, self->fd, &bad, SMALL_MEM, DT_GOOD);
	dt = (uint8_t *)bad.shared + DTB_OFFSET(SMALL_MEM);
	ASSERT_EQ((uint32_t)FDT_HDR_SIZE, be32toh(((uint32_t *)dt)[4]));
	ASSERT_EQ(0, dt[53]);
	dt[53] = 0xf9;
	err = ioctl_err(bad.vm, GUNYAH_VM_START, 0);
	EXPECT_TRUE(err == EINVAL || err == ENODEV)
		TH_LOG("GUNYAH_VM_START of the hostile devicetree: %s", strerror(err));
	EXPECT_EQ(1, try_read(bad.lent, &c)) TH_LOG("lent memory not given back");
	destroy_start_vm(_metadata, &bad);

	/* The VM started before: still the RM's to take apart */
	EXPECT_EQ(0, try_read(good.lent, &c));
	destroy_start_vm(_metadata, &good);
	EXPECT_EQ(lck, locked_kb());
	EXPECT_EQ(pins, pins_held());

	/* And a new one starts */
	start_cycle(_metadata, self->fd, true);
}

int main(int argc, char **argv)
{
	page_size = sysconf(_SC_PAGESIZE);
	return test_harness_run(argc, argv);
}
