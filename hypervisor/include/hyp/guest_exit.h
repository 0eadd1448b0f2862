/* SPDX-License-Identifier: GPL-2.0-only */
/* Why a guest stopped running: shared by the hypervisor and the RM. */
#ifndef HYP_GUEST_EXIT_H
#define HYP_GUEST_EXIT_H

/* Why a guest stopped, as the RM reports it (NOTIFY_VM_EXITED exit types). */
enum guest_exit {
	GUEST_RUNNING,
	GUEST_EXIT_POWER_OFF,	/* PSCI SYSTEM_OFF, or every vCPU off */
	GUEST_EXIT_RESET,	/* PSCI SYSTEM_RESET */
	GUEST_EXIT_FAULT,	/* a vCPU the hypervisor could not continue */
	GUEST_EXIT_STOPPED,	/* the owner's VM_STOP */
};

#endif
