/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/processor_set.h>: the processor set interface (MIG subsystem
 * processor_set, 4000; the subset machipc implements), on the default
 * set's name port (processor_set_default) and control port
 * (host_processor_set_priv).
 */
#ifndef _processor_set_user_
#define _processor_set_user_

#include <sys/cdefs.h>
#include <mach/ndr.h>
#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <mach/notify.h>
#include <mach/mach_types.h>
#include <mach/message.h>
#include <mach/mig_errors.h>
#include <mach/port.h>
#include <mach/processor_info.h>

__BEGIN_DECLS

kern_return_t processor_set_statistics(
	processor_set_name_t pset,
	processor_set_flavor_t flavor,
	processor_set_info_t info_out,
	mach_msg_type_number_t *info_outCnt);

/* Send rights to every task / thread: needs the control port. The array
 * is vm_allocate'd; free it with vm_deallocate. */
kern_return_t processor_set_tasks(
	processor_set_t processor_set,
	task_array_t *task_list,
	mach_msg_type_number_t *task_listCnt);

kern_return_t processor_set_threads(
	processor_set_t processor_set,
	thread_act_array_t *thread_list,
	mach_msg_type_number_t *thread_listCnt);

kern_return_t processor_set_info(
	processor_set_name_t set_name,
	int flavor,
	host_t *host,
	processor_set_info_t info_out,
	mach_msg_type_number_t *info_outCnt);

__END_DECLS

#endif /* _processor_set_user_ */
