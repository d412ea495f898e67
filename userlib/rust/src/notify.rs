//! Notifications as typed values, and requesting them.

use crate::error::{KernReturn, Result};
use crate::message::{Descriptor, ReceivedMessage};
use crate::right::{task_self, DeadName, Name, PortRight, ReceiveRight, SendOnceRight, SendRight};
use crate::sys;
use crate::sys::message::*;
use crate::sys::notify::*;
use crate::sys::port::MACH_PORT_NULL;

/// A notification from the kernel, with what it hands over.
#[derive(Debug)]
pub enum Notification {
    /// `MACH_NOTIFY_PORT_DELETED`: a send or send-once right under `name`
    /// that had a dead-name request was deleted (the name may be reused).
    PortDeleted {
        /// The name the right had.
        name: Name,
    },
    /// `MACH_NOTIFY_SEND_POSSIBLE`: the queue of the port of the send right
    /// under `name` has room again.
    SendPossible {
        /// The send right's name.
        name: Name,
    },
    /// `MACH_NOTIFY_PORT_DESTROYED`: a receive right with a port-destroyed
    /// request was destroyed; the port survives, its receive right is here.
    PortDestroyed {
        /// The port's receive right, now ours.
        right: ReceiveRight,
    },
    /// `MACH_NOTIFY_NO_SENDERS`: the port has no send rights left.
    NoSenders {
        /// The port's make-send count when it happened.
        mscount: u32,
    },
    /// `MACH_NOTIFY_SEND_ONCE`: a send-once right to the port was destroyed
    /// unused.
    SendOnce,
    /// `MACH_NOTIFY_DEAD_NAME`: the port of a right we hold under a name
    /// died; the name is a dead name. The notification carries one user
    /// reference of it, released when `name` is dropped.
    DeadName {
        /// The dead name, with the reference the notification carries.
        name: DeadName,
    },
}

/// The kinds of notifications one can request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotificationKind {
    /// `MACH_NOTIFY_PORT_DESTROYED` (on a receive right).
    PortDestroyed,
    /// `MACH_NOTIFY_NO_SENDERS` (on a receive right).
    NoSenders,
    /// `MACH_NOTIFY_DEAD_NAME` (on a send or send-once right).
    DeadName,
    /// `MACH_NOTIFY_SEND_POSSIBLE` (on a send right).
    SendPossible,
}

impl NotificationKind {
    fn id(self) -> i32 {
        match self {
            NotificationKind::PortDestroyed => MACH_NOTIFY_PORT_DESTROYED,
            NotificationKind::NoSenders => MACH_NOTIFY_NO_SENDERS,
            NotificationKind::DeadName => MACH_NOTIFY_DEAD_NAME,
            NotificationKind::SendPossible => MACH_NOTIFY_SEND_POSSIBLE,
        }
    }
}

/// `mach_port_request_notification` on our space: asks for a `kind`
/// notification about `name`, to be sent through a send-once right made
/// from `notify` (`None` cancels the request). `sync` is the make-send
/// count for no-senders, and for dead-name and send-possible requests
/// whether to fire at once if it already holds. Returns the right of the
/// request it replaced, if any. Prefer the methods on the rights.
pub fn request_notification(
    name: Name,
    kind: NotificationKind,
    sync: u32,
    notify: Option<&ReceiveRight>,
) -> Result<Option<SendOnceRight>> {
    let (n, poly) = match notify {
        Some(p) => (p.name(), MACH_MSG_TYPE_MAKE_SEND_ONCE),
        None => (MACH_PORT_NULL, MACH_MSG_TYPE_MOVE_SEND_ONCE),
    };
    let mut previous = MACH_PORT_NULL;
    // SAFETY: a valid out pointer.
    KernReturn::result(unsafe {
        sys::mach_port::mach_port_request_notification(
            task_self(),
            name,
            kind.id(),
            sync,
            n,
            poly,
            &mut previous,
        )
    })?;
    Ok(match previous {
        MACH_PORT_NULL | sys::port::MACH_PORT_DEAD => None,
        // SAFETY: the kernel copied the previous send-once right out to us.
        p => Some(unsafe { SendOnceRight::from_raw(p) }),
    })
}

