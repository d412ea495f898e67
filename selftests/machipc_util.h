/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the machipc selftests. Include after
 * kselftest_harness.h (they use its EXPECT/ASSERT macros).
 */
#ifndef MACHIPC_UTIL_H
#define MACHIPC_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach_debug/ipc_info.h>

/* A name: (index << 8) | generation. */
#define NAME(index, gen) ((mach_port_name_t)(((index) << 8) | (gen)))
/* A name far past anything the tests allocate. */
#define UNKNOWN_NAME NAME(0x7000, 0x47)
#define NULL_NAME ((mach_port_name_t)MACH_PORT_NULL)
#define DEAD_NAME ((mach_port_name_t)MACH_PORT_DEAD)

/* Received dispositions. */
#define PORT_SEND ((mach_msg_type_name_t)MACH_MSG_TYPE_PORT_SEND)
#define PORT_SEND_ONCE ((mach_msg_type_name_t)MACH_MSG_TYPE_PORT_SEND_ONCE)
#define PORT_RECEIVE ((mach_msg_type_name_t)MACH_MSG_TYPE_PORT_RECEIVE)

/* mach_port_kernel_object() types (XNU's IKOT_*, osfmk/kern/ipc_kobject.h). */
#define IKOT_NONE		0U
#define IKOT_THREAD		1U
#define IKOT_TASK		2U
#define IKOT_HOST		3U
#define IKOT_HOST_PRIV		4U
#define IKOT_PROCESSOR		5U
#define IKOT_PSET		6U
#define IKOT_PSET_NAME		7U
#define IKOT_HOST_SECURITY	17U
#define IKOT_TASK_NAME		20U
#define IKOT_SEMAPHORE		23U
#define IKOT_CLOCK		25U
/* Where a child puts its task port in the parent's space (SPAWN_GIVE_TASK). */
#define CHILD_TASK_NAME NAME(0x200, 3)

/* ---- one 32-bit value through a pipe, between parent and child -------- */

static inline bool put(int fd, uint32_t v)
{
	return write(fd, &v, sizeof(v)) == sizeof(v);
}

