// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory parcels: MEM_SHARE, MEM_LEND, MEM_APPEND and MEM_RECLAIM
 * (../shared/spec/abi.md §7.6). The primary VM names physical ranges of its
 * own memory and one VM it owns; the ownership record and (for lending)
 * the primary VM's stage 2 change through the hypervisor (rm/hypcall.h)
 * before the handle is returned, and every step is undone if a later one of the same message
 * fails.
 *
 * Guests cannot accept or map parcels yet: that comes with VM_START.
 */
#include <string.h>
#include <hyp/console.h>
#include <hyp/gunyah_abi.h>
#include <hyp/memdb.h>
#include <hyp/vm.h>
#include <rm/hypcall.h>
#include <rm/memparcel.h>

#define RM_ERROR_HANDLE_INVALID	0x7U
#define RM_ERROR_MEM_INUSE	0xbU

#define RM_MEM_TYPE_NORMAL	0
#define RM_MEM_CREATE_SANITIZE	BIT(0)
#define RM_MEM_CREATE_APPEND	BIT(1)
#define RM_MEM_APPEND_END	BIT(0)
#define RM_MEM_RECLAIM_SANITIZE	BIT(0)
#define RM_ACL_RIGHTS		0x7	/* X 1, W 2, R 4 */

#define RM_MAX_PARCELS		128
#define RM_MAX_SGL		65536

/* One range of a parcel; entries of a parcel are chained newest first. */
struct rm_sgl_entry {
	paddr_t base;
	u64 size;
	u32 next;		/* index + 1 of the next entry, 0 at the end */
};

struct rm_parcel {
	u32 handle;		/* 0: free slot */
	u16 owner;
	u16 borrower;
	u32 label;
	bool lend;
	bool complete;		/* no MEM_APPEND may follow */
	bool mapped;		/* in the borrower's stage 2, at map_ipa */
	u64 map_ipa;
	u32 sgl;		/* newest entry, index + 1 */
	u64 size;		/* of all entries */
};

static struct rm_parcel parcels[RM_MAX_PARCELS];
static struct rm_sgl_entry sgl[RM_MAX_SGL];
static u32 sgl_free;
static u32 next_handle;

void rm_memparcel_init(void)
{
	u32 i;

	memset(parcels, 0, sizeof(parcels));
	for (i = 0; i < RM_MAX_SGL; i++)
		sgl[i].next = i + 2 <= RM_MAX_SGL ? i + 2 : 0;
	sgl_free = 1;
	next_handle = 1;
}

static struct rm_parcel *rm_parcel_find(u32 handle)
{
	unsigned int i;

	for (i = 0; handle && i < RM_MAX_PARCELS; i++)
		if (parcels[i].handle == handle)
			return &parcels[i];
	return NULL;
}

bool rm_memparcel_vm_in_use(u16 vmid)
{
	unsigned int i;

	for (i = 0; i < RM_MAX_PARCELS; i++)
		if (parcels[i].handle && parcels[i].borrower == vmid)
			return true;
	return false;
}

/* A list: u16 count, u16 reserved (0), entries; lists start 4-byte aligned. */
struct rm_list {
	unsigned int count;
	const u8 *entries;
};

static u32 rm_parse_list(const struct rm_request *req, size_t *off, size_t entry_size,
			 unsigned int max, struct rm_list *l)
{
	size_t o = ALIGN_UP(*off, 4);

	if (o + 4 > req->len)
		return RM_ERROR_MSG_INVALID;
	l->count = rm_get_le16(req->data + o);
	if (rm_get_le16(req->data + o + 2) || l->count > max)
		return RM_ERROR_ARG_INVALID;
	if (o + 4 + (size_t)l->count * entry_size > req->len)
		return RM_ERROR_MSG_INVALID;
	l->entries = req->data + o + 4;
	*off = o + 4 + (size_t)l->count * entry_size;
	return RM_OK;
}

static void rm_sgl_get(const struct rm_list *l, unsigned int i, paddr_t *base, u64 *size)
{
	const u8 *p = l->entries + (size_t)i * 16;

	*base = rm_get_le32(p) | (u64)rm_get_le32(p + 4) << 32;
	*size = rm_get_le32(p + 8) | (u64)rm_get_le32(p + 12) << 32;
}

