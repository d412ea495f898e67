//! `<mach/processor_info.h>`: the flavors of `processor_info()`,
//! `processor_set_info()` and `processor_set_statistics()` and their
//! structures (not a module of `mach2`).

use crate::sys::boolean::boolean_t;
use crate::sys::machine::{cpu_subtype_t, cpu_type_t, CPU_STATE_MAX};
use crate::sys::message::mach_msg_type_number_t;
use crate::sys::vm_types::{integer_t, natural_t};
use core::ffi::{c_int, c_uint};
use core::mem;

/// A varying array of `integer_t`.
pub type processor_info_t = *mut integer_t;
pub type processor_info_array_t = *mut integer_t;

pub const PROCESSOR_INFO_MAX: c_int = 1024;
pub type processor_info_data_t = [integer_t; PROCESSOR_INFO_MAX as usize];

pub type processor_set_info_t = *mut integer_t;

pub const PROCESSOR_SET_INFO_MAX: c_int = 1024;
pub type processor_set_info_data_t = [integer_t; PROCESSOR_SET_INFO_MAX as usize];

pub type processor_flavor_t = c_int;
pub const PROCESSOR_BASIC_INFO: processor_flavor_t = 1;
pub const PROCESSOR_CPU_LOAD_INFO: processor_flavor_t = 2;
pub const PROCESSOR_PM_REGS_INFO: processor_flavor_t = 0x1000_0001;
pub const PROCESSOR_TEMPERATURE: processor_flavor_t = 0x1000_0002;

#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct processor_basic_info {
    pub cpu_type: cpu_type_t,
    pub cpu_subtype: cpu_subtype_t,
    pub running: boolean_t,
    pub slot_num: c_int,
    pub is_master: boolean_t,
}
pub type processor_basic_info_data_t = processor_basic_info;
pub type processor_basic_info_t = *mut processor_basic_info;
pub const PROCESSOR_BASIC_INFO_COUNT: mach_msg_type_number_t =
    (mem::size_of::<processor_basic_info_data_t>() / mem::size_of::<natural_t>()) as _;

/// Ticks spent in each `CPU_STATE_*`.
#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct processor_cpu_load_info {
    pub cpu_ticks: [c_uint; CPU_STATE_MAX as usize],
}
pub type processor_cpu_load_info_data_t = processor_cpu_load_info;
pub type processor_cpu_load_info_t = *mut processor_cpu_load_info;
pub const PROCESSOR_CPU_LOAD_INFO_COUNT: mach_msg_type_number_t =
    (mem::size_of::<processor_cpu_load_info_data_t>() / mem::size_of::<natural_t>()) as _;

/// The scale of load averages and Mach factors (1.0).
pub const LOAD_SCALE: c_int = 1000;

pub type processor_set_flavor_t = c_int;
pub const PROCESSOR_SET_BASIC_INFO: processor_set_flavor_t = 5;

#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct processor_set_basic_info {
    pub processor_count: c_int,
    pub default_policy: c_int,
}
pub type processor_set_basic_info_data_t = processor_set_basic_info;
pub type processor_set_basic_info_t = *mut processor_set_basic_info;
pub const PROCESSOR_SET_BASIC_INFO_COUNT: mach_msg_type_number_t =
    (mem::size_of::<processor_set_basic_info_data_t>() / mem::size_of::<natural_t>()) as _;

pub const PROCESSOR_SET_LOAD_INFO: processor_set_flavor_t = 4;

#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct processor_set_load_info {
    pub task_count: c_int,
    pub thread_count: c_int,
    /// Scaled by [`LOAD_SCALE`].
    pub load_average: integer_t,
    pub mach_factor: integer_t,
}
pub type processor_set_load_info_data_t = processor_set_load_info;
pub type processor_set_load_info_t = *mut processor_set_load_info;
pub const PROCESSOR_SET_LOAD_INFO_COUNT: mach_msg_type_number_t =
    (mem::size_of::<processor_set_load_info_data_t>() / mem::size_of::<natural_t>()) as _;
