// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of VM functions (vm_mgr_fn.c): the registry of function
 * kinds, adding and removing instances, resource tickets, and the order
 * and matching of in-kernel MMIO handlers. Runs anywhere.
 */

#include <kunit/test.h>
#include <linux/gunyah_vm_mgr.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "vm_mgr_fn.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/* Types no real function uses. */
#define TEST_FN_TYPE	0x7fff0001
#define TEST_FN_TYPE2	0x7fff0002

static int binds, unbinds;

static long test_bind(struct gunyah_vm_function_instance *f)
{
	u32 v = *(u32 *)f->argp;

	if (v == 0xbad)
		return -EINVAL;
	binds++;
	f->data = f->argp;		/* unique, for removal by data */
	return v == 0x1d ? 7 : 0;	/* as a vCPU returns its fd */
}

static void test_unbind(struct gunyah_vm_function_instance *f)
{
	unbinds++;
}

static bool test_compare(const struct gunyah_vm_function_instance *f, const void *arg,
			 size_t size)
{
	return size == f->arg_size && !memcmp(arg, f->argp, size);
}

static struct gunyah_vm_function test_fn = {
	.type = TEST_FN_TYPE,
	.name = "test",
	.mod = THIS_MODULE,
	.bind = test_bind,
	.unbind = test_unbind,
	.compare = test_compare,
};

