// SPDX-License-Identifier: MIT
/*
 * Time: mach_absolute_time and friends (local, on the Linux clocks), and
 * the clock routines (clock subsystem, 1000) on the clock ports of
 * host_get_clock_service: clock_get_time (1000), clock_get_attributes
 * (1001).
 *
 * As on x86 macOS, absolute time is in nanoseconds (time base 1/1):
 * mach_absolute_time is CLOCK_MONOTONIC, which does not advance while the
 * machine is suspended; mach_continuous_time is CLOCK_BOOTTIME, which does.
 */
#include <errno.h>
#include <time.h>

#include "internal.h"

#include <mach/clock.h>
#include <mach/mach_time.h>

#define CLOCK_GET_TIME_ID       1000
#define CLOCK_GET_ATTRIBUTES_ID 1001

/* clock_attr_t as MIG declares it: array[*:1] of int. */
#define CLOCK_ATTR_MIG_MAX      1

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

uint64_t mach_absolute_time(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

/* The same clock as of the last tick: cheaper, a tick behind at most. */
uint64_t mach_approximate_time(void)
{
	return clock_ns(CLOCK_MONOTONIC_COARSE);
}

uint64_t mach_continuous_time(void)
{
	return clock_ns(CLOCK_BOOTTIME);
}

/* Linux has no coarse CLOCK_BOOTTIME: the precise one. */
uint64_t mach_continuous_approximate_time(void)
{
	return clock_ns(CLOCK_BOOTTIME);
}

/* As XNU's trap on x86: {1, 1}, and always KERN_SUCCESS. */
kern_return_t mach_timebase_info_trap(struct mach_timebase_info *info)
{
	if (info) {
		info->numer = 1;
		info->denom = 1;
	}
	return KERN_SUCCESS;
}

kern_return_t mach_timebase_info(mach_timebase_info_t info)
{
	return mach_timebase_info_trap(info);
}

/* Sleeps until mach_absolute_time() >= deadline; a signal: KERN_ABORTED. */
kern_return_t mach_wait_until_trap(uint64_t deadline)
{
	struct timespec ts = {
		.tv_sec = (time_t)(deadline / NSEC_PER_SEC),
		.tv_nsec = (long)(deadline % NSEC_PER_SEC),
	};
	int err = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);

	return err == EINTR ? KERN_ABORTED : KERN_SUCCESS;
}

kern_return_t mach_wait_until(uint64_t deadline)
{
	return mach_wait_until_trap(deadline);
}

#pragma pack(push, 4)
typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	kern_return_t RetCode;
	mach_timespec_t cur_time;
} clock_get_time_rep_t;
#pragma pack(pop)

kern_return_t clock_get_time(clock_serv_t clock_serv, mach_timespec_t *cur_time)
{
	union {
		empty_req_t in;
		clock_get_time_rep_t out;
		char room[sizeof(clock_get_time_rep_t) + MAX_TRAILER_SIZE];
	} m;
	static const struct machipc_reply_shape shape = {
		sizeof(clock_get_time_rep_t), sizeof(clock_get_time_rep_t), 0,
	};
	kern_return_t kr = machipc_rpc(&m.in.Head, FALSE, clock_serv, MACH_MSG_TYPE_COPY_SEND,
				       CLOCK_GET_TIME_ID, sizeof(m.in), &shape);

	if (kr != KERN_SUCCESS)
		return kr;
	*cur_time = m.out.cur_time;
	return KERN_SUCCESS;
}

kern_return_t clock_get_attributes(clock_serv_t clock_serv, clock_flavor_t flavor,
				   clock_attr_t clock_attr, mach_msg_type_number_t *clock_attrCnt)
{
	return machipc_rpc_flavor_info(clock_serv, CLOCK_GET_ATTRIBUTES_ID, flavor, clock_attr,
				       clock_attrCnt, CLOCK_ATTR_MIG_MAX);
}
