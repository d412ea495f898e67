// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile users and the life of tasks (issue 8): what an unprivileged
 * process can do with task ports across a set-id exec, a thread-group
 * leader that exits while other threads run (traced or not), an open of
 * /dev/mach racing the process's last close, allocation failures in the
 * open path, what audit tokens say across user and pid namespaces, and
 * module removal while a descriptor is held by another process.
 *
 * Unprivileged parts run as uid 1000 or 65534, forked from the (root)
 * test; every scenario must leave the module's live counts
 * (/sys/kernel/debug/machipc/stats) where they were.
 *
 * The binary is also its own helper program: exec'ed with HELPER_ARG as
 * argv[1] (as a setuid-root copy, or to send from a process of a given
 * pid), it runs a helper from a constructor instead of the tests.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/sched.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bsm/libbsm.h>
#include <mach/mach.h>
#include <mach/mach_traps.h>
#include <mach/host_priv.h>
#include <machipc/machipc.h>
#include "machipc.h"
#include "kselftest_harness.h"
#include "machipc_util.h"
#include "machipc_hostile.h"

#define HELPER_ARG "--machipc-hostile-helper"

/* The message id of a helper's report. */
#define HELPER_MSG_ID 0x5e71d

#define TRAILER_AUDIT_OPT \
	(MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) | \
	 MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT))

/* A received header-only message with the audit trailer. */
struct audited {
	mach_msg_header_t h;
	mach_msg_audit_trailer_t t;
	char slack[64];
};

static mach_msg_return_t recv_audited(mach_port_name_t port, struct audited *m,
				      mach_msg_timeout_t timeout)
{
	memset(m, 0, sizeof(*m));
	return mach_msg(&m->h, MACH_RCV_MSG | MACH_RCV_TIMEOUT | TRAILER_AUDIT_OPT, 0, sizeof(*m),
			port, timeout, MACH_PORT_NULL);
}

static unsigned kobject_of(mach_port_t task, mach_port_name_t name)
{
	unsigned type = 0xffff, addr = 0;
	kern_return_t kr = mach_port_kernel_object(task, name, &type, &addr);

	return kr == KERN_SUCCESS ? type : 0xdead0000U + (unsigned)kr;
}

/* mach_port_names of `task`: its result, and the count. */
static kern_return_t names_count(mach_port_t task, unsigned *count)
{
	mach_port_name_array_t n = NULL;
	mach_port_type_array_t t = NULL;
	mach_msg_type_number_t nc = 0, tc = 0;
	kern_return_t kr = mach_port_names(task, &n, &nc, &t, &tc);

	*count = nc;
	if (kr == KERN_SUCCESS && nc) {
		vm_deallocate(mach_task_self(), (vm_address_t)n, nc * sizeof(*n));
		vm_deallocate(mach_task_self(), (vm_address_t)t, tc * sizeof(*t));
	}
	return kr;
}

/* Copies file `from` to `to` with mode `mode` (set after the copy, so a
 * setuid bit survives); false on failure. */
static bool copy_file(const char *from, const char *to, mode_t mode)
{
	char buf[65536];
	int in, out;
	ssize_t n;
	bool ok = true;

	in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return false;
	unlink(to);
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
	if (out < 0) {
		close(in);
		return false;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			ok = false;
	if (n < 0 || fchmod(out, mode))
		ok = false;
	close(in);
	close(out);
	return ok;
}

/* Sets our bootstrap port (what children inherit). */
static kern_return_t set_bootstrap(mach_port_name_t p)
{
	return task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, p);
}

/* A header-only message (id `id`) to `dest`, with a copy of our send right. */
static mach_msg_return_t report(mach_port_name_t dest, mach_msg_type_name_t disp,
				mach_port_name_t reply, mach_msg_type_name_t rdisp,
				mach_msg_id_t id)
{
	mach_msg_header_t h;

	memset(&h, 0, sizeof(h));
	h.msgh_bits = MACH_MSGH_BITS(disp, rdisp);
	h.msgh_size = sizeof(h);
	h.msgh_remote_port = dest;
	h.msgh_local_port = reply;
	h.msgh_id = id;
	return mach_msg(&h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(h), 0, MACH_PORT_NULL,
			WAIT_MS, MACH_PORT_NULL);
}

/* Whether process `pid` sleeps in nanosleep or clock_nanosleep. */
static bool sleeping(pid_t pid)
{
	return blocked_in(pid, pid, __NR_clock_nanosleep, false) ||
	       blocked_in(pid, pid, __NR_nanosleep, false);
}

/* ---------------------------------------------------------------------- */
/* Helpers run after an exec of this binary (argv[1] == HELPER_ARG). */

/*
 * A set-id exec of an unprivileged task (`setid OLD_TASK_NAME PORT_NAME`):
 * the task has a new task port (the old name is a dead name now), it kept
 * its space and its bootstrap port, and its host port is host-priv. It
 * reports through the bootstrap port.
 */
static void helper_setid(int argc, char **argv)
{
	mach_port_name_t old, kept, self, boot = MACH_PORT_NULL;
	mach_port_type_t t = 0;
	unsigned n;

	if (argc < 5)
		_exit(30);
	if (geteuid() != 0)
		_exit(77); /* setuid programs do not run here */
	old = (mach_port_name_t)strtoul(argv[3], NULL, 0);
	kept = (mach_port_name_t)strtoul(argv[4], NULL, 0);
	self = task_self_trap();
	CHILD_TRUE(MACH_PORT_VALID(self));
	CHILD_TRUE(self != old);
	CHILD_EQ(IKOT_TASK, kobject_of(self, self));
	CHILD_EQ(KERN_SUCCESS, mach_port_type(self, old, &t));
	CHILD_EQ(MACH_PORT_TYPE_DEAD_NAME, t);
	/* The space is the one from before the exec. */
	CHILD_EQ(KERN_SUCCESS, mach_port_type(self, kept, &t));
	CHILD_EQ(MACH_PORT_TYPE_RECEIVE, t);
	CHILD_EQ(KERN_SUCCESS, names_count(self, &n));
	CHILD_EQ(IKOT_HOST_PRIV, kobject_of(self, host_self_trap()));
	CHILD_EQ(KERN_SUCCESS, task_get_special_port(self, TASK_BOOTSTRAP_PORT, &boot));
	CHILD_TRUE(MACH_PORT_VALID(boot));
	CHILD_EQ(MACH_MSG_SUCCESS, report(boot, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0,
					  HELPER_MSG_ID));
	_exit(0);
}

/* `send ID`: one message to the bootstrap port, then exit. */
static void helper_send(int argc, char **argv)
{
	mach_port_name_t boot = MACH_PORT_NULL;

	if (argc < 4)
		_exit(30);
	CHILD_EQ(KERN_SUCCESS, task_get_special_port(task_self_trap(), TASK_BOOTSTRAP_PORT, &boot));
	CHILD_TRUE(MACH_PORT_VALID(boot));
	CHILD_EQ(MACH_MSG_SUCCESS, report(boot, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0,
					  (mach_msg_id_t)strtol(argv[3], NULL, 0)));
	_exit(0);
}

static bool send_fd(int sock, int fd);
static int recv_fd(int sock);
static void close_mach_descriptors(void);

/*
 * `traffic`: Mach traffic for scripts/rmmod-under-load.sh, until killed
 * (SIGKILL to this process takes the others with it): an echo process
 * that sends requests (an out-of-line page and a port each) and waits for
 * the replies, a process blocked for ever in a receive, and one that
 * holds a /dev/mach descriptor of ours passed with SCM_RIGHTS. Prints
 * TRAFFIC-READY after 100 round trips.
 */
