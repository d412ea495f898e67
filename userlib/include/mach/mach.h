/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/mach.h>: everything a normal user of Mach programs should need.
 */
#ifndef _MACH_H_
#define _MACH_H_

#define __MACH30__
#define MACH_IPC_FLAVOR UNTYPED

#include <mach/std_types.h>
#include <mach/mach_types.h>
#include <mach/mach_interface.h>
#include <mach/mach_port.h>
#include <mach/mach_init.h>
#include <mach/mach_host.h>

#include <mach/mig_errors.h>
#include <mach/mach_error.h>

#include <sys/cdefs.h>

__BEGIN_DECLS

extern void                     mig_reply_setup(mach_msg_header_t *,
	                                        mach_msg_header_t *);

extern void                     mach_msg_destroy(mach_msg_header_t *);

extern mach_msg_return_t        mach_msg_receive(mach_msg_header_t *);

extern mach_msg_return_t        mach_msg_send(mach_msg_header_t *);

extern mach_msg_return_t        mach_msg_server_once(boolean_t (*)
	                                             (mach_msg_header_t *,
	                                              mach_msg_header_t *),
	                                             mach_msg_size_t,
	                                             mach_port_t,
	                                             mach_msg_options_t);
extern mach_msg_return_t        mach_msg_server(boolean_t (*)
	                                        (mach_msg_header_t *,
	                                         mach_msg_header_t *),
	                                        mach_msg_size_t,
	                                        mach_port_t,
	                                        mach_msg_options_t);

__END_DECLS

#endif /* _MACH_H_ */
