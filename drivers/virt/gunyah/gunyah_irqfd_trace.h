/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tracepoints of gunyah_irqfd.ko. Included by gunyah_irqfd.c only.
 */

#undef TRACE_SYSTEM
#define TRACE_SYSTEM gunyah

#if !defined(_GUNYAH_IRQFD_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _GUNYAH_IRQFD_TRACE_H

#include <linux/tracepoint.h>
#include <linux/types.h>

/*
 * An irqfd rings its doorbell: the doorbell's label, whether it was set up
 * for a level interrupt, and doorbell_send's &enum gunyah_error. Deferred:
 * the VM has not started, the doorbell is rung at the start (a second
 * event, not deferred).
 */
TRACE_EVENT(gunyah_irqfd_inject,
	    TP_PROTO(u32 label, bool level, bool deferred, int error),
	    TP_ARGS(label, level, deferred, error),
	    TP_STRUCT__entry(__field(u32, label)
			     __field(bool, level)
			     __field(bool, deferred)
			     __field(int, error)),
	    TP_fast_assign(__entry->label = label;
			   __entry->level = level;
			   __entry->deferred = deferred;
			   __entry->error = error;),
	    TP_printk("label=%u level=%d deferred=%d error=%d", __entry->label,
		      __entry->level, __entry->deferred, __entry->error)
);

#endif /* _GUNYAH_IRQFD_TRACE_H */

/* Out of tree: define_trace.h finds this file through -I$(src) */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE gunyah_irqfd_trace
#include <trace/define_trace.h>
