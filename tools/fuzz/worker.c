// SPDX-License-Identifier: GPL-2.0
/*
 * machipc-fuzz: a fuzz process (worker, child or victim).
 *
 * Each fuzz thread draws operations from its own random stream (seeded from
 * the process's seed and the thread's index): every ioctl of
 * uapi/machipc.h with arguments taken mostly from a model of the process's
 * names and rights (refreshed from MACHIPC_LIST_NAMES), messages built from
 * that model (complex ones with port, OOL and OOL-ports descriptors in
 * every disposition, reply and send-once rights, notifications, port sets,
 * queue limits, timeouts), raw random bytes, and bad pointers in every
 * pointer argument (NULL, unmapped, read-only, straddling the end of a
 * page, kernel and non-canonical addresses).
 *
 * Pointers the kernel may write through (the ioctl structs, receive
 * buffers, the send buffer of a pseudo-received message, list buffers) and
 * out-of-line regions sent with `deallocate` are only ever ours (per-thread
 * buffers, per-operation scratch mappings in a private "zone" of the
 * address space) or addresses that cannot be mapped, so the kernel can
 * never be told to scribble over or unmap the fuzzer itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/mach_port.h>
#include <mach/notify.h>
#include <mach/task_special_ports.h>
#include <mach/vm_map.h>
#include <machipc/machipc.h>

#include "fuzz.h"
#include "msg.h"

/* ---- the process ------------------------------------------------------ */

#define MODEL_MAX 768
#define MODEL_SOFT 320 /* beyond this many names, prefer releasing them */

/* Flags of a model entry. */
#define F_TASK 0x1   /* a send right to a task port */
#define F_INBOX 0x2  /* our own inbox */
#define F_PEER 0x4   /* another process's inbox */
#define F_HOST 0x8
#define F_BOOT 0x10

struct ment {
	uint32_t name;
	uint32_t type;
	uint32_t flags;
};

struct child {
	pid_t pid;
	int slot;
	uint64_t kill_at; /* 0: let it finish */
};

#define MAX_CHILDREN 8

static struct {
	int fd;         /* libmach's descriptor */
	int foreign_fd; /* a descriptor of our parent's task (children), or -1 */
	pthread_mutex_t lock;
	struct ment m[MODEL_MAX];
	int n;
	_Atomic uint32_t self, host, boot, inbox;
	unsigned nthreads;
	pthread_t th[MAX_THREADS];
	_Atomic int32_t tids[MAX_THREADS];
	_Atomic unsigned running;
	uint64_t op_budget; /* per thread; 0: until stopped */
	pthread_mutex_t child_lock;
	struct child children[MAX_CHILDREN];
	unsigned nchildren;
} P;

/* Fixtures: bad pointers at fixed places of the zone (see msg.h). */
static uint8_t *fx_guard, *fx_ro, *fx_straddle_none, *fx_straddle_ro;

#define ARENA_LEN (4u << 20)
#define GUARDED_LEN (256u << 10)
#define NGUARDED 4
#define ARENAS_LEN (ARENA_LEN + 4096 + NGUARDED * (GUARDED_LEN + 4096))

struct fthread {
	unsigned ti; /* index in the heartbeat slots; 1.. */
	struct rng r;
	uint8_t *sbuf; /* send buffer: SBUF_CAP + a page of slack */
	uint8_t *rbuf; /* receive buffer */
	struct machipc_name_info *list;
	union {
		struct machipc_version v;
		struct machipc_port_op po;
		struct machipc_port_list pl;
		struct machipc_port_attr pa;
		struct machipc_msg m;
		uint8_t raw[256];
	} u;
	uintptr_t zone, zone_next, zone_end;
	/* What the message being sent carries (for hang and kernel reports). */
	struct {
		uint32_t claimed, nport, nool, noolp, max_oolp;
		uint64_t ool_bytes;
	} dg;
	/* Persistent scratch: an arena, and regions that end at a guard page. */
	uint8_t *arena;
	size_t arena_used;
	uint8_t *guarded[NGUARDED];
	unsigned guarded_used;
	uint64_t nops;
	/* The value of the last ioctl that ran (fz_ioctl). */
	int32_t ret;
};

#define SBUF_CAP (1200u * 1024u)
#define RBUF_CAP (1200u * 1024u)
#define LIST_CAP 1024u

/* ---- scratch memory in the zone -------------------------------------- */

/* A fresh mapping of `len` bytes (RW) followed by a PROT_NONE page, from
 * this thread's part of the zone; released by scratch_reset. Returns the
 * start, or NULL. With `at_end`, the returned pointer is placed so that
 * the region ends exactly at the guard page (an overrun faults). */
