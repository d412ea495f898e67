/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach_debug/mach_debug_types.h>: types of the Mach debugging interfaces
 * (included by MIG-generated stubs through <mach/mach_types.defs>).
 */
#ifndef _MACH_DEBUG_MACH_DEBUG_TYPES_H_
#define _MACH_DEBUG_MACH_DEBUG_TYPES_H_

#include <stdint.h>
#include <mach_debug/ipc_info.h>

/*
 * Kernel zone, hash, VM and lock information (the layouts of XNU's
 * mach_debug headers; machipc's kernel does not report these, the types
 * are for interfaces that name them).
 */
typedef struct zone_name { char zn_name[80]; } zone_name_t;
typedef zone_name_t *zone_name_array_t;
typedef struct zone_info { integer_t zi_data[9]; } zone_info_t;
typedef zone_info_t *zone_info_array_t;
typedef struct mach_zone_name { char mzn_name[80]; } mach_zone_name_t;
typedef mach_zone_name_t *mach_zone_name_array_t;
typedef struct mach_zone_info_data { uint64_t mzi_data[8]; } mach_zone_info_t;
typedef mach_zone_info_t *mach_zone_info_array_t;
typedef struct task_zone_info_data { uint64_t tzi_data[11]; } task_zone_info_t;
typedef task_zone_info_t *task_zone_info_array_t;
typedef struct hash_info_bucket { natural_t hib_count; } hash_info_bucket_t;
typedef hash_info_bucket_t *hash_info_bucket_array_t;
typedef struct vm_info_region { natural_t vir_data[10]; } vm_info_region_t;
typedef struct vm_info_region_64 { natural_t vir_data[11]; } vm_info_region_64_t;
typedef struct mach_vm_info_region { natural_t vir_data[14]; } mach_vm_info_region_t;
typedef struct vm_info_object { natural_t vio_data[21]; } vm_info_object_t;
typedef vm_info_object_t *vm_info_object_array_t;
typedef integer_t *page_address_array_t;
typedef struct lockgroup_info { uint64_t lgi_data[33]; } lockgroup_info_t;
typedef lockgroup_info_t *lockgroup_info_array_t;
typedef struct mach_memory_info { uint64_t mmi_data[8]; } mach_memory_info_t;
typedef mach_memory_info_t *mach_memory_info_array_t;

/* Name of a symbol in a kernel symbol table. */
typedef char symtab_name_t[32];

/* Description of a kernel object, as mach_port_kobject_description returns. */
#define KOBJECT_DESCRIPTION_LENGTH 512
typedef char kobject_description_t[KOBJECT_DESCRIPTION_LENGTH];

#endif /* _MACH_DEBUG_MACH_DEBUG_TYPES_H_ */
