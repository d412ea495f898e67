/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/thread_special_ports.h>: selectors for
 * thread_{get,set}_special_port. These are NOT port names.
 */
#ifndef _MACH_THREAD_SPECIAL_PORTS_H_
#define _MACH_THREAD_SPECIAL_PORTS_H_

#define THREAD_KERNEL_PORT      1       /* the thread's port for the outside world */

#define thread_get_kernel_port(thread, port)    \
	(thread_get_special_port((thread), THREAD_KERNEL_PORT, (port)))

#define thread_set_kernel_port(thread, port)    \
	(thread_set_special_port((thread), THREAD_KERNEL_PORT, (port)))

#endif /* _MACH_THREAD_SPECIAL_PORTS_H_ */
