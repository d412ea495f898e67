// SPDX-License-Identifier: GPL-2.0

//! Rights under a name: what the calls and messages do to an entry
//! (XNU `ipc_right.c`).
//!
//! Every function here runs with the space lock held (`&mut SpaceInner`)
//! and takes port locks one at a time inside it. Work that must wait for
//! the locks to be dropped -- releasing rights, destroying ports,
//! notifications -- goes into the caller's [`Outbox`].

use kernel::sync::Arc;

use crate::{
    mach::*,
    port::{Port, PortInner, Receiver},
    right::{CopiedRight, Outbox, Right, RightKind},
    space::{Entry, Object, ReverseSlot, SpaceInner},
};

/// `MACH_PORT_UREFS_OVERFLOW(urefs, delta)`: the result would exceed
/// `MACH_PORT_UREFS_MAX`.
fn urefs_overflow(urefs: u32, delta: i32) -> bool {
    delta > 0 && i64::from(urefs) + i64::from(delta) > i64::from(UREFS_MAX)
}

/// `urefs + delta`, for a delta checked against underflow and overflow.
fn apply_delta(urefs: u32, delta: i32) -> u32 {
    u32::try_from(i64::from(urefs) + i64::from(delta)).unwrap_or(0)
}

/// `MACH_PORT_UREFS_UNDERFLOW(urefs, delta)`.
fn urefs_underflow(urefs: u32, delta: i32) -> bool {
    delta < 0 && delta.unsigned_abs() > urefs
}

/// The port an entry with port rights names.
fn entry_port(e: &Entry) -> Arc<Port> {
    match &e.object {
        Object::Port(p) => p.clone(),
        // Entries with port rights always hold their port.
        _ => unreachable!(),
    }
}

/// Cancels the entry's request, if any (`ipc_right_request_cancel`): the
/// registered send-once right gets a port-deleted notification.
fn cancel_request(pi: &mut PortInner, e: &mut Entry, name: u32, out: &mut Outbox) {
    if e.request == 0 {
        return;
    }
    if let Some(r) = pi.request_cancel(e.request) {
        out.port_deleted(r, name);
    }
    e.request = 0;
}

/// Drops one send right from the port's count (the entry or message that
/// held it is gone); fires the no-senders request when it was the last.
fn drop_srights(pi: &mut PortInner, out: &mut Outbox) {
    pi.srights -= 1;
    if pi.srights == 0 && pi.active {
        if let Some(r) = pi.nsrequest.take() {
            out.no_senders(r, pi.mscount);
        }
    }
}

/// `ipc_right_check`: if the entry's (send or send-once) port has died,
/// turns the entry into a dead name now -- the lazy dead-name conversion.
/// Returns whether it did.
pub(crate) fn check_dead(sp: &mut SpaceInner, name: u32) -> bool {
    let Ok(e) = sp.lookup(name) else { return false };
    if e.ty & TYPE_SEND_RIGHTS == 0 {
        return false;
    }
    let port = entry_port(e);
    let mut pi = port.inner.lock();
    if pi.active {
        return false;
    }
    if e.ty & TYPE_SEND != 0 {
        pi.srights -= 1;
    } else {
        pi.sorights -= 1;
    }
    let mut urefs = e.urefs;
    if e.request != 0 {
        // A registration whose dead-name notification went out: the
        // notification carries one more reference to the dead name.
        if pi.request_fired(e.request) {
            urefs += 1;
        }
        pi.cancel_dead_request(e.request);
        e.request = 0;
    }
    let was_send = e.ty & TYPE_SEND != 0;
    e.ty = TYPE_DEAD_NAME;
    e.urefs = urefs;
    e.object = Object::None;
    drop(pi);
    if was_send {
        sp.reverse_remove(&port);
    }
    true
}

/// The request bits `mach_port_type` / `mach_port_names` report.
fn request_bits(pi: &PortInner, e: &Entry) -> u32 {
    if e.request == 0 {
        0
    } else {
        pi.request_type(e.request)
    }
}

