// SPDX-License-Identifier: GPL-2.0
/*
 * Mach semaphores: kernel objects named by ports (IKOT_SEMAPHORE), made by
 * semaphore_create on a task and owned by it; the traps on their names
 * (signal, signal_all, signal_thread, wait, timedwait, wait_signal,
 * timedwait_signal) with XNU's count semantics and codes; destruction
 * under waiters (KERN_TERMINATED), interruption (KERN_ABORTED), timeouts
 * (KERN_OPERATION_TIMED_OUT), bad timespecs (KERN_INVALID_VALUE); two
 * processes synchronising through semaphores passed in a message; and
 * every semaphore released with its owner, its last send right or its
 * process.
 *
 * Reference: XNU 10.11 (xnu-3248) osfmk/kern/sync_sema.c, ipc_sync.c.
 * Each test skips if the module does not serve semaphores yet.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/mach_time.h>
#include <mach/semaphore.h>
#include <mach/task.h>
#include "kselftest_harness.h"
#include "machipc_util.h"

/* Where a child puts a send right to its receive port in our space. */
#define CHILD_PORT_NAME NAME(0x301, 3)

static const mach_timespec_t POLL = { 0, 0 };
/* A timed wait that should be woken long before it expires. */
static const mach_timespec_t LONG_WAIT = { 60, 0 };

static semaphore_t new_sem(struct __test_metadata *_metadata, int value)
{
	semaphore_t s = MACH_PORT_NULL;

	ASSERT_EQ(KERN_SUCCESS, semaphore_create(mach_task_self(), &s, SYNC_POLICY_FIFO, value));
	ASSERT_TRUE(MACH_PORT_VALID(s));
	return s;
}

/* How many counts the semaphore holds: takes them all, up to max. */
static int drain(semaphore_t s, int max)
{
	int n = 0;

	while (n < max && semaphore_timedwait(s, POLL) == KERN_SUCCESS)
		n++;
	return n;
}

/* ---- threads that wait on a semaphore ---------------------------------- */

enum wait_kind { W_WAIT, W_TIMEDWAIT, W_WAIT_SIGNAL, W_TIMEDWAIT_SIGNAL };

struct waiter {
	pthread_t th;
	enum wait_kind kind;
	semaphore_t sem, other;         /* other: the one wait_signal signals */
	mach_timespec_t ts;
	volatile pid_t tid;
	volatile mach_port_t thread;    /* the waiter's thread port, if wanted */
	bool want_thread;
	volatile bool done;
	volatile kern_return_t kr;
};

static void *waiter_main(void *arg)
{
	struct waiter *w = arg;
	kern_return_t kr;

	if (w->want_thread)
		w->thread = mach_thread_self();
	__atomic_store_n(&w->tid, (pid_t)syscall(SYS_gettid), __ATOMIC_SEQ_CST);
	switch (w->kind) {
	case W_WAIT:
		kr = semaphore_wait(w->sem);
		break;
	case W_TIMEDWAIT:
		kr = semaphore_timedwait(w->sem, w->ts);
		break;
	case W_WAIT_SIGNAL:
		kr = semaphore_wait_signal(w->sem, w->other);
		break;
	default:
		kr = semaphore_timedwait_signal(w->sem, w->other, w->ts);
		break;
	}
	w->kr = kr;
	__atomic_store_n(&w->done, true, __ATOMIC_SEQ_CST);
	return NULL;
}

/* Starts a waiter and returns once it sleeps in the semaphore wait. */
static void start_waiter(struct __test_metadata *_metadata, struct waiter *w, enum wait_kind kind,
			 semaphore_t sem)
{
	w->kind = kind;
	w->sem = sem;
	if (kind == W_TIMEDWAIT || kind == W_TIMEDWAIT_SIGNAL)
		w->ts = LONG_WAIT;
	w->tid = 0;
	w->done = false;
	w->kr = -1;
	ASSERT_EQ(0, pthread_create(&w->th, NULL, waiter_main, w));
	ASSERT_TRUE(POLL_UNTIL(__atomic_load_n(&w->tid, __ATOMIC_SEQ_CST) != 0, BLOCK_WAIT_MS));
	ASSERT_TRUE(wait_thread_blocked_in_mach(w->tid))
		TH_LOG("the waiter never blocked in the semaphore wait");
	ASSERT_FALSE(w->done);
}

/* Waits for the waiter to return; its result. */
static kern_return_t finish_waiter(struct __test_metadata *_metadata, struct waiter *w)
{
	EXPECT_TRUE(POLL_UNTIL(__atomic_load_n(&w->done, __ATOMIC_SEQ_CST), WAIT_MS))
		TH_LOG("the waiter was not woken");
	if (!w->done)
		return -1;
	pthread_join(w->th, NULL);
	return w->kr;
}

/* ---- creation ----------------------------------------------------------- */

TEST(semaphore_create_makes_a_semaphore_port)
{
	semaphore_t s;

	REQUIRE_KOBJ(KOBJ_SEMAPHORES);
	s = new_sem(_metadata, 0);
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_of(s));
	EXPECT_EQ(1U, refs_of(s, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(IKOT_SEMAPHORE, kobject_type_in(mach_task_self(), s));
	/* Two semaphores are two ports. */
	semaphore_t t = new_sem(_metadata, 0);

	EXPECT_NE(s, t);
	/* semaphore_destroy moves the caller's send right: the name goes. */
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), s));
	EXPECT_EQ(GONE, type_of(s));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), t));
	EXPECT_EQ(GONE, type_of(t));
}

/* The initial value is the count. */
TEST(semaphore_create_value_is_the_initial_count)
{
	semaphore_t s;

	REQUIRE_KOBJ(KOBJ_SEMAPHORES);
	s = new_sem(_metadata, 3);
	EXPECT_EQ(3, drain(s, 10));
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, semaphore_timedwait(s, POLL));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), s));
}

