// SPDX-License-Identifier: GPL-2.0
/*
 * Tasks named by pid and the task calls of issue 14: task_for_pid (with
 * the ptrace-attach rules: matching ids, not set-id, CAP_SYS_PTRACE over
 * the target, Yama's scope), task_name_for_pid and the task name port,
 * pid_for_task (also across pid namespaces), mach_task_is_self,
 * task_info (MACH_TASK_BASIC_INFO, TASK_BASIC_INFO, TASK_THREAD_TIMES_INFO,
 * TASK_SECURITY_TOKEN, TASK_AUDIT_TOKEN, against /proc/self/stat, statm,
 * getrusage and message trailers),
 * mach_ports_register / mach_ports_lookup (inherited by a child), and the
 * rights all of these give released when their holder dies.
 *
 * The permission cases run in children that become uid 65534; the Yama
 * cases run once per scope (0, 1, 2; 3 cannot be undone and is never
 * set), restoring the scope afterwards. Set-id targets are the set-uid
 * helper /tests-helpers/machipc_sugid_hold (selftests/helpers).
 *
 * Reference: XNU 10.11 (xnu-3248) bsd/vm/vm_unix.c, osfmk/kern/task.c,
 * ipc_tt.c. Each test skips if the module does not serve the calls yet.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/mach_traps.h>
#include <mach/task.h>
#include <mach/task_info.h>
#include "kselftest_harness.h"
#include "machipc_util.h"

#define SUGID_HELPER "/tests-helpers/machipc_sugid_hold"

/* Names children fill in our space. */
#define GIVEN_NAME(i) NAME(0x320 + (i), 3)

/* The name task_for_pid & co. store on failure, to see that they do. */
#define JUNK_NAME ((mach_port_name_t)0x1234567)

/* ---- processes to be the targets ---------------------------------------- */

/* A child that (maybe) becomes nobody, has a task, and waits for EOF on
 * its pipe. */
struct holder {
	pid_t pid;
	int wr;         /* closing it ends the holder */
	int rd;         /* its stdout, for the set-id helper */
};

/*
 * An ordinary process of the user it became: a process that dropped root
 * is made non-dumpable by Linux (XNU marks it P_SUGID), and task_for_pid
 * refuses such a target to anyone but root, as ptrace does; the set-id
 * cases have tests of their own.
 */
#define ORDINARY() CHILD_EQ(0, prctl(PR_SET_DUMPABLE, 1, 0, 0, 0))