static uint8_t *scratch(struct fthread *th, size_t len, bool at_end)
{
	size_t pg = 4096, maplen = ((len + pg - 1) & ~(pg - 1)) + pg;
	uintptr_t at = th->zone_next;
	void *p;

	/* Small regions come from the thread's arenas, mapped once (fresh
	 * mappings and unmappings for every operation are slow: TLB
	 * shootdowns between CPUs). */
	if (len <= ARENA_LEN / 4 && !at_end && th->arena_used + len <= ARENA_LEN) {
		p = th->arena + th->arena_used;
		th->arena_used += (len + 63) & ~(size_t)63;
		return p;
	}
	if (len <= GUARDED_LEN && at_end && th->guarded_used < NGUARDED) {
		p = th->guarded[th->guarded_used++] + GUARDED_LEN - len;
		return p;
	}

	if (at + maplen > th->zone_end)
		return NULL;
	p = mmap((void *)at, maplen, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	mprotect((uint8_t *)p + maplen - pg, pg, PROT_NONE);
	th->zone_next = at + maplen + pg; /* and an unmapped hole */
	return at_end ? (uint8_t *)p + (maplen - pg - len) : (uint8_t *)p;
}

/* A region the kernel may unmap (sent with `deallocate`): always a fresh
 * mapping of its own. */
static uint8_t *scratch_own(struct fthread *th, size_t len, bool at_end)
{
	size_t used = th->arena_used;
	unsigned gused = th->guarded_used;
	uint8_t *p;

	th->arena_used = ARENA_LEN;
	th->guarded_used = NGUARDED;
	p = scratch(th, len, at_end);
	th->arena_used = used;
	th->guarded_used = gused;
	return p;
}

static void scratch_reset(struct fthread *th)
{
	th->arena_used = 0;
	th->guarded_used = 0;
	if (th->zone_next != th->zone) {
		munmap((void *)th->zone, th->zone_next - th->zone);
		th->zone_next = th->zone;
	}
}

/* An address in this thread's zone that is certainly not mapped. */
static uint64_t zone_hole(struct fthread *th)
{
	return (uint64_t)(th->zone + ZONE_PER_THREAD / 2 + 4096 * below(&th->r, 1024));
}

/* A pointer the kernel cannot read or write `len` bytes at (fixtures,
 * kernel and non-canonical addresses), of kind `kind` (0-10). */
static uint64_t bad_ptr_of(struct fthread *th, size_t len, unsigned kind)
{
	size_t k = len > 1 ? 1 + below(&th->r, len - 1) : 1;

	switch (kind) {
	case 0:
		return 0;
	case 1:
		return (uint64_t)(uintptr_t)(fx_guard + below(&th->r, FX_GUARD_LEN - 64));
	case 2:
		return (uint64_t)(uintptr_t)(fx_ro + (len < 4096 ? below(&th->r, 4096 - len + 1)
								 : below(&th->r, 64)));
	case 3: /* straddles the end of a RW page into a PROT_NONE one */
		return (uint64_t)(uintptr_t)(fx_straddle_none + 4096 - k);
	case 4: /* straddles the end of a RW page into a read-only one */
		return (uint64_t)(uintptr_t)(fx_straddle_ro + 4096 - k);
	case 5:
		return 0xffffffff81000000ULL + below(&th->r, 1 << 20);
	case 6:
		return 0xffff888000000000ULL + below(&th->r, 1 << 20) * 8;
	case 7:
		return 0x0000800000000000ULL + below(&th->r, 4096);
	case 8:
		return ~0ULL - below(&th->r, len);
	case 9:
		return below(&th->r, 65536);
	default:
		return zone_hole(th);
	}
}

static uint64_t bad_ptr(struct fthread *th, size_t len)
{
	return bad_ptr_of(th, len, (unsigned)below(&th->r, 11));
}

/* A pointer the kernel cannot read `len` bytes at: bad_ptr's kinds but the
 * read-only fixtures (2 and 4). */
static uint64_t unreadable_ptr(struct fthread *th, size_t len)
{
	static const unsigned kinds[] = { 0, 1, 3, 5, 6, 7, 8, 9, 10 };

	return bad_ptr_of(th, len, kinds[below(&th->r, sizeof(kinds) / sizeof(kinds[0]))]);
}

/* A bad pointer for a region the kernel may *unmap* (deallocate): never
 * a fixture. */
static uint64_t bad_dealloc_ptr(struct fthread *th)
{
	switch (below(&th->r, 5)) {
	case 0:
		return 0;
	case 1:
		return 0xffffffff81000000ULL;
	case 2:
		return 0x0000800000000000ULL - 4096 * below(&th->r, 3);
	case 3:
		return 1 + below(&th->r, 4095);
	default:
		return zone_hole(th);
	}
}

static bool in_zone(uint64_t a)
{
	return a >= ZONE_BASE && a < ZONE_BASE + ZONE_SIZE;
}

/* ---- the model of our names ------------------------------------------ */

static void model_add(uint32_t name, uint32_t type, uint32_t flags)
{
	if (!MACH_PORT_VALID(name))
		return;
	pthread_mutex_lock(&P.lock);
	for (int i = 0; i < P.n; i++) {
		if (P.m[i].name == name) {
			P.m[i].type |= type;
			P.m[i].flags |= flags;
			pthread_mutex_unlock(&P.lock);
			return;
		}
	}
	if (P.n < MODEL_MAX) {
		P.m[P.n++] = (struct ment){ name, type, flags };
	} else {
		/* Full: replace one (a cheap LRU stand-in). */
		int i = (int)(name % MODEL_MAX);

		P.m[i] = (struct ment){ name, type, flags };
	}
	pthread_mutex_unlock(&P.lock);
}

static void model_del(uint32_t name)
{
	pthread_mutex_lock(&P.lock);
	for (int i = 0; i < P.n; i++) {
		if (P.m[i].name == name) {
			P.m[i] = P.m[--P.n];
			break;
		}
	}
	pthread_mutex_unlock(&P.lock);
}

static int model_size(void)
{
	return P.n;
}

/* A name whose type has one of the `want` bits (any name if none has),
 * mostly; sometimes any name, a special value or noise. */
static uint32_t pick_name(struct fthread *th, uint32_t want, uint32_t want_flags)
{
	struct rng *r = &th->r;
	unsigned roll = (unsigned)below(r, 100);
	uint32_t name = MACH_PORT_NULL;

	if (roll >= 95) {
		switch (below(r, 6)) {
		case 0:
			return MACH_PORT_NULL;
		case 1:
			return MACH_PORT_DEAD;
		case 2:
			return rnd32(r);
		case 3: /* a plausible name: index and generation */
			return (uint32_t)(below(r, 64) << 8) | (uint32_t)(3 + 4 * below(r, 4));
		case 4:
			return P.self;
		default:
			return rnd32(r) & 0xffff;
		}
	}
	pthread_mutex_lock(&P.lock);
	if (P.n) {
		int start = (int)below(r, (uint64_t)P.n), found = -1;

		for (int k = 0; k < P.n && roll < 85; k++) {
			const struct ment *e = &P.m[(start + k) % P.n];

			if ((!want || (e->type & want)) && (!want_flags || (e->flags & want_flags))) {
				found = (start + k) % P.n;
				break;
			}
		}
		name = P.m[found >= 0 ? found : start].name;
	}
	pthread_mutex_unlock(&P.lock);
	return name;
}

/* ---- the ioctl wrapper: heartbeat, counting, errno checks -------------- */

/* Acceptable outcomes of an ioctl. */
#define EX_OK 0x1
#define EX_FAULT 0x2
#define EX_INVAL 0x4
#define EX_NOTTY 0x8
#define EX_PERM 0x10

static const char *cmd_name(unsigned long cmd)
{
	switch (cmd) {
	case MACHIPC_IOC_VERSION:
		return "VERSION";
	case MACHIPC_IOC_PORT_OP:
		return "PORT_OP";
	case MACHIPC_IOC_PORT_LIST:
		return "PORT_LIST";
	case MACHIPC_IOC_PORT_ATTR:
		return "PORT_ATTR";
	case MACHIPC_IOC_MSG:
		return "MSG";
	default:
		return "unknown";
	}
}

static unsigned cmd_op(unsigned long cmd)
{
	switch (cmd) {
	case MACHIPC_IOC_VERSION:
		return FZ_VERSION;
	case MACHIPC_IOC_PORT_OP:
		return FZ_PORT_OP;
	case MACHIPC_IOC_PORT_LIST:
		return FZ_PORT_LIST;
	case MACHIPC_IOC_PORT_ATTR:
		return FZ_PORT_ATTR;
	case MACHIPC_IOC_MSG:
		return FZ_MSG;
	default:
		return FZ_BAD_IOCTL;
	}
}

/*
 * Runs one ioctl. `expect` is the set of acceptable outcomes; `budget_ms`
 * how long it may legitimately take (its Mach timeouts), `blocking` if it
 * may block until killed. a0..a3 describe it in hang reports. Returns the
 * errno (0 if the ioctl ran), and leaves the value of one that ran (MSG:
 * its mach_msg_return_t) in th->ret.
 */
static int fz_ioctl(struct fthread *th, int fd, unsigned long cmd, uint64_t argp, unsigned expect,
		    uint64_t budget_ms, bool blocking, uint64_t a0, uint64_t a1, uint64_t a2,
		    uint64_t a3)
{
	unsigned op = fd == P.foreign_fd && fd >= 0 ? FZ_FOREIGN : cmd_op(cmd);
	int r, e;

	uint64_t t0 = now_ns();

	hb_begin(th->ti, op, budget_ms, blocking, cmd, argp, a0, a1, a2, a3);
	r = ioctl(fd, cmd, (void *)(uintptr_t)argp);
	e = r < 0 ? errno : 0;
	th->ret = r;
	hb_end(th->ti);
	atomic_fetch_add(&G->call_ns[op], now_ns() - t0);
	atomic_fetch_add(&G->ops, 1);
	atomic_fetch_add(&G->op_count[op], 1);
	th->nops++;
	if (G->cfg.trace)
		dprintf(2, "[%u.%u #%llu] %s(%#lx) arg %#llx %#llx %#llx %#llx %#llx -> %d%s%s\n",
			G->procs[my_slot].gen, th->ti, (unsigned long long)th->nops,
			cmd_name(cmd), cmd, (unsigned long long)argp, (unsigned long long)a0,
			(unsigned long long)a1, (unsigned long long)a2, (unsigned long long)a3,
			r, e ? " errno " : "", e ? strerror(e) : "");
	switch (e) {
	case 0:
		if (expect & EX_OK)
			return 0;
		break;
	case EFAULT:
		atomic_fetch_add(&G->errno_count[0], 1);
		if (expect & EX_FAULT)
			return e;
		if (efault_injected())
			return e;
		break;
	case EINVAL:
		atomic_fetch_add(&G->errno_count[1], 1);
		if (expect & EX_INVAL)
			return e;
		break;
	case ENOTTY:
		atomic_fetch_add(&G->errno_count[2], 1);
		if (expect & EX_NOTTY)
			return e;
		break;
	case EPERM:
		atomic_fetch_add(&G->errno_count[3], 1);
		if (expect & EX_PERM)
			return e;
		break;
	case EINTR:
		return e;
	case ENOMEM:
		atomic_fetch_add(&G->enomem, 1);
		break;
	default:
		break;
	}
	fz_anomaly("%s ioctl (cmd %#lx, arg %#llx, %#llx %#llx %#llx %#llx) returned %s, expected%s%s%s%s%s",
		   cmd_name(cmd), cmd, (unsigned long long)argp, (unsigned long long)a0,
		   (unsigned long long)a1, (unsigned long long)a2, (unsigned long long)a3,
		   e ? strerror(e) : "success", expect & EX_OK ? " success" : "",
		   expect & EX_FAULT ? " EFAULT" : "", expect & EX_INVAL ? " EINVAL" : "",
		   expect & EX_NOTTY ? " ENOTTY" : "", expect & EX_PERM ? " EPERM" : "");
	return e;
}

/* Checks the Mach code of a call that ran. A mach_port_* call (not a
 * message) whose target is a send right to a port a task receives on says
 * MACHIPC_KR_USER_PORT: libmach then sends the MIG request itself (the
 * ABI, uapi/machipc.h). */
static void check_kr(const char *what, uint64_t detail, int32_t kr, bool msg)
{
	if (!msg && kr == MACHIPC_KR_USER_PORT)
		return;
	if (!valid_code(kr))
		fz_anomaly("%s (%#llx) returned %#x, not a Mach return code", what,
			   (unsigned long long)detail, (unsigned)kr);
}

/* A struct argument: ours (good), or a bad pointer (EFAULT expected). */
static uint64_t struct_ptr(struct fthread *th, size_t len, unsigned *expect, unsigned bad_permille)
{
	if (permille(&th->r, bad_permille)) {
		*expect = EX_FAULT;
		return bad_ptr(th, len);
	}
	*expect = EX_OK;
	return (uint64_t)(uintptr_t)&th->u;
}

/* A PORT_OP on our descriptor with all fields given; the Mach result (or
 * KERN_FAILURE if the ioctl failed). */
static int32_t port_op(struct fthread *th, uint32_t op, uint32_t task, uint32_t name, uint32_t arg,
		       uint64_t v0, uint64_t v1, struct machipc_port_op *out)
{
	struct machipc_port_op *o = &th->u.po;
	int e;

	*o = (struct machipc_port_op){ .op = op, .task = task, .name = name, .arg = arg,
				       .val = { v0, v1 } };
	e = fz_ioctl(th, P.fd, MACHIPC_IOC_PORT_OP, (uint64_t)(uintptr_t)o, EX_OK, 0, false, op,
		     task, name, arg);
	if (e)
		return KERN_FAILURE;
	check_kr("PORT_OP", op, o->kr, false);
	if (out)
		*out = *o;
	return o->kr;
}

static uint32_t self_task(struct fthread *th)
{
	struct machipc_port_op o;

	if (port_op(th, MACHIPC_OP_TASK_SELF, 0, 0, 0, 0, 0, &o) == KERN_SUCCESS) {
		P.self = o.name;
		model_add(o.name, MACH_PORT_TYPE_SEND, F_TASK);
	}
	return P.self;
}

/* ---- random arguments ------------------------------------------------- */

static uint32_t pick_task(struct fthread *th)
{
	unsigned roll = (unsigned)below(&th->r, 100);

	if (roll < 80)
		return P.self;
	if (roll < 89)
		return pick_name(th, MACH_PORT_TYPE_SEND, F_TASK);
	if (roll < 92)
		return P.host;
	if (roll < 94)
		return MACH_PORT_NULL;
	if (roll < 97)
		return pick_name(th, 0, 0);
	return rnd32(&th->r);
}

static uint32_t pick_right(struct fthread *th)
{
	if (permille(&th->r, 900))
		return (uint32_t)below(&th->r, 5);
	return permille(&th->r, 500) ? (uint32_t)below(&th->r, 8) : rnd32(&th->r);
}

static const uint8_t dispositions[] = {
	MACH_MSG_TYPE_MOVE_RECEIVE, MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MOVE_SEND_ONCE,
	MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE,
	MACH_MSG_TYPE_COPY_RECEIVE, MACH_MSG_TYPE_DISPOSE_RECEIVE, MACH_MSG_TYPE_DISPOSE_SEND,
	MACH_MSG_TYPE_DISPOSE_SEND_ONCE,
};

static uint32_t pick_disposition(struct fthread *th)
{
	unsigned roll = (unsigned)below(&th->r, 100);

	if (roll < 90)
		return dispositions[below(&th->r, 6)];
	if (roll < 96)
		return dispositions[below(&th->r, sizeof(dispositions))];
	return (uint32_t)below(&th->r, 32);
}

/* The model type a right of disposition `d` gives its receiver. */
static uint32_t type_of_disposition(uint32_t d)
{
	switch (d) {
	case MACH_MSG_TYPE_MOVE_RECEIVE:
		return MACH_PORT_TYPE_RECEIVE;
	case MACH_MSG_TYPE_MOVE_SEND:
	case MACH_MSG_TYPE_COPY_SEND:
	case MACH_MSG_TYPE_MAKE_SEND:
		return MACH_PORT_TYPE_SEND;
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		return MACH_PORT_TYPE_SEND_ONCE;
	default:
		return 0;
	}
}

/* A name suited to disposition `d` (mostly). */
static uint32_t name_for(struct fthread *th, uint32_t d)
{
	switch (d) {
	case MACH_MSG_TYPE_MOVE_RECEIVE:
	case MACH_MSG_TYPE_MAKE_SEND:
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
	case MACH_MSG_TYPE_DISPOSE_RECEIVE:
		return pick_name(th, MACH_PORT_TYPE_RECEIVE, 0);
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
	case MACH_MSG_TYPE_DISPOSE_SEND_ONCE:
		return pick_name(th, MACH_PORT_TYPE_SEND_ONCE, 0);
	default:
		return pick_name(th, MACH_PORT_TYPE_SEND, 0);
	}
}

static uint64_t pick_u64(struct fthread *th)
{
	switch (below(&th->r, 6)) {
	case 0:
		return 0;
	case 1:
		return below(&th->r, 8);
	case 2:
		return (uint64_t)-(int64_t)below(&th->r, 4);
	case 3:
		return 0xffffffffULL - below(&th->r, 2);
	case 4:
		return 0x7fffffffULL + below(&th->r, 3);
	default:
		return rnd64(&th->r);
	}
}

static int32_t pick_delta(struct fthread *th)
{
	switch (below(&th->r, 8)) {
	case 0:
		return 0;
	case 1:
	case 2:
		return -1;
	case 3:
	case 4:
		return 1;
	case 5:
		return (int32_t)below(&th->r, 5) - 2;
	case 6:
		return permille(&th->r, 500) ? 0xffff : -0xffff;
	default:
		return (int32_t)rnd32(&th->r);
	}
}

/* ---- PORT_OP ----------------------------------------------------------- */

static const uint32_t notify_ids[] = {
	MACH_NOTIFY_PORT_DELETED, MACH_NOTIFY_SEND_POSSIBLE, MACH_NOTIFY_PORT_DESTROYED,
	MACH_NOTIFY_NO_SENDERS, MACH_NOTIFY_SEND_ONCE, MACH_NOTIFY_DEAD_NAME,
};

static void op_port(struct fthread *th)
{
	struct rng *r = &th->r;
	struct machipc_port_op *o = &th->u.po;
	uint32_t op = permille(r, 20) ? rnd32(r) % 40 : 1 + (uint32_t)below(r, 27);
	uint32_t task = pick_task(th);
	unsigned expect;
	uint64_t ptr;
	bool self = task == P.self;
	int e;

	memset(o, 0, sizeof(*o));
	o->op = op;
	o->task = task;
	switch (op) {
	case MACHIPC_OP_ALLOCATE: {
		static const uint32_t rights[] = { MACH_PORT_RIGHT_RECEIVE, MACH_PORT_RIGHT_RECEIVE,
						   MACH_PORT_RIGHT_PORT_SET, MACH_PORT_RIGHT_DEAD_NAME,
						   MACH_PORT_RIGHT_SEND, MACH_PORT_RIGHT_SEND_ONCE };

		o->arg = permille(r, 900) ? rights[below(r, 6)] : pick_right(th);
		if (permille(r, 150)) {
			o->val[0] = MACHIPC_ALLOCATE_NAMED;
			o->name = permille(r, 500) ? pick_name(th, 0, 0)
						   : (uint32_t)(below(r, 4096) << 8) | (uint32_t)below(r, 256);
		}
		break;
	}
	case MACHIPC_OP_CONSTRUCT:
		o->arg = permille(r, 800) ? (uint32_t)below(r, 0x80) : rnd32(r);
		o->val[0] = pick_u64(th);
		o->val[1] = permille(r, 800) ? below(r, 20) : pick_u64(th);
		break;
	case MACHIPC_OP_DESTRUCT:
		o->name = pick_name(th, MACH_PORT_TYPE_RECEIVE, 0);
		o->val[0] = (uint64_t)(int64_t)(permille(r, 700) ? -(int32_t)below(r, 2) : pick_delta(th));
		o->val[1] = pick_u64(th);
		break;
	case MACHIPC_OP_DESTROY:
	case MACHIPC_OP_DEALLOCATE:
	case MACHIPC_OP_TYPE:
	case MACHIPC_OP_KERNEL_OBJECT:
	case MACHIPC_OP_GET_CONTEXT:
		o->name = pick_name(th, 0, 0);
		break;
	case MACHIPC_OP_GET_REFS:
		o->name = pick_name(th, 0, 0);
		o->arg = pick_right(th);
		break;
	case MACHIPC_OP_MOD_REFS:
		o->name = pick_name(th, 0, 0);
		o->arg = pick_right(th);
		o->val[0] = (uint64_t)(int64_t)pick_delta(th);
		break;
	case MACHIPC_OP_INSERT_RIGHT:
		o->arg = pick_disposition(th);
		o->val[0] = name_for(th, o->arg);
		o->name = permille(r, 500) ? (uint32_t)o->val[0]
					   : (permille(r, 500) ? pick_name(th, 0, 0)
							       : (uint32_t)(below(r, 8192) << 8) | 3);
		break;
	case MACHIPC_OP_EXTRACT_RIGHT:
		o->arg = pick_disposition(th);
		o->name = name_for(th, o->arg);
		break;
	case MACHIPC_OP_INSERT_MEMBER:
	case MACHIPC_OP_EXTRACT_MEMBER:
		o->name = pick_name(th, MACH_PORT_TYPE_RECEIVE, 0);
		o->arg = pick_name(th, MACH_PORT_TYPE_PORT_SET, 0);
		break;
	case MACHIPC_OP_MOVE_MEMBER:
		o->name = pick_name(th, MACH_PORT_TYPE_RECEIVE, 0);
		o->arg = permille(r, 300) ? MACH_PORT_NULL : pick_name(th, MACH_PORT_TYPE_PORT_SET, 0);
		break;
	case MACHIPC_OP_SET_MSCOUNT:
	case MACHIPC_OP_SET_SEQNO:
	case MACHIPC_OP_SET_CONTEXT:
		o->name = pick_name(th, MACH_PORT_TYPE_RECEIVE, 0);
		o->val[0] = pick_u64(th);
		break;
	case MACHIPC_OP_GUARD:
	case MACHIPC_OP_UNGUARD:
		o->name = pick_name(th, MACH_PORT_TYPE_RECEIVE, 0);
		o->arg = (uint32_t)below(r, 3);
		o->val[0] = permille(r, 500) ? 0x6775617264ULL + below(r, 4) : pick_u64(th);
		break;
	case MACHIPC_OP_TASK_SELF:
	case MACHIPC_OP_HOST_SELF:
		break;
	case MACHIPC_OP_TASK_GET_SPECIAL:
		o->arg = permille(r, 900) ? (uint32_t)below(r, 12) : rnd32(r);
		break;
	case MACHIPC_OP_TASK_SET_SPECIAL:
		/* Rarely the task's own kernel port: it cuts the process off. */
		o->arg = permille(r, 30) ? TASK_KERNEL_PORT
					 : (permille(r, 900) ? 2 + (uint32_t)below(r, 10) : rnd32(r));
		o->name = permille(r, 200) ? MACH_PORT_NULL : pick_name(th, MACH_PORT_TYPE_SEND, 0);
		break;
	case MACHIPC_OP_HOST_GET_SPECIAL:
	case MACHIPC_OP_HOST_SET_SPECIAL:
		o->task = permille(r, 800) ? P.host : task;
		o->arg = permille(r, 900) ? (uint32_t)below(r, 16) : rnd32(r);
		o->val[0] = below(r, 2);
		o->name = pick_name(th, MACH_PORT_TYPE_SEND, 0);
		break;
	case MACHIPC_OP_REQUEST_NOTIFICATION: {
		uint32_t id = permille(r, 900) ? notify_ids[below(r, 6)] : rnd32(r) % 80;
		uint32_t want = (id == MACH_NOTIFY_NO_SENDERS || id == MACH_NOTIFY_PORT_DESTROYED)
					? MACH_PORT_TYPE_RECEIVE
					: MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_DEAD_NAME;
		uint64_t notify, poly;

		o->arg = id;
		o->name = pick_name(th, want, 0);
		o->val[0] = permille(r, 700) ? below(r, 3) : pick_u64(th);
		if (permille(r, 100)) {
			notify = MACH_PORT_NULL; /* cancel */
			poly = MACH_MSG_TYPE_MAKE_SEND_ONCE;
		} else if (permille(r, 800)) {
			notify = pick_name(th, MACH_PORT_TYPE_RECEIVE, 0);
			poly = MACH_MSG_TYPE_MAKE_SEND_ONCE;
		} else {
			poly = pick_disposition(th);
			notify = name_for(th, (uint32_t)poly);
		}
		o->val[1] = notify | (poly << 32);
		break;
	}
	default:
		o->name = pick_name(th, 0, 0);
		o->arg = rnd32(r);
		o->val[0] = pick_u64(th);
		o->val[1] = pick_u64(th);
		break;
	}
	if (permille(r, 10))
		o->reserved = rnd32(r) | 1;
	ptr = struct_ptr(th, sizeof(*o), &expect, 15);
	if (expect == EX_OK && o->reserved)
		expect = EX_INVAL;
	e = fz_ioctl(th, P.fd, MACHIPC_IOC_PORT_OP, ptr, expect, 0, false, o->op, o->task, o->name,
		     o->arg);
	if (e || expect != EX_OK)
		return;
	check_kr("PORT_OP", o->op, o->kr, false);
	if (o->kr == MACH_SEND_INVALID_DEST && task == P.self)
		self_task(th); /* our task name went away: look it up again */
	if (o->kr != KERN_SUCCESS)
		return;
	switch (op) {
	case MACHIPC_OP_ALLOCATE:
		if (self)
			model_add(o->name, o->arg < 8 ? MACH_PORT_TYPE(o->arg) : 0, 0);
		break;
	case MACHIPC_OP_CONSTRUCT:
		if (self)
			model_add(o->name, MACH_PORT_TYPE_RECEIVE |
					   (o->arg & MPO_INSERT_SEND_RIGHT ? MACH_PORT_TYPE_SEND : 0), 0);
		break;
	case MACHIPC_OP_DESTROY:
		if (self)
			model_del(o->name);
		break;
	case MACHIPC_OP_EXTRACT_RIGHT:
		model_add((uint32_t)o->val[0], type_of_disposition(o->arg), 0);
		break;
	case MACHIPC_OP_KERNEL_OBJECT:
		if (self && o->val[0] == 2) /* IKOT_TASK */
			model_add(o->name, MACH_PORT_TYPE_SEND, F_TASK);
		break;
	case MACHIPC_OP_TASK_SELF:
		model_add(o->name, MACH_PORT_TYPE_SEND, F_TASK);
		break;
	case MACHIPC_OP_HOST_SELF:
		model_add(o->name, MACH_PORT_TYPE_SEND, F_HOST);
		P.host = o->name;
		break;
	case MACHIPC_OP_TASK_GET_SPECIAL:
	case MACHIPC_OP_HOST_GET_SPECIAL:
		model_add(o->name, MACH_PORT_TYPE_SEND, o->arg == TASK_KERNEL_PORT ? F_TASK : 0);
		break;
	case MACHIPC_OP_REQUEST_NOTIFICATION:
		model_add(o->name, MACH_PORT_TYPE_SEND_ONCE, 0);
		break;
	default:
		break;
	}
}

/* PORT_OP with entirely random contents. */
static void op_port_raw(struct fthread *th)
{
	struct machipc_port_op *o = &th->u.po;
	unsigned expect;
	uint64_t ptr;
	int e;

	for (size_t i = 0; i < sizeof(*o); i += 8) {
		uint64_t v = rnd64(&th->r);

		memcpy((uint8_t *)o + i, &v, 8);
	}
	o->op = (uint32_t)below(&th->r, 32);
	if (permille(&th->r, 700))
		o->task = P.self;
	if (permille(&th->r, 700))
		o->reserved = 0;
	if (permille(&th->r, 500))
		o->name = pick_name(th, 0, 0);
	/* Never a named allocation of a random name in a random task: the
	 * contents are random, the rest is not restricted. */
	ptr = struct_ptr(th, sizeof(*o), &expect, 30);
	if (expect == EX_OK && o->reserved)
		expect = EX_INVAL;
	e = fz_ioctl(th, P.fd, MACHIPC_IOC_PORT_OP, ptr, expect, 0, false, o->op, o->task, o->name,
		     o->arg);
	if (!e && expect == EX_OK)
		check_kr("PORT_OP(raw)", o->op, o->kr, false);
}

/* ---- PORT_LIST / PORT_ATTR / VERSION / unknown ioctls ------------------- */

/* Reads our space into the model (the kernel is the authority). */
static void model_refresh(struct fthread *th)
{
	struct machipc_port_list *l = &th->u.pl;
	struct ment old[MODEL_MAX];
	int nold, e;

	*l = (struct machipc_port_list){ .op = MACHIPC_LIST_NAMES, .task = P.self,
					 .capacity = LIST_CAP,
					 .buf = (uint64_t)(uintptr_t)th->list };
	e = fz_ioctl(th, P.fd, MACHIPC_IOC_PORT_LIST, (uint64_t)(uintptr_t)l, EX_OK, 0, false,
		     l->op, l->task, 0, l->capacity);
	if (e)
		return;
	check_kr("PORT_LIST", l->op, l->kr, false);
	if (l->kr != KERN_SUCCESS) {
		if (l->kr == MACH_SEND_INVALID_DEST)
			self_task(th);
		return;
	}
	pthread_mutex_lock(&P.lock);
	nold = P.n;
	memcpy(old, P.m, sizeof(old[0]) * (size_t)nold);
	P.n = 0;
	for (uint32_t i = 0; i < l->count && i < LIST_CAP && P.n < MODEL_MAX; i++) {
		uint32_t flags = 0, name = th->list[i].name;

		for (int k = 0; k < nold; k++)
			if (old[k].name == name)
				flags = old[k].flags;
		P.m[P.n++] = (struct ment){ name, th->list[i].type & 0xffffff, flags };
	}
	pthread_mutex_unlock(&P.lock);
}

static void op_list(struct fthread *th)
{
	struct rng *r = &th->r;
	struct machipc_port_list *l = &th->u.pl;
	unsigned expect;
	uint64_t ptr;
	bool bad_buf = false;
	int e;

	memset(l, 0, sizeof(*l));
	l->op = permille(r, 950) ? 1 + (uint32_t)below(r, 2) : rnd32(r) % 8;
	l->task = pick_task(th);
	l->name = l->op == MACHIPC_LIST_SET_MEMBERS ? pick_name(th, MACH_PORT_TYPE_PORT_SET, 0)
						    : pick_name(th, 0, 0);
	switch (below(r, 6)) {
	case 0:
		l->capacity = 0;
		l->buf = permille(r, 500) ? 0 : bad_ptr(th, 24);
		bad_buf = true; /* capacity 0: nothing is written */
		break;
	case 1: /* a bad buffer */
		l->capacity = 1 + (uint32_t)below(r, LIST_CAP);
		l->buf = bad_ptr(th, sizeof(struct machipc_name_info) * l->capacity);
		bad_buf = true;
		break;
	case 2: { /* a buffer that ends before `capacity` entries do */
		uint32_t fits = (uint32_t)below(r, 8);
		uint8_t *p = scratch(th, fits * sizeof(struct machipc_name_info), true);

		l->capacity = fits + 1 + (uint32_t)below(r, 64);
		l->buf = (uint64_t)(uintptr_t)p;
		bad_buf = true;
		break;
	}
	case 3:
		l->capacity = permille(r, 500) ? 0xffffffffu : rnd32(r);
		l->buf = bad_ptr(th, 4096);
		bad_buf = true;
		break;
	default:
		l->capacity = (uint32_t)below(r, LIST_CAP + 1);
		l->buf = (uint64_t)(uintptr_t)th->list;
		break;
	}
	if (permille(r, 10))
		l->reserved = rnd32(r) | 1;
	if (permille(r, 10)) { /* outputs given garbage on input */
		l->count = rnd32(r);
		l->table_size = rnd32(r);
		l->kr = (int32_t)rnd32(r);
	}
	ptr = struct_ptr(th, sizeof(*l), &expect, 20);
	if (expect == EX_OK && l->reserved)
		expect = EX_INVAL;
	else if (expect == EX_OK && bad_buf)
		expect |= EX_FAULT;
	e = fz_ioctl(th, P.fd, MACHIPC_IOC_PORT_LIST, ptr, expect, 0, false, l->op, l->task,
		     l->name, l->capacity);
	if (!e && (expect & EX_OK))
		check_kr("PORT_LIST", l->op, l->kr, false);
}

static void op_attr(struct fthread *th)
{
	struct rng *r = &th->r;
	struct machipc_port_attr *a = &th->u.pa;
	static const uint32_t counts[] = { 0, 1, 1, 1, 1, 1, 1, 17 };
	unsigned expect;
	uint64_t ptr;
	int e;

	memset(a, 0, sizeof(*a));
	a->task = pick_task(th);
	a->name = pick_name(th, MACH_PORT_TYPE_RECEIVE, 0);
	a->flavor = permille(r, 900) ? 1 + (int32_t)below(r, 9) : (int32_t)rnd32(r);
	a->set = permille(r, 950) ? (uint32_t)below(r, 2) : rnd32(r);
	if (permille(r, 800))
		a->count = a->flavor >= 1 && a->flavor <= 7 ? counts[a->flavor] : 1;
	else
		a->count = permille(r, 500) ? (uint32_t)below(r, 40) : rnd32(r);
	if (a->flavor == MACH_PORT_RECEIVE_STATUS && permille(r, 800))
		a->count = 10;
	for (int i = 0; i < MACHIPC_ATTR_INFO_MAX; i++)
		a->info[i] = permille(r, 500) ? (uint32_t)below(r, 8) : rnd32(r);
	if (a->set == 1) {
		switch (a->flavor) {
		case MACH_PORT_LIMITS_INFO: {
			static const uint32_t q[] = { 0, 1, 2, 5, 16, 1024, 1025, 65534 };

			a->info[0] = permille(r, 900) ? q[below(r, 8)] : rnd32(r);
			break;
		}
		case MACH_PORT_DNREQUESTS_SIZE:
			/* Mostly small tables; the big ones pin kernel memory. */
			a->info[0] = permille(r, 980) ? (uint32_t)below(r, 64)
						      : (permille(r, 500) ? 65536 : rnd32(r));
			break;
		default:
			break;
		}
	}
	ptr = struct_ptr(th, sizeof(*a), &expect, 20);
	e = fz_ioctl(th, P.fd, MACHIPC_IOC_PORT_ATTR, ptr, expect, 0, false, (uint64_t)a->flavor,
		     a->set, a->name, a->count);
	if (!e && expect == EX_OK) {
		check_kr("PORT_ATTR", (uint64_t)a->flavor, a->kr, false);
		if (a->kr == KERN_SUCCESS && !a->set && a->count > MACHIPC_ATTR_INFO_MAX)
			fz_anomaly("PORT_ATTR get of flavor %d returned count %u > %u", a->flavor,
				   a->count, MACHIPC_ATTR_INFO_MAX);
	}
}

static void op_version(struct fthread *th)
{
	struct machipc_version *v = &th->u.v;
	unsigned expect;
	uint64_t ptr;
	int e;

	uint32_t sent;

	memset(v, 0, sizeof(*v));
	v->abi_version = permille(&th->r, 700) ? MACHIPC_ABI_VERSION : rnd32(&th->r);
	sent = v->abi_version;
	v->compatible = rnd32(&th->r);
	if (permille(&th->r, 100))
		v->reserved[below(&th->r, 2)] = rnd64(&th->r) | 1;
	ptr = struct_ptr(th, sizeof(*v), &expect, 100);
	if (expect == EX_OK && (v->reserved[0] || v->reserved[1]))
		expect = EX_INVAL;
	e = fz_ioctl(th, P.fd, MACHIPC_IOC_VERSION, ptr, expect, 0, false, v->abi_version, 0, 0, 0);
	if (!e && expect == EX_OK &&
	    (v->abi_version != MACHIPC_ABI_VERSION ||
	     v->compatible != (sent == MACHIPC_ABI_VERSION ? 1u : 0u)))
		fz_anomaly("VERSION: abi %u compatible %u for our abi %u", v->abi_version,
			   v->compatible, sent);
}

/* An ioctl number the module does not know, on any argument. */
static void op_bad_ioctl(struct fthread *th)
{
	struct rng *r = &th->r;
	unsigned long cmd;

	do {
		switch (below(r, 4)) {
		case 0: /* a known number with another size or direction */
			cmd = _IOC(below(r, 4), MACHIPC_IOC_MAGIC, below(r, 5), below(r, 512));
			break;
		case 1:
			cmd = _IOC(below(r, 4), MACHIPC_IOC_MAGIC, below(r, 256), below(r, 1 << 14));
			break;
		case 2:
			cmd = _IOWR(MACHIPC_IOC_MAGIC, 5 + below(r, 251), struct machipc_msg);
			break;
		default:
			cmd = rnd32(r);
			break;
		}
	} while (cmd == MACHIPC_IOC_VERSION || cmd == MACHIPC_IOC_PORT_OP ||
		 cmd == MACHIPC_IOC_PORT_LIST || cmd == MACHIPC_IOC_PORT_ATTR ||
		 cmd == MACHIPC_IOC_MSG ||
		 /* generic file ioctls the VFS answers itself */
		 cmd == FIOCLEX || cmd == FIONCLEX || cmd == FIONBIO || cmd == FIOASYNC ||
		 cmd == FIOQSIZE || _IOC_TYPE(cmd) == 0x54 || _IOC_TYPE(cmd) == 0x12 ||
		 _IOC_TYPE(cmd) == 'f' || _IOC_TYPE(cmd) == 0x94 || _IOC_TYPE(cmd) == 0x15);
	memset(&th->u, 0, sizeof(th->u));
	fz_ioctl(th, P.fd, cmd, permille(r, 500) ? (uint64_t)(uintptr_t)&th->u : bad_ptr(th, 64),
		 EX_NOTTY, 0, false, cmd, 0, 0, 0);
}

/* ---- messages ---------------------------------------------------------- */

/* An address the kernel mapped for us (not one of ours in the zone, not a
 * bad pointer we sent), `len` bytes. */
static bool kernel_mapped(uint64_t addr, uint64_t len)
{
	unsigned char vec;

	return addr && !in_zone(addr) && !(addr & 4095) && len && len <= (256u << 20) &&
	       mincore((void *)(uintptr_t)addr, 4096, &vec) == 0;
}

/*
 * Takes in a received (or pseudo-received) message: learns its names,
 * optionally has libmach destroy it (its rights, and the memory it says to
 * deallocate), then unmaps the out-of-line memory the kernel mapped for us
 * that is still ours (never twice: a freed range may be someone else's
 * fresh mapping by then).
 */
static void take_message(struct fthread *th, uint8_t *buf, size_t size, bool destroy)
{
	struct msg_view v;

	if (!msg_parse(buf, size, &v))
		return;
	if (MACH_PORT_VALID(v.remote))
		model_add(v.remote, type_of_disposition(v.remote_disp),
			  v.id == HELLO_ID ? F_PEER : 0);
	for (unsigned i = 0; i < v.ndesc; i++) {
		const struct desc_view *d = &v.d[i];

		if (d->type == MACH_MSG_PORT_DESCRIPTOR) {
			/* hello and introductions: pairs of an inbox and a task port */
			model_add(d->name, type_of_disposition(d->disp),
				  (v.id == HELLO_ID || v.id == INTRO_ID) ? (i % 2 ? F_TASK : F_PEER) : 0);
		} else if (d->type == MACH_MSG_OOL_PORTS_DESCRIPTOR && d->count <= (1u << 22) &&
			   kernel_mapped(d->addr, (uint64_t)d->count * 4)) {
			const uint32_t *names = (const uint32_t *)(uintptr_t)d->addr;

			for (uint32_t k = 0; k < d->count && k < 64; k++)
				model_add(names[k], type_of_disposition(d->disp), 0);
		}
	}
	if (destroy) {
		hb_begin(th->ti, FZ_LIBMACH, 2000, false, 1, 0, 0, 0, 0, 0);
		mach_msg_destroy((mach_msg_header_t *)(void *)buf);
		hb_end(th->ti);
	}
	for (unsigned i = 0; i < v.ndesc; i++) {
		const struct desc_view *d = &v.d[i];
		uint64_t len = d->type == MACH_MSG_OOL_PORTS_DESCRIPTOR ? (uint64_t)d->count * 4 : d->size;

		if (d->type != MACH_MSG_OOL_DESCRIPTOR && d->type != MACH_MSG_OOL_VOLATILE_DESCRIPTOR &&
		    d->type != MACH_MSG_OOL_PORTS_DESCRIPTOR)
			continue;
		if (destroy && d->dealloc)
			continue; /* libmach unmapped it */
		if (kernel_mapped(d->addr, len)) {
			(void)*(volatile const uint8_t *)(uintptr_t)d->addr;
			munmap((void *)(uintptr_t)d->addr, len);
		}
	}
}

/* Fills an OOL descriptor's region: a scratch mapping (valid), or a bad
 * address; `dealloc` restricts bad addresses to ones we may lose. */
static uint64_t ool_address(struct fthread *th, size_t size, bool dealloc, bool fill,
			    size_t *valid)
{
	unsigned roll = (unsigned)below(&th->r, 100);

	*valid = 0;
	if (roll < 88 || size == 0) {
		bool at_end = permille(&th->r, 300);
		uint8_t *p = dealloc ? scratch_own(th, size ? size : 1, at_end)
				     : scratch(th, size ? size : 1, at_end);

		if (!p)
			return dealloc ? bad_dealloc_ptr(th) : bad_ptr(th, size);
		if (fill && size <= 65536)
			for (size_t i = 0; i < size; i += 64)
				p[i] = (uint8_t)rnd32(&th->r);
		*valid = size;
		return (uint64_t)(uintptr_t)p;
	}
	if (roll < 94) { /* valid start, runs into a guard page */
		uint8_t *p = dealloc ? scratch_own(th, size / 2, true) : scratch(th, size / 2, true);

		if (p) {
			*valid = size / 2;
			return (uint64_t)(uintptr_t)p;
		}
	}
	return dealloc ? bad_dealloc_ptr(th) : bad_ptr(th, size);
}

struct build_opts {
	uint32_t dest;      /* MACH_PORT_NULL: pick */
	uint32_t dest_disp; /* 0: pick */
	bool complex;
	unsigned max_desc;
	bool rights_only; /* a rights-passing message: port and OOL-ports descriptors */
	bool big;         /* a big message (victims) */
	int32_t id;
};

/* Builds a message from the model into th->sbuf; its size. */
static uint32_t build_msg(struct fthread *th, const struct build_opts *bo)
{
	struct rng *r = &th->r;
	struct msg_builder b;
	uint32_t rd = bo->dest_disp, ld = 0, vd = 0, remote, local = 0, voucher = 0;
	unsigned nd = 0;

	if (!rd) {
		unsigned roll = (unsigned)below(r, 100);

		rd = roll < 50 ? MACH_MSG_TYPE_COPY_SEND
		     : roll < 65 ? MACH_MSG_TYPE_MAKE_SEND
		     : roll < 78 ? MACH_MSG_TYPE_MAKE_SEND_ONCE
		     : roll < 88 ? MACH_MSG_TYPE_MOVE_SEND_ONCE
		     : roll < 94 ? MACH_MSG_TYPE_MOVE_SEND
				 : pick_disposition(th);
	}
	remote = bo->dest ? bo->dest : name_for(th, rd);
	if (permille(r, 450)) {
		unsigned roll = (unsigned)below(r, 100);

		ld = roll < 60 ? MACH_MSG_TYPE_MAKE_SEND_ONCE
		     : roll < 75 ? MACH_MSG_TYPE_MAKE_SEND
		     : roll < 85 ? MACH_MSG_TYPE_COPY_SEND
		     : roll < 92 ? MACH_MSG_TYPE_MOVE_SEND_ONCE
				 : pick_disposition(th);
		local = name_for(th, ld);
		if (permille(r, 100))
			local = remote; /* dest == reply combinations */
	}
	if (permille(r, 20)) {
		vd = pick_disposition(th);
		voucher = pick_name(th, 0, 0);
	}
	if (bo->complex)
		nd = bo->big ? 1 + (unsigned)below(r, 4) : (unsigned)below(r, bo->max_desc + 1);
	memset(&th->dg, 0, sizeof(th->dg));
	mb_begin(&b, th->sbuf, SBUF_CAP);
	mb_header(&b, MACH_MSGH_BITS_SET(rd, ld, vd, 0) | (bo->complex ? MACH_MSGH_BITS_COMPLEX : 0),
		  remote, local, voucher, bo->id ? bo->id : (int32_t)rnd32(r));
	if (permille(r, 5))
		b.buf[0] ^= (uint8_t)(1u << below(r, 8)); /* stray bits */
	if (bo->complex) {
		uint32_t claimed = nd;

		if (permille(r, 10))
			claimed = permille(r, 500) ? nd + 1 + (uint32_t)below(r, 4) : rnd32(r);
		if (G->cfg.huge && permille(r, 2)) {
			/* Many port descriptors: beyond the page allocator's limit. */
			nd = 20000 + (unsigned)below(r, 70000);
			if (nd * 12 + 64 > SBUF_CAP)
				nd = (SBUF_CAP - 64) / 12;
			claimed = nd;
		}
		th->dg.claimed = claimed;
		mb_body(&b, claimed);
		for (unsigned i = 0; i < nd; i++) {
			unsigned roll = (unsigned)below(r, 100);

			if (bo->rights_only)
				roll = roll < 70 ? 0 : 60;
			if (nd > 64)
				roll = 0;
			if (roll < 45) {
				uint32_t d = pick_disposition(th);

				if (!mb_port(&b, name_for(th, d), (uint8_t)d, permille(r, 5) ? rnd32(r) : 0))
					break;
				th->dg.nport++;
			} else if (roll < 70) {
				bool dealloc = permille(r, 100);
				uint64_t size = bo->big ? (64u << 10) + logsize(r, 8u << 20)
						: (G->cfg.big && permille(r, 20)) ? logsize(r, 1u << 20)
										  : logsize(r, 16384);
				uint8_t copy = permille(r, 950) ? (uint8_t)below(r, 3) : (uint8_t)rnd32(r);

				if (G->cfg.huge && permille(r, 3))
					size = permille(r, 500) ? (64u << 20) + 1 : rnd32(r);
				size_t valid;

				if (!mb_ool(&b, ool_address(th, (size_t)size, dealloc, !bo->big, &valid),
					    (uint32_t)size,
					    dealloc, copy,
					    permille(r, 950) ? MACH_MSG_OOL_DESCRIPTOR
							     : MACH_MSG_OOL_VOLATILE_DESCRIPTOR))
					break;
				th->dg.nool++;
				th->dg.ool_bytes += size;
			} else if (roll < 95) {
				uint32_t d = pick_disposition(th);
				uint32_t count = bo->big ? 100 + (uint32_t)below(r, 20000)
							 : (uint32_t)logsize(r, 64);
				bool dealloc = permille(r, 100);
				uint64_t addr;
				size_t valid;

				if (G->cfg.huge && permille(r, 5)) {
					/* Hundreds of thousands of copies of one right (the
					 * teardown of such a message), or millions (beyond
					 * the page allocator's limit). */
					static const uint8_t many[] = {
						MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_COPY_SEND,
						MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE,
					};

					count = permille(r, 500) ? 150000 + (uint32_t)below(r, 100000)
								 : 1000000 + (uint32_t)below(r, 1200000);
					if (permille(r, 900))
						d = many[below(r, 4)];
					dealloc = false;
				}
				addr = ool_address(th, (size_t)count * 4, dealloc, false, &valid);
				if (valid) {
					/* Names from the model, with repeats: many copies of
					 * a few rights. */
					uint32_t *names = (uint32_t *)(uintptr_t)addr;
					uint32_t n1 = name_for(th, d), n2 = name_for(th, d);
					bool one = count > 64 && permille(r, 700);

					for (uint32_t k = 0; k < count && (k + 1) * 4 <= valid; k++)
						names[k] = one ? n1 : k < 64 ? name_for(th, d) : ((k & 1) ? n1 : n2);
				}
				th->dg.noolp++;
				if (count > th->dg.max_oolp)
					th->dg.max_oolp = count;
				if (!mb_ool_ports(&b, addr, count, dealloc,
						  permille(r, 950) ? (uint8_t)below(r, 3) : (uint8_t)rnd32(r),
						  (uint8_t)d))
					break;
			} else {
				/* guarded port descriptors and unknown types */
				if (!mb_raw_desc(&b, permille(r, 500) ? MACH_MSG_GUARDED_PORT_DESCRIPTOR
								      : 5 + (uint8_t)below(r, 251),
						 pick_name(th, 0, 0), (uint8_t)pick_disposition(th),
						 rnd64(r)))
					break;
			}
		}
	}
	/* Inline data after the descriptors. */
	{
		size_t n = permille(r, 950) ? logsize(r, 256)
			   : (G->cfg.big ? logsize(r, 256u << 10) : logsize(r, 8192));

		if (bo->big)
			n = (4u << 10) + logsize(r, 1000u << 10);
		if (G->cfg.huge && permille(r, 3))
			n = 1048576 + below(r, 64); /* max_msg_size + a bit */
		mb_data(&b, n, r);
	}
	return mb_end(&b, r);
}

/* The trailer request bits of a receive. */
static uint32_t pick_trailer(struct rng *r)
{
	static const uint32_t elems[] = { MACH_RCV_TRAILER_NULL, MACH_RCV_TRAILER_SEQNO,
					  MACH_RCV_TRAILER_SENDER, MACH_RCV_TRAILER_AUDIT,
					  MACH_RCV_TRAILER_CTX, MACH_RCV_TRAILER_AV };

	if (permille(r, 400))
		return 0;
	if (permille(r, 950))
		return MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
		       MACH_RCV_TRAILER_ELEMENTS(elems[below(r, 6)]);
	return (uint32_t)(below(r, 256) << 24);
}

/*
 * One MSG ioctl. `sz` is the send size (ignored without MACH_SEND_MSG);
 * the receive goes to th->rbuf unless `rcv_buf` is given. Returns mr, or
 * a negative errno.
 */
static int32_t do_msg(struct fthread *th, uint32_t option, uint32_t sz, uint64_t send_buf,
		      uint32_t rcv_name, uint64_t rcv_buf, uint32_t rcv_size, uint32_t timeout,
		      uint32_t notify, bool blocking, unsigned expect, const uint64_t *bad_struct)
{
	struct machipc_msg *m = &th->u.m;
	uint64_t budget = 0;
	int e;

	*m = (struct machipc_msg){
		.send_buf = send_buf, .rcv_buf = rcv_buf, .option = option, .send_size = sz,
		.rcv_size = rcv_size, .rcv_name = rcv_name, .timeout = timeout, .notify = notify,
	};
	if (option & MACH_SEND_TIMEOUT)
		budget += timeout;
	if (option & MACH_RCV_TIMEOUT)
		budget += timeout;
	/* Without a timeout on a part that may wait, the call may block until
	 * killed: marked as such for the supervisor. */
	if (((option & MACH_SEND_MSG) && !(option & MACH_SEND_TIMEOUT)) ||
	    ((option & MACH_RCV_MSG) && !(option & MACH_RCV_TIMEOUT)))
		blocking = true;
	uint64_t struct_at = bad_struct ? *bad_struct : (uint64_t)(uintptr_t)m;

	if (my_slot >= 0 && th->ti < MAX_THREADS) {
		struct thread_slot *ts = &G->procs[my_slot].t[th->ti];

		uint64_t np = th->dg.nport < 0xffff ? th->dg.nport : 0xffff;
		uint64_t no = th->dg.nool < 0xff ? th->dg.nool : 0xff;
		uint64_t nq = th->dg.noolp < 0xff ? th->dg.noolp : 0xff;
		bool send = option & MACH_SEND_MSG;

		ts->detail[0] = send ? ((uint64_t)th->dg.claimed << 32) | (np << 16) | (no << 8) | nq : 0;
		ts->detail[1] = send ? ((uint64_t)th->dg.max_oolp << 32) |
					       ((th->dg.ool_bytes >> 10) & 0xffffffff)
				     : 0;
	}
	memset(&th->dg, 0, sizeof(th->dg));
	e = fz_ioctl(th, P.fd, MACHIPC_IOC_MSG, struct_at, expect, budget + (sz >> 16), blocking,
		     option, sz, rcv_name, ((uint64_t)rcv_size << 32) | timeout);
	if (e)
		return -e;
	if (bad_struct)
		return -EFAULT;
	check_kr("MSG", option, th->ret, true);
	if (th->ret == MACH_SEND_INTERRUPTED || th->ret == MACH_RCV_INTERRUPTED)
		atomic_fetch_add(&G->interrupted, 1);
	if ((option & MACH_SEND_MSG) && th->ret == MACH_MSG_SUCCESS)
		atomic_fetch_add(&G->msgs_sent, 1);
	return th->ret;
}

static bool pseudo_received(int32_t mr)
{
	uint32_t base = (uint32_t)mr & ~(uint32_t)MACH_MSG_MASK;

	return base == MACH_SEND_TIMED_OUT || base == MACH_SEND_INTERRUPTED ||
	       base == MACH_SEND_NO_BUFFER;
}

/* After a receive into `buf`: learn what came in. */
static void after_receive(struct fthread *th, int32_t mr, uint8_t *buf, uint32_t rcv_size)
{
	uint32_t size;

	if (mr != MACH_MSG_SUCCESS)
		return;
	atomic_fetch_add(&G->msgs_rcvd, 1);
	memcpy(&size, buf + 4, 4);
	if (size > rcv_size)
		fz_anomaly("received msgh_size %u > rcv_size %u", size, rcv_size);
	/* Sometimes let libmach destroy what arrived (otherwise its rights
	 * stay in the model, to be used or released). */
	take_message(th, buf, size < rcv_size ? size : rcv_size,
		     permille(&th->r, 150) && size <= rcv_size);
}

static void op_send(struct fthread *th, bool rights_only)
{
	struct rng *r = &th->r;
	struct build_opts bo = { .complex = rights_only || permille(r, 500),
				 .max_desc = permille(r, 900) ? 6 : 64, .rights_only = rights_only,
				 .id = rights_only ? PASS_ID : 0 };
	uint32_t option = MACH_SEND_MSG, sz, timeout;
	int32_t mr;

	if (rights_only) {
		/* To another process: a peer's inbox, our bootstrap, a task. */
		unsigned roll = (unsigned)below(r, 100);

		bo.dest = roll < 60 ? pick_name(th, MACH_PORT_TYPE_SEND, F_PEER)
			  : roll < 85 ? P.boot
				      : pick_name(th, MACH_PORT_TYPE_SEND, 0);
		bo.dest_disp = MACH_MSG_TYPE_COPY_SEND;
		atomic_fetch_add(&G->rights_passed, 1);
	}
	sz = build_msg(th, &bo);
	if (permille(r, 997))
		option |= MACH_SEND_TIMEOUT;
	else
		option |= 0; /* may block until the queue has room, or until killed */
	if (permille(r, 30))
		option |= MACH_SEND_NOTIFY;
	if (permille(r, 20))
		option |= rnd32(r) & ~(uint32_t)(MACH_RCV_MSG | MACH_SEND_TIMEOUT);
	timeout = permille(r, 900) ? 0 : 1 + (uint32_t)below(r, 5);
	if (permille(r, 20) && sz >= 4)
		sz = permille(r, 500) ? sz - 1 - (uint32_t)below(r, sz < 28 ? sz : 28) : sz + 4;
	mr = do_msg(th, option, sz, (uint64_t)(uintptr_t)th->sbuf, 0, 0, 0, timeout,
		    pick_name(th, MACH_PORT_TYPE_RECEIVE, 0), false, EX_OK, NULL);
	if (mr >= 0 && pseudo_received(mr))
		take_message(th, th->sbuf, sz, false);
}

static uint32_t pick_receiver(struct fthread *th)
{
	unsigned roll = (unsigned)below(&th->r, 100);

	if (roll < 35)
		return P.inbox;
	if (roll < 85)
		return pick_name(th, MACH_PORT_TYPE_RECEIVE, 0);
	if (roll < 97)
		return pick_name(th, MACH_PORT_TYPE_PORT_SET, 0);
	return pick_name(th, 0, 0);
}

static void op_recv(struct fthread *th)
{
	struct rng *r = &th->r;
	uint32_t option = MACH_RCV_MSG | MACH_RCV_TIMEOUT | pick_trailer(r);
	uint32_t rcv_size = RBUF_CAP, name = pick_receiver(th);
	uint64_t buf = (uint64_t)(uintptr_t)th->rbuf;
	int32_t mr;

	if (permille(r, 150))
		rcv_size = 24 + (uint32_t)below(r, 256);
	if (permille(r, 400))
		option |= MACH_RCV_LARGE;
	if (permille(r, 50))
		option |= MACH_RCV_LARGE_IDENTITY;
	if (permille(r, 3))
		option &= ~(uint32_t)MACH_RCV_TIMEOUT; /* until a message comes, or killed */
	if (permille(r, 40)) { /* a receive buffer that ends early */
		uint32_t room = (uint32_t)logsize(r, 8192);
		uint8_t *p = scratch(th, room, true);

		if (p) {
			buf = (uint64_t)(uintptr_t)p;
			rcv_size = room + 1 + (uint32_t)logsize(r, 65536);
		}
	} else if (permille(r, 30)) {
		buf = bad_ptr(th, rcv_size);
	}
	mr = do_msg(th, option, 0, 0, name, buf, rcv_size, permille(r, 850) ? 0 : 1 + (uint32_t)below(r, 10),
		    0, false, EX_OK, NULL);
	if (mr >= 0 && buf == (uint64_t)(uintptr_t)th->rbuf)
		after_receive(th, mr, th->rbuf, rcv_size);
}

/* A send and a receive in one call: to ourselves, or an RPC to a kernel
 * port (task port: the mach_port MIG routines). */
static void op_rpc(struct fthread *th)
{
	struct rng *r = &th->r;
	uint32_t reply = pick_name(th, MACH_PORT_TYPE_RECEIVE, 0), sz, option;
	int32_t mr;

	if (permille(r, 500)) {
		/* A MIG request to a task port: 3200 + routine, NDR, args. */
		struct msg_builder b;
		uint32_t nargs = (uint32_t)below(r, 4);

		mb_begin(&b, th->sbuf, SBUF_CAP);
		mb_header(&b, MACH_MSGH_BITS_SET(MACH_MSG_TYPE_COPY_SEND,
						 permille(r, 900) ? MACH_MSG_TYPE_MAKE_SEND_ONCE
								  : pick_disposition(th), 0, 0),
			  permille(r, 800) ? P.self : pick_name(th, MACH_PORT_TYPE_SEND, F_TASK),
			  reply, 0, 3200 + (int32_t)below(r, 44));
		mb_ndr(&b);
		for (uint32_t i = 0; i < nargs; i++)
			mb_u32(&b, permille(r, 500) ? pick_name(th, 0, 0)
						    : (permille(r, 500) ? (uint32_t)below(r, 6) : rnd32(r)));
		sz = mb_end(&b, NULL);
	} else {
		struct build_opts bo = { .dest = reply, .dest_disp = MACH_MSG_TYPE_MAKE_SEND,
					 .complex = permille(r, 300), .max_desc = 4 };

		sz = build_msg(th, &bo);
	}
	option = MACH_SEND_MSG | MACH_RCV_MSG | MACH_SEND_TIMEOUT | MACH_RCV_TIMEOUT | pick_trailer(r);
	if (permille(r, 300))
		option |= MACH_RCV_LARGE;
	mr = do_msg(th, option, sz, (uint64_t)(uintptr_t)th->sbuf, reply,
		    (uint64_t)(uintptr_t)th->rbuf, RBUF_CAP, (uint32_t)below(r, 3), 0, false, EX_OK, NULL);
	if (mr >= 0) {
		if (pseudo_received(mr))
			take_message(th, th->sbuf, sz, false);
		after_receive(th, mr, th->rbuf, RBUF_CAP);
	}
}

/* Random bytes as a message (header fields sometimes sane). */
static void op_raw_msg(struct fthread *th)
{
	struct rng *r = &th->r;
	uint32_t sz = (uint32_t)logsize(r, 1024), option;
	int32_t mr;

	for (uint32_t i = 0; i < sz + 8; i += 8) {
		uint64_t v = rnd64(r);

		memcpy(th->sbuf + i, &v, 8);
	}
	if (sz >= 24 && permille(r, 700)) {
		uint32_t rem = pick_name(th, MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE, 0);

		memcpy(th->sbuf + 4, &sz, 4);
		memcpy(th->sbuf + 8, &rem, 4);
		if (permille(r, 500)) {
			uint32_t bits;

			memcpy(&bits, th->sbuf, 4);
			bits = (bits & 0x80000000u) | (uint32_t)pick_disposition(th);
			memcpy(th->sbuf, &bits, 4);
		}
	}
	/* The kernel must never be told to unmap our memory. */
	msg_sanitize_dealloc(th->sbuf, sz, zone_hole(th));
	option = MACH_SEND_MSG | MACH_SEND_TIMEOUT;
	if (permille(r, 200))
		option |= MACH_RCV_MSG | MACH_RCV_TIMEOUT;
	mr = do_msg(th, option, sz, (uint64_t)(uintptr_t)th->sbuf, pick_receiver(th),
		    (uint64_t)(uintptr_t)th->rbuf, RBUF_CAP, 0, 0, false, EX_OK, NULL);
	if (mr >= 0 && (option & MACH_RCV_MSG))
		after_receive(th, mr, th->rbuf, RBUF_CAP);
}

/* MSG with a bad struct, send or receive buffer, or sizes that lie. */
static void op_bad_msg(struct fthread *th)
{
	struct rng *r = &th->r;
	uint32_t option = MACH_SEND_MSG | MACH_SEND_TIMEOUT, sz = 64;
	uint64_t send_buf = (uint64_t)(uintptr_t)th->sbuf, rcv_buf = (uint64_t)(uintptr_t)th->rbuf;
	uint32_t rcv_size = RBUF_CAP;
	unsigned expect = EX_OK;
	uint64_t struct_at = 0;
	bool bad_struct = false;
	struct build_opts bo = { .complex = permille(r, 300), .max_desc = 3 };

	sz = build_msg(th, &bo);
	switch (below(r, 5)) {
	case 0: /* the struct itself (only read: read-only memory is good) */
		struct_at = unreadable_ptr(th, sizeof(struct machipc_msg));
		bad_struct = true;
		expect = EX_FAULT;
		break;
	case 1: /* the send buffer */
		send_buf = bad_ptr(th, sz);
		break;
	case 2: { /* a send buffer that ends before send_size does */
		uint8_t *p = scratch(th, sz / 2 + 1, true);

		if (p) {
			memcpy(p, th->sbuf, sz / 2 + 1);
			send_buf = (uint64_t)(uintptr_t)p;
		}
		break;
	}
	case 3: /* the receive buffer */
		option |= MACH_RCV_MSG | MACH_RCV_TIMEOUT;
		rcv_buf = bad_ptr(th, 4096);
		rcv_size = 4096;
		break;
	default: /* sizes */
		sz = permille(r, 500) ? (uint32_t)below(r, 24) : rnd32(r) | 0x80000000u;
		if (sz > SBUF_CAP)
			send_buf = bad_ptr(th, 64); /* a pseudo-receive must not overrun sbuf */
		break;
	}
	do_msg(th, option, sz, send_buf, pick_receiver(th), rcv_buf, rcv_size, 0, 0, false, expect,
	       bad_struct ? &struct_at : NULL);
}

/* A call that waits with no timeout: ended by a signal or a SIGKILL. */
static void op_block(struct fthread *th)
{
	struct rng *r = &th->r;
	struct machipc_port_op o;
	uint32_t port;

	if (port_op(th, MACHIPC_OP_ALLOCATE, P.self, 0, MACH_PORT_RIGHT_RECEIVE, 0, 0, &o) != KERN_SUCCESS)
		return;
	port = o.name;
	if (permille(r, 500)) {
		do_msg(th, MACH_RCV_MSG, 0, 0, port, (uint64_t)(uintptr_t)th->rbuf, RBUF_CAP, 0, 0, true,
		       EX_OK, NULL);
	} else {
		/* Fill a queue of one, then send again: blocks. */
		struct machipc_port_attr *a = &th->u.pa;
		struct build_opts bo = { .dest = port, .dest_disp = MACH_MSG_TYPE_MAKE_SEND,
					 .complex = permille(r, 500), .max_desc = 8 };
		uint32_t sz;

		memset(a, 0, sizeof(*a));
		a->task = P.self;
		a->name = port;
		a->flavor = MACH_PORT_LIMITS_INFO;
		a->count = 1;
		a->set = 1;
		a->info[0] = 1;
		fz_ioctl(th, P.fd, MACHIPC_IOC_PORT_ATTR, (uint64_t)(uintptr_t)a, EX_OK, 0, false, 1, 1,
			 port, 1);
		for (int i = 0; i < 2; i++) {
			sz = build_msg(th, &bo);
			do_msg(th, MACH_SEND_MSG | (i ? 0 : MACH_SEND_TIMEOUT), sz,
			       (uint64_t)(uintptr_t)th->sbuf, 0, 0, 0, 0, 0, i == 1, EX_OK, NULL);
			scratch_reset(th);
		}
	}
	port_op(th, MACHIPC_OP_MOD_REFS, P.self, port, MACH_PORT_RIGHT_RECEIVE, (uint64_t)-1, 0, NULL);
}

/* ---- other operations -------------------------------------------------- */

/* A second descriptor of /dev/mach: the same task. */
static void op_fd(struct fthread *th)
{
	struct machipc_port_op *o = &th->u.po;
	int fd, e;

	hb_begin(th->ti, FZ_OPEN, 0, false, 0, 0, 0, 0, 0, 0);
	fd = open(MACHIPC_DEVICE, O_RDWR | O_CLOEXEC);
	e = errno;
	hb_end(th->ti);
	atomic_fetch_add(&G->ops, 1);
	atomic_fetch_add(&G->op_count[FZ_OPEN], 1);
	if (fd < 0) {
		atomic_fetch_add(&G->open_fail, 1);
		if (!open_errno_ok(e))
			fz_anomaly("open(/dev/mach) failed: %s", strerror(e));
		return;
	}
	*o = (struct machipc_port_op){ .op = MACHIPC_OP_TASK_SELF };
	if (!fz_ioctl(th, fd, MACHIPC_IOC_PORT_OP, (uint64_t)(uintptr_t)o, EX_OK, 0, false, o->op, 0,
		      0, 0) &&
	    o->kr == KERN_SUCCESS && o->name != P.self && P.self)
		/* The same process must get the same task (same names). */
		model_add(o->name, MACH_PORT_TYPE_SEND, F_TASK);
	close(fd);
}

/* An ioctl on our parent's descriptor: EPERM, and nothing happens. */
static void op_foreign(struct fthread *th)
{
	unsigned long cmds[] = { MACHIPC_IOC_VERSION, MACHIPC_IOC_PORT_OP, MACHIPC_IOC_PORT_LIST,
				 MACHIPC_IOC_PORT_ATTR, MACHIPC_IOC_MSG };

	if (P.foreign_fd < 0)
		return;
	memset(&th->u, 0, sizeof(th->u));
	th->u.po.op = MACHIPC_OP_TASK_SELF;
	fz_ioctl(th, P.foreign_fd, cmds[below(&th->r, 5)],
		 permille(&th->r, 800) ? (uint64_t)(uintptr_t)&th->u : bad_ptr(th, 64),
		 EX_PERM | EX_FAULT, 0, false, 0, 0, 0, 0);
}

static void op_libmach(struct fthread *th)
{
	struct rng *r = &th->r;
	mach_port_t task = P.self;
	unsigned what = (unsigned)below(r, 6);

	hb_begin(th->ti, FZ_LIBMACH, 5000, false, what, 0, 0, 0, 0, 0);
	switch (what) {
	case 0: {
		mach_port_name_array_t names = NULL;
		mach_port_type_array_t types = NULL;
		mach_msg_type_number_t n = 0, nt = 0;

		if (mach_port_names(task, &names, &n, &types, &nt) == KERN_SUCCESS) {
			vm_deallocate(task, (vm_address_t)names, n * sizeof(*names));
			vm_deallocate(task, (vm_address_t)types, nt * sizeof(*types));
		}
		break;
	}
	case 1: {
		ipc_info_space_t info;
		ipc_info_name_array_t table = NULL;
		ipc_info_tree_name_array_t tree = NULL;
		mach_msg_type_number_t n = 0, nt = 0;

		if (mach_port_space_info(task, &info, &table, &n, &tree, &nt) == KERN_SUCCESS) {
			vm_deallocate(task, (vm_address_t)table, n * sizeof(*table));
			if (tree)
				vm_deallocate(task, (vm_address_t)tree, nt * sizeof(*tree));
		}
		break;
	}
	case 2: {
		mach_port_t set = pick_name(th, MACH_PORT_TYPE_PORT_SET, 0);
		mach_port_name_array_t members = NULL;
		mach_msg_type_number_t n = 0;

		if (mach_port_get_set_status(task, set, &members, &n) == KERN_SUCCESS)
			vm_deallocate(task, (vm_address_t)members, n * sizeof(*members));
		break;
	}
	case 3: {
		/* A request and its reply with the libmach wrapper (which retries
		 * interrupted calls). */
		mach_port_t port;

		if (mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &port) == KERN_SUCCESS) {
			struct {
				mach_msg_header_t h;
				uint8_t body[64];
				uint8_t trailer[128];
			} msg;

			memset(&msg, 0, sizeof(msg));
			msg.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
			msg.h.msgh_size = sizeof(msg.h) + 64;
			msg.h.msgh_remote_port = port;
			msg.h.msgh_local_port = port;
			msg.h.msgh_id = 1234;
			mach_msg(&msg.h, MACH_SEND_MSG | MACH_RCV_MSG | MACH_SEND_TIMEOUT | MACH_RCV_TIMEOUT,
				 msg.h.msgh_size, sizeof(msg), port, 5, MACH_PORT_NULL);
			mach_msg_destroy(&msg.h);
			mach_port_mod_refs(task, port, MACH_PORT_RIGHT_RECEIVE, -1);
		}
		break;
	}
	case 4: {
		mach_port_t port, prev = MACH_PORT_NULL;

		if (mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &port) == KERN_SUCCESS) {
			mach_port_insert_right(task, port, port, MACH_MSG_TYPE_MAKE_SEND);
			mach_port_request_notification(task, port, MACH_NOTIFY_NO_SENDERS, 0, port,
						       MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev);
			mach_port_deallocate(task, port); /* no more senders: a notification */
			model_add(port, MACH_PORT_TYPE_RECEIVE, 0);
		}
		break;
	}
	default: {
		mach_port_t p = pick_name(th, 0, 0);
		mach_port_type_t t;
		mach_port_urefs_t refs;

		mach_port_type(task, p, &t);
		mach_port_get_refs(task, p, MACH_PORT_RIGHT_SEND, &refs);
		break;
	}
	}
	hb_end(th->ti);
	atomic_fetch_add(&G->ops, 1);
	atomic_fetch_add(&G->op_count[FZ_LIBMACH], 1);
}