/// `ipc_right_info`: the type (with request bits) and urefs of a name.
pub(crate) fn info(sp: &mut SpaceInner, name: u32) -> KResult<(u32, u32)> {
    let e = sp.lookup(name)?;
    if e.ty & TYPE_RECEIVE != 0 {
        let port = entry_port(e);
        let bits = request_bits(&port.inner.lock(), e);
        return Ok((e.ty | bits, e.urefs));
    }
    if e.ty & TYPE_SEND_RIGHTS != 0 && !check_dead(sp, name) {
        let e = sp.lookup(name)?;
        let port = entry_port(e);
        let bits = request_bits(&port.inner.lock(), e);
        return Ok((e.ty | bits, e.urefs));
    }
    let e = sp.lookup(name)?;
    Ok((e.ty, e.urefs))
}

/// Removes a send right from an entry whose last send uref goes away.
/// SEND_RECEIVE becomes RECEIVE; SEND alone frees the entry.
fn remove_send(sp: &mut SpaceInner, name: u32, out: &mut Outbox) {
    let Ok(e) = sp.lookup(name) else { return };
    let port = entry_port(e);
    let mut pi = port.inner.lock();
    drop_srights(&mut pi, out);
    if e.ty & TYPE_RECEIVE != 0 {
        e.ty &= !TYPE_SEND;
        e.urefs = 0;
        return;
    }
    cancel_request(&mut pi, e, name, out);
    drop(pi);
    sp.reverse_remove(&port);
    sp.free(name);
}

/// Removes a send-once right from its entry, which is freed; the right is
/// destroyed unused.
fn remove_send_once(sp: &mut SpaceInner, name: u32, out: &mut Outbox) {
    let Ok(e) = sp.lookup(name) else { return };
    let port = entry_port(e);
    let mut pi = port.inner.lock();
    cancel_request(&mut pi, e, name, out);
    drop(pi);
    sp.free(name);
    out.release(Right::new(port, RightKind::SendOnce));
}

/// Destroys the receive right under `name` (the entry's send right, if
/// any, stays as a send right when a port-destroyed request will save the
/// port, else becomes a dead name). The caller checked the right.
fn destroy_receive(sp: &mut SpaceInner, name: u32, out: &mut Outbox) {
    let Ok(e) = sp.lookup(name) else { return };
    let port = entry_port(e);
    let mut pi = port.inner.lock();
    if e.ty & TYPE_SEND != 0 {
        if pi.pdrequest.is_some() {
            // The port lives on (in limbo, then with whoever gets the
            // port-destroyed notification): keep our send right.
            e.ty &= !TYPE_RECEIVE;
        } else {
            // The send right dies with the port "first": no srights
            // decrement, no no-senders.
            e.ty = TYPE_DEAD_NAME;
            if e.request != 0 {
                e.request = 0;
                e.urefs += 1;
            }
            e.object = Object::None;
            drop(pi);
            sp.reverse_remove(&port);
            pi = port.inner.lock();
        }
    } else {
        cancel_request(&mut pi, e, name, out);
        drop(pi);
        sp.reverse_remove(&port);
        sp.free(name);
        pi = port.inner.lock();
    }
    pi.destroy(&port, out);
}

/// `ipc_right_dealloc` (`mach_port_deallocate`).
pub(crate) fn dealloc(sp: &mut SpaceInner, name: u32, out: &mut Outbox) -> KResult {
    let ty = sp.lookup(name)?.ty;
    if ty & TYPE_SEND_RIGHTS != 0 && ty & TYPE_RECEIVE == 0 {
        check_dead(sp, name);
    }
    let e = sp.lookup(name)?;
    match e.ty {
        TYPE_DEAD_NAME => {
            if e.urefs == 1 {
                sp.free(name);
            } else {
                e.urefs -= 1;
            }
        }
        TYPE_SEND_ONCE => remove_send_once(sp, name, out),
        TYPE_SEND | TYPE_SEND_RECEIVE => {
            if e.urefs == 1 {
                remove_send(sp, name, out);
            } else {
                e.urefs -= 1;
            }
        }
        _ => return Err(KERN_INVALID_RIGHT),
    }
    Ok(())
}

