/* SPDX-License-Identifier: GPL-2.0 */
/*
 * machipc-fuzz: shared definitions.
 *
 * Processes: the supervisor (root, no Mach calls) starts one hub per round
 * (uid 65534, exec'd), which forks the workers; workers fork children.
 * Every fuzz process has a slot in a shared memory area (struct shm) with
 * a heartbeat per thread, so that the supervisor can see which call a
 * thread is in, for how long, and whether a killed process really died.
 */
#ifndef MACHIPC_FUZZ_H
#define MACHIPC_FUZZ_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <mach/mach.h>
#include "machipc.h"

#define FUZZ_MAGIC 0x6d61636866757a7aULL /* "machfuzz" */

#define MAX_PROCS 160
#define MAX_THREADS 8 /* per process: slot 0 is the main (manager) thread */
#define LOG_LINES 128
#define LOG_LEN 320

/* What a thread is doing, for the heartbeat (and the op counters). */
enum fz_op {
	FZ_IDLE,
	FZ_VERSION,
	FZ_PORT_OP,
	FZ_PORT_LIST,
	FZ_PORT_ATTR,
	FZ_MSG,
	FZ_BAD_IOCTL,
	FZ_OPEN,
	FZ_FOREIGN, /* an ioctl on a descriptor inherited from the parent (EPERM) */
	FZ_LIBMACH, /* a libmach call */
	FZ_FORK,
	FZ_NOPS
};

enum fz_role { ROLE_NONE, ROLE_HUB, ROLE_WORKER, ROLE_CHILD, ROLE_VICTIM, ROLE_NROLES };

enum slot_state { SLOT_FREE, SLOT_RESERVED, SLOT_RUNNING };

struct thread_slot {
	_Atomic uint64_t start_ns;    /* 0: not in a call */
	_Atomic uint64_t deadline_ns; /* 0 with start_ns set: a blocking call, killable only */
	_Atomic uint32_t op;          /* enum fz_op */
	_Atomic int32_t tid;
	/* What the call was (for reports): cmd-specific words. */
	_Atomic uint64_t arg[6];
	/* For a MSG send: descriptors claimed << 32 | ports << 16 | OOL << 8 |
	 * OOL-ports; largest OOL-ports count << 32 | OOL KiB. */
	_Atomic uint64_t detail[2];
	_Atomic uint64_t calls;
};

struct proc_slot {
	_Atomic uint32_t state; /* enum slot_state */
	_Atomic int32_t pid;
	_Atomic uint32_t role;
	_Atomic uint32_t gen; /* spawn number in the round */
	_Atomic uint64_t seed;
	_Atomic uint64_t started_ns;
	_Atomic uint64_t killed_ns; /* first SIGKILL sent to it */
	_Atomic uint32_t killed_by; /* 1 supervisor, 2 parent, 3 round end */
	_Atomic uint32_t reported;  /* a hang or unkillable report was made */
	_Atomic uint64_t block_kill_ns; /* supervisor: kill it if blocked past this */
	struct thread_slot t[MAX_THREADS];
};

/* The round's configuration, written by the supervisor. */
struct fz_config {
	uint64_t seed;
	uint32_t round;
	uint32_t procs;   /* workers the hub keeps alive */
	uint32_t threads; /* fuzz threads per worker */
	uint32_t children; /* at most this many children per worker at a time */
	uint32_t victims;  /* at most this many big-message victims at a time */
	uint32_t trace;
	uint32_t big;      /* allow big messages (MiB-sized OOL) */
	uint32_t huge;     /* allow user-sized allocations beyond the page allocator */
	uint32_t lifetime_s; /* alarm() bound of every fuzz process */
	uint32_t hang_ms;  /* a call with a timeout must return within timeout + this */
	uint32_t fail;     /* fault injection is on */
	uint32_t unprivileged; /* fuzz processes must run as uid 65534 */
	uint64_t worker_seed; /* if not 0: the seed of the round's first worker */
	uint32_t inject_hang; /* self-test: the first worker fakes a call that never returns */
};