/* Interrupts a sibling thread (its mach_msg returns *_INTERRUPTED). */
static void op_signal(struct fthread *th)
{
	unsigned k = 1 + (unsigned)below(&th->r, P.nthreads);
	int32_t tid = P.tids[k < MAX_THREADS ? k : 1];

	if (tid > 0)
		syscall(SYS_tgkill, getpid(), tid, SIGUSR1);
}

/* Releases names when the space grows large. */
static void op_cleanup(struct fthread *th)
{
	for (int i = 0; i < 16; i++) {
		uint32_t name = pick_name(th, 0, 0);

		if (name == P.self || name == P.inbox || name == P.boot || name == P.host)
			continue;
		switch (below(&th->r, 3)) {
		case 0:
			port_op(th, MACHIPC_OP_DESTROY, P.self, name, 0, 0, 0, NULL);
			break;
		case 1:
			port_op(th, MACHIPC_OP_DEALLOCATE, P.self, name, 0, 0, 0, NULL);
			break;
		default:
			port_op(th, MACHIPC_OP_MOD_REFS, P.self, name, MACH_PORT_RIGHT_RECEIVE,
				(uint64_t)-1, 0, NULL);
			break;
		}
		model_del(name);
	}
}

static void op_spawn(struct fthread *th)
{
	bool victim = G->cfg.big && permille(&th->r, 400) &&
		      atomic_load(&G->victims_alive) < G->cfg.victims;

	pthread_mutex_lock(&P.child_lock);
	if (P.nchildren >= G->cfg.children || P.nchildren >= MAX_CHILDREN) {
		pthread_mutex_unlock(&P.child_lock);
		return;
	}
	pthread_mutex_unlock(&P.child_lock);
	if (victim)
		atomic_fetch_add(&G->victims_alive, 1);
	if (spawn_child(th->ti, victim ? ROLE_VICTIM : ROLE_CHILD, rnd64(&th->r)) < 0 && victim)
		atomic_fetch_sub(&G->victims_alive, 1);
}

