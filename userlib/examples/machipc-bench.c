// SPDX-License-Identifier: MIT
/*
 * machipc-bench: where machipc stands against the kernel's other IPC, every
 * figure taken in the same run of the same guest so that they compare as
 * ratios (see docs/benchmarks.md).
 *
 *   ladder  the cost ladder: a bare syscall, a bare ioctl on /dev/mach, a
 *           cheap port call, one process sending to its own port and
 *           receiving (24 B .. 4 KiB, against pipe and unix-socket
 *           write+read), then two-process round trips of 64 bytes for
 *           mach_msg, pipe, unix socket, futex, Mach semaphores and
 *           Binder, each unpinned, both on one CPU and on two CPUs, with
 *           context switches per round trip;
 *   tput    one server thread, 1/4/16 client processes doing 64-byte
 *           request/reply (XNU's MPMMtest shape): mach_msg, unix socket,
 *           Binder;
 *   ool     out-of-line payloads of 4 KiB .. 16 MiB from one process to
 *           another, against a pipe and a unix socket moving the same bytes;
 *   scale   round trip and name lookups with 10 .. 100k ports in the space;
 *   mem     kernel memory per idle port and per queued 64-byte message,
 *           and mach_port_allocate / deallocate rates.
 *
 * Lines starting with "DAT " are the data of the plots (scripts/bench.sh
 * turns them into PNGs), "GOAL " lines compare with the goals of issue 11,
 * and the last line, "BENCH ...", sums up the headline figures.
 *
 * Binder needs /dev/binderfs/binder (mount -t binder binder /dev/binderfs);
 * without it the Binder rows say n/a.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/android/binder.h>
#include <linux/futex.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <dirent.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>
#include <machipc/machipc.h>
#include <machipc.h>

#include <mach/semaphore.h>
#include <mach/sync_policy.h>

#define MSG_BYTES 64
#define MAX_INLINE 4096
#define MAX_RUNS 64
#define MAX_CLIENTS 64
#define BINDER_DEVICE "/dev/binderfs/binder"
#define BINDER_MAP_SIZE (1 << 20)

/* Parameters (options); the defaults take about 8 minutes of TCG on a quiet
 * 2-core machine. */
static struct {
	long rt;	/* -n: two-process round trips per run */
	int runs;	/* -r: runs of every ladder and scale figure */
	long ops;	/* -l: one-process operations per run */
	long tput;	/* -t: requests per throughput run, over all clients */
	int tput_runs;	/* -T */
	long ool_bytes; /* -b: bytes moved per size and run */
	int ool_runs;	/* -B */
	long max_ports; /* -p: the largest space of the scale and mem sections */
	long queued;	/* -q: queued messages for the memory figure */
	const char *sections; /* -s */
} P = { 10000, 7, 20000, 20000, 5, 32L << 20, 5, 100000, 50000,
	"ladder,tput,ool,scale,mem" };

/* Shared with the children (MAP_SHARED). */
struct shared {
	atomic_int turn;	/* futex ping-pong word */
	long child_cs;		/* the child's context switches over its loop */
	double t_end[MAX_CLIENTS]; /* throughput: when each client finished */
};
static struct shared *sh;

static cpu_set_t all_cpus;
static int ncpus;
static const char *cur_step = "start";

/* ---------------------------------------------------------------------- */
/* Helpers                                                                */

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* Ends the children of a failed benchmark (they may be blocked on us). */
static void end_children(void)
{
	signal(SIGTERM, SIG_IGN);
	kill(0, SIGTERM);
}

static void die(const char *what)
{
	end_children();
	fprintf(stderr, "machipc-bench: %s: %s (step: %s)\n", what, strerror(errno), cur_step);
	exit(2);
}

static void die_kr(const char *what, kern_return_t kr)
{
	end_children();
	fprintf(stderr, "machipc-bench: %s: %s (0x%x, step: %s)\n", what, mach_error_string(kr),
		kr, cur_step);
	exit(2);
}

/* In a child: report and leave without flushing the parent's stdio. */
static void cdie(const char *what, long code)
{
	fprintf(stderr, "machipc-bench child: %s failed (%ld, errno %d, step: %s)\n", what, code,
		errno, cur_step);
	_exit(3);
}

static void on_alarm(int sig)
{
	static const char m1[] = "\nmachipc-bench: TIMEOUT in step ";

	(void)sig;
	if (write(2, m1, sizeof(m1) - 1) < 0 || write(2, cur_step, strlen(cur_step)) < 0 ||
	    write(2, "\n", 1) < 0)
		_exit(4);
	/* We lead our own process group: this ends the children too. */
	kill(0, SIGKILL);
	_exit(4);
}

/* Names the current step; a step that hangs ends the benchmark. */
static void step(const char *name)
{
	cur_step = name;
	alarm(300);
}

static int section(const char *name)
{
	size_t n = strlen(name);
	const char *s = P.sections;

	while ((s = strstr(s, name))) {
		if ((s == P.sections || s[-1] == ',') && (s[n] == 0 || s[n] == ','))
			return 1;
		s += n;
	}
	return 0;
}

/* Runs on `cpu`, or anywhere for -1. */
static void pin(int cpu)
{
	cpu_set_t s;

	if (cpu < 0) {
		s = all_cpus;
	} else {
		CPU_ZERO(&s);
		CPU_SET(cpu, &s);
	}
	if (sched_setaffinity(0, sizeof(s), &s))
		die("sched_setaffinity");
}

/* Placements of the two processes of a round trip. */
enum { UNPINNED, ONE_CPU, TWO_CPUS, NPLACE };
static const char *const place_name[NPLACE] = { "unpinned", "one CPU", "two CPUs" };

static int parent_cpu(int pl)
{
	return pl == UNPINNED ? -1 : 0;
}

static int child_cpu(int pl)
{
	return pl == UNPINNED ? -1 : pl == ONE_CPU ? 0 : 1;
}

static long csw(void)
{
	struct rusage u;

	getrusage(RUSAGE_SELF, &u);
	return u.ru_nvcsw + u.ru_nivcsw;
}

/* fork, with stdio flushed first; the child runs on `cpu` (-1: anywhere). */
static pid_t fork_on(int cpu)
{
	pid_t kid;

	fflush(stdout);
	fflush(stderr);
	kid = fork();
	if (kid < 0)
		die("fork");
	if (kid == 0) {
		cur_step = "child";
		pin(cpu);
	}
	return kid;
}

static void reap(pid_t kid)
{
	int st;

	if (waitpid(kid, &st, 0) < 0)
		die("waitpid");
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		end_children();
		fprintf(stderr, "machipc-bench: child failed (status 0x%x, step: %s)\n", st,
			cur_step);
		exit(2);
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct stat3 {
	double med, min, max;
};

/* Median, min and max of v[0..n) (NaN entries, failed runs, are left out). */
static struct stat3 stats(const double *v, int n)
{
	double s[MAX_RUNS];
	struct stat3 r = { NAN, NAN, NAN };
	int k = 0, i;

	for (i = 0; i < n; i++)
		if (!isnan(v[i]))
			s[k++] = v[i];
	if (!k)
		return r;
	qsort(s, k, sizeof(double), cmp_double);
	r.min = s[0];
	r.max = s[k - 1];
	r.med = k % 2 ? s[k / 2] : (s[k / 2 - 1] + s[k / 2]) / 2;
	return r;
}

static void settle(void)
{
	usleep(300 * 1000);
}

struct mem {
	long free_kb, slab_kb, sunreclaim_kb, vmalloc_kb;
};

static struct mem meminfo(void)
{
	struct mem m = { 0, 0, 0, 0 };
	char line[128];
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		die("/proc/meminfo");
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "MemFree: %ld", &m.free_kb);
		sscanf(line, "Slab: %ld", &m.slab_kb);
		sscanf(line, "SUnreclaim: %ld", &m.sunreclaim_kb);
		sscanf(line, "VmallocUsed: %ld", &m.vmalloc_kb);
	}
	fclose(f);
	return m;
}

static void print_module_params(void)
{
	const char *dir = "/sys/module/machipc/parameters";
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[300], val[64];

	printf("module parameters:");
	if (!d) {
		/* Rust modules do not export their parameters in sysfs. */
		const char *env = getenv("BENCH_MODULE_PARAMS");

		printf(" %s (as given to insmod)\n", env && *env ? env : "defaults");
		return;
	}
	while ((e = readdir(d))) {
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		f = fopen(path, "r");
		if (f && fgets(val, sizeof(val), f)) {
			val[strcspn(val, "\n")] = 0;
			printf(" %s=%s", e->d_name, val);
		}
		if (f)
			fclose(f);
	}
	closedir(d);
	printf("\n");
}

static int read_full(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t r = read(fd, p, len);

		if (r <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			return -1;
		}
		p += r;
		len -= r;
	}
	return 0;
}

static int write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t r = write(fd, p, len);

		if (r <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			return -1;
		}
		p += r;
		len -= r;
	}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Mach                                                                   */

typedef union {
	mach_msg_header_t h;
	char bytes[MAX_INLINE + sizeof(mach_msg_max_trailer_t)];
} msgbuf_t;

#pragma pack(push, 4)
typedef struct {
	mach_msg_header_t h;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t port;
} port_msg_t;

typedef struct {
	port_msg_t m;
	mach_msg_max_trailer_t t;
} port_rcv_t;

typedef struct {
	mach_msg_header_t h;
	mach_msg_body_t body;
	mach_msg_ool_descriptor_t ool;
} ool_msg_t;

typedef struct {
	ool_msg_t m;
	mach_msg_max_trailer_t t;
} ool_rcv_t;
#pragma pack(pop)

/* A new receive right with a send right under the same name. */
static mach_port_t new_port(void)
{
	mach_port_t p;
	kern_return_t kr;

	kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p);
	if (!kr)
		kr = mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND);
	if (kr)
		die_kr("mach port", kr);
	return p;
}

