// SPDX-License-Identifier: GPL-2.0-only
/*
 * End-to-end selftest of Gunyah-scheduled VMs: VMs whose vCPUs are not
 * proxy-scheduled but run by the hypervisor's own scheduler, on the
 * physical CPUs of the VM config's affinity-map, at a priority below the
 * host's. Such a VM has no vCPU function and no GUNYAH_VCPU_RUN: like
 * Qualcomm's upstream sample VMM, the test makes exactly four ioctls,
 * GUNYAH_CREATE_VM, GUNYAH_VM_SET_USER_MEM_REGION (shared memory, which
 * the test keeps reading), GUNYAH_VM_SET_DTB_CONFIG and GUNYAH_VM_START.
 *
 *  sched.alive: the Linux test guest (its /init with gunyah_sched_nonce=,
 *      tools/testing/gunyah/guests/linux/init.c) logs "gunyah-sched-guest:
 *      alive <~nonce> cpus=1", and the line turns up in the printk buffer,
 *      in the guest's RAM. Then the guest idles.
 *  sched.power_off: the same, then the guest powers off (PSCI SYSTEM_OFF)
 *      and the RM's VM_EXITED notification reaches the driver (its
 *      gunyah_rm_notification trace event); closing the VM resets it and
 *      gives its memory back.
 *  sched.stop_running: a guest that spins forever once alive is stopped,
 *      reset and reclaimed by closing the VM, in bounded time; its memory
 *      is still the test's to read and write.
 *  sched.smp: two vCPUs, affinity-map = <0 1>, the second waiting (PSCI
 *      enable-method): the guest says "cpus=2", its Linux having powered
 *      the second on (CPU_ON), which then ran on physical CPU 1 before
 *      /init started. Then the guest powers off, as in sched.power_off.
 *  config.*.start: the scheduling properties the real RM refuses, each
 *      with the errno GUNYAH_VM_START gets from it, and proxy scheduling,
 *      for which it ignores them.
 *  cpu0.*.second_alive: two VMs on physical CPU 0, 2 ms timeslices. The
 *      first comes alive and spins (never WFI), a second started then
 *      must come alive too, and spin. equal_priority (both -1): the
 *      second can only run if the end of a turn takes CPU 0 from the
 *      first, which keeps running too. higher_priority (-2, then -1): the
 *      second takes CPU 0, and the first, always ready, then does not run
 *      at all. Whether a guest runs: its kernel's memory changes (its
 *      periodic tick) or not. Closing both VMs stops them in bounded time.
 *
 * The real Gunyah's RM crashes when it stops the vCPUs of such a VM
 * (vm_config.c try_run_vcpu() asserts that it could raise their priority,
 * which the hypervisor refuses once a vCPU is activated), whether a VMM
 * stops the VM or its guest powers off: there sched.power_off and
 * sched.stop_running skip, and a VM of this test that runs is never
 * stopped, a process of its own keeps it until the host powers off
 * (sched.smp's guest idles instead of powering off). The spinners of
 * cpu0.* keep CPU 0 too, at their priorities: higher_priority, whose
 * first would starve behind equal_priority's, runs before it.
 *
 * A scheduled vCPU runs on its physical CPU only while the host's vCPU of
 * that CPU is idle (its priority is below the host's): the test runs on
 * the last online CPU, which is neither 0 nor 1 on the real Gunyah's 8,
 * and sleeps between looks at the guests' RAM, so that on our 2 CPUs it
 * leaves CPU 1 idle for sched.smp's second vCPU.
 *
 * usage: gunyah_sched_test [harness options]
 * The guest is $GUNYAH_GUEST_IMAGE (default /usr/lib/gunyah/Image) with
 * $GUNYAH_GUEST_INITRD (default /usr/lib/gunyah/linux-initramfs.cpio).
 * GUNYAH_SELFTEST_HYP=qualcomm says the hypervisor is Qualcomm's release
 * (check.sh's real lane). Needs /dev/gunyah, tracefs and root.
 */

#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/gunyah.h>

#include "../kselftest_harness.h"
#include "../../gunyah/guests/test_device.h"
#include "guest_dt.h"
#include "tracefs.h"

#define GUNYAH_DEV		"/dev/gunyah"
#define DEFAULT_IMAGE		"/usr/lib/gunyah/Image"
#define DEFAULT_INITRD		"/usr/lib/gunyah/linux-initramfs.cpio"

#define SZ_4K			0x1000UL
#define RAM_SIZE		(64UL << 20)
/*
 * The devicetree in the last 64 KiB; the RM reads at most that much and
 * adds its overlay in place, within the size given to SET_DTB_CONFIG.
 */
#define DTB_AREA		0x10000UL
#define DTB_OFFSET		(RAM_SIZE - DTB_AREA)
#define DTB_SLACK		SZ_4K

/* arm64 Image header (Documentation/arch/arm64/booting.rst) */
#define IMAGE_TEXT_OFFSET	8
#define IMAGE_SIZE		16
#define IMAGE_MAGIC_OFFSET	56
#define IMAGE_MAGIC		0x644d5241U	/* "ARM\x64" */

/*
 * The vCPU's scheduling, as in Qualcomm's sample_vm.dts: physical CPU 0,
 * one below the owner's priority (an offset to it), 2 ms timeslices.
 */
#define SCHED_CPU		0
#define SCHED_PRIORITY		(-1)
#define SCHED_TIMESLICE_US	2000
/* The most vCPUs a VM of this test has (sched.smp) */
#define MAX_VCPUS		2

/*
 * Linux can take tens of seconds to reach /init under TCG, on a CPU it
 * gets only while the host's CPU 0 idles (on the real Gunyah: 1 s):
 * generous.
 */
#define POLL_MS			500
#define ALIVE_TIMEOUT_S		180
/* From the alive line to the RM's VM_EXITED */
#define EXIT_TIMEOUT_S		60
/* A VM's reset can take seconds under QEMU */
#define CLOSE_TIMEOUT_S		90
/* Every this many polls, all of the RAM, not just the Image's BSS */
#define FULL_SCAN_POLLS		20

/* RM notification IDs (abi.md 7.9) */
#define RM_NOTIF_VM_EXITED	0x56100001U

#define ALIVE_PREFIX		"gunyah-sched-guest: alive "
/* What fills the guest's free RAM, to see how much of it the guest used */
#define POISON			0x5ca1ab1e5ca1ab1eULL

#define REAL_GUNYAH_STOP_DEFECT \
	"stopping a low-priority VM whose vCPUs are not proxy-scheduled crashes the real Gunyah's RM (assert in vm_config.c try_run_vcpu)"
#define REAL_GUNYAH_EXIT_DEFECT \
	"the real Gunyah's RM stops a VM whose vCPU powers off, and stopping a low-priority VM whose vCPUs are not proxy-scheduled crashes it (assert in vm_config.c try_run_vcpu)"
#define REAL_GUNYAH_AFFINITY_DEFECT \
	"the real Gunyah (a debug build) stops on an assert (platform_cpu_exists, cpu < PLATFORM_MAX_CORES) for an affinity-map CPU its RM passes on unchecked"