static bool hold(struct holder *h, bool nobody)
{
	int p[2], ready[2];
	char c;

	if (pipe(p))
		return false;
	if (pipe(ready)) {
		close(p[0]);
		close(p[1]);
		return false;
	}
	fflush(stdout);
	fflush(stderr);
	h->pid = fork();
	if (h->pid < 0)
		return false;
	if (h->pid == 0) {
		close(p[1]);
		close(ready[0]);
		if (nobody) {
			CHILD_BECOME_NOBODY();
			ORDINARY();
		}
		CHILD_TRUE(mach_task_self() != MACH_PORT_NULL);
		/* It has its task now: task_for_pid finds it. */
		CHILD_TRUE(write(ready[1], "r", 1) == 1);
		while (read(p[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(p[0]);
	close(ready[1]);
	h->wr = p[1];
	h->rd = -1;
	c = 0;
	if (read(ready[0], &c, 1) != 1 || c != 'r') {
		close(ready[0]);
		return false;
	}
	close(ready[0]);
	return true;
}

static void unhold(struct holder *h)
{
	int status;

	close(h->wr);
	if (h->rd >= 0)
		close(h->rd);
	waitpid(h->pid, &status, 0);
}

/*
 * Runs the set-uid-root helper as nobody (a child of the caller), with
 * `drop`: all its ids become 65534 again, but it stays set-id. Returns 0,
 * or 1 if the helper is not installed set-uid here, -1 on failure.
 */
static int hold_setid(struct holder *h)
{
	int in[2], out[2];
	unsigned ruid, euid, suid;
	char line[128];
	ssize_t n;
	int pid, dumpable;

	if (access(SUGID_HELPER, X_OK) != 0)
		return 1;
	if (pipe(in) || pipe(out))
		return -1;
	fflush(stdout);
	fflush(stderr);
	h->pid = fork();
	if (h->pid < 0)
		return -1;
	if (h->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		if (getuid() == 0)
			CHILD_BECOME_NOBODY();
		execl(SUGID_HELPER, "machipc_sugid_hold", "drop", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	h->wr = in[1];
	h->rd = out[0];
	n = read(h->rd, line, sizeof(line) - 1);
	if (n <= 0)
		return -1;
	line[n] = 0;
	if (!strncmp(line, "not-set-id", 10))
		return 1;
	if (sscanf(line, "ready %d %u %u %u %d", &pid, &ruid, &euid, &suid, &dumpable) != 5 ||
	    pid != h->pid || ruid != 65534 || euid != 65534 || suid != 65534 || dumpable != 0)
		return -1;
	return 0;
}

/* ---- what a child's task_for_pid gave: kr, whether a name, whose ------ */

struct tfp {
	kern_return_t kr;
	mach_port_name_t name;
	int pid;        /* pid_for_task of the name, -1 without */
};

/* In a child: task_for_pid(self, pid), sent to the parent on `wr`. */
static void report_tfp(int wr, int pid, bool name_port)
{
	mach_port_name_t t = JUNK_NAME;
	kern_return_t kr = name_port ? task_name_for_pid(mach_task_self(), pid, &t)
				     : task_for_pid(mach_task_self(), pid, &t);
	int got = -1;

	if (kr == KERN_SUCCESS && !name_port)
		pid_for_task(t, &got);
	if (kr == KERN_SUCCESS && name_port)
		got = (int)kobject_type_in(mach_task_self(), t) == (int)IKOT_TASK_NAME ? pid : -2;
	CHILD_PUT(wr, (uint32_t)kr);
	CHILD_PUT(wr, t);
	CHILD_PUT(wr, (uint32_t)got);
}

static bool read_tfp(int rd, struct tfp *r)
{
	uint32_t a, b, c;

	if (!get(rd, &a) || !get(rd, &b) || !get(rd, &c))
		return false;
	r->kr = (kern_return_t)a;
	r->name = b;
	r->pid = (int)c;
	return true;
}

/* The result of an allowed call on `pid`, or of a refused one. */
#define EXPECT_ALLOWED(r, target)                                              \
	do {                                                                   \
		EXPECT_EQ(KERN_SUCCESS, (r).kr);                               \
		EXPECT_TRUE(MACH_PORT_VALID((r).name));                        \
		EXPECT_EQ((target), (r).pid);                                  \
	} while (0)

#define EXPECT_REFUSED(r)                                                      \
	do {                                                                   \
		EXPECT_EQ(KERN_FAILURE, (r).kr);                               \
		EXPECT_EQ(NULL_NAME, (r).name);                                \
	} while (0)

/* How a caller child is set up before its call. */
enum caller_kind {
	AS_ROOT,
	AS_NOBODY,
	AS_NOBODY_WITH_CAP_SYS_PTRACE,  /* uid 65534, only CAP_SYS_PTRACE */
	AS_ROOT_OF_A_USER_NAMESPACE,    /* nobody, then unshare(CLONE_NEWUSER) */
};

static void become(enum caller_kind how)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];

	switch (how) {
	case AS_ROOT:
		break;
	case AS_NOBODY:
		CHILD_BECOME_NOBODY();
		ORDINARY();
		break;
	case AS_NOBODY_WITH_CAP_SYS_PTRACE:
		CHILD_EQ(0, prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
		CHILD_BECOME_NOBODY();
		memset(data, 0, sizeof(data));
		data[0].effective = data[0].permitted = 1U << CAP_SYS_PTRACE;
		CHILD_EQ(0, syscall(SYS_capset, &hdr, data));
		break;
	case AS_ROOT_OF_A_USER_NAMESPACE:
		CHILD_BECOME_NOBODY();
		CHILD_EQ(0, unshare(CLONE_NEWUSER));
		break;
	}
}

/* A child set up as `how` calls task_for_pid (or task_name_for_pid) on
 * `pid`; its result. */
static bool call_from_child(enum caller_kind how, int pid, bool name_port, struct tfp *r)
{
	struct kid k;
	bool ok;

	if (kid_fork(&k) < 0)
		return false;
	if (k.pid == 0) {
		become(how);
		report_tfp(k.wr, pid, name_port);
		_exit(0);
	}
	ok = read_tfp(k.rd, r);
	return reap(&k) == 0 && ok;
}

/* ---- Yama: each case under each scope ------------------------------------ */

#define YAMA "/proc/sys/kernel/yama/ptrace_scope"

static int read_yama(void)
{
	return (int)read_number_file(YAMA);
}

static bool write_yama(int scope)
{
	char buf[8];
	int fd = open(YAMA, O_WRONLY | O_CLOEXEC);
	int n = snprintf(buf, sizeof(buf), "%d\n", scope);
	bool ok;

	if (fd < 0)
		return false;
	ok = write(fd, buf, n) == n;
	close(fd);
	return ok && read_yama() == scope;
}

FIXTURE(yama) {
	int saved;
};

FIXTURE_VARIANT(yama) {
	int scope;
};

/* 0: classic ptrace permissions; 1: only descendants (or CAP_SYS_PTRACE);
 * 2: only with CAP_SYS_PTRACE. */
FIXTURE_VARIANT_ADD(yama, scope_0) { .scope = 0 };
FIXTURE_VARIANT_ADD(yama, scope_1) { .scope = 1 };
FIXTURE_VARIANT_ADD(yama, scope_2) { .scope = 2 };

FIXTURE_SETUP(yama)
{
	self->saved = -1;
	REQUIRE_KOBJ(KOBJ_TASK_FOR_PID);
	if (geteuid() != 0)
		SKIP(return, "needs root to change uids and Yama's scope");
	self->saved = read_yama();
	if (self->saved < 0)
		SKIP(return, "no Yama here (%s)", YAMA);
	if (self->saved == 3)
		SKIP(return, "Yama scope 3 cannot be changed back");
	ASSERT_TRUE(write_yama(variant->scope));
}

FIXTURE_TEARDOWN(yama)
{
	if (self->saved >= 0 && self->saved != 3)
		write_yama(self->saved);
}

/* nobody -> its own child (nobody): a descendant; no capability needed
 * unless the scope is 2. */
TEST_F(yama, nobody_to_its_child)
{
	struct kid k;
	struct tfp r;

	ASSERT_LE(0, kid_fork(&k));
	if (k.pid == 0) {
		struct holder h;

		become(AS_NOBODY);
		CHILD_TRUE(hold(&h, false));
		report_tfp(k.wr, h.pid, false);
		unhold(&h);
		_exit(0);
	}
	ASSERT_TRUE(read_tfp(k.rd, &r));
	EXPECT_EQ(0, reap(&k));
	if (variant->scope < 2) {
		EXPECT_EQ(KERN_SUCCESS, r.kr);
		EXPECT_TRUE(MACH_PORT_VALID(r.name));
		EXPECT_LT(0, r.pid);
	} else {
		EXPECT_REFUSED(r);
	}
}

/* nobody -> its parent (nobody): allowed only in the classic scope. */
TEST_F(yama, nobody_to_its_parent)
{
	struct kid k;
	struct tfp r;

	ASSERT_LE(0, kid_fork(&k));
	if (k.pid == 0) {
		pid_t me, c;
		int p[2], status;

		become(AS_NOBODY);
		me = getpid();
		CHILD_EQ(0, pipe(p));
		c = fork();
		CHILD_TRUE(c >= 0);
		if (c == 0) {
			close(p[0]);
			report_tfp(p[1], me, false);
			_exit(0);
		}
		close(p[1]);
		CHILD_TRUE(read_tfp(p[0], &r));
		CHILD_EQ(c, waitpid(c, &status, 0));
		CHILD_PUT(k.wr, (uint32_t)r.kr);
		CHILD_PUT(k.wr, r.name);
		CHILD_PUT(k.wr, (uint32_t)(r.pid == me ? 1 : 0));
		_exit(0);
	}
	ASSERT_TRUE(read_tfp(k.rd, &r));
	EXPECT_EQ(0, reap(&k));
	if (variant->scope == 0) {
		EXPECT_EQ(KERN_SUCCESS, r.kr);
		EXPECT_TRUE(MACH_PORT_VALID(r.name));
		EXPECT_EQ(1, r.pid);
	} else {
		EXPECT_REFUSED(r);
	}
}

/* nobody -> a sibling (nobody): not a descendant. */
TEST_F(yama, nobody_to_a_sibling)
{
	struct holder h;
	struct tfp r;

	ASSERT_TRUE(hold(&h, true));
	ASSERT_TRUE(call_from_child(AS_NOBODY, h.pid, false, &r));
	if (variant->scope == 0)
		EXPECT_ALLOWED(r, h.pid);
	else
		EXPECT_REFUSED(r);
	unhold(&h);
}

/* nobody -> a root process: other ids, refused in every scope. */
TEST_F(yama, nobody_to_root_is_refused)
{
	struct tfp r;

	ASSERT_TRUE(call_from_child(AS_NOBODY, getpid(), false, &r));
	EXPECT_REFUSED(r);
}

/* root -> a nobody child, and root -> an unrelated root process (our
 * parent: not a descendant): CAP_SYS_PTRACE, allowed in every scope. */
TEST_F(yama, root_is_allowed_everywhere)
{
	mach_port_name_t t = JUNK_NAME;
	struct holder h;
	int pid = -1;

	ASSERT_TRUE(hold(&h, true));
	EXPECT_EQ(KERN_SUCCESS, task_for_pid(mach_task_self(), h.pid, &t));
	EXPECT_EQ(KERN_SUCCESS, pid_for_task(t, &pid));
	EXPECT_EQ(h.pid, pid);
	unhold(&h);
	t = JUNK_NAME;
	EXPECT_EQ(KERN_SUCCESS, task_for_pid(mach_task_self(), getppid(), &t));
	EXPECT_EQ(KERN_SUCCESS, pid_for_task(t, &pid));
	EXPECT_EQ(getppid(), pid);
}

/* A nobody process with CAP_SYS_PTRACE over the target may, in every
 * scope, take a root process's task (its parent, not a descendant). */
TEST_F(yama, cap_sys_ptrace_allows_other_ids)
{
	struct tfp r;

	ASSERT_TRUE(call_from_child(AS_NOBODY_WITH_CAP_SYS_PTRACE, getpid(), false, &r));
	EXPECT_ALLOWED(r, getpid());
}

/* Capabilities in a user namespace of its own are not over a target in
 * the initial one: root of a new user namespace is refused a root task. */
TEST_F(yama, capabilities_of_a_user_namespace_do_not_count)
{
	struct tfp r;

	ASSERT_TRUE(call_from_child(AS_ROOT_OF_A_USER_NAMESPACE, getpid(), false, &r));
	EXPECT_REFUSED(r);
}

/* A set-id process (the set-uid helper, back to uid 65534 but not
 * dumpable) is refused to its nobody parent, in every scope. */
TEST_F(yama, setid_target_is_refused)
{
	struct kid k;
	struct tfp r;
	uint32_t v;

	ASSERT_LE(0, kid_fork(&k));
	if (k.pid == 0) {
		struct holder h;
		int rc;

		become(AS_NOBODY);
		rc = hold_setid(&h);
		CHILD_PUT(k.wr, (uint32_t)rc);
		if (rc != 0)
			_exit(0);
		report_tfp(k.wr, h.pid, false);
		unhold(&h);
		_exit(0);
	}
	ASSERT_TRUE(get(k.rd, &v));
	if (v == 1) {
		reap(&k);
		SKIP(return, "no set-uid helper here (%s)", SUGID_HELPER);
	}
	ASSERT_EQ(0U, v) TH_LOG("the set-uid helper did not start as expected");
	ASSERT_TRUE(read_tfp(k.rd, &r));
	EXPECT_EQ(0, reap(&k));
	EXPECT_REFUSED(r);
}

/* root is allowed a set-id process. */
TEST_F(yama, root_is_allowed_a_setid_target)
{
	mach_port_name_t t = JUNK_NAME;
	struct holder h;
	int rc, pid = -1;

	rc = hold_setid(&h);
	if (rc == 1)
		SKIP(return, "no set-uid helper here (%s)", SUGID_HELPER);
	ASSERT_EQ(0, rc);
	EXPECT_EQ(KERN_SUCCESS, task_for_pid(mach_task_self(), h.pid, &t));
	EXPECT_EQ(KERN_SUCCESS, pid_for_task(t, &pid));
	EXPECT_EQ(h.pid, pid);
	unhold(&h);
}

/*
 * task_name_for_pid has XNU's own, weaker rule: self, root, or the same
 * uid and real uid. Neither Yama nor set-id matters.
 */
TEST_F(yama, task_name_for_pid_needs_only_matching_uids)
{
	struct holder h;
	struct tfp r;
	int rc;

	ASSERT_TRUE(hold(&h, true));
	ASSERT_TRUE(call_from_child(AS_NOBODY, h.pid, true, &r));
	EXPECT_ALLOWED(r, h.pid);
	unhold(&h);
	ASSERT_TRUE(call_from_child(AS_NOBODY, getpid(), true, &r));
	EXPECT_REFUSED(r);
	rc = hold_setid(&h);
	if (rc == 1)
		return;
	ASSERT_EQ(0, rc);
	ASSERT_TRUE(call_from_child(AS_NOBODY, h.pid, true, &r));
	EXPECT_ALLOWED(r, h.pid);
	unhold(&h);
}

/* ---- task_for_pid: arguments ------------------------------------------------ */

TEST(task_for_pid_self_gives_own_task_port)
{
	mach_port_name_t t = JUNK_NAME, t2 = JUNK_NAME;
	mach_port_urefs_t r;

	REQUIRE_KOBJ(KOBJ_TASK_FOR_PID);
	r = refs_of(mach_task_self(), MACH_PORT_RIGHT_SEND);
	ASSERT_EQ(KERN_SUCCESS, task_for_pid(mach_task_self(), getpid(), &t));
	EXPECT_EQ(mach_task_self(), t);
	EXPECT_EQ(r + 1, refs_of(mach_task_self(), MACH_PORT_RIGHT_SEND));
	ASSERT_EQ(KERN_SUCCESS, task_for_pid(mach_task_self(), getpid(), &t2));
	EXPECT_EQ(t, t2);
	EXPECT_EQ(r + 2, refs_of(mach_task_self(), MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(IKOT_TASK, kobject_type_in(mach_task_self(), t));
}

/* pid 0 and pids with no process: KERN_FAILURE, and MACH_PORT_NULL stored. */
TEST(task_for_pid_unknown_pid_fails)
{
	static const int pids[] = { 0, -1, -100, 0x3fffffff, 0x7fffffff };
	mach_port_name_t t;
	pid_t gone;
	unsigned i;
	int status;

	REQUIRE_KOBJ(KOBJ_TASK_FOR_PID);
	gone = fork();
	ASSERT_LE(0, gone);
	if (gone == 0)
		_exit(0);
	ASSERT_EQ(gone, waitpid(gone, &status, 0));
	for (i = 0; i < sizeof(pids) / sizeof(pids[0]); i++) {
		snprintf(fails_ctx, sizeof(fails_ctx), "pid %d", pids[i]);
		t = JUNK_NAME;
		EXPECT_FAILS_CLEANLY(KERN_FAILURE, task_for_pid(mach_task_self(), pids[i], &t));
		EXPECT_EQ(NULL_NAME, t);
		t = JUNK_NAME;
		EXPECT_FAILS_CLEANLY(KERN_FAILURE, task_name_for_pid(mach_task_self(), pids[i], &t));
		EXPECT_EQ(NULL_NAME, t);
	}
	t = JUNK_NAME;
	EXPECT_EQ(KERN_FAILURE, task_for_pid(mach_task_self(), gone, &t));
	EXPECT_EQ(NULL_NAME, t);
}

/* The first argument must be a send right to some task (any task). */
static void child_waits(int arg, int rd, int wr)
{
	(void)arg;
	(void)wr;
	CHILD_GET(rd);
}

TEST(task_for_pid_needs_a_task_port)
{
	mach_port_name_t t, recv, plain, name_port = MACH_PORT_NULL;
	struct kid k;
	int pid = -1;

	REQUIRE_KOBJ(KOBJ_TASK_FOR_PID);
	recv = new_receive(_metadata);
	plain = new_send_receive(_metadata, 1);
	ASSERT_EQ(KERN_SUCCESS, task_get_special_port(mach_task_self(), TASK_NAME_PORT, &name_port));
	const mach_port_name_t bad[] = { MACH_PORT_NULL, MACH_PORT_DEAD, UNKNOWN_NAME, recv, plain,
					 mach_host_self(), name_port };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(fails_ctx, sizeof(fails_ctx), "target 0x%x", bad[i]);
		t = JUNK_NAME;
		EXPECT_FAILS_CLEANLY(KERN_FAILURE, task_for_pid(bad[i], getpid(), &t));
		EXPECT_EQ(NULL_NAME, t);
		t = JUNK_NAME;
		EXPECT_FAILS_CLEANLY(KERN_FAILURE, task_name_for_pid(bad[i], getpid(), &t));
		EXPECT_EQ(NULL_NAME, t);
	}
	/* Another task's port will do: the right comes to our space. */
	ASSERT_TRUE(spawn(&k, SPAWN_GIVE_TASK, child_waits, 0));
	t = JUNK_NAME;
	EXPECT_EQ(KERN_SUCCESS, task_for_pid(CHILD_TASK_NAME, getpid(), &t));
	EXPECT_EQ(mach_task_self(), t);
	EXPECT_EQ(KERN_SUCCESS, task_for_pid(CHILD_TASK_NAME, k.pid, &t));
	EXPECT_EQ(CHILD_TASK_NAME, t);
	EXPECT_EQ(KERN_SUCCESS, pid_for_task(t, &pid));
	EXPECT_EQ(k.pid, pid);
	EXPECT_TRUE(end_kid(&k));
}

/* A zombie has no task to give. */
TEST(task_for_pid_refuses_a_zombie)
{
	mach_port_name_t t = JUNK_NAME;
	pid_t z;
	int status;

	REQUIRE_KOBJ(KOBJ_TASK_FOR_PID);
	z = fork();
	ASSERT_LE(0, z);
	if (z == 0)
		_exit(0);
	ASSERT_TRUE(POLL_UNTIL(thread_state(z, z) == 'Z', BLOCK_WAIT_MS));
	EXPECT_EQ(KERN_FAILURE, task_for_pid(mach_task_self(), z, &t));
	EXPECT_EQ(NULL_NAME, t);
	t = JUNK_NAME;
	EXPECT_EQ(KERN_FAILURE, task_name_for_pid(mach_task_self(), z, &t));
	EXPECT_EQ(NULL_NAME, t);
	ASSERT_EQ(z, waitpid(z, &status, 0));
}

/* The port task_for_pid gives is the process's task port: the same port
 * as the one the process gives us itself (so the same name). */
static void child_gives_task_then_checks(int arg, int rd, int wr)
{
	mach_port_type_t ty = 0;

	(void)arg;
	CHILD_PUT(wr, 0);
	CHILD_GET(rd);
	/* The parent made a port in our space through the task port. */
	CHILD_EQ(KERN_SUCCESS, mach_port_type(mach_task_self(), GIVEN_NAME(0), &ty));
	CHILD_EQ(MACH_PORT_TYPE_RECEIVE, ty);
	CHILD_PUT(wr, 0);
	CHILD_GET(rd);
}

TEST(task_for_pid_gives_the_process_task_port)
{
	mach_port_name_t t = JUNK_NAME;
	struct kid k;
	uint32_t v;

	REQUIRE_KOBJ(KOBJ_TASK_FOR_PID);
	if (geteuid() != 0)
		SKIP(return, "needs root (the child is not a descendant under Yama 2)");
	ASSERT_TRUE(spawn(&k, SPAWN_GIVE_TASK, child_gives_task_then_checks, 0));
	ASSERT_TRUE(get(k.rd, &v));
	ASSERT_EQ(KERN_SUCCESS, task_for_pid(mach_task_self(), k.pid, &t));
	EXPECT_EQ(CHILD_TASK_NAME, t);
	EXPECT_EQ(2U, refs_of(CHILD_TASK_NAME, MACH_PORT_RIGHT_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate_name(t, MACH_PORT_RIGHT_RECEIVE, GIVEN_NAME(0)));
	ASSERT_TRUE(put(k.wr, 0));
	ASSERT_TRUE(get(k.rd, &v));
	EXPECT_TRUE(end_kid(&k));
	EXPECT_TRUE(POLL_UNTIL(type_of(t) == MACH_PORT_TYPE_DEAD_NAME, WAIT_MS));
}

/* ---- task name ports, pid_for_task, mach_task_is_self ------------------------- */

/*
 * task_name_for_pid gives the task's name port (IKOT_TASK_NAME), the port
 * task_get_special_port(TASK_NAME_PORT) gives too: task_info accepts it,
 * pid_for_task does not, and nothing that changes the task does.
 */
TEST(task_name_port_can_only_inspect)
{
	mach_port_name_t n = JUNK_NAME, n2 = MACH_PORT_NULL, p = MACH_PORT_NULL;
	mach_task_basic_info_data_t info;
	mach_msg_type_number_t cnt = MACH_TASK_BASIC_INFO_COUNT;
	int pid = 0;

	REQUIRE_KOBJ(KOBJ_TASK_FOR_PID);
	ASSERT_EQ(KERN_SUCCESS, task_name_for_pid(mach_task_self(), getpid(), &n));
	ASSERT_TRUE(MACH_PORT_VALID(n));
	EXPECT_NE(mach_task_self(), n);
	EXPECT_EQ(IKOT_TASK_NAME, kobject_type_in(mach_task_self(), n));
	ASSERT_EQ(KERN_SUCCESS, task_get_special_port(mach_task_self(), TASK_NAME_PORT, &n2));
	EXPECT_EQ(n, n2);
	EXPECT_EQ(KERN_FAILURE, pid_for_task(n, &pid));
	EXPECT_EQ(-1, pid);
	EXPECT_EQ(KERN_INVALID_TASK, mach_port_allocate(n, MACH_PORT_RIGHT_RECEIVE, &p));
	/* xnu-3248 task_set_special_port(): a port that converts to no task
	 * (convert_port_to_task) is TASK_NULL -> KERN_INVALID_ARGUMENT. */
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  task_set_special_port(n, TASK_BOOTSTRAP_PORT, MACH_PORT_NULL));
	if (!kobj_missing(KOBJ_TASK_INFO))
		EXPECT_EQ(KERN_SUCCESS, task_info(n, MACH_TASK_BASIC_INFO, (task_info_t)&info, &cnt));
	EXPECT_TRUE(mach_task_is_self(n) != 0);
}

TEST(pid_for_task_needs_a_live_task_port)
{
	mach_port_name_t recv, plain;
	struct kid k;
	int pid;

	REQUIRE_KOBJ(KOBJ_TASK_FOR_PID);
	pid = 0;
	EXPECT_EQ(KERN_SUCCESS, pid_for_task(mach_task_self(), &pid));
	EXPECT_EQ(getpid(), pid);
	recv = new_receive(_metadata);
	plain = new_send_receive(_metadata, 1);
	const mach_port_name_t bad[] = { MACH_PORT_NULL, MACH_PORT_DEAD, UNKNOWN_NAME, recv, plain,
					 mach_host_self() };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(fails_ctx, sizeof(fails_ctx), "name 0x%x", bad[i]);
		pid = 12345;
		EXPECT_FAILS_CLEANLY(KERN_FAILURE, pid_for_task(bad[i], &pid));
		EXPECT_EQ(-1, pid);
	}
	if (!kobj_missing(KOBJ_THREADS)) {
		pid = 12345;
		EXPECT_EQ(KERN_FAILURE, pid_for_task(mach_thread_self(), &pid));
		EXPECT_EQ(-1, pid);
	}
	/* Another task's; then dead. */
	ASSERT_TRUE(spawn(&k, SPAWN_GIVE_TASK, child_waits, 0));
	EXPECT_EQ(KERN_SUCCESS, pid_for_task(CHILD_TASK_NAME, &pid));
	EXPECT_EQ(k.pid, pid);
	EXPECT_TRUE(end_kid(&k));
	EXPECT_TRUE(POLL_UNTIL(type_of(CHILD_TASK_NAME) == MACH_PORT_TYPE_DEAD_NAME, WAIT_MS));
	pid = 12345;
	EXPECT_EQ(KERN_FAILURE, pid_for_task(CHILD_TASK_NAME, &pid));
	EXPECT_EQ(-1, pid);
}

TEST(mach_task_is_self_knows_its_own_ports)
{
	struct kid k;

	REQUIRE_KOBJ(KOBJ_TASK_INFO);
	EXPECT_TRUE(mach_task_is_self(mach_task_self()) != 0);
	EXPECT_FALSE(mach_task_is_self(MACH_PORT_NULL) != 0);
	EXPECT_FALSE(mach_task_is_self(MACH_PORT_DEAD) != 0);
	EXPECT_FALSE(mach_task_is_self(mach_host_self()) != 0);
	EXPECT_FALSE(mach_task_is_self(new_send_receive(_metadata, 1)) != 0);
	ASSERT_TRUE(spawn(&k, SPAWN_GIVE_TASK, child_waits, 0));
	EXPECT_FALSE(mach_task_is_self(CHILD_TASK_NAME) != 0);
	EXPECT_TRUE(end_kid(&k));
	EXPECT_FALSE(mach_task_is_self(CHILD_TASK_NAME) != 0);
}

/*
 * pid namespaces: pids are those of the caller's namespace. A task that is
 * pid 1 of a new namespace finds itself as pid 1, cannot see a pid of
 * ours, and we see it under its pid in our namespace.
 */
static pid_t arg_ppid;   /* the test's pid, for the child to try */

static void child_in_new_pidns(int arg, int rd, int wr)
{
	mach_port_name_t t = JUNK_NAME;
	int status, pid = 0, q[2];
	char c;
	pid_t g;

	(void)arg;
	CHILD_EQ(0, unshare(CLONE_NEWPID));
	CHILD_EQ(0, pipe(q));
	g = fork();
	CHILD_TRUE(g >= 0);
	if (g == 0) {
		/* pid 1 of the new namespace; bootstrap_port: the test's task. */
		close(q[0]);
		CHILD_EQ(1, getpid());
		CHILD_EQ(KERN_SUCCESS, pid_for_task(mach_task_self(), &pid));
		CHILD_EQ(1, pid);
		CHILD_EQ(KERN_SUCCESS, task_for_pid(mach_task_self(), 1, &t));
		CHILD_EQ(mach_task_self(), t);
		/* The test process is not in this namespace. */
		t = JUNK_NAME;
		CHILD_EQ(KERN_FAILURE, task_for_pid(mach_task_self(), arg_ppid, &t));
		CHILD_EQ(NULL_NAME, t);
		CHILD_EQ(KERN_SUCCESS, mach_port_insert_right(bootstrap_port, GIVEN_NAME(1),
							      mach_task_self(),
							      MACH_MSG_TYPE_COPY_SEND));
		CHILD_EQ(1, write(q[1], "r", 1));
		CHILD_GET(rd);
		_exit(0);
	}
	close(q[1]);
	CHILD_EQ(1, read(q[0], &c, 1));
	CHILD_PUT(wr, (uint32_t)g);
	CHILD_EQ(g, waitpid(g, &status, 0));
	CHILD_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST(pid_for_task_uses_the_callers_pid_namespace)
{
	struct kid k;
	uint32_t g = 0;
	int pid = 0;

	REQUIRE_KOBJ(KOBJ_TASK_FOR_PID);
	if (geteuid() != 0)
		SKIP(return, "needs root for a new pid namespace");
	arg_ppid = getpid();
	ASSERT_TRUE(spawn(&k, SPAWN_PARENT_TASK, child_in_new_pidns, 0));
	ASSERT_TRUE(get(k.rd, &g));
	EXPECT_EQ(KERN_SUCCESS, pid_for_task(GIVEN_NAME(1), &pid));
	EXPECT_EQ((int)g, pid);
	EXPECT_NE(1, pid);
	EXPECT_TRUE(end_kid(&k));
}

/* ---- task_info -------------------------------------------------------------------- */

/* Pages of address space and resident pages (/proc/self/statm). */
static bool statm(uint64_t *size, uint64_t *resident)
{
	unsigned long long s, r;
	FILE *f = fopen("/proc/self/statm", "re");
	bool ok;

	if (!f)
		return false;
	ok = fscanf(f, "%llu %llu", &s, &r) == 2;
	fclose(f);
	*size = s * (uint64_t)sysconf(_SC_PAGESIZE);
	*resident = r * (uint64_t)sysconf(_SC_PAGESIZE);
	return ok;
}

/*
 * From /proc/self/stat: user and system time of the whole process in
 * microseconds (clock ticks), address space in bytes, resident bytes.
 */
struct self_stat {
	uint64_t utime_us, stime_us, vsize, rss;
};

static bool proc_self_stat(struct self_stat *st)
{
	char buf[1024], *p;
	unsigned long long ut, stt, vs;
	long long rss;
	ssize_t n;
	int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
	long hz = sysconf(_SC_CLK_TCK);

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = 0;
	p = strrchr(buf, ')');
	/* After the name: state (3) ... utime (14) stime (15) ... vsize (23) rss (24). */
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu "
			 "%*d %*d %*d %*d %*d %*d %*u %llu %lld", &ut, &stt, &vs, &rss) != 4)
		return false;
	st->utime_us = ut * 1000000ULL / (uint64_t)hz;
	st->stime_us = stt * 1000000ULL / (uint64_t)hz;
	st->vsize = vs;
	st->rss = (uint64_t)rss * (uint64_t)sysconf(_SC_PAGESIZE);
	return true;
}

static uint64_t tv_us(time_value_t t)
{
	return (uint64_t)t.seconds * 1000000 + (uint64_t)t.microseconds;
}

static uint64_t rusage_us(int who)
{
	struct rusage ru;

	getrusage(who, &ru);
	return (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
	       (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

static void burn_ms(unsigned ms)
{
	struct timespec ts;
	uint64_t end;
	volatile uint64_t x = 0;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	end = (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + ms;
	do {
		x++;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	} while ((uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 < end);
}

/* A slack for CPU times: Linux splits user and system time by ticks. */
#define CPU_SLACK_US(x) (50000 + (x) / 10)

/*
 * MACH_TASK_BASIC_INFO and TASK_BASIC_INFO: the address space and
 * resident size of the process in bytes (statm, read around the call),
 * the largest resident size no smaller, time sharing, not suspended.
 */
TEST(task_info_basic_matches_proc)
{
	mach_task_basic_info_data_t m;
	task_basic_info_data_t b;
	mach_msg_type_number_t n;
	uint64_t vs0, rs0, vs1, rs1;
	const uint64_t slack = 64 * (uint64_t)sysconf(_SC_PAGESIZE);

	REQUIRE_KOBJ(KOBJ_TASK_INFO);
	memset(&m, 0xa5, sizeof(m));
	n = MACH_TASK_BASIC_INFO_COUNT;
	ASSERT_TRUE(statm(&vs0, &rs0));
	ASSERT_EQ(KERN_SUCCESS, task_info(mach_task_self(), MACH_TASK_BASIC_INFO, (task_info_t)&m, &n));
	ASSERT_TRUE(statm(&vs1, &rs1));
	EXPECT_EQ(MACH_TASK_BASIC_INFO_COUNT, n);
	EXPECT_LE((vs0 < vs1 ? vs0 : vs1) - slack, m.virtual_size);
	EXPECT_GE((vs0 > vs1 ? vs0 : vs1) + slack, m.virtual_size);
	EXPECT_LE((rs0 < rs1 ? rs0 : rs1) - slack, m.resident_size);
	EXPECT_GE((rs0 > rs1 ? rs0 : rs1) + slack, m.resident_size);
	EXPECT_LE(m.resident_size, m.resident_size_max);
	/* /proc/self/stat tells the same. */
	struct self_stat st0, st1;

	n = MACH_TASK_BASIC_INFO_COUNT;
	ASSERT_TRUE(proc_self_stat(&st0));
	ASSERT_EQ(KERN_SUCCESS, task_info(mach_task_self(), MACH_TASK_BASIC_INFO, (task_info_t)&m, &n));
	ASSERT_TRUE(proc_self_stat(&st1));
	EXPECT_LE((st0.vsize < st1.vsize ? st0.vsize : st1.vsize) - slack, m.virtual_size);
	EXPECT_GE((st0.vsize > st1.vsize ? st0.vsize : st1.vsize) + slack, m.virtual_size);
	EXPECT_LE((st0.rss < st1.rss ? st0.rss : st1.rss) - slack, m.resident_size);
	EXPECT_GE((st0.rss > st1.rss ? st0.rss : st1.rss) + slack, m.resident_size);
	EXPECT_EQ(POLICY_TIMESHARE, m.policy);
	EXPECT_EQ(0, m.suspend_count);
	EXPECT_GT(1000000, m.user_time.microseconds);
	EXPECT_GT(1000000, m.system_time.microseconds);

	memset(&b, 0xa5, sizeof(b));
	n = TASK_BASIC_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(mach_task_self(), TASK_BASIC_INFO, (task_info_t)&b, &n));
	EXPECT_EQ(TASK_BASIC_INFO_COUNT, n);
	EXPECT_LE(m.virtual_size - slack, b.virtual_size);
	EXPECT_GE(m.virtual_size + slack, b.virtual_size);
	EXPECT_LE(m.resident_size - slack, b.resident_size);
	EXPECT_GE(m.resident_size + slack, b.resident_size);
	EXPECT_EQ(POLICY_TIMESHARE, b.policy);
	EXPECT_EQ(0, b.suspend_count);
	/* 32-bit layout: the same figures, truncated. */
	task_basic_info_32_data_t b32;

	n = TASK_BASIC_INFO_32_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(mach_task_self(), TASK_BASIC_INFO_32, (task_info_t)&b32, &n));
	EXPECT_EQ(TASK_BASIC_INFO_32_COUNT, n);
	EXPECT_EQ(POLICY_TIMESHARE, b32.policy);
	EXPECT_EQ(0, b32.suspend_count);
}

/*
 * The times of TASK_BASIC_INFO / MACH_TASK_BASIC_INFO are those of the
 * task's terminated threads, TASK_THREAD_TIMES_INFO those of its live
 * threads; together they are the process's (getrusage).
 */
static void *burner(void *arg)
{
	burn_ms((unsigned)(uintptr_t)arg);
	return NULL;
}

TEST(task_info_times_split_terminated_and_live_threads)
{
	mach_task_basic_info_data_t m;
	task_thread_times_info_data_t live;
	mach_msg_type_number_t n;
	uint64_t r0, r1, dead, alive;
	pthread_t th;

	REQUIRE_KOBJ(KOBJ_TASK_INFO);
	/* No thread of this process has ended yet. */
	n = MACH_TASK_BASIC_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(mach_task_self(), MACH_TASK_BASIC_INFO, (task_info_t)&m, &n));
	EXPECT_EQ(0U, tv_us(m.user_time) + tv_us(m.system_time));
	burn_ms(100);
	ASSERT_EQ(0, pthread_create(&th, NULL, burner, (void *)(uintptr_t)200));
	ASSERT_EQ(0, pthread_join(th, NULL));
	r0 = rusage_us(RUSAGE_SELF);
	n = MACH_TASK_BASIC_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(mach_task_self(), MACH_TASK_BASIC_INFO, (task_info_t)&m, &n));
	n = TASK_THREAD_TIMES_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(mach_task_self(), TASK_THREAD_TIMES_INFO,
					  (task_info_t)&live, &n));
	r1 = rusage_us(RUSAGE_SELF);
	EXPECT_EQ(TASK_THREAD_TIMES_INFO_COUNT, n);
	dead = tv_us(m.user_time) + tv_us(m.system_time);
	alive = tv_us(live.user_time) + tv_us(live.system_time);
	/* The ended thread burned 200 ms; the live (main) thread 100 ms and more. */
	EXPECT_LE((uint64_t)200000 - CPU_SLACK_US(200000), dead) TH_LOG("terminated threads: %llu us",
							      (unsigned long long)dead);
	EXPECT_LE((uint64_t)100000 - CPU_SLACK_US(100000), alive) TH_LOG("live threads: %llu us",
							       (unsigned long long)alive);
	EXPECT_LE(r0 - CPU_SLACK_US(r0), dead + alive);
	EXPECT_GE(r1 + CPU_SLACK_US(r1), dead + alive);
	/* And with /proc/self/stat's (tick-based) process times. */
	struct self_stat st;

	ASSERT_TRUE(proc_self_stat(&st));
	EXPECT_LE(st.utime_us + st.stime_us - CPU_SLACK_US(st.utime_us + st.stime_us), dead + alive);
	EXPECT_GE(st.utime_us + st.stime_us + CPU_SLACK_US(st.utime_us + st.stime_us), dead + alive);
}

/* The security token is {euid, egid}; the audit token is the one the
 * kernel puts in this task's messages' trailers. */
struct audit_msg {
	mach_msg_header_t h;
	mach_msg_audit_trailer_t trailer;
};

static void check_tokens(struct __test_metadata *_metadata)
{
	security_token_t sec;
	audit_token_t aud;
	struct audit_msg m;
	mach_msg_type_number_t n;
	mach_port_name_t port = new_send_receive(_metadata, 1);

	n = TASK_SECURITY_TOKEN_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(mach_task_self(), TASK_SECURITY_TOKEN, (task_info_t)&sec, &n));
	EXPECT_EQ(TASK_SECURITY_TOKEN_COUNT, n);
	EXPECT_EQ(geteuid(), sec.val[0]);
	EXPECT_EQ(getegid(), sec.val[1]);
	n = TASK_AUDIT_TOKEN_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(mach_task_self(), TASK_AUDIT_TOKEN, (task_info_t)&aud, &n));
	EXPECT_EQ(TASK_AUDIT_TOKEN_COUNT, n);
	EXPECT_EQ(geteuid(), aud.val[1]);
	EXPECT_EQ(getegid(), aud.val[2]);
	EXPECT_EQ(getuid(), aud.val[3]);
	EXPECT_EQ(getgid(), aud.val[4]);
	EXPECT_EQ((unsigned)getpid(), aud.val[5]);
	memset(&m, 0, sizeof(m));
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m.h.msgh_size = sizeof(m.h);
	m.h.msgh_remote_port = port;
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&m.h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m.h), 0,
					     MACH_PORT_NULL, 0, MACH_PORT_NULL));
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  mach_msg(&m.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT |
				 MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
				 MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT),
			   0, sizeof(m), port, WAIT_MS, MACH_PORT_NULL));
	EXPECT_EQ(0, memcmp(&aud, &m.trailer.msgh_audit, sizeof(aud)));
	EXPECT_EQ(0, memcmp(&sec, &m.trailer.msgh_sender, sizeof(sec)));
	mach_port_destroy(mach_task_self(), port);
}

