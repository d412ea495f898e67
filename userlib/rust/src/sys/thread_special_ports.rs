//! `<mach/thread_special_ports.h>`: selectors of
//! `thread_get/set_special_port` (libmach has the kernel port only, not
//! `mach2`'s inspect and read ports).

use crate::sys::kern_return::kern_return_t;
use crate::sys::mach_types::thread_t;
use crate::sys::port::mach_port_t;
use core::ffi::c_int;

/// The thread's port for the outside world.
pub const THREAD_KERNEL_PORT: c_int = 1;

#[inline]
pub unsafe fn thread_get_kernel_port(thread: thread_t, port: *mut mach_port_t) -> kern_return_t {
    unsafe { crate::sys::thread_act::thread_get_special_port(thread, THREAD_KERNEL_PORT, port) }
}

#[inline]
pub unsafe fn thread_set_kernel_port(thread: thread_t, port: mach_port_t) -> kern_return_t {
    unsafe { crate::sys::thread_act::thread_set_special_port(thread, THREAD_KERNEL_PORT, port) }
}
