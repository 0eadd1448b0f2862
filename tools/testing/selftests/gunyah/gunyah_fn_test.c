// SPDX-License-Identifier: GPL-2.0-only
/*
 * Selftests of the irqfd and ioeventfd VM functions: GUNYAH_VM_ADD_FUNCTION
 * and GUNYAH_VM_REMOVE_FUNCTION with GUNYAH_FN_IRQFD and GUNYAH_FN_IOEVENTFD
 * on a VM that is created but never started. Every argument check and its
 * errno, duplicates and overlaps, what REMOVE_FUNCTION matches (an irqfd's
 * label; an ioeventfd's address, length, datamatch and eventfd), crosvm's
 * DATAMATCH flag, an irqfd that goes when its eventfd is closed, and VMs
 * closed with functions still registered.
 *
 * Needs /dev/gunyah (skipped without it), the irqfd and ioeventfd functions
 * (gunyah_irqfd.ko, gunyah_ioeventfd.ko) and root.
 */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/gunyah.h>

#include "../kselftest_harness.h"

#define GUNYAH_DEV	"/dev/gunyah"

#define ADD		GUNYAH_VM_ADD_FUNCTION
#define REMOVE		GUNYAH_VM_REMOVE_FUNCTION
#define DATAMATCH	GUNYAH_IOEVENTFD_FLAGS_DATAMATCH
/* crosvm sets 1 << GUNYAH_IOEVENTFD_DATAMATCH: accepted as DATAMATCH */
#define CROSVM_DATAMATCH	(DATAMATCH << 1)
#define LEVEL		GUNYAH_IRQFD_FLAGS_LEVEL

/* Device addresses of the guest; nothing is mapped there (or anywhere) */
#define ADDR_A		0x0a000048ULL
#define ADDR_B		0x0a000050ULL

/* How long the kernel may take to drop an irqfd whose eventfd was closed */
#define DETACH_TIMEOUT_MS	1000

#define NR_EVENTFDS	4

/* GUNYAH_VM_ADD_FUNCTION or _REMOVE_FUNCTION: 0 or the errno */
static int fn(int vm, unsigned long cmd, __u32 type, const void *arg, __u32 size)
{
	struct gunyah_fn_desc desc = {
		.type = type,
		.arg_size = size,
		.arg = (uintptr_t)arg,
	};

	return ioctl(vm, cmd, &desc) < 0 ? errno : 0;
}

static int irqfd(int vm, unsigned long cmd, int fd, __u32 label, __u32 flags)
{
	struct gunyah_fn_irqfd_arg arg = {
		.fd = fd,
		.label = label,
		.flags = flags,
	};

	return fn(vm, cmd, GUNYAH_FN_IRQFD, &arg, sizeof(arg));
}

static int ioeventfd(int vm, unsigned long cmd, __u64 addr, __u32 len, int fd, __u32 flags,
		     __u64 datamatch)
{
	struct gunyah_fn_ioeventfd_arg arg = {
		.datamatch = datamatch,
		.addr = addr,
		.len = len,
		.fd = fd,
		.flags = flags,
	};

	return fn(vm, cmd, GUNYAH_FN_IOEVENTFD, &arg, sizeof(arg));
}

/* A file descriptor number that is not open */
static int closed_fd(void)
{
	int fd = eventfd(0, EFD_CLOEXEC);

	if (fd >= 0)
		close(fd);
	return fd;
}

/* Open file descriptors of this process; -1 on error */
static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static long elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

static int open_dev(void)
{
	return open(GUNYAH_DEV, O_RDWR | O_CLOEXEC);
}

/* ---------------------------------------------------------------------- */
/* A VM, not started, and a few eventfds                                  */

FIXTURE(fn) {
	int dev;
	int vm;
	int efd[NR_EVENTFDS];
	int null;		/* /dev/null: a file that is not an eventfd */
	int pipe[2];
};

