/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Gunyah VM functions: the pluggable parts of a VM (vCPUs, irqfds,
 * ioeventfds) that VM_ADD_FUNCTION creates, resource tickets through which
 * they claim the resources the Resource Manager hands out, and in-kernel
 * MMIO handlers.
 */
#ifndef _LINUX_GUNYAH_VM_MGR_H
#define _LINUX_GUNYAH_VM_MGR_H

#include <linux/gunyah.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/rbtree.h>
#include <linux/stringify.h>
#include <linux/types.h>
#include <linux/wait.h>

#include <uapi/linux/gunyah.h>

struct gunyah_vm;
struct gunyah_vm_function_instance;

/**
 * struct gunyah_vm_function - A kind of VM function
 * @type: the UAPI function type (GUNYAH_FN_*), not 0
 * @name: for messages
 * @mod: the module providing it (THIS_MODULE)
 * @bind: create an instance from @f->argp; returns 0, a file descriptor
 *	(vCPU) or a negative errno
 * @unbind: destroy an instance
 * @compare: whether @f is the instance a REMOVE_FUNCTION with @arg names
 */
struct gunyah_vm_function {
	u32 type;
	const char *name;
	struct module *mod;
	long (*bind)(struct gunyah_vm_function_instance *f);
	void (*unbind)(struct gunyah_vm_function_instance *f);
	bool (*compare)(const struct gunyah_vm_function_instance *f, const void *arg,
			size_t size);
};

/**
 * struct gunyah_vm_function_instance - One added function
 * @arg_size: size of @argp
 * @argp: kernel copy of the user's argument
 * @ghvm: the VM
 * @fn: its kind
 * @data: private to @fn
 * @vm_list: in the VM's list of functions
 */
struct gunyah_vm_function_instance {
	size_t arg_size;
	void *argp;
	struct gunyah_vm *ghvm;
	struct gunyah_vm_function *fn;
	void *data;
	struct list_head vm_list;
};

int gunyah_vm_function_register(struct gunyah_vm_function *fn);
void gunyah_vm_function_unregister(struct gunyah_vm_function *fn);

/* Functions are autoloaded by type: "ghfunc:<type>". */
#define MODULE_ALIAS_GUNYAH_VM_FUNCTION(_type) \
	MODULE_ALIAS("ghfunc:" __stringify(_type))

/**
 * struct gunyah_vm_resource_ticket - A claim on RM resources
 * @vm_list: in the VM's list of tickets
 * @resources: the resources it holds
 * @resource_type: what it claims
 * @label: which one (the RM's label)
 * @owner: module of @populate and @unpopulate
 * @populate: take @res; false leaves it unclaimed
 * @unpopulate: give @res back
 */
struct gunyah_vm_resource_ticket {
	struct list_head vm_list;
	struct list_head resources;
	enum gunyah_resource_type resource_type;
	u32 label;
	struct module *owner;
	bool (*populate)(struct gunyah_vm_resource_ticket *ticket,
			 struct gunyah_resource *res);
	void (*unpopulate)(struct gunyah_vm_resource_ticket *ticket,
			   struct gunyah_resource *res);
};

struct gunyah_vm_io_handler;

/**
 * struct gunyah_vm_io_handler_ops - What an in-kernel MMIO handler does
 * @read: a guest read of @len bytes at @addr; may be NULL
 * @write: a guest write of @data (@len bytes) at @addr; may be NULL
 */
struct gunyah_vm_io_handler_ops {
	int (*read)(struct gunyah_vm_io_handler *io, u64 addr, u32 len, u64 *data);
	int (*write)(struct gunyah_vm_io_handler *io, u64 addr, u32 len, u64 data);
};

/**
 * struct gunyah_vm_io_handler - An in-kernel MMIO handler
 * @node: in the VM's tree of handlers
 * @addr: guest physical address
 * @datamatch: only for writes of @data
 * @len: access size, or 0 for any
 * @data: with @datamatch
 * @ops: what to do
 */
struct gunyah_vm_io_handler {
	struct rb_node node;
	u64 addr;
	bool datamatch;
	u8 len;
	u64 data;
	const struct gunyah_vm_io_handler_ops *ops;
};

struct gunyah_vm *gunyah_vm_get(struct gunyah_vm *vm);
bool gunyah_vm_get_unless_zero(struct gunyah_vm *vm);
void gunyah_vm_put(struct gunyah_vm *vm);
int gunyah_vm_remove_function_instance(struct gunyah_vm *vm, const void *data);
int gunyah_vm_add_resource_ticket(struct gunyah_vm *vm,
				  struct gunyah_vm_resource_ticket *ticket);
void gunyah_vm_remove_resource_ticket(struct gunyah_vm *vm,
				      struct gunyah_vm_resource_ticket *ticket);
int gunyah_vm_add_io_handler(struct gunyah_vm *vm, struct gunyah_vm_io_handler *io);
void gunyah_vm_remove_io_handler(struct gunyah_vm *vm, struct gunyah_vm_io_handler *io);
int gunyah_vm_mmio_write(struct gunyah_vm *vm, u64 addr, u32 len, u64 data);

int gunyah_vm_ensure_started(struct gunyah_vm *vm);
bool gunyah_vm_stopped(struct gunyah_vm *vm, enum gunyah_vm_status *status,
		       struct gunyah_vm_exit_info *exit_info);
int gunyah_vm_wait(struct gunyah_vm *vm, wait_queue_head_t *wq,
		   bool (*cond)(void *data), void *data);
long gunyah_vm_wait_timeout(struct gunyah_vm *vm, wait_queue_head_t *wq,
			    bool (*cond)(void *data), void *data, long timeout);

#endif /* _LINUX_GUNYAH_VM_MGR_H */
