/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The resource manager's image (rm.bin: rm.elf without its bss), carried
 * in the hypervisor's read-only data as the real Gunyah carries its root
 * VM; core/rm_vm.c copies it into the RM's VM at boot. RM_BIN is its path.
 */
	.section .rodata.rm_image, "a"
	.balign	4096
	.global	rm_image_start
rm_image_start:
	.incbin	RM_BIN
	.global	rm_image_end
rm_image_end:
