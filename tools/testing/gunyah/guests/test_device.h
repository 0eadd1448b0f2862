/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The platform the test guests see, and the test device, shared by the
 * guests (tools/testing/gunyah/guests/), the sample VMM
 * (samples/gunyah/gunyah_vmm.c) and the run-loop selftest
 * (tools/testing/selftests/gunyah/gunyah_run_test.c). Documented in
 * Documentation/virt/gunyah/sample-vmm.rst.
 *
 * Plain macros and an enum only: this header is included by freestanding
 * guest code and by user space alike.
 */
#ifndef GUNYAH_TEST_DEVICE_H
#define GUNYAH_TEST_DEVICE_H

/* Guest physical memory map */
#define GUEST_RAM_BASE		0x80000000UL	/* default; the VMM can move it */
#define GUEST_PL011_BASE	0x09000000UL	/* emulated by the VMM */
#define GUEST_PL011_SIZE	0x1000UL
#define GUEST_TEST_DEV_BASE	0x0a000000UL	/* emulated by the VMM */
#define GUEST_TEST_DEV_SIZE	0x1000UL
#define GUEST_GICD_BASE		0x3fff0000UL	/* emulated by the hypervisor */
#define GUEST_GICD_SIZE		0x10000UL
/* The redistributors end where the distributor starts: one frame per vCPU */
#define GUEST_GICR_STRIDE	0x20000UL
#define GUEST_GICR_BASE(nr_vcpus) \
	(GUEST_GICD_BASE - (unsigned long)(nr_vcpus) * GUEST_GICR_STRIDE)
#define GUEST_VIRTIO_CON_BASE	0x0a001000UL	/* virtio-mmio console, in the VMM */
#define GUEST_VIRTIO_CON_SIZE	0x200UL
/*
 * Guest SPIs (INTID = 32 + n) raised by the VMM through irqfds, and the
 * labels of the doorbells (VM config bell-<label>) behind them.
 */
#define GUEST_PL011_SPI		1	/* level; never raised */
#define GUEST_VIRTIO_CON_SPI	2	/* level, a LEVEL irqfd */
#define GUEST_VIRTIO_CON_BELL	0
#define GUEST_TEST_DEV_SPI	3	/* edge, or level in one selftest variant */
#define GUEST_TEST_DEV_BELL	1
/*
 * The RM gives an unauthenticated VM IPA [0, 1 GiB) as its VMMIO window:
 * there an access to an address with nothing behind it is an MMIO exit to
 * the VMM. Anywhere else outside the guest's RAM it is a synchronous
 * external abort in the guest, which the VMM never sees. (The real
 * Gunyah's rule; the RAM, at 2 GiB, is outside the window.)
 */
#define GUEST_VMMIO_WINDOW_END	0x40000000UL
/* Nothing is here, inside the window: an access must be an MMIO exit */
#define GUEST_UNBACKED_ADDR	0x20000000UL

/*
 * Test device registers, offsets from GUEST_TEST_DEV_BASE. Every register
 * is 8 bytes wide; accesses are naturally aligned, at the register's
 * offset, of 1, 2, 4 or 8 bytes. A read returns the low bytes of the
 * register's value, a write replaces the whole register with the value
 * written, zero-extended.
 *
 * TEST_DEV_ID          R   TEST_DEV_ID_VALUE
 * TEST_DEV_SCRATCH     RW  what was last written (0 at reset)
 * TEST_DEV_CHECK       W   the number of a check that passed (enum test_check)
 * TEST_DEV_RESULT      W   0: every check passed; otherwise the first failed
 *                          check or TEST_RESULT_EXCEPTION + vector. Written
 *                          once, just before PSCI SYSTEM_OFF.
 * TEST_DEV_ECHO        R   a value the VMM chooses, different at each read
 * TEST_DEV_ECHO_BACK   W   the value just read from ECHO, with the same size
 *                      R   how many write-backs did not match (0: all did)
 * TEST_DEV_LAST_UNHANDLED R the address of the last access the VMM did not
 *                          emulate (0: none yet)
 * TEST_DEV_HELLO       W   the index of the writing vCPU
 *                      R   bitmap of the vCPUs whose HELLO arrived, with
 *                          their own index, on their own vCPU's thread
 * TEST_DEV_BENCH       R   how many MMIO round trips the VMM wants timed
 *                          (0: none); the guest then reads TEST_DEV_ID that
 *                          many times between two writes of this register
 *                      W   TEST_BENCH_START before the reads, TEST_BENCH_END
 *                          after them; then TEST_BENCH_NOTIFY_START, as
 *                          many writes to TEST_DEV_NOTIFY, and
 *                          TEST_BENCH_NOTIFY_END
 * TEST_DEV_KICK        W   any value, any size: the VMM raises the test
 *                          device's interrupt (GUEST_TEST_DEV_SPI) once, by
 *                          signalling its irqfd. The VMM registers an
 *                          ioeventfd (any length, no datamatch) for this
 *                          register, so these writes are not MMIO exits.
 *                      R   how many KICK writes arrived as MMIO exits after
 *                          all (0: the ioeventfd took every one)
 * TEST_DEV_NOTIFY      W   counted by an ioeventfd of the VMM, nothing else
 *                          (the ioeventfd benchmark)
 *
 * Reads of addresses the VMM does not emulate return 0; writes to them are
 * ignored.
 */
