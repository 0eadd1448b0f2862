// SPDX-License-Identifier: GPL-2.0-only
/*
 * /init of the Linux test guest's initramfs: greets on /dev/console with
 * what uname(2) reports and how many CPUs it runs on, then powers off
 * (PSCI SYSTEM_OFF, which the VMM sees as a PSCI_POWER_OFF exit).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/utsname.h>
#include <unistd.h>

int main(void)
{
	struct utsname u;
	cpu_set_t cpus;
	int fd;

	fd = open("/dev/console", O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		fd = STDOUT_FILENO;

	dprintf(fd, "Hello from the Gunyah guest\n");
	if (uname(&u))
		dprintf(fd, "uname: %s\n", strerror(errno));
	else
		dprintf(fd, "%s %s %s %s %s\n", u.sysname, u.nodename, u.release,
			u.version, u.machine);
	if (!sched_getaffinity(0, sizeof(cpus), &cpus))
		dprintf(fd, "%d CPUs online\n", CPU_COUNT(&cpus));

	sync();
	reboot(RB_POWER_OFF);
	/* Only if the power-off failed; returning from init panics */
	dprintf(fd, "reboot(RB_POWER_OFF): %s\n", strerror(errno));
	return 1;
}
