// SPDX-License-Identifier: GPL-2.0-only
/*
 * Run-loop selftest of the Gunyah VM manager: a minimal VMM of its own runs
 * the bare-metal test guest (tools/testing/gunyah/guests/baremetal) on
 * proxy-scheduled vCPUs, one thread each, and checks what arrives through
 * GUNYAH_VCPU_RUN: the MMIO exits of the test device and of an unbacked
 * address in the VMMIO window, none for the accesses past the guest's RAM
 * outside it (the guest sees aborts), the second vCPU started by PSCI
 * CPU_ON, the guest's own checks (timer interrupt, SGIs) and the STATUS
 * exit of every vCPU at power-off.
 * The test device's KICK register has an ioeventfd, and a thread turns its
 * counts into writes of an irqfd that raises the device's SPI (edge with
 * two vCPUs, level with four): the guest sees one interrupt per KICK and
 * no KICK write may reach this VMM as an MMIO exit.
 *
 * usage: gunyah_run_test [BAREMETAL.BIN] [harness options]
 * The image comes from the first argument, else $GUNYAH_BAREMETAL, else
 * /usr/lib/gunyah/baremetal.bin. Needs /dev/gunyah with the vCPU, irqfd
 * and ioeventfd functions, and root, for the pinned guest memory.
 */

#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
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

#include <linux/gunyah.h>

#include "../kselftest_harness.h"
#include "../../gunyah/guests/test_device.h"
#include "guest_dt.h"
#include "thread_wait.h"

#define GUNYAH_DEV		"/dev/gunyah"
#define DEFAULT_BAREMETAL	"/usr/lib/gunyah/baremetal.bin"

#define MAX_VCPUS		4
#define RAM_SIZE		(16UL << 20)
/* The devicetree in the last 64 KiB, with room for the RM's overlay */
#define DTB_OFFSET		(RAM_SIZE - 0x10000)
#define DTB_CONFIG_SIZE		0x4000

/* How long the guest may run; how long the other vCPUs have to follow */
#define RUN_TIMEOUT_S		60
#define STOP_TIMEOUT_S		10

/* PL011: only what the guest's output needs */
#define UART_DR			0x00
#define UART_FR			0x18
#define UART_FR_RXFE		0x10
#define UART_FR_TXFE		0x80

/* Bitmap of access sizes: BIT(1) | BIT(2) | BIT(4) | BIT(8) */
#define ALL_SIZES		0x116U

/* KICK writes of TEST_CHECK_IRQFD */
#define GUEST_KICKS		3

static const char *baremetal_path = DEFAULT_BAREMETAL;

static const struct {
	unsigned int size;
	uint64_t value;
} scratch_writes[] = TEST_SCRATCH_WRITES;
#define NR_SCRATCH_WRITES	ARRAY_SIZE(scratch_writes)

/* ---------------------------------------------------------------------- */
/* The VMM: vCPU threads and the devices they emulate                     */

struct run_state;

struct vcpu {
	struct run_state *st;
	unsigned int id;
	int fd;
	struct gunyah_vcpu_run *run;
	long run_size;
	pthread_t thread;
	bool started;
	pid_t tid;		/* set by the thread */
	bool finished;		/* the thread is done: under st->lock */

	/* Written by the thread, read after it is joined */
	int err;		/* errno of a failed GUNYAH_VCPU_RUN */
	bool status_exit;	/* the last exit was STATUS */
	bool stopped;		/* taken out of GUNYAH_VCPU_RUN by the test */
	char bad_exit[128];	/* another exit it could not handle */
	uint32_t status;
	uint16_t exit_type;
	unsigned long mmio_exits;
};

struct run_state {
	pthread_mutex_t lock;	/* all below */
	pthread_cond_t done_cond;
	unsigned int nr_done;
	bool stop;