static void helper_traffic(void)
{
	mach_port_name_t p = port_with_send(QLIMIT_MAX);
	static char page[4096];
	unsigned long trips = 0;
	int sv[2], fd, i;
	pid_t pid;

	CHILD_TRUE(MACH_PORT_VALID(p));
	CHILD_EQ(KERN_SUCCESS, set_bootstrap(p));
	CHILD_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	for (i = 0; i < 3; i++) {
		fflush(stdout);
		fflush(stderr);
		pid = fork();
		CHILD_TRUE(pid >= 0);
		if (pid)
			continue;
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		if (getppid() == 1)
			_exit(0);
		if (i == 0) {
			/* The echo: requests with memory and a right, and replies. */
			mach_port_name_t e = port_with_send(0);
			struct {
				mach_msg_header_t h;
				mach_msg_body_t b;
				mach_msg_ool_descriptor_t ool;
				mach_msg_port_descriptor_t port;
			} m;
			struct audited r;

			CHILD_TRUE(MACH_PORT_VALID(e));
			for (;;) {
				memset(&m, 0, sizeof(m));
				m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
							       MACH_MSG_TYPE_MAKE_SEND_ONCE) |
						MACH_MSGH_BITS_COMPLEX;
				m.h.msgh_size = sizeof(m);
				m.h.msgh_remote_port = bootstrap_port;
				m.h.msgh_local_port = e;
				m.b.msgh_descriptor_count = 2;
				m.ool.address = page;
				m.ool.size = sizeof(page);
				m.ool.copy = MACH_MSG_PHYSICAL_COPY;
				m.ool.type = MACH_MSG_OOL_DESCRIPTOR;
				m.port.name = e;
				m.port.disposition = MACH_MSG_TYPE_MAKE_SEND;
				m.port.type = MACH_MSG_PORT_DESCRIPTOR;
				CHILD_EQ(MACH_MSG_SUCCESS, mach_msg(&m.h, MACH_SEND_MSG, sizeof(m), 0,
								    MACH_PORT_NULL, 0,
								    MACH_PORT_NULL));
				CHILD_EQ(MACH_MSG_SUCCESS, mach_msg(&r.h, MACH_RCV_MSG, 0, sizeof(r), e,
								    0, MACH_PORT_NULL));
			}
		}
		if (i == 1) {
			/* Blocked in a receive for ever. */
			struct audited r;

			mach_msg(&r.h, MACH_RCV_MSG, 0, sizeof(r), port_with_send(0), 0,
				 MACH_PORT_NULL);
			_exit(1);
		}
		/* The holder of a descriptor it cannot use. */
		close_mach_descriptors();
		fd = recv_fd(sv[1]);
		CHILD_TRUE(fd >= 0);
		for (;;)
			pause();
	}
	fd = open("/dev/mach", O_RDWR | O_CLOEXEC);
	CHILD_TRUE(fd >= 0);
	CHILD_TRUE(send_fd(sv[0], fd));
	close(fd);
	for (;;) {
		struct {
			mach_msg_header_t h;
			mach_msg_body_t b;
			mach_msg_ool_descriptor_t ool;
			mach_msg_port_descriptor_t port;
			mach_msg_max_trailer_t t;
		} m;

		CHILD_EQ(MACH_MSG_SUCCESS, mach_msg(&m.h, MACH_RCV_MSG, 0, sizeof(m), p, 0,
						    MACH_PORT_NULL));
		CHILD_EQ(KERN_SUCCESS, vm_deallocate(mach_task_self(), (vm_address_t)m.ool.address,
						     m.ool.size));
		CHILD_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), m.port.name));
		CHILD_EQ(MACH_MSG_SUCCESS, report(m.h.msgh_remote_port, MACH_MSG_TYPE_MOVE_SEND_ONCE,
						  MACH_PORT_NULL, 0, 7));
		if (++trips == 100) {
			printf("TRAFFIC-READY\n");
			fflush(stdout);
		}
	}
}

__attribute__((constructor)) static void run_helper(void)
{
	char buf[1024], *argv[8], *p;
	int fd, argc = 0;
	ssize_t len;

	fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return;
	buf[len] = 0;
	for (p = buf; p < buf + len && argc < 8; p += strlen(p) + 1)
		argv[argc++] = p;
	if (argc < 3 || strcmp(argv[1], HELPER_ARG) != 0)
		return;
	/* This may run before libmach's own constructor: its self ports. */
	mach_task_self_ = task_self_trap();
	bootstrap_port = MACH_PORT_NULL;
	task_get_special_port(mach_task_self_, TASK_BOOTSTRAP_PORT, &bootstrap_port);
	if (!strcmp(argv[2], "setid"))
		helper_setid(argc, argv);
	if (!strcmp(argv[2], "send"))
		helper_send(argc, argv);
	if (!strcmp(argv[2], "traffic"))
		helper_traffic();
	_exit(31);
}

/* ---------------------------------------------------------------------- */

FIXTURE(tasks) {
	struct stats base;
};

FIXTURE_SETUP(tasks)
{
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
	TAKE_BASELINE(&self->base);
}

FIXTURE_TEARDOWN(tasks)
{
	kill_children();
}

/* ====================================================================== */
/* Set-id exec. */

#define SUID_BUSYBOX "/tmp/suid-bb"
#define SUID_SELF "/tmp/machipc_hostile_tasks_suid"

/* Pipes between the test (T), the process that execs (A) and its child C. */
struct setid_pipes {
	int c2t[2], t2c[2], t2a[2];
};

/* The holder's first look after the exec is a MIG request (see below). */
static bool holder_mig_first;

/*
 * A task_get_special_port request (3409) sent with mach_msg to A's old
 * task port, as the first thing after A's set-id exec: the task does not
 * answer. XNU's send fails (the port died at the exec); machipc sees the
 * exec at the request, which then went to a port that died after its
 * copyin: it is destroyed unserved, and the send-once reply right comes
 * back as a send-once notification (MIG_SERVER_DIED for a MIG client).
 */
static void mig_to_old_task_port(mach_port_name_t a, int *fails)
{
	union {
		struct {
			mach_msg_header_t h;
			NDR_record_t ndr;
			int which;
		} req;
		mach_msg_header_t h;
		char b[256];
	} m;
	mach_port_name_t reply = new_port();
	mach_msg_return_t mr;

	memset(&m, 0, sizeof(m));
	m.req.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.req.h.msgh_size = sizeof(m.req);
	m.req.h.msgh_remote_port = a;
	m.req.h.msgh_local_port = reply;
	m.req.h.msgh_id = 3409;
	m.req.ndr = NDR_record;
	m.req.which = TASK_HOST_PORT;
	/* The reply (or what comes instead) is received into the same buffer. */
	mr = mach_msg(&m.h, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, sizeof(m.req),
		      sizeof(m), reply, 10000, MACH_PORT_NULL);
	if (mr != MACH_SEND_INVALID_DEST) {
		SOFT_EQ(*fails, MACH_MSG_SUCCESS, mr);
		SOFT_EQ(*fails, MACH_NOTIFY_SEND_ONCE, m.h.msgh_id);
	}
	mach_port_mod_refs(mach_task_self(), reply, MACH_PORT_RIGHT_RECEIVE, -1);
}

/*
 * C, A's child (uid 1000): holds a send right to A's task port (its
 * bootstrap port, inherited), which works while A is unprivileged. After
 * A's set-id exec -- before A has made any Mach call -- the right is a
 * dead name: C cannot list A's names, take A's receive right or its host
 * port, and its own host port does not set host special ports.
 */
static void holder(struct setid_pipes *sp, mach_port_name_t secret)
{
	mach_port_name_t a = bootstrap_port, got = MACH_PORT_NULL, h;
	mach_msg_type_name_t gt;
	unsigned n = 0;
	int fails = 0;

	CHILD_EQ(IKOT_TASK, kobject_of(mach_task_self(), a));
	CHILD_EQ(KERN_SUCCESS, names_count(a, &n));
	CHILD_TRUE(n >= 2);
	CHILD_EQ(KERN_SUCCESS, mach_port_extract_right(a, secret, MACH_MSG_TYPE_MAKE_SEND, &got,
						       &gt));
	CHILD_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), got));
	CHILD_PUT(sp->c2t[1], 1);
	CHILD_EQ(2, CHILD_GET(sp->t2c[0]));
	/* A ran a setuid-root program: its old task port is dead, from the
	 * first call on (all of them are checked). */
	if (holder_mig_first)
		mig_to_old_task_port(a, &fails);
	SOFT_EQ(fails, MACH_SEND_INVALID_DEST, names_count(a, &n));
	SOFT_EQ(fails, MACH_SEND_INVALID_DEST, names_count(a, &n));
	SOFT_EQ(fails, MACH_PORT_TYPE_DEAD_NAME, type_of(a));
	SOFT_EQ(fails, MACH_SEND_INVALID_DEST,
		mach_port_extract_right(a, secret, MACH_MSG_TYPE_MOVE_RECEIVE, &got, &gt));
	SOFT_EQ(fails, MACH_SEND_INVALID_DEST,
		mach_port_extract_right(a, secret, MACH_MSG_TYPE_MAKE_SEND, &got, &gt));
	SOFT_EQ(fails, MACH_SEND_INVALID_DEST, task_get_special_port(a, TASK_HOST_PORT, &h));
	SOFT_EQ(fails, MACH_SEND_INVALID_DEST, mach_port_allocate(a, MACH_PORT_RIGHT_RECEIVE, &got));
	/* Our own host port is the plain one: no host_set_special_port. */
	h = mach_host_self();
	SOFT_EQ(fails, IKOT_HOST, kobject_of(mach_task_self(), h));
	SOFT_EQ(fails, KERN_INVALID_ARGUMENT,
		host_set_special_port(h, HOST_USER_NOTIFICATION_PORT, MACH_PORT_NULL));
	if (fails)
		_exit(1);
	CHILD_PUT(sp->c2t[1], 3);
	_exit(0);
}

