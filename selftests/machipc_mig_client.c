// SPDX-License-Identifier: GPL-2.0
/*
 * libmach's MIG calls to kernel objects, against a stand-in server: a
 * thread of the test receives on a port of ours, checks each request is
 * laid out as Apple's MIG user stubs lay it out (ids, sizes, header bits,
 * NDR record, descriptors, counts; xnu-facts §15-21), and answers with
 * well-formed or deliberately broken replies. The calls must check the
 * replies as MIG does: id + 100 (MIG_REPLY_MISMATCH; MIG_SERVER_DIED for a
 * send-once notification), complexity, descriptor count and size
 * (MIG_TYPE_ERROR), RetCode, counts (MIG_ARRAY_TOO_LARGE), and destroy
 * what a rejected reply carries. Needs no module support beyond mach_msg.
 */
#include <errno.h>
#include <stddef.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mach/mach.h>
#include <mach/clock.h>
#include <mach/host_priv.h>
#include <mach/mach_host.h>
#include <mach/processor.h>
#include <mach/processor_set.h>
#include <mach/semaphore.h>
#include <mach/task.h>
#include <mach/thread_act.h>
#include "kselftest_harness.h"
#include "machipc_util.h"

/* What a failed call must leave in its out-parameter: untouched. */
#define JUNK_NAME_FOR_TESTS ((mach_port_t)0x1234567)

#pragma pack(push, 4)
struct req_flavor {
	mach_msg_header_t head;
	NDR_record_t ndr;
	int flavor;
	mach_msg_type_number_t count;
};

struct rep_flavor {
	mach_msg_header_t head;
	NDR_record_t ndr;
	kern_return_t ret;
	mach_msg_type_number_t count;
	integer_t data[256];
};

struct rep_port {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t port;
};

struct rep_port2 {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t port[2];
};

struct rep_ool_ports {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_ool_ports_descriptor_t ports;
	NDR_record_t ndr;
	mach_msg_type_number_t count;
};

struct rep_exc {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t handlers[32];
	NDR_record_t ndr;
	mach_msg_type_number_t count;
	uint32_t words[96];
};

struct rep_version {
	mach_msg_header_t head;
	NDR_record_t ndr;
	kern_return_t ret;
	mach_msg_type_number_t offset;
	mach_msg_type_number_t count;
	char version[512];
};

struct rep_pinfo {
	mach_msg_header_t head;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t host;
	NDR_record_t ndr;
	mach_msg_type_number_t count;
	integer_t data[12];
};
#pragma pack(pop)

/* ---- the stand-in server ---------------------------------------------------- */

#define BUF 8192

struct server;
/* Looks at the request in s->req and builds s->rep (size s->rep_size), or
 * sets s->rep_size to 0 to answer nothing (the reply right is destroyed). */
typedef void (*handler_t)(struct server *s);

struct server {
	pthread_t th;
	mach_port_t port;       /* receive right (+ one send right) */
	handler_t handle;
	union {
		mach_msg_header_t head;
		char bytes[BUF];
	} req, rep;
	mach_msg_size_t rep_size;
	int served;
	mach_port_t extra;      /* a port the handler may put in a reply */
};

static void *server_main(void *arg)
{
	struct server *s = arg;

	for (;;) {
		mach_msg_return_t mr;
		mach_port_t reply;

		memset(&s->req, 0, sizeof(s->req));
		mr = mach_msg(&s->req.head, MACH_RCV_MSG, 0, BUF, s->port, MACH_MSG_TIMEOUT_NONE,
			      MACH_PORT_NULL);
		if (mr != MACH_MSG_SUCCESS)
			return NULL;
		if (s->req.head.msgh_id == 0x5707)      /* stop */
			return NULL;
		reply = s->req.head.msgh_remote_port;
		memset(&s->rep, 0, sizeof(s->rep));
		s->rep_size = 0;
		s->handle(s);
		__atomic_add_fetch(&s->served, 1, __ATOMIC_SEQ_CST);
		if (s->rep_size == 0) {
			mach_port_deallocate(mach_task_self(), reply);
			continue;
		}
		s->rep.head.msgh_bits |= MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
		s->rep.head.msgh_size = s->rep_size;
		s->rep.head.msgh_remote_port = reply;
		s->rep.head.msgh_local_port = MACH_PORT_NULL;
		if (mach_msg(&s->rep.head, MACH_SEND_MSG, s->rep_size, 0, MACH_PORT_NULL,
			     MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL) != MACH_MSG_SUCCESS)
			mach_port_deallocate(mach_task_self(), reply);
	}
}

static void start(struct __test_metadata *_metadata, struct server *s, handler_t h)
{
	memset(s, 0, sizeof(*s));
	s->port = new_send_receive(_metadata, 1);
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), s->port, s->port,
						       MACH_MSG_TYPE_MAKE_SEND));
	s->handle = h;
	ASSERT_EQ(0, pthread_create(&s->th, NULL, server_main, s));
}

static void stop(struct server *s)
{
	mach_msg_header_t h = {
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
		.msgh_size = sizeof(h),
		.msgh_remote_port = s->port,
		.msgh_id = 0x5707,
	};

	mach_msg(&h, MACH_SEND_MSG, sizeof(h), 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
		 MACH_PORT_NULL);
	pthread_join(s->th, NULL);
}

