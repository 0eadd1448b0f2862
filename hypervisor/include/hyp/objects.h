/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Creating hypervisor objects from fixed pools (and message storage from
 * the page pool). Destroyed doorbells and vCPUs go back to their pool; a
 * capability lookup that raced with the destruction may still touch the
 * object, which stays valid memory (see cspace_remove()).
 */
#ifndef HYP_OBJECTS_H
#define HYP_OBJECTS_H

#include <hyp/addrspace.h>
#include <hyp/doorbell.h>
#include <hyp/msgq.h>
#include <hyp/vcpu.h>

/*
 * A queue with no shape and no storage yet (it holds nothing and takes
 * nothing), or NULL. msgq_activate() gives it @depth messages of
 * @max_size bytes: 0, GUNYAH_ERROR_ARG_INVAL for a shape it cannot have,
 * GUNYAH_ERROR_NOMEM without storage.
 */
struct msgq *msgq_alloc(void);
int msgq_activate(struct msgq *q, u16 depth, u16 max_size);

struct doorbell *doorbell_create(void);
void doorbell_destroy(struct doorbell *db);

struct vcpu *vcpu_create(u16 vmid, u32 index);
void vcpu_destroy(struct vcpu *vcpu);

struct addrspace *addrspace_create(void);
void addrspace_destroy(struct addrspace *as);

#endif
