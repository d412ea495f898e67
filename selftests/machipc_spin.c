// SPDX-License-Identifier: GPL-2.0
/*
 * The optional spin of a blocking receive (rcv_spin_us: a module parameter,
 * and root's debugfs file /sys/kernel/debug/machipc/rcv_spin_us; off by
 * default): a receive polls for its message for up to that many
 * microseconds before it sleeps, only while its CPU has nothing else to
 * run. The tests set it through debugfs and put it back to 0; they check
 * that messages still arrive whole, that timeouts and kills still end a
 * receive, that the value is cut at 1000 and that only root can set it.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mach/mach.h>
#include "kselftest_harness.h"
#include "machipc_util.h"

#define SPIN_FILE "/sys/kernel/debug/machipc/rcv_spin_us"

/* Writes `text` to the spin file: 0, or the errno of the failure. */
static int spin_write(const char *text)
{
	int fd = open(SPIN_FILE, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return errno;
	n = write(fd, text, strlen(text));
	if (n < 0) {
		int e = errno;

		close(fd);
		return e;
	}
	close(fd);
	return 0;
}

/* The spin file's value, or -1. */
static long spin_read(void)
{
	return read_number_file(SPIN_FILE);
}

static void pin_to(int cpu)
{
	cpu_set_t s;

	CPU_ZERO(&s);
	CPU_SET(cpu, &s);
	sched_setaffinity(0, sizeof(s), &s);
}

FIXTURE(spin) {
	mach_port_name_t port;
};

FIXTURE_SETUP(spin)
{
	if (access(SPIN_FILE, F_OK))
		SKIP(return, "no %s (not root, no debugfs, or an older module)", SPIN_FILE);
	ASSERT_EQ(0, spin_write("1000"));
	self->port = new_send_receive(_metadata, 1);
}

FIXTURE_TEARDOWN(spin)
{
	spin_write("0");
	if (self->port)
		mach_port_destroy(mach_task_self(), self->port);
}

struct sender {
	mach_port_name_t port;
	int count, cpu;
};

/* Sends `count` messages with ids 1..count, each after a short pause so
 * that the receiver is waiting (spinning) when it comes. */
static void *send_ids(void *arg)
{
	struct sender *s = arg;
	int i;

	pin_to(s->cpu);
	for (i = 1; i <= s->count; i++) {
		struct {
			mach_msg_header_t h;
			uint32_t payload[8];
		} m = { .h = { .msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
			       .msgh_size = sizeof(m),
			       .msgh_remote_port = s->port,
			       .msgh_id = i } };

		memset(m.payload, i & 0xff, sizeof(m.payload));
		usleep(100);
		if (mach_msg(&m.h, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL))
			break;
	}
	return NULL;
}

TEST_F(spin, receive_while_spinning_gets_every_message_of_a_peer_on_another_cpu)
{
	struct sender s = { self->port, 200, 1 };
	pthread_t th;
	int i, j;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "one CPU");
	pin_to(0);
	ASSERT_EQ(0, pthread_create(&th, NULL, send_ids, &s));
	for (i = 1; i <= s.count; i++) {
		struct {
			mach_msg_header_t h;
			uint32_t payload[8];
			mach_msg_max_trailer_t t;
		} r;

		memset(&r, 0, sizeof(r));
		ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&r.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
						     sizeof(r), self->port, WAIT_MS,
						     MACH_PORT_NULL));
		ASSERT_EQ(i, r.h.msgh_id);
		for (j = 0; j < 8; j++)
			ASSERT_EQ((uint32_t)(i & 0xff) * 0x01010101U, r.payload[j]);
	}
	pthread_join(th, NULL);
}

TEST_F(spin, receive_with_a_timeout_still_times_out)
{
	mach_msg_header_t h;

	ASSERT_EQ(MACH_RCV_TIMED_OUT,
		  mach_msg(&h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(h), self->port, 20,
			   MACH_PORT_NULL));
	ASSERT_EQ(MACH_RCV_TIMED_OUT,
		  mach_msg(&h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(h), self->port, 0,
			   MACH_PORT_NULL));
}

/* A receiver on an empty port, killed as soon as it is about to receive
 * (while it spins, most likely), or once it sleeps (after its spin). */
static void kill_receiver(struct __test_metadata *_metadata, bool asleep)
{
	int ready[2], status;
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe(ready));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		mach_port_name_t p;
		mach_msg_header_t h;

		close(ready[0]);
		if (sysconf(_SC_NPROCESSORS_ONLN) > 1)
			pin_to(1);
		if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p))
			_exit(2);
		if (write(ready[1], "r", 1) != 1)
			_exit(3);
		/* Nothing is ever sent: it spins, then sleeps, until killed. */
		for (;;)
			mach_msg(&h, MACH_RCV_MSG, 0, sizeof(h), p, 0, MACH_PORT_NULL);
	}
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	close(ready[0]);
	if (asleep)
		ASSERT_TRUE(wait_process_blocked_in(pid, __NR_ioctl));
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFSIGNALED(status));
	ASSERT_EQ(SIGKILL, WTERMSIG(status));
}

TEST_F(spin, sigkill_ends_a_receiver_that_spins)
{
	kill_receiver(_metadata, false);
}

TEST_F(spin, receiver_that_spun_sleeps_and_sigkill_ends_it)
{
	kill_receiver(_metadata, true);
}

TEST_F(spin, rcv_spin_us_is_cut_at_1000_and_takes_only_a_number)
{
	ASSERT_EQ(0, spin_write("5000\n"));
	ASSERT_EQ(1000, spin_read());
	ASSERT_EQ(0, spin_write("250"));
	ASSERT_EQ(250, spin_read());
	ASSERT_EQ(EINVAL, spin_write("fast"));
	ASSERT_EQ(EINVAL, spin_write("-1"));
	ASSERT_EQ(EINVAL, spin_write("123456789012345678901234567890"));
	ASSERT_EQ(250, spin_read());
}

TEST(rcv_spin_us_cannot_be_set_by_another_user)
{
	pid_t pid;
	int status;

	if (access(SPIN_FILE, F_OK) || geteuid() != 0)
		SKIP(return, "needs root and %s", SPIN_FILE);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		CHILD_BECOME_NOBODY();
		CHILD_TRUE(spin_write("1000") != 0);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(0, spin_read());
}

TEST_HARNESS_MAIN
