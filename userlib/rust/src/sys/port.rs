//! `<mach/port.h>`: port names, rights, types and attributes.

use crate::sys::boolean::boolean_t;
use crate::sys::vm_types::{integer_t, natural_t};
use core::ffi::{c_char, c_int, c_uint};
use core::mem;

pub type mach_port_name_t = natural_t;
pub type mach_port_name_array_t = *mut mach_port_name_t;

pub type mach_port_t = c_uint;
pub type mach_port_array_t = *mut mach_port_t;

pub const MACH_PORT_NULL: mach_port_t = 0;
pub const MACH_PORT_DEAD: mach_port_t = !0;

/// `MACH_PORT_VALID(name)`: neither `MACH_PORT_NULL` nor `MACH_PORT_DEAD`.
#[inline]
pub const fn MACH_PORT_VALID(name: mach_port_name_t) -> bool {
    name != MACH_PORT_NULL && name != MACH_PORT_DEAD
}

/// `MACH_PORT_INDEX(name)`: the name's index in its space's table.
#[inline]
pub const fn MACH_PORT_INDEX(name: mach_port_name_t) -> mach_port_name_t {
    name >> 8
}

/// `MACH_PORT_GEN(name)`: the name's generation, in the top byte.
#[inline]
pub const fn MACH_PORT_GEN(name: mach_port_name_t) -> mach_port_name_t {
    (name & 0xff) << 24
}

/// `MACH_PORT_MAKE(index, gen)`.
#[inline]
pub const fn MACH_PORT_MAKE(index: mach_port_name_t, gen: mach_port_name_t) -> mach_port_name_t {
    (index << 8) | (gen >> 24)
}

pub type mach_port_right_t = natural_t;

pub const MACH_PORT_RIGHT_SEND: mach_port_right_t = 0;
pub const MACH_PORT_RIGHT_RECEIVE: mach_port_right_t = 1;
pub const MACH_PORT_RIGHT_SEND_ONCE: mach_port_right_t = 2;
pub const MACH_PORT_RIGHT_PORT_SET: mach_port_right_t = 3;
pub const MACH_PORT_RIGHT_DEAD_NAME: mach_port_right_t = 4;
pub const MACH_PORT_RIGHT_LABELH: mach_port_right_t = 5;
pub const MACH_PORT_RIGHT_NUMBER: mach_port_right_t = 6;

pub type mach_port_type_t = natural_t;
pub type mach_port_type_array_t = *mut mach_port_type_t;

/// `MACH_PORT_TYPE(right)`: the type bit of a right.
#[inline]
pub const fn MACH_PORT_TYPE(right: mach_port_right_t) -> mach_port_type_t {
    1 << (right + 16)
}

pub const MACH_PORT_TYPE_NONE: mach_port_type_t = 0;
pub const MACH_PORT_TYPE_SEND: mach_port_type_t = MACH_PORT_TYPE(MACH_PORT_RIGHT_SEND);
pub const MACH_PORT_TYPE_RECEIVE: mach_port_type_t = MACH_PORT_TYPE(MACH_PORT_RIGHT_RECEIVE);
pub const MACH_PORT_TYPE_SEND_ONCE: mach_port_type_t = MACH_PORT_TYPE(MACH_PORT_RIGHT_SEND_ONCE);
pub const MACH_PORT_TYPE_PORT_SET: mach_port_type_t = MACH_PORT_TYPE(MACH_PORT_RIGHT_PORT_SET);
pub const MACH_PORT_TYPE_DEAD_NAME: mach_port_type_t = MACH_PORT_TYPE(MACH_PORT_RIGHT_DEAD_NAME);
pub const MACH_PORT_TYPE_LABELH: mach_port_type_t = MACH_PORT_TYPE(MACH_PORT_RIGHT_LABELH);
pub const MACH_PORT_TYPE_SEND_RECEIVE: mach_port_type_t =
    MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE;
pub const MACH_PORT_TYPE_SEND_RIGHTS: mach_port_type_t =
    MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_SEND_ONCE;
pub const MACH_PORT_TYPE_PORT_RIGHTS: mach_port_type_t =
    MACH_PORT_TYPE_SEND_RIGHTS | MACH_PORT_TYPE_RECEIVE;
pub const MACH_PORT_TYPE_PORT_OR_DEAD: mach_port_type_t =
    MACH_PORT_TYPE_PORT_RIGHTS | MACH_PORT_TYPE_DEAD_NAME;