static inline bool get(int fd, uint32_t *v)
{
	size_t got = 0;

	while (got < sizeof(*v)) {
		ssize_t r = read(fd, (char *)v + got, sizeof(*v) - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		got += r;
	}
	return true;
}

/* ---- time -------------------------------------------------------------- */

static inline uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * Sleeps `ms` milliseconds. Only ever the pause between two looks at a
 * condition that a test polls with a deadline, never to order events.
 */
static inline void sleep_ms(unsigned ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Polls `cond` every millisecond for up to `ms` milliseconds; its last value. */
#define POLL_UNTIL(cond, ms)                                                  \
	({                                                                    \
		uint64_t __deadline = now_ms() + (ms);                        \
		bool __ok;                                                    \
		while (!(__ok = (cond)) && now_ms() < __deadline)             \
			sleep_ms(1);                                          \
		__ok;                                                         \
	})

/* ---- is another thread or process really blocked? ---------------------- */

/*
 * How long a test waits for another thread or process to block, or for
 * another expected event, before it fails: far longer than anything
 * takes on a slow guest, well within the harness's 30 s per test.
 */
#define BLOCK_WAIT_MS 20000

/* Receives that should find a message wait at most this long (ms). */
#define WAIT_MS 10000

static inline bool read_proc(pid_t pid, pid_t tid, const char *what, char *buf, size_t n)
{
	char path[64];
	ssize_t r;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/%s", pid, tid, what);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	r = read(fd, buf, n - 1);
	close(fd);
	if (r <= 0)
		return false;
	buf[r] = 0;
	return true;
}

/* The state letter of thread `tid` of process `pid` (/proc/.../stat), or 0. */
static inline char thread_state(pid_t pid, pid_t tid)
{
	char buf[512], *p;

	if (!read_proc(pid, tid, "stat", buf, sizeof(buf)))
		return 0;
	p = strrchr(buf, ')'); /* the command name may hold spaces and parentheses */
	return p && p[1] == ' ' ? p[2] : 0;
}

/*
 * Whether thread `tid` of process `pid` is asleep, interruptibly, inside
 * system call `nr`, and for an ioctl on /dev/mach, if `mach_only`:
 * state S in /proc/.../stat; a wait channel in /proc/.../wchan (the kernel
 * reports one only for a task off the run queue); and /proc/.../syscall
 * (which reads the registers of a stopped task only) naming the call and,
 * for an ioctl, a descriptor that is the Mach device.
 */
static inline bool blocked_in(pid_t pid, pid_t tid, long nr, bool mach_only)
{
	char buf[256], path[64];
	struct stat dev, fd;
	unsigned long long arg0;
	long got;

	if (thread_state(pid, tid) != 'S')
		return false;
	if (!read_proc(pid, tid, "wchan", buf, sizeof(buf)) || !strcmp(buf, "0"))
		return false;
	if (!read_proc(pid, tid, "syscall", buf, sizeof(buf)) ||
	    sscanf(buf, "%ld 0x%llx", &got, &arg0) != 2 || got != nr)
		return false;
	if (!mach_only)
		return true;
	snprintf(path, sizeof(path), "/proc/%d/fd/%llu", pid, arg0);
	return !stat(path, &fd) && !stat("/dev/mach", &dev) && S_ISCHR(fd.st_mode) &&
	       fd.st_rdev == dev.st_rdev;
}

/* Thread `tid` of our process sleeps in a Mach call (an ioctl on /dev/mach). */
static inline bool thread_blocked_in_mach(pid_t tid)
{
	return blocked_in(getpid(), tid, __NR_ioctl, true);
}

/* Waits (BLOCK_WAIT_MS at most) until thread `tid` sleeps in a Mach call. */
static inline bool wait_thread_blocked_in_mach(pid_t tid)
{
	return POLL_UNTIL(thread_blocked_in_mach(tid), BLOCK_WAIT_MS);
}

/* Waits (BLOCK_WAIT_MS at most) until process `pid` (its main thread)
 * sleeps in system call `nr`. */
static inline bool wait_process_blocked_in(pid_t pid, long nr)
{
	return POLL_UNTIL(blocked_in(pid, pid, nr, false), BLOCK_WAIT_MS);
}

/* ---- rights ----------------------------------------------------------- */

static inline mach_port_name_t new_right(struct __test_metadata *_metadata,
					 mach_port_right_t right)
{
	mach_port_name_t name = MACH_PORT_NULL;

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(), right, &name));
	ASSERT_TRUE(MACH_PORT_VALID(name));
	return name;
}

/* A new receive right, with no send rights. */
static inline mach_port_name_t new_receive(struct __test_metadata *_metadata)
{
	return new_right(_metadata, MACH_PORT_RIGHT_RECEIVE);
}

/* A new port set. */
static inline mach_port_name_t new_port_set(struct __test_metadata *_metadata)
{
	return new_right(_metadata, MACH_PORT_RIGHT_PORT_SET);
}

/* A receive right whose entry also holds a send right with `urefs` urefs. */
static inline mach_port_name_t new_send_receive(struct __test_metadata *_metadata, int urefs)
{
	mach_port_name_t name = new_receive(_metadata);

	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), name, name,
						       MACH_MSG_TYPE_MAKE_SEND));
	if (urefs > 1) {
		ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), name,
							   MACH_PORT_RIGHT_SEND, urefs - 1));
	}
	return name;
}

/* A send-once right to the receive right `port`, under a new name. */
static inline mach_port_name_t new_send_once(struct __test_metadata *_metadata,
					     mach_port_name_t port)
{
	mach_msg_type_name_t got = 0;
	mach_port_t so = MACH_PORT_NULL;

	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(mach_task_self(), port,
							MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &got));
	ASSERT_EQ(PORT_SEND_ONCE, got);
	ASSERT_TRUE(MACH_PORT_VALID(so));
	ASSERT_NE(port, so);
	return so;
}

/* Without the harness (children, threads): MACH_PORT_NULL on failure. */

/* A new receive right. */
static inline mach_port_name_t new_port(void)
{
	mach_port_name_t n = MACH_PORT_NULL;

	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &n) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	return n;
}

/* A new port set. */
static inline mach_port_name_t new_set(void)
{
	mach_port_name_t n = MACH_PORT_NULL;

	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &n) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	return n;
}

/* The type of `name` in `task`'s space, or 0xdead0000 + the error. */
static inline mach_port_type_t type_in(mach_port_t task, mach_port_name_t name)
{
	mach_port_type_t t = 0;
	kern_return_t kr = mach_port_type(task, name, &t);

	return kr == KERN_SUCCESS ? t : 0xdead0000U + (unsigned)kr;
}

