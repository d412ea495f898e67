//! `<mach_debug/*.h>`.

pub mod ipc_info;