	/* Test device */
	unsigned int nr_scratch_writes;
	bool scratch_bad;	/* a write other than the expected one */
	uint64_t scratch;
	uint32_t scratch_read_sizes;
	uint64_t echo;
	uint32_t echo_len;	/* of the pending ECHO value; 0 if none */
	unsigned int echo_seq, echo_ok, echo_bad;
	uint32_t echo_sizes;
	uint64_t last_unhandled;
	uint64_t hello;
	unsigned int hello_bad;
	uint64_t checks;
	bool result_written;
	uint64_t result;

	/*
	 * KICK: the ioeventfd's eventfd, the irqfd's eventfd, the KICK writes
	 * counted by the one and forwarded to the other, and those that came
	 * as MMIO exits instead (forwarded too, so that the guest goes on)
	 */
	int kick_efd, irq_efd;
	uint64_t kicks;
	unsigned int kick_exits;
	int forward_err;	/* errno of the forwarding thread */

	/* Other addresses */
	bool unbacked_read;
	unsigned int unbacked_vcpu, unbacked_len;
	/* writes outside RAM: to host RAM's address, just past the guest's RAM */
	unsigned int unbacked_writes;
	unsigned int unhandled_other;
	uint64_t unhandled_other_addr;

	/* The guest's console, printed line by line */
	char line[256];
	size_t line_len;
};

static uint64_t size_mask(uint32_t len)
{
	return len >= 8 ? ~0ULL : (1ULL << (8 * len)) - 1;
}

static void console_putc(struct run_state *st, char c)
{
	if (c == '\r')
		return;
	if (c != '\n' && st->line_len < sizeof(st->line) - 1) {
		st->line[st->line_len++] = c;
		return;
	}
	st->line[st->line_len] = '\0';
	printf("# %s\n", st->line);
	fflush(stdout);
	st->line_len = 0;
}

static uint64_t test_dev_read(struct vcpu *v, uint64_t off, uint32_t len)
{
	struct run_state *st = v->st;

	switch (off) {
	case TEST_DEV_ID:
		return TEST_DEV_ID_VALUE;
	case TEST_DEV_SCRATCH:
		st->scratch_read_sizes |= 1U << len;
		return st->scratch;
	case TEST_DEV_ECHO:
		/* Ours to choose, and different every time */
		st->echo = 0x9e3779b97f4a7c15ULL * ++st->echo_seq ^ 0xa5a5a5a5a5a5a5a5ULL;
		st->echo_len = len;
		return st->echo;
	case TEST_DEV_ECHO_BACK:
		return st->echo_bad;
	case TEST_DEV_LAST_UNHANDLED:
		return st->last_unhandled;
	case TEST_DEV_HELLO:
		return st->hello;
	case TEST_DEV_KICK:
		return st->kick_exits;
	default:
		return 0;
	}
}