/* The urefs of `right` under `name` in `task`'s space, or 0xdead0000 +
 * the error. */
static inline mach_port_urefs_t refs_in(mach_port_t task, mach_port_name_t name,
					mach_port_right_t right)
{
	mach_port_urefs_t r = 0;
	kern_return_t kr = mach_port_get_refs(task, name, right, &r);

	return kr == KERN_SUCCESS ? r : 0xdead0000U + (unsigned)kr;
}

/* The same in our own space. */
static inline mach_port_type_t type_of(mach_port_name_t name)
{
	return type_in(mach_task_self(), name);
}

static inline mach_port_urefs_t refs_of(mach_port_name_t name, mach_port_right_t right)
{
	return refs_in(mach_task_self(), name, right);
}

/* What type_of() gives for a name that denotes nothing. */
#define GONE (0xdead0000U + (unsigned)KERN_INVALID_NAME)

/* ---- port attributes ---------------------------------------------------- */

/* MACH_PORT_RECEIVE_STATUS of `name` in `task`'s space. */
static inline kern_return_t get_status(mach_port_t task, mach_port_name_t name,
				       mach_port_status_t *st)
{
	mach_msg_type_number_t cnt = MACH_PORT_RECEIVE_STATUS_COUNT;

	memset(st, 0xa5, sizeof(*st));
	return mach_port_get_attributes(task, name, MACH_PORT_RECEIVE_STATUS,
					(mach_port_info_t)st, &cnt);
}

/* A field of RECEIVE_STATUS, or 0xdead0000 + kr if the call fails. */
#define STATUS_FIELD_IN(task, name, field)                                    \
	({                                                                    \
		mach_port_status_t __st;                                      \
		kern_return_t __kr = get_status((task), (name), &__st);       \
		__kr == KERN_SUCCESS ? (unsigned)__st.field : 0xdead0000U + (unsigned)__kr; \
	})
#define STATUS_FIELD(name, field) STATUS_FIELD_IN(mach_task_self(), name, field)

/* MACH_PORT_RECEIVE_STATUS of our `name`; the call must succeed. */
static inline mach_port_status_t status_of(struct __test_metadata *_metadata,
					   mach_port_name_t name)
{
	mach_msg_type_number_t count = MACH_PORT_RECEIVE_STATUS_COUNT;
	mach_port_status_t st;

	memset(&st, 0xa5, sizeof(st));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_attributes(mach_task_self(), name,
							 MACH_PORT_RECEIVE_STATUS,
							 (mach_port_info_t)&st, &count));
	EXPECT_EQ(MACH_PORT_RECEIVE_STATUS_COUNT, count);
	return st;
}

static inline kern_return_t set_qlimit(mach_port_name_t name, mach_port_msgcount_t qlimit)
{
	mach_port_limits_t lim = { .mpl_qlimit = qlimit };

	return mach_port_set_attributes(mach_task_self(), name, MACH_PORT_LIMITS_INFO,
					(mach_port_info_t)&lim, MACH_PORT_LIMITS_INFO_COUNT);
}

/*
 * MACH_PORT_DNREQUESTS_SIZE of our `name` (its request table's size), or
 * 0xdead0000 + the error, or 0xdeadcccc if the call reports a count other
 * than MACH_PORT_DNREQUESTS_SIZE_COUNT.
 */
static inline natural_t dnrequests_size(mach_port_name_t name)
{
	natural_t size = 0x99;
	mach_msg_type_number_t count = MACH_PORT_DNREQUESTS_SIZE_COUNT;
	kern_return_t kr = mach_port_get_attributes(mach_task_self(), name,
						    MACH_PORT_DNREQUESTS_SIZE,
						    (mach_port_info_t)&size, &count);

	if (kr != KERN_SUCCESS)
		return 0xdead0000U + (unsigned)kr;
	return count == MACH_PORT_DNREQUESTS_SIZE_COUNT ? size : 0xdeadccccU;
}

static inline kern_return_t set_dnrequests_size(mach_port_name_t name, int size)
{
	return mach_port_set_attributes(mach_task_self(), name, MACH_PORT_DNREQUESTS_SIZE,
					(mach_port_info_t)&size, MACH_PORT_DNREQUESTS_SIZE_COUNT);
}

