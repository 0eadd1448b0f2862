// SPDX-License-Identifier: GPL-2.0-only
/*
 * /init of the Linux test guest's initramfs: greets on /dev/console (the
 * PL011) with what uname(2) reports and how many CPUs it runs on, writes
 * to the virtio console (/dev/hvc0) a greeting, reads the VMM's answer
 * (which needs the virtio console's interrupt), writes a burst of lines,
 * then powers off (PSCI SYSTEM_OFF, which the VMM sees as a PSCI_POWER_OFF
 * exit). The VMM prints what reaches either console on its stdout.
 *
 * With gunyah_sched_nonce=<hex> on the kernel command line it does none of
 * that: it runs in a VM whose vCPU the hypervisor schedules, with no UART
 * and no VMM to talk to (gunyah_sched_test). It writes one line to the
 * kernel's log, "gunyah-sched-guest: alive <X> cpus=<n>", X the nonce's
 * bitwise complement in 16 hex digits (made here, so that it cannot be in
 * the guest's RAM already, as the nonce is), n the CPUs it runs on; the
 * test finds the line in the guest's RAM. Then it powers off; or with
 * gunyah_sched_spin on the command line it busy-loops forever, with
 * gunyah_sched_idle it sleeps forever.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define HVC0		"/dev/hvc0"
#define HVC_MAJOR	229	/* drivers/tty/hvc/hvc_console.c */
#define KMSG		"/dev/kmsg"
#define KMSG_MAJOR	1	/* drivers/char/mem.c */
#define KMSG_MINOR	11
/* More lines than the VMM's virtqueue has entries: the rings wrap */
#define BURST_LINES	64
/* How long the VMM's answer may take */
#define ANSWER_TIMEOUT_MS	5000

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * The initramfs has only /dev/console: /dev/hvc0 comes from devtmpfs,
 * which the kernel does not mount for an initramfs, or failing that from
 * mknod. The virtio console is probed before /init runs; the retries are
 * for a driver that probes late.
 */
static int open_hvc0(int log)
{
	int fd = -1, tries, err = 0;

	if (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) && errno != EBUSY)
		dprintf(log, "mount devtmpfs on /dev: %s\n", strerror(errno));
	for (tries = 0; tries < 200; tries++) {
		fd = open(HVC0, O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (fd >= 0)
			return fd;
		err = errno;
		if (err == ENOENT)
			mknod(HVC0, S_IFCHR | 0600, makedev(HVC_MAJOR, 0));
		sleep_ms(10);
	}
	dprintf(log, "open %s: %s\n", HVC0, strerror(err));
	return -1;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf += n;
		len -= n;
	}
	return 0;
}

/*
 * The VMM answers our first output with one line on the receiveq. The
 * virtio console driver takes input only when its interrupt comes, so the
 * line arrives only through the irqfd. Echoed to the PL011 as well.
 */
static void read_answer(int fd, int log)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char buf[128], line[192];
	size_t len = 0;
	int n;

	while (len < sizeof(buf) - 1 && (!len || buf[len - 1] != '\n')) {
		n = poll(&p, 1, ANSWER_TIMEOUT_MS);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			dprintf(log, "virtio console: no answer from the VMM within %d ms\n",
				ANSWER_TIMEOUT_MS);
			return;
		}
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			dprintf(log, "virtio console: read: %s\n", n ? strerror(errno) : "EOF");
			return;
		}
		len += n;
	}
	buf[len] = '\0';
	if (len && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	n = snprintf(line, sizeof(line), "virtio console: the VMM says '%s'\n", buf);
	write_all(fd, line, n);
	dprintf(log, "%s", line);
}

/*
 * Every line is a write(2) of its own, so one buffer in the transmitq
 * each: the greeting, BURST_LINES lines of 80 bytes (5 KiB, more buffers
 * than the ring has entries), a summary. tcdrain() returns once the
 * driver has had every buffer back from the VMM.
 */
static void virtio_console(int log)
{
	struct termios t;
	char line[96];
	size_t total = 0;
	int fd, i, n;

	fd = open_hvc0(log);
	if (fd < 0)
		return;
	/*
	 * Raw: "\n" stays "\n" on the VMM's stdout, not "\r\n"; input is
	 * neither echoed back nor held for a whole line.
	 */
	if (!tcgetattr(fd, &t)) {
		cfmakeraw(&t);
		tcsetattr(fd, TCSANOW, &t);
	}

	n = snprintf(line, sizeof(line), "virtio console: hello through ioeventfd and irqfd\n");
	if (write_all(fd, line, n))
		goto fail;
	total += n;
	read_answer(fd, log);
	for (i = 1; i <= BURST_LINES; i++) {
		/* 80 bytes: the text, dots, the newline */
		n = snprintf(line, sizeof(line), "virtio console: burst line %02d of %d ", i,
			     BURST_LINES);
		memset(line + n, '.', 79 - n);
		line[79] = '\n';
		if (write_all(fd, line, 80))
			goto fail;
		total += 80;
	}
	n = snprintf(line, sizeof(line), "virtio console: burst done, %zu bytes\n",
		     total);
	if (write_all(fd, line, n))
		goto fail;
	if (tcdrain(fd))
		dprintf(log, "tcdrain %s: %s\n", HVC0, strerror(errno));
	close(fd);
	return;
fail:
	dprintf(log, "write to %s: %s\n", HVC0, strerror(errno));
	close(fd);
}

