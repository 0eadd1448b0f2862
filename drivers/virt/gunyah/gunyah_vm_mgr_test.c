// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the Gunyah VM manager: validation of the VM ioctls'
 * arguments, the memory regions of a VM (pinned from a KUnit-owned address
 * space) and the memory parcels built from them, against a fake Resource
 * Manager. Runs anywhere, no hypervisor needed.
 */

#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "rsc_mgr.h"
#include "vm_mgr.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/* Wire values, written out rather than taken from rsc_mgr.h */
#define FAKE_HDR		8
#define FAKE_PAYLOAD		232
#define FAKE_MAX_MSG		(62 * FAKE_PAYLOAD)
#define FAKE_MAX_MSGS		16
#define FAKE_API		0x21
#define FAKE_REQUEST		1
#define FAKE_REPLY		2

#define FAKE_VM_ALLOCATE	0x56000001
#define FAKE_VM_DEALLOCATE	0x56000002
#define FAKE_MEM_LEND		0x51000012
#define FAKE_MEM_SHARE		0x51000013
#define FAKE_MEM_APPEND		0x51000018

#define FAKE_VMID		0x80
#define FAKE_HOST_VMID		3
#define FAKE_HANDLE		0x5eed0001

struct fake_msg {
	u32 msg_id;
	size_t size;
	u8 *data;
};

/* An RM that answers every request at once, from inside send() */
struct fake_rm {
	struct kunit *test;
	struct gunyah_rm *rm;

	/* The request being received */
	u8 *buf;
	size_t size;
	unsigned int pkts;
	unsigned int fragments;
	u16 seq;
	u32 msg_id;

	/* Complete requests; msgs[i].data is FAKE_MAX_MSG bytes */
	struct fake_msg msgs[FAKE_MAX_MSGS];
	unsigned int n_msgs;

	/* RM error of the next VM_ALLOCATE */
	u32 alloc_error;
};

static void fake_reply(struct fake_rm *fake, u32 error, const void *data,
		       size_t size)
{
	u8 pkt[FAKE_HDR + 4 + 4];

	pkt[0] = FAKE_API;
	pkt[1] = FAKE_REPLY;
	put_unaligned_le16(fake->seq, pkt + 2);
	put_unaligned_le32(fake->msg_id, pkt + 4);
	put_unaligned_le32(error, pkt + FAKE_HDR);
	memcpy(pkt + FAKE_HDR + 4, data, size);
	gunyah_rm_rx(fake->rm, pkt, FAKE_HDR + 4 + size);
}

static void fake_answer(struct fake_rm *fake)
{
	u8 word[4];

	if (fake->n_msgs < FAKE_MAX_MSGS) {
		struct fake_msg *m = &fake->msgs[fake->n_msgs];

		m->msg_id = fake->msg_id;
		m->size = fake->size;
		memcpy(m->data, fake->buf, fake->size);
	}
	fake->n_msgs++;

	switch (fake->msg_id) {
	case FAKE_VM_ALLOCATE:
		if (fake->alloc_error) {
			fake_reply(fake, fake->alloc_error, NULL, 0);
			break;
		}
		put_unaligned_le32(FAKE_VMID, word);
		fake_reply(fake, 0, word, sizeof(word));
		break;
	case FAKE_MEM_SHARE:
	case FAKE_MEM_LEND:
		put_unaligned_le32(FAKE_HANDLE, word);
		fake_reply(fake, 0, word, sizeof(word));
		break;
	default:
		fake_reply(fake, 0, NULL, 0);
		break;
	}
}

static int fake_send(void *priv, const void *pkt, size_t size, bool push)
{
	struct fake_rm *fake = priv;
	const u8 *p = pkt;
	size_t len = size - FAKE_HDR;

	if (size < FAKE_HDR || p[0] != FAKE_API)
		return -EIO;

	if ((p[1] & 3) == FAKE_REQUEST) {
		fake->fragments = p[1] >> 2;
		fake->seq = get_unaligned_le16(p + 2);
		fake->msg_id = get_unaligned_le32(p + 4);
		fake->size = 0;
		fake->pkts = 0;
	}

	if (fake->size + len > FAKE_MAX_MSG)
		return -EIO;

	memcpy(fake->buf + fake->size, p + FAKE_HDR, len);
	fake->size += len;
	if (++fake->pkts == fake->fragments + 1)
		fake_answer(fake);

	return 0;
}

static const struct gunyah_rm_transport_ops fake_ops = {
	.send = fake_send,
};