static void test_dev_write(struct vcpu *v, uint64_t off, uint32_t len, uint64_t val)
{
	struct run_state *st = v->st;
	uint64_t one = 1;
	unsigned int i;

	switch (off) {
	case TEST_DEV_SCRATCH:
		i = st->nr_scratch_writes++;
		if (i >= NR_SCRATCH_WRITES || scratch_writes[i].size != len ||
		    scratch_writes[i].value != val)
			st->scratch_bad = true;
		st->scratch = val;
		break;
	case TEST_DEV_CHECK:
		if (val < 64)
			st->checks |= 1ULL << val;
		break;
	case TEST_DEV_RESULT:
		st->result = val;
		st->result_written = true;
		break;
	case TEST_DEV_ECHO_BACK:
		if (st->echo_len && len == st->echo_len &&
		    val == (st->echo & size_mask(len))) {
			st->echo_ok++;
			st->echo_sizes |= 1U << len;
		} else {
			st->echo_bad++;
		}
		st->echo_len = 0;
		break;
	case TEST_DEV_HELLO:
		if (val == v->id)
			st->hello |= 1ULL << v->id;
		else
			st->hello_bad++;
		break;
	case TEST_DEV_KICK:
		/* The ioeventfd should have taken it: counted, raised anyway */
		st->kick_exits++;
		if (write(st->irq_efd, &one, sizeof(one)) != sizeof(one))
			st->forward_err = errno;
		break;
	}
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
	struct run_state *st = v->st;
	unsigned int i;

	if (len > 8)
		len = 8;
	for (i = 0; write && i < len; i++)
		val |= (uint64_t)run->mmio.data[i] << (8 * i);

	pthread_mutex_lock(&st->lock);
	if (in_range(addr, len, GUEST_PL011_BASE, GUEST_PL011_SIZE)) {
		if (write && addr - GUEST_PL011_BASE == UART_DR)
			console_putc(st, val);
		else if (!write && addr - GUEST_PL011_BASE == UART_FR)
			val = UART_FR_TXFE | UART_FR_RXFE;
	} else if (in_range(addr, len, GUEST_TEST_DEV_BASE, GUEST_TEST_DEV_SIZE)) {
		if (write)
			test_dev_write(v, addr - GUEST_TEST_DEV_BASE, len, val);
		else
			val = test_dev_read(v, addr - GUEST_TEST_DEV_BASE, len);
	} else {
		st->last_unhandled = addr;
		if (addr == GUEST_UNBACKED_ADDR && !write) {
			st->unbacked_read = true;
			st->unbacked_vcpu = v->id;
			st->unbacked_len = len;
		} else if (write && len == 8 && val == 0x5a5a5a5a &&
			   addr == GUEST_UNBACKED_ADDR + 8) {
			st->unbacked_writes++;
		} else {
			st->unhandled_other++;
			st->unhandled_other_addr = addr;
		}
		val = 0;
	}
	pthread_mutex_unlock(&st->lock);

	if (!write) {
		val &= size_mask(len);
		for (i = 0; i < sizeof(run->mmio.data); i++)
			run->mmio.data[i] = i < len ? val >> (8 * i) : 0;
	}
	run->mmio.resume_action = GUNYAH_VCPU_RESUME_HANDLED;
}

static bool stopping(struct run_state *st)
{
	bool stop;

	pthread_mutex_lock(&st->lock);
	stop = st->stop;
	pthread_mutex_unlock(&st->lock);
	return stop;
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *v = arg;
	struct gunyah_vcpu_run *run = v->run;
	struct run_state *st = v->st;

	__atomic_store_n(&v->tid, gettid(), __ATOMIC_RELEASE);
	for (;;) {
		if (stopping(st)) {
			v->stopped = true;
			break;
		}
		if (ioctl(v->fd, GUNYAH_VCPU_RUN, 0) < 0) {
			if (errno == EINTR)
				continue;
			v->err = errno;
			break;
		}
		if (run->exit_reason == GUNYAH_VCPU_EXIT_MMIO) {
			v->mmio_exits++;
			handle_mmio(v);
			continue;
		}
		if (run->exit_reason == GUNYAH_VCPU_EXIT_STATUS) {
			v->status_exit = true;
			v->status = run->status.status;
			v->exit_type = run->status.exit_info.type;
		} else if (run->exit_reason == GUNYAH_VCPU_EXIT_PAGE_FAULT) {
			snprintf(v->bad_exit, sizeof(v->bad_exit),
				 "page fault at %#llx, attempt %d",
				 (unsigned long long)run->page_fault.phys_addr,
				 run->page_fault.attempt);
		} else {
			snprintf(v->bad_exit, sizeof(v->bad_exit), "exit reason %u",
				 run->exit_reason);
		}
		break;
	}

	pthread_mutex_lock(&st->lock);
	v->finished = true;
	st->nr_done++;
	pthread_cond_broadcast(&st->done_cond);
	pthread_mutex_unlock(&st->lock);
	return NULL;
}

static void kick_handler(int sig)
{
	(void)sig;
}

/*
 * The test device's interrupt logic: each KICK write the ioeventfd counted
 * becomes one write of the irqfd. Until @stop_efd is signalled.
 */
struct forwarder {
	struct run_state *st;
	int stop_efd;
	pthread_t thread;
	bool started;
};

