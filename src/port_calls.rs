// SPDX-License-Identifier: GPL-2.0

//! The `mach_port_*` calls (XNU `mach_port.c`), with typed arguments.
//!
//! Each works on the space of a task (`task`), for a caller (`caller`,
//! whose space receives any right the call returns, as a MIG reply carries
//! it). The two spaces are locked one after the other, never together.
//!
//! On macOS some of these calls run as a trap when the target is the
//! caller's own task and as MIG otherwise (libsyscall's `mach_port.c`);
//! the only call where the two answer differently is
//! `mach_port_insert_right` (the trap copies the right in with the
//! caller's codes, MIG with the send's), so it takes the path.

use kernel::sync::Arc;

use crate::{
    convert::{copyin_arg, copyout_reply, with_space},
    ipc_object, ipc_right,
    limits::UserAccount,
    mach::*,
    notify,
    outbox::Outbox,
    port::{Port, PortInner, Receiver},
    pset::PortSet,
    right::{MsgPort, Right},
    space::{Object, SpaceInner},
    task::Task,
};

/// How a call reached the kernel (see the module documentation).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Path {
    /// `_kernelrpc_*_trap` on the caller's own task.
    Trap,
    /// A MIG request.
    Mig,
}

/// Runs `f` on the locked port whose receive right `name` is.
pub(crate) fn with_receive<T>(
    task: &Task,
    name: u32,
    f: impl FnOnce(&Arc<Port>, &mut PortInner) -> KResult<T>,
) -> KResult<T> {
    with_space(task, |sp| {
        let port = ipc_right::translate_receive(sp, name)?;
        let mut pi = port.inner.lock();
        f(&port, &mut pi)
    })
}

/// A receive-right call that checks the name as XNU's `set_mscount` /
/// `set_seqno` / `get_context` / `set_context` do.
pub(crate) fn receive_call<T>(
    task: &Task,
    name: u32,
    f: impl FnOnce(&mut PortInner) -> KResult<T>,
) -> KResult<T> {
    if !name_valid(name) {
        return Err(Kr::INVALID_RIGHT);
    }
    with_receive(task, name, |_, pi| f(pi))
}

/// Takes a name in the space for a new entry: the given one (`want`), or a
/// fresh one.
fn take_name(sp: &mut SpaceInner, want: Option<u32>) -> KResult<u32> {
    match want {
        Some(n) => {
            if !sp.alloc_name(n, 0)? {
                return Err(Kr::NAME_EXISTS);
            }
            Ok(n)
        }
        None => sp.alloc(0),
    }
}

/// `mach_port_allocate_full`: a new receive right, port set or dead name
/// in the space, under a new name or `want`. As XNU, a dead name is always
/// made under a new name (the name asked for is not used).
pub(crate) fn allocate(
    task: &Task,
    acct: &Arc<UserAccount>,
    right: u32,
    want: Option<u32>,
) -> KResult<u32> {
    let object = match right {
        MACH_PORT_RIGHT_RECEIVE => Object::Port(Port::new_receive(acct, task.space.id)?),
        MACH_PORT_RIGHT_PORT_SET => Object::Set(PortSet::new(acct)?),
        MACH_PORT_RIGHT_DEAD_NAME => Object::Dead,
        _ => return Err(Kr::INVALID_VALUE),
    };
    let want = if matches!(object, Object::Dead) {
        None
    } else {
        want
    };
    with_space(task, |sp| {
        let name = take_name(sp, want)?;
        let (ty, urefs) = match &object {
            Object::Port(p) => {
                p.inner.lock().receiver = Receiver::Space { space: sp.id, name };
                (TYPE_RECEIVE, 0)
            }
            Object::Set(_) => (TYPE_PORT_SET, 0),
            Object::Dead => (TYPE_DEAD_NAME, 1),
        };
        let reverse = match &object {
            Object::Port(p) => Some(p.clone()),
            _ => None,
        };
        let e = sp.lookup_new(name)?;
        e.ty = ty;
        e.urefs = urefs;
        e.object = object;
        if let Some(p) = reverse {
            sp.reverse_insert(name, &p);
        }
        Ok(name)
    })
}

