/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tracepoints of gunyah_vcpu.ko. Included by gunyah_vcpu.c only.
 */

#ifndef _GUNYAH_VCPU_TRACE_HELPERS
#define _GUNYAH_VCPU_TRACE_HELPERS

#include <linux/gunyah.h>
#include <linux/limits.h>
#include <linux/types.h>

#include "gunyah_vcpu.h"

/* The state of a vcpu_run that failed: it reported none */
#define GUNYAH_VCPU_TRACE_NO_STATE	U64_MAX

/* The address a vcpu_run reported: of a VMMIO access or a page fault */
static inline u64
gunyah_vcpu_trace_addr(enum gunyah_error err,
		       const struct gunyah_hypercall_vcpu_run_resp *resp)
{
	if (err != GUNYAH_ERROR_OK)
		return 0;
	switch (resp->state) {
	case GUNYAH_VCPU_RUN_STATE_ADDRSPACE_VMMIO_READ:
	case GUNYAH_VCPU_RUN_STATE_ADDRSPACE_VMMIO_WRITE:
	case GUNYAH_VCPU_RUN_STATE_ADDRSPACE_PAGE_FAULT:
		return resp->state_data[0];
	default:
		return 0;
	}
}

/* The size of the VMMIO access a vcpu_run reported, unchecked */
static inline u64
gunyah_vcpu_trace_len(enum gunyah_error err,
		      const struct gunyah_hypercall_vcpu_run_resp *resp)
{
	if (err != GUNYAH_ERROR_OK)
		return 0;
	switch (resp->state) {
	case GUNYAH_VCPU_RUN_STATE_ADDRSPACE_VMMIO_READ:
	case GUNYAH_VCPU_RUN_STATE_ADDRSPACE_VMMIO_WRITE:
		return resp->state_data[1];
	default:
		return 0;
	}
}

#endif /* _GUNYAH_VCPU_TRACE_HELPERS */

#undef TRACE_SYSTEM
#define TRACE_SYSTEM gunyah

#if !defined(_GUNYAH_VCPU_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _GUNYAH_VCPU_TRACE_H

#include <linux/tracepoint.h>

/* The enums' values, for user-space tools that read the format */
TRACE_DEFINE_ENUM(GUNYAH_VCPU_RUN_STATE_READY);
TRACE_DEFINE_ENUM(GUNYAH_VCPU_RUN_STATE_EXPECTS_WAKEUP);
TRACE_DEFINE_ENUM(GUNYAH_VCPU_RUN_STATE_POWERED_OFF);
TRACE_DEFINE_ENUM(GUNYAH_VCPU_RUN_STATE_BLOCKED);
TRACE_DEFINE_ENUM(GUNYAH_VCPU_RUN_STATE_ADDRSPACE_VMMIO_READ);
TRACE_DEFINE_ENUM(GUNYAH_VCPU_RUN_STATE_ADDRSPACE_VMMIO_WRITE);
TRACE_DEFINE_ENUM(GUNYAH_VCPU_RUN_STATE_FAULT);
TRACE_DEFINE_ENUM(GUNYAH_VCPU_RUN_STATE_ADDRSPACE_PAGE_FAULT);
TRACE_DEFINE_ENUM(GUNYAH_VCPU_RUN_STATE_PSCI_SYSTEM_RESET);
TRACE_DEFINE_ENUM(GUNYAH_VCPU_ACTION_RESCHED);
TRACE_DEFINE_ENUM(GUNYAH_VCPU_ACTION_YIELD);
TRACE_DEFINE_ENUM(GUNYAH_VCPU_ACTION_BACKOFF);
TRACE_DEFINE_ENUM(GUNYAH_VCPU_ACTION_WAIT_WAKEUP);
TRACE_DEFINE_ENUM(GUNYAH_VCPU_ACTION_WAIT_STOP);
TRACE_DEFINE_ENUM(GUNYAH_VCPU_ACTION_MMIO_WRITE);
TRACE_DEFINE_ENUM(GUNYAH_VCPU_ACTION_MMIO_READ);
TRACE_DEFINE_ENUM(GUNYAH_VCPU_ACTION_CRASHED);
TRACE_DEFINE_ENUM(GUNYAH_VCPU_ACTION_ERROR);

