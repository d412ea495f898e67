/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * machipc: Mach IPC for Linux -- the ioctl ABI of /dev/mach.
 *
 * This header is the single source of truth for the ABI. The kernel module
 * generates its Rust view of it with bindgen at build time and asserts that
 * its own mirror structs have the same size and field offsets.
 *
 * Rules: every struct has a fixed layout on 64-bit (explicit padding, no
 * implicit holes, sizes a multiple of 8), user pointers are __u64, every
 * ioctl is _IOWR on magic MACHIPC_IOC_MAGIC. An ioctl returns 0 when it ran
 * (the Mach result, KERN_SUCCESS or an error code, is in the struct's
 * `kr` field), or -1 with errno for a broken ioctl argument:
 * EFAULT (bad user pointer), EINVAL (malformed struct, non-zero reserved
 * field), ENOTTY (unknown ioctl), EPERM (the file belongs to another process).
 */
#ifndef _UAPI_MACHIPC_H
#define _UAPI_MACHIPC_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* Bumped on every incompatible change of this header. */
#define MACHIPC_ABI_VERSION 2

#define MACHIPC_IOC_MAGIC 0xB9

#define MACHIPC_DEVICE "/dev/mach"

/*
 * MACHIPC_IOC_VERSION: ABI handshake.
 * in:  abi_version = the caller's MACHIPC_ABI_VERSION.
 * out: abi_version = the module's MACHIPC_ABI_VERSION,
 *      compatible = 1 if the caller's version is one the module serves.
 */
struct machipc_version {
	__u32 abi_version;
	__u32 compatible;
	__u64 reserved[2];
};

#define MACHIPC_IOC_NR_VERSION 0x00

#define MACHIPC_IOC_VERSION \
	_IOWR(MACHIPC_IOC_MAGIC, MACHIPC_IOC_NR_VERSION, struct machipc_version)

/*
 * MACHIPC_IOC_PORT_OP: the mach_port_* calls and the special-port calls
 * that take and return a few scalars. `task` names the target task port
 * (or host port) in the caller's space; `name` is a name in the target's
 * space. Inputs and outputs per op:
 *
 *  op                      arg           val[0]          val[1]     out
 *  ALLOCATE                right         1: use `name`              name
 *  CONSTRUCT               MPO_* flags   context         qlimit     name
 *  DESTRUCT                              srdelta (s32)   guard
 *  DESTROY, DEALLOCATE
 *  GET_REFS                right                                    val[0] refs
 *  MOD_REFS                right         delta (s32)
 *  TYPE                                                             val[0] type
 *  INSERT_RIGHT            disposition   caller's name of the right
 *  EXTRACT_RIGHT           disposition                              val[0] name (caller's
 *                                                                   space), val[1] type
 *  INSERT_MEMBER,          port set name
 *  EXTRACT_MEMBER
 *  MOVE_MEMBER             after (set or MACH_PORT_NULL)
 *  SET_MSCOUNT, SET_SEQNO                value
 *  GET_CONTEXT                                                      val[0] context
 *  SET_CONTEXT                           context
 *  GUARD                   strict        guard
 *  UNGUARD                               guard
 *  KERNEL_OBJECT                                                    val[0] IKOT_* type,
 *                                                                   val[1] address (0)
 *  TASK_SELF, HOST_SELF    (no task)                                name (caller's space)
 *  TASK_GET_SPECIAL        which                                    name (caller's space)
 *  TASK_SET_SPECIAL        which         (`name`: caller's send right, COPY_SEND)
 *  HOST_GET_SPECIAL        which         node                       name (caller's space)
 *  HOST_SET_SPECIAL        which         (`name`: caller's send right, COPY_SEND)
 *  REQUEST_NOTIFICATION    msgid         sync            notify |   name (previous, in
 *                                                        poly<<32   the caller's space)
 *  REPLY_PORT              (no task)                                name (a new receive right)
 *  THREAD_SELF             (no task)                                name (the calling thread's
 *                                                                   port, one more uref)
 *  TASK_FOR_PID            pid                                      name (send right to the
 *                                                                   task port of pid)
 *  TASK_NAME_FOR_PID       pid                                      name (task name port)
 *  PID_FOR_TASK            (`task`: the task port to look up)       val[0] pid (-1 on failure)
 *  SET_SYSTEM_BOOTSTRAP    (`name`: caller's send right, COPY_SEND; needs CAP_SYS_ADMIN)
 *  SEMAPHORE_SIGNAL,       (no task; `name`: the semaphore)
 *  SEMAPHORE_SIGNAL_ALL,
 *  SEMAPHORE_WAIT
 *  SEMAPHORE_SIGNAL_THREAD thread name (MACH_PORT_NULL: any waiter)
 *  SEMAPHORE_TIMEDWAIT     (name)        tv_sec          tv_nsec
 *  SEMAPHORE_WAIT_SIGNAL   signal name
 *  SEMAPHORE_TIMEDWAIT_SIGNAL signal name tv_sec          tv_nsec
 *  PORT_FD                 (`name`: a receive right or port set)    val[0] a new descriptor,
 *                                                                   readable while a message
 *                                                                   is queued (see below)
 *  GET_SRIGHTS             (`name`: a receive right)                val[0] send rights
 *  DNREQUEST_INFO          (`name`: a receive right)                val[0] table size,
 *                                                                   val[1] slots in use
 *  SET_PORT_SPACE          table entries (task_set_port_space)
 *
 * `kr` is the Mach result; outputs are valid only when it is KERN_SUCCESS.
 */
