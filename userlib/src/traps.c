// SPDX-License-Identifier: MIT
/*
 * The Mach traps that name kernel objects, as MACHIPC_IOC_PORT_OP ops:
 * mach_reply_port, thread_self_trap (mach_thread_self), task_for_pid,
 * task_name_for_pid, pid_for_task; and mach_task_is_self.
 *
 * As the XNU traps do, the calls that return a name always store one:
 * MACH_PORT_NULL when they fail (pid_for_task stores -1).
 */
#include <string.h>
#include <unistd.h>

#include "internal.h"

#include <mach/task.h>
#include <mach/task_info.h>

/* A name-returning op: the name, or MACH_PORT_NULL (and *kr) on failure. */
static mach_port_name_t name_op(uint32_t op, mach_port_name_t task, uint32_t arg,
				kern_return_t *kr_out)
{
	struct machipc_port_op o;
	kern_return_t kr = machipc_op(op, task, MACH_PORT_NULL, arg, 0, 0, &o);

	if (kr_out)
		*kr_out = kr;
	return kr == KERN_SUCCESS ? o.name : MACH_PORT_NULL;
}

/*
 * A fresh receive right, with no send rights. A module older than the
 * trap (it answers the unknown op with KERN_INVALID_ARGUMENT) gets the
 * same right from mach_port_allocate.
 */
mach_port_name_t mach_reply_port(void)
{
	kern_return_t kr;
	mach_port_name_t name = name_op(MACHIPC_OP_REPLY_PORT, MACH_PORT_NULL, 0, &kr);

	if (kr == KERN_INVALID_ARGUMENT || kr == KERN_NOT_SUPPORTED) {
		if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &name) !=
		    KERN_SUCCESS)
			name = MACH_PORT_NULL;
	}
	return name;
}

/* A send right to the calling thread's port: one more uref on each call. */
mach_port_name_t thread_self_trap(void)
{
	return name_op(MACHIPC_OP_THREAD_SELF, MACH_PORT_NULL, 0, NULL);
}

mach_port_t mach_thread_self(void)
{
	return thread_self_trap();
}

kern_return_t task_for_pid(mach_port_name_t target_tport, int pid, mach_port_name_t *t)
{
	kern_return_t kr;
	mach_port_name_t name = name_op(MACHIPC_OP_TASK_FOR_PID, target_tport, (uint32_t)pid, &kr);

	if (t)
		*t = name;
	return kr;
}

kern_return_t task_name_for_pid(mach_port_name_t target_tport, int pid, mach_port_name_t *tn)
{
	kern_return_t kr;
	mach_port_name_t name =
		name_op(MACHIPC_OP_TASK_NAME_FOR_PID, target_tport, (uint32_t)pid, &kr);

	if (tn)
		*tn = name;
	return kr;
}

kern_return_t pid_for_task(mach_port_name_t t, int *x)
{
	struct machipc_port_op o;
	kern_return_t kr = machipc_op(MACHIPC_OP_PID_FOR_TASK, t, MACH_PORT_NULL, 0, 0, 0, &o);

	if (x)
		*x = kr == KERN_SUCCESS ? (int)(int64_t)o.val[0] : -1;
	return kr;
}

/* XNU's IKOT_TASK and IKOT_TASK_NAME (osfmk/kern/ipc_kobject.h). */
#define KOBJECT_TASK            2
#define KOBJECT_TASK_NAME       20

/*
 * Whether `task` (a task port or a task name port) names the calling
 * task. Our own task port is recognised by its name. Any other name must
 * be a send right to a task or task name port (so that no request is ever
 * sent to a port some task serves, which might never answer); it is
 * compared by the audit token task_info reports for it, which holds the
 * pid and the pid version, so a dead task or another process with a
 * reused pid never matches.
 */
boolean_t mach_task_is_self(task_name_t task)
{
	audit_token_t mine, theirs;
	mach_msg_type_number_t n;
	unsigned type = 0, addr = 0;

	if (task == mach_task_self_)
		return TRUE;
	if (!MACH_PORT_VALID(task))
		return FALSE;
	if (mach_port_kernel_object(mach_task_self_, task, &type, &addr) != KERN_SUCCESS ||
	    (type != KOBJECT_TASK && type != KOBJECT_TASK_NAME))
		return FALSE;
	n = TASK_AUDIT_TOKEN_COUNT;
	if (task_info(task, TASK_AUDIT_TOKEN, (task_info_t)&theirs, &n) != KERN_SUCCESS ||
	    n != TASK_AUDIT_TOKEN_COUNT)
		return FALSE;
	n = TASK_AUDIT_TOKEN_COUNT;
	if (task_info(mach_task_self_, TASK_AUDIT_TOKEN, (task_info_t)&mine, &n) != KERN_SUCCESS ||
	    n != TASK_AUDIT_TOKEN_COUNT)
		return FALSE;
	return memcmp(&mine, &theirs, sizeof(mine)) == 0;
}
