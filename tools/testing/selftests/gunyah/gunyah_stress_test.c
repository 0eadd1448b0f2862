// SPDX-License-Identifier: GPL-2.0-only
/*
 * Stress of the Gunyah VM manager from several threads and processes, for
 * a bounded time. Each test fails if the kernel logs a splat meanwhile
 * (read from /dev/kmsg) or leaves a vCPU wake-up interrupt registered.
 *
 *  wakeup_irqs      threads create a VM with one vCPU and one irqfd, start
 *                   it, ring the irqfd and close the VM, the vCPU and the
 *                   eventfd, in that order; teardown and creation race on
 *                   the RM's reuse of interrupt numbers
 *  create_destroy   1,000 VMs created with memory and destroyed, the pinned
 *                   memory given back each time
 *  random_ioctls    threads send random ioctls, some well formed, to
 *                   /dev/gunyah, VMs and vCPUs that other threads close
 *  vmm_killed       a child VMM killed with SIGKILL while its vCPU runs;
 *                   a new VM starts afterwards
 *
 * usage: gunyah_stress_test [harness options]; GUNYAH_STRESS_SECONDS
 * (default 20) bounds wakeup_irqs and random_ioctls, GUNYAH_STRESS_THREADS
 * (default 4) sets their threads. Needs root (pinned memory, /dev/kmsg).
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/gunyah.h>

#include "../kselftest_harness.h"
#include "../../gunyah/guests/test_device.h"
#include "guest_dt.h"
#include "thread_wait.h"

#define GUNYAH_DEV		"/dev/gunyah"
/* Small guests: the real RM's reset takes longer the more memory it has. */
#define RAM_SIZE		(2UL << 20)
#define DTB_OFFSET		(RAM_SIZE - 0x10000)
#define DTB_CONFIG_SIZE		0x4000
#define MAX_THREADS		16
#define CYCLES			1000

/* What the kernel may print under stress, and what it must not */
static const char * const splats[] = {
	"WARNING:", "BUG:", "Oops", "Internal error", "Unexpected interrupt",
	"removing non-empty directory", "INFO: task", "list_add corruption",
	"list_del corruption", "refcount_t:",
};

static unsigned int stress_seconds(void)
{
	const char *s = getenv("GUNYAH_STRESS_SECONDS");

	return s && atoi(s) > 0 ? atoi(s) : 20;
}

static unsigned int stress_threads(void)
{
	const char *s = getenv("GUNYAH_STRESS_THREADS");
	int n = s ? atoi(s) : 4;

	return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : n;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* /dev/kmsg from now on: the records a test adds to the kernel's log */
static int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/* The first record since kmsg_open() that shows a splat, or "" */
static const char *kmsg_splat(int fd, char *rec, size_t size)
{
	ssize_t n;
	size_t i;

	for (;;) {
		n = read(fd, rec, size - 1);
		if (n < 0 && errno == EPIPE)	/* overwritten: read on */
			continue;
		if (n <= 0)
			return "";
		rec[n] = '\0';
		for (i = 0; i < ARRAY_SIZE(splats); i++)
			if (strstr(rec, splats[i]))
				return rec;
	}
}

/* Lines of /proc/interrupts that name the vCPU wake-up handler */
static int wakeup_irqs_registered(void)
{
	FILE *f = fopen("/proc/interrupts", "r");
	char line[512];
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "gunyah_vcpu_wakeup"))
			n++;
	fclose(f);
	return n;
}

#define EXPECT_KERNEL_CLEAN(kmsg) do {						\
	char __rec[1024];							\
	const char *__splat = kmsg_splat(kmsg, __rec, sizeof(__rec));		\
										\
	EXPECT_STREQ("", __splat) TH_LOG("the kernel logged a splat");		\
	EXPECT_EQ(0, wakeup_irqs_registered())					\
		TH_LOG("vCPU wake-up interrupts left registered");		\
} while (0)

