/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/host_priv.h>: privileged host interface (MIG subsystem host_priv,
 * 400; the subset implemented by machipc).
 */
#ifndef _host_priv_user_
#define _host_priv_user_

#include <sys/cdefs.h>
#include <mach/ndr.h>
#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <mach/notify.h>
#include <mach/mach_types.h>
#include <mach/message.h>
#include <mach/mig_errors.h>
#include <mach/std_types.h>
#include <mach/host_special_ports.h>
#include <mach/exception_types.h>

__BEGIN_DECLS

kern_return_t host_get_special_port(
	host_priv_t host_priv,
	int node,
	int which,
	mach_port_t *port);

kern_return_t host_set_special_port(
	host_priv_t host_priv,
	int which,
	mach_port_t port);

/* Send rights to the processor ports, one per CPU, in a vm_allocate'd array. */
kern_return_t host_processors(
	host_priv_t host_priv,
	processor_array_t *out_processor_list,
	mach_msg_type_number_t *out_processor_listCnt);

/* Sets the handler of the exception types in exception_mask. */
kern_return_t host_set_exception_ports(
	host_priv_t host_priv,
	exception_mask_t exception_mask,
	mach_port_t new_port,
	exception_behavior_t behavior,
	thread_state_flavor_t new_flavor);

/*
 * The handlers of the exception types in exception_mask, one entry per
 * distinct (port, behavior, flavor) with the types' masks OR-ed. The
 * arrays must have room for 32 entries (*masksCnt is only written).
 */
kern_return_t host_get_exception_ports(
	host_priv_t host_priv,
	exception_mask_t exception_mask,
	exception_mask_array_t masks,
	mach_msg_type_number_t *masksCnt,
	exception_handler_array_t old_handlers,
	exception_behavior_array_t old_behaviors,
	exception_flavor_array_t old_flavors);

/* host_set_exception_ports, returning the previous handlers as
 * host_get_exception_ports does. */
kern_return_t host_swap_exception_ports(
	host_priv_t host_priv,
	exception_mask_t exception_mask,
	mach_port_t new_port,
	exception_behavior_t behavior,
	thread_state_flavor_t new_flavor,
	exception_mask_array_t masks,
	mach_msg_type_number_t *masksCnt,
	exception_handler_array_t old_handlerss,
	exception_behavior_array_t old_behaviors,
	exception_flavor_array_t old_flavors);

/* The control port of the processor set named by set_name. */
kern_return_t host_processor_set_priv(
	host_priv_t host_priv,
	processor_set_name_t set_name,
	processor_set_t *set);

__END_DECLS

#endif /* _host_priv_user_ */
