//! `<mach/clock.h>`: the clock interface, on the clock service ports of
//! `host_get_clock_service` (the calls libmach implements).

use crate::sys::clock_types::{clock_attr_t, clock_flavor_t, mach_timespec_t};
use crate::sys::kern_return::kern_return_t;
use crate::sys::mach_types::clock_serv_t;
use crate::sys::message::mach_msg_type_number_t;

unsafe extern "C" {
    /// The clock's time: since boot (`SYSTEM_CLOCK`) or wall-clock time
    /// (`CALENDAR_CLOCK`).
    pub fn clock_get_time(
        clock_serv: clock_serv_t,
        cur_time: *mut mach_timespec_t,
    ) -> kern_return_t;
    /// An attribute of the clock (`CLOCK_GET_TIME_RES`, `CLOCK_ALARM_*`).
    pub fn clock_get_attributes(
        clock_serv: clock_serv_t,
        flavor: clock_flavor_t,
        clock_attr: clock_attr_t,
        clock_attrCnt: *mut mach_msg_type_number_t,
    ) -> kern_return_t;
}
