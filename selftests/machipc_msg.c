// SPDX-License-Identifier: GPL-2.0
/*
 * mach_msg: header dispositions, the error codes of the send and receive
 * paths, message bodies (port, out-of-line memory and out-of-line ports
 * descriptors), queue limits and blocking, trailers, port sets, port death
 * while waiting, circular messages and the kernel's message server, with
 * the results and codes of XNU 10.11 (xnu-3248).
 *
 * Some of XNU's answers are easy to get wrong, and the tests say where
 * they check one: bits outside MACH_MSGH_BITS_USER are cleared, not an
 * error; MACH_MSG_ALLOCATE is not a valid copy option for a sent
 * out-of-line descriptor; received out-of-line descriptors carry XNU's
 * copy/deallocate values; MACH_RCV_LARGE reports the message size without
 * the trailer, and a too-large message without it leaves a minimal header;
 * a receive whose port or set goes away returns MACH_RCV_PORT_CHANGED.
 *
 * Two processes share rights through the bootstrap port: the parent
 * allocates a port, makes it its bootstrap port before fork(), and the
 * child's bootstrap_port is then a send right to it.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bsm/libbsm.h>
#include <mach/mach.h>
#include <mach/mig_errors.h>
#include <mach/ndr.h>
#include <machipc/machipc.h>
#include "machipc.h"
#include "kselftest_harness.h"
#include "machipc_util.h"

/* msgh_bits as the receiver sees them. */
#define BITS(remote, local) ((mach_msg_bits_t)MACH_MSGH_BITS((remote), (local)))
#define CBITS(remote, local) (BITS((remote), (local)) | MACH_MSGH_BITS_COMPLEX)

/* ---- messages ---------------------------------------------------------- */

/* A simple message: the header and one word. */
struct simple {
	mach_msg_header_t h;
	uint32_t val;
};

/* A complex message with up to 8 port descriptors. */
#define MAX_DESC 8
struct pmsg {
	mach_msg_header_t h;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t d[MAX_DESC];
};
#define PMSG_SIZE(n) ((mach_msg_size_t)(sizeof(mach_msg_header_t) + sizeof(mach_msg_body_t) + \
					 (n) * sizeof(mach_msg_port_descriptor_t)))

/* A complex message with up to 4 out-of-line (memory or ports) descriptors. */
struct omsg {
	mach_msg_header_t h;
	mach_msg_body_t body;
	mach_msg_ool_descriptor_t d[4];
};
#define OMSG_SIZE(n) ((mach_msg_size_t)(sizeof(mach_msg_header_t) + sizeof(mach_msg_body_t) + \
					 (n) * sizeof(mach_msg_ool_descriptor_t)))

/* A receive buffer: room for any message these tests send inline. */
#define RBUF_SIZE 4096
typedef union {
	mach_msg_header_t h;
	struct simple s;
	struct pmsg p;
	struct omsg o;
	uint8_t bytes[RBUF_SIZE];
} rbuf_t;

/* The trailer that follows a received message. */
static void *trailer_of(mach_msg_header_t *h)
{
	return (char *)h + round_msg(h->msgh_size);
}

static mach_msg_port_descriptor_t port_desc(mach_port_name_t name, mach_msg_type_name_t disp)
{
	mach_msg_port_descriptor_t d;

	memset(&d, 0, sizeof(d));
	d.name = name;
	d.disposition = disp;
	d.type = MACH_MSG_PORT_DESCRIPTOR;
	return d;
}

static mach_msg_ool_descriptor_t ool_desc(void *addr, mach_msg_size_t size, bool dealloc,
					  mach_msg_copy_options_t copy)
{
	mach_msg_ool_descriptor_t d;

	memset(&d, 0, sizeof(d));
	d.address = addr;
	d.size = size;
	d.deallocate = dealloc;
	d.copy = copy;
	d.type = MACH_MSG_OOL_DESCRIPTOR;
	return d;
}

static mach_msg_ool_descriptor_t ool_ports_desc(mach_port_name_t *names, mach_msg_size_t count,
						mach_msg_type_name_t disp, bool dealloc)
{
	mach_msg_ool_ports_descriptor_t p;
	mach_msg_ool_descriptor_t d;

	memset(&p, 0, sizeof(p));
	p.address = names;
	p.count = count;
	p.deallocate = dealloc;
	p.copy = MACH_MSG_PHYSICAL_COPY;
	p.disposition = disp;
	p.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
	memcpy(&d, &p, sizeof(d));
	return d;
}

static void set_header(mach_msg_header_t *h, mach_msg_bits_t bits, mach_msg_size_t size,
		       mach_port_name_t dest, mach_port_name_t reply, mach_msg_id_t id)
{
	h->msgh_bits = bits;
	h->msgh_size = size;
	h->msgh_remote_port = dest;
	h->msgh_local_port = reply;
	h->msgh_voucher_port = MACH_PORT_NULL;
	h->msgh_id = id;
}

/* Sends a simple message (value `id` in the body too); `opt` adds send options. */
static mach_msg_return_t send_simple(mach_port_name_t dest, mach_msg_type_name_t dtype,
				     mach_port_name_t reply, mach_msg_type_name_t rtype,
				     mach_msg_id_t id, mach_msg_option_t opt,
				     mach_msg_timeout_t timeout)
{
	struct simple m;

	memset(&m, 0, sizeof(m));
	set_header(&m.h, BITS(dtype, rtype), sizeof(m), dest, reply, id);
	m.val = (uint32_t)id ^ 0x5a5a0000U;
	return mach_msg(&m.h, MACH_SEND_MSG | opt, sizeof(m), 0, MACH_PORT_NULL, timeout,
			MACH_PORT_NULL);
}

/* A plain message to a send right we hold under `dest`. */
static mach_msg_return_t send_to(mach_port_name_t dest, mach_msg_id_t id)
{
	return send_simple(dest, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, id, 0, 0);
}

/* As send_to, failing at once on a full queue. */
static mach_msg_return_t send_now(mach_port_name_t dest, mach_msg_id_t id)
{
	return send_simple(dest, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, id,
			   MACH_SEND_TIMEOUT, 0);
}

/* Receives on `name` into `b` with the options `opt` (a timeout in ms always). */
static mach_msg_return_t recv_opt(mach_port_name_t name, rbuf_t *b, mach_msg_option_t opt,
				  mach_msg_timeout_t timeout)
{
	memset(b, 0, sizeof(*b));
	return mach_msg(&b->h, MACH_RCV_MSG | MACH_RCV_TIMEOUT | opt, 0, sizeof(*b), name,
			timeout, MACH_PORT_NULL);
}

static mach_msg_return_t recv_msg(mach_port_name_t name, rbuf_t *b)
{
	return recv_opt(name, b, 0, WAIT_MS);
}

/*
 * A complex message built descriptor by descriptor (port descriptors are
 * 12 bytes, out-of-line ones 16).
 */
struct builder {
	union {
		mach_msg_header_t h;
		uint8_t buf[2048];
	};
	mach_msg_size_t size;
};

static mach_msg_body_t *body_of(mach_msg_header_t *h)
{
	return (mach_msg_body_t *)(h + 1);
}

static void mb_init(struct builder *b, mach_msg_bits_t bits, mach_port_name_t dest,
		    mach_port_name_t reply, mach_msg_id_t id)
{
	memset(b, 0, sizeof(*b));
	b->size = sizeof(mach_msg_header_t) + sizeof(mach_msg_body_t);
	set_header(&b->h, bits | MACH_MSGH_BITS_COMPLEX, b->size, dest, reply, id);
}

static void mb_add(struct builder *b, const void *d, mach_msg_size_t len)
{
	memcpy(b->buf + b->size, d, len);
	b->size += len;
	b->h.msgh_size = b->size;
	body_of(&b->h)->msgh_descriptor_count++;
}

static void mb_port(struct builder *b, mach_port_name_t name, mach_msg_type_name_t disp)
{
	mach_msg_port_descriptor_t d = port_desc(name, disp);

	mb_add(b, &d, sizeof(d));
}

static void mb_ool(struct builder *b, void *addr, mach_msg_size_t size, bool dealloc,
		   mach_msg_copy_options_t copy)
{
	mach_msg_ool_descriptor_t d = ool_desc(addr, size, dealloc, copy);

	mb_add(b, &d, sizeof(d));
}

static void mb_ool_ports(struct builder *b, mach_port_name_t *names, mach_msg_size_t count,
			 mach_msg_type_name_t disp, bool dealloc)
{
	mach_msg_ool_descriptor_t d = ool_ports_desc(names, count, disp, dealloc);

	mb_add(b, &d, sizeof(d));
}

static mach_msg_return_t mb_send(struct builder *b, mach_msg_option_t opt,
				 mach_msg_timeout_t timeout)
{
	return mach_msg(&b->h, MACH_SEND_MSG | opt, b->size, 0, MACH_PORT_NULL, timeout,
			MACH_PORT_NULL);
}

/* The i-th descriptor of a received complex message. */
static mach_msg_descriptor_t *desc_at(mach_msg_header_t *h, unsigned i)
{
	uint8_t *d = (uint8_t *)(body_of(h) + 1);

	while (i--) {
		mach_msg_type_descriptor_t *t = (mach_msg_type_descriptor_t *)d;

		d += t->type == MACH_MSG_PORT_DESCRIPTOR ? 12 : 16;
	}
	return (mach_msg_descriptor_t *)d;
}

/* ---- rights and ports -------------------------------------------------- */

static mach_port_urefs_t send_refs(mach_port_name_t name)
{
	return refs_of(name, MACH_PORT_RIGHT_SEND);
}

static unsigned msgcount_of(struct __test_metadata *_metadata, mach_port_name_t name)
{
	return status_of(_metadata, name).mps_msgcount;
}

/* ---- a second process -------------------------------------------------- */

/*
 * A child process whose bootstrap_port is a send right to the parent's
 * port; two pipes let them step together (one byte each way).
 */
typedef void (*kid_fn)(struct __test_metadata *_metadata, mach_port_name_t parent, int rd,
		       int wr);

static void start_kid(struct __test_metadata *_metadata, struct kid *k, mach_port_name_t port,
		      kid_fn fn)
{
	ASSERT_EQ(KERN_SUCCESS, task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT,
						      port));
	ASSERT_LE(0, kid_fork(k));
	if (k->pid == 0) {
		ASSERT_TRUE(MACH_PORT_VALID(bootstrap_port));
		fn(_metadata, bootstrap_port, k->rd, k->wr);
		_exit(_metadata->exit_code);
	}
}

static bool step_put(int fd)
{
	char c = 1;

	return write(fd, &c, 1) == 1;
}

static bool step_get(int fd)
{
	char c;

	return read(fd, &c, 1) == 1;
}

/* ====================================================================== */
/* Header dispositions: the destination. */

TEST(dest_copy_send_keeps_urefs)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	rbuf_t b;

	ASSERT_EQ(MACH_MSG_SUCCESS, send_simple(p, MACH_MSG_TYPE_COPY_SEND, NULL_NAME, 0, 7, 0, 0));
	EXPECT_EQ(1U, send_refs(p));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(p));
	EXPECT_EQ(1U, msgcount_of(_metadata, p));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	EXPECT_EQ(BITS(0, PORT_SEND), b.h.msgh_bits);
	EXPECT_EQ(p, b.h.msgh_local_port);
	EXPECT_EQ(NULL_NAME, b.h.msgh_remote_port);
	EXPECT_EQ(7, b.h.msgh_id);
	EXPECT_EQ(1U, send_refs(p));
	EXPECT_EQ(1U, status_of(_metadata, p).mps_srights);
}

static void kid_move_send(struct __test_metadata *_metadata, mach_port_name_t parent, int rd,
			  int wr)
{
	mach_port_urefs_t r = send_refs(parent);

	(void)rd;
	(void)wr;
	ASSERT_EQ(MACH_PORT_TYPE_SEND, type_of(parent));
	ASSERT_LE(1U, r);
	ASSERT_GT(0x10000U, r);
	if (r < 2) {
		ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), parent,
							   MACH_PORT_RIGHT_SEND, 2 - (int)r));
	}
	ASSERT_EQ(2U, send_refs(parent));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_simple(parent, MACH_MSG_TYPE_MOVE_SEND, NULL_NAME, 0,
						1, 0, 0));
	EXPECT_EQ(1U, send_refs(parent));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_of(parent));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_simple(parent, MACH_MSG_TYPE_MOVE_SEND, NULL_NAME, 0,
						2, 0, 0));
	/* The last uref went with the message: the name is gone. */
	EXPECT_EQ(GONE, type_of(parent));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, send_to(parent, 3));
}

TEST(dest_move_send_last_uref_removes_name)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	struct kid k;
	rbuf_t b;

	start_kid(_metadata, &k, p, kid_move_send);
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	EXPECT_EQ(1, b.h.msgh_id);
	EXPECT_EQ(BITS(0, PORT_SEND), b.h.msgh_bits);
	EXPECT_EQ(p, b.h.msgh_local_port);
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	EXPECT_EQ(2, b.h.msgh_id);
	EXPECT_EQ(BITS(0, PORT_SEND), b.h.msgh_bits);
	EXPECT_CHILD_OK(reap(&k));
	EXPECT_EQ(MACH_RCV_TIMED_OUT, recv_opt(p, &b, 0, 0));
}

TEST(dest_move_send_same_space_urefs_go_down)
{
	mach_port_name_t p = new_send_receive(_metadata, 2);
	rbuf_t b;

	ASSERT_EQ(MACH_MSG_SUCCESS, send_simple(p, MACH_MSG_TYPE_MOVE_SEND, NULL_NAME, 0, 1, 0, 0));
	EXPECT_EQ(1U, send_refs(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_simple(p, MACH_MSG_TYPE_MOVE_SEND, NULL_NAME, 0, 2, 0, 0));
	/* The last send uref moved: the receive right stays under the name. */
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(p));
	EXPECT_EQ(0U, send_refs(p));
	EXPECT_EQ(1U, status_of(_metadata, p).mps_srights);
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	EXPECT_EQ(2, b.h.msgh_id);
	/* Both moved rights were consumed by the receives. */
	EXPECT_EQ(0U, status_of(_metadata, p).mps_srights);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(p));
}

TEST(dest_make_send_counts_mscount)
{
	mach_port_name_t p = new_receive(_metadata);
	mach_port_status_t st;
	rbuf_t b;

	st = status_of(_metadata, p);
	EXPECT_EQ(0U, st.mps_mscount);
	EXPECT_EQ(0U, st.mps_srights);
	ASSERT_EQ(MACH_MSG_SUCCESS, send_simple(p, MACH_MSG_TYPE_MAKE_SEND, NULL_NAME, 0, 5, 0, 0));
	st = status_of(_metadata, p);
	EXPECT_EQ(1U, st.mps_mscount);
	EXPECT_EQ(1U, st.mps_srights);
	EXPECT_EQ(1U, st.mps_msgcount);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(p)); /* no send right for us */
	ASSERT_EQ(MACH_MSG_SUCCESS, send_simple(p, MACH_MSG_TYPE_MAKE_SEND, NULL_NAME, 0, 6, 0, 0));
	EXPECT_EQ(2U, status_of(_metadata, p).mps_mscount);
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	EXPECT_EQ(BITS(0, PORT_SEND), b.h.msgh_bits);
	EXPECT_EQ(p, b.h.msgh_local_port);
	EXPECT_EQ(5, b.h.msgh_id);
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	st = status_of(_metadata, p);
	EXPECT_EQ(2U, st.mps_mscount);
	EXPECT_EQ(0U, st.mps_srights);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(p));
}

TEST(dest_make_send_once)
{
	mach_port_name_t p = new_receive(_metadata);
	mach_port_status_t st;
	rbuf_t b;

	ASSERT_EQ(MACH_MSG_SUCCESS, send_simple(p, MACH_MSG_TYPE_MAKE_SEND_ONCE, NULL_NAME, 0, 9,
						0, 0));
	st = status_of(_metadata, p);
	EXPECT_EQ(1U, st.mps_sorights);
	EXPECT_EQ(0U, st.mps_mscount);
	EXPECT_EQ(0U, st.mps_srights);
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	EXPECT_EQ(BITS(0, PORT_SEND_ONCE), b.h.msgh_bits);
	EXPECT_EQ(p, b.h.msgh_local_port);
	EXPECT_EQ(NULL_NAME, b.h.msgh_remote_port);
	EXPECT_EQ(0U, status_of(_metadata, p).mps_sorights);
}

TEST(dest_move_send_once_name_disappears)
{
	mach_port_name_t p = new_receive(_metadata);
	mach_port_name_t so = new_send_once(_metadata, p);
	rbuf_t b;

	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_of(so));
	EXPECT_EQ(1U, status_of(_metadata, p).mps_sorights);
	ASSERT_EQ(MACH_MSG_SUCCESS, send_simple(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, NULL_NAME, 0, 3,
						0, 0));
	EXPECT_EQ(GONE, type_of(so));
	EXPECT_EQ(1U, status_of(_metadata, p).mps_sorights); /* in the message */
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	EXPECT_EQ(BITS(0, PORT_SEND_ONCE), b.h.msgh_bits);
	EXPECT_EQ(p, b.h.msgh_local_port);
	EXPECT_EQ(3, b.h.msgh_id);
	EXPECT_EQ(0U, status_of(_metadata, p).mps_sorights);
	/* Used up: a second send on the name fails. */
	EXPECT_EQ(MACH_SEND_INVALID_DEST,
		  send_simple(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, NULL_NAME, 0, 4, 0, 0));
}

/* ====================================================================== */
/* Header dispositions: the reply port. */

TEST(reply_make_send_once_gives_send_once)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_port_name_t r = new_receive(_metadata);
	mach_port_name_t so;
	rbuf_t b;

	ASSERT_EQ(MACH_MSG_SUCCESS, send_simple(p, MACH_MSG_TYPE_COPY_SEND, r,
						MACH_MSG_TYPE_MAKE_SEND_ONCE, 11, 0, 0));
	EXPECT_EQ(1U, status_of(_metadata, r).mps_sorights);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(r));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	EXPECT_EQ(BITS(PORT_SEND_ONCE, PORT_SEND), b.h.msgh_bits);
	EXPECT_EQ(p, b.h.msgh_local_port);
	so = b.h.msgh_remote_port;
	ASSERT_TRUE(MACH_PORT_VALID(so));
	EXPECT_NE(r, so); /* a send-once right always gets its own name */
	EXPECT_NE(p, so);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_of(so));
	EXPECT_EQ(1U, status_of(_metadata, r).mps_sorights);
	/* The reply goes through it. */
	ASSERT_EQ(MACH_MSG_SUCCESS, send_simple(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, NULL_NAME, 0,
						111, 0, 0));
	EXPECT_EQ(GONE, type_of(so));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(r, &b));
	EXPECT_EQ(111, b.h.msgh_id);
	EXPECT_EQ(BITS(0, PORT_SEND_ONCE), b.h.msgh_bits);
	EXPECT_EQ(r, b.h.msgh_local_port);
	EXPECT_EQ(0U, status_of(_metadata, r).mps_sorights);
}

TEST(reply_make_send)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_port_name_t r = new_receive(_metadata);
	rbuf_t b;

	ASSERT_EQ(MACH_MSG_SUCCESS, send_simple(p, MACH_MSG_TYPE_COPY_SEND, r,
						MACH_MSG_TYPE_MAKE_SEND, 12, 0, 0));
	EXPECT_EQ(1U, status_of(_metadata, r).mps_mscount);
	EXPECT_EQ(1U, status_of(_metadata, r).mps_srights);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(r));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	EXPECT_EQ(BITS(PORT_SEND, PORT_SEND), b.h.msgh_bits);
	/* Copied out into our space: merged with the receive right. */
	EXPECT_EQ(r, b.h.msgh_remote_port);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(r));
	EXPECT_EQ(1U, send_refs(r));
}

TEST(reply_copy_send)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_port_name_t r = new_send_receive(_metadata, 1);
	rbuf_t b;

	ASSERT_EQ(MACH_MSG_SUCCESS, send_simple(p, MACH_MSG_TYPE_COPY_SEND, r,
						MACH_MSG_TYPE_COPY_SEND, 13, 0, 0));
	EXPECT_EQ(1U, send_refs(r));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	EXPECT_EQ(BITS(PORT_SEND, PORT_SEND), b.h.msgh_bits);
	EXPECT_EQ(r, b.h.msgh_remote_port);
	EXPECT_EQ(2U, send_refs(r));
}

TEST(reply_move_send)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_port_name_t r = new_send_receive(_metadata, 2);
	rbuf_t b;

	ASSERT_EQ(MACH_MSG_SUCCESS, send_simple(p, MACH_MSG_TYPE_COPY_SEND, r,
						MACH_MSG_TYPE_MOVE_SEND, 14, 0, 0));
	EXPECT_EQ(1U, send_refs(r));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_simple(p, MACH_MSG_TYPE_COPY_SEND, r,
						MACH_MSG_TYPE_MOVE_SEND, 15, 0, 0));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(r));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	EXPECT_EQ(BITS(PORT_SEND, PORT_SEND), b.h.msgh_bits);
	EXPECT_EQ(r, b.h.msgh_remote_port);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(r));
	EXPECT_EQ(1U, send_refs(r));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	EXPECT_EQ(r, b.h.msgh_remote_port);
	EXPECT_EQ(2U, send_refs(r));
}

TEST(reply_dead_name_arrives_as_dead)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_port_name_t d = new_right(_metadata, MACH_PORT_RIGHT_DEAD_NAME);
	rbuf_t b;

	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), d, MACH_PORT_RIGHT_DEAD_NAME,
						   1));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_simple(p, MACH_MSG_TYPE_COPY_SEND, d,
						MACH_MSG_TYPE_MOVE_SEND, 16, 0, 0));
	/* A move of a dead name consumes one of its urefs. */
	EXPECT_EQ(1U, refs_of(d, MACH_PORT_RIGHT_DEAD_NAME));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_simple(p, MACH_MSG_TYPE_COPY_SEND, DEAD_NAME,
						MACH_MSG_TYPE_COPY_SEND, 17, 0, 0));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	EXPECT_EQ(DEAD_NAME, b.h.msgh_remote_port);
	EXPECT_EQ(BITS(PORT_SEND, PORT_SEND), b.h.msgh_bits);
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	EXPECT_EQ(DEAD_NAME, b.h.msgh_remote_port);
	EXPECT_EQ(17, b.h.msgh_id);
}

