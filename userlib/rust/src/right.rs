//! Port rights owned by values: each releases what it holds when dropped.

use std::fmt;
use std::mem::ManuallyDrop;

use crate::error::{KernReturn, Result};
use crate::sys;
use crate::sys::message::*;
use crate::sys::port::*;

/// A name in the calling task's IPC space (`mach_port_name_t`).
pub type Name = mach_port_name_t;

/// The calling task's send right to its own task port (`mach_task_self()`).
pub fn task_self() -> Name {
    // SAFETY: a plain read of the variable libmach sets before `main` and
    // again in a child after `fork`.
    unsafe { sys::traps::mach_task_self() }
}

/// A kind of right (`mach_port_right_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RightKind {
    /// `MACH_PORT_RIGHT_SEND`.
    Send,
    /// `MACH_PORT_RIGHT_RECEIVE`.
    Receive,
    /// `MACH_PORT_RIGHT_SEND_ONCE`.
    SendOnce,
    /// `MACH_PORT_RIGHT_PORT_SET`.
    PortSet,
    /// `MACH_PORT_RIGHT_DEAD_NAME`.
    DeadName,
}

impl RightKind {
    /// The `mach_port_right_t` value.
    pub const fn raw(self) -> mach_port_right_t {
        match self {
            RightKind::Send => MACH_PORT_RIGHT_SEND,
            RightKind::Receive => MACH_PORT_RIGHT_RECEIVE,
            RightKind::SendOnce => MACH_PORT_RIGHT_SEND_ONCE,
            RightKind::PortSet => MACH_PORT_RIGHT_PORT_SET,
            RightKind::DeadName => MACH_PORT_RIGHT_DEAD_NAME,
        }
    }

    /// Its bit in a [`PortType`] (`MACH_PORT_TYPE(right)`).
    pub const fn type_bit(self) -> mach_port_type_t {
        MACH_PORT_TYPE(self.raw())
    }
}

/// What a name denotes (`mach_port_type_t`): the rights under it and the
/// request bits.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PortType(pub mach_port_type_t);

impl PortType {
    /// Whether the name holds a right of this kind.
    pub const fn has(self, kind: RightKind) -> bool {
        self.0 & kind.type_bit() != 0
    }

    /// Whether a dead-name request is registered (`MACH_PORT_TYPE_DNREQUEST`).
    pub const fn has_dead_name_request(self) -> bool {
        self.0 & MACH_PORT_TYPE_DNREQUEST != 0
    }

    /// The rights only, without the request bits.
    pub const fn rights(self) -> PortType {
        PortType(self.0 & MACH_PORT_TYPE_ALL_RIGHTS)
    }
}

impl fmt::Debug for PortType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        for (k, n) in [
            (RightKind::Send, "send"),
            (RightKind::Receive, "receive"),
            (RightKind::SendOnce, "send-once"),
            (RightKind::PortSet, "port-set"),
            (RightKind::DeadName, "dead-name"),
        ] {
            if self.has(k) {
                parts.push(n);
            }
        }
        if self.has_dead_name_request() {
            parts.push("dnrequest");
        }
        write!(f, "PortType({})", parts.join(" | "))
    }
}

/// What our space holds under `name` (`mach_port_type`).
pub fn port_type(name: Name) -> Result<PortType> {
    let mut t = 0;
    // SAFETY: a valid out pointer.
    KernReturn::result(unsafe { sys::mach_port::mach_port_type(task_self(), name, &mut t) })?;
    Ok(PortType(t))
}

/// The user references of the `kind` right under `name` in our space
/// (`mach_port_get_refs`; 0 if the name holds no such right).
pub fn port_refs(name: Name, kind: RightKind) -> Result<u32> {
    let mut refs = 0;
    // SAFETY: a valid out pointer.
    KernReturn::result(unsafe {
        sys::mach_port::mach_port_get_refs(task_self(), name, kind.raw(), &mut refs)
    })?;
    Ok(refs)
}

