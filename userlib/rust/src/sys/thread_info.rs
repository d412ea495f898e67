//! `<mach/thread_info.h>`: the flavors of `thread_info()` and their
//! structures (not a module of `mach2`). The machipc kernel answers
//! `THREAD_BASIC_INFO` and `THREAD_IDENTIFIER_INFO`.

use crate::sys::message::mach_msg_type_number_t;
use crate::sys::policy::policy_t;
use crate::sys::time_value::time_value_t;
use crate::sys::vm_types::{integer_t, natural_t};
use core::ffi::{c_char, c_int};
use core::mem;

pub type thread_flavor_t = natural_t;
/// A varying array of `integer_t`.
pub type thread_info_t = *mut integer_t;

pub const THREAD_INFO_MAX: c_int = 32;
pub type thread_info_data_t = [integer_t; THREAD_INFO_MAX as usize];

pub const THREAD_BASIC_INFO: thread_flavor_t = 3;

#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct thread_basic_info {
    pub user_time: time_value_t,
    pub system_time: time_value_t,
    /// Scaled by [`TH_USAGE_SCALE`].
    pub cpu_usage: integer_t,
    pub policy: policy_t,
    /// `TH_STATE_*`.
    pub run_state: integer_t,
    /// `TH_FLAGS_*`.
    pub flags: integer_t,
    pub suspend_count: integer_t,
    pub sleep_time: integer_t,
}
pub type thread_basic_info_data_t = thread_basic_info;
pub type thread_basic_info_t = *mut thread_basic_info;
pub const THREAD_BASIC_INFO_COUNT: mach_msg_type_number_t =
    (mem::size_of::<thread_basic_info_data_t>() / mem::size_of::<natural_t>()) as _;

pub const THREAD_IDENTIFIER_INFO: thread_flavor_t = 4;

#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct thread_identifier_info {
    /// A system-wide unique 64-bit id (the Linux thread id).
    pub thread_id: u64,
    /// The pthread handle (the TLS base).
    pub thread_handle: u64,
    pub dispatch_qaddr: u64,
}
pub type thread_identifier_info_data_t = thread_identifier_info;
pub type thread_identifier_info_t = *mut thread_identifier_info;
pub const THREAD_IDENTIFIER_INFO_COUNT: mach_msg_type_number_t =
    (mem::size_of::<thread_identifier_info_data_t>() / mem::size_of::<natural_t>()) as _;

/// The scale of `cpu_usage`: 100%.
pub const TH_USAGE_SCALE: c_int = 1000;

pub const TH_STATE_RUNNING: c_int = 1;
pub const TH_STATE_STOPPED: c_int = 2;
pub const TH_STATE_WAITING: c_int = 3;
pub const TH_STATE_UNINTERRUPTIBLE: c_int = 4;
pub const TH_STATE_HALTED: c_int = 5;

pub const TH_FLAGS_SWAPPED: c_int = 0x1;
pub const TH_FLAGS_IDLE: c_int = 0x2;
pub const TH_FLAGS_GLOBAL_FORCED_IDLE: c_int = 0x4;

pub const THREAD_EXTENDED_INFO: thread_flavor_t = 5;
pub const MAXTHREADNAMESIZE: c_int = 64;

#[repr(C)]
#[derive(Copy, Clone, Debug, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct thread_extended_info {
    pub pth_user_time: u64,
    pub pth_system_time: u64,
    pub pth_cpu_usage: i32,
    pub pth_policy: i32,
    pub pth_run_state: i32,
    pub pth_flags: i32,
    pub pth_sleep_time: i32,
    pub pth_curpri: i32,
    pub pth_priority: i32,
    pub pth_maxpriority: i32,
    pub pth_name: [c_char; MAXTHREADNAMESIZE as usize],
}
pub type thread_extended_info_data_t = thread_extended_info;
pub type thread_extended_info_t = *mut thread_extended_info;
pub const THREAD_EXTENDED_INFO_COUNT: mach_msg_type_number_t =
    (mem::size_of::<thread_extended_info_data_t>() / mem::size_of::<natural_t>()) as _;

/// Kernel development only.
pub const THREAD_DEBUG_INFO_INTERNAL: thread_flavor_t = 6;

pub const IO_NUM_PRIORITIES: c_int = 4;

#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct io_stat_entry {
    pub count: u64,
    pub size: u64,
}

#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct io_stat_info {
    pub disk_reads: io_stat_entry,
    pub io_priority: [io_stat_entry; IO_NUM_PRIORITIES as usize],
    pub paging: io_stat_entry,
    pub metadata: io_stat_entry,
    pub total_io: io_stat_entry,
}
pub type io_stat_info_t = *mut io_stat_info;

/// Obsolete flavors.
pub const THREAD_SCHED_TIMESHARE_INFO: thread_flavor_t = 10;
pub const THREAD_SCHED_RR_INFO: thread_flavor_t = 11;
pub const THREAD_SCHED_FIFO_INFO: thread_flavor_t = 12;
