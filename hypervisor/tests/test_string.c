// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of lib/string.c's memcpy and memset, which copy and clear
 * 8-byte words when the addresses allow and bytes otherwise: every length
 * from 0 to 40 at every alignment of source and destination, against a
 * byte-by-byte reference, with guard bytes either side that must not
 * change. The functions are built under other names, beside the C
 * library's.
 */
#include "test.h"

#define memcpy hyp_memcpy
#define memmove hyp_memmove
#define memset hyp_memset
#define memcmp hyp_memcmp
#define memchr hyp_memchr
#define strlen hyp_strlen
#define strnlen hyp_strnlen
#define strcmp hyp_strcmp
#define strchr hyp_strchr
#define strrchr hyp_strrchr
#include "../lib/string.c"
#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef memchr
#undef strlen
#undef strnlen
#undef strcmp
#undef strchr
#undef strrchr

#define AREA	96
#define GUARD	0xa5

/* Bytes that differ from their neighbours and from GUARD and 0 */
static void pattern(unsigned char *p, size_t n, unsigned int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(seed * 31 + i * 7 + 1);
}

TEST(memcpy_every_length_and_alignment)
{
	_Alignas(8) unsigned char src[AREA], dst[AREA], want[AREA];
	unsigned int so, doff, n, bad = 0;

	for (so = 0; so < 8; so++)
		for (doff = 0; doff < 8; doff++)
			for (n = 0; n <= 40; n++) {
				pattern(src, sizeof(src), so + n);
				memset(dst, GUARD, sizeof(dst));
				memcpy(want, dst, sizeof(want));
				memcpy(want + 8 + doff, src + 8 + so, n);
				if (hyp_memcpy(dst + 8 + doff, src + 8 + so, n) != dst + 8 + doff ||
				    memcmp(dst, want, sizeof(dst)))
					bad++;
			}
	CHECK_EQ(bad, 0);
}

TEST(memset_every_length_and_alignment)
{
	_Alignas(8) unsigned char dst[AREA], want[AREA];
	static const int values[] = { 0, 0x5a, 0xff, 0x1ff };
	unsigned int off, n, v, bad = 0;

	for (v = 0; v < sizeof(values) / sizeof(values[0]); v++)
		for (off = 0; off < 8; off++)
			for (n = 0; n <= 40; n++) {
				pattern(dst, sizeof(dst), off + n);
				memcpy(want, dst, sizeof(want));
				memset(want + 8 + off, values[v], n);
				if (hyp_memset(dst + 8 + off, values[v], n) != dst + 8 + off ||
				    memcmp(dst, want, sizeof(dst)))
					bad++;
			}
	CHECK_EQ(bad, 0);
}

TEST(memmove_overlapping_both_ways)
{
	unsigned char buf[AREA], want[AREA];
	unsigned int from, to, n = 24, bad = 0;

	for (from = 0; from < 16; from++)
		for (to = 0; to < 16; to++) {
			pattern(buf, sizeof(buf), from * 16 + to);
			memcpy(want, buf, sizeof(want));
			memmove(want + 8 + to, want + 8 + from, n);
			hyp_memmove(buf + 8 + to, buf + 8 + from, n);
			if (memcmp(buf, want, sizeof(buf)))
				bad++;
		}
	CHECK_EQ(bad, 0);
}
