//! `<mach/host_priv.h>`: the privileged host interface (the calls libmach
//! implements; not a module of `mach2`).

use crate::sys::kern_return::kern_return_t;
use crate::sys::mach_types::host_priv_t;
use crate::sys::port::mach_port_t;
use core::ffi::c_int;

unsafe extern "C" {
    pub fn host_get_special_port(
        host_priv: host_priv_t,
        node: c_int,
        which: c_int,
        port: *mut mach_port_t,
    ) -> kern_return_t;
    pub fn host_set_special_port(
        host_priv: host_priv_t,
        which: c_int,
        port: mach_port_t,
    ) -> kern_return_t;
}
