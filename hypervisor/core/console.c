// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hypervisor's log on the shared UART. Lines are assembled in a buffer
 * and written whole, under a lock once other CPUs run, so that they never
 * interleave with each other.
 */
#include <hyp/console.h>
#include <hyp/spinlock.h>
#include <platform/platform.h>

#define LINE_MAX	256

static spinlock_t console_lock;
bool console_smp;

static void console_write(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			platform_putc('\r');
		platform_putc(*s);
	}
}

static void hyp_vlog(const char *prefix, const char *fmt, va_list ap, bool lock)
{
	char line[LINE_MAX];

	hyp_vsnprintf(line, sizeof(line), fmt, ap);
	lock = lock && console_smp;
	if (lock)
		spin_lock(&console_lock);
	console_write(prefix);
	console_write(line);
	if (lock)
		spin_unlock(&console_lock);
}

void hyp_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hyp_vlog(HYP_LOG_PREFIX, fmt, ap, true);
	va_end(ap);
}

void hyp_log_prefix(const char *prefix, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hyp_vlog(prefix, fmt, ap, true);
	va_end(ap);
}

void __noreturn hyp_panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	/* No lock: the CPU that panics may hold it. */
	hyp_vlog(HYP_LOG_PREFIX "PANIC: ", fmt, ap, false);
	va_end(ap);
	hyp_halt();
}
