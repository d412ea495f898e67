//! `<mach/host_special_ports.h>`: selectors of `host_get/set_special_port`
//! and their shorthands (not a module of `mach2`).

use crate::sys::host_priv::{host_get_special_port, host_set_special_port};
use crate::sys::kern_return::{kern_return_t, KERN_INVALID_ARGUMENT};
use crate::sys::mach_types::host_priv_t;
use crate::sys::port::mach_port_t;
use core::ffi::c_int;

pub const HOST_SECURITY_PORT: c_int = 0;
pub const HOST_MIN_SPECIAL_PORT: c_int = HOST_SECURITY_PORT;
pub const HOST_PORT: c_int = 1;
pub const HOST_PRIV_PORT: c_int = 2;
pub const HOST_IO_MAIN_PORT: c_int = 3;
pub const HOST_IO_MASTER_PORT: c_int = HOST_IO_MAIN_PORT;
pub const HOST_MAX_SPECIAL_KERNEL_PORT: c_int = 7;
pub const HOST_LAST_SPECIAL_KERNEL_PORT: c_int = HOST_IO_MAIN_PORT;
pub const HOST_DYNAMIC_PAGER_PORT: c_int = 1 + HOST_MAX_SPECIAL_KERNEL_PORT;
pub const HOST_AUDIT_CONTROL_PORT: c_int = 2 + HOST_MAX_SPECIAL_KERNEL_PORT;
pub const HOST_USER_NOTIFICATION_PORT: c_int = 3 + HOST_MAX_SPECIAL_KERNEL_PORT;
pub const HOST_AUTOMOUNTD_PORT: c_int = 4 + HOST_MAX_SPECIAL_KERNEL_PORT;
pub const HOST_LOCKD_PORT: c_int = 5 + HOST_MAX_SPECIAL_KERNEL_PORT;
pub const HOST_KTRACE_BACKGROUND_PORT: c_int = 6 + HOST_MAX_SPECIAL_KERNEL_PORT;
pub const HOST_SEATBELT_PORT: c_int = 7 + HOST_MAX_SPECIAL_KERNEL_PORT;
pub const HOST_KEXTD_PORT: c_int = 8 + HOST_MAX_SPECIAL_KERNEL_PORT;
pub const HOST_LAUNCHCTL_PORT: c_int = 9 + HOST_MAX_SPECIAL_KERNEL_PORT;
pub const HOST_UNFREED_PORT: c_int = 10 + HOST_MAX_SPECIAL_KERNEL_PORT;
pub const HOST_AMFID_PORT: c_int = 11 + HOST_MAX_SPECIAL_KERNEL_PORT;
pub const HOST_GSSD_PORT: c_int = 12 + HOST_MAX_SPECIAL_KERNEL_PORT;
pub const HOST_TELEMETRY_PORT: c_int = 13 + HOST_MAX_SPECIAL_KERNEL_PORT;
pub const HOST_ATM_NOTIFICATION_PORT: c_int = 14 + HOST_MAX_SPECIAL_KERNEL_PORT;
pub const HOST_COALITION_PORT: c_int = 15 + HOST_MAX_SPECIAL_KERNEL_PORT;
pub const HOST_SYSDIAGNOSE_PORT: c_int = 16 + HOST_MAX_SPECIAL_KERNEL_PORT;
pub const HOST_XPC_EXCEPTION_PORT: c_int = 17 + HOST_MAX_SPECIAL_KERNEL_PORT;
pub const HOST_CONTAINERD_PORT: c_int = 18 + HOST_MAX_SPECIAL_KERNEL_PORT;
pub const HOST_NODE_PORT: c_int = 19 + HOST_MAX_SPECIAL_KERNEL_PORT;
pub const HOST_RESOURCE_NOTIFY_PORT: c_int = 20 + HOST_MAX_SPECIAL_KERNEL_PORT;
pub const HOST_CLOSURED_PORT: c_int = 21 + HOST_MAX_SPECIAL_KERNEL_PORT;
pub const HOST_SYSPOLICYD_PORT: c_int = 22 + HOST_MAX_SPECIAL_KERNEL_PORT;
pub const HOST_FILECOORDINATIOND_PORT: c_int = 23 + HOST_MAX_SPECIAL_KERNEL_PORT;
pub const HOST_FAIRPLAYD_PORT: c_int = 24 + HOST_MAX_SPECIAL_KERNEL_PORT;
pub const HOST_IOCOMPRESSIONSTATS_PORT: c_int = 25 + HOST_MAX_SPECIAL_KERNEL_PORT;
pub const HOST_MEMORY_ERROR_PORT: c_int = 26 + HOST_MAX_SPECIAL_KERNEL_PORT;
pub const HOST_MANAGEDAPPDISTD_PORT: c_int = 27 + HOST_MAX_SPECIAL_KERNEL_PORT;
pub const HOST_MAX_SPECIAL_PORT: c_int = HOST_MANAGEDAPPDISTD_PORT;
pub const HOST_CHUD_PORT: c_int = HOST_LAUNCHCTL_PORT;
pub const HOST_LOCAL_NODE: c_int = -1;

