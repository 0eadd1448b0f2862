// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of irqfds (gunyah_irqfd.c): when the doorbell is rung (a
 * signal before the VM starts is rung at start, LEVEL sets the doorbell's
 * masks) and the lifetime of an irqfd whose eventfd is closed first, or
 * whose VM goes first. A real VM object without a Resource Manager holds
 * the functions and tickets; the doorbell hypercalls are fakes, and a
 * pollable file of the test's stands in for the eventfd. Runs anywhere.
 */

#include <kunit/test.h>
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/wait.h>

#include "gunyah_irqfd.h"
#include "vm_mgr.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/* A function type no real function uses: irqfds on the stand-in eventfd */
#define TEST_IRQFD_FN_TYPE	0x7fff0201

/* The stand-in for an eventfd: a wait queue and a file that polls it */
struct fake_eventfd {
	wait_queue_head_t wqh;
	struct file *file;
	bool signalled;		/* readable when polled */
};

struct test_irqfd_arg {
	u32 label;
	bool level;
	struct fake_eventfd *efd;
};

/* What the fake doorbell hypercalls saw */
static struct {
	unsigned int sends;
	u64 send_capid;
	u64 send_flags;
	unsigned int masks;
	u64 mask_capid;
	u64 mask_enable;
	u64 mask_ack;
} bell;

static enum gunyah_error fake_bell_send(u64 capid, u64 new_flags, u64 *old_flags)
{
	bell.sends++;
	bell.send_capid = capid;
	bell.send_flags = new_flags;
	*old_flags = 0;
	return GUNYAH_ERROR_OK;
}

static enum gunyah_error fake_bell_mask(u64 capid, u64 enable_mask, u64 ack_mask)
{
	bell.masks++;
	bell.mask_capid = capid;
	bell.mask_enable = enable_mask;
	bell.mask_ack = ack_mask;
	return GUNYAH_ERROR_OK;
}

static const struct gunyah_irqfd_ops fake_ops = {
	.bell_send = fake_bell_send,
	.bell_mask = fake_bell_mask,
};

static __poll_t fake_eventfd_poll(struct file *file, poll_table *pt)
{
	struct fake_eventfd *efd = file->private_data;

	poll_wait(file, &efd->wqh, pt);
	return efd->signalled ? EPOLLIN : 0;
}

static const struct file_operations fake_eventfd_fops = {
	.owner = THIS_MODULE,
	.poll = fake_eventfd_poll,
};

static long test_irqfd_bind(struct gunyah_vm_function_instance *f)
{
	const struct test_irqfd_arg *arg = f->argp;
	struct gunyah_irqfd *irqfd;

	irqfd = gunyah_irqfd_create(f->ghvm, &fake_ops, arg->label, arg->level,
				    arg->efd->file, NULL);
	if (IS_ERR(irqfd))
		return PTR_ERR(irqfd);
	f->data = irqfd;
	return 0;
}

static void test_irqfd_unbind(struct gunyah_vm_function_instance *f)
{
	gunyah_irqfd_destroy(f->data);
}

static bool test_irqfd_compare(const struct gunyah_vm_function_instance *f,
			       const void *arg, size_t size)
{
	const struct test_irqfd_arg *a = arg, *b = f->argp;

	return size == sizeof(*a) && a->label == b->label;
}

static struct gunyah_vm_function test_irqfd_fn = {
	.type = TEST_IRQFD_FN_TYPE,
	.name = "test-irqfd",
	.mod = THIS_MODULE,
	.bind = test_irqfd_bind,
	.unbind = test_irqfd_unbind,
	.compare = test_irqfd_compare,
};

struct irqfd_test {
	struct gunyah_vm *vm;
	struct fake_eventfd efd[2];
	struct list_head resources;	/* allocated here, freed at exit */
};

