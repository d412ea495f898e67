//! `<mach/processor_set.h>`: the processor set interface, on the default
//! set's name port (`processor_set_default`) and control port
//! (`host_processor_set_priv`) (the calls libmach implements; not a module
//! of `mach2`).

use crate::sys::kern_return::kern_return_t;
use crate::sys::mach_types::{
    host_t, processor_set_name_t, processor_set_t, task_array_t, thread_act_array_t,
};
use crate::sys::message::mach_msg_type_number_t;
use crate::sys::processor_info::{processor_set_flavor_t, processor_set_info_t};
use core::ffi::c_int;

unsafe extern "C" {
    pub fn processor_set_statistics(
        pset: processor_set_name_t,
        flavor: processor_set_flavor_t,
        info_out: processor_set_info_t,
        info_outCnt: *mut mach_msg_type_number_t,
    ) -> kern_return_t;
    /// Send rights to every task (needs the control port), in a
    /// `vm_allocate`d array.
    pub fn processor_set_tasks(
        processor_set: processor_set_t,
        task_list: *mut task_array_t,
        task_listCnt: *mut mach_msg_type_number_t,
    ) -> kern_return_t;
    /// Send rights to every thread (needs the control port).
    pub fn processor_set_threads(
        processor_set: processor_set_t,
        thread_list: *mut thread_act_array_t,
        thread_listCnt: *mut mach_msg_type_number_t,
    ) -> kern_return_t;
    pub fn processor_set_info(
        set_name: processor_set_name_t,
        flavor: c_int,
        host: *mut host_t,
        info_out: processor_set_info_t,
        info_outCnt: *mut mach_msg_type_number_t,
    ) -> kern_return_t;
}
