//! `<mach/message.h>`: the message format, options and return codes.

use crate::sys::kern_return::kern_return_t;
use crate::sys::port::{mach_port_name_t, mach_port_seqno_t, mach_port_t};
use crate::sys::vm_types::{integer_t, mach_port_context_t, natural_t};
use core::ffi::{c_char, c_int, c_uint, c_void};
use core::mem;

pub type mach_msg_timeout_t = natural_t;

pub type mach_msg_bits_t = c_uint;
pub type mach_msg_id_t = integer_t;
pub type mach_msg_size_t = natural_t;

pub type mach_msg_copy_options_t = c_uint;
pub type mach_msg_descriptor_type_t = c_uint;
pub type mach_msg_type_name_t = c_uint;

pub type mach_msg_guard_flags_t = c_uint;

pub type mach_msg_trailer_type_t = c_uint;
pub type mach_msg_trailer_size_t = c_uint;
pub type mach_msg_trailer_info_t = *mut c_char;

pub type mach_msg_option_t = integer_t;
pub type mach_msg_options_t = integer_t;
pub type mach_msg_priority_t = c_uint;

pub type mach_msg_type_number_t = natural_t;
pub type mach_msg_type_size_t = natural_t;

pub type mach_msg_return_t = kern_return_t;

pub type mach_msg_filter_id = c_int;

pub const MACH_MSG_TIMEOUT_NONE: mach_msg_timeout_t = 0;
pub const MACH_MSG_PRIORITY_UNSPECIFIED: mach_msg_priority_t = 0;
pub const MACH_MSG_FILTER_POLICY_ALLOW: mach_msg_filter_id = 0;

pub const MACH_MSGH_BITS_ZERO: mach_msg_bits_t = 0x0000_0000;

pub const MACH_MSGH_BITS_REMOTE_MASK: mach_msg_bits_t = 0x0000_001f;
pub const MACH_MSGH_BITS_LOCAL_MASK: mach_msg_bits_t = 0x0000_1f00;
pub const MACH_MSGH_BITS_VOUCHER_MASK: mach_msg_bits_t = 0x001f_0000;

pub const MACH_MSGH_BITS_PORTS_MASK: mach_msg_bits_t =
    MACH_MSGH_BITS_REMOTE_MASK | MACH_MSGH_BITS_LOCAL_MASK | MACH_MSGH_BITS_VOUCHER_MASK;

pub const MACH_MSGH_BITS_COMPLEX: mach_msg_bits_t = 0x8000_0000;

pub const MACH_MSGH_BITS_USER: mach_msg_bits_t = 0x801f_1f1f;

pub const MACH_MSGH_BITS_RAISEIMP: mach_msg_bits_t = 0x2000_0000;
pub const MACH_MSGH_BITS_DENAP: mach_msg_bits_t = MACH_MSGH_BITS_RAISEIMP;
pub const MACH_MSGH_BITS_IMPHOLDASRT: mach_msg_bits_t = 0x1000_0000;
pub const MACH_MSGH_BITS_DENAPHOLDASRT: mach_msg_bits_t = MACH_MSGH_BITS_IMPHOLDASRT;
pub const MACH_MSGH_BITS_CIRCULAR: mach_msg_bits_t = 0x1000_0000;
pub const MACH_MSGH_BITS_USED: mach_msg_bits_t = 0xb01f_1f1f;

/// `MACH_MSGH_BITS(remote, local)` (legacy setter).
#[inline]
pub const fn MACH_MSGH_BITS(remote: mach_msg_bits_t, local: mach_msg_bits_t) -> mach_msg_bits_t {
    remote | (local << 8)
}

#[inline]
pub const fn MACH_MSGH_BITS_SET_PORTS(
    remote: mach_msg_bits_t,
    local: mach_msg_bits_t,
    voucher: mach_msg_bits_t,
) -> mach_msg_bits_t {
    (remote & MACH_MSGH_BITS_REMOTE_MASK)
        | ((local << 8) & MACH_MSGH_BITS_LOCAL_MASK)
        | ((voucher << 16) & MACH_MSGH_BITS_VOUCHER_MASK)
}