#[inline]
pub unsafe fn host_get_host_port(host: host_priv_t, port: *mut mach_port_t) -> kern_return_t {
    unsafe { host_get_special_port(host, HOST_LOCAL_NODE, HOST_PORT, port) }
}

/// Not settable: always `KERN_INVALID_ARGUMENT`, as in C.
#[inline]
pub unsafe fn host_set_host_port(host: host_priv_t, port: mach_port_t) -> kern_return_t {
    let _ = (host, port);
    KERN_INVALID_ARGUMENT
}

#[inline]
pub unsafe fn host_get_host_priv_port(host: host_priv_t, port: *mut mach_port_t) -> kern_return_t {
    unsafe { host_get_special_port(host, HOST_LOCAL_NODE, HOST_PRIV_PORT, port) }
}

/// Not settable: always `KERN_INVALID_ARGUMENT`, as in C.
#[inline]
pub unsafe fn host_set_host_priv_port(host: host_priv_t, port: mach_port_t) -> kern_return_t {
    let _ = (host, port);
    KERN_INVALID_ARGUMENT
}

#[inline]
pub unsafe fn host_get_io_main_port(host: host_priv_t, port: *mut mach_port_t) -> kern_return_t {
    unsafe { host_get_special_port(host, HOST_LOCAL_NODE, HOST_IO_MAIN_PORT, port) }
}

/// Not settable: always `KERN_INVALID_ARGUMENT`, as in C.
#[inline]
pub unsafe fn host_set_io_main_port(host: host_priv_t, port: mach_port_t) -> kern_return_t {
    let _ = (host, port);
    KERN_INVALID_ARGUMENT
}

#[inline]
pub unsafe fn host_get_io_master_port(host: host_priv_t, port: *mut mach_port_t) -> kern_return_t {
    unsafe { host_get_io_main_port(host, port) }
}

/// Not settable: always `KERN_INVALID_ARGUMENT`, as in C.
#[inline]
pub unsafe fn host_set_io_master_port(host: host_priv_t, port: mach_port_t) -> kern_return_t {
    let _ = (host, port);
    KERN_INVALID_ARGUMENT
}

#[inline]
pub unsafe fn host_get_dynamic_pager_port(
    host: host_priv_t,
    port: *mut mach_port_t,
) -> kern_return_t {
    unsafe { host_get_special_port(host, HOST_LOCAL_NODE, HOST_DYNAMIC_PAGER_PORT, port) }
}

#[inline]
pub unsafe fn host_set_dynamic_pager_port(host: host_priv_t, port: mach_port_t) -> kern_return_t {
    unsafe { host_set_special_port(host, HOST_DYNAMIC_PAGER_PORT, port) }
}

#[inline]
pub unsafe fn host_get_audit_control_port(
    host: host_priv_t,
    port: *mut mach_port_t,
) -> kern_return_t {
    unsafe { host_get_special_port(host, HOST_LOCAL_NODE, HOST_AUDIT_CONTROL_PORT, port) }
}