static void *forward_thread(void *arg)
{
	struct forwarder *fw = arg;
	struct run_state *st = fw->st;
	struct pollfd fds[2] = {
		{ .fd = st->kick_efd, .events = POLLIN },
		{ .fd = fw->stop_efd, .events = POLLIN },
	};
	uint64_t n, one = 1;
	int err = 0;

	while (!err) {
		if (poll(fds, 2, -1) < 0) {
			if (errno != EINTR)
				err = errno;
			continue;
		}
		if (fds[1].revents)
			break;
		if (!(fds[0].revents & POLLIN))
			continue;
		/* Non-blocking: 0 and EAGAIN mean nothing new */
		if (read(st->kick_efd, &n, sizeof(n)) != sizeof(n)) {
			if (errno != EAGAIN)
				err = errno;
			continue;
		}
		pthread_mutex_lock(&st->lock);
		st->kicks += n;
		pthread_mutex_unlock(&st->lock);
		while (n-- && !err)
			if (write(st->irq_efd, &one, sizeof(one)) != sizeof(one))
				err = errno;
	}
	if (err) {
		pthread_mutex_lock(&st->lock);
		st->forward_err = err;
		pthread_mutex_unlock(&st->lock);
	}
	return NULL;
}

static void stop_forwarder(struct forwarder *fw)
{
	uint64_t one = 1;

	if (!fw->started)
		return;
	/* poll() is a cancellation point, should the eventfd fail us */
	if (write(fw->stop_efd, &one, sizeof(one)) != sizeof(one))
		pthread_cancel(fw->thread);
	pthread_join(fw->thread, NULL);
	fw->started = false;
}

/* GUNYAH_VM_ADD_FUNCTION of an irqfd or ioeventfd: 0 or the errno */
static int add_fn(int vm, __u32 type, void *arg, __u32 size)
{
	struct gunyah_fn_desc desc = {
		.type = type,
		.arg_size = size,
		.arg = (uintptr_t)arg,
	};

	return ioctl(vm, GUNYAH_VM_ADD_FUNCTION, &desc) < 0 ? errno : 0;
}

/* ---------------------------------------------------------------------- */
/* The test                                                               */

FIXTURE(run) {
	int dev, vm;
	char *ram;
	unsigned int nr_vcpus;
	struct vcpu vcpus[MAX_VCPUS];
	struct run_state st;
	struct forwarder fw;
};

FIXTURE_VARIANT(run) {
	unsigned int nr_vcpus;
	bool level;		/* the test device's SPI and irqfd */
};

FIXTURE_VARIANT_ADD(run, two_vcpus) {
	.nr_vcpus = 2,
	.level = false,
};

/*
 * vCPUs 2 and 3 never run; they must see the power-off all the same. The
 * test device's interrupt is level triggered here.
 */
FIXTURE_VARIANT_ADD(run, four_vcpus) {
	.nr_vcpus = 4,
	.level = true,
};