/*
 * Policies: SYNC_POLICY_FIXED_PRIORITY (bit 0) is refused, anything above
 * SYNC_POLICY_MAX (7) too; the others (FIFO, LIFO, the PREPOST bit, and -
 * a signed comparison - negative even values) are accepted. A negative
 * value is refused.
 */
TEST(semaphore_create_policy_and_value_checks)
{
	static const struct {
		int policy, value;
		kern_return_t kr;
	} cases[] = {
		{ SYNC_POLICY_FIFO, 0, KERN_SUCCESS },
		{ SYNC_POLICY_LIFO, 0, KERN_SUCCESS },
		{ 4, 0, KERN_SUCCESS },
		{ 6, 0, KERN_SUCCESS },
		{ -2, 0, KERN_SUCCESS },
		{ SYNC_POLICY_FIFO, 0x7fffffff, KERN_SUCCESS },
		{ SYNC_POLICY_FIXED_PRIORITY, 0, KERN_INVALID_ARGUMENT },
		{ 3, 0, KERN_INVALID_ARGUMENT },
		{ 5, 0, KERN_INVALID_ARGUMENT },
		{ 7, 0, KERN_INVALID_ARGUMENT },
		{ 8, 0, KERN_INVALID_ARGUMENT },
		{ 0x7fffffff, 0, KERN_INVALID_ARGUMENT },
		{ SYNC_POLICY_FIFO, -1, KERN_INVALID_ARGUMENT },
		{ SYNC_POLICY_FIFO, -0x7fffffff - 1, KERN_INVALID_ARGUMENT },
	};
	unsigned i;

	REQUIRE_KOBJ(KOBJ_SEMAPHORES);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		semaphore_t s = MACH_PORT_NULL;

		snprintf(fails_ctx, sizeof(fails_ctx), "policy %d value %d", cases[i].policy,
			 cases[i].value);
		if (cases[i].kr != KERN_SUCCESS) {
			EXPECT_FAILS_CLEANLY(cases[i].kr,
					     semaphore_create(mach_task_self(), &s, cases[i].policy,
							      cases[i].value));
			continue;
		}
		EXPECT_EQ(KERN_SUCCESS, semaphore_create(mach_task_self(), &s, cases[i].policy,
							 cases[i].value))
			TH_LOG("%s", fails_ctx);
		EXPECT_EQ(IKOT_SEMAPHORE, kobject_type_in(mach_task_self(), s));
		EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), s));
	}
}

/* semaphore_create needs a task port. */
TEST(semaphore_create_needs_a_task)
{
	mach_port_name_t port;
	semaphore_t s = MACH_PORT_NULL;

	REQUIRE_KOBJ(KOBJ_SEMAPHORES);
	port = new_send_receive(_metadata, 1);
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_DEST,
			     semaphore_create(MACH_PORT_NULL, &s, SYNC_POLICY_FIFO, 0));
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_DEST,
			     semaphore_create(UNKNOWN_NAME, &s, SYNC_POLICY_FIFO, 0));
	/* A host port is a kernel port, but not a task: the task is NULL. */
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  semaphore_create(mach_host_self(), &s, SYNC_POLICY_FIFO, 0));
	/* A semaphore is not a task either. */
	semaphore_t t = new_sem(_metadata, 0);

	EXPECT_EQ(KERN_INVALID_ARGUMENT, semaphore_create(t, &s, SYNC_POLICY_FIFO, 0));
	EXPECT_EQ(NULL_NAME, s);
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), t));
	mach_port_destroy(mach_task_self(), port);
}

/* ---- count semantics ------------------------------------------------------ */

TEST(semaphore_signal_counts_when_nobody_waits)
{
	semaphore_t s;

	REQUIRE_KOBJ(KOBJ_SEMAPHORES);
	s = new_sem(_metadata, 0);
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, semaphore_timedwait(s, POLL));
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(s));
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(s));
	EXPECT_EQ(2, drain(s, 10));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), s));
}

/* semaphore_signal_all with no waiter changes nothing, whatever the count. */
TEST(semaphore_signal_all_without_waiters_leaves_the_count)
{
	semaphore_t s;

	REQUIRE_KOBJ(KOBJ_SEMAPHORES);
	s = new_sem(_metadata, 0);
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal_all(s));
	EXPECT_EQ(0, drain(s, 10));
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(s));
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(s));
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal_all(s));
	EXPECT_EQ(2, drain(s, 10));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), s));
}

TEST(semaphore_wait_sleeps_until_signalled)
{
	struct waiter w = { 0 };
	semaphore_t s;

	REQUIRE_KOBJ(KOBJ_SEMAPHORES);
	s = new_sem(_metadata, 0);
	start_waiter(_metadata, &w, W_WAIT, s);
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(s));
	EXPECT_EQ(KERN_SUCCESS, finish_waiter(_metadata, &w));
	/* The signal went to the waiter: nothing is left counted. */
	EXPECT_EQ(0, drain(s, 10));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), s));
}

/* A count taken without sleeping. */
TEST(semaphore_wait_takes_a_count_without_sleeping)
{
	semaphore_t s;

	REQUIRE_KOBJ(KOBJ_SEMAPHORES);
	s = new_sem(_metadata, 2);
	EXPECT_EQ(KERN_SUCCESS, semaphore_wait(s));
	EXPECT_EQ(KERN_SUCCESS, semaphore_wait(s));
	EXPECT_EQ(0, drain(s, 10));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), s));
}

TEST(semaphore_signal_all_wakes_every_waiter)
{
	struct waiter w[3];
	semaphore_t s;
	int i;

	REQUIRE_KOBJ(KOBJ_SEMAPHORES);
	memset(w, 0, sizeof(w));
	s = new_sem(_metadata, 0);
	start_waiter(_metadata, &w[0], W_WAIT, s);
	start_waiter(_metadata, &w[1], W_TIMEDWAIT, s);
	start_waiter(_metadata, &w[2], W_WAIT, s);
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal_all(s));
	for (i = 0; i < 3; i++)
		EXPECT_EQ(KERN_SUCCESS, finish_waiter(_metadata, &w[i]));
	/* Waking them consumed nothing and counted nothing. */
	EXPECT_EQ(0, drain(s, 10));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), s));
}

