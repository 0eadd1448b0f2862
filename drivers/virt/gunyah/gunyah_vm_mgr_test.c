// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the Gunyah VM manager: validation of the VM ioctls'
 * arguments, the memory regions of a VM (pinned from a KUnit-owned address
 * space) and the memory parcels built from them, the RM messages of a VM's
 * start, of its rollback and of its teardown, against a fake Resource
 * Manager. Runs anywhere, no hypervisor needed.
 */

#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "rsc_mgr.h"
#include "vm_mgr.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/* Wire values, written out rather than taken from rsc_mgr.h */
#define FAKE_HDR		8
#define FAKE_PAYLOAD		232
#define FAKE_MAX_MSG		(62 * FAKE_PAYLOAD)
#define FAKE_MAX_MSGS		48
#define FAKE_API		0x21
#define FAKE_REQUEST		1
#define FAKE_REPLY		2
#define FAKE_NOTIFICATION	3

#define FAKE_VM_ALLOCATE	0x56000001
#define FAKE_VM_DEALLOCATE	0x56000002
#define FAKE_VM_START		0x56000004
#define FAKE_VM_STOP		0x56000005
#define FAKE_VM_RESET		0x56000006
#define FAKE_VM_CONFIG_IMAGE	0x56000009
#define FAKE_VM_INIT		0x5600000B
#define FAKE_VM_GET_HYP_RES	0x56000020
#define FAKE_VM_GET_VMID	0x56000024
#define FAKE_VM_SET_BOOT_CTX	0x56000031
#define FAKE_VM_SET_FW_MEM	0x56000032
#define FAKE_MEM_LEND		0x51000012
#define FAKE_MEM_SHARE		0x51000013
#define FAKE_MEM_RECLAIM	0x51000015
#define FAKE_MEM_APPEND		0x51000018
#define FAKE_NOTIF_VM_EXITED	0x56100001
#define FAKE_NOTIF_VM_STATUS	0x56100008

/* RM errors */
#define FAKE_E_NOMEM		0x1
#define FAKE_E_NORESOURCE	0x2
#define FAKE_E_DENIED		0x3
#define FAKE_E_ARG_INVALID	0x6
#define FAKE_E_MEM_INVALID	0xa
#define FAKE_E_MEM_INUSE	0xb
#define FAKE_E_VM_STATE		0x14
#define FAKE_E_UNIMPLEMENTED	0xffffffff

/* VM states */
#define FAKE_ST_RUNNING		3
#define FAKE_ST_INIT_FAILED	8
#define FAKE_ST_RESET		11

#define FAKE_VMID		0x80
#define FAKE_HOST_VMID		3
#define FAKE_HANDLE		0x5eed0001
#define FAKE_VCPU_CAP		0xca9000000001ULL
#define FAKE_VCPU_VIRQ		77
#define FAKE_BELL_CAP		0xbe1100000002ULL

struct fake_msg {
	u32 msg_id;
	size_t size;
	u8 *data;
};

/* Refuse requests number @nth to @nth + @count - 1 (from 0) of @msg_id */
struct fake_fail {
	u32 msg_id;
	unsigned int nth;
	unsigned int count;
	u32 error;
	unsigned int seen;
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

	/* Requests to refuse */
	struct fake_fail fails[2];
	/* Parcels created so far: the next handle is FAKE_HANDLE + this */
	unsigned int n_handles;
	/* Answer VM_SET_BOOT_CONTEXT; else UNIMPLEMENTED, as the OSS RM */
	bool boot_context_ok;
	/* Never send the VM_STATUS notification of a reset */
	bool no_reset_notif;
	/* Or send it this long after the reply, from reset_work */
	unsigned int reset_delay_ms;
	struct delayed_work reset_work;
	u16 reset_vmid;
	/* The vCPU's interrupt in VM_GET_HYP_RESOURCES */
	u32 vcpu_virq;
	/* A second entry: a doorbell source (interrupt 0), label 9 */
	bool bell_src;
	/* If set, VM_RESET records how many resources it still holds */
	struct gunyah_vm *vm;
	int resources_at_reset;
};

static void fake_send_msg(struct fake_rm *fake, u8 type, u32 msg_id,
			  const void *data, size_t size)
{
	u8 pkt[FAKE_HDR + FAKE_PAYLOAD];

	if (WARN_ON(size > FAKE_PAYLOAD))
		return;

	pkt[0] = FAKE_API;
	pkt[1] = type;
	put_unaligned_le16(type == FAKE_REPLY ? fake->seq : 0, pkt + 2);
	put_unaligned_le32(msg_id, pkt + 4);
	if (size)
		memcpy(pkt + FAKE_HDR, data, size);
	gunyah_rm_rx(fake->rm, pkt, FAKE_HDR + size);
}

static void fake_reply(struct fake_rm *fake, u32 error, const void *data,
		       size_t size)
{
	u8 payload[FAKE_PAYLOAD];

	if (WARN_ON(size > FAKE_PAYLOAD - 4))
		return;

	put_unaligned_le32(error, payload);
	if (size)
		memcpy(payload + 4, data, size);
	fake_send_msg(fake, FAKE_REPLY, fake->msg_id, payload, 4 + size);
}

static void fake_notify_status(struct fake_rm *fake, u16 vmid, u8 status)
{
	u8 payload[8] = { 0 };

	put_unaligned_le16(vmid, payload);
	payload[4] = status;
	fake_send_msg(fake, FAKE_NOTIFICATION, FAKE_NOTIF_VM_STATUS, payload,
		      sizeof(payload));
}

/* VM_EXITED with @reason_size bytes of reason, 0x11 0x22 ... */
static void fake_notify_exited(struct fake_rm *fake, u16 vmid, u16 type,
			       u32 reason_size)
{
	u8 payload[8 + 16] = { 0 };
	unsigned int i;

	put_unaligned_le16(vmid, payload);
	put_unaligned_le16(type, payload + 2);
	put_unaligned_le32(reason_size, payload + 4);
	for (i = 0; i < reason_size && i < 16; i++)
		payload[8 + i] = 0x11 * (i + 1);
	fake_send_msg(fake, FAKE_NOTIFICATION, FAKE_NOTIF_VM_EXITED, payload,
		      8 + min(reason_size, 16U));
}

/* The RM error with which to refuse the current request, or 0 */
static u32 fake_refusal(struct fake_rm *fake)
{
	unsigned int i, n;

	for (i = 0; i < ARRAY_SIZE(fake->fails); i++) {
		struct fake_fail *f = &fake->fails[i];

		if (!f->msg_id || f->msg_id != fake->msg_id)
			continue;
		n = f->seen++;
		if (n >= f->nth && n - f->nth < f->count)
			return f->error;
	}

	return 0;
}

static void fake_hyp_resources(struct fake_rm *fake)
{
	u8 reply[4 + 2 * 44] = { 0 };
	u8 *e = reply + 4;

	/* One vCPU: type 4, label 0 */
	put_unaligned_le32(fake->bell_src ? 2 : 1, reply);
	e[0] = 4;
	put_unaligned_le16(get_unaligned_le16(fake->buf), e + 2);
	put_unaligned_le64(FAKE_VCPU_CAP, e + 12);
	put_unaligned_le32(fake->vcpu_virq, e + 24);
	if (!fake->bell_src) {
		fake_reply(fake, 0, reply, 4 + 44);
		return;
	}

	/* A doorbell source: type 0, label 9, no interrupt (0) */
	e += 44;
	put_unaligned_le16(get_unaligned_le16(fake->buf), e + 2);
	put_unaligned_le32(9, e + 8);
	put_unaligned_le64(FAKE_BELL_CAP, e + 12);
	fake_reply(fake, 0, reply, sizeof(reply));
}

