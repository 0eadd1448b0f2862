/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tracefs for the selftests that read the gunyah trace events: where it
 * is (mounted if need be), and writing its control files.
 */
#ifndef GUNYAH_SELFTEST_TRACEFS_H
#define GUNYAH_SELFTEST_TRACEFS_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* Where tracefs is, mounting it if needed; NULL without tracefs */
static inline const char *tracefs_dir(void)
{
	static const char * const dirs[] = {
		"/sys/kernel/tracing",
		"/sys/kernel/debug/tracing",	/* mounted on access */
	};
	char path[128];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		snprintf(path, sizeof(path), "%s/instances", dirs[i]);
		if (!access(path, F_OK))
			return dirs[i];
	}
	if (!mount("nodev", dirs[0], "tracefs", 0, NULL))
		return dirs[0];
	return NULL;
}

/* Write @s to @path: 0 or the errno */
static inline int write_file(const char *path, const char *s)
{
	ssize_t len = strlen(s), n;
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return errno;
	n = write(fd, s, len);
	if (n != len)
		err = n < 0 ? errno : EIO;
	close(fd);
	return err;
}

/* The whole of @path, NUL-terminated, malloc'd; NULL on error */

#endif
