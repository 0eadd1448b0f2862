// SPDX-License-Identifier: GPL-2.0-only
/*
 * Running a guest vCPU on this CPU; see arch/guest_run.h.
 *
 * While a guest is loaded its EL1 registers, FP/SIMD registers, virtual
 * timer and GIC virtual interface are in the CPU (the host's are saved,
 * its virtual GIC's with host_gic_guest_load()), and physical interrupts
 * come to EL2 as they always do (HCR_EL2.IMO/FMO), plus SErrors (AMO).
 * Physical interrupts are acknowledged by hyp_irq_handle(); then:
 *
 * - INTID 27, the virtual timer, is the guest's. It is forwarded through
 *   a hardware-linked list register: while the guest has it pending or
 *   active the physical interrupt is kept active, and the guest's EOI
 *   deactivates both. The host gets it back inactive at arch_guest_put().
 * - INTID 26, the hypervisor timer, also stands in for the host's virtual
 *   timer, which the guest displaced: once the host's deadline passes the
 *   vCPU goes back to the host (READY) so that the host's tick is not lost.
 * - The hypervisor's SGI (a kick) makes the loop look again at what was
 *   injected meanwhile.
 * - Any other interrupt belongs to the host: it is in the host's virtual
 *   GIC, and vcpu_run returns READY for the host to take it.
 */
#include <arch/gic.h>
#include <arch/guest_run.h>
#include <arch/inject.h>
#include <arch/sysreg.h>
#include <hyp/console.h>
#include <hyp/guest.h>
#include <hyp/host_gic.h>
#include <hyp/sysreg_emul.h>

#define ICH_HCR_EL2_REG		ICH_HCR_EL2

/* ESR_EL2.ISS of aborts */
#define ISS_ABT_WNR		BIT(6)

void arch_hyp_timer_arm(u64 deadline)
{
	/* Armed for that already (every vcpu_run asks for the host's tick). */
	if (this_cpu()->hyp_timer_at == deadline)
		return;
	this_cpu()->hyp_timer_at = deadline;
	write_sysreg(deadline, cnthp_cval_el2);
	write_sysreg(CNT_CTL_ENABLE, cnthp_ctl_el2);
	isb();
}

void arch_hyp_timer_disarm(void)
{
	this_cpu()->hyp_timer_at = 0;
	/* The level interrupt drops with the enable: the host never sees it. */
	write_sysreg(0, cnthp_ctl_el2);
	isb();
}

/*
 * FP/SIMD registers are switched at the guest's first use in a load (the
 * trap of CPTR_EL2.TFP): a guest that does not touch them between two
 * exits costs nothing. One that does is switched at once for its next
 * EAGER_LOADS loads, then trapped again to see whether it still does.
 */
#define EAGER_LOADS	8

static void guest_fp_switch(struct guest_vcpu *v)
{
	/* TFP traps EL2's own FP/SIMD instructions too: off first. */
	write_sysreg(read_sysreg(cptr_el2) & ~CPTR_EL2_TFP, cptr_el2);
	isb();
	fp_save(this_cpu()->host_fp);
	fp_restore(&v->fp);
	v->fp_live = true;
}

/*
 * Pointer-authentication keys likewise: the guest runs with HCR_EL2.API and
 * APK clear, so that its first pointer-authentication instruction or key
 * register access traps, and its keys are loaded then (a guest that never
 * uses them never pays for them).
 */
static void guest_pauth_switch(struct guest_vcpu *v)
{
	pauth_keys_save(this_cpu()->host_pauth);
	pauth_keys_restore(v->el1.pauth);
	write_sysreg(read_sysreg(hcr_el2) | HCR_API | HCR_APK, hcr_el2);
	isb();
	v->pauth_live = true;
}

/* A trap for @v's first use of pointer authentication in this load: true if it was one. */
static bool guest_pauth_trap(struct guest_vcpu *v)
{
	if (!arch_has_pauth() || v->pauth_live)
		return false;
	guest_pauth_switch(v);
	v->pauth_eager = EAGER_LOADS;
	return true;
}

