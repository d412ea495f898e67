// SPDX-License-Identifier: GPL-2.0

//! The `mach_port_*`, task and host calls (XNU `mach_port.c`), on the
//! structs of the PORT_OP, PORT_LIST and PORT_ATTR ioctls.
//!
//! Each call names its target task by a send right in the caller's space,
//! as a MIG call names the task port it is sent to: not a send right ->
//! `MACH_SEND_INVALID_DEST`; a right to anything but a live task ->
//! `KERN_INVALID_TASK`. The caller's and the target's spaces are locked one
//! after the other, never together.

use kernel::{prelude::*, sync::Arc};

use crate::{
    host::Host,
    ipc_right,
    mach::*,
    notify,
    port::{KObject, Port, PortInner},
    pset::PortSet,
    right::{CopiedRight, Outbox, Right},
    space::{Object, SpaceInner},
    task::Task,
    uapi::{self, op, NameInfo, PortAttr, PortList, PortOp},
};

/// The kernel object a send right in the caller's space designates.
enum Target {
    Task(Arc<Task>),
    Host,
    HostPriv,
    Other,
}

/// Looks up the send right `name` in `caller`'s space and what it is for.
fn resolve(caller: &Task, name: u32) -> KResult<Target> {
    if !name_valid(name) {
        return Err(MACH_SEND_INVALID_DEST);
    }
    let mut sp = caller.space.inner.lock();
    let e = sp.lookup(name).map_err(|_| MACH_SEND_INVALID_DEST)?;
    if e.ty & TYPE_SEND == 0 || ipc_right::check_dead(&mut sp, name) {
        return Err(MACH_SEND_INVALID_DEST);
    }
    let Some(port) = sp.lookup(name)?.port().cloned() else {
        return Err(MACH_SEND_INVALID_DEST);
    };
    drop(sp);
    // Task::inner comes before Port::inner: take the task out first.
    let target = match &port.inner.lock().kobject {
        KObject::Task(t) => Target::Task(t.clone()),
        KObject::Host => Target::Host,
        KObject::HostPriv => Target::HostPriv,
        KObject::None => Target::Other,
    };
    match target {
        Target::Task(t) if !t.is_active() => Ok(Target::Other),
        t => Ok(t),
    }
}

fn resolve_task(caller: &Task, name: u32) -> KResult<Arc<Task>> {
    match resolve(caller, name)? {
        Target::Task(t) => Ok(t),
        _ => Err(KERN_INVALID_TASK),
    }
}

/// Runs `f` on the task's space under its lock, then does the deferred work.
fn with_space<T>(
    task: &Task,
    f: impl FnOnce(&mut SpaceInner, &mut Outbox) -> KResult<T>,
) -> KResult<T> {
    let mut out = Outbox::new();
    let r = {
        let mut sp = task.space.inner.lock();
        f(&mut sp, &mut out)
    };
    out.flush();
    r
}

/// `ipc_port_translate_receive`: the port whose receive right `name` is.
fn translate_receive(sp: &mut SpaceInner, name: u32) -> KResult<Arc<Port>> {
    let e = sp.lookup(name)?;
    if e.ty & TYPE_RECEIVE == 0 {
        return Err(KERN_INVALID_RIGHT);
    }
    e.port().cloned().ok_or(KERN_INVALID_RIGHT)
}

/// Runs `f` on the locked port whose receive right `name` names.
fn with_receive<T>(
    task: &Task,
    name: u32,
    f: impl FnOnce(&mut PortInner) -> KResult<T>,
) -> KResult<T> {
    with_space(task, |sp, _| {
        let port = translate_receive(sp, name)?;
        let mut pi = port.inner.lock();
        f(&mut pi)
    })
}

fn translate_set(sp: &mut SpaceInner, name: u32) -> KResult<Arc<PortSet>> {
    match &sp.lookup(name)?.object {
        Object::Set(s) => Ok(s.clone()),
        _ => Err(KERN_INVALID_RIGHT),
    }
}