#[inline]
pub const fn MACH_MSGH_BITS_SET(
    remote: mach_msg_bits_t,
    local: mach_msg_bits_t,
    voucher: mach_msg_bits_t,
    other: mach_msg_bits_t,
) -> mach_msg_bits_t {
    MACH_MSGH_BITS_SET_PORTS(remote, local, voucher) | (other & !MACH_MSGH_BITS_PORTS_MASK)
}

#[inline]
pub const fn MACH_MSGH_BITS_REMOTE(bits: mach_msg_bits_t) -> mach_msg_bits_t {
    bits & MACH_MSGH_BITS_REMOTE_MASK
}

#[inline]
pub const fn MACH_MSGH_BITS_LOCAL(bits: mach_msg_bits_t) -> mach_msg_bits_t {
    (bits & MACH_MSGH_BITS_LOCAL_MASK) >> 8
}

#[inline]
pub const fn MACH_MSGH_BITS_VOUCHER(bits: mach_msg_bits_t) -> mach_msg_bits_t {
    (bits & MACH_MSGH_BITS_VOUCHER_MASK) >> 16
}

#[inline]
pub const fn MACH_MSGH_BITS_PORTS(bits: mach_msg_bits_t) -> mach_msg_bits_t {
    bits & MACH_MSGH_BITS_PORTS_MASK
}

#[inline]
pub const fn MACH_MSGH_BITS_OTHER(bits: mach_msg_bits_t) -> mach_msg_bits_t {
    bits & !MACH_MSGH_BITS_PORTS_MASK
}

#[inline]
pub const fn MACH_MSGH_BITS_HAS_REMOTE(bits: mach_msg_bits_t) -> bool {
    MACH_MSGH_BITS_REMOTE(bits) != MACH_MSGH_BITS_ZERO
}

#[inline]
pub const fn MACH_MSGH_BITS_HAS_LOCAL(bits: mach_msg_bits_t) -> bool {
    MACH_MSGH_BITS_LOCAL(bits) != MACH_MSGH_BITS_ZERO
}

#[inline]
pub const fn MACH_MSGH_BITS_HAS_VOUCHER(bits: mach_msg_bits_t) -> bool {
    MACH_MSGH_BITS_VOUCHER(bits) != MACH_MSGH_BITS_ZERO
}

#[inline]
pub const fn MACH_MSGH_BITS_IS_COMPLEX(bits: mach_msg_bits_t) -> bool {
    (bits & MACH_MSGH_BITS_COMPLEX) != MACH_MSGH_BITS_ZERO
}

#[inline]
pub const fn MACH_MSGH_BITS_RAISED_IMPORTANCE(bits: mach_msg_bits_t) -> bool {
    (bits & MACH_MSGH_BITS_RAISEIMP) != MACH_MSGH_BITS_ZERO
}

#[inline]
pub const fn MACH_MSGH_BITS_HOLDS_IMPORTANCE_ASSERTION(bits: mach_msg_bits_t) -> bool {
    (bits & MACH_MSGH_BITS_IMPHOLDASRT) != MACH_MSGH_BITS_ZERO
}

pub const MACH_MSG_TYPE_MOVE_RECEIVE: mach_msg_type_name_t = 16;
pub const MACH_MSG_TYPE_MOVE_SEND: mach_msg_type_name_t = 17;
pub const MACH_MSG_TYPE_MOVE_SEND_ONCE: mach_msg_type_name_t = 18;
pub const MACH_MSG_TYPE_COPY_SEND: mach_msg_type_name_t = 19;
pub const MACH_MSG_TYPE_MAKE_SEND: mach_msg_type_name_t = 20;
pub const MACH_MSG_TYPE_MAKE_SEND_ONCE: mach_msg_type_name_t = 21;
pub const MACH_MSG_TYPE_COPY_RECEIVE: mach_msg_type_name_t = 22;
pub const MACH_MSG_TYPE_DISPOSE_RECEIVE: mach_msg_type_name_t = 24;
pub const MACH_MSG_TYPE_DISPOSE_SEND: mach_msg_type_name_t = 25;
pub const MACH_MSG_TYPE_DISPOSE_SEND_ONCE: mach_msg_type_name_t = 26;

