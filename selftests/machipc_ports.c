// SPDX-License-Identifier: GPL-2.0
/*
 * The mach_port_* calls on the caller's own space: rights, names, user
 * references, guards and port attributes, with the results and error
 * codes of XNU 10.11 (xnu-3248).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/notify.h>
#include "kselftest_harness.h"
#include "machipc_util.h"

/* A name on a fresh index (generation 3), well above what tests allocate. */
#define FREE_NAME(index) ((mach_port_name_t)(((index) << 8) | 0x03))

/* Maximum urefs: 65534 for a send right, 65535 for a dead name. */
#define SEND_UREFS_MAX (MACH_PORT_UREFS_MAX - 1)

/* ---- helpers ---------------------------------------------------------- */

/* A new dead name with `urefs` user references. */
static mach_port_name_t new_dead_name(struct __test_metadata *_metadata, int urefs)
{
	mach_port_name_t name = new_right(_metadata, MACH_PORT_RIGHT_DEAD_NAME);

	if (urefs > 1) {
		ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), name,
							   MACH_PORT_RIGHT_DEAD_NAME, urefs - 1));
	}
	return name;
}

/* The name no longer denotes anything. */
static void expect_gone(struct __test_metadata *_metadata, mach_port_name_t name)
{
	mach_port_type_t type = 0;

	EXPECT_EQ(KERN_INVALID_NAME, mach_port_type(mach_task_self(), name, &type));
}

/*
 * A send-once right destroyed unused sends a send-once notification (id 71)
 * to its own port, the notification holding the right until received:
 * receive `n` of them from `r`, after which no send-once right is left.
 */
static void expect_send_once_notifications(struct __test_metadata *_metadata,
					   mach_port_name_t r, int n)
{
	int i;

	EXPECT_EQ((natural_t)n, status_of(_metadata, r).mps_msgcount);
	for (i = 0; i < n; i++) {
		struct {
			mach_msg_header_t h;
			mach_msg_trailer_t t;
		} m = { 0 };

		ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&m.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
						     sizeof(m), r, 0, MACH_PORT_NULL));
		EXPECT_EQ(MACH_NOTIFY_SEND_ONCE, m.h.msgh_id);
		EXPECT_EQ(r, m.h.msgh_local_port);
	}
	EXPECT_EQ(0U, status_of(_metadata, r).mps_sorights);
}

static mach_port_msgcount_t qlimit_of(struct __test_metadata *_metadata, mach_port_name_t name)
{
	mach_msg_type_number_t count = MACH_PORT_LIMITS_INFO_COUNT;
	mach_port_limits_t lim = { .mpl_qlimit = 0xdeadbeef };

	ASSERT_EQ(KERN_SUCCESS, mach_port_get_attributes(mach_task_self(), name,
							 MACH_PORT_LIMITS_INFO,
							 (mach_port_info_t)&lim, &count));
	EXPECT_EQ(MACH_PORT_LIMITS_INFO_COUNT, count);
	return lim.mpl_qlimit;
}

static mach_port_context_t context_of(struct __test_metadata *_metadata, mach_port_name_t name)
{
	mach_port_context_t ctx = 0xdeadbeef;

	ASSERT_EQ(KERN_SUCCESS, mach_port_get_context(mach_task_self(), name, &ctx));
	return ctx;
}

static mach_port_name_t construct(struct __test_metadata *_metadata, uint32_t flags,
				  mach_port_msgcount_t qlimit, mach_port_context_t ctx)
{
	mach_port_options_t opts = { .flags = flags, .mpl = { .mpl_qlimit = qlimit } };
	mach_port_name_t name = MACH_PORT_NULL;

	ASSERT_EQ(KERN_SUCCESS, mach_port_construct(mach_task_self(), &opts, ctx, &name));
	ASSERT_TRUE(MACH_PORT_VALID(name));
	return name;
}

/* The space as mach_port_names reports it. */
struct names {
	mach_msg_type_number_t count;
	mach_port_name_t name[NAMES_MAX];
	mach_port_type_t type[NAMES_MAX];
};

static void get_names(struct __test_metadata *_metadata, struct names *out)
{
	mach_port_name_array_t names = NULL;
	mach_port_type_array_t types = NULL;
	mach_msg_type_number_t ncount = 0, tcount = 0;

	ASSERT_EQ(KERN_SUCCESS, mach_port_names(mach_task_self(), &names, &ncount, &types,
						&tcount));
	ASSERT_EQ(ncount, tcount);
	ASSERT_GE(NAMES_MAX, ncount);
	out->count = ncount;
	memcpy(out->name, names, ncount * sizeof(*names));
	memcpy(out->type, types, ncount * sizeof(*types));
	EXPECT_EQ(KERN_SUCCESS, vm_deallocate(mach_task_self(), (vm_address_t)names,
					      ncount * sizeof(*names)));
	EXPECT_EQ(KERN_SUCCESS, vm_deallocate(mach_task_self(), (vm_address_t)types,
					      tcount * sizeof(*types)));
}

/* The type names() reports for `name`, 0 if it isn't listed. */
static mach_port_type_t listed_type(const struct names *n, mach_port_name_t name)
{
	mach_msg_type_number_t i;

	for (i = 0; i < n->count; i++)
		if (n->name[i] == name)
			return n->type[i];
	return 0;
}

static mach_msg_type_number_t names_count(struct __test_metadata *_metadata)
{
	struct names n;

	get_names(_metadata, &n);
	return n.count;
}

/*
 * Runs `check` in a child process that holds, under `name`, a send right
 * with `urefs` urefs to a port of ours which we destroy before `check`
 * runs: a send right to a dead port, not yet converted to a dead name.
 * The right reaches the child as its inherited bootstrap port.
 */
typedef void (*dead_check_fn)(struct __test_metadata *_metadata, mach_port_name_t name,
			      int urefs);

static void with_dead_send_right(struct __test_metadata *_metadata, int urefs,
				 dead_check_fn check)
{
	mach_port_name_t port = new_send_receive(_metadata, 1);
	struct kid k;
	char c = 0;

	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT,
						      port));
	ASSERT_LE(0, kid_fork(&k));
	if (k.pid == 0) {
		mach_port_name_t name = bootstrap_port;

		ASSERT_TRUE(MACH_PORT_VALID(name));
		ASSERT_EQ(MACH_PORT_TYPE_SEND, type_of(name));
		if (urefs > 1) {
			ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), name,
								   MACH_PORT_RIGHT_SEND,
								   urefs - 1));
		}
		ASSERT_EQ(1, write(k.wr, &c, 1));
		ASSERT_EQ(1, read(k.rd, &c, 1));
		check(_metadata, name, urefs);
		_exit(_metadata->exit_code);
	}
	ASSERT_EQ(1, read(k.rd, &c, 1));
	/* The port dies: our entry goes, the special port and the child's right stay. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), port));
	ASSERT_EQ(1, write(k.wr, &c, 1));
	EXPECT_CHILD_OK(reap(&k));
}

/* ---- mach_port_allocate / allocate_name / allocate_qos / allocate_full ---- */

TEST(allocate_receive_port_set_dead_name)
{
	mach_port_name_t r = new_receive(_metadata);
	mach_port_name_t s = new_port_set(_metadata);
	mach_port_name_t d = new_right(_metadata, MACH_PORT_RIGHT_DEAD_NAME);

	EXPECT_NE(r, s);
	EXPECT_NE(s, d);
	EXPECT_NE(r, d);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(r));
	EXPECT_EQ(MACH_PORT_TYPE_PORT_SET, type_of(s));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(d));
	EXPECT_EQ(1U, refs_of(d, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_EQ(0U, refs_of(r, MACH_PORT_RIGHT_SEND));
}

TEST(allocate_send_invalid_value)
{
	mach_port_name_t name = 0x12345;

	EXPECT_FAILS_CLEANLY(KERN_INVALID_VALUE,
			     mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_SEND, &name));
	EXPECT_EQ(0x12345U, name);
}

TEST(allocate_send_once_invalid_value)
{
	mach_port_name_t name = 0x12345;

	EXPECT_FAILS_CLEANLY(KERN_INVALID_VALUE,
			     mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_SEND_ONCE,
						&name));
	EXPECT_EQ(0x12345U, name);
}

TEST(allocate_bogus_right_invalid_value)
{
	mach_port_name_t name;

	EXPECT_EQ(KERN_INVALID_VALUE,
		  mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_LABELH, &name));
	EXPECT_EQ(KERN_INVALID_VALUE,
		  mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_NUMBER, &name));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_allocate(mach_task_self(), 1000, &name));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_allocate(mach_task_self(), ~0U, &name));
}

TEST(allocate_name_null_or_dead_invalid_value)
{
	mach_msg_type_number_t before = names_count(_metadata);

	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_allocate_name(mach_task_self(),
							      MACH_PORT_RIGHT_RECEIVE,
							      MACH_PORT_NULL));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_allocate_name(mach_task_self(),
							      MACH_PORT_RIGHT_RECEIVE,
							      MACH_PORT_DEAD));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_allocate_name(mach_task_self(),
							      MACH_PORT_RIGHT_DEAD_NAME,
							      MACH_PORT_DEAD));
	EXPECT_EQ(before, names_count(_metadata));
}

TEST(allocate_name_twice_name_exists)
{
	mach_port_name_t name = FREE_NAME(0x42);
	mach_port_type_t type;

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate_name(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
							name));
	EXPECT_FAILS_CLEANLY(KERN_NAME_EXISTS,
			     mach_port_allocate_name(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
						     name));
	EXPECT_EQ(KERN_NAME_EXISTS, mach_port_allocate_name(mach_task_self(),
							    MACH_PORT_RIGHT_PORT_SET, name));
	/*
	 * A dead name is never made under the name asked for: xnu-3248's
	 * mach_port_allocate_full calls ipc_object_alloc_dead(space, namep),
	 * the variant that picks a fresh name, so the call succeeds with a
	 * new dead name the caller is not told of.
	 */
	EXPECT_EQ(KERN_SUCCESS, mach_port_allocate_name(mach_task_self(),
							MACH_PORT_RIGHT_DEAD_NAME, name));
	/* The name works: it is a receive right we can make send rights from. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_type(mach_task_self(), name, &type));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type);
	EXPECT_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), name, name,
						       MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(name));
	EXPECT_EQ(5U, qlimit_of(_metadata, name));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), name));
	expect_gone(_metadata, name);
}

TEST(allocate_name_port_set_and_dead_name)
{
	mach_port_name_t s = FREE_NAME(0x51), d = FREE_NAME(0x52);

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate_name(mach_task_self(),
							MACH_PORT_RIGHT_PORT_SET, s));
	mach_msg_type_number_t before = names_count(_metadata);

	/* As XNU: a dead name takes a fresh name, not `d` (see above). */
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate_name(mach_task_self(),
							MACH_PORT_RIGHT_DEAD_NAME, d));
	EXPECT_EQ(MACH_PORT_TYPE_PORT_SET, type_of(s));
	expect_gone(_metadata, d);
	EXPECT_EQ(before + 1, names_count(_metadata));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_allocate_name(mach_task_self(),
							      MACH_PORT_RIGHT_SEND,
							      FREE_NAME(0x53)));
	expect_gone(_metadata, FREE_NAME(0x53));
}

TEST(allocate_qos_name_set_invalid_argument)
{
	mach_port_qos_t qos = { .name = TRUE };
	mach_port_name_t name = FREE_NAME(0x60);

	EXPECT_FAILS_CLEANLY(KERN_INVALID_ARGUMENT,
			     mach_port_allocate_qos(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
						    &qos, &name));
	expect_gone(_metadata, FREE_NAME(0x60));
}

TEST(allocate_qos_without_name_allocates)
{
	mach_port_qos_t qos = { 0 };
	mach_port_name_t name = MACH_PORT_NULL;

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate_qos(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
						       &qos, &name));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(name));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_allocate_qos(mach_task_self(),
							     MACH_PORT_RIGHT_SEND, &qos, &name));
}

TEST(allocate_full_proto_invalid_value)
{
	mach_port_name_t proto = new_send_receive(_metadata, 1);
	mach_port_qos_t qos = { 0 };
	mach_port_name_t name = MACH_PORT_NULL;

	EXPECT_FAILS_CLEANLY(KERN_INVALID_VALUE,
			     mach_port_allocate_full(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
						     proto, &qos, &name));
	EXPECT_EQ(0U, name);
}

TEST(allocate_full_qos_name_uses_name)
{
	mach_port_qos_t qos = { .name = TRUE };
	mach_port_name_t name = FREE_NAME(0x70);

	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate_full(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
							MACH_PORT_NULL, &qos, &name));
	EXPECT_EQ(FREE_NAME(0x70), name);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(FREE_NAME(0x70)));
	/* The same name again is taken. */
	EXPECT_EQ(KERN_NAME_EXISTS, mach_port_allocate_full(mach_task_self(),
							    MACH_PORT_RIGHT_PORT_SET,
							    MACH_PORT_NULL, &qos, &name));
	/* With qos.name, a NULL name is not a legal name. */
	name = MACH_PORT_NULL;
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_allocate_full(mach_task_self(),
							      MACH_PORT_RIGHT_RECEIVE,
							      MACH_PORT_NULL, &qos, &name));
}

TEST(allocate_full_prealloc_needs_receive)
{
	mach_port_qos_t qos = { .prealloc = TRUE, .len = 64 };
	mach_port_name_t name = MACH_PORT_NULL;

	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_allocate_full(mach_task_self(),
							      MACH_PORT_RIGHT_PORT_SET,
							      MACH_PORT_NULL, &qos, &name));
	EXPECT_EQ(0U, name);
}

/* ---- mach_port_construct / destruct ------------------------------------- */

TEST(construct_plain_sets_context)
{
	mach_port_name_t name = construct(_metadata, 0, 0, 0x1234);
	mach_port_status_t st;

	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(name));
	EXPECT_EQ(0x1234ULL, context_of(_metadata, name));
	st = status_of(_metadata, name);
	EXPECT_EQ(0U, st.mps_flags);
	EXPECT_EQ(5U, st.mps_qlimit);
	/* Not guarded: destroy works. */
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), name));
	expect_gone(_metadata, name);
}

