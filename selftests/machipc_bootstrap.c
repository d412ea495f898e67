// SPDX-License-Identifier: GPL-2.0
/*
 * The bootstrap server (machipc-bootstrapd) and <servers/bootstrap.h>.
 *
 * Most tests run against a private instance of the daemon started by the
 * test (--announce: it sends its port to the bootstrap port it inherits),
 * made the test's own bootstrap port, so that every process the test forks
 * starts with it: check-in, look-up, register, create_service, status,
 * subsets, every BOOTSTRAP_* code, servers that die and come back, the uid
 * rules as uid 65534, per-uid memory bounds, hostile requests, servers the
 * daemon starts (create_server), a restart of the daemon, and a look-up
 * storm after which the daemon holds exactly what it held before (it
 * reports its counts). Each test ends by checking that the daemon logged
 * no error and holds no dead name.
 *
 * The system_* tests need the system bootstrap port
 * (MACHIPC_OP_SET_SYSTEM_BOOTSTRAP, in the new module): unrelated
 * processes (started by machipc_detach, with no Mach ancestor) meet through
 * the daemon the guest's /init started. A module without it answers
 * KERN_INVALID_ARGUMENT; they SKIP then, saying so.
 *
 * The binary is also the servers and clients it starts (argv[1] ==
 * "--helper").
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/mig_errors.h>
#include <mach/notify.h>
#include <servers/bootstrap.h>
#include <bootstrap.h>
#include <machipc/bootstrap.h>
#include <machipc/machipc.h>
#include "machipc_bootstrap.h" /* libmach's generated client header: request layouts */

#include "kselftest_harness.h"
#include "machipc_util.h"

#define NOBODY 65534
#define NOBODY2 65533

extern char **environ;

/* ---- where things are -------------------------------------------------------- */

static const char *bsd_path(void)
{
	const char *e = getenv("MACHIPC_BOOTSTRAPD");

	return e ? e : "/sbin/machipc-bootstrapd";
}

static const char *detach_path(void)
{
	static char buf[256];
	const char *e = getenv("MACHIPC_HELPERS");

	snprintf(buf, sizeof(buf), "%s/machipc_detach", e ? e : "/tests-helpers");
	return buf;
}

static const char *self_path(void)
{
	static char buf[256];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);

	buf[n > 0 ? n : 0] = 0;
	return buf;
}

/* ---- a private daemon ---------------------------------------------------------- */

struct bsd {
	pid_t pid;
	mach_port_t port;       /* a send right to its root bootstrap port */
	char log[96];
};

static int bsd_seq;

/*
 * Starts machipc-bootstrapd --announce with `extra` arguments and receives
 * its port: our bootstrap port is a port of ours meanwhile, which the
 * daemon inherits (it stays so until the daemon announced itself, so that
 * a module that copies the parent's ports when the child first opens
 * /dev/mach copies that one too). NULL on success, or what failed.
 */
static const char *bsd_start(struct bsd *d, const char *const *extra)
{
	mach_port_t self = mach_task_self(), r = MACH_PORT_NULL, saved = MACH_PORT_NULL;
	struct {
		machipc_bootstrap_announce_t m;
		mach_msg_max_trailer_t t;
	} msg;
	const char *argv[48];
	const char *why = NULL;
	mach_msg_return_t mr;
	int n = 0, err;

	memset(d, 0, sizeof(*d));
	snprintf(d->log, sizeof(d->log), "/tmp/machipc-bootstrapd.%d.%d.log", (int)getpid(),
		 bsd_seq++);
	unlink(d->log);
	argv[n++] = bsd_path();
	argv[n++] = "--announce";
	argv[n++] = "-v";
	argv[n++] = "--log";
	argv[n++] = d->log;
	for (; extra && *extra && n < 46; extra++)
		argv[n++] = *extra;
	argv[n] = NULL;
	if (access(bsd_path(), X_OK) != 0)
		return "no machipc-bootstrapd (MACHIPC_BOOTSTRAPD or /sbin/machipc-bootstrapd)";
	if (mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &r) != KERN_SUCCESS ||
	    mach_port_insert_right(self, r, r, MACH_MSG_TYPE_MAKE_SEND) != KERN_SUCCESS)
		return "cannot make the announce port";
	task_get_special_port(self, TASK_BOOTSTRAP_PORT, &saved);
	if (task_set_special_port(self, TASK_BOOTSTRAP_PORT, r) != KERN_SUCCESS) {
		why = "cannot set our bootstrap port";
		goto out;
	}
	err = posix_spawn(&d->pid, bsd_path(), NULL, NULL, (char *const *)argv, environ);
	if (err) {
		why = "posix_spawn of machipc-bootstrapd failed";
		d->pid = 0;
		goto out;
	}
	memset(&msg, 0, sizeof(msg));
	mr = mach_msg(&msg.m.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(msg), r,
		      BLOCK_WAIT_MS, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS) {
		why = "the daemon did not announce itself";
	} else if (msg.m.header.msgh_id != MACHIPC_BOOTSTRAP_ANNOUNCE_ID ||
		   !(msg.m.header.msgh_bits & MACH_MSGH_BITS_COMPLEX) ||
		   msg.m.body.msgh_descriptor_count != 1 ||
		   msg.m.port.disposition != MACH_MSG_TYPE_PORT_SEND) {
		why = "the daemon's announce message is malformed";
		mach_msg_destroy(&msg.m.header);
	} else {
		d->port = msg.m.port.name;
	}
out:
	task_set_special_port(self, TASK_BOOTSTRAP_PORT, saved);
	if (MACH_PORT_VALID(saved))
		mach_port_deallocate(self, saved);
	mach_port_deallocate(self, r);
	mach_port_mod_refs(self, r, MACH_PORT_RIGHT_RECEIVE, -1);
	if (why && d->pid > 0) {
		kill(d->pid, SIGKILL);
		waitpid(d->pid, NULL, 0);
		d->pid = 0;
	}
	return why;
}

/* Makes d our bootstrap port (and so that of every child we fork). */
static void use_bootstrap(mach_port_t port)
{
	task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, port);
	bootstrap_port = port;
}

/* The daemon's log lines at level error, printed; their number. */
static int bsd_log_errors(struct bsd *d)
{
	char line[1024];
	int n = 0;
	FILE *f = fopen(d->log, "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, ": error: ")) {
			printf("# daemon log: %s", line);
			n++;
		}
	}
	fclose(f);
	return n;
}

/* Whether the daemon's log has a line with `what`. */
static bool log_has(struct bsd *d, const char *what)
{
	char line[1024];
	bool found = false;
	FILE *f = fopen(d->log, "re");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, what) != NULL;
	fclose(f);
	return found;
}

/* Stops the daemon (SIGTERM, or SIGKILL if `kill9`); its wait status. */
static int bsd_stop(struct bsd *d, bool kill9)
{
	int status = -1;

	if (d->pid <= 0)
		return -1;
	kill(d->pid, kill9 ? SIGKILL : SIGTERM);
	if (waitpid(d->pid, &status, 0) != d->pid)
		status = -1;
	d->pid = 0;
	if (MACH_PORT_VALID(d->port))
		mach_port_deallocate(mach_task_self(), d->port);
	d->port = MACH_PORT_NULL;
	return status;
}

static machipc_bootstrap_counts_t counts_of(struct __test_metadata *_metadata, mach_port_t bp)
{
	machipc_bootstrap_counts_t c;

	memset(&c, 0xff, sizeof(c));
	EXPECT_EQ(KERN_SUCCESS, machipc_bootstrap_counts(bp, &c));
	return c;
}

/* Waits (BLOCK_WAIT_MS at most) until the daemon behind bp holds no dead
 * name and no send-once right (what it processes last after an event). */
static bool daemon_settled(mach_port_t bp)
{
	return POLL_UNTIL(({
		machipc_bootstrap_counts_t c;
		machipc_bootstrap_counts(bp, &c) == KERN_SUCCESS && c.dead_names == 0 &&
			c.send_once_rights == 0;
	}), BLOCK_WAIT_MS);
}

/* A message with nothing but a header. */
typedef struct {
	mach_msg_header_t h;
} small_note_t;

/* ---- an echo protocol: servers answer with their pid ----------------------- */

#define ECHO_ID 4711

typedef struct {
	mach_msg_header_t h;
	int32_t v;
} echo_req_t;

typedef struct {
	mach_msg_header_t h;
	int32_t pid;
	int32_t v;
} echo_rep_t;

/* Sends an echo request to `server` (waiting at most `ms` for room in its
 * queue) with a send-once right to the new receive right *reply (left for
 * echo_wait). */
static mach_msg_return_t echo_send_ms(mach_port_t server, int v, mach_port_t *reply, unsigned ms)
{
	echo_req_t m = { 0 };
	mach_port_t r = MACH_PORT_NULL;
	mach_msg_return_t mr;

	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &r) != KERN_SUCCESS)
		return KERN_RESOURCE_SHORTAGE;
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.h.msgh_size = sizeof(m);
	m.h.msgh_remote_port = server;
	m.h.msgh_local_port = r;
	m.h.msgh_id = ECHO_ID;
	m.v = v;
	mr = mach_msg(&m.h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0, MACH_PORT_NULL,
		      ms, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS) {
		/* A send that failed after the message was copied in (timed out,
		 * or its port died while it waited) gives it back, rights and
		 * all, as sent: the destination's send right, and the send-once
		 * right made for the reply (LOCAL bits PORT_SEND_ONCE then). */
		if (MACH_MSGH_BITS_LOCAL(m.h.msgh_bits) == MACH_MSG_TYPE_PORT_SEND_ONCE) {
			if (MACH_PORT_VALID(m.h.msgh_local_port))
				mach_port_deallocate(mach_task_self(), m.h.msgh_local_port);
			mach_msg_destroy(&m.h);
		}
		mach_port_mod_refs(mach_task_self(), r, MACH_PORT_RIGHT_RECEIVE, -1);
		return mr;
	}
	*reply = r;
	return MACH_MSG_SUCCESS;
}

static mach_msg_return_t echo_send(mach_port_t server, int v, mach_port_t *reply)
{
	return echo_send_ms(server, v, reply, WAIT_MS);
}

/*
 * Waits for the reply on `reply` (destroyed then): MACH_MSG_SUCCESS with
 * the server's pid, MIG_SERVER_DIED if the request was destroyed unserved
 * (its send-once right came back), or the receive error.
 */
static mach_msg_return_t echo_wait(mach_port_t reply, unsigned ms, int *pid, int *v)
{
	struct {
		echo_rep_t r;
		mach_msg_max_trailer_t t;
	} m;
	mach_msg_return_t mr;

	memset(&m, 0, sizeof(m));
	mr = mach_msg(&m.r.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m), reply, ms,
		      MACH_PORT_NULL);
	mach_port_mod_refs(mach_task_self(), reply, MACH_PORT_RIGHT_RECEIVE, -1);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	if (m.r.h.msgh_id == MACH_NOTIFY_SEND_ONCE)
		return MIG_SERVER_DIED;
	if (m.r.h.msgh_id != ECHO_ID + 100 || m.r.h.msgh_size != sizeof(echo_rep_t)) {
		mach_msg_destroy(&m.r.h);
		return MIG_REPLY_MISMATCH;
	}
	if (pid)
		*pid = m.r.pid;
	if (v)
		*v = m.r.v;
	return MACH_MSG_SUCCESS;
}

static mach_msg_return_t echo_call(mach_port_t server, int v, unsigned ms, int *pid)
{
	mach_port_t r = MACH_PORT_NULL;
	mach_msg_return_t mr = echo_send_ms(server, v, &r, ms);
	int got = -1;

	if (mr != MACH_MSG_SUCCESS)
		return mr;
	mr = echo_wait(r, ms, pid, &got);
	if (mr == MACH_MSG_SUCCESS && got != v)
		return MIG_REPLY_MISMATCH;
	return mr;
}

/*
 * Serves echo requests on `port`: `n` of them (0: until a receive fails),
 * each receive waiting at most `ms` (0: forever). How many it answered.
 */
static int echo_serve(mach_port_t port, int n, unsigned ms)
{
	int done = 0;

	while (n == 0 || done < n) {
		struct {
			echo_req_t q;
			mach_msg_max_trailer_t t;
		} m;
		echo_rep_t r = { 0 };
		mach_msg_return_t mr;

		memset(&m, 0, sizeof(m));
		mr = mach_msg(&m.q.h, MACH_RCV_MSG | (ms ? MACH_RCV_TIMEOUT : 0), 0, sizeof(m), port,
			      ms, MACH_PORT_NULL);
		if (mr != MACH_MSG_SUCCESS)
			break;
		if (m.q.h.msgh_id != ECHO_ID || !MACH_PORT_VALID(m.q.h.msgh_remote_port)) {
			mach_msg_destroy(&m.q.h);
			continue;
		}
		r.h.msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(m.q.h.msgh_bits), 0);
		r.h.msgh_size = sizeof(r);
		r.h.msgh_remote_port = m.q.h.msgh_remote_port;
		r.h.msgh_id = ECHO_ID + 100;
		r.pid = getpid();
		r.v = m.q.v;
		if (mach_msg(&r.h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(r), 0, MACH_PORT_NULL, 0,
			     MACH_PORT_NULL) != MACH_MSG_SUCCESS)
			mach_msg_destroy(&r.h);
		done++;
	}
	return done;
}