/* A (uid 1000): gives its task port to its child, then execs `path`. */
static void execs_setid(struct setid_pipes *sp, const char *path, bool self_helper)
{
	mach_port_name_t secret = new_port(), old = mach_task_self();
	char sold[32], ssecret[32];
	pid_t c;

	become_user(SOMEONE);
	CHILD_TRUE(MACH_PORT_VALID(secret));
	/* The descriptor survives the exec: the task does. */
	CHILD_EQ(0, fcntl(machipc_fd(), F_GETFD) & FD_CLOEXEC);
	if (!self_helper) {
		/* The child's bootstrap port: our task port. */
		CHILD_EQ(KERN_SUCCESS, set_bootstrap(mach_task_self()));
		fflush(stdout);
		fflush(stderr);
		c = fork();
		CHILD_TRUE(c >= 0);
		if (c == 0)
			holder(sp, secret);
	}
	CHILD_EQ(1, CHILD_GET(sp->t2a[0]));
	snprintf(sold, sizeof(sold), "0x%x", old);
	snprintf(ssecret, sizeof(ssecret), "0x%x", secret);
	if (self_helper)
		execl(path, "machipc_hostile_tasks_suid", HELPER_ARG, "setid", sold, ssecret,
		      (char *)NULL);
	else
		execl(path, "sleep", "1000", (char *)NULL);
	_exit(20);
}

static bool setid_pipes_open(struct setid_pipes *sp)
{
	return !pipe2(sp->c2t, O_CLOEXEC) && !pipe2(sp->t2c, O_CLOEXEC) &&
	       !pipe2(sp->t2a, O_CLOEXEC);
}

/*
 * Process A (uid 1000) gives its task port to its child C, then execs a
 * setuid-root program that makes no Mach call (busybox sleep, with the
 * /dev/mach descriptor kept open: the task lives on). Found when C looks
 * the port up: C's right is dead (XNU resets the task port at a set-id
 * exec, ipc_task_reset).
 */
static void setid_exec_with_holder(struct __test_metadata *_metadata,
				   FIXTURE_DATA(tasks) *self, bool mig_first)
{
	long long resets = stat_in(&self->base, "task_resets_total");
	struct setid_pipes sp;
	uint32_t v = 0;
	pid_t a;

	holder_mig_first = mig_first;
	if (access("/bin/busybox", X_OK))
		SKIP(return, "no /bin/busybox for the setuid-root program");
	ASSERT_TRUE(copy_file("/bin/busybox", SUID_BUSYBOX, 04755));
	ASSERT_TRUE(setid_pipes_open(&sp));
	fflush(stdout);
	fflush(stderr);
	a = fork();
	ASSERT_LE(0, a);
	if (a == 0)
		execs_setid(&sp, SUID_BUSYBOX, false);
	close(sp.c2t[1]);
	ASSERT_TRUE(get(sp.c2t[0], &v)) TH_LOG("the holder failed before the exec");
	ASSERT_EQ(1U, v);
	ASSERT_TRUE(put(sp.t2a[1], 1));
	/* A runs the setuid program: it sleeps in it. */
	ASSERT_TRUE(POLL_UNTIL(sleeping(a), BLOCK_WAIT_MS))
		TH_LOG("the setuid program did not start");
	ASSERT_TRUE(put(sp.t2c[1], 2));
	EXPECT_TRUE(get(sp.c2t[0], &v) && v == 3) TH_LOG("the holder's checks failed");
	EXPECT_LT(resets, stat_now("task_resets_total"));
	kill(a, SIGKILL);
	EXPECT_KILLED(wait_gone(a, TEARDOWN_WAIT_MS));
	kill_children();
	unlink(SUID_BUSYBOX);
	EXPECT_STATS_AT_BASELINE(&self->base);
}

TEST_F_TIMEOUT(tasks, setid_exec_kills_old_task_port_for_holders, 300)
{
	setid_exec_with_holder(_metadata, self, false);
}

/* The same, the holder's first look being a MIG request sent to the old
 * port: the task does not answer it. */
TEST_F_TIMEOUT(tasks, setid_exec_old_task_port_answers_no_mig_request, 300)
{
	setid_exec_with_holder(_metadata, self, true);
}

/*
 * The exec'ing side: after the set-id exec the task has a new task port,
 * the old name is a dead name, the space and the bootstrap port are
 * kept, and the host port is host-priv (the helper checks, and reports
 * to our port -- its bootstrap port -- with the token of a set-id root
 * process of uid 1000).
 */
static void setid_owner(struct __test_metadata *_metadata, long arg)
{
	mach_port_name_t tb = port_with_send(0);
	struct setid_pipes sp;
	struct audited m;
	int status;
	pid_t a;

	(void)arg;
	ASSERT_TRUE(MACH_PORT_VALID(tb));
	ASSERT_TRUE(copy_file("/proc/self/exe", SUID_SELF, 04755));
	ASSERT_TRUE(setid_pipes_open(&sp));
	ASSERT_EQ(KERN_SUCCESS, set_bootstrap(tb));
	fflush(stdout);
	fflush(stderr);
	a = fork();
	ASSERT_LE(0, a);
	if (a == 0)
		execs_setid(&sp, SUID_SELF, true);
	ASSERT_TRUE(put(sp.t2a[1], 1));
	status = wait_gone(a, TEARDOWN_WAIT_MS);
	unlink(SUID_SELF);
	if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 77)
		SKIP(return, "setuid programs do not run here");
	EXPECT_EXITED_OK(status);
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_audited(tb, &m, WAIT_MS));
	EXPECT_EQ(HELPER_MSG_ID, m.h.msgh_id);
	EXPECT_EQ(0U, audit_token_to_euid(m.t.msgh_audit));
	EXPECT_EQ(SOMEONE, audit_token_to_ruid(m.t.msgh_audit));
	EXPECT_EQ((unsigned)a, (unsigned)audit_token_to_pid(m.t.msgh_audit));
}

TEST_F_TIMEOUT(tasks, setid_exec_gives_new_task_port_keeps_space_and_bootstrap, 300)
{
	IN_CHILD_TASK(setid_owner, 0);
	EXPECT_STATS_AT_BASELINE(&self->base);
}

/* ====================================================================== */
/* A thread-group leader that exits while other threads run. */

FIXTURE(leader) {
	struct stats base;
};

FIXTURE_VARIANT(leader) {
	bool traced;	/* the test ptrace-attaches to the leader */
	bool setuid;	/* starts as root; a survivor setuid()s to nobody */
};

FIXTURE_VARIANT_ADD(leader, untraced) { .traced = false, .setuid = false };
FIXTURE_VARIANT_ADD(leader, traced) { .traced = true, .setuid = false };
FIXTURE_VARIANT_ADD(leader, setuid_after) { .traced = false, .setuid = true };

FIXTURE_SETUP(leader)
{
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
	TAKE_BASELINE(&self->base);
}

FIXTURE_TEARDOWN(leader)
{
	kill_children();
}

struct survivor {
	int rd, wr;
	bool setuid;
	pid_t leader;
};

/* Mach calls that must all work while the process lives: a port made,
 * a message sent and received, names listed, the port destroyed. */
static int mach_calls_work(int rounds)
{
	int bad = 0, i;

	for (i = 0; i < rounds; i++) {
		mach_port_name_t p = port_with_send(0);
		struct audited m;
		unsigned n;

		if (!MACH_PORT_VALID(p)) {
			bad++;
			continue;
		}
		if (report(p, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, i) != MACH_MSG_SUCCESS)
			bad++;
		if (recv_audited(p, &m, WAIT_MS) != MACH_MSG_SUCCESS || m.h.msgh_id != i)
			bad++;
		if (names_count(mach_task_self(), &n) != KERN_SUCCESS)
			bad++;
		if (mach_port_destroy(mach_task_self(), p) != KERN_SUCCESS)
			bad++;
		if (!MACH_PORT_VALID(task_self_trap()))
			bad++;
	}
	return bad;
}

static void *survivor_thread(void *arg)
{
	struct survivor *s = arg;
	mach_port_name_t h;
	uint32_t bad;

	/* The leader is a zombie: the process lives on in us. */
	if (!POLL_UNTIL(thread_state(getpid(), s->leader) == 'Z', BLOCK_WAIT_MS))
		_exit(40);
	CHILD_PUT(s->wr, 1);
	CHILD_EQ(2, CHILD_GET(s->rd));
	bad = (uint32_t)mach_calls_work(50);
	if (s->setuid) {
		/* New credentials after the leader's exit: the task follows. */
		become_user(NOBODY);
		h = mach_host_self();
		if (kobject_of(mach_task_self(), h) != IKOT_HOST)
			bad += 1000;
		bad += (uint32_t)mach_calls_work(10);
	}
	CHILD_PUT(s->wr, 3);
	CHILD_PUT(s->wr, bad);
	CHILD_EQ(4, CHILD_GET(s->rd));
	exit(0);
}