/// Copies a right out into the caller's space as a reply does: dead rights
/// become `MACH_PORT_DEAD`, none `MACH_PORT_NULL`; urefs peg at the maximum.
fn copyout_reply(caller: &Task, right: Option<CopiedRight>) -> KResult<u32> {
    match right {
        None => Ok(MACH_PORT_NULL),
        Some(CopiedRight::Dead) => Ok(MACH_PORT_DEAD),
        Some(CopiedRight::Right(r)) => {
            let res = {
                let mut sp = caller.space.inner.lock();
                ipc_right::copyout(&mut sp, r, None, true)
            };
            res.map_err(|(kr, r)| {
                r.release();
                kr
            })
        }
    }
}

/// Copies in a send right from the caller's space as a MIG port argument
/// (`COPY_SEND`, dead names allowed): NULL gives `None`.
fn copyin_arg(caller: &Task, name: u32, msgt: u32) -> KResult<Option<CopiedRight>> {
    if name == MACH_PORT_NULL {
        return Ok(None);
    }
    if name == MACH_PORT_DEAD {
        return Ok(Some(CopiedRight::Dead));
    }
    with_space(caller, |sp, out| {
        ipc_right::copyin(sp, name, msgt, true, out)
    })
    .map(Some)
    .map_err(|_| MACH_SEND_INVALID_RIGHT)
}

fn release_opt(r: Option<CopiedRight>) {
    if let Some(r) = r {
        r.release();
    }
}

/// A new receive right (or port set, or dead name) in the space, under a
/// new name or `want`.
pub(crate) fn allocate(task: &Task, right: u32, want: Option<u32>) -> KResult<u32> {
    let object = match right {
        MACH_PORT_RIGHT_RECEIVE => {
            Object::Port(Port::new_receive(task.space.id, 0).map_err(|_| KERN_RESOURCE_SHORTAGE)?)
        }
        MACH_PORT_RIGHT_PORT_SET => {
            Object::Set(PortSet::new().map_err(|_| KERN_RESOURCE_SHORTAGE)?)
        }
        MACH_PORT_RIGHT_DEAD_NAME => Object::None,
        _ => return Err(KERN_INVALID_VALUE),
    };
    with_space(task, |sp, _| {
        let slot = match &object {
            Object::Port(_) => Some(SpaceInner::reverse_reserve()?),
            _ => None,
        };
        let name = match want {
            Some(n) => {
                sp.alloc_name(n, 0)?;
                n
            }
            None => sp.alloc(0)?,
        };
        let (ty, urefs) = match &object {
            Object::Port(p) => {
                p.inner.lock().receiver = crate::port::Receiver::Space { space: sp.id, name };
                if let Some(slot) = slot {
                    sp.reverse_insert(slot, p, name);
                }
                (TYPE_RECEIVE, 0)
            }
            Object::Set(_) => (TYPE_PORT_SET, 0),
            Object::None => (TYPE_DEAD_NAME, 1),
        };
        let e = sp.lookup_free(name)?;
        e.ty = ty;
        e.urefs = urefs;
        e.object = object;
        Ok(name)
    })
}

