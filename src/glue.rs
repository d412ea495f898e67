// SPDX-License-Identifier: GPL-2.0

//! Declarations of the C accessors in `glue.c` (Linux facts the `kernel`
//! crate has no binding for): `process.rs` and its neighbours for process
//! facts, `waitq.rs` for the receive spin, `stats.rs` for the per-CPU
//! counters. A `struct pid *` is passed as an opaque pointer.

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

extern "C" {
    /// References to up to `max` threads' `struct pid`s of the thread
    /// group of `tgid`; returns how many threads it has.
    pub(crate) fn machipc_threads(
        tgid: *mut c_void,
        out: *mut *mut c_void,
        max: core::ffi::c_int,
    ) -> core::ffi::c_int;
    /// Whether the thread of `pid` exists and has not exited.
    pub(crate) fn machipc_thread_alive(pid: *mut c_void) -> bool;
    /// A thread's times (ns), state and start time; `-ESRCH` if gone.
    pub(crate) fn machipc_thread_info(
        pid: *mut c_void,
        utime: *mut u64,
        stime: *mut u64,
        state: *mut core::ffi::c_int,
        start: *mut u64,
    ) -> core::ffi::c_int;
    /// A process's times (ns: all user, all system, live user, live
    /// system), memory (bytes: virtual, resident, resident maximum) and
    /// live threads; `-ESRCH` if gone.
    pub(crate) fn machipc_task_usage(
        tgid: *mut c_void,
        times: *mut u64,
        mem: *mut u64,
        threads: *mut core::ffi::c_int,
    ) -> core::ffi::c_int;
    /// The host's memory (pages: total, free, active, inactive, wired,
    /// file, anonymous; the page size).
    pub(crate) fn machipc_host_memory(out: *mut u64);
    /// A CPU's ticks: user, system, idle, nice.
    pub(crate) fn machipc_cpu_ticks(cpu: core::ffi::c_int, ticks: *mut u64);
    /// The possible and online CPU counts.
    pub(crate) fn machipc_cpu_counts(
        possible: *mut core::ffi::c_int,
        online: *mut core::ffi::c_int,
    );
    /// The load averages (fixed point, `FIXED_1` = 2048).
    pub(crate) fn machipc_loadavg(avg: *mut core::ffi::c_ulong);
    /// The kernel's version string into `buf`; its length.
    pub(crate) fn machipc_kernel_version(buf: *mut u8, len: core::ffi::c_int) -> core::ffi::c_int;
    /// Yama's ptrace scope (0 without Yama).
    pub(crate) fn machipc_yama_scope() -> core::ffi::c_int;
    /// Whether the process of `target` descends from that of `ancestor`.
    pub(crate) fn machipc_is_descendant(target: *mut c_void, ancestor: *mut c_void) -> bool;
    /// A reference to the thread group numbered `nr` in the caller's pid
    /// namespace, or null.
    pub(crate) fn machipc_find_pid(nr: core::ffi::c_int) -> *mut c_void;
    /// A new descriptor whose file owns `private` (see `pollfd.rs`), or a
    /// negative errno (then `private` is still the caller's).
    pub(crate) fn machipc_pollfd_create(private: *mut c_void) -> core::ffi::c_int;
    /// VM events since boot: faults, major faults, pages in, pages out,
    /// swap-ins, swap-outs.
    pub(crate) fn machipc_vm_events(out: *mut u64);
    /// The system's processes and threads.
    pub(crate) fn machipc_count_processes(
        procs: *mut core::ffi::c_int,
        threads: *mut core::ffi::c_int,
    );
    /// Whether a CPU is online.
    pub(crate) fn machipc_cpu_online(cpu: core::ffi::c_int) -> bool;
    /// CPU hotplug: 0 or a negative errno.
    pub(crate) fn machipc_cpu_set_online(cpu: core::ffi::c_int, online: bool) -> core::ffi::c_int;
    /// The wall clock: seconds and nanoseconds.
    pub(crate) fn machipc_calendar_time(sec: *mut i64, nsec: *mut core::ffi::c_long);
    /// A thread's TLS base (its `pthread_self()`), 0 where unknown.
    pub(crate) fn machipc_thread_handle(pid: *mut c_void) -> u64;
    /// A monotonic clock, in nanoseconds.
    pub(crate) fn machipc_clock_ns() -> u64;
    /// Whether a bounded spin may start (this CPU has nothing else to run,
    /// no reschedule or signal is pending); reads no clock.
    pub(crate) fn machipc_spin_may_start() -> bool;
    /// One step of a bounded spin: whether it may go on (before
    /// `deadline_ns`, this CPU has nothing else to run, no reschedule or
    /// signal is pending).
    pub(crate) fn machipc_spin_step(deadline_ns: u64) -> bool;
    /// Adds `n` to this CPU's copy of statistic `i` (ignored if `i` is not
    /// below [`STAT_SLOTS`]).
    pub(crate) fn machipc_stat_add(i: core::ffi::c_uint, n: core::ffi::c_long);
    /// Statistic `i` summed over every CPU (0 if `i` is not below
    /// [`STAT_SLOTS`]).
    pub(crate) fn machipc_stat_sum(i: core::ffi::c_uint) -> core::ffi::c_long;
}

/// How many statistics `glue.c` keeps per CPU (`MACHIPC_STATS`).
pub(crate) const STAT_SLOTS: usize = 32;