/* ====================================================================== */
/* The received header, between two processes: a request and its reply. */

static void kid_rpc(struct __test_metadata *_metadata, mach_port_name_t parent, int rd, int wr)
{
	mach_port_name_t q = new_receive(_metadata);
	struct simple m;
	rbuf_t b;

	(void)rd;
	(void)wr;
	memset(&m, 0, sizeof(m));
	set_header(&m.h, BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE), sizeof(m),
		   parent, q, 4242);
	m.val = 0xfeedbeef;
	/* Send, and receive the reply in the same call. */
	memset(&b, 0, sizeof(b));
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  mach_msg_overwrite(&m.h, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT,
				     sizeof(m), sizeof(b), q, WAIT_MS, MACH_PORT_NULL, &b.h,
				     sizeof(b)));
	EXPECT_EQ(4343, b.h.msgh_id);
	EXPECT_EQ(BITS(0, PORT_SEND_ONCE), b.h.msgh_bits);
	EXPECT_EQ(q, b.h.msgh_local_port);
	EXPECT_EQ(NULL_NAME, b.h.msgh_remote_port);
	EXPECT_EQ(0U, status_of(_metadata, q).mps_sorights);
}

TEST(received_header_is_reversed)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_port_name_t reply;
	struct kid k;
	rbuf_t b;

	start_kid(_metadata, &k, p, kid_rpc);
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	EXPECT_EQ(4242, b.h.msgh_id);
	EXPECT_EQ((mach_msg_size_t)sizeof(struct simple), b.h.msgh_size);
	EXPECT_EQ(0xfeedbeefU, b.s.val);
	EXPECT_EQ(BITS(PORT_SEND_ONCE, PORT_SEND), b.h.msgh_bits);
	EXPECT_EQ(p, b.h.msgh_local_port);
	EXPECT_EQ(NULL_NAME, b.h.msgh_voucher_port);
	reply = b.h.msgh_remote_port;
	ASSERT_TRUE(MACH_PORT_VALID(reply));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_of(reply));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_simple(reply, MACH_MSG_TYPE_MOVE_SEND_ONCE, NULL_NAME, 0,
						4343, 0, 0));
	EXPECT_EQ(GONE, type_of(reply));
	EXPECT_CHILD_OK(reap(&k));
}

/* ====================================================================== */
/* Destination and reply under the same name. */

/*
 * Table-driven: a message whose destination and reply are the same name,
 * with each pair of dispositions. The name is a port with `urefs` send
 * urefs (0: a receive right only), or a send-once right to a new port.
 * A case checks only the values it gives, as GIVEN(value); 0 is "not checked".
 */
#define GIVEN(x) ((long long)(x) + 1)

FIXTURE(dest_eq_reply) {
	mach_port_name_t p;	/* the port */
	mach_port_name_t name;	/* the name sent to: p, or a send-once right to p */
};

FIXTURE_VARIANT(dest_eq_reply) {
	int urefs;		/* -1: name is a send-once right to p */
	mach_msg_type_name_t dest, reply;
	mach_msg_id_t id;
	mach_msg_return_t mr;	/* a failure must change nothing (EXPECT_FAILS_CLEANLY) */
	/* After the send (GIVEN(value), or 0): */
	long long type, send_refs, srights, sorights, mscount;
	/* The received message: */
	mach_msg_bits_t bits;
	bool local_is_p;	/* msgh_local_port == p */
	enum { REMOTE_ANY, REMOTE_P, REMOTE_NEW_SEND_ONCE } remote;
	/* After the receive (GIVEN(value), or 0): */
	long long type_after, send_refs_after, srights_after, sorights_after;
};

FIXTURE_SETUP(dest_eq_reply)
{
	if (variant->urefs > 0) {
		self->p = new_send_receive(_metadata, variant->urefs);
		self->name = self->p;
	} else {
		self->p = new_receive(_metadata);
		self->name = variant->urefs < 0 ? new_send_once(_metadata, self->p) : self->p;
	}
}

FIXTURE_TEARDOWN(dest_eq_reply)
{
}

/* A check of `got` against a case's value GIVEN(value), if it gives one. */
#define EXPECT_IF_GIVEN(want, got)                                            \
	do {                                                                  \
		if (want)                                                     \
			EXPECT_EQ((unsigned)((want) - 1), (unsigned)(got));   \
	} while (0)

TEST_F(dest_eq_reply, as_xnu)
{
	mach_port_name_t p = self->p, n = self->name, so;
	mach_port_status_t st;
	rbuf_t b;

	if (variant->mr != MACH_MSG_SUCCESS) {
		EXPECT_FAILS_CLEANLY(variant->mr, send_simple(n, variant->dest, n, variant->reply,
							      variant->id, 0, 0));
		EXPECT_IF_GIVEN(variant->type, type_of(n));
		EXPECT_IF_GIVEN(variant->send_refs, send_refs(n));
		EXPECT_IF_GIVEN(variant->sorights, status_of(_metadata, p).mps_sorights);
		EXPECT_EQ(0U, msgcount_of(_metadata, p));
		return;
	}
	ASSERT_EQ(MACH_MSG_SUCCESS, send_simple(n, variant->dest, n, variant->reply, variant->id,
						0, 0));
	EXPECT_IF_GIVEN(variant->send_refs, send_refs(p));
	if (variant->srights || variant->sorights || variant->mscount) {
		st = status_of(_metadata, p);
		EXPECT_IF_GIVEN(variant->mscount, st.mps_mscount);
		EXPECT_IF_GIVEN(variant->srights, st.mps_srights);
		EXPECT_IF_GIVEN(variant->sorights, st.mps_sorights);
	}
	EXPECT_IF_GIVEN(variant->type, type_of(p));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	EXPECT_EQ(variant->bits, b.h.msgh_bits);
	if (variant->local_is_p)
		EXPECT_EQ(p, b.h.msgh_local_port);
	switch (variant->remote) {
	case REMOTE_ANY:
		break;
	case REMOTE_P:
		EXPECT_EQ(p, b.h.msgh_remote_port);
		break;
	case REMOTE_NEW_SEND_ONCE:
		so = b.h.msgh_remote_port;
		ASSERT_TRUE(MACH_PORT_VALID(so));
		EXPECT_NE(p, so);
		EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_of(so));
		break;
	}
	EXPECT_IF_GIVEN(variant->type_after, type_of(p));
	EXPECT_IF_GIVEN(variant->send_refs_after, send_refs(p));
	if (variant->srights_after || variant->sorights_after) {
		st = status_of(_metadata, p);
		EXPECT_IF_GIVEN(variant->srights_after, st.mps_srights);
		EXPECT_IF_GIVEN(variant->sorights_after, st.mps_sorights);
	}
}

FIXTURE_VARIANT_ADD(dest_eq_reply, copy_copy) {
	.urefs = 1, .dest = MACH_MSG_TYPE_COPY_SEND, .reply = MACH_MSG_TYPE_COPY_SEND, .id = 20,
	.send_refs = GIVEN(1),
	.bits = BITS(PORT_SEND, PORT_SEND), .local_is_p = true, .remote = REMOTE_P,
	.send_refs_after = GIVEN(2), /* the reply's send right came back to us */
};

/* The one uref moved; the copy made a second send right. */
FIXTURE_VARIANT_ADD(dest_eq_reply, move_copy_one_uref) {
	.urefs = 1, .dest = MACH_MSG_TYPE_MOVE_SEND, .reply = MACH_MSG_TYPE_COPY_SEND, .id = 21,
	.type = GIVEN(MACH_PORT_TYPE_RECEIVE), .srights = GIVEN(1),
	.bits = BITS(PORT_SEND, PORT_SEND), .local_is_p = true, .remote = REMOTE_P,
	.type_after = GIVEN(MACH_PORT_TYPE_SEND_RECEIVE), .send_refs_after = GIVEN(1),
};

FIXTURE_VARIANT_ADD(dest_eq_reply, copy_move_one_uref) {
	.urefs = 1, .dest = MACH_MSG_TYPE_COPY_SEND, .reply = MACH_MSG_TYPE_MOVE_SEND, .id = 22,
	.type = GIVEN(MACH_PORT_TYPE_RECEIVE),
	.bits = BITS(PORT_SEND, PORT_SEND), .remote = REMOTE_P,
	.send_refs_after = GIVEN(1),
};

FIXTURE_VARIANT_ADD(dest_eq_reply, move_move_one_uref_invalid_dest) {
	.urefs = 1, .dest = MACH_MSG_TYPE_MOVE_SEND, .reply = MACH_MSG_TYPE_MOVE_SEND, .id = 23,
	.mr = MACH_SEND_INVALID_DEST,
	.send_refs = GIVEN(1),
};

FIXTURE_VARIANT_ADD(dest_eq_reply, move_move_two_urefs) {
	.urefs = 2, .dest = MACH_MSG_TYPE_MOVE_SEND, .reply = MACH_MSG_TYPE_MOVE_SEND, .id = 24,
	.type = GIVEN(MACH_PORT_TYPE_RECEIVE),
	.bits = BITS(PORT_SEND, PORT_SEND), .remote = REMOTE_P,
	.send_refs_after = GIVEN(1),
};

FIXTURE_VARIANT_ADD(dest_eq_reply, move_send_once_invalid_dest) {
	.urefs = -1, .dest = MACH_MSG_TYPE_MOVE_SEND_ONCE, .reply = MACH_MSG_TYPE_MOVE_SEND_ONCE,
	.id = 25, .mr = MACH_SEND_INVALID_DEST,
	.type = GIVEN(MACH_PORT_TYPE_SEND_ONCE), .sorights = GIVEN(1),
};

FIXTURE_VARIANT_ADD(dest_eq_reply, make_send_make_send_once) {
	.urefs = 0, .dest = MACH_MSG_TYPE_MAKE_SEND, .reply = MACH_MSG_TYPE_MAKE_SEND_ONCE,
	.id = 26,
	.mscount = GIVEN(1), .srights = GIVEN(1), .sorights = GIVEN(1), .type = GIVEN(MACH_PORT_TYPE_RECEIVE),
	.bits = BITS(PORT_SEND_ONCE, PORT_SEND), .local_is_p = true,
	.remote = REMOTE_NEW_SEND_ONCE,
	.srights_after = GIVEN(0), .sorights_after = GIVEN(1),
};

/* ====================================================================== */
/* Send errors: the message and its header. */

TEST(send_size_too_small)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	static const mach_msg_size_t sizes[] = { 0, 4, 20, 23, 26, 30 };
	struct simple m[2];
	unsigned i;

	memset(m, 0, sizeof(m));
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		set_header(&m[0].h, BITS(MACH_MSG_TYPE_COPY_SEND, 0), sizes[i], p, MACH_PORT_NULL,
			   30);
		snprintf(fails_ctx, sizeof(fails_ctx), "send_size %u", sizes[i]);
		EXPECT_FAILS_CLEANLY(MACH_SEND_MSG_TOO_SMALL,
				     mach_msg(&m[0].h, MACH_SEND_MSG, sizes[i], 0, MACH_PORT_NULL,
					      0, MACH_PORT_NULL));
	}
	EXPECT_EQ(0U, msgcount_of(_metadata, p));
}

TEST(send_bad_buffer_invalid_data)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	long page = sysconf(_SC_PAGESIZE);
	char *map;

	EXPECT_EQ(MACH_SEND_INVALID_DATA,
		  mach_msg((mach_msg_header_t *)8, MACH_SEND_MSG, 24, 0, MACH_PORT_NULL, 0,
			   MACH_PORT_NULL));
	map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, munmap(map + page, page));
	/* A header straddling the end of the mapping. */
	set_header((mach_msg_header_t *)(map + page - 24), BITS(MACH_MSG_TYPE_COPY_SEND, 0), 32,
		   p, MACH_PORT_NULL, 31);
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_DATA,
			     mach_msg((mach_msg_header_t *)(map + page - 24), MACH_SEND_MSG, 32,
				      0, MACH_PORT_NULL, 0, MACH_PORT_NULL));
	/* A buffer that can't be read at all. */
	ASSERT_EQ(0, mprotect(map, page, PROT_NONE));
	EXPECT_EQ(MACH_SEND_INVALID_DATA,
		  mach_msg((mach_msg_header_t *)map, MACH_SEND_MSG, 24, 0, MACH_PORT_NULL, 0,
			   MACH_PORT_NULL));
	munmap(map, page);
	EXPECT_EQ(0U, msgcount_of(_metadata, p));
}

/* Sends a simple message with raw header bits; `voucher` in msgh_voucher_port. */
static mach_msg_return_t send_bits(mach_msg_bits_t bits, mach_port_name_t dest,
				   mach_port_name_t reply, mach_port_name_t voucher)
{
	struct simple m;

	memset(&m, 0, sizeof(m));
	set_header(&m.h, bits, sizeof(m), dest, reply, 40);
	m.h.msgh_voucher_port = voucher;
	return mach_msg(&m.h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0, MACH_PORT_NULL, 0,
			MACH_PORT_NULL);
}

/*
 * XNU (ipc_kmsg_copyin) masks msgh_bits with MACH_MSGH_BITS_USER before
 * the header is looked at: bits outside it are cleared, not an error.
 */
TEST(header_bits_outside_user_are_cleared)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	static const mach_msg_bits_t extra[] = { 0x40000000U, 0x20000000U, 0x00000020U,
						 0x00002000U, 0x00200000U, 0x00008000U };
	unsigned i;
	rbuf_t b;

	for (i = 0; i < sizeof(extra) / sizeof(extra[0]); i++) {
		EXPECT_EQ(MACH_MSG_SUCCESS,
			  send_bits(BITS(MACH_MSG_TYPE_COPY_SEND, 0) | extra[i], p, NULL_NAME,
				    NULL_NAME))
			TH_LOG("extra bits 0x%x", extra[i]);
		if (recv_opt(p, &b, 0, 0) != MACH_MSG_SUCCESS)
			continue;
		EXPECT_EQ(BITS(0, PORT_SEND), b.h.msgh_bits) TH_LOG("extra bits 0x%x", extra[i]);
		EXPECT_EQ(p, b.h.msgh_local_port);
	}
	EXPECT_EQ(1U, send_refs(p));
	EXPECT_EQ(0U, msgcount_of(_metadata, p));
}

TEST(dest_bad_disposition_invalid_header)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	static const mach_msg_type_name_t bad[] = { 0, 1, MACH_MSG_TYPE_PORT_NAME,
						    MACH_MSG_TYPE_MOVE_RECEIVE,
						    MACH_MSG_TYPE_COPY_RECEIVE, 31 };
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(fails_ctx, sizeof(fails_ctx), "dest disposition %u", bad[i]);
		EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_HEADER,
				     send_bits(BITS(bad[i], 0), p, NULL_NAME, NULL_NAME));
	}
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(p));
	EXPECT_EQ(0U, msgcount_of(_metadata, p));
}

TEST(reply_bad_disposition_invalid_header)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_port_name_t r = new_send_receive(_metadata, 1);

	/* No reply disposition but a reply name. */
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_HEADER,
			     send_bits(BITS(MACH_MSG_TYPE_MOVE_SEND, 0), p, r, NULL_NAME));
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_HEADER,
			     send_bits(BITS(MACH_MSG_TYPE_MOVE_SEND, 0), p, DEAD_NAME, NULL_NAME));
	/* A reply disposition that isn't a send disposition. */
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_HEADER,
			     send_bits(BITS(MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MOVE_RECEIVE),
				       p, r, NULL_NAME));
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_HEADER,
			     send_bits(BITS(MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_PORT_NAME),
				       p, r, NULL_NAME));
	EXPECT_EQ(1U, send_refs(p));
	EXPECT_EQ(1U, send_refs(r));
	EXPECT_EQ(0U, msgcount_of(_metadata, p));
}

TEST(voucher_non_null_invalid_voucher)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_port_name_t v = new_send_receive(_metadata, 1);
	mach_msg_bits_t bits;

	bits = MACH_MSGH_BITS_SET(MACH_MSG_TYPE_MOVE_SEND, 0, MACH_MSG_TYPE_COPY_SEND, 0);
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_VOUCHER, send_bits(bits, p, NULL_NAME, v));
	bits = MACH_MSGH_BITS_SET(MACH_MSG_TYPE_MOVE_SEND, 0, MACH_MSG_TYPE_MOVE_SEND, 0);
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_VOUCHER, send_bits(bits, p, NULL_NAME, v));
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_VOUCHER,
			     send_bits(bits, p, NULL_NAME, UNKNOWN_NAME));
	EXPECT_EQ(1U, send_refs(p));
	EXPECT_EQ(1U, send_refs(v));
	EXPECT_EQ(0U, msgcount_of(_metadata, p));
}

/*
 * xnu-3248 ipc_kmsg_copyin_header(): `if (voucher_type !=
 * MACH_MSGH_BITS_ZERO) { voucher_name = msg->msgh_voucher_port; ...}` --
 * with no voucher bits the field is never read. Programs older than
 * vouchers call it msgh_reserved and leave stack garbage in it; their
 * messages go through. The kmsg keeps the field as sent and
 * ipc_kmsg_copyout_header delivers it unchanged (`voucher_name =
 * msg->msgh_voucher_port` when there are no voucher bits).
 */
TEST(voucher_field_ignored_without_voucher_bits)
{
	static const mach_port_name_t garbage[] = {
		0xdeadbeef, MACH_PORT_DEAD, UNKNOWN_NAME, 0x7b, 0x103,
	};
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_port_name_t q = new_receive(_metadata);
	struct builder m;
	unsigned i;
	rbuf_t b;

	for (i = 0; i < sizeof(garbage) / sizeof(garbage[0]); i++) {
		EXPECT_EQ(MACH_MSG_SUCCESS, send_bits(BITS(MACH_MSG_TYPE_COPY_SEND, 0), p,
						      NULL_NAME, garbage[i]))
			TH_LOG("msgh_voucher_port 0x%x", garbage[i]);
		ASSERT_EQ(MACH_MSG_SUCCESS, recv_opt(p, &b, 0, 0));
		EXPECT_EQ(BITS(0, PORT_SEND), b.h.msgh_bits);
		EXPECT_EQ(garbage[i], b.h.msgh_voucher_port);
		EXPECT_EQ(40, b.h.msgh_id);
	}
	/* A complex message passing a right, as the old programs do. */
	mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, 0), p, NULL_NAME, 323);
	mb_port(&m, q, MACH_MSG_TYPE_MAKE_SEND);
	m.h.msgh_voucher_port = 0x5eed5eed;
	ASSERT_EQ(MACH_MSG_SUCCESS, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_opt(p, &b, MACH_RCV_VOUCHER, 0));
	EXPECT_EQ(323, b.h.msgh_id);
	EXPECT_EQ(CBITS(0, PORT_SEND), b.h.msgh_bits);
	EXPECT_EQ(0x5eed5eedU, b.h.msgh_voucher_port);
	EXPECT_EQ(q, desc_at(&b.h, 0)->port.name);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(q));
}

/*
 * With voucher bits and MACH_PORT_NULL in the field there is no voucher:
 * accepted, the bits become MOVE_SEND (xnu-3248 ipc_kmsg_copyin_header);
 * the receiver sees them only if it asks with MACH_RCV_VOUCHER
 * (ipc_kmsg_copyout_header), and a null voucher name either way.
 */
TEST(voucher_bits_with_null_voucher_accepted)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	rbuf_t b;

	ASSERT_EQ(MACH_MSG_SUCCESS,
		  send_bits(MACH_MSGH_BITS_SET(MACH_MSG_TYPE_COPY_SEND, 0, MACH_MSG_TYPE_COPY_SEND, 0),
			    p, NULL_NAME, MACH_PORT_NULL));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_opt(p, &b, 0, 0));
	EXPECT_EQ(BITS(0, PORT_SEND), b.h.msgh_bits);
	EXPECT_EQ(NULL_NAME, b.h.msgh_voucher_port);
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  send_bits(MACH_MSGH_BITS_SET(MACH_MSG_TYPE_COPY_SEND, 0, MACH_MSG_TYPE_MOVE_SEND, 0),
			    p, NULL_NAME, MACH_PORT_NULL));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_opt(p, &b, MACH_RCV_VOUCHER, 0));
	EXPECT_EQ((mach_msg_bits_t)MACH_MSGH_BITS_SET(0, PORT_SEND, MACH_MSG_TYPE_MOVE_SEND, 0),
		  b.h.msgh_bits);
	EXPECT_EQ(NULL_NAME, b.h.msgh_voucher_port);
}

TEST(dest_null_unknown_dead_invalid_dest)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_port_name_t dead = new_right(_metadata, MACH_PORT_RIGHT_DEAD_NAME);
	mach_port_name_t stale = new_send_receive(_metadata, 1);
	mach_port_name_t so;
	static const mach_msg_type_name_t disp[] = { MACH_MSG_TYPE_COPY_SEND,
						     MACH_MSG_TYPE_MOVE_SEND,
						     MACH_MSG_TYPE_MOVE_SEND_ONCE,
						     MACH_MSG_TYPE_MAKE_SEND,
						     MACH_MSG_TYPE_MAKE_SEND_ONCE };
	unsigned i;

	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), stale));
	for (i = 0; i < sizeof(disp) / sizeof(disp[0]); i++) {
		mach_msg_bits_t bits = BITS(disp[i], 0);

		snprintf(fails_ctx, sizeof(fails_ctx), "dest disposition %u", disp[i]);
		EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_DEST,
				     send_bits(bits, NULL_NAME, NULL_NAME, NULL_NAME));
		EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_DEST,
				     send_bits(bits, DEAD_NAME, NULL_NAME, NULL_NAME));
		EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_DEST,
				     send_bits(bits, UNKNOWN_NAME, NULL_NAME, NULL_NAME));
		EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_DEST,
				     send_bits(bits, stale, NULL_NAME, NULL_NAME));
		EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_DEST,
				     send_bits(bits, dead, NULL_NAME, NULL_NAME));
	}
	EXPECT_EQ(1U, refs_of(dead, MACH_PORT_RIGHT_DEAD_NAME));
	/* The wrong right for the disposition. */
	so = new_send_once(_metadata, p);
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_DEST,
			     send_bits(BITS(MACH_MSG_TYPE_COPY_SEND, 0), so, NULL_NAME, NULL_NAME));
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_DEST,
			     send_bits(BITS(MACH_MSG_TYPE_MAKE_SEND, 0), so, NULL_NAME, NULL_NAME));
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_DEST,
			     send_bits(BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0), p, NULL_NAME,
				       NULL_NAME));
	EXPECT_EQ(0U, msgcount_of(_metadata, p));
}

