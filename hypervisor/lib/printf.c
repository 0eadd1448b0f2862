// SPDX-License-Identifier: GPL-2.0-only
/*
 * A small vsnprintf: %c %s %d %i %u %x %X %p %%, flags '-' '0' '#',
 * a field width, and the length modifiers l, ll and z. Output is always
 * NUL-terminated when size > 0; the return value is the length that a large
 * enough buffer would have received.
 */
#include <hyp/console.h>

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void out_char(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

static void out_str(struct out *o, const char *s, int width, bool left)
{
	int len = 0;

	if (!s)
		s = "(null)";
	while (s[len])
		len++;
	if (!left)
		out_pad(o, ' ', width - len);
	while (*s)
		out_char(o, *s++);
	if (left)
		out_pad(o, ' ', width - len);
}

static void out_num(struct out *o, u64 v, bool neg, unsigned int base, bool upper,
		    int width, bool zero, bool left, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, plen = 0, total;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);

	if (neg)
		prefix = "-";
	while (prefix && prefix[plen])
		plen++;
	total = n + plen;

	if (!left && !zero)
		out_pad(o, ' ', width - total);
	while (prefix && *prefix)
		out_char(o, *prefix++);
	if (!left && zero)
		out_pad(o, '0', width - total);
	while (n)
		out_char(o, tmp[--n]);
	if (left)
		out_pad(o, ' ', width - total);
}

int hyp_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size, .len = 0 };

	for (; *fmt; fmt++) {
		bool left = false, zero = false, alt = false;
		int width = 0, lng = 0;
		u64 uval;
		s64 sval;

		if (*fmt != '%') {
			out_char(&o, *fmt);
			continue;
		}
		for (fmt++; ; fmt++) {
			if (*fmt == '-')
				left = true;
			else if (*fmt == '0')
				zero = true;
			else if (*fmt == '#')
				alt = true;
			else
				break;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		for (; *fmt == 'l' || *fmt == 'z'; fmt++)
			lng++;

		switch (*fmt) {
		case 'c':
			out_char(&o, (char)va_arg(ap, int));
			break;
		case 's':
			out_str(&o, va_arg(ap, const char *), width, left);
			break;
		case 'd':
		case 'i':
			sval = lng ? va_arg(ap, long) : va_arg(ap, int);
			uval = sval < 0 ? -(u64)sval : (u64)sval;
			out_num(&o, uval, sval < 0, 10, false, width, zero, left, NULL);
			break;
		case 'u':
		case 'x':
		case 'X':
			uval = lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
			out_num(&o, uval, false, *fmt == 'u' ? 10 : 16, *fmt == 'X', width,
				zero, left, alt && *fmt != 'u' ? "0x" : NULL);
			break;
		case 'p':
			out_num(&o, (uintptr_t)va_arg(ap, void *), false, 16, false, width,
				zero, left, "0x");
			break;
		case '%':
			out_char(&o, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			/* Unknown conversion: print it as it was written. */
			out_char(&o, '%');
			out_char(&o, *fmt);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int hyp_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = hyp_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