// A descriptor's disposition once the message has been received, rather
// than what the sender asked for: aliases of the move dispositions.
pub const MACH_MSG_TYPE_PORT_NONE: mach_msg_type_name_t = 0;
pub const MACH_MSG_TYPE_PORT_NAME: mach_msg_type_name_t = 15;
pub const MACH_MSG_TYPE_PORT_RECEIVE: mach_msg_type_name_t = MACH_MSG_TYPE_MOVE_RECEIVE;
pub const MACH_MSG_TYPE_PORT_SEND: mach_msg_type_name_t = MACH_MSG_TYPE_MOVE_SEND;
pub const MACH_MSG_TYPE_PORT_SEND_ONCE: mach_msg_type_name_t = MACH_MSG_TYPE_MOVE_SEND_ONCE;
pub const MACH_MSG_TYPE_LAST: mach_msg_type_name_t = 22;
pub const MACH_MSG_TYPE_POLYMORPHIC: mach_msg_type_name_t = !0;

#[inline]
pub const fn MACH_MSG_TYPE_PORT_ANY(x: mach_msg_type_name_t) -> bool {
    x >= MACH_MSG_TYPE_MOVE_RECEIVE && x <= MACH_MSG_TYPE_MAKE_SEND_ONCE
}

#[inline]
pub const fn MACH_MSG_TYPE_PORT_ANY_SEND(x: mach_msg_type_name_t) -> bool {
    x >= MACH_MSG_TYPE_MOVE_SEND && x <= MACH_MSG_TYPE_MAKE_SEND_ONCE
}

#[inline]
pub const fn MACH_MSG_TYPE_PORT_ANY_RIGHT(x: mach_msg_type_name_t) -> bool {
    x >= MACH_MSG_TYPE_MOVE_RECEIVE && x <= MACH_MSG_TYPE_MOVE_SEND_ONCE
}

pub const MACH_MSG_PHYSICAL_COPY: mach_msg_copy_options_t = 0;
pub const MACH_MSG_VIRTUAL_COPY: mach_msg_copy_options_t = 1;
pub const MACH_MSG_ALLOCATE: mach_msg_copy_options_t = 2;
pub const MACH_MSG_OVERWRITE: mach_msg_copy_options_t = 3;

pub const MACH_MSG_GUARD_FLAGS_NONE: mach_msg_guard_flags_t = 0;
pub const MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE: mach_msg_guard_flags_t = 1;
pub const MACH_MSG_GUARD_FLAGS_UNGUARDED_ON_SEND: mach_msg_guard_flags_t = 2;
pub const MACH_MSG_GUARD_FLAGS_MASK: mach_msg_guard_flags_t = 3;

pub const MACH_MSG_PORT_DESCRIPTOR: mach_msg_descriptor_type_t = 0;
pub const MACH_MSG_OOL_DESCRIPTOR: mach_msg_descriptor_type_t = 1;
pub const MACH_MSG_OOL_PORTS_DESCRIPTOR: mach_msg_descriptor_type_t = 2;
pub const MACH_MSG_OOL_VOLATILE_DESCRIPTOR: mach_msg_descriptor_type_t = 3;
pub const MACH_MSG_GUARDED_PORT_DESCRIPTOR: mach_msg_descriptor_type_t = 4;
pub const MACH_MSG_DESCRIPTOR_MAX: mach_msg_descriptor_type_t = MACH_MSG_GUARDED_PORT_DESCRIPTOR;

pub const MACH_MSG_OPTION_NONE: mach_msg_option_t = 0x0000_0000;

pub const MACH_SEND_MSG: mach_msg_option_t = 0x0000_0001;
pub const MACH_RCV_MSG: mach_msg_option_t = 0x0000_0002;

pub const MACH_RCV_LARGE: mach_msg_option_t = 0x0000_0004;
pub const MACH_RCV_LARGE_IDENTITY: mach_msg_option_t = 0x0000_0008;

