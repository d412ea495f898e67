// SPDX-License-Identifier: GPL-2.0

//! Facts about Linux processes that the `kernel` crate has no safe API for:
//! credentials' ids, the exec generation, process identity (`struct pid`),
//! namespaces. Every raw access of machipc to a `task_struct` or `cred` is
//! in this file, each with its safety argument.
//!
//! Ids are kernel ids (`kuid_t` / `kgid_t` values, as in the initial user
//! namespace) until mapped into a reader's namespace with
//! [`uid_for_current`] / [`gid_for_current`].

use core::ptr::NonNull;

use kernel::{
    bindings,
    prelude::*,
    sync::{Arc, ArcBorrow},
    types::Opaque,
    workqueue::{self, RawWorkItem, Work},
};

/// The credential ids of a process (kernel ids).
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Ids {
    pub(crate) uid: u32,
    pub(crate) gid: u32,
    pub(crate) euid: u32,
    pub(crate) egid: u32,
    pub(crate) suid: u32,
    pub(crate) sgid: u32,
}

/// The calling thread's `task_struct`.
fn current() -> *mut bindings::task_struct {
    kernel::task::Task::current_raw()
}

/// The calling thread's credentials.
fn current_cred() -> *const bindings::cred {
    // SAFETY: `current` is valid while it runs; its `cred` pointer is only
    // replaced by the task itself (commit_creds), so it is stable here and
    // points to credentials kept alive by that reference.
    unsafe { (*current()).cred }
}

/// The ids of the calling process.
pub(crate) fn current_ids() -> Ids {
    let cred = current_cred();
    // SAFETY: `cred` is the current task's own credentials (see
    // `current_cred`): valid and immutable while we run.
    unsafe {
        Ids {
            uid: (*cred).uid.val,
            gid: (*cred).gid.val,
            euid: (*cred).euid.val,
            egid: (*cred).egid.val,
            suid: (*cred).suid.val,
            sgid: (*cred).sgid.val,
        }
    }
}

/// An identity of the calling thread's credentials: it changes whenever
/// they do (credentials are immutable and replaced as a whole), so
/// comparing it is a cheap change check. Only compared, never followed.
pub(crate) fn current_cred_id() -> usize {
    current_cred() as usize
}

/// An identity of the calling thread (its `struct pid`'s address): only
/// compared.
pub(crate) fn current_thread_id() -> usize {
    // SAFETY: `current` is valid; its `thread_pid` is stable while it runs.
    unsafe { (*current()).thread_pid as usize }
}

/// The exec generation of the calling thread (`self_exec_id`): it grows at
/// every exec.
pub(crate) fn current_exec_id() -> u64 {
    // SAFETY: `current` is valid; `self_exec_id` is only written by the
    // task itself, at exec.
    unsafe { (*current()).self_exec_id }
}

/// Whether the calling process has capability `cap` (in the initial user
/// namespace).
pub(crate) fn capable(cap: u32) -> bool {
    // SAFETY: `capable` only reads the current task's credentials; machipc
    // calls it in process context.
    unsafe { bindings::capable(cap as i32) }
}

/// `CAP_SYS_ADMIN`: the privilege that gives a task the host-priv port.
pub(crate) fn privileged() -> bool {
    capable(bindings::CAP_SYS_ADMIN)
}

/// Kernel uid `kuid` as seen in the calling process's user namespace
/// (the overflow uid if it has no mapping there).
pub(crate) fn uid_for_current(kuid: u32) -> u32 {
    // SAFETY: `current_user_ns` returns the current task's user namespace,
    // valid while it runs; `from_kuid_munged` only reads it.
    unsafe {
        bindings::from_kuid_munged(bindings::current_user_ns(), bindings::kuid_t { val: kuid })
    }
}