/* What a request header must look like once received on the server port. */
static bool request_header_ok(const mach_msg_header_t *h, mach_msg_id_t id, mach_msg_size_t size,
			      bool complex, mach_msg_type_name_t local)
{
	return h->msgh_id == id && h->msgh_size == size &&
	       MACH_MSGH_BITS_REMOTE(h->msgh_bits) == MACH_MSG_TYPE_PORT_SEND_ONCE &&
	       MACH_MSGH_BITS_LOCAL(h->msgh_bits) == local &&
	       !!(h->msgh_bits & MACH_MSGH_BITS_COMPLEX) == complex &&
	       MACH_PORT_VALID(h->msgh_remote_port);
}

static bool ndr_ok(const NDR_record_t *n)
{
	return !memcmp(n, &NDR_record, sizeof(*n));
}

/* ---- the handlers -------------------------------------------------------------- */

/* What the test wants next from a flavored-info reply. */
static struct {
	mach_msg_id_t id;               /* reply id (0: request id + 100) */
	kern_return_t ret;
	mach_msg_type_number_t count;   /* data words */
	mach_msg_type_number_t count_field; /* if not 0: the count the reply claims */
	int size_delta;                 /* bytes added to the correct size */
	bool complex;
	bool error_reply;               /* a 36-byte mig_reply_error_t */
	bool bad_request;               /* set by the handler if the request was wrong */
	int flavor;
	mach_msg_type_number_t req_count;
} want;

static void flavor_handler(struct server *s)
{
	struct req_flavor *q = (void *)&s->req;
	struct rep_flavor *r = (void *)&s->rep;
	mach_msg_type_number_t i;

	want.flavor = q->flavor;
	want.req_count = q->count;
	if (!request_header_ok(&q->head, q->head.msgh_id, sizeof(*q), false,
			       MACH_MSG_TYPE_PORT_SEND) ||
	    !ndr_ok(&q->ndr))
		want.bad_request = true;
	r->head.msgh_id = want.id ? want.id : q->head.msgh_id + 100;
	r->ndr = NDR_record;
	r->ret = want.ret;
	if (want.error_reply) {
		s->rep_size = sizeof(mig_reply_error_t);
		return;
	}
	r->count = want.count_field ? want.count_field : want.count;
	for (i = 0; i < want.count && i < 256; i++)
		r->data[i] = (integer_t)(0x1000 + i);
	s->rep_size = (mach_msg_size_t)(offsetof(struct rep_flavor, data) + 4 * want.count +
					 want.size_delta);
	if (want.complex) {
		/* A body with no descriptors: the reply is complex all the same. */
		r->head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
	}
}

static void reset_want(void)
{
	memset(&want, 0, sizeof(want));
}

/* ---- flavored info calls: task_info ---------------------------------------------- */

TEST(flavored_info_request_and_good_reply)
{
	struct server s;
	integer_t buf[64];
	mach_msg_type_number_t n = MACH_TASK_BASIC_INFO_COUNT;

	reset_want();
	start(_metadata, &s, flavor_handler);
	want.count = MACH_TASK_BASIC_INFO_COUNT;
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(KERN_SUCCESS, task_info(s.port, MACH_TASK_BASIC_INFO, buf, &n));
	EXPECT_FALSE(want.bad_request);
	EXPECT_EQ(3405 + 100, (int)s.rep.head.msgh_id);
	EXPECT_EQ(MACH_TASK_BASIC_INFO, want.flavor);
	EXPECT_EQ(MACH_TASK_BASIC_INFO_COUNT, want.req_count);
	EXPECT_EQ(MACH_TASK_BASIC_INFO_COUNT, n);
	EXPECT_EQ(0x1000, buf[0]);
	EXPECT_EQ(0x1000 + 11, buf[11]);
	EXPECT_EQ(0, buf[12]);
	/* The caller's count is clamped to MIG's bound in the request. */
	n = 60;
	want.count = 3;
	EXPECT_EQ(KERN_SUCCESS, task_info(s.port, TASK_AUDIT_TOKEN, buf, &n));
	EXPECT_EQ(52U, want.req_count);
	EXPECT_EQ(3U, n);
	/* Every id: thread_info 3612, host_info 200, host_statistics 216,
	 * host_statistics64 219, processor_set_statistics 4000,
	 * clock_get_attributes 1001. */
	n = 4;
	want.count = 4;
	EXPECT_EQ(KERN_SUCCESS, thread_info(s.port, 3, buf, &n));
	EXPECT_EQ(3612 + 100, (int)s.rep.head.msgh_id);
	n = 4;
	EXPECT_EQ(KERN_SUCCESS, host_info(s.port, 1, buf, &n));
	EXPECT_EQ(200 + 100, (int)s.rep.head.msgh_id);
	n = 4;
	EXPECT_EQ(KERN_SUCCESS, host_statistics(s.port, 2, buf, &n));
	EXPECT_EQ(216 + 100, (int)s.rep.head.msgh_id);
	n = 4;
	EXPECT_EQ(KERN_SUCCESS, host_statistics64(s.port, 4, buf, &n));
	EXPECT_EQ(219 + 100, (int)s.rep.head.msgh_id);
	n = 4;
	EXPECT_EQ(KERN_SUCCESS, processor_set_statistics(s.port, 4, buf, &n));
	EXPECT_EQ(4000 + 100, (int)s.rep.head.msgh_id);
	n = 1;
	want.count = 1;
	EXPECT_EQ(KERN_SUCCESS, clock_get_attributes(s.port, 1, buf, &n));
	EXPECT_EQ(1001 + 100, (int)s.rep.head.msgh_id);
	EXPECT_EQ(1U, want.req_count);
	EXPECT_FALSE(want.bad_request);
	stop(&s);
}

