// SPDX-License-Identifier: GPL-2.0
/* machipc-fuzz: helpers shared by the supervisor and the fuzz processes. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"

struct shm *G;
int my_slot = -1;
unsigned my_role;
uint64_t my_seed;
int fz_foreign_fd = -1;

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void sleep_ms(unsigned ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void vlog(const char *prefix, const char *fmt, va_list ap)
{
	char line[LOG_LEN];
	int n = snprintf(line, sizeof(line), "%s[%s %u pid %d] ", prefix,
			 role_name(my_role), my_slot >= 0 ? G->procs[my_slot].gen : 0, getpid());

	if (n < 0)
		n = 0;
	if ((size_t)n < sizeof(line))
		vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	if (G) {
		uint32_t i = atomic_fetch_add(&G->log_next, 1);

		if (i < LOG_LINES)
			memcpy(G->log[i], line, sizeof(line));
	}
	if (!G || G->cfg.trace)
		dprintf(2, "%s\n", line);
}

void fz_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
}

void fz_anomaly(const char *fmt, ...)
{
	va_list ap;

	if (G)
		atomic_fetch_add(&G->anomalies, 1);
	va_start(ap, fmt);
	vlog("ANOMALY ", fmt, ap);
	va_end(ap);
}

const char *op_name(unsigned op)
{
	static const char *const names[FZ_NOPS] = {
		[FZ_IDLE] = "idle", [FZ_VERSION] = "VERSION", [FZ_PORT_OP] = "PORT_OP",
		[FZ_PORT_LIST] = "PORT_LIST", [FZ_PORT_ATTR] = "PORT_ATTR", [FZ_MSG] = "MSG",
		[FZ_BAD_IOCTL] = "bad-ioctl", [FZ_OPEN] = "open", [FZ_FOREIGN] = "foreign-fd",
		[FZ_LIBMACH] = "libmach", [FZ_FORK] = "fork",
	};

	return op < FZ_NOPS ? names[op] : "?";
}

const char *role_name(unsigned role)
{
	static const char *const names[ROLE_NROLES] = {
		"supervisor", "hub", "worker", "child", "victim",
	};

	return role < ROLE_NROLES ? names[role] : "?";
}

bool valid_kr(int32_t kr)
{
	/* KERN_* (0..KERN_NOT_FOUND), MIG_* (-300..-309). */
	return (kr >= 0 && kr <= 56) || (kr <= -300 && kr >= -309);
}

bool valid_code(int32_t mr)
{
	uint32_t base = (uint32_t)mr & ~(uint32_t)MACH_MSG_MASK;

	if (mr == MACH_MSG_SUCCESS)
		return true;
	if (base >= 0x10000001 && base <= 0x10000016) /* MACH_SEND_* */
		return true;
	if (base >= 0x10004001 && base <= 0x10004012) /* MACH_RCV_* */
		return true;
	/* KERN_* and MIG_* (a kernel port's routines, the port calls). */
	return valid_kr(mr);
}

bool open_errno_ok(int e)
{
	return e == ENOMEM || e == EAGAIN || e == ENOSPC || e == EMFILE || e == ENFILE || e == EINTR;
}

/* ---- slots --------------------------------------------------------- */

int slot_reserve(unsigned role, uint64_t seed, unsigned gen)
{
	for (int i = 0; i < MAX_PROCS; i++) {
		uint32_t want = SLOT_FREE;
		struct proc_slot *p = &G->procs[i];

		if (!atomic_compare_exchange_strong(&p->state, &want, SLOT_RESERVED))
			continue;
		p->pid = 0;
		p->role = role;
		p->seed = seed;
		p->gen = gen;
		p->started_ns = now_ns();
		p->killed_ns = 0;
		p->killed_by = 0;
		p->reported = 0;
		p->block_kill_ns = 0;
		for (int t = 0; t < MAX_THREADS; t++) {
			p->t[t].start_ns = 0;
			p->t[t].deadline_ns = 0;
			p->t[t].op = FZ_IDLE;
			p->t[t].tid = 0;
			p->t[t].calls = 0;
		}
		return i;
	}
	return -1;
}

void slot_release(int slot)
{
	if (slot >= 0 && slot < MAX_PROCS) {
		G->procs[slot].pid = 0;
		atomic_store(&G->procs[slot].state, SLOT_FREE);
	}
}

int slot_by_pid(pid_t pid)
{
	for (int i = 0; i < MAX_PROCS; i++)
		if (G->procs[i].state != SLOT_FREE && G->procs[i].pid == pid)
			return i;
	return -1;
}

void slot_reaped(pid_t pid, int status)
{
	int s = slot_by_pid(pid);
	unsigned role = s >= 0 ? G->procs[s].role : ROLE_NONE;

	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);

		/* SIGKILL: ours; SIGALRM: a process's lifetime bound. */
		if (sig != SIGKILL && sig != SIGALRM) {
			atomic_fetch_add(&G->crashes, 1);
			fz_anomaly("%s pid %d (gen %u, seed 0x%llx) died of signal %d (%s)",
				   role_name(role), pid, s >= 0 ? G->procs[s].gen : 0,
				   s >= 0 ? (unsigned long long)G->procs[s].seed : 0ULL, sig,
				   strsignal(sig));
		}
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == 3) {
		/* Could not set up its task (an open failing for lack of memory
		 * or a per-user limit, say): counted; a bad errno was an anomaly
		 * already. */
		atomic_fetch_add(&G->setup_fail, 1);
	} else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
		fz_anomaly("%s pid %d (gen %u) exited with status %d", role_name(role), pid,
			   s >= 0 ? G->procs[s].gen : 0, WEXITSTATUS(status));
	}
	if (s >= 0 && role == ROLE_VICTIM)
		atomic_fetch_sub(&G->victims_alive, 1);
	slot_release(s);
}

/* ---- heartbeats ------------------------------------------------------ */

void hb_begin(unsigned ti, unsigned op, uint64_t budget_ms, bool blocking,
	      uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct thread_slot *t;
	uint64_t now;

	if (my_slot < 0 || ti >= MAX_THREADS)
		return;
	t = &G->procs[my_slot].t[ti];
	now = now_ns();
	t->op = op;
	t->arg[0] = a0;
	t->arg[1] = a1;
	t->arg[2] = a2;
	t->arg[3] = a3;
	t->arg[4] = a4;
	t->arg[5] = a5;
	if (!t->tid)
		t->tid = (int32_t)syscall(SYS_gettid);
	t->deadline_ns = blocking ? 0 : now + (budget_ms + G->cfg.hang_ms) * 1000000ULL;
	atomic_store(&t->start_ns, now);
}

void hb_end(unsigned ti)
{
	struct thread_slot *t;
	uint64_t start;

	if (my_slot < 0 || ti >= MAX_THREADS)
		return;
	t = &G->procs[my_slot].t[ti];
	start = atomic_exchange(&t->start_ns, 0);
	t->calls++;
	if (start && t->deadline_ns && now_ns() > t->deadline_ns) {
		atomic_fetch_add(&G->late_calls, 1);
		fz_anomaly("%s call returned after %.1f s, past its deadline (op args 0x%llx 0x%llx)",
			   op_name(t->op), (double)(now_ns() - start) / 1e9,
			   (unsigned long long)t->arg[0], (unsigned long long)t->arg[1]);
	}
}