/// Kernel gid `kgid` as seen in the calling process's user namespace.
pub(crate) fn gid_for_current(kgid: u32) -> u32 {
    // SAFETY: as in `uid_for_current`.
    unsafe {
        bindings::from_kgid_munged(bindings::current_user_ns(), bindings::kgid_t { val: kgid })
    }
}

/// A counted reference to the `struct pid` of a thread group: a process
/// identity that a later process reusing the number never matches.
pub(crate) struct PidRef(NonNull<bindings::pid>);

// SAFETY: a `struct pid` reference may be held, compared and dropped on any
// thread.
unsafe impl Send for PidRef {}
// SAFETY: `&PidRef` allows only comparison and `pid_nr_ns`, which are
// thread-safe.
unsafe impl Sync for PidRef {}

impl PidRef {
    /// The thread group of `task`.
    ///
    /// # Safety
    ///
    /// `task` is the current task, or is kept alive by the caller's RCU
    /// read-side critical section.
    unsafe fn of(task: *mut bindings::task_struct) -> Option<PidRef> {
        // SAFETY: `task` is valid (the caller's promise); `get_task_pid`
        // takes a reference under its own locking.
        let pid = unsafe { bindings::get_task_pid(task, bindings::pid_type_PIDTYPE_TGID) };
        NonNull::new(pid).map(PidRef)
    }

    /// The calling process.
    pub(crate) fn current() -> Option<PidRef> {
        // SAFETY: `current` is the current task.
        unsafe { Self::of(current()) }
    }

    /// Whether this is the calling process (on every ioctl: no reference
    /// taken, just a pointer compared).
    pub(crate) fn is_current(&self) -> bool {
        // SAFETY: `current` and its `signal` struct are valid while it runs;
        // `pids[PIDTYPE_TGID]` of the current process only changes in the
        // process itself (never: exec keeps the thread group's pid).
        let tgid = unsafe { (*(*current()).signal).pids[bindings::pid_type_PIDTYPE_TGID as usize] };
        core::ptr::eq(tgid, self.0.as_ptr())
    }

    /// Whether two references are to the same process.
    pub(crate) fn same(&self, other: &PidRef) -> bool {
        self.0 == other.0
    }

    /// The raw `struct pid`, for the wait-queue code of `task.rs`.
    pub(crate) fn as_ptr(&self) -> *mut bindings::pid {
        self.0.as_ptr()
    }

    /// The process's pid as seen in the calling process's pid namespace
    /// (0 if it is not visible there).
    pub(crate) fn nr_for_current(&self) -> u32 {
        // SAFETY: `task_active_pid_ns(current)` is valid while the current
        // task runs; `pid_nr_ns` only reads our referenced `struct pid`.
        unsafe {
            let ns = bindings::task_active_pid_ns(current());
            bindings::pid_nr_ns(self.0.as_ptr(), ns) as u32
        }
    }

    /// Another reference to the same process.
    pub(crate) fn clone_ref(&self) -> PidRef {
        // SAFETY: we hold a reference, so the `struct pid` is valid;
        // `machipc_get_pid` takes another one.
        unsafe { crate::glue::machipc_get_pid(self.0.as_ptr().cast()) };
        PidRef(self.0)
    }
}

impl Drop for PidRef {
    fn drop(&mut self) {
        // SAFETY: we own one reference, taken by `get_task_pid`.
        unsafe { bindings::put_pid(self.0.as_ptr()) };
    }
}

/// What a process looks like now: for the set-id exec check.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct ExecState {
    pub(crate) exec_id: u64,
    pub(crate) ids: Ids,
    /// `SUID_DUMP_USER` (1): an ordinary process. A set-id exec makes it
    /// non-dumpable (`SUID_DUMP_DISABLE`, or 2 with `suid_dumpable`).
    pub(crate) dumpable: i32,
}

impl ExecState {
    /// Whether the image is set-id: it runs with ids other than the
    /// caller's real ones, or the kernel made it non-dumpable at exec.
    pub(crate) fn set_id(&self) -> bool {
        self.ids.euid != self.ids.uid || self.ids.egid != self.ids.gid || self.dumpable != 1
    }
}