/*
 * For the configurations the RM refuses (or should): a guest at the start
 * of its RAM, MMU off, that waits for interrupts forever, so that a VM
 * started by mistake does nothing (and does not power off: see above).
 */
static const uint32_t idle_code[] = {
	0xd503207f,	/* 1: wfi */
	0x17ffffff,	/*    b     1b */
};

/*
 * check.sh's lane for Qualcomm's release sets GUNYAH_SELFTEST_HYP=qualcomm:
 * what would hit one of its known defects skips, saying which.
 */
static bool on_real_gunyah(void)
{
	const char *hyp = getenv("GUNYAH_SELFTEST_HYP");

	return hyp && !strcmp(hyp, "qualcomm");
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* ---------------------------------------------------------------------- */
/* The VM's devicetree                                                    */

/* What gunyah-vm-config/vcpus says; absent properties are left out */
struct sched_cfg {
	const char *affinity;
	unsigned int nr_vcpus;	/* 0 is 1 */
	bool has_map;
	uint32_t map_cpu[MAX_VCPUS];
	bool has_priority;
	int32_t priority;
	bool has_timeslice;
	uint32_t timeslice;
	bool no_idle_states;	/* leave out the CPU's cpu-idle-states */
};

static const struct sched_cfg sample_sched = {
	.has_map = true,
	.map_cpu = { SCHED_CPU },
	.has_priority = true,
	.priority = SCHED_PRIORITY,
	.has_timeslice = true,
	.timeslice = SCHED_TIMESLICE_US,
};

/* sched.smp: the same with a second vCPU, on physical CPU 1 */
static const struct sched_cfg smp_sched = {
	.nr_vcpus = 2,
	.has_map = true,
	.map_cpu = { SCHED_CPU, SCHED_CPU + 1 },
	.has_priority = true,
	.priority = SCHED_PRIORITY,
	.has_timeslice = true,
	.timeslice = SCHED_TIMESLICE_US,
};

static unsigned int nr_vcpus(const struct sched_cfg *c)
{
	return c->nr_vcpus ? c->nr_vcpus : 1;
}

/*
 * The guest's devicetree, at @dst (DTB_AREA bytes): what sample_vm.dts
 * has (a /chosen node and a GIC node, which the real RM requires), plus
 * what a Linux guest needs to power off (PSCI) and its initramfs
 * (@initrd_size bytes at @initrd_addr, if any). Returns its size, 0 if
 * out of memory.
 */
static size_t make_sched_dt(void *dst, const char *bootargs, uint64_t initrd_addr,
			    uint64_t initrd_size, const struct sched_cfg *c)
{
	unsigned int nr = nr_vcpus(c), i;
	struct fdt_buf *f = calloc(1, sizeof(*f));
	uint32_t map[MAX_VCPUS];
	size_t size;

	if (!f)
		return 0;
	fdt_node(f, "");
	fdt_cells(f, "#address-cells", 1, 2);
	fdt_cells(f, "#size-cells", 1, 2);
	fdt_str(f, "compatible", "linux,dummy-virt");
	fdt_cells(f, "interrupt-parent", 1, GIC_PHANDLE);

	fdt_node(f, "chosen");
	fdt_str(f, "bootargs", bootargs);
	if (initrd_size) {
		fdt_u64(f, "linux,initrd-start", initrd_addr);
		fdt_u64(f, "linux,initrd-end", initrd_addr + initrd_size);
	}
	fdt_end(f);

	fdt_node(f, "memory");
	fdt_str(f, "device_type", "memory");
	fdt_cells(f, "reg", 4, 0, (uint32_t)GUEST_RAM_BASE, 0, (uint32_t)RAM_SIZE);
	fdt_end(f);

	fdt_node(f, "cpus");
	fdt_cells(f, "#address-cells", 1, 1);
	fdt_cells(f, "#size-cells", 1, 0);
	for (i = 0; i < nr && i < MAX_VCPUS; i++) {
		fdt_node(f, "cpu@%u", i);
		fdt_str(f, "device_type", "cpu");
		fdt_str(f, "compatible", "arm,armv8");
		fdt_cells(f, "reg", 1, i);
		/*
		 * No status: the first CPU boots, the others wait until the
		 * guest powers them on with PSCI CPU_ON. The RM wants an
		 * enable-method for a CPU that waits, Linux for every
		 * secondary.
		 */
		if (nr > 1)
			fdt_str(f, "enable-method", "psci");
		/*
		 * With PSCI, the real RM wants idle states on every CPU of a
		 * VM that is not proxy-scheduled, if it has seen the psci
		 * node by the time it parses the vcpus node (it walks the
		 * nodes in order: here it has). An empty list: no idle
		 * state for Linux, which has no cpuidle here.
		 */
		if (!c->no_idle_states)
			fdt_prop(f, "cpu-idle-states", NULL, 0);
		fdt_end(f);
	}
	fdt_end(f);

	/* SYSTEM_OFF: Linux powers off through PSCI only with this node */
	fdt_psci_node(f);

	fdt_gic_node(f, nr);

	fdt_node(f, "timer");
	fdt_str(f, "compatible", "arm,armv8-timer");
	fdt_prop(f, "always-on", NULL, 0);
	fdt_cells(f, "interrupts", 12, 1, 13, 0x108, 1, 14, 0x108, 1, 11, 0x108, 1, 10, 0x108);
	fdt_end(f);

	fdt_node(f, "gunyah-vm-config");
	fdt_str(f, "image-name", "gunyah_sched_test");
	fdt_str(f, "os-type", "linux");
	fdt_node(f, "memory");
	fdt_cells(f, "#address-cells", 1, 2);
	fdt_cells(f, "#size-cells", 1, 2);
	fdt_u64(f, "base-address", GUEST_RAM_BASE);
	fdt_end(f);
	fdt_node(f, "interrupts");
	fdt_cells(f, "config", 1, GIC_PHANDLE);
	fdt_end(f);
	fdt_node(f, "vcpus");
	if (c->affinity)
		fdt_str(f, "affinity", c->affinity);
	if (c->has_map) {
		/* One cell per vCPU: the physical CPU it always runs on */
		for (i = 0; i < nr && i < MAX_VCPUS; i++)
			map[i] = htobe32(c->map_cpu[i]);
		fdt_prop(f, "affinity-map", map, i * sizeof(map[0]));
	}
	if (c->has_priority)
		fdt_cells(f, "sched-priority", 1, (uint32_t)c->priority);
	if (c->has_timeslice)
		fdt_cells(f, "sched-timeslice", 1, c->timeslice);
	fdt_end(f);
	fdt_end(f);

	fdt_end(f);
	size = fdt_finish(f, dst);
	free(f);
	return size;
}

/*
 * GUNYAH_CREATE_VM, GUNYAH_VM_SET_USER_MEM_REGION of all of @ram and
 * GUNYAH_VM_SET_DTB_CONFIG of its devicetree (@dtb_size bytes at
 * DTB_OFFSET): the VM's fd, or -1 with the failure logged.
 */
static int make_vm(struct __test_metadata *_metadata, int dev, char *ram, size_t dtb_size)
{
	struct gunyah_userspace_memory_region region = {
		.label = 0,
		.flags = GUNYAH_MEM_ALLOW_RWX,
		.guest_phys_addr = GUEST_RAM_BASE,
		.memory_size = RAM_SIZE,
		.userspace_addr = (uintptr_t)ram,
	};
	struct gunyah_vm_dtb_config dtb = {
		.guest_phys_addr = GUEST_RAM_BASE + DTB_OFFSET,
		/* Room for the RM's overlay */
		.size = (dtb_size + DTB_SLACK + SZ_4K - 1) & ~(SZ_4K - 1),
	};
	int vm;

	if (dtb.size > DTB_AREA) {
		TH_LOG("the devicetree (%zu bytes) does not fit", dtb_size);
		return -1;
	}
	vm = ioctl(dev, GUNYAH_CREATE_VM, 0);
	if (vm < 0) {
		TH_LOG("GUNYAH_CREATE_VM: %s", strerror(errno));
		return -1;
	}
	if (ioctl(vm, GUNYAH_VM_SET_USER_MEM_REGION, &region)) {
		TH_LOG("GUNYAH_VM_SET_USER_MEM_REGION: %s", strerror(errno));
		close(vm);
		return -1;
	}
	if (ioctl(vm, GUNYAH_VM_SET_DTB_CONFIG, &dtb)) {
		TH_LOG("GUNYAH_VM_SET_DTB_CONFIG: %s", strerror(errno));
		close(vm);
		return -1;
	}
	return vm;
}

/* GUNYAH_VM_START: 0 or the errno */
static int start_vm(int vm)
{
	return ioctl(vm, GUNYAH_VM_START, 0) < 0 ? errno : 0;
}

/* ---------------------------------------------------------------------- */
/* The RM's notifications, through the driver's trace event               */

/*
 * A tracefs instance of the test's own with one event on,
 * gunyah/gunyah_rm_notification: every RM notification the driver gets,
 * by message ID and size. The event does not carry the VMID; but only
 * the test's VM runs while it watches.
 */
struct tracer {
	char dir[256];
	bool created;
};

/* 0, or -errno; @why says what failed */
static int tracer_start(struct tracer *t, const char **why)
{
	const char *root = tracefs_dir();
	char path[512];
	int err;

	if (!root) {
		*why = "no tracefs";
		return -ENOENT;
	}
	snprintf(t->dir, sizeof(t->dir), "%s/instances/gunyah_sched_test", root);
	rmdir(t->dir);		/* left over by a killed run */
	if (mkdir(t->dir, 0750)) {
		*why = "mkdir of the tracefs instance";
		return -errno;
	}
	t->created = true;
	snprintf(path, sizeof(path), "%s/events/gunyah/gunyah_rm_notification/enable", t->dir);
	err = write_file(path, "1");
	if (err)
		*why = "enabling gunyah/gunyah_rm_notification (no gunyah_rsc_mgr.ko tracepoints?)";
	return -err;
}

static void tracer_stop(struct tracer *t)
{
	char path[512];

	if (!t->created)
		return;
	snprintf(path, sizeof(path), "%s/events/gunyah/gunyah_rm_notification/enable", t->dir);
	write_file(path, "0");
	rmdir(t->dir);
	t->created = false;
}

/* Forget the events so far */
static void tracer_clear(struct tracer *t)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/trace", t->dir);
	write_file(path, "");
}

