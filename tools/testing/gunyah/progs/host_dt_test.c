// SPDX-License-Identifier: GPL-2.0-only
/*
 * Check, from the booted host, the devicetree the hypervisor handed over:
 * /hypervisor as the real Gunyah writes it (compatibles, cells, the
 * qcom,gunyah-vm child with VMID 3, the resource manager's node with its
 * queue capabilities, interrupts and queue shape) and no /memory range
 * overlapping the hypervisor's memory.
 *
 *   host_dt_test [HYP_BASE HYP_SIZE]
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DT	"/sys/firmware/devicetree/base"
#define RM	"/hypervisor/qcom,resource-manager-rpc@0000000000000000"

static int failures;

static ssize_t read_prop(const char *path, unsigned char *buf, size_t size)
{
	char full[256];
	ssize_t n;
	int fd;

	snprintf(full, sizeof(full), DT "%s", path);
	fd = open(full, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, size);
	close(fd);
	return n;
}

static void expect_bytes(const char *path, const void *want, size_t len)
{
	unsigned char buf[512];
	ssize_t n = read_prop(path, buf, sizeof(buf));

	if (n != (ssize_t)len || memcmp(buf, want, len)) {
		printf("host_dt_test: FAIL: %s: got %zd bytes, expected %zu\n", path, n, len);
		failures++;
	}
}

static void expect_u32(const char *path, uint32_t v)
{
	unsigned char be[4] = { v >> 24, v >> 16, v >> 8, v };

	expect_bytes(path, be, sizeof(be));
}

static uint64_t be_cells(const unsigned char *p, int cells)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < cells * 4; i++)
		v = (v << 8) | p[i];
	return v;
}

int main(int argc, char **argv)
{
	static const char hyp_compat[] =
		"qcom,gunyah-hypervisor-1.0\0qcom,gunyah-hypervisor\0simple-bus";
	static const char vm_compat[] = "qcom,gunyah-vm-id-1.0\0qcom,gunyah-vm-id";
	static const char rm_compat[] =
		"gunyah-resource-manager\0qcom,resource-manager-1-0\0qcom,resource-manager";
	/* TX cap 0, RX cap 1, as 64-bit values. */
	static const unsigned char rm_reg[16] = { [15] = 1 };
	/* SPI 928 and 929 (INTID 960, 961), edge rising, as on the real Gunyah. */
	static const unsigned char rm_irqs[24] = {
		[6] = 0x03, [7] = 0xa0, [11] = 1, [18] = 0x03, [19] = 0xa1, [23] = 1,
	};
	uint64_t hyp_base = argc > 2 ? strtoull(argv[1], NULL, 0) : 0x80000000ULL;
	uint64_t hyp_size = argc > 2 ? strtoull(argv[2], NULL, 0) : 0x4000000ULL;
	unsigned char reg[256];
	ssize_t n;
	int i;

	expect_bytes("/hypervisor/compatible", hyp_compat, sizeof(hyp_compat));
	expect_u32("/hypervisor/#address-cells", 2);
	expect_u32("/hypervisor/#size-cells", 0);
	expect_bytes("/hypervisor/qcom,gunyah-vm/compatible", vm_compat, sizeof(vm_compat));
	expect_u32("/hypervisor/qcom,gunyah-vm/qcom,vmid", 3);
	expect_bytes("/hypervisor/qcom,gunyah-vm/qcom,vendor", "Qualcomm", 9);

	expect_bytes(RM "/compatible", rm_compat, sizeof(rm_compat));
	expect_bytes(RM "/reg", rm_reg, sizeof(rm_reg));
	expect_bytes(RM "/interrupts", rm_irqs, sizeof(rm_irqs));
	expect_bytes(RM "/qcom,is-full-duplex", "", 0);
	expect_u32(RM "/qcom,free-irq-start", 960);
	expect_u32(RM "/qcom,tx-message-size", 240);
	expect_u32(RM "/qcom,rx-message-size", 240);
	expect_u32(RM "/qcom,tx-queue-depth", 8);
	expect_u32(RM "/qcom,rx-queue-depth", 8);

	/* QEMU's root uses two address and two size cells. */
	n = read_prop("/memory@40000000/reg", reg, sizeof(reg));
	if (n <= 0 || n % 16) {
		printf("host_dt_test: FAIL: /memory@40000000/reg unreadable (%zd)\n", n);
		failures++;
	}
	for (i = 0; n > 0 && i < n / 16; i++) {
		uint64_t base = be_cells(reg + i * 16, 2), size = be_cells(reg + i * 16 + 8, 2);

		printf("host_dt_test: memory %#llx-%#llx\n", (unsigned long long)base,
		       (unsigned long long)(base + size - 1));
		if (base < hyp_base + hyp_size && hyp_base < base + size) {
			printf("host_dt_test: FAIL: memory overlaps the hypervisor at %#llx\n",
			       (unsigned long long)hyp_base);
			failures++;
		}
	}
	if (failures)
		return 1;
	printf("host_dt_test: PASS\n");
	return 0;
}
