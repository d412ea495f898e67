/* SPDX-License-Identifier: MIT */
/* libmach internals: the ioctl calls behind the Mach API. */
#ifndef _LIBMACH_INTERNAL_H
#define _LIBMACH_INTERNAL_H

#include <stdint.h>

#include <mach/mach.h>
#include <machipc/machipc.h>
#include "machipc.h"

/*
 * The lead's ABI (uapi/machipc.h of the kernel branch) has this op; the
 * header of this branch does not yet. Same value; remove once merged.
 */
#ifndef MACHIPC_OP_SET_SYSTEM_BOOTSTRAP
#define MACHIPC_OP_SET_SYSTEM_BOOTSTRAP 33
#endif

/* Runs one MACHIPC_IOC_PORT_OP; the Mach result, or the errno mapped. */
kern_return_t machipc_port_op(struct machipc_port_op *o);

/* Shorthand: op on (task, name, arg, v0, v1); results in *o if not NULL. */
kern_return_t machipc_op(uint32_t op, mach_port_name_t task, mach_port_name_t name,
			 uint32_t arg, uint64_t v0, uint64_t v1, struct machipc_port_op *o);

/* Runs an ioctl on the process's descriptor; 0 or the errno. */
int machipc_ioctl(unsigned long cmd, void *arg);

/* (Re)initialises mach_task_self_, bootstrap_port (after open or fork). */
void machipc_init_self(void);

/* Forgets the thread's MIG reply port (a forked child's is the parent's). */
void machipc_mig_reset(void);

#endif