/*
 * How many notifications @msg_id the driver got since the last
 * tracer_clear(), the last one's size in @size; -1 if the trace cannot be
 * read.
 */
static int tracer_count(struct tracer *t, uint32_t msg_id, long *size)
{
	char path[512], line[512], want[96], *p;
	int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/trace", t->dir);
	snprintf(want, sizeof(want), "gunyah_rm_notification: msg_id=%#x ", msg_id);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		p = strstr(line, want);
		if (!p)
			continue;
		n++;
		p = strstr(p, " size=");
		if (p && size)
			*size = strtol(p + 6, NULL, 10);
	}
	fclose(f);
	return n;
}

/*
 * Wait up to @timeout_s for a first notification @msg_id; its arrival in
 * seconds from now, or -1.
 */
static double tracer_wait(struct tracer *t, uint32_t msg_id, unsigned int timeout_s, long *size)
{
	double start = now_s();

	for (;;) {
		if (tracer_count(t, msg_id, size) > 0)
			return now_s() - start;
		if (now_s() - start > timeout_s)
			return -1;
		sleep_ms(POLL_MS);
	}
}

/* ---------------------------------------------------------------------- */
/* Closing a VM, which stops, resets and reclaims it, in bounded time     */

/*
 * On the real Gunyah, where stopping a running VM of this test crashes the
 * RM: a process of its own, out of the harness's process group (which a
 * timeout kills), keeps a copy of @vm open until the host powers off, so
 * that closing the test's own never releases the VM.
 */
static void park_vm(struct __test_metadata *_metadata, int vm)
{
	pid_t pid = fork();

	if (!pid) {
		setsid();
		for (;;)
			pause();
	}
	if (pid < 0)
		TH_LOG("fork: %s: the VM is stopped after all", strerror(errno));
	else
		TH_LOG("real Gunyah: the VM is left running, held by process %d: %s", pid,
		       REAL_GUNYAH_STOP_DEFECT);
}

struct closer {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int fd;
	int err;		/* of close() */
	bool done;
};

static void *close_thread(void *arg)
{
	struct closer *c = arg;
	int err = close(c->fd) ? errno : 0;

	pthread_mutex_lock(&c->lock);
	c->err = err;
	c->done = true;
	pthread_cond_signal(&c->cond);
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

/*
 * close(@fd) on a thread of its own; how long it took, or -1 if it did not
 * return within @timeout_s (the thread is left blocked in it). The errno
 * of close() in @err.
 */
static double close_within(int fd, unsigned int timeout_s, int *err)
{
	static struct closer c;
	struct timespec deadline;
	double start = now_s(), took = -1;
	pthread_t thread;
	bool done;

	pthread_mutex_init(&c.lock, NULL);
	pthread_cond_init(&c.cond, NULL);
	c.fd = fd;
	c.done = false;
	c.err = 0;
	*err = pthread_create(&thread, NULL, close_thread, &c);
	if (*err)
		return -1;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += timeout_s;
	pthread_mutex_lock(&c.lock);
	while (!c.done)
		if (pthread_cond_timedwait(&c.cond, &c.lock, &deadline) == ETIMEDOUT)
			break;
	done = c.done;
	pthread_mutex_unlock(&c.lock);
	if (done) {
		pthread_join(thread, NULL);
		took = now_s() - start;
		*err = c.err;
	} else {
		pthread_detach(thread);
	}
	return took;
}

/* ---------------------------------------------------------------------- */
/* The guest's RAM                                                        */

static sigjmp_buf fault_jmp;
/* Where ram_rw() is: a global, which the jump from a fault keeps */
static size_t fault_off;

static void fault_handler(int sig)
{
	siglongjmp(fault_jmp, sig);
}

/*
 * Read and write back (complemented, then restored) a byte of every page
 * of @ram: 0, or the signal the access raised, its offset in @off.
 */
static int ram_rw(char *ram, size_t size, size_t *off)
{
	struct sigaction sa = { .sa_handler = fault_handler }, old_bus, old_segv;
	char v, back;
	int sig;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &old_bus);
	sigaction(SIGSEGV, &sa, &old_segv);
	fault_off = 0;
	sig = sigsetjmp(fault_jmp, 1);
	/* Atomic accesses: real loads and stores, none optimised away */
	for (; !sig && fault_off < size; fault_off += SZ_4K) {
		v = __atomic_load_n(ram + fault_off, __ATOMIC_RELAXED);
		__atomic_store_n(ram + fault_off, (char)~v, __ATOMIC_RELAXED);
		back = __atomic_load_n(ram + fault_off, __ATOMIC_RELAXED);
		__atomic_store_n(ram + fault_off, v, __ATOMIC_RELAXED);
		if (back != (char)~v)
			sig = -1;
	}
	*off = fault_off;
	sigaction(SIGBUS, &old_bus, NULL);
	sigaction(SIGSEGV, &old_segv, NULL);
	return sig;
}

