/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/processor_info.h>: the flavors of processor_info(),
 * processor_set_info() and processor_set_statistics() and their
 * structures (XNU's values and layouts).
 */
#ifndef _MACH_PROCESSOR_INFO_H_
#define _MACH_PROCESSOR_INFO_H_

#include <mach/message.h>
#include <mach/machine.h>

typedef integer_t       *processor_info_t;      /* a varying array of int */
typedef integer_t       *processor_info_array_t; /* a varying array of int */

#define PROCESSOR_INFO_MAX      (1024)          /* largest array */
typedef integer_t       processor_info_data_t[PROCESSOR_INFO_MAX];

typedef integer_t       *processor_set_info_t;  /* a varying array of int */

#define PROCESSOR_SET_INFO_MAX  (1024)          /* largest array */
typedef integer_t       processor_set_info_data_t[PROCESSOR_SET_INFO_MAX];

/* processor_info() flavors. */
typedef int     processor_flavor_t;
#define PROCESSOR_BASIC_INFO    1               /* basic information */
#define PROCESSOR_CPU_LOAD_INFO 2               /* ticks per CPU state */
#define PROCESSOR_PM_REGS_INFO  0x10000001      /* performance monitor registers */
#define PROCESSOR_TEMPERATURE   0x10000002      /* core temperature */

struct processor_basic_info {
	cpu_type_t      cpu_type;       /* CPU type */
	cpu_subtype_t   cpu_subtype;    /* CPU subtype */
	boolean_t       running;        /* the processor is running */
	int             slot_num;       /* slot number */
	boolean_t       is_master;      /* the boot processor */
};

typedef struct processor_basic_info     processor_basic_info_data_t;
typedef struct processor_basic_info     *processor_basic_info_t;
#define PROCESSOR_BASIC_INFO_COUNT      ((mach_msg_type_number_t) \
	(sizeof(processor_basic_info_data_t) / sizeof(natural_t)))

struct processor_cpu_load_info {                /* ticks spent... */
	unsigned int    cpu_ticks[CPU_STATE_MAX];       /* ...in each CPU_STATE_* */
};

typedef struct processor_cpu_load_info  processor_cpu_load_info_data_t;
typedef struct processor_cpu_load_info  *processor_cpu_load_info_t;
#define PROCESSOR_CPU_LOAD_INFO_COUNT   ((mach_msg_type_number_t) \
	(sizeof(processor_cpu_load_info_data_t) / sizeof(natural_t)))

/* The scale of load averages and Mach factors: LOAD_SCALE is 1.0. */
#define LOAD_SCALE      1000

/* processor_set_info() flavors. */
typedef int     processor_set_flavor_t;
#define PROCESSOR_SET_BASIC_INFO        5       /* basic information */

struct processor_set_basic_info {
	int             processor_count;        /* processors in the set */
	int             default_policy;         /* POLICY_TIMESHARE */
};

typedef struct processor_set_basic_info processor_set_basic_info_data_t;
typedef struct processor_set_basic_info *processor_set_basic_info_t;
#define PROCESSOR_SET_BASIC_INFO_COUNT  ((mach_msg_type_number_t) \
	(sizeof(processor_set_basic_info_data_t) / sizeof(natural_t)))

/* processor_set_statistics() flavor. */
#define PROCESSOR_SET_LOAD_INFO         4       /* scheduling statistics */

struct processor_set_load_info {
	int             task_count;     /* tasks */
	int             thread_count;   /* threads */
	integer_t       load_average;   /* scaled by LOAD_SCALE */
	integer_t       mach_factor;    /* scaled by LOAD_SCALE */
};

typedef struct processor_set_load_info  processor_set_load_info_data_t;
typedef struct processor_set_load_info  *processor_set_load_info_t;
#define PROCESSOR_SET_LOAD_INFO_COUNT   ((mach_msg_type_number_t) \
	(sizeof(processor_set_load_info_data_t) / sizeof(natural_t)))

#if !defined(__cplusplus) && defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
_Static_assert(PROCESSOR_BASIC_INFO_COUNT == 5 && PROCESSOR_CPU_LOAD_INFO_COUNT == 4 &&
	       PROCESSOR_SET_BASIC_INFO_COUNT == 2 && PROCESSOR_SET_LOAD_INFO_COUNT == 4,
	       "processor_info counts");
#endif

#endif /* _MACH_PROCESSOR_INFO_H_ */