TEST(construct_context_as_guard_guards)
{
	mach_port_name_t name = construct(_metadata, MPO_CONTEXT_AS_GUARD, 0, 0xfeed);
	mach_port_status_t st = status_of(_metadata, name);

	EXPECT_EQ((natural_t)MACH_PORT_STATUS_FLAG_GUARDED, st.mps_flags);
	EXPECT_EQ(0xfeedULL, context_of(_metadata, name));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_destroy(mach_task_self(), name));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(name));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destruct(mach_task_self(), name, 0, 0xfeed));
	expect_gone(_metadata, name);
}

TEST(construct_context_as_guard_strict)
{
	mach_port_name_t name = construct(_metadata, MPO_CONTEXT_AS_GUARD | MPO_STRICT, 0, 0xbeef);
	mach_port_status_t st = status_of(_metadata, name);

	EXPECT_EQ((natural_t)(MACH_PORT_STATUS_FLAG_GUARDED | MACH_PORT_STATUS_FLAG_STRICT_GUARD),
		  st.mps_flags);
	/* The context of a strictly guarded port reads as 0. */
	EXPECT_EQ(0ULL, context_of(_metadata, name));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destruct(mach_task_self(), name, 0, 0xbeef));
	expect_gone(_metadata, name);
}

TEST(construct_strict_without_guard_is_context)
{
	mach_port_name_t name = construct(_metadata, MPO_STRICT, 0, 0x77);

	EXPECT_EQ(0U, status_of(_metadata, name).mps_flags);
	EXPECT_EQ(0x77ULL, context_of(_metadata, name));
}

TEST(construct_qlimit)
{
	mach_port_name_t a = construct(_metadata, MPO_QLIMIT, 10, 0);
	mach_port_name_t b = construct(_metadata, MPO_QLIMIT, MACH_PORT_QLIMIT_MAX, 0);
	mach_port_name_t c = construct(_metadata, MPO_QLIMIT, 0, 0);
	mach_port_name_t d = construct(_metadata, 0, 10, 0); /* no MPO_QLIMIT: ignored */

	EXPECT_EQ(10U, qlimit_of(_metadata, a));
	EXPECT_EQ(1024U, qlimit_of(_metadata, b));
	EXPECT_EQ(0U, qlimit_of(_metadata, c));
	EXPECT_EQ(5U, qlimit_of(_metadata, d));
}

TEST(construct_qlimit_too_big_invalid_value_no_port_left)
{
	mach_port_options_t opts = { .flags = MPO_QLIMIT,
				     .mpl = { .mpl_qlimit = MACH_PORT_QLIMIT_MAX + 1 } };
	mach_port_name_t name = MACH_PORT_NULL;
	mach_msg_type_number_t before = names_count(_metadata);

	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_construct(mach_task_self(), &opts, 0, &name));
	EXPECT_EQ(before, names_count(_metadata));

	/* Also when guarded with the context (the cleanup passes the guard). */
	opts.flags = MPO_QLIMIT | MPO_CONTEXT_AS_GUARD | MPO_STRICT | MPO_INSERT_SEND_RIGHT;
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_construct(mach_task_self(), &opts, 0x55, &name));
	EXPECT_EQ(before, names_count(_metadata));
}

TEST(construct_insert_send_right)
{
	mach_port_name_t name = construct(_metadata, MPO_INSERT_SEND_RIGHT, 0, 0);
	mach_port_status_t st = status_of(_metadata, name);

	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(name));
	EXPECT_EQ(1U, refs_of(name, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(1U, st.mps_srights);
	EXPECT_EQ(1U, st.mps_mscount);
}

TEST(construct_tempowner_flag)
{
	mach_port_name_t name = construct(_metadata, MPO_TEMPOWNER, 0, 0);
	natural_t flags = status_of(_metadata, name).mps_flags;

	EXPECT_EQ((natural_t)MACH_PORT_STATUS_FLAG_TEMPOWNER,
		  flags & MACH_PORT_STATUS_FLAG_TEMPOWNER);
	EXPECT_EQ((natural_t)MACH_PORT_STATUS_FLAG_IMP_DONATION,
		  flags & MACH_PORT_STATUS_FLAG_IMP_DONATION);
	EXPECT_EQ(0U, flags & MACH_PORT_STATUS_FLAG_GUARDED);
}

TEST(construct_importance_and_denap_receiver)
{
	mach_port_name_t a = construct(_metadata, MPO_IMPORTANCE_RECEIVER, 0, 0);
	mach_port_name_t b = construct(_metadata, MPO_DENAP_RECEIVER, 0, 0);

	EXPECT_EQ((natural_t)MACH_PORT_STATUS_FLAG_IMP_DONATION, status_of(_metadata, a).mps_flags);
	EXPECT_EQ((natural_t)MACH_PORT_STATUS_FLAG_IMP_DONATION, status_of(_metadata, b).mps_flags);
}

TEST(destruct_not_receive_invalid_right)
{
	mach_port_name_t s = new_port_set(_metadata);
	mach_port_name_t d = new_dead_name(_metadata, 1);

	EXPECT_FAILS_CLEANLY(KERN_INVALID_RIGHT, mach_port_destruct(mach_task_self(), s, 0, 0));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_RIGHT, mach_port_destruct(mach_task_self(), d, 0, 0));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_RIGHT,
			     mach_port_destruct(mach_task_self(), mach_task_self(), 0, 0));
}

TEST(destruct_null_or_unknown_invalid_name)
{
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_destruct(mach_task_self(), MACH_PORT_NULL, 0, 0));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_destruct(mach_task_self(), MACH_PORT_DEAD, 0, 0));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_destruct(mach_task_self(), FREE_NAME(0x80), 0, 0));
}

TEST(destruct_srdelta_without_send_invalid_right)
{
	mach_port_name_t r = new_receive(_metadata);

	EXPECT_FAILS_CLEANLY(KERN_INVALID_RIGHT, mach_port_destruct(mach_task_self(), r, -1, 0));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(r));
}

TEST(destruct_srdelta_positive_invalid_value)
{
	mach_port_name_t n = new_send_receive(_metadata, 1);

	EXPECT_FAILS_CLEANLY(KERN_INVALID_VALUE, mach_port_destruct(mach_task_self(), n, 1, 0));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(n));
}

TEST(destruct_srdelta_underflow_invalid_value)
{
	mach_port_name_t n = new_send_receive(_metadata, 2);

	EXPECT_FAILS_CLEANLY(KERN_INVALID_VALUE, mach_port_destruct(mach_task_self(), n, -3, 0));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(n));
	EXPECT_EQ(2U, refs_of(n, MACH_PORT_RIGHT_SEND));
}

TEST(destruct_guard_mismatch_invalid_argument)
{
	mach_port_name_t n = construct(_metadata, MPO_CONTEXT_AS_GUARD, 0, 0x1111);

	EXPECT_FAILS_CLEANLY(KERN_INVALID_ARGUMENT,
			     mach_port_destruct(mach_task_self(), n, 0, 0x2222));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_ARGUMENT, mach_port_destruct(mach_task_self(), n, 0, 0));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(n));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destruct(mach_task_self(), n, 0, 0x1111));
	expect_gone(_metadata, n);
}

TEST(destruct_removes_name)
{
	mach_port_name_t r = new_receive(_metadata);
	mach_port_name_t n = new_send_receive(_metadata, 2);

	EXPECT_EQ(KERN_SUCCESS, mach_port_destruct(mach_task_self(), r, 0, 0));
	expect_gone(_metadata, r);
	/* srdelta takes every send uref: nothing is left under the name. */
	EXPECT_EQ(KERN_SUCCESS, mach_port_destruct(mach_task_self(), n, -2, 0));
	expect_gone(_metadata, n);
}

TEST(destruct_leftover_send_urefs_become_dead_name)
{
	mach_port_name_t n = new_send_receive(_metadata, 3);

	EXPECT_EQ(KERN_SUCCESS, mach_port_destruct(mach_task_self(), n, -1, 0));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(n));
	EXPECT_EQ(2U, refs_of(n, MACH_PORT_RIGHT_DEAD_NAME));
}

/* ---- mach_port_destroy -------------------------------------------------- */

TEST(destroy_null_or_dead_success)
{
	mach_msg_type_number_t before = names_count(_metadata);

	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), MACH_PORT_NULL));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), MACH_PORT_DEAD));
	EXPECT_EQ(before, names_count(_metadata));
}

TEST(destroy_unknown_name_invalid_name)
{
	EXPECT_FAILS_CLEANLY(KERN_INVALID_NAME,
			     mach_port_destroy(mach_task_self(), FREE_NAME(0x90)));
}

TEST(destroy_removes_all_rights)
{
	mach_port_name_t n = new_send_receive(_metadata, 3);
	mach_port_name_t r = new_receive(_metadata);
	mach_port_name_t so = new_send_once(_metadata, r);
	mach_port_name_t s = new_port_set(_metadata);
	mach_port_name_t d = new_dead_name(_metadata, 5);
	mach_msg_type_number_t before = names_count(_metadata);

	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), n));
	expect_gone(_metadata, n);
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), so));
	expect_gone(_metadata, so);
	expect_send_once_notifications(_metadata, r, 1);
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), s));
	expect_gone(_metadata, s);
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), d));
	expect_gone(_metadata, d);
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), r));
	expect_gone(_metadata, r);
	EXPECT_EQ(before - 5, names_count(_metadata));
}

TEST(destroy_guarded_receive_invalid_right)
{
	mach_port_name_t n = new_receive(_metadata);
	mach_port_name_t strict = new_receive(_metadata);

	ASSERT_EQ(KERN_SUCCESS, mach_port_guard(mach_task_self(), n, 0x4242, FALSE));
	ASSERT_EQ(KERN_SUCCESS, mach_port_guard(mach_task_self(), strict, 0x4343, TRUE));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_RIGHT, mach_port_destroy(mach_task_self(), n));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_RIGHT, mach_port_destroy(mach_task_self(), strict));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(n));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(strict));
	/* Unguarded, it can be destroyed. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_unguard(mach_task_self(), n, 0x4242));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), n));
	expect_gone(_metadata, n);
}

/* ---- mach_port_deallocate ----------------------------------------------- */

TEST(deallocate_null_or_dead_success)
{
	mach_msg_type_number_t before = names_count(_metadata);

	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), MACH_PORT_NULL));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), MACH_PORT_DEAD));
	EXPECT_EQ(before, names_count(_metadata));
}

TEST(deallocate_unknown_name_invalid_name)
{
	EXPECT_FAILS_CLEANLY(KERN_INVALID_NAME,
			     mach_port_deallocate(mach_task_self(), FREE_NAME(0x91)));
}

TEST(deallocate_receive_only_invalid_right)
{
	mach_port_name_t r = new_receive(_metadata);

	EXPECT_FAILS_CLEANLY(KERN_INVALID_RIGHT, mach_port_deallocate(mach_task_self(), r));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(r));
}

/*
 * Since xnu-4570 (10.13), ipc_right_dealloc has a MACH_PORT_TYPE_PORT_SET
 * case that destroys the set; 10.11 refused with KERN_INVALID_RIGHT.
 * machipc accepts what later XNU accepts (docs/abi.md).
 */
TEST(deallocate_port_set_destroys_it)
{
	mach_port_name_t s = new_port_set(_metadata);

	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), s));
	expect_gone(_metadata, s);
}

TEST(deallocate_send_receive_last_uref_leaves_receive)
{
	mach_port_name_t n = new_send_receive(_metadata, 2);

	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), n));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(n));
	EXPECT_EQ(1U, refs_of(n, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), n));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(n));
	EXPECT_EQ(0U, refs_of(n, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(0U, status_of(_metadata, n).mps_srights);
	/* Only the receive right is left now. */
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_deallocate(mach_task_self(), n));
}

TEST(deallocate_dead_name_decrements_urefs)
{
	mach_port_name_t d = new_dead_name(_metadata, 3);

	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), d));
	EXPECT_EQ(2U, refs_of(d, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), d));
	EXPECT_EQ(1U, refs_of(d, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), d));
	expect_gone(_metadata, d);
}

TEST(deallocate_send_once_removes_it)
{
	mach_port_name_t r = new_receive(_metadata);
	mach_port_name_t so = new_send_once(_metadata, r);

	EXPECT_EQ(1U, status_of(_metadata, r).mps_sorights);
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), so));
	expect_gone(_metadata, so);
	expect_send_once_notifications(_metadata, r, 1);
}

static void check_dealloc_dead_send(struct __test_metadata *_metadata, mach_port_name_t name,
				    int urefs)
{
	/* The first call on the entry finds the port dead: a dead name, urefs kept. */
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), name));
	if (urefs == 1) {
		expect_gone(_metadata, name);
		return;
	}
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(name));
	EXPECT_EQ((mach_port_urefs_t)urefs - 1, refs_of(name,
							 MACH_PORT_RIGHT_DEAD_NAME));
}

TEST(deallocate_send_to_dead_port_last_uref_name_gone)
{
	with_dead_send_right(_metadata, 1, check_dealloc_dead_send);
}

TEST(deallocate_send_to_dead_port_reduces_dead_name)
{
	with_dead_send_right(_metadata, 3, check_dealloc_dead_send);
}

/* ---- send rights to a dead port ----------------------------------------- */

