// SPDX-License-Identifier: GPL-2.0

//! Rights held by the kernel, and the outbox of deferred work.
//!
//! A [`Right`] is a receive, send or send-once right that no space names:
//! a right in flight between copyin and copyout, a special port, a
//! notification request. It is counted in its port's `srights` /
//! `sorights` while it exists, and must be consumed explicitly -- copied
//! out into a space or released through an [`Outbox`]. Dropping one any
//! other way is a bug, reported with a `WARN`.
//!
//! An [`Outbox`] collects what an operation must do once all its locks are
//! dropped: rights to release (which may destroy ports and release further
//! rights) and tasks to drop. `flush` works through them with a work list,
//! never by recursion, however long the chain.

use kernel::{alloc::kvec::PushError, prelude::*, sync::Arc};

use crate::{kmsg::KMsg, notify, port::Port, task::Task};

/// The kind of a kernel-held right.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum RightKind {
    Receive,
    Send,
    SendOnce,
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

    pub(crate) fn send(port: Arc<Port>) -> Right {
        Self::new(port, RightKind::Send)
    }

    pub(crate) fn kind(&self) -> RightKind {
        self.kind
    }

    pub(crate) fn port(&self) -> &Arc<Port> {
        // INVARIANT: `port` is `Some` until the right is consumed by value.
        self.port.as_ref().expect("consumed right")
    }

    /// The message type of the right after copyin (`MACH_MSG_TYPE_PORT_*`).
    pub(crate) fn msg_type(&self) -> u32 {
        match self.kind {
            RightKind::Receive => crate::mach::MSG_TYPE_PORT_RECEIVE,
            RightKind::Send => crate::mach::MSG_TYPE_PORT_SEND,
            RightKind::SendOnce => crate::mach::MSG_TYPE_PORT_SEND_ONCE,
        }
    }

    /// Consumes the right, handing its port reference to the caller, who
    /// takes over its accounting (e.g. an entry now holds it).
    pub(crate) fn into_port(mut self) -> Arc<Port> {
        self.port.take().expect("consumed right")
    }

    /// Another send right to the same port (`ipc_port_copy_send`); `None`
    /// if the port is dead. Only for send rights.
    pub(crate) fn copy_send(&self) -> Option<Right> {
        let port = self.port();
        let mut inner = port.inner.lock();
        if !inner.active {
            return None;
        }
        inner.srights += 1;
        drop(inner);
        Some(Right::send(port.clone()))
    }

    /// Releases the right now. Must be called with no lock held; anything
    /// it triggers is done before it returns.
    pub(crate) fn release(self) {
        let mut out = Outbox::new();
        out.release(self);
        out.flush();
    }

    /// Releases one right, pushing further work onto `out`.
    fn release_into(self, out: &mut Outbox) {
        let kind = self.kind;
        let port = self.into_port();
        let mut inner = port.inner.lock();
        match kind {
            RightKind::Send => {
                inner.srights -= 1;
                if inner.srights == 0 && inner.active {
                    // No senders left: the no-senders request fires.
                    if let Some(nsr) = inner.nsrequest.take() {
                        out.no_senders(nsr, inner.mscount);
                    }
                }
            }
            RightKind::SendOnce => {
                // A send-once right destroyed unused: its port gets a
                // send-once notification (carried by the right itself),
                // unless it is dead.
                if inner.active {
                    drop(inner);
                    notify::send_once(Right::new(port, RightKind::SendOnce), out);
                    return;
                }
                inner.sorights -= 1;
            }
            RightKind::Receive => inner.destroy(&port, out),
        }
    }
}

impl Right {
    /// See [`Outbox::consume`].
    fn consume_into(self, out: &mut Outbox) {
        if self.kind == RightKind::SendOnce {
            let port = self.into_port();
            port.inner.lock().sorights -= 1;
            return;
        }
        self.release_into(out);
    }
}

impl Drop for Right {
    fn drop(&mut self) {
        // A right must be consumed by `release` or `into_port`.
        kernel::warn_on!(self.port.is_some());
    }
}

/// A right as copied in: a live right, or a dead name (`MACH_PORT_DEAD`).
pub(crate) enum CopiedRight {
    Dead,
    Right(Right),
}

impl CopiedRight {
    pub(crate) fn release(self) {
        if let CopiedRight::Right(r) = self {
            r.release();
        }
    }
}