/* The bounds MIG declares: thread_info 32, host_info 68, host_statistics64
 * 256, processor_set 5, clock attributes 1. */
TEST(flavored_info_counts_are_clamped_to_mig_bounds)
{
	static const struct {
		int which;
		mach_msg_type_number_t bound;
	} b[] = { { 0, 32 }, { 1, 68 }, { 2, 68 }, { 3, 256 }, { 4, 5 }, { 5, 1 } };
	struct server s;
	integer_t buf[300];
	mach_msg_type_number_t n;
	unsigned i;

	reset_want();
	start(_metadata, &s, flavor_handler);
	for (i = 0; i < sizeof(b) / sizeof(b[0]); i++) {
		n = 100000;
		want.count = 1;
		switch (b[i].which) {
		case 0: thread_info(s.port, 3, buf, &n); break;
		case 1: host_info(s.port, 1, buf, &n); break;
		case 2: host_statistics(s.port, 2, buf, &n); break;
		case 3: host_statistics64(s.port, 4, buf, &n); break;
		case 4: processor_set_statistics(s.port, 4, buf, &n); break;
		default: clock_get_attributes(s.port, 1, buf, &n); break;
		}
		EXPECT_EQ(b[i].bound, want.req_count) TH_LOG("call %d", b[i].which);
	}
	stop(&s);
}

TEST(reply_with_the_wrong_id_is_a_mismatch)
{
	struct server s;
	integer_t buf[64];
	mach_msg_type_number_t n = 4;

	reset_want();
	start(_metadata, &s, flavor_handler);
	want.count = 4;
	want.id = 3405 + 101;
	EXPECT_EQ(MIG_REPLY_MISMATCH, task_info(s.port, MACH_TASK_BASIC_INFO, buf, &n));
	want.id = 3405;
	EXPECT_EQ(MIG_REPLY_MISMATCH, task_info(s.port, MACH_TASK_BASIC_INFO, buf, &n));
	stop(&s);
}

/* A server that destroys the reply right: the send-once notification
 * arrives in its place, MIG_SERVER_DIED. */
static void drop_handler(struct server *s)
{
	s->rep_size = 0;
}

TEST(reply_right_destroyed_is_server_died)
{
	struct server s;
	integer_t buf[64];
	mach_msg_type_number_t n = 4;
	semaphore_t sem = MACH_PORT_NULL;

	start(_metadata, &s, drop_handler);
	EXPECT_EQ(MIG_SERVER_DIED, task_info(s.port, MACH_TASK_BASIC_INFO, buf, &n));
	EXPECT_EQ(MIG_SERVER_DIED, semaphore_create(s.port, &sem, 0, 0));
	EXPECT_EQ(MIG_SERVER_DIED, thread_terminate(s.port));
	EXPECT_EQ(3, __atomic_load_n(&s.served, __ATOMIC_SEQ_CST));
	stop(&s);
}

/* An error reply gives its RetCode; one that claims success is malformed. */
TEST(error_reply_gives_its_code)
{
	struct server s;
	integer_t buf[64];
	mach_msg_type_number_t n = 4;

	reset_want();
	start(_metadata, &s, flavor_handler);
	want.error_reply = true;
	want.ret = KERN_INVALID_ARGUMENT;
	EXPECT_EQ(KERN_INVALID_ARGUMENT, task_info(s.port, MACH_TASK_BASIC_INFO, buf, &n));
	want.ret = MIG_BAD_ID;
	EXPECT_EQ(MIG_BAD_ID, host_info(s.port, 1, buf, &n));
	want.ret = KERN_SUCCESS;
	EXPECT_EQ(MIG_TYPE_ERROR, task_info(s.port, MACH_TASK_BASIC_INFO, buf, &n));
	/* A full-size reply with an error RetCode gives the code too. */
	want.error_reply = false;
	want.count = 4;
	want.ret = KERN_FAILURE;
	EXPECT_EQ(KERN_FAILURE, task_info(s.port, MACH_TASK_BASIC_INFO, buf, &n));
	stop(&s);
}

/* Sizes and counts that do not add up, a complex reply, a count past the
 * bound: MIG_TYPE_ERROR. A reply larger than the largest one (the stub's
 * buffer): MACH_RCV_TOO_LARGE, as for MIG's stubs. A count past the
 * caller's: MIG_ARRAY_TOO_LARGE, the caller's array filled, the count the
 * server's. */
