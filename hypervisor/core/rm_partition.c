// SPDX-License-Identifier: GPL-2.0-only
/*
 * The resource manager's partition: its capability space and interrupts,
 * what it starts from; see include/hyp/rm_partition.h. The RM itself runs
 * in its own VM (core/rm_vm.c), or, built with RM_AT_EL2, linked in.
 */
#include <string.h>
#include <hyp/dt_check.h>
#include <hyp/gunyah_abi.h>
#include <hyp/hypercall.h>
#include <hyp/hypcall_private.h>
#include <hyp/rm_partition.h>
#include <hyp/vic.h>
#include <rm/hypcall.h>
#include <rm/rm.h>

#define RM_NR_VIRQS	2

static struct rm_partition {
	struct hyp_vm vm;
	struct object partition;
	struct vic host_vic;	/* the primary VM's INTIDs of its link */
	struct vic rm_vic;	/* the RM's own: RM_VIRQ_* */
	struct virq virqs[RM_NR_VIRQS];
} part;

/*
 * The primary VM's devicetree: what the RM prepares it from, where the
 * hypervisor puts the RM's result, and whether the RM gave one.
 */
static struct {
	struct rm_host_dt cfg;
	bool open;	/* until the primary VM starts */
	u64 size;	/* of the last blob the RM handed over, 0 for none */
} host_dt;

#ifdef RM_AT_EL2
/*
 * Linked into the hypervisor, the RM's buffers are hypervisor memory (its
 * devicetree is prepared in place: the source may be the destination).
 */
static int rm_copy_in(void *dst, u64 src, size_t len)
{
	memmove(dst, (const void *)(uintptr_t)src, len);
	return 0;
}

static int rm_copy_out(u64 dst, const void *src, size_t len)
{
	memcpy((void *)(uintptr_t)dst, src, len);
	return 0;
}

/* An interrupt of the RM: a call. */
static void rm_virq_raise(struct virq *v)
{
	rm_interrupt(v - part.virqs);
}
#else
/* An interrupt of the RM: its VM runs. */
static void rm_virq_raise(struct virq *v)
{
	rmvm_raise(v - part.virqs);
}
#endif

static u64 rm_give(struct object *obj)
{
	u64 capid = 0;

	/* An empty cspace has room for these few. */
	cspace_insert(&part.vm.cspace, obj, RIGHTS_ALL, &capid);
	return capid;
}

void rm_partition_set_host_dt(const struct rm_host_dt *cfg)
{
	host_dt.cfg = *cfg;
	host_dt.open = true;
	host_dt.size = 0;
}

int rm_partition_host_dt(struct hyp_vm *vm, u64 buf, u64 size)
{
	int ret;

	if (!host_dt.open)
		return GUNYAH_ERROR_DENIED;
	if (!size || size > host_dt.cfg.window_size)
		return GUNYAH_ERROR_ARG_SIZE;
	/* A failed copy leaves no devicetree: the last one is overwritten. */
	host_dt.size = 0;
	ret = vm->copy_from(host_dt.cfg.window, buf, size);
	if (ret)
		return ret;
	/* Its totalsize within what was copied, its blocks whole. */
	if (dt_check(host_dt.cfg.window, size))
		return GUNYAH_ERROR_ARG_INVAL;
	host_dt.size = size;
	return 0;
}

u64 rm_partition_host_dt_close(void)
{
	host_dt.open = false;
	return host_dt.size;
}

int rm_init(struct hyp_vm *host, const struct rm_host_irqs *irqs)
{
	struct rm_boot_info info;
	unsigned int i;
#ifdef RM_AT_EL2
	int ret;
#endif

	memset(&part, 0, sizeof(part));
	part.vm.vmid = VMID_RM;
	cspace_init(&part.vm.cspace);
#ifdef RM_AT_EL2
	part.vm.copy_from = rm_copy_in;
	part.vm.copy_to = rm_copy_out;
#else
	part.vm.copy_from = rmvm_copy_in;
	part.vm.copy_to = rmvm_copy_out;
#endif
	part.partition.type = OBJECT_PARTITION;
	vic_init(&part.host_vic);
	vic_add(&part.host_vic, irqs->tx_intid, irqs->tx);
	vic_add(&part.host_vic, irqs->rx_intid, irqs->rx);
	vic_init(&part.rm_vic);
	for (i = 0; i < RM_NR_VIRQS; i++) {
		part.virqs[i].raise = rm_virq_raise;
		vic_add(&part.rm_vic, i, &part.virqs[i]);
	}
	info = (struct rm_boot_info){
		.partition_cap = rm_give(&part.partition),
		.cspace_cap = rm_give(&part.vm.cspace.obj),
		.vic_cap = rm_give(&part.rm_vic.obj),
		.host_vmid = host->vmid,
		.host_cspace_cap = rm_give(&host->cspace.obj),
		.host_vic_cap = rm_give(&part.host_vic.obj),
		.host_tx_intid = irqs->tx_intid,
		.host_rx_intid = irqs->rx_intid,
		.host_free_irq_start = irqs->free_irq_start,
		.hyp_base = host_dt.cfg.hyp_base,
		.hyp_size = host_dt.cfg.hyp_size,
	};
#ifdef RM_AT_EL2
	/* The RM edits the blob where the primary VM will find it. */
	if (host_dt.cfg.from && host_dt.cfg.from_size <= host_dt.cfg.window_size) {
		memmove(host_dt.cfg.window, host_dt.cfg.from, host_dt.cfg.from_size);
		info.host_dt = (u64)(uintptr_t)host_dt.cfg.window;
		info.host_dt_max = host_dt.cfg.window_size;
	}
	ret = rm_start(&info);
	return ret ? ret : rm_publish_host_link();
#else
	if (!host_dt.cfg.from)
		return GUNYAH_ERROR_ARG_INVAL;
	return rmvm_create(&part.vm, &info, host_dt.cfg.from, host_dt.cfg.from_size);
#endif
}

#ifdef RM_AT_EL2
int rm_boot(void)
{
	return 0;
}

void rm_hvc(u64 regs[SMCCC_NR_REGS])
{
	u32 fid = regs[0];

	/* As the SMCCC path: only fast SMC64 vendor-hyp hypercalls. */
	if ((fid & GUNYAH_HYPCALL_FID_MASK) != GUNYAH_HYPCALL_FID(0)) {
		regs[0] = (u64)SMCCC_RET_NOT_SUPPORTED;
		return;
	}
	hypercall_dispatch(&part.vm, fid & ~GUNYAH_HYPCALL_FID_MASK, regs);
}
#else
int rm_boot(void)
{
	return rmvm_boot();
}
#endif
