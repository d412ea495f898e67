//! The host's clocks (`host_get_clock_service`, `clock_get_time`).

use std::time::Duration;

use crate::error::{KernReturn, Result};
use crate::right::SendRight;
use crate::sys;
use crate::sys::clock_types::mach_timespec_t;

/// A clock of the host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    /// `SYSTEM_CLOCK`: the time since boot (the base of
    /// `mach_absolute_time`, `CLOCK_MONOTONIC`).
    System,
    /// `CALENDAR_CLOCK`: the time since the Unix epoch (`CLOCK_REALTIME`).
    Calendar,
}

impl Clock {
    /// The `clock_id_t`.
    pub fn raw(self) -> sys::clock_types::clock_id_t {
        match self {
            Clock::System => sys::clock_types::SYSTEM_CLOCK as i32,
            Clock::Calendar => sys::clock_types::CALENDAR_CLOCK as i32,
        }
    }
}

/// A send right to a clock's service port ([`Host::clock`](crate::Host::clock)).
///
/// ```no_run
/// use machipc::{Clock, Host};
///
/// let host = Host::current()?;
/// let since_boot = host.clock(Clock::System)?.time()?;
/// let now = host.clock(Clock::Calendar)?.time()?; // since 1970
/// println!("up {since_boot:?}, {now:?} since the epoch");
/// # Ok::<(), machipc::KernReturn>(())
/// ```
#[derive(Debug)]
pub struct ClockService {
    port: SendRight,
}

impl ClockService {
    /// The clock a send right names.
    pub fn from_port(port: SendRight) -> ClockService {
        ClockService { port }
    }

    /// The send right to the clock's port.
    pub fn port(&self) -> &SendRight {
        &self.port
    }

    /// The clock's time (`clock_get_time`).
    pub fn time(&self) -> Result<Duration> {
        let mut t = mach_timespec_t::default();
        // SAFETY: a valid out pointer.
        KernReturn::result(unsafe { sys::clock::clock_get_time(self.port.name(), &mut t) })?;
        Ok(Duration::new(u64::from(t.tv_sec), t.tv_nsec.max(0) as u32))
    }

    /// The resolution of [`time`](ClockService::time)
    /// (`clock_get_attributes(CLOCK_GET_TIME_RES)`).
    pub fn resolution(&self) -> Result<Duration> {
        let mut res = 0i32;
        let mut n = 1;
        // SAFETY: room for one integer.
        KernReturn::result(unsafe {
            sys::clock::clock_get_attributes(
                self.port.name(),
                sys::clock_types::CLOCK_GET_TIME_RES as i32,
                &mut res,
                &mut n,
            )
        })?;
        Ok(Duration::from_nanos(res.max(0) as u64))
    }
}
