// SPDX-License-Identifier: GPL-2.0-only
/*
 * The resource manager's VM: rm.elf (rm/el1/, packaged into this image by
 * core/rm_image.S) in a VM of its own, VMID 0xff, at EL1.
 *
 * - Memory: RM_VM_SIZE bytes of the hypervisor's pool, zeroed, the image
 *   copied to their start; its stage 2 maps them at RM_VM_IPA_BASE and
 *   nothing else (hyp/rm_vm_abi.h). Other VMs' memory it reads and writes
 *   through its hypercalls; the buffers it names are checked against its
 *   own memory here.
 * - Interrupts: its RM_VIRQ_* set bits of its events word, in its own
 *   memory (hyp/rm_vm_abi.h), which it takes when it runs and before each
 *   WFI. No vGIC, no IRQ line, no acknowledging hypercall: a wake-up costs
 *   no trap of its own.
 * - Scheduling: whoever raises one of its interrupts runs it at once, on
 *   its own CPU, until it waits again (WFI with nothing raised), then goes
 *   back to what it was doing; a CPU that finds it running elsewhere only
 *   sets the bit, and the running one sees it before it lets go. So a
 *   client's request is served before its msgqueue_send returns, as when
 *   the RM was linked in.
 * - Faults: any exception the RM does not handle ends in its vectors'
 *   HYP_HYPCALL_RM_FAULT (or, if it faults in them, in the hypervisor's
 *   own check); so does RM_VM_RUN_MAX_MS at EL1 without a trap. The hypervisor
 *   logs it and never runs the RM again; everything else goes on.
 */
#include <string.h>
#include <arch/cpu.h>
#include <arch/guest_run.h>
#include <arch/sysreg.h>
#include <hyp/alloc.h>
#include <hyp/console.h>
#include <hyp/gunyah_abi.h>
#include <hyp/guest.h>
#include <hyp/hypercall.h>
#include <hyp/rm_partition.h>
#include <hyp/rm_vm_abi.h>
#include <hyp/vcpu.h>
#include <rm/rm.h>

/* Where its vGIC would be: it never touches one, but a guest has one. */
#define RM_VM_GICD		0x08000000UL
#define RM_VM_GICR		0x080a0000UL

/*
 * That long at EL1 without a trap is a hung RM. Time in its hypercalls
 * does not count: taking back and zeroing a large parcel takes long.
 */
#define RM_VM_RUN_MAX_MS	2000

extern const u8 rm_image_start[], rm_image_end[];

static struct rmvm_state {
	struct hyp_guest *g;
	struct hyp_vm *vm;	/* its cspace, for its hypercalls */
	paddr_t mem;
	u32 *events;		/* RM_VIRQ_* bits it has not taken, in its memory */
	u32 busy;		/* a CPU runs it */
	bool ready;		/* it said HYP_HYPCALL_RM_READY */
	bool dead;
	struct rm_link_info link;
} rmvm;

/* Its buffer [@ipa, @ipa + @len) in its memory, or NULL. */
static void *rmvm_ptr(u64 ipa, size_t len)
{
	if (ipa < RM_VM_IPA_BASE || len > RM_VM_SIZE || ipa - RM_VM_IPA_BASE > RM_VM_SIZE - len)
		return NULL;
	/* RAM is identity-mapped at EL2. */
	return (void *)(rmvm.mem + (ipa - RM_VM_IPA_BASE));
}

int rmvm_copy_in(void *dst, u64 src, size_t len)
{
	const void *p = rmvm_ptr(src, len);

	if (!p)
		return GUNYAH_ERROR_ADDR_INVAL;
	memcpy(dst, p, len);
	return 0;
}

int rmvm_copy_out(u64 dst, const void *src, size_t len)
{
	void *p = rmvm_ptr(dst, len);

	if (!p)
		return GUNYAH_ERROR_ADDR_INVAL;
	memcpy(p, src, len);
	return 0;
}

/* The RM is dead from now on; @why for the log. */
static void rmvm_kill(const char *why, const u64 *regs)
{
	struct hyp_guest *g = rmvm.g;

	if (regs)
		hyp_log("RM faulted (%s): ESR %#lx ELR %#lx FAR %#lx vector %#lx; RM VM stopped\n",
			why, (unsigned long)regs[1], (unsigned long)regs[2],
			(unsigned long)regs[3], (unsigned long)regs[4]);
	else
		hyp_log("RM faulted (%s); RM VM stopped\n", why);
	spin_lock(&g->lock);
	guest_exit_locked(g, GUEST_EXIT_FAULT);
	spin_unlock(&g->lock);
}

