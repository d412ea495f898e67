//! `<mach/thread_status.h>` and `<mach/machine/thread_status.h>`: thread
//! state types and the x86 flavors (exception ports are registered with a
//! flavor; machipc has no calls that get or set thread state).

use crate::sys::vm_types::natural_t;
use core::ffi::c_int;

pub const THREAD_STATE_MAX: c_int = 614;
pub const THREAD_MACHINE_STATE_MAX: c_int = THREAD_STATE_MAX;

pub type thread_state_t = *mut natural_t;
pub type thread_state_data_t = [natural_t; THREAD_STATE_MAX as usize];

pub const THREAD_STATE_FLAVOR_LIST: thread_state_flavor_t = 0;
pub const THREAD_STATE_FLAVOR_LIST_NEW: thread_state_flavor_t = 128;
pub const THREAD_STATE_FLAVOR_LIST_10_9: thread_state_flavor_t = 129;

pub type thread_state_flavor_t = c_int;
pub type thread_state_flavor_array_t = *mut thread_state_flavor_t;

// `mach2` declares the flavors as statics; constants read the same and
// also go in patterns.
pub const x86_THREAD_STATE32: thread_state_flavor_t = 1;
pub const x86_FLOAT_STATE32: thread_state_flavor_t = 2;
pub const x86_EXCEPTION_STATE32: thread_state_flavor_t = 3;
pub const x86_THREAD_STATE64: thread_state_flavor_t = 4;
pub const x86_FLOAT_STATE64: thread_state_flavor_t = 5;
pub const x86_EXCEPTION_STATE64: thread_state_flavor_t = 6;
pub const x86_THREAD_STATE: thread_state_flavor_t = 7;
pub const x86_FLOAT_STATE: thread_state_flavor_t = 8;
pub const x86_EXCEPTION_STATE: thread_state_flavor_t = 9;
pub const x86_DEBUG_STATE32: thread_state_flavor_t = 10;
pub const x86_DEBUG_STATE64: thread_state_flavor_t = 11;
pub const x86_DEBUG_STATE: thread_state_flavor_t = 12;
pub const THREAD_STATE_NONE: thread_state_flavor_t = 13;
pub const x86_AVX_STATE32: thread_state_flavor_t = 16;
pub const x86_AVX_STATE64: thread_state_flavor_t = 17;
pub const x86_AVX_STATE: thread_state_flavor_t = 18;

/// A flavor the exception-port calls accept.
pub const fn VALID_THREAD_STATE_FLAVOR(x: thread_state_flavor_t) -> bool {
    matches!(
        x,
        x86_THREAD_STATE32
            | x86_FLOAT_STATE32
            | x86_EXCEPTION_STATE32
            | x86_DEBUG_STATE32
            | x86_THREAD_STATE64
            | x86_FLOAT_STATE64
            | x86_EXCEPTION_STATE64
            | x86_DEBUG_STATE64
            | x86_THREAD_STATE
            | x86_FLOAT_STATE
            | x86_EXCEPTION_STATE
            | x86_DEBUG_STATE
            | x86_AVX_STATE32
            | x86_AVX_STATE64
            | x86_AVX_STATE
            | THREAD_STATE_NONE
    )
}
