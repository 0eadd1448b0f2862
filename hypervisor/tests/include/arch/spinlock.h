/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host stand-in for the arch spinlock, for the single-threaded unit tests:
 * no atomics, but taking a held lock or releasing a free one aborts, so a
 * double lock or an unbalanced unlock in the code under test is caught.
 */
#ifndef ARCH_SPINLOCK_H
#define ARCH_SPINLOCK_H

#include <stdio.h>
#include <stdlib.h>
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
	if (l->locked) {
		fprintf(stderr, "spin_lock(%p): already held (double lock)\n", (void *)l);
		abort();
	}
	l->locked = 1;
}

static inline void spin_unlock(spinlock_t *l)
{
	if (!l->locked) {
		fprintf(stderr, "spin_unlock(%p): not held\n", (void *)l);
		abort();
	}
	l->locked = 0;
}

#endif