struct machipc_port_op {
	__u32 op;
	__u32 task;
	__u32 name;
	__u32 arg;
	__u64 val[2];
	__s32 kr;
	__u32 reserved;
};

#define MACHIPC_OP_ALLOCATE		1
#define MACHIPC_OP_CONSTRUCT		2
#define MACHIPC_OP_DESTRUCT		3
#define MACHIPC_OP_DESTROY		4
#define MACHIPC_OP_DEALLOCATE		5
#define MACHIPC_OP_GET_REFS		6
#define MACHIPC_OP_MOD_REFS		7
#define MACHIPC_OP_TYPE			8
#define MACHIPC_OP_INSERT_RIGHT		9
#define MACHIPC_OP_EXTRACT_RIGHT	10
#define MACHIPC_OP_INSERT_MEMBER	11
#define MACHIPC_OP_EXTRACT_MEMBER	12
#define MACHIPC_OP_MOVE_MEMBER		13
#define MACHIPC_OP_SET_MSCOUNT		14
#define MACHIPC_OP_SET_SEQNO		15
#define MACHIPC_OP_GET_CONTEXT		16
#define MACHIPC_OP_SET_CONTEXT		17
#define MACHIPC_OP_GUARD		18
#define MACHIPC_OP_UNGUARD		19
#define MACHIPC_OP_KERNEL_OBJECT	20
#define MACHIPC_OP_TASK_SELF		21
#define MACHIPC_OP_HOST_SELF		22
#define MACHIPC_OP_TASK_GET_SPECIAL	23
#define MACHIPC_OP_TASK_SET_SPECIAL	24
#define MACHIPC_OP_HOST_GET_SPECIAL	25
#define MACHIPC_OP_HOST_SET_SPECIAL	26
#define MACHIPC_OP_REQUEST_NOTIFICATION	27
#define MACHIPC_OP_REPLY_PORT		28
#define MACHIPC_OP_THREAD_SELF		29
#define MACHIPC_OP_TASK_FOR_PID		30
#define MACHIPC_OP_TASK_NAME_FOR_PID	31
#define MACHIPC_OP_PID_FOR_TASK		32
#define MACHIPC_OP_SET_SYSTEM_BOOTSTRAP	33
#define MACHIPC_OP_SEMAPHORE_SIGNAL	34
#define MACHIPC_OP_SEMAPHORE_SIGNAL_ALL	35
#define MACHIPC_OP_SEMAPHORE_SIGNAL_THREAD 36
#define MACHIPC_OP_SEMAPHORE_WAIT	37
#define MACHIPC_OP_SEMAPHORE_TIMEDWAIT	38
#define MACHIPC_OP_SEMAPHORE_WAIT_SIGNAL 39
#define MACHIPC_OP_SEMAPHORE_TIMEDWAIT_SIGNAL 40
#define MACHIPC_OP_PORT_FD		41
#define MACHIPC_OP_GET_SRIGHTS		42
#define MACHIPC_OP_DNREQUEST_INFO	43
#define MACHIPC_OP_SET_PORT_SPACE	44

#define MACHIPC_ALLOCATE_NAMED		1

/*
 * The `kr` of a mach_port_* call (PORT_OP, PORT_LIST, PORT_ATTR,
 * PORT_PEEK) whose target is a send right to a port that a task, not the
 * kernel, receives on. On macOS such a call is a MIG request to that port
 * (libsyscall falls back to it when the trap refuses the target): libmach
 * then sends the request itself, so this value is never the result of a
 * Mach call.
 */
#define MACHIPC_KR_USER_PORT 0x4d430001

#define MACHIPC_IOC_NR_PORT_OP 0x01
#define MACHIPC_IOC_PORT_OP \
	_IOWR(MACHIPC_IOC_MAGIC, MACHIPC_IOC_NR_PORT_OP, struct machipc_port_op)

