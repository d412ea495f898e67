/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the hostile-user selftests (machipc_hostile.c,
 * machipc_hostile_tasks.c): the module's statistics (debugfs), processes
 * that drop to an unprivileged user before they attack, bounded waits for
 * a process to be gone, and raw messages. Include after machipc_util.h.
 */
#ifndef MACHIPC_HOSTILE_H
#define MACHIPC_HOSTILE_H

#include <dirent.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/resource.h>

/*
 * The module's limits with its default parameters (src/machipc_main.rs,
 * documented in docs/security.md). The guest loads the module with the
 * defaults; the tests assert that each limit holds exactly there.
 */
#define MAX_MSG_SIZE		(1U << 20)	/* max_msg_size */
#define MAX_OOL_SIZE		(64U << 20)	/* max_ool_size */
#define MAX_MSG_DESCRIPTORS	16382U		/* max_msg_descriptors */
#define MAX_MSG_RIGHTS		16382U		/* max_msg_rights */
#define MAX_USER_PORTS		32768U		/* max_user_ports */
#define MAX_USER_KMSGS		131072U		/* max_user_kmsgs */
#define MAX_USER_KMSG_BYTES	(128ULL << 20)	/* max_user_kmsg_mbytes */
#define MAX_USER_REQUESTS	131072U		/* max_user_requests */
#define MAX_PORT_NAMES		65536U		/* max_port_names */
/* The largest request table (XNU's last size class for 16-byte slots). */
#define MAX_REQUEST_TABLE	47616U

/* Mach's queue limits (<mach/port.h>). */
#define QLIMIT_MAX		1024U		/* MACH_PORT_QLIMIT_MAX */
#define QLIMIT_KERNEL		65534U		/* MACH_PORT_QLIMIT_KERNEL */

/* The users the attacks run as. */
#define NOBODY			65534U
#define SOMEONE			1000U	/* another unprivileged user */

#define STATS_PATH "/sys/kernel/debug/machipc/stats"

/* How long a bounded teardown or exit may take before a test calls it a
 * hang: far longer than anything takes on a slow guest. */
#define TEARDOWN_WAIT_MS 240000
/* How long the statistics may take to return to their baseline once the
 * processes of a scenario are gone (a task dies on a work item). */
#define STATS_WAIT_MS 60000

/* ---- the module's statistics ------------------------------------------- */

#define STATS_MAX 64

struct stats {
	int n;
	char name[STATS_MAX][48];
	long long val[STATS_MAX];
};

/* Reads the statistics file; false if it cannot be read. */
static inline bool stats_read(struct stats *s)
{
	char line[128];
	FILE *f = fopen(STATS_PATH, "re");

	s->n = 0;
	if (!f)
		return false;
	while (s->n < STATS_MAX && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%47s %lld", s->name[s->n], &s->val[s->n]) == 2)
			s->n++;
	}
	fclose(f);
	return s->n > 0;
}

/* The value of statistic `name`, or LLONG_MIN if there is none. */
static inline long long stat_in(const struct stats *s, const char *name)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->name[i], name))
			return s->val[i];
	return -0x7fffffffffffffffLL - 1;
}

/* The current value of statistic `name` (LLONG_MIN if unreadable). */
static inline long long stat_now(const char *name)
{
	struct stats s;

	if (!stats_read(&s))
		return -0x7fffffffffffffffLL - 1;
	return stat_in(&s, name);
}

/* A count of live objects (not a cumulative `*_total` event count). */
static inline bool stat_is_live(const char *name)
{
	size_t n = strlen(name);

	return !(n > 6 && !strcmp(name + n - 6, "_total"));
}

/* Whether every live count of `now` equals the one in `base`. */
static inline bool stats_live_equal(const struct stats *base, const struct stats *now)
{
	int i;

	for (i = 0; i < base->n; i++)
		if (stat_is_live(base->name[i]) &&
		    stat_in(now, base->name[i]) != base->val[i])
			return false;
	return true;
}

/*
 * The statistics before a scenario, once the module is quiet (nothing
 * deferred, the live counts steady for 200 ms: what an earlier test left
 * behind is gone). The test needs them (root, debugfs).
 */