/* ---- children ------------------------------------------------------------------- */

static void become(uid_t uid)
{
	CHILD_EQ(0, setgid(uid));
	CHILD_EQ(0, setuid(uid));
}

/* A child that becomes `uid` and checks `name` in, says it on its pipe (the
 * result), then serves echo requests until killed. */
static void kid_check_in_and_serve(struct kid *k, uid_t uid, const char *name)
{
	if (kid_fork(k) == 0) {
		mach_port_t p = MACH_PORT_NULL;
		kern_return_t kr;

		if (uid)
			become(uid);
		kr = bootstrap_check_in(bootstrap_port, name, &p);
		CHILD_PUT(k->wr, (uint32_t)kr);
		if (kr == KERN_SUCCESS)
			echo_serve(p, 0, 0);
		CHILD_GET(k->rd);
		_exit(0);
	}
}

/* A child that becomes `uid` and registers a send right to a port of its
 * own under `name`, says the result, then serves until killed. */
static void kid_register_and_serve(struct kid *k, uid_t uid, const char *name)
{
	if (kid_fork(k) == 0) {
		mach_port_t p = new_port();
		kern_return_t kr;

		if (uid)
			become(uid);
		CHILD_EQ(KERN_SUCCESS,
			 mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND));
		kr = bootstrap_register(bootstrap_port, (char *)name, p);
		CHILD_PUT(k->wr, (uint32_t)kr);
		if (kr == KERN_SUCCESS)
			echo_serve(p, 0, 0);
		CHILD_GET(k->rd);
		_exit(0);
	}
}

/* The kern_return_t a child sent on its pipe (0xdeadbeef if none). */
static kern_return_t kid_result(struct kid *k)
{
	uint32_t v = 0xdeadbeef;

	if (!get(k->rd, &v))
		v = 0xdeadbeef;
	return (kern_return_t)v;
}

/* A child that becomes `uid`, calls fn(arg) and sends back its result. */
typedef kern_return_t (*as_fn)(const void *arg);

static kern_return_t as_uid(uid_t uid, as_fn fn, const void *arg)
{
	struct kid k = { 0 };
	uint32_t kr = 0xdeadbeef;

	pid_t pid = kid_fork(&k);

	if (pid < 0)
		return 0xdeadbeef;
	if (pid == 0) {
		if (uid)
			become(uid);
		CHILD_PUT(k.wr, (uint32_t)fn(arg));
		_exit(0);
	}
	if (!get(k.rd, &kr))
		kr = 0xdeadbeef;
	reap(&k);
	return (kern_return_t)kr;
}

static kern_return_t do_check_in(const void *name)
{
	mach_port_t p = MACH_PORT_NULL;

	return bootstrap_check_in(bootstrap_port, name, &p);
}

static kern_return_t do_register(const void *name)
{
	mach_port_t p = new_port();

	mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND);
	return bootstrap_register(bootstrap_port, (char *)name, p);
}

static kern_return_t do_unregister(const void *name)
{
	return bootstrap_register(bootstrap_port, (char *)name, MACH_PORT_NULL);
}

static kern_return_t do_look_up(const void *name)
{
	mach_port_t p = MACH_PORT_NULL;
	kern_return_t kr = bootstrap_look_up(bootstrap_port, name, &p);

	if (kr == KERN_SUCCESS && type_of(p) != MACH_PORT_TYPE_SEND)
		return KERN_FAILURE;
	return kr;
}

static kern_return_t do_create_service(const void *name)
{
	mach_port_t p = MACH_PORT_NULL;

	return bootstrap_create_service(bootstrap_port, (char *)name, &p);
}

static bootstrap_status_t status_of_name(const char *name)
{
	bootstrap_status_t st = -1;
	kern_return_t kr = bootstrap_status(bootstrap_port, (char *)name, &st);

	return kr == KERN_SUCCESS ? st : 0x1000 + kr;
}

#define STATUS_UNKNOWN (0x1000 + BOOTSTRAP_UNKNOWN_SERVICE)

/* ---- the fixture: a private daemon per test ------------------------------------------ */

FIXTURE(bs)
{
	struct bsd d;
};

FIXTURE_SETUP(bs)
{
	static const char *const args[] = {
		"--max-names-per-uid", "64", "--max-subsets-per-uid", "8", "--max-depth", "4",
		"--max-servers-per-uid", "4", "--throttle", "300", NULL
	};
	const char *why = bsd_start(&self->d, args);

	ASSERT_EQ(NULL, why) TH_LOG("%s", why);
	use_bootstrap(self->d.port);
}

/* The daemon's log, for a failed test. */
static void bsd_dump_log(struct bsd *d)
{
	char line[1024];
	FILE *f = fopen(d->log, "re");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		printf("# daemon: %s", line);
	fclose(f);
}

FIXTURE_TEARDOWN(bs)
{
	if (_metadata->exit_code != KSFT_PASS)
		bsd_dump_log(&self->d);
	if (self->d.pid > 0) {
		EXPECT_TRUE(daemon_settled(self->d.port))
			TH_LOG("the daemon still holds dead names or send-once rights");
		EXPECT_EQ(0, bsd_log_errors(&self->d));
		bsd_stop(&self->d, false);
	}
	unlink(self->d.log);
}

/* ---- check-in and look-up ----------------------------------------------------------- */

TEST_F(bs, check_in_of_an_unknown_name_makes_its_port)
{
	mach_port_t p = MACH_PORT_NULL, q = MACH_PORT_NULL;

	ASSERT_EQ(KERN_SUCCESS, bootstrap_check_in(bootstrap_port, "t.new", &p));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(p));
	EXPECT_EQ(BOOTSTRAP_STATUS_ACTIVE, status_of_name("t.new"));
	/* A look-up gives a send right to that port: in our space, the name
	 * of our receive right. */
	ASSERT_EQ(KERN_SUCCESS, bootstrap_look_up(bootstrap_port, "t.new", &q));
	EXPECT_EQ(p, q);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(p));
}

TEST_F(bs, look_up_of_an_unknown_name_is_unknown_service)
{
	mach_port_t p = 0x1234;

	EXPECT_EQ(BOOTSTRAP_UNKNOWN_SERVICE, bootstrap_look_up(bootstrap_port, "t.none", &p));
	EXPECT_EQ(BOOTSTRAP_UNKNOWN_SERVICE, bootstrap_look_up(bootstrap_port, "", &p));
	EXPECT_EQ(0x1234U, p);
}

TEST_F(bs, client_in_another_process_reaches_the_checked_in_server)
{
	struct kid srv = { 0 };
	mach_port_t p = MACH_PORT_NULL;
	int pid = 0;

	kid_check_in_and_serve(&srv, 0, "t.echo");
	ASSERT_EQ(KERN_SUCCESS, kid_result(&srv));
	ASSERT_EQ(KERN_SUCCESS, bootstrap_look_up(bootstrap_port, "t.echo", &p));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_of(p));
	EXPECT_EQ(MACH_MSG_SUCCESS, echo_call(p, 7, WAIT_MS, &pid));
	EXPECT_EQ(srv.pid, pid);
	EXPECT_TRUE(kill_kid(&srv));
}

TEST_F(bs, check_in_of_an_active_name_is_service_active)
{
	mach_port_t p = MACH_PORT_NULL, q = 0x77;

	ASSERT_EQ(KERN_SUCCESS, bootstrap_check_in(bootstrap_port, "t.busy", &p));
	EXPECT_EQ(BOOTSTRAP_SERVICE_ACTIVE, bootstrap_check_in(bootstrap_port, "t.busy", &q));
	EXPECT_EQ(0x77U, q);
}

TEST_F(bs, names_are_checked_before_anything_is_sent)
{
	char longname[BOOTSTRAP_MAX_NAME_LEN + 1];
	mach_port_t p = MACH_PORT_NULL, s = new_port();
	bootstrap_status_t st;
	machipc_bootstrap_counts_t c0 = counts_of(_metadata, bootstrap_port), c1;

	memset(longname, 'x', BOOTSTRAP_MAX_NAME_LEN);
	longname[BOOTSTRAP_MAX_NAME_LEN] = 0;
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), s, s,
						       MACH_MSG_TYPE_MAKE_SEND));
	/* A name must fit name_t with its NUL: 127 characters. */
	EXPECT_EQ(KERN_INVALID_ARGUMENT, bootstrap_check_in(bootstrap_port, longname, &p));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, bootstrap_look_up(bootstrap_port, longname, &p));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, bootstrap_register(bootstrap_port, longname, s));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, bootstrap_create_service(bootstrap_port, longname, &p));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, bootstrap_status(bootstrap_port, longname, &st));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, bootstrap_check_in(bootstrap_port, NULL, &p));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, bootstrap_look_up(bootstrap_port, "t.x", NULL));
	/* Nothing reached the daemon but the two counts requests. */
	c1 = counts_of(_metadata, bootstrap_port);
	EXPECT_EQ(c0.requests + 1, c1.requests);
	/* 127 characters are fine. */
	longname[BOOTSTRAP_MAX_NAME_LEN - 1] = 0;
	EXPECT_EQ(KERN_SUCCESS, bootstrap_register(bootstrap_port, longname, s));
	EXPECT_EQ(KERN_SUCCESS, bootstrap_look_up(bootstrap_port, longname, &p));
	EXPECT_EQ(s, p);
}

TEST_F(bs, empty_name_cannot_be_made)
{
	mach_port_t p = MACH_PORT_NULL, s = new_port();

	mach_port_insert_right(mach_task_self(), s, s, MACH_MSG_TYPE_MAKE_SEND);
	EXPECT_EQ(KERN_INVALID_ARGUMENT, bootstrap_check_in(bootstrap_port, "", &p));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, bootstrap_register(bootstrap_port, "", s));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, bootstrap_create_service(bootstrap_port, "", &p));
	EXPECT_EQ(STATUS_UNKNOWN, status_of_name(""));
}

/* ---- register ------------------------------------------------------------------------ */