TEST(task_info_tokens_are_the_tasks_credentials)
{
	REQUIRE_KOBJ(KOBJ_TASK_INFO);
	check_tokens(_metadata);
}

TEST(task_info_tokens_as_nobody)
{
	pid_t kid;
	int status;

	REQUIRE_KOBJ(KOBJ_TASK_INFO);
	if (geteuid() != 0)
		SKIP(return, "needs root to drop privileges");
	fflush(stdout);
	fflush(stderr);
	kid = fork();
	ASSERT_LE(0, kid);
	if (kid == 0) {
		CHILD_BECOME_NOBODY();
		check_tokens(_metadata);
		_exit(_metadata->exit_code);
	}
	ASSERT_EQ(kid, waitpid(kid, &status, 0));
	EXPECT_CHILD_OK(status);
}

/*
 * Unknown flavors, TASK_SCHED_INFO and short counts are
 * KERN_INVALID_ARGUMENT; a larger count gets the flavor's; a port that is
 * not a task is a NULL task (KERN_INVALID_ARGUMENT); a name that is no
 * send right cannot be sent to.
 */
TEST(task_info_bad_arguments)
{
	static const int bad_flavors[] = { 0, 8, 9, TASK_SCHED_INFO, 99, 12345, -1 };
	integer_t buf[TASK_INFO_MAX];
	mach_msg_type_number_t n;
	unsigned i;

	REQUIRE_KOBJ(KOBJ_TASK_INFO);
	for (i = 0; i < sizeof(bad_flavors) / sizeof(bad_flavors[0]); i++) {
		snprintf(fails_ctx, sizeof(fails_ctx), "flavor %d", bad_flavors[i]);
		n = 52;
		EXPECT_FAILS_CLEANLY(KERN_INVALID_ARGUMENT,
				     task_info(mach_task_self(), (task_flavor_t)bad_flavors[i], buf, &n));
	}
	n = MACH_TASK_BASIC_INFO_COUNT - 1;
	EXPECT_FAILS_CLEANLY(KERN_INVALID_ARGUMENT,
			     task_info(mach_task_self(), MACH_TASK_BASIC_INFO, buf, &n));
	n = 0;
	EXPECT_FAILS_CLEANLY(KERN_INVALID_ARGUMENT,
			     task_info(mach_task_self(), TASK_AUDIT_TOKEN, buf, &n));
	n = TASK_AUDIT_TOKEN_COUNT - 1;
	EXPECT_FAILS_CLEANLY(KERN_INVALID_ARGUMENT,
			     task_info(mach_task_self(), TASK_AUDIT_TOKEN, buf, &n));
	n = TASK_INFO_MAX;
	EXPECT_EQ(KERN_SUCCESS, task_info(mach_task_self(), TASK_SECURITY_TOKEN, buf, &n));
	EXPECT_EQ(TASK_SECURITY_TOKEN_COUNT, n);
	n = 52;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_info(mach_host_self(), MACH_TASK_BASIC_INFO, buf, &n));
	n = 52;
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_DEST,
			     task_info(MACH_PORT_NULL, MACH_TASK_BASIC_INFO, buf, &n));
	n = 52;
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_DEST,
			     task_info(UNKNOWN_NAME, MACH_TASK_BASIC_INFO, buf, &n));
}

