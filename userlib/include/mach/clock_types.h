/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/clock_types.h>: clock identifiers, attributes and
 * mach_timespec_t (clock_get_time, semaphore_timedwait).
 */
#ifndef _MACH_CLOCK_TYPES_H_
#define _MACH_CLOCK_TYPES_H_

#include <stdint.h>
#include <mach/time_value.h>

typedef int     alarm_type_t;           /* alarm time type */
typedef int     sleep_type_t;           /* sleep time type */
typedef int     clock_id_t;             /* clock identifier */
typedef int     clock_flavor_t;         /* clock attribute flavor */
typedef int     *clock_attr_t;          /* clock attribute */
typedef int     clock_res_t;            /* clock resolution, nanoseconds */

/* A time: seconds and nanoseconds. */
struct mach_timespec {
	unsigned int    tv_sec;         /* seconds */
	clock_res_t     tv_nsec;        /* nanoseconds */
};
typedef struct mach_timespec    mach_timespec_t;

/* host_get_clock_service() clocks. */
#define SYSTEM_CLOCK            0       /* time since boot (mach_absolute_time's base) */
#define CALENDAR_CLOCK          1       /* wall-clock time */

#define REALTIME_CLOCK          0

/* clock_get_attributes() flavors. */
#define CLOCK_GET_TIME_RES      1       /* resolution of clock_get_time */
/*                              2          was the resolution of map_time */
#define CLOCK_ALARM_CURRES      3       /* current alarm resolution */
#define CLOCK_ALARM_MINRES      4       /* shortest alarm resolution */
#define CLOCK_ALARM_MAXRES      5       /* longest alarm resolution */

#define NSEC_PER_USEC   1000ull         /* nanoseconds per microsecond */
#define USEC_PER_SEC    1000000ull      /* microseconds per second */
#define NSEC_PER_SEC    1000000000ull   /* nanoseconds per second */
#define NSEC_PER_MSEC   1000000ull      /* nanoseconds per millisecond */

/* A timespec the kernel refuses (KERN_INVALID_VALUE). */
#define BAD_MACH_TIMESPEC(t)                                            \
	((t)->tv_nsec < 0 || (t)->tv_nsec >= (long)NSEC_PER_SEC)

/* t1 <=> t2; also t1 - t2 in nanoseconds, at most one second either way. */
#define CMP_MACH_TIMESPEC(t1, t2)                                       \
	((t1)->tv_sec > (t2)->tv_sec ? (long) +NSEC_PER_SEC :           \
	 ((t1)->tv_sec < (t2)->tv_sec ? (long) -NSEC_PER_SEC :          \
	  (t1)->tv_nsec - (t2)->tv_nsec))

/* t1 += t2 */
#define ADD_MACH_TIMESPEC(t1, t2)                                       \
	do {                                                            \
		if (((t1)->tv_nsec += (t2)->tv_nsec) >= (long)NSEC_PER_SEC) { \
			(t1)->tv_nsec -= (long)NSEC_PER_SEC;            \
			(t1)->tv_sec += 1;                              \
		}                                                       \
		(t1)->tv_sec += (t2)->tv_sec;                           \
	} while (0)

/* t1 -= t2 */
#define SUB_MACH_TIMESPEC(t1, t2)                                       \
	do {                                                            \
		if (((t1)->tv_nsec -= (t2)->tv_nsec) < 0) {             \
			(t1)->tv_nsec += (long)NSEC_PER_SEC;            \
			(t1)->tv_sec -= 1;                              \
		}                                                       \
		(t1)->tv_sec -= (t2)->tv_sec;                           \
	} while (0)

/* Alarm types. */
#define ALRMTYPE                0xff    /* type (an 8-bit field) */
#define TIME_ABSOLUTE           0x00    /* absolute time */
#define TIME_RELATIVE           0x01    /* relative time */

#define BAD_ALRMTYPE(t)         (((t) & ~TIME_RELATIVE) != 0)

#endif /* _MACH_CLOCK_TYPES_H_ */
