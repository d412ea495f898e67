// SPDX-License-Identifier: GPL-2.0

//! Tasks: a process's IPC space, its task and task-name ports and its
//! special ports (XNU `task.c`, `ipc_tt.c`).
//!
//! A task belongs to one Linux process (thread group), identified by its
//! `struct pid`. The first open of `/dev/mach` in a process creates its
//! task; later opens in the same process (after exec too, which keeps the
//! task as XNU keeps the IPC space) return the same one. The task dies
//! when its whole process is gone -- all its threads, not just the leader
//! -- watched through the `struct pid`'s pidfd wait queue, or when the
//! last file referring to it is closed.
//!
//! A set-id exec resets the task as XNU's `ipc_task_reset` does: a new
//! task port (send rights to the old one become dead names) and no debug
//! control port; the name port, bootstrap and other special ports and the
//! space stay. A module sees no exec, so the reset happens the first time
//! the task is used after it: every ioctl of the process and every lookup
//! of its task port compare the process's exec generation.
//!
//! A new task starts with the special ports its nearest Mach ancestor had
//! when the path to us was forked from it (the ancestor keeps a bounded
//! history of its changes, so "set, fork, restore" works), or with the
//! system bootstrap port if it has no Mach ancestor.
//!
//! Locking: [`TASKS`] -> `Task::inner` -> any space or port lock.

use kernel::{
    new_mutex,
    prelude::*,
    sync::{
        atomic::{ordering::Relaxed, Atomic},
        Arc, Mutex,
    },
    workqueue::{impl_has_work, new_work, Work},
};

use crate::{
    host::Host,
    ipc_kobject::KObject,
    limits::UserAccount,
    mach::*,
    outbox::Outbox,
    port::Port,
    process::{self, ExecState, ExitWatch, PidRef},
    right::MsgPort,
    space::Space,
    special::{SpecialHistory, SpecialPorts},
    stats::{self, Counted},
};

kernel::sync::global_lock! {
    // SAFETY: initialised in the module initialiser before first use.
    pub(crate) unsafe(uninit) static TASKS: Mutex<KVec<Arc<Task>>> = KVec::new();
}

/// The next pid version (see [`Task::pid_version`]).
static NEXT_PID_VERSION: Atomic<u32> = Atomic::new(1);

/// The task's mutable state, under `Task::inner`.
pub(crate) struct TaskInner {
    pub(crate) active: bool,
    /// `exit_entry` is on the owner's pidfd wait queue.
    watching: bool,
    /// Open files referring to the task.
    opens: u32,
    /// The task kernel port (`itk_self`).
    pub(crate) port: Arc<Port>,
    /// The task name port (`itk_nself`).
    pub(crate) name_port: Arc<Port>,
    pub(crate) special: SpecialPorts,
    /// Changes of `special`, for children created before them.
    pub(crate) history: SpecialHistory,
    /// The process as last seen (exec generation, credentials).
    seen: ExecState,
    cred_id: usize,
    /// Whether the process was privileged when the kernel last chose the
    /// task's host port (XNU's security token).
    host_privileged: bool,
    /// Thread objects made so far (see `thread.rs`).
    pub(crate) threads: KVec<Arc<crate::thread::Thread>>,
    /// Semaphores the task owns (see `semaphore.rs`).
    pub(crate) semaphores: crate::semaphore::SemaphoreList,
}

/// A Mach task.
#[pin_data]
pub(crate) struct Task {
    pub(crate) space: Arc<Space>,
    owner: PidRef,
    /// The audit token's pid version (XNU `p_idversion`): a fresh value
    /// for every task and at every exec of its process.
    pid_version: Atomic<u32>,
    /// Copies of `inner.seen.exec_id` and `inner.cred_id`, written with
    /// them under `inner`: [`Task::refresh_self`]'s check on every ioctl
    /// reads them without the lock (a stale value only sends it to the
    /// locked path).
    seen_exec: Atomic<u64>,
    seen_cred: Atomic<usize>,
    #[pin]
    pub(crate) inner: Mutex<TaskInner>,
    /// On the owner's `struct pid` pidfd wait queue: woken when one of its
    /// threads exits.
    #[pin]
    exit_entry: ExitWatch,
    /// Checks, after such a wake-up, whether the whole process is gone.
    #[pin]
    pub(crate) exit_work: Work<Task>,
    _count: Counted<{ stats::TASKS }>,
}

