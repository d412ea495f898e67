/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/task.h>: task interface (the subset implemented by machipc).
 */
#ifndef _task_user_
#define _task_user_

#include <sys/cdefs.h>
#include <mach/ndr.h>
#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <mach/notify.h>
#include <mach/mach_types.h>
#include <mach/message.h>
#include <mach/mig_errors.h>
#include <mach/std_types.h>
#include <mach/task_special_ports.h>

__BEGIN_DECLS

kern_return_t task_get_special_port(
	task_inspect_t task,
	int which_port,
	mach_port_t *special_port);

kern_return_t task_set_special_port(
	task_t task,
	int which_port,
	mach_port_t special_port);

__END_DECLS

#endif /* _task_user_ */
