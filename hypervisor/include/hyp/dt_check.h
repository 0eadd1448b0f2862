/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A bounded check of a flattened devicetree that someone else wrote (a VM's
 * devicetree, the host's): after it passes, libfdt may read and edit the
 * blob without going outside it. libfdt's own fdt_check_header() looks at
 * the header only; what it leaves out (a reservation list without its
 * terminator, blocks that overlap, a structure block that ends early or
 * points outside the strings) makes libfdt's editing functions compute
 * negative sizes. The kernel's libfdt has no fdt_check_full(). Pure logic,
 * unit-tested on the host.
 */
#ifndef HYP_DT_CHECK_H
#define HYP_DT_CHECK_H

#include <hyp/types.h>

/* Nodes nested deeper than this are refused. */
#define DT_CHECK_MAX_DEPTH	64

/*
 * Check the devicetree at @blob, of which at most @size bytes may be read
 * (@blob 8-byte aligned, as libfdt wants). It must be version 17, fit in
 * @size, and have:
 *
 * - a reservation map (8-byte aligned) ended by an entry of size 0;
 * - header, reservation map, structure block and strings block inside
 *   the blob and apart from one another;
 * - a structure block of whole tokens: one root node with an empty name,
 *   every node name and property value inside the block, every property
 *   before the node's subnodes, its name a NUL-terminated string inside
 *   the strings block, nodes closed in order, at most DT_CHECK_MAX_DEPTH
 *   deep, and FDT_END after the root.
 *
 * Returns 0, or a negative libfdt error: -FDT_ERR_TRUNCATED (something
 * runs past its block or the blob), -FDT_ERR_BADLAYOUT (blocks overlap or
 * are misaligned), -FDT_ERR_BADSTRUCTURE, -FDT_ERR_BADOFFSET (a property
 * name outside the strings), -FDT_ERR_BADMAGIC, -FDT_ERR_BADVERSION,
 * -FDT_ERR_BADVALUE (a reservation list without its terminator).
 */
int dt_check(const void *blob, size_t size);

/* The totalsize in the header of @blob (which dt_check() passed). */
u32 dt_totalsize(const void *blob);

#endif
