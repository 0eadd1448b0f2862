/* SPDX-License-Identifier: GPL-2.0-only */
/* The hypervisor's log: every line on the shared UART starts with "[HYP] ". */
#ifndef HYP_CONSOLE_H
#define HYP_CONSOLE_H

#include <stdarg.h>
#include <hyp/types.h>

#define HYP_LOG_PREFIX	"[HYP] "

void hyp_log(const char *fmt, ...) __printf(1, 2);
/* The same for a component with its own prefix (the RM's "[RM] "). */
void hyp_log_prefix(const char *prefix, const char *fmt, ...) __printf(2, 3);
/* Log and power the machine off: a hypervisor bug must end the run. */
void __noreturn hyp_panic(const char *fmt, ...) __printf(1, 2);
void __noreturn hyp_halt(void);

/* Formatting without output, for the log and for the unit tests. */
int hyp_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int hyp_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif
