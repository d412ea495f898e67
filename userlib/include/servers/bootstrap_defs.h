/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <servers/bootstrap_defs.h>: the types, limits and return codes of the
 * bootstrap server interface (<servers/bootstrap.h>), with the macOS names
 * and values.
 */
#ifndef _BOOTSTRAP_DEFS_H_
#define _BOOTSTRAP_DEFS_H_

#include <stdint.h>
#include <mach/boolean.h>

#define BOOTSTRAP_MAX_NAME_LEN          128
#define BOOTSTRAP_MAX_CMD_LEN           512

typedef char name_t[BOOTSTRAP_MAX_NAME_LEN];
typedef char cmd_t[BOOTSTRAP_MAX_CMD_LEN];
typedef name_t *name_array_t;
typedef int bootstrap_status_t;
typedef bootstrap_status_t *bootstrap_status_array_t;
typedef unsigned int bootstrap_property_t;
typedef bootstrap_property_t *bootstrap_property_array_t;
typedef boolean_t *bool_array_t;

/* Most names one bootstrap_look_up_array() takes. */
#define BOOTSTRAP_MAX_LOOKUP_COUNT      20

/* Return codes (kern_return_t values). */
#define BOOTSTRAP_SUCCESS               0
#define BOOTSTRAP_NOT_PRIVILEGED        1100
#define BOOTSTRAP_NAME_IN_USE           1101
#define BOOTSTRAP_UNKNOWN_SERVICE       1102
#define BOOTSTRAP_SERVICE_ACTIVE        1103
#define BOOTSTRAP_BAD_COUNT             1104
#define BOOTSTRAP_NO_MEMORY             1105
#define BOOTSTRAP_NO_CHILDREN           1106

/* bootstrap_status() */
#define BOOTSTRAP_STATUS_INACTIVE       0
#define BOOTSTRAP_STATUS_ACTIVE         1
#define BOOTSTRAP_STATUS_ON_DEMAND      2

/* Flags of bootstrap_register2() and bootstrap_look_up2() (launchd's). */
#define BOOTSTRAP_PER_PID_SERVICE       (1 << 0)
#define BOOTSTRAP_ALLOW_LOOKUP          (1 << 1)
#define BOOTSTRAP_DENY_JOB_CREATION     (1 << 2)
#define BOOTSTRAP_PRIVILEGED_SERVER     (1 << 3)
#define BOOTSTRAP_FORCE_LOCAL           (1 << 4)

/* bootstrap_lookup_children() properties. */
#define BOOTSTRAP_PROPERTY_EXPLICITSUBSET (1 << 0)      /* made by bootstrap_subset() */

#endif /* _BOOTSTRAP_DEFS_H_ */
