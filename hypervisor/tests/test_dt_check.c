// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of the devicetree check (core/dt_check.c): valid blobs pass,
 * and the corruptions that libfdt's fdt_check_header() lets through are
 * refused. Blobs under test sit in heap buffers of their exact size, so
 * that AddressSanitizer sees any read outside them.
 */
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>
#include <test.h>
#include <hyp/dt_check.h>

/* A devicetree as a VMM writes one: a few nodes, properties, phandles. */
static size_t build(void *buf, size_t size, bool with_rsv)
{
	static const char compat[] = "arm,gic-v3";
	/* No zero bytes to speak of: libfdt finds no stray terminator. */
	const fdt64_t reg[4] = { cpu_to_fdt64(0x3fff0000), cpu_to_fdt64(0x10000),
				 cpu_to_fdt64(0x3fef0000), cpu_to_fdt64(0x100000) };

	if (fdt_create(buf, size))
		abort();
	if (with_rsv)
		fdt_add_reservemap_entry(buf, 0x80000000, 0x10000);
	fdt_finish_reservemap(buf);
	fdt_begin_node(buf, "");
	fdt_property_u32(buf, "#address-cells", 2);
	fdt_property_u32(buf, "#size-cells", 2);
	fdt_begin_node(buf, "chosen");
	fdt_property_string(buf, "bootargs", "console=ttyAMA0");
	fdt_end_node(buf);
	fdt_begin_node(buf, "intc@3fff0000");
	fdt_property(buf, "compatible", compat, sizeof(compat));
	fdt_property(buf, "interrupt-controller", NULL, 0);
	fdt_property(buf, "reg", reg, sizeof(reg));
	fdt_property_u32(buf, "phandle", 1);
	fdt_end_node(buf);
	fdt_begin_node(buf, "gunyah-vm-config");
	fdt_property_string(buf, "image-name", "vm");
	fdt_begin_node(buf, "vcpus");
	fdt_property_string(buf, "affinity", "proxy");
	fdt_end_node(buf);
	fdt_end_node(buf);
	fdt_end_node(buf);
	/* fdt_pack() puts the map right after the header, as dtc does. */
	if (fdt_finish(buf) || fdt_pack(buf) || fdt_off_mem_rsvmap(buf) != 40)
		abort();
	return fdt_totalsize(buf);
}

/* A heap copy of exactly @len bytes of @src (8-byte aligned, as malloc's). */
static void *exact(const void *src, size_t len)
{
	void *p = malloc(len);

	if (!p)
		abort();
	memcpy(p, src, len);
	return p;
}

static char scratch[8192] __aligned(8);

TEST(valid_blobs_pass)
{
	static char big[16384] __aligned(8);
	size_t n = build(scratch, sizeof(scratch), false);
	void *dt = exact(scratch, n);

	CHECK_EQ(dt_check(dt, n), 0);
	/* Room after it is fine; a buffer shorter than totalsize is not. */
	CHECK_EQ(dt_check(scratch, sizeof(scratch)), 0);
	CHECK_EQ(dt_check(dt, n - 1), -FDT_ERR_TRUNCATED);
	CHECK_EQ(dt_check(dt, 39), -FDT_ERR_TRUNCATED);
	free(dt);

	n = build(scratch, sizeof(scratch), true);
	CHECK_EQ(fdt_num_mem_rsv(scratch), 1);
	CHECK_EQ(dt_check(scratch, n), 0);

	/* What libfdt writes after an edit, and an empty tree. */
	REQUIRE_EQ(fdt_open_into(scratch, big, sizeof(big)), 0);
	REQUIRE(fdt_add_subnode(big, 0, "hypervisor") >= 0);
	CHECK_EQ(dt_check(big, sizeof(big)), 0);
	REQUIRE_EQ(fdt_pack(big), 0);
	CHECK_EQ(dt_check(big, fdt_totalsize(big)), 0);
	REQUIRE_EQ(fdt_create_empty_tree(big, sizeof(big)), 0);
	CHECK_EQ(dt_check(big, sizeof(big)), 0);
}

