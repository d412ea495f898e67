// SPDX-License-Identifier: GPL-2.0

//! The semaphore traps (XNU `sync_sema.c` `semaphore_*_trap`) and the
//! translation of a semaphore name (`ipc_sync.c` `port_name_to_semaphore`).
//! The semaphores themselves are in `semaphore.rs`.

use kernel::sync::Arc;

use crate::{
    ipc_kobject::KObject,
    mach::*,
    semaphore::{Semaphore, Signal},
    task::Task,
    waitq::{Budget, Interrupted, Outcome, WaiterPool},
};

/// The result of a wait that was woken.
fn woken(outcome: Outcome) -> KResult {
    match outcome {
        Outcome::Changed => Err(Kr::TERMINATED),
        _ => Ok(()),
    }
}

/// `semaphore_wait_internal`: waits on `wait` (for `budget`, `None`
/// forever), signalling `signal` once the wait is set up.
fn wait_internal(
    wait: &Arc<Semaphore>,
    signal: Option<&Arc<Semaphore>>,
    budget: Option<Budget>,
    pool: &WaiterPool,
) -> KResult {
    let (w, handle) = pool.get(0, false).map_err(|_| Kr::RESOURCE_SHORTAGE)?;
    let poll = budget.is_some_and(|b| b.is_poll());
    let queued = wait.wait_begin(w, poll);
    let mut kr = queued.map(|_| ());
    if let Some(sig) = signal {
        if sig.signal(Signal::OnePrepost) == Err(Kr::TERMINATED) {
            // The semaphore we were to signal died: get out of the wait
            // (someone may be waiting for that signal to post ours).
            if queued == Ok(true) {
                kr = if wait.wait_cancel(&handle) {
                    Err(Kr::TERMINATED)
                } else {
                    woken(handle.take_outcome())
                };
                pool.put(handle);
                return kr;
            }
        }
    }
    if queued != Ok(true) {
        pool.put(handle);
        return kr;
    }
    let mut budget = budget.unwrap_or(Budget::new(false, 0));
    let slept = handle.sleep(&mut budget);
    let r = match slept {
        Ok(()) => woken(handle.take_outcome()),
        Err(why) => {
            if wait.wait_cancel(&handle) {
                Err(match why {
                    Interrupted::TimedOut => Kr::OPERATION_TIMED_OUT,
                    Interrupted::Signal => Kr::ABORTED,
                })
            } else {
                woken(handle.take_outcome())
            }
        }
    };
    pool.put(handle);
    r
}

/// `port_name_to_semaphore`: the semaphore a send right of `task` names.
fn from_name(task: &Task, name: u32) -> KResult<Arc<Semaphore>> {
    if !name_valid(name) {
        return Err(Kr::INVALID_NAME);
    }
    let port = {
        let mut sp = task.space.inner.lock();
        let e = sp.lookup(name)?;
        if e.ty & TYPE_SEND == 0 {
            return Err(Kr::INVALID_RIGHT);
        }
        e.port().cloned().ok_or(Kr::INVALID_RIGHT)?
    };
    let pi = port.inner.lock();
    match &pi.kobject {
        KObject::Semaphore(s) => Ok(s.clone()),
        _ => Err(Kr::INVALID_CAPABILITY),
    }
}

/// A timed wait's budget: `KERN_INVALID_VALUE` for a bad timespec.
fn timed(sec: u32, nsec: i32) -> KResult<Budget> {
    if !(0..1_000_000_000).contains(&nsec) {
        return Err(Kr::INVALID_VALUE);
    }
    let ns = u64::from(sec) * 1_000_000_000 + nsec as u64;
    Ok(if ns == 0 {
        Budget::poll()
    } else {
        Budget::from_ns(ns)
    })
}

/// `semaphore_signal_trap`.
pub(crate) fn signal_trap(task: &Task, name: u32) -> KResult {
    let s = from_name(task, name)?;
    match s.signal(Signal::OnePrepost) {
        Err(Kr::NOT_WAITING) => Ok(()),
        r => r,
    }
}

/// `semaphore_signal_all_trap`.
pub(crate) fn signal_all_trap(task: &Task, name: u32) -> KResult {
    let s = from_name(task, name)?;
    s.signal(Signal::All)
}

/// `semaphore_signal_thread_trap`: the thread name is checked first.
pub(crate) fn signal_thread_trap(task: &Arc<Task>, name: u32, thread: u32) -> KResult {
    let how = if thread == MACH_PORT_NULL {
        Signal::One
    } else {
        let t = crate::convert::thread(task, thread).map_err(|_| Kr::INVALID_ARGUMENT)?;
        Signal::Thread(t.id())
    };
    let s = from_name(task, name)?;
    s.signal(how)
}

/// `semaphore_wait_trap`, `semaphore_timedwait_trap`,
/// `semaphore_wait_signal_trap`, `semaphore_timedwait_signal_trap`: a
/// timeout of `Some((sec, nsec))` bounds the wait; the signal semaphore is
/// translated before the wait one.
pub(crate) fn wait_trap(
    task: &Task,
    wait: u32,
    signal: Option<u32>,
    timeout: Option<(u32, i32)>,
) -> KResult {
    let budget = match timeout {
        Some((sec, nsec)) => Some(timed(sec, nsec)?),
        None => None,
    };
    let signal = match signal {
        Some(n) => Some(from_name(task, n)?),
        None => None,
    };
    let wait = from_name(task, wait)?;
    wait_internal(&wait, signal.as_ref(), budget, &task.space.waiters)
}