/// `ipc_right_delta` (`mach_port_mod_refs`).
pub(crate) fn delta(
    sp: &mut SpaceInner,
    name: u32,
    right: u32,
    delta: i32,
    out: &mut Outbox,
) -> KResult {
    let e = sp.lookup(name)?;
    match right {
        MACH_PORT_RIGHT_PORT_SET => {
            if e.ty & TYPE_PORT_SET == 0 {
                return Err(KERN_INVALID_RIGHT);
            }
            match delta {
                0 => Ok(()),
                -1 => {
                    destroy(sp, name, None, out)?;
                    Ok(())
                }
                _ => Err(KERN_INVALID_VALUE),
            }
        }
        MACH_PORT_RIGHT_RECEIVE => {
            if e.ty & TYPE_RECEIVE == 0 {
                return Err(KERN_INVALID_RIGHT);
            }
            match delta {
                0 => Ok(()),
                -1 => {
                    if entry_port(e).inner.lock().guarded {
                        return Err(KERN_INVALID_RIGHT);
                    }
                    destroy_receive(sp, name, out);
                    Ok(())
                }
                _ => Err(KERN_INVALID_VALUE),
            }
        }
        MACH_PORT_RIGHT_SEND_ONCE => {
            if e.ty & TYPE_SEND_ONCE == 0 || check_dead(sp, name) {
                return Err(KERN_INVALID_RIGHT);
            }
            match delta {
                0 => Ok(()),
                -1 => {
                    remove_send_once(sp, name, out);
                    Ok(())
                }
                _ => Err(KERN_INVALID_VALUE),
            }
        }
        MACH_PORT_RIGHT_DEAD_NAME => {
            if e.ty & TYPE_SEND_RIGHTS != 0 {
                if !check_dead(sp, name) {
                    return Err(KERN_INVALID_RIGHT);
                }
            } else if e.ty & TYPE_DEAD_NAME == 0 {
                return Err(KERN_INVALID_RIGHT);
            }
            let e = sp.lookup(name)?;
            if delta > UREFS_MAX as i32 || delta < -(UREFS_MAX as i32) {
                return Err(KERN_INVALID_VALUE);
            }
            if urefs_underflow(e.urefs, delta) {
                return Err(KERN_INVALID_VALUE);
            }
            if urefs_overflow(e.urefs, delta) {
                return Err(KERN_UREFS_OVERFLOW);
            }
            let urefs = apply_delta(e.urefs, delta);
            if urefs == 0 {
                sp.free(name);
            } else {
                e.urefs = urefs;
            }
            Ok(())
        }
        MACH_PORT_RIGHT_SEND => {
            if e.ty & TYPE_SEND == 0 || check_dead(sp, name) {
                return Err(KERN_INVALID_RIGHT);
            }
            let e = sp.lookup(name)?;
            let max = UREFS_MAX as i32 - 1;
            if delta > max || delta < -max || urefs_underflow(e.urefs, delta) {
                return Err(KERN_INVALID_VALUE);
            }
            if urefs_overflow(e.urefs + 1, delta) {
                return Err(KERN_UREFS_OVERFLOW);
            }
            let urefs = apply_delta(e.urefs, delta);
            if urefs == 0 {
                remove_send(sp, name, out);
            } else {
                e.urefs = urefs;
            }
            Ok(())
        }
        _ => Err(KERN_INVALID_VALUE),
    }
}

/// Releases the port rights an entry held (its type `ty`) on a live port,
/// with the port locked: the request is cancelled (port-deleted), a send
/// right leaves `srights`, a receive right destroys the port, a send-once
/// right is destroyed unused (after the lock is dropped). The caller frees
/// the entry and its reverse map slot.
fn release_entry_rights(
    port: &Arc<Port>,
    mut pi: kernel::sync::MutexGuard<'_, PortInner>,
    e: &mut Entry,
    ty: u32,
    name: u32,
    out: &mut Outbox,
) {
    cancel_request(&mut pi, e, name, out);
    if ty & TYPE_SEND != 0 {
        drop_srights(&mut pi, out);
    }
    if ty & TYPE_RECEIVE != 0 {
        pi.destroy(port, out);
    }
    drop(pi);
    if ty & TYPE_SEND_ONCE != 0 {
        out.release(Right::new(port.clone(), RightKind::SendOnce));
    }
}

