/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tracepoints of gunyah_rsc_mgr.ko: the calls to the Resource Manager and
 * its notifications. Included by rsc_mgr.c only.
 */

#undef TRACE_SYSTEM
#define TRACE_SYSTEM gunyah

#if !defined(_GUNYAH_RSC_MGR_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _GUNYAH_RSC_MGR_TRACE_H

#include <linux/ktime.h>
#include <linux/tracepoint.h>
#include <linux/types.h>

#include "rsc_mgr.h"

/* A request is about to be sent; the call holds the RM's only slot. */
TRACE_EVENT(gunyah_rm_call_start,
	    TP_PROTO(u32 msg_id, u16 seq, size_t size),
	    TP_ARGS(msg_id, seq, size),
	    TP_STRUCT__entry(__field(u32, msg_id)
			     __field(u16, seq)
			     __field(size_t, size)
			     __string(msg, gunyah_rm_msg_name(msg_id) ?: "?")),
	    TP_fast_assign(__entry->msg_id = msg_id;
			   __entry->seq = seq;
			   __entry->size = size;
			   __assign_str(msg);),
	    TP_printk("msg_id=%#x (%s) seq=%u size=%zu", __entry->msg_id,
		      __get_str(msg), __entry->seq, __entry->size)
);

/*
 * The call is over: the reply's RM error word (0 if no reply came), the
 * errno the caller gets, the size of the reply data after the error word,
 * and the time from sending to the reply (or to the failure); 0 if the
 * event was enabled while the call was under way.
 */
TRACE_EVENT(gunyah_rm_call_done,
	    TP_PROTO(u32 msg_id, u16 seq, u32 rm_error, int ret, size_t resp_size,
		     ktime_t start),
	    TP_ARGS(msg_id, seq, rm_error, ret, resp_size, start),
	    TP_STRUCT__entry(__field(u32, msg_id)
			     __field(u16, seq)
			     __field(u32, rm_error)
			     __field(int, ret)
			     __field(size_t, resp_size)
			     __field(s64, latency_ns)
			     __string(msg, gunyah_rm_msg_name(msg_id) ?: "?")
			     __string(err, gunyah_rm_error_name(rm_error) ?: "?")),
	    TP_fast_assign(__entry->msg_id = msg_id;
			   __entry->seq = seq;
			   __entry->rm_error = rm_error;
			   __entry->ret = ret;
			   __entry->resp_size = resp_size;
			   __entry->latency_ns = start ?
				ktime_to_ns(ktime_sub(ktime_get(), start)) : 0;
			   __assign_str(msg);
			   __assign_str(err);),
	    TP_printk("msg_id=%#x (%s) seq=%u rm_error=%#x (%s) ret=%d resp_size=%zu latency_ns=%lld",
		      __entry->msg_id, __get_str(msg), __entry->seq, __entry->rm_error,
		      __get_str(err), __entry->ret, __entry->resp_size,
		      __entry->latency_ns)
);

/* A whole notification arrived; it is queued for the notifier chain. */
TRACE_EVENT(gunyah_rm_notification,
	    TP_PROTO(u32 msg_id, size_t size),
	    TP_ARGS(msg_id, size),
	    TP_STRUCT__entry(__field(u32, msg_id)
			     __field(size_t, size)),
	    TP_fast_assign(__entry->msg_id = msg_id;
			   __entry->size = size;),
	    TP_printk("msg_id=%#x (%s) size=%zu", __entry->msg_id,
		      __print_symbolic(__entry->msg_id,
				       { GUNYAH_RM_NOTIFICATION_VM_EXITED, "VM_EXITED" },
				       { GUNYAH_RM_NOTIFICATION_VM_SHUTDOWN, "VM_SHUTDOWN" },
				       { GUNYAH_RM_NOTIFICATION_VM_STATUS, "VM_STATUS" }),
		      __entry->size)
);

#endif /* _GUNYAH_RSC_MGR_TRACE_H */

/* Out of tree: define_trace.h finds this file through -I$(src) */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE gunyah_rsc_mgr_trace
#include <trace/define_trace.h>