pub(crate) fn mod_refs(name: Name, kind: RightKind, delta: i32) -> Result<()> {
    // SAFETY: a plain call on names.
    KernReturn::result(unsafe {
        sys::mach_port::mach_port_mod_refs(task_self(), name, kind.raw(), delta)
    })
}

fn deallocate(name: Name) {
    // SAFETY: a plain call on a name whose uref the caller owns. An error
    // (the name is already gone) leaves nothing to release.
    unsafe { sys::mach_port::mach_port_deallocate(task_self(), name) };
}

fn allocate(kind: RightKind) -> Result<Name> {
    let mut name = MACH_PORT_NULL;
    // SAFETY: a valid out pointer.
    KernReturn::result(unsafe {
        sys::mach_port::mach_port_allocate(task_self(), kind.raw(), &mut name)
    })?;
    Ok(name)
}

macro_rules! owned_name {
    ($ty:ident, $what:literal) => {
        impl $ty {
            /// The name of the right in our space.
            pub fn name(&self) -> Name {
                self.name
            }

            #[doc = concat!("Takes over ", $what, " our space holds under `name`.")]
            ///
            /// # Safety
            ///
            /// The caller owns that right (one user reference of it) and
            /// gives it up to the returned value, which releases it when
            /// dropped: no other value or code may release it.
            pub unsafe fn from_raw(name: Name) -> $ty {
                $ty { name }
            }

            /// Gives up ownership: the right stays in our space and the
            /// caller becomes responsible for releasing it.
            pub fn into_raw(self) -> Name {
                ManuallyDrop::new(self).name
            }
        }

        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:#x})", stringify!($ty), self.name)
            }
        }
    };
}

/// A receive right: the port's messages come here. Dropping it destroys
/// the port (`mach_port_mod_refs(MACH_PORT_RIGHT_RECEIVE, -1)`): queued
/// messages are destroyed and every send right to it becomes a dead name.
///
/// ```no_run
/// use machipc::ReceiveRight;
/// let port = ReceiveRight::new()?;
/// let send = port.make_send()?;
/// assert_eq!(send.name(), port.name()); // one port, one name in a space
/// # Ok::<(), machipc::KernReturn>(())
/// ```
pub struct ReceiveRight {
    name: Name,
}

owned_name!(ReceiveRight, "the receive right");

impl ReceiveRight {
    /// A new port (`mach_port_allocate(MACH_PORT_RIGHT_RECEIVE)`).
    pub fn new() -> Result<ReceiveRight> {
        Ok(ReceiveRight {
            name: allocate(RightKind::Receive)?,
        })
    }

    /// A new port with a queue limit
    /// (`mach_port_construct` with `MPO_QLIMIT`).
    pub fn with_qlimit(qlimit: u32) -> Result<ReceiveRight> {
        let mut opts = mach_port_options_t {
            flags: MPO_QLIMIT,
            mpl: mach_port_limits_t { mpl_qlimit: qlimit },
            reserved: [0; 2],
        };
        let mut name = MACH_PORT_NULL;
        // SAFETY: valid pointers to an options struct and an out name.
        KernReturn::result(unsafe {
            sys::mach_port::mach_port_construct(task_self(), &mut opts, 0, &mut name)
        })?;
        Ok(ReceiveRight { name })
    }

    /// A send right to the port, under the same name (one more user
    /// reference; `mach_port_insert_right(MACH_MSG_TYPE_MAKE_SEND)`).
    pub fn make_send(&self) -> Result<SendRight> {
        // SAFETY: a plain call on names.
        KernReturn::result(unsafe {
            sys::mach_port::mach_port_insert_right(
                task_self(),
                self.name,
                self.name,
                MACH_MSG_TYPE_MAKE_SEND,
            )
        })?;
        Ok(SendRight { name: self.name })
    }