/* ---- the op mix -------------------------------------------------------- */

enum {
	W_PORT, W_PORT_RAW, W_LIST, W_ATTR, W_VERSION, W_BAD_IOCTL, W_SEND, W_PASS, W_RECV, W_RPC,
	W_RAW_MSG, W_BAD_MSG, W_REFRESH, W_LIBMACH, W_FD, W_FOREIGN, W_SIGNAL, W_BLOCK, W_SPAWN,
	W_N
};

static const unsigned weights[W_N] = {
	[W_PORT] = 300, [W_PORT_RAW] = 20, [W_LIST] = 25, [W_ATTR] = 40, [W_VERSION] = 5,
	[W_BAD_IOCTL] = 10, [W_SEND] = 140, [W_PASS] = 50, [W_RECV] = 150, [W_RPC] = 50,
	[W_RAW_MSG] = 25, [W_BAD_MSG] = 20, [W_REFRESH] = 12, [W_LIBMACH] = 15, [W_FD] = 3,
	[W_FOREIGN] = 4, [W_SIGNAL] = 4, [W_BLOCK] = 1, [W_SPAWN] = 2,
};

static void one_op(struct fthread *th)
{
	unsigned total = 0, pick;
	int w;

	for (w = 0; w < W_N; w++)
		total += weights[w];
	pick = (unsigned)below(&th->r, total);
	for (w = 0; w < W_N; w++) {
		if (pick < weights[w])
			break;
		pick -= weights[w];
	}
	if (model_size() > MODEL_SOFT && permille(&th->r, 100))
		w = -1;
	uint64_t t0 = now_ns();

	switch (w) {
	case -1:
		op_cleanup(th);
		break;
	case W_PORT:
		op_port(th);
		break;
	case W_PORT_RAW:
		op_port_raw(th);
		break;
	case W_LIST:
		op_list(th);
		break;
	case W_ATTR:
		op_attr(th);
		break;
	case W_VERSION:
		op_version(th);
		break;
	case W_BAD_IOCTL:
		op_bad_ioctl(th);
		break;
	case W_SEND:
		op_send(th, false);
		break;
	case W_PASS:
		op_send(th, true);
		break;
	case W_RECV:
		op_recv(th);
		break;
	case W_RPC:
		op_rpc(th);
		break;
	case W_RAW_MSG:
		op_raw_msg(th);
		break;
	case W_BAD_MSG:
		op_bad_msg(th);
		break;
	case W_REFRESH:
		model_refresh(th);
		break;
	case W_LIBMACH:
		op_libmach(th);
		break;
	case W_FD:
		op_fd(th);
		break;
	case W_FOREIGN:
		op_foreign(th);
		break;
	case W_SIGNAL:
		op_signal(th);
		break;
	case W_BLOCK:
		op_block(th);
		break;
	default:
		if (my_role == ROLE_WORKER)
			op_spawn(th);
		break;
	}
	scratch_reset(th);
	atomic_fetch_add(&G->kind_ns[w + 1], now_ns() - t0);
	atomic_fetch_add(&G->kind_n[w + 1], 1);
}

