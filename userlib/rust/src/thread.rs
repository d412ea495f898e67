//! Threads: handles on the kernel's thread objects, named by a send right
//! to their thread port.

use std::mem::{size_of, MaybeUninit};
use std::time::Duration;

use crate::error::{KernReturn, Result};
use crate::right::{Name, SendRight};
use crate::sys;
use crate::sys::port::{MACH_PORT_DEAD, MACH_PORT_NULL};
use crate::sys::time_value::time_value_t;

/// Fills a flavor's structure `T` with a `*_info` call taking
/// `(buffer, &mut count)`: the count asked is the structure's, in
/// `integer_t`s; what the kernel does not fill stays zero.
pub(crate) fn flavor_info<T: Copy>(
    call: impl FnOnce(*mut i32, &mut u32) -> sys::kern_return::kern_return_t,
) -> Result<T> {
    let mut v = MaybeUninit::<T>::zeroed();
    let mut count = (size_of::<T>() / size_of::<i32>()) as u32;
    KernReturn::result(call(v.as_mut_ptr().cast(), &mut count))?;
    // SAFETY: zeroed, then (partly) written by the kernel; every `T` used
    // here is plain integers, valid for any bytes.
    Ok(unsafe { v.assume_init() })
}

/// A `time_value_t` as a `Duration` (negative parts count as zero).
pub(crate) fn duration(t: time_value_t) -> Duration {
    Duration::from_secs(t.seconds.max(0) as u64)
        + Duration::from_micros(t.microseconds.max(0) as u64)
}

/// A send right from a getter, `None` for no port.
pub(crate) fn maybe_right(name: Name) -> Option<SendRight> {
    match name {
        MACH_PORT_NULL | MACH_PORT_DEAD => None,
        // SAFETY: the kernel copied a send right out to us (one uref).
        n => Some(unsafe { SendRight::from_raw(n) }),
    }
}

/// Whether a call that moves a right in its request failed before the
/// request was sent (the kernel took nothing: the right is still ours).
pub(crate) fn not_sent(kr: sys::kern_return::kern_return_t) -> bool {
    use sys::message::{MACH_SEND_INVALID_DATA, MACH_SEND_INVALID_DEST, MACH_SEND_INVALID_HEADER};
    matches!(
        kr,
        MACH_SEND_INVALID_DEST | MACH_SEND_INVALID_HEADER | MACH_SEND_INVALID_DATA
    )
}

/// A thread special port (`thread_get/set_special_port` selectors).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ThreadSpecialPort {
    /// `THREAD_KERNEL_PORT`: the port `mach_thread_self()` returns.
    Kernel,
}

impl ThreadSpecialPort {
    /// The selector value.
    pub fn raw(self) -> i32 {
        match self {
            ThreadSpecialPort::Kernel => sys::thread_special_ports::THREAD_KERNEL_PORT,
        }
    }
}

/// What a thread is doing (`TH_STATE_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunState {
    /// `TH_STATE_RUNNING`: running or runnable.
    Running,
    /// `TH_STATE_STOPPED`.
    Stopped,
    /// `TH_STATE_WAITING`: waiting, interruptibly.
    Waiting,
    /// `TH_STATE_UNINTERRUPTIBLE`: waiting, uninterruptibly.
    Uninterruptible,
    /// `TH_STATE_HALTED`.
    Halted,
    /// Another value.
    Other(i32),
}

impl RunState {
    fn from_raw(v: i32) -> RunState {
        use sys::thread_info::*;
        match v {
            TH_STATE_RUNNING => RunState::Running,
            TH_STATE_STOPPED => RunState::Stopped,
            TH_STATE_WAITING => RunState::Waiting,
            TH_STATE_UNINTERRUPTIBLE => RunState::Uninterruptible,
            TH_STATE_HALTED => RunState::Halted,
            v => RunState::Other(v),
        }
    }
}

/// `THREAD_BASIC_INFO`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThreadBasicInfo {
    /// Time run in user mode.
    pub user_time: Duration,
    /// Time run in the kernel.
    pub system_time: Duration,
    /// CPU usage, scaled by `TH_USAGE_SCALE` (1000 is 100%).
    pub cpu_usage: i32,
    /// The scheduling policy (`POLICY_TIMESHARE` under Linux).
    pub policy: i32,
    /// What it is doing.
    pub run_state: RunState,
    /// `TH_FLAGS_*`.
    pub flags: i32,
    /// The suspend count.
    pub suspend_count: i32,
    /// Seconds asleep.
    pub sleep_time: i32,
}

/// `THREAD_IDENTIFIER_INFO`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThreadIdentifierInfo {
    /// A system-wide unique id: the Linux thread id (`gettid()`), as the
    /// caller's pid namespace sees it.
    pub thread_id: u64,
    /// The pthread handle (`pthread_self()`: the thread's TLS base).
    pub thread_handle: u64,
    /// The libdispatch queue address (0: none).
    pub dispatch_qaddr: u64,
}

