// SPDX-License-Identifier: GPL-2.0
/*
 * Notifications: mach_port_request_notification and its error codes, and
 * the six kernel notifications (port-deleted 65, send-possible 66,
 * port-destroyed 69, no-senders 70, send-once 71, dead-name 72), within
 * one space and across processes (a peer killed, a holder exiting, a storm
 * of dying processes). XNU 10.11 (xnu-3248) is the reference.
 *
 * A notification is a message sent to the registered send-once right; the
 * tests read them with a polling (or short timeout) mach_msg receive on a
 * notify port of their own.
 *
 * A send-only name within one space: a port P with a send right (one
 * SEND_RECEIVE entry) whose receive right is then moved into a message
 * queued on a holder port H. P's name stays as a plain SEND entry; the
 * port dies when H is destroyed (the message and the receive right in it
 * with it), and comes back (SEND_RECEIVE again) when the message is
 * received from H.
 *
 * Across processes: the parent makes its own task port its bootstrap port
 * before fork(), so a child can insert rights into the parent's space
 * through bootstrap_port under names chosen here (indexes 0x1000 and up).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/notify.h>
#include "kselftest_harness.h"
#include "machipc_util.h"

#define ID_PORT_DELETED   MACH_NOTIFY_PORT_DELETED   /* 65 */
#define ID_SEND_POSSIBLE  MACH_NOTIFY_SEND_POSSIBLE  /* 66 */
#define ID_PORT_DESTROYED MACH_NOTIFY_PORT_DESTROYED /* 69 */
#define ID_NO_SENDERS     MACH_NOTIFY_NO_SENDERS     /* 70 */
#define ID_SEND_ONCE      MACH_NOTIFY_SEND_ONCE      /* 71 */
#define ID_DEAD_NAME      MACH_NOTIFY_DEAD_NAME      /* 72 */

/* What a notification's header bits look like once received. */
#define NOTIFY_BITS MACH_MSGH_BITS(0, MACH_MSG_TYPE_PORT_SEND_ONCE)

/* ---------------------------------------------------------------------- */
/* Helpers. */

/* A port with `urefs` send urefs under its name (a SEND_RECEIVE entry). */
static mach_port_name_t new_port_send(unsigned urefs)
{
	mach_port_name_t n = new_port();
	unsigned i;

	for (i = 0; n != MACH_PORT_NULL && i < urefs; i++)
		if (mach_port_insert_right(mach_task_self(), n, n, MACH_MSG_TYPE_MAKE_SEND) !=
		    KERN_SUCCESS)
			return MACH_PORT_NULL;
	return n;
}

/* The type mach_port_names() reports for `name` (request bits kept). */
static mach_port_type_t names_type_of(mach_port_name_t name)
{
	mach_port_name_array_t names = NULL;
	mach_port_type_array_t types = NULL;
	mach_msg_type_number_t ncnt = 0, tcnt = 0, i;
	mach_port_type_t t = 0xdeadffffU;

	if (mach_port_names(mach_task_self(), &names, &ncnt, &types, &tcnt) != KERN_SUCCESS)
		return 0xdeadfffeU;
	for (i = 0; i < ncnt && i < tcnt; i++)
		if (names[i] == name)
			t = types[i];
	vm_deallocate(mach_task_self(), (vm_address_t)names, ncnt * sizeof(*names));
	vm_deallocate(mach_task_self(), (vm_address_t)types, tcnt * sizeof(*types));
	return t;
}

/*
 * Registers a request on `name` firing to a new send-once right made from
 * the receive right `notify` (or cancels with MACH_PORT_NULL).
 */
static kern_return_t request(mach_port_name_t name, mach_msg_id_t id, mach_port_mscount_t sync,
			     mach_port_name_t notify, mach_port_name_t *prev)
{
	mach_port_name_t p = 0xdeadbeefU;
	kern_return_t kr;

	kr = mach_port_request_notification(mach_task_self(), name, id, sync, notify,
					    notify == MACH_PORT_NULL ? MACH_MSG_TYPE_PORT_SEND_ONCE
								     : MACH_MSG_TYPE_MAKE_SEND_ONCE,
					    &p);
	if (prev)
		*prev = p;
	return kr;
}

/* A fresh send-once right to the port `port` names. */
static mach_port_name_t make_send_once(mach_port_name_t port)
{
	mach_port_name_t so = MACH_PORT_NULL;
	mach_msg_type_name_t t = 0;

	if (mach_port_extract_right(mach_task_self(), port, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &t) !=
	    KERN_SUCCESS || t != MACH_MSG_TYPE_PORT_SEND_ONCE)
		return MACH_PORT_NULL;
	return so;
}

/* Room for any notification, with a trailer. */
union notif {
	mach_msg_header_t h;
	mach_port_deleted_notification_t deleted;
	mach_send_possible_notification_t possible;
	mach_port_destroyed_notification_t destroyed;
	mach_no_senders_notification_t nosenders;
	mach_send_once_notification_t once;
	mach_dead_name_notification_t dead;
	char buf[512];
};

static mach_msg_return_t rcv(mach_port_name_t port, union notif *m, mach_msg_timeout_t ms)
{
	memset(m, 0, sizeof(*m));
	return mach_msg(&m->h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(*m), port, ms,
			MACH_PORT_NULL);
}

/* Messages queued on a receive right (0xdead0000 + kr on failure). */
static unsigned queued(mach_port_name_t port)
{
	return STATUS_FIELD(port, mps_msgcount);
}

/*
 * Receives one notification within `ms` and checks its id, header and
 * argument (the name for 65/66/72, the count for 70; ignored for 71 / 69).
 */
#define EXPECT_NOTIF(port, id, arg, ms)                                       \
	do {                                                                  \
		union notif __m;                                              \
		mach_msg_return_t __mr = rcv((port), &__m, (ms));             \
		EXPECT_EQ(MACH_MSG_SUCCESS, __mr);                            \
		if (__mr == MACH_MSG_SUCCESS) {                               \
			EXPECT_EQ((id), __m.h.msgh_id);                       \
			check_notif(_metadata, &__m, (port), (arg));          \
		}                                                             \
	} while (0)

static void check_notif(struct __test_metadata *_metadata, union notif *m,
			mach_port_name_t port, uint32_t arg)
{
	EXPECT_EQ((mach_port_name_t)MACH_PORT_NULL, m->h.msgh_remote_port);
	EXPECT_EQ(port, m->h.msgh_local_port);
	switch (m->h.msgh_id) {
	case ID_PORT_DELETED:
	case ID_SEND_POSSIBLE:
	case ID_DEAD_NAME:
	case ID_NO_SENDERS:
		EXPECT_EQ((mach_msg_bits_t)NOTIFY_BITS, m->h.msgh_bits);
		EXPECT_EQ((mach_msg_size_t)(sizeof(mach_msg_header_t) + sizeof(NDR_record_t) + 4),
			  m->h.msgh_size);
		EXPECT_EQ(arg, m->dead.not_port); /* not_count is at the same place */
		break;
	case ID_SEND_ONCE:
		EXPECT_EQ((mach_msg_bits_t)NOTIFY_BITS, m->h.msgh_bits);
		EXPECT_EQ((mach_msg_size_t)sizeof(mach_msg_header_t), m->h.msgh_size);
		break;
	case ID_PORT_DESTROYED:
		EXPECT_EQ((mach_msg_bits_t)(NOTIFY_BITS | MACH_MSGH_BITS_COMPLEX), m->h.msgh_bits);
		EXPECT_EQ((mach_msg_size_t)(sizeof(mach_msg_header_t) + sizeof(mach_msg_body_t) +
					    sizeof(mach_msg_port_descriptor_t)),
			  m->h.msgh_size);
		break;
	default:
		break;
	}
}

/* No notification (or any message) queued on `port` now. */
#define EXPECT_NONE(port)                                                     \
	do {                                                                  \
		union notif __m;                                              \
		mach_msg_return_t __mr = rcv((port), &__m, 0);                \
		EXPECT_EQ(MACH_RCV_TIMED_OUT, __mr);                          \
		if (__mr == MACH_MSG_SUCCESS)                                 \
			TH_LOG("unexpected message id %d arg 0x%x", __m.h.msgh_id, \
			       __m.dead.not_port);                            \
	} while (0)

/* A small message. */
struct smsg {
	mach_msg_header_t h;
	uint32_t payload;
};

struct smsg_rcv {
	struct smsg m;
	mach_msg_max_trailer_t trailer;
};

/* Sends a simple message to `dest` (COPY_SEND, or MAKE_SEND for a receive-only name). */
static mach_msg_return_t send_simple(mach_port_name_t dest, mach_msg_type_name_t disp,
				     mach_msg_id_t id, mach_msg_option_t extra)
{
	struct smsg m = {
		.h = {
			.msgh_bits = MACH_MSGH_BITS(disp, 0),
			.msgh_size = sizeof(m),
			.msgh_remote_port = dest,
			.msgh_id = id,
		},
		.payload = 0x1234,
	};

	return mach_msg(&m.h, MACH_SEND_MSG | MACH_SEND_TIMEOUT | extra, sizeof(m), 0,
			MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

/* Receives one simple message from `port`; its id, or -1. */
static int rcv_simple(mach_port_name_t port)
{
	struct smsg_rcv r;

	memset(&r, 0, sizeof(r));
	if (mach_msg(&r.m.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), port, 0,
		     MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		return -1;
	return r.m.h.msgh_id;
}

/* A message carrying one port right. */
struct pmsg {
	mach_msg_header_t h;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t port;
};

struct pmsg_rcv {
	struct pmsg m;
	mach_msg_max_trailer_t trailer;
};

/* Sends `right` (with `disp`) in a message to `dest` (a receive right of ours). */
static mach_msg_return_t send_right(mach_port_name_t dest, mach_port_name_t right,
				    mach_msg_type_name_t disp)
{
	struct pmsg m = {
		.h = {
			.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) |
				     MACH_MSGH_BITS_COMPLEX,
			.msgh_size = sizeof(m),
			.msgh_remote_port = dest,
			.msgh_id = 0x500,
		},
		.body = { .msgh_descriptor_count = 1 },
		.port = {
			.name = right,
			.disposition = disp,
			.type = MACH_MSG_PORT_DESCRIPTOR,
		},
	};

	return mach_msg(&m.h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0, MACH_PORT_NULL, 0,
			MACH_PORT_NULL);
}

/* Receives the port-carrying message from `holder`; the right's name or NULL. */
static mach_port_name_t rcv_right(mach_port_name_t holder)
{
	struct pmsg_rcv r;

	memset(&r, 0, sizeof(r));
	if (mach_msg(&r.m.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), holder, 0,
		     MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		return MACH_PORT_NULL;
	return r.m.port.name;
}

/*
 * A send-only name: a port with `urefs` send urefs whose receive right sits
 * in a message queued on *holder (a new port). Destroying *holder kills it.
 */
static mach_port_name_t send_only(unsigned urefs, mach_port_name_t *holder)
{
	mach_port_name_t p = new_port_send(urefs);

	*holder = new_port();
	if (p == MACH_PORT_NULL || *holder == MACH_PORT_NULL)
		return MACH_PORT_NULL;
	if (send_right(*holder, p, MACH_MSG_TYPE_MOVE_RECEIVE) != MACH_MSG_SUCCESS)
		return MACH_PORT_NULL;
	return p;
}

/* Kills the port held in *holder's queue (see send_only). */
static kern_return_t kill_held(mach_port_name_t holder)
{
	return mach_port_mod_refs(mach_task_self(), holder, MACH_PORT_RIGHT_RECEIVE, -1);
}

/* ---------------------------------------------------------------------- */
/* mach_port_request_notification: error codes. */

/* A failing request destroys the copied-in notify right: one id 71. */
#define EXPECT_SO_QUIRK(notify)                                               \
	do {                                                                  \
		EXPECT_NOTIF((notify), ID_SEND_ONCE, 0, 0);                   \
		EXPECT_NONE(notify);                                          \
	} while (0)

TEST(request_unknown_msgid_invalid_value)
{
	mach_port_name_t p = new_port_send(1), n = new_port(), prev;
	static const mach_msg_id_t bad[] = { 0, 64, ID_PORT_DELETED, 67, 68, ID_SEND_ONCE, 73, 1000, -1 };
	unsigned i;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_NE(NULL_NAME, n);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(KERN_INVALID_VALUE, request(p, bad[i], 0, n, &prev));
		EXPECT_SO_QUIRK(n);
		/* Also without a notify right. */
		EXPECT_EQ(KERN_INVALID_VALUE, request(p, bad[i], 0, MACH_PORT_NULL, &prev));
		EXPECT_NONE(n);
	}
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(p));
}

/*
 * xnu-3248 mach_port_request_notification(): `if (notify == IP_DEAD)
 * return KERN_INVALID_CAPABILITY;`, right after IS_NULL and before the
 * switch on the id, so for every id (valid or not) and every name. A dead
 * notify port arrives as IP_DEAD when the request carries MACH_PORT_DEAD,
 * or a dead name moved as a send-once right (ipc_right_copyin, deadok:
 * one dead-name uref goes). Nothing is registered, replaced or cancelled.
 */
TEST(request_dead_notify_invalid_capability)
{
	static const mach_msg_id_t ids[] = {
		ID_DEAD_NAME, ID_SEND_POSSIBLE, ID_NO_SENDERS, ID_PORT_DESTROYED, 0, 99,
	};
	mach_port_name_t p = new_port_send(1), n = new_port(), prev = 0x77, dead = MACH_PORT_NULL;
	mach_port_name_t so, p2;
	unsigned i;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_NE(NULL_NAME, n);
	/* A request that must survive. */
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_DEAD_NAME, 0, n, &prev));
	EXPECT_EQ(NULL_NAME, prev);
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		prev = 0x77;
		EXPECT_EQ(KERN_INVALID_CAPABILITY,
			  mach_port_request_notification(mach_task_self(), p, ids[i], 0,
							 MACH_PORT_DEAD,
							 MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev))
			TH_LOG("id %d", ids[i]);
		EXPECT_EQ(0x77U, prev);
		EXPECT_EQ(KERN_INVALID_CAPABILITY,
			  mach_port_request_notification(mach_task_self(), p, ids[i], 1,
							 MACH_PORT_DEAD,
							 MACH_MSG_TYPE_MOVE_SEND_ONCE, &prev))
			TH_LOG("id %d", ids[i]);
		/* Even where the name would be refused. */
		EXPECT_EQ(KERN_INVALID_CAPABILITY,
			  mach_port_request_notification(mach_task_self(), MACH_PORT_NULL, ids[i],
							 0, MACH_PORT_DEAD,
							 MACH_MSG_TYPE_MOVE_SEND_ONCE, &prev))
			TH_LOG("id %d", ids[i]);
	}
	/* A dead name moved as a send-once right: one uref consumed. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_DEAD_NAME, &dead));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), dead, MACH_PORT_RIGHT_DEAD_NAME, 1));
	EXPECT_EQ(KERN_INVALID_CAPABILITY,
		  mach_port_request_notification(mach_task_self(), p, ID_DEAD_NAME, 0, dead,
						 MACH_MSG_TYPE_MOVE_SEND_ONCE, &prev));
	EXPECT_EQ(1U, refs_of(dead, MACH_PORT_RIGHT_DEAD_NAME));
	/* A send-once right whose port died: the same (and the name goes). */
	p2 = new_port();
	ASSERT_NE(NULL_NAME, p2);
	so = make_send_once(p2);
	ASSERT_NE(NULL_NAME, so);
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p2, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(KERN_INVALID_CAPABILITY,
		  mach_port_request_notification(mach_task_self(), p, ID_NO_SENDERS, 0, so,
						 MACH_MSG_TYPE_MOVE_SEND_ONCE, &prev));
	EXPECT_EQ(GONE, type_of(so));
	/* The first request is still there, untouched: it fires when p dies. */
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE | MACH_PORT_TYPE_DNREQUEST, type_of(p));
	EXPECT_NONE(n);
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_DEAD_NAME, 0, MACH_PORT_NULL, &prev));
	ASSERT_TRUE(MACH_PORT_VALID(prev));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), prev));
	EXPECT_NOTIF(n, ID_SEND_ONCE, 0, 0);
	EXPECT_NONE(n);
}

/*
 * A dead name moved as a send-once right is refused before the request
 * reaches the kernel when the disposition makes a right: MAKE_SEND_ONCE
 * needs a receive right (ipc_right_copyin in the request's send):
 * MACH_SEND_INVALID_RIGHT, the dead name untouched.
 */
TEST(request_make_send_once_from_dead_name_send_invalid_right)
{
	mach_port_name_t p = new_port_send(1), dead = MACH_PORT_NULL, prev = 0x77;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_DEAD_NAME, &dead));
	EXPECT_EQ(MACH_SEND_INVALID_RIGHT,
		  mach_port_request_notification(mach_task_self(), p, ID_DEAD_NAME, 0, dead,
						 MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev));
	EXPECT_EQ(1U, refs_of(dead, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(p));
}

TEST(request_dead_name_null_invalid_argument)
{
	mach_port_name_t n = new_port(), prev;

	ASSERT_NE(NULL_NAME, n);
	EXPECT_EQ(KERN_INVALID_ARGUMENT, request(MACH_PORT_NULL, ID_DEAD_NAME, 0, n, &prev));
	EXPECT_SO_QUIRK(n);
	EXPECT_EQ(KERN_INVALID_ARGUMENT, request(MACH_PORT_NULL, ID_DEAD_NAME, 1, n, &prev));
	EXPECT_SO_QUIRK(n);
	EXPECT_EQ(KERN_INVALID_ARGUMENT, request(MACH_PORT_DEAD, ID_DEAD_NAME, 0, n, &prev));
	EXPECT_SO_QUIRK(n);
	EXPECT_EQ(KERN_INVALID_ARGUMENT,
		  request(MACH_PORT_NULL, ID_DEAD_NAME, 0, MACH_PORT_NULL, &prev));
}

TEST(request_send_possible_null_invalid_argument)
{
	mach_port_name_t n = new_port(), prev;

	ASSERT_NE(NULL_NAME, n);
	EXPECT_EQ(KERN_INVALID_ARGUMENT, request(MACH_PORT_NULL, ID_SEND_POSSIBLE, 0, n, &prev));
	EXPECT_SO_QUIRK(n);
	EXPECT_EQ(KERN_INVALID_ARGUMENT, request(MACH_PORT_NULL, ID_SEND_POSSIBLE, 1, n, &prev));
	EXPECT_SO_QUIRK(n);
	EXPECT_EQ(KERN_INVALID_ARGUMENT, request(MACH_PORT_DEAD, ID_SEND_POSSIBLE, 1, n, &prev));
	EXPECT_SO_QUIRK(n);
}