const char *const kind_names[W_N + 1] = {
	"cleanup", "port", "port_raw", "list", "attr", "version", "bad_ioctl", "send", "pass",
	"recv", "rpc", "raw_msg", "bad_msg", "refresh", "libmach", "fd", "foreign", "signal",
	"block", "spawn",
};
const unsigned nkinds = W_N + 1;

/* ---- victims: big messages, killed by the parent mid-way --------------- */

/* Thread 1 sends big messages to a port of ours with a queue of one (or to
 * our parent's inbox), with no timeout; thread 2 receives them. The parent
 * kills the process after a random delay: mid-copyin, blocked on a full
 * queue, mid-copyout. */
static _Atomic uint32_t victim_port;

static void victim_op(struct fthread *th)
{
	uint32_t port = victim_port;

	if (th->ti == 1) {
		bool to_parent = P.boot && permille(&th->r, 250);
		struct build_opts bo = { .dest = to_parent ? P.boot : port,
					 .dest_disp = to_parent ? MACH_MSG_TYPE_COPY_SEND
								: MACH_MSG_TYPE_MAKE_SEND,
					 .complex = true, .big = true, .id = BIG_ID };
		uint32_t sz = build_msg(th, &bo);
		int32_t mr;

		atomic_fetch_add(&G->big_sent, 1);
		mr = do_msg(th, MACH_SEND_MSG, sz, (uint64_t)(uintptr_t)th->sbuf, 0, 0, 0, 0, 0, true,
			    EX_OK, NULL);
		if (mr >= 0 && pseudo_received(mr))
			take_message(th, th->sbuf, sz, false);
	} else {
		int32_t mr = do_msg(th, MACH_RCV_MSG | MACH_RCV_LARGE | pick_trailer(&th->r), 0, 0,
				    port, (uint64_t)(uintptr_t)th->rbuf, RBUF_CAP, 0, 0, true, EX_OK, NULL);

		if (mr >= 0)
			after_receive(th, mr, th->rbuf, RBUF_CAP);
	}
	scratch_reset(th);
}

