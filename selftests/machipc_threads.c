// SPDX-License-Identifier: GPL-2.0
/*
 * Threads as kernel objects: mach_reply_port, mach_thread_self /
 * thread_self_trap (a send right to the calling thread's port, one more
 * uref per call), task_threads, thread_info (THREAD_BASIC_INFO,
 * THREAD_IDENTIFIER_INFO from the Linux thread), thread_get/set_special_port,
 * thread_terminate; a thread's port dying with its thread (dead-name
 * notifications fire), in our task and in another; everything released at
 * process death. Unprivileged cases run as uid 65534.
 *
 * Reference: XNU 10.11 (xnu-3248) osfmk/kern/thread_act.c, ipc_tt.c,
 * thread.c. Each test skips if the module does not serve threads yet.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <dirent.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/mach_traps.h>
#include <mach/thread_act.h>
#include <mach/task.h>
#include "kselftest_harness.h"
#include "machipc_util.h"

/* Names a child fills in our space. */
#define CHILD_THREAD_NAME(i) NAME(0x310 + (i), 3)

static pid_t my_tid(void)
{
	return (pid_t)syscall(SYS_gettid);
}

/* The number of threads of process `pid` (entries of /proc/PID/task). */
static int thread_count_of(pid_t pid)
{
	char path[64];
	struct dirent *de;
	int n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* ---- parked threads: record who they are, then sleep in read() --------- */

struct parked {
	pthread_t th;
	int pipe[2];
	volatile pid_t tid;
	volatile mach_port_t port;      /* mach_thread_self() of the thread */
	volatile uint64_t handle;       /* its pthread_self() */
	volatile bool done;
};

static void *parked_main(void *arg)
{
	struct parked *p = arg;
	char c;

	p->port = mach_thread_self();
	p->handle = (uint64_t)(uintptr_t)pthread_self();
	__atomic_store_n(&p->tid, my_tid(), __ATOMIC_SEQ_CST);
	while (read(p->pipe[0], &c, 1) < 0 && errno == EINTR)
		;
	__atomic_store_n(&p->done, true, __ATOMIC_SEQ_CST);
	return NULL;
}

/* Starts a parked thread; returns once it sleeps in read(). */
static bool park(struct parked *p)
{
	memset(p, 0, sizeof(*p));
	if (pipe(p->pipe))
		return false;
	if (pthread_create(&p->th, NULL, parked_main, p))
		return false;
	if (!POLL_UNTIL(__atomic_load_n(&p->tid, __ATOMIC_SEQ_CST) != 0, BLOCK_WAIT_MS))
		return false;
	return POLL_UNTIL(blocked_in(getpid(), p->tid, __NR_read, false), BLOCK_WAIT_MS);
}

/* Lets a parked thread return and joins it. */
static void unpark(struct parked *p)
{
	if (write(p->pipe[1], "x", 1) != 1)
		return;
	pthread_join(p->th, NULL);
	close(p->pipe[0]);
	close(p->pipe[1]);
}

/* Waits for a dead-name notification for `name` on `notify`. */
static bool got_dead_name(mach_port_name_t notify, mach_port_name_t name)
{
	mach_dead_name_notification_t n;

	memset(&n, 0, sizeof(n));
	if (mach_msg(&n.not_header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(n), notify, WAIT_MS,
		     MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		return false;
	return n.not_header.msgh_id == MACH_NOTIFY_DEAD_NAME && n.not_port == name;
}

/* Asks for a dead-name notification of `name` on `notify`. */
static kern_return_t watch(mach_port_name_t name, mach_port_name_t notify)
{
	mach_port_t prev = MACH_PORT_NULL;

	return mach_port_request_notification(mach_task_self(), name, MACH_NOTIFY_DEAD_NAME, 0,
					      notify, MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev);
}

static uint64_t tv_us(time_value_t t)
{
	return (uint64_t)t.seconds * 1000000 + (uint64_t)t.microseconds;
}

static uint64_t thread_cpu_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static void burn_cpu_ms(unsigned ms)
{
	uint64_t end = thread_cpu_us() + ms * 1000ULL;
	volatile uint64_t x = 0;

	while (thread_cpu_us() < end)
		x++;
}

/* ---- mach_reply_port ----------------------------------------------------- */

/* A new receive right each call, with no send right, an empty queue and
 * the default limits. */
TEST(reply_port_is_a_fresh_receive_right)
{
	mach_port_name_t a = mach_reply_port(), b = mach_reply_port();
	mach_port_status_t st;

	ASSERT_TRUE(MACH_PORT_VALID(a));
	ASSERT_TRUE(MACH_PORT_VALID(b));
	EXPECT_NE(a, b);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(a));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(b));
	EXPECT_EQ(0U, refs_of(a, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(1U, refs_of(a, MACH_PORT_RIGHT_RECEIVE));
	st = status_of(_metadata, a);
	EXPECT_EQ(0U, st.mps_mscount);
	EXPECT_EQ(0U, st.mps_srights);
	EXPECT_EQ(0U, st.mps_msgcount);
	EXPECT_EQ((unsigned)MACH_PORT_QLIMIT_DEFAULT, st.mps_qlimit);
	EXPECT_EQ(IKOT_NONE, kobject_type_in(mach_task_self(), a));
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), a, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), b, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(GONE, type_of(a));
	EXPECT_EQ(GONE, type_of(b));
}

/* ---- mach_thread_self --------------------------------------------------- */

TEST(thread_self_adds_a_uref_per_call)
{
	mach_port_t t, t2, t3;
	mach_port_urefs_t r;

	REQUIRE_KOBJ(KOBJ_THREADS);
	t = mach_thread_self();
	ASSERT_TRUE(MACH_PORT_VALID(t));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_of(t));
	EXPECT_EQ(IKOT_THREAD, kobject_type_in(mach_task_self(), t));
	EXPECT_NE(mach_task_self(), t);
	r = refs_of(t, MACH_PORT_RIGHT_SEND);
	EXPECT_LE(1U, r);
	t2 = mach_thread_self();
	EXPECT_EQ(t, t2);
	EXPECT_EQ(r + 1, refs_of(t, MACH_PORT_RIGHT_SEND));
	t3 = thread_self_trap();
	EXPECT_EQ(t, t3);
	EXPECT_EQ(r + 2, refs_of(t, MACH_PORT_RIGHT_SEND));
	/* Each uref is released on its own; the port stays with its thread. */
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), t));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), t));
	EXPECT_EQ(r, refs_of(t, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), t, MACH_PORT_RIGHT_SEND,
						   -(mach_port_delta_t)r));
	EXPECT_EQ(GONE, type_of(t));
	/* And comes back, as the same port, on the next call. */
	t = mach_thread_self();
	EXPECT_EQ(IKOT_THREAD, kobject_type_in(mach_task_self(), t));
	EXPECT_EQ(1U, refs_of(t, MACH_PORT_RIGHT_SEND));
}

