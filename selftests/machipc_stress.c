// SPDX-License-Identifier: GPL-2.0
/*
 * Stress: many threads allocating, inserting send rights, changing urefs,
 * deallocating, destroying and moving ports between sets in one space at
 * once; and two processes each working in the other's space through task
 * ports while destroying their own ports. At the end every count must be
 * back where it was: the number of names in each space, and the send and
 * send-once rights and make-send counts of the ports that survive.
 *
 * Each thread only makes exact checks on names it owns; names shared
 * between threads (port sets another thread may destroy) accept the codes
 * such a race can give. Ports change owner through atomic exchanges.
 *
 * The default counts are sized for the debug kernel under QEMU TCG with
 * KASAN, where creating or destroying a port costs about a millisecond;
 * MACHIPC_STRESS_ITERS / MACHIPC_STRESS_CROSS_ITERS raise them (per
 * thread) on a faster machine, and a time budget (MACHIPC_STRESS_SECONDS /
 * MACHIPC_STRESS_CROSS_SECONDS) stops the loops early on a slow one; the
 * end checks run either way.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/mach_traps.h>
#include "kselftest_harness.h"
#include "machipc_util.h"

#define THREADS 4
#define ITERS 400
#define NSETS 4
#define NSLOTS 8

#define CROSS_THREADS 2
#define CROSS_ITERS 200



/* ---------------------------------------------------------------------- */
/* Accounting of unexpected results, shared by all threads of a process. */

static atomic_long unexpected;

static void bad(int line, const char *what, kern_return_t kr)
{
	if (atomic_fetch_add(&unexpected, 1) < 20)
		fprintf(stderr, "# line %d: %s: unexpected 0x%x (%s)\n", line, what, kr,
			mach_error_string(kr));
}