/*
 * The value of @key ("name=") on the kernel command line in @val, or
 * whether the flag @key ("name") is there at all; false without /proc.
 */
static bool cmdline_find(const char *key, char *val, size_t size)
{
	static char line[4096];
	static bool have;
	size_t klen = strlen(key), len;
	const char *p;
	ssize_t n;
	int fd;

	if (!have) {
		if (mount("proc", "/proc", "proc", 0, NULL) && errno != EBUSY)
			return false;
		fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return false;
		n = read(fd, line, sizeof(line) - 1);
		close(fd);
		if (n < 0)
			return false;
		line[n] = '\0';
		have = true;
	}
	for (p = line; *p; p += len) {
		p += strspn(p, " \t\n");
		len = strcspn(p, " \t\n");
		if (len < klen || strncmp(p, key, klen))
			continue;
		if (!val && len == klen)
			return true;
		if (val && len - klen < size) {
			memcpy(val, p + klen, len - klen);
			val[len - klen] = '\0';
			return true;
		}
	}
	return false;
}

/* The kernel's log; devtmpfs has it, else it is made here. */
static int open_kmsg(void)
{
	int fd;

	if (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) && errno != EBUSY)
		mknod(KMSG, S_IFCHR | 0600, makedev(KMSG_MAJOR, KMSG_MINOR));
	fd = open(KMSG, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		mknod(KMSG, S_IFCHR | 0600, makedev(KMSG_MAJOR, KMSG_MINOR));
		fd = open(KMSG, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	}
	return fd;
}

/*
 * gunyah_sched_test's guest: no console anywhere (what goes to
 * /dev/console is lost), only the kernel's log, which lives in the guest's
 * RAM where the test reads it.
 */
static int sched_guest(const char *nonce_hex)
{
	unsigned long long nonce;
	cpu_set_t cpus;
	char line[96], *end;
	unsigned long spins = 0;
	int fd, n, nr_cpus = 0;

	errno = 0;
	nonce = strtoull(nonce_hex, &end, 16);
	if (errno || end == nonce_hex || *end)
		nonce = 0;
	if (!sched_getaffinity(0, sizeof(cpus), &cpus))
		nr_cpus = CPU_COUNT(&cpus);
	n = snprintf(line, sizeof(line), "gunyah-sched-guest: alive %016llx cpus=%d\n",
		     ~nonce, nr_cpus);
	fd = open_kmsg();
	if (fd >= 0) {
		write_all(fd, line, n);
		close(fd);
	}

	if (cmdline_find("gunyah_sched_spin", NULL, 0)) {
		/* Never sleeps: the vCPU always has work for its scheduler */
		for (;;)
			__atomic_fetch_add(&spins, 1, __ATOMIC_RELAXED);
	}
	if (cmdline_find("gunyah_sched_idle", NULL, 0)) {
		/* Nothing to do ever again: the vCPU waits in WFI */
		for (;;)
			pause();
	}
	sync();
	reboot(RB_POWER_OFF);
	return 1;
}

int main(void)
{
	struct utsname u;
	char nonce[32];
	cpu_set_t cpus;
	int fd;

	if (cmdline_find("gunyah_sched_nonce=", nonce, sizeof(nonce)))
		return sched_guest(nonce);

	fd = open("/dev/console", O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		fd = STDOUT_FILENO;

	dprintf(fd, "Hello from the Gunyah guest\n");
	if (uname(&u))
		dprintf(fd, "uname: %s\n", strerror(errno));
	else
		dprintf(fd, "%s %s %s %s %s\n", u.sysname, u.nodename, u.release,
			u.version, u.machine);
	if (!sched_getaffinity(0, sizeof(cpus), &cpus))
		dprintf(fd, "%d CPUs online\n", CPU_COUNT(&cpus));

	virtio_console(fd);

	sync();
	reboot(RB_POWER_OFF);
	/* Only if the power-off failed; returning from init panics */
	dprintf(fd, "reboot(RB_POWER_OFF): %s\n", strerror(errno));
	return 1;
}