TEST(malformed_flavored_replies_are_type_errors)
{
	struct server s;
	integer_t buf[64];
	mach_msg_type_number_t n;

	reset_want();
	start(_metadata, &s, flavor_handler);
	want.count = 4;
	want.size_delta = 4;
	n = 8;
	EXPECT_EQ(MIG_TYPE_ERROR, task_info(s.port, MACH_TASK_BASIC_INFO, buf, &n));
	want.size_delta = -4;
	n = 8;
	EXPECT_EQ(MIG_TYPE_ERROR, task_info(s.port, MACH_TASK_BASIC_INFO, buf, &n));
	want.size_delta = 0;
	want.complex = true;
	n = 8;
	EXPECT_EQ(MIG_TYPE_ERROR, task_info(s.port, MACH_TASK_BASIC_INFO, buf, &n));
	want.complex = false;
	/* The claimed count past MIG's bound, in a message that fits. */
	want.count = 4;
	want.count_field = 53;
	n = 52;
	EXPECT_EQ(MIG_TYPE_ERROR, task_info(s.port, MACH_TASK_BASIC_INFO, buf, &n));
	want.count_field = 33;
	n = 32;
	EXPECT_EQ(MIG_TYPE_ERROR, thread_info(s.port, 3, buf, &n));
	want.count_field = 0;
	want.size_delta = 0;
	/* More data than any reply of the call can hold. */
	want.count = 53;
	n = 52;
	EXPECT_EQ(MACH_RCV_TOO_LARGE, task_info(s.port, MACH_TASK_BASIC_INFO, buf, &n));
	want.count = 33;
	n = 32;
	EXPECT_EQ(MACH_RCV_TOO_LARGE, thread_info(s.port, 3, buf, &n));
	want.count = 10;
	n = 4;
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(MIG_ARRAY_TOO_LARGE, task_info(s.port, MACH_TASK_BASIC_INFO, buf, &n));
	EXPECT_EQ(10U, n);
	EXPECT_EQ(0x1003, buf[3]);
	EXPECT_EQ(0, buf[4]);
	stop(&s);
}

/* ---- calls returning one port ------------------------------------------------------ */

static mach_msg_type_name_t port_reply_disposition = MACH_MSG_TYPE_COPY_SEND;
static int port_reply_ndesc = 1;
static mach_msg_id_t last_id;
static mach_msg_size_t last_size;
static bool last_complex;
static mach_msg_type_name_t last_local;
static int last_int;
static mach_port_name_t last_desc_name;
static mach_msg_type_name_t last_desc_disp;

/* Replies {Head; body; port} with a right to s->extra. */
static void port_handler(struct server *s)
{
	struct rep_port *r = (void *)&s->rep;
	mach_msg_header_t *h = &s->req.head;

	last_id = h->msgh_id;
	last_size = h->msgh_size;
	last_complex = !!(h->msgh_bits & MACH_MSGH_BITS_COMPLEX);
	last_local = MACH_MSGH_BITS_LOCAL(h->msgh_bits);
	if (!last_complex && h->msgh_size >= 36)
		last_int = ((struct req_flavor *)h)->flavor;
	if (last_complex) {
		const struct rep_port *q = (const void *)h;

		last_desc_name = q->port.name;
		last_desc_disp = q->port.disposition;
	}
	r->head.msgh_id = h->msgh_id + 100;
	r->head.msgh_bits = MACH_MSGH_BITS_COMPLEX;
	r->body.msgh_descriptor_count = port_reply_ndesc;
	s->rep_size = sizeof(r->head) + sizeof(r->body);
	for (int i = 0; i < port_reply_ndesc; i++) {
		struct rep_port2 *r2 = (void *)r;

		r2->port[i].name = s->extra;
		r2->port[i].disposition = port_reply_disposition;
		r2->port[i].type = MACH_MSG_PORT_DESCRIPTOR;
		s->rep_size += sizeof(r2->port[i]);
	}
}

TEST(port_returning_calls_request_layouts)
{
	struct server s;
	mach_port_t got = MACH_PORT_NULL, x;

	start(_metadata, &s, port_handler);
	x = new_send_receive(_metadata, 1);
	s.extra = x;
	port_reply_disposition = MACH_MSG_TYPE_COPY_SEND;
	port_reply_ndesc = 1;
	/* semaphore_create: {Head; NDR; policy; value} = 40, id 3418. */
	ASSERT_EQ(KERN_SUCCESS, semaphore_create(s.port, &got, 2, 7));
	EXPECT_EQ(3418, last_id);
	EXPECT_EQ(40U, last_size);
	EXPECT_FALSE(last_complex);
	EXPECT_EQ(PORT_SEND, last_local);
	EXPECT_EQ(2, last_int);
	EXPECT_EQ(x, got);
	EXPECT_EQ(2U, refs_of(x, MACH_PORT_RIGHT_SEND));
	/* thread_get_special_port: {Head; NDR; which} = 36, id 3610. */
	ASSERT_EQ(KERN_SUCCESS, thread_get_special_port(s.port, 1, &got));
	EXPECT_EQ(3610, last_id);
	EXPECT_EQ(36U, last_size);
	/* host_get_clock_service: 36, id 206. */
	ASSERT_EQ(KERN_SUCCESS, host_get_clock_service(s.port, 1, &got));
	EXPECT_EQ(206, last_id);
	EXPECT_EQ(36U, last_size);
	/* processor_set_default: {Head} = 24, id 213. */
	ASSERT_EQ(KERN_SUCCESS, processor_set_default(s.port, &got));
	EXPECT_EQ(213, last_id);
	EXPECT_EQ(24U, last_size);
	/* host_processor_set_priv: {Head; body; port (COPY_SEND)} = 40, id 420. */
	ASSERT_EQ(KERN_SUCCESS, host_processor_set_priv(s.port, x, &got));
	EXPECT_EQ(420, last_id);
	EXPECT_EQ(40U, last_size);
	EXPECT_TRUE(last_complex);
	EXPECT_EQ(PORT_SEND, last_desc_disp);
	EXPECT_EQ(x, last_desc_name);
	/* Each call gave us one more right; the request's copy went to the server. */
	EXPECT_EQ(6U + 1, refs_of(x, MACH_PORT_RIGHT_SEND));
	stop(&s);
}