TEST(bad_reply_invalid_reply_dest_untouched)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_port_name_t r = new_receive(_metadata);
	mach_port_name_t set = new_port_set(_metadata);

	/* An unknown reply name. */
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_REPLY,
			     send_simple(p, MACH_MSG_TYPE_MOVE_SEND, UNKNOWN_NAME,
					 MACH_MSG_TYPE_MAKE_SEND_ONCE, 41, 0, 0));
	/* A receive right without a send right, copied as a send right. */
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_REPLY,
			     send_simple(p, MACH_MSG_TYPE_MOVE_SEND, r, MACH_MSG_TYPE_COPY_SEND,
					 42, 0, 0));
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_REPLY,
			     send_simple(p, MACH_MSG_TYPE_MOVE_SEND, r, MACH_MSG_TYPE_MOVE_SEND_ONCE,
					 43, 0, 0));
	/* A port set. */
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_REPLY,
			     send_simple(p, MACH_MSG_TYPE_MOVE_SEND, set,
					 MACH_MSG_TYPE_MAKE_SEND_ONCE, 44, 0, 0));
	/* The destination's one uref is still there, nothing was queued. */
	EXPECT_EQ(1U, send_refs(p));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(p));
	EXPECT_EQ(0U, msgcount_of(_metadata, p));
	EXPECT_EQ(0U, status_of(_metadata, r).mps_sorights);
}

TEST(header_only_message_round_trip)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_msg_header_t h;
	rbuf_t b;

	set_header(&h, BITS(MACH_MSG_TYPE_COPY_SEND, 0), sizeof(h), p, MACH_PORT_NULL, -5);
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&h, MACH_SEND_MSG, sizeof(h), 0, MACH_PORT_NULL, 0,
					     MACH_PORT_NULL));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	EXPECT_EQ((mach_msg_size_t)sizeof(h), b.h.msgh_size);
	EXPECT_EQ(-5, b.h.msgh_id);
	EXPECT_EQ(8U, ((mach_msg_trailer_t *)trailer_of(&b.h))->msgh_trailer_size);
}

TEST(complex_message_without_descriptors)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	struct builder m;
	rbuf_t b;

	mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, 0), p, NULL_NAME, 6);
	ASSERT_EQ(MACH_MSG_SUCCESS, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	EXPECT_EQ(CBITS(0, PORT_SEND), b.h.msgh_bits);
	EXPECT_EQ(m.size, b.h.msgh_size);
	EXPECT_EQ(0U, body_of(&b.h)->msgh_descriptor_count);
}

TEST(mach_msg_without_send_or_receive_does_nothing)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	struct simple m;

	memset(&m, 0, sizeof(m));
	set_header(&m.h, BITS(MACH_MSG_TYPE_COPY_SEND, 0), sizeof(m), p, MACH_PORT_NULL, 7);
	EXPECT_EQ(MACH_MSG_SUCCESS, mach_msg(&m.h, MACH_MSG_OPTION_NONE, sizeof(m), sizeof(m), p,
					     0, MACH_PORT_NULL));
	EXPECT_EQ(0U, msgcount_of(_metadata, p));
}

TEST(send_error_skips_the_receive)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	struct simple m;
	rbuf_t b;

	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(p, 8));
	memset(&m, 0, sizeof(m));
	set_header(&m.h, BITS(MACH_MSG_TYPE_COPY_SEND, 0), sizeof(m), UNKNOWN_NAME,
		   MACH_PORT_NULL, 9);
	memset(&b, 0, sizeof(b));
	EXPECT_EQ(MACH_SEND_INVALID_DEST,
		  mach_msg_overwrite(&m.h, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT,
				     sizeof(m), sizeof(b), p, 0, MACH_PORT_NULL, &b.h, sizeof(b)));
	EXPECT_EQ(1U, msgcount_of(_metadata, p)); /* not received */
	EXPECT_EQ(0, b.h.msgh_id);
}

TEST(send_too_large)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_msg_size_t big = 1024 * 1024 + 4;
	mach_msg_header_t *h = calloc(1, big);

	ASSERT_NE(NULL, h);
	set_header(h, BITS(MACH_MSG_TYPE_MOVE_SEND, 0), big, p, MACH_PORT_NULL, 50);
	EXPECT_FAILS_CLEANLY(MACH_SEND_TOO_LARGE,
			     mach_msg(h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, big, 0, MACH_PORT_NULL,
				      0, MACH_PORT_NULL));
	EXPECT_EQ(0U, msgcount_of(_metadata, p));
	free(h);
}

TEST(send_inline_1mib_round_trip)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_msg_size_t size = 1024 * 1024;
	mach_msg_size_t rsize = size + (mach_msg_size_t)sizeof(mach_msg_max_trailer_t);
	mach_msg_header_t *h = calloc(1, size);
	mach_msg_header_t *r = calloc(1, rsize);
	uint32_t *w, *rw, i, bad = 0;

	ASSERT_NE(NULL, h);
	ASSERT_NE(NULL, r);
	set_header(h, BITS(MACH_MSG_TYPE_COPY_SEND, 0), size, p, MACH_PORT_NULL, 51);
	w = (uint32_t *)(h + 1);
	for (i = 0; i < (size - sizeof(*h)) / 4; i++)
		w[i] = i * 2654435761U;
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, size, 0,
					     MACH_PORT_NULL, 0, MACH_PORT_NULL));
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(r, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, rsize, p,
					     WAIT_MS, MACH_PORT_NULL));
	EXPECT_EQ(size, r->msgh_size);
	EXPECT_EQ(51, r->msgh_id);
	rw = (uint32_t *)(r + 1);
	for (i = 0; i < (size - sizeof(*h)) / 4; i++)
		bad += rw[i] != i * 2654435761U;
	EXPECT_EQ(0U, bad);
	free(h);
	free(r);
}

/* ====================================================================== */
/* Receive errors and timeouts. */

TEST(rcv_not_a_receive_right_invalid_name)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_port_name_t so = new_send_once(_metadata, p);
	mach_port_name_t dead = new_right(_metadata, MACH_PORT_RIGHT_DEAD_NAME);
	mach_port_name_t stale = new_receive(_metadata);
	rbuf_t b;

	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), stale));
	EXPECT_EQ(MACH_RCV_INVALID_NAME, recv_opt(NULL_NAME, &b, 0, 0));
	EXPECT_EQ(MACH_RCV_INVALID_NAME, recv_opt(DEAD_NAME, &b, 0, 0));
	EXPECT_EQ(MACH_RCV_INVALID_NAME, recv_opt(UNKNOWN_NAME, &b, 0, 0));
	EXPECT_EQ(MACH_RCV_INVALID_NAME, recv_opt(stale, &b, 0, 0));
	EXPECT_EQ(MACH_RCV_INVALID_NAME, recv_opt(so, &b, 0, 0));
	EXPECT_EQ(MACH_RCV_INVALID_NAME, recv_opt(dead, &b, 0, 0));
	EXPECT_EQ(MACH_RCV_INVALID_NAME, recv_opt(mach_task_self(), &b, 0, 0));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_of(so));
}

static void kid_recv_on_send_right(struct __test_metadata *_metadata, mach_port_name_t parent,
				   int rd, int wr)
{
	rbuf_t b;

	(void)rd;
	(void)wr;
	EXPECT_EQ(MACH_RCV_INVALID_NAME, recv_opt(parent, &b, 0, 0));
	EXPECT_EQ(MACH_RCV_INVALID_NAME, recv_opt(parent, &b, 0, 100));
}

TEST(rcv_on_send_right_invalid_name)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	struct kid k;

	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(p, 1));
	start_kid(_metadata, &k, p, kid_recv_on_send_right);
	EXPECT_CHILD_OK(reap(&k));
	EXPECT_EQ(1U, msgcount_of(_metadata, p));
}

TEST(rcv_timeout_zero_times_out_at_once)
{
	mach_port_name_t p = new_receive(_metadata);
	mach_port_name_t set = new_port_set(_metadata);
	rbuf_t b;

	EXPECT_EQ(MACH_RCV_TIMED_OUT, recv_opt(p, &b, 0, 0));
	EXPECT_EQ(MACH_RCV_TIMED_OUT, recv_opt(set, &b, 0, 0));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), p, set));
	EXPECT_EQ(MACH_RCV_TIMED_OUT, recv_opt(set, &b, 0, 0));
}

TEST(rcv_timeout_50ms)
{
	mach_port_name_t p = new_receive(_metadata);
	uint64_t t0, dt;
	rbuf_t b;

	t0 = now_ms();
	EXPECT_EQ(MACH_RCV_TIMED_OUT, recv_opt(p, &b, 0, 50));
	dt = now_ms() - t0;
	EXPECT_LE(40U, dt);
	EXPECT_GT(5000U, dt);
}

/* ====================================================================== */
/* The kernel's message server. */

#pragma pack(push, 4)
struct alloc_request {
	mach_msg_header_t h;
	NDR_record_t ndr;
	mach_port_right_t right;
};

struct alloc_reply {
	mach_msg_header_t h;
	NDR_record_t ndr;
	kern_return_t ret;
	mach_port_name_t name;
	mach_msg_max_trailer_t trailer;
};
#pragma pack(pop)

static mach_msg_return_t kernel_call(mach_msg_id_t id, mach_port_name_t reply_port,
				     struct alloc_reply *rep)
{
	struct alloc_request req;

	memset(&req, 0, sizeof(req));
	memset(rep, 0, sizeof(*rep));
	set_header(&req.h, BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE),
		   sizeof(req), mach_task_self(), reply_port, id);
	req.ndr = NDR_record;
	req.right = MACH_PORT_RIGHT_RECEIVE;
	return mach_msg_overwrite(&req.h, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT,
				  sizeof(req), sizeof(*rep), reply_port, WAIT_MS, MACH_PORT_NULL,
				  &rep->h, sizeof(*rep));
}

TEST(kernel_task_port_mach_port_allocate)
{
	mach_port_name_t r = new_receive(_metadata);
	struct alloc_reply rep;
	rbuf_t b;

	ASSERT_EQ(MACH_MSG_SUCCESS, kernel_call(3204, r, &rep));
	EXPECT_EQ(3304, rep.h.msgh_id);
	EXPECT_EQ((mach_msg_size_t)offsetof(struct alloc_reply, trailer), rep.h.msgh_size);
	EXPECT_EQ(BITS(0, PORT_SEND_ONCE), rep.h.msgh_bits);
	EXPECT_EQ(r, rep.h.msgh_local_port);
	EXPECT_EQ(NULL_NAME, rep.h.msgh_remote_port);
	EXPECT_EQ(KERN_SUCCESS, rep.ret);
	ASSERT_TRUE(MACH_PORT_VALID(rep.name));
	EXPECT_NE(r, rep.name);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(rep.name));
	/* A real port: it takes messages. */
	ASSERT_EQ(MACH_MSG_SUCCESS, send_simple(rep.name, MACH_MSG_TYPE_MAKE_SEND, NULL_NAME, 0,
						60, 0, 0));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(rep.name, &b));
	EXPECT_EQ(60, b.h.msgh_id);
	EXPECT_EQ(0U, status_of(_metadata, r).mps_sorights);
}

TEST(kernel_task_port_bad_id_mig_bad_id)
{
	mach_port_name_t r = new_receive(_metadata);
	struct alloc_reply rep;
	mig_reply_error_t *e = (mig_reply_error_t *)&rep;
	int before = name_count(mach_task_self());

	ASSERT_EQ(MACH_MSG_SUCCESS, kernel_call(3999, r, &rep));
	EXPECT_EQ(4099, rep.h.msgh_id);
	EXPECT_EQ((mach_msg_size_t)sizeof(mig_reply_error_t), rep.h.msgh_size);
	EXPECT_EQ(MIG_BAD_ID, e->RetCode);
	EXPECT_EQ(r, rep.h.msgh_local_port);
	EXPECT_EQ(before, name_count(mach_task_self()));
}

/* ====================================================================== */
/* Bodies: port descriptors. */

TEST(body_port_descriptor_every_disposition)
{
	mach_port_name_t p = new_receive(_metadata);
	mach_port_name_t q1 = new_send_receive(_metadata, 2);
	mach_port_name_t q2 = new_receive(_metadata);
	mach_port_name_t q3 = new_receive(_metadata);
	mach_port_name_t so3 = new_send_once(_metadata, q3);
	mach_port_status_t st;
	struct builder m;
	mach_msg_descriptor_t *d;
	rbuf_t b;
	unsigned i;
	static const mach_msg_type_name_t want[] = { PORT_SEND, PORT_SEND, PORT_SEND,
						     PORT_SEND_ONCE, PORT_SEND_ONCE };

	mb_init(&m, BITS(MACH_MSG_TYPE_MAKE_SEND, 0), p, NULL_NAME, 70);
	mb_port(&m, q1, MACH_MSG_TYPE_COPY_SEND);
	mb_port(&m, q1, MACH_MSG_TYPE_MOVE_SEND);
	mb_port(&m, q2, MACH_MSG_TYPE_MAKE_SEND);
	mb_port(&m, q2, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	mb_port(&m, so3, MACH_MSG_TYPE_MOVE_SEND_ONCE);
	ASSERT_EQ(MACH_MSG_SUCCESS, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	EXPECT_EQ(1U, send_refs(q1)); /* one copied, one moved */
	EXPECT_EQ(GONE, type_of(so3));
	st = status_of(_metadata, q2);
	EXPECT_EQ(1U, st.mps_mscount);
	EXPECT_EQ(1U, st.mps_srights);
	EXPECT_EQ(1U, st.mps_sorights);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(q2));

	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	EXPECT_EQ(CBITS(0, PORT_SEND), b.h.msgh_bits);
	EXPECT_EQ(m.size, b.h.msgh_size);
	ASSERT_EQ(5U, body_of(&b.h)->msgh_descriptor_count);
	for (i = 0; i < 5; i++) {
		d = desc_at(&b.h, i);
		EXPECT_EQ((unsigned)MACH_MSG_PORT_DESCRIPTOR, (unsigned)d->port.type);
		EXPECT_EQ(want[i], (mach_msg_type_name_t)d->port.disposition)
			TH_LOG("descriptor %u", i);
	}
	/* Send rights come back under the names we have for the ports. */
	EXPECT_EQ(q1, desc_at(&b.h, 0)->port.name);
	EXPECT_EQ(q1, desc_at(&b.h, 1)->port.name);
	EXPECT_EQ(q2, desc_at(&b.h, 2)->port.name);
	EXPECT_EQ(3U, send_refs(q1));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(q2));
	EXPECT_EQ(1U, send_refs(q2));
	/* Send-once rights get fresh names. */
	for (i = 3; i < 5; i++) {
		mach_port_name_t n = desc_at(&b.h, i)->port.name;

		EXPECT_TRUE(MACH_PORT_VALID(n));
		EXPECT_NE(q2, n);
		EXPECT_NE(q3, n);
		EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_of(n));
	}
	EXPECT_NE(desc_at(&b.h, 3)->port.name, desc_at(&b.h, 4)->port.name);
	EXPECT_EQ(1U, status_of(_metadata, q3).mps_sorights);
}

static void kid_move_receive(struct __test_metadata *_metadata, mach_port_name_t parent, int rd,
			     int wr)
{
	mach_port_name_t keep = new_send_receive(_metadata, 1); /* we keep a send right */
	mach_port_name_t gone = new_receive(_metadata);
	struct builder m;

	(void)wr;
	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(keep, 1)); /* a message travels with the port */
	mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, 0), parent, NULL_NAME, 80);
	mb_port(&m, keep, MACH_MSG_TYPE_MOVE_RECEIVE);
	mb_port(&m, gone, MACH_MSG_TYPE_MOVE_RECEIVE);
	ASSERT_EQ(MACH_MSG_SUCCESS, mb_send(&m, MACH_SEND_TIMEOUT, WAIT_MS));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_of(keep));
	EXPECT_EQ(1U, send_refs(keep));
	EXPECT_EQ(GONE, type_of(gone));
	/* We can still send to the port that moved. */
	EXPECT_EQ(MACH_MSG_SUCCESS, send_to(keep, 2));
	ASSERT_TRUE(step_get(rd)); /* until the parent is done */
}

TEST(body_move_receive_moves_the_right)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_port_name_t n0, n1;
	mach_port_status_t st;
	struct kid k;
	rbuf_t b;

	start_kid(_metadata, &k, p, kid_move_receive);
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	EXPECT_EQ(80, b.h.msgh_id);
	ASSERT_EQ(2U, body_of(&b.h)->msgh_descriptor_count);
	EXPECT_EQ(PORT_RECEIVE, (mach_msg_type_name_t)desc_at(&b.h, 0)->port.disposition);
	EXPECT_EQ(PORT_RECEIVE, (mach_msg_type_name_t)desc_at(&b.h, 1)->port.disposition);
	n0 = desc_at(&b.h, 0)->port.name;
	n1 = desc_at(&b.h, 1)->port.name;
	ASSERT_TRUE(MACH_PORT_VALID(n0));
	ASSERT_TRUE(MACH_PORT_VALID(n1));
	EXPECT_NE(n0, n1);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(n0));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(n1));
	st = status_of(_metadata, n0);
	EXPECT_EQ(1U, st.mps_srights); /* the child's */
	EXPECT_EQ(0U, st.mps_mscount); /* reset by the move */
	/* The queued message came along; the child's later one follows. */
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(n0, &b));
	EXPECT_EQ(1, b.h.msgh_id);
	EXPECT_EQ(n0, b.h.msgh_local_port);
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(n0, &b));
	EXPECT_EQ(2, b.h.msgh_id);
	/* The other one works as a port of ours. */
	ASSERT_EQ(MACH_MSG_SUCCESS, send_simple(n1, MACH_MSG_TYPE_MAKE_SEND, NULL_NAME, 0, 3, 0, 0));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(n1, &b));
	EXPECT_EQ(3, b.h.msgh_id);
	ASSERT_TRUE(step_put(k.wr));
	EXPECT_CHILD_OK(reap(&k));
}

TEST(body_move_receive_same_space_merges_with_send)
{
	mach_port_name_t p = new_receive(_metadata);
	mach_port_name_t q = new_send_receive(_metadata, 1);
	struct builder m;
	rbuf_t b;

	mb_init(&m, BITS(MACH_MSG_TYPE_MAKE_SEND, 0), p, NULL_NAME, 81);
	mb_port(&m, q, MACH_MSG_TYPE_MOVE_RECEIVE);
	ASSERT_EQ(MACH_MSG_SUCCESS, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_of(q));
	EXPECT_EQ(MACH_RCV_INVALID_NAME, recv_opt(q, &b, 0, 0));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	EXPECT_EQ(q, desc_at(&b.h, 0)->port.name);
	EXPECT_EQ(PORT_RECEIVE, (mach_msg_type_name_t)desc_at(&b.h, 0)->port.disposition);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(q));
	EXPECT_EQ(1U, send_refs(q));
	EXPECT_EQ(MACH_RCV_TIMED_OUT, recv_opt(q, &b, 0, 0));
}

TEST(body_null_and_dead_names_pass_through)
{
	mach_port_name_t p = new_receive(_metadata);
	mach_port_name_t dead = new_right(_metadata, MACH_PORT_RIGHT_DEAD_NAME);
	struct builder m;
	rbuf_t b;
	unsigned i;

	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), dead,
						   MACH_PORT_RIGHT_DEAD_NAME, 2));
	mb_init(&m, BITS(MACH_MSG_TYPE_MAKE_SEND, 0), p, NULL_NAME, 82);
	mb_port(&m, NULL_NAME, MACH_MSG_TYPE_COPY_SEND);
	mb_port(&m, NULL_NAME, MACH_MSG_TYPE_MOVE_SEND_ONCE);
	mb_port(&m, DEAD_NAME, MACH_MSG_TYPE_MOVE_SEND);
	mb_port(&m, dead, MACH_MSG_TYPE_MOVE_SEND);
	mb_port(&m, dead, MACH_MSG_TYPE_COPY_SEND);
	mb_port(&m, dead, MACH_MSG_TYPE_MOVE_SEND_ONCE);
	ASSERT_EQ(MACH_MSG_SUCCESS, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	/* Each move of the dead name took one of its urefs, the copy none. */
	EXPECT_EQ(1U, refs_of(dead, MACH_PORT_RIGHT_DEAD_NAME));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	ASSERT_EQ(6U, body_of(&b.h)->msgh_descriptor_count);
	EXPECT_EQ(NULL_NAME, desc_at(&b.h, 0)->port.name);
	EXPECT_EQ(NULL_NAME, desc_at(&b.h, 1)->port.name);
	for (i = 2; i < 6; i++)
		EXPECT_EQ(DEAD_NAME, desc_at(&b.h, i)->port.name) TH_LOG("descriptor %u", i);
	EXPECT_EQ(PORT_SEND, (mach_msg_type_name_t)desc_at(&b.h, 0)->port.disposition);
	EXPECT_EQ(PORT_SEND_ONCE, (mach_msg_type_name_t)desc_at(&b.h, 1)->port.disposition);
	EXPECT_EQ(PORT_SEND, (mach_msg_type_name_t)desc_at(&b.h, 3)->port.disposition);
	EXPECT_EQ(PORT_SEND_ONCE, (mach_msg_type_name_t)desc_at(&b.h, 5)->port.disposition);
}

static void kid_two_send_rights(struct __test_metadata *_metadata, mach_port_name_t parent,
				int rd, int wr)
{
	mach_port_name_t q = new_send_receive(_metadata, 1);
	struct builder m;
	rbuf_t b;

	(void)wr;
	mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, 0), parent, NULL_NAME, 90);
	mb_port(&m, q, MACH_MSG_TYPE_COPY_SEND);
	mb_port(&m, q, MACH_MSG_TYPE_MAKE_SEND);
	ASSERT_EQ(MACH_MSG_SUCCESS, mb_send(&m, MACH_SEND_TIMEOUT, WAIT_MS));
	mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, 0), parent, NULL_NAME, 91);
	mb_port(&m, q, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	mb_port(&m, q, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	ASSERT_EQ(MACH_MSG_SUCCESS, mb_send(&m, MACH_SEND_TIMEOUT, WAIT_MS));
	EXPECT_EQ(2U, status_of(_metadata, q).mps_sorights);
	/* The parent answers through both send-once rights. */
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(q, &b));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(q, &b));
	EXPECT_EQ(0U, status_of(_metadata, q).mps_sorights);
	ASSERT_TRUE(step_get(rd));
}

