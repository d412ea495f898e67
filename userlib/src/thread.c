// SPDX-License-Identifier: MIT
/*
 * Thread MIG routines sent to thread ports (thread_act subsystem, 3600):
 * thread_terminate (3600), thread_get_special_port (3610),
 * thread_set_special_port (3611), thread_info (3612).
 */
#include "internal.h"

#include <mach/thread_act.h>

#define THREAD_TERMINATE_ID             3600
#define THREAD_GET_SPECIAL_PORT_ID      3610
#define THREAD_SET_SPECIAL_PORT_ID      3611
#define THREAD_INFO_ID                  3612

/* thread_info_t as MIG declares it: array[*:32] of integer_t. */
#define THREAD_INFO_MIG_MAX             32

#pragma pack(push, 4)
typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	int which_port;
} get_special_req_t;

/* A reply carrying one port (thread_get_special_port and many others). */
typedef struct {
	mach_msg_header_t Head;
	mach_msg_body_t msgh_body;
	mach_msg_port_descriptor_t port;
} port_rep_t;

typedef struct {
	mach_msg_header_t Head;
	mach_msg_body_t msgh_body;
	mach_msg_port_descriptor_t special_port;
	NDR_record_t NDR;
	int which_port;
} set_special_req_t;
#pragma pack(pop)

kern_return_t machipc_rpc_simple(mach_port_t dest, mach_msg_type_name_t dest_disp,
				 mach_msg_id_t id)
{
	union {
		empty_req_t in;
		mig_reply_error_t out;
		char room[sizeof(mig_reply_error_t) + MAX_TRAILER_SIZE];
	} m;
	static const struct machipc_reply_shape shape = {
		MACHIPC_ERROR_REPLY_SIZE, MACHIPC_ERROR_REPLY_SIZE, 0,
	};

	return machipc_rpc(&m.in.Head, FALSE, dest, dest_disp, id, sizeof(m.in), &shape);
}

/*
 * thread_terminate's target is a thread_act_consume_ref_t: the request's
 * destination right is moved, so the caller's send right is consumed
 * whatever the answer.
 */
kern_return_t thread_terminate(thread_act_t target_act)
{
	return machipc_rpc_simple(target_act, MACH_MSG_TYPE_MOVE_SEND, THREAD_TERMINATE_ID);
}

/*
 * A routine with an int argument whose reply is one send right
 * (thread_get_special_port, host_get_clock_service).
 */
kern_return_t machipc_rpc_int_to_port(mach_port_t dest, mach_msg_id_t id, int arg,
				      mach_port_t *port)
{
	union {
		get_special_req_t in;
		port_rep_t out;
		char room[sizeof(port_rep_t) + MAX_TRAILER_SIZE];
	} m;
	static const struct machipc_reply_shape shape = { sizeof(port_rep_t), sizeof(port_rep_t), 1 };
	kern_return_t kr;

	m.in.NDR = NDR_record;
	m.in.which_port = arg;
	kr = machipc_rpc(&m.in.Head, FALSE, dest, MACH_MSG_TYPE_COPY_SEND, id, sizeof(m.in),
			 &shape);
	if (kr != KERN_SUCCESS)
		return kr;
	if (!machipc_port_desc_ok(&m.out.port))
		return machipc_rpc_bad_reply(&m.out.Head);
	*port = m.out.port.name;
	return KERN_SUCCESS;
}

/*
 * A routine whose request is a bare header, or carries one port (COPY_SEND),
 * and whose reply is one send right (processor_set_default,
 * host_processor_set_priv).
 */
kern_return_t machipc_rpc_port_to_port(mach_port_t dest, mach_msg_id_t id, boolean_t has_arg,
				       mach_port_t arg, mach_port_t *port)
{
	union {
		empty_req_t bare;
		port_rep_t in;  /* {Head; body; port}: the same layout as the reply */
		port_rep_t out;
		char room[sizeof(port_rep_t) + MAX_TRAILER_SIZE];
	} m;
	static const struct machipc_reply_shape shape = { sizeof(port_rep_t), sizeof(port_rep_t), 1 };
	mach_msg_size_t size = sizeof(m.bare);
	kern_return_t kr;

	if (has_arg) {
		m.in.msgh_body.msgh_descriptor_count = 1;
		machipc_set_port_desc(&m.in.port, arg, MACH_MSG_TYPE_COPY_SEND);
		size = sizeof(m.in);
	}
	kr = machipc_rpc(&m.in.Head, has_arg, dest, MACH_MSG_TYPE_COPY_SEND, id, size, &shape);
	if (kr != KERN_SUCCESS)
		return kr;
	if (!machipc_port_desc_ok(&m.out.port))
		return machipc_rpc_bad_reply(&m.out.Head);
	*port = m.out.port.name;
	return KERN_SUCCESS;
}

kern_return_t thread_get_special_port(thread_inspect_t thr_act, int which_port,
				      mach_port_t *special_port)
{
	return machipc_rpc_int_to_port(thr_act, THREAD_GET_SPECIAL_PORT_ID, which_port,
				       special_port);
}

kern_return_t thread_set_special_port(thread_act_t thr_act, int which_port,
				      mach_port_t special_port)
{
	union {
		set_special_req_t in;
		mig_reply_error_t out;
		char room[sizeof(set_special_req_t) + MAX_TRAILER_SIZE];
	} m;
	static const struct machipc_reply_shape shape = {
		MACHIPC_ERROR_REPLY_SIZE, MACHIPC_ERROR_REPLY_SIZE, 0,
	};

	m.in.msgh_body.msgh_descriptor_count = 1;
	machipc_set_port_desc(&m.in.special_port, special_port, MACH_MSG_TYPE_COPY_SEND);
	m.in.NDR = NDR_record;
	m.in.which_port = which_port;
	return machipc_rpc(&m.in.Head, TRUE, thr_act, MACH_MSG_TYPE_COPY_SEND,
			   THREAD_SET_SPECIAL_PORT_ID, sizeof(m.in), &shape);
}

kern_return_t thread_info(thread_inspect_t target_act, thread_flavor_t flavor,
			  thread_info_t thread_info_out, mach_msg_type_number_t *thread_info_outCnt)
{
	return machipc_rpc_flavor_info(target_act, THREAD_INFO_ID, (int)flavor, thread_info_out,
				       thread_info_outCnt, THREAD_INFO_MIG_MAX);
}
