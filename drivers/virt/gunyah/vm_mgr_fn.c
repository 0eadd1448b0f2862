// SPDX-License-Identifier: GPL-2.0-only
/*
 * VM functions, resource tickets and in-kernel MMIO handlers; see
 * vm_mgr_fn.h and <linux/gunyah_vm_mgr.h>.
 */

#define pr_fmt(fmt) "gunyah_vm_fn: " fmt

#include <kunit/visibility.h>
#include <linux/kmod.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "vm_mgr_fn.h"

/* Registered kinds of function, by type. */
static DEFINE_XARRAY(gunyah_vm_functions);

/**
 * gunyah_vm_function_register() - Offer a kind of VM function
 * @fn: the function; @fn->type must be free
 *
 * Return: 0, -EINVAL for an incomplete @fn, -EEXIST if the type is taken.
 */
int gunyah_vm_function_register(struct gunyah_vm_function *fn)
{
	if (!fn->type || !fn->bind || !fn->unbind || !fn->compare)
		return -EINVAL;
	return xa_insert(&gunyah_vm_functions, fn->type, fn, GFP_KERNEL) == -EBUSY ?
	       -EEXIST : 0;
}
EXPORT_SYMBOL_GPL(gunyah_vm_function_register);

/**
 * gunyah_vm_function_unregister() - Withdraw a kind of VM function
 * @fn: as registered
 *
 * Its instances hold references to the module, so none exists any more.
 */
void gunyah_vm_function_unregister(struct gunyah_vm_function *fn)
{
	xa_cmpxchg(&gunyah_vm_functions, fn->type, fn, NULL, GFP_KERNEL);
}
EXPORT_SYMBOL_GPL(gunyah_vm_function_unregister);

static struct gunyah_vm_function *gunyah_vm_function_find(u32 type)
{
	struct gunyah_vm_function *fn;

	xa_lock(&gunyah_vm_functions);
	fn = xa_load(&gunyah_vm_functions, type);
	if (fn && !try_module_get(fn->mod))
		fn = NULL;
	xa_unlock(&gunyah_vm_functions);
	return fn;
}

/* The function of @type with a module reference, loading it if needed. */
struct gunyah_vm_function *gunyah_vm_function_get(u32 type)
{
	struct gunyah_vm_function *fn = gunyah_vm_function_find(type);

	if (!fn) {
		request_module("ghfunc:%u", type);
		fn = gunyah_vm_function_find(type);
	}
	return fn;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vm_function_get);

void gunyah_vm_function_put(struct gunyah_vm_function *fn)
{
	module_put(fn->mod);
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_vm_function_put);

void gunyah_fns_init(struct gunyah_vm_fns *fns, struct gunyah_vm *ghvm)
{
	fns->ghvm = ghvm;
	mutex_init(&fns->fn_lock);
	INIT_LIST_HEAD(&fns->functions);
	mutex_init(&fns->lock);
	INIT_LIST_HEAD(&fns->tickets);
	INIT_LIST_HEAD(&fns->resources);
	init_rwsem(&fns->io_lock);
	fns->io_handlers = RB_ROOT;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_fns_init);

static void gunyah_fns_free_instance(struct gunyah_vm_function_instance *inst)
{
	gunyah_vm_function_put(inst->fn);
	kfree(inst->argp);
	kfree(inst);
}

/*
 * Add a function of @type; @arg (@arg_size bytes, a kernel copy) becomes
 * the instance's. Returns what ->bind() returns, -ENOENT for an unknown
 * type, -ENOMEM.
 */
long gunyah_fns_add_function(struct gunyah_vm_fns *fns, u32 type, void *arg,
			     size_t arg_size)
{
	struct gunyah_vm_function_instance *inst;
	long ret;

	inst = kzalloc(sizeof(*inst), GFP_KERNEL_ACCOUNT);
	if (!inst)
		return -ENOMEM;
	inst->fn = gunyah_vm_function_get(type);
	if (!inst->fn) {
		kfree(inst);
		return -ENOENT;
	}
	inst->ghvm = fns->ghvm;
	inst->argp = arg;
	inst->arg_size = arg_size;

	mutex_lock(&fns->fn_lock);
	ret = inst->fn->bind(inst);
	if (ret >= 0)
		list_add(&inst->vm_list, &fns->functions);
	mutex_unlock(&fns->fn_lock);

	if (ret < 0) {
		/* The caller keeps @arg on failure. */
		inst->argp = NULL;
		gunyah_fns_free_instance(inst);
	}
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_fns_add_function);