void arch_guest_load(struct hyp_guest *g, struct guest_vcpu *v, struct arch_host_save *host)
{
	host->hcr = read_sysreg(hcr_el2);
	host->mdcr = read_sysreg(mdcr_el2);
	host->cptr = read_sysreg(cptr_el2);
	host->cnthctl = read_sysreg(cnthctl_el2);
	host->vttbr = read_sysreg(vttbr_el2);
	host->vmpidr = read_sysreg(vmpidr_el2);
	host->elr = read_sysreg(elr_el2);
	host->spsr = read_sysreg(spsr_el2);
	el1_sysregs_save(&host->el1);
	host->timer.ctl = read_sysreg(cntv_ctl_el0);
	host->timer.cval = read_sysreg(cntv_cval_el0);

	/* The host's next tick, kept by the hypervisor timer. */
	write_sysreg(0, cntv_ctl_el0);
	isb();
	guest_host_tick((host->timer.ctl & (CNT_CTL_ENABLE | CNT_CTL_IMASK)) == CNT_CTL_ENABLE ?
			host->timer.cval : 0);
	host_gic_guest_load();

	/* The host's controls, plus interrupts to EL2 and trapped ID registers. */
	write_sysreg((host->hcr | HCR_IMO | HCR_FMO | HCR_AMO | HCR_TID3) & ~(HCR_API | HCR_APK),
		     hcr_el2);
	write_sysreg(host->mdcr | MDCR_EL2_TPM | MDCR_EL2_TPMCR | MDCR_EL2_TDA |
		     MDCR_EL2_TDOSA | MDCR_EL2_TDRA, mdcr_el2);
	write_sysreg(CPTR_EL2_RES1 | CPTR_EL2_TZ | CPTR_EL2_TSM | CPTR_EL2_TTA | CPTR_EL2_TAM |
		     CPTR_EL2_TFP, cptr_el2);
	write_sysreg(CNTHCTL_EL1PCTEN, cnthctl_el2);
	write_sysreg(g->vttbr, vttbr_el2);
	write_sysreg(v->mpidr, vmpidr_el2);
	isb();

	el1_sysregs_restore(&v->el1);
	this_cpu()->host_fp = &host->fp;
	v->fp_live = false;
	/* It used FP/SIMD lately: it likely will again, switch now. */
	if (v->fp_eager) {
		v->fp_eager--;
		guest_fp_switch(v);
	}
	this_cpu()->host_pauth = host->el1.pauth;
	v->pauth_live = false;
	if (v->pauth_eager && arch_has_pauth()) {
		v->pauth_eager--;
		guest_pauth_switch(v);
	}
	gic_cpuif_restore(&v->cpuif);
	write_sysreg(g->cntvoff, cntvoff_el2);
	write_sysreg(v->timer.cval, cntv_cval_el0);
	write_sysreg(v->timer.ctl, cntv_ctl_el0);
	isb();
}

void arch_guest_put(struct hyp_guest *g, struct guest_vcpu *v, struct arch_host_save *host)
{
	el1_sysregs_save(&v->el1);
	if (v->fp_live)
		fp_save(&v->fp);
	if (v->pauth_live) {
		pauth_keys_save(v->el1.pauth);
		pauth_keys_restore(host->el1.pauth);
	}
	gic_cpuif_save(&v->cpuif);
	v->timer.ctl = read_sysreg(cntv_ctl_el0);
	v->timer.cval = read_sysreg(cntv_cval_el0);
	write_sysreg(0, cntv_ctl_el0);
	isb();
	/* The guest's timer interrupt, parked active, is the host's again. */
	if (this_cpu()->vtimer_parked) {
		gic_local_ppi_set_active(GIC_INTID_VTIMER, false);
		this_cpu()->vtimer_parked = false;
	}
	guest_host_untick();
	host_gic_guest_put();

	write_sysreg(host->hcr, hcr_el2);
	write_sysreg(host->mdcr, mdcr_el2);
	write_sysreg(host->cptr, cptr_el2);
	write_sysreg(host->cnthctl, cnthctl_el2);
	write_sysreg(host->vttbr, vttbr_el2);
	write_sysreg(host->vmpidr, vmpidr_el2);
	write_sysreg(host->elr, elr_el2);
	write_sysreg(host->spsr, spsr_el2);
	isb();
	el1_sysregs_restore(&host->el1);
	if (v->fp_live)
		fp_restore(&host->fp);
	write_sysreg(0, cntvoff_el2);
	write_sysreg(host->timer.cval, cntv_cval_el0);
	write_sysreg(host->timer.ctl, cntv_ctl_el0);
	isb();
}