FIXTURE_SETUP(fn)
{
	unsigned int i;

	self->vm = -1;
	self->null = -1;
	self->pipe[0] = -1;
	self->pipe[1] = -1;
	for (i = 0; i < NR_EVENTFDS; i++)
		self->efd[i] = -1;
	self->dev = open_dev();
	if (self->dev < 0 && errno == ENOENT)
		SKIP(return, "no %s", GUNYAH_DEV);
	ASSERT_LE(0, self->dev) TH_LOG("open %s: %s", GUNYAH_DEV, strerror(errno));
	self->vm = ioctl(self->dev, GUNYAH_CREATE_VM, 0);
	ASSERT_LE(0, self->vm) TH_LOG("GUNYAH_CREATE_VM: %s", strerror(errno));
	for (i = 0; i < NR_EVENTFDS; i++) {
		self->efd[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		ASSERT_LE(0, self->efd[i]) TH_LOG("eventfd: %s", strerror(errno));
	}
	self->null = open("/dev/null", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->null);
	ASSERT_EQ(0, pipe2(self->pipe, O_CLOEXEC));
}

FIXTURE_TEARDOWN(fn)
{
	unsigned int i;

	/* The VM first: its functions go while their eventfds are open */
	if (self->vm >= 0)
		close(self->vm);
	for (i = 0; i < NR_EVENTFDS; i++)
		if (self->efd[i] >= 0)
			close(self->efd[i]);
	if (self->null >= 0)
		close(self->null);
	if (self->pipe[0] >= 0)
		close(self->pipe[0]);
	if (self->pipe[1] >= 0)
		close(self->pipe[1]);
	if (self->dev >= 0)
		close(self->dev);
}

/* ---------------------------------------------------------------------- */
/* irqfd                                                                  */

TEST_F(fn, irqfd_add_remove)
{
	int err = irqfd(self->vm, ADD, self->efd[0], 1, 0);

	ASSERT_EQ(0, err) TH_LOG("irqfd: %s%s", strerror(err),
				 err == ENOENT ? " (is gunyah_irqfd.ko loaded?)" : "");
	EXPECT_EQ(0, irqfd(self->vm, REMOVE, self->efd[0], 1, 0));
	EXPECT_EQ(ENOENT, irqfd(self->vm, REMOVE, self->efd[0], 1, 0));
}

TEST_F(fn, irqfd_level)
{
	EXPECT_EQ(0, irqfd(self->vm, ADD, self->efd[0], 0, LEVEL));
	EXPECT_EQ(0, irqfd(self->vm, ADD, self->efd[1], 1, 0));
	EXPECT_EQ(0, irqfd(self->vm, REMOVE, self->efd[0], 0, LEVEL));
	EXPECT_EQ(0, irqfd(self->vm, REMOVE, self->efd[1], 1, 0));
}

/* Sixteen doorbells at once, removed in another order */
TEST_F(fn, irqfd_many_labels)
{
	int efd[16];
	__u32 label;

	for (label = 0; label < 16; label++) {
		efd[label] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		ASSERT_LE(0, efd[label]);
		EXPECT_EQ(0, irqfd(self->vm, ADD, efd[label], label, label & 1 ? LEVEL : 0))
			TH_LOG("label %u", label);
	}
	for (label = 0; label < 16; label++)
		EXPECT_EQ(0, irqfd(self->vm, REMOVE, self->efd[0], label ^ 5, 0))
			TH_LOG("label %u", label ^ 5);
	for (label = 0; label < 16; label++)
		close(efd[label]);
}

/* Only the 16-byte argument, with or without the v8 layout's 12 bytes */
TEST_F(fn, irqfd_arg_size)
{
	static const __u32 sizes[] = { 0, 4, 8, 12, 15, 17, 20, 24, 32, GUNYAH_FN_MAX_ARG_SIZE };
	struct gunyah_fn_irqfd_arg arg[GUNYAH_FN_MAX_ARG_SIZE / sizeof(struct gunyah_fn_irqfd_arg)];
	unsigned int i;

	memset(arg, 0, sizeof(arg));
	arg[0].fd = self->efd[0];
	arg[0].label = 1;
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		EXPECT_EQ(EINVAL, fn(self->vm, ADD, GUNYAH_FN_IRQFD, arg, sizes[i]))
			TH_LOG("arg_size %u", sizes[i]);
	/* Nothing was added */
	EXPECT_EQ(ENOENT, irqfd(self->vm, REMOVE, self->efd[0], 1, 0));
	EXPECT_EQ(0, fn(self->vm, ADD, GUNYAH_FN_IRQFD, arg, sizeof(arg[0])));
}

TEST_F(fn, irqfd_flags)
{
	static const __u32 flags[] = { 1U << 1, 1U << 2, 1U << 31, LEVEL | 1U << 1, ~0U };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(flags); i++)
		EXPECT_EQ(EINVAL, irqfd(self->vm, ADD, self->efd[0], 1, flags[i]))
			TH_LOG("flags %#x", flags[i]);
	EXPECT_EQ(ENOENT, irqfd(self->vm, REMOVE, self->efd[0], 1, 0));
}

TEST_F(fn, irqfd_bad_fd)
{
	EXPECT_EQ(EBADF, irqfd(self->vm, ADD, -1, 1, 0));
	EXPECT_EQ(EBADF, irqfd(self->vm, ADD, closed_fd(), 1, 0));
	EXPECT_EQ(EBADF, irqfd(self->vm, ADD, 0x7fffffff, 1, LEVEL));
	EXPECT_EQ(ENOENT, irqfd(self->vm, REMOVE, self->efd[0], 1, 0));
}

/* An open file that is not an eventfd */
TEST_F(fn, irqfd_not_eventfd)
{
	EXPECT_EQ(EINVAL, irqfd(self->vm, ADD, self->null, 1, 0));
	EXPECT_EQ(EINVAL, irqfd(self->vm, ADD, self->pipe[0], 1, 0));
	EXPECT_EQ(EINVAL, irqfd(self->vm, ADD, self->pipe[1], 1, LEVEL));
	EXPECT_EQ(EINVAL, irqfd(self->vm, ADD, self->vm, 1, 0));
	EXPECT_EQ(EINVAL, irqfd(self->vm, ADD, self->dev, 1, 0));
	EXPECT_EQ(ENOENT, irqfd(self->vm, REMOVE, self->efd[0], 1, 0));
}

TEST_F(fn, irqfd_bad_pointer)
{
	EXPECT_EQ(EFAULT, fn(self->vm, ADD, GUNYAH_FN_IRQFD, (void *)8,
			     sizeof(struct gunyah_fn_irqfd_arg)));
	EXPECT_EQ(EFAULT, fn(self->vm, REMOVE, GUNYAH_FN_IRQFD, (void *)8,
			     sizeof(struct gunyah_fn_irqfd_arg)));
}

