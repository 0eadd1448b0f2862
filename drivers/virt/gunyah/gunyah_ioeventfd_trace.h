/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tracepoints of gunyah_ioeventfd.ko. Included by gunyah_ioeventfd.c only.
 */

#undef TRACE_SYSTEM
#define TRACE_SYSTEM gunyah

#if !defined(_GUNYAH_IOEVENTFD_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _GUNYAH_IOEVENTFD_TRACE_H

#include <linux/tracepoint.h>
#include <linux/types.h>

/*
 * A guest write signals an ioeventfd: the write's address and size, and
 * whether the ioeventfd matched its value (DATAMATCH) or takes any value.
 */
TRACE_EVENT(gunyah_ioeventfd_signal,
	    TP_PROTO(u64 addr, u32 len, bool datamatch),
	    TP_ARGS(addr, len, datamatch),
	    TP_STRUCT__entry(__field(u64, addr)
			     __field(u32, len)
			     __field(bool, datamatch)),
	    TP_fast_assign(__entry->addr = addr;
			   __entry->len = len;
			   __entry->datamatch = datamatch;),
	    TP_printk("addr=%#llx len=%u datamatch=%d", __entry->addr,
		      __entry->len, __entry->datamatch)
);

#endif /* _GUNYAH_IOEVENTFD_TRACE_H */

/* Out of tree: define_trace.h finds this file through -I$(src) */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE gunyah_ioeventfd_trace
#include <trace/define_trace.h>
