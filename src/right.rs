// SPDX-License-Identifier: GPL-2.0

//! Rights held by the kernel: the type, not what releasing one does (that
//! is [`crate::ipc_object`]).
//!
//! A [`Right`] is a receive, send or send-once right that no space names:
//! in flight in a message, a special port, a notification request. It is
//! counted in its port (`srights` / `sorights`; a receive right is the
//! port's receiver) for as long as it exists, and is consumed explicitly:
//! copied out into a space, released (`ipc_object::release`), or used up
//! by a delivered message (`Right::into_port` after the count is taken).
//! Dropping one otherwise leaves the port's count one too high; debug
//! builds warn, so the tests catch it.
//!
//! A right in a message may also be `MACH_PORT_NULL` or `MACH_PORT_DEAD`:
//! that is a [`MsgPort`].

use kernel::sync::Arc;

use crate::{mach::*, port::Port};

/// The kind of a kernel-held right.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum RightKind {
    Receive,
    Send,
    SendOnce,
}

impl RightKind {
    /// `MACH_MSG_TYPE_PORT_*` of the kind.
    pub(crate) const fn msg_type(self) -> u32 {
        match self {
            RightKind::Receive => MSG_TYPE_PORT_RECEIVE,
            RightKind::Send => MSG_TYPE_PORT_SEND,
            RightKind::SendOnce => MSG_TYPE_PORT_SEND_ONCE,
        }
    }
}

/// A right held by the kernel. See the module documentation.
pub(crate) struct Right {
    port: Option<Arc<Port>>,
    kind: RightKind,
}

impl Right {
    /// Wraps a right the caller has already counted in the port.
    pub(crate) fn new(port: Arc<Port>, kind: RightKind) -> Right {
        Right {
            port: Some(port),
            kind,
        }
    }

    pub(crate) fn kind(&self) -> RightKind {
        self.kind
    }

    pub(crate) fn port(&self) -> &Arc<Port> {
        // INVARIANT: `port` is `Some` until the right is consumed by value.
        match &self.port {
            Some(p) => p,
            None => unreachable!(),
        }
    }

    /// Consumes the right, handing its port reference to the caller, who
    /// has taken over its count (an entry now holds it, or the count was
    /// taken away).
    pub(crate) fn into_port(mut self) -> Arc<Port> {
        match self.port.take() {
            Some(p) => p,
            None => unreachable!(),
        }
    }
}

impl Drop for Right {
    fn drop(&mut self) {
        // A right must be consumed by `into_port`; see the module docs.
        #[cfg(CONFIG_RUST_DEBUG_ASSERTIONS)]
        kernel::warn_on!(self.port.is_some());
    }
}

/// A port in a message: a right, `MACH_PORT_NULL` or `MACH_PORT_DEAD`.
pub(crate) enum MsgPort {
    Null,
    Dead,
    Right(Right),
}

impl MsgPort {
    /// Takes the right out, leaving `Null`.
    pub(crate) fn take_right(&mut self) -> Option<Right> {
        match core::mem::replace(self, MsgPort::Null) {
            MsgPort::Right(r) => Some(r),
            other => {
                *self = other;
                None
            }
        }
    }

    pub(crate) fn has_right(&self) -> bool {
        matches!(self, MsgPort::Right(_))
    }

    /// A copy for another holder (`ipc_port_copy_send`): a dead port gives
    /// `MACH_PORT_DEAD`.
    pub(crate) fn copy(&self) -> MsgPort {
        match self {
            MsgPort::Null => MsgPort::Null,
            MsgPort::Dead => MsgPort::Dead,
            MsgPort::Right(r) => r.port().copy_send().map_or(MsgPort::Dead, MsgPort::Right),
        }
    }
}
