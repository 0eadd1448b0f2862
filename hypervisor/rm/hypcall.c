// SPDX-License-Identifier: GPL-2.0-only
/*
 * The resource manager's hypercall wrappers; see include/rm/hypcall.h.
 * Each marshals its arguments into registers as the HVC will carry them,
 * and several real calls make one step of the RM where the real RM makes
 * them in a row too (create, configure, activate).
 */
#include <rm/hypcall.h>

#define PTR(p)	((u64)(uintptr_t)(p))

static u64 partition_cap, cspace_cap, vic_cap;

void rm_hyp_init(const struct rm_boot_info *info)
{
	partition_cap = info->partition_cap;
	cspace_cap = info->cspace_cap;
	vic_cap = info->vic_cap;
}

u64 rm_hyp_own_cspace(void)
{
	return cspace_cap;
}

/* Hypercall @num with up to six arguments; x1 comes back in *@r1 if asked. */
static s64 hypcall(u32 num, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5, u64 a6, u64 *r1)
{
	u64 regs[SMCCC_NR_REGS] = { GUNYAH_HYPCALL_FID(num), a1, a2, a3, a4, a5, a6, 0 };

	rm_hvc(regs);
	if (r1)
		*r1 = regs[1];
	return (s64)regs[0];
}

int rm_hyp_host_dt(const void *dt, u64 size)
{
	return hypcall(HYP_HYPCALL_RM_HOST_DT, PTR(dt), size, 0, 0, 0, 0, NULL);
}

s64 rm_hyp_msgq_send(u64 cap, const void *buf, size_t len, u64 flags)
{
	return hypcall(GUNYAH_HYPCALL_MSGQ_SEND, cap, len, PTR(buf), flags, 0, 0, NULL);
}

s64 rm_hyp_msgq_receive(u64 cap, void *buf, size_t bufsize, u64 *size, bool *not_empty)
{
	u64 regs[SMCCC_NR_REGS] = {
		GUNYAH_HYPCALL_FID(GUNYAH_HYPCALL_MSGQ_RECEIVE), cap, PTR(buf), bufsize,
	};

	rm_hvc(regs);
	*size = regs[1];
	*not_empty = regs[2];
	return (s64)regs[0];
}

/* partition_create_*: a new object, every right to it in the RM's cspace. */
static int create(u32 num, u64 *cap)
{
	u64 new_cap = RM_NO_CAP;
	int ret = hypcall(num, partition_cap, cspace_cap, 0, 0, 0, 0, &new_cap);

	*cap = ret ? RM_NO_CAP : new_cap;
	return ret;
}

static int activate(u64 cap)
{
	return hypcall(GUNYAH_HYPCALL_OBJECT_ACTIVATE, cap, 0, 0, 0, 0, 0, NULL);
}

int rm_hyp_msgq_create(u16 depth, u16 max_size, u64 *cap)
{
	int ret = create(GUNYAH_HYPCALL_PARTITION_CREATE_MSGQUEUE, cap);

	if (!ret)
		ret = hypcall(GUNYAH_HYPCALL_MSGQ_CONFIGURE, *cap, depth | (u32)max_size << 16, 0,
			      0, 0, 0, NULL);
	if (!ret)
		ret = activate(*cap);
	return ret;
}

int rm_hyp_msgq_bind(u64 cap, bool send, u64 vic, u32 virq)
{
	return hypcall(send ? GUNYAH_HYPCALL_MSGQ_BIND_SEND_VIRQ :
			      GUNYAH_HYPCALL_MSGQ_BIND_RECEIVE_VIRQ, cap, vic, virq, 0, 0, 0, NULL);
}

int rm_hyp_cap_copy(u64 cap, u64 to, u32 rights, u64 *new_cap)
{
	return hypcall(GUNYAH_HYPCALL_CSPACE_COPY_CAP_FROM, cspace_cap, cap, to, rights, 0, 0,
		       new_cap);
}

