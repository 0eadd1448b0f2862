/* SPDX-License-Identifier: GPL-2.0-only */
/* Creating hypervisor objects (from fixed pools and the page pool). */
#ifndef HYP_OBJECTS_H
#define HYP_OBJECTS_H

#include <hyp/doorbell.h>
#include <hyp/msgq.h>

/* A new, empty queue of this shape, or NULL. */
struct msgq *msgq_create(u16 depth, u16 max_size);

struct doorbell *doorbell_create(void);

#endif