/* A port our children reach as their bootstrap port (they inherit it). */
static mach_port_t rendezvous(void)
{
	mach_port_t p = new_port();
	kern_return_t kr = task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, p);

	if (kr)
		die_kr("task_set_special_port", kr);
	return p;
}

/* Sends a send right to `port` in a port descriptor to `to`. */
static kern_return_t send_port(mach_port_t to, mach_port_t port)
{
	port_msg_t m;

	memset(&m, 0, sizeof(m));
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	m.h.msgh_size = sizeof(m);
	m.h.msgh_remote_port = to;
	m.h.msgh_id = 1;
	m.body.msgh_descriptor_count = 1;
	m.port.name = port;
	m.port.disposition = MACH_MSG_TYPE_MAKE_SEND;
	m.port.type = MACH_MSG_PORT_DESCRIPTOR;
	return mach_msg(&m.h, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
			MACH_PORT_NULL);
}

/* Receives the port a child sent with send_port. */
static mach_port_t recv_port(mach_port_t on)
{
	port_rcv_t r;
	kern_return_t kr;

	kr = mach_msg(&r.m.h, MACH_RCV_MSG, 0, sizeof(r), on, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	if (kr)
		die_kr("receiving a port", kr);
	return r.m.port.name;
}

/* One RPC: a request of `size` bytes to `srv` with a send-once reply right
 * made from `reply`, and the reply received on `reply`, in one call. */
static kern_return_t mach_call(msgbuf_t *b, mach_port_t srv, mach_port_t reply,
			       mach_msg_size_t size)
{
	b->h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	b->h.msgh_size = size;
	b->h.msgh_remote_port = srv;
	b->h.msgh_local_port = reply;
	b->h.msgh_voucher_port = MACH_PORT_NULL;
	b->h.msgh_id = 100;
	return mach_msg(&b->h, MACH_SEND_MSG | MACH_RCV_MSG, size, size + MAX_TRAILER_SIZE, reply,
			MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

/* Serves `n` requests on `port`: each reply (same size) goes to the
 * request's send-once right, sent with the next receive in one call. */
static kern_return_t mach_serve(mach_port_t port, long n)
{
	msgbuf_t b;
	kern_return_t kr;
	long i;

	kr = mach_msg(&b.h, MACH_RCV_MSG, 0, sizeof(b), port, MACH_MSG_TIMEOUT_NONE,
		      MACH_PORT_NULL);
	for (i = 0; i < n && !kr; i++) {
		mach_msg_size_t size = b.h.msgh_size;
		int more = i + 1 < n;

		b.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
		b.h.msgh_local_port = MACH_PORT_NULL;
		kr = mach_msg(&b.h, MACH_SEND_MSG | (more ? MACH_RCV_MSG : 0), size,
			      more ? sizeof(b) : 0, port, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	}
	return kr;
}

/* ---------------------------------------------------------------------- */
/* Binder: a raw-ioctl client of the (Rust) Binder driver, written from   */
/* include/uapi/linux/android/binder.h. The server is the context manager */
/* (handle 0); a call is BC_TRANSACTION -> BR_TRANSACTION in the server ->*/
/* BC_REPLY -> BR_REPLY, each side freeing the buffers it received with   */
/* BC_FREE_BUFFER, as libbinder does.                                      */

struct bconn {
	int fd;
	void *map;
	size_t wlen;
	uint8_t w[256];		 /* commands not yet written */
	binder_uintptr_t reply_buf; /* client: the last reply's buffer, to free */
};

static int binder_available(void)
{
	return access(BINDER_DEVICE, R_OK | W_OK) == 0;
}

static void b_put(struct bconn *c, uint32_t cmd, const void *arg, size_t len)
{
	if (c->wlen + 4 + len > sizeof(c->w)) {
		fprintf(stderr, "machipc-bench: binder command buffer full\n");
		_exit(5);
	}
	memcpy(c->w + c->wlen, &cmd, 4);
	memcpy(c->w + c->wlen + 4, arg, len);
	c->wlen += 4 + len;
}

static int b_open(struct bconn *c)
{
	struct binder_version v;

	memset(c, 0, sizeof(*c));
	c->fd = open(BINDER_DEVICE, O_RDWR | O_CLOEXEC);
	if (c->fd < 0)
		return -1;
	if (ioctl(c->fd, BINDER_VERSION, &v) < 0 ||
	    v.protocol_version != BINDER_CURRENT_PROTOCOL_VERSION) {
		fprintf(stderr, "machipc-bench: binder protocol %d, expected %d\n",
			v.protocol_version, BINDER_CURRENT_PROTOCOL_VERSION);
		close(c->fd);
		return -1;
	}
	c->map = mmap(NULL, BINDER_MAP_SIZE, PROT_READ, MAP_PRIVATE, c->fd, 0);
	if (c->map == MAP_FAILED) {
		close(c->fd);
		return -1;
	}
	return 0;
}

static void b_close(struct bconn *c)
{
	munmap(c->map, BINDER_MAP_SIZE);
	close(c->fd);
}

/* One BINDER_WRITE_READ: writes the pending commands, reads up to `rsize`
 * bytes of returns into `rbuf` (none if 0); *got is what was read. */
static int b_io(struct bconn *c, void *rbuf, size_t rsize, size_t *got)
{
	struct binder_write_read bwr = {
		.write_size = c->wlen,
		.write_buffer = (binder_uintptr_t)(uintptr_t)c->w,
		.read_size = rsize,
		.read_buffer = (binder_uintptr_t)(uintptr_t)rbuf,
	};

	for (;;) {
		if (ioctl(c->fd, BINDER_WRITE_READ, &bwr) == 0)
			break;
		if (errno != EINTR)
			return -1;
		if (bwr.read_consumed)
			break;
		bwr.write_buffer += bwr.write_consumed;
		bwr.write_size -= bwr.write_consumed;
		bwr.write_consumed = 0;
	}
	c->wlen = 0;
	*got = bwr.read_consumed;
	return 0;
}

static int b_flush(struct bconn *c)
{
	size_t got;

	return c->wlen ? b_io(c, NULL, 0, &got) : 0;
}

/* Writes what is pending and reads until a `want` (BR_TRANSACTION or
 * BR_REPLY, filling *tr, or BR_TRANSACTION_COMPLETE) arrives, answering
 * reference-count requests on the way. */
static int b_wait(struct bconn *c, uint32_t want, struct binder_transaction_data *tr)
{
	uint32_t rbuf[128];
	int found = 0;

	while (!found) {
		size_t got, p = 0;

		if (b_io(c, rbuf, sizeof(rbuf), &got))
			return -1;
		while (p + 4 <= got) {
			uint32_t cmd;
			size_t sz;
			const uint8_t *arg;

			memcpy(&cmd, (uint8_t *)rbuf + p, 4);
			sz = _IOC_SIZE(cmd);
			arg = (uint8_t *)rbuf + p + 4;
			p += 4 + sz;
			if (p > got)
				return -1;
			switch (cmd) {
			case BR_TRANSACTION_COMPLETE:
				if (want == BR_TRANSACTION_COMPLETE)
					found = 1;
				break;
			case BR_NOOP:
			case BR_OK:
			case BR_SPAWN_LOOPER:
			case BR_RELEASE:
			case BR_DECREFS:
				break;
			case BR_INCREFS:
			case BR_ACQUIRE:
				b_put(c, cmd == BR_INCREFS ? BC_INCREFS_DONE : BC_ACQUIRE_DONE, arg,
				      sizeof(struct binder_ptr_cookie));
				break;
			case BR_TRANSACTION:
			case BR_REPLY:
				if (cmd != want || found)
					return -1;
				memcpy(tr, arg, sizeof(*tr));
				if (tr->flags & TF_STATUS_CODE)
					return -1;
				found = 1;
				break;
			default:
				fprintf(stderr, "machipc-bench: binder returned 0x%x\n", cmd);
				return -1;
			}
		}
	}
	return 0;
}

/* Client: one call of `len` bytes to the context manager, and its reply. */
static int b_call(struct bconn *c, const void *data, size_t len)
{
	struct binder_transaction_data tr, rep;

	if (c->reply_buf) {
		b_put(c, BC_FREE_BUFFER, &c->reply_buf, sizeof(c->reply_buf));
		c->reply_buf = 0;
	}
	memset(&tr, 0, sizeof(tr));
	tr.target.handle = 0;
	tr.code = 1;
	tr.data_size = len;
	tr.data.ptr.buffer = (binder_uintptr_t)(uintptr_t)data;
	b_put(c, BC_TRANSACTION, &tr, sizeof(tr));
	if (b_wait(c, BR_REPLY, &rep))
		return -1;
	c->reply_buf = rep.data.ptr.buffer;
	return rep.data_size == len ? 0 : -1;
}

/* Server: become the context manager (the previous one may still be being
 * released: EBUSY for a moment) and enter the looper. */
static int b_serve_open(struct bconn *c)
{
	int zero = 0, tries = 0;

	if (b_open(c))
		return -1;
	while (ioctl(c->fd, BINDER_SET_CONTEXT_MGR, &zero) < 0) {
		if (errno != EBUSY || ++tries > 5000) {
			b_close(c);
			return -1;
		}
		usleep(1000);
	}
	b_put(c, BC_ENTER_LOOPER, NULL, 0);
	return b_flush(c);
}

/* Server, after the last call: send the queued reply and wait for the
 * driver's TRANSACTION_COMPLETE for it (so that nothing is left
 * undelivered when the descriptor closes). */
static int b_serve_finish(struct bconn *c)
{
	return b_wait(c, BR_TRANSACTION_COMPLETE, NULL);
}

/* Server: receive one call and queue its reply (same size) and the
 * buffer's release; they go out with the next b_wait or b_flush. */
static int b_serve_one(struct bconn *c, const void *reply)
{
	struct binder_transaction_data tr, rep;

	if (b_wait(c, BR_TRANSACTION, &tr))
		return -1;
	b_put(c, BC_FREE_BUFFER, &tr.data.ptr.buffer, sizeof(tr.data.ptr.buffer));
	memset(&rep, 0, sizeof(rep));
	rep.code = tr.code;
	rep.data_size = tr.data_size <= MAX_INLINE ? tr.data_size : MAX_INLINE;
	rep.data.ptr.buffer = (binder_uintptr_t)(uintptr_t)reply;
	b_put(c, BC_REPLY, &rep, sizeof(rep));
	return 0;
}

/* ---------------------------------------------------------------------- */
/* The cost ladder, one process                                           */

static double per_op_getppid(long n)
{
	double t0 = now_us();
	long i;

	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	return (now_us() - t0) / n;
}

static double per_op_ioctl(long n)
{
	struct machipc_version v;
	int fd = machipc_fd();
	double t0;
	long i;

	if (fd < 0)
		die("/dev/mach");
	t0 = now_us();
	for (i = 0; i < n; i++) {
		v = (struct machipc_version){ .abi_version = MACHIPC_ABI_VERSION };
		if (ioctl(fd, MACHIPC_IOC_VERSION, &v))
			die("MACHIPC_IOC_VERSION");
	}
	return (now_us() - t0) / n;
}

static double per_op_type(long n, mach_port_t port)
{
	mach_port_type_t ty;
	double t0 = now_us();
	long i;

	for (i = 0; i < n; i++)
		if (mach_port_type(mach_task_self(), port, &ty))
			die("mach_port_type");
	return (now_us() - t0) / n;
}

/* One process sends `size` bytes to its own port and receives them, one
 * mach_msg(SEND|RCV) per operation. */
static double per_op_self_msg(long n, mach_port_t port, mach_msg_size_t size)
{
	msgbuf_t b;
	double t0;
	long i;
	kern_return_t kr;

	memset(&b, 0, sizeof(b));
	t0 = now_us();
	for (i = 0; i < n; i++) {
		b.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
		b.h.msgh_size = size;
		b.h.msgh_remote_port = port;
		b.h.msgh_local_port = MACH_PORT_NULL;
		b.h.msgh_id = 7;
		kr = mach_msg(&b.h, MACH_SEND_MSG | MACH_RCV_MSG, size, size + MAX_TRAILER_SIZE,
			      port, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		if (kr)
			die_kr("self send+receive", kr);
	}
	return (now_us() - t0) / n;
}

/* One process sends `size` bytes out of line to its own port, receives
 * them (a fresh mapping) and vm_deallocates them. */
static double per_op_self_ool(long n, mach_port_t port, size_t size)
{
	char *buf = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ool_rcv_t r;
	double t0;
	long i;

	if (buf == MAP_FAILED)
		die("mmap");
	memset(buf, 1, size);
	memset(&r, 0, sizeof(r));
	t0 = now_us();
	for (i = 0; i < n; i++) {
		kern_return_t kr;

		r.m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
		r.m.h.msgh_size = sizeof(r.m);
		r.m.h.msgh_remote_port = port;
		r.m.h.msgh_local_port = MACH_PORT_NULL;
		r.m.h.msgh_id = 8;
		r.m.body.msgh_descriptor_count = 1;
		r.m.ool.address = buf;
		r.m.ool.size = size;
		r.m.ool.deallocate = 0;
		r.m.ool.copy = MACH_MSG_VIRTUAL_COPY;
		r.m.ool.type = MACH_MSG_OOL_DESCRIPTOR;
		kr = mach_msg(&r.m.h, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(r.m), sizeof(r), port,
			      MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		if (kr)
			die_kr("self OOL send+receive", kr);
		vm_deallocate(mach_task_self(), (vm_address_t)r.m.ool.address, size);
	}
	t0 = (now_us() - t0) / n;
	munmap(buf, size);
	return t0;
}

/* The floor of receiving into a fresh mapping: mmap, write every page,
 * munmap. */
static double per_op_mmap(long n, size_t size)
{
	double t0 = now_us();
	long i;

	for (i = 0; i < n; i++) {
		char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		size_t off;

		if (p == MAP_FAILED)
			die("mmap");
		for (off = 0; off < size; off += 4096)
			p[off] = 1;
		munmap(p, size);
	}
	return (now_us() - t0) / n;
}

/* One process writes `size` bytes into `wr` and reads them from `rd`. */
static double per_op_self_fd(long n, int rd, int wr, size_t size)
{
	char buf[MAX_INLINE];
	double t0;
	long i;

	memset(buf, 0, sizeof(buf));
	t0 = now_us();
	for (i = 0; i < n; i++)
		if (write_full(wr, buf, size) || read_full(rd, buf, size))
			die("self write+read");
	return (now_us() - t0) / n;
}

/* ---------------------------------------------------------------------- */
/* The cost ladder, two processes: 64-byte round trips                    */

struct rt_res {
	double us; /* per round trip */
	double cs; /* context switches (both processes) per round trip */
};

static void rt_finish(struct rt_res *res, long n, double t0, double t1, long cs0, long cs1)
{
	res->us = (t1 - t0) / n;
	res->cs = (double)(cs1 - cs0 + sh->child_cs) / n;
	pin(-1);
}

/* mach_msg, RPC shape (what MIG clients and servers do): the client sends
 * with COPY_SEND and a MAKE_SEND_ONCE reply right and receives the reply
 * in the same call; the server replies with MOVE_SEND_ONCE and receives
 * the next request in the same call. */
static int rt_mach(long n, int pl, struct rt_res *res)
{
	mach_port_t mine = rendezvous(), srv;
	msgbuf_t b;
	double t0, t1;
	long cs0, cs1, i;
	pid_t kid;

	pin(parent_cpu(pl));
	kid = fork_on(child_cpu(pl));
	if (kid == 0) {
		mach_port_t port;
		kern_return_t kr;
		long c0;

		kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port);
		if (!kr)
			kr = send_port(bootstrap_port, port);
		if (kr)
			cdie("mach server setup", kr);
		c0 = csw();
		kr = mach_serve(port, n);
		if (kr)
			cdie("mach_serve", kr);
		sh->child_cs = csw() - c0;
		_exit(0);
	}
	srv = recv_port(mine);
	memset(&b, 0, sizeof(b));
	cs0 = csw();
	t0 = now_us();
	for (i = 0; i < n; i++) {
		kern_return_t kr = mach_call(&b, srv, mine, MSG_BYTES);

		if (kr)
			die_kr("mach_call", kr);
	}
	t1 = now_us();
	cs1 = csw();
	reap(kid);
	mach_port_deallocate(mach_task_self(), srv);
	mach_port_destroy(mach_task_self(), mine);
	rt_finish(res, n, t0, t1, cs0, cs1);
	return 0;
}

/* Ping-pong over two one-way channels (pipes or a socketpair). */
static int rt_fds(long n, int pl, struct rt_res *res, int a_rd, int a_wr, int b_rd, int b_wr)
{
	char buf[MSG_BYTES] = { 0 };
	double t0, t1;
	long cs0, cs1, i;
	pid_t kid;

	pin(parent_cpu(pl));
	kid = fork_on(child_cpu(pl));
	if (kid == 0) {
		long c0 = csw();

		for (i = 0; i < n; i++)
			if (read_full(b_rd, buf, sizeof(buf)) || write_full(a_wr, buf, sizeof(buf)))
				cdie("fd pong", i);
		sh->child_cs = csw() - c0;
		_exit(0);
	}
	cs0 = csw();
	t0 = now_us();
	for (i = 0; i < n; i++)
		if (write_full(b_wr, buf, sizeof(buf)) || read_full(a_rd, buf, sizeof(buf)))
			die("fd ping");
	t1 = now_us();
	cs1 = csw();
	reap(kid);
	rt_finish(res, n, t0, t1, cs0, cs1);
	return 0;
}

static int rt_pipe(long n, int pl, struct rt_res *res)
{
	int a[2], b[2], r;

	if (pipe(a) || pipe(b))
		die("pipe");
	r = rt_fds(n, pl, res, a[0], a[1], b[0], b[1]);
	close(a[0]), close(a[1]), close(b[0]), close(b[1]);
	return r;
}

static int rt_unix(long n, int pl, struct rt_res *res)
{
	int sv[2], r;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		die("socketpair");
	r = rt_fds(n, pl, res, sv[0], sv[1], sv[1], sv[0]);
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

/* A shared word, FUTEX_WAIT / FUTEX_WAKE ping-pong: the floor of any
 * blocking IPC (no data moves). */
static int rt_futex(long n, int pl, struct rt_res *res)
{
	atomic_int *turn = &sh->turn;
	double t0, t1;
	long cs0, cs1, i;
	pid_t kid;

	atomic_store(turn, 0);
	pin(parent_cpu(pl));
	kid = fork_on(child_cpu(pl));
	if (kid == 0) {
		long c0 = csw();

		for (i = 0; i < n; i++) {
			futex_wait(turn, 0);
			atomic_store(turn, 0);
			futex_wake(turn);
		}
		sh->child_cs = csw() - c0;
		_exit(0);
	}
	cs0 = csw();
	t0 = now_us();
	for (i = 0; i < n; i++) {
		atomic_store(turn, 1);
		futex_wake(turn);
		futex_wait(turn, 1);
	}
	t1 = now_us();
	cs1 = csw();
	reap(kid);
	rt_finish(res, n, t0, t1, cs0, cs1);
	return 0;
}

/* Binder: the child is the context manager, the parent calls it. */
static int rt_binder(long n, int pl, struct rt_res *res)
{
	char data[MSG_BYTES] = { 0 }, ok;
	struct bconn c;
	double t0, t1;
	long cs0, cs1, i;
	int ready[2];
	pid_t kid;

	if (!binder_available())
		return -1;
	if (pipe(ready))
		die("pipe");
	pin(parent_cpu(pl));
	kid = fork_on(child_cpu(pl));
	if (kid == 0) {
		struct bconn s;
		long c0;

		close(ready[0]);
		if (b_serve_open(&s))
			cdie("binder context manager", errno);
		ok = 1;
		if (write_full(ready[1], &ok, 1))
			cdie("ready", 0);
		c0 = csw();
		for (i = 0; i < n; i++)
			if (b_serve_one(&s, data))
				cdie("binder serve", i);
		if (b_serve_finish(&s))
			cdie("binder finish", 0);
		sh->child_cs = csw() - c0;
		b_close(&s);
		_exit(0);
	}
	close(ready[1]);
	if (read_full(ready[0], &ok, 1))
		die("binder server did not start");
	close(ready[0]);
	if (b_open(&c))
		die("binder open");
	cs0 = csw();
	t0 = now_us();
	for (i = 0; i < n; i++)
		if (b_call(&c, data, sizeof(data)))
			die("binder call");
	t1 = now_us();
	cs1 = csw();
	if (c.reply_buf) {
		b_put(&c, BC_FREE_BUFFER, &c.reply_buf, sizeof(c.reply_buf));
		b_flush(&c);
	}
	reap(kid);
	b_close(&c);
	rt_finish(res, n, t0, t1, cs0, cs1);
	return 0;
}

/*
 * Mach semaphore ping-pong between two tasks, the semaphore counterpart of
 * rt_futex. The parent creates two semaphores and hands their ports to the
 * child in the reply to the child's hello; each hop is semaphore_signal on
 * the peer's semaphore and semaphore_wait on one's own.
 */
static int rt_semaphore(long n, int pl, struct rt_res *res)
{
	mach_port_t mine = rendezvous();
	semaphore_t ping, pong;
	double t0, t1;
	long cs0, cs1, i;
	kern_return_t kr;
	pid_t kid;
	struct {
		mach_msg_header_t h;
		mach_msg_body_t body;
		mach_msg_port_descriptor_t sem[2];
		mach_msg_max_trailer_t t;
	} m;

	if (semaphore_create(mach_task_self(), &ping, SYNC_POLICY_FIFO, 0) ||
	    semaphore_create(mach_task_self(), &pong, SYNC_POLICY_FIFO, 0))
		die("semaphore_create");
	pin(parent_cpu(pl));
	kid = fork_on(child_cpu(pl));
	if (kid == 0) {
		mach_port_t reply;
		long c0;

		if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &reply))
			cdie("reply port", 0);
		memset(&m, 0, sizeof(m));
		m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
		m.h.msgh_size = sizeof(mach_msg_header_t);
		m.h.msgh_remote_port = bootstrap_port;
		m.h.msgh_local_port = reply;
		kr = mach_msg(&m.h, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(mach_msg_header_t),
			      sizeof(m), reply, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		if (kr)
			cdie("semaphore hello", kr);
		c0 = csw();
		for (i = 0; i < n; i++)
			if (semaphore_wait(m.sem[0].name) || semaphore_signal(m.sem[1].name))
				cdie("semaphore pong", i);
		sh->child_cs = csw() - c0;
		_exit(0);
	}
	kr = mach_msg(&m.h, MACH_RCV_MSG, 0, sizeof(m), mine, MACH_MSG_TIMEOUT_NONE,
		      MACH_PORT_NULL);
	if (kr)
		die_kr("semaphore hello", kr);
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0) | MACH_MSGH_BITS_COMPLEX;
	m.h.msgh_size = sizeof(m) - sizeof(m.t);
	m.h.msgh_local_port = MACH_PORT_NULL;
	m.body.msgh_descriptor_count = 2;
	m.sem[0].name = ping;
	m.sem[1].name = pong;
	for (i = 0; i < 2; i++) {
		m.sem[i].disposition = MACH_MSG_TYPE_COPY_SEND;
		m.sem[i].type = MACH_MSG_PORT_DESCRIPTOR;
	}
	kr = mach_msg(&m.h, MACH_SEND_MSG, m.h.msgh_size, 0, MACH_PORT_NULL,
		      MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	if (kr)
		die_kr("semaphore handoff", kr);
	cs0 = csw();
	t0 = now_us();
	for (i = 0; i < n; i++)
		if (semaphore_signal(ping) || semaphore_wait(pong))
			die("semaphore ping");
	t1 = now_us();
	cs1 = csw();
	reap(kid);
	semaphore_destroy(mach_task_self(), ping);
	semaphore_destroy(mach_task_self(), pong);
	mach_port_destroy(mach_task_self(), mine);
	rt_finish(res, n, t0, t1, cs0, cs1);
	return 0;
}

struct rt_method {
	const char *name, *tok;
	int (*fn)(long n, int pl, struct rt_res *res);
};

static const struct rt_method rt_methods[] = {
	{ "mach_msg", "mach_msg", rt_mach },
	{ "pipe", "pipe", rt_pipe },
	{ "unix socket", "unix", rt_unix },
	{ "futex", "futex", rt_futex },
	{ "semaphore", "semaphore", rt_semaphore },
	{ "Binder", "binder", rt_binder },
};
#define NMETHODS ((int)(sizeof(rt_methods) / sizeof(rt_methods[0])))

static int rt_index(const char *tok)
{
	int k;

	for (k = 0; k < NMETHODS; k++)
		if (!strcmp(rt_methods[k].tok, tok))
			return k;
	return 0;
}

/* Headline figures, for the GOAL and BENCH lines. */
static struct {
	double self64_mach, self64_pipe;
	double rt[NMETHODS][NPLACE];
	double tput4_mach, tput4_unix;
	double ool1m_mach, ool1m_pipe;
	double scale_first_rt, scale_last_rt, scale_first_type, scale_last_type;
	double scale_first_self, scale_last_self;
	long scale_first, scale_last;
	double port_bytes, msg_bytes;
	double spin_rt[3][NPLACE]; /* mach_msg, pipe, futex with rcv_spin_us */
} H;

static void fmt(char *out, size_t len, double v, const char *f)
{
	if (isnan(v))
		snprintf(out, len, "n/a");
	else
		snprintf(out, len, f, v);
}

/* A row of the one-process ladder, and its DAT line. */
static void print_op(const char *label, const double *v)
{
	struct stat3 st = stats(v, P.runs);

	printf("%-44s %10.3f %10.3f %10.3f\n", label, st.med, st.min, st.max);
	printf("DAT op \"%s\" %.3f %.3f %.3f\n", label, st.med, st.min, st.max);
}

static void bench_ladder(void)
{
	static const mach_msg_size_t sizes[] = { 24, 64, 1024, 4096 };
	enum { NSIZES = 4 };
	double getppid_v[MAX_RUNS], ioctl_v[MAX_RUNS], type_v[MAX_RUNS], ool_v[MAX_RUNS],
		mmap_v[MAX_RUNS];
	double self_v[3][NSIZES][MAX_RUNS];
	static double rt_us[NMETHODS][NPLACE][MAX_RUNS], rt_cs[NMETHODS][NPLACE][MAX_RUNS];
	mach_port_t port = new_port();
	int p[2], sv[2], r, k, s, pl;
	char a[32], b[32], c[32];
	struct stat3 st;

	if (pipe(p) || socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		die("pipe");
	printf("== cost ladder: one process, %ld operations x %d runs (us per operation)\n",
	       P.ops, P.runs);
	step("ladder: one process");
	for (r = 0; r < P.runs; r++) {
		getppid_v[r] = per_op_getppid(P.ops);
		ioctl_v[r] = per_op_ioctl(P.ops);
		type_v[r] = per_op_type(P.ops, port);
		ool_v[r] = per_op_self_ool(P.ops / 4, port, 4096);
		mmap_v[r] = per_op_mmap(P.ops / 4, 4096);
		for (s = 0; s < NSIZES; s++) {
			self_v[0][s][r] = per_op_self_msg(P.ops, port, sizes[s]);
			self_v[1][s][r] = per_op_self_fd(P.ops, p[0], p[1], sizes[s]);
			self_v[2][s][r] = per_op_self_fd(P.ops, sv[1], sv[0], sizes[s]);
		}
	}
	printf("%-44s %10s %10s %10s\n", "operation", "median", "min", "max");
	print_op("bare syscall (getppid)", getppid_v);
	print_op("bare ioctl (MACHIPC_IOC_VERSION)", ioctl_v);
	print_op("port call (mach_port_type)", type_v);
	print_op("mach_msg OOL 4 KiB send+receive+vm_deallocate", ool_v);
	print_op("mmap + write + munmap 4 KiB (floor of OOL)", mmap_v);
	for (s = 0; s < NSIZES; s++) {
		static const char *const what[3] = { "mach_msg send+receive, own port",
						     "pipe write+read", "unix socket write+read" };
		struct stat3 m[3];
		char label[64];

		for (k = 0; k < 3; k++) {
			m[k] = stats(self_v[k][s], P.runs);
			snprintf(label, sizeof(label), "%s, %u B", what[k], sizes[s]);
			printf("%-44s %10.3f %10.3f %10.3f\n", label, m[k].med, m[k].min, m[k].max);
		}
		printf("DAT self %u %.3f %.3f %.3f\n", sizes[s], m[0].med, m[1].med, m[2].med);
		printf("%-44s %10.2f x pipe, %.2f x unix socket\n", "  mach_msg / others",
		       m[0].med / m[1].med, m[0].med / m[2].med);
		if (sizes[s] == 64) {
			H.self64_mach = m[0].med;
			H.self64_pipe = m[1].med;
		}
	}
	close(p[0]), close(p[1]), close(sv[0]), close(sv[1]);
	mach_port_destroy(mach_task_self(), port);

	printf("\n== cost ladder: two processes, 64-byte round trip, %ld round trips x %d runs\n"
	       "(runs of all methods and placements interleaved; us per round trip: median "
	       "[min-max], cs = context switches per round trip, both processes)\n",
	       P.rt, P.runs);
	if (!binder_available())
		printf("(Binder: no %s, its rows say n/a)\n", BINDER_DEVICE);
	if (ncpus < 2)
		printf("(one CPU online: no two-CPU placement)\n");
	for (r = 0; r < P.runs; r++)
		for (k = 0; k < NMETHODS; k++)
			for (pl = 0; pl < NPLACE; pl++) {
				struct rt_res res = { NAN, NAN };
				char name[64];

				snprintf(name, sizeof(name), "round trip %s %s", rt_methods[k].tok,
					 place_name[pl]);
				step(name);
				if (!(pl == TWO_CPUS && ncpus < 2))
					rt_methods[k].fn(P.rt, pl, &res);
				rt_us[k][pl][r] = res.us;
				rt_cs[k][pl][r] = res.cs;
			}
	printf("%-12s", "method");
	for (pl = 0; pl < NPLACE; pl++)
		printf(" %-31s", place_name[pl]);
	printf("\n");
	for (k = 0; k < NMETHODS; k++) {
		printf("%-12s", rt_methods[k].name);
		for (pl = 0; pl < NPLACE; pl++) {
			char cell[160], d[32];

			st = stats(rt_us[k][pl], P.runs);
			H.rt[k][pl] = st.med;
			fmt(a, sizeof(a), st.med, "%.2f");
			fmt(b, sizeof(b), st.min, "%.1f");
			fmt(c, sizeof(c), st.max, "%.1f");
			fmt(d, sizeof(d), stats(rt_cs[k][pl], P.runs).med, "%.1f");
			snprintf(cell, sizeof(cell), "%s [%s-%s] cs %s", a, b, c, d);
			printf(" %-31s", cell);
		}
		printf("\n");
	}
	printf("\nmach_msg round trip / other method's (same placement):\n%-12s", "method");
	for (pl = 0; pl < NPLACE; pl++)
		printf(" %10s", place_name[pl]);
	printf("\n");
	for (k = 1; k < NMETHODS; k++) {
		printf("%-12s", rt_methods[k].name);
		for (pl = 0; pl < NPLACE; pl++) {
			fmt(a, sizeof(a), H.rt[0][pl] / H.rt[k][pl], "%.2f");
			printf(" %10s", a);
		}
		printf("\n");
	}
	for (k = 0; k < NMETHODS; k++) {
		printf("DAT rt \"%s\"", rt_methods[k].name);
		for (pl = 0; pl < NPLACE; pl++) {
			st = stats(rt_us[k][pl], P.runs);
			printf(" %.3f %.3f %.3f", st.med, st.min, st.max);
		}
		printf("\nDAT rtcs \"%s\"", rt_methods[k].name);
		for (pl = 0; pl < NPLACE; pl++)
			printf(" %.2f", stats(rt_cs[k][pl], P.runs).med);
		printf("\n");
	}
	printf("\n");
}

/*
 * -s spin: the two-process round trips of mach_msg, pipe and futex again,
 * with the receive spin on (make bench sets rcv_spin_us in debugfs for this
 * section and says so in BENCH_SPIN_US), to show what the optional spin before a
 * receive sleeps gains where the peer runs on another CPU and what it
 * costs where both share one.
 */
static void bench_spin(void)
{
	static const char *const toks[3] = { "mach_msg", "pipe", "futex" };
	static double us[3][NPLACE][MAX_RUNS];
	const char *spin = getenv("BENCH_SPIN_US");
	int r, k, pl;

	printf("== spin: 64-byte round trips with rcv_spin_us=%s, "
	       "%ld round trips x %d runs (us per round trip: median [min-max])\n",
	       spin ? spin : "?", P.rt, P.runs);
	for (r = 0; r < P.runs; r++)
		for (k = 0; k < 3; k++)
			for (pl = 0; pl < NPLACE; pl++) {
				struct rt_res res = { NAN, NAN };
				char name[64];

				snprintf(name, sizeof(name), "spin: round trip %s %s", toks[k],
					 place_name[pl]);
				step(name);
				if (!(pl == TWO_CPUS && ncpus < 2))
					rt_methods[rt_index(toks[k])].fn(P.rt, pl, &res);
				us[k][pl][r] = res.us;
			}
	printf("%-12s %-24s %-24s %-24s\n", "method", place_name[0], place_name[1], place_name[2]);
	for (k = 0; k < 3; k++) {
		char cell[NPLACE][112], a[32], b[32], c[32];

		for (pl = 0; pl < NPLACE; pl++) {
			struct stat3 st = stats(us[k][pl], P.runs);

			H.spin_rt[k][pl] = st.med;
			fmt(a, sizeof(a), st.med, "%.2f");
			fmt(b, sizeof(b), st.min, "%.1f");
			fmt(c, sizeof(c), st.max, "%.1f");
			snprintf(cell[pl], sizeof(cell[pl]), "%s [%s-%s]", a, b, c);
		}
		printf("%-12s %-24s %-24s %-24s\n", toks[k], cell[0], cell[1], cell[2]);
		printf("DAT spin \"%s\"", toks[k]);
		for (pl = 0; pl < NPLACE; pl++) {
			struct stat3 st = stats(us[k][pl], P.runs);

			printf(" %.3f %.3f %.3f", st.med, st.min, st.max);
		}
		printf("\n");
	}
	printf("DAT spinparam %s\n\n", spin ? spin : "?");
}

/* ---------------------------------------------------------------------- */
/* Throughput: one server thread, N client processes                     */

enum { TP_MACH, TP_UNIX, TP_BINDER, NTP };
static const char *const tp_name[NTP] = { "mach_msg", "unix socket", "Binder" };

/* The server port's queue limit in a mach_msg throughput run (0: the
 * default, MACH_PORT_QLIMIT_DEFAULT, as XNU's MPMMtest leaves it). */
static mach_port_msgcount_t tp_qlimit;

struct tp_server {
	int kind;
	long total;
	mach_port_t port;
	int *fds, nfds;
	int ready[2];
	int failed;
};

static void *tp_server_main(void *arg)
{
	struct tp_server *s = arg;
	char ok = 1;
	long i;

	switch (s->kind) {
	case TP_MACH:
		if (write_full(s->ready[1], &ok, 1) || mach_serve(s->port, s->total))
			s->failed = 1;
		break;
	case TP_UNIX: {
		struct epoll_event ev[MAX_CLIENTS];
		int ep = epoll_create1(EPOLL_CLOEXEC), j;
		char buf[MSG_BYTES];

		for (j = 0; j < s->nfds; j++) {
			struct epoll_event e = { .events = EPOLLIN, .data.fd = s->fds[j] };

			if (epoll_ctl(ep, EPOLL_CTL_ADD, s->fds[j], &e))
				s->failed = 1;
		}
		if (write_full(s->ready[1], &ok, 1))
			s->failed = 1;
		for (i = 0; i < s->total && !s->failed;) {
			int got = epoll_wait(ep, ev, MAX_CLIENTS, -1);

			if (got < 0 && errno == EINTR)
				continue;
			if (got < 0)
				s->failed = 1;
			for (j = 0; j < got && !s->failed; j++, i++)
				if (read_full(ev[j].data.fd, buf, sizeof(buf)) ||
				    write_full(ev[j].data.fd, buf, sizeof(buf)))
					s->failed = 1;
		}
		close(ep);
		break;
	}
	case TP_BINDER: {
		char data[MSG_BYTES] = { 0 };
		struct bconn c;

		if (b_serve_open(&c)) {
			s->failed = 1;
			ok = 0;
			if (write_full(s->ready[1], &ok, 1))
				break;
			break;
		}
		if (write_full(s->ready[1], &ok, 1))
			s->failed = 1;
		for (i = 0; i < s->total && !s->failed; i++)
			if (b_serve_one(&c, data))
				s->failed = 1;
		if (b_serve_finish(&c))
			s->failed = 1;
		b_close(&c);
		break;
	}
	}
	return NULL;
}

/* Requests per second (each answered by a reply of the same size). */
static double tput_run(int kind, int clients, long per_client)
{
	struct tp_server s = { .kind = kind, .total = per_client * clients };
	int sv[MAX_CLIENTS][2], srv_fds[MAX_CLIENTS], go[2], i;
	pid_t kids[MAX_CLIENTS];
	pthread_t th;
	double t0, t_end = 0;
	char ok;

	if (kind == TP_BINDER && !binder_available())
		return NAN;
	if (pipe(go) || pipe(s.ready))
		die("pipe");
	if (kind == TP_MACH)
		s.port = rendezvous();
	if (kind == TP_MACH && tp_qlimit) {
		mach_port_limits_t lim = { tp_qlimit };
		kern_return_t kr = mach_port_set_attributes(mach_task_self(), s.port,
							    MACH_PORT_LIMITS_INFO,
							    (mach_port_info_t)&lim,
							    MACH_PORT_LIMITS_INFO_COUNT);

		if (kr)
			die_kr("qlimit", kr);
	}
	if (kind == TP_UNIX) {
		for (i = 0; i < clients; i++) {
			if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv[i]))
				die("socketpair");
			srv_fds[i] = sv[i][0];
		}
		s.fds = srv_fds;
		s.nfds = clients;
	}
	for (i = 0; i < clients; i++) {
		kids[i] = fork_on(-1);
		if (kids[i] == 0) {
			char data[MSG_BYTES] = { 0 };
			mach_port_t reply = MACH_PORT_NULL;
			struct bconn c;
			msgbuf_t b;
			long j;

			memset(&c, 0, sizeof(c));
			memset(&b, 0, sizeof(b));
			close(go[1]);
			if (kind == TP_MACH &&
			    mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &reply))
				cdie("reply port", 0);
			if (kind == TP_BINDER && b_open(&c))
				cdie("binder open", errno);
			/* Everyone starts when the parent closes `go`. */
			if (read(go[0], &ok, 1) != 0)
				cdie("go", 0);
			for (j = 0; j < per_client; j++) {
				long e = 0;

				if (kind == TP_MACH)
					e = mach_call(&b, bootstrap_port, reply, MSG_BYTES);
				else if (kind == TP_UNIX)
					e = write_full(sv[i][1], data, sizeof(data)) ||
					    read_full(sv[i][1], data, sizeof(data));
				else
					e = b_call(&c, data, sizeof(data));
				if (e)
					cdie("throughput request", e);
			}
			sh->t_end[i] = now_us();
			if (kind == TP_BINDER) {
				if (c.reply_buf) {
					b_put(&c, BC_FREE_BUFFER, &c.reply_buf, sizeof(c.reply_buf));
					b_flush(&c);
				}
				b_close(&c);
			}
			_exit(0);
		}
	}
	close(go[0]);
	/* The server thread starts after the forks: the clients inherit
	 * nothing of it (for Binder, not the context manager's descriptor). */
	if (pthread_create(&th, NULL, tp_server_main, &s))
		die("pthread_create");
	if (read_full(s.ready[0], &ok, 1) || !ok)
		die("throughput server did not start");
	t0 = now_us();
	close(go[1]);
	for (i = 0; i < clients; i++) {
		reap(kids[i]);
		if (sh->t_end[i] > t_end)
			t_end = sh->t_end[i];
	}
	pthread_join(th, NULL);
	if (s.failed)
		die("throughput server failed");
	close(s.ready[0]), close(s.ready[1]);
	if (kind == TP_MACH)
		mach_port_destroy(mach_task_self(), s.port);
	if (kind == TP_UNIX)
		for (i = 0; i < clients; i++)
			close(sv[i][0]), close(sv[i][1]);
	return s.total / ((t_end - t0) / 1e6);
}

/*
 * With 16 clients and the default queue limit (5), most senders find the
 * server's queue full and block until a receive makes room: each request
 * then costs another sleep and wake-up. The same 16 clients with the limit
 * raised to MACH_PORT_QLIMIT_LARGE show how much of the figure that is.
 * `unix16` are the unix socket runs of the main table at 16 clients.
 */
static void bench_tput_qlimit(const double *unix16)
{
	double v[MAX_RUNS];
	struct stat3 st, u;
	char a[16];
	int r;

	tp_qlimit = MACH_PORT_QLIMIT_LARGE;
	for (r = 0; r < P.tput_runs; r++) {
		step("throughput mach_msg 16 clients, qlimit 1024");
		v[r] = tput_run(TP_MACH, 16, P.tput / 16);
	}
	tp_qlimit = 0;
	st = stats(v, P.tput_runs);
	u = stats(unix16, P.tput_runs);
	fmt(a, sizeof(a), st.med / u.med, "%.2f");
	printf("16 clients, the server port's qlimit raised to %d: mach_msg %.0f [%.0f-%.0f], "
	       "mach/unix %s\n",
	       MACH_PORT_QLIMIT_LARGE, st.med, st.min, st.max, a);
	printf("DAT tputql 16 %.1f %.1f %.1f\n", st.med, st.min, st.max);
}

static void bench_tput(void)
{
	static const int counts[] = { 1, 4, 16 };
	enum { NCOUNTS = 3 };
	double v[NCOUNTS][NTP][MAX_RUNS];
	int r, c, k;
	char cell[NTP][48];

	printf("== throughput: one server thread, N client processes, 64-byte request + reply,\n"
	       "%ld requests per run over all clients x %d runs (requests per second, each "
	       "answered by a reply; median [min-max])\n",
	       P.tput, P.tput_runs);
	for (r = 0; r < P.tput_runs; r++)
		for (c = 0; c < NCOUNTS; c++)
			for (k = 0; k < NTP; k++) {
				char name[64];

				snprintf(name, sizeof(name), "throughput %s %d clients", tp_name[k],
					 counts[c]);
				step(name);
				v[c][k][r] = tput_run(k, counts[c], P.tput / counts[c]);
			}
	printf("%-8s %-26s %-26s %-26s %s\n", "clients", tp_name[0], tp_name[1], tp_name[2],
	       "mach/unix mach/Binder");
	for (c = 0; c < NCOUNTS; c++) {
		struct stat3 st[NTP];
		char a[16], b[16];

		for (k = 0; k < NTP; k++) {
			st[k] = stats(v[c][k], P.tput_runs);
			if (isnan(st[k].med))
				snprintf(cell[k], sizeof(cell[k]), "n/a");
			else
				snprintf(cell[k], sizeof(cell[k]), "%.0f [%.0f-%.0f]", st[k].med,
					 st[k].min, st[k].max);
		}
		fmt(a, sizeof(a), st[0].med / st[1].med, "%.2f");
		fmt(b, sizeof(b), st[0].med / st[2].med, "%.2f");
		printf("%-8d %-26s %-26s %-26s %-9s %s\n", counts[c], cell[0], cell[1], cell[2], a,
		       b);
		printf("DAT tput %d %.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f %.1f\n", counts[c],
		       st[0].med, st[0].min, st[0].max, st[1].med, st[1].min, st[1].max, st[2].med,
		       st[2].min, st[2].max);
		if (counts[c] == 4) {
			H.tput4_mach = st[0].med;
			H.tput4_unix = st[1].med;
		}
	}
	bench_tput_qlimit(v[2][TP_UNIX]);
	printf("\n");
}

/* ---------------------------------------------------------------------- */
/* Large messages: out-of-line memory against pipe and unix socket        */

enum { OOL_MACH, OOL_PIPE, OOL_UNIX, NOOL };
static const char *const ool_name[NOOL] = { "mach_msg OOL", "pipe", "unix socket" };

/* Bytes per second moving `count` payloads of `size` bytes from a child
 * to the parent. */
static double ool_run(int kind, size_t size, long count)
{
	mach_port_t mine = MACH_PORT_NULL;
	int ch[2] = { -1, -1 }, ready[2];
	char *rbuf = NULL, ok;
	double t0, t1;
	pid_t kid;
	long i;

	if (pipe(ready))
		die("pipe");
	if (kind == OOL_MACH)
		mine = rendezvous();
	else if (kind == OOL_PIPE ? pipe(ch) : socketpair(AF_UNIX, SOCK_STREAM, 0, ch))
		die("channel");
	kid = fork_on(-1);
	if (kid == 0) {
		char *buf = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				 -1, 0);
		ool_msg_t m;

		if (buf == MAP_FAILED)
			cdie("mmap", size);
		memset(buf, 0x5a, size);
		memset(&m, 0, sizeof(m));
		ok = 1;
		if (write_full(ready[1], &ok, 1))
			cdie("ready", 0);
		for (i = 0; i < count; i++) {
			if (kind == OOL_MACH) {
				kern_return_t kr;

				m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) |
						MACH_MSGH_BITS_COMPLEX;
				m.h.msgh_size = sizeof(m);
				m.h.msgh_remote_port = bootstrap_port;
				m.h.msgh_local_port = MACH_PORT_NULL;
				m.h.msgh_id = 9;
				m.body.msgh_descriptor_count = 1;
				m.ool.address = buf;
				m.ool.size = size;
				m.ool.deallocate = 0;
				m.ool.copy = MACH_MSG_VIRTUAL_COPY;
				m.ool.type = MACH_MSG_OOL_DESCRIPTOR;
				kr = mach_msg(&m.h, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL,
					      MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
				if (kr)
					cdie("OOL send", kr);
			} else if (write_full(ch[1], buf, size)) {
				cdie("write", i);
			}
		}
		_exit(0);
	}
	if (kind != OOL_MACH) {
		rbuf = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (rbuf == MAP_FAILED)
			die("mmap");
		memset(rbuf, 0, size);
	}
	if (read_full(ready[0], &ok, 1))
		die("OOL sender did not start");
	t0 = now_us();
	for (i = 0; i < count; i++) {
		if (kind == OOL_MACH) {
			ool_rcv_t r;
			kern_return_t kr;
			const char *d;

			kr = mach_msg(&r.m.h, MACH_RCV_MSG, 0, sizeof(r), mine,
				      MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
			if (kr)
				die_kr("OOL receive", kr);
			d = r.m.ool.address;
			if (r.m.ool.size != size || d[0] != 0x5a || d[size - 1] != 0x5a)
				die("OOL payload");
			vm_deallocate(mach_task_self(), (vm_address_t)d, size);
		} else if (read_full(ch[0], rbuf, size)) {
			die("read");
		}
	}
	t1 = now_us();
	reap(kid);
	close(ready[0]), close(ready[1]);
	if (kind == OOL_MACH) {
		mach_port_destroy(mach_task_self(), mine);
	} else {
		close(ch[0]), close(ch[1]);
		munmap(rbuf, size);
	}
	return (double)size * count / ((t1 - t0) / 1e6);
}

static void bench_ool(void)
{
	static const size_t sizes[] = { 4 << 10,   16 << 10, 64 << 10, 256 << 10,
					1 << 20,   4 << 20,  16 << 20 };
	enum { NS = 7 };
	static double v[NS][NOOL][MAX_RUNS];
	int r, s, k;

	printf("== large messages: one process sends SIZE-byte payloads to another, "
	       "about %ld MiB per size and run (at least 4 payloads) x %d runs\n"
	       "(MiB/s, median [min-max]; mach_msg: one OOL descriptor, MACH_MSG_VIRTUAL_COPY, "
	       "the receiver vm_deallocates it; default queue limit 5, pipe 64 KiB)\n",
	       P.ool_bytes >> 20, P.ool_runs);
	for (r = 0; r < P.ool_runs; r++)
		for (s = 0; s < NS; s++)
			for (k = 0; k < NOOL; k++) {
				long count = P.ool_bytes / (long)sizes[s];
				char name[64];

				if (count < 4)
					count = 4;
				snprintf(name, sizeof(name), "OOL %s %zu", ool_name[k], sizes[s]);
				step(name);
				v[s][k][r] = ool_run(k, sizes[s], count) / (1 << 20);
			}
	printf("%-10s %-24s %-24s %-24s %s\n", "size", ool_name[0], ool_name[1], ool_name[2],
	       "mach/pipe mach/unix");
	for (s = 0; s < NS; s++) {
		struct stat3 st[NOOL];
		char cell[NOOL][40], size[24];

		for (k = 0; k < NOOL; k++) {
			st[k] = stats(v[s][k], P.ool_runs);
			snprintf(cell[k], sizeof(cell[k]), "%.1f [%.1f-%.1f]", st[k].med, st[k].min,
				 st[k].max);
		}
		if (sizes[s] >= 1 << 20)
			snprintf(size, sizeof(size), "%zu MiB", sizes[s] >> 20);
		else
			snprintf(size, sizeof(size), "%zu KiB", sizes[s] >> 10);
		printf("%-10s %-24s %-24s %-24s %-9.2f %.2f\n", size, cell[0], cell[1], cell[2],
		       st[0].med / st[1].med, st[0].med / st[2].med);
		printf("DAT ool %zu %.2f %.2f %.2f %.2f %.2f %.2f %.2f %.2f %.2f\n", sizes[s],
		       st[0].med, st[0].min, st[0].max, st[1].med, st[1].min, st[1].max, st[2].med,
		       st[2].min, st[2].max);
		if (sizes[s] == 1 << 20) {
			H.ool1m_mach = st[0].med;
			H.ool1m_pipe = st[1].med;
		}
	}
	printf("\n");
}

/* ---------------------------------------------------------------------- */
/* Scale: the same operations in a space of 10 .. 100k ports             */

static long alloc_ports(mach_port_t *names, long from, long to)
{
	long i;

	for (i = from; i < to; i++) {
		kern_return_t kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
						      &names[i]);

		if (kr) {
			printf("mach_port_allocate failed after %ld ports: %s (0x%x)%s\n", i,
			       mach_error_string(kr), kr,
			       kr == KERN_NO_SPACE ? ": raise max_port_names (BENCH_MODULE_PARAMS)"
						   : "");
			break;
		}
	}
	return i;
}

static void free_ports(const mach_port_t *names, long n)
{
	long i;

	for (i = 0; i < n; i++)
		mach_port_mod_refs(mach_task_self(), names[i], MACH_PORT_RIGHT_RECEIVE, -1);
}

/* mach_port_type on pseudo-random names among names[0..n). */
static double per_op_type_random(long ops, const mach_port_t *names, long n)
{
	uint32_t x = 12345;
	mach_port_type_t ty;
	double t0 = now_us();
	long i;

	for (i = 0; i < ops; i++) {
		x = x * 1103515245u + 12345u;
		if (mach_port_type(mach_task_self(), names[(x >> 8) % n], &ty))
			die("mach_port_type");
	}
	return (now_us() - t0) / ops;
}

static void bench_scale(void)
{
	static const long targets[] = { 10, 1000, 10000, 100000, 1000000 };
	mach_port_t *names = calloc(P.max_ports, sizeof(mach_port_t));
	mach_port_t own = new_port();
	long have = 0, prev = 0, got, t;
	unsigned ti;
	int full = 0;

	if (!names)
		die("calloc");
	printf("== scale: ports in the space (receive rights allocated before the measures);\n"
	       "lookups: mach_port_type, %ld calls x %d runs; self: one-process 64-byte "
	       "send+receive; round trip: two processes, unpinned, %ld x %d runs (us, medians)\n",
	       P.ops, P.runs, P.rt / 2, P.runs);
	printf("%-8s %12s %12s %12s %12s %14s\n", "ports", "type(own)", "type(random)", "self 64B",
	       "round trip", "allocate/s");
	for (ti = 0; ti < sizeof(targets) / sizeof(targets[0]); ti++) {
		double own_v[MAX_RUNS], rnd_v[MAX_RUNS], self_v[MAX_RUNS], rt_v[MAX_RUNS];
		double t0, rate;
		struct stat3 so, sr, ss, st;
		int r;

		t = targets[ti];
		if (t > P.max_ports)
			t = P.max_ports;
		if (t <= have)
			break;
		step("scale: allocate");
		t0 = now_us();
		got = alloc_ports(names, have, t);
		rate = (got - have) / ((now_us() - t0) / 1e6);
		if (got < t) {
			/* The space is full: leave room for the measures' own
			 * ports, and measure at the size it reached. */
			full = 1;
			free_ports(names + got - 16, 16);
			got -= 16;
		}
		if (got <= have)
			break;
		prev = have;
		have = got;
		for (r = 0; r < P.runs; r++) {
			struct rt_res res = { NAN, NAN };

			step("scale: measures");
			own_v[r] = per_op_type(P.ops, own);
			rnd_v[r] = per_op_type_random(P.ops, names, have);
			self_v[r] = per_op_self_msg(P.ops, own, MSG_BYTES);
			rt_mach(P.rt / 2, UNPINNED, &res);
			rt_v[r] = res.us;
		}
		so = stats(own_v, P.runs);
		sr = stats(rnd_v, P.runs);
		ss = stats(self_v, P.runs);
		st = stats(rt_v, P.runs);
		if (have - prev >= 1000)
			printf("%-8ld %12.3f %12.3f %12.3f %12.2f %14.0f\n", have, so.med, sr.med,
			       ss.med, st.med, rate);
		else
			printf("%-8ld %12.3f %12.3f %12.3f %12.2f %14s\n", have, so.med, sr.med,
			       ss.med, st.med, "-");
		printf("DAT scale %ld %.4f %.4f %.4f %.3f %.0f\n", have, so.med, sr.med, ss.med,
		       st.med, rate);
		if (!H.scale_first) {
			H.scale_first = have;
			H.scale_first_type = sr.med;
			H.scale_first_self = ss.med;
			H.scale_first_rt = st.med;
		}
		H.scale_last = have;
		H.scale_last_type = sr.med;
		H.scale_last_self = ss.med;
		H.scale_last_rt = st.med;
		if (full) {
			printf("(the space could not grow to %ld ports: the scale stops at %ld)\n", t,
			       have);
			break;
		}
	}
	step("scale: free");
	{
		double t0 = now_us();

		free_ports(names, have);
		printf("deallocating the %ld ports: %.0f per second\n", have,
		       have / ((now_us() - t0) / 1e6));
	}
	mach_port_destroy(mach_task_self(), own);
	free(names);
	printf("\n");
}

/* ---------------------------------------------------------------------- */
/* Kernel memory per port and per queued message; allocate/deallocate rate */

static void print_mem_delta(const char *what, struct mem a, struct mem b, long n)
{
	double per_free = (a.free_kb - b.free_kb) * 1024.0 / n;
	double per_slab = (b.slab_kb - a.slab_kb) * 1024.0 / n;
	double per_unrec = (b.sunreclaim_kb - a.sunreclaim_kb) * 1024.0 / n;
	double per_vm = (b.vmalloc_kb - a.vmalloc_kb) * 1024.0 / n;

	printf("%-34s %8ld objects: %8.1f B (MemFree)  %8.1f B (Slab)  %8.1f B (SUnreclaim)  "
	       "%8.1f B (VmallocUsed)\n",
	       what, n, per_free, per_slab, per_unrec, per_vm);
}

static void bench_mem(void)
{
	long n = P.max_ports, got, i, q, sent = 0, qports;
	mach_port_t *names = calloc(n, sizeof(mach_port_t)), *qp;
	struct mem m0, m1, m2;
	double t0, alloc_s, free_s;
	msgbuf_t b;

	if (!names)
		die("calloc");
	printf("== kernel memory (/proc/meminfo deltas over many objects, per object) and "
	       "allocation rates\n");
	step("mem: ports");
	settle();
	m0 = meminfo();
	t0 = now_us();
	got = alloc_ports(names, 0, n);
	alloc_s = (now_us() - t0) / 1e6;
	if (!got)
		die("no port could be allocated");
	settle();
	m1 = meminfo();
	print_mem_delta("idle port (receive right)", m0, m1, got);
	H.port_bytes = (m0.free_kb - m1.free_kb) * 1024.0 / got;
	t0 = now_us();
	free_ports(names, got);
	free_s = (now_us() - t0) / 1e6;
	settle();
	m2 = meminfo();
	printf("%-34s %8ld ports: %.0f mach_port_allocate/s, %.0f deallocate/s; after "
	       "deallocating them all: MemFree %+ld KiB, Slab %+ld KiB against the start\n",
	       "growing the space to", got, got / alloc_s, got / free_s,
	       m2.free_kb - m0.free_kb, m2.slab_kb - m0.slab_kb);
	printf("DAT mem port %.1f %.1f %ld\n", H.port_bytes, (m1.slab_kb - m0.slab_kb) * 1024.0 / got,
	       got);
	printf("DAT rate allocate %.0f\nDAT rate deallocate %.0f\n", got / alloc_s, got / free_s);

	/* allocate + deallocate pairs in a small space */
	step("mem: allocate/deallocate pairs");
	t0 = now_us();
	for (i = 0; i < P.ops; i++) {
		mach_port_t p;

		if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p) ||
		    mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1))
			die("allocate/deallocate");
	}
	t0 = P.ops / ((now_us() - t0) / 1e6);
	printf("%-34s %.0f pairs per second\n", "mach_port_allocate + deallocate", t0);
	printf("DAT rate pair %.0f\n", t0);
	free(names);

	/* queued 64-byte messages */
	step("mem: queued messages");
	qports = (P.queued + MACH_PORT_QLIMIT_MAX - 1) / MACH_PORT_QLIMIT_MAX;
	qp = calloc(qports, sizeof(mach_port_t));
	if (!qp)
		die("calloc");
	for (i = 0; i < qports; i++) {
		mach_port_limits_t lim = { MACH_PORT_QLIMIT_MAX };
		kern_return_t kr;

		qp[i] = new_port();
		kr = mach_port_set_attributes(mach_task_self(), qp[i], MACH_PORT_LIMITS_INFO,
					      (mach_port_info_t)&lim, MACH_PORT_LIMITS_INFO_COUNT);
		if (kr)
			die_kr("qlimit", kr);
	}
	settle();
	m0 = meminfo();
	memset(&b, 0, sizeof(b));
	for (i = 0; i < qports; i++)
		for (q = 0; q < MACH_PORT_QLIMIT_MAX && sent < P.queued; q++, sent++) {
			kern_return_t kr;

			b.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
			b.h.msgh_size = MSG_BYTES;
			b.h.msgh_remote_port = qp[i];
			b.h.msgh_local_port = MACH_PORT_NULL;
			kr = mach_msg(&b.h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, MSG_BYTES, 0,
				      MACH_PORT_NULL, 0, MACH_PORT_NULL);
			if (kr)
				die_kr("queueing", kr);
		}
	settle();
	m1 = meminfo();
	print_mem_delta("queued 64-byte message", m0, m1, sent);
	H.msg_bytes = (m0.free_kb - m1.free_kb) * 1024.0 / sent;
	printf("DAT mem msg %.1f %.1f %ld\n", H.msg_bytes, (m1.slab_kb - m0.slab_kb) * 1024.0 / sent,
	       sent);
	for (i = 0; i < qports; i++)
		mach_port_destroy(mach_task_self(), qp[i]);
	free(qp);
	printf("\n");
}

