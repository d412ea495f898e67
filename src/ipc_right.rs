// SPDX-License-Identifier: GPL-2.0

//! Rights under a name: what calls do to the entry of a space (XNU
//! `ipc_right.c`): information, deallocation, reference changes,
//! destruction, notification requests, and the release of a dying space's
//! entries. Moving rights between entries and messages is
//! `ipc_object.rs`.
//!
//! Every function runs with the space lock held (`&mut SpaceInner`) and
//! takes port locks one at a time inside it. Work that must wait for the
//! locks to be dropped goes into the caller's [`Outbox`].

use kernel::sync::Arc;

use crate::{
    mach::*,
    notify,
    outbox::Outbox,
    port::{Port, PortInner, Receiver},
    right::{Right, RightKind},
    space::{Entry, Object, SpaceInner},
};

/// `MACH_PORT_UREFS_OVERFLOW(urefs, delta)`.
pub(crate) fn urefs_overflow(urefs: u32, delta: i32) -> bool {
    delta > 0 && i64::from(urefs) + i64::from(delta) > i64::from(UREFS_MAX)
}

/// `MACH_PORT_UREFS_UNDERFLOW(urefs, delta)`.
fn urefs_underflow(urefs: u32, delta: i32) -> bool {
    delta < 0 && delta.unsigned_abs() > urefs
}

/// `urefs + delta`, for a delta checked against underflow and overflow.
fn apply_delta(urefs: u32, delta: i32) -> u32 {
    u32::try_from(i64::from(urefs) + i64::from(delta)).unwrap_or(0)
}

/// The port of an entry with port rights.
pub(crate) fn entry_port(e: &Entry) -> KResult<Arc<Port>> {
    e.port().cloned().ok_or(Kr::INVALID_RIGHT)
}

/// `ipc_right_request_cancel`: cancels the entry's request, if any; the
/// registered send-once right gets a port-deleted notification.
pub(crate) fn cancel_request(pi: &PortInner, e: &mut Entry, name: u32, out: &mut Outbox) {
    if e.request == 0 {
        return;
    }
    if let Some(r) = pi.cancel_request(name, e.request) {
        notify::port_deleted(r, name, out);
    }
    e.request = 0;
}

/// The dead-entry accounting of `ipc_right_check`, shared by everything
/// that finds a send or send-once right to a dead port: the right leaves
/// the port's counts, and whether the entry's request fired (the name then
/// gets one more uref, carried by the dead-name notification).
fn account_dead(port: &Port, pi: &mut PortInner, ty: u32, name: u32, request: u32) -> bool {
    if ty & TYPE_SEND != 0 {
        pi.srights -= 1;
        crate::stats::add(crate::stats::Counter::SendRights, -1);
    } else if ty & TYPE_SEND_ONCE != 0 {
        port.uncount_send_once();
    }
    request != 0
        && pi
            .requests
            .as_ref()
            .is_some_and(|t| t.take_fired(name, request))
}

/// `ipc_right_check`: if the entry's (send or send-once) port has died,
/// converts the entry into a dead name now -- the lazy dead-name
/// conversion. Returns whether it did.
pub(crate) fn convert_if_dead(sp: &mut SpaceInner, name: u32) -> bool {
    let Ok(e) = sp.lookup(name) else { return false };
    if e.ty & TYPE_SEND_RIGHTS == 0 || e.ty & TYPE_RECEIVE != 0 {
        return false;
    }
    // The common case, a live port, takes no reference: a port never
    // comes back to life, so a dead one found here is still dead below.
    match e.port() {
        Some(port) if !port.inner.lock().active => {}
        _ => return false,
    }
    let Some(port) = e.port().cloned() else {
        return false;
    };
    let mut pi = port.inner.lock();
    let ty = e.ty;
    let fired = account_dead(&port, &mut pi, ty, name, e.request);
    drop(pi);
    if ty & TYPE_SEND != 0 {
        sp.reverse_remove(name, &port);
    }
    if let Ok(e) = sp.lookup(name) {
        e.ty = TYPE_DEAD_NAME;
        e.urefs += u32::from(fired);
        e.request = 0;
        e.object = Object::Dead;
    }
    true
}

