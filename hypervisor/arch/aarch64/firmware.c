// SPDX-License-Identifier: GPL-2.0-only
/* PSCI calls to the firmware below EL2 (on QEMU, its built-in PSCI via SMC). */
#include <hyp/psci.h>

static s64 fw_smc(u64 fid, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 asm("x0") = fid;
	register u64 x1 asm("x1") = a1;
	register u64 x2 asm("x2") = a2;
	register u64 x3 asm("x3") = a3;

	/* SMCCC 1.0 firmware may clobber x4-x17. */
	asm volatile("smc #0"
		     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
		     :
		     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
		       "x13", "x14", "x15", "x16", "x17", "memory");
	return (s64)x0;
}

static s64 fw_cpu_on(u64 mpidr, u64 entry, u64 context)
{
	return fw_smc(PSCI_64(PSCI_CPU_ON), mpidr, entry, context);
}

static s64 fw_cpu_off(void)
{
	return fw_smc(PSCI_CPU_OFF, 0, 0, 0);
}

static s64 fw_affinity_info(u64 mpidr)
{
	return fw_smc(PSCI_64(PSCI_AFFINITY_INFO), mpidr, 0, 0);
}

static void fw_system_off(void)
{
	fw_smc(PSCI_SYSTEM_OFF, 0, 0, 0);
}

static void fw_system_reset(void)
{
	fw_smc(PSCI_SYSTEM_RESET, 0, 0, 0);
}

const struct psci_firmware arch_psci_firmware = {
	.cpu_on = fw_cpu_on,
	.cpu_off = fw_cpu_off,
	.affinity_info = fw_affinity_info,
	.system_off = fw_system_off,
	.system_reset = fw_system_reset,
};
