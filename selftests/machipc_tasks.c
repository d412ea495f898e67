// SPDX-License-Identifier: GPL-2.0
/*
 * Tasks, hosts and port sets: mach_task_self / mach_host_self, the host
 * and task special ports, calls made through another task's task port,
 * inheritance over fork, the death of a space (exit, _exit, SIGKILL),
 * exec keeping the task, and the port-set calls.
 *
 * Two processes exchange rights through their task ports only (no
 * messages): the parent makes its own task port its bootstrap port before
 * fork(), so the child's bootstrap_port is a send right to the parent's
 * task, and the child gives the parent a send right to its own task port
 * with mach_port_insert_right() through it. A pipe keeps them in step.
 * mach_msg is used only to receive the send-once notifications that
 * destroyed send-once rights queue.
 *
 * Reference: XNU 10.11 (xnu-3248) behaviour and error codes.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/mach_traps.h>
#include <mach/host_priv.h>
#include <mach/mig_errors.h>
#include <mach/ndr.h>
#include <mach/notify.h>
#include <machipc/machipc.h>
#include "machipc.h"
#include "kselftest_harness.h"
#include "machipc_util.h"

/* Names a child fills in the parent's space. */
#define CHILD_NAME(i) NAME(0x300 + (i), 3)


/* The argument that tells the binary it was exec'ed by one of the exec tests. */
#define EXEC_CHECK_ARG "--machipc-exec-check"

/* ---------------------------------------------------------------------- */
/* Helpers. */

/* A name that was valid once and is no longer. */
static mach_port_name_t stale_name(void)
{
	mach_port_name_t n = new_port();

	mach_port_destroy(mach_task_self(), n);
	return n;
}

static unsigned kobject_of(mach_port_t task, mach_port_name_t name)
{
	unsigned type = 0xffff, addr = 0;
	kern_return_t kr = mach_port_kernel_object(task, name, &type, &addr);

	return kr == KERN_SUCCESS ? type : 0xdead0000U + (unsigned)kr;
}

/*
 * The names of a space and their types (mach_port_names), copied to
 * malloc'ed arrays; the count, or -1 (and *kr) on failure.
 */
static int names_of(mach_port_t task, mach_port_name_t **names, mach_port_type_t **types,
		    kern_return_t *kr_out)
{
	mach_port_name_array_t n = NULL;
	mach_port_type_array_t t = NULL;
	mach_msg_type_number_t nc = 0, tc = 0;
	kern_return_t kr = mach_port_names(task, &n, &nc, &t, &tc);

	if (kr_out)
		*kr_out = kr;
	if (kr != KERN_SUCCESS || nc != tc)
		return -1;
	if (names) {
		*names = malloc((nc + 1) * sizeof(**names));
		memcpy(*names, n, nc * sizeof(**names));
	}
	if (types) {
		*types = malloc((tc + 1) * sizeof(**types));
		memcpy(*types, t, tc * sizeof(**types));
	}
	if (nc) {
		vm_deallocate(mach_task_self(), (vm_address_t)n, nc * sizeof(*n));
		vm_deallocate(mach_task_self(), (vm_address_t)t, tc * sizeof(*t));
	}
	return (int)nc;
}

/* The type mach_port_names reports for `name`, 0 if it is not listed. */
static mach_port_type_t listed_type(mach_port_t task, mach_port_name_t name)
{
	mach_port_name_t *n;
	mach_port_type_t *t, r = 0;
	int i, c = names_of(task, &n, &t, NULL);

	if (c < 0)
		return 0xdeadffffU;
	for (i = 0; i < c; i++)
		if (n[i] == name)
			r = t[i];
	free(n);
	free(t);
	return r;
}

static int cmp_names(const void *a, const void *b)
{
	mach_port_name_t x = *(const mach_port_name_t *)a, y = *(const mach_port_name_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The members of a set (mach_port_get_set_status), sorted into out[max];
 * the count, or -1 (and *kr) on failure. The returned array is freed with
 * vm_deallocate.
 */
static int members_of(mach_port_t task, mach_port_name_t set, mach_port_name_t *out, int max,
		      kern_return_t *kr_out)
{
	mach_port_name_array_t m = NULL;
	mach_msg_type_number_t c = 0;
	kern_return_t kr = mach_port_get_set_status(task, set, &m, &c);
	int i;

	if (kr_out)
		*kr_out = kr;
	if (kr != KERN_SUCCESS)
		return -1;
	for (i = 0; i < (int)c && i < max; i++)
		out[i] = m[i];
	if (c && vm_deallocate(mach_task_self(), (vm_address_t)m, c * sizeof(*m)) != KERN_SUCCESS)
		return -2;
	qsort(out, i, sizeof(*out), cmp_names);
	return (int)c;
}

/* Sorts a small array of names in place, for comparisons with members_of. */
static void sort_names(mach_port_name_t *n, int c)
{
	qsort(n, c, sizeof(*n), cmp_names);
}

/*
 * Receives one queued message from `port` without waiting: its msgh_id,
 * or 0xdead0000 + the mach_msg error.
 */
static unsigned receive_id(mach_port_name_t port)
{
	struct {
		mach_msg_header_t h;
		char body[512];
	} m;
	mach_msg_return_t mr;

	memset(&m, 0, sizeof(m));
	mr = mach_msg(&m.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m), port, 0, MACH_PORT_NULL);
	return mr == MACH_MSG_SUCCESS ? (unsigned)m.h.msgh_id : 0xdead0000U + (unsigned)mr;
}

static kern_return_t make_send(mach_port_name_t n)
{
	return mach_port_insert_right(mach_task_self(), n, n, MACH_MSG_TYPE_MAKE_SEND);
}

/* ---------------------------------------------------------------------- */
/* Port sets. */

TEST(insert_member_invalid_names_invalid_right)
{
	mach_port_name_t p = new_port(), s = new_set();

	ASSERT_NE(NULL_NAME, p);
	ASSERT_NE(NULL_NAME, s);
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_insert_member(mach_task_self(), MACH_PORT_NULL, s));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_insert_member(mach_task_self(), MACH_PORT_DEAD, s));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_insert_member(mach_task_self(), p, MACH_PORT_NULL));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_insert_member(mach_task_self(), p, MACH_PORT_DEAD));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_extract_member(mach_task_self(), MACH_PORT_NULL, s));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_extract_member(mach_task_self(), MACH_PORT_DEAD, s));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_extract_member(mach_task_self(), p, MACH_PORT_NULL));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_extract_member(mach_task_self(), p, MACH_PORT_DEAD));
	EXPECT_EQ(0U, STATUS_FIELD_IN(mach_task_self(), p, mps_pset));
}

TEST(insert_member_unknown_name_invalid_name)
{
	mach_port_name_t p = new_port(), s = new_set(), gone = stale_name();

	EXPECT_EQ(KERN_INVALID_NAME, mach_port_insert_member(mach_task_self(), UNKNOWN_NAME, s));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_insert_member(mach_task_self(), p, UNKNOWN_NAME));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_insert_member(mach_task_self(), gone, s));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_insert_member(mach_task_self(), p, gone));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_extract_member(mach_task_self(), UNKNOWN_NAME, s));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_extract_member(mach_task_self(), p, UNKNOWN_NAME));
	EXPECT_EQ(0U, STATUS_FIELD_IN(mach_task_self(), p, mps_pset));
}

TEST(insert_member_wrong_types_invalid_right)
{
	mach_port_name_t p = new_port(), q = new_port(), s = new_set(), s2 = new_set();
	mach_port_name_t dead = MACH_PORT_NULL, m[4];

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_DEAD_NAME, &dead));
	/* A set as the member, a receive right as the set. */
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_insert_member(mach_task_self(), s2, s));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_insert_member(mach_task_self(), p, q));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_insert_member(mach_task_self(), s, s));
	/* A send right (the task port) and a dead name are not receive rights. */
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_insert_member(mach_task_self(), mach_task_self(), s));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_insert_member(mach_task_self(), dead, s));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_insert_member(mach_task_self(), p, dead));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_insert_member(mach_task_self(), p, mach_task_self()));
	EXPECT_EQ(0, members_of(mach_task_self(), s, m, 4, NULL));
	EXPECT_EQ(0U, STATUS_FIELD_IN(mach_task_self(), p, mps_pset));
}

TEST(insert_member_twice_already_in_set)
{
	mach_port_name_t p = new_port(), s = new_set(), m[4];

	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), p, s));
	EXPECT_EQ(KERN_ALREADY_IN_SET, mach_port_insert_member(mach_task_self(), p, s));
	ASSERT_EQ(1, members_of(mach_task_self(), s, m, 4, NULL));
	EXPECT_EQ(p, m[0]);
	EXPECT_EQ(1U, STATUS_FIELD_IN(mach_task_self(), p, mps_pset));
	/* A send right under the same name changes nothing. */
	ASSERT_EQ(KERN_SUCCESS, make_send(p));
	EXPECT_EQ(KERN_ALREADY_IN_SET, mach_port_insert_member(mach_task_self(), p, s));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_in(mach_task_self(), p));
}

TEST(port_in_several_sets)
{
	mach_port_name_t p = new_port(), s[3] = { new_set(), new_set(), new_set() }, m[4];
	int i;

	for (i = 0; i < 3; i++)
		ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), p, s[i]));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(1, members_of(mach_task_self(), s[i], m, 4, NULL));
		EXPECT_EQ(p, m[0]);
	}
	/* 10.11 reports whether the port is in a set, not how many. */
	EXPECT_EQ(1U, STATUS_FIELD_IN(mach_task_self(), p, mps_pset));
	/* Leaving one set leaves the others alone. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_member(mach_task_self(), p, s[1]));
	EXPECT_EQ(0, members_of(mach_task_self(), s[1], m, 4, NULL));
	EXPECT_EQ(1, members_of(mach_task_self(), s[0], m, 4, NULL));
	EXPECT_EQ(1, members_of(mach_task_self(), s[2], m, 4, NULL));
	EXPECT_EQ(1U, STATUS_FIELD_IN(mach_task_self(), p, mps_pset));
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_member(mach_task_self(), p, s[0]));
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_member(mach_task_self(), p, s[2]));
	EXPECT_EQ(0U, STATUS_FIELD_IN(mach_task_self(), p, mps_pset));
}

TEST(extract_member_not_member_not_in_set)
{
	mach_port_name_t p = new_port(), q = new_port(), s = new_set(), s2 = new_set(), m[4];

	EXPECT_EQ(KERN_NOT_IN_SET, mach_port_extract_member(mach_task_self(), p, s));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), p, s));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), q, s2));
	/* A member of another set. */
	EXPECT_EQ(KERN_NOT_IN_SET, mach_port_extract_member(mach_task_self(), q, s));
	EXPECT_EQ(KERN_NOT_IN_SET, mach_port_extract_member(mach_task_self(), p, s2));
	EXPECT_EQ(KERN_SUCCESS, mach_port_extract_member(mach_task_self(), p, s));
	EXPECT_EQ(KERN_NOT_IN_SET, mach_port_extract_member(mach_task_self(), p, s));
	EXPECT_EQ(0, members_of(mach_task_self(), s, m, 4, NULL));
	ASSERT_EQ(1, members_of(mach_task_self(), s2, m, 4, NULL));
	EXPECT_EQ(q, m[0]);
	/* Wrong types on extract too. */
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_extract_member(mach_task_self(), s2, s));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_extract_member(mach_task_self(), q, p));
}

TEST(move_member_removes_from_all_other_sets)
{
	mach_port_name_t p = new_port(), a = new_set(), b = new_set(), c = new_set(), m[4];

	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), p, a));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), p, b));
	ASSERT_EQ(KERN_SUCCESS, mach_port_move_member(mach_task_self(), p, c));
	EXPECT_EQ(0, members_of(mach_task_self(), a, m, 4, NULL));
	EXPECT_EQ(0, members_of(mach_task_self(), b, m, 4, NULL));
	ASSERT_EQ(1, members_of(mach_task_self(), c, m, 4, NULL));
	EXPECT_EQ(p, m[0]);
	EXPECT_EQ(1U, STATUS_FIELD_IN(mach_task_self(), p, mps_pset));
	/* Into the set it is already in: stays there, once. */
	EXPECT_EQ(KERN_SUCCESS, mach_port_move_member(mach_task_self(), p, c));
	EXPECT_EQ(1, members_of(mach_task_self(), c, m, 4, NULL));
	/* after = MACH_PORT_NULL: out of every set. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), p, a));
	EXPECT_EQ(KERN_SUCCESS, mach_port_move_member(mach_task_self(), p, MACH_PORT_NULL));
	EXPECT_EQ(0, members_of(mach_task_self(), a, m, 4, NULL));
	EXPECT_EQ(0, members_of(mach_task_self(), c, m, 4, NULL));
	EXPECT_EQ(0U, STATUS_FIELD_IN(mach_task_self(), p, mps_pset));
}

TEST(move_member_null_on_port_in_no_set_succeeds)
{
	mach_port_name_t p = new_port();

	EXPECT_EQ(KERN_SUCCESS, mach_port_move_member(mach_task_self(), p, MACH_PORT_NULL));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_in(mach_task_self(), p));
	EXPECT_EQ(0U, STATUS_FIELD_IN(mach_task_self(), p, mps_pset));
}

TEST(move_member_bad_arguments)
{
	mach_port_name_t p = new_port(), q = new_port(), a = new_set(), m[4];

	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), p, a));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_move_member(mach_task_self(), p, MACH_PORT_DEAD));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_move_member(mach_task_self(), MACH_PORT_NULL, a));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_move_member(mach_task_self(), MACH_PORT_DEAD, a));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_move_member(mach_task_self(), UNKNOWN_NAME, a));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_move_member(mach_task_self(), p, UNKNOWN_NAME));
	/* A receive right as `after`, a set as the member. */
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_move_member(mach_task_self(), p, q));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_move_member(mach_task_self(), a, a));
	/* None of the failures took p out of its set. */
	ASSERT_EQ(1, members_of(mach_task_self(), a, m, 4, NULL));
	EXPECT_EQ(p, m[0]);
	EXPECT_EQ(1U, STATUS_FIELD_IN(mach_task_self(), p, mps_pset));
}

TEST(get_set_status_lists_exactly_the_members)
{
	mach_port_name_t s = new_set(), other = new_set(), p[6], want[6], m[8];
	kern_return_t kr;
	int i;

	EXPECT_EQ(0, members_of(mach_task_self(), s, m, 8, NULL));
	for (i = 0; i < 6; i++) {
		p[i] = new_port();
		ASSERT_NE(NULL_NAME, p[i]);
	}
	/* Members 0, 2, 3, 5; 1 is in another set; 4 in none. */
	for (i = 0; i < 6; i++) {
		if (i == 1) {
			ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), p[i], other));
		} else if (i != 4) {
			ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), p[i], s));
		}
	}
	want[0] = p[0];
	want[1] = p[2];
	want[2] = p[3];
	want[3] = p[5];
	sort_names(want, 4);
	ASSERT_EQ(4, members_of(mach_task_self(), s, m, 8, NULL));
	for (i = 0; i < 4; i++)
		EXPECT_EQ(want[i], m[i]);
	ASSERT_EQ(1, members_of(mach_task_self(), other, m, 8, NULL));
	EXPECT_EQ(p[1], m[0]);
	/* Not a set. */
	EXPECT_EQ(-1, members_of(mach_task_self(), p[0], m, 8, &kr));
	EXPECT_EQ(KERN_INVALID_RIGHT, kr);
	EXPECT_EQ(-1, members_of(mach_task_self(), MACH_PORT_NULL, m, 8, &kr));
	EXPECT_EQ(KERN_INVALID_RIGHT, kr);
	EXPECT_EQ(-1, members_of(mach_task_self(), UNKNOWN_NAME, m, 8, &kr));
	EXPECT_EQ(KERN_INVALID_NAME, kr);
}