/// `ipc_right_destroy` (`mach_port_destroy`). With `guard` set, a guarded
/// receive right is destroyed only if the guard matches.
pub(crate) fn destroy(
    sp: &mut SpaceInner,
    name: u32,
    guard: Option<u64>,
    out: &mut Outbox,
) -> KResult {
    let e = sp.lookup(name)?;
    let ty = e.ty;
    match &e.object {
        Object::Set(set) => {
            let set = set.clone();
            sp.free(name);
            set.destroy();
            return Ok(());
        }
        Object::None => {
            sp.free(name);
            return Ok(());
        }
        Object::Port(_) => {}
    }
    let port = entry_port(e);
    let mut pi = port.inner.lock();
    if !pi.active {
        // A send or send-once right to a dead port.
        if ty & TYPE_SEND != 0 {
            pi.srights -= 1;
        } else {
            pi.sorights -= 1;
        }
        pi.cancel_dead_request(e.request);
        drop(pi);
        if ty & TYPE_SEND != 0 {
            sp.reverse_remove(&port);
        }
        sp.free(name);
        return Ok(());
    }
    if ty & TYPE_RECEIVE != 0 {
        if let Some(g) = guard {
            if pi.guarded && g != pi.context {
                return Err(KERN_INVALID_RIGHT);
            }
        }
    }
    release_entry_rights(&port, pi, e, ty, name, out);
    if ty & (TYPE_SEND | TYPE_RECEIVE) != 0 {
        sp.reverse_remove(&port);
    }
    sp.free(name);
    Ok(())
}

/// `ipc_right_destruct` (`mach_port_destruct`).
pub(crate) fn destruct(
    sp: &mut SpaceInner,
    name: u32,
    srdelta: i32,
    guard: u64,
    out: &mut Outbox,
) -> KResult {
    let e = sp.lookup(name)?;
    if e.ty & TYPE_RECEIVE == 0 || (srdelta != 0 && e.ty & TYPE_SEND == 0) {
        return Err(KERN_INVALID_RIGHT);
    }
    if srdelta > 0 {
        return Err(KERN_INVALID_VALUE);
    }
    let port = entry_port(e);
    let mut pi = port.inner.lock();
    if pi.guarded && guard != pi.context {
        return Err(KERN_INVALID_ARGUMENT);
    }
    if srdelta != 0 {
        if urefs_underflow(e.urefs, srdelta) {
            return Err(KERN_INVALID_VALUE);
        }
        let urefs = apply_delta(e.urefs, srdelta);
        if urefs == 0 {
            drop_srights(&mut pi, out);
            e.ty &= !TYPE_SEND;
        }
        e.urefs = urefs;
    }
    drop(pi);
    destroy_receive(sp, name, out);
    Ok(())
}

