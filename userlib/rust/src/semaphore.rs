//! Mach semaphores: counting semaphores named by ports, which can be
//! passed to other tasks in messages like any send right.

use std::time::Duration;

use crate::error::{KernReturn, Result};
use crate::right::{Name, SendRight};
use crate::sys;
use crate::sys::clock_types::mach_timespec_t;
use crate::sys::mach_types::THREAD_NULL;
use crate::sys::port::MACH_PORT_NULL;
use crate::task::Task;
use crate::thread::{not_sent, Thread};

/// The order in which a semaphore wakes its waiters (`sync_policy_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SyncPolicy(i32);

impl SyncPolicy {
    /// `SYNC_POLICY_FIFO`: the longest waiter first.
    pub const FIFO: SyncPolicy = SyncPolicy(sys::sync_policy::SYNC_POLICY_FIFO);
    /// `SYNC_POLICY_LIFO`: the latest waiter first.
    pub const LIFO: SyncPolicy = SyncPolicy(sys::sync_policy::SYNC_POLICY_LIFO);

    /// Any `sync_policy_t` value, for `semaphore_create` to judge
    /// (`SYNC_POLICY_FIXED_PRIORITY` and values above `SYNC_POLICY_MAX`
    /// are `KERN_INVALID_ARGUMENT`).
    pub const fn from_raw(policy: i32) -> SyncPolicy {
        SyncPolicy(policy)
    }

    /// The `sync_policy_t` value.
    pub const fn raw(self) -> i32 {
        self.0
    }
}

/// A Mach semaphore, held by a send right to its port.
///
/// [`Semaphore::new`] makes one on a task (usually [`Task::current`]);
/// its port can travel in a message (`OutPort::CopySend(sem.port())`), and
/// the receiver wraps the send right it gets with
/// [`Semaphore::from_port`]: both tasks then signal and wait on the same
/// semaphore.
///
/// Dropping a `Semaphore` releases its send right; the kernel frees the
/// semaphore when the last send right to it is gone. [`Semaphore::destroy`]
/// ends it at once for every holder: its waiters wake with
/// `KERN_TERMINATED`, as does every later call.
///
/// Errors are [`KernReturn`]s: `TERMINATED` (destroyed),
/// `OPERATION_TIMED_OUT` (a timed wait expired), `ABORTED` (a signal
/// interrupted a wait; it is not retried), `NOT_WAITING`
/// ([`signal_thread`](Semaphore::signal_thread) found no such waiter).
///
/// ```no_run
/// use std::time::Duration;
/// use machipc::{KernReturn, Semaphore, SyncPolicy, Task};
///
/// let sem = Semaphore::new(&Task::current(), SyncPolicy::FIFO, 1)?;
/// sem.wait(None)?; // takes the one count
/// assert_eq!(sem.wait(Some(Duration::from_millis(10))), Err(KernReturn::OPERATION_TIMED_OUT));
/// sem.signal()?;
/// sem.wait(Some(Duration::ZERO))?; // a poll
/// sem.destroy(&Task::current())?;
/// # Ok::<(), machipc::KernReturn>(())
/// ```
#[derive(Debug)]
pub struct Semaphore {
    port: SendRight,
}

/// A timed wait's `mach_timespec_t` (longer than `u32::MAX` seconds is
/// `u32::MAX` seconds and a bit: 136 years).
fn timespec(d: Duration) -> mach_timespec_t {
    match u32::try_from(d.as_secs()) {
        Ok(sec) => mach_timespec_t {
            tv_sec: sec,
            tv_nsec: d.subsec_nanos() as i32,
        },
        Err(_) => mach_timespec_t {
            tv_sec: u32::MAX,
            tv_nsec: 999_999_999,
        },
    }
}

