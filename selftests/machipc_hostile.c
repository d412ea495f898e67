// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile users (issue 8): what an unprivileged process can make the
 * module do with the sizes, counts and pointers it chooses. Every attack
 * runs as nobody (uid 65534), forked from the (root) test and dropped to
 * that user before it starts; each must end in bounded time with a
 * defined Mach code, be killable, warn about nothing in the kernel log
 * (the log checker fails the run on any WARNING, hung task, lockup or RCU
 * stall), and leave every live count of the module's statistics
 * (/sys/kernel/debug/machipc/stats) where it was before.
 *
 *  - teardown of huge structures: 196,584 send rights queued in 12
 *    messages of 44 bytes on a victim's port, destroyed with the port or
 *    with the victim's process (SIGKILL); a process dying with the whole
 *    per-user message budget queued; a process exiting with 135,000
 *    queued messages (root: past any user's budget);
 *  - the send-once flood: a queue at MACH_PORT_QLIMIT_KERNEL, and the
 *    send-once notification that then cannot be queued;
 *  - user-sized allocations: counts of rights and descriptors at and past
 *    the caps, huge sizes, bogus pointers;
 *  - per-user budgets (ports, queued messages, their bytes -- out-of-line
 *    memory and out-of-line port arrays included -- and request-table
 *    slots) with RLIMIT_AS at 64 MiB, which must stop one user while the
 *    others keep working, and a memory cgroup limit, which must give Mach
 *    codes as well.
 *
 * The limits asserted are the module's defaults (machipc_hostile.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mach/mach.h>
#include <machipc/machipc.h>
#include "machipc.h"
#include "kselftest_harness.h"
#include "machipc_util.h"
#include "machipc_hostile.h"

/* Messages the teardown scenario plants, each at the rights cap. */
#define PLANTED_MSGS 12U
/* The victim's queue limit: room for them. */
#define VICTIM_QLIMIT 16U

/* A kernel address: never readable or writable from user space. */
#define KERNEL_ADDR ((void *)0xffff888000000000ULL)

/* ---------------------------------------------------------------------- */
/* Children that attack as an unprivileged user. */

/* Runs fn as `uid` in a child and waits for it (TEARDOWN_WAIT_MS at most). */
#define RUN_AS(uid, fn, arg)                                                    \
	do {                                                                    \
		struct kid __k;                                                 \
		ASSERT_TRUE(attacker(&__k, (uid), 0, (fn), (arg)));             \
		close(__k.wr);                                                  \
		EXPECT_EXITED_OK(wait_gone(__k.pid, TEARDOWN_WAIT_MS));         \
		close(__k.rd);                                                  \
	} while (0)

/* A receive buffer of `size` bytes plus the largest trailer. */
static mach_msg_header_t *rcv_buffer(size_t size)
{
	void *b = mmap(NULL, size + MAX_TRAILER_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return b == MAP_FAILED ? NULL : b;
}

/* Receives on `port` into `b`, which has room for `size` bytes. */
static mach_msg_return_t recv_into(mach_port_name_t port, mach_msg_header_t *b, size_t size,
				   mach_msg_timeout_t timeout)
{
	return mach_msg(b, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, (mach_msg_size_t)size, port,
			timeout, MACH_PORT_NULL);
}

/* The same into a buffer of rcv_buffer(size). */
#define RECV_BIG(port, b, size, timeout) recv_into((port), (b), (size) + MAX_TRAILER_SIZE, (timeout))

/* ====================================================================== */
/* Teardown of huge structures. */

/*
 * The attacker: 12 messages of 44 bytes to `arg` (MACH_PORT_NULL: its
 * bootstrap port, the victim's port), each carrying MAX_MSG_RIGHTS copies
 * of a send right to a port of its own. It then asks for the port's
 * no-senders notification and drops its own send right: the planted
 * rights are the port's only senders. It reports, and waits (at most
 * TEARDOWN_WAIT_MS) for the notification -- the proof that the victim's
 * side released every one of them.
 */
static void plant_rights(long arg, int rd, int wr)
{
	mach_port_name_t a = port_with_send(0), victim = (mach_port_name_t)arg, prev;
	mach_no_senders_notification_t n;
	mach_port_name_t *names;
	struct ool_ports_msg m;
	unsigned i;

	(void)rd;
	if (victim == MACH_PORT_NULL)
		victim = bootstrap_port;
	CHILD_TRUE(MACH_PORT_VALID(a));
	CHILD_TRUE(MACH_PORT_VALID(victim));
	names = name_copies(a, MAX_MSG_RIGHTS);
	CHILD_TRUE(names != NULL);
	for (i = 0; i < PLANTED_MSGS; i++) {
		ool_ports_msg_init(&m, victim, names, MAX_MSG_RIGHTS, MACH_MSG_TYPE_COPY_SEND);
		CHILD_EQ(sizeof(m), 44);
		CHILD_EQ(MACH_MSG_SUCCESS, send_raw(&m, sizeof(m), MACH_SEND_TIMEOUT, WAIT_MS));
	}
	CHILD_EQ(KERN_SUCCESS, mach_port_request_notification(mach_task_self(), a,
							      MACH_NOTIFY_NO_SENDERS, 0, a,
							      MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev));
	CHILD_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), a));
	CHILD_EQ(MACH_PORT_TYPE_RECEIVE, type_of(a));
	/* Senders left: only the planted rights. */
	CHILD_EQ(1, HAS_SENDERS(a));
	CHILD_PUT(wr, a);
	memset(&n, 0, sizeof(n));
	CHILD_EQ(MACH_MSG_SUCCESS, mach_msg(&n.not_header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					    sizeof(n), a, TEARDOWN_WAIT_MS, MACH_PORT_NULL));
	CHILD_EQ(MACH_NOTIFY_NO_SENDERS, n.not_header.msgh_id);
	CHILD_EQ(0, HAS_SENDERS(a));
	CHILD_PUT(wr, 1);
}

/* Sets our bootstrap port (what children inherit); the old right stays
 * under `bootstrap_port`. */
static kern_return_t set_bootstrap(mach_port_name_t p)
{
	return task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, p);
}

FIXTURE(hostile) {
	struct stats base;
};

FIXTURE_SETUP(hostile)
{
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
	TAKE_BASELINE(&self->base);
}

FIXTURE_TEARDOWN(hostile)
{
	kill_children();
}

/*
 * Anyone with a send right can plant 196,584 send rights on a port in 12
 * messages of 44 bytes (an out-of-line ports descriptor each, at the
 * rights cap): destroying the port releases every one of them, in one
 * call that returns, allocating nothing per right.
 */
static void destroy_planted(struct __test_metadata *_metadata, long arg)
{
	const struct stats *base = (const struct stats *)arg;
	mach_port_name_t v = port_with_send(VICTIM_QLIMIT);
	uint64_t t0;
	uint32_t a;
	struct kid k;

	ASSERT_TRUE(MACH_PORT_VALID(v));
	ASSERT_EQ(KERN_SUCCESS, set_bootstrap(v));
	ASSERT_TRUE(attacker(&k, NOBODY, 0, plant_rights, 0));
	ASSERT_TRUE(get(k.rd, &a)) TH_LOG("the attacker failed before planting");
	EXPECT_EQ(PLANTED_MSGS, MSGCOUNT(v));
	EXPECT_LE(stat_in(base, "send_rights") + PLANTED_MSGS * MAX_MSG_RIGHTS,
		  stat_now("send_rights"));
	t0 = now_ms();
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), v));
	TH_LOG("mach_port_destroy of the victim's port took %llu ms",
	       (unsigned long long)(now_ms() - t0));
	EXPECT_EQ(GONE, type_of(v));
	/* The attacker got its no-senders notification. */
	EXPECT_TRUE(get(k.rd, &a) && a == 1);
	EXPECT_EXITED_OK(wait_gone(k.pid, TEARDOWN_WAIT_MS));
	close(k.rd);
	close(k.wr);
}

TEST_F_TIMEOUT(hostile, destroying_port_releases_196k_planted_rights, 600)
{
	IN_CHILD_TASK(destroy_planted, (long)&self->base);
	EXPECT_STATS_AT_BASELINE(&self->base);
}

/*
 * The victim holds the port with the planted rights and is killed while
 * it destroys it (or just before or after): it dies, promptly, and every
 * right is released -- the attacker, another process of the same user
 * planting through its bootstrap port, gets its no-senders notification.
 */
static void victim_destroys(long arg, int rd, int wr)
{
	mach_port_name_t v = port_with_send(VICTIM_QLIMIT);
	struct kid inner;
	uint32_t a;

	(void)arg;
	(void)rd;
	CHILD_TRUE(MACH_PORT_VALID(v));
	CHILD_EQ(KERN_SUCCESS, set_bootstrap(v));
	CHILD_TRUE(kid_fork(&inner) >= 0);
	if (inner.pid == 0) {
		close(wr);
		plant_rights(0, inner.rd, inner.wr);
		_exit(0);
	}
	CHILD_TRUE(get(inner.rd, &a));
	CHILD_EQ(PLANTED_MSGS, MSGCOUNT(v));
	/* The attacker's pid and its pipe end, for the test. */
	CHILD_PUT(wr, inner.pid);
	CHILD_PUT(wr, inner.rd);
	mach_port_destroy(mach_task_self(), v);
	/* Killed by now, or soon. */
	pause();
}

