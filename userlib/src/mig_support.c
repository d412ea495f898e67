// SPDX-License-Identifier: MIT
/*
 * The MIG runtime: what generated stubs call.
 *
 * - Reply ports: one per thread, made by the first RPC of the thread and
 *   reused by the next ones (as libsyscall keeps it in a TSD slot).
 *   mig_dealloc_reply_port destroys it after a failed or timed-out RPC
 *   (a late reply could otherwise be taken for the next call's);
 *   mig_put_reply_port is the "not used after all" path and keeps it.
 * - mig_strncpy / mig_strncpy_zerofill, mig_allocate / mig_deallocate.
 * - mig_reply_setup, mach_msg_server_once and mach_msg_server, with the
 *   option handling documented for libsyscall (see below).
 *
 * mach_reply_port itself is the trap in traps.c.
 */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

#include <mach/mig.h>
#include <mach/mig_errors.h>
#include <mach/notify.h>

static __thread mach_port_t mig_reply_port_tls = MACH_PORT_NULL;

mach_port_t mig_get_reply_port(void)
{
	mach_port_t port = mig_reply_port_tls;

	if (port == MACH_PORT_NULL) {
		port = mach_reply_port();
		mig_reply_port_tls = port;
	}
	return port;
}

void mig_dealloc_reply_port(mach_port_t reply_port)
{
	mach_port_t port = mig_reply_port_tls;

	/* Only the thread's own reply port is ours to destroy. */
	if (port == MACH_PORT_NULL || (reply_port != MACH_PORT_NULL && reply_port != port))
		return;
	mig_reply_port_tls = MACH_PORT_NULL;
	(void)mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1);
}

void mig_put_reply_port(mach_port_t reply_port)
{
	(void)reply_port;
}

/* A forked child is a new task: the parent's reply port name means nothing. */
void machipc_mig_reset(void)
{
	mig_reply_port_tls = MACH_PORT_NULL;
}

int mig_strncpy(char *dest, const char *src, int len)
{
	int i;

	if (len <= 0)
		return 0;
	for (i = 1; i < len; i++) {
		if (!(*dest++ = *src++))
			return i;
	}
	*dest = '\0';
	return i;
}

int mig_strncpy_zerofill(char *dest, const char *src, int len)
{
	int n = mig_strncpy(dest, src, len);

	if (n < len)
		memset(dest + n, 0, (size_t)(len - n));
	return n;
}

void mig_allocate(vm_address_t *addr, vm_size_t size)
{
	if (vm_allocate(mach_task_self(), addr, size, VM_FLAGS_ANYWHERE) != KERN_SUCCESS)
		*addr = 0;
}

void mig_deallocate(vm_address_t addr, vm_size_t size)
{
	(void)vm_deallocate(mach_task_self(), addr, size);
}

void mig_reply_setup(mach_msg_header_t *request, mach_msg_header_t *reply)
{
	mig_reply_error_t *r = (mig_reply_error_t *)reply;

	reply->msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(request->msgh_bits), 0);
	reply->msgh_size = (mach_msg_size_t)sizeof(mig_reply_error_t);
	reply->msgh_remote_port = request->msgh_remote_port;
	reply->msgh_local_port = MACH_PORT_NULL;
	reply->msgh_voucher_port = MACH_PORT_NULL;
	reply->msgh_id = request->msgh_id + 100;
	r->NDR = NDR_record;
	r->RetCode = MIG_BAD_ID;
}

static mach_msg_size_t page_round(mach_msg_size_t size)
{
	mach_msg_size_t page = (mach_msg_size_t)sysconf(_SC_PAGESIZE);

	return (size + page - 1) & ~(page - 1);
}

static void *buf_alloc(mach_msg_size_t size)
{
	vm_address_t a = 0;

	if (vm_allocate(mach_task_self(), &a, size, VM_FLAGS_ANYWHERE) != KERN_SUCCESS)
		return NULL;
	return (void *)a;
}

static void buf_free(void *p, mach_msg_size_t size)
{
	if (p)
		(void)vm_deallocate(mach_task_self(), (vm_address_t)p, size);
}

/*
 * After the demux routine: a simple reply with MIG_NO_REPLY is not sent;
 * a simple reply with an error means the routine took nothing, so a complex
 * request is destroyed (its reply right is kept, the error reply uses it).
 * A reply whose destination is gone or full is destroyed, and that is not
 * an error of the server. Returns the send's result, MACH_MSG_SUCCESS if
 * nothing was sent.
 */
