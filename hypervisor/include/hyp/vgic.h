/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A virtual GICv3 for guests: the distributor and redistributors are
 * emulated on stage-2 faults, and interrupts reach the vCPU through the
 * list registers of the GIC's virtual CPU interface.
 *
 * The list registers are rebuilt at every guest entry: vgic_sync() takes
 * back what the hardware holds after an exit, vgic_flush() hands out the
 * most urgent interrupts before the next entry. Active interrupts always
 * get a list register first (the guest must be able to deactivate them);
 * when more interrupts are pending than there are list registers,
 * vgic_flush() asks for an underflow maintenance interrupt, so that the
 * rest follow as soon as the guest has taken the first ones.
 *
 * Each vCPU keeps a bitmap of its candidates, the INTIDs that hold or
 * want a list register, updated at every change of what decides it:
 * the flush and vgic_has_pending() walk these bits, not all INTIDs.
 *
 * The same model is the primary VM's GIC (core/host_gic.c): sized for
 * 1020 INTIDs, with some interrupts linked to a physical twin (struct
 * vgic_phys_ops). A linked interrupt reaches the model when the
 * hypervisor acknowledges it in the physical GIC and is delivered through
 * a hardware list register, so that the VM's deactivation deactivates the
 * physical interrupt; the VM's enable, trigger, routing and pending
 * writes for it are passed on to the physical GIC through the hooks.
 *
 * Pure logic on plain values (LR images, register offsets), unit-tested on
 * the host. Callers serialise access (the guest's lock).
 */
#ifndef HYP_VGIC_H
#define HYP_VGIC_H

#include <hyp/types.h>

#define VGIC_NR_PRIVATE		32	/* SGIs 0-15, PPIs 16-31 */
#define VGIC_NR_SPIS		64	/* a guest's: INTIDs 32-95 */
#define VGIC_NR_IRQS		(VGIC_NR_PRIVATE + VGIC_NR_SPIS)
/* The most a distributor can have: INTIDs 1020-1023 are special. */
#define VGIC_MAX_IRQS		1020
#define VGIC_MAX_VCPUS		8
#define VGIC_MAX_LRS		16
#define VGIC_CAND_WORDS		((VGIC_MAX_IRQS + 63) / 64)

#define VGIC_GICD_SIZE		0x10000UL
#define VGIC_GICR_STRIDE	0x20000UL	/* RD_base + SGI_base frames */

/* The interrupts the hypervisor itself drives into every guest. */
#define VGIC_INTID_VTIMER	27

/* ICH_LR<n>_EL2 */
#define ICH_LR_VINTID		GENMASK(31, 0)
#define ICH_LR_PINTID		GENMASK(44, 32)
#define ICH_LR_PRIORITY		GENMASK(55, 48)
#define ICH_LR_GROUP1		BIT(60)
#define ICH_LR_HW		BIT(61)
#define ICH_LR_STATE		GENMASK(63, 62)
#define ICH_LR_PENDING		1UL
#define ICH_LR_ACTIVE		2UL

/* What a list register holds of an interrupt (&vgic_irq.in_lr) */
#define VGIC_IN_LR		1U	/* its state */
#define VGIC_IN_LR_LATCH	2U	/* and its latch, as the pending state */
#define VGIC_IN_LR_STALE	4U	/* the VM set its state since: the LR is void */

/* 16 bytes: 64 of them per guest and 32 per vCPU. */
struct vgic_irq {
	u8 priority;
	bool enabled;
	bool edge;		/* else level-sensitive */
	bool latched;		/* edge seen, ISPENDR written, or a level pulse */
	bool line;		/* level input */
	bool active;
	bool hw;		/* deactivation also deactivates the physical INTID */
	u8 in_lr;		/* 0, or VGIC_IN_LR with _LATCH and _STALE */
	u64 irouter;		/* SPIs: target affinity */
};

_Static_assert(sizeof(struct vgic_irq) == 16, "vgic_irq: keep it small");

struct vgic_cpu {
	struct vgic_irq priv[VGIC_NR_PRIVATE];
	/*
	 * Candidates, by INTID: this vCPU's private interrupts and the SPIs
	 * routed to it that are in a list register (in_lr), active, or
	 * enabled and pending with the distributor enabled.
	 */
	u64 cand[VGIC_CAND_WORDS];
	u32 cand_sum;		/* bit w: cand[w] is not zero */
	bool asleep;		/* GICR_WAKER.ProcessorSleep */
	/* What the list registers held at the last exit, or get at entry. */
	u64 lr[VGIC_MAX_LRS];
	unsigned int nr_lr_used;
	bool underflow;		/* ask for a maintenance IRQ on underflow */
};

/*
 * The physical side of linked interrupts (vgic_init_linked()). @linked
 * says which INTIDs have a physical twin; the others are virtual only.
 * The hooks are called with the distributor's lock held, for linked
 * INTIDs only; @rd is the redistributor (vCPU) of a private interrupt.
 */
struct vgic_phys_ops {
	bool (*linked)(void *ctx, u32 intid);
	void (*enable)(void *ctx, unsigned int rd, u32 intid, bool on);
	void (*set_edge)(void *ctx, u32 intid, bool edge);
	void (*route)(void *ctx, u32 intid, unsigned int vcpu);
	/* Set or clear the physical pending state (GICD_ISPENDR, ICPENDR). */
	void (*pend)(void *ctx, unsigned int rd, u32 intid, bool on);
	/* The model dropped an acknowledged one that no LR holds. */
	void (*deactivate)(void *ctx, unsigned int rd, u32 intid);
};

struct vgic_dist {
	u64 gicd_base;
	u64 gicr_base;
	unsigned int nr_vcpus;
	unsigned int nr_lrs;	/* list registers of the hardware */
	unsigned int nr_irqs;	/* INTIDs 0 to nr_irqs - 1 */
	u32 ctlr;
	/* Kick for a new pending state even if the interrupt is in an LR. */
	bool kick_in_lr;
	const struct vgic_phys_ops *phys;
	void *phys_ctx;
	struct vgic_irq *spi;	/* nr_irqs - 32 of them: spi_store or the caller's */
	struct vgic_irq spi_store[VGIC_NR_SPIS];
	struct vgic_cpu cpu[VGIC_MAX_VCPUS];
};

/*
 * Reset @d for @nr_vcpus vCPUs (vCPU i has MPIDR affinity 0.0.0.i) with
 * the distributor at @gicd and the redistributors from @gicr.
 */
void vgic_init(struct vgic_dist *d, unsigned int nr_vcpus, unsigned int nr_lrs, u64 gicd,
	       u64 gicr);

/*
 * The same with @nr_irqs INTIDs (at most VGIC_MAX_IRQS), the SPIs' state
 * in @spis (@nr_irqs - 32 entries), and the linked interrupts of @phys
 * (may be NULL). The physical GIC must start as the model does: every
 * linked interrupt disabled, inactive, level-sensitive.
 */
void vgic_init_linked(struct vgic_dist *d, unsigned int nr_vcpus, unsigned int nr_lrs,
		      u64 gicd, u64 gicr, unsigned int nr_irqs, struct vgic_irq *spis,
		      const struct vgic_phys_ops *phys, void *phys_ctx);

/*
 * Is @ipa in @d's distributor or redistributors, the frames vgic_mmio()
 * emulates? They do not move once @d is set up: no lock needed.
 */
static inline bool vgic_covers(const struct vgic_dist *d, u64 ipa)
{
	return (ipa >= d->gicd_base && ipa - d->gicd_base < VGIC_GICD_SIZE) ||
	       (ipa >= d->gicr_base &&
		ipa - d->gicr_base < (u64)d->nr_vcpus * VGIC_GICR_STRIDE);
}

/*
 * Emulate an access at @ipa by vCPU @vcpu. Returns false if @ipa is not
 * the GIC's (!vgic_covers(), changing nothing); else true, with the read value in *@val. Returns in *@kick a
 * mask of vCPUs that got a new interrupt to deliver.
 */
bool vgic_mmio(struct vgic_dist *d, unsigned int vcpu, u64 ipa, unsigned int size, bool write,
	       u64 *val, u32 *kick);

/* A write of @v to ICC_SGI1R_EL1 by @vcpu. Returns the mask of vCPUs to kick. */
u32 vgic_sgi(struct vgic_dist *d, unsigned int vcpu, u64 v);

/*
 * Raise (edge) or set the level of interrupt @intid towards @vcpu (used
 * for private interrupts; SPIs follow their IROUTER). Returns the mask of
 * vCPUs to kick. vgic_set_level() is a wire: an edge-configured interrupt
 * is latched on a rising line only.
 */
u32 vgic_inject_edge(struct vgic_dist *d, unsigned int vcpu, u32 intid);
u32 vgic_set_level(struct vgic_dist *d, unsigned int vcpu, u32 intid, bool level);

/*
 * A virtual source (a doorbell whose flags stay set) asserts @intid:
 * its line goes high and, if the guest configured it edge-triggered, an
 * edge is latched on every call, the line already high or not. Lower it
 * with vgic_set_level(..., false). The trigger is the guest's own
 * (GICD_ICFGR; SPIs reset level). Returns the mask of vCPUs to kick.
 */
u32 vgic_source_assert(struct vgic_dist *d, unsigned int vcpu, u32 intid);

/* Mark private interrupt @intid of @vcpu as linked to its physical twin. */
void vgic_set_hw(struct vgic_dist *d, unsigned int vcpu, u32 intid);

/*
 * Linked interrupt @intid, acknowledged in the physical GIC (now active
 * there) on the CPU of @vcpu, is pending for the VM. Returns the mask of
 * vCPUs to kick; 0 also if @intid is not linked (the caller deactivates
 * it then).
 */
u32 vgic_inject_linked(struct vgic_dist *d, unsigned int vcpu, u32 intid);

/*
 * Take linked interrupt @intid of @vcpu out of the model without a
 * deactivation by the VM (the CPU is about to be used by another VM):
 * its pending state goes, and true is returned if the caller must
 * deactivate the physical interrupt. An active one stays.
 */
bool vgic_drop_linked(struct vgic_dist *d, unsigned int vcpu, u32 intid);

/* Is interrupt @intid pending or active for @vcpu (in an LR or not)? */
bool vgic_irq_in_flight(struct vgic_dist *d, unsigned int vcpu, u32 intid);

/* Has @vcpu an enabled interrupt pending (a reason to leave WFI)? */
bool vgic_has_pending(struct vgic_dist *d, unsigned int vcpu);

/* Fill the vCPU's LR images before entry; see above. */
void vgic_flush(struct vgic_dist *d, unsigned int vcpu);

/* Take back the LR images the hardware left at exit. */
void vgic_sync(struct vgic_dist *d, unsigned int vcpu);

#endif