/*
 * The reported attack: byte 53 is in the size of the entry that ends the
 * reservation map (offset 40: address 40-47, size 48-55). 0x00 -> 0xf9.
 */
TEST(hostile_reservation_terminator)
{
	size_t n = build(scratch, sizeof(scratch), false);
	u8 *dt;

	REQUIRE_EQ(fdt_off_mem_rsvmap(scratch), 40);
	REQUIRE_EQ(((u8 *)scratch)[53], 0);
	dt = exact(scratch, n);
	dt[53] = 0xf9;
	/* What libfdt makes of it: a good header, a negative count. */
	CHECK_EQ(fdt_check_header(dt), 0);
	CHECK_EQ(fdt_num_mem_rsv(dt), -FDT_ERR_TRUNCATED);
	/* No entry of size 0 anywhere in the blob. */
	CHECK_EQ(dt_check(dt, n), -FDT_ERR_BADVALUE);
	free(dt);
}

/* Each corruption is one that fdt_check_header() accepts, unless noted. */
TEST(truncated_struct_block)
{
	size_t n = build(scratch, sizeof(scratch), false);
	void *dt = exact(scratch, n);

	/* FDT_END falls outside the block. */
	fdt_set_size_dt_struct(dt, fdt_size_dt_struct(dt) - 4);
	CHECK_EQ(fdt_check_header(dt), 0);
	CHECK_EQ(dt_check(dt, n), -FDT_ERR_TRUNCATED);
	/* Half a token. */
	fdt_set_size_dt_struct(dt, fdt_size_dt_struct(dt) - 2);
	CHECK_EQ(dt_check(dt, n), -FDT_ERR_TRUNCATED);
	/* The whole blob cut short: fdt_check_header() sees that one. */
	memcpy(dt, scratch, n);
	fdt_set_totalsize(dt, fdt_off_dt_strings(dt) + 4);
	CHECK(dt_check(dt, n) < 0);
	free(dt);
}

TEST(strings_beyond_totalsize)
{
	size_t n = build(scratch, sizeof(scratch), false);
	void *dt = exact(scratch, n);

	fdt_set_off_dt_strings(dt, n + 16);
	CHECK(dt_check(dt, n) < 0);
	memcpy(dt, scratch, n);
	fdt_set_size_dt_strings(dt, fdt_size_dt_strings(dt) + 1);
	CHECK(dt_check(dt, n) < 0);
	memcpy(dt, scratch, n);
	fdt_set_off_dt_struct(dt, 0xfffffff0);
	CHECK(dt_check(dt, n) < 0);
	free(dt);
}

TEST(overlapping_blocks)
{
	size_t n = build(scratch, sizeof(scratch), false);
	void *dt = exact(scratch, n);
	u32 st = fdt_off_dt_struct(dt), st_len = fdt_size_dt_struct(dt);

	/* The strings inside the structure block. */
	fdt_set_off_dt_strings(dt, st + 8);
	fdt_set_size_dt_strings(dt, 16);
	CHECK_EQ(fdt_check_header(dt), 0);
	CHECK_EQ(dt_check(dt, n), -FDT_ERR_BADLAYOUT);
	/* The reservation map inside the structure block (all zero there?). */
	memcpy(dt, scratch, n);
	fdt_set_off_mem_rsvmap(dt, ALIGN_UP(st + st_len - 16, 8));
	CHECK(dt_check(dt, n) < 0);
	/* The structure block over the header. */
	memcpy(dt, scratch, n);
	fdt_set_off_dt_struct(dt, 32);
	CHECK(dt_check(dt, n) < 0);
	free(dt);
}