static void fake_destroy(void *rm)
{
	gunyah_rm_destroy(rm);
}

static int vm_mgr_test_init(struct kunit *test)
{
	struct fake_rm *fake;
	struct device *dev;
	unsigned int i;
	u8 *data;

	dev = kunit_device_register(test, "gunyah-vm-mgr-fake");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);

	fake = kunit_kzalloc(test, sizeof(*fake), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fake);
	fake->buf = kunit_kmalloc(test, FAKE_MAX_MSG, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fake->buf);
	data = kunit_kmalloc_array(test, FAKE_MAX_MSGS, FAKE_MAX_MSG, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, data);
	for (i = 0; i < FAKE_MAX_MSGS; i++)
		fake->msgs[i].data = data + i * FAKE_MAX_MSG;
	fake->test = test;

	fake->rm = gunyah_rm_create(dev, &fake_ops, fake);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fake->rm);
	/* Released last: after the VMs of the test, which hold references */
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, fake_destroy,
							fake->rm), 0);

	test->priv = fake;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Argument validation                                                    */

struct region_case {
	const char *name;
	u32 flags;
	u64 gpa;
	u64 size;
	u64 uaddr;
	int ret;
};

static const struct region_case region_cases[] = {
	{ "read-only page", 1, 0x80000000, 0x1000, 0x10000, 0 },
	{ "RWX 1 MiB", 7, 0x80000000, 0x100000, 0x100000, 0 },
	{ "write-only", 2, 0, 0x1000, 0x10000, 0 },
	{ "guest range just below 2^64", 1, 0xffffffffffffe000ULL, 0x1000,
	  0x10000, 0 },
	{ "no access", 0, 0x80000000, 0x1000, 0x10000, -EINVAL },
	{ "unknown flag 8 (v8 LENT)", 9, 0x80000000, 0x1000, 0x10000, -EINVAL },
	{ "unknown flag 31", 0x80000001, 0x80000000, 0x1000, 0x10000, -EINVAL },
	{ "size 0", 1, 0x80000000, 0, 0x10000, -EINVAL },
	{ "size unaligned", 1, 0x80000000, 0x1800, 0x10000, -EINVAL },
	{ "size below a page", 1, 0x80000000, 0x10, 0x10000, -EINVAL },
	{ "guest address unaligned", 1, 0x80000200, 0x1000, 0x10000, -EINVAL },
	{ "user address unaligned", 1, 0x80000000, 0x1000, 0x10008, -EINVAL },
	{ "guest range wraps to 0", 1, 0xfffffffffffff000ULL, 0x1000, 0x10000,
	  -EOVERFLOW },
	{ "guest range wraps", 1, 0xfffffffffffff000ULL, 0x2000, 0x10000,
	  -EOVERFLOW },
	{ "user range wraps", 1, 0x80000000, 0x2000, 0xfffffffffffff000ULL,
	  -EOVERFLOW },
	{ "user range beyond user space", 1, 0x80000000, 0x1000, 1ULL << 54,
	  -EFAULT },
	{ "kernel address", 1, 0x80000000, 0x1000, 0xffff800080000000ULL,
	  -EFAULT },
	{ "more than the RAM", 1, 0, 1ULL << 46, 0x10000, -ENOMEM },
};

static void region_case_desc(const struct region_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(region, region_cases, region_case_desc);

static void vm_region_check(struct kunit *test)
{
	const struct region_case *c = test->param_value;
	struct gunyah_userspace_memory_region r = {
		.label = 7,
		.flags = c->flags,
		.guest_phys_addr = c->gpa,
		.memory_size = c->size,
		.userspace_addr = c->uaddr,
	};

	KUNIT_EXPECT_EQ(test, gunyah_vm_mem_region_check(&r), c->ret);
}

static void vm_boot_context_index(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < 32; i++)
		KUNIT_EXPECT_EQ(test, gunyah_vm_boot_context_index(i), i);
	KUNIT_EXPECT_EQ(test, gunyah_vm_boot_context_index(32), -EINVAL);
	KUNIT_EXPECT_EQ(test, gunyah_vm_boot_context_index(0xff), -EINVAL);

	KUNIT_EXPECT_EQ(test, gunyah_vm_boot_context_index(0x100), 32);
	KUNIT_EXPECT_EQ(test, gunyah_vm_boot_context_index(0x101), -EINVAL);

	KUNIT_EXPECT_EQ(test, gunyah_vm_boot_context_index(0x200), 33);
	KUNIT_EXPECT_EQ(test, gunyah_vm_boot_context_index(0x202), 35);
	KUNIT_EXPECT_EQ(test, gunyah_vm_boot_context_index(0x203), -EINVAL);

	KUNIT_EXPECT_EQ(test, gunyah_vm_boot_context_index(0x300), -EINVAL);
	KUNIT_EXPECT_EQ(test, gunyah_vm_boot_context_index(0xff00), -EINVAL);
	/* Bits 31:16 must be clear */
	KUNIT_EXPECT_EQ(test, gunyah_vm_boot_context_index(0x10000), -EINVAL);
	KUNIT_EXPECT_EQ(test, gunyah_vm_boot_context_index(0x80000100), -EINVAL);
}