pub const MACH_PORT_TYPE_ALL_RIGHTS: mach_port_type_t =
    MACH_PORT_TYPE_PORT_OR_DEAD | MACH_PORT_TYPE_PORT_SET;
pub const MACH_PORT_TYPE_DNREQUEST: mach_port_type_t = 0x8000_0000;
pub const MACH_PORT_TYPE_SPREQUEST: mach_port_type_t = 0x4000_0000;
pub const MACH_PORT_TYPE_SPREQUEST_DELAYED: mach_port_type_t = 0x2000_0000;

pub type mach_port_urefs_t = natural_t;
pub type mach_port_delta_t = integer_t;

pub const MACH_PORT_UREFS_MAX: mach_port_urefs_t = (1 << 16) - 1;

pub type mach_port_seqno_t = natural_t;
pub type mach_port_mscount_t = natural_t;
pub type mach_port_msgcount_t = natural_t;
pub type mach_port_rights_t = natural_t;

pub const MACH_PORT_SRIGHTS_NONE: mach_port_srights_t = 0;
pub const MACH_PORT_SRIGHTS_PRESENT: mach_port_srights_t = 1;
pub type mach_port_srights_t = c_uint;

#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct mach_port_status {
    pub mps_pset: mach_port_rights_t,
    pub mps_seqno: mach_port_seqno_t,
    pub mps_mscount: mach_port_mscount_t,
    pub mps_qlimit: mach_port_msgcount_t,
    pub mps_msgcount: mach_port_msgcount_t,
    pub mps_sorights: mach_port_rights_t,
    pub mps_srights: boolean_t,
    pub mps_pdrequest: boolean_t,
    pub mps_nsrequest: boolean_t,
    pub mps_flags: natural_t,
}
pub type mach_port_status_t = mach_port_status;

pub const MACH_PORT_QLIMIT_ZERO: mach_port_msgcount_t = 0;
pub const MACH_PORT_QLIMIT_BASIC: mach_port_msgcount_t = 5;
pub const MACH_PORT_QLIMIT_SMALL: mach_port_msgcount_t = 16;
pub const MACH_PORT_QLIMIT_LARGE: mach_port_msgcount_t = 1024;
pub const MACH_PORT_QLIMIT_KERNEL: mach_port_msgcount_t = 65534;
pub const MACH_PORT_QLIMIT_MIN: mach_port_msgcount_t = MACH_PORT_QLIMIT_ZERO;
pub const MACH_PORT_QLIMIT_DEFAULT: mach_port_msgcount_t = MACH_PORT_QLIMIT_BASIC;
pub const MACH_PORT_QLIMIT_MAX: mach_port_msgcount_t = MACH_PORT_QLIMIT_LARGE;

#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct mach_port_limits_t {
    pub mpl_qlimit: mach_port_msgcount_t,
}

pub const MACH_PORT_STATUS_FLAG_TEMPOWNER: natural_t = 0x01;
pub const MACH_PORT_STATUS_FLAG_GUARDED: natural_t = 0x02;
pub const MACH_PORT_STATUS_FLAG_STRICT_GUARD: natural_t = 0x04;
pub const MACH_PORT_STATUS_FLAG_IMP_DONATION: natural_t = 0x08;
pub const MACH_PORT_STATUS_FLAG_REVIVE: natural_t = 0x10;
pub const MACH_PORT_STATUS_FLAG_TASKPTR: natural_t = 0x20;
pub const MACH_PORT_STATUS_FLAG_GUARD_IMMOVABLE_RECEIVE: natural_t = 0x40;
pub const MACH_PORT_STATUS_FLAG_NO_GRANT: natural_t = 0x80;

#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct mach_port_info_ext {
    pub mpie_status: mach_port_status_t,
    pub mpie_boost_cnt: mach_port_msgcount_t,
    pub reserved: [u32; 6],
}
pub type mach_port_info_ext_t = mach_port_info_ext;

#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct mach_port_guard_info {
    pub mpgi_guard: u64,
}
pub type mach_port_guard_info_t = mach_port_guard_info;

pub type mach_port_info_t = *mut integer_t;

/* Flavors for mach_port_get/set/assert_attributes() */
pub type mach_port_flavor_t = c_int;