/* A port reply must carry exactly one send right: a send-once right, or
 * no descriptor, is MIG_TYPE_ERROR, and the reply's rights are destroyed;
 * two descriptors do not fit the stub's buffer (MACH_RCV_TOO_LARGE: the
 * kernel destroys the reply). */
TEST(malformed_port_replies_are_type_errors_and_destroyed)
{
	mach_port_t got = JUNK_NAME_FOR_TESTS, x;
	mach_send_once_notification_t so;
	struct server s;

	start(_metadata, &s, port_handler);
	x = new_receive(_metadata);
	s.extra = x;
	port_reply_disposition = MACH_MSG_TYPE_MAKE_SEND_ONCE;
	port_reply_ndesc = 1;
	EXPECT_EQ(MIG_TYPE_ERROR, semaphore_create(s.port, &got, 0, 0));
	EXPECT_EQ(JUNK_NAME_FOR_TESTS, got);
	/* The send-once right it carried was destroyed: its notification
	 * came to x, and then no send-once right is left. */
	memset(&so, 0, sizeof(so));
	EXPECT_EQ(MACH_MSG_SUCCESS, mach_msg(&so.not_header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
					     sizeof(so), x, WAIT_MS, MACH_PORT_NULL));
	EXPECT_EQ(MACH_NOTIFY_SEND_ONCE, so.not_header.msgh_id);
	EXPECT_EQ(0U, STATUS_FIELD(x, mps_sorights));
	port_reply_disposition = MACH_MSG_TYPE_MAKE_SEND;
	port_reply_ndesc = 2;
	EXPECT_EQ(MACH_RCV_TOO_LARGE, processor_set_default(s.port, &got));
	port_reply_ndesc = 0;
	EXPECT_EQ(MIG_TYPE_ERROR, processor_set_default(s.port, &got));
	EXPECT_EQ(JUNK_NAME_FOR_TESTS, got);
	/* No send right to x is left anywhere. */
	EXPECT_EQ(0U, STATUS_FIELD(x, mps_srights));
	stop(&s);
}

/* ---- simple calls -------------------------------------------------------------------- */

static void ok_handler(struct server *s)
{
	mig_reply_error_t *r = (void *)&s->rep;
	mach_msg_header_t *h = &s->req.head;

	last_id = h->msgh_id;
	last_size = h->msgh_size;
	last_complex = !!(h->msgh_bits & MACH_MSGH_BITS_COMPLEX);
	last_local = MACH_MSGH_BITS_LOCAL(h->msgh_bits);
	if (last_complex) {
		const struct rep_port *q = (const void *)h;

		last_desc_name = q->port.name;
		last_desc_disp = q->port.disposition;
		if (q->port.type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
			const struct rep_ool_ports *o = (const void *)h;

			mach_port_t *a = o->ports.address;

			last_int = (int)o->ports.count;
			last_desc_disp = o->ports.disposition;
			if (o->ports.count && a) {
				last_desc_name = a[0];
				for (mach_msg_type_number_t i = 0; i < o->ports.count; i++)
					if (MACH_PORT_VALID(a[i]))
						mach_port_deallocate(mach_task_self(), a[i]);
				vm_deallocate(mach_task_self(), (vm_address_t)a,
					      o->ports.count * sizeof(*a));
			}
		} else if (MACH_PORT_VALID(q->port.name)) {
			mach_port_deallocate(mach_task_self(), q->port.name);
		}
	}
	r->Head.msgh_id = h->msgh_id + 100;
	r->NDR = NDR_record;
	r->RetCode = KERN_SUCCESS;
	s->rep_size = sizeof(*r);
}