pub const MACH_SEND_TIMEOUT: mach_msg_option_t = 0x0000_0010;
pub const MACH_SEND_OVERRIDE: mach_msg_option_t = 0x0000_0020;
pub const MACH_SEND_INTERRUPT: mach_msg_option_t = 0x0000_0040;
pub const MACH_SEND_NOTIFY: mach_msg_option_t = 0x0000_0080;
pub const MACH_SEND_ALWAYS: mach_msg_option_t = 0x0001_0000;
pub const MACH_SEND_FILTER_NONFATAL: mach_msg_option_t = 0x0001_0000;
pub const MACH_SEND_TRAILER: mach_msg_option_t = 0x0002_0000;
pub const MACH_SEND_NOIMPORTANCE: mach_msg_option_t = 0x0004_0000;
pub const MACH_SEND_NODENAP: mach_msg_option_t = MACH_SEND_NOIMPORTANCE;
pub const MACH_SEND_IMPORTANCE: mach_msg_option_t = 0x0008_0000;
pub const MACH_SEND_SYNC_OVERRIDE: mach_msg_option_t = 0x0010_0000;
pub const MACH_SEND_PROPAGATE_QOS: mach_msg_option_t = 0x0020_0000;
pub const MACH_SEND_SYNC_USE_THRPRI: mach_msg_option_t = MACH_SEND_PROPAGATE_QOS;
pub const MACH_SEND_KERNEL: mach_msg_option_t = 0x0040_0000;
pub const MACH_SEND_SYNC_BOOTSTRAP_CHECKIN: mach_msg_option_t = 0x0080_0000;

pub const MACH_RCV_TIMEOUT: mach_msg_option_t = 0x0000_0100;
pub const MACH_RCV_NOTIFY: mach_msg_option_t = 0x0000_0000;
pub const MACH_RCV_INTERRUPT: mach_msg_option_t = 0x0000_0400;
pub const MACH_RCV_VOUCHER: mach_msg_option_t = 0x0000_0800;
pub const MACH_RCV_OVERWRITE: mach_msg_option_t = 0x0000_0000;
pub const MACH_RCV_GUARDED_DESC: mach_msg_option_t = 0x0000_1000;
pub const MACH_RCV_SYNC_WAIT: mach_msg_option_t = 0x0000_4000;
pub const MACH_RCV_SYNC_PEEK: mach_msg_option_t = 0x0000_8000;

pub const MACH_MSG_STRICT_REPLY: mach_msg_option_t = 0x0000_0200;

pub const MACH_RCV_TRAILER_NULL: mach_msg_trailer_type_t = 0;
pub const MACH_RCV_TRAILER_SEQNO: mach_msg_trailer_type_t = 1;
pub const MACH_RCV_TRAILER_SENDER: mach_msg_trailer_type_t = 2;
pub const MACH_RCV_TRAILER_AUDIT: mach_msg_trailer_type_t = 3;
pub const MACH_RCV_TRAILER_CTX: mach_msg_trailer_type_t = 4;
pub const MACH_RCV_TRAILER_AV: mach_msg_trailer_type_t = 7;
pub const MACH_RCV_TRAILER_LABELS: mach_msg_trailer_type_t = 8;

/// `MACH_RCV_TRAILER_TYPE(x)`: the trailer format, in receive options.
#[inline]
pub const fn MACH_RCV_TRAILER_TYPE(x: mach_msg_trailer_type_t) -> mach_msg_option_t {
    ((x & 0xf) << 28) as mach_msg_option_t
}

/// `MACH_RCV_TRAILER_ELEMENTS(x)`: the trailer elements, in receive options.
#[inline]
pub const fn MACH_RCV_TRAILER_ELEMENTS(x: mach_msg_trailer_type_t) -> mach_msg_option_t {
    ((x & 0xf) << 24) as mach_msg_option_t
}

pub const MACH_RCV_TRAILER_MASK: mach_msg_option_t = 0xf << 24;

/// `GET_RCV_ELEMENTS(option)`.
#[inline]
pub const fn GET_RCV_ELEMENTS(y: mach_msg_option_t) -> mach_msg_trailer_type_t {
    ((y >> 24) & 0xf) as mach_msg_trailer_type_t
}