pub const MACH_PORT_LIMITS_INFO: mach_port_flavor_t = 1;
pub const MACH_PORT_RECEIVE_STATUS: mach_port_flavor_t = 2;
pub const MACH_PORT_DNREQUESTS_SIZE: mach_port_flavor_t = 3;
pub const MACH_PORT_TEMPOWNER: mach_port_flavor_t = 4;
pub const MACH_PORT_IMPORTANCE_RECEIVER: mach_port_flavor_t = 5;
pub const MACH_PORT_DENAP_RECEIVER: mach_port_flavor_t = 6;
pub const MACH_PORT_INFO_EXT: mach_port_flavor_t = 7;
pub const MACH_PORT_GUARD_INFO: mach_port_flavor_t = 8;
pub const MACH_PORT_SERVICE_THROTTLED: mach_port_flavor_t = 9;

pub const MACH_PORT_LIMITS_INFO_COUNT: natural_t =
    (mem::size_of::<mach_port_limits_t>() / mem::size_of::<natural_t>()) as natural_t;
pub const MACH_PORT_RECEIVE_STATUS_COUNT: natural_t =
    (mem::size_of::<mach_port_status_t>() / mem::size_of::<natural_t>()) as natural_t;
pub const MACH_PORT_DNREQUESTS_SIZE_COUNT: natural_t = 1;
pub const MACH_PORT_INFO_EXT_COUNT: natural_t =
    (mem::size_of::<mach_port_info_ext_t>() / mem::size_of::<natural_t>()) as natural_t;
pub const MACH_PORT_GUARD_INFO_COUNT: natural_t =
    (mem::size_of::<mach_port_guard_info_t>() / mem::size_of::<natural_t>()) as natural_t;
pub const MACH_PORT_SERVICE_THROTTLED_COUNT: natural_t = 1;

pub const MPO_CONTEXT_AS_GUARD: u32 = 0x01;
pub const MPO_QLIMIT: u32 = 0x02;
pub const MPO_TEMPOWNER: u32 = 0x04;
pub const MPO_IMPORTANCE_RECEIVER: u32 = 0x08;
pub const MPO_INSERT_SEND_RIGHT: u32 = 0x10;
pub const MPO_STRICT: u32 = 0x20;
pub const MPO_DENAP_RECEIVER: u32 = 0x40;
pub const MPO_IMMOVABLE_RECEIVE: u32 = 0x80;
pub const MPO_FILTER_MSG: u32 = 0x100;
pub const MPO_TG_BLOCK_TRACKING: u32 = 0x200;
pub const MPO_SERVICE_PORT: u32 = 0x400;
pub const MPO_CONNECTION_PORT: u32 = 0x800;
pub const MPO_REPLY_PORT: u32 = 0x1000;
pub const MPO_ENFORCE_REPLY_PORT_SEMANTICS: u32 = 0x2000;
pub const MPO_PROVISIONAL_REPLY_PORT: u32 = 0x4000;
pub const MPO_PROVISIONAL_ID_PROT_OPTOUT: u32 = 0x8000;

/// `mach_port_qos_t`, the request of `mach_port_allocate_qos` (not in
/// `mach2`). The C bit-fields `name : 1` (a name is given), `prealloc : 1`
/// (a preallocated message) and `pad1 : 30` are the word `bits`.
#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct mach_port_qos_t {
    /// C bit-fields `name : 1`, `prealloc : 1`, `pad1 : 30`.
    pub bits: c_uint,
    pub len: natural_t,
}

impl mach_port_qos_t {
    /// The `name` bit: the caller gives the name.
    pub const NAME: c_uint = 1 << 0;
    /// The `prealloc` bit: a preallocated message.
    pub const PREALLOC: c_uint = 1 << 1;
}

pub const MACH_SERVICE_PORT_INFO_STRING_NAME_MAX_BUF_LEN: c_int = 255;

/// Service port information (`MPO_SERVICE_PORT`; not in `mach2`).
#[repr(C)]
#[derive(Copy, Clone, Debug, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct mach_service_port_info {
    pub mspi_string_name: [c_char; MACH_SERVICE_PORT_INFO_STRING_NAME_MAX_BUF_LEN as usize],
    pub mspi_domain_type: u8,
}
pub type mach_service_port_info_data_t = mach_service_port_info;
pub type mach_service_port_info_t = *mut mach_service_port_info;
/// `(char)(sizeof(mach_service_port_info_data_t))`, as C has it: 256 does
/// not fit a `char`, so 0.
pub const MACH_SERVICE_PORT_INFO_COUNT: c_char =
    mem::size_of::<mach_service_port_info_data_t>() as c_char;