void arch_guest_inject_dabt(struct guest_vcpu *v, u64 ipa, bool write)
{
	u64 ec = arch_pstate_is_el0(v->gprs.pstate) ? ESR_EC_DABT_LOW : ESR_EC_DABT_CUR;

	arch_inject_sync(&v->gprs.pc, &v->gprs.pstate, &v->el1,
			 FIELD_PREP(ESR_EC, ec) | ESR_IL | ESR_FSC_SEA | (write ? ISS_ABT_WNR : 0),
			 v->el1.far);
}

/* An exception for the loaded guest: its EL1 registers are live. */
static void inject_live(struct guest_vcpu *v, u64 esr, u64 far)
{
	arch_inject_sync(&v->gprs.pc, &v->gprs.pstate, NULL, esr, far);
}

static void inject_undef(struct guest_vcpu *v)
{
	inject_live(v, FIELD_PREP(ESR_EC, ESR_EC_UNKNOWN) | ESR_IL, 0);
}

static void inject_abort(struct guest_vcpu *v, bool data, u64 esr)
{
	bool el0 = arch_pstate_is_el0(v->gprs.pstate);
	u64 ec = data ? (el0 ? ESR_EC_DABT_LOW : ESR_EC_DABT_CUR)
		      : (el0 ? ESR_EC_IABT_LOW : ESR_EC_IABT_CUR);

	inject_live(v, FIELD_PREP(ESR_EC, ec) | ESR_IL | ESR_FSC_SEA |
		    (data ? (esr & ISS_ABT_WNR) : 0), read_sysreg(far_el2));
}

/*
 * What becomes of a stage-2 abort that no virtual device took, the access
 * decoded into @a (or NULL): a VMMIO exit (true), or an abort for the
 * guest, or, if the guest took it in its own EL1h synchronous vector (it
 * would take the next one there too), the end of the VM. A vCPU the
 * hypervisor schedules has no owner to emulate it: an abort too.
 */
static bool s2_abort(struct hyp_guest *g, struct guest_vcpu *v, bool data, u64 esr,
		     const struct mmio_access *a)
{
	switch (mmio_abort_fate(&g->vmmio, a, v->gprs.pc, v->gprs.pstate,
				read_sysreg(vbar_el1))) {
	case S2_ABORT_VMMIO_EXIT:
		if (!v->scheduled)
			return true;
		inject_abort(v, data, esr);
		return false;
	case S2_ABORT_HALT:
		spin_lock(&g->lock);
		guest_exit_locked(g, GUEST_EXIT_FAULT);
		spin_unlock(&g->lock);
		return false;
	default:
		inject_abort(v, data, esr);
		return false;
	}
}

static u64 gpr(const struct guest_vcpu *v, unsigned int rt)
{
	return rt == 31 ? 0 : v->gprs.x[rt];
}

static void set_gpr(struct guest_vcpu *v, unsigned int rt, u64 val)
{
	if (rt != 31)
		v->gprs.x[rt] = val;
}

static u64 id_reg_read(u32 reg)
{
	switch (reg) {
	case SYSREG_ID_AA64PFR0:
		return read_sysreg(id_aa64pfr0_el1);
	case SYSREG_ID_AA64PFR1:
		return read_sysreg(id_aa64pfr1_el1);
	case SYSREG_ID_AA64DFR0:
		return read_sysreg(id_aa64dfr0_el1);
	case SYSREG_ID_AA64ISAR0:
		return read_sysreg(id_aa64isar0_el1);
	case SYSREG_ID_AA64ISAR1:
		return read_sysreg(id_aa64isar1_el1);
	case SYSREG_ID_AA64ISAR2:
		return read_sysreg(ID_AA64ISAR2_EL1);
	case SYSREG_ID_AA64MMFR0:
		return read_sysreg(id_aa64mmfr0_el1);
	case SYSREG_ID_AA64MMFR1:
		return read_sysreg(id_aa64mmfr1_el1);
	case SYSREG_ID_AA64MMFR2:
		return read_sysreg(s3_0_c0_c7_2);
	default:
		return 0;
	}
}

