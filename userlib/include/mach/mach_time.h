/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/mach_time.h>: absolute time. As on x86 macOS the time base is 1/1:
 * mach_absolute_time() counts nanoseconds (CLOCK_MONOTONIC here, which
 * stops while the machine is suspended); mach_continuous_time() keeps
 * counting during suspend (CLOCK_BOOTTIME).
 */
#ifndef _MACH_MACH_TIME_H_
#define _MACH_MACH_TIME_H_

#include <stdint.h>
#include <mach/mach_types.h>

#include <sys/cdefs.h>

struct mach_timebase_info {
	uint32_t        numer;
	uint32_t        denom;
};

typedef struct mach_timebase_info       *mach_timebase_info_t;
typedef struct mach_timebase_info       mach_timebase_info_data_t;

__BEGIN_DECLS

/* The ratio of absolute time units to nanoseconds: 1/1. */
kern_return_t           mach_timebase_info(mach_timebase_info_t info);

/* Sleeps until mach_absolute_time() reaches deadline; KERN_ABORTED if a
 * signal interrupts it (a handler installed with SA_RESTART makes Linux
 * resume the sleep instead). */
kern_return_t           mach_wait_until(uint64_t deadline);

uint64_t                mach_absolute_time(void);

/* mach_absolute_time(), cheaper and as of the last clock tick. */
uint64_t                mach_approximate_time(void);

/* Absolute time including time spent suspended. */
uint64_t                mach_continuous_time(void);

/* mach_continuous_time(), cheaper where the system can make it so. */
uint64_t                mach_continuous_approximate_time(void);

__END_DECLS

#endif /* _MACH_MACH_TIME_H_ */
