// SPDX-License-Identifier: MIT
/*
 * Host routines: the mach_host subsystem (200) sent to a host or host-priv
 * port -- host_info (200), host_kernel_version (201),
 * host_get_clock_service (206), processor_set_default (213),
 * host_statistics (216), host_statistics64 (219) -- and the host_priv
 * subsystem (400) -- host_processors (407), host_set_exception_ports (414),
 * host_get_exception_ports (415), host_swap_exception_ports (416),
 * host_processor_set_priv (420). host_page_size needs no message;
 * host_get_special_port / host_set_special_port are PORT_OPs (the same
 * codes as the host_priv routines 412 / 413).
 */
#include <stddef.h>
#include <string.h>

#include "internal.h"

#include <mach/mach_host.h>
#include <mach/host_priv.h>

#define HOST_INFO_ID                    200
#define HOST_KERNEL_VERSION_ID          201
#define HOST_GET_CLOCK_SERVICE_ID       206
#define PROCESSOR_SET_DEFAULT_ID        213
#define HOST_STATISTICS_ID              216
#define HOST_STATISTICS64_ID            219
#define HOST_PROCESSORS_ID              407
#define HOST_SET_EXCEPTION_PORTS_ID     414
#define HOST_GET_EXCEPTION_PORTS_ID     415
#define HOST_SWAP_EXCEPTION_PORTS_ID    416
#define HOST_PROCESSOR_SET_PRIV_ID      420

/* MIG's array bounds: host_info_t array[*:68], host_info64_t array[*:256],
 * the exception arrays array[*:32]. */
#define HOST_INFO_MIG_MAX       68
#define HOST_INFO64_MIG_MAX     256
#define EXC_MIG_MAX             32

#pragma pack(push, 4)
typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	kern_return_t RetCode;
	mach_msg_type_number_t kernel_versionOffset;    /* not used by MIG */
	mach_msg_type_number_t kernel_versionCnt;
	char kernel_version[512];
} kernel_version_rep_t;

/* host_set_exception_ports and host_swap_exception_ports. */
typedef struct {
	mach_msg_header_t Head;
	mach_msg_body_t msgh_body;
	mach_msg_port_descriptor_t new_port;
	NDR_record_t NDR;
	exception_mask_t exception_mask;
	exception_behavior_t behavior;
	thread_state_flavor_t new_flavor;
} set_exc_req_t;

typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	exception_mask_t exception_mask;
} get_exc_req_t;

/*
 * host_get_exception_ports and host_swap_exception_ports: always 32 port
 * descriptors; then masks[cnt], and right after them old_behaviors[cnt]
 * and old_flavors[cnt] (MIG packs the arrays that follow a variable one).
 */
typedef struct {
	mach_msg_header_t Head;
	mach_msg_body_t msgh_body;
	mach_msg_port_descriptor_t old_handlers[EXC_MIG_MAX];
	NDR_record_t NDR;
	mach_msg_type_number_t masksCnt;
	exception_mask_t masks[EXC_MIG_MAX];
	exception_behavior_t old_behaviors[EXC_MIG_MAX];
	thread_state_flavor_t old_flavors[EXC_MIG_MAX];
} exc_rep_t;
#pragma pack(pop)

/* The smallest exception-ports reply: no array entry at all. */
#define EXC_REP_MIN ((mach_msg_size_t)offsetof(exc_rep_t, masks))

kern_return_t host_page_size(host_t host, vm_size_t *out_page_size)
{
	(void)host;     /* as libsyscall: the page size, whatever the host */
	*out_page_size = vm_page_size;
	return KERN_SUCCESS;
}

kern_return_t host_info(host_t host, host_flavor_t flavor, host_info_t host_info_out,
			mach_msg_type_number_t *host_info_outCnt)
{
	return machipc_rpc_flavor_info(host, HOST_INFO_ID, flavor, host_info_out,
				       host_info_outCnt, HOST_INFO_MIG_MAX);
}

kern_return_t host_statistics(host_t host_priv, host_flavor_t flavor, host_info_t host_info_out,
			      mach_msg_type_number_t *host_info_outCnt)
{
	return machipc_rpc_flavor_info(host_priv, HOST_STATISTICS_ID, flavor, host_info_out,
				       host_info_outCnt, HOST_INFO_MIG_MAX);
}