/// `ipc_right_copyin` + `ipc_object_copyin`: takes a right out of the
/// space with disposition `msgt` (`MACH_MSG_TYPE_MOVE_RECEIVE` ...
/// `MAKE_SEND_ONCE`). With `deadok`, a dead name gives [`CopiedRight::Dead`]
/// (a MOVE consumes one of its urefs). Every failure is
/// `KERN_INVALID_RIGHT` and changes nothing.
pub(crate) fn copyin(
    sp: &mut SpaceInner,
    name: u32,
    msgt: u32,
    deadok: bool,
    out: &mut Outbox,
) -> KResult<CopiedRight> {
    let ty = sp.lookup(name)?.ty;
    match msgt {
        MSG_TYPE_MAKE_SEND | MSG_TYPE_MAKE_SEND_ONCE => {
            if ty & TYPE_RECEIVE == 0 {
                return Err(KERN_INVALID_RIGHT);
            }
            let port = entry_port(sp.lookup(name)?);
            let mut pi = port.inner.lock();
            let kind = if msgt == MSG_TYPE_MAKE_SEND {
                pi.mscount = pi.mscount.wrapping_add(1);
                pi.srights += 1;
                RightKind::Send
            } else {
                pi.sorights += 1;
                RightKind::SendOnce
            };
            drop(pi);
            Ok(CopiedRight::Right(Right::new(port, kind)))
        }
        MSG_TYPE_MOVE_RECEIVE => {
            if ty & TYPE_RECEIVE == 0 {
                return Err(KERN_INVALID_RIGHT);
            }
            let e = sp.lookup(name)?;
            let port = entry_port(e);
            let mut pi = port.inner.lock();
            let keeps_send = ty & TYPE_SEND != 0;
            if keeps_send {
                // The entry keeps its send right (and its reverse map slot).
                e.ty &= !TYPE_RECEIVE;
            } else {
                cancel_request(&mut pi, e, name, out);
            }
            pi.clear_receiver(&port);
            drop(pi);
            if !keeps_send {
                sp.reverse_remove(&port);
                sp.free(name);
            }
            Ok(CopiedRight::Right(Right::new(port, RightKind::Receive)))
        }
        MSG_TYPE_COPY_SEND | MSG_TYPE_MOVE_SEND | MSG_TYPE_MOVE_SEND_ONCE => {
            if ty & TYPE_DEAD_NAME == 0 {
                if ty & TYPE_SEND_RIGHTS == 0 {
                    return Err(KERN_INVALID_RIGHT);
                }
                check_dead(sp, name);
            }
            let e = sp.lookup(name)?;
            if e.ty == TYPE_DEAD_NAME {
                if !deadok {
                    return Err(KERN_INVALID_RIGHT);
                }
                if msgt != MSG_TYPE_COPY_SEND {
                    if e.urefs == 1 {
                        sp.free(name);
                    } else {
                        e.urefs -= 1;
                    }
                }
                return Ok(CopiedRight::Dead);
            }
            copyin_live_send(sp, name, msgt, out).map(CopiedRight::Right)
        }
        _ => Err(KERN_INVALID_VALUE),
    }
}

/// COPY_SEND / MOVE_SEND / MOVE_SEND_ONCE of a live send or send-once right.
fn copyin_live_send(sp: &mut SpaceInner, name: u32, msgt: u32, out: &mut Outbox) -> KResult<Right> {
    let e = sp.lookup(name)?;
    let port = entry_port(e);
    match msgt {
        MSG_TYPE_COPY_SEND => {
            if e.ty & TYPE_SEND == 0 {
                return Err(KERN_INVALID_RIGHT);
            }
            port.inner.lock().srights += 1;
            Ok(Right::send(port))
        }
        MSG_TYPE_MOVE_SEND => {
            if e.ty & TYPE_SEND == 0 {
                return Err(KERN_INVALID_RIGHT);
            }
            if e.urefs > 1 {
                e.urefs -= 1;
                port.inner.lock().srights += 1;
            } else if e.ty & TYPE_RECEIVE != 0 {
                // The entry's send right itself moves; the receive stays.
                e.ty &= !TYPE_SEND;
                e.urefs = 0;
            } else {
                let mut pi = port.inner.lock();
                cancel_request(&mut pi, e, name, out);
                drop(pi);
                sp.reverse_remove(&port);
                sp.free(name);
            }
            Ok(Right::send(port))
        }
        _ => {
            if e.ty & TYPE_SEND_ONCE == 0 {
                return Err(KERN_INVALID_RIGHT);
            }
            let mut pi = port.inner.lock();
            cancel_request(&mut pi, e, name, out);
            drop(pi);
            sp.free(name);
            Ok(Right::new(port, RightKind::SendOnce))
        }
    }
}