TEST(reservation_map_without_terminator)
{
	size_t n = build(scratch, sizeof(scratch), false);
	size_t m = ALIGN_UP(n, 8) + 32;
	u8 *dt = calloc(1, m);
	unsigned int i;

	REQUIRE(dt != NULL);
	/* The map moved to the end: two entries, no zero one before the end. */
	memcpy(dt, scratch, n);
	for (i = 0; i < 32; i++)
		dt[ALIGN_UP(n, 8) + i] = 0x11;
	fdt_set_off_mem_rsvmap(dt, ALIGN_UP(n, 8));
	fdt_set_totalsize(dt, m);
	CHECK_EQ(fdt_check_header(dt), 0);
	CHECK_EQ(fdt_num_mem_rsv(dt), -FDT_ERR_TRUNCATED);
	CHECK_EQ(dt_check(dt, m), -FDT_ERR_BADVALUE);
	/* Misaligned, or before the end of the header. */
	fdt_set_off_mem_rsvmap(dt, 44);
	CHECK_EQ(dt_check(dt, m), -FDT_ERR_BADLAYOUT);
	fdt_set_off_mem_rsvmap(dt, 32);
	CHECK(dt_check(dt, m) < 0);
	free(dt);
}

/* A hand-made blob: header, empty reservation map, @words, "a\0b\0". */
static void *raw(const u32 *words, unsigned int nr, size_t *len)
{
	static const char strings[] = "a\0b";
	size_t st = 56, str = st + 4 * nr;
	u8 *dt;
	unsigned int i;

	*len = str + sizeof(strings);
	dt = calloc(1, *len);
	if (!dt)
		abort();
	fdt_set_magic(dt, FDT_MAGIC);
	fdt_set_totalsize(dt, *len);
	fdt_set_off_dt_struct(dt, st);
	fdt_set_off_dt_strings(dt, str);
	fdt_set_off_mem_rsvmap(dt, 40);
	fdt_set_version(dt, 17);
	fdt_set_last_comp_version(dt, 16);
	fdt_set_size_dt_strings(dt, sizeof(strings));
	fdt_set_size_dt_struct(dt, 4 * nr);
	for (i = 0; i < nr; i++)
		((fdt32_t *)(dt + st))[i] = cpu_to_fdt32(words[i]);
	memcpy(dt + str, strings, sizeof(strings));
	return dt;
}

#define B	FDT_BEGIN_NODE
#define E	FDT_END_NODE
#define P	FDT_PROP
#define N	FDT_NOP
#define END	FDT_END
/* A node name of one or two characters and its NUL, as one word. */
#define NAME(a, b)	((u32)(a) << 24 | (u32)(b) << 16)

TEST(structure_tokens)
{
	static const struct {
		const char *what;
		u32 w[16];
		unsigned int nr;
		int err;
	} cases[] = {
		{ "good", { B, 0, P, 4, 2, 7, B, NAME('c', 'p'), E, N, E, END }, 12, 0 },
		{ "NOPs around", { N, B, 0, N, P, 0, 0, E, N, END }, 10, 0 },
		{ "unknown token", { B, 0, 7, E, END }, 5, -FDT_ERR_BADSTRUCTURE },
		{ "no FDT_END", { B, 0, E }, 3, -FDT_ERR_TRUNCATED },
		{ "FDT_END inside a node", { B, 0, END }, 3, -FDT_ERR_BADSTRUCTURE },
		{ "empty structure", { END }, 1, -FDT_ERR_BADSTRUCTURE },
		{ "one END_NODE too many", { B, 0, E, E, END }, 5, -FDT_ERR_BADSTRUCTURE },
		{ "a second root", { B, 0, E, B, 0, E, END }, 7, -FDT_ERR_BADSTRUCTURE },
		{ "a named root", { B, NAME('r', 0), E, END }, 4, -FDT_ERR_BADSTRUCTURE },
		{ "a child without a name", { B, 0, B, 0, E, E, END }, 7, -FDT_ERR_BADSTRUCTURE },
		{ "a property outside the root", { P, 0, 0, B, 0, E, END }, 7,
		  -FDT_ERR_BADSTRUCTURE },
		{ "a property after a subnode", { B, 0, B, NAME('c', 0), E, P, 0, 0, E, END }, 10,
		  -FDT_ERR_BADSTRUCTURE },
		{ "name offset past the strings", { B, 0, P, 0, 4, E, END }, 7,
		  -FDT_ERR_BADOFFSET },
		{ "name offset far away", { B, 0, P, 0, 0x80000000, E, END }, 7,
		  -FDT_ERR_BADOFFSET },
		{ "value past the block", { B, 0, P, 64, 0, E, END }, 7, -FDT_ERR_TRUNCATED },
		{ "value length ~0", { B, 0, P, 0xffffffff, 0, E, END }, 7, -FDT_ERR_TRUNCATED },
		{ "name without its NUL", { B, 0x61616161 }, 2, -FDT_ERR_TRUNCATED },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		size_t len;
		void *dt = raw(cases[i].w, cases[i].nr, &len);

		if (!CHECK_EQ(dt_check(dt, len), cases[i].err))
			printf("#     %s\n", cases[i].what);
		free(dt);
	}
}

