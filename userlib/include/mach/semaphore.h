/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/semaphore.h>: Mach semaphores (kernel objects named by ports,
 * made by semaphore_create() in <mach/task.h>). A send right can be given
 * to another task, which can then signal and wait on the same semaphore.
 *
 * Results: KERN_SUCCESS; KERN_TERMINATED once the semaphore is destroyed
 * (waiters are woken with it); KERN_ABORTED when a signal interrupts a
 * wait; KERN_OPERATION_TIMED_OUT when a timed wait expires;
 * KERN_INVALID_VALUE for a bad timespec; KERN_INVALID_NAME,
 * KERN_INVALID_RIGHT or KERN_INVALID_CAPABILITY for a name that is not a
 * send right to a semaphore.
 */
#ifndef _MACH_SEMAPHORE_H_
#define _MACH_SEMAPHORE_H_

#include <mach/port.h>
#include <mach/mach_types.h>
#include <mach/kern_return.h>
#include <mach/sync_policy.h>
#include <mach/clock_types.h>

#include <sys/cdefs.h>

__BEGIN_DECLS

/* Wakes one waiter, or counts the signal if there is none. */
extern kern_return_t semaphore_signal(semaphore_t semaphore);

/* Wakes every waiter; with none, changes nothing. */
extern kern_return_t semaphore_signal_all(semaphore_t semaphore);

/* Takes a count, waiting for one if there is none. */
extern kern_return_t semaphore_wait(semaphore_t semaphore);

/* semaphore_wait for at most wait_time ({0, 0}: do not wait). */
extern kern_return_t semaphore_timedwait(semaphore_t semaphore, mach_timespec_t wait_time);

/* Signals signal_semaphore and waits on wait_semaphore, atomically. */
extern kern_return_t semaphore_wait_signal(semaphore_t wait_semaphore,
					   semaphore_t signal_semaphore);

extern kern_return_t semaphore_timedwait_signal(semaphore_t wait_semaphore,
						semaphore_t signal_semaphore,
						mach_timespec_t wait_time);

/* Wakes `thread` if it waits on the semaphore (THREAD_NULL: any one
 * waiter); KERN_NOT_WAITING if it does not. Never counts the signal. */
extern kern_return_t semaphore_signal_thread(semaphore_t semaphore, thread_t thread);

__END_DECLS

#endif /* _MACH_SEMAPHORE_H_ */
