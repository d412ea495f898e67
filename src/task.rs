// SPDX-License-Identifier: GPL-2.0

//! Tasks: a process's IPC space, task port and special ports.
//!
//! A task belongs to one Linux process (thread group), identified by its
//! `struct pid`, which we hold a reference to so it can never be mistaken
//! for a later process that reuses the number. The first open of
//! `/dev/mach` in a process creates its task; later opens in the same
//! process (e.g. after exec, which keeps the task as XNU keeps the IPC
//! space) return the same task. The task dies when its process exits --
//! watched through the `struct pid`'s pidfd wait queue, so a descriptor
//! inherited by a program that does not use Mach (e.g. started with
//! `posix_spawn`) cannot keep it alive -- or earlier, when the last file
//! that refers to it is closed.
//!
//! A new task inherits its parent process's bootstrap port and host port
//! (a Mach child task starts with its parent's special ports), so a parent
//! and its children can exchange rights with nothing else.
//!
//! Locking: [`TASKS`] is taken before `Task::inner`, which is taken before
//! any space or port lock. Never the other way round.

use core::ptr::NonNull;

use kernel::{
    bindings, new_mutex,
    prelude::*,
    sync::{Arc, ArcBorrow, Mutex},
    types::Opaque,
    workqueue::{self, impl_has_work, new_work, Work, WorkItem},
};

use crate::{
    host::{caller_privileged, Host},
    mach::*,
    port::{KObject, Port},
    right::{CopiedRight, Outbox},
    space::Space,
};

kernel::sync::global_lock! {
    // SAFETY: initialised in the module initialiser before first use.
    pub(crate) unsafe(uninit) static TASKS: Mutex<KVec<Arc<Task>>> = KVec::new();
}

/// A reference to the `struct pid` of a thread group.
pub(crate) struct Owner(NonNull<bindings::pid>);

// SAFETY: a `struct pid` reference may be held, compared and dropped on any
// thread; it is only used as an identity.
unsafe impl Send for Owner {}
// SAFETY: see above; `&Owner` allows nothing but comparison.
unsafe impl Sync for Owner {}

impl Owner {
    fn of(task: *mut bindings::task_struct) -> Option<Owner> {
        // SAFETY: `task` is the current task or a task kept alive by the
        // caller's RCU read lock; `get_task_pid` takes a reference.
        let pid = unsafe { bindings::get_task_pid(task, bindings::pid_type_PIDTYPE_TGID) };
        NonNull::new(pid).map(Owner)
    }

    /// The calling process.
    pub(crate) fn current() -> Option<Owner> {
        Self::of(kernel::task::Task::current_raw())
    }

    /// The calling process's parent.
    fn parent() -> Option<Owner> {
        let _rcu = kernel::sync::rcu::read_lock();
        let cur = kernel::task::Task::current_raw();
        // SAFETY: `current` is valid; its `real_parent` is RCU-protected and
        // we hold the RCU read lock until `get_task_pid` took its reference.
        let parent = unsafe { (*cur).real_parent };
        if parent.is_null() {
            return None;
        }
        Self::of(parent)
    }

    /// Whether the calling process is this one (on every ioctl: no
    /// reference taken, just the pointer compared).
    pub(crate) fn is_current(&self) -> bool {
        let cur = kernel::task::Task::current_raw();
        // SAFETY: `current` is valid and so is its `signal` struct while it
        // runs; `pids[PIDTYPE_TGID]` of the current task only changes in
        // the task itself (never: exec keeps the thread group's pid).
        let tgid = unsafe { (*(*cur).signal).pids[bindings::pid_type_PIDTYPE_TGID as usize] };
        core::ptr::eq(tgid, self.0.as_ptr())
    }
}

impl Drop for Owner {
    fn drop(&mut self) {
        // SAFETY: we own one reference, taken by `get_task_pid`.
        unsafe { bindings::put_pid(self.0.as_ptr()) };
    }
}