FIXTURE_SETUP(run)
{
	struct gunyah_userspace_memory_region region = {
		.label = 0,
		.flags = GUNYAH_MEM_ALLOW_RWX,
		.guest_phys_addr = GUEST_RAM_BASE,
		.memory_size = RAM_SIZE,
	};
	struct gunyah_vm_dtb_config dtb = {
		.guest_phys_addr = GUEST_RAM_BASE + DTB_OFFSET,
		.size = DTB_CONFIG_SIZE,
	};
	struct gunyah_vm_boot_context pc = {
		.reg = GUNYAH_VM_BOOT_CONTEXT_REG(GUNYAH_VM_BOOT_CONTEXT_REG_SET_PC, 0),
		.value = GUEST_RAM_BASE,
	};
	struct gunyah_vm_boot_context x0 = {
		.reg = GUNYAH_VM_BOOT_CONTEXT_REG(GUNYAH_VM_BOOT_CONTEXT_REG_SET_X, 0),
		.value = GUEST_RAM_BASE + DTB_OFFSET,
	};
	struct sigaction sa = { .sa_handler = kick_handler };
	struct gunyah_fn_irqfd_arg irqfd = {
		.label = GUEST_TEST_DEV_BELL,
		.flags = variant->level ? GUNYAH_IRQFD_FLAGS_LEVEL : 0,
	};
	/* Any length, any value */
	struct gunyah_fn_ioeventfd_arg ioeventfd = {
		.addr = GUEST_TEST_DEV_BASE + TEST_DEV_KICK,
		.len = 0,
	};
	ssize_t n, size = 0;
	unsigned int i;
	int fd, err;

	self->vm = -1;
	self->nr_vcpus = variant->nr_vcpus;
	pthread_mutex_init(&self->st.lock, NULL);
	pthread_cond_init(&self->st.done_cond, NULL);
	for (i = 0; i < MAX_VCPUS; i++)
		self->vcpus[i].fd = -1;
	self->st.kick_efd = -1;
	self->st.irq_efd = -1;
	self->fw.st = &self->st;
	self->fw.stop_efd = -1;

	/* No SA_RESTART: the signal ends a blocked GUNYAH_VCPU_RUN */
	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));

	self->dev = open(GUNYAH_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->dev) TH_LOG("open %s: %s", GUNYAH_DEV, strerror(errno));

	/* RAM: the guest at its start, the devicetree in its last 64 KiB */
	self->ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			 -1, 0);
	ASSERT_NE(MAP_FAILED, self->ram);
	fd = open(baremetal_path, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd) TH_LOG("open %s: %s (the image: 1st argument or $GUNYAH_BAREMETAL)",
				baremetal_path, strerror(errno));
	while ((n = read(fd, self->ram + size, DTB_OFFSET - size)) > 0)
		size += n;
	ASSERT_EQ(0, n) TH_LOG("read %s: %s", baremetal_path, strerror(errno));
	ASSERT_GT((ssize_t)DTB_OFFSET, size) TH_LOG("%s is too large", baremetal_path);
	ASSERT_LT(0, size) TH_LOG("%s is empty", baremetal_path);
	close(fd);
	ASSERT_LT(0UL, make_dt(self->ram + DTB_OFFSET, "gunyah_run_test", RAM_SIZE,
			       self->nr_vcpus, variant->level));

	self->vm = ioctl(self->dev, GUNYAH_CREATE_VM, 0);
	ASSERT_LE(0, self->vm) TH_LOG("GUNYAH_CREATE_VM: %s", strerror(errno));
	region.userspace_addr = (uintptr_t)self->ram;
	ASSERT_EQ(0, ioctl(self->vm, GUNYAH_VM_SET_USER_MEM_REGION, &region))
		TH_LOG("GUNYAH_VM_SET_USER_MEM_REGION: %s", strerror(errno));
	ASSERT_EQ(0, ioctl(self->vm, GUNYAH_VM_SET_DTB_CONFIG, &dtb))
		TH_LOG("GUNYAH_VM_SET_DTB_CONFIG: %s", strerror(errno));
	ASSERT_EQ(0, ioctl(self->vm, GUNYAH_VM_SET_BOOT_CONTEXT, &pc))
		TH_LOG("GUNYAH_VM_SET_BOOT_CONTEXT(PC): %s", strerror(errno));
	ASSERT_EQ(0, ioctl(self->vm, GUNYAH_VM_SET_BOOT_CONTEXT, &x0))
		TH_LOG("GUNYAH_VM_SET_BOOT_CONTEXT(X0): %s", strerror(errno));

	for (i = 0; i < self->nr_vcpus; i++) {
		struct vcpu *v = &self->vcpus[i];
		struct gunyah_fn_vcpu_arg arg = { .id = i };
		struct gunyah_fn_desc desc = {
			.type = GUNYAH_FN_VCPU,
			.arg_size = sizeof(arg),
			.arg = (uintptr_t)&arg,
		};

		v->st = &self->st;
		v->id = i;
		v->fd = ioctl(self->vm, GUNYAH_VM_ADD_FUNCTION, &desc);
		ASSERT_LE(0, v->fd) TH_LOG("GUNYAH_VM_ADD_FUNCTION(vCPU %u): %s%s", i,
					   strerror(errno),
					   errno == ENOENT ? " (is gunyah_vcpu.ko loaded?)" : "");
		v->run_size = ioctl(v->fd, GUNYAH_VCPU_MMAP_SIZE, 0);
		ASSERT_LE((long)sizeof(struct gunyah_vcpu_run), v->run_size)
			TH_LOG("GUNYAH_VCPU_MMAP_SIZE: %ld (%s)", v->run_size, strerror(errno));
		v->run = mmap(NULL, v->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
		ASSERT_NE(MAP_FAILED, v->run) TH_LOG("mmap of the run page: %s", strerror(errno));
	}

	/* KICK: an ioeventfd, an irqfd and the thread in between */
	self->st.kick_efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	self->st.irq_efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	self->fw.stop_efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ASSERT_LE(0, self->st.kick_efd);
	ASSERT_LE(0, self->st.irq_efd);
	ASSERT_LE(0, self->fw.stop_efd);
	irqfd.fd = self->st.irq_efd;
	err = add_fn(self->vm, GUNYAH_FN_IRQFD, &irqfd, sizeof(irqfd));
	ASSERT_EQ(0, err) TH_LOG("GUNYAH_VM_ADD_FUNCTION(irqfd, label %u): %s%s",
				 GUEST_TEST_DEV_BELL, strerror(err),
				 err == ENOENT ? " (is gunyah_irqfd.ko loaded?)" : "");
	ioeventfd.fd = self->st.kick_efd;
	err = add_fn(self->vm, GUNYAH_FN_IOEVENTFD, &ioeventfd, sizeof(ioeventfd));
	ASSERT_EQ(0, err) TH_LOG("GUNYAH_VM_ADD_FUNCTION(ioeventfd at %#lx): %s%s",
				 GUEST_TEST_DEV_BASE + TEST_DEV_KICK, strerror(err),
				 err == ENOENT ? " (is gunyah_ioeventfd.ko loaded?)" : "");
	err = pthread_create(&self->fw.thread, NULL, forward_thread, &self->fw);
	ASSERT_EQ(0, err) TH_LOG("pthread_create: %s", strerror(err));
	self->fw.started = true;
}