static void fake_answer(struct fake_rm *fake)
{
	u16 vmid = fake->size >= 2 ? get_unaligned_le16(fake->buf) : 0;
	u32 error;
	u8 word[4];

	if (fake->n_msgs < FAKE_MAX_MSGS) {
		struct fake_msg *m = &fake->msgs[fake->n_msgs];

		m->msg_id = fake->msg_id;
		m->size = fake->size;
		memcpy(m->data, fake->buf, fake->size);
	}
	fake->n_msgs++;

	error = fake_refusal(fake);
	if (error) {
		fake_reply(fake, error, NULL, 0);
		/* A VM that fails to start needs a reset */
		if (fake->msg_id == FAKE_VM_START)
			fake_notify_status(fake, vmid, FAKE_ST_INIT_FAILED);
		return;
	}

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
		put_unaligned_le32(FAKE_HANDLE + fake->n_handles++, word);
		fake_reply(fake, 0, word, sizeof(word));
		break;
	case FAKE_VM_GET_VMID:
		put_unaligned_le32(FAKE_HOST_VMID, word);
		fake_reply(fake, 0, word, sizeof(word));
		break;
	case FAKE_VM_GET_HYP_RES:
		fake_hyp_resources(fake);
		break;
	case FAKE_VM_SET_BOOT_CTX:
		fake_reply(fake, fake->boot_context_ok ? 0 : FAKE_E_UNIMPLEMENTED,
			   NULL, 0);
		break;
	case FAKE_VM_START:
		fake_reply(fake, 0, NULL, 0);
		fake_notify_status(fake, vmid, FAKE_ST_RUNNING);
		break;
	case FAKE_VM_STOP:
		fake_reply(fake, 0, NULL, 0);
		/* VM_STOP_FORCED, the common reason word */
		fake_notify_exited(fake, vmid, 7, 4);
		break;
	case FAKE_VM_RESET:
		if (fake->vm) {
			struct gunyah_resource *res;

			fake->resources_at_reset = 0;
			mutex_lock(&fake->vm->fns.lock);
			list_for_each_entry(res, &fake->vm->fns.resources, list)
				fake->resources_at_reset++;
			mutex_unlock(&fake->vm->fns.lock);
		}
		fake_reply(fake, 0, NULL, 0);
		if (fake->no_reset_notif)
			break;
		if (fake->reset_delay_ms) {
			fake->reset_vmid = vmid;
			schedule_delayed_work(&fake->reset_work,
					      msecs_to_jiffies(fake->reset_delay_ms));
			break;
		}
		fake_notify_status(fake, vmid, FAKE_ST_RESET);
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

/* The late VM_STATUS notification of a reset, as the real RM sends it */
static void fake_reset_work(struct work_struct *work)
{
	struct fake_rm *fake = container_of(to_delayed_work(work), struct fake_rm,
					    reset_work);

	fake_notify_status(fake, fake->reset_vmid, FAKE_ST_RESET);
}

static void fake_destroy(void *rm)
{
	gunyah_rm_destroy(rm);
}

static void fake_cancel_reset_work(void *fake)
{
	cancel_delayed_work_sync(&((struct fake_rm *)fake)->reset_work);
}

static void free_msgs(void *data)
{
	kvfree(data);
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
	data = kvmalloc_array(FAKE_MAX_MSGS, FAKE_MAX_MSG, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, data);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, free_msgs, data), 0);
	for (i = 0; i < FAKE_MAX_MSGS; i++)
		fake->msgs[i].data = data + i * FAKE_MAX_MSG;
	fake->test = test;
	fake->vcpu_virq = FAKE_VCPU_VIRQ;

	fake->rm = gunyah_rm_create(dev, &fake_ops, fake);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fake->rm);
	/* Released last: after the VMs of the test, which hold references */
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, fake_destroy,
							fake->rm), 0);
	/* A late notification goes before the RM does */
	INIT_DELAYED_WORK(&fake->reset_work, fake_reset_work);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, fake_cancel_reset_work,
							fake), 0);

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
			      u32 handle, unsigned int n_sgl, u8 flags)
{
	KUNIT_EXPECT_EQ(test, m->msg_id, FAKE_MEM_APPEND);
	KUNIT_ASSERT_EQ(test, m->size, 8 + 4 + n_sgl * 16);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(m->data), handle);
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
	expect_append_msg(test, &fake->msgs[2], FAKE_HANDLE + 1, 1, 0x1);

	/* 1025 lent: 512 + 512 without END + 1 with END, one ACL entry */
	r = make_scattered_region(test, GUNYAH_VM_MEM_LEND, 1025);
	p = build_parcel(test, r);
	KUNIT_ASSERT_EQ(test, gunyah_rm_mem_lend(fake->rm, p), 0);
	KUNIT_ASSERT_EQ(test, fake->n_msgs, 6);
	expect_create_msg(test, &fake->msgs[3], FAKE_MEM_LEND, 1, 512, 0x2);
	expect_append_msg(test, &fake->msgs[4], FAKE_HANDLE + 2, 512, 0);
	expect_append_msg(test, &fake->msgs[5], FAKE_HANDLE + 2, 1, 0x1);
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

	/* VM_ALLOCATE refused: the RM's error, logged, nothing else sent */
	KUNIT_EXPECT_EQ(test, gunyah_rm_refusals(fake->rm), 0);
	fake->alloc_error = 0x1;	/* NOMEM */
	KUNIT_EXPECT_EQ(test, PTR_ERR(gunyah_vm_alloc(fake->rm)), -ENOMEM);
	fake->alloc_error = 0x2;	/* NORESOURCE */
	KUNIT_EXPECT_EQ(test, PTR_ERR(gunyah_vm_alloc(fake->rm)), -ENODEV);
	KUNIT_EXPECT_EQ(test, fake->n_msgs, 4);
	KUNIT_EXPECT_EQ(test, gunyah_rm_refusals(fake->rm), 2);
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

/* ---------------------------------------------------------------------- */
/* Start, rollback and teardown                                           */

/* The VM of start_vm(): shared label 1, lent label 2, DTB in label 1 */
#define SHARED_GPA	0x80000000ULL
#define SHARED_PAGES	4
#define LENT_GPA	0x90000000ULL
#define LENT_PAGES	2
#define DTB_GPA		(SHARED_GPA + 0x1010)
#define DTB_SIZE	0x100
#define PC_VALUE	0x80200000ULL

/* A VM with a shared and a lent region, a DTB and a PC; not started */
static struct vm_ctx *make_start_vm(struct kunit *test)
{
	struct vm_ctx *ctx = make_vm(test);
	struct gunyah_vm *vm = ctx->vm;
	u32 pc_reg = GUNYAH_VM_BOOT_CONTEXT_REG(GUNYAH_VM_BOOT_CONTEXT_REG_SET_PC, 0);
	int pc = gunyah_vm_boot_context_index(pc_reg);

	KUNIT_ASSERT_EQ(test, add_region(ctx, GUNYAH_VM_MEM_SHARE, 1, SHARED_GPA,
					 0, SHARED_PAGES), 0);
	KUNIT_ASSERT_EQ(test, add_region(ctx, GUNYAH_VM_MEM_LEND, 2, LENT_GPA,
					 SHARED_PAGES, LENT_PAGES), 0);
	KUNIT_ASSERT_GE(test, pc, 0);

	mutex_lock(&vm->lock);
	vm->dtb_config.guest_phys_addr = DTB_GPA;
	vm->dtb_config.size = DTB_SIZE;
	vm->dtb_config_set = true;
	vm->boot_context[pc] = PC_VALUE;
	__set_bit(pc, vm->boot_context_set);
	mutex_unlock(&vm->lock);

	return ctx;
}

static int start_vm(struct gunyah_vm *vm)
{
	int ret;

	mutex_lock(&vm->lock);
	ret = gunyah_vm_start(vm);
	mutex_unlock(&vm->lock);
	return ret;
}

static struct gunyah_vm_mem_region *region_of(struct vm_ctx *ctx, u32 label)
{
	return xa_load(&ctx->vm->mem_labels, label);
}

