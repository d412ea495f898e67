/* SPDX-License-Identifier: MIT */
/* libmach internals: the ioctl calls behind the Mach API. */
#ifndef _LIBMACH_INTERNAL_H
#define _LIBMACH_INTERNAL_H

#include <stdint.h>

#include <mach/mach.h>
#include <machipc/machipc.h>
#include "machipc.h"

/* A MIG request with no arguments: the header alone (host, task, thread
 * and clock calls). */
typedef struct {
	mach_msg_header_t Head;
} empty_req_t;

/* Runs one MACHIPC_IOC_PORT_OP; the Mach result, or the errno mapped. */
kern_return_t machipc_port_op(struct machipc_port_op *o);

/* Shorthand: op on (task, name, arg, v0, v1); results in *o if not NULL. */
kern_return_t machipc_op(uint32_t op, mach_port_name_t task, mach_port_name_t name,
			 uint32_t arg, uint64_t v0, uint64_t v1, struct machipc_port_op *o);

/* Runs an ioctl on the process's descriptor; 0 or the errno. */
int machipc_ioctl(unsigned long cmd, void *arg);

/* The same, for an ioctl whose value is its answer (MACHIPC_IOC_MSG): the
 * value (>= 0), or minus the errno. */
int machipc_ioctl_value(unsigned long cmd, const void *arg);

/* (Re)initialises mach_task_self_, bootstrap_port (after open or fork). */
void machipc_init_self(void);

/* Forgets the thread's MIG reply port (a forked child's is the parent's). */
void machipc_mig_reset(void);

/* ---- MIG calls to kernel objects (rpc.c) -------------------------------- */

/*
 * The calling thread's reply port for the calls below: made on first use
 * (mach_reply_port), reused, destroyed when the thread exits.
 */
mach_port_t machipc_rpc_reply_port(void);

/* Forgets the thread's reply port (a forked child's is the parent's name). */
void machipc_rpc_reset(void);

/* What a well-formed reply looks like, as MIG's user stubs check it. */
struct machipc_reply_shape {
	mach_msg_size_t min;    /* smallest size of a successful reply */
	mach_msg_size_t max;    /* largest (the reply struct without trailer) */
	mach_msg_size_t ndesc;  /* descriptors of a complex reply; 0: simple */
};

/*
 * One MIG routine call, as a MIG user stub makes it: `msg` holds the
 * request (its body filled in; `complex` if it carries descriptors) and
 * has room for the reply plus a trailer (shape->max + 8 bytes). The header
 * is filled in here: `dest` with disposition `dest_disp`, the thread's
 * reply port as a MAKE_SEND_ONCE reply, id `id`. Then it checks the reply
 * as MIG does: id + 100 (MIG_SERVER_DIED for a send-once notification,
 * MIG_REPLY_MISMATCH otherwise), complexity, descriptor count and size
 * (MIG_TYPE_ERROR), and a simple reply's RetCode.
 *
 * KERN_SUCCESS: the reply is in `msg` for the caller to take apart (its
 * own checks failing go through machipc_rpc_bad_reply). Otherwise the
 * mach_msg error, the server's RetCode or a MIG_* error, and any reply has
 * been destroyed.
 */
kern_return_t machipc_rpc(mach_msg_header_t *msg, boolean_t complex, mach_port_t dest,
			  mach_msg_type_name_t dest_disp, mach_msg_id_t id,
			  mach_msg_size_t send_size, const struct machipc_reply_shape *shape);

/* A reply that failed the caller's checks: destroys it, MIG_TYPE_ERROR. */
kern_return_t machipc_rpc_bad_reply(mach_msg_header_t *msg);

/* A reply's port descriptor carrying a send right (as MIG checks it). */
boolean_t machipc_port_desc_ok(const mach_msg_port_descriptor_t *d);

/* A reply's out-of-line ports descriptor of send rights. */
boolean_t machipc_ool_ports_desc_ok(const mach_msg_ool_ports_descriptor_t *d);

/* A request's port descriptor. */
void machipc_set_port_desc(mach_msg_port_descriptor_t *d, mach_port_t name,
			   mach_msg_type_name_t disposition);

/*
 * A routine whose request is a bare header and whose reply is one
 * out-of-line array of send rights and its count (task_calls.c).
 */
kern_return_t machipc_rpc_port_array(mach_port_t dest, mach_msg_id_t id, mach_port_t **array,
				     mach_msg_type_number_t *count);

/*
 * A flavored info routine (task_info, thread_info, host_info, ...):
 * {Head; NDR; flavor; count} -> {Head; NDR; RetCode; count; data[count]},
 * with MIG's array bound `max` (task_calls.c).
 */
kern_return_t machipc_rpc_flavor_info(mach_port_t dest, mach_msg_id_t id, int flavor,
				      integer_t *out, mach_msg_type_number_t *count,
				      mach_msg_type_number_t max);

/* A routine whose request is a bare header and whose reply is only a
 * RetCode (thread.c). */
kern_return_t machipc_rpc_simple(mach_port_t dest, mach_msg_type_name_t dest_disp,
				 mach_msg_id_t id);

/* A routine with an int argument whose reply is one send right (thread.c). */
kern_return_t machipc_rpc_int_to_port(mach_port_t dest, mach_msg_id_t id, int arg,
				      mach_port_t *port);

/* A routine with no argument, or one port argument (COPY_SEND), whose
 * reply is one send right (thread.c). */
kern_return_t machipc_rpc_port_to_port(mach_port_t dest, mach_msg_id_t id, boolean_t has_arg,
				       mach_port_t arg, mach_port_t *port);

/* The kernel's MIG server templates send rights as MACH_MSG_TYPE_PORT_SEND. */
#define MACHIPC_REPLY_DISPOSITION ((mach_msg_type_name_t)MACH_MSG_TYPE_PORT_SEND)

/* The mig_reply_error_t size: a simple reply with only a RetCode. */
#define MACHIPC_ERROR_REPLY_SIZE ((mach_msg_size_t)sizeof(mig_reply_error_t))

#endif
