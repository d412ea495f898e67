// SPDX-License-Identifier: GPL-2.0

//! The ioctl ABI, mirrored from `uapi/machipc.h`.
//!
//! The header is the single source of truth: the build generates
//! `uapi_generated.rs` from it with bindgen, and every mirror struct here is
//! checked at compile time to have the size, alignment and field offsets of
//! its generated twin, so the two cannot drift.

use kernel::{
    ioctl::_IOWR,
    transmute::{AsBytes, FromBytes},
};

#[allow(
    dead_code,
    non_camel_case_types,
    non_upper_case_globals,
    unreachable_pub,
    clippy::all,
    clippy::pedantic,
    clippy::undocumented_unsafe_blocks
)]
mod generated {
    include!(env!("MACHIPC_UAPI_RS"));
}

/// Declares that `$mine` mirrors the generated `$c` and checks it: same size,
/// same alignment, and each listed field at the same offset. Also marks the
/// mirror as plain data that can be copied to and from user space.
macro_rules! mirror {
    ($mine:ty => $c:ty { $($field:ident),* $(,)? }) => {
        const _: () = {
            assert!(core::mem::size_of::<$mine>() == core::mem::size_of::<$c>());
            assert!(core::mem::align_of::<$mine>() == core::mem::align_of::<$c>());
            $(assert!(
                core::mem::offset_of!($mine, $field) == core::mem::offset_of!($c, $field)
            );)*
        };
        // SAFETY: the mirror is `repr(C)`, built only of integers and arrays of integers
        // laid out without padding (checked above against the C header), so every bit
        // pattern is a valid value and every byte is initialised.
        unsafe impl FromBytes for $mine {}
        // SAFETY: as above: no padding, no pointers, no interior mutability.
        unsafe impl AsBytes for $mine {}
    };
}

/// The ABI version this module implements.
pub(crate) const ABI_VERSION: u32 = generated::MACHIPC_ABI_VERSION;

const MAGIC: u32 = generated::MACHIPC_IOC_MAGIC;

/// `struct machipc_version`.
#[repr(C)]
#[derive(Default)]
pub(crate) struct Version {
    pub(crate) abi_version: u32,
    pub(crate) compatible: u32,
    pub(crate) reserved: [u64; 2],
}
mirror!(Version => generated::machipc_version { abi_version, compatible, reserved });

/// `MACHIPC_IOC_VERSION`.
pub(crate) const IOC_VERSION: u32 = _IOWR::<Version>(MAGIC, generated::MACHIPC_IOC_NR_VERSION);

/// `struct machipc_port_op`.
#[repr(C)]
#[derive(Default)]
pub(crate) struct PortOp {
    pub(crate) op: u32,
    pub(crate) task: u32,
    pub(crate) name: u32,
    pub(crate) arg: u32,
    pub(crate) val: [u64; 2],
    pub(crate) kr: i32,
    pub(crate) reserved: u32,
}
mirror!(PortOp => generated::machipc_port_op { op, task, name, arg, val, kr, reserved });

/// `MACHIPC_IOC_PORT_OP`.
pub(crate) const IOC_PORT_OP: u32 = _IOWR::<PortOp>(MAGIC, generated::MACHIPC_IOC_NR_PORT_OP);

