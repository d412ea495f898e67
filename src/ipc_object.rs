// SPDX-License-Identifier: GPL-2.0

//! Moving rights between a space and the kernel (XNU `ipc_object.c`, and
//! the copyin/copyout halves of `ipc_right.c`): copyin takes a right out of
//! an entry with a disposition, copyout puts a kernel-held right into an
//! entry, release destroys a kernel-held right.
//!
//! Copyin and copyout run with the space lock held; release with no lock
//! held (its consequences go into the [`Outbox`]).

use kernel::sync::Arc;

use crate::{
    ipc_right::{cancel_request, convert_if_dead, entry_port},
    mach::*,
    notify,
    outbox::Outbox,
    port::{self, Port, PortInner, Receiver},
    right::{MsgPort, Right, RightKind},
    space::{Object, SpaceInner},
};

/// The right an entry needs for copyin with disposition `msgt`.
fn needed(msgt: u32) -> KResult<u32> {
    Ok(match msgt {
        MSG_TYPE_MAKE_SEND | MSG_TYPE_MAKE_SEND_ONCE | MSG_TYPE_MOVE_RECEIVE => TYPE_RECEIVE,
        MSG_TYPE_COPY_SEND | MSG_TYPE_MOVE_SEND => TYPE_SEND,
        MSG_TYPE_MOVE_SEND_ONCE => TYPE_SEND_ONCE,
        _ => return Err(Kr::INVALID_VALUE),
    })
}

/// Checks that copyin of `msgt` from `name` would succeed, changing
/// nothing but the lazy dead-name conversion.
pub(crate) fn copyin_check(sp: &mut SpaceInner, name: u32, msgt: u32, deadok: bool) -> KResult {
    convert_if_dead(sp, name);
    let e = sp.lookup(name)?;
    let need = needed(msgt)?;
    if e.ty & need != 0 || (deadok && need != TYPE_RECEIVE && e.ty & TYPE_DEAD_NAME != 0) {
        Ok(())
    } else {
        Err(Kr::INVALID_RIGHT)
    }
}

/// `ipc_right_copyin`: takes a right out of the space with disposition
/// `msgt` (`MACH_MSG_TYPE_MOVE_RECEIVE` ... `MAKE_SEND_ONCE`). With
/// `deadok`, a dead name gives [`MsgPort::Dead`] (a MOVE consumes one of
/// its urefs). Every failure is `KERN_INVALID_RIGHT` (bad disposition:
/// `KERN_INVALID_VALUE`) and changes nothing.
pub(crate) fn copyin(
    sp: &mut SpaceInner,
    name: u32,
    msgt: u32,
    deadok: bool,
    out: &mut Outbox,
) -> KResult<MsgPort> {
    copyin_check(sp, name, msgt, deadok)?;
    copyin_checked(sp, name, msgt, out)
}

/// [`copyin`] of a name that [`copyin_check`] accepted under the same
/// hold of the space lock, with nothing done to that name since (a
/// message header's rights are checked together, then copied in): the
/// check and its lookup of the port are not repeated.
pub(crate) fn copyin_checked(
    sp: &mut SpaceInner,
    name: u32,
    msgt: u32,
    out: &mut Outbox,
) -> KResult<MsgPort> {
    copyin_locked(sp, name, msgt, false, out).map(|r| r.unwrap_or(MsgPort::Dead))
}

/// Whether `name` holds the right copyin of `msgt` needs (a dead name does
/// not), without the lazy dead-name check: what [`copyin_if_live`] needs
/// first. Changes nothing.
pub(crate) fn has_right_for(sp: &mut SpaceInner, name: u32, msgt: u32) -> KResult {
    let e = sp.lookup(name)?;
    if e.ty & needed(msgt)? != 0 {
        Ok(())
    } else {
        Err(Kr::INVALID_RIGHT)
    }
}

/// [`copyin_checked`] of a name that [`has_right_for`] accepted, whose
/// port was not checked alive: the check is made under the port lock the
/// copyin takes anyway (the destination of a send is then locked once
/// less). `None`: the port is dead, and nothing was done -- the caller
/// goes the full way ([`copyin_check`], which converts the name).
pub(crate) fn copyin_if_live(
    sp: &mut SpaceInner,
    name: u32,
    msgt: u32,
    out: &mut Outbox,
) -> KResult<Option<MsgPort>> {
    copyin_locked(sp, name, msgt, true, out)
}

