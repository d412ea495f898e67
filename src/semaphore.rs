// SPDX-License-Identifier: GPL-2.0

//! Mach semaphores (XNU `sync_sema.c`, `ipc_sync.c`): a count and a queue
//! of waiting threads, named by a kernel port.
//!
//! A semaphore is made by `semaphore_create` on a task port and belongs
//! to that task (on its list, for `semaphore_destroy` and for the task's
//! death). Its port holds it: the semaphore lives while send rights to
//! the port do. As in XNU the port has a no-senders request (a send-once
//! right to itself); when the last send right goes, the notification
//! reaches the kernel server, which destroys the semaphore and its port.
//! `semaphore_destroy`, or the owner's death, only deactivates it: every
//! operation then gives `KERN_TERMINATED`, and its waiters wake with it.
//!
//! The count is the number of pending signals. XNU keeps -1 while threads
//! wait; here the waiter queue says so, and the count stays 0 then.
//!
//! Locking: `Semaphore::inner` is a spinlock (nothing is allocated or
//! slept on under it), taken with no other lock held but a waiter's state
//! lock after it; the owner's list is changed under `Task::inner` alone.

use kernel::{
    list::{AtomicTracker, List, ListArc, ListLinks, TryNewListArc},
    new_spinlock,
    prelude::*,
    sync::{Arc, SpinLock},
};

use crate::{
    ipc_kobject::KObject,
    limits::{Charge, Res},
    mach::*,
    outbox::Outbox,
    port::Port,
    right::Right,
    stats::{self, Counted},
    task::Task,
    waitq::{self, WaitList, Wakes},
};

/// `SYNC_POLICY_*`.
const SYNC_POLICY_FIXED_PRIORITY: i32 = 1;
const SYNC_POLICY_LIFO: i32 = 2;
const SYNC_POLICY_MAX: i32 = 7;

struct SemInner {
    active: bool,
    /// Pending signals.
    count: i32,
    waiters: WaitList,
    /// The owning task, until the semaphore is destroyed.
    owner: Option<Arc<Task>>,
}

/// A semaphore. See the module documentation.
#[pin_data]
pub(crate) struct Semaphore {
    #[pin]
    links: ListLinks<0>,
    #[pin]
    track: AtomicTracker<0>,
    /// Wake-ups go to the most recent waiter first (`SYNC_POLICY_LIFO`).
    lifo: bool,
    #[pin]
    inner: SpinLock<SemInner>,
    _charge: Charge,
    _count: Counted<{ stats::SEMAPHORES }>,
}

kernel::list::impl_list_arc_safe! {
    impl ListArcSafe<0> for Semaphore { tracked_by track: AtomicTracker<0>; }
}
kernel::list::impl_list_item! {
    impl ListItem<0> for Semaphore { using ListLinks { self.links }; }
}

/// A task's semaphores.
pub(crate) type SemaphoreList = List<Semaphore>;

/// How a signal wakes (`semaphore_signal_internal`'s options).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signal {
    /// One waiter; with none, the signal is kept (`SEMAPHORE_SIGNAL_PREPOST`).
    OnePrepost,
    /// One waiter, or `KERN_NOT_WAITING`.
    One,
    /// One particular thread, or `KERN_NOT_WAITING`.
    Thread(usize),
    /// Every waiter; the count is unchanged (`SEMAPHORE_SIGNAL_ALL`).
    All,
}

impl Semaphore {
    /// `semaphore_create` on `task`: a send right to the new semaphore's
    /// port.
    pub(crate) fn create(task: &Arc<Task>, policy: i32, value: i32) -> KResult<Right> {
        if value < 0 || policy > SYNC_POLICY_MAX || policy & SYNC_POLICY_FIXED_PRIORITY != 0 {
            return Err(Kr::INVALID_ARGUMENT);
        }
        let charge = task.account().charge(Res::Ports, 1)?;
        let sem = ListArc::pin_init(
            try_pin_init!(Semaphore {
                links <- ListLinks::new(),
                track <- AtomicTracker::new(),
                lifo: policy & SYNC_POLICY_LIFO != 0,
                inner <- new_spinlock!(SemInner {
                    active: true,
                    count: value,
                    waiters: WaitList::new(),
                    owner: Some(task.clone()),
                }, "Semaphore::inner"),
                _charge: charge,
                _count: Counted::new(),
            }),
            GFP_KERNEL_ACCOUNT,
        )
        .map_err(|_| Kr::RESOURCE_SHORTAGE)?;
        let handle = sem.clone_arc();
        let port =
            Port::new_kernel(KObject::Semaphore(handle)).map_err(|_| Kr::RESOURCE_SHORTAGE)?;
        let right = {
            let mut pi = port.inner.lock();
            pi.mscount = 1;
            pi.count_send(1);
            // The no-senders request that frees the semaphore.
            pi.nsrequest = Some(port.make_send_once_locked());
            Right::new(port.clone(), crate::right::RightKind::Send)
        };
        let mut inner = task.inner.lock();
        if !inner.active {
            drop(inner);
            // The task died meanwhile: the semaphore is born dead, and goes
            // with this right (the caller releases it).
            sem.inner.lock().owner = None;
            sem.deactivate();
            return Ok(right);
        }
        inner.semaphores.push_back(sem);
        Ok(right)
    }

