// SPDX-License-Identifier: GPL-2.0

//! Port arguments of the calls (XNU `ipc_tt.c` `convert_port_to_*`, and
//! what MIG does with port arguments): the object a call's target name
//! designates, and rights passed in and handed back.
//!
//! Each call names its target by a send right in the caller's space, as a
//! MIG call names the port it is sent to: no send right (NULL, DEAD, a
//! dead port, another right) is `MACH_SEND_INVALID_DEST`, as the send of
//! the request fails; a right to something else than the call wants is the
//! routine's own code (`KERN_INVALID_TASK` for `mach_port_*`,
//! `KERN_INVALID_ARGUMENT` for the task routines).

use kernel::sync::Arc;

use crate::{
    host::Host, ipc_kobject::KObject, ipc_object, ipc_right, mach::*, outbox::Outbox, port::Port,
    right::MsgPort, space::SpaceInner, task::Task, thread::Thread,
};

/// The kernel object a send right in the caller's space designates.
pub(crate) enum Target {
    Task(Arc<Task>),
    TaskName,
    Host,
    HostPriv,
    /// Another kernel object.
    Object,
    /// A port that a task receives on.
    UserPort,
}

/// The port a send right in the caller's space names: what sending a MIG
/// request to it reaches. `MACH_SEND_INVALID_DEST` if the name is no live
/// send right.
pub(crate) fn send_right_port(caller: &Task, name: u32) -> KResult<Arc<Port>> {
    let invalid = Kr::from_raw(MsgReturn::SEND_INVALID_DEST.raw());
    if !name_valid(name) {
        return Err(invalid);
    }
    let mut sp = caller.space.inner.lock();
    ipc_right::convert_if_dead(&mut sp, name);
    let e = sp.lookup(name).map_err(|_| invalid)?;
    if e.ty & TYPE_SEND == 0 {
        return Err(invalid);
    }
    e.port().cloned().ok_or(invalid)
}

/// What the send right `name` of the caller designates. A task found this
/// way is brought up to date first (a set-id exec of its process resets
/// its task port, which then designates nothing).
pub(crate) fn resolve(caller: &Task, name: u32, out: &mut Outbox) -> KResult<Target> {
    let port = send_right_port(caller, name)?;
    let target = {
        let pi = port.inner.lock();
        if !pi.active {
            // Died since the lookup: a request to it would not be sent.
            return Err(Kr::from_raw(MsgReturn::SEND_INVALID_DEST.raw()));
        }
        match &pi.kobject {
            _ if pi.receiver != crate::port::Receiver::Kernel => Target::UserPort,
            KObject::Task(t) => Target::Task(t.clone()),
            KObject::TaskName(_) => Target::TaskName,
            KObject::Host => Target::Host,
            KObject::HostPriv => Target::HostPriv,
            _ => Target::Object,
        }
    };
    match target {
        Target::Task(t) => {
            // The calling process's own task was brought up to date at the
            // start of this call (`Task::refresh_self`).
            if !t.owned_by_caller() {
                t.refresh(out);
            }
            let Some(current) = t.has_port(&port) else {
                return Ok(Target::Object);
            };
            if !current {
                // The reset retired this very port and destroyed it: the
                // request's send finds a dead name, as it would have had
                // the exec been seen first (XNU resets at exec). Looking
                // again turns the caller's name into the dead name.
                send_right_port(caller, name)?;
                return Ok(Target::Object);
            }
            Ok(Target::Task(t))
        }
        other => Ok(other),
    }
}

/// `convert_port_to_space` for a `mach_port_*` call: the task whose space
/// the call works on; `KERN_INVALID_TASK` for a kernel object that is no
/// live task; [`Kr::USER_PORT`] for a port a task receives on (the call is
/// a MIG request to it, which the library sends).
pub(crate) fn space_task(caller: &Task, name: u32, out: &mut Outbox) -> KResult<Arc<Task>> {
    match resolve(caller, name, out)? {
        Target::Task(t) => Ok(t),
        Target::UserPort => Err(Kr::USER_PORT),
        _ => Err(Kr::INVALID_TASK),
    }
}