/// `REQUESTED_TRAILER_SIZE(option)`: the size of the trailer the receive
/// options ask for.
#[inline]
pub const fn REQUESTED_TRAILER_SIZE(y: mach_msg_option_t) -> mach_msg_trailer_size_t {
    (match GET_RCV_ELEMENTS(y) {
        MACH_RCV_TRAILER_NULL => mem::size_of::<mach_msg_trailer_t>(),
        MACH_RCV_TRAILER_SEQNO => mem::size_of::<mach_msg_seqno_trailer_t>(),
        MACH_RCV_TRAILER_SENDER => mem::size_of::<mach_msg_security_trailer_t>(),
        MACH_RCV_TRAILER_AUDIT => mem::size_of::<mach_msg_audit_trailer_t>(),
        MACH_RCV_TRAILER_CTX => mem::size_of::<mach_msg_context_trailer_t>(),
        MACH_RCV_TRAILER_AV => mem::size_of::<mach_msg_mac_trailer_t>(),
        _ => mem::size_of::<mach_msg_max_trailer_t>(),
    }) as mach_msg_trailer_size_t
}

/// `REQUESTED_TRAILER_SIZE_NATIVE(option)` (the same on LP64).
#[inline]
pub const fn REQUESTED_TRAILER_SIZE_NATIVE(y: mach_msg_option_t) -> mach_msg_trailer_size_t {
    REQUESTED_TRAILER_SIZE(y)
}

pub const MACH_MSG_SUCCESS: mach_msg_return_t = 0x0000_0000;

pub const MACH_MSG_MASK: mach_msg_return_t = 0x0000_3e00;
pub const MACH_MSG_IPC_SPACE: mach_msg_return_t = 0x0000_2000;
pub const MACH_MSG_VM_SPACE: mach_msg_return_t = 0x0000_1000;
pub const MACH_MSG_IPC_KERNEL: mach_msg_return_t = 0x0000_0800;
pub const MACH_MSG_VM_KERNEL: mach_msg_return_t = 0x0000_0400;

pub const MACH_SEND_IN_PROGRESS: mach_msg_return_t = 0x1000_0001;
pub const MACH_SEND_INVALID_DATA: mach_msg_return_t = 0x1000_0002;
pub const MACH_SEND_INVALID_DEST: mach_msg_return_t = 0x1000_0003;
pub const MACH_SEND_TIMED_OUT: mach_msg_return_t = 0x1000_0004;
pub const MACH_SEND_INVALID_VOUCHER: mach_msg_return_t = 0x1000_0005;
pub const MACH_SEND_INTERRUPTED: mach_msg_return_t = 0x1000_0007;
pub const MACH_SEND_MSG_TOO_SMALL: mach_msg_return_t = 0x1000_0008;
pub const MACH_SEND_INVALID_REPLY: mach_msg_return_t = 0x1000_0009;
pub const MACH_SEND_INVALID_RIGHT: mach_msg_return_t = 0x1000_000a;
pub const MACH_SEND_INVALID_NOTIFY: mach_msg_return_t = 0x1000_000b;
pub const MACH_SEND_INVALID_MEMORY: mach_msg_return_t = 0x1000_000c;
pub const MACH_SEND_NO_BUFFER: mach_msg_return_t = 0x1000_000d;
pub const MACH_SEND_TOO_LARGE: mach_msg_return_t = 0x1000_000e;
pub const MACH_SEND_INVALID_TYPE: mach_msg_return_t = 0x1000_000f;
pub const MACH_SEND_INVALID_HEADER: mach_msg_return_t = 0x1000_0010;
pub const MACH_SEND_INVALID_TRAILER: mach_msg_return_t = 0x1000_0011;
pub const MACH_SEND_INVALID_CONTEXT: mach_msg_return_t = 0x1000_0012;
pub const MACH_SEND_INVALID_OPTIONS: mach_msg_return_t = 0x1000_0013;
pub const MACH_SEND_INVALID_RT_OOL_SIZE: mach_msg_return_t = 0x1000_0015;
pub const MACH_SEND_NO_GRANT_DEST: mach_msg_return_t = 0x1000_0016;
pub const MACH_SEND_MSG_FILTERED: mach_msg_return_t = 0x1000_0017;
pub const MACH_SEND_AUX_TOO_SMALL: mach_msg_return_t = 0x1000_0018;
pub const MACH_SEND_AUX_TOO_LARGE: mach_msg_return_t = 0x1000_0019;