TEST(nesting_depth)
{
	u32 w[3 * (DT_CHECK_MAX_DEPTH + 1) + 1];
	unsigned int depth, i, n;

	for (depth = DT_CHECK_MAX_DEPTH; depth <= DT_CHECK_MAX_DEPTH + 1; depth++) {
		size_t len;
		void *dt;

		n = 0;
		w[n++] = B;
		w[n++] = 0;
		for (i = 1; i < depth; i++) {
			w[n++] = B;
			w[n++] = NAME('n', 0);
		}
		for (i = 0; i < depth; i++)
			w[n++] = E;
		w[n++] = END;
		dt = raw(w, n, &len);
		CHECK_EQ(dt_check(dt, len), depth > DT_CHECK_MAX_DEPTH ? -FDT_ERR_BADSTRUCTURE : 0);
		free(dt);
	}
}

/*
 * Every byte of a valid blob, set to a few values: whatever dt_check()
 * lets through, libfdt reads and edits without leaving the buffer
 * (AddressSanitizer stops the test otherwise).
 */
TEST(single_byte_corruptions)
{
	static const u8 values[] = { 0x00, 0xff, 0xf9, 0x80, 0x01 };
	static char big[16384] __aligned(8);
	size_t n = build(scratch, sizeof(scratch), true), i, v;
	unsigned int passed = 0, refused = 0;

	for (i = 0; i < n; i++) {
		for (v = 0; v < ARRAY_SIZE(values); v++) {
			u8 *dt = exact(scratch, n);
			int node, depth = 0;

			dt[i] = values[v];
			if (dt_check(dt, n)) {
				refused++;
				free(dt);
				continue;
			}
			passed++;
			CHECK(fdt_num_mem_rsv(dt) >= 0);
			if (!CHECK_EQ(fdt_open_into(dt, big, sizeof(big)), 0)) {
				printf("#     byte %zu = %#x\n", i, values[v]);
				free(dt);
				continue;
			}
			for (node = 0; node >= 0; node = fdt_next_node(big, node, &depth)) {
				int len;

				fdt_get_name(big, node, &len);
				fdt_getprop(big, node, "compatible", &len);
			}
			CHECK(fdt_add_subnode(big, 0, "hypervisor") >= 0 ||
			      fdt_path_offset(big, "/hypervisor") >= 0);
			CHECK_EQ(fdt_pack(big), 0);
			CHECK_EQ(dt_check(big, fdt_totalsize(big)), 0);
			free(dt);
		}
	}
	/* Both kinds happen: the test exercises something. */
	CHECK(passed > 0);
	CHECK(refused > 0);
	printf("#   %u corrupted blobs passed the check, %u were refused\n", passed, refused);
}
