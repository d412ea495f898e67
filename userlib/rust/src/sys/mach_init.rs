//! `<mach/mach_init.h>`: the Mach environment of a task.

use crate::sys::mach_types::host_t;
use core::ffi::c_int;

unsafe extern "C" {
    /// A send right to the host port (one more user reference each call).
    pub fn mach_host_self() -> host_t;
}

pub const NAME_SERVER_SLOT: c_int = 0;
pub const ENVIRONMENT_SLOT: c_int = 1;
pub const SERVICE_SLOT: c_int = 2;
pub const MACH_PORTS_SLOTS_USED: c_int = 3;
