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

pub(crate) const MACH_SEND_INVALID_DEST: Kr = 0x1000_0003;
pub(crate) const MACH_SEND_INVALID_RIGHT: Kr = 0x1000_000a;

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