/* Take back and forget the newest @n entries of @p. */
static void rm_parcel_undo(struct rm_parcel *p, u32 n, bool sanitize)
{
	while (n-- && p->sgl) {
		u32 idx = p->sgl;
		struct rm_sgl_entry *e = &sgl[idx - 1];

		if (rm_hyp_host_mem_take_back(e->base, e->size, p->lend, p->borrower, p->handle,
					      sanitize))
			/* The record says we gave it: this cannot fail. */
			hyp_log_prefix("[RM] ", "parcel %u: taking back %#lx failed\n", p->handle,
				       (unsigned long)e->base);
		p->sgl = e->next;
		p->size -= e->size;
		e->next = sgl_free;
		sgl_free = idx;
	}
}

/* Give and record every entry of @l, or none of them. */
static u32 rm_parcel_add(struct rm_parcel *p, const struct rm_list *l)
{
	u32 err = RM_OK, i;

	for (i = 0; i < l->count; i++) {
		struct rm_sgl_entry *e;
		paddr_t base;
		u64 size;
		u32 idx;

		rm_sgl_get(l, i, &base, &size);
		if (!size || !IS_ALIGNED(base | size, SZ_4K) || base + size < base) {
			err = RM_ERROR_ARG_INVALID;
			break;
		}
		if (!sgl_free) {
			err = RM_ERROR_NOMEM;
			break;
		}
		if (rm_hyp_host_mem_give(base, size, p->lend, p->borrower, p->handle)) {
			err = RM_ERROR_MEM_INVALID;
			break;
		}
		idx = sgl_free;
		e = &sgl[idx - 1];
		sgl_free = e->next;
		*e = (struct rm_sgl_entry){ base, size, p->sgl };
		p->sgl = idx;
		p->size += size;
	}
	if (err != RM_OK)
		rm_parcel_undo(p, i, false);
	return err;
}

/* The ACL: who gets the parcel, besides (for sharing) the owner itself. */
static u32 rm_parse_acl(const struct rm_request *req, const struct rm_list *acl, bool lend,
			u16 *borrower)
{
	u16 owner = req->client->vmid;
	bool owner_listed = false;
	unsigned int i, others = 0;

	for (i = 0; i < acl->count; i++) {
		const u8 *e = acl->entries + 4 * i;
		u16 vmid = rm_get_le16(e);

		if (!e[2] || (e[2] & ~RM_ACL_RIGHTS) || e[3])
			return RM_ERROR_ARG_INVALID;
		if (vmid == owner) {
			owner_listed = true;
			continue;
		}
		if (!rm_vm_owned_by(vmid, owner))
			return RM_ERROR_VMID_INVALID;
		*borrower = vmid;
		others++;
	}
	/* One other VM; the owner is listed when it shares, never when it lends. */
	if (others != 1 || owner_listed == lend)
		return RM_ERROR_ARG_INVALID;
	return RM_OK;
}

/*
 * MEM_LEND / MEM_SHARE: u8 mem_type, u8 res0, u8 flags, u8 res0, u32 label,
 * ACL list, SGL list, attribute list -> u32 handle.
 */
static u32 rm_mem_create(struct rm_request *req, bool lend)
{
	struct rm_list acl, list, attrs;
	struct rm_parcel *p = NULL;
	const u8 *d = req->data;
	size_t off = 8;
	unsigned int i;
	u16 borrower = 0;
	u32 err;

	if (req->len < 8)
		return RM_ERROR_MSG_INVALID;
	err = rm_parse_list(req, &off, 4, RM_PARCEL_MAX_ACL, &acl);
	if (err == RM_OK)
		err = rm_parse_list(req, &off, 16, RM_PARCEL_MAX_LIST, &list);
	if (err == RM_OK)
		err = rm_parse_list(req, &off, 4, RM_PARCEL_MAX_LIST, &attrs);
	if (err == RM_OK && off != req->len)
		err = RM_ERROR_MSG_INVALID;
	if (err != RM_OK)
		return err;
	if (req->client->vmid != VMID_HLOS)
		return RM_ERROR_DENIED;
	if (d[0] != RM_MEM_TYPE_NORMAL || d[1] || d[3] ||
	    (d[2] & ~(RM_MEM_CREATE_SANITIZE | RM_MEM_CREATE_APPEND)) || !list.count)
		return RM_ERROR_ARG_INVALID;
	err = rm_parse_acl(req, &acl, lend, &borrower);
	if (err != RM_OK)
		return err;

	for (i = 0; i < RM_MAX_PARCELS && !p; i++)
		if (!parcels[i].handle)
			p = &parcels[i];
	if (!p)
		return RM_ERROR_NOMEM;
	*p = (struct rm_parcel){
		.owner = req->client->vmid,
		.borrower = borrower,
		.label = rm_get_le32(d + 4),
		.lend = lend,
		.complete = !(d[2] & RM_MEM_CREATE_APPEND),
	};
	/* Handles are never 0, never in use twice, and fit the ownership record. */
	do {
		if (next_handle > MEMDB_TAG_MAX)
			next_handle = 1;
		p->handle = next_handle++;
	} while (rm_parcel_find(p->handle) != p);

	err = rm_parcel_add(p, &list);
	if (err != RM_OK) {
		p->handle = 0;
		return err;
	}
	rm_put_le32(req->reply, p->handle);
	req->reply_len = 4;
	return RM_OK;
}

