/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/machine/thread_status.h>: the x86 thread state flavors (the
 * flavors that exception ports are registered with).
 */
#ifndef _MACH_I386_THREAD_STATUS_H_
#define _MACH_I386_THREAD_STATUS_H_

#define x86_THREAD_STATE32      1
#define x86_FLOAT_STATE32       2
#define x86_EXCEPTION_STATE32   3
#define x86_THREAD_STATE64      4
#define x86_FLOAT_STATE64       5
#define x86_EXCEPTION_STATE64   6
#define x86_THREAD_STATE        7
#define x86_FLOAT_STATE         8
#define x86_EXCEPTION_STATE     9
#define x86_DEBUG_STATE32       10
#define x86_DEBUG_STATE64       11
#define x86_DEBUG_STATE         12
#define THREAD_STATE_NONE       13
/* 14 and 15 are the kernel's saved states */
#define x86_AVX_STATE32         16
#define x86_AVX_STATE64         17
#define x86_AVX_STATE           18

/* A flavor the exception-port calls accept (others: KERN_INVALID_ARGUMENT). */
#define VALID_THREAD_STATE_FLAVOR(x)            \
	((x) == x86_THREAD_STATE32 ||           \
	 (x) == x86_FLOAT_STATE32 ||            \
	 (x) == x86_EXCEPTION_STATE32 ||        \
	 (x) == x86_DEBUG_STATE32 ||            \
	 (x) == x86_THREAD_STATE64 ||           \
	 (x) == x86_FLOAT_STATE64 ||            \
	 (x) == x86_EXCEPTION_STATE64 ||        \
	 (x) == x86_DEBUG_STATE64 ||            \
	 (x) == x86_THREAD_STATE ||             \
	 (x) == x86_FLOAT_STATE ||              \
	 (x) == x86_EXCEPTION_STATE ||          \
	 (x) == x86_DEBUG_STATE ||              \
	 (x) == x86_AVX_STATE32 ||              \
	 (x) == x86_AVX_STATE64 ||              \
	 (x) == x86_AVX_STATE ||                \
	 (x) == THREAD_STATE_NONE)

#endif /* _MACH_I386_THREAD_STATUS_H_ */