/* ---- threads and process setup ----------------------------------------- */

static void on_usr1(int sig)
{
	(void)sig;
}

static void *fuzz_thread(void *arg)
{
	struct fthread *th = arg;

	P.tids[th->ti] = (int32_t)syscall(SYS_gettid);
	G->procs[my_slot].t[th->ti].tid = P.tids[th->ti];
	if (G->cfg.inject_hang && G->procs[my_slot].gen == 1 && th->ti == 1) {
		/* The fuzzer's own test (--inject-hang): a "call" that never
		 * returns, for the supervisor to report as a hang and kill. */
		sleep_ms(1000);
		hb_begin(th->ti, FZ_PORT_OP, 0, false, 0xdead, 0, 0, 0, 0, 0);
		for (;;)
			sleep_ms(1000);
	}
	while (!G->stop && (!P.op_budget || th->nops < P.op_budget)) {
		if (my_role == ROLE_VICTIM)
			victim_op(th);
		else
			one_op(th);
	}
	atomic_fetch_sub(&P.running, 1);
	return NULL;
}

static struct fthread *new_thread(unsigned ti)
{
	struct fthread *th = calloc(1, sizeof(*th));

	if (!th)
		return NULL;
	th->ti = ti;
	rng_seed(&th->r, derive_seed(my_seed, ti, 0x7468));
	th->sbuf = malloc(SBUF_CAP + 8192);
	th->rbuf = malloc(RBUF_CAP + 8192);
	th->list = malloc(LIST_CAP * sizeof(*th->list));
	th->zone = ZONE_BASE + (uint64_t)(ti + 1) * ZONE_PER_THREAD;
	th->zone_next = th->zone;
	th->zone_end = th->zone + ZONE_PER_THREAD - ARENAS_LEN;
	if (!th->sbuf || !th->rbuf || !th->list)
		return NULL;
	/* The arenas, at the top of the thread's part of the zone. */
	{
		uint8_t *a = mmap((void *)th->zone_end, ARENAS_LEN, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_NORESERVE, -1, 0);

		if (a == MAP_FAILED)
			return NULL;
		th->arena = a;
		for (unsigned i = 0; i < NGUARDED; i++) {
			th->guarded[i] = a + ARENA_LEN + 4096 + i * (GUARDED_LEN + 4096);
			mprotect(th->guarded[i] + GUARDED_LEN, 4096, PROT_NONE);
		}
	}
	return th;
}

