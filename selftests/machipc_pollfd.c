// SPDX-License-Identifier: GPL-2.0
/*
 * Pollable ports and port sets (mach_port_get_fd, MACHIPC_OP_PORT_FD):
 * readable while a message is queued on the port or a member of the set,
 * hung up once the port or set is gone from its space, granting nothing but
 * readiness, never keeping the port alive; and the races of closing and
 * exiting under the debug kernel.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mach/mach.h>
#include <machipc/machipc.h>
#include "kselftest_harness.h"
#include "machipc_util.h"

/* poll() on one descriptor: its revents, or -1. */
static int poll_one(int fd, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n = poll(&p, 1, timeout_ms);

	return n < 0 ? -1 : n == 0 ? 0 : p.revents;
}

/* A bare message to `port` (a send right made from our receive right). */
static kern_return_t send_empty(mach_port_name_t port, mach_msg_id_t id)
{
	mach_msg_header_t h = {
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0),
		.msgh_size = sizeof(h),
		.msgh_remote_port = port,
		.msgh_id = id,
	};

	return mach_msg(&h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(h), 0, MACH_PORT_NULL, 0,
			MACH_PORT_NULL);
}

/* Receives one message from `name` without waiting; its id, or -1. */
static int receive_one(mach_port_name_t name)
{
	struct {
		mach_msg_header_t h;
		mach_msg_trailer_t t;
	} m;

	if (mach_msg(&m.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m), name, 0,
		     MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		return -1;
	return m.h.msgh_id;
}

static int get_fd(struct __test_metadata *_metadata, mach_port_name_t name)
{
	int fd = -1;
	kern_return_t kr = mach_port_get_fd(mach_task_self(), name, &fd);

	if (kobj_unsupported(kr))
		SKIP(return -1, "the module has no pollable ports (0x%x)", kr);
	EXPECT_EQ(KERN_SUCCESS, kr);
	return fd;
}

TEST(port_fd_readable_when_a_message_is_already_queued)
{
	mach_port_name_t p = new_receive(_metadata);
	int fd;

	ASSERT_EQ(KERN_SUCCESS, send_empty(p, 1));
	fd = get_fd(_metadata, p);
	ASSERT_LE(0, fd);
	EXPECT_EQ(POLLIN, poll_one(fd, 0) & (POLLIN | POLLHUP));
	close(fd);
	mach_port_destroy(mach_task_self(), p);
}

TEST(port_fd_not_readable_when_empty_and_again_after_receive)
{
	mach_port_name_t p = new_receive(_metadata);
	int fd = get_fd(_metadata, p);

	ASSERT_LE(0, fd);
	EXPECT_EQ(0, poll_one(fd, 0));
	ASSERT_EQ(KERN_SUCCESS, send_empty(p, 7));
	EXPECT_EQ(POLLIN, poll_one(fd, 0) & (POLLIN | POLLHUP));
	EXPECT_EQ(7, receive_one(p));
	EXPECT_EQ(0, poll_one(fd, 0));
	close(fd);
	mach_port_destroy(mach_task_self(), p);
}

struct poller {
	int fd;
	int epfd;
	pid_t tid;
	atomic_int revents;
};

static void *poll_thread(void *arg)
{
	struct poller *w = arg;
	struct epoll_event ev;

	w->tid = (pid_t)syscall(SYS_gettid);
	if (w->epfd >= 0) {
		int n = epoll_wait(w->epfd, &ev, 1, 10000);

		atomic_store(&w->revents, n == 1 ? (int)ev.events : -1);
	} else {
		atomic_store(&w->revents, poll_one(w->fd, 10000));
	}
	return NULL;
}

/* Starts a thread that waits in poll (epfd < 0) or epoll_wait on `fd`,
 * and returns once it really sleeps there. */
static bool start_poller(struct poller *w, pthread_t *th, int fd, int epfd)
{
	w->fd = fd;
	w->epfd = epfd;
	w->tid = 0;
	atomic_store(&w->revents, -2);
	if (pthread_create(th, NULL, poll_thread, w))
		return false;
	if (!POLL_UNTIL(w->tid != 0, BLOCK_WAIT_MS))
		return false;
	return POLL_UNTIL(blocked_in(getpid(), w->tid, epfd >= 0 ? __NR_epoll_wait : __NR_poll,
				     false) &&
				  thread_state(getpid(), w->tid) == 'S',
			  BLOCK_WAIT_MS);
}

static int epoll_on(int fd)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int epfd = epoll_create1(EPOLL_CLOEXEC);

	if (epfd >= 0 && epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		close(epfd);
		return -1;
	}
	return epfd;
}

