// SPDX-License-Identifier: GPL-2.0

//! Waiters: a thread blocked in `mach_msg`, waiting for a message on a
//! port or a port set, or for room in a full queue (XNU `waitq.c`, and the
//! `ith_*` fields of a thread).
//!
//! A waiter is queued on the port's (or set's) list under that object's
//! lock, then sleeps on its own lock and condition variable. Whoever
//! satisfies it -- a sender with a message for a receiver, a receiver that
//! made room for a sender, a destroyer -- takes it off the list under the
//! object's lock, stores the outcome in it and wakes it. A receiver handed
//! a message this way (XNU's handoff) neither relocks the port nor
//! dequeues: the sender did that work.
//!
//! Waiters are reused through a small per-space pool, so blocking does not
//! allocate in the steady state.
//!
//! Lock order: a waiter's `state` lock is taken last (after port and set
//! locks) and never held while anything else is locked or allocated.

use kernel::{
    list::{AtomicTracker, List, ListArc, ListLinks, TryNewListArc},
    new_condvar, new_spinlock,
    prelude::*,
    sync::{
        atomic::{ordering::Relaxed, Atomic, AtomicFlag},
        Arc, CondVar, CondVarTimeoutResult, SpinLock,
    },
    time::{msecs_to_jiffies, Jiffies},
};

use crate::kmsg::MsgBox;

/// What happened to a waiter.
pub(crate) enum Outcome {
    /// Still waiting.
    Waiting,
    /// A receiver got a message from the port its receive right has this
    /// name for.
    Msg(MsgBox, u32),
    /// A receiver with `MACH_RCV_LARGE` found the first message too large;
    /// it stays queued.
    TooLarge { size: u32, name: u32 },
    /// The port or set went away or moved (`MACH_RCV_PORT_CHANGED`).
    Changed,
    /// Something changed; look again (a sender: the queue has room).
    Woken,
}

struct WaitState {
    outcome: Outcome,
}

/// A blocked thread. See the module documentation.
#[pin_data]
pub(crate) struct Waiter {
    #[pin]
    links: ListLinks<0>,
    #[pin]
    track: AtomicTracker<0>,
    #[pin]
    state: SpinLock<WaitState>,
    #[pin]
    cond: CondVar,
    /// The waiting thread (an identity, for `semaphore_signal_thread`).
    /// This and the next two fields are set by that thread while the
    /// waiter is on no list ([`WaiterPool::get`]) and read by wakers that
    /// found it on a list, under the lock that published it there: they
    /// need no lock of their own.
    thread: Atomic<usize>,
    /// The most a receiver accepts (message and trailer).
    room: Atomic<u32>,
    /// Whether the receiver asked for `MACH_RCV_LARGE`.
    large: AtomicFlag,
}

kernel::list::impl_list_arc_safe! {
    impl ListArcSafe<0> for Waiter { tracked_by track: AtomicTracker<0>; }
}
kernel::list::impl_list_item! {
    impl ListItem<0> for Waiter { using ListLinks { self.links }; }
}

/// The list of waiters of a port or set.
pub(crate) type WaitList = List<Waiter>;

/// A wait budget in jiffies: `None` waits forever.
#[derive(Clone, Copy)]
pub(crate) struct Budget(Option<Jiffies>);

impl Budget {
    /// A budget of `ms` milliseconds if `enabled`, else unbounded.
    pub(crate) fn new(enabled: bool, ms: u32) -> Budget {
        Budget(enabled.then(|| Self::at_least(ms)))
    }

    /// A budget of `ns` nanoseconds (rounded up to a millisecond).
    pub(crate) fn from_ns(ns: u64) -> Budget {
        let ms = ns.div_ceil(1_000_000).min(u64::from(u32::MAX)) as u32;
        Budget(Some(Self::at_least(ms)))
    }

    /// Jiffies that last at least `ms` (a wait of n jiffies may end up to
    /// one tick early, at the next tick boundary); 0 stays 0 (a poll).
    fn at_least(ms: u32) -> Jiffies {
        match ms {
            0 => 0,
            _ => msecs_to_jiffies(ms).saturating_add(1),
        }
    }

    /// A zero budget.
    pub(crate) fn poll() -> Budget {
        Budget(Some(0))
    }

    /// A zero budget: do not wait.
    pub(crate) fn is_poll(&self) -> bool {
        self.0 == Some(0)
    }
}

/// Why a wait ended without an outcome.
pub(crate) enum Interrupted {
    TimedOut,
    Signal,
}