int rm_hyp_cap_delete(u64 cspace, u64 cap)
{
	return hypcall(GUNYAH_HYPCALL_CSPACE_DELETE_CAP_FROM, cspace, cap, 0, 0, 0, 0, NULL);
}

int rm_hyp_host_mem_give(u64 base, u64 size, bool lend, u16 borrower, u32 tag)
{
	return hypcall(HYP_HYPCALL_HOST_MEM_GIVE, base, size, lend ? HYP_HOST_MEM_LEND : 0,
		       borrower, tag, 0, NULL);
}

int rm_hyp_host_mem_take_back(u64 base, u64 size, bool lend, u16 borrower, u32 tag,
			      bool sanitize)
{
	u64 flags = (lend ? HYP_HOST_MEM_LEND : 0) | (sanitize ? HYP_HOST_MEM_SANITIZE : 0);

	return hypcall(HYP_HYPCALL_HOST_MEM_TAKE_BACK, base, size, flags, borrower, tag, 0,
		       NULL);
}

int rm_hyp_host_mem_read(void *dst, u64 pa, size_t len)
{
	return hypcall(HYP_HYPCALL_HOST_MEM_READ, PTR(dst), pa, len, 0, 0, 0, NULL);
}

int rm_hyp_host_mem_write(u64 pa, const void *src, size_t len)
{
	return hypcall(HYP_HYPCALL_HOST_MEM_WRITE, pa, PTR(src), len, 0, 0, 0, NULL);
}

int rm_hyp_guest_create(u16 vmid, u64 *cap)
{
	int ret = create(GUNYAH_HYPCALL_PARTITION_CREATE_ADDRSPACE, cap);

	if (!ret)
		ret = hypcall(GUNYAH_HYPCALL_ADDRSPACE_CONFIGURE, *cap, vmid, 0, 0, 0, 0, NULL);
	if (!ret)
		ret = activate(*cap);
	/* A guest that did not come to be is not left behind. */
	if (ret && *cap != RM_NO_CAP) {
		rm_hyp_cap_delete(cspace_cap, *cap);
		*cap = RM_NO_CAP;
	}
	return ret;
}

int rm_hyp_guest_vgic(u64 guest, unsigned int nr_vcpus, u64 gicd, u64 gicr)
{
	int ret = hypcall(GUNYAH_HYPCALL_VIC_CONFIGURE, guest, nr_vcpus, 0, 0, 0, 0, NULL);

	if (!ret)
		ret = hypcall(GUNYAH_HYPCALL_ADDRSPACE_ATTACH_VDEVICE, guest, guest,
			      GUNYAH_VGIC_VDEVICE_GICD, gicd, 0, 0, NULL);
	if (!ret)
		ret = hypcall(GUNYAH_HYPCALL_ADDRSPACE_ATTACH_VDEVICE, guest, guest,
			      GUNYAH_VGIC_VDEVICE_GICR, gicr, 0, 0, NULL);
	return ret;
}

int rm_hyp_guest_add_vmmio(u64 guest, u64 base, u64 size)
{
	return hypcall(GUNYAH_HYPCALL_ADDRSPACE_CONFIGURE_VMMIO, guest, base, size,
		       GUNYAH_VMMIO_ADD, 0, 0, NULL);
}

int rm_hyp_guest_map(u64 guest, u64 ipa, u64 pa, u64 size, unsigned int prot)
{
	return hypcall(HYP_HYPCALL_ADDRSPACE_MAP_PA, guest, ipa, pa, size, prot, 0, NULL);
}

int rm_hyp_guest_unmap(u64 guest, u64 ipa, u64 size)
{
	return hypcall(HYP_HYPCALL_ADDRSPACE_UNMAP_PA, guest, ipa, size, 0, 0, 0, NULL);
}