/// Task special ports kept in slots (`task_get/set_special_port`).
const SPECIAL_IDS: [i32; 5] = [
    TASK_KERNEL_PORT,
    TASK_HOST_PORT,
    TASK_BOOTSTRAP_PORT,
    TASK_ACCESS_PORT,
    TASK_DEBUG_CONTROL_PORT,
];

fn special_slot(id: i32) -> KResult<usize> {
    SPECIAL_IDS
        .iter()
        .position(|&x| x == id)
        .ok_or(KERN_INVALID_ARGUMENT)
}

pub(crate) struct TaskInner {
    pub(crate) active: bool,
    /// `exit_entry` is on the owner's pidfd wait queue.
    watching: bool,
    /// Whether the process was privileged when the kernel last chose the
    /// task's host port (XNU's security token).
    host_privileged: bool,
    /// Open files referring to the task.
    opens: u32,
    /// Special ports by [`SPECIAL_IDS`] slot; `None` is `MACH_PORT_NULL`.
    special: [Option<CopiedRight>; 5],
}

/// A Mach task.
#[pin_data]
pub(crate) struct Task {
    pub(crate) space: Arc<Space>,
    /// The task port: a kernel port whose object is this task.
    pub(crate) port: Arc<Port>,
    owner: Owner,
    #[pin]
    pub(crate) inner: Mutex<TaskInner>,
    /// On the owner's `struct pid` pidfd wait queue: woken when the
    /// process exits.
    #[pin]
    exit_entry: ExitEntry,
    /// Runs [`Task::kill`] after the process exited (the wake-up runs in
    /// atomic context).
    #[pin]
    exit_work: Work<Task>,
}

/// A wait queue entry, only touched through the wait queue API.
#[repr(transparent)]
struct ExitEntry(Opaque<bindings::wait_queue_entry>);

// SAFETY: the entry is only written before it is queued and then accessed
// by the wait queue code under the queue's lock; moving the owning `Arc`
// between threads is fine.
unsafe impl Send for ExitEntry {}
// SAFETY: as above: no shared access outside the wait queue's lock.
unsafe impl Sync for ExitEntry {}

impl ExitEntry {
    fn get(&self) -> *mut bindings::wait_queue_entry {
        self.0.get()
    }
}

impl_has_work! {
    impl HasWork<Self> for Task { self.exit_work }
}

impl WorkItem for Task {
    type Pointer = Arc<Task>;

    fn run(this: Arc<Task>) {
        this.kill();
    }
}

/// The wake function of `Task::exit_entry`: the owner process exited.
///
/// # Safety
///
/// Called by the wait queue code with `entry` pointing to the
/// `exit_entry` of a live task, whose `private` is the task's address.
unsafe extern "C" fn exit_wake(
    entry: *mut bindings::wait_queue_entry,
    _mode: core::ffi::c_uint,
    _flags: core::ffi::c_int,
    _key: *mut core::ffi::c_void,
) -> core::ffi::c_int {
    // SAFETY: `private` is the address of the task, which lives in an
    // `Arc` that stays alive while the entry is queued: the entry is
    // removed (under this wait queue's lock, which we run under) before the
    // task's last file reference goes away.
    let task: Arc<Task> = unsafe { ArcBorrow::from_raw((*entry).private as *const Task) }.into();
    // Already queued: fine, dropping this reference is not the last one.
    let _ = workqueue::system().enqueue(task);
    0
}

/// A copy of a special port (`ipc_port_copy_send`).
fn copy_special(r: &Option<CopiedRight>) -> Option<CopiedRight> {
    match r {
        None => None,
        Some(CopiedRight::Dead) => Some(CopiedRight::Dead),
        Some(CopiedRight::Right(r)) => {
            Some(r.copy_send().map_or(CopiedRight::Dead, CopiedRight::Right))
        }
    }
}