/*
 * The leader of a process calls pthread_exit() while another thread keeps
 * calling Mach: the task lives (every call works; its task port, held by
 * the test, stays a live task port) until the whole process is gone, and
 * then it dies. Traced: with the test ptrace-attached to the leader (the
 * leader's exit then notifies the tracer). Setuid: the survivor changes
 * its credentials and asks for its host port.
 */
static void leader_exits(struct __test_metadata *_metadata, long arg)
{
	const FIXTURE_VARIANT(leader) *variant = (const void *)arg;
	struct survivor s;
	uint32_t v = 0, bad = 0;
	struct kid k;
	unsigned n;
	int status;

	ASSERT_EQ(KERN_SUCCESS, set_bootstrap(mach_task_self()));
	ASSERT_LE(0, kid_fork(&k));
	if (k.pid == 0) {
		pthread_t th;

		CHILD_EQ(KERN_SUCCESS, mach_port_insert_right(bootstrap_port, CHILD_TASK_NAME,
							      mach_task_self(),
							      MACH_MSG_TYPE_COPY_SEND));
		if (!variant->setuid)
			become_user(NOBODY);
		s = (struct survivor){ .rd = k.rd, .wr = k.wr, .setuid = variant->setuid,
				       .leader = getpid() };
		CHILD_PUT(k.wr, 0);
		/* Traced by now, if the variant says so. */
		CHILD_EQ(5, CHILD_GET(k.rd));
		CHILD_EQ(0, pthread_create(&th, NULL, survivor_thread, &s));
		pthread_exit(NULL);
	}
	ASSERT_TRUE(get(k.rd, &v));
	ASSERT_EQ(0U, v);
	ASSERT_EQ(MACH_PORT_TYPE_SEND, type_of(CHILD_TASK_NAME));
	if (variant->traced)
		ASSERT_EQ(0, ptrace(PTRACE_SEIZE, k.pid, 0, 0));
	ASSERT_TRUE(put(k.wr, 5));
	ASSERT_TRUE(get(k.rd, &v)) TH_LOG("the leader did not exit");
	ASSERT_EQ(1U, v);
	/* The leader is gone, the process is not: its task is alive. */
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_of(CHILD_TASK_NAME));
	EXPECT_EQ(IKOT_TASK, kobject_of(mach_task_self(), CHILD_TASK_NAME));
	EXPECT_EQ(KERN_SUCCESS, names_count(CHILD_TASK_NAME, &n));
	ASSERT_TRUE(put(k.wr, 2));
	ASSERT_TRUE(get(k.rd, &v));
	ASSERT_EQ(3U, v);
	ASSERT_TRUE(get(k.rd, &bad));
	EXPECT_EQ(0U, bad) TH_LOG("%u Mach calls failed after the leader's exit", bad);
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_of(CHILD_TASK_NAME));
	EXPECT_EQ(KERN_SUCCESS, names_count(CHILD_TASK_NAME, &n));
	ASSERT_TRUE(put(k.wr, 4));
	/* The last thread exits: now the task dies. */
	status = wait_gone(k.pid, TEARDOWN_WAIT_MS);
	EXPECT_EXITED_OK(status);
	EXPECT_TRUE(POLL_UNTIL(type_of(CHILD_TASK_NAME) == MACH_PORT_TYPE_DEAD_NAME, BLOCK_WAIT_MS));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), CHILD_TASK_NAME));
	close(k.rd);
	close(k.wr);
}

TEST_F_TIMEOUT(leader, task_lives_until_last_thread_exits, 300)
{
	IN_CHILD_TASK(leader_exits, (long)variant);
	EXPECT_STATS_AT_BASELINE(&self->base);
}

/* ====================================================================== */
/* Opens racing the last close; allocation failures in the open path. */

/* Closes every /dev/mach descriptor of ours (libmach's too: the caller
 * makes no more libmach calls). */
static void close_mach_descriptors(void)
{
	struct stat dev, st;
	int fd;

	if (stat("/dev/mach", &dev))
		return;
	for (fd = 0; fd < 1024; fd++)
		if (!fstat(fd, &st) && S_ISCHR(st.st_mode) && st.st_rdev == dev.st_rdev)
			close(fd);
}

static int port_op(int fd, struct machipc_port_op *o)
{
	o->kr = -1;
	return ioctl(fd, MACHIPC_IOC_PORT_OP, o);
}

/* An ioctl that failed: errno, as a code no Mach call returns. */
#define IOCTL_FAILED(err) (0x7e000000 | (err))

/* On a descriptor of ours: the task works (task_self, then a port
 * allocated in it). The Mach code of the first failure (from the second
 * call: + 0x100000), IOCTL_FAILED(errno), or 0. */
static kern_return_t task_works(int fd)
{
	struct machipc_port_op o = { .op = MACHIPC_OP_TASK_SELF };
	mach_port_name_t self;

	if (port_op(fd, &o))
		return IOCTL_FAILED(errno);
	if (o.kr)
		return o.kr;
	self = o.name;
	o = (struct machipc_port_op){ .op = MACHIPC_OP_ALLOCATE, .task = self,
				      .arg = MACH_PORT_RIGHT_RECEIVE };
	if (port_op(fd, &o))
		return IOCTL_FAILED(errno);
	return o.kr ? o.kr + 0x100000 : 0;
}

struct racer {
	atomic_int go;		/* round number to close in */
	atomic_int done;	/* last round closed */
	int fd;
};

static void *closer(void *arg)
{
	struct racer *r = arg;
	int round = 0;

	for (;;) {
		int g;

		while ((g = atomic_load(&r->go)) == round)
			sched_yield();
		if (g < 0)
			return NULL;
		round = g;
		close(r->fd);
		atomic_store(&r->done, round);
	}
}

#define RACE_ROUNDS 3000

/* Opens /dev/mach while another thread closes the process's only other
 * descriptor; counts the opens whose task did not work. */
static void open_close_race(long arg, int rd, int wr)
{
	struct racer r = { .go = 0, .done = 0 };
	uint32_t invalid = 0, other = 0, opened_late = 0;
	pthread_t th;
	int round;

	(void)arg;
	(void)rd;
	close_mach_descriptors();
	CHILD_EQ(0, pthread_create(&th, NULL, closer, &r));
	for (round = 1; round <= RACE_ROUNDS; round++) {
		kern_return_t kr;
		int fd2;

		r.fd = open("/dev/mach", O_RDWR | O_CLOEXEC);
		CHILD_TRUE(r.fd >= 0);
		atomic_store(&r.go, round);
		fd2 = open("/dev/mach", O_RDWR | O_CLOEXEC);
		if (fd2 < 0) {
			opened_late++;
			continue;
		}
		kr = task_works(fd2);
		if (kr == KERN_INVALID_TASK || kr == KERN_INVALID_TASK + 0x100000)
			invalid++;
		else if (kr != KERN_SUCCESS)
			other++;
		if (kr != KERN_SUCCESS && invalid + other <= 10)
			fprintf(stderr, "# round %d: the new descriptor's task: 0x%x\n", round, kr);
		while (atomic_load(&r.done) != round)
			sched_yield();
		close(fd2);
	}
	atomic_store(&r.go, -1);
	pthread_join(th, NULL);
	CHILD_PUT(wr, invalid);
	CHILD_PUT(wr, other);
	CHILD_PUT(wr, opened_late);
}

/*
 * An open of /dev/mach racing the process's last close gets a task that
 * works -- the one still alive or a new one -- never one being killed
 * (KERN_INVALID_TASK), in 3,000 tries.
 */
TEST_F_TIMEOUT(tasks, open_racing_last_close_gets_a_live_task, 600)
{
	uint32_t invalid = 1, other = 1, failed = 1;
	struct kid k;

	ASSERT_LE(0, kid_fork(&k));
	if (k.pid == 0) {
		become_user(NOBODY);
		open_close_race(0, k.rd, k.wr);
		_exit(0);
	}
	ASSERT_TRUE(get(k.rd, &invalid));
	ASSERT_TRUE(get(k.rd, &other));
	ASSERT_TRUE(get(k.rd, &failed));
	EXPECT_EQ(0U, invalid) TH_LOG("%u of %u opens got a dying task", invalid, RACE_ROUNDS);
	EXPECT_EQ(0U, other) TH_LOG("%u of %u opens got a task that did not work", other,
				    RACE_ROUNDS);
	EXPECT_EQ(0U, failed);
	EXPECT_EXITED_OK(wait_gone(k.pid, TEARDOWN_WAIT_MS));
	close(k.rd);
	close(k.wr);
	EXPECT_STATS_AT_BASELINE(&self->base);
}