impl Semaphore {
    /// A new semaphore with `value` counts, owned by `task`
    /// (`semaphore_create`). A negative `value` or a refused policy is
    /// `KERN_INVALID_ARGUMENT`.
    pub fn new(task: &Task, policy: SyncPolicy, value: i32) -> Result<Semaphore> {
        let mut name = MACH_PORT_NULL;
        // SAFETY: a valid out pointer.
        KernReturn::result(unsafe {
            sys::semaphore::semaphore_create(task.name(), &mut name, policy.raw(), value)
        })?;
        // SAFETY: the reply carried a send right to the semaphore's port.
        Ok(Semaphore {
            port: unsafe { SendRight::from_raw(name) },
        })
    }

    /// The semaphore a send right names (one received in a message). The
    /// calls check that it is one: any other right gives an error.
    pub fn from_port(port: SendRight) -> Semaphore {
        Semaphore { port }
    }

    /// The send right to the semaphore's port (to send it:
    /// `OutPort::CopySend(sem.port())`).
    pub fn port(&self) -> &SendRight {
        &self.port
    }

    /// Gives up the semaphore for its send right.
    pub fn into_port(self) -> SendRight {
        self.port
    }

    /// The name of the send right in our space.
    pub fn name(&self) -> Name {
        self.port.name()
    }

    /// Wakes one waiter, or keeps the signal for the next wait if none
    /// waits (`semaphore_signal`).
    pub fn signal(&self) -> Result<()> {
        // SAFETY: a call on a name.
        KernReturn::result(unsafe { sys::semaphore::semaphore_signal(self.name()) })
    }

    /// Wakes every waiter; with none, keeps nothing
    /// (`semaphore_signal_all`).
    pub fn signal_all(&self) -> Result<()> {
        // SAFETY: a call on a name.
        KernReturn::result(unsafe { sys::semaphore::semaphore_signal_all(self.name()) })
    }

    /// Wakes `thread` if it waits on the semaphore, or (`None`) any one
    /// waiter; never keeps the signal: `KERN_NOT_WAITING` if there is no
    /// such waiter (`semaphore_signal_thread`).
    pub fn signal_thread(&self, thread: Option<&Thread>) -> Result<()> {
        let t = thread.map_or(THREAD_NULL, |t| t.name());
        // SAFETY: a call on names.
        KernReturn::result(unsafe { sys::semaphore::semaphore_signal_thread(self.name(), t) })
    }

    /// Takes a count, waiting for one for at most `timeout` (`None`: as
    /// long as it takes; `Some(Duration::ZERO)`: only if one is there)
    /// (`semaphore_wait`, `semaphore_timedwait`).
    pub fn wait(&self, timeout: Option<Duration>) -> Result<()> {
        // SAFETY: calls on a name.
        KernReturn::result(unsafe {
            match timeout {
                None => sys::semaphore::semaphore_wait(self.name()),
                Some(d) => sys::semaphore::semaphore_timedwait(self.name(), timespec(d)),
            }
        })
    }

    /// Signals `signal` and waits on this semaphore, as one step: no
    /// signal of this semaphore can come in between and be missed
    /// (`semaphore_wait_signal`, `semaphore_timedwait_signal`).
    pub fn wait_signal(&self, signal: &Semaphore, timeout: Option<Duration>) -> Result<()> {
        // SAFETY: calls on names.
        KernReturn::result(unsafe {
            match timeout {
                None => sys::semaphore::semaphore_wait_signal(self.name(), signal.name()),
                Some(d) => sys::semaphore::semaphore_timedwait_signal(
                    self.name(),
                    signal.name(),
                    timespec(d),
                ),
            }
        })
    }

    /// Destroys the semaphore (`semaphore_destroy`): its waiters wake
    /// with `KERN_TERMINATED`, and every holder's later calls get it too.
    /// `owner` must be the task it was made on (`KERN_INVALID_ARGUMENT`
    /// otherwise). The send right is used up either way.
    pub fn destroy(self, owner: &Task) -> Result<()> {
        let name = self.port.into_raw();
        // SAFETY: moves our send right (one uref) into the request.
        let kr = unsafe { sys::semaphore::semaphore_destroy(owner.name(), name) };
        if not_sent(kr) {
            // SAFETY: the request was not sent: we still hold that uref.
            drop(unsafe { SendRight::from_raw(name) });
        }
        KernReturn::result(kr)
    }
}