/* ---------------------------------------------------------------------- */

static void goal(const char *what, double v, const char *op, double limit)
{
	int met = *op == '<' ? v <= limit : v >= limit;

	if (isnan(v))
		printf("GOAL %-50s n/a\n", what);
	else
		printf("GOAL %-50s %6.2f (goal %s %.2f): %s\n", what, v, op, limit,
		       met ? "met" : "not met");
}

static void print_goals(void)
{
	printf("== goals of issue 11 (ratios in this run)\n");
	if (section("ladder")) {
		goal("one-process 64 B send+receive / pipe write+read", H.self64_mach / H.self64_pipe,
		     "<=", 2.0);
		goal("round trip one CPU / futex",
		     H.rt[0][ONE_CPU] / H.rt[rt_index("futex")][ONE_CPU], "<=", 1.2);
		goal("round trip unpinned / pipe",
		     H.rt[0][UNPINNED] / H.rt[rt_index("pipe")][UNPINNED], "<=", 1.0);
	}
	if (section("spin")) {
		char w[96];

		snprintf(w, sizeof(w), "round trip unpinned / pipe, rcv_spin_us=%s",
			 getenv("BENCH_SPIN_US") ? getenv("BENCH_SPIN_US") : "?");
		goal(w, H.spin_rt[0][UNPINNED] / H.spin_rt[1][UNPINNED], "<=", 1.0);
		snprintf(w, sizeof(w), "round trip one CPU / futex, rcv_spin_us=%s",
			 getenv("BENCH_SPIN_US") ? getenv("BENCH_SPIN_US") : "?");
		goal(w, H.spin_rt[0][ONE_CPU] / H.spin_rt[2][ONE_CPU], "<=", 1.2);
	}
	if (section("tput"))
		goal("throughput 4 clients / unix socket", H.tput4_mach / H.tput4_unix, ">=", 1.0);
	if (section("ool"))
		goal("1 MiB OOL bandwidth / pipe", H.ool1m_mach / H.ool1m_pipe, ">=", 1.0);
	if (section("scale") && H.scale_first) {
		char w[96];

		snprintf(w, sizeof(w), "round trip %ld / %ld ports", H.scale_last, H.scale_first);
		goal(w, H.scale_last_rt / H.scale_first_rt, "<=", 1.2);
		snprintf(w, sizeof(w), "self send+receive %ld / %ld ports", H.scale_last,
			 H.scale_first);
		goal(w, H.scale_last_self / H.scale_first_self, "<=", 1.2);
		snprintf(w, sizeof(w), "lookup %ld / %ld ports", H.scale_last, H.scale_first);
		goal(w, H.scale_last_type / H.scale_first_type, "<=", 1.2);
	}
	if (section("mem"))
		goal("kernel bytes per idle port", H.port_bytes, "<=", 256);
	printf("\nBENCH self64_mach_us=%.3f self64_pipe_us=%.3f", H.self64_mach, H.self64_pipe);
	if (section("ladder")) {
		int k, pl;

		for (k = 0; k < NMETHODS; k++)
			for (pl = 0; pl < NPLACE; pl++)
				printf(" rt_%s_%s=%.2f", rt_methods[k].tok,
				       pl == UNPINNED ? "unpinned" : pl == ONE_CPU ? "cpu1" : "cpu2",
				       H.rt[k][pl]);
	}
	printf(" tput4_mach=%.0f tput4_unix=%.0f ool1m_mach=%.1f ool1m_pipe=%.1f "
	       "port_bytes=%.0f msg_bytes=%.0f\n",
	       H.tput4_mach, H.tput4_unix, H.ool1m_mach, H.ool1m_pipe, H.port_bytes, H.msg_bytes);
}