static void check_dead_send_shows_dead(struct __test_metadata *_metadata,
				       mach_port_name_t name, int urefs)
{
	struct names n;

	get_names(_metadata, &n);
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, listed_type(&n, name));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(name));
	EXPECT_EQ((mach_port_urefs_t)urefs, refs_of(name, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_EQ(0U, refs_of(name, MACH_PORT_RIGHT_SEND));
}

TEST(send_to_dead_port_is_dead_name_keeping_urefs)
{
	with_dead_send_right(_metadata, 3, check_dead_send_shows_dead);
}

static void check_extract_dead_send(struct __test_metadata *_metadata, mach_port_name_t name,
				    int urefs)
{
	mach_msg_type_name_t got = 0;
	mach_port_t poly = MACH_PORT_NULL;

	EXPECT_EQ(KERN_SUCCESS, mach_port_extract_right(mach_task_self(), name,
							MACH_MSG_TYPE_COPY_SEND, &poly, &got));
	EXPECT_EQ(MACH_PORT_DEAD, poly);
	EXPECT_EQ(PORT_SEND, got);
	EXPECT_EQ((mach_port_urefs_t)urefs, refs_of(name, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_EQ(KERN_SUCCESS, mach_port_extract_right(mach_task_self(), name,
							MACH_MSG_TYPE_MOVE_SEND, &poly, &got));
	EXPECT_EQ(MACH_PORT_DEAD, poly);
	EXPECT_EQ((mach_port_urefs_t)urefs - 1, refs_of(name,
							 MACH_PORT_RIGHT_DEAD_NAME));
}

TEST(extract_right_send_to_dead_port_gives_dead)
{
	with_dead_send_right(_metadata, 2, check_extract_dead_send);
}

/* ---- mach_port_get_refs ------------------------------------------------- */

TEST(get_refs_bad_right_invalid_value)
{
	mach_port_name_t r = new_receive(_metadata);
	mach_port_urefs_t refs = 77;

	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_get_refs(mach_task_self(), r,
							 MACH_PORT_RIGHT_NUMBER, &refs));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_get_refs(mach_task_self(), r, 100, &refs));
	EXPECT_EQ(KERN_INVALID_VALUE, mach_port_get_refs(mach_task_self(), MACH_PORT_NULL,
							 MACH_PORT_RIGHT_NUMBER, &refs));
	EXPECT_EQ(77U, refs);
}

TEST(get_refs_null_send_is_one)
{
	mach_port_urefs_t refs = 0;

	EXPECT_EQ(KERN_SUCCESS, mach_port_get_refs(mach_task_self(), MACH_PORT_NULL,
						   MACH_PORT_RIGHT_SEND, &refs));
	EXPECT_EQ(1U, refs);
	refs = 0;
	EXPECT_EQ(KERN_SUCCESS, mach_port_get_refs(mach_task_self(), MACH_PORT_NULL,
						   MACH_PORT_RIGHT_SEND_ONCE, &refs));
	EXPECT_EQ(1U, refs);
	refs = 0;
	EXPECT_EQ(KERN_SUCCESS, mach_port_get_refs(mach_task_self(), MACH_PORT_DEAD,
						   MACH_PORT_RIGHT_SEND, &refs));
	EXPECT_EQ(1U, refs);
}

TEST(get_refs_null_receive_invalid_name)
{
	mach_port_urefs_t refs;

	EXPECT_EQ(KERN_INVALID_NAME, mach_port_get_refs(mach_task_self(), MACH_PORT_NULL,
							MACH_PORT_RIGHT_RECEIVE, &refs));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_get_refs(mach_task_self(), MACH_PORT_NULL,
							MACH_PORT_RIGHT_PORT_SET, &refs));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_get_refs(mach_task_self(), MACH_PORT_DEAD,
							MACH_PORT_RIGHT_DEAD_NAME, &refs));
}

TEST(get_refs_unknown_name_invalid_name)
{
	mach_port_urefs_t refs;

	EXPECT_EQ(KERN_INVALID_NAME, mach_port_get_refs(mach_task_self(), FREE_NAME(0x92),
							MACH_PORT_RIGHT_SEND, &refs));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_get_refs(mach_task_self(), FREE_NAME(0x92),
							MACH_PORT_RIGHT_RECEIVE, &refs));
}

