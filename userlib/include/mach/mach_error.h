/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/mach_error.h>: printable descriptions of Mach error codes.
 */
#ifndef _MACH_ERROR_
#define _MACH_ERROR_    1

#include <sys/cdefs.h>
#include <mach/error.h>

__BEGIN_DECLS

/* Returns a string appropriate to the error argument given. */
char *mach_error_string(mach_error_t error_value);

/* Prints an appropriate message on the standard error stream. */
void mach_error(const char *str, mach_error_t error_value);

/* Returns a string with the error system, subsystem and code. */
char *mach_error_type(mach_error_t error_value);

__END_DECLS

#endif /* _MACH_ERROR_ */