/// `mach_port_construct`.
fn construct(task: &Task, options: u32, context: u64, qlimit: u32) -> KResult<u32> {
    let name = allocate(task, MACH_PORT_RIGHT_RECEIVE, None)?;
    let r = with_space(task, |sp, out| {
        let port = translate_receive(sp, name)?;
        let mut pi = port.inner.lock();
        if options & MPO_CONTEXT_AS_GUARD != 0 {
            pi.context = context;
            pi.guarded = true;
            pi.strict_guard = options & MPO_STRICT != 0;
        } else {
            pi.context = context;
        }
        if options & MPO_QLIMIT != 0 {
            if qlimit > QLIMIT_MAX {
                return Err(KERN_INVALID_VALUE);
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
            let CopiedRight::Right(r) =
                ipc_right::copyin(sp, name, MSG_TYPE_MAKE_SEND, false, out)?
            else {
                return Err(KERN_INVALID_RIGHT);
            };
            ipc_right::copyout(sp, r, Some(name), false).map_err(|(kr, r)| {
                out.release(r);
                kr
            })?;
        }
        Ok(())
    });
    if let Err(kr) = r {
        let _ = with_space(task, |sp, out| {
            ipc_right::destruct(sp, name, 0, context, out)
        });
        return Err(kr);
    }
    Ok(name)
}

/// `mach_port_insert_right`: the right is copied in from the caller's
/// space first (as MIG does); if the target cannot take it, it is
/// destroyed, as in XNU.
fn insert_right(caller: &Task, task: &Task, name: u32, poly: u32, msgt: u32) -> KResult {
    if !name_valid(name) || !msg_type_port_any(msgt) {
        return Err(KERN_INVALID_VALUE);
    }
    let right = match copyin_arg(caller, poly, msgt)? {
        Some(CopiedRight::Right(r)) => r,
        other => {
            release_opt(other);
            return Err(KERN_INVALID_CAPABILITY);
        }
    };
    let res = {
        let mut sp = task.space.inner.lock();
        ipc_right::copyout(&mut sp, right, Some(name), false)
    };
    res.map(|_| ()).map_err(|(kr, r)| {
        r.release();
        kr
    })
}

/// `mach_port_extract_right`: the right comes out of the target's space
/// and into the caller's (as the MIG reply carries it).
fn extract_right(caller: &Task, task: &Task, name: u32, msgt: u32) -> KResult<(u32, u32)> {
    if !msg_type_port_any(msgt) {
        return Err(KERN_INVALID_VALUE);
    }
    if !name_valid(name) {
        return Err(KERN_INVALID_RIGHT);
    }
    let right = with_space(task, |sp, out| ipc_right::copyin(sp, name, msgt, true, out))?;
    let ty = match msgt {
        MSG_TYPE_MOVE_RECEIVE => MSG_TYPE_PORT_RECEIVE,
        MSG_TYPE_MOVE_SEND_ONCE | MSG_TYPE_MAKE_SEND_ONCE => MSG_TYPE_PORT_SEND_ONCE,
        _ => MSG_TYPE_PORT_SEND,
    };
    Ok((copyout_reply(caller, Some(right))?, ty))
}

/// insert/extract_member: `ipc_object_translate_two`.
fn member_op(task: &Task, name: u32, pset: u32, insert: bool) -> KResult {
    if !name_valid(name) || !name_valid(pset) {
        return Err(KERN_INVALID_RIGHT);
    }
    with_space(task, |sp, _| {
        sp.lookup(name)?;
        sp.lookup(pset)?;
        let port = translate_receive(sp, name)?;
        let set = translate_set(sp, pset)?;
        if insert {
            set.add(&port)
        } else {
            set.remove(&port)
        }
    })
}

fn move_member(task: &Task, member: u32, after: u32) -> KResult {
    if !name_valid(member) || after == MACH_PORT_DEAD {
        return Err(KERN_INVALID_RIGHT);
    }
    with_space(task, |sp, _| {
        let port = translate_receive(sp, member)?;
        let set = if after == MACH_PORT_NULL {
            None
        } else {
            Some(translate_set(sp, after)?)
        };
        let old = core::mem::take(&mut port.inner.lock().sets);
        for s in old.iter() {
            s.remove_member(port.id);
        }
        match set {
            Some(s) => s.add(&port),
            None => Ok(()),
        }
    })
}

pub(crate) fn get_refs(task: &Task, name: u32, right: u32) -> KResult<u32> {
    if right >= MACH_PORT_RIGHT_NUMBER {
        return Err(KERN_INVALID_VALUE);
    }
    if !name_valid(name) {
        return match right {
            MACH_PORT_RIGHT_SEND | MACH_PORT_RIGHT_SEND_ONCE => Ok(1),
            _ => Err(KERN_INVALID_NAME),
        };
    }
    let (ty, urefs) = with_space(task, |sp, _| ipc_right::info(sp, name))?;
    if ty & port_type(right) == 0 {
        return Ok(0);
    }
    Ok(match right {
        MACH_PORT_RIGHT_SEND | MACH_PORT_RIGHT_DEAD_NAME => urefs,
        _ => 1,
    })
}

pub(crate) fn mod_refs(task: &Task, name: u32, right: u32, delta: i32) -> KResult {
    if right >= MACH_PORT_RIGHT_NUMBER {
        return Err(KERN_INVALID_VALUE);
    }
    if !name_valid(name) {
        return match right {
            MACH_PORT_RIGHT_SEND | MACH_PORT_RIGHT_SEND_ONCE => Ok(()),
            _ => Err(KERN_INVALID_NAME),
        };
    }
    with_space(task, |sp, out| {
        ipc_right::delta(sp, name, right, delta, out)
    })
}

pub(crate) fn port_type_of(task: &Task, name: u32) -> KResult<u32> {
    match name {
        MACH_PORT_NULL => Err(KERN_INVALID_NAME),
        MACH_PORT_DEAD => Ok(TYPE_DEAD_NAME),
        _ => with_space(task, |sp, _| ipc_right::info(sp, name))
            .map(|(ty, _)| ty & !(TYPE_SPREQUEST | TYPE_SPREQUEST_DELAYED)),
    }
}

fn kernel_object(task: &Task, name: u32) -> KResult<u32> {
    let port = with_space(task, |sp, _| {
        let e = sp.lookup(name)?;
        if e.ty & TYPE_SEND_RECEIVE == 0 {
            return Err(KERN_INVALID_RIGHT);
        }
        e.port().cloned().ok_or(KERN_INVALID_RIGHT)
    })?;
    let pi = port.inner.lock();
    if !pi.active {
        return Err(KERN_INVALID_RIGHT);
    }
    Ok(pi.kobject.kotype())
}

fn guard(task: &Task, name: u32, guard: u64, strict: bool) -> KResult {
    if !name_valid(name) {
        return Err(KERN_INVALID_NAME);
    }
    with_receive(task, name, |pi| {
        if pi.context != 0 {
            return Err(KERN_INVALID_ARGUMENT);
        }
        pi.context = guard;
        pi.guarded = true;
        pi.strict_guard = strict;
        Ok(())
    })
}

fn unguard(task: &Task, name: u32, guard: u64) -> KResult {
    if !name_valid(name) {
        return Err(KERN_INVALID_NAME);
    }
    with_receive(task, name, |pi| {
        if !pi.guarded || pi.context != guard {
            return Err(KERN_INVALID_ARGUMENT);
        }
        pi.context = 0;
        pi.guarded = false;
        pi.strict_guard = false;
        Ok(())
    })
}

/// A receive-right call that checks the name like XNU's
/// `set_mscount` / `set_seqno` / `get_context` / `set_context`.
fn receive_call<T>(
    task: &Task,
    name: u32,
    f: impl FnOnce(&mut PortInner) -> KResult<T>,
) -> KResult<T> {
    if !name_valid(name) {
        return Err(KERN_INVALID_RIGHT);
    }
    with_receive(task, name, f)
}

/// The host object a send right in the caller's space designates, if it
/// is the host-priv port.
fn resolve_host_priv(caller: &Task, name: u32) -> KResult<Arc<Host>> {
    match resolve(caller, name)? {
        Target::HostPriv => Host::get(),
        _ => Err(KERN_INVALID_ARGUMENT),
    }
}

/// The task's own special port `which`, copied out into its own space
/// (`mach_task_self`, `mach_host_self`).
fn self_special(caller: &Task, which: i32) -> KResult<u32> {
    if which == TASK_HOST_PORT {
        caller.refresh_host_port();
    }
    let r = caller.get_special(which)?;
    copyout_reply(caller, r)
}

/// Stores a right copied in from the caller's space with `set`, releasing
/// what it replaces (or the right itself on failure).
fn set_special(
    caller: &Task,
    name: u32,
    set: impl FnOnce(
        Option<CopiedRight>,
    ) -> core::result::Result<Option<CopiedRight>, (Kr, Option<CopiedRight>)>,
) -> KResult {
    let right = copyin_arg(caller, name, MSG_TYPE_COPY_SEND)?;
    match set(right) {
        Ok(old) => {
            release_opt(old);
            Ok(())
        }
        Err((kr, r)) => {
            release_opt(r);
            Err(kr)
        }
    }
}

/// `mach_port_request_notification`: the notify right is copied in from
/// the caller first (as MIG does; a failing call destroys it, which sends
/// it a send-once notification), the previous right is copied out to the
/// caller.
fn request_notification(
    caller: &Task,
    task: &Task,
    name: u32,
    id: i32,
    sync: u32,
    notify: u32,
    poly: u32,
) -> KResult<u32> {
    if notify != MACH_PORT_NULL
        && notify != MACH_PORT_DEAD
        && poly != MSG_TYPE_MAKE_SEND_ONCE
        && poly != MSG_TYPE_MOVE_SEND_ONCE
    {
        return Err(KERN_INVALID_VALUE);
    }
    let notify = match copyin_arg(caller, notify, poly)? {
        Some(CopiedRight::Right(r)) => Some(r),
        _ => None,
    };
    let result = match id {
        notify::PORT_DESTROYED | notify::NO_SENDERS => {
            receive_request(task, name, id, sync, notify)
        }
        notify::SEND_POSSIBLE | notify::DEAD_NAME => {
            if !name_valid(name) {
                Err((KERN_INVALID_ARGUMENT, notify))
            } else {
                let sp_req = id == notify::SEND_POSSIBLE;
                let mut out = Outbox::new();
                let r = {
                    let mut sp = task.space.inner.lock();
                    if sp.active {
                        ipc_right::request_alloc(&mut sp, name, sync != 0, sp_req, notify, &mut out)
                    } else {
                        Err((KERN_INVALID_TASK, notify))
                    }
                };
                out.flush();
                r
            }
        }
        _ => Err((KERN_INVALID_VALUE, notify)),
    };
    match result {
        Ok(previous) => copyout_reply(caller, previous.map(CopiedRight::Right)),
        Err((kr, notify)) => {
            if let Some(n) = notify {
                n.release();
            }
            Err(kr)
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
) -> core::result::Result<Option<Right>, (Kr, Option<Right>)> {
    if id == notify::PORT_DESTROYED && sync != 0 {
        return Err((KERN_INVALID_VALUE, notify));
    }
    if !name_valid(name) {
        return Err((KERN_INVALID_RIGHT, notify));
    }
    let mut out = Outbox::new();
    let r = {
        let mut sp = task.space.inner.lock();
        let port = match translate_receive(&mut sp, name) {
            Ok(p) => p,
            Err(kr) => return Err((kr, notify)),
        };
        let mut pi = port.inner.lock();
        if id == notify::PORT_DESTROYED {
            if !matches!(pi.kobject, KObject::None) {
                return Err((KERN_INVALID_RIGHT, notify));
            }
            Ok(core::mem::replace(&mut pi.pdrequest, notify))
        } else {
            let previous = pi.nsrequest.take();
            match notify {
                Some(n) if pi.srights == 0 && sync <= pi.mscount => {
                    out.no_senders(n, pi.mscount);
                }
                n => pi.nsrequest = n,
            }
            Ok(previous)
        }
    };
    out.flush();
    r
}

/// `mach_port_destroy`.
pub(crate) fn destroy(task: &Task, name: u32) -> KResult {
    if !name_valid(name) {
        return Ok(());
    }
    with_space(task, |sp, out| ipc_right::destroy(sp, name, Some(0), out))
}

/// `mach_port_deallocate`.
pub(crate) fn deallocate(task: &Task, name: u32) -> KResult {
    if !name_valid(name) {
        return Ok(());
    }
    with_space(task, |sp, out| ipc_right::dealloc(sp, name, out))
}

/// `mach_port_set_mscount`.
pub(crate) fn set_mscount(task: &Task, name: u32, mscount: u32) -> KResult {
    receive_call(task, name, |pi| {
        pi.mscount = mscount;
        Ok(())
    })
}

/// `mach_port_set_seqno`.
pub(crate) fn set_seqno(task: &Task, name: u32, seqno: u32) -> KResult {
    receive_call(task, name, |pi| {
        pi.seqno = seqno;
        Ok(())
    })
}

/// Runs one PORT_OP call for `caller`.
pub(crate) fn port_op(caller: &Task, o: &mut PortOp) -> KResult {
    let (name, arg, v0, v1) = (o.name, o.arg, o.val[0], o.val[1]);
    match o.op {
        op::TASK_SELF => {
            o.name = self_special(caller, TASK_KERNEL_PORT)?;
            return Ok(());
        }
        op::HOST_SELF => {
            o.name = self_special(caller, TASK_HOST_PORT)?;
            return Ok(());
        }
        op::HOST_GET_SPECIAL => {
            let host = resolve_host_priv(caller, o.task)?;
            let r = host.get_special(arg as i32)?;
            o.name = copyout_reply(caller, r)?;
            return Ok(());
        }
        op::HOST_SET_SPECIAL => {
            let host = resolve_host_priv(caller, o.task)?;
            return set_special(caller, name, |r| host.set_special(arg as i32, r));
        }
        op::ALLOCATE if v0 & op::ALLOCATE_NAMED != 0 && !name_valid(name) => {
            return Err(KERN_INVALID_VALUE);
        }
        op::ALLOCATE..=op::TASK_SET_SPECIAL | op::REQUEST_NOTIFICATION => {}
        _ => return Err(KERN_INVALID_ARGUMENT),
    }
    let task = resolve_task(caller, o.task)?;
    let task = &*task;
    match o.op {
        op::ALLOCATE => {
            let want = (v0 & op::ALLOCATE_NAMED != 0).then_some(name);
            o.name = allocate(task, arg, want)?;
        }
        op::CONSTRUCT => o.name = construct(task, arg, v0, v1 as u32)?,
        op::DESTRUCT => {
            if !name_valid(name) {
                return Err(KERN_INVALID_NAME);
            }
            let srdelta = v0 as i64;
            let srdelta = i32::try_from(srdelta).map_err(|_| KERN_INVALID_VALUE)?;
            with_space(task, |sp, out| {
                ipc_right::destruct(sp, name, srdelta, v1, out)
            })?;
        }
        op::DESTROY => destroy(task, name)?,
        op::DEALLOCATE => deallocate(task, name)?,
        op::GET_REFS => o.val[0] = get_refs(task, name, arg)?.into(),
        op::MOD_REFS => mod_refs(task, name, arg, v0 as i32)?,
        op::TYPE => o.val[0] = port_type_of(task, name)?.into(),
        op::INSERT_RIGHT => insert_right(caller, task, name, v0 as u32, arg)?,
        op::EXTRACT_RIGHT => {
            let (n, ty) = extract_right(caller, task, name, arg)?;
            o.val = [n.into(), ty.into()];
        }
        op::INSERT_MEMBER => member_op(task, name, arg, true)?,
        op::EXTRACT_MEMBER => member_op(task, name, arg, false)?,
        op::MOVE_MEMBER => move_member(task, name, arg)?,
        op::SET_MSCOUNT => set_mscount(task, name, v0 as u32)?,
        op::SET_SEQNO => set_seqno(task, name, v0 as u32)?,
        op::GET_CONTEXT => {
            o.val[0] = receive_call(task, name, |pi| {
                Ok(if pi.strict_guard { 0 } else { pi.context })
            })?
        }
        op::SET_CONTEXT => receive_call(task, name, |pi| {
            if pi.strict_guard {
                return Err(KERN_INVALID_ARGUMENT);
            }
            pi.context = v0;
            Ok(())
        })?,
        op::GUARD => guard(task, name, v0, arg != 0)?,
        op::UNGUARD => unguard(task, name, v0)?,
        op::KERNEL_OBJECT => o.val = [kernel_object(task, name)?.into(), 0],
        op::TASK_GET_SPECIAL => {
            if core::ptr::eq(task, caller) && arg as i32 == TASK_HOST_PORT {
                task.refresh_host_port();
            }
            let r = task.get_special(arg as i32)?;
            o.name = copyout_reply(caller, r)?;
        }
        op::TASK_SET_SPECIAL => set_special(caller, name, |r| task.set_special(arg as i32, r))?,
        op::REQUEST_NOTIFICATION => {
            let (notify, poly) = (v1 as u32, (v1 >> 32) as u32);
            o.name = request_notification(caller, task, name, arg as i32, v0 as u32, notify, poly)?;
        }
        _ => return Err(KERN_INVALID_ARGUMENT),
    }
    Ok(())
}

/// The entries of a space as `mach_port_names` sees them: a send right to
/// a dead port shows as a dead name (not converted).
fn list_names(sp: &SpaceInner) -> Result<KVec<NameInfo>> {
    let mut v = KVec::new();
    for (name, e) in sp.entries() {
        let mut info = NameInfo {
            name,
            ty: e.ty,
            urefs: e.urefs,
            request: e.request,
            object: 0,
        };
        match &e.object {
            Object::Port(p) => {
                info.object = p.id;
                let pi = p.inner.lock();
                if !pi.active && e.ty & TYPE_SEND_RIGHTS != 0 {
                    info.ty = TYPE_DEAD_NAME;
                    if e.request != 0 && pi.request_fired(e.request) {
                        info.urefs += 1;
                    }
                } else if e.request != 0 {
                    info.ty |= pi.request_type(e.request);
                }
            }
            Object::Set(s) => info.object = s.id,
            Object::None => {}
        }
        v.push(info, GFP_KERNEL)?;
    }
    Ok(v)
}

fn list_members(sp: &mut SpaceInner, name: u32) -> KResult<KVec<NameInfo>> {
    if !name_valid(name) {
        return Err(KERN_INVALID_RIGHT);
    }
    let set = translate_set(sp, name)?;
    let members = set.members().map_err(|_| KERN_RESOURCE_SHORTAGE)?;
    let mut v = KVec::new();
    for p in members.iter() {
        let pi = p.inner.lock();
        if let crate::port::Receiver::Space { space, name } = pi.receiver {
            if space == sp.id {
                let info = NameInfo {
                    name,
                    ty: TYPE_RECEIVE,
                    object: p.id,
                    ..Default::default()
                };
                v.push(info, GFP_KERNEL)
                    .map_err(|_| KERN_RESOURCE_SHORTAGE)?;
            }
        }
    }
    Ok(v)
}

/// Runs one PORT_LIST call; returns the entries for the ioctl layer to copy
/// out.
pub(crate) fn port_list(caller: &Task, l: &mut PortList) -> KResult<KVec<NameInfo>> {
    let task = resolve_task(caller, l.task)?;
    let mut sp = task.space.inner.lock();
    if !sp.active {
        return Err(KERN_INVALID_TASK);
    }
    l.table_size = sp.table_size();
    let v = match l.op {
        uapi::LIST_NAMES => list_names(&sp).map_err(|_| KERN_RESOURCE_SHORTAGE)?,
        uapi::LIST_SET_MEMBERS => list_members(&mut sp, l.name)?,
        _ => return Err(KERN_INVALID_ARGUMENT),
    };
    l.count = v.len() as u32;
    Ok(v)
}

fn get_attributes(task: &Task, a: &mut PortAttr) -> KResult {
    let name = a.name;
    match a.flavor {
        PORT_LIMITS_INFO => {
            if a.count < LIMITS_INFO_COUNT {
                return Err(KERN_FAILURE);
            }
            if !name_valid(name) {
                a.count = 0;
                return Ok(());
            }
            a.info[0] = with_receive(task, name, |pi| Ok(pi.qlimit))?;
            a.count = LIMITS_INFO_COUNT;
        }
        PORT_RECEIVE_STATUS | PORT_INFO_EXT => {
            let need = if a.flavor == PORT_INFO_EXT {
                INFO_EXT_COUNT
            } else {
                RECEIVE_STATUS_COUNT
            };
            if a.count < need {
                return Err(KERN_FAILURE);
            }
            if !name_valid(name) {
                return Err(KERN_INVALID_RIGHT);
            }
            let status = with_receive(task, name, |pi| Ok(pi.status()))?;
            a.info = [0; uapi::ATTR_INFO_MAX];
            for (d, s) in a.info.iter_mut().zip(status.iter()) {
                *d = *s;
            }
            a.count = need;
        }
        PORT_DNREQUESTS_SIZE => {
            if a.count < DNREQUESTS_SIZE_COUNT {
                return Err(KERN_FAILURE);
            }
            a.info[0] = if name_valid(name) {
                with_receive(task, name, |pi| Ok(pi.requests_size()))?
            } else {
                0
            };
            a.count = DNREQUESTS_SIZE_COUNT;
        }
        _ => return Err(KERN_INVALID_ARGUMENT),
    }
    Ok(())
}

fn set_attributes(task: &Task, a: &PortAttr) -> KResult {
    let name = a.name;
    let kernel_port = |pi: &PortInner| !matches!(pi.kobject, KObject::None);
    match a.flavor {
        PORT_LIMITS_INFO => {
            if a.count < LIMITS_INFO_COUNT {
                return Err(KERN_FAILURE);
            }
            if a.info[0] > QLIMIT_MAX {
                return Err(KERN_INVALID_VALUE);
            }
            if !name_valid(name) {
                return Err(KERN_INVALID_RIGHT);
            }
            // Raising the limit wakes blocked senders (and armed
            // send-possible requests, if there is room now).
            with_space(task, |sp, out| {
                let port = translate_receive(sp, name)?;
                let mut pi = port.inner.lock();
                pi.qlimit = a.info[0];
                port.snd_cond.notify_all();
                if !pi.full() {
                    pi.fire_send_possible(out);
                }
                Ok(())
            })
        }
        PORT_DNREQUESTS_SIZE => {
            if a.count < DNREQUESTS_SIZE_COUNT {
                return Err(KERN_FAILURE);
            }
            receive_call(task, name, |pi| pi.grow_requests(a.info[0]))
        }
        PORT_TEMPOWNER | PORT_IMPORTANCE_RECEIVER | PORT_DENAP_RECEIVER => {
            receive_call(task, name, |pi| {
                if kernel_port(pi) {
                    return Err(KERN_INVALID_ARGUMENT);
                }
                pi.impdonation = true;
                match a.flavor {
                    PORT_TEMPOWNER => pi.tempowner = true,
                    PORT_DENAP_RECEIVER => pi.denap = true,
                    _ => {}
                }
                Ok(())
            })
        }
        _ => Err(KERN_INVALID_ARGUMENT),
    }
}

/// Runs one PORT_ATTR call.
pub(crate) fn port_attr(caller: &Task, a: &mut PortAttr) -> KResult {
    let task = resolve_task(caller, a.task)?;
    if a.set != 0 {
        set_attributes(&task, a)
    } else {
        get_attributes(&task, a)
    }
}
