//! `<mach/thread_act.h>`: the thread interface, on the thread ports of
//! `mach_thread_self()` and `task_threads()` (the calls libmach
//! implements; `mach2`'s state and suspend calls are not among them).

use crate::sys::kern_return::kern_return_t;
use crate::sys::mach_types::{thread_act_t, thread_inspect_t};
use crate::sys::message::mach_msg_type_number_t;
use crate::sys::port::mach_port_t;
use crate::sys::thread_info::{thread_flavor_t, thread_info_t};
use core::ffi::c_int;

unsafe extern "C" {
    /// Terminates the thread. Consumes the caller's send right.
    pub fn thread_terminate(target_act: thread_act_t) -> kern_return_t;
    pub fn thread_get_special_port(
        thr_act: thread_inspect_t,
        which_port: c_int,
        special_port: *mut mach_port_t,
    ) -> kern_return_t;
    pub fn thread_set_special_port(
        thr_act: thread_act_t,
        which_port: c_int,
        special_port: mach_port_t,
    ) -> kern_return_t;
    pub fn thread_info(
        target_act: thread_inspect_t,
        flavor: thread_flavor_t,
        thread_info_out: thread_info_t,
        thread_info_outCnt: *mut mach_msg_type_number_t,
    ) -> kern_return_t;
}