/*
 * MACHIPC_IOC_PORT_LIST: arrays about a space.
 *  LIST_NAMES: every name of the target task's space, with its type
 *    (MACH_PORT_TYPE_* including request bits), urefs, request index and
 *    an opaque object id (the same port has the same id in every space).
 *  LIST_SET_MEMBERS: the names of the members of port set `name`.
 * The kernel writes min(count, capacity) entries to `buf` and sets
 * `count` to the number there are (call again with more room if larger)
 * and `table_size` to the size of the space's name table.
 */
struct machipc_name_info {
	__u32 name;
	__u32 type;
	__u32 urefs;
	__u32 request;
	__u64 object;
};

struct machipc_port_list {
	__u32 op;
	__u32 task;
	__u32 name;
	__u32 capacity;
	__u64 buf;		/* struct machipc_name_info[capacity] */
	__u32 count;
	__u32 table_size;
	__s32 kr;
	__u32 reserved;
};

#define MACHIPC_LIST_NAMES		1
#define MACHIPC_LIST_SET_MEMBERS	2

#define MACHIPC_IOC_NR_PORT_LIST 0x02
#define MACHIPC_IOC_PORT_LIST \
	_IOWR(MACHIPC_IOC_MAGIC, MACHIPC_IOC_NR_PORT_LIST, struct machipc_port_list)

/*
 * MACHIPC_IOC_PORT_ATTR: mach_port_get_attributes (set = 0) and
 * mach_port_set_attributes (set = 1). `count` is in natural_t units: in,
 * the caller's count; out (get), the count written to `info`.
 */
#define MACHIPC_ATTR_INFO_MAX 32

struct machipc_port_attr {
	__u32 task;
	__u32 name;
	__s32 flavor;
	__u32 count;
	__u32 set;
	__s32 kr;
	__u32 info[MACHIPC_ATTR_INFO_MAX];
};

#define MACHIPC_IOC_NR_PORT_ATTR 0x03
#define MACHIPC_IOC_PORT_ATTR \
	_IOWR(MACHIPC_IOC_MAGIC, MACHIPC_IOC_NR_PORT_ATTR, struct machipc_port_attr)

/*
 * MACHIPC_IOC_MSG: mach_msg_overwrite. Sends the message at send_buf
 * (send_size bytes) if option has MACH_SEND_MSG, then receives into
 * rcv_buf (rcv_size bytes) from rcv_name if it has MACH_RCV_MSG. The
 * ioctl's return value is the mach_msg_return_t (every Mach code is >= 0;
 * -1 and errno only for a struct that cannot be read), as the trap's
 * return register is in XNU: the struct is only read, so nothing is lost
 * when it cannot be written. `timeout` is in milliseconds and applies as
 * the MACH_SEND_TIMEOUT / MACH_RCV_TIMEOUT options say. `notify` is
 * mach_msg's notify argument, which XNU 10.11 does not use either:
 * MACH_SEND_NOTIFY arms the destination entry's own send-possible
 * request. It is ignored.
 */
struct machipc_msg {
	__u64 send_buf;
	__u64 rcv_buf;
	__u32 option;
	__u32 send_size;
	__u32 rcv_size;
	__u32 rcv_name;
	__u32 timeout;
	__u32 notify;
};

#define MACHIPC_IOC_NR_MSG 0x04
#define MACHIPC_IOC_MSG \
	_IOW(MACHIPC_IOC_MAGIC, MACHIPC_IOC_NR_MSG, struct machipc_msg)

/*
 * MACHIPC_IOC_PORT_PEEK: mach_port_peek. `name` is a receive right in the
 * space of task `task`. in: trailer_type (MACH_RCV_TRAILER_* bits, at most
 * the audit trailer), seqno (0: the first queued message), trailer_size
 * (room in `trailer`, bytes). out: kr; on success seqno, msg_size (the
 * size a receive would report), msg_id, trailer_size and the trailer a
 * receive with that trailer_type would get.
 */
struct machipc_port_peek {
	__u32 task;
	__u32 name;
	__u32 trailer_type;
	__u32 seqno;
	__u32 msg_size;
	__s32 msg_id;
	__u32 trailer_size;
	__s32 kr;
	__u32 trailer[17];
	__u32 reserved;
};

#define MACHIPC_IOC_NR_PORT_PEEK 0x05
#define MACHIPC_IOC_PORT_PEEK \
	_IOWR(MACHIPC_IOC_MAGIC, MACHIPC_IOC_NR_PORT_PEEK, struct machipc_port_peek)

/*
 * The descriptor of MACHIPC_OP_PORT_FD: poll/epoll report it readable
 * (EPOLLIN) while a message is queued on the port or on a member of the
 * set, and EPOLLHUP once the port or set is gone (its name destroyed, or
 * the receive right moved away). It grants nothing but readiness: it can
 * be passed to other processes, and it never keeps the port or set alive.
 * Closing it has no effect on the port.
 */

#endif /* _UAPI_MACHIPC_H */