/* Another task's information through its port; a dead task's name. */
TEST(task_info_of_another_task)
{
	mach_task_basic_info_data_t m;
	audit_token_t aud;
	mach_msg_type_number_t n;
	struct kid k;

	REQUIRE_KOBJ(KOBJ_TASK_INFO);
	ASSERT_TRUE(spawn(&k, SPAWN_GIVE_TASK, child_waits, 0));
	n = TASK_AUDIT_TOKEN_COUNT;
	ASSERT_EQ(KERN_SUCCESS, task_info(CHILD_TASK_NAME, TASK_AUDIT_TOKEN, (task_info_t)&aud, &n));
	EXPECT_EQ((unsigned)k.pid, aud.val[5]);
	n = MACH_TASK_BASIC_INFO_COUNT;
	EXPECT_EQ(KERN_SUCCESS, task_info(CHILD_TASK_NAME, MACH_TASK_BASIC_INFO, (task_info_t)&m, &n));
	EXPECT_LT(0U, m.virtual_size);
	EXPECT_LT(0U, m.resident_size);
	EXPECT_TRUE(end_kid(&k));
	EXPECT_TRUE(POLL_UNTIL(type_of(CHILD_TASK_NAME) == MACH_PORT_TYPE_DEAD_NAME, WAIT_MS));
	n = MACH_TASK_BASIC_INFO_COUNT;
	EXPECT_EQ(MACH_SEND_INVALID_DEST,
		  task_info(CHILD_TASK_NAME, MACH_TASK_BASIC_INFO, (task_info_t)&m, &n));
}

