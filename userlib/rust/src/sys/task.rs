//! `<mach/task.h>`: the task interface (the calls libmach implements;
//! `semaphore_create` and `semaphore_destroy`, declared here in C, are in
//! [`semaphore`](crate::sys::semaphore) as in `mach2`).

use crate::sys::kern_return::kern_return_t;
use crate::sys::mach_types::{task_inspect_t, task_name_t, task_t, thread_act_array_t};
use crate::sys::message::mach_msg_type_number_t;
use crate::sys::port::{mach_port_array_t, mach_port_t};
use crate::sys::task_info::{task_flavor_t, task_info_t};
use crate::sys::task_special_ports::task_special_port_t;

unsafe extern "C" {
    pub fn task_get_special_port(
        task: task_inspect_t,
        which_port: task_special_port_t,
        special_port: *mut mach_port_t,
    ) -> kern_return_t;
    pub fn task_set_special_port(
        task: task_t,
        which_port: task_special_port_t,
        special_port: mach_port_t,
    ) -> kern_return_t;
    /// Send rights to every thread of the task, in a `vm_allocate`d array.
    pub fn task_threads(
        target_task: task_inspect_t,
        act_list: *mut thread_act_array_t,
        act_listCnt: *mut mach_msg_type_number_t,
    ) -> kern_return_t;
    /// Replaces the task's registered ports (at most
    /// `TASK_PORT_REGISTER_MAX`).
    pub fn mach_ports_register(
        target_task: task_t,
        init_port_set: mach_port_array_t,
        init_port_setCnt: mach_msg_type_number_t,
    ) -> kern_return_t;
    /// The task's registered ports: always `TASK_PORT_REGISTER_MAX`
    /// entries, `MACH_PORT_NULL` where none is set, in a `vm_allocate`d
    /// array.
    pub fn mach_ports_lookup(
        target_task: task_t,
        init_port_set: *mut mach_port_array_t,
        init_port_setCnt: *mut mach_msg_type_number_t,
    ) -> kern_return_t;
    /// Information about the task (`<mach/task_info.h>`); accepts a task
    /// name port.
    pub fn task_info(
        target_task: task_name_t,
        flavor: task_flavor_t,
        task_info_out: task_info_t,
        task_info_outCnt: *mut mach_msg_type_number_t,
    ) -> kern_return_t;
}
