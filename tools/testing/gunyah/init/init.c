// SPDX-License-Identifier: GPL-2.0-only
/*
 * /init of the test initramfs. It mounts the usual filesystems, runs the
 * steps listed in /etc/gunyah/steps one per line, reports each on the
 * console with an "[init]" prefix, prints a completion line and powers off.
 *
 *   insmod PATH [=ERRNO]   load a module; with =ENODEV (etc.) expect that error
 *   kunit PATH             load a KUnit module, print each suite's KTAP results
 *   run PROG [ARGS...]     run a program, expect exit status 0
 *   cat PATH               print a file
 *   write PATH TEXT        write TEXT to a file (e.g. "scan" to kmemleak)
 *   sleep SECONDS          wait (kmemleak reports objects only once aged)
 *   env NAME VALUE         set an environment variable for later programs
 *   watchdog SECONDS       from now on, when a program runs longer than that,
 *                          print what every task waits in, once per program
 *
 * The last lines are "[init] done: N steps, M failed" and the kernel's own
 * "reboot: Power down", which the test harness looks for.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define STEPS_FILE	"/etc/gunyah/steps"
#define KUNIT_DIR	"/sys/kernel/debug/kunit"
#define MAX_ARGS	32
#define MAX_SUITES	64

/* watchdog step: seconds a program may run before the task dump; 0: never */
static unsigned int watchdog_s;

static const struct {
	const char *name;
	int value;
} errnames[] = {
	{ "ENODEV", ENODEV }, { "ENOENT", ENOENT }, { "EINVAL", EINVAL },
	{ "EPERM", EPERM }, { "EEXIST", EEXIST }, { "EOPNOTSUPP", EOPNOTSUPP },
};

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	printf("[init] ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

static void cat_file(const char *path)
{
	char buf[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		say("cat %s: %s\n", path, strerror(errno));
		return;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, n, stdout);
	close(fd);
	fflush(stdout);
}

static int load_module(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return errno;
	ret = syscall(SYS_finit_module, fd, "", 0);
	ret = ret ? errno : 0;
	close(fd);
	return ret;
}

static bool step_write(const char *path, const char *text)
{
	size_t len = strlen(text);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0) {
		say("write %s: %s\n", path, strerror(errno));
		return false;
	}
	n = write(fd, text, len);
	if (n != (ssize_t)len)
		say("write %s: %s\n", path, n < 0 ? strerror(errno) : "short write");
	close(fd);
	return n == (ssize_t)len;
}

static bool step_insmod(char **argv, int argc)
{
	int want = 0, got;
	size_t i;

	if (argc > 2 && argv[2][0] == '=') {
		want = -1;
		for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
			if (!strcmp(argv[2] + 1, errnames[i].name))
				want = errnames[i].value;
	}
	got = load_module(argv[1]);
	if (got)
		say("insmod %s: %s (errno %d)\n", argv[1], strerror(got), got);
	else
		say("insmod %s: loaded\n", argv[1]);
	if (got != want)
		say("insmod %s: expected %s\n", argv[1], want ? argv[2] + 1 : "success");
	return got == want;
}

static int list_suites(char names[][256], int max)
{
	DIR *d = opendir(KUNIT_DIR);
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) && n < max) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(names[n++], 256, "%s", e->d_name);
	}
	closedir(d);
	return n;
}

static bool step_kunit(char **argv)
{
	static char before[MAX_SUITES][256], after[MAX_SUITES][256];
	int nb = list_suites(before, MAX_SUITES), na, i, j, found = 0;
	const char *mod = strrchr(argv[1], '/') ? strrchr(argv[1], '/') + 1 : argv[1];
	char path[512];
	int err = load_module(argv[1]);

	if (err) {
		say("kunit %s: %s\n", argv[1], strerror(err));
		return false;
	}
	na = list_suites(after, MAX_SUITES);
	for (i = 0; i < na; i++) {
		for (j = 0; j < nb && strcmp(after[i], before[j]); j++)
			;
		if (j < nb)
			continue;
		found++;
		say("KUNIT-BEGIN module=%.*s suite=%s\n",
		    (int)(strstr(mod, ".ko") ? strstr(mod, ".ko") - mod : (long)strlen(mod)),
		    mod, after[i]);
		snprintf(path, sizeof(path), "%s/%.255s/results", KUNIT_DIR, after[i]);
		cat_file(path);
		say("KUNIT-END suite=%s\n", after[i]);
	}
	if (!found)
		say("kunit %s: no suites appeared in %s\n", argv[1], KUNIT_DIR);
	return found > 0;
}

/* The first line of a /proc file, without its newline, or "" */
static void read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (!f)
		return;
	if (!fgets(buf, size, f))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

/*
 * What each task waits in: every thread of a user process, and kernel
 * threads in uninterruptible sleep. For a hang the harness would only see
 * as a timeout.
 */