static void rmvm_log(const u64 *regs)
{
	char line[RM_VM_LOG_MAX + 1];
	size_t len = regs[2], i;

	if (!len || len > RM_VM_LOG_MAX || rmvm_copy_in(line, regs[1], len))
		return;
	/* Its text, not its control characters. */
	for (i = 0; i < len; i++)
		if ((line[i] < 0x20 && line[i] != '\n') || line[i] > 0x7e)
			line[i] = '.';
	line[len] = 0;
	hyp_log_prefix("[RM] ", "%s", line);
}

static void rmvm_ready(const u64 *regs)
{
	if (rmvm.ready)
		return;
	rmvm.link.tx_cap = regs[1];
	rmvm.link.rx_cap = regs[2];
	rmvm.link.queue_depth = MIN(regs[3], (u64)MSGQ_MAX_DEPTH);
	rmvm.link.msg_size = MIN(regs[4], (u64)MSGQ_MAX_MSG_SIZE);
	rmvm.ready = true;
}

/* Its HVC #0: its private calls here, the others as any RM hypercall. */
static void rmvm_hvc(struct hyp_guest *g, struct guest_vcpu *v)
{
	u64 *regs = v->gprs.x;
	u32 fid = regs[0], num = fid & ~GUNYAH_HYPCALL_FID_MASK;

	if ((fid & GUNYAH_HYPCALL_FID_MASK) != GUNYAH_HYPCALL_FID(0)) {
		regs[0] = (u64)SMCCC_RET_NOT_SUPPORTED;
		return;
	}
	switch (num) {
	case HYP_HYPCALL_RM_LOG:
		rmvm_log(regs);
		regs[0] = GUNYAH_ERROR_OK;
		return;
	case HYP_HYPCALL_RM_READY:
		rmvm_ready(regs);
		regs[0] = GUNYAH_ERROR_OK;
		return;
	case HYP_HYPCALL_RM_FAULT:
		rmvm_kill("its exception vector", regs);
		return;
	default:
		hypercall_dispatch(rmvm.vm, num, regs);
		return;
	}
}

/* Bits it has not taken yet (it may write anything there: only a hint). */
static bool rmvm_pending(void)
{
	return __atomic_load_n(rmvm.events, __ATOMIC_SEQ_CST);
}

/* Run the RM on this CPU until it waits with nothing raised, or dies. */
static void rmvm_run(void)
{
	struct hyp_guest *g = rmvm.g;
	struct guest_vcpu *v = &g->vcpu[0];
	u64 max = read_sysreg(cntfrq_el0) / 1000 * RM_VM_RUN_MAX_MS, out[4];
	u64 deadline = read_sysreg(cntpct_el0) + max, entered, now;
	struct arch_host_save host;
	bool loaded = false;
	int state;

	spin_lock(&g->lock);
	v->running = true;
	v->waiting = false;
	v->host_cpu = this_cpu()->index;
	spin_unlock(&g->lock);
	/* Its watchdog: the hypervisor timer takes it out to look. */
	guest_hyp_timer_slice(deadline);
	for (;;) {
		state = guest_vcpu_enter_state(g, v, out);
		/* Its WFI with something to take: it goes on, and takes it. */
		if (state == VCPU_RUN_EXPECTS_WAKEUP && rmvm_pending()) {
			spin_lock(&g->lock);
			v->wfi = false;
			v->waiting = false;
			spin_unlock(&g->lock);
			continue;
		}
		if (state >= 0)
			break;
		if (!loaded) {
			arch_guest_load(g, v, &host);
			loaded = true;
		}
		entered = read_sysreg(cntpct_el0);
		state = arch_guest_run_once(g, v, out);
		now = read_sysreg(cntpct_el0);
		/*
		 * The host's interrupts wait until the RM waits. Its tick too:
		 * its own timer, back at arch_guest_put(), raises it then; the
		 * hypervisor timer must not fire again and again meanwhile.
		 */
		if (state == VCPU_RUN_READY)
			guest_host_tick(0);
		else if (state >= 0)
			break;
		if (now - entered >= max) {
			rmvm_kill("2 s at EL1 without a trap", NULL);
			break;
		}
		if (now >= deadline) {
			deadline = now + max;
			guest_hyp_timer_slice(deadline);
		}
	}
	if (loaded)
		arch_guest_put(g, v, &host);
	guest_hyp_timer_slice(0);
	spin_lock(&g->lock);
	v->running = false;
	if (g->exit != GUEST_RUNNING)
		rmvm.dead = true;
	spin_unlock(&g->lock);
}