/* Every thread has its own port; the main thread's is not the task's. */
TEST(thread_ports_differ_per_thread)
{
	struct parked p[3];
	mach_port_t me;
	int i, j;

	REQUIRE_KOBJ(KOBJ_THREADS);
	me = mach_thread_self();
	for (i = 0; i < 3; i++)
		ASSERT_TRUE(park(&p[i]));
	for (i = 0; i < 3; i++) {
		EXPECT_TRUE(MACH_PORT_VALID(p[i].port));
		EXPECT_NE(me, p[i].port);
		EXPECT_EQ(IKOT_THREAD, kobject_type_in(mach_task_self(), p[i].port));
		for (j = 0; j < i; j++)
			EXPECT_NE(p[j].port, p[i].port);
	}
	for (i = 0; i < 3; i++)
		unpark(&p[i]);
}

/* ---- a thread's port dies with its thread ---------------------------------- */

/*
 * When a thread exits, its port is destroyed: our send right becomes a
 * dead name (with the extra uref of the notification) and the dead-name
 * notification fires; calls on it can no longer be sent.
 */
TEST(thread_port_dies_with_its_thread)
{
	mach_msg_type_number_t n = THREAD_BASIC_INFO_COUNT;
	thread_basic_info_data_t info;
	mach_port_name_t notify;
	long long base;
	struct parked p;
	mach_port_t t;

	REQUIRE_KOBJ(KOBJ_THREADS);
	base = machipc_stat("threads");
	notify = new_receive(_metadata);
	ASSERT_TRUE(park(&p));
	t = p.port;
	ASSERT_EQ(1U, refs_of(t, MACH_PORT_RIGHT_SEND));
	ASSERT_EQ(KERN_SUCCESS, watch(t, notify));
	EXPECT_EQ(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_DNREQUEST, type_of(t));
	unpark(&p);
	EXPECT_TRUE(got_dead_name(notify, t)) TH_LOG("no dead-name notification for 0x%x", t);
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(t));
	EXPECT_EQ(2U, refs_of(t, MACH_PORT_RIGHT_DEAD_NAME));
	if (!kobj_missing(KOBJ_THREAD_CALLS))
		EXPECT_EQ(MACH_SEND_INVALID_DEST,
			  thread_info(t, THREAD_BASIC_INFO, (thread_info_t)&info, &n));
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), t, MACH_PORT_RIGHT_DEAD_NAME, -2));
	EXPECT_EQ(GONE, type_of(t));
	EXPECT_TRUE(stat_returns_to("threads", base)) TH_LOG("the dead thread is not freed");
}

/* A thread that nobody asked the port of leaves nothing behind. */
static void *just_exit(void *arg)
{
	return arg;
}