struct shm {
	uint64_t magic;
	struct fz_config cfg;
	_Atomic uint32_t stop;
	_Atomic uint32_t next_gen;
	_Atomic uint32_t victims_alive;
	_Atomic uint64_t ops;            /* ioctls (and opens) on /dev/mach */
	_Atomic uint64_t op_count[FZ_NOPS];
	_Atomic uint64_t errno_count[4]; /* EFAULT, EINVAL, ENOTTY, EPERM */
	_Atomic uint64_t enomem;         /* ioctls failing with ENOMEM */
	_Atomic uint64_t efault_injected; /* EFAULT on a valid struct, with fault injection */
	_Atomic uint64_t open_fail;      /* opens of /dev/mach that failed */
	_Atomic uint64_t setup_fail;     /* fuzz processes that could not set up their task */
	_Atomic uint64_t msgs_sent, msgs_rcvd, big_sent, rights_passed;
	_Atomic uint64_t interrupted;
	_Atomic uint64_t spawned[ROLE_NROLES];
	_Atomic uint64_t kills_parent;   /* victims killed by their parent */
	_Atomic uint64_t kills_sup;      /* random kills by the supervisor */
	_Atomic uint64_t kills_blocked;  /* processes killed while blocked in a call */
	_Atomic uint64_t crashes;        /* fuzz processes dead of an unexpected signal */
	_Atomic uint64_t anomalies;      /* broken invariants (errno, codes, ...) */
	_Atomic uint64_t late_calls;     /* calls that returned long after their timeout */
	/* Time spent per kind of fuzz operation (worker.c's op mix). */
	_Atomic uint64_t kind_ns[32], kind_n[32];
	_Atomic uint64_t call_ns[FZ_NOPS]; /* time in the ioctls, per call */
	_Atomic uint64_t utime_us, stime_us; /* CPU time of workers that exited normally */
	_Atomic uint32_t log_next;
	char log[LOG_LINES][LOG_LEN];
	struct proc_slot procs[MAX_PROCS];
};

extern struct shm *G;

/* ---- random numbers: xoshiro256** seeded by splitmix64 ---------------- */

struct rng {
	uint64_t s[4];
};

static inline uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline void rng_seed(struct rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static inline uint64_t rnd64(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t x = s[1] * 5, res = ((x << 7) | (x >> 57)) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = (s[3] << 45) | (s[3] >> 19);
	return res;
}

static inline uint32_t rnd32(struct rng *r)
{
	return (uint32_t)(rnd64(r) >> 32);
}

/* Uniform in [0, n); 0 if n is 0. */
static inline uint64_t below(struct rng *r, uint64_t n)
{
	return n ? rnd64(r) % n : 0;
}

/* True with probability n/1000. */
static inline bool permille(struct rng *r, unsigned n)
{
	return below(r, 1000) < n;
}

/* Log-uniform in [0, max]: small values as likely as large magnitudes. */
static inline uint64_t logsize(struct rng *r, uint64_t max)
{
	unsigned bits = 0;

	while (bits < 63 && (1ULL << bits) <= max)
		bits++;
	uint64_t v = below(r, 1ULL << below(r, bits + 1));

	return v > max ? max : v;
}

static inline uint64_t derive_seed(uint64_t seed, uint64_t a, uint64_t b)
{
	uint64_t x = seed ^ (a * 0x100000001b3ULL) ^ (b << 40) ^ (b >> 24);

	splitmix64(&x);
	return splitmix64(&x);
}

/* ---- helpers (common.c) ----------------------------------------------- */

uint64_t now_ns(void);
void sleep_ms(unsigned ms);
/* Appends a line to the shared report log (and stderr if tracing). */
void fz_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A broken invariant: counted, logged. */
void fz_anomaly(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *op_name(unsigned op);
const char *role_name(unsigned role);
/* Whether a kern_return_t is a KERN_* or MIG_* code... */
bool valid_kr(int32_t kr);
/* ... or any code a Mach call returns: those and MACH_SEND_* / MACH_RCV_*
 * (the port calls are MIG calls: a bad task name is MACH_SEND_INVALID_DEST). */
bool valid_code(int32_t code);
/* Whether an open() of /dev/mach may fail this way: for lack of memory or
 * of a resource the module may limit per user. */
bool open_errno_ok(int e);

/* Slots. */
int slot_reserve(unsigned role, uint64_t seed, unsigned gen);
void slot_release(int slot);
int slot_by_pid(pid_t pid);
/* Frees the slot of a reaped process, noting abnormal deaths. */
void slot_reaped(pid_t pid, int status);

/* ---- the calling process ----------------------------------------------- */

/* Per-process state of a fuzz process. */
extern int my_slot;
extern unsigned my_role;
extern uint64_t my_seed;
/* Set in a forked child before worker_main: a descriptor of its parent's task. */
extern int fz_foreign_fd;

/* Runs the fuzz process of the given role in this (new) process; never returns. */
void hub_main(void) __attribute__((noreturn));
void worker_main(int slot, unsigned role) __attribute__((noreturn));

/* Heartbeat around a call of thread `ti` of this process. */
void hb_begin(unsigned ti, unsigned op, uint64_t budget_ms, bool blocking,
	      uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);
void hb_end(unsigned ti);

/* Forks a fuzz child of this process (worker side); returns its pid or -1. */
pid_t spawn_child(unsigned ti, unsigned role, uint64_t seed);

/*
 * An ioctl on a valid struct failed with EFAULT. With page-allocation
 * faults injected (--fail) that is Linux's uaccess, not the module: the
 * struct's page needed a new page when the kernel read or wrote it (a
 * copy-on-write page after a fork of the process, a page not yet
 * populated) and the allocation failed, which copy_to_user and
 * copy_from_user report as a fault. Counted, and not an anomaly then.
 */
static inline bool efault_injected(void)
{
	if (!G->cfg.fail)
		return false;
	atomic_fetch_add(&G->efault_injected, 1);
	return true;
}

#endif
