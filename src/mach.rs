// SPDX-License-Identifier: GPL-2.0

//! Mach constants: return codes, rights, types, dispositions, special ports.
//!
//! The values are Mach's (XNU `osfmk/mach/*.h`); the C library's headers in
//! `userlib/include/mach/` carry the same ones, and the selftests check that
//! the two agree by behaviour.

/// `kern_return_t` (and `mach_msg_return_t`).
pub(crate) type Kr = i32;

/// The result of a Mach operation: `Err` holds a non-success `kern_return_t`.
pub(crate) type KResult<T = ()> = core::result::Result<T, Kr>;

pub(crate) const KERN_NO_SPACE: Kr = 3;
pub(crate) const KERN_INVALID_ARGUMENT: Kr = 4;
pub(crate) const KERN_FAILURE: Kr = 5;
pub(crate) const KERN_RESOURCE_SHORTAGE: Kr = 6;
pub(crate) const KERN_ALREADY_IN_SET: Kr = 11;
pub(crate) const KERN_NOT_IN_SET: Kr = 12;
pub(crate) const KERN_NAME_EXISTS: Kr = 13;
pub(crate) const KERN_INVALID_NAME: Kr = 15;
pub(crate) const KERN_INVALID_TASK: Kr = 16;
pub(crate) const KERN_INVALID_RIGHT: Kr = 17;
pub(crate) const KERN_INVALID_VALUE: Kr = 18;
pub(crate) const KERN_UREFS_OVERFLOW: Kr = 19;
pub(crate) const KERN_INVALID_CAPABILITY: Kr = 20;
pub(crate) const KERN_RIGHT_EXISTS: Kr = 21;

pub(crate) const MACH_SEND_INVALID_DATA: Kr = 0x1000_0002;
pub(crate) const MACH_SEND_INVALID_DEST: Kr = 0x1000_0003;
pub(crate) const MACH_SEND_TIMED_OUT: Kr = 0x1000_0004;
pub(crate) const MACH_SEND_INVALID_VOUCHER: Kr = 0x1000_0005;
pub(crate) const MACH_SEND_INTERRUPTED: Kr = 0x1000_0007;
pub(crate) const MACH_SEND_MSG_TOO_SMALL: Kr = 0x1000_0008;
pub(crate) const MACH_SEND_INVALID_REPLY: Kr = 0x1000_0009;
pub(crate) const MACH_SEND_INVALID_RIGHT: Kr = 0x1000_000a;
pub(crate) const MACH_SEND_INVALID_MEMORY: Kr = 0x1000_000c;
pub(crate) const MACH_SEND_NO_BUFFER: Kr = 0x1000_000d;
pub(crate) const MACH_SEND_TOO_LARGE: Kr = 0x1000_000e;
pub(crate) const MACH_SEND_INVALID_TYPE: Kr = 0x1000_000f;
pub(crate) const MACH_SEND_INVALID_HEADER: Kr = 0x1000_0010;

pub(crate) const MACH_RCV_INVALID_NAME: Kr = 0x1000_4002;
pub(crate) const MACH_RCV_TIMED_OUT: Kr = 0x1000_4003;
pub(crate) const MACH_RCV_PORT_CHANGED: Kr = 0x1000_4006;
pub(crate) const MACH_RCV_TOO_LARGE: Kr = 0x1000_4004;
pub(crate) const MACH_RCV_INTERRUPTED: Kr = 0x1000_4005;
pub(crate) const MACH_RCV_INVALID_DATA: Kr = 0x1000_4008;
pub(crate) const MACH_RCV_PORT_DIED: Kr = 0x1000_4009;
pub(crate) const MACH_RCV_INVALID_TRAILER: Kr = 0x1000_400f;

/// Modifiers ORed into a receive (or pseudo-receive) result.
pub(crate) const MACH_MSG_IPC_SPACE: Kr = 0x2000;
pub(crate) const MACH_MSG_VM_SPACE: Kr = 0x1000;

/// `mig_reply_error_t` codes.
pub(crate) const MIG_BAD_ID: Kr = -303;
pub(crate) const MIG_BAD_ARGUMENTS: Kr = -304;

/// `mach_msg` options.
pub(crate) const MACH_SEND_MSG: u32 = 0x1;
pub(crate) const MACH_RCV_MSG: u32 = 0x2;
pub(crate) const MACH_RCV_LARGE: u32 = 0x4;
pub(crate) const MACH_RCV_LARGE_IDENTITY: u32 = 0x8;
pub(crate) const MACH_SEND_TIMEOUT: u32 = 0x10;
pub(crate) const MACH_SEND_NOTIFY: u32 = 0x80;
pub(crate) const MACH_RCV_TIMEOUT: u32 = 0x100;

