/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The primary VM's GIC: a virtual GICv3 at the physical GIC's addresses,
 * as the real Gunyah gives it. The host's accesses to the distributor and
 * redistributors trap (they are not in its stage 2) and are emulated by
 * core/vgic.c with 1020 INTIDs (988 SPIs); its CPU interface is the
 * virtual one (ICV_*), fed through the list registers.
 *
 * - Physical interrupts of devices and of the host's own timers (PPIs 23,
 *   27, 30 and every SPI the physical distributor implements) are linked:
 *   the hypervisor acknowledges them at EL2 and hands them over in a
 *   hardware list register; the host's deactivation deactivates them.
 *   The host's enable, trigger and routing writes for them are applied to
 *   the physical distributor.
 * - SGIs and the SPIs from PLATFORM_HOST_VIRQ_BASE (960) up are virtual:
 *   the host's IPIs (trapped ICC_SGI1R_EL1 writes), the hypervisor's
 *   message queues, doorbells and vCPU wake-ups.
 * - Nothing else exists for the host: the hypervisor's own interrupts
 *   (its SGI, its timer, the maintenance interrupt) are out of its reach.
 *
 * Each physical CPU runs the host vCPU of the same index. Its list
 * registers are read back into the model only when the model needs them:
 * before they are rebuilt on the way out because something came for the
 * host (host_gic_flush()), before a guest takes them, and to tell whether
 * the host has an interrupt to take. A trap that brings nothing new
 * costs the host's GIC nothing. An injection kicks its target even when
 * the interrupt is in one of its list registers: the host may have taken
 * it since.
 */
#ifndef HYP_HOST_GIC_H
#define HYP_HOST_GIC_H

#include <arch/cpu.h>
#include <hyp/machine.h>
#include <hyp/mmio.h>
#include <hyp/types.h>

/* Cold boot: the physical distributor and the host's virtual GIC. */
void host_gic_init(const struct machine *m);

/* Every CPU, before it enters the host: its redistributor and CPU interface. */
void host_gic_cpu_init(void);

/* Does @ipa fall in the GIC's frames, which the host's stage 2 leaves out? */
bool host_gic_owns(u64 ipa);

/*
 * The host's access @a to the GIC's frames, its register value @reg for
 * a write. Returns false if no register is there (the access aborts);
 * else true, with the value a read returns in *@val.
 */
bool host_gic_mmio(const struct mmio_access *a, u64 reg, u64 *val);

/* The host wrote @v to ICC_SGI1R_EL1 on this CPU. */
void host_gic_sgi(u64 v);

/* Raise virtual SPI @intid (an edge) for the host. */
void host_gic_raise(u32 intid);

void host_gic_flush_lrs(void);

/*
 * Back to the host on this CPU: if anything came for it, what its list
 * registers hold goes back into the model and they are rebuilt.
 */
static inline void host_gic_flush(void)
{
	if (this_cpu()->host_gic_dirty)
		host_gic_flush_lrs();
}

/* Has this CPU's host vCPU an interrupt to take (a reason not to idle)? */
bool host_gic_pending(void);

/*
 * A guest is loaded on this CPU: the host's list registers into the
 * model, the host's
 * CPU interface state is saved, and its virtual timer interrupt, which
 * the guest now owns, handed back to the physical GIC if the host had not
 * taken it yet (its timer fires again once it is restored).
 */
void host_gic_guest_load(void);
/* The guest is put: the host's CPU interface is restored at the next flush. */
void host_gic_guest_put(void);

/* What hyp_irq_handle() found that its caller must act on. */
#define HYP_IRQ_TIMER		BIT(0)	/* the hypervisor timer expired */
#define HYP_IRQ_VTIMER		BIT(1)	/* INTID 27 acknowledged, a guest loaded */
#define HYP_IRQ_HOST		BIT(2)	/* an interrupt went to this CPU's host vCPU */
#define HYP_IRQ_KICK		BIT(3)	/* the hypervisor's SGI: look again */

/*
 * Acknowledge and dispatch every pending physical interrupt on this CPU:
 * linked ones to the host's GIC, the hypervisor's own here. With
 * @guest_loaded, INTID 27 is the guest's: it is left active for the
 * caller (HYP_IRQ_VTIMER). Returns HYP_IRQ_* flags.
 */
unsigned int hyp_irq_handle(bool guest_loaded);

#endif