TEST(body_two_send_rights_one_name_two_send_once_two_names)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_port_name_t n, so0, so1;
	struct kid k;
	rbuf_t b;

	start_kid(_metadata, &k, p, kid_two_send_rights);
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	EXPECT_EQ(90, b.h.msgh_id);
	n = desc_at(&b.h, 0)->port.name;
	ASSERT_TRUE(MACH_PORT_VALID(n));
	EXPECT_EQ(n, desc_at(&b.h, 1)->port.name);
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_of(n));
	EXPECT_EQ(2U, send_refs(n));

	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	EXPECT_EQ(91, b.h.msgh_id);
	so0 = desc_at(&b.h, 0)->port.name;
	so1 = desc_at(&b.h, 1)->port.name;
	ASSERT_TRUE(MACH_PORT_VALID(so0));
	ASSERT_TRUE(MACH_PORT_VALID(so1));
	EXPECT_NE(so0, so1);
	EXPECT_NE(n, so0);
	EXPECT_NE(n, so1);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_of(so0));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_of(so1));
	EXPECT_EQ(MACH_MSG_SUCCESS, send_simple(so0, MACH_MSG_TYPE_MOVE_SEND_ONCE, NULL_NAME, 0,
						92, 0, 0));
	EXPECT_EQ(MACH_MSG_SUCCESS, send_simple(so1, MACH_MSG_TYPE_MOVE_SEND_ONCE, NULL_NAME, 0,
						93, 0, 0));
	ASSERT_TRUE(step_put(k.wr));
	EXPECT_CHILD_OK(reap(&k));
}

/* ====================================================================== */
/* Bodies: out-of-line memory and ports. */

static const mach_msg_size_t ool_sizes[] = { 1, 4096, 1024 * 1024 };
static mach_msg_copy_options_t ool_copy; /* set by the test before fork() */

static uint8_t pattern(size_t i, unsigned seed)
{
	return (uint8_t)(i * 131 + (i >> 9) + seed * 29 + 1);
}

static size_t page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

/*
 * Whether the n bytes at addr can be read: the kernel reads one byte of
 * each page (and the last byte) into a pipe, which we empty as we go.
 */
static bool readable(const void *addr, size_t n)
{
	const char *p = addr, *end = p + n;
	size_t page = page_size();
	bool ok = true;
	int fds[2];
	char c;

	if (!n || pipe(fds))
		return false;
	while (ok && p < end) {
		ok = write(fds[1], p, 1) == 1 && read(fds[0], &c, 1) == 1;
		p = (const char *)(((uintptr_t)p & ~(page - 1)) + page);
	}
	if (ok)
		ok = write(fds[1], end - 1, 1) == 1;
	close(fds[0]);
	close(fds[1]);
	return ok;
}

static void kid_send_ool(struct __test_metadata *_metadata, mach_port_name_t parent, int rd,
			 int wr)
{
	size_t page = page_size();
	unsigned k;

	(void)rd;
	(void)wr;
	for (k = 0; k < 3; k++) {
		size_t n = ool_sizes[k], len = (n + 3 + page - 1) & ~(page - 1), i;
		uint8_t *map = mmap(NULL, len, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		uint8_t *src = n == 1 ? map + 3 : map; /* one byte, not page-aligned */
		struct builder m;

		ASSERT_NE(MAP_FAILED, map);
		for (i = 0; i < n; i++)
			src[i] = pattern(i, k);
		mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, 0), parent, NULL_NAME, 100 + (int)k);
		mb_ool(&m, src, (mach_msg_size_t)n, false, ool_copy);
		ASSERT_EQ(MACH_MSG_SUCCESS, mb_send(&m, MACH_SEND_TIMEOUT, WAIT_MS));
		/* Still ours; changing it now doesn't change what was sent. */
		EXPECT_TRUE(readable(src, n));
		memset(src, 0xee, n);
		munmap(map, len);
	}
}

static void ool_round_trip(struct __test_metadata *_metadata, mach_msg_copy_options_t copy)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	size_t page = page_size();
	struct kid k;
	unsigned i;

	ool_copy = copy;
	start_kid(_metadata, &k, p, kid_send_ool);
	for (i = 0; i < 3; i++) {
		mach_msg_size_t n = ool_sizes[i];
		mach_msg_ool_descriptor_t *d;
		size_t j, bad = 0;
		uint8_t *a;
		rbuf_t b;

		ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
		EXPECT_EQ(100 + (int)i, b.h.msgh_id);
		EXPECT_EQ(CBITS(0, PORT_SEND), b.h.msgh_bits);
		EXPECT_EQ(OMSG_SIZE(1), b.h.msgh_size);
		ASSERT_EQ(1U, body_of(&b.h)->msgh_descriptor_count);
		d = &desc_at(&b.h, 0)->out_of_line;
		EXPECT_EQ((unsigned)MACH_MSG_OOL_DESCRIPTOR, (unsigned)d->type);
		EXPECT_EQ(n, d->size);
		a = d->address;
		ASSERT_NE(NULL, a);
		EXPECT_EQ(0U, (uintptr_t)a & (page - 1));
		for (j = 0; j < n; j++)
			bad += a[j] != pattern(j, i);
		EXPECT_EQ(0U, bad) TH_LOG("%u bytes: %zu differ", n, bad);
		EXPECT_EQ(KERN_SUCCESS, vm_deallocate(mach_task_self(), (vm_address_t)a, n));
		EXPECT_FALSE(readable(a, 1));
	}
	EXPECT_CHILD_OK(reap(&k));
}

TEST(ool_physical_copy_round_trip)
{
	ool_round_trip(_metadata, MACH_MSG_PHYSICAL_COPY);
}

TEST(ool_virtual_copy_round_trip)
{
	ool_round_trip(_metadata, MACH_MSG_VIRTUAL_COPY);
}

/*
 * XNU (ipc_kmsg_copyin_body) accepts only MACH_MSG_PHYSICAL_COPY and
 * MACH_MSG_VIRTUAL_COPY in a sent out-of-line descriptor; anything else,
 * MACH_MSG_ALLOCATE included, is MACH_SEND_INVALID_TYPE.
 */
TEST(ool_copy_option_allocate_or_overwrite_invalid_type)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	static const mach_msg_copy_options_t bad[] = { MACH_MSG_ALLOCATE, MACH_MSG_OVERWRITE, 4,
						       0xff };
	uint8_t data[64];
	struct builder m;
	unsigned i;

	memset(data, 0x42, sizeof(data));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, 0), p, NULL_NAME, 109);
		mb_ool(&m, data, sizeof(data), false, bad[i]);
		snprintf(fails_ctx, sizeof(fails_ctx), "copy option %u", bad[i]);
		EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_TYPE, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	}
	EXPECT_EQ(0U, msgcount_of(_metadata, p));
}

/*
 * How XNU (ipc_kmsg_copyout_ool_descriptor and _ool_ports_descriptor)
 * fills in a received out-of-line descriptor: the copy option as sent,
 * deallocate TRUE for a virtual copy only; out-of-line ports always
 * VIRTUAL_COPY with deallocate TRUE. (mach_msg_destroy frees the memory
 * of descriptors with deallocate set.)
 */
TEST(ool_received_descriptor_flags)
{
	mach_port_name_t p = new_receive(_metadata);
	mach_port_name_t q = new_receive(_metadata);
	mach_msg_ool_ports_descriptor_t *pd;
	mach_msg_ool_descriptor_t *d;
	uint8_t data[64];
	struct builder m;
	rbuf_t b;

	memset(data, 0x11, sizeof(data));
	mb_init(&m, BITS(MACH_MSG_TYPE_MAKE_SEND, 0), p, NULL_NAME, 108);
	mb_ool(&m, data, sizeof(data), false, MACH_MSG_PHYSICAL_COPY);
	mb_ool(&m, data, sizeof(data), false, MACH_MSG_VIRTUAL_COPY);
	mb_ool_ports(&m, &q, 1, MACH_MSG_TYPE_MAKE_SEND, false);
	ASSERT_EQ(MACH_MSG_SUCCESS, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	ASSERT_EQ(3U, body_of(&b.h)->msgh_descriptor_count);
	d = &desc_at(&b.h, 0)->out_of_line;
	EXPECT_EQ((unsigned)MACH_MSG_PHYSICAL_COPY, (unsigned)d->copy);
	EXPECT_EQ(0U, (unsigned)d->deallocate);
	EXPECT_EQ(64U, d->size);
	d = &desc_at(&b.h, 1)->out_of_line;
	EXPECT_EQ((unsigned)MACH_MSG_VIRTUAL_COPY, (unsigned)d->copy);
	EXPECT_EQ(1U, (unsigned)d->deallocate);
	EXPECT_EQ(64U, d->size);
	pd = &desc_at(&b.h, 2)->ool_ports;
	EXPECT_EQ((unsigned)MACH_MSG_VIRTUAL_COPY, (unsigned)pd->copy);
	EXPECT_EQ(1U, (unsigned)pd->deallocate);
	EXPECT_EQ(1U, pd->count);
	EXPECT_EQ(PORT_SEND, (mach_msg_type_name_t)pd->disposition);
}

TEST(ool_zero_size_arrives_null)
{
	mach_port_name_t p = new_receive(_metadata);
	uint8_t data[8] = { 1 };
	struct builder m;
	rbuf_t b;

	mb_init(&m, BITS(MACH_MSG_TYPE_MAKE_SEND, 0), p, NULL_NAME, 107);
	mb_ool(&m, data, 0, false, MACH_MSG_PHYSICAL_COPY);
	mb_ool(&m, NULL, 0, false, MACH_MSG_VIRTUAL_COPY);
	mb_ool_ports(&m, NULL, 0, MACH_MSG_TYPE_COPY_SEND, false);
	ASSERT_EQ(MACH_MSG_SUCCESS, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	ASSERT_EQ(3U, body_of(&b.h)->msgh_descriptor_count);
	EXPECT_EQ(NULL, desc_at(&b.h, 0)->out_of_line.address);
	EXPECT_EQ(0U, desc_at(&b.h, 0)->out_of_line.size);
	EXPECT_EQ(NULL, desc_at(&b.h, 1)->out_of_line.address);
	EXPECT_EQ(NULL, desc_at(&b.h, 2)->ool_ports.address);
	EXPECT_EQ(0U, desc_at(&b.h, 2)->ool_ports.count);
	EXPECT_EQ(1, data[0]);
}

TEST(ool_deallocate_removes_region_from_sender)
{
	mach_port_name_t p = new_receive(_metadata);
	size_t page = page_size(), len = 2 * page, i, bad;
	mach_msg_copy_options_t copy;

	for (copy = MACH_MSG_PHYSICAL_COPY; copy <= MACH_MSG_VIRTUAL_COPY; copy++) {
		uint8_t *map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				    -1, 0);
		struct builder m;
		uint8_t *a;
		rbuf_t b;

		ASSERT_NE(MAP_FAILED, map);
		for (i = 0; i < len; i++)
			map[i] = pattern(i, copy);
		mb_init(&m, BITS(MACH_MSG_TYPE_MAKE_SEND, 0), p, NULL_NAME, 110);
		mb_ool(&m, map, (mach_msg_size_t)len, true, copy);
		ASSERT_EQ(MACH_MSG_SUCCESS, mb_send(&m, MACH_SEND_TIMEOUT, 0));
		EXPECT_FALSE(readable(map, len)) TH_LOG("copy %u: region still mapped", copy);
		EXPECT_FALSE(readable(map + page, 1));
		ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
		a = desc_at(&b.h, 0)->out_of_line.address;
		ASSERT_NE(NULL, a);
		EXPECT_EQ(len, (size_t)desc_at(&b.h, 0)->out_of_line.size);
		bad = 0;
		for (i = 0; i < len; i++)
			bad += a[i] != pattern(i, copy);
		EXPECT_EQ(0U, bad);
		vm_deallocate(mach_task_self(), (vm_address_t)a, len);
	}
}

static void kid_send_ool_ports(struct __test_metadata *_metadata, mach_port_name_t parent,
			       int rd, int wr)
{
	mach_port_name_t q1 = new_send_receive(_metadata, 1);
	mach_port_name_t q2 = new_receive(_metadata);
	mach_port_name_t names[4] = { q1, q2, NULL_NAME, DEAD_NAME };
	struct builder m;
	rbuf_t b;

	(void)rd;
	(void)wr;
	mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, 0), parent, NULL_NAME, 120);
	mb_ool_ports(&m, names, 4, MACH_MSG_TYPE_MAKE_SEND, false);
	ASSERT_EQ(MACH_MSG_SUCCESS, mb_send(&m, MACH_SEND_TIMEOUT, WAIT_MS));
	EXPECT_EQ(q1, names[0]); /* the array is left alone */
	EXPECT_EQ(1U, status_of(_metadata, q2).mps_mscount);
	/* The parent sends through what it got. */
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(q1, &b));
	EXPECT_EQ(121, b.h.msgh_id);
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(q2, &b));
	EXPECT_EQ(122, b.h.msgh_id);
}

TEST(ool_ports_round_trip)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_msg_ool_ports_descriptor_t *d;
	mach_port_name_t *names;
	struct kid k;
	rbuf_t b;

	start_kid(_metadata, &k, p, kid_send_ool_ports);
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	EXPECT_EQ(120, b.h.msgh_id);
	EXPECT_EQ(CBITS(0, PORT_SEND), b.h.msgh_bits);
	ASSERT_EQ(1U, body_of(&b.h)->msgh_descriptor_count);
	d = &desc_at(&b.h, 0)->ool_ports;
	EXPECT_EQ((unsigned)MACH_MSG_OOL_PORTS_DESCRIPTOR, (unsigned)d->type);
	EXPECT_EQ(PORT_SEND, (mach_msg_type_name_t)d->disposition);
	ASSERT_EQ(4U, d->count);
	names = d->address;
	ASSERT_NE(NULL, names);
	EXPECT_EQ(0U, (uintptr_t)names & (page_size() - 1));
	ASSERT_TRUE(MACH_PORT_VALID(names[0]));
	ASSERT_TRUE(MACH_PORT_VALID(names[1]));
	EXPECT_NE(names[0], names[1]);
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_of(names[0]));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_of(names[1]));
	EXPECT_EQ(1U, send_refs(names[0]));
	EXPECT_EQ(NULL_NAME, names[2]);
	EXPECT_EQ(DEAD_NAME, names[3]);
	EXPECT_EQ(MACH_MSG_SUCCESS, send_to(names[0], 121));
	EXPECT_EQ(MACH_MSG_SUCCESS, send_to(names[1], 122));
	EXPECT_EQ(KERN_SUCCESS, vm_deallocate(mach_task_self(), (vm_address_t)names,
					      4 * sizeof(*names)));
	EXPECT_CHILD_OK(reap(&k));
}

TEST(mach_msg_destroy_releases_everything)
{
	mach_port_name_t p = new_receive(_metadata);
	mach_port_name_t r = new_receive(_metadata);
	mach_port_name_t q = new_receive(_metadata);
	mach_port_name_t s = new_receive(_metadata);
	mach_port_name_t t = new_receive(_metadata);
	mach_port_name_t tt[2] = { t, t };
	size_t page = page_size();
	mach_port_name_t s2, *ports;
	mach_port_status_t st;
	struct builder m;
	uint8_t *region, *a;
	int before;
	rbuf_t b;

	region = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, region);
	memset(region, 0x77, 2 * page);
	before = name_count(mach_task_self());
	mb_init(&m, BITS(MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE), p, r, 130);
	mb_port(&m, q, MACH_MSG_TYPE_MAKE_SEND);
	mb_port(&m, s, MACH_MSG_TYPE_MOVE_RECEIVE);
	mb_port(&m, q, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	mb_ool(&m, region, (mach_msg_size_t)(2 * page), false, MACH_MSG_VIRTUAL_COPY);
	mb_ool_ports(&m, tt, 2, MACH_MSG_TYPE_MAKE_SEND, false);
	ASSERT_EQ(MACH_MSG_SUCCESS, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	s2 = desc_at(&b.h, 1)->port.name;
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(s2));
	a = desc_at(&b.h, 3)->out_of_line.address;
	ports = desc_at(&b.h, 4)->ool_ports.address;
	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, ports);
	EXPECT_EQ(t, ports[0]);
	EXPECT_EQ(2U, send_refs(t));

	mach_msg_destroy(&b.h);

	EXPECT_EQ(GONE, type_of(s2));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(q));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(t));
	EXPECT_EQ(0U, status_of(_metadata, q).mps_srights);
	EXPECT_EQ(0U, status_of(_metadata, t).mps_srights);
	EXPECT_FALSE(readable(a, 1));
	EXPECT_FALSE(readable(ports, 1));
	/* s gone, nothing new. */
	EXPECT_EQ(before - 1, name_count(mach_task_self()));
	/* The destroyed send-once rights each sent a send-once notification. */
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_opt(r, &b, 0, WAIT_MS));
	EXPECT_EQ(MACH_NOTIFY_SEND_ONCE, b.h.msgh_id);
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_opt(q, &b, 0, WAIT_MS));
	EXPECT_EQ(MACH_NOTIFY_SEND_ONCE, b.h.msgh_id);
	st = status_of(_metadata, r);
	EXPECT_EQ(0U, st.mps_sorights);
	EXPECT_EQ(0U, st.mps_msgcount);
	EXPECT_EQ(0U, status_of(_metadata, q).mps_sorights);
	EXPECT_EQ(before - 1, name_count(mach_task_self()));
	munmap(region, 2 * page);
}

/* ====================================================================== */
/* Bodies: errors. */

TEST(body_descriptor_count_beyond_message_too_small)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_port_name_t q = new_receive(_metadata);
	struct builder m;

	mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, 0), p, NULL_NAME, 140);
	mb_port(&m, q, MACH_MSG_TYPE_MAKE_SEND);
	body_of(&m.h)->msgh_descriptor_count = 3;
	EXPECT_FAILS_CLEANLY(MACH_SEND_MSG_TOO_SMALL, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	body_of(&m.h)->msgh_descriptor_count = 0xffffffffU;
	EXPECT_FAILS_CLEANLY(MACH_SEND_MSG_TOO_SMALL, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	/* An out-of-line descriptor cut short (16 bytes, 12 present). */
	mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, 0), p, NULL_NAME, 141);
	mb_ool(&m, &m, 4, false, MACH_MSG_PHYSICAL_COPY);
	m.size -= 4;
	m.h.msgh_size = m.size;
	EXPECT_FAILS_CLEANLY(MACH_SEND_MSG_TOO_SMALL, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	EXPECT_EQ(0U, msgcount_of(_metadata, p));
	EXPECT_EQ(0U, status_of(_metadata, q).mps_srights);
}

TEST(body_unknown_descriptor_type_invalid_type)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	static const unsigned bad[] = { 5, 6, 0x7f, 0xff };
	struct builder m;
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		mach_msg_port_descriptor_t d = port_desc(NULL_NAME, MACH_MSG_TYPE_COPY_SEND);
		uint8_t pad[4] = { 0 };

		d.type = bad[i];
		mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, 0), p, NULL_NAME, 142);
		mb_add(&m, &d, sizeof(d));
		mb_add(&m, pad, sizeof(pad)); /* room for a 16-byte descriptor */
		body_of(&m.h)->msgh_descriptor_count = 1;
		snprintf(fails_ctx, sizeof(fails_ctx), "descriptor type %u", bad[i]);
		EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_TYPE, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	}
	EXPECT_EQ(0U, msgcount_of(_metadata, p));
}

/*
 * xnu-3248 ipc_kmsg_copyin_body(), sizing pass: in a 64-bit task an OOL,
 * OOL_VOLATILE or OOL_PORTS descriptor is 16 bytes and anything else --
 * an unknown type too -- 12 (`default: descriptor_size += 12`); only a
 * descriptor that runs past msgh_size is MACH_SEND_MSG_TOO_SMALL. The
 * copyin pass then fails on the unknown type (`default: mr =
 * MACH_SEND_INVALID_TYPE`), releasing what the earlier descriptors and the
 * header copied in.
 */
TEST(body_unknown_descriptor_type_steps_12_bytes_invalid_type)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_port_name_t q = new_receive(_metadata);
	static const unsigned bad[] = { 4, 5, 0x7f, 0xff };
	uint8_t buf[4096] = { 0 };
	struct builder m;
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		mach_msg_port_descriptor_t d = port_desc(q, MACH_MSG_TYPE_MAKE_SEND);
		mach_msg_port_descriptor_t u = port_desc(NULL_NAME, MACH_MSG_TYPE_COPY_SEND);

		u.type = bad[i];
		/* Exactly 12 bytes of it: no room for 16, still INVALID_TYPE. */
		mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, 0), p, NULL_NAME, 143);
		mb_add(&m, &u, sizeof(u));
		snprintf(fails_ctx, sizeof(fails_ctx), "type %u alone, 12 bytes", bad[i]);
		EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_TYPE, mb_send(&m, MACH_SEND_TIMEOUT, 0));
		/* 12 bytes, then a port descriptor right after: still sized. */
		mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, 0), p, NULL_NAME, 144);
		mb_add(&m, &u, sizeof(u));
		mb_port(&m, q, MACH_MSG_TYPE_MAKE_SEND);
		snprintf(fails_ctx, sizeof(fails_ctx), "type %u, then a port", bad[i]);
		EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_TYPE, mb_send(&m, MACH_SEND_TIMEOUT, 0));
		/* 12 bytes, then an out-of-line descriptor right after. */
		mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, 0), p, NULL_NAME, 145);
		mb_add(&m, &u, sizeof(u));
		mb_ool(&m, buf, sizeof(buf), false, MACH_MSG_PHYSICAL_COPY);
		snprintf(fails_ctx, sizeof(fails_ctx), "type %u, then OOL", bad[i]);
		EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_TYPE, mb_send(&m, MACH_SEND_TIMEOUT, 0));
		/* After a good descriptor: its right is released. */
		mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, 0), p, NULL_NAME, 146);
		mb_add(&m, &d, sizeof(d));
		mb_add(&m, &u, sizeof(u));
		snprintf(fails_ctx, sizeof(fails_ctx), "a port, then type %u", bad[i]);
		EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_TYPE, mb_send(&m, MACH_SEND_TIMEOUT, 0));
		/* The sizing pass comes first: a later descriptor cut short wins. */
		mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, 0), p, NULL_NAME, 147);
		mb_add(&m, &u, sizeof(u));
		body_of(&m.h)->msgh_descriptor_count = 2;
		snprintf(fails_ctx, sizeof(fails_ctx), "type %u, then nothing", bad[i]);
		EXPECT_FAILS_CLEANLY(MACH_SEND_MSG_TOO_SMALL, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	}
	EXPECT_EQ(0U, msgcount_of(_metadata, p));
	EXPECT_EQ(0U, status_of(_metadata, q).mps_srights);
}