static inline bool stats_settled(struct stats *s)
{
	uint64_t deadline = now_ms() + 60000;
	struct stats again;

	for (;;) {
		if (!stats_read(s))
			return false;
		sleep_ms(200);
		if (stats_read(&again) && stats_live_equal(s, &again) &&
		    stat_in(&again, "deferred") == 0)
			return true;
		if (now_ms() >= deadline)
			return stats_read(s);
	}
}

#define TAKE_BASELINE(s)                                                        \
	do {                                                                    \
		if (geteuid() != 0)                                             \
			SKIP(return, "needs root (debugfs statistics, setuid)"); \
		ASSERT_TRUE(stats_settled(s))                                   \
			TH_LOG("cannot read %s", STATS_PATH);                   \
	} while (0)

/*
 * Kills and reaps every child of ours, and their orphans (we are their
 * subreaper): what a failed test leaves running must not run into the
 * next one.
 */
static inline void kill_children(void)
{
	int round;

	for (round = 0; round < 50; round++) {
		char path[64], buf[512], *p;
		int status, found = 0, pid;
		FILE *f;
		DIR *d = opendir("/proc");
		struct dirent *de;

		if (!d)
			return;
		while ((de = readdir(d))) {
			pid = atoi(de->d_name);
			if (pid <= 0)
				continue;
			snprintf(path, sizeof(path), "/proc/%d/stat", pid);
			f = fopen(path, "re");
			if (!f)
				continue;
			if (fgets(buf, sizeof(buf), f) && (p = strrchr(buf, ')')) &&
			    atoi(p + 4) == getpid()) {
				kill(pid, SIGKILL);
				found++;
			}
			fclose(f);
		}
		closedir(d);
		while (waitpid(-1, &status, __WALL | (found ? 0 : WNOHANG)) > 0)
			;
		if (!found)
			return;
	}
}

/* Waits (at most `ms`) until every live count equals its value in
 * `base`; the last statistics read are in `now`. */
static inline bool stats_wait_baseline(const struct stats *base, struct stats *now, unsigned ms)
{
	uint64_t deadline = now_ms() + ms;

	for (;;) {
		if (stats_read(now) && stats_live_equal(base, now))
			return true;
		if (now_ms() >= deadline)
			return false;
		sleep_ms(20);
	}
}

/*
 * Every live count is back at its value in `base` (polled: a process's
 * task dies on a work item just after its exit), or the ones that are not
 * are reported.
 */
#define EXPECT_STATS_AT_BASELINE(base)                                          \
	do {                                                                    \
		struct stats __now;                                             \
		int __i;                                                        \
		if (stats_wait_baseline((base), &__now, STATS_WAIT_MS))         \
			break;                                                  \
		for (__i = 0; __i < (base)->n; __i++) {                         \
			if (!stat_is_live((base)->name[__i]))                   \
				continue;                                       \
			EXPECT_EQ((base)->val[__i], stat_in(&__now, (base)->name[__i])) \
				TH_LOG("statistic %s is not back at its baseline", \
				       (base)->name[__i]);                      \
		}                                                               \
	} while (0)

/* Waits (at most `ms`) until each statistic of `names` (NULL-terminated)
 * equals its value in `base`; the first that does not, or NULL. */
static inline const char *stats_wait_some(const struct stats *base, const char *const *names,
					  unsigned ms)
{
	uint64_t deadline = now_ms() + ms;
	const char *off;
	struct stats now;
	int i;

	for (;;) {
		off = "(statistics unreadable)";
		if (stats_read(&now)) {
			off = NULL;
			for (i = 0; names[i] && !off; i++)
				if (stat_in(&now, names[i]) != stat_in(base, names[i]))
					off = names[i];
		}
		if (!off || now_ms() >= deadline)
			return off;
		sleep_ms(20);
	}
}

/* ---- unprivileged attackers --------------------------------------------- */

/*
 * In a forked child: becomes user `uid` (group `uid`, no supplementary
 * groups), dropping every capability, and dumpable again (its /proc files
 * its own), as an ordinary process of that user is; exits 90 if it
 * cannot. The child's task was opened as root at fork (libmach opens the
 * device at once); the module charges what it does from now on to the
 * new real uid.
 */
static inline void become_user(uid_t uid)
{
	if (setgroups(0, NULL) || setgid(uid) || setuid(uid) || geteuid() != uid ||
	    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)) {
		fprintf(stderr, "# child %d: cannot become uid %u: %s\n", getpid(), uid,
			strerror(errno));
		_exit(90);
	}
}