/* Remove the first instance @match finds with @key: 0 or -ENOENT. */
static int gunyah_fns_remove_match(struct gunyah_vm_fns *fns,
				   bool (*match)(const struct gunyah_vm_function_instance *inst,
						 const void *key),
				   const void *key)
{
	struct gunyah_vm_function_instance *inst, *found = NULL;

	mutex_lock(&fns->fn_lock);
	list_for_each_entry(inst, &fns->functions, vm_list) {
		if (match(inst, key)) {
			found = inst;
			break;
		}
	}
	if (found) {
		list_del(&found->vm_list);
		found->fn->unbind(found);
	}
	mutex_unlock(&fns->fn_lock);

	if (!found)
		return -ENOENT;
	gunyah_fns_free_instance(found);
	return 0;
}

struct gunyah_fns_remove_key {
	u32 type;
	const void *arg;
	size_t arg_size;
};

static bool gunyah_fns_match_arg(const struct gunyah_vm_function_instance *inst,
				 const void *key)
{
	const struct gunyah_fns_remove_key *k = key;

	return inst->fn->type == k->type && inst->fn->compare(inst, k->arg, k->arg_size);
}

/* Remove the instance of @type that @arg names: 0 or -ENOENT. */
int gunyah_fns_remove_function(struct gunyah_vm_fns *fns, u32 type, const void *arg,
			       size_t arg_size)
{
	const struct gunyah_fns_remove_key key = {
		.type = type, .arg = arg, .arg_size = arg_size,
	};

	return gunyah_fns_remove_match(fns, gunyah_fns_match_arg, &key);
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_fns_remove_function);

static bool gunyah_fns_match_data(const struct gunyah_vm_function_instance *inst,
				  const void *data)
{
	return inst->data == data;
}

/*
 * Remove the instance whose ->data is @data (not NULL), if it is still
 * there: 0 or -ENOENT. For instances that go away on their own, such as
 * an irqfd whose eventfd was closed; the caller keeps @data allocated, so
 * that no other instance can have it.
 */
int gunyah_fns_remove_function_data(struct gunyah_vm_fns *fns, const void *data)
{
	if (!data)
		return -ENOENT;
	return gunyah_fns_remove_match(fns, gunyah_fns_match_data, data);
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_fns_remove_function_data);

void gunyah_fns_remove_all_functions(struct gunyah_vm_fns *fns)
{
	struct gunyah_vm_function_instance *inst, *next;
	LIST_HEAD(gone);

	mutex_lock(&fns->fn_lock);
	list_for_each_entry_safe(inst, next, &fns->functions, vm_list) {
		list_move(&inst->vm_list, &gone);
		inst->fn->unbind(inst);
	}
	mutex_unlock(&fns->fn_lock);

	list_for_each_entry_safe(inst, next, &gone, vm_list)
		gunyah_fns_free_instance(inst);
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_fns_remove_all_functions);

static bool ticket_wants(const struct gunyah_vm_resource_ticket *t,
			 const struct gunyah_resource *res)
{
	return t->resource_type == res->type && t->label == res->rm_label;
}

/*
 * Add a ticket; it takes the unclaimed resources it names at once, later
 * ones as they arrive. -EEXIST if another ticket has the same type and
 * label.
 */
