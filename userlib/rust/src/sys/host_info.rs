//! `<mach/host_info.h>`: the flavors of `host_info()`, `host_statistics()`
//! and `host_statistics64()` and their structures. (`mach2` has only the
//! `HOST_VM_INFO64` counts; its `REV2` and `REV3` counts are for a longer
//! `vm_statistics64` than libmach's.)

use crate::sys::machine::{cpu_subtype_t, cpu_threadtype_t, cpu_type_t, CPU_STATE_MAX};
use crate::sys::message::mach_msg_type_number_t;
use crate::sys::vm_statistics::{
    vm_extmod_statistics_data_t, vm_purgeable_info, vm_statistics64_data_t, vm_statistics_data_t,
};
use crate::sys::vm_types::{integer_t, natural_t};
use core::ffi::{c_char, c_int};
use core::mem;

/// A varying array of `integer_t`.
pub type host_info_t = *mut integer_t;
pub type host_info64_t = *mut integer_t;

pub const HOST_INFO_MAX: c_int = 1024;
pub type host_info_data_t = [integer_t; HOST_INFO_MAX as usize];

pub const KERNEL_VERSION_MAX: c_int = 512;
pub type kernel_version_t = [c_char; KERNEL_VERSION_MAX as usize];

pub const KERNEL_BOOT_INFO_MAX: c_int = 4096;
pub type kernel_boot_info_t = [c_char; KERNEL_BOOT_INFO_MAX as usize];

pub type host_flavor_t = integer_t;

/// `host_info()` flavors.
pub const HOST_BASIC_INFO: host_flavor_t = 1;
pub const HOST_SCHED_INFO: host_flavor_t = 3;
pub const HOST_RESOURCE_SIZES: host_flavor_t = 4;
pub const HOST_PRIORITY_INFO: host_flavor_t = 5;
pub const HOST_SEMAPHORE_TRAPS: host_flavor_t = 7;
pub const HOST_MACH_MSG_TRAP: host_flavor_t = 8;
pub const HOST_VM_PURGABLE: host_flavor_t = 9;
pub const HOST_DEBUG_INFO_INTERNAL: host_flavor_t = 10;

/// Packed to 4 bytes as in C: `max_mem` is at 40, the size 48.
#[repr(C, packed(4))]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct host_basic_info {
    /// CPUs possible.
    pub max_cpus: integer_t,
    /// CPUs available now.
    pub avail_cpus: integer_t,
    /// Bytes of memory, capped at 2 GB.
    pub memory_size: natural_t,
    pub cpu_type: cpu_type_t,
    pub cpu_subtype: cpu_subtype_t,
    pub cpu_threadtype: cpu_threadtype_t,
    pub physical_cpu: integer_t,
    pub physical_cpu_max: integer_t,
    pub logical_cpu: integer_t,
    pub logical_cpu_max: integer_t,
    /// Bytes of physical memory.
    pub max_mem: u64,
}
pub type host_basic_info_data_t = host_basic_info;
pub type host_basic_info_t = *mut host_basic_info;
pub const HOST_BASIC_INFO_COUNT: mach_msg_type_number_t =
    (mem::size_of::<host_basic_info_data_t>() / mem::size_of::<integer_t>()) as _;

#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct host_sched_info {
    /// The shortest timeout, in milliseconds.
    pub min_timeout: integer_t,
    /// The shortest quantum, in milliseconds.
    pub min_quantum: integer_t,
}
pub type host_sched_info_data_t = host_sched_info;
pub type host_sched_info_t = *mut host_sched_info;
pub const HOST_SCHED_INFO_COUNT: mach_msg_type_number_t =
    (mem::size_of::<host_sched_info_data_t>() / mem::size_of::<integer_t>()) as _;

#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct kernel_resource_sizes {
    pub task: natural_t,
    pub thread: natural_t,
    pub port: natural_t,
    pub memory_region: natural_t,
    pub memory_object: natural_t,
}
pub type kernel_resource_sizes_data_t = kernel_resource_sizes;
pub type kernel_resource_sizes_t = *mut kernel_resource_sizes;
pub const HOST_RESOURCE_SIZES_COUNT: mach_msg_type_number_t =
    (mem::size_of::<kernel_resource_sizes_data_t>() / mem::size_of::<integer_t>()) as _;