/* The number of names in `task`'s space, or -1. */
static inline int name_count(mach_port_t task)
{
	mach_port_name_array_t n = NULL;
	mach_port_type_array_t t = NULL;
	mach_msg_type_number_t nc = 0, tc = 0;

	if (mach_port_names(task, &n, &nc, &t, &tc) != KERN_SUCCESS)
		return -1;
	if (nc) {
		vm_deallocate(mach_task_self(), (vm_address_t)n, nc * sizeof(*n));
		vm_deallocate(mach_task_self(), (vm_address_t)t, tc * sizeof(*t));
	}
	return (int)nc;
}

/* ---- snapshots of our space, to check that a failed call changes nothing */

#define NAMES_MAX 256U

/* The space as mach_port_space_info reports it. */
struct snapshot {
	mach_msg_type_number_t count;
	ipc_info_name_t e[NAMES_MAX];
};

static inline void take_snapshot(struct __test_metadata *_metadata, struct snapshot *s)
{
	ipc_info_space_t info;
	ipc_info_name_array_t table = NULL;
	ipc_info_tree_name_array_t tree = NULL;
	mach_msg_type_number_t tcount = 0, treecount = 0;

	ASSERT_EQ(KERN_SUCCESS, mach_port_space_info(mach_task_self(), &info, &table, &tcount,
						     &tree, &treecount));
	ASSERT_GE(NAMES_MAX, tcount);
	s->count = tcount;
	memcpy(s->e, table, tcount * sizeof(*table));
	EXPECT_EQ(KERN_SUCCESS, vm_deallocate(mach_task_self(), (vm_address_t)table,
					      tcount * sizeof(*table)));
	if (tree)
		vm_deallocate(mach_task_self(), (vm_address_t)tree, treecount * sizeof(*tree));
}

static inline const ipc_info_name_t *snapshot_find(const struct snapshot *s,
						   mach_port_name_t name)
{
	mach_msg_type_number_t i;

	for (i = 0; i < s->count; i++)
		if (s->e[i].iin_name == name)
			return &s->e[i];
	return NULL;
}

/* Same names, with the same types and urefs. */
static inline void expect_same_snapshot(struct __test_metadata *_metadata,
					const struct snapshot *a, const struct snapshot *b,
					const char *what)
{
	mach_msg_type_number_t i;

	EXPECT_EQ(a->count, b->count)
		TH_LOG("%s changed the number of names", what);
	for (i = 0; i < a->count; i++) {
		const ipc_info_name_t *e = snapshot_find(b, a->e[i].iin_name);

		EXPECT_NE(NULL, e)
			TH_LOG("%s removed name 0x%x", what, a->e[i].iin_name);
		if (!e)
			continue;
		EXPECT_EQ(a->e[i].iin_type, e->iin_type)
			TH_LOG("%s changed the type of 0x%x", what, e->iin_name);
		EXPECT_EQ(a->e[i].iin_urefs, e->iin_urefs)
			TH_LOG("%s changed the urefs of 0x%x", what, e->iin_name);
	}
}

/* What a loop is at, for the logs of EXPECT_FAILS_CLEANLY (tests set it). */
static char fails_ctx[80] __attribute__((unused));

