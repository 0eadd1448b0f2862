/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A tiny TAP harness for the host-side unit tests, header-only: include it
 * from exactly one .c file per test binary (it defines main()).
 *
 *	TEST(name) { CHECK(x); CHECK_EQ(a, b); }
 *
 * Tests run in the order they appear in the file. Each prints "ok N name" or
 * "not ok N name"; failed checks print "# file:line: ..." diagnostics first.
 * The binary prints the plan "1..N" before the first test and exits 1 if any
 * test failed. CHECK* record a failure and go on; REQUIRE* also end the test.
 */
#ifndef HYP_TEST_H
#define HYP_TEST_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct test_case {
	const char *name;
	void (*fn)(void);
	int line;
};

#define TEST_MAX_CASES	256

static struct test_case test_cases[TEST_MAX_CASES];
static int test_nr_cases;
static int test_cur_failed;
static int test_cur_checks;

static inline void test_register(const char *name, void (*fn)(void), int line)
{
	if (test_nr_cases == TEST_MAX_CASES) {
		fprintf(stderr, "test.h: more than %d tests\n", TEST_MAX_CASES);
		abort();
	}
	test_cases[test_nr_cases++] = (struct test_case){ name, fn, line };
}

#define TEST(name)							\
	static void test_fn_##name(void);				\
	__attribute__((constructor)) static void test_reg_##name(void)	\
	{								\
		test_register(#name, test_fn_##name, __LINE__);		\
	}								\
	static void test_fn_##name(void)

static inline void test_fail_hdr(const char *file, int line)
{
	test_cur_failed++;
	printf("#   %s:%d: ", file, line);
}

/* Each CHECK returns whether it passed, so a test can bail out on demand. */
static inline int test_check(int ok, const char *expr, const char *file, int line)
{
	test_cur_checks++;
	if (!ok) {
		test_fail_hdr(file, line);
		printf("CHECK(%s) failed\n", expr);
	}
	return ok;
}

static inline int test_check_eq(uint64_t a, uint64_t b, const char *ea, const char *eb,
				const char *file, int line)
{
	test_cur_checks++;
	if (a != b) {
		test_fail_hdr(file, line);
		printf("CHECK_EQ(%s, %s) failed\n", ea, eb);
		printf("#     left:  0x%" PRIx64 " (%" PRId64 ")\n", a, (int64_t)a);
		printf("#     right: 0x%" PRIx64 " (%" PRId64 ")\n", b, (int64_t)b);
	}
	return a == b;
}

static inline int test_check_str(const char *a, const char *b, const char *ea,
				 const char *eb, const char *file, int line)
{
	int ok = (a && b) ? !strcmp(a, b) : a == b;

	test_cur_checks++;
	if (!ok) {
		test_fail_hdr(file, line);
		printf("CHECK_STR_EQ(%s, %s) failed\n", ea, eb);
		printf("#     left:  \"%s\"\n", a ? a : "(NULL)");
		printf("#     right: \"%s\"\n", b ? b : "(NULL)");
	}
	return ok;
}

static inline int test_check_mem(const void *a, const void *b, size_t n, const char *ea,
				 const char *eb, const char *file, int line)
{
	const unsigned char *pa = a, *pb = b;
	size_t i;

	test_cur_checks++;
	for (i = 0; i < n; i++)
		if (pa[i] != pb[i])
			break;
	if (i == n)
		return 1;
	test_fail_hdr(file, line);
	printf("CHECK_MEM_EQ(%s, %s, %zu) failed at byte %zu: 0x%02x != 0x%02x\n", ea, eb,
	       n, i, pa[i], pb[i]);
	return 0;
}

/* Integers (any width or signedness) and pointers, compared as 64-bit values. */
#define CHECK(cond)	test_check(!!(cond), #cond, __FILE__, __LINE__)
#define CHECK_EQ(a, b)	test_check_eq((uint64_t)(a), (uint64_t)(b), #a, #b, __FILE__, __LINE__)
#define CHECK_NE(a, b)	CHECK((uint64_t)(a) != (uint64_t)(b))
#define CHECK_STR_EQ(a, b) test_check_str((a), (b), #a, #b, __FILE__, __LINE__)
#define CHECK_MEM_EQ(a, b, n) test_check_mem((a), (b), (n), #a, #b, __FILE__, __LINE__)

#define REQUIRE(cond)		do { if (!CHECK(cond)) return; } while (0)
#define REQUIRE_EQ(a, b)	do { if (!CHECK_EQ(a, b)) return; } while (0)

static int test_case_cmp(const void *a, const void *b)
{
	return ((const struct test_case *)a)->line - ((const struct test_case *)b)->line;
}

int main(void)
{
	int i, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	/* Constructors may run in either order: sort back into file order. */
	qsort(test_cases, test_nr_cases, sizeof(test_cases[0]), test_case_cmp);
	printf("1..%d\n", test_nr_cases);
	for (i = 0; i < test_nr_cases; i++) {
		test_cur_failed = 0;
		test_cur_checks = 0;
		test_cases[i].fn();
		if (!test_cur_checks) {
			/* A test that checks nothing cannot fail: count it as failed. */
			printf("#   test %s made no checks\n", test_cases[i].name);
			test_cur_failed = 1;
		}
		printf("%sok %d %s\n", test_cur_failed ? "not " : "", i + 1, test_cases[i].name);
		if (test_cur_failed)
			failed++;
	}
	if (failed)
		printf("# %d of %d tests failed\n", failed, test_nr_cases);
	return failed ? 1 : 0;
}

#endif