/// `ipc_object_copyout` / `ipc_object_copyout_name`: puts a right into the
/// space. With `want`, under that name (`KERN_NAME_EXISTS` if the name is
/// taken by something else, `KERN_RIGHT_EXISTS` if the space already
/// names the port otherwise); without, under the name the space already
/// has for the port, or a new one. A send right that would overflow the
/// urefs is dropped with `overflow` (urefs stay pegged), else fails with
/// `KERN_UREFS_OVERFLOW`. On failure the right is handed back.
pub(crate) fn copyout(
    sp: &mut SpaceInner,
    right: Right,
    want: Option<u32>,
    overflow: bool,
) -> core::result::Result<u32, (Kr, Right)> {
    match copyout_inner(sp, &right, want, overflow) {
        Ok((name, how)) => {
            finish_copyout(sp, name, right, how);
            Ok(name)
        }
        Err(kr) => Err((kr, right)),
    }
}

/// How a copyout lands in its entry.
enum Landing {
    /// A new entry (reverse map slot reserved for send/receive).
    New(Option<ReverseSlot>),
    /// The entry already names the port; one more send uref.
    MoreUrefs,
    /// Pegged urefs: the right is dropped.
    Pegged,
    /// The entry holds the port's receive (resp. send) right and gets the
    /// other one.
    Merge,
}

fn copyout_inner(
    sp: &mut SpaceInner,
    right: &Right,
    want: Option<u32>,
    overflow: bool,
) -> KResult<(u32, Landing)> {
    if !sp.active {
        return Err(KERN_INVALID_TASK);
    }
    let port = right.port();
    let kind = right.kind();
    let existing = match kind {
        RightKind::SendOnce => None,
        _ => sp.reverse_lookup(port),
    };
    if let Some(old) = existing {
        if want.is_some_and(|n| n != old) {
            return Err(KERN_RIGHT_EXISTS);
        }
        let e = sp.lookup(old)?;
        return match kind {
            RightKind::Send if e.ty & TYPE_SEND != 0 => {
                if e.urefs + 1 >= UREFS_MAX {
                    if overflow {
                        Ok((old, Landing::Pegged))
                    } else {
                        Err(KERN_UREFS_OVERFLOW)
                    }
                } else {
                    Ok((old, Landing::MoreUrefs))
                }
            }
            _ => Ok((old, Landing::Merge)),
        };
    }
    let slot = match kind {
        RightKind::SendOnce => None,
        _ => Some(SpaceInner::reverse_reserve()?),
    };
    let name = match want {
        Some(n) => {
            sp.alloc_name(n, 0)?;
            n
        }
        None => sp.alloc(0)?,
    };
    if want.is_some() && !port.is_active() {
        sp.free(name);
        return Err(KERN_INVALID_CAPABILITY);
    }
    Ok((name, Landing::New(slot)))
}

fn finish_copyout(sp: &mut SpaceInner, name: u32, right: Right, how: Landing) {
    let space = sp.id;
    let kind = right.kind();
    let port = right.into_port();
    if kind == RightKind::Receive {
        // Out of transit (if it was) and into this space.
        let _t = crate::port::TRANSIT.lock();
        let mut pi = port.inner.lock();
        pi.receiver = Receiver::Space { space, name };
        if let Some(dest) = pi.transit.take() {
            drop(pi);
            drop(dest);
        }
    }
    match how {
        Landing::MoreUrefs | Landing::Pegged => {
            // The entry already counts one send right for all its urefs.
            port.inner.lock().srights -= 1;
            if let (Landing::MoreUrefs, Ok(e)) = (how, sp.lookup(name)) {
                e.urefs += 1;
            }
        }
        Landing::Merge => {
            let send = kind == RightKind::Send;
            if let Ok(e) = sp.lookup(name) {
                if send {
                    e.ty |= TYPE_SEND;
                    e.urefs = 1;
                } else {
                    e.ty |= TYPE_RECEIVE;
                }
            }
        }
        Landing::New(slot) => {
            if let Some(slot) = slot {
                sp.reverse_insert(slot, &port, name);
            }
            if let Ok(e) = sp.lookup_free(name) {
                let (ty, urefs) = match kind {
                    RightKind::Receive => (TYPE_RECEIVE, 0),
                    RightKind::Send => (TYPE_SEND, 1),
                    RightKind::SendOnce => (TYPE_SEND_ONCE, 1),
                };
                e.ty = ty;
                e.urefs = urefs;
                e.object = Object::Port(port);
            }
        }
    }
}

