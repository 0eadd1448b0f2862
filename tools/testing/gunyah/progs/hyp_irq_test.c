// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host's interrupt controller is virtual: what the host does to it
 * cannot touch the hypervisor's interrupts or a guest's.
 *
 *   hyp_irq_test hostile
 *	Through /dev/mem, write to every CPU's redistributor what would stop
 *	the hypervisor's own interrupts if the GIC were the host's: disable,
 *	clear-pending, set-active and lowest priority for SGI 15 (our
 *	hypervisor's kick), PPI 25 (maintenance), 26 (its timer) and 28; route
 *	an SPI to a CPU that does not exist. They stay so, but for the
 *	active state, which would starve the host's own list registers. The
 *	GIC must show the host 988 SPIs, and its ITS and the redistributor
 *	frames past the last CPU must fault (SIGBUS): they are not the
 *	host's. That nothing of it reached the hardware is shown by the
 *	guest run after it (check.sh): its timer, kicks and list-register
 *	refills use those interrupts.
 *
 *   hyp_irq_test busy PROG ARGS...
 *	Run PROG with every host CPU busy (a SCHED_IDLE spinner on each): no
 *	CPU idles, so a guest that waits in WFI for its virtual timer is
 *	woken only if the hypervisor has a timer of its own. PROG must exit 0
 *	within 120 s.
 *
 * The INTIDs are our hypervisor's choice: written for it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define GICD_PHYS		0x08000000UL
#define GICD_SIZE		0x10000UL
#define GITS_PHYS		0x08080000UL
#define GICR_PHYS		0x080a0000UL
#define GICR_STRIDE		0x20000UL
#define GICR_SGI		0x10000UL

#define GICD_TYPER		0x0004
#define GICD_IROUTER(n)		(0x6000 + 8 * (n))
#define GICR_TYPER		0x0008
#define GIC_ICENABLER0		0x0180
#define GIC_ICPENDR0		0x0280
#define GIC_ISACTIVER0		0x0300
#define GIC_ICACTIVER0		0x0380
#define GIC_IPRIORITYR(n)	(0x0400 + (n))

/* Our hypervisor's own: its kick SGI, maintenance, its timers. */
static const unsigned int hyp_intids[] = { 15, 25, 26, 28 };
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

/* A virtual SPI no one uses: routed nowhere. */
#define SPARE_SPI		1019

static int failures;
static sigjmp_buf fault_jmp;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(fault_jmp, 1);
}

static volatile uint8_t *map(int fd, unsigned long phys, size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, phys);

	if (p == MAP_FAILED) {
		printf("hyp_irq_test: mmap %#lx: %s\n", phys, strerror(errno));
		exit(2);
	}
	return p;
}

static void w32(volatile uint8_t *base, unsigned long off, uint32_t v)
{
	*(volatile uint32_t *)(base + off) = v;
}

static uint32_t r32(volatile uint8_t *base, unsigned long off)
{
	return *(volatile uint32_t *)(base + off);
}

static void expect(int ok, const char *what)
{
	printf("hyp_irq_test: %s: %s\n", ok ? "ok" : "FAIL", what);
	if (!ok)
		failures++;
}

/* Does a read of @phys fault? */
static int read_faults(int fd, unsigned long phys)
{
	volatile uint8_t *p = map(fd, phys, 4096);
	int faulted = 0;

	if (sigsetjmp(fault_jmp, 1))
		faulted = 1;
	else
		(void)r32(p, 0);
	munmap((void *)p, 4096);
	return faulted;
}

