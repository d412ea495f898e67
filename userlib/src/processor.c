// SPDX-License-Identifier: MIT
/*
 * Processor and processor-set routines: the processor subsystem (3000)
 * on processor ports -- processor_start (3000), processor_exit (3001),
 * processor_info (3002) -- and the processor_set subsystem (4000) on the
 * default set's name or control port -- processor_set_statistics (4000),
 * processor_set_tasks (4005), processor_set_threads (4006),
 * processor_set_info (4009).
 */
#include <stddef.h>
#include <string.h>

#include "internal.h"

#include <mach/processor.h>
#include <mach/processor_set.h>

#define PROCESSOR_START_ID              3000
#define PROCESSOR_EXIT_ID               3001
#define PROCESSOR_INFO_ID               3002
#define PROCESSOR_SET_STATISTICS_ID     4000
#define PROCESSOR_SET_TASKS_ID          4005
#define PROCESSOR_SET_THREADS_ID        4006
#define PROCESSOR_SET_INFO_ID           4009

/* MIG's array bounds: processor_info_t array[*:12], processor_set_info_t
 * array[*:5]. */
#define PROCESSOR_INFO_MIG_MAX          12
#define PROCESSOR_SET_INFO_MIG_MAX      5

#pragma pack(push, 4)
typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	int flavor;
	mach_msg_type_number_t outCnt;
} flavor_req_t;

/* processor_info and processor_set_info: the host port, then the data. */
typedef struct {
	mach_msg_header_t Head;
	mach_msg_body_t msgh_body;
	mach_msg_port_descriptor_t host;
	NDR_record_t NDR;
	mach_msg_type_number_t outCnt;
	integer_t out[PROCESSOR_INFO_MIG_MAX];
} host_info_rep_t;
#pragma pack(pop)

/*
 * A flavored info routine whose reply also carries a send right to the
 * host: {Head; NDR; flavor; count} -> {Head; body; port host; NDR; count;
 * data[count]}, count <= max.
 */
static kern_return_t flavor_info_with_host(mach_port_t dest, mach_msg_id_t id, int flavor,
					   host_t *host, integer_t *out,
					   mach_msg_type_number_t *count,
					   mach_msg_type_number_t max)
{
	union {
		flavor_req_t in;
		host_info_rep_t out;
		char room[sizeof(host_info_rep_t) + MAX_TRAILER_SIZE];
	} m;
	const mach_msg_size_t base = offsetof(host_info_rep_t, out);
	const struct machipc_reply_shape shape = { base, base + 4 * max, 1 };
	mach_msg_type_number_t n;
	kern_return_t kr;

	m.in.NDR = NDR_record;
	m.in.flavor = flavor;
	m.in.outCnt = *count < max ? *count : max;
	kr = machipc_rpc(&m.in.Head, FALSE, dest, MACH_MSG_TYPE_COPY_SEND, id, sizeof(m.in),
			 &shape);
	if (kr != KERN_SUCCESS)
		return kr;
	n = m.out.outCnt;
	if (!machipc_port_desc_ok(&m.out.host) || n > max || m.out.Head.msgh_size != base + 4 * n)
		return machipc_rpc_bad_reply(&m.out.Head);
	*host = m.out.host.name;
	if (n > *count) {
		memcpy(out, m.out.out, 4 * (size_t)*count);
		*count = n;
		return MIG_ARRAY_TOO_LARGE;
	}
	memcpy(out, m.out.out, 4 * (size_t)n);
	*count = n;
	return KERN_SUCCESS;
}

kern_return_t processor_start(processor_t processor)
{
	return machipc_rpc_simple(processor, MACH_MSG_TYPE_COPY_SEND, PROCESSOR_START_ID);
}

kern_return_t processor_exit(processor_t processor)
{
	return machipc_rpc_simple(processor, MACH_MSG_TYPE_COPY_SEND, PROCESSOR_EXIT_ID);
}

kern_return_t processor_info(processor_t processor, processor_flavor_t flavor, host_t *host,
			     processor_info_t processor_info_out,
			     mach_msg_type_number_t *processor_info_outCnt)
{
	return flavor_info_with_host(processor, PROCESSOR_INFO_ID, flavor, host,
				     processor_info_out, processor_info_outCnt,
				     PROCESSOR_INFO_MIG_MAX);
}

kern_return_t processor_set_info(processor_set_name_t set_name, int flavor, host_t *host,
				 processor_set_info_t info_out, mach_msg_type_number_t *info_outCnt)
{
	return flavor_info_with_host(set_name, PROCESSOR_SET_INFO_ID, flavor, host, info_out,
				     info_outCnt, PROCESSOR_SET_INFO_MIG_MAX);
}

kern_return_t processor_set_statistics(processor_set_name_t pset, processor_set_flavor_t flavor,
				       processor_set_info_t info_out,
				       mach_msg_type_number_t *info_outCnt)
{
	return machipc_rpc_flavor_info(pset, PROCESSOR_SET_STATISTICS_ID, flavor, info_out,
				       info_outCnt, PROCESSOR_SET_INFO_MIG_MAX);
}

kern_return_t processor_set_tasks(processor_set_t processor_set, task_array_t *task_list,
				  mach_msg_type_number_t *task_listCnt)
{
	return machipc_rpc_port_array(processor_set, PROCESSOR_SET_TASKS_ID, task_list,
				      task_listCnt);
}

kern_return_t processor_set_threads(processor_set_t processor_set, thread_act_array_t *thread_list,
				    mach_msg_type_number_t *thread_listCnt)
{
	return machipc_rpc_port_array(processor_set, PROCESSOR_SET_THREADS_ID, thread_list,
				      thread_listCnt);
}