/* The call must succeed. */
#define OK(call)                                              \
	({                                                    \
		kern_return_t __kr = (call);                  \
		if (__kr != KERN_SUCCESS)                     \
			bad(__LINE__, #call, __kr);           \
		__kr;                                         \
	})

/* The call may also fail with one of two codes. */
#define ALLOW(call, a, b)                                                   \
	({                                                                  \
		kern_return_t __kr = (call);                                \
		if (__kr != KERN_SUCCESS && __kr != (a) && __kr != (b))     \
			bad(__LINE__, #call, __kr);                         \
		__kr;                                                       \
	})

/* A value must be what it should. */
#define SAME(exp, got)                                                          \
	do {                                                                    \
		unsigned long long __e = (exp), __g = (got);                    \
		if (__e != __g) {                                               \
			if (atomic_fetch_add(&unexpected, 1) < 20)              \
				fprintf(stderr, "# line %d: %s: 0x%llx, expected 0x%llx\n", \
					__LINE__, #got, __g, __e);              \
		}                                                               \
	} while (0)

static long env_long(const char *name, long def)
{
	const char *e = getenv(name);

	return e && *e ? strtol(e, NULL, 0) : def;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---------------------------------------------------------------------- */
/* Helpers. */

/* Lists the names of a space (debugging output when a count is off). */
static void dump_names(mach_port_t task)
{
	mach_port_name_array_t n = NULL;
	mach_port_type_array_t t = NULL;
	mach_msg_type_number_t nc = 0, tc = 0, i;

	if (mach_port_names(task, &n, &nc, &t, &tc) != KERN_SUCCESS)
		return;
	for (i = 0; i < nc && i < 40; i++)
		fprintf(stderr, "#   name 0x%x type 0x%x\n", n[i], t[i]);
	if (nc) {
		vm_deallocate(mach_task_self(), (vm_address_t)n, nc * sizeof(*n));
		vm_deallocate(mach_task_self(), (vm_address_t)t, tc * sizeof(*t));
	}
}

/* ---------------------------------------------------------------------- */
/* Many threads, one space. */

struct one_space {
	mach_port_name_t anchor;
	_Atomic mach_port_name_t sets[NSETS];
	_Atomic mach_port_name_t slots[NSLOTS];
	atomic_long make_sends;
	atomic_long send_onces;
	atomic_long done_iters;
	atomic_long started_iters;	/* iterations begun, as they begin */
	long iters;
	double deadline;
};

struct worker {
	struct one_space *sh;
	int id;
};

/*
 * Destroys port x, which this thread owns: a receive right with 3 send
 * urefs under the same name, maybe in sets. One of five ways.
 */
static void destroy_owned(mach_port_name_t x, unsigned how)
{
	mach_port_t self = mach_task_self();
	mach_msg_type_name_t gt = 0;
	mach_port_name_t got = MACH_PORT_NULL;
	mach_port_status_t st;

	SAME(MACH_PORT_TYPE_SEND_RECEIVE, type_in(self, x));
	SAME(3, refs_in(self, x, MACH_PORT_RIGHT_SEND));
	switch (how % 5) {
	case 0:
		OK(mach_port_destroy(self, x));
		break;
	case 1:
		/* The receive right dies; the send urefs stay as a dead name. */
		OK(mach_port_mod_refs(self, x, MACH_PORT_RIGHT_RECEIVE, -1));
		SAME(MACH_PORT_TYPE_DEAD_NAME, type_in(self, x));
		SAME(3, refs_in(self, x, MACH_PORT_RIGHT_DEAD_NAME));
		OK(mach_port_mod_refs(self, x, MACH_PORT_RIGHT_DEAD_NAME, -3));
		break;
	case 2:
		OK(mach_port_mod_refs(self, x, MACH_PORT_RIGHT_SEND, -2));
		OK(mach_port_deallocate(self, x));
		SAME(MACH_PORT_TYPE_RECEIVE, type_in(self, x));
		if (OK(get_status(self, x, &st)) == KERN_SUCCESS)
			SAME(0, st.mps_srights);
		OK(mach_port_destruct(self, x, 0, 0));
		break;
	case 3:
		OK(mach_port_destruct(self, x, -3, 0));
		break;
	case 4:
		/* Out of the space and straight back in: out of every set. */
		if (OK(mach_port_extract_right(self, x, MACH_MSG_TYPE_MOVE_RECEIVE, &got, &gt)) ==
		    KERN_SUCCESS) {
			SAME(x, got);
			SAME(MACH_MSG_TYPE_PORT_RECEIVE, gt);
			SAME(MACH_PORT_TYPE_SEND_RECEIVE, type_in(self, x));
			if (OK(get_status(self, x, &st)) == KERN_SUCCESS) {
				SAME(0, st.mps_pset);
				SAME(1, st.mps_srights);
			}
		}
		OK(mach_port_destroy(self, x));
		break;
	}
	SAME(0xdead0000U + KERN_INVALID_NAME, type_in(self, x));
}

static void *one_space_worker(void *arg)
{
	struct worker *w = arg;
	struct one_space *sh = w->sh;
	mach_port_t self = mach_task_self();
	long i;

	for (i = 0; i < sh->iters; i++) {
		mach_port_name_t r = MACH_PORT_NULL, set, old, so = MACH_PORT_NULL;
		mach_msg_type_name_t gt;
		unsigned k = (unsigned)(w->id + i);

		if ((i & 63) == 0 && now() > sh->deadline)
			break;
		atomic_fetch_add(&sh->started_iters, 1);
		if (OK(mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &r)) != KERN_SUCCESS)
			continue;
		/* Two send rights, +3, -2: three urefs. */
		OK(mach_port_insert_right(self, r, r, MACH_MSG_TYPE_MAKE_SEND));
		OK(mach_port_insert_right(self, r, r, MACH_MSG_TYPE_MAKE_SEND));
		OK(mach_port_mod_refs(self, r, MACH_PORT_RIGHT_SEND, 3));
		OK(mach_port_mod_refs(self, r, MACH_PORT_RIGHT_SEND, -2));
		SAME(3, refs_in(self, r, MACH_PORT_RIGHT_SEND));

		/* Sets: another thread may have just destroyed this one. */
		set = atomic_load(&sh->sets[k % NSETS]);
		ALLOW(mach_port_insert_member(self, r, set), KERN_INVALID_NAME, KERN_INVALID_RIGHT);
		set = atomic_load(&sh->sets[(k + 1) % NSETS]);
		ALLOW(mach_port_insert_member(self, r, set), KERN_INVALID_NAME, KERN_INVALID_RIGHT);
		set = atomic_load(&sh->sets[(k + 2) % NSETS]);
		ALLOW(mach_port_move_member(self, r, set), KERN_INVALID_NAME, KERN_INVALID_RIGHT);
		if ((i & 7) == 3)
			OK(mach_port_move_member(self, r, MACH_PORT_NULL));
		if ((i & 63) == 5) {
			mach_port_name_array_t m = NULL;
			mach_msg_type_number_t c = 0;

			if (ALLOW(mach_port_get_set_status(self, set, &m, &c), KERN_INVALID_NAME,
				  KERN_INVALID_RIGHT) == KERN_SUCCESS && c)
				OK(vm_deallocate(self, (vm_address_t)m, c * sizeof(*m)));
		}
		if (w->id == 1 && (i & 255) == 17 && name_count(self) < 0)
			bad(__LINE__, "mach_port_names", KERN_FAILURE);

		/* The shared anchor: one send right made and dropped. */
		if (OK(mach_port_insert_right(self, sh->anchor, sh->anchor, MACH_MSG_TYPE_MAKE_SEND)) ==
		    KERN_SUCCESS) {
			atomic_fetch_add(&sh->make_sends, 1);
			OK(mach_port_deallocate(self, sh->anchor));
		}
		if ((i & 15) == 9 &&
		    OK(mach_port_extract_right(self, sh->anchor, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so,
					       &gt)) == KERN_SUCCESS) {
			atomic_fetch_add(&sh->send_onces, 1);
			SAME(MACH_PORT_TYPE_SEND_ONCE, type_in(self, so));
			OK(mach_port_deallocate(self, so));
		}

		/* Set churn: thread 0 replaces a set now and then. */
		if (w->id == 0 && (i & 127) == 64) {
			mach_port_name_t ns = MACH_PORT_NULL;

			if (OK(mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &ns)) == KERN_SUCCESS) {
				old = atomic_exchange(&sh->sets[(i >> 7) % NSETS], ns);
				OK(mach_port_destroy(self, old));
			}
		}

		/* Hand r over to a slot now and then, taking what was there. */
		if ((i & 3) == 1) {
			old = atomic_exchange(&sh->slots[(i * 7 + w->id) % NSLOTS], r);
			r = old;
		}
		if (r != MACH_PORT_NULL)
			destroy_owned(r, (unsigned)(i / 4 + w->id));
	}
	atomic_fetch_add(&sh->done_iters, i);
	return NULL;
}

FIXTURE(stress) {};
FIXTURE_SETUP(stress) {}
FIXTURE_TEARDOWN(stress) {}

TEST_F_TIMEOUT(stress, threads_one_space, 300)
{
	struct one_space sh = { 0 };
	struct worker w[THREADS];
	pthread_t th[THREADS];
	mach_port_t me = mach_task_self();
	mach_port_status_t st;
	double t0 = now();
	int i, base, after;
	long notes = 0;

	sh.iters = env_long("MACHIPC_STRESS_ITERS", ITERS);
	sh.deadline = t0 + env_long("MACHIPC_STRESS_SECONDS", 20);
	base = name_count(me);
	ASSERT_LT(0, base);
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(me, MACH_PORT_RIGHT_RECEIVE, &sh.anchor));
	for (i = 0; i < NSETS; i++) {
		mach_port_name_t s = MACH_PORT_NULL;

		ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(me, MACH_PORT_RIGHT_PORT_SET, &s));
		atomic_store(&sh.sets[i], s);
	}
	for (i = 0; i < THREADS; i++) {
		w[i].sh = &sh;
		w[i].id = i;
		ASSERT_EQ(0, pthread_create(&th[i], NULL, one_space_worker, &w[i]));
	}
	for (i = 0; i < THREADS; i++)
		ASSERT_EQ(0, pthread_join(th[i], NULL));
	TH_LOG("%ld iterations in %.1f s (%ld make-send, %ld make-send-once on the anchor)",
	       atomic_load(&sh.done_iters), now() - t0, atomic_load(&sh.make_sends),
	       atomic_load(&sh.send_onces));

	/* What is left: the ports in the slots, the sets. */
	for (i = 0; i < NSLOTS; i++) {
		mach_port_name_t x = atomic_load(&sh.slots[i]);

		if (x != MACH_PORT_NULL)
			destroy_owned(x, i);
	}
	for (i = 0; i < NSETS; i++) {
		mach_port_name_array_t m = NULL;
		mach_msg_type_number_t c = 0;

		/* Every member was destroyed. */
		ASSERT_EQ(KERN_SUCCESS, mach_port_get_set_status(me, sh.sets[i], &m, &c));
		EXPECT_EQ(0U, c);
		EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(me, sh.sets[i]));
	}
	/* Each send-once right destroyed unused queued a send-once
	 * notification (71) to the anchor, counted in sorights until
	 * received: receive them all. */
	ASSERT_EQ(KERN_SUCCESS, get_status(me, sh.anchor, &st));
	EXPECT_EQ((unsigned)atomic_load(&sh.send_onces), st.mps_msgcount);
	for (;;) {
		struct {
			mach_msg_header_t h;
			char body[256];
		} m;
		mach_msg_return_t mr;

		memset(&m, 0, sizeof(m));
		mr = mach_msg(&m.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m), sh.anchor, 0,
			      MACH_PORT_NULL);
		if (mr == MACH_RCV_TIMED_OUT)
			break;
		ASSERT_EQ(MACH_MSG_SUCCESS, mr);
		EXPECT_EQ(MACH_NOTIFY_SEND_ONCE, m.h.msgh_id);
		notes++;
	}
	EXPECT_EQ(atomic_load(&sh.send_onces), notes);
	/* The anchor: no send or send-once right left, every make-send counted. */
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_in(me, sh.anchor));
	ASSERT_EQ(KERN_SUCCESS, get_status(me, sh.anchor, &st));
	EXPECT_EQ(0U, st.mps_msgcount);
	EXPECT_EQ(0U, st.mps_srights);
	EXPECT_EQ(0U, st.mps_sorights);
	EXPECT_EQ(0U, st.mps_pset);
	EXPECT_EQ((unsigned)atomic_load(&sh.make_sends), st.mps_mscount);
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(me, sh.anchor));
	after = name_count(me);
	EXPECT_EQ(base, after) {
		dump_names(me);
	}
	EXPECT_EQ(0, atomic_load(&unexpected));
}