TEST(request_dead_name_port_set_invalid_right)
{
	mach_port_name_t s = MACH_PORT_NULL, n = new_port(), prev;

	ASSERT_NE(NULL_NAME, n);
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &s));
	EXPECT_EQ(KERN_INVALID_RIGHT, request(s, ID_DEAD_NAME, 0, n, &prev));
	EXPECT_SO_QUIRK(n);
	EXPECT_EQ(KERN_INVALID_RIGHT, request(s, ID_DEAD_NAME, 1, n, &prev));
	EXPECT_SO_QUIRK(n);
	EXPECT_EQ(KERN_INVALID_RIGHT, request(s, ID_SEND_POSSIBLE, 1, n, &prev));
	EXPECT_SO_QUIRK(n);
	EXPECT_EQ(MACH_PORT_TYPE_PORT_SET, type_of(s));
	/* Cancelling where nothing is registered succeeds (nothing to undo). */
	EXPECT_EQ(KERN_SUCCESS, request(s, ID_DEAD_NAME, 0, MACH_PORT_NULL, &prev));
	EXPECT_EQ((mach_port_name_t)MACH_PORT_NULL, prev);
}

TEST(request_dead_name_unknown_name_invalid_name)
{
	mach_port_name_t n = new_port(), stale = new_port(), prev;

	ASSERT_NE(NULL_NAME, n);
	ASSERT_NE(NULL_NAME, stale);
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), stale));
	EXPECT_EQ(KERN_INVALID_NAME, request(UNKNOWN_NAME, ID_DEAD_NAME, 0, n, &prev));
	EXPECT_SO_QUIRK(n);
	EXPECT_EQ(KERN_INVALID_NAME, request(stale, ID_DEAD_NAME, 1, n, &prev));
	EXPECT_SO_QUIRK(n);
	EXPECT_EQ(KERN_INVALID_NAME, request(UNKNOWN_NAME, ID_SEND_POSSIBLE, 1, n, &prev));
	EXPECT_SO_QUIRK(n);
	EXPECT_EQ(KERN_INVALID_NAME, request(UNKNOWN_NAME, ID_DEAD_NAME, 0, MACH_PORT_NULL, &prev));
}

TEST(request_no_senders_errors)
{
	mach_port_name_t n = new_port(), holder, so, dead = MACH_PORT_NULL, prev;
	mach_port_name_t s = send_only(1, &holder);

	ASSERT_NE(NULL_NAME, n);
	ASSERT_NE(NULL_NAME, s);
	ASSERT_EQ(MACH_PORT_TYPE_SEND, type_of(s));
	so = make_send_once(n);
	ASSERT_NE(NULL_NAME, so);
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_DEAD_NAME, &dead));

	/* Send-only names: a user port, the task's own (kernel) port. */
	EXPECT_EQ(KERN_INVALID_RIGHT, request(s, ID_NO_SENDERS, 0, n, &prev));
	EXPECT_SO_QUIRK(n);
	EXPECT_EQ(KERN_INVALID_RIGHT, request(mach_task_self(), ID_NO_SENDERS, 0, n, &prev));
	EXPECT_SO_QUIRK(n);
	EXPECT_EQ(KERN_INVALID_RIGHT, request(so, ID_NO_SENDERS, 0, n, &prev));
	EXPECT_SO_QUIRK(n);
	EXPECT_EQ(KERN_INVALID_RIGHT, request(dead, ID_NO_SENDERS, 0, n, &prev));
	EXPECT_SO_QUIRK(n);
	/* NULL and DEAD: KERN_INVALID_RIGHT (not INVALID_ARGUMENT). */
	EXPECT_EQ(KERN_INVALID_RIGHT, request(MACH_PORT_NULL, ID_NO_SENDERS, 0, n, &prev));
	EXPECT_SO_QUIRK(n);
	EXPECT_EQ(KERN_INVALID_RIGHT, request(MACH_PORT_DEAD, ID_NO_SENDERS, 0, n, &prev));
	EXPECT_SO_QUIRK(n);
	/* An unknown name: KERN_INVALID_NAME. */
	EXPECT_EQ(KERN_INVALID_NAME, request(UNKNOWN_NAME, ID_NO_SENDERS, 0, n, &prev));
	EXPECT_SO_QUIRK(n);
	/* The send-once right used as a target is untouched. */
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_of(so));
	EXPECT_NONE(n);
}

TEST(request_port_destroyed_errors)
{
	mach_port_name_t p = new_port(), n = new_port(), holder, prev;
	mach_port_name_t s = send_only(1, &holder);

	ASSERT_NE(NULL_NAME, p);
	ASSERT_NE(NULL_NAME, n);
	ASSERT_NE(NULL_NAME, s);
	EXPECT_EQ(KERN_INVALID_RIGHT, request(s, ID_PORT_DESTROYED, 0, n, &prev));
	EXPECT_SO_QUIRK(n);
	EXPECT_EQ(KERN_INVALID_RIGHT, request(mach_task_self(), ID_PORT_DESTROYED, 0, n, &prev));
	EXPECT_SO_QUIRK(n);
	EXPECT_EQ(KERN_INVALID_RIGHT, request(MACH_PORT_NULL, ID_PORT_DESTROYED, 0, n, &prev));
	EXPECT_SO_QUIRK(n);
	EXPECT_EQ(KERN_INVALID_NAME, request(UNKNOWN_NAME, ID_PORT_DESTROYED, 0, n, &prev));
	EXPECT_SO_QUIRK(n);
	/* sync != 0: KERN_INVALID_VALUE, checked before the name. */
	EXPECT_EQ(KERN_INVALID_VALUE, request(p, ID_PORT_DESTROYED, 1, n, &prev));
	EXPECT_SO_QUIRK(n);
	EXPECT_EQ(KERN_INVALID_VALUE, request(MACH_PORT_NULL, ID_PORT_DESTROYED, 5, n, &prev));
	EXPECT_SO_QUIRK(n);
	EXPECT_EQ(0U, STATUS_FIELD(p, mps_pdrequest));
	/*
	 * A port-destroyed request on a kernel port (KERN_INVALID_RIGHT in
	 * XNU) cannot be made from user space: no task holds a kernel
	 * port's receive right.
	 */
}

/* ---------------------------------------------------------------------- */
/* Dead-name requests. */

/* The receive right of a SEND_RECEIVE entry with a request is destroyed. */
TEST(dead_name_receive_destroyed_same_name)
{
	mach_port_name_t p = new_port_send(3), n = new_port(), prev = 1;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_NE(NULL_NAME, n);
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_DEAD_NAME, 0, n, &prev));
	EXPECT_EQ((mach_port_name_t)MACH_PORT_NULL, prev);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE | MACH_PORT_TYPE_DNREQUEST, type_of(p));
	EXPECT_NONE(n);
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_NOTIF(n, ID_DEAD_NAME, p, 0);
	EXPECT_NONE(n);
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(p));
	EXPECT_EQ(4U, refs_of(p, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_EQ(0U, refs_of(p, MACH_PORT_RIGHT_SEND));
}

/* The same without a request: the dead name keeps its 3 urefs. */
TEST(dead_name_no_request_keeps_urefs)
{
	mach_port_name_t holder, n = new_port();
	mach_port_name_t s = send_only(3, &holder);

	ASSERT_NE(NULL_NAME, s);
	ASSERT_EQ(KERN_SUCCESS, kill_held(holder));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(s));
	EXPECT_EQ(3U, refs_of(s, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_NONE(n);
}

/* A send-only name whose port dies: one 72 and the dead name gets +1 uref. */
TEST(dead_name_send_right_port_dies)
{
	mach_port_name_t holder, n = new_port(), prev = 1;
	mach_port_name_t s = send_only(3, &holder);

	ASSERT_NE(NULL_NAME, s);
	ASSERT_NE(NULL_NAME, n);
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_of(s));
	EXPECT_EQ(3U, refs_of(s, MACH_PORT_RIGHT_SEND));
	ASSERT_EQ(KERN_SUCCESS, request(s, ID_DEAD_NAME, 0, n, &prev));
	EXPECT_EQ((mach_port_name_t)MACH_PORT_NULL, prev);
	EXPECT_EQ(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_DNREQUEST, type_of(s));
	ASSERT_EQ(KERN_SUCCESS, kill_held(holder));
	EXPECT_NOTIF(n, ID_DEAD_NAME, s, 0);
	EXPECT_NONE(n);
	/* mach_port_names converts lazily too. */
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, names_type_of(s));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(s));
	EXPECT_EQ(4U, refs_of(s, MACH_PORT_RIGHT_DEAD_NAME));
	/* Only once. */
	EXPECT_EQ(4U, refs_of(s, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_NONE(n);
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), s, MACH_PORT_RIGHT_DEAD_NAME, -4));
	EXPECT_EQ(0xdead0000U + KERN_INVALID_NAME, type_of(s));
}

/* A send-once right whose port dies: 72, and the dead name has 1 + 1 urefs. */
TEST(dead_name_send_once_right_port_dies)
{
	mach_port_name_t p = new_port(), n = new_port(), so, prev;

	ASSERT_NE(NULL_NAME, p);
	so = make_send_once(p);
	ASSERT_NE(NULL_NAME, so);
	ASSERT_EQ(KERN_SUCCESS, request(so, ID_DEAD_NAME, 0, n, &prev));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE | MACH_PORT_TYPE_DNREQUEST, type_of(so));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_NOTIF(n, ID_DEAD_NAME, so, 0);
	EXPECT_NONE(n);
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(so));
	EXPECT_EQ(2U, refs_of(so, MACH_PORT_RIGHT_DEAD_NAME));
}

/* Several requests on several names of one port: one 72 each. */
TEST(dead_name_several_names_one_each)
{
	mach_port_name_t n = new_port(), holder[4], s[4], prev;
	int seen[4] = { 0 }, i, j;
	union notif m;

	ASSERT_NE(NULL_NAME, n);
	for (i = 0; i < 4; i++) {
		s[i] = send_only(1, &holder[i]);
		ASSERT_NE(NULL_NAME, s[i]);
		ASSERT_EQ(KERN_SUCCESS, request(s[i], ID_DEAD_NAME, 0, n, &prev));
	}
	for (i = 3; i >= 0; i--)
		ASSERT_EQ(KERN_SUCCESS, kill_held(holder[i]));
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(MACH_MSG_SUCCESS, rcv(n, &m, 0));
		EXPECT_EQ(ID_DEAD_NAME, m.h.msgh_id);
		for (j = 0; j < 4; j++)
			if (m.dead.not_port == s[j])
				seen[j]++;
	}
	EXPECT_NONE(n);
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(1, seen[i]);
		EXPECT_EQ(2U, refs_of(s[i], MACH_PORT_RIGHT_DEAD_NAME));
	}
}

TEST(dead_name_on_dead_name_sync_immediate)
{
	mach_port_name_t d = MACH_PORT_NULL, n = new_port(), prev = 1;

	ASSERT_NE(NULL_NAME, n);
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_DEAD_NAME, &d));
	EXPECT_EQ(1U, refs_of(d, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_EQ(KERN_SUCCESS, request(d, ID_DEAD_NAME, 1, n, &prev));
	EXPECT_EQ((mach_port_name_t)MACH_PORT_NULL, prev);
	EXPECT_NOTIF(n, ID_DEAD_NAME, d, 0);
	EXPECT_NONE(n);
	EXPECT_EQ(2U, refs_of(d, MACH_PORT_RIGHT_DEAD_NAME));
	/* Nothing stays registered: the type has no request bit. */
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(d));
	/* Again: another notification and another uref. */
	EXPECT_EQ(KERN_SUCCESS, request(d, ID_DEAD_NAME, 7, n, &prev));
	EXPECT_NOTIF(n, ID_DEAD_NAME, d, 0);
	EXPECT_EQ(3U, refs_of(d, MACH_PORT_RIGHT_DEAD_NAME));
}

TEST(dead_name_on_dead_name_sync0_invalid_argument)
{
	mach_port_name_t d = MACH_PORT_NULL, n = new_port(), prev;

	ASSERT_NE(NULL_NAME, n);
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_DEAD_NAME, &d));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, request(d, ID_DEAD_NAME, 0, n, &prev));
	EXPECT_SO_QUIRK(n);
	EXPECT_EQ(1U, refs_of(d, MACH_PORT_RIGHT_DEAD_NAME));
	/* Cancelling on a dead name: nothing registered, success. */
	EXPECT_EQ(KERN_SUCCESS, request(d, ID_DEAD_NAME, 0, MACH_PORT_NULL, &prev));
	EXPECT_EQ((mach_port_name_t)MACH_PORT_NULL, prev);
	EXPECT_EQ(1U, refs_of(d, MACH_PORT_RIGHT_DEAD_NAME));
}

/* An immediate dead-name notification that would overflow the urefs: refused. */
TEST(dead_name_immediate_urefs_overflow)
{
	mach_port_name_t d = MACH_PORT_NULL, n = new_port(), prev;

	ASSERT_NE(NULL_NAME, n);
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_DEAD_NAME, &d));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), d, MACH_PORT_RIGHT_DEAD_NAME,
						 MACH_PORT_UREFS_MAX - 1));
	EXPECT_EQ((mach_port_urefs_t)MACH_PORT_UREFS_MAX, refs_of(d, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_EQ(KERN_UREFS_OVERFLOW, request(d, ID_DEAD_NAME, 1, n, &prev));
	EXPECT_SO_QUIRK(n);
	EXPECT_EQ((mach_port_urefs_t)MACH_PORT_UREFS_MAX, refs_of(d, MACH_PORT_RIGHT_DEAD_NAME));
}

/* A watched name at the send urefs maximum (65534) dies: 65535 urefs. */
TEST(dead_name_max_send_urefs)
{
	mach_port_name_t holder, n = new_port(), prev;
	mach_port_name_t s = send_only(1, &holder);

	ASSERT_NE(NULL_NAME, s);
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), s, MACH_PORT_RIGHT_SEND,
						 MACH_PORT_UREFS_MAX - 2));
	EXPECT_EQ((mach_port_urefs_t)MACH_PORT_UREFS_MAX - 1, refs_of(s, MACH_PORT_RIGHT_SEND));
	ASSERT_EQ(KERN_SUCCESS, request(s, ID_DEAD_NAME, 0, n, &prev));
	ASSERT_EQ(KERN_SUCCESS, kill_held(holder));
	EXPECT_NOTIF(n, ID_DEAD_NAME, s, 0);
	EXPECT_NONE(n);
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(s));
	EXPECT_EQ((mach_port_urefs_t)MACH_PORT_UREFS_MAX, refs_of(s, MACH_PORT_RIGHT_DEAD_NAME));
}

/* A name that died lazily (still SEND in the entry) behaves as a dead name. */
TEST(dead_name_request_after_lazy_death)
{
	mach_port_name_t holder, n = new_port(), prev;
	mach_port_name_t s = send_only(2, &holder);

	ASSERT_NE(NULL_NAME, s);
	ASSERT_EQ(KERN_SUCCESS, kill_held(holder));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, request(s, ID_DEAD_NAME, 0, n, &prev));
	EXPECT_SO_QUIRK(n);
	EXPECT_EQ(2U, refs_of(s, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_EQ(KERN_SUCCESS, request(s, ID_DEAD_NAME, 1, n, &prev));
	EXPECT_NOTIF(n, ID_DEAD_NAME, s, 0);
	EXPECT_NONE(n);
	EXPECT_EQ(3U, refs_of(s, MACH_PORT_RIGHT_DEAD_NAME));
}

TEST(dead_name_replace_returns_previous)
{
	mach_port_name_t holder, n1 = new_port(), n2 = new_port(), prev = 1, prev2 = 1;
	mach_port_name_t s = send_only(1, &holder);

	ASSERT_NE(NULL_NAME, s);
	ASSERT_EQ(KERN_SUCCESS, request(s, ID_DEAD_NAME, 0, n1, &prev));
	EXPECT_EQ((mach_port_name_t)MACH_PORT_NULL, prev);
	ASSERT_EQ(KERN_SUCCESS, request(s, ID_DEAD_NAME, 0, n2, &prev));
	/* The previous send-once right (to n1) is ours now. */
	ASSERT_TRUE(MACH_PORT_VALID(prev));
	EXPECT_NE(s, prev);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_of(prev));
	EXPECT_EQ(1U, refs_of(prev, MACH_PORT_RIGHT_SEND_ONCE));
	EXPECT_EQ(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_DNREQUEST, type_of(s));
	EXPECT_NONE(n1);
	EXPECT_NONE(n2);
	/* Replacing again returns the right to n2, and registers n1. */
	ASSERT_EQ(KERN_SUCCESS, request(s, ID_DEAD_NAME, 0, n1, &prev2));
	ASSERT_TRUE(MACH_PORT_VALID(prev2));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_of(prev2));
	/* The death notifies n1 only. */
	ASSERT_EQ(KERN_SUCCESS, kill_held(holder));
	EXPECT_NOTIF(n1, ID_DEAD_NAME, s, 0);
	EXPECT_NONE(n1);
	EXPECT_NONE(n2);
	EXPECT_EQ(2U, refs_of(s, MACH_PORT_RIGHT_DEAD_NAME));
	/* The returned rights still name n1 and n2. */
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), prev));
	EXPECT_NOTIF(n1, ID_SEND_ONCE, 0, 0);
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), prev2));
	EXPECT_NOTIF(n2, ID_SEND_ONCE, 0, 0);
	EXPECT_NONE(n1);
	EXPECT_NONE(n2);
}