static void vm_config_range(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, gunyah_vm_check_config_range(0x80000000, 0x1000), 0);
	KUNIT_EXPECT_EQ(test, gunyah_vm_check_config_range(0x80000010, 0x11), 0);
	KUNIT_EXPECT_EQ(test, gunyah_vm_check_config_range(0, 1), 0);
	KUNIT_EXPECT_EQ(test, gunyah_vm_check_config_range(0x80000000, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, gunyah_vm_check_config_range(~0ULL, 1), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, gunyah_vm_check_config_range(0x1000, ~0ULL),
			-EOVERFLOW);
	KUNIT_EXPECT_EQ(test, gunyah_vm_check_config_range(~0ULL - 1, 1), 0);
}

/* ---------------------------------------------------------------------- */
/* Parcels                                                                */

#define BLOCK_ORDER	3
#define BLOCK_PAGES	BIT(BLOCK_ORDER)

static void free_block(void *block)
{
	__free_pages(block, BLOCK_ORDER);
}

/* A physically contiguous block of pages, freed at the end of the test */
static struct page *alloc_block(struct kunit *test)
{
	struct page *block = alloc_pages(GFP_KERNEL, BLOCK_ORDER);

	KUNIT_ASSERT_NOT_NULL(test, block);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, free_block, block),
			0);
	return block;
}

static struct gunyah_vm_mem_region *
make_region(struct kunit *test, enum gunyah_vm_mem_share_type type, u32 flags,
	    unsigned long nr_pages)
{
	struct gunyah_vm_mem_region *r;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	r->pages = kunit_kcalloc(test, nr_pages, sizeof(*r->pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r->pages);
	r->label = 0x1abe1;
	r->flags = flags;
	r->share_type = type;
	r->nr_pages = nr_pages;
	r->size = nr_pages * PAGE_SIZE;
	r->mem_handle = GUNYAH_MEM_HANDLE_INVAL;
	return r;
}

static void free_parcel(void *parcel)
{
	gunyah_vm_mem_parcel_free(parcel);
}

static struct gunyah_rm_mem_parcel *
build_parcel(struct kunit *test, const struct gunyah_vm_mem_region *r)
{
	struct gunyah_rm_mem_parcel *p;

	p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_EQ(test, gunyah_vm_mem_parcel_init(r, FAKE_VMID,
							FAKE_HOST_VMID, p), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, free_parcel, p), 0);
	return p;
}

struct coalesce_case {
	const char *name;
	unsigned int n;
	u8 order[BLOCK_PAGES * 2];	/* page indices in the block */
	unsigned int n_entries;
	/* first page and number of pages of each entry */
	u8 first[BLOCK_PAGES * 2];
	u8 len[BLOCK_PAGES * 2];
};

static const struct coalesce_case coalesce_cases[] = {
	{ "one page", 1, { 0 }, 1, { 0 }, { 1 } },
	{ "whole block", 8, { 0, 1, 2, 3, 4, 5, 6, 7 }, 1, { 0 }, { 8 } },
	{ "two runs", 6, { 0, 1, 2, 5, 6, 7 }, 2, { 0, 5 }, { 3, 3 } },
	{ "every other page", 4, { 0, 2, 4, 6 }, 4, { 0, 2, 4, 6 },
	  { 1, 1, 1, 1 } },
	{ "descending", 4, { 3, 2, 1, 0 }, 4, { 3, 2, 1, 0 }, { 1, 1, 1, 1 } },
	{ "swapped halves", 8, { 4, 5, 6, 7, 0, 1, 2, 3 }, 2, { 4, 0 },
	  { 4, 4 } },
	{ "same page twice", 2, { 5, 5 }, 2, { 5, 5 }, { 1, 1 } },
	{ "run, gap, single, run", 7, { 0, 1, 3, 5, 6, 7, 2 }, 4,
	  { 0, 3, 5, 2 }, { 2, 1, 3, 1 } },
};

