// SPDX-License-Identifier: GPL-2.0-only
/*
 * The devicetree our hypervisor hands the primary VM, written on the build
 * host without booting: the blob in IN (QEMU's own, as run-qemu.sh dumps
 * it) goes through dt_check() and host_dt_prepare(), the code that the RM
 * runs at boot (rm/host_boot.c), and the result is written to OUT.
 * tools/testing/gunyah/dt-check.sh validates it against the binding.
 *
 *   host_dt_write IN.dtb OUT.dtb
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>
#include <hyp/dt_check.h>
#include <rm/host_dt.h>
#include <platform/platform.h>
#include <rm/rm.h>

/*
 * The link to the RM as the hypervisor sets it up at boot (host_vm_link_rm()
 * and rm_init()): the host's first two capabilities, the first two of the
 * host's SPIs, the queue shape of the real RM. The boot's host_dt_test
 * checks the same values on the booted host.
 */
static const struct rm_link_info boot_link = {
	.tx_cap = 0,
	.rx_cap = 1,
	.tx_intid = PLATFORM_HOST_VIRQ_BASE,
	.rx_intid = PLATFORM_HOST_VIRQ_BASE + 1,
	.free_irq_start = PLATFORM_HOST_VIRQ_BASE,
	.queue_depth = RM_QUEUE_DEPTH,
	.msg_size = RM_MSG_SIZE,
};

static void *read_file(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	void *buf = malloc(max);

	if (!f || !buf) {
		fprintf(stderr, "host_dt_write: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	*len = fread(buf, 1, max, f);
	if (ferror(f) || (*len == max && fgetc(f) != EOF)) {
		fprintf(stderr, "host_dt_write: %s: unreadable or over %zu bytes\n", path, max);
		exit(1);
	}
	fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	void *in, *dt;
	size_t len;
	FILE *f;
	int ret;

	if (argc != 3) {
		fprintf(stderr, "usage: host_dt_write IN.dtb OUT.dtb\n");
		return 2;
	}
	/* The hypervisor has PLATFORM_HOST_DT_MAX for the blob, edits included. */
	in = read_file(argv[1], PLATFORM_HOST_DT_MAX, &len);
	dt = calloc(1, PLATFORM_HOST_DT_MAX);
	if (!dt)
		return 1;
	ret = dt_check(in, len);
	if (!ret)
		ret = fdt_open_into(in, dt, PLATFORM_HOST_DT_MAX);
	if (!ret)
		ret = host_dt_prepare(dt, PLATFORM_HYP_BASE, PLATFORM_HYP_SIZE, &boot_link);
	if (ret) {
		fprintf(stderr, "host_dt_write: %s: %s\n", argv[1], fdt_strerror(ret));
		return 1;
	}
	f = fopen(argv[2], "wb");
	if (!f || fwrite(dt, 1, fdt_totalsize(dt), f) != fdt_totalsize(dt) || fclose(f)) {
		fprintf(stderr, "host_dt_write: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	free(dt);
	free(in);
	return 0;
}
