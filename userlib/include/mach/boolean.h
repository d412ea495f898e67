/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/boolean.h>: boolean_t, TRUE, FALSE (values and types as in XNU).
 */
#ifndef _MACH_BOOLEAN_H_
#define _MACH_BOOLEAN_H_

#ifndef _MACH_MACHINE_BOOLEAN_H_
#define _MACH_MACHINE_BOOLEAN_H_
#if defined(__x86_64__)
typedef unsigned int    boolean_t;      /* x86_64 user space, as on macOS */
#else
typedef int             boolean_t;
#endif
#endif /* _MACH_MACHINE_BOOLEAN_H_ */

#ifndef TRUE
#define TRUE    1
#endif
#ifndef FALSE
#define FALSE   0
#endif

#endif /* _MACH_BOOLEAN_H_ */