TEST_F_TIMEOUT(hostile, victim_sigkilled_while_destroying_planted_rights_dies, 600)
{
	uint32_t inner = 0, fd = 0, v = 0;
	char path[64];
	uint64_t t0;
	struct kid k;
	int status, rfd;

	ASSERT_TRUE(attacker(&k, NOBODY, 0, victim_destroys, 0));
	ASSERT_TRUE(get(k.rd, &inner)) TH_LOG("the victim failed before the attack");
	ASSERT_TRUE(get(k.rd, &fd));
	/* The attacker's report pipe, read from the victim's descriptor. */
	snprintf(path, sizeof(path), "/proc/%d/fd/%u", k.pid, fd);
	rfd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, rfd);
	t0 = now_ms();
	ASSERT_EQ(0, kill(k.pid, SIGKILL));
	status = wait_gone(k.pid, TEARDOWN_WAIT_MS);
	TH_LOG("the victim was gone %llu ms after SIGKILL", (unsigned long long)(now_ms() - t0));
	EXPECT_KILLED(status);
	/* Every planted right was released: the attacker was told. */
	EXPECT_TRUE(get(rfd, &v) && v == 1);
	close(rfd);
	status = wait_gone((pid_t)inner, TEARDOWN_WAIT_MS);
	EXPECT_EXITED_OK(status);
	close(k.rd);
	close(k.wr);
	EXPECT_STATS_AT_BASELINE(&self->base);
}

/*
 * Header-only messages to our own ports (queue limit MACH_PORT_QLIMIT_MAX,
 * a send right each), spread over as many ports as the limits need, until
 * `max` are queued or a send fails otherwise than for a full queue. The
 * number queued; *mr is the failure (MACH_MSG_SUCCESS if none).
 */
static unsigned fill_queues(unsigned max, mach_msg_return_t *mr)
{
	mach_port_name_t p = MACH_PORT_NULL;
	unsigned sent = 0, in_port = QLIMIT_MAX;

	*mr = MACH_MSG_SUCCESS;
	while (sent < max) {
		mach_msg_return_t r;

		if (in_port == QLIMIT_MAX) {
			p = port_with_send(QLIMIT_MAX);
			if (p == MACH_PORT_NULL) {
				*mr = KERN_RESOURCE_SHORTAGE;
				break;
			}
			in_port = 0;
		}
		r = send_header(p, MACH_MSG_TYPE_COPY_SEND, (mach_msg_id_t)sent, true);
		if (r != MACH_MSG_SUCCESS) {
			*mr = r;
			break;
		}
		sent++;
		in_port++;
	}
	return sent;
}

/* Fills the queues with one more message than the user's budget allows;
 * reports the count and the refusal, then waits to be killed. */
static void fill_user_budget(long arg, int rd, int wr)
{
	mach_msg_return_t mr;
	unsigned n;

	(void)arg;
	n = fill_queues(MAX_USER_KMSGS + 1, &mr);
	CHILD_PUT(wr, n);
	CHILD_PUT(wr, mr);
	CHILD_GET(rd);
}

/* Another user's ordinary traffic: a few messages queued and received. */
static void ordinary_traffic(long arg, int rd, int wr)
{
	mach_port_name_t p = port_with_send(QLIMIT_MAX);
	mach_msg_header_t b[8];
	long i;

	(void)rd;
	(void)wr;
	CHILD_TRUE(MACH_PORT_VALID(p));
	for (i = 0; i < arg; i++)
		CHILD_EQ(MACH_MSG_SUCCESS, send_header(p, MACH_MSG_TYPE_COPY_SEND, (int)i, true));
	for (i = 0; i < arg; i++) {
		CHILD_EQ(MACH_MSG_SUCCESS, recv_into(p, b, sizeof(b), WAIT_MS));
		CHILD_EQ(i, b[0].msgh_id);
	}
	CHILD_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), p));
}

/*
 * Nobody queues messages until its budget (max_user_kmsgs) refuses one
 * with MACH_SEND_NO_BUFFER; another user keeps working meanwhile; the
 * SIGKILL'ed process with 131,072 queued messages dies promptly.
 */
TEST_F_TIMEOUT(hostile, nobody_queues_up_to_kmsg_budget_then_dies_of_sigkill, 900)
{
	long long refusals = stat_in(&self->base, "limit_refusals_total");
	uint32_t n = 0, mr = 0;
	uint64_t t0;
	struct kid k;
	int status;

	ASSERT_TRUE(attacker(&k, NOBODY, 0, fill_user_budget, 0));
	ASSERT_TRUE(get(k.rd, &n));
	ASSERT_TRUE(get(k.rd, &mr));
	TH_LOG("nobody queued %u messages before 0x%x", n, mr);
	EXPECT_EQ(MAX_USER_KMSGS, n);
	EXPECT_EQ(MACH_SEND_NO_BUFFER, (mach_msg_return_t)mr);
	EXPECT_LT(refusals, stat_now("limit_refusals_total"));
	EXPECT_LE(stat_in(&self->base, "kmsgs") + (long long)n, stat_now("kmsgs"));
	/* Someone else is not affected. */
	RUN_AS(SOMEONE, ordinary_traffic, 8);
	t0 = now_ms();
	ASSERT_EQ(0, kill(k.pid, SIGKILL));
	status = wait_gone(k.pid, TEARDOWN_WAIT_MS);
	TH_LOG("gone %llu ms after SIGKILL", (unsigned long long)(now_ms() - t0));
	EXPECT_KILLED(status);
	close(k.rd);
	close(k.wr);
	EXPECT_STATS_AT_BASELINE(&self->base);
}

/* Queues `arg` messages (root: only the global budget holds) and exits. */
static void fill_and_exit(long arg, int rd, int wr)
{
	mach_msg_return_t mr;

	(void)rd;
	CHILD_EQ((unsigned)arg, fill_queues((unsigned)arg, &mr));
	CHILD_EQ(MACH_MSG_SUCCESS, mr);
	CHILD_PUT(wr, (uint32_t)arg);
	exit(0);
}

/* A process exits with 135,000 small messages queued on 132 ports: the
 * exit completes, and everything is freed. */
TEST_F_TIMEOUT(hostile, exit_with_135000_queued_messages_completes, 900)
{
	uint32_t n = 0;
	uint64_t t0;
	struct kid k;
	int status;

	ASSERT_TRUE(attacker(&k, 0, 0, fill_and_exit, 135000));
	ASSERT_TRUE(get(k.rd, &n));
	EXPECT_EQ(135000U, n);
	t0 = now_ms();
	status = wait_gone(k.pid, TEARDOWN_WAIT_MS);
	TH_LOG("the exit took %llu ms", (unsigned long long)(now_ms() - t0));
	EXPECT_EXITED_OK(status);
	close(k.rd);
	close(k.wr);
	EXPECT_STATS_AT_BASELINE(&self->base);
}

/* ====================================================================== */
/* The send-once flood: a queue at MACH_PORT_QLIMIT_KERNEL. */