static void coalesce_case_desc(const struct coalesce_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(coalesce, coalesce_cases, coalesce_case_desc);

static void vm_parcel_coalesce(struct kunit *test)
{
	const struct coalesce_case *c = test->param_value;
	struct page *block = alloc_block(test);
	phys_addr_t base = page_to_phys(block);
	struct gunyah_vm_mem_region *r;
	struct gunyah_rm_mem_parcel *p;
	unsigned int i;

	r = make_region(test, GUNYAH_VM_MEM_SHARE, GUNYAH_MEM_ALLOW_READ, c->n);
	for (i = 0; i < c->n; i++)
		r->pages[i] = block + c->order[i];

	p = build_parcel(test, r);
	KUNIT_EXPECT_EQ(test, p->mem_type, GUNYAH_RM_MEM_TYPE_NORMAL);
	KUNIT_EXPECT_EQ(test, p->label, 0x1abe1);
	KUNIT_EXPECT_EQ(test, p->mem_handle, GUNYAH_MEM_HANDLE_INVAL);
	KUNIT_ASSERT_EQ(test, p->n_mem_entries, c->n_entries);
	for (i = 0; i < c->n_entries; i++) {
		KUNIT_EXPECT_EQ_MSG(test, le64_to_cpu(p->mem_entries[i].phys_addr),
				    base + c->first[i] * PAGE_SIZE, "entry %u", i);
		KUNIT_EXPECT_EQ_MSG(test, le64_to_cpu(p->mem_entries[i].size),
				    c->len[i] * PAGE_SIZE, "entry %u", i);
	}
}

static void vm_parcel_acl(struct kunit *test)
{
	struct page *block = alloc_block(test);
	struct gunyah_vm_mem_region *r;
	struct gunyah_rm_mem_parcel *p;

	/* Shared: the guest with the region's rights, then the host RWX */
	r = make_region(test, GUNYAH_VM_MEM_SHARE,
			GUNYAH_MEM_ALLOW_READ | GUNYAH_MEM_ALLOW_WRITE, 1);
	r->pages[0] = block;
	p = build_parcel(test, r);
	KUNIT_ASSERT_EQ(test, p->n_acl_entries, 2);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(p->acl_entries[0].vmid), FAKE_VMID);
	KUNIT_EXPECT_EQ(test, p->acl_entries[0].perms, 4 | 2);
	KUNIT_EXPECT_EQ(test, p->acl_entries[0].reserved, 0);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(p->acl_entries[1].vmid), FAKE_HOST_VMID);
	KUNIT_EXPECT_EQ(test, p->acl_entries[1].perms, 7);

	/* Region flags R 1, W 2, X 4 become ACL rights R 4, W 2, X 1 */
	r->flags = GUNYAH_MEM_ALLOW_EXEC;
	p = build_parcel(test, r);
	KUNIT_EXPECT_EQ(test, p->acl_entries[0].perms, 1);
	r->flags = GUNYAH_MEM_ALLOW_READ;
	p = build_parcel(test, r);
	KUNIT_EXPECT_EQ(test, p->acl_entries[0].perms, 4);
	r->flags = GUNYAH_MEM_ALLOW_READ | GUNYAH_MEM_ALLOW_EXEC;
	p = build_parcel(test, r);
	KUNIT_EXPECT_EQ(test, p->acl_entries[0].perms, 5);

	/* Lent: the guest only */
	r = make_region(test, GUNYAH_VM_MEM_LEND, GUNYAH_MEM_ALLOW_RWX, 1);
	r->pages[0] = block;
	p = build_parcel(test, r);
	KUNIT_ASSERT_EQ(test, p->n_acl_entries, 1);
	KUNIT_EXPECT_EQ(test, le16_to_cpu(p->acl_entries[0].vmid), FAKE_VMID);
	KUNIT_EXPECT_EQ(test, p->acl_entries[0].perms, 7);

	/* A region without pages has no parcel */
	r->nr_pages = 0;
	KUNIT_EXPECT_EQ(test, gunyah_vm_mem_parcel_init(r, FAKE_VMID,
							FAKE_HOST_VMID, p),
			-EINVAL);
}

