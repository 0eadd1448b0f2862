// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host must not be able to read the hypervisor's memory: map physical
 * pages through /dev/mem and read them. A page the host owns (the PL011's
 * identification registers) must read back its known value; the first page
 * of the hypervisor (0x80000000) must fault with SIGBUS, because the
 * hypervisor left it out of the host's stage 2 and injects a synchronous
 * external abort.
 *
 *   hyp_memory_test [HYP_PHYS]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define UART_PHYS		0x09000000UL
#define UART_PERIPHID0		0xfe0	/* PL011: 0x11 */
#define HYP_PHYS_DEFAULT	0x80000000UL

static sigjmp_buf fault_jmp;
static volatile sig_atomic_t fault_code;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	fault_code = si->si_code;
	siglongjmp(fault_jmp, 1);
}

static volatile uint32_t *map_phys(int fd, unsigned long phys)
{
	void *p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, phys);

	if (p == MAP_FAILED) {
		printf("hyp_memory_test: mmap %#lx: %s\n", phys, strerror(errno));
		exit(2);
	}
	return p;
}

int main(int argc, char **argv)
{
	unsigned long hyp = argc > 1 ? strtoul(argv[1], NULL, 0) : HYP_PHYS_DEFAULT;
	struct sigaction sa = { .sa_sigaction = on_sigbus, .sa_flags = SA_SIGINFO };
	volatile uint32_t *uart, *page;
	uint32_t id, v;
	int fd;

	fd = open("/dev/mem", O_RDONLY | O_SYNC);
	if (fd < 0) {
		printf("hyp_memory_test: /dev/mem: %s\n", strerror(errno));
		return 2;
	}

	/* Control: /dev/mem works for a page the host owns. */
	uart = map_phys(fd, UART_PHYS);
	id = uart[UART_PERIPHID0 / 4] & 0xff;
	if (id != 0x11) {
		printf("hyp_memory_test: FAIL: PL011 PeriphID0 reads %#x, expected 0x11\n", id);
		return 1;
	}
	printf("hyp_memory_test: host page %#lx readable (PL011 PeriphID0 %#x)\n",
	       UART_PHYS, id);

	sigaction(SIGBUS, &sa, NULL);
	page = map_phys(fd, hyp);
	if (sigsetjmp(fault_jmp, 1)) {
		printf("hyp_memory_test: PASS: read of hypervisor page %#lx faulted (SIGBUS, si_code %d)\n",
		       hyp, (int)fault_code);
		return 0;
	}
	v = page[0];
	printf("hyp_memory_test: FAIL: read of hypervisor page %#lx returned %#x\n", hyp, v);
	return 1;
}
