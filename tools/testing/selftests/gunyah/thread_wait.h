/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Where a thread of this process waits in the kernel, printed as TAP
 * comments: its wchan and kernel stack (the stack needs root). For the
 * tests to say where a hang hangs.
 */
#ifndef GUNYAH_SELFTEST_THREAD_WAIT_H
#define GUNYAH_SELFTEST_THREAD_WAIT_H

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* /proc/self/task/@tid/@file into @buf (NUL-terminated); its length or -1 */
static inline ssize_t thread_proc_read(pid_t tid, const char *file, char *buf, size_t size)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/%s", tid, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/* "# @what waits in <wchan>", then its kernel stack, one line each */
static inline void log_thread_wait(pid_t tid, const char *what)
{
	char buf[2048], *line, *save;

	if (thread_proc_read(tid, "wchan", buf, sizeof(buf)) <= 0)
		strcpy(buf, "?");
	/* wchan 0: on a CPU, or runnable */
	printf("# %s (thread %d) waits in %s\n", what, tid,
	       strcmp(buf, "0") ? buf : "nothing: it runs");
	if (thread_proc_read(tid, "stack", buf, sizeof(buf)) > 0)
		for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			printf("#   %s\n", line);
	fflush(stdout);
}

/* The same for every thread of this process but the caller */
static inline void log_all_threads_wait(void)
{
	DIR *d = opendir("/proc/self/task");
	pid_t self = gettid();
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)))
		if (atoi(e->d_name) > 0 && atoi(e->d_name) != self)
			log_thread_wait(atoi(e->d_name), "a thread");
	closedir(d);
}

#endif /* GUNYAH_SELFTEST_THREAD_WAIT_H */