static void send_once_flood(long arg, int rd, int wr)
{
	mach_port_name_t p = new_port(), so, back[2];
	mach_msg_type_name_t t;
	mach_msg_header_t h, b[8];
	unsigned i;
	uint64_t t0;

	(void)arg;
	CHILD_TRUE(MACH_PORT_VALID(p));
	/* Send-once messages pass the queue limit (5), up to the kernel's. */
	for (i = 0; i < QLIMIT_KERNEL; i++) {
		mach_msg_return_t mr = send_header(p, MACH_MSG_TYPE_MAKE_SEND_ONCE, (int)i, true);

		if (mr != MACH_MSG_SUCCESS) {
			fprintf(stderr, "# send-once message %u: 0x%x\n", i, mr);
			_exit(1);
		}
	}
	CHILD_EQ(QLIMIT_KERNEL, MSGCOUNT(p));
	CHILD_EQ(QLIMIT_KERNEL, SORIGHTS(p));
	/* Full at the kernel's limit: a zero timeout times out first, and
	 * without one the send fails at once (XNU's MACH_SEND_NO_BUFFER, not
	 * a wait). Either way the pseudo-receive gives the made send-once
	 * right back under a name of its own (ipc_kmsg_copyout_pseudo). */
	for (i = 0; i < 2; i++) {
		memset(&h, 0, sizeof(h));
		h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND_ONCE, 0);
		h.msgh_size = sizeof(h);
		h.msgh_remote_port = p;
		CHILD_EQ(i ? MACH_SEND_NO_BUFFER : MACH_SEND_TIMED_OUT,
			 mach_msg(&h, MACH_SEND_MSG | (i ? 0 : MACH_SEND_TIMEOUT), sizeof(h), 0,
				  MACH_PORT_NULL, 0, MACH_PORT_NULL));
		back[i] = h.msgh_remote_port;
		CHILD_TRUE(MACH_PORT_VALID(back[i]));
		CHILD_TRUE(back[i] != p);
		CHILD_EQ(MACH_PORT_TYPE_SEND_ONCE, type_of(back[i]));
		CHILD_EQ(QLIMIT_KERNEL, MSGCOUNT(p));
		CHILD_EQ(QLIMIT_KERNEL + 1 + i, SORIGHTS(p));
	}

	/* Those send-once rights, destroyed unused, and one more: their
	 * notifications cannot be queued; each is dropped, once, and the
	 * call returns. */
	CHILD_PUT(wr, 1);
	CHILD_EQ(2, CHILD_GET(rd));
	for (i = 0; i < 2; i++) {
		CHILD_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), back[i]));
		CHILD_EQ(GONE, type_of(back[i]));
	}
	CHILD_EQ(QLIMIT_KERNEL, MSGCOUNT(p));
	CHILD_EQ(QLIMIT_KERNEL, SORIGHTS(p));
	CHILD_EQ(KERN_SUCCESS, mach_port_extract_right(mach_task_self(), p,
						       MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &t));
	CHILD_EQ(QLIMIT_KERNEL + 1, SORIGHTS(p));
	CHILD_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), so));
	CHILD_EQ(QLIMIT_KERNEL, MSGCOUNT(p));
	CHILD_EQ(QLIMIT_KERNEL, SORIGHTS(p));
	CHILD_PUT(wr, 3);
	CHILD_EQ(4, CHILD_GET(rd));

	/* With room for one, the next notification is queued. */
	CHILD_EQ(MACH_MSG_SUCCESS, recv_into(p, b, sizeof(b), 0));
	CHILD_EQ(0, b[0].msgh_id);
	CHILD_EQ(QLIMIT_KERNEL - 1, MSGCOUNT(p));
	CHILD_EQ(KERN_SUCCESS, mach_port_extract_right(mach_task_self(), p,
						       MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &t));
	CHILD_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), so));
	CHILD_EQ(QLIMIT_KERNEL, MSGCOUNT(p));
	CHILD_EQ(QLIMIT_KERNEL, SORIGHTS(p));
	CHILD_PUT(wr, 5);
	CHILD_EQ(6, CHILD_GET(rd));

	/* The full queue goes with its port, in one call. */
	t0 = now_ms();
	CHILD_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), p));
	fprintf(stderr, "# destroying the port with %u queued messages took %llu ms\n",
		QLIMIT_KERNEL, (unsigned long long)(now_ms() - t0));
}

TEST_F_TIMEOUT(hostile, send_once_flood_to_qlimit_kernel_drops_one_notification, 900)
{
	long long dropped, notes;
	uint32_t v;
	struct kid k;

	ASSERT_TRUE(attacker(&k, NOBODY, 0, send_once_flood, 0));
	ASSERT_TRUE(get(k.rd, &v)) TH_LOG("the flood failed");
	ASSERT_EQ(1U, v);
	dropped = stat_now("notifications_dropped_total");
	notes = stat_now("notifications_total");
	ASSERT_TRUE(put(k.wr, 2));
	ASSERT_TRUE(get(k.rd, &v)) TH_LOG("the deallocation failed");
	ASSERT_EQ(3U, v);
	/* Three send-once rights destroyed, three notifications dropped. */
	EXPECT_EQ(dropped + 3, stat_now("notifications_dropped_total"));
	ASSERT_TRUE(put(k.wr, 4));
	ASSERT_TRUE(get(k.rd, &v));
	ASSERT_EQ(5U, v);
	/* The next one was queued, not dropped. */
	EXPECT_EQ(dropped + 3, stat_now("notifications_dropped_total"));
	EXPECT_LE(notes + 1, stat_now("notifications_total"));
	ASSERT_TRUE(put(k.wr, 6));
	EXPECT_EXITED_OK(wait_gone(k.pid, TEARDOWN_WAIT_MS));
	close(k.rd);
	close(k.wr);
	EXPECT_STATS_AT_BASELINE(&self->base);
}

/* ====================================================================== */
/* User-sized allocations: counts, sizes, pointers. */

/*
 * The rights cap (max_msg_rights): an out-of-line ports descriptor of
 * MAX_MSG_RIGHTS copies of a send right goes and arrives whole; one more
 * is MACH_SEND_TOO_LARGE, with nothing copied in.
 */
static void rights_cap(long arg, int rd, int wr)
{
	mach_port_name_t p = port_with_send(0), *names;
	mach_msg_size_t rsize = sizeof(struct ool_ports_msg);
	struct ool_ports_msg m, *r;
	unsigned i;

	(void)arg;
	(void)rd;
	(void)wr;
	CHILD_TRUE(MACH_PORT_VALID(p));
	names = name_copies(p, MAX_MSG_RIGHTS + 1);
	CHILD_TRUE(names != NULL);
	ool_ports_msg_init(&m, p, names, MAX_MSG_RIGHTS + 1, MACH_MSG_TYPE_COPY_SEND);
	CHILD_EQ(MACH_SEND_TOO_LARGE, send_raw(&m, sizeof(m), MACH_SEND_TIMEOUT, 0));
	CHILD_EQ(1, refs_of(p, MACH_PORT_RIGHT_SEND));
	CHILD_EQ(1, HAS_SENDERS(p));
	CHILD_EQ(0, MSGCOUNT(p));

	ool_ports_msg_init(&m, p, names, MAX_MSG_RIGHTS, MACH_MSG_TYPE_COPY_SEND);
	CHILD_EQ(MACH_MSG_SUCCESS, send_raw(&m, sizeof(m), MACH_SEND_TIMEOUT, 0));
	CHILD_EQ(1, MSGCOUNT(p));
	r = (struct ool_ports_msg *)rcv_buffer(rsize);
	CHILD_TRUE(r != NULL);
	CHILD_EQ(MACH_MSG_SUCCESS, RECV_BIG(p, &r->h, rsize, WAIT_MS));
	CHILD_EQ(MAX_MSG_RIGHTS, r->d.count);
	CHILD_EQ(MACH_MSG_TYPE_PORT_SEND, r->d.disposition);
	for (i = 0; i < MAX_MSG_RIGHTS; i++)
		CHILD_EQ(p, ((mach_port_name_t *)r->d.address)[i]);
	CHILD_EQ(1 + MAX_MSG_RIGHTS, refs_of(p, MACH_PORT_RIGHT_SEND));
	CHILD_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_SEND,
						  -(int)MAX_MSG_RIGHTS));
	CHILD_EQ(KERN_SUCCESS, vm_deallocate(mach_task_self(), (vm_address_t)r->d.address,
					     MAX_MSG_RIGHTS * sizeof(mach_port_name_t)));
	CHILD_EQ(1, HAS_SENDERS(p));
	CHILD_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), p));
}

TEST_F_TIMEOUT(hostile, ool_ports_at_rights_cap_accepted_one_more_too_large, 300)
{
	RUN_AS(NOBODY, rights_cap, 0);
	EXPECT_STATS_AT_BASELINE(&self->base);
}

/* A count of 2,000,000 (over a real array of names), and of 2^32-1 over
 * a bogus one: MACH_SEND_TOO_LARGE before anything is read or copied. */
static void ool_ports_huge_count(long arg, int rd, int wr)
{
	mach_port_name_t p = port_with_send(0), *names;
	struct ool_ports_msg m;

	(void)arg;
	(void)rd;
	(void)wr;
	CHILD_TRUE(MACH_PORT_VALID(p));
	names = name_copies(p, 2000000);
	CHILD_TRUE(names != NULL);
	ool_ports_msg_init(&m, p, names, 2000000, MACH_MSG_TYPE_COPY_SEND);
	CHILD_EQ(MACH_SEND_TOO_LARGE, send_raw(&m, sizeof(m), MACH_SEND_TIMEOUT, 0));
	ool_ports_msg_init(&m, p, names, 2000000, MACH_MSG_TYPE_MOVE_RECEIVE);
	CHILD_EQ(MACH_SEND_TOO_LARGE, send_raw(&m, sizeof(m), MACH_SEND_TIMEOUT, 0));
	ool_ports_msg_init(&m, p, (mach_port_name_t *)1, 0xffffffffU, MACH_MSG_TYPE_COPY_SEND);
	CHILD_EQ(MACH_SEND_TOO_LARGE, send_raw(&m, sizeof(m), MACH_SEND_TIMEOUT, 0));
	CHILD_EQ(1, refs_of(p, MACH_PORT_RIGHT_SEND));
	CHILD_EQ(1, HAS_SENDERS(p));
	CHILD_EQ(0, MSGCOUNT(p));
	CHILD_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(p));
}