TEST(body_bad_port_name_invalid_right)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_port_name_t q = new_receive(_metadata);
	mach_port_name_t so = new_send_once(_metadata, q);
	struct builder m;

	/* Unknown name; the wrong right for the disposition. */
	mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, 0), p, NULL_NAME, 150);
	mb_port(&m, UNKNOWN_NAME, MACH_MSG_TYPE_COPY_SEND);
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_RIGHT, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, 0), p, NULL_NAME, 151);
	mb_port(&m, q, MACH_MSG_TYPE_COPY_SEND);
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_RIGHT, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, 0), p, NULL_NAME, 152);
	mb_port(&m, so, MACH_MSG_TYPE_MAKE_SEND);
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_RIGHT, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, 0), p, NULL_NAME, 153);
	mb_port(&m, so, MACH_MSG_TYPE_MOVE_RECEIVE);
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_RIGHT, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	/* In an out-of-line ports array, after a good one. */
	{
		mach_port_name_t names[2] = { q, UNKNOWN_NAME };

		mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, 0), p, NULL_NAME, 154);
		mb_ool_ports(&m, names, 2, MACH_MSG_TYPE_MAKE_SEND, false);
		EXPECT_EQ(MACH_SEND_INVALID_RIGHT, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	}
	EXPECT_EQ(0U, msgcount_of(_metadata, p));
	EXPECT_EQ(0U, status_of(_metadata, q).mps_srights);
	EXPECT_EQ(1U, status_of(_metadata, q).mps_sorights);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_of(so));
}

/*
 * A body error after the header's rights were copied in: every right
 * copied in is released, the header's too (XNU ipc_kmsg_clean_partial):
 * the MOVE_SEND destination loses its uref, the MAKE_SEND_ONCE reply is
 * destroyed (a send-once notification), a right from an earlier
 * descriptor is released.
 */
static void body_error_releases(struct __test_metadata *_metadata, mach_msg_return_t want,
				void (*add_bad)(struct builder *m))
{
	mach_port_name_t p = new_send_receive(_metadata, 2);
	mach_port_name_t r = new_receive(_metadata);
	mach_port_name_t q = new_receive(_metadata);
	struct builder m;
	rbuf_t b;

	mb_init(&m, BITS(MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE), p, r, 160);
	mb_port(&m, q, MACH_MSG_TYPE_MAKE_SEND);
	add_bad(&m);
	ASSERT_EQ(want, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	EXPECT_EQ(0U, msgcount_of(_metadata, p));
	EXPECT_EQ(1U, send_refs(p)) TH_LOG("the MOVE_SEND destination was not consumed");
	EXPECT_EQ(0U, status_of(_metadata, q).mps_srights);
	EXPECT_EQ(MACH_MSG_SUCCESS, recv_opt(r, &b, 0, WAIT_MS))
		TH_LOG("no send-once notification for the released reply right");
	EXPECT_EQ(MACH_NOTIFY_SEND_ONCE, b.h.msgh_id);
	EXPECT_EQ(0U, status_of(_metadata, r).mps_sorights);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(r));
}

static void add_bad_name(struct builder *m)
{
	mb_port(m, UNKNOWN_NAME, MACH_MSG_TYPE_COPY_SEND);
}

static void add_bad_type(struct builder *m)
{
	mach_msg_port_descriptor_t d = port_desc(NULL_NAME, MACH_MSG_TYPE_COPY_SEND);
	uint8_t pad[4] = { 0 };

	d.type = 0x7f;
	mb_add(m, &d, sizeof(d));
	mb_add(m, pad, sizeof(pad));
	body_of(&m->h)->msgh_descriptor_count--;
}

static void add_bad_count(struct builder *m)
{
	body_of(&m->h)->msgh_descriptor_count = 5;
}

static void add_bad_memory(struct builder *m)
{
	mb_ool(m, (void *)16, 4096, false, MACH_MSG_PHYSICAL_COPY);
}

TEST(body_invalid_right_releases_header_rights)
{
	body_error_releases(_metadata, MACH_SEND_INVALID_RIGHT, add_bad_name);
}

TEST(body_invalid_type_releases_header_rights)
{
	body_error_releases(_metadata, MACH_SEND_INVALID_TYPE, add_bad_type);
}

TEST(body_too_small_releases_header_rights)
{
	body_error_releases(_metadata, MACH_SEND_MSG_TOO_SMALL, add_bad_count);
}

TEST(body_invalid_memory_releases_header_rights)
{
	body_error_releases(_metadata, MACH_SEND_INVALID_MEMORY, add_bad_memory);
}

TEST(ool_bad_address_invalid_memory)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	size_t page = page_size();
	struct builder m;
	uint8_t *map;

	mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, 0), p, NULL_NAME, 170);
	mb_ool(&m, (void *)16, 100, false, MACH_MSG_PHYSICAL_COPY);
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_MEMORY, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, 0), p, NULL_NAME, 171);
	mb_ool(&m, (void *)16, 100, false, MACH_MSG_VIRTUAL_COPY);
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_MEMORY, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	/* A region running past the end of a mapping. */
	map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, munmap(map + page, page));
	mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, 0), p, NULL_NAME, 172);
	mb_ool(&m, map + page - 8, 16, false, MACH_MSG_PHYSICAL_COPY);
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_MEMORY, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	/* Out-of-line ports array at a bad address. */
	mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, 0), p, NULL_NAME, 173);
	mb_ool_ports(&m, (mach_port_name_t *)16, 4, MACH_MSG_TYPE_COPY_SEND, false);
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_MEMORY, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	munmap(map, page);
	EXPECT_EQ(0U, msgcount_of(_metadata, p));
}

/* ====================================================================== */
/* Threads and signals. */

/*
 * One mach_msg call made by another thread. Events are ordered by what
 * the threads are doing, never by time: a thread that must block first is
 * watched until it sleeps in its Mach call (wait_thread_blocked_in_mach),
 * and a signal is sent to a thread only once it sleeps there.
 */
struct op {
	mach_port_name_t name;
	mach_msg_id_t id;
	mach_msg_option_t opt;
	mach_msg_timeout_t timeout;
	/* If set: first wait until this thread sleeps in a Mach call ... */
	pid_t after_tid;
	/* ... then (SIGNAL) interrupt it with SIGALRM and wait until the
	 * handler has run, and (RESTART) until the thread sleeps in its
	 * restarted call again. */
	enum { NO_SIGNAL, SIGNAL, SIGNAL_RESTART } interrupt;
	/* Only do the above (the signalling thread of the interrupt tests). */
	bool no_call;
	atomic_int tid;    /* the thread's id, once it runs */
	atomic_int done;
	const char *failed; /* what the thread waited for in vain */
	mach_msg_return_t mr;
	rbuf_t b;
};

static atomic_int alarms;

static void on_alarm(int sig)
{
	(void)sig;
	atomic_fetch_add(&alarms, 1);
}

/* SIGALRM is caught by a handler installed without SA_RESTART. */
static void catch_alarm(struct __test_metadata *_metadata)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	atomic_store(&alarms, 0);
}

/* The ordering an op asks for; false (and o->failed) if it did not happen. */
static bool wait_for_turn(struct op *o)
{
	if (!o->after_tid)
		return true;
	if (!wait_thread_blocked_in_mach(o->after_tid)) {
		o->failed = "the other thread to block in mach_msg";
		return false;
	}
	if (o->interrupt == NO_SIGNAL)
		return true;
	if (syscall(SYS_tgkill, getpid(), o->after_tid, SIGALRM)) {
		o->failed = "tgkill";
		return false;
	}
	if (!POLL_UNTIL(atomic_load(&alarms) == 1, BLOCK_WAIT_MS)) {
		o->failed = "the signal handler to run";
		return false;
	}
	if (o->interrupt == SIGNAL)
		return true;
	if (!wait_thread_blocked_in_mach(o->after_tid)) {
		o->failed = "the interrupted thread to block in mach_msg again";
		return false;
	}
	return true;
}

static void *send_thread(void *arg)
{
	struct op *o = arg;

	atomic_store(&o->tid, gettid());
	/* Sends even when the wait failed: the other thread must not hang. */
	wait_for_turn(o);
	if (!o->no_call)
		o->mr = send_simple(o->name, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, o->id,
				    o->opt, o->timeout);
	atomic_store(&o->done, 1);
	return NULL;
}

static void *recv_thread(void *arg)
{
	struct op *o = arg;

	atomic_store(&o->tid, gettid());
	wait_for_turn(o);
	o->mr = recv_opt(o->name, &o->b, o->opt, o->timeout);
	atomic_store(&o->done, 1);
	return NULL;
}

static void init_op(struct op *o, mach_port_name_t name, mach_msg_id_t id,
		    mach_msg_option_t opt, mach_msg_timeout_t timeout)
{
	memset(o, 0, sizeof(*o));
	o->name = name;
	o->id = id;
	o->opt = opt;
	o->timeout = timeout;
	o->mr = -1;
}

/* The op runs once the calling thread sleeps in its next Mach call (and
 * has been interrupted there, if `interrupt`). */
static void after_me(struct op *o, int interrupt)
{
	o->after_tid = gettid();
	o->interrupt = interrupt;
}

/* Waits until the op's thread sleeps in its mach_msg call. */
static void let_it_block(struct __test_metadata *_metadata, struct op *o)
{
	ASSERT_TRUE(POLL_UNTIL(atomic_load(&o->tid) != 0, BLOCK_WAIT_MS));
	ASSERT_TRUE(wait_thread_blocked_in_mach(atomic_load(&o->tid)))
		TH_LOG("the thread did not block in mach_msg");
}

/* Joins the op's thread; the ordering it waited for must have happened. */
static void join_op(struct __test_metadata *_metadata, pthread_t t, struct op *o)
{
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(NULL, o->failed) TH_LOG("waited in vain for %s", o->failed);
}

/* Starts a thread with SIGALRM blocked (the signals are for the main thread). */
static void start_thread(struct __test_metadata *_metadata, pthread_t *t,
			 void *(*fn)(void *), void *arg)
{
	sigset_t set, old;

	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	ASSERT_EQ(0, pthread_sigmask(SIG_BLOCK, &set, &old));
	ASSERT_EQ(0, pthread_create(t, NULL, fn, arg));
	ASSERT_EQ(0, pthread_sigmask(SIG_SETMASK, &old, NULL));
}

/* A thread that interrupts us with SIGALRM once we sleep in our next Mach call. */
static void interrupt_me(struct __test_metadata *_metadata, pthread_t *t, struct op *o)
{
	catch_alarm(_metadata);
	init_op(o, MACH_PORT_NULL, 0, 0, 0);
	after_me(o, SIGNAL);
	o->no_call = true;
	start_thread(_metadata, t, send_thread, o);
}

/* Fills the queue of `p` (qlimit 5) with messages 0..4. */
static void fill_queue(struct __test_metadata *_metadata, mach_port_name_t p)
{
	int i;

	ASSERT_EQ(KERN_SUCCESS, set_qlimit(p, 5));
	for (i = 0; i < 5; i++)
		ASSERT_EQ(MACH_MSG_SUCCESS, send_now(p, i));
	ASSERT_EQ(5U, msgcount_of(_metadata, p));
}

/* ====================================================================== */
/* Queue limits and blocked senders. */

TEST(qlimit_full_send_timed_out_rights_restored)
{
	mach_port_name_t p = new_send_receive(_metadata, 3);
	mach_port_name_t r = new_send_receive(_metadata, 1);
	mach_port_name_t q = new_send_receive(_metadata, 1);
	mach_port_name_t q2 = new_send_receive(_metadata, 2);
	struct snapshot before, after;
	struct builder m;
	int count;
	int i;

	ASSERT_EQ(KERN_SUCCESS, set_qlimit(p, 5));
	for (i = 0; i < 5; i++)
		ASSERT_EQ(MACH_MSG_SUCCESS, send_now(p, i)) TH_LOG("send %d", i);
	EXPECT_EQ(5U, msgcount_of(_metadata, p));
	count = name_count(mach_task_self());
	take_snapshot(_metadata, &before);
	mb_init(&m, BITS(MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MOVE_SEND), p, r, 200);
	mb_port(&m, q, MACH_MSG_TYPE_MOVE_SEND);
	mb_port(&m, q2, MACH_MSG_TYPE_MOVE_SEND);
	ASSERT_EQ(MACH_SEND_TIMED_OUT, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	take_snapshot(_metadata, &after);
	expect_same_snapshot(_metadata, &before, &after, "the timed-out send");
	EXPECT_EQ(count, name_count(mach_task_self()));
	EXPECT_EQ(3U, send_refs(p));
	EXPECT_EQ(1U, send_refs(r));
	EXPECT_EQ(1U, send_refs(q));
	EXPECT_EQ(2U, send_refs(q2));
	EXPECT_EQ(5U, msgcount_of(_metadata, p));
	/* The message came back into the buffer, as the sender would have written it. */
	EXPECT_EQ(CBITS(PORT_SEND, PORT_SEND), m.h.msgh_bits);
	EXPECT_EQ(p, m.h.msgh_remote_port);
	EXPECT_EQ(r, m.h.msgh_local_port);
	EXPECT_EQ(200, m.h.msgh_id);
	EXPECT_EQ(q, desc_at(&m.h, 0)->port.name);
	EXPECT_EQ(q2, desc_at(&m.h, 1)->port.name);
	/* A timeout > 0 times out the same way. */
	ASSERT_EQ(MACH_SEND_TIMED_OUT,
		  send_simple(p, MACH_MSG_TYPE_MOVE_SEND, NULL_NAME, 0, 201, MACH_SEND_TIMEOUT, 20));
	EXPECT_EQ(3U, send_refs(p));
	EXPECT_EQ(5U, msgcount_of(_metadata, p));
}

TEST(send_timed_out_returns_copied_and_made_rights)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_port_name_t r = new_receive(_metadata);
	mach_port_name_t q = new_receive(_metadata);
	mach_port_name_t so;
	struct builder m;
	rbuf_t b;

	fill_queue(_metadata, p);
	mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE), p, r, 202);
	mb_port(&m, q, MACH_MSG_TYPE_MAKE_SEND);
	ASSERT_EQ(MACH_SEND_TIMED_OUT, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	/*
	 * Every right the message carried comes back (ipc_kmsg_copyout_pseudo):
	 * the copied send right adds a uref, the made send-once right gets a
	 * name, the made send right merges with q's receive right.
	 */
	EXPECT_EQ(CBITS(PORT_SEND, PORT_SEND_ONCE), m.h.msgh_bits);
	EXPECT_EQ(p, m.h.msgh_remote_port);
	EXPECT_EQ(2U, send_refs(p));
	so = m.h.msgh_local_port;
	ASSERT_TRUE(MACH_PORT_VALID(so));
	EXPECT_NE(r, so);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_of(so));
	EXPECT_EQ(q, desc_at(&m.h, 0)->port.name);
	EXPECT_EQ(PORT_SEND, (mach_msg_type_name_t)desc_at(&m.h, 0)->port.disposition);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(q));
	EXPECT_EQ(1U, send_refs(q));
	/* mach_msg_destroy releases what it is meant to (not the local port). */
	mach_msg_destroy(&m.h);
	EXPECT_EQ(1U, send_refs(p));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(q));
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_of(so));
	ASSERT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), so));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_opt(r, &b, 0, WAIT_MS));
	EXPECT_EQ(MACH_NOTIFY_SEND_ONCE, b.h.msgh_id);
	EXPECT_EQ(5U, msgcount_of(_metadata, p));
}

TEST(dest_send_once_to_dead_port_invalid_dest)
{
	mach_port_name_t p = new_receive(_metadata);
	mach_port_name_t so = new_send_once(_metadata, p);

	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), p));
	EXPECT_EQ(MACH_SEND_INVALID_DEST,
		  send_simple(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, NULL_NAME, 0, 203, 0, 0));
	/* Now a dead name (one uref), not consumed by the failed send. */
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(so));
	EXPECT_EQ(1U, refs_of(so, MACH_PORT_RIGHT_DEAD_NAME));
}

TEST(rcv_unwritable_buffer_invalid_data)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	size_t page = page_size();
	mach_msg_header_t *ro;

	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(p, 204));
	ro = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	EXPECT_EQ(MACH_RCV_INVALID_DATA, mach_msg(ro, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, 256, p, 0,
						  MACH_PORT_NULL));
	/* The message was taken off the queue. */
	EXPECT_EQ(0U, msgcount_of(_metadata, p));
	munmap(ro, page);
}

/*
 * A MACH_RCV_LARGE receive that finds the message too large writes the
 * size (and with MACH_RCV_LARGE_IDENTITY the port's name) into the
 * caller's buffer; a buffer address so high that those fields lie past
 * the top of the address space is MACH_RCV_INVALID_DATA, and the message
 * stays queued (the fuzzer found the address sum overflowing).
 */
TEST(rcv_large_buffer_at_top_of_address_space_invalid_data)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_msg_header_t *top = (mach_msg_header_t *)(uintptr_t)(UINT64_MAX - 1);

	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(p, 205));
	EXPECT_EQ(MACH_RCV_INVALID_DATA, mach_msg(top, MACH_RCV_MSG | MACH_RCV_LARGE |
						  MACH_RCV_TIMEOUT, 0, 16, p, 0, MACH_PORT_NULL));
	EXPECT_EQ(MACH_RCV_INVALID_DATA,
		  mach_msg(top, MACH_RCV_MSG | MACH_RCV_LARGE | MACH_RCV_LARGE_IDENTITY |
			   MACH_RCV_TIMEOUT, 0, 16, p, 0, MACH_PORT_NULL));
	EXPECT_EQ(1U, msgcount_of(_metadata, p));
}

TEST(qlimit_zero_every_send_waits)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);

	ASSERT_EQ(KERN_SUCCESS, set_qlimit(p, 0));
	EXPECT_EQ(MACH_SEND_TIMED_OUT, send_now(p, 1));
	EXPECT_EQ(0U, msgcount_of(_metadata, p));
	EXPECT_EQ(MACH_MSG_SUCCESS, send_simple(p, MACH_MSG_TYPE_MAKE_SEND_ONCE, NULL_NAME, 0, 2,
						MACH_SEND_TIMEOUT, 0));
	EXPECT_EQ(1U, msgcount_of(_metadata, p));
}

TEST(send_once_dest_bypasses_full_queue)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_port_name_t so = new_send_once(_metadata, p);
	rbuf_t b;
	int i;

	fill_queue(_metadata, p);
	EXPECT_EQ(MACH_MSG_SUCCESS, send_simple(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, NULL_NAME, 0,
						10, MACH_SEND_TIMEOUT, 0));
	EXPECT_EQ(MACH_MSG_SUCCESS, send_simple(p, MACH_MSG_TYPE_MAKE_SEND_ONCE, NULL_NAME, 0, 11,
						MACH_SEND_TIMEOUT, 0));
	EXPECT_EQ(7U, msgcount_of(_metadata, p));
	EXPECT_EQ(MACH_SEND_TIMED_OUT, send_now(p, 12));
	for (i = 0; i < 5; i++) {
		ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
		EXPECT_EQ(i, b.h.msgh_id);
	}
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	EXPECT_EQ(10, b.h.msgh_id);
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	EXPECT_EQ(11, b.h.msgh_id);
}

TEST(blocked_sender_woken_by_receive)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	struct op o;
	pthread_t t;
	rbuf_t b;
	int i;

	fill_queue(_metadata, p);
	init_op(&o, p, 5, MACH_SEND_TIMEOUT, WAIT_MS);
	start_thread(_metadata, &t, send_thread, &o);
	let_it_block(_metadata, &o);
	EXPECT_EQ(0, atomic_load(&o.done)); /* blocked on the full queue */
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	EXPECT_EQ(0, b.h.msgh_id);
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(MACH_MSG_SUCCESS, o.mr);
	EXPECT_EQ(5U, msgcount_of(_metadata, p));
	for (i = 1; i <= 5; i++) {
		ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
		EXPECT_EQ(i, b.h.msgh_id);
	}
}

TEST(raising_qlimit_wakes_blocked_sender)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	struct op o;
	pthread_t t;

	fill_queue(_metadata, p);
	init_op(&o, p, 5, MACH_SEND_TIMEOUT, WAIT_MS);
	start_thread(_metadata, &t, send_thread, &o);
	let_it_block(_metadata, &o);
	EXPECT_EQ(0, atomic_load(&o.done));
	ASSERT_EQ(KERN_SUCCESS, set_qlimit(p, 6));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(MACH_MSG_SUCCESS, o.mr);
	EXPECT_EQ(6U, msgcount_of(_metadata, p));
}

TEST(send_interrupt_option_returns_interrupted)
{
	mach_port_name_t p = new_send_receive(_metadata, 2);
	struct op o;
	pthread_t t;
	uint64_t t0;

	fill_queue(_metadata, p);
	interrupt_me(_metadata, &t, &o);
	t0 = now_ms();
	EXPECT_EQ(MACH_SEND_INTERRUPTED,
		  send_simple(p, MACH_MSG_TYPE_MOVE_SEND, NULL_NAME, 0, 5,
			      MACH_SEND_INTERRUPT | MACH_SEND_TIMEOUT, WAIT_MS));
	EXPECT_GT((uint64_t)WAIT_MS / 2, now_ms() - t0);
	join_op(_metadata, t, &o);
	EXPECT_EQ(1, atomic_load(&alarms));
	/* Pseudo-received: the moved uref is back. */
	EXPECT_EQ(2U, send_refs(p));
	EXPECT_EQ(5U, msgcount_of(_metadata, p));
}