/// `mach_port_construct`.
pub(crate) fn construct(
    task: &Task,
    acct: &Arc<UserAccount>,
    options: u32,
    context: u64,
    qlimit: u32,
    out: &mut Outbox,
) -> KResult<u32> {
    let name = allocate(task, acct, MACH_PORT_RIGHT_RECEIVE, None)?;
    let r = with_space(task, |sp| {
        let port = ipc_right::translate_receive(sp, name)?;
        let mut pi = port.inner.lock();
        pi.context = context;
        if options & MPO_CONTEXT_AS_GUARD != 0 {
            pi.guarded = true;
            pi.strict_guard = options & MPO_STRICT != 0;
        }
        if options & MPO_QLIMIT != 0 {
            if qlimit > QLIMIT_MAX {
                return Err(Kr::INVALID_VALUE);
            }
            pi.qlimit = qlimit;
        }
        if options & MPO_TEMPOWNER != 0 {
            pi.tempowner = true;
            pi.impdonation = true;
        }
        if options & MPO_IMPORTANCE_RECEIVER != 0 {
            pi.impdonation = true;
        }
        if options & MPO_DENAP_RECEIVER != 0 {
            pi.denap = true;
            pi.impdonation = true;
        }
        drop(pi);
        if options & MPO_INSERT_SEND_RIGHT != 0 {
            let MsgPort::Right(r) = ipc_object::copyin(sp, name, MSG_TYPE_MAKE_SEND, false, out)?
            else {
                return Err(Kr::INVALID_RIGHT);
            };
            if let Err(refused) = ipc_object::copyout(sp, r, Some(name), false) {
                ipc_object::release(refused.back, out);
                return Err(refused.kr);
            }
        }
        Ok(())
    });
    if let Err(kr) = r {
        let _ = with_space(task, |sp| ipc_right::destruct(sp, name, 0, context, out));
        return Err(kr);
    }
    Ok(name)
}

/// `mach_port_destruct`.
pub(crate) fn destruct(
    task: &Task,
    name: u32,
    srdelta: i64,
    guard: u64,
    out: &mut Outbox,
) -> KResult {
    if !name_valid(name) {
        return Err(Kr::INVALID_NAME);
    }
    let srdelta = i32::try_from(srdelta).map_err(|_| Kr::INVALID_VALUE)?;
    with_space(task, |sp| {
        ipc_right::destruct(sp, name, srdelta, guard, out)
    })
}

/// `mach_port_destroy`: a name that is no name is a success.
pub(crate) fn destroy(task: &Task, name: u32, out: &mut Outbox) -> KResult {
    if !name_valid(name) {
        return Ok(());
    }
    with_space(task, |sp| ipc_right::destroy(sp, name, Some(0), out))
}

/// `mach_port_deallocate`: a name that is no name is a success.
pub(crate) fn deallocate(task: &Task, name: u32, out: &mut Outbox) -> KResult {
    if !name_valid(name) {
        return Ok(());
    }
    with_space(task, |sp| ipc_right::dealloc(sp, name, out))
}

/// `mach_port_get_refs`.
pub(crate) fn get_refs(task: &Task, name: u32, right: u32) -> KResult<u32> {
    if right >= MACH_PORT_RIGHT_NUMBER {
        return Err(Kr::INVALID_VALUE);
    }
    if !name_valid(name) {
        return match right {
            MACH_PORT_RIGHT_SEND | MACH_PORT_RIGHT_SEND_ONCE => Ok(1),
            _ => Err(Kr::INVALID_NAME),
        };
    }
    let (ty, urefs) = with_space(task, |sp| ipc_right::info(sp, name))?;
    if ty & port_type(right) == 0 {
        return Ok(0);
    }
    Ok(match right {
        MACH_PORT_RIGHT_SEND | MACH_PORT_RIGHT_DEAD_NAME => urefs,
        _ => 1,
    })
}

/// `mach_port_mod_refs`.
pub(crate) fn mod_refs(
    task: &Task,
    name: u32,
    right: u32,
    delta: i32,
    out: &mut Outbox,
) -> KResult {
    if right >= MACH_PORT_RIGHT_NUMBER {
        return Err(Kr::INVALID_VALUE);
    }
    if !name_valid(name) {
        return match right {
            MACH_PORT_RIGHT_SEND | MACH_PORT_RIGHT_SEND_ONCE => Ok(()),
            _ => Err(Kr::INVALID_NAME),
        };
    }
    with_space(task, |sp| ipc_right::delta(sp, name, right, delta, out))
}

/// `mach_port_type` (the send-possible bits are hidden, as XNU does).
pub(crate) fn port_type_of(task: &Task, name: u32) -> KResult<u32> {
    match name {
        MACH_PORT_NULL => Err(Kr::INVALID_NAME),
        MACH_PORT_DEAD => Ok(TYPE_DEAD_NAME),
        _ => with_space(task, |sp| ipc_right::info(sp, name))
            .map(|(ty, _)| ty & !(TYPE_SPREQUEST | TYPE_SPREQUEST_DELAYED)),
    }
}