TEST(dead_name_cancel_returns_previous)
{
	mach_port_name_t holder, n = new_port(), prev = 1;
	mach_port_name_t s = send_only(1, &holder);

	ASSERT_NE(NULL_NAME, s);
	/* Nothing to cancel: success, no previous. */
	EXPECT_EQ(KERN_SUCCESS, request(s, ID_DEAD_NAME, 0, MACH_PORT_NULL, &prev));
	EXPECT_EQ((mach_port_name_t)MACH_PORT_NULL, prev);
	ASSERT_EQ(KERN_SUCCESS, request(s, ID_DEAD_NAME, 0, n, &prev));
	EXPECT_EQ(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_DNREQUEST, type_of(s));
	ASSERT_EQ(KERN_SUCCESS, request(s, ID_DEAD_NAME, 0, MACH_PORT_NULL, &prev));
	ASSERT_TRUE(MACH_PORT_VALID(prev));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_of(prev));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_of(s));
	/* No notification when the port dies, and no extra uref. */
	ASSERT_EQ(KERN_SUCCESS, kill_held(holder));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(s));
	EXPECT_EQ(1U, refs_of(s, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_NONE(n);
	/* The returned right is a working send-once right to n. */
	EXPECT_EQ(MACH_MSG_SUCCESS, send_simple(prev, MACH_MSG_TYPE_MOVE_SEND_ONCE, 0x77, 0));
	EXPECT_EQ(0x77, rcv_simple(n));
	EXPECT_EQ(0xdead0000U + KERN_INVALID_NAME, type_of(prev));
	EXPECT_NONE(n);
}

TEST(dead_name_type_and_names_show_dnrequest)
{
	mach_port_name_t p = new_port(), ps = new_port_send(1), n = new_port(), prev;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_NE(NULL_NAME, ps);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(p));
	/* A receive right takes a request too. */
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_DEAD_NAME, 0, n, &prev));
	ASSERT_EQ(KERN_SUCCESS, request(ps, ID_DEAD_NAME, 0, n, &prev));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_DNREQUEST, type_of(p));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_DNREQUEST, names_type_of(p));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE | MACH_PORT_TYPE_DNREQUEST, type_of(ps));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE | MACH_PORT_TYPE_DNREQUEST, names_type_of(ps));
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_DEAD_NAME, 0, MACH_PORT_NULL, &prev));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(p));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, names_type_of(p));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), prev));
	EXPECT_NOTIF(n, ID_SEND_ONCE, 0, 0);
	EXPECT_NONE(n);
}

/*
 * The first request on a port without a request table grows it by one
 * step of XNU's ipc_table_requests (ipc_right_request_alloc ->
 * ipc_port_request_grow(port, ITS_SIZE_NONE)): a table of 2 slots, slot 0
 * being its header (see machipc_ports.c's dnrequests_size tests for the
 * steps).
 */
TEST(dead_name_dnrequests_size)
{
	mach_port_name_t p = new_port_send(1), n = new_port(), prev;

	ASSERT_NE(NULL_NAME, p);
	EXPECT_EQ(0U, dnrequests_size(p));
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_DEAD_NAME, 0, n, &prev));
	EXPECT_EQ(2U, dnrequests_size(p));
}

/* A request takes a free slot of the table the port has: it does not grow. */
TEST(dead_name_request_uses_a_free_slot)
{
	mach_port_name_t p = new_port_send(1), n = new_port(), prev;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_EQ(KERN_SUCCESS, set_dnrequests_size(p, 3));
	EXPECT_EQ(4U, dnrequests_size(p));
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_DEAD_NAME, 0, n, &prev));
	EXPECT_EQ(4U, dnrequests_size(p));
}

/*
 * xnu-3248 ipc_right_request_alloc(): "If there is a previous request,
 * free it. Any subsequent allocation cannot fail" -- the previous request
 * is cancelled (ipc_port_request_cancel puts its slot at the head of the
 * free list) before ipc_port_request_alloc takes the head: replacing a
 * request in a full table reuses its slot. No growth, no KERN_NO_SPACE,
 * MACH_PORT_DNREQUESTS_SIZE unchanged, the previous right returned.
 */
TEST(request_replaced_in_full_table_reuses_its_slot)
{
	mach_port_name_t p = new_port(), n1 = new_port(), n2 = new_port(), so[3], prev;
	int i;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_NE(NULL_NAME, n1);
	ASSERT_NE(NULL_NAME, n2);
	/* The first table: 2 slots, one request, full. */
	so[0] = make_send_once(p);
	ASSERT_NE(NULL_NAME, so[0]);
	ASSERT_EQ(KERN_SUCCESS, request(so[0], ID_DEAD_NAME, 0, n1, &prev));
	ASSERT_EQ(2U, dnrequests_size(p));
	/* Replaced (by a send-possible request, then a dead-name one): in place. */
	ASSERT_EQ(KERN_SUCCESS, request(so[0], ID_SEND_POSSIBLE, 0, n2, &prev));
	EXPECT_EQ(2U, dnrequests_size(p));
	ASSERT_TRUE(MACH_PORT_VALID(prev));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_of(prev));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), prev));
	EXPECT_NOTIF(n1, ID_SEND_ONCE, 0, 0);
	ASSERT_EQ(KERN_SUCCESS, request(so[0], ID_DEAD_NAME, 0, n1, &prev));
	EXPECT_EQ(2U, dnrequests_size(p));
	ASSERT_TRUE(MACH_PORT_VALID(prev));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), prev));
	EXPECT_NOTIF(n2, ID_SEND_ONCE, 0, 0);
	/* Two more names: the table of 4 (3 requests), full. */
	for (i = 1; i < 3; i++) {
		so[i] = make_send_once(p);
		ASSERT_NE(NULL_NAME, so[i]);
		ASSERT_EQ(KERN_SUCCESS, request(so[i], ID_DEAD_NAME, 0, n1, &prev));
		EXPECT_EQ(NULL_NAME, prev);
	}
	ASSERT_EQ(4U, dnrequests_size(p));
	/* Each replaced in turn: the table stays at 4. */
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(KERN_SUCCESS, request(so[i], ID_DEAD_NAME, 0, n2, &prev));
		EXPECT_EQ(4U, dnrequests_size(p));
		ASSERT_TRUE(MACH_PORT_VALID(prev));
		EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), prev));
		EXPECT_NOTIF(n1, ID_SEND_ONCE, 0, 0);
	}
	EXPECT_NONE(n1);
	/* And all three fire when the port dies. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1));
	for (i = 0; i < 3; i++) {
		union notif m;

		ASSERT_EQ(MACH_MSG_SUCCESS, rcv(n2, &m, 0));
		EXPECT_EQ(ID_DEAD_NAME, m.h.msgh_id);
	}
	EXPECT_NONE(n2);
}

/*
 * The owner destroys a receive-only entry with a request: the request is
 * cancelled first, so it is a port-deleted notification, not dead-name.
 */
TEST(request_on_receive_right_destroyed_gives_port_deleted)
{
	mach_port_name_t p = new_port(), q = new_port(), n = new_port(), prev;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_NE(NULL_NAME, q);
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_DEAD_NAME, 0, n, &prev));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_NOTIF(n, ID_PORT_DELETED, p, 0);
	EXPECT_NONE(n);
	ASSERT_EQ(KERN_SUCCESS, request(q, ID_DEAD_NAME, 0, n, &prev));
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), q));
	EXPECT_NOTIF(n, ID_PORT_DELETED, q, 0);
	EXPECT_NONE(n);
}

/* ---------------------------------------------------------------------- */
/* Port-deleted. */

TEST(port_deleted_deallocate_last_uref)
{
	mach_port_name_t holder, n = new_port(), prev;
	mach_port_name_t s = send_only(2, &holder);

	ASSERT_NE(NULL_NAME, s);
	ASSERT_EQ(KERN_SUCCESS, request(s, ID_DEAD_NAME, 0, n, &prev));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), s));
	EXPECT_NONE(n); /* one uref left */
	EXPECT_EQ(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_DNREQUEST, type_of(s));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), s));
	EXPECT_NOTIF(n, ID_PORT_DELETED, s, 0);
	EXPECT_NONE(n);
	EXPECT_EQ(0xdead0000U + KERN_INVALID_NAME, type_of(s));
	/* The port's later death notifies nobody. */
	ASSERT_EQ(KERN_SUCCESS, kill_held(holder));
	EXPECT_NONE(n);
}

TEST(port_deleted_mod_refs_send)
{
	mach_port_name_t holder, n = new_port(), prev;
	mach_port_name_t s = send_only(3, &holder);

	ASSERT_NE(NULL_NAME, s);
	ASSERT_EQ(KERN_SUCCESS, request(s, ID_DEAD_NAME, 0, n, &prev));
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), s, MACH_PORT_RIGHT_SEND, -3));
	EXPECT_NOTIF(n, ID_PORT_DELETED, s, 0);
	EXPECT_NONE(n);
}

TEST(port_deleted_destroy)
{
	mach_port_name_t holder, n = new_port(), prev;
	mach_port_name_t s = send_only(3, &holder);

	ASSERT_NE(NULL_NAME, s);
	ASSERT_EQ(KERN_SUCCESS, request(s, ID_DEAD_NAME, 0, n, &prev));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), s));
	EXPECT_NOTIF(n, ID_PORT_DELETED, s, 0);
	EXPECT_NONE(n);
	EXPECT_EQ(0xdead0000U + KERN_INVALID_NAME, type_of(s));
}

/* mach_port_destroy of a SEND_RECEIVE name with a request: 65 as well. */
TEST(port_deleted_destroy_send_receive)
{
	mach_port_name_t p = new_port_send(2), n = new_port(), prev;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_DEAD_NAME, 0, n, &prev));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), p));
	EXPECT_NOTIF(n, ID_PORT_DELETED, p, 0);
	EXPECT_NONE(n);
}

TEST(port_deleted_moved_in_message)
{
	mach_port_name_t holder, q = new_port(), n = new_port(), prev, got;
	mach_port_name_t s = send_only(2, &holder);

	ASSERT_NE(NULL_NAME, s);
	ASSERT_NE(NULL_NAME, q);
	ASSERT_EQ(KERN_SUCCESS, request(s, ID_DEAD_NAME, 0, n, &prev));
	/* Moving one of two urefs keeps the name and its request. */
	ASSERT_EQ(MACH_MSG_SUCCESS, send_right(q, s, MACH_MSG_TYPE_MOVE_SEND));
	EXPECT_NONE(n);
	EXPECT_EQ(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_DNREQUEST, type_of(s));
	/* The last one: port-deleted. */
	ASSERT_EQ(MACH_MSG_SUCCESS, send_right(q, s, MACH_MSG_TYPE_MOVE_SEND));
	EXPECT_NOTIF(n, ID_PORT_DELETED, s, 0);
	EXPECT_NONE(n);
	EXPECT_EQ(0xdead0000U + KERN_INVALID_NAME, type_of(s));
	/* The rights come back, without the request. */
	got = rcv_right(q);
	EXPECT_TRUE(MACH_PORT_VALID(got));
	EXPECT_EQ(got, rcv_right(q));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_of(got));
	EXPECT_EQ(2U, refs_of(got, MACH_PORT_RIGHT_SEND));
	ASSERT_EQ(KERN_SUCCESS, kill_held(holder));
	EXPECT_NONE(n);
}

TEST(port_deleted_extract_right)
{
	mach_port_name_t holder, n = new_port(), prev, got = 0;
	mach_msg_type_name_t t = 0;
	mach_port_name_t s = send_only(1, &holder);

	ASSERT_NE(NULL_NAME, s);
	ASSERT_EQ(KERN_SUCCESS, request(s, ID_DEAD_NAME, 0, n, &prev));
	ASSERT_EQ(KERN_SUCCESS, mach_port_extract_right(mach_task_self(), s, MACH_MSG_TYPE_MOVE_SEND,
						      &got, &t));
	EXPECT_EQ((mach_msg_type_name_t)MACH_MSG_TYPE_PORT_SEND, t);
	EXPECT_NOTIF(n, ID_PORT_DELETED, s, 0);
	EXPECT_NONE(n);
}

/* A watched send-once right deallocated: 71 to its port and 65 to the watcher. */
TEST(port_deleted_send_once_deallocated)
{
	mach_port_name_t p = new_port(), n = new_port(), so, prev;

	ASSERT_NE(NULL_NAME, p);
	so = make_send_once(p);
	ASSERT_NE(NULL_NAME, so);
	ASSERT_EQ(KERN_SUCCESS, request(so, ID_DEAD_NAME, 0, n, &prev));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), so));
	EXPECT_NOTIF(p, ID_SEND_ONCE, 0, 0);
	EXPECT_NOTIF(n, ID_PORT_DELETED, so, 0);
	EXPECT_NONE(p);
	EXPECT_NONE(n);
}

/* ---------------------------------------------------------------------- */
/* Send-once notifications. */

TEST(send_once_deallocate_unused)
{
	mach_port_name_t p = new_port(), so;
	mach_msg_size_t sz = sizeof(mach_send_once_notification_t);
	mach_send_once_notification_t m;

	ASSERT_NE(NULL_NAME, p);
	so = make_send_once(p);
	ASSERT_NE(NULL_NAME, so);
	EXPECT_EQ(1U, STATUS_FIELD(p, mps_sorights));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), so));
	EXPECT_EQ(0xdead0000U + KERN_INVALID_NAME, type_of(so));
	/* Exactly the size of the <mach/notify.h> struct is enough. */
	memset(&m, 0, sizeof(m));
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&m.not_header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sz,
					     p, 0, MACH_PORT_NULL));
	EXPECT_EQ(ID_SEND_ONCE, m.not_header.msgh_id);
	EXPECT_EQ((mach_msg_bits_t)NOTIFY_BITS, m.not_header.msgh_bits);
	EXPECT_EQ(p, m.not_header.msgh_local_port);
	EXPECT_EQ((mach_port_name_t)MACH_PORT_NULL, m.not_header.msgh_remote_port);
	EXPECT_EQ((mach_msg_size_t)sizeof(mach_msg_header_t), m.not_header.msgh_size);
	EXPECT_NONE(p);
	EXPECT_EQ(0U, STATUS_FIELD(p, mps_sorights));
}

TEST(send_once_mod_refs)
{
	mach_port_name_t p = new_port(), so;

	ASSERT_NE(NULL_NAME, p);
	so = make_send_once(p);
	ASSERT_NE(NULL_NAME, so);
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), so, MACH_PORT_RIGHT_SEND_ONCE, 0));
	EXPECT_NONE(p);
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), so, MACH_PORT_RIGHT_SEND_ONCE, -1));
	EXPECT_NOTIF(p, ID_SEND_ONCE, 0, 0);
	EXPECT_NONE(p);
}

TEST(send_once_destroy)
{
	mach_port_name_t p = new_port(), so;

	ASSERT_NE(NULL_NAME, p);
	so = make_send_once(p);
	ASSERT_NE(NULL_NAME, so);
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), so));
	EXPECT_NOTIF(p, ID_SEND_ONCE, 0, 0);
	EXPECT_NONE(p);
}

/* Each of several send-once rights: one notification each. */
TEST(send_once_several)
{
	mach_port_name_t p = new_port(), so[5];
	int i;

	ASSERT_NE(NULL_NAME, p);
	for (i = 0; i < 5; i++) {
		so[i] = make_send_once(p);
		ASSERT_NE(NULL_NAME, so[i]);
	}
	EXPECT_EQ(5U, STATUS_FIELD(p, mps_sorights));
	for (i = 0; i < 5; i++)
		EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), so[i]));
	EXPECT_EQ(5U, queued(p));
	for (i = 0; i < 5; i++)
		EXPECT_NOTIF(p, ID_SEND_ONCE, 0, 0);
	EXPECT_NONE(p);
}

/* A message carrying a send-once right is destroyed with its queue. */
TEST(send_once_in_destroyed_message)
{
	mach_port_name_t p = new_port(), q = new_port(), so;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_NE(NULL_NAME, q);
	so = make_send_once(p);
	ASSERT_NE(NULL_NAME, so);
	ASSERT_EQ(MACH_MSG_SUCCESS, send_right(q, so, MACH_MSG_TYPE_MOVE_SEND_ONCE));
	EXPECT_NONE(p);
	EXPECT_EQ(1U, STATUS_FIELD(p, mps_sorights));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), q, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_NOTIF(p, ID_SEND_ONCE, 0, 0);
	EXPECT_NONE(p);
}

/* The same for a send-once reply right in the header (MAKE_SEND_ONCE). */
TEST(send_once_reply_in_destroyed_message)
{
	mach_port_name_t p = new_port(), q = new_port();
	struct smsg m;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_NE(NULL_NAME, q);
	memset(&m, 0, sizeof(m));
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.h.msgh_size = sizeof(m);
	m.h.msgh_remote_port = q;
	m.h.msgh_local_port = p;
	m.h.msgh_id = 0x600;
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&m.h, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0,
					     MACH_PORT_NULL));
	EXPECT_NONE(p);
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), q));
	EXPECT_NOTIF(p, ID_SEND_ONCE, 0, 0);
	EXPECT_NONE(p);
}

/* A send-once right used (a message sent on it): no notification. */
TEST(send_once_used_no_notification)
{
	mach_port_name_t p = new_port(), so;

	ASSERT_NE(NULL_NAME, p);
	so = make_send_once(p);
	ASSERT_NE(NULL_NAME, so);
	ASSERT_EQ(MACH_MSG_SUCCESS, send_simple(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, 0x42, 0));
	EXPECT_EQ(0x42, rcv_simple(p));
	EXPECT_NONE(p);
	EXPECT_EQ(0U, STATUS_FIELD(p, mps_sorights));
}

/* A send-once right to a dead port: no notification goes anywhere. */
TEST(send_once_to_dead_port_deallocated)
{
	mach_port_name_t p = new_port(), so;

	ASSERT_NE(NULL_NAME, p);
	so = make_send_once(p);
	ASSERT_NE(NULL_NAME, so);
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(so));
	EXPECT_EQ(1U, refs_of(so, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), so));
	EXPECT_EQ(0xdead0000U + KERN_INVALID_NAME, type_of(so));
}

/* ---------------------------------------------------------------------- */
/* No-senders. */

TEST(no_senders_last_send_dropped)
{
	mach_port_name_t p = new_port_send(3), n = new_port(), prev = 1;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_NE(NULL_NAME, n);
	EXPECT_EQ(3U, STATUS_FIELD(p, mps_mscount));
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_NO_SENDERS, 0, n, &prev));
	EXPECT_EQ(NULL_NAME, prev);
	EXPECT_EQ(1U, STATUS_FIELD(p, mps_nsrequest));
	EXPECT_NONE(n);
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), p));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), p));
	EXPECT_NONE(n);
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), p));
	EXPECT_NOTIF(n, ID_NO_SENDERS, 3, 0);
	EXPECT_NONE(n);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(p));
	EXPECT_EQ(0U, STATUS_FIELD(p, mps_nsrequest));
	EXPECT_EQ(0U, STATUS_FIELD(p, mps_srights));
	/* One-shot: another send right made and dropped notifies nobody. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), p));
	EXPECT_NONE(n);
}

/* The exact size of the <mach/notify.h> struct receives it. */
TEST(no_senders_struct_layout)
{
	mach_port_name_t p = new_port_send(1), n = new_port(), prev;
	mach_no_senders_notification_t m;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_NO_SENDERS, 0, n, &prev));
	EXPECT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_SEND, -1));
	memset(&m, 0, sizeof(m));
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&m.not_header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					     sizeof(m), n, 0, MACH_PORT_NULL));
	EXPECT_EQ(ID_NO_SENDERS, m.not_header.msgh_id);
	EXPECT_EQ(1U, m.not_count);
	EXPECT_EQ(0, memcmp(&m.NDR, &NDR_record, sizeof(NDR_record_t)));
	EXPECT_EQ(n, m.not_header.msgh_local_port);
}