/*
 * A task's exit work queued when its process exits, and the task's last
 * file closed (by a child that inherited the descriptor) before the work
 * ran: the close cancels the work, and the reference the queued work held
 * must go with it, or the task, its space and its ports are never freed.
 * EXIT_PAIRS processes exit at once, each watched through a pidfd by the
 * child holding its descriptor, which closes it the moment the parent's
 * exit is signalled (the same wake-up queues the task's exit work).
 */
#define EXIT_ROUNDS 40
#define EXIT_PAIRS 12

/* The holder: A's child, with A's /dev/mach descriptor `fd`. */
static void exit_close_holder(int fd, int ready)
{
	int pfd = (int)syscall(SYS_pidfd_open, getppid(), 0);
	struct pollfd p = { .fd = pfd, .events = POLLIN };

	if (pfd < 0)
		_exit(10);
	if (!put(ready, 0))
		_exit(11);
	close(ready);
	while (poll(&p, 1, 60000) < 0 && errno == EINTR)
		;
	close(fd);
	_exit(0);
}

/* One round: EXIT_PAIRS processes open /dev/mach and fork a holder; all
 * exit when `go` closes. */
static void exit_close_round(void)
{
	int go[2], ready[2], i;
	uint32_t v;
	pid_t pid;

	CHILD_EQ(0, pipe(go));
	CHILD_EQ(0, pipe(ready));
	for (i = 0; i < EXIT_PAIRS; i++) {
		pid = fork();
		CHILD_TRUE(pid >= 0);
		if (pid == 0) {
			int fd = open("/dev/mach", O_RDWR);
			char c;

			close(go[1]);
			close(ready[0]);
			if (fd < 0)
				_exit(12);
			pid = fork();
			if (pid < 0)
				_exit(13);
			if (pid == 0) {
				close(go[0]);
				exit_close_holder(fd, ready[1]);
			}
			/* The holder says it watches us; then we wait for go. */
			if (read(go[0], &c, 1) < 0)
				_exit(14);
			_exit(0);
		}
	}
	close(ready[1]);
	for (i = 0; i < EXIT_PAIRS; i++)
		CHILD_TRUE(get(ready[0], &v));
	close(ready[0]);
	close(go[0]);
	close(go[1]);
	/* Reap the openers and their holders (orphaned to us, a subreaper). */
	for (i = 0; i < 2 * EXIT_PAIRS; i++) {
		int status;

		CHILD_TRUE(waitpid(-1, &status, 0) > 0);
		CHILD_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
}

TEST_F_TIMEOUT(tasks, last_close_cancelling_exit_work_frees_the_task, 600)
{
	struct kid k;
	int r;

	ASSERT_LE(0, kid_fork(&k));
	if (k.pid == 0) {
		become_user(NOBODY);
		CHILD_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
		for (r = 0; r < EXIT_ROUNDS; r++)
			exit_close_round();
		_exit(0);
	}
	EXPECT_EXITED_OK(wait_gone(k.pid, TEARDOWN_WAIT_MS));
	close(k.rd);
	close(k.wr);
	EXPECT_STATS_AT_BASELINE(&self->base);
}

static bool read_line(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		return false;
	r = read(fd, buf, n - 1);
	close(fd);
	if (r <= 0)
		return false;
	buf[r] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return true;
}

static bool write_line(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		return false;
	r = write(fd, s, strlen(s));
	close(fd);
	return r == (ssize_t)strlen(s);
}

/* ====================================================================== */
/* Audit tokens in user and pid namespaces. */

/* The innermost process, pid 1 of a new pid namespace, uid 0 of a new
 * user namespace (uid 1000 outside): what it receives is in its terms. */
static void ns_init(mach_port_name_t outside, mach_port_name_t own)
{
	struct audited m;
	audit_token_t t;
	pid_t sib;
	int status;

	CHILD_EQ(1, getpid());
	CHILD_EQ(0, getuid());
	/* From itself: uid 0, pid 1. */
	CHILD_EQ(MACH_MSG_SUCCESS, report(own, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, 10));
	CHILD_EQ(MACH_MSG_SUCCESS, recv_audited(own, &m, WAIT_MS));
	t = m.t.msgh_audit;
	CHILD_EQ(0, audit_token_to_euid(t));
	CHILD_EQ(0, audit_token_to_ruid(t));
	CHILD_EQ(0, audit_token_to_egid(t));
	CHILD_EQ(0, audit_token_to_rgid(t));
	CHILD_EQ(1, audit_token_to_pid(t));
	CHILD_EQ(0, m.t.msgh_sender.val[0]);
	/* To the test, outside, with a reply port. */
	CHILD_EQ(MACH_MSG_SUCCESS, report(outside, MACH_MSG_TYPE_COPY_SEND, own,
					  MACH_MSG_TYPE_MAKE_SEND_ONCE, 11));
	/* The test's reply: root outside is no one here (the overflow ids),
	 * and its pid is not in our namespace (0). */
	CHILD_EQ(MACH_MSG_SUCCESS, recv_audited(own, &m, WAIT_MS));
	CHILD_EQ(12, m.h.msgh_id);
	t = m.t.msgh_audit;
	CHILD_EQ(65534, audit_token_to_euid(t));
	CHILD_EQ(65534, audit_token_to_ruid(t));
	CHILD_EQ(65534, audit_token_to_egid(t));
	CHILD_EQ(65534, audit_token_to_rgid(t));
	CHILD_EQ(0, audit_token_to_pid(t));
	CHILD_EQ(65534, m.t.msgh_sender.val[0]);
	/* A sibling in the namespace: its pid as we see it. */
	CHILD_EQ(KERN_SUCCESS, set_bootstrap(own));
	fflush(stdout);
	fflush(stderr);
	sib = fork();
	CHILD_TRUE(sib >= 0);
	if (sib == 0) {
		CHILD_EQ(MACH_MSG_SUCCESS, report(bootstrap_port, MACH_MSG_TYPE_COPY_SEND,
						  MACH_PORT_NULL, 0, 13));
		_exit(0);
	}
	CHILD_EQ(MACH_MSG_SUCCESS, recv_audited(own, &m, WAIT_MS));
	CHILD_EQ(13, m.h.msgh_id);
	CHILD_EQ(sib, audit_token_to_pid(m.t.msgh_audit));
	CHILD_EQ(0, audit_token_to_euid(m.t.msgh_audit));
	CHILD_EQ(sib, waitpid(sib, &status, 0));
	CHILD_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	_exit(0);
}

static bool write_proc(const char *file, const char *s)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/%s", file);
	return write_line(path, s);
}

/* uid 1000: a message from the initial namespaces, then into new user
 * and pid namespaces, where pid 1 runs ns_init. */
static void ns_parent(int rd, int wr)
{
	char map[32];
	pid_t g;
	int status;

	(void)rd;
	become_user(SOMEONE);
	CHILD_EQ(MACH_MSG_SUCCESS, report(bootstrap_port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL,
					  0, 1));
	if (unshare(CLONE_NEWUSER | CLONE_NEWPID)) {
		fprintf(stderr, "# unshare: %s\n", strerror(errno));
		_exit(77);
	}
	snprintf(map, sizeof(map), "0 %u 1", SOMEONE);
	CHILD_TRUE(write_proc("setgroups", "deny"));
	CHILD_TRUE(write_proc("uid_map", map));
	CHILD_TRUE(write_proc("gid_map", map));
	fflush(stdout);
	fflush(stderr);
	g = fork();
	CHILD_TRUE(g >= 0);
	if (g == 0) {
		mach_port_name_t own = port_with_send(0);

		CHILD_TRUE(MACH_PORT_VALID(own));
		ns_init(bootstrap_port, own);
	}
	/* Its pid as the test sees it (ours is the initial namespace). */
	CHILD_PUT(wr, g);
	CHILD_EQ(g, waitpid(g, &status, 0));
	CHILD_TRUE(WIFEXITED(status));
	_exit(WEXITSTATUS(status));
}

/*
 * Audit tokens say who sent a message in the receiver's terms: a sender
 * in a new user namespace (uid 0 there, 1000 outside) and a new pid
 * namespace (pid 1 there) is uid 1000 with its global pid to the test;
 * the test is the overflow uid and pid 0 (invisible) to it; it sees
 * itself and its siblings with the ids of its namespaces. The pid-version
 * slot differs between the two processes.
 */