static int irqfd_test_init(struct kunit *test)
{
	struct irqfd_test *t;
	int i;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	/* ->exit() runs even if this fails: it finds what to undo in @t. */
	test->priv = t;
	/* What the VM's functions and tickets need of it, no more */
	t->vm = kunit_kzalloc(test, sizeof(*t->vm), GFP_KERNEL);
	if (!t->vm)
		return -ENOMEM;
	kref_init(&t->vm->kref);
	gunyah_fns_init(&t->vm->fns, t->vm);
	INIT_LIST_HEAD(&t->resources);

	for (i = 0; i < ARRAY_SIZE(t->efd); i++) {
		init_waitqueue_head(&t->efd[i].wqh);
		t->efd[i].file = anon_inode_getfile("[test-eventfd]", &fake_eventfd_fops,
						    &t->efd[i], O_RDWR);
		if (IS_ERR(t->efd[i].file))
			return PTR_ERR(t->efd[i].file);
	}
	memset(&bell, 0, sizeof(bell));
	return gunyah_vm_function_register(&test_irqfd_fn);
}

static void irqfd_test_exit(struct kunit *test)
{
	struct irqfd_test *t = test->priv;
	struct gunyah_resource *res, *next;
	LIST_HEAD(all);
	int i;

	if (!t)
		return;
	gunyah_vm_function_unregister(&test_irqfd_fn);
	if (!t->vm)
		return;
	/* As the VM's release: functions first, then the resources */
	gunyah_fns_remove_all_functions(&t->vm->fns);
	gunyah_irqfd_flush_cleanup();
	gunyah_fns_take_resources(&t->vm->fns, &all);
	list_for_each_entry_safe(res, next, &all, list)
		kfree(res);
	for (i = 0; i < ARRAY_SIZE(t->efd); i++)
		if (!IS_ERR_OR_NULL(t->efd[i].file))
			fput(t->efd[i].file);
}

static long add_irqfd(struct irqfd_test *t, u32 label, bool level, struct fake_eventfd *efd)
{
	struct test_irqfd_arg *arg = kzalloc(sizeof(*arg), GFP_KERNEL);
	long ret;

	if (!arg)
		return -ENOMEM;
	*arg = (struct test_irqfd_arg){ .label = label, .level = level, .efd = efd };
	ret = gunyah_fns_add_function(&t->vm->fns, TEST_IRQFD_FN_TYPE, arg, sizeof(*arg));
	if (ret < 0)
		kfree(arg);
	return ret;
}

static int remove_irqfd(struct irqfd_test *t, u32 label)
{
	struct test_irqfd_arg arg = { .label = label };

	return gunyah_fns_remove_function(&t->vm->fns, TEST_IRQFD_FN_TYPE, &arg, sizeof(arg));
}

/* The VM starts: the RM hands out the BELL_TX resource of @label. */
static void start_bell(struct kunit *test, u32 label, u64 capid)
{
	struct gunyah_resource *res = kzalloc(sizeof(*res), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, res);
	res->type = GUNYAH_RESOURCE_TYPE_BELL_TX;
	res->capid = capid;
	res->rm_label = label;
	gunyah_fns_add_resource(&((struct irqfd_test *)test->priv)->vm->fns, res);
}

static void efd_signal(struct fake_eventfd *efd)
{
	wake_up_poll(&efd->wqh, EPOLLIN);
}

static void hang_up(struct fake_eventfd *efd)
{
	wake_up_poll(&efd->wqh, EPOLLHUP);
}

static bool listening(struct fake_eventfd *efd)
{
	return wq_has_sleeper(&efd->wqh);
}

static unsigned int nr_functions(struct irqfd_test *t)
{
	struct gunyah_vm_function_instance *inst;
	unsigned int n = 0;

	mutex_lock(&t->vm->fns.fn_lock);
	list_for_each_entry(inst, &t->vm->fns.functions, vm_list)
		n++;
	mutex_unlock(&t->vm->fns.fn_lock);
	return n;
}