/* The message IDs from msgs[@first] on are exactly @ids */
static void expect_msgs(struct kunit *test, unsigned int first,
			const u32 *ids, unsigned int n)
{
	struct fake_rm *fake = test->priv;
	unsigned int i;

	KUNIT_ASSERT_EQ_MSG(test, fake->n_msgs, first + n,
			    "%u requests, expected %u", fake->n_msgs, first + n);
	KUNIT_ASSERT_LE(test, first + n, FAKE_MAX_MSGS);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ_MSG(test, fake->msgs[first + i].msg_id, ids[i],
				    "request %u", first + i);
}

/* Each MEM_RECLAIM from msgs[@first] on names the next handle */
static void expect_reclaims(struct kunit *test, unsigned int first)
{
	struct fake_rm *fake = test->priv;
	u32 handle = FAKE_HANDLE;
	unsigned int i;

	for (i = first; i < fake->n_msgs && i < FAKE_MAX_MSGS; i++) {
		const struct fake_msg *m = &fake->msgs[i];

		if (m->msg_id != FAKE_MEM_RECLAIM)
			continue;
		KUNIT_ASSERT_EQ(test, m->size, 8);
		KUNIT_EXPECT_EQ(test, get_unaligned_le32(m->data), handle++);
		/* No SANITIZE flag */
		KUNIT_EXPECT_EQ(test, m->data[4], 0);
	}
}

static void expect_vmid_req(struct kunit *test, const struct fake_msg *m)
{
	KUNIT_ASSERT_EQ(test, m->size, 4);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(m->data), FAKE_VMID);
}

static void vm_start_sequence(struct kunit *test)
{
	static const u32 start[] = {
		FAKE_VM_GET_VMID, FAKE_MEM_SHARE, FAKE_MEM_LEND,
		FAKE_VM_CONFIG_IMAGE, FAKE_VM_INIT, FAKE_VM_SET_BOOT_CTX,
		FAKE_VM_GET_HYP_RES, FAKE_VM_START,
	};
	static const u32 teardown[] = {
		FAKE_VM_STOP, FAKE_VM_RESET, FAKE_MEM_RECLAIM, FAKE_MEM_RECLAIM,
		FAKE_VM_DEALLOCATE,
	};
	struct fake_rm *fake = test->priv;
	struct vm_ctx *ctx = make_start_vm(test);
	struct gunyah_vm *vm = ctx->vm;
	const struct gunyah_rm_hyp_resource *res;
	const struct fake_msg *m;
	struct page *page;

	KUNIT_ASSERT_EQ(test, start_vm(vm), 0);
	KUNIT_EXPECT_EQ(test, gunyah_vm_get_status(vm), GUNYAH_RM_VM_STATUS_RUNNING);
	/* After VM_ALLOCATE */
	expect_msgs(test, 1, start, ARRAY_SIZE(start));

	/* Shared (label 1): the VM RW, the host RWX; lent (2): the VM alone */
	m = &fake->msgs[2];
	KUNIT_ASSERT_GE(test, m->size, 20);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(m->data + 4), 1);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(m->data + 8), 2);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(m->data + 12), FAKE_VMID);
	KUNIT_EXPECT_EQ(test, m->data[14], 4 | 2);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(m->data + 16), FAKE_HOST_VMID);
	KUNIT_EXPECT_EQ(test, m->data[18], 7);
	m = &fake->msgs[3];
	KUNIT_ASSERT_GE(test, m->size, 16);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(m->data + 4), 2);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(m->data + 8), 1);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(m->data + 12), FAKE_VMID);
	KUNIT_EXPECT_EQ(test, region_of(ctx, 1)->mem_handle, FAKE_HANDLE);
	KUNIT_EXPECT_EQ(test, region_of(ctx, 2)->mem_handle, FAKE_HANDLE + 1);

	/* VM_CONFIG_IMAGE: the DTB's parcel, no image, size rounded up */
	m = &fake->msgs[4];
	KUNIT_ASSERT_EQ(test, m->size, 40);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(m->data), FAKE_VMID);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(m->data + 2), 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(m->data + 4), FAKE_HANDLE);
	KUNIT_EXPECT_EQ(test, get_unaligned_le64(m->data + 8), 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_le64(m->data + 16), 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_le64(m->data + 24), DTB_GPA - SHARED_GPA);
	KUNIT_EXPECT_EQ(test, get_unaligned_le64(m->data + 32), PAGE_SIZE);

	expect_vmid_req(test, &fake->msgs[5]);

	/* VM_SET_BOOT_CONTEXT: PC (set 1, index 0); UNIMPLEMENTED tolerated */
	m = &fake->msgs[6];
	KUNIT_ASSERT_EQ(test, m->size, 16);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(m->data), FAKE_VMID);
	KUNIT_EXPECT_EQ(test, m->data[2], 1);
	KUNIT_EXPECT_EQ(test, m->data[3], 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_le64(m->data + 8), PC_VALUE);

	expect_vmid_req(test, &fake->msgs[7]);
	expect_vmid_req(test, &fake->msgs[8]);

	/* The resources are kept */
	KUNIT_ASSERT_NOT_NULL(test, vm->resources);
	KUNIT_ASSERT_EQ(test, le32_to_cpu(vm->resources->n_entries), 1);
	res = &vm->resources->entries[0];
	KUNIT_EXPECT_EQ(test, res->type, 4);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(res->cap_id), FAKE_VCPU_CAP);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(res->virq), FAKE_VCPU_VIRQ);

	/* Teardown: stop by force, reset, reclaim each parcel, free the VMID */
	page = region_of(ctx, 2)->pages[0];
	get_page(page);
	release_vm(test, ctx);
	KUNIT_EXPECT_FALSE(test, pinned(page));
	put_page(page);
	expect_msgs(test, 1 + ARRAY_SIZE(start), teardown, ARRAY_SIZE(teardown));
	m = &fake->msgs[1 + ARRAY_SIZE(start)];
	KUNIT_ASSERT_EQ(test, m->size, 8);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(m->data), FAKE_VMID);
	KUNIT_EXPECT_EQ(test, m->data[2], 1);		/* FORCE */
	KUNIT_EXPECT_EQ(test, m->data[3], 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(m->data + 4), 3);
	expect_vmid_req(test, &fake->msgs[2 + ARRAY_SIZE(start)]);
	expect_reclaims(test, 1 + ARRAY_SIZE(start));
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(fake->msgs[fake->n_msgs - 1].data),
			FAKE_VMID);
}

static void vm_start_twice(struct kunit *test)
{
	struct fake_rm *fake = test->priv;
	struct vm_ctx *ctx = make_start_vm(test);
	unsigned int n;

	KUNIT_ASSERT_EQ(test, start_vm(ctx->vm), 0);
	n = fake->n_msgs;
	KUNIT_EXPECT_EQ(test, start_vm(ctx->vm), -EBUSY);
	KUNIT_EXPECT_EQ(test, fake->n_msgs, n);
	KUNIT_EXPECT_EQ(test, gunyah_vm_get_status(ctx->vm),
			GUNYAH_RM_VM_STATUS_RUNNING);
	release_vm(test, ctx);
}

