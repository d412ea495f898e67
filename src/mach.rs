// SPDX-License-Identifier: GPL-2.0

//! Mach constants and the result types of Mach calls.
//!
//! The values are Mach's (XNU `osfmk/mach/*.h`); the C library's headers in
//! `userlib/include/mach/` carry the same ones, and the selftests check that
//! the two agree by behaviour.
//!
//! Three result types:
//! - [`Kr`], a `kern_return_t`: what a Mach call returns;
//! - [`MsgReturn`], a `mach_msg_return_t`: what `mach_msg` returns, a code
//!   with optional modifier bits (`MACH_MSG_IPC_SPACE`, ...);
//! - [`Refused`], a refusal that hands back what the callee was given (a
//!   right, a message), so the caller can release it.

use kernel::alloc::AllocError;

/// A `kern_return_t` other than `KERN_SUCCESS` (success is `Ok`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Kr(i32);

/// The result of a Mach call.
pub(crate) type KResult<T = ()> = core::result::Result<T, Kr>;

impl Kr {
    pub(crate) const NO_SPACE: Kr = Kr(3);
    pub(crate) const INVALID_ARGUMENT: Kr = Kr(4);
    pub(crate) const FAILURE: Kr = Kr(5);
    pub(crate) const RESOURCE_SHORTAGE: Kr = Kr(6);
    pub(crate) const NO_ACCESS: Kr = Kr(8);
    pub(crate) const ALREADY_IN_SET: Kr = Kr(11);
    pub(crate) const NOT_IN_SET: Kr = Kr(12);
    pub(crate) const NAME_EXISTS: Kr = Kr(13);
    pub(crate) const ABORTED: Kr = Kr(14);
    pub(crate) const INVALID_NAME: Kr = Kr(15);
    pub(crate) const INVALID_TASK: Kr = Kr(16);
    pub(crate) const INVALID_RIGHT: Kr = Kr(17);
    pub(crate) const INVALID_VALUE: Kr = Kr(18);
    pub(crate) const UREFS_OVERFLOW: Kr = Kr(19);
    pub(crate) const INVALID_CAPABILITY: Kr = Kr(20);
    pub(crate) const RIGHT_EXISTS: Kr = Kr(21);
    pub(crate) const INVALID_HOST: Kr = Kr(22);
    pub(crate) const NOT_SUPPORTED: Kr = Kr(46);
    pub(crate) const OPERATION_TIMED_OUT: Kr = Kr(49);
    pub(crate) const NOT_WAITING: Kr = Kr(48);
    pub(crate) const INVALID_PROCESSOR_SET: Kr = Kr(26);
    pub(crate) const TERMINATED: Kr = Kr(37);

    /// `mig_reply_error_t` codes.
    /// `MACHIPC_KR_USER_PORT`: the target of a `mach_port_*` call is a
    /// port a task receives on (the library sends the MIG request).
    pub(crate) const USER_PORT: Kr = Kr(crate::uapi::KR_USER_PORT);
    pub(crate) const MIG_TYPE_ERROR: Kr = Kr(-300);
    pub(crate) const MIG_BAD_ID: Kr = Kr(-303);
    pub(crate) const MIG_BAD_ARGUMENTS: Kr = Kr(-304);

    /// The raw `kern_return_t`.
    pub(crate) const fn raw(self) -> i32 {
        self.0
    }

    /// A code taken from a message (a MIG reply's `RetCode`).
    pub(crate) const fn from_raw(v: i32) -> Kr {
        Kr(v)
    }
}

impl From<AllocError> for Kr {
    fn from(_: AllocError) -> Kr {
        Kr::RESOURCE_SHORTAGE
    }
}

/// A kernel error of an allocation or initialisation (`ENOMEM`): the Mach
/// code of a failed allocation.
impl From<kernel::error::Error> for Kr {
    fn from(_: kernel::error::Error) -> Kr {
        Kr::RESOURCE_SHORTAGE
    }
}

/// The `kern_return_t` of a result (0 for success).
pub(crate) fn kr_raw<T>(r: &KResult<T>) -> i32 {
    match r {
        Ok(_) => 0,
        Err(kr) => kr.raw(),
    }
}

/// A refusal that gives back what the callee was handed.
pub(crate) struct Refused<T> {
    pub(crate) kr: Kr,
    pub(crate) back: T,
}

impl<T> Refused<T> {
    pub(crate) fn new(kr: Kr, back: T) -> Refused<T> {
        Refused { kr, back }
    }
}

/// A result that on refusal hands back `T`.
pub(crate) type GiveBack<R, T> = core::result::Result<R, Refused<T>>;

/// A `mach_msg_return_t`: a code, possibly with modifier bits. Never
/// negative (the codes below with the modifier bits `with` ORs in): the
/// mach_msg ioctl returns it as its value, which a negative one would
/// turn into an errno.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct MsgReturn(i32);

impl MsgReturn {
    pub(crate) const SUCCESS: MsgReturn = MsgReturn(0);

    pub(crate) const SEND_INVALID_DATA: MsgReturn = MsgReturn(0x1000_0002);
    pub(crate) const SEND_INVALID_DEST: MsgReturn = MsgReturn(0x1000_0003);
    pub(crate) const SEND_TIMED_OUT: MsgReturn = MsgReturn(0x1000_0004);
    pub(crate) const SEND_INVALID_VOUCHER: MsgReturn = MsgReturn(0x1000_0005);
    pub(crate) const SEND_INTERRUPTED: MsgReturn = MsgReturn(0x1000_0007);
    pub(crate) const SEND_MSG_TOO_SMALL: MsgReturn = MsgReturn(0x1000_0008);
    pub(crate) const SEND_INVALID_REPLY: MsgReturn = MsgReturn(0x1000_0009);
    pub(crate) const SEND_INVALID_RIGHT: MsgReturn = MsgReturn(0x1000_000a);
    pub(crate) const SEND_INVALID_MEMORY: MsgReturn = MsgReturn(0x1000_000c);
    pub(crate) const SEND_NO_BUFFER: MsgReturn = MsgReturn(0x1000_000d);
    pub(crate) const SEND_TOO_LARGE: MsgReturn = MsgReturn(0x1000_000e);
    pub(crate) const SEND_INVALID_TYPE: MsgReturn = MsgReturn(0x1000_000f);
    pub(crate) const SEND_INVALID_HEADER: MsgReturn = MsgReturn(0x1000_0010);

