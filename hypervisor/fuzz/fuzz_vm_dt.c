// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzzing rm/vm_dt.c: the RM's edit of a guest's devicetree at VM_START
 * (rm_vm_dt_overlay), in place, within the size VM_CONFIG_IMAGE gave.
 * The blob is whatever the image parcel holds then: a VMM that shares
 * (rather than lends) the parcel can change it after VM_INIT parsed it,
 * so it is fuzzed on its own, not only after rm_vm_config_parse.
 *
 * Input: u8 room (extra space in 256-byte units), u8 selector (VMID,
 * memory placement), then the blob. The buffer is exactly blob + room
 * bytes on the heap: ASan reports any access past it.
 *
 * Invariants: the answer is RM_OK, DENIED, NOMEM or MSG_INVALID; on
 * RM_OK the result is a devicetree within the buffer, with
 * /hypervisor/qcom,gunyah-vm and a /memory that says exactly the guest's
 * memory in the root's cell sizes.
 */
#include <libfdt.h>
#include <fuzz.h>
#include <rm/rm.h>
#include <rm/vm_dt.h>

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_in in = { data, size };
	size_t room = (size_t)fuzz_u8(&in) * 256, len = in.left, max = len + room;
	u8 sel = fuzz_u8(&in);
	struct rm_vm_dt_info info = {
		.vmid = 0x80 + (sel & 0x3f),
		.owner = 3,
		.image_name = "fuzz-vm",
		.mem_base = (sel & 0x40) ? 0x880000000UL : 0x80000000UL,
		.mem_size = (sel & 0x80) ? 0x100000000UL : 0x4000000UL,
	};
	const fdt32_t *reg;
	int ac, sc, rlen, node;
	u8 *buf = malloc(max ? max : 1);
	u32 err;

	len = in.left;
	memcpy(buf, in.p, len);
	memset(buf + len, 0, room);
	err = rm_vm_dt_overlay(buf, max, &info);
	FUZZ_ASSERT(err == RM_OK || err == RM_ERROR_DENIED || err == RM_ERROR_NOMEM ||
		    err == RM_ERROR_MEM_INVALID || err == RM_ERROR_NORESOURCE);
	if (err != RM_OK)
		goto out;

	FUZZ_ASSERT(!fdt_check_header(buf) && fdt_totalsize(buf) <= max);
	node = fdt_path_offset(buf, "/hypervisor");
	FUZZ_ASSERT(node >= 0);
	FUZZ_ASSERT(!fdt_node_check_compatible(buf, node, "gunyah-hypervisor"));
	FUZZ_ASSERT(fdt_path_offset(buf, "/hypervisor/qcom,gunyah-vm") >= 0);
	ac = fdt_address_cells(buf, 0);
	sc = fdt_size_cells(buf, 0);
	FUZZ_ASSERT(ac >= 1 && ac <= 2 && sc >= 1 && sc <= 2);
	node = fdt_path_offset(buf, "/memory");
	FUZZ_ASSERT(node >= 0);
	reg = fdt_getprop(buf, node, "reg", &rlen);
	FUZZ_ASSERT(reg && rlen == (ac + sc) * 4);
	FUZZ_ASSERT((ac == 2 ? ((u64)fdt32_to_cpu(reg[0]) << 32 | fdt32_to_cpu(reg[1])) :
			       fdt32_to_cpu(reg[0])) == info.mem_base);
	reg += ac;
	FUZZ_ASSERT((sc == 2 ? ((u64)fdt32_to_cpu(reg[0]) << 32 | fdt32_to_cpu(reg[1])) :
			       fdt32_to_cpu(reg[0])) == info.mem_size);
out:
	free(buf);
	return 0;
}