TEST(thread_without_a_port_leaves_nothing)
{
	struct snapshot before, after;
	long long base;
	pthread_t th;
	int i;

	REQUIRE_KOBJ(KOBJ_THREADS);
	base = machipc_stat("threads");
	take_snapshot(_metadata, &before);
	for (i = 0; i < 8; i++) {
		ASSERT_EQ(0, pthread_create(&th, NULL, just_exit, NULL));
		ASSERT_EQ(0, pthread_join(th, NULL));
	}
	take_snapshot(_metadata, &after);
	expect_same_snapshot(_metadata, &before, &after, "threads that exited");
	EXPECT_TRUE(stat_returns_to("threads", base));
}

/*
 * Another process's thread: it puts a send right to its thread port in
 * our space. We can inspect it; when the thread exits, our right dies and
 * the notification fires; its main thread's port dies with the process.
 */
static struct parked child_p;

static void child_gives_thread_ports(int arg, int rd, int wr)
{
	(void)arg;
	CHILD_TRUE(park(&child_p));
	CHILD_EQ(KERN_SUCCESS, mach_port_insert_right(bootstrap_port, CHILD_THREAD_NAME(0),
						      child_p.port, MACH_MSG_TYPE_COPY_SEND));
	CHILD_EQ(KERN_SUCCESS, mach_port_insert_right(bootstrap_port, CHILD_THREAD_NAME(1),
						      mach_thread_self(), MACH_MSG_TYPE_COPY_SEND));
	CHILD_PUT(wr, 0);
	CHILD_GET(rd);          /* end the parked thread */
	unpark(&child_p);
	CHILD_PUT(wr, 0);
	CHILD_GET(rd);          /* then the process */
}

TEST(thread_port_of_another_process_dies_with_its_thread)
{
	mach_port_name_t notify, t0 = CHILD_THREAD_NAME(0), t1 = CHILD_THREAD_NAME(1);
	struct kid k;
	uint32_t v;

	REQUIRE_KOBJ(KOBJ_THREADS);
	notify = new_receive(_metadata);
	ASSERT_TRUE(spawn(&k, SPAWN_PARENT_TASK | SPAWN_WAIT_READY, child_gives_thread_ports, 0));
	EXPECT_EQ(IKOT_THREAD, kobject_type_in(mach_task_self(), t0));
	EXPECT_EQ(IKOT_THREAD, kobject_type_in(mach_task_self(), t1));
	EXPECT_NE(mach_thread_self(), t0);
	if (!kobj_missing(KOBJ_THREAD_CALLS)) {
		thread_basic_info_data_t info;
		mach_msg_type_number_t n = THREAD_BASIC_INFO_COUNT;

		EXPECT_EQ(KERN_SUCCESS, thread_info(t0, THREAD_BASIC_INFO, (thread_info_t)&info, &n));
		EXPECT_EQ(TH_STATE_WAITING, info.run_state);
	}
	ASSERT_EQ(KERN_SUCCESS, watch(t0, notify));
	ASSERT_EQ(KERN_SUCCESS, watch(t1, notify));
	ASSERT_TRUE(put(k.wr, 0));
	ASSERT_TRUE(get(k.rd, &v));
	EXPECT_TRUE(got_dead_name(notify, t0));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(t0));
	/* The main thread lives on until its process dies. */
	EXPECT_EQ(IKOT_THREAD, kobject_type_in(mach_task_self(), t1));
	EXPECT_TRUE(end_kid(&k));
	EXPECT_TRUE(got_dead_name(notify, t1));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(t1));
}

/* ---- task_threads ---------------------------------------------------------------- */

/* Frees a port array: each right, then the memory. */
static void free_ports(mach_port_t *a, mach_msg_type_number_t n)
{
	mach_msg_type_number_t i;

	for (i = 0; i < n; i++)
		if (MACH_PORT_VALID(a[i]))
			mach_port_deallocate(mach_task_self(), a[i]);
	if (a && n)
		vm_deallocate(mach_task_self(), (vm_address_t)a, n * sizeof(*a));
}

static bool in_array(const mach_port_t *a, mach_msg_type_number_t n, mach_port_t x)
{
	mach_msg_type_number_t i;

	for (i = 0; i < n; i++)
		if (a[i] == x)
			return true;
	return false;
}

/*
 * task_threads: a send right to every thread of the task, as many as
 * Linux has threads; in our own space the names are those we already
 * hold for the same threads (one more uref each).
 */