static void destroy_set_leaves_ports(struct __test_metadata *_metadata, bool by_mod_refs)
{
	mach_port_name_t s = new_set(), s2 = new_set(), p = new_port(), q = new_port(), m[4];

	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), p, s));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), q, s));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), q, s2));
	ASSERT_EQ(1U, STATUS_FIELD_IN(mach_task_self(), p, mps_pset));
	if (by_mod_refs) {
		ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), s, MACH_PORT_RIGHT_PORT_SET, -1));
	} else {
		ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), s));
	}
	EXPECT_EQ(0xdead0000U + KERN_INVALID_NAME, type_in(mach_task_self(), s));
	/* The ports live on; p is in no set now, q still in s2. */
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_in(mach_task_self(), p));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_in(mach_task_self(), q));
	EXPECT_EQ(0U, STATUS_FIELD_IN(mach_task_self(), p, mps_pset));
	EXPECT_EQ(1U, STATUS_FIELD_IN(mach_task_self(), q, mps_pset));
	ASSERT_EQ(1, members_of(mach_task_self(), s2, m, 4, NULL));
	EXPECT_EQ(q, m[0]);
	/* And can join a new set. */
	s = new_set();
	EXPECT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), p, s));
	EXPECT_EQ(1U, STATUS_FIELD_IN(mach_task_self(), p, mps_pset));
	/* The other way to destroy it, on s2. */
	if (by_mod_refs) {
		ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), s2));
	} else {
		ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), s2, MACH_PORT_RIGHT_PORT_SET, -1));
	}
	EXPECT_EQ(0U, STATUS_FIELD_IN(mach_task_self(), q, mps_pset));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_in(mach_task_self(), q));
}

TEST(destroy_set_leaves_ports_alive)
{
	destroy_set_leaves_ports(_metadata, false);
}

TEST(mod_refs_set_minus_one_leaves_ports_alive)
{
	destroy_set_leaves_ports(_metadata, true);
}

TEST(destroy_member_removes_it_from_set)
{
	mach_port_name_t s = new_set(), p[3] = { new_port(), new_port(), new_port() }, m[4];
	int i;

	for (i = 0; i < 3; i++)
		ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), p[i], s));
	ASSERT_EQ(3, members_of(mach_task_self(), s, m, 4, NULL));
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), p[0]));
	ASSERT_EQ(2, members_of(mach_task_self(), s, m, 4, NULL));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p[1], MACH_PORT_RIGHT_RECEIVE, -1));
	ASSERT_EQ(1, members_of(mach_task_self(), s, m, 4, NULL));
	EXPECT_EQ(p[2], m[0]);
	/* A receive right with a send right: destroying the receive right
	 * leaves a dead name, which is no member. */
	ASSERT_EQ(KERN_SUCCESS, make_send(p[2]));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p[2], MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_in(mach_task_self(), p[2]));
	EXPECT_EQ(0, members_of(mach_task_self(), s, m, 4, NULL));
	EXPECT_EQ(MACH_PORT_TYPE_PORT_SET, type_in(mach_task_self(), s));
}

TEST(move_receive_out_leaves_sets)
{
	mach_port_name_t a = new_set(), b = new_set(), p = new_port(), got = MACH_PORT_NULL, m[4];
	mach_msg_type_name_t gt = 0;

	ASSERT_EQ(KERN_SUCCESS, mach_port_set_context(mach_task_self(), p, 0x1234));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), p, a));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), p, b));
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(mach_task_self(), p,
							MACH_MSG_TYPE_MOVE_RECEIVE, &got, &gt));
	EXPECT_EQ((mach_msg_type_name_t)MACH_MSG_TYPE_PORT_RECEIVE, gt);
	ASSERT_TRUE(MACH_PORT_VALID(got));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_in(mach_task_self(), got));
	EXPECT_EQ(0, members_of(mach_task_self(), a, m, 4, NULL));
	EXPECT_EQ(0, members_of(mach_task_self(), b, m, 4, NULL));
	EXPECT_EQ(0U, STATUS_FIELD_IN(mach_task_self(), got, mps_pset));
	if (got != p)
		EXPECT_EQ(0xdead0000U + KERN_INVALID_NAME, type_in(mach_task_self(), p));
}

/* ---------------------------------------------------------------------- */
/* mach_task_self, mach_host_self, the host special ports. */

TEST(task_self_trap_same_name)
{
	mach_port_name_t a = task_self_trap(), b = task_self_trap();
	mach_port_urefs_t r;

	ASSERT_TRUE(MACH_PORT_VALID(a));
	EXPECT_EQ(a, b);
	EXPECT_EQ(mach_task_self(), a);
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_in(mach_task_self(), a));
	EXPECT_EQ(IKOT_TASK, kobject_of(mach_task_self(), a));
	/* Each trap copies out one more send right (XNU). */
	r = refs_in(mach_task_self(), a, MACH_PORT_RIGHT_SEND);
	EXPECT_EQ(a, task_self_trap());
	EXPECT_EQ(r + 1, refs_in(mach_task_self(), a, MACH_PORT_RIGHT_SEND));
	/* TASK_KERNEL_PORT is the same right. */
	ASSERT_EQ(KERN_SUCCESS, task_get_special_port(mach_task_self(), TASK_KERNEL_PORT, &b));
	EXPECT_EQ(a, b);
}

TEST(host_self_same_name_urefs_grow)
{
	mach_port_name_t h = mach_host_self(), t = MACH_PORT_NULL;
	mach_port_urefs_t r;
	unsigned ko;

	ASSERT_TRUE(MACH_PORT_VALID(h));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_in(mach_task_self(), h));
	r = refs_in(mach_task_self(), h, MACH_PORT_RIGHT_SEND);
	EXPECT_EQ(h, mach_host_self());
	EXPECT_EQ(h, host_self_trap());
	EXPECT_EQ(r + 2, refs_in(mach_task_self(), h, MACH_PORT_RIGHT_SEND));
	ko = kobject_of(mach_task_self(), h);
	EXPECT_TRUE(ko == IKOT_HOST || ko == IKOT_HOST_PRIV);
	/* TASK_HOST_PORT is the same right. */
	ASSERT_EQ(KERN_SUCCESS, task_get_special_port(mach_task_self(), TASK_HOST_PORT, &t));
	EXPECT_EQ(h, t);
	EXPECT_EQ(r + 3, refs_in(mach_task_self(), h, MACH_PORT_RIGHT_SEND));
	/* A plain port is no kernel object. */
	EXPECT_EQ(IKOT_NONE, kobject_of(mach_task_self(), new_port()));
}

TEST(host_self_is_host_priv_for_root)
{
	mach_port_name_t h = mach_host_self(), hp = MACH_PORT_NULL, hpriv = MACH_PORT_NULL, x;

	if (geteuid() != 0)
		SKIP(return, "needs root");
	EXPECT_EQ(IKOT_HOST_PRIV, kobject_of(mach_task_self(), h));
	ASSERT_EQ(KERN_SUCCESS, host_get_special_port(h, HOST_LOCAL_NODE, HOST_PORT, &hp));
	ASSERT_TRUE(MACH_PORT_VALID(hp));
	EXPECT_NE(h, hp);
	EXPECT_EQ(IKOT_HOST, kobject_of(mach_task_self(), hp));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_in(mach_task_self(), hp));
	ASSERT_EQ(KERN_SUCCESS, host_get_special_port(h, HOST_LOCAL_NODE, HOST_PRIV_PORT, &hpriv));
	/* The same port as mach_host_self(): the same name. */
	EXPECT_EQ(h, hpriv);
	EXPECT_EQ(IKOT_HOST_PRIV, kobject_of(mach_task_self(), hpriv));
	/* The plain host port does not do: host_priv is needed. */
	x = 0x1234;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_get_special_port(hp, HOST_LOCAL_NODE, HOST_PORT, &x));
	EXPECT_EQ(0x1234U, x);
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_set_special_port(hp, HOST_DYNAMIC_PAGER_PORT, MACH_PORT_NULL));
	/* Nor does a task port, nor a plain port. */
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  host_get_special_port(mach_task_self(), HOST_LOCAL_NODE, HOST_PORT, &x));
	x = new_port();
	ASSERT_EQ(KERN_SUCCESS, make_send(x));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_get_special_port(x, HOST_LOCAL_NODE, HOST_PORT, &hp));
	/* And a name that is no send right at all. */
	EXPECT_EQ(MACH_SEND_INVALID_DEST,
		  host_get_special_port(MACH_PORT_NULL, HOST_LOCAL_NODE, HOST_PORT, &x));
	EXPECT_EQ(MACH_SEND_INVALID_DEST,
		  host_get_special_port(UNKNOWN_NAME, HOST_LOCAL_NODE, HOST_PORT, &x));
}

TEST(host_get_special_port_bad_ids)
{
	mach_port_name_t h = mach_host_self(), x = 0x1234;

	if (geteuid() != 0)
		SKIP(return, "needs root");
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_get_special_port(h, HOST_LOCAL_NODE, 0, &x));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_get_special_port(h, HOST_LOCAL_NODE, -1, &x));
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  host_get_special_port(h, HOST_LOCAL_NODE, HOST_MAX_SPECIAL_PORT + 1, &x));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_get_special_port(h, HOST_LOCAL_NODE, INT_MIN, &x));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_get_special_port(h, HOST_LOCAL_NODE, INT_MAX, &x));
	EXPECT_EQ(0x1234U, x);
	/* The last valid id works (nothing set there: MACH_PORT_NULL). */
	EXPECT_EQ(KERN_SUCCESS, host_get_special_port(h, HOST_LOCAL_NODE, HOST_MAX_SPECIAL_PORT, &x));
	EXPECT_EQ(NULL_NAME, x);
}

TEST(host_set_special_port_kernel_ids_refused)
{
	mach_port_name_t h = mach_host_self(), p = new_port(), x = MACH_PORT_NULL;
	int id;

	if (geteuid() != 0)
		SKIP(return, "needs root");
	ASSERT_EQ(KERN_SUCCESS, make_send(p));
	for (id = -1; id <= HOST_MAX_SPECIAL_KERNEL_PORT; id++)
		EXPECT_EQ(KERN_INVALID_ARGUMENT, host_set_special_port(h, id, p)) {
			TH_LOG("id %d", id);
		}
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_set_special_port(h, HOST_MAX_SPECIAL_PORT + 1, p));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, host_set_special_port(h, INT_MIN, p));
	/* HOST_PORT is unchanged; no right of p was kept. */
	ASSERT_EQ(KERN_SUCCESS, host_get_special_port(h, HOST_LOCAL_NODE, HOST_PORT, &x));
	EXPECT_EQ(IKOT_HOST, kobject_of(mach_task_self(), x));
	EXPECT_EQ(1U, refs_in(mach_task_self(), p, MACH_PORT_RIGHT_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), p));
	EXPECT_EQ(0U, STATUS_FIELD_IN(mach_task_self(), p, mps_srights));
}

TEST(host_set_special_port_round_trip)
{
	mach_port_name_t h = mach_host_self(), p = new_port(), x = MACH_PORT_NULL;
	const int id = HOST_DYNAMIC_PAGER_PORT; /* 8: the first user-settable id */

	if (geteuid() != 0)
		SKIP(return, "needs root");
	ASSERT_EQ(KERN_SUCCESS, make_send(p));
	ASSERT_EQ(KERN_SUCCESS, host_set_special_port(h, id, p));
	/* The host holds its own send right: ours can go. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), p));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_in(mach_task_self(), p));
	EXPECT_EQ(1U, STATUS_FIELD_IN(mach_task_self(), p, mps_srights));
	ASSERT_EQ(KERN_SUCCESS, host_get_special_port(h, HOST_LOCAL_NODE, id, &x));
	/* A send right to our own port: it lands under the receive right's name. */
	EXPECT_EQ(p, x);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_in(mach_task_self(), p));
	EXPECT_EQ(1U, refs_in(mach_task_self(), p, MACH_PORT_RIGHT_SEND));
	ASSERT_EQ(KERN_SUCCESS, host_get_special_port(h, HOST_LOCAL_NODE, id, &x));
	EXPECT_EQ(2U, refs_in(mach_task_self(), p, MACH_PORT_RIGHT_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_SEND, -2));
	/* Clearing it releases the host's right. */
	ASSERT_EQ(KERN_SUCCESS, host_set_special_port(h, id, MACH_PORT_NULL));
	x = 0x1234;
	ASSERT_EQ(KERN_SUCCESS, host_get_special_port(h, HOST_LOCAL_NODE, id, &x));
	EXPECT_EQ(NULL_NAME, x);
	EXPECT_EQ(0U, STATUS_FIELD_IN(mach_task_self(), p, mps_srights));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_in(mach_task_self(), p));
	/* A name that is no send right. */
	EXPECT_EQ(MACH_SEND_INVALID_RIGHT, host_set_special_port(h, id, p));
	EXPECT_EQ(MACH_SEND_INVALID_RIGHT, host_set_special_port(h, id, UNKNOWN_NAME));
	ASSERT_EQ(KERN_SUCCESS, host_get_special_port(h, HOST_LOCAL_NODE, id, &x));
	EXPECT_EQ(NULL_NAME, x);
}

TEST(host_special_port_to_dead_port_reads_dead)
{
	mach_port_name_t h = mach_host_self(), p = new_port(), x = MACH_PORT_NULL;
	const int id = HOST_AUDIT_CONTROL_PORT; /* 9 */

	if (geteuid() != 0)
		SKIP(return, "needs root");
	ASSERT_EQ(KERN_SUCCESS, make_send(p));
	ASSERT_EQ(KERN_SUCCESS, host_set_special_port(h, id, p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), p));
	ASSERT_EQ(KERN_SUCCESS, host_get_special_port(h, HOST_LOCAL_NODE, id, &x));
	EXPECT_EQ(MACH_PORT_DEAD, x);
	ASSERT_EQ(KERN_SUCCESS, host_set_special_port(h, id, MACH_PORT_NULL));
	ASSERT_EQ(KERN_SUCCESS, host_get_special_port(h, HOST_LOCAL_NODE, id, &x));
	EXPECT_EQ(NULL_NAME, x);
}

/* In a task created by an unprivileged process. */
static void unprivileged_host_checks(void)
{
	mach_port_name_t h = mach_host_self(), t = MACH_PORT_NULL, x = 0x1234, p = new_port();

	CHILD_TRUE(MACH_PORT_VALID(h));
	CHILD_EQ(IKOT_HOST, kobject_of(mach_task_self(), h));
	CHILD_EQ(KERN_SUCCESS, task_get_special_port(mach_task_self(), TASK_HOST_PORT, &t));
	CHILD_EQ(h, t);
	CHILD_EQ(KERN_INVALID_ARGUMENT, host_get_special_port(h, HOST_LOCAL_NODE, HOST_PORT, &x));
	CHILD_EQ(KERN_INVALID_ARGUMENT,
		 host_get_special_port(h, HOST_LOCAL_NODE, HOST_PRIV_PORT, &x));
	CHILD_EQ(0x1234, x);
	CHILD_EQ(KERN_SUCCESS, make_send(p));
	CHILD_EQ(KERN_INVALID_ARGUMENT, host_set_special_port(h, HOST_DYNAMIC_PAGER_PORT, p));
	CHILD_EQ(KERN_INVALID_ARGUMENT, host_set_special_port(h, HOST_DYNAMIC_PAGER_PORT,
							       MACH_PORT_NULL));
	/* The host kept no right of p. */
	CHILD_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), p));
	CHILD_EQ(0, STATUS_FIELD_IN(mach_task_self(), p, mps_srights));
}

