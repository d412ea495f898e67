/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach_debug/mach_debug_types.h>: types of the Mach debugging interfaces
 * (included by MIG-generated stubs through <mach/mach_types.defs>).
 */
#ifndef _MACH_DEBUG_MACH_DEBUG_TYPES_H_
#define _MACH_DEBUG_MACH_DEBUG_TYPES_H_

#include <mach_debug/ipc_info.h>

/* Name of a symbol in a kernel symbol table. */
typedef char symtab_name_t[32];

/* Description of a kernel object, as mach_port_kobject_description returns. */
#define KOBJECT_DESCRIPTION_LENGTH 512
typedef char kobject_description_t[KOBJECT_DESCRIPTION_LENGTH];

#endif /* _MACH_DEBUG_MACH_DEBUG_TYPES_H_ */