TEST(get_refs_right_not_held_is_zero)
{
	mach_port_name_t r = new_receive(_metadata);
	mach_port_name_t s = new_port_set(_metadata);
	mach_port_name_t d = new_dead_name(_metadata, 2);

	EXPECT_EQ(0U, refs_of(r, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(0U, refs_of(r, MACH_PORT_RIGHT_SEND_ONCE));
	EXPECT_EQ(0U, refs_of(r, MACH_PORT_RIGHT_PORT_SET));
	EXPECT_EQ(0U, refs_of(r, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_EQ(0U, refs_of(s, MACH_PORT_RIGHT_RECEIVE));
	EXPECT_EQ(0U, refs_of(s, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(0U, refs_of(d, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(0U, refs_of(d, MACH_PORT_RIGHT_RECEIVE));
	EXPECT_EQ(0U, refs_of(mach_task_self(), MACH_PORT_RIGHT_RECEIVE));
}

TEST(get_refs_receive_and_port_set_are_one)
{
	mach_port_name_t r = new_receive(_metadata);
	mach_port_name_t n = new_send_receive(_metadata, 4);
	mach_port_name_t s = new_port_set(_metadata);
	mach_port_name_t so = new_send_once(_metadata, r);

	EXPECT_EQ(1U, refs_of(r, MACH_PORT_RIGHT_RECEIVE));
	EXPECT_EQ(1U, refs_of(n, MACH_PORT_RIGHT_RECEIVE));
	EXPECT_EQ(1U, refs_of(s, MACH_PORT_RIGHT_PORT_SET));
	EXPECT_EQ(1U, refs_of(so, MACH_PORT_RIGHT_SEND_ONCE));
}

TEST(get_refs_send_and_dead_name_are_urefs)
{
	mach_port_name_t n = new_send_receive(_metadata, 4);
	mach_port_name_t d = new_dead_name(_metadata, 6);

	EXPECT_EQ(4U, refs_of(n, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(6U, refs_of(d, MACH_PORT_RIGHT_DEAD_NAME));
}

/* ---- mach_port_mod_refs ------------------------------------------------- */

/*
 * mach_port_mod_refs, table-driven: each case sets up to three names up,
 * then runs steps, each a call with its expected code or a check of a
 * name's type or urefs. A failing call given as CLEAN must also leave the
 * whole space unchanged (EXPECT_FAILS_CLEANLY).
 */

/* The names a case works on. */
enum mr_name {
	MR_A, MR_B, MR_C,	/* the case's names, made as its `make` says */
	MR_NULL,		/* MACH_PORT_NULL */
	MR_DEAD,		/* MACH_PORT_DEAD */
	MR_TASK,		/* our task port's name */
	MR_FREE,		/* a name that denotes nothing */
};

enum mr_make {
	MR_NONE,
	MR_RECEIVE,		/* a receive right */
	MR_SEND_RECEIVE,	/* a receive right with `urefs` send urefs */
	MR_PORT_SET,
	MR_DEAD_NAME,		/* a dead name with `urefs` urefs */
	MR_SEND_ONCE,		/* a send-once right to the previous name's port */
	MR_GUARDED,		/* a receive right guarded by context 0x600d */
	/* (first name only) a send right with `urefs` urefs to a port that
	 * died, not yet converted to a dead name: the case runs in a child
	 * process that holds it (with_dead_send_right) */
	MR_DEAD_SEND,
};

enum mr_step_kind {
	MR_END,
	MR_MOD,			/* mach_port_mod_refs(name, right, n) == kr */
	MR_MOD_CLEAN,		/* the same, a failure that changes nothing */
	MR_MOD_FATAL,		/* as MR_MOD; the case stops if it fails */
	MR_INSERT_COPY_SEND,	/* mach_port_insert_right(name, name, COPY_SEND) must succeed */
	MR_TYPE,		/* type_of(name) == n (GONE: it denotes nothing) */
	MR_REFS,		/* refs_of(name, right) == n */
	MR_REFS_FATAL,		/* as MR_REFS; the case stops if it fails */
	MR_SO_NOTIFS,		/* n send-once notifications queued on name, as the last rights */
	MR_KOBJECT,		/* mach_port_kernel_object(name) == kr */
};

struct mr_step {
	enum mr_step_kind kind;
	enum mr_name name;
	mach_port_right_t right;
	long long n;
	kern_return_t kr;
};

#define MR_STEPS_MAX 8

FIXTURE(mod_refs) {
	mach_port_name_t names[3];
};

FIXTURE_VARIANT(mod_refs) {
	struct {
		enum mr_make make;
		int urefs;
	} make[3];
	struct mr_step steps[MR_STEPS_MAX];
};

FIXTURE_SETUP(mod_refs)
{
	int i;

	for (i = 0; i < 3; i++) {
		int urefs = variant->make[i].urefs;

		switch (variant->make[i].make) {
		case MR_NONE:
			self->names[i] = MACH_PORT_NULL;
			break;
		case MR_RECEIVE:
			self->names[i] = new_receive(_metadata);
			break;
		case MR_SEND_RECEIVE:
			self->names[i] = new_send_receive(_metadata, urefs);
			break;
		case MR_PORT_SET:
			self->names[i] = new_port_set(_metadata);
			break;
		case MR_DEAD_NAME:
			self->names[i] = new_dead_name(_metadata, urefs);
			break;
		case MR_SEND_ONCE:
			ASSERT_LT(0, i);
			self->names[i] = new_send_once(_metadata, self->names[i - 1]);
			break;
		case MR_GUARDED:
			self->names[i] = construct(_metadata, MPO_CONTEXT_AS_GUARD, 0, 0x600d);
			break;
		case MR_DEAD_SEND:
			ASSERT_EQ(0, i);
			self->names[i] = MACH_PORT_NULL; /* made in the child */
			break;
		}
	}
}

FIXTURE_TEARDOWN(mod_refs)
{
}

static mach_port_name_t mr_name_of(const mach_port_name_t *names, enum mr_name n)
{
	switch (n) {
	case MR_A:
	case MR_B:
	case MR_C:
		return names[n];
	case MR_NULL:
		return MACH_PORT_NULL;
	case MR_DEAD:
		return MACH_PORT_DEAD;
	case MR_TASK:
		return mach_task_self();
	case MR_FREE:
		break;
	}
	return FREE_NAME(0x93);
}

/* Runs a case's steps on its names. */
static void mr_run(struct __test_metadata *_metadata, const mach_port_name_t *names,
		   const struct mr_step *steps)
{
	const struct mr_step *st;

	for (st = steps; st < steps + MR_STEPS_MAX && st->kind != MR_END; st++) {
		mach_port_name_t name = mr_name_of(names, st->name);
		unsigned kotype = 99, koaddr = 99;

		snprintf(fails_ctx, sizeof(fails_ctx), "(step %d)", (int)(st - steps) + 1);
		switch (st->kind) {
		case MR_END:
			break;
		case MR_MOD:
			EXPECT_EQ(st->kr, mach_port_mod_refs(mach_task_self(), name, st->right,
							     (mach_port_delta_t)st->n))
				TH_LOG("%s", fails_ctx);
			break;
		case MR_MOD_CLEAN:
			EXPECT_FAILS_CLEANLY(st->kr, mach_port_mod_refs(mach_task_self(), name,
									st->right,
									(mach_port_delta_t)st->n));
			break;
		case MR_MOD_FATAL:
			ASSERT_EQ(st->kr, mach_port_mod_refs(mach_task_self(), name, st->right,
							     (mach_port_delta_t)st->n))
				TH_LOG("%s", fails_ctx);
			break;
		case MR_INSERT_COPY_SEND:
			ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), name, name,
								       MACH_MSG_TYPE_COPY_SEND))
				TH_LOG("%s", fails_ctx);
			break;
		case MR_TYPE:
			EXPECT_EQ((mach_port_type_t)st->n, type_of(name)) TH_LOG("%s", fails_ctx);
			break;
		case MR_REFS:
			EXPECT_EQ((mach_port_urefs_t)st->n, refs_of(name, st->right))
				TH_LOG("%s", fails_ctx);
			break;
		case MR_REFS_FATAL:
			ASSERT_EQ((mach_port_urefs_t)st->n, refs_of(name, st->right))
				TH_LOG("%s", fails_ctx);
			break;
		case MR_SO_NOTIFS:
			expect_send_once_notifications(_metadata, name, (int)st->n);
			break;
		case MR_KOBJECT:
			EXPECT_EQ(st->kr, mach_port_kernel_object(mach_task_self(), name, &kotype,
								  &koaddr))
				TH_LOG("%s", fails_ctx);
			break;
		}
	}
}

/* The case a child runs (MR_DEAD_SEND); set before the fork. */
static const struct mr_step *mr_child_steps;

static void mr_run_dead_send(struct __test_metadata *_metadata, mach_port_name_t name, int urefs)
{
	mach_port_name_t names[3] = { name, MACH_PORT_NULL, MACH_PORT_NULL };

	(void)urefs;
	mr_run(_metadata, names, mr_child_steps);
}

TEST_F(mod_refs, as_xnu)
{
	if (variant->make[0].make == MR_DEAD_SEND) {
		mr_child_steps = variant->steps;
		with_dead_send_right(_metadata, variant->make[0].urefs, mr_run_dead_send);
		return;
	}
	mr_run(_metadata, self->names, variant->steps);
}

#define R_SEND MACH_PORT_RIGHT_SEND
#define R_RECEIVE MACH_PORT_RIGHT_RECEIVE
#define R_SO MACH_PORT_RIGHT_SEND_ONCE
#define R_SET MACH_PORT_RIGHT_PORT_SET
#define R_DEAD MACH_PORT_RIGHT_DEAD_NAME
#define MOD(name, right, delta, kr) { MR_MOD, name, right, delta, kr }
#define CLEAN(name, right, delta, kr) { MR_MOD_CLEAN, name, right, delta, kr }
#define FATAL(name, right, delta, kr) { MR_MOD_FATAL, name, right, delta, kr }
#define TYPE(name, type) { MR_TYPE, name, 0, type, 0 }
#define REFS(name, right, refs) { MR_REFS, name, right, refs, 0 }

FIXTURE_VARIANT_ADD(mod_refs, bad_right_invalid_value) {
	.make = { { MR_SEND_RECEIVE, 1 } },
	.steps = {
		CLEAN(MR_A, MACH_PORT_RIGHT_NUMBER, 1, KERN_INVALID_VALUE),
		CLEAN(MR_A, 1000, -1, KERN_INVALID_VALUE),
	},
};

/* MACH_PORT_NULL and MACH_PORT_DEAD hold any number of send (once) urefs. */
FIXTURE_VARIANT_ADD(mod_refs, invalid_name_send_success) {
	.steps = {
		MOD(MR_NULL, R_SEND, 1, KERN_SUCCESS),
		MOD(MR_DEAD, R_SEND, -1, KERN_SUCCESS),
		MOD(MR_NULL, R_SO, -1, KERN_SUCCESS),
	},
};

FIXTURE_VARIANT_ADD(mod_refs, invalid_name_receive_invalid_name) {
	.steps = {
		MOD(MR_NULL, R_RECEIVE, -1, KERN_INVALID_NAME),
		MOD(MR_DEAD, R_SET, -1, KERN_INVALID_NAME),
		MOD(MR_NULL, R_DEAD, 1, KERN_INVALID_NAME),
	},
};

FIXTURE_VARIANT_ADD(mod_refs, unknown_name_invalid_name) {
	.steps = { CLEAN(MR_FREE, R_SEND, 1, KERN_INVALID_NAME) },
};

FIXTURE_VARIANT_ADD(mod_refs, name_lacking_right_invalid_right) {
	.make = { { MR_RECEIVE }, { MR_PORT_SET }, { MR_DEAD_NAME, 1 } },
	.steps = {
		CLEAN(MR_A, R_SEND, 1, KERN_INVALID_RIGHT),
		CLEAN(MR_A, R_SO, 0, KERN_INVALID_RIGHT),
		CLEAN(MR_A, R_SET, 0, KERN_INVALID_RIGHT),
		CLEAN(MR_A, R_DEAD, 1, KERN_INVALID_RIGHT),
		CLEAN(MR_B, R_RECEIVE, -1, KERN_INVALID_RIGHT),
		CLEAN(MR_C, R_SEND, -1, KERN_INVALID_RIGHT),
		CLEAN(MR_TASK, R_RECEIVE, -1, KERN_INVALID_RIGHT),
	},
};

/* A port set counts one reference: 0 is a no-op, -1 destroys it. */
FIXTURE_VARIANT_ADD(mod_refs, port_set) {
	.make = { { MR_PORT_SET } },
	.steps = {
		MOD(MR_A, R_SET, 0, KERN_SUCCESS),
		TYPE(MR_A, MACH_PORT_TYPE_PORT_SET),
		CLEAN(MR_A, R_SET, 1, KERN_INVALID_VALUE),
		CLEAN(MR_A, R_SET, -2, KERN_INVALID_VALUE),
		MOD(MR_A, R_SET, -1, KERN_SUCCESS),
		TYPE(MR_A, GONE),
	},
};

FIXTURE_VARIANT_ADD(mod_refs, receive) {
	.make = { { MR_RECEIVE } },
	.steps = {
		MOD(MR_A, R_RECEIVE, 0, KERN_SUCCESS),
		TYPE(MR_A, MACH_PORT_TYPE_RECEIVE),
		CLEAN(MR_A, R_RECEIVE, 1, KERN_INVALID_VALUE),
		CLEAN(MR_A, R_RECEIVE, -2, KERN_INVALID_VALUE),
		MOD(MR_A, R_RECEIVE, -1, KERN_SUCCESS),
		TYPE(MR_A, GONE),
	},
};

FIXTURE_VARIANT_ADD(mod_refs, receive_guarded_invalid_right) {
	.make = { { MR_GUARDED } },
	.steps = {
		CLEAN(MR_A, R_RECEIVE, -1, KERN_INVALID_RIGHT),
		TYPE(MR_A, MACH_PORT_TYPE_RECEIVE),
		/* Adding nothing is still fine. */
		MOD(MR_A, R_RECEIVE, 0, KERN_SUCCESS),
	},
};

FIXTURE_VARIANT_ADD(mod_refs, receive_destroyed_send_urefs_become_dead_name) {
	.make = { { MR_SEND_RECEIVE, 3 } },
	.steps = {
		MOD(MR_A, R_RECEIVE, -1, KERN_SUCCESS),
		TYPE(MR_A, MACH_PORT_TYPE_DEAD_NAME),
		REFS(MR_A, R_DEAD, 3),
		REFS(MR_A, R_SEND, 0),
		REFS(MR_A, R_RECEIVE, 0),
	},
};

FIXTURE_VARIANT_ADD(mod_refs, send_underflow_invalid_value) {
	.make = { { MR_SEND_RECEIVE, 1 } },
	.steps = {
		CLEAN(MR_A, R_SEND, -2, KERN_INVALID_VALUE),
		CLEAN(MR_A, R_SEND, -100000, KERN_INVALID_VALUE),
		REFS(MR_A, R_SEND, 1),
		/* -1 takes the last uref: the receive right stays. */
		MOD(MR_A, R_SEND, -1, KERN_SUCCESS),
		TYPE(MR_A, MACH_PORT_TYPE_RECEIVE),
	},
};

FIXTURE_VARIANT_ADD(mod_refs, send_overflow_urefs_overflow) {
	.make = { { MR_SEND_RECEIVE, 1 } },
	.steps = {
		CLEAN(MR_A, R_SEND, 65534, KERN_UREFS_OVERFLOW),
		REFS(MR_A, R_SEND, 1),
	},
};

/* Maximum urefs: 65534 for a send right, 65535 for a dead name. */
FIXTURE_VARIANT_ADD(mod_refs, send_max_65534_urefs) {
	.make = { { MR_SEND_RECEIVE, 1 } },
	.steps = {
		FATAL(MR_A, R_SEND, 65533, KERN_SUCCESS),
		REFS(MR_A, R_SEND, SEND_UREFS_MAX),
		CLEAN(MR_A, R_SEND, 1, KERN_UREFS_OVERFLOW),
		REFS(MR_A, R_SEND, SEND_UREFS_MAX),
	},
};

/* 65533 by mod_refs, the last one through insert_right. */
FIXTURE_VARIANT_ADD(mod_refs, send_at_65534_plus_one_overflow) {
	.make = { { MR_SEND_RECEIVE, 1 } },
	.steps = {
		FATAL(MR_A, R_SEND, 65532, KERN_SUCCESS),
		{ MR_INSERT_COPY_SEND, MR_A, 0, 0, 0 },
		{ MR_REFS_FATAL, MR_A, R_SEND, SEND_UREFS_MAX, 0 },
		CLEAN(MR_A, R_SEND, 1, KERN_UREFS_OVERFLOW),
		MOD(MR_A, R_SEND, -65533, KERN_SUCCESS),
		REFS(MR_A, R_SEND, 1),
	},
};

/* A send-once right destroyed by -1 sends its send-once notification. */
FIXTURE_VARIANT_ADD(mod_refs, send_once) {
	.make = { { MR_RECEIVE }, { MR_SEND_ONCE } },
	.steps = {
		MOD(MR_B, R_SO, 0, KERN_SUCCESS),
		CLEAN(MR_B, R_SO, 1, KERN_INVALID_VALUE),
		CLEAN(MR_B, R_SO, -2, KERN_INVALID_VALUE),
		TYPE(MR_B, MACH_PORT_TYPE_SEND_ONCE),
		MOD(MR_B, R_SO, -1, KERN_SUCCESS),
		TYPE(MR_B, GONE),
		{ MR_SO_NOTIFS, MR_A, 0, 1, 0 },
	},
};

FIXTURE_VARIANT_ADD(mod_refs, dead_name_on_live_send_invalid_right) {
	.make = { { MR_SEND_RECEIVE, 2 }, { MR_RECEIVE }, { MR_SEND_ONCE } },
	.steps = {
		CLEAN(MR_A, R_DEAD, 1, KERN_INVALID_RIGHT),
		CLEAN(MR_A, R_DEAD, -1, KERN_INVALID_RIGHT),
		CLEAN(MR_TASK, R_DEAD, -1, KERN_INVALID_RIGHT),
		CLEAN(MR_C, R_DEAD, -1, KERN_INVALID_RIGHT),
	},
};

FIXTURE_VARIANT_ADD(mod_refs, dead_name_underflow_invalid_value) {
	.make = { { MR_DEAD_NAME, 2 } },
	.steps = {
		CLEAN(MR_A, R_DEAD, -3, KERN_INVALID_VALUE),
		REFS(MR_A, R_DEAD, 2),
		MOD(MR_A, R_DEAD, 0, KERN_SUCCESS),
		MOD(MR_A, R_DEAD, -2, KERN_SUCCESS),
		TYPE(MR_A, GONE),
	},
};

FIXTURE_VARIANT_ADD(mod_refs, dead_name_overflow_past_65535) {
	.make = { { MR_DEAD_NAME, 1 } },
	.steps = {
		CLEAN(MR_A, R_DEAD, 65535, KERN_UREFS_OVERFLOW),
		REFS(MR_A, R_DEAD, 1),
	},
};

FIXTURE_VARIANT_ADD(mod_refs, dead_name_max_65535_urefs) {
	.make = { { MR_DEAD_NAME, 1 } },
	.steps = {
		FATAL(MR_A, R_DEAD, 65534, KERN_SUCCESS),
		REFS(MR_A, R_DEAD, MACH_PORT_UREFS_MAX),
		CLEAN(MR_A, R_DEAD, 1, KERN_UREFS_OVERFLOW),
		REFS(MR_A, R_DEAD, MACH_PORT_UREFS_MAX),
	},
};

/* A send right to a dead port: the first call on it finds the port dead
 * and converts the entry to a dead name with the same urefs. */
FIXTURE_VARIANT_ADD(mod_refs, send_on_dead_port_invalid_right) {
	.make = { { MR_DEAD_SEND, 2 } },
	.steps = {
		MOD(MR_A, R_SEND, 1, KERN_INVALID_RIGHT),
		MOD(MR_A, R_SEND, -1, KERN_INVALID_RIGHT),
		{ MR_KOBJECT, MR_A, 0, 0, KERN_INVALID_RIGHT },
		/* The name is now a dead name with the same urefs. */
		TYPE(MR_A, MACH_PORT_TYPE_DEAD_NAME),
		MOD(MR_A, R_DEAD, -2, KERN_SUCCESS),
		TYPE(MR_A, GONE),
	},
};

FIXTURE_VARIANT_ADD(mod_refs, dead_name_on_dead_port_send_right_converts) {
	.make = { { MR_DEAD_SEND, 3 } },
	.steps = {
		MOD(MR_A, R_DEAD, -1, KERN_SUCCESS),
		TYPE(MR_A, MACH_PORT_TYPE_DEAD_NAME),
		REFS(MR_A, R_DEAD, 2),
	},
};

#undef MOD
#undef CLEAN
#undef FATAL
#undef TYPE
#undef REFS

/* ---- mach_port_type / rename / names ------------------------------------ */

TEST(type_null_invalid_name)
{
	mach_port_type_t type = 0x1234;

	EXPECT_EQ(KERN_INVALID_NAME, mach_port_type(mach_task_self(), MACH_PORT_NULL, &type));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_type(mach_task_self(), FREE_NAME(0x94), &type));
	EXPECT_EQ(0x1234U, type);
}

TEST(type_dead_is_dead_name)
{
	mach_port_type_t type = 0;

	EXPECT_EQ(KERN_SUCCESS, mach_port_type(mach_task_self(), MACH_PORT_DEAD, &type));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type);
}

TEST(type_of_each_right)
{
	mach_port_name_t r = new_receive(_metadata);
	mach_port_name_t n = new_send_receive(_metadata, 2);
	mach_port_name_t so = new_send_once(_metadata, r);

	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_of(mach_task_self()));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(r));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(n));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_of(so));
}

TEST(rename_not_supported)
{
	mach_port_name_t r = new_receive(_metadata);

	EXPECT_FAILS_CLEANLY(KERN_NOT_SUPPORTED,
			     mach_port_rename(mach_task_self(), r, FREE_NAME(0x95)));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(r));
	expect_gone(_metadata, FREE_NAME(0x95));
}

TEST(names_lists_every_name_with_its_type)
{
	struct names base, before, after;
	mach_port_name_t r, n, s, d, so;

	get_names(_metadata, &base);
	EXPECT_EQ(MACH_PORT_TYPE_SEND, listed_type(&base, mach_task_self()));
	r = new_receive(_metadata);
	n = new_send_receive(_metadata, 2);
	s = new_port_set(_metadata);
	d = new_dead_name(_metadata, 1);
	so = new_send_once(_metadata, r);

	get_names(_metadata, &before);
	EXPECT_EQ(base.count + 5, before.count);
	EXPECT_EQ(MACH_PORT_TYPE_SEND, listed_type(&before, mach_task_self()));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, listed_type(&before, r));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, listed_type(&before, n));
	EXPECT_EQ(MACH_PORT_TYPE_PORT_SET, listed_type(&before, s));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, listed_type(&before, d));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, listed_type(&before, so));

	/* Deallocations show. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), d));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), so));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), n,
						   MACH_PORT_RIGHT_SEND, -2));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), s,
						   MACH_PORT_RIGHT_PORT_SET, -1));
	get_names(_metadata, &after);
	EXPECT_EQ(base.count + 2, after.count);
	EXPECT_EQ(MACH_PORT_TYPE_SEND, listed_type(&after, mach_task_self()));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, listed_type(&after, r));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, listed_type(&after, n));
	EXPECT_EQ(0U, listed_type(&after, s));
	EXPECT_EQ(0U, listed_type(&after, d));
	EXPECT_EQ(0U, listed_type(&after, so));
}

TEST(names_and_space_info_agree)
{
	mach_port_name_t r = new_receive(_metadata);
	mach_port_name_t n = new_send_receive(_metadata, 3);
	mach_port_name_t d = new_dead_name(_metadata, 4);
	mach_port_name_t so = new_send_once(_metadata, r);
	mach_port_name_t s = new_port_set(_metadata);
	const ipc_info_name_t *e, *eso;
	struct snapshot snap;
	struct names names;
	mach_msg_type_number_t i;

	get_names(_metadata, &names);
	take_snapshot(_metadata, &snap);
	ASSERT_EQ(names.count, snap.count);
	for (i = 0; i < names.count; i++) {
		e = snapshot_find(&snap, names.name[i]);
		ASSERT_NE(NULL, e);
		EXPECT_EQ(names.type[i], e->iin_type);
	}
	e = snapshot_find(&snap, n);
	ASSERT_NE(NULL, e);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, e->iin_type);
	EXPECT_EQ(3U, e->iin_urefs);
	e = snapshot_find(&snap, d);
	ASSERT_NE(NULL, e);
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, e->iin_type);
	EXPECT_EQ(4U, e->iin_urefs);
	e = snapshot_find(&snap, s);
	ASSERT_NE(NULL, e);
	EXPECT_EQ(MACH_PORT_TYPE_PORT_SET, e->iin_type);
	EXPECT_EQ(0U, e->iin_urefs);
	/* The receive right and the send-once right to it: the same port. */
	e = snapshot_find(&snap, r);
	eso = snapshot_find(&snap, so);
	ASSERT_NE(NULL, e);
	ASSERT_NE(NULL, eso);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, e->iin_type);
	EXPECT_EQ(0U, e->iin_urefs);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, eso->iin_type);
	EXPECT_EQ(1U, eso->iin_urefs);
	EXPECT_NE(0U, e->iin_object);
	EXPECT_EQ(e->iin_object, eso->iin_object);
	/* Other ports are other objects. */
	EXPECT_NE(e->iin_object, snapshot_find(&snap, n)->iin_object);
	EXPECT_NE(e->iin_object, snapshot_find(&snap, mach_task_self())->iin_object);
}