/* MEM_APPEND: u32 handle, u8 flags (END), u8[3] res0, SGL list. */
static u32 rm_mem_append(struct rm_request *req)
{
	struct rm_parcel *p;
	struct rm_list list;
	size_t off = 8;
	u32 err;

	if (req->len < 8)
		return RM_ERROR_MSG_INVALID;
	err = rm_parse_list(req, &off, 16, RM_PARCEL_MAX_LIST, &list);
	if (err == RM_OK && off != req->len)
		err = RM_ERROR_MSG_INVALID;
	if (err != RM_OK)
		return err;
	if ((req->data[4] & ~RM_MEM_APPEND_END) || req->data[5] || req->data[6] ||
	    req->data[7])
		return RM_ERROR_ARG_INVALID;
	p = rm_parcel_find(rm_get_le32(req->data));
	if (!p || p->owner != req->client->vmid)
		return RM_ERROR_HANDLE_INVALID;
	if (p->complete)
		return RM_ERROR_ARG_INVALID;
	err = rm_parcel_add(p, &list);
	if (err == RM_OK && (req->data[4] & RM_MEM_APPEND_END))
		p->complete = true;
	return err;
}

/* MEM_RECLAIM: u32 handle, u8 flags (SANITIZE), u8[3] res0. */
static u32 rm_mem_reclaim(struct rm_request *req)
{
	struct rm_parcel *p;

	if (req->len != 8)
		return RM_ERROR_MSG_INVALID;
	if ((req->data[4] & ~RM_MEM_RECLAIM_SANITIZE) || req->data[5] || req->data[6] ||
	    req->data[7])
		return RM_ERROR_ARG_INVALID;
	p = rm_parcel_find(rm_get_le32(req->data));
	if (!p || p->owner != req->client->vmid)
		return RM_ERROR_HANDLE_INVALID;
	/* Not while the borrower has it mapped: reset the VM first. */
	if (p->mapped)
		return RM_ERROR_MEM_INUSE;
	rm_parcel_undo(p, RM_MAX_SGL, req->data[4] & RM_MEM_RECLAIM_SANITIZE);
	p->handle = 0;
	return RM_OK;
}

/*
 * Entries are chained newest first: walking them, each one's offset in the
 * parcel is what is left of the total once it and the newer ones are
 * subtracted. @fn gets (entry, offset); a non-zero return stops the walk.
 */
static int rm_parcel_walk(const struct rm_parcel *p,
			  int (*fn)(const struct rm_sgl_entry *e, u64 off, void *arg), void *arg)
{
	u64 end = p->size;
	u32 idx;
	int ret = 0;

	for (idx = p->sgl; idx && !ret; idx = sgl[idx - 1].next) {
		end -= sgl[idx - 1].size;
		ret = fn(&sgl[idx - 1], end, arg);
	}
	return ret;
}

static struct rm_parcel *rm_parcel_of(u32 handle, u16 owner, u16 borrower)
{
	struct rm_parcel *p = rm_parcel_find(handle);

	return p && p->owner == owner && p->borrower == borrower && p->complete ? p : NULL;
}

