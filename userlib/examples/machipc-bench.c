// SPDX-License-Identifier: MIT
/*
 * machipc-bench: round trip of a 64-byte message between two processes,
 * Mach (one mach_msg send+receive call per hop) side by side with pipe,
 * unix-socket and futex ping-pong, run in the same guest at the same time
 * so the figures compare as ratios.
 *
 *   machipc-bench [round trips per run] [runs]
 */
#include <errno.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>

#define MSG_BYTES 64

typedef struct {
	mach_msg_header_t h;
	char payload[MSG_BYTES - sizeof(mach_msg_header_t)];
} ping_t;

typedef struct {
	ping_t m;
	mach_msg_trailer_t t;
} ping_rcv_t;

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void die(const char *what)
{
	perror(what);
	exit(2);
}

/* One hop: send to `to`, then wait for the next message on `on`. */
static kern_return_t mach_hop(ping_rcv_t *buf, mach_port_t to, mach_port_t on, int send,
			      int recv)
{
	mach_msg_option_t opt = (send ? MACH_SEND_MSG : 0) | (recv ? MACH_RCV_MSG : 0);

	buf->m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	buf->m.h.msgh_size = sizeof(buf->m);
	buf->m.h.msgh_remote_port = to;
	buf->m.h.msgh_local_port = MACH_PORT_NULL;
	buf->m.h.msgh_id = 1;
	return mach_msg(&buf->m.h, opt, send ? sizeof(buf->m) : 0, recv ? sizeof(*buf) : 0, on,
			MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

static double bench_mach(long n)
{
	mach_port_t mine, peer_port;
	ping_rcv_t buf = { 0 };
	double t0, t1;
	pid_t kid;
	long i;

	/* Parent's port, shared through the bootstrap port. */
	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &mine) ||
	    mach_port_insert_right(mach_task_self(), mine, mine, MACH_MSG_TYPE_MAKE_SEND) ||
	    task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, mine))
		die("mach setup");
	kid = fork();
	if (kid == 0) {
		mach_port_t kport, parent = bootstrap_port;
		struct {
			mach_msg_header_t h;
			mach_msg_body_t b;
			mach_msg_port_descriptor_t p;
		} hello = { 0 };

		if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &kport))
			_exit(3);
		/* Give the parent a send right to our port. */
		hello.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
		hello.h.msgh_size = sizeof(hello);
		hello.h.msgh_remote_port = parent;
		hello.b.msgh_descriptor_count = 1;
		hello.p.name = kport;
		hello.p.disposition = MACH_MSG_TYPE_MAKE_SEND;
		hello.p.type = MACH_MSG_PORT_DESCRIPTOR;
		if (mach_msg(&hello.h, MACH_SEND_MSG, sizeof(hello), 0, 0, 0, 0))
			_exit(4);
		if (mach_hop(&buf, MACH_PORT_NULL, kport, 0, 1))
			_exit(5);
		for (i = 0; i < n - 1; i++)
			if (mach_hop(&buf, parent, kport, 1, 1))
				_exit(6);
		if (mach_hop(&buf, parent, kport, 1, 0))
			_exit(7);
		_exit(0);
	}
	{
		struct {
			mach_msg_header_t h;
			mach_msg_body_t b;
			mach_msg_port_descriptor_t p;
			mach_msg_trailer_t t;
		} hello = { 0 };

		if (mach_msg(&hello.h, MACH_RCV_MSG, 0, sizeof(hello), mine, 0, 0))
			die("hello");
		peer_port = hello.p.name;
	}
	t0 = now_us();
	for (i = 0; i < n; i++)
		if (mach_hop(&buf, peer_port, mine, 1, 1))
			die("mach ping");
	t1 = now_us();
	waitpid(kid, NULL, 0);
	mach_port_deallocate(mach_task_self(), peer_port);
	mach_port_mod_refs(mach_task_self(), mine, MACH_PORT_RIGHT_RECEIVE, -1);
	return (t1 - t0) / n;
}