static void handle_sysreg(struct hyp_guest *g, struct guest_vcpu *v, u64 esr)
{
	struct sysreg_access a;
	u32 kick;

	switch (sysreg_decode(esr & ESR_ISS, &a)) {
	case SYSREG_CLASS_ID:
		set_gpr(v, a.rt, sysreg_id_sanitise(a.reg, id_reg_read(a.reg)));
		break;
	case SYSREG_CLASS_MDSCR:
		if (a.read)
			set_gpr(v, a.rt, v->mdscr);
		else
			v->mdscr = gpr(v, a.rt);
		break;
	case SYSREG_CLASS_SGI:
		spin_lock(&g->lock);
		kick = vgic_sgi(&g->vgic, v - g->vcpu, gpr(v, a.rt));
		guest_kick_locked(g, kick);
		spin_unlock(&g->lock);
		break;
	case SYSREG_CLASS_RAZ_WI:
		if (a.read)
			set_gpr(v, a.rt, 0);
		break;
	case SYSREG_CLASS_UNDEF:
		inject_undef(v);
		return;
	}
	v->gprs.pc += 4;
}

/* A stage-2 data abort: the virtual GIC, the owner's MMIO, or an abort. */
static int handle_dabt(struct hyp_guest *g, struct guest_vcpu *v, u64 esr, u64 out[4])
{
	struct mmio_access a;
	u64 val;
	u32 kick;
	bool gic;

	if (mmio_decode(esr, read_sysreg(hpfar_el2), read_sysreg(far_el2), &a)) {
		s2_abort(g, v, true, esr, NULL);
		return -1;
	}
	val = a.write ? mmio_write_value(&a, gpr(v, a.reg)) : 0;
	/* Not the vGIC's (an MMIO exit, the hot case): no lock, nothing to kick. */
	gic = vgic_covers(&g->vgic, a.ipa);
	if (gic) {
		spin_lock(&g->lock);
		gic = vgic_mmio(&g->vgic, v - g->vcpu, a.ipa, a.size, a.write, &val, &kick);
		guest_kick_locked(g, kick);
		spin_unlock(&g->lock);
	}
	if (gic) {
		if (!a.write && a.reg != 31)
			v->gprs.x[a.reg] = mmio_read_value(&a, val);
		v->gprs.pc += 4;
		return -1;
	}
	/* Outside the VMMIO ranges: an abort, as for an undecodable access. */
	if (!s2_abort(g, v, true, esr, &a))
		return -1;
	/* The owner emulates it and answers in the next vcpu_run. */
	v->mmio = a;
	v->mmio_pending = true;
	out[1] = a.ipa;
	out[2] = a.size;
	out[3] = val;
	return a.write ? VCPU_RUN_VMMIO_WRITE : VCPU_RUN_VMMIO_READ;
}

static void handle_wfi(struct hyp_guest *g, struct guest_vcpu *v)
{
	unsigned int idx = v - g->vcpu;

	v->gprs.pc += 4;
	spin_lock(&g->lock);
	if (!vgic_has_pending(&g->vgic, idx) &&
	    !vgic_irq_in_flight(&g->vgic, idx, VGIC_INTID_VTIMER))
		v->wfi = true;
	spin_unlock(&g->lock);
}

static int handle_sync(struct hyp_guest *g, struct guest_vcpu *v, u64 out[4])
{
	u64 esr = read_sysreg(esr_el2);

	switch (FIELD_GET(ESR_EC, esr)) {
	case ESR_EC_FP:
		/* Its first FP/SIMD instruction of this load: run it again with its registers. */
		if (!v->fp_live) {
			guest_fp_switch(v);
			v->fp_eager = EAGER_LOADS;
			return -1;
		}
		inject_undef(v);
		return -1;
	case ESR_EC_PAC:
		/* Its first pointer-authentication instruction of this load: again, with its keys. */
		if (!guest_pauth_trap(v))
			inject_undef(v);
		return -1;
	case ESR_EC_WFX:
		if (esr & ESR_WFX_WFE)
			v->gprs.pc += 4;
		else
			handle_wfi(g, v);
		return -1;
	case ESR_EC_SMC64:
		v->gprs.pc += 4;
		__attribute__((__fallthrough__));
	case ESR_EC_HVC64:
		if (FIELD_GET(ESR_HVC_IMM, esr))
			v->gprs.x[0] = (u64)-1;
		else
			vpsci_call(g, v, v->gprs.x);
		return -1;
	case ESR_EC_SYS64:
		/* A key register: its keys first, then the access again. */
		if (pauth_key_sysreg(esr) && guest_pauth_trap(v))
			return -1;
		handle_sysreg(g, v, esr);
		return -1;
	case ESR_EC_DABT_LOW:
		return handle_dabt(g, v, esr, out);
	case ESR_EC_IABT_LOW:
		/* Executing from an unbacked or non-executable address. */
		s2_abort(g, v, false, esr, NULL);
		return -1;
	default:
		inject_undef(v);
		return -1;
	}
}

