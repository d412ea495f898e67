//! `<mach/mach_traps.h>`: the Mach traps libmach implements, and
//! `mach_task_self()` (a macro over `mach_task_self_` in C).

use crate::sys::clock_types::clock_res_t;
use crate::sys::kern_return::kern_return_t;
use crate::sys::mach_time::mach_timebase_info;
use crate::sys::port::{mach_port_name_t, mach_port_t};
use core::ffi::{c_int, c_uint};

unsafe extern "C" {
    static mach_task_self_: mach_port_t;

    pub fn task_self_trap() -> mach_port_name_t;
    /// A new receive right for replies (one per call).
    pub fn mach_reply_port() -> mach_port_name_t;
    /// The calling thread's port (what `mach_thread_self()` returns).
    pub fn thread_self_trap() -> mach_port_name_t;
    pub fn host_self_trap() -> mach_port_name_t;

    /// A send right to the task port of process `pid`, under the rules of
    /// ptrace attach (`KERN_FAILURE` otherwise, or for no such process).
    /// `*t` is `MACH_PORT_NULL` on failure.
    pub fn task_for_pid(
        target_tport: mach_port_name_t,
        pid: c_int,
        t: *mut mach_port_name_t,
    ) -> kern_return_t;
    /// A send right to the task name port of process `pid` (no
    /// permission needed).
    pub fn task_name_for_pid(
        target_tport: mach_port_name_t,
        pid: c_int,
        tn: *mut mach_port_name_t,
    ) -> kern_return_t;
    /// The pid of the task a task (or task name) port names; `*x` is -1 on
    /// failure.
    pub fn pid_for_task(t: mach_port_name_t, x: *mut c_int) -> kern_return_t;

    // The semaphore traps (`semaphore` has the calls built on them).
    pub fn semaphore_signal_trap(signal_name: mach_port_name_t) -> kern_return_t;
    pub fn semaphore_signal_all_trap(signal_name: mach_port_name_t) -> kern_return_t;
    pub fn semaphore_signal_thread_trap(
        signal_name: mach_port_name_t,
        thread_name: mach_port_name_t,
    ) -> kern_return_t;
    pub fn semaphore_wait_trap(wait_name: mach_port_name_t) -> kern_return_t;
    pub fn semaphore_wait_signal_trap(
        wait_name: mach_port_name_t,
        signal_name: mach_port_name_t,
    ) -> kern_return_t;
    pub fn semaphore_timedwait_trap(
        wait_name: mach_port_name_t,
        sec: c_uint,
        nsec: clock_res_t,
    ) -> kern_return_t;
    pub fn semaphore_timedwait_signal_trap(
        wait_name: mach_port_name_t,
        signal_name: mach_port_name_t,
        sec: c_uint,
        nsec: clock_res_t,
    ) -> kern_return_t;

    // The time traps (`mach_time` has the calls built on them).
    pub fn mach_timebase_info_trap(info: *mut mach_timebase_info) -> kern_return_t;
    pub fn mach_wait_until_trap(deadline: u64) -> kern_return_t;
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