/* ---- mach_ports_register / mach_ports_lookup ----------------------------------------- */

/* The registered ports: always TASK_PORT_REGISTER_MAX names, copied into
 * out[] (and the array freed). */
static kern_return_t lookup(mach_port_t task, mach_port_t out[TASK_PORT_REGISTER_MAX])
{
	mach_port_array_t a = NULL;
	mach_msg_type_number_t n = 0, i;
	kern_return_t kr = mach_ports_lookup(task, &a, &n);

	if (kr != KERN_SUCCESS)
		return kr;
	if (n != TASK_PORT_REGISTER_MAX)
		return KERN_FAILURE;
	for (i = 0; i < n; i++)
		out[i] = a[i];
	vm_deallocate(mach_task_self(), (vm_address_t)a, n * sizeof(*a));
	return KERN_SUCCESS;
}

TEST(mach_ports_register_replaces_all_slots)
{
	mach_port_t got[TASK_PORT_REGISTER_MAX], p[4];
	int i;

	REQUIRE_KOBJ(KOBJ_PORTS_REGISTER);
	for (i = 0; i < 4; i++)
		p[i] = new_send_receive(_metadata, 1);
	ASSERT_EQ(KERN_SUCCESS, lookup(mach_task_self(), got));
	for (i = 0; i < TASK_PORT_REGISTER_MAX; i++)
		EXPECT_EQ(NULL_NAME, got[i]);
	ASSERT_EQ(KERN_SUCCESS, mach_ports_register(mach_task_self(), p, 2));
	/* COPY_SEND: ours are untouched. */
	EXPECT_EQ(1U, refs_of(p[0], MACH_PORT_RIGHT_SEND));
	ASSERT_EQ(KERN_SUCCESS, lookup(mach_task_self(), got));
	EXPECT_EQ(p[0], got[0]);
	EXPECT_EQ(p[1], got[1]);
	EXPECT_EQ(NULL_NAME, got[2]);
	/* The lookup gave us a right each. */
	EXPECT_EQ(2U, refs_of(p[0], MACH_PORT_RIGHT_SEND));
	mach_port_deallocate(mach_task_self(), p[0]);
	mach_port_deallocate(mach_task_self(), p[1]);
	/* All three slots are replaced (padded with NULL). */
	ASSERT_EQ(KERN_SUCCESS, mach_ports_register(mach_task_self(), &p[2], 1));
	ASSERT_EQ(KERN_SUCCESS, lookup(mach_task_self(), got));
	EXPECT_EQ(p[2], got[0]);
	EXPECT_EQ(NULL_NAME, got[1]);
	EXPECT_EQ(NULL_NAME, got[2]);
	mach_port_deallocate(mach_task_self(), p[2]);
	ASSERT_EQ(KERN_SUCCESS, mach_ports_register(mach_task_self(), p, 3));
	ASSERT_EQ(KERN_SUCCESS, lookup(mach_task_self(), got));
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(p[i], got[i]);
		mach_port_deallocate(mach_task_self(), p[i]);
	}
	/* Four is too many: nothing changes. */
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_ports_register(mach_task_self(), p, 4));
	ASSERT_EQ(KERN_SUCCESS, lookup(mach_task_self(), got));
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(p[i], got[i]);
		mach_port_deallocate(mach_task_self(), p[i]);
	}
	/* Zero clears them. */
	ASSERT_EQ(KERN_SUCCESS, mach_ports_register(mach_task_self(), NULL, 0));
	ASSERT_EQ(KERN_SUCCESS, lookup(mach_task_self(), got));
	for (i = 0; i < TASK_PORT_REGISTER_MAX; i++)
		EXPECT_EQ(NULL_NAME, got[i]);
	for (i = 0; i < 4; i++)
		EXPECT_EQ(1U, refs_of(p[i], MACH_PORT_RIGHT_SEND));
}