pub const MACH_RCV_IN_PROGRESS: mach_msg_return_t = 0x1000_4001;
pub const MACH_RCV_INVALID_NAME: mach_msg_return_t = 0x1000_4002;
pub const MACH_RCV_TIMED_OUT: mach_msg_return_t = 0x1000_4003;
pub const MACH_RCV_TOO_LARGE: mach_msg_return_t = 0x1000_4004;
pub const MACH_RCV_INTERRUPTED: mach_msg_return_t = 0x1000_4005;
pub const MACH_RCV_PORT_CHANGED: mach_msg_return_t = 0x1000_4006;
pub const MACH_RCV_INVALID_NOTIFY: mach_msg_return_t = 0x1000_4007;
pub const MACH_RCV_INVALID_DATA: mach_msg_return_t = 0x1000_4008;
pub const MACH_RCV_PORT_DIED: mach_msg_return_t = 0x1000_4009;
pub const MACH_RCV_IN_SET: mach_msg_return_t = 0x1000_400a;
pub const MACH_RCV_HEADER_ERROR: mach_msg_return_t = 0x1000_400b;
pub const MACH_RCV_BODY_ERROR: mach_msg_return_t = 0x1000_400c;
pub const MACH_RCV_INVALID_TYPE: mach_msg_return_t = 0x1000_400d;
pub const MACH_RCV_SCATTER_SMALL: mach_msg_return_t = 0x1000_400e;
pub const MACH_RCV_INVALID_TRAILER: mach_msg_return_t = 0x1000_400f;
pub const MACH_RCV_IN_PROGRESS_TIMED: mach_msg_return_t = 0x1000_4011;
pub const MACH_RCV_INVALID_REPLY: mach_msg_return_t = 0x1000_4012;
pub const MACH_RCV_INVALID_ARGUMENTS: mach_msg_return_t = 0x1000_4013;

#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct mach_msg_header_t {
    pub msgh_bits: mach_msg_bits_t,
    pub msgh_size: mach_msg_size_t,
    pub msgh_remote_port: mach_port_t,
    pub msgh_local_port: mach_port_t,
    pub msgh_voucher_port: mach_port_name_t,
    pub msgh_id: mach_msg_id_t,
}

#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct mach_msg_body_t {
    pub msgh_descriptor_count: mach_msg_size_t,
}

#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct mach_msg_base_t {
    pub header: mach_msg_header_t,
    pub body: mach_msg_body_t,
}

#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct mach_msg_empty_send_t {
    pub header: mach_msg_header_t,
}

#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct mach_msg_empty_rcv_t {
    pub header: mach_msg_header_t,
    pub trailer: mach_msg_trailer_t,
}

pub const MACH_MSG_TRAILER_FORMAT_0: mach_msg_trailer_type_t = 0;

#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct mach_msg_trailer_t {
    pub msgh_trailer_type: mach_msg_trailer_type_t,
    pub msgh_trailer_size: mach_msg_trailer_size_t,
}

#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct mach_msg_seqno_trailer_t {
    pub msgh_trailer_type: mach_msg_trailer_type_t,
    pub msgh_trailer_size: mach_msg_trailer_size_t,
    pub msgh_seqno: mach_port_seqno_t,
}

#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct security_token_t {
    pub val: [c_uint; 2],
}

#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct mach_msg_security_trailer_t {
    pub msgh_trailer_type: mach_msg_trailer_type_t,
    pub msgh_trailer_size: mach_msg_trailer_size_t,
    pub msgh_seqno: mach_port_seqno_t,
    pub msgh_sender: security_token_t,
}

