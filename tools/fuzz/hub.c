// SPDX-License-Identifier: GPL-2.0
/*
 * machipc-fuzz: the hub of a round (uid 65534, exec'd by the supervisor).
 *
 * Its main thread keeps cfg.procs workers alive (forks, reaps -- it is the
 * subreaper of every fuzz process of the round -- and replaces them). Its
 * relay thread owns the hub port, which is the hub's bootstrap port and so
 * every worker's: a worker says hello with a send right to its inbox and
 * its task port; the hub answers with those of other workers (so rights
 * and task ports spread between processes) and forwards every other
 * message it gets to a random worker, rights included. Every call has a
 * timeout: the hub never waits for a worker.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/task_special_ports.h>
#include <machipc/machipc.h>

#include "fuzz.h"
#include "msg.h"

#define REG_MAX 48
#define HUB_BUF (256u * 1024u)

static int hub_fd;
static uint32_t hub_port, hub_self;
static struct {
	uint32_t inbox, task;
} reg[REG_MAX];
static unsigned nreg, reg_next;
static struct rng hub_rng;

/* An ioctl of the hub: all arguments are good, so anything but success
 * is an anomaly. Returns the errno (0 if it ran); the value of one that
 * ran (MSG: its mach_msg_return_t) goes to *ret if `ret` is not NULL. */
static int hub_ioctl(unsigned long cmd, void *arg, uint64_t budget_ms, uint64_t a0, uint64_t a1,
		     int *ret)
{
	int r, e;

	hb_begin(1, cmd == MACHIPC_IOC_MSG ? FZ_MSG : FZ_PORT_OP, budget_ms, false, cmd, a0, a1, 0,
		 0, 0);
	r = ioctl(hub_fd, cmd, arg);
	e = r < 0 ? errno : 0;
	if (ret)
		*ret = r;
	hb_end(1);
	atomic_fetch_add(&G->ops, 1);
	atomic_fetch_add(&G->op_count[cmd == MACHIPC_IOC_MSG ? FZ_MSG : FZ_PORT_OP], 1);
	if (e == EFAULT && efault_injected())
		return e;
	if (e && e != EINTR) {
		if (e == ENOMEM)
			atomic_fetch_add(&G->enomem, 1);
		fz_anomaly("hub ioctl %#lx (%#llx %#llx) failed: %s", cmd, (unsigned long long)a0,
			   (unsigned long long)a1, strerror(e));
	}
	return e;
}

static int32_t hub_op(uint32_t op, uint32_t name, uint32_t arg, uint64_t v0,
		      struct machipc_port_op *out)
{
	struct machipc_port_op o = { .op = op, .task = hub_self, .name = name, .arg = arg,
				     .val = { v0, 0 } };

	if (hub_ioctl(MACHIPC_IOC_PORT_OP, &o, 0, op, name, NULL))
		return KERN_FAILURE;
	if (!valid_code(o.kr))
		fz_anomaly("hub PORT_OP %u returned %#x", op, (unsigned)o.kr);
	if (out)
		*out = o;
	return o.kr;
}

static int32_t hub_send(uint8_t *buf, uint32_t size)
{
	struct machipc_msg m = { .send_buf = (uint64_t)(uintptr_t)buf, .option = MACH_SEND_MSG | MACH_SEND_TIMEOUT,
				 .send_size = size, .timeout = 0 };
	int mr;

	if (hub_ioctl(MACHIPC_IOC_MSG, &m, size >> 16, m.option, size, &mr))
		return MACH_SEND_INVALID_DATA;
	if (!valid_code(mr))
		fz_anomaly("hub send returned %#x", (unsigned)mr);
	return mr;
}

/* Destroys a message we hold (its rights: libmach), then unmaps the
 * out-of-line memory libmach did not (it only frees what is marked
 * deallocate). */
