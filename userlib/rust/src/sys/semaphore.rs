//! `<mach/semaphore.h>`: Mach semaphores, kernel objects named by ports,
//! with `semaphore_create` and `semaphore_destroy` (declared by
//! `<mach/task.h>` in C; here as in `mach2`).
//!
//! Results: `KERN_SUCCESS`; `KERN_TERMINATED` once the semaphore is
//! destroyed (its waiters wake with it); `KERN_ABORTED` when a signal
//! interrupts a wait; `KERN_OPERATION_TIMED_OUT` when a timed wait
//! expires; `KERN_NOT_WAITING` from `semaphore_signal_thread` with no such
//! waiter; `KERN_INVALID_VALUE` for a bad timespec; `KERN_INVALID_NAME`,
//! `KERN_INVALID_RIGHT` or `KERN_INVALID_CAPABILITY` for a name that is
//! not a send right to a semaphore.

use crate::sys::clock_types::mach_timespec_t;
use crate::sys::kern_return::kern_return_t;
use crate::sys::mach_types::{semaphore_t, task_t, thread_t};
use crate::sys::sync_policy::sync_policy_t;
use core::ffi::c_int;

unsafe extern "C" {
    /// A new semaphore owned by `task`, with `value` counts.
    pub fn semaphore_create(
        task: task_t,
        semaphore: *mut semaphore_t,
        policy: sync_policy_t,
        value: c_int,
    ) -> kern_return_t;
    /// Destroys a semaphore of `task`: its waiters get `KERN_TERMINATED`.
    /// Consumes the caller's send right to it.
    pub fn semaphore_destroy(task: task_t, semaphore: semaphore_t) -> kern_return_t;
    /// Wakes one waiter, or counts the signal if there is none.
    pub fn semaphore_signal(semaphore: semaphore_t) -> kern_return_t;
    /// Wakes every waiter; with none, changes nothing.
    pub fn semaphore_signal_all(semaphore: semaphore_t) -> kern_return_t;
    /// Wakes `thread` if it waits on the semaphore (`THREAD_NULL`: any one
    /// waiter); never counts the signal.
    pub fn semaphore_signal_thread(semaphore: semaphore_t, thread: thread_t) -> kern_return_t;
    /// Takes a count, waiting for one if there is none.
    pub fn semaphore_wait(semaphore: semaphore_t) -> kern_return_t;
    /// `semaphore_wait` for at most `wait_time` (`{0, 0}`: do not wait).
    pub fn semaphore_timedwait(semaphore: semaphore_t, wait_time: mach_timespec_t)
        -> kern_return_t;
    /// Signals `signal_semaphore` and waits on `wait_semaphore`, atomically.
    pub fn semaphore_wait_signal(
        wait_semaphore: semaphore_t,
        signal_semaphore: semaphore_t,
    ) -> kern_return_t;
    pub fn semaphore_timedwait_signal(
        wait_semaphore: semaphore_t,
        signal_semaphore: semaphore_t,
        wait_time: mach_timespec_t,
    ) -> kern_return_t;
}