/* ---------------------------------------------------------------------- */
/* Two processes, each working in the other's space. */

struct cross {
	mach_port_t peer;		/* the other task's task port */
	mach_port_name_t peer_anchor;	/* a receive right in the other space */
	mach_port_name_t peer_sets[CROSS_THREADS]; /* our sets in the other space */
	atomic_long anchor_sends;	/* make-sends we did on peer_anchor */
	atomic_long done_iters;
	long iters;
	double deadline;
};

struct cross_worker {
	struct cross *c;
	int id;
};

static void *cross_worker(void *arg)
{
	struct cross_worker *w = arg;
	struct cross *c = w->c;
	mach_port_t self = mach_task_self(), peer = c->peer;
	long i;

	for (i = 0; i < c->iters; i++) {
		mach_port_name_t rn = MACH_PORT_NULL, sn = MACH_PORT_NULL, lp = MACH_PORT_NULL;
		mach_port_name_t dn = MACH_PORT_NULL, an = MACH_PORT_NULL;
		mach_msg_type_name_t gt = 0;
		kern_return_t kr;

		if ((i & 31) == 0 && now() > c->deadline)
			break;
		/* A port in the peer's space, a send right to it in ours. */
		if (OK(mach_port_allocate(peer, MACH_PORT_RIGHT_RECEIVE, &rn)) != KERN_SUCCESS)
			continue;
		OK(mach_port_extract_right(peer, rn, MACH_MSG_TYPE_MAKE_SEND, &sn, &gt));
		SAME(MACH_MSG_TYPE_PORT_SEND, gt);
		OK(mach_port_mod_refs(self, sn, MACH_PORT_RIGHT_SEND, 2));
		OK(mach_port_insert_member(peer, rn, c->peer_sets[w->id]));

		/* A port of ours; a send right to it in the peer's space, under
		 * a name freed just before (the peer may take it first). */
		OK(mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &lp));
		if (OK(mach_port_allocate(peer, MACH_PORT_RIGHT_DEAD_NAME, &dn)) == KERN_SUCCESS) {
			OK(mach_port_destroy(peer, dn));
			/* Taken under the next generation: a collision, as XNU's
			 * ipc_entry_alloc_name answers (KERN_FAILURE). */
			kr = ALLOW(mach_port_insert_right(peer, dn, lp, MACH_MSG_TYPE_MAKE_SEND),
				   KERN_NAME_EXISTS, KERN_FAILURE);
			if (kr != KERN_SUCCESS)
				dn = MACH_PORT_NULL;
		}
		/* The peer's anchor: a send right made and dropped. */
		if (OK(mach_port_extract_right(peer, c->peer_anchor, MACH_MSG_TYPE_MAKE_SEND, &an,
					       &gt)) == KERN_SUCCESS) {
			atomic_fetch_add(&c->anchor_sends, 1);
			OK(mach_port_deallocate(self, an));
		}

		/* Our port dies: the peer's send right becomes a dead name. */
		OK(mach_port_destroy(self, lp));
		if (dn != MACH_PORT_NULL) {
			SAME(MACH_PORT_TYPE_DEAD_NAME, type_in(peer, dn));
			SAME(1, refs_in(peer, dn, MACH_PORT_RIGHT_DEAD_NAME));
			OK(mach_port_deallocate(peer, dn));
		}

		/* The peer's port dies, one way or another. */
		switch (i % 3) {
		case 0:
			OK(mach_port_destroy(peer, rn));
			break;
		case 1:
			OK(mach_port_mod_refs(peer, rn, MACH_PORT_RIGHT_RECEIVE, -1));
			break;
		case 2: {
			mach_port_name_t got = MACH_PORT_NULL;

			/* Moved into our space: it joins our send right's name
			 * and leaves the peer's set. */
			if (OK(mach_port_extract_right(peer, rn, MACH_MSG_TYPE_MOVE_RECEIVE, &got,
						       &gt)) == KERN_SUCCESS) {
				SAME(sn, got);
				SAME(MACH_PORT_TYPE_SEND_RECEIVE, type_in(self, sn));
			}
			OK(mach_port_destroy(self, sn));
			continue;
		}
		}
		SAME(MACH_PORT_TYPE_DEAD_NAME, type_in(self, sn));
		SAME(3, refs_in(self, sn, MACH_PORT_RIGHT_DEAD_NAME));
		OK(mach_port_mod_refs(self, sn, MACH_PORT_RIGHT_DEAD_NAME, -3));
	}
	atomic_fetch_add(&c->done_iters, i);
	return NULL;
}

