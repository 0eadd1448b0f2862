// SPDX-License-Identifier: GPL-2.0-only
/* Capability spaces; see include/hyp/cspace.h. */
#include <hyp/cspace.h>
#include <hyp/gunyah_abi.h>

void cspace_init(struct cspace *cs)
{
	unsigned int i;

	cs->obj.type = OBJECT_CSPACE;
	spin_lock_init(&cs->lock);
	for (i = 0; i < CSPACE_MAX_CAPS; i++)
		cs->caps[i] = (struct cap){ NULL, 0 };
}

int cspace_insert(struct cspace *cs, struct object *obj, u32 rights, u64 *capid)
{
	int ret = GUNYAH_ERROR_CSPACE_FULL;
	unsigned int i;

	spin_lock(&cs->lock);
	for (i = 0; i < CSPACE_MAX_CAPS; i++) {
		if (!cs->caps[i].obj) {
			cs->caps[i] = (struct cap){ obj, rights };
			*capid = i;
			ret = 0;
			break;
		}
	}
	spin_unlock(&cs->lock);
	return ret;
}

int cspace_get(struct cspace *cs, u64 capid, struct cap *cap)
{
	*cap = (struct cap){ NULL, 0 };
	if (capid < CSPACE_MAX_CAPS) {
		spin_lock(&cs->lock);
		*cap = cs->caps[capid];
		spin_unlock(&cs->lock);
	}
	return cap->obj ? 0 : GUNYAH_ERROR_CSPACE_CAP_NULL;
}

int cspace_lookup(struct cspace *cs, u64 capid, enum object_type type, u32 rights,
		  struct object **obj)
{
	struct cap cap = { NULL, 0 };

	if (capid < CSPACE_MAX_CAPS) {
		spin_lock(&cs->lock);
		cap = cs->caps[capid];
		spin_unlock(&cs->lock);
	}
	if (!cap.obj)
		return GUNYAH_ERROR_CSPACE_CAP_NULL;
	if (cap.obj->type != type)
		return GUNYAH_ERROR_CSPACE_WRONG_OBJECT_TYPE;
	if ((cap.rights & rights) != rights)
		return GUNYAH_ERROR_CSPACE_INSUFFICIENT_RIGHTS;
	*obj = cap.obj;
	return 0;
}

int cspace_remove(struct cspace *cs, u64 capid, struct object *obj)
{
	int ret = GUNYAH_ERROR_CSPACE_CAP_NULL;

	if (capid >= CSPACE_MAX_CAPS)
		return ret;
	spin_lock(&cs->lock);
	if (cs->caps[capid].obj == obj) {
		cs->caps[capid] = (struct cap){ NULL, 0 };
		ret = 0;
	}
	spin_unlock(&cs->lock);
	return ret;
}