static void dump_tasks(void)
{
	struct dirent *p, *t;
	DIR *procs = opendir("/proc"), *tasks;
	char path[128], comm[64], stat[256], wchan[64], cmdline[64];

	say("watchdog: a program runs for more than %u s; what each task waits in:\n",
	    watchdog_s);
	if (!procs)
		return;
	while ((p = readdir(procs))) {
		if (p->d_name[0] < '1' || p->d_name[0] > '9' ||
		    atoi(p->d_name) == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%.16s/cmdline", p->d_name);
		read_line(path, cmdline, sizeof(cmdline));
		snprintf(path, sizeof(path), "/proc/%.16s/task", p->d_name);
		tasks = opendir(path);
		if (!tasks)
			continue;
		while ((t = readdir(tasks))) {
			const char *state;

			if (t->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "/proc/%.16s/task/%.16s/stat",
				 p->d_name, t->d_name);
			read_line(path, stat, sizeof(stat));
			/* The state follows the parenthesised command. */
			state = strrchr(stat, ')');
			state = state && state[1] ? state + 2 : "?";
			if (!cmdline[0] && *state != 'D')
				continue;
			snprintf(path, sizeof(path), "/proc/%.16s/task/%.16s/comm",
				 p->d_name, t->d_name);
			read_line(path, comm, sizeof(comm));
			snprintf(path, sizeof(path), "/proc/%.16s/task/%.16s/wchan",
				 p->d_name, t->d_name);
			read_line(path, wchan, sizeof(wchan));
			say("task %s/%s (%s) state %c wchan %s\n", p->d_name, t->d_name,
			    comm, *state, wchan[0] ? wchan : "-");
			snprintf(path, sizeof(path), "/proc/%.16s/task/%.16s/stack",
				 p->d_name, t->d_name);
			cat_file(path);
		}
		closedir(tasks);
	}
	closedir(procs);
}

static void on_alarm(int sig)
{
	(void)sig;
}

static bool step_run(char **argv)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		say("run %s: fork: %s\n", argv[0], strerror(errno));
		return false;
	}
	if (!pid) {
		execv(argv[0], argv);
		fprintf(stderr, "[init] exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	/* No SA_RESTART: the alarm interrupts waitpid() once. */
	if (watchdog_s && !sigaction(SIGALRM, &sa, NULL))
		alarm(watchdog_s);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno == EINTR) {
			dump_tasks();
			continue;
		}
		alarm(0);
		say("run %s: wait: %s\n", argv[0], strerror(errno));
		return false;
	}
	alarm(0);
	if (WIFEXITED(status)) {
		say("run %s: exit %d\n", argv[0], WEXITSTATUS(status));
		return WEXITSTATUS(status) == 0;
	}
	say("run %s: killed by signal %d\n", argv[0], WTERMSIG(status));
	return false;
}

static bool run_step(char *line)
{
	char *argv[MAX_ARGS + 1];
	int argc = 0;
	char *tok, *save;

	for (tok = strtok_r(line, " \t\n", &save); tok && argc < MAX_ARGS;
	     tok = strtok_r(NULL, " \t\n", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	if (!argc || argv[0][0] == '#')
		return true;

	if (!strcmp(argv[0], "insmod") && argc >= 2)
		return step_insmod(argv, argc);
	if (!strcmp(argv[0], "kunit") && argc == 2)
		return step_kunit(argv);
	if (!strcmp(argv[0], "run") && argc >= 2)
		return step_run(argv + 1);
	if (!strcmp(argv[0], "cat") && argc == 2) {
		cat_file(argv[1]);
		return true;
	}
	if (!strcmp(argv[0], "write") && argc == 3)
		return step_write(argv[1], argv[2]);
	if (!strcmp(argv[0], "env") && argc == 3)
		return !setenv(argv[1], argv[2], 1);
	if (!strcmp(argv[0], "watchdog") && argc == 2) {
		watchdog_s = strtoul(argv[1], NULL, 10);
		return true;
	}
	if (!strcmp(argv[0], "sleep") && argc == 2) {
		sleep(atoi(argv[1]));
		return true;
	}
	say("unknown step '%s'\n", argv[0]);
	return false;
}

int main(void)
{
	char line[1024];
	int steps = 0, failed = 0;
	FILE *f;

	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	setenv("PATH", "/bin", 1);

	say("started\n");
	f = fopen(STEPS_FILE, "r");
	if (!f) {
		say("%s: %s\n", STEPS_FILE, strerror(errno));
		failed++;
	}
	while (f && fgets(line, sizeof(line), f)) {
		char copy[1024];

		snprintf(copy, sizeof(copy), "%s", line);
		if (strspn(line, " \t\n") == strlen(line) || line[0] == '#')
			continue;
		steps++;
		if (!run_step(copy)) {
			failed++;
			say("step failed: %s", line);
		}
	}
	if (f)
		fclose(f);

	say("done: %d steps, %d failed\n", steps, failed);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
