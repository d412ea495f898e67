// SPDX-License-Identifier: MIT
/*
 * Tasks and hosts: mach_task_self_, bootstrap_port, the self traps and the
 * special ports.
 *
 * mach_task_self_ and bootstrap_port are variables, as on macOS, set up
 * before main() (a constructor opens /dev/mach) and again in a child
 * after fork (the child is a new task with a new space).
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "internal.h"

mach_port_t mach_task_self_ = MACH_PORT_NULL;
mach_port_t bootstrap_port = MACH_PORT_NULL;

kern_return_t machipc_port_op(struct machipc_port_op *o)
{
	int err = machipc_ioctl(MACHIPC_IOC_PORT_OP, o);

	return err ? machipc_errno_to_kr(err) : o->kr;
}

kern_return_t machipc_op(uint32_t op, mach_port_name_t task, mach_port_name_t name,
			 uint32_t arg, uint64_t v0, uint64_t v1, struct machipc_port_op *out)
{
	struct machipc_port_op o = {
		.op = op, .task = task, .name = name, .arg = arg, .val = { v0, v1 },
	};
	kern_return_t kr = machipc_port_op(&o);

	if (out)
		*out = o;
	return kr;
}

static mach_port_name_t self_op(uint32_t op)
{
	struct machipc_port_op o;

	if (machipc_op(op, MACH_PORT_NULL, MACH_PORT_NULL, 0, 0, 0, &o) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	return o.name;
}

mach_port_name_t task_self_trap(void)
{
	return self_op(MACHIPC_OP_TASK_SELF);
}

mach_port_name_t host_self_trap(void)
{
	return self_op(MACHIPC_OP_HOST_SELF);
}

mach_port_t mach_host_self(void)
{
	return host_self_trap();
}

void machipc_init_self(void)
{
	int saved = errno;

	machipc_mig_reset();
	mach_task_self_ = task_self_trap();
	bootstrap_port = MACH_PORT_NULL;
	if (mach_task_self_ != MACH_PORT_NULL)
		task_get_special_port(mach_task_self_, TASK_BOOTSTRAP_PORT, &bootstrap_port);
	errno = saved;
}

__attribute__((constructor)) static void libmach_init(void)
{
	machipc_init_self();
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

kern_return_t machipc_set_system_bootstrap(mach_port_t port)
{
	return machipc_op(MACHIPC_OP_SET_SYSTEM_BOOTSTRAP, MACH_PORT_NULL, port, 0, 0, 0, NULL);
}