static void irqfd_rings_doorbell(struct kunit *test)
{
	struct irqfd_test *t = test->priv;

	KUNIT_ASSERT_EQ(test, add_irqfd(t, 5, false, &t->efd[0]), 0);
	KUNIT_EXPECT_TRUE(test, listening(&t->efd[0]));

	/* Before start: remembered once, however often signalled */
	efd_signal(&t->efd[0]);
	efd_signal(&t->efd[0]);
	KUNIT_EXPECT_EQ(test, bell.sends, 0);
	start_bell(test, 9, 0x99);	/* another doorbell's: not ours */
	KUNIT_EXPECT_EQ(test, bell.sends, 0);
	start_bell(test, 5, 0x42);
	KUNIT_EXPECT_EQ(test, bell.sends, 1);
	KUNIT_EXPECT_EQ(test, bell.send_capid, 0x42);
	KUNIT_EXPECT_EQ(test, bell.send_flags, 1);
	/* An edge doorbell keeps its default masks */
	KUNIT_EXPECT_EQ(test, bell.masks, 0);

	/* After start: one ring per signal */
	efd_signal(&t->efd[0]);
	efd_signal(&t->efd[0]);
	KUNIT_EXPECT_EQ(test, bell.sends, 3);

	/* Removed by its label: nothing rings any more */
	KUNIT_EXPECT_EQ(test, remove_irqfd(t, 6), -ENOENT);
	KUNIT_EXPECT_EQ(test, remove_irqfd(t, 5), 0);
	KUNIT_EXPECT_FALSE(test, listening(&t->efd[0]));
	efd_signal(&t->efd[0]);
	KUNIT_EXPECT_EQ(test, bell.sends, 3);
	KUNIT_EXPECT_EQ(test, remove_irqfd(t, 5), -ENOENT);

	/* The doorbell is unclaimed again: a new irqfd takes it at once */
	KUNIT_ASSERT_EQ(test, add_irqfd(t, 5, false, &t->efd[1]), 0);
	efd_signal(&t->efd[1]);
	KUNIT_EXPECT_EQ(test, bell.sends, 4);
	KUNIT_EXPECT_EQ(test, bell.send_capid, 0x42);
}

static void irqfd_level_sets_masks(struct kunit *test)
{
	struct irqfd_test *t = test->priv;

	/* Signalled before it was added: rung at start all the same */
	t->efd[0].signalled = true;
	KUNIT_ASSERT_EQ(test, add_irqfd(t, 7, true, &t->efd[0]), 0);
	KUNIT_EXPECT_EQ(test, bell.masks, 0);
	start_bell(test, 7, 0x70);
	KUNIT_EXPECT_EQ(test, bell.masks, 1);
	KUNIT_EXPECT_EQ(test, bell.mask_capid, 0x70);
	/* Bit 0 asserts, and the assertion clears it */
	KUNIT_EXPECT_EQ(test, bell.mask_enable, 1);
	KUNIT_EXPECT_EQ(test, bell.mask_ack, 1);
	KUNIT_EXPECT_EQ(test, bell.sends, 1);
	efd_signal(&t->efd[0]);
	KUNIT_EXPECT_EQ(test, bell.sends, 2);
	KUNIT_EXPECT_EQ(test, bell.send_flags, 1);
}

static void irqfd_duplicate_label(struct kunit *test)
{
	struct irqfd_test *t = test->priv;

	KUNIT_ASSERT_EQ(test, add_irqfd(t, 3, false, &t->efd[0]), 0);
	KUNIT_EXPECT_EQ(test, add_irqfd(t, 3, true, &t->efd[1]), -EEXIST);
	/* The refused one left nothing behind */
	KUNIT_EXPECT_FALSE(test, listening(&t->efd[1]));
	KUNIT_EXPECT_EQ(test, nr_functions(t), 1);
	/* Two irqfds on one eventfd are fine */
	KUNIT_EXPECT_EQ(test, add_irqfd(t, 4, false, &t->efd[0]), 0);
	start_bell(test, 3, 0x30);
	start_bell(test, 4, 0x40);
	efd_signal(&t->efd[0]);
	KUNIT_EXPECT_EQ(test, bell.sends, 2);
}