/* Number of ACL and SGL entries and the flags of a MEM_SHARE/LEND message */
static void expect_create_msg(struct kunit *test, const struct fake_msg *m,
			      u32 msg_id, unsigned int n_acl,
			      unsigned int n_sgl, u8 flags)
{
	size_t sgl = 8 + 4 + n_acl * 4;

	KUNIT_EXPECT_EQ(test, m->msg_id, msg_id);
	KUNIT_ASSERT_EQ(test, m->size, sgl + 4 + n_sgl * 16 + 4);
	KUNIT_EXPECT_EQ(test, m->data[2], flags);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(m->data + 4), 0x1abe1);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(m->data + 8), n_acl);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(m->data + sgl), n_sgl);
	/* No attributes */
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(m->data + m->size - 4), 0);
}

static void expect_append_msg(struct kunit *test, const struct fake_msg *m,
			      unsigned int n_sgl, u8 flags)
{
	KUNIT_EXPECT_EQ(test, m->msg_id, FAKE_MEM_APPEND);
	KUNIT_ASSERT_EQ(test, m->size, 8 + 4 + n_sgl * 16);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(m->data), FAKE_HANDLE);
	KUNIT_EXPECT_EQ(test, m->data[4], flags);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(m->data + 8), n_sgl);
}

/* @n pages that never coalesce: the same page again and again */
static struct gunyah_vm_mem_region *
make_scattered_region(struct kunit *test, enum gunyah_vm_mem_share_type type,
		      unsigned long n)
{
	struct page *block = alloc_block(test);
	struct gunyah_vm_mem_region *r;
	unsigned long i;

	r = make_region(test, type, GUNYAH_MEM_ALLOW_RWX, n);
	for (i = 0; i < n; i++)
		r->pages[i] = block;
	return r;
}

static void vm_parcel_split(struct kunit *test)
{
	struct fake_rm *fake = test->priv;
	struct gunyah_vm_mem_region *r;
	struct gunyah_rm_mem_parcel *p;

	/* 512 ranges: one MEM_SHARE, no APPEND flag */
	r = make_scattered_region(test, GUNYAH_VM_MEM_SHARE, 512);
	p = build_parcel(test, r);
	KUNIT_ASSERT_EQ(test, p->n_mem_entries, 512);
	KUNIT_ASSERT_EQ(test, gunyah_rm_mem_share(fake->rm, p), 0);
	KUNIT_EXPECT_EQ(test, p->mem_handle, FAKE_HANDLE);
	KUNIT_ASSERT_EQ(test, fake->n_msgs, 1);
	expect_create_msg(test, &fake->msgs[0], FAKE_MEM_SHARE, 2, 512, 0);

	/* 513: MEM_SHARE of 512 with APPEND (bit 1), MEM_APPEND of 1 with END */
	r = make_scattered_region(test, GUNYAH_VM_MEM_SHARE, 513);
	p = build_parcel(test, r);
	KUNIT_ASSERT_EQ(test, p->n_mem_entries, 513);
	KUNIT_ASSERT_EQ(test, gunyah_rm_mem_share(fake->rm, p), 0);
	KUNIT_ASSERT_EQ(test, fake->n_msgs, 3);
	expect_create_msg(test, &fake->msgs[1], FAKE_MEM_SHARE, 2, 512, 0x2);
	expect_append_msg(test, &fake->msgs[2], 1, 0x1);

	/* 1025 lent: 512 + 512 without END + 1 with END, one ACL entry */
	r = make_scattered_region(test, GUNYAH_VM_MEM_LEND, 1025);
	p = build_parcel(test, r);
	KUNIT_ASSERT_EQ(test, gunyah_rm_mem_lend(fake->rm, p), 0);
	KUNIT_ASSERT_EQ(test, fake->n_msgs, 6);
	expect_create_msg(test, &fake->msgs[3], FAKE_MEM_LEND, 1, 512, 0x2);
	expect_append_msg(test, &fake->msgs[4], 512, 0);
	expect_append_msg(test, &fake->msgs[5], 1, 0x1);
}

/* ---------------------------------------------------------------------- */
/* VMs and their memory regions                                           */

#define MAP_PAGES	16

struct vm_ctx {
	struct gunyah_vm *vm;
	unsigned long uaddr;		/* MAP_PAGES user pages */
	unsigned long locked_vm;	/* before the test */
};

static void put_vm(void *vm)
{
	gunyah_vm_put(vm);
}

