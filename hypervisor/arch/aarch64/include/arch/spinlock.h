/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A test-and-set spinlock with load-acquire/store-release exclusives. Only
 * for memory that is mapped Normal: never take one with the MMU off.
 */
#ifndef ARCH_SPINLOCK_H
#define ARCH_SPINLOCK_H

#include <hyp/types.h>

typedef struct {
	u32 locked;
} spinlock_t;

static inline void spin_lock_init(spinlock_t *l)
{
	l->locked = 0;
}

static inline void spin_lock(spinlock_t *l)
{
	u32 tmp;

	asm volatile(
	"	sevl\n"
	"1:	wfe\n"
	"2:	ldaxr	%w0, [%1]\n"
	"	cbnz	%w0, 1b\n"
	"	stxr	%w0, %w2, [%1]\n"
	"	cbnz	%w0, 2b\n"
	: "=&r"(tmp) : "r"(&l->locked), "r"(1) : "memory");
}

static inline void spin_unlock(spinlock_t *l)
{
	/* The store-release also clears waiters' monitors and wakes them. */
	asm volatile("stlr wzr, [%0]" : : "r"(&l->locked) : "memory");
}

#endif