/* Refused configurations: nothing is sent, the VM stays configurable */
static void vm_start_bad_config(struct kunit *test)
{
	struct fake_rm *fake = test->priv;
	struct vm_ctx *ctx = make_start_vm(test);
	struct gunyah_vm *vm = ctx->vm;
	static const struct {
		u64 gpa, size;
	} bad_dtb[] = {
		{ SHARED_GPA - 0x10, 0x100 },		/* starts before */
		{ SHARED_GPA + SHARED_PAGES * PAGE_SIZE - 0x10, 0x20 },
		{ SHARED_GPA, SHARED_PAGES * PAGE_SIZE + 1 },
		{ LENT_GPA + LENT_PAGES * PAGE_SIZE, 0x10 },	/* after */
		{ 0, 0x10 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_dtb); i++) {
		vm->dtb_config.guest_phys_addr = bad_dtb[i].gpa;
		vm->dtb_config.size = bad_dtb[i].size;
		KUNIT_EXPECT_EQ_MSG(test, start_vm(vm), -EINVAL, "DTB %u", i);
	}

	vm->dtb_config_set = false;
	KUNIT_EXPECT_EQ(test, start_vm(vm), -EINVAL);

	/* Firmware across the end of the lent region */
	vm->dtb_config_set = true;
	vm->dtb_config.guest_phys_addr = DTB_GPA;
	vm->dtb_config.size = DTB_SIZE;
	vm->fw_config.guest_phys_addr = LENT_GPA + PAGE_SIZE;
	vm->fw_config.size = LENT_PAGES * PAGE_SIZE;
	vm->fw_config_set = true;
	KUNIT_EXPECT_EQ(test, start_vm(vm), -EINVAL);

	KUNIT_EXPECT_EQ(test, fake->n_msgs, 1);
	KUNIT_EXPECT_EQ(test, gunyah_vm_get_status(vm), GUNYAH_RM_VM_STATUS_LOAD);

	/* Fixed, it starts */
	vm->fw_config_set = false;
	KUNIT_EXPECT_EQ(test, start_vm(vm), 0);
	release_vm(test, ctx);
}

/* A DTB near the end of its region: dt_size stops at the region's end */
static void vm_start_dtb_at_end(struct kunit *test)
{
	struct fake_rm *fake = test->priv;
	struct vm_ctx *ctx = make_start_vm(test);
	struct gunyah_vm *vm = ctx->vm;
	const struct fake_msg *m;

	vm->dtb_config.guest_phys_addr = SHARED_GPA + SHARED_PAGES * PAGE_SIZE - 0x800;
	vm->dtb_config.size = 0x10;
	KUNIT_ASSERT_EQ(test, start_vm(vm), 0);
	m = &fake->msgs[4];
	KUNIT_ASSERT_EQ(test, m->msg_id, FAKE_VM_CONFIG_IMAGE);
	KUNIT_EXPECT_EQ(test, get_unaligned_le64(m->data + 24),
			SHARED_PAGES * PAGE_SIZE - 0x800);
	KUNIT_EXPECT_EQ(test, get_unaligned_le64(m->data + 32), 0x800);
	release_vm(test, ctx);
}

static void vm_start_firmware(struct kunit *test)
{
	static const u32 start[] = {
		FAKE_VM_GET_VMID, FAKE_MEM_SHARE, FAKE_MEM_LEND,
		FAKE_VM_CONFIG_IMAGE, FAKE_VM_SET_FW_MEM, FAKE_VM_INIT,
		FAKE_VM_SET_BOOT_CTX, FAKE_VM_SET_BOOT_CTX,
		FAKE_VM_GET_HYP_RES, FAKE_VM_START,
	};
	struct fake_rm *fake = test->priv;
	struct vm_ctx *ctx = make_start_vm(test);
	struct gunyah_vm *vm = ctx->vm;
	const struct fake_msg *m;

	/* Firmware in the lent region; auth becomes Android pVM */
	vm->fw_config.guest_phys_addr = LENT_GPA + 0x100;
	vm->fw_config.size = 0x200;
	vm->fw_config_set = true;
	vm->auth = GUNYAH_RM_VM_AUTH_QCOM_ANDROID_PVM;
	/* And X0, sent before PC, both accepted */
	vm->boot_context[0] = 0x1234;
	__set_bit(0, vm->boot_context_set);
	fake->boot_context_ok = true;

	KUNIT_ASSERT_EQ(test, start_vm(vm), 0);
	expect_msgs(test, 1, start, ARRAY_SIZE(start));
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(fake->msgs[4].data + 2), 2);
	m = &fake->msgs[5];
	KUNIT_ASSERT_EQ(test, m->size, 24);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(m->data), FAKE_VMID);
	KUNIT_EXPECT_EQ(test, get_unaligned_le16(m->data + 2), 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_le32(m->data + 4), FAKE_HANDLE + 1);
	KUNIT_EXPECT_EQ(test, get_unaligned_le64(m->data + 8), 0x100);
	KUNIT_EXPECT_EQ(test, get_unaligned_le64(m->data + 16), 0x200);
	m = &fake->msgs[7];
	KUNIT_EXPECT_EQ(test, m->data[2], 0);
	KUNIT_EXPECT_EQ(test, m->data[3], 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_le64(m->data + 8), 0x1234);
	KUNIT_EXPECT_EQ(test, fake->msgs[8].data[2], 1);
	release_vm(test, ctx);
}

/*
 * A resource without an interrupt reaches the VM's functions, whether the
 * RM says so with 0 (a doorbell source) or with 0xffffffff (the real RM's
 * VIRQ_NUM_INVALID, for a vCPU that is not proxy-scheduled).
 */
static void vm_start_resources_without_irq(struct kunit *test)
{
	struct fake_rm *fake = test->priv;
	struct vm_ctx *ctx = make_start_vm(test);
	struct gunyah_vm *vm = ctx->vm;
	struct gunyah_resource *res, *vcpu = NULL, *bell = NULL;
	unsigned int n = 0;

	fake->vcpu_virq = 0xffffffff;
	fake->bell_src = true;
	KUNIT_ASSERT_EQ(test, start_vm(vm), 0);

	/* No ticket claims them: both wait on the VM's list */
	mutex_lock(&vm->fns.lock);
	list_for_each_entry(res, &vm->fns.resources, list) {
		n++;
		if (res->type == GUNYAH_RESOURCE_TYPE_VCPU)
			vcpu = res;
		else if (res->type == GUNYAH_RESOURCE_TYPE_BELL_TX)
			bell = res;
	}
	mutex_unlock(&vm->fns.lock);

	KUNIT_EXPECT_EQ(test, n, 2);
	KUNIT_ASSERT_NOT_NULL_MSG(test, vcpu, "the vCPU with interrupt 0xffffffff was dropped");
	KUNIT_EXPECT_EQ(test, vcpu->capid, FAKE_VCPU_CAP);
	KUNIT_EXPECT_EQ(test, vcpu->rm_label, 0);
	KUNIT_EXPECT_EQ(test, vcpu->irq, 0);
	KUNIT_ASSERT_NOT_NULL_MSG(test, bell, "the doorbell with interrupt 0 was dropped");
	KUNIT_EXPECT_EQ(test, bell->capid, FAKE_BELL_CAP);
	KUNIT_EXPECT_EQ(test, bell->rm_label, 9);
	KUNIT_EXPECT_EQ(test, bell->irq, 0);
	release_vm(test, ctx);
}

/*
 * The resources, and with them their IRQ mappings, are gone before
 * VM_RESET: after it the RM may give their interrupts to another VM, whose
 * mappings are keyed by the same interrupt numbers.
 */
static void vm_teardown_resources_before_reset(struct kunit *test)
{
	struct fake_rm *fake = test->priv;
	struct vm_ctx *ctx = make_start_vm(test);

	fake->vcpu_virq = 0xffffffff;
	fake->bell_src = true;
	KUNIT_ASSERT_EQ(test, start_vm(ctx->vm), 0);
	fake->vm = ctx->vm;
	fake->resources_at_reset = -1;
	release_vm(test, ctx);
	fake->vm = NULL;
	KUNIT_EXPECT_EQ_MSG(test, fake->resources_at_reset, 0,
			    "resources still held when VM_RESET was sent");
}

/* Only 0 and 0xffffffff mean "no interrupt" */
static void vm_resource_has_virq(struct kunit *test)
{
	struct gunyah_rm_hyp_resource e = { };
	static const u32 some[] = { 1, 32, 77, 1019, 4096, 0xfffffffe };
	unsigned int i;

	KUNIT_EXPECT_FALSE(test, gunyah_rm_resource_has_virq(&e));
	e.virq = cpu_to_le32(0xffffffff);
	KUNIT_EXPECT_FALSE(test, gunyah_rm_resource_has_virq(&e));
	for (i = 0; i < ARRAY_SIZE(some); i++) {
		e.virq = cpu_to_le32(some[i]);
		KUNIT_EXPECT_TRUE_MSG(test, gunyah_rm_resource_has_virq(&e), "virq %#x", some[i]);
	}
}