/// `mach_port_insert_right`. The right is copied in from the caller's
/// space first (by the trap, or by MIG's send), then named in the target's
/// space; if the target cannot take it, it is destroyed (as xnu-4570 and
/// MIG do; the 10.11 trap leaked it).
pub(crate) fn insert_right(
    caller: &Task,
    task: &Task,
    path: Path,
    name: u32,
    poly: u32,
    msgt: u32,
    out: &mut Outbox,
) -> KResult {
    let p = match path {
        // The trap copies in first, with the space's codes; a dead name
        // copies in as DEAD (then refused below).
        Path::Trap => with_space(caller, |sp| {
            if !name_valid(poly) {
                return Err(Kr::INVALID_NAME);
            }
            ipc_object::copyin(sp, poly, msgt, true, out).map_err(|kr| {
                if kr == Kr::INVALID_VALUE {
                    Kr::INVALID_RIGHT
                } else {
                    kr
                }
            })
        })?,
        Path::Mig => {
            if !msg_type_port_any(msgt) && name_valid(poly) {
                return Err(Kr::from_raw(MsgReturn::SEND_INVALID_RIGHT.raw()));
            }
            copyin_arg(caller, poly, msgt, out)?
        }
    };
    let disposition = copyin_type(msgt);
    let refuse = |p: MsgPort, kr: Kr, out: &mut Outbox| {
        ipc_object::release_msgport(p, out);
        Err(kr)
    };
    if !name_valid(name)
        || !(MSG_TYPE_PORT_RECEIVE..=MSG_TYPE_PORT_SEND_ONCE).contains(&disposition)
    {
        return refuse(p, Kr::INVALID_VALUE, out);
    }
    let right = match p {
        MsgPort::Right(r) => r,
        other => return refuse(other, Kr::INVALID_CAPABILITY, out),
    };
    let res = with_space(task, |sp| {
        Ok(ipc_object::copyout(sp, right, Some(name), false))
    })?;
    match res {
        Ok(_) => Ok(()),
        Err(refused) => {
            ipc_object::release(refused.back, out);
            Err(refused.kr)
        }
    }
}

/// `mach_port_extract_right`: the right comes out of the target's space
/// and into the caller's (as the MIG reply carries it).
pub(crate) fn extract_right(
    caller: &Task,
    task: &Task,
    name: u32,
    msgt: u32,
    out: &mut Outbox,
) -> KResult<(u32, u32)> {
    if !msg_type_port_any(msgt) {
        return Err(Kr::INVALID_VALUE);
    }
    if !name_valid(name) {
        return Err(Kr::INVALID_RIGHT);
    }
    let right = with_space(task, |sp| ipc_object::copyin(sp, name, msgt, true, out))?;
    Ok((copyout_reply(caller, right, out)?, copyin_type(msgt)))
}

/// insert/extract_member (`ipc_object_translate_two`).
pub(crate) fn member_op(
    task: &Task,
    acct: &Arc<UserAccount>,
    name: u32,
    set: u32,
    insert: bool,
    out: &mut Outbox,
) -> KResult {
    if !name_valid(name) || !name_valid(set) {
        return Err(Kr::INVALID_RIGHT);
    }
    with_space(task, |sp| {
        sp.lookup(name)?;
        sp.lookup(set)?;
        let port = ipc_right::translate_receive(sp, name)?;
        let pset = ipc_right::translate_set(sp, set)?;
        if insert {
            pset.add(&port, acct, out)
        } else {
            pset.remove(&port)
        }
    })
}

/// `mach_port_move_member`: leaves every set, then joins `after` (none
/// for `MACH_PORT_NULL`).
pub(crate) fn move_member(
    task: &Task,
    acct: &Arc<UserAccount>,
    member: u32,
    after: u32,
    out: &mut Outbox,
) -> KResult {
    if !name_valid(member) || after == MACH_PORT_DEAD {
        return Err(Kr::INVALID_RIGHT);
    }
    with_space(task, |sp| {
        let port = ipc_right::translate_receive(sp, member)?;
        let set = if after == MACH_PORT_NULL {
            None
        } else {
            Some(ipc_right::translate_set(sp, after)?)
        };
        let old = crate::pset::take_all(&mut port.inner.lock().memberships);
        crate::pset::leave_all(old);
        match set {
            Some(s) => s.add(&port, acct, out),
            None => Ok(()),
        }
    })
}

