// SPDX-License-Identifier: GPL-2.0

//! Notifications: kernel-generated messages to registered send-once rights
//! (XNU `ipc_notify.c`, the `notify.defs` layouts).
//!
//! | id | notification | body |
//! |---|---|---|
//! | 65 | port-deleted | NDR, the name |
//! | 66 | send-possible | NDR, the name |
//! | 69 | port-destroyed | complex: one port descriptor with the receive right |
//! | 70 | no-senders | NDR, the make-send count |
//! | 71 | send-once | header only |
//! | 72 | dead-name | NDR, the name |
//!
//! Each is built where its event happens (locks held: it only allocates)
//! and queued on the outbox, which delivers it once no lock is held. A
//! notification that cannot be built for lack of memory is dropped, as
//! XNU's `ipc_notify_*` drop theirs: its send-once right goes away without
//! generating another notification, and `notifications_dropped_total`
//! counts it. One that cannot be queued is destroyed the same way.

use crate::{
    kmsg::{
        self, Desc, MsgBox, DESC_DISPOSITION, DESC_PORT, DESC_START, DESC_TYPE, HEADER_SIZE, NDR,
        NDR_SIZE, OFF_DESC_COUNT, PORT_DESC_SIZE,
    },
    limits::gfp_user,
    mach::*,
    outbox::Outbox,
    right::{MsgPort, Right},
    stats,
};

pub(crate) const PORT_DELETED: i32 = 65;
pub(crate) const SEND_POSSIBLE: i32 = 66;
pub(crate) const PORT_DESTROYED: i32 = 69;
pub(crate) const NO_SENDERS: i32 = 70;
pub(crate) const SEND_ONCE: i32 = 71;
pub(crate) const DEAD_NAME: i32 = 72;

/// Drops a send-once right without notifying anyone: the destination of a
/// kernel message that was not delivered (no lock needed: `sorights` is
/// atomic). The caller counts the dropped message, once.
pub(crate) fn drop_silently(r: Right) {
    let port = r.into_port();
    port.uncount_send_once();
}

/// A notification that cannot be made: its send-once right goes without
/// one, and it counts as dropped.
fn drop_unsent(to: Right) {
    drop_silently(to);
    stats::count(stats::Counter::NotificationsDroppedTotal);
}

/// A notification of `len` bytes to `to`, or `None` (dropped) without
/// memory.
fn build(to: Right, id: i32, len: usize) -> Option<MsgBox> {
    match kmsg::kernel_message(to, id, len) {
        Ok(m) => {
            stats::count(stats::Counter::NotificationsTotal);
            Some(m)
        }
        Err(to) => {
            drop_unsent(to);
            None
        }
    }
}

/// A notification with an NDR record and one 32-bit argument.
fn with_arg(to: Right, id: i32, arg: u32, out: &mut Outbox) {
    let Some(mut m) = build(to, id, HEADER_SIZE + NDR_SIZE + 4) else {
        return;
    };
    let b = kmsg::body(&mut m).bytes_mut();
    kmsg::copy_bytes(&mut b[HEADER_SIZE..], &NDR);
    kmsg::put_u32(b, HEADER_SIZE + NDR_SIZE, arg);
    out.deliver(m);
}

pub(crate) fn port_deleted(to: Right, name: u32, out: &mut Outbox) {
    with_arg(to, PORT_DELETED, name, out);
}

pub(crate) fn send_possible(to: Right, name: u32, out: &mut Outbox) {
    with_arg(to, SEND_POSSIBLE, name, out);
}

pub(crate) fn no_senders(to: Right, mscount: u32, out: &mut Outbox) {
    with_arg(to, NO_SENDERS, mscount, out);
}

pub(crate) fn dead_name(to: Right, name: u32, out: &mut Outbox) {
    with_arg(to, DEAD_NAME, name, out);
}

/// The send-once notification: `to` was destroyed unused.
pub(crate) fn send_once(to: Right, out: &mut Outbox) {
    if let Some(m) = build(to, SEND_ONCE, HEADER_SIZE) {
        out.deliver(m);
    }
}

/// The port-destroyed notification: `receive` (the receive right of a port
/// that would have died, now in limbo) travels to `to`. Without memory the
/// notification is dropped and the receive right handed back (the port
/// dies after all). If delivering it would be circular, the outbox
/// destroys it, and the port dies then.
pub(crate) fn port_destroyed(
    to: Right,
    receive: Right,
    out: &mut Outbox,
) -> core::result::Result<(), Right> {
    const LEN: usize = DESC_START + PORT_DESC_SIZE;
    let Some(mut m) = build(to, PORT_DESTROYED, LEN) else {
        return Err(receive);
    };
    let b = kmsg::body(&mut m);
    if b.descs.reserve(1, gfp_user()).is_err() {
        // Destroy the notification (its send-once right silently) and let
        // the port die.
        if let Some(to) = b.dest.take() {
            drop_unsent(to);
        }
        drop(m);
        return Err(receive);
    }
    b.hdr.bits |= MSGH_BITS_COMPLEX;
    let bytes = b.bytes_mut();
    kmsg::put_u32(bytes, OFF_DESC_COUNT, 1);
    bytes[DESC_START + DESC_DISPOSITION] = MSG_TYPE_PORT_RECEIVE as u8;
    bytes[DESC_START + DESC_TYPE] = DESC_PORT;
    let desc = Desc::Port {
        off: DESC_START as u32,
        port: MsgPort::Right(receive),
        ty: MSG_TYPE_PORT_RECEIVE as u8,
    };
    // Cannot fail: reserved above.
    let _ = b.descs.push_within_capacity(desc);
    b.carries_receive = true;
    out.deliver(m);
    Ok(())
}
