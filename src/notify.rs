// SPDX-License-Identifier: GPL-2.0

//! Notifications: kernel-generated messages to registered send-once rights
//! (XNU `ipc_notify.c`).
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
//! Each goes to its send-once right (remote disposition send-once, no local
//! port) and is sent from an [`Outbox`] flush, with no lock held: the
//! notify port may live in the very space the event happened in.

use kernel::{alloc::KVVec, prelude::*, sync::Arc};

use crate::{
    kmsg::*,
    mach::*,
    mach_msg::deliver,
    port::{Port, TRANSIT},
    right::{CopiedRight, Outbox, Right},
};

pub(crate) const PORT_DELETED: i32 = 65;
pub(crate) const SEND_POSSIBLE: i32 = 66;
pub(crate) const PORT_DESTROYED: i32 = 69;
pub(crate) const NO_SENDERS: i32 = 70;
pub(crate) const SEND_ONCE: i32 = 71;
pub(crate) const DEAD_NAME: i32 = 72;

/// `NDR_record` of this machine (little-endian, ASCII, IEEE float).
pub(crate) const NDR: [u8; 8] = [0, 0, 0, 0, 1, 0, 0, 0];

/// A notification's bytes: header, then NDR and `arg` if there is one.
fn bytes(id: i32, bits: u32, size: usize, arg: Option<u32>) -> Result<KVVec<u8>> {
    let mut d = KVVec::new();
    d.resize(size, 0, GFP_KERNEL)?;
    put_u32(&mut d, OFF_BITS, bits);
    put_u32(&mut d, OFF_SIZE, size as u32);
    put_u32(&mut d, OFF_ID, id as u32);
    if let Some(v) = arg {
        copy_bytes(&mut d[HEADER_SIZE..], &NDR);
        put_u32(&mut d, HEADER_SIZE + 8, v);
    }
    Ok(d)
}

/// Sends `data` to the send-once right `to`; on any failure the right (and
/// `descs`) are released instead.
fn send(data: Result<KVVec<u8>>, to: Right, descs: KVec<Desc>, out: &mut Outbox) {
    let Ok(data) = data else {
        out.consume(to);
        release_descs(descs, out);
        return;
    };
    let Ok(slot) = KBox::<KMsg>::new_uninit(GFP_KERNEL) else {
        out.consume(to);
        release_descs(descs, out);
        return;
    };
    let msg = KBox::write(
        slot,
        KMsg {
            data,
            dest: Some(to),
            dest_type: MSG_TYPE_PORT_SEND_ONCE,
            reply: None,
            reply_type: 0,
            descs,
            sender: Sender::default(),
            seqno: 0,
            context: 0,
        },
    );
    // A send-once destination never waits for room.
    if let Err((_, msg)) = deliver(msg, MACH_SEND_TIMEOUT, 0, out) {
        out.destroy_msg(msg);
    }
}

fn release_descs(descs: KVec<Desc>, out: &mut Outbox) {
    for d in descs {
        d.release(out);
    }
}

/// A notification with an NDR record and one 32-bit argument.
fn send_with_arg(id: i32, to: Right, arg: u32, out: &mut Outbox) {
    let data = bytes(id, MSG_TYPE_PORT_SEND_ONCE, HEADER_SIZE + 12, Some(arg));
    send(data, to, KVec::new(), out);
}

pub(crate) fn port_deleted(to: Right, name: u32, out: &mut Outbox) {
    send_with_arg(PORT_DELETED, to, name, out);
}

pub(crate) fn send_possible(to: Right, name: u32, out: &mut Outbox) {
    send_with_arg(SEND_POSSIBLE, to, name, out);
}

pub(crate) fn no_senders(to: Right, mscount: u32, out: &mut Outbox) {
    send_with_arg(NO_SENDERS, to, mscount, out);
}

pub(crate) fn dead_name(to: Right, name: u32, out: &mut Outbox) {
    send_with_arg(DEAD_NAME, to, name, out);
}

/// The send-once notification: `to` was destroyed unused.
pub(crate) fn send_once(to: Right, out: &mut Outbox) {
    let data = bytes(SEND_ONCE, MSG_TYPE_PORT_SEND_ONCE, HEADER_SIZE, None);
    send(data, to, KVec::new(), out);
}

/// The port-destroyed notification: `receive` (the receive right of a port
/// that would have died, now in limbo) travels to `to`. If that is circular
/// (the notify port is the port itself, or in transit inside it), the port
/// dies after all.
pub(crate) fn port_destroyed(to: Right, receive: Right, out: &mut Outbox) {
    const SIZE: usize = DESC_START + 12;
    let port: Arc<Port> = receive.port().clone();
    {
        let _t = TRANSIT.lock();
        if crate::mach_msg::circular(&port, to.port()) {
            drop(_t);
            out.release(receive);
            out.release(to);
            return;
        }
        port.inner.lock().transit = Some(to.port().clone());
    }
    let data = bytes(
        PORT_DESTROYED,
        MSG_TYPE_PORT_SEND_ONCE | MSGH_BITS_COMPLEX,
        SIZE,
        None,
    )
    .map(|mut d| {
        put_u32(&mut d, OFF_DESC_COUNT, 1);
        d[DESC_START + 10] = MSG_TYPE_PORT_RECEIVE as u8;
        d[DESC_START + 11] = DESC_PORT;
        d
    });
    let mut descs = KVec::new();
    if descs.reserve(1, GFP_KERNEL).is_err() {
        // No memory for the notification: the port dies after all.
        out.release(receive);
        out.release(to);
        return;
    }
    let desc = Desc::Port {
        off: DESC_START,
        right: Some(CopiedRight::Right(receive)),
        ty: MSG_TYPE_PORT_RECEIVE,
    };
    if let Err(e) = descs.push_within_capacity(desc) {
        // Unreachable: reserved above.
        e.0.release(out);
    }
    send(data, to, descs, out);
}
