//! `<mach/mach_traps.h>`: the Mach traps libmach implements, and
//! `mach_task_self()` (a macro over `mach_task_self_` in C).

use crate::sys::port::{mach_port_name_t, mach_port_t};

unsafe extern "C" {
    static mach_task_self_: mach_port_t;

    pub fn task_self_trap() -> mach_port_name_t;
    /// A new receive right for replies (one per call).
    pub fn mach_reply_port() -> mach_port_name_t;
    pub fn host_self_trap() -> mach_port_name_t;
}

/// `mach_task_self()`: the calling task's send right to its own task port
/// (set by libmach before `main` and again in a child after `fork`).
#[inline]
pub unsafe fn mach_task_self() -> mach_port_t {
    unsafe { mach_task_self_ }
}

/// `current_task()`: the same as [`mach_task_self`].
#[inline]
pub unsafe fn current_task() -> mach_port_t {
    unsafe { mach_task_self() }
}
