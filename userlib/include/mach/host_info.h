/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/host_info.h>: the flavors of host_info(), host_statistics() and
 * host_statistics64() and their structures (XNU's values and layouts).
 */
#ifndef _MACH_HOST_INFO_H_
#define _MACH_HOST_INFO_H_

#include <mach/message.h>
#include <mach/vm_statistics.h>
#include <mach/machine.h>
#include <mach/machine/vm_types.h>
#include <mach/time_value.h>

#include <sys/cdefs.h>

typedef integer_t       *host_info_t;           /* a varying array of int */
typedef integer_t       *host_info64_t;         /* a varying array of int */

#define HOST_INFO_MAX   (1024)                  /* largest array */
typedef integer_t       host_info_data_t[HOST_INFO_MAX];

#define KERNEL_VERSION_MAX (512)
typedef char    kernel_version_t[KERNEL_VERSION_MAX];

#define KERNEL_BOOT_INFO_MAX (4096)
typedef char    kernel_boot_info_t[KERNEL_BOOT_INFO_MAX];

/* host_info() flavors. */
typedef integer_t       host_flavor_t;
#define HOST_BASIC_INFO         1       /* basic information */
#define HOST_SCHED_INFO         3       /* scheduling information */
#define HOST_RESOURCE_SIZES     4       /* kernel structure sizes */
#define HOST_PRIORITY_INFO      5       /* priorities */
#define HOST_SEMAPHORE_TRAPS    7       /* has the semaphore traps */
#define HOST_MACH_MSG_TRAP      8       /* has mach_msg_trap */
#define HOST_VM_PURGABLE        9       /* purgeable memory information */
#define HOST_DEBUG_INFO_INTERNAL 10     /* kernel development only */

#pragma pack(push, 4)

struct host_basic_info {
	integer_t               max_cpus;               /* CPUs possible */
	integer_t               avail_cpus;             /* CPUs available now */
	natural_t               memory_size;            /* bytes of memory, capped at 2 GB */
	cpu_type_t              cpu_type;               /* CPU type */
	cpu_subtype_t           cpu_subtype;            /* CPU subtype */
	cpu_threadtype_t        cpu_threadtype;         /* CPU thread type */
	integer_t               physical_cpu;           /* physical CPUs available now */
	integer_t               physical_cpu_max;       /* physical CPUs possible */
	integer_t               logical_cpu;            /* logical CPUs available now */
	integer_t               logical_cpu_max;        /* logical CPUs possible */
	uint64_t                max_mem;                /* bytes of physical memory */
};

#pragma pack(pop)

typedef struct host_basic_info  host_basic_info_data_t;
typedef struct host_basic_info  *host_basic_info_t;
#define HOST_BASIC_INFO_COUNT   ((mach_msg_type_number_t) \
	(sizeof(host_basic_info_data_t) / sizeof(integer_t)))

struct host_sched_info {
	integer_t       min_timeout;    /* shortest timeout, milliseconds */
	integer_t       min_quantum;    /* shortest quantum, milliseconds */
};

typedef struct host_sched_info  host_sched_info_data_t;
typedef struct host_sched_info  *host_sched_info_t;
#define HOST_SCHED_INFO_COUNT   ((mach_msg_type_number_t) \
	(sizeof(host_sched_info_data_t) / sizeof(integer_t)))

struct kernel_resource_sizes {
	natural_t       task;
	natural_t       thread;
	natural_t       port;
	natural_t       memory_region;
	natural_t       memory_object;
};

typedef struct kernel_resource_sizes    kernel_resource_sizes_data_t;
typedef struct kernel_resource_sizes    *kernel_resource_sizes_t;
#define HOST_RESOURCE_SIZES_COUNT       ((mach_msg_type_number_t) \
	(sizeof(kernel_resource_sizes_data_t) / sizeof(integer_t)))

struct host_priority_info {
	integer_t       kernel_priority;
	integer_t       system_priority;
	integer_t       server_priority;
	integer_t       user_priority;
	integer_t       depress_priority;
	integer_t       idle_priority;
	integer_t       minimum_priority;
	integer_t       maximum_priority;
};

typedef struct host_priority_info       host_priority_info_data_t;
typedef struct host_priority_info       *host_priority_info_t;
#define HOST_PRIORITY_INFO_COUNT        ((mach_msg_type_number_t) \
	(sizeof(host_priority_info_data_t) / sizeof(integer_t)))

