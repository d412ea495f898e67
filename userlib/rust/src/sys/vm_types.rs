//! `<mach/vm_types.h>` and `<mach/machine/vm_types.h>` (x86_64 / LP64).

use crate::sys::port::mach_port_t;
use core::ffi::{c_int, c_uint};

pub type natural_t = c_uint;
pub type integer_t = c_int;

pub type mach_vm_address_t = u64;
pub type mach_vm_offset_t = u64;
pub type mach_vm_size_t = u64;
pub type vm_map_offset_t = u64;
pub type vm_map_address_t = u64;
pub type vm_map_size_t = u64;
pub type vm_map_t = mach_port_t;
pub type vm_map_read_t = mach_port_t;
pub type vm_map_inspect_t = mach_port_t;
pub type vm_offset_t = usize;
pub type vm_size_t = usize;
pub type vm_address_t = vm_offset_t;
pub type pointer_t = vm_offset_t;

pub type addr64_t = u64;
pub type reg64_t = u32;
pub type ppnum_t = u32;
pub type upl_t = mach_port_t;
pub type vm_named_entry_t = mach_port_t;
pub type vm_object_offset_t = u64;
pub type vm_object_size_t = u64;

pub const VM_MAP_NULL: vm_map_t = 0;
pub const VM_MAP_INSPECT_NULL: vm_map_inspect_t = 0;
pub const VM_MAP_READ_NULL: vm_map_read_t = 0;
pub const UPL_NULL: upl_t = 0;
pub const VM_NAMED_ENTRY_NULL: vm_named_entry_t = 0;

pub type mach_port_context_t = mach_vm_address_t;