    /// A send-once right to the port, under a new name
    /// (`mach_port_extract_right(MACH_MSG_TYPE_MAKE_SEND_ONCE)`).
    pub fn make_send_once(&self) -> Result<SendOnceRight> {
        let (mut name, mut ty) = (MACH_PORT_NULL, 0);
        // SAFETY: valid out pointers.
        KernReturn::result(unsafe {
            sys::mach_port::mach_port_extract_right(
                task_self(),
                self.name,
                MACH_MSG_TYPE_MAKE_SEND_ONCE,
                &mut name,
                &mut ty,
            )
        })?;
        Ok(SendOnceRight { name })
    }

    /// The port's state (`mach_port_get_attributes(MACH_PORT_RECEIVE_STATUS)`).
    pub fn status(&self) -> Result<PortStatus> {
        let mut st = mach_port_status_t::default();
        let mut count = MACH_PORT_RECEIVE_STATUS_COUNT;
        // SAFETY: `st` has room for MACH_PORT_RECEIVE_STATUS_COUNT natural_t.
        KernReturn::result(unsafe {
            sys::mach_port::mach_port_get_attributes(
                task_self(),
                self.name,
                MACH_PORT_RECEIVE_STATUS,
                (&mut st as *mut mach_port_status_t).cast(),
                &mut count,
            )
        })?;
        Ok(PortStatus {
            port_sets: st.mps_pset,
            seqno: st.mps_seqno,
            mscount: st.mps_mscount,
            qlimit: st.mps_qlimit,
            msgcount: st.mps_msgcount,
            sorights: st.mps_sorights,
            has_senders: st.mps_srights != 0,
            port_destroyed_request: st.mps_pdrequest != 0,
            no_senders_request: st.mps_nsrequest != 0,
            flags: st.mps_flags,
        })
    }

    /// Sets the queue limit (`MACH_PORT_LIMITS_INFO`; at most
    /// `MACH_PORT_QLIMIT_MAX`).
    pub fn set_qlimit(&self, qlimit: u32) -> Result<()> {
        let mut l = mach_port_limits_t { mpl_qlimit: qlimit };
        // SAFETY: `l` is MACH_PORT_LIMITS_INFO_COUNT natural_t.
        KernReturn::result(unsafe {
            sys::mach_port::mach_port_set_attributes(
                task_self(),
                self.name,
                MACH_PORT_LIMITS_INFO,
                (&mut l as *mut mach_port_limits_t).cast(),
                MACH_PORT_LIMITS_INFO_COUNT,
            )
        })
    }

    /// Sets the make-send count (`mach_port_set_mscount`).
    pub fn set_mscount(&self, mscount: u32) -> Result<()> {
        // SAFETY: a plain call on a name.
        KernReturn::result(unsafe {
            sys::mach_port::mach_port_set_mscount(task_self(), self.name, mscount)
        })
    }

    /// Sets the sequence number of the next message (`mach_port_set_seqno`).
    pub fn set_seqno(&self, seqno: u32) -> Result<()> {
        // SAFETY: a plain call on a name.
        KernReturn::result(unsafe {
            sys::mach_port::mach_port_set_seqno(task_self(), self.name, seqno)
        })
    }

    /// The port's context value (`mach_port_get_context`), which received
    /// messages carry in their trailer.
    pub fn context(&self) -> Result<u64> {
        let mut c = 0;
        // SAFETY: a valid out pointer.
        KernReturn::result(unsafe {
            sys::mach_port::mach_port_get_context(task_self(), self.name, &mut c)
        })?;
        Ok(c)
    }

    /// Sets the port's context value (`mach_port_set_context`).
    pub fn set_context(&self, context: u64) -> Result<()> {
        // SAFETY: a plain call on a name.
        KernReturn::result(unsafe {
            sys::mach_port::mach_port_set_context(task_self(), self.name, context)
        })
    }
}

impl Drop for ReceiveRight {
    fn drop(&mut self) {
        // An error means the right is already gone: nothing to release.
        let _ = mod_refs(self.name, RightKind::Receive, -1);
    }
}