/// A notification to send.
enum Notification {
    PortDeleted(u32),
    NoSenders(u32),
    DeadName(u32),
    SendPossible(u32),
    PortDestroyed(Right),
}

enum Deferred {
    Notify(Right, Notification),
    Release(Right),
    DropTask(Arc<Task>),
    DropPort(Arc<Port>),
    DestroyMsg(KBox<KMsg>),
}

/// Work deferred until every lock is dropped. See the module documentation.
pub(crate) struct Outbox {
    work: KVec<Deferred>,
}

impl Outbox {
    pub(crate) fn new() -> Outbox {
        Outbox { work: KVec::new() }
    }

    fn push(&mut self, d: Deferred) {
        // Work must not be lost: retry like __GFP_NOFAIL would, sleeping
        // between attempts. A small GFP_KERNEL allocation reclaims rather
        // than fail, and never runs under a spinlock here (all our locks
        // are mutexes).
        while self.work.reserve(1, GFP_KERNEL).is_err() {
            kernel::time::delay::fsleep(kernel::time::Delta::from_millis(1));
        }
        if let Err(PushError(d)) = self.work.push_within_capacity(d) {
            // Unreachable: capacity was reserved just above.
            self.work_now(d);
        }
    }

    fn work_now(&mut self, d: Deferred) {
        match d {
            Deferred::Notify(to, n) => match n {
                Notification::PortDeleted(name) => notify::port_deleted(to, name, self),
                Notification::NoSenders(mscount) => notify::no_senders(to, mscount, self),
                Notification::DeadName(name) => notify::dead_name(to, name, self),
                Notification::SendPossible(name) => notify::send_possible(to, name, self),
                Notification::PortDestroyed(r) => notify::port_destroyed(to, r, self),
            },
            Deferred::Release(r) => r.release_into(self),
            Deferred::DropTask(t) => drop(t),
            Deferred::DropPort(p) => drop(p),
            Deferred::DestroyMsg(m) => KBox::into_inner(m).release_into(self),
        }
    }

    /// Releases `right` later.
    pub(crate) fn release(&mut self, right: Right) {
        self.push(Deferred::Release(right));
    }

    /// The port-deleted notification for `name` goes to `notify`.
    pub(crate) fn port_deleted(&mut self, notify: Right, name: u32) {
        self.push(Deferred::Notify(notify, Notification::PortDeleted(name)));
    }

    /// The no-senders notification (with `mscount`) goes to `notify`.
    pub(crate) fn no_senders(&mut self, notify: Right, mscount: u32) {
        self.push(Deferred::Notify(notify, Notification::NoSenders(mscount)));
    }

    /// The dead-name notification for `name` goes to `notify`.
    pub(crate) fn dead_name(&mut self, notify: Right, name: u32) {
        self.push(Deferred::Notify(notify, Notification::DeadName(name)));
    }

    /// The send-possible notification for `name` goes to `notify`.
    pub(crate) fn send_possible(&mut self, notify: Right, name: u32) {
        self.push(Deferred::Notify(notify, Notification::SendPossible(name)));
    }

    /// The port-destroyed notification carries `receive` to `notify`.
    pub(crate) fn port_destroyed(&mut self, notify: Right, receive: Right) {
        self.push(Deferred::Notify(
            notify,
            Notification::PortDestroyed(receive),
        ));
    }

    /// Consumes a destination right whose message was delivered: a send
    /// right is released; a send-once right is used (no notification).
    /// Done now (only the port's lock is taken, which the caller must not
    /// hold); just a no-senders notification it may trigger is deferred.
    pub(crate) fn consume(&mut self, right: Right) {
        right.consume_into(self);
    }

    /// Destroys a message: every right it carries is released.
    pub(crate) fn destroy_msg(&mut self, msg: KBox<KMsg>) {
        self.push(Deferred::DestroyMsg(msg));
    }

    /// Drops a port reference later.
    pub(crate) fn drop_port(&mut self, port: Arc<Port>) {
        self.push(Deferred::DropPort(port));
    }

    /// Drops a task reference later (the last one frees the task).
    pub(crate) fn drop_task(&mut self, task: Arc<Task>) {
        self.push(Deferred::DropTask(task));
    }

    /// Does all the deferred work, and the work that work creates.
    pub(crate) fn flush(&mut self) {
        while let Some(d) = self.work.pop() {
            self.work_now(d);
        }
    }
}

impl Drop for Outbox {
    fn drop(&mut self) {
        self.flush();
    }
}
