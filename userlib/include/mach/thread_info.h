/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/thread_info.h>: the flavors of thread_info() and their structures
 * (XNU's values and layouts).
 */
#ifndef _MACH_THREAD_INFO_H_
#define _MACH_THREAD_INFO_H_

#include <mach/boolean.h>
#include <mach/policy.h>
#include <mach/time_value.h>
#include <mach/message.h>
#include <mach/machine/vm_types.h>

typedef natural_t       thread_flavor_t;
typedef integer_t       *thread_info_t;         /* a varying array of int */

#define THREAD_INFO_MAX         (32)            /* largest array */
typedef integer_t       thread_info_data_t[THREAD_INFO_MAX];

#define THREAD_BASIC_INFO       3               /* basic information */

struct thread_basic_info {
	time_value_t    user_time;      /* user run time */
	time_value_t    system_time;    /* system run time */
	integer_t       cpu_usage;      /* CPU usage, scaled by TH_USAGE_SCALE */
	policy_t        policy;         /* scheduling policy in effect */
	integer_t       run_state;      /* TH_STATE_* */
	integer_t       flags;          /* TH_FLAGS_* */
	integer_t       suspend_count;  /* the thread's suspend count */
	integer_t       sleep_time;     /* seconds asleep (always 0) */
};

typedef struct thread_basic_info        thread_basic_info_data_t;
typedef struct thread_basic_info        *thread_basic_info_t;
#define THREAD_BASIC_INFO_COUNT ((mach_msg_type_number_t) \
	(sizeof(thread_basic_info_data_t) / sizeof(natural_t)))

#define THREAD_IDENTIFIER_INFO  4               /* identifiers */

struct thread_identifier_info {
	uint64_t        thread_id;      /* system-wide unique 64-bit id */
	uint64_t        thread_handle;  /* pthread handle (TSD base) */
	uint64_t        dispatch_qaddr; /* libdispatch queue address */
};

typedef struct thread_identifier_info   thread_identifier_info_data_t;
typedef struct thread_identifier_info   *thread_identifier_info_t;
#define THREAD_IDENTIFIER_INFO_COUNT    ((mach_msg_type_number_t) \
	(sizeof(thread_identifier_info_data_t) / sizeof(natural_t)))

/* The scale of cpu_usage: TH_USAGE_SCALE is 100%. */
#define TH_USAGE_SCALE          1000

/* run_state. */
#define TH_STATE_RUNNING        1       /* running or runnable */
#define TH_STATE_STOPPED        2       /* stopped */
#define TH_STATE_WAITING        3       /* waiting, interruptibly */
#define TH_STATE_UNINTERRUPTIBLE 4      /* waiting, uninterruptibly */
#define TH_STATE_HALTED         5       /* halted at a clean point */

/* flags. */
#define TH_FLAGS_SWAPPED        0x1     /* no kernel stack */
#define TH_FLAGS_IDLE           0x2     /* an idle thread */
#define TH_FLAGS_GLOBAL_FORCED_IDLE 0x4 /* performs global forced idle */

#define THREAD_EXTENDED_INFO    5
#define MAXTHREADNAMESIZE       64
struct thread_extended_info {
	uint64_t        pth_user_time;          /* user run time */
	uint64_t        pth_system_time;        /* system run time */
	int32_t         pth_cpu_usage;          /* scaled CPU usage */
	int32_t         pth_policy;             /* scheduling policy in effect */
	int32_t         pth_run_state;          /* TH_STATE_* */
	int32_t         pth_flags;              /* TH_FLAGS_* */
	int32_t         pth_sleep_time;         /* seconds asleep */
	int32_t         pth_curpri;             /* current priority */
	int32_t         pth_priority;           /* priority */
	int32_t         pth_maxpriority;        /* maximum priority */
	char            pth_name[MAXTHREADNAMESIZE]; /* the thread's name */
};
typedef struct thread_extended_info     thread_extended_info_data_t;
typedef struct thread_extended_info     *thread_extended_info_t;
#define THREAD_EXTENDED_INFO_COUNT      ((mach_msg_type_number_t) \
	(sizeof(thread_extended_info_data_t) / sizeof(natural_t)))

#define THREAD_DEBUG_INFO_INTERNAL 6    /* kernel development only */

#define IO_NUM_PRIORITIES       4

struct io_stat_entry {
	uint64_t        count;
	uint64_t        size;
};

struct io_stat_info {
	struct io_stat_entry    disk_reads;
	struct io_stat_entry    io_priority[IO_NUM_PRIORITIES];
	struct io_stat_entry    paging;
	struct io_stat_entry    metadata;
	struct io_stat_entry    total_io;
};

typedef struct io_stat_info     *io_stat_info_t;

/* Obsolete flavors. */
#define THREAD_SCHED_TIMESHARE_INFO     10
#define THREAD_SCHED_RR_INFO            11
#define THREAD_SCHED_FIFO_INFO          12

#if !defined(__cplusplus) && defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
_Static_assert(sizeof(struct thread_basic_info) == 40 && THREAD_BASIC_INFO_COUNT == 10,
	       "thread_basic_info layout");
_Static_assert(sizeof(struct thread_identifier_info) == 24 && THREAD_IDENTIFIER_INFO_COUNT == 6,
	       "thread_identifier_info layout");
#endif

#endif /* _MACH_THREAD_INFO_H_ */