kern_return_t host_statistics64(host_t host_priv, host_flavor_t flavor,
				host_info64_t host_info64_out,
				mach_msg_type_number_t *host_info64_outCnt)
{
	return machipc_rpc_flavor_info(host_priv, HOST_STATISTICS64_ID, flavor, host_info64_out,
				       host_info64_outCnt, HOST_INFO64_MIG_MAX);
}

kern_return_t host_kernel_version(host_t host, kernel_version_t kernel_version)
{
	union {
		empty_req_t in;
		kernel_version_rep_t out;
		char room[sizeof(kernel_version_rep_t) + MAX_TRAILER_SIZE];
	} m;
	static const struct machipc_reply_shape shape = {
		offsetof(kernel_version_rep_t, kernel_version), sizeof(kernel_version_rep_t), 0,
	};
	const mach_msg_size_t base = offsetof(kernel_version_rep_t, kernel_version);
	mach_msg_type_number_t n, i;
	kern_return_t kr;

	kr = machipc_rpc(&m.in.Head, FALSE, host, MACH_MSG_TYPE_COPY_SEND, HOST_KERNEL_VERSION_ID,
			 sizeof(m.in), &shape);
	if (kr != KERN_SUCCESS)
		return kr;
	/* The string's count includes its NUL; the message is word-aligned. */
	n = m.out.kernel_versionCnt;
	if (n > KERNEL_VERSION_MAX || m.out.Head.msgh_size != base + ((n + 3) & ~3U))
		return machipc_rpc_bad_reply(&m.out.Head);
	/* As mig_strncpy: at most 511 characters, always terminated. */
	for (i = 0; i + 1 < KERNEL_VERSION_MAX && i < n && m.out.kernel_version[i]; i++)
		kernel_version[i] = m.out.kernel_version[i];
	kernel_version[i] = '\0';
	return KERN_SUCCESS;
}

kern_return_t host_get_clock_service(host_t host, clock_id_t clock_id, clock_serv_t *clock_serv)
{
	return machipc_rpc_int_to_port(host, HOST_GET_CLOCK_SERVICE_ID, clock_id, clock_serv);
}

kern_return_t processor_set_default(host_t host, processor_set_name_t *default_set)
{
	return machipc_rpc_port_to_port(host, PROCESSOR_SET_DEFAULT_ID, FALSE, MACH_PORT_NULL,
					default_set);
}

kern_return_t host_processor_set_priv(host_priv_t host_priv, processor_set_name_t set_name,
				      processor_set_t *set)
{
	return machipc_rpc_port_to_port(host_priv, HOST_PROCESSOR_SET_PRIV_ID, TRUE, set_name, set);
}

kern_return_t host_processors(host_priv_t host_priv, processor_array_t *out_processor_list,
			      mach_msg_type_number_t *out_processor_listCnt)
{
	return machipc_rpc_port_array(host_priv, HOST_PROCESSORS_ID, out_processor_list,
				      out_processor_listCnt);
}

static void fill_set_exc(set_exc_req_t *in, exception_mask_t exception_mask,
			 mach_port_t new_port, exception_behavior_t behavior,
			 thread_state_flavor_t new_flavor)
{
	in->msgh_body.msgh_descriptor_count = 1;
	machipc_set_port_desc(&in->new_port, new_port, MACH_MSG_TYPE_COPY_SEND);
	in->NDR = NDR_record;
	in->exception_mask = exception_mask;
	in->behavior = behavior;
	in->new_flavor = new_flavor;
}

/* Takes apart an exception-ports reply into the caller's arrays. */
static kern_return_t take_exc_reply(exc_rep_t *r, exception_mask_array_t masks,
				    mach_msg_type_number_t *masksCnt,
				    exception_handler_array_t handlers,
				    exception_behavior_array_t behaviors,
				    exception_flavor_array_t flavors)
{
	const exception_behavior_t *b;
	const thread_state_flavor_t *f;
	mach_msg_type_number_t n = r->masksCnt, i;

	for (i = 0; i < EXC_MIG_MAX; i++)
		if (r->old_handlers[i].type != MACH_MSG_PORT_DESCRIPTOR)
			return machipc_rpc_bad_reply(&r->Head);
	if (n > EXC_MIG_MAX || r->Head.msgh_size != EXC_REP_MIN + 12 * n)
		return machipc_rpc_bad_reply(&r->Head);
	b = (const exception_behavior_t *)&r->masks[n];
	f = (const thread_state_flavor_t *)&r->masks[2 * n];
	for (i = 0; i < n; i++) {
		masks[i] = r->masks[i];
		handlers[i] = r->old_handlers[i].name;
		behaviors[i] = b[i];
		flavors[i] = f[i];
	}
	*masksCnt = n;
	return KERN_SUCCESS;
}