TEST(host_self_unprivileged_is_plain_host)
{
	int status;
	pid_t kid;

	if (geteuid() != 0)
		SKIP(return, "needs root to drop privileges");
	kid = fork();
	ASSERT_LE(0, kid);
	if (kid == 0) {
		pid_t gk;

		/* This process's task was created while it was root. */
		CHILD_EQ(0, setgroups(0, NULL));
		CHILD_EQ(0, setgid(65534));
		CHILD_EQ(0, setuid(65534));
		/* The task of a process created unprivileged. */
		gk = fork();
		CHILD_TRUE(gk >= 0);
		if (gk == 0) {
			unprivileged_host_checks();
			_exit(0);
		}
		CHILD_EQ(gk, waitpid(gk, &status, 0));
		CHILD_TRUE(WIFEXITED(status));
		_exit(WEXITSTATUS(status));
	}
	ASSERT_EQ(kid, waitpid(kid, &status, 0));
	EXPECT_CHILD_OK(status);
}

/*
 * XNU resets TASK_HOST_PORT whenever the credentials change (setuid()
 * -> set_security_token() -> host_security_set_task_token()): host_priv
 * for euid 0, the plain host port otherwise. So a process that drops root
 * gets the plain host port from mach_host_self() from then on, even
 * though its task was created while it was root.
 */
TEST(host_self_after_setuid_is_plain_host)
{
	int status;
	pid_t kid;

	if (geteuid() != 0)
		SKIP(return, "needs root to drop privileges");
	kid = fork();
	ASSERT_LE(0, kid);
	if (kid == 0) {
		mach_port_name_t h, x = 0x1234;

		CHILD_EQ(0, setgroups(0, NULL));
		CHILD_EQ(0, setgid(65534));
		CHILD_EQ(0, setuid(65534));
		h = mach_host_self();
		CHILD_TRUE(MACH_PORT_VALID(h));
		CHILD_EQ(IKOT_HOST, kobject_of(mach_task_self(), h));
		CHILD_EQ(KERN_INVALID_ARGUMENT,
			 host_get_special_port(h, HOST_LOCAL_NODE, HOST_PRIV_PORT, &x));
		_exit(0);
	}
	ASSERT_EQ(kid, waitpid(kid, &status, 0));
	EXPECT_CHILD_OK(status);
}

/* ---------------------------------------------------------------------- */
/* Task special ports. */

TEST(task_bootstrap_port_round_trip)
{
	mach_port_name_t p = new_port(), x = MACH_PORT_NULL;

	ASSERT_EQ(KERN_SUCCESS, make_send(p));
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, p));
	/* The task holds its own right; ours can go. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), p));
	EXPECT_EQ(1U, STATUS_FIELD_IN(mach_task_self(), p, mps_srights));
	ASSERT_EQ(KERN_SUCCESS, task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &x));
	EXPECT_EQ(p, x);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_in(mach_task_self(), p));
	EXPECT_EQ(1U, refs_in(mach_task_self(), p, MACH_PORT_RIGHT_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), p));
	/* Another id, the same port. */
	ASSERT_EQ(KERN_SUCCESS, make_send(p));
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(mach_task_self(), TASK_ACCESS_PORT, p));
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(mach_task_self(), TASK_DEBUG_CONTROL_PORT, p));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), p));
	ASSERT_EQ(KERN_SUCCESS, task_get_special_port(mach_task_self(), TASK_ACCESS_PORT, &x));
	EXPECT_EQ(p, x);
	ASSERT_EQ(KERN_SUCCESS, task_get_special_port(mach_task_self(), TASK_DEBUG_CONTROL_PORT, &x));
	EXPECT_EQ(p, x);
	EXPECT_EQ(2U, refs_in(mach_task_self(), p, MACH_PORT_RIGHT_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_SEND, -2));
	/*
	 * Cleared, every slot that can be: xnu-3248 task_set_special_port
	 * never overwrites a valid seatbelt or access port (KERN_NO_ACCESS),
	 * so the access slot keeps its right.
	 */
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, MACH_PORT_NULL));
	EXPECT_EQ(KERN_NO_ACCESS, task_set_special_port(mach_task_self(), TASK_ACCESS_PORT, MACH_PORT_NULL));
	ASSERT_EQ(KERN_SUCCESS,
		  task_set_special_port(mach_task_self(), TASK_DEBUG_CONTROL_PORT, MACH_PORT_NULL));
	x = 0x1234;
	ASSERT_EQ(KERN_SUCCESS, task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &x));
	EXPECT_EQ(NULL_NAME, x);
	EXPECT_EQ(1U, STATUS_FIELD_IN(mach_task_self(), p, mps_srights));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_in(mach_task_self(), p));
	/* MACH_PORT_DEAD is stored as a dead right and read back dead. */
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, MACH_PORT_DEAD));
	ASSERT_EQ(KERN_SUCCESS, task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &x));
	EXPECT_EQ(MACH_PORT_DEAD, x);
}

TEST(task_special_port_unsupported_ids_invalid_argument)
{
	/* xnu-3248 task_get/set_special_port: 1, 2, 4, 7, 9 and 10 (and 3 to
	 * get); 5, 6 and 8 came later or went. */
	static const int ids[] = { 0, -1, TASK_INSPECT_PORT, TASK_READ_PORT, 8,
				   TASK_RESOURCE_NOTIFY_PORT, 12, 1000, INT_MIN };
	mach_port_name_t p = new_port(), x;
	unsigned i;

	ASSERT_EQ(KERN_SUCCESS, make_send(p));
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		x = 0x1234;
		EXPECT_EQ(KERN_INVALID_ARGUMENT, task_get_special_port(mach_task_self(), ids[i], &x)) {
			TH_LOG("get id %d", ids[i]);
		}
		EXPECT_EQ(0x1234U, x);
		EXPECT_EQ(KERN_INVALID_ARGUMENT, task_set_special_port(mach_task_self(), ids[i], p)) {
			TH_LOG("set id %d", ids[i]);
		}
	}
	/* The name port can be got (a send right to it) but not set. */
	x = MACH_PORT_NULL;
	EXPECT_EQ(KERN_SUCCESS, task_get_special_port(mach_task_self(), TASK_NAME_PORT, &x));
	EXPECT_EQ(IKOT_TASK_NAME, kobject_of(mach_task_self(), x));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_set_special_port(mach_task_self(), TASK_NAME_PORT, p));
	/* None of the refused sets kept a right. */
	EXPECT_EQ(1U, refs_in(mach_task_self(), p, MACH_PORT_RIGHT_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), p));
	EXPECT_EQ(0U, STATUS_FIELD_IN(mach_task_self(), p, mps_srights));
}

TEST(task_set_special_port_not_a_send_right)
{
	mach_port_name_t p = new_port(), s = new_set(), x = MACH_PORT_NULL, dead = MACH_PORT_NULL;
	mach_port_name_t gone = stale_name();

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_DEAD_NAME, &dead));
	/* Nothing under the name, a receive right alone, a port set. */
	EXPECT_EQ(MACH_SEND_INVALID_RIGHT, task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, gone));
	EXPECT_EQ(MACH_SEND_INVALID_RIGHT,
		  task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, UNKNOWN_NAME));
	EXPECT_EQ(MACH_SEND_INVALID_RIGHT, task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, p));
	EXPECT_EQ(MACH_SEND_INVALID_RIGHT, task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, s));
	ASSERT_EQ(KERN_SUCCESS, task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &x));
	EXPECT_TRUE(x == MACH_PORT_NULL || x != p);
	/* A dead name is a (dead) port argument; its uref stays with us. */
	EXPECT_EQ(KERN_SUCCESS, task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, dead));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_in(mach_task_self(), dead));
	EXPECT_EQ(1U, refs_in(mach_task_self(), dead, MACH_PORT_RIGHT_DEAD_NAME));
	ASSERT_EQ(KERN_SUCCESS, task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &x));
	EXPECT_EQ(MACH_PORT_DEAD, x);
	/* The task to set on must be a task. */
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_set_special_port(MACH_PORT_NULL, TASK_BOOTSTRAP_PORT,
								 MACH_PORT_NULL));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_get_special_port(UNKNOWN_NAME, TASK_BOOTSTRAP_PORT, &x));
	/* task.defs routines convert the port to a task: a kernel object that
	 * is no task is TASK_NULL, KERN_INVALID_ARGUMENT (task_get_special_port,
	 * xnu-3248). */
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_get_special_port(mach_host_self(), TASK_BOOTSTRAP_PORT,
							       &x));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_set_special_port(mach_host_self(), TASK_BOOTSTRAP_PORT,
							       MACH_PORT_NULL));
}

static void child_uses_parent_task(int arg, int rd, int wr)
{
	mach_port_name_t n = MACH_PORT_NULL, b = MACH_PORT_NULL;

	(void)arg;
	(void)rd;
	/* The bootstrap port is a send right to the parent's task port. */
	CHILD_TRUE(MACH_PORT_VALID(bootstrap_port));
	CHILD_EQ(MACH_PORT_TYPE_SEND, type_in(mach_task_self(), bootstrap_port));
	CHILD_EQ(IKOT_TASK, kobject_of(mach_task_self(), bootstrap_port));
	CHILD_TRUE(bootstrap_port != mach_task_self());
	CHILD_EQ(KERN_SUCCESS, task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &b));
	CHILD_EQ(bootstrap_port, b);
	/* A receive right allocated in the parent's space. */
	CHILD_EQ(KERN_SUCCESS, mach_port_allocate(bootstrap_port, MACH_PORT_RIGHT_RECEIVE, &n));
	CHILD_EQ(KERN_SUCCESS, mach_port_set_context(bootstrap_port, n, 0xc0ffee));
	CHILD_PUT(wr, n);
}

TEST(child_inherits_bootstrap_port)
{
	mach_port_context_t ctx = 0;
	struct kid k;
	uint32_t n = 0;

	/* The parent's bootstrap port becomes its own task port. */
	ASSERT_TRUE(spawn(&k, SPAWN_GIVE_TASK, child_uses_parent_task, 0));
	ASSERT_TRUE(get(k.rd, &n));
	EXPECT_CHILD_OK(reap(&k));
	/* The child allocated n in our space. */
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_in(mach_task_self(), n));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_context(mach_task_self(), n, &ctx));
	EXPECT_EQ(0xc0ffeeULL, (unsigned long long)ctx);
	/* And the child's task port, given to us, is dead now. */
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_in(mach_task_self(), CHILD_TASK_NAME));
}

static void child_holds_bootstrap(int arg, int rd, int wr)
{
	(void)arg;
	CHILD_TRUE(MACH_PORT_VALID(bootstrap_port));
	CHILD_EQ(MACH_PORT_TYPE_SEND, type_in(mach_task_self(), bootstrap_port));
	CHILD_EQ(IKOT_NONE, kobject_of(mach_task_self(), bootstrap_port));
	CHILD_EQ(1, refs_in(mach_task_self(), bootstrap_port, MACH_PORT_RIGHT_SEND));
	CHILD_PUT(wr, 1);
	CHILD_GET(rd);
}

TEST(child_bootstrap_is_parents_port)
{
	mach_port_name_t p = new_port();
	struct kid k;
	uint32_t v;

	ASSERT_EQ(KERN_SUCCESS, make_send(p));
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, p));
	ASSERT_TRUE(spawn(&k, 0, child_holds_bootstrap, 0));
	ASSERT_TRUE(get(k.rd, &v));
	/* Drop every send right of ours: only the child's remain. */
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, MACH_PORT_NULL));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), p));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_in(mach_task_self(), p));
	EXPECT_EQ(1U, STATUS_FIELD_IN(mach_task_self(), p, mps_srights));
	ASSERT_TRUE(put(k.wr, 1));
	EXPECT_CHILD_OK(reap(&k));
	/* The child's task died: its rights to p went with it. */
	EXPECT_EQ(0U, STATUS_FIELD_IN(mach_task_self(), p, mps_srights));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_in(mach_task_self(), p));
}

static void child_has_plain_host(int arg, int rd, int wr)
{
	mach_port_name_t h = mach_host_self(), x = 0x1234;

	(void)arg;
	(void)rd;
	(void)wr;
	/* Root, but the inherited host port is the plain one. */
	CHILD_EQ(IKOT_HOST, kobject_of(mach_task_self(), h));
	CHILD_EQ(KERN_INVALID_ARGUMENT, host_get_special_port(h, HOST_LOCAL_NODE, HOST_PORT, &x));
}

TEST(child_inherits_host_port)
{
	mach_port_name_t h = mach_host_self(), hp = MACH_PORT_NULL;
	struct kid k;

	if (geteuid() != 0)
		SKIP(return, "needs root");
	ASSERT_EQ(KERN_SUCCESS, host_get_special_port(h, HOST_LOCAL_NODE, HOST_PORT, &hp));
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(mach_task_self(), TASK_HOST_PORT, hp));
	/* mach_host_self() is the task's host special port. */
	EXPECT_EQ(hp, mach_host_self());
	EXPECT_EQ(IKOT_HOST, kobject_of(mach_task_self(), mach_host_self()));
	ASSERT_TRUE(spawn(&k, 0, child_has_plain_host, 0));
	EXPECT_CHILD_OK(reap(&k));
}

/* ---------------------------------------------------------------------- */
/* Calls through another task's task port. */

enum {
	CMD_CHECK_RECEIVE = 1, CMD_CHECK_GONE, CMD_CHECK_SEND, CMD_CHECK_BOOTSTRAP, CMD_DEALLOC,
	CMD_EXIT
};

/* Child: checks names in its own space as the parent asks. */
static void child_checks_own_space(int arg, int rd, int wr)
{
	for (;;) {
		uint32_t cmd = CHILD_GET(rd), n = CHILD_GET(rd);

	(void)arg;
		switch (cmd) {
		case CMD_CHECK_RECEIVE:
			CHILD_EQ(MACH_PORT_TYPE_RECEIVE, type_in(mach_task_self(), n));
			break;
		case CMD_CHECK_GONE:
			CHILD_EQ(0xdead0000U + KERN_INVALID_NAME, type_in(mach_task_self(), n));
			break;
		case CMD_CHECK_SEND:
			CHILD_EQ(MACH_PORT_TYPE_SEND, type_in(mach_task_self(), n));
			CHILD_EQ(2, refs_in(mach_task_self(), n, MACH_PORT_RIGHT_SEND));
			CHILD_EQ(IKOT_NONE, kobject_of(mach_task_self(), n));
			break;
		case CMD_CHECK_BOOTSTRAP: {
			mach_port_name_t b = MACH_PORT_NULL;

			/* Set by the parent: a right to the port we hold under n. */
			CHILD_EQ(KERN_SUCCESS, task_get_special_port(mach_task_self(),
								     TASK_BOOTSTRAP_PORT, &b));
			CHILD_EQ(n, b);
			CHILD_EQ(3, refs_in(mach_task_self(), n, MACH_PORT_RIGHT_SEND));
			CHILD_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), n));
			break;
		}
		case CMD_DEALLOC:
			CHILD_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), n,
								  MACH_PORT_RIGHT_SEND, -2));
			break;
		case CMD_EXIT:
			_exit(0);
		}
		CHILD_PUT(wr, cmd);
	}
}

static bool ask(struct kid *k, uint32_t cmd, uint32_t n)
{
	uint32_t ack = 0;

	return put(k->wr, cmd) && put(k->wr, n) && get(k->rd, &ack) && ack == cmd;
}