/*
 * One side of the cross-space run, in the parent or the child: sets up,
 * syncs, runs the threads, syncs, checks. Returns the number of failed
 * checks. `rd`/`wr`: the pipe to the other side.
 */
static long cross_side(mach_port_t peer, int rd, int wr, bool parent, long iters, double secs)
{
	struct cross c = { .peer = peer, .iters = iters };
	struct cross_worker w[CROSS_THREADS];
	pthread_t th[CROSS_THREADS];
	mach_port_t self = mach_task_self();
	mach_port_name_t anchor = MACH_PORT_NULL;
	mach_port_status_t st;
	uint32_t v, peer_sends = 0;
	long fails = 0;
	int i, base, after;
	double t0;

	(void)parent;
	/* Our anchor, told to the peer; our sets in the peer's space. */
	if (OK(mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &anchor)) != KERN_SUCCESS)
		return 1;
	for (i = 0; i < CROSS_THREADS; i++)
		if (OK(mach_port_allocate(peer, MACH_PORT_RIGHT_PORT_SET, &c.peer_sets[i])) !=
		    KERN_SUCCESS)
			return 1;
	if (!put(wr, anchor) || !get(rd, &v))
		return 1;
	c.peer_anchor = v;
	/* Both sides set up: the baselines. */
	if (!put(wr, 1) || !get(rd, &v))
		return 1;
	base = name_count(self);
	if (!put(wr, 2) || !get(rd, &v))
		return 1;

	t0 = now();
	c.deadline = t0 + secs;
	for (i = 0; i < CROSS_THREADS; i++) {
		w[i].c = &c;
		w[i].id = i;
		if (pthread_create(&th[i], NULL, cross_worker, &w[i]))
			return 1;
	}
	for (i = 0; i < CROSS_THREADS; i++)
		pthread_join(th[i], NULL);
	fprintf(stderr, "# %s: %ld iterations in %.1f s, %ld make-sends on the peer's anchor\n",
		parent ? "parent" : "child", atomic_load(&c.done_iters), now() - t0,
		atomic_load(&c.anchor_sends));

	/* Both done: tell the peer how many send rights we made of its anchor. */
	if (!put(wr, (uint32_t)atomic_load(&c.anchor_sends)) || !get(rd, &peer_sends))
		return 1;
	after = name_count(self);
	if (after != base) {
		fprintf(stderr, "# %s: %d names, %d before\n", parent ? "parent" : "child", after,
			base);
		dump_names(self);
		fails++;
	}
	if (OK(get_status(self, anchor, &st)) == KERN_SUCCESS) {
		SAME(0, st.mps_srights);
		SAME(0, st.mps_sorights);
		SAME(peer_sends, st.mps_mscount);
	}
	SAME(MACH_PORT_TYPE_RECEIVE, type_in(self, anchor));
	/* Our sets in the peer's space are empty: every member died or moved. */
	for (i = 0; i < CROSS_THREADS; i++) {
		mach_port_name_array_t m = NULL;
		mach_msg_type_number_t cnt = 0;

		if (OK(mach_port_get_set_status(peer, c.peer_sets[i], &m, &cnt)) == KERN_SUCCESS) {
			SAME(0, cnt);
			if (cnt)
				vm_deallocate(self, (vm_address_t)m, cnt * sizeof(*m));
		}
		OK(mach_port_destroy(peer, c.peer_sets[i]));
	}
	OK(mach_port_destroy(self, anchor));
	/* Both cleaned up. */
	if (!put(wr, 3) || !get(rd, &v))
		return 1;
	return fails;
}