impl PidRef {
    /// Whether the process still has a live thread (its leader may have
    /// exited while other threads run).
    pub(crate) fn alive(&self) -> bool {
        // SAFETY: we hold a reference to the `struct pid`.
        unsafe { crate::glue::machipc_process_alive(self.0.as_ptr().cast()) }
    }

    /// The process's exec generation, ids and dumpability; `None` if it is
    /// gone.
    pub(crate) fn exec_state(&self) -> Option<ExecState> {
        let mut st = ExecState::default();
        let mut ids = [0u32; 6];
        // SAFETY: we hold a reference to the `struct pid`; the outputs are
        // valid for writes.
        let rc = unsafe {
            crate::glue::machipc_exec_state(
                self.0.as_ptr().cast(),
                &mut st.exec_id,
                ids.as_mut_ptr(),
                &mut st.dumpable,
            )
        };
        if rc != 0 {
            return None;
        }
        st.ids = Ids {
            uid: ids[0],
            gid: ids[1],
            euid: ids[2],
            egid: ids[3],
            suid: ids[4],
            sgid: ids[5],
        };
        Some(st)
    }
}

/// How many ancestors [`ancestors`] looks at.
pub(crate) const ANCESTRY_MAX: usize = 16;

/// The calling process's ancestors, parent first, each with the start time
/// of its child on the path to the caller.
pub(crate) fn ancestors() -> KVec<(PidRef, u64)> {
    let mut pids = [core::ptr::null_mut::<core::ffi::c_void>(); ANCESTRY_MAX];
    let mut starts = [0u64; ANCESTRY_MAX];
    // SAFETY: the arrays hold `ANCESTRY_MAX` elements.
    let n = unsafe {
        crate::glue::machipc_ancestors(pids.as_mut_ptr(), starts.as_mut_ptr(), ANCESTRY_MAX as i32)
    };
    let mut v = KVec::new();
    for i in 0..(n.max(0) as usize).min(ANCESTRY_MAX) {
        if let Some(p) = NonNull::new(pids[i].cast::<bindings::pid>()) {
            // Each reference is ours; dropped with the `PidRef` even if the
            // push fails.
            let r = PidRef(p);
            let _ = v.push((r, starts[i]), GFP_KERNEL);
        }
    }
    v
}

/// The monotonic clock in nanoseconds (the clock of `task->start_time`).
pub(crate) fn now_ns() -> u64 {
    // SAFETY: `ktime_get` only reads the timekeeper; callable anywhere.
    unsafe { bindings::ktime_get() as u64 }
}

impl PidRef {
    fn raw(&self) -> *mut core::ffi::c_void {
        self.0.as_ptr().cast()
    }

    /// The calling thread (its `struct pid`, PIDTYPE_PID).
    pub(crate) fn current_thread() -> Option<PidRef> {
        // SAFETY: `current` is the current task; `get_task_pid` takes a
        // reference.
        let pid = unsafe { bindings::get_task_pid(current(), bindings::pid_type_PIDTYPE_PID) };
        NonNull::new(pid).map(PidRef)
    }

    /// The threads of this thread group, at most `max`.
    pub(crate) fn threads(&self, max: usize) -> KVec<PidRef> {
        let mut v = KVec::new();
        // SAFETY: we hold a reference; a null buffer with max 0 only counts.
        let n = unsafe { crate::glue::machipc_threads(self.raw(), core::ptr::null_mut(), 0) };
        let n = (n.max(0) as usize).min(max);
        let mut raw: KVVec<*mut core::ffi::c_void> = KVVec::new();
        if raw.resize(n, core::ptr::null_mut(), GFP_KERNEL).is_err() {
            return v;
        }
        // SAFETY: `raw` has room for `n` pointers.
        let got = unsafe { crate::glue::machipc_threads(self.raw(), raw.as_mut_ptr(), n as i32) };
        let got = (got.max(0) as usize).min(n);
        for p in raw.iter().take(got) {
            if let Some(p) = NonNull::new(p.cast::<bindings::pid>()) {
                // Ours, dropped with the `PidRef` even if the push fails.
                let r = PidRef(p);
                let _ = v.push(r, GFP_KERNEL);
            }
        }
        v
    }

