// SPDX-License-Identifier: GPL-2.0-only
/*
 * A bounded check of a flattened devicetree before libfdt touches it; see
 * include/hyp/dt_check.h. Every field is read with byte loads at an offset
 * already known to be inside the blob, and every sum is done in 64 bits.
 * No libfdt code: the hypervisor runs this at EL2 (core/machine_dt.c), so
 * only libfdt's constants (tokens, error numbers) come from its header.
 */
#include <libfdt.h>
#include <hyp/dt_check.h>

#define DT_HEADER_SIZE		40	/* version 17 */
/* Header fields: big-endian u32s at these offsets. */
#define DT_OFF_MAGIC		0
#define DT_OFF_TOTALSIZE	4
#define DT_OFF_STRUCT		8
#define DT_OFF_STRINGS		12
#define DT_OFF_RSVMAP		16
#define DT_OFF_VERSION		20
#define DT_OFF_LAST_COMP	24
#define DT_OFF_STRINGS_SIZE	32
#define DT_OFF_STRUCT_SIZE	36
#define DT_RSV_ENTRY_SIZE	16

static u32 be32_at(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

/* Half-open ranges [a, a + alen) and [b, b + blen) share a byte. */
static bool overlap(u64 a, u64 alen, u64 b, u64 blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

/* Index of the NUL that ends the string at @from, below @end; or -1. */
static s64 str_end(const u8 *b, u64 from, u64 end)
{
	u64 i;

	for (i = from; i < end; i++)
		if (!b[i])
			return (s64)i;
	return -1;
}

/*
 * The reservation map from @off: entries up to the one of size 0 (which
 * ends the list for libfdt, whatever its address), which must come before
 * @limit. The map's size, that entry included, in *@len: what libfdt will
 * take it to be.
 */
static int check_rsvmap(const u8 *b, u64 off, u64 limit, u64 *len)
{
	u64 p;

	for (p = off; p + DT_RSV_ENTRY_SIZE <= limit; p += DT_RSV_ENTRY_SIZE) {
		if (!be32_at(b + p + 8) && !be32_at(b + p + 12)) {
			*len = p + DT_RSV_ENTRY_SIZE - off;
			return 0;
		}
	}
	return -FDT_ERR_BADVALUE;
}

/* The structure block [@off, @off + @len), names in [@str, @str + @str_len). */
static int check_struct(const u8 *b, u64 off, u64 len, u64 str, u64 str_len)
{
	u64 p = off, end = off + len;
	unsigned int depth = 0;
	bool seen_root = false, props_allowed = false;

	for (;;) {
		u32 tag;
		s64 nul;

		if (end - p < 4)
			return -FDT_ERR_TRUNCATED;
		tag = be32_at(b + p);
		p += 4;
		switch (tag) {
		case FDT_BEGIN_NODE:
			/* One root; every other node inside it, named. */
			if (!depth && seen_root)
				return -FDT_ERR_BADSTRUCTURE;
			nul = str_end(b, p, end);
			if (nul < 0)
				return -FDT_ERR_TRUNCATED;
			/* The root's name is empty, no other node's is. */
			if (((u64)nul == p) != !depth)
				return -FDT_ERR_BADSTRUCTURE;
			p = ALIGN_UP((u64)nul + 1, 4);
			if (p > end)
				return -FDT_ERR_TRUNCATED;
			if (++depth > DT_CHECK_MAX_DEPTH)
				return -FDT_ERR_BADSTRUCTURE;
			seen_root = true;
			props_allowed = true;
			break;
		case FDT_END_NODE:
			if (!depth)
				return -FDT_ERR_BADSTRUCTURE;
			depth--;
			/* The parent's properties came before this subnode. */
			props_allowed = false;
			break;
		case FDT_PROP: {
			u32 vlen, nameoff;

			if (!depth || !props_allowed)
				return -FDT_ERR_BADSTRUCTURE;
			if (end - p < 8)
				return -FDT_ERR_TRUNCATED;
			vlen = be32_at(b + p);
			nameoff = be32_at(b + p + 4);
			p += 8;
			if (vlen > end - p)
				return -FDT_ERR_TRUNCATED;
			if (nameoff >= str_len || str_end(b, str + nameoff, str + str_len) < 0)
				return -FDT_ERR_BADOFFSET;
			p = ALIGN_UP(p + vlen, 4);
			if (p > end)
				return -FDT_ERR_TRUNCATED;
			break;
		}
		case FDT_NOP:
			break;
		case FDT_END:
			return depth || !seen_root ? -FDT_ERR_BADSTRUCTURE : 0;
		default:
			return -FDT_ERR_BADSTRUCTURE;
		}
	}
}

int dt_check(const void *blob, size_t size)
{
	const u8 *b = blob;
	u64 total, rsv, rsv_len, st, st_len, str, str_len;
	int ret;

	if (size < DT_HEADER_SIZE)
		return -FDT_ERR_TRUNCATED;
	if (be32_at(b + DT_OFF_MAGIC) != FDT_MAGIC)
		return -FDT_ERR_BADMAGIC;
	/*
	 * Version 17 (the header has size_dt_struct), readable by a reader of
	 * version 17 (libfdt's own limit).
	 */
	if (be32_at(b + DT_OFF_VERSION) < 17 || be32_at(b + DT_OFF_LAST_COMP) > 17 ||
	    be32_at(b + DT_OFF_VERSION) < be32_at(b + DT_OFF_LAST_COMP))
		return -FDT_ERR_BADVERSION;
	total = be32_at(b + DT_OFF_TOTALSIZE);
	if (total > size || total < DT_HEADER_SIZE || total > 0x7fffffff)
		return -FDT_ERR_TRUNCATED;

	rsv = be32_at(b + DT_OFF_RSVMAP);
	st = be32_at(b + DT_OFF_STRUCT);
	st_len = be32_at(b + DT_OFF_STRUCT_SIZE);
	str = be32_at(b + DT_OFF_STRINGS);
	str_len = be32_at(b + DT_OFF_STRINGS_SIZE);
	if (!IS_ALIGNED(rsv, 8) || !IS_ALIGNED(st, 4))
		return -FDT_ERR_BADLAYOUT;
	if (rsv < DT_HEADER_SIZE || st < DT_HEADER_SIZE || str < DT_HEADER_SIZE)
		return -FDT_ERR_BADLAYOUT;
	if (st > total || st_len > total - st || str > total || str_len > total - str)
		return -FDT_ERR_TRUNCATED;
	if (rsv > total)
		return -FDT_ERR_TRUNCATED;
	ret = check_rsvmap(b, rsv, total, &rsv_len);
	if (ret)
		return ret;
	if (overlap(rsv, rsv_len, st, st_len) || overlap(rsv, rsv_len, str, str_len) ||
	    overlap(st, st_len, str, str_len))
		return -FDT_ERR_BADLAYOUT;
	return check_struct(b, st, st_len, str, str_len);
}

u32 dt_totalsize(const void *blob)
{
	return be32_at((const u8 *)blob + DT_OFF_TOTALSIZE);
}
