/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Capability spaces: each VM names objects by capability ID, an index into
 * its own table of (object, rights). Pure logic, unit-tested on the host.
 * Objects come from fixed pools and are never freed, only reused: a lookup
 * needs no reference count.
 */
#ifndef HYP_CSPACE_H
#define HYP_CSPACE_H

#include <hyp/object.h>
#include <hyp/spinlock.h>

#define CSPACE_MAX_CAPS		256

struct cap {
	struct object *obj;
	u32 rights;
};

/* A capability space is itself an object: the RM copies caps into the VMs'. */
struct cspace {
	struct object obj;
	spinlock_t lock;
	struct cap caps[CSPACE_MAX_CAPS];
};

void cspace_init(struct cspace *cs);

/*
 * Give @obj with @rights to @cs at the lowest free ID. Returns 0 and the ID,
 * or GUNYAH_ERROR_CSPACE_FULL.
 */
int cspace_insert(struct cspace *cs, struct object *obj, u32 rights, u64 *capid);

/*
 * The object @capid names, if it has @type and at least @rights. Returns 0,
 * GUNYAH_ERROR_CSPACE_CAP_NULL (no such capability),
 * GUNYAH_ERROR_CSPACE_WRONG_OBJECT_TYPE or
 * GUNYAH_ERROR_CSPACE_INSUFFICIENT_RIGHTS.
 */
int cspace_lookup(struct cspace *cs, u64 capid, enum object_type type, u32 rights,
		  struct object **obj);

/* The capability @capid, whatever it names: 0 or GUNYAH_ERROR_CSPACE_CAP_NULL. */
int cspace_get(struct cspace *cs, u64 capid, struct cap *cap);

/*
 * Delete capability @capid, which must name @obj. Returns 0 or
 * GUNYAH_ERROR_CSPACE_CAP_NULL. A lookup already done on another CPU may
 * still use the object: objects are never freed, only reused.
 */
int cspace_remove(struct cspace *cs, u64 capid, struct object *obj);

#endif