impl_has_work! {
    impl HasWork<Self> for Task { self.exit_work }
}

impl Task {
    /// The task of the calling process: the existing one, or a new one.
    /// The open and a racing last close are serialised by [`TASKS`], so an
    /// open never gets a task that is being killed.
    pub(crate) fn open(max_entries: u32, out: &mut Outbox) -> Result<Arc<Task>> {
        let owner = PidRef::current().ok_or(ESRCH)?;
        let account = UserAccount::get(process::current_ids().uid)?;
        let mut tasks = TASKS.lock();
        for t in tasks.iter() {
            if t.owner.same(&owner) {
                let mut inner = t.inner.lock();
                if inner.active {
                    inner.opens += 1;
                    return Ok(t.clone());
                }
            }
        }
        tasks.reserve(1, GFP_KERNEL)?;
        let inherit = Self::inheritance(&tasks);
        let task = Self::new(owner, max_entries, account, inherit.as_ref())?;
        // Cannot fail: reserved above.
        let _ = tasks.push_within_capacity(task.clone());
        drop(tasks);
        task.watch_exit();
        let _ = out;
        Ok(task)
    }

    /// The nearest ancestor process with a task, and when the path to us
    /// was forked from it.
    fn inheritance(tasks: &KVec<Arc<Task>>) -> Option<(Arc<Task>, u64)> {
        for (pid, start) in process::ancestors().iter() {
            if let Some(t) = tasks
                .iter()
                .find(|t| t.owner.same(pid) && t.inner.lock().active)
            {
                return Some((t.clone(), *start));
            }
        }
        None
    }

    fn new(
        owner: PidRef,
        max_entries: u32,
        account: Arc<UserAccount>,
        parent: Option<&(Arc<Task>, u64)>,
    ) -> Result<Arc<Task>> {
        let space = Space::new(max_entries, account)?;
        let port = Port::new_kernel(KObject::None)?;
        let name_port = Port::new_kernel(KObject::None)?;
        let host = Host::get().map_err(|_| ENODEV)?;
        let seen = owner.exec_state().unwrap_or_default();
        let cred_id = process::current_cred_id();
        let (port_ref, name_ref) = (port.clone(), name_port.clone());
        let task = Arc::pin_init(
            pin_init!(Task {
                space,
                owner,
                pid_version: Atomic::new(NEXT_PID_VERSION.fetch_add(1, Relaxed)),
                seen_exec: Atomic::new(seen.exec_id),
                seen_cred: Atomic::new(cred_id),
                inner <- new_mutex!(TaskInner {
                    active: true,
                    watching: false,
                    opens: 1,
                    port: port_ref,
                    name_port: name_ref,
                    special: SpecialPorts::new(),
                    history: SpecialHistory::new(),
                    seen,
                    cred_id,
                    host_privileged: process::privileged(),
                    threads: KVec::new(),
                    semaphores: kernel::list::List::new(),
                }, "Task::inner"),
                exit_entry: ExitWatch::new(),
                exit_work <- new_work!("Task::exit_work"),
                _count: Counted::new(),
            }),
            GFP_KERNEL_ACCOUNT,
        )?;
        port.inner.lock().kobject = KObject::Task(task.clone());
        name_port.inner.lock().kobject = KObject::TaskName(task.clone());
        // Rights are made only once the task exists: nothing to undo.
        let inherited = parent.map(|(t, start)| {
            let inner = t.inner.lock();
            inner.history.rights_at(&inner.special, *start)
        });
        let special = SpecialPorts::initial(&port, &host, inherited);
        task.inner.lock().special = special;
        Ok(task)
    }

