// SPDX-License-Identifier: MIT
/*
 * What libsyscall's mach_init.c does: mach_task_self_ and bootstrap_port,
 * set up before main() (a constructor opens /dev/mach) and again in a
 * child after fork (the child is a new task with a new space), and the
 * self traps.
 */
#include <errno.h>
#include <stddef.h>

#include "internal.h"

mach_port_t mach_task_self_ = MACH_PORT_NULL;
mach_port_t bootstrap_port = MACH_PORT_NULL;

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
	machipc_rpc_reset();
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

/* machipc's system bootstrap port (<machipc/machipc.h>). */
kern_return_t machipc_set_system_bootstrap(mach_port_t port)
{
	return machipc_op(MACHIPC_OP_SET_SYSTEM_BOOTSTRAP, MACH_PORT_NULL, port, 0, 0, 0, NULL);
}