/* One irqfd per label, whatever the eventfd and the flags */
TEST_F(fn, irqfd_duplicate_label)
{
	ASSERT_EQ(0, irqfd(self->vm, ADD, self->efd[0], 1, 0));
	EXPECT_EQ(EEXIST, irqfd(self->vm, ADD, self->efd[1], 1, 0));
	EXPECT_EQ(EEXIST, irqfd(self->vm, ADD, self->efd[0], 1, 0));
	EXPECT_EQ(EEXIST, irqfd(self->vm, ADD, self->efd[1], 1, LEVEL));
	/* Another label is another doorbell */
	EXPECT_EQ(0, irqfd(self->vm, ADD, self->efd[1], 2, 0));
	EXPECT_EQ(0, irqfd(self->vm, REMOVE, self->efd[0], 1, 0));
	EXPECT_EQ(0, irqfd(self->vm, REMOVE, self->efd[1], 2, 0));
}

/* REMOVE_FUNCTION looks at the label only */
TEST_F(fn, irqfd_remove_by_label)
{
	ASSERT_EQ(0, irqfd(self->vm, ADD, self->efd[0], 1, 0));
	EXPECT_EQ(0, irqfd(self->vm, REMOVE, self->efd[1], 1, LEVEL));
	EXPECT_EQ(ENOENT, irqfd(self->vm, REMOVE, self->efd[0], 1, 0));

	ASSERT_EQ(0, irqfd(self->vm, ADD, self->efd[0], 3, LEVEL));
	EXPECT_EQ(0, irqfd(self->vm, REMOVE, -1, 3, 0));
	EXPECT_EQ(ENOENT, irqfd(self->vm, REMOVE, self->efd[0], 3, LEVEL));
}

TEST_F(fn, irqfd_remove_unknown)
{
	EXPECT_EQ(ENOENT, irqfd(self->vm, REMOVE, self->efd[0], 5, 0));
	ASSERT_EQ(0, irqfd(self->vm, ADD, self->efd[0], 1, 0));
	EXPECT_EQ(ENOENT, irqfd(self->vm, REMOVE, self->efd[0], 2, 0));
	EXPECT_EQ(ENOENT, irqfd(self->vm, REMOVE, self->efd[0], 0x101, 0));
	/* Label 1 is still there */
	EXPECT_EQ(EEXIST, irqfd(self->vm, ADD, self->efd[1], 1, 0));
	EXPECT_EQ(0, irqfd(self->vm, REMOVE, self->efd[0], 1, 0));
}

TEST_F(fn, irqfd_readd_after_remove)
{
	ASSERT_EQ(0, irqfd(self->vm, ADD, self->efd[0], 1, 0));
	EXPECT_EQ(0, irqfd(self->vm, REMOVE, self->efd[0], 1, 0));
	EXPECT_EQ(0, irqfd(self->vm, ADD, self->efd[0], 1, 0));
	EXPECT_EQ(0, irqfd(self->vm, REMOVE, self->efd[0], 1, 0));
	EXPECT_EQ(0, irqfd(self->vm, ADD, self->efd[1], 1, LEVEL));
	EXPECT_EQ(0, irqfd(self->vm, REMOVE, self->efd[1], 1, LEVEL));
}

/* Closing the eventfd drops the irqfd (asynchronously): the label is free again */
TEST_F(fn, irqfd_close_eventfd)
{
	struct timespec start;
	int err;

	ASSERT_EQ(0, irqfd(self->vm, ADD, self->efd[0], 1, 0));
	ASSERT_EQ(0, irqfd(self->vm, ADD, self->efd[1], 2, LEVEL));
	EXPECT_EQ(EEXIST, irqfd(self->vm, ADD, self->efd[2], 1, 0));
	ASSERT_EQ(0, close(self->efd[0]));
	self->efd[0] = -1;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while ((err = irqfd(self->vm, ADD, self->efd[2], 1, 0)) == EEXIST &&
	       elapsed_ms(&start) < DETACH_TIMEOUT_MS)
		usleep(10000);
	EXPECT_EQ(0, err) TH_LOG("label 1 %ld ms after closing its eventfd: %s",
				 elapsed_ms(&start), strerror(err));
	/* The other label is untouched */
	EXPECT_EQ(EEXIST, irqfd(self->vm, ADD, self->efd[3], 2, LEVEL));
	EXPECT_EQ(0, irqfd(self->vm, REMOVE, self->efd[2], 1, 0));
	EXPECT_EQ(0, irqfd(self->vm, REMOVE, self->efd[1], 2, LEVEL));
}

/* Signals before the VM runs are harmless (and kept for the start) */
TEST_F(fn, irqfd_signal_unstarted_vm)
{
	uint64_t one = 1;

	ASSERT_EQ(0, irqfd(self->vm, ADD, self->efd[0], 1, 0));
	ASSERT_EQ(0, irqfd(self->vm, ADD, self->efd[1], 2, LEVEL));
	EXPECT_EQ((ssize_t)sizeof(one), write(self->efd[0], &one, sizeof(one)));
	EXPECT_EQ((ssize_t)sizeof(one), write(self->efd[1], &one, sizeof(one)));
	EXPECT_EQ((ssize_t)sizeof(one), write(self->efd[1], &one, sizeof(one)));
	EXPECT_EQ(0, irqfd(self->vm, REMOVE, self->efd[0], 1, 0));
	EXPECT_EQ((ssize_t)sizeof(one), write(self->efd[0], &one, sizeof(one)));
	EXPECT_EQ(0, irqfd(self->vm, REMOVE, self->efd[1], 2, LEVEL));
}