TEST_F(hostile, ool_ports_count_2000000_too_large)
{
	RUN_AS(NOBODY, ool_ports_huge_count, 0);
	EXPECT_STATS_AT_BASELINE(&self->base);
}

/* A message of `n` port descriptors, each a copy of a send right to `p`
 * (the destination too). */
static mach_msg_header_t *port_desc_msg(mach_port_name_t p, unsigned n, mach_msg_size_t *size)
{
	mach_msg_size_t len = sizeof(mach_msg_header_t) + sizeof(mach_msg_body_t) +
			      n * sizeof(mach_msg_port_descriptor_t);
	mach_msg_header_t *h = rcv_buffer(len);
	mach_msg_port_descriptor_t *d;
	unsigned i;

	if (!h)
		return NULL;
	h->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	h->msgh_size = len;
	h->msgh_remote_port = p;
	h->msgh_id = 0x7000;
	((mach_msg_body_t *)(h + 1))->msgh_descriptor_count = n;
	d = (mach_msg_port_descriptor_t *)((mach_msg_body_t *)(h + 1) + 1);
	for (i = 0; i < n; i++) {
		d[i].name = p;
		d[i].disposition = MACH_MSG_TYPE_COPY_SEND;
		d[i].type = MACH_MSG_PORT_DESCRIPTOR;
	}
	*size = len;
	return h;
}

/* 70,000 port descriptors (840 KB: under the size cap): over the
 * descriptor cap, MACH_SEND_TOO_LARGE, nothing copied. */
static void port_desc_70000(long arg, int rd, int wr)
{
	mach_port_name_t p = port_with_send(0);
	mach_msg_header_t *h;
	mach_msg_size_t size;

	(void)arg;
	(void)rd;
	(void)wr;
	CHILD_TRUE(MACH_PORT_VALID(p));
	h = port_desc_msg(p, 70000, &size);
	CHILD_TRUE(h != NULL);
	CHILD_TRUE(size <= MAX_MSG_SIZE);
	CHILD_EQ(MACH_SEND_TOO_LARGE, send_raw(h, size, MACH_SEND_TIMEOUT, 0));
	CHILD_EQ(1, refs_of(p, MACH_PORT_RIGHT_SEND));
	CHILD_EQ(1, HAS_SENDERS(p));
	CHILD_EQ(0, MSGCOUNT(p));
}

TEST_F(hostile, port_descriptors_70000_too_large)
{
	RUN_AS(NOBODY, port_desc_70000, 0);
	EXPECT_STATS_AT_BASELINE(&self->base);
}

/* MAX_MSG_DESCRIPTORS port descriptors go and arrive; one more does not. */
static void port_desc_at_cap(long arg, int rd, int wr)
{
	mach_port_name_t p = port_with_send(0);
	mach_msg_port_descriptor_t *d;
	mach_msg_header_t *h, *r;
	mach_msg_size_t size;
	unsigned i;

	(void)arg;
	(void)rd;
	(void)wr;
	CHILD_TRUE(MACH_PORT_VALID(p));
	h = port_desc_msg(p, MAX_MSG_DESCRIPTORS + 1, &size);
	CHILD_TRUE(h != NULL);
	CHILD_EQ(MACH_SEND_TOO_LARGE, send_raw(h, size, MACH_SEND_TIMEOUT, 0));
	CHILD_EQ(1, HAS_SENDERS(p));
	h = port_desc_msg(p, MAX_MSG_DESCRIPTORS, &size);
	CHILD_TRUE(h != NULL);
	CHILD_EQ(MACH_MSG_SUCCESS, send_raw(h, size, MACH_SEND_TIMEOUT, 0));
	CHILD_EQ(1, MSGCOUNT(p));
	r = rcv_buffer(size);
	CHILD_TRUE(r != NULL);
	CHILD_EQ(MACH_MSG_SUCCESS, RECV_BIG(p, r, size, WAIT_MS));
	CHILD_EQ(size, r->msgh_size);
	CHILD_EQ(MAX_MSG_DESCRIPTORS, ((mach_msg_body_t *)(r + 1))->msgh_descriptor_count);
	d = (mach_msg_port_descriptor_t *)((mach_msg_body_t *)(r + 1) + 1);
	for (i = 0; i < MAX_MSG_DESCRIPTORS; i++) {
		CHILD_EQ(p, d[i].name);
		CHILD_EQ(MACH_MSG_TYPE_PORT_SEND, d[i].disposition);
	}
	CHILD_EQ(1 + MAX_MSG_DESCRIPTORS, refs_of(p, MACH_PORT_RIGHT_SEND));
	CHILD_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), p));
}

TEST_F_TIMEOUT(hostile, port_descriptors_at_cap_round_trip_one_more_too_large, 300)
{
	RUN_AS(NOBODY, port_desc_at_cap, 0);
	EXPECT_STATS_AT_BASELINE(&self->base);
}

/* Descriptors count against the cap even when they carry nothing:
 * MAX_MSG_DESCRIPTORS empty out-of-line descriptors go, one more does not. */
static void empty_ool_at_cap(long arg, int rd, int wr)
{
	mach_port_name_t p = port_with_send(0);
	unsigned n, i;

	(void)arg;
	(void)rd;
	(void)wr;
	CHILD_TRUE(MACH_PORT_VALID(p));
	for (n = MAX_MSG_DESCRIPTORS + 1; n >= MAX_MSG_DESCRIPTORS; n--) {
		mach_msg_size_t len = sizeof(mach_msg_header_t) + sizeof(mach_msg_body_t) +
				      n * sizeof(mach_msg_ool_descriptor_t);
		mach_msg_header_t *h = rcv_buffer(len);
		mach_msg_ool_descriptor_t *d;

		CHILD_TRUE(h != NULL);
		CHILD_TRUE(len <= MAX_MSG_SIZE);
		h->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
		h->msgh_size = len;
		h->msgh_remote_port = p;
		((mach_msg_body_t *)(h + 1))->msgh_descriptor_count = n;
		d = (mach_msg_ool_descriptor_t *)((mach_msg_body_t *)(h + 1) + 1);
		for (i = 0; i < n; i++) {
			d[i].copy = MACH_MSG_PHYSICAL_COPY;
			d[i].type = MACH_MSG_OOL_DESCRIPTOR;
		}
		if (n > MAX_MSG_DESCRIPTORS) {
			CHILD_EQ(MACH_SEND_TOO_LARGE, send_raw(h, len, MACH_SEND_TIMEOUT, 0));
			CHILD_EQ(0, MSGCOUNT(p));
			continue;
		}
		CHILD_EQ(MACH_MSG_SUCCESS, send_raw(h, len, MACH_SEND_TIMEOUT, 0));
		memset(h, 0, len);
		CHILD_EQ(MACH_MSG_SUCCESS, RECV_BIG(p, h, len, WAIT_MS));
		CHILD_EQ(n, ((mach_msg_body_t *)(h + 1))->msgh_descriptor_count);
		for (i = 0; i < n; i++) {
			CHILD_EQ(0, d[i].size);
			CHILD_TRUE(d[i].address == NULL);
		}
	}
	CHILD_EQ(1, HAS_SENDERS(p));
}

TEST_F_TIMEOUT(hostile, empty_descriptors_count_against_descriptor_cap, 300)
{
	RUN_AS(NOBODY, empty_ool_at_cap, 0);
	EXPECT_STATS_AT_BASELINE(&self->base);
}

/* Port descriptors and out-of-line ports share the rights cap. */
static void rights_cap_shared(long arg, int rd, int wr)
{
	const unsigned half = MAX_MSG_RIGHTS / 2;
	mach_port_name_t p = port_with_send(0), *names;
	mach_msg_ool_ports_descriptor_t *o;
	mach_msg_header_t *h, *r;
	mach_msg_size_t size;
	int extra;

	(void)arg;
	(void)rd;
	(void)wr;
	CHILD_TRUE(MACH_PORT_VALID(p));
	names = name_copies(p, MAX_MSG_RIGHTS);
	CHILD_TRUE(names != NULL);
	for (extra = 1; extra >= 0; extra--) {
		/* `half` port descriptors and one out-of-line ports descriptor
		 * for the rest, plus `extra`: the last descriptor's 12 bytes
		 * become the 16 of an out-of-line one. */
		h = port_desc_msg(p, half + 1, &size);
		CHILD_TRUE(h != NULL);
		size += sizeof(*o) - sizeof(mach_msg_port_descriptor_t);
		h->msgh_size = size;
		o = (mach_msg_ool_ports_descriptor_t *)((char *)h + size - sizeof(*o));
		memset(o, 0, sizeof(*o));
		o->address = names;
		o->count = MAX_MSG_RIGHTS - half + (unsigned)extra;
		o->copy = MACH_MSG_PHYSICAL_COPY;
		o->disposition = MACH_MSG_TYPE_COPY_SEND;
		o->type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
		if (extra) {
			CHILD_EQ(MACH_SEND_TOO_LARGE, send_raw(h, size, MACH_SEND_TIMEOUT, 0));
			CHILD_EQ(1, HAS_SENDERS(p));
			continue;
		}
		CHILD_EQ(MACH_MSG_SUCCESS, send_raw(h, size, MACH_SEND_TIMEOUT, 0));
		CHILD_EQ(1, MSGCOUNT(p));
		r = rcv_buffer(size);
		CHILD_TRUE(r != NULL);
		CHILD_EQ(MACH_MSG_SUCCESS, RECV_BIG(p, r, size, WAIT_MS));
		CHILD_EQ(1 + MAX_MSG_RIGHTS, refs_of(p, MACH_PORT_RIGHT_SEND));
	}
	CHILD_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), p));
}