    /// Marks the semaphore destroyed and wakes its waiters (they get
    /// `KERN_TERMINATED`). Returns the owner it had.
    fn deactivate(&self) -> Option<Arc<Task>> {
        let mut wakes = Wakes::new();
        let owner = {
            let mut s = self.inner.lock();
            s.active = false;
            s.count = 0;
            wakes.changed(&mut s.waiters);
            s.owner.take()
        };
        wakes.wake_all();
        owner
    }

    /// `semaphore_destroy_internal`: deactivates the semaphore and takes
    /// it off its owner's list.
    fn destroy(self: &Arc<Self>) {
        if let Some(owner) = self.deactivate() {
            let mut inner = owner.inner.lock();
            // SAFETY: a semaphore is only ever on its owner's list, and it
            // had an owner until just now, so it is on that list or none.
            drop(unsafe { inner.semaphores.remove(self) });
        }
    }

    /// `semaphore_destroy` by `task`: only the owner may.
    pub(crate) fn destroy_by(self: &Arc<Self>, task: &Arc<Task>) -> KResult {
        let owned = matches!(&self.inner.lock().owner, Some(o) if Arc::ptr_eq(o, task));
        if !owned {
            return Err(Kr::INVALID_ARGUMENT);
        }
        self.destroy();
        Ok(())
    }

    /// The last send right to the semaphore's port went: the semaphore
    /// and its port are destroyed (`semaphore_notify`).
    pub(crate) fn no_senders(self: &Arc<Self>, port: &Arc<Port>, out: &mut Outbox) {
        self.destroy();
        let remains = port.inner.lock().destroy(port, out);
        drop(remains);
    }

    /// Signals the semaphore.
    pub(crate) fn signal(&self, how: Signal) -> KResult {
        let mut wakes = Wakes::new();
        let r = {
            let mut s = self.inner.lock();
            if !s.active {
                return Err(Kr::TERMINATED);
            }
            match how {
                Signal::All => {
                    wakes.all(&mut s.waiters);
                    Ok(())
                }
                Signal::Thread(t) => {
                    if wakes.thread(&mut s.waiters, t) {
                        Ok(())
                    } else {
                        Err(Kr::NOT_WAITING)
                    }
                }
                Signal::One | Signal::OnePrepost => {
                    if wakes.one(&mut s.waiters) {
                        Ok(())
                    } else if how == Signal::OnePrepost {
                        // XNU's count is an int that wraps; it is kept at
                        // its maximum here.
                        s.count = s.count.saturating_add(1);
                        Ok(())
                    } else {
                        Err(Kr::NOT_WAITING)
                    }
                }
            }
        };
        wakes.wake_all();
        r
    }

    /// Takes a pending signal, or queues `w` to wait for one. `Ok(true)`:
    /// queued.
    pub(crate) fn wait_begin(&self, w: ListArc<waitq::Waiter>, poll: bool) -> KResult<bool> {
        let mut s = self.inner.lock();
        if !s.active {
            return Err(Kr::TERMINATED);
        }
        if s.count > 0 {
            s.count -= 1;
            return Ok(false);
        }
        if poll {
            return Err(Kr::OPERATION_TIMED_OUT);
        }
        if self.lifo {
            s.waiters.push_front(w);
        } else {
            s.waiters.push_back(w);
        }
        Ok(true)
    }

    /// Gives up a wait that ended without a wake-up: `true` if the waiter
    /// was still queued (so the wait really failed).
    pub(crate) fn wait_cancel(&self, w: &waitq::Waiter) -> bool {
        waitq::cancel(&mut self.inner.lock().waiters, w)
    }
}

impl Task {
    /// `semaphore_destroy_all`: the task's semaphores are destroyed (it
    /// is dying). Their ports stay while send rights to them do.
    pub(crate) fn destroy_semaphores(&self) {
        loop {
            let Some(sem) = self.inner.lock().semaphores.pop_front() else {
                break;
            };
            drop(sem.deactivate());
        }
    }
}