TEST(parent_operates_in_child_space)
{
	mach_port_name_t t = CHILD_TASK_NAME, n = MACH_PORT_NULL, mine = new_port(), got;
	mach_port_name_t s = MACH_PORT_NULL, m[4];
	mach_msg_type_name_t gt;
	mach_port_context_t ctx = 0;
	struct kid k;

	ASSERT_TRUE(spawn(&k, SPAWN_GIVE_TASK, child_checks_own_space, 0));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_in(mach_task_self(), t));
	EXPECT_EQ(IKOT_TASK, kobject_of(mach_task_self(), t));
	EXPECT_EQ(1U, refs_in(mach_task_self(), t, MACH_PORT_RIGHT_SEND));
	/* The child's special ports, copied out into our space: its task
	 * port lands under the name we have for it, its bootstrap port (our
	 * task port) under our own task port's name. */
	ASSERT_EQ(KERN_SUCCESS, task_get_special_port(t, TASK_KERNEL_PORT, &got));
	EXPECT_EQ(t, got);
	EXPECT_EQ(2U, refs_in(mach_task_self(), t, MACH_PORT_RIGHT_SEND));
	ASSERT_EQ(KERN_SUCCESS, task_get_special_port(t, TASK_BOOTSTRAP_PORT, &got));
	EXPECT_EQ(mach_task_self(), got);
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), t));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), mach_task_self()));
	/* Allocate in the child's space: the child sees it. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(t, MACH_PORT_RIGHT_RECEIVE, &n));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_in(t, n));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, listed_type(t, n));
	EXPECT_TRUE(ask(&k, CMD_CHECK_RECEIVE, n));
	ASSERT_EQ(KERN_SUCCESS, mach_port_set_context(t, n, 0xabcdef));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_context(t, n, &ctx));
	EXPECT_EQ(0xabcdefULL, (unsigned long long)ctx);
	/* Port sets there too. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(t, MACH_PORT_RIGHT_PORT_SET, &s));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(t, n, s));
	ASSERT_EQ(1, members_of(t, s, m, 4, NULL));
	EXPECT_EQ(n, m[0]);
	EXPECT_EQ(1U, STATUS_FIELD_IN(t, n, mps_pset));
	/* A send right to the child's port, for us. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(t, n, MACH_MSG_TYPE_MAKE_SEND, &got, &gt));
	EXPECT_EQ((mach_msg_type_name_t)MACH_MSG_TYPE_PORT_SEND, gt);
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_in(mach_task_self(), got));
	EXPECT_EQ(1U, STATUS_FIELD_IN(t, n, mps_srights));
	EXPECT_EQ(1U, STATUS_FIELD_IN(t, n, mps_mscount));
	/* Destroy it there: gone for the child, our send right is dead. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(t, n));
	EXPECT_TRUE(ask(&k, CMD_CHECK_GONE, n));
	EXPECT_EQ(0xdead0000U + KERN_INVALID_NAME, type_in(t, n));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_in(mach_task_self(), got));
	EXPECT_EQ(0, members_of(t, s, m, 4, NULL));
	/* Insert a send right to our port into the child's space. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(t, NAME(0x150, 3), mine, MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(t, NAME(0x150, 3), mine, MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(1U, STATUS_FIELD_IN(mach_task_self(), mine, mps_srights));
	EXPECT_EQ(2U, STATUS_FIELD_IN(mach_task_self(), mine, mps_mscount));
	EXPECT_TRUE(ask(&k, CMD_CHECK_SEND, NAME(0x150, 3)));
	/* Set the child's bootstrap port to our port, from here. */
	ASSERT_EQ(KERN_SUCCESS, make_send(mine));
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(t, TASK_BOOTSTRAP_PORT, mine));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), mine));
	ASSERT_EQ(KERN_SUCCESS, task_get_special_port(t, TASK_BOOTSTRAP_PORT, &got));
	EXPECT_EQ(mine, got);
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), mine));
	EXPECT_TRUE(ask(&k, CMD_CHECK_BOOTSTRAP, NAME(0x150, 3)));
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(t, TASK_BOOTSTRAP_PORT, MACH_PORT_NULL));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_in(mach_task_self(), mine));
	EXPECT_EQ(3U, STATUS_FIELD_IN(mach_task_self(), mine, mps_mscount));
	/* The same port under another name there. */
	EXPECT_EQ(KERN_RIGHT_EXISTS,
		  mach_port_insert_right(t, NAME(0x151, 3), mine, MACH_MSG_TYPE_MAKE_SEND));
	/* The child drops it: no send rights left. */
	EXPECT_TRUE(ask(&k, CMD_DEALLOC, NAME(0x150, 3)));
	EXPECT_EQ(0U, STATUS_FIELD_IN(mach_task_self(), mine, mps_srights));
	EXPECT_EQ(0xdead0000U + KERN_INVALID_NAME, type_in(t, NAME(0x150, 3)));
	/* Again, dropped by us through the task port this time. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(t, NAME(0x150, 3), mine, MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(1U, STATUS_FIELD_IN(mach_task_self(), mine, mps_srights));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(t, NAME(0x150, 3)));
	EXPECT_EQ(0U, STATUS_FIELD_IN(mach_task_self(), mine, mps_srights));
	EXPECT_TRUE(ask(&k, CMD_CHECK_GONE, NAME(0x150, 3)));
	/* Moving a receive right out of the child's space into ours. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(t, MACH_PORT_RIGHT_RECEIVE, &n));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(t, n, s));
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(t, n, MACH_MSG_TYPE_MOVE_RECEIVE, &got, &gt));
	EXPECT_EQ((mach_msg_type_name_t)MACH_MSG_TYPE_PORT_RECEIVE, gt);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_in(mach_task_self(), got));
	EXPECT_EQ(0U, STATUS_FIELD_IN(mach_task_self(), got, mps_pset));
	EXPECT_EQ(0, members_of(t, s, m, 4, NULL));
	EXPECT_TRUE(ask(&k, CMD_CHECK_GONE, n));
	put(k.wr, CMD_EXIT);
	put(k.wr, 0);
	EXPECT_CHILD_OK(reap(&k));
	/* The moved port is ours: it survives the child. */
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_in(mach_task_self(), got));
}

/* Child: works in the parent's space through bootstrap_port. */
static void child_operates_in_parent(int arg, int rd, int wr)
{
	mach_port_name_t p = MACH_PORT_NULL, s = MACH_PORT_NULL, mine = new_port(), got;
	mach_msg_type_name_t gt;
	uint32_t target;

	(void)arg;
	CHILD_EQ(KERN_SUCCESS, mach_port_allocate(bootstrap_port, MACH_PORT_RIGHT_RECEIVE, &p));
	CHILD_EQ(KERN_SUCCESS, mach_port_allocate(bootstrap_port, MACH_PORT_RIGHT_PORT_SET, &s));
	CHILD_EQ(KERN_SUCCESS, mach_port_insert_member(bootstrap_port, p, s));
	/* A send right to our own port under a name of our choice there. */
	CHILD_EQ(KERN_SUCCESS, mach_port_insert_right(bootstrap_port, CHILD_NAME(0), mine,
						      MACH_MSG_TYPE_MAKE_SEND));
	CHILD_EQ(1, STATUS_FIELD_IN(mach_task_self(), mine, mps_srights));
	CHILD_PUT(wr, p);
	CHILD_PUT(wr, s);
	/* The parent's own port: destroy it from here. */
	target = CHILD_GET(rd);
	CHILD_EQ(MACH_PORT_TYPE_RECEIVE, type_in(bootstrap_port, target));
	CHILD_EQ(KERN_SUCCESS, mach_port_extract_right(bootstrap_port, target, MACH_MSG_TYPE_MAKE_SEND,
						       &got, &gt));
	CHILD_EQ(MACH_PORT_TYPE_SEND, type_in(mach_task_self(), got));
	CHILD_EQ(KERN_SUCCESS, mach_port_destroy(bootstrap_port, target));
	CHILD_EQ(0xdead0000U + KERN_INVALID_NAME, type_in(bootstrap_port, target));
	CHILD_EQ(MACH_PORT_TYPE_DEAD_NAME, type_in(mach_task_self(), got));
	CHILD_PUT(wr, 2);
	CHILD_GET(rd);
}

TEST(child_operates_in_parent_space)
{
	mach_port_name_t m[4], own = new_port();
	uint32_t p, s, v;
	struct kid k;

	ASSERT_TRUE(spawn(&k, SPAWN_GIVE_TASK, child_operates_in_parent, 0));
	ASSERT_TRUE(get(k.rd, &p));
	ASSERT_TRUE(get(k.rd, &s));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_in(mach_task_self(), p));
	EXPECT_EQ(MACH_PORT_TYPE_PORT_SET, type_in(mach_task_self(), s));
	ASSERT_EQ(1, members_of(mach_task_self(), s, m, 4, NULL));
	EXPECT_EQ(p, m[0]);
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_in(mach_task_self(), CHILD_NAME(0)));
	EXPECT_EQ(1U, refs_in(mach_task_self(), CHILD_NAME(0), MACH_PORT_RIGHT_SEND));
	ASSERT_TRUE(put(k.wr, own));
	ASSERT_TRUE(get(k.rd, &v));
	EXPECT_EQ(2U, v);
	EXPECT_EQ(0xdead0000U + KERN_INVALID_NAME, type_in(mach_task_self(), own));
	ASSERT_TRUE(put(k.wr, 0));
	EXPECT_CHILD_OK(reap(&k));
	/* The child's port died with it: our send right is a dead name. */
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_in(mach_task_self(), CHILD_NAME(0)));
	EXPECT_EQ(1U, refs_in(mach_task_self(), CHILD_NAME(0), MACH_PORT_RIGHT_DEAD_NAME));
	/* Ours live on. */
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_in(mach_task_self(), p));
	EXPECT_EQ(1, members_of(mach_task_self(), s, m, 4, NULL));
}

/*
 * A send right to a kernel object that is no task (a task name port, the
 * host port): the mach_port_* routines find IS_NULL, KERN_INVALID_TASK;
 * the task routines TASK_NULL, KERN_INVALID_ARGUMENT. (A send right to a
 * port a task receives on is another matter: the call is a request to it,
 * see mig_call_to_a_user_port_is_a_request_to_its_receiver.)
 */
TEST(task_port_of_kernel_object_invalid_task)
{
	mach_port_name_t p = new_port(), s = new_set(), n = 0x1234, h = mach_host_self();
	mach_port_name_t np = MACH_PORT_NULL;
	mach_port_name_array_t names;
	mach_port_type_array_t types;
	mach_msg_type_number_t nc, tc;
	mach_port_status_t st;
	mach_port_type_t ty;

	ASSERT_EQ(KERN_SUCCESS, make_send(p));
	ASSERT_EQ(KERN_SUCCESS, task_get_special_port(mach_task_self(), TASK_NAME_PORT, &np));
	EXPECT_EQ(IKOT_TASK_NAME, kobject_of(mach_task_self(), np));
	/* Our own task's name port is no task port. */
	EXPECT_EQ(KERN_INVALID_TASK, mach_port_allocate(np, MACH_PORT_RIGHT_RECEIVE, &n));
	EXPECT_EQ(0x1234U, n);
	EXPECT_EQ(KERN_INVALID_TASK, mach_port_type(np, p, &ty));
	EXPECT_EQ(KERN_INVALID_TASK, mach_port_destroy(np, p));
	EXPECT_EQ(KERN_INVALID_TASK, mach_port_deallocate(np, p));
	EXPECT_EQ(KERN_INVALID_TASK, mach_port_mod_refs(np, p, MACH_PORT_RIGHT_SEND, 1));
	EXPECT_EQ(KERN_INVALID_TASK, mach_port_insert_member(np, p, s));
	EXPECT_EQ(KERN_INVALID_TASK, mach_port_names(np, &names, &nc, &types, &tc));
	EXPECT_EQ(KERN_INVALID_TASK, get_status(np, p, &st));
	EXPECT_EQ(KERN_INVALID_TASK, mach_port_insert_right(np, NAME(0x99, 3), p, MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_get_special_port(h, TASK_BOOTSTRAP_PORT, &n));
	/* The host port is a kernel port but no task. */
	EXPECT_EQ(KERN_INVALID_TASK, mach_port_allocate(h, MACH_PORT_RIGHT_RECEIVE, &n));
	EXPECT_EQ(KERN_INVALID_TASK, mach_port_names(h, &names, &nc, &types, &tc));
	/* Nothing happened to p. */
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_in(mach_task_self(), p));
	EXPECT_EQ(1U, refs_in(mach_task_self(), p, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(0U, STATUS_FIELD_IN(mach_task_self(), p, mps_pset));
	EXPECT_EQ(0xdead0000U + KERN_INVALID_NAME, type_in(mach_task_self(), NAME(0x99, 3)));
}

TEST(task_port_unknown_name_invalid_dest)
{
	mach_port_name_t p = new_port(), s = new_set(), dead = MACH_PORT_NULL, n = 0x1234;
	mach_port_name_t gone = stale_name();
	static const mach_port_name_t bad[] = { MACH_PORT_NULL, MACH_PORT_DEAD, UNKNOWN_NAME };
	mach_port_name_array_t names;
	mach_port_type_array_t types;
	mach_msg_type_number_t nc, tc;
	mach_port_status_t st;
	mach_port_name_t so = MACH_PORT_NULL;
	mach_msg_type_name_t gt;
	mach_port_type_t ty;
	unsigned i;

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_DEAD_NAME, &dead));
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(mach_task_self(), p,
							MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &gt));
	for (i = 0; i < 7; i++) {
		/* Not a name, no entry, a receive right only, a set, a dead
		 * name, a send-once right. */
		mach_port_name_t t = i < 3 ? bad[i] : i == 3 ? p : i == 4 ? s : i == 5 ? dead : so;

		EXPECT_EQ(MACH_SEND_INVALID_DEST, mach_port_allocate(t, MACH_PORT_RIGHT_RECEIVE, &n)) {
			TH_LOG("task name 0x%x", t);
		}
		EXPECT_EQ(MACH_SEND_INVALID_DEST, mach_port_type(t, p, &ty));
		EXPECT_EQ(MACH_SEND_INVALID_DEST, mach_port_destroy(t, p));
		EXPECT_EQ(MACH_SEND_INVALID_DEST, mach_port_deallocate(t, p));
		EXPECT_EQ(MACH_SEND_INVALID_DEST, mach_port_names(t, &names, &nc, &types, &tc));
		EXPECT_EQ(MACH_SEND_INVALID_DEST, get_status(t, p, &st));
		EXPECT_EQ(MACH_SEND_INVALID_DEST, mach_port_insert_member(t, p, s));
	}
	EXPECT_EQ(MACH_SEND_INVALID_DEST, mach_port_allocate(gone, MACH_PORT_RIGHT_RECEIVE, &n));
	EXPECT_EQ(0x1234U, n);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_in(mach_task_self(), p));
	EXPECT_EQ(0U, STATUS_FIELD_IN(mach_task_self(), p, mps_pset));
	EXPECT_EQ(1U, refs_in(mach_task_self(), dead, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_in(mach_task_self(), so));
	EXPECT_EQ(1U, STATUS_FIELD_IN(mach_task_self(), p, mps_sorights));
}

/* ---------------------------------------------------------------------- */
/*
 * Every mach_port_* call of the library, with the code each of its paths
 * gives on macOS (xnu-3248 libsyscall/mach/mach_port.c).
 *
 * allocate, destroy, deallocate, mod_refs, insert_right, insert_member,
 * extract_member, move_member, construct, destruct, guard and unguard run
 * the _kernelrpc_*_trap first; the trap works on the caller's own task only
 * (port_name_to_task(target) != current_task() -> MACH_SEND_INVALID_DEST),
 * and only then does libsyscall send the _kernelrpc_* MIG request. Every
 * other call is the MIG request alone. So, for every call:
 *  - a target that is no send right (NULL, DEAD, no such name, a receive
 *    right, a port set, a dead name, a send-once right) fails the send of
 *    the request: MACH_SEND_INVALID_DEST, whatever the other arguments are
 *    (libsyscall's own checks come first: the user stub's array bound,
 *    MIG_ARRAY_TOO_LARGE);
 *  - a send right to a kernel object that is no task (the host port, a task
 *    name port) reaches the routine with IS_NULL: KERN_INVALID_TASK, after
 *    the checks a routine makes before `if (space == IS_NULL)` and after
 *    the request's port arguments were copied in (MACH_SEND_INVALID_RIGHT);
 *  - on a task, the routine's code; for insert_right the trap's copyin
 *    codes on our own task (KERN_INVALID_NAME / KERN_INVALID_RIGHT), the
 *    send's on another (MACH_SEND_INVALID_RIGHT).
 * A failing call leaves our space as it was.
 */

