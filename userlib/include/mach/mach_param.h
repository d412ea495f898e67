/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/mach_param.h>: kernel parameters user code can see.
 */
#ifndef _MACH_MACH_PARAM_H_
#define _MACH_MACH_PARAM_H_

/* Slots of mach_ports_register / mach_ports_lookup. */
#define TASK_PORT_REGISTER_MAX  3

#endif /* _MACH_MACH_PARAM_H_ */