/* Take every vCPU thread out of GUNYAH_VCPU_RUN and join it */
static void stop_vcpus(struct run_state *st, struct vcpu *vcpus, unsigned int n)
{
	unsigned int i;

	pthread_mutex_lock(&st->lock);
	st->stop = true;
	pthread_mutex_unlock(&st->lock);
	for (i = 0; i < n; i++) {
		if (!vcpus[i].started)
			continue;
		__atomic_store_n(&vcpus[i].run->immediate_exit, 1, __ATOMIC_SEQ_CST);
		pthread_kill(vcpus[i].thread, SIGUSR1);
	}
	for (i = 0; i < n; i++) {
		if (vcpus[i].started)
			pthread_join(vcpus[i].thread, NULL);
		vcpus[i].started = false;
	}
}

FIXTURE_TEARDOWN(run)
{
	unsigned int i;

	stop_vcpus(&self->st, self->vcpus, self->nr_vcpus);
	stop_forwarder(&self->fw);
	for (i = 0; i < self->nr_vcpus; i++) {
		struct vcpu *v = &self->vcpus[i];

		if (v->run && v->run != MAP_FAILED)
			munmap(v->run, v->run_size);
		if (v->fd >= 0)
			close(v->fd);
	}
	if (self->vm >= 0)
		close(self->vm);
	/* After the VM: its irqfd and ioeventfd go with it */
	if (self->st.kick_efd >= 0)
		close(self->st.kick_efd);
	if (self->st.irq_efd >= 0)
		close(self->st.irq_efd);
	if (self->fw.stop_efd >= 0)
		close(self->fw.stop_efd);
	if (self->ram && self->ram != MAP_FAILED)
		munmap(self->ram, RAM_SIZE);
	if (self->dev >= 0)
		close(self->dev);
}