TEST(port_fd_poll_woken_by_a_message_sent_while_waiting)
{
	mach_port_name_t p = new_receive(_metadata);
	struct poller w;
	pthread_t th;
	int fd = get_fd(_metadata, p);

	ASSERT_LE(0, fd);
	ASSERT_TRUE(start_poller(&w, &th, fd, -1));
	ASSERT_EQ(KERN_SUCCESS, send_empty(p, 2));
	pthread_join(th, NULL);
	EXPECT_EQ(POLLIN, atomic_load(&w.revents) & (POLLIN | POLLHUP));
	close(fd);
	mach_port_destroy(mach_task_self(), p);
}

TEST(set_fd_epoll_woken_by_a_message_to_a_member)
{
	mach_port_name_t s = new_port_set(_metadata), p = new_receive(_metadata);
	struct poller w;
	pthread_t th;
	int fd, epfd;

	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), p, s));
	fd = get_fd(_metadata, s);
	ASSERT_LE(0, fd);
	epfd = epoll_on(fd);
	ASSERT_LE(0, epfd);
	ASSERT_TRUE(start_poller(&w, &th, fd, epfd));
	ASSERT_EQ(KERN_SUCCESS, send_empty(p, 3));
	pthread_join(th, NULL);
	EXPECT_EQ(EPOLLIN, atomic_load(&w.revents) & (EPOLLIN | EPOLLHUP));
	EXPECT_EQ(3, receive_one(s));
	EXPECT_EQ(0, poll_one(fd, 0));
	close(epfd);
	close(fd);
	mach_port_destroy(mach_task_self(), p);
	mach_port_destroy(mach_task_self(), s);
}

/* A port that already has a message joins the set while a waiter sleeps
 * on the set's descriptor: the waiter wakes. */
TEST(set_fd_woken_when_a_member_with_messages_is_added)
{
	mach_port_name_t s = new_port_set(_metadata), p = new_receive(_metadata);
	struct poller w;
	pthread_t th;
	int fd = get_fd(_metadata, s), epfd;

	ASSERT_LE(0, fd);
	epfd = epoll_on(fd);
	ASSERT_LE(0, epfd);
	ASSERT_EQ(KERN_SUCCESS, send_empty(p, 4));
	ASSERT_TRUE(start_poller(&w, &th, fd, epfd));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), p, s));
	pthread_join(th, NULL);
	EXPECT_EQ(EPOLLIN, atomic_load(&w.revents) & (EPOLLIN | EPOLLHUP));
	close(epfd);
	close(fd);
	mach_port_destroy(mach_task_self(), p);
	mach_port_destroy(mach_task_self(), s);
}

/* The only member with messages leaves the set: the set is no longer
 * readable (and its port still is, through its own descriptor). */
TEST(set_fd_not_readable_once_the_ready_member_is_removed)
{
	mach_port_name_t s = new_port_set(_metadata), p = new_receive(_metadata);
	int sfd, pfd;

	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), p, s));
	ASSERT_EQ(KERN_SUCCESS, send_empty(p, 5));
	sfd = get_fd(_metadata, s);
	ASSERT_LE(0, sfd);
	pfd = get_fd(_metadata, p);
	ASSERT_LE(0, pfd);
	EXPECT_EQ(POLLIN, poll_one(sfd, 0) & (POLLIN | POLLHUP));
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_member(mach_task_self(), p, s));
	EXPECT_EQ(0, poll_one(sfd, 0));
	EXPECT_EQ(POLLIN, poll_one(pfd, 0) & (POLLIN | POLLHUP));
	close(sfd);
	close(pfd);
	mach_port_destroy(mach_task_self(), p);
	mach_port_destroy(mach_task_self(), s);
}

TEST(set_fd_hangs_up_when_the_set_is_destroyed_under_an_epoll_waiter)
{
	mach_port_name_t s = new_port_set(_metadata);
	struct poller w;
	pthread_t th;
	int fd = get_fd(_metadata, s), epfd;

	ASSERT_LE(0, fd);
	epfd = epoll_on(fd);
	ASSERT_LE(0, epfd);
	ASSERT_TRUE(start_poller(&w, &th, fd, epfd));
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), s));
	pthread_join(th, NULL);
	EXPECT_TRUE(atomic_load(&w.revents) & EPOLLHUP) TH_LOG("revents 0x%x",
								atomic_load(&w.revents));
	close(epfd);
	close(fd);
}

