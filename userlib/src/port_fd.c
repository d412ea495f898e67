// SPDX-License-Identifier: MIT
/*
 * Pollable ports and port sets: mach_port_get_fd, and the EVFILT_MACHPORT
 * pattern on top of it (XNU's filt_machport, osfmk/ipc/ipc_pset.c) for
 * event loops without kqueue.
 */
#include <errno.h>
#include <limits.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "internal.h"

kern_return_t mach_port_get_fd(mach_port_t task, mach_port_name_t name, int *fd)
{
	struct machipc_port_op o;
	kern_return_t kr = machipc_op(MACHIPC_OP_PORT_FD, task, name, 0, 0, 0, &o);

	if (kr != KERN_SUCCESS)
		return kr;
	if (o.val[0] > INT_MAX)
		return KERN_FAILURE; /* not a descriptor: nothing was opened */
	*fd = (int)o.val[0];
	return KERN_SUCCESS;
}

mach_msg_return_t machipc_machport_event(mach_port_name_t name, mach_msg_option_t option,
					 mach_msg_header_t *msg, mach_msg_size_t rcv_size,
					 mach_port_name_t *data)
{
	mach_msg_option_t rcv = MACH_RCV_MSG | MACH_RCV_TIMEOUT |
				(option & (MACH_RCV_LARGE | MACH_RCV_LARGE_IDENTITY |
					   MACH_RCV_TRAILER_MASK));
	mach_msg_header_t peek;
	mach_msg_return_t mr;

	*data = MACH_PORT_NULL;
	if (!(option & MACH_RCV_MSG)) {
		/*
		 * As filt_machport: a receive into no room with MACH_RCV_LARGE
		 * leaves the message queued and reports it (the receiver's name
		 * with MACH_RCV_LARGE_IDENTITY), even for an empty message,
		 * which needs room for its trailer.
		 */
		peek = (mach_msg_header_t){ 0 };
		mr = mach_msg(&peek,
			      MACH_RCV_MSG | MACH_RCV_TIMEOUT | MACH_RCV_LARGE | MACH_RCV_LARGE_IDENTITY,
			      0, sizeof(peek), name, 0, MACH_PORT_NULL);
		if (mr == MACH_RCV_TOO_LARGE) {
			*data = peek.msgh_local_port;
			return MACH_MSG_SUCCESS;
		}
		/* (No message fits in a bare header with its trailer.) */
		return mr;
	}
	mr = mach_msg(msg, rcv, 0, rcv_size, name, 0, MACH_PORT_NULL);
	if (mr == MACH_RCV_TOO_LARGE && (option & MACH_RCV_LARGE_IDENTITY) &&
	    (option & MACH_RCV_LARGE) && rcv_size >= sizeof(*msg))
		*data = msg->msgh_local_port;
	return mr;
}

kern_return_t machipc_epoll_add_port(int epfd, mach_port_name_t name, uint64_t udata, int *fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = udata };
	kern_return_t kr;
	int pfd;

	kr = mach_port_get_fd(mach_task_self(), name, &pfd);
	if (kr != KERN_SUCCESS)
		return kr;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, pfd, &ev) < 0) {
		int err = errno;

		close(pfd);
		errno = err;
		return KERN_INVALID_ARGUMENT;
	}
	*fd = pfd;
	return KERN_SUCCESS;
}

kern_return_t machipc_epoll_del_port(int epfd, int fd)
{
	int err = 0;

	if (epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL) < 0)
		err = errno;
	if (close(fd) < 0 && !err)
		err = errno;
	if (err) {
		errno = err;
		return KERN_INVALID_ARGUMENT;
	}
	return KERN_SUCCESS;
}