TEST_F(bs, register_publishes_a_send_right_the_caller_keeps)
{
	mach_port_t s = new_send_receive(_metadata, 1), p = MACH_PORT_NULL;

	ASSERT_EQ(KERN_SUCCESS, bootstrap_register(bootstrap_port, "t.reg", s));
	/* Copied: our send right is still ours. */
	EXPECT_EQ(1U, refs_of(s, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(BOOTSTRAP_STATUS_ACTIVE, status_of_name("t.reg"));
	ASSERT_EQ(KERN_SUCCESS, bootstrap_look_up(bootstrap_port, "t.reg", &p));
	EXPECT_EQ(s, p);
	EXPECT_EQ(2U, refs_of(s, MACH_PORT_RIGHT_SEND));
}

TEST_F(bs, register2_flags_unknown_are_invalid_argument)
{
	mach_port_t s = new_send_receive(_metadata, 1);

	EXPECT_EQ(KERN_INVALID_ARGUMENT, bootstrap_register2(bootstrap_port, "t.f", s, 1ULL << 40));
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  bootstrap_register2(bootstrap_port, "t.f", s, BOOTSTRAP_FORCE_LOCAL));
	EXPECT_EQ(STATUS_UNKNOWN, status_of_name("t.f"));
	/* The refused request's right was released by the daemon. */
	EXPECT_EQ(1U, refs_of(s, MACH_PORT_RIGHT_SEND));
}

TEST_F(bs, register_of_an_active_name_is_service_active)
{
	mach_port_t s = new_send_receive(_metadata, 1), t = new_send_receive(_metadata, 1);
	mach_port_t p = MACH_PORT_NULL;

	ASSERT_EQ(KERN_SUCCESS, bootstrap_register(bootstrap_port, "t.twice", s));
	EXPECT_EQ(BOOTSTRAP_SERVICE_ACTIVE, bootstrap_register(bootstrap_port, "t.twice", t));
	ASSERT_EQ(KERN_SUCCESS, bootstrap_look_up(bootstrap_port, "t.twice", &p));
	EXPECT_EQ(s, p);
}

TEST_F(bs, register_of_the_null_port_removes_the_name)
{
	mach_port_t s = new_send_receive(_metadata, 1), p = MACH_PORT_NULL;
	machipc_bootstrap_counts_t c0 = counts_of(_metadata, bootstrap_port), c1;

	ASSERT_EQ(KERN_SUCCESS, bootstrap_register(bootstrap_port, "t.gone", s));
	ASSERT_EQ(KERN_SUCCESS, bootstrap_register(bootstrap_port, "t.gone", MACH_PORT_NULL));
	EXPECT_EQ(BOOTSTRAP_UNKNOWN_SERVICE, bootstrap_look_up(bootstrap_port, "t.gone", &p));
	/* Unknown: nothing to do, as launchd. */
	EXPECT_EQ(KERN_SUCCESS, bootstrap_register(bootstrap_port, "t.never", MACH_PORT_NULL));
	ASSERT_TRUE(daemon_settled(bootstrap_port));
	c1 = counts_of(_metadata, bootstrap_port);
	EXPECT_EQ(c0.names, c1.names);
	EXPECT_EQ(c0.tracked_ports, c1.tracked_ports);
	EXPECT_EQ(c0.port_names, c1.port_names);
	EXPECT_EQ(c0.caller_bytes, c1.caller_bytes);
}

TEST_F(bs, register_of_one_port_under_two_names_holds_it_once)
{
	mach_port_t s = new_send_receive(_metadata, 1), p = MACH_PORT_NULL;
	machipc_bootstrap_counts_t c0 = counts_of(_metadata, bootstrap_port), c1;

	ASSERT_EQ(KERN_SUCCESS, bootstrap_register(bootstrap_port, "t.one", s));
	ASSERT_EQ(KERN_SUCCESS, bootstrap_register(bootstrap_port, "t.two", s));
	c1 = counts_of(_metadata, bootstrap_port);
	EXPECT_EQ(c0.names + 2, c1.names);
	EXPECT_EQ(c0.tracked_ports + 1, c1.tracked_ports);
	EXPECT_EQ(c0.port_names + 1, c1.port_names);
	ASSERT_EQ(KERN_SUCCESS, bootstrap_register(bootstrap_port, "t.one", MACH_PORT_NULL));
	ASSERT_EQ(KERN_SUCCESS, bootstrap_look_up(bootstrap_port, "t.two", &p));
	EXPECT_EQ(s, p);
	/* The port dies: both names' state follows. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), s, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_TRUE(POLL_UNTIL(status_of_name("t.two") == BOOTSTRAP_STATUS_INACTIVE, BLOCK_WAIT_MS));
	ASSERT_TRUE(daemon_settled(bootstrap_port));
	c1 = counts_of(_metadata, bootstrap_port);
	EXPECT_EQ(c0.tracked_ports, c1.tracked_ports);
	EXPECT_EQ(c0.port_names, c1.port_names);
}

TEST_F(bs, register_of_a_dead_right_is_refused)
{
	mach_port_t s = new_send_receive(_metadata, 1);
	kern_return_t kr;

	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), s, MACH_PORT_RIGHT_RECEIVE, -1));
	ASSERT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(s));
	/* The kernel sends a dead name as MACH_PORT_DEAD; the daemon refuses it. */
	kr = bootstrap_register(bootstrap_port, "t.dead", s);
	EXPECT_EQ(KERN_INVALID_ARGUMENT, kr);
	EXPECT_EQ(STATUS_UNKNOWN, status_of_name("t.dead"));
}

/* ---- create_service, status, reserved names ----------------------------------------- */

TEST_F(bs, create_service_reserves_a_name_whose_messages_wait_for_its_server)
{
	mach_port_t sp = MACH_PORT_NULL, looked = MACH_PORT_NULL, r = MACH_PORT_NULL;
	struct kid srv = { 0 };
	int pid = 0;

	ASSERT_EQ(KERN_SUCCESS, bootstrap_create_service(bootstrap_port, "t.later", &sp));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_of(sp));
	EXPECT_EQ(BOOTSTRAP_STATUS_INACTIVE, status_of_name("t.later"));
	/* A look-up of the reserved name works: the message waits. */
	ASSERT_EQ(KERN_SUCCESS, bootstrap_look_up(bootstrap_port, "t.later", &looked));
	EXPECT_EQ(sp, looked);
	ASSERT_EQ(MACH_MSG_SUCCESS, echo_send(looked, 42, &r));
	/* The server checks in: it gets that port, with the message. */
	kid_check_in_and_serve(&srv, 0, "t.later");
	ASSERT_EQ(KERN_SUCCESS, kid_result(&srv));
	EXPECT_EQ(MACH_MSG_SUCCESS, echo_wait(r, WAIT_MS, &pid, NULL));
	EXPECT_EQ(srv.pid, pid);
	EXPECT_EQ(BOOTSTRAP_STATUS_ACTIVE, status_of_name("t.later"));
	EXPECT_TRUE(kill_kid(&srv));
}

TEST_F(bs, create_service_of_an_existing_name_is_name_in_use)
{
	mach_port_t a = MACH_PORT_NULL, b = 0x55, c = MACH_PORT_NULL;

	ASSERT_EQ(KERN_SUCCESS, bootstrap_create_service(bootstrap_port, "t.dup", &a));
	EXPECT_EQ(BOOTSTRAP_NAME_IN_USE, bootstrap_create_service(bootstrap_port, "t.dup", &b));
	EXPECT_EQ(0x55U, b);
	ASSERT_EQ(KERN_SUCCESS, bootstrap_check_in(bootstrap_port, "t.act", &c));
	EXPECT_EQ(BOOTSTRAP_NAME_IN_USE, bootstrap_create_service(bootstrap_port, "t.act", &b));
}

TEST_F(bs, status_of_an_unknown_name_is_unknown_service)
{
	bootstrap_status_t st = 99;

	EXPECT_EQ(BOOTSTRAP_UNKNOWN_SERVICE, bootstrap_status(bootstrap_port, "t.nope", &st));
	EXPECT_EQ(99, st);
}

TEST_F(bs, register_replaces_a_reserved_port)
{
	mach_port_t sp = MACH_PORT_NULL, s = new_send_receive(_metadata, 1), p = MACH_PORT_NULL;

	ASSERT_EQ(KERN_SUCCESS, bootstrap_create_service(bootstrap_port, "t.rep", &sp));
	ASSERT_EQ(KERN_SUCCESS, bootstrap_register(bootstrap_port, "t.rep", s));
	ASSERT_EQ(KERN_SUCCESS, bootstrap_look_up(bootstrap_port, "t.rep", &p));
	EXPECT_EQ(s, p);
	/* The reserved port is gone: our send right to it is a dead name. */
	EXPECT_TRUE(POLL_UNTIL(type_of(sp) == MACH_PORT_TYPE_DEAD_NAME, BLOCK_WAIT_MS));
}

/* ---- servers that die and come back ------------------------------------------------------ */

TEST_F(bs, killed_checked_in_server_leaves_an_inactive_name_its_restart_gets_back)
{
	mach_port_t p = MACH_PORT_NULL, r = MACH_PORT_NULL;
	struct kid srv = { 0 }, again = { 0 };
	int pid = 0;

	kid_check_in_and_serve(&srv, 0, "t.phoenix");
	ASSERT_EQ(KERN_SUCCESS, kid_result(&srv));
	ASSERT_EQ(KERN_SUCCESS, bootstrap_look_up(bootstrap_port, "t.phoenix", &p));
	ASSERT_EQ(MACH_MSG_SUCCESS, echo_call(p, 1, WAIT_MS, &pid));
	EXPECT_EQ(srv.pid, pid);
	EXPECT_TRUE(kill_kid(&srv));
	/* Its receive right came back to the daemon (port-destroyed). */
	EXPECT_TRUE(POLL_UNTIL(status_of_name("t.phoenix") == BOOTSTRAP_STATUS_INACTIVE,
			       BLOCK_WAIT_MS));
	/* Our send right still works: the message waits for the next server. */
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_of(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, echo_send(p, 2, &r));
	kid_check_in_and_serve(&again, 0, "t.phoenix");
	ASSERT_EQ(KERN_SUCCESS, kid_result(&again));
	EXPECT_EQ(MACH_MSG_SUCCESS, echo_wait(r, WAIT_MS, &pid, NULL));
	EXPECT_EQ(again.pid, pid);
	EXPECT_EQ(BOOTSTRAP_STATUS_ACTIVE, status_of_name("t.phoenix"));
	EXPECT_TRUE(kill_kid(&again));
}

TEST_F(bs, killed_registered_server_leaves_an_inactive_name_without_port)
{
	mach_port_t p = MACH_PORT_NULL;
	struct kid srv = { 0 }, again = { 0 };
	int pid = 0;

	kid_register_and_serve(&srv, 0, "t.regdie");
	ASSERT_EQ(KERN_SUCCESS, kid_result(&srv));
	EXPECT_EQ(BOOTSTRAP_STATUS_ACTIVE, status_of_name("t.regdie"));
	EXPECT_TRUE(kill_kid(&srv));
	/* Its port died (dead-name notification): inactive, no port. */
	EXPECT_TRUE(POLL_UNTIL(status_of_name("t.regdie") == BOOTSTRAP_STATUS_INACTIVE,
			       BLOCK_WAIT_MS));
	EXPECT_EQ(BOOTSTRAP_UNKNOWN_SERVICE, bootstrap_look_up(bootstrap_port, "t.regdie", &p));
	/* The restarted server registers again. */
	kid_register_and_serve(&again, 0, "t.regdie");
	ASSERT_EQ(KERN_SUCCESS, kid_result(&again));
	ASSERT_EQ(KERN_SUCCESS, bootstrap_look_up(bootstrap_port, "t.regdie", &p));
	EXPECT_EQ(MACH_MSG_SUCCESS, echo_call(p, 3, WAIT_MS, &pid));
	EXPECT_EQ(again.pid, pid);
	EXPECT_TRUE(kill_kid(&again));
}

TEST_F(bs, check_in_of_a_dead_registered_name_makes_a_new_port)
{
	struct kid srv = { 0 };
	mach_port_t p = MACH_PORT_NULL;

	kid_register_and_serve(&srv, 0, "t.switch");
	ASSERT_EQ(KERN_SUCCESS, kid_result(&srv));
	EXPECT_TRUE(kill_kid(&srv));
	ASSERT_TRUE(POLL_UNTIL(status_of_name("t.switch") == BOOTSTRAP_STATUS_INACTIVE,
			       BLOCK_WAIT_MS));
	ASSERT_EQ(KERN_SUCCESS, bootstrap_check_in(bootstrap_port, "t.switch", &p));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(p));
	EXPECT_EQ(BOOTSTRAP_STATUS_ACTIVE, status_of_name("t.switch"));
}

TEST_F(bs, server_destroying_its_receive_right_gives_it_back)
{
	mach_port_t p = MACH_PORT_NULL;

	ASSERT_EQ(KERN_SUCCESS, bootstrap_check_in(bootstrap_port, "t.drop", &p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_TRUE(POLL_UNTIL(status_of_name("t.drop") == BOOTSTRAP_STATUS_INACTIVE,
			       BLOCK_WAIT_MS));
	/* And it can be checked in again. */
	EXPECT_EQ(KERN_SUCCESS, bootstrap_check_in(bootstrap_port, "t.drop", &p));
}

/* ---- raw requests: a client that dies mid-request, hostile messages --------------------- */

/* Sends a check_in request for `name` whose reply right is a send-once
 * right to a port destroyed right after: the reply (and the receive right
 * in it) cannot be delivered. */
static mach_msg_return_t check_in_and_vanish(const char *name)
{
	__Request__check_in_t m;
	mach_port_t r = new_port();
	mach_msg_return_t mr;

	memset(&m, 0, sizeof(m));
	m.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.Head.msgh_size = sizeof(m);
	m.Head.msgh_remote_port = bootstrap_port;
	m.Head.msgh_local_port = r;
	m.Head.msgh_id = 400;
	m.NDR = NDR_record;
	snprintf(m.service_name, sizeof(m.service_name), "%s", name);
	mr = mach_msg(&m.Head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0, MACH_PORT_NULL,
		      WAIT_MS, MACH_PORT_NULL);
	mach_port_mod_refs(mach_task_self(), r, MACH_PORT_RIGHT_RECEIVE, -1);
	return mr;
}

TEST_F(bs, client_gone_before_its_check_in_reply_leaves_the_name_inactive)
{
	mach_port_t p = MACH_PORT_NULL;

	ASSERT_EQ(MACH_MSG_SUCCESS, check_in_and_vanish("t.orphan"));
	/* The undeliverable reply's receive right came back to the daemon. */
	EXPECT_TRUE(POLL_UNTIL(status_of_name("t.orphan") == BOOTSTRAP_STATUS_INACTIVE,
			       BLOCK_WAIT_MS));
	EXPECT_EQ(KERN_SUCCESS, bootstrap_check_in(bootstrap_port, "t.orphan", &p));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(p));
}

/* A raw request and its reply: the reply's RetCode (or the mach_msg error). */
static kern_return_t raw_call(void *req, mach_msg_size_t size, mach_msg_id_t id,
			      mach_msg_bits_t extra_bits)
{
	mach_msg_header_t *h = req;
	union {
		mig_reply_error_t e;
		char buf[4096];
	} rep;
	mach_port_t r = new_port();
	mach_msg_return_t mr;

	h->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE) |
		       extra_bits;
	h->msgh_size = size;
	h->msgh_remote_port = bootstrap_port;
	h->msgh_local_port = r;
	h->msgh_id = id;
	memset(&rep, 0, sizeof(rep));
	mr = mach_msg_overwrite(h, MACH_SEND_MSG | MACH_RCV_MSG | MACH_SEND_TIMEOUT |
				MACH_RCV_TIMEOUT, size, sizeof(rep), r, WAIT_MS, MACH_PORT_NULL,
				&rep.e.Head, sizeof(rep));
	mach_port_mod_refs(mach_task_self(), r, MACH_PORT_RIGHT_RECEIVE, -1);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	if (rep.e.Head.msgh_id != id + 100) {
		fprintf(stderr, "# raw_call %d: reply id %d size %u\n", id, rep.e.Head.msgh_id,
			rep.e.Head.msgh_size);
		mach_msg_destroy(&rep.e.Head);
		return MIG_REPLY_MISMATCH;
	}
	if (rep.e.Head.msgh_bits & MACH_MSGH_BITS_COMPLEX) {
		mach_msg_destroy(&rep.e.Head);
		return KERN_SUCCESS;
	}
	return rep.e.RetCode;
}

