/* SPDX-License-Identifier: MIT */
/*
 * machipc extensions of the Mach library: access to the /dev/mach
 * descriptor behind the standard Mach API.
 */
#ifndef _MACHIPC_MACHIPC_H
#define _MACHIPC_MACHIPC_H

#include <stdint.h>
#include <mach/kern_return.h>
#include <mach/message.h>
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
 * Pollable ports and port sets.
 *
 * mach_port_get_fd: a new descriptor for `name`, a receive right or a port
 * set in `task`'s space, stored in *fd. poll/select/epoll report it
 * readable (POLLIN) while a message is queued on the port, or on any member
 * of the set, and POLLHUP once the port or set is gone from that space (its
 * name destroyed, or the receive right moved away). It grants nothing but
 * that readiness: passing it to another process gives no right, it never
 * keeps the port or set alive, and closing it does nothing to the port.
 * It does not receive: after a readiness report, receive with mach_msg
 * (MACH_RCV_TIMEOUT 0: another receiver may have taken the message first).
 * Each call returns a new descriptor, opened close-on-exec.
 *
 * Returns KERN_SUCCESS or the module's error, e.g. KERN_INVALID_NAME or
 * KERN_INVALID_RIGHT (not a receive right or port set), KERN_INVALID_TASK,
 * KERN_RESOURCE_SHORTAGE (no descriptor left), or KERN_NOT_SUPPORTED when
 * the machipc module has no pollable ports (a module that predates the
 * call answers KERN_INVALID_ARGUMENT, the code of an unknown op).
 */
kern_return_t mach_port_get_fd(mach_port_t task, mach_port_name_t name, int *fd);

/*
 * The EVFILT_MACHPORT pattern without kqueue. On macOS an event loop adds
 * a port set to its kqueue with EVFILT_MACHPORT; kevent() reports it when a
 * message is queued and then, as XNU's filt_machport does, either tells
 * which member port has a message (its name in the event's data) or, with
 * MACH_RCV_MSG in the filter flags, receives the message into the buffer
 * the event names. Here the loop waits on the descriptor of
 * mach_port_get_fd (machipc_epoll_add_port adds it to an epoll instance)
 * and, when it is reported readable, calls machipc_machport_event, which
 * does what kevent does for the filter. It never waits.
 *
 * `option` is the filter's fflags: MACH_RCV_MSG, MACH_RCV_LARGE,
 * MACH_RCV_LARGE_IDENTITY and the trailer request (other bits are ignored,
 * as in XNU).
 *  - Without MACH_RCV_MSG nothing is received: *data is set to the name of
 *    the port that has a message (for a set, the member's name), which
 *    stays queued. msg and rcv_size are not used (may be NULL, 0).
 *  - With MACH_RCV_MSG the first message is received into msg (room for
 *    rcv_size bytes, message and trailer) with the other options, and
 *    *data is MACH_PORT_NULL, or, for MACH_RCV_TOO_LARGE with
 *    MACH_RCV_LARGE_IDENTITY, the name of the port whose message is too
 *    large (with MACH_RCV_LARGE it stays queued and msg->msgh_size tells
 *    the room it needs, trailer not included).
 * Returns MACH_MSG_SUCCESS for an event, MACH_RCV_TIMED_OUT when there is
 * none (nothing queued any more: another receiver was first; wait again),
 * MACH_RCV_INVALID_NAME or MACH_RCV_PORT_DIED when the port or set is gone
 * (kevent's EV_EOF), or the receive's error (e.g. MACH_RCV_TOO_LARGE).
 */
mach_msg_return_t machipc_machport_event(mach_port_name_t name, mach_msg_option_t option,
					 mach_msg_header_t *msg, mach_msg_size_t rcv_size,
					 mach_port_name_t *data);

/*
 * EV_ADD and EV_DELETE of that pattern: machipc_epoll_add_port gets a
 * descriptor for `name` (mach_port_get_fd on our own task) and adds it to
 * the epoll instance `epfd`, level-triggered, for EPOLLIN with `udata` as
 * the event's data.u64; the descriptor is stored in *fd. Close it (or call
 * machipc_epoll_del_port) to stop watching. Returns what mach_port_get_fd
 * does, or KERN_INVALID_ARGUMENT if epoll_ctl refuses epfd (errno tells
 * why; the new descriptor is closed again).
 */
kern_return_t machipc_epoll_add_port(int epfd, mach_port_name_t name, uint64_t udata, int *fd);

/* Removes the descriptor `fd` from `epfd` and closes it. KERN_SUCCESS, or
 * KERN_INVALID_ARGUMENT if either is not a valid descriptor (errno set). */
kern_return_t machipc_epoll_del_port(int epfd, int fd);

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
