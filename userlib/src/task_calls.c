// SPDX-License-Identifier: MIT
/*
 * Task MIG routines sent to task ports: task_threads (3402),
 * mach_ports_register (3403), mach_ports_lookup (3404), task_info (3405).
 * Layouts and checks are those of the MIG user stubs of task.defs. And
 * task_get_special_port / task_set_special_port, which machipc answers
 * with a PORT_OP (the same codes as the MIG routines 3409 / 3410).
 */
#include <stddef.h>
#include <string.h>

#include "internal.h"

#include <mach/task.h>

#define TASK_THREADS_ID         3402
#define MACH_PORTS_REGISTER_ID  3403
#define MACH_PORTS_LOOKUP_ID    3404
#define TASK_INFO_ID            3405

/* task_info_t as MIG declares it: array[*:52] of integer_t. */
#define TASK_INFO_MIG_MAX       52

#pragma pack(push, 4)
/* A reply carrying one out-of-line port array and its count. */
typedef struct {
	mach_msg_header_t Head;
	mach_msg_body_t msgh_body;
	mach_msg_ool_ports_descriptor_t ports;
	NDR_record_t NDR;
	mach_msg_type_number_t portsCnt;
} ool_ports_rep_t;

typedef struct {
	mach_msg_header_t Head;
	mach_msg_body_t msgh_body;
	mach_msg_ool_ports_descriptor_t init_port_set;
	NDR_record_t NDR;
	mach_msg_type_number_t init_port_setCnt;
} ports_register_req_t;

/* The request of a flavored info call. */
typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	int flavor;
	mach_msg_type_number_t outCnt;
} flavor_req_t;
#pragma pack(pop)

/*
 * A routine whose request is just a header and whose reply is one array
 * of send rights (task_threads, mach_ports_lookup, processor_set_tasks,
 * processor_set_threads, host_processors): the array and its count.
 */
kern_return_t machipc_rpc_port_array(mach_port_t dest, mach_msg_id_t id, mach_port_t **array,
				     mach_msg_type_number_t *count)
{
	union {
		empty_req_t in;
		ool_ports_rep_t out;
		char room[sizeof(ool_ports_rep_t) + MAX_TRAILER_SIZE];
	} m;
	static const struct machipc_reply_shape shape = {
		sizeof(ool_ports_rep_t), sizeof(ool_ports_rep_t), 1,
	};
	kern_return_t kr = machipc_rpc(&m.in.Head, FALSE, dest, MACH_MSG_TYPE_COPY_SEND, id,
				       sizeof(m.in), &shape);

	if (kr != KERN_SUCCESS)
		return kr;
	if (!machipc_ool_ports_desc_ok(&m.out.ports) || m.out.ports.count != m.out.portsCnt)
		return machipc_rpc_bad_reply(&m.out.Head);
	*array = (mach_port_t *)m.out.ports.address;
	*count = m.out.portsCnt;
	return KERN_SUCCESS;
}

kern_return_t task_threads(task_inspect_t target_task, thread_act_array_t *act_list,
			   mach_msg_type_number_t *act_listCnt)
{
	return machipc_rpc_port_array(target_task, TASK_THREADS_ID, act_list, act_listCnt);
}

kern_return_t mach_ports_lookup(task_t target_task, mach_port_array_t *init_port_set,
				mach_msg_type_number_t *init_port_setCnt)
{
	return machipc_rpc_port_array(target_task, MACH_PORTS_LOOKUP_ID, init_port_set,
				      init_port_setCnt);
}