static void hostile_requests(int arg, int rd, int wr)
{
	union {
		__Request__check_in_t ci;
		__Request__register2_t reg;
		char buf[1024];
	} m;
	mach_port_t p = new_port();
	int before = name_count(mach_task_self());

	(void)arg;
	become(NOBODY);
	/* An id the subsystem does not have. */
	memset(&m, 0, sizeof(m));
	CHILD_EQ(MIG_BAD_ID, raw_call(&m, sizeof(mach_msg_header_t), 399, 0));
	memset(&m, 0, sizeof(m));
	CHILD_EQ(MIG_BAD_ID, raw_call(&m, sizeof(mach_msg_header_t), 400 + 12, 0));
	/* The wrong size. */
	memset(&m, 0, sizeof(m));
	CHILD_EQ(MIG_BAD_ARGUMENTS, raw_call(&m, sizeof(mach_msg_header_t), 400, 0));
	/* A name with no NUL in its 128 bytes. */
	memset(&m, 0, sizeof(m));
	memset(m.ci.service_name, 'a', sizeof(m.ci.service_name));
	CHILD_EQ(MIG_BAD_ARGUMENTS, raw_call(&m, sizeof(m.ci), 400, 0));
	/* Flags check_in does not have. */
	memset(&m, 0, sizeof(m));
	strcpy(m.ci.service_name, "h.flags");
	m.ci.flags = 1;
	CHILD_EQ(KERN_INVALID_ARGUMENT, raw_call(&m, sizeof(m.ci), 400, 0));
	/* A complex message (a receive right in it) to a simple routine:
	 * refused, and the right destroyed by the daemon. */
	memset(&m, 0, sizeof(m));
	m.reg.msgh_body.msgh_descriptor_count = 1;
	m.reg.service_port.name = p;
	m.reg.service_port.disposition = MACH_MSG_TYPE_MAKE_SEND;
	m.reg.service_port.type = MACH_MSG_PORT_DESCRIPTOR;
	strcpy(m.reg.service_name, "h.cplx");
	CHILD_EQ(MIG_BAD_ARGUMENTS, raw_call(&m, sizeof(m.reg), 400, MACH_MSGH_BITS_COMPLEX));
	/* register2 with a receive right where a send right belongs. */
	memset(&m, 0, sizeof(m));
	m.reg.msgh_body.msgh_descriptor_count = 1;
	m.reg.service_port.name = new_port();
	m.reg.service_port.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
	m.reg.service_port.type = MACH_MSG_PORT_DESCRIPTOR;
	strcpy(m.reg.service_name, "h.recv");
	CHILD_EQ(MIG_TYPE_ERROR, raw_call(&m, sizeof(m.reg), 401, MACH_MSGH_BITS_COMPLEX));
	/* A request without reply port: served, nothing sent back. */
	memset(&m, 0, sizeof(m));
	m.ci.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m.ci.Head.msgh_size = sizeof(m.ci);
	m.ci.Head.msgh_remote_port = bootstrap_port;
	m.ci.Head.msgh_id = 400;
	strcpy(m.ci.service_name, "h.noreply");
	CHILD_EQ(MACH_MSG_SUCCESS, mach_msg(&m.ci.Head, MACH_SEND_MSG | MACH_SEND_TIMEOUT,
					     sizeof(m.ci), 0, MACH_PORT_NULL, WAIT_MS,
					     MACH_PORT_NULL));
	/* A fake no-senders notification on the bootstrap port changes nothing. */
	memset(&m, 0, sizeof(m));
	m.ci.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m.ci.Head.msgh_size = sizeof(mach_no_senders_notification_t) - sizeof(mach_msg_format_0_trailer_t);
	m.ci.Head.msgh_remote_port = bootstrap_port;
	m.ci.Head.msgh_id = MACH_NOTIFY_NO_SENDERS;
	CHILD_EQ(MACH_MSG_SUCCESS, mach_msg(&m.ci.Head, MACH_SEND_MSG | MACH_SEND_TIMEOUT,
					     m.ci.Head.msgh_size, 0, MACH_PORT_NULL, WAIT_MS,
					     MACH_PORT_NULL));
	/* The daemon still answers, and took none of our rights with it. */
	CHILD_EQ(BOOTSTRAP_UNKNOWN_SERVICE, do_look_up("h.none"));
	CHILD_EQ(before + 1, name_count(mach_task_self()));
	CHILD_PUT(wr, 0);
	CHILD_GET(rd);
}

TEST_F(bs, hostile_requests_get_defined_errors_and_cost_nothing)
{
	machipc_bootstrap_counts_t c0 = counts_of(_metadata, bootstrap_port), c1;
	struct kid k = { 0 };

	ASSERT_TRUE(spawn(&k, SPAWN_WAIT_READY, hostile_requests, 0));
	EXPECT_TRUE(end_kid(&k));
	ASSERT_TRUE(daemon_settled(bootstrap_port));
	c1 = counts_of(_metadata, bootstrap_port);
	/* The one that was served without a reply port made a name, which
	 * came back inactive when its reply could not be sent; nothing else. */
	EXPECT_EQ(c0.names + 1, c1.names);
	EXPECT_EQ(BOOTSTRAP_STATUS_INACTIVE, status_of_name("h.noreply"));
	EXPECT_EQ(STATUS_UNKNOWN, status_of_name("h.cplx"));
	EXPECT_EQ(STATUS_UNKNOWN, status_of_name("h.recv"));
	EXPECT_EQ(STATUS_UNKNOWN, status_of_name("h.flags"));
	EXPECT_EQ(c0.tracked_ports + 1, c1.tracked_ports);
	EXPECT_EQ(c0.port_names + 1, c1.port_names);
	EXPECT_EQ(c0.bootstraps, c1.bootstraps);
}

/* A client whose reply port is a full send right: the daemon does not wait. */
TEST_F(bs, full_reply_port_does_not_block_the_daemon)
{
	mach_port_t r = new_send_receive(_metadata, 1);
	__Request__status_t m;
	mach_port_t p = MACH_PORT_NULL;
	int i;

	ASSERT_EQ(KERN_SUCCESS, set_qlimit(r, 1));
	for (i = 0; i < 4; i++) {
		memset(&m, 0, sizeof(m));
		m.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_COPY_SEND);
		m.Head.msgh_size = sizeof(m);
		m.Head.msgh_remote_port = bootstrap_port;
		m.Head.msgh_local_port = r;
		m.Head.msgh_id = 407; /* status: a simple reply */
		strcpy(m.service_name, "t.full");
		ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&m.Head, MACH_SEND_MSG | MACH_SEND_TIMEOUT,
						     sizeof(m), 0, MACH_PORT_NULL, WAIT_MS,
						     MACH_PORT_NULL));
	}
	/* It answered the others and us at once (one reply queued, the
	 * others dropped). */
	EXPECT_EQ(KERN_SUCCESS, bootstrap_check_in(bootstrap_port, "t.full", &p));
	EXPECT_EQ(1U, STATUS_FIELD(r, mps_msgcount));
}

/* ---- subsets and parents ------------------------------------------------------------------ */

TEST_F(bs, parent_of_the_root_is_the_root)
{
	mach_port_t p = MACH_PORT_NULL;

	ASSERT_EQ(KERN_SUCCESS, bootstrap_parent(bootstrap_port, &p));
	EXPECT_EQ(bootstrap_port, p);
}

TEST_F(bs, subset_sees_its_parents_names_and_keeps_its_own)
{
	mach_port_t sub = MACH_PORT_NULL, s = new_send_receive(_metadata, 1);
	mach_port_t p = MACH_PORT_NULL, mine = MACH_PORT_NULL, parent = MACH_PORT_NULL;

	ASSERT_EQ(KERN_SUCCESS, bootstrap_register(bootstrap_port, "t.up", s));
	ASSERT_EQ(KERN_SUCCESS, bootstrap_subset(bootstrap_port, mach_task_self(), &sub));
	EXPECT_NE(bootstrap_port, sub);
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_of(sub));
	/* Layered: the parent's names are seen. */
	ASSERT_EQ(KERN_SUCCESS, bootstrap_look_up(sub, "t.up", &p));
	EXPECT_EQ(s, p);
	/* Its own stay in it. */
	ASSERT_EQ(KERN_SUCCESS, bootstrap_check_in(sub, "t.private", &mine));
	EXPECT_EQ(BOOTSTRAP_UNKNOWN_SERVICE, bootstrap_look_up(bootstrap_port, "t.private", &p));
	ASSERT_EQ(KERN_SUCCESS, bootstrap_look_up(sub, "t.private", &p));
	EXPECT_EQ(mine, p);
	ASSERT_EQ(KERN_SUCCESS, bootstrap_parent(sub, &parent));
	EXPECT_EQ(bootstrap_port, parent);
}

TEST_F(bs, subset_name_hides_the_parents_and_force_local_skips_the_parent)
{
	mach_port_t sub = MACH_PORT_NULL, s = new_send_receive(_metadata, 1);
	mach_port_t t = new_send_receive(_metadata, 1), p = MACH_PORT_NULL;

	ASSERT_EQ(KERN_SUCCESS, bootstrap_register(bootstrap_port, "t.both", s));
	ASSERT_EQ(KERN_SUCCESS, bootstrap_register(bootstrap_port, "t.rootonly", s));
	ASSERT_EQ(KERN_SUCCESS, bootstrap_subset(bootstrap_port, mach_task_self(), &sub));
	ASSERT_EQ(KERN_SUCCESS, bootstrap_register(sub, "t.both", t));
	ASSERT_EQ(KERN_SUCCESS, bootstrap_look_up(sub, "t.both", &p));
	EXPECT_EQ(t, p);
	ASSERT_EQ(KERN_SUCCESS, bootstrap_look_up(bootstrap_port, "t.both", &p));
	EXPECT_EQ(s, p);
	EXPECT_EQ(BOOTSTRAP_UNKNOWN_SERVICE,
		  bootstrap_look_up2(sub, "t.rootonly", &p, 0, BOOTSTRAP_FORCE_LOCAL));
	EXPECT_EQ(KERN_SUCCESS, bootstrap_look_up2(sub, "t.both", &p, 0, BOOTSTRAP_FORCE_LOCAL));
	EXPECT_EQ(t, p);
}

TEST_F(bs, subset_goes_with_its_requestor_port)
{
	mach_port_t req = new_send_receive(_metadata, 1), sub = MACH_PORT_NULL, p = MACH_PORT_NULL;
	machipc_bootstrap_counts_t c0 = counts_of(_metadata, bootstrap_port), c1;

	ASSERT_EQ(KERN_SUCCESS, bootstrap_subset(bootstrap_port, req, &sub));
	ASSERT_EQ(KERN_SUCCESS, bootstrap_check_in(sub, "t.insub", &p));
	c1 = counts_of(_metadata, bootstrap_port);
	EXPECT_EQ(c0.bootstraps + 1, c1.bootstraps);
	EXPECT_EQ(c0.names + 1, c1.names);
	/* The requestor dies: the subset and its names go. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), req, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_TRUE(POLL_UNTIL(type_of(sub) == MACH_PORT_TYPE_DEAD_NAME, BLOCK_WAIT_MS));
	ASSERT_TRUE(daemon_settled(bootstrap_port));
	c1 = counts_of(_metadata, bootstrap_port);
	EXPECT_EQ(c0.bootstraps, c1.bootstraps);
	EXPECT_EQ(c0.names, c1.names);
	EXPECT_EQ(c0.port_names, c1.port_names);
	EXPECT_EQ(c0.tracked_ports, c1.tracked_ports);
	EXPECT_EQ(c0.caller_bytes, c1.caller_bytes);
}

TEST_F(bs, subset_goes_when_no_send_right_to_it_is_left)
{
	mach_port_t sub = MACH_PORT_NULL;
	machipc_bootstrap_counts_t c0 = counts_of(_metadata, bootstrap_port), c1;

	ASSERT_EQ(KERN_SUCCESS, bootstrap_subset(bootstrap_port, mach_task_self(), &sub));
	c1 = counts_of(_metadata, bootstrap_port);
	EXPECT_EQ(c0.bootstraps + 1, c1.bootstraps);
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), sub));
	EXPECT_TRUE(POLL_UNTIL(({
		machipc_bootstrap_counts_t c = counts_of(_metadata, bootstrap_port);
		c.bootstraps == c0.bootstraps && c.port_names == c0.port_names;
	}), BLOCK_WAIT_MS));
}

TEST_F(bs, subset_without_send_rights_lives_while_its_subsets_do)
{
	mach_port_t sub = MACH_PORT_NULL, subsub = MACH_PORT_NULL, p = MACH_PORT_NULL;
	mach_port_t s = new_send_receive(_metadata, 1);
	machipc_bootstrap_counts_t c0 = counts_of(_metadata, bootstrap_port);

	ASSERT_EQ(KERN_SUCCESS, bootstrap_subset(bootstrap_port, mach_task_self(), &sub));
	ASSERT_EQ(KERN_SUCCESS, bootstrap_register(sub, "t.middle", s));
	ASSERT_EQ(KERN_SUCCESS, bootstrap_subset(sub, mach_task_self(), &subsub));
	/* No send right to the middle one is left: the inner one still looks
	 * through it. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), sub));
	ASSERT_TRUE(daemon_settled(bootstrap_port));
	EXPECT_EQ(c0.bootstraps + 2, counts_of(_metadata, bootstrap_port).bootstraps);
	ASSERT_EQ(KERN_SUCCESS, bootstrap_look_up(subsub, "t.middle", &p));
	EXPECT_EQ(s, p);
	/* Its parent, asked for again, is reachable again. */
	ASSERT_EQ(KERN_SUCCESS, bootstrap_parent(subsub, &sub));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), sub));
	/* The inner one goes: the middle one, unreachable, with it. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), subsub));
	EXPECT_TRUE(POLL_UNTIL(({
		machipc_bootstrap_counts_t c = counts_of(_metadata, bootstrap_port);
		c.bootstraps == c0.bootstraps && c.names == c0.names &&
			c.port_names == c0.port_names;
	}), BLOCK_WAIT_MS));
}

TEST_F(bs, subset_needs_a_live_requestor)
{
	mach_port_t sub = 0x66, dead = new_send_receive(_metadata, 1);

	EXPECT_EQ(KERN_INVALID_ARGUMENT, bootstrap_subset(bootstrap_port, MACH_PORT_NULL, &sub));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), dead, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, bootstrap_subset(bootstrap_port, dead, &sub));
	EXPECT_EQ(0x66U, sub);
}

TEST_F(bs, subsets_deeper_than_the_limit_are_no_memory)
{
	mach_port_t b = bootstrap_port, sub = MACH_PORT_NULL;
	int depth;

	/* --max-depth 4 */
	for (depth = 1; depth <= 4; depth++) {
		ASSERT_EQ(KERN_SUCCESS, bootstrap_subset(b, mach_task_self(), &sub)) TH_LOG("depth %d", depth);
		b = sub;
	}
	EXPECT_EQ(BOOTSTRAP_NO_MEMORY, bootstrap_subset(b, mach_task_self(), &sub));
}