    /// Whether this thread exists and has not exited.
    pub(crate) fn thread_alive(&self) -> bool {
        // SAFETY: we hold a reference.
        unsafe { crate::glue::machipc_thread_alive(self.raw()) }
    }

    /// This thread's user and system time (ns), state and start time.
    pub(crate) fn thread_info(&self) -> Option<ThreadInfo> {
        let mut i = ThreadInfo::default();
        let mut state = 0;
        // SAFETY: we hold a reference; the outputs are valid for writes.
        let rc = unsafe {
            crate::glue::machipc_thread_info(
                self.raw(),
                &mut i.utime,
                &mut i.stime,
                &mut state,
                &mut i.start,
            )
        };
        i.state = state;
        (rc == 0).then_some(i)
    }

    /// This thread's TLS base (its `pthread_self()`), 0 where unknown.
    pub(crate) fn thread_handle(&self) -> u64 {
        // SAFETY: we hold a reference.
        unsafe { crate::glue::machipc_thread_handle(self.raw()) }
    }

    /// This process's usage.
    pub(crate) fn task_usage(&self) -> Option<TaskUsage> {
        let mut u = TaskUsage::default();
        let mut threads = 0;
        // SAFETY: we hold a reference; the arrays have the sizes the C side
        // writes.
        let rc = unsafe {
            crate::glue::machipc_task_usage(
                self.raw(),
                u.times.as_mut_ptr(),
                u.mem.as_mut_ptr(),
                &mut threads,
            )
        };
        u.threads = threads.max(0) as u32;
        (rc == 0).then_some(u)
    }

    /// Whether this process descends from `ancestor`.
    pub(crate) fn descends_from(&self, ancestor: &PidRef) -> bool {
        // SAFETY: we hold both references.
        unsafe { crate::glue::machipc_is_descendant(self.raw(), ancestor.raw()) }
    }

    /// The process numbered `nr` in the caller's pid namespace.
    pub(crate) fn find(nr: i32) -> Option<PidRef> {
        // SAFETY: returns a reference (ours) or null.
        let p = unsafe { crate::glue::machipc_find_pid(nr) };
        NonNull::new(p.cast::<bindings::pid>()).map(PidRef)
    }
}

/// A thread's times and state.
#[derive(Default, Clone, Copy)]
pub(crate) struct ThreadInfo {
    pub(crate) utime: u64,
    pub(crate) stime: u64,
    /// 0 running, 1 sleeping, 2 uninterruptible, 3 stopped, 4 exiting.
    pub(crate) state: i32,
    pub(crate) start: u64,
}

/// A process's times (ns) and memory (bytes).
#[derive(Default, Clone, Copy)]
pub(crate) struct TaskUsage {
    /// User and system time of all threads ever, then of live threads.
    pub(crate) times: [u64; 4],
    /// Virtual size, resident size, resident maximum.
    pub(crate) mem: [u64; 3],
    pub(crate) threads: u32,
}

/// The host's memory in pages (total, free, active, inactive, wired, file,
/// anonymous) and the page size.
pub(crate) fn host_memory() -> [u64; 8] {
    let mut m = [0u64; 8];
    // SAFETY: `m` holds the 8 values written.
    unsafe { crate::glue::machipc_host_memory(m.as_mut_ptr()) };
    m
}