/* Fill [@start, @end) of @ram with POISON */
static void poison(char *ram, size_t start, size_t end)
{
	uint64_t *p = (uint64_t *)(ram + start), *e = (uint64_t *)(ram + end);

	while (p < e)
		*p++ = POISON;
}

/* How many 4 KiB pages of [@start, @end) no longer hold only POISON */
static size_t pages_written(const char *ram, size_t start, size_t end)
{
	size_t off, n = 0, i;

	for (off = start; off + SZ_4K <= end; off += SZ_4K) {
		const uint64_t *p = (const uint64_t *)(ram + off);

		for (i = 0; i < SZ_4K / 8; i++) {
			if (p[i] != POISON) {
				n++;
				break;
			}
		}
	}
	return n;
}

/* ---------------------------------------------------------------------- */
/* The Linux guest                                                        */

/* Where things are in the guest's RAM: offsets (the kernel is at 0) */
struct layout {
	size_t kernel_file_end, kernel_end;
	size_t initrd, initrd_size;
	/* Where the printk buffer is: the Image's BSS */
	size_t log_start, log_end;
};

/* The size of the file @fd, or -1 */
static ssize_t fd_size(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? -1 : st.st_size;
}

/*
 * All of @path at @dst, if it fits in @max bytes: its size, or -1 with
 * the failure logged. With @at_end, at the end of the @max bytes, 4 KiB
 * aligned, and its offset from @dst in @off.
 */
static ssize_t load_file(struct __test_metadata *_metadata, const char *path, char *dst,
			 size_t max, bool at_end, size_t *off)
{
	ssize_t size, n;
	size_t done = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		TH_LOG("open %s: %s", path, strerror(errno));
		return -1;
	}
	size = fd_size(fd);
	if (size < 0 || (size_t)size > max) {
		TH_LOG("%s: %s", path, size < 0 ? strerror(errno) : "too large for the guest");
		close(fd);
		return -1;
	}
	*off = at_end ? (max - size) & ~(SZ_4K - 1) : 0;
	while (done < (size_t)size && (n = read(fd, dst + *off + done, size - done)) > 0)
		done += n;
	close(fd);
	if (done != (size_t)size) {
		TH_LOG("read %s: %s", path, strerror(errno));
		return -1;
	}
	return size;
}

static uint64_t le64_at(const char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return le64toh(v);
}

/*
 * Load the Image at the RAM base plus its text_offset (the RM enters the
 * VM at the RAM base: no boot context, so text_offset must be 0), the
 * initramfs right below the devicetree, poison the RAM in between.
 */
static bool load_linux(struct __test_metadata *_metadata, char *ram, struct layout *l)
{
	const char *image = getenv("GUNYAH_GUEST_IMAGE");
	const char *initrd = getenv("GUNYAH_GUEST_INITRD");
	uint64_t text_offset, image_size;
	size_t off;
	ssize_t n;

	if (!image || !*image)
		image = DEFAULT_IMAGE;
	if (!initrd || !*initrd)
		initrd = DEFAULT_INITRD;

	n = load_file(_metadata, image, ram, DTB_OFFSET, false, &off);
	if (n < 0)
		return false;
	if (n < 64 || (uint32_t)le64_at(ram + IMAGE_MAGIC_OFFSET) != IMAGE_MAGIC) {
		TH_LOG("%s: not an arm64 Image", image);
		return false;
	}
	text_offset = le64_at(ram + IMAGE_TEXT_OFFSET);
	image_size = le64_at(ram + IMAGE_SIZE);
	if (text_offset) {
		TH_LOG("%s: text_offset %#llx: the RM enters the VM at the RAM base", image,
		       (unsigned long long)text_offset);
		return false;
	}
	l->kernel_file_end = n;
	l->kernel_end = image_size > (uint64_t)n ? image_size : (uint64_t)n;
	/* BSS, where the printk buffer is; else all of it */
	l->log_start = l->kernel_file_end & ~(SZ_4K - 1);
	l->log_end = l->kernel_end;
	if (l->log_end - l->log_start < SZ_4K) {
		l->log_start = 0;
		l->log_end = DTB_OFFSET;
	}

	/* Right below the devicetree */
	n = load_file(_metadata, initrd, ram, DTB_OFFSET, true, &off);
	if (n <= 0)
		return false;
	l->initrd = off;
	l->initrd_size = n;
	if (l->initrd < ((l->kernel_end + SZ_4K - 1) & ~(SZ_4K - 1))) {
		TH_LOG("%s and %s do not fit in %lu MiB", image, initrd, RAM_SIZE >> 20);
		return false;
	}
	poison(ram, (l->kernel_end + SZ_4K - 1) & ~(SZ_4K - 1), l->initrd);
	return true;
}

/* Printable, as the printk buffer's text is */
static bool printable(char c)
{
	return (c >= 0x20 && c < 0x7f) || c == '\t';
}

/*
 * After a guest that did not say it is alive: how far it got. Whether the
 * RM put its /hypervisor node into the devicetree, how much free RAM the
 * guest wrote, the last lines of its printk buffer found after the "Linux
 * version" record in the Image's BSS.
 */