/*
 * Drop the VM while the test's address space still exists (deferred
 * actions run after it is gone) and check that its pages are unaccounted.
 */
static void release_vm(struct kunit *test, struct vm_ctx *ctx)
{
	kunit_release_action(test, put_vm, ctx->vm);
	KUNIT_EXPECT_EQ(test, current->mm->locked_vm, ctx->locked_vm);
}

/* A VM of the fake RM, owned by a KUnit address space with user memory */
static struct vm_ctx *make_vm(struct kunit *test)
{
	struct fake_rm *fake = test->priv;
	struct vm_ctx *ctx;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);

	/* Attaches an address space to the test's thread */
	ctx->uaddr = kunit_vm_mmap(test, NULL, 0, MAP_PAGES * PAGE_SIZE,
				   PROT_READ | PROT_WRITE,
				   MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_NE_MSG(test, ctx->uaddr, 0, "no user memory");
	KUNIT_ASSERT_NOT_NULL(test, current->mm);
	ctx->locked_vm = current->mm->locked_vm;

	ctx->vm = gunyah_vm_alloc(fake->rm);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ctx->vm);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, put_vm, ctx->vm), 0);
	return ctx;
}

static bool pinned(struct page *page)
{
	return folio_maybe_dma_pinned(page_folio(page));
}

static int add_region(struct vm_ctx *ctx, enum gunyah_vm_mem_share_type type,
		      u32 label, u64 gpa, unsigned long first_page,
		      unsigned long nr_pages)
{
	struct gunyah_userspace_memory_region r = {
		.label = label,
		.flags = GUNYAH_MEM_ALLOW_READ | GUNYAH_MEM_ALLOW_WRITE,
		.guest_phys_addr = gpa,
		.memory_size = nr_pages * PAGE_SIZE,
		.userspace_addr = ctx->uaddr + first_page * PAGE_SIZE,
	};
	int ret;

	mutex_lock(&ctx->vm->lock);
	ret = gunyah_vm_mem_add(ctx->vm, &r, type);
	mutex_unlock(&ctx->vm->lock);
	return ret;
}

static void vm_alloc_put(struct kunit *test)
{
	struct fake_rm *fake = test->priv;
	struct gunyah_vm *vm;

	KUNIT_ASSERT_NE(test, kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ,
					    MAP_ANONYMOUS | MAP_PRIVATE, 0), 0);

	vm = gunyah_vm_alloc(fake->rm);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, vm);
	KUNIT_EXPECT_EQ(test, vm->vmid, FAKE_VMID);
	KUNIT_EXPECT_PTR_EQ(test, vm->mm, current->mm);
	KUNIT_ASSERT_EQ(test, fake->n_msgs, 1);
	KUNIT_EXPECT_EQ(test, fake->msgs[0].msg_id, FAKE_VM_ALLOCATE);
	KUNIT_ASSERT_EQ(test, fake->msgs[0].size, 4);
	/* VMID 0: a dynamic VMID */
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(fake->msgs[0].data), 0);

	gunyah_vm_put(vm);
	KUNIT_ASSERT_EQ(test, fake->n_msgs, 2);
	KUNIT_EXPECT_EQ(test, fake->msgs[1].msg_id, FAKE_VM_DEALLOCATE);
	KUNIT_ASSERT_EQ(test, fake->msgs[1].size, 4);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(fake->msgs[1].data), FAKE_VMID);

	/* VM_ALLOCATE refused: the RM's error, nothing else sent */
	fake->alloc_error = 0x1;	/* NOMEM */
	KUNIT_EXPECT_EQ(test, PTR_ERR(gunyah_vm_alloc(fake->rm)), -ENOMEM);
	fake->alloc_error = 0x2;	/* NORESOURCE */
	KUNIT_EXPECT_EQ(test, PTR_ERR(gunyah_vm_alloc(fake->rm)), -ENODEV);
	KUNIT_EXPECT_EQ(test, fake->n_msgs, 4);
}