TEST(mach_ports_register_needs_a_task)
{
	mach_port_t got[TASK_PORT_REGISTER_MAX], p;
	mach_port_array_t a = NULL;
	mach_msg_type_number_t n = 0;

	REQUIRE_KOBJ(KOBJ_PORTS_REGISTER);
	p = new_send_receive(_metadata, 1);
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_ports_register(mach_host_self(), &p, 1));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_ports_lookup(mach_host_self(), &a, &n));
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_DEST, mach_ports_register(MACH_PORT_NULL, &p, 1));
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_DEST, mach_ports_lookup(MACH_PORT_NULL, &a, &n));
	ASSERT_EQ(KERN_SUCCESS, lookup(mach_task_self(), got));
	EXPECT_EQ(NULL_NAME, got[0]);
	EXPECT_EQ(1U, refs_of(p, MACH_PORT_RIGHT_SEND));
}

/*
 * A new task inherits its parent's registered ports (copies of the send
 * rights); they are released when it dies: the port's no-senders
 * notification fires once only the child held a right.
 */
static void child_checks_registered(int arg, int rd, int wr)
{
	mach_port_t got[TASK_PORT_REGISTER_MAX];

	(void)arg;
	CHILD_EQ(KERN_SUCCESS, lookup(mach_task_self(), got));
	CHILD_TRUE(MACH_PORT_VALID(got[0]));
	CHILD_EQ(NULL_NAME, got[1]);
	CHILD_EQ(MACH_PORT_TYPE_SEND, type_in(mach_task_self(), got[0]));
	CHILD_EQ(1, refs_in(mach_task_self(), got[0], MACH_PORT_RIGHT_SEND));
	/* Say so through the registered port itself. */
	mach_msg_header_t h = {
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
		.msgh_size = sizeof(h),
		.msgh_remote_port = got[0],
		.msgh_id = 0x1234,
	};
	CHILD_EQ(MACH_MSG_SUCCESS, mach_msg(&h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(h), 0,
					    MACH_PORT_NULL, WAIT_MS, MACH_PORT_NULL));
	CHILD_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), got[0]));
	CHILD_PUT(wr, 0);
	CHILD_GET(rd);
}