TEST(rcv_interrupt_option_returns_interrupted)
{
	mach_port_name_t p = new_receive(_metadata);
	struct op o;
	pthread_t t;
	uint64_t t0;
	rbuf_t b;

	interrupt_me(_metadata, &t, &o);
	t0 = now_ms();
	EXPECT_EQ(MACH_RCV_INTERRUPTED, recv_opt(p, &b, MACH_RCV_INTERRUPT, WAIT_MS));
	EXPECT_GT((uint64_t)WAIT_MS / 2, now_ms() - t0);
	join_op(_metadata, t, &o);
	EXPECT_EQ(1, atomic_load(&alarms));
}

TEST(send_without_interrupt_option_is_restarted)
{
	mach_port_name_t p = new_send_receive(_metadata, 2);
	struct op o;
	pthread_t t;
	rbuf_t b;
	int i;

	fill_queue(_metadata, p);
	/*
	 * Another thread interrupts the blocked send, waits until it blocks
	 * again, restarted, and then makes room.
	 */
	catch_alarm(_metadata);
	init_op(&o, p, 0, 0, WAIT_MS);
	after_me(&o, SIGNAL_RESTART);
	start_thread(_metadata, &t, recv_thread, &o);
	EXPECT_EQ(MACH_MSG_SUCCESS, send_simple(p, MACH_MSG_TYPE_MOVE_SEND, NULL_NAME, 0, 5,
						MACH_SEND_TIMEOUT, WAIT_MS));
	EXPECT_EQ(1, atomic_load(&alarms));
	join_op(_metadata, t, &o);
	EXPECT_EQ(MACH_MSG_SUCCESS, o.mr);
	EXPECT_EQ(0, o.b.h.msgh_id);
	EXPECT_EQ(1U, send_refs(p)); /* moved once, not twice */
	for (i = 1; i <= 5; i++) {
		ASSERT_EQ(MACH_MSG_SUCCESS, recv_opt(p, &b, 0, 0));
		EXPECT_EQ(i, b.h.msgh_id);
	}
	EXPECT_EQ(MACH_RCV_TIMED_OUT, recv_opt(p, &b, 0, 0));
}

TEST(rcv_without_interrupt_option_is_restarted)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	struct op o;
	pthread_t t;
	rbuf_t b;

	/* Another thread interrupts the blocked receive, waits until it blocks
	 * again, restarted, and then sends. */
	catch_alarm(_metadata);
	init_op(&o, p, 77, 0, 0);
	after_me(&o, SIGNAL_RESTART);
	start_thread(_metadata, &t, send_thread, &o);
	EXPECT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	EXPECT_EQ(77, b.h.msgh_id);
	EXPECT_EQ(1, atomic_load(&alarms));
	join_op(_metadata, t, &o);
	EXPECT_EQ(MACH_MSG_SUCCESS, o.mr);
}

TEST(send_rcv_interrupted_receive_does_not_resend)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_port_name_t r = new_send_receive(_metadata, 1);
	struct simple m;
	struct op o;
	pthread_t t;
	rbuf_t b;

	/* The send half completes; the receive half blocks, is interrupted,
	 * restarts (without sending again) and gets the other thread's message. */
	catch_alarm(_metadata);
	init_op(&o, r, 78, 0, 0);
	after_me(&o, SIGNAL_RESTART);
	start_thread(_metadata, &t, send_thread, &o);
	memset(&m, 0, sizeof(m));
	set_header(&m.h, BITS(MACH_MSG_TYPE_COPY_SEND, 0), sizeof(m), p, MACH_PORT_NULL, 79);
	memset(&b, 0, sizeof(b));
	EXPECT_EQ(MACH_MSG_SUCCESS,
		  mach_msg_overwrite(&m.h, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT,
				     sizeof(m), sizeof(b), r, WAIT_MS, MACH_PORT_NULL, &b.h,
				     sizeof(b)));
	EXPECT_EQ(78, b.h.msgh_id);
	EXPECT_EQ(1, atomic_load(&alarms));
	join_op(_metadata, t, &o);
	EXPECT_EQ(1U, msgcount_of(_metadata, p)); /* sent exactly once */
}

/* ====================================================================== */
/* Receive: order, sizes, trailers, port sets. */

TEST(rcv_fifo_order)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	rbuf_t b;
	int i;

	ASSERT_EQ(KERN_SUCCESS, set_qlimit(p, 20));
	for (i = 0; i < 20; i++)
		ASSERT_EQ(MACH_MSG_SUCCESS, send_now(p, 1000 + i));
	for (i = 0; i < 20; i++) {
		ASSERT_EQ(MACH_MSG_SUCCESS, recv_opt(p, &b, 0, 0));
		EXPECT_EQ(1000 + i, b.h.msgh_id);
		EXPECT_EQ((uint32_t)(1000 + i) ^ 0x5a5a0000U, b.s.val);
	}
	EXPECT_EQ(MACH_RCV_TIMED_OUT, recv_opt(p, &b, 0, 0));
}

/* A 64-byte message with a send-once reply right to r. */
static mach_msg_return_t send_64(mach_port_name_t p, mach_port_name_t r, mach_msg_id_t id)
{
	struct {
		mach_msg_header_t h;
		uint32_t w[10];
	} m;

	memset(&m, 0, sizeof(m));
	set_header(&m.h, BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE), sizeof(m),
		   p, r, id);
	m.w[9] = 0xabcdef01;
	return mach_msg(&m.h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0, MACH_PORT_NULL, 0,
			MACH_PORT_NULL);
}

/*
 * XNU reports the message's size (ipc_mqueue_select: ith_msize =
 * ipc_kmsg_copyout_size), without the trailer: the caller adds the
 * trailer it asks for (libsyscall's mach_msg_server does
 * msgh_size + trailer_alloc).
 */
TEST(rcv_large_too_small_reports_size_stays_queued)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_port_name_t r = new_receive(_metadata);
	rbuf_t b;

	ASSERT_EQ(MACH_MSG_SUCCESS, send_64(p, r, 210));
	memset(&b, 0, sizeof(b));
	EXPECT_EQ(MACH_RCV_TOO_LARGE, mach_msg(&b.h, MACH_RCV_MSG | MACH_RCV_LARGE |
					       MACH_RCV_TIMEOUT, 0, 32, p, 0, MACH_PORT_NULL));
	EXPECT_EQ(64U, b.h.msgh_size);
	EXPECT_EQ(1U, msgcount_of(_metadata, p));
	/* Too small for message + the trailer asked for: the same report. */
	memset(&b, 0, sizeof(b));
	EXPECT_EQ(MACH_RCV_TOO_LARGE,
		  mach_msg(&b.h, MACH_RCV_MSG | MACH_RCV_LARGE | MACH_RCV_TIMEOUT |
			   MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
			   MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT),
			   0, 64 + 8, p, 0, MACH_PORT_NULL));
	EXPECT_EQ(64U, b.h.msgh_size);
	/* One byte short of message + trailer is too small too. */
	EXPECT_EQ(MACH_RCV_TOO_LARGE, mach_msg(&b.h, MACH_RCV_MSG | MACH_RCV_LARGE |
					       MACH_RCV_TIMEOUT, 0, 64 + 7, p, 0,
					       MACH_PORT_NULL));
	EXPECT_EQ(1U, msgcount_of(_metadata, p));
	EXPECT_EQ(1U, status_of(_metadata, r).mps_sorights);
	/* Exactly message + trailer fits. */
	memset(&b, 0, sizeof(b));
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&b.h, MACH_RCV_MSG | MACH_RCV_LARGE | MACH_RCV_TIMEOUT,
					     0, 64 + 8, p, 0, MACH_PORT_NULL));
	EXPECT_EQ(210, b.h.msgh_id);
	EXPECT_EQ(64U, b.h.msgh_size);
	EXPECT_EQ(0xabcdef01U, ((uint32_t *)(&b.h + 1))[9]);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_ONCE, type_of(b.h.msgh_remote_port));
	EXPECT_EQ(0U, msgcount_of(_metadata, p));
}

TEST(rcv_too_large_without_large_consumes_message)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_port_name_t r = new_receive(_metadata);
	int before = name_count(mach_task_self());
	rbuf_t b;

	ASSERT_EQ(MACH_MSG_SUCCESS, send_64(p, r, 211));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(p, 212));
	memset(&b, 0, sizeof(b));
	EXPECT_EQ(MACH_RCV_TOO_LARGE, mach_msg(&b.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, 32, p, 0,
					       MACH_PORT_NULL));
	/* XNU msg_receive_error: a minimal message, the header and the trailer. */
	EXPECT_EQ((mach_msg_size_t)sizeof(mach_msg_header_t), b.h.msgh_size);
	EXPECT_EQ(p, b.h.msgh_local_port);
	EXPECT_EQ(NULL_NAME, b.h.msgh_remote_port);
	EXPECT_EQ(211, b.h.msgh_id);
	EXPECT_EQ(8U, ((mach_msg_trailer_t *)(&b.h + 1))->msgh_trailer_size);
	/* Dequeued, its reply right destroyed (a send-once notification). */
	EXPECT_EQ(1U, msgcount_of(_metadata, p));
	EXPECT_EQ(before, name_count(mach_task_self()));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_opt(r, &b, 0, WAIT_MS));
	EXPECT_EQ(MACH_NOTIFY_SEND_ONCE, b.h.msgh_id);
	EXPECT_EQ(0U, status_of(_metadata, r).mps_sorights);
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_opt(p, &b, 0, 0));
	EXPECT_EQ(212, b.h.msgh_id);
}

/* Fills our space with dead names (the cheapest entries) until no name is left. */
static void fill_space(struct __test_metadata *_metadata)
{
	mach_port_name_t n;
	kern_return_t kr;
	unsigned i;

	for (i = 0; i < 1000000; i++) {
		kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_DEAD_NAME, &n);
		if (kr != KERN_SUCCESS)
			break;
	}
	ASSERT_EQ(KERN_NO_SPACE, kr);
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

/*
 * Receive copyout failures, in a space with no free name (xnu-3248):
 * ipc_kmsg_copyout_header() needs a name for the reply right, and
 * ipc_entries_hold / ipc_entry_grow_table fail: MACH_RCV_HEADER_ERROR |
 * MACH_MSG_IPC_SPACE. mach_msg_receive_results then runs
 * msg_receive_error: the message is destroyed, its reply right too (a
 * send-once notification to the reply port, which needs no name), and the
 * receiver gets the header alone (24 bytes, reply MACH_PORT_NULL).
 */
TEST_F_TIMEOUT(full_space, rcv_reply_right_without_name_header_error, 300)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_port_name_t r = new_receive(_metadata);
	rbuf_t b;

	ASSERT_EQ(MACH_MSG_SUCCESS, send_simple(p, MACH_MSG_TYPE_COPY_SEND, r,
						MACH_MSG_TYPE_MAKE_SEND_ONCE, 240, 0, 0));
	fill_space(_metadata);
	memset(&b, 0xee, sizeof(b));
	EXPECT_EQ(MACH_RCV_HEADER_ERROR | MACH_MSG_IPC_SPACE, recv_opt(p, &b, 0, 0));
	EXPECT_EQ((mach_msg_size_t)sizeof(mach_msg_header_t), b.h.msgh_size);
	EXPECT_EQ(NULL_NAME, b.h.msgh_remote_port);
	EXPECT_EQ(p, b.h.msgh_local_port);
	EXPECT_EQ(BITS(PORT_SEND_ONCE, PORT_SEND), b.h.msgh_bits);
	EXPECT_EQ(240, b.h.msgh_id);
	EXPECT_EQ(0U, msgcount_of(_metadata, p));
	/* The notification carries the destroyed right until received. */
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_opt(r, &b, 0, 0));
	EXPECT_EQ(MACH_NOTIFY_SEND_ONCE, b.h.msgh_id);
	EXPECT_EQ(0U, status_of(_metadata, r).mps_sorights);
	/* A message with no right to name is received as usual. */
	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(p, 242));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_opt(p, &b, 0, 0));
	EXPECT_EQ(242, b.h.msgh_id);
}

/*
 * ipc_kmsg_copyout_body() (xnu-3248), in a space with no free name: a body
 * right that cannot be named becomes MACH_PORT_NULL and is destroyed (a
 * send-once right: a send-once notification), and MACH_MSG_IPC_SPACE is
 * ORed into MACH_RCV_BODY_ERROR; the rest arrives as usual -- a right to a
 * port already named here merges into its name, out-of-line memory is
 * mapped -- and ipc_kmsg_put copies out the whole message and its trailer.
 */
TEST_F_TIMEOUT(full_space, rcv_body_right_without_name_body_error, 300)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_port_name_t q = new_receive(_metadata);
	char data[64] = "out-of-line";
	mach_msg_ool_descriptor_t *ool;
	struct builder m;
	rbuf_t b;

	mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, 0), p, NULL_NAME, 241);
	mb_port(&m, q, MACH_MSG_TYPE_MAKE_SEND_ONCE);	/* needs a new name */
	mb_port(&m, p, MACH_MSG_TYPE_MAKE_SEND);	/* merges into p */
	mb_ool(&m, data, sizeof(data), false, MACH_MSG_PHYSICAL_COPY);
	fill_space(_metadata);
	ASSERT_EQ(MACH_MSG_SUCCESS, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	memset(&b, 0xee, sizeof(b));
	EXPECT_EQ(MACH_RCV_BODY_ERROR | MACH_MSG_IPC_SPACE, recv_opt(p, &b, 0, 0));
	EXPECT_EQ(241, b.h.msgh_id);
	EXPECT_EQ(m.size, b.h.msgh_size);
	EXPECT_EQ(CBITS(0, PORT_SEND), b.h.msgh_bits);
	EXPECT_EQ(3U, b.p.body.msgh_descriptor_count);
	EXPECT_EQ(NULL_NAME, desc_at(&b.h, 0)->port.name);
	EXPECT_EQ(PORT_SEND_ONCE, (mach_msg_type_name_t)desc_at(&b.h, 0)->port.disposition);
	EXPECT_EQ(p, desc_at(&b.h, 1)->port.name);
	EXPECT_EQ(PORT_SEND, (mach_msg_type_name_t)desc_at(&b.h, 1)->port.disposition);
	EXPECT_EQ(2U, send_refs(p));
	ool = &desc_at(&b.h, 2)->out_of_line;
	ASSERT_NE(NULL, ool->address);
	EXPECT_EQ((mach_msg_size_t)sizeof(data), ool->size);
	EXPECT_EQ(0, memcmp(ool->address, data, sizeof(data)));
	EXPECT_EQ(8U, ((mach_msg_trailer_t *)trailer_of(&b.h))->msgh_trailer_size);
	EXPECT_EQ(0U, msgcount_of(_metadata, p));
	/* The send-once right that found no name: destroyed, 71 on q. */
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_opt(q, &b, 0, 0));
	EXPECT_EQ(MACH_NOTIFY_SEND_ONCE, b.h.msgh_id);
	EXPECT_EQ(0U, status_of(_metadata, q).mps_sorights);
}

/*
 * Too large, without MACH_RCV_LARGE (xnu-3248 mach_msg_receive_results ->
 * msg_receive_error): the message is dequeued (its seqno used) and
 * destroyed but for its header: ipc_kmsg_copyout_dest keeps a dead reply
 * port as MACH_PORT_DEAD (`reply_name = CAST_MACH_PORT_TO_NAME(reply)` when
 * !IO_VALID), destroys a live one (MACH_PORT_NULL), keeps every bit but the
 * swapped port types (MACH_MSGH_BITS_COMPLEX too); msgh_size becomes 24.
 * Then ipc_kmsg_add_trailer(minimal_trailer = TRUE) writes the trailer the
 * receiver asked for: its size, the real seqno, the port's context, and
 * the kernel's security token (trailer_template), not the sender's.
 */
TEST(rcv_too_large_keeps_dead_reply_and_requested_trailer)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_port_name_t q = new_receive(_metadata);
	const mach_msg_option_t opt = MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
				      MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_CTX);
	mach_msg_context_trailer_t *t;
	struct builder m;
	struct {
		mach_msg_header_t h;
		uint32_t w[24];
	} big;
	rbuf_t b;

	ASSERT_EQ(KERN_SUCCESS, mach_port_set_context(mach_task_self(), p, 0x5150c0deULL));
	ASSERT_EQ(KERN_SUCCESS, mach_port_set_seqno(mach_task_self(), p, 40));
	/* A 120-byte message whose reply port is MACH_PORT_DEAD. */
	memset(&big, 0x5a, sizeof(big));
	set_header(&big.h, BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_COPY_SEND), sizeof(big), p,
		   DEAD_NAME, 230);
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&big.h, MACH_SEND_MSG | MACH_SEND_TIMEOUT,
					     sizeof(big), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL));
	/* A complex one, carrying a send right to q. */
	mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, 0), p, NULL_NAME, 231);
	mb_port(&m, q, MACH_MSG_TYPE_MAKE_SEND);
	mb_ool(&m, &big, sizeof(big), false, MACH_MSG_PHYSICAL_COPY);
	ASSERT_EQ(MACH_MSG_SUCCESS, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	ASSERT_EQ(1U, status_of(_metadata, q).mps_srights);

	/* Room for the header and the trailer (84 bytes), not for the message. */
	memset(&b, 0xee, sizeof(b));
	EXPECT_EQ(MACH_RCV_TOO_LARGE, mach_msg(&b.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT | opt, 0,
					       100, p, 0, MACH_PORT_NULL));
	EXPECT_EQ((mach_msg_size_t)sizeof(mach_msg_header_t), b.h.msgh_size);
	EXPECT_EQ(BITS(PORT_SEND, PORT_SEND), b.h.msgh_bits);
	EXPECT_EQ(DEAD_NAME, b.h.msgh_remote_port);
	EXPECT_EQ(p, b.h.msgh_local_port);
	EXPECT_EQ(230, b.h.msgh_id);
	t = (mach_msg_context_trailer_t *)(&b.h + 1);
	EXPECT_EQ((mach_msg_trailer_type_t)MACH_MSG_TRAILER_FORMAT_0, t->msgh_trailer_type);
	EXPECT_EQ((mach_msg_trailer_size_t)sizeof(mach_msg_context_trailer_t),
		  t->msgh_trailer_size);
	EXPECT_EQ(40U, t->msgh_seqno);
	EXPECT_EQ(0U, t->msgh_sender.val[0]);
	EXPECT_EQ(1U, t->msgh_sender.val[1]);
	EXPECT_EQ((mach_port_context_t)0x5150c0deULL, t->msgh_context);

	/* The complex one: COMPLEX kept, its right destroyed, seqno 41. */
	memset(&b, 0xee, sizeof(b));
	EXPECT_EQ(MACH_RCV_TOO_LARGE, mach_msg(&b.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT | opt, 0,
					       100, p, 0, MACH_PORT_NULL));
	EXPECT_EQ((mach_msg_size_t)sizeof(mach_msg_header_t), b.h.msgh_size);
	EXPECT_EQ(CBITS(0, PORT_SEND), b.h.msgh_bits);
	EXPECT_EQ(NULL_NAME, b.h.msgh_remote_port);
	EXPECT_EQ(231, b.h.msgh_id);
	EXPECT_EQ(41U, t->msgh_seqno);
	EXPECT_EQ((mach_msg_trailer_size_t)sizeof(mach_msg_context_trailer_t),
		  t->msgh_trailer_size);
	EXPECT_EQ(0U, status_of(_metadata, q).mps_srights);
	EXPECT_EQ(0U, msgcount_of(_metadata, p));
	/* The seqnos were used: the next message is 42. */
	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(p, 232));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_opt(p, &b, opt, 0));
	EXPECT_EQ(42U, ((mach_msg_context_trailer_t *)trailer_of(&b.h))->msgh_seqno);
}

/*
 * machipc (docs/abi.md): the header-and-trailer a too-large receive gets
 * is cut to rcv_size; XNU's ipc_kmsg_put writes all of it
 * (sizeof(mach_msg_header_t) + trailer size), past the buffer the receiver
 * gave. Nothing beyond rcv_size is written here.
 */
TEST(rcv_too_large_error_header_cut_to_rcv_size)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_port_name_t r = new_receive(_metadata);
	rbuf_t b;
	unsigned i;

	ASSERT_EQ(MACH_MSG_SUCCESS, send_64(p, r, 233));
	memset(&b, 0xee, sizeof(b));
	EXPECT_EQ(MACH_RCV_TOO_LARGE,
		  mach_msg(&b.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT |
			   MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
			   MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT),
			   0, 28, p, 0, MACH_PORT_NULL));
	EXPECT_EQ(233, b.h.msgh_id);
	for (i = 28; i < 128; i++)
		EXPECT_EQ(0xee, b.bytes[i]) TH_LOG("byte %u written", i);
}

TEST(rcv_large_identity_on_set_names_member)
{
	mach_port_name_t set = new_port_set(_metadata);
	mach_port_name_t p1 = new_send_receive(_metadata, 1);
	mach_port_name_t p2 = new_send_receive(_metadata, 1);
	mach_port_name_t r = new_receive(_metadata);
	rbuf_t b;

	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), p1, set));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), p2, set));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_64(p2, r, 220));
	memset(&b, 0, sizeof(b));
	EXPECT_EQ(MACH_RCV_TOO_LARGE,
		  mach_msg(&b.h, MACH_RCV_MSG | MACH_RCV_LARGE | MACH_RCV_LARGE_IDENTITY |
			   MACH_RCV_TIMEOUT, 0, 32, set, 0, MACH_PORT_NULL));
	EXPECT_EQ(64U, b.h.msgh_size);
	EXPECT_EQ(p2, b.h.msgh_local_port);
	EXPECT_EQ(1U, msgcount_of(_metadata, p2));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_opt(set, &b, 0, 0));
	EXPECT_EQ(220, b.h.msgh_id);
	EXPECT_EQ(p2, b.h.msgh_local_port);
}

#define TRAILER_OPT(elements) \
	(MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) | MACH_RCV_TRAILER_ELEMENTS(elements))

TEST(trailer_null_by_default)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_msg_trailer_t *t;
	rbuf_t b;

	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(p, 230));
	memset(&b, 0xcc, sizeof(b));
	ASSERT_EQ(MACH_MSG_SUCCESS, mach_msg(&b.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(b),
					     p, 0, MACH_PORT_NULL));
	EXPECT_EQ((mach_msg_size_t)sizeof(struct simple), b.h.msgh_size);
	t = trailer_of(&b.h);
	EXPECT_EQ((unsigned)MACH_MSG_TRAILER_FORMAT_0, t->msgh_trailer_type);
	EXPECT_EQ(8U, t->msgh_trailer_size);
	/* Nothing written past the requested trailer. */
	EXPECT_EQ(0xccU, ((uint8_t *)t)[8]);
}