/// `convert_port_to_task` for a task routine: `KERN_INVALID_ARGUMENT` for
/// anything but a live task.
pub(crate) fn task(caller: &Task, name: u32, out: &mut Outbox) -> KResult<Arc<Task>> {
    match resolve(caller, name, out)? {
        Target::Task(t) => Ok(t),
        _ => Err(Kr::INVALID_ARGUMENT),
    }
}

/// `convert_port_to_host_priv`.
pub(crate) fn host_priv(caller: &Task, name: u32, out: &mut Outbox) -> KResult<Arc<Host>> {
    match resolve(caller, name, out)? {
        Target::HostPriv => Host::get(),
        _ => Err(Kr::INVALID_ARGUMENT),
    }
}

/// `port_name_to_thread`: the live thread a send right of `task` names.
pub(crate) fn thread(task: &Task, name: u32) -> KResult<Arc<Thread>> {
    let port = send_right_port(task, name)?;
    let t = match &port.inner.lock().kobject {
        KObject::Thread(t) => t.clone(),
        _ => return Err(Kr::INVALID_ARGUMENT),
    };
    if !t.is_active() {
        return Err(Kr::INVALID_ARGUMENT);
    }
    Ok(t)
}

/// Runs `f` on the task's space under its lock.
pub(crate) fn with_space<T>(
    task: &Task,
    f: impl FnOnce(&mut SpaceInner) -> KResult<T>,
) -> KResult<T> {
    let mut sp = task.space.inner.lock();
    f(&mut sp)
}

/// A port argument of a MIG request, copied in from the caller's space
/// with disposition `msgt` as the request's send does: NULL and DEAD pass
/// through; a bad name or right fails the send (`MACH_SEND_INVALID_RIGHT`).
pub(crate) fn copyin_arg(
    caller: &Task,
    name: u32,
    msgt: u32,
    out: &mut Outbox,
) -> KResult<MsgPort> {
    match name {
        MACH_PORT_NULL => Ok(MsgPort::Null),
        MACH_PORT_DEAD => Ok(MsgPort::Dead),
        _ => {
            let mut sp = caller.space.inner.lock();
            ipc_object::copyin(&mut sp, name, msgt, true, out)
                .map_err(|_| Kr::from_raw(MsgReturn::SEND_INVALID_RIGHT.raw()))
        }
    }
}

/// Whether the port argument `name` (disposition `msgt`) of a MIG
/// request could be copied in from the caller's space, as the request's
/// send would: `MACH_SEND_INVALID_RIGHT` if not. Changes nothing.
pub(crate) fn check_arg(caller: &Task, name: u32, msgt: u32) -> KResult {
    match name {
        MACH_PORT_NULL | MACH_PORT_DEAD => Ok(()),
        _ => {
            let mut sp = caller.space.inner.lock();
            ipc_object::copyin_check(&mut sp, name, msgt, true)
                .map_err(|_| Kr::from_raw(MsgReturn::SEND_INVALID_RIGHT.raw()))
        }
    }
}

/// A right a MIG reply carries back to the caller: copied out into its
/// space (urefs peg at the maximum); dead gives `MACH_PORT_DEAD`, none
/// `MACH_PORT_NULL`. A reply that cannot be received (no room for the
/// name) fails the call with `MACH_RCV_HEADER_ERROR|MACH_MSG_IPC_SPACE`...
/// here: `MACH_PORT_NULL`, the right destroyed, as a body port would be.
pub(crate) fn copyout_reply(caller: &Task, p: MsgPort, out: &mut Outbox) -> KResult<u32> {
    match p {
        MsgPort::Null => Ok(MACH_PORT_NULL),
        MsgPort::Dead => Ok(MACH_PORT_DEAD),
        MsgPort::Right(r) => {
            let res = {
                let mut sp = caller.space.inner.lock();
                ipc_object::copyout(&mut sp, r, None, true)
            };
            match res {
                Ok(n) => Ok(n),
                Err(refused) => {
                    let kr = refused.kr;
                    ipc_object::release(refused.back, out);
                    if kr == Kr::INVALID_CAPABILITY {
                        Ok(MACH_PORT_DEAD)
                    } else {
                        Err(kr)
                    }
                }
            }
        }
    }
}
