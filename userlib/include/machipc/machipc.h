/* SPDX-License-Identifier: MIT */
/*
 * machipc extensions of the Mach library: access to the /dev/mach
 * descriptor behind the standard Mach API.
 */
#ifndef _MACHIPC_MACHIPC_H
#define _MACHIPC_MACHIPC_H

#include <stdint.h>
#include <mach/kern_return.h>
#include <mach/port.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The process's /dev/mach descriptor, opened on first use (and again in a
 * child after fork, since a task belongs to one process). -1 with errno
 * set if the device cannot be opened or speaks another ABI version.
 */
int machipc_fd(void);

/*
 * Whether the descriptor is opened with O_CLOEXEC. Off by default, so the
 * task (and its IPC space) survives exec as in XNU; also settable with the
 * environment variable MACHIPC_CLOEXEC=1. Takes effect at the next open.
 */
void machipc_set_cloexec(int on);

/*
 * ABI handshake: stores the module's ABI version in *module_abi (if not
 * NULL); KERN_SUCCESS if it is the one this library was built for,
 * KERN_NOT_SUPPORTED if not, KERN_FAILURE if /dev/mach cannot be opened.
 */
kern_return_t machipc_abi_version(uint32_t *module_abi);

/* Maps an errno from a /dev/mach ioctl to a kern_return_t. */
kern_return_t machipc_errno_to_kr(int err);

/*
 * Makes the send right `port` (copied, the caller keeps it) the system
 * bootstrap port: the TASK_BOOTSTRAP_PORT of every task created from then
 * on whose process has no Mach ancestor (a task with one still starts with
 * its nearest Mach ancestor's). MACH_PORT_NULL clears it. For the bootstrap
 * server (machipc-bootstrapd); needs CAP_SYS_ADMIN: KERN_NO_ACCESS
 * otherwise. A module without the call answers KERN_INVALID_ARGUMENT.
 */
kern_return_t machipc_set_system_bootstrap(mach_port_t port);

#ifdef __cplusplus
}
#endif

#endif /* _MACHIPC_MACHIPC_H */