static void audit_in_namespaces(struct __test_metadata *_metadata, long arg)
{
	mach_port_name_t r = port_with_send(0);
	struct audited m;
	audit_token_t t;
	uint32_t g = 0, pv1;
	struct kid k;
	int status;

	(void)arg;
	ASSERT_TRUE(MACH_PORT_VALID(r));
	ASSERT_EQ(KERN_SUCCESS, set_bootstrap(r));
	ASSERT_LE(0, kid_fork(&k));
	if (k.pid == 0)
		ns_parent(k.rd, k.wr);
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_audited(r, &m, WAIT_MS));
	EXPECT_EQ(1, m.h.msgh_id);
	t = m.t.msgh_audit;
	EXPECT_EQ(SOMEONE, audit_token_to_euid(t));
	EXPECT_EQ((unsigned)k.pid, (unsigned)audit_token_to_pid(t));
	pv1 = (uint32_t)audit_token_to_pidversion(t);
	if (!get(k.rd, &g)) {
		status = wait_gone(k.pid, TEARDOWN_WAIT_MS);
		if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 77)
			SKIP(return, "no user or pid namespaces here");
		ASSERT_TRUE(0) TH_LOG("the namespace setup failed");
	}
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_audited(r, &m, WAIT_MS));
	EXPECT_EQ(11, m.h.msgh_id);
	t = m.t.msgh_audit;
	EXPECT_EQ(SOMEONE, audit_token_to_euid(t));
	EXPECT_EQ(SOMEONE, audit_token_to_ruid(t));
	EXPECT_EQ(SOMEONE, audit_token_to_egid(t));
	EXPECT_EQ(SOMEONE, audit_token_to_rgid(t));
	EXPECT_EQ(SOMEONE, m.t.msgh_sender.val[0]);
	EXPECT_EQ(g, (uint32_t)audit_token_to_pid(t));
	EXPECT_NE(pv1, (uint32_t)audit_token_to_pidversion(t));
	/* The reply, to the send-once right it gave. */
	EXPECT_EQ(PORT_SEND_ONCE, MACH_MSGH_BITS_REMOTE(m.h.msgh_bits));
	EXPECT_EQ(MACH_MSG_SUCCESS, report(m.h.msgh_remote_port, MACH_MSG_TYPE_MOVE_SEND_ONCE,
					   MACH_PORT_NULL, 0, 12));
	EXPECT_EXITED_OK(wait_gone(k.pid, TEARDOWN_WAIT_MS));
	close(k.rd);
	close(k.wr);
}

TEST_F_TIMEOUT(tasks, audit_token_in_receivers_user_and_pid_namespace, 300)
{
	IN_CHILD_TASK(audit_in_namespaces, 0);
	EXPECT_STATS_AT_BASELINE(&self->base);
}

/* A process with pid `pid` (clone3's set_tid) that execs this binary to
 * send one message (id `id`) to its bootstrap port; its pid, or -errno. */
static pid_t spawn_with_pid(pid_t pid, int id)
{
	struct clone_args ca;
	char sid[16];
	long r;

	memset(&ca, 0, sizeof(ca));
	ca.exit_signal = SIGCHLD;
	ca.set_tid = (uint64_t)(uintptr_t)&pid;
	ca.set_tid_size = 1;
	fflush(stdout);
	fflush(stderr);
	r = syscall(SYS_clone3, &ca, sizeof(ca));
	if (r < 0)
		return -errno;
	if (r == 0) {
		snprintf(sid, sizeof(sid), "%d", id);
		execl("/proc/self/exe", "machipc_hostile_tasks", HELPER_ARG, "send", sid,
		      (char *)NULL);
		_exit(20);
	}
	return (pid_t)r;
}

/*
 * The pid-version slot of the audit token (val[7]) tells two processes
 * with the same pid apart, as on macOS: two senders, one after the other,
 * get the same pid (clone3 with set_tid) and different pid versions.
 */
static void audit_pid_reuse(struct __test_metadata *_metadata, long arg)
{
	mach_port_name_t r = port_with_send(0);
	uint32_t pv[2];
	struct audited m;
	int i, status;
	pid_t pid, got;

	(void)arg;
	ASSERT_TRUE(MACH_PORT_VALID(r));
	ASSERT_EQ(KERN_SUCCESS, set_bootstrap(r));
	/* A pid just freed. */
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(0);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	for (i = 0; i < 2; i++) {
		got = spawn_with_pid(pid, 100 + i);
		if (got == -ENOSYS || got == -EPERM || got == -EINVAL)
			SKIP(return, "clone3 with set_tid is not available (%d)", -got);
		ASSERT_EQ(pid, got) TH_LOG("clone3: %s", strerror(-got));
		EXPECT_EXITED_OK(wait_gone(got, TEARDOWN_WAIT_MS));
		ASSERT_EQ(MACH_MSG_SUCCESS, recv_audited(r, &m, WAIT_MS));
		EXPECT_EQ(100 + i, m.h.msgh_id);
		EXPECT_EQ(pid, audit_token_to_pid(m.t.msgh_audit));
		pv[i] = (uint32_t)audit_token_to_pidversion(m.t.msgh_audit);
	}
	EXPECT_NE(pv[0], pv[1]);
}

TEST_F_TIMEOUT(tasks, audit_pid_version_differs_when_pid_is_reused, 300)
{
	IN_CHILD_TASK(audit_pid_reuse, 0);
	EXPECT_STATS_AT_BASELINE(&self->base);
}

/*
 * XNU bumps p_idversion at every exec (exec_handle_sugid), so the
 * pid-version slot tells a server that a process it knows has exec'd
 * since: a process sends, execs (the task survives), sends again; same
 * pid, another pid version.
 */
static void audit_across_exec(struct __test_metadata *_metadata, long arg)
{
	mach_port_name_t r = port_with_send(0);
	uint32_t pv[2];
	struct audited m;
	int i;
	pid_t s;

	(void)arg;
	ASSERT_TRUE(MACH_PORT_VALID(r));
	ASSERT_EQ(KERN_SUCCESS, set_bootstrap(r));
	fflush(stdout);
	fflush(stderr);
	s = fork();
	ASSERT_LE(0, s);
	if (s == 0) {
		become_user(SOMEONE);
		CHILD_EQ(MACH_MSG_SUCCESS, report(bootstrap_port, MACH_MSG_TYPE_COPY_SEND,
						  MACH_PORT_NULL, 0, 200));
		/* The descriptor stays open: the same task after the exec. */
		CHILD_EQ(0, fcntl(machipc_fd(), F_GETFD) & FD_CLOEXEC);
		execl("/proc/self/exe", "machipc_hostile_tasks", HELPER_ARG, "send", "201",
		      (char *)NULL);
		_exit(20);
	}
	EXPECT_EXITED_OK(wait_gone(s, TEARDOWN_WAIT_MS));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(MACH_MSG_SUCCESS, recv_audited(r, &m, WAIT_MS));
		EXPECT_EQ(200 + i, m.h.msgh_id);
		EXPECT_EQ(s, audit_token_to_pid(m.t.msgh_audit));
		EXPECT_EQ(SOMEONE, audit_token_to_euid(m.t.msgh_audit));
		pv[i] = (uint32_t)audit_token_to_pidversion(m.t.msgh_audit);
	}
	EXPECT_NE(pv[0], pv[1]) TH_LOG("pid version 0x%x before and after the exec", pv[0]);
}

TEST_F_TIMEOUT(tasks, audit_pid_version_changes_at_exec, 300)
{
	IN_CHILD_TASK(audit_across_exec, 0);
	EXPECT_STATS_AT_BASELINE(&self->base);
}

/* ====================================================================== */
/* Module removal while another process holds a descriptor. */

static long module_refcnt(void)
{
	char buf[32];

	if (!read_line("/sys/module/machipc/refcnt", buf, sizeof(buf)))
		return -1;
	return strtol(buf, NULL, 10);
}

static bool send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))], c = 'f';
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &mh, 0) == 1;
}

static int recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))], c;
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(sock, &mh, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&mh);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