TEST(task_threads_lists_every_thread)
{
	thread_act_array_t a = NULL;
	mach_msg_type_number_t n = 0, i;
	struct parked p[3];
	mach_port_t me;

	REQUIRE_KOBJ(KOBJ_THREADS);
	REQUIRE_KOBJ(KOBJ_TASK_INFO);
	me = mach_thread_self();
	for (i = 0; i < 3; i++)
		ASSERT_TRUE(park(&p[i]));
	ASSERT_EQ(KERN_SUCCESS, task_threads(mach_task_self(), &a, &n));
	EXPECT_EQ((mach_msg_type_number_t)thread_count_of(getpid()), n);
	EXPECT_EQ(4U, n);
	EXPECT_TRUE(in_array(a, n, me));
	for (i = 0; i < 3; i++) {
		EXPECT_TRUE(in_array(a, n, p[i].port)) TH_LOG("thread %u missing", i);
		EXPECT_EQ(2U, refs_of(p[i].port, MACH_PORT_RIGHT_SEND));
	}
	for (i = 0; i < n; i++)
		EXPECT_EQ(IKOT_THREAD, kobject_type_in(mach_task_self(), a[i]));
	free_ports(a, n);
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(1U, refs_of(p[i].port, MACH_PORT_RIGHT_SEND));
		unpark(&p[i]);
	}
}

/* Another task's threads, through its task port. */
static void child_with_threads(int arg, int rd, int wr)
{
	struct parked p[2];
	int i;

	for (i = 0; i < arg; i++)
		CHILD_TRUE(park(&p[i]));
	CHILD_PUT(wr, 0);
	CHILD_GET(rd);
}

TEST(task_threads_of_another_task)
{
	thread_act_array_t a = NULL;
	mach_msg_type_number_t n = 0, i;
	struct kid k;
	uint32_t v;

	REQUIRE_KOBJ(KOBJ_THREADS);
	REQUIRE_KOBJ(KOBJ_TASK_INFO);
	ASSERT_TRUE(spawn(&k, SPAWN_GIVE_TASK, child_with_threads, 2));
	ASSERT_TRUE(get(k.rd, &v));
	ASSERT_EQ(KERN_SUCCESS, task_threads(CHILD_TASK_NAME, &a, &n));
	EXPECT_EQ(3U, n);
	EXPECT_EQ((mach_msg_type_number_t)thread_count_of(k.pid), n);
	for (i = 0; i < n; i++) {
		EXPECT_EQ(IKOT_THREAD, kobject_type_in(mach_task_self(), a[i]));
		EXPECT_NE(mach_thread_self(), a[i]);
	}
	EXPECT_TRUE(end_kid(&k));
	/* Their process is gone: so are they. */
	for (i = 0; i < n; i++)
		EXPECT_TRUE(POLL_UNTIL(type_of(a[i]) == MACH_PORT_TYPE_DEAD_NAME, WAIT_MS));
	free_ports(a, n);
}

TEST(task_threads_needs_a_task)
{
	thread_act_array_t a = NULL;
	mach_msg_type_number_t n = 0;

	REQUIRE_KOBJ(KOBJ_TASK_INFO);
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_DEST, task_threads(MACH_PORT_NULL, &a, &n));
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_DEST, task_threads(UNKNOWN_NAME, &a, &n));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_threads(mach_host_self(), &a, &n));
	if (!kobj_missing(KOBJ_THREADS))
		EXPECT_EQ(KERN_INVALID_ARGUMENT, task_threads(mach_thread_self(), &a, &n));
	EXPECT_EQ(NULL, a);
}

/* ---- thread_info --------------------------------------------------------------------- */

/*
 * THREAD_BASIC_INFO of the calling thread: running, time sharing, not
 * suspended, sleep_time 0, usage within TH_USAGE_SCALE, and its user +
 * system time that of the Linux thread (CLOCK_THREAD_CPUTIME_ID; the
 * kernel's tick-based split into user and system may differ from the
 * precise sum by a few ticks).
 */
TEST(thread_info_basic_describes_the_calling_thread)
{
	thread_basic_info_data_t info;
	mach_msg_type_number_t n = THREAD_BASIC_INFO_COUNT;
	uint64_t before, after, got;
	mach_port_t t;

	REQUIRE_KOBJ(KOBJ_THREAD_CALLS);
	t = mach_thread_self();
	burn_cpu_ms(200);
	memset(&info, 0xa5, sizeof(info));
	before = thread_cpu_us();
	ASSERT_EQ(KERN_SUCCESS, thread_info(t, THREAD_BASIC_INFO, (thread_info_t)&info, &n));
	after = thread_cpu_us();
	EXPECT_EQ(THREAD_BASIC_INFO_COUNT, n);
	EXPECT_EQ(POLICY_TIMESHARE, info.policy);
	EXPECT_EQ(TH_STATE_RUNNING, info.run_state);
	EXPECT_EQ(0, info.suspend_count);
	EXPECT_EQ(0, info.sleep_time);
	EXPECT_LE(0, info.cpu_usage);
	EXPECT_GE(TH_USAGE_SCALE, info.cpu_usage);
	EXPECT_EQ(0, info.flags & TH_FLAGS_IDLE);
	EXPECT_GT(1000000, info.user_time.microseconds);
	EXPECT_GT(1000000, info.system_time.microseconds);
	got = tv_us(info.user_time) + tv_us(info.system_time);
	EXPECT_LE(before - before / 10 - 50000, got) TH_LOG("thread time %llu us, clock %llu us",
							   (unsigned long long)got,
							   (unsigned long long)before);
	EXPECT_GE(after + after / 10 + 50000, got);
	/* A larger count is fine: the flavor's count comes back. */
	n = THREAD_INFO_MAX;
	EXPECT_EQ(KERN_SUCCESS, thread_info(t, THREAD_BASIC_INFO, (thread_info_t)&info, &n));
	EXPECT_EQ(THREAD_BASIC_INFO_COUNT, n);
}