/* One signal wakes one waiter of several. */
TEST(semaphore_signal_wakes_one_waiter)
{
	struct waiter w[2];
	semaphore_t s;

	REQUIRE_KOBJ(KOBJ_SEMAPHORES);
	memset(w, 0, sizeof(w));
	s = new_sem(_metadata, 0);
	start_waiter(_metadata, &w[0], W_WAIT, s);
	start_waiter(_metadata, &w[1], W_WAIT, s);
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(s));
	EXPECT_TRUE(POLL_UNTIL(w[0].done || w[1].done, WAIT_MS));
	/* The other one still sleeps in the wait. */
	EXPECT_TRUE(wait_thread_blocked_in_mach(w[0].done ? w[1].tid : w[0].tid));
	EXPECT_FALSE(w[0].done && w[1].done);
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(s));
	EXPECT_EQ(KERN_SUCCESS, finish_waiter(_metadata, &w[0]));
	EXPECT_EQ(KERN_SUCCESS, finish_waiter(_metadata, &w[1]));
	EXPECT_EQ(0, drain(s, 10));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), s));
}

/* ---- semaphore_signal_thread ------------------------------------------- */

/* With THREAD_NULL and nobody waiting: KERN_NOT_WAITING, nothing counted. */
TEST(semaphore_signal_thread_null_without_waiter_is_not_waiting)
{
	semaphore_t s;

	REQUIRE_KOBJ(KOBJ_SEMAPHORES);
	s = new_sem(_metadata, 0);
	EXPECT_EQ(KERN_NOT_WAITING, semaphore_signal_thread(s, THREAD_NULL));
	EXPECT_EQ(0, drain(s, 10));
	/* Nor with a count there: signal_thread never counts. */
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(s));
	EXPECT_EQ(KERN_NOT_WAITING, semaphore_signal_thread(s, THREAD_NULL));
	EXPECT_EQ(1, drain(s, 10));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), s));
}

TEST(semaphore_signal_thread_null_wakes_a_waiter)
{
	struct waiter w = { 0 };
	semaphore_t s;

	REQUIRE_KOBJ(KOBJ_SEMAPHORES);
	s = new_sem(_metadata, 0);
	start_waiter(_metadata, &w, W_WAIT, s);
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal_thread(s, THREAD_NULL));
	EXPECT_EQ(KERN_SUCCESS, finish_waiter(_metadata, &w));
	EXPECT_EQ(0, drain(s, 10));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), s));
}

/* A named thread is woken, and only it; a thread that does not wait there
 * is KERN_NOT_WAITING. */
TEST(semaphore_signal_thread_wakes_that_thread)
{
	struct waiter w[2];
	semaphore_t s, other;
	mach_port_t me;

	REQUIRE_KOBJ(KOBJ_SEMAPHORES);
	REQUIRE_KOBJ(KOBJ_THREADS);
	memset(w, 0, sizeof(w));
	s = new_sem(_metadata, 0);
	other = new_sem(_metadata, 0);
	w[0].want_thread = w[1].want_thread = true;
	start_waiter(_metadata, &w[0], W_WAIT, s);
	start_waiter(_metadata, &w[1], W_WAIT, s);
	ASSERT_TRUE(MACH_PORT_VALID(w[1].thread));
	ASSERT_NE(w[0].thread, w[1].thread);
	/* Threads that do not wait on `s`: us, and the waiters on `other`. */
	me = mach_thread_self();
	EXPECT_EQ(KERN_NOT_WAITING, semaphore_signal_thread(s, me));
	EXPECT_EQ(KERN_NOT_WAITING, semaphore_signal_thread(other, w[1].thread));
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal_thread(s, w[1].thread));
	EXPECT_EQ(KERN_SUCCESS, finish_waiter(_metadata, &w[1]));
	EXPECT_TRUE(wait_thread_blocked_in_mach(w[0].tid));
	EXPECT_FALSE(w[0].done);
	/* w[1]'s thread has exited: its port dies and naming it is
	 * KERN_INVALID_ARGUMENT (xnu-3248: ipc_thread_disable() leaves the
	 * port IKOT_NONE, so port_name_to_thread() finds no thread). */
	EXPECT_TRUE(POLL_UNTIL(type_of(w[1].thread) == MACH_PORT_TYPE_DEAD_NAME, WAIT_MS));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, semaphore_signal_thread(s, w[1].thread));
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal_thread(s, w[0].thread));
	EXPECT_EQ(KERN_SUCCESS, finish_waiter(_metadata, &w[0]));
	EXPECT_EQ(0, drain(s, 10));
	EXPECT_EQ(0, drain(other, 10));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), s));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), other));
}

/*
 * A thread name that is not a thread is KERN_INVALID_ARGUMENT, checked
 * before the semaphore's name: even a NULL semaphore name gives it.
 */
TEST(semaphore_signal_thread_bad_thread_is_invalid_argument)
{
	mach_port_name_t port, recv;
	semaphore_t s;

	REQUIRE_KOBJ(KOBJ_SEMAPHORES);
	s = new_sem(_metadata, 0);
	port = new_send_receive(_metadata, 1);
	recv = new_receive(_metadata);
	EXPECT_EQ(KERN_INVALID_ARGUMENT, semaphore_signal_thread(s, UNKNOWN_NAME));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, semaphore_signal_thread(s, port));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, semaphore_signal_thread(s, recv));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, semaphore_signal_thread(s, mach_task_self()));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, semaphore_signal_thread(s, s));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, semaphore_signal_thread(MACH_PORT_NULL, port));
	EXPECT_EQ(0, drain(s, 10));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), s));
}

