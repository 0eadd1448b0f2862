/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The resource manager's only way into the hypervisor: hypercalls, with
 * the registers an HVC would carry (x0 the SMCCC function ID
 * GUNYAH_HYPCALL_FID(N), x1-x7 the arguments; x0 the error, x1-x7 the
 * results). Objects are named by capability IDs of the RM's own cspace,
 * other VMs' memory by physical address; no pointer crosses.
 *
 * The numbers are the real Gunyah's where it has the call
 * (include/hyp/gunyah_abi.h), ours in 0x1C0-0x1FF where it has not
 * (include/hyp/hypcall_private.h). Each wrapper below says which calls it
 * makes; each returns 0 or the Gunyah error of the first that failed.
 * Documentation/virt/gunyah/hypervisor.rst, "The RM's interface to the
 * hypervisor", has the whole list.
 */
#ifndef RM_HYPCALL_H
#define RM_HYPCALL_H

#include <hyp/gunyah_abi.h>
#include <hyp/hypcall_private.h>
#include <hyp/object.h>
#include <hyp/smccc.h>

/*
 * The HVC: @regs in, @regs out. In the RM's VM it is the instruction
 * (rm/el1/runtime.c); linked into the hypervisor (RM_AT_EL2),
 * core/rm_partition.c provides it; test_memparcel and fuzz_memparcel fake it.
 */
void rm_hvc(u64 regs[SMCCC_NR_REGS]);

/* No capability: what the creating wrappers leave in *cap when they fail. */
#define RM_NO_CAP	(~0ULL)

/* What the hypervisor gives the RM to start from: caps in its cspace, and facts. */
struct rm_boot_info {
	u64 partition_cap;	/* to create objects from */
	u64 cspace_cap;		/* its own cspace */
	u64 vic_cap;		/* its own interrupts, RM_VIRQ_* */
	u16 host_vmid;
	u64 host_cspace_cap;	/* the primary VM's cspace */
	u64 host_vic_cap;	/* the primary VM's interrupts, by INTID */
	u32 host_tx_intid;	/* its link's: room to send */
	u32 host_rx_intid;	/* messages to read */
	u32 host_free_irq_start;
	/*
	 * The primary VM's devicetree to prepare: a blob in the RM's memory
	 * (at host_dt, room for host_dt_max bytes) that dt_check() passed,
	 * and the hypervisor's memory to take out of it. 0: none (the host
	 * tests).
	 */
	u64 host_dt;
	u64 host_dt_max;
	u64 hyp_base;
	u64 hyp_size;
};

/* Remember the partition and cspace the creating calls use. */
void rm_hyp_init(const struct rm_boot_info *info);

/* The RM's own cspace, for cspace_copy_cap_from and cspace_delete_cap_from. */
u64 rm_hyp_own_cspace(void);

/*
 * HYP_HYPCALL_RM_HOST_DT: x1 @dt (its buffer), x2 @size: the primary VM's
 * devicetree is ready (again), copy it where that VM finds it.
 */
int rm_hyp_host_dt(const void *dt, u64 size);

/* msgqueue_send: x1 cap, x2 size, x3 buffer, x4 flags. */
s64 rm_hyp_msgq_send(u64 cap, const void *buf, size_t len, u64 flags);

/*
 * msgqueue_receive: x1 cap, x2 buffer, x3 its size -> x1 size received, x2
 * whether more messages wait.
 */
s64 rm_hyp_msgq_receive(u64 cap, void *buf, size_t bufsize, u64 *size, bool *not_empty);

/*
 * A queue of @depth messages of @max_size bytes: partition_create_msgqueue,
 * msgqueue_configure, object_activate.
 */
int rm_hyp_msgq_create(u16 depth, u16 max_size, u64 *cap);

/* msgqueue_bind_send_virq / msgqueue_bind_receive_virq: @virq of @vic. */
int rm_hyp_msgq_bind(u64 cap, bool send, u64 vic, u32 virq);