static void vm_mem_add_release(struct kunit *test)
{
	struct fake_rm *fake = test->priv;
	struct vm_ctx *ctx = make_vm(test);
	struct gunyah_vm_mem_region *r;
	struct page *page;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, add_region(ctx, GUNYAH_VM_MEM_SHARE, 1, 0x80000000,
					 0, 4), 0);
	KUNIT_ASSERT_EQ(test, add_region(ctx, GUNYAH_VM_MEM_LEND, 2, 0x90000000,
					 4, 2), 0);
	KUNIT_EXPECT_EQ(test, current->mm->locked_vm, ctx->locked_vm + 6);

	r = xa_load(&ctx->vm->mem_labels, 1);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, r->nr_pages, 4);
	KUNIT_EXPECT_EQ(test, r->share_type, GUNYAH_VM_MEM_SHARE);
	KUNIT_EXPECT_EQ(test, r->mem_handle, GUNYAH_MEM_HANDLE_INVAL);
	for (i = 0; i < r->nr_pages; i++)
		KUNIT_EXPECT_TRUE(test, pinned(r->pages[i]));
	KUNIT_EXPECT_PTR_EQ(test, mtree_load(&ctx->vm->mem_regions,
					     0x80003fff), r);
	KUNIT_EXPECT_NULL(test, mtree_load(&ctx->vm->mem_regions, 0x80004000));

	r = xa_load(&ctx->vm->mem_labels, 2);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, r->share_type, GUNYAH_VM_MEM_LEND);

	/* Releasing the VM unpins and unaccounts, then frees the VMID */
	page = r->pages[0];
	get_page(page);
	release_vm(test, ctx);
	KUNIT_EXPECT_FALSE(test, pinned(page));
	put_page(page);
	KUNIT_ASSERT_EQ(test, fake->n_msgs, 2);
	KUNIT_EXPECT_EQ(test, fake->msgs[1].msg_id, FAKE_VM_DEALLOCATE);
}

static void vm_mem_conflicts(struct kunit *test)
{
	struct vm_ctx *ctx = make_vm(test);

	/* [0x10000, 0x14000) label 1 */
	KUNIT_ASSERT_EQ(test, add_region(ctx, GUNYAH_VM_MEM_SHARE, 1, 0x10000,
					 0, 4), 0);

	/* The label again, elsewhere and with another share type */
	KUNIT_EXPECT_EQ(test, add_region(ctx, GUNYAH_VM_MEM_SHARE, 1, 0x40000,
					 4, 1), -EEXIST);
	KUNIT_EXPECT_EQ(test, add_region(ctx, GUNYAH_VM_MEM_LEND, 1, 0x40000,
					 4, 1), -EEXIST);

	/* Overlaps: the same range, the first page, the last page, inside,
	 * around
	 */
	KUNIT_EXPECT_EQ(test, add_region(ctx, GUNYAH_VM_MEM_SHARE, 2, 0x10000,
					 4, 4), -EEXIST);
	KUNIT_EXPECT_EQ(test, add_region(ctx, GUNYAH_VM_MEM_SHARE, 2, 0xf000,
					 4, 2), -EEXIST);
	KUNIT_EXPECT_EQ(test, add_region(ctx, GUNYAH_VM_MEM_SHARE, 2, 0x13000,
					 4, 2), -EEXIST);
	KUNIT_EXPECT_EQ(test, add_region(ctx, GUNYAH_VM_MEM_LEND, 2, 0x11000,
					 4, 1), -EEXIST);
	KUNIT_EXPECT_EQ(test, add_region(ctx, GUNYAH_VM_MEM_SHARE, 2, 0xf000,
					 4, 6), -EEXIST);
	KUNIT_EXPECT_EQ(test, current->mm->locked_vm, ctx->locked_vm + 4);

	/* Adjacent ranges below and above are fine */
	KUNIT_EXPECT_EQ(test, add_region(ctx, GUNYAH_VM_MEM_SHARE, 2, 0xf000,
					 4, 1), 0);
	KUNIT_EXPECT_EQ(test, add_region(ctx, GUNYAH_VM_MEM_LEND, 3, 0x14000,
					 5, 1), 0);
	/* Label 0 and U32_MAX are labels like any other */
	KUNIT_EXPECT_EQ(test, add_region(ctx, GUNYAH_VM_MEM_SHARE, 0, 0x20000,
					 6, 1), 0);
	KUNIT_EXPECT_EQ(test, add_region(ctx, GUNYAH_VM_MEM_SHARE, U32_MAX,
					 0x21000, 7, 1), 0);
	KUNIT_EXPECT_EQ(test, add_region(ctx, GUNYAH_VM_MEM_SHARE, 0, 0x22000,
					 8, 1), -EEXIST);
	/* The same user memory twice is fine */
	KUNIT_EXPECT_EQ(test, add_region(ctx, GUNYAH_VM_MEM_SHARE, 4, 0x30000,
					 0, 4), 0);
	KUNIT_EXPECT_EQ(test, current->mm->locked_vm, ctx->locked_vm + 12);

	release_vm(test, ctx);
}

