/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/mach_init.h>: Mach environment of a task (self ports).
 */
#ifndef _MACH_INIT_
#define _MACH_INIT_     1

#include <stdarg.h>
#include <sys/cdefs.h>
#include <mach/mach_types.h>
#include <mach/vm_page_size.h>

__BEGIN_DECLS

/* Kernel-related ports: how a task/thread controls itself. */
extern mach_port_t mach_host_self(void);
extern mach_port_t mach_thread_self(void);
extern boolean_t mach_task_is_self(task_name_t task);
extern kern_return_t host_page_size(host_t, vm_size_t *);

extern mach_port_t      mach_task_self_;
#define mach_task_self() mach_task_self_
#define current_task()  mach_task_self()

__END_DECLS
#include <mach/mach_traps.h>
__BEGIN_DECLS

/* Other important ports in the Mach user environment. */
extern mach_port_t      bootstrap_port;

/* Slots in the "mach_ports_register" collection. */
#define NAME_SERVER_SLOT        0
#define ENVIRONMENT_SLOT        1
#define SERVICE_SLOT            2

#define MACH_PORTS_SLOTS_USED   3

/* Output function used for Mach error messages (overridable). */
extern int (*vprintf_stderr_func)(const char *format, va_list ap)
	__attribute__((__format__(__printf__, 1, 0)));

__END_DECLS

#endif /* _MACH_INIT_ */