TEST_F_TIMEOUT(hostile, port_and_ool_port_rights_share_the_rights_cap, 300)
{
	RUN_AS(NOBODY, rights_cap_shared, 0);
	EXPECT_STATS_AT_BASELINE(&self->base);
}

/*
 * Huge send sizes fail before anything is read: MACH_SEND_TOO_LARGE past
 * max_msg_size, MACH_SEND_MSG_TOO_SMALL for a size that is no multiple of
 * 4 (XNU checks that first); the header's own msgh_size is ignored.
 */
static void huge_sizes(long arg, int rd, int wr)
{
	static const mach_msg_size_t too_large[] = {
		MAX_MSG_SIZE + 4, 0x7ffffffcU, 0x80000000U, 0xfffffff8U, 0xfffffffcU,
	};
	mach_port_name_t p = port_with_send(0);
	mach_msg_header_t h, b[8];
	unsigned i;

	(void)arg;
	(void)rd;
	(void)wr;
	CHILD_TRUE(MACH_PORT_VALID(p));
	for (i = 0; i < sizeof(too_large) / sizeof(too_large[0]); i++) {
		memset(&h, 0, sizeof(h));
		h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
		h.msgh_size = too_large[i];
		h.msgh_remote_port = p;
		CHILD_EQ(MACH_SEND_TOO_LARGE, mach_msg(&h, MACH_SEND_MSG | MACH_SEND_TIMEOUT,
						       too_large[i], 0, MACH_PORT_NULL, 0,
						       MACH_PORT_NULL));
	}
	CHILD_EQ(MACH_SEND_MSG_TOO_SMALL, mach_msg(&h, MACH_SEND_MSG | MACH_SEND_TIMEOUT,
						   0xfffffffeU, 0, MACH_PORT_NULL, 0,
						   MACH_PORT_NULL));
	CHILD_EQ(0, MSGCOUNT(p));
	CHILD_EQ(1, HAS_SENDERS(p));
	/* msgh_size says 4 GiB, the send says 24 bytes: 24 bytes arrive. */
	memset(&h, 0, sizeof(h));
	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	h.msgh_size = 0xffffffffU;
	h.msgh_remote_port = p;
	h.msgh_id = 77;
	CHILD_EQ(MACH_MSG_SUCCESS, mach_msg(&h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(h), 0,
					    MACH_PORT_NULL, 0, MACH_PORT_NULL));
	CHILD_EQ(MACH_MSG_SUCCESS, recv_into(p, b, sizeof(b), WAIT_MS));
	CHILD_EQ(sizeof(h), b[0].msgh_size);
	CHILD_EQ(77, b[0].msgh_id);
	/* A receive size of nearly 4 GiB over a small buffer: the kernel
	 * writes the message and its trailer, nothing more. */
	CHILD_EQ(MACH_MSG_SUCCESS, send_header(p, MACH_MSG_TYPE_COPY_SEND, 78, true));
	CHILD_EQ(MACH_MSG_SUCCESS, recv_into(p, b, 0xfffffff0U, WAIT_MS));
	CHILD_EQ(78, b[0].msgh_id);
}

TEST_F(hostile, huge_send_sizes_too_large_before_any_read)
{
	RUN_AS(NOBODY, huge_sizes, 0);
	EXPECT_STATS_AT_BASELINE(&self->base);
}

struct ool_msg {
	mach_msg_header_t h;
	mach_msg_body_t body;
	mach_msg_ool_descriptor_t d[2];
};

/* A message of `n` (1 or 2) out-of-line descriptors of `size` bytes at
 * `addr`, to `p`. */
static mach_msg_size_t ool_msg_init(struct ool_msg *m, mach_port_name_t p, unsigned n,
				    void *addr, mach_msg_size_t size)
{
	unsigned i;

	memset(m, 0, sizeof(*m));
	m->h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	m->h.msgh_remote_port = p;
	m->h.msgh_id = 0x0071;
	m->body.msgh_descriptor_count = n;
	for (i = 0; i < n; i++) {
		m->d[i].address = addr;
		m->d[i].size = size;
		m->d[i].copy = MACH_MSG_PHYSICAL_COPY;
		m->d[i].type = MACH_MSG_OOL_DESCRIPTOR;
	}
	m->h.msgh_size = (mach_msg_size_t)(sizeof(m->h) + sizeof(m->body) + n * sizeof(m->d[0]));
	return m->h.msgh_size;
}

/* Out-of-line sizes past max_ool_size, alone or summed over descriptors:
 * MACH_SEND_TOO_LARGE before anything is read or allocated. */
static void ool_over_cap(long arg, int rd, int wr)
{
	mach_port_name_t p = port_with_send(0);
	struct ool_msg m;
	mach_msg_size_t len;

	(void)arg;
	(void)rd;
	(void)wr;
	CHILD_TRUE(MACH_PORT_VALID(p));
	len = ool_msg_init(&m, p, 1, (void *)1, 0xffffffffU);
	CHILD_EQ(MACH_SEND_TOO_LARGE, send_raw(&m, len, MACH_SEND_TIMEOUT, 0));
	len = ool_msg_init(&m, p, 1, (void *)1, MAX_OOL_SIZE + 1);
	CHILD_EQ(MACH_SEND_TOO_LARGE, send_raw(&m, len, MACH_SEND_TIMEOUT, 0));
	len = ool_msg_init(&m, p, 2, (void *)1, MAX_OOL_SIZE / 2 + 1);
	CHILD_EQ(MACH_SEND_TOO_LARGE, send_raw(&m, len, MACH_SEND_TIMEOUT, 0));
	CHILD_EQ(0, MSGCOUNT(p));
	CHILD_EQ(1, HAS_SENDERS(p));
	CHILD_EQ(1, refs_of(p, MACH_PORT_RIGHT_SEND));
}

TEST_F(hostile, ool_size_over_cap_too_large)
{
	RUN_AS(NOBODY, ool_over_cap, 0);
	EXPECT_STATS_AT_BASELINE(&self->base);
}

/* A page that cannot be read (or written). */
static void *unreadable(void)
{
	void *a = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return a == MAP_FAILED ? NULL : a;
}

/*
 * Bogus pointers: the message (MACH_SEND_INVALID_DATA), its out-of-line
 * memory and out-of-line ports (MACH_SEND_INVALID_MEMORY, even for the
 * largest region the caps allow), the receive buffer
 * (MACH_RCV_INVALID_DATA), the ioctl's own argument (EFAULT). The header
 * rights of a failed send are back where they were.
 */