static int add_fn(int vm, __u32 type, void *arg, __u32 size)
{
	struct gunyah_fn_desc desc = {
		.type = type,
		.arg_size = size,
		.arg = (uintptr_t)arg,
	};

	return ioctl(vm, GUNYAH_VM_ADD_FUNCTION, &desc);
}

struct guest {
	int vm, vcpu, efd;
	char *ram;
};

/*
 * A VM with RAM_SIZE of memory (zeros, but for the devicetree), one vCPU
 * and the test device's irqfd; started if @start. Returns 0 or -errno.
 */
static int guest_create(int dev, struct guest *g, bool start)
{
	struct gunyah_userspace_memory_region region = {
		.flags = GUNYAH_MEM_ALLOW_RWX,
		.guest_phys_addr = GUEST_RAM_BASE,
		.memory_size = RAM_SIZE,
	};
	struct gunyah_vm_dtb_config dtb = {
		.guest_phys_addr = GUEST_RAM_BASE + DTB_OFFSET,
		.size = DTB_CONFIG_SIZE,
	};
	struct gunyah_fn_vcpu_arg vcpu = { .id = 0 };
	struct gunyah_fn_irqfd_arg irqfd = { .label = GUEST_TEST_DEV_BELL };
	int err = 0;

	g->vm = -1;
	g->vcpu = -1;
	g->efd = -1;
	g->ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (g->ram == MAP_FAILED)
		return -errno;
	if (!make_dt(g->ram + DTB_OFFSET, "gunyah_stress_test", RAM_SIZE, 1, false))
		return -ENOMEM;
	region.userspace_addr = (uintptr_t)g->ram;
	g->vm = ioctl(dev, GUNYAH_CREATE_VM, 0);
	g->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (g->vm < 0 || g->efd < 0 ||
	    ioctl(g->vm, GUNYAH_VM_SET_USER_MEM_REGION, &region) ||
	    ioctl(g->vm, GUNYAH_VM_SET_DTB_CONFIG, &dtb))
		return -errno;
	g->vcpu = add_fn(g->vm, GUNYAH_FN_VCPU, &vcpu, sizeof(vcpu));
	irqfd.fd = g->efd;
	if (g->vcpu < 0 || add_fn(g->vm, GUNYAH_FN_IRQFD, &irqfd, sizeof(irqfd)))
		return -errno;
	if (start && ioctl(g->vm, GUNYAH_VM_START, 0))
		err = -errno;
	return err;
}

/* The order of the race: the VM, the vCPU, the eventfd, the memory */
static void guest_destroy(struct guest *g)
{
	if (g->vm >= 0)
		close(g->vm);
	if (g->vcpu >= 0)
		close(g->vcpu);
	if (g->efd >= 0)
		close(g->efd);
	if (g->ram && g->ram != MAP_FAILED)
		munmap(g->ram, RAM_SIZE);
	memset(g, 0, sizeof(*g));
}

/* ---------------------------------------------------------------------- */

struct worker {
	pthread_t thread;
	unsigned int id;
	int dev;
	double deadline;
	unsigned long iterations;
	int err;		/* the first unexpected errno */
	char what[64];		/* and what returned it */
	uint64_t rng;
};

static void *wakeup_irqs_thread(void *arg)
{
	struct worker *w = arg;
	uint64_t one = 1;
	struct guest g;
	int err;

	while (now() < w->deadline) {
		err = -guest_create(w->dev, &g, true);
		if (!err && write(g.efd, &one, sizeof(one)) != sizeof(one))
			err = errno;
		guest_destroy(&g);
		if (err && !w->err) {
			w->err = err;
			snprintf(w->what, sizeof(w->what), "iteration %lu", w->iterations);
		}
		if (err)
			break;
		w->iterations++;
	}
	return NULL;
}

FIXTURE(stress) {
	int dev, kmsg;
	unsigned int nr;
	struct worker w[MAX_THREADS];
};