static void vm_mem_partial_pin(struct kunit *test)
{
	struct vm_ctx *ctx = make_vm(test);
	struct page *pages[MAP_PAGES / 2];
	int i, n;

	/* Unmap the upper half: a region over all of it pins half, fails */
	KUNIT_ASSERT_EQ(test, vm_munmap(ctx->uaddr + MAP_PAGES / 2 * PAGE_SIZE,
					MAP_PAGES / 2 * PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, add_region(ctx, GUNYAH_VM_MEM_SHARE, 1, 0x10000,
					 0, MAP_PAGES), -EFAULT);
	KUNIT_EXPECT_EQ(test, current->mm->locked_vm, ctx->locked_vm);
	KUNIT_EXPECT_NULL(test, xa_load(&ctx->vm->mem_labels, 1));
	KUNIT_EXPECT_NULL(test, mtree_load(&ctx->vm->mem_regions, 0x10000));

	/* Nothing of the lower half stayed pinned */
	n = get_user_pages_fast(ctx->uaddr, MAP_PAGES / 2, 0, pages);
	KUNIT_ASSERT_EQ(test, n, MAP_PAGES / 2);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_FALSE(test, pinned(pages[i]));
		put_page(pages[i]);
	}

	/* The label and the range are free again */
	KUNIT_EXPECT_EQ(test, add_region(ctx, GUNYAH_VM_MEM_SHARE, 1, 0x10000,
					 0, MAP_PAGES / 2), 0);
	KUNIT_EXPECT_EQ(test, current->mm->locked_vm,
			ctx->locked_vm + MAP_PAGES / 2);

	release_vm(test, ctx);
}

static void vm_reclaim_range(struct kunit *test)
{
	struct vm_ctx *ctx = make_vm(test);
	struct gunyah_address_range range = { .gpa = 0x10000, .size = 0x1000 };
	int ret;

	KUNIT_ASSERT_EQ(test, add_region(ctx, GUNYAH_VM_MEM_SHARE, 1, 0x10000,
					 0, 4), 0);

	mutex_lock(&ctx->vm->lock);
	/* Nothing has been given to the VM before it starts */
	ret = gunyah_vm_mem_reclaim_range(ctx->vm, &range);
	KUNIT_EXPECT_EQ(test, ret, -EINVAL);
	range.size = 0;
	KUNIT_EXPECT_EQ(test, gunyah_vm_mem_reclaim_range(ctx->vm, &range),
			-EINVAL);
	range.size = 0x800;
	KUNIT_EXPECT_EQ(test, gunyah_vm_mem_reclaim_range(ctx->vm, &range),
			-EINVAL);
	range.size = 0x1000;
	range.gpa = 0x10800;
	KUNIT_EXPECT_EQ(test, gunyah_vm_mem_reclaim_range(ctx->vm, &range),
			-EINVAL);
	range.gpa = 0xfffffffffffff000ULL;
	KUNIT_EXPECT_EQ(test, gunyah_vm_mem_reclaim_range(ctx->vm, &range),
			-EOVERFLOW);
	mutex_unlock(&ctx->vm->lock);

	/* Nothing changed */
	KUNIT_EXPECT_EQ(test, current->mm->locked_vm, ctx->locked_vm + 4);

	release_vm(test, ctx);
}

static struct kunit_case gunyah_vm_mgr_test_cases[] = {
	KUNIT_CASE_PARAM(vm_region_check, region_gen_params),
	KUNIT_CASE(vm_boot_context_index),
	KUNIT_CASE(vm_config_range),
	KUNIT_CASE_PARAM(vm_parcel_coalesce, coalesce_gen_params),
	KUNIT_CASE(vm_parcel_acl),
	KUNIT_CASE(vm_parcel_split),
	KUNIT_CASE(vm_alloc_put),
	KUNIT_CASE(vm_mem_add_release),
	KUNIT_CASE(vm_mem_conflicts),
	KUNIT_CASE(vm_mem_partial_pin),
	KUNIT_CASE(vm_reclaim_range),
	{}
};

static struct kunit_suite gunyah_vm_mgr_test_suite = {
	.name = "gunyah_vm_mgr",
	.init = vm_mgr_test_init,
	.test_cases = gunyah_vm_mgr_test_cases,
};

kunit_test_suite(gunyah_vm_mgr_test_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of the Gunyah VM manager");