#[inline]
pub unsafe fn host_set_audit_control_port(host: host_priv_t, port: mach_port_t) -> kern_return_t {
    unsafe { host_set_special_port(host, HOST_AUDIT_CONTROL_PORT, port) }
}

#[inline]
pub unsafe fn host_get_user_notification_port(
    host: host_priv_t,
    port: *mut mach_port_t,
) -> kern_return_t {
    unsafe { host_get_special_port(host, HOST_LOCAL_NODE, HOST_USER_NOTIFICATION_PORT, port) }
}

#[inline]
pub unsafe fn host_set_user_notification_port(
    host: host_priv_t,
    port: mach_port_t,
) -> kern_return_t {
    unsafe { host_set_special_port(host, HOST_USER_NOTIFICATION_PORT, port) }
}

#[inline]
pub unsafe fn host_get_automountd_port(host: host_priv_t, port: *mut mach_port_t) -> kern_return_t {
    unsafe { host_get_special_port(host, HOST_LOCAL_NODE, HOST_AUTOMOUNTD_PORT, port) }
}

#[inline]
pub unsafe fn host_set_automountd_port(host: host_priv_t, port: mach_port_t) -> kern_return_t {
    unsafe { host_set_special_port(host, HOST_AUTOMOUNTD_PORT, port) }
}

#[inline]
pub unsafe fn host_get_lockd_port(host: host_priv_t, port: *mut mach_port_t) -> kern_return_t {
    unsafe { host_get_special_port(host, HOST_LOCAL_NODE, HOST_LOCKD_PORT, port) }
}

#[inline]
pub unsafe fn host_set_lockd_port(host: host_priv_t, port: mach_port_t) -> kern_return_t {
    unsafe { host_set_special_port(host, HOST_LOCKD_PORT, port) }
}

#[inline]
pub unsafe fn host_get_ktrace_background_port(
    host: host_priv_t,
    port: *mut mach_port_t,
) -> kern_return_t {
    unsafe { host_get_special_port(host, HOST_LOCAL_NODE, HOST_KTRACE_BACKGROUND_PORT, port) }
}

#[inline]
pub unsafe fn host_set_ktrace_background_port(
    host: host_priv_t,
    port: mach_port_t,
) -> kern_return_t {
    unsafe { host_set_special_port(host, HOST_KTRACE_BACKGROUND_PORT, port) }
}

#[inline]
pub unsafe fn host_get_kextd_port(host: host_priv_t, port: *mut mach_port_t) -> kern_return_t {
    unsafe { host_get_special_port(host, HOST_LOCAL_NODE, HOST_KEXTD_PORT, port) }
}

#[inline]
pub unsafe fn host_set_kextd_port(host: host_priv_t, port: mach_port_t) -> kern_return_t {
    unsafe { host_set_special_port(host, HOST_KEXTD_PORT, port) }
}

#[inline]
pub unsafe fn host_get_launchctl_port(host: host_priv_t, port: *mut mach_port_t) -> kern_return_t {
    unsafe { host_get_special_port(host, HOST_LOCAL_NODE, HOST_LAUNCHCTL_PORT, port) }
}

#[inline]
pub unsafe fn host_set_launchctl_port(host: host_priv_t, port: mach_port_t) -> kern_return_t {
    unsafe { host_set_special_port(host, HOST_LAUNCHCTL_PORT, port) }
}

#[inline]
pub unsafe fn host_get_chud_port(host: host_priv_t, port: *mut mach_port_t) -> kern_return_t {
    unsafe { host_get_launchctl_port(host, port) }
}

#[inline]
pub unsafe fn host_set_chud_port(host: host_priv_t, port: mach_port_t) -> kern_return_t {
    unsafe { host_set_launchctl_port(host, port) }
}

#[inline]
pub unsafe fn host_get_unfreed_port(host: host_priv_t, port: *mut mach_port_t) -> kern_return_t {
    unsafe { host_get_special_port(host, HOST_LOCAL_NODE, HOST_UNFREED_PORT, port) }
}