/* A thread sleeping in read() is waiting; a stopped process's thread is stopped. */
TEST(thread_info_run_state_follows_the_linux_thread)
{
	thread_basic_info_data_t info;
	mach_msg_type_number_t n;
	thread_act_array_t a = NULL;
	mach_msg_type_number_t cnt = 0;
	struct parked p;
	struct kid k;
	uint32_t v;
	int status;

	REQUIRE_KOBJ(KOBJ_THREAD_CALLS);
	REQUIRE_KOBJ(KOBJ_TASK_INFO);
	ASSERT_TRUE(park(&p));
	n = THREAD_BASIC_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, thread_info(p.port, THREAD_BASIC_INFO, (thread_info_t)&info, &n));
	EXPECT_EQ(TH_STATE_WAITING, info.run_state);
	unpark(&p);

	ASSERT_TRUE(spawn(&k, SPAWN_GIVE_TASK, child_with_threads, 0));
	ASSERT_TRUE(get(k.rd, &v));
	ASSERT_EQ(KERN_SUCCESS, task_threads(CHILD_TASK_NAME, &a, &cnt));
	ASSERT_EQ(1U, cnt);
	ASSERT_EQ(0, kill(k.pid, SIGSTOP));
	ASSERT_EQ(k.pid, waitpid(k.pid, &status, WUNTRACED));
	ASSERT_TRUE(WIFSTOPPED(status));
	n = THREAD_BASIC_INFO_COUNT;
	EXPECT_EQ(KERN_SUCCESS, thread_info(a[0], THREAD_BASIC_INFO, (thread_info_t)&info, &n));
	EXPECT_EQ(TH_STATE_STOPPED, info.run_state);
	ASSERT_EQ(0, kill(k.pid, SIGCONT));
	EXPECT_TRUE(wait_process_blocked_in(k.pid, __NR_read));
	n = THREAD_BASIC_INFO_COUNT;
	EXPECT_EQ(KERN_SUCCESS, thread_info(a[0], THREAD_BASIC_INFO, (thread_info_t)&info, &n));
	EXPECT_EQ(TH_STATE_WAITING, info.run_state);
	EXPECT_TRUE(end_kid(&k));
	free_ports(a, cnt);
}

/*
 * THREAD_IDENTIFIER_INFO: a 64-bit id of its own per thread, stable; the
 * thread handle is the thread's TSD base (pthread_self()). As in XNU the
 * flavor does not set the count: the caller's count (at most 32) comes
 * back, the words past the structure zero.
 */
static void *identify(void *arg)
{
	thread_identifier_info_data_t *out = arg;
	mach_msg_type_number_t n = THREAD_IDENTIFIER_INFO_COUNT;
	mach_port_t t = mach_thread_self();

	if (thread_info(t, THREAD_IDENTIFIER_INFO, (thread_info_t)out, &n) != KERN_SUCCESS)
		memset(out, 0, sizeof(*out));
	mach_port_deallocate(mach_task_self(), t);
	return NULL;
}

TEST(thread_identifier_info_identifies_the_thread)
{
	thread_identifier_info_data_t id, id2, other;
	integer_t big[THREAD_INFO_MAX];
	mach_msg_type_number_t n, i;
	mach_port_t t;
	pthread_t th;

	REQUIRE_KOBJ(KOBJ_THREAD_CALLS);
	t = mach_thread_self();
	n = THREAD_IDENTIFIER_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, thread_info(t, THREAD_IDENTIFIER_INFO, (thread_info_t)&id, &n));
	EXPECT_EQ(THREAD_IDENTIFIER_INFO_COUNT, n);
	EXPECT_NE(0U, id.thread_id);
	EXPECT_EQ((uint64_t)(uintptr_t)pthread_self(), id.thread_handle);
	n = THREAD_IDENTIFIER_INFO_COUNT;
	ASSERT_EQ(KERN_SUCCESS, thread_info(t, THREAD_IDENTIFIER_INFO, (thread_info_t)&id2, &n));
	EXPECT_EQ(id.thread_id, id2.thread_id);
	ASSERT_EQ(0, pthread_create(&th, NULL, identify, &other));
	ASSERT_EQ(0, pthread_join(th, NULL));
	EXPECT_NE(0U, other.thread_id);
	EXPECT_NE(id.thread_id, other.thread_id);
	EXPECT_EQ((uint64_t)(uintptr_t)th, other.thread_handle);
	/* The count is left as the caller gave it. */
	memset(big, 0x5a, sizeof(big));
	n = THREAD_INFO_MAX;
	ASSERT_EQ(KERN_SUCCESS, thread_info(t, THREAD_IDENTIFIER_INFO, big, &n));
	EXPECT_EQ((mach_msg_type_number_t)THREAD_INFO_MAX, n);
	EXPECT_EQ(0, memcmp(big, &id, sizeof(id.thread_id)));
	for (i = THREAD_IDENTIFIER_INFO_COUNT; i < THREAD_INFO_MAX; i++)
		EXPECT_EQ(0, big[i]) TH_LOG("word %u", i);
	n = 8;
	ASSERT_EQ(KERN_SUCCESS, thread_info(t, THREAD_IDENTIFIER_INFO, big, &n));
	EXPECT_EQ(8U, n);
}

