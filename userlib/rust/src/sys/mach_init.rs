//! `<mach/mach_init.h>`: the Mach environment of a task.

use crate::sys::boolean::boolean_t;
use crate::sys::kern_return::kern_return_t;
use crate::sys::mach_types::{host_t, task_name_t, thread_port_t};
use crate::sys::vm_types::vm_size_t;
use core::ffi::c_int;

unsafe extern "C" {
    /// A send right to the host port (one more user reference each call).
    pub fn mach_host_self() -> host_t;
    /// A send right to the calling thread's port (one more user reference
    /// each call).
    pub fn mach_thread_self() -> thread_port_t;
    /// Whether `task` names the calling task (its task or name port).
    pub fn mach_task_is_self(task: task_name_t) -> boolean_t;
    /// The page size of the host.
    pub fn host_page_size(host: host_t, size: *mut vm_size_t) -> kern_return_t;
}

pub const NAME_SERVER_SLOT: c_int = 0;
pub const ENVIRONMENT_SLOT: c_int = 1;
pub const SERVICE_SLOT: c_int = 2;
pub const MACH_PORTS_SLOTS_USED: c_int = 3;