    /// Puts `exit_entry` on the owner's pidfd wait queue.
    fn watch_exit(self: &Arc<Self>) {
        let mut inner = self.inner.lock();
        // SAFETY: the entry is a field of this `Arc`'d object and on no
        // queue yet; `owner` keeps the `struct pid` alive until the object
        // is freed; `unwatch_exit` (called by `kill`) removes the entry
        // before the last reference can go.
        unsafe { self.exit_entry.add(&self.owner, self) };
        inner.watching = true;
    }

    /// Takes the entry off the wait queue, if it is on it.
    fn unwatch_exit(&self) {
        let mut inner = self.inner.lock();
        if inner.watching {
            // SAFETY: added by `watch_exit` to this queue and not removed
            // since (`watching`).
            unsafe { self.exit_entry.remove(&self.owner) };
            inner.watching = false;
        }
    }

    /// A thread of the owner exited: the task dies if the whole process is
    /// gone (a leader that exits while other threads run leaves it alive).
    pub(crate) fn exit_check(self: &Arc<Self>, out: &mut Outbox) {
        if !self.owner.alive() {
            self.kill(out);
        }
    }

    /// One file referring to the task is closed; the last one kills it.
    /// The count and the death are decided under [`TASKS`], as in `open`.
    pub(crate) fn close(self: &Arc<Self>, out: &mut Outbox) {
        // The last close also marks the task dead in the same critical
        // section, so an open racing it never gets the dying task: it
        // makes a new one.
        let (last, dead) = {
            let mut tasks = TASKS.lock();
            let last = {
                let mut inner = self.inner.lock();
                inner.opens -= 1;
                inner.opens == 0
            };
            (last, last && self.deactivate_locked(&mut tasks))
        };
        if last {
            if dead {
                self.teardown(out);
            }
            // SAFETY: `exit_work` is a field of this task, queued only as an
            // `Arc<Task>` by its `ExitWatch`; this is not called from the
            // work item itself (which calls `kill`, never `close`).
            unsafe { process::cancel_exit_work(self, &self.exit_work) };
        }
    }

    /// The task dies (its process exited, or its last file was closed):
    /// special ports released, task and name ports destroyed (send rights
    /// to them become dead names), the space terminated. Does nothing the
    /// second time.
    pub(crate) fn kill(self: &Arc<Self>, out: &mut Outbox) {
        let dead = self.deactivate_locked(&mut TASKS.lock());
        if dead {
            self.teardown(out);
        }
    }

    /// Marks the task dead and takes it out of [`TASKS`] (held by the
    /// caller); false if it already was.
    fn deactivate_locked(self: &Arc<Self>, tasks: &mut KVec<Arc<Task>>) -> bool {
        let mut inner = self.inner.lock();
        if !inner.active {
            return false;
        }
        inner.active = false;
        drop(inner);
        tasks.retain(|t| !Arc::ptr_eq(t, self));
        true
    }

    /// What a death does once the task is marked dead (see [`Task::kill`]).
    fn teardown(self: &Arc<Self>, out: &mut Outbox) {
        self.unwatch_exit();
        let (special, history, ports) = {
            let mut inner = self.inner.lock();
            (
                core::mem::replace(&mut inner.special, SpecialPorts::new()),
                core::mem::replace(&mut inner.history, SpecialHistory::new()),
                [inner.port.clone(), inner.name_port.clone()],
            )
        };
        special.release(out);
        drop(history);
        self.kill_threads(out);
        self.destroy_semaphores();
        for p in ports.iter() {
            let remains = p.inner.lock().destroy(p, out);
            drop(remains);
        }
        crate::ipc_space::terminate(&self.space, out);
    }

    /// The calling process's task after any set-id exec and credential
    /// change is taken into account. Called by the owner on every ioctl.
    pub(crate) fn refresh_self(&self, out: &mut Outbox) {
        if self.seen_exec.load(Relaxed) == process::current_exec_id()
            && self.seen_cred.load(Relaxed) == process::current_cred_id()
        {
            return;
        }
        self.refresh(out);
    }

