//! `<mach/clock_types.h>`: clock identifiers and attributes, and
//! `mach_timespec_t` (`clock_get_time`, `semaphore_timedwait`).

use core::ffi::{c_int, c_long, c_uint, c_ulonglong};

pub type alarm_type_t = c_int;
pub type sleep_type_t = c_int;
pub type clock_id_t = c_int;
pub type clock_flavor_t = c_int;
pub type clock_attr_t = *mut c_int;
pub type clock_res_t = c_int;

/// A time: seconds and nanoseconds.
#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct mach_timespec {
    pub tv_sec: c_uint,
    pub tv_nsec: clock_res_t,
}
pub type mach_timespec_t = mach_timespec;

/// `host_get_clock_service` clocks: time since boot.
pub const SYSTEM_CLOCK: c_uint = 0;
/// Wall-clock time.
pub const CALENDAR_CLOCK: c_uint = 1;
pub const REALTIME_CLOCK: c_uint = 0;

/// `clock_get_attributes` flavors.
pub const CLOCK_GET_TIME_RES: c_uint = 1;
pub const CLOCK_ALARM_CURRES: c_uint = 3;
pub const CLOCK_ALARM_MINRES: c_uint = 4;
pub const CLOCK_ALARM_MAXRES: c_uint = 5;

pub const NSEC_PER_USEC: c_ulonglong = 1000;
pub const USEC_PER_SEC: c_ulonglong = 1_000_000;
pub const NSEC_PER_SEC: c_ulonglong = 1_000_000_000;
pub const NSEC_PER_MSEC: c_ulonglong = 1_000_000;

/// A timespec the kernel refuses (`KERN_INVALID_VALUE`).
pub const fn BAD_MACH_TIMESPEC(t: mach_timespec) -> bool {
    t.tv_nsec < 0 || t.tv_nsec as c_ulonglong >= NSEC_PER_SEC
}

/// `t1 <=> t2`: `NSEC_PER_SEC` if `t1` is later by a second or more,
/// `-NSEC_PER_SEC` if earlier, else `t1 - t2` in nanoseconds. (`c_long`
/// as in C; `mach2` returns an unsigned value.)
pub const fn CMP_MACH_TIMESPEC(t1: &mach_timespec, t2: &mach_timespec) -> c_long {
    if t1.tv_sec > t2.tv_sec {
        NSEC_PER_SEC as c_long
    } else if t1.tv_sec < t2.tv_sec {
        -(NSEC_PER_SEC as c_long)
    } else {
        t1.tv_nsec as c_long - t2.tv_nsec as c_long
    }
}

/// `t1 += t2`.
pub fn ADD_MACH_TIMESPEC(t1: &mut mach_timespec, t2: &mach_timespec) {
    t1.tv_nsec += t2.tv_nsec;
    if t1.tv_nsec as c_ulonglong >= NSEC_PER_SEC {
        t1.tv_nsec -= NSEC_PER_SEC as clock_res_t;
        t1.tv_sec += 1;
    }
    t1.tv_sec += t2.tv_sec;
}

/// `t1 -= t2`.
pub fn SUB_MACH_TIMESPEC(t1: &mut mach_timespec, t2: &mach_timespec) {
    t1.tv_nsec -= t2.tv_nsec;
    if t1.tv_nsec < 0 {
        t1.tv_nsec += NSEC_PER_SEC as clock_res_t;
        t1.tv_sec -= 1;
    }
    t1.tv_sec -= t2.tv_sec;
}

/// Alarm types.
pub const ALRMTYPE: c_uint = 0xff;
pub const TIME_ABSOLUTE: c_uint = 0x00;
pub const TIME_RELATIVE: c_uint = 0x01;

pub const fn BAD_ALRMTYPE(t: c_uint) -> bool {
    t & !TIME_RELATIVE != 0
}