TEST(port_fd_hangs_up_when_the_port_is_destroyed_and_does_not_keep_it)
{
	long long ports = machipc_stat("ports");
	mach_port_name_t p = new_receive(_metadata);
	int fd = get_fd(_metadata, p);

	ASSERT_LE(0, fd);
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), p));
	EXPECT_TRUE(poll_one(fd, 0) & POLLHUP);
	/* The port is gone although its descriptor is still open. */
	EXPECT_TRUE(stat_returns_to("ports", ports));
	close(fd);
}

/* The receive right leaves the space in a message: the descriptor hangs
 * up (a message queued on the port later does not make it readable). */
TEST(port_fd_hangs_up_when_the_receive_right_moves_away)
{
	mach_port_name_t p = new_receive(_metadata), carrier = new_receive(_metadata);
	struct {
		mach_msg_header_t h;
		mach_msg_body_t b;
		mach_msg_port_descriptor_t d;
	} m = { 0 };
	int fd = get_fd(_metadata, p);

	ASSERT_LE(0, fd);
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	m.h.msgh_size = sizeof(m);
	m.h.msgh_remote_port = carrier;
	m.b.msgh_descriptor_count = 1;
	m.d.name = p;
	m.d.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
	m.d.type = MACH_MSG_PORT_DESCRIPTOR;
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&m.h, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL,
					     MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL));
	EXPECT_TRUE(poll_one(fd, 0) & POLLHUP);
	close(fd);
	mach_port_destroy(mach_task_self(), carrier);
}

/* Error codes: no name, a send right only, a dead name, a target that
 * is no task. */
TEST(port_fd_needs_a_receive_right_or_a_set)
{
	mach_port_name_t p = new_receive(_metadata), dead = MACH_PORT_NULL;
	int fd = -1;
	kern_return_t kr = mach_port_get_fd(mach_task_self(), MACH_PORT_NULL, &fd);

	if (kobj_unsupported(kr))
		SKIP(return, "the module has no pollable ports (0x%x)", kr);
	EXPECT_EQ(KERN_INVALID_NAME, kr);
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_get_fd(mach_task_self(), NAME(0x7777, 3), &fd));
	/* Our task port: a send right, no receive right. */
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_get_fd(mach_task_self(), mach_task_self(), &fd));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_DEAD_NAME, &dead));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_get_fd(mach_task_self(), dead, &fd));
	/* The target must be a task port: a send right to a plain port is
	 * KERN_INVALID_TASK; a name with no send right fails the "send". */
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), p, p,
						       MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(KERN_INVALID_TASK, mach_port_get_fd(p, p, &fd));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, mach_port_get_fd(dead, p, &fd));
	mach_port_deallocate(mach_task_self(), dead);
	mach_port_destroy(mach_task_self(), p);
}

/* The descriptor given to another process (SCM_RIGHTS) reports our
 * port's readiness there, and gives that process no right to it. */
