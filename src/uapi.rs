// SPDX-License-Identifier: GPL-2.0

//! The ioctl ABI, mirrored from `uapi/machipc.h`.
//!
//! The header is the single source of truth: the build generates
//! `uapi_generated.rs` from it with bindgen, and every mirror struct here is
//! checked at compile time to have the size, alignment and field offsets of
//! its generated twin, so the two cannot drift.

use kernel::{
    ioctl::{_IOW, _IOWR},
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

/// `MACHIPC_KR_USER_PORT`.
pub(crate) const KR_USER_PORT: i32 = generated::MACHIPC_KR_USER_PORT as i32;

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

/// A decoded PORT_OP call: what each op's slots mean (see the table in
/// `uapi/machipc.h`), so that no other code reads `arg` / `val` by hand.
pub(crate) enum PortCall {
    Allocate {
        right: u32,
        name: Option<u32>,
    },
    Construct {
        options: u32,
        context: u64,
        qlimit: u32,
    },
    Destruct {
        name: u32,
        srdelta: i64,
        guard: u64,
    },
    Destroy {
        name: u32,
    },
    Deallocate {
        name: u32,
    },
    GetRefs {
        name: u32,
        right: u32,
    },
    ModRefs {
        name: u32,
        right: u32,
        delta: i32,
    },
    Type {
        name: u32,
    },
    InsertRight {
        name: u32,
        poly: u32,
        disposition: u32,
    },
    ExtractRight {
        name: u32,
        disposition: u32,
    },
    InsertMember {
        name: u32,
        set: u32,
    },
    ExtractMember {
        name: u32,
        set: u32,
    },
    MoveMember {
        name: u32,
        after: u32,
    },
    SetMscount {
        name: u32,
        mscount: u32,
    },
    SetSeqno {
        name: u32,
        seqno: u32,
    },
    GetContext {
        name: u32,
    },
    SetContext {
        name: u32,
        context: u64,
    },
    Guard {
        name: u32,
        guard: u64,
        strict: bool,
    },
    Unguard {
        name: u32,
        guard: u64,
    },
    KernelObject {
        name: u32,
    },
    TaskSelf,
    HostSelf,
    TaskGetSpecial {
        which: i32,
    },
    TaskSetSpecial {
        which: i32,
        name: u32,
    },
    HostGetSpecial {
        which: i32,
    },
    HostSetSpecial {
        which: i32,
        name: u32,
    },
    RequestNotification {
        name: u32,
        id: i32,
        sync: u32,
        notify: u32,
        poly: u32,
    },
    ReplyPort,
    ThreadSelf,
    TaskForPid {
        pid: i32,
    },
    TaskNameForPid {
        pid: i32,
    },
    PidForTask,
    SetSystemBootstrap {
        name: u32,
    },
    SemSignal {
        name: u32,
    },
    SemSignalAll {
        name: u32,
    },
    SemSignalThread {
        name: u32,
        thread: u32,
    },
    SemWait {
        name: u32,
    },
    SemTimedWait {
        name: u32,
        sec: u32,
        nsec: i32,
    },
    SemWaitSignal {
        wait: u32,
        signal: u32,
    },
    SemTimedWaitSignal {
        wait: u32,
        signal: u32,
        sec: u32,
        nsec: i32,
    },
    PortFd {
        name: u32,
    },
    GetSrights {
        name: u32,
    },
    DnrequestInfo {
        name: u32,
    },
    SetPortSpace {
        entries: i32,
    },
}

/// What a PORT_OP call returns besides its code.
pub(crate) enum CallOut {
    None,
    /// A name in the caller's space (`name`).
    Name(u32),
    /// Values (`val[0]`, `val[1]`).
    Vals(u64, u64),
}

impl PortCall {
    /// Decodes `o`; `None` for an unknown op.
    pub(crate) fn decode(o: &PortOp) -> Option<PortCall> {
        use generated as g;
        let (name, arg, v0, v1) = (o.name, o.arg, o.val[0], o.val[1]);
        Some(match o.op {
            g::MACHIPC_OP_ALLOCATE => PortCall::Allocate {
                right: arg,
                name: (v0 & u64::from(g::MACHIPC_ALLOCATE_NAMED) != 0).then_some(name),
            },
            g::MACHIPC_OP_CONSTRUCT => PortCall::Construct {
                options: arg,
                context: v0,
                qlimit: v1 as u32,
            },
            g::MACHIPC_OP_DESTRUCT => PortCall::Destruct {
                name,
                srdelta: v0 as i64,
                guard: v1,
            },
            g::MACHIPC_OP_DESTROY => PortCall::Destroy { name },
            g::MACHIPC_OP_DEALLOCATE => PortCall::Deallocate { name },
            g::MACHIPC_OP_GET_REFS => PortCall::GetRefs { name, right: arg },
            g::MACHIPC_OP_MOD_REFS => PortCall::ModRefs {
                name,
                right: arg,
                delta: v0 as i32,
            },
            g::MACHIPC_OP_TYPE => PortCall::Type { name },
            g::MACHIPC_OP_INSERT_RIGHT => PortCall::InsertRight {
                name,
                poly: v0 as u32,
                disposition: arg,
            },
            g::MACHIPC_OP_EXTRACT_RIGHT => PortCall::ExtractRight {
                name,
                disposition: arg,
            },
            g::MACHIPC_OP_INSERT_MEMBER => PortCall::InsertMember { name, set: arg },
            g::MACHIPC_OP_EXTRACT_MEMBER => PortCall::ExtractMember { name, set: arg },
            g::MACHIPC_OP_MOVE_MEMBER => PortCall::MoveMember { name, after: arg },
            g::MACHIPC_OP_SET_MSCOUNT => PortCall::SetMscount {
                name,
                mscount: v0 as u32,
            },
            g::MACHIPC_OP_SET_SEQNO => PortCall::SetSeqno {
                name,
                seqno: v0 as u32,
            },
            g::MACHIPC_OP_GET_CONTEXT => PortCall::GetContext { name },
            g::MACHIPC_OP_SET_CONTEXT => PortCall::SetContext { name, context: v0 },
            g::MACHIPC_OP_GUARD => PortCall::Guard {
                name,
                guard: v0,
                strict: arg != 0,
            },
            g::MACHIPC_OP_UNGUARD => PortCall::Unguard { name, guard: v0 },
            g::MACHIPC_OP_KERNEL_OBJECT => PortCall::KernelObject { name },
            g::MACHIPC_OP_TASK_SELF => PortCall::TaskSelf,
            g::MACHIPC_OP_HOST_SELF => PortCall::HostSelf,
            g::MACHIPC_OP_TASK_GET_SPECIAL => PortCall::TaskGetSpecial { which: arg as i32 },
            g::MACHIPC_OP_TASK_SET_SPECIAL => PortCall::TaskSetSpecial {
                which: arg as i32,
                name,
            },
            g::MACHIPC_OP_HOST_GET_SPECIAL => PortCall::HostGetSpecial { which: arg as i32 },
            g::MACHIPC_OP_HOST_SET_SPECIAL => PortCall::HostSetSpecial {
                which: arg as i32,
                name,
            },
            g::MACHIPC_OP_REQUEST_NOTIFICATION => PortCall::RequestNotification {
                name,
                id: arg as i32,
                sync: v0 as u32,
                notify: v1 as u32,
                poly: (v1 >> 32) as u32,
            },
            g::MACHIPC_OP_REPLY_PORT => PortCall::ReplyPort,
            g::MACHIPC_OP_THREAD_SELF => PortCall::ThreadSelf,
            g::MACHIPC_OP_TASK_FOR_PID => PortCall::TaskForPid { pid: arg as i32 },
            g::MACHIPC_OP_TASK_NAME_FOR_PID => PortCall::TaskNameForPid { pid: arg as i32 },
            g::MACHIPC_OP_PID_FOR_TASK => PortCall::PidForTask,
            g::MACHIPC_OP_SET_SYSTEM_BOOTSTRAP => PortCall::SetSystemBootstrap { name },
            g::MACHIPC_OP_SEMAPHORE_SIGNAL => PortCall::SemSignal { name },
            g::MACHIPC_OP_SEMAPHORE_SIGNAL_ALL => PortCall::SemSignalAll { name },
            g::MACHIPC_OP_SEMAPHORE_SIGNAL_THREAD => {
                PortCall::SemSignalThread { name, thread: arg }
            }
            g::MACHIPC_OP_SEMAPHORE_WAIT => PortCall::SemWait { name },
            g::MACHIPC_OP_SEMAPHORE_TIMEDWAIT => PortCall::SemTimedWait {
                name,
                sec: v0 as u32,
                nsec: v1 as i32,
            },
            g::MACHIPC_OP_SEMAPHORE_WAIT_SIGNAL => PortCall::SemWaitSignal {
                wait: name,
                signal: arg,
            },
            g::MACHIPC_OP_SEMAPHORE_TIMEDWAIT_SIGNAL => PortCall::SemTimedWaitSignal {
                wait: name,
                signal: arg,
                sec: v0 as u32,
                nsec: v1 as i32,
            },
            g::MACHIPC_OP_PORT_FD => PortCall::PortFd { name },
            g::MACHIPC_OP_GET_SRIGHTS => PortCall::GetSrights { name },
            g::MACHIPC_OP_DNREQUEST_INFO => PortCall::DnrequestInfo { name },
            g::MACHIPC_OP_SET_PORT_SPACE => PortCall::SetPortSpace {
                entries: arg as i32,
            },
            _ => return None,
        })
    }
}

/// The PORT_LIST ops.
pub(crate) enum ListCall {
    Names,
    SetMembers { name: u32 },
}

impl ListCall {
    pub(crate) fn decode(l: &PortList) -> Option<ListCall> {
        match l.op {
            generated::MACHIPC_LIST_NAMES => Some(ListCall::Names),
            generated::MACHIPC_LIST_SET_MEMBERS => Some(ListCall::SetMembers { name: l.name }),
            _ => None,
        }
    }
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

/// `struct machipc_port_peek`.
#[repr(C)]
pub(crate) struct PortPeek {
    pub(crate) task: u32,
    pub(crate) name: u32,
    pub(crate) trailer_type: u32,
    pub(crate) seqno: u32,
    pub(crate) msg_size: u32,
    pub(crate) msg_id: i32,
    pub(crate) trailer_size: u32,
    pub(crate) kr: i32,
    pub(crate) trailer: [u32; 17],
    pub(crate) reserved: u32,
}
mirror!(PortPeek => generated::machipc_port_peek {
    task, name, trailer_type, seqno, msg_size, msg_id, trailer_size, kr, trailer, reserved
});

pub(crate) const IOC_PORT_PEEK: u32 = _IOWR::<PortPeek>(MAGIC, generated::MACHIPC_IOC_NR_PORT_PEEK);

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
}
mirror!(Msg => generated::machipc_msg {
    send_buf, rcv_buf, option, send_size, rcv_size, rcv_name, timeout, notify
});

pub(crate) const IOC_MSG: u32 = _IOW::<Msg>(MAGIC, generated::MACHIPC_IOC_NR_MSG);