FIXTURE_SETUP(stress)
{
	self->dev = open(GUNYAH_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->dev) TH_LOG("open %s: %s", GUNYAH_DEV, strerror(errno));
	self->kmsg = kmsg_open();
	ASSERT_LE(0, self->kmsg) TH_LOG("open /dev/kmsg: %s", strerror(errno));
	self->nr = stress_threads();
}

FIXTURE_TEARDOWN(stress)
{
	close(self->kmsg);
	close(self->dev);
}

static void run_workers(struct __test_metadata *_metadata, struct worker *w, unsigned int nr,
			int dev, void *(*fn)(void *))
{
	double deadline = now() + stress_seconds();
	unsigned long total = 0;
	bool logged = false;
	unsigned int i;

	for (i = 0; i < nr; i++) {
		w[i] = (struct worker){ .id = i, .dev = dev, .deadline = deadline,
					.rng = 0x9e3779b97f4a7c15ULL * (i + 1) };
		ASSERT_EQ(0, pthread_create(&w[i].thread, NULL, fn, &w[i]));
	}
	for (i = 0; i < nr; i++) {
		/* A minute past the deadline, say once where the threads wait */
		struct timespec late;

		clock_gettime(CLOCK_REALTIME, &late);
		late.tv_sec += (time_t)(deadline - now()) + 60;
		if (logged || pthread_timedjoin_np(w[i].thread, NULL, &late)) {
			if (!logged) {
				TH_LOG("threads still busy a minute after the deadline:");
				log_all_threads_wait();
				logged = true;
			}
			pthread_join(w[i].thread, NULL);
		}
		total += w[i].iterations;
		EXPECT_EQ(0, w[i].err) TH_LOG("thread %u, %s: %s", i, w[i].what,
					      strerror(w[i].err));
	}
	TH_LOG("%u threads, %lu iterations in %u s", nr, total, stress_seconds());
}

/*
 * Teardown and creation from several threads: the RM hands the interrupt
 * numbers of a VM it reset to the next VM it creates, while the kernel
 * keys its IRQ mappings by those numbers.
 */
TEST_F_TIMEOUT(stress, wakeup_irqs, 600)
{
	run_workers(_metadata, self->w, self->nr, self->dev, wakeup_irqs_thread);
	EXPECT_LT(0UL, self->w[0].iterations) TH_LOG("no VM started");
	EXPECT_KERNEL_CLEAN(self->kmsg);
}

/* Created with memory and destroyed, never started; pins never leak. */
TEST_F_TIMEOUT(stress, create_destroy, 600)
{
	struct gunyah_userspace_memory_region region = {
		.flags = GUNYAH_MEM_ALLOW_RWX,
		.guest_phys_addr = GUEST_RAM_BASE,
		.memory_size = RAM_SIZE,
	};
	unsigned int i;
	char *ram;
	int vm;

	ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ram);
	region.userspace_addr = (uintptr_t)ram;
	for (i = 0; i < CYCLES; i++) {
		vm = ioctl(self->dev, GUNYAH_CREATE_VM, 0);
		ASSERT_LE(0, vm) TH_LOG("cycle %u: GUNYAH_CREATE_VM: %s", i, strerror(errno));
		/* The same pages each time: they must be unpinned by the close */
		ASSERT_EQ(0, ioctl(vm, GUNYAH_VM_SET_USER_MEM_REGION, &region))
			TH_LOG("cycle %u: SET_USER_MEM_REGION: %s", i, strerror(errno));
		ASSERT_EQ(0, close(vm));
	}
	munmap(ram, RAM_SIZE);
	EXPECT_KERNEL_CLEAN(self->kmsg);
}

/* ---------------------------------------------------------------------- */

static uint64_t rnd(struct worker *w)
{
	/* xorshift64*: repeatable per thread */
	w->rng ^= w->rng >> 12;
	w->rng ^= w->rng << 25;
	w->rng ^= w->rng >> 27;
	return w->rng * 0x2545f4914f6cdd1dULL;
}

/* Shared between the threads: any of them may close what another uses */
#define NR_SLOTS	8
static int slots[NR_SLOTS] = { -1, -1, -1, -1, -1, -1, -1, -1 };

