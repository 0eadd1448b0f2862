/* SPDX-License-Identifier: GPL-2.0-only */
/* What start.S and main.c of the bare-metal test guest share. */
#ifndef BAREMETAL_GUEST_H
#define BAREMETAL_GUEST_H

#include <stdint.h>

/* Called from start.S */
void guest_main(uint64_t dtb);
void secondary_main(void);
void irq_handler(void);
void fault_handler(uint64_t vector, uint64_t esr, uint64_t elr, uint64_t far);
int sync_abort_expected(uint64_t esr, uint64_t elr, uint64_t far);

/* In start.S */
extern char secondary_entry[], stack1_top[];

/* gcc may emit calls to these even in freestanding code */
void *memset(void *s, int c, unsigned long n);
void *memcpy(void *d, const void *s, unsigned long n);

#endif /* BAREMETAL_GUEST_H */