/// What `mach_port_get_attributes(MACH_PORT_RECEIVE_STATUS)` tells about a
/// port.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PortStatus {
    /// How many port sets it is in.
    pub port_sets: u32,
    /// The sequence number of the next message.
    pub seqno: u32,
    /// The make-send count.
    pub mscount: u32,
    /// The queue limit.
    pub qlimit: u32,
    /// Messages queued.
    pub msgcount: u32,
    /// Send-once rights to it in existence.
    pub sorights: u32,
    /// Whether send rights to it exist.
    pub has_senders: bool,
    /// Whether a port-destroyed notification is requested.
    pub port_destroyed_request: bool,
    /// Whether a no-senders notification is requested.
    pub no_senders_request: bool,
    /// `MACH_PORT_STATUS_FLAG_*`.
    pub flags: u32,
}

/// One user reference of a send right. Dropping it releases that
/// reference (`mach_port_deallocate`); if the port has died meanwhile, the
/// name has become a dead name and the reference is one of the dead name.
pub struct SendRight {
    name: Name,
}

owned_name!(SendRight, "one user reference of the send right");

impl SendRight {
    /// Another user reference of the same right, under the same name
    /// (`mach_port_mod_refs(MACH_PORT_RIGHT_SEND, +1)`).
    pub fn try_clone(&self) -> Result<SendRight> {
        mod_refs(self.name, RightKind::Send, 1)?;
        Ok(SendRight { name: self.name })
    }

    /// The user references of the send right under this name (all owners'
    /// together).
    pub fn urefs(&self) -> Result<u32> {
        port_refs(self.name, RightKind::Send)
    }

    /// Whether the port has died (the name is a dead name now).
    pub fn is_dead(&self) -> Result<bool> {
        Ok(port_type(self.name)?.has(RightKind::DeadName))
    }
}

impl Drop for SendRight {
    fn drop(&mut self) {
        deallocate(self.name);
    }
}

/// A send-once right: used up by the one message sent with it (see
/// [`Message::send_once`](crate::Message::send_once)). Dropping it unused
/// destroys it, which sends a send-once notification to its port.
pub struct SendOnceRight {
    name: Name,
}

owned_name!(SendOnceRight, "the send-once right");

impl Drop for SendOnceRight {
    fn drop(&mut self) {
        deallocate(self.name);
    }
}

/// A dead name: a name that denoted a send or send-once right to a port
/// that has died, with one user reference. Dropping it releases that
/// reference (`mach_port_mod_refs(MACH_PORT_RIGHT_DEAD_NAME, -1)`).
pub struct DeadName {
    name: Name,
}

owned_name!(DeadName, "one user reference of the dead name");

impl DeadName {
    /// A new dead name (`mach_port_allocate(MACH_PORT_RIGHT_DEAD_NAME)`),
    /// e.g. to reserve a name.
    pub fn new() -> Result<DeadName> {
        Ok(DeadName {
            name: allocate(RightKind::DeadName)?,
        })
    }
}

impl Drop for DeadName {
    fn drop(&mut self) {
        let _ = mod_refs(self.name, RightKind::DeadName, -1);
    }
}

/// A port set: receives the messages of its member ports. Dropping it
/// destroys the set (its members leave it; the ports live on).
pub struct PortSet {
    name: Name,
}

owned_name!(PortSet, "the port set");

impl PortSet {
    /// A new, empty port set (`mach_port_allocate(MACH_PORT_RIGHT_PORT_SET)`).
    pub fn new() -> Result<PortSet> {
        Ok(PortSet {
            name: allocate(RightKind::PortSet)?,
        })
    }

    /// Adds a port (`mach_port_insert_member`); a port may be in several
    /// sets. `KERN_ALREADY_IN_SET` if it is in this one.
    pub fn insert(&self, port: &ReceiveRight) -> Result<()> {
        // SAFETY: a plain call on names.
        KernReturn::result(unsafe {
            sys::mach_port::mach_port_insert_member(task_self(), port.name, self.name)
        })
    }

    /// Removes a port (`mach_port_extract_member`); `KERN_NOT_IN_SET` if it
    /// is not a member.
    pub fn remove(&self, port: &ReceiveRight) -> Result<()> {
        // SAFETY: a plain call on names.
        KernReturn::result(unsafe {
            sys::mach_port::mach_port_extract_member(task_self(), port.name, self.name)
        })
    }