impl Task {
    /// The task of the calling process: the existing one, or a new one.
    pub(crate) fn open(max_entries: u32) -> Result<Arc<Task>> {
        let owner = Owner::current().ok_or(ESRCH)?;
        let mut tasks = TASKS.lock();
        for t in tasks.iter() {
            if t.owner.0 == owner.0 {
                let mut inner = t.inner.lock();
                if inner.active {
                    inner.opens += 1;
                    return Ok(t.clone());
                }
            }
        }
        let parent = Owner::parent().and_then(|p| {
            tasks
                .iter()
                .find(|t| t.owner.0 == p.0 && t.inner.lock().active)
                .cloned()
        });
        tasks.reserve(1, GFP_KERNEL)?;
        let task = Self::new(owner, max_entries, parent.as_deref())?;
        // Cannot fail: reserved above.
        tasks.push(task.clone(), GFP_KERNEL)?;
        Ok(task)
    }

    fn new(owner: Owner, max_entries: u32, parent: Option<&Task>) -> Result<Arc<Task>> {
        let space = Space::new(max_entries)?;
        let task_port = Port::new_kernel(KObject::None)?;
        let host = Host::get().map_err(|_| ENODEV)?;
        let port = task_port.clone();
        // Rights are made only once the task exists: nothing to undo.
        let task = Arc::pin_init(
            pin_init!(Task {
                space,
                port,
                owner,
                inner <- new_mutex!(TaskInner {
                    active: true,
                    watching: false,
                    host_privileged: caller_privileged(),
                    opens: 1,
                    special: [None, None, None, None, None],
                }, "Task::inner"),
                exit_entry: ExitEntry(Opaque::uninit()),
                exit_work <- new_work!("Task::exit_work"),
            }),
            GFP_KERNEL_ACCOUNT,
        )?;
        task.watch_exit();
        task_port.inner.lock().kobject = KObject::Task(task.clone());
        let special = Self::initial_special_ports(&task_port, &host, parent);
        task.inner.lock().special = special;
        Ok(task)
    }

    /// The special ports of a new task: its own task port; the parent's
    /// bootstrap port; the parent's host port, unless that is host-priv
    /// and we may not have it (by default host-priv for privileged callers,
    /// as XNU gives root tasks).
    fn initial_special_ports(
        task_port: &Arc<Port>,
        host: &Host,
        parent: Option<&Task>,
    ) -> [Option<CopiedRight>; 5] {
        let privileged = caller_privileged();
        let mut special: [Option<CopiedRight>; 5] = [None, None, None, None, None];
        special[0] = task_port.make_send().map(CopiedRight::Right);
        let inherited = parent.map(|p| {
            let pi = p.inner.lock();
            (copy_special(&pi.special[1]), copy_special(&pi.special[2]))
        });
        let (host_right, bootstrap) = match inherited {
            Some((h, b)) => (Some(h), b),
            None => (None, None),
        };
        special[1] = match host_right {
            Some(Some(CopiedRight::Right(r)))
                if !privileged && Arc::ptr_eq(r.port(), &host.priv_port) =>
            {
                // Not for an unprivileged child: it gets the plain host port.
                r.release();
                host.port.make_send().map(CopiedRight::Right)
            }
            Some(inherited) => inherited,
            None if privileged => host.priv_port.make_send().map(CopiedRight::Right),
            None => host.port.make_send().map(CopiedRight::Right),
        };
        special[2] = bootstrap;
        special
    }

    /// Puts `exit_entry` on the owner's pidfd wait queue.
    fn watch_exit(self: &Arc<Self>) {
        let mut inner = self.inner.lock();
        let entry = self.exit_entry.get();
        // SAFETY: `entry` is ours, pinned in the task's `Arc`, and not on
        // any queue yet. The owner's `struct pid` is kept alive by `owner`
        // until the task is freed, and the entry is removed before that
        // (`unwatch_exit`, called by `kill`).
        unsafe {
            (*entry).flags = 0;
            (*entry).private = Arc::as_ptr(self).cast_mut().cast();
            (*entry).func = Some(exit_wake);
            bindings::add_wait_queue(&raw mut (*self.owner.0.as_ptr()).wait_pidfd, entry);
        }
        inner.watching = true;
    }

