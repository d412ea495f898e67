// SPDX-License-Identifier: GPL-2.0

//! Declarations of the C accessors in `glue.c` (Linux facts the `kernel`
//! crate has no binding for). Only `process.rs` calls them; a `struct
//! pid *` is passed as an opaque pointer.

use core::ffi::c_void;

extern "C" {
    /// Takes a reference to a `struct pid` the caller holds one to.
    pub(crate) fn machipc_get_pid(pid: *mut c_void);

    /// Whether the thread group of `pid` (a held reference) has a live
    /// thread.
    pub(crate) fn machipc_process_alive(pid: *mut c_void) -> bool;

    /// Exec generation, the six credential ids and dumpability of the
    /// thread group of `pid` (a held reference); `-ESRCH` if it is gone.
    pub(crate) fn machipc_exec_state(
        pid: *mut c_void,
        exec_id: *mut u64,
        ids: *mut u32,
        dumpable: *mut core::ffi::c_int,
    ) -> core::ffi::c_int;

    /// Up to `max` ancestors of the calling process (references taken),
    /// with the start time of each one's child on the path to the caller.
    pub(crate) fn machipc_ancestors(
        pids: *mut *mut c_void,
        child_start: *mut u64,
        max: core::ffi::c_int,
    ) -> core::ffi::c_int;
}