/* ---- timed waits ----------------------------------------------------------- */

/* {0, 0} polls; a timeout expires after (at least) its time; a signal
 * after a timed-out wait is counted. */
TEST(semaphore_timedwait_times_out)
{
	const mach_timespec_t t50ms = { 0, 50 * 1000 * 1000 };
	semaphore_t s;
	uint64_t t0;

	REQUIRE_KOBJ(KOBJ_SEMAPHORES);
	s = new_sem(_metadata, 0);
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, semaphore_timedwait(s, POLL));
	t0 = mach_absolute_time();
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, semaphore_timedwait(s, t50ms));
	EXPECT_LE(t0 + 50 * NSEC_PER_MSEC, mach_absolute_time());
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(s));
	EXPECT_EQ(KERN_SUCCESS, semaphore_timedwait(s, t50ms));
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, semaphore_timedwait(s, POLL));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), s));
}

TEST(semaphore_timedwait_is_woken_by_a_signal)
{
	struct waiter w = { 0 };
	semaphore_t s;

	REQUIRE_KOBJ(KOBJ_SEMAPHORES);
	s = new_sem(_metadata, 0);
	start_waiter(_metadata, &w, W_TIMEDWAIT, s);
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(s));
	EXPECT_EQ(KERN_SUCCESS, finish_waiter(_metadata, &w));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), s));
}

/*
 * tv_nsec < 0 or >= 1e9 is KERN_INVALID_VALUE, checked before the names
 * are looked at (a NULL name gives it too) and before anything is
 * signalled.
 */
TEST(semaphore_timedwait_bad_timespec_is_invalid_value)
{
	static const mach_timespec_t bad[] = {
		{ 0, -1 }, { 1, -1 }, { 0, 1000000000 }, { 5, 0x7fffffff }, { 0, -0x7fffffff - 1 },
	};
	semaphore_t s, sig;
	unsigned i;

	REQUIRE_KOBJ(KOBJ_SEMAPHORES);
	s = new_sem(_metadata, 1);
	sig = new_sem(_metadata, 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(KERN_INVALID_VALUE, semaphore_timedwait(s, bad[i]))
			TH_LOG("{%u, %d}", bad[i].tv_sec, bad[i].tv_nsec);
		EXPECT_EQ(KERN_INVALID_VALUE, semaphore_timedwait(MACH_PORT_NULL, bad[i]));
		EXPECT_EQ(KERN_INVALID_VALUE, semaphore_timedwait_signal(s, sig, bad[i]));
		EXPECT_EQ(KERN_INVALID_VALUE,
			  semaphore_timedwait_signal(MACH_PORT_NULL, UNKNOWN_NAME, bad[i]));
	}
	/* Neither the count of s was taken nor sig signalled. */
	EXPECT_EQ(1, drain(s, 10));
	EXPECT_EQ(0, drain(sig, 10));
	/* The largest valid nanoseconds are fine. */
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(s));
	EXPECT_EQ(KERN_SUCCESS, semaphore_timedwait(s, (mach_timespec_t){ 0, 999999999 }));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), s));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), sig));
}

/* ---- wait_signal ------------------------------------------------------------ */

/* wait_signal signals one semaphore and waits on the other. */
TEST(semaphore_wait_signal_signals_then_waits)
{
	struct waiter w = { 0 };
	semaphore_t a, b;

	REQUIRE_KOBJ(KOBJ_SEMAPHORES);
	a = new_sem(_metadata, 0);
	b = new_sem(_metadata, 0);
	/* The waiter signals b and sleeps on a. */
	w.other = b;
	start_waiter(_metadata, &w, W_WAIT_SIGNAL, a);
	EXPECT_EQ(1, drain(b, 10));
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(a));
	EXPECT_EQ(KERN_SUCCESS, finish_waiter(_metadata, &w));
	/* With a count there, it does not sleep, and still signals. */
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(a));
	EXPECT_EQ(KERN_SUCCESS, semaphore_wait_signal(a, b));
	EXPECT_EQ(1, drain(b, 10));
	EXPECT_EQ(0, drain(a, 10));
	/* A poll that times out has still signalled. */
	EXPECT_EQ(KERN_OPERATION_TIMED_OUT, semaphore_timedwait_signal(a, b, POLL));
	EXPECT_EQ(1, drain(b, 10));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), a));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), b));
}

TEST(semaphore_timedwait_signal_wakes_on_signal)
{
	struct waiter w = { 0 };
	semaphore_t a, b;

	REQUIRE_KOBJ(KOBJ_SEMAPHORES);
	a = new_sem(_metadata, 0);
	b = new_sem(_metadata, 0);
	w.other = b;
	start_waiter(_metadata, &w, W_TIMEDWAIT_SIGNAL, a);
	EXPECT_EQ(1, drain(b, 10));
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(a));
	EXPECT_EQ(KERN_SUCCESS, finish_waiter(_metadata, &w));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), a));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), b));
}

/* ---- names that are not semaphores ------------------------------------------ */

/*
 * Every trap translates its names the same way: not a valid name (NULL,
 * DEAD) or no entry -> KERN_INVALID_NAME; an entry without a send right
 * (receive only, port set, send-once, dead name) -> KERN_INVALID_RIGHT;
 * a send right to a port that is not a semaphore ->
 * KERN_INVALID_CAPABILITY. wait_signal translates the signal name first
 * and signals nothing when either name is bad.
 */