TEST(simple_calls_request_layouts)
{
	mach_port_t x, ports[2];
	mach_port_urefs_t r;
	struct server s;

	start(_metadata, &s, ok_handler);
	x = new_send_receive(_metadata, 1);
	/* thread_terminate moves the destination right: {Head} 24, id 3600. */
	r = refs_of(s.port, MACH_PORT_RIGHT_SEND);
	EXPECT_EQ(KERN_SUCCESS, thread_terminate(s.port));
	EXPECT_EQ(3600, last_id);
	EXPECT_EQ(24U, last_size);
	EXPECT_EQ(PORT_SEND, last_local);
	EXPECT_EQ(r - 1, refs_of(s.port, MACH_PORT_RIGHT_SEND));
	/* processor_start / processor_exit copy it: 3000, 3001. */
	EXPECT_EQ(KERN_SUCCESS, processor_start(s.port));
	EXPECT_EQ(3000, last_id);
	EXPECT_EQ(KERN_SUCCESS, processor_exit(s.port));
	EXPECT_EQ(3001, last_id);
	EXPECT_EQ(r - 1, refs_of(s.port, MACH_PORT_RIGHT_SEND));
	/* semaphore_destroy: {Head; body; port (MOVE_SEND)} = 40, id 3419. */
	EXPECT_EQ(KERN_SUCCESS, semaphore_destroy(s.port, x));
	EXPECT_EQ(3419, last_id);
	EXPECT_EQ(40U, last_size);
	EXPECT_TRUE(last_complex);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(x));
	EXPECT_EQ(0U, refs_of(x, MACH_PORT_RIGHT_SEND));
	/* thread_set_special_port: {Head; body; port; NDR; which} = 52, 3611. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), x, x,
						       MACH_MSG_TYPE_MAKE_SEND));
	EXPECT_EQ(KERN_SUCCESS, thread_set_special_port(s.port, 1, x));
	EXPECT_EQ(3611, last_id);
	EXPECT_EQ(52U, last_size);
	EXPECT_EQ(PORT_SEND, last_desc_disp);
	EXPECT_EQ(1U, refs_of(x, MACH_PORT_RIGHT_SEND));
	/* host_set_exception_ports: 60, id 414. */
	EXPECT_EQ(KERN_SUCCESS, host_set_exception_ports(s.port, EXC_MASK_ALL, x,
							 EXCEPTION_DEFAULT, 0));
	EXPECT_EQ(414, last_id);
	EXPECT_EQ(60U, last_size);
	/* mach_ports_register: {Head; body; ool_ports; NDR; count} = 56, 3403. */
	ports[0] = x;
	ports[1] = MACH_PORT_NULL;
	EXPECT_EQ(KERN_SUCCESS, mach_ports_register(s.port, ports, 2));
	EXPECT_EQ(3403, last_id);
	EXPECT_EQ(56U, last_size);
	EXPECT_EQ(2, last_int);
	EXPECT_EQ(PORT_SEND, last_desc_disp);
	EXPECT_EQ(1U, refs_of(x, MACH_PORT_RIGHT_SEND));
	stop(&s);
}

/* A simple call's reply is exactly 36 bytes and simple. */
static int bad_simple_kind;

static void bad_simple_handler(struct server *s)
{
	mig_reply_error_t *r = (void *)&s->rep;

	r->Head.msgh_id = s->req.head.msgh_id + 100;
	r->NDR = NDR_record;
	r->RetCode = KERN_SUCCESS;
	s->rep_size = sizeof(*r);
	if (bad_simple_kind == 1)
		s->rep_size -= 4;
	if (bad_simple_kind == 2)
		r->Head.msgh_bits = MACH_MSGH_BITS_COMPLEX;
	if (bad_simple_kind == 3)
		s->rep_size += 4;
}

TEST(malformed_simple_replies_are_type_errors)
{
	struct server s;

	start(_metadata, &s, bad_simple_handler);
	bad_simple_kind = 1;
	EXPECT_EQ(MIG_TYPE_ERROR, processor_start(s.port));
	bad_simple_kind = 2;
	EXPECT_EQ(MIG_TYPE_ERROR, processor_exit(s.port));
	bad_simple_kind = 3;
	EXPECT_EQ(MACH_RCV_TOO_LARGE, processor_exit(s.port));
	bad_simple_kind = 0;
	EXPECT_EQ(KERN_SUCCESS, processor_exit(s.port));
	stop(&s);
}

/* ---- port arrays --------------------------------------------------------------------- */

static int ool_count_mismatch;

static void ool_handler(struct server *s)
{
	struct rep_ool_ports *r = (void *)&s->rep;
	static mach_port_t arr[2];

	arr[0] = s->extra;
	arr[1] = s->extra;
	last_id = s->req.head.msgh_id;
	last_size = s->req.head.msgh_size;
	r->head.msgh_id = s->req.head.msgh_id + 100;
	r->head.msgh_bits = MACH_MSGH_BITS_COMPLEX;
	r->body.msgh_descriptor_count = 1;
	r->ports.address = arr;
	r->ports.count = 2;
	r->ports.deallocate = FALSE;
	r->ports.copy = MACH_MSG_PHYSICAL_COPY;
	r->ports.disposition = MACH_MSG_TYPE_COPY_SEND;
	r->ports.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
	r->ndr = NDR_record;
	r->count = 2 + ool_count_mismatch;
	s->rep_size = sizeof(*r);
}

TEST(port_array_calls)
{
	static const int ids[] = { 3402, 3404, 407, 4005, 4006 };
	mach_port_t *a = NULL, x;
	mach_msg_type_number_t n = 0;
	struct server s;
	unsigned i;
	kern_return_t kr;

	start(_metadata, &s, ool_handler);
	x = new_send_receive(_metadata, 1);
	s.extra = x;
	ool_count_mismatch = 0;
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		a = NULL;
		n = 0;
		switch (i) {
		case 0: kr = task_threads(s.port, &a, &n); break;
		case 1: kr = mach_ports_lookup(s.port, &a, &n); break;
		case 2: kr = host_processors(s.port, &a, &n); break;
		case 3: kr = processor_set_tasks(s.port, &a, &n); break;
		default: kr = processor_set_threads(s.port, &a, &n); break;
		}
		EXPECT_EQ(KERN_SUCCESS, kr);
		EXPECT_EQ(ids[i], last_id);
		EXPECT_EQ(24U, last_size);
		ASSERT_EQ(2U, n);
		EXPECT_EQ(x, a[0]);
		EXPECT_EQ(x, a[1]);
		EXPECT_EQ(3U, refs_of(x, MACH_PORT_RIGHT_SEND));
		mach_port_mod_refs(mach_task_self(), x, MACH_PORT_RIGHT_SEND, -2);
		vm_deallocate(mach_task_self(), (vm_address_t)a, n * sizeof(*a));
	}
	/* The descriptor's count and the count must agree; else the rights go. */
	ool_count_mismatch = 1;
	a = NULL;
	EXPECT_EQ(MIG_TYPE_ERROR, task_threads(s.port, &a, &n));
	EXPECT_EQ(NULL, a);
	EXPECT_EQ(1U, refs_of(x, MACH_PORT_RIGHT_SEND));
	stop(&s);
}