static void drop(uint8_t *buf, uint32_t size)
{
	struct msg_view v;
	bool parsed = msg_parse(buf, size, &v);

	mach_msg_destroy((mach_msg_header_t *)(void *)buf);
	for (unsigned i = 0; parsed && i < v.ndesc; i++) {
		const struct desc_view *d = &v.d[i];
		size_t len = d->type == MACH_MSG_OOL_PORTS_DESCRIPTOR ? (size_t)d->count * 4 : d->size;

		if ((d->type == MACH_MSG_OOL_DESCRIPTOR || d->type == MACH_MSG_OOL_VOLATILE_DESCRIPTOR ||
		     d->type == MACH_MSG_OOL_PORTS_DESCRIPTOR) &&
		    !d->dealloc && d->addr && !(d->addr & 4095) && len && len <= (256u << 20))
			munmap((void *)(uintptr_t)d->addr, len);
	}
}

static void forget(unsigned i)
{
	hub_op(MACHIPC_OP_DEALLOCATE, reg[i].inbox, 0, 0, NULL);
	if (reg[i].task)
		hub_op(MACHIPC_OP_DEALLOCATE, reg[i].task, 0, 0, NULL);
	reg[i].inbox = reg[i].task = 0;
}

static void hello(uint8_t *buf, const struct msg_view *v)
{
	struct msg_builder b;
	uint32_t sz;
	unsigned slot, n;

	if (v->ndesc < 1 || v->d[0].type != MACH_MSG_PORT_DESCRIPTOR || !MACH_PORT_VALID(v->d[0].name)) {
		drop(buf, v->size);
		return;
	}
	slot = nreg < REG_MAX ? nreg++ : (reg_next++ % REG_MAX);
	if (reg[slot].inbox)
		forget(slot);
	reg[slot].inbox = v->d[0].name;
	reg[slot].task = v->ndesc > 1 && v->d[1].type == MACH_MSG_PORT_DESCRIPTOR ? v->d[1].name : 0;
	if (!MACH_PORT_VALID(v->remote) || v->remote_disp != MACH_MSG_TYPE_MOVE_SEND_ONCE) {
		if (MACH_PORT_VALID(v->remote))
			hub_op(MACHIPC_OP_DEALLOCATE, v->remote, 0, 0, NULL);
		return;
	}
	/* The introduction: up to 6 other processes' inbox and task port. */
	mb_begin(&b, buf, HUB_BUF);
	mb_header(&b, MACH_MSGH_BITS_SET(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0, 0, 0) | MACH_MSGH_BITS_COMPLEX,
		  v->remote, 0, 0, INTRO_ID);
	n = nreg > 1 ? (unsigned)(1 + below(&hub_rng, nreg - 1 < 6 ? nreg - 1 : 6)) : 0;
	mb_body(&b, 2 * n);
	for (unsigned k = 0; k < n; k++) {
		unsigned j = (unsigned)below(&hub_rng, nreg);

		mb_port(&b, reg[j].inbox, MACH_MSG_TYPE_COPY_SEND, 0);
		mb_port(&b, reg[j].task ? reg[j].task : reg[j].inbox, MACH_MSG_TYPE_COPY_SEND, 0);
	}
	sz = mb_end(&b, NULL);
	if (hub_send(buf, sz) != MACH_MSG_SUCCESS)
		mach_msg_destroy((mach_msg_header_t *)(void *)buf);
}

/* Sends a received message on to a random worker, with its rights. */
static void forward(uint8_t *buf, const struct msg_view *v, uint32_t size)
{
	uint32_t bits, to;
	int32_t mr;

	if (!nreg || permille(&hub_rng, 200)) {
		drop(buf, size);
		return;
	}
	to = reg[below(&hub_rng, nreg)].inbox;
	/* The received reply right becomes the forwarded message's reply. */
	bits = (v->bits & ~(uint32_t)MACH_MSGH_BITS_PORTS_MASK) |
	       MACH_MSGH_BITS_SET_PORTS(MACH_MSG_TYPE_COPY_SEND, v->remote_disp, 0);
	memcpy(buf, &bits, 4);
	memcpy(buf + 8, &to, 4);
	memcpy(buf + 12, &v->remote, 4);
	memset(buf + 16, 0, 4);
	/* Out-of-line memory is ours to give away: unmapped from us on send. */
	if (v->bits & MACH_MSGH_BITS_COMPLEX) {
		size_t off = 28;

		for (unsigned i = 0; i < v->ndesc && off + 12 <= size; i++) {
			size_t len = v->d[i].type == MACH_MSG_PORT_DESCRIPTOR ? 12 : 16;

			if (v->d[i].type == MACH_MSG_OOL_DESCRIPTOR ||
			    v->d[i].type == MACH_MSG_OOL_PORTS_DESCRIPTOR)
				buf[off + 8] = 1;
			off += len;
		}
	}
	mr = hub_send(buf, size);
	if (mr != MACH_MSG_SUCCESS)
		drop(buf, size);
}

