/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/thread_status.h>: thread state, as exception messages carry it.
 * machipc has no thread control calls; the types are for MIG interfaces
 * (mach_exc.defs and the like) that pass thread state as data.
 */
#ifndef _MACH_THREAD_STATUS_H_
#define _MACH_THREAD_STATUS_H_

#include <mach/machine/vm_types.h>

/* Largest thread state, in natural_t (x86_64 with AVX-512, macOS 10.13+). */
#define THREAD_STATE_MAX        (614)
#define THREAD_MACHINE_STATE_MAX THREAD_STATE_MAX

typedef natural_t       *thread_state_t;        /* variable-length array */
typedef natural_t       thread_state_data_t[THREAD_STATE_MAX];

#define THREAD_STATE_FLAVOR_LIST        0       /* list of valid flavors */
#define THREAD_STATE_FLAVOR_LIST_NEW    128
#define THREAD_STATE_FLAVOR_LIST_10_9   129

typedef int                     thread_state_flavor_t;
typedef thread_state_flavor_t   *thread_state_flavor_array_t;

#endif /* _MACH_THREAD_STATUS_H_ */