TEST_F_TIMEOUT(stress, cross_space_two_processes, 300)
{
	long iters = env_long("MACHIPC_STRESS_CROSS_ITERS", CROSS_ITERS);
	double secs = env_long("MACHIPC_STRESS_CROSS_SECONDS", 15);
	mach_port_t me = mach_task_self();
	int p2c[2], c2p[2], status, base;
	uint32_t v;
	long fails;
	pid_t kid;

	/* The child's bootstrap port: our task port. */
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(me, TASK_BOOTSTRAP_PORT, me));
	ASSERT_EQ(0, pipe(p2c));
	ASSERT_EQ(0, pipe(c2p));
	base = name_count(me);
	fflush(stdout);
	fflush(stderr);
	kid = fork();
	ASSERT_LE(0, kid);
	if (kid == 0) {
		close(p2c[1]);
		close(c2p[0]);
		if (mach_port_insert_right(bootstrap_port, CHILD_TASK_NAME, mach_task_self(),
					   MACH_MSG_TYPE_COPY_SEND) != KERN_SUCCESS)
			_exit(2);
		if (!put(c2p[1], 0))
			_exit(3);
		fails = cross_side(bootstrap_port, p2c[0], c2p[1], false, iters, secs);
		fails += atomic_load(&unexpected);
		_exit(fails ? 1 : 0);
	}
	close(p2c[0]);
	close(c2p[1]);
	ASSERT_TRUE(get(c2p[0], &v));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_in(me, CHILD_TASK_NAME));
	fails = cross_side(CHILD_TASK_NAME, c2p[0], p2c[1], true, iters, secs);
	EXPECT_EQ(0, fails);
	close(p2c[1]);
	close(c2p[0]);
	ASSERT_EQ(kid, waitpid(kid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* The child is gone: its task port is a dead name, the rest as before. */
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_in(me, CHILD_TASK_NAME));
	EXPECT_EQ(base + 1, name_count(me));
	EXPECT_EQ(0, atomic_load(&unexpected));
}

