// SPDX-License-Identifier: GPL-2.0-only
/*
 * The resource manager's VM: rm.elf (rm/el1/, packaged into this image by
 * core/rm_image.S) in a VM of its own, VMID 0xff, at EL1.
 *
 * - Memory: RM_VM_SIZE bytes of the hypervisor's pool, zeroed, the image
 *   copied to their start and the devicetree the primary VM starts from
 *   to their end; its stage 2 maps them at RM_VM_IPA_BASE and nothing
 *   else (hyp/rm_vm_abi.h). Other VMs' memory it reads and writes
 *   through its hypercalls; the buffers it names are checked against its
 *   own memory here.
 * - Interrupts: its RM_VIRQ_* come through its own GIC virtual CPU
 *   interface, as SPIs RM_VM_VINTID_BASE + N in list registers 0 and 1
 *   (hyp/rm_vm_abi.h): it acknowledges and ends them itself
 *   (ICC_IAR1_EL1, ICC_EOIR1_EL1), without a trap. Raised, they wait in
 *   @pending here until it runs, or, if it runs, until its next WFI.
 * - Scheduling: whoever raises one of its interrupts runs it at once, on
 *   its own CPU, until it waits again (WFI with nothing raised), then goes
 *   back to what it was doing; a CPU that finds it running elsewhere only
 *   sets the bit, and the running one sees it before it lets go. So a
 *   client's request is served before its msgqueue_send returns, as when
 *   the RM was linked in.
 * - Its vCPU: arch/rm_run.h swaps the host's EL1 registers, EL2 controls
 *   and GIC virtual CPU interface for its own; it has no timer, so its
 *   runs are part of the host's trap that raised its interrupt (physical
 *   interrupts meanwhile go to the host's virtual GIC as in any trap of
 *   the host's).
 * - Faults: every exception of its own ends in its vectors'
 *   HYP_HYPCALL_RM_FAULT; every trap that is not a hypercall or a WFI (a
 *   stage-2 abort, a trapped register or instruction, an SError) is a
 *   crash here; so is RM_VM_RUN_MAX_MS at EL1 without a trap. The
 *   hypervisor logs it and never runs the RM again; everything else goes
 *   on.
 */
#include <string.h>
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <arch/rm_run.h>
#include <arch/sysreg.h>
#include <hyp/alloc.h>
#include <hyp/console.h>
#include <hyp/gunyah_abi.h>
#include <hyp/guest.h>
#include <hyp/host_gic.h>
#include <hyp/hypercall.h>
#include <hyp/pgtable.h>
#include <hyp/rm_partition.h>
#include <hyp/rm_vm_abi.h>
#include <hyp/vm.h>
#include <rm/rm.h>

/*
 * That long at EL1 without a trap is a hung RM. Time in its hypercalls
 * does not count: taking back and zeroing a large parcel takes long.
 */
#define RM_VM_RUN_MAX_MS	2000

extern const u8 rm_image_start[], rm_image_end[];

static struct rmvm_state {
	struct hyp_vm *vm;	/* its cspace, for its hypercalls */
	struct pgtable s2;
	u64 vttbr;
	struct guest_gprs gprs;
	struct el1_sysregs el1;
	struct arch_rm_gic gic;
	paddr_t mem;
	bool created;
	u32 pending;		/* RM_VIRQ_* bits raised, not yet in its list registers */
	u32 busy;		/* a CPU runs it */
	bool ready;		/* it said HYP_HYPCALL_RM_READY */
	bool dead;
} rmvm;

/*
 * Its buffer [@ipa, @ipa + @len) in its memory, or NULL. The guard page
 * below its stack is its memory too: nothing to protect there.
 */
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

/* The RM is dead from now on: what it did, for the log. */
static void rmvm_kill(const char *why, u64 esr, u64 elr, u64 far, u64 vector)
{
	hyp_log("RM faulted (%s): ESR %#lx ELR %#lx FAR %#lx vector %#lx; RM VM stopped\n", why,
		(unsigned long)esr, (unsigned long)elr, (unsigned long)far, (unsigned long)vector);
	WRITE_ONCE(rmvm.dead, true);
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

/* Its HVC #0: its private calls here, the others as any RM hypercall. */
static void rmvm_hvc(u64 *regs)
{
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
		rmvm.ready = true;
		regs[0] = GUNYAH_ERROR_OK;
		return;
	case HYP_HYPCALL_RM_FAULT:
		rmvm_kill("its exception vector", regs[1], regs[2], regs[3], regs[4]);
		return;
	default:
		hypercall_dispatch(rmvm.vm, num, regs);
		return;
	}
}