    /// Takes `exit_entry` off the wait queue, if it is on it.
    fn unwatch_exit(&self) {
        let mut inner = self.inner.lock();
        if inner.watching {
            // SAFETY: the entry was added by `watch_exit` to this queue and
            // not removed since (`watching`).
            unsafe {
                bindings::remove_wait_queue(
                    &raw mut (*self.owner.0.as_ptr()).wait_pidfd,
                    self.exit_entry.get(),
                )
            };
            inner.watching = false;
        }
    }

    /// One file referring to the task is closed; the last one kills it.
    pub(crate) fn close(self: &Arc<Self>) {
        let last = {
            let mut inner = self.inner.lock();
            inner.opens -= 1;
            inner.opens == 0
        };
        if last {
            self.kill();
            // SAFETY: `exit_work` is a valid, initialised work item; this is
            // not called from the work item itself (which calls `kill`).
            unsafe { bindings::cancel_work_sync(Work::raw_get(&self.exit_work)) };
        }
    }

    /// The task dies (its process exited, or its last file was closed).
    /// Does nothing the second time.
    pub(crate) fn kill(self: &Arc<Self>) {
        {
            let mut tasks = TASKS.lock();
            let mut inner = self.inner.lock();
            if !inner.active {
                return;
            }
            inner.active = false;
            drop(inner);
            tasks.retain(|t| !Arc::ptr_eq(t, self));
        }
        self.unwatch_exit();
        self.terminate();
    }

    /// The task dies: special ports released, task port destroyed (send
    /// rights to it become dead names), the space terminated.
    fn terminate(&self) {
        let special = core::mem::take(&mut self.inner.lock().special);
        for r in special.into_iter().flatten() {
            r.release();
        }
        let mut out = Outbox::new();
        self.port.inner.lock().destroy(&self.port, &mut out);
        out.flush();
        self.space.terminate();
    }

    /// XNU resets a task's host port when its credentials change
    /// (`set_security_token`, at exec and setuid): host-priv for privileged
    /// processes, the host port otherwise. We do it when the task looks at
    /// its host port and its privilege changed since the last time. Called
    /// by the owner process.
    pub(crate) fn refresh_host_port(&self) {
        let privileged = caller_privileged();
        let Ok(host) = Host::get() else { return };
        let old = {
            let mut inner = self.inner.lock();
            if inner.host_privileged == privileged {
                return;
            }
            inner.host_privileged = privileged;
            let p = if privileged {
                &host.priv_port
            } else {
                &host.port
            };
            core::mem::replace(&mut inner.special[1], p.make_send().map(CopiedRight::Right))
        };
        if let Some(old) = old {
            old.release();
        }
    }

    /// Whether the calling process owns this task.
    pub(crate) fn owned_by_caller(&self) -> bool {
        self.owner.is_current()
    }

    pub(crate) fn is_active(&self) -> bool {
        self.inner.lock().active
    }

    /// `task_get_special_port`: a copy of the right in slot `which`.
    pub(crate) fn get_special(&self, which: i32) -> KResult<Option<CopiedRight>> {
        let slot = special_slot(which)?;
        let inner = self.inner.lock();
        if !inner.active {
            return Err(KERN_INVALID_TASK);
        }
        Ok(copy_special(&inner.special[slot]))
    }

    /// `task_set_special_port`: replaces slot `which`; the old right is
    /// returned for the caller to release.
    pub(crate) fn set_special(
        &self,
        which: i32,
        right: Option<CopiedRight>,
    ) -> core::result::Result<Option<CopiedRight>, (Kr, Option<CopiedRight>)> {
        let slot = match special_slot(which) {
            Ok(s) => s,
            Err(kr) => return Err((kr, right)),
        };
        let mut inner = self.inner.lock();
        if !inner.active {
            return Err((KERN_INVALID_TASK, right));
        }
        Ok(core::mem::replace(&mut inner.special[slot], right))
    }
}