/// Most waiters a space keeps for reuse.
const POOL_MAX: u32 = 8;

/// A space's pool of idle waiters.
#[pin_data]
pub(crate) struct WaiterPool {
    #[pin]
    idle: SpinLock<(List<Waiter>, u32)>,
}

impl WaiterPool {
    pub(crate) fn new() -> impl PinInit<WaiterPool> {
        pin_init!(WaiterPool {
            idle <- new_spinlock!((List::new(), 0), "WaiterPool::idle"),
        })
    }

    /// A waiter for a receiver that accepts `room` bytes, or a sender.
    pub(crate) fn get(&self, room: u32, large: bool) -> Result<(ListArc<Waiter>, Arc<Waiter>)> {
        let reused = {
            let mut idle = self.idle.lock();
            let w = idle.0.pop_front();
            if w.is_some() {
                idle.1 -= 1;
            }
            w
        };
        let w = match reused {
            Some(w) => w,
            None => ListArc::pin_init(
                try_pin_init!(Waiter {
                    links <- ListLinks::new(),
                    track <- AtomicTracker::new(),
                    state <- new_spinlock!(WaitState {
                        outcome: Outcome::Waiting,
                    }, "Waiter::state"),
                    cond <- new_condvar!("Waiter::cond"),
                    thread: Atomic::new(0),
                    room: Atomic::new(0),
                    large: AtomicFlag::new(false),
                }),
                GFP_KERNEL_ACCOUNT,
            )?,
        };
        w.state.lock().outcome = Outcome::Waiting;
        w.room.store(room, Relaxed);
        w.large.store(large, Relaxed);
        w.thread.store(crate::process::current_thread_id(), Relaxed);
        let handle = w.clone_arc();
        Ok((w, handle))
    }

    /// Returns a waiter that is on no list.
    pub(crate) fn put(&self, w: Arc<Waiter>) {
        let Ok(w) = ListArc::try_from_arc(w) else {
            return;
        };
        let mut idle = self.idle.lock();
        if idle.1 < POOL_MAX {
            idle.0.push_back(w);
            idle.1 += 1;
        }
    }

    /// Frees the pool (the space is dying), after dropping its lock.
    pub(crate) fn drain(&self) {
        let idle = {
            let mut idle = self.idle.lock();
            idle.1 = 0;
            core::mem::take(&mut idle.0)
        };
        drop(idle);
    }
}

impl Waiter {
    /// What a receiver accepts: its buffer size, the trailer it asked for,
    /// and whether it asked for `MACH_RCV_LARGE`.
    fn wants(&self) -> (u32, bool) {
        (self.room.load(Relaxed), self.large.load(Relaxed))
    }

    /// Sleeps until completed, out of budget or signalled. `budget` is
    /// updated with what is left.
    pub(crate) fn sleep(&self, budget: &mut Budget) -> core::result::Result<(), Interrupted> {
        let mut s = self.state.lock();
        loop {
            if !matches!(s.outcome, Outcome::Waiting) {
                return Ok(());
            }
            let jiffies = budget.0.unwrap_or(Jiffies::MAX);
            match self.cond.wait_interruptible_timeout(&mut s, jiffies) {
                CondVarTimeoutResult::Timeout => {
                    if matches!(s.outcome, Outcome::Waiting) {
                        budget.0 = Some(0);
                        return Err(Interrupted::TimedOut);
                    }
                }
                CondVarTimeoutResult::Signal { jiffies } => {
                    if budget.0.is_some() {
                        budget.0 = Some(jiffies);
                    }
                    if matches!(s.outcome, Outcome::Waiting) {
                        return Err(Interrupted::Signal);
                    }
                }
                CondVarTimeoutResult::Woken { jiffies } => {
                    if budget.0.is_some() {
                        budget.0 = Some(jiffies);
                    }
                }
            }
        }
    }

    /// Before a sleep: polls for the outcome for up to `us` microseconds
    /// (the `rcv_spin_us` parameter; 0: not at all), for as long as this
    /// CPU has nothing else to run and no reschedule or signal is due. A
    /// peer running on another CPU can then complete the wait without a
    /// wakeup; a peer that needs this CPU ends the spin at once.
    pub(crate) fn spin(&self, us: u32) {
        // SAFETY: `machipc_spin_may_start` only reads the current task's
        // and CPU's scheduling state; called in process context, no lock
        // held.
        if us == 0 || !unsafe { crate::glue::machipc_spin_may_start() } {
            return;
        }
        // SAFETY: reads a clock; no arguments.
        let deadline = unsafe { crate::glue::machipc_clock_ns() } + u64::from(us) * 1000;
        // SAFETY: `machipc_spin_step` only reads the current task's and
        // CPU's scheduling state; called in process context, no lock held.
        while self.is_waiting() && unsafe { crate::glue::machipc_spin_step(deadline) } {}
    }