static kern_return_t make_subsets(const void *arg)
{
	int n = *(const int *)arg, i;
	mach_port_t sub = MACH_PORT_NULL;

	for (i = 0; i < n; i++) {
		kern_return_t kr = bootstrap_subset(bootstrap_port, mach_task_self(), &sub);

		if (kr != KERN_SUCCESS)
			return kr == BOOTSTRAP_NO_MEMORY && i == 8 ? BOOTSTRAP_NO_MEMORY : 0x5000 + i;
	}
	return KERN_SUCCESS;
}

TEST_F(bs, subsets_of_one_uid_are_bounded)
{
	int n = 9;

	/* --max-subsets-per-uid 8: the ninth is refused. */
	EXPECT_EQ(BOOTSTRAP_NO_MEMORY, as_uid(NOBODY, make_subsets, &n));
	/* That uid's subsets went with it (their requestor, its task). */
	EXPECT_TRUE(POLL_UNTIL(counts_of(_metadata, bootstrap_port).bootstraps == 1, BLOCK_WAIT_MS));
}

TEST_F(bs, lookup_children_lists_the_subsets_of_their_owner)
{
	mach_port_array_t kids = NULL;
	name_array_t names = NULL;
	bootstrap_property_array_t props = NULL;
	mach_msg_type_number_t n = 0;
	mach_port_t a = MACH_PORT_NULL, b = MACH_PORT_NULL;

	EXPECT_EQ(BOOTSTRAP_NO_CHILDREN,
		  bootstrap_lookup_children(bootstrap_port, &kids, &names, &props, &n));
	ASSERT_EQ(KERN_SUCCESS, bootstrap_subset(bootstrap_port, mach_task_self(), &a));
	ASSERT_EQ(KERN_SUCCESS, bootstrap_subset(bootstrap_port, mach_task_self(), &b));
	ASSERT_EQ(KERN_SUCCESS, bootstrap_lookup_children(bootstrap_port, &kids, &names, &props, &n));
	ASSERT_EQ(2U, n);
	EXPECT_TRUE((kids[0] == a && kids[1] == b) || (kids[0] == b && kids[1] == a));
	EXPECT_EQ((unsigned)BOOTSTRAP_PROPERTY_EXPLICITSUBSET, props[0]);
	EXPECT_NE(NULL, strstr(names[0], "subset"));
	EXPECT_EQ(BOOTSTRAP_NO_CHILDREN, bootstrap_lookup_children(a, &kids, &names, &props, &n));
}

static kern_return_t do_lookup_children(const void *arg)
{
	mach_port_array_t kids = NULL;
	name_array_t names = NULL;
	bootstrap_property_array_t props = NULL;
	mach_msg_type_number_t n = 0;

	(void)arg;
	return bootstrap_lookup_children(bootstrap_port, &kids, &names, &props, &n);
}

TEST_F(bs, lookup_children_of_another_uid_is_not_privileged)
{
	mach_port_t a = MACH_PORT_NULL;

	ASSERT_EQ(KERN_SUCCESS, bootstrap_subset(bootstrap_port, mach_task_self(), &a));
	EXPECT_EQ(BOOTSTRAP_NOT_PRIVILEGED, as_uid(NOBODY, do_lookup_children, NULL));
}

/* ---- look_up_array, info, look_up2 flags, per-pid names ---------------------------------- */

TEST_F(bs, look_up_array_answers_up_to_twenty_names)
{
	name_t names[BOOTSTRAP_MAX_LOOKUP_COUNT + 1];
	mach_port_array_t ports = NULL;
	mach_msg_type_number_t n = 0, i;
	boolean_t all = TRUE;
	mach_port_t s = new_send_receive(_metadata, 1);

	ASSERT_EQ(KERN_SUCCESS, bootstrap_register(bootstrap_port, "t.arr", s));
	memset(names, 0, sizeof(names));
	for (i = 0; i <= BOOTSTRAP_MAX_LOOKUP_COUNT; i++)
		snprintf(names[i], sizeof(name_t), i % 2 ? "t.arr" : "t.missing%u", i);
	EXPECT_EQ(BOOTSTRAP_BAD_COUNT,
		  bootstrap_look_up_array(bootstrap_port, names, BOOTSTRAP_MAX_LOOKUP_COUNT + 1,
					  &ports, &n, &all));
	ASSERT_EQ(KERN_SUCCESS, bootstrap_look_up_array(bootstrap_port, names,
							BOOTSTRAP_MAX_LOOKUP_COUNT, &ports, &n, &all));
	ASSERT_EQ((unsigned)BOOTSTRAP_MAX_LOOKUP_COUNT, n);
	EXPECT_EQ((boolean_t)FALSE, all);
	for (i = 0; i < n; i++)
		EXPECT_EQ(i % 2 ? s : MACH_PORT_NULL, ports[i]) TH_LOG("name %u", i);
	vm_deallocate(mach_task_self(), (vm_address_t)ports, n * sizeof(*ports));
	ASSERT_EQ(KERN_SUCCESS, bootstrap_look_up_array(bootstrap_port, &names[1], 1, &ports, &n, &all));
	EXPECT_EQ((boolean_t)TRUE, all);
}

TEST_F(bs, info_lists_the_names_of_a_namespace_with_their_status)
{
	name_array_t names = NULL, jobs = NULL;
	bootstrap_status_array_t act = NULL;
	mach_msg_type_number_t nn = 0, nj = 0, na = 0, i;
	mach_port_t a = MACH_PORT_NULL, b = MACH_PORT_NULL;
	int seen = 0;

	ASSERT_EQ(KERN_SUCCESS, bootstrap_check_in(bootstrap_port, "t.i.active", &a));
	ASSERT_EQ(KERN_SUCCESS, bootstrap_create_service(bootstrap_port, "t.i.reserved", &b));
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  bootstrap_info(bootstrap_port, &names, &nn, &jobs, &nj, &act, &na, 1));
	ASSERT_EQ(KERN_SUCCESS, bootstrap_info(bootstrap_port, &names, &nn, &jobs, &nj, &act, &na, 0));
	EXPECT_EQ(nn, nj);
	EXPECT_EQ(nn, na);
	for (i = 0; i < nn; i++) {
		if (!strcmp(names[i], "t.i.active")) {
			EXPECT_EQ(BOOTSTRAP_STATUS_ACTIVE, act[i]);
			seen++;
		} else if (!strcmp(names[i], "t.i.reserved")) {
			EXPECT_EQ(BOOTSTRAP_STATUS_INACTIVE, act[i]);
			seen++;
		}
		EXPECT_STREQ("", jobs[i]);
	}
	EXPECT_EQ(2, seen);
}

TEST_F(bs, look_up2_flags)
{
	mach_port_t s = new_send_receive(_metadata, 1), p = MACH_PORT_NULL;

	ASSERT_EQ(KERN_SUCCESS, bootstrap_register(bootstrap_port, "t.root.owned", s));
	/* Owned by root: found with BOOTSTRAP_PRIVILEGED_SERVER. */
	EXPECT_EQ(KERN_SUCCESS, bootstrap_look_up2(bootstrap_port, "t.root.owned", &p, 0,
						   BOOTSTRAP_PRIVILEGED_SERVER));
	/* Accepted, meaning nothing here. */
	EXPECT_EQ(KERN_SUCCESS, bootstrap_look_up2(bootstrap_port, "t.root.owned", &p, 0,
						   BOOTSTRAP_ALLOW_LOOKUP |
							   BOOTSTRAP_DENY_JOB_CREATION));
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  bootstrap_look_up2(bootstrap_port, "t.root.owned", &p, 0, 1ULL << 20));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, bootstrap_look_up2(bootstrap_port, "t.root.owned", &p, 0,
							     BOOTSTRAP_PER_PID_SERVICE));
}

TEST_F(bs, privileged_server_look_up_of_a_name_of_another_uid_is_not_privileged)
{
	struct kid srv = { 0 };
	mach_port_t p = 0x88;

	kid_check_in_and_serve(&srv, NOBODY, "t.nobodys");
	ASSERT_EQ(KERN_SUCCESS, kid_result(&srv));
	EXPECT_EQ(BOOTSTRAP_NOT_PRIVILEGED, bootstrap_look_up2(bootstrap_port, "t.nobodys", &p, 0,
							       BOOTSTRAP_PRIVILEGED_SERVER));
	EXPECT_EQ(0x88U, p);
	EXPECT_EQ(KERN_SUCCESS, bootstrap_look_up(bootstrap_port, "t.nobodys", &p));
	EXPECT_TRUE(kill_kid(&srv));
}

TEST_F(bs, per_pid_name_is_seen_only_by_pid_and_goes_with_its_process)
{
	struct kid k = { 0 };
	mach_port_t p = MACH_PORT_NULL;
	int pid = 0;

	if (kid_fork(&k) == 0) {
		mach_port_t s = new_port();

		mach_port_insert_right(mach_task_self(), s, s, MACH_MSG_TYPE_MAKE_SEND);
		CHILD_PUT(k.wr, (uint32_t)bootstrap_register2(bootstrap_port, "t.mine", s,
							     BOOTSTRAP_PER_PID_SERVICE));
		/* Serve until told to exit (keeping the port alive). */
		echo_serve(s, 1, 0);
		CHILD_GET(k.rd);
		_exit(0);
	}
	ASSERT_EQ(KERN_SUCCESS, kid_result(&k));
	EXPECT_EQ(BOOTSTRAP_UNKNOWN_SERVICE, bootstrap_look_up(bootstrap_port, "t.mine", &p));
	EXPECT_EQ(BOOTSTRAP_UNKNOWN_SERVICE, bootstrap_look_up2(bootstrap_port, "t.mine", &p,
								 getpid(), BOOTSTRAP_PER_PID_SERVICE));
	ASSERT_EQ(KERN_SUCCESS, bootstrap_look_up2(bootstrap_port, "t.mine", &p, k.pid,
						   BOOTSTRAP_PER_PID_SERVICE));
	EXPECT_EQ(MACH_MSG_SUCCESS, echo_call(p, 5, WAIT_MS, &pid));
	EXPECT_EQ(k.pid, pid);
	EXPECT_EQ(1U, counts_of(_metadata, bootstrap_port).names_per_pid);
	EXPECT_TRUE(end_kid(&k));
	/* Its process is gone: so is the name. */
	EXPECT_TRUE(POLL_UNTIL(bootstrap_look_up2(bootstrap_port, "t.mine", &p, k.pid,
						  BOOTSTRAP_PER_PID_SERVICE) ==
				       BOOTSTRAP_UNKNOWN_SERVICE,
			       BLOCK_WAIT_MS));
	EXPECT_TRUE(POLL_UNTIL(counts_of(_metadata, bootstrap_port).names_per_pid == 0,
			       BLOCK_WAIT_MS));
}

/* ---- uid rules, as uid 65534 ---------------------------------------------------------------- */