#[inline]
pub unsafe fn host_set_unfreed_port(host: host_priv_t, port: mach_port_t) -> kern_return_t {
    unsafe { host_set_special_port(host, HOST_UNFREED_PORT, port) }
}

#[inline]
pub unsafe fn host_get_amfid_port(host: host_priv_t, port: *mut mach_port_t) -> kern_return_t {
    unsafe { host_get_special_port(host, HOST_LOCAL_NODE, HOST_AMFID_PORT, port) }
}

#[inline]
pub unsafe fn host_set_amfid_port(host: host_priv_t, port: mach_port_t) -> kern_return_t {
    unsafe { host_set_special_port(host, HOST_AMFID_PORT, port) }
}

#[inline]
pub unsafe fn host_get_gssd_port(host: host_priv_t, port: *mut mach_port_t) -> kern_return_t {
    unsafe { host_get_special_port(host, HOST_LOCAL_NODE, HOST_GSSD_PORT, port) }
}

#[inline]
pub unsafe fn host_set_gssd_port(host: host_priv_t, port: mach_port_t) -> kern_return_t {
    unsafe { host_set_special_port(host, HOST_GSSD_PORT, port) }
}

#[inline]
pub unsafe fn host_get_telemetry_port(host: host_priv_t, port: *mut mach_port_t) -> kern_return_t {
    unsafe { host_get_special_port(host, HOST_LOCAL_NODE, HOST_TELEMETRY_PORT, port) }
}

#[inline]
pub unsafe fn host_set_telemetry_port(host: host_priv_t, port: mach_port_t) -> kern_return_t {
    unsafe { host_set_special_port(host, HOST_TELEMETRY_PORT, port) }
}

#[inline]
pub unsafe fn host_get_atm_notification_port(
    host: host_priv_t,
    port: *mut mach_port_t,
) -> kern_return_t {
    unsafe { host_get_special_port(host, HOST_LOCAL_NODE, HOST_ATM_NOTIFICATION_PORT, port) }
}

#[inline]
pub unsafe fn host_set_atm_notification_port(
    host: host_priv_t,
    port: mach_port_t,
) -> kern_return_t {
    unsafe { host_set_special_port(host, HOST_ATM_NOTIFICATION_PORT, port) }
}

#[inline]
pub unsafe fn host_get_coalition_port(host: host_priv_t, port: *mut mach_port_t) -> kern_return_t {
    unsafe { host_get_special_port(host, HOST_LOCAL_NODE, HOST_COALITION_PORT, port) }
}

#[inline]
pub unsafe fn host_set_coalition_port(host: host_priv_t, port: mach_port_t) -> kern_return_t {
    unsafe { host_set_special_port(host, HOST_COALITION_PORT, port) }
}

#[inline]
pub unsafe fn host_get_sysdiagnose_port(
    host: host_priv_t,
    port: *mut mach_port_t,
) -> kern_return_t {
    unsafe { host_get_special_port(host, HOST_LOCAL_NODE, HOST_SYSDIAGNOSE_PORT, port) }
}

#[inline]
pub unsafe fn host_set_sysdiagnose_port(host: host_priv_t, port: mach_port_t) -> kern_return_t {
    unsafe { host_set_special_port(host, HOST_SYSDIAGNOSE_PORT, port) }
}

#[inline]
pub unsafe fn host_get_container_port(host: host_priv_t, port: *mut mach_port_t) -> kern_return_t {
    unsafe { host_get_special_port(host, HOST_LOCAL_NODE, HOST_CONTAINERD_PORT, port) }
}

#[inline]
pub unsafe fn host_set_container_port(host: host_priv_t, port: mach_port_t) -> kern_return_t {
    unsafe { host_set_special_port(host, HOST_CONTAINERD_PORT, port) }
}

#[inline]
pub unsafe fn host_get_node_port(host: host_priv_t, port: *mut mach_port_t) -> kern_return_t {
    unsafe { host_get_special_port(host, HOST_LOCAL_NODE, HOST_NODE_PORT, port) }
}

