// SPDX-License-Identifier: GPL-2.0-only
/*
 * Take every secondary CPU offline and online again, several rounds. Under
 * our hypervisor this drives host PSCI CPU_OFF, AFFINITY_INFO (Linux polls
 * it until the CPU is off) and CPU_ON of a CPU that has been on before.
 *
 *   cpu_hotplug_test [ROUNDS]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int cpu_write(int cpu, const char *v)
{
	char path[64];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", cpu);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, v, strlen(v)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static int cpu_online(int cpu)
{
	char path[64], c = '?';
	int fd;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", cpu);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	if (read(fd, &c, 1) != 1)
		c = '?';
	close(fd);
	return c == '1' ? 1 : c == '0' ? 0 : -EIO;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 3;
	long ncpus = sysconf(_SC_NPROCESSORS_CONF);
	int r, cpu, ret;

	if (ncpus < 2) {
		printf("cpu_hotplug_test: FAIL: need at least 2 CPUs, have %ld\n", ncpus);
		return 1;
	}
	for (r = 0; r < rounds; r++) {
		for (cpu = 1; cpu < ncpus; cpu++) {
			ret = cpu_write(cpu, "0");
			if (ret || cpu_online(cpu) != 0) {
				printf("cpu_hotplug_test: FAIL: CPU %d offline: %s\n", cpu,
				       strerror(-ret));
				return 1;
			}
			ret = cpu_write(cpu, "1");
			if (ret || cpu_online(cpu) != 1) {
				printf("cpu_hotplug_test: FAIL: CPU %d online: %s\n", cpu,
				       strerror(-ret));
				return 1;
			}
		}
	}
	printf("cpu_hotplug_test: PASS: %d rounds over %ld secondary CPUs\n", rounds, ncpus - 1);
	return 0;
}