/* The eventfd is closed first: the irqfd goes away by itself. */
static void irqfd_eventfd_closed_first(struct kunit *test)
{
	struct irqfd_test *t = test->priv;

	KUNIT_ASSERT_EQ(test, add_irqfd(t, 5, false, &t->efd[0]), 0);
	KUNIT_ASSERT_EQ(test, add_irqfd(t, 6, false, &t->efd[1]), 0);
	start_bell(test, 5, 0x50);
	start_bell(test, 6, 0x60);

	hang_up(&t->efd[0]);
	gunyah_irqfd_flush_cleanup();
	KUNIT_EXPECT_FALSE(test, listening(&t->efd[0]));
	KUNIT_EXPECT_EQ(test, nr_functions(t), 1);
	/* The cleanup's reference to the VM is back */
	KUNIT_EXPECT_EQ(test, kref_read(&t->vm->kref), 1);
	KUNIT_EXPECT_EQ(test, remove_irqfd(t, 5), -ENOENT);
	efd_signal(&t->efd[0]);
	KUNIT_EXPECT_EQ(test, bell.sends, 0);
	/* A second hang-up is harmless */
	hang_up(&t->efd[0]);
	gunyah_irqfd_flush_cleanup();

	/* The other one still rings */
	efd_signal(&t->efd[1]);
	KUNIT_EXPECT_EQ(test, bell.sends, 1);
	KUNIT_EXPECT_EQ(test, bell.send_capid, 0x60);

	/* The label is free again, and its doorbell with it */
	KUNIT_ASSERT_EQ(test, add_irqfd(t, 5, false, &t->efd[1]), 0);
	efd_signal(&t->efd[1]);
	KUNIT_EXPECT_EQ(test, bell.sends, 3);
}

/* The VM is released first: the irqfds stop listening to their eventfds. */
static void irqfd_vm_closed_first(struct kunit *test)
{
	struct irqfd_test *t = test->priv;

	KUNIT_ASSERT_EQ(test, add_irqfd(t, 5, false, &t->efd[0]), 0);
	KUNIT_ASSERT_EQ(test, add_irqfd(t, 6, true, &t->efd[0]), 0);
	start_bell(test, 5, 0x50);
	start_bell(test, 6, 0x60);

	/* The first step of the VM's release */
	gunyah_fns_remove_all_functions(&t->vm->fns);
	KUNIT_EXPECT_FALSE(test, listening(&t->efd[0]));
	KUNIT_EXPECT_EQ(test, nr_functions(t), 0);

	/* The eventfd outlives the VM: its signals and hang-up reach nobody */
	efd_signal(&t->efd[0]);
	hang_up(&t->efd[0]);
	gunyah_irqfd_flush_cleanup();
	KUNIT_EXPECT_EQ(test, bell.sends, 0);
	KUNIT_EXPECT_EQ(test, kref_read(&t->vm->kref), 1);
}

/* A hang-up while the VM is being released leaves the cleanup to it. */
static void irqfd_hangup_during_release(struct kunit *test)
{
	struct irqfd_test *t = test->priv;

	KUNIT_ASSERT_EQ(test, add_irqfd(t, 5, false, &t->efd[0]), 0);
	/* The last reference is gone: the release is about to unbind us. */
	KUNIT_ASSERT_EQ(test, refcount_dec_and_test(&t->vm->kref.refcount), true);
	hang_up(&t->efd[0]);
	gunyah_irqfd_flush_cleanup();
	KUNIT_EXPECT_EQ(test, kref_read(&t->vm->kref), 0);
	KUNIT_EXPECT_EQ(test, nr_functions(t), 1);
	gunyah_fns_remove_all_functions(&t->vm->fns);
	KUNIT_EXPECT_FALSE(test, listening(&t->efd[0]));
}

static struct kunit_case irqfd_test_cases[] = {
	KUNIT_CASE(irqfd_rings_doorbell),
	KUNIT_CASE(irqfd_level_sets_masks),
	KUNIT_CASE(irqfd_duplicate_label),
	KUNIT_CASE(irqfd_eventfd_closed_first),
	KUNIT_CASE(irqfd_vm_closed_first),
	KUNIT_CASE(irqfd_hangup_during_release),
	{}
};

static struct kunit_suite irqfd_test_suite = {
	.name = "gunyah_irqfd",
	.init = irqfd_test_init,
	.exit = irqfd_test_exit,
	.test_cases = irqfd_test_cases,
};

kunit_test_suite(irqfd_test_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of Gunyah irqfds");
