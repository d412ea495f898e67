// SPDX-License-Identifier: GPL-2.0

//! Threads: a kernel object for each Linux thread of a task, made the
//! first time it is needed (`mach_thread_self`, `task_threads`), named by a
//! thread port (XNU `thread.c`, `ipc_tt.c`).
//!
//! A thread object watches its Linux thread's `struct pid` (its pidfd wait
//! queue, woken when the thread exits and when it is reaped): once the
//! thread is gone, its port is destroyed, so send rights to it become dead
//! names and dead-name notifications fire. (A leader thread that exits
//! while the others run is reaped only with the whole process, so its port
//! lives until then.)
//!
//! Locking: `Task::inner` (the task's list of threads) -> `Thread::inner`
//! -> port locks.

use kernel::{
    new_mutex,
    prelude::*,
    sync::{Arc, Mutex},
    workqueue::{impl_has_work, new_work, Work},
};

use crate::{
    ipc_kobject::KObject,
    mach::*,
    outbox::Outbox,
    port::Port,
    process::{ExitWatch, PidRef},
    right::MsgPort,
    stats::{self, Counted},
    task::Task,
};

/// `THREAD_KERNEL_PORT`: the one thread special port.
pub(crate) const THREAD_KERNEL_PORT: i32 = 1;

pub(crate) struct ThreadInner {
    pub(crate) active: bool,
    watching: bool,
    /// The thread port (`ith_self`).
    pub(crate) port: Arc<Port>,
    /// `THREAD_KERNEL_PORT` (`ith_sself`): a send right, settable.
    special: MsgPort,
}

/// A thread. See the module documentation.
#[pin_data]
pub(crate) struct Thread {
    /// The Linux thread (its `struct pid`, PIDTYPE_PID).
    pub(crate) pid: PidRef,
    /// The task the thread belongs to.
    pub(crate) task: Arc<Task>,
    #[pin]
    pub(crate) inner: Mutex<ThreadInner>,
    #[pin]
    exit_entry: ExitWatch,
    #[pin]
    exit_work: Work<Thread>,
    _count: Counted<{ stats::THREADS }>,
}

impl_has_work! {
    impl HasWork<Self> for Thread { self.exit_work }
}

impl kernel::workqueue::WorkItem for Thread {
    type Pointer = Arc<Thread>;

    fn run(this: Arc<Thread>) {
        crate::deferred::thread_exit_work(this);
    }
}

impl Thread {
    /// A thread object for Linux thread `pid` of `task`.
    pub(crate) fn new(task: &Arc<Task>, pid: PidRef) -> KResult<Arc<Thread>> {
        let port = Port::new_kernel(KObject::None)?;
        let port_ref = port.clone();
        let t = Arc::pin_init(
            pin_init!(Thread {
                pid,
                task: task.clone(),
                inner <- new_mutex!(ThreadInner {
                    active: true,
                    watching: false,
                    port: port_ref,
                    special: MsgPort::Null,
                }, "Thread::inner"),
                exit_entry: ExitWatch::new(),
                exit_work <- new_work!("Thread::exit_work"),
                _count: Counted::new(),
            }),
            GFP_KERNEL_ACCOUNT,
        )?;
        port.inner.lock().kobject = KObject::Thread(t.clone());
        let sself = port.make_send().map_or(MsgPort::Dead, MsgPort::Right);
        t.inner.lock().special = sself;
        t.watch_exit();
        Ok(t)
    }

    /// Puts `exit_entry` on the thread's pidfd wait queue.
    fn watch_exit(self: &Arc<Self>) {
        let mut inner = self.inner.lock();
        // SAFETY: the entry is a field of this `Arc`'d object and on no
        // queue yet; `pid` keeps the `struct pid` alive until the object
        // is freed; `unwatch_exit` (called by `kill`) removes the entry
        // before the last reference can go.
        unsafe { self.exit_entry.add(&self.pid, self) };
        inner.watching = true;
    }

    /// Takes the entry off the wait queue, if it is on it.
    fn unwatch_exit(&self) {
        let mut inner = self.inner.lock();
        if inner.watching {
            // SAFETY: added by `watch_exit` to this queue and not removed
            // since (`watching`).
            unsafe { self.exit_entry.remove(&self.pid) };
            inner.watching = false;
        }
    }

