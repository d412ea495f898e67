//! `<mach/thread_status.h>`: thread state, as exception messages carry it
//! (machipc has no thread control calls; the `x86_*` flavors of `mach2`
//! are not in libmach's header).

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