/* Ping-pong over two one-way channels (pipes or a socketpair). */
static double bench_fds(long n, int a_rd, int a_wr, int b_rd, int b_wr)
{
	char buf[MSG_BYTES] = { 0 };
	double t0, t1;
	pid_t kid = fork();
	long i;

	if (kid == 0) {
		for (i = 0; i < n; i++)
			if (read(b_rd, buf, sizeof(buf)) != sizeof(buf) ||
			    write(a_wr, buf, sizeof(buf)) != sizeof(buf))
				_exit(1);
		_exit(0);
	}
	t0 = now_us();
	for (i = 0; i < n; i++)
		if (write(b_wr, buf, sizeof(buf)) != sizeof(buf) ||
		    read(a_rd, buf, sizeof(buf)) != sizeof(buf))
			die("fd ping");
	t1 = now_us();
	waitpid(kid, NULL, 0);
	return (t1 - t0) / n;
}

static double bench_pipe(long n)
{
	int a[2], b[2];
	double r;

	if (pipe(a) || pipe(b))
		die("pipe");
	r = bench_fds(n, a[0], a[1], b[0], b[1]);
	close(a[0]), close(a[1]), close(b[0]), close(b[1]);
	return r;
}

static double bench_unix(long n)
{
	int sv[2];
	double r;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		die("socketpair");
	r = bench_fds(n, sv[0], sv[1], sv[1], sv[0]);
	close(sv[0]), close(sv[1]);
	return r;
}

static void futex_wait(atomic_int *f, int val)
{
	while (atomic_load(f) == val)
		syscall(SYS_futex, f, FUTEX_WAIT, val, NULL, NULL, 0);
}

static void futex_wake(atomic_int *f)
{
	syscall(SYS_futex, f, FUTEX_WAKE, 1, NULL, NULL, 0);
}

static double bench_futex(long n)
{
	atomic_int *turn = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
				-1, 0);
	double t0, t1;
	pid_t kid;
	long i;

	if (turn == MAP_FAILED)
		die("mmap");
	atomic_store(turn, 0);
	kid = fork();
	if (kid == 0) {
		for (i = 0; i < n; i++) {
			futex_wait(turn, 0);
			atomic_store(turn, 0);
			futex_wake(turn);
		}
		_exit(0);
	}
	t0 = now_us();
	for (i = 0; i < n; i++) {
		atomic_store(turn, 1);
		futex_wake(turn);
		futex_wait(turn, 1);
	}
	t1 = now_us();
	waitpid(kid, NULL, 0);
	munmap(turn, 4096);
	return (t1 - t0) / n;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 20000;
	int runs = argc > 2 ? atoi(argv[2]) : 5, r, k;
	const char *names[] = { "mach_msg", "pipe", "unix socket", "futex" };
	double (*fns[])(long) = { bench_mach, bench_pipe, bench_unix, bench_futex };
	double res[4][32], med[4];

	if (runs > 32)
		runs = 32;
	printf("machipc-bench: 64-byte round trip between two processes, %ld round trips x %d runs\n"
	       "(the runs of the four methods are interleaved, so they share the machine's noise)\n\n",
	       n, runs);
	for (r = 0; r < runs; r++)
		for (k = 0; k < 4; k++)
			res[k][r] = fns[k](n);
	for (k = 0; k < 4; k++) {
		qsort(res[k], runs, sizeof(double), cmp);
		med[k] = res[k][runs / 2];
	}
	printf("%-12s %12s %12s %12s %16s\n", "method", "median us", "min us", "max us",
	       "mach_msg / this");
	for (k = 0; k < 4; k++)
		printf("%-12s %12.2f %12.2f %12.2f %16.2f\n", names[k], med[k], res[k][0],
		       res[k][runs - 1], med[0] / med[k]);
	printf("\nBENCH mach_us=%.2f pipe_us=%.2f unix_us=%.2f futex_us=%.2f "
	       "mach_vs_pipe=%.2f mach_vs_unix=%.2f mach_vs_futex=%.2f\n",
	       med[0], med[1], med[2], med[3], med[0] / med[1], med[0] / med[2], med[0] / med[3]);
	return 0;
}