static void *relay(void *arg)
{
	uint8_t *buf = mmap(NULL, HUB_BUF + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			    -1, 0);
	uint64_t last_check = now_ns();

	(void)arg;
	if (buf == MAP_FAILED)
		return NULL;
	G->procs[my_slot].t[1].tid = (int32_t)gettid();
	while (!G->stop) {
		struct machipc_msg m = { .rcv_buf = (uint64_t)(uintptr_t)buf,
					 .option = MACH_RCV_MSG | MACH_RCV_TIMEOUT,
					 .rcv_size = HUB_BUF, .rcv_name = hub_port, .timeout = 20 };
		struct msg_view v;
		uint32_t size;
		int mr;

		if (now_ns() - last_check > 2000000000ULL) {
			/* Forget workers that are gone (their inbox is a dead name). */
			last_check = now_ns();
			for (unsigned i = 0; i < nreg; i++) {
				struct machipc_port_op o;

				if (hub_op(MACHIPC_OP_TYPE, reg[i].inbox, 0, 0, &o) == KERN_SUCCESS &&
				    (o.val[0] & MACH_PORT_TYPE_DEAD_NAME)) {
					forget(i);
					reg[i] = reg[--nreg];
					i--;
				}
			}
		}
		if (hub_ioctl(MACHIPC_IOC_MSG, &m, 20, m.option, hub_port, &mr))
			continue;
		if (mr != MACH_MSG_SUCCESS) {
			if (!valid_code(mr))
				fz_anomaly("hub receive returned %#x", (unsigned)mr);
			continue;
		}
		atomic_fetch_add(&G->msgs_rcvd, 1);
		memcpy(&size, buf + 4, 4);
		if (size > HUB_BUF)
			size = HUB_BUF;
		if (!msg_parse(buf, size, &v))
			continue;
		if (v.id == HELLO_ID)
			hello(buf, &v);
		else
			forward(buf, &v, size);
	}
	return NULL;
}

/* Forks a worker; its pid or -1. */
static pid_t spawn_worker(void)
{
	unsigned gen = atomic_fetch_add(&G->next_gen, 1);
	uint64_t seed = derive_seed(G->cfg.seed, G->cfg.round, gen);
	int slot, foreign;
	pid_t pid;

	if (gen == 1 && G->cfg.worker_seed)
		seed = G->cfg.worker_seed;
	slot = slot_reserve(ROLE_WORKER, seed, gen);
	if (slot < 0)
		return -1;
	foreign = dup(hub_fd);
	pid = fork();
	if (pid == 0) {
		fz_foreign_fd = foreign;
		worker_main(slot, ROLE_WORKER);
	}
	if (foreign >= 0)
		close(foreign);
	if (pid < 0) {
		slot_release(slot);
		return -1;
	}
	G->procs[slot].pid = pid;
	atomic_fetch_add(&G->spawned[ROLE_WORKER], 1);
	if (G->cfg.trace)
		fz_log("worker gen %u pid %d seed 0x%016llx", gen, pid, (unsigned long long)seed);
	return pid;
}

static unsigned live_workers(void)
{
	unsigned n = 0;

	for (int i = 0; i < MAX_PROCS; i++)
		if (G->procs[i].state != SLOT_FREE && G->procs[i].role == ROLE_WORKER)
			n++;
	return n;
}