TEST_F(bs, unprivileged_uid_cannot_take_or_remove_a_name_of_root)
{
	mach_port_t p = MACH_PORT_NULL, sp = MACH_PORT_NULL;

	ASSERT_EQ(KERN_SUCCESS, bootstrap_check_in(bootstrap_port, "t.roots", &p));
	ASSERT_EQ(KERN_SUCCESS, bootstrap_create_service(bootstrap_port, "t.roots.reserved", &sp));
	EXPECT_EQ(BOOTSTRAP_NOT_PRIVILEGED, as_uid(NOBODY, do_check_in, "t.roots.reserved"));
	EXPECT_EQ(BOOTSTRAP_NOT_PRIVILEGED, as_uid(NOBODY, do_register, "t.roots.reserved"));
	EXPECT_EQ(BOOTSTRAP_NOT_PRIVILEGED, as_uid(NOBODY, do_unregister, "t.roots"));
	/* An active name is active before it is someone's. */
	EXPECT_EQ(BOOTSTRAP_NOT_PRIVILEGED, as_uid(NOBODY, do_check_in, "t.roots"));
	/* Anyone may look up. */
	EXPECT_EQ(KERN_SUCCESS, as_uid(NOBODY, do_look_up, "t.roots"));
	EXPECT_EQ(KERN_SUCCESS, as_uid(NOBODY, do_look_up, "t.roots.reserved"));
	EXPECT_EQ(BOOTSTRAP_STATUS_ACTIVE, status_of_name("t.roots"));
}

TEST_F(bs, unprivileged_uid_owns_the_names_it_makes)
{
	struct kid srv = { 0 };

	kid_check_in_and_serve(&srv, NOBODY, "t.u.svc");
	ASSERT_EQ(KERN_SUCCESS, kid_result(&srv));
	EXPECT_EQ(BOOTSTRAP_SERVICE_ACTIVE, as_uid(NOBODY, do_check_in, "t.u.svc"));
	EXPECT_TRUE(kill_kid(&srv));
	ASSERT_TRUE(POLL_UNTIL(status_of_name("t.u.svc") == BOOTSTRAP_STATUS_INACTIVE,
			       BLOCK_WAIT_MS));
	/* Inactive, still its uid's: another uid may not check it in... */
	EXPECT_EQ(BOOTSTRAP_NOT_PRIVILEGED, as_uid(NOBODY2, do_check_in, "t.u.svc"));
	EXPECT_EQ(BOOTSTRAP_NOT_PRIVILEGED, as_uid(NOBODY2, do_register, "t.u.svc"));
	EXPECT_EQ(BOOTSTRAP_NOT_PRIVILEGED, as_uid(NOBODY2, do_unregister, "t.u.svc"));
	/* ...its own uid may, in a new process. */
	EXPECT_EQ(KERN_SUCCESS, as_uid(NOBODY, do_check_in, "t.u.svc"));
	EXPECT_EQ(BOOTSTRAP_NAME_IN_USE, as_uid(NOBODY2, do_create_service, "t.u.svc"));
}

TEST_F(bs, root_may_take_over_an_inactive_name_of_any_uid)
{
	mach_port_t p = MACH_PORT_NULL;

	EXPECT_EQ(KERN_SUCCESS, as_uid(NOBODY, do_check_in, "t.u.left"));
	ASSERT_TRUE(POLL_UNTIL(status_of_name("t.u.left") == BOOTSTRAP_STATUS_INACTIVE,
			       BLOCK_WAIT_MS));
	EXPECT_EQ(KERN_SUCCESS, bootstrap_check_in(bootstrap_port, "t.u.left", &p));
	EXPECT_EQ(KERN_SUCCESS, bootstrap_register(bootstrap_port, "t.u.left", MACH_PORT_NULL));
}

static kern_return_t fill_names(const void *arg)
{
	int limit = *(const int *)arg, i;
	mach_port_t s = new_port();
	machipc_bootstrap_counts_t c;
	char name[64];
	kern_return_t kr = KERN_SUCCESS;

	mach_port_insert_right(mach_task_self(), s, s, MACH_MSG_TYPE_MAKE_SEND);
	for (i = 0; i < limit + 1; i++) {
		snprintf(name, sizeof(name), "t.fill.%d.%d", (int)getuid(), i);
		kr = bootstrap_register(bootstrap_port, name, s);
		if (kr != KERN_SUCCESS)
			break;
	}
	/* The bound is the uid's: exactly `limit` names, then no memory. */
	if (i != limit || kr != BOOTSTRAP_NO_MEMORY)
		return 0x6000 + i;
	if (machipc_bootstrap_counts(bootstrap_port, &c) != KERN_SUCCESS ||
	    c.caller_names != (uint64_t)limit || c.caller_bytes == 0 ||
	    c.caller_bytes > c.limit_bytes_per_uid)
		return 0x7000;
	/* Freed again, to the byte. */
	for (i = 0; i < limit; i++) {
		snprintf(name, sizeof(name), "t.fill.%d.%d", (int)getuid(), i);
		if (bootstrap_register(bootstrap_port, name, MACH_PORT_NULL) != KERN_SUCCESS)
			return 0x8000 + i;
	}
	if (machipc_bootstrap_counts(bootstrap_port, &c) != KERN_SUCCESS || c.caller_names ||
	    c.caller_bytes)
		return 0x9000;
	/* Full again, for the test to look at. */
	for (i = 0; i < limit; i++) {
		snprintf(name, sizeof(name), "t.fill.%d.%d", (int)getuid(), i);
		if (bootstrap_register(bootstrap_port, name, s) != KERN_SUCCESS)
			return 0xa000 + i;
	}
	return BOOTSTRAP_NO_MEMORY;
}

TEST_F(bs, names_of_one_uid_are_bounded_and_other_uids_are_not_affected)
{
	int limit = 64; /* --max-names-per-uid 64 */
	machipc_bootstrap_counts_t c;
	mach_port_t p = MACH_PORT_NULL;

	EXPECT_EQ(BOOTSTRAP_NO_MEMORY, as_uid(NOBODY, fill_names, &limit));
	/* Another uid still has its own room. */
	EXPECT_EQ(KERN_SUCCESS, as_uid(NOBODY2, do_check_in, "t.other.uid"));
	EXPECT_EQ(KERN_SUCCESS, bootstrap_check_in(bootstrap_port, "t.root.too", &p));
	c = counts_of(_metadata, bootstrap_port);
	EXPECT_LE((uint64_t)limit, c.refused_no_memory + (uint64_t)limit);
	EXPECT_GE(c.refused_no_memory, 1U);
	EXPECT_GE(c.uids, 3U);
}

TEST(bytes_of_one_uid_are_bounded)
{
	static const char *const args[] = { "--max-bytes-per-uid", "4096", NULL };
	struct bsd d;
	const char *why = bsd_start(&d, args);
	machipc_bootstrap_counts_t c;
	mach_port_t s = new_send_receive(_metadata, 1);
	char name[BOOTSTRAP_MAX_NAME_LEN];
	kern_return_t kr = KERN_SUCCESS;
	int i;

	ASSERT_EQ(NULL, why) TH_LOG("%s", why);
	use_bootstrap(d.port);
	memset(name, 'b', sizeof(name) - 1);
	name[sizeof(name) - 1] = 0;
	for (i = 0; i < 1000 && kr == KERN_SUCCESS; i++) {
		name[0] = (char)('A' + i % 26);
		name[1] = (char)('A' + i / 26 % 26);
		kr = bootstrap_register(bootstrap_port, name, s);
	}
	EXPECT_EQ(BOOTSTRAP_NO_MEMORY, kr);
	EXPECT_GT(i, 2);
	c = counts_of(_metadata, bootstrap_port);
	EXPECT_LE(c.caller_bytes, 4096U);
	EXPECT_GT(c.caller_bytes + 400, 4096U) TH_LOG("bounded well below the limit");
	EXPECT_EQ(0, bsd_log_errors(&d));
	bsd_stop(&d, false);
	unlink(d.log);
}

/* ---- servers the daemon starts (create_server) ------------------------------------------- */

static void make_cmd(char *buf, size_t n, const char *helper, const char *arg)
{
	snprintf(buf, n, "%s --helper %s %s", self_path(), helper, arg);
}

TEST_F(bs, on_demand_server_starts_when_a_message_waits)
{
	cmd_t cmd;
	mach_port_t server = MACH_PORT_NULL, sp = MACH_PORT_NULL;
	machipc_bootstrap_counts_t c;
	int pid = 0, pid2 = 0;

	make_cmd(cmd, sizeof(cmd), "serve", "t.od");
	ASSERT_EQ(KERN_SUCCESS, bootstrap_create_server(bootstrap_port, cmd, getuid(), TRUE, &server));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_of(server));
	/* Its name, made through its port: the server's. */
	ASSERT_EQ(KERN_SUCCESS, bootstrap_create_service(server, "t.od", &sp));
	EXPECT_EQ(BOOTSTRAP_STATUS_ON_DEMAND, status_of_name("t.od"));
	c = counts_of(_metadata, bootstrap_port);
	EXPECT_EQ(1U, c.servers);
	EXPECT_EQ(0U, c.servers_running);
	EXPECT_EQ(0U, c.launches);
	/* A message arrives: the daemon starts it; it checks in and answers. */
	ASSERT_EQ(MACH_MSG_SUCCESS, echo_call(sp, 11, BLOCK_WAIT_MS, &pid));
	EXPECT_GT(pid, 0);
	EXPECT_EQ(BOOTSTRAP_STATUS_ACTIVE, status_of_name("t.od"));
	c = counts_of(_metadata, bootstrap_port);
	EXPECT_EQ(1U, c.launches);
	EXPECT_EQ(1U, c.servers_running);
	/* It dies; its port comes back; the next message starts it again. */
	ASSERT_EQ(0, kill(pid, SIGKILL));
	EXPECT_TRUE(POLL_UNTIL(status_of_name("t.od") == BOOTSTRAP_STATUS_ON_DEMAND, BLOCK_WAIT_MS));
	ASSERT_EQ(MACH_MSG_SUCCESS, echo_call(sp, 12, BLOCK_WAIT_MS, &pid2));
	EXPECT_NE(pid, pid2);
	EXPECT_EQ(2U, counts_of(_metadata, bootstrap_port).launches);
	kill(pid2, SIGKILL);
	EXPECT_TRUE(POLL_UNTIL(counts_of(_metadata, bootstrap_port).servers_running == 0,
			       BLOCK_WAIT_MS));
}

TEST_F(bs, server_not_on_demand_starts_at_once_and_again_after_it_dies)
{
	cmd_t cmd;
	mach_port_t server = MACH_PORT_NULL, p = MACH_PORT_NULL;
	int pid = 0, pid2 = 0;

	make_cmd(cmd, sizeof(cmd), "serve", "t.keep");
	ASSERT_EQ(KERN_SUCCESS, bootstrap_create_server(bootstrap_port, cmd, NOBODY, FALSE, &server));
	/* It checks in by itself (dynamically: the name is the server's). */
	ASSERT_TRUE(POLL_UNTIL(status_of_name("t.keep") == BOOTSTRAP_STATUS_ACTIVE, BLOCK_WAIT_MS));
	ASSERT_EQ(KERN_SUCCESS, bootstrap_look_up2(bootstrap_port, "t.keep", &p, 0,
						   BOOTSTRAP_FORCE_LOCAL));
	ASSERT_EQ(MACH_MSG_SUCCESS, echo_call(p, 1, WAIT_MS, &pid));
	/* Started as uid 65534: it owns the name. */
	EXPECT_EQ(BOOTSTRAP_NOT_PRIVILEGED, bootstrap_look_up2(bootstrap_port, "t.keep", &p, 0,
							       BOOTSTRAP_PRIVILEGED_SERVER));
	ASSERT_EQ(0, kill(pid, SIGKILL));
	/* It had checked in: it is started again (after the throttle). */
	ASSERT_TRUE(POLL_UNTIL(counts_of(_metadata, bootstrap_port).launches == 2, BLOCK_WAIT_MS));
	ASSERT_TRUE(POLL_UNTIL(status_of_name("t.keep") == BOOTSTRAP_STATUS_ACTIVE, BLOCK_WAIT_MS));
	ASSERT_EQ(MACH_MSG_SUCCESS, echo_call(p, 2, WAIT_MS, &pid2));
	EXPECT_NE(pid, pid2);
	/* Going away with its last send right and no name... it has one:
	 * removing it and the server port lets it go. */
	kill(pid2, SIGKILL);
	ASSERT_TRUE(POLL_UNTIL(counts_of(_metadata, bootstrap_port).launches == 3, BLOCK_WAIT_MS));
}