/* Unknown flavors and short counts: KERN_INVALID_ARGUMENT. */
TEST(thread_info_bad_flavor_or_count_is_invalid_argument)
{
	static const int bad_flavors[] = { 0, 1, 2, 7, 99, -1, 0x7fffffff };
	integer_t buf[THREAD_INFO_MAX];
	mach_msg_type_number_t n;
	mach_port_t t;
	unsigned i;

	REQUIRE_KOBJ(KOBJ_THREAD_CALLS);
	t = mach_thread_self();
	for (i = 0; i < sizeof(bad_flavors) / sizeof(bad_flavors[0]); i++) {
		n = THREAD_INFO_MAX;
		snprintf(fails_ctx, sizeof(fails_ctx), "flavor %d", bad_flavors[i]);
		EXPECT_FAILS_CLEANLY(KERN_INVALID_ARGUMENT,
				     thread_info(t, (thread_flavor_t)bad_flavors[i], buf, &n));
	}
	n = THREAD_BASIC_INFO_COUNT - 1;
	EXPECT_FAILS_CLEANLY(KERN_INVALID_ARGUMENT, thread_info(t, THREAD_BASIC_INFO, buf, &n));
	n = 0;
	EXPECT_FAILS_CLEANLY(KERN_INVALID_ARGUMENT, thread_info(t, THREAD_BASIC_INFO, buf, &n));
	n = THREAD_IDENTIFIER_INFO_COUNT - 1;
	EXPECT_FAILS_CLEANLY(KERN_INVALID_ARGUMENT,
			     thread_info(t, THREAD_IDENTIFIER_INFO, buf, &n));
	/* An enormous count is clamped by the stub to MIG's 32. */
	n = 100000;
	EXPECT_EQ(KERN_SUCCESS, thread_info(t, THREAD_BASIC_INFO, buf, &n));
	EXPECT_EQ(THREAD_BASIC_INFO_COUNT, n);
}

/* Ports that are not threads: the kernel's conversion gives NULL. */
TEST(thread_info_needs_a_thread)
{
	integer_t buf[THREAD_INFO_MAX];
	mach_msg_type_number_t n = THREAD_INFO_MAX;

	REQUIRE_KOBJ(KOBJ_THREAD_CALLS);
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_info(mach_task_self(), THREAD_BASIC_INFO, buf, &n));
	n = THREAD_INFO_MAX;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_info(mach_host_self(), THREAD_BASIC_INFO, buf, &n));
	n = THREAD_INFO_MAX;
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_DEST,
			     thread_info(MACH_PORT_NULL, THREAD_BASIC_INFO, buf, &n));
	n = THREAD_INFO_MAX;
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_DEST,
			     thread_info(UNKNOWN_NAME, THREAD_BASIC_INFO, buf, &n));
}

/* ---- special ports -------------------------------------------------------------------- */

TEST(thread_get_special_port_kernel_port_is_the_thread)
{
	static const int bad[] = { 0, 2, 3, -1, 100 };
	mach_port_t t, p = MACH_PORT_NULL;
	mach_port_urefs_t r;
	unsigned i;

	REQUIRE_KOBJ(KOBJ_THREAD_CALLS);
	t = mach_thread_self();
	r = refs_of(t, MACH_PORT_RIGHT_SEND);
	ASSERT_EQ(KERN_SUCCESS, thread_get_special_port(t, THREAD_KERNEL_PORT, &p));
	EXPECT_EQ(t, p);
	EXPECT_EQ(r + 1, refs_of(t, MACH_PORT_RIGHT_SEND));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(fails_ctx, sizeof(fails_ctx), "which %d", bad[i]);
		EXPECT_FAILS_CLEANLY(KERN_INVALID_ARGUMENT, thread_get_special_port(t, bad[i], &p));
	}
	/* A task port is not a thread. */
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  thread_get_special_port(mach_task_self(), THREAD_KERNEL_PORT, &p));
}

/*
 * thread_set_special_port(THREAD_KERNEL_PORT) interposes a port: it is
 * what thread_get_special_port and mach_thread_self return from then on,
 * until the thread's own port is set back. The caller keeps its right.
 */