void hub_main(void)
{
	struct machipc_port_op o;
	pthread_t t;
	uint64_t stop_at = 0;

	my_role = ROLE_HUB;
	G->procs[my_slot].pid = getpid();
	atomic_store(&G->procs[my_slot].state, SLOT_RUNNING);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	prctl(PR_SET_NAME, "fuzz-hub");
	signal(SIGPIPE, SIG_IGN);
	alarm(G->cfg.lifetime_s + 30);
	rng_seed(&hub_rng, derive_seed(G->cfg.seed, G->cfg.round, 0x687562));
	if (G->cfg.unprivileged && (getuid() == 0 || geteuid() == 0 || getgid() == 0)) {
		fz_anomaly("hub: running as uid %d gid %d, not unprivileged", getuid(), getgid());
		_exit(2);
	}

	/* With fault injection any of these may fail for lack of memory:
	 * retry (an open has no Mach code; ENOMEM is its answer). */
	for (int i = 0; i < 200 && (hub_fd = machipc_fd()) < 0; i++) {
		atomic_fetch_add(&G->open_fail, 1);
		if (!open_errno_ok(errno)) {
			fz_anomaly("hub: cannot open /dev/mach: %s", strerror(errno));
			_exit(3);
		}
		sleep_ms(10);
	}
	if (hub_fd < 0)
		_exit(3);
	for (int i = 0; i < 200 && !hub_self; i++) {
		struct machipc_port_op s = { .op = MACHIPC_OP_TASK_SELF };

		if (!hub_ioctl(MACHIPC_IOC_PORT_OP, &s, 0, s.op, 0, NULL) && s.kr == KERN_SUCCESS)
			hub_self = s.name;
		else
			sleep_ms(10);
	}
	for (int i = 0; i < 200 && !hub_port; i++) {
		if (hub_op(MACHIPC_OP_ALLOCATE, 0, MACH_PORT_RIGHT_RECEIVE, 0, &o) == KERN_SUCCESS)
			hub_port = o.name;
		else
			sleep_ms(10);
	}
	if (!hub_self || !hub_port)
		_exit(3);
	hub_op(MACHIPC_OP_INSERT_RIGHT, hub_port, MACH_MSG_TYPE_MAKE_SEND, hub_port, NULL);
	{
		struct machipc_port_op s = { .op = MACHIPC_OP_TASK_SET_SPECIAL, .task = hub_self,
					     .name = hub_port, .arg = TASK_BOOTSTRAP_PORT };
		struct machipc_port_attr a = { .task = hub_self, .name = hub_port,
					       .flavor = MACH_PORT_LIMITS_INFO, .count = 1, .set = 1,
					       .info = { 64 } };

		hub_ioctl(MACHIPC_IOC_PORT_OP, &s, 0, s.op, hub_port, NULL);
		hub_ioctl(MACHIPC_IOC_PORT_ATTR, &a, 0, 1, hub_port, NULL);
	}
	if (pthread_create(&t, NULL, relay, NULL) != 0)
		_exit(2);

	for (;;) {
		int status;
		pid_t pid;

		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			slot_reaped(pid, status);
		if (pid < 0 && errno == ECHILD && stop_at)
			break;
		if (G->stop) {
			uint64_t now = now_ns();

			if (!stop_at)
				stop_at = now;
			else if (now - stop_at > 2000000000ULL) {
				/* Stragglers (blocked with no timeout, say): kill. */
				for (int i = 0; i < MAX_PROCS; i++) {
					struct proc_slot *p = &G->procs[i];

					if (i != my_slot && p->state != SLOT_FREE && p->pid > 0) {
						kill(p->pid, SIGKILL);
						if (!p->killed_ns) {
							p->killed_by = 3;
							p->killed_ns = now;
						}
					}
				}
			}
			if (now - stop_at > 30000000000ULL)
				break; /* the supervisor takes over */
		} else {
			while (live_workers() < G->cfg.procs && spawn_worker() > 0)
				;
		}
		sleep_ms(10);
	}
	_exit(0);
}
