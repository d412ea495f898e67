//! `<mach/mach_param.h>`: kernel parameters user code can see (not a
//! module of `mach2`).

use core::ffi::c_int;

/// The slots of `mach_ports_register` / `mach_ports_lookup`.
pub const TASK_PORT_REGISTER_MAX: c_int = 3;