/* `call` fails with `kr` and leaves every name, type and uref as it was. */
#define EXPECT_FAILS_CLEANLY(kr, call) do {					\
	struct snapshot __before, __after;					\
	take_snapshot(_metadata, &__before);					\
	EXPECT_EQ(kr, (call))							\
		TH_LOG("%s %s", #call, fails_ctx);				\
	take_snapshot(_metadata, &__after);					\
	expect_same_snapshot(_metadata, &__before, &__after, #call);		\
} while (0)

/* ---- a child process and the pipes to it -------------------------------- */

/* Checks in a child: print what went wrong and exit non-zero. */
#define CHILD_TRUE(cond)                                                              \
	do {                                                                          \
		if (!(cond)) {                                                        \
			fprintf(stderr, "# child %d: %s:%d: %s is false\n", getpid(),  \
				__FILE__, __LINE__, #cond);                           \
			_exit(1);                                                     \
		}                                                                     \
	} while (0)

#define CHILD_EQ(exp, got)                                                            \
	do {                                                                          \
		long long __e = (long long)(exp), __g = (long long)(got);             \
		if (__e != __g) {                                                     \
			fprintf(stderr, "# child %d: %s:%d: %s == %s: expected 0x%llx, got 0x%llx\n", \
				getpid(), __FILE__, __LINE__, #exp, #got,             \
				(unsigned long long)__e, (unsigned long long)__g);    \
			_exit(1);                                                     \
		}                                                                     \
	} while (0)

#define CHILD_GET(fd)                                                                 \
	({                                                                            \
		uint32_t __v = 0;                                                     \
		CHILD_TRUE(get((fd), &__v));                                          \
		__v;                                                                  \
	})

#define CHILD_PUT(fd, v) CHILD_TRUE(put((fd), (v)))

/* A child process and the pipes to it (parent side). */
struct kid {
	pid_t pid;
	int rd; /* from the child */
	int wr; /* to the child */
};

/*
 * fork() with a pipe each way. Returns 0 in the child, whose ends are then
 * k->rd (from the parent) and k->wr (to the parent); the child's pid in
 * the parent (k->pid, with the parent's ends in k); -1 on failure.
 */
static inline pid_t kid_fork(struct kid *k)
{
	int p2c[2], c2p[2];

	if (pipe(p2c))
		return -1;
	if (pipe(c2p)) {
		close(p2c[0]);
		close(p2c[1]);
		return -1;
	}
	fflush(stdout);
	fflush(stderr);
	k->pid = fork();
	if (k->pid < 0)
		return -1;
	if (k->pid == 0) {
		close(p2c[1]);
		close(c2p[0]);
		k->rd = p2c[0];
		k->wr = c2p[1];
		return 0;
	}
	close(p2c[0]);
	close(c2p[1]);
	k->rd = c2p[0];
	k->wr = p2c[1];
	return k->pid;
}

/* How spawn() sets a child up. */
enum {
	/* Our bootstrap port is first made our own task port: the child's
	 * bootstrap_port is then a send right to our task. */
	SPAWN_PARENT_TASK = 1,
	/* As SPAWN_PARENT_TASK, and the child's first act is to give us a
	 * send right to its own task port under CHILD_TASK_NAME. */
	SPAWN_GIVE_TASK = 2 | SPAWN_PARENT_TASK,
	/* spawn() returns once the child has sent 0 on its pipe: fn sends it,
	 * or the child itself after SPAWN_GIVE_TASK. */
	SPAWN_WAIT_READY = 4,
};

typedef void (*child_fn)(int arg, int rd, int wr);

/* Forks a child that runs fn(arg, rd, wr) and exits 0 (fn exits itself on
 * a failed check); see the SPAWN_* flags. */
static inline bool spawn(struct kid *k, unsigned how, child_fn fn, int arg)
{
	uint32_t v = 1;

	if ((how & SPAWN_PARENT_TASK) &&
	    task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, mach_task_self()) !=
		    KERN_SUCCESS)
		return false;
	if (kid_fork(k) < 0)
		return false;
	if (k->pid == 0) {
		if ((how & SPAWN_GIVE_TASK) == SPAWN_GIVE_TASK) {
			CHILD_EQ(KERN_SUCCESS,
				 mach_port_insert_right(bootstrap_port, CHILD_TASK_NAME,
							mach_task_self(), MACH_MSG_TYPE_COPY_SEND));
			CHILD_PUT(k->wr, 0);
		}
		fn(arg, k->rd, k->wr);
		_exit(0);
	}
	if ((how & SPAWN_WAIT_READY) || (how & SPAWN_GIVE_TASK) == SPAWN_GIVE_TASK)
		return get(k->rd, &v) && v == 0;
	return true;
}

/* Closes our ends of the pipes and waits for the child; its wait status,
 * or -1. (Our read end stays open until it exited: its last words are not
 * lost, nor is it killed by SIGPIPE.) */
static inline int reap(struct kid *k)
{
	int status = -1;
	pid_t got;

	close(k->wr);
	got = waitpid(k->pid, &status, 0);
	close(k->rd);
	return got == k->pid ? status : -1;
}

/* Tells the child to exit (a 1 on its pipe) and reaps it; true if it exited 0. */
static inline bool end_kid(struct kid *k)
{
	int status;

	put(k->wr, 1);
	status = reap(k);
	return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* Kills the child with SIGKILL and reaps it; true if it died of it. */
static inline bool kill_kid(struct kid *k)
{
	int status;

	kill(k->pid, SIGKILL);
	status = reap(k);
	return status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

#define EXPECT_CHILD_OK(status)                         \
	do {                                            \
		int __s = (status);                     \
		EXPECT_TRUE(WIFEXITED(__s));            \
		if (WIFEXITED(__s))                     \
			EXPECT_EQ(0, WEXITSTATUS(__s)); \
	} while (0)

/* ---- kernel objects named by ports (issue 14) --------------------------- */

/*
 * The kernel-object families of issue 14. A module that does not serve
 * one answers its trap ops with KERN_INVALID_ARGUMENT (unknown op) or
 * KERN_NOT_SUPPORTED, and its MIG calls with MIG_BAD_ID: kobj_missing()
 * tells, so that each test of the family can skip with the reason.
 */
enum kobj_family {
	KOBJ_THREADS,           /* mach_thread_self (thread ports) */
	KOBJ_THREAD_CALLS,      /* thread_info & co. on thread ports */
	KOBJ_TASK_FOR_PID,      /* task_for_pid, task_name_for_pid, pid_for_task */
	KOBJ_TASK_INFO,         /* task_info, task_threads */
	KOBJ_PORTS_REGISTER,    /* mach_ports_register / mach_ports_lookup */
	KOBJ_SEMAPHORES,        /* semaphore_create / _destroy and the traps */
	KOBJ_HOST_INFO,         /* host_info, host_statistics(64), host_kernel_version */
	KOBJ_CLOCKS,            /* host_get_clock_service, clock_* */
	KOBJ_PROCESSORS,        /* processors and processor sets */
	KOBJ_HOST_EXC,          /* host exception ports */
};

static inline bool kobj_unsupported(kern_return_t kr)
{
	return kr == KERN_INVALID_ARGUMENT || kr == KERN_NOT_SUPPORTED;
}

/* NULL if the module serves `f`, else why the test cannot run. */
static inline const char *kobj_missing(enum kobj_family f)
{
	mach_port_t self = mach_task_self(), host = mach_host_self(), p = MACH_PORT_NULL;
	mach_msg_type_number_t n;
	kern_return_t kr;
	integer_t info[64];
	int pid = 0;

	switch (f) {
	case KOBJ_THREADS:
	case KOBJ_THREAD_CALLS:
		p = mach_thread_self();
		if (p == MACH_PORT_NULL)
			return "the module has no thread ports (MACHIPC_OP_THREAD_SELF)";
		if (f == KOBJ_THREAD_CALLS) {
			n = THREAD_INFO_MAX;
			kr = thread_info(p, THREAD_BASIC_INFO, info, &n);
			mach_port_deallocate(self, p);
			return kr == MIG_BAD_ID ? "the module does not serve thread_info (MIG_BAD_ID)"
						: NULL;
		}
		mach_port_deallocate(self, p);
		return NULL;
	case KOBJ_TASK_FOR_PID:
		kr = pid_for_task(self, &pid);
		return kobj_unsupported(kr) ? "the module has no MACHIPC_OP_PID_FOR_TASK" : NULL;
	case KOBJ_TASK_INFO:
		n = TASK_INFO_MAX < 64 ? TASK_INFO_MAX : 64;
		kr = task_info(self, MACH_TASK_BASIC_INFO, info, &n);
		return kr == MIG_BAD_ID ? "the module does not serve task_info (MIG_BAD_ID)" : NULL;
	case KOBJ_PORTS_REGISTER: {
		mach_port_array_t a = NULL;

		n = 0;
		kr = mach_ports_lookup(self, &a, &n);
		if (kr == MIG_BAD_ID)
			return "the module does not serve mach_ports_lookup (MIG_BAD_ID)";
		if (kr == KERN_SUCCESS && a) {
			for (mach_msg_type_number_t i = 0; i < n; i++)
				mach_port_deallocate(self, a[i]);
			vm_deallocate(self, (vm_address_t)a, n * sizeof(*a));
		}
		return NULL;
	}
	case KOBJ_SEMAPHORES:
		kr = semaphore_create(self, &p, SYNC_POLICY_FIFO, 0);
		if (kr == MIG_BAD_ID)
			return "the module does not serve semaphore_create (MIG_BAD_ID)";
		if (kr == KERN_SUCCESS)
			semaphore_destroy(self, p);
		if (kobj_unsupported(semaphore_signal(MACH_PORT_NULL)))
			return "the module has no semaphore traps (MACHIPC_OP_SEMAPHORE_*)";
		return NULL;
	case KOBJ_HOST_INFO:
		n = HOST_BASIC_INFO_COUNT;
		kr = host_info(host, HOST_BASIC_INFO, info, &n);
		return kr == MIG_BAD_ID ? "the module does not serve host_info (MIG_BAD_ID)" : NULL;
	case KOBJ_CLOCKS:
		kr = host_get_clock_service(host, SYSTEM_CLOCK, &p);
		if (kr == KERN_SUCCESS)
			mach_port_deallocate(self, p);
		return kr == MIG_BAD_ID ? "the module does not serve host_get_clock_service (MIG_BAD_ID)"
					: NULL;
	case KOBJ_PROCESSORS:
		kr = processor_set_default(host, &p);
		if (kr == KERN_SUCCESS)
			mach_port_deallocate(self, p);
		return kr == MIG_BAD_ID ? "the module does not serve processor_set_default (MIG_BAD_ID)"
					: NULL;
	case KOBJ_HOST_EXC: {
		exception_mask_t masks[32];
		mach_port_t ports[32];
		exception_behavior_t behaviors[32];
		thread_state_flavor_t flavors[32];

		n = 32;
		kr = host_get_exception_ports(host, EXC_MASK_ALL, masks, &n, ports, behaviors,
					      flavors);
		if (kr == MIG_BAD_ID)
			return "the module does not serve host_get_exception_ports (MIG_BAD_ID)";
		for (mach_msg_type_number_t i = 0; kr == KERN_SUCCESS && i < n; i++)
			if (MACH_PORT_VALID(ports[i]))
				mach_port_deallocate(self, ports[i]);
		return NULL;
	}
	}
	return "unknown kernel-object family";
}

/* At the start of a test: skip it if the module does not serve `f`. */
#define REQUIRE_KOBJ(f)                                                        \
	do {                                                                   \
		const char *__why = kobj_missing(f);                           \
		if (__why)                                                     \
			SKIP(return, "%s", __why);                             \
	} while (0)

/* In a child that must become uid/gid 65534 (it needs root). */
#define CHILD_BECOME_NOBODY()                                                  \
	do {                                                                   \
		CHILD_EQ(0, setgroups(0, NULL));                               \
		CHILD_EQ(0, setgid(65534));                                    \
		CHILD_EQ(0, setuid(65534));                                    \
	} while (0)

/* The number a (sysfs, procfs, debugfs) file starts with, or -1 if it
 * cannot be read. */
static inline long read_number_file(const char *path)
{
	char buf[32] = "";
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? strtol(buf, NULL, 10) : -1;
}

/*
 * A live counter of the module (/sys/kernel/debug/machipc/stats, one
 * `name value` line each: tasks, ports, send_rights, threads,
 * semaphores, ...), or -1 if there is no such file or line (no debugfs,
 * not root, an older module).
 */
static inline long long machipc_stat(const char *name)
{
	char line[128], key[64];
	long long v, found = -1;
	FILE *f = fopen("/sys/kernel/debug/machipc/stats", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %lld", key, &v) == 2 && !strcmp(key, name))
			found = v;
	fclose(f);
	return found;
}

/*
 * Waits (BLOCK_WAIT_MS at most) until counter `name` is back at `base`;
 * true if it is, or if the module has no such counter (nothing to check).
 */
static inline bool stat_returns_to(const char *name, long long base)
{
	if (base < 0 || machipc_stat(name) < 0)
		return true;
	return POLL_UNTIL(machipc_stat(name) == base, BLOCK_WAIT_MS);
}

/* The kernel object type of `name` in `task`'s space, or 0xdead0000 + kr. */
static inline unsigned kobject_type_in(mach_port_t task, mach_port_name_t name)
{
	unsigned type = 0xffff, addr = 0;
	kern_return_t kr = mach_port_kernel_object(task, name, &type, &addr);

	return kr == KERN_SUCCESS ? type : 0xdead0000U + (unsigned)kr;
}

#endif /* MACHIPC_UTIL_H */