TEST(trailer_seqno_counts_and_set_seqno)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_msg_seqno_trailer_t *t;
	rbuf_t b;
	unsigned i;

	for (i = 0; i < 3; i++) {
		ASSERT_EQ(MACH_MSG_SUCCESS, send_to(p, 240 + (int)i));
		ASSERT_EQ(MACH_MSG_SUCCESS, recv_opt(p, &b, TRAILER_OPT(MACH_RCV_TRAILER_SEQNO), 0));
		t = trailer_of(&b.h);
		EXPECT_EQ(12U, t->msgh_trailer_size);
		EXPECT_EQ(i, t->msgh_seqno);
	}
	ASSERT_EQ(KERN_SUCCESS, mach_port_set_seqno(mach_task_self(), p, 10));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(p, 250));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(p, 251));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_opt(p, &b, TRAILER_OPT(MACH_RCV_TRAILER_SEQNO), 0));
	EXPECT_EQ(10U, ((mach_msg_seqno_trailer_t *)trailer_of(&b.h))->msgh_seqno);
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_opt(p, &b, TRAILER_OPT(MACH_RCV_TRAILER_SEQNO), 0));
	EXPECT_EQ(11U, ((mach_msg_seqno_trailer_t *)trailer_of(&b.h))->msgh_seqno);
	EXPECT_EQ(12U, status_of(_metadata, p).mps_seqno);
}

TEST(trailer_seqno_per_port_in_a_set)
{
	mach_port_name_t set = new_port_set(_metadata);
	mach_port_name_t p1 = new_send_receive(_metadata, 1);
	mach_port_name_t p2 = new_send_receive(_metadata, 1);
	rbuf_t b;
	int i;

	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), p1, set));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), p2, set));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(p1, 1));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(p1, 2));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(p2, 3));
	for (i = 0; i < 3; i++) {
		mach_msg_seqno_trailer_t *t;

		ASSERT_EQ(MACH_MSG_SUCCESS,
			  recv_opt(set, &b, TRAILER_OPT(MACH_RCV_TRAILER_SEQNO), 0));
		t = trailer_of(&b.h);
		if (b.h.msgh_local_port == p1) {
			EXPECT_EQ((unsigned)b.h.msgh_id - 1, t->msgh_seqno);
		} else {
			EXPECT_EQ(p2, b.h.msgh_local_port);
			EXPECT_EQ(0U, t->msgh_seqno);
		}
	}
	EXPECT_EQ(2U, status_of(_metadata, p1).mps_seqno);
	EXPECT_EQ(1U, status_of(_metadata, p2).mps_seqno);
}

TEST(trailer_sender_security_token)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_msg_security_trailer_t *t;
	rbuf_t b;

	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(p, 260));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_opt(p, &b, TRAILER_OPT(MACH_RCV_TRAILER_SENDER), 0));
	t = trailer_of(&b.h);
	EXPECT_EQ(20U, t->msgh_trailer_size);
	EXPECT_EQ(0U, t->msgh_seqno);
	EXPECT_EQ((unsigned)geteuid(), t->msgh_sender.val[0]);
	EXPECT_EQ((unsigned)getegid(), t->msgh_sender.val[1]);
}

TEST(trailer_audit_token_of_this_process)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_msg_audit_trailer_t *t;
	rbuf_t b;

	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(p, 270));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_opt(p, &b, TRAILER_OPT(MACH_RCV_TRAILER_AUDIT), 0));
	t = trailer_of(&b.h);
	EXPECT_EQ(52U, t->msgh_trailer_size);
	EXPECT_EQ((unsigned)geteuid(), t->msgh_audit.val[1]);
	EXPECT_EQ((unsigned)getegid(), t->msgh_audit.val[2]);
	EXPECT_EQ((unsigned)getuid(), t->msgh_audit.val[3]);
	EXPECT_EQ((unsigned)getgid(), t->msgh_audit.val[4]);
	EXPECT_EQ((unsigned)getpid(), t->msgh_audit.val[5]);
}

TEST(audit_token_accessors)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_msg_audit_trailer_t *t;
	pid_t pid = 0;
	uid_t euid = 1, ruid = 1;
	gid_t egid = 1;
	rbuf_t b;

	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(p, 272));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_opt(p, &b, TRAILER_OPT(MACH_RCV_TRAILER_AUDIT), 0));
	t = trailer_of(&b.h);
	EXPECT_EQ(getpid(), audit_token_to_pid(t->msgh_audit));
	EXPECT_EQ(geteuid(), audit_token_to_euid(t->msgh_audit));
	EXPECT_EQ(getegid(), audit_token_to_egid(t->msgh_audit));
	EXPECT_EQ(getuid(), audit_token_to_ruid(t->msgh_audit));
	EXPECT_EQ(getgid(), audit_token_to_rgid(t->msgh_audit));
	audit_token_to_au32(t->msgh_audit, NULL, &euid, &egid, &ruid, NULL, &pid, NULL, NULL);
	EXPECT_EQ(getpid(), pid);
	EXPECT_EQ(geteuid(), euid);
	EXPECT_EQ(getegid(), egid);
	EXPECT_EQ(getuid(), ruid);
}

static void kid_setuid_send(struct __test_metadata *_metadata, mach_port_name_t parent, int rd,
			    int wr)
{
	(void)rd;
	(void)wr;
	ASSERT_EQ(0, setgid(65533));
	ASSERT_EQ(0, setuid(65534));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(parent, 271));
}

TEST(trailer_audit_token_of_unprivileged_sender)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_msg_audit_trailer_t *t;
	struct kid k;
	rbuf_t b;

	if (geteuid() != 0)
		SKIP(return, "needs root to change uid");
	start_kid(_metadata, &k, p, kid_setuid_send);
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_opt(p, &b, TRAILER_OPT(MACH_RCV_TRAILER_AUDIT), WAIT_MS));
	EXPECT_EQ(271, b.h.msgh_id);
	t = trailer_of(&b.h);
	EXPECT_EQ(65534U, t->msgh_audit.val[1]);
	EXPECT_EQ(65533U, t->msgh_audit.val[2]);
	EXPECT_EQ(65534U, t->msgh_audit.val[3]);
	EXPECT_EQ((unsigned)k.pid, t->msgh_audit.val[5]);
	EXPECT_EQ(65534U, t->msgh_sender.val[0]);
	EXPECT_CHILD_OK(reap(&k));
}

TEST(trailer_context)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_msg_context_trailer_t *t;
	mach_msg_mac_trailer_t *av;
	rbuf_t b;

	ASSERT_EQ(KERN_SUCCESS, mach_port_set_context(mach_task_self(), p,
						      (mach_port_context_t)0x1122334455667788ULL));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(p, 280));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_opt(p, &b, TRAILER_OPT(MACH_RCV_TRAILER_CTX), 0));
	t = trailer_of(&b.h);
	EXPECT_EQ(60U, t->msgh_trailer_size);
	EXPECT_EQ((mach_port_context_t)0x1122334455667788ULL, t->msgh_context);
	EXPECT_EQ((unsigned)getpid(), t->msgh_audit.val[5]);
	/* The largest trailer. */
	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(p, 281));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_opt(p, &b, TRAILER_OPT(MACH_RCV_TRAILER_AV), 0));
	av = trailer_of(&b.h);
	EXPECT_EQ(68U, av->msgh_trailer_size);
	EXPECT_EQ(1U, av->msgh_seqno);
	EXPECT_EQ((mach_port_context_t)0x1122334455667788ULL, av->msgh_context);
}

TEST(rcv_on_port_set_local_is_member)
{
	mach_port_name_t set = new_port_set(_metadata);
	mach_port_name_t p1 = new_receive(_metadata);
	mach_port_name_t p2 = new_send_receive(_metadata, 1);
	rbuf_t b;

	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), p1, set));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), p2, set));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(p2, 290));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_opt(set, &b, 0, 0));
	EXPECT_EQ(290, b.h.msgh_id);
	EXPECT_EQ(p2, b.h.msgh_local_port);
	EXPECT_EQ(BITS(0, PORT_SEND), b.h.msgh_bits);
	ASSERT_EQ(MACH_MSG_SUCCESS, send_simple(p1, MACH_MSG_TYPE_MAKE_SEND_ONCE, NULL_NAME, 0, 291,
						0, 0));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_opt(set, &b, 0, 0));
	EXPECT_EQ(291, b.h.msgh_id);
	EXPECT_EQ(p1, b.h.msgh_local_port);
	EXPECT_EQ(BITS(0, PORT_SEND_ONCE), b.h.msgh_bits);
	EXPECT_EQ(MACH_RCV_TIMED_OUT, recv_opt(set, &b, 0, 0));
}

TEST(rcv_on_port_set_woken_by_send)
{
	mach_port_name_t set = new_port_set(_metadata);
	mach_port_name_t p = new_send_receive(_metadata, 1);
	struct op o;
	pthread_t t;
	rbuf_t b;

	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), p, set));
	/* The other thread sends once we sleep in the receive on the set. */
	init_op(&o, p, 292, 0, 0);
	after_me(&o, NO_SIGNAL);
	start_thread(_metadata, &t, send_thread, &o);
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(set, &b));
	EXPECT_EQ(292, b.h.msgh_id);
	EXPECT_EQ(p, b.h.msgh_local_port);
	join_op(_metadata, t, &o);
}

TEST(rcv_directly_on_set_member)
{
	mach_port_name_t set = new_port_set(_metadata);
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_port_name_t q = new_send_receive(_metadata, 1);
	rbuf_t b;

	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), p, set));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), q, set));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(q, 293));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(p, 294));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_opt(p, &b, 0, 0));
	EXPECT_EQ(294, b.h.msgh_id);
	EXPECT_EQ(p, b.h.msgh_local_port);
	EXPECT_EQ(MACH_RCV_TIMED_OUT, recv_opt(p, &b, 0, 0));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_opt(set, &b, 0, 0));
	EXPECT_EQ(293, b.h.msgh_id);
	EXPECT_EQ(q, b.h.msgh_local_port);
}

/*
 * A receive on a set takes the first message of the member that was
 * preposted first (xnu-3248 ipc_mqueue_receive_on_thread ->
 * waitq_set_iterate_preposts, head first). A member is preposted at the
 * tail when it goes from empty to non-empty (wq_prepost_do_post_locked:
 * "Add the new prepost to the end of the prepost list"; a member already
 * preposted keeps its place), and loses its prepost when emptied
 * (ipc_mqueue_release_msgcount); there is no rotation. So the set yields
 * messages in the order the members got their first pending message, not
 * in membership or name order.
 */
static int set_next_id(mach_port_name_t set, mach_port_name_t *from)
{
	rbuf_t b;

	if (recv_opt(set, &b, 0, 0) != MACH_MSG_SUCCESS)
		return -1;
	*from = b.h.msgh_local_port;
	return b.h.msgh_id;
}

#define EXPECT_FROM_SET(set, id, port)					\
	do {								\
		mach_port_name_t __from = 0;				\
		EXPECT_EQ((id), set_next_id((set), &__from));		\
		EXPECT_EQ((port), __from);				\
	} while (0)

TEST(rcv_on_port_set_takes_members_in_arrival_order)
{
	mach_port_name_t set = new_port_set(_metadata);
	mach_port_name_t a = new_send_receive(_metadata, 1);
	mach_port_name_t b = new_send_receive(_metadata, 1);
	mach_port_name_t c = new_send_receive(_metadata, 1);
	mach_port_name_t from;

	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), a, set));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), b, set));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), c, set));
	/* To b, then a: b's first. */
	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(b, 310));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(a, 311));
	EXPECT_FROM_SET(set, 310, b);
	EXPECT_FROM_SET(set, 311, a);
	/* c, a, c: c keeps its place while it has messages (c, c, a). */
	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(c, 312));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(a, 313));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(c, 314));
	EXPECT_FROM_SET(set, 312, c);
	EXPECT_FROM_SET(set, 314, c);
	EXPECT_FROM_SET(set, 313, a);
	/* b, a; b emptied, then b again: it goes behind a (b, a, b). */
	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(b, 315));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(a, 316));
	EXPECT_FROM_SET(set, 315, b);
	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(b, 317));
	EXPECT_FROM_SET(set, 316, a);
	EXPECT_FROM_SET(set, 317, b);
	/* A message taken from a member directly: the member's prepost goes
	 * with its last message (a, then c: c's first). */
	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(a, 318));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(c, 319));
	ASSERT_EQ(318, set_next_id(a, &from));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(a, 320));
	EXPECT_FROM_SET(set, 319, c);
	EXPECT_FROM_SET(set, 320, a);
	EXPECT_EQ(-1, set_next_id(set, &from));
}

/*
 * xnu-3248 ipc_mqueue_add(): a port that joins a set with messages queued
 * is preposted then, at the tail -- when it joined, not when its messages
 * came.
 */
TEST(rcv_on_port_set_member_with_messages_joins_at_the_tail)
{
	mach_port_name_t set = new_port_set(_metadata);
	mach_port_name_t a = new_send_receive(_metadata, 1);
	mach_port_name_t late = new_send_receive(_metadata, 1);
	mach_port_name_t from;

	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), a, set));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(late, 321));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(a, 322));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), late, set));
	EXPECT_FROM_SET(set, 322, a);
	EXPECT_FROM_SET(set, 321, late);
	EXPECT_EQ(-1, set_next_id(set, &from));
}

/* ====================================================================== */
/* Port death while waiting. */

/*
 * What a receive blocked on a port or set gets when the port or set is
 * destroyed, or the receive right moved: XNU wakes the receiver with
 * THREAD_RESTART (ipc_mqueue_changed), which ipc_mqueue_receive_results
 * turns into MACH_RCV_PORT_CHANGED, in 10.11 as in every XNU since
 * (libdispatch handles it, rdar://21885327), not MACH_RCV_PORT_DIED.
 */
#define RCV_PORT_GONE MACH_RCV_PORT_CHANGED

TEST(rcv_blocked_port_destroyed_port_changed)
{
	mach_port_name_t p = new_receive(_metadata);
	struct op o;
	pthread_t t;

	init_op(&o, p, 0, 0, WAIT_MS);
	start_thread(_metadata, &t, recv_thread, &o);
	let_it_block(_metadata, &o);
	EXPECT_EQ(0, atomic_load(&o.done));
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), p));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(RCV_PORT_GONE, o.mr);
}

TEST(rcv_blocked_set_destroyed_port_changed)
{
	mach_port_name_t set = new_port_set(_metadata);
	mach_port_name_t p = new_receive(_metadata);
	struct op o;
	pthread_t t;

	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), p, set));
	init_op(&o, set, 0, 0, WAIT_MS);
	start_thread(_metadata, &t, recv_thread, &o);
	let_it_block(_metadata, &o);
	EXPECT_EQ(0, atomic_load(&o.done));
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), set));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(RCV_PORT_GONE, o.mr);
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(p));
}

/*
 * xnu-4570 ipc_right_dealloc(), case MACH_PORT_TYPE_PORT_SET: the name is
 * freed and ipc_pset_destroy() runs: the members leave the set
 * (ipc_mqueue_remove_all), receivers blocked on it are woken
 * (ipc_mqueue_changed: MACH_RCV_PORT_CHANGED), and the members' messages
 * stay with them. 10.11 refused (KERN_INVALID_RIGHT); machipc accepts what
 * a later XNU accepts (docs/abi.md).
 */
TEST(deallocate_port_set_destroys_it_wakes_receivers_keeps_members)
{
	mach_port_name_t set = new_port_set(_metadata);
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_port_name_t q = new_receive(_metadata);
	mach_port_type_t ty = 0;
	struct op o;
	pthread_t t;
	rbuf_t b;

	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), p, set));
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), q, set));
	init_op(&o, set, 0, 0, WAIT_MS);
	start_thread(_metadata, &t, recv_thread, &o);
	let_it_block(_metadata, &o);
	EXPECT_EQ(0, atomic_load(&o.done));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), set));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(RCV_PORT_GONE, o.mr);
	/* The set's name is free; the members are in no set and keep working. */
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_type(mach_task_self(), set, &ty));
	EXPECT_EQ(KERN_INVALID_NAME, mach_port_deallocate(mach_task_self(), set));
	EXPECT_EQ(MACH_RCV_INVALID_NAME, recv_opt(set, &b, 0, 0));
	EXPECT_EQ(0U, status_of(_metadata, p).mps_pset);
	EXPECT_EQ(0U, status_of(_metadata, q).mps_pset);
	EXPECT_EQ(MACH_PORT_TYPE_SEND_RECEIVE, type_of(p));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(q));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(p, 301));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_opt(p, &b, 0, 0));
	EXPECT_EQ(301, b.h.msgh_id);
}

/* A member's queued messages stay with it when its set is deallocated. */
TEST(deallocate_port_set_members_keep_queued_messages)
{
	mach_port_name_t set = new_port_set(_metadata);
	mach_port_name_t p = new_send_receive(_metadata, 1);
	rbuf_t b;

	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), p, set));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(p, 302));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(p, 303));
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), set));
	EXPECT_EQ(2U, msgcount_of(_metadata, p));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_opt(p, &b, 0, 0));
	EXPECT_EQ(302, b.h.msgh_id);
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_opt(p, &b, 0, 0));
	EXPECT_EQ(303, b.h.msgh_id);
}

TEST(rcv_blocked_receive_right_moved_port_changed)
{
	mach_port_name_t p = new_receive(_metadata);
	mach_port_name_t q = new_receive(_metadata);
	struct builder m;
	struct op o;
	pthread_t t;
	rbuf_t b;

	init_op(&o, p, 0, 0, WAIT_MS);
	start_thread(_metadata, &t, recv_thread, &o);
	let_it_block(_metadata, &o);
	EXPECT_EQ(0, atomic_load(&o.done));
	mb_init(&m, BITS(MACH_MSG_TYPE_MAKE_SEND, 0), q, NULL_NAME, 300);
	mb_port(&m, p, MACH_MSG_TYPE_MOVE_RECEIVE);
	ASSERT_EQ(MACH_MSG_SUCCESS, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(RCV_PORT_GONE, o.mr);
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_opt(q, &b, 0, 0));
	EXPECT_EQ(MACH_PORT_TYPE_RECEIVE, type_of(desc_at(&b.h, 0)->port.name));
}

/*
 * xnu-3248 ipc_mqueue_send: a sender waiting for room is woken with
 * THREAD_RESTART when the queue is destroyed, and returns
 * MACH_SEND_INVALID_DEST; mach_msg_overwrite_trap then pseudo-receives
 * (the message and its rights go back to the sender).
 */
TEST(send_blocked_port_destroyed_invalid_dest)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	uint64_t t0;
	struct op o;
	pthread_t t;

	fill_queue(_metadata, p);
	init_op(&o, p, 5, MACH_SEND_TIMEOUT, WAIT_MS);
	t0 = now_ms();
	start_thread(_metadata, &t, send_thread, &o);
	let_it_block(_metadata, &o);
	EXPECT_EQ(0, atomic_load(&o.done));
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), p));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_GT((uint64_t)WAIT_MS / 2, now_ms() - t0);
	EXPECT_EQ(MACH_SEND_INVALID_DEST, o.mr);
}

TEST(queued_messages_destroyed_with_port)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_port_name_t q = new_receive(_metadata);
	mach_port_name_t r = new_receive(_metadata);
	struct builder m;
	rbuf_t b;

	mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE), p, r, 310);
	mb_port(&m, q, MACH_MSG_TYPE_MAKE_SEND);
	ASSERT_EQ(MACH_MSG_SUCCESS, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(p, 311));
	EXPECT_EQ(1U, status_of(_metadata, q).mps_srights);
	EXPECT_EQ(1U, status_of(_metadata, r).mps_sorights);
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), p));
	EXPECT_EQ(0U, status_of(_metadata, q).mps_srights);
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_opt(r, &b, 0, WAIT_MS));
	EXPECT_EQ(MACH_NOTIFY_SEND_ONCE, b.h.msgh_id);
	EXPECT_EQ(0U, status_of(_metadata, r).mps_sorights);
}

TEST(send_to_dead_port_invalid_dest_nothing_copied)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_port_name_t q = new_receive(_metadata);
	struct builder m;

	/* A send right to a port that died before the send: a dead name, INVALID_DEST. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE,
						   -1));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(p));
	mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, 0), p, NULL_NAME, 312);
	mb_port(&m, q, MACH_MSG_TYPE_MAKE_SEND);
	EXPECT_FAILS_CLEANLY(MACH_SEND_INVALID_DEST, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	EXPECT_EQ(0U, status_of(_metadata, q).mps_srights);
}

/*
 * A send right whose port died while nothing looked at its name: the name
 * is still a send right until a call checks it (XNU's lazy
 * ipc_right_check). The send finds the port dead under the lock of its
 * copyin, converts the name and fails, destination first.
 */
static mach_port_name_t unseen_dead_send_right(struct __test_metadata *_metadata)
{
	mach_port_name_t q = new_send_receive(_metadata, 1), r = new_receive(_metadata);
	struct builder m;

	/* q's receive right leaves in a message to r, destroyed with r. */
	mb_init(&m, BITS(MACH_MSG_TYPE_MAKE_SEND, 0), r, NULL_NAME, 330);
	mb_port(&m, q, MACH_MSG_TYPE_MOVE_RECEIVE);
	EXPECT_EQ(MACH_MSG_SUCCESS, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	EXPECT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), r));
	return q;
}

TEST(send_to_a_port_that_died_unseen_is_invalid_dest_and_leaves_a_dead_name)
{
	mach_port_name_t q = unseen_dead_send_right(_metadata);
	mach_port_name_t s = new_receive(_metadata);

	EXPECT_EQ(MACH_SEND_INVALID_DEST,
		  send_simple(q, MACH_MSG_TYPE_COPY_SEND, s, MACH_MSG_TYPE_MAKE_SEND_ONCE, 331,
			      MACH_SEND_TIMEOUT, 0));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(q));
	EXPECT_EQ(1U, refs_of(q, MACH_PORT_RIGHT_DEAD_NAME));
	/* The reply right was never made. */
	EXPECT_EQ(0U, status_of(_metadata, s).mps_sorights);
}