TEST(thread_set_special_port_interposes_the_kernel_port)
{
	mach_port_t t, p = MACH_PORT_NULL, x, got;

	REQUIRE_KOBJ(KOBJ_THREAD_CALLS);
	t = mach_thread_self();
	x = new_send_receive(_metadata, 1);
	ASSERT_EQ(KERN_SUCCESS, thread_set_special_port(t, THREAD_KERNEL_PORT, x));
	EXPECT_EQ(1U, refs_of(x, MACH_PORT_RIGHT_SEND));
	ASSERT_EQ(KERN_SUCCESS, thread_get_special_port(t, THREAD_KERNEL_PORT, &p));
	EXPECT_EQ(x, p);
	EXPECT_EQ(2U, refs_of(x, MACH_PORT_RIGHT_SEND));
	got = mach_thread_self();
	EXPECT_EQ(x, got);
	EXPECT_EQ(3U, refs_of(x, MACH_PORT_RIGHT_SEND));
	/* The thread's own port is still the thread. */
	EXPECT_EQ(IKOT_THREAD, kobject_type_in(mach_task_self(), t));
	ASSERT_EQ(KERN_SUCCESS, thread_set_special_port(t, THREAD_KERNEL_PORT, t));
	got = mach_thread_self();
	EXPECT_EQ(t, got);
	EXPECT_FAILS_CLEANLY(KERN_INVALID_ARGUMENT, thread_set_special_port(t, 0, x));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_ARGUMENT, thread_set_special_port(t, 2, x));
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  thread_set_special_port(mach_task_self(), THREAD_KERNEL_PORT, x));
	/* A name that is not a send right cannot be sent. */
	EXPECT_EQ(MACH_SEND_INVALID_RIGHT,
		  thread_set_special_port(t, THREAD_KERNEL_PORT, UNKNOWN_NAME));
}

/* ---- thread_terminate ------------------------------------------------------------------- */

/*
 * thread_terminate moves the caller's send right (MIG's
 * thread_act_consume_ref_t), whatever the answer. machipc either
 * terminates the thread or refuses with KERN_NOT_SUPPORTED (issue 14: no
 * safe way to stop a Linux thread from outside); a port that is not a
 * thread is KERN_INVALID_ARGUMENT.
 */
TEST(thread_terminate_consumes_the_right)
{
	struct parked p;
	mach_port_t t;
	kern_return_t kr;

	REQUIRE_KOBJ(KOBJ_THREAD_CALLS);
	ASSERT_TRUE(park(&p));
	t = p.port;
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), t, MACH_PORT_RIGHT_SEND, 1));
	kr = thread_terminate(t);
	EXPECT_TRUE(kr == KERN_SUCCESS || kr == KERN_NOT_SUPPORTED) TH_LOG("kr 0x%x", kr);
	if (kr == KERN_NOT_SUPPORTED) {
		EXPECT_EQ(1U, refs_of(t, MACH_PORT_RIGHT_SEND));
		/* Untouched: still asleep in its read(). */
		EXPECT_TRUE(blocked_in(getpid(), p.tid, __NR_read, false));
		unpark(&p);
		/* The thread exits: its port dies; drop the dead name before the
		 * clean-failure checks below look at the space. */
		EXPECT_TRUE(POLL_UNTIL(type_of(t) == MACH_PORT_TYPE_DEAD_NAME, WAIT_MS));
		EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), t));
	} else {
		/* Gone from Linux, and its port is dead. */
		EXPECT_TRUE(POLL_UNTIL(thread_state(getpid(), p.tid) == 0, WAIT_MS));
		EXPECT_TRUE(POLL_UNTIL(type_of(t) == MACH_PORT_TYPE_DEAD_NAME, WAIT_MS));
	}
	/* Not a thread: refused, and the moved right is gone all the same. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), mach_task_self(),
						   MACH_PORT_RIGHT_SEND, 1));
	mach_port_urefs_t r = refs_of(mach_task_self(), MACH_PORT_RIGHT_SEND);

	EXPECT_EQ(KERN_INVALID_ARGUMENT, thread_terminate(mach_task_self()));
	EXPECT_EQ(r - 1, refs_of(mach_task_self(), MACH_PORT_RIGHT_SEND));
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_DEST, thread_terminate(MACH_PORT_NULL));
}

/* ---- unprivileged ------------------------------------------------------------------------- */

/*
 * As uid 65534: our own thread ports and calls work as for anyone; hostile
 * counts and flavors get the defined codes; a root thread's port given to
 * us can be inspected (a port is a capability).
 */