    /// Takes the outcome (leaving `Waiting`).
    pub(crate) fn take_outcome(&self) -> Outcome {
        core::mem::replace(&mut self.state.lock().outcome, Outcome::Waiting)
    }

    fn is_waiting(&self) -> bool {
        matches!(self.state.lock().outcome, Outcome::Waiting)
    }
}

/// Takes a waiter that gave up (timed out, signalled) off `list`, whose
/// lock the caller holds. A waiter is completed only under its list's
/// lock, so if it is still waiting it is still on `list`; if it was
/// completed meanwhile, it is left alone (its outcome stands). Returns
/// whether it was taken off.
pub(crate) fn cancel(list: &mut WaitList, w: &Waiter) -> bool {
    if !w.is_waiting() {
        return false;
    }
    // SAFETY: a waiter is only ever on the list of the one port or set it
    // waits on (or, once completed, on a `Wakes` list); it is still waiting,
    // so it is on `list` (see above).
    unsafe { list.remove(w) }.is_some()
}

/// The first waiter of `list` that accepts a message of `size` bytes from
/// the port named `name`. Receivers with `MACH_RCV_LARGE` whose buffer is
/// too small are completed with `TooLarge` on the way (XNU's
/// `ipc_mqueue_post` does the same). The caller holds the list's lock and
/// completes the waiter with [`Wakes::push`] under it.
pub(crate) fn take_acceptor(
    list: &mut WaitList,
    size: u32,
    name: u32,
    wakes: &mut Wakes,
) -> Option<ListArc<Waiter>> {
    while let Some(w) = list.pop_front() {
        let (room, large) = w.wants();
        if size > room && large {
            wakes.push(w, Outcome::TooLarge { size, name });
            continue;
        }
        return Some(w);
    }
    None
}

/// Threads to wake once the waker's locks are dropped: completed waiters.
pub(crate) struct Wakes(WaitList);

impl Wakes {
    pub(crate) const fn new() -> Wakes {
        Wakes(List::new())
    }

    /// Completes `w` with `outcome`; the caller holds the lock of the list
    /// `w` was taken from.
    pub(crate) fn push(&mut self, w: ListArc<Waiter>, outcome: Outcome) {
        w.state.lock().outcome = outcome;
        self.0.push_back(w);
    }

    /// Completes every waiter of `list` with `Changed` (the port or set
    /// went away).
    pub(crate) fn changed(&mut self, list: &mut WaitList) {
        while let Some(w) = list.pop_front() {
            self.push(w, Outcome::Changed);
        }
    }

    /// Completes the first waiter of `list` with `Woken` (a sender: there
    /// is room now); whether there was one.
    pub(crate) fn one(&mut self, list: &mut WaitList) -> bool {
        match list.pop_front() {
            Some(w) => {
                self.push(w, Outcome::Woken);
                true
            }
            None => false,
        }
    }

    /// Completes every waiter of `list` with `Woken`.
    pub(crate) fn all(&mut self, list: &mut WaitList) {
        while self.one(list) {}
    }

    /// Completes with `Woken` the waiter of `list` that thread `thread`
    /// (a [`crate::process::current_thread_id`]) is; whether there was one.
    pub(crate) fn thread(&mut self, list: &mut WaitList, thread: usize) -> bool {
        let mut cursor = list.cursor_front();
        while let Some(peek) = cursor.peek_next() {
            if peek.thread.load(Relaxed) == thread {
                let w = peek.remove();
                self.push(w, Outcome::Woken);
                return true;
            }
            cursor.move_next();
        }
        false
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Wakes them all (with the scheduler hint that the waker is about to
    /// block, as pipes and Binder do). Called with no lock held.
    pub(crate) fn wake_all(mut self) {
        while let Some(w) = self.0.pop_front() {
            // The list's reference goes first, so the waiter can return to
            // its pool.
            let w = w.into_arc();
            w.cond.notify_sync();
        }
    }
}

impl Drop for Wakes {
    fn drop(&mut self) {
        // Never lose a wake-up.
        while let Some(w) = self.0.pop_front() {
            w.into_arc().cond.notify_one();
        }
    }
}
