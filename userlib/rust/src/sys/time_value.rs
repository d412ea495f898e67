//! `<mach/time_value.h>`: a time as seconds and microseconds (task, thread
//! and host information).

use crate::sys::vm_types::integer_t;

#[repr(C)]
#[derive(Copy, Clone, Debug, Default, Hash, PartialOrd, PartialEq, Eq, Ord)]
pub struct time_value {
    pub seconds: integer_t,
    pub microseconds: integer_t,
}
pub type time_value_t = time_value;

/// Microseconds in a second: the range of `microseconds`.
pub const TIME_MICROS_MAX: integer_t = 1_000_000;

/// `time_value_add_usec(val, micros)`: `val += micros` (`micros` below
/// [`TIME_MICROS_MAX`]), carrying into the seconds.
pub fn time_value_add_usec(val: &mut time_value_t, micros: integer_t) {
    val.microseconds += micros;
    if val.microseconds >= TIME_MICROS_MAX {
        val.microseconds -= TIME_MICROS_MAX;
        val.seconds += 1;
    }
}

/// `time_value_add(result, addend)`: `result += addend`, carrying into the
/// seconds.
pub fn time_value_add(result: &mut time_value_t, addend: &time_value_t) {
    result.microseconds += addend.microseconds;
    result.seconds += addend.seconds;
    if result.microseconds >= TIME_MICROS_MAX {
        result.microseconds -= TIME_MICROS_MAX;
        result.seconds += 1;
    }
}