struct rollback_case {
	const char *name;
	u32 msg_id;
	u32 error;
	int ret;
	unsigned int n_msgs;
	u32 msgs[12];		/* from VM_GET_VMID on, rollback included */
};

/* Short names for the sequences below */
#define GETVMID		FAKE_VM_GET_VMID
#define SHARE		FAKE_MEM_SHARE
#define LEND		FAKE_MEM_LEND
#define CONFIG		FAKE_VM_CONFIG_IMAGE
#define INIT		FAKE_VM_INIT
#define BOOTCTX		FAKE_VM_SET_BOOT_CTX
#define HYPRES		FAKE_VM_GET_HYP_RES
#define START		FAKE_VM_START
#define RESET		FAKE_VM_RESET
#define RECLAIM		FAKE_MEM_RECLAIM

static const struct rollback_case rollback_cases[] = {
	{ "VM_GET_VMID", GETVMID, FAKE_E_NOMEM, -ENOMEM, 1, { GETVMID } },
	{ "MEM_SHARE", SHARE, FAKE_E_NOMEM, -ENOMEM, 2, { GETVMID, SHARE } },
	{ "MEM_LEND", LEND, FAKE_E_MEM_INVALID, -EINVAL, 4,
	  { GETVMID, SHARE, LEND, RECLAIM } },
	{ "VM_CONFIG_IMAGE", CONFIG, FAKE_E_ARG_INVALID, -EINVAL, 6,
	  { GETVMID, SHARE, LEND, CONFIG, RECLAIM, RECLAIM } },
	{ "VM_INIT", INIT, FAKE_E_ARG_INVALID, -EINVAL, 8,
	  { GETVMID, SHARE, LEND, CONFIG, INIT, RESET, RECLAIM, RECLAIM } },
	{ "VM_SET_BOOT_CONTEXT", BOOTCTX, FAKE_E_DENIED, -EPERM, 9,
	  { GETVMID, SHARE, LEND, CONFIG, INIT, BOOTCTX, RESET, RECLAIM,
	    RECLAIM } },
	{ "VM_GET_HYP_RESOURCES", HYPRES, FAKE_E_NORESOURCE, -ENODEV, 10,
	  { GETVMID, SHARE, LEND, CONFIG, INIT, BOOTCTX, HYPRES, RESET,
	    RECLAIM, RECLAIM } },
	{ "VM_START", START, FAKE_E_VM_STATE, -EBADMSG, 11,
	  { GETVMID, SHARE, LEND, CONFIG, INIT, BOOTCTX, HYPRES, START, RESET,
	    RECLAIM, RECLAIM } },
};

static void rollback_case_desc(const struct rollback_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s refused", c->name);
}

KUNIT_ARRAY_PARAM(rollback, rollback_cases, rollback_case_desc);

static void vm_start_rollback(struct kunit *test)
{
	static const u32 dealloc[] = { FAKE_VM_DEALLOCATE };
	const struct rollback_case *c = test->param_value;
	struct fake_rm *fake = test->priv;
	struct vm_ctx *ctx = make_start_vm(test);
	struct gunyah_vm *vm = ctx->vm;
	unsigned long refusals = gunyah_rm_refusals(fake->rm);

	/* So that the only refusal is the one of the case */
	fake->boot_context_ok = true;
	fake->fails[0] = (struct fake_fail){
		.msg_id = c->msg_id, .count = 1, .error = c->error,
	};
	KUNIT_EXPECT_EQ(test, start_vm(vm), c->ret);
	expect_msgs(test, 1, c->msgs, c->n_msgs);
	/* The refusal was logged, once: the VMM's errno does not say which */
	KUNIT_EXPECT_EQ(test, gunyah_rm_refusals(fake->rm) - refusals, 1);
	expect_reclaims(test, 1);

	KUNIT_EXPECT_EQ(test, gunyah_vm_get_status(vm),
			GUNYAH_RM_VM_STATUS_INIT_FAILED);
	KUNIT_EXPECT_EQ(test, region_of(ctx, 1)->mem_handle, GUNYAH_MEM_HANDLE_INVAL);
	KUNIT_EXPECT_EQ(test, region_of(ctx, 2)->mem_handle, GUNYAH_MEM_HANDLE_INVAL);
	KUNIT_EXPECT_NULL(test, vm->resources);

	/* Never again */
	KUNIT_EXPECT_EQ(test, start_vm(vm), -EBUSY);
	KUNIT_EXPECT_EQ(test, fake->n_msgs, 1 + c->n_msgs);

	/* Everything is back: the teardown only frees the VMID */
	release_vm(test, ctx);
	expect_msgs(test, 1 + c->n_msgs, dealloc, 1);
}

/* Pages that a test expects to leak: unpin and unaccount them at the end */
struct leak {
	struct page *pages[SHARED_PAGES + LENT_PAGES];
	unsigned int n;
};

static void leak_add(struct leak *leak, struct gunyah_vm_mem_region *region)
{
	unsigned long i;

	for (i = 0; i < region->nr_pages; i++)
		leak->pages[leak->n++] = region->pages[i];
}

/* Release the VM; @leak must stay pinned and accounted. Then clean up. */
static void release_vm_leaking(struct kunit *test, struct vm_ctx *ctx,
			       struct leak *leak)
{
	unsigned int i;

	kunit_release_action(test, put_vm, ctx->vm);
	KUNIT_EXPECT_EQ(test, current->mm->locked_vm, ctx->locked_vm + leak->n);
	for (i = 0; i < leak->n; i++)
		KUNIT_EXPECT_TRUE(test, pinned(leak->pages[i]));

	unpin_user_pages(leak->pages, leak->n);
	account_locked_vm(current->mm, leak->n, false);
}

static void vm_teardown_reclaim_refused(struct kunit *test)
{
	static const u32 teardown[] = {
		FAKE_VM_STOP, FAKE_VM_RESET, FAKE_MEM_RECLAIM, FAKE_MEM_RECLAIM,
	};
	struct fake_rm *fake = test->priv;
	struct vm_ctx *ctx = make_start_vm(test);
	struct leak leak = { };
	struct page *page;
	unsigned int n;

	KUNIT_ASSERT_EQ(test, start_vm(ctx->vm), 0);
	n = fake->n_msgs;

	/* The lent parcel stays in use: its pages leak, the VMID too */
	fake->fails[0] = (struct fake_fail){
		.msg_id = FAKE_MEM_RECLAIM, .nth = 1, .count = 1,
		.error = FAKE_E_MEM_INUSE,
	};
	leak_add(&leak, region_of(ctx, 2));
	page = region_of(ctx, 1)->pages[0];
	get_page(page);
	release_vm_leaking(test, ctx, &leak);
	KUNIT_EXPECT_FALSE(test, pinned(page));
	put_page(page);
	expect_msgs(test, n, teardown, ARRAY_SIZE(teardown));
	expect_reclaims(test, n);
}

/*
 * No RESET notification in time: the parcels are reclaimed all the same,
 * since the RM refuses the reclaim of a parcel the VM may still map. This
 * RM gives both back: nothing leaks, the VMID is freed.
 */
