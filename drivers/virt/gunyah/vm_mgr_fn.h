/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The per-VM part of VM functions: added function instances, resource
 * tickets and the resources they hold, in-kernel MMIO handlers. Kept apart
 * from struct gunyah_vm so that it can be tested on its own.
 */
#ifndef _GUNYAH_VM_MGR_FN_H
#define _GUNYAH_VM_MGR_FN_H

#include <linux/gunyah_vm_mgr.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>

/**
 * struct gunyah_vm_fns - A VM's functions, tickets, resources, io handlers
 * @ghvm: the VM, passed to function instances
 * @fn_lock: protects @functions; held while a function binds or unbinds,
 *	which may add or remove tickets (@lock nests inside it)
 * @functions: added instances
 * @lock: protects @tickets and @resources
 * @tickets: resource tickets
 * @resources: resources no ticket has claimed
 * @io_lock: protects @io_handlers
 * @io_handlers: ordered by address, length, data
 */
struct gunyah_vm_fns {
	struct gunyah_vm *ghvm;
	struct mutex fn_lock;		/* functions */
	struct list_head functions;
	struct mutex lock;		/* tickets, resources */
	struct list_head tickets;
	struct list_head resources;
	struct rw_semaphore io_lock;	/* io_handlers */
	struct rb_root io_handlers;
};

void gunyah_fns_init(struct gunyah_vm_fns *fns, struct gunyah_vm *ghvm);

long gunyah_fns_add_function(struct gunyah_vm_fns *fns, u32 type, void *arg,
			     size_t arg_size);
int gunyah_fns_remove_function(struct gunyah_vm_fns *fns, u32 type, const void *arg,
			       size_t arg_size);
int gunyah_fns_remove_function_data(struct gunyah_vm_fns *fns, const void *data);
void gunyah_fns_remove_all_functions(struct gunyah_vm_fns *fns);

int gunyah_fns_add_ticket(struct gunyah_vm_fns *fns, struct gunyah_vm_resource_ticket *t);
void gunyah_fns_remove_ticket(struct gunyah_vm_fns *fns, struct gunyah_vm_resource_ticket *t);

/* A resource from VM_GET_HYP_RESOURCES: to its ticket, or kept unclaimed. */
void gunyah_fns_add_resource(struct gunyah_vm_fns *fns, struct gunyah_resource *res);
/* Take every resource back from the tickets; returns them for freeing. */
void gunyah_fns_take_resources(struct gunyah_vm_fns *fns, struct list_head *out);

int gunyah_fns_add_io_handler(struct gunyah_vm_fns *fns, struct gunyah_vm_io_handler *io);
void gunyah_fns_remove_io_handler(struct gunyah_vm_fns *fns, struct gunyah_vm_io_handler *io);
/* A guest write the handlers take; -ENODEV if none matches. */
int gunyah_fns_mmio_write(struct gunyah_vm_fns *fns, u64 addr, u32 len, u64 data);

struct gunyah_vm_function *gunyah_vm_function_get(u32 type);
void gunyah_vm_function_put(struct gunyah_vm_function *fn);

#endif