kern_return_t mach_ports_register(task_t target_task, mach_port_array_t init_port_set,
				  mach_msg_type_number_t init_port_setCnt)
{
	union {
		ports_register_req_t in;
		mig_reply_error_t out;
		char room[sizeof(ports_register_req_t) + MAX_TRAILER_SIZE];
	} m;
	static const struct machipc_reply_shape shape = {
		MACHIPC_ERROR_REPLY_SIZE, MACHIPC_ERROR_REPLY_SIZE, 0,
	};

	m.in.msgh_body.msgh_descriptor_count = 1;
	m.in.init_port_set.address = init_port_set;
	m.in.init_port_set.count = init_port_setCnt;
	m.in.init_port_set.deallocate = FALSE;
	m.in.init_port_set.copy = MACH_MSG_PHYSICAL_COPY;
	m.in.init_port_set.disposition = MACH_MSG_TYPE_COPY_SEND;
	m.in.init_port_set.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
	m.in.NDR = NDR_record;
	m.in.init_port_setCnt = init_port_setCnt;
	return machipc_rpc(&m.in.Head, TRUE, target_task, MACH_MSG_TYPE_COPY_SEND,
			   MACH_PORTS_REGISTER_ID, sizeof(m.in), &shape);
}

/*
 * A flavored info call (task_info, thread_info, host_info, ...): request
 * {Head; NDR; flavor; count}, reply {Head; NDR; RetCode; count;
 * data[count]} with count <= max. The request carries the caller's count
 * (at most max); a reply with more than the caller asked for fills the
 * caller's array and gives MIG_ARRAY_TOO_LARGE, as MIG does.
 */
kern_return_t machipc_rpc_flavor_info(mach_port_t dest, mach_msg_id_t id, int flavor,
				      integer_t *out, mach_msg_type_number_t *count,
				      mach_msg_type_number_t max)
{
	/* The largest of these arrays is host_statistics64's 256. */
	struct {
		mach_msg_header_t Head;
		NDR_record_t NDR;
		kern_return_t RetCode;
		mach_msg_type_number_t outCnt;
		integer_t out[256];
	} __attribute__((packed, aligned(4))) *rep;
	union {
		flavor_req_t in;
		char room[sizeof(*rep) + MAX_TRAILER_SIZE];
	} m;
	const mach_msg_size_t base = (mach_msg_size_t)offsetof(__typeof__(*rep), out);
	struct machipc_reply_shape shape = { base, base + 4 * max, 0 };
	mach_msg_type_number_t n;
	kern_return_t kr;

	if (max > 256)
		return MIG_ARRAY_TOO_LARGE;
	m.in.NDR = NDR_record;
	m.in.flavor = flavor;
	m.in.outCnt = *count < max ? *count : max;
	kr = machipc_rpc(&m.in.Head, FALSE, dest, MACH_MSG_TYPE_COPY_SEND, id, sizeof(m.in),
			 &shape);
	if (kr != KERN_SUCCESS)
		return kr;
	rep = (__typeof__(rep))&m;
	n = rep->outCnt;
	if (n > max || rep->Head.msgh_size != base + 4 * n)
		return machipc_rpc_bad_reply(&rep->Head);
	if (n > *count) {
		memcpy(out, rep->out, 4 * (size_t)*count);
		*count = n;
		return MIG_ARRAY_TOO_LARGE;
	}
	memcpy(out, rep->out, 4 * (size_t)n);
	*count = n;
	return KERN_SUCCESS;
}

kern_return_t task_info(task_name_t target_task, task_flavor_t flavor, task_info_t task_info_out,
			mach_msg_type_number_t *task_info_outCnt)
{
	return machipc_rpc_flavor_info(target_task, TASK_INFO_ID, (int)flavor, task_info_out,
				       task_info_outCnt, TASK_INFO_MIG_MAX);
}

kern_return_t task_get_special_port(task_inspect_t task, int which_port, mach_port_t *special_port)
{
	struct machipc_port_op o;
	kern_return_t kr = machipc_op(MACHIPC_OP_TASK_GET_SPECIAL, task, MACH_PORT_NULL,
				      (uint32_t)which_port, 0, 0, &o);

	if (kr == KERN_SUCCESS)
		*special_port = o.name;
	return kr;
}

kern_return_t task_set_special_port(task_t task, int which_port, mach_port_t special_port)
{
	return machipc_op(MACHIPC_OP_TASK_SET_SPECIAL, task, special_port, (uint32_t)which_port,
			  0, 0, NULL);
}