TEST(semaphore_traps_refuse_names_that_are_not_semaphores)
{
	mach_port_name_t recv, set, so, dead, plain, gone;
	struct {
		mach_port_name_t name;
		kern_return_t kr;
		const char *what;
	} bad[10];
	semaphore_t good;
	unsigned i, n = 0;

	REQUIRE_KOBJ(KOBJ_SEMAPHORES);
	good = new_sem(_metadata, 0);
	recv = new_receive(_metadata);
	set = new_port_set(_metadata);
	plain = new_send_receive(_metadata, 1);
	so = new_send_once(_metadata, recv);
	/* A real dead name: a send right whose port was destroyed. */
	gone = new_send_receive(_metadata, 1);
	dead = MACH_PORT_NULL;
	{
		mach_port_name_t r = new_receive(_metadata);
		mach_msg_type_name_t t;

		ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(mach_task_self(), r,
								MACH_MSG_TYPE_MAKE_SEND, &dead, &t));
		ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), r,
							   MACH_PORT_RIGHT_RECEIVE, -1));
		/* extract_right of MAKE_SEND on r gives r's own name. */
		ASSERT_EQ(r, dead);
	}
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), gone));
	bad[n++] = (typeof(bad[0])){ MACH_PORT_NULL, KERN_INVALID_NAME, "NULL" };
	bad[n++] = (typeof(bad[0])){ MACH_PORT_DEAD, KERN_INVALID_NAME, "DEAD" };
	bad[n++] = (typeof(bad[0])){ UNKNOWN_NAME, KERN_INVALID_NAME, "unknown name" };
	bad[n++] = (typeof(bad[0])){ gone, KERN_INVALID_NAME, "destroyed name" };
	bad[n++] = (typeof(bad[0])){ recv, KERN_INVALID_RIGHT, "receive right" };
	bad[n++] = (typeof(bad[0])){ set, KERN_INVALID_RIGHT, "port set" };
	bad[n++] = (typeof(bad[0])){ so, KERN_INVALID_RIGHT, "send-once right" };
	bad[n++] = (typeof(bad[0])){ dead, KERN_INVALID_RIGHT, "dead name" };
	bad[n++] = (typeof(bad[0])){ plain, KERN_INVALID_CAPABILITY, "send right to a port" };
	bad[n++] = (typeof(bad[0])){ mach_task_self(), KERN_INVALID_CAPABILITY,
				     "send right to a task" };
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(dead));
	for (i = 0; i < n; i++) {
		mach_port_name_t b = bad[i].name;
		kern_return_t kr = bad[i].kr;

		snprintf(fails_ctx, sizeof(fails_ctx), "(%s 0x%x)", bad[i].what, b);
		EXPECT_FAILS_CLEANLY(kr, semaphore_signal(b));
		EXPECT_FAILS_CLEANLY(kr, semaphore_signal_all(b));
		EXPECT_FAILS_CLEANLY(kr, semaphore_signal_thread(b, THREAD_NULL));
		EXPECT_FAILS_CLEANLY(kr, semaphore_wait(b));
		EXPECT_FAILS_CLEANLY(kr, semaphore_timedwait(b, POLL));
		EXPECT_FAILS_CLEANLY(kr, semaphore_wait_signal(b, good));
		EXPECT_FAILS_CLEANLY(kr, semaphore_wait_signal(good, b));
		EXPECT_FAILS_CLEANLY(kr, semaphore_timedwait_signal(b, good, POLL));
		EXPECT_FAILS_CLEANLY(kr, semaphore_timedwait_signal(good, b, POLL));
		/* The good semaphore was neither signalled nor waited on. */
		EXPECT_EQ(0, drain(good, 10)) TH_LOG("%s", fails_ctx);
	}
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), good));
}

/* ---- destruction ------------------------------------------------------------- */

/*
 * semaphore_destroy wakes every waiter with KERN_TERMINATED; the port
 * stays a semaphore port while send rights to it exist, and every call
 * on it is then KERN_TERMINATED. Destroying it again is
 * KERN_INVALID_ARGUMENT (it has no owner any more).
 */
TEST(semaphore_destroy_under_waiters_terminates_them)
{
	struct waiter w[4];
	semaphore_t s, live;
	int i;

	REQUIRE_KOBJ(KOBJ_SEMAPHORES);
	memset(w, 0, sizeof(w));
	s = new_sem(_metadata, 0);
	live = new_sem(_metadata, 0);
	/* Keep a send right past the one semaphore_destroy moves. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), s, MACH_PORT_RIGHT_SEND, 1));
	w[2].other = w[3].other = live;
	start_waiter(_metadata, &w[0], W_WAIT, s);
	start_waiter(_metadata, &w[1], W_TIMEDWAIT, s);
	start_waiter(_metadata, &w[2], W_WAIT_SIGNAL, s);
	start_waiter(_metadata, &w[3], W_TIMEDWAIT_SIGNAL, s);
	EXPECT_EQ(2, drain(live, 10));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), s));
	for (i = 0; i < 4; i++)
		EXPECT_EQ(KERN_TERMINATED, finish_waiter(_metadata, &w[i])) TH_LOG("waiter %d", i);
	EXPECT_EQ(1U, refs_of(s, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(IKOT_SEMAPHORE, kobject_type_in(mach_task_self(), s));
	EXPECT_EQ(KERN_TERMINATED, semaphore_signal(s));
	EXPECT_EQ(KERN_TERMINATED, semaphore_signal_all(s));
	EXPECT_EQ(KERN_TERMINATED, semaphore_signal_thread(s, THREAD_NULL));
	EXPECT_EQ(KERN_TERMINATED, semaphore_wait(s));
	EXPECT_EQ(KERN_TERMINATED, semaphore_timedwait(s, POLL));
	EXPECT_EQ(KERN_TERMINATED, semaphore_timedwait(s, LONG_WAIT));
	/* A dead wait semaphore: KERN_TERMINATED, but the signal is still made. */
	EXPECT_EQ(KERN_TERMINATED, semaphore_wait_signal(s, live));
	EXPECT_EQ(1, drain(live, 10));
	/* A dead signal semaphore: the wait is given up, KERN_TERMINATED. */
	EXPECT_EQ(KERN_TERMINATED, semaphore_wait_signal(live, s));
	EXPECT_EQ(KERN_TERMINATED, semaphore_timedwait_signal(live, s, LONG_WAIT));
	/* Still an owner-less semaphore: destroy refuses it (and moves the right). */
	EXPECT_EQ(KERN_INVALID_ARGUMENT, semaphore_destroy(mach_task_self(), s));
	EXPECT_EQ(GONE, type_of(s));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), live));
}