/* Send rights in flight count: the last one consumed fires. */
TEST(no_senders_rights_in_messages_count)
{
	mach_port_name_t p = new_port_send(1), q = new_port(), n = new_port(), prev, got;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_NE(NULL_NAME, q);
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_NO_SENDERS, 0, n, &prev));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_right(q, p, MACH_MSG_TYPE_COPY_SEND));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_right(q, p, MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(2U, STATUS_FIELD(p, mps_mscount));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), p));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(p));
	EXPECT_NONE(n);
	/* The first comes back under p's name; dropping it leaves one in flight. */
	got = rcv_right(q);
	EXPECT_EQ(p, got);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(p));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), p));
	EXPECT_NONE(n);
	/* The second dies with its message. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), q));
	EXPECT_NOTIF(n, ID_NO_SENDERS, 2, 0);
	EXPECT_NONE(n);
}

/* A message's destination send right is consumed by its receipt. */
TEST(no_senders_destination_right_consumed)
{
	mach_port_name_t p = new_port(), n = new_port(), prev;

	ASSERT_NE(NULL_NAME, p);
	/* mscount 0, sync 1: registered, not fired. */
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_NO_SENDERS, 1, n, &prev));
	EXPECT_NONE(n);
	ASSERT_EQ(MACH_MSG_SUCCESS, send_simple(p, MACH_MSG_TYPE_MAKE_SEND, 0x31, 0));
	EXPECT_NONE(n);
	EXPECT_EQ(1U, STATUS_FIELD(p, mps_srights));
	EXPECT_EQ(0x31, rcv_simple(p));
	EXPECT_NOTIF(n, ID_NO_SENDERS, 1, 0);
	EXPECT_NONE(n);
}

TEST(no_senders_immediate)
{
	mach_port_name_t p = new_port(), n = new_port(), prev = 1;

	ASSERT_NE(NULL_NAME, p);
	/* srights 0, sync 0 <= mscount 0. */
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_NO_SENDERS, 0, n, &prev));
	EXPECT_EQ(NULL_NAME, prev);
	EXPECT_NOTIF(n, ID_NO_SENDERS, 0, 0);
	EXPECT_NONE(n);
	EXPECT_EQ(0U, STATUS_FIELD(p, mps_nsrequest));
	/* sync == mscount. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_set_mscount(mach_task_self(), p, 5));
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_NO_SENDERS, 5, n, &prev));
	EXPECT_NOTIF(n, ID_NO_SENDERS, 5, 0);
	/* sync < mscount. */
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_NO_SENDERS, 2, n, &prev));
	EXPECT_NOTIF(n, ID_NO_SENDERS, 5, 0);
	EXPECT_NONE(n);
	EXPECT_EQ(0U, STATUS_FIELD(p, mps_nsrequest));
}

/* An immediate firing still hands back a previous registration. */
TEST(no_senders_immediate_returns_previous)
{
	mach_port_name_t p = new_port(), n1 = new_port(), n2 = new_port(), prev = 1;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_NO_SENDERS, 1, n1, &prev));
	EXPECT_EQ(NULL_NAME, prev);
	EXPECT_NONE(n1);
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_NO_SENDERS, 0, n2, &prev));
	EXPECT_NOTIF(n2, ID_NO_SENDERS, 0, 0);
	ASSERT_TRUE(MACH_PORT_VALID(prev));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_of(prev));
	EXPECT_EQ(0U, STATUS_FIELD(p, mps_nsrequest));
	EXPECT_NONE(n1);
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), prev));
	EXPECT_NOTIF(n1, ID_SEND_ONCE, 0, 0);
}

TEST(no_senders_not_immediate_when_sync_above_mscount)
{
	mach_port_name_t p = new_port(), n = new_port(), prev;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_EQ(KERN_SUCCESS, mach_port_set_mscount(mach_task_self(), p, 3));
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_NO_SENDERS, 4, n, &prev));
	EXPECT_NONE(n);
	EXPECT_EQ(1U, STATUS_FIELD(p, mps_nsrequest));
	/* A send right made (mscount 4) and dropped fires it. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_NONE(n);
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), p));
	EXPECT_NOTIF(n, ID_NO_SENDERS, 4, 0);
	EXPECT_NONE(n);
	EXPECT_EQ(0U, STATUS_FIELD(p, mps_nsrequest));
}

TEST(no_senders_replace_and_cancel_return_previous)
{
	mach_port_name_t p = new_port_send(1), n1 = new_port(), n2 = new_port(), prev, prev2;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_NO_SENDERS, 0, n1, &prev));
	EXPECT_EQ(NULL_NAME, prev);
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_NO_SENDERS, 0, n2, &prev));
	ASSERT_TRUE(MACH_PORT_VALID(prev));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_of(prev));
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_NO_SENDERS, 0, MACH_PORT_NULL, &prev2));
	ASSERT_TRUE(MACH_PORT_VALID(prev2));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_of(prev2));
	EXPECT_EQ(0U, STATUS_FIELD(p, mps_nsrequest));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), p));
	EXPECT_NONE(n1);
	EXPECT_NONE(n2);
	/* prev names n1's right, prev2 n2's. */
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), prev));
	EXPECT_NOTIF(n1, ID_SEND_ONCE, 0, 0);
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), prev2));
	EXPECT_NOTIF(n2, ID_SEND_ONCE, 0, 0);
	EXPECT_NONE(n1);
	EXPECT_NONE(n2);
}

/* The port dies with the request unfired: the notify port gets a 71. */
TEST(no_senders_port_destroyed_unfired_send_once)
{
	mach_port_name_t p = new_port_send(1), q = new_port(), n = new_port(), prev;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_NE(NULL_NAME, q);
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_NO_SENDERS, 0, n, &prev));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_NOTIF(n, ID_SEND_ONCE, 0, 0);
	EXPECT_NONE(n);
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(p));
	/* No senders at all but sync above mscount: destroy also gives 71. */
	ASSERT_EQ(KERN_SUCCESS, request(q, ID_NO_SENDERS, 1, n, &prev));
	EXPECT_NONE(n);
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), q));
	EXPECT_NOTIF(n, ID_SEND_ONCE, 0, 0);
	EXPECT_NONE(n);
}

/*
 * The order of everything one port death sends (xnu-3248 ipc_port_destroy,
 * no pdrequest): 1. the no-senders request's send-once right is thrown away
 * (ipc_notify_send_once: 71); 2. the queued messages are destroyed in queue
 * order (ipc_mqueue_destroy, then ipc_kmsg_reap_delayed): here a message
 * carrying the last send right of q, whose no-senders request fires (70);
 * 3. ipc_port_dnnotify: a dead-name notification (72) for each request,
 * in request-table index order (`for (index = 1; index < size; index++)`),
 * which is not registration order: ipc_port_request_grow puts a new
 * table's slots on the free list highest first, so seven requests on the
 * names so[0..6] take the slots 1; 3, 2; 7, 6, 5, 4. Everything goes to
 * one notify port n, whose queue keeps the order they were sent in.
 */
TEST(port_death_notifications_in_xnu_order)
{
	enum { COUNT = 7 };
	/* The slot each request takes, and so the registration that fires k-th. */
	static const int slot_of[COUNT] = { 1, 3, 2, 7, 6, 5, 4 };
	mach_port_name_t p = new_port(), q = new_port_send(1), n = new_port(), so[COUNT], prev;
	int i, k;
	union notif m;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_NE(NULL_NAME, q);
	ASSERT_NE(NULL_NAME, n);
	for (i = 0; i < COUNT; i++) {
		so[i] = make_send_once(p);
		ASSERT_NE(NULL_NAME, so[i]);
		ASSERT_EQ(KERN_SUCCESS, request(so[i], ID_DEAD_NAME, 0, n, &prev));
		EXPECT_EQ(NULL_NAME, prev);
	}
	EXPECT_EQ(8U, dnrequests_size(p));
	/* No senders yet, sync above the mscount: armed, not fired. */
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_NO_SENDERS, 1, n, &prev));
	/* q's last send right goes into a message queued on p. */
	ASSERT_EQ(KERN_SUCCESS, request(q, ID_NO_SENDERS, 0, n, &prev));
	EXPECT_NONE(n);
	ASSERT_EQ(MACH_MSG_SUCCESS, send_right(p, q, MACH_MSG_TYPE_MOVE_SEND));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(q));
	EXPECT_EQ(1U, queued(p));
	EXPECT_NONE(n);

	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_NOTIF(n, ID_SEND_ONCE, 0, 0);
	EXPECT_NOTIF(n, ID_NO_SENDERS, 1, 0);
	for (k = 1; k <= COUNT; k++) {
		/* The k-th slot fires k-th: find whose it is. */
		for (i = 0; i < COUNT && slot_of[i] != k; i++)
			;
		ASSERT_EQ(MACH_MSG_SUCCESS, rcv(n, &m, 0));
		EXPECT_EQ(ID_DEAD_NAME, m.h.msgh_id);
		EXPECT_EQ(so[i], m.dead.not_port)
			TH_LOG("slot %d: want the request of so[%d] (0x%x), got 0x%x", k, i, so[i],
			       m.dead.not_port);
	}
	EXPECT_NONE(n);
	for (i = 0; i < COUNT; i++)
		EXPECT_EQ(2U, refs_of(so[i], MACH_PORT_RIGHT_DEAD_NAME));
}

/*
 * mach_port_destroy of a SEND_RECEIVE name holding the last send right:
 * ipc_right_destroy drops the send right first, so the request fires as
 * no-senders (70 with the mscount), not as 71.
 */
TEST(no_senders_destroy_send_receive_name)
{
	mach_port_name_t p = new_port_send(2), n = new_port(), prev;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_NO_SENDERS, 0, n, &prev));
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), p));
	EXPECT_NOTIF(n, ID_NO_SENDERS, 2, 0);
	EXPECT_NONE(n);
}

/* The notify port is the port itself: the request still works. */
TEST(no_senders_to_itself)
{
	mach_port_name_t p = new_port_send(1), prev;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_NO_SENDERS, 0, p, &prev));
	EXPECT_EQ(1U, STATUS_FIELD(p, mps_sorights));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), p));
	EXPECT_NOTIF(p, ID_NO_SENDERS, 1, 0);
	EXPECT_NONE(p);
	EXPECT_EQ(0U, STATUS_FIELD(p, mps_sorights));
}

/* ---------------------------------------------------------------------- */
/* Port-destroyed. */

/* Receives a port-destroyed notification; the receive right's name or NULL. */
static mach_port_name_t rcv_port_destroyed(struct __test_metadata *_metadata, mach_port_name_t n,
					   mach_msg_timeout_t ms)
{
	union notif m;
	mach_msg_return_t mr = rcv(n, &m, ms);

	EXPECT_EQ(MACH_MSG_SUCCESS, mr);
	if (mr != MACH_MSG_SUCCESS)
		return MACH_PORT_NULL;
	EXPECT_EQ(ID_PORT_DESTROYED, m.h.msgh_id);
	if (m.h.msgh_id != ID_PORT_DESTROYED)
		return MACH_PORT_NULL;
	check_notif(_metadata, &m, n, 0);
	EXPECT_EQ(1U, m.destroyed.not_body.msgh_descriptor_count);
	EXPECT_EQ((unsigned)MACH_MSG_PORT_DESCRIPTOR, (unsigned)m.destroyed.not_port.type);
	EXPECT_EQ((unsigned)MACH_MSG_TYPE_PORT_RECEIVE, (unsigned)m.destroyed.not_port.disposition);
	return m.destroyed.not_port.name;
}

TEST(port_destroyed_carries_receive_right_and_messages)
{
	mach_port_name_t p = new_port(), n = new_port(), prev = 1, r;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_NE(NULL_NAME, n);
	ASSERT_EQ(MACH_MSG_SUCCESS, send_simple(p, MACH_MSG_TYPE_MAKE_SEND, 0x101, 0));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_simple(p, MACH_MSG_TYPE_MAKE_SEND, 0x102, 0));
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_PORT_DESTROYED, 0, n, &prev));
	EXPECT_EQ(NULL_NAME, prev);
	EXPECT_EQ(1U, STATUS_FIELD(p, mps_pdrequest));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(0xdead0000U + KERN_INVALID_NAME, type_of(p));
	r = rcv_port_destroyed(_metadata, n, 0);
	ASSERT_TRUE(MACH_PORT_VALID(r));
	EXPECT_NONE(n);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(r));
	EXPECT_EQ(2U, queued(r));
	EXPECT_EQ(0U, STATUS_FIELD(r, mps_pdrequest)); /* used up */
	EXPECT_EQ(0U, STATUS_FIELD(r, mps_mscount));   /* reset in limbo */
	EXPECT_EQ(0U, STATUS_FIELD(r, mps_seqno));
	EXPECT_EQ(1U, STATUS_FIELD(r, mps_srights));   /* in the two messages */
	EXPECT_EQ(0x101, rcv_simple(r));
	EXPECT_EQ(0x102, rcv_simple(r));
	EXPECT_EQ(0U, queued(r));
	/* Without a request now, the port simply dies. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), r, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_NONE(n);
}

TEST(port_destroyed_by_mach_port_destroy)
{
	mach_port_name_t p = new_port_send(2), n = new_port(), prev, r;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_EQ(MACH_MSG_SUCCESS, send_simple(p, MACH_MSG_TYPE_COPY_SEND, 0x201, 0));
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_PORT_DESTROYED, 0, n, &prev));
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), p));
	EXPECT_EQ(0xdead0000U + KERN_INVALID_NAME, type_of(p));
	r = rcv_port_destroyed(_metadata, n, 0);
	ASSERT_TRUE(MACH_PORT_VALID(r));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(r));
	EXPECT_EQ(1U, queued(r));
	EXPECT_EQ(0x201, rcv_simple(r));
	/* The destroyed name's send urefs are gone: no senders left. */
	EXPECT_EQ(0U, STATUS_FIELD(r, mps_srights));
}

/*
 * A SEND_RECEIVE entry with a port-destroyed request: destroying the
 * receive right leaves a working send right under the name, and the
 * notification brings the receive right back to that name.
 */
TEST(port_destroyed_send_receive_entry_keeps_send)
{
	mach_port_name_t p = new_port_send(2), n = new_port(), prev, r;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_PORT_DESTROYED, 0, n, &prev));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_of(p));
	EXPECT_EQ(2U, refs_of(p, MACH_PORT_RIGHT_SEND));
	/* The port lives: a send works and is queued. */
	EXPECT_EQ(MACH_MSG_SUCCESS, send_simple(p, MACH_MSG_TYPE_COPY_SEND, 0x301, 0));
	r = rcv_port_destroyed(_metadata, n, 0);
	EXPECT_EQ(p, r);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(p));
	EXPECT_EQ(2U, refs_of(p, MACH_PORT_RIGHT_SEND));
	EXPECT_EQ(1U, queued(p));
	EXPECT_EQ(0x301, rcv_simple(p));
	EXPECT_NONE(n);
}

/* Dead-name registrations stay across the trip, and fire when it really dies. */
TEST(port_destroyed_keeps_dead_name_requests)
{
	mach_port_name_t p = new_port_send(1), n = new_port(), d = new_port(), prev, r;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_DEAD_NAME, 0, d, &prev));
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_PORT_DESTROYED, 0, n, &prev));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_NONE(d);
	EXPECT_EQ(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_DNREQUEST, type_of(p));
	r = rcv_port_destroyed(_metadata, n, 0);
	EXPECT_EQ(p, r);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE | MACH_PORT_TYPE_DNREQUEST, type_of(p));
	/* Now without a port-destroyed request: it dies for good. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_NOTIF(d, ID_DEAD_NAME, p, 0);
	EXPECT_NONE(d);
	EXPECT_NONE(n);
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(p));
	EXPECT_EQ(2U, refs_of(p, MACH_PORT_RIGHT_DEAD_NAME));
}

TEST(port_destroyed_replace_and_cancel)
{
	mach_port_name_t p = new_port(), n1 = new_port(), n2 = new_port(), prev, prev2;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_PORT_DESTROYED, 0, n1, &prev));
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_PORT_DESTROYED, 0, n2, &prev));
	ASSERT_TRUE(MACH_PORT_VALID(prev));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_of(prev));
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_PORT_DESTROYED, 0, MACH_PORT_NULL, &prev2));
	ASSERT_TRUE(MACH_PORT_VALID(prev2));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_of(prev2));
	EXPECT_EQ(0U, STATUS_FIELD(p, mps_pdrequest));
	/* Without a request it dies. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_NONE(n1);
	EXPECT_NONE(n2);
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), prev));
	EXPECT_NOTIF(n1, ID_SEND_ONCE, 0, 0);
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), prev2));
	EXPECT_NOTIF(n2, ID_SEND_ONCE, 0, 0);
}

/* The notify port destroyed with the notification in it: both die, no loop. */
TEST(port_destroyed_notify_port_destroyed_too)
{
	mach_port_name_t p = new_port(), n = new_port(), prev;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_PORT_DESTROYED, 0, n, &prev));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(1U, queued(n));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), n, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_EQ(0xdead0000U + KERN_INVALID_NAME, type_of(n));
}

/* The request fires to the port itself: circular, so the port dies. */
TEST(port_destroyed_to_itself_dies)
{
	mach_port_name_t holder, prev;
	mach_port_name_t s = send_only(1, &holder);

	ASSERT_NE(NULL_NAME, s);
	/* Get s's receive right back, register a request to itself, then drop it. */
	EXPECT_EQ(s, rcv_right(holder));
	ASSERT_EQ(KERN_SUCCESS, request(s, ID_PORT_DESTROYED, 0, s, &prev));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), s, MACH_PORT_RIGHT_RECEIVE, -1));
	/* The send right that stayed finds the port dead. */
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(s));
}

/* ---------------------------------------------------------------------- */
/* Send-possible. */

TEST(send_possible_immediate_with_room)
{
	mach_port_name_t p = new_port_send(1), n = new_port(), prev = 1;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_SEND_POSSIBLE, 1, n, &prev));
	EXPECT_EQ(NULL_NAME, prev);
	EXPECT_NOTIF(n, ID_SEND_POSSIBLE, p, 0);
	EXPECT_NONE(n);
	/* Nothing stays registered. */
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(p));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, names_type_of(p));
}