/*
 * -w WORKLOAD: one figure alone, for a profiler (machipc-kprof, make
 * profile) to sample: nothing else runs, and it prints only its time.
 * ioctl, type, self64, ool4k: the one-process figures; METHOD-rt1cpu, METHOD-rt:
 * a two-process round trip of a ladder method (mach_msg, pipe, unix,
 * futex, semaphore, binder) with both on one CPU, or unpinned.
 */
static int run_workload(const char *w)
{
	struct rt_res res = { NAN, NAN };
	const char *dash = strchr(w, '-');
	mach_port_t port;
	double us;
	int k;

	if (!strcmp(w, "ioctl")) {
		us = per_op_ioctl(P.ops);
	} else if (!strcmp(w, "type") || !strcmp(w, "self64") || !strcmp(w, "ool4k")) {
		port = new_port();
		us = !strcmp(w, "type")	  ? per_op_type(P.ops, port) :
		     !strcmp(w, "self64") ? per_op_self_msg(P.ops, port, MSG_BYTES) :
					    per_op_self_ool(P.ops, port, 4096);
		mach_port_destroy(mach_task_self(), port);
	} else if (dash && (!strcmp(dash, "-rt1cpu") || !strcmp(dash, "-rt"))) {
		for (k = 0; k < NMETHODS; k++)
			if (strlen(rt_methods[k].tok) == (size_t)(dash - w) &&
			    !strncmp(rt_methods[k].tok, w, (size_t)(dash - w)))
				break;
		if (k == NMETHODS)
			goto unknown;
		rt_methods[k].fn(P.rt, !strcmp(dash, "-rt") ? UNPINNED : ONE_CPU, &res);
		us = res.us;
	} else {
		goto unknown;
	}
	printf("WORKLOAD %s %.3f us per operation\n", w, us);
	return 0;
unknown:
	fprintf(stderr, "machipc-bench: workloads: ioctl, type, self64, ool4k, METHOD-rt1cpu, METHOD-rt\n");
	return 2;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: machipc-bench [-n round trips] [-r runs] [-l one-process ops]\n"
		"       [-t throughput requests] [-T throughput runs] [-b OOL bytes per size]\n"
		"       [-B OOL runs] [-p max ports] [-q queued messages]\n"
		"       [-s ladder,tput,ool,scale,mem,spin]\n"
		"       machipc-bench -w ioctl|type|self64|ool4k|METHOD-rt1cpu|METHOD-rt [-l ops] [-n trips]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *workload = NULL;
	int o;

	while ((o = getopt(argc, argv, "n:r:l:t:T:b:B:p:q:s:w:h")) != -1) {
		switch (o) {
		case 'n': P.rt = atol(optarg); break;
		case 'r': P.runs = atoi(optarg); break;
		case 'l': P.ops = atol(optarg); break;
		case 't': P.tput = atol(optarg); break;
		case 'T': P.tput_runs = atoi(optarg); break;
		case 'b': P.ool_bytes = atol(optarg); break;
		case 'B': P.ool_runs = atoi(optarg); break;
		case 'p': P.max_ports = atol(optarg); break;
		case 'q': P.queued = atol(optarg); break;
		case 's': P.sections = optarg; break;
		case 'w': workload = optarg; break;
		default: usage();
		}
	}
	if (P.rt < 2 || P.runs < 1 || P.runs > MAX_RUNS || P.ops < 1 || P.tput < 16 ||
	    P.tput_runs < 1 || P.tput_runs > MAX_RUNS || P.ool_bytes < 1 || P.ool_runs < 1 ||
	    P.ool_runs > MAX_RUNS || P.max_ports < 10 || P.queued < 1)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* Our own process group, so the watchdog can end every child. */
	setpgid(0, 0);
	signal(SIGALRM, on_alarm);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		die("mmap");
	if (sched_getaffinity(0, sizeof(all_cpus), &all_cpus))
		die("sched_getaffinity");
	ncpus = CPU_COUNT(&all_cpus);
	if (machipc_fd() < 0)
		die("/dev/mach");
	if (workload)
		return run_workload(workload);

	printf("machipc-bench: -n %ld -r %d -l %ld -t %ld -T %d -b %ld -B %d -p %ld -q %ld -s %s\n",
	       P.rt, P.runs, P.ops, P.tput, P.tput_runs, P.ool_bytes, P.ool_runs, P.max_ports,
	       P.queued, P.sections);
	printf("CPUs: %d; Binder: %s\n", ncpus, binder_available() ? BINDER_DEVICE : "absent");
	print_module_params();
	printf("\n");
	if (section("ladder"))
		bench_ladder();
	if (section("tput"))
		bench_tput();
	if (section("ool"))
		bench_ool();
	if (section("scale"))
		bench_scale();
	if (section("mem"))
		bench_mem();
	if (section("spin"))
		bench_spin();
	alarm(0);
	print_goals();
	return 0;
}