/*
 * A vcpu_run returned: the hypercall's error; the vCPU's state if it
 * succeeded ("none" if not); the address and size of a VMMIO access (the
 * address of a page fault), 0 otherwise; and what the run loop does next.
 */
TRACE_EVENT(gunyah_vcpu_exit,
	    TP_PROTO(u32 vcpu_id, enum gunyah_error err,
		     const struct gunyah_hypercall_vcpu_run_resp *resp,
		     enum gunyah_vcpu_action action),
	    TP_ARGS(vcpu_id, err, resp, action),
	    TP_STRUCT__entry(__field(u32, vcpu)
			     __field(int, error)
			     __field(u64, state)
			     __field(u64, addr)
			     __field(u64, len)
			     __field(int, action)),
	    TP_fast_assign(__entry->vcpu = vcpu_id;
			   __entry->error = err;
			   __entry->state = err == GUNYAH_ERROR_OK ? resp->state :
					    GUNYAH_VCPU_TRACE_NO_STATE;
			   __entry->addr = gunyah_vcpu_trace_addr(err, resp);
			   __entry->len = gunyah_vcpu_trace_len(err, resp);
			   __entry->action = action;),
	    TP_printk("vcpu=%u error=%d state=%s addr=%#llx len=%llu action=%s",
		      __entry->vcpu, __entry->error,
		      __print_symbolic(__entry->state,
				       { GUNYAH_VCPU_RUN_STATE_READY, "READY" },
				       { GUNYAH_VCPU_RUN_STATE_EXPECTS_WAKEUP, "EXPECTS_WAKEUP" },
				       { GUNYAH_VCPU_RUN_STATE_POWERED_OFF, "POWERED_OFF" },
				       { GUNYAH_VCPU_RUN_STATE_BLOCKED, "BLOCKED" },
				       { GUNYAH_VCPU_RUN_STATE_ADDRSPACE_VMMIO_READ,
					 "VMMIO_READ" },
				       { GUNYAH_VCPU_RUN_STATE_ADDRSPACE_VMMIO_WRITE,
					 "VMMIO_WRITE" },
				       { GUNYAH_VCPU_RUN_STATE_FAULT, "FAULT" },
				       { GUNYAH_VCPU_RUN_STATE_ADDRSPACE_PAGE_FAULT, "PAGE_FAULT" },
				       { GUNYAH_VCPU_RUN_STATE_PSCI_SYSTEM_RESET,
					 "PSCI_SYSTEM_RESET" },
				       { GUNYAH_VCPU_TRACE_NO_STATE, "none" }),
		      __entry->addr, __entry->len,
		      __print_symbolic(__entry->action,
				       { GUNYAH_VCPU_ACTION_RESCHED, "RESCHED" },
				       { GUNYAH_VCPU_ACTION_YIELD, "YIELD" },
				       { GUNYAH_VCPU_ACTION_BACKOFF, "BACKOFF" },
				       { GUNYAH_VCPU_ACTION_WAIT_WAKEUP, "WAIT_WAKEUP" },
				       { GUNYAH_VCPU_ACTION_WAIT_STOP, "WAIT_STOP" },
				       { GUNYAH_VCPU_ACTION_MMIO_WRITE, "MMIO_WRITE" },
				       { GUNYAH_VCPU_ACTION_MMIO_READ, "MMIO_READ" },
				       { GUNYAH_VCPU_ACTION_CRASHED, "CRASHED" },
				       { GUNYAH_VCPU_ACTION_ERROR, "ERROR" }))
);

#endif /* _GUNYAH_VCPU_TRACE_H */

/* Out of tree: define_trace.h finds this file through -I$(src) */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE gunyah_vcpu_trace
#include <trace/define_trace.h>