static int hostile(void)
{
	long ncpus = sysconf(_SC_NPROCESSORS_CONF);
	volatile uint8_t *gicd, *gicr;
	uint32_t bits = 0;
	unsigned int i;
	long cpu;
	int fd;

	signal(SIGBUS, on_sigbus);
	fd = open("/dev/mem", O_RDWR | O_SYNC);
	if (fd < 0) {
		printf("hyp_irq_test: /dev/mem: %s\n", strerror(errno));
		return 2;
	}
	gicd = map(fd, GICD_PHYS, GICD_SIZE);
	gicr = map(fd, GICR_PHYS, ncpus * GICR_STRIDE);
	expect((r32(gicd, GICD_TYPER) & 0x1f) == 31,
	       "the host's GIC has 988 SPIs (ITLinesNumber 31)");

	for (i = 0; i < ARRAY_SIZE(hyp_intids); i++)
		bits |= 1U << hyp_intids[i];
	for (cpu = 0; cpu < ncpus; cpu++) {
		volatile uint8_t *sgi = gicr + cpu * GICR_STRIDE + GICR_SGI;

		w32(sgi, GIC_ICENABLER0, bits);
		w32(sgi, GIC_ICPENDR0, bits);
		for (i = 0; i < ARRAY_SIZE(hyp_intids); i++)
			sgi[GIC_IPRIORITYR(hyp_intids[i])] = 0xff;
		/*
		 * Active, they would never fire again on a physical GIC. In the
		 * host's own they take its list registers, as an active
		 * interrupt does in any vCPU: set, seen, cleared again.
		 */
		w32(sgi, GIC_ISACTIVER0, bits);
		expect((r32(sgi, GIC_ISACTIVER0) & bits) == bits,
		       "the host's redistributor keeps what it wrote (its own, virtual)");
		w32(sgi, GIC_ICACTIVER0, bits);
	}
	*(volatile uint64_t *)(gicd + GICD_IROUTER(SPARE_SPI)) = 0xff;
	expect(*(volatile uint64_t *)(gicd + GICD_IROUTER(SPARE_SPI)) == 0xff,
	       "an SPI routed to a CPU that does not exist reads back");

	expect(read_faults(fd, GITS_PHYS), "the ITS is not the host's: SIGBUS");
	expect(read_faults(fd, GICR_PHYS + ncpus * GICR_STRIDE),
	       "no redistributor past the last CPU: SIGBUS");
	expect(r32(gicr + (ncpus - 1) * GICR_STRIDE, GICR_TYPER) & (1U << 4),
	       "the last CPU's redistributor says it is the last");
	close(fd);
	return failures ? 1 : 0;
}

static volatile sig_atomic_t timed_out;

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

static int busy(char **argv)
{
	long ncpus = sysconf(_SC_NPROCESSORS_ONLN), cpu;
	struct sched_param sp = { 0 };
	pid_t spinners[64], prog;
	int status = 0, n = 0;

	for (cpu = 0; cpu < ncpus && n < 64; cpu++) {
		pid_t pid = fork();

		if (pid == 0) {
			cpu_set_t set;

			CPU_ZERO(&set);
			CPU_SET(cpu, &set);
			sched_setaffinity(0, sizeof(set), &set);
			sched_setscheduler(0, SCHED_IDLE, &sp);
			for (;;)
				;
		}
		if (pid > 0)
			spinners[n++] = pid;
	}
	prog = fork();
	if (prog == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	signal(SIGALRM, on_alarm);
	alarm(120);
	while (waitpid(prog, &status, 0) < 0 && errno == EINTR && !timed_out)
		;
	if (timed_out) {
		kill(prog, SIGKILL);
		waitpid(prog, &status, 0);
	}
	while (n--) {
		kill(spinners[n], SIGKILL);
		waitpid(spinners[n], NULL, 0);
	}
	expect(!timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "the program ran to its end with every host CPU busy");
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	int ret = 2;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc >= 2 && !strcmp(argv[1], "hostile"))
		ret = hostile();
	else if (argc >= 3 && !strcmp(argv[1], "busy"))
		ret = busy(argv + 2);
	else
		fprintf(stderr, "usage: hyp_irq_test hostile | busy PROG ARGS...\n");
	printf("hyp_irq_test: %s\n", ret ? "FAIL" : "PASS");
	return ret;
}
