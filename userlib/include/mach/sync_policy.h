/* SPDX-License-Identifier: MIT */
/*
 * machipc - Mach IPC for Linux
 * <mach/sync_policy.h>: wait-queue policies of synchronizers
 * (semaphore_create).
 */
#ifndef _MACH_SYNC_POLICY_H_
#define _MACH_SYNC_POLICY_H_

typedef int sync_policy_t;

/* The order in which waiters are woken. */
#define SYNC_POLICY_FIFO                0x0
#define SYNC_POLICY_FIXED_PRIORITY      0x1     /* refused by semaphore_create */
#define SYNC_POLICY_REVERSED            0x2
#define SYNC_POLICY_ORDER_MASK          0x3
#define SYNC_POLICY_LIFO                (SYNC_POLICY_FIFO | SYNC_POLICY_REVERSED)

/* The largest policy value semaphore_create accepts. */
#define SYNC_POLICY_MAX                 0x7

#endif /* _MACH_SYNC_POLICY_H_ */