/* ---- names: format, reuse, limits ---------------------------------------- */

TEST(new_names_generation_3_index_increasing)
{
	mach_port_name_t a = new_receive(_metadata);
	mach_port_name_t b = new_port_set(_metadata);
	mach_port_name_t c = new_dead_name(_metadata, 1);

	EXPECT_EQ(3U, mach_task_self() & 0xff);
	EXPECT_EQ(3U, a & 0xff);
	EXPECT_EQ(3U, b & 0xff);
	EXPECT_EQ(3U, c & 0xff);
	EXPECT_NE(0U, MACH_PORT_INDEX(a));
	EXPECT_LT(MACH_PORT_INDEX(a), MACH_PORT_INDEX(b));
	EXPECT_LT(MACH_PORT_INDEX(b), MACH_PORT_INDEX(c));
}

TEST(destroy_then_reuse_index_old_name_invalid)
{
	mach_port_name_t a = new_send_receive(_metadata, 1);
	mach_port_name_t b;
	mach_port_urefs_t refs;

	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), a));
	b = new_receive(_metadata);
	/* The slot is reused under a new generation. */
	EXPECT_EQ(MACH_PORT_INDEX(a), MACH_PORT_INDEX(b));
	EXPECT_NE(a, b);
	EXPECT_NE(a & 0xff, b & 0xff);
	/* The stale name finds nothing... */
	expect_gone(_metadata, a);
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_get_refs(mach_task_self(), a,
							MACH_PORT_RIGHT_RECEIVE, &refs));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_mod_refs(mach_task_self(), a,
							MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_deallocate(mach_task_self(), a));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_destroy(mach_task_self(), a));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_destruct(mach_task_self(), a, 0, 0));
	/*
	 * ipc_entry_alloc_name: a slot in use under another generation is a
	 * collision, KERN_FAILURE ("Collisions are not allowed").
	 */
	EXPECT_EQ(KERN_FAILURE, mach_port_allocate_name(mach_task_self(),
							MACH_PORT_RIGHT_RECEIVE, a));
	/* ...while the new one works. */
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(b));
	EXPECT_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), b, b,
						       MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(b));
}

/* Filling a space takes a while on a slow (emulated, debug) kernel. */
FIXTURE(full_space) {
	int unused;
};

FIXTURE_SETUP(full_space)
{
}

FIXTURE_TEARDOWN(full_space)
{
}

TEST_F_TIMEOUT(full_space, space_entry_limit_no_space, 180)
{
	const unsigned int tries = 100000;
	mach_port_name_t *names = calloc(tries, sizeof(*names));
	mach_msg_type_number_t before = names_count(_metadata);
	mach_port_name_t extra = MACH_PORT_NULL, none;
	kern_return_t kr = KERN_SUCCESS;
	unsigned int n, i;

	/* Filled with dead names, the cheapest entries; the limit is on names. */
	ASSERT_NE(NULL, names);
	for (n = 0; n < tries; n++) {
		kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_DEAD_NAME, &names[n]);
		if (kr != KERN_SUCCESS)
			break;
	}
	EXPECT_EQ(KERN_NO_SPACE, kr);
	/* The default limit: 65536 names (slot 0 may be reserved). */
	EXPECT_GE(65536U, before + n);
	EXPECT_LE(65535U, before + n);
	/* Full is full for every kind of right. */
	EXPECT_EQ(KERN_NO_SPACE, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
						    &none));
	EXPECT_EQ(KERN_NO_SPACE, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET,
						    &none));
	EXPECT_EQ(KERN_NO_SPACE, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_DEAD_NAME,
						    &none));
	/* One freed name makes room for one more. */
	ASSERT_LT(0U, n);
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), names[--n]));
	EXPECT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
						   &extra));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(extra));
	EXPECT_EQ(KERN_NO_SPACE, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
						    &none));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), extra));
	for (i = 0; i < n; i++) {
		ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), names[i]));
	}
	free(names);
	EXPECT_EQ(before, names_count(_metadata));
}

/* ---- mach_port_insert_right --------------------------------------------- */

TEST(insert_right_make_send_twice_urefs_2)
{
	mach_port_name_t n = new_receive(_metadata);

	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), n, n,
						       MACH_MSG_TYPE_MAKE_SEND));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), n, n,
						       MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(n));
	EXPECT_EQ(2U, refs_of(n, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(2U, status_of(_metadata, n).mps_mscount);
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), n));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), n));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(n));
	EXPECT_EQ(0U, status_of(_metadata, n).mps_srights);
}

TEST(insert_right_copy_send_adds_uref)
{
	mach_port_name_t n = new_send_receive(_metadata, 1);

	EXPECT_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), n, n,
						       MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(2U, refs_of(n, MACH_PORT_RIGHT_SEND));
	/* MOVE_SEND into the same name: one uref out, one in. */
	EXPECT_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), n, n,
						       MACH_MSG_TYPE_MOVE_SEND));
	EXPECT_EQ(2U, refs_of(n, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(1U, status_of(_metadata, n).mps_mscount);
}

TEST(insert_right_same_port_second_name_right_exists)
{
	mach_port_name_t n = new_receive(_metadata);
	mach_port_name_t m = FREE_NAME(0xa0);

	EXPECT_FAILS_CLEANLY(KERN_RIGHT_EXISTS,
			     mach_port_insert_right(mach_task_self(), m, n,
						    MACH_MSG_TYPE_MAKE_SEND));
	expect_gone(_metadata, m);
	EXPECT_EQ(0U, status_of(_metadata, n).mps_srights);
	/* With a send right already there, COPY_SEND elsewhere too. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), n, n,
						       MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_FAILS_CLEANLY(KERN_RIGHT_EXISTS,
			     mach_port_insert_right(mach_task_self(), m, n,
						    MACH_MSG_TYPE_COPY_SEND));
	expect_gone(_metadata, m);
	EXPECT_EQ(1U, refs_of(n, MACH_PORT_RIGHT_SEND));
}

TEST(insert_right_name_holding_other_right_name_exists)
{
	mach_port_name_t n = new_receive(_metadata);
	mach_port_name_t s = new_port_set(_metadata);
	mach_port_name_t d = new_dead_name(_metadata, 1);

	/* Send-once rights have no reverse entry: the name alone decides. */
	EXPECT_FAILS_CLEANLY(KERN_NAME_EXISTS,
			     mach_port_insert_right(mach_task_self(), s, n,
						    MACH_MSG_TYPE_MAKE_SEND_ONCE));
	EXPECT_FAILS_CLEANLY(KERN_NAME_EXISTS,
			     mach_port_insert_right(mach_task_self(), d, n,
						    MACH_MSG_TYPE_MAKE_SEND_ONCE));
	EXPECT_EQ(MACH_PORT_TYPE_PORT_SET, type_of(s));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(d));
	/* The two send-once rights copied in were destroyed (as in XNU). */
	expect_send_once_notifications(_metadata, n, 2);
}

/*
 * On the caller's own task, libsyscall's mach_port_insert_right is the
 * _kernelrpc_mach_port_insert_right_trap, which copies the right in with
 * ipc_object_copyin first: MACH_PORT_NULL and MACH_PORT_DEAD name no entry,
 * KERN_INVALID_NAME. (Through MIG, on another task, they pass as IP_NULL /
 * IP_DEAD and give KERN_INVALID_CAPABILITY: machipc_tasks tests that.)
 */
TEST(insert_right_null_or_dead_poly_trap_invalid_name)
{
	mach_port_name_t m = FREE_NAME(0xa1);

	EXPECT_FAILS_CLEANLY(KERN_INVALID_NAME,
			     mach_port_insert_right(mach_task_self(), m, MACH_PORT_NULL,
						    MACH_MSG_TYPE_COPY_SEND));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_NAME,
			     mach_port_insert_right(mach_task_self(), m, MACH_PORT_DEAD,
						    MACH_MSG_TYPE_COPY_SEND));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_NAME,
			     mach_port_insert_right(mach_task_self(), m, MACH_PORT_NULL,
						    MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_NAME,
			     mach_port_insert_right(mach_task_self(), m, MACH_PORT_DEAD,
						    MACH_MSG_TYPE_MOVE_SEND_ONCE));
	expect_gone(_metadata, m);
}

TEST(insert_right_null_name_invalid_value)
{
	mach_port_name_t n = new_receive(_metadata);

	EXPECT_FAILS_CLEANLY(KERN_INVALID_VALUE,
			     mach_port_insert_right(mach_task_self(), MACH_PORT_NULL, n,
						    MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_VALUE,
			     mach_port_insert_right(mach_task_self(), MACH_PORT_DEAD, n,
						    MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(0U, status_of(_metadata, n).mps_srights);
}

/*
 * The trap copies the right in before mach_port_insert_right checks the
 * disposition: ipc_right_copyin's `default:` is invalid_right, so a value
 * that is no disposition gives KERN_INVALID_RIGHT.
 */
TEST(insert_right_bad_disposition_trap_invalid_right)
{
	mach_port_name_t n = new_send_receive(_metadata, 1);

	EXPECT_FAILS_CLEANLY(KERN_INVALID_RIGHT,
			     mach_port_insert_right(mach_task_self(), n, n,
						    MACH_MSG_TYPE_PORT_NAME));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_RIGHT,
			     mach_port_insert_right(mach_task_self(), n, n, 22));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_RIGHT,
			     mach_port_insert_right(mach_task_self(), n, n, 0));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_RIGHT,
			     mach_port_insert_right(mach_task_self(), n, n, 1000));
	EXPECT_EQ(1U, refs_of(n, MACH_PORT_RIGHT_SEND));
}

/*
 * Trap codes (ipc_object_copyin): no such name KERN_INVALID_NAME, a name
 * without the right the disposition needs KERN_INVALID_RIGHT -- e.g.
 * mach_port_insert_right(task, pset, pset, MAKE_SEND).
 */
TEST(insert_right_poly_not_a_right_trap_codes)
{
	mach_port_name_t r = new_receive(_metadata);
	mach_port_name_t s = new_port_set(_metadata);
	mach_port_name_t m = FREE_NAME(0xa2);

	EXPECT_FAILS_CLEANLY(KERN_INVALID_NAME,
			     mach_port_insert_right(mach_task_self(), m, FREE_NAME(0xa3),
						    MACH_MSG_TYPE_COPY_SEND));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_RIGHT,
			     mach_port_insert_right(mach_task_self(), m, r,
						    MACH_MSG_TYPE_COPY_SEND));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_RIGHT,
			     mach_port_insert_right(mach_task_self(), m, s,
						    MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_RIGHT,
			     mach_port_insert_right(mach_task_self(), s, s,
						    MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_RIGHT,
			     mach_port_insert_right(mach_task_self(), m, mach_task_self(),
						    MACH_MSG_TYPE_MOVE_SEND_ONCE));
	expect_gone(_metadata, m);
}

/*
 * ipc_object_copyout_name takes the name first (ipc_entry_alloc_name):
 * index 0 is reserved, KERN_FAILURE, before the reverse map is looked at.
 */
TEST(insert_right_index_zero_name_failure)
{
	mach_port_name_t n = new_send_receive(_metadata, 1);

	EXPECT_FAILS_CLEANLY(KERN_FAILURE,
			     mach_port_insert_right(mach_task_self(), 0x7b, n,
						    MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(1U, refs_of(n, MACH_PORT_RIGHT_SEND));
}

/*
 * A send-once right skips the reverse-map check, so a name in use gives
 * KERN_NAME_EXISTS, even the port's own receive right's name.
 */
TEST(insert_right_send_once_name_in_use_name_exists)
{
	mach_port_name_t n = new_receive(_metadata);
	mach_port_name_t other = new_receive(_metadata);

	EXPECT_EQ(KERN_NAME_EXISTS, mach_port_insert_right(mach_task_self(), n, n,
							   MACH_MSG_TYPE_MAKE_SEND_ONCE));
	EXPECT_EQ(KERN_NAME_EXISTS, mach_port_insert_right(mach_task_self(), other, n,
							   MACH_MSG_TYPE_MAKE_SEND_ONCE));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(n));
	/*
	 * Each refused right is destroyed (as xnu-4570's trap does; 10.11
	 * leaked it): a send-once right destroyed unused sends the
	 * send-once notification, here to n itself, which carries it.
	 */
	EXPECT_EQ(2U, status_of(_metadata, n).mps_msgcount);
	EXPECT_EQ(2U, status_of(_metadata, n).mps_sorights);
}

TEST(insert_right_make_send_once_under_name)
{
	mach_port_name_t n = new_receive(_metadata);
	mach_port_name_t m = FREE_NAME(0xa4);

	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), m, n,
						       MACH_MSG_TYPE_MAKE_SEND_ONCE));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_of(m));
	EXPECT_EQ(1U, refs_of(m, MACH_PORT_RIGHT_SEND_ONCE));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(n));
	EXPECT_EQ(1U, status_of(_metadata, n).mps_sorights);
	EXPECT_EQ(0U, status_of(_metadata, n).mps_mscount);
}