/* Only the owner destroys: another task's port is KERN_INVALID_ARGUMENT
 * (and the right moved in the request is consumed all the same). */
static void child_waits_for_end(int arg, int rd, int wr)
{
	(void)arg;
	(void)wr;
	CHILD_GET(rd);
}

TEST(semaphore_destroy_needs_the_owner)
{
	mach_port_name_t port;
	semaphore_t s, none = MACH_PORT_NULL;
	struct kid k;

	REQUIRE_KOBJ(KOBJ_SEMAPHORES);
	s = new_sem(_metadata, 0);
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), s, MACH_PORT_RIGHT_SEND, 1));
	ASSERT_TRUE(spawn(&k, SPAWN_GIVE_TASK, child_waits_for_end, 0));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, semaphore_destroy(CHILD_TASK_NAME, s));
	EXPECT_EQ(1U, refs_of(s, MACH_PORT_RIGHT_SEND));
	/* Not a semaphore: the conversion gives NULL. */
	port = new_send_receive(_metadata, 2);
	EXPECT_EQ(KERN_INVALID_ARGUMENT, semaphore_destroy(mach_task_self(), port));
	EXPECT_EQ(1U, refs_of(port, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, semaphore_destroy(mach_task_self(), none));
	/* A name that is not a send right: the request cannot be sent. */
	EXPECT_EQ(MACH_SEND_INVALID_RIGHT, semaphore_destroy(mach_task_self(), UNKNOWN_NAME));
	/* It still works. */
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(s));
	EXPECT_EQ(1, drain(s, 10));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), s));
	EXPECT_TRUE(end_kid(&k));
}

/* ---- interruption ---------------------------------------------------------------- */

static volatile int got_signal;

static void on_usr1(int sig)
{
	(void)sig;
	got_signal++;
}

/*
 * A signal delivered to a thread sleeping in a semaphore wait ends the
 * wait with KERN_ABORTED (the wait is not restarted, SA_RESTART or not);
 * nothing is consumed.
 */
static void interrupted_wait(struct __test_metadata *_metadata, int sa_flags, enum wait_kind kind)
{
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = sa_flags };
	struct waiter w = { 0 };
	semaphore_t s, other;

	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	s = new_sem(_metadata, 0);
	other = new_sem(_metadata, 0);
	w.other = other;
	got_signal = 0;
	start_waiter(_metadata, &w, kind, s);
	ASSERT_EQ(0, pthread_kill(w.th, SIGUSR1));
	EXPECT_EQ(KERN_ABORTED, finish_waiter(_metadata, &w));
	EXPECT_EQ(1, got_signal);
	/* A later signal is counted, not lost to the aborted wait. */
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(s));
	EXPECT_EQ(1, drain(s, 10));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), s));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), other));
}

TEST(semaphore_wait_interrupted_is_aborted)
{
	REQUIRE_KOBJ(KOBJ_SEMAPHORES);
	interrupted_wait(_metadata, 0, W_WAIT);
}

TEST(semaphore_wait_interrupted_with_sa_restart_is_aborted)
{
	REQUIRE_KOBJ(KOBJ_SEMAPHORES);
	interrupted_wait(_metadata, SA_RESTART, W_WAIT);
}

TEST(semaphore_timedwait_interrupted_is_aborted)
{
	REQUIRE_KOBJ(KOBJ_SEMAPHORES);
	interrupted_wait(_metadata, 0, W_TIMEDWAIT);
}

TEST(semaphore_wait_signal_interrupted_is_aborted)
{
	REQUIRE_KOBJ(KOBJ_SEMAPHORES);
	interrupted_wait(_metadata, 0, W_WAIT_SIGNAL);
}

/* ---- across processes --------------------------------------------------------------- */

#define PING_PONG_ROUNDS 200

struct pp_msg {
	mach_msg_header_t header;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t sem[2];
};

struct pp_rcv {
	struct pp_msg m;
	mach_msg_trailer_t trailer;
};

/*
 * The child: gives us a send right to a port of its own, receives the two
 * semaphores in a message on it, then plays its half of the ping-pong:
 * it waits on a, checks and advances the shared turn, signals b.
 */
static volatile uint32_t *pp_turn;

static void child_ping_pong(int arg, int rd, int wr)
{
	const mach_timespec_t ten_s = { 10, 0 };
	mach_port_name_t port = new_port();
	struct pp_rcv r;
	semaphore_t a, b;
	int i;

	(void)arg;
	CHILD_TRUE(MACH_PORT_VALID(port));
	CHILD_EQ(KERN_SUCCESS, mach_port_insert_right(bootstrap_port, CHILD_PORT_NAME, port,
						      MACH_MSG_TYPE_MAKE_SEND));
	CHILD_PUT(wr, 0);
	memset(&r, 0, sizeof(r));
	CHILD_EQ(MACH_MSG_SUCCESS, mach_msg(&r.m.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					    sizeof(r), port, WAIT_MS, MACH_PORT_NULL));
	CHILD_TRUE(r.m.header.msgh_bits & MACH_MSGH_BITS_COMPLEX);
	CHILD_EQ(2, r.m.body.msgh_descriptor_count);
	a = r.m.sem[0].name;
	b = r.m.sem[1].name;
	CHILD_EQ(PORT_SEND, r.m.sem[0].disposition);
	CHILD_EQ(PORT_SEND, r.m.sem[1].disposition);
	CHILD_EQ(IKOT_SEMAPHORE, kobject_type_in(mach_task_self(), a));
	CHILD_EQ(IKOT_SEMAPHORE, kobject_type_in(mach_task_self(), b));
	CHILD_EQ(KERN_SUCCESS, semaphore_timedwait(a, ten_s));
	for (i = 0; i < PING_PONG_ROUNDS; i++) {
		CHILD_EQ(2U * i, *pp_turn);
		*pp_turn = 2U * i + 1;
		if (i + 1 < PING_PONG_ROUNDS)
			CHILD_EQ(KERN_SUCCESS, semaphore_timedwait_signal(a, b, ten_s));
		else
			CHILD_EQ(KERN_SUCCESS, semaphore_signal(b));
	}
	/* The owner is the parent: we cannot destroy them. */
	CHILD_EQ(KERN_INVALID_ARGUMENT, semaphore_destroy(mach_task_self(), a));
	CHILD_GET(rd);
}