/// A thread, named by a send right to its thread port.
///
/// [`Thread::current`] is the calling thread (`mach_thread_self()`);
/// [`Task::threads`](crate::Task::threads) lists a task's threads. The
/// port is a [`SendRight`] like any other: it can be sent to another task,
/// and names the thread to [`Semaphore::signal_thread`](crate::Semaphore::signal_thread).
///
/// ```no_run
/// use machipc::Thread;
///
/// let me = Thread::current()?;
/// let ids = me.identifier_info()?;
/// // SAFETY: a plain system call.
/// assert_eq!(ids.thread_id, unsafe { libc::gettid() } as u64);
/// println!("{:?}", me.basic_info()?.user_time);
/// # Ok::<(), machipc::KernReturn>(())
/// ```
#[derive(Debug)]
pub struct Thread {
    port: SendRight,
}

impl Thread {
    /// The calling thread (`mach_thread_self()`: a send right, one more
    /// user reference each call, released when this is dropped).
    pub fn current() -> Result<Thread> {
        // SAFETY: returns a send right with one more uref for us.
        let n = unsafe { sys::mach_init::mach_thread_self() };
        maybe_right(n)
            .map(|port| Thread { port })
            .ok_or(KernReturn::FAILURE)
    }

    /// The thread a send right to a thread port names.
    pub fn from_port(port: SendRight) -> Thread {
        Thread { port }
    }

    /// The send right to the thread port.
    pub fn port(&self) -> &SendRight {
        &self.port
    }

    /// Gives up the handle for its send right.
    pub fn into_port(self) -> SendRight {
        self.port
    }

    /// The name of the thread port in our space.
    pub fn name(&self) -> Name {
        self.port.name()
    }

    /// `thread_info(THREAD_BASIC_INFO)`: its times and state.
    /// `KERN_TERMINATED` once the thread has exited.
    pub fn basic_info(&self) -> Result<ThreadBasicInfo> {
        let i: sys::thread_info::thread_basic_info = flavor_info(|p, n| {
            // SAFETY: `p` has room for `*n` integers.
            unsafe {
                sys::thread_act::thread_info(self.name(), sys::thread_info::THREAD_BASIC_INFO, p, n)
            }
        })?;
        Ok(ThreadBasicInfo {
            user_time: duration(i.user_time),
            system_time: duration(i.system_time),
            cpu_usage: i.cpu_usage,
            policy: i.policy,
            run_state: RunState::from_raw(i.run_state),
            flags: i.flags,
            suspend_count: i.suspend_count,
            sleep_time: i.sleep_time,
        })
    }

    /// `thread_info(THREAD_IDENTIFIER_INFO)`: its ids.
    pub fn identifier_info(&self) -> Result<ThreadIdentifierInfo> {
        let i: sys::thread_info::thread_identifier_info = flavor_info(|p, n| {
            // SAFETY: `p` has room for `*n` integers.
            unsafe {
                sys::thread_act::thread_info(
                    self.name(),
                    sys::thread_info::THREAD_IDENTIFIER_INFO,
                    p,
                    n,
                )
            }
        })?;
        Ok(ThreadIdentifierInfo {
            thread_id: i.thread_id,
            thread_handle: i.thread_handle,
            dispatch_qaddr: i.dispatch_qaddr,
        })
    }

    /// The special port `which` (`thread_get_special_port`), `None` if
    /// unset.
    pub fn special_port(&self, which: ThreadSpecialPort) -> Result<Option<SendRight>> {
        let mut p = MACH_PORT_NULL;
        // SAFETY: a valid out pointer.
        KernReturn::result(unsafe {
            sys::thread_act::thread_get_special_port(self.name(), which.raw(), &mut p)
        })?;
        Ok(maybe_right(p))
    }

    /// Sets the special port `which` to a copy of `port` (`None`: unsets
    /// it) (`thread_set_special_port`). Setting `THREAD_KERNEL_PORT`
    /// changes what `mach_thread_self()` returns on that thread.
    pub fn set_special_port(
        &self,
        which: ThreadSpecialPort,
        port: Option<&SendRight>,
    ) -> Result<()> {
        // SAFETY: a call on names.
        KernReturn::result(unsafe {
            sys::thread_act::thread_set_special_port(
                self.name(),
                which.raw(),
                port.map_or(MACH_PORT_NULL, |p| p.name()),
            )
        })
    }

    /// Terminates the thread (`thread_terminate`); uses up the send right.
    ///
    /// # Safety
    ///
    /// The thread stops wherever it is, without unwinding: whatever it
    /// holds (locks, memory, borrowed data it was writing) is never
    /// released. Only for a thread known to hold nothing that matters.
    pub unsafe fn terminate(self) -> Result<()> {
        let name = self.port.into_raw();
        // SAFETY: moves our send right (one uref); the caller vouches for
        // the thread.
        let kr = unsafe { sys::thread_act::thread_terminate(name) };
        if not_sent(kr) {
            // SAFETY: the request was not sent: we still hold that uref.
            drop(unsafe { SendRight::from_raw(name) });
        }
        KernReturn::result(kr)
    }
}