/// A CPU's ticks (user, system, idle, nice).
pub(crate) fn cpu_ticks(cpu: u32) -> [u64; 4] {
    let mut t = [0u64; 4];
    // SAFETY: `t` holds the 4 values written; any cpu number is checked.
    unsafe { crate::glue::machipc_cpu_ticks(cpu as i32, t.as_mut_ptr()) };
    t
}

/// The possible and online CPU counts.
pub(crate) fn cpu_counts() -> (u32, u32) {
    let (mut p, mut o) = (0, 0);
    // SAFETY: both outputs are valid for writes.
    unsafe { crate::glue::machipc_cpu_counts(&mut p, &mut o) };
    (p.max(0) as u32, o.max(0) as u32)
}

/// The load averages scaled by 1000 (`LOAD_SCALE`).
pub(crate) fn loadavg() -> [u32; 3] {
    let mut a: [core::ffi::c_ulong; 3] = [0; 3];
    // SAFETY: `a` holds the 3 values written.
    unsafe { crate::glue::machipc_loadavg(a.as_mut_ptr()) };
    // FIXED_1 is 1 << 11.
    a.map(|v| ((v * 1000) >> 11) as u32)
}

/// The kernel's version string (NUL-terminated, at most `N` bytes).
pub(crate) fn kernel_version<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    // SAFETY: `b` has `N` bytes; snprintf writes at most that, NUL included.
    unsafe { crate::glue::machipc_kernel_version(b.as_mut_ptr(), N as i32) };
    b
}

/// Yama's ptrace scope (0 without Yama).
pub(crate) fn yama_scope() -> i32 {
    // SAFETY: reads a sysctl file in process context.
    unsafe { crate::glue::machipc_yama_scope() }
}

/// VM events since boot: faults, major faults, pages in, pages out,
/// swap-ins, swap-outs.
pub(crate) fn vm_events() -> [u64; 6] {
    let mut e = [0u64; 6];
    // SAFETY: `e` holds the 6 values written.
    unsafe { crate::glue::machipc_vm_events(e.as_mut_ptr()) };
    e
}

/// The system's process and thread counts.
pub(crate) fn process_counts() -> (u32, u32) {
    let (mut p, mut t) = (0, 0);
    // SAFETY: both outputs are valid for writes; the walk is under RCU.
    unsafe { crate::glue::machipc_count_processes(&mut p, &mut t) };
    (p.max(0) as u32, t.max(0) as u32)
}

/// Whether CPU `cpu` is online.
pub(crate) fn cpu_online(cpu: u32) -> bool {
    // SAFETY: any number is checked on the C side.
    unsafe { crate::glue::machipc_cpu_online(cpu as i32) }
}

/// Brings CPU `cpu` online or offline; whether it worked.
pub(crate) fn cpu_set_online(cpu: u32, online: bool) -> bool {
    // SAFETY: any number is checked on the C side; hotplug takes its own
    // locks and may sleep (process context, no lock of ours held).
    unsafe { crate::glue::machipc_cpu_set_online(cpu as i32, online) == 0 }
}

/// The wall clock: seconds and nanoseconds since the epoch.
pub(crate) fn calendar_time() -> (i64, i64) {
    let (mut s, mut ns): (i64, core::ffi::c_long) = (0, 0);
    // SAFETY: both outputs are valid for writes.
    unsafe { crate::glue::machipc_calendar_time(&mut s, &mut ns) };
    (s, ns)
}

/// The scheduler tick in milliseconds.
pub(crate) fn tick_ms() -> u32 {
    (1000 / bindings::HZ).max(1)
}

/// An entry on a `struct pid`'s pidfd wait queue, which Linux wakes when
/// the thread (or a thread of the process) exits and when it is reaped:
/// each wake-up queues its owner's work item on the system workqueue.
#[repr(transparent)]
pub(crate) struct ExitWatch(Opaque<bindings::wait_queue_entry>);

// SAFETY: the entry is only written before it is queued, then accessed by
// the wait queue code under the queue's lock.
unsafe impl Send for ExitWatch {}
// SAFETY: as above: no shared access outside the wait queue's lock.
unsafe impl Sync for ExitWatch {}