/* As become_user, with RLIMIT_AS set to `as_bytes` (0: unchanged). */
static inline void become_user_limited(uid_t uid, unsigned long long as_bytes)
{
	struct rlimit rl = { .rlim_cur = as_bytes, .rlim_max = as_bytes };

	become_user(uid);
	if (as_bytes && setrlimit(RLIMIT_AS, &rl)) {
		fprintf(stderr, "# child %d: setrlimit: %s\n", getpid(), strerror(errno));
		_exit(91);
	}
}

/*
 * Forks a child that becomes `uid` (with RLIMIT_AS `as`, if not 0) and runs
 * fn(arg, k->rd, k->wr), then exits 0 (fn exits non-zero on a failed
 * check). false if the fork fails.
 */
static inline bool attacker(struct kid *k, uid_t uid, unsigned long long as,
		     void (*fn)(long arg, int rd, int wr), long arg)
{
	if (kid_fork(k) < 0)
		return false;
	if (k->pid == 0) {
		become_user_limited(uid, as);
		fn(arg, k->rd, k->wr);
		_exit(0);
	}
	return true;
}

/*
 * Waits (at most `ms`) for child `pid` to be gone; its wait status, or -1
 * if it is still there (or cannot be waited for).
 */
static inline int wait_gone(pid_t pid, unsigned ms)
{
	uint64_t deadline = now_ms() + ms;
	int status;

	for (;;) {
		pid_t got = waitpid(pid, &status, WNOHANG | __WALL);

		if (got == pid)
			return status;
		/* ECHILD: maybe an orphan that is not ours yet (we are its
		 * subreaper); a pid that is gone for good times out. */
		if (got < 0 && errno != EINTR && errno != ECHILD)
			return -1;
		if (now_ms() >= deadline)
			return -1;
		sleep_ms(2);
	}
}

/* A forked child's wait status, explained for a failure message. */
static inline const char *status_str(int status, char *buf, size_t n)
{
	if (status == -1)
		snprintf(buf, n, "still running (or not waitable)");
	else if (WIFEXITED(status))
		snprintf(buf, n, "exited %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, n, "killed by signal %d", WTERMSIG(status));
	else
		snprintf(buf, n, "status 0x%x", status);
	return buf;
}

/* The child exited 0 (else the test fails, saying how it ended). */
#define EXPECT_EXITED_OK(status)                                                \
	do {                                                                    \
		int __st = (status);                                            \
		char __b[64];                                                   \
		EXPECT_TRUE(__st != -1 && WIFEXITED(__st) && WEXITSTATUS(__st) == 0) \
			TH_LOG("child: %s", status_str(__st, __b, sizeof(__b)));    \
	} while (0)

/* The child died of SIGKILL. */
#define EXPECT_KILLED(status)                                                   \
	do {                                                                    \
		int __st = (status);                                            \
		char __b[64];                                                   \
		EXPECT_TRUE(__st != -1 && WIFSIGNALED(__st) && WTERMSIG(__st) == SIGKILL) \
			TH_LOG("child: %s", status_str(__st, __b, sizeof(__b)));    \
	} while (0)

/*
 * Runs body(_metadata, arg) in a fresh root child process -- a new task --
 * so that what it does to its own task (special ports set, ports made,
 * which a task remembers for the children it had) dies with it, and the
 * test process's own task, part of the baseline, stays as it was. The
 * body uses the harness's checks; the test fails if the body does, and
 * skips if it skips.
 */
#define IN_CHILD_TASK(body, arg)                                                \
	do {                                                                    \
		pid_t __p;                                                      \
		int __st;                                                       \
		char __b[64];                                                   \
		fflush(stdout);                                                 \
		fflush(stderr);                                                 \
		__p = fork();                                                   \
		ASSERT_LE(0, __p);                                              \
		if (__p == 0) {                                                 \
			prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);              \
			body(_metadata, (arg));                                 \
			kill_children();                                        \
			_exit(_metadata->exit_code);                            \
		}                                                               \
		__st = wait_gone(__p, 2 * TEARDOWN_WAIT_MS);                    \
		if (__st != -1 && WIFEXITED(__st) && WEXITSTATUS(__st) == KSFT_SKIP) \
			SKIP(return, "(the reason is above)");                  \
		EXPECT_TRUE(__st != -1 && WIFEXITED(__st) && WEXITSTATUS(__st) == 0) \
			TH_LOG("the scenario's process: %s",                    \
			       status_str(__st, __b, sizeof(__b)));             \
	} while (0)