TEST(mach_ports_are_inherited_and_released_with_the_task)
{
	struct {
		mach_msg_header_t h;
		mach_msg_trailer_t t;
	} r;
	mach_no_senders_notification_t ns;
	mach_port_t p, notify, prev = MACH_PORT_NULL;
	struct kid k;
	uint32_t v;

	REQUIRE_KOBJ(KOBJ_PORTS_REGISTER);
	p = new_send_receive(_metadata, 1);
	notify = new_receive(_metadata);
	ASSERT_EQ(KERN_SUCCESS, mach_ports_register(mach_task_self(), &p, 1));
	ASSERT_TRUE(spawn(&k, 0, child_checks_registered, 0));
	ASSERT_TRUE(get(k.rd, &v));
	memset(&r, 0, sizeof(r));
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&r.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), p,
					     WAIT_MS, MACH_PORT_NULL));
	EXPECT_EQ(0x1234, r.h.msgh_id);
	/* Now only our registration, our own right and the child's hold it. */
	ASSERT_EQ(KERN_SUCCESS, mach_ports_register(mach_task_self(), NULL, 0));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_request_notification(mach_task_self(), p,
							       MACH_NOTIFY_NO_SENDERS, 0, notify,
							       MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev));
	memset(&ns, 0, sizeof(ns));
	EXPECT_EQ(MACH_RCV_TIMED_OUT, mach_msg(&ns.not_header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					       sizeof(ns), notify, 0, MACH_PORT_NULL));
	EXPECT_TRUE(end_kid(&k));
	EXPECT_EQ(MACH_MSG_SUCCESS, mach_msg(&ns.not_header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					     sizeof(ns), notify, WAIT_MS, MACH_PORT_NULL));
	EXPECT_EQ(MACH_NOTIFY_NO_SENDERS, ns.not_header.msgh_id);
}