static const char * const check_names[] = {
	[TEST_CHECK_ID] = "test device ID",
	[TEST_CHECK_SCRATCH] = "8-byte MMIO round trip",
	[TEST_CHECK_SCRATCH_SIZES] = "1-, 2-, 4-byte MMIO",
	[TEST_CHECK_ECHO] = "MMIO read data from the VMM",
	[TEST_CHECK_UNBACKED] = "unbacked: MMIO exits in the VMMIO window, aborts past the RAM",
	[TEST_CHECK_PSCI_VERSION] = "PSCI_VERSION",
	[TEST_CHECK_CPU_ON] = "PSCI CPU_ON of vCPU 1",
	[TEST_CHECK_CPU_OFF] = "PSCI CPU_OFF / AFFINITY_INFO",
	[TEST_CHECK_GIC] = "GIC set-up",
	[TEST_CHECK_TIMER] = "virtual timer interrupt",
	[TEST_CHECK_SGI] = "six SGIs",
	[TEST_CHECK_IRQFD] = "test device interrupt through the ioeventfd and irqfd",
	[TEST_CHECK_FP] = "FP/SIMD registers and FPCR across exits",
	[TEST_CHECK_PAUTH] = "pointer-authentication keys across exits",
};

TEST_F_TIMEOUT(run, baremetal, RUN_TIMEOUT_S + STOP_TIMEOUT_S + 30)
{
	struct run_state *st = &self->st;
	struct timespec deadline;
	uint64_t n;
	unsigned int i;
	int err;

	ASSERT_EQ(0, ioctl(self->vm, GUNYAH_VM_START, 0))
		TH_LOG("GUNYAH_VM_START: %s", strerror(errno));
	for (i = 0; i < self->nr_vcpus; i++) {
		err = pthread_create(&self->vcpus[i].thread, NULL, vcpu_thread, &self->vcpus[i]);
		ASSERT_EQ(0, err) TH_LOG("pthread_create: %s", strerror(err));
		self->vcpus[i].started = true;
	}

	/* Until every thread is done; once one is, the others get a while */
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += RUN_TIMEOUT_S;
	pthread_mutex_lock(&st->lock);
	while (st->nr_done < self->nr_vcpus) {
		unsigned int done = st->nr_done;

		if (pthread_cond_timedwait(&st->done_cond, &st->lock, &deadline) == ETIMEDOUT)
			break;
		if (!done && st->nr_done) {
			clock_gettime(CLOCK_REALTIME, &deadline);
			deadline.tv_sec += STOP_TIMEOUT_S;
		}
	}
	/* A hang: where the threads the test must stop wait */
	for (i = 0; i < self->nr_vcpus; i++)
		if (self->vcpus[i].started && !self->vcpus[i].finished) {
			char what[32];

			snprintf(what, sizeof(what), "vCPU %u, still running,", i);
			log_thread_wait(__atomic_load_n(&self->vcpus[i].tid, __ATOMIC_ACQUIRE),
					what);
		}
	pthread_mutex_unlock(&st->lock);
	stop_vcpus(&self->st, self->vcpus, self->nr_vcpus);
	stop_forwarder(&self->fw);
	if (st->line_len)
		console_putc(st, '\n');
	/* KICKs the thread had no time for: counted, not forwarded */
	if (read(st->kick_efd, &n, sizeof(n)) == sizeof(n))
		st->kicks += n;

	/* Every vCPU, running or never started, sees the power-off */
	for (i = 0; i < self->nr_vcpus; i++) {
		struct vcpu *v = &self->vcpus[i];

		EXPECT_EQ(0, v->err) TH_LOG("vCPU %u: GUNYAH_VCPU_RUN: %s", i, strerror(v->err));
		EXPECT_STREQ("", v->bad_exit) TH_LOG("vCPU %u: unexpected exit", i);
		EXPECT_TRUE(v->status_exit)
			TH_LOG("vCPU %u: no STATUS exit%s", i,
			       v->stopped ? " (blocked until the test stopped it)" : "");
		if (!v->status_exit)
			continue;
		EXPECT_EQ((uint32_t)GUNYAH_VM_STATUS_EXITED, v->status) TH_LOG("vCPU %u", i);
		EXPECT_EQ(GUNYAH_VM_EXIT_TYPE_PSCI_POWER_OFF, v->exit_type) TH_LOG("vCPU %u", i);
	}

	/* The MMIO exits, as this VMM saw them */
	EXPECT_EQ((unsigned int)NR_SCRATCH_WRITES, st->nr_scratch_writes);
	EXPECT_FALSE(st->scratch_bad) TH_LOG("SCRATCH writes differ from TEST_SCRATCH_WRITES");
	EXPECT_EQ(ALL_SIZES, st->scratch_read_sizes) TH_LOG("SCRATCH read sizes");
	EXPECT_EQ(6U, st->echo_ok) TH_LOG("ECHO values written back");
	EXPECT_EQ(0U, st->echo_bad) TH_LOG("ECHO values written back wrong");
	EXPECT_EQ(ALL_SIZES, st->echo_sizes) TH_LOG("ECHO sizes");
	EXPECT_TRUE(st->unbacked_read) TH_LOG("no MMIO exit for %#lx", GUEST_UNBACKED_ADDR);
	EXPECT_EQ(0U, st->unbacked_vcpu);
	EXPECT_EQ(8U, st->unbacked_len);
	/* A write to memory the guest was not given reaches this VMM, not memory */
	EXPECT_EQ(1U, st->unbacked_writes);
	/*
	 * Past the guest's RAM, outside the VMMIO window [0, 1 GiB), the
	 * guest's write and read are aborts in the guest: no MMIO exit
	 */
	EXPECT_EQ(0U, st->unhandled_other)
		TH_LOG("access to unexpected address %#llx%s",
		       (unsigned long long)st->unhandled_other_addr,
		       st->unhandled_other_addr >= GUEST_VMMIO_WINDOW_END ?
		       " (outside the VMMIO window)" : "");

	/* Every KICK went through the ioeventfd, none was an MMIO exit */
	EXPECT_EQ(0U, st->kick_exits) TH_LOG("KICK writes that were MMIO exits");
	EXPECT_EQ((uint64_t)GUEST_KICKS, st->kicks + st->kick_exits)
		TH_LOG("KICK writes: %llu through the ioeventfd, %u MMIO exits",
		       (unsigned long long)st->kicks, st->kick_exits);
	EXPECT_EQ(0, st->forward_err) TH_LOG("forwarding KICKs: %s", strerror(st->forward_err));

	/* vCPU 1 came up on its own thread; the others never ran */
	EXPECT_EQ(1UL << 1, st->hello);
	EXPECT_EQ(0U, st->hello_bad);
	EXPECT_LT(0UL, self->vcpus[1].mmio_exits);
	for (i = 2; i < self->nr_vcpus; i++)
		EXPECT_EQ(0UL, self->vcpus[i].mmio_exits) TH_LOG("vCPU %u ran", i);

	/* The guest's own checks: timer, SGIs, PSCI... */
	for (i = 1; i <= TEST_NR_CHECKS; i++)
		EXPECT_TRUE(!!(st->checks & (1ULL << i)))
			TH_LOG("guest check %u (%s) did not pass", i,
			       check_names[i] ? check_names[i] : "?");
	EXPECT_TRUE(st->result_written) TH_LOG("the guest wrote no result");
	EXPECT_EQ(0UL, st->result) TH_LOG("the guest's result");
}

int main(int argc, char **argv)
{
	const char *env = getenv("GUNYAH_BAREMETAL");

	if (env && *env)
		baremetal_path = env;
	/* A first argument that is not an option names the guest */
	if (argc > 1 && argv[1][0] != '-') {
		baremetal_path = argv[1];
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	return test_harness_run(argc, argv);
}
