/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the hypervisor does to build and run guests and to hand the primary
 * VM's memory to them: the internal operations behind the resource
 * manager's hypercalls (core/rm_hypcall.c, include/hyp/hypcall_private.h).
 * The RM never calls these directly; it names guests, vCPUs and doorbells
 * by capability and reaches these through rm/hypcall.h. The host unit
 * tests and fuzz targets of the RM replace them with fakes.
 */
#ifndef HYP_GUEST_OPS_H
#define HYP_GUEST_OPS_H

#include <hyp/doorbell.h>
#include <hyp/guest_exit.h>
#include <hyp/hypcall_private.h>
#include <hyp/vcpu.h>
#include <hyp/virq.h>

/*
 * Memory of the primary VM given to another VM: the ownership record
 * changes, and lent memory leaves the primary VM's stage 2 (shared memory
 * stays). @tag is the parcel handle. These stand for the real RM's
 * memextent donate/map hypercalls. Each returns 0 or a Gunyah error
 * (GUNYAH_ERROR_MEMDB_NOT_OWNER, GUNYAH_ERROR_MEMDB_EMPTY, ...); on error
 * nothing changed.
 */
int hyp_host_mem_give(paddr_t base, u64 size, bool lend, u16 borrower, u32 tag);

/* Undo hyp_host_mem_give(); zero the pages first if @sanitize. */
int hyp_host_mem_take_back(paddr_t base, u64 size, bool lend, u16 borrower, u32 tag,
			   bool sanitize);

/* Read or write @len bytes of the primary VM's RAM at @pa (a parcel's content). */
int hyp_host_mem_read(void *dst, paddr_t pa, size_t len);
int hyp_host_mem_write(paddr_t pa, const void *src, size_t len);

/* An interrupt for the primary VM (a host SPI), or NULL; and its INTID. */
struct virq *hyp_host_virq_alloc(u32 *intid);
void hyp_host_virq_free(struct virq *virq);

/* A guest's address space: its stage-2 tables under its own hardware VMID. */
struct hyp_guest;

struct hyp_guest *hyp_guest_create(u16 vmid);
void hyp_guest_destroy(struct hyp_guest *g);

/*
 * Map @size bytes of memory lent or shared to the guest at @pa into its
 * stage 2 at @ipa. Returns 0, GUNYAH_ERROR_MEMDB_NOT_OWNER if any page is
 * not given to this guest, or a page-table error.
 */
int hyp_guest_map(struct hyp_guest *g, u64 ipa, paddr_t pa, u64 size, unsigned int prot);
int hyp_guest_unmap(struct hyp_guest *g, u64 ipa, u64 size);

/*
 * Give the guest @nr_vcpus vCPUs (MPIDR 0.0.0.n) and its virtual GIC: the
 * distributor at IPA @gicd, the redistributors from @gicr. Then bind each
 * vCPU object to its place (index), and an interrupt for the RM that says
 * the guest stopped by itself (the real RM's vCPU "halt" VIRQs). These
 * stand for vic_configure, vic_attach_vcpu, addrspace_attach_vdevice and
 * vcpu_bind_virq.
 */
int hyp_guest_configure(struct hyp_guest *g, unsigned int nr_vcpus, u64 gicd, u64 gicr);
int hyp_guest_bind_vcpu(struct hyp_guest *g, struct vcpu *vcpu);
void hyp_guest_bind_halt(struct hyp_guest *g, struct virq *halt);

/* A scheduled vCPU's physical CPU when it has none (it never runs). */
#define GUEST_CPU_NONE		0xffff

/*
 * Make vCPU @index of @g one the hypervisor schedules itself rather than
 * its owner's vcpu_run: on physical CPU @cpu (0xffff: none, it never
 * runs), at priority @prio (0-63, higher first) with a timeslice of
 * @timeslice_ns (100 us to 100 ms). Stands for vcpu_set_affinity,
 * vcpu_set_priority and vcpu_set_timeslice. Before the start only.
 * Returns 0, or ARG_INVAL for a CPU that does not exist or a value out of
 * range.
 */
int hyp_guest_sched_vcpu(struct hyp_guest *g, unsigned int index, u16 cpu, u8 prio,
			 u64 timeslice_ns);

/*
 * Make doorbell @db assert the guest's SPI @intid: doorbell_bind_virq with
 * a guest VIRQ, which has no trigger type. The SPI's trigger is the
 * guest's to program (GICD_ICFGR, level until it does); binding leaves it
 * alone. Returns 0, or ARG_INVAL for an INTID that is not an SPI of the
 * guest's GIC.
 */
int hyp_guest_bind_doorbell(struct hyp_guest *g, struct doorbell *db, u32 intid);

/*
 * Make stage-2 faults of @g in [@base, @base + @size) that no virtual
 * device takes vcpu_run VMMIO exits to the owner; a fault anywhere else
 * outside the guest's memory is a synchronous external abort injected into
 * the guest. Stands for addrspace_configure_vmmio(ADD). Returns 0, or
 * ARG_INVAL for an empty, wrapping or overlapping range, NOMEM when the
 * guest has all the ranges it may have.
 */
int hyp_guest_add_vmmio(struct hyp_guest *g, u64 base, u64 size);

/* Power on the boot vCPU (vCPU 0) with @regs (vcpu_poweron + register_write). */
int hyp_guest_start(struct hyp_guest *g, const u64 *regs, unsigned int nr_regs);

/* VM_STOP: every vCPU leaves vcpu_run for good (vcpu_kill). */
void hyp_guest_stop(struct hyp_guest *g);

/* GUEST_RUNNING, or why it stopped. */
enum guest_exit hyp_guest_exit_reason(struct hyp_guest *g);

/* Is some vCPU of @g inside vcpu_run (so that it cannot be destroyed)? */
bool hyp_guest_busy(struct hyp_guest *g);

#endif
