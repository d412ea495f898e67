//! `<mach/mach_error.h>`: printable descriptions of Mach error codes (not a
//! module of `mach2`, which leaves these out).

use crate::sys::error::mach_error_t;
use core::ffi::c_char;

unsafe extern "C" {
    /// A static string describing `error_value` (never NULL).
    pub fn mach_error_string(error_value: mach_error_t) -> *mut c_char;
    /// Prints `str` and the description of `error_value` to stderr.
    pub fn mach_error(str: *const c_char, error_value: mach_error_t);
    /// A static string naming the error's system and subsystem.
    pub fn mach_error_type(error_value: mach_error_t) -> *mut c_char;
}