#[inline]
pub unsafe fn host_set_node_port(host: host_priv_t, port: mach_port_t) -> kern_return_t {
    unsafe { host_set_special_port(host, HOST_NODE_PORT, port) }
}

#[inline]
pub unsafe fn host_get_closured_port(host: host_priv_t, port: *mut mach_port_t) -> kern_return_t {
    unsafe { host_get_special_port(host, HOST_LOCAL_NODE, HOST_CLOSURED_PORT, port) }
}

#[inline]
pub unsafe fn host_set_closured_port(host: host_priv_t, port: mach_port_t) -> kern_return_t {
    unsafe { host_set_special_port(host, HOST_CLOSURED_PORT, port) }
}

#[inline]
pub unsafe fn host_get_syspolicyd_port(host: host_priv_t, port: *mut mach_port_t) -> kern_return_t {
    unsafe { host_get_special_port(host, HOST_LOCAL_NODE, HOST_SYSPOLICYD_PORT, port) }
}

#[inline]
pub unsafe fn host_set_syspolicyd_port(host: host_priv_t, port: mach_port_t) -> kern_return_t {
    unsafe { host_set_special_port(host, HOST_SYSPOLICYD_PORT, port) }
}

#[inline]
pub unsafe fn host_get_filecoordinationd_port(
    host: host_priv_t,
    port: *mut mach_port_t,
) -> kern_return_t {
    unsafe { host_get_special_port(host, HOST_LOCAL_NODE, HOST_FILECOORDINATIOND_PORT, port) }
}

#[inline]
pub unsafe fn host_set_filecoordinationd_port(
    host: host_priv_t,
    port: mach_port_t,
) -> kern_return_t {
    unsafe { host_set_special_port(host, HOST_FILECOORDINATIOND_PORT, port) }
}

#[inline]
pub unsafe fn host_get_fairplayd_port(host: host_priv_t, port: *mut mach_port_t) -> kern_return_t {
    unsafe { host_get_special_port(host, HOST_LOCAL_NODE, HOST_FAIRPLAYD_PORT, port) }
}

#[inline]
pub unsafe fn host_set_fairplayd_port(host: host_priv_t, port: mach_port_t) -> kern_return_t {
    unsafe { host_set_special_port(host, HOST_FAIRPLAYD_PORT, port) }
}

#[inline]
pub unsafe fn host_get_iocompressionstats_port(
    host: host_priv_t,
    port: *mut mach_port_t,
) -> kern_return_t {
    unsafe { host_get_special_port(host, HOST_LOCAL_NODE, HOST_IOCOMPRESSIONSTATS_PORT, port) }
}

#[inline]
pub unsafe fn host_set_iocompressionstats_port(
    host: host_priv_t,
    port: mach_port_t,
) -> kern_return_t {
    unsafe { host_set_special_port(host, HOST_IOCOMPRESSIONSTATS_PORT, port) }
}

#[inline]
pub unsafe fn host_get_memory_error_port(
    host: host_priv_t,
    port: *mut mach_port_t,
) -> kern_return_t {
    unsafe { host_get_special_port(host, HOST_LOCAL_NODE, HOST_MEMORY_ERROR_PORT, port) }
}

#[inline]
pub unsafe fn host_set_memory_error_port(host: host_priv_t, port: mach_port_t) -> kern_return_t {
    unsafe { host_set_special_port(host, HOST_MEMORY_ERROR_PORT, port) }
}

#[inline]
pub unsafe fn host_get_managedappdistd_port(
    host: host_priv_t,
    port: *mut mach_port_t,
) -> kern_return_t {
    unsafe { host_get_special_port(host, HOST_LOCAL_NODE, HOST_MANAGEDAPPDISTD_PORT, port) }
}

#[inline]
pub unsafe fn host_set_managedappdistd_port(host: host_priv_t, port: mach_port_t) -> kern_return_t {
    unsafe { host_set_special_port(host, HOST_MANAGEDAPPDISTD_PORT, port) }
}
