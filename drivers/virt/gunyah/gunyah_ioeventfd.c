// SPDX-License-Identifier: GPL-2.0-only
/*
 * Gunyah ioeventfd function (GUNYAH_FN_IOEVENTFD): guest writes to an
 * address signal an eventfd in the kernel, without an exit to user space.
 * Gunyah traps the write to the host kernel all the same; the vCPU's run
 * loop offers every MMIO write to the VM's in-kernel handlers first
 * (gunyah_vm_mmio_write()), and an ioeventfd is such a handler.
 *
 * A registration is keyed by (address, length, data): a length of 0 takes
 * writes of any size and no DATAMATCH takes any value. Registrations that
 * could take the same write are refused with -EEXIST, so every write has
 * at most one taker. REMOVE_FUNCTION names an ioeventfd by its key and its
 * eventfd, as QEMU expects (uapi.md, quirk 7.2). Each signal is traced
 * (gunyah_ioeventfd_signal, gunyah_ioeventfd_trace.h).
 */

#define pr_fmt(fmt) "gunyah_ioeventfd: " fmt

#include <linux/bitops.h>
#include <linux/build_bug.h>
#include <linux/err.h>
#include <linux/eventfd.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include <linux/gunyah_vm_mgr.h>
#include <uapi/linux/gunyah.h>

#define CREATE_TRACE_POINTS
#include "gunyah_ioeventfd_trace.h"

/*
 * crosvm sets flags = 1 << GH_IOEVENTFD_DATAMATCH, i.e. bit 1, for a
 * datamatch ioeventfd (uapi.md, quirk 7.1): the same meaning as bit 0.
 */
#define GUNYAH_IOEVENTFD_FLAGS_DATAMATCH_CROSVM	BIT(1)
#define GUNYAH_IOEVENTFD_FLAGS_VALID \
	(GUNYAH_IOEVENTFD_FLAGS_DATAMATCH | GUNYAH_IOEVENTFD_FLAGS_DATAMATCH_CROSVM)

/**
 * struct gunyah_ioeventfd - A VM's writes to an address signal an eventfd
 * @io: the in-kernel MMIO handler
 * @ctx: the eventfd, a reference
 */
struct gunyah_ioeventfd {
	struct gunyah_vm_io_handler io;
	struct eventfd_ctx *ctx;
};

static int gunyah_ioeventfd_write(struct gunyah_vm_io_handler *io, u64 addr, u32 len,
				  u64 data)
{
	struct gunyah_ioeventfd *iofd = container_of(io, struct gunyah_ioeventfd, io);

	trace_gunyah_ioeventfd_signal(addr, len, io->datamatch);
	eventfd_signal(iofd->ctx);
	return 0;
}

static const struct gunyah_vm_io_handler_ops gunyah_ioeventfd_io_ops = {
	.write = gunyah_ioeventfd_write,
};

static bool gunyah_ioeventfd_len_valid(u32 len)
{
	return len == 0 || len == 1 || len == 2 || len == 4 || len == 8;
}

/* The handler key of @arg, which is valid */
static void gunyah_ioeventfd_key(const struct gunyah_fn_ioeventfd_arg *arg,
				 struct gunyah_vm_io_handler *io)
{
	io->addr = arg->addr;
	io->len = arg->len;
	io->datamatch = arg->flags & GUNYAH_IOEVENTFD_FLAGS_VALID;
	io->data = io->datamatch ? arg->datamatch : 0;
}

static long gunyah_ioeventfd_bind(struct gunyah_vm_function_instance *f)
{
	const struct gunyah_fn_ioeventfd_arg *arg = f->argp;
	struct gunyah_ioeventfd *iofd;
	struct eventfd_ctx *ctx;
	u64 last;
	int ret;

	if (f->arg_size != sizeof(*arg) || arg->flags & ~GUNYAH_IOEVENTFD_FLAGS_VALID ||
	    !gunyah_ioeventfd_len_valid(arg->len))
		return -EINVAL;
	/* The access must not wrap around the address space */
	if (arg->len && check_add_overflow(arg->addr, (u64)arg->len - 1, &last))
		return -EINVAL;
	/* A datamatch compares a value of a known size */
	if ((arg->flags & GUNYAH_IOEVENTFD_FLAGS_VALID) && !arg->len)
		return -EINVAL;

	/* -EBADF for a bad file descriptor, -EINVAL for another file */
	ctx = eventfd_ctx_fdget(arg->fd);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);

	iofd = kzalloc(sizeof(*iofd), GFP_KERNEL_ACCOUNT);
	if (!iofd) {
		ret = -ENOMEM;
		goto err_put_ctx;
	}
	iofd->ctx = ctx;
	gunyah_ioeventfd_key(arg, &iofd->io);
	iofd->io.ops = &gunyah_ioeventfd_io_ops;

	/* -EEXIST if another registration could take the same writes */
	ret = gunyah_vm_add_io_handler(f->ghvm, &iofd->io);
	if (ret)
		goto err_free;

	f->data = iofd;
	return 0;

err_free:
	kfree(iofd);
err_put_ctx:
	eventfd_ctx_put(ctx);
	return ret;
}

static void gunyah_ioeventfd_unbind(struct gunyah_vm_function_instance *f)
{
	struct gunyah_ioeventfd *iofd = f->data;

	/* Waits for a write being handled */
	gunyah_vm_remove_io_handler(f->ghvm, &iofd->io);
	eventfd_ctx_put(iofd->ctx);
	kfree(iofd);
}

/* REMOVE_FUNCTION names an ioeventfd by its key and its eventfd. */
static bool gunyah_ioeventfd_compare(const struct gunyah_vm_function_instance *f,
				     const void *arg, size_t size)
{
	const struct gunyah_fn_ioeventfd_arg *other = arg;
	const struct gunyah_ioeventfd *iofd = f->data;
	struct gunyah_vm_io_handler key;
	struct eventfd_ctx *ctx;
	bool same;

	if (size != sizeof(*other) || other->flags & ~GUNYAH_IOEVENTFD_FLAGS_VALID)
		return false;
	gunyah_ioeventfd_key(other, &key);
	if (key.addr != iofd->io.addr || key.len != iofd->io.len ||
	    key.datamatch != iofd->io.datamatch || key.data != iofd->io.data)
		return false;

	ctx = eventfd_ctx_fdget(other->fd);
	if (IS_ERR(ctx))
		return false;
	same = ctx == iofd->ctx;
	eventfd_ctx_put(ctx);
	return same;
}

static struct gunyah_vm_function gunyah_ioeventfd_function = {
	.type = GUNYAH_FN_IOEVENTFD,
	.name = "ioeventfd",
	.mod = THIS_MODULE,
	.bind = gunyah_ioeventfd_bind,
	.unbind = gunyah_ioeventfd_unbind,
	.compare = gunyah_ioeventfd_compare,
};

static int __init gunyah_ioeventfd_init(void)
{
	return gunyah_vm_function_register(&gunyah_ioeventfd_function);
}
module_init(gunyah_ioeventfd_init);

static void __exit gunyah_ioeventfd_exit(void)
{
	gunyah_vm_function_unregister(&gunyah_ioeventfd_function);
}
module_exit(gunyah_ioeventfd_exit);

/* The alias needs the number itself */
static_assert(GUNYAH_FN_IOEVENTFD == 3);
MODULE_ALIAS_GUNYAH_VM_FUNCTION(3);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Gunyah ioeventfd function: guest writes that signal eventfds");
