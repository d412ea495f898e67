// SPDX-License-Identifier: GPL-2.0
/*
 * machipc-fuzz: a reproducible fuzzer of /dev/mach (see docs/fuzz.md).
 *
 * The supervisor (this process, root, no Mach calls of its own) runs
 * rounds. A round: read the module's counters
 * (/sys/kernel/debug/machipc/stats), optionally arm fault injection,
 * start the hub (uid/gid 65534, exec'd so that its first open of /dev/mach
 * is unprivileged), which keeps the workers alive; watch every fuzz
 * thread's heartbeat (a call past its deadline is a hang; a SIGKILLed
 * process that does not die is unkillable), kill processes at random and
 * those blocked in calls with no timeout; at the end of the round stop
 * everything, reap every fuzz process, and check that every live counter
 * is back at its value before the round.
 *
 * Exit status: 0 if every round passed; 1 if a call hung, a killed process
 * did not die, an invariant broke (errno or return code out of the ABI, a
 * fuzz process crashed) or a counter stayed off its baseline; 2 for usage
 * or setup errors.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz.h"

#define FUZZ_UID 65534
#define FI_TIMES 1000000000L
#define STATS_MAX 128

static struct {
	uint64_t seed;
	double time_s, round_s, kill_rate;
	uint64_t ops;
	unsigned procs, threads, children, victims;
	unsigned hang_s, kill_s, settle_s;
	bool fail, big, huge, trace, tap, seed_given, inject_hang;
	unsigned fail_prob, fail_interval;
	uint64_t worker_seed;
	const char *stats;
} opt = {
	.time_s = 60, .round_s = 15, .kill_rate = 1.0, .procs = 6, .threads = 3, .children = 2,
	.victims = 2, .hang_s = 30, .kill_s = 20, .settle_s = 10, .big = true, .huge = true,
	.fail_prob = 2, .fail_interval = 1, .stats = "/sys/kernel/debug/machipc/stats",
};

static struct rng sup_rng;
static int shm_fd = -1;

/* Everything the supervisor prints goes through out(): in TAP mode as
 * diagnostics ("# ..."). */
static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	printf("%s%s\n", opt.tap ? "# " : "", line);
	fflush(stdout);
}

static double secs(uint64_t ns)
{
	return (double)ns / 1e9;
}

/* ---- files ------------------------------------------------------------ */

static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n, got = 0;

	if (fd < 0)
		return -1;
	while ((size_t)got < len - 1 && (n = read(fd, buf + got, len - 1 - (size_t)got)) > 0)
		got += n;
	close(fd);
	buf[got] = 0;
	return (int)got;
}

static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

/* ---- the module's counters -------------------------------------------- */

struct stats {
	bool present;
	int n;
	char name[STATS_MAX][48];
	long long val[STATS_MAX];
};

static void read_stats(struct stats *s)
{
	static char buf[16384];
	char *line, *save = NULL;

	s->present = false;
	s->n = 0;
	if (read_file(opt.stats, buf, sizeof(buf)) < 0)
		return;
	s->present = true;
	for (line = strtok_r(buf, "\n", &save); line && s->n < STATS_MAX;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[48];
		long long v;

		if (sscanf(line, "%47s %lld", name, &v) == 2) {
			snprintf(s->name[s->n], sizeof(s->name[0]), "%s", name);
			s->val[s->n++] = v;
		}
	}
}

static bool is_total(const char *name)
{
	size_t n = strlen(name);

	return n >= 6 && strcmp(name + n - 6, "_total") == 0;
}

static const long long *stat_of(const struct stats *s, const char *name)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->name[i], name) == 0)
			return &s->val[i];
	return NULL;
}

/* Live counters of `now` that differ from `base`; prints them if `say`. */
static int stats_diff(const struct stats *base, const struct stats *now, bool say)
{
	int bad = 0;

	for (int i = 0; i < base->n; i++) {
		const long long *v = stat_of(now, base->name[i]);

		if (is_total(base->name[i]))
			continue;
		if (!v || *v != base->val[i]) {
			bad++;
			if (say)
				out("  counter %s: %lld before the round, %s%lld after", base->name[i],
				    base->val[i], v ? "" : "missing, ", v ? *v : 0);
		}
	}
	for (int i = 0; i < now->n; i++) {
		if (!is_total(now->name[i]) && !stat_of(base, now->name[i])) {
			bad++;
			if (say)
				out("  counter %s: absent before the round, %lld after", now->name[i],
				    now->val[i]);
		}
	}
	return bad;
}

/* ---- fault injection ----------------------------------------------------- */

static const char *const fi_dirs[2] = { "/sys/kernel/debug/failslab",
					"/sys/kernel/debug/fail_page_alloc" };
static unsigned long long mod_text, mod_end;

static int fi_set(int k, const char *knob, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", fi_dirs[k], knob);
	return write_file(path, val);
}