/* What the calls work with, in our space. */
struct call_env {
	mach_port_name_t r;	/* a receive right */
	mach_port_name_t sr;	/* a receive right with a send right */
	mach_port_name_t s;	/* a port set */
};

/* One call on `t`, with valid arguments, or with the row's bad ones. */
typedef kern_return_t (*lib_call_fn)(mach_port_t t, const struct call_env *e, bool bad);

#define FRESH(i) NAME(0xc00 + (i), 3)

static kern_return_t call_allocate(mach_port_t t, const struct call_env *e, bool bad)
{
	mach_port_name_t n = MACH_PORT_NULL;

	(void)e;
	return mach_port_allocate(t, bad ? 99 : MACH_PORT_RIGHT_RECEIVE, &n);
}

static kern_return_t call_allocate_name(mach_port_t t, const struct call_env *e, bool bad)
{
	(void)e;
	return mach_port_allocate_name(t, MACH_PORT_RIGHT_RECEIVE, bad ? MACH_PORT_NULL : FRESH(0));
}

static kern_return_t call_allocate_qos(mach_port_t t, const struct call_env *e, bool bad)
{
	mach_port_qos_t qos = { .name = bad };
	mach_port_name_t n = FRESH(1);

	(void)e;
	return mach_port_allocate_qos(t, MACH_PORT_RIGHT_RECEIVE, &qos, &n);
}

/* A proto port (a send right): KERN_INVALID_VALUE, after IS_NULL. */
static kern_return_t call_allocate_full_proto(mach_port_t t, const struct call_env *e, bool bad)
{
	mach_port_qos_t qos = { 0 };
	mach_port_name_t n = MACH_PORT_NULL;

	return mach_port_allocate_full(t, MACH_PORT_RIGHT_RECEIVE, bad ? e->sr : MACH_PORT_NULL,
				       &qos, &n);
}

/* A proto that is no send right: the request's send fails. */
static kern_return_t call_allocate_full_proto_no_send(mach_port_t t, const struct call_env *e,
						      bool bad)
{
	mach_port_qos_t qos = { 0 };
	mach_port_name_t n = MACH_PORT_NULL;

	return mach_port_allocate_full(t, MACH_PORT_RIGHT_RECEIVE, bad ? e->r : MACH_PORT_NULL,
				       &qos, &n);
}

/* A name asked for that is no name: KERN_INVALID_VALUE, after IS_NULL. */
static kern_return_t call_allocate_full_bad_name(mach_port_t t, const struct call_env *e, bool bad)
{
	mach_port_qos_t qos = { .name = TRUE };
	mach_port_name_t n = bad ? MACH_PORT_NULL : FRESH(2);

	(void)e;
	return mach_port_allocate_full(t, MACH_PORT_RIGHT_RECEIVE, MACH_PORT_NULL, &qos, &n);
}

static kern_return_t call_construct(mach_port_t t, const struct call_env *e, bool bad)
{
	mach_port_options_t o = { .flags = MPO_QLIMIT, .mpl = { .mpl_qlimit = bad ? 1025 : 1 } };
	mach_port_name_t n = MACH_PORT_NULL;

	(void)e;
	return mach_port_construct(t, &o, 0, &n);
}

static kern_return_t call_destruct(mach_port_t t, const struct call_env *e, bool bad)
{
	return mach_port_destruct(t, bad ? MACH_PORT_NULL : e->r, 0, 0);
}

static kern_return_t call_destroy(mach_port_t t, const struct call_env *e, bool bad)
{
	return mach_port_destroy(t, bad ? UNKNOWN_NAME : e->r);
}

static kern_return_t call_deallocate(mach_port_t t, const struct call_env *e, bool bad)
{
	return mach_port_deallocate(t, bad ? UNKNOWN_NAME : e->sr);
}

static kern_return_t call_get_refs(mach_port_t t, const struct call_env *e, bool bad)
{
	mach_port_urefs_t refs = 0;

	return mach_port_get_refs(t, e->sr, bad ? 99 : MACH_PORT_RIGHT_SEND, &refs);
}

static kern_return_t call_mod_refs(mach_port_t t, const struct call_env *e, bool bad)
{
	return mach_port_mod_refs(t, e->sr, bad ? 99 : MACH_PORT_RIGHT_SEND, 0);
}

static kern_return_t call_type(mach_port_t t, const struct call_env *e, bool bad)
{
	mach_port_type_t ty = 0;

	return mach_port_type(t, bad ? MACH_PORT_NULL : e->r, &ty);
}

/* xnu-3248 mach_port_rename(): KERN_NOT_SUPPORTED, always. */
static kern_return_t call_rename(mach_port_t t, const struct call_env *e, bool bad)
{
	(void)bad;
	return mach_port_rename(t, e->r, FRESH(3));
}

/* A right that is no name here: the trap's ipc_object_copyin. */
static kern_return_t call_insert_right(mach_port_t t, const struct call_env *e, bool bad)
{
	return mach_port_insert_right(t, FRESH(4), bad ? UNKNOWN_NAME : e->sr,
				      MACH_MSG_TYPE_COPY_SEND);
}

/* A disposition that is none: ipc_right_copyin's default case. */
static kern_return_t call_insert_right_disposition(mach_port_t t, const struct call_env *e,
						   bool bad)
{
	return mach_port_insert_right(t, FRESH(5), e->sr, bad ? 22 : MACH_MSG_TYPE_COPY_SEND);
}

static kern_return_t call_extract_right(mach_port_t t, const struct call_env *e, bool bad)
{
	mach_port_t poly = MACH_PORT_NULL;
	mach_msg_type_name_t got = 0;

	return mach_port_extract_right(t, e->sr, bad ? 0 : MACH_MSG_TYPE_COPY_SEND, &poly, &got);
}

static kern_return_t call_insert_member(mach_port_t t, const struct call_env *e, bool bad)
{
	return mach_port_insert_member(t, bad ? MACH_PORT_NULL : e->r, e->s);
}

static kern_return_t call_extract_member(mach_port_t t, const struct call_env *e, bool bad)
{
	return mach_port_extract_member(t, bad ? MACH_PORT_NULL : e->r, e->s);
}

static kern_return_t call_move_member(mach_port_t t, const struct call_env *e, bool bad)
{
	return mach_port_move_member(t, bad ? MACH_PORT_NULL : e->r, e->s);
}

static kern_return_t call_set_mscount(mach_port_t t, const struct call_env *e, bool bad)
{
	return mach_port_set_mscount(t, bad ? MACH_PORT_NULL : e->r, 0);
}

static kern_return_t call_set_seqno(mach_port_t t, const struct call_env *e, bool bad)
{
	return mach_port_set_seqno(t, bad ? MACH_PORT_NULL : e->r, 0);
}

static kern_return_t call_get_context(mach_port_t t, const struct call_env *e, bool bad)
{
	mach_port_context_t c = 0;

	return mach_port_get_context(t, bad ? MACH_PORT_NULL : e->r, &c);
}

static kern_return_t call_set_context(mach_port_t t, const struct call_env *e, bool bad)
{
	return mach_port_set_context(t, bad ? MACH_PORT_NULL : e->r, 0);
}

static kern_return_t call_guard(mach_port_t t, const struct call_env *e, bool bad)
{
	return mach_port_guard(t, bad ? MACH_PORT_NULL : e->r, 0x99, FALSE);
}

static kern_return_t call_unguard(mach_port_t t, const struct call_env *e, bool bad)
{
	return mach_port_unguard(t, bad ? MACH_PORT_NULL : e->r, 0x99);
}

static kern_return_t call_kernel_object(mach_port_t t, const struct call_env *e, bool bad)
{
	unsigned type = 0, addr = 0;

	return mach_port_kernel_object(t, bad ? UNKNOWN_NAME : e->sr, &type, &addr);
}

static kern_return_t call_get_attributes(mach_port_t t, const struct call_env *e, bool bad)
{
	integer_t info[MACH_PORT_INFO_EXT_COUNT] = { 0 };
	mach_msg_type_number_t cnt = MACH_PORT_LIMITS_INFO_COUNT;

	return mach_port_get_attributes(t, e->r, bad ? 99 : MACH_PORT_LIMITS_INFO, info, &cnt);
}

static kern_return_t call_set_attributes(mach_port_t t, const struct call_env *e, bool bad)
{
	integer_t info[32] = { 5 };

	return mach_port_set_attributes(t, e->r, bad ? 99 : MACH_PORT_LIMITS_INFO, info,
					MACH_PORT_LIMITS_INFO_COUNT);
}

/*
 * mach_port_info_t is array[*:17]: the user stub refuses a longer one
 * before it sends anything (MIG_ARRAY_TOO_LARGE).
 */
static kern_return_t call_set_attributes_too_long(mach_port_t t, const struct call_env *e,
						  bool bad)
{
	integer_t info[32] = { 5 };

	return mach_port_set_attributes(t, e->r, MACH_PORT_LIMITS_INFO, info,
					bad ? 18 : MACH_PORT_LIMITS_INFO_COUNT);
}

static kern_return_t call_names(mach_port_t t, const struct call_env *e, bool bad)
{
	mach_port_name_array_t n = NULL;
	mach_port_type_array_t ty = NULL;
	mach_msg_type_number_t nc = 0, tc = 0;

	(void)e;
	(void)bad;
	return mach_port_names(t, &n, &nc, &ty, &tc);
}

static kern_return_t call_get_set_status(mach_port_t t, const struct call_env *e, bool bad)
{
	mach_port_name_array_t m = NULL;
	mach_msg_type_number_t c = 0;

	return mach_port_get_set_status(t, bad ? UNKNOWN_NAME : e->s, &m, &c);
}

static kern_return_t call_space_info(mach_port_t t, const struct call_env *e, bool bad)
{
	ipc_info_space_t info;
	ipc_info_name_array_t table = NULL;
	ipc_info_tree_name_array_t tree = NULL;
	mach_msg_type_number_t tc = 0, trc = 0;

	(void)e;
	(void)bad;
	return mach_port_space_info(t, &info, &table, &tc, &tree, &trc);
}

static kern_return_t call_request_notification(mach_port_t t, const struct call_env *e, bool bad)
{
	mach_port_t prev = MACH_PORT_NULL;

	return mach_port_request_notification(t, e->sr, bad ? 99 : MACH_NOTIFY_DEAD_NAME, 0,
					      MACH_PORT_NULL, MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev);
}

/* A notify name that is no right: the request's send fails. */
static kern_return_t call_request_notification_notify(mach_port_t t, const struct call_env *e,
						      bool bad)
{
	mach_port_t prev = MACH_PORT_NULL;

	return mach_port_request_notification(t, e->sr, MACH_NOTIFY_DEAD_NAME, 0,
					      bad ? UNKNOWN_NAME : MACH_PORT_NULL,
					      MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev);
}

FIXTURE(lib_call) {
	struct call_env e;
	mach_port_name_t dead, so, name_port;
	struct kid k;
};

/* 0 in a code field: the default the comment names. */
FIXTURE_VARIANT(lib_call) {
	lib_call_fn call;
	/* libsyscall tries the trap first (the paths can differ). */
	bool trap;
	/* Whether the call has bad arguments (own_bad), and their code on our
	 * own task. */
	bool has_bad;
	kern_return_t own_bad;
	/* Bad arguments on another task (0: own_bad). */
	kern_return_t other_bad;
	/* Valid / bad arguments, the target a send right to a kernel object
	 * that is no task (0: KERN_INVALID_TASK). */
	kern_return_t kobj;
	kern_return_t kobj_bad;
	/* Bad arguments, the target no send right (0: MACH_SEND_INVALID_DEST). */
	kern_return_t no_dest_bad;
};

static void child_waits_for_parent(int arg, int rd, int wr)
{
	(void)arg;
	(void)wr;
	CHILD_GET(rd);
}

FIXTURE_SETUP(lib_call)
{
	self->e.r = new_port();
	self->e.sr = new_port();
	self->e.s = new_set();
	ASSERT_NE(NULL_NAME, self->e.r);
	ASSERT_NE(NULL_NAME, self->e.sr);
	ASSERT_NE(NULL_NAME, self->e.s);
	ASSERT_EQ(KERN_SUCCESS, make_send(self->e.sr));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_DEAD_NAME,
						   &self->dead));
	self->so = new_send_once(_metadata, self->e.r);
	ASSERT_EQ(KERN_SUCCESS, task_get_special_port(mach_task_self(), TASK_NAME_PORT,
						      &self->name_port));
	ASSERT_TRUE(spawn(&self->k, SPAWN_GIVE_TASK, child_waits_for_parent, 0));
}

FIXTURE_TEARDOWN(lib_call)
{
	EXPECT_TRUE(end_kid(&self->k));
}

#define LIB_CALL(fn, ...) FIXTURE_VARIANT_ADD(lib_call, fn) { .call = call_##fn, __VA_ARGS__ }

LIB_CALL(allocate, .trap = true, .has_bad = true, .own_bad = KERN_INVALID_VALUE);
/* xnu-3248 mach_port_allocate_name(): !MACH_PORT_VALID(name) before IS_NULL. */
LIB_CALL(allocate_name, .has_bad = true, .own_bad = KERN_INVALID_VALUE,
	 .kobj_bad = KERN_INVALID_VALUE);
/* xnu-3248 mach_port_allocate_qos(): qosp->name before IS_NULL. */
LIB_CALL(allocate_qos, .has_bad = true, .own_bad = KERN_INVALID_ARGUMENT,
	 .kobj_bad = KERN_INVALID_ARGUMENT);
/* xnu-3248 mach_port_allocate_full(): IS_NULL, proto, the name, prealloc. */
LIB_CALL(allocate_full_proto, .has_bad = true, .own_bad = KERN_INVALID_VALUE);
LIB_CALL(allocate_full_proto_no_send, .has_bad = true, .own_bad = MACH_SEND_INVALID_RIGHT,
	 .kobj_bad = MACH_SEND_INVALID_RIGHT);
LIB_CALL(allocate_full_bad_name, .has_bad = true, .own_bad = KERN_INVALID_VALUE);
/* xnu-3248 mach_port_construct(): the queue limit, after IS_NULL. */
LIB_CALL(construct, .trap = true, .has_bad = true, .own_bad = KERN_INVALID_VALUE);
LIB_CALL(destruct, .trap = true, .has_bad = true, .own_bad = KERN_INVALID_NAME);
LIB_CALL(destroy, .trap = true, .has_bad = true, .own_bad = KERN_INVALID_NAME);
LIB_CALL(deallocate, .trap = true, .has_bad = true, .own_bad = KERN_INVALID_NAME);
LIB_CALL(get_refs, .has_bad = true, .own_bad = KERN_INVALID_VALUE);
LIB_CALL(mod_refs, .trap = true, .has_bad = true, .own_bad = KERN_INVALID_VALUE);
LIB_CALL(type, .has_bad = true, .own_bad = KERN_INVALID_NAME);
LIB_CALL(rename, .has_bad = true, .own_bad = KERN_NOT_SUPPORTED,
	 .kobj = KERN_NOT_SUPPORTED, .kobj_bad = KERN_NOT_SUPPORTED);
/* The trap copies the right in from our space with our space's codes; the
 * MIG request's send with its own. */
LIB_CALL(insert_right, .trap = true, .has_bad = true, .own_bad = KERN_INVALID_NAME,
	 .other_bad = MACH_SEND_INVALID_RIGHT, .kobj_bad = MACH_SEND_INVALID_RIGHT);
LIB_CALL(insert_right_disposition, .trap = true, .has_bad = true,
	 .own_bad = KERN_INVALID_RIGHT, .other_bad = MACH_SEND_INVALID_RIGHT,
	 .kobj_bad = MACH_SEND_INVALID_RIGHT);
