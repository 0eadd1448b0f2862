/* SPDX-License-Identifier: GPL-2.0-only */
/* Spinlocks come from the architecture (or from the unit tests' stand-in). */
#ifndef HYP_SPINLOCK_H
#define HYP_SPINLOCK_H

#include <arch/spinlock.h>

#endif
