// SPDX-License-Identifier: GPL-2.0-only
/*
 * Synchronous exceptions from the primary VM. SMCCC calls are answered;
 * a stage-2 abort (the host touched memory it does not own) becomes a
 * synchronous external abort in the host, as on the real Gunyah; anything
 * else that traps is an undefined instruction for the host. Nothing the
 * host does reaches hyp_panic().
 */
#include <arch/frame.h>
#include <arch/inject.h>
#include <arch/sysreg.h>
#include <hyp/console.h>
#include <hyp/guest.h>
#include <hyp/host_gic.h>
#include <hyp/host_vm.h>
#include <hyp/mmio.h>
#include <hyp/sysreg_emul.h>

/* Stage-2 aborts logged before going quiet: the host must not flood the log. */
#define HOST_ABORT_LOG_MAX	16
static unsigned int host_abort_logged;

static void inject_sync(struct trap_frame *f, u64 esr, u64 far)
{
	arch_inject_sync(&f->elr, &f->spsr, NULL, esr, far);
}

/* A load or store in the GIC's frames: the host's virtual GIC. */
static bool host_gic_access(struct trap_frame *f, u64 esr)
{
	struct mmio_access a;
	u64 val;

	if (mmio_decode(esr, read_sysreg(hpfar_el2), read_sysreg(far_el2), &a))
		return false;
	if (!host_gic_mmio(&a, a.reg == 31 ? 0 : f->x[a.reg], &val))
		return false;
	if (!a.write && a.reg != 31)
		f->x[a.reg] = mmio_read_value(&a, val);
	f->elr += 4;
	return true;
}

static void host_abort(struct trap_frame *f, u64 esr, bool data)
{
	u64 far = read_sysreg(far_el2);
	/* HPFAR_EL2 holds IPA[47:12] in bits 43:4. */
	u64 ipa = ((read_sysreg(hpfar_el2) >> 4) << 12) | (far & 0xfff);

	if (data && host_gic_owns(ipa) && host_gic_access(f, esr))
		return;
	if (host_vm_fault_is_stale(ipa, data && (esr & ESR_ABT_WNR), !data))
		return;
	u64 ec = data ? (arch_pstate_is_el0(f->spsr) ? ESR_EC_DABT_LOW : ESR_EC_DABT_CUR)
		      : (arch_pstate_is_el0(f->spsr) ? ESR_EC_IABT_LOW : ESR_EC_IABT_CUR);
	u64 iss = ESR_FSC_SEA | (data ? (esr & ESR_ABT_WNR) : 0);

	if (host_abort_logged < HOST_ABORT_LOG_MAX) {
		host_abort_logged++;
		hyp_log("host %s abort at IPA %#lx (VA %#lx, PC %#lx): injecting SEA\n",
			data ? "data" : "instruction", (unsigned long)ipa, (unsigned long)far,
			(unsigned long)f->elr);
	}
	inject_sync(f, FIELD_PREP(ESR_EC, ec) | ESR_IL | iss, far);
}

/* With HCR_EL2.IMO set, the host's SGI register writes trap. */
static void host_sysreg(struct trap_frame *f, u64 esr)
{
	struct sysreg_access a;

	switch (sysreg_decode(esr & ESR_ISS, &a)) {
	case SYSREG_CLASS_SGI:
		host_gic_sgi(a.rt == 31 ? 0 : f->x[a.rt]);
		break;
	case SYSREG_CLASS_RAZ_WI:
		/* ICC_SGI0R_EL1, ICC_ASGI1R_EL1: no Group 0, no other security state. */
		if (a.read && a.rt != 31)
			f->x[a.rt] = 0;
		break;
	default:
		inject_sync(f, FIELD_PREP(ESR_EC, ESR_EC_UNKNOWN) | ESR_IL, 0);
		return;
	}
	f->elr += 4;
}

_Static_assert(ESR_EC == GENMASK(ESR_EC_SHIFT + 5, ESR_EC_SHIFT), "vectors.S's EC");
_Static_assert(ESR_EC_HVC64_VAL == ESR_EC_HVC64, "vectors.S's EC");
/* The light HVC frame holds x0-x18 (and x30). */
_Static_assert(SMCCC_NR_REGS <= 19, "host_hvc()'s registers");

static void host_hvc_call(u64 regs[SMCCC_NR_REGS], u64 esr)
{
	u16 imm = FIELD_GET(ESR_HVC_IMM, esr);

	/* ELR already points after the HVC. */
	if (!imm)
		host_vm_smccc(regs);
	else if (!host_vm_native_hvc(imm, regs))
		regs[0] = (u64)-1;
}

void host_hvc(u64 regs[SMCCC_NR_REGS], u64 esr)
{
	host_hvc_call(regs, esr);
	host_gic_flush();
}

static void host_sync(struct trap_frame *f)
{
	u64 esr = read_sysreg(esr_el2);

	switch (FIELD_GET(ESR_EC, esr)) {
	case ESR_EC_HVC64:
		/* vectors.S sends these to host_hvc(); kept for any other way in. */
		host_hvc_call(f->x, esr);
		break;
	case ESR_EC_SMC64:
		/* A trapped SMC returns to itself: step over it. */
		f->elr += 4;
		if (FIELD_GET(ESR_HVC_IMM, esr) == 0)
			host_vm_smccc(f->x);
		else
			f->x[0] = (u64)-1;
		break;
	case ESR_EC_WFX:
		/* An idle host CPU: the hypervisor's chance to keep guest timers. */
		f->elr += 4;
		if (!(esr & ESR_WFX_WFE))
			guest_host_idle();
		break;
	case ESR_EC_SYS64:
		host_sysreg(f, esr);
		break;
	case ESR_EC_DABT_LOW:
		host_abort(f, esr, true);
		break;
	case ESR_EC_IABT_LOW:
		host_abort(f, esr, false);
		break;
	default:
		inject_sync(f, FIELD_PREP(ESR_EC, ESR_EC_UNKNOWN) | ESR_IL, 0);
		break;
	}
}

/* A physical interrupt while the host runs. */
static void host_irq(void)
{
	if (hyp_irq_handle(false) & HYP_IRQ_TIMER)
		guest_hyp_timer_expired();
}

void handle_exception(struct trap_frame *f, u64 kind)
{
	switch (kind) {
	case VEC_LOWER_SYNC:
		host_sync(f);
		host_gic_flush();
		return;
	case VEC_LOWER_IRQ:
	case VEC_LOWER_FIQ:
		host_irq();
		host_gic_flush();
		return;
	case VEC_LOWER_SERROR:
		/* Routed to EL1 (HCR_EL2.AMO = 0): cannot happen. */
		hyp_log("unexpected exception kind %lu from EL1, ignored\n", (unsigned long)kind);
		return;
	default:
		hyp_panic("exception kind %lu at EL2: ESR %#lx ELR %#lx FAR %#lx SPSR %#lx\n",
			  (unsigned long)kind, (unsigned long)read_sysreg(esr_el2),
			  (unsigned long)f->elr, (unsigned long)read_sysreg(far_el2),
			  (unsigned long)f->spsr);
	}
}