/// The copyin of [`copyin_checked`] and [`copyin_if_live`]; with `live`,
/// a dead port is `None` before anything changes.
fn copyin_locked(
    sp: &mut SpaceInner,
    name: u32,
    msgt: u32,
    live: bool,
    out: &mut Outbox,
) -> KResult<Option<MsgPort>> {
    let e = sp.lookup(name)?;
    if e.ty == TYPE_DEAD_NAME {
        if msgt != MSG_TYPE_COPY_SEND {
            if e.urefs == 1 {
                sp.free(name);
            } else {
                e.urefs -= 1;
            }
        }
        return Ok(Some(MsgPort::Dead));
    }
    if matches!(
        msgt,
        MSG_TYPE_MAKE_SEND | MSG_TYPE_MAKE_SEND_ONCE | MSG_TYPE_COPY_SEND
    ) {
        // The entry stays as it is: its port is borrowed, and the one
        // reference taken is the new right's.
        let port = e.port().ok_or(Kr::INVALID_RIGHT)?;
        let mut pi = port.inner.lock();
        if live && !pi.active {
            return Ok(None);
        }
        let right = match msgt {
            MSG_TYPE_MAKE_SEND => {
                pi.mscount = pi.mscount.wrapping_add(1);
                pi.count_send(1);
                Right::new(port.clone(), RightKind::Send)
            }
            MSG_TYPE_MAKE_SEND_ONCE => port.make_send_once_locked(),
            _ => {
                pi.count_send(1);
                Right::new(port.clone(), RightKind::Send)
            }
        };
        return Ok(Some(MsgPort::Right(right)));
    }
    let port = entry_port(e)?;
    let mut pi = port.inner.lock();
    if live && !pi.active && e.ty & TYPE_RECEIVE == 0 {
        return Ok(None);
    }
    let right = match msgt {
        MSG_TYPE_MOVE_RECEIVE => {
            let keeps_send = e.ty & TYPE_SEND != 0;
            if keeps_send {
                // The entry keeps its send right (and its reverse slot).
                e.ty &= !TYPE_RECEIVE;
            } else {
                cancel_request(&pi, e, name, out);
            }
            pi.clear_receiver(&mut out.wakes);
            drop(pi);
            if !keeps_send {
                sp.reverse_remove(name, &port);
                sp.free(name);
            }
            return Ok(Some(MsgPort::Right(Right::new(port, RightKind::Receive))));
        }
        MSG_TYPE_MOVE_SEND => {
            if e.urefs > 1 {
                e.urefs -= 1;
                pi.count_send(1);
            } else if e.ty & TYPE_RECEIVE != 0 {
                // The entry's send right itself moves; the receive stays.
                e.ty &= !TYPE_SEND;
                e.urefs = 0;
            } else {
                cancel_request(&pi, e, name, out);
                drop(pi);
                sp.reverse_remove(name, &port);
                sp.free(name);
                return Ok(Some(MsgPort::Right(Right::new(port, RightKind::Send))));
            }
            Right::new(port.clone(), RightKind::Send)
        }
        _ => {
            // MOVE_SEND_ONCE: the entry's right itself moves.
            cancel_request(&pi, e, name, out);
            drop(pi);
            sp.free(name);
            return Ok(Some(MsgPort::Right(Right::new(port, RightKind::SendOnce))));
        }
    };
    Ok(Some(MsgPort::Right(right)))
}

/// How a copyout lands in its entry.
enum Landing {
    /// A new entry.
    New,
    /// The entry already names the port's send right; one more uref.
    MoreUrefs,
    /// Urefs pegged at the maximum: the right is dropped.
    Pegged,
    /// The entry holds the port's receive (resp. send) right and gets the
    /// other one.
    Merge,
}

/// `ipc_object_copyout` / `ipc_object_copyout_name`: puts a right into the
/// space, under `want` if given, else under the name the space already has
/// for the port or a new one. In XNU's order for a chosen name: the name
/// is taken first (index 0 and a slot in use under another generation give
/// `KERN_FAILURE`), then the reverse map (`KERN_RIGHT_EXISTS`, not for
/// send-once rights), then name-in-use (`KERN_NAME_EXISTS`). A send right
/// whose urefs would overflow is dropped with `overflow` (urefs stay
/// pegged), else fails `KERN_UREFS_OVERFLOW`. A dead port gives
/// `KERN_INVALID_CAPABILITY`. On failure the right is handed back.
pub(crate) fn copyout(
    sp: &mut SpaceInner,
    right: Right,
    want: Option<u32>,
    overflow: bool,
) -> GiveBack<u32, Right> {
    match land(sp, &right, want, overflow) {
        Ok((name, how)) => {
            finish(sp, name, right, how);
            Ok(name)
        }
        Err(kr) => Err(Refused::new(kr, right)),
    }
}