/* An immediate firing replaces (and returns) an earlier request. */
TEST(send_possible_immediate_returns_previous)
{
	mach_port_name_t p = new_port_send(1), n1 = new_port(), n2 = new_port(), prev = 1;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_DEAD_NAME, 0, n1, &prev));
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_SEND_POSSIBLE, 1, n2, &prev));
	EXPECT_NOTIF(n2, ID_SEND_POSSIBLE, p, 0);
	ASSERT_TRUE(MACH_PORT_VALID(prev));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_of(prev));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(p));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), prev));
	EXPECT_NOTIF(n1, ID_SEND_ONCE, 0, 0);
	EXPECT_NONE(n1);
	EXPECT_NONE(n2);
}

/*
 * A full queue, qlimit 1 and one message. The timed-out send gives its
 * COPY_SEND destination right back (pseudo-receive): one more send uref.
 */
static bool fill(mach_port_name_t p)
{
	return set_qlimit(p, 1) == KERN_SUCCESS &&
	       send_simple(p, MACH_MSG_TYPE_COPY_SEND, 0x1, 0) == MACH_MSG_SUCCESS &&
	       send_simple(p, MACH_MSG_TYPE_COPY_SEND, 0x2, 0) == MACH_SEND_TIMED_OUT;
}

/* A send-once right can always send: immediate even on a full queue. */
TEST(send_possible_immediate_send_once)
{
	mach_port_name_t p = new_port_send(1), n = new_port(), so, prev;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_TRUE(fill(p));
	so = make_send_once(p);
	ASSERT_NE(NULL_NAME, so);
	ASSERT_EQ(KERN_SUCCESS, request(so, ID_SEND_POSSIBLE, 1, n, &prev));
	EXPECT_NOTIF(n, ID_SEND_POSSIBLE, so, 0);
	EXPECT_NONE(n);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_of(so));
}

TEST(send_possible_full_queue_armed_fires_on_dequeue)
{
	mach_port_name_t p = new_port_send(1), n = new_port(), prev;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_TRUE(fill(p));
	/* Full: even sync=1 only registers. */
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_SEND_POSSIBLE, 1, n, &prev));
	EXPECT_NONE(n);
	/* mach_port_type strips the send-possible bits. */
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE | MACH_PORT_TYPE_DNREQUEST, type_of(p));
	EXPECT_EQ(MACH_SEND_TIMED_OUT, send_simple(p, MACH_MSG_TYPE_COPY_SEND, 0x3, MACH_SEND_NOTIFY));
	EXPECT_NONE(n);
	EXPECT_EQ(1U, queued(p));
	/* The receiver dequeues: 66 with the name. */
	EXPECT_EQ(0x1, rcv_simple(p));
	EXPECT_NOTIF(n, ID_SEND_POSSIBLE, p, 0);
	EXPECT_NONE(n);
	/* Used up. */
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(p));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, names_type_of(p));
	EXPECT_EQ(MACH_MSG_SUCCESS, send_simple(p, MACH_MSG_TYPE_COPY_SEND, 0x4, 0));
	EXPECT_EQ(0x4, rcv_simple(p));
	EXPECT_NONE(n);
}

/*
 * xnu-3248 ipc_port_request_alloc(): `if (immediate) { mask |=
 * IPR_SOR_SPARM_MASK; port->ip_sprequests = 1; }` -- a send-possible
 * request made with sync != 0 on a full queue is armed at once, so the next
 * dequeue fires it (ipc_port_spnotify, from ipc_kmsg_copyout_header), with
 * no sender ever using MACH_SEND_NOTIFY. mach_port_names shows it armed
 * (SPREQUEST without SPREQUEST_DELAYED).
 */
TEST(send_possible_sync_on_full_queue_armed_at_once_fires_on_dequeue)
{
	mach_port_name_t p = new_port_send(1), n = new_port(), prev = 0x77;
	const mach_port_type_t sr = MACH_PORT_TYPE_SEND_RECEIVE | MACH_PORT_TYPE_DNREQUEST;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_NE(NULL_NAME, n);
	ASSERT_TRUE(fill(p));
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_SEND_POSSIBLE, 1, n, &prev));
	EXPECT_EQ(NULL_NAME, prev);
	EXPECT_NONE(n);
	EXPECT_EQ(sr | MACH_PORT_TYPE_SPREQUEST, names_type_of(p));
	EXPECT_EQ(sr, type_of(p));
	/* The receiver dequeues: 66 at once, nobody having sent with MACH_SEND_NOTIFY. */
	EXPECT_EQ(0x1, rcv_simple(p));
	EXPECT_NOTIF(n, ID_SEND_POSSIBLE, p, 0);
	EXPECT_NONE(n);
	/* Fired: the slot stays with the entry, reported as nothing. */
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, names_type_of(p));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(p));
	/* Full again, emptied again: nothing more (the request is used up). */
	ASSERT_EQ(MACH_MSG_SUCCESS, send_simple(p, MACH_MSG_TYPE_COPY_SEND, 0x7, 0));
	EXPECT_EQ(0x7, rcv_simple(p));
	EXPECT_NONE(n);
}

/*
 * mach_port_names keeps the send-possible bits: a registered request not
 * yet armed is SPREQUEST | SPREQUEST_DELAYED (XNU ipc_port_request_type:
 * DELAYED while *not* armed), an armed one SPREQUEST only.
 */
TEST(send_possible_names_bits)
{
	mach_port_name_t p = new_port_send(1), n = new_port(), prev;
	const mach_port_type_t sr = MACH_PORT_TYPE_SEND_RECEIVE | MACH_PORT_TYPE_DNREQUEST;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_TRUE(fill(p));
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_SEND_POSSIBLE, 0, n, &prev));
	EXPECT_EQ(sr | MACH_PORT_TYPE_SPREQUEST | MACH_PORT_TYPE_SPREQUEST_DELAYED, names_type_of(p));
	EXPECT_EQ(MACH_SEND_TIMED_OUT, send_simple(p, MACH_MSG_TYPE_COPY_SEND, 0x3, MACH_SEND_NOTIFY));
	EXPECT_EQ(sr | MACH_PORT_TYPE_SPREQUEST, names_type_of(p));
	EXPECT_EQ(sr, type_of(p));
	EXPECT_EQ(0x1, rcv_simple(p));
	EXPECT_NOTIF(n, ID_SEND_POSSIBLE, p, 0);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, names_type_of(p));
}

/* Not armed (no MACH_SEND_NOTIFY): a dequeue does not fire it. */
TEST(send_possible_not_armed_without_send_notify)
{
	mach_port_name_t p = new_port_send(1), n = new_port(), prev;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_TRUE(fill(p));
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_SEND_POSSIBLE, 0, n, &prev));
	EXPECT_EQ(0x1, rcv_simple(p));
	EXPECT_NONE(n);
	/* MACH_SEND_NOTIFY with room: sent, not armed. */
	EXPECT_EQ(MACH_MSG_SUCCESS, send_simple(p, MACH_MSG_TYPE_COPY_SEND, 0x5, MACH_SEND_NOTIFY));
	EXPECT_EQ(0x5, rcv_simple(p));
	EXPECT_NONE(n);
	/* Still registered: arming it now works. */
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE | MACH_PORT_TYPE_DNREQUEST, type_of(p));
	ASSERT_TRUE(fill(p));
	EXPECT_EQ(MACH_SEND_TIMED_OUT, send_simple(p, MACH_MSG_TYPE_COPY_SEND, 0x6, MACH_SEND_NOTIFY));
	EXPECT_NONE(n);
	EXPECT_EQ(0x1, rcv_simple(p));
	EXPECT_NOTIF(n, ID_SEND_POSSIBLE, p, 0);
	EXPECT_NONE(n);
}

/* sync 0 registers even with room (no immediate firing); cancel returns it. */
TEST(send_possible_sync0_registers_even_with_room)
{
	mach_port_name_t p = new_port_send(1), n = new_port(), prev;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_SEND_POSSIBLE, 0, n, &prev));
	EXPECT_NONE(n);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE | MACH_PORT_TYPE_DNREQUEST, type_of(p));
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_SEND_POSSIBLE, 0, MACH_PORT_NULL, &prev));
	ASSERT_TRUE(MACH_PORT_VALID(prev));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_of(prev));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(p));
}

TEST(send_possible_on_dead_name_is_dead_name)
{
	mach_port_name_t d = MACH_PORT_NULL, n = new_port(), prev = 1;

	ASSERT_NE(NULL_NAME, n);
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_DEAD_NAME, &d));
	/* Even with sync 0. */
	ASSERT_EQ(KERN_SUCCESS, request(d, ID_SEND_POSSIBLE, 0, n, &prev));
	EXPECT_EQ(NULL_NAME, prev);
	EXPECT_NOTIF(n, ID_DEAD_NAME, d, 0);
	EXPECT_NONE(n);
	EXPECT_EQ(2U, refs_of(d, MACH_PORT_RIGHT_DEAD_NAME));
	ASSERT_EQ(KERN_SUCCESS, request(d, ID_SEND_POSSIBLE, 1, n, &prev));
	EXPECT_NOTIF(n, ID_DEAD_NAME, d, 0);
	EXPECT_EQ(3U, refs_of(d, MACH_PORT_RIGHT_DEAD_NAME));
}

/* A registered send-possible request whose port dies: a dead-name notification. */
TEST(send_possible_registered_port_dies)
{
	mach_port_name_t holder, n = new_port(), prev;
	mach_port_name_t s = send_only(1, &holder);

	ASSERT_NE(NULL_NAME, s);
	ASSERT_EQ(KERN_SUCCESS, request(s, ID_SEND_POSSIBLE, 0, n, &prev));
	ASSERT_EQ(KERN_SUCCESS, kill_held(holder));
	EXPECT_NOTIF(n, ID_DEAD_NAME, s, 0);
	EXPECT_NONE(n);
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(s));
	EXPECT_EQ(2U, refs_of(s, MACH_PORT_RIGHT_DEAD_NAME));
}

/* An armed request whose port dies: dead-name, not send-possible. */
TEST(send_possible_armed_port_dies)
{
	mach_port_name_t p = new_port_send(2), n = new_port(), prev;
	mach_port_urefs_t before;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_TRUE(fill(p));
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_SEND_POSSIBLE, 0, n, &prev));
	EXPECT_EQ(MACH_SEND_TIMED_OUT, send_simple(p, MACH_MSG_TYPE_COPY_SEND, 0x3, MACH_SEND_NOTIFY));
	/* Each timed-out COPY_SEND gave its destination right back: +1 uref. */
	before = refs_of(p, MACH_PORT_RIGHT_SEND);
	EXPECT_EQ(4U, before);
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_NOTIF(n, ID_DEAD_NAME, p, 0);
	EXPECT_NONE(n);
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(p));
	EXPECT_EQ(before + 1, refs_of(p, MACH_PORT_RIGHT_DEAD_NAME));
}

/*
 * After a send-possible notification fired, the slot holds no right any
 * more: the port's death sends no dead-name notification, and the lazy
 * conversion to a dead name adds no uref (ipc_right_check only counts a
 * slot whose send-once right is still there).
 */
TEST(send_possible_fired_then_port_dies)
{
	mach_port_name_t holder, n = new_port(), prev;
	mach_port_name_t s = new_port_send(1);
	mach_port_urefs_t before;

	ASSERT_NE(NULL_NAME, s);
	holder = new_port();
	ASSERT_NE(NULL_NAME, holder);
	ASSERT_TRUE(fill(s));
	ASSERT_EQ(KERN_SUCCESS, request(s, ID_SEND_POSSIBLE, 0, n, &prev));
	EXPECT_EQ(MACH_SEND_TIMED_OUT, send_simple(s, MACH_MSG_TYPE_COPY_SEND, 0x3, MACH_SEND_NOTIFY));
	EXPECT_EQ(0x1, rcv_simple(s));
	EXPECT_NOTIF(n, ID_SEND_POSSIBLE, s, 0);
	/* Make s send-only, then kill the port. */
	ASSERT_EQ(MACH_MSG_SUCCESS, send_right(holder, s, MACH_MSG_TYPE_MOVE_RECEIVE));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_of(s));
	before = refs_of(s, MACH_PORT_RIGHT_SEND);
	EXPECT_EQ(3U, before); /* 1 + two timed-out COPY_SENDs given back */
	ASSERT_EQ(KERN_SUCCESS, kill_held(holder));
	EXPECT_NONE(n);
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(s));
	EXPECT_EQ(before, refs_of(s, MACH_PORT_RIGHT_DEAD_NAME));
}

/*
 * The same on a SEND_RECEIVE entry destroyed by mod_refs(RECEIVE, -1):
 * XNU 3248 ipc_right_delta adds the uref whenever the entry has a request
 * index, used up or not (a quirk), and sends nothing.
 */
TEST(send_possible_fired_then_receive_destroyed)
{
	mach_port_name_t p = new_port_send(1), n = new_port(), prev;
	mach_port_urefs_t before;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_TRUE(fill(p));
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_SEND_POSSIBLE, 0, n, &prev));
	EXPECT_EQ(MACH_SEND_TIMED_OUT, send_simple(p, MACH_MSG_TYPE_COPY_SEND, 0x3, MACH_SEND_NOTIFY));
	EXPECT_EQ(0x1, rcv_simple(p));
	EXPECT_NOTIF(n, ID_SEND_POSSIBLE, p, 0);
	before = refs_of(p, MACH_PORT_RIGHT_SEND);
	EXPECT_EQ(3U, before);
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_NONE(n);
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(p));
	EXPECT_EQ(before + 1, refs_of(p, MACH_PORT_RIGHT_DEAD_NAME));
}

/* A dequeue fires armed send-possible requests only, not dead-name ones. */
TEST(send_possible_dequeue_leaves_dead_name_requests)
{
	mach_port_name_t p = new_port_send(1), n = new_port(), so, prev;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_TRUE(fill(p));
	so = make_send_once(p);
	ASSERT_NE(NULL_NAME, so);
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_SEND_POSSIBLE, 0, n, &prev));
	ASSERT_EQ(KERN_SUCCESS, request(so, ID_DEAD_NAME, 0, n, &prev));
	EXPECT_EQ(MACH_SEND_TIMED_OUT, send_simple(p, MACH_MSG_TYPE_COPY_SEND, 0x3, MACH_SEND_NOTIFY));
	EXPECT_EQ(0x1, rcv_simple(p));
	EXPECT_NOTIF(n, ID_SEND_POSSIBLE, p, 0);
	EXPECT_NONE(n);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE | MACH_PORT_TYPE_DNREQUEST, type_of(so));
	/* The port's death fires the one on so. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_NOTIF(n, ID_DEAD_NAME, so, 0);
	EXPECT_NONE(n);
}

/* ---------------------------------------------------------------------- */
/* Across processes. */

/* Names children fill in the parent's space (far from anything allocated). */
#define PEER_NAME(i) NAME(0x1000 + (i), 3)
#define TASK_NAME(i) NAME(0x1100 + (i), 3)
/* A name in child i's space for a send right to child j's port. */
#define CROSS_NAME(i, j) NAME(0x1200 + (i) * 16 + (j), 5)

/* Child: reports ready, then waits for the parent's word (or its death). */
static void ready_and_wait(int rd, int wr)
{
	uint32_t v;

	CHILD_TRUE(put(wr, 0));
	(void)get(rd, &v);
}

/* Child: a port with idx + 3 send urefs under PEER_NAME(0) in the parent. */
static void child_gives_send(int idx, int rd, int wr)
{
	mach_port_name_t p = new_port();

	CHILD_TRUE(p != MACH_PORT_NULL);
	CHILD_EQ(KERN_SUCCESS, mach_port_insert_right(bootstrap_port, PEER_NAME(0), p,
						     MACH_MSG_TYPE_MAKE_SEND));
	CHILD_EQ(KERN_SUCCESS, mach_port_mod_refs(bootstrap_port, PEER_NAME(0), MACH_PORT_RIGHT_SEND,
						 idx + 2));
	ready_and_wait(rd, wr);
}