/* The zone: unmap whatever a parent left there, set up the fixtures. */
static void zone_init(void)
{
	uint8_t *fx;

	munmap((void *)ZONE_BASE, ZONE_SIZE);
	fx = mmap((void *)ZONE_BASE, FX_LEN, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (fx == MAP_FAILED) {
		fz_log("cannot map the zone: %s", strerror(errno));
		_exit(2);
	}
	fx_guard = fx;
	mprotect(fx_guard, FX_GUARD_LEN, PROT_NONE);
	fx_ro = fx + FX_GUARD_LEN;
	for (int i = 0; i < 4096; i++)
		fx_ro[i] = (uint8_t)(i * 131 + 7);
	mprotect(fx_ro, 4096, PROT_READ);
	fx_straddle_none = fx_ro + 4096;          /* RW page, then a PROT_NONE page */
	mprotect(fx_straddle_none + 4096, 4096, PROT_NONE);
	fx_straddle_ro = fx_straddle_none + 8192; /* RW page, then a read-only page */
	mprotect(fx_straddle_ro + 4096, 4096, PROT_READ);
}

/* Our descriptor, task and the ports every fuzz process starts with. */
static bool mach_setup(struct fthread *th)
{
	struct machipc_port_op o;
	int fd = -1;

	for (int i = 0; i < 50 && fd < 0; i++) {
		hb_begin(0, FZ_OPEN, 0, false, 0, 0, 0, 0, 0, 0);
		fd = machipc_fd();
		hb_end(0);
		atomic_fetch_add(&G->ops, 1);
		atomic_fetch_add(&G->op_count[FZ_OPEN], 1);
		if (fd < 0) {
			int e = errno;

			atomic_fetch_add(&G->open_fail, 1);
			if (!open_errno_ok(e)) {
				fz_anomaly("open(/dev/mach) failed: %s", strerror(e));
				return false;
			}
			sleep_ms(10);
		}
	}
	if (fd < 0)
		return false;
	P.fd = fd;
	for (int i = 0; i < 20 && !self_task(th); i++)
		sleep_ms(5);
	if (!P.self)
		return false;
	if (port_op(th, MACHIPC_OP_HOST_SELF, 0, 0, 0, 0, 0, &o) == KERN_SUCCESS) {
		P.host = o.name;
		model_add(o.name, MACH_PORT_TYPE_SEND, F_HOST);
	}
	if (port_op(th, MACHIPC_OP_TASK_GET_SPECIAL, P.self, 0, TASK_BOOTSTRAP_PORT, 0, 0, &o) ==
		    KERN_SUCCESS &&
	    MACH_PORT_VALID(o.name)) {
		P.boot = o.name;
		model_add(o.name, MACH_PORT_TYPE_SEND, F_BOOT | F_PEER);
	}
	if (port_op(th, MACHIPC_OP_ALLOCATE, P.self, 0, MACH_PORT_RIGHT_RECEIVE, 0, 0, &o) !=
	    KERN_SUCCESS)
		return true;
	P.inbox = o.name;
	model_add(o.name, MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND, F_INBOX);
	port_op(th, MACHIPC_OP_INSERT_RIGHT, P.self, P.inbox, MACH_MSG_TYPE_MAKE_SEND, P.inbox, 0, NULL);
	/* Our children will start with our inbox as their bootstrap port. */
	if (my_role == ROLE_WORKER)
		port_op(th, MACHIPC_OP_TASK_SET_SPECIAL, P.self, P.inbox, TASK_BOOTSTRAP_PORT, 0, 0, NULL);
	/* Hello to whoever our bootstrap port is: a send right to our inbox
	 * and our task port; the reply introduces other processes. */
	if (P.boot) {
		struct msg_builder b;
		uint32_t sz;

		mb_begin(&b, th->sbuf, SBUF_CAP);
		mb_header(&b, MACH_MSGH_BITS_SET(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE, 0, 0) |
			      MACH_MSGH_BITS_COMPLEX, P.boot, P.inbox, 0, HELLO_ID);
		mb_body(&b, 2);
		mb_port(&b, P.inbox, MACH_MSG_TYPE_MAKE_SEND, 0);
		mb_port(&b, P.self, MACH_MSG_TYPE_COPY_SEND, 0);
		sz = mb_end(&b, NULL);
		do_msg(th, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sz, (uint64_t)(uintptr_t)th->sbuf, 0, 0, 0,
		       50, 0, false, EX_OK, NULL);
	}
	return true;
}

/* The main thread: reaps children, kills them when due; ends the process
 * when the round stops or the op budget is spent. */
static void __attribute__((noreturn)) manager_loop(void)
{
	for (;;) {
		uint64_t now = now_ns();
		int status;
		pid_t pid;

		if (G->stop || !P.running)
			break;
		pthread_mutex_lock(&P.child_lock);
		for (unsigned i = 0; i < P.nchildren; i++) {
			struct child *c = &P.children[i];

			if (c->kill_at && now >= c->kill_at) {
				kill(c->pid, SIGKILL);
				if (c->slot >= 0 && !G->procs[c->slot].killed_ns) {
					G->procs[c->slot].killed_by = 2;
					G->procs[c->slot].killed_ns = now;
				}
				atomic_fetch_add(&G->kills_parent, 1);
				c->kill_at = 0;
			}
		}
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			slot_reaped(pid, status);
			for (unsigned i = 0; i < P.nchildren; i++) {
				if (P.children[i].pid == pid) {
					P.children[i] = P.children[--P.nchildren];
					break;
				}
			}
		}
		pthread_mutex_unlock(&P.child_lock);
		sleep_ms(5);
	}
	/* Children die with us (PR_SET_PDEATHSIG); exit_group ends our threads,
	 * whatever call they are in. */
	{
		struct rusage ru;

		if (getrusage(RUSAGE_SELF, &ru) == 0) {
			atomic_fetch_add(&G->utime_us, (uint64_t)ru.ru_utime.tv_sec * 1000000 +
							(uint64_t)ru.ru_utime.tv_usec);
			atomic_fetch_add(&G->stime_us, (uint64_t)ru.ru_stime.tv_sec * 1000000 +
							(uint64_t)ru.ru_stime.tv_usec);
		}
	}
	_exit(0);
}