static void log_guest(struct __test_metadata *_metadata, const char *ram,
		      const struct layout *l)
{
	static const char banner[] = "Linux version ";
	size_t free_start = (l->kernel_end + SZ_4K - 1) & ~(SZ_4K - 1);
	struct {
		const char *text;
		int len;
	} last[12];
	const char *p, *end, *s;
	unsigned int n = 0, i, zeros = 0;
	int len;

	TH_LOG("the RM %s the devicetree's /hypervisor node",
	       memmem(ram + DTB_OFFSET, DTB_AREA, "qcom,gunyah-vm", 14) ? "added" :
	       "did not add");
	TH_LOG("the guest wrote %zu of the %zu KiB of RAM it had free",
	       pages_written(ram, free_start, l->initrd) * 4, (l->initrd - free_start) / 1024);

	/* The banner is in the Image's rodata too: the one in its BSS */
	p = memmem(ram + l->log_start, l->log_end - l->log_start, banner, sizeof(banner) - 1);
	if (!p) {
		TH_LOG("no \"%s\" in the guest's printk buffer: Linux printed nothing", banner);
		return;
	}
	/* The records' text: printable runs from there until 4 KiB of zeros */
	end = ram + l->log_end;
	for (s = p; s < end && zeros < SZ_4K; s += len ? len : 1) {
		zeros = *s ? 0 : zeros + 1;
		for (len = 0; s + len < end && len < 160 && printable(s[len]); len++)
			;
		if (len < 8)
			continue;
		/*
		 * printk drops a record's level prefix by moving its text
		 * down 2 bytes: the last 2 are left behind, before the
		 * newline, which is not part of the record either.
		 */
		if (s + len < end && s[len] == '\n' && len >= 4 &&
		    !memcmp(s + len - 2, s + len - 4, 2))
			last[n % ARRAY_SIZE(last)].len = len - 2;
		else
			last[n % ARRAY_SIZE(last)].len = len;
		last[n++ % ARRAY_SIZE(last)].text = s;
	}
	TH_LOG("the last lines of the guest's printk buffer:");
	for (i = n > ARRAY_SIZE(last) ? n - ARRAY_SIZE(last) : 0; i < n; i++)
		TH_LOG("  %.*s", last[i % ARRAY_SIZE(last)].len, last[i % ARRAY_SIZE(last)].text);
}

/* A VM of the Linux guest, and what it should say */
struct linux_vm {
	int dev, vm;
	char *ram;
	struct layout l;
	uint64_t nonce;
	char alive[64];		/* ALIVE_PREFIX, ~nonce, " cpus=" */
};

/* What the guest does once it said it is alive */
enum then {
	POWER_OFF,
	SPIN,
	IDLE,
};

/*
 * The VM of the Linux guest, with exactly the four ioctls; the errno of
 * GUNYAH_VM_START, 0 if it started, -1 if it was not made.
 */
static int start_linux(struct __test_metadata *_metadata, struct linux_vm *g,
		       const struct sched_cfg *c, enum then then)
{
	static const char * const then_args[] = {
		[POWER_OFF] = "",
		[SPIN] = " gunyah_sched_spin",
		[IDLE] = " gunyah_sched_idle",
	};
	char bootargs[128];
	size_t dtb_size;
	int err;

	snprintf(bootargs, sizeof(bootargs), "rdinit=/init gunyah_sched_nonce=%016llx%s",
		 (unsigned long long)g->nonce, then_args[then]);
	dtb_size = make_sched_dt(g->ram + DTB_OFFSET, bootargs, GUEST_RAM_BASE + g->l.initrd,
				 g->l.initrd_size, c);
	if (!dtb_size)
		return -1;
	g->vm = make_vm(_metadata, g->dev, g->ram, dtb_size);
	if (g->vm < 0)
		return -1;
	err = start_vm(g->vm);
	/*
	 * At once, before any assertion: the harness (Linux 6.12's) skips a
	 * fixture's teardown after a failed ASSERT, and the test's exit would
	 * close the VM.
	 */
	if (!err && on_real_gunyah())
		park_vm(_metadata, g->vm);
	if (err == ENODEV)
		TH_LOG("GUNYAH_VM_START: %s (the RM's NORESOURCE: %s)", strerror(err),
		       "a hypervisor without a scheduler of its own?");
	else if (err)
		TH_LOG("GUNYAH_VM_START: %s", strerror(err));
	return err;
}

/*
 * Look for the alive line every POLL_MS, sleeping in between: in the
 * Image's BSS, where the printk buffer is, and now and then in all of the
 * RAM. Returns the seconds it took, -1 on timeout; the CPUs it reports in
 * @cpus.
 */
static double wait_alive(const struct linux_vm *g, unsigned int timeout_s, long *cpus)
{
	size_t len = strlen(g->alive);
	double start = now_s();
	unsigned int polls = 0;
	const char *p;

	for (;;) {
		if (++polls % FULL_SCAN_POLLS)
			p = memmem(g->ram + g->l.log_start, g->l.log_end - g->l.log_start,
				   g->alive, len);
		else
			p = memmem(g->ram, DTB_OFFSET, g->alive, len);
		if (p) {
			*cpus = strtol(p + len, NULL, 10);
			return now_s() - start;
		}
		if (now_s() - start > timeout_s)
			return -1;
		sleep_ms(POLL_MS);
	}
}

FIXTURE(sched) {
	struct linux_vm g;
	struct tracer tr;
	int tracer_err;		/* -errno */
	const char *tracer_why;
};

/*
 * @g's RAM with the Linux guest loaded and its nonce, @dev the VMs' device:
 * whether all went well.
 */
static bool linux_vm_init(struct __test_metadata *_metadata, struct linux_vm *g, int dev)
{
	g->dev = dev;
	g->vm = -1;
	g->ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (g->ram == MAP_FAILED) {
		TH_LOG("mmap of the guest's RAM: %s", strerror(errno));
		return false;
	}
	if (!load_linux(_metadata, g->ram, &g->l))
		return false;

	/* Different every run, made here: the guest answers with its complement */
	if (getrandom(&g->nonce, sizeof(g->nonce), 0) != sizeof(g->nonce))
		g->nonce = (uint64_t)time(NULL) * 0x9e3779b97f4a7c15ULL ^ getpid() ^ (uintptr_t)g;
	snprintf(g->alive, sizeof(g->alive), ALIVE_PREFIX "%016llx cpus=",
		 (unsigned long long)~g->nonce);
	return true;
}

/* Close @g's VM (if the test did not) and free its RAM; not its device */
static void linux_vm_fini(struct linux_vm *g)
{
	if (g->vm >= 0)
		close(g->vm);
	g->vm = -1;
	if (g->ram != MAP_FAILED)
		munmap(g->ram, RAM_SIZE);
	g->ram = MAP_FAILED;
}

FIXTURE_SETUP(sched)
{
	struct linux_vm *g = &self->g;
	int dev;

	g->vm = -1;
	g->ram = MAP_FAILED;
	g->dev = -1;
	dev = open(GUNYAH_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, dev) TH_LOG("open %s: %s", GUNYAH_DEV, strerror(errno));
	ASSERT_TRUE(linux_vm_init(_metadata, g, dev));

	self->tracer_err = tracer_start(&self->tr, &self->tracer_why);
}

FIXTURE_TEARDOWN(sched)
{
	int dev = self->g.dev;

	linux_vm_fini(&self->g);
	tracer_stop(&self->tr);
	if (dev >= 0)
		close(dev);
}