/* cspace_copy_cap_from: @cap of the RM's cspace into @to, with @rights only. */
int rm_hyp_cap_copy(u64 cap, u64 to, u32 rights, u64 *new_cap);

/* cspace_delete_cap_from: @cap of @cspace (of the RM's own: the object goes too). */
int rm_hyp_cap_delete(u64 cspace, u64 cap);

/* Private: pages of the primary VM given to / taken back from VM @borrower. */
int rm_hyp_host_mem_give(u64 base, u64 size, bool lend, u16 borrower, u32 tag);
int rm_hyp_host_mem_take_back(u64 base, u64 size, bool lend, u16 borrower, u32 tag,
			      bool sanitize);

/* Private: copy from / to the primary VM's memory by physical address. */
int rm_hyp_host_mem_read(void *dst, u64 pa, size_t len);
int rm_hyp_host_mem_write(u64 pa, const void *src, size_t len);

/*
 * A guest with VMID @vmid: partition_create_addrspace, addrspace_configure,
 * object_activate. Its cap names its address space and its vGIC.
 */
int rm_hyp_guest_create(u16 vmid, u64 *cap);

/*
 * Its vGIC for @nr_vcpus vCPUs, distributor at @gicd, redistributors from
 * @gicr: vic_configure, addrspace_attach_vdevice (GICD, then GICR).
 */
int rm_hyp_guest_vgic(u64 guest, unsigned int nr_vcpus, u64 gicd, u64 gicr);

/* addrspace_configure_vmmio (add). */
int rm_hyp_guest_add_vmmio(u64 guest, u64 base, u64 size);

/* Private: map @size bytes at @pa given to the guest at @ipa (R 4, W 2, X 1); unmap. */
int rm_hyp_guest_map(u64 guest, u64 ipa, u64 pa, u64 size, unsigned int prot);
int rm_hyp_guest_unmap(u64 guest, u64 ipa, u64 size);

/* Private: why the guest stopped (enum guest_exit); whether a vCPU is in vcpu_run. */
int rm_hyp_guest_exit_reason(u64 guest, u64 *why);
int rm_hyp_guest_busy(u64 guest, bool *busy);

/* vCPU @index of the guest: partition_create_thread, vic_attach_vcpu. */
int rm_hyp_vcpu_create(u64 guest, unsigned int index, u64 *cap);

/* vcpu_bind_virq (HALT): the RM's RM_VIRQ_HALT when the guest stops. */
int rm_hyp_vcpu_bind_halt(u64 vcpu);

/* Private: its wake-up interrupt, a free SPI of the primary VM; vcpu_unbind_virq. */
int rm_hyp_vcpu_bind_host_wakeup(u64 vcpu, u32 *intid);
int rm_hyp_vcpu_unbind_wakeup(u64 vcpu);

/*
 * Scheduled by the hypervisor on @cpu (0xffff: none) at @prio for
 * @timeslice_ns: vcpu_set_priority, vcpu_set_timeslice, vcpu_set_affinity.
 */
int rm_hyp_vcpu_schedule(u64 vcpu, u16 cpu, u8 prio, u64 timeslice_ns);

/* vcpu_register_write: @set (GUNYAH_VCPU_REGS_*), @index, @value. */
int rm_hyp_vcpu_register_write(u64 vcpu, unsigned int set, unsigned int index, u64 value);

/* vcpu_poweron at @entry with x0 = @context. */
int rm_hyp_vcpu_poweron(u64 vcpu, u64 entry, u64 context);

/* vcpu_kill. */
int rm_hyp_vcpu_kill(u64 vcpu);

/* A doorbell: partition_create_doorbell. */
int rm_hyp_doorbell_create(u64 *cap);

/* doorbell_bind_virq: the guest's SPI @intid. */
int rm_hyp_doorbell_bind(u64 doorbell, u64 guest, u32 intid);

#endif