TEST(move_send_to_a_port_that_died_unseen_is_invalid_dest)
{
	mach_port_name_t q = unseen_dead_send_right(_metadata);

	EXPECT_EQ(MACH_SEND_INVALID_DEST,
		  send_simple(q, MACH_MSG_TYPE_MOVE_SEND, MACH_PORT_NULL, 0, 332, MACH_SEND_TIMEOUT,
			      0));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(q));
	EXPECT_EQ(1U, refs_of(q, MACH_PORT_RIGHT_DEAD_NAME));
}

TEST(send_to_a_port_that_died_unseen_with_a_bad_reply_is_invalid_dest_not_reply)
{
	mach_port_name_t q = unseen_dead_send_right(_metadata);

	EXPECT_EQ(MACH_SEND_INVALID_DEST,
		  send_simple(q, MACH_MSG_TYPE_COPY_SEND, 0x12345603, MACH_MSG_TYPE_MAKE_SEND_ONCE,
			      333, MACH_SEND_TIMEOUT, 0));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(q));
}

/* ====================================================================== */
/* Circular messages. */

TEST(circular_receive_right_sent_to_itself)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	struct builder m;

	mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, 0), p, NULL_NAME, 320);
	mb_port(&m, p, MACH_MSG_TYPE_MOVE_RECEIVE);
	EXPECT_EQ(MACH_MSG_SUCCESS, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	/* The message was destroyed with the receive right in it: the port is dead. */
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(p));
	EXPECT_EQ(1U, refs_of(p, MACH_PORT_RIGHT_DEAD_NAME));
	EXPECT_EQ(MACH_SEND_INVALID_DEST, send_to(p, 321));
}

TEST(circular_receive_right_only_name_sent_to_itself)
{
	mach_port_name_t p = new_receive(_metadata);
	int before = name_count(mach_task_self());
	struct builder m;

	mb_init(&m, BITS(MACH_MSG_TYPE_MAKE_SEND, 0), p, NULL_NAME, 322);
	mb_port(&m, p, MACH_MSG_TYPE_MOVE_RECEIVE);
	EXPECT_EQ(MACH_MSG_SUCCESS, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	EXPECT_EQ(GONE, type_of(p));
	EXPECT_EQ(before - 1, name_count(mach_task_self()));
}

TEST(circular_two_ports_both_die)
{
	mach_port_name_t a = new_send_receive(_metadata, 1);
	mach_port_name_t b = new_send_receive(_metadata, 1);
	struct builder m;

	mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, 0), b, NULL_NAME, 330);
	mb_port(&m, a, MACH_MSG_TYPE_MOVE_RECEIVE);
	ASSERT_EQ(MACH_MSG_SUCCESS, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_of(a)); /* in transit to b */
	mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, 0), a, NULL_NAME, 331);
	mb_port(&m, b, MACH_MSG_TYPE_MOVE_RECEIVE);
	EXPECT_EQ(MACH_MSG_SUCCESS, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(a));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(b));
}

TEST(circular_three_ports_all_die)
{
	mach_port_name_t a = new_send_receive(_metadata, 1);
	mach_port_name_t b = new_send_receive(_metadata, 1);
	mach_port_name_t c = new_send_receive(_metadata, 1);
	struct builder m;

	/* a in b, b in c, then c in a: c's chain reaches c. */
	mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, 0), b, NULL_NAME, 332);
	mb_port(&m, a, MACH_MSG_TYPE_MOVE_RECEIVE);
	ASSERT_EQ(MACH_MSG_SUCCESS, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, 0), c, NULL_NAME, 333);
	mb_port(&m, b, MACH_MSG_TYPE_MOVE_RECEIVE);
	ASSERT_EQ(MACH_MSG_SUCCESS, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_of(a));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, type_of(b));
	mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, 0), a, NULL_NAME, 334);
	mb_port(&m, c, MACH_MSG_TYPE_MOVE_RECEIVE);
	EXPECT_EQ(MACH_MSG_SUCCESS, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(a));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(b));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(c));
}

/* ====================================================================== */
/* Longer runs, with their own timeouts. */

FIXTURE(slow) {};
FIXTURE_SETUP(slow) {}
FIXTURE_TEARDOWN(slow) {}

#define POOL_THREADS 4

struct pool {
	mach_port_name_t port;
	int nmsgs;
	atomic_int *seen;
	atomic_int dups, bad, errors;
};

struct pool_sender {
	struct pool *pool;
	int first, count;
};

static void *pool_receive(void *arg)
{
	struct pool *pl = arg;
	rbuf_t b;

	for (;;) {
		mach_msg_return_t mr = recv_opt(pl->port, &b, 0, 4 * WAIT_MS);
		int id;

		if (mr != MACH_MSG_SUCCESS) {
			if (atomic_fetch_add(&pl->errors, 1) < 5)
				fprintf(stderr, "# receive: 0x%x\n", mr);
			return NULL;
		}
		id = b.h.msgh_id;
		if (id == -1)
			return NULL; /* one stop message per receiver */
		if (id < 0 || id >= pl->nmsgs || b.s.val != ((uint32_t)id ^ 0x5a5a0000U))
			atomic_fetch_add(&pl->bad, 1);
		else if (atomic_fetch_add(&pl->seen[id], 1))
			atomic_fetch_add(&pl->dups, 1);
	}
}

static void *pool_send(void *arg)
{
	struct pool_sender *s = arg;
	int i;

	for (i = 0; i < s->count; i++) {
		mach_msg_return_t mr = send_simple(s->pool->port, MACH_MSG_TYPE_COPY_SEND,
						   MACH_PORT_NULL, 0, s->first + i,
						   MACH_SEND_TIMEOUT, 4 * WAIT_MS);

		if (mr != MACH_MSG_SUCCESS && atomic_fetch_add(&s->pool->errors, 1) < 5)
			fprintf(stderr, "# send: 0x%x\n", mr);
	}
	return NULL;
}

/* n messages through one port from `senders` threads (0: this one) to 4 receivers. */
static void pool_run(struct __test_metadata *_metadata, int n, int senders)
{
	struct pool pl = { .nmsgs = n };
	struct pool_sender ps[POOL_THREADS];
	pthread_t rt[POOL_THREADS], st[POOL_THREADS];
	int i, missing = 0;

	pl.port = new_send_receive(_metadata, 1);
	pl.seen = calloc((size_t)n, sizeof(*pl.seen));
	ASSERT_NE(NULL, pl.seen);
	for (i = 0; i < POOL_THREADS; i++)
		ASSERT_EQ(0, pthread_create(&rt[i], NULL, pool_receive, &pl));
	if (senders == 0) {
		ps[0] = (struct pool_sender){ .pool = &pl, .first = 0, .count = n };
		pool_send(&ps[0]);
	} else {
		for (i = 0; i < senders; i++) {
			ps[i] = (struct pool_sender){ .pool = &pl, .first = i * (n / senders),
						      .count = n / senders };
			ASSERT_EQ(0, pthread_create(&st[i], NULL, pool_send, &ps[i]));
		}
		for (i = 0; i < senders; i++)
			ASSERT_EQ(0, pthread_join(st[i], NULL));
	}
	for (i = 0; i < POOL_THREADS; i++)
		EXPECT_EQ(MACH_MSG_SUCCESS, send_simple(pl.port, MACH_MSG_TYPE_COPY_SEND,
							 MACH_PORT_NULL, 0, -1, MACH_SEND_TIMEOUT,
							 4 * WAIT_MS));
	for (i = 0; i < POOL_THREADS; i++)
		ASSERT_EQ(0, pthread_join(rt[i], NULL));
	for (i = 0; i < n; i++)
		missing += atomic_load(&pl.seen[i]) == 0;
	EXPECT_EQ(0, missing);
	EXPECT_EQ(0, atomic_load(&pl.dups));
	EXPECT_EQ(0, atomic_load(&pl.bad));
	EXPECT_EQ(0, atomic_load(&pl.errors));
	EXPECT_EQ(0U, msgcount_of(_metadata, pl.port));
	free(pl.seen);
}

TEST_F_TIMEOUT(slow, four_receivers_each_message_once, 120)
{
	pool_run(_metadata, 400, 0);
}

TEST_F_TIMEOUT(slow, four_senders_four_receivers_2000_messages, 300)
{
	pool_run(_metadata, 2000, POOL_THREADS);
}

#define CHAIN 10000

TEST_F_TIMEOUT(slow, circular_chain_10000_deep, 600)
{
	mach_port_name_t *p = calloc(CHAIN, sizeof(*p));
	int before = name_count(mach_task_self());
	mach_port_name_t last;
	struct builder m;
	rbuf_t b;
	int i;

	ASSERT_NE(NULL, p);
	for (i = 0; i < CHAIN; i++)
		p[i] = new_receive(_metadata);
	/* 0 in 1, 1 in 2, ..., 9998 in 9999. */
	for (i = 0; i + 1 < CHAIN; i++) {
		mb_init(&m, BITS(MACH_MSG_TYPE_MAKE_SEND, 0), p[i + 1], NULL_NAME, i);
		mb_port(&m, p[i], MACH_MSG_TYPE_MOVE_RECEIVE);
		ASSERT_EQ(MACH_MSG_SUCCESS, mb_send(&m, MACH_SEND_TIMEOUT, 0)) TH_LOG("link %d", i);
	}
	EXPECT_EQ(before + 1, name_count(mach_task_self()));
	EXPECT_EQ(GONE, type_of(p[0]));
	EXPECT_EQ(1U, msgcount_of(_metadata, p[CHAIN - 1]));
	/* Destroying the head destroys the whole chain. */
	ASSERT_EQ(KERN_SUCCESS, mach_port_destroy(mach_task_self(), p[CHAIN - 1]));
	EXPECT_EQ(before, name_count(mach_task_self()));
	/* Still working. */
	last = new_send_receive(_metadata, 1);
	ASSERT_EQ(MACH_MSG_SUCCESS, send_to(last, 5));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(last, &b));
	EXPECT_EQ(5, b.h.msgh_id);
	free(p);
}

TEST_F_TIMEOUT(slow, circular_chain_closed_10000_deep, 600)
{
	mach_port_name_t *p = calloc(CHAIN, sizeof(*p));
	int before = name_count(mach_task_self());
	struct builder m;
	int i;

	ASSERT_NE(NULL, p);
	for (i = 0; i < CHAIN; i++)
		p[i] = new_receive(_metadata);
	ASSERT_EQ(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), p[0], p[0],
						       MACH_MSG_TYPE_MAKE_SEND));
	for (i = 0; i + 1 < CHAIN; i++) {
		mb_init(&m, BITS(MACH_MSG_TYPE_MAKE_SEND, 0), p[i + 1], NULL_NAME, i);
		mb_port(&m, p[i], MACH_MSG_TYPE_MOVE_RECEIVE);
		ASSERT_EQ(MACH_MSG_SUCCESS, mb_send(&m, MACH_SEND_TIMEOUT, 0)) TH_LOG("link %d", i);
	}
	/* The last one into the first: circular through 10000 ports. */
	mb_init(&m, BITS(MACH_MSG_TYPE_COPY_SEND, 0), p[0], NULL_NAME, CHAIN);
	mb_port(&m, p[CHAIN - 1], MACH_MSG_TYPE_MOVE_RECEIVE);
	EXPECT_EQ(MACH_MSG_SUCCESS, mb_send(&m, MACH_SEND_TIMEOUT, 0));
	EXPECT_EQ(MACH_PORT_TYPE_DEAD_NAME, type_of(p[0]));
	EXPECT_EQ(before + 1, name_count(mach_task_self()));
	free(p);
}

/*
 * When the ioctl itself fails (no usable /dev/mach: here the library's
 * descriptor is replaced by /dev/null, whose ioctl is ENOTTY), mach_msg
 * answers KERN_FAILURE -- nothing was sent -- not a code blaming the
 * caller's names such as MACH_SEND_INVALID_DEST.
 */
TEST(mach_msg_without_usable_device_is_kern_failure)
{
	struct kid k;
	int status;

	ASSERT_LE(0, kid_fork(&k));
	if (k.pid == 0) {
		mach_msg_header_t h = { 0 };
		int null = open("/dev/null", O_RDWR);

		CHILD_TRUE(null >= 0);
		CHILD_TRUE(dup2(null, machipc_fd()) == machipc_fd());
		h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
		h.msgh_size = sizeof(h);
		h.msgh_remote_port = mach_task_self();
		CHILD_EQ(KERN_FAILURE, mach_msg(&h, MACH_SEND_MSG, sizeof(h), 0, MACH_PORT_NULL,
						MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL));
		CHILD_EQ(KERN_FAILURE, mach_msg(&h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(h),
						MACH_PORT_NULL, 0, MACH_PORT_NULL));
		_exit(0);
	}
	status = reap(&k);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* ====================================================================== */
/* The message cache: a space reuses the structures of small messages it
 * received for its next sends (XNU's preallocated kmsgs). Seen through the
 * module's statistics (debugfs, root): skipped without them. */

/* A message of `size` bytes (header and body) to `dest`, its body `fill`. */
static mach_msg_return_t send_filled(mach_port_name_t dest, mach_msg_size_t size, uint8_t fill)
{
	union {
		mach_msg_header_t h;
		uint8_t bytes[2048];
	} m;

	memset(&m, fill, sizeof(m));
	set_header(&m.h, BITS(MACH_MSG_TYPE_COPY_SEND, 0), size, dest, NULL_NAME, 11);
	return mach_msg(&m.h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, size, 0, MACH_PORT_NULL, 0,
			MACH_PORT_NULL);
}

#define SKIP_WITHOUT_STATS()                                                    \
	do {                                                                    \
		if (machipc_stat("kmsg_cache_hits_total") < 0)                  \
			SKIP(return, "no module statistics (debugfs, root)");   \
	} while (0)

TEST(small_messages_reuse_the_structures_their_space_received)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	long long hits, kmsgs, budget, bytes;
	rbuf_t b;
	int i;

	SKIP_WITHOUT_STATS();
	/* The first one fills the cache. */
	ASSERT_EQ(MACH_MSG_SUCCESS, send_filled(p, 64, 0x11));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	hits = machipc_stat("kmsg_cache_hits_total");
	kmsgs = machipc_stat("kmsgs");
	budget = machipc_stat("budget_kmsgs");
	bytes = machipc_stat("budget_bytes");
	for (i = 0; i < 20; i++) {
		ASSERT_EQ(MACH_MSG_SUCCESS, send_filled(p, 64, (uint8_t)i));
		ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
		EXPECT_EQ(64U, b.h.msgh_size);
		EXPECT_EQ(11, b.h.msgh_id);
		EXPECT_EQ((uint8_t)i, b.bytes[63]);
	}
	/* Each send took its structure from the cache; a cached structure is
	 * no message and carries no charge. */
	EXPECT_LE(hits + 20, machipc_stat("kmsg_cache_hits_total"));
	EXPECT_EQ(kmsgs, machipc_stat("kmsgs"));
	EXPECT_EQ(budget, machipc_stat("budget_kmsgs"));
	EXPECT_EQ(bytes, machipc_stat("budget_bytes"));
}

TEST(cached_message_structures_are_counted_and_charged_as_messages)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	long long kmsgs, budget;
	rbuf_t b;
	int i;

	SKIP_WITHOUT_STATS();
	ASSERT_EQ(KERN_SUCCESS, set_qlimit(p, 8));
	for (i = 0; i < 8; i++)
		ASSERT_EQ(MACH_MSG_SUCCESS, send_filled(p, 24, 0));
	for (i = 0; i < 8; i++)
		ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	/* The cache is full now: queued messages taken from it count and are
	 * charged again, one by one. */
	kmsgs = machipc_stat("kmsgs");
	budget = machipc_stat("budget_kmsgs");
	for (i = 0; i < 5; i++)
		ASSERT_EQ(MACH_MSG_SUCCESS, send_filled(p, 24, 0));
	EXPECT_EQ(kmsgs + 5, machipc_stat("kmsgs"));
	EXPECT_EQ(budget + 5, machipc_stat("budget_kmsgs"));
	for (i = 0; i < 5; i++)
		ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	EXPECT_EQ(kmsgs, machipc_stat("kmsgs"));
	EXPECT_EQ(budget, machipc_stat("budget_kmsgs"));
}

TEST(message_too_large_for_inline_bytes_is_not_cached)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	long long hits;
	rbuf_t b;
	int i;

	SKIP_WITHOUT_STATS();
	/* 184 bytes and the 68 of trailer room do not fit the 248 inline. */
	ASSERT_EQ(MACH_MSG_SUCCESS, send_filled(p, 184, 0x22));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	hits = machipc_stat("kmsg_cache_hits_total");
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(MACH_MSG_SUCCESS, send_filled(p, 1024, 0x33));
		ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
		EXPECT_EQ(1024U, b.h.msgh_size);
		EXPECT_EQ(0x33, b.bytes[1023]);
	}
	EXPECT_EQ(hits, machipc_stat("kmsg_cache_hits_total"));
	/* 180 bytes fit. */
	ASSERT_EQ(MACH_MSG_SUCCESS, send_filled(p, 180, 0x44));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_filled(p, 180, 0x55));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	EXPECT_LE(hits + 1, machipc_stat("kmsg_cache_hits_total"));
	EXPECT_EQ(0x55, b.bytes[179]);
}

TEST(reused_message_structure_shows_nothing_of_the_previous_message)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_msg_max_trailer_t *t;
	uint8_t *after;
	rbuf_t b;
	size_t i;

	SKIP_WITHOUT_STATS();
	/* A full 180-byte message of 0xee, then a bare header in the same
	 * structure, received with the largest trailer. */
	ASSERT_EQ(MACH_MSG_SUCCESS, send_filled(p, 180, 0xee));
	ASSERT_EQ(MACH_MSG_SUCCESS, recv_msg(p, &b));
	ASSERT_EQ(MACH_MSG_SUCCESS, send_filled(p, 24, 0xee));
	ASSERT_EQ(MACH_MSG_SUCCESS,
		  recv_opt(p, &b, MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
			   MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_CTX), WAIT_MS));
	EXPECT_EQ(24U, b.h.msgh_size);
	t = trailer_of(&b.h);
	EXPECT_EQ(sizeof(mach_msg_context_trailer_t), t->msgh_trailer_size);
	EXPECT_EQ((uint32_t)geteuid(), t->msgh_sender.val[0]);
	/* Nothing past the trailer was written. */
	after = (uint8_t *)t + t->msgh_trailer_size;
	for (i = 0; i < 160; i++)
		if (after[i] != 0)
			break;
	EXPECT_EQ(160U, i);
}

/*
 * The mach_msg ioctl only reads its argument struct (uapi: _IOW) and
 * answers the mach_msg_return_t as its value. `prot` is the protection of
 * the page after the one the struct starts in (it straddles the two);
 * `kr` what the ioctl returns, or -1 for EFAULT, with nothing sent.
 */
static void msg_struct_straddling(struct __test_metadata *_metadata, int prot, int kr)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_msg_header_t h = {
		.msgh_bits = BITS(MACH_MSG_TYPE_COPY_SEND, 0),
		.msgh_size = sizeof(h),
		.msgh_remote_port = p,
	};
	struct machipc_msg m = {
		.send_buf = (uint64_t)(uintptr_t)&h,
		.option = MACH_SEND_MSG | MACH_SEND_TIMEOUT,
		.send_size = sizeof(h),
	};
	char *pages = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			   -1, 0);
	char *at;

	ASSERT_NE(MAP_FAILED, pages);
	at = pages + 4096 - sizeof(m) / 2;
	memcpy(at, &m, sizeof(m));
	ASSERT_EQ(0, mprotect(pages + 4096, 4096, prot));
	if (prot != PROT_NONE)
		ASSERT_EQ(0, mprotect(pages, 4096, prot));
	errno = 0;
	EXPECT_EQ(kr, ioctl(machipc_fd(), MACHIPC_IOC_MSG, at));
	EXPECT_EQ(kr < 0 ? EFAULT : 0, errno);
	EXPECT_EQ(kr < 0 ? 0U : 1U, msgcount_of(_metadata, p));
	if (prot != PROT_NONE)
		EXPECT_EQ(0, memcmp(at, &m, sizeof(m)));
	munmap(pages, 2 * 4096);
	mach_port_destroy(mach_task_self(), p);
}

TEST(msg_ioctl_struct_in_read_only_memory_is_read_and_the_message_sent)
{
	msg_struct_straddling(_metadata, PROT_READ, MACH_MSG_SUCCESS);
}

TEST(msg_ioctl_struct_running_into_an_unmapped_page_is_efault_and_sends_nothing)
{
	msg_struct_straddling(_metadata, PROT_NONE, -1);
}

/* The ioctl's value is the call's mach_msg_return_t, failures included,
 * and the struct is left as it was. */
TEST(msg_ioctl_value_is_the_mach_msg_return)
{
	mach_port_name_t p = new_send_receive(_metadata, 1);
	mach_msg_header_t h = {
		.msgh_bits = BITS(MACH_MSG_TYPE_COPY_SEND, 0),
		.msgh_size = sizeof(h),
		.msgh_remote_port = p,
	};
	struct {
		mach_msg_header_t h;
		mach_msg_max_trailer_t t;
	} r;
	struct machipc_msg m = {
		.send_buf = (uint64_t)(uintptr_t)&h,
		.rcv_buf = (uint64_t)(uintptr_t)&r,
		.option = MACH_RCV_MSG | MACH_RCV_TIMEOUT,
		.send_size = sizeof(h),
		.rcv_size = sizeof(r),
		.rcv_name = p,
	};
	struct machipc_msg before = m;

	EXPECT_EQ(MACH_RCV_TIMED_OUT, ioctl(machipc_fd(), MACHIPC_IOC_MSG, &m));
	EXPECT_EQ(0, memcmp(&m, &before, sizeof(m)));
	m.option = MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT;
	EXPECT_EQ(MACH_MSG_SUCCESS, ioctl(machipc_fd(), MACHIPC_IOC_MSG, &m));
	EXPECT_EQ(p, r.h.msgh_local_port);
	m.rcv_name = UNKNOWN_NAME;
	EXPECT_EQ(MACH_RCV_INVALID_NAME, ioctl(machipc_fd(), MACHIPC_IOC_MSG, &m));
	EXPECT_EQ(1U, msgcount_of(_metadata, p));
	h.msgh_remote_port = UNKNOWN_NAME;
	m.option = MACH_SEND_MSG | MACH_SEND_TIMEOUT;
	EXPECT_EQ(MACH_SEND_INVALID_DEST, ioctl(machipc_fd(), MACHIPC_IOC_MSG, &m));
	mach_port_destroy(mach_task_self(), p);
}

TEST_HARNESS_MAIN