/// `ipc_right_terminate`: releases one entry of a dying space (already
/// taken out of the table).
pub(crate) fn terminate_entry(name: u32, entry: &mut Entry, out: &mut Outbox) {
    let ty = entry.ty;
    match core::mem::replace(&mut entry.object, Object::None) {
        Object::None => {}
        Object::Set(set) => set.destroy(),
        Object::Port(port) => {
            let mut pi = port.inner.lock();
            if !pi.active {
                if ty & TYPE_SEND != 0 {
                    pi.srights -= 1;
                } else if ty & TYPE_SEND_ONCE != 0 {
                    pi.sorights -= 1;
                }
                pi.cancel_dead_request(entry.request);
                return;
            }
            release_entry_rights(&port, pi, entry, ty, name, out);
        }
    }
}

/// `ipc_right_request_alloc`: registers (or with `notify` = `None`,
/// cancels) a dead-name or send-possible request for `name`. Returns the
/// previous request's right. On failure `notify` comes back.
pub(crate) fn request_alloc(
    sp: &mut SpaceInner,
    name: u32,
    immediate: bool,
    send_possible: bool,
    notify: Option<Right>,
    out: &mut Outbox,
) -> core::result::Result<Option<Right>, (Kr, Option<Right>)> {
    let e = match sp.lookup(name) {
        Ok(e) => e,
        Err(kr) => return Err((kr, notify)),
    };
    let prev = e.request;
    if notify.is_none() && prev == 0 {
        return Ok(None);
    }
    if e.ty & (TYPE_SEND_RIGHTS | TYPE_RECEIVE) != 0 && !check_dead(sp, name) {
        let Ok(e) = sp.lookup(name) else {
            return Err((KERN_INVALID_NAME, notify));
        };
        let port = entry_port(e);
        let mut pi = port.inner.lock();
        let Some(notify) = notify else {
            let previous = pi.request_cancel(prev);
            e.request = 0;
            return Ok(previous);
        };
        if send_possible
            && immediate
            && (e.ty & TYPE_SEND_ONCE != 0 || pi.receiver == Receiver::Kernel || !pi.full())
        {
            let previous = if prev != 0 {
                pi.request_cancel(prev)
            } else {
                None
            };
            e.request = 0;
            out.send_possible(notify, name);
            return Ok(previous);
        }
        // Take the new slot first, so that the swap is atomic.
        let index = match pi.request_alloc(name, notify, send_possible) {
            Ok(i) => i,
            Err((kr, n)) => return Err((kr, Some(n))),
        };
        let previous = if prev != 0 {
            pi.request_cancel(prev)
        } else {
            None
        };
        e.request = index;
        return Ok(previous);
    }
    let Ok(e) = sp.lookup(name) else {
        return Err((KERN_INVALID_NAME, notify));
    };
    if e.ty & TYPE_DEAD_NAME != 0 && (send_possible || immediate) {
        if let Some(notify) = notify {
            // Already dead: the notification goes out now, with a uref.
            if urefs_overflow(e.urefs, 1) {
                return Err((KERN_UREFS_OVERFLOW, Some(notify)));
            }
            e.urefs += 1;
            out.dead_name(notify, name);
            return Ok(None);
        }
    }
    let kr = if e.ty & (TYPE_SEND_RIGHTS | TYPE_RECEIVE | TYPE_DEAD_NAME) != 0 {
        KERN_INVALID_ARGUMENT
    } else {
        KERN_INVALID_RIGHT
    };
    Err((kr, notify))
}

/// `ipc_port_request_sparm` for a sender with MACH_SEND_NOTIFY: if the
/// destination's queue is full and `name` has a send-possible request,
/// arm it.
pub(crate) fn arm_send_possible(sp: &mut SpaceInner, name: u32) {
    let Ok(e) = sp.lookup(name) else { return };
    if e.request == 0 {
        return;
    }
    let Some(port) = e.port().cloned() else {
        return;
    };
    let mut pi = port.inner.lock();
    if pi.active && pi.receiver != Receiver::Kernel && pi.full() {
        pi.request_arm(e.request);
    }
}