/* Threads of a process racing its own exit: the space dies under them. */
TEST_F_TIMEOUT(stress, space_dies_under_threads, 120)
{
	mach_port_t me = mach_task_self();
	mach_port_name_t p = MACH_PORT_NULL;
	mach_port_status_t st;
	int round, status;
	double t0 = now();

	/* Our port, which each child makes send rights to. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(me, MACH_PORT_RIGHT_RECEIVE, &p));
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(me, TASK_BOOTSTRAP_PORT, me));
	for (round = 0; round < 8; round++) {
		pid_t kid;

		fflush(stdout);
		fflush(stderr);
		kid = fork();
		ASSERT_LE(0, kid);
		if (kid == 0) {
			struct one_space sh = { 0 };
			struct worker w[THREADS];
			pthread_t th[THREADS];
			mach_port_name_t got;
			mach_msg_type_name_t gt;
			int i;

			sh.iters = 1L << 30;
			sh.deadline = now() + 60;
			if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &sh.anchor))
				_exit(2);
			for (i = 0; i < NSETS; i++) {
				mach_port_name_t s = MACH_PORT_NULL;

				if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &s))
					_exit(3);
				atomic_store(&sh.sets[i], s);
			}
			/* Send rights to the parent's port, made through its task port. */
			for (i = 0; i < 3; i++)
				if (mach_port_extract_right(bootstrap_port, p, MACH_MSG_TYPE_MAKE_SEND,
							    &got, &gt))
					_exit(4);
			for (i = 0; i < THREADS; i++) {
				w[i].sh = &sh;
				w[i].id = i;
				pthread_create(&th[i], NULL, one_space_worker, &w[i]);
			}
			/*
			 * Die in the middle of it, by exit or a signal, once
			 * the threads have begun 2 << round iterations (a later
			 * point each round; the deadline bounds the wait).
			 */
			while (atomic_load(&sh.started_iters) < 2L << round && now() < sh.deadline)
				sleep_ms(1);
			if (round & 1)
				raise(SIGKILL);
			_exit(0);
		}
		ASSERT_EQ(kid, waitpid(kid, &status, 0));
		if (round & 1) {
			EXPECT_TRUE(WIFSIGNALED(status));
		} else {
			EXPECT_TRUE(WIFEXITED(status));
			EXPECT_EQ(0, WEXITSTATUS(status));
		}
		/* Its send rights to our port went with its space. */
		ASSERT_EQ(KERN_SUCCESS, get_status(me, p, &st));
		EXPECT_EQ(0U, st.mps_srights);
		EXPECT_EQ((unsigned)(round + 1) * 3, st.mps_mscount);
	}
	TH_LOG("8 processes in %.1f s", now() - t0);
}