/* ---------------------------------------------------------------------- */
/* ioeventfd                                                              */

TEST_F(fn, ioeventfd_add_remove)
{
	int err = ioeventfd(self->vm, ADD, ADDR_A, 0, self->efd[0], 0, 0);

	ASSERT_EQ(0, err) TH_LOG("ioeventfd: %s%s", strerror(err),
				 err == ENOENT ? " (is gunyah_ioeventfd.ko loaded?)" : "");
	EXPECT_EQ(0, ioeventfd(self->vm, REMOVE, ADDR_A, 0, self->efd[0], 0, 0));
	EXPECT_EQ(ENOENT, ioeventfd(self->vm, REMOVE, ADDR_A, 0, self->efd[0], 0, 0));
}

/* Every length, with and without datamatch; one eventfd for all */
TEST_F(fn, ioeventfd_lengths)
{
	static const __u32 lens[] = { 0, 1, 2, 4, 8 };
	int fd = self->efd[0];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		EXPECT_EQ(0, ioeventfd(self->vm, ADD, ADDR_A + 16 * i, lens[i], fd, 0, 0))
			TH_LOG("len %u", lens[i]);
		if (lens[i])
			EXPECT_EQ(0, ioeventfd(self->vm, ADD, ADDR_A + 0x100 + 16 * i, lens[i],
					       fd, DATAMATCH, i))
				TH_LOG("len %u, datamatch", lens[i]);
	}
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		EXPECT_EQ(0, ioeventfd(self->vm, REMOVE, ADDR_A + 16 * i, lens[i], fd, 0, 0))
			TH_LOG("len %u", lens[i]);
		if (lens[i])
			EXPECT_EQ(0, ioeventfd(self->vm, REMOVE, ADDR_A + 0x100 + 16 * i,
					       lens[i], fd, DATAMATCH, i))
				TH_LOG("len %u, datamatch", lens[i]);
	}
}

TEST_F(fn, ioeventfd_arg_size)
{
	static const __u32 sizes[] = { 0, 8, 16, 24, 28, 31, 33, 40, 64, GUNYAH_FN_MAX_ARG_SIZE };
	struct gunyah_fn_ioeventfd_arg
		arg[GUNYAH_FN_MAX_ARG_SIZE / sizeof(struct gunyah_fn_ioeventfd_arg)];
	unsigned int i;

	memset(arg, 0, sizeof(arg));
	arg[0].addr = ADDR_A;
	arg[0].len = 4;
	arg[0].fd = self->efd[0];
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		EXPECT_EQ(EINVAL, fn(self->vm, ADD, GUNYAH_FN_IOEVENTFD, arg, sizes[i]))
			TH_LOG("arg_size %u", sizes[i]);
	EXPECT_EQ(ENOENT, ioeventfd(self->vm, REMOVE, ADDR_A, 4, self->efd[0], 0, 0));
	EXPECT_EQ(0, fn(self->vm, ADD, GUNYAH_FN_IOEVENTFD, arg, sizeof(arg[0])));
}

TEST_F(fn, ioeventfd_bad_len)
{
	static const __u32 lens[] = { 3, 5, 6, 7, 9, 16, 32, 0x80000000U, ~0U };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		EXPECT_EQ(EINVAL, ioeventfd(self->vm, ADD, ADDR_A, lens[i], self->efd[0], 0, 0))
			TH_LOG("len %u", lens[i]);
		EXPECT_EQ(EINVAL, ioeventfd(self->vm, ADD, ADDR_A, lens[i], self->efd[0],
					    DATAMATCH, 1))
			TH_LOG("len %u, datamatch", lens[i]);
	}
	EXPECT_EQ(ENOENT, ioeventfd(self->vm, REMOVE, ADDR_A, 0, self->efd[0], 0, 0));
}