/* rmmod (busybox, non-blocking): its exit status, -1 if it hangs. */
static int run_rmmod(void)
{
	int status;
	pid_t p;

	fflush(stdout);
	fflush(stderr);
	p = fork();
	if (p < 0)
		return -2;
	if (p == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		execl("/bin/rmmod", "rmmod", "machipc", (char *)NULL);
		execl("/sbin/rmmod", "rmmod", "machipc", (char *)NULL);
		_exit(127);
	}
	status = wait_gone(p, BLOCK_WAIT_MS);
	if (status == -1) {
		kill(p, SIGKILL);
		waitpid(p, NULL, 0);
		return -1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Ping-pong traffic between two threads for `arg` rounds: the bad count. */
static void traffic(long arg, int rd, int wr)
{
	uint32_t bad;

	(void)rd;
	bad = (uint32_t)mach_calls_work((int)arg);
	CHILD_PUT(wr, bad);
}

/*
 * A process opens /dev/mach, passes the descriptor (SCM_RIGHTS) to one
 * that does not use Mach, and exits: its task dies with it, the file
 * lives on in the holder (which cannot use it: EPERM) and holds the
 * module. Removing the module is refused at once (EWOULDBLOCK, also for
 * rmmod), with Mach traffic going on; never a hang or a removal. Once
 * the holder closes it, the module's reference count is back.
 */
TEST_F_TIMEOUT(tasks, module_removal_refused_while_descriptor_held_elsewhere, 300)
{
	struct machipc_version ver = { .abi_version = MACHIPC_ABI_VERSION };
	long before = module_refcnt(), held;
	static const char *const gone[] = {
		"entries", "kmsgs", "send_rights", "send_once_rights", "port_sets",
		"memberships", "request_slots", "threads", "semaphores", "deferred",
		"budget_ports", "budget_kmsgs", "budget_bytes", "budget_requests", NULL,
	};
	int sv[2], status, i, fd, busy = 0;
	const char *off;
	char hc = 0;
	struct kid tk;
	uint32_t v = 0;
	pid_t a, b;

	if (before < 0)
		SKIP(return, "no /sys/module/machipc/refcnt");
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	fflush(stdout);
	fflush(stderr);
	b = fork();
	ASSERT_LE(0, b);
	if (b == 0) {
		/* The holder: no Mach of its own. */
		char c = 0;

		close_mach_descriptors();
		become_user(NOBODY);
		fd = recv_fd(sv[1]);
		CHILD_TRUE(fd >= 0);
		/* The file is another process's task: refused. */
		errno = 0;
		CHILD_EQ(-1, ioctl(fd, MACHIPC_IOC_VERSION, &ver));
		CHILD_EQ(EPERM, errno);
		CHILD_TRUE(write(sv[1], "h", 1) == 1);
		CHILD_TRUE(read(sv[1], &c, 1) == 1);
		close(fd);
		CHILD_TRUE(write(sv[1], "c", 1) == 1);
		_exit(0);
	}
	a = fork();
	ASSERT_LE(0, a);
	if (a == 0) {
		become_user(NOBODY);
		fd = open("/dev/mach", O_RDWR | O_CLOEXEC);
		CHILD_TRUE(fd >= 0);
		CHILD_EQ(KERN_SUCCESS, task_works(fd));
		CHILD_TRUE(send_fd(sv[0], fd));
		_exit(0);
	}
	EXPECT_EXITED_OK(wait_gone(a, TEARDOWN_WAIT_MS));
	ASSERT_EQ(1, read(sv[0], &hc, 1));
	ASSERT_EQ('h', hc);
	/* The process is gone, and its task with it, though its file is
	 * held: the task's rights, names and messages are gone (the dead
	 * task object itself, with its space and ports, stays until the file
	 * is closed). */
	off = stats_wait_some(&self->base, gone, STATS_WAIT_MS);
	EXPECT_TRUE(off == NULL) TH_LOG("statistic %s is not back at its baseline", off);
	held = module_refcnt();
	EXPECT_EQ(before + 1, held);
	/* Only with our own descriptor and the held one counted. */
	ASSERT_LE(2, held) TH_LOG("refcnt %ld: not removing a module nobody holds", held);
	/* Removal attempts for as long as another user's traffic runs. */
	ASSERT_TRUE(attacker(&tk, SOMEONE, 0, traffic, 200));
	for (i = 0; i < 2000; i++) {
		struct pollfd pfd = { .fd = tk.rd, .events = POLLIN };

		errno = 0;
		if (syscall(SYS_delete_module, "machipc", O_NONBLOCK) == 0) {
			/* Removed under our feet: nothing else can run. */
			ASSERT_TRUE(0) TH_LOG("delete_module removed a module in use");
		}
		if (errno == EWOULDBLOCK)
			busy++;
		else
			TH_LOG("delete_module: %s", strerror(errno));
		if (poll(&pfd, 1, 0) == 1) {
			i++;
			break;
		}
	}
	EXPECT_EQ(i, busy);
	status = run_rmmod();
	EXPECT_NE(0, status);
	EXPECT_NE(-1, status) TH_LOG("rmmod hung");
	ASSERT_TRUE(get(tk.rd, &v));
	EXPECT_EQ(0U, v) TH_LOG("%u Mach calls of the traffic failed", v);
	EXPECT_EXITED_OK(wait_gone(tk.pid, TEARDOWN_WAIT_MS));
	close(tk.rd);
	close(tk.wr);
	TH_LOG("%d removal attempts refused while the traffic ran", busy);
	EXPECT_EQ(held, module_refcnt());
	/* The holder lets go. */
	ASSERT_EQ(1, write(sv[0], "x", 1));
	ASSERT_EQ(1, read(sv[0], &hc, 1));
	EXPECT_EQ('c', hc);
	EXPECT_EXITED_OK(wait_gone(b, TEARDOWN_WAIT_MS));
	EXPECT_EQ(before, module_refcnt());
	close(sv[0]);
	close(sv[1]);
	EXPECT_STATS_AT_BASELINE(&self->base);
}

/* ====================================================================== */
/* Allocation failures in the open path. */

#define FAILSLAB "/sys/kernel/debug/failslab"

/*
 * Opens /dev/mach with the n-th slab allocation of the call failing, for
 * n = 1, 2, ... until an open needs fewer: every failed open fails with
 * an errno and leaves nothing behind (the parent checks the statistics
 * after each), every successful one gives a working task.
 */
static void open_with_failures(long arg, int rd, int wr)
{
	char nth[32];
	int n, fd, fail_nth;
	uint32_t opened = 0;

	(void)arg;
	close_mach_descriptors();
	/* Our /proc files are ours again after setuid (fail-nth). */
	CHILD_EQ(0, prctl(PR_SET_DUMPABLE, 1, 0, 0, 0));
	fail_nth = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	CHILD_TRUE(fail_nth >= 0);
	for (n = 1; n < 1000; n++) {
		int err;

		snprintf(nth, sizeof(nth), "%d", n);
		CHILD_TRUE(pwrite(fail_nth, nth, strlen(nth), 0) == (ssize_t)strlen(nth));
		fd = open("/dev/mach", O_RDWR | O_CLOEXEC);
		err = errno;
		memset(nth, 0, sizeof(nth));
		CHILD_TRUE(pread(fail_nth, nth, sizeof(nth) - 1, 0) > 0);
		CHILD_TRUE(pwrite(fail_nth, "0", 1, 0) == 1);
		if (fd < 0) {
			if (err != ENOMEM) {
				fprintf(stderr, "# open failing at allocation %d: %s\n", n,
					strerror(err));
				_exit(1);
			}
		} else {
			opened++;
			CHILD_EQ(KERN_SUCCESS, task_works(fd));
			close(fd);
		}
		/* Let the parent look at the statistics. */
		CHILD_PUT(wr, (uint32_t)n);
		CHILD_EQ((uint32_t)n, CHILD_GET(rd));
		/* The count was not used up: the open needed fewer. */
		if (atoi(nth) != 0)
			break;
	}
	CHILD_PUT(wr, 0);
	CHILD_PUT(wr, opened);
}

/*
 * Every allocation of an open, failed in turn (the thread's fail-nth):
 * each open either works or fails with ENOMEM, and nothing leaks. The open whose MachFile
 * allocation fails once closed its task twice (the MachFile dropped by the
 * failed KBox::pin closed it, then open closed it again): "attempt to
 * subtract with overflow" in Task::close, a kernel BUG, a use-after-free.
 */
TEST_F_TIMEOUT(tasks, open_with_each_allocation_failing_leaks_nothing, 600)
{
	char old_wait[16] = "", old_verbose[16] = "";
	uint32_t n = 0, opened = 0, last = 0;
	struct stats now;
	struct kid k;

	if (!read_line(FAILSLAB "/ignore-gfp-wait", old_wait, sizeof(old_wait)) ||
	    !read_line(FAILSLAB "/verbose", old_verbose, sizeof(old_verbose)))
		SKIP(return, "no failslab fault injection in debugfs");
	ASSERT_TRUE(write_line(FAILSLAB "/ignore-gfp-wait", "N"));
	ASSERT_TRUE(write_line(FAILSLAB "/verbose", "0"));
	ASSERT_LE(0, kid_fork(&k));
	if (k.pid == 0) {
		become_user(NOBODY);
		open_with_failures(0, k.rd, k.wr);
		_exit(0);
	}
	for (;;) {
		if (!get(k.rd, &n) || n == 0)
			break;
		last = n;
		/* The child has no task between its opens. */
		if (!stats_wait_baseline(&self->base, &now, STATS_WAIT_MS)) {
			EXPECT_TRUE(0) TH_LOG("statistics off after the open failing at allocation %u",
					      n);
			break;
		}
		if (!put(k.wr, n))
			break;
	}
	write_line(FAILSLAB "/ignore-gfp-wait", old_wait);
	write_line(FAILSLAB "/verbose", old_verbose);
	EXPECT_EQ(0U, n);
	EXPECT_TRUE(get(k.rd, &opened));
	TH_LOG("%u opens with an allocation failing, %u succeeded", last, opened);
	EXPECT_LE(5U, last);
	EXPECT_EXITED_OK(wait_gone(k.pid, TEARDOWN_WAIT_MS));
	close(k.rd);
	close(k.wr);
	EXPECT_STATS_AT_BASELINE(&self->base);
}

/*
 * Replacing a dead-name request on a port the kernel receives on (our own
 * task port) with each allocation of the call failing in turn: the new
 * request reuses the old one's slot, so the replacement never fails for
 * lack of memory (XNU asserts as much), and the previous right comes back
 * or, if it cannot be copied out, is destroyed. It used to free the
 * kernel port's table when the old request was cancelled, then fail to
 * grow it again: the previous send-once right was dropped (a WARNING, a
 * send-once right counted forever).
 */
static void replace_kernel_port_request(long arg, int rd, int wr)
{
	mach_port_name_t task = mach_task_self(), n[2], prev;
	int fail_nth, i, failed = 0;
	char nth[32];
	kern_return_t kr;

	(void)arg;
	(void)rd;
	CHILD_EQ(0, prctl(PR_SET_DUMPABLE, 1, 0, 0, 0));
	fail_nth = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	CHILD_TRUE(fail_nth >= 0);
	for (i = 0; i < 2; i++)
		CHILD_EQ(KERN_SUCCESS,
			 mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &n[i]));
	CHILD_EQ(KERN_SUCCESS,
		 mach_port_request_notification(task, task, MACH_NOTIFY_DEAD_NAME, 0, n[0],
						MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev));
	CHILD_EQ(MACH_PORT_NULL, prev);
	for (i = 1; i <= 40; i++) {
		snprintf(nth, sizeof(nth), "%d", i);
		CHILD_TRUE(pwrite(fail_nth, nth, strlen(nth), 0) == (ssize_t)strlen(nth));
		prev = MACH_PORT_NULL;
		kr = mach_port_request_notification(task, task, MACH_NOTIFY_DEAD_NAME, 0,
						    n[i % 2], MACH_MSG_TYPE_MAKE_SEND_ONCE,
						    &prev);
		CHILD_TRUE(pwrite(fail_nth, "0", 1, 0) == 1);
		/* Registered either way; only the previous right's copyout may
		 * fail (KERN_RESOURCE_SHORTAGE / KERN_NO_SPACE). */
		CHILD_TRUE(type_of(task) & MACH_PORT_TYPE_DNREQUEST);
		if (kr == KERN_SUCCESS) {
			CHILD_TRUE(MACH_PORT_VALID(prev));
			CHILD_EQ(KERN_SUCCESS, mach_port_deallocate(task, prev));
		} else {
			CHILD_TRUE(kr == KERN_RESOURCE_SHORTAGE || kr == KERN_NO_SPACE);
			failed++;
		}
	}
	CHILD_EQ(KERN_SUCCESS,
		 mach_port_request_notification(task, task, MACH_NOTIFY_DEAD_NAME, 0,
						MACH_PORT_NULL, MACH_MSG_TYPE_MAKE_SEND_ONCE,
						&prev));
	CHILD_TRUE(MACH_PORT_VALID(prev));
	CHILD_EQ(KERN_SUCCESS, mach_port_deallocate(task, prev));
	CHILD_PUT(wr, (uint32_t)failed);
}

TEST_F_TIMEOUT(tasks, replacing_kernel_port_request_with_allocations_failing_keeps_rights, 300)
{
	char old_wait[16] = "", old_verbose[16] = "";
	uint32_t failed = 0;
	struct kid k;

	if (!read_line(FAILSLAB "/ignore-gfp-wait", old_wait, sizeof(old_wait)) ||
	    !read_line(FAILSLAB "/verbose", old_verbose, sizeof(old_verbose)))
		SKIP(return, "no failslab fault injection in debugfs");
	ASSERT_TRUE(write_line(FAILSLAB "/ignore-gfp-wait", "N"));
	ASSERT_TRUE(write_line(FAILSLAB "/verbose", "0"));
	ASSERT_TRUE(attacker(&k, NOBODY, 0, replace_kernel_port_request, 0));
	EXPECT_TRUE(get(k.rd, &failed));
	EXPECT_EXITED_OK(wait_gone(k.pid, TEARDOWN_WAIT_MS));
	write_line(FAILSLAB "/ignore-gfp-wait", old_wait);
	write_line(FAILSLAB "/verbose", old_verbose);
	TH_LOG("%u of 40 replacements could not copy the previous right out", failed);
	close(k.rd);
	close(k.wr);
	EXPECT_STATS_AT_BASELINE(&self->base);
}

/*
 * A port destroyed with a no-senders request whose notify port is already
 * dead, with each allocation of the destroy failing in turn: when the
 * notification cannot be built its send-once right is dropped, and with
 * it the dead notify port's last reference, while the destroyed port's
 * lock is held. That must be clean (it was a lockdep "possible recursive
 * locking" report: the freed port's debug check locked it), and the
 * counts back at their baseline.
 */
static void destroy_with_dead_notify_port(long arg, int rd, int wr)
{
	mach_port_name_t task = mach_task_self(), p, q, prev;
	int fail_nth, i;
	char nth[32];

	(void)arg;
	(void)rd;
	CHILD_EQ(0, prctl(PR_SET_DUMPABLE, 1, 0, 0, 0));
	fail_nth = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	CHILD_TRUE(fail_nth >= 0);
	for (i = 1; i <= 20; i++) {
		CHILD_EQ(KERN_SUCCESS, mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &p));
		CHILD_EQ(KERN_SUCCESS, mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &q));
		CHILD_EQ(KERN_SUCCESS,
			 mach_port_insert_right(task, p, p, MACH_MSG_TYPE_MAKE_SEND));
		CHILD_EQ(KERN_SUCCESS,
			 mach_port_request_notification(task, p, MACH_NOTIFY_NO_SENDERS, 0, q,
							MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev));
		CHILD_EQ(MACH_PORT_NULL, prev);
		/* q dies: the request's send-once right is all that is left of it. */
		CHILD_EQ(KERN_SUCCESS, mach_port_mod_refs(task, q, MACH_PORT_RIGHT_RECEIVE, -1));
		snprintf(nth, sizeof(nth), "%d", i);
		CHILD_TRUE(pwrite(fail_nth, nth, strlen(nth), 0) == (ssize_t)strlen(nth));
		/* mach_port_destroy has no failure for lack of memory. */
		CHILD_EQ(KERN_SUCCESS, mach_port_destroy(task, p));
		CHILD_TRUE(pwrite(fail_nth, "0", 1, 0) == 1);
		CHILD_EQ(GONE, type_of(p));
	}
	CHILD_PUT(wr, 1);
}

