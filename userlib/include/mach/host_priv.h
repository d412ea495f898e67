/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/host_priv.h>: privileged host interface (the subset implemented
 * by machipc).
 */
#ifndef _host_priv_user_
#define _host_priv_user_

#include <sys/cdefs.h>
#include <mach/ndr.h>
#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <mach/notify.h>
#include <mach/mach_types.h>
#include <mach/message.h>
#include <mach/mig_errors.h>
#include <mach/std_types.h>
#include <mach/host_special_ports.h>

__BEGIN_DECLS

kern_return_t host_get_special_port(
	host_priv_t host_priv,
	int node,
	int which,
	mach_port_t *port);

kern_return_t host_set_special_port(
	host_priv_t host_priv,
	int which,
	mach_port_t port);

__END_DECLS

#endif /* _host_priv_user_ */
