//! Pollable ports and port sets: a file descriptor that `poll`/`epoll`
//! report readable while a message is queued (`mach_port_get_fd`).

use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::sync::OnceLock;
use std::time::Duration;

use crate::error::{KernReturn, Result};
use crate::right::{task_self, Name, PortSet, ReceiveRight};
use crate::sys;
use crate::timeout::Deadline;

/// A descriptor that polls readable (`POLLIN`) while a message is queued
/// on its port (or on a member of its set) and hangs up (`POLLHUP`) once
/// the port or set is gone from our space. It receives nothing and grants
/// nothing: receive with [`ReceiveRight::try_recv`] / [`PortSet::try_recv`]
/// after it polls readable (another receiver may have been first). Closed
/// on drop, which does nothing to the port.
#[derive(Debug)]
pub struct PortFd {
    fd: OwnedFd,
}

/// What [`PortFd::wait`] saw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Readiness {
    /// A message is queued.
    Readable,
    /// The port or set is gone.
    Hangup,
    /// Nothing within the timeout.
    TimedOut,
}

impl PortFd {
    /// `mach_port_get_fd` for a receive right or port set of ours.
    /// `KERN_NOT_SUPPORTED` (or, from older modules, `KERN_INVALID_ARGUMENT`)
    /// when the kernel module has no pollable ports; see [`supported`].
    pub fn new(name: Name) -> Result<PortFd> {
        let mut fd = -1;
        // SAFETY: a valid out pointer.
        KernReturn::result(unsafe { sys::machipc::mach_port_get_fd(task_self(), name, &mut fd) })?;
        // SAFETY: the call returned a new descriptor, ours to own.
        Ok(PortFd {
            fd: unsafe { OwnedFd::from_raw_fd(fd) },
        })
    }

    /// Waits for readiness with `poll`, at most `timeout`.
    pub fn wait(&self, timeout: Option<Duration>) -> io::Result<Readiness> {
        let deadline = Deadline::new(timeout);
        loop {
            let ms = match deadline.next_ms() {
                None => -1,
                Some(ms) => i32::try_from(ms).unwrap_or(i32::MAX),
            };
            let mut p = libc::pollfd {
                fd: self.fd.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd.
            let n = unsafe { libc::poll(&mut p, 1, ms) };
            if n < 0 {
                let e = io::Error::last_os_error();
                if e.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(e);
            }
            if n == 0 {
                if deadline.more() {
                    continue;
                }
                return Ok(Readiness::TimedOut);
            }
            if p.revents & libc::POLLIN != 0 {
                return Ok(Readiness::Readable);
            }
            if p.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
                return Ok(Readiness::Hangup);
            }
        }
    }
}

impl AsRawFd for PortFd {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

impl AsFd for PortFd {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl From<PortFd> for OwnedFd {
    fn from(p: PortFd) -> OwnedFd {
        p.fd
    }
}

impl ReceiveRight {
    /// A pollable descriptor for this port ([`PortFd`]).
    pub fn fd(&self) -> Result<PortFd> {
        PortFd::new(self.name())
    }
}

impl PortSet {
    /// A pollable descriptor for this set ([`PortFd`]).
    pub fn fd(&self) -> Result<PortFd> {
        PortFd::new(self.name())
    }
}

/// Whether the kernel module has pollable ports: `mach_port_get_fd` on a
/// fresh port works. Probed once per process; `false` when it answers
/// `KERN_NOT_SUPPORTED` or `KERN_INVALID_ARGUMENT` (a module that predates
/// the call), or when `/dev/mach` is not there.
pub fn supported() -> bool {
    static PROBE: OnceLock<bool> = OnceLock::new();
    *PROBE.get_or_init(|| match ReceiveRight::new() {
        Ok(p) => p.fd().is_ok(),
        Err(_) => false,
    })
}

/// Why [`supported`] is false, for messages: the code the probe got.
pub fn unsupported_reason() -> Option<KernReturn> {
    match ReceiveRight::new() {
        Ok(p) => p.fd().err(),
        Err(e) => Some(e),
    }
}
