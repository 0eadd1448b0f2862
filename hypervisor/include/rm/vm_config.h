/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VM-config node a VMM puts in its guest's devicetree and the RM reads
 * at VM_INIT (../shared/spec/abi.md §8.3). Pure logic (libfdt), unit-tested
 * on the host.
 */
#ifndef RM_VM_CONFIG_H
#define RM_VM_CONFIG_H

#include <hyp/types.h>

#define RM_VM_IMAGE_NAME_MAX	80
#define RM_VM_MAX_VCPUS		8
#define RM_VM_MAX_DOORBELLS	16

/* The primary VM's scheduling priority, Gunyah's default. */
#define RM_OWNER_PRIORITY	32

/* The guest's GIC: 128 KiB of redistributor per vCPU; 39-bit IPAs. */
#define RM_VM_GICR_STRIDE	0x20000UL
#define RM_VM_IPA_LIMIT		(1UL << 39)

/* The VMMIO window of an unauthenticated VM, as the real RM registers it. */
#define RM_VM_VMMIO_BASE	0x0UL
#define RM_VM_VMMIO_SIZE	0x40000000UL

struct rm_doorbell_config {
	u32 label;
	u32 intid;		/* GIC INTID of the guest's interrupt */
	/*
	 * Level-sensitive (flags 4) rather than edge: what the devicetree
	 * tells the guest. Checked, never applied: as on the real Gunyah the
	 * guest programs its SPI's trigger itself (GICD_ICFGR).
	 */
	bool level;
	bool source_can_clear;
};

struct rm_vm_config {
	char image_name[RM_VM_IMAGE_NAME_MAX];
	u64 mem_base;		/* IPA where the image parcel is mapped */
	unsigned int nr_vcpus;
	/* Not proxy-scheduled: the hypervisor runs the vCPUs itself. */
	bool scheduled;
	u8 priority;		/* 0..63, below the owner's */
	u64 timeslice_ns;
	u16 affinity[RM_VM_MAX_VCPUS];	/* each vCPU's physical CPU */
	/* No GIC node: VM_INIT goes on, VM_START refuses (as the real RM) */
	bool has_gic;
	u64 gicd_base;		/* the guest's GIC distributor (64 KiB) */
	u64 gicr_base;		/* its redistributors, nr_vcpus x 128 KiB */
	unsigned int nr_doorbells;
	struct rm_doorbell_config doorbells[RM_VM_MAX_DOORBELLS];
};

/*
 * Parse the VM config of the devicetree at @fdt (at most @size bytes, 8-byte
 * aligned), for VM_INIT. Returns RM_OK or the RM error VM_INIT answers:
 * RM_ERROR_MEM_INVALID for a malformed blob (dt_check()) and for what the
 * real RM's parser refuses (CPU nodes, the GIC node), RM_ERROR_NORESOURCE
 * for vCPUs that cannot be created (no VM-config node, no vcpus node, more
 * than 8, a priority not below the owner's or a timeslice out of range),
 * RM_ERROR_ARG_INVALID for anything else this RM cannot
 * run. See Documentation/virt/gunyah/hypervisor.rst, "What the RM refuses".
 */
u32 rm_vm_config_parse(const void *fdt, size_t size, struct rm_vm_config *cfg);

#endif