static void child_nobody_threads(int arg, int rd, int wr)
{
	thread_basic_info_data_t info;
	integer_t buf[THREAD_INFO_MAX];
	mach_msg_type_number_t n;
	thread_act_array_t a = NULL;
	mach_port_t t, p = MACH_PORT_NULL;

	(void)arg;
	CHILD_BECOME_NOBODY();
	t = mach_thread_self();
	CHILD_TRUE(MACH_PORT_VALID(t));
	CHILD_EQ(IKOT_THREAD, kobject_type_in(mach_task_self(), t));
	n = THREAD_BASIC_INFO_COUNT;
	CHILD_EQ(KERN_SUCCESS, thread_info(t, THREAD_BASIC_INFO, (thread_info_t)&info, &n));
	CHILD_EQ(TH_STATE_RUNNING, info.run_state);
	n = 0xffffffff;
	CHILD_EQ(KERN_SUCCESS, thread_info(t, THREAD_BASIC_INFO, buf, &n));
	CHILD_EQ(THREAD_BASIC_INFO_COUNT, n);
	n = 3;
	CHILD_EQ(KERN_INVALID_ARGUMENT, thread_info(t, 12345, buf, &n));
	CHILD_EQ(KERN_SUCCESS, thread_get_special_port(t, THREAD_KERNEL_PORT, &p));
	CHILD_EQ(t, p);
	CHILD_EQ(KERN_SUCCESS, task_threads(mach_task_self(), &a, &n));
	CHILD_EQ(1, n);
	CHILD_EQ(t, a[0]);
	CHILD_PUT(wr, 0);
	CHILD_GET(rd);
	/* The parent's thread, put in our space by the parent. */
	n = THREAD_BASIC_INFO_COUNT;
	CHILD_EQ(KERN_SUCCESS, thread_info(CHILD_THREAD_NAME(0), THREAD_BASIC_INFO,
					   (thread_info_t)&info, &n));
	CHILD_PUT(wr, 0);
	CHILD_GET(rd);
}

TEST(thread_calls_as_nobody)
{
	struct kid k;
	uint32_t v;

	REQUIRE_KOBJ(KOBJ_THREAD_CALLS);
	REQUIRE_KOBJ(KOBJ_TASK_INFO);
	if (geteuid() != 0)
		SKIP(return, "needs root to drop privileges");
	ASSERT_TRUE(spawn(&k, SPAWN_GIVE_TASK, child_nobody_threads, 0));
	ASSERT_TRUE(get(k.rd, &v));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(CHILD_TASK_NAME, CHILD_THREAD_NAME(0),
						       mach_thread_self(),
						       MACH_MSG_TYPE_COPY_SEND));
	ASSERT_TRUE(put(k.wr, 0));
	ASSERT_TRUE(get(k.rd, &v));
	EXPECT_TRUE(end_kid(&k));
}

/* ---- released at process death -------------------------------------------------------------- */

/*
 * A process's thread objects go with it, however it ends, with the
 * rights to them: the right it gave us becomes a dead name, and once we
 * release that, our space and the module's counters are as before.
 */
static void child_many_threads(int how, int rd, int wr)
{
	struct parked p[4];
	int i;

	for (i = 0; i < 4; i++)
		CHILD_TRUE(park(&p[i]));
	CHILD_EQ(KERN_SUCCESS, mach_port_insert_right(bootstrap_port, CHILD_THREAD_NAME(0),
						      p[0].port, MACH_MSG_TYPE_COPY_SEND));
	CHILD_PUT(wr, 0);
	if (how)
		pause();
	CHILD_GET(rd);
}

static void threads_released_at_death(struct __test_metadata *_metadata, bool killed)
{
	long long threads = machipc_stat("threads"), ports = machipc_stat("ports");
	struct snapshot before, after;
	struct kid k;

	take_snapshot(_metadata, &before);
	ASSERT_TRUE(spawn(&k, SPAWN_PARENT_TASK | SPAWN_WAIT_READY, child_many_threads, killed));
	EXPECT_EQ(IKOT_THREAD, kobject_type_in(mach_task_self(), CHILD_THREAD_NAME(0)));
	if (killed) {
		EXPECT_TRUE(kill_kid(&k));
	} else {
		EXPECT_TRUE(end_kid(&k));
	}
	EXPECT_TRUE(POLL_UNTIL(type_of(CHILD_THREAD_NAME(0)) == MACH_PORT_TYPE_DEAD_NAME, WAIT_MS));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), CHILD_THREAD_NAME(0)));
	EXPECT_EQ(KERN_SUCCESS, task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT,
						      bootstrap_port));
	take_snapshot(_metadata, &after);
	expect_same_snapshot(_metadata, &before, &after, "a child's threads");
	EXPECT_TRUE(stat_returns_to("threads", threads));
	EXPECT_TRUE(stat_returns_to("ports", ports));
}

TEST(thread_ports_released_when_their_process_exits)
{
	REQUIRE_KOBJ(KOBJ_THREADS);
	threads_released_at_death(_metadata, false);
}

TEST(thread_ports_released_when_their_process_is_killed)
{
	REQUIRE_KOBJ(KOBJ_THREADS);
	threads_released_at_death(_metadata, true);
}

TEST_HARNESS_MAIN