LIB_CALL(extract_right, .has_bad = true, .own_bad = KERN_INVALID_VALUE);
LIB_CALL(insert_member, .trap = true, .has_bad = true, .own_bad = KERN_INVALID_RIGHT);
LIB_CALL(extract_member, .trap = true, .has_bad = true, .own_bad = KERN_INVALID_RIGHT);
LIB_CALL(move_member, .trap = true, .has_bad = true, .own_bad = KERN_INVALID_RIGHT);
LIB_CALL(set_mscount, .has_bad = true, .own_bad = KERN_INVALID_RIGHT);
LIB_CALL(set_seqno, .has_bad = true, .own_bad = KERN_INVALID_RIGHT);
LIB_CALL(get_context, .has_bad = true, .own_bad = KERN_INVALID_RIGHT);
LIB_CALL(set_context, .has_bad = true, .own_bad = KERN_INVALID_RIGHT);
LIB_CALL(guard, .trap = true, .has_bad = true, .own_bad = KERN_INVALID_NAME);
LIB_CALL(unguard, .trap = true, .has_bad = true, .own_bad = KERN_INVALID_NAME);
LIB_CALL(kernel_object, .has_bad = true, .own_bad = KERN_INVALID_NAME);
LIB_CALL(get_attributes, .has_bad = true, .own_bad = KERN_INVALID_ARGUMENT);
LIB_CALL(set_attributes, .has_bad = true, .own_bad = KERN_INVALID_ARGUMENT);
LIB_CALL(set_attributes_too_long, .has_bad = true, .own_bad = MIG_ARRAY_TOO_LARGE,
	 .kobj_bad = MIG_ARRAY_TOO_LARGE, .no_dest_bad = MIG_ARRAY_TOO_LARGE);
LIB_CALL(names);
LIB_CALL(get_set_status, .has_bad = true, .own_bad = KERN_INVALID_NAME);
LIB_CALL(space_info);
/* xnu-3248 mach_port_request_notification(): IS_NULL, a dead notify, the id. */
LIB_CALL(request_notification, .has_bad = true, .own_bad = KERN_INVALID_VALUE);
LIB_CALL(request_notification_notify, .has_bad = true, .own_bad = MACH_SEND_INVALID_RIGHT,
	 .kobj_bad = MACH_SEND_INVALID_RIGHT);

TEST_F(lib_call, codes_as_macos)
{
	const mach_port_name_t no_dest[] = {
		MACH_PORT_NULL, MACH_PORT_DEAD, UNKNOWN_NAME, self->e.r, self->e.s, self->dead,
		self->so,
	};
	const mach_port_name_t kobj[] = { mach_host_self(), self->name_port };
	const kern_return_t kobj_kr = variant->kobj ? variant->kobj : KERN_INVALID_TASK;
	const kern_return_t kobj_bad = variant->kobj_bad ? variant->kobj_bad : KERN_INVALID_TASK;
	const kern_return_t no_dest_bad =
		variant->no_dest_bad ? variant->no_dest_bad : MACH_SEND_INVALID_DEST;
	const kern_return_t other_bad = variant->other_bad ? variant->other_bad : variant->own_bad;
	unsigned i;

	for (i = 0; i < sizeof(no_dest) / sizeof(no_dest[0]); i++) {
		snprintf(fails_ctx, sizeof(fails_ctx), "target 0x%x (no send right)", no_dest[i]);
		EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_DEST,
				     variant->call(no_dest[i], &self->e, false));
		if (variant->has_bad)
			EXPECT_FAILS_CLEANLY(no_dest_bad, variant->call(no_dest[i], &self->e, true));
	}
	for (i = 0; i < sizeof(kobj) / sizeof(kobj[0]); i++) {
		snprintf(fails_ctx, sizeof(fails_ctx), "target 0x%x (a kernel object, no task)",
			 kobj[i]);
		EXPECT_FAILS_CLEANLY(kobj_kr, variant->call(kobj[i], &self->e, false));
		if (variant->has_bad)
			EXPECT_FAILS_CLEANLY(kobj_bad, variant->call(kobj[i], &self->e, true));
	}
	if (!variant->has_bad)
		return;
	snprintf(fails_ctx, sizeof(fails_ctx), "our own task (%s)",
		 variant->trap ? "the trap" : "MIG");
	EXPECT_FAILS_CLEANLY(variant->own_bad, variant->call(mach_task_self(), &self->e, true));
	snprintf(fails_ctx, sizeof(fails_ctx), "another task (MIG)");
	EXPECT_FAILS_CLEANLY(other_bad, variant->call(CHILD_TASK_NAME, &self->e, true));
}

/*
 * A send right to a port that a task receives on is no kernel object: the
 * call is a request message to that port, and its answer is what the
 * receiver replies (XNU: only kernel ports are served by
 * ipc_kobject_server; the MIG user stub waits for the reply). Here a
 * thread of ours plays the server: it replies to mach_port_deallocate's
 * request (the trap refuses the target, so _kernelrpc_mach_port_deallocate,
 * id 3206) and to mach_port_get_refs's (3207) with an error code.
 */
struct fake_server {
	mach_port_name_t port;
	mach_msg_id_t want_id;
	kern_return_t answer;
	mach_msg_return_t mr;	/* of the receive */
	mach_msg_id_t got_id;
};

static void *fake_server_thread(void *arg)
{
	struct fake_server *f = arg;
	struct {
		mach_msg_header_t h;
		char body[1024];
	} req;
	mig_reply_error_t rep;

	memset(&req, 0, sizeof(req));
	f->mr = mach_msg(&req.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(req), f->port, 2000,
			 MACH_PORT_NULL);
	if (f->mr != MACH_MSG_SUCCESS)
		return NULL;
	f->got_id = req.h.msgh_id;
	memset(&rep, 0, sizeof(rep));
	rep.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(req.h.msgh_bits), 0);
	rep.Head.msgh_size = sizeof(rep);
	rep.Head.msgh_remote_port = req.h.msgh_remote_port;
	rep.Head.msgh_id = req.h.msgh_id + 100;
	rep.NDR = NDR_record;
	rep.RetCode = f->answer;
	mach_msg(&rep.Head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(rep), 0, MACH_PORT_NULL, 0,
		 MACH_PORT_NULL);
	return NULL;
}

static kern_return_t served_call(struct __test_metadata *_metadata, mach_port_name_t port,
				 mach_msg_id_t id, kern_return_t answer, bool get_refs)
{
	struct fake_server f = { .port = port, .want_id = id, .answer = answer, .mr = -1 };
	mach_port_urefs_t refs = 0;
	kern_return_t kr;
	pthread_t t;

	EXPECT_EQ(0, pthread_create(&t, NULL, fake_server_thread, &f));
	kr = get_refs ? mach_port_get_refs(port, UNKNOWN_NAME, MACH_PORT_RIGHT_SEND, &refs)
		      : mach_port_deallocate(port, UNKNOWN_NAME);
	EXPECT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(MACH_MSG_SUCCESS, f.mr) TH_LOG("no request reached the port");
	if (f.mr == MACH_MSG_SUCCESS)
		EXPECT_EQ(id, f.got_id);
	return kr;
}

TEST(mig_call_to_a_user_port_is_a_request_to_its_receiver)
{
	mach_port_name_t p = new_port();

	ASSERT_NE(NULL_NAME, p);
	ASSERT_EQ(KERN_SUCCESS, make_send(p));
	EXPECT_EQ(KERN_ALREADY_WAITING, served_call(_metadata, p, 3206, KERN_ALREADY_WAITING,
						    false));
	EXPECT_EQ(KERN_NO_ACCESS, served_call(_metadata, p, 3207, KERN_NO_ACCESS, true));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_in(mach_task_self(), p));
	EXPECT_EQ(1U, refs_in(mach_task_self(), p, MACH_PORT_RIGHT_SEND));
}

static void child_waits(int arg, int rd, int wr)
{
	(void)arg;
	(void)wr;
	CHILD_GET(rd);
}

TEST(dead_task_port_after_child_exit)
{
	mach_port_name_t t = CHILD_TASK_NAME, n = MACH_PORT_NULL, mine = new_port();
	mach_port_name_array_t names;
	mach_port_type_array_t types;
	mach_msg_type_number_t nc, tc;
	mach_port_type_t ty;
	struct kid k;

	ASSERT_TRUE(spawn(&k, SPAWN_GIVE_TASK, child_waits, 0));
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(t, MACH_PORT_RIGHT_RECEIVE, &n));
	/* One more uref on the task port name. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), t, MACH_PORT_RIGHT_SEND, 1));
	ASSERT_TRUE(put(k.wr, 0));
	EXPECT_CHILD_OK(reap(&k));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, listed_type(mach_task_self(), t));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_in(mach_task_self(), t));
	EXPECT_EQ(2U, refs_in(mach_task_self(), t, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, mach_port_allocate(t, MACH_PORT_RIGHT_RECEIVE, &n));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, mach_port_type(t, n, &ty));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, mach_port_names(t, &names, &nc, &types, &tc));
	EXPECT_EQ(MACH_SEND_INVALID_DEST,
		  mach_port_insert_right(t, NAME(0x150, 3), mine, MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_get_special_port(t, TASK_BOOTSTRAP_PORT, &n));
	/* Nothing was made of our port by the failed insert. */
	EXPECT_EQ(0U, STATUS_FIELD_IN(mach_task_self(), mine, mps_srights));
	EXPECT_EQ(0U, STATUS_FIELD_IN(mach_task_self(), mine, mps_mscount));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), t, MACH_PORT_RIGHT_DEAD_NAME, -2));
	EXPECT_EQ(0xdead0000U + KERN_INVALID_NAME, type_in(mach_task_self(), t));
}

/* ---------------------------------------------------------------------- */
/* A descriptor inherited by a forked child is refused. */

/* fork() without the fork handlers: the child keeps the parent's libmach state. */
static pid_t raw_fork(void)
{
	return (pid_t)syscall(SYS_clone, SIGCHLD, 0, NULL, NULL, 0);
}

TEST(inherited_fd_refused_eperm_space_unchanged)
{
	mach_port_name_t p = new_port(), self = mach_task_self();
	struct machipc_name_info info[8];
	int fd = machipc_fd(), before, status;
	pid_t kid;

	ASSERT_LE(0, fd);
	before = name_count(self);
	ASSERT_LT(0, before);
	kid = raw_fork();
	ASSERT_LE(0, kid);
	if (kid == 0) {
		struct machipc_port_op o = {
			.op = MACHIPC_OP_ALLOCATE, .task = self, .arg = MACH_PORT_RIGHT_RECEIVE,
			.kr = 0x5555,
		};
		struct machipc_port_list l = {
			.op = MACHIPC_LIST_NAMES, .task = self, .capacity = 8,
			.buf = (uint64_t)(uintptr_t)info, .kr = 0x5555,
		};
		struct machipc_port_attr a = {
			.task = self, .name = p, .flavor = MACH_PORT_RECEIVE_STATUS,
			.count = MACH_PORT_RECEIVE_STATUS_COUNT, .kr = 0x5555,
		};
		struct machipc_version v = { .abi_version = MACHIPC_ABI_VERSION };

		if (ioctl(fd, MACHIPC_IOC_PORT_OP, &o) != -1 || errno != EPERM)
			_exit(1);
		if (o.kr != 0x5555 || o.name != 0)
			_exit(2);
		o.op = MACHIPC_OP_DESTROY;
		o.name = p;
		if (ioctl(fd, MACHIPC_IOC_PORT_OP, &o) != -1 || errno != EPERM)
			_exit(3);
		o.op = MACHIPC_OP_TASK_SELF;
		if (ioctl(fd, MACHIPC_IOC_PORT_OP, &o) != -1 || errno != EPERM)
			_exit(4);
		if (ioctl(fd, MACHIPC_IOC_PORT_LIST, &l) != -1 || errno != EPERM)
			_exit(5);
		if (l.kr != 0x5555 || l.count != 0)
			_exit(6);
		if (ioctl(fd, MACHIPC_IOC_PORT_ATTR, &a) != -1 || errno != EPERM)
			_exit(7);
		if (a.kr != 0x5555)
			_exit(8);
		if (ioctl(fd, MACHIPC_IOC_VERSION, &v) != -1 || errno != EPERM)
			_exit(9);
		_exit(0);
	}
	ASSERT_EQ(kid, waitpid(kid, &status, 0));
	EXPECT_CHILD_OK(status);
	/* Our space is as it was. */
	EXPECT_EQ(before, name_count(self));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_in(self, p));
	EXPECT_EQ(self, task_self_trap());
}

/* ---------------------------------------------------------------------- */
/* The death of a space. */

enum death { DEATH_EXIT, DEATH__EXIT, DEATH_SIGKILL };

static mach_port_name_t death_parent_port;

static void child_gives_rights(int rd, int wr, enum death how)
{
	mach_port_name_t r[3], got, so;
	mach_msg_type_name_t gt;
	int i;
	char c;

	for (i = 0; i < 3; i++) {
		r[i] = new_port();
		CHILD_TRUE(MACH_PORT_VALID(r[i]));
		/* i + 1 urefs of a send right to r[i] in the parent's space. */
		CHILD_EQ(KERN_SUCCESS, mach_port_insert_right(bootstrap_port, CHILD_NAME(i), r[i],
							      MACH_MSG_TYPE_MAKE_SEND));
		if (i)
			CHILD_EQ(KERN_SUCCESS, mach_port_mod_refs(bootstrap_port, CHILD_NAME(i),
								  MACH_PORT_RIGHT_SEND, i));
	}
	/* A send right to r[0] in our space too, and a send right and a
	 * send-once right to the parent's port. */
	CHILD_EQ(KERN_SUCCESS, make_send(r[0]));
	CHILD_EQ(KERN_SUCCESS, mach_port_extract_right(bootstrap_port, death_parent_port,
						       MACH_MSG_TYPE_MAKE_SEND, &got, &gt));
	CHILD_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), got, MACH_PORT_RIGHT_SEND, 4));
	CHILD_EQ(KERN_SUCCESS, mach_port_extract_right(bootstrap_port, death_parent_port,
						       MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &gt));
	CHILD_EQ(MACH_PORT_TYPE_SEND_ONCE, type_in(mach_task_self(), so));
	CHILD_PUT(wr, 1);
	switch (how) {
	case DEATH_EXIT:
		CHILD_GET(rd);
		exit(0);
	case DEATH__EXIT:
		CHILD_GET(rd);
		_exit(0);
	case DEATH_SIGKILL:
		/* Blocks until killed (the parent keeps the pipe open). */
		while (read(rd, &c, 1) != 0)
			;
		_exit(3);
	}
}

static void child_gives_rights_exit(int arg, int rd, int wr)
{
	(void)arg;
	child_gives_rights(rd, wr, DEATH_EXIT);
}

static void child_gives_rights__exit(int arg, int rd, int wr)
{
	(void)arg;
	child_gives_rights(rd, wr, DEATH__EXIT);
}

static void child_gives_rights_sigkill(int arg, int rd, int wr)
{
	(void)arg;
	child_gives_rights(rd, wr, DEATH_SIGKILL);
}

