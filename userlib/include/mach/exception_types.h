/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/exception_types.h>: exception types, masks, behaviours and the
 * data types of exception messages (exc.defs, mach_exc.defs).
 */
#ifndef _MACH_EXCEPTION_TYPES_H_
#define _MACH_EXCEPTION_TYPES_H_

#include <stdint.h>
#include <mach/port.h>
#include <mach/thread_status.h>

#define EXC_BAD_ACCESS          1       /* could not access memory */
#define EXC_BAD_INSTRUCTION     2       /* instruction failed */
#define EXC_ARITHMETIC          3       /* arithmetic exception */
#define EXC_EMULATION           4       /* emulation instruction */
#define EXC_SOFTWARE            5       /* software generated exception */
#define EXC_BREAKPOINT          6       /* trace, breakpoint, etc. */
#define EXC_SYSCALL             7       /* system calls */
#define EXC_MACH_SYSCALL        8       /* Mach system calls */
#define EXC_RPC_ALERT           9       /* RPC alert */
#define EXC_CRASH               10      /* abnormal process exit */
#define EXC_RESOURCE            11      /* hit resource consumption limit */
#define EXC_GUARD               12      /* violated guarded resource protections */
#define EXC_CORPSE_NOTIFY       13      /* abnormal process exited to corpse state */

/* Behaviours. */
#define EXCEPTION_DEFAULT               1       /* send catch_exception_raise */
#define EXCEPTION_STATE                 2       /* send catch_exception_raise_state */
#define EXCEPTION_STATE_IDENTITY        3       /* send catch_exception_raise_state_identity */
#define MACH_EXCEPTION_CODES            0x80000000      /* 64-bit codes */

/* Masks. */
#define EXC_MASK_BAD_ACCESS             (1 << EXC_BAD_ACCESS)
#define EXC_MASK_BAD_INSTRUCTION        (1 << EXC_BAD_INSTRUCTION)
#define EXC_MASK_ARITHMETIC             (1 << EXC_ARITHMETIC)
#define EXC_MASK_EMULATION              (1 << EXC_EMULATION)
#define EXC_MASK_SOFTWARE               (1 << EXC_SOFTWARE)
#define EXC_MASK_BREAKPOINT             (1 << EXC_BREAKPOINT)
#define EXC_MASK_SYSCALL                (1 << EXC_SYSCALL)
#define EXC_MASK_MACH_SYSCALL           (1 << EXC_MACH_SYSCALL)
#define EXC_MASK_RPC_ALERT              (1 << EXC_RPC_ALERT)
#define EXC_MASK_CRASH                  (1 << EXC_CRASH)
#define EXC_MASK_RESOURCE               (1 << EXC_RESOURCE)
#define EXC_MASK_GUARD                  (1 << EXC_GUARD)
#define EXC_MASK_CORPSE_NOTIFY          (1 << EXC_CORPSE_NOTIFY)

#define EXC_MASK_ALL    (EXC_MASK_BAD_ACCESS |                  \
	                 EXC_MASK_BAD_INSTRUCTION |             \
	                 EXC_MASK_ARITHMETIC |                  \
	                 EXC_MASK_EMULATION |                   \
	                 EXC_MASK_SOFTWARE |                    \
	                 EXC_MASK_BREAKPOINT |                  \
	                 EXC_MASK_SYSCALL |                     \
	                 EXC_MASK_MACH_SYSCALL |                \
	                 EXC_MASK_RPC_ALERT |                   \
	                 EXC_MASK_RESOURCE |                    \
	                 EXC_MASK_GUARD)

#define EXC_MASK_VALID  (EXC_MASK_ALL | EXC_MASK_CRASH | EXC_MASK_CORPSE_NOTIFY)

#define FIRST_EXCEPTION         1       /* zero is illegal */

#define EXC_SOFT_SIGNAL         0x10003 /* Unix signal exceptions */

#define EXC_MACF_MIN            0x20000 /* MACF exceptions */
#define EXC_MACF_MAX            0x2FFFF

typedef int                             exception_type_t;
typedef integer_t                       exception_data_type_t;
typedef int64_t                         mach_exception_data_type_t;
typedef int                             exception_behavior_t;
typedef exception_data_type_t           *exception_data_t;
typedef mach_exception_data_type_t      *mach_exception_data_t;
typedef unsigned int                    exception_mask_t;
typedef exception_mask_t                *exception_mask_array_t;
typedef exception_behavior_t            *exception_behavior_array_t;
typedef thread_state_flavor_t           *exception_flavor_array_t;
typedef mach_port_t                     *exception_port_array_t;
typedef mach_exception_data_type_t      mach_exception_code_t;
typedef mach_exception_data_type_t      mach_exception_subcode_t;

#endif /* _MACH_EXCEPTION_TYPES_H_ */