TEST_F_TIMEOUT(tasks, destroying_port_whose_notification_cannot_be_built_frees_dead_notify_port, 300)
{
	char old_wait[16] = "", old_verbose[16] = "";
	uint32_t done = 0;
	struct kid k;

	if (!read_line(FAILSLAB "/ignore-gfp-wait", old_wait, sizeof(old_wait)) ||
	    !read_line(FAILSLAB "/verbose", old_verbose, sizeof(old_verbose)))
		SKIP(return, "no failslab fault injection in debugfs");
	ASSERT_TRUE(write_line(FAILSLAB "/ignore-gfp-wait", "N"));
	ASSERT_TRUE(write_line(FAILSLAB "/verbose", "0"));
	ASSERT_TRUE(attacker(&k, NOBODY, 0, destroy_with_dead_notify_port, 0));
	EXPECT_TRUE(get(k.rd, &done));
	EXPECT_EQ(1U, done);
	EXPECT_EXITED_OK(wait_gone(k.pid, TEARDOWN_WAIT_MS));
	write_line(FAILSLAB "/ignore-gfp-wait", old_wait);
	write_line(FAILSLAB "/verbose", old_verbose);
	close(k.rd);
	close(k.wr);
	EXPECT_STATS_AT_BASELINE(&self->base);
}

TEST_HARNESS_MAIN
