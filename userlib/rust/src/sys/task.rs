//! `<mach/task.h>`: the task interface (the calls libmach implements).

use crate::sys::kern_return::kern_return_t;
use crate::sys::mach_types::{task_inspect_t, task_t};
use crate::sys::port::mach_port_t;
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
}
