/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers of the libFuzzer targets (fuzz/fuzz_*.c): an invariant check
 * that aborts (libFuzzer then saves the input as a crash artifact), and a
 * reader that turns the fuzzer's bytes into a sequence of operations.
 */
#ifndef HYP_FUZZ_H
#define HYP_FUZZ_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <hyp/types.h>

#define FUZZ_ASSERT(cond)							\
	do {									\
		if (!(cond)) {							\
			fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, \
				__LINE__, #cond);				\
			abort();						\
		}								\
	} while (0)

/* The input, consumed from the front; reads past the end give zeros. */
struct fuzz_in {
	const u8 *p;
	size_t left;
};

static inline bool fuzz_more(const struct fuzz_in *in)
{
	return in->left > 0;
}

static inline u64 fuzz_bytes_le(struct fuzz_in *in, unsigned int n)
{
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (in->left) {
			v |= (u64)in->p[0] << (8 * i);
			in->p++;
			in->left--;
		}
	}
	return v;
}

static inline u8 fuzz_u8(struct fuzz_in *in)
{
	return fuzz_bytes_le(in, 1);
}

static inline u16 fuzz_u16(struct fuzz_in *in)
{
	return fuzz_bytes_le(in, 2);
}

static inline u32 fuzz_u32(struct fuzz_in *in)
{
	return fuzz_bytes_le(in, 4);
}

static inline u64 fuzz_u64(struct fuzz_in *in)
{
	return fuzz_bytes_le(in, 8);
}

/*
 * The next @n bytes (fewer at the end) copied into an exactly-sized heap
 * buffer, so that ASan sees any access past them; *@len gets the size.
 * Free it with free().
 */
static inline u8 *fuzz_take(struct fuzz_in *in, size_t n, size_t *len)
{
	u8 *buf;

	n = MIN(n, in->left);
	buf = malloc(n ? n : 1);
	if (!buf)
		abort();
	memcpy(buf, in->p, n);
	in->p += n;
	in->left -= n;
	*len = n;
	return buf;
}

#endif
