/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/task.h>: task interface (MIG subsystem task, 3400; the subset
 * implemented by machipc).
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
#include <mach/task_info.h>
#include <mach/mach_param.h>

__BEGIN_DECLS

kern_return_t task_get_special_port(
	task_inspect_t task,
	int which_port,
	mach_port_t *special_port);

kern_return_t task_set_special_port(
	task_t task,
	int which_port,
	mach_port_t special_port);

/* Send rights to every thread of the task, in a vm_allocate'd array. */
kern_return_t task_threads(
	task_inspect_t target_task,
	thread_act_array_t *act_list,
	mach_msg_type_number_t *act_listCnt);

/* Replaces the task's registered ports (at most TASK_PORT_REGISTER_MAX). */
kern_return_t mach_ports_register(
	task_t target_task,
	mach_port_array_t init_port_set,
	mach_msg_type_number_t init_port_setCnt);

/* The task's registered ports: always TASK_PORT_REGISTER_MAX entries,
 * MACH_PORT_NULL where none is set, in a vm_allocate'd array. */
kern_return_t mach_ports_lookup(
	task_t target_task,
	mach_port_array_t *init_port_set,
	mach_msg_type_number_t *init_port_setCnt);

/* Information about the task (<mach/task_info.h>); accepts a task name port. */
kern_return_t task_info(
	task_name_t target_task,
	task_flavor_t flavor,
	task_info_t task_info_out,
	mach_msg_type_number_t *task_info_outCnt);

/* A new semaphore owned by task, with `value` counts (<mach/semaphore.h>). */
kern_return_t semaphore_create(
	task_t task,
	semaphore_t *semaphore,
	int policy,
	int value);

/* Destroys a semaphore of task: waiters get KERN_TERMINATED. Consumes
 * the caller's send right to it (MOVE_SEND). */
kern_return_t semaphore_destroy(
	task_t task,
	semaphore_t semaphore);

__END_DECLS

#endif /* _task_user_ */