TEST(insert_right_move_receive_to_new_name)
{
	mach_port_name_t n = new_receive(_metadata);
	mach_port_name_t m = FREE_NAME(0xa5);

	ASSERT_EQ(KERN_SUCCESS, set_qlimit(n, 9));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), m, n,
						       MACH_MSG_TYPE_MOVE_RECEIVE));
	expect_gone(_metadata, n);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(m));
	/* The same port moved: its queue limit came along. */
	EXPECT_EQ(9U, qlimit_of(_metadata, m));
	EXPECT_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), m, m,
						       MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(m));
}

TEST(insert_right_move_send_once_to_new_name)
{
	mach_port_name_t n = new_receive(_metadata);
	mach_port_name_t so = new_send_once(_metadata, n);
	mach_port_name_t m = FREE_NAME(0xa6);

	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), m, so,
						       MACH_MSG_TYPE_MOVE_SEND_ONCE));
	expect_gone(_metadata, so);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_of(m));
	EXPECT_EQ(1U, status_of(_metadata, n).mps_sorights);
}

TEST(insert_right_dead_name_poly_invalid_capability)
{
	mach_port_name_t d = new_dead_name(_metadata, 2);
	mach_port_name_t m = FREE_NAME(0xa7);

	/* The dead name copies in as MACH_PORT_DEAD; a MOVE takes its uref. */
	EXPECT_EQ(KERN_INVALID_CAPABILITY, mach_port_insert_right(mach_task_self(), m, d,
								  MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(2U, refs_of(d, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_EQ(KERN_INVALID_CAPABILITY, mach_port_insert_right(mach_task_self(), m, d,
								  MACH_MSG_TYPE_MOVE_SEND));
	EXPECT_EQ(1U, refs_of(d, MACH_PORT_RIGHT_DEAD_NAME));
	expect_gone(_metadata, m);
}

TEST(insert_right_move_receive_right_exists_destroys_port)
{
	mach_port_name_t n = new_send_receive(_metadata, 2);
	mach_port_name_t m = FREE_NAME(0xa8);

	/*
	 * The receive right leaves n (which keeps its send right), cannot
	 * land under m while n names the port, and is destroyed with the
	 * failed request: n is left with a send right to a dead port.
	 */
	EXPECT_EQ(KERN_RIGHT_EXISTS, mach_port_insert_right(mach_task_self(), m, n,
							    MACH_MSG_TYPE_MOVE_RECEIVE));
	expect_gone(_metadata, m);
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(n));
	EXPECT_EQ(2U, refs_of(n, MACH_PORT_RIGHT_DEAD_NAME));
}

TEST(insert_right_urefs_overflow)
{
	mach_port_name_t n = new_send_receive(_metadata, 1);

	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), n,
						   MACH_PORT_RIGHT_SEND, 65532));
	EXPECT_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), n, n,
						       MACH_MSG_TYPE_COPY_SEND));
	EXPECT_EQ(SEND_UREFS_MAX, refs_of(n, MACH_PORT_RIGHT_SEND));
	EXPECT_FAILS_CLEANLY(KERN_UREFS_OVERFLOW,
			     mach_port_insert_right(mach_task_self(), n, n,
						    MACH_MSG_TYPE_COPY_SEND));
	EXPECT_FAILS_CLEANLY(KERN_UREFS_OVERFLOW,
			     mach_port_insert_right(mach_task_self(), n, n,
						    MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(SEND_UREFS_MAX, refs_of(n, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(1U, status_of(_metadata, n).mps_srights);
}

/* ---- mach_port_extract_right -------------------------------------------- */

TEST(extract_right_bad_disposition_invalid_value)
{
	mach_port_name_t n = new_send_receive(_metadata, 1);
	mach_msg_type_name_t got = 0;
	mach_port_t poly = MACH_PORT_NULL;

	EXPECT_FAILS_CLEANLY(KERN_INVALID_VALUE,
			     mach_port_extract_right(mach_task_self(), n,
						     MACH_MSG_TYPE_PORT_NAME, &poly, &got));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_VALUE,
			     mach_port_extract_right(mach_task_self(), n, 22, &poly, &got));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_VALUE,
			     mach_port_extract_right(mach_task_self(), MACH_PORT_NULL, 0, &poly,
						     &got));
	EXPECT_EQ(0U, poly);
}

TEST(extract_right_null_name_invalid_right)
{
	mach_msg_type_name_t got = 0;
	mach_port_t poly = MACH_PORT_NULL;

	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_extract_right(mach_task_self(), MACH_PORT_NULL,
							      MACH_MSG_TYPE_COPY_SEND, &poly,
							      &got));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_extract_right(mach_task_self(), MACH_PORT_DEAD,
							      MACH_MSG_TYPE_MOVE_SEND, &poly,
							      &got));
}

TEST(extract_right_unknown_name_invalid_name)
{
	mach_msg_type_name_t got = 0;
	mach_port_t poly = MACH_PORT_NULL;

	EXPECT_FAILS_CLEANLY(KERN_INVALID_NAME,
			     mach_port_extract_right(mach_task_self(), FREE_NAME(0xb0),
						     MACH_MSG_TYPE_COPY_SEND, &poly, &got));
}

TEST(extract_right_wrong_right_invalid_right)
{
	mach_port_name_t r = new_receive(_metadata);
	mach_port_name_t s = new_port_set(_metadata);
	mach_port_name_t d = new_dead_name(_metadata, 1);
	mach_port_name_t n = new_send_receive(_metadata, 1);
	mach_msg_type_name_t got = 0;
	mach_port_t poly = MACH_PORT_NULL;

	EXPECT_FAILS_CLEANLY(KERN_INVALID_RIGHT,
			     mach_port_extract_right(mach_task_self(), r, MACH_MSG_TYPE_COPY_SEND,
						     &poly, &got));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_RIGHT,
			     mach_port_extract_right(mach_task_self(), r, MACH_MSG_TYPE_MOVE_SEND,
						     &poly, &got));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_RIGHT,
			     mach_port_extract_right(mach_task_self(), s,
						     MACH_MSG_TYPE_MOVE_RECEIVE, &poly, &got));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_RIGHT,
			     mach_port_extract_right(mach_task_self(), s, MACH_MSG_TYPE_MAKE_SEND,
						     &poly, &got));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_RIGHT,
			     mach_port_extract_right(mach_task_self(), d, MACH_MSG_TYPE_MAKE_SEND,
						     &poly, &got));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_RIGHT,
			     mach_port_extract_right(mach_task_self(), n,
						     MACH_MSG_TYPE_MOVE_SEND_ONCE, &poly, &got));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_RIGHT,
			     mach_port_extract_right(mach_task_self(), mach_task_self(),
						     MACH_MSG_TYPE_MOVE_RECEIVE, &poly, &got));
	EXPECT_EQ(0U, poly);
}

TEST(extract_right_make_send_same_name_urefs_grow)
{
	mach_port_name_t n = new_receive(_metadata);
	mach_msg_type_name_t got = 0;
	mach_port_t poly = MACH_PORT_NULL;

	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(mach_task_self(), n,
							MACH_MSG_TYPE_MAKE_SEND, &poly, &got));
	EXPECT_EQ(n, poly);
	EXPECT_EQ(PORT_SEND, got);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(n));
	EXPECT_EQ(1U, refs_of(n, MACH_PORT_RIGHT_SEND));
	poly = MACH_PORT_NULL;
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(mach_task_self(), n,
							MACH_MSG_TYPE_MAKE_SEND, &poly, &got));
	EXPECT_EQ(n, poly);
	EXPECT_EQ(2U, refs_of(n, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(2U, status_of(_metadata, n).mps_mscount);
	/* COPY_SEND: one more uref under the same name. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(mach_task_self(), n,
							MACH_MSG_TYPE_COPY_SEND, &poly, &got));
	EXPECT_EQ(n, poly);
	EXPECT_EQ(PORT_SEND, got);
	EXPECT_EQ(3U, refs_of(n, MACH_PORT_RIGHT_SEND));
}

TEST(extract_right_move_send_round_trip)
{
	mach_port_name_t n = new_send_receive(_metadata, 1);
	mach_msg_type_name_t got = 0;
	mach_port_t poly = MACH_PORT_NULL;

	/* The last uref leaves the entry and comes back into it. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(mach_task_self(), n,
							MACH_MSG_TYPE_MOVE_SEND, &poly, &got));
	EXPECT_EQ(n, poly);
	EXPECT_EQ(PORT_SEND, got);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(n));
	EXPECT_EQ(1U, refs_of(n, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(1U, status_of(_metadata, n).mps_srights);
}

TEST(extract_right_make_send_once_new_name)
{
	mach_port_name_t n = new_receive(_metadata);
	mach_port_name_t so = new_send_once(_metadata, n);
	mach_msg_type_name_t got = 0;
	mach_port_t poly = MACH_PORT_NULL;

	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_of(so));
	EXPECT_EQ(1U, status_of(_metadata, n).mps_sorights);
	/* MOVE_SEND_ONCE takes it out and back: a send-once right again. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(mach_task_self(), so,
							MACH_MSG_TYPE_MOVE_SEND_ONCE, &poly,
							&got));
	EXPECT_EQ(PORT_SEND_ONCE, got);
	EXPECT_TRUE(MACH_PORT_VALID(poly));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_of(poly));
	EXPECT_EQ(1U, status_of(_metadata, n).mps_sorights);
}

TEST(extract_right_move_receive)
{
	mach_port_name_t n = new_receive(_metadata);
	mach_msg_type_name_t got = 0;
	mach_port_t poly = MACH_PORT_NULL;

	ASSERT_EQ(KERN_SUCCESS, set_qlimit(n, 7));
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(mach_task_self(), n,
							MACH_MSG_TYPE_MOVE_RECEIVE, &poly, &got));
	EXPECT_EQ(PORT_RECEIVE, got);
	ASSERT_TRUE(MACH_PORT_VALID(poly));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(poly));
	EXPECT_EQ(7U, qlimit_of(_metadata, poly));
	if (poly != n)
		expect_gone(_metadata, n);
}

TEST(extract_right_move_receive_merges_into_send_entry)
{
	mach_port_name_t n = new_send_receive(_metadata, 2);
	mach_msg_type_name_t got = 0;
	mach_port_t poly = MACH_PORT_NULL;
	mach_port_status_t st;

	ASSERT_EQ(KERN_SUCCESS, mach_port_set_mscount(mach_task_self(), n, 5));
	ASSERT_EQ(KERN_SUCCESS, mach_port_set_seqno(mach_task_self(), n, 9));
	ASSERT_EQ(KERN_SUCCESS, mach_port_set_context(mach_task_self(), n, 0x44));
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(mach_task_self(), n,
							MACH_MSG_TYPE_MOVE_RECEIVE, &poly, &got));
	EXPECT_EQ(PORT_RECEIVE, got);
	/* Our send right names the port: the receive right comes back there. */
	EXPECT_EQ(n, poly);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(n));
	EXPECT_EQ(2U, refs_of(n, MACH_PORT_RIGHT_SEND));
	/* A receive right in transit loses its mscount, seqno and context. */
	st = status_of(_metadata, n);
	EXPECT_EQ(0U, st.mps_mscount);
	EXPECT_EQ(0U, st.mps_seqno);
	EXPECT_EQ(1U, st.mps_srights);
	EXPECT_EQ(0ULL, context_of(_metadata, n));
}

TEST(extract_right_move_send_dead_name_gives_dead)
{
	mach_port_name_t d = new_dead_name(_metadata, 2);
	mach_msg_type_name_t got = 0;
	mach_port_t poly = MACH_PORT_NULL;

	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(mach_task_self(), d,
							MACH_MSG_TYPE_MOVE_SEND, &poly, &got));
	EXPECT_EQ(MACH_PORT_DEAD, poly);
	EXPECT_EQ(PORT_SEND, got);
	EXPECT_EQ(1U, refs_of(d, MACH_PORT_RIGHT_DEAD_NAME));
	/* COPY_SEND takes no uref. */
	poly = MACH_PORT_NULL;
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(mach_task_self(), d,
							MACH_MSG_TYPE_COPY_SEND, &poly, &got));
	EXPECT_EQ(MACH_PORT_DEAD, poly);
	EXPECT_EQ(1U, refs_of(d, MACH_PORT_RIGHT_DEAD_NAME));
	/* MOVE_SEND_ONCE of a dead name: also DEAD, the last uref goes. */
	poly = MACH_PORT_NULL;
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(mach_task_self(), d,
							MACH_MSG_TYPE_MOVE_SEND_ONCE, &poly,
							&got));
	EXPECT_EQ(MACH_PORT_DEAD, poly);
	EXPECT_EQ(PORT_SEND_ONCE, got);
	expect_gone(_metadata, d);
}

/* ---- mach_port_kernel_object -------------------------------------------- */

TEST(kernel_object_task_host_plain)
{
	mach_port_name_t n = new_send_receive(_metadata, 1);
	mach_port_name_t r = new_receive(_metadata);
	mach_port_t host = mach_host_self(), hp = MACH_PORT_NULL;
	unsigned int type = 99, addr = 99;

	ASSERT_EQ(KERN_SUCCESS, mach_port_kernel_object(mach_task_self(), mach_task_self(),
							&type, &addr));
	EXPECT_EQ(IKOT_TASK, type);
	EXPECT_EQ(0U, addr);
	ASSERT_EQ(KERN_SUCCESS, mach_port_kernel_object(mach_task_self(), n, &type, &addr));
	EXPECT_EQ(IKOT_NONE, type);
	ASSERT_EQ(KERN_SUCCESS, mach_port_kernel_object(mach_task_self(), r, &type, &addr));
	EXPECT_EQ(IKOT_NONE, type);

	/* mach_host_self: the host port, or host-priv for a privileged task. */
	ASSERT_TRUE(MACH_PORT_VALID(host));
	ASSERT_EQ(KERN_SUCCESS, mach_port_kernel_object(mach_task_self(), host, &type, &addr));
	if (type == IKOT_HOST_PRIV) {
		ASSERT_EQ(KERN_SUCCESS, host_get_special_port(host, HOST_LOCAL_NODE, HOST_PORT,
							      &hp));
		ASSERT_EQ(KERN_SUCCESS, mach_port_kernel_object(mach_task_self(), hp, &type,
								&addr));
	}
	EXPECT_EQ(IKOT_HOST, type);
}