/*
 * A check in a child that goes on after a failure (printing it): for
 * children that report every way they were wronged. `fails` counts.
 */
#define SOFT_EQ(fails, exp, got)                                                \
	do {                                                                    \
		long long __e = (long long)(exp), __g = (long long)(got);       \
		if (__e != __g) {                                               \
			fprintf(stderr, "# child %d: %s:%d: %s == %s: expected 0x%llx, got 0x%llx\n", \
				getpid(), __FILE__, __LINE__, #exp, #got,       \
				(unsigned long long)__e, (unsigned long long)__g); \
			(fails)++;                                              \
		}                                                               \
	} while (0)

/* ---- messages ------------------------------------------------------------ */

/* A header-only message to `dest` (disposition `disp`), without waiting
 * for room if `now`. */
static inline mach_msg_return_t send_header(mach_port_name_t dest, mach_msg_type_name_t disp,
					    mach_msg_id_t id, bool now)
{
	mach_msg_header_t h;

	memset(&h, 0, sizeof(h));
	h.msgh_bits = MACH_MSGH_BITS(disp, 0);
	h.msgh_size = sizeof(h);
	h.msgh_remote_port = dest;
	h.msgh_id = id;
	return mach_msg(&h, MACH_SEND_MSG | (now ? MACH_SEND_TIMEOUT : 0), sizeof(h), 0,
			MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

/* The 44-byte message of the teardown scenario: a header and one
 * out-of-line ports descriptor. */
struct ool_ports_msg {
	mach_msg_header_t h;
	mach_msg_body_t body;
	mach_msg_ool_ports_descriptor_t d;
};

static inline void ool_ports_msg_init(struct ool_ports_msg *m, mach_port_name_t dest,
				      mach_port_name_t *names, mach_msg_size_t count,
				      mach_msg_type_name_t disp)
{
	memset(m, 0, sizeof(*m));
	m->h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	m->h.msgh_size = sizeof(*m);
	m->h.msgh_remote_port = dest;
	m->h.msgh_id = 0x4400;
	m->body.msgh_descriptor_count = 1;
	m->d.address = names;
	m->d.count = count;
	m->d.copy = MACH_MSG_PHYSICAL_COPY;
	m->d.disposition = disp;
	m->d.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
}

static inline mach_msg_return_t send_raw(void *buf, mach_msg_size_t size, mach_msg_option_t opt,
					 mach_msg_timeout_t timeout)
{
	return mach_msg((mach_msg_header_t *)buf, MACH_SEND_MSG | opt, size, 0, MACH_PORT_NULL,
			timeout, MACH_PORT_NULL);
}

/* `n` copies of `name`, in fresh memory (NULL if there is none). */
static inline mach_port_name_t *name_copies(mach_port_name_t name, size_t n)
{
	mach_port_name_t *v = mmap(NULL, n * sizeof(*v), PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t i;

	if (v == MAP_FAILED)
		return NULL;
	for (i = 0; i < n; i++)
		v[i] = name;
	return v;
}

/* A receive right with a send right under the same name and queue limit
 * `qlimit` (0: the default); MACH_PORT_NULL on failure. */
static inline mach_port_name_t port_with_send(mach_port_msgcount_t qlimit)
{
	mach_port_name_t p = new_port();

	if (p == MACH_PORT_NULL)
		return p;
	if (mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND) ||
	    (qlimit && set_qlimit(p, qlimit))) {
		mach_port_destroy(mach_task_self(), p);
		return MACH_PORT_NULL;
	}
	return p;
}

/* MACH_PORT_RECEIVE_STATUS fields, or 0xdead0000 + the error. As XNU,
 * mps_srights only says whether the port has senders (0 or 1). */
#define MSGCOUNT(p) STATUS_FIELD(p, mps_msgcount)
#define HAS_SENDERS(p) STATUS_FIELD(p, mps_srights)
#define SORIGHTS(p) STATUS_FIELD(p, mps_sorights)

#endif /* MACHIPC_HOSTILE_H */
