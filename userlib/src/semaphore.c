// SPDX-License-Identifier: MIT
/*
 * Mach semaphores: the traps (MACHIPC_IOC_PORT_OP ops on the semaphore's
 * name) and semaphore_create / semaphore_destroy (MIG routines 3418 and
 * 3419 of the task subsystem, sent to the owning task's port).
 *
 * As on macOS, a wait interrupted by a signal returns KERN_ABORTED to the
 * caller; nothing here retries it.
 */
#include <errno.h>

#include "internal.h"

#include <mach/semaphore.h>
#include <mach/task.h>

#define SEMAPHORE_CREATE_ID     3418
#define SEMAPHORE_DESTROY_ID    3419

/* One semaphore op. A signal that interrupts the ioctl itself is KERN_ABORTED. */
static kern_return_t sem_op(uint32_t op, mach_port_name_t name, uint32_t arg, uint64_t v0,
			    uint64_t v1)
{
	struct machipc_port_op o = {
		.op = op, .task = MACH_PORT_NULL, .name = name, .arg = arg, .val = { v0, v1 },
	};
	int err = machipc_ioctl(MACHIPC_IOC_PORT_OP, &o);

	if (err == EINTR)
		return KERN_ABORTED;
	return err ? machipc_errno_to_kr(err) : o.kr;
}

/* The seconds and (signed) nanoseconds of a timed wait, as the trap takes them. */
#define TS_SEC(sec)     ((uint64_t)(unsigned int)(sec))
#define TS_NSEC(nsec)   ((uint64_t)(int64_t)(clock_res_t)(nsec))

kern_return_t semaphore_signal_trap(mach_port_name_t signal_name)
{
	return sem_op(MACHIPC_OP_SEMAPHORE_SIGNAL, signal_name, 0, 0, 0);
}

kern_return_t semaphore_signal_all_trap(mach_port_name_t signal_name)
{
	return sem_op(MACHIPC_OP_SEMAPHORE_SIGNAL_ALL, signal_name, 0, 0, 0);
}

kern_return_t semaphore_signal_thread_trap(mach_port_name_t signal_name,
					   mach_port_name_t thread_name)
{
	return sem_op(MACHIPC_OP_SEMAPHORE_SIGNAL_THREAD, signal_name, thread_name, 0, 0);
}

kern_return_t semaphore_wait_trap(mach_port_name_t wait_name)
{
	return sem_op(MACHIPC_OP_SEMAPHORE_WAIT, wait_name, 0, 0, 0);
}

kern_return_t semaphore_wait_signal_trap(mach_port_name_t wait_name, mach_port_name_t signal_name)
{
	return sem_op(MACHIPC_OP_SEMAPHORE_WAIT_SIGNAL, wait_name, signal_name, 0, 0);
}

kern_return_t semaphore_timedwait_trap(mach_port_name_t wait_name, unsigned int sec,
				       clock_res_t nsec)
{
	return sem_op(MACHIPC_OP_SEMAPHORE_TIMEDWAIT, wait_name, 0, TS_SEC(sec), TS_NSEC(nsec));
}

kern_return_t semaphore_timedwait_signal_trap(mach_port_name_t wait_name,
					      mach_port_name_t signal_name, unsigned int sec,
					      clock_res_t nsec)
{
	return sem_op(MACHIPC_OP_SEMAPHORE_TIMEDWAIT_SIGNAL, wait_name, signal_name, TS_SEC(sec),
		      TS_NSEC(nsec));
}

kern_return_t semaphore_signal(semaphore_t semaphore)
{
	return semaphore_signal_trap(semaphore);
}

kern_return_t semaphore_signal_all(semaphore_t semaphore)
{
	return semaphore_signal_all_trap(semaphore);
}

kern_return_t semaphore_signal_thread(semaphore_t semaphore, thread_t thread)
{
	return semaphore_signal_thread_trap(semaphore, thread);
}

kern_return_t semaphore_wait(semaphore_t semaphore)
{
	return semaphore_wait_trap(semaphore);
}

kern_return_t semaphore_timedwait(semaphore_t semaphore, mach_timespec_t wait_time)
{
	return semaphore_timedwait_trap(semaphore, wait_time.tv_sec, wait_time.tv_nsec);
}

kern_return_t semaphore_wait_signal(semaphore_t wait_semaphore, semaphore_t signal_semaphore)
{
	return semaphore_wait_signal_trap(wait_semaphore, signal_semaphore);
}

kern_return_t semaphore_timedwait_signal(semaphore_t wait_semaphore,
					 semaphore_t signal_semaphore, mach_timespec_t wait_time)
{
	return semaphore_timedwait_signal_trap(wait_semaphore, signal_semaphore,
					       wait_time.tv_sec, wait_time.tv_nsec);
}

#pragma pack(push, 4)
/* semaphore_create: {Head; NDR; policy; value} -> {Head; body; port semaphore}. */
typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	int policy;
	int value;
} sem_create_req_t;

typedef struct {
	mach_msg_header_t Head;
	mach_msg_body_t msgh_body;
	mach_msg_port_descriptor_t semaphore;
} sem_create_rep_t;

/* semaphore_destroy: {Head; body; port semaphore (MOVE_SEND)} -> error reply. */
typedef struct {
	mach_msg_header_t Head;
	mach_msg_body_t msgh_body;
	mach_msg_port_descriptor_t semaphore;
} sem_destroy_req_t;
#pragma pack(pop)

kern_return_t semaphore_create(task_t task, semaphore_t *semaphore, int policy, int value)
{
	union {
		sem_create_req_t in;
		sem_create_rep_t out;
		mig_reply_error_t err;
		char room[sizeof(sem_create_rep_t) + MAX_TRAILER_SIZE];
	} m;
	static const struct machipc_reply_shape shape = {
		sizeof(sem_create_rep_t), sizeof(sem_create_rep_t), 1,
	};
	kern_return_t kr;

	m.in.NDR = NDR_record;
	m.in.policy = policy;
	m.in.value = value;
	kr = machipc_rpc(&m.in.Head, FALSE, task, MACH_MSG_TYPE_COPY_SEND, SEMAPHORE_CREATE_ID,
			 sizeof(m.in), &shape);
	if (kr != KERN_SUCCESS)
		return kr;
	if (!machipc_port_desc_ok(&m.out.semaphore))
		return machipc_rpc_bad_reply(&m.out.Head);
	*semaphore = m.out.semaphore.name;
	return KERN_SUCCESS;
}

kern_return_t semaphore_destroy(task_t task, semaphore_t semaphore)
{
	union {
		sem_destroy_req_t in;
		mig_reply_error_t out;
		char room[sizeof(mig_reply_error_t) + MAX_TRAILER_SIZE];
	} m;
	static const struct machipc_reply_shape shape = {
		MACHIPC_ERROR_REPLY_SIZE, MACHIPC_ERROR_REPLY_SIZE, 0,
	};

	m.in.msgh_body.msgh_descriptor_count = 1;
	machipc_set_port_desc(&m.in.semaphore, semaphore, MACH_MSG_TYPE_MOVE_SEND);
	return machipc_rpc(&m.in.Head, TRUE, task, MACH_MSG_TYPE_COPY_SEND, SEMAPHORE_DESTROY_ID,
			   sizeof(m.in), &shape);
}