TEST(kernel_object_not_send_or_receive_invalid_right)
{
	mach_port_name_t s = new_port_set(_metadata);
	mach_port_name_t d = new_dead_name(_metadata, 1);
	mach_port_name_t r = new_receive(_metadata);
	mach_port_name_t so = new_send_once(_metadata, r);
	unsigned int type, addr;

	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_kernel_object(mach_task_self(), s, &type, &addr));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_kernel_object(mach_task_self(), d, &type, &addr));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_kernel_object(mach_task_self(), so, &type,
							      &addr));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_kernel_object(mach_task_self(), FREE_NAME(0xb1),
							     &type, &addr));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_kernel_object(mach_task_self(), MACH_PORT_NULL,
							     &type, &addr));
}

/* ---- set_mscount / set_seqno / get_context / set_context ---------------- */

TEST(receive_calls_null_invalid_right)
{
	mach_port_context_t ctx;

	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_set_mscount(mach_task_self(), MACH_PORT_NULL, 1));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_set_seqno(mach_task_self(), MACH_PORT_NULL, 1));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_get_context(mach_task_self(), MACH_PORT_NULL,
							    &ctx));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_set_context(mach_task_self(), MACH_PORT_NULL, 1));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_set_mscount(mach_task_self(), MACH_PORT_DEAD, 1));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_set_context(mach_task_self(), MACH_PORT_DEAD, 1));
}

TEST(receive_calls_unknown_invalid_name)
{
	mach_port_name_t u = FREE_NAME(0xc0);
	mach_port_context_t ctx;

	EXPECT_EQ(KERN_INVALID_NAME, mach_port_set_mscount(mach_task_self(), u, 1));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_set_seqno(mach_task_self(), u, 1));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_get_context(mach_task_self(), u, &ctx));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_set_context(mach_task_self(), u, 1));
}

TEST(receive_calls_not_receive_invalid_right)
{
	mach_port_name_t names[3] = { new_port_set(_metadata), new_dead_name(_metadata, 1),
				      mach_task_self() };
	mach_port_context_t ctx;
	int i;

	for (i = 0; i < 3; i++) {
		EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_set_mscount(mach_task_self(), names[i], 1));
		EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_set_seqno(mach_task_self(), names[i], 1));
		EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_get_context(mach_task_self(), names[i],
								    &ctx));
		EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_set_context(mach_task_self(), names[i], 1));
	}
}

TEST(set_mscount_and_seqno_read_back)
{
	mach_port_name_t n = new_receive(_metadata);
	mach_port_status_t st;

	ASSERT_EQ(KERN_SUCCESS, mach_port_set_mscount(mach_task_self(), n, 7));
	ASSERT_EQ(KERN_SUCCESS, mach_port_set_seqno(mach_task_self(), n, 42));
	st = status_of(_metadata, n);
	EXPECT_EQ(7U, st.mps_mscount);
	EXPECT_EQ(42U, st.mps_seqno);
	/* A make-send counts on from there. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), n, n,
						       MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(8U, status_of(_metadata, n).mps_mscount);
}

TEST(set_context_get_context)
{
	mach_port_name_t n = new_receive(_metadata);

	EXPECT_EQ(0ULL, context_of(_metadata, n));
	ASSERT_EQ(KERN_SUCCESS, mach_port_set_context(mach_task_self(), n, 0x123456789abcULL));
	EXPECT_EQ(0x123456789abcULL, context_of(_metadata, n));
	EXPECT_EQ(0U, status_of(_metadata, n).mps_flags);
}

TEST(strict_guarded_context_hidden_and_fixed)
{
	mach_port_name_t n = new_receive(_metadata);

	ASSERT_EQ(KERN_SUCCESS, mach_port_guard(mach_task_self(), n, 0xabc, TRUE));
	EXPECT_EQ(0ULL, context_of(_metadata, n));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_port_set_context(mach_task_self(), n, 0x1));
	EXPECT_EQ((natural_t)(MACH_PORT_STATUS_FLAG_GUARDED | MACH_PORT_STATUS_FLAG_STRICT_GUARD),
		  status_of(_metadata, n).mps_flags);
	/* The guard is unchanged: it still unguards the port. */
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_port_unguard(mach_task_self(), n, 0x1));
	EXPECT_EQ(KERN_SUCCESS, mach_port_unguard(mach_task_self(), n, 0xabc));
	EXPECT_EQ(0U, status_of(_metadata, n).mps_flags);
	EXPECT_EQ(0ULL, context_of(_metadata, n));
}

TEST(guarded_non_strict_set_context_works)
{
	mach_port_name_t n = new_receive(_metadata);

	ASSERT_EQ(KERN_SUCCESS, mach_port_guard(mach_task_self(), n, 0x10, FALSE));
	EXPECT_EQ(0x10ULL, context_of(_metadata, n));
	EXPECT_EQ(KERN_SUCCESS, mach_port_set_context(mach_task_self(), n, 0x20));
	EXPECT_EQ(0x20ULL, context_of(_metadata, n));
	EXPECT_EQ((natural_t)MACH_PORT_STATUS_FLAG_GUARDED, status_of(_metadata, n).mps_flags);
	/* The context is the guard. */
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_port_unguard(mach_task_self(), n, 0x10));
	EXPECT_EQ(KERN_SUCCESS, mach_port_unguard(mach_task_self(), n, 0x20));
}

/* ---- mach_port_guard / unguard ------------------------------------------ */

TEST(guard_sets_flags)
{
	mach_port_name_t a = new_receive(_metadata);
	mach_port_name_t b = new_receive(_metadata);

	ASSERT_EQ(KERN_SUCCESS, mach_port_guard(mach_task_self(), a, 0x1, FALSE));
	ASSERT_EQ(KERN_SUCCESS, mach_port_guard(mach_task_self(), b, 0x2, TRUE));
	EXPECT_EQ((natural_t)MACH_PORT_STATUS_FLAG_GUARDED, status_of(_metadata, a).mps_flags);
	EXPECT_EQ((natural_t)(MACH_PORT_STATUS_FLAG_GUARDED | MACH_PORT_STATUS_FLAG_STRICT_GUARD),
		  status_of(_metadata, b).mps_flags);
}

TEST(guard_existing_context_invalid_argument)
{
	mach_port_name_t n = new_receive(_metadata);
	mach_port_name_t g = new_receive(_metadata);

	ASSERT_EQ(KERN_SUCCESS, mach_port_set_context(mach_task_self(), n, 0x99));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_port_guard(mach_task_self(), n, 0x5, FALSE));
	EXPECT_EQ(0U, status_of(_metadata, n).mps_flags);
	EXPECT_EQ(0x99ULL, context_of(_metadata, n));
	/* Guarding twice: the first guard is a non-zero context. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_guard(mach_task_self(), g, 0x5, FALSE));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_port_guard(mach_task_self(), g, 0x6, TRUE));
	EXPECT_EQ((natural_t)MACH_PORT_STATUS_FLAG_GUARDED, status_of(_metadata, g).mps_flags);
	EXPECT_EQ(0x5ULL, context_of(_metadata, g));
}

TEST(unguard_unguarded_or_wrong_guard_invalid_argument)
{
	mach_port_name_t n = new_receive(_metadata);

	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_port_unguard(mach_task_self(), n, 0));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_port_unguard(mach_task_self(), n, 0x7));
	ASSERT_EQ(KERN_SUCCESS, mach_port_guard(mach_task_self(), n, 0x7, FALSE));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_port_unguard(mach_task_self(), n, 0x8));
	EXPECT_EQ((natural_t)MACH_PORT_STATUS_FLAG_GUARDED, status_of(_metadata, n).mps_flags);
	EXPECT_EQ(KERN_SUCCESS, mach_port_unguard(mach_task_self(), n, 0x7));
	EXPECT_EQ(0U, status_of(_metadata, n).mps_flags);
	EXPECT_EQ(0ULL, context_of(_metadata, n));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_port_unguard(mach_task_self(), n, 0x7));
}

TEST(guard_unguard_null_invalid_name)
{
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_guard(mach_task_self(), MACH_PORT_NULL, 1, FALSE));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_guard(mach_task_self(), MACH_PORT_DEAD, 1, TRUE));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_unguard(mach_task_self(), MACH_PORT_NULL, 1));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_unguard(mach_task_self(), MACH_PORT_DEAD, 1));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_guard(mach_task_self(), FREE_NAME(0xc1), 1, FALSE));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_unguard(mach_task_self(), FREE_NAME(0xc1), 1));
}

TEST(guard_not_receive_invalid_right)
{
	mach_port_name_t s = new_port_set(_metadata);
	mach_port_name_t d = new_dead_name(_metadata, 1);

	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_guard(mach_task_self(), s, 1, FALSE));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_guard(mach_task_self(), d, 1, FALSE));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_unguard(mach_task_self(), s, 1));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_guard(mach_task_self(), mach_task_self(), 1,
						      FALSE));
}

/* ---- get_attributes / set_attributes ------------------------------------ */

TEST(get_attributes_count_too_small_failure)
{
	mach_port_name_t n = new_receive(_metadata);
	natural_t info[32];
	mach_msg_type_number_t count;

	count = 0;
	EXPECT_EQ(KERN_FAILURE, mach_port_get_attributes(mach_task_self(), n,
							 MACH_PORT_LIMITS_INFO,
							 (mach_port_info_t)info, &count));
	count = MACH_PORT_RECEIVE_STATUS_COUNT - 1;
	EXPECT_EQ(KERN_FAILURE, mach_port_get_attributes(mach_task_self(), n,
							 MACH_PORT_RECEIVE_STATUS,
							 (mach_port_info_t)info, &count));
	count = 0;
	EXPECT_EQ(KERN_FAILURE, mach_port_get_attributes(mach_task_self(), n,
							 MACH_PORT_DNREQUESTS_SIZE,
							 (mach_port_info_t)info, &count));
	count = MACH_PORT_INFO_EXT_COUNT - 1;
	EXPECT_EQ(KERN_FAILURE, mach_port_get_attributes(mach_task_self(), n, MACH_PORT_INFO_EXT,
							 (mach_port_info_t)info, &count));
}

TEST(set_attributes_count_too_small_failure)
{
	mach_port_name_t n = new_receive(_metadata);
	natural_t info[4] = { 3, 3, 3, 3 };

	EXPECT_EQ(KERN_FAILURE, mach_port_set_attributes(mach_task_self(), n,
							 MACH_PORT_LIMITS_INFO,
							 (mach_port_info_t)info, 0));
	EXPECT_EQ(KERN_FAILURE, mach_port_set_attributes(mach_task_self(), n,
							 MACH_PORT_DNREQUESTS_SIZE,
							 (mach_port_info_t)info, 0));
	EXPECT_EQ(5U, qlimit_of(_metadata, n));
}

TEST(attributes_unknown_flavor_invalid_argument)
{
	mach_port_name_t n = new_receive(_metadata);
	natural_t info[32] = { 0 };
	mach_msg_type_number_t count = 32;

	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_port_get_attributes(mach_task_self(), n, 99,
								  (mach_port_info_t)info, &count));
	count = 32;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_port_get_attributes(mach_task_self(), n, 0,
								  (mach_port_info_t)info, &count));
	count = 32;
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  mach_port_get_attributes(mach_task_self(), n, MACH_PORT_TEMPOWNER,
					   (mach_port_info_t)info, &count));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, mach_port_set_attributes(mach_task_self(), n, 99,
								  (mach_port_info_t)info, 32));
	/* Read-only flavors cannot be set. */
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  mach_port_set_attributes(mach_task_self(), n, MACH_PORT_RECEIVE_STATUS,
					   (mach_port_info_t)info, MACH_PORT_RECEIVE_STATUS_COUNT));
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  mach_port_set_attributes(mach_task_self(), n, MACH_PORT_INFO_EXT,
					   (mach_port_info_t)info, MACH_PORT_INFO_EXT_COUNT));
}

TEST(attributes_need_receive_right)
{
	mach_port_name_t s = new_port_set(_metadata);
	mach_port_status_t st;
	mach_msg_type_number_t count = MACH_PORT_RECEIVE_STATUS_COUNT;

	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_get_attributes(mach_task_self(), s,
							       MACH_PORT_RECEIVE_STATUS,
							       (mach_port_info_t)&st, &count));
	count = MACH_PORT_RECEIVE_STATUS_COUNT;
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_get_attributes(mach_task_self(), MACH_PORT_NULL,
							       MACH_PORT_RECEIVE_STATUS,
							       (mach_port_info_t)&st, &count));
	count = MACH_PORT_RECEIVE_STATUS_COUNT;
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_get_attributes(mach_task_self(), FREE_NAME(0xd0),
							      MACH_PORT_RECEIVE_STATUS,
							      (mach_port_info_t)&st, &count));
	EXPECT_EQ(KERN_INVALID_RIGHT, set_qlimit(s, 3));
	EXPECT_EQ(KERN_INVALID_RIGHT, set_qlimit(MACH_PORT_NULL, 3));
	EXPECT_EQ(KERN_INVALID_RIGHT, set_qlimit(mach_task_self(), 3));
}

TEST(limits_info_qlimit_round_trip)
{
	mach_port_name_t n = new_receive(_metadata);

	EXPECT_EQ(5U, qlimit_of(_metadata, n));
	EXPECT_EQ(KERN_SUCCESS, set_qlimit(n, MACH_PORT_QLIMIT_MAX));
	EXPECT_EQ(1024U, qlimit_of(_metadata, n));
	EXPECT_EQ(KERN_SUCCESS, set_qlimit(n, 0));
	EXPECT_EQ(0U, qlimit_of(_metadata, n));
	EXPECT_EQ(0U, status_of(_metadata, n).mps_qlimit);
	EXPECT_EQ(KERN_SUCCESS, set_qlimit(n, 16));
	EXPECT_EQ(16U, status_of(_metadata, n).mps_qlimit);
}

