/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/mach_interface.h>: wraps up the per-subsystem interface headers.
 */
#ifndef _MACH_INTERFACE_H_
#define _MACH_INTERFACE_H_

#include <mach/host_priv.h>
#include <mach/mach_host.h>
#include <mach/processor.h>
#include <mach/processor_set.h>
#include <mach/semaphore.h>
#include <mach/task.h>
#include <mach/thread_act.h>
#include <mach/vm_map.h>

#endif /* _MACH_INTERFACE_H_ */