static void vm_teardown_reset_timeout(struct kunit *test)
{
	static const u32 teardown[] = {
		FAKE_VM_STOP, FAKE_VM_RESET, FAKE_MEM_RECLAIM, FAKE_MEM_RECLAIM,
		FAKE_VM_DEALLOCATE,
	};
	struct fake_rm *fake = test->priv;
	struct vm_ctx *ctx = make_start_vm(test);
	struct page *page;
	unsigned int n;

	KUNIT_ASSERT_EQ(test, start_vm(ctx->vm), 0);
	n = fake->n_msgs;

	fake->no_reset_notif = true;
	ctx->vm->reset_timeout = msecs_to_jiffies(50);
	page = region_of(ctx, 2)->pages[0];
	get_page(page);
	release_vm(test, ctx);
	KUNIT_EXPECT_FALSE(test, pinned(page));
	put_page(page);
	expect_msgs(test, n, teardown, ARRAY_SIZE(teardown));
	expect_reclaims(test, n);
}

/* The same, the RM keeping the lent parcel: that one leaks, and the VMID */
static void vm_teardown_reset_timeout_in_use(struct kunit *test)
{
	static const u32 teardown[] = {
		FAKE_VM_STOP, FAKE_VM_RESET, FAKE_MEM_RECLAIM, FAKE_MEM_RECLAIM,
	};
	struct fake_rm *fake = test->priv;
	struct vm_ctx *ctx = make_start_vm(test);
	struct leak leak = { };
	struct page *page;
	unsigned int n;

	KUNIT_ASSERT_EQ(test, start_vm(ctx->vm), 0);
	n = fake->n_msgs;

	fake->no_reset_notif = true;
	ctx->vm->reset_timeout = msecs_to_jiffies(50);
	fake->fails[0] = (struct fake_fail){
		.msg_id = FAKE_MEM_RECLAIM, .nth = 1, .count = 1,
		.error = FAKE_E_MEM_INUSE,
	};
	leak_add(&leak, region_of(ctx, 2));
	page = region_of(ctx, 1)->pages[0];
	get_page(page);
	release_vm_leaking(test, ctx, &leak);
	KUNIT_EXPECT_FALSE(test, pinned(page));
	put_page(page);
	expect_msgs(test, n, teardown, ARRAY_SIZE(teardown));
}

/*
 * The real RM takes seconds to reset a VM under QEMU: a RESET that comes
 * after more than 10 s is still waited for, with the default timeout.
 */
static void vm_teardown_slow_reset(struct kunit *test)
{
	static const u32 teardown[] = {
		FAKE_VM_STOP, FAKE_VM_RESET, FAKE_MEM_RECLAIM, FAKE_MEM_RECLAIM,
		FAKE_VM_DEALLOCATE,
	};
	struct fake_rm *fake = test->priv;
	struct vm_ctx *ctx = make_start_vm(test);
	unsigned long start;
	unsigned int n;

	KUNIT_ASSERT_EQ(test, start_vm(ctx->vm), 0);
	n = fake->n_msgs;

	fake->reset_delay_ms = 10500;
	start = jiffies;
	release_vm(test, ctx);
	KUNIT_EXPECT_GE(test, jiffies_to_msecs(jiffies - start), 10500);
	expect_msgs(test, n, teardown, ARRAY_SIZE(teardown));
}

/*
 * The last reference dropped by a VMM that was killed: SIGKILL pending. The
 * wait for the RESET must not give up, or the VM would leak.
 */
static void vm_teardown_killed(struct kunit *test)
{
	static const u32 teardown[] = {
		FAKE_VM_STOP, FAKE_VM_RESET, FAKE_MEM_RECLAIM, FAKE_MEM_RECLAIM,
		FAKE_VM_DEALLOCATE,
	};
	struct fake_rm *fake = test->priv;
	struct vm_ctx *ctx = make_start_vm(test);
	unsigned int n;

	KUNIT_ASSERT_EQ(test, start_vm(ctx->vm), 0);
	n = fake->n_msgs;

	fake->reset_delay_ms = 300;
	/* KUnit runs the test in a kernel thread, which ignores signals */
	allow_signal(SIGKILL);
	force_sig(SIGKILL);
	KUNIT_EXPECT_TRUE(test, fatal_signal_pending(current));
	release_vm(test, ctx);
	KUNIT_EXPECT_TRUE(test, fatal_signal_pending(current));
	flush_signals(current);
	disallow_signal(SIGKILL);
	expect_msgs(test, n, teardown, ARRAY_SIZE(teardown));
	expect_reclaims(test, n);
}

/*
 * VM_RESET refused: the reclaims are tried all the same. This RM gives the
 * memory back: nothing leaks.
 */
static void vm_teardown_reset_refused(struct kunit *test)
{
	static const u32 teardown[] = {
		FAKE_VM_STOP, FAKE_VM_RESET, FAKE_MEM_RECLAIM, FAKE_MEM_RECLAIM,
		FAKE_VM_DEALLOCATE,
	};
	struct fake_rm *fake = test->priv;
	struct vm_ctx *ctx = make_start_vm(test);
	unsigned int n;

	KUNIT_ASSERT_EQ(test, start_vm(ctx->vm), 0);
	n = fake->n_msgs;

	fake->fails[0] = (struct fake_fail){
		.msg_id = FAKE_VM_RESET, .count = 1, .error = FAKE_E_VM_STATE,
	};
	release_vm(test, ctx);
	expect_msgs(test, n, teardown, ARRAY_SIZE(teardown));
}

/* VM_RESET and the reclaims refused: everything leaks */
static void vm_teardown_reset_refused_in_use(struct kunit *test)
{
	static const u32 teardown[] = {
		FAKE_VM_STOP, FAKE_VM_RESET, FAKE_MEM_RECLAIM, FAKE_MEM_RECLAIM,
	};
	struct fake_rm *fake = test->priv;
	struct vm_ctx *ctx = make_start_vm(test);
	struct leak leak = { };
	unsigned int n;

	KUNIT_ASSERT_EQ(test, start_vm(ctx->vm), 0);
	n = fake->n_msgs;

	fake->fails[0] = (struct fake_fail){
		.msg_id = FAKE_VM_RESET, .count = 1, .error = FAKE_E_VM_STATE,
	};
	fake->fails[1] = (struct fake_fail){
		.msg_id = FAKE_MEM_RECLAIM, .count = 2, .error = FAKE_E_MEM_INUSE,
	};
	leak_add(&leak, region_of(ctx, 1));
	leak_add(&leak, region_of(ctx, 2));
	release_vm_leaking(test, ctx, &leak);
	expect_msgs(test, n, teardown, ARRAY_SIZE(teardown));
}

/*
 * VM_START and then the rollback's VM_RESET refused: the parcels stay given
 * to the VM. The release asks for the reset again, and gets everything back.
 */
static void vm_rollback_reset_refused(struct kunit *test)
{
	static const u32 tail[] = { FAKE_VM_START, FAKE_VM_RESET };
	static const u32 teardown[] = {
		FAKE_VM_RESET, FAKE_MEM_RECLAIM, FAKE_MEM_RECLAIM, FAKE_VM_DEALLOCATE,
	};
	struct fake_rm *fake = test->priv;
	struct vm_ctx *ctx = make_start_vm(test);
	unsigned int n;

	fake->fails[0] = (struct fake_fail){
		.msg_id = FAKE_VM_START, .count = 1, .error = FAKE_E_NOMEM,
	};
	fake->fails[1] = (struct fake_fail){
		.msg_id = FAKE_VM_RESET, .count = 1, .error = FAKE_E_VM_STATE,
	};
	KUNIT_EXPECT_EQ(test, start_vm(ctx->vm), -ENOMEM);
	KUNIT_EXPECT_EQ(test, gunyah_vm_get_status(ctx->vm),
			GUNYAH_RM_VM_STATUS_INIT_FAILED);
	KUNIT_EXPECT_EQ(test, region_of(ctx, 1)->mem_handle, FAKE_HANDLE);
	KUNIT_EXPECT_EQ(test, region_of(ctx, 2)->mem_handle, FAKE_HANDLE + 1);
	n = fake->n_msgs;
	expect_msgs(test, n - 2, tail, ARRAY_SIZE(tail));

	release_vm(test, ctx);
	expect_msgs(test, n, teardown, ARRAY_SIZE(teardown));
	expect_reclaims(test, n);
}