/* The receiver process is killed: one 72, and the dead name has urefs + 1. */
TEST(cross_dead_name_receiver_killed)
{
	mach_port_name_t n = new_port(), prev = 1;
	struct kid k;

	ASSERT_NE(NULL_NAME, n);
	ASSERT_TRUE(spawn(&k, SPAWN_PARENT_TASK | SPAWN_WAIT_READY, child_gives_send, 0));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_of(PEER_NAME(0)));
	EXPECT_EQ(3U, refs_of(PEER_NAME(0), MACH_PORT_RIGHT_SEND));
	ASSERT_EQ(KERN_SUCCESS, request(PEER_NAME(0), ID_DEAD_NAME, 0, n, &prev));
	EXPECT_EQ(NULL_NAME, prev);
	EXPECT_NONE(n);
	EXPECT_TRUE(kill_kid(&k));
	EXPECT_NOTIF(n, ID_DEAD_NAME, PEER_NAME(0), 5000);
	EXPECT_NONE(n);
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, names_type_of(PEER_NAME(0)));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(PEER_NAME(0)));
	EXPECT_EQ(4U, refs_of(PEER_NAME(0), MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_NONE(n);
}

/* The receiver exits by itself: the same. */
TEST(cross_dead_name_receiver_exits)
{
	mach_port_name_t n = new_port(), prev;
	struct kid k;

	ASSERT_NE(NULL_NAME, n);
	ASSERT_TRUE(spawn(&k, SPAWN_PARENT_TASK | SPAWN_WAIT_READY, child_gives_send, 2));
	EXPECT_EQ(5U, refs_of(PEER_NAME(0), MACH_PORT_RIGHT_SEND));
	ASSERT_EQ(KERN_SUCCESS, request(PEER_NAME(0), ID_DEAD_NAME, 0, n, &prev));
	EXPECT_TRUE(end_kid(&k));
	EXPECT_NOTIF(n, ID_DEAD_NAME, PEER_NAME(0), 5000);
	EXPECT_NONE(n);
	EXPECT_EQ(6U, refs_of(PEER_NAME(0), MACH_PORT_RIGHT_DEAD_NAME));
}

/* Without a request the dead name keeps its urefs and nothing is sent. */
TEST(cross_receiver_killed_no_request)
{
	mach_port_name_t n = new_port();
	struct kid k;

	ASSERT_NE(NULL_NAME, n);
	ASSERT_TRUE(spawn(&k, SPAWN_PARENT_TASK | SPAWN_WAIT_READY, child_gives_send, 0));
	EXPECT_TRUE(kill_kid(&k));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(PEER_NAME(0)));
	EXPECT_EQ(3U, refs_of(PEER_NAME(0), MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_NONE(n);
}

#define SEVERAL 5

/* Child: SEVERAL ports, PEER_NAME(i) with i + 1 urefs. */
static void child_gives_several(int idx, int rd, int wr)
{
	int i;

	(void)idx;
	for (i = 0; i < SEVERAL; i++) {
		mach_port_name_t p = new_port();

		CHILD_TRUE(p != MACH_PORT_NULL);
		CHILD_EQ(KERN_SUCCESS, mach_port_insert_right(bootstrap_port, PEER_NAME(i), p,
							     MACH_MSG_TYPE_MAKE_SEND));
		if (i)
			CHILD_EQ(KERN_SUCCESS, mach_port_mod_refs(bootstrap_port, PEER_NAME(i),
								 MACH_PORT_RIGHT_SEND, i));
	}
	ready_and_wait(rd, wr);
}

TEST(cross_dead_name_several_names)
{
	mach_port_name_t n[2] = { new_port(), new_port() }, prev;
	int seen[SEVERAL] = { 0 }, i, j, other = 0;
	union notif m;
	struct kid k;

	ASSERT_NE(NULL_NAME, n[0]);
	ASSERT_NE(NULL_NAME, n[1]);
	ASSERT_TRUE(spawn(&k, SPAWN_PARENT_TASK | SPAWN_WAIT_READY, child_gives_several, 0));
	for (i = 0; i < SEVERAL; i++) {
		EXPECT_EQ((unsigned)i + 1, refs_of(PEER_NAME(i), MACH_PORT_RIGHT_SEND));
		ASSERT_EQ(KERN_SUCCESS, request(PEER_NAME(i), ID_DEAD_NAME, 0, n[i % 2], &prev));
	}
	EXPECT_TRUE(kill_kid(&k));
	for (i = 0; i < SEVERAL; i++) {
		if (rcv(n[i % 2], &m, 5000) != MACH_MSG_SUCCESS) {
			other++;
			continue;
		}
		EXPECT_EQ(ID_DEAD_NAME, m.h.msgh_id);
		for (j = 0; j < SEVERAL; j++)
			if (m.dead.not_port == PEER_NAME(j))
				seen[j]++;
	}
	EXPECT_EQ(0, other);
	EXPECT_NONE(n[0]);
	EXPECT_NONE(n[1]);
	for (i = 0; i < SEVERAL; i++) {
		EXPECT_EQ(1, seen[i]);
		EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(PEER_NAME(i)));
		EXPECT_EQ((unsigned)i + 2, refs_of(PEER_NAME(i), MACH_PORT_RIGHT_DEAD_NAME));
	}
}

/* Child: takes a right made from the parent's receive right `port` (passed as idx). */
static void child_takes_send(int idx, int rd, int wr)
{
	mach_port_name_t got = 0;
	mach_msg_type_name_t t = 0;

	CHILD_EQ(KERN_SUCCESS, mach_port_extract_right(bootstrap_port, (mach_port_name_t)idx,
						      MACH_MSG_TYPE_MAKE_SEND, &got, &t));
	CHILD_EQ((mach_msg_type_name_t)MACH_MSG_TYPE_PORT_SEND, t);
	ready_and_wait(rd, wr);
}

static void child_takes_send_once(int idx, int rd, int wr)
{
	mach_port_name_t got = 0;
	mach_msg_type_name_t t = 0;

	CHILD_EQ(KERN_SUCCESS, mach_port_extract_right(bootstrap_port, (mach_port_name_t)idx,
						      MACH_MSG_TYPE_MAKE_SEND_ONCE, &got, &t));
	CHILD_EQ((mach_msg_type_name_t)MACH_MSG_TYPE_PORT_SEND_ONCE, t);
	ready_and_wait(rd, wr);
}

/* The only send right's holder dies: no-senders. */
TEST(cross_no_senders_holder_killed)
{
	mach_port_name_t p = new_port(), n = new_port(), prev;
	struct kid k;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_TRUE(spawn(&k, SPAWN_PARENT_TASK | SPAWN_WAIT_READY, child_takes_send, (int)p));
	EXPECT_EQ(1U, STATUS_FIELD(p, mps_srights));
	EXPECT_EQ(1U, STATUS_FIELD(p, mps_mscount));
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_NO_SENDERS, 0, n, &prev));
	EXPECT_NONE(n);
	EXPECT_TRUE(kill_kid(&k));
	EXPECT_NOTIF(n, ID_NO_SENDERS, 1, 5000);
	EXPECT_NONE(n);
	EXPECT_EQ(0U, STATUS_FIELD(p, mps_srights));
}

TEST(cross_no_senders_holder_exits)
{
	mach_port_name_t p = new_port(), n = new_port(), prev;
	struct kid k;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_EQ(KERN_SUCCESS, mach_port_set_mscount(mach_task_self(), p, 9));
	ASSERT_TRUE(spawn(&k, SPAWN_PARENT_TASK | SPAWN_WAIT_READY, child_takes_send, (int)p));
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_NO_SENDERS, 0, n, &prev));
	EXPECT_TRUE(end_kid(&k));
	EXPECT_NOTIF(n, ID_NO_SENDERS, 10, 5000);
	EXPECT_NONE(n);
}

/* A process exits holding an unused send-once right: its port gets 71. */
TEST(cross_send_once_holder_exits)
{
	mach_port_name_t p = new_port();
	struct kid k;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_TRUE(spawn(&k, SPAWN_PARENT_TASK | SPAWN_WAIT_READY, child_takes_send_once, (int)p));
	EXPECT_EQ(1U, STATUS_FIELD(p, mps_sorights));
	EXPECT_NONE(p);
	EXPECT_TRUE(end_kid(&k));
	EXPECT_NOTIF(p, ID_SEND_ONCE, 0, 5000);
	EXPECT_NONE(p);
	EXPECT_EQ(0U, STATUS_FIELD(p, mps_sorights));
}

TEST(cross_send_once_holder_killed)
{
	mach_port_name_t p = new_port();
	struct kid k[3];
	int i;

	ASSERT_NE(NULL_NAME, p);
	for (i = 0; i < 3; i++)
		ASSERT_TRUE(spawn(&k[i], SPAWN_PARENT_TASK | SPAWN_WAIT_READY, child_takes_send_once, (int)p));
	EXPECT_EQ(3U, STATUS_FIELD(p, mps_sorights));
	for (i = 0; i < 3; i++)
		EXPECT_TRUE(kill_kid(&k[i]));
	for (i = 0; i < 3; i++)
		EXPECT_NOTIF(p, ID_SEND_ONCE, 0, 5000);
	EXPECT_NONE(p);
}

/*
 * Child: a port holding one message, with a port-destroyed request whose
 * send-once right goes to the parent's port `idx`.
 */
static void child_port_destroyed(int idx, int rd, int wr)
{
	mach_port_name_t q = new_port(), so = 0, prev = 1;
	mach_msg_type_name_t t = 0;

	CHILD_TRUE(q != MACH_PORT_NULL);
	CHILD_EQ(MACH_MSG_SUCCESS, send_simple(q, MACH_MSG_TYPE_MAKE_SEND, 0x4242, 0));
	CHILD_EQ(KERN_SUCCESS, mach_port_extract_right(bootstrap_port, (mach_port_name_t)idx,
						      MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &t));
	CHILD_EQ(KERN_SUCCESS, mach_port_request_notification(mach_task_self(), q, ID_PORT_DESTROYED,
							     0, so, MACH_MSG_TYPE_MOVE_SEND_ONCE,
							     &prev));
	CHILD_EQ((mach_port_name_t)MACH_PORT_NULL, prev);
	ready_and_wait(rd, wr);
}

/* A dying process's receive right is saved by a port-destroyed request. */
TEST(cross_port_destroyed_rescues_receive_right)
{
	mach_port_name_t n = new_port(), r;
	struct kid k;

	ASSERT_NE(NULL_NAME, n);
	ASSERT_TRUE(spawn(&k, SPAWN_PARENT_TASK | SPAWN_WAIT_READY, child_port_destroyed, (int)n));
	EXPECT_NONE(n);
	EXPECT_TRUE(kill_kid(&k));
	r = rcv_port_destroyed(_metadata, n, 5000);
	ASSERT_TRUE(MACH_PORT_VALID(r));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(r));
	EXPECT_EQ(1U, queued(r));
	EXPECT_EQ(0x4242, rcv_simple(r));
	EXPECT_NONE(n);
}

/*
 * Child: a send right to the parent's port `idx` with a dead-name request
 * whose send-once right goes to the same parent port; the child's name for
 * it is sent to the parent on the pipe.
 */
static void child_watches(int idx, int rd, int wr)
{
	mach_port_name_t s = 0, so = 0, prev = 1;
	mach_msg_type_name_t t = 0;

	CHILD_EQ(KERN_SUCCESS, mach_port_extract_right(bootstrap_port, (mach_port_name_t)idx,
						      MACH_MSG_TYPE_MAKE_SEND, &s, &t));
	CHILD_EQ(KERN_SUCCESS, mach_port_extract_right(bootstrap_port, (mach_port_name_t)idx,
						      MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &t));
	CHILD_EQ(KERN_SUCCESS, mach_port_request_notification(mach_task_self(), s, ID_DEAD_NAME, 0, so,
							     MACH_MSG_TYPE_MOVE_SEND_ONCE, &prev));
	CHILD_TRUE(put(wr, 0));
	CHILD_TRUE(put(wr, s));
	(void)get(rd, &s);
}

/* A space dies holding a watched send right: port-deleted for its name. */
TEST(cross_watched_send_right_holder_dies)
{
	mach_port_name_t p = new_port();
	uint32_t name = 0;
	struct kid k;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_TRUE(spawn(&k, SPAWN_PARENT_TASK | SPAWN_WAIT_READY, child_watches, (int)p));
	ASSERT_TRUE(get(k.rd, &name));
	ASSERT_TRUE(MACH_PORT_VALID(name));
	EXPECT_EQ(1U, STATUS_FIELD(p, mps_srights));
	EXPECT_EQ(1U, STATUS_FIELD(p, mps_sorights));
	EXPECT_TRUE(kill_kid(&k));
	/* Port-deleted with the child's name, to p itself. */
	EXPECT_NOTIF(p, ID_PORT_DELETED, name, 5000);
	EXPECT_NONE(p);
	EXPECT_EQ(0U, STATUS_FIELD(p, mps_srights));
	EXPECT_EQ(0U, STATUS_FIELD(p, mps_sorights));
}

/* ---------------------------------------------------------------------- */
/* More corners. */

/* Many requests on one port (one per send-once name): the table grows. */
TEST(dead_name_table_grows)
{
	enum { COUNT = 40 };
	mach_port_name_t p = new_port(), n = new_port(), so[COUNT], prev;
	mach_msg_type_number_t cnt = MACH_PORT_DNREQUESTS_SIZE_COUNT;
	int size = 0, seen[COUNT] = { 0 }, i, j;
	union notif m;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_NE(NULL_NAME, n);
	for (i = 0; i < COUNT; i++) {
		so[i] = make_send_once(p);
		ASSERT_NE(NULL_NAME, so[i]);
		ASSERT_EQ(KERN_SUCCESS, request(so[i], ID_DEAD_NAME, 0, n, &prev));
		EXPECT_EQ(NULL_NAME, prev);
	}
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_attributes(mach_task_self(), p, MACH_PORT_DNREQUESTS_SIZE,
						       (mach_port_info_t)&size, &cnt));
	EXPECT_LT(COUNT, size); /* slot 0 is the header */
	/* Cancel one and register it again (the slot is reused). */
	ASSERT_EQ(KERN_SUCCESS, request(so[7], ID_DEAD_NAME, 0, MACH_PORT_NULL, &prev));
	ASSERT_TRUE(MACH_PORT_VALID(prev));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), prev));
	EXPECT_NOTIF(n, ID_SEND_ONCE, 0, 0);
	ASSERT_EQ(KERN_SUCCESS, request(so[7], ID_DEAD_NAME, 0, n, &prev));
	EXPECT_EQ(NULL_NAME, prev);
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1));
	for (i = 0; i < COUNT; i++) {
		ASSERT_EQ(MACH_MSG_SUCCESS, rcv(n, &m, 0));
		EXPECT_EQ(ID_DEAD_NAME, m.h.msgh_id);
		for (j = 0; j < COUNT; j++)
			if (m.dead.not_port == so[j])
				seen[j]++;
	}
	EXPECT_NONE(n);
	for (i = 0; i < COUNT; i++) {
		EXPECT_EQ(1, seen[i]);
		EXPECT_EQ(2U, refs_of(so[i], MACH_PORT_RIGHT_DEAD_NAME));
	}
}

/*
 * Cancelling a request whose port died (the name not yet converted): the
 * notification already went out; the name becomes a dead name (+1 uref)
 * and the call fails with KERN_INVALID_ARGUMENT.
 */
TEST(dead_name_cancel_after_lazy_death)
{
	mach_port_name_t holder, n = new_port(), prev = 1;
	mach_port_name_t s = send_only(1, &holder);

	ASSERT_NE(NULL_NAME, s);
	ASSERT_EQ(KERN_SUCCESS, request(s, ID_DEAD_NAME, 0, n, &prev));
	ASSERT_EQ(KERN_SUCCESS, kill_held(holder));
	EXPECT_EQ(KERN_INVALID_ARGUMENT, request(s, ID_DEAD_NAME, 0, MACH_PORT_NULL, &prev));
	EXPECT_NOTIF(n, ID_DEAD_NAME, s, 0);
	EXPECT_NONE(n);
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(s));
	EXPECT_EQ(2U, refs_of(s, MACH_PORT_RIGHT_DEAD_NAME));
}

/* A watched name found dead by mach_port_destroy: the 72 only, no 65. */
TEST(dead_name_lazy_then_destroy)
{
	mach_port_name_t holder, n = new_port(), prev;
	mach_port_name_t s = send_only(1, &holder);

	ASSERT_NE(NULL_NAME, s);
	ASSERT_EQ(KERN_SUCCESS, request(s, ID_DEAD_NAME, 0, n, &prev));
	ASSERT_EQ(KERN_SUCCESS, kill_held(holder));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), s));
	EXPECT_EQ(0xdead0000U + KERN_INVALID_NAME, type_of(s));
	EXPECT_NOTIF(n, ID_DEAD_NAME, s, 0);
	EXPECT_NONE(n);
}

/* ...by mach_port_deallocate: converted first (2 urefs), one dropped. */
TEST(dead_name_lazy_then_deallocate)
{
	mach_port_name_t holder, n = new_port(), prev;
	mach_port_name_t s = send_only(1, &holder);

	ASSERT_NE(NULL_NAME, s);
	ASSERT_EQ(KERN_SUCCESS, request(s, ID_DEAD_NAME, 0, n, &prev));
	ASSERT_EQ(KERN_SUCCESS, kill_held(holder));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), s));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(s));
	EXPECT_EQ(1U, refs_of(s, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_NOTIF(n, ID_DEAD_NAME, s, 0);
	EXPECT_NONE(n);
}

/* ...by mod_refs(SEND, -1): KERN_INVALID_RIGHT, converted (2 urefs). */
TEST(dead_name_lazy_then_mod_refs_send)
{
	mach_port_name_t holder, n = new_port(), prev;
	mach_port_name_t s = send_only(1, &holder);

	ASSERT_NE(NULL_NAME, s);
	ASSERT_EQ(KERN_SUCCESS, request(s, ID_DEAD_NAME, 0, n, &prev));
	ASSERT_EQ(KERN_SUCCESS, kill_held(holder));
	EXPECT_EQ(KERN_INVALID_RIGHT, mach_port_mod_refs(mach_task_self(), s, MACH_PORT_RIGHT_SEND, -1));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(s));
	EXPECT_EQ(2U, refs_of(s, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_NOTIF(n, ID_DEAD_NAME, s, 0);
	EXPECT_NONE(n);
}

/* ...by a send to it: MACH_SEND_INVALID_DEST, converted (2 urefs). */
TEST(dead_name_lazy_then_send)
{
	mach_port_name_t holder, n = new_port(), prev;
	mach_port_name_t s = send_only(1, &holder);

	ASSERT_NE(NULL_NAME, s);
	ASSERT_EQ(KERN_SUCCESS, request(s, ID_DEAD_NAME, 0, n, &prev));
	ASSERT_EQ(KERN_SUCCESS, kill_held(holder));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, send_simple(s, MACH_MSG_TYPE_COPY_SEND, 0x9, 0));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(s));
	EXPECT_EQ(2U, refs_of(s, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_NOTIF(n, ID_DEAD_NAME, s, 0);
	EXPECT_NONE(n);
}

/* A receive-only entry with a request, its receive right sent away: 65. */
TEST(port_deleted_receive_right_moved)
{
	mach_port_name_t p = new_port(), q = new_port(), n = new_port(), prev, got;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_NE(NULL_NAME, q);
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_DEAD_NAME, 0, n, &prev));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_right(q, p, MACH_MSG_TYPE_MOVE_RECEIVE));
	EXPECT_NOTIF(n, ID_PORT_DELETED, p, 0);
	EXPECT_NONE(n);
	got = rcv_right(q);
	EXPECT_TRUE(MACH_PORT_VALID(got));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(got));
}

/* Requests on a kernel port (our task port). */
TEST(requests_on_kernel_port)
{
	mach_port_name_t n = new_port(), prev = 1, t = mach_task_self();

	ASSERT_NE(NULL_NAME, n);
	/* Send-possible on a kernel port fires at once. */
	ASSERT_EQ(KERN_SUCCESS, request(t, ID_SEND_POSSIBLE, 1, n, &prev));
	EXPECT_EQ(NULL_NAME, prev);
	EXPECT_NOTIF(n, ID_SEND_POSSIBLE, t, 0);
	EXPECT_NONE(n);
	/* Dead-name registers. */
	ASSERT_EQ(KERN_SUCCESS, request(t, ID_DEAD_NAME, 0, n, &prev));
	EXPECT_EQ(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_DNREQUEST, type_of(t));
	ASSERT_EQ(KERN_SUCCESS, request(t, ID_DEAD_NAME, 0, MACH_PORT_NULL, &prev));
	ASSERT_TRUE(MACH_PORT_VALID(prev));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_of(t));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), prev));
	EXPECT_NOTIF(n, ID_SEND_ONCE, 0, 0);
	EXPECT_NONE(n);
}