int gunyah_fns_add_ticket(struct gunyah_vm_fns *fns, struct gunyah_vm_resource_ticket *t)
{
	struct gunyah_vm_resource_ticket *other;
	struct gunyah_resource *res, *next;
	int ret = 0;

	mutex_lock(&fns->lock);
	list_for_each_entry(other, &fns->tickets, vm_list) {
		if (other->resource_type == t->resource_type && other->label == t->label) {
			ret = -EEXIST;
			goto out;
		}
	}
	if (!try_module_get(t->owner)) {
		ret = -ENODEV;
		goto out;
	}
	INIT_LIST_HEAD(&t->resources);
	list_add(&t->vm_list, &fns->tickets);
	list_for_each_entry_safe(res, next, &fns->resources, list) {
		if (ticket_wants(t, res) && t->populate(t, res))
			list_move(&res->list, &t->resources);
	}
out:
	mutex_unlock(&fns->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_fns_add_ticket);

/* Remove a ticket; its resources become unclaimed again. */
void gunyah_fns_remove_ticket(struct gunyah_vm_fns *fns, struct gunyah_vm_resource_ticket *t)
{
	struct gunyah_resource *res, *next;

	mutex_lock(&fns->lock);
	list_for_each_entry_safe(res, next, &t->resources, list) {
		t->unpopulate(t, res);
		list_move(&res->list, &fns->resources);
	}
	list_del(&t->vm_list);
	mutex_unlock(&fns->lock);
	module_put(t->owner);
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_fns_remove_ticket);

void gunyah_fns_add_resource(struct gunyah_vm_fns *fns, struct gunyah_resource *res)
{
	struct gunyah_vm_resource_ticket *t;

	mutex_lock(&fns->lock);
	list_for_each_entry(t, &fns->tickets, vm_list) {
		if (ticket_wants(t, res) && t->populate(t, res)) {
			list_add(&res->list, &t->resources);
			goto out;
		}
	}
	list_add(&res->list, &fns->resources);
out:
	mutex_unlock(&fns->lock);
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_fns_add_resource);

void gunyah_fns_take_resources(struct gunyah_vm_fns *fns, struct list_head *out)
{
	struct gunyah_vm_resource_ticket *t;
	struct gunyah_resource *res, *next;

	mutex_lock(&fns->lock);
	list_for_each_entry(t, &fns->tickets, vm_list) {
		list_for_each_entry_safe(res, next, &t->resources, list) {
			t->unpopulate(t, res);
			list_move(&res->list, out);
		}
	}
	list_splice_init(&fns->resources, out);
	mutex_unlock(&fns->lock);
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_fns_take_resources);

/*
 * The order of the handler tree: by address, then length, then data. A
 * length of 0 matches any length and a handler without datamatch matches
 * any data, so such keys compare equal to the specific ones: a lookup with
 * a guest access's (address, length, data) finds the handler that takes
 * it, and two registrations that could take the same access collide.
 */
static int gunyah_io_cmp(const struct gunyah_vm_io_handler *a,
			 const struct gunyah_vm_io_handler *b)
{
	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	if (!a->len || !b->len)
		return 0;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	if (!a->datamatch || !b->datamatch)
		return 0;
	if (a->data != b->data)
		return a->data < b->data ? -1 : 1;
	return 0;
}

/* Add @io: -EINVAL for a bad length, -EEXIST if it overlaps another. */
int gunyah_fns_add_io_handler(struct gunyah_vm_fns *fns, struct gunyah_vm_io_handler *io)
{
	struct rb_node **link = &fns->io_handlers.rb_node, *parent = NULL;
	int ret = 0;

	if (io->len != 0 && io->len != 1 && io->len != 2 && io->len != 4 && io->len != 8)
		return -EINVAL;
	if (io->datamatch && !io->len)
		return -EINVAL;

	down_write(&fns->io_lock);
	while (*link) {
		struct gunyah_vm_io_handler *cur =
			rb_entry(*link, struct gunyah_vm_io_handler, node);
		int c = gunyah_io_cmp(io, cur);

		parent = *link;
		if (c < 0) {
			link = &(*link)->rb_left;
		} else if (c > 0) {
			link = &(*link)->rb_right;
		} else {
			ret = -EEXIST;
			break;
		}
	}
	if (!ret) {
		rb_link_node(&io->node, parent, link);
		rb_insert_color(&io->node, &fns->io_handlers);
	}
	up_write(&fns->io_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_fns_add_io_handler);

void gunyah_fns_remove_io_handler(struct gunyah_vm_fns *fns, struct gunyah_vm_io_handler *io)
{
	down_write(&fns->io_lock);
	rb_erase(&io->node, &fns->io_handlers);
	up_write(&fns->io_lock);
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_fns_remove_io_handler);

int gunyah_fns_mmio_write(struct gunyah_vm_fns *fns, u64 addr, u32 len, u64 data)
{
	struct gunyah_vm_io_handler key = {
		.addr = addr, .len = len, .datamatch = true, .data = data,
	};
	struct rb_node *node;
	int ret = -ENODEV;

	down_read(&fns->io_lock);
	for (node = fns->io_handlers.rb_node; node;) {
		struct gunyah_vm_io_handler *cur =
			rb_entry(node, struct gunyah_vm_io_handler, node);
		int c = gunyah_io_cmp(&key, cur);

		if (c < 0) {
			node = node->rb_left;
		} else if (c > 0) {
			node = node->rb_right;
		} else {
			if (cur->ops && cur->ops->write)
				ret = cur->ops->write(cur, addr, len, data);
			break;
		}
	}
	up_read(&fns->io_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(gunyah_fns_mmio_write);