/* Every errno the UAPI documents for these calls, and EBADF for a race */
static bool errno_expected(int err)
{
	static const int ok[] = {
		EINVAL, EFAULT, ENOTTY, EBUSY, ENOENT, EEXIST, ENOMEM, EPERM, ENODEV,
		EOPNOTSUPP, ENOSPC, E2BIG, EAGAIN, EINTR, ENXIO, EBADF, EACCES,
		ERANGE, EOVERFLOW, EIO, ENOLINK, ENOEXEC, EBADMSG, ETIMEDOUT, EMFILE,
		EBADFD,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ok); i++)
		if (err == ok[i])
			return true;
	return false;
}

static const unsigned long vm_cmds[] = {
	GUNYAH_VM_SET_USER_MEM_REGION, GUNYAH_VM_SET_DTB_CONFIG, GUNYAH_VM_START,
	GUNYAH_VM_ADD_FUNCTION, GUNYAH_VM_REMOVE_FUNCTION, GUNYAH_VM_SET_BOOT_CONTEXT,
	GUNYAH_VM_ANDROID_LEND_USER_MEM, GUNYAH_VM_ANDROID_SET_FW_CONFIG,
	GUNYAH_VM_RECLAIM_REGION, GUNYAH_VM_CHECK_EXTENSION, GUNYAH_VCPU_RUN,
	GUNYAH_VCPU_MMAP_SIZE,
};

/*
 * One random step: create a VM or a vCPU into a slot, close a slot, or an
 * ioctl from the UAPI (or any number) with an argument that points to
 * random bytes, sometimes shaped like what the ioctl expects.
 */
static void *random_ioctls_thread(void *arg)
{
	struct worker *w = arg;
	union {
		uint8_t bytes[256];
		struct gunyah_fn_desc fn;
		struct gunyah_userspace_memory_region region;
		struct gunyah_vm_dtb_config dtb;
	} u;
	uint8_t fnarg[64];
	char *ram;
	unsigned long cmd;
	int fd, slot, ret;
	size_t i;

	ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (ram == MAP_FAILED) {
		w->err = errno;
		return NULL;
	}
	make_dt(ram + DTB_OFFSET, "gunyah_stress_test", RAM_SIZE, 1, false);
	while (now() < w->deadline) {
		uint64_t r = rnd(w);

		ret = 0;
		slot = r % NR_SLOTS;
		fd = __atomic_load_n(&slots[slot], __ATOMIC_RELAXED);
		for (i = 0; i < sizeof(u.bytes); i++)
			u.bytes[i] = rnd(w);
		for (i = 0; i < sizeof(fnarg); i++)
			fnarg[i] = rnd(w) & 3;
		switch ((r >> 8) % 8) {
		case 0:		/* a new VM into the slot */
			ret = ioctl(w->dev, GUNYAH_CREATE_VM, 0);
			if (ret >= 0) {
				fd = __atomic_exchange_n(&slots[slot], ret, __ATOMIC_RELAXED);
				if (fd >= 0)
					close(fd);
			}
			break;
		case 1:		/* close the slot */
			fd = __atomic_exchange_n(&slots[slot], -1, __ATOMIC_RELAXED);
			if (fd >= 0)
				close(fd);
			continue;
		case 2:		/* memory, well formed but for the label and size */
			u.region.flags &= GUNYAH_MEM_ALLOW_RWX;
			u.region.guest_phys_addr = GUEST_RAM_BASE;
			u.region.memory_size = RAM_SIZE >> (r >> 16 & 1);
			u.region.userspace_addr = (uintptr_t)ram;
			ret = ioctl(fd, GUNYAH_VM_SET_USER_MEM_REGION, &u.region);
			break;
		case 3:
			u.dtb.guest_phys_addr = GUEST_RAM_BASE + DTB_OFFSET;
			u.dtb.size = DTB_CONFIG_SIZE;
			ret = ioctl(fd, GUNYAH_VM_SET_DTB_CONFIG, &u.dtb);
			break;
		case 4:		/* a function: vCPU, irqfd or ioeventfd */
			u.fn.type = r >> 20 & 3;
			u.fn.arg_size = (r >> 24 & 1) ? 8 : r >> 25 & 63;
			u.fn.arg = (uintptr_t)fnarg;
			ret = ioctl(fd, (r >> 32 & 1) ? GUNYAH_VM_ADD_FUNCTION :
					GUNYAH_VM_REMOVE_FUNCTION, &u.fn);
			/* A vCPU fd goes into a slot like a VM's */
			if (ret > 0) {
				fd = __atomic_exchange_n(&slots[(slot + 1) % NR_SLOTS], ret,
							 __ATOMIC_RELAXED);
				if (fd >= 0)
					close(fd);
			}
			break;
		case 5:
			ret = ioctl(fd, GUNYAH_VM_START, 0);
			break;
		case 6:		/* any UAPI ioctl, random argument */
			cmd = vm_cmds[(r >> 16) % ARRAY_SIZE(vm_cmds)];
			if (cmd == GUNYAH_VCPU_RUN)
				break;	/* it may block for as long as the guest runs */
			ret = ioctl(fd, cmd, (r >> 40 & 1) ? (unsigned long)u.bytes : r >> 24);
			break;
		default:	/* any number at all */
			cmd = (r >> 16) & 0xffffffff;
			if (cmd == GUNYAH_VCPU_RUN)
				break;
			ret = ioctl((r >> 48 & 1) ? w->dev : fd, cmd, u.bytes);
			break;
		}
		if (ret < 0 && !errno_expected(errno) && !w->err) {
			w->err = errno;
			snprintf(w->what, sizeof(w->what), "step %lu, kind %lu",
				 w->iterations, (unsigned long)((r >> 8) % 8));
		}
		w->iterations++;
	}
	munmap(ram, RAM_SIZE);
	return NULL;
}

