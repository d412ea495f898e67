//! The C API of libmach used by the wrappers (`<mach/mach.h>`).

#![allow(non_upper_case_globals)]

use std::os::raw::c_char;

/// `mach_port_name_t`: a name in a task's IPC space.
pub type Name = u32;
pub type Kr = i32;

pub const MACH_PORT_NULL: Name = 0;
pub const MACH_PORT_RIGHT_SEND: u32 = 0;
pub const MACH_PORT_RIGHT_RECEIVE: u32 = 1;
pub const MACH_PORT_RIGHT_SEND_ONCE: u32 = 2;
pub const MACH_PORT_RIGHT_PORT_SET: u32 = 3;
pub const MACH_PORT_RIGHT_DEAD_NAME: u32 = 4;
pub const MACH_MSG_TYPE_MOVE_SEND_ONCE: u32 = 18;
pub const MACH_MSG_TYPE_COPY_SEND: u32 = 19;
pub const MACH_MSG_TYPE_MAKE_SEND: u32 = 20;
pub const MACH_MSG_TYPE_MAKE_SEND_ONCE: u32 = 21;
pub const MACH_SEND_MSG: i32 = 0x1;
pub const MACH_RCV_MSG: i32 = 0x2;
pub const MACH_SEND_TIMEOUT: i32 = 0x10;
pub const MACH_RCV_TIMEOUT: i32 = 0x100;
/// `MACH_RCV_TRAILER_TYPE(0) | MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT)`.
pub const MACH_RCV_TRAILER_AUDIT: i32 = 3 << 24;
pub const MACH_PORT_RECEIVE_STATUS: i32 = 2;
pub const MACH_PORT_RECEIVE_STATUS_COUNT: u32 = 10;

/// `mach_msg_header_t`.
#[repr(C)]
#[derive(Clone, Copy, Default, Debug)]
pub struct Header {
    pub bits: u32,
    pub size: u32,
    pub remote: Name,
    pub local: Name,
    pub voucher: Name,
    pub id: i32,
}

/// `mach_port_status_t`.
#[repr(C)]
#[derive(Clone, Copy, Default, Debug)]
pub struct PortStatus {
    pub pset: u32,
    pub seqno: u32,
    pub mscount: u32,
    pub qlimit: u32,
    pub msgcount: u32,
    pub sorights: u32,
    pub srights: u32,
    pub pdrequest: u32,
    pub nsrequest: u32,
    pub flags: u32,
}

extern "C" {
    pub static mach_task_self_: Name;
    pub fn mach_port_allocate(task: Name, right: u32, name: *mut Name) -> Kr;
    pub fn mach_port_insert_right(task: Name, name: Name, poly: Name, poly_poly: u32) -> Kr;
    pub fn mach_port_extract_right(
        task: Name,
        name: Name,
        msgt_name: u32,
        poly: *mut Name,
        poly_poly: *mut u32,
    ) -> Kr;
    pub fn mach_port_mod_refs(task: Name, name: Name, right: u32, delta: i32) -> Kr;
    pub fn mach_port_deallocate(task: Name, name: Name) -> Kr;
    pub fn mach_port_get_refs(task: Name, name: Name, right: u32, refs: *mut u32) -> Kr;
    pub fn mach_port_type(task: Name, name: Name, ptype: *mut u32) -> Kr;
    pub fn mach_port_get_attributes(
        task: Name,
        name: Name,
        flavor: i32,
        info: *mut u32,
        count: *mut u32,
    ) -> Kr;
    pub fn mach_msg(
        msg: *mut Header,
        option: i32,
        send_size: u32,
        rcv_size: u32,
        rcv_name: Name,
        timeout: u32,
        notify: Name,
    ) -> Kr;
    pub fn mach_error_string(kr: Kr) -> *const c_char;
}