    /// Looks at the owner process: a set-id exec since the last look
    /// resets the task; changed credentials change its host port and
    /// account.
    pub(crate) fn refresh(&self, out: &mut Outbox) {
        let Some(now) = self.owner.exec_state() else {
            return;
        };
        let current = self.owner.is_current();
        let (reset, old) = {
            let mut inner = self.inner.lock();
            if !inner.active {
                return;
            }
            let exec = now.exec_id != inner.seen.exec_id;
            // Nothing new: no exec, and (for the caller's own task) the
            // same credentials. The common case, on every request to a
            // task port.
            if !exec && (!current || inner.cred_id == process::current_cred_id()) {
                return;
            }
            if exec {
                // XNU gives the process a new `p_idversion` at every exec.
                self.pid_version
                    .store(NEXT_PID_VERSION.fetch_add(1, Relaxed), Relaxed);
            }
            let reset = exec && now.set_id();
            inner.seen = now;
            self.seen_exec.store(now.exec_id, Relaxed);
            if current {
                inner.cred_id = process::current_cred_id();
                self.seen_cred.store(inner.cred_id, Relaxed);
            }
            let old = if reset {
                Some(self.reset_locked(&mut inner))
            } else {
                None
            };
            (reset, old)
        };
        if let Some((old_port, released)) = old {
            let remains = old_port.inner.lock().destroy(&old_port, out);
            drop(remains);
            for r in released {
                crate::ipc_object::release_msgport(r, out);
            }
        }
        if reset {
            stats::count(stats::Counter::TaskResetsTotal);
        }
        if current {
            self.refresh_host_port(out);
            self.refresh_account();
        }
    }

    /// `ipc_task_reset`: a new task port; the old one (returned, to be
    /// destroyed once the lock is dropped) loses its kernel object. The
    /// debug control port is released.
    fn reset_locked(&self, inner: &mut TaskInner) -> (Arc<Port>, KVec<MsgPort>) {
        let mut released = KVec::new();
        let Ok(new_port) = Port::new_kernel(KObject::None) else {
            // No memory for a new port: the old one is disabled anyway, so
            // the old task port grants nothing any more.
            let old = inner.port.clone();
            let _ = core::mem::replace(&mut old.inner.lock().kobject, KObject::None);
            return (old, released);
        };
        let old = core::mem::replace(&mut inner.port, new_port.clone());
        if let Some(me) = task_of(&old) {
            new_port.inner.lock().kobject = KObject::Task(me);
        }
        let _ = core::mem::replace(&mut old.inner.lock().kobject, KObject::None);
        if let Some(r) = inner.special.reset_kernel_port(&new_port) {
            let _ = released.push(r, GFP_KERNEL);
        }
        if let Some(r) = inner.special.take(TASK_DEBUG_CONTROL_PORT) {
            let _ = released.push(r, GFP_KERNEL);
        }
        (old, released)
    }

    /// XNU resets a task's host port when its credentials change
    /// (`set_security_token`, at exec and setuid): host-priv for privileged
    /// processes, the host port otherwise.
    fn refresh_host_port(&self, out: &mut Outbox) {
        let privileged = process::privileged();
        let Ok(host) = Host::get() else { return };
        let old = {
            let mut inner = self.inner.lock();
            if !inner.active || inner.host_privileged == privileged {
                return;
            }
            inner.host_privileged = privileged;
            let p = if privileged {
                &host.priv_port
            } else {
                &host.port
            };
            let new = p.make_send().map_or(MsgPort::Dead, MsgPort::Right);
            inner.special.replace(TASK_HOST_PORT, new)
        };
        if let Some(old) = old {
            crate::ipc_object::release_msgport(old, out);
        }
    }

    /// The account of the owner's current real uid.
    fn refresh_account(&self) {
        let uid = process::current_ids().uid;
        if self.space.kmsgs.account().uid() == uid {
            return;
        }
        if let Ok(a) = UserAccount::get(uid) {
            self.space.kmsgs.set_account(a);
        }
    }

    /// The user the task's calls are charged to (kept with its space's
    /// message cache, which charges its sends to it).
    pub(crate) fn account(&self) -> Arc<UserAccount> {
        self.space.kmsgs.account()
    }