int rm_hyp_guest_exit_reason(u64 guest, u64 *why)
{
	return hypcall(HYP_HYPCALL_ADDRSPACE_EXIT_REASON, guest, 0, 0, 0, 0, 0, why);
}

int rm_hyp_guest_busy(u64 guest, bool *busy)
{
	u64 r1 = 0;
	int ret = hypcall(HYP_HYPCALL_ADDRSPACE_BUSY, guest, 0, 0, 0, 0, 0, &r1);

	*busy = r1;
	return ret;
}

int rm_hyp_vcpu_create(u64 guest, unsigned int index, u64 *cap)
{
	int ret = create(GUNYAH_HYPCALL_PARTITION_CREATE_THREAD, cap);

	if (ret)
		return ret;
	ret = hypcall(GUNYAH_HYPCALL_VIC_ATTACH_VCPU, guest, *cap, index, 0, 0, 0, NULL);
	if (ret) {
		rm_hyp_cap_delete(cspace_cap, *cap);
		*cap = RM_NO_CAP;
	}
	return ret;
}

int rm_hyp_vcpu_bind_halt(u64 vcpu)
{
	return hypcall(GUNYAH_HYPCALL_VCPU_BIND_VIRQ, vcpu, vic_cap, RM_VIRQ_HALT,
		       GUNYAH_VCPU_VIRQ_HALT, 0, 0, NULL);
}

int rm_hyp_vcpu_bind_host_wakeup(u64 vcpu, u32 *intid)
{
	u64 r1 = 0;
	int ret = hypcall(HYP_HYPCALL_VCPU_BIND_HOST_WAKEUP, vcpu, 0, 0, 0, 0, 0, &r1);

	*intid = r1;
	return ret;
}

int rm_hyp_vcpu_unbind_wakeup(u64 vcpu)
{
	return hypcall(GUNYAH_HYPCALL_VCPU_UNBIND_VIRQ, vcpu, GUNYAH_VCPU_VIRQ_RUN_WAKEUP, 0, 0,
		       0, 0, NULL);
}

int rm_hyp_vcpu_schedule(u64 vcpu, u16 cpu, u8 prio, u64 timeslice_ns)
{
	int ret = hypcall(GUNYAH_HYPCALL_VCPU_SET_PRIORITY, vcpu, prio, 0, 0, 0, 0, NULL);

	if (!ret)
		ret = hypcall(GUNYAH_HYPCALL_VCPU_SET_TIMESLICE, vcpu, timeslice_ns, 0, 0, 0, 0,
			      NULL);
	/* The real call's "none" is -1. */
	if (!ret)
		ret = hypcall(GUNYAH_HYPCALL_VCPU_SET_AFFINITY, vcpu,
			      cpu == 0xffff ? ~0ULL : cpu, 0, 0, 0, 0, NULL);
	return ret;
}

int rm_hyp_vcpu_register_write(u64 vcpu, unsigned int set, unsigned int index, u64 value)
{
	return hypcall(GUNYAH_HYPCALL_VCPU_REGISTER_WRITE, vcpu, set, index, value, 0, 0, NULL);
}

int rm_hyp_vcpu_poweron(u64 vcpu, u64 entry, u64 context)
{
	return hypcall(GUNYAH_HYPCALL_VCPU_POWERON, vcpu, entry, context, 0, 0, 0, NULL);
}

int rm_hyp_vcpu_kill(u64 vcpu)
{
	return hypcall(GUNYAH_HYPCALL_VCPU_KILL, vcpu, 0, 0, 0, 0, 0, NULL);
}

int rm_hyp_doorbell_create(u64 *cap)
{
	return create(GUNYAH_HYPCALL_PARTITION_CREATE_DOORBELL, cap);
}

int rm_hyp_doorbell_bind(u64 doorbell, u64 guest, u32 intid)
{
	return hypcall(GUNYAH_HYPCALL_DOORBELL_BIND_VIRQ, doorbell, guest, intid, 0, 0, 0, NULL);
}
