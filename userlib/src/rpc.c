// SPDX-License-Identifier: MIT
/*
 * MIG calls to kernel objects (task, thread, host, processor, processor
 * set, clock ports), sent and checked as Apple's MIG user stubs do.
 *
 * Each call is one mach_msg (MACH_SEND_MSG | MACH_RCV_MSG, no timeout) on
 * the thread's reply port. As in the stubs, a send that failed before the
 * message left (MACH_SEND_INVALID_DATA, _DEST, _HEADER) keeps the reply
 * port; any other failure destroys it (a late reply must not be taken for
 * the next call's) and the next call makes a new one. A reply that fails
 * the checks is destroyed, so the rights it carries are not leaked.
 */
#include <pthread.h>
#include <stdint.h>

#include "internal.h"

static __thread mach_port_t reply_port = MACH_PORT_NULL;
static pthread_key_t reply_key;
static pthread_once_t reply_key_once = PTHREAD_ONCE_INIT;
static int reply_key_ok;

/* At thread exit: the thread's reply port goes with it. */
static void reply_port_exit(void *value)
{
	mach_port_t port = (mach_port_t)(uintptr_t)value;

	if (port != MACH_PORT_NULL && port == reply_port) {
		reply_port = MACH_PORT_NULL;
		(void)mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1);
	}
}

static void make_reply_key(void)
{
	reply_key_ok = pthread_key_create(&reply_key, reply_port_exit) == 0;
}

mach_port_t machipc_rpc_reply_port(void)
{
	if (reply_port == MACH_PORT_NULL) {
		pthread_once(&reply_key_once, make_reply_key);
		reply_port = mach_reply_port();
		if (reply_key_ok)
			pthread_setspecific(reply_key, (void *)(uintptr_t)reply_port);
	}
	return reply_port;
}

/* Destroys the thread's reply port after a failed call. */
static void reply_port_dealloc(mach_port_t port)
{
	if (port == MACH_PORT_NULL || port != reply_port)
		return;
	reply_port = MACH_PORT_NULL;
	if (reply_key_ok)
		pthread_setspecific(reply_key, NULL);
	(void)mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1);
}

void machipc_rpc_reset(void)
{
	reply_port = MACH_PORT_NULL;
	if (reply_key_ok)
		pthread_setspecific(reply_key, NULL);
}

kern_return_t machipc_rpc_bad_reply(mach_msg_header_t *msg)
{
	mach_msg_destroy(msg);
	return MIG_TYPE_ERROR;
}

boolean_t machipc_port_desc_ok(const mach_msg_port_descriptor_t *d)
{
	return d->type == MACH_MSG_PORT_DESCRIPTOR && d->disposition == MACHIPC_REPLY_DISPOSITION;
}

boolean_t machipc_ool_ports_desc_ok(const mach_msg_ool_ports_descriptor_t *d)
{
	return d->type == MACH_MSG_OOL_PORTS_DESCRIPTOR &&
	       d->disposition == MACHIPC_REPLY_DISPOSITION;
}

void machipc_set_port_desc(mach_msg_port_descriptor_t *d, mach_port_t name,
			   mach_msg_type_name_t disposition)
{
	d->name = name;
	d->pad1 = 0;
	d->pad2 = 0;
	d->disposition = disposition;
	d->type = MACH_MSG_PORT_DESCRIPTOR;
}

kern_return_t machipc_rpc(mach_msg_header_t *msg, boolean_t complex, mach_port_t dest,
			  mach_msg_type_name_t dest_disp, mach_msg_id_t id,
			  mach_msg_size_t send_size, const struct machipc_reply_shape *shape)
{
	mig_reply_error_t *err = (mig_reply_error_t *)msg;
	mach_port_t reply = machipc_rpc_reply_port();
	mach_msg_return_t mr;
	mach_msg_size_t size;
	boolean_t simple, error_reply, bad;

	msg->msgh_bits = MACH_MSGH_BITS(dest_disp, MACH_MSG_TYPE_MAKE_SEND_ONCE) |
			 (complex ? MACH_MSGH_BITS_COMPLEX : 0);
	msg->msgh_size = send_size;
	msg->msgh_remote_port = dest;
	msg->msgh_local_port = reply;
	msg->msgh_voucher_port = MACH_PORT_NULL;
	msg->msgh_id = id;
	mr = mach_msg(msg, MACH_SEND_MSG | MACH_RCV_MSG | MACH_MSG_OPTION_NONE, send_size,
		      shape->max + (mach_msg_size_t)sizeof(mach_msg_trailer_t), reply,
		      MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS) {
		switch (mr) {
		case MACH_SEND_INVALID_DATA:
		case MACH_SEND_INVALID_DEST:
		case MACH_SEND_INVALID_HEADER:
			break;          /* nothing was sent: the reply port stays */
		default:
			reply_port_dealloc(reply);
		}
		return mr;
	}

	if (msg->msgh_id != id + 100) {
		mach_msg_destroy(msg);
		return msg->msgh_id == MACH_NOTIFY_SEND_ONCE ? MIG_SERVER_DIED : MIG_REPLY_MISMATCH;
	}
	simple = !(msg->msgh_bits & MACH_MSGH_BITS_COMPLEX);
	size = msg->msgh_size;
	/* A mig_reply_error_t carrying an error is a valid answer to any call. */
	error_reply = simple && size == MACHIPC_ERROR_REPLY_SIZE && err->RetCode != KERN_SUCCESS;
	if (shape->ndesc == 0) {
		bad = !simple || ((size < shape->min || size > shape->max) && !error_reply);
	} else {
		const mach_msg_body_t *body = (const mach_msg_body_t *)(msg + 1);

		bad = (simple || body->msgh_descriptor_count != shape->ndesc ||
		       size < shape->min || size > shape->max) &&
		      !error_reply;
	}
	if (bad)
		return machipc_rpc_bad_reply(msg);
	if (simple && err->RetCode != KERN_SUCCESS) {
		kern_return_t kr = err->RetCode;

		mach_msg_destroy(msg);
		return kr;
	}
	return KERN_SUCCESS;
}
