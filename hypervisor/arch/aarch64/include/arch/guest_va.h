/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Copying to and from the buffers a VM names by EL1 virtual address: each
 * page is translated through the VM's stage 1 and stage 2 with the AT
 * instruction, so only memory the VM itself can reach (and that is Normal
 * memory) is ever touched. Must run on the CPU whose EL1 context is the
 * caller's, i.e. while handling its trap.
 */
#ifndef ARCH_GUEST_VA_H
#define ARCH_GUEST_VA_H

#include <hyp/types.h>

/* 0, or GUNYAH_ERROR_ADDR_INVAL if any byte cannot be read. */
int guest_va_read(void *dst, u64 va, size_t len);

/* 0, or GUNYAH_ERROR_ADDR_INVAL if any byte cannot be written. */
int guest_va_write(u64 va, const void *src, size_t len);

#endif
