/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/mach_host.h>: host interface.  (On macOS host_{get,set}_special_port
 * live in <mach/host_priv.h>, which is included here.)
 */
#ifndef _mach_host_user_
#define _mach_host_user_

#include <sys/cdefs.h>
#include <mach/ndr.h>
#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <mach/notify.h>
#include <mach/mach_types.h>
#include <mach/message.h>
#include <mach/mig_errors.h>
#include <mach/std_types.h>
#include <mach/host_priv.h>

__BEGIN_DECLS

extern mach_port_t mach_host_self(void);

__END_DECLS

#endif /* _mach_host_user_ */