/// `mach_port_kernel_object`: the `IKOT_*` type of the port a send or
/// receive right names.
pub(crate) fn kernel_object(task: &Task, name: u32) -> KResult<u32> {
    let port = with_space(task, |sp| {
        let e = sp.lookup(name)?;
        if e.ty & TYPE_SEND_RECEIVE == 0 {
            return Err(Kr::INVALID_RIGHT);
        }
        e.port().cloned().ok_or(Kr::INVALID_RIGHT)
    })?;
    let pi = port.inner.lock();
    if !pi.active {
        return Err(Kr::INVALID_RIGHT);
    }
    Ok(pi.kobject.kotype())
}

/// The arguments of `mach_port_request_notification`.
pub(crate) struct NotifyArgs {
    pub(crate) name: u32,
    pub(crate) id: i32,
    pub(crate) sync: u32,
    pub(crate) notify: u32,
    pub(crate) poly: u32,
}

/// `mach_port_request_notification` (MIG only). The notify right is
/// copied in from the caller first, as the request's send does; a failing
/// call destroys it (a send-once notification), as `ipc_kobject_server`
/// destroys a failed request. The previous right goes back to the caller.
pub(crate) fn request_notification(
    caller: &Task,
    task: &Task,
    args: NotifyArgs,
    out: &mut Outbox,
) -> KResult<u32> {
    let NotifyArgs {
        name,
        id,
        sync,
        notify,
        poly,
    } = args;
    let acct = &caller.account();
    let p = copyin_arg(caller, notify, poly, out)?;
    // MIG's type check: the notify port arrives as a send-once right.
    if copyin_type(poly) != MSG_TYPE_PORT_SEND_ONCE {
        ipc_object::release_msgport(p, out);
        return Err(Kr::MIG_TYPE_ERROR);
    }
    let notify = match p {
        MsgPort::Null => None,
        MsgPort::Dead => return Err(Kr::INVALID_CAPABILITY),
        MsgPort::Right(r) => Some(r),
    };
    let result = match id {
        notify::PORT_DESTROYED | notify::NO_SENDERS => {
            receive_request(task, name, id, sync, notify, out)
        }
        notify::SEND_POSSIBLE | notify::DEAD_NAME => {
            if !name_valid(name) {
                Err(Refused::new(Kr::INVALID_ARGUMENT, notify))
            } else {
                let send_possible = id == notify::SEND_POSSIBLE;
                let mut sp = task.space.inner.lock();
                if sp.active {
                    ipc_right::request_alloc(
                        &mut sp,
                        name,
                        sync != 0,
                        send_possible,
                        notify,
                        acct,
                        out,
                    )
                } else {
                    Err(Refused::new(Kr::INVALID_TASK, notify))
                }
            }
        }
        _ => Err(Refused::new(Kr::INVALID_VALUE, notify)),
    };
    match result {
        Ok(previous) => copyout_reply(caller, previous.map_or(MsgPort::Null, MsgPort::Right), out),
        Err(refused) => {
            if let Some(n) = refused.back {
                ipc_object::release(n, out);
            }
            Err(refused.kr)
        }
    }
}

/// The no-senders and port-destroyed requests, on a receive right.
fn receive_request(
    task: &Task,
    name: u32,
    id: i32,
    sync: u32,
    notify: Option<Right>,
    out: &mut Outbox,
) -> GiveBack<Option<Right>, Option<Right>> {
    if id == notify::PORT_DESTROYED && sync != 0 {
        return Err(Refused::new(Kr::INVALID_VALUE, notify));
    }
    if !name_valid(name) {
        return Err(Refused::new(Kr::INVALID_RIGHT, notify));
    }
    let mut sp = task.space.inner.lock();
    let port = match ipc_right::translate_receive(&mut sp, name) {
        Ok(p) => p,
        Err(kr) => return Err(Refused::new(kr, notify)),
    };
    let mut pi = port.inner.lock();
    if id == notify::PORT_DESTROYED {
        if !pi.kobject.is_none() {
            return Err(Refused::new(Kr::INVALID_RIGHT, notify));
        }
        return Ok(core::mem::replace(&mut pi.pdrequest, notify));
    }
    let previous = pi.nsrequest.take();
    match notify {
        Some(n) if pi.srights == 0 && sync <= pi.mscount => notify::no_senders(n, pi.mscount, out),
        n => pi.nsrequest = n,
    }
    Ok(previous)
}