/* addr + len beyond 2^64 */
TEST_F(fn, ioeventfd_overflow)
{
	static const struct {
		__u64 addr;
		__u32 len;
	} bad[] = {
		{ ~0ULL, 8 },
		{ ~0ULL, 2 },
		{ ~0ULL - 3, 8 },
		{ ~0ULL - 6, 8 },
		{ ~0ULL - 2, 4 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(EINVAL, ioeventfd(self->vm, ADD, bad[i].addr, bad[i].len, self->efd[0],
					    0, 0))
			TH_LOG("addr %#llx, len %u", (unsigned long long)bad[i].addr, bad[i].len);
		EXPECT_EQ(EINVAL, ioeventfd(self->vm, ADD, bad[i].addr, bad[i].len, self->efd[0],
					    DATAMATCH, 0))
			TH_LOG("addr %#llx, len %u, datamatch", (unsigned long long)bad[i].addr,
			       bad[i].len);
	}
}

/* Matching data needs a length */
TEST_F(fn, ioeventfd_datamatch_needs_len)
{
	EXPECT_EQ(EINVAL, ioeventfd(self->vm, ADD, ADDR_A, 0, self->efd[0], DATAMATCH, 0));
	EXPECT_EQ(EINVAL, ioeventfd(self->vm, ADD, ADDR_A, 0, self->efd[0], DATAMATCH, 5));
	EXPECT_EQ(EINVAL, ioeventfd(self->vm, ADD, ADDR_A, 0, self->efd[0], CROSVM_DATAMATCH, 5));
	EXPECT_EQ(ENOENT, ioeventfd(self->vm, REMOVE, ADDR_A, 0, self->efd[0], 0, 0));
}

TEST_F(fn, ioeventfd_flags)
{
	static const __u32 flags[] = {
		1U << 2, 1U << 3, 1U << 31, DATAMATCH | 1U << 2, CROSVM_DATAMATCH | 1U << 3, ~0U,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(flags); i++)
		EXPECT_EQ(EINVAL, ioeventfd(self->vm, ADD, ADDR_A, 4, self->efd[0], flags[i], 1))
			TH_LOG("flags %#x", flags[i]);
	EXPECT_EQ(ENOENT, ioeventfd(self->vm, REMOVE, ADDR_A, 4, self->efd[0], 0, 0));
}

/* crosvm's flags = 1 << GUNYAH_IOEVENTFD_DATAMATCH: a datamatch registration */
TEST_F(fn, ioeventfd_crosvm_datamatch_flag)
{
	ASSERT_EQ(0, ioeventfd(self->vm, ADD, ADDR_A, 4, self->efd[0], CROSVM_DATAMATCH, 5));
	/* The same registration as with DATAMATCH */
	EXPECT_EQ(EEXIST, ioeventfd(self->vm, ADD, ADDR_A, 4, self->efd[1], DATAMATCH, 5));
	EXPECT_EQ(EEXIST, ioeventfd(self->vm, ADD, ADDR_A, 4, self->efd[1], CROSVM_DATAMATCH, 5));
	/* It matches 5 only: other values are free, any value is not */
	EXPECT_EQ(0, ioeventfd(self->vm, ADD, ADDR_A, 4, self->efd[1], CROSVM_DATAMATCH, 6));
	EXPECT_EQ(0, ioeventfd(self->vm, ADD, ADDR_A, 4, self->efd[1], DATAMATCH, 7));
	EXPECT_EQ(EEXIST, ioeventfd(self->vm, ADD, ADDR_A, 4, self->efd[2], 0, 0));
	/* crosvm removes with the flags it added with */
	EXPECT_EQ(0, ioeventfd(self->vm, REMOVE, ADDR_A, 4, self->efd[0], CROSVM_DATAMATCH, 5));
	EXPECT_EQ(0, ioeventfd(self->vm, REMOVE, ADDR_A, 4, self->efd[1], CROSVM_DATAMATCH, 6));
	EXPECT_EQ(0, ioeventfd(self->vm, REMOVE, ADDR_A, 4, self->efd[1], DATAMATCH, 7));
	EXPECT_EQ(0, ioeventfd(self->vm, ADD, ADDR_A, 4, self->efd[2], 0, 0));
}

TEST_F(fn, ioeventfd_bad_fd)
{
	EXPECT_EQ(EBADF, ioeventfd(self->vm, ADD, ADDR_A, 4, -1, 0, 0));
	EXPECT_EQ(EBADF, ioeventfd(self->vm, ADD, ADDR_A, 4, closed_fd(), 0, 0));
	EXPECT_EQ(EBADF, ioeventfd(self->vm, ADD, ADDR_A, 8, 0x7fffffff, DATAMATCH, 1));
	EXPECT_EQ(ENOENT, ioeventfd(self->vm, REMOVE, ADDR_A, 4, self->efd[0], 0, 0));
}

TEST_F(fn, ioeventfd_not_eventfd)
{
	EXPECT_EQ(EINVAL, ioeventfd(self->vm, ADD, ADDR_A, 4, self->null, 0, 0));
	EXPECT_EQ(EINVAL, ioeventfd(self->vm, ADD, ADDR_A, 4, self->pipe[1], 0, 0));
	EXPECT_EQ(EINVAL, ioeventfd(self->vm, ADD, ADDR_A, 4, self->vm, DATAMATCH, 1));
	EXPECT_EQ(EINVAL, ioeventfd(self->vm, ADD, ADDR_A, 0, self->dev, 0, 0));
	EXPECT_EQ(ENOENT, ioeventfd(self->vm, REMOVE, ADDR_A, 4, self->efd[0], 0, 0));
}

TEST_F(fn, ioeventfd_bad_pointer)
{
	EXPECT_EQ(EFAULT, fn(self->vm, ADD, GUNYAH_FN_IOEVENTFD, (void *)8,
			     sizeof(struct gunyah_fn_ioeventfd_arg)));
	EXPECT_EQ(EFAULT, fn(self->vm, REMOVE, GUNYAH_FN_IOEVENTFD, (void *)8,
			     sizeof(struct gunyah_fn_ioeventfd_arg)));
}

/* The same address, length and data twice, whatever the eventfd */
TEST_F(fn, ioeventfd_duplicate)
{
	ASSERT_EQ(0, ioeventfd(self->vm, ADD, ADDR_A, 4, self->efd[0], 0, 0));
	EXPECT_EQ(EEXIST, ioeventfd(self->vm, ADD, ADDR_A, 4, self->efd[1], 0, 0));
	EXPECT_EQ(EEXIST, ioeventfd(self->vm, ADD, ADDR_A, 4, self->efd[0], 0, 0));
	/* Any data covers every value */
	EXPECT_EQ(EEXIST, ioeventfd(self->vm, ADD, ADDR_A, 4, self->efd[1], DATAMATCH, 7));

	ASSERT_EQ(0, ioeventfd(self->vm, ADD, ADDR_B, 8, self->efd[0], DATAMATCH, 3));
	EXPECT_EQ(EEXIST, ioeventfd(self->vm, ADD, ADDR_B, 8, self->efd[1], DATAMATCH, 3));
	EXPECT_EQ(EEXIST, ioeventfd(self->vm, ADD, ADDR_B, 8, self->efd[0], DATAMATCH, 3));
	EXPECT_EQ(0, ioeventfd(self->vm, REMOVE, ADDR_A, 4, self->efd[0], 0, 0));
	EXPECT_EQ(0, ioeventfd(self->vm, REMOVE, ADDR_B, 8, self->efd[0], DATAMATCH, 3));
}

/* Different values at one address and length are different registrations */
TEST_F(fn, ioeventfd_datamatch_values)
{
	ASSERT_EQ(0, ioeventfd(self->vm, ADD, ADDR_A, 4, self->efd[0], DATAMATCH, 1));
	EXPECT_EQ(0, ioeventfd(self->vm, ADD, ADDR_A, 4, self->efd[1], DATAMATCH, 2));
	EXPECT_EQ(EEXIST, ioeventfd(self->vm, ADD, ADDR_A, 4, self->efd[1], DATAMATCH, 1));
	EXPECT_EQ(EEXIST, ioeventfd(self->vm, ADD, ADDR_A, 4, self->efd[2], DATAMATCH, 2));
	/* Any data, or any length, would overlap both */
	EXPECT_EQ(EEXIST, ioeventfd(self->vm, ADD, ADDR_A, 4, self->efd[2], 0, 0));
	EXPECT_EQ(EEXIST, ioeventfd(self->vm, ADD, ADDR_A, 0, self->efd[2], 0, 0));
	/* Another length is another register width */
	EXPECT_EQ(0, ioeventfd(self->vm, ADD, ADDR_A, 8, self->efd[2], DATAMATCH, 1));
	EXPECT_EQ(0, ioeventfd(self->vm, REMOVE, ADDR_A, 4, self->efd[0], DATAMATCH, 1));
	EXPECT_EQ(0, ioeventfd(self->vm, REMOVE, ADDR_A, 4, self->efd[1], DATAMATCH, 2));
	EXPECT_EQ(0, ioeventfd(self->vm, REMOVE, ADDR_A, 8, self->efd[2], DATAMATCH, 1));
}

/* Length 0 (any) against a length, both ways round */
TEST_F(fn, ioeventfd_wildcard_len_overlap)
{
	ASSERT_EQ(0, ioeventfd(self->vm, ADD, ADDR_A, 4, self->efd[0], 0, 0));
	EXPECT_EQ(EEXIST, ioeventfd(self->vm, ADD, ADDR_A, 0, self->efd[1], 0, 0));

	ASSERT_EQ(0, ioeventfd(self->vm, ADD, ADDR_B, 0, self->efd[0], 0, 0));
	EXPECT_EQ(EEXIST, ioeventfd(self->vm, ADD, ADDR_B, 4, self->efd[1], 0, 0));
	EXPECT_EQ(EEXIST, ioeventfd(self->vm, ADD, ADDR_B, 1, self->efd[1], 0, 0));
	EXPECT_EQ(EEXIST, ioeventfd(self->vm, ADD, ADDR_B, 8, self->efd[1], DATAMATCH, 1));
	EXPECT_EQ(EEXIST, ioeventfd(self->vm, ADD, ADDR_B, 2, self->efd[0], DATAMATCH, 0));

	/* Gone, the lengths are free again */
	EXPECT_EQ(0, ioeventfd(self->vm, REMOVE, ADDR_B, 0, self->efd[0], 0, 0));
	EXPECT_EQ(0, ioeventfd(self->vm, ADD, ADDR_B, 4, self->efd[1], 0, 0));
	EXPECT_EQ(0, ioeventfd(self->vm, ADD, ADDR_B, 8, self->efd[1], DATAMATCH, 1));
	EXPECT_EQ(0, ioeventfd(self->vm, REMOVE, ADDR_A, 4, self->efd[0], 0, 0));
	EXPECT_EQ(0, ioeventfd(self->vm, ADD, ADDR_A, 0, self->efd[1], 0, 0));
}

TEST_F(fn, ioeventfd_same_addr_other_len)
{
	static const __u32 lens[] = { 1, 2, 4, 8 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lens); i++)
		EXPECT_EQ(0, ioeventfd(self->vm, ADD, ADDR_A, lens[i], self->efd[i], 0, 0))
			TH_LOG("len %u", lens[i]);
	for (i = 0; i < ARRAY_SIZE(lens); i++)
		EXPECT_EQ(0, ioeventfd(self->vm, REMOVE, ADDR_A, lens[i], self->efd[i], 0, 0))
			TH_LOG("len %u", lens[i]);
}