pub type mach_msg_format_0_trailer_t = mach_msg_security_trailer_t;

#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct audit_token_t {
    pub val: [c_uint; 8],
}

#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct mach_msg_audit_trailer_t {
    pub msgh_trailer_type: mach_msg_trailer_type_t,
    pub msgh_trailer_size: mach_msg_trailer_size_t,
    pub msgh_seqno: mach_port_seqno_t,
    pub msgh_sender: security_token_t,
    pub msgh_audit: audit_token_t,
}

/// Packed to 4 bytes as in C (`#pragma pack(4)`): `msgh_context` is at 52.
#[repr(C, packed(4))]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct mach_msg_context_trailer_t {
    pub msgh_trailer_type: mach_msg_trailer_type_t,
    pub msgh_trailer_size: mach_msg_trailer_size_t,
    pub msgh_seqno: mach_port_seqno_t,
    pub msgh_sender: security_token_t,
    pub msgh_audit: audit_token_t,
    pub msgh_context: mach_port_context_t,
}

#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct msg_labels_t {
    pub sender: mach_port_name_t,
}

/// The largest trailer (the "AV" trailer); packed to 4 bytes as in C.
#[repr(C, packed(4))]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct mach_msg_mac_trailer_t {
    pub msgh_trailer_type: mach_msg_trailer_type_t,
    pub msgh_trailer_size: mach_msg_trailer_size_t,
    pub msgh_seqno: mach_port_seqno_t,
    pub msgh_sender: security_token_t,
    pub msgh_audit: audit_token_t,
    pub msgh_context: mach_port_context_t,
    pub msgh_ad: mach_msg_filter_id,
    pub msgh_labels: msg_labels_t,
}

pub type mach_msg_max_trailer_t = mach_msg_mac_trailer_t;

pub const MAX_TRAILER_SIZE: mach_msg_size_t = mem::size_of::<mach_msg_max_trailer_t>() as _;
pub const MACH_MSG_TRAILER_MINIMUM_SIZE: mach_msg_size_t =
    mem::size_of::<mach_msg_trailer_t>() as _;
pub const MACH_MSG_TRAILER_FORMAT_0_SIZE: mach_msg_size_t =
    mem::size_of::<mach_msg_format_0_trailer_t>() as _;

#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct mach_msg_type_descriptor_t {
    pub pad1: natural_t,
    pub pad2: mach_msg_size_t,
    /// C bit-field `pad3 : 24`.
    pub pad3: [u8; 3],
    /// C bit-field `type : 8` (`mach_msg_descriptor_type_t`).
    pub type_: u8,
}

#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct mach_msg_port_descriptor_t {
    pub name: mach_port_t,
    pub pad1: mach_msg_size_t,
    /// C bit-field `pad2 : 16`.
    pub pad2: u16,
    /// C bit-field `disposition : 8` (`mach_msg_type_name_t`).
    pub disposition: u8,
    /// C bit-field `type : 8` (`mach_msg_descriptor_type_t`).
    pub type_: u8,
}

impl mach_msg_port_descriptor_t {
    pub fn new(name: mach_port_t, disposition: mach_msg_type_name_t) -> Self {
        Self {
            name,
            pad1: 0,
            pad2: 0,
            disposition: disposition as u8,
            type_: MACH_MSG_PORT_DESCRIPTOR as u8,
        }
    }
}

/// Packed to 4 bytes as in C (`#pragma pack(4)`).
#[repr(C, packed(4))]
#[derive(Copy, Clone, Debug, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct mach_msg_ool_descriptor_t {
    pub address: *mut c_void,
    /// C bit-field `deallocate : 8` (`boolean_t`).
    pub deallocate: u8,
    /// C bit-field `copy : 8` (`mach_msg_copy_options_t`).
    pub copy: u8,
    /// C bit-field `pad1 : 8`.
    pub pad1: u8,
    /// C bit-field `type : 8` (`mach_msg_descriptor_type_t`).
    pub type_: u8,
    pub size: mach_msg_size_t,
}