/* Raised since it last looked. */
static bool rmvm_pending(void)
{
	return __atomic_load_n(&rmvm.pending, __ATOMIC_SEQ_CST);
}

/* A list register of its: RM_VIRQ_@virq, in @state (ICH_LR_PENDING, ...). */
static u64 rmvm_lr(unsigned int virq, u64 state)
{
	/* The halt first: it makes the RM serve its queues too. */
	u64 prio = virq == RM_VIRQ_HALT ? 0x90 : 0xa0;

	return FIELD_PREP(ICH_LR_VINTID, RM_VM_VINTID_BASE + virq) |
	       FIELD_PREP(ICH_LR_PRIORITY, prio) | ICH_LR_GROUP1 |
	       FIELD_PREP(ICH_LR_STATE, state);
}

/*
 * What was raised, pending in its list registers: in @lr (not loaded), or
 * in the CPU's (loaded). An interrupt it has not taken yet stays one.
 */
static void rmvm_inject(u64 *lr, bool loaded)
{
	u32 bits = __atomic_exchange_n(&rmvm.pending, 0, __ATOMIC_SEQ_CST);
	unsigned int i;

	if (loaded && bits)
		gic_lrs_read(lr, RM_NR_LRS);
	for (i = 0; i < RM_NR_LRS; i++) {
		if (!(bits & BIT(i)))
			continue;
		lr[i] = rmvm_lr(i, FIELD_GET(ICH_LR_STATE, lr[i]) | ICH_LR_PENDING);
		if (loaded)
			gic_lr_write(i, lr[i]);
	}
}

/* A trap of the RM's: true to let it go on. */
static bool rmvm_sync(void)
{
	u64 esr = read_sysreg(esr_el2);

	switch (FIELD_GET(ESR_EC, esr)) {
	case ESR_EC_HVC64:
		if (FIELD_GET(ESR_HVC_IMM, esr))
			rmvm.gprs.x[0] = (u64)-1;
		else
			rmvm_hvc(rmvm.gprs.x);
		return !READ_ONCE(rmvm.dead);
	case ESR_EC_WFX: {
		u64 lr[RM_NR_LRS];

		rmvm.gprs.pc += 4;
		if (esr & ESR_WFX_WFE)
			return true;
		/*
		 * Its WFI with something raised meanwhile: it goes on, and
		 * takes it. Not for an interrupt it leaves pending (masked):
		 * that one waits for its next run.
		 */
		if (!rmvm_pending())
			return false;
		rmvm_inject(lr, true);
		return true;
	}
	default:
		rmvm_kill("a trap", esr, rmvm.gprs.pc, read_sysreg(far_el2), 0);
		return false;
	}
}

/* Run the RM on this CPU until it waits with nothing raised, or dies. */
static void rmvm_run(void)
{
	u64 max = read_sysreg(cntfrq_el0) / 1000 * RM_VM_RUN_MAX_MS;
	u64 deadline = read_sysreg(cntpct_el0) + max, entered, now;
	struct arch_rm_host host;
	bool go = true;

	/* Its watchdog: the hypervisor timer takes it out to look. */
	guest_hyp_timer_slice(deadline);
	rmvm_inject(rmvm.gic.lr, false);
	arch_rm_load(&rmvm.el1, &rmvm.gic, rmvm.vttbr, &host);
	while (go) {
		u64 kind;

		entered = read_sysreg(cntpct_el0);
		kind = guest_enter(&rmvm.gprs);
		now = read_sysreg(cntpct_el0);
		switch (kind) {
		case GUEST_TRAP_SYNC:
			go = rmvm_sync();
			break;
		case GUEST_TRAP_IRQ:
		case GUEST_TRAP_FIQ:
			/* The host's interrupts wait in its virtual GIC until the RM waits. */
			if (hyp_irq_handle(false) & HYP_IRQ_TIMER)
				guest_hyp_timer_expired();
			break;
		default:
			rmvm_kill("an SError", read_sysreg(esr_el2), rmvm.gprs.pc, 0, 0);
			go = false;
			break;
		}
		if (go && now - entered >= max) {
			rmvm_kill("2 s at EL1 without a trap", 0, rmvm.gprs.pc, 0, 0);
			go = false;
		}
		if (go && now >= deadline) {
			deadline = now + max;
			guest_hyp_timer_slice(deadline);
		}
	}
	arch_rm_put(&rmvm.el1, &rmvm.gic, &host);
	guest_hyp_timer_slice(0);
}