/* After a send-possible notification, dropping the name sends no 65. */
TEST(send_possible_fired_then_deallocate)
{
	mach_port_name_t holder, n = new_port(), prev;
	mach_port_name_t s = new_port_send(1);

	ASSERT_NE(NULL_NAME, s);
	holder = new_port();
	ASSERT_TRUE(fill(s));
	ASSERT_EQ(KERN_SUCCESS, request(s, ID_SEND_POSSIBLE, 0, n, &prev));
	EXPECT_EQ(MACH_SEND_TIMED_OUT, send_simple(s, MACH_MSG_TYPE_COPY_SEND, 0x3, MACH_SEND_NOTIFY));
	EXPECT_EQ(0x1, rcv_simple(s));
	EXPECT_NOTIF(n, ID_SEND_POSSIBLE, s, 0);
	/* Again with room and sync: immediate. */
	ASSERT_EQ(KERN_SUCCESS, request(s, ID_SEND_POSSIBLE, 1, n, &prev));
	EXPECT_EQ(NULL_NAME, prev);
	EXPECT_NOTIF(n, ID_SEND_POSSIBLE, s, 0);
	/* Send-only, then dropped entirely. */
	ASSERT_EQ(MACH_MSG_SUCCESS, send_right(holder, s, MACH_MSG_TYPE_MOVE_RECEIVE));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), s, MACH_PORT_RIGHT_SEND,
						 -(mach_port_delta_t)refs_of(s, MACH_PORT_RIGHT_SEND)));
	EXPECT_EQ(0xdead0000U + KERN_INVALID_NAME, type_of(s));
	EXPECT_NONE(n);
}

/* A rescued port leaves its port sets. */
TEST(port_destroyed_leaves_port_set)
{
	mach_port_name_t p = new_port(), set = MACH_PORT_NULL, n = new_port(), prev, r;
	mach_port_name_array_t members = NULL;
	mach_msg_type_number_t cnt = 0;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &set));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), p, set));
	EXPECT_EQ(1U, STATUS_FIELD(p, mps_pset));
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_PORT_DESTROYED, 0, n, &prev));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1));
	r = rcv_port_destroyed(_metadata, n, 0);
	ASSERT_TRUE(MACH_PORT_VALID(r));
	EXPECT_EQ(0U, STATUS_FIELD(r, mps_pset));
	ASSERT_EQ(KERN_SUCCESS, mach_port_get_set_status(mach_task_self(), set, &members, &cnt));
	EXPECT_EQ(0U, cnt);
	if (members)
		vm_deallocate(mach_task_self(), (vm_address_t)members, cnt * sizeof(*members));
}

/*
 * The port-destroyed notification cannot be delivered (its notify port is
 * dead): the receive right is destroyed with it and the port dies for good.
 */
TEST(port_destroyed_notify_port_dead_port_dies)
{
	mach_port_name_t p = new_port(), n = new_port(), d = new_port(), so, prev;

	ASSERT_NE(NULL_NAME, p);
	so = make_send_once(p);
	ASSERT_NE(NULL_NAME, so);
	ASSERT_EQ(KERN_SUCCESS, request(so, ID_DEAD_NAME, 0, d, &prev));
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_PORT_DESTROYED, 0, n, &prev));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), n, MACH_PORT_RIGHT_RECEIVE, -1));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_NOTIF(d, ID_DEAD_NAME, so, 0);
	EXPECT_NONE(d);
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(so));
}

/*
 * Circular: the notify port's receive right is queued inside the port
 * itself. The notification would put the port inside its own queue, so
 * the port dies instead, and the notify port with it.
 */
TEST(port_destroyed_circular_both_die)
{
	mach_port_name_t p = new_port(), n = new_port(), d = new_port(), so_p, so_n, prev;
	union notif m;
	int seen_p = 0, seen_n = 0, i;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_NE(NULL_NAME, n);
	so_p = make_send_once(p);
	so_n = make_send_once(n);
	ASSERT_NE(NULL_NAME, so_p);
	ASSERT_NE(NULL_NAME, so_n);
	ASSERT_EQ(KERN_SUCCESS, request(so_p, ID_DEAD_NAME, 0, d, &prev));
	ASSERT_EQ(KERN_SUCCESS, request(so_n, ID_DEAD_NAME, 0, d, &prev));
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_PORT_DESTROYED, 0, n, &prev));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_right(p, n, MACH_MSG_TYPE_MOVE_RECEIVE));
	EXPECT_EQ(0xdead0000U + KERN_INVALID_NAME, type_of(n));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(MACH_MSG_SUCCESS, rcv(d, &m, WAIT_MS));
		EXPECT_EQ(ID_DEAD_NAME, m.h.msgh_id);
		seen_p += m.dead.not_port == so_p;
		seen_n += m.dead.not_port == so_n;
	}
	EXPECT_EQ(1, seen_p);
	EXPECT_EQ(1, seen_n);
	EXPECT_NONE(d);
}

/* A no-senders request travels with the rescued port (mscount reset to 0). */
TEST(port_destroyed_keeps_no_senders_request)
{
	mach_port_name_t p = new_port_send(1), n = new_port(), ns = new_port(), prev, r;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_NO_SENDERS, 0, ns, &prev));
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_PORT_DESTROYED, 0, n, &prev));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_NONE(ns);
	r = rcv_port_destroyed(_metadata, n, 0);
	EXPECT_EQ(p, r);
	EXPECT_EQ(1U, STATUS_FIELD(p, mps_nsrequest));
	EXPECT_EQ(0U, STATUS_FIELD(p, mps_mscount));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), p));
	EXPECT_NOTIF(ns, ID_NO_SENDERS, 0, 0);
	EXPECT_NONE(ns);
}

/*
 * Child: a port of its own with a no-senders request notifying the
 * parent's port `idx`; with `send`, the port also has its one send right
 * (SEND_RECEIVE), else it is receive-only (registered with sync 1).
 */
static void child_port_ns_request(int idx, int rd, int wr, bool send)
{
	mach_port_name_t q = send ? new_port_send(1) : new_port(), so = 0, prev = 1;
	mach_msg_type_name_t t = 0;

	CHILD_TRUE(q != MACH_PORT_NULL);
	CHILD_EQ(KERN_SUCCESS, mach_port_extract_right(bootstrap_port, (mach_port_name_t)idx,
						      MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &t));
	CHILD_EQ(KERN_SUCCESS, mach_port_request_notification(mach_task_self(), q, ID_NO_SENDERS,
							     send ? 0 : 1, so,
							     MACH_MSG_TYPE_MOVE_SEND_ONCE, &prev));
	ready_and_wait(rd, wr);
}

static void child_port_ns_request_send(int idx, int rd, int wr)
{
	child_port_ns_request(idx, rd, wr, true);
}

static void child_port_ns_request_receive(int idx, int rd, int wr)
{
	child_port_ns_request(idx, rd, wr, false);
}

/* A dying space's receive-only port with an unfired no-senders request: 71. */
TEST(cross_no_senders_request_dies_with_space)
{
	mach_port_name_t n = new_port();
	struct kid k;

	ASSERT_NE(NULL_NAME, n);
	ASSERT_TRUE(spawn(&k, SPAWN_PARENT_TASK | SPAWN_WAIT_READY, child_port_ns_request_receive, (int)n));
	EXPECT_TRUE(kill_kid(&k));
	EXPECT_NOTIF(n, ID_SEND_ONCE, 0, 5000);
	EXPECT_NONE(n);
}

/*
 * The same port holding its only send right (SEND_RECEIVE): space death
 * drops the send right before destroying the port (ipc_right_terminate),
 * so it is a no-senders notification (70, mscount 1), not 71.
 */
TEST(cross_no_senders_send_receive_dies_with_space)
{
	mach_port_name_t n = new_port();
	struct kid k;

	ASSERT_NE(NULL_NAME, n);
	ASSERT_TRUE(spawn(&k, SPAWN_PARENT_TASK | SPAWN_WAIT_READY, child_port_ns_request_send, (int)n));
	EXPECT_TRUE(kill_kid(&k));
	EXPECT_NOTIF(n, ID_NO_SENDERS, 1, 5000);
	EXPECT_NONE(n);
}

/* Child: a send-once right to the parent's port `idx`, watched (to the same port). */
static void child_watched_send_once(int idx, int rd, int wr)
{
	mach_port_name_t so = 0, so2 = 0, prev = 1;
	mach_msg_type_name_t t = 0;

	CHILD_EQ(KERN_SUCCESS, mach_port_extract_right(bootstrap_port, (mach_port_name_t)idx,
						      MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &t));
	CHILD_EQ(KERN_SUCCESS, mach_port_extract_right(bootstrap_port, (mach_port_name_t)idx,
						      MACH_MSG_TYPE_MAKE_SEND_ONCE, &so2, &t));
	CHILD_EQ(KERN_SUCCESS, mach_port_request_notification(mach_task_self(), so, ID_DEAD_NAME, 0,
							     so2, MACH_MSG_TYPE_MOVE_SEND_ONCE, &prev));
	CHILD_TRUE(put(wr, 0));
	CHILD_TRUE(put(wr, so));
	(void)get(rd, &so);
}

/* A dying space's watched send-once right: 71 for the right, 65 for the watch. */
TEST(cross_watched_send_once_holder_dies)
{
	mach_port_name_t p = new_port();
	uint32_t name = 0;
	union notif m;
	int so_seen = 0, del_seen = 0, i;
	struct kid k;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_TRUE(spawn(&k, SPAWN_PARENT_TASK | SPAWN_WAIT_READY, child_watched_send_once, (int)p));
	ASSERT_TRUE(get(k.rd, &name));
	EXPECT_EQ(2U, STATUS_FIELD(p, mps_sorights));
	EXPECT_TRUE(kill_kid(&k));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(MACH_MSG_SUCCESS, rcv(p, &m, 5000));
		if (m.h.msgh_id == ID_SEND_ONCE)
			so_seen++;
		if (m.h.msgh_id == ID_PORT_DELETED && m.dead.not_port == name)
			del_seen++;
	}
	EXPECT_EQ(1, so_seen);
	EXPECT_EQ(1, del_seen);
	EXPECT_NONE(p);
	EXPECT_EQ(0U, STATUS_FIELD(p, mps_sorights));
}

/* ---------------------------------------------------------------------- */
/* Notifications and messages. */

/* Notifications bypass the notify port's queue limit (send-once rights). */
TEST(notifications_ignore_qlimit)
{
	mach_port_name_t n = new_port(), so[3];
	int i;

	ASSERT_NE(NULL_NAME, n);
	ASSERT_EQ(KERN_SUCCESS, set_qlimit(n, 0));
	EXPECT_EQ(MACH_SEND_TIMED_OUT, send_simple(n, MACH_MSG_TYPE_MAKE_SEND, 0x1, 0));
	for (i = 0; i < 3; i++) {
		so[i] = make_send_once(n);
		ASSERT_NE(NULL_NAME, so[i]);
	}
	for (i = 0; i < 3; i++)
		EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), so[i]));
	EXPECT_EQ(3U, queued(n));
	for (i = 0; i < 3; i++)
		EXPECT_NOTIF(n, ID_SEND_ONCE, 0, 0);
	EXPECT_NONE(n);
}

/* The notify right given as MOVE_SEND_ONCE is consumed (also on failure). */
TEST(request_move_send_once_consumed)
{
	mach_port_name_t holder, n = new_port(), so, so2, prev = 1;
	mach_port_name_t s = send_only(1, &holder);

	ASSERT_NE(NULL_NAME, s);
	so = make_send_once(n);
	so2 = make_send_once(n);
	ASSERT_NE(NULL_NAME, so);
	ASSERT_NE(NULL_NAME, so2);
	ASSERT_EQ(KERN_SUCCESS, mach_port_request_notification(mach_task_self(), s, ID_DEAD_NAME, 0, so,
							      MACH_MSG_TYPE_MOVE_SEND_ONCE, &prev));
	EXPECT_EQ(NULL_NAME, prev);
	EXPECT_EQ(0xdead0000U + KERN_INVALID_NAME, type_of(so));
	/* A failing request destroys the moved right: 71, name gone. */
	EXPECT_EQ(KERN_INVALID_VALUE,
		  mach_port_request_notification(mach_task_self(), s, 1000, 0, so2,
						 MACH_MSG_TYPE_MOVE_SEND_ONCE, &prev));
	EXPECT_EQ(0xdead0000U + KERN_INVALID_NAME, type_of(so2));
	EXPECT_SO_QUIRK(n);
	EXPECT_EQ(1U, STATUS_FIELD(n, mps_sorights)); /* the registered one */
	ASSERT_EQ(KERN_SUCCESS, kill_held(holder));
	EXPECT_NOTIF(n, ID_DEAD_NAME, s, 0);
	EXPECT_NONE(n);
}

/*
 * The registered right names a port that died: the notification is lost,
 * but the slot held a right, so the dead name still gets its extra uref.
 */
TEST(dead_name_notify_port_dead)
{
	mach_port_name_t holder, n = new_port(), prev;
	mach_port_name_t s = send_only(1, &holder);

	ASSERT_NE(NULL_NAME, s);
	ASSERT_EQ(KERN_SUCCESS, request(s, ID_DEAD_NAME, 0, n, &prev));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), n, MACH_PORT_RIGHT_RECEIVE, -1));
	ASSERT_EQ(KERN_SUCCESS, kill_held(holder));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(s));
	EXPECT_EQ(2U, refs_of(s, MACH_PORT_RIGHT_DEAD_NAME));
}

/* Moving the receive right of a watched SEND_RECEIVE name keeps the request. */
TEST(dead_name_request_stays_when_receive_moved)
{
	mach_port_name_t p = new_port_send(1), holder = new_port(), n = new_port(), prev;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_NE(NULL_NAME, holder);
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_DEAD_NAME, 0, n, &prev));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_right(holder, p, MACH_MSG_TYPE_MOVE_RECEIVE));
	EXPECT_NONE(n);
	EXPECT_EQ(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_DNREQUEST, type_of(p));
	ASSERT_EQ(KERN_SUCCESS, kill_held(holder));
	EXPECT_NOTIF(n, ID_DEAD_NAME, p, 0);
	EXPECT_NONE(n);
	EXPECT_EQ(2U, refs_of(p, MACH_PORT_RIGHT_DEAD_NAME));
}

/* A watched send right moved away as a message's destination: 65. */
TEST(port_deleted_moved_as_destination)
{
	mach_port_name_t holder, n = new_port(), prev;
	mach_port_name_t s = send_only(1, &holder);

	ASSERT_NE(NULL_NAME, s);
	ASSERT_EQ(KERN_SUCCESS, request(s, ID_DEAD_NAME, 0, n, &prev));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_simple(s, MACH_MSG_TYPE_MOVE_SEND, 0x7, 0));
	EXPECT_NOTIF(n, ID_PORT_DELETED, s, 0);
	EXPECT_NONE(n);
	EXPECT_EQ(0xdead0000U + KERN_INVALID_NAME, type_of(s));
}

/* A watched send-once right used to send: consumed, 65 for the watch. */
TEST(port_deleted_send_once_used)
{
	mach_port_name_t p = new_port(), n = new_port(), so, prev;

	ASSERT_NE(NULL_NAME, p);
	so = make_send_once(p);
	ASSERT_NE(NULL_NAME, so);
	ASSERT_EQ(KERN_SUCCESS, request(so, ID_DEAD_NAME, 0, n, &prev));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_simple(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, 0x8, 0));
	EXPECT_EQ(0x8, rcv_simple(p));
	EXPECT_NONE(p); /* used, so no 71 */
	EXPECT_NOTIF(n, ID_PORT_DELETED, so, 0);
	EXPECT_NONE(n);
}

/* A watched send right moved as a reply right (MOVE_SEND in the local field): 65. */
TEST(port_deleted_moved_as_reply)
{
	mach_port_name_t holder, q = new_port(), n = new_port(), prev;
	mach_port_name_t s = send_only(1, &holder);
	struct smsg m;

	ASSERT_NE(NULL_NAME, s);
	ASSERT_NE(NULL_NAME, q);
	ASSERT_EQ(KERN_SUCCESS, request(s, ID_DEAD_NAME, 0, n, &prev));
	memset(&m, 0, sizeof(m));
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MOVE_SEND);
	m.h.msgh_size = sizeof(m);
	m.h.msgh_remote_port = q;
	m.h.msgh_local_port = s;
	m.h.msgh_id = 0x700;
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&m.h, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0,
					     MACH_PORT_NULL));
	EXPECT_NOTIF(n, ID_PORT_DELETED, s, 0);
	EXPECT_NONE(n);
}

/* The port-destroyed request travels with the receive right. */
TEST(port_destroyed_request_travels_with_receive_right)
{
	mach_port_name_t p = new_port(), q = new_port(), n = new_port(), prev, r, r2;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_NE(NULL_NAME, q);
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_PORT_DESTROYED, 0, n, &prev));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_right(q, p, MACH_MSG_TYPE_MOVE_RECEIVE));
	r = rcv_right(q);
	ASSERT_TRUE(MACH_PORT_VALID(r));
	EXPECT_EQ(1U, STATUS_FIELD(r, mps_pdrequest));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), r, MACH_PORT_RIGHT_RECEIVE, -1));
	r2 = rcv_port_destroyed(_metadata, n, 0);
	EXPECT_TRUE(MACH_PORT_VALID(r2));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(r2));
	EXPECT_NONE(n);
}

/* A receive right with a port-destroyed request destroyed in transit: 69. */
TEST(port_destroyed_in_transit)
{
	mach_port_name_t p = new_port(), q = new_port(), n = new_port(), prev, r;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_NE(NULL_NAME, q);
	ASSERT_EQ(MACH_MSG_SUCCESS, send_simple(p, MACH_MSG_TYPE_MAKE_SEND, 0x99, 0));
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_PORT_DESTROYED, 0, n, &prev));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_right(q, p, MACH_MSG_TYPE_MOVE_RECEIVE));
	EXPECT_NONE(n);
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), q, MACH_PORT_RIGHT_RECEIVE, -1));
	r = rcv_port_destroyed(_metadata, n, 0);
	ASSERT_TRUE(MACH_PORT_VALID(r));
	EXPECT_EQ(1U, queued(r));
	EXPECT_EQ(0x99, rcv_simple(r));
	EXPECT_NONE(n);
}

/*
 * A port-destroyed notification received into a buffer too small (no
 * MACH_RCV_LARGE): it is dequeued and destroyed, and the receive right it
 * carried with it, so the port dies for good.
 */