/*
 * A signal cuts the rollback's wait for the RESET short: START still
 * returns the RM's refusal, the parcels stay given, the vCPUs see
 * LOAD_FAILED even once the RESET came, and the release waits for the RESET
 * that is still on its way and reclaims everything, without a second
 * VM_RESET.
 */
static void vm_rollback_reset_interrupted(struct kunit *test)
{
	static const u32 tail[] = { FAKE_VM_INIT, FAKE_VM_RESET };
	static const u32 teardown[] = {
		FAKE_MEM_RECLAIM, FAKE_MEM_RECLAIM, FAKE_VM_DEALLOCATE,
	};
	struct fake_rm *fake = test->priv;
	struct vm_ctx *ctx = make_start_vm(test);
	struct gunyah_vm *vm = ctx->vm;
	struct gunyah_vm_exit_info info;
	enum gunyah_vm_status status;
	unsigned long start;
	unsigned int n;

	fake->fails[0] = (struct fake_fail){
		.msg_id = FAKE_VM_INIT, .count = 1, .error = FAKE_E_ARG_INVALID,
	};
	fake->reset_delay_ms = 500;
	allow_signal(SIGUSR1);
	send_sig(SIGUSR1, current, 0);
	start = jiffies;
	KUNIT_EXPECT_EQ(test, start_vm(vm), -EINVAL);
	KUNIT_EXPECT_LT(test, jiffies_to_msecs(jiffies - start), 500);
	flush_signals(current);
	disallow_signal(SIGUSR1);

	n = fake->n_msgs;
	expect_msgs(test, n - 2, tail, ARRAY_SIZE(tail));
	KUNIT_EXPECT_EQ(test, region_of(ctx, 1)->mem_handle, FAKE_HANDLE);
	KUNIT_EXPECT_EQ(test, region_of(ctx, 2)->mem_handle, FAKE_HANDLE + 1);

	/* The RESET comes: still a failed start for the vCPUs */
	KUNIT_ASSERT_TRUE(test, flush_delayed_work(&fake->reset_work));
	KUNIT_ASSERT_TRUE(test, wait_event_timeout(vm->status_wait,
						   vm->reset == GUNYAH_VM_RESET_DONE, HZ));
	KUNIT_ASSERT_TRUE(test, gunyah_vm_stopped(vm, &status, &info));
	KUNIT_EXPECT_EQ(test, status, GUNYAH_VM_STATUS_LOAD_FAILED);

	release_vm(test, ctx);
	expect_msgs(test, n, teardown, ARRAY_SIZE(teardown));
	expect_reclaims(test, n);
}

/* The same, with the release starting before the RESET comes */
static void vm_rollback_reset_interrupted_release_waits(struct kunit *test)
{
	static const u32 teardown[] = {
		FAKE_MEM_RECLAIM, FAKE_MEM_RECLAIM, FAKE_VM_DEALLOCATE,
	};
	struct fake_rm *fake = test->priv;
	struct vm_ctx *ctx = make_start_vm(test);
	unsigned int n;

	fake->fails[0] = (struct fake_fail){
		.msg_id = FAKE_VM_START, .count = 1, .error = FAKE_E_NORESOURCE,
	};
	fake->reset_delay_ms = 300;
	allow_signal(SIGUSR1);
	send_sig(SIGUSR1, current, 0);
	KUNIT_EXPECT_EQ(test, start_vm(ctx->vm), -ENODEV);
	flush_signals(current);
	disallow_signal(SIGUSR1);
	n = fake->n_msgs;
	KUNIT_EXPECT_EQ(test, fake->msgs[n - 1].msg_id, FAKE_VM_RESET);

	release_vm(test, ctx);
	expect_msgs(test, n, teardown, ARRAY_SIZE(teardown));
	expect_reclaims(test, n);
}

/* A VM that exited on its own is not stopped; its exit is recorded */
static void vm_teardown_exited(struct kunit *test)
{
	static const u32 teardown[] = {
		FAKE_VM_RESET, FAKE_MEM_RECLAIM, FAKE_MEM_RECLAIM,
		FAKE_VM_DEALLOCATE,
	};
	struct fake_rm *fake = test->priv;
	struct vm_ctx *ctx = make_start_vm(test);
	struct gunyah_vm *vm = ctx->vm;
	unsigned int i, n;

	KUNIT_ASSERT_EQ(test, start_vm(vm), 0);
	n = fake->n_msgs;

	/* Another VM's exit, then a malformed one, are ignored */
	fake_notify_exited(fake, FAKE_VMID + 1, 1, 4);
	fake_send_msg(fake, FAKE_NOTIFICATION, FAKE_NOTIF_VM_EXITED,
		      "\x80\x00\x01\x00\x08", 5);
	/* PSCI_POWER_OFF with 12 bytes of reason: 8 are kept */
	fake_notify_exited(fake, FAKE_VMID, 1, 12);
	KUNIT_ASSERT_TRUE(test, wait_event_timeout(vm->status_wait,
						   gunyah_vm_get_status(vm) ==
						   GUNYAH_RM_VM_STATUS_EXITED,
						   HZ));
	KUNIT_EXPECT_EQ(test, vm->exit_info.type, 1);
	KUNIT_EXPECT_EQ(test, vm->exit_info.reason_size, 8);
	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_EQ(test, vm->exit_info.reason[i], 0x11 * (i + 1));

	release_vm(test, ctx);
	expect_msgs(test, n, teardown, ARRAY_SIZE(teardown));
}

/* ---------------------------------------------------------------------- */
/* What the vCPUs use: ensure_started, stopped, wait                      */

/* The first VCPU_RUN starts the VM; later ones send nothing */
static void vm_ensure_started(struct kunit *test)
{
	struct fake_rm *fake = test->priv;
	struct vm_ctx *ctx = make_start_vm(test);
	struct gunyah_vm *vm = ctx->vm;
	struct gunyah_vm_exit_info info;
	enum gunyah_vm_status status;
	unsigned int n;

	KUNIT_EXPECT_FALSE(test, gunyah_vm_stopped(vm, &status, &info));
	KUNIT_ASSERT_EQ(test, gunyah_vm_ensure_started(vm), 0);
	KUNIT_EXPECT_EQ(test, gunyah_vm_get_status(vm), GUNYAH_RM_VM_STATUS_RUNNING);
	/* VM_ALLOCATE and the start */
	KUNIT_EXPECT_EQ(test, fake->n_msgs, 9);
	n = fake->n_msgs;
	KUNIT_EXPECT_EQ(test, gunyah_vm_ensure_started(vm), 0);
	KUNIT_EXPECT_EQ(test, fake->n_msgs, n);
	KUNIT_EXPECT_FALSE(test, gunyah_vm_stopped(vm, &status, &info));
	release_vm(test, ctx);
}

/* Refused before the RM sees it: the error each time, still configurable */
static void vm_ensure_started_no_dtb(struct kunit *test)
{
	struct fake_rm *fake = test->priv;
	struct vm_ctx *ctx = make_vm(test);
	struct gunyah_vm_exit_info info;
	enum gunyah_vm_status status;

	KUNIT_EXPECT_EQ(test, gunyah_vm_ensure_started(ctx->vm), -EINVAL);
	KUNIT_EXPECT_EQ(test, gunyah_vm_ensure_started(ctx->vm), -EINVAL);
	KUNIT_EXPECT_EQ(test, fake->n_msgs, 1);
	KUNIT_EXPECT_EQ(test, gunyah_vm_get_status(ctx->vm), GUNYAH_RM_VM_STATUS_LOAD);
	KUNIT_EXPECT_FALSE(test, gunyah_vm_stopped(ctx->vm, &status, &info));
	release_vm(test, ctx);
}