static const struct machipc_reply_shape exc_shape = { EXC_REP_MIN, sizeof(exc_rep_t), EXC_MIG_MAX };

kern_return_t host_set_exception_ports(host_priv_t host_priv, exception_mask_t exception_mask,
				       mach_port_t new_port, exception_behavior_t behavior,
				       thread_state_flavor_t new_flavor)
{
	union {
		set_exc_req_t in;
		mig_reply_error_t out;
		char room[sizeof(set_exc_req_t) + MAX_TRAILER_SIZE];
	} m;
	static const struct machipc_reply_shape shape = {
		MACHIPC_ERROR_REPLY_SIZE, MACHIPC_ERROR_REPLY_SIZE, 0,
	};

	fill_set_exc(&m.in, exception_mask, new_port, behavior, new_flavor);
	return machipc_rpc(&m.in.Head, TRUE, host_priv, MACH_MSG_TYPE_COPY_SEND,
			   HOST_SET_EXCEPTION_PORTS_ID, sizeof(m.in), &shape);
}

kern_return_t host_get_exception_ports(host_priv_t host_priv, exception_mask_t exception_mask,
				       exception_mask_array_t masks,
				       mach_msg_type_number_t *masksCnt,
				       exception_handler_array_t old_handlers,
				       exception_behavior_array_t old_behaviors,
				       exception_flavor_array_t old_flavors)
{
	union {
		get_exc_req_t in;
		exc_rep_t out;
		char room[sizeof(exc_rep_t) + MAX_TRAILER_SIZE];
	} m;
	kern_return_t kr;

	m.in.NDR = NDR_record;
	m.in.exception_mask = exception_mask;
	kr = machipc_rpc(&m.in.Head, FALSE, host_priv, MACH_MSG_TYPE_COPY_SEND,
			 HOST_GET_EXCEPTION_PORTS_ID, sizeof(m.in), &exc_shape);
	if (kr != KERN_SUCCESS)
		return kr;
	return take_exc_reply(&m.out, masks, masksCnt, old_handlers, old_behaviors, old_flavors);
}

kern_return_t host_swap_exception_ports(host_priv_t host_priv, exception_mask_t exception_mask,
					mach_port_t new_port, exception_behavior_t behavior,
					thread_state_flavor_t new_flavor,
					exception_mask_array_t masks,
					mach_msg_type_number_t *masksCnt,
					exception_handler_array_t old_handlerss,
					exception_behavior_array_t old_behaviors,
					exception_flavor_array_t old_flavors)
{
	union {
		set_exc_req_t in;
		exc_rep_t out;
		char room[sizeof(exc_rep_t) + MAX_TRAILER_SIZE];
	} m;
	kern_return_t kr;

	fill_set_exc(&m.in, exception_mask, new_port, behavior, new_flavor);
	kr = machipc_rpc(&m.in.Head, TRUE, host_priv, MACH_MSG_TYPE_COPY_SEND,
			 HOST_SWAP_EXCEPTION_PORTS_ID, sizeof(m.in), &exc_shape);
	if (kr != KERN_SUCCESS)
		return kr;
	return take_exc_reply(&m.out, masks, masksCnt, old_handlerss, old_behaviors, old_flavors);
}

kern_return_t host_get_special_port(host_priv_t host_priv, int node, int which, mach_port_t *port)
{
	struct machipc_port_op o;
	kern_return_t kr = machipc_op(MACHIPC_OP_HOST_GET_SPECIAL, host_priv, MACH_PORT_NULL,
				      (uint32_t)which, (uint64_t)(int64_t)node, 0, &o);

	if (kr == KERN_SUCCESS)
		*port = o.name;
	return kr;
}

kern_return_t host_set_special_port(host_priv_t host_priv, int which, mach_port_t port)
{
	return machipc_op(MACHIPC_OP_HOST_SET_SPECIAL, host_priv, port, (uint32_t)which, 0, 0,
			  NULL);
}