TEST(semaphores_passed_in_a_message_synchronise_two_processes)
{
	const mach_timespec_t ten_s = { 10, 0 };
	struct pp_msg m;
	semaphore_t a, b;
	struct kid k;
	int i;

	REQUIRE_KOBJ(KOBJ_SEMAPHORES);
	pp_turn = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, pp_turn);
	*pp_turn = 0;
	a = new_sem(_metadata, 0);
	b = new_sem(_metadata, 0);
	ASSERT_TRUE(spawn(&k, SPAWN_PARENT_TASK | SPAWN_WAIT_READY, child_ping_pong, 0));
	ASSERT_EQ(MACH_PORT_TYPE_SEND, type_of(CHILD_PORT_NAME));
	memset(&m, 0, sizeof(m));
	m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	m.header.msgh_size = sizeof(m);
	m.header.msgh_remote_port = CHILD_PORT_NAME;
	m.header.msgh_id = 0x5e4a;
	m.body.msgh_descriptor_count = 2;
	m.sem[0].name = a;
	m.sem[0].disposition = MACH_MSG_TYPE_COPY_SEND;
	m.sem[0].type = MACH_MSG_PORT_DESCRIPTOR;
	m.sem[1].name = b;
	m.sem[1].disposition = MACH_MSG_TYPE_COPY_SEND;
	m.sem[1].type = MACH_MSG_PORT_DESCRIPTOR;
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&m.header, MACH_SEND_MSG | MACH_SEND_TIMEOUT,
					     sizeof(m), 0, MACH_PORT_NULL, WAIT_MS,
					     MACH_PORT_NULL));
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(a));
	for (i = 0; i < PING_PONG_ROUNDS; i++) {
		if (i + 1 < PING_PONG_ROUNDS) {
			ASSERT_EQ(KERN_SUCCESS, semaphore_timedwait(b, ten_s)) TH_LOG("round %d", i);
			ASSERT_EQ(2U * i + 1, *pp_turn);
			*pp_turn = 2U * (i + 1);
			/* signal a happens in the next round's wait_signal */
			ASSERT_EQ(KERN_SUCCESS, semaphore_signal(a));
		} else {
			ASSERT_EQ(KERN_SUCCESS, semaphore_timedwait(b, ten_s));
			ASSERT_EQ(2U * i + 1, *pp_turn);
		}
	}
	EXPECT_TRUE(end_kid(&k));
	/* Every signal was consumed by the other side. */
	EXPECT_EQ(0, drain(a, 10));
	EXPECT_EQ(0, drain(b, 10));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), a));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), b));
}

/* ---- lifetime ------------------------------------------------------------------------ */

/*
 * A semaphore belongs to the task it was made for: semaphore_create on a
 * child's task port makes one owned by the child, and the child's death
 * destroys it (our waiter is woken with KERN_TERMINATED). Our send right
 * stays until we release it; then the semaphore is freed.
 */
TEST(semaphore_dies_with_its_owner_task)
{
	struct waiter w = { 0 };
	semaphore_t s = MACH_PORT_NULL;
	long long base;
	struct kid k;

	REQUIRE_KOBJ(KOBJ_SEMAPHORES);
	base = machipc_stat("semaphores");
	ASSERT_TRUE(spawn(&k, SPAWN_GIVE_TASK, child_waits_for_end, 0));
	ASSERT_EQ(KERN_SUCCESS, semaphore_create(CHILD_TASK_NAME, &s, SYNC_POLICY_FIFO, 0));
	EXPECT_EQ(IKOT_SEMAPHORE, kobject_type_in(mach_task_self(), s));
	/* We may use it, not destroy it. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), s, MACH_PORT_RIGHT_SEND, 1));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, semaphore_destroy(mach_task_self(), s));
	EXPECT_EQ(KERN_SUCCESS, semaphore_signal(s));
	EXPECT_EQ(1, drain(s, 10));
	start_waiter(_metadata, &w, W_WAIT, s);
	EXPECT_TRUE(kill_kid(&k));
	EXPECT_EQ(KERN_TERMINATED, finish_waiter(_metadata, &w));
	EXPECT_EQ(KERN_TERMINATED, semaphore_signal(s));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_of(s));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), s));
	EXPECT_TRUE(stat_returns_to("semaphores", base)) TH_LOG("semaphore not freed");
}

/* The last send right going frees a semaphore that nobody destroyed. */
TEST(semaphore_freed_with_its_last_send_right)
{
	long long base;
	semaphore_t s;
	int i;

	REQUIRE_KOBJ(KOBJ_SEMAPHORES);
	base = machipc_stat("semaphores");
	if (base < 0)
		SKIP(return, "no module counters (needs root and debugfs)");
	for (i = 0; i < 8; i++) {
		s = new_sem(_metadata, i);
		EXPECT_EQ(base + 1, machipc_stat("semaphores"));
		EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), s));
		EXPECT_TRUE(stat_returns_to("semaphores", base));
	}
}