/// `ipc_right_info`: the type (with request bits) and urefs of a name.
pub(crate) fn info(sp: &mut SpaceInner, name: u32) -> KResult<(u32, u32)> {
    convert_if_dead(sp, name);
    let e = sp.lookup(name)?;
    let bits = match &e.object {
        Object::Port(p) if e.request != 0 => p.inner.lock().request_type(name, e.request),
        _ => 0,
    };
    Ok((e.ty | bits, e.urefs))
}

/// Removes a send right from an entry whose last send uref goes away:
/// SEND_RECEIVE becomes RECEIVE; SEND alone frees the entry.
fn remove_send(sp: &mut SpaceInner, name: u32, out: &mut Outbox) -> KResult {
    let e = sp.lookup(name)?;
    let port = entry_port(e)?;
    let mut pi = port.inner.lock();
    pi.uncount_send(out);
    if e.ty & TYPE_RECEIVE != 0 {
        e.ty &= !TYPE_SEND;
        e.urefs = 0;
        return Ok(());
    }
    cancel_request(&pi, e, name, out);
    drop(pi);
    sp.reverse_remove(name, &port);
    sp.free(name);
    Ok(())
}

/// Removes a send-once right from its entry, which is freed; the right is
/// destroyed unused (a send-once notification).
fn remove_send_once(sp: &mut SpaceInner, name: u32, out: &mut Outbox) -> KResult {
    let e = sp.lookup(name)?;
    let port = entry_port(e)?;
    let pi = port.inner.lock();
    cancel_request(&pi, e, name, out);
    drop(pi);
    sp.free(name);
    notify::send_once(Right::new(port, RightKind::SendOnce), out);
    Ok(())
}

/// Destroys the receive right under `name`. The entry's send right, if
/// any, stays a send right when a port-destroyed request will save the
/// port, and otherwise dies with the port "first" (no srights decrement,
/// no no-senders) as a dead name (+1 uref if the entry had a request).
fn destroy_receive(sp: &mut SpaceInner, name: u32, out: &mut Outbox) -> KResult {
    let e = sp.lookup(name)?;
    let port = entry_port(e)?;
    let mut pi = port.inner.lock();
    if e.ty & TYPE_SEND != 0 && pi.pdrequest.is_some() {
        // The port lives on (in limbo, then with whoever gets the
        // port-destroyed notification): keep the send right.
        e.ty &= !TYPE_RECEIVE;
    } else if e.ty & TYPE_SEND != 0 {
        // XNU leaves srights alone (the port dies); it is taken here without
        // the no-senders check, which must not fire.
        pi.srights -= 1;
        crate::stats::add(crate::stats::Counter::SendRights, -1);
        // A request stays registered: its dead-name notification goes out
        // with the port's, and the dead name gets its uref now.
        let had_request = e.request != 0;
        e.ty = TYPE_DEAD_NAME;
        e.urefs += u32::from(had_request);
        e.request = 0;
        e.object = Object::Dead;
        drop(pi);
        sp.reverse_remove(name, &port);
        pi = port.inner.lock();
    } else {
        cancel_request(&pi, e, name, out);
        drop(pi);
        sp.reverse_remove(name, &port);
        sp.free(name);
        pi = port.inner.lock();
    }
    let remains = pi.destroy(&port, out);
    drop(pi);
    drop(remains);
    Ok(())
}

/// `ipc_right_dealloc` (`mach_port_deallocate`). A port set is destroyed,
/// as since XNU 10.13 (10.11 refused with `KERN_INVALID_RIGHT`).
pub(crate) fn dealloc(sp: &mut SpaceInner, name: u32, out: &mut Outbox) -> KResult {
    convert_if_dead(sp, name);
    let e = sp.lookup(name)?;
    match e.ty {
        TYPE_DEAD_NAME => {
            if e.urefs == 1 {
                sp.free(name);
            } else {
                e.urefs -= 1;
            }
            Ok(())
        }
        TYPE_SEND_ONCE => remove_send_once(sp, name, out),
        TYPE_SEND | TYPE_SEND_RECEIVE => {
            if e.urefs == 1 {
                remove_send(sp, name, out)
            } else {
                e.urefs -= 1;
                Ok(())
            }
        }
        TYPE_PORT_SET => destroy(sp, name, None, out),
        _ => Err(Kr::INVALID_RIGHT),
    }
}