/* ---- exception ports: 32 descriptors and packed arrays --------------------------------- */

static void exc_handler(struct server *s)
{
	struct rep_exc *r = (void *)&s->rep;
	const mach_msg_type_number_t n = 2;
	int i;

	last_id = s->req.head.msgh_id;
	last_size = s->req.head.msgh_size;
	if (!(s->req.head.msgh_bits & MACH_MSGH_BITS_COMPLEX))
		last_int = ((struct req_flavor *)&s->req)->flavor;    /* the mask */
	else if (MACH_PORT_VALID(((struct rep_port *)&s->req)->port.name))
		mach_port_deallocate(mach_task_self(), ((struct rep_port *)&s->req)->port.name);
	r->head.msgh_id = s->req.head.msgh_id + 100;
	r->head.msgh_bits = MACH_MSGH_BITS_COMPLEX;
	r->body.msgh_descriptor_count = 32;
	for (i = 0; i < 32; i++) {
		r->handlers[i].name = i < (int)n ? s->extra : MACH_PORT_NULL;
		r->handlers[i].disposition = MACH_MSG_TYPE_COPY_SEND;
		r->handlers[i].type = MACH_MSG_PORT_DESCRIPTOR;
	}
	r->ndr = NDR_record;
	r->count = n;
	/* masks[2], then behaviors[2], then flavors[2], packed. */
	r->words[0] = EXC_MASK_BAD_ACCESS;
	r->words[1] = EXC_MASK_SOFTWARE | EXC_MASK_CRASH;
	r->words[2] = EXCEPTION_DEFAULT;
	r->words[3] = EXCEPTION_STATE | MACH_EXCEPTION_CODES;
	r->words[4] = x86_THREAD_STATE64;
	r->words[5] = THREAD_STATE_NONE;
	s->rep_size = (mach_msg_size_t)offsetof(struct rep_exc, words) + 12 * n;
}

TEST(exception_port_calls_unpack_the_packed_arrays)
{
	exception_mask_t masks[32];
	mach_port_t ports[32], x;
	exception_behavior_t beh[32];
	thread_state_flavor_t fl[32];
	mach_msg_type_number_t n = 32;
	struct server s;

	start(_metadata, &s, exc_handler);
	x = new_send_receive(_metadata, 1);
	s.extra = x;
	/* host_get_exception_ports: {Head; NDR; mask} = 36, id 415. */
	ASSERT_EQ(KERN_SUCCESS, host_get_exception_ports(s.port, EXC_MASK_ALL, masks, &n, ports,
							 beh, fl));
	EXPECT_EQ(415, last_id);
	EXPECT_EQ(36U, last_size);
	EXPECT_EQ(EXC_MASK_ALL, last_int);
	ASSERT_EQ(2U, n);
	EXPECT_EQ((exception_mask_t)EXC_MASK_BAD_ACCESS, masks[0]);
	EXPECT_EQ((exception_mask_t)(EXC_MASK_SOFTWARE | EXC_MASK_CRASH), masks[1]);
	EXPECT_EQ(x, ports[0]);
	EXPECT_EQ(x, ports[1]);
	EXPECT_EQ(EXCEPTION_DEFAULT, beh[0]);
	EXPECT_EQ((exception_behavior_t)(EXCEPTION_STATE | MACH_EXCEPTION_CODES), beh[1]);
	EXPECT_EQ(x86_THREAD_STATE64, fl[0]);
	EXPECT_EQ(THREAD_STATE_NONE, fl[1]);
	EXPECT_EQ(3U, refs_of(x, MACH_PORT_RIGHT_SEND));
	mach_port_mod_refs(mach_task_self(), x, MACH_PORT_RIGHT_SEND, -2);
	/* host_swap_exception_ports: the set request (60), id 416. */
	n = 32;
	ASSERT_EQ(KERN_SUCCESS, host_swap_exception_ports(s.port, EXC_MASK_ALL, x,
							  EXCEPTION_DEFAULT, 0, masks, &n, ports,
							  beh, fl));
	EXPECT_EQ(416, last_id);
	EXPECT_EQ(60U, last_size);
	EXPECT_EQ(2U, n);
	EXPECT_EQ(x86_THREAD_STATE64, fl[0]);
	stop(&s);
}

/* ---- host_kernel_version: a counted string ---------------------------------------------- */

static int version_kind;

static void version_handler(struct server *s)
{
	struct rep_version *r = (void *)&s->rep;
	static const char v[] = "Linux version test";

	r->head.msgh_id = s->req.head.msgh_id + 100;
	r->ndr = NDR_record;
	r->ret = KERN_SUCCESS;
	r->count = sizeof(v);
	memcpy(r->version, v, sizeof(v));
	s->rep_size = (mach_msg_size_t)offsetof(struct rep_version, version) +
		      ((sizeof(v) + 3) & ~3U);
	if (version_kind == 1)
		s->rep_size += 4;
	if (version_kind == 2)
		r->count = 513;
	if (version_kind == 3) {
		/* No terminating NUL within the count: the copy still ends. */
		memset(r->version, 'v', 512);
		r->count = 512;
		s->rep_size = (mach_msg_size_t)offsetof(struct rep_version, version) + 512;
	}
}