    /// The exit work: the thread object dies if its Linux thread is gone.
    pub(crate) fn exit_check(self: &Arc<Self>, out: &mut Outbox) {
        if !self.pid.thread_alive() {
            self.task.forget_thread(self);
            self.kill(out);
        }
    }

    /// The thread object dies: its port is destroyed, its special port
    /// released. Does nothing the second time.
    pub(crate) fn kill(self: &Arc<Self>, out: &mut Outbox) {
        let (port, special) = {
            let mut inner = self.inner.lock();
            if !inner.active {
                return;
            }
            inner.active = false;
            (
                inner.port.clone(),
                core::mem::replace(&mut inner.special, MsgPort::Null),
            )
        };
        self.unwatch_exit();
        crate::ipc_object::release_msgport(special, out);
        let remains = port.inner.lock().destroy(&port, out);
        drop(remains);
    }

    /// Like `kill`, and waits for a queued exit work to finish (the task is
    /// going away). Not from the work itself.
    pub(crate) fn kill_sync(self: &Arc<Self>, out: &mut Outbox) {
        self.kill(out);
        // SAFETY: `exit_work` is a field of this thread object, queued only
        // as an `Arc<Thread>` by its `ExitWatch`; this is not called from
        // the work item itself (that runs `exit_check`).
        unsafe { crate::process::cancel_exit_work(self, &self.exit_work) };
    }

    /// An identity of the Linux thread, as waiters record it
    /// ([`crate::process::current_thread_id`]).
    pub(crate) fn id(&self) -> usize {
        self.pid.as_ptr() as usize
    }

    /// Whether the thread object is alive.
    pub(crate) fn is_active(&self) -> bool {
        self.inner.lock().active
    }

    /// `retrieve_thread_self_fast`: a send right for `mach_thread_self`,
    /// made on the thread port while `THREAD_KERNEL_PORT` is that port,
    /// else copied from it.
    pub(crate) fn self_right(&self) -> KResult<MsgPort> {
        let inner = self.inner.lock();
        if !inner.active {
            return Err(Kr::FAILURE);
        }
        match &inner.special {
            MsgPort::Right(r) if Arc::ptr_eq(r.port(), &inner.port) => {
                Ok(inner.port.make_send().map_or(MsgPort::Dead, MsgPort::Right))
            }
            p => Ok(p.copy()),
        }
    }

    /// `thread_get_special_port`.
    pub(crate) fn get_special(&self, which: i32) -> KResult<MsgPort> {
        if which != THREAD_KERNEL_PORT {
            return Err(Kr::INVALID_ARGUMENT);
        }
        let inner = self.inner.lock();
        if !inner.active {
            return Err(Kr::FAILURE);
        }
        Ok(inner.special.copy())
    }

    /// `thread_set_special_port`: the old right comes back to release.
    pub(crate) fn set_special(&self, which: i32, p: MsgPort) -> GiveBack<MsgPort, MsgPort> {
        if which != THREAD_KERNEL_PORT {
            return Err(Refused::new(Kr::INVALID_ARGUMENT, p));
        }
        let mut inner = self.inner.lock();
        if !inner.active {
            return Err(Refused::new(Kr::FAILURE, p));
        }
        Ok(core::mem::replace(&mut inner.special, p))
    }

    /// A new send right to the thread port (`convert_thread_to_port`).
    pub(crate) fn port_right(&self) -> MsgPort {
        let port = self.inner.lock().port.clone();
        port.make_send().map_or(MsgPort::Dead, MsgPort::Right)
    }