impl ExitWatch {
    pub(crate) fn new() -> ExitWatch {
        ExitWatch(Opaque::uninit())
    }

    /// Puts the entry on `pid`'s queue.
    ///
    /// # Safety
    ///
    /// `self` is a field of `*owner` (pinned in its `Arc`) and on no queue;
    /// `pid` stays referenced while the entry is queued; [`Self::remove`]
    /// is called before the last reference to `owner` can go.
    pub(crate) unsafe fn add<T: Send + Sync + 'static>(&self, pid: &PidRef, owner: &Arc<T>)
    where
        Arc<T>: RawWorkItem<0>,
    {
        let entry = self.0.get();
        // SAFETY: per the caller's promise `entry` is ours and unqueued, and
        // `pid` is a live `struct pid` we hold a reference to.
        unsafe {
            (*entry).flags = 0;
            (*entry).private = Arc::as_ptr(owner).cast_mut().cast();
            (*entry).func = Some(exit_wake::<T>);
            bindings::add_wait_queue(&raw mut (*pid.as_ptr()).wait_pidfd, entry);
        }
    }

    /// Takes the entry off `pid`'s queue.
    ///
    /// # Safety
    ///
    /// The entry was put on `pid`'s queue by [`Self::add`] and not removed
    /// since.
    pub(crate) unsafe fn remove(&self, pid: &PidRef) {
        // SAFETY: per the caller's promise the entry is on this queue.
        unsafe { bindings::remove_wait_queue(&raw mut (*pid.as_ptr()).wait_pidfd, self.0.get()) };
    }
}

/// The wake function of an [`ExitWatch`]: queues the owner's work item.
///
/// # Safety
///
/// Called by the wait queue code with `entry` on the queue, its `private`
/// the address of a live `T` in an `Arc` (see [`ExitWatch::add`]).
unsafe extern "C" fn exit_wake<T: Send + Sync + 'static>(
    entry: *mut bindings::wait_queue_entry,
    _mode: core::ffi::c_uint,
    _flags: core::ffi::c_int,
    _key: *mut core::ffi::c_void,
) -> core::ffi::c_int
where
    Arc<T>: RawWorkItem<0>,
{
    // SAFETY: `private` is the address of the owner, alive in an `Arc`
    // while the entry is queued (removed before its last reference goes).
    let owner: Arc<T> = unsafe { ArcBorrow::from_raw((*entry).private as *const T) }.into();
    // Already queued: fine, dropping this reference is not the last one.
    let _ = workqueue::system().enqueue(owner);
    0
}

/// Cancels `owner`'s exit work item `work` if it is queued, and waits for
/// it if it runs. A queued `Arc` work item holds a reference of its owner
/// that its run gives back; a cancelled one never runs, so its reference
/// is dropped here (else the owner is never freed).
///
/// # Safety
///
/// `work` is a field of `*owner`, only ever queued as an `Arc<T>` (the
/// `kernel` crate's `RawWorkItem` for `Arc`, as [`ExitWatch`] does), and
/// this is not called from the work item itself.
pub(crate) unsafe fn cancel_exit_work<T>(owner: &Arc<T>, work: &Work<T>) {
    // SAFETY: `work` is a valid, initialised work item (a field of the live
    // `*owner`); the caller does not run in it, so waiting cannot deadlock.
    let was_queued = unsafe { bindings::cancel_work_sync(Work::raw_get(work)) };
    if was_queued {
        // SAFETY: the item was pending: queueing it turned one reference of
        // `owner` into the pointer `Arc::as_ptr(owner)` (`Arc::into_raw`),
        // which only its run would have turned back. `owner` itself keeps
        // the object alive past this drop.
        drop(unsafe { Arc::from_raw(Arc::as_ptr(owner)) });
    }
}