/* After the VM's fd is closed: its RAM is the test's again */
static void check_ram_back(struct __test_metadata *_metadata, char *ram)
{
	size_t off;
	int sig = ram_rw(ram, RAM_SIZE, &off);

	EXPECT_EQ(0, sig) TH_LOG("the guest's RAM at offset %#zx: %s", off,
				 sig < 0 ? "a write did not stick" : strsignal(sig));
}

/*
 * Start the guest with the scheduling of @c, wait for its alive line:
 * whether it came, saying the guest has a CPU for each of its vCPUs.
 */
static bool start_until_alive(struct __test_metadata *_metadata, struct linux_vm *g,
			      const struct sched_cfg *c, enum then then)
{
	long cpus = -1;
	double took;

	if (start_linux(_metadata, g, c, then)) {
		TH_LOG("the guest did not start");
		return false;
	}
	took = wait_alive(g, ALIVE_TIMEOUT_S, &cpus);
	if (took < 0) {
		TH_LOG("no \"%s\" in the guest's RAM within %d s", g->alive, ALIVE_TIMEOUT_S);
		log_guest(_metadata, g->ram, &g->l);
		return false;
	}
	TH_LOG("the guest said it is alive %.1f s after GUNYAH_VM_START", took);
	if (cpus != nr_vcpus(c)) {
		TH_LOG("the guest runs on %ld CPUs, not %u", cpus, nr_vcpus(c));
		if (cpus < nr_vcpus(c))
			log_guest(_metadata, g->ram, &g->l);
		return false;
	}
	return true;
}

TEST_F_TIMEOUT(sched, alive, ALIVE_TIMEOUT_S + CLOSE_TIMEOUT_S + 60)
{
	struct linux_vm *g = &self->g;

	/* The teardown stops the VM: stop_running tests that */
	ASSERT_TRUE(start_until_alive(_metadata, g, &sample_sched, IDLE));
}

/*
 * After the alive line of a guest that powers off (PSCI SYSTEM_OFF): the
 * RM tells the driver the VM exited, and closing the VM resets it and
 * gives its RAM back, in bounded time.
 */
static void exit_then_close(struct __test_metadata *_metadata, struct linux_vm *g,
			    struct tracer *tr)
{
	double took;
	long size = -1;
	int err;

	took = tracer_wait(tr, RM_NOTIF_VM_EXITED, EXIT_TIMEOUT_S, &size);
	if (took < 0)
		log_guest(_metadata, g->ram, &g->l);
	ASSERT_LE(0, took) TH_LOG("no VM_EXITED notification within %d s of the alive line",
				  EXIT_TIMEOUT_S);
	TH_LOG("VM_EXITED (%ld bytes) %.1f s after the alive line", size, took);
	EXPECT_EQ(1, tracer_count(tr, RM_NOTIF_VM_EXITED, NULL));

	/* The VM exited: no VM_STOP, a reset, the memory reclaimed */
	took = close_within(g->vm, CLOSE_TIMEOUT_S, &err);
	ASSERT_LE(0, took) TH_LOG("closing the VM took more than %d s", CLOSE_TIMEOUT_S);
	g->vm = -1;
	EXPECT_EQ(0, err) TH_LOG("close: %s", strerror(err));
	TH_LOG("closing the VM (reset, reclaim) took %.1f s", took);
	check_ram_back(_metadata, g->ram);
}

TEST_F_TIMEOUT(sched, power_off, ALIVE_TIMEOUT_S + EXIT_TIMEOUT_S + CLOSE_TIMEOUT_S + 60)
{
	struct linux_vm *g = &self->g;

	if (on_real_gunyah())
		SKIP(return, REAL_GUNYAH_EXIT_DEFECT);
	ASSERT_EQ(0, self->tracer_err) TH_LOG("tracefs: %s: %s", self->tracer_why,
					      strerror(-self->tracer_err));
	tracer_clear(&self->tr);
	ASSERT_TRUE(start_until_alive(_metadata, g, &sample_sched, POWER_OFF));
	exit_then_close(_metadata, g, &self->tr);
}

TEST_F_TIMEOUT(sched, stop_running, ALIVE_TIMEOUT_S + CLOSE_TIMEOUT_S + 60)
{
	struct linux_vm *g = &self->g;
	double took;
	int err;

	if (on_real_gunyah())
		SKIP(return, REAL_GUNYAH_STOP_DEFECT);
	ASSERT_EQ(0, self->tracer_err) TH_LOG("tracefs: %s: %s", self->tracer_why,
					      strerror(-self->tracer_err));
	tracer_clear(&self->tr);
	ASSERT_TRUE(start_until_alive(_metadata, g, &sample_sched, SPIN));

	/* It spins: still running a while later */
	sleep_ms(2000);
	EXPECT_EQ(0, tracer_count(&self->tr, RM_NOTIF_VM_EXITED, NULL))
		TH_LOG("the spinning guest exited");

	/* Running: VM_STOP, VM_RESET, the memory reclaimed */
	took = close_within(g->vm, CLOSE_TIMEOUT_S, &err);
	ASSERT_LE(0, took) TH_LOG("closing the running VM took more than %d s", CLOSE_TIMEOUT_S);
	g->vm = -1;
	EXPECT_EQ(0, err) TH_LOG("close: %s", strerror(err));
	TH_LOG("stopping, resetting and reclaiming the running VM took %.1f s", took);
	/* What the guest wrote is still there, and the RAM is ours again */
	EXPECT_NE(NULL, memmem(g->ram, DTB_OFFSET, g->alive, strlen(g->alive)));
	check_ram_back(_metadata, g->ram);
}

/*
 * Two vCPUs, on physical CPUs 0 and 1: the guest's Linux powers the second
 * on (PSCI CPU_ON) and waits for it to come online before /init runs, so
 * "cpus=2" says it ran, on CPU 1. Then the guest powers off, on our
 * hypervisor; on the real Gunyah, whose RM would crash, it idles, parked.
 */
TEST_F_TIMEOUT(sched, smp, ALIVE_TIMEOUT_S + EXIT_TIMEOUT_S + CLOSE_TIMEOUT_S + 60)
{
	struct linux_vm *g = &self->g;
	bool real = on_real_gunyah();
	long ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	int cpu = sched_getcpu();

	/* The vCPUs' CPUs are the host's idle time: main() keeps off them */
	TH_LOG("the test runs on CPU %d of %ld", cpu, ncpus);
	if (ncpus > 2)
		ASSERT_LT(1, cpu) TH_LOG("the test shares a CPU with a vCPU");
	if (!real) {
		ASSERT_EQ(0, self->tracer_err) TH_LOG("tracefs: %s: %s", self->tracer_why,
						      strerror(-self->tracer_err));
		tracer_clear(&self->tr);
	}
	ASSERT_TRUE(start_until_alive(_metadata, g, &smp_sched, real ? IDLE : POWER_OFF));
	if (!real)
		exit_then_close(_metadata, g, &self->tr);
}

/* ---------------------------------------------------------------------- */
/* What the RM refuses, what proxy scheduling ignores                     */

