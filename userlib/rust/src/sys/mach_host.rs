//! `<mach/mach_host.h>`: the host interface (the calls libmach implements;
//! `mach2`'s `mach_memory_info_redacted` is not among them).

use crate::sys::clock_types::clock_id_t;
use crate::sys::host_info::{host_flavor_t, host_info64_t, host_info_t};
use crate::sys::kern_return::kern_return_t;
use crate::sys::mach_types::{clock_serv_t, host_t, processor_set_name_t};
use crate::sys::message::mach_msg_type_number_t;
use core::ffi::c_char;

unsafe extern "C" {
    /// Information about the host (`<mach/host_info.h>`).
    pub fn host_info(
        host: host_t,
        flavor: host_flavor_t,
        host_info_out: host_info_t,
        host_info_outCnt: *mut mach_msg_type_number_t,
    ) -> kern_return_t;
    /// The kernel's version string into `kernel_version`, a
    /// `kernel_version_t` (NUL-terminated, at most 512 bytes).
    pub fn host_kernel_version(host: host_t, kernel_version: *mut c_char) -> kern_return_t;
    /// A send right to a clock (`SYSTEM_CLOCK`, `CALENDAR_CLOCK`).
    pub fn host_get_clock_service(
        host: host_t,
        clock_id: clock_id_t,
        clock_serv: *mut clock_serv_t,
    ) -> kern_return_t;
    /// The default processor set's name port.
    pub fn processor_set_default(
        host: host_t,
        default_set: *mut processor_set_name_t,
    ) -> kern_return_t;
    /// `HOST_LOAD_INFO`, `HOST_VM_INFO`, `HOST_CPU_LOAD_INFO`.
    pub fn host_statistics(
        host_priv: host_t,
        flavor: host_flavor_t,
        host_info_out: host_info_t,
        host_info_outCnt: *mut mach_msg_type_number_t,
    ) -> kern_return_t;
    /// `HOST_VM_INFO64`, `HOST_EXTMOD_INFO64` (others as `host_statistics`).
    pub fn host_statistics64(
        host_priv: host_t,
        flavor: host_flavor_t,
        host_info64_out: host_info64_t,
        host_info64_outCnt: *mut mach_msg_type_number_t,
    ) -> kern_return_t;
}
