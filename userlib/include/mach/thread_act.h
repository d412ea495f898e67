/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/thread_act.h>: the thread interface (MIG subsystem thread_act,
 * 3600; the subset machipc implements), on the thread ports of
 * mach_thread_self() and task_threads().
 */
#ifndef _thread_act_user_
#define _thread_act_user_

#include <sys/cdefs.h>
#include <mach/ndr.h>
#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <mach/notify.h>
#include <mach/mach_types.h>
#include <mach/message.h>
#include <mach/mig_errors.h>
#include <mach/port.h>
#include <mach/thread_info.h>
#include <mach/thread_special_ports.h>

__BEGIN_DECLS

/* Terminates the thread. Consumes the caller's send right (MOVE_SEND). */
kern_return_t thread_terminate(
	thread_act_t target_act);

kern_return_t thread_get_special_port(
	thread_inspect_t thr_act,
	int which_port,
	mach_port_t *special_port);

kern_return_t thread_set_special_port(
	thread_act_t thr_act,
	int which_port,
	mach_port_t special_port);

kern_return_t thread_info(
	thread_inspect_t target_act,
	thread_flavor_t flavor,
	thread_info_t thread_info_out,
	mach_msg_type_number_t *thread_info_outCnt);

__END_DECLS

#endif /* _thread_act_user_ */