impl ReceiveRight {
    /// Asks for a no-senders notification to `notify` once the port has no
    /// send rights and its make-send count is at least `mscount` (at once
    /// if that already holds).
    pub fn request_no_senders(
        &self,
        mscount: u32,
        notify: &ReceiveRight,
    ) -> Result<Option<SendOnceRight>> {
        request_notification(
            self.name(),
            NotificationKind::NoSenders,
            mscount,
            Some(notify),
        )
    }

    /// Asks for a port-destroyed notification to `notify`: when this receive
    /// right is destroyed, the port survives and its receive right goes to
    /// `notify` in the notification.
    pub fn request_port_destroyed(&self, notify: &ReceiveRight) -> Result<Option<SendOnceRight>> {
        request_notification(
            self.name(),
            NotificationKind::PortDestroyed,
            0,
            Some(notify),
        )
    }
}

impl SendRight {
    /// Asks for a dead-name notification to `notify` when the port dies.
    pub fn request_dead_name(&self, notify: &ReceiveRight) -> Result<Option<SendOnceRight>> {
        request_notification(self.name(), NotificationKind::DeadName, 0, Some(notify))
    }

    /// Asks for a send-possible notification to `notify` when the port's
    /// queue has room. With `sync` it comes at once if there is room now;
    /// otherwise, as in XNU, only after a send with
    /// [`Message::arm_send_possible`](crate::Message::arm_send_possible)
    /// found the queue full.
    pub fn request_send_possible(
        &self,
        sync: bool,
        notify: &ReceiveRight,
    ) -> Result<Option<SendOnceRight>> {
        request_notification(
            self.name(),
            NotificationKind::SendPossible,
            u32::from(sync),
            Some(notify),
        )
    }
}

impl SendOnceRight {
    /// Asks for a dead-name notification to `notify` when the port dies.
    pub fn request_dead_name(&self, notify: &ReceiveRight) -> Result<Option<SendOnceRight>> {
        request_notification(self.name(), NotificationKind::DeadName, 0, Some(notify))
    }
}

/// The name a notification of the NDR + name format carries.
fn ndr_name(msg: &ReceivedMessage) -> Option<Name> {
    let d = msg.data();
    (msg.size() == 36 && d.len() == 12).then(|| u32::from_ne_bytes(d[8..12].try_into().unwrap()))
}

impl Notification {
    /// The notification `msg` is, if the kernel sent it and it has the
    /// format of its id; otherwise the message back, untouched. A message
    /// from a process never passes for a notification, whatever its id and
    /// content: forged ones cannot make us take over rights.
    pub fn from_message(
        mut msg: ReceivedMessage,
    ) -> std::result::Result<Notification, ReceivedMessage> {
        if !msg.is_from_kernel() {
            return Err(msg);
        }
        let complex = MACH_MSGH_BITS_IS_COMPLEX(msg.bits());
        let n = match msg.id() {
            MACH_NOTIFY_PORT_DELETED if !complex => {
                ndr_name(&msg).map(|name| Notification::PortDeleted { name })
            }
            MACH_NOTIFY_SEND_POSSIBLE if !complex => {
                ndr_name(&msg).map(|name| Notification::SendPossible { name })
            }
            MACH_NOTIFY_NO_SENDERS if !complex => {
                ndr_name(&msg).map(|mscount| Notification::NoSenders { mscount })
            }
            MACH_NOTIFY_SEND_ONCE if !complex && msg.size() == 24 => Some(Notification::SendOnce),
            MACH_NOTIFY_DEAD_NAME if !complex => {
                ndr_name(&msg).map(|name| Notification::DeadName {
                    // SAFETY: a genuine dead-name notification carries one user
                    // reference of the dead name.
                    name: unsafe { DeadName::from_raw(name) },
                })
            }
            MACH_NOTIFY_PORT_DESTROYED
                if complex
                    && msg.size() == 40
                    && matches!(msg.descriptors(), [Descriptor::Port(PortRight::Receive(_))]) =>
            {
                match msg.take_descriptors().pop() {
                    Some(Descriptor::Port(PortRight::Receive(right))) => {
                        Some(Notification::PortDestroyed { right })
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        n.ok_or(msg)
    }
}

impl ReceivedMessage {
    /// [`Notification::from_message`].
    pub fn into_notification(self) -> std::result::Result<Notification, ReceivedMessage> {
        Notification::from_message(self)
    }
}