static mach_msg_return_t finish(mig_reply_error_t *req, mig_reply_error_t *rep,
				mach_msg_options_t options)
{
	mach_msg_return_t mr;

	if (!(rep->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
		if (rep->RetCode == MIG_NO_REPLY) {
			rep->Head.msgh_remote_port = MACH_PORT_NULL;
		} else if (rep->RetCode != KERN_SUCCESS &&
			   (req->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
			req->Head.msgh_remote_port = MACH_PORT_NULL;
			mach_msg_destroy(&req->Head);
		}
	}
	if (rep->Head.msgh_remote_port != MACH_PORT_NULL) {
		/* A send-once right never blocks; a send right might: time out. */
		mach_msg_option_t o = MACH_SEND_MSG | options;

		if (MACH_MSGH_BITS_REMOTE(rep->Head.msgh_bits) != MACH_MSG_TYPE_MOVE_SEND_ONCE)
			o |= MACH_SEND_TIMEOUT;
		mr = mach_msg(&rep->Head, o, rep->Head.msgh_size, 0, MACH_PORT_NULL,
			      MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		if (mr != MACH_SEND_INVALID_DEST && mr != MACH_SEND_TIMED_OUT)
			return mr;
		/* The reply could not be delivered: the rights it carries go. */
	}
	if (rep->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)
		mach_msg_destroy(&rep->Head);
	return MACH_MSG_SUCCESS;
}

/*
 * Receives one request on rcv_name into a buffer of max_size plus the
 * trailer the options ask for (with MACH_RCV_LARGE, a larger request makes
 * the buffer grow and the receive is retried), calls demux, and sends the
 * reply with the request's reply right.
 */
static mach_msg_return_t serve_one(boolean_t (*demux)(mach_msg_header_t *, mach_msg_header_t *),
				   mach_msg_size_t max_size, mach_port_t rcv_name,
				   mach_msg_options_t options, mig_reply_error_t *rep)
{
	mach_msg_size_t trailer = REQUESTED_TRAILER_SIZE(options);
	mach_msg_size_t alloc, size;
	mig_reply_error_t *req;
	mach_msg_return_t mr;

	if (max_size > MACH_MSG_SIZE_MAX - trailer - 4096)
		return KERN_INVALID_ARGUMENT;
	alloc = page_round(max_size + trailer);
	size = (options & MACH_RCV_LARGE) ? alloc : max_size + trailer;
	for (;;) {
		req = buf_alloc(alloc);
		if (!req)
			return KERN_RESOURCE_SHORTAGE;
		mr = mach_msg(&req->Head, MACH_RCV_MSG | options, 0, size, rcv_name,
			      MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		if (!(mr == MACH_RCV_TOO_LARGE && (options & MACH_RCV_LARGE)))
			break;
		/* The request is still queued: its size is in the header. */
		if (req->Head.msgh_size > MACH_MSG_SIZE_MAX - trailer - 4096) {
			buf_free(req, alloc);
			return MACH_RCV_TOO_LARGE;
		}
		size = page_round(req->Head.msgh_size + trailer);
		buf_free(req, alloc);
		alloc = size;
	}
	if (mr == MACH_MSG_SUCCESS) {
		(void)(*demux)(&req->Head, &rep->Head);
		mr = finish(req, rep, options);
	}
	buf_free(req, alloc);
	return mr;
}

static mach_msg_options_t server_options(mach_msg_options_t options)
{
	return options & ~(MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_VOUCHER);
}

/*
 * The reply buffer of a server loop: room for max_size (at least a
 * mig_reply_error_t) and a trailer, page-rounded. NULL with *mr set if the
 * size is absurd or there is no memory.
 */
static mig_reply_error_t *server_buffer(mach_msg_size_t *max_size, mach_msg_size_t *alloc,
					mach_msg_return_t *mr)
{
	mig_reply_error_t *rep;

	if (*max_size < sizeof(mig_reply_error_t))
		*max_size = sizeof(mig_reply_error_t);
	if (*max_size > MACH_MSG_SIZE_MAX - MAX_TRAILER_SIZE - 4096) {
		*mr = KERN_INVALID_ARGUMENT;
		return NULL;
	}
	*alloc = page_round(*max_size + MAX_TRAILER_SIZE);
	rep = buf_alloc(*alloc);
	if (!rep)
		*mr = KERN_RESOURCE_SHORTAGE;
	return rep;
}

mach_msg_return_t mach_msg_server_once(boolean_t (*demux)(mach_msg_header_t *, mach_msg_header_t *),
				       mach_msg_size_t max_size, mach_port_t rcv_name,
				       mach_msg_options_t options)
{
	mach_msg_size_t rep_alloc = 0;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;
	mig_reply_error_t *rep = server_buffer(&max_size, &rep_alloc, &mr);

	if (!rep)
		return mr;
	mr = serve_one(demux, max_size, rcv_name, server_options(options), rep);
	buf_free(rep, rep_alloc);
	return mr;
}

mach_msg_return_t mach_msg_server(boolean_t (*demux)(mach_msg_header_t *, mach_msg_header_t *),
				  mach_msg_size_t max_size, mach_port_t rcv_name,
				  mach_msg_options_t options)
{
	mach_msg_size_t rep_alloc = 0;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;
	mig_reply_error_t *rep = server_buffer(&max_size, &rep_alloc, &mr);

	if (!rep)
		return mr;
	options = server_options(options);
	/* Serves until a receive fails (or a reply cannot be sent). */
	do {
		memset(rep, 0, sizeof(*rep));
		mr = serve_one(demux, max_size, rcv_name, options, rep);
	} while (mr == MACH_MSG_SUCCESS);
	buf_free(rep, rep_alloc);
	return mr;
}