TEST_F_TIMEOUT(stress, random_ioctls, 600)
{
	unsigned int i;

	run_workers(_metadata, self->w, self->nr, self->dev, random_ioctls_thread);
	for (i = 0; i < NR_SLOTS; i++)
		if (slots[i] >= 0) {
			close(slots[i]);
			slots[i] = -1;
		}
	EXPECT_KERNEL_CLEAN(self->kmsg);
}

/* ---------------------------------------------------------------------- */

/*
 * The child: a VM whose vCPU runs (its RAM is zeros: the guest takes an
 * exception at every instruction, in the kernel's vcpu_run loop), until
 * it is killed. It tells the parent through @ready once it runs.
 */
static void vmm_child(int dev, int ready)
{
	struct guest g;
	char c = 1;

	if (guest_create(dev, &g, true))
		_exit(1);
	if (write(ready, &c, 1) != 1)
		_exit(1);
	for (;;)
		ioctl(g.vcpu, GUNYAH_VCPU_RUN, 0);
}

TEST_F_TIMEOUT(stress, vmm_killed, 600)
{
	struct guest g;
	int i, err, status, p[2];
	pid_t pid;
	char c;

	for (i = 0; i < 5; i++) {
		ASSERT_EQ(0, pipe(p));
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid) {
			close(p[0]);
			vmm_child(self->dev, p[1]);
		}
		close(p[1]);
		ASSERT_EQ(1, read(p[0], &c, 1)) TH_LOG("round %d: the child's VM did not start", i);
		close(p[0]);
		usleep(200000 * (i + 1));
		ASSERT_EQ(0, kill(pid, SIGKILL));
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	}
	/* Its VMs were torn down by the kills: a new one starts */
	err = guest_create(self->dev, &g, true);
	EXPECT_EQ(0, err) TH_LOG("a VM after the kills: %s", strerror(-err));
	guest_destroy(&g);
	EXPECT_KERNEL_CLEAN(self->kmsg);
}

TEST_HARNESS_MAIN
