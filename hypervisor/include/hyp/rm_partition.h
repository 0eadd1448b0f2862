/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The resource manager as the hypervisor holds it: a caller of hypercalls
 * with its own capability space (VMID_RM), which the hypervisor fills at
 * boot with what the RM starts from (its partition, its cspace, the
 * primary VM's cspace, the interrupt controllers it binds queues to), and
 * whose interrupts run it. By default the RM is its own image (rm.elf) in
 * its own EL1 VM (core/rm_vm.c); with RM_AT_EL2 it is linked into the
 * hypervisor and called directly, as before (the host tests do that).
 */
#ifndef HYP_RM_PARTITION_H
#define HYP_RM_PARTITION_H

#include <hyp/smccc.h>
#include <hyp/virq.h>
#include <hyp/vm.h>

/* The primary VM's side of its link: its queue interrupts and their INTIDs. */
struct rm_host_irqs {
	struct virq *tx;	/* room to send */
	struct virq *rx;	/* messages to read */
	u32 tx_intid;
	u32 rx_intid;
	u32 free_irq_start;
};

struct rm_boot_info;

/*
 * The primary VM's devicetree at boot: the RM prepares it from @from (a
 * blob of @from_size bytes dt_check() passed: the one loaded for the
 * primary VM, or QEMU's), taking [@hyp_base, @hyp_base + @hyp_size) out of
 * its RAM, and hands it over with HYP_HYPCALL_RM_HOST_DT; the hypervisor
 * copies it to @window (@window_size bytes at most), where the primary VM
 * finds it.
 */
struct rm_host_dt {
	const void *from;
	u64 from_size;
	void *window;
	u64 window_size;
	u64 hyp_base;
	u64 hyp_size;
};

/* Before rm_init(): what the RM prepares the primary VM's devicetree from. */
void rm_partition_set_host_dt(const struct rm_host_dt *cfg);

/*
 * Build the RM's partition and its VM (with RM_AT_EL2, start the RM linked
 * in at once: rm_start(), which links itself to @host). Returns 0 or a
 * Gunyah error.
 */
int rm_init(struct hyp_vm *host, const struct rm_host_irqs *irqs);

/*
 * Run the RM VM's start, up to its first wait, on the boot CPU once its
 * EL2 controls are set (nothing with RM_AT_EL2). Returns 0, or a Gunyah
 * error if the RM did not come up (it is stopped then).
 */
int rm_boot(void);

/*
 * HYP_HYPCALL_RM_HOST_DT from @vm (the RM): copy its @size bytes at @buf
 * to the window, and check them (dt_check()). Only until
 * rm_partition_host_dt_close(). Returns 0 or a Gunyah error; after a
 * failure the window holds no devicetree.
 */
int rm_partition_host_dt(struct hyp_vm *vm, u64 buf, u64 size);

/*
 * The primary VM starts: no more hand-overs. Returns the size of the
 * devicetree in the window, 0 if the RM gave none (or the last failed).
 */
u64 rm_partition_host_dt_close(void);

/* ---- the RM's own VM, core/rm_vm.c ---- */

/*
 * Create it for the caller @vm, to start with @info, the primary VM's
 * devicetree @host_dt (@host_dt_size bytes) copied into its memory (@info
 * then says where).
 */
int rmvm_create(struct hyp_vm *vm, struct rm_boot_info *info, const void *host_dt,
		u64 host_dt_size);
int rmvm_boot(void);
/* Its interrupt RM_VIRQ_@virq: run it here, now, unless another CPU does. */
void rmvm_raise(unsigned int virq);
/* Copies from and to its buffers (its IPAs), only inside its memory. */
int rmvm_copy_in(void *dst, u64 src, size_t len);
int rmvm_copy_out(u64 dst, const void *src, size_t len);

#endif