TEST(limits_info_qlimit_too_big_invalid_value)
{
	mach_port_name_t n = new_receive(_metadata);

	ASSERT_EQ(KERN_SUCCESS, set_qlimit(n, 8));
	EXPECT_EQ(KERN_INVALID_VALUE, set_qlimit(n, MACH_PORT_QLIMIT_MAX + 1));
	EXPECT_EQ(KERN_INVALID_VALUE, set_qlimit(n, MACH_PORT_QLIMIT_KERNEL));
	EXPECT_EQ(KERN_INVALID_VALUE, set_qlimit(n, ~0U));
	EXPECT_EQ(8U, qlimit_of(_metadata, n));
}

TEST(receive_status_of_new_port)
{
	mach_port_name_t n = new_receive(_metadata);
	mach_port_status_t st = status_of(_metadata, n);

	EXPECT_EQ(0U, st.mps_pset);
	EXPECT_EQ(0U, st.mps_seqno);
	EXPECT_EQ(0U, st.mps_mscount);
	EXPECT_EQ(5U, st.mps_qlimit);
	EXPECT_EQ(0U, st.mps_msgcount);
	EXPECT_EQ(0U, st.mps_sorights);
	EXPECT_EQ(0U, st.mps_srights);
	EXPECT_EQ(0U, st.mps_pdrequest);
	EXPECT_EQ(0U, st.mps_nsrequest);
	EXPECT_EQ(0U, st.mps_flags);

	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), n, n,
						       MACH_MSG_TYPE_MAKE_SEND));
	st = status_of(_metadata, n);
	EXPECT_EQ(1U, st.mps_srights);
	EXPECT_EQ(1U, st.mps_mscount);
	EXPECT_EQ(0U, st.mps_sorights);
}

TEST(info_ext_count_17)
{
	mach_port_name_t n = new_receive(_metadata);
	mach_port_info_ext_t info;
	mach_msg_type_number_t count = MACH_PORT_INFO_EXT_COUNT;

	EXPECT_EQ(17U, MACH_PORT_INFO_EXT_COUNT);
	memset(&info, 0xa5, sizeof(info));
	ASSERT_EQ(KERN_SUCCESS, set_qlimit(n, 12));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_attributes(mach_task_self(), n, MACH_PORT_INFO_EXT,
							 (mach_port_info_t)&info, &count));
	EXPECT_EQ(17U, count);
	EXPECT_EQ(12U, info.mpie_status.mps_qlimit);
	EXPECT_EQ(0U, info.mpie_status.mps_seqno);
	EXPECT_EQ(0U, info.mpie_status.mps_msgcount);
	EXPECT_EQ(0U, info.mpie_status.mps_flags);
	EXPECT_EQ(0U, info.mpie_boost_cnt);
}

/*
 * MACH_PORT_DNREQUESTS_SIZE reports the size of a port's request table,
 * in XNU the its_size of its ipc_table_requests step (0: no table yet).
 * Setting it is ipc_port_request_grow(port, size): unless the table has
 * that many slots already, it takes the first step of the table of sizes
 * holding at least `size` slots (KERN_NO_SPACE past the last step), and
 * -1 (ITS_SIZE_NONE) takes the next step whatever the size. XNU fills
 * ipc_table_requests (ipc_table_init / ipc_table_fill in ipc_table.c, 64
 * elements, at least 2 slots of a 16-byte struct ipc_port_request, 4 KiB
 * pages) with the powers of two from 2 to 128 slots (2 to 2048 bytes),
 * then steps of one page (256, 512, ... 3840 slots), two pages (4096,
 * 4608, ... 11264), four pages (11776 ... 26112) and eight pages (27136 ...
 * 47616, the largest), and a terminating 0. A dead-name or send-possible
 * request on a port whose table has no free slot (slot 0 is the header)
 * grows it by one step (ipc_right_request_alloc calls
 * ipc_port_request_grow(port, ITS_SIZE_NONE)), so the first request gives
 * a table of 2.
 */
TEST(dnrequests_size_grows)
{
	mach_port_name_t n = new_receive(_metadata);

	EXPECT_EQ(0U, dnrequests_size(n));
	/* 10 slots: the step of 16. */
	ASSERT_EQ(KERN_SUCCESS, set_dnrequests_size(n, 10));
	EXPECT_EQ(16U, dnrequests_size(n));
	/* Asking for less does not shrink it. */
	ASSERT_EQ(KERN_SUCCESS, set_dnrequests_size(n, 2));
	EXPECT_EQ(16U, dnrequests_size(n));
}

/* Table-driven: the size XNU gives for a requested size, from no table or from one of `from`. */
FIXTURE(dnrequests_size) {
	mach_port_name_t n;
};

FIXTURE_VARIANT(dnrequests_size) {
	int from;		/* first set to this size (0: no table) */
	int size;		/* then asked for this */
	kern_return_t kr;
	natural_t want;		/* the size reported after it */
	/* What today's module gets wrong (the case is skipped by default). */
	const char *pending;
};

FIXTURE_SETUP(dnrequests_size)
{
	self->n = new_receive(_metadata);
}

FIXTURE_TEARDOWN(dnrequests_size)
{
}

TEST_F(dnrequests_size, as_xnu)
{
	if (variant->pending)
		SKIP_UNLESS_PENDING_ENABLED(variant->pending);
	if (variant->from)
		ASSERT_EQ(KERN_SUCCESS, set_dnrequests_size(self->n, variant->from));
	EXPECT_EQ(variant->kr, set_dnrequests_size(self->n, variant->size));
	EXPECT_EQ(variant->want, dnrequests_size(self->n));
}

#define DNR_DOUBLING "the module doubles the table, XNU steps through ipc_table_requests"

FIXTURE_VARIANT_ADD(dnrequests_size, zero_takes_the_first_step) {
	.size = 0, .want = 2,
	.pending = "XNU allocates the first table (2 slots) for a size of 0; the module none",
};
FIXTURE_VARIANT_ADD(dnrequests_size, one_takes_the_first_step) {
	.size = 1, .want = 2,
	.pending = "XNU's smallest table has 2 slots; the module makes one of 1",
};
FIXTURE_VARIANT_ADD(dnrequests_size, two) { .size = 2, .want = 2 };
FIXTURE_VARIANT_ADD(dnrequests_size, three_gives_4) { .size = 3, .want = 4 };
FIXTURE_VARIANT_ADD(dnrequests_size, ten_gives_16) { .size = 10, .want = 16 };
FIXTURE_VARIANT_ADD(dnrequests_size, last_power_of_two_128) { .size = 128, .want = 128 };
FIXTURE_VARIANT_ADD(dnrequests_size, first_page_step_256) { .size = 129, .want = 256 };
FIXTURE_VARIANT_ADD(dnrequests_size, page_step_512) { .size = 300, .want = 512 };
FIXTURE_VARIANT_ADD(dnrequests_size, page_step_768) {
	.size = 600, .want = 768, .pending = DNR_DOUBLING,
};
FIXTURE_VARIANT_ADD(dnrequests_size, last_page_step_3840) {
	.size = 3840, .want = 3840, .pending = DNR_DOUBLING,
};
FIXTURE_VARIANT_ADD(dnrequests_size, two_page_step_4096) { .size = 3841, .want = 4096 };
FIXTURE_VARIANT_ADD(dnrequests_size, two_page_step_4608) {
	.size = 4097, .want = 4608, .pending = DNR_DOUBLING,
};
FIXTURE_VARIANT_ADD(dnrequests_size, largest_47616) {
	.size = 47616, .want = 47616, .pending = DNR_DOUBLING,
};
FIXTURE_VARIANT_ADD(dnrequests_size, past_the_largest_no_space) {
	.size = 47617, .kr = KERN_NO_SPACE, .want = 0,
	.pending = "XNU's largest table has 47616 slots; the module allows 65536",
};
FIXTURE_VARIANT_ADD(dnrequests_size, grows_from_16_to_32) { .from = 10, .size = 17, .want = 32 };
FIXTURE_VARIANT_ADD(dnrequests_size, smaller_keeps_16) { .from = 10, .size = 16, .want = 16 };
FIXTURE_VARIANT_ADD(dnrequests_size, no_space_keeps_16) {
	.from = 10, .size = 1 << 20, .kr = KERN_NO_SPACE, .want = 16,
};
FIXTURE_VARIANT_ADD(dnrequests_size, minus_one_takes_the_next_step) {
	.from = 10, .size = -1, .want = 32,
	.pending = "XNU reads -1 as ITS_SIZE_NONE (one more step); the module says KERN_NO_SPACE",
};

TEST(dnrequests_size_too_big_no_space)
{
	mach_port_name_t n = new_receive(_metadata);
	natural_t size = 99;
	int want = 1 << 20;
	mach_msg_type_number_t count = MACH_PORT_DNREQUESTS_SIZE_COUNT;

	EXPECT_EQ(KERN_NO_SPACE, mach_port_set_attributes(mach_task_self(), n,
							  MACH_PORT_DNREQUESTS_SIZE,
							  (mach_port_info_t)&want,
							  MACH_PORT_DNREQUESTS_SIZE_COUNT));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_attributes(mach_task_self(), n,
							 MACH_PORT_DNREQUESTS_SIZE,
							 (mach_port_info_t)&size, &count));
	EXPECT_EQ(0U, size);
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_set_attributes(mach_task_self(), MACH_PORT_NULL,
							       MACH_PORT_DNREQUESTS_SIZE,
							       (mach_port_info_t)&want,
							       MACH_PORT_DNREQUESTS_SIZE_COUNT));
}

TEST(set_tempowner_importance_denap_flags)
{
	mach_port_name_t a = new_receive(_metadata);
	mach_port_name_t b = new_receive(_metadata);
	mach_port_name_t c = new_receive(_metadata);

	EXPECT_EQ(KERN_SUCCESS, mach_port_set_attributes(mach_task_self(), a, MACH_PORT_TEMPOWNER,
							 NULL, 0));
	EXPECT_EQ((natural_t)(MACH_PORT_STATUS_FLAG_TEMPOWNER | MACH_PORT_STATUS_FLAG_IMP_DONATION),
		  status_of(_metadata, a).mps_flags);
	EXPECT_EQ(KERN_SUCCESS, mach_port_set_attributes(mach_task_self(), b,
							 MACH_PORT_IMPORTANCE_RECEIVER, NULL, 0));
	EXPECT_EQ((natural_t)MACH_PORT_STATUS_FLAG_IMP_DONATION,
		  status_of(_metadata, b).mps_flags);
	EXPECT_EQ(KERN_SUCCESS, mach_port_set_attributes(mach_task_self(), c,
							 MACH_PORT_DENAP_RECEIVER, NULL, 0));
	EXPECT_EQ((natural_t)MACH_PORT_STATUS_FLAG_IMP_DONATION,
		  status_of(_metadata, c).mps_flags);
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_set_attributes(mach_task_self(), MACH_PORT_NULL,
							       MACH_PORT_TEMPOWNER, NULL, 0));
}

/* ---- a failed call changes nothing -------------------------------------- */

TEST(failed_calls_change_nothing)
{
	mach_port_name_t r = new_receive(_metadata);
	mach_port_name_t n = new_send_receive(_metadata, 2);
	mach_port_name_t s = new_port_set(_metadata);
	mach_port_name_t d = new_dead_name(_metadata, 3);
	mach_port_name_t g = construct(_metadata, MPO_CONTEXT_AS_GUARD | MPO_STRICT, 0, 0x3);
	mach_port_options_t big = { .flags = MPO_QLIMIT | MPO_INSERT_SEND_RIGHT,
				    .mpl = { .mpl_qlimit = 5000 } };
	mach_msg_type_name_t got;
	mach_port_name_t name;
	mach_port_t poly;

	EXPECT_FAILS_CLEANLY(KERN_INVALID_VALUE,
			     mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_SEND, &name));
	EXPECT_FAILS_CLEANLY(KERN_NAME_EXISTS,
			     mach_port_allocate_name(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
						     d));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_VALUE,
			     mach_port_construct(mach_task_self(), &big, 0, &name));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_RIGHT, mach_port_deallocate(mach_task_self(), r));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_RIGHT, mach_port_destroy(mach_task_self(), g));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_ARGUMENT,
			     mach_port_destruct(mach_task_self(), g, 0, 0x4));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_VALUE,
			     mach_port_mod_refs(mach_task_self(), n, MACH_PORT_RIGHT_SEND, -3));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_VALUE,
			     mach_port_mod_refs(mach_task_self(), d, MACH_PORT_RIGHT_DEAD_NAME,
						-4));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_RIGHT,
			     mach_port_mod_refs(mach_task_self(), g, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_VALUE,
			     mach_port_mod_refs(mach_task_self(), s, MACH_PORT_RIGHT_PORT_SET, 2));
	EXPECT_FAILS_CLEANLY(KERN_RIGHT_EXISTS,
			     mach_port_insert_right(mach_task_self(), FREE_NAME(0xe0), n,
						    MACH_MSG_TYPE_COPY_SEND));
	EXPECT_FAILS_CLEANLY(KERN_NAME_EXISTS,
			     mach_port_insert_right(mach_task_self(), s, r,
						    MACH_MSG_TYPE_MAKE_SEND_ONCE));
	/* The trap's copyin code: a dead name has no receive right. */
	EXPECT_FAILS_CLEANLY(KERN_INVALID_RIGHT,
			     mach_port_insert_right(mach_task_self(), FREE_NAME(0xe1), d,
						    MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_RIGHT,
			     mach_port_extract_right(mach_task_self(), n,
						     MACH_MSG_TYPE_MOVE_SEND_ONCE, &poly, &got));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_ARGUMENT,
			     mach_port_guard(mach_task_self(), g, 0x9, FALSE));
	EXPECT_FAILS_CLEANLY(KERN_INVALID_ARGUMENT,
			     mach_port_unguard(mach_task_self(), r, 0x9));
	EXPECT_EQ(2U, refs_of(n, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(3U, refs_of(d, MACH_PORT_RIGHT_DEAD_NAME));
}

TEST_HARNESS_MAIN
