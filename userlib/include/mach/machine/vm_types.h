/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/machine/vm_types.h>: machine-dependent VM / integer types
 * (x86_64 / LP64 layout of macOS).
 */
#ifndef _MACH_MACHINE_VM_TYPES_H_
#define _MACH_MACHINE_VM_TYPES_H_

#include <stdint.h>

#ifndef _MACH_I386_VM_TYPES_H_
#define _MACH_I386_VM_TYPES_H_

typedef unsigned int    natural_t;
typedef int             integer_t;

#ifdef __LP64__
typedef uintptr_t       vm_offset_t;
typedef uintptr_t       vm_size_t;
#else
typedef natural_t       vm_offset_t;
typedef natural_t       vm_size_t;
#endif

typedef uint64_t        mach_vm_address_t;
typedef uint64_t        mach_vm_offset_t;
typedef uint64_t        mach_vm_size_t;

typedef uint64_t        vm_map_offset_t;
typedef uint64_t        vm_map_address_t;
typedef uint64_t        vm_map_size_t;

typedef mach_vm_address_t mach_port_context_t;

#endif /* _MACH_I386_VM_TYPES_H_ */

#endif /* _MACH_MACHINE_VM_TYPES_H_ */