/// `ipc_right_delta` (`mach_port_mod_refs`).
pub(crate) fn delta(
    sp: &mut SpaceInner,
    name: u32,
    right: u32,
    delta: i32,
    out: &mut Outbox,
) -> KResult {
    let ty = sp.lookup(name)?.ty;
    match right {
        MACH_PORT_RIGHT_PORT_SET => {
            if ty & TYPE_PORT_SET == 0 {
                return Err(Kr::INVALID_RIGHT);
            }
            match delta {
                0 => Ok(()),
                -1 => destroy(sp, name, None, out),
                _ => Err(Kr::INVALID_VALUE),
            }
        }
        MACH_PORT_RIGHT_RECEIVE => {
            if ty & TYPE_RECEIVE == 0 {
                return Err(Kr::INVALID_RIGHT);
            }
            match delta {
                0 => Ok(()),
                -1 => {
                    if entry_port(sp.lookup(name)?)?.inner.lock().guarded {
                        return Err(Kr::INVALID_RIGHT);
                    }
                    destroy_receive(sp, name, out)
                }
                _ => Err(Kr::INVALID_VALUE),
            }
        }
        MACH_PORT_RIGHT_SEND_ONCE => {
            if ty & TYPE_SEND_ONCE == 0 || convert_if_dead(sp, name) {
                return Err(Kr::INVALID_RIGHT);
            }
            match delta {
                0 => Ok(()),
                -1 => remove_send_once(sp, name, out),
                _ => Err(Kr::INVALID_VALUE),
            }
        }
        MACH_PORT_RIGHT_DEAD_NAME => {
            if ty & TYPE_SEND_RIGHTS != 0 {
                if !convert_if_dead(sp, name) {
                    return Err(Kr::INVALID_RIGHT);
                }
            } else if ty & TYPE_DEAD_NAME == 0 {
                return Err(Kr::INVALID_RIGHT);
            }
            let e = sp.lookup(name)?;
            if delta > UREFS_MAX as i32 || delta < -(UREFS_MAX as i32) {
                return Err(Kr::INVALID_VALUE);
            }
            if urefs_underflow(e.urefs, delta) {
                return Err(Kr::INVALID_VALUE);
            }
            if urefs_overflow(e.urefs, delta) {
                return Err(Kr::UREFS_OVERFLOW);
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
            if ty & TYPE_SEND == 0 || convert_if_dead(sp, name) {
                return Err(Kr::INVALID_RIGHT);
            }
            let e = sp.lookup(name)?;
            let max = UREFS_MAX as i32 - 1;
            if delta > max || delta < -max || urefs_underflow(e.urefs, delta) {
                return Err(Kr::INVALID_VALUE);
            }
            if urefs_overflow(e.urefs + 1, delta) {
                return Err(Kr::UREFS_OVERFLOW);
            }
            let urefs = apply_delta(e.urefs, delta);
            if urefs == 0 {
                remove_send(sp, name, out)
            } else {
                e.urefs = urefs;
                Ok(())
            }
        }
        _ => Err(Kr::INVALID_VALUE),
    }
}

/// Releases the port rights entry `e` (type `ty`, named `name`) held on
/// the port it names, which is locked (`pi`) and alive: the request is
/// cancelled (port-deleted), a send right leaves `srights`, a receive
/// right destroys the port, a send-once right is destroyed unused. The
/// caller frees the entry and its reverse map slot.
fn release_entry_rights(
    port: &Arc<Port>,
    mut pi: kernel::sync::MutexGuard<'_, PortInner>,
    e: &mut Entry,
    name: u32,
    out: &mut Outbox,
) {
    let ty = e.ty;
    cancel_request(&pi, e, name, out);
    if ty & TYPE_SEND != 0 {
        pi.uncount_send(out);
    }
    let remains = if ty & TYPE_RECEIVE != 0 {
        pi.destroy(port, out)
    } else {
        crate::port::Remains::none()
    };
    drop(pi);
    drop(remains);
    if ty & TYPE_SEND_ONCE != 0 {
        notify::send_once(Right::new(port.clone(), RightKind::SendOnce), out);
    }
}

/// Releases the rights of an entry whose port is dead: they only leave
/// the port's counts.
fn release_dead_entry(port: &Port, pi: &mut PortInner, e: &Entry, name: u32) {
    account_dead(port, pi, e.ty, name, e.request);
}

/// `ipc_right_destroy` (`mach_port_destroy`). With `guard`, a guarded
/// receive right is destroyed only if the guard matches.
pub(crate) fn destroy(
    sp: &mut SpaceInner,
    name: u32,
    guard: Option<u64>,
    out: &mut Outbox,
) -> KResult {
    let e = sp.lookup(name)?;
    let port = match &e.object {
        Object::Set(set) => {
            let set = set.clone();
            sp.free(name);
            set.destroy();
            return Ok(());
        }
        Object::Dead => {
            sp.free(name);
            return Ok(());
        }
        Object::Port(p) => p.clone(),
    };
    let pi = port.inner.lock();
    if e.ty & TYPE_RECEIVE != 0 {
        if let Some(g) = guard {
            if pi.guarded && g != pi.context {
                return Err(Kr::INVALID_RIGHT);
            }
        }
    }
    let reversible = e.ty & TYPE_SEND_RECEIVE != 0;
    if pi.active {
        release_entry_rights(&port, pi, e, name, out);
    } else {
        let mut pi = pi;
        release_dead_entry(&port, &mut pi, e, name);
    }
    if reversible {
        sp.reverse_remove(name, &port);
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
        return Err(Kr::INVALID_RIGHT);
    }
    if srdelta > 0 {
        return Err(Kr::INVALID_VALUE);
    }
    let port = entry_port(e)?;
    let mut pi = port.inner.lock();
    if pi.guarded && guard != pi.context {
        return Err(Kr::INVALID_ARGUMENT);
    }
    if srdelta != 0 {
        if urefs_underflow(e.urefs, srdelta) {
            return Err(Kr::INVALID_VALUE);
        }
        let urefs = apply_delta(e.urefs, srdelta);
        if urefs == 0 {
            pi.uncount_send(out);
            e.ty &= !TYPE_SEND;
        }
        e.urefs = urefs;
    }
    drop(pi);
    destroy_receive(sp, name, out)
}

/// `ipc_right_terminate`: releases one entry of a dying space (already
/// taken out of its table), with no space lock held.
pub(crate) fn terminate_entry(name: u32, mut entry: Entry, out: &mut Outbox) {
    match core::mem::replace(&mut entry.object, Object::Dead) {
        Object::Dead => {}
        Object::Set(set) => set.destroy(),
        Object::Port(port) => {
            let mut pi = port.inner.lock();
            if pi.active {
                release_entry_rights(&port, pi, &mut entry, name, out);
            } else {
                release_dead_entry(&port, &mut pi, &entry, name);
            }
        }
    }
}

/// `ipc_right_request_alloc`: registers (or with `notify` = `None`,
/// cancels) a dead-name or send-possible request for `name`, charging a
/// table growth to `acct`. Returns the previous request's right. On
/// failure `notify` comes back.
pub(crate) fn request_alloc(
    sp: &mut SpaceInner,
    name: u32,
    immediate: bool,
    send_possible: bool,
    notify: Option<Right>,
    acct: &Arc<crate::limits::UserAccount>,
    out: &mut Outbox,
) -> GiveBack<Option<Right>, Option<Right>> {
    let e = match sp.lookup(name) {
        Ok(e) => e,
        Err(kr) => return Err(Refused::new(kr, notify)),
    };
    let prev = e.request;
    if notify.is_none() && prev == 0 {
        return Ok(None);
    }
    if e.ty & TYPE_PORT_RIGHTS != 0 && !convert_if_dead(sp, name) {
        let Ok(e) = sp.lookup(name) else {
            return Err(Refused::new(Kr::INVALID_NAME, notify));
        };
        let Some(port) = e.port().cloned() else {
            return Err(Refused::new(Kr::INVALID_RIGHT, notify));
        };
        let mut pi = port.inner.lock();
        if !pi.active {
            // It died since the check: convert the entry now and answer
            // as for a dead name (below).
            drop(pi);
            convert_if_dead(sp, name);
            return request_on_dead(sp, name, send_possible, immediate, notify, out);
        }
        // The previous request's slot stays in the table (even a kernel
        // port's), so that a new request reuses it and cannot fail.
        let cancel_prev = |pi: &PortInner, e: &mut Entry| {
            let p = if prev != 0 {
                pi.requests.as_ref().and_then(|t| t.cancel(name, prev))
            } else {
                None
            };
            e.request = 0;
            p
        };
        let Some(notify) = notify else {
            let previous = cancel_prev(&pi, e);
            pi.free_requests_if_unused();
            return Ok(previous);
        };
        // Send-once rights, kernel ports and queues with room fire a
        // send-possible request made with `sync` at once.
        if send_possible
            && immediate
            && (e.ty & TYPE_SEND_ONCE != 0 || pi.receiver == Receiver::Kernel || !pi.full())
        {
            let previous = cancel_prev(&pi, e);
            pi.free_requests_if_unused();
            notify::send_possible(notify, name, out);
            return Ok(previous);
        }
        let table = match pi.requests_or_new(acct) {
            Ok(t) => t,
            Err(kr) => return Err(Refused::new(kr, Some(notify))),
        };
        // As XNU: free the previous request first, so that the allocation
        // that follows cannot fail (it reuses the slot) and the swap is
        // atomic; the table grows only if there was none.
        let previous = cancel_prev(&pi, e);
        let mut notify = notify;
        loop {
            match table.alloc(name, notify, send_possible, immediate) {
                Ok(index) => {
                    e.request = index;
                    if send_possible && immediate {
                        pi.sp_armed = true;
                    }
                    return Ok(previous);
                }
                Err(r) => {
                    notify = r.back;
                    if let Err(kr) = table.grow(None, acct) {
                        pi.free_requests_if_unused();
                        return Err(Refused::new(kr, Some(notify)));
                    }
                }
            }
        }
    }
    request_on_dead(sp, name, send_possible, immediate, notify, out)
}

/// The rest of `ipc_right_request_alloc`, for a name that is no live port
/// right: a dead name gets its notification at once (with a uref) if the
/// request is immediate or send-possible; anything else is refused.
fn request_on_dead(
    sp: &mut SpaceInner,
    name: u32,
    send_possible: bool,
    immediate: bool,
    notify: Option<Right>,
    out: &mut Outbox,
) -> GiveBack<Option<Right>, Option<Right>> {
    let Ok(e) = sp.lookup(name) else {
        return Err(Refused::new(Kr::INVALID_NAME, notify));
    };
    if e.ty & TYPE_DEAD_NAME != 0 && (send_possible || immediate) {
        if let Some(notify) = notify {
            // Already dead: the notification goes out now, with a uref.
            if urefs_overflow(e.urefs, 1) {
                return Err(Refused::new(Kr::UREFS_OVERFLOW, Some(notify)));
            }
            e.urefs += 1;
            notify::dead_name(notify, name, out);
            return Ok(None);
        }
    }
    let kr = if e.ty & (TYPE_PORT_RIGHTS | TYPE_DEAD_NAME) != 0 {
        Kr::INVALID_ARGUMENT
    } else {
        Kr::INVALID_RIGHT
    };
    Err(Refused::new(kr, notify))
}

/// `ipc_kmsg_copyin_header`'s handling of `MACH_SEND_NOTIFY` (the
/// destination `name`, of type `dest_type` after copyin, has a request):
/// on a full queue a send-possible request is armed
/// (`ipc_port_request_sparm`); on one with room the send must not wait
/// (`MACH_SEND_ALWAYS`), which is returned.
pub(crate) fn arm_send_possible(sp: &mut SpaceInner, name: u32, dest_type: u32) -> bool {
    if dest_type == MSG_TYPE_PORT_SEND_ONCE {
        return false;
    }
    let Ok(e) = sp.lookup(name) else { return false };
    if e.request == 0 {
        return false;
    }
    let Some(port) = e.port().cloned() else {
        return false;
    };
    let mut pi = port.inner.lock();
    if !pi.active || pi.receiver == Receiver::Kernel {
        return false;
    }
    if !pi.full() {
        return true;
    }
    let armed = pi.requests.as_ref().is_some_and(|t| t.arm(name, e.request));
    pi.sp_armed |= armed;
    false
}

/// `ipc_port_translate_receive`: the port whose receive right `name` is.
pub(crate) fn translate_receive(sp: &mut SpaceInner, name: u32) -> KResult<Arc<Port>> {
    let e = sp.lookup(name)?;
    if e.ty & TYPE_RECEIVE == 0 {
        return Err(Kr::INVALID_RIGHT);
    }
    entry_port(e)
}

/// The set that `name` is.
pub(crate) fn translate_set(sp: &mut SpaceInner, name: u32) -> KResult<Arc<crate::pset::PortSet>> {
    match &sp.lookup(name)?.object {
        Object::Set(s) => Ok(s.clone()),
        _ => Err(Kr::INVALID_RIGHT),
    }
}