/* ---------------------------------------------------------------------- */
/* Calls through a task port while its task dies. */

struct race {
	mach_port_name_t anchor;	/* ours: the rights inserted in the child */
	atomic_long calls;		/* iterations begun, as they begin */
	long ok, invalid_task, invalid_dest;
};

static void *race_worker(void *arg)
{
	struct race *r = arg;
	long k;

	for (k = 0; k < 2000; k++) {
		mach_port_name_t n = MACH_PORT_NULL;
		kern_return_t kr;

		atomic_fetch_add(&r->calls, 1);
		kr = ALLOW(mach_port_allocate(CHILD_TASK_NAME, MACH_PORT_RIGHT_RECEIVE, &n),
			   MACH_SEND_INVALID_DEST, KERN_INVALID_TASK);
		if (kr == MACH_SEND_INVALID_DEST)
			break;
		/* One more uref under the same name in the child's space.
		 * KERN_INVALID_TASK: the task died after the call found it;
		 * the right may have been made (mscount) and then released. */
		kr = ALLOW(mach_port_insert_right(CHILD_TASK_NAME, NAME(0x400, 3), r->anchor,
						  MACH_MSG_TYPE_MAKE_SEND),
			   MACH_SEND_INVALID_DEST, KERN_INVALID_TASK);
		if (kr == KERN_SUCCESS)
			r->ok++;
		else if (kr == KERN_INVALID_TASK)
			r->invalid_task++;
		else {
			r->invalid_dest++;
			break;
		}
	}
	return NULL;
}