FIXTURE(config) {
	int dev;
	char *ram;
};

FIXTURE_VARIANT(config) {
	struct sched_cfg sched;
	int start_errno;	/* of GUNYAH_VM_START; 0: it starts */
	const char *real_skip;	/* why the real Gunyah cannot take it */
};

/*
 * The errnos are what the real Gunyah's RM answers (observed on
 * ../shared/reference/real-gunyah/hypvm.elf, run-qemu.sh --hyp, December
 * 2026): VM_INIT fails, with the RM error quoted, which the driver turns
 * into an errno (abi.md 6.5). The RM checks the scheduling properties
 * when it creates the vCPUs (vm_config.c handle_vcpu()), and answers
 * NORESOURCE whatever the hypervisor or its own check said.
 */

/*
 * The owner's priority: not below it. Real RM: "Untrusted VM config must
 * have equal or lower priority (32 >= 32)", NORESOURCE (ENODEV).
 */
FIXTURE_VARIANT_ADD(config, sched_priority_0) {
	.sched = { .has_map = true, .map_cpu = { SCHED_CPU },
		   .has_priority = true, .priority = 0,
		   .has_timeslice = true, .timeslice = SCHED_TIMESLICE_US },
	.start_errno = ENODEV,
};

/* Below 100 us. Real RM: "handle_vcpu: invalid timeslice", NORESOURCE (ENODEV). */
FIXTURE_VARIANT_ADD(config, sched_timeslice_99) {
	.sched = { .has_map = true, .map_cpu = { SCHED_CPU },
		   .has_priority = true, .priority = SCHED_PRIORITY,
		   .has_timeslice = true, .timeslice = 99 },
	.start_errno = ENODEV,
};

/* Above 100 ms. Real RM: "handle_vcpu: invalid timeslice", NORESOURCE (ENODEV). */
FIXTURE_VARIANT_ADD(config, sched_timeslice_100001) {
	.sched = { .has_map = true, .map_cpu = { SCHED_CPU },
		   .has_priority = true, .priority = SCHED_PRIORITY,
		   .has_timeslice = true, .timeslice = 100001 },
	.start_errno = ENODEV,
};

/*
 * Not proxy-scheduled, and no CPU to run on. Real RM: its devicetree parse
 * fails ("parse_vcpus: \"affinity_map\" missing"), MEM_INVALID (EINVAL).
 */
FIXTURE_VARIANT_ADD(config, no_affinity_map) {
	.sched = { .has_priority = true, .priority = SCHED_PRIORITY,
		   .has_timeslice = true, .timeslice = SCHED_TIMESLICE_US },
	.start_errno = EINVAL,
};

/*
 * CPU 64: no such CPU on either hypervisor (8 and 2 CPUs), and a valid
 * u16, which is how the real RM keeps CPU indices (65536 would be CPU 0,
 * 65535 "no CPU"). The real RM passes it on unchecked (vcpu_set_affinity),
 * and the real hypervisor, a debug build, stops on an assert
 * (platform_cpu_exists(): cpu < PLATFORM_MAX_CORES) before its range check
 * that would answer ARGUMENT_INVALID: there is no errno to observe. With
 * that answer the RM fails handle_vcpu() as for the cases above:
 * NORESOURCE (ENODEV).
 */
FIXTURE_VARIANT_ADD(config, affinity_map_cpu_64) {
	.sched = { .has_map = true, .map_cpu = { 64 },
		   .has_priority = true, .priority = SCHED_PRIORITY,
		   .has_timeslice = true, .timeslice = SCHED_TIMESLICE_US },
	.start_errno = ENODEV,
	.real_skip = REAL_GUNYAH_AFFINITY_DEFECT,
};

/*
 * PSCI (the psci node, before gunyah-vm-config) and a CPU without
 * cpu-idle-states. Real RM: its devicetree parse fails ("parse_vcpus: PSCI
 * enabled for non-proxy VM but not all CPUs have idle states"),
 * MEM_INVALID (EINVAL).
 */
FIXTURE_VARIANT_ADD(config, psci_without_idle_states) {
	.sched = { .has_map = true, .map_cpu = { SCHED_CPU },
		   .has_priority = true, .priority = SCHED_PRIORITY,
		   .has_timeslice = true, .timeslice = SCHED_TIMESLICE_US,
		   .no_idle_states = true },
	.start_errno = EINVAL,
};

/*
 * Proxy scheduling: the real RM ignores sched-priority and sched-timeslice
 * (even values it refuses otherwise) and needs no affinity-map. It starts.
 */
FIXTURE_VARIANT_ADD(config, proxy_ignores_sched_values) {
	.sched = { .affinity = "proxy",
		   .has_priority = true, .priority = 0,
		   .has_timeslice = true, .timeslice = 100001 },
	.start_errno = 0,
};

FIXTURE_SETUP(config)
{
	uint32_t *code;
	unsigned int i;

	self->ram = MAP_FAILED;
	self->dev = open(GUNYAH_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->dev) TH_LOG("open %s: %s", GUNYAH_DEV, strerror(errno));
	self->ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			 -1, 0);
	ASSERT_NE(MAP_FAILED, self->ram);
	code = (uint32_t *)self->ram;
	for (i = 0; i < ARRAY_SIZE(idle_code); i++)
		code[i] = htole32(idle_code[i]);
}

FIXTURE_TEARDOWN(config)
{
	if (self->ram != MAP_FAILED)
		munmap(self->ram, RAM_SIZE);
	if (self->dev >= 0)
		close(self->dev);
}

TEST_F_TIMEOUT(config, start, CLOSE_TIMEOUT_S + 30)
{
	const struct sched_cfg *c = &variant->sched;
	bool proxy = c->affinity && !strcmp(c->affinity, "proxy");
	size_t dtb_size;
	double took;
	int vm, err;

	if (variant->real_skip && on_real_gunyah())
		SKIP(return, "%s", variant->real_skip);
	dtb_size = make_sched_dt(self->ram + DTB_OFFSET, "", 0, 0, c);
	ASSERT_LT(0UL, dtb_size);
	vm = make_vm(_metadata, self->dev, self->ram, dtb_size);
	ASSERT_LE(0, vm);

	err = start_vm(vm);
	EXPECT_EQ(variant->start_errno, err)
		TH_LOG("GUNYAH_VM_START: %s (%d), expected %s (%d)", strerror(err), err,
		       strerror(variant->start_errno), variant->start_errno);
	/* Scheduled by the hypervisor and started by mistake: see park_vm() */
	if (!err && !proxy && on_real_gunyah())
		park_vm(_metadata, vm);

	/* A refused start was rolled back; a proxy VM never ran: stopped */
	took = close_within(vm, CLOSE_TIMEOUT_S, &err);
	ASSERT_LE(0, took) TH_LOG("closing the VM took more than %d s", CLOSE_TIMEOUT_S);
	EXPECT_EQ(0, err) TH_LOG("close: %s", strerror(err));

	/* Nothing crashed: the RM still makes VMs */
	vm = ioctl(self->dev, GUNYAH_CREATE_VM, 0);
	EXPECT_LE(0, vm) TH_LOG("GUNYAH_CREATE_VM after that: %s", strerror(errno));
	if (vm >= 0)
		close(vm);
}

