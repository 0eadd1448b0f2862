/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * QEMU virt (gic-version=3, virtualization=on), laid out like the real
 * Gunyah's QEMU platform (../shared/spec/abi.md §9.2) so that the same run
 * scripts boot either hypervisor.
 */
#ifndef PLATFORM_PLATFORM_H
#define PLATFORM_PLATFORM_H

#include <hyp/types.h>

/*
 * Where QEMU puts the devicetree it generates when it loads an ELF image;
 * QEMU makes it at most 1 MiB.
 */
#define PLATFORM_QEMU_DT	0x40000000UL
#define PLATFORM_QEMU_DT_MAX	SZ_1M

/* The primary VM: its devicetree (max 1 MiB, up to the kernel) and Image. */
#define PLATFORM_HOST_DT	0x40f00000UL
#define PLATFORM_HOST_DT_MAX	SZ_1M
#define PLATFORM_HOST_INITRD	0x40800000UL
#define PLATFORM_HOST_ENTRY	0x41000000UL

/* Hypervisor memory: the image (linked here) and its page pool. */
#define PLATFORM_HYP_BASE	0x80000000UL
#define PLATFORM_HYP_SIZE	(64 * SZ_1M)

/* Everything below RAM is device memory on QEMU virt. */
#define PLATFORM_MMIO_BASE	0x0UL
#define PLATFORM_MMIO_SIZE	0x40000000UL

#define PLATFORM_UART_BASE	0x09000000UL
#define PLATFORM_GICD_BASE	0x08000000UL
/* Redistributors: 128 KiB per CPU, the last one flagged in GICR_TYPER. */
#define PLATFORM_GICR_BASE	0x080a0000UL
/*
 * The GIC's frames (distributor, ITS, redistributors): the hypervisor's.
 * The host's stage 2 leaves them out; its accesses are emulated.
 */
#define PLATFORM_GIC_BASE	0x08000000UL
#define PLATFORM_GIC_SIZE	0x01000000UL

/*
 * Virtual SPIs the hypervisor raises for the host (message queues,
 * doorbells, vCPU wake-ups), as on the real Gunyah: from INTID 960 (the
 * RM's queues first) to 1019, the top of the host's virtual GIC. QEMU
 * virt's physical SPIs end at 255.
 */
#define PLATFORM_HOST_VIRQ_BASE	960
#define PLATFORM_HOST_VIRQ_NR	60

void platform_putc(char c);

#endif