/*
 * A process's semaphores go when it dies (however it dies), and so do the
 * names it held: our space is as it was, the module's counters too.
 */
static void child_makes_semaphores(int how, int rd, int wr)
{
	semaphore_t s[16];
	int i;

	for (i = 0; i < 16; i++)
		CHILD_EQ(KERN_SUCCESS, semaphore_create(mach_task_self(), &s[i], SYNC_POLICY_FIFO, i));
	/* One of them given to the parent, one of the parent's kept. */
	CHILD_EQ(KERN_SUCCESS, mach_port_insert_right(bootstrap_port, CHILD_PORT_NAME, s[0],
						      MACH_MSG_TYPE_COPY_SEND));
	CHILD_PUT(wr, 0);
	if (how == 0)
		CHILD_GET(rd);
	else
		pause();
}

static void semaphores_released_at_death(struct __test_metadata *_metadata, bool killed)
{
	long long sems = machipc_stat("semaphores"), ports = machipc_stat("ports");
	struct snapshot before, after;
	struct kid k;

	take_snapshot(_metadata, &before);
	ASSERT_TRUE(spawn(&k, SPAWN_PARENT_TASK | SPAWN_WAIT_READY, child_makes_semaphores,
			  killed));
	EXPECT_EQ(IKOT_SEMAPHORE, kobject_type_in(mach_task_self(), CHILD_PORT_NAME));
	if (killed) {
		EXPECT_TRUE(kill_kid(&k));
	} else {
		EXPECT_TRUE(end_kid(&k));
	}
	/* The one we hold was destroyed with its owner. */
	EXPECT_EQ(KERN_TERMINATED, semaphore_signal(CHILD_PORT_NAME));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), CHILD_PORT_NAME));
	/* spawn() made our task port our bootstrap port: undo it. */
	EXPECT_EQ(KERN_SUCCESS, task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT,
						      bootstrap_port));
	take_snapshot(_metadata, &after);
	expect_same_snapshot(_metadata, &before, &after, "a child's semaphores");
	EXPECT_TRUE(stat_returns_to("semaphores", sems));
	EXPECT_TRUE(stat_returns_to("ports", ports));
}

TEST(semaphores_released_when_their_process_exits)
{
	REQUIRE_KOBJ(KOBJ_SEMAPHORES);
	semaphores_released_at_death(_metadata, false);
}

TEST(semaphores_released_when_their_process_is_killed)
{
	REQUIRE_KOBJ(KOBJ_SEMAPHORES);
	semaphores_released_at_death(_metadata, true);
}

/* ---- unprivileged ------------------------------------------------------------------ */

/*
 * A semaphore is a capability: an unprivileged process given a send right
 * to root's semaphore may signal and wait on it, not destroy it; its own
 * semaphores work as anyone's. Hostile arguments get the defined codes.
 */
static void child_nobody_semaphores(int arg, int rd, int wr)
{
	semaphore_t mine = MACH_PORT_NULL, theirs = CHILD_PORT_NAME;

	(void)arg;
	CHILD_BECOME_NOBODY();
	CHILD_EQ(KERN_SUCCESS, semaphore_create(mach_task_self(), &mine, SYNC_POLICY_FIFO, 1));
	CHILD_EQ(KERN_SUCCESS, semaphore_wait(mine));
	CHILD_EQ(KERN_OPERATION_TIMED_OUT, semaphore_timedwait(mine, POLL));
	CHILD_EQ(KERN_INVALID_VALUE, semaphore_timedwait(mine, (mach_timespec_t){ 0, -5 }));
	CHILD_EQ(KERN_INVALID_ARGUMENT,
		 semaphore_create(mach_task_self(), &mine, SYNC_POLICY_FIXED_PRIORITY, 0));
	CHILD_EQ(KERN_INVALID_ARGUMENT, semaphore_create(mach_task_self(), &mine, 0, -7));
	CHILD_EQ(KERN_INVALID_NAME, semaphore_signal(UNKNOWN_NAME));
	CHILD_EQ(KERN_INVALID_CAPABILITY, semaphore_wait(mach_task_self()));
	CHILD_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), mine));
	/* The parent's semaphore, put in our space by the parent. */
	CHILD_PUT(wr, 0);
	CHILD_GET(rd);
	CHILD_EQ(IKOT_SEMAPHORE, kobject_type_in(mach_task_self(), theirs));
	CHILD_EQ(KERN_SUCCESS, semaphore_signal(theirs));
	CHILD_EQ(KERN_SUCCESS, semaphore_timedwait(theirs, (mach_timespec_t){ 10, 0 }));
	CHILD_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), theirs, MACH_PORT_RIGHT_SEND, 1));
	CHILD_EQ(KERN_INVALID_ARGUMENT, semaphore_destroy(mach_task_self(), theirs));
	CHILD_EQ(KERN_SUCCESS, semaphore_signal(theirs));
	CHILD_PUT(wr, 0);
	CHILD_GET(rd);
}

TEST(semaphore_as_nobody)
{
	semaphore_t s;
	struct kid k;
	uint32_t v;

	REQUIRE_KOBJ(KOBJ_SEMAPHORES);
	if (geteuid() != 0)
		SKIP(return, "needs root to drop privileges");
	s = new_sem(_metadata, 0);
	ASSERT_TRUE(spawn(&k, SPAWN_GIVE_TASK, child_nobody_semaphores, 0));
	ASSERT_TRUE(get(k.rd, &v));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(CHILD_TASK_NAME, CHILD_PORT_NAME, s,
						       MACH_MSG_TYPE_COPY_SEND));
	ASSERT_TRUE(put(k.wr, 0));
	ASSERT_TRUE(get(k.rd, &v));
	/* The child's last signal is ours to take. */
	EXPECT_EQ(1, drain(s, 10));
	EXPECT_TRUE(end_kid(&k));
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(mach_task_self(), s));
}

TEST_HARNESS_MAIN