/* QEMU removes by address and eventfd: another eventfd is not a match */
TEST_F(fn, ioeventfd_remove_needs_fd)
{
	ASSERT_EQ(0, ioeventfd(self->vm, ADD, ADDR_A, 4, self->efd[0], 0, 0));
	EXPECT_EQ(ENOENT, ioeventfd(self->vm, REMOVE, ADDR_A, 4, self->efd[1], 0, 0));
	EXPECT_EQ(0, ioeventfd(self->vm, REMOVE, ADDR_A, 4, self->efd[0], 0, 0));

	ASSERT_EQ(0, ioeventfd(self->vm, ADD, ADDR_B, 8, self->efd[0], DATAMATCH, 3));
	EXPECT_EQ(ENOENT, ioeventfd(self->vm, REMOVE, ADDR_B, 8, self->efd[1], DATAMATCH, 3));
	EXPECT_EQ(0, ioeventfd(self->vm, REMOVE, ADDR_B, 8, self->efd[0], DATAMATCH, 3));
}

/* Address, length, datamatch and its flag must all match too */
TEST_F(fn, ioeventfd_remove_needs_match)
{
	int fd = self->efd[0];

	ASSERT_EQ(0, ioeventfd(self->vm, ADD, ADDR_A, 4, fd, DATAMATCH, 9));
	EXPECT_EQ(ENOENT, ioeventfd(self->vm, REMOVE, ADDR_B, 4, fd, DATAMATCH, 9));
	EXPECT_EQ(ENOENT, ioeventfd(self->vm, REMOVE, ADDR_A + 4, 4, fd, DATAMATCH, 9));
	EXPECT_EQ(ENOENT, ioeventfd(self->vm, REMOVE, ADDR_A, 8, fd, DATAMATCH, 9));
	EXPECT_EQ(ENOENT, ioeventfd(self->vm, REMOVE, ADDR_A, 2, fd, DATAMATCH, 9));
	EXPECT_EQ(ENOENT, ioeventfd(self->vm, REMOVE, ADDR_A, 4, fd, DATAMATCH, 10));
	EXPECT_EQ(ENOENT, ioeventfd(self->vm, REMOVE, ADDR_A, 4, fd, 0, 9));
	EXPECT_EQ(ENOENT, ioeventfd(self->vm, REMOVE, ADDR_A, 0, fd, 0, 0));
	EXPECT_EQ(0, ioeventfd(self->vm, REMOVE, ADDR_A, 4, fd, DATAMATCH, 9));

	ASSERT_EQ(0, ioeventfd(self->vm, ADD, ADDR_A, 0, fd, 0, 0));
	EXPECT_EQ(ENOENT, ioeventfd(self->vm, REMOVE, ADDR_A, 4, fd, 0, 0));
	EXPECT_EQ(ENOENT, ioeventfd(self->vm, REMOVE, ADDR_A, 4, fd, DATAMATCH, 0));
	EXPECT_EQ(0, ioeventfd(self->vm, REMOVE, ADDR_A, 0, fd, 0, 0));
}

