/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/interface_types.h>: the C data types of the Mach interfaces that
 * <mach/mach_types.defs> names (XNU spreads them over task_info.h,
 * thread_info.h, host_info.h, processor_info.h, vm_region.h, policy.h,
 * memory_object_types.h, clock_types.h and mach_voucher_types.h). Included
 * by <mach/mach_types.h>, so MIG-generated stubs that use them compile.
 */
#ifndef _MACH_INTERFACE_TYPES_H_
#define _MACH_INTERFACE_TYPES_H_

#include <stdint.h>
#include <mach/port.h>
#include <mach/machine/vm_types.h>

/* Flavoured info arrays: a flavor and an array of integers. */
typedef natural_t       task_flavor_t;
typedef integer_t       *task_info_t;
typedef natural_t       task_policy_flavor_t;
typedef integer_t       *task_policy_t;
typedef natural_t       thread_flavor_t;
typedef integer_t       *thread_info_t;
typedef natural_t       thread_policy_flavor_t;
typedef integer_t       *thread_policy_t;
typedef integer_t       host_flavor_t;
typedef integer_t       *host_info_t;
typedef integer_t       *host_info64_t;
typedef int             processor_flavor_t;
typedef integer_t       *processor_info_t;
typedef integer_t       *processor_info_array_t;
typedef int             processor_set_flavor_t;
typedef integer_t       *processor_set_info_t;

#define TASK_INFO_MAX           (87)
#define THREAD_INFO_MAX         (32)
#define HOST_INFO_MAX           (1024)
#define PROCESSOR_INFO_MAX      (1024)
#define PROCESSOR_SET_INFO_MAX  (1024)

typedef integer_t       task_info_data_t[TASK_INFO_MAX];
typedef integer_t       thread_info_data_t[THREAD_INFO_MAX];
typedef integer_t       host_info_data_t[HOST_INFO_MAX];
typedef integer_t       processor_info_data_t[PROCESSOR_INFO_MAX];
typedef integer_t       processor_set_info_data_t[PROCESSOR_SET_INFO_MAX];

/* Purgeable memory of a task (task_purgable_info). */
typedef struct vm_purgeable_stat {
	uint64_t        count;
	uint64_t        size;
} vm_purgeable_stat_t;

struct vm_purgeable_info {
	vm_purgeable_stat_t fifo_data[8];
	vm_purgeable_stat_t obsolete_data;
	vm_purgeable_stat_t lifo_data[8];
};
typedef struct vm_purgeable_info task_purgable_info_t;

/* Scheduling policies. */
typedef int             policy_t;
typedef integer_t       *policy_info_t;
typedef integer_t       *policy_base_t;
typedef integer_t       *policy_limit_t;

/* Virtual memory. */
typedef int             vm_prot_t;
typedef unsigned int    vm_inherit_t;
typedef int             vm_purgable_t;
typedef int             vm_behavior_t;
typedef unsigned int    vm_machine_attribute_t;
typedef int             vm_machine_attribute_val_t;
typedef unsigned int    vm_sync_t;
typedef int             vm_region_flavor_t;
typedef int             *vm_region_info_t;
typedef int             *vm_region_recurse_info_t;
typedef int             vm_page_info_flavor_t;
typedef int             *vm_page_info_t;
typedef uint32_t        vm32_offset_t;
typedef uint32_t        vm32_address_t;
typedef uint32_t        vm32_size_t;

/* Memory objects. */
typedef unsigned long long      memory_object_offset_t;
typedef unsigned long long      memory_object_size_t;
typedef natural_t               memory_object_cluster_size_t;
typedef mach_port_t             memory_object_t;
typedef mach_port_t             memory_object_control_t;
typedef mach_port_t             memory_object_name_t;
typedef mach_port_t             memory_object_default_t;
typedef int                     memory_object_copy_strategy_t;
typedef int                     memory_object_return_t;
typedef int                     memory_object_flavor_t;
typedef int                     *memory_object_info_t;

/* Time and clocks. */
typedef struct time_value {
	integer_t seconds;
	integer_t microseconds;
} time_value_t;

typedef int     clock_res_t;
typedef int     alarm_type_t;
typedef int     clock_flavor_t;
typedef int     *clock_attr_t;

typedef struct mach_timespec {
	unsigned int    tv_sec;
	clock_res_t     tv_nsec;
} mach_timespec_t;

/* Strings of the host interface. */
typedef char    kernel_version_t[512];
typedef char    kernel_boot_info_t[4096];
typedef char    *inline_existence_map_t;

/* Vouchers. */
typedef mach_port_t     mach_voucher_t;
typedef mach_port_name_t mach_voucher_name_t;
typedef mach_port_t     ipc_voucher_t;
typedef mach_port_t     ipc_voucher_attr_control_t;
typedef mach_port_t     mach_voucher_attr_manager_t;
typedef mach_port_t     mach_voucher_attr_control_t;
typedef uint32_t        mach_voucher_selector_t;
typedef uint32_t        mach_voucher_attr_key_t;
typedef uint32_t        mach_voucher_attr_command_t;
typedef uint32_t        mach_voucher_attr_recipe_command_t;
typedef uint32_t        mach_voucher_attr_content_size_t;
typedef uint8_t         *mach_voucher_attr_content_t;
typedef uint8_t         *mach_voucher_attr_content_array_t;
typedef uint32_t        mach_voucher_attr_raw_recipe_size_t;
typedef uint8_t         *mach_voucher_attr_raw_recipe_t;
typedef uint8_t         *mach_voucher_attr_raw_recipe_array_t;
typedef uint64_t        mach_voucher_attr_value_handle_t;
typedef mach_voucher_attr_value_handle_t *mach_voucher_attr_value_handle_array_t;
typedef uint32_t        mach_voucher_attr_value_reference_t;

/* Port contexts of either width. */
typedef uint32_t        mach_port_context32_t;
typedef uint64_t        mach_port_context64_t;

#endif /* _MACH_INTERFACE_TYPES_H_ */