static void space_death(struct __test_metadata *_metadata, enum death how)
{
	static const child_fn fns[] = {
		child_gives_rights_exit, child_gives_rights__exit, child_gives_rights_sigkill,
	};
	struct kid k;
	uint32_t v;
	int i, status;

	death_parent_port = new_port();
	ASSERT_TRUE(MACH_PORT_VALID(death_parent_port));
	ASSERT_TRUE(spawn(&k, SPAWN_GIVE_TASK, fns[how], 0));
	ASSERT_TRUE(get(k.rd, &v));
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(MACH_PORT_TYPE_SEND, type_in(mach_task_self(), CHILD_NAME(i)));
		EXPECT_EQ((mach_port_urefs_t)i + 1,
			  refs_in(mach_task_self(), CHILD_NAME(i), MACH_PORT_RIGHT_SEND));
	}
	EXPECT_EQ(1U, STATUS_FIELD_IN(mach_task_self(), death_parent_port, mps_srights));
	EXPECT_EQ(1U, STATUS_FIELD_IN(mach_task_self(), death_parent_port, mps_sorights));
	EXPECT_EQ(1U, STATUS_FIELD_IN(mach_task_self(), death_parent_port, mps_mscount));
	if (how == DEATH_SIGKILL) {
		/* Killed where it waits for us: asleep in read(). */
		ASSERT_TRUE(wait_process_blocked_in(k.pid, __NR_read));
		ASSERT_EQ(0, kill(k.pid, SIGKILL));
		status = reap(&k);
		EXPECT_TRUE(WIFSIGNALED(status));
		EXPECT_EQ(SIGKILL, WTERMSIG(status));
	} else {
		ASSERT_TRUE(put(k.wr, 1));
		EXPECT_CHILD_OK(reap(&k));
	}
	for (i = 0; i < 3; i++) {
		/* Listed dead before anything touched the entry, then converted. */
		EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, listed_type(mach_task_self(), CHILD_NAME(i)));
		EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_in(mach_task_self(), CHILD_NAME(i)));
		EXPECT_EQ((mach_port_urefs_t)i + 1,
			  refs_in(mach_task_self(), CHILD_NAME(i), MACH_PORT_RIGHT_DEAD_NAME));
		EXPECT_EQ(0U, refs_in(mach_task_self(), CHILD_NAME(i), MACH_PORT_RIGHT_SEND));
	}
	/* The child's rights to our port were released with its space: the
	 * send right at once; the send-once right was destroyed unused, so a
	 * send-once notification (71) is queued to the port with it as its
	 * destination, counted in sorights until it is received. */
	EXPECT_EQ(0U, STATUS_FIELD_IN(mach_task_self(), death_parent_port, mps_srights));
	EXPECT_EQ(1U, STATUS_FIELD_IN(mach_task_self(), death_parent_port, mps_msgcount));
	EXPECT_EQ((unsigned)MACH_NOTIFY_SEND_ONCE, receive_id(death_parent_port));
	EXPECT_EQ(0U, STATUS_FIELD_IN(mach_task_self(), death_parent_port, mps_sorights));
	EXPECT_EQ(0U, STATUS_FIELD_IN(mach_task_self(), death_parent_port, mps_msgcount));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_in(mach_task_self(), death_parent_port));
	/* And its task port is dead. */
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_in(mach_task_self(), CHILD_TASK_NAME));
}

TEST(space_death_on_exit)
{
	space_death(_metadata, DEATH_EXIT);
}

TEST(space_death_on__exit)
{
	space_death(_metadata, DEATH__EXIT);
}

TEST(space_death_on_sigkill)
{
	space_death(_metadata, DEATH_SIGKILL);
}

/* ---------------------------------------------------------------------- */
/* exec keeps the task (and its space), unless the descriptor is close-on-exec. */

/* A name the exec'ing child allocates its port under. */
#define EXEC_PORT_NAME NAME(0x345, 3)

/* Post-exec checks; exits the process with 0 or the number of the failed check. */
static void exec_checks(bool keep, mach_port_name_t name, mach_port_context_t want,
			mach_port_name_t old_task)
{
	mach_port_name_t self, boot = MACH_PORT_NULL;
	mach_port_context_t ctx = 0;
	mach_port_type_t ty = 0;
	unsigned ko = 0, addr = 0;
	kern_return_t kr;

	/* The library's own initialiser may not have run yet: ask directly. */
	self = task_self_trap();
	if (!MACH_PORT_VALID(self))
		_exit(10);
	if (mach_port_kernel_object(self, self, &ko, &addr) != KERN_SUCCESS || ko != IKOT_TASK)
		_exit(11);
	/* The bootstrap port is the parent's task port, either way. */
	if (task_get_special_port(self, TASK_BOOTSTRAP_PORT, &boot) != KERN_SUCCESS ||
	    mach_port_kernel_object(self, boot, &ko, &addr) != KERN_SUCCESS || ko != IKOT_TASK)
		_exit(12);
	kr = mach_port_type(self, name, &ty);
	if (keep) {
		if (self != old_task) {
			fprintf(stderr, "# after exec: task name 0x%x, before 0x%x\n", self, old_task);
			_exit(13);
		}
		if (kr != KERN_SUCCESS || ty != MACH_PORT_TYPE_RECEIVE) {
			fprintf(stderr, "# after exec: name 0x%x: kr 0x%x type 0x%x\n", name, kr, ty);
			_exit(14);
		}
		if (mach_port_get_context(self, name, &ctx) != KERN_SUCCESS || ctx != want) {
			fprintf(stderr, "# after exec: context 0x%llx, want 0x%llx\n",
				(unsigned long long)ctx, (unsigned long long)want);
			_exit(15);
		}
		/* Our old task port, held by the parent, is still alive. */
		if (mach_port_type(boot, CHILD_TASK_NAME, &ty) != KERN_SUCCESS ||
		    ty != MACH_PORT_TYPE_SEND)
			_exit(16);
	} else {
		/* A new task: a new space without the port. */
		if (kr != KERN_INVALID_NAME) {
			fprintf(stderr, "# after exec: name 0x%x: kr 0x%x type 0x%x\n", name, kr, ty);
			_exit(17);
		}
		/* The old task died with its last descriptor, at the exec. */
		if (mach_port_type(boot, CHILD_TASK_NAME, &ty) != KERN_SUCCESS ||
		    ty != MACH_PORT_TYPE_DEAD_NAME) {
			fprintf(stderr, "# after exec: old task port type 0x%x\n", ty);
			_exit(18);
		}
	}
	_exit(0);
}

/* After the exec of a setuid-root copy of this binary by an unprivileged task. */
static void suid_checks(void)
{
	mach_port_name_t h;
	unsigned ko = 0, addr = 0;

	if (geteuid() != 0)
		_exit(77); /* no setuid here (nosuid mount?) */
	task_self_trap();
	h = host_self_trap();
	if (mach_port_kernel_object(task_self_trap(), h, &ko, &addr) != KERN_SUCCESS)
		_exit(21);
	if (ko != IKOT_HOST_PRIV) {
		fprintf(stderr, "# setuid-root program: mach_host_self() kernel object type %u, want %u\n",
			ko, IKOT_HOST_PRIV);
		_exit(22);
	}
	_exit(0);
}

/*
 * After the exec, argv is {exe, EXEC_CHECK_ARG, "keep"|"new", name,
 * context, task name}: runs the checks before main (and the harness).
 */
__attribute__((constructor)) static void exec_check(void)
{
	char buf[512], *argv[8], *p;
	int fd, argc = 0;
	ssize_t len;

	fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return;
	buf[len] = 0;
	for (p = buf; p < buf + len && argc < 8; p += strlen(p) + 1)
		argv[argc++] = p;
	if (argc != 6 || strcmp(argv[1], EXEC_CHECK_ARG) != 0)
		return;
	if (strcmp(argv[2], "suid") == 0)
		suid_checks();
	exec_checks(strcmp(argv[2], "keep") == 0, (mach_port_name_t)strtoul(argv[3], NULL, 0),
		    (mach_port_context_t)strtoull(argv[4], NULL, 0),
		    (mach_port_name_t)strtoul(argv[5], NULL, 0));
}

static void child_execs(bool keep)
{
	char sname[32], sctx[32], stask[32];
	const mach_port_context_t ctx = 0x5eed1234abcdULL;
	mach_port_name_t p = EXEC_PORT_NAME;
	int cfd = machipc_fd();

	CHILD_EQ(KERN_SUCCESS, mach_port_allocate_name(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, p));
	CHILD_EQ(KERN_SUCCESS, mach_port_set_context(mach_task_self(), p, ctx));
	CHILD_TRUE(cfd >= 0);
	if (keep) {
		/* The library's descriptor is kept across exec by default. */
		if (!getenv("MACHIPC_CLOEXEC"))
			CHILD_EQ(0, fcntl(cfd, F_GETFD) & FD_CLOEXEC);
		else
			CHILD_EQ(0, fcntl(cfd, F_SETFD, 0));
	} else {
		CHILD_EQ(0, fcntl(cfd, F_SETFD, FD_CLOEXEC));
	}
	snprintf(sname, sizeof(sname), "0x%x", p);
	snprintf(sctx, sizeof(sctx), "0x%llx", (unsigned long long)ctx);
	snprintf(stask, sizeof(stask), "0x%x", mach_task_self());
	execl("/proc/self/exe", "machipc_tasks", EXEC_CHECK_ARG, keep ? "keep" : "new", sname, sctx,
	      stask, (char *)NULL);
	_exit(20);
}

static void child_execs_keep(int arg, int rd, int wr)
{
	(void)arg;
	(void)rd;
	(void)wr;
	child_execs(true);
}

static void child_execs_new(int arg, int rd, int wr)
{
	(void)arg;
	(void)rd;
	(void)wr;
	child_execs(false);
}

TEST(exec_keeps_task)
{
	struct kid k;

	ASSERT_TRUE(spawn(&k, SPAWN_GIVE_TASK, child_execs_keep, 0));
	EXPECT_CHILD_OK(reap(&k));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_in(mach_task_self(), CHILD_TASK_NAME));
}

TEST(exec_with_cloexec_descriptor_gets_new_task)
{
	struct kid k;

	ASSERT_TRUE(spawn(&k, SPAWN_GIVE_TASK, child_execs_new, 0));
	EXPECT_CHILD_OK(reap(&k));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_in(mach_task_self(), CHILD_TASK_NAME));
}

/*
 * The other half of XNU's set_security_token(): exec of a setuid-root
 * program makes the host port host_priv, even for a task created by an
 * unprivileged process.
 */
TEST(host_self_after_exec_of_setuid_root_is_host_priv)
{
	const char *path = "/tmp/machipc_tasks_suid";
	int in, out, status;
	char buf[65536];
	ssize_t n;
	pid_t kid;

	if (geteuid() != 0)
		SKIP(return, "needs root");
	in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, in);
	unlink(path);
	out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	ASSERT_LE(0, out);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		ASSERT_EQ(n, write(out, buf, n));
	close(in);
	ASSERT_EQ(0, fchmod(out, 04755));
	close(out);
	fflush(stdout);
	fflush(stderr);
	kid = fork();
	ASSERT_LE(0, kid);
	if (kid == 0) {
		pid_t gk;

		CHILD_EQ(0, setgroups(0, NULL));
		CHILD_EQ(0, setgid(65534));
		CHILD_EQ(0, setuid(65534));
		/* A task created unprivileged: the plain host port. */
		gk = fork();
		CHILD_TRUE(gk >= 0);
		if (gk == 0) {
			CHILD_EQ(IKOT_HOST, kobject_of(mach_task_self(), mach_host_self()));
			execl(path, "machipc_tasks_suid", EXEC_CHECK_ARG, "suid", "0", "0", "0",
			      (char *)NULL);
			_exit(20);
		}
		CHILD_EQ(gk, waitpid(gk, &status, 0));
		CHILD_TRUE(WIFEXITED(status));
		_exit(WEXITSTATUS(status));
	}
	ASSERT_EQ(kid, waitpid(kid, &status, 0));
	unlink(path);
	ASSERT_TRUE(WIFEXITED(status));
	if (WEXITSTATUS(status) == 77)
		SKIP(return, "setuid programs do not run here");
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* ---------------------------------------------------------------------- */
/* A task port dies with its process, not with the holders of rights to it. */

TEST(task_port_dies_with_its_process)
{
	int ab[2], status;
	pid_t a, b;

	/* The grandchild is reparented to us when its parent dies. */
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
	ASSERT_EQ(0, pipe(ab));
	fflush(stdout);
	fflush(stderr);
	a = fork();
	ASSERT_LE(0, a);
	if (a == 0) {
		pid_t me = getpid();

		CHILD_EQ(KERN_SUCCESS, task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT,
							     mach_task_self()));
		b = fork();
		CHILD_TRUE(b >= 0);
		if (b == 0) {
			mach_port_name_t n = MACH_PORT_NULL, x = MACH_PORT_NULL;
			struct pollfd pfd = { .events = POLLIN };

			close(ab[0]);
			/* A's task port, alive: usable. */
			CHILD_EQ(IKOT_TASK, kobject_of(mach_task_self(), bootstrap_port));
			CHILD_EQ(KERN_SUCCESS,
				 mach_port_allocate(bootstrap_port, MACH_PORT_RIGHT_RECEIVE, &n));
			/* A's exit makes its pidfd readable. */
			pfd.fd = (int)syscall(SYS_pidfd_open, me, 0);
			CHILD_TRUE(pfd.fd >= 0);
			CHILD_PUT(ab[1], 1);
			close(ab[1]);
			CHILD_EQ(1, poll(&pfd, 1, BLOCK_WAIT_MS));
			/* A is gone: a dead name, here and in our special port. */
			CHILD_EQ(MACH_PORT_TYPE_DEAD_NAME, type_in(mach_task_self(), bootstrap_port));
			CHILD_EQ(MACH_SEND_INVALID_DEST,
				 mach_port_allocate(bootstrap_port, MACH_PORT_RIGHT_RECEIVE, &n));
			CHILD_EQ(KERN_SUCCESS, task_get_special_port(mach_task_self(),
								     TASK_BOOTSTRAP_PORT, &x));
			CHILD_EQ(MACH_PORT_DEAD, x);
			_exit(0);
		}
		close(ab[1]);
		CHILD_EQ(1, CHILD_GET(ab[0]));
		_exit(0);
	}
	close(ab[0]);
	close(ab[1]);
	ASSERT_EQ(a, waitpid(a, &status, 0));
	EXPECT_CHILD_OK(status);
	b = waitpid(-1, &status, 0);
	ASSERT_LT(0, b);
	EXPECT_CHILD_OK(status);
}

/*
 * posix_spawn() runs no fork handlers: the spawned program inherits the
 * library's descriptor (not close-on-exec by default). A program that
 * does not use Mach keeps it open -- that must not keep our task alive
 * after our process is gone (XNU: a task dies with its process).
 */
static void child_spawns_sleeper(int arg, int rd, int wr)
{
	/* It runs until the test kills it. */
	char *argv[] = { "sleep", "600", NULL };
	mach_port_name_t p = new_port();
	pid_t sleeper;

	(void)arg;
	(void)rd;
	CHILD_EQ(KERN_SUCCESS, mach_port_insert_right(bootstrap_port, CHILD_NAME(7), p,
						      MACH_MSG_TYPE_MAKE_SEND));
	CHILD_EQ(0, posix_spawn(&sleeper, "/bin/sleep", NULL, NULL, argv, environ));
	CHILD_PUT(wr, sleeper);
	_exit(0);
}

TEST(task_dies_with_its_process_despite_spawned_program)
{
	uint32_t sleeper = 0;
	mach_port_type_t t1, t2;
	struct kid k;
	int status;

	if (access("/bin/sleep", X_OK))
		SKIP(return, "no /bin/sleep");
	/* The sleeper is reparented to us. */
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
	ASSERT_TRUE(spawn(&k, SPAWN_GIVE_TASK, child_spawns_sleeper, 0));
	ASSERT_TRUE(get(k.rd, &sleeper));
	EXPECT_CHILD_OK(reap(&k));
	/*
	 * The child process is gone: its task and its port are dead. The
	 * descriptor the spawned program inherited cannot keep them alive;
	 * the task dies from the process-exit wake-up, just after the exit
	 * (asynchronously, on a workqueue, whose end nothing signals): poll
	 * for it, with a deadline.
	 */
	POLL_UNTIL((t1 = type_in(mach_task_self(), CHILD_TASK_NAME),
		    t2 = type_in(mach_task_self(), CHILD_NAME(7)),
		    t1 == MACH_PORT_TYPE_DEAD_NAME && t2 == MACH_PORT_TYPE_DEAD_NAME),
		   BLOCK_WAIT_MS);
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, t1);
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, t2);
	/* ... while the program still runs, holding the descriptor. */
	EXPECT_EQ(0, waitpid((pid_t)sleeper, &status, WNOHANG));
	ASSERT_EQ(0, kill((pid_t)sleeper, SIGKILL));
	ASSERT_EQ((pid_t)sleeper, waitpid((pid_t)sleeper, &status, 0));
	if (t1 != MACH_PORT_TYPE_DEAD_NAME || t2 != MACH_PORT_TYPE_DEAD_NAME)
		TH_LOG("after the spawned program exited too: task port type 0x%x, port type 0x%x",
		       type_in(mach_task_self(), CHILD_TASK_NAME),
		       type_in(mach_task_self(), CHILD_NAME(7)));
}