/* ---------------------------------------------------------------------- */
/* Two spinning VMs on physical CPU 0: preemption, turns between equals   */

/* How long a spinner may take to show it runs */
#define RUNS_TIMEOUT_S		10
/* How long a starved spinner must show it does not */
#define STARVED_S		2

/*
 * A hash of the guest's kernel (its text, data and BSS): with a periodic
 * tick (the test kernel's HZ_PERIODIC), it changes while the vCPU runs,
 * and only then: nothing else writes there.
 */
static uint64_t kernel_hash(const struct linux_vm *g)
{
	const uint64_t *p = (const uint64_t *)g->ram;
	size_t i, n = g->l.kernel_end / sizeof(*p);
	uint64_t h = 0xcbf29ce484222325ULL;

	/* Real loads of what the guest writes meanwhile: atomic ones */
	for (i = 0; i < n; i++)
		h = (h ^ __atomic_load_n(p + i, __ATOMIC_RELAXED)) * 0x100000001b3ULL;
	return h;
}

/* Seconds until @g's kernel changed (its vCPU ran), -1 if not within @timeout_s */
static double runs_within(const struct linux_vm *g, unsigned int timeout_s)
{
	uint64_t h = kernel_hash(g);
	double start = now_s();

	for (;;) {
		sleep_ms(POLL_MS / 5);
		if (kernel_hash(g) != h)
			return now_s() - start;
		if (now_s() - start > timeout_s)
			return -1;
	}
}

FIXTURE(cpu0) {
	struct linux_vm first, second;
	int dev;
};

FIXTURE_VARIANT(cpu0) {
	int32_t first_priority, second_priority;	/* sched-priority */
};

/*
 * The second VM one above the first: it takes CPU 0 from the spinner, and
 * keeps it while it spins itself.
 *
 * On the real Gunyah both stay, parked and spinning, until the host powers
 * off; this variant's first, below every later VM on CPU 0, must not come
 * after a spinner of higher priority: it runs first.
 */
FIXTURE_VARIANT_ADD(cpu0, higher_priority) {
	.first_priority = SCHED_PRIORITY - 1,
	.second_priority = SCHED_PRIORITY,
};

/*
 * Equals: neither ever waits, only the end of a timeslice (2 ms) gives the
 * other a turn.
 */
FIXTURE_VARIANT_ADD(cpu0, equal_priority) {
	.first_priority = SCHED_PRIORITY,
	.second_priority = SCHED_PRIORITY,
};

FIXTURE_SETUP(cpu0)
{
	self->first.vm = -1;
	self->second.vm = -1;
	self->first.ram = MAP_FAILED;
	self->second.ram = MAP_FAILED;
	self->dev = open(GUNYAH_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->dev) TH_LOG("open %s: %s", GUNYAH_DEV, strerror(errno));
	ASSERT_TRUE(linux_vm_init(_metadata, &self->first, self->dev));
	ASSERT_TRUE(linux_vm_init(_metadata, &self->second, self->dev));
}

FIXTURE_TEARDOWN(cpu0)
{
	linux_vm_fini(&self->first);
	linux_vm_fini(&self->second);
	if (self->dev >= 0)
		close(self->dev);
}

/* Closing @g's running VM stops it and gives its RAM back, in bounded time */
static void close_running(struct __test_metadata *_metadata, struct linux_vm *g,
			  const char *which)
{
	double took;
	int err;

	took = close_within(g->vm, CLOSE_TIMEOUT_S, &err);
	ASSERT_LE(0, took) TH_LOG("closing the %s VM took more than %d s", which,
				  CLOSE_TIMEOUT_S);
	g->vm = -1;
	EXPECT_EQ(0, err) TH_LOG("close: %s", strerror(err));
	TH_LOG("stopping, resetting and reclaiming the %s VM took %.1f s", which, took);
	check_ram_back(_metadata, g->ram);
}

/*
 * A first VM comes alive on CPU 0 and spins (gunyah_sched_spin: never
 * WFI); a second one started then on CPU 0 must come alive too, and spin.
 * Then a higher second has CPU 0 to itself; equals both run.
 */
TEST_F_TIMEOUT(cpu0, second_alive,
	       2 * (ALIVE_TIMEOUT_S + RUNS_TIMEOUT_S + CLOSE_TIMEOUT_S) + 60)
{
	struct sched_cfg c = sample_sched;
	double took;

	c.priority = variant->first_priority;
	ASSERT_TRUE(start_until_alive(_metadata, &self->first, &c, SPIN));
	/* What tells a running guest from a starved one */
	took = runs_within(&self->first, RUNS_TIMEOUT_S);
	ASSERT_LE(0, took) TH_LOG("the first spinner's kernel did not change in %d s",
				  RUNS_TIMEOUT_S);

	c.priority = variant->second_priority;
	ASSERT_TRUE(start_until_alive(_metadata, &self->second, &c, SPIN));
	took = runs_within(&self->second, RUNS_TIMEOUT_S);
	EXPECT_LE(0, took) TH_LOG("the second spinner's kernel did not change in %d s",
				  RUNS_TIMEOUT_S);

	if (variant->second_priority > variant->first_priority) {
		/* Strictly by priority: the first, always ready, never runs */
		took = runs_within(&self->first, STARVED_S);
		EXPECT_GT(0, took) TH_LOG("the first spinner ran (%.1f s) beside a higher one",
					  took);
		if (took < 0)
			TH_LOG("the first spinner did not run for %d s", STARVED_S);
	} else {
		/* Not because the first was gone: it still gets turns */
		took = runs_within(&self->first, RUNS_TIMEOUT_S);
		EXPECT_LE(0, took) TH_LOG("the first spinner's kernel did not change in %d s %s",
					  RUNS_TIMEOUT_S, "beside the second");
		if (took >= 0)
			TH_LOG("the first spinner still runs (within %.1f s)", took);
	}

	/* Both parked on the real Gunyah */
	if (on_real_gunyah())
		return;
	close_running(_metadata, &self->first, "first");
	close_running(_metadata, &self->second, "second");
}

/* ---------------------------------------------------------------------- */

int main(int argc, char **argv)
{
	cpu_set_t set;
	int cpu, last = -1;

	/*
	 * A scheduled vCPU gets its physical CPU (0, or 1 for sched.smp)
	 * only while the host leaves it idle: this test and its children
	 * stay on the last online CPU.
	 */
	if (!sched_getaffinity(0, sizeof(set), &set)) {
		for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
			if (CPU_ISSET(cpu, &set))
				last = cpu;
		if (last > 0) {
			CPU_ZERO(&set);
			CPU_SET(last, &set);
			if (sched_setaffinity(0, sizeof(set), &set))
				ksft_print_msg("sched_setaffinity(CPU %d): %s\n", last,
					       strerror(errno));
		}
	}
	return test_harness_run(argc, argv);
}