/*
 * Called with the host's state in the CPU (no guest loaded): the RM's
 * interrupts come from the host's operations on its queues and from
 * guest_vcpu_left(), after the guest was put.
 */
void rmvm_raise(unsigned int virq)
{
	/* No RM VM (its creation failed): nobody to run. */
	if (!rmvm.created || virq >= RM_NR_LRS)
		return;
	__atomic_fetch_or(&rmvm.pending, BIT(virq), __ATOMIC_SEQ_CST);
	/* Here, unless another CPU runs it: that one sees the bit before it lets go. */
	while (!__atomic_exchange_n(&rmvm.busy, 1, __ATOMIC_ACQUIRE)) {
		if (!READ_ONCE(rmvm.dead))
			rmvm_run();
		__atomic_store_n(&rmvm.busy, 0, __ATOMIC_SEQ_CST);
		if (READ_ONCE(rmvm.dead) || !rmvm_pending())
			break;
	}
}

/* Make the I-cache see the image written as data. */
static void rmvm_sync_icache(const void *va, u64 size)
{
	dcache_clean_range(va, size);
	asm volatile("ic ialluis\n\tdsb ish\n\tisb" : : : "memory");
}

int rmvm_create(struct hyp_vm *vm, struct rm_boot_info *info, const void *host_dt,
		u64 host_dt_size)
{
	size_t img = rm_image_end - rm_image_start;
	void *mem;
	int ret;

	if (img > RM_VM_GUARD_IPA - RM_VM_IPA_BASE || host_dt_size > RM_VM_HOST_DT_MAX)
		return GUNYAH_ERROR_NOMEM;
	/* A list register for each of its interrupts. */
	if (gic_nr_lrs() < RM_NR_LRS)
		return GUNYAH_ERROR_NORESOURCES;
	mem = page_alloc_contig(RM_VM_SIZE / SZ_4K);
	if (!mem)
		return GUNYAH_ERROR_NOMEM;
	ret = pgtable_init(&rmvm.s2, PGT_STAGE2, &arch_s2_ops, &rmvm.vttbr);
	/* All of it but the guard page below its stack. */
	if (!ret)
		ret = pgtable_map(&rmvm.s2, RM_VM_IPA_BASE, (paddr_t)mem,
				  RM_VM_GUARD_IPA - RM_VM_IPA_BASE, PGT_PROT_RWX);
	if (!ret)
		ret = pgtable_map(&rmvm.s2, RM_VM_STACK_IPA,
				  (paddr_t)mem + (RM_VM_STACK_IPA - RM_VM_IPA_BASE),
				  RM_VM_IPA_BASE + RM_VM_SIZE - RM_VM_STACK_IPA, PGT_PROT_RWX);
	if (ret)
		return ret;
	/* Hardware VMID 0xff: guests have 1-63 and 0x80-0xbf, the host 0. */
	rmvm.vttbr = rmvm.s2.root_pa | ((u64)(VMID_RM & 0xff) << VTTBR_VMID_SHIFT);
	rmvm.vm = vm;
	rmvm.mem = (paddr_t)mem;
	memcpy(mem, rm_image_start, img);
	memcpy((u8 *)mem + (RM_VM_HOST_DT_IPA - RM_VM_IPA_BASE), host_dt, host_dt_size);
	info->host_dt = RM_VM_HOST_DT_IPA;
	info->host_dt_max = RM_VM_HOST_DT_MAX;
	memcpy((u8 *)mem + (RM_VM_BOOT_INFO_IPA - RM_VM_IPA_BASE), info, sizeof(*info));
	rmvm_sync_icache(mem, img);

	/* Its reset state: EL1h, interrupts masked, MMU off, x0 the boot information. */
	rmvm.gprs.pc = RM_VM_IPA_BASE;
	rmvm.gprs.pstate = PSR_MODE_EL1h | PSR_DAIF;
	rmvm.gprs.x[0] = RM_VM_BOOT_INFO_IPA;
	rmvm.el1.sctlr = SCTLR_EL1_RESET;
	rmvm.created = true;
	hyp_log("RM VM: %lu KiB image, %lu KiB at IPA %#lx from %#lx\n",
		(unsigned long)img / 1024, (unsigned long)RM_VM_SIZE / 1024,
		(unsigned long)RM_VM_IPA_BASE, (unsigned long)rmvm.mem);
	return 0;
}

int rmvm_boot(void)
{
	if (!rmvm.created)
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