/* Child: exits (odd rounds: dies of SIGKILL) when told, or when the parent goes. */
static void child_dies_when_told(int round, int rd, int wr)
{
	char c;

	(void)wr;
	if (read(rd, &c, 1) < 0)
		_exit(3);
	if (round & 1)
		raise(SIGKILL);
	_exit(0);
}

TEST_F_TIMEOUT(stress, calls_race_task_death, 120)
{
	mach_port_t me = mach_task_self();
	mach_port_name_t anchor = MACH_PORT_NULL;
	mach_port_status_t st;
	long made = 0, ok = 0, dead = 0, late = 0;
	int round, i, base;

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(me, MACH_PORT_RIGHT_RECEIVE, &anchor));
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(me, TASK_BOOTSTRAP_PORT, me));
	base = name_count(me);
	for (round = 0; round < 6; round++) {
		struct race r[2];
		pthread_t th[2];
		struct kid k;
		int status;
		long warm = 4L << round;

		ASSERT_TRUE(spawn(&k, SPAWN_GIVE_TASK, child_dies_when_told, round));
		for (i = 0; i < 2; i++) {
			r[i] = (struct race){ .anchor = anchor };
			ASSERT_EQ(0, pthread_create(&th[i], NULL, race_worker, &r[i]));
		}
		/* The child dies once both threads have begun 4 << round calls
		 * into its space (a later point each round). */
		ASSERT_TRUE(POLL_UNTIL(atomic_load(&r[0].calls) >= warm &&
				       atomic_load(&r[1].calls) >= warm, BLOCK_WAIT_MS));
		close(k.wr);
		for (i = 0; i < 2; i++) {
			ASSERT_EQ(0, pthread_join(th[i], NULL));
			made += r[i].ok + r[i].invalid_task;
			ok += r[i].ok;
			late += r[i].invalid_task;
			dead += r[i].invalid_dest;
		}
		ASSERT_EQ(k.pid, waitpid(k.pid, &status, 0));
		close(k.rd);
		/* Every send right of ours that went into the child's space is
		 * gone with it; each make-send was counted once. */
		ASSERT_EQ(KERN_SUCCESS, get_status(me, anchor, &st));
		EXPECT_EQ(0U, st.mps_srights);
		EXPECT_LE((unsigned)ok, st.mps_mscount);
		EXPECT_GE((unsigned)made, st.mps_mscount);
		EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_in(me, CHILD_TASK_NAME));
		EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(me, CHILD_TASK_NAME, MACH_PORT_RIGHT_DEAD_NAME, -1));
		EXPECT_EQ(base, name_count(me));
	}
	ASSERT_EQ(KERN_SUCCESS, get_status(me, anchor, &st));
	TH_LOG("%ld rights inserted, %ld KERN_INVALID_TASK (mscount %u), %ld calls found the task dead",
	       ok, late, st.mps_mscount, dead);
	EXPECT_EQ(0, atomic_load(&unexpected));
}

TEST_HARNESS_MAIN
