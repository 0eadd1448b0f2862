/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PSCI for the primary VM. Each host vCPU is pinned to the physical CPU of
 * the same index; powering one on or off goes through the firmware's PSCI
 * (QEMU's built-in PSCI, reached with SMC from EL2).
 */
#ifndef HYP_PSCI_H
#define HYP_PSCI_H

#include <hyp/config.h>
#include <hyp/gunyah_abi.h>
#include <hyp/smccc.h>
#include <hyp/spinlock.h>
#include <hyp/types.h>

#define PSCI_VERSION			0x84000000U
#define PSCI_CPU_SUSPEND		0x84000001U
#define PSCI_CPU_OFF			0x84000002U
#define PSCI_CPU_ON			0x84000003U
#define PSCI_AFFINITY_INFO		0x84000004U
#define PSCI_MIGRATE			0x84000005U
#define PSCI_MIGRATE_INFO_TYPE		0x84000006U
#define PSCI_MIGRATE_INFO_UP_CPU	0x84000007U
#define PSCI_SYSTEM_OFF			0x84000008U
#define PSCI_SYSTEM_RESET		0x84000009U
#define PSCI_FEATURES			0x8400000AU
#define PSCI_64(fid)			((fid) | SMCCC_64)

#define PSCI_RET_SUCCESS		0
#define PSCI_RET_NOT_SUPPORTED		(-1)
#define PSCI_RET_INVALID_PARAMS		(-2)
#define PSCI_RET_DENIED			(-3)
#define PSCI_RET_ALREADY_ON		(-4)
#define PSCI_RET_ON_PENDING		(-5)
#define PSCI_RET_INTERNAL_FAILURE	(-6)
#define PSCI_RET_INVALID_ADDRESS	(-9)

#define PSCI_AFFINITY_ON		0
#define PSCI_AFFINITY_OFF		1
#define PSCI_AFFINITY_ON_PENDING	2

/* PSCI 1.1, as QEMU's firmware (and the real Gunyah) offers. */
#define PSCI_VERSION_1_1		0x10001U
/* MIGRATE_INFO_TYPE: no Trusted OS that needs migrating. */
#define PSCI_TOS_NOT_PRESENT_MP		2

#define MPIDR_AFFINITY_MASK		0xff00ffffffUL

/* The firmware below the hypervisor. */
struct psci_firmware {
	s64 (*cpu_on)(u64 mpidr, u64 entry, u64 context);
	s64 (*cpu_off)(void);			/* returns only on failure */
	s64 (*affinity_info)(u64 mpidr);
	void (*system_off)(void);		/* does not return */
	void (*system_reset)(void);		/* does not return */
};

enum host_cpu_state {
	HOST_CPU_OFF,
	HOST_CPU_ON_PENDING,	/* CPU_ON accepted, CPU not yet in the host */
	HOST_CPU_ON,
	HOST_CPU_OFF_PENDING,	/* CPU_OFF issued, firmware not yet done */
};

struct psci_host_cpu {
	u64 mpidr;
	enum host_cpu_state state;
	u64 entry;		/* host entry point of a pending CPU_ON */
	u64 context;		/* host x0 of a pending CPU_ON */
};

struct psci_host {
	spinlock_t lock;
	unsigned int nr_cpus;
	struct psci_host_cpu cpu[HYP_MAX_CPUS];
	const struct psci_firmware *fw;
	/* Where the firmware starts a CPU the host powers on. */
	u64 warm_entry;
	/* Whether @entry is executable host memory. */
	bool (*entry_valid)(u64 entry);
};

/* Set up @ph with @nr CPUs of @mpidr; CPU @boot is already on. */
void psci_host_init(struct psci_host *ph, const u64 *mpidr, unsigned int nr,
		    unsigned int boot, const struct psci_firmware *fw, u64 warm_entry,
		    bool (*entry_valid)(u64 entry));

/* A PSCI call from the host vCPU on CPU @self; FID in regs[0]. */
void psci_host_call(struct psci_host *ph, unsigned int self, u64 regs[SMCCC_NR_REGS]);

/*
 * CPU @self arrived from the firmware: move it from ON_PENDING to ON and
 * return where the host wants it to start. False if nobody asked for it.
 */
bool psci_host_cpu_started(struct psci_host *ph, unsigned int self, u64 *entry,
			   u64 *context);

/* Index of the CPU with @mpidr, or -1. */
int psci_host_cpu_index(const struct psci_host *ph, u64 mpidr);

#endif