    /// The names of the members (`mach_port_get_set_status`).
    pub fn members(&self) -> Result<Vec<Name>> {
        let mut arr: mach_port_name_array_t = std::ptr::null_mut();
        let mut n = 0;
        // SAFETY: valid out pointers; on success `arr` holds `n` names in
        // memory the caller must deallocate.
        KernReturn::result(unsafe {
            sys::mach_port::mach_port_get_set_status(task_self(), self.name, &mut arr, &mut n)
        })?;
        let names = if n == 0 || arr.is_null() {
            Vec::new()
        } else {
            // SAFETY: `arr` points to `n` names.
            unsafe { std::slice::from_raw_parts(arr, n as usize) }.to_vec()
        };
        if !arr.is_null() {
            // SAFETY: libmach allocated the array with vm_allocate.
            unsafe {
                sys::vm::vm_deallocate(
                    task_self(),
                    arr as usize,
                    n as usize * std::mem::size_of::<Name>(),
                )
            };
        }
        Ok(names)
    }
}

impl Drop for PortSet {
    fn drop(&mut self) {
        let _ = mod_refs(self.name, RightKind::PortSet, -1);
    }
}

/// A right that came in a message: what a port descriptor, the reply port
/// or an out-of-line ports array carried.
#[derive(Debug)]
pub enum PortRight {
    /// No right (`MACH_PORT_NULL`).
    Null,
    /// The right died in transit (`MACH_PORT_DEAD`): nothing is held.
    Dead,
    /// A receive right.
    Receive(ReceiveRight),
    /// A send right (one user reference).
    Send(SendRight),
    /// A send-once right.
    SendOnce(SendOnceRight),
}

impl PortRight {
    /// Takes ownership of what `name` holds as a right of received type
    /// `ty` (`MACH_MSG_TYPE_PORT_*`).
    ///
    /// # Safety
    ///
    /// The name must hold that right, owned by the caller (as the kernel
    /// copies a message's rights out to its receiver).
    pub(crate) unsafe fn from_received(name: Name, ty: mach_msg_type_name_t) -> PortRight {
        match name {
            MACH_PORT_NULL => PortRight::Null,
            MACH_PORT_DEAD => PortRight::Dead,
            _ => match ty {
                MACH_MSG_TYPE_PORT_RECEIVE => PortRight::Receive(ReceiveRight { name }),
                MACH_MSG_TYPE_PORT_SEND => PortRight::Send(SendRight { name }),
                MACH_MSG_TYPE_PORT_SEND_ONCE => PortRight::SendOnce(SendOnceRight { name }),
                // Not a right type: nothing to own.
                _ => PortRight::Null,
            },
        }
    }

    /// The name, if it holds a right.
    pub fn name(&self) -> Option<Name> {
        match self {
            PortRight::Null | PortRight::Dead => None,
            PortRight::Receive(r) => Some(r.name()),
            PortRight::Send(r) => Some(r.name()),
            PortRight::SendOnce(r) => Some(r.name()),
        }
    }

    /// The receive right, if it is one.
    pub fn into_receive(self) -> Option<ReceiveRight> {
        match self {
            PortRight::Receive(r) => Some(r),
            _ => None,
        }
    }

    /// The send right, if it is one.
    pub fn into_send(self) -> Option<SendRight> {
        match self {
            PortRight::Send(r) => Some(r),
            _ => None,
        }
    }

    /// The send-once right, if it is one.
    pub fn into_send_once(self) -> Option<SendOnceRight> {
        match self {
            PortRight::SendOnce(r) => Some(r),
            _ => None,
        }
    }
}

// Names are plain integers; the kernel serialises calls on one space.
const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<ReceiveRight>();
    send_sync::<SendRight>();
    send_sync::<SendOnceRight>();
    send_sync::<DeadName>();
    send_sync::<PortSet>();
};