TEST(port_destroyed_notification_too_large_destroys_right)
{
	mach_port_name_t p = new_port(), n = new_port(), d = new_port(), so, prev;
	struct {
		mach_msg_header_t h;
		mach_msg_trailer_t t;
	} small;

	ASSERT_NE(NULL_NAME, p);
	so = make_send_once(p);
	ASSERT_NE(NULL_NAME, so);
	ASSERT_EQ(KERN_SUCCESS, request(so, ID_DEAD_NAME, 0, d, &prev));
	ASSERT_EQ(KERN_SUCCESS, request(p, ID_PORT_DESTROYED, 0, n, &prev));
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1));
	EXPECT_NONE(d);
	memset(&small, 0, sizeof(small));
	EXPECT_EQ(MACH_RCV_TOO_LARGE, mach_msg(&small.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					      sizeof(small), n, 0, MACH_PORT_NULL));
	EXPECT_EQ(ID_PORT_DESTROYED, small.h.msgh_id);
	EXPECT_EQ(0U, queued(n));
	EXPECT_NOTIF(d, ID_DEAD_NAME, so, 0);
	EXPECT_NONE(d);
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(so));
}

/* ---------------------------------------------------------------------- */
/* Races: requests replaced while the port dies. */

/* Requests each racer makes before the port dies under it. */
#define RACE_WARMUP 16U

struct racer {
	mach_port_name_t name, notify;
	unsigned calls;      /* requests made with a notify right */
	unsigned ok, dead;   /* KERN_SUCCESS, KERN_INVALID_ARGUMENT */
	unsigned other;      /* anything else */
	unsigned prev_bad;   /* a previous right that was not a send-once right */
};

/*
 * Replaces the dead-name request on `name` again and again, deallocating
 * each previous right (a 71 each), until the port has been found dead a
 * few times.
 */
static void *race_requests(void *arg)
{
	struct racer *r = arg;
	unsigned after_dead = 0;

	/* Until the port has been seen dead a few times (or a safety limit). */
	while (after_dead <= 5 && r->calls < 20000) {
		mach_port_name_t prev = MACH_PORT_NULL;
		kern_return_t kr = request(r->name, ID_DEAD_NAME, 0, r->notify, &prev);

		__atomic_store_n(&r->calls, r->calls + 1, __ATOMIC_RELAXED);
		if (kr == KERN_SUCCESS) {
			r->ok++;
			if (MACH_PORT_VALID(prev)) {
				if (type_of(prev) != MACH_PORT_TYPE_SEND_ONCE)
					r->prev_bad++;
				mach_port_deallocate(mach_task_self(), prev);
			}
		} else if (kr == KERN_INVALID_ARGUMENT) {
			r->dead++;
			after_dead++;
		} else {
			r->other++;
		}
	}
	return NULL;
}

/*
 * The receiver process is killed while two threads keep replacing the
 * dead-name request on our send right to its port. Every send-once right
 * made for a request ends as exactly one message on the notify port: a 71
 * (returned and deallocated, or destroyed by a failing request) or the
 * single 72 of the registration in place when the port died.
 */
TEST(race_request_replace_vs_receiver_death)
{
	mach_port_name_t n = new_port();
	struct racer r[2];
	pthread_t th[2];
	unsigned total = 0, so = 0, dn = 0, other = 0, i;
	union notif m;
	struct kid k;

	ASSERT_NE(NULL_NAME, n);
	ASSERT_TRUE(spawn(&k, SPAWN_PARENT_TASK | SPAWN_WAIT_READY, child_gives_send, -2)); /* one send uref */
	ASSERT_EQ(1U, refs_of(PEER_NAME(0), MACH_PORT_RIGHT_SEND));
	for (i = 0; i < 2; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].name = PEER_NAME(0);
		r[i].notify = n;
		ASSERT_EQ(0, pthread_create(&th[i], NULL, race_requests, &r[i]));
	}
	/* Kill the receiver while both threads are replacing requests. */
	for (i = 0; i < 2; i++)
		ASSERT_TRUE(POLL_UNTIL(__atomic_load_n(&r[i].calls, __ATOMIC_RELAXED) >= RACE_WARMUP,
				       BLOCK_WAIT_MS));
	kill(k.pid, SIGKILL);
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	EXPECT_TRUE(kill_kid(&k));

	for (i = 0; i < 2; i++) {
		TH_LOG("thread %u: %u calls, %u ok, %u dead, %u other", i, r[i].calls, r[i].ok,
		       r[i].dead, r[i].other);
		EXPECT_EQ(0U, r[i].other);
		EXPECT_EQ(0U, r[i].prev_bad);
		EXPECT_LT(0U, r[i].dead);
		total += r[i].calls;
	}
	/* Wait for the messages still due, then take whatever else is queued. */
	while (rcv(n, &m, so + dn + other < total ? WAIT_MS : 0) == MACH_MSG_SUCCESS) {
		if (m.h.msgh_id == ID_SEND_ONCE)
			so++;
		else if (m.h.msgh_id == ID_DEAD_NAME && m.dead.not_port == PEER_NAME(0))
			dn++;
		else
			other++;
	}
	TH_LOG("%u requests: %u send-once, %u dead-name, %u other", total, so, dn, other);
	EXPECT_EQ(1U, dn);
	EXPECT_EQ(0U, other);
	EXPECT_EQ(total, so + dn);
	EXPECT_EQ(0U, STATUS_FIELD(n, mps_sorights));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(PEER_NAME(0)));
	EXPECT_EQ(2U, refs_of(PEER_NAME(0), MACH_PORT_RIGHT_DEAD_NAME));
}

#define RACERS 4


/*
 * Child: a send right to the parent's port `idx` (PEER_NAME(0) in the
 * parent is its notify port); replaces its dead-name request on it again
 * and again, each time with a fresh send-once right to the parent's notify
 * port, until the port has been found dead a few times. Reports the number
 * of requests made, its name for the port, and whether the dead name has
 * the expected 2 urefs.
 */
static void child_races_requests(int idx, int rd, int wr)
{
	mach_port_name_t s = 0;
	mach_msg_type_name_t t = 0;
	uint32_t calls = 0, dead = 0, other = 0, v;

	CHILD_EQ(KERN_SUCCESS, mach_port_extract_right(bootstrap_port, (mach_port_name_t)idx,
						      MACH_MSG_TYPE_MAKE_SEND, &s, &t));
	CHILD_TRUE(put(wr, 0));
	while (dead < 4 && calls < 5000) {
		mach_port_name_t so = 0, prev = MACH_PORT_NULL;
		kern_return_t kr;

		CHILD_EQ(KERN_SUCCESS, mach_port_extract_right(bootstrap_port, PEER_NAME(0),
							      MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &t));
		kr = mach_port_request_notification(mach_task_self(), s, ID_DEAD_NAME, 0, so,
						    MACH_MSG_TYPE_MOVE_SEND_ONCE, &prev);
		/* Tell the parent once we are racing (it then destroys the port). */
		if (++calls == RACE_WARMUP)
			CHILD_TRUE(put(wr, 1));
		if (kr == KERN_SUCCESS) {
			if (MACH_PORT_VALID(prev))
				mach_port_deallocate(mach_task_self(), prev);
		} else if (kr == KERN_INVALID_ARGUMENT) {
			dead++;
		} else {
			other++;
		}
	}
	CHILD_TRUE(put(wr, calls));
	CHILD_TRUE(put(wr, s));
	CHILD_TRUE(put(wr, other));
	CHILD_TRUE(put(wr, type_of(s) == MACH_PORT_TYPE_DEAD_NAME &&
			   refs_of(s, MACH_PORT_RIGHT_DEAD_NAME) == 2));
	(void)get(rd, &v);
}

/*
 * RACERS processes keep replacing dead-name requests on their send rights
 * to one of our ports while we destroy it: one 72 per process, and every
 * other send-once right made for a request comes back as a 71.
 */
TEST(race_many_spaces_request_vs_port_destroy)
{
	mach_port_name_t p = new_port(), n = NULL_NAME, names[RACERS];
	uint32_t calls[RACERS], other, good, total = 0;
	unsigned so = 0, dn = 0, bad = 0, seen[RACERS] = { 0 };
	struct kid k[RACERS];
	union notif m;
	int i, j;

	ASSERT_NE(NULL_NAME, p);
	/* The notify port, under a name the children know. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_allocate_name(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
						      PEER_NAME(0)));
	n = PEER_NAME(0);
	for (i = 0; i < RACERS; i++)
		ASSERT_TRUE(spawn(&k[i], SPAWN_PARENT_TASK | SPAWN_WAIT_READY, child_races_requests, (int)p));
	/* Destroy the port while every child is replacing its request. */
	for (i = 0; i < RACERS; i++) {
		uint32_t racing = 0;

		ASSERT_TRUE(get(k[i].rd, &racing));
		ASSERT_EQ(1U, racing);
	}
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1));
	for (i = 0; i < RACERS; i++) {
		ASSERT_TRUE(get(k[i].rd, &calls[i]));
		ASSERT_TRUE(get(k[i].rd, &names[i]));
		ASSERT_TRUE(get(k[i].rd, &other));
		ASSERT_TRUE(get(k[i].rd, &good));
		EXPECT_EQ(0U, other);
		EXPECT_EQ(1U, good);
		total += calls[i];
	}
	for (i = 0; i < RACERS; i++)
		EXPECT_TRUE(end_kid(&k[i]));
	/* Wait for the messages still due, then take whatever else is queued. */
	while (rcv(n, &m, so + dn + bad < total ? WAIT_MS : 0) == MACH_MSG_SUCCESS) {
		if (m.h.msgh_id == ID_SEND_ONCE) {
			so++;
			continue;
		}
		if (m.h.msgh_id == ID_DEAD_NAME) {
			/* Names are per space: count one per child whose name matches. */
			for (j = 0; j < RACERS; j++)
				if (m.dead.not_port == names[j]) {
					dn++;
					seen[j]++;
					break;
				}
			if (j < RACERS)
				continue;
		}
		bad++;
	}
	TH_LOG("%u requests: %u send-once, %u dead-name, %u other", total, so, dn, bad);
	EXPECT_EQ(0U, bad);
	EXPECT_EQ((unsigned)RACERS, dn);
	EXPECT_EQ(total, so + dn);
	EXPECT_EQ(0U, STATUS_FIELD(n, mps_sorights));
}

/* Threads: one fills and drains a port, one arms send-possible requests. */
struct sp_racer {
	mach_port_name_t p, n;
	volatile bool *stop;
	unsigned armed, registered, failed;
};

static void *race_send_possible(void *arg)
{
	struct sp_racer *r = arg;

	while (!*r->stop) {
		mach_port_name_t prev = MACH_PORT_NULL;

		/* Each call makes one send-once right, failing or not. */
		r->registered++;
		if (request(r->p, ID_SEND_POSSIBLE, 0, r->n, &prev) != KERN_SUCCESS)
			r->failed++;
		if (MACH_PORT_VALID(prev))
			mach_port_deallocate(mach_task_self(), prev);
		if (send_simple(r->p, MACH_MSG_TYPE_COPY_SEND, 0x55, MACH_SEND_NOTIFY) ==
		    MACH_SEND_TIMED_OUT) {
			r->armed++;
			/* the timed-out send gave a uref back */
			mach_port_deallocate(mach_task_self(), r->p);
		}
	}
	return NULL;
}

/*
 * Send-possible requests registered and armed while another thread
 * drains the port: every registration ends as exactly one message (66,
 * or 71 for a replaced one) once the port is destroyed (72 for the last).
 */
TEST(race_send_possible_vs_dequeue)
{
	mach_port_name_t p = new_port_send(1), n = new_port();
	volatile bool stop = false;
	struct sp_racer r = { .p = p, .n = n, .stop = &stop };
	unsigned sp = 0, so = 0, dn = 0, other = 0, drained = 0;
	struct timespec t0, t1;
	pthread_t th;
	union notif m;

	ASSERT_NE(NULL_NAME, p);
	ASSERT_NE(NULL_NAME, n);
	ASSERT_EQ(KERN_SUCCESS, set_qlimit(p, 1));
	ASSERT_EQ(0, pthread_create(&th, NULL, race_send_possible, &r));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		if (rcv_simple(p) == 0x55)
			drained++;
		clock_gettime(CLOCK_MONOTONIC, &t1);
	} while (t1.tv_sec - t0.tv_sec < 2);
	stop = true;
	pthread_join(th, NULL);
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1));
	while (rcv(n, &m, 0) == MACH_MSG_SUCCESS) {
		if (m.h.msgh_id == ID_SEND_POSSIBLE && m.possible.not_port == p)
			sp++;
		else if (m.h.msgh_id == ID_SEND_ONCE)
			so++;
		else if (m.h.msgh_id == ID_DEAD_NAME && m.dead.not_port == p)
			dn++;
		else
			other++;
	}
	TH_LOG("%u registered, %u armed, %u drained: %u send-possible, %u send-once, %u dead-name",
	       r.registered, r.armed, drained, sp, so, dn);
	EXPECT_EQ(0U, other);
	EXPECT_EQ(0U, r.failed);
	EXPECT_GE(1U, dn);
	EXPECT_EQ(r.registered, sp + so + dn);
	EXPECT_EQ(0U, STATUS_FIELD(n, mps_sorights));
}

/* ---------------------------------------------------------------------- */
/* A storm of dying processes. */

#define STORM 6

/* Child: its port's send right under PEER_NAME(idx), its task port under TASK_NAME(idx). */
static void child_storm(int idx, int rd, int wr)
{
	mach_port_name_t p = new_port();

	CHILD_TRUE(p != MACH_PORT_NULL);
	CHILD_EQ(KERN_SUCCESS, mach_port_insert_right(bootstrap_port, PEER_NAME(idx), p,
						     MACH_MSG_TYPE_MAKE_SEND));
	CHILD_EQ(KERN_SUCCESS, mach_port_insert_right(bootstrap_port, TASK_NAME(idx), mach_task_self(),
						     MACH_MSG_TYPE_COPY_SEND));
	ready_and_wait(rd, wr);
}

/*
 * STORM children; the parent registers a dead-name request on each
 * child's port, and gives every child a send right to every other child's
 * port with a dead-name request (notifying the parent) registered in that
 * child's space. Then they are killed in a random order, one at a time
 * (`sequential`) or all at once. Each request is answered exactly once:
 * the parent's by a 72; one held in child i's space for child j's port by
 * a 72 if j died first, else by a 65 (space death deletes the name).
 */
static void storm(struct __test_metadata *_metadata, bool sequential)
{
	mach_port_name_t n = new_port(), prev;
	int order[STORM], rank[STORM], i, j, got = 0, bad = 0;
	int parent_seen[STORM] = { 0 };
	int cross_dead[STORM][STORM], cross_deleted[STORM][STORM];
	const int expected = STORM + STORM * (STORM - 1);
	struct kid k[STORM];
	union notif m;

	ASSERT_NE(NULL_NAME, n);
	memset(cross_dead, 0, sizeof(cross_dead));
	memset(cross_deleted, 0, sizeof(cross_deleted));
	for (i = 0; i < STORM; i++)
		ASSERT_TRUE(spawn(&k[i], SPAWN_PARENT_TASK | SPAWN_WAIT_READY, child_storm, i));
	for (i = 0; i < STORM; i++) {
		ASSERT_EQ(MACH_PORT_TYPE_SEND, type_of(PEER_NAME(i)));
		ASSERT_EQ(KERN_SUCCESS, request(PEER_NAME(i), ID_DEAD_NAME, 0, n, &prev));
	}
	for (i = 0; i < STORM; i++)
		for (j = 0; j < STORM; j++) {
			if (i == j)
				continue;
			ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(TASK_NAME(i), CROSS_NAME(i, j),
								     PEER_NAME(j),
								     MACH_MSG_TYPE_COPY_SEND));
			ASSERT_EQ(KERN_SUCCESS,
				  mach_port_request_notification(TASK_NAME(i), CROSS_NAME(i, j),
								 ID_DEAD_NAME, 0, n,
								 MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev));
			EXPECT_EQ(NULL_NAME, prev);
		}
	EXPECT_NONE(n);

	{
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		srand((unsigned)ts.tv_nsec ^ (unsigned)ts.tv_sec ^ ((unsigned)getpid() << 16));
	}
	for (i = 0; i < STORM; i++)
		order[i] = i;
	for (i = STORM - 1; i > 0; i--) {
		int r = rand() % (i + 1), t = order[i];

		order[i] = order[r];
		order[r] = t;
	}
	for (i = 0; i < STORM; i++)
		rank[order[i]] = i;
	TH_LOG("death order: %d %d %d %d %d %d", order[0], order[1], order[2], order[3], order[4],
	       order[5]);
	if (sequential) {
		for (i = 0; i < STORM; i++)
			EXPECT_TRUE(kill_kid(&k[order[i]]));
	} else {
		for (i = 0; i < STORM; i++)
			kill(k[order[i]].pid, SIGKILL);
		for (i = 0; i < STORM; i++)
			EXPECT_TRUE(kill_kid(&k[order[i]]));
	}

	while (got < expected && rcv(n, &m, 5000) == MACH_MSG_SUCCESS) {
		mach_port_name_t name = m.dead.not_port;

		got++;
		for (i = 0; i < STORM; i++) {
			if (name == PEER_NAME(i) && m.h.msgh_id == ID_DEAD_NAME) {
				parent_seen[i]++;
				goto next;
			}
			for (j = 0; j < STORM; j++) {
				if (i == j || name != CROSS_NAME(i, j))
					continue;
				if (m.h.msgh_id == ID_DEAD_NAME) {
					cross_dead[i][j]++;
					goto next;
				}
				if (m.h.msgh_id == ID_PORT_DELETED) {
					cross_deleted[i][j]++;
					goto next;
				}
			}
		}
		bad++;
		TH_LOG("unexpected notification id %d name 0x%x", m.h.msgh_id, name);
next:;
	}
	EXPECT_EQ(expected, got);
	EXPECT_EQ(0, bad);
	EXPECT_NONE(n);

	for (i = 0; i < STORM; i++) {
		EXPECT_EQ(1, parent_seen[i]);
		EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, names_type_of(PEER_NAME(i)));
		EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(PEER_NAME(i)));
		EXPECT_EQ(2U, refs_of(PEER_NAME(i), MACH_PORT_RIGHT_DEAD_NAME));
		for (j = 0; j < STORM; j++) {
			if (i == j)
				continue;
			EXPECT_EQ(1, cross_dead[i][j] + cross_deleted[i][j]);
			if (sequential) {
				/* j died before i: a dead-name notification. */
				EXPECT_EQ(rank[j] < rank[i] ? 1 : 0, cross_dead[i][j]);
			}
		}
	}
}

TEST(storm_sequential_deaths)
{
	storm(_metadata, true);
}

TEST(storm_simultaneous_deaths)
{
	storm(_metadata, false);
}

TEST_HARNESS_MAIN