/* Refused by the RM: the error once, then LOAD_FAILED, never a new start */
static void vm_ensure_started_refused(struct kunit *test)
{
	struct fake_rm *fake = test->priv;
	struct vm_ctx *ctx = make_start_vm(test);
	struct gunyah_vm *vm = ctx->vm;
	struct gunyah_vm_exit_info info;
	enum gunyah_vm_status status;
	unsigned int n;

	fake->fails[0] = (struct fake_fail){
		.msg_id = FAKE_VM_INIT, .count = 1, .error = FAKE_E_ARG_INVALID,
	};
	KUNIT_EXPECT_EQ(test, gunyah_vm_ensure_started(vm), -EINVAL);
	n = fake->n_msgs;
	KUNIT_EXPECT_EQ(test, gunyah_vm_ensure_started(vm), 0);
	KUNIT_EXPECT_EQ(test, fake->n_msgs, n);

	memset(&info, 0xa5, sizeof(info));
	KUNIT_ASSERT_TRUE(test, gunyah_vm_stopped(vm, &status, &info));
	KUNIT_EXPECT_EQ(test, status, GUNYAH_VM_STATUS_LOAD_FAILED);
	KUNIT_EXPECT_EQ(test, info.type, 0);
	KUNIT_EXPECT_EQ(test, info.reason_size, 0);
	release_vm(test, ctx);
}

/* An exit: EXITED with the RM's exit type and reason */
static void vm_stopped_exited(struct kunit *test)
{
	struct fake_rm *fake = test->priv;
	struct vm_ctx *ctx = make_start_vm(test);
	struct gunyah_vm *vm = ctx->vm;
	struct gunyah_vm_exit_info info;
	enum gunyah_vm_status status;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, start_vm(vm), 0);
	/* PSCI_SYSTEM_RESET, 4 bytes of reason; handled by a work item */
	fake_notify_exited(fake, FAKE_VMID, 2, 4);
	KUNIT_ASSERT_TRUE(test, wait_event_timeout(vm->status_wait,
						   gunyah_vm_stopped(vm, &status, &info),
						   HZ));
	KUNIT_EXPECT_EQ(test, status, GUNYAH_VM_STATUS_EXITED);
	KUNIT_EXPECT_EQ(test, info.type, 2);
	KUNIT_EXPECT_EQ(test, info.reason_size, 4);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, info.reason[i], 0x11 * (i + 1));
	release_vm(test, ctx);
}

/* Sets a condition and wakes its wait queue, from a work item */
struct waker {
	struct delayed_work work;
	wait_queue_head_t wq;
	bool cond;
};

static void waker_fn(struct work_struct *work)
{
	struct waker *w = container_of(to_delayed_work(work), struct waker, work);

	WRITE_ONCE(w->cond, true);
	wake_up(&w->wq);
}

static bool waker_cond(void *data)
{
	struct waker *w = data;

	return READ_ONCE(w->cond);
}

/* Signals a test that sleeps too long, so that it fails instead of hanging */
struct watchdog {
	struct delayed_work work;
	struct task_struct *task;
};

static void watchdog_fn(struct work_struct *work)
{
	struct watchdog *wd = container_of(to_delayed_work(work), struct watchdog, work);

	send_sig(SIGUSR1, wd->task, 0);
}

static void watchdog_arm(struct watchdog *wd)
{
	schedule_delayed_work(&wd->work, 2 * HZ);
}

static void watchdog_disarm(struct watchdog *wd)
{
	cancel_delayed_work_sync(&wd->work);
	flush_signals(current);
}

/* gunyah_vm_wait(): ends on the condition, on an exit, or on a signal */
static void vm_wait(struct kunit *test)
{
	struct fake_rm *fake = test->priv;
	struct vm_ctx *ctx = make_start_vm(test);
	struct gunyah_vm *vm = ctx->vm;
	struct waker w = { .cond = true };
	struct watchdog wd = { .task = current };
	int ret;

	init_waitqueue_head(&w.wq);
	INIT_DELAYED_WORK_ONSTACK(&w.work, waker_fn);
	INIT_DELAYED_WORK_ONSTACK(&wd.work, watchdog_fn);
	/* KUnit runs the test in a kernel thread, which ignores signals */
	allow_signal(SIGUSR1);
	KUNIT_ASSERT_EQ(test, start_vm(vm), 0);

	/* The condition holds: no sleep */
	watchdog_arm(&wd);
	KUNIT_EXPECT_EQ(test, gunyah_vm_wait(vm, &w.wq, waker_cond, &w), 0);
	watchdog_disarm(&wd);

	/* Asleep until the other wait queue's waker sets the condition */
	w.cond = false;
	schedule_delayed_work(&w.work, msecs_to_jiffies(20));
	watchdog_arm(&wd);
	KUNIT_EXPECT_EQ(test, gunyah_vm_wait(vm, &w.wq, waker_cond, &w), 0);
	watchdog_disarm(&wd);
	KUNIT_EXPECT_TRUE(test, READ_ONCE(w.cond));
	flush_delayed_work(&w.work);

	/* A pending signal ends the sleep at once; the waker only ends a failure */
	w.cond = false;
	schedule_delayed_work(&w.work, 2 * HZ);
	send_sig(SIGUSR1, current, 0);
	ret = gunyah_vm_wait(vm, &w.wq, waker_cond, &w);
	cancel_delayed_work_sync(&w.work);
	KUNIT_ASSERT_EQ(test, ret, -ERESTARTSYS);
	KUNIT_EXPECT_EQ(test, gunyah_vm_wait(vm, NULL, NULL, NULL), -ERESTARTSYS);
	flush_signals(current);
	w.cond = false;

	/* Asleep until the VM exits: the notification's work item wakes it */
	fake_notify_exited(fake, FAKE_VMID, 1, 4);
	watchdog_arm(&wd);
	KUNIT_EXPECT_EQ(test, gunyah_vm_wait(vm, &w.wq, waker_cond, &w), 0);
	KUNIT_EXPECT_EQ(test, gunyah_vm_wait(vm, NULL, NULL, NULL), 0);
	watchdog_disarm(&wd);
	KUNIT_EXPECT_FALSE(test, w.cond);
	KUNIT_EXPECT_EQ(test, gunyah_vm_get_status(vm), GUNYAH_RM_VM_STATUS_EXITED);

	disallow_signal(SIGUSR1);
	destroy_delayed_work_on_stack(&wd.work);
	destroy_delayed_work_on_stack(&w.work);
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
	KUNIT_CASE(vm_start_sequence),
	KUNIT_CASE(vm_start_twice),
	KUNIT_CASE(vm_start_bad_config),
	KUNIT_CASE(vm_start_dtb_at_end),
	KUNIT_CASE(vm_start_firmware),
	KUNIT_CASE(vm_start_resources_without_irq),
	KUNIT_CASE(vm_resource_has_virq),
	KUNIT_CASE(vm_teardown_resources_before_reset),
	KUNIT_CASE_PARAM(vm_start_rollback, rollback_gen_params),
	KUNIT_CASE(vm_teardown_reclaim_refused),
	KUNIT_CASE(vm_teardown_reset_timeout),
	KUNIT_CASE(vm_teardown_reset_timeout_in_use),
	KUNIT_CASE_SLOW(vm_teardown_slow_reset),
	KUNIT_CASE(vm_teardown_killed),
	KUNIT_CASE(vm_teardown_reset_refused),
	KUNIT_CASE(vm_teardown_reset_refused_in_use),
	KUNIT_CASE(vm_rollback_reset_refused),
	KUNIT_CASE(vm_rollback_reset_interrupted),
	KUNIT_CASE(vm_rollback_reset_interrupted_release_waits),
	KUNIT_CASE(vm_teardown_exited),
	KUNIT_CASE(vm_ensure_started),
	KUNIT_CASE(vm_ensure_started_no_dtb),
	KUNIT_CASE(vm_ensure_started_refused),
	KUNIT_CASE(vm_stopped_exited),
	KUNIT_CASE(vm_wait),
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