/// Where and how `right` lands; allocates the entry of a new name.
fn land(
    sp: &mut SpaceInner,
    right: &Right,
    want: Option<u32>,
    overflow: bool,
) -> KResult<(u32, Landing)> {
    if !sp.active {
        return Err(Kr::INVALID_TASK);
    }
    let port = right.port();
    let kind = right.kind();
    let mut fresh = false;
    if let Some(n) = want {
        fresh = sp.alloc_name(n, 0)?;
    }
    let existing = match kind {
        RightKind::SendOnce => None,
        _ => sp.reverse_lookup(port),
    };
    let undo = |sp: &mut SpaceInner, fresh: bool, name: u32| {
        if fresh {
            sp.free(name);
        }
    };
    if let Some(old) = existing {
        if let Some(n) = want.filter(|&n| n != old) {
            undo(sp, fresh, n);
            return Err(Kr::RIGHT_EXISTS);
        }
        let e = sp.lookup(old)?;
        return match kind {
            RightKind::Send if e.ty & TYPE_SEND != 0 => {
                if e.urefs + 1 >= UREFS_MAX {
                    if overflow {
                        Ok((old, Landing::Pegged))
                    } else {
                        Err(Kr::UREFS_OVERFLOW)
                    }
                } else {
                    Ok((old, Landing::MoreUrefs))
                }
            }
            _ => Ok((old, Landing::Merge)),
        };
    }
    let name = match want {
        Some(_) if !fresh => return Err(Kr::NAME_EXISTS),
        Some(n) => n,
        None => sp.alloc(0)?,
    };
    if kind != RightKind::Receive && !port.is_active() {
        sp.free(name);
        return Err(Kr::INVALID_CAPABILITY);
    }
    Ok((name, Landing::New))
}

fn finish(sp: &mut SpaceInner, name: u32, right: Right, how: Landing) {
    let space = sp.id;
    let kind = right.kind();
    let port = right.into_port();
    let mut dest = None;
    if kind == RightKind::Receive {
        // Out of transit (if it was) and into this space.
        dest = port::leave_transit(&port);
        port.inner.lock().receiver = Receiver::Space { space, name };
    }
    match how {
        Landing::MoreUrefs | Landing::Pegged => {
            // The entry already counts one send right for all its urefs.
            let mut pi = port.inner.lock();
            pi.srights -= 1;
            crate::stats::add(crate::stats::Counter::SendRights, -1);
            drop(pi);
            if let (Landing::MoreUrefs, Ok(e)) = (how, sp.lookup(name)) {
                e.urefs += 1;
            }
        }
        Landing::Merge => {
            if let Ok(e) = sp.lookup(name) {
                if kind == RightKind::Send {
                    e.ty |= TYPE_SEND;
                    e.urefs = 1;
                } else {
                    e.ty |= TYPE_RECEIVE;
                }
            }
        }
        Landing::New => {
            let (ty, urefs) = match kind {
                RightKind::Receive => (TYPE_RECEIVE, 0),
                RightKind::Send => (TYPE_SEND, 1),
                RightKind::SendOnce => (TYPE_SEND_ONCE, 1),
            };
            let reversible = kind != RightKind::SendOnce;
            if let Ok(e) = sp.lookup_new(name) {
                e.ty = ty;
                e.urefs = urefs;
                e.object = Object::Port(port.clone());
            }
            if reversible {
                sp.reverse_insert(name, &port);
            }
        }
    }
    drop(dest);
}

/// `ipc_object_destroy`: releases a right the kernel holds, with no lock
/// held. A send right leaves `srights` (maybe firing no-senders); a
/// send-once right destroyed unused carries the send-once notification to
/// its own port (dropped if the port is dead); a receive right destroys
/// its port.
pub(crate) fn release(r: Right, out: &mut Outbox) {
    match r.kind() {
        RightKind::Send => {
            let port = r.into_port();
            port.inner.lock().uncount_send(out);
        }
        RightKind::SendOnce => notify::send_once(r, out),
        RightKind::Receive => {
            let port = r.into_port();
            let dest = port::leave_transit(&port);
            let remains = port.inner.lock().destroy(&port, out);
            drop(remains);
            drop(dest);
        }
    }
}

/// Releases the right of a message port, if it has one.
pub(crate) fn release_msgport(p: MsgPort, out: &mut Outbox) {
    if let MsgPort::Right(r) = p {
        release(r, out);
    }
}

/// The destination right of a message dequeued from its port (whose lock
/// `pi` is held) is used up: a send right leaves `srights` (maybe firing
/// no-senders), a send-once right just goes away.
pub(crate) fn consume_dest(r: Right, port: &Port, pi: &mut PortInner, out: &mut Outbox) {
    match r.kind() {
        RightKind::Send => pi.uncount_send(out),
        RightKind::SendOnce => port.uncount_send_once(),
        RightKind::Receive => {}
    }
    let _ = r.into_port();
}

/// The destination right of a message to a port other than the one whose
/// lock is held, used up (a kernel port's message was served).
pub(crate) fn consume_dest_unlocked(r: Right, out: &mut Outbox) {
    let port: Arc<Port> = r.port().clone();
    let mut pi = port.inner.lock();
    consume_dest(r, &port, &mut pi, out);
}