TEST_F(bs, server_that_exits_without_checking_in_is_not_started_again)
{
	cmd_t cmd;
	mach_port_t server = MACH_PORT_NULL;

	make_cmd(cmd, sizeof(cmd), "exit", "0");
	ASSERT_EQ(KERN_SUCCESS, bootstrap_create_server(bootstrap_port, cmd, getuid(), FALSE, &server));
	ASSERT_TRUE(POLL_UNTIL(({
		machipc_bootstrap_counts_t c = counts_of(_metadata, bootstrap_port);
		c.launches == 1 && c.servers_running == 0;
	}), BLOCK_WAIT_MS));
	/* The daemon decided so when it saw the exit (its log says it). */
	EXPECT_TRUE(POLL_UNTIL(log_has(&self->d, "exited without checking in: not restarted"),
			       BLOCK_WAIT_MS));
	EXPECT_EQ(1U, counts_of(_metadata, bootstrap_port).launches);
	/* With no name and no send right left, the server goes. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), server));
	EXPECT_TRUE(POLL_UNTIL(counts_of(_metadata, bootstrap_port).servers == 0, BLOCK_WAIT_MS));
}

struct server_req {
	const char *cmd;
	uid_t uid;
};

static kern_return_t do_create_server(const void *arg)
{
	const struct server_req *r = arg;
	mach_port_t s = MACH_PORT_NULL;
	cmd_t cmd;

	snprintf(cmd, sizeof(cmd), "%s", r->cmd);
	return bootstrap_create_server(bootstrap_port, cmd, r->uid, TRUE, &s);
}

TEST_F(bs, create_server_checks_its_command_and_uid)
{
	cmd_t cmd;
	struct server_req other = { "/bin/true", NOBODY2 }, own = { "/bin/true", NOBODY };
	mach_port_t s = MACH_PORT_NULL;
	int i;

	snprintf(cmd, sizeof(cmd), "relative/path");
	EXPECT_EQ(KERN_INVALID_ARGUMENT, bootstrap_create_server(bootstrap_port, cmd, 0, TRUE, &s));
	snprintf(cmd, sizeof(cmd), "   ");
	EXPECT_EQ(KERN_INVALID_ARGUMENT, bootstrap_create_server(bootstrap_port, cmd, 0, TRUE, &s));
	snprintf(cmd, sizeof(cmd), "/bin/true \"unterminated");
	EXPECT_EQ(KERN_INVALID_ARGUMENT, bootstrap_create_server(bootstrap_port, cmd, 0, TRUE, &s));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, bootstrap_create_server(bootstrap_port, NULL, 0, TRUE, &s));
	/* Another uid than one's own: root only. */
	EXPECT_EQ(BOOTSTRAP_NOT_PRIVILEGED, as_uid(NOBODY, do_create_server, &other));
	EXPECT_EQ(KERN_SUCCESS, as_uid(NOBODY, do_create_server, &own));
	/* --max-servers-per-uid 4 */
	snprintf(cmd, sizeof(cmd), "/bin/true");
	for (i = 0; i < 4; i++)
		EXPECT_EQ(KERN_SUCCESS, bootstrap_create_server(bootstrap_port, cmd, 0, TRUE, &s));
	EXPECT_EQ(BOOTSTRAP_NO_MEMORY, bootstrap_create_server(bootstrap_port, cmd, 0, TRUE, &s));
}

TEST(create_server_of_a_daemon_that_does_not_launch_is_not_supported)
{
	static const char *const args[] = { "--no-launch", NULL };
	struct bsd d;
	const char *why = bsd_start(&d, args);
	mach_port_t s = MACH_PORT_NULL;
	cmd_t cmd = "/bin/true";

	ASSERT_EQ(NULL, why) TH_LOG("%s", why);
	EXPECT_EQ(KERN_NOT_SUPPORTED, bootstrap_create_server(d.port, cmd, 0, TRUE, &s));
	EXPECT_EQ(0, bsd_log_errors(&d));
	bsd_stop(&d, false);
	unlink(d.log);
}

/* ---- a restart of the daemon ------------------------------------------------------------- */

TEST(restarted_daemon_keeps_names_reserved_until_their_servers_check_in_again)
{
	char state[96], opt[] = "--state";
	const char *args[] = { opt, state, NULL };
	struct bsd d1, d2;
	const char *why;
	struct kid srv = { 0 };
	mach_port_t p = MACH_PORT_NULL;

	snprintf(state, sizeof(state), "/tmp/machipc-bootstrapd.%d.state", (int)getpid());
	unlink(state);
	why = bsd_start(&d1, args);
	ASSERT_EQ(NULL, why) TH_LOG("%s", why);
	use_bootstrap(d1.port);
	kid_check_in_and_serve(&srv, NOBODY, "t.survivor");
	ASSERT_EQ(KERN_SUCCESS, kid_result(&srv));
	/* The daemon crashes; a new one starts on the same state. */
	bsd_stop(&d1, true);
	EXPECT_TRUE(kill_kid(&srv));
	why = bsd_start(&d2, args);
	ASSERT_EQ(NULL, why) TH_LOG("%s", why);
	use_bootstrap(d2.port);
	/* Reserved for its uid, inactive: no port to look up yet. */
	EXPECT_EQ(BOOTSTRAP_STATUS_INACTIVE, status_of_name("t.survivor"));
	EXPECT_EQ(BOOTSTRAP_UNKNOWN_SERVICE, bootstrap_look_up(bootstrap_port, "t.survivor", &p));
	EXPECT_EQ(BOOTSTRAP_NOT_PRIVILEGED, as_uid(NOBODY2, do_check_in, "t.survivor"));
	/* Its server starts again and checks in: the name is back. */
	kid_check_in_and_serve(&srv, NOBODY, "t.survivor");
	EXPECT_EQ(KERN_SUCCESS, kid_result(&srv));
	EXPECT_EQ(BOOTSTRAP_STATUS_ACTIVE, status_of_name("t.survivor"));
	ASSERT_EQ(KERN_SUCCESS, bootstrap_look_up(bootstrap_port, "t.survivor", &p));
	EXPECT_EQ(MACH_MSG_SUCCESS, echo_call(p, 9, WAIT_MS, NULL));
	EXPECT_TRUE(kill_kid(&srv));
	EXPECT_EQ(0, bsd_log_errors(&d1));
	EXPECT_EQ(0, bsd_log_errors(&d2));
	bsd_stop(&d2, false);
	unlink(d1.log);
	unlink(d2.log);
	unlink(state);
}

TEST(restarted_daemon_without_state_starts_empty)
{
	struct bsd d1, d2;
	const char *why = bsd_start(&d1, NULL);
	mach_port_t p = MACH_PORT_NULL;

	ASSERT_EQ(NULL, why) TH_LOG("%s", why);
	use_bootstrap(d1.port);
	ASSERT_EQ(KERN_SUCCESS, bootstrap_check_in(bootstrap_port, "t.forgotten", &p));
	bsd_stop(&d1, true);
	why = bsd_start(&d2, NULL);
	ASSERT_EQ(NULL, why) TH_LOG("%s", why);
	use_bootstrap(d2.port);
	EXPECT_EQ(STATUS_UNKNOWN, status_of_name("t.forgotten"));
	EXPECT_EQ(1U, counts_of(_metadata, bootstrap_port).bootstraps);
	EXPECT_EQ(0U, counts_of(_metadata, bootstrap_port).names);
	bsd_stop(&d2, false);
	unlink(d1.log);
	unlink(d2.log);
}

/* ---- what the daemon relies on: bootstrap port inheritance ---------------------------------- */

/* A child sends one message to its bootstrap port. */
static void send_to_bootstrap(int arg, int rd, int wr)
{
	small_note_t m;

	(void)rd;
	(void)wr;
	memset(&m, 0, sizeof(m));
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m.h.msgh_size = sizeof(m);
	m.h.msgh_remote_port = bootstrap_port;
	m.h.msgh_id = 4800 + arg;
	CHILD_EQ(MACH_MSG_SUCCESS, mach_msg(&m.h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0,
					    MACH_PORT_NULL, WAIT_MS, MACH_PORT_NULL));
}

/*
 * The daemon starts a server with the server's port as its bootstrap port
 * by setting its own, forking and setting it back: a child forked after
 * the parent changed its bootstrap port back must get the port it was
 * changed back to (and one forked in between, the other), however the
 * module copies the parent's ports (at fork, or at the child's first use
 * of /dev/mach).
 */
TEST(child_forked_after_a_restore_gets_the_restored_bootstrap_port)
{
	mach_port_t a = new_send_receive(_metadata, 1), b = new_send_receive(_metadata, 1);
	struct kid k1 = { 0 }, k2 = { 0 };
	struct {
		small_note_t m;
		mach_msg_max_trailer_t t;
	} r;

	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, b));
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, a));
	ASSERT_TRUE(spawn(&k1, 0, send_to_bootstrap, 1));
	EXPECT_CHILD_OK(reap(&k1));
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, b));
	/* As the daemon: the port lent to the first child goes. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), a));
	ASSERT_TRUE(spawn(&k2, 0, send_to_bootstrap, 2));
	EXPECT_CHILD_OK(reap(&k2));
	memset(&r, 0, sizeof(r));
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&r.m.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r),
					     b, WAIT_MS, MACH_PORT_NULL));
	EXPECT_EQ(4802, r.m.h.msgh_id);
}

/* ---- the rest of the API -------------------------------------------------------------------- */

TEST(strerror_names_every_code)
{
	EXPECT_STREQ("Success", bootstrap_strerror(BOOTSTRAP_SUCCESS));
	EXPECT_STREQ("Permission denied", bootstrap_strerror(BOOTSTRAP_NOT_PRIVILEGED));
	EXPECT_STREQ("Service name already exists", bootstrap_strerror(BOOTSTRAP_NAME_IN_USE));
	EXPECT_STREQ("Unknown service name", bootstrap_strerror(BOOTSTRAP_UNKNOWN_SERVICE));
	EXPECT_STREQ("Service name already exists", bootstrap_strerror(BOOTSTRAP_SERVICE_ACTIVE));
	EXPECT_STREQ("Too many lookups were requested in one request",
		     bootstrap_strerror(BOOTSTRAP_BAD_COUNT));
	EXPECT_STREQ("Out of memory", bootstrap_strerror(BOOTSTRAP_NO_MEMORY));
	EXPECT_STREQ("No child bootstrap namespaces", bootstrap_strerror(BOOTSTRAP_NO_CHILDREN));
	/* Others: mach_error_string()'s. */
	EXPECT_STREQ(mach_error_string(MACH_SEND_INVALID_DEST),
		     bootstrap_strerror(MACH_SEND_INVALID_DEST));
	EXPECT_EQ(1100, BOOTSTRAP_NOT_PRIVILEGED);
	EXPECT_EQ(1106, BOOTSTRAP_NO_CHILDREN);
	EXPECT_EQ(128, (int)sizeof(name_t));
	EXPECT_EQ(512, (int)sizeof(cmd_t));
}

TEST_F(bs, unprivileged_gives_the_bootstrap_port_itself)
{
	mach_port_t p = MACH_PORT_NULL;
	mach_port_urefs_t before = refs_of(bootstrap_port, MACH_PORT_RIGHT_SEND);

	ASSERT_EQ(KERN_SUCCESS, bootstrap_unprivileged(bootstrap_port, &p));
	EXPECT_EQ(bootstrap_port, p);
	EXPECT_EQ(before + 1, refs_of(bootstrap_port, MACH_PORT_RIGHT_SEND));
}

TEST_F(bs, calls_on_a_dead_bootstrap_port_fail_cleanly)
{
	mach_port_t p = 0x99;
	int status = -1;

	ASSERT_EQ(0, kill(self->d.pid, SIGTERM));
	ASSERT_EQ(self->d.pid, waitpid(self->d.pid, &status, 0));
	self->d.pid = 0;
	/* It exits 0 on SIGTERM. */
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_TRUE(POLL_UNTIL(type_of(bootstrap_port) == MACH_PORT_TYPE_DEAD_NAME, BLOCK_WAIT_MS));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, bootstrap_look_up(bootstrap_port, "t.any", &p));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, bootstrap_check_in(bootstrap_port, "t.any", &p));
	EXPECT_EQ(0x99U, p);
}

TEST_F(bs, counts_describe_the_daemon)
{
	machipc_bootstrap_counts_t c = counts_of(_metadata, bootstrap_port);

	EXPECT_EQ(0U, c.names);
	EXPECT_EQ(1U, c.bootstraps);
	EXPECT_EQ(0U, c.servers);
	/* Its own space: the root port (receive and send), the notify and
	 * internal ports, two port sets, its task port; not its inherited
	 * bootstrap port (dropped). */
	EXPECT_EQ(3U, c.receive_rights);
	EXPECT_EQ(2U, c.port_sets);
	EXPECT_EQ(1U, c.send_rights);
	EXPECT_EQ(6U, c.port_names);
	EXPECT_EQ(0U, c.dead_names);
	EXPECT_EQ(64U, c.limit_names_per_uid);
	EXPECT_GE(c.requests, 1U);
}

/* ---- the storm --------------------------------------------------------------------------------- */

#define STORM_NAMES 4
#define STORM_ROUNDS 6
#define STORM_CLIENTS 6
#define STORM_LOOKUPS 120

/* A server of name i, generation g: serves a few requests, then goes a
 * way that depends on (g + i): exits, dies, registered (not checked in),
 * or removes its name first. */
static void storm_server(int arg, int rd, int wr)
{
	int i = arg % STORM_NAMES, g = arg / STORM_NAMES, how = (g + i) % 4;
	mach_port_t p = MACH_PORT_NULL;
	char name[32];
	kern_return_t kr;

	(void)rd;
	(void)wr;
	snprintf(name, sizeof(name), "storm.%d", i);
	if (i % 2)
		become(NOBODY);
	/* The previous generation's end may not be processed yet. */
	for (int tries = 0; tries < 5000; tries++) {
		if (how == 2) {
			if (p == MACH_PORT_NULL) {
				p = new_port();
				mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND);
			}
			kr = bootstrap_register(bootstrap_port, name, p);
		} else {
			kr = bootstrap_check_in(bootstrap_port, name, &p);
		}
		if (kr != BOOTSTRAP_SERVICE_ACTIVE)
			break;
		sleep_ms(2);
	}
	CHILD_EQ(KERN_SUCCESS, kr);
	echo_serve(p, 20, 100);
	if (how == 1)
		raise(SIGKILL);
	if (how == 3)
		CHILD_EQ(KERN_SUCCESS, bootstrap_register(bootstrap_port, name, MACH_PORT_NULL));
	_exit(0);
}

