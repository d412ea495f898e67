//! `<mach/host_priv.h>`: the privileged host interface (the calls libmach
//! implements; not a module of `mach2`).

use crate::sys::exception_types::{
    exception_behavior_array_t, exception_behavior_t, exception_flavor_array_t,
    exception_mask_array_t, exception_mask_t,
};
use crate::sys::kern_return::kern_return_t;
use crate::sys::mach_types::{
    exception_handler_array_t, host_priv_t, processor_array_t, processor_set_name_t,
    processor_set_t,
};
use crate::sys::message::mach_msg_type_number_t;
use crate::sys::port::mach_port_t;
use crate::sys::thread_status::thread_state_flavor_t;
use core::ffi::c_int;

unsafe extern "C" {
    pub fn host_get_special_port(
        host_priv: host_priv_t,
        node: c_int,
        which: c_int,
        port: *mut mach_port_t,
    ) -> kern_return_t;
    pub fn host_set_special_port(
        host_priv: host_priv_t,
        which: c_int,
        port: mach_port_t,
    ) -> kern_return_t;
    /// Send rights to the processor ports, one per CPU, in a
    /// `vm_allocate`d array.
    pub fn host_processors(
        host_priv: host_priv_t,
        out_processor_list: *mut processor_array_t,
        out_processor_listCnt: *mut mach_msg_type_number_t,
    ) -> kern_return_t;
    /// Sets the handler of the exception types in `exception_mask`.
    pub fn host_set_exception_ports(
        host_priv: host_priv_t,
        exception_mask: exception_mask_t,
        new_port: mach_port_t,
        behavior: exception_behavior_t,
        new_flavor: thread_state_flavor_t,
    ) -> kern_return_t;
    /// The handlers of the exception types in `exception_mask`, one entry
    /// per distinct (port, behavior, flavor); the arrays must have room
    /// for 32 entries.
    pub fn host_get_exception_ports(
        host_priv: host_priv_t,
        exception_mask: exception_mask_t,
        masks: exception_mask_array_t,
        masksCnt: *mut mach_msg_type_number_t,
        old_handlers: exception_handler_array_t,
        old_behaviors: exception_behavior_array_t,
        old_flavors: exception_flavor_array_t,
    ) -> kern_return_t;
    /// `host_set_exception_ports`, returning the previous handlers.
    pub fn host_swap_exception_ports(
        host_priv: host_priv_t,
        exception_mask: exception_mask_t,
        new_port: mach_port_t,
        behavior: exception_behavior_t,
        new_flavor: thread_state_flavor_t,
        masks: exception_mask_array_t,
        masksCnt: *mut mach_msg_type_number_t,
        old_handlerss: exception_handler_array_t,
        old_behaviors: exception_behavior_array_t,
        old_flavors: exception_flavor_array_t,
    ) -> kern_return_t;
    /// The control port of the processor set named by `set_name`.
    pub fn host_processor_set_priv(
        host_priv: host_priv_t,
        set_name: processor_set_name_t,
        set: *mut processor_set_t,
    ) -> kern_return_t;
}