    /// The audit token's pid version: it differs between any two tasks
    /// (so a reused pid is told apart) and changes at every exec of the
    /// process, as XNU's `p_idversion` does (seen at the process's next
    /// call, or the next lookup of its task port, before anything it
    /// sends).
    pub(crate) fn pid_version(&self) -> u32 {
        self.pid_version.load(Relaxed)
    }

    /// Whether the calling process owns this task.
    pub(crate) fn owned_by_caller(&self) -> bool {
        self.owner.is_current()
    }

    pub(crate) fn is_active(&self) -> bool {
        self.inner.lock().active
    }

    /// The owner process.
    pub(crate) fn owner(&self) -> &PidRef {
        &self.owner
    }

    /// Whether `port` is the task's current task port; `None` if the task
    /// is dead. One look under the lock, no reference taken.
    pub(crate) fn has_port(&self, port: &Arc<Port>) -> Option<bool> {
        let inner = self.inner.lock();
        inner.active.then(|| Arc::ptr_eq(&inner.port, port))
    }

    /// `task_get_special_port`: a copy of special port `which` (the name
    /// port: a new send right to it).
    pub(crate) fn get_special(&self, which: i32) -> KResult<MsgPort> {
        let inner = self.inner.lock();
        if which == TASK_NAME_PORT {
            if !inner.active {
                return Err(Kr::FAILURE);
            }
            return Ok(inner
                .name_port
                .make_send()
                .map_or(MsgPort::Dead, MsgPort::Right));
        }
        if !SpecialPorts::gettable(which) {
            return Err(Kr::INVALID_ARGUMENT);
        }
        if !inner.active {
            return Err(Kr::FAILURE);
        }
        Ok(inner.special.copy(which))
    }

    /// `task_set_special_port`: replaces special port `which`; the old
    /// right is returned for the caller to release.
    pub(crate) fn set_special(
        &self,
        which: i32,
        right: MsgPort,
    ) -> GiveBack<Option<MsgPort>, MsgPort> {
        if !SpecialPorts::settable(which) {
            return Err(Refused::new(Kr::INVALID_ARGUMENT, right));
        }
        let mut inner = self.inner.lock();
        if !inner.active {
            return Err(Refused::new(Kr::FAILURE, right));
        }
        if (which == TASK_SEATBELT_PORT || which == TASK_ACCESS_PORT)
            && inner.special.is_valid(which)
        {
            return Err(Refused::new(Kr::NO_ACCESS, right));
        }
        let old = inner.special.replace(which, right);
        // The history remembers what was replaced, for children made before.
        Ok(old.map(|o| inner.history.record(which, o)))
    }
}

impl Task {
    /// `mach_ports_register`: the registered ports become `ports` (NULL
    /// past the end); the old ones come back to release.
    pub(crate) fn register_ports(
        &self,
        mut ports: [MsgPort; crate::special::REGISTER_MAX],
    ) -> GiveBack<[MsgPort; crate::special::REGISTER_MAX], [MsgPort; crate::special::REGISTER_MAX]>
    {
        let mut inner = self.inner.lock();
        if !inner.active {
            return Err(Refused::new(Kr::INVALID_ARGUMENT, ports));
        }
        for (i, p) in ports.iter_mut().enumerate() {
            let new = core::mem::replace(p, MsgPort::Null);
            let old = inner.special.register(i, new);
            *p = inner
                .history
                .record(crate::special::registered_history_id(i), old);
        }
        Ok(ports)
    }

    /// `mach_ports_lookup`: copies of the registered ports.
    pub(crate) fn registered_ports(&self) -> KResult<[MsgPort; crate::special::REGISTER_MAX]> {
        let inner = self.inner.lock();
        if !inner.active {
            return Err(Kr::INVALID_ARGUMENT);
        }
        Ok(inner.special.registered())
    }
}

/// The task a task port names.
pub(crate) fn task_of(port: &Port) -> Option<Arc<Task>> {
    match &port.inner.lock().kobject {
        KObject::Task(t) => Some(t.clone()),
        _ => None,
    }
}

impl kernel::workqueue::WorkItem for Task {
    type Pointer = Arc<Task>;

    fn run(this: Arc<Task>) {
        crate::deferred::task_exit_work(this);
    }
}