/* Sample the guest's timer output into its virtual interrupt line. */
static void vtimer_sync(struct hyp_guest *g, struct guest_vcpu *v)
{
	unsigned int idx = v - g->vcpu;
	bool line, held;

	v->timer.ctl = read_sysreg(cntv_ctl_el0);
	v->timer.cval = read_sysreg(cntv_cval_el0);
	line = (v->timer.ctl & (CNT_CTL_ENABLE | CNT_CTL_IMASK | CNT_CTL_ISTATUS)) ==
	       (CNT_CTL_ENABLE | CNT_CTL_ISTATUS);
	/*
	 * Low now and at the last look, nothing of it in flight then: the
	 * vGIC has nothing to learn (the common case, at every entry and exit).
	 */
	if (!line && !v->vtimer_hot)
		return;
	spin_lock(&g->lock);
	vgic_set_level(&g->vgic, idx, VGIC_INTID_VTIMER, line);
	held = vgic_irq_in_flight(&g->vgic, idx, VGIC_INTID_VTIMER);
	spin_unlock(&g->lock);
	v->vtimer_hot = line || held;
	/* Forwarded: park the physical interrupt until the guest's EOI. */
	if (held) {
		gic_local_ppi_set_active(GIC_INTID_VTIMER, true);
		this_cpu()->vtimer_parked = true;
	}
}

/* A physical interrupt took the guest out: READY if the host has one to take. */
static int guest_irq(struct hyp_guest *g, struct guest_vcpu *v)
{
	unsigned int flags = hyp_irq_handle(true);

	/* Acknowledged while the guest's line had dropped again: nothing to park. */
	if (flags & HYP_IRQ_VTIMER) {
		bool held;

		spin_lock(&g->lock);
		held = vgic_irq_in_flight(&g->vgic, v - g->vcpu, VGIC_INTID_VTIMER);
		spin_unlock(&g->lock);
		if (!held)
			gic_deactivate(GIC_INTID_VTIMER);
		else
			this_cpu()->vtimer_parked = true;
	}
	if ((flags & HYP_IRQ_TIMER) && guest_hyp_timer_expired())
		return VCPU_RUN_READY;
	if ((flags & (HYP_IRQ_HOST | HYP_IRQ_KICK)) && host_gic_pending())
		return VCPU_RUN_READY;
	return -1;
}

int arch_guest_run_once(struct hyp_guest *g, struct guest_vcpu *v, u64 out[4])
{
	struct vgic_cpu *c = &g->vgic.cpu[v - g->vcpu];
	unsigned int idx = v - g->vcpu;
	u64 kind;

	vtimer_sync(g, v);
	/*
	 * Without candidates the flush finds nothing. An injection that
	 * makes one after this look kicks the vCPU (deliverable_kick()), so
	 * that the next entry flushes it: the look needs no lock.
	 */
	if (READ_ONCE(c->cand_sum)) {
		spin_lock(&g->lock);
		vgic_flush(&g->vgic, idx);
		spin_unlock(&g->lock);
	} else {
		c->nr_lr_used = 0;
		c->underflow = false;
	}
	gic_lrs_load(c->lr, c->nr_lr_used);
	write_sysreg(ICH_HCR_EN | (c->underflow ? ICH_HCR_UIE : 0), ICH_HCR_EL2_REG);
	isb();

	kind = guest_enter(&v->gprs);

	write_sysreg(0, ICH_HCR_EL2_REG);
	/* Nothing was loaded: nothing to bring back. */
	if (c->nr_lr_used) {
		gic_lrs_read(c->lr, c->nr_lr_used);
		spin_lock(&g->lock);
		vgic_sync(&g->vgic, idx);
		spin_unlock(&g->lock);
	}
	vtimer_sync(g, v);
	isb();

	switch (kind) {
	case GUEST_TRAP_SYNC:
		return handle_sync(g, v, out);
	case GUEST_TRAP_IRQ:
	case GUEST_TRAP_FIQ:
		return guest_irq(g, v);
	default:
		/* A physical SError: the host's business. */
		return VCPU_RUN_READY;
	}
}