static void storm_client(int arg, int rd, int wr)
{
	int found = 0, answered = 0, base, n;

	(void)rd;
	become(NOBODY);
	/* After a first call: the thread's MIG reply port is made then. */
	CHILD_EQ(BOOTSTRAP_UNKNOWN_SERVICE, do_look_up("storm.none"));
	base = name_count(mach_task_self());
	for (n = 0; n < STORM_LOOKUPS; n++) {
		char name[32];
		mach_port_t p = MACH_PORT_NULL;
		kern_return_t kr;
		mach_msg_return_t mr;

		snprintf(name, sizeof(name), "storm.%d", (n + arg) % STORM_NAMES);
		kr = bootstrap_look_up(bootstrap_port, name, &p);
		if (kr == BOOTSTRAP_UNKNOWN_SERVICE)
			continue;
		CHILD_EQ(KERN_SUCCESS, kr);
		found++;
		mr = echo_call(p, n, 200, NULL);
		/* Served, destroyed with its server, still waiting (the name
		 * inactive), or refused by a port that died meanwhile. */
		CHILD_TRUE(mr == MACH_MSG_SUCCESS || mr == MIG_SERVER_DIED ||
			   mr == MACH_RCV_TIMED_OUT || mr == MACH_SEND_INVALID_DEST ||
			   mr == MACH_SEND_TIMED_OUT);
		answered += mr == MACH_MSG_SUCCESS;
		mach_port_deallocate(mach_task_self(), p);
	}
	/* The client leaks nothing either. */
	if (base != name_count(mach_task_self())) {
		mach_port_name_array_t nm = NULL;
		mach_port_type_array_t ty = NULL;
		mach_msg_type_number_t nn = 0, nt = 0, j;

		mach_port_names(mach_task_self(), &nm, &nn, &ty, &nt);
		for (j = 0; j < nn && j < 8; j++)
			fprintf(stderr, "# client %d: name 0x%x type 0x%x\n", getpid(), nm[j], ty[j]);
	}
	CHILD_EQ(base, name_count(mach_task_self()));
	CHILD_PUT(wr, (uint32_t)found);
	CHILD_PUT(wr, (uint32_t)answered);
}

TEST_F_TIMEOUT(bs, look_up_storm_while_servers_come_and_go_leaks_nothing, 300)
{
	struct kid clients[STORM_CLIENTS], servers[STORM_NAMES];
	machipc_bootstrap_counts_t c0, c1;
	uint32_t found = 0, answered = 0, v;
	int r, i;

	c0 = counts_of(_metadata, bootstrap_port);
	for (i = 0; i < STORM_CLIENTS; i++)
		ASSERT_TRUE(spawn(&clients[i], 0, storm_client, i));
	for (r = 0; r < STORM_ROUNDS; r++) {
		printf("# storm: round %d\n", r);
		fflush(stdout);
		for (i = 0; i < STORM_NAMES; i++)
			ASSERT_TRUE(spawn(&servers[i], 0, storm_server, r * STORM_NAMES + i));
		for (i = 0; i < STORM_NAMES; i++) {
			int st = reap(&servers[i]);

			EXPECT_TRUE(st != -1 && ((WIFEXITED(st) && WEXITSTATUS(st) == 0) ||
						 (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)))
				TH_LOG("server %d of round %d: status 0x%x", i, r, st);
		}
	}
	for (i = 0; i < STORM_CLIENTS; i++) {
		v = 0;
		EXPECT_TRUE(get(clients[i].rd, &v));
		found += v;
		v = 0;
		EXPECT_TRUE(get(clients[i].rd, &v));
		answered += v;
		EXPECT_CHILD_OK(reap(&clients[i]));
	}
	TH_LOG("storm: %u look-ups found a name, %u echoes answered", found, answered);
	EXPECT_GT(found, 0U);
	/* Every name goes; the daemon must hold what it held before. */
	for (i = 0; i < STORM_NAMES; i++) {
		char name[32];

		snprintf(name, sizeof(name), "storm.%d", i);
		EXPECT_EQ(KERN_SUCCESS, bootstrap_register(bootstrap_port, name, MACH_PORT_NULL));
	}
	EXPECT_TRUE(POLL_UNTIL(({
		c1 = counts_of(_metadata, bootstrap_port);
		c1.names == c0.names && c1.port_names == c0.port_names &&
			c1.tracked_ports == c0.tracked_ports && c1.dead_names == 0 &&
			c1.send_once_rights == 0 && c1.bytes == c0.bytes &&
			c1.bootstraps == c0.bootstraps && c1.uids == c0.uids;
	}), BLOCK_WAIT_MS));
	EXPECT_EQ(c0.names, c1.names);
	EXPECT_EQ(c0.port_names, c1.port_names);
	EXPECT_EQ(c0.receive_rights, c1.receive_rights);
	EXPECT_EQ(c0.send_rights, c1.send_rights);
	EXPECT_EQ(c0.tracked_ports, c1.tracked_ports);
	EXPECT_EQ(c0.bytes, c1.bytes);
	EXPECT_EQ(c0.uids, c1.uids);
	EXPECT_GE(c1.requests - c0.requests, (uint64_t)found);
}

/* ---- the system bootstrap port ------------------------------------------------------------- */

/*
 * Whether the module has the system bootstrap port: asked as uid 65534, so
 * nothing changes: KERN_NO_ACCESS if it has (the caller lacks
 * CAP_SYS_ADMIN), KERN_INVALID_ARGUMENT if it does not know the call.
 */
static kern_return_t system_bootstrap_probe(void)
{
	struct kid k = { 0 };
	uint32_t kr = 0xdeadbeef;

	pid_t pid = kid_fork(&k);

	if (pid < 0)
		return 0xdeadbeef;
	if (pid == 0) {
		become(NOBODY);
		CHILD_PUT(k.wr, (uint32_t)machipc_set_system_bootstrap(MACH_PORT_NULL));
		_exit(0);
	}
	if (!get(k.rd, &kr))
		kr = 0xdeadbeef;
	reap(&k);
	return (kern_return_t)kr;
}

#define SKIP_WITHOUT_SYSTEM_BOOTSTRAP()                                                  \
	do {                                                                             \
		kern_return_t __kr = system_bootstrap_probe();                           \
		if (__kr == KERN_INVALID_ARGUMENT)                                       \
			SKIP(return, "this machipc module has no system bootstrap port "  \
			     "(MACHIPC_OP_SET_SYSTEM_BOOTSTRAP answers KERN_INVALID_ARGUMENT)"); \
		ASSERT_EQ(KERN_NO_ACCESS, __kr);                                         \
	} while (0)

TEST(system_set_system_bootstrap_needs_cap_sys_admin)
{
	SKIP_WITHOUT_SYSTEM_BOOTSTRAP();
}

TEST(system_bootstrap_port_of_a_task_with_no_mach_ancestor_is_the_daemons)
{
	mach_port_t p = MACH_PORT_NULL;
	machipc_bootstrap_counts_t c;

	SKIP_WITHOUT_SYSTEM_BOOTSTRAP();
	/* This program was started by /init, which is no Mach task. */
	ASSERT_TRUE(MACH_PORT_VALID(bootstrap_port))
		TH_LOG("no bootstrap port: is machipc-bootstrapd running (the guest's /init starts it)?");
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_of(bootstrap_port));
	ASSERT_EQ(KERN_SUCCESS, machipc_bootstrap_counts(bootstrap_port, &c));
	EXPECT_GE(c.bootstraps, 1U);
	ASSERT_EQ(KERN_SUCCESS, bootstrap_parent(bootstrap_port, &p));
	EXPECT_EQ(bootstrap_port, p);
}

/* Runs `argv` (this binary's --helper) as an unrelated process. */
static bool run_detached(const char *const *argv)
{
	const char *args[16];
	pid_t pid;
	int n = 0, status = 0;

	args[n++] = detach_path();
	args[n++] = self_path();
	for (; *argv && n < 15; argv++)
		args[n++] = *argv;
	args[n] = NULL;
	/* posix_spawn: no fork handlers run, machipc_detach is no Mach task. */
	if (posix_spawn(&pid, detach_path(), NULL, NULL, (char *const *)args, environ) != 0)
		return false;
	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

TEST(system_unrelated_processes_meet_through_the_daemon)
{
	char name[64], fd_s[16], fd_c[16];
	int sp[2], cp[2];
	int32_t srv[3] = { 0 }, cli[3] = { 0 };
	const char *server_argv[] = { "--helper", "detached-server", name, fd_s, NULL };
	const char *client_argv[] = { "--helper", "detached-client", name, fd_c, NULL };

	SKIP_WITHOUT_SYSTEM_BOOTSTRAP();
	ASSERT_EQ(0, access(detach_path(), X_OK)) TH_LOG("no %s", detach_path());
	snprintf(name, sizeof(name), "t.system.rendezvous.%d", (int)getpid());
	ASSERT_EQ(0, pipe(sp));
	ASSERT_EQ(0, pipe(cp));
	snprintf(fd_s, sizeof(fd_s), "%d", sp[1]);
	snprintf(fd_c, sizeof(fd_c), "%d", cp[1]);
	ASSERT_TRUE(run_detached(server_argv));
	close(sp[1]);
	/* The server: its pid, its parent's pid (init: unrelated), the check-in. */
	ASSERT_EQ((ssize_t)sizeof(srv), read(sp[0], srv, sizeof(srv)));
	EXPECT_EQ(1, srv[1]);
	ASSERT_EQ(KERN_SUCCESS, srv[2]);
	ASSERT_TRUE(run_detached(client_argv));
	close(cp[1]);
	/* The client: its pid, its parent's, and the pid that answered. */
	ASSERT_EQ((ssize_t)sizeof(cli), read(cp[0], cli, sizeof(cli)));
	EXPECT_EQ(1, cli[1]);
	EXPECT_EQ(srv[0], cli[2]);
	EXPECT_NE(srv[0], cli[0]);
	kill(srv[0], SIGKILL);
	close(sp[0]);
	close(cp[0]);
	/* The name goes inactive (the server died), and is removed. */
	EXPECT_TRUE(POLL_UNTIL(status_of_name(name) == BOOTSTRAP_STATUS_INACTIVE, BLOCK_WAIT_MS));
	EXPECT_EQ(KERN_SUCCESS, bootstrap_register(bootstrap_port, name, MACH_PORT_NULL));
}

/* ---- the helper programs (this binary, as servers and clients) --------------------------- */

static int helper_main(int argc, char **argv)
{
	mach_port_t p = MACH_PORT_NULL;

	if (argc >= 2 && !strcmp(argv[0], "serve")) {
		/* A server the daemon started: checks its name in through its
		 * bootstrap port (the server port), serves until killed. The
		 * port of its previous run may not be back yet: a while. */
		kern_return_t kr = BOOTSTRAP_SERVICE_ACTIVE;

		for (int tries = 0; tries < 5000 && kr == BOOTSTRAP_SERVICE_ACTIVE; tries++) {
			kr = bootstrap_check_in(bootstrap_port, argv[1], &p);
			if (kr == BOOTSTRAP_SERVICE_ACTIVE)
				sleep_ms(2);
		}

		if (kr != KERN_SUCCESS) {
			fprintf(stderr, "# helper serve %s: check-in: %s\n", argv[1],
				bootstrap_strerror(kr));
			return 1;
		}
		echo_serve(p, 0, 0);
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[0], "exit"))
		return atoi(argv[1]);
	if (argc >= 3 && !strcmp(argv[0], "detached-server")) {
		int fd = atoi(argv[2]);
		int32_t out[3] = { getpid(), getppid(), 0 };

		out[2] = bootstrap_check_in(bootstrap_port, argv[1], &p);
		if (write(fd, out, sizeof(out)) != sizeof(out))
			return 1;
		close(fd);
		if (out[2] == KERN_SUCCESS)
			echo_serve(p, 0, 0);
		return 0;
	}
	if (argc >= 3 && !strcmp(argv[0], "detached-client")) {
		int fd = atoi(argv[2]);
		int32_t out[3] = { getpid(), getppid(), -1 };
		kern_return_t kr = bootstrap_look_up(bootstrap_port, argv[1], &p);
		int pid = -1;

		if (kr == KERN_SUCCESS && echo_call(p, 1, WAIT_MS, &pid) == MACH_MSG_SUCCESS)
			out[2] = pid;
		else
			out[2] = -(int32_t)kr;
		if (write(fd, out, sizeof(out)) != sizeof(out))
			return 1;
		return 0;
	}
	fprintf(stderr, "machipc_bootstrap --helper: unknown helper\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "--helper"))
		return helper_main(argc - 2, argv + 2);
	return test_harness_run(argc, argv);
}