/// Header bits.
pub(crate) const MSGH_BITS_COMPLEX: u32 = 0x8000_0000;
pub(crate) const MSGH_BITS_USER: u32 = 0x801f_1f1f;
pub(crate) const MSGH_BITS_PORTS_MASK: u32 = 0x001f_1f1f;

/// `mach_msg_copy_options_t`.
pub(crate) const MSG_PHYSICAL_COPY: u8 = 0;
pub(crate) const MSG_VIRTUAL_COPY: u8 = 1;

/// `MACH_PORT_QLIMIT_KERNEL`: the most messages a queue ever holds.
pub(crate) const QLIMIT_KERNEL: u32 = 65534;

/// Port names.
pub(crate) const MACH_PORT_NULL: u32 = 0;
pub(crate) const MACH_PORT_DEAD: u32 = !0;

/// Whether `name` names a right (neither NULL nor DEAD).
pub(crate) const fn name_valid(name: u32) -> bool {
    name != MACH_PORT_NULL && name != MACH_PORT_DEAD
}

/// `MACH_PORT_INDEX`, `MACH_PORT_GEN`, `MACH_PORT_MAKE`.
pub(crate) const fn name_index(name: u32) -> u32 {
    name >> 8
}
pub(crate) const fn name_gen(name: u32) -> u8 {
    (name & 0xff) as u8
}
pub(crate) const fn name_make(index: u32, gen: u8) -> u32 {
    (index << 8) | gen as u32
}

/// `mach_port_right_t`.
pub(crate) const MACH_PORT_RIGHT_SEND: u32 = 0;
pub(crate) const MACH_PORT_RIGHT_RECEIVE: u32 = 1;
pub(crate) const MACH_PORT_RIGHT_SEND_ONCE: u32 = 2;
pub(crate) const MACH_PORT_RIGHT_PORT_SET: u32 = 3;
pub(crate) const MACH_PORT_RIGHT_DEAD_NAME: u32 = 4;
pub(crate) const MACH_PORT_RIGHT_NUMBER: u32 = 6;

/// `mach_port_type_t` bits: `MACH_PORT_TYPE(right) = 1 << (right + 16)`.
pub(crate) const fn port_type(right: u32) -> u32 {
    1 << (right + 16)
}
pub(crate) const TYPE_SEND: u32 = port_type(MACH_PORT_RIGHT_SEND);
pub(crate) const TYPE_RECEIVE: u32 = port_type(MACH_PORT_RIGHT_RECEIVE);
pub(crate) const TYPE_SEND_ONCE: u32 = port_type(MACH_PORT_RIGHT_SEND_ONCE);
pub(crate) const TYPE_PORT_SET: u32 = port_type(MACH_PORT_RIGHT_PORT_SET);
pub(crate) const TYPE_DEAD_NAME: u32 = port_type(MACH_PORT_RIGHT_DEAD_NAME);
pub(crate) const TYPE_SEND_RECEIVE: u32 = TYPE_SEND | TYPE_RECEIVE;
pub(crate) const TYPE_SEND_RIGHTS: u32 = TYPE_SEND | TYPE_SEND_ONCE;
pub(crate) const TYPE_DNREQUEST: u32 = 0x8000_0000;
pub(crate) const TYPE_SPREQUEST: u32 = 0x4000_0000;
pub(crate) const TYPE_SPREQUEST_DELAYED: u32 = 0x2000_0000;

/// `MACH_PORT_UREFS_MAX`.
pub(crate) const UREFS_MAX: u32 = 0xffff;

/// `mach_msg_type_name_t` dispositions.
pub(crate) const MSG_TYPE_MOVE_RECEIVE: u32 = 16;
pub(crate) const MSG_TYPE_MOVE_SEND: u32 = 17;
pub(crate) const MSG_TYPE_MOVE_SEND_ONCE: u32 = 18;
pub(crate) const MSG_TYPE_COPY_SEND: u32 = 19;
pub(crate) const MSG_TYPE_MAKE_SEND: u32 = 20;
pub(crate) const MSG_TYPE_MAKE_SEND_ONCE: u32 = 21;
pub(crate) const MSG_TYPE_PORT_RECEIVE: u32 = MSG_TYPE_MOVE_RECEIVE;
pub(crate) const MSG_TYPE_PORT_SEND: u32 = MSG_TYPE_MOVE_SEND;
pub(crate) const MSG_TYPE_PORT_SEND_ONCE: u32 = MSG_TYPE_MOVE_SEND_ONCE;