static void bogus_pointers(long arg, int rd, int wr)
{
	void *const bad[] = { NULL, (void *)1, KERNEL_ADDR, unreadable(), (void *)-4096L };
	mach_port_name_t p = port_with_send(0);
	struct ool_ports_msg pm;
	struct machipc_msg raw;
	struct ool_msg m;
	mach_msg_size_t len;
	char *edge;
	unsigned i;
	int fd = machipc_fd();

	(void)arg;
	(void)rd;
	(void)wr;
	CHILD_TRUE(MACH_PORT_VALID(p));
	CHILD_TRUE(fd >= 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHILD_EQ(MACH_SEND_INVALID_DATA, mach_msg(bad[i], MACH_SEND_MSG | MACH_SEND_TIMEOUT,
							  64, 0, MACH_PORT_NULL, 0,
							  MACH_PORT_NULL));
		len = ool_msg_init(&m, p, 1, bad[i], 4096);
		CHILD_EQ(MACH_SEND_INVALID_MEMORY, send_raw(&m, len, MACH_SEND_TIMEOUT, 0));
		ool_ports_msg_init(&pm, p, bad[i], 100, MACH_MSG_TYPE_COPY_SEND);
		CHILD_EQ(MACH_SEND_INVALID_MEMORY, send_raw(&pm, sizeof(pm), MACH_SEND_TIMEOUT, 0));
	}
	/* The largest region allowed, at a bogus address: read (and so
	 * allocated) in full before the fault. */
	len = ool_msg_init(&m, p, 1, KERNEL_ADDR, MAX_OOL_SIZE);
	CHILD_EQ(MACH_SEND_INVALID_MEMORY, send_raw(&m, len, MACH_SEND_TIMEOUT, 0));
	len = ool_msg_init(&m, p, 1, NULL, MAX_OOL_SIZE);
	CHILD_EQ(MACH_SEND_INVALID_MEMORY, send_raw(&m, len, MACH_SEND_TIMEOUT, 0));
	/* A region whose last page is gone. */
	edge = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHILD_TRUE(edge != MAP_FAILED);
	CHILD_EQ(0, munmap(edge + 2 * 4096, 4096));
	len = ool_msg_init(&m, p, 1, edge, 3 * 4096);
	CHILD_EQ(MACH_SEND_INVALID_MEMORY, send_raw(&m, len, MACH_SEND_TIMEOUT, 0));
	ool_ports_msg_init(&pm, p, (mach_port_name_t *)(edge + 2 * 4096 - 8), 4,
			   MACH_MSG_TYPE_COPY_SEND);
	CHILD_EQ(MACH_SEND_INVALID_MEMORY, send_raw(&pm, sizeof(pm), MACH_SEND_TIMEOUT, 0));
	/* None of it left anything behind. */
	CHILD_EQ(0, MSGCOUNT(p));
	CHILD_EQ(1, HAS_SENDERS(p));
	CHILD_EQ(1, refs_of(p, MACH_PORT_RIGHT_SEND));

	/* A receive into memory the kernel cannot write. */
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHILD_EQ(MACH_MSG_SUCCESS, send_header(p, MACH_MSG_TYPE_COPY_SEND, 5, true));
		CHILD_EQ(MACH_RCV_INVALID_DATA, mach_msg(bad[i], MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
							 256, p, 0, MACH_PORT_NULL));
		CHILD_EQ(0, MSGCOUNT(p));
	}

	/* The ioctl's own argument. */
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		CHILD_EQ(-1, ioctl(fd, MACHIPC_IOC_MSG, bad[i]));
		CHILD_EQ(EFAULT, errno);
		errno = 0;
		CHILD_EQ(-1, ioctl(fd, MACHIPC_IOC_PORT_OP, bad[i]));
		CHILD_EQ(EFAULT, errno);
		errno = 0;
		CHILD_EQ(-1, ioctl(fd, MACHIPC_IOC_PORT_ATTR, bad[i]));
		CHILD_EQ(EFAULT, errno);
		errno = 0;
		CHILD_EQ(-1, ioctl(fd, MACHIPC_IOC_PORT_LIST, bad[i]));
		CHILD_EQ(EFAULT, errno);
	}
	/* A struct at the very end of the mapped memory. */
	errno = 0;
	CHILD_EQ(-1, ioctl(fd, MACHIPC_IOC_MSG, edge + 2 * 4096 - sizeof(raw) / 2));
	CHILD_EQ(EFAULT, errno);
	/* A send whose buffer is good and whose receive buffer is not: the
	 * message is sent, the receive fails. */
	memset(&raw, 0, sizeof(raw));
	{
		mach_msg_header_t h = {
			.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
			.msgh_size = sizeof(h),
			.msgh_remote_port = p,
		};

		raw.send_buf = (uint64_t)(uintptr_t)&h;
		raw.rcv_buf = (uint64_t)(uintptr_t)KERNEL_ADDR;
		raw.option = MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT;
		raw.send_size = sizeof(h);
		raw.rcv_size = 4096;
		raw.rcv_name = p;
		CHILD_EQ(MACH_RCV_INVALID_DATA, ioctl(fd, MACHIPC_IOC_MSG, &raw));
	}
	/* A names list to a bogus buffer, with a huge capacity. */
	{
		struct machipc_port_list l = {
			.op = MACHIPC_LIST_NAMES,
			.task = mach_task_self(),
			.capacity = 0xffffffffU,
			.buf = (uint64_t)(uintptr_t)KERNEL_ADDR,
		};

		errno = 0;
		CHILD_EQ(-1, ioctl(fd, MACHIPC_IOC_PORT_LIST, &l));
		CHILD_EQ(EFAULT, errno);
		l.capacity = 0;
		CHILD_EQ(0, ioctl(fd, MACHIPC_IOC_PORT_LIST, &l));
		CHILD_EQ(KERN_SUCCESS, l.kr);
		CHILD_TRUE(l.count >= 2);
	}
	CHILD_EQ(0, MSGCOUNT(p));
	CHILD_EQ(1, HAS_SENDERS(p));
	CHILD_EQ(1, refs_of(p, MACH_PORT_RIGHT_SEND));
}

TEST_F_TIMEOUT(hostile, bogus_pointers_get_mach_codes, 300)
{
	RUN_AS(NOBODY, bogus_pointers, 0);
	EXPECT_STATS_AT_BASELINE(&self->base);
}

/* ====================================================================== */
/* Per-user budgets. */

/* Allocates receive rights until refused (at most `arg` + 64); reports
 * the count and the refusal, then waits to be killed. */
static void allocate_ports_until_refused(long arg, int rd, int wr)
{
	mach_port_name_t n;
	kern_return_t kr = KERN_SUCCESS;
	uint32_t count = 0;

	while (count < (uint32_t)arg + 64) {
		kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &n);
		if (kr != KERN_SUCCESS)
			break;
		count++;
	}
	CHILD_PUT(wr, count);
	CHILD_PUT(wr, (uint32_t)kr);
	CHILD_GET(rd);
}

/* A process of the same user: refused at its first port and port set. */
static void refused_at_once(long arg, int rd, int wr)
{
	mach_port_name_t n;

	(void)arg;
	(void)rd;
	(void)wr;
	CHILD_EQ(KERN_RESOURCE_SHORTAGE,
		 mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &n));
	CHILD_EQ(KERN_RESOURCE_SHORTAGE,
		 mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &n));
	/* A dead name is no port: it costs nothing. */
	CHILD_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_DEAD_NAME, &n));
}

static void allocates_some(long arg, int rd, int wr)
{
	mach_port_name_t n;
	long i;

	(void)rd;
	(void)wr;
	for (i = 0; i < arg; i++)
		CHILD_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
							  &n));
}

/*
 * Nobody with RLIMIT_AS 64 MiB allocates ports until its budget
 * (max_user_ports) refuses: KERN_RESOURCE_SHORTAGE, for every process of
 * that user; another user, and root, still allocate; the budget comes
 * back when the process dies.
 */
TEST_F_TIMEOUT(hostile, nobody_ports_refused_at_user_budget_others_unaffected, 900)
{
	uint32_t n = 0, kr = 0;
	mach_port_name_t mine;
	struct kid k;

	ASSERT_TRUE(attacker(&k, NOBODY, 64ULL << 20, allocate_ports_until_refused,
			     MAX_USER_PORTS));
	ASSERT_TRUE(get(k.rd, &n));
	ASSERT_TRUE(get(k.rd, &kr));
	TH_LOG("nobody allocated %u ports before 0x%x", n, kr);
	EXPECT_EQ(MAX_USER_PORTS, n);
	EXPECT_EQ(KERN_RESOURCE_SHORTAGE, (kern_return_t)kr);
	RUN_AS(NOBODY, refused_at_once, 0);
	RUN_AS(SOMEONE, allocates_some, 100);
	EXPECT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &mine));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), mine));
	ASSERT_EQ(0, kill(k.pid, SIGKILL));
	EXPECT_KILLED(wait_gone(k.pid, TEARDOWN_WAIT_MS));
	close(k.rd);
	close(k.wr);
	/* Refunded: nobody allocates again. */
	EXPECT_STATS_AT_BASELINE(&self->base);
	RUN_AS(NOBODY, allocates_some, 100);
	EXPECT_STATS_AT_BASELINE(&self->base);
}

/* Request tables: the largest size is allowed, beyond it KERN_NO_SPACE;
 * the user's slots (max_user_requests) run out after two of them. */
static void request_tables(long arg, int rd, int wr)
{
	mach_port_name_t p[5];
	unsigned i;

	(void)arg;
	for (i = 0; i < 5; i++) {
		p[i] = new_port();
		CHILD_TRUE(MACH_PORT_VALID(p[i]));
	}
	CHILD_EQ(KERN_NO_SPACE, set_dnrequests_size(p[0], 65536));
	CHILD_EQ(KERN_NO_SPACE, set_dnrequests_size(p[0], INT_MAX));
	CHILD_EQ(KERN_SUCCESS, set_dnrequests_size(p[0], MAX_REQUEST_TABLE));
	CHILD_EQ(MAX_REQUEST_TABLE, dnrequests_size(p[0]));
	CHILD_EQ(KERN_SUCCESS, set_dnrequests_size(p[1], MAX_REQUEST_TABLE));
	/* 2 x 47,616 slots of 131,072: a third is refused, whole. */
	CHILD_TRUE(3 * MAX_REQUEST_TABLE > MAX_USER_REQUESTS);
	CHILD_EQ(KERN_NO_SPACE, set_dnrequests_size(p[2], MAX_REQUEST_TABLE));
	CHILD_TRUE(dnrequests_size(p[2]) < MAX_REQUEST_TABLE);
	/* What is left still goes (31,232 is a size class). */
	CHILD_EQ(KERN_SUCCESS, set_dnrequests_size(p[3], 31232));
	CHILD_EQ(31232, dnrequests_size(p[3]));
	CHILD_PUT(wr, 1);
	CHILD_EQ(2, CHILD_GET(rd));
	/* A destroyed port gives its slots back. */
	CHILD_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), p[0]));
	CHILD_EQ(KERN_SUCCESS, set_dnrequests_size(p[4], MAX_REQUEST_TABLE));
}