pid_t spawn_child(unsigned ti, unsigned role, uint64_t seed)
{
	unsigned gen = atomic_fetch_add(&G->next_gen, 1);
	int slot = slot_reserve(role, seed, gen);
	int foreign;
	pid_t pid;

	if (slot < 0)
		return -1;
	foreign = dup(P.fd);
	hb_begin(ti, FZ_FORK, 0, false, role, 0, 0, 0, 0, 0);
	pid = fork();
	if (pid == 0) {
		fz_foreign_fd = foreign;
		worker_main(slot, role);
	}
	hb_end(ti);
	if (foreign >= 0)
		close(foreign);
	if (pid < 0) {
		slot_release(slot);
		return -1;
	}
	G->procs[slot].pid = pid;
	atomic_fetch_add(&G->spawned[role], 1);
	pthread_mutex_lock(&P.child_lock);
	{
		struct child *c = &P.children[P.nchildren < MAX_CHILDREN ? P.nchildren++ : 0];
		struct rng r;

		rng_seed(&r, seed ^ 0x6b696c6cULL);
		c->pid = pid;
		c->slot = slot;
		if (role == ROLE_VICTIM)
			c->kill_at = now_ns() + (5 + below(&r, 1500)) * 1000000ULL;
		else
			c->kill_at = permille(&r, 500) ? now_ns() + (20 + below(&r, 3000)) * 1000000ULL : 0;
	}
	pthread_mutex_unlock(&P.child_lock);
	return pid;
}

void worker_main(int slot, unsigned role)
{
	struct proc_slot *ps = &G->procs[slot];
	struct sigaction sa;
	struct fthread *th0;
	struct rng r;
	unsigned nthreads;

	my_slot = slot;
	my_role = role;
	my_seed = ps->seed;
	ps->pid = getpid();
	atomic_store(&ps->state, SLOT_RUNNING);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_NAME, role == ROLE_VICTIM ? "fuzz-victim" : role == ROLE_CHILD ? "fuzz-child"
										   : "fuzz-worker");
	alarm(G->cfg.lifetime_s);
	rng_seed(&r, my_seed);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1; /* no SA_RESTART: interrupts mach_msg */
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* A fresh process state (the parent's threads and locks are gone). */
	P.foreign_fd = fz_foreign_fd;
	P.fd = -1;
	pthread_mutex_init(&P.lock, NULL);
	pthread_mutex_init(&P.child_lock, NULL);
	P.n = 0;
	P.self = P.host = P.boot = P.inbox = 0;
	P.nchildren = 0;
	memset((void *)P.tids, 0, sizeof(P.tids));
	zone_init();

	th0 = new_thread(0);
	if (!th0)
		_exit(2);
	if (!mach_setup(th0))
		_exit(3);
	victim_port = 0;
	if (role == ROLE_VICTIM) {
		struct machipc_port_op o;

		nthreads = 2;
		if (port_op(th0, MACHIPC_OP_ALLOCATE, P.self, 0, MACH_PORT_RIGHT_RECEIVE, 0, 0, &o) ==
		    KERN_SUCCESS) {
			struct machipc_port_attr *a = &th0->u.pa;

			victim_port = o.name;
			memset(a, 0, sizeof(*a));
			a->task = P.self;
			a->name = o.name;
			a->flavor = MACH_PORT_LIMITS_INFO;
			a->count = 1;
			a->set = 1;
			a->info[0] = 1 + (uint32_t)below(&r, 2);
			fz_ioctl(th0, P.fd, MACHIPC_IOC_PORT_ATTR, (uint64_t)(uintptr_t)a, EX_OK, 0, false,
				 1, 1, o.name, 1);
			model_add(o.name, MACH_PORT_TYPE_RECEIVE, 0);
		}
		P.op_budget = 0;
	} else if (role == ROLE_CHILD) {
		nthreads = 1 + (unsigned)below(&r, 2);
		P.op_budget = 100 + below(&r, 3000);
	} else {
		/* Workers get 1 to cfg.threads fuzz threads: multi-threaded tasks
		 * race on their own space, single-threaded ones go faster. */
		nthreads = 1 + (unsigned)below(&r, G->cfg.threads);
		P.op_budget = 0;
	}
	if (nthreads > MAX_THREADS - 1)
		nthreads = MAX_THREADS - 1;
	P.nthreads = nthreads;
	P.running = nthreads;
	for (unsigned i = 1; i <= nthreads; i++) {
		struct fthread *th = new_thread(i);

		if (!th || pthread_create(&P.th[i], NULL, fuzz_thread, th) != 0)
			atomic_fetch_sub(&P.running, 1);
	}
	manager_loop();
}