impl mach_msg_ool_descriptor_t {
    pub fn new(
        address: *mut c_void,
        deallocate: bool,
        copy: mach_msg_copy_options_t,
        size: mach_msg_size_t,
    ) -> Self {
        Self {
            address,
            deallocate: u8::from(deallocate),
            copy: copy as u8,
            pad1: 0,
            type_: MACH_MSG_OOL_DESCRIPTOR as u8,
            size,
        }
    }
}

/// Packed to 4 bytes as in C (`#pragma pack(4)`).
#[repr(C, packed(4))]
#[derive(Copy, Clone, Debug, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct mach_msg_ool_ports_descriptor_t {
    pub address: *mut c_void,
    /// C bit-field `deallocate : 8` (`boolean_t`).
    pub deallocate: u8,
    /// C bit-field `copy : 8` (`mach_msg_copy_options_t`).
    pub copy: u8,
    /// C bit-field `disposition : 8` (`mach_msg_type_name_t`).
    pub disposition: u8,
    /// C bit-field `type : 8` (`mach_msg_descriptor_type_t`).
    pub type_: u8,
    pub count: mach_msg_size_t,
}

impl mach_msg_ool_ports_descriptor_t {
    pub fn new(
        address: *mut c_void,
        deallocate: bool,
        copy: mach_msg_copy_options_t,
        disposition: mach_msg_type_name_t,
        count: mach_msg_size_t,
    ) -> Self {
        Self {
            address,
            deallocate: u8::from(deallocate),
            copy: copy as u8,
            disposition: disposition as u8,
            type_: MACH_MSG_OOL_PORTS_DESCRIPTOR as u8,
            count,
        }
    }
}

/// Packed to 4 bytes as in C (`#pragma pack(4)`).
#[repr(C, packed(4))]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct mach_msg_guarded_port_descriptor_t {
    pub context: mach_port_context_t,
    /// C bit-field `flags : 16` (`mach_msg_guard_flags_t`).
    pub flags: u16,
    /// C bit-field `disposition : 8` (`mach_msg_type_name_t`).
    pub disposition: u8,
    /// C bit-field `type : 8` (`mach_msg_descriptor_type_t`).
    pub type_: u8,
    pub name: mach_port_name_t,
}

/// `round_msg(x)`: a message size rounded up to a `natural_t` boundary.
#[inline]
pub const fn round_msg(x: mach_msg_size_t) -> mach_msg_size_t {
    let n = mem::size_of::<natural_t>() as mach_msg_size_t;
    (x + n - 1) & !(n - 1)
}

pub const MACH_MSG_SIZE_MAX: mach_msg_size_t = !0;
pub const MACH_MSG_SIZE_RELIABLE: mach_msg_size_t = 256 * 1024;

pub const MACH_MSGH_KIND_NORMAL: mach_msg_bits_t = 0x0000_0000;
pub const MACH_MSGH_KIND_NOTIFICATION: mach_msg_bits_t = 0x0000_0001;

unsafe extern "C" {
    pub fn mach_msg(
        msg: *mut mach_msg_header_t,
        option: mach_msg_option_t,
        send_size: mach_msg_size_t,
        recv_size: mach_msg_size_t,
        recv_name: mach_port_name_t,
        timeout: mach_msg_timeout_t,
        notify: mach_port_name_t,
    ) -> mach_msg_return_t;

    pub fn mach_msg_overwrite(
        msg: *mut mach_msg_header_t,
        option: mach_msg_option_t,
        send_size: mach_msg_size_t,
        rcv_size: mach_msg_size_t,
        rcv_name: mach_port_name_t,
        timeout: mach_msg_timeout_t,
        notify: mach_port_name_t,
        rcv_msg: *mut mach_msg_header_t,
        rcv_limit: mach_msg_size_t,
    ) -> mach_msg_return_t;

    // from mach/mach.h
    pub fn mach_msg_send(msg: *mut mach_msg_header_t) -> mach_msg_return_t;
    pub fn mach_msg_receive(msg: *mut mach_msg_header_t) -> mach_msg_return_t;
    pub fn mach_msg_destroy(msg: *mut mach_msg_header_t);
}