static void *argdup(struct kunit *test, u32 v)
{
	u32 *p = kmalloc(sizeof(*p), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	*p = v;
	return p;
}

static void fn_registry(struct kunit *test)
{
	struct gunyah_vm_function dup = test_fn, bad = test_fn;
	struct gunyah_vm_function *fn;

	KUNIT_ASSERT_EQ(test, gunyah_vm_function_register(&test_fn), 0);
	KUNIT_EXPECT_EQ(test, gunyah_vm_function_register(&dup), -EEXIST);
	bad.type = 0;
	KUNIT_EXPECT_EQ(test, gunyah_vm_function_register(&bad), -EINVAL);
	bad.type = TEST_FN_TYPE2;
	bad.compare = NULL;
	KUNIT_EXPECT_EQ(test, gunyah_vm_function_register(&bad), -EINVAL);

	fn = gunyah_vm_function_get(TEST_FN_TYPE);
	KUNIT_EXPECT_PTR_EQ(test, fn, &test_fn);
	if (fn)
		gunyah_vm_function_put(fn);
	/* Unregistering someone else's entry does nothing. */
	gunyah_vm_function_unregister(&dup);
	KUNIT_EXPECT_PTR_EQ(test, gunyah_vm_function_get(TEST_FN_TYPE), &test_fn);
	gunyah_vm_function_put(&test_fn);
	gunyah_vm_function_unregister(&test_fn);
	/* No module provides this type: nothing to autoload. */
	KUNIT_EXPECT_NULL(test, gunyah_vm_function_get(TEST_FN_TYPE));
}

static void fn_add_and_remove(struct kunit *test)
{
	struct gunyah_vm_fns fns;
	u32 key;
	void *a;

	gunyah_fns_init(&fns, NULL);
	binds = 0;
	unbinds = 0;
	/* An unknown type leaves the argument with the caller too. */
	a = argdup(test, 1);
	KUNIT_EXPECT_EQ(test, gunyah_fns_add_function(&fns, TEST_FN_TYPE, a, 4), -ENOENT);
	kfree(a);
	KUNIT_ASSERT_EQ(test, gunyah_vm_function_register(&test_fn), 0);

	KUNIT_EXPECT_EQ(test, gunyah_fns_add_function(&fns, TEST_FN_TYPE, argdup(test, 1), 4),
			0);
	KUNIT_EXPECT_EQ(test, gunyah_fns_add_function(&fns, TEST_FN_TYPE, argdup(test, 0x1d),
						      4), 7);
	/* A failed bind leaves the argument with the caller. */
	a = argdup(test, 0xbad);
	KUNIT_EXPECT_EQ(test, gunyah_fns_add_function(&fns, TEST_FN_TYPE, a, 4), -EINVAL);
	kfree(a);
	KUNIT_EXPECT_EQ(test, binds, 2);

	key = 0x1d;
	KUNIT_EXPECT_EQ(test, gunyah_fns_remove_function(&fns, TEST_FN_TYPE, &key, 4), 0);
	KUNIT_EXPECT_EQ(test, gunyah_fns_remove_function(&fns, TEST_FN_TYPE, &key, 4), -ENOENT);
	KUNIT_EXPECT_EQ(test, gunyah_fns_remove_function(&fns, TEST_FN_TYPE2, &key, 4), -ENOENT);
	KUNIT_EXPECT_EQ(test, unbinds, 1);
	gunyah_fns_remove_all_functions(&fns);
	KUNIT_EXPECT_EQ(test, unbinds, 2);
	KUNIT_EXPECT_TRUE(test, list_empty(&fns.functions));
	gunyah_vm_function_unregister(&test_fn);
}

/* An instance removes itself, as an irqfd whose eventfd was closed. */
static void fn_remove_by_data(struct kunit *test)
{
	struct gunyah_vm_fns fns;
	void *a, *b;
	u32 key;

	gunyah_fns_init(&fns, NULL);
	unbinds = 0;
	KUNIT_ASSERT_EQ(test, gunyah_vm_function_register(&test_fn), 0);
	a = argdup(test, 1);
	b = argdup(test, 2);
	KUNIT_ASSERT_EQ(test, gunyah_fns_add_function(&fns, TEST_FN_TYPE, a, 4), 0);
	KUNIT_ASSERT_EQ(test, gunyah_fns_add_function(&fns, TEST_FN_TYPE, b, 4), 0);

	KUNIT_EXPECT_EQ(test, gunyah_fns_remove_function_data(&fns, NULL), -ENOENT);
	KUNIT_EXPECT_EQ(test, gunyah_fns_remove_function_data(&fns, &key), -ENOENT);
	KUNIT_EXPECT_EQ(test, unbinds, 0);
	KUNIT_EXPECT_EQ(test, gunyah_fns_remove_function_data(&fns, a), 0);
	KUNIT_EXPECT_EQ(test, unbinds, 1);
	/* The other one is still there, and REMOVE_FUNCTION finds it. */
	key = 2;
	KUNIT_EXPECT_EQ(test, gunyah_fns_remove_function(&fns, TEST_FN_TYPE, &key, 4), 0);
	KUNIT_EXPECT_EQ(test, unbinds, 2);
	KUNIT_EXPECT_TRUE(test, list_empty(&fns.functions));
	gunyah_vm_function_unregister(&test_fn);
}

static int populated, unpopulated;

static bool test_populate(struct gunyah_vm_resource_ticket *t, struct gunyah_resource *res)
{
	/* Refuses capability 99, as a function whose resource is unusable. */
	if (res->capid == 99)
		return false;
	populated++;
	return true;
}

static void test_unpopulate(struct gunyah_vm_resource_ticket *t, struct gunyah_resource *res)
{
	unpopulated++;
}

static void fn_tickets(struct kunit *test)
{
	struct gunyah_resource r[4] = {
		{ .type = GUNYAH_RESOURCE_TYPE_BELL_TX, .capid = 1, .rm_label = 5 },
		{ .type = GUNYAH_RESOURCE_TYPE_BELL_TX, .capid = 2, .rm_label = 6 },
		{ .type = GUNYAH_RESOURCE_TYPE_VCPU, .capid = 3, .rm_label = 5 },
		{ .type = GUNYAH_RESOURCE_TYPE_BELL_TX, .capid = 99, .rm_label = 7 },
	};
	struct gunyah_vm_resource_ticket t5 = {
		.resource_type = GUNYAH_RESOURCE_TYPE_BELL_TX, .label = 5,
		.owner = THIS_MODULE, .populate = test_populate, .unpopulate = test_unpopulate,
	};
	struct gunyah_vm_resource_ticket t6 = t5, t7 = t5, dup = t5;
	struct gunyah_resource *res;
	struct gunyah_vm_fns fns;
	LIST_HEAD(all);
	int i, n = 0;

	t6.label = 6;
	t7.label = 7;
	gunyah_fns_init(&fns, NULL);
	populated = 0;
	unpopulated = 0;

	/* A ticket before its resource, and one after. */
	KUNIT_ASSERT_EQ(test, gunyah_fns_add_ticket(&fns, &t5), 0);
	KUNIT_EXPECT_EQ(test, gunyah_fns_add_ticket(&fns, &dup), -EEXIST);
	for (i = 0; i < 4; i++)
		gunyah_fns_add_resource(&fns, &r[i]);
	KUNIT_EXPECT_EQ(test, populated, 1);
	KUNIT_EXPECT_TRUE(test, list_is_singular(&t5.resources));
	KUNIT_ASSERT_EQ(test, gunyah_fns_add_ticket(&fns, &t6), 0);
	KUNIT_EXPECT_EQ(test, populated, 2);
	KUNIT_EXPECT_PTR_EQ(test, list_first_entry(&t6.resources, struct gunyah_resource, list),
			    &r[1]);
	/* A populate that refuses leaves the resource unclaimed. */
	KUNIT_ASSERT_EQ(test, gunyah_fns_add_ticket(&fns, &t7), 0);
	KUNIT_EXPECT_TRUE(test, list_empty(&t7.resources));

	/* Removing a ticket gives its resource back, to be claimed again. */
	gunyah_fns_remove_ticket(&fns, &t6);
	KUNIT_EXPECT_EQ(test, unpopulated, 1);
	KUNIT_ASSERT_EQ(test, gunyah_fns_add_ticket(&fns, &t6), 0);
	KUNIT_EXPECT_EQ(test, populated, 3);

	gunyah_fns_take_resources(&fns, &all);
	list_for_each_entry(res, &all, list)
		n++;
	KUNIT_EXPECT_EQ(test, n, 4);
	KUNIT_EXPECT_EQ(test, unpopulated, 3);
	gunyah_fns_remove_ticket(&fns, &t5);
	gunyah_fns_remove_ticket(&fns, &t6);
	gunyah_fns_remove_ticket(&fns, &t7);
	KUNIT_EXPECT_EQ(test, unpopulated, 3);
}

static u64 last_write;

static int test_write(struct gunyah_vm_io_handler *io, u64 addr, u32 len, u64 data)
{
	last_write = io->addr + (u64)io->len * 0x100 + io->data;
	return 0;
}

static const struct gunyah_vm_io_handler_ops test_io_ops = { .write = test_write };

static void fn_io_handlers(struct kunit *test)
{
	struct gunyah_vm_io_handler h[] = {
		{ .addr = 0x1000, .len = 4, .ops = &test_io_ops },
		{ .addr = 0x2000, .len = 4, .datamatch = true, .data = 1, .ops = &test_io_ops },
		{ .addr = 0x2000, .len = 4, .datamatch = true, .data = 2, .ops = &test_io_ops },
		{ .addr = 0x2000, .len = 8, .ops = &test_io_ops },
		{ .addr = 0x3000, .len = 0, .ops = &test_io_ops },
	};
	struct gunyah_vm_io_handler clash[] = {
		{ .addr = 0x1000, .len = 0 },				/* any length */
		{ .addr = 0x1000, .len = 4, .datamatch = true, .data = 9 },
		{ .addr = 0x2000, .len = 4 },				/* any data */
		{ .addr = 0x3000, .len = 2 },
	};
	struct gunyah_vm_io_handler bad[] = {
		{ .addr = 0x4000, .len = 3 },
		{ .addr = 0x4000, .len = 16 },
		{ .addr = 0x4000, .len = 0, .datamatch = true },
	};
	struct gunyah_vm_fns fns;
	int i;

	gunyah_fns_init(&fns, NULL);
	for (i = 0; i < ARRAY_SIZE(h); i++)
		KUNIT_ASSERT_EQ(test, gunyah_fns_add_io_handler(&fns, &h[i]), 0);
	for (i = 0; i < ARRAY_SIZE(clash); i++)
		KUNIT_EXPECT_EQ(test, gunyah_fns_add_io_handler(&fns, &clash[i]), -EEXIST);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ(test, gunyah_fns_add_io_handler(&fns, &bad[i]), -EINVAL);

	/* Each access finds the one handler that takes it, or none. */
	KUNIT_EXPECT_EQ(test, gunyah_fns_mmio_write(&fns, 0x1000, 4, 77), 0);
	KUNIT_EXPECT_EQ(test, last_write, 0x1400);
	KUNIT_EXPECT_EQ(test, gunyah_fns_mmio_write(&fns, 0x1000, 2, 77), -ENODEV);
	KUNIT_EXPECT_EQ(test, gunyah_fns_mmio_write(&fns, 0x2000, 4, 2), 0);
	KUNIT_EXPECT_EQ(test, last_write, 0x2402);
	KUNIT_EXPECT_EQ(test, gunyah_fns_mmio_write(&fns, 0x2000, 4, 3), -ENODEV);
	KUNIT_EXPECT_EQ(test, gunyah_fns_mmio_write(&fns, 0x2000, 8, 3), 0);
	KUNIT_EXPECT_EQ(test, last_write, 0x2800);
	KUNIT_EXPECT_EQ(test, gunyah_fns_mmio_write(&fns, 0x3000, 1, 5), 0);
	KUNIT_EXPECT_EQ(test, last_write, 0x3000);
	KUNIT_EXPECT_EQ(test, gunyah_fns_mmio_write(&fns, 0x3004, 4, 5), -ENODEV);

	gunyah_fns_remove_io_handler(&fns, &h[2]);
	KUNIT_EXPECT_EQ(test, gunyah_fns_mmio_write(&fns, 0x2000, 4, 2), -ENODEV);
	KUNIT_EXPECT_EQ(test, gunyah_fns_mmio_write(&fns, 0x2000, 4, 1), 0);
	for (i = 0; i < ARRAY_SIZE(h); i++)
		if (i != 2)
			gunyah_fns_remove_io_handler(&fns, &h[i]);
	KUNIT_EXPECT_TRUE(test, RB_EMPTY_ROOT(&fns.io_handlers));
}

/*
 * Many handlers added in a scrambled order: the tree stays ordered, every
 * access finds its own handler, and removing half of them in another
 * order leaves the others found.
 */
static void fn_io_handlers_many(struct kunit *test)
{
	static const u8 lens[] = { 1, 2, 4, 8 };
	struct gunyah_vm_io_handler *h;
	struct gunyah_vm_fns fns;
	const int n = 96;
	int i, j;

	h = kunit_kcalloc(test, n, sizeof(*h), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h);
	/* 8 addresses x 4 lengths x 3 data values, all distinct keys */
	for (i = 0; i < n; i++)
		h[i] = (struct gunyah_vm_io_handler){
			.addr = 0x10000 - (i / 12) * 0x10,
			.len = lens[(i / 3) % 4],
			.datamatch = true,
			.data = i % 3,
			.ops = &test_io_ops,
		};
	gunyah_fns_init(&fns, NULL);
	/* 37 is prime to 96: each index once */
	for (i = 0, j = 0; i < n; i++, j = (j + 37) % n)
		KUNIT_ASSERT_EQ(test, gunyah_fns_add_io_handler(&fns, &h[j]), 0);
	for (i = 0; i < n; i++) {
		const struct gunyah_vm_io_handler *k = &h[i];

		last_write = 0;
		KUNIT_EXPECT_EQ(test, gunyah_fns_mmio_write(&fns, k->addr, k->len, k->data), 0);
		KUNIT_EXPECT_EQ(test, last_write, k->addr + k->len * 0x100 + k->data);
		KUNIT_EXPECT_EQ(test, gunyah_fns_mmio_write(&fns, k->addr, k->len, 3), -ENODEV);
	}
	/* A wildcard length at a taken address clashes with all of them */
	KUNIT_EXPECT_EQ(test, gunyah_fns_add_io_handler(&fns, &(struct gunyah_vm_io_handler){
		.addr = h[50].addr, .ops = &test_io_ops }), -EEXIST);

	for (i = 0, j = 5; i < n / 2; i++, j = (j + 2) % n)
		gunyah_fns_remove_io_handler(&fns, &h[j]);
	for (i = 0; i < n; i++) {
		int expect = i % 2 ? -ENODEV : 0;

		KUNIT_EXPECT_EQ(test, gunyah_fns_mmio_write(&fns, h[i].addr, h[i].len, h[i].data),
				expect);
	}
	for (i = 0; i < n; i += 2)
		gunyah_fns_remove_io_handler(&fns, &h[i]);
	KUNIT_EXPECT_TRUE(test, RB_EMPTY_ROOT(&fns.io_handlers));
}

/* A function that claims a resource while it binds, as a vCPU does. */
static struct gunyah_vm_fns *ticket_fns;
static struct gunyah_vm_resource_ticket bind_ticket;

static bool noop_populate(struct gunyah_vm_resource_ticket *t, struct gunyah_resource *res)
{
	return true;
}

static void noop_unpopulate(struct gunyah_vm_resource_ticket *t, struct gunyah_resource *res)
{
}

static long ticket_bind(struct gunyah_vm_function_instance *f)
{
	bind_ticket = (struct gunyah_vm_resource_ticket){
		.resource_type = GUNYAH_RESOURCE_TYPE_VCPU, .label = 0, .owner = THIS_MODULE,
		.populate = noop_populate, .unpopulate = noop_unpopulate,
	};
	return gunyah_fns_add_ticket(ticket_fns, &bind_ticket);
}

static void ticket_unbind(struct gunyah_vm_function_instance *f)
{
	gunyah_fns_remove_ticket(ticket_fns, &bind_ticket);
}

static void fn_bind_adds_ticket(struct kunit *test)
{
	struct gunyah_vm_function fn = test_fn;
	struct gunyah_vm_fns fns;
	u32 key = 0;

	fn.type = TEST_FN_TYPE2;
	fn.bind = ticket_bind;
	fn.unbind = ticket_unbind;
	gunyah_fns_init(&fns, NULL);
	ticket_fns = &fns;
	KUNIT_ASSERT_EQ(test, gunyah_vm_function_register(&fn), 0);
	KUNIT_EXPECT_EQ(test, gunyah_fns_add_function(&fns, TEST_FN_TYPE2, argdup(test, 0), 4),
			0);
	KUNIT_EXPECT_TRUE(test, list_is_singular(&fns.tickets));
	KUNIT_EXPECT_EQ(test, gunyah_fns_remove_function(&fns, TEST_FN_TYPE2, &key, 4), 0);
	KUNIT_EXPECT_TRUE(test, list_empty(&fns.tickets));
	gunyah_vm_function_unregister(&fn);
}

static struct kunit_case gunyah_vm_fn_test_cases[] = {
	KUNIT_CASE(fn_bind_adds_ticket),
	KUNIT_CASE(fn_registry),
	KUNIT_CASE(fn_add_and_remove),
	KUNIT_CASE(fn_tickets),
	KUNIT_CASE(fn_remove_by_data),
	KUNIT_CASE(fn_io_handlers),
	KUNIT_CASE(fn_io_handlers_many),
	{}
};

static struct kunit_suite gunyah_vm_fn_test_suite = {
	.name = "gunyah_vm_fn",
	.test_cases = gunyah_vm_fn_test_cases,
};

kunit_test_suite(gunyah_vm_fn_test_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of Gunyah VM functions");