bool rm_memparcel_size(u32 handle, u16 owner, u16 borrower, u64 *size)
{
	struct rm_parcel *p = rm_parcel_of(handle, owner, borrower);

	if (p)
		*size = p->size;
	return p;
}

struct rm_copy_arg {
	u8 *buf;
	u64 off;
	u64 len;
	bool write;
};

static int rm_parcel_copy_one(const struct rm_sgl_entry *e, u64 off, void *arg)
{
	struct rm_copy_arg *a = arg;
	u64 from = MAX(off, a->off), to = MIN(off + e->size, a->off + a->len);

	if (from >= to)
		return 0;
	if (a->write)
		return rm_hyp_host_mem_write(e->base + (from - off), a->buf + (from - a->off),
					     to - from);
	return rm_hyp_host_mem_read(a->buf + (from - a->off), e->base + (from - off), to - from);
}

static int rm_memparcel_copy(u32 handle, u16 owner, u16 borrower, u64 off, void *buf,
			     u64 len, bool write)
{
	struct rm_parcel *p = rm_parcel_of(handle, owner, borrower);
	struct rm_copy_arg a = { buf, off, len, write };

	if (!p || off + len < off || off + len > p->size)
		return GUNYAH_ERROR_ARG_INVAL;
	return rm_parcel_walk(p, rm_parcel_copy_one, &a);
}

int rm_memparcel_read(u32 handle, u16 owner, u16 borrower, u64 off, void *dst, u64 len)
{
	return rm_memparcel_copy(handle, owner, borrower, off, dst, len, false);
}

int rm_memparcel_write(u32 handle, u16 owner, u16 borrower, u64 off, const void *src,
		       u64 len)
{
	return rm_memparcel_copy(handle, owner, borrower, off, (void *)src, len, true);
}

struct rm_map_arg {
	u64 guest;
	u64 ipa;
	bool unmap;
	u32 entries;	/* mapping: entries tried; unmapping: entries left to undo */
};

static int rm_parcel_map_one(const struct rm_sgl_entry *e, u64 off, void *arg)
{
	struct rm_map_arg *a = arg;

	if (a->unmap) {
		/* Undoing a failed map: only the entries it got to. */
		if (!a->entries)
			return 1;
		a->entries--;
		return rm_hyp_guest_unmap(a->guest, a->ipa + off, e->size);
	}
	a->entries++;
	return rm_hyp_guest_map(a->guest, a->ipa + off, e->base, e->size, 0x7);
}

int rm_memparcel_map(u32 handle, u16 owner, u16 borrower, u64 guest, u64 ipa)
{
	struct rm_parcel *p = rm_parcel_of(handle, owner, borrower);
	struct rm_map_arg a = { guest, ipa, false, 0 };
	int ret;

	if (!p || p->mapped || ipa + p->size < ipa)
		return GUNYAH_ERROR_ARG_INVAL;
	ret = rm_parcel_walk(p, rm_parcel_map_one, &a);
	if (ret) {
		/*
		 * The entries mapped, and the one that failed (it may be
		 * mapped in part); never those after it, whose addresses
		 * may be some other mapping's.
		 */
		a.unmap = true;
		rm_parcel_walk(p, rm_parcel_map_one, &a);
		return ret;
	}
	p->mapped = true;
	p->map_ipa = ipa;
	return 0;
}

void rm_memparcel_unmap_all(u16 borrower, u64 guest)
{
	unsigned int i;

	for (i = 0; i < RM_MAX_PARCELS; i++) {
		struct rm_parcel *p = &parcels[i];
		struct rm_map_arg a = { guest, p->map_ipa, true, RM_MAX_SGL };

		if (!p->handle || p->borrower != borrower || !p->mapped)
			continue;
		rm_parcel_walk(p, rm_parcel_map_one, &a);
		p->mapped = false;
	}
}

u32 rm_memparcel_handle(struct rm_request *req)
{
	switch (req->msg_id) {
	case RM_MEM_LEND:
		return rm_mem_create(req, true);
	case RM_MEM_SHARE:
		return rm_mem_create(req, false);
	case RM_MEM_APPEND:
		return rm_mem_append(req);
	case RM_MEM_RECLAIM:
		return rm_mem_reclaim(req);
	default:
		return RM_ERROR_UNIMPLEMENTED;
	}
}
