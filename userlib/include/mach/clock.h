/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/clock.h>: the clock interface (MIG subsystem clock, 1000), on the
 * clock service ports of host_get_clock_service().
 */
#ifndef _clock_user_
#define _clock_user_

#include <sys/cdefs.h>
#include <mach/ndr.h>
#include <mach/boolean.h>
#include <mach/kern_return.h>
#include <mach/notify.h>
#include <mach/mach_types.h>
#include <mach/message.h>
#include <mach/mig_errors.h>
#include <mach/port.h>
#include <mach/clock_types.h>

__BEGIN_DECLS

/* The clock's time: since boot (SYSTEM_CLOCK) or wall-clock (CALENDAR_CLOCK). */
kern_return_t clock_get_time(
	clock_serv_t clock_serv,
	mach_timespec_t *cur_time);

/* An attribute of the clock (CLOCK_GET_TIME_RES, CLOCK_ALARM_*); *count is 1. */
kern_return_t clock_get_attributes(
	clock_serv_t clock_serv,
	clock_flavor_t flavor,
	clock_attr_t clock_attr,
	mach_msg_type_number_t *clock_attrCnt);

__END_DECLS

#endif /* _clock_user_ */