/* host_statistics() flavors. */
#define HOST_LOAD_INFO          1       /* load averages */
#define HOST_VM_INFO            2       /* virtual memory statistics */
#define HOST_CPU_LOAD_INFO      3       /* CPU ticks per state */

/* host_statistics64() flavors. */
#define HOST_VM_INFO64          4       /* 64-bit virtual memory statistics */
#define HOST_EXTMOD_INFO64      5       /* external modification statistics */
#define HOST_EXPIRED_TASK_INFO  6       /* statistics of expired tasks */

struct host_load_info {
	integer_t       avenrun[3];     /* scaled by LOAD_SCALE */
	integer_t       mach_factor[3]; /* scaled by LOAD_SCALE */
};

typedef struct host_load_info   host_load_info_data_t;
typedef struct host_load_info   *host_load_info_t;
#define HOST_LOAD_INFO_COUNT    ((mach_msg_type_number_t) \
	(sizeof(host_load_info_data_t) / sizeof(integer_t)))

typedef struct vm_purgeable_info        host_purgable_info_data_t;
typedef struct vm_purgeable_info        *host_purgable_info_t;
#define HOST_VM_PURGABLE_COUNT  ((mach_msg_type_number_t) \
	(sizeof(host_purgable_info_data_t) / sizeof(integer_t)))

/* vm_statistics64 (<mach/vm_statistics.h>). */
#define HOST_VM_INFO64_COUNT    ((mach_msg_type_number_t) \
	(sizeof(vm_statistics64_data_t) / sizeof(integer_t)))
#define HOST_VM_INFO64_LATEST_COUNT     HOST_VM_INFO64_COUNT
#define HOST_VM_INFO64_REV1_COUNT       HOST_VM_INFO64_LATEST_COUNT
/* Revision 1 added the compressor and swapper counters (14 ints). */
#define HOST_VM_INFO64_REV0_COUNT       ((mach_msg_type_number_t) \
	(HOST_VM_INFO64_REV1_COUNT - 14))

/* vm_extmod_statistics (<mach/vm_statistics.h>). */
#define HOST_EXTMOD_INFO64_COUNT        ((mach_msg_type_number_t) \
	(sizeof(vm_extmod_statistics_data_t) / sizeof(integer_t)))
#define HOST_EXTMOD_INFO64_LATEST_COUNT HOST_EXTMOD_INFO64_COUNT

/* vm_statistics (<mach/vm_statistics.h>). */
#define HOST_VM_INFO_COUNT      ((mach_msg_type_number_t) \
	(sizeof(vm_statistics_data_t) / sizeof(integer_t)))
#define HOST_VM_INFO_LATEST_COUNT       HOST_VM_INFO_COUNT
#define HOST_VM_INFO_REV2_COUNT         HOST_VM_INFO_LATEST_COUNT
/* Revision 2 added speculative_count (1 int), revision 1 the purgeable
 * counters (2 ints). */
#define HOST_VM_INFO_REV1_COUNT ((mach_msg_type_number_t) (HOST_VM_INFO_REV2_COUNT - 1))
#define HOST_VM_INFO_REV0_COUNT ((mach_msg_type_number_t) (HOST_VM_INFO_REV1_COUNT - 2))

struct host_cpu_load_info {             /* ticks spent... */
	natural_t       cpu_ticks[CPU_STATE_MAX];       /* ...in each CPU_STATE_* */
};

typedef struct host_cpu_load_info       host_cpu_load_info_data_t;
typedef struct host_cpu_load_info       *host_cpu_load_info_t;
#define HOST_CPU_LOAD_INFO_COUNT        ((mach_msg_type_number_t) \
	(sizeof(host_cpu_load_info_data_t) / sizeof(integer_t)))

#if !defined(__cplusplus) && defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
_Static_assert(sizeof(struct host_basic_info) == 48 && HOST_BASIC_INFO_COUNT == 12,
	       "host_basic_info layout");
_Static_assert(HOST_SCHED_INFO_COUNT == 2 && HOST_PRIORITY_INFO_COUNT == 8 &&
	       HOST_VM_INFO_COUNT == 15 && HOST_VM_INFO_REV0_COUNT == 12 &&
	       HOST_VM_INFO64_COUNT == 38 && HOST_VM_INFO64_REV0_COUNT == 24 &&
	       HOST_CPU_LOAD_INFO_COUNT == 4 && HOST_LOAD_INFO_COUNT == 6,
	       "host_info counts");
#endif

#endif /* _MACH_HOST_INFO_H_ */