/* The argument's padding is not checked (as in the Android kernels) */
TEST_F(fn, ioeventfd_padding_ignored)
{
	struct gunyah_fn_ioeventfd_arg arg = {
		.addr = ADDR_A,
		.len = 4,
		.fd = self->efd[0],
		.padding = 0xdeadbeef,
	};

	EXPECT_EQ(0, fn(self->vm, ADD, GUNYAH_FN_IOEVENTFD, &arg, sizeof(arg)));
	EXPECT_EQ(0, ioeventfd(self->vm, REMOVE, ADDR_A, 4, self->efd[0], 0, 0));
}

TEST_F(fn, ioeventfd_readd_after_remove)
{
	ASSERT_EQ(0, ioeventfd(self->vm, ADD, ADDR_A, 4, self->efd[0], DATAMATCH, 1));
	EXPECT_EQ(0, ioeventfd(self->vm, REMOVE, ADDR_A, 4, self->efd[0], DATAMATCH, 1));
	EXPECT_EQ(0, ioeventfd(self->vm, ADD, ADDR_A, 4, self->efd[0], DATAMATCH, 1));
	EXPECT_EQ(0, ioeventfd(self->vm, REMOVE, ADDR_A, 4, self->efd[0], DATAMATCH, 1));
	/* With another eventfd, and then any data */
	EXPECT_EQ(0, ioeventfd(self->vm, ADD, ADDR_A, 4, self->efd[1], DATAMATCH, 1));
	EXPECT_EQ(0, ioeventfd(self->vm, REMOVE, ADDR_A, 4, self->efd[1], DATAMATCH, 1));
	EXPECT_EQ(0, ioeventfd(self->vm, ADD, ADDR_A, 4, self->efd[1], 0, 0));
	EXPECT_EQ(0, ioeventfd(self->vm, REMOVE, ADDR_A, 4, self->efd[1], 0, 0));
}

/* irqfds and ioeventfds side by side: a label is not an address */
TEST_F(fn, irqfd_and_ioeventfd)
{
	ASSERT_EQ(0, irqfd(self->vm, ADD, self->efd[0], 1, 0));
	ASSERT_EQ(0, ioeventfd(self->vm, ADD, ADDR_A, 0, self->efd[1], 0, 0));
	EXPECT_EQ(ENOENT, irqfd(self->vm, REMOVE, self->efd[1], (__u32)ADDR_A, 0));
	EXPECT_EQ(ENOENT, ioeventfd(self->vm, REMOVE, 1, 0, self->efd[0], 0, 0));
	EXPECT_EQ(0, irqfd(self->vm, REMOVE, self->efd[0], 1, 0));
	EXPECT_EQ(0, ioeventfd(self->vm, REMOVE, ADDR_A, 0, self->efd[1], 0, 0));
}