/* ---- released at death ------------------------------------------------------------------ */

/*
 * The rights task_for_pid, task_name_for_pid and task_get_special_port
 * give a process go with it: a child that took ours and registered ports
 * dies, and our space and the module's counters are as before.
 */
static void child_takes_parent_task(int how, int rd, int wr)
{
	mach_port_name_t t = MACH_PORT_NULL, n = MACH_PORT_NULL, p[3];

	CHILD_EQ(KERN_SUCCESS, task_for_pid(mach_task_self(), getppid(), &t));
	CHILD_EQ(KERN_SUCCESS, task_name_for_pid(mach_task_self(), getppid(), &n));
	CHILD_EQ(KERN_SUCCESS, task_for_pid(mach_task_self(), getppid(), &t));
	/* Kept in the registered slots too, which die with the task. */
	p[0] = t;
	p[1] = n;
	p[2] = mach_task_self();
	if (!kobj_missing(KOBJ_PORTS_REGISTER))
		CHILD_EQ(KERN_SUCCESS, mach_ports_register(mach_task_self(), p, 3));
	CHILD_PUT(wr, 0);
	if (how)
		pause();
	CHILD_GET(rd);
}

static void tasks_released_at_death(struct __test_metadata *_metadata, bool killed)
{
	long long ports = machipc_stat("ports"), sends = machipc_stat("send_rights"),
		  tasks = machipc_stat("tasks");
	struct snapshot before, after;
	struct kid k;

	take_snapshot(_metadata, &before);
	ASSERT_TRUE(spawn(&k, SPAWN_WAIT_READY, child_takes_parent_task, killed));
	if (killed) {
		EXPECT_TRUE(kill_kid(&k));
	} else {
		EXPECT_TRUE(end_kid(&k));
	}
	take_snapshot(_metadata, &after);
	expect_same_snapshot(_metadata, &before, &after, "a child's task_for_pid");
	EXPECT_TRUE(stat_returns_to("tasks", tasks));
	EXPECT_TRUE(stat_returns_to("ports", ports));
	EXPECT_TRUE(stat_returns_to("send_rights", sends));
}

TEST(task_rights_released_when_their_holder_exits)
{
	REQUIRE_KOBJ(KOBJ_TASK_FOR_PID);
	if (geteuid() != 0)
		SKIP(return, "needs root (a child may not take its parent's task under Yama)");
	tasks_released_at_death(_metadata, false);
}

TEST(task_rights_released_when_their_holder_is_killed)
{
	REQUIRE_KOBJ(KOBJ_TASK_FOR_PID);
	if (geteuid() != 0)
		SKIP(return, "needs root (a child may not take its parent's task under Yama)");
	tasks_released_at_death(_metadata, true);
}

TEST_HARNESS_MAIN