    /// `thread_info` flavors.
    pub(crate) fn info(&self, flavor: i32, asked: u32) -> KResult<KVec<u32>> {
        const THREAD_BASIC_INFO: i32 = 3;
        const THREAD_IDENTIFIER_INFO: i32 = 4;
        const THREAD_BASIC_INFO_COUNT: u32 = 10;
        const THREAD_IDENTIFIER_INFO_COUNT: u32 = 6;
        if !self.inner.lock().active {
            return Err(Kr::TERMINATED);
        }
        let mut v = KVec::new();
        match flavor {
            THREAD_BASIC_INFO => {
                if asked < THREAD_BASIC_INFO_COUNT {
                    return Err(Kr::INVALID_ARGUMENT);
                }
                let i = self.pid.thread_info().ok_or(Kr::TERMINATED)?;
                // TH_STATE_RUNNING 1, STOPPED 2, WAITING 3,
                // UNINTERRUPTIBLE 4, HALTED 5.
                let run_state = match i.state {
                    0 => 1,
                    1 => 3,
                    2 => 4,
                    3 => 2,
                    _ => 5,
                };
                for x in [
                    (i.utime / 1_000_000_000) as u32,
                    ((i.utime / 1000) % 1_000_000) as u32,
                    (i.stime / 1_000_000_000) as u32,
                    ((i.stime / 1000) % 1_000_000) as u32,
                    0,         // cpu_usage
                    1,         // policy: POLICY_TIMESHARE
                    run_state, // run_state
                    0,         // flags
                    0,         // suspend_count
                    0,         // sleep_time
                ] {
                    v.push(x, GFP_KERNEL)?;
                }
            }
            THREAD_IDENTIFIER_INFO => {
                if asked < THREAD_IDENTIFIER_INFO_COUNT {
                    return Err(Kr::INVALID_ARGUMENT);
                }
                // thread_id: the thread's id as the caller sees it;
                // thread_handle: its TLS base (`pthread_self()`, XNU's
                // TSD base); dispatch_qaddr: none.
                let tid = u64::from(self.pid.nr_for_current());
                let handle = self.pid.thread_handle();
                for x in [
                    tid as u32,
                    (tid >> 32) as u32,
                    handle as u32,
                    (handle >> 32) as u32,
                    0,
                    0,
                ] {
                    v.push(x, GFP_KERNEL)?;
                }
            }
            _ => return Err(Kr::INVALID_ARGUMENT),
        }
        Ok(v)
    }
}

impl Task {
    /// The thread object of the calling thread, made on first use.
    pub(crate) fn current_thread(self: &Arc<Self>) -> KResult<Arc<Thread>> {
        let pid = PidRef::current_thread().ok_or(Kr::FAILURE)?;
        self.thread_of(pid)
    }

    /// The thread object of Linux thread `pid` of this task.
    pub(crate) fn thread_of(self: &Arc<Self>, pid: PidRef) -> KResult<Arc<Thread>> {
        let mut inner = self.inner.lock();
        if !inner.active {
            return Err(Kr::INVALID_TASK);
        }
        if let Some(t) = inner.threads.iter().find(|t| t.pid.same(&pid)) {
            return Ok(t.clone());
        }
        inner.threads.reserve(1, GFP_KERNEL_ACCOUNT)?;
        let t = Thread::new(self, pid)?;
        // Cannot fail: reserved above.
        let _ = inner.threads.push_within_capacity(t.clone());
        Ok(t)
    }

    /// A thread object died: it leaves the task's list.
    pub(crate) fn forget_thread(&self, t: &Arc<Thread>) {
        self.inner.lock().threads.retain(|x| !Arc::ptr_eq(x, t));
    }

    /// `task_threads`: send rights to every thread of the task.
    pub(crate) fn threads(
        self: &Arc<Self>,
        out: &mut Outbox,
    ) -> KResult<crate::limits::UVec<MsgPort>> {
        let pids = self
            .owner()
            .threads(crate::limits::max_msg_rights() as usize);
        let mut v = crate::limits::UVec::with_capacity(pids.len(), crate::limits::gfp_user())?;
        for pid in pids {
            match self.thread_of(pid) {
                // Cannot fail: reserved above.
                Ok(t) => {
                    let _ = v.push_within_capacity(t.port_right());
                }
                Err(kr) => {
                    for p in v.drain_all() {
                        crate::ipc_object::release_msgport(p, out);
                    }
                    return Err(kr);
                }
            }
        }
        Ok(v)
    }

    /// Every thread object of the task dies (the task does).
    pub(crate) fn kill_threads(&self, out: &mut Outbox) {
        let threads = core::mem::take(&mut self.inner.lock().threads);
        for t in threads.iter() {
            t.kill_sync(out);
        }
    }
}