/* ---------------------------------------------------------------------- */
/* VMs closed with functions registered                                   */

FIXTURE(life) {
	int dev;
};

FIXTURE_SETUP(life)
{
	self->dev = open_dev();
	if (self->dev < 0 && errno == ENOENT)
		SKIP(return, "no %s", GUNYAH_DEV);
	ASSERT_LE(0, self->dev) TH_LOG("open %s: %s", GUNYAH_DEV, strerror(errno));
}

FIXTURE_TEARDOWN(life)
{
	if (self->dev >= 0)
		close(self->dev);
}

/*
 * A VM with two irqfds (edge, level) and two ioeventfds on @efd[0..3];
 * returns its file descriptor or -1.
 */
static int vm_with_functions(struct __test_metadata *_metadata, int dev, const int *efd)
{
	int vm = ioctl(dev, GUNYAH_CREATE_VM, 0);

	EXPECT_LE(0, vm) TH_LOG("GUNYAH_CREATE_VM: %s", strerror(errno));
	if (vm < 0)
		return -1;
	EXPECT_EQ(0, irqfd(vm, ADD, efd[0], 0, 0));
	EXPECT_EQ(0, irqfd(vm, ADD, efd[1], 1, LEVEL));
	EXPECT_EQ(0, ioeventfd(vm, ADD, ADDR_A, 0, efd[2], 0, 0));
	EXPECT_EQ(0, ioeventfd(vm, ADD, ADDR_B, 4, efd[3], DATAMATCH, 1));
	return vm;
}

static bool make_eventfds(int *efd)
{
	unsigned int i;

	for (i = 0; i < NR_EVENTFDS; i++) {
		efd[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (efd[i] < 0)
			return false;
	}
	return true;
}

static void close_eventfds(int *efd)
{
	unsigned int i;

	for (i = 0; i < NR_EVENTFDS; i++)
		close(efd[i]);
}

/* The VM goes first, its eventfds stay open and are signalled afterwards */
TEST_F(life, vm_closed_before_eventfds)
{
	int fds = count_fds(), efd[NR_EVENTFDS], vm;
	uint64_t one = 1;
	unsigned int i;

	ASSERT_LT(0, fds);
	ASSERT_TRUE(make_eventfds(efd));
	vm = vm_with_functions(_metadata, self->dev, efd);
	ASSERT_LE(0, vm);
	ASSERT_EQ(0, close(vm));
	/* Nobody listens any more: the eventfds work as plain eventfds */
	for (i = 0; i < NR_EVENTFDS; i++)
		EXPECT_EQ((ssize_t)sizeof(one), write(efd[i], &one, sizeof(one)));
	close_eventfds(efd);
	EXPECT_EQ(fds, count_fds());

	/* And the next VM takes the same functions */
	ASSERT_TRUE(make_eventfds(efd));
	vm = vm_with_functions(_metadata, self->dev, efd);
	ASSERT_LE(0, vm);
	close(vm);
	close_eventfds(efd);
	EXPECT_EQ(fds, count_fds());
}

/* The eventfds go first: the irqfds detach, the ioeventfds hold theirs */
TEST_F(life, eventfds_closed_before_vm)
{
	int fds = count_fds(), efd[NR_EVENTFDS], vm;

	ASSERT_LT(0, fds);
	ASSERT_TRUE(make_eventfds(efd));
	vm = vm_with_functions(_metadata, self->dev, efd);
	ASSERT_LE(0, vm);
	close_eventfds(efd);
	/* Give the irqfds' asynchronous detach a moment to run into the close */
	usleep(20000);
	ASSERT_EQ(0, close(vm));
	EXPECT_EQ(fds, count_fds());

	ASSERT_TRUE(make_eventfds(efd));
	vm = vm_with_functions(_metadata, self->dev, efd);
	ASSERT_LE(0, vm);
	close(vm);
	close_eventfds(efd);
	EXPECT_EQ(fds, count_fds());
}

/* Two VMs at a time, closed in both orders against their eventfds */
TEST_F_TIMEOUT(life, create_destroy_cycles, 120)
{
	int fds = count_fds(), efd[NR_EVENTFDS], efd2[NR_EVENTFDS], vm, vm2;
	unsigned int i;

	ASSERT_LT(0, fds);
	for (i = 0; i < 20; i++) {
		ASSERT_TRUE(make_eventfds(efd));
		ASSERT_TRUE(make_eventfds(efd2));
		vm = vm_with_functions(_metadata, self->dev, efd);
		ASSERT_LE(0, vm) TH_LOG("cycle %u", i);
		vm2 = vm_with_functions(_metadata, self->dev, efd2);
		ASSERT_LE(0, vm2) TH_LOG("cycle %u", i);
		if (i & 1) {
			close(vm);
			close_eventfds(efd);
			close_eventfds(efd2);
			close(vm2);
		} else {
			close_eventfds(efd);
			close(vm2);
			close(vm);
			close_eventfds(efd2);
		}
	}
	EXPECT_EQ(fds, count_fds());
}

TEST_HARNESS_MAIN
