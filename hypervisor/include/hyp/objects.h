/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Creating hypervisor objects from fixed pools (and message storage from
 * the page pool). Destroyed doorbells and vCPUs go back to their pool; a
 * capability lookup that raced with the destruction may still touch the
 * object, which stays valid memory (see cspace_remove()).
 */
#ifndef HYP_OBJECTS_H
#define HYP_OBJECTS_H

#include <hyp/doorbell.h>
#include <hyp/msgq.h>
#include <hyp/vcpu.h>

/* A new, empty queue of this shape, or NULL. */
struct msgq *msgq_create(u16 depth, u16 max_size);

struct doorbell *doorbell_create(void);
void doorbell_destroy(struct doorbell *db);

struct vcpu *vcpu_create(u16 vmid, u32 index);
void vcpu_destroy(struct vcpu *vcpu);

#endif