void rmvm_raise(unsigned int virq)
{
	/* No RM VM (its creation failed): nobody to run. */
	if (!rmvm.events)
		return;
	__atomic_fetch_or(rmvm.events, BIT(virq), __ATOMIC_SEQ_CST);
	/* Here, unless another CPU runs it: that one sees the bit before it lets go. */
	while (!__atomic_exchange_n(&rmvm.busy, 1, __ATOMIC_ACQUIRE)) {
		if (!READ_ONCE(rmvm.dead))
			rmvm_run();
		__atomic_store_n(&rmvm.busy, 0, __ATOMIC_SEQ_CST);
		if (READ_ONCE(rmvm.dead) || !rmvm_pending())
			break;
	}
}

const struct rm_link_info *rmvm_host_link(void)
{
	return rmvm.ready && !rmvm.dead ? &rmvm.link : NULL;
}

/* Make the I-cache see the image written as data. */
static void rmvm_sync_icache(const void *va, u64 size)
{
	dcache_clean_range(va, size);
	asm volatile("ic ialluis\n\tdsb ish\n\tisb" : : : "memory");
}

int rmvm_create(struct hyp_vm *vm, const struct rm_host_irqs *irqs,
		 const struct rm_boot_info *info)
{
	size_t img = rm_image_end - rm_image_start;
	u64 regs[HYP_BOOT_NR_REGS] = { 0 };
	struct hyp_guest *g;
	void *mem;
	int ret;

	if (img > RM_VM_SIZE - RM_VM_STACK_SIZE - SZ_4K)
		return GUNYAH_ERROR_NOMEM;
	mem = page_alloc_contig(RM_VM_SIZE / SZ_4K);
	g = hyp_guest_create(VMID_RM);
	if (!mem || !g)
		return GUNYAH_ERROR_NOMEM;
	rmvm.g = g;
	rmvm.vm = vm;
	rmvm.mem = (paddr_t)mem;
	rmvm.events = (u32 *)((u8 *)mem + (RM_VM_EVENTS_IPA - RM_VM_IPA_BASE));
	memcpy(mem, rm_image_start, img);
	memcpy((u8 *)mem + (RM_VM_BOOT_INFO_IPA - RM_VM_IPA_BASE), info, sizeof(*info));
	rmvm_sync_icache(mem, img);

	ret = hyp_guest_configure(g, 1, RM_VM_GICD, RM_VM_GICR);
	if (!ret)
		ret = pgtable_map(&g->s2, RM_VM_IPA_BASE, rmvm.mem, RM_VM_SIZE, PGT_PROT_RWX);
	if (ret)
		return ret;
	g->hvc = rmvm_hvc;
	g->hcr_extra = HCR_DC;
	rmvm.link = (struct rm_link_info){
		.tx_intid = irqs->tx_intid,
		.rx_intid = irqs->rx_intid,
		.free_irq_start = irqs->free_irq_start,
	};

	regs[HYP_BOOT_REG_PC] = RM_VM_IPA_BASE;
	regs[0] = RM_VM_BOOT_INFO_IPA;
	ret = hyp_guest_start(g, regs, HYP_BOOT_NR_REGS);
	if (!ret)
		hyp_log("RM VM: %lu KiB image, %lu KiB at IPA %#lx from %#lx\n",
			(unsigned long)img / 1024, (unsigned long)RM_VM_SIZE / 1024,
			(unsigned long)RM_VM_IPA_BASE, (unsigned long)rmvm.mem);
	return ret;
}

int rmvm_boot(void)
{
	if (!rmvm.g)
		return GUNYAH_ERROR_OBJECT_STATE;
	/* Only this CPU runs yet: its start, up to its first WFI. */
	rmvm.busy = 1;
	rmvm_run();
	rmvm.busy = 0;
	if (rmvm.dead || !rmvm.ready) {
		rmvm.dead = true;
		return GUNYAH_ERROR_OBJECT_STATE;
	}
	return 0;
}