static void large_request_table(long arg, int rd, int wr)
{
	mach_port_name_t p = new_port();

	(void)arg;
	(void)rd;
	(void)wr;
	CHILD_TRUE(MACH_PORT_VALID(p));
	CHILD_EQ(KERN_SUCCESS, set_dnrequests_size(p, MAX_REQUEST_TABLE));
}

TEST_F_TIMEOUT(hostile, nobody_request_tables_refused_at_user_budget, 300)
{
	uint32_t v = 0;
	struct kid k;

	ASSERT_TRUE(attacker(&k, NOBODY, 64ULL << 20, request_tables, 0));
	ASSERT_TRUE(get(k.rd, &v)) TH_LOG("the request-table checks failed");
	EXPECT_EQ(1U, v);
	/* Someone else still gets the largest table. */
	RUN_AS(SOMEONE, large_request_table, 0);
	ASSERT_TRUE(put(k.wr, 2));
	EXPECT_EXITED_OK(wait_gone(k.pid, TEARDOWN_WAIT_MS));
	close(k.rd);
	close(k.wr);
	EXPECT_STATS_AT_BASELINE(&self->base);
}

/*
 * Dead-name requests on a port the kernel receives on (the host port,
 * which outlives every user) grow its request table, charged to the
 * requester. Nobody can see the size of that table, so once its last
 * request is gone it is freed and the charge refunded: the requests of
 * users that have left cannot pin their budget (or the global one) for as
 * long as the host exists. HOST_REQUESTERS processes of nobody each make
 * a request (the table grows past its smallest size), cancel it, make it
 * again, and exit.
 */
#define HOST_REQUESTERS 6

static void request_on_host(long arg, int rd, int wr)
{
	mach_port_name_t host = mach_host_self(), notify, prev;
	int round;

	(void)arg;
	CHILD_TRUE(MACH_PORT_VALID(host));
	CHILD_EQ(KERN_SUCCESS,
		 mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &notify));
	for (round = 0; round < 2; round++) {
		CHILD_EQ(KERN_SUCCESS,
			 mach_port_request_notification(mach_task_self(), host,
							MACH_NOTIFY_DEAD_NAME, 0, notify,
							MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev));
		CHILD_EQ(MACH_PORT_NULL, prev);
		CHILD_TRUE(type_of(host) & MACH_PORT_TYPE_DNREQUEST);
		CHILD_PUT(wr, 1);
		/* 2: cancel it; 3: exit with it registered. */
		if (CHILD_GET(rd) != 2)
			break;
		CHILD_EQ(KERN_SUCCESS,
			 mach_port_request_notification(mach_task_self(), host,
							MACH_NOTIFY_DEAD_NAME, 0,
							MACH_PORT_NULL,
							MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev));
		CHILD_TRUE(MACH_PORT_VALID(prev));
		CHILD_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), prev));
		CHILD_PUT(wr, 2);
		CHILD_GET(rd);
	}
}

TEST_F_TIMEOUT(hostile, kernel_port_request_table_refunded_when_unused, 300)
{
	static const char *const tables[] = { "request_slots", "budget_requests", NULL };
	struct kid k[HOST_REQUESTERS];
	const char *off;
	uint32_t v;
	int i;

	for (i = 0; i < HOST_REQUESTERS; i++) {
		ASSERT_TRUE(attacker(&k[i], NOBODY, 0, request_on_host, 0));
		ASSERT_TRUE(get(k[i].rd, &v));
	}
	/* Six requests: more than the smallest table holds, charged. */
	EXPECT_LT(stat_in(&self->base, "request_slots") + 2, stat_now("request_slots"));
	EXPECT_LT(stat_in(&self->base, "budget_requests") + 2, stat_now("budget_requests"));
	for (i = 0; i < HOST_REQUESTERS; i++) {
		ASSERT_TRUE(put(k[i].wr, 2));
		ASSERT_TRUE(get(k[i].rd, &v));
	}
	off = stats_wait_some(&self->base, tables, STATS_WAIT_MS);
	EXPECT_EQ(NULL, off) TH_LOG("%s not back at its baseline with every request cancelled",
				    off);
	for (i = 0; i < HOST_REQUESTERS; i++) {
		ASSERT_TRUE(put(k[i].wr, 0));
		ASSERT_TRUE(get(k[i].rd, &v));
	}
	EXPECT_LT(stat_in(&self->base, "request_slots"), stat_now("request_slots"));
	/* They exit with their requests registered: their spaces cancel them. */
	for (i = 0; i < HOST_REQUESTERS; i++) {
		ASSERT_TRUE(put(k[i].wr, 3));
		EXPECT_EXITED_OK(wait_gone(k[i].pid, TEARDOWN_WAIT_MS));
		close(k[i].rd);
		close(k[i].wr);
	}
	EXPECT_STATS_AT_BASELINE(&self->base);
}

#define OOL_CHUNK (4U << 20)

/*
 * 4 MiB out-of-line messages to our own port until refused (at most `arg`
 * of them): the count, then the refusal. The region is one buffer, sent
 * again and again: RLIMIT_AS does not bound what the kernel holds.
 */
