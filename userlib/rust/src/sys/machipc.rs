//! `<machipc/machipc.h>`: libmach's extensions for machipc, the
//! `/dev/mach` descriptor behind the Mach API and pollable ports (not a
//! module of `mach2`; macOS has no equivalent).

use crate::sys::kern_return::kern_return_t;
use crate::sys::message::{
    mach_msg_header_t, mach_msg_option_t, mach_msg_return_t, mach_msg_size_t,
};
use crate::sys::port::{mach_port_name_t, mach_port_t};
use core::ffi::c_int;

unsafe extern "C" {
    /// The process's `/dev/mach` descriptor, opened on first use; -1 with
    /// errno set if the device cannot be opened or speaks another ABI.
    pub fn machipc_fd() -> c_int;
    /// Whether the descriptor is opened with `O_CLOEXEC` (takes effect at
    /// the next open).
    pub fn machipc_set_cloexec(on: c_int);
    /// The ABI handshake: the module's version in `*module_abi`.
    pub fn machipc_abi_version(module_abi: *mut u32) -> kern_return_t;
    /// Maps an errno of a `/dev/mach` ioctl to a `kern_return_t`.
    pub fn machipc_errno_to_kr(err: c_int) -> kern_return_t;

    /// A new descriptor that polls readable while a message is queued on
    /// `name` (a receive right or port set), and hangs up once it is gone.
    pub fn mach_port_get_fd(
        task: mach_port_t,
        name: mach_port_name_t,
        fd: *mut c_int,
    ) -> kern_return_t;
    /// What `kevent` does for an `EVFILT_MACHPORT` event, when the port's
    /// descriptor polls readable; never waits.
    pub fn machipc_machport_event(
        name: mach_port_name_t,
        option: mach_msg_option_t,
        msg: *mut mach_msg_header_t,
        rcv_size: mach_msg_size_t,
        data: *mut mach_port_name_t,
    ) -> mach_msg_return_t;
    /// `mach_port_get_fd` and `EPOLL_CTL_ADD` (level-triggered `EPOLLIN`,
    /// `udata` as `data.u64`).
    pub fn machipc_epoll_add_port(
        epfd: c_int,
        name: mach_port_name_t,
        udata: u64,
        fd: *mut c_int,
    ) -> kern_return_t;
    /// `EPOLL_CTL_DEL` and `close`.
    pub fn machipc_epoll_del_port(epfd: c_int, fd: c_int) -> kern_return_t;
}
