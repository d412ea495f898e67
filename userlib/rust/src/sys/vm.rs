//! `<mach/mach_vm.h>` and `<mach/vm_map.h>`: the VM calls libmach
//! implements (on the caller's own task only).

use crate::sys::kern_return::kern_return_t;
use crate::sys::mach_types::vm_task_entry_t;
use crate::sys::vm_types::{mach_vm_address_t, mach_vm_size_t, vm_address_t, vm_map_t, vm_size_t};
use core::ffi::c_int;

unsafe extern "C" {
    pub fn mach_vm_allocate(
        target: vm_task_entry_t,
        address: *mut mach_vm_address_t,
        size: mach_vm_size_t,
        flags: c_int,
    ) -> kern_return_t;

    pub fn mach_vm_deallocate(
        target: vm_task_entry_t,
        address: mach_vm_address_t,
        size: mach_vm_size_t,
    ) -> kern_return_t;

    pub fn vm_allocate(
        target_task: vm_map_t,
        address: *mut vm_address_t,
        size: vm_size_t,
        flags: c_int,
    ) -> kern_return_t;

    pub fn vm_deallocate(
        target_task: vm_map_t,
        address: vm_address_t,
        size: vm_size_t,
    ) -> kern_return_t;
}