/// `mach_port_options_t`; `reserved` is the C union of `reserved[2]`,
/// `work_interval_port`, `service_port_info` and `service_port_name`.
#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct mach_port_options_t {
    pub flags: u32,
    pub mpl: mach_port_limits_t,
    pub reserved: [u64; 2],
}
pub type mach_port_options_ptr_t = *mut mach_port_options_t;

pub const GUARD_TYPE_MACH_PORT: c_uint = 0x1;

pub const kGUARD_EXC_DESTROY: c_uint = 1;
pub const kGUARD_EXC_MOD_REFS: c_uint = 2;
pub const kGUARD_EXC_INVALID_OPTIONS: c_uint = 3;
pub const kGUARD_EXC_SET_CONTEXT: c_uint = 4;
pub const kGUARD_EXC_THREAD_SET_STATE: c_uint = 5;
pub const kGUARD_EXC_EXCEPTION_BEHAVIOR_ENFORCE: c_uint = 6;
pub const kGUARD_EXC_UNGUARDED: c_uint = 1 << 3;
pub const kGUARD_EXC_INCORRECT_GUARD: c_uint = 1 << 4;
pub const kGUARD_EXC_IMMOVABLE: c_uint = 1 << 5;
pub const kGUARD_EXC_STRICT_REPLY: c_uint = 1 << 6;
pub const kGUARD_EXC_MSG_FILTERED: c_uint = 1 << 7;
pub const kGUARD_EXC_INVALID_RIGHT: c_uint = 1 << 8;
pub const kGUARD_EXC_INVALID_NAME: c_uint = 1 << 9;
pub const kGUARD_EXC_INVALID_VALUE: c_uint = 1 << 10;
pub const kGUARD_EXC_INVALID_ARGUMENT: c_uint = 1 << 11;
pub const kGUARD_EXC_RIGHT_EXISTS: c_uint = 1 << 12;
pub const kGUARD_EXC_KERN_NO_SPACE: c_uint = 1 << 13;
pub const kGUARD_EXC_KERN_FAILURE: c_uint = 1 << 14;
pub const kGUARD_EXC_KERN_RESOURCE: c_uint = 1 << 15;
pub const kGUARD_EXC_SEND_INVALID_REPLY: c_uint = 1 << 16;
pub const kGUARD_EXC_SEND_INVALID_VOUCHER: c_uint = 1 << 17;
pub const kGUARD_EXC_SEND_INVALID_RIGHT: c_uint = 1 << 18;
pub const kGUARD_EXC_RCV_INVALID_NAME: c_uint = 1 << 19;
pub const kGUARD_EXC_RCV_GUARDED_DESC: c_uint = 1 << 20;
pub const kGUARD_EXC_MOD_REFS_NON_FATAL: c_uint = 1 << 21;
pub const kGUARD_EXC_IMMOVABLE_NON_FATAL: c_uint = 1 << 22;
pub const kGUARD_EXC_REQUIRE_REPLY_PORT_SEMANTICS: c_uint = 1 << 23;
pub const MAX_FATAL_kGUARD_EXC_CODE: c_uint = 1 << 7;
pub const MAX_OPTIONAL_kGUARD_EXC_CODE: c_uint = 1 << 19;

pub const MPG_FLAGS_NONE: u64 = 0;
pub const MPG_FLAGS_STRICT_REPLY_INVALID_REPLY_DISP: u64 = 0x01 << 56;
pub const MPG_FLAGS_STRICT_REPLY_INVALID_REPLY_PORT: u64 = 0x02 << 56;
pub const MPG_FLAGS_STRICT_REPLY_INVALID_VOUCHER: u64 = 0x04 << 56;
pub const MPG_FLAGS_STRICT_REPLY_NO_BANK_ATTR: u64 = 0x08 << 56;
pub const MPG_FLAGS_STRICT_REPLY_MISMATCHED_PERSONA: u64 = 0x10 << 56;
pub const MPG_FLAGS_STRICT_REPLY_MASK: u64 = 0xff << 56;
pub const MPG_FLAGS_MOD_REFS_PINNED_DEALLOC: u64 = 0x01 << 56;
pub const MPG_FLAGS_MOD_REFS_PINNED_DESTROY: u64 = 0x02 << 56;
pub const MPG_FLAGS_MOD_REFS_PINNED_COPYIN: u64 = 0x04 << 56;
pub const MPG_FLAGS_IMMOVABLE_PINNED: u64 = 0x01 << 56;
pub const MPG_STRICT: u64 = 0x01;
pub const MPG_IMMOVABLE_RECEIVE: u64 = 0x02;