#define TEST_DEV_ID		0x00
#define TEST_DEV_SCRATCH	0x08
#define TEST_DEV_CHECK		0x10
#define TEST_DEV_RESULT		0x18
#define TEST_DEV_ECHO		0x20
#define TEST_DEV_ECHO_BACK	0x28
#define TEST_DEV_LAST_UNHANDLED	0x30
#define TEST_DEV_HELLO		0x38
#define TEST_DEV_BENCH		0x40
#define TEST_DEV_KICK		0x48
#define TEST_DEV_NOTIFY		0x50

#define TEST_BENCH_START	1
#define TEST_BENCH_END		2
#define TEST_BENCH_NOTIFY_START	3
#define TEST_BENCH_NOTIFY_END	4

#define TEST_DEV_ID_VALUE	0x67756e79UL	/* "guny" */

/* Checks of the bare-metal guest, in the order it runs them */
enum test_check {
	TEST_CHECK_ID = 1,		/* the ID register reads its value */
	TEST_CHECK_SCRATCH,		/* 8-byte write, 8-byte read back */
	TEST_CHECK_SCRATCH_SIZES,	/* 1-, 2- and 4-byte reads and writes */
	TEST_CHECK_ECHO,		/* values the VMM chose reach the guest */
	TEST_CHECK_UNBACKED,		/* unbacked: MMIO exits in the window, aborts past RAM */
	TEST_CHECK_PSCI_VERSION,	/* PSCI 0.2 or later */
	TEST_CHECK_CPU_ON,		/* vCPU 1 runs: RAM flag, its HELLO */
	TEST_CHECK_CPU_OFF,		/* AFFINITY_INFO: vCPU 1 off again */
	TEST_CHECK_GIC,			/* GICv3 found, redistributor awake */
	TEST_CHECK_TIMER,		/* virtual timer interrupt, INTID 27 */
	TEST_CHECK_SGI,			/* six pending self-SGIs all taken */
	TEST_CHECK_IRQFD,		/* KICK x3: three GUEST_TEST_DEV_SPIs, no exit */
	TEST_CHECK_FP,			/* FP/SIMD registers survive exits to the VMM */
	TEST_CHECK_PAUTH,		/* pointer-authentication keys survive them */
	TEST_NR_CHECKS = TEST_CHECK_PAUTH,
};

/*
 * What the bare-metal guest writes to TEST_DEV_SCRATCH, in this order, as
 * { size in bytes, value }. After each write it reads the register back
 * with 8 bytes, and after each 8-byte write also with 1, 2 and 4 bytes.
 */
#define TEST_SCRATCH_WRITES {			\
	{ 8, 0x0123456789abcdefULL },		\
	{ 8, 0xfedcba9876543210ULL },		\
	{ 8, 0x1122334455667788ULL },		\
	{ 1, 0xa5 },				\
	{ 2, 0xbeef },				\
	{ 4, 0xcafef00d },			\
}

/* TEST_DEV_RESULT after an unexpected exception: this plus the vector */
#define TEST_RESULT_EXCEPTION	0x100

#endif /* GUNYAH_TEST_DEVICE_H */