    pub(crate) const RCV_INVALID_NAME: MsgReturn = MsgReturn(0x1000_4002);
    pub(crate) const RCV_TIMED_OUT: MsgReturn = MsgReturn(0x1000_4003);
    pub(crate) const RCV_TOO_LARGE: MsgReturn = MsgReturn(0x1000_4004);
    pub(crate) const RCV_INTERRUPTED: MsgReturn = MsgReturn(0x1000_4005);
    pub(crate) const RCV_PORT_CHANGED: MsgReturn = MsgReturn(0x1000_4006);
    pub(crate) const RCV_INVALID_DATA: MsgReturn = MsgReturn(0x1000_4008);
    pub(crate) const RCV_PORT_DIED: MsgReturn = MsgReturn(0x1000_4009);
    pub(crate) const RCV_HEADER_ERROR: MsgReturn = MsgReturn(0x1000_400b);
    pub(crate) const RCV_BODY_ERROR: MsgReturn = MsgReturn(0x1000_400c);

    /// Modifier bits ORed into a code.
    pub(crate) const IPC_SPACE: u32 = 0x2000;
    pub(crate) const VM_SPACE: u32 = 0x1000;
    pub(crate) const IPC_KERNEL: u32 = 0x800;
    pub(crate) const VM_KERNEL: u32 = 0x400;

    pub(crate) const fn raw(self) -> i32 {
        self.0
    }

    pub(crate) const fn is_success(self) -> bool {
        self.0 == 0
    }

    /// The code with the modifier bits of `mods` ORed in (any other bit
    /// of `mods` is dropped, so the code stays a Mach code).
    pub(crate) const fn with(self, mods: u32) -> MsgReturn {
        let mods = mods & (Self::IPC_SPACE | Self::VM_SPACE | Self::IPC_KERNEL | Self::VM_KERNEL);
        MsgReturn(self.0 | mods as i32)
    }
}

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

/// `MACH_MSGH_BITS_REMOTE/LOCAL/VOUCHER(bits)`.
pub(crate) const fn bits_remote(bits: u32) -> u32 {
    bits & 0x1f
}
pub(crate) const fn bits_local(bits: u32) -> u32 {
    (bits >> 8) & 0x1f
}
pub(crate) const fn bits_voucher(bits: u32) -> u32 {
    (bits >> 16) & 0x1f
}
/// `MACH_MSGH_BITS(remote, local)`.
pub(crate) const fn msgh_bits(remote: u32, local: u32) -> u32 {
    remote | (local << 8)
}

/// `mach_msg_copy_options_t`.
pub(crate) const MSG_PHYSICAL_COPY: u8 = 0;
pub(crate) const MSG_VIRTUAL_COPY: u8 = 1;

/// Queue limits.
pub(crate) const QLIMIT_DEFAULT: u32 = 5;
pub(crate) const QLIMIT_MAX: u32 = 1024;
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
pub(crate) const fn name_make(index: u32, generation: u8) -> u32 {
    (index << 8) | generation as u32
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
pub(crate) const TYPE_PORT_RIGHTS: u32 = TYPE_SEND_RIGHTS | TYPE_RECEIVE;
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

/// `MACH_MSG_TYPE_PORT_ANY(x)`: a disposition that carries a right.
pub(crate) const fn msg_type_port_any(t: u32) -> bool {
    t >= MSG_TYPE_MOVE_RECEIVE && t <= MSG_TYPE_MAKE_SEND_ONCE
}

/// `ipc_object_copyin_type`: the type of a right after copyin
/// (`MACH_MSG_TYPE_PORT_NONE`, 0, for a value that is no disposition).
pub(crate) const fn copyin_type(t: u32) -> u32 {
    match t {
        MSG_TYPE_MOVE_RECEIVE => MSG_TYPE_PORT_RECEIVE,
        MSG_TYPE_MOVE_SEND_ONCE | MSG_TYPE_MAKE_SEND_ONCE => MSG_TYPE_PORT_SEND_ONCE,
        MSG_TYPE_MOVE_SEND | MSG_TYPE_COPY_SEND | MSG_TYPE_MAKE_SEND => MSG_TYPE_PORT_SEND,
        _ => 0,
    }
}

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
pub(crate) const TASK_NAME_PORT: i32 = 3;
pub(crate) const TASK_BOOTSTRAP_PORT: i32 = 4;
pub(crate) const TASK_SEATBELT_PORT: i32 = 7;
pub(crate) const TASK_ACCESS_PORT: i32 = 9;
pub(crate) const TASK_DEBUG_CONTROL_PORT: i32 = 10;

/// Host special ports.
pub(crate) const HOST_SECURITY_PORT: i32 = 0;
pub(crate) const HOST_PORT: i32 = 1;
pub(crate) const HOST_PRIV_PORT: i32 = 2;
pub(crate) const HOST_MAX_SPECIAL_KERNEL_PORT: i32 = 7;
pub(crate) const HOST_MAX_SPECIAL_PORT: i32 = 34;