TEST(host_kernel_version_copies_a_bounded_string)
{
	kernel_version_t v;
	struct server s;

	start(_metadata, &s, version_handler);
	version_kind = 0;
	memset(v, 'x', sizeof(v));
	EXPECT_EQ(KERN_SUCCESS, host_kernel_version(s.port, v));
	EXPECT_STREQ("Linux version test", v);
	version_kind = 1;
	EXPECT_EQ(MIG_TYPE_ERROR, host_kernel_version(s.port, v));
	version_kind = 2;
	EXPECT_EQ(MIG_TYPE_ERROR, host_kernel_version(s.port, v));
	version_kind = 3;
	memset(v, 'x', sizeof(v));
	EXPECT_EQ(KERN_SUCCESS, host_kernel_version(s.port, v));
	EXPECT_EQ(511U, strlen(v));
	stop(&s);
}

/* ---- processor_info / processor_set_info: a port, then data ----------------------------- */

static void pinfo_handler(struct server *s)
{
	struct rep_pinfo *r = (void *)&s->rep;
	const struct req_flavor *q = (const void *)&s->req;

	last_id = q->head.msgh_id;
	last_size = q->head.msgh_size;
	last_int = (int)q->count;
	r->head.msgh_id = q->head.msgh_id + 100;
	r->head.msgh_bits = MACH_MSGH_BITS_COMPLEX;
	r->body.msgh_descriptor_count = 1;
	r->host.name = s->extra;
	r->host.disposition = MACH_MSG_TYPE_COPY_SEND;
	r->host.type = MACH_MSG_PORT_DESCRIPTOR;
	r->ndr = NDR_record;
	r->count = 5;
	for (int i = 0; i < 5; i++)
		r->data[i] = 0x2000 + i;
	s->rep_size = (mach_msg_size_t)offsetof(struct rep_pinfo, data) + 4 * 5;
}

TEST(processor_info_calls_take_a_host_port_and_data)
{
	integer_t buf[16];
	mach_msg_type_number_t n;
	mach_port_t h = MACH_PORT_NULL, x;
	struct server s;

	start(_metadata, &s, pinfo_handler);
	x = new_send_receive(_metadata, 1);
	s.extra = x;
	n = 12;
	ASSERT_EQ(KERN_SUCCESS, processor_info(s.port, 1, &h, buf, &n));
	EXPECT_EQ(3002, last_id);
	EXPECT_EQ(40U, last_size);
	EXPECT_EQ(12, last_int);
	EXPECT_EQ(x, h);
	EXPECT_EQ(5U, n);
	EXPECT_EQ(0x2004, buf[4]);
	n = 100;
	ASSERT_EQ(KERN_SUCCESS, processor_set_info(s.port, 5, &h, buf, &n));
	EXPECT_EQ(4009, last_id);
	EXPECT_EQ(5, last_int);
	EXPECT_EQ(5U, n);
	/* More than the caller's room. */
	n = 2;
	EXPECT_EQ(MIG_ARRAY_TOO_LARGE, processor_set_info(s.port, 5, &h, buf, &n));
	EXPECT_EQ(5U, n);
	stop(&s);
}

/* ---- the reply port ---------------------------------------------------------------------- */

/*
 * One reply port per thread, made once and reused; a send that fails
 * before leaving keeps it; the thread's reply port goes when the thread
 * exits. Our space is the same after any number of calls.
 */
static void *thread_calls(void *arg)
{
	struct server *s = arg;
	integer_t buf[8];
	mach_msg_type_number_t n = 4;

	want.count = 4;
	return (void *)(uintptr_t)task_info(s->port, MACH_TASK_BASIC_INFO, buf, &n);
}

TEST(reply_port_is_per_thread_and_reused)
{
	struct snapshot a, b;
	struct server s;
	integer_t buf[64];
	mach_msg_type_number_t n;
	pthread_t th;
	void *ret;
	int i;

	reset_want();
	start(_metadata, &s, flavor_handler);
	want.count = 4;
	n = 4;
	ASSERT_EQ(KERN_SUCCESS, task_info(s.port, MACH_TASK_BASIC_INFO, buf, &n));
	take_snapshot(_metadata, &a);
	for (i = 0; i < 20; i++) {
		n = 4;
		ASSERT_EQ(KERN_SUCCESS, task_info(s.port, MACH_TASK_BASIC_INFO, buf, &n));
	}
	n = 4;
	EXPECT_EQ(MACH_SEND_INVALID_DEST, task_info(MACH_PORT_NULL, MACH_TASK_BASIC_INFO, buf, &n));
	ASSERT_EQ(0, pthread_create(&th, NULL, thread_calls, &s));
	ASSERT_EQ(0, pthread_join(th, &ret));
	EXPECT_EQ(KERN_SUCCESS, (kern_return_t)(uintptr_t)ret);
	take_snapshot(_metadata, &b);
	expect_same_snapshot(_metadata, &a, &b, "MIG calls");
	stop(&s);
}

TEST_HARNESS_MAIN