static long long fi_times(int k)
{
	char path[256], buf[64];

	snprintf(path, sizeof(path), "%s/times", fi_dirs[k]);
	if (read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	return strtoll(buf, NULL, 0);
}

/* The module's text: where the stack must pass for an allocation to fail. */
static bool module_range(void)
{
	char buf[64];
	unsigned long long size;

	if (read_file("/sys/module/machipc/sections/.text", buf, sizeof(buf)) <= 0)
		return false;
	mod_text = strtoull(buf, NULL, 0);
	if (read_file("/sys/module/machipc/coresize", buf, sizeof(buf)) <= 0)
		return false;
	size = strtoull(buf, NULL, 0);
	mod_end = mod_text + size;
	return mod_text && size;
}

static bool fi_arm(void)
{
	char v[64];
	int bad = 0;

	if (!module_range()) {
		out("fault injection: the module's .text range is unknown (/sys/module/machipc): off");
		return false;
	}
	for (int k = 0; k < 2; k++) {
		bad |= fi_set(k, "probability", "0");
		bad |= fi_set(k, "verbose", "0");
		bad |= fi_set(k, "task-filter", "Y");
		bad |= fi_set(k, "ignore-gfp-wait", "N");
		bad |= fi_set(k, "space", "0");
		snprintf(v, sizeof(v), "%u", opt.fail_interval);
		bad |= fi_set(k, "interval", v);
		snprintf(v, sizeof(v), "0x%llx", mod_text);
		bad |= fi_set(k, "require-start", v);
		snprintf(v, sizeof(v), "0x%llx", mod_end);
		bad |= fi_set(k, "require-end", v);
		bad |= fi_set(k, "stacktrace-depth", "32");
		snprintf(v, sizeof(v), "%ld", FI_TIMES);
		bad |= fi_set(k, "times", v);
	}
	fi_set(1, "ignore-gfp-highmem", "N");
	fi_set(1, "min-order", "0");
	snprintf(v, sizeof(v), "%u", opt.fail_prob);
	for (int k = 0; k < 2; k++)
		bad |= fi_set(k, "probability", v);
	if (bad) {
		out("fault injection: cannot configure %s and %s (CONFIG_FAULT_INJECTION_DEBUG_FS?)",
		    fi_dirs[0], fi_dirs[1]);
		for (int k = 0; k < 2; k++)
			fi_set(k, "probability", "0");
		return false;
	}
	return true;
}

/* Disarms; the faults injected since fi_arm per capability. */
static void fi_disarm(long long injected[2])
{
	for (int k = 0; k < 2; k++) {
		long long left;

		fi_set(k, "probability", "0");
		left = fi_times(k);
		injected[k] = left >= 0 ? FI_TIMES - left : 0;
		fi_set(k, "times", "0");
	}
}

/* ---- processes ------------------------------------------------------------- */

/* Whether any thread of pid is alive (not a zombie, not gone). */
static bool proc_alive(pid_t pid)
{
	char path[320], buf[512];
	struct dirent *de;
	bool alive = false;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	d = opendir(path);
	if (!d)
		return false;
	while ((de = readdir(d))) {
		char *p;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/stat", pid, de->d_name);
		if (read_file(path, buf, sizeof(buf)) <= 0)
			continue;
		p = strrchr(buf, ')');
		if (p && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X')
			alive = true;
	}
	closedir(d);
	return alive;
}

/* Prints each thread's state, wait channel and kernel stack. */
static void describe(pid_t pid)
{
	char path[320], buf[4096];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	d = opendir(path);
	if (!d) {
		out("    (pid %d is gone)", pid);
		return;
	}
	while ((de = readdir(d))) {
		char state = '?', *p, *line, *save = NULL, wchan[128] = "";
		int lines = 0;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/stat", pid, de->d_name);
		if (read_file(path, buf, sizeof(buf)) > 0 && (p = strrchr(buf, ')')) && p[1])
			state = p[2];
		snprintf(path, sizeof(path), "/proc/%d/task/%s/wchan", pid, de->d_name);
		read_file(path, wchan, sizeof(wchan));
		out("    thread %s: state %c, wchan %s", de->d_name, state, wchan[0] ? wchan : "-");
		snprintf(path, sizeof(path), "/proc/%d/task/%s/stack", pid, de->d_name);
		if (read_file(path, buf, sizeof(buf)) > 0)
			for (line = strtok_r(buf, "\n", &save); line && lines < 24;
			     line = strtok_r(NULL, "\n", &save), lines++)
				out("      %s", line);
	}
	closedir(d);
}

static void describe_call(const struct proc_slot *p, const struct thread_slot *t, uint64_t now)
{
	uint64_t start = t->start_ns;

	(void)now;
	now = now_ns(); /* after start, whoever wrote it */

	if (start)
		out("  %s pid %d (gen %u, seed 0x%016" PRIx64 "), thread %u (tid %d), call #%" PRIu64
		    ": %s, %.1f s in it", role_name(p->role), p->pid, p->gen, (uint64_t)p->seed,
		    (unsigned)(t - p->t), t->tid, (uint64_t)t->calls + 1, op_name(t->op),
		    secs(now - start));
	else
		out("  %s pid %d (gen %u, seed 0x%016" PRIx64 "), thread %u (tid %d), between calls; "
		    "the last one, #%" PRIu64 ": %s", role_name(p->role), p->pid, p->gen,
		    (uint64_t)p->seed, (unsigned)(t - p->t), t->tid, (uint64_t)t->calls, op_name(t->op));
	out("    args: %#" PRIx64 " %#" PRIx64 " %#" PRIx64 " %#" PRIx64 " %#" PRIx64 " %#" PRIx64
	    "  (ioctl cmd, struct; then op/option, task/size, name, arg/rcv_size|timeout)",
	    (uint64_t)t->arg[0], (uint64_t)t->arg[1], (uint64_t)t->arg[2], (uint64_t)t->arg[3],
	    (uint64_t)t->arg[4], (uint64_t)t->arg[5]);
	if (t->op == FZ_MSG && t->detail[0]) {
		uint64_t d0 = t->detail[0], d1 = t->detail[1];

		out("    message: %u descriptors claimed: %u port, %u OOL (%" PRIu64
		    " KiB in all), %u OOL-ports (largest: %u rights)",
		    (unsigned)(d0 >> 32), (unsigned)(d0 >> 16) & 0xffff, (unsigned)(d0 >> 8) & 0xff,
		    d1 & 0xffffffff, (unsigned)d0 & 0xff, (unsigned)(d1 >> 32));
	}
}

struct round_result {
	uint64_t ops, ns;
	unsigned hangs, unkillable, procs, kernel_reports;
	uint64_t kills, anomalies;
	long long faults[2];
	int counters_off; /* -1: no stats file */
};

static unsigned log_printed;

static void print_logs(void)
{
	uint32_t n = atomic_load(&G->log_next);

	for (; log_printed < n && log_printed < LOG_LINES; log_printed++)
		out("%s", G->log[log_printed]);
}

/* ---- the kernel log ------------------------------------------------------ */

/*
 * The supervisor follows /dev/kmsg: a kernel report (a warning, a KASAN or
 * lockdep report, a hung task, a lockup, ...) is a failure of the round,
 * and its task id tells which fuzz thread, in which call, caused it. The
 * report itself is the log checker's business: only a tag and the source
 * location are repeated here (never the report's own first words, which
 * the log checker would count a second time).
 */
static int kmsg_fd = -1;

static const struct {
	const char *pat, *tag;
} kernel_pats[] = {
	{ "WARNING:", "warning" }, { "BUG:", "bug" }, { "KASAN:", "kasan" }, { "UBSAN:", "ubsan" },
	{ "Oops", "oops" }, { "general protection fault", "gpf" }, { "kernel BUG", "bug" },
	{ "circular locking", "lockdep" }, { "recursive locking", "lockdep" },
	{ "inconsistent lock state", "lockdep" }, { "blocked for more than", "hung-task" },
	{ "soft lockup", "soft-lockup" }, { "hard LOCKUP", "hard-lockup" },
	{ "rcu_preempt detected stall", "rcu-stall" }, { "self-detected stall", "rcu-stall" },
	{ "panicked at", "rust-panic" }, { "refcount_t:", "refcount" },
	{ "list_add corruption", "list" }, { "list_del corruption", "list" },
	{ "sleeping function called", "might_sleep" }, { "Kernel panic", "kernel-panic" },
	{ "page allocation failure", "allocation-failure" },
	{ "invoked oom-killer", "out-of-memory" },
};

static void kmsg_open(void)
{
	kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kmsg_fd >= 0)
		lseek(kmsg_fd, 0, SEEK_END);
}

/* The fuzz thread with task id `tid`: its slot and thread index. */
static bool find_tid(pid_t tid, int *slot, int *ti)
{
	for (int i = 0; i < MAX_PROCS; i++) {
		if (G->procs[i].state == SLOT_FREE)
			continue;
		for (int k = 0; k < MAX_THREADS; k++) {
			if (G->procs[i].t[k].tid == tid) {
				*slot = i;
				*ti = k;
				return true;
			}
		}
		if (G->procs[i].pid == tid) {
			*slot = i;
			*ti = 0;
			return true;
		}
	}
	return false;
}

static void kmsg_poll(struct round_result *rr)
{
	char rec[2048];
	ssize_t n;

	if (kmsg_fd < 0)
		return;
	while ((n = read(kmsg_fd, rec, sizeof(rec) - 1)) != 0) {
		const char *msg, *tag = NULL, *p;
		char where[96] = "", who[64] = "";
		pid_t tid = 0;
		int slot, ti;

		if (n < 0) {
			if (errno == EPIPE)
				continue; /* records were overwritten */
			break;
		}
		rec[n] = 0;
		msg = strchr(rec, ';');
		msg = msg ? msg + 1 : rec;
		for (size_t k = 0; k < sizeof(kernel_pats) / sizeof(kernel_pats[0]) && !tag; k++)
			if (strstr(msg, kernel_pats[k].pat))
				tag = kernel_pats[k].tag;
		if (!tag)
			continue;
		rr->kernel_reports++;
		/* The source location (file.c:123 or file.rs:123), if any. */
		for (p = msg; *p && !where[0]; p++) {
			const char *q = p;

			while (*q && (strchr("_-./", *q) || (*q >= 'a' && *q <= 'z') ||
				      (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9')))
				q++;
			if (q - p > 3 && *q == ':' && q[1] >= '0' && q[1] <= '9' &&
			    (!strncmp(q - 2, ".c", 2) || !strncmp(q - 3, ".rs", 3))) {
				const char *e = q + 1;

				while (*e >= '0' && *e <= '9')
					e++;
				snprintf(where, sizeof(where), " at %.*s", (int)(e - p), p);
			}
			if (q > p)
				p = q;
		}
		/* The task: "CPU#0: comm/123", "PID: 123", "task comm:123". */
		if ((p = strstr(msg, "CPU#")) && (p = strchr(p, '/')))
			tid = atoi(p + 1);
		else if ((p = strstr(msg, "PID: ")))
			tid = atoi(p + 5);
		else if ((p = strstr(msg, "task ")) && (p = strchr(p + 5, ':')))
			tid = atoi(p + 1);
		if (tid)
			snprintf(who, sizeof(who), " in task %d", tid);
		out("KERNEL REPORT (%s%s)%s:", tag, where, who);
		if (tid && find_tid(tid, &slot, &ti)) {
			describe_call(&G->procs[slot], &G->procs[slot].t[ti], now_ns());
		} else if (tid) {
			out("  (task %d is not a fuzz thread of this round, or has exited: teardown?)", tid);
		}
	}
}

/* One pass of the watchdog over every fuzz thread. */
static void watch(struct round_result *rr, uint64_t now)
{
	for (int i = 0; i < MAX_PROCS; i++) {
		struct proc_slot *p = &G->procs[i];
		pid_t pid = p->pid;

		if (p->state == SLOT_FREE || pid <= 0)
			continue;
		uint64_t killed = p->killed_ns; /* set by any killer, maybe after `now` */

		if (killed && now > killed && now - killed > (uint64_t)opt.kill_s * 1000000000ULL &&
		    !(p->reported & 2) && proc_alive(pid)) {
			p->reported |= 2;
			rr->unkillable++;
			out("UNKILLABLE: %s pid %d was sent SIGKILL %.1f s ago (by the %s) and is still alive:",
			    role_name(p->role), pid, secs(now - killed),
			    p->killed_by == 1 ? "supervisor" : p->killed_by == 2 ? "parent" : "round end");
			for (int k = 0; k < MAX_THREADS; k++)
				if (p->t[k].start_ns)
					describe_call(p, &p->t[k], now);
			describe(pid);
		}
		for (int k = 0; k < MAX_THREADS; k++) {
			struct thread_slot *t = &p->t[k];
			uint64_t start = t->start_ns, deadline = t->deadline_ns;

			if (!start || t->start_ns != start)
				continue; /* idle, or between two calls */
			if (deadline && now > deadline && !(p->reported & 1)) {
				p->reported |= 1;
				rr->hangs++;
				if (p->reported & 2) {
					out("HANG: that call (pid %d, tid %d) is now past its deadline too",
					    pid, t->tid);
				} else {
					out("HANG: a call has not returned %.1f s after its deadline:",
					    secs(now - deadline));
					describe_call(p, t, now);
					describe(pid);
				}
				kill(pid, SIGKILL);
				if (!p->killed_ns) {
					p->killed_by = 1;
					p->killed_ns = now;
				}
			} else if (!deadline && !p->killed_ns && p->role != ROLE_HUB) {
				/* Blocked with no timeout: kill it after a while. */
				if (!p->block_kill_ns)
					p->block_kill_ns = now + (50 + below(&sup_rng, 950)) * 1000000ULL;
				else if (now > p->block_kill_ns) {
					kill(pid, SIGKILL);
					p->killed_by = 1;
					p->killed_ns = now;
					atomic_fetch_add(&G->kills_blocked, 1);
				}
			}
		}
	}
}

/* A random kill of a fuzz process (never the hub). */
static void random_kill(uint64_t now)
{
	int cand[MAX_PROCS], n = 0;

	for (int i = 0; i < MAX_PROCS; i++) {
		struct proc_slot *p = &G->procs[i];

		if (p->state == SLOT_RUNNING && p->pid > 0 && p->role != ROLE_HUB && !p->killed_ns)
			cand[n++] = i;
	}
	if (!n)
		return;
	{
		struct proc_slot *p = &G->procs[cand[below(&sup_rng, (uint64_t)n)]];

		kill(p->pid, SIGKILL);
		p->killed_by = 1;
		p->killed_ns = now;
		atomic_fetch_add(&G->kills_sup, 1);
	}
}

/* Reaps whatever is ours to reap (the hub and orphans). True when no
 * child is left at all: every fuzz process of the round is gone. */
static bool reap(pid_t hub, bool *hub_gone)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid == hub)
			*hub_gone = true;
		slot_reaped(pid, status);
	}
	return pid < 0 && errno == ECHILD;
}

static unsigned live_slots(void)
{
	unsigned n = 0;

	for (int i = 0; i < MAX_PROCS; i++)
		if (G->procs[i].state != SLOT_FREE)
			n++;
	return n;
}

/* Starts the hub: a fork without fork handlers (the supervisor's libmach
 * must not open a task for the child as root), setgid/setuid 65534, exec. */
static pid_t start_hub(int slot)
{
	char fdarg[16], slotarg[16];
	pid_t pid;

	snprintf(fdarg, sizeof(fdarg), "%d", shm_fd);
	snprintf(slotarg, sizeof(slotarg), "%d", slot);
	fflush(stdout);
	fflush(stderr);
	pid = (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
	if (pid == 0) {
		char *argv[] = { "machipc-fuzz", "--hub", fdarg, slotarg, NULL };
		char *envp[] = { "PATH=/bin:/sbin:/usr/bin", NULL };

		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL); /* kept across exec: dies with us */
		if (getppid() == 1)
			_exit(2);
		if (opt.fail)
			write_file("/proc/self/make-it-fail", "1");
		write_file("/proc/self/oom_score_adj", "500");
		if (getuid() == 0) {
			if (syscall(SYS_setgroups, 0, NULL) || syscall(SYS_setgid, FUZZ_UID) ||
			    syscall(SYS_setuid, FUZZ_UID)) {
				dprintf(2, "machipc-fuzz: cannot become uid %d: %s\n", FUZZ_UID,
					strerror(errno));
				_exit(2);
			}
		}
		execve("/proc/self/exe", argv, envp);
		dprintf(2, "machipc-fuzz: exec /proc/self/exe: %s\n", strerror(errno));
		_exit(2);
	}
	if (pid > 0)
		setpgid(pid, pid);
	return pid;
}

static uint64_t sum_kills(void)
{
	return G->kills_sup + G->kills_parent + G->kills_blocked;
}

static uint64_t sum_spawned(void)
{
	uint64_t n = 0;

	for (int r = 0; r < ROLE_NROLES; r++)
		n += G->spawned[r];
	return n;
}

static void run_round(unsigned round, double len_s, uint64_t ops_goal, struct round_result *rr)
{
	struct stats base, now_stats;
	uint64_t t0, end, next_kill, next_report, ops0 = G->ops, kills0 = sum_kills();
	uint64_t anomalies0 = G->anomalies, procs0 = sum_spawned();
	bool hub_gone = false, armed = false;
	int slot;
	pid_t hub;

	memset(rr, 0, sizeof(*rr));
	read_stats(&base);
	G->cfg.round = round;
	G->stop = 0;
	G->next_gen = 1;
	G->victims_alive = 0;
	G->log_next = 0;
	log_printed = 0;
	if (opt.fail)
		armed = fi_arm();
	slot = slot_reserve(ROLE_HUB, opt.seed, 0);
	t0 = now_ns();
	hub = start_hub(slot);
	if (hub < 0) {
		out("cannot start the hub: %s", strerror(errno));
		exit(2);
	}
	G->procs[slot].pid = hub;
	atomic_fetch_add(&G->spawned[ROLE_HUB], 1);
	end = t0 + (uint64_t)(len_s * 1e9);
	next_report = t0 + 10000000000ULL;
	next_kill = t0 + 500000000ULL;
	for (;;) {
		uint64_t now = now_ns();

		reap(hub, &hub_gone);
		watch(rr, now);
		kmsg_poll(rr);
		print_logs();
		if (rr->hangs || rr->unkillable)
			break;
		if (now >= end || (ops_goal && G->ops >= ops_goal) || hub_gone)
			break;
		if (opt.kill_rate > 0 && now >= next_kill) {
			random_kill(now);
			/* exponential inter-arrival times */
			double u = ((double)(rnd64(&sup_rng) >> 11) + 1.0) / 9007199254740993.0;

			next_kill = now + (uint64_t)(-__builtin_log(u) / opt.kill_rate * 1e9);
		}
		if (now >= next_report) {
			out("  round %u: %.0f s, %" PRIu64 " ops (%.0f/s), %u processes alive, %" PRIu64
			    " kills", round, secs(now - t0), G->ops - ops0,
			    (double)(G->ops - ops0) / secs(now - t0), live_slots(),
			    sum_kills() - kills0);
			next_report = now + 10000000000ULL;
		}
		sleep_ms(50);
	}
	rr->ns = now_ns() - t0;
	/* The end: ask everyone to stop, then kill the stragglers. */
	G->stop = 1;
	{
		uint64_t t_stop = now_ns(), killed_at = 0;

		for (;;) {
			uint64_t now = now_ns();
			bool none = reap(hub, &hub_gone);

			watch(rr, now);
			kmsg_poll(rr);
			print_logs();
			if (none) {
				/* Every fuzz process descends from the hub and ends up
				 * ours (subreaper): none left. Slots still in use are
				 * stale (a process killed before it was registered). */
				for (int i = 0; i < MAX_PROCS; i++)
					slot_release(i);
				break;
			}
			if (!killed_at && (hub_gone || now - t_stop > 3000000000ULL || rr->hangs ||
					   rr->unkillable)) {
				kill(-hub, SIGKILL);
				for (int i = 0; i < MAX_PROCS; i++) {
					struct proc_slot *p = &G->procs[i];

					if (p->state != SLOT_FREE && p->pid > 0) {
						kill(p->pid, SIGKILL);
						if (!p->killed_ns) {
							p->killed_by = 3;
							p->killed_ns = now;
						}
					}
				}
				killed_at = now;
			}
			if (killed_at && now - killed_at > (uint64_t)(opt.kill_s + 2) * 1000000000ULL) {
				/* Whatever is left cannot be killed: reported by watch(). */
				unsigned left = 0;

				for (int i = 0; i < MAX_PROCS; i++) {
					struct proc_slot *p = &G->procs[i];

					if (p->state != SLOT_FREE && p->pid > 0 && proc_alive(p->pid))
						left++;
				}
				if (left && !rr->unkillable)
					rr->unkillable = left;
				out("%u fuzz process(es) still alive %u s after SIGKILL", left, opt.kill_s + 2);
				break;
			}
			sleep_ms(20);
		}
	}
	if (armed)
		fi_disarm(rr->faults);
	rr->ops = G->ops - ops0;
	rr->kills = sum_kills() - kills0;
	rr->anomalies = G->anomalies - anomalies0;
	rr->procs = (unsigned)(sum_spawned() - procs0);
	if (G->log_next > LOG_LINES)
		out("  (%u more log lines dropped)", G->log_next - LOG_LINES);

	/* Counters back at their baseline (teardown may still be running on a
	 * workqueue: wait for it, boundedly). */
	kmsg_poll(rr);
	if (rr->hangs || rr->unkillable) {
		rr->counters_off = base.present ? -2 : -1;
	} else if (!base.present) {
		rr->counters_off = -1;
	} else {
		uint64_t deadline = now_ns() + (uint64_t)opt.settle_s * 1000000000ULL;

		for (;;) {
			read_stats(&now_stats);
			rr->counters_off = stats_diff(&base, &now_stats, false);
			if (!rr->counters_off || now_ns() > deadline)
				break;
			sleep_ms(200);
		}
		if (rr->counters_off) {
			out("  counters off their baseline %u s after the round:", opt.settle_s);
			stats_diff(&base, &now_stats, true);
		}
		kmsg_poll(rr);
		{
			char line[900];
			size_t n = 0;

			line[0] = 0;
			for (int i = 0; i < now_stats.n && n < sizeof(line) - 64; i++) {
				const long long *b = stat_of(&base, now_stats.name[i]);

				if (is_total(now_stats.name[i]))
					n += (size_t)snprintf(line + n, sizeof(line) - n, " %s +%lld",
							      now_stats.name[i],
							      now_stats.val[i] - (b ? *b : 0));
			}
			if (n)
				out("  cumulative counters this round:%s", line);
		}
	}
}

static void usage(void)
{
	fprintf(stderr,
		"usage: machipc-fuzz [options]\n"
		"  --seed N           master seed (default: random, printed)\n"
		"  --time S           run for S seconds in total (default 60)\n"
		"  --ops N            run until N operations (or until --time, if given, runs out)\n"
		"  --round S          length of a round (default 15 s)\n"
		"  --procs N          workers kept alive (default 6)\n"
		"  --threads N        at most N fuzz threads per worker (default 3)\n"
		"  --children N       children per worker at a time (default 2)\n"
		"  --victims N        big-message victims at a time (default 2)\n"
		"  --kill-rate R      random SIGKILLs per second (default 1; 0: none)\n"
		"  --fail             inject allocation failures into the module's calls\n"
		"  --fail-probability P, --fail-interval N   (default 2 %%, 1)\n"
		"  --no-big           no MiB-sized messages, no victims\n"
		"  --no-huge          no sizes and counts beyond the page allocator's limit\n"
		"  --hang-timeout S   a call may return this late after its timeout (default 30)\n"
		"  --kill-timeout S   a killed process must be gone after this (default 20)\n"
		"  --settle S         wait this long for counters after a round (default 10)\n"
		"  --worker-seed N    seed of the first worker of each round (replay one process)\n"
		"  --stats PATH       the module's counters (default %s)\n"
		"  --trace            print every operation (use with --procs 1 --threads 1)\n"
		"  --tap              TAP output, for the selftest run\n"
		"  --inject-hang      the fuzzer's own test: the first worker fakes a call that hangs\n",
		opt.stats);
	exit(2);
}

static void parse(int argc, char **argv)
{
	enum { O_SEED = 256, O_TIME, O_OPS, O_ROUND, O_PROCS, O_THREADS, O_CHILDREN, O_VICTIMS,
	       O_KILL, O_FAIL, O_FPROB, O_FINT, O_NOBIG, O_NOHUGE, O_HANG, O_KTMO, O_SETTLE,
	       O_WSEED, O_STATS, O_TRACE, O_TAP, O_INJECT_HANG };
	static const struct option lo[] = {
		{ "seed", 1, 0, O_SEED }, { "time", 1, 0, O_TIME }, { "ops", 1, 0, O_OPS },
		{ "round", 1, 0, O_ROUND }, { "procs", 1, 0, O_PROCS }, { "threads", 1, 0, O_THREADS },
		{ "children", 1, 0, O_CHILDREN }, { "victims", 1, 0, O_VICTIMS },
		{ "kill-rate", 1, 0, O_KILL }, { "fail", 0, 0, O_FAIL },
		{ "fail-probability", 1, 0, O_FPROB }, { "fail-interval", 1, 0, O_FINT },
		{ "no-big", 0, 0, O_NOBIG }, { "no-huge", 0, 0, O_NOHUGE },
		{ "hang-timeout", 1, 0, O_HANG }, { "kill-timeout", 1, 0, O_KTMO },
		{ "settle", 1, 0, O_SETTLE }, { "worker-seed", 1, 0, O_WSEED },
		{ "stats", 1, 0, O_STATS }, { "trace", 0, 0, O_TRACE }, { "tap", 0, 0, O_TAP },
		{ "inject-hang", 0, 0, O_INJECT_HANG },
		{ "help", 0, 0, 'h' }, { 0, 0, 0, 0 },
	};
	bool time_given = false;
	int c;

	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case O_SEED:
			opt.seed = strtoull(optarg, NULL, 0);
			opt.seed_given = true;
			break;
		case O_TIME:
			opt.time_s = atof(optarg);
			time_given = true;
			break;
		case O_OPS:
			opt.ops = strtoull(optarg, NULL, 0);
			break;
		case O_ROUND:
			opt.round_s = atof(optarg);
			break;
		case O_PROCS:
			opt.procs = (unsigned)atoi(optarg);
			break;
		case O_THREADS:
			opt.threads = (unsigned)atoi(optarg);
			break;
		case O_CHILDREN:
			opt.children = (unsigned)atoi(optarg);
			break;
		case O_VICTIMS:
			opt.victims = (unsigned)atoi(optarg);
			break;
		case O_KILL:
			opt.kill_rate = atof(optarg);
			break;
		case O_FAIL:
			opt.fail = true;
			break;
		case O_FPROB:
			opt.fail_prob = (unsigned)atoi(optarg);
			break;
		case O_FINT:
			opt.fail_interval = (unsigned)atoi(optarg);
			break;
		case O_NOBIG:
			opt.big = false;
			break;
		case O_NOHUGE:
			opt.huge = false;
			break;
		case O_HANG:
			opt.hang_s = (unsigned)atoi(optarg);
			break;
		case O_KTMO:
			opt.kill_s = (unsigned)atoi(optarg);
			break;
		case O_SETTLE:
			opt.settle_s = (unsigned)atoi(optarg);
			break;
		case O_WSEED:
			opt.worker_seed = strtoull(optarg, NULL, 0);
			break;
		case O_STATS:
			opt.stats = optarg;
			break;
		case O_TRACE:
			opt.trace = true;
			break;
		case O_TAP:
			opt.tap = true;
			break;
		case O_INJECT_HANG:
			opt.inject_hang = true;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (opt.ops && !time_given)
		opt.time_s = 24 * 3600; /* until the operations are done */
	if (opt.procs < 1)
		opt.procs = 1;
	if (opt.procs > MAX_PROCS / 4)
		opt.procs = MAX_PROCS / 4;
	if (opt.threads < 1)
		opt.threads = 1;
	if (opt.threads > MAX_THREADS - 1)
		opt.threads = MAX_THREADS - 1;
	if (opt.round_s < 1)
		opt.round_s = 1;
	if (!opt.seed_given) {
		if (getrandom(&opt.seed, sizeof(opt.seed), 0) != sizeof(opt.seed))
			opt.seed = now_ns() ^ ((uint64_t)getpid() << 32);
	}
}

/* The selftest form: `machipc_zz_fuzz` (a copy in the guest's /tests, run
 * after the other selftests) with no arguments is the round of
 * `make check FUZZ_IN_CHECK=1`. */
static bool selftest_name(const char *argv0)
{
	const char *base = strrchr(argv0, '/');

	return strcmp(base ? base + 1 : argv0, "machipc_zz_fuzz") == 0;
}

static void tap_result(unsigned n, bool ok, const char *name, const char *skip)
{
	printf("%s %u %s%s%s\n", ok ? "ok" : "not ok", n, name, skip ? " # SKIP " : "",
	       skip ? skip : "");
}

int main(int argc, char **argv)
{
	struct round_result tot = { 0 }, rr;
	uint64_t t0;
	unsigned round = 0;
	bool stats_seen = false, stats_missing = false, broken = false;
	int counters_bad = 0;
	char cmdline[512];

	if (argc == 4 && strcmp(argv[1], "--hub") == 0) {
		int fd = atoi(argv[2]);

		G = mmap(NULL, sizeof(*G), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (G == MAP_FAILED || G->magic != FUZZ_MAGIC)
			_exit(2);
		close(fd);
		my_slot = atoi(argv[3]);
		hub_main();
	}
	if (argc == 1 && selftest_name(argv[0])) {
		static char *def[] = { "machipc_zz_fuzz", "--tap", "--time", "60", NULL };

		argv = def;
		argc = 4;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	parse(argc, argv);
	if (opt.tap)
		printf("TAP version 13\n1..5\n");
	if (getuid() != 0)
		out("warning: not root: the fuzz processes keep uid %d, no fault injection, no kernel stacks",
		    getuid());
	if (opt.fail && getuid() != 0)
		opt.fail = false;
	rng_seed(&sup_rng, derive_seed(opt.seed, 0x737570, 0));

	shm_fd = (int)syscall(SYS_memfd_create, "machipc-fuzz", 0);
	if (shm_fd < 0 || ftruncate(shm_fd, sizeof(struct shm)) < 0) {
		out("memfd_create: %s", strerror(errno));
		return 2;
	}
	G = mmap(NULL, sizeof(*G), PROT_READ | PROT_WRITE, MAP_SHARED, shm_fd, 0);
	if (G == MAP_FAILED) {
		out("mmap: %s", strerror(errno));
		return 2;
	}
	memset(G, 0, sizeof(*G));
	G->magic = FUZZ_MAGIC;
	G->cfg = (struct fz_config){
		.seed = opt.seed, .procs = opt.procs, .threads = opt.threads, .children = opt.children,
		.victims = opt.victims, .trace = opt.trace, .big = opt.big, .huge = opt.huge,
		.lifetime_s = (uint32_t)(opt.round_s + opt.hang_s + 30), .hang_ms = opt.hang_s * 1000,
		.fail = opt.fail, .worker_seed = opt.worker_seed, .unprivileged = getuid() == 0,
		.inject_hang = opt.inject_hang,
	};
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	write_file("/proc/self/oom_score_adj", "-1000");
	kmsg_open();
	signal(SIGPIPE, SIG_IGN);

	snprintf(cmdline, sizeof(cmdline),
		 "machipc-fuzz --seed 0x%016" PRIx64 " --procs %u --threads %u --children %u%s%s%s",
		 opt.seed, opt.procs, opt.threads, opt.children, opt.fail ? " --fail" : "",
		 opt.big ? "" : " --no-big", opt.huge ? "" : " --no-huge");
	out("machipc-fuzz: seed 0x%016" PRIx64 " (reproduce: %s)", opt.seed, cmdline);
	if (opt.ops)
		out("machipc-fuzz: until %" PRIu64 " operations, rounds of %.0f s, %u workers x %u threads, kill rate %.1f/s%s",
		    opt.ops, opt.round_s, opt.procs, opt.threads, opt.kill_rate,
		    opt.fail ? ", fault injection" : "");
	else
		out("machipc-fuzz: %.0f s in rounds of %.0f s, %u workers x %u threads, kill rate %.1f/s%s",
		    opt.time_s, opt.round_s, opt.procs, opt.threads, opt.kill_rate,
		    opt.fail ? ", fault injection" : "");

	t0 = now_ns();
	for (;;) {
		double left = opt.time_s - secs(now_ns() - t0);

		if (left < 1 || (opt.ops && tot.ops >= opt.ops))
			break;
		round++;
		run_round(round, left < opt.round_s * 1.5 ? left : opt.round_s,
			  opt.ops ? G->ops + (opt.ops - tot.ops) : 0, &rr);
		tot.ops += rr.ops;
		tot.ns += rr.ns;
		tot.hangs += rr.hangs;
		tot.unkillable += rr.unkillable;
		tot.kernel_reports += rr.kernel_reports;
		tot.kills += rr.kills;
		tot.procs += rr.procs;
		tot.anomalies += rr.anomalies;
		tot.faults[0] += rr.faults[0];
		tot.faults[1] += rr.faults[1];
		if (rr.counters_off > 0)
			counters_bad++;
		if (rr.counters_off == -1)
			stats_missing = true;
		else if (rr.counters_off >= 0)
			stats_seen = true;
		out("round %u: %.1f s, %" PRIu64 " ops (%.0f ops/s), %u processes, %" PRIu64
		    " kills, %lld faults injected (failslab %lld, fail_page_alloc %lld), %" PRIu64
		    " anomalies, %u kernel reports, counters %s",
		    round, secs(rr.ns), rr.ops, (double)rr.ops / secs(rr.ns), rr.procs, rr.kills,
		    rr.faults[0] + rr.faults[1], rr.faults[0], rr.faults[1], rr.anomalies,
		    rr.kernel_reports,
		    rr.counters_off == -1 ? "not checked (no stats file)"
		    : rr.counters_off == -2 ? "not checked (processes left)"
		    : rr.counters_off ? "OFF BASELINE" : "at baseline");
		if (rr.hangs || rr.unkillable) {
			broken = true;
			break;
		}
	}
	if (opt.ops && tot.ops < opt.ops && !broken)
		out("note: --time ran out after %" PRIu64 " of the %" PRIu64 " operations asked for",
		    tot.ops, opt.ops);
	if (stats_missing)
		out("note: %s does not exist (the module exposes no counters): the baseline check was skipped",
		    opt.stats);
	out("machipc-fuzz: operations %" PRIu64 ", operations/s %.0f, processes %u, kills %" PRIu64
	    " (random %" PRIu64 ", blocked %" PRIu64 ", victims %" PRIu64 "), faults injected %lld",
	    tot.ops, tot.ns ? (double)tot.ops / secs(tot.ns) : 0.0, tot.procs, tot.kills,
	    (uint64_t)G->kills_sup, (uint64_t)G->kills_blocked, (uint64_t)G->kills_parent,
	    tot.faults[0] + tot.faults[1]);
	out("machipc-fuzz: %" PRIu64 " messages sent, %" PRIu64 " received, %" PRIu64
	    " big sends, %" PRIu64 " rights-passing sends, %" PRIu64 " interrupted calls, EFAULT %"
	    PRIu64 " (%" PRIu64 " on a valid struct, with fault injection), EINVAL %" PRIu64
	    ", ENOTTY %" PRIu64 ", EPERM %" PRIu64 ", ENOMEM %" PRIu64
	    ", failed opens %" PRIu64 ", processes that could not set up their task %" PRIu64,
	    (uint64_t)G->msgs_sent, (uint64_t)G->msgs_rcvd, (uint64_t)G->big_sent,
	    (uint64_t)G->rights_passed, (uint64_t)G->interrupted, (uint64_t)G->errno_count[0],
	    (uint64_t)G->efault_injected, (uint64_t)G->errno_count[1],
	    (uint64_t)G->errno_count[2], (uint64_t)G->errno_count[3],
	    (uint64_t)G->enomem, (uint64_t)G->open_fail, (uint64_t)G->setup_fail);
	{
		char line[512];
		size_t n = 0;

		for (unsigned k = 1; k < FZ_NOPS; k++)
			n += (size_t)snprintf(line + n, sizeof(line) - n, " %s %" PRIu64, op_name(k),
					      (uint64_t)G->op_count[k]);
		out("machipc-fuzz: by call:%s", line);
	}
	if (opt.trace || getenv("FUZZ_PROFILE")) {
		extern const char *const kind_names[];
		extern const unsigned nkinds;

		for (unsigned k = 0; k < nkinds; k++)
			if (G->kind_n[k])
				out("  %-10s %8" PRIu64 " ops, %8.2f ms each", kind_names[k],
				    (uint64_t)G->kind_n[k], (double)G->kind_ns[k] / 1e6 / (double)G->kind_n[k]);
		out("  CPU of workers that exited normally: user %.1f s, system %.1f s",
		    (double)G->utime_us / 1e6, (double)G->stime_us / 1e6);
		for (unsigned k = 1; k < FZ_NOPS; k++)
			if (G->op_count[k] && G->call_ns[k])
				out("  call %-10s %8.2f ms each", op_name(k),
				    (double)G->call_ns[k] / 1e6 / (double)G->op_count[k]);
	}
	{
		bool ok = !tot.hangs && !tot.unkillable && !tot.anomalies && !counters_bad && !broken &&
			  !tot.kernel_reports;
		char why[256] = "";

		if (tot.hangs)
			snprintf(why + strlen(why), sizeof(why) - strlen(why), " %u hang(s);", tot.hangs);
		if (tot.unkillable)
			snprintf(why + strlen(why), sizeof(why) - strlen(why),
				 " %u unkillable process(es);", tot.unkillable);
		if (tot.anomalies)
			snprintf(why + strlen(why), sizeof(why) - strlen(why), " %" PRIu64 " anomalies;",
				 tot.anomalies);
		if (counters_bad)
			snprintf(why + strlen(why), sizeof(why) - strlen(why),
				 " counters off baseline after %d round(s);", counters_bad);
		if (tot.kernel_reports)
			snprintf(why + strlen(why), sizeof(why) - strlen(why), " %u kernel report(s);",
				 tot.kernel_reports);
		if (opt.tap) {
			tap_result(1, !tot.hangs, "fuzz_no_call_hangs", NULL);
			tap_result(2, !tot.unkillable, "fuzz_killed_processes_die", NULL);
			tap_result(3, !tot.anomalies, "fuzz_errnos_and_return_codes", NULL);
			tap_result(4, !counters_bad, "fuzz_counters_back_at_baseline",
				   stats_seen ? NULL : "no /sys/kernel/debug/machipc/stats");
			tap_result(5, !tot.kernel_reports, "fuzz_no_kernel_reports", NULL);
			printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:0\n",
			       (!tot.hangs) + (!tot.unkillable) + (!tot.anomalies) +
				       (stats_seen && !counters_bad) + !tot.kernel_reports,
			       (int)!!tot.hangs + !!tot.unkillable + !!tot.anomalies + !!counters_bad +
				       !!tot.kernel_reports,
			       !stats_seen && !counters_bad);
		}
		out("machipc-fuzz: %s%s (seed 0x%016" PRIx64 ")", ok ? "PASS" : "FAIL:", ok ? "" : why,
		    opt.seed);
		fflush(stdout);
		/* Unkillable processes cannot be waited for: leave them. */
		_exit(ok ? 0 : 1);
	}
}