static void queue_ool_until_refused(long arg, int rd, int wr)
{
	mach_port_name_t p = port_with_send(QLIMIT_MAX);
	mach_msg_return_t mr = MACH_MSG_SUCCESS;
	struct ool_msg m;
	mach_msg_size_t len;
	uint32_t n = 0;
	char *buf;

	CHILD_TRUE(MACH_PORT_VALID(p));
	buf = mmap(NULL, OOL_CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHILD_TRUE(buf != MAP_FAILED);
	memset(buf, 0x5a, OOL_CHUNK);
	while (n < (uint32_t)arg) {
		len = ool_msg_init(&m, p, 1, buf, OOL_CHUNK);
		mr = send_raw(&m, len, MACH_SEND_TIMEOUT, 0);
		if (mr != MACH_MSG_SUCCESS)
			break;
		n++;
	}
	CHILD_PUT(wr, n);
	CHILD_PUT(wr, mr);
	if (mr != MACH_MSG_SUCCESS) {
		/* The refused send left our rights as they were. */
		CHILD_EQ(1, refs_of(p, MACH_PORT_RIGHT_SEND));
		CHILD_EQ(n, MSGCOUNT(p));
	}
	/* 2: receive one, and send again; 9: not (in a memory cgroup at
	 * its limit, the received region could not be mapped). */
	if (CHILD_GET(rd) == 2 && n) {
		/* One received (and its region freed): room for one more. */
		mach_msg_header_t *r = rcv_buffer(sizeof(m));

		CHILD_TRUE(r != NULL);
		CHILD_EQ(MACH_MSG_SUCCESS, RECV_BIG(p, r, sizeof(m), WAIT_MS));
		CHILD_EQ(KERN_SUCCESS, vm_deallocate(mach_task_self(),
						     (vm_address_t)((struct ool_msg *)r)->d[0].address,
						     OOL_CHUNK));
		len = ool_msg_init(&m, p, 1, buf, OOL_CHUNK);
		CHILD_EQ(MACH_MSG_SUCCESS, send_raw(&m, len, MACH_SEND_TIMEOUT, 0));
	}
	CHILD_PUT(wr, 3);
	CHILD_GET(rd);
}

/* Someone else's 4 MiB message, sent and received. */
static void one_ool_round_trip(long arg, int rd, int wr)
{
	mach_port_name_t p = port_with_send(0);
	struct ool_msg m, *r;
	mach_msg_size_t len;
	char *buf;

	(void)arg;
	(void)rd;
	(void)wr;
	CHILD_TRUE(MACH_PORT_VALID(p));
	buf = mmap(NULL, OOL_CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHILD_TRUE(buf != MAP_FAILED);
	memset(buf, 0x33, OOL_CHUNK);
	len = ool_msg_init(&m, p, 1, buf, OOL_CHUNK);
	CHILD_EQ(MACH_MSG_SUCCESS, send_raw(&m, len, MACH_SEND_TIMEOUT, 0));
	r = (struct ool_msg *)rcv_buffer(sizeof(m));
	CHILD_TRUE(r != NULL);
	CHILD_EQ(MACH_MSG_SUCCESS, RECV_BIG(p, &r->h, sizeof(m), WAIT_MS));
	CHILD_EQ(OOL_CHUNK, r->d[0].size);
	CHILD_EQ(0x33, ((unsigned char *)r->d[0].address)[OOL_CHUNK - 1]);
}

/*
 * Queued bytes, out-of-line memory included, are budgeted per user
 * (max_user_kmsg_mbytes): nobody with RLIMIT_AS 64 MiB queues 31 messages
 * of 4 MiB (124 MiB), and the 32nd is MACH_SEND_NO_BUFFER; another user
 * still sends 4 MiB; a message received makes room for one more.
 */
TEST_F_TIMEOUT(hostile, nobody_queued_ool_bytes_refused_at_user_budget, 600)
{
	/* The most the test lets it queue if nothing refuses: 192 MiB. */
	const uint32_t bound = 48;
	uint32_t n = 0, mr = 0, v = 0;
	struct kid k;

	ASSERT_TRUE(attacker(&k, NOBODY, 64ULL << 20, queue_ool_until_refused, bound));
	ASSERT_TRUE(get(k.rd, &n));
	ASSERT_TRUE(get(k.rd, &mr));
	TH_LOG("nobody queued %u messages of 4 MiB before 0x%x", n, mr);
	EXPECT_EQ((uint32_t)(MAX_USER_KMSG_BYTES / OOL_CHUNK) - 1, n);
	EXPECT_EQ(MACH_SEND_NO_BUFFER, (mach_msg_return_t)mr);
	RUN_AS(SOMEONE, one_ool_round_trip, 0);
	ASSERT_TRUE(put(k.wr, 2));
	ASSERT_TRUE(get(k.rd, &v));
	EXPECT_EQ(3U, v);
	ASSERT_EQ(0, kill(k.pid, SIGKILL));
	EXPECT_KILLED(wait_gone(k.pid, TEARDOWN_WAIT_MS));
	close(k.rd);
	close(k.wr);
	EXPECT_STATS_AT_BASELINE(&self->base);
}

/*
 * 44-byte messages, each with an out-of-line ports descriptor of
 * MAX_MSG_RIGHTS null names, to our own ports until refused (at most
 * `arg`): the count, then the refusal. Null names cost no lookup, so the
 * sends are quick; the kernel still keeps an array for every one of them.
 */
static void queue_port_arrays_until_refused(long arg, int rd, int wr)
{
	mach_port_name_t p = MACH_PORT_NULL, *names;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;
	struct ool_ports_msg m;
	uint32_t n = 0;

	names = name_copies(MACH_PORT_NULL, MAX_MSG_RIGHTS);
	CHILD_TRUE(names != NULL);
	while (n < (uint32_t)arg) {
		if (n % QLIMIT_MAX == 0) {
			p = port_with_send(QLIMIT_MAX);
			CHILD_TRUE(MACH_PORT_VALID(p));
		}
		ool_ports_msg_init(&m, p, names, MAX_MSG_RIGHTS, MACH_MSG_TYPE_COPY_SEND);
		mr = send_raw(&m, sizeof(m), MACH_SEND_TIMEOUT, 0);
		if (mr != MACH_MSG_SUCCESS)
			break;
		n++;
	}
	CHILD_PUT(wr, n);
	CHILD_PUT(wr, mr);
	CHILD_GET(rd);
}

/*
 * The arrays of rights that out-of-line ports descriptors make the kernel
 * keep count against the user's byte budget (max_user_kmsg_mbytes), as
 * out-of-line memory does: a 44-byte message can carry 16,382 rights, and
 * without that the kmsg budget (131,072 messages) would let one user pin
 * 131,072 such arrays. Charged at least at XNU's in-kernel size (a port
 * pointer, 8 bytes, per right), the 1,024th is refused at the latest; the
 * test stops at 1,025 (about 270 MB of kernel memory if nothing refuses).
 */
TEST_F_TIMEOUT(hostile, nobody_queued_ool_port_arrays_are_budgeted, 900)
{
	const uint32_t bound = 1025;
	uint32_t n = 0, mr = 0;
	struct kid k;

	ASSERT_TRUE(attacker(&k, NOBODY, 64ULL << 20, queue_port_arrays_until_refused, bound));
	ASSERT_TRUE(get(k.rd, &n));
	ASSERT_TRUE(get(k.rd, &mr));
	TH_LOG("nobody queued %u messages of %u rights before 0x%x", n, MAX_MSG_RIGHTS, mr);
	EXPECT_GT((uint32_t)(MAX_USER_KMSG_BYTES / (MAX_MSG_RIGHTS * 8ULL)), n);
	EXPECT_EQ(MACH_SEND_NO_BUFFER, (mach_msg_return_t)mr);
	ASSERT_EQ(0, kill(k.pid, SIGKILL));
	EXPECT_KILLED(wait_gone(k.pid, TEARDOWN_WAIT_MS));
	close(k.rd);
	close(k.wr);
	EXPECT_STATS_AT_BASELINE(&self->base);
}

/* ---- a memory cgroup ---------------------------------------------------- */

#define CG_MOUNT "/tmp/machipc-cgroup2"

static bool write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return false;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s);
}

static bool file_has(const char *path, const char *word)
{
	char buf[512];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = 0;
	return strstr(buf, word) != NULL;
}

/* Waits for the parent to put us in the cgroup, then queues 4 MiB
 * messages until refused. */
static void queue_ool_in_cgroup(long arg, int rd, int wr)
{
	CHILD_EQ(1, CHILD_GET(rd));
	queue_ool_until_refused(arg, rd, wr);
}

/*
 * In a memory cgroup limited to 32 MiB, nobody queues 4 MiB messages: the
 * cgroup's limit refuses one long before the user budget would, and the
 * refusal is MACH_SEND_NO_BUFFER -- not the OOM killer. Root, outside the
 * cgroup, is not affected.
 */
TEST_F_TIMEOUT(hostile, memcg_limit_gives_mach_code_not_oom_kill, 600)
{
	char cg[128], procs[160], max[160], pid[32], b[64];
	bool mounted = false;
	uint32_t n = 0, mr = 0, v = 0;
	struct kid k;
	int status;

	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0) {
		snprintf(cg, sizeof(cg), "/sys/fs/cgroup");
	} else {
		mkdir(CG_MOUNT, 0755);
		if (mount("cgroup2", CG_MOUNT, "cgroup2", 0, NULL) && errno != EBUSY)
			SKIP(return, "cannot mount cgroup2: %s", strerror(errno));
		mounted = true;
		snprintf(cg, sizeof(cg), CG_MOUNT);
	}
	snprintf(procs, sizeof(procs), "%s/cgroup.controllers", cg);
	if (!file_has(procs, "memory")) {
		if (mounted)
			umount(CG_MOUNT);
		SKIP(return, "no memory controller in cgroup2");
	}
	snprintf(procs, sizeof(procs), "%s/cgroup.subtree_control", cg);
	ASSERT_TRUE(write_file(procs, "+memory"));
	strncat(cg, "/machipc-hostile", sizeof(cg) - strlen(cg) - 1);
	ASSERT_TRUE(mkdir(cg, 0755) == 0 || errno == EEXIST);
	snprintf(max, sizeof(max), "%s/memory.max", cg);
	ASSERT_TRUE(write_file(max, "33554432"));
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg);

	ASSERT_TRUE(attacker(&k, NOBODY, 0, queue_ool_in_cgroup, 48));
	snprintf(pid, sizeof(pid), "%d", k.pid);
	ASSERT_TRUE(write_file(procs, pid));
	ASSERT_TRUE(put(k.wr, 1));
	if (get(k.rd, &n) && get(k.rd, &mr)) {
		TH_LOG("in a 32 MiB cgroup, nobody queued %u messages of 4 MiB before 0x%x", n, mr);
		EXPECT_GT(8U, n);
		EXPECT_EQ(MACH_SEND_NO_BUFFER, (mach_msg_return_t)mr);
		/* Root, elsewhere, is not affected. */
		RUN_AS(0, one_ool_round_trip, 0);
		EXPECT_TRUE(put(k.wr, 9));
		EXPECT_TRUE(get(k.rd, &v));
		EXPECT_EQ(3U, v);
		kill(k.pid, SIGKILL);
		EXPECT_KILLED(wait_gone(k.pid, TEARDOWN_WAIT_MS));
	} else {
		status = wait_gone(k.pid, TEARDOWN_WAIT_MS);
		EXPECT_TRUE(0) TH_LOG("the process in the cgroup got no Mach code: %s",
				      status_str(status, b, sizeof(b)));
	}
	close(k.rd);
	close(k.wr);
	EXPECT_STATS_AT_BASELINE(&self->base);
	rmdir(cg);
	if (mounted)
		umount(CG_MOUNT);
}

TEST_HARNESS_MAIN