/// `MACH_MSG_TYPE_PORT_ANY_SEND(x)`.
pub(crate) const fn msg_type_port_any_send(t: u32) -> bool {
    t >= MSG_TYPE_MOVE_SEND && t <= MSG_TYPE_MAKE_SEND_ONCE
}

/// `ipc_object_copyin_type`: the type of a right after copyin.
pub(crate) const fn copyin_type(t: u32) -> u32 {
    match t {
        MSG_TYPE_MOVE_RECEIVE => MSG_TYPE_PORT_RECEIVE,
        MSG_TYPE_MOVE_SEND_ONCE | MSG_TYPE_MAKE_SEND_ONCE => MSG_TYPE_PORT_SEND_ONCE,
        _ => MSG_TYPE_PORT_SEND,
    }
}

/// `MACH_MSG_TYPE_PORT_ANY(x)`: a disposition that carries a right.
pub(crate) const fn msg_type_port_any(t: u32) -> bool {
    t >= MSG_TYPE_MOVE_RECEIVE && t <= MSG_TYPE_MAKE_SEND_ONCE
}

/// Queue limits.
pub(crate) const QLIMIT_DEFAULT: u32 = 5;
pub(crate) const QLIMIT_MAX: u32 = 1024;

/// `mach_port_flavor_t`.
pub(crate) const PORT_LIMITS_INFO: i32 = 1;
pub(crate) const PORT_RECEIVE_STATUS: i32 = 2;
pub(crate) const PORT_DNREQUESTS_SIZE: i32 = 3;
pub(crate) const PORT_TEMPOWNER: i32 = 4;
pub(crate) const PORT_IMPORTANCE_RECEIVER: i32 = 5;
pub(crate) const PORT_DENAP_RECEIVER: i32 = 6;
pub(crate) const PORT_INFO_EXT: i32 = 7;

/// Counts (in `natural_t`) of the attribute flavours.
pub(crate) const LIMITS_INFO_COUNT: u32 = 1;
pub(crate) const RECEIVE_STATUS_COUNT: u32 = 10;
pub(crate) const DNREQUESTS_SIZE_COUNT: u32 = 1;
pub(crate) const INFO_EXT_COUNT: u32 = 17;

/// `mach_port_status_t.mps_flags`.
pub(crate) const STATUS_FLAG_TEMPOWNER: u32 = 0x01;
pub(crate) const STATUS_FLAG_GUARDED: u32 = 0x02;
pub(crate) const STATUS_FLAG_STRICT_GUARD: u32 = 0x04;
pub(crate) const STATUS_FLAG_IMP_DONATION: u32 = 0x08;

/// `mach_port_options_t.flags` (`MPO_*`).
pub(crate) const MPO_CONTEXT_AS_GUARD: u32 = 0x01;
pub(crate) const MPO_QLIMIT: u32 = 0x02;
pub(crate) const MPO_TEMPOWNER: u32 = 0x04;
pub(crate) const MPO_IMPORTANCE_RECEIVER: u32 = 0x08;
pub(crate) const MPO_INSERT_SEND_RIGHT: u32 = 0x10;
pub(crate) const MPO_STRICT: u32 = 0x20;
pub(crate) const MPO_DENAP_RECEIVER: u32 = 0x40;

/// Task special ports.
pub(crate) const TASK_KERNEL_PORT: i32 = 1;
pub(crate) const TASK_HOST_PORT: i32 = 2;
pub(crate) const TASK_BOOTSTRAP_PORT: i32 = 4;
pub(crate) const TASK_ACCESS_PORT: i32 = 9;
pub(crate) const TASK_DEBUG_CONTROL_PORT: i32 = 10;

/// Host special ports.
pub(crate) const HOST_PORT: i32 = 1;
pub(crate) const HOST_PRIV_PORT: i32 = 2;
pub(crate) const HOST_MAX_SPECIAL_KERNEL_PORT: i32 = 7;
pub(crate) const HOST_MAX_SPECIAL_PORT: i32 = 34;

/// Kernel object types (`IKOT_*`) reported by `mach_port_kernel_object`.
pub(crate) const IKOT_NONE: u32 = 0;
pub(crate) const IKOT_TASK: u32 = 2;
pub(crate) const IKOT_HOST: u32 = 3;
pub(crate) const IKOT_HOST_PRIV: u32 = 4;