TEST(port_fd_passed_to_another_process_gives_only_readiness)
{
	mach_port_name_t p = new_receive(_metadata);
	int sv[2], fd = get_fd(_metadata, p), status;
	pid_t kid;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	kid = fork();
	ASSERT_LE(0, kid);
	if (kid == 0) {
		char c, cmsgbuf[CMSG_SPACE(sizeof(int))];
		struct iovec io = { .iov_base = &c, .iov_len = 1 };
		struct msghdr mh = {
			.msg_iov = &io, .msg_iovlen = 1,
			.msg_control = cmsgbuf, .msg_controllen = sizeof(cmsgbuf),
		};
		int got;

		close(sv[0]);
		CHILD_TRUE(recvmsg(sv[1], &mh, 0) == 1);
		memcpy(&got, CMSG_DATA(CMSG_FIRSTHDR(&mh)), sizeof(got));
		/* Readable: the parent queued a message before sending the fd. */
		CHILD_EQ(POLLIN, poll_one(got, 1000) & (POLLIN | POLLHUP));
		/* The same name means nothing in our space. */
		CHILD_TRUE(receive_one(p) == -1);
		CHILD_EQ(KERN_INVALID_NAME, mach_port_get_fd(mach_task_self(), p, &got));
		CHILD_TRUE(write(sv[1], "d", 1) == 1);
		_exit(0);
	}
	close(sv[1]);
	{
		char c = 'f', cmsgbuf[CMSG_SPACE(sizeof(int))];
		struct iovec io = { .iov_base = &c, .iov_len = 1 };
		struct msghdr mh = {
			.msg_iov = &io, .msg_iovlen = 1,
			.msg_control = cmsgbuf, .msg_controllen = sizeof(cmsgbuf),
		};
		struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(fd));
		ASSERT_EQ(KERN_SUCCESS, send_empty(p, 9));
		ASSERT_EQ(1, sendmsg(sv[0], &mh, 0));
		ASSERT_EQ(1, read(sv[0], &c, 1));
	}
	ASSERT_EQ(kid, waitpid(kid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* The message is still ours. */
	EXPECT_EQ(9, receive_one(p));
	close(sv[0]);
	close(fd);
	mach_port_destroy(mach_task_self(), p);
}

/* Many descriptors for one port and for many ports: all report, and every
 * poll state is freed with them. */
TEST(many_fds_report_and_are_released)
{
	enum { PORTS = 48, PER_PORT = 16 }; /* 768 descriptors: under RLIMIT_NOFILE */
	long long states = machipc_stat("poll_fds");
	mach_port_name_t p[PORTS];
	int fds[PORTS * PER_PORT], i, j;

	for (i = 0; i < PORTS; i++) {
		p[i] = new_receive(_metadata);
		for (j = 0; j < PER_PORT; j++) {
			fds[i * PER_PORT + j] = get_fd(_metadata, p[i]);
			ASSERT_LE(0, fds[i * PER_PORT + j]);
		}
		if (i % 2 == 0)
			ASSERT_EQ(KERN_SUCCESS, send_empty(p[i], i));
	}
	for (i = 0; i < PORTS * PER_PORT; i++)
		EXPECT_EQ((i / PER_PORT) % 2 == 0 ? POLLIN : 0,
			  poll_one(fds[i], 0) & (POLLIN | POLLHUP));
	for (i = 0; i < PORTS; i++)
		mach_port_destroy(mach_task_self(), p[i]);
	for (i = 0; i < PORTS * PER_PORT; i++) {
		EXPECT_TRUE(poll_one(fds[i], 0) & POLLHUP);
		close(fds[i]);
	}
	EXPECT_TRUE(stat_returns_to("poll_fds", states));
}

/* Closing descriptors, sending, receiving and destroying in parallel, then
 * exiting with descriptors still in an epoll set: bounded, no splat, the
 * poll states are freed. */
struct racer {
	mach_port_name_t port;
};

enum { RACE_ROUNDS = 2000 };

static void *race_fds(void *arg)
{
	struct racer *r = arg;

	for (int i = 0; i < RACE_ROUNDS; i++) {
		int fd = -1;

		if (mach_port_get_fd(mach_task_self(), r->port, &fd) == KERN_SUCCESS) {
			poll_one(fd, 0);
			close(fd);
		}
	}
	return NULL;
}

static void *race_msgs(void *arg)
{
	struct racer *r = arg;

	for (int i = 0; i < RACE_ROUNDS; i++) {
		send_empty(r->port, 1);
		receive_one(r->port);
	}
	return NULL;
}

TEST(close_send_and_exit_races)
{
	long long states = machipc_stat("poll_fds");
	int status;
	pid_t kid;

	kid = fork();
	ASSERT_LE(0, kid);
	if (kid == 0) {
		struct racer r = { .port = MACH_PORT_NULL };
		pthread_t t[4];
		int i, epfd, fd = -1;

		CHILD_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(),
							  MACH_PORT_RIGHT_RECEIVE, &r.port));
		CHILD_EQ(KERN_SUCCESS, mach_port_get_fd(mach_task_self(), r.port, &fd));
		epfd = epoll_on(fd);
		CHILD_TRUE(epfd >= 0);
		for (i = 0; i < 4; i++)
			CHILD_TRUE(!pthread_create(&t[i], NULL, i % 2 ? race_msgs : race_fds, &r));
		for (i = 0; i < 4; i++)
			pthread_join(t[i], NULL);
		/* Exit with the port, its descriptor and the epoll set alive. */
		_exit(0);
	}
	ASSERT_EQ(kid, waitpid(kid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_TRUE(stat_returns_to("poll_fds", states));
}

TEST_HARNESS_MAIN