/// `MACHIPC_OP_*`.
pub(crate) mod op {
    use super::generated as g;
    pub(crate) const ALLOCATE: u32 = g::MACHIPC_OP_ALLOCATE;
    pub(crate) const CONSTRUCT: u32 = g::MACHIPC_OP_CONSTRUCT;
    pub(crate) const DESTRUCT: u32 = g::MACHIPC_OP_DESTRUCT;
    pub(crate) const DESTROY: u32 = g::MACHIPC_OP_DESTROY;
    pub(crate) const DEALLOCATE: u32 = g::MACHIPC_OP_DEALLOCATE;
    pub(crate) const GET_REFS: u32 = g::MACHIPC_OP_GET_REFS;
    pub(crate) const MOD_REFS: u32 = g::MACHIPC_OP_MOD_REFS;
    pub(crate) const TYPE: u32 = g::MACHIPC_OP_TYPE;
    pub(crate) const INSERT_RIGHT: u32 = g::MACHIPC_OP_INSERT_RIGHT;
    pub(crate) const EXTRACT_RIGHT: u32 = g::MACHIPC_OP_EXTRACT_RIGHT;
    pub(crate) const INSERT_MEMBER: u32 = g::MACHIPC_OP_INSERT_MEMBER;
    pub(crate) const EXTRACT_MEMBER: u32 = g::MACHIPC_OP_EXTRACT_MEMBER;
    pub(crate) const MOVE_MEMBER: u32 = g::MACHIPC_OP_MOVE_MEMBER;
    pub(crate) const SET_MSCOUNT: u32 = g::MACHIPC_OP_SET_MSCOUNT;
    pub(crate) const SET_SEQNO: u32 = g::MACHIPC_OP_SET_SEQNO;
    pub(crate) const GET_CONTEXT: u32 = g::MACHIPC_OP_GET_CONTEXT;
    pub(crate) const SET_CONTEXT: u32 = g::MACHIPC_OP_SET_CONTEXT;
    pub(crate) const GUARD: u32 = g::MACHIPC_OP_GUARD;
    pub(crate) const UNGUARD: u32 = g::MACHIPC_OP_UNGUARD;
    pub(crate) const KERNEL_OBJECT: u32 = g::MACHIPC_OP_KERNEL_OBJECT;
    pub(crate) const TASK_SELF: u32 = g::MACHIPC_OP_TASK_SELF;
    pub(crate) const HOST_SELF: u32 = g::MACHIPC_OP_HOST_SELF;
    pub(crate) const TASK_GET_SPECIAL: u32 = g::MACHIPC_OP_TASK_GET_SPECIAL;
    pub(crate) const TASK_SET_SPECIAL: u32 = g::MACHIPC_OP_TASK_SET_SPECIAL;
    pub(crate) const HOST_GET_SPECIAL: u32 = g::MACHIPC_OP_HOST_GET_SPECIAL;
    pub(crate) const HOST_SET_SPECIAL: u32 = g::MACHIPC_OP_HOST_SET_SPECIAL;
    pub(crate) const REQUEST_NOTIFICATION: u32 = g::MACHIPC_OP_REQUEST_NOTIFICATION;
    pub(crate) const ALLOCATE_NAMED: u64 = g::MACHIPC_ALLOCATE_NAMED as u64;
}

/// `struct machipc_name_info`.
#[repr(C)]
#[derive(Default, Clone, Copy)]
pub(crate) struct NameInfo {
    pub(crate) name: u32,
    pub(crate) ty: u32,
    pub(crate) urefs: u32,
    pub(crate) request: u32,
    pub(crate) object: u64,
}
const _: () = assert!(
    core::mem::offset_of!(NameInfo, ty)
        == core::mem::offset_of!(generated::machipc_name_info, type_)
);
mirror!(NameInfo => generated::machipc_name_info { name, urefs, request, object });

/// `struct machipc_port_list`.
#[repr(C)]
#[derive(Default)]
pub(crate) struct PortList {
    pub(crate) op: u32,
    pub(crate) task: u32,
    pub(crate) name: u32,
    pub(crate) capacity: u32,
    pub(crate) buf: u64,
    pub(crate) count: u32,
    pub(crate) table_size: u32,
    pub(crate) kr: i32,
    pub(crate) reserved: u32,
}
mirror!(PortList => generated::machipc_port_list {
    op, task, name, capacity, buf, count, table_size, kr, reserved
});

pub(crate) const IOC_PORT_LIST: u32 = _IOWR::<PortList>(MAGIC, generated::MACHIPC_IOC_NR_PORT_LIST);
pub(crate) const LIST_NAMES: u32 = generated::MACHIPC_LIST_NAMES;
pub(crate) const LIST_SET_MEMBERS: u32 = generated::MACHIPC_LIST_SET_MEMBERS;

/// `struct machipc_port_attr`.
#[repr(C)]
pub(crate) struct PortAttr {
    pub(crate) task: u32,
    pub(crate) name: u32,
    pub(crate) flavor: i32,
    pub(crate) count: u32,
    pub(crate) set: u32,
    pub(crate) kr: i32,
    pub(crate) info: [u32; ATTR_INFO_MAX],
}
mirror!(PortAttr => generated::machipc_port_attr { task, name, flavor, count, set, kr, info });

pub(crate) const ATTR_INFO_MAX: usize = generated::MACHIPC_ATTR_INFO_MAX as usize;
pub(crate) const IOC_PORT_ATTR: u32 = _IOWR::<PortAttr>(MAGIC, generated::MACHIPC_IOC_NR_PORT_ATTR);

/// `struct machipc_msg`.
#[repr(C)]
#[derive(Default)]
pub(crate) struct Msg {
    pub(crate) send_buf: u64,
    pub(crate) rcv_buf: u64,
    pub(crate) option: u32,
    pub(crate) send_size: u32,
    pub(crate) rcv_size: u32,
    pub(crate) rcv_name: u32,
    pub(crate) timeout: u32,
    pub(crate) notify: u32,
    pub(crate) mr: i32,
    pub(crate) reserved: u32,
}
mirror!(Msg => generated::machipc_msg {
    send_buf, rcv_buf, option, send_size, rcv_size, rcv_name, timeout, notify, mr, reserved
});

pub(crate) const IOC_MSG: u32 = _IOWR::<Msg>(MAGIC, generated::MACHIPC_IOC_NR_MSG);
