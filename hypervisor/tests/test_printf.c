// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of lib/printf.c: hyp_snprintf conversions, flags and truncation. */
#include <limits.h>
#include <string.h>
#include <hyp/console.h>
#include "test.h"

static char buf[256];

/* Format into buf (checked by the compiler) and compare text and length. */
#define CHECK_FMT(want, ...)							\
	do {									\
		int ret_;							\
		memset(buf, 0x7e, sizeof(buf));					\
		ret_ = hyp_snprintf(buf, sizeof(buf), __VA_ARGS__);		\
		CHECK_STR_EQ(buf, (want));					\
		CHECK_EQ(ret_, strlen(want));					\
	} while (0)

TEST(plain_text_and_percent)
{
	CHECK_FMT("", "%s", "");
	CHECK_FMT("hello", "hello");
	CHECK_FMT("100%", "100%%");
	CHECK_FMT("%%", "%%%%");
	CHECK_FMT("[HYP] x\n", "[HYP] %c\n", 'x');
}

TEST(signed_decimal)
{
	CHECK_FMT("0", "%d", 0);
	CHECK_FMT("42", "%d", 42);
	CHECK_FMT("-42", "%d", -42);
	CHECK_FMT("-7", "%i", -7);
	CHECK_FMT("2147483647", "%d", INT_MAX);
	CHECK_FMT("-2147483648", "%d", INT_MIN);
	CHECK_FMT("-2147483648", "%i", INT_MIN);
	CHECK_FMT("-9223372036854775808", "%ld", LONG_MIN);
	CHECK_FMT("9223372036854775807", "%ld", LONG_MAX);
	CHECK_FMT("-1", "%lld", -1LL);
	CHECK_FMT("-1 2 -3", "%d %ld %i", -1, 2L, -3);
}

TEST(unsigned_decimal)
{
	CHECK_FMT("0", "%u", 0U);
	CHECK_FMT("4294967295", "%u", UINT_MAX);
	CHECK_FMT("4294967295", "%u", -1);
	CHECK_FMT("18446744073709551615", "%lu", ULONG_MAX);
	CHECK_FMT("12345", "%zu", (size_t)12345);
	CHECK_FMT("18446744073709551615", "%zu", (size_t)-1);
}

TEST(hex)
{
	CHECK_FMT("0", "%x", 0U);
	CHECK_FMT("deadbeef", "%x", 0xdeadbeefU);
	CHECK_FMT("DEADBEEF", "%X", 0xdeadbeefU);
	CHECK_FMT("ffffffff", "%x", -1);
	CHECK_FMT("0x1f", "%#x", 0x1fU);
	CHECK_FMT("0x4800000000008001", "%#lx", 0x4800000000008001UL);
	CHECK_FMT("ffffffffffffffff", "%lx", 0xffffffffffffffffUL);
	CHECK_FMT("FFFFFFFFFFFFFFFF", "%lX", 0xffffffffffffffffUL);
	CHECK_FMT("ff", "%llx", 0xffULL);
}

TEST(width_and_flags)
{
	CHECK_FMT("0000000080000000", "%016lx", 0x80000000UL);
	CHECK_FMT("ffffffffffffffff", "%016lx", ~0UL);
	CHECK_FMT("00ab", "%04x", 0xabU);
	CHECK_FMT("   42", "%5d", 42);
	CHECK_FMT("  -42", "%5d", -42);
	CHECK_FMT("-0042", "%05d", -42);
	CHECK_FMT("42   |", "%-5d|", 42);
	CHECK_FMT("12345678", "%5d", 12345678);
	CHECK_FMT("abc     |", "%-8s|", "abc");
	CHECK_FMT("     abc|", "%8s|", "abc");
	CHECK_FMT("toolongstring|", "%-8s|", "toolongstring");
	CHECK_FMT("0x0000ff", "%#08x", 0xffU);
	CHECK_FMT("    0xff", "%#8x", 0xffU);
}

TEST(pointer_and_char)
{
	CHECK_FMT("0x1234", "%p", (void *)0x1234);
	CHECK_FMT("0xffff800012345678", "%p", (void *)0xffff800012345678UL);
	CHECK_FMT("a", "%c", 'a');
	CHECK_FMT("<A-z>", "<%c-%c>", 'A', 'z');
}

TEST(strings)
{
	const char *volatile null_str = NULL;

	CHECK_FMT("Qualcomm", "%s", "Qualcomm");
	CHECK_FMT("(null)", "%s", null_str);
	CHECK_FMT("a=(null);", "a=%s;", null_str);
}

TEST(truncation)
{
	char small[8];
	int ret;

	memset(small, 0x7e, sizeof(small));
	ret = hyp_snprintf(small, 6, "hello world");
	CHECK_EQ(ret, 11);
	CHECK_STR_EQ(small, "hello");
	CHECK_EQ(small[6], 0x7e);	/* nothing beyond size */

	memset(small, 0x7e, sizeof(small));
	ret = hyp_snprintf(small, 1, "%d", 12345);
	CHECK_EQ(ret, 5);
	CHECK_EQ(small[0], '\0');
	CHECK_EQ(small[1], 0x7e);

	/* Exactly fits, and one too long. */
	memset(small, 0x7e, sizeof(small));
	ret = hyp_snprintf(small, 8, "%07x", 0xabcU);
	CHECK_EQ(ret, 7);
	CHECK_STR_EQ(small, "0000abc");
	ret = hyp_snprintf(small, 8, "%08x", 0xabcU);
	CHECK_EQ(ret, 8);
	CHECK_STR_EQ(small, "00000ab");

	/* size 0 writes nothing at all (not even the NUL). */
	memset(small, 0x7e, sizeof(small));
	ret = hyp_snprintf(small, 0, "%s-%lx", "abc", 0x1234UL);
	CHECK_EQ(ret, 8);
	CHECK_EQ(small[0], 0x7e);
	ret = hyp_snprintf(NULL, 0, "%d", -100);
	CHECK_EQ(ret, 4);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
TEST(unknown_conversion_printed_literally)
{
	CHECK_FMT("%q", "%q");
	CHECK_FMT("a%yb", "a%yb");
	CHECK_FMT("x%q 5", "x%q %d", 5);
}

/* '-' wins over '0', as in C (the compiler warns that '0' is ignored). */
TEST(left_justify_overrides_zero_pad)
{
	CHECK_FMT("42   |", "%-05d|", 42);
	CHECK_FMT("ff      |", "%-08x|", 0xffU);
}
#pragma GCC diagnostic pop

static int vfmt(char *b, size_t n, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = hyp_vsnprintf(b, n, fmt, ap);
	va_end(ap);
	return ret;
}

TEST(vsnprintf_entry_point)
{
	CHECK_EQ(vfmt(buf, sizeof(buf), "%s=%#lx", "x0", 0x10003UL), 10);
	CHECK_STR_EQ(buf, "x0=0x10003");
}
