//! `<mach/boolean.h>` (`mach/i386/boolean.h`).

/// `boolean_t`: `unsigned int` on x86_64 (as on macOS), `int` elsewhere.
#[cfg(target_arch = "x86_64")]
pub type boolean_t = core::ffi::c_uint;

/// `boolean_t`: `unsigned int` on x86_64 (as on macOS), `int` elsewhere.
#[cfg(not(target_arch = "x86_64"))]
pub type boolean_t = core::ffi::c_int;

pub const TRUE: boolean_t = 1;
pub const FALSE: boolean_t = 0;
