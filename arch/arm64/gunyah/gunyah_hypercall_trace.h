/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tracepoints of gunyah_hypercall.ko. Included by gunyah_hypercall.c only,
 * after its GUNYAH_HYPERCALL_* function IDs.
 */

#undef TRACE_SYSTEM
#define TRACE_SYSTEM gunyah

#if !defined(_GUNYAH_HYPERCALL_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _GUNYAH_HYPERCALL_TRACE_H

#include <linux/tracepoint.h>
#include <linux/types.h>

/*
 * A hypercall returned: its SMCCC function ID, the capability it was given
 * and the &enum gunyah_error it returned in x0 (both 0 for hyp_identify).
 */
TRACE_EVENT(gunyah_hypercall,
	    TP_PROTO(u32 fn, u64 capid, int error),
	    TP_ARGS(fn, capid, error),
	    TP_STRUCT__entry(__field(u32, fn)
			     __field(int, error)
			     __field(u64, capid)),
	    TP_fast_assign(__entry->fn = fn;
			   __entry->error = error;
			   __entry->capid = capid;),
	    TP_printk("fn=%#x (%s) capid=%#llx error=%d", __entry->fn,
		      __print_symbolic(__entry->fn,
				       { GUNYAH_HYPERCALL_HYP_IDENTIFY, "hyp_identify" },
				       { GUNYAH_HYPERCALL_BELL_SEND, "bell_send" },
				       { GUNYAH_HYPERCALL_BELL_RECV, "bell_recv" },
				       { GUNYAH_HYPERCALL_BELL_RESET, "bell_reset" },
				       { GUNYAH_HYPERCALL_BELL_MASK, "bell_mask" },
				       { GUNYAH_HYPERCALL_MSGQ_SEND, "msgq_send" },
				       { GUNYAH_HYPERCALL_MSGQ_RECV, "msgq_recv" },
				       { GUNYAH_HYPERCALL_MSGQ_FLUSH, "msgq_flush" },
				       { GUNYAH_HYPERCALL_VCPU_RUN, "vcpu_run" }),
		      __entry->capid, __entry->error)
);

#endif /* _GUNYAH_HYPERCALL_TRACE_H */

/* Out of tree: define_trace.h finds this file through -I$(src) */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE gunyah_hypercall_trace
#include <trace/define_trace.h>