/* ---------------------------------------------------------------------- */
/*
 * Special ports as they were when the child was created (xnu-3248
 * ipc_task_init(task, parent), from task_create_internal at fork and
 * posix_spawn: itk_bootstrap = ipc_port_copy_send(parent->itk_bootstrap),
 * and the host, seatbelt, access and registered ports likewise). So the
 * everyday "set a bootstrap port, fork or spawn, restore the old one"
 * gives the child the port that was set, however late it first uses Mach.
 *
 * The children report by sending a message (its id theirs) to the
 * bootstrap port they have; the parent sees on which port it arrives.
 */

#define REPORT_ARG "--machipc-report-bootstrap"

/*
 * After an exec: argv is {exe, REPORT_ARG, id, "wait"|"go"}. With "wait",
 * first reads a byte from fd 0 (the parent's go-ahead), before anything
 * touches Mach -- this runs before the library's own initialiser
 * (constructor priority). Then sends message `id` to the bootstrap port
 * the new task has and exits: 0 if sent.
 */
__attribute__((constructor(101))) static void report_bootstrap(void)
{
	char buf[512], *argv[8], *p;
	mach_port_name_t self, boot = MACH_PORT_NULL;
	mach_msg_header_t h;
	int fd, argc = 0;
	ssize_t len;
	char c;

	fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return;
	buf[len] = 0;
	for (p = buf; p < buf + len && argc < 8; p += strlen(p) + 1)
		argv[argc++] = p;
	if (argc != 4 || strcmp(argv[1], REPORT_ARG) != 0)
		return;
	if (strcmp(argv[3], "wait") == 0 && read(0, &c, 1) != 1)
		_exit(30);
	self = task_self_trap();
	if (!MACH_PORT_VALID(self))
		_exit(31);
	if (task_get_special_port(self, TASK_BOOTSTRAP_PORT, &boot) != KERN_SUCCESS)
		_exit(32);
	if (!MACH_PORT_VALID(boot))
		_exit(33);
	memset(&h, 0, sizeof(h));
	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	h.msgh_size = sizeof(h);
	h.msgh_remote_port = boot;
	h.msgh_id = (mach_msg_id_t)strtol(argv[2], NULL, 0);
	_exit(mach_msg(&h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(h), 0, MACH_PORT_NULL,
		       WAIT_MS, MACH_PORT_NULL) == MACH_MSG_SUCCESS ? 0 : 34);
}

/* Sends message `id` to our bootstrap port (a forked child). */
static mach_msg_return_t report_to_bootstrap(mach_msg_id_t id)
{
	mach_msg_header_t h;

	memset(&h, 0, sizeof(h));
	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	h.msgh_size = sizeof(h);
	h.msgh_remote_port = bootstrap_port;
	h.msgh_id = id;
	return mach_msg(&h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(h), 0, MACH_PORT_NULL,
			WAIT_MS, MACH_PORT_NULL);
}

/* Receives the next report on `port` (or a set): its id, or -1; *from the member. */
static int next_report(mach_port_name_t port, mach_port_name_t *from, mach_msg_timeout_t ms)
{
	struct {
		mach_msg_header_t h;
		mach_msg_trailer_t t;
	} m;

	memset(&m, 0, sizeof(m));
	if (mach_msg(&m.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m), port, ms,
		     MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		return -1;
	if (from)
		*from = m.h.msgh_local_port;
	return m.h.msgh_id;
}

/* Two ports with send rights: what the bootstrap port is set to, and what
 * it is restored to. */
struct set_restore {
	mach_port_name_t set_to, restored;
};

static void set_restore_init(struct __test_metadata *_metadata, struct set_restore *sr)
{
	sr->set_to = new_port();
	sr->restored = new_port();
	ASSERT_NE(NULL_NAME, sr->set_to);
	ASSERT_NE(NULL_NAME, sr->restored);
	ASSERT_EQ(KERN_SUCCESS, make_send(sr->set_to));
	ASSERT_EQ(KERN_SUCCESS, make_send(sr->restored));
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT,
						      sr->restored));
}

/* The reports `ids` came on set_to, none on restored. */
static void expect_reports_on_set_port(struct __test_metadata *_metadata,
				       const struct set_restore *sr, const int *ids, int n)
{
	int i;

	for (i = 0; i < n; i++)
		EXPECT_EQ(ids[i], next_report(sr->set_to, NULL, WAIT_MS))
			TH_LOG("the child did not report on the port set at its creation");
	EXPECT_EQ(-1, next_report(sr->restored, NULL, 0))
		TH_LOG("a child has the port restored after its creation");
}

/* fork(): set, fork, restore; the child looks only once the parent restored. */
TEST(fork_child_has_bootstrap_as_at_fork)
{
	static const int ids[] = { 501, 502 };
	struct set_restore sr;
	mach_port_name_t b = MACH_PORT_NULL;
	struct kid k;
	uint32_t go;

	set_restore_init(_metadata, &sr);
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT,
						      sr.set_to));
	ASSERT_LE(0, kid_fork(&k));
	if (k.pid == 0) {
		go = CHILD_GET(k.rd);
		(void)go;
		CHILD_EQ(MACH_MSG_SUCCESS, report_to_bootstrap(501));
		CHILD_EQ(KERN_SUCCESS, task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT,
							     &b));
		CHILD_EQ(bootstrap_port, b);
		CHILD_EQ(MACH_MSG_SUCCESS, report_to_bootstrap(502));
		_exit(0);
	}
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT,
						      sr.restored));
	ASSERT_TRUE(put(k.wr, 1));
	EXPECT_CHILD_OK(reap(&k));
	expect_reports_on_set_port(_metadata, &sr, ids, 2);
}

/*
 * The same, the child's first Mach call made only after the restore: a
 * raw fork(2) (no fork handlers, so the library does not open /dev/mach in
 * the child) waits for the go-ahead, then execs this binary to report.
 */
TEST(fork_child_first_using_mach_after_restore_has_bootstrap_as_at_fork)
{
	static const int ids[] = { 503 };
	struct set_restore sr;
	int go[2], status;
	pid_t pid;

	set_restore_init(_metadata, &sr);
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT,
						      sr.set_to));
	fflush(stdout);
	fflush(stderr);
	pid = (pid_t)syscall(SYS_fork);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char *argv[] = { "machipc_tasks", REPORT_ARG, "503", "go", NULL };
		char c;

		if (read(go[0], &c, 1) != 1)
			_exit(40);
		execve("/proc/self/exe", argv, environ);
		_exit(41);
	}
	close(go[0]);
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT,
						      sr.restored));
	ASSERT_EQ(1, write(go[1], "g", 1));
	close(go[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_CHILD_OK(status);
	expect_reports_on_set_port(_metadata, &sr, ids, 1);
}

/* Spawns this binary to report `id` (waiting for a byte on `wait_fd` first if >= 0). */
static bool spawn_reporter(pid_t *pid, int id, int wait_fd)
{
	char sid[16], *argv[] = { "machipc_tasks", REPORT_ARG, sid, wait_fd >= 0 ? "wait" : "go",
				  NULL };
	posix_spawn_file_actions_t fa;
	int r;

	snprintf(sid, sizeof(sid), "%d", id);
	if (posix_spawn_file_actions_init(&fa))
		return false;
	if (wait_fd >= 0 && posix_spawn_file_actions_adddup2(&fa, wait_fd, 0)) {
		posix_spawn_file_actions_destroy(&fa);
		return false;
	}
	r = posix_spawn(pid, "/proc/self/exe", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	return r == 0;
}

/*
 * posix_spawn() (clone(CLONE_VM|CLONE_VFORK), no fork handlers): the same.
 * The spawned program waits for the go-ahead before it touches Mach.
 */
TEST(posix_spawn_child_has_bootstrap_as_at_spawn)
{
	static const int ids[] = { 504 };
	struct set_restore sr;
	int go[2], status;
	pid_t pid;

	set_restore_init(_metadata, &sr);
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT,
						      sr.set_to));
	ASSERT_TRUE(spawn_reporter(&pid, 504, go[0]));
	close(go[0]);
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT,
						      sr.restored));
	ASSERT_EQ(1, write(go[1], "g", 1));
	close(go[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_CHILD_OK(status);
	expect_reports_on_set_port(_metadata, &sr, ids, 1);
}

/* The tests that start many children take a while on a slow guest. */
FIXTURE(inherit) {
	int unused;
};

FIXTURE_SETUP(inherit)
{
}

FIXTURE_TEARDOWN(inherit)
{
}

/* Ports to set, all members of one set to receive the reports on (room
 * for a report from every child on each). */
struct port_series {
	mach_port_name_t set;
	mach_port_name_t *port;
	int count;
};

static void series_init(struct __test_metadata *_metadata, struct port_series *s, int count)
{
	int i;

	s->count = count;
	s->port = calloc(count, sizeof(*s->port));
	ASSERT_NE(NULL, s->port);
	s->set = new_set();
	ASSERT_NE(NULL_NAME, s->set);
	for (i = 0; i < count; i++) {
		s->port[i] = new_port();
		ASSERT_NE(NULL_NAME, s->port[i]);
		ASSERT_EQ(KERN_SUCCESS, make_send(s->port[i]));
		ASSERT_EQ(KERN_SUCCESS, set_qlimit(s->port[i], 64));
		ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), s->port[i], s->set));
	}
}

static int series_index(const struct port_series *s, mach_port_name_t name)
{
	int i;

	for (i = 0; i < s->count; i++)
		if (s->port[i] == name)
			return i;
	return -1;
}

/*
 * A parent that changes its bootstrap port before each child, in a tight
 * loop, neither waiting for a child nor pausing: every child, forked or
 * spawned, has the port set just before it was created -- however many
 * changes came before it first used Mach.
 */
TEST_F_TIMEOUT(inherit, bootstrap_changed_before_each_child_in_a_tight_loop, 120)
{
	enum { CHILDREN = 40 };
	struct port_series s;
	pid_t pid[CHILDREN];
	int i, status, seen[CHILDREN] = { 0 };

	(void)self;
	series_init(_metadata, &s, CHILDREN);
	fflush(stdout);
	fflush(stderr);
	for (i = 0; i < CHILDREN; i++) {
		ASSERT_EQ(KERN_SUCCESS, task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT,
							      s.port[i]));
		if (i % 2) {
			ASSERT_TRUE(spawn_reporter(&pid[i], i, -1));
			continue;
		}
		pid[i] = fork();
		ASSERT_LE(0, pid[i]);
		if (pid[i] == 0)
			_exit(report_to_bootstrap(i) == MACH_MSG_SUCCESS ? 0 : 1);
	}
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT,
						      MACH_PORT_NULL));
	for (i = 0; i < CHILDREN; i++) {
		ASSERT_EQ(pid[i], waitpid(pid[i], &status, 0));
		EXPECT_CHILD_OK(status);
	}
	for (i = 0; i < CHILDREN; i++) {
		mach_port_name_t from = MACH_PORT_NULL;
		int id = next_report(s.set, &from, WAIT_MS);

		ASSERT_LE(0, id) TH_LOG("%d reports of %d", i, CHILDREN);
		ASSERT_GT(CHILDREN, id);
		seen[id]++;
		EXPECT_EQ(id, series_index(&s, from))
			TH_LOG("child %d (%s) reported on the port set before child %d",
			       id, id % 2 ? "spawned" : "forked", series_index(&s, from));
	}
	for (i = 0; i < CHILDREN; i++)
		EXPECT_EQ(1, seen[i]);
	free(s.port);
}

/*
 * Another thread of the parent changes the bootstrap port in a tight loop,
 * through a series of distinct ports, while children are forked and
 * spawned: each child has a port that was the bootstrap port at some time
 * during its fork()/posix_spawn() call -- at least the one set when the
 * call began, at most the one after the last set when it returned.
 * The other thread makes fewer changes in all than the parent's history
 * keeps (HISTORY_MAX, 1024, src/special.rs): past that a child that first
 * uses Mach late gets the oldest state still recorded (docs/abi.md), and
 * how many changes fit between a posix_spawn and the new image's first
 * Mach call depends only on the machine's speed (the perf kernel made
 * more than 1024 with 3000 ports to go through).
 */
struct changer {
	const struct port_series *s;
	atomic_int done;	/* sets completed: port[done - 1] is the last one set */
	atomic_int stop;
	kern_return_t kr;
};

static void *changer_thread(void *arg)
{
	struct changer *c = arg;
	int i;

	for (i = 1; i < c->s->count && !atomic_load(&c->stop); i++) {
		c->kr = task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, c->s->port[i]);
		if (c->kr != KERN_SUCCESS)
			break;
		atomic_store(&c->done, i + 1);
	}
	return NULL;
}

TEST_F_TIMEOUT(inherit, bootstrap_changed_in_a_tight_loop_while_children_start,
	       120)
{
	enum { PORTS = 1000, CHILDREN = 12 };
	struct port_series s;
	struct changer c = { .s = &s };
	pid_t pid[CHILDREN];
	int lo[CHILDREN], hi[CHILDREN], i, status, seen[CHILDREN] = { 0 };
	pthread_t t;

	(void)self;
	series_init(_metadata, &s, PORTS);
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT,
						      s.port[0]));
	atomic_store(&c.done, 1);
	fflush(stdout);
	fflush(stderr);
	ASSERT_EQ(0, pthread_create(&t, NULL, changer_thread, &c));
	for (i = 0; i < CHILDREN; i++) {
		lo[i] = atomic_load(&c.done) - 1;
		if (i % 2) {
			ASSERT_TRUE(spawn_reporter(&pid[i], i, -1));
		} else {
			pid[i] = fork();
			ASSERT_LE(0, pid[i]);
			if (pid[i] == 0)
				_exit(report_to_bootstrap(i) == MACH_MSG_SUCCESS ? 0 : 1);
		}
		hi[i] = atomic_load(&c.done);
		if (hi[i] > PORTS - 1)
			hi[i] = PORTS - 1;
	}
	atomic_store(&c.stop, 1);
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(KERN_SUCCESS, c.kr);
	for (i = 0; i < CHILDREN; i++) {
		ASSERT_EQ(pid[i], waitpid(pid[i], &status, 0));
		EXPECT_CHILD_OK(status);
	}
	for (i = 0; i < CHILDREN; i++) {
		mach_port_name_t from = MACH_PORT_NULL;
		int id = next_report(s.set, &from, WAIT_MS), got;

		ASSERT_LE(0, id) TH_LOG("%d reports of %d", i, CHILDREN);
		ASSERT_GT(CHILDREN, id);
		seen[id]++;
		got = series_index(&s, from);
		EXPECT_LE(lo[id], got)
			TH_LOG("child %d (%s): port %d, set %d..%d during its creation", id,
			       id % 2 ? "spawned" : "forked", got, lo[id], hi[id]);
		EXPECT_GE(hi[id], got)
			TH_LOG("child %d (%s): port %d, set %d..%d during its creation", id,
			       id % 2 ? "spawned" : "forked", got, lo[id], hi[id]);
	}
	for (i = 0; i < CHILDREN; i++)
		EXPECT_EQ(1, seen[i]);
	TH_LOG("the other thread made %d changes", atomic_load(&c.done) - 1);
	free(s.port);
}

TEST_HARNESS_MAIN