#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct host_priority_info {
    pub kernel_priority: integer_t,
    pub system_priority: integer_t,
    pub server_priority: integer_t,
    pub user_priority: integer_t,
    pub depress_priority: integer_t,
    pub idle_priority: integer_t,
    pub minimum_priority: integer_t,
    pub maximum_priority: integer_t,
}
pub type host_priority_info_data_t = host_priority_info;
pub type host_priority_info_t = *mut host_priority_info;
pub const HOST_PRIORITY_INFO_COUNT: mach_msg_type_number_t =
    (mem::size_of::<host_priority_info_data_t>() / mem::size_of::<integer_t>()) as _;

/// `host_statistics()` flavors.
pub const HOST_LOAD_INFO: host_flavor_t = 1;
pub const HOST_VM_INFO: host_flavor_t = 2;
pub const HOST_CPU_LOAD_INFO: host_flavor_t = 3;

/// `host_statistics64()` flavors.
pub const HOST_VM_INFO64: host_flavor_t = 4;
pub const HOST_EXTMOD_INFO64: host_flavor_t = 5;
pub const HOST_EXPIRED_TASK_INFO: host_flavor_t = 6;

#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct host_load_info {
    /// Load averages, scaled by `LOAD_SCALE`.
    pub avenrun: [integer_t; 3],
    /// Mach factors, scaled by `LOAD_SCALE`.
    pub mach_factor: [integer_t; 3],
}
pub type host_load_info_data_t = host_load_info;
pub type host_load_info_t = *mut host_load_info;
pub const HOST_LOAD_INFO_COUNT: mach_msg_type_number_t =
    (mem::size_of::<host_load_info_data_t>() / mem::size_of::<integer_t>()) as _;

pub type host_purgable_info_data_t = vm_purgeable_info;
pub type host_purgable_info_t = *mut vm_purgeable_info;
pub const HOST_VM_PURGABLE_COUNT: mach_msg_type_number_t =
    (mem::size_of::<host_purgable_info_data_t>() / mem::size_of::<integer_t>()) as _;

pub const HOST_VM_INFO64_COUNT: mach_msg_type_number_t =
    (mem::size_of::<vm_statistics64_data_t>() / mem::size_of::<integer_t>()) as _;
pub const HOST_VM_INFO64_LATEST_COUNT: mach_msg_type_number_t = HOST_VM_INFO64_COUNT;
pub const HOST_VM_INFO64_REV1_COUNT: mach_msg_type_number_t = HOST_VM_INFO64_LATEST_COUNT;
/// Revision 1 added the compressor and swapper counters (14 ints).
pub const HOST_VM_INFO64_REV0_COUNT: mach_msg_type_number_t = HOST_VM_INFO64_REV1_COUNT - 14;

pub const HOST_EXTMOD_INFO64_COUNT: mach_msg_type_number_t =
    (mem::size_of::<vm_extmod_statistics_data_t>() / mem::size_of::<integer_t>()) as _;
pub const HOST_EXTMOD_INFO64_LATEST_COUNT: mach_msg_type_number_t = HOST_EXTMOD_INFO64_COUNT;

pub const HOST_VM_INFO_COUNT: mach_msg_type_number_t =
    (mem::size_of::<vm_statistics_data_t>() / mem::size_of::<integer_t>()) as _;
pub const HOST_VM_INFO_LATEST_COUNT: mach_msg_type_number_t = HOST_VM_INFO_COUNT;
pub const HOST_VM_INFO_REV2_COUNT: mach_msg_type_number_t = HOST_VM_INFO_LATEST_COUNT;
pub const HOST_VM_INFO_REV1_COUNT: mach_msg_type_number_t = HOST_VM_INFO_REV2_COUNT - 1;
pub const HOST_VM_INFO_REV0_COUNT: mach_msg_type_number_t = HOST_VM_INFO_REV1_COUNT - 2;

/// Ticks spent in each `CPU_STATE_*`.
#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct host_cpu_load_info {
    pub cpu_ticks: [natural_t; CPU_STATE_MAX as usize],
}
pub type host_cpu_load_info_data_t = host_cpu_load_info;
pub type host_cpu_load_info_t = *mut host_cpu_load_info;
pub const HOST_CPU_LOAD_INFO_COUNT: mach_msg_type_number_t =
    (mem::size_of::<host_cpu_load_info_data_t>() / mem::size_of::<integer_t>()) as _;
