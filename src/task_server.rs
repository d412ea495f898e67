// SPDX-License-Identifier: GPL-2.0

//! The kernel server's task and thread routines (XNU `task.defs`,
//! `thread_act.defs`; the MIG ids and layouts of 10.11). See `kserver.rs`.

use kernel::{prelude::*, sync::Arc};

use crate::{
    ipc_kobject::KObject,
    ipc_object,
    kmsg::MsgBox,
    limits::{gfp_user, UVec},
    mach::*,
    mig::{Reply, Request},
    outbox::Outbox,
    right::MsgPort,
    semaphore::Semaphore,
    special::REGISTER_MAX,
    task::Task,
    thread::Thread,
};

const TASK_THREADS_ID: i32 = 3402;
const MACH_PORTS_REGISTER_ID: i32 = 3403;
const MACH_PORTS_LOOKUP_ID: i32 = 3404;
const TASK_INFO_ID: i32 = 3405;
const TASK_GET_SPECIAL_PORT_ID: i32 = 3409;
const TASK_SET_SPECIAL_PORT_ID: i32 = 3410;
const SEMAPHORE_CREATE_ID: i32 = 3418;
const SEMAPHORE_DESTROY_ID: i32 = 3419;

const THREAD_TERMINATE_ID: i32 = 3600;
const THREAD_GET_SPECIAL_PORT_ID: i32 = 3610;
const THREAD_SET_SPECIAL_PORT_ID: i32 = 3611;
const THREAD_INFO_ID: i32 = 3612;

/// MIG's bound of `task_info_t` and `thread_info_t`.
const TASK_INFO_MAX: u32 = 52;
const THREAD_INFO_MAX: u32 = 32;

/// `convert_port_to_task`: a live task port.
fn task_of(object: &KObject) -> KResult<&Arc<Task>> {
    match object {
        KObject::Task(t) if t.is_active() => Ok(t),
        _ => Err(Kr::INVALID_ARGUMENT),
    }
}

/// `convert_port_to_task_name`: a live task or task name port.
fn task_name_of(object: &KObject) -> KResult<&Arc<Task>> {
    match object {
        KObject::Task(t) | KObject::TaskName(t) if t.is_active() => Ok(t),
        _ => Err(Kr::INVALID_ARGUMENT),
    }
}

/// `convert_port_to_thread`: a live thread port.
fn thread_of(object: &KObject) -> KResult<&Arc<Thread>> {
    match object {
        KObject::Thread(t) if t.is_active() => Ok(t),
        _ => Err(Kr::INVALID_ARGUMENT),
    }
}

/// A reply carrying one right (released if there is no memory).
pub(crate) fn port_reply(p: MsgPort, out: &mut Outbox) -> KResult<Reply> {
    match Reply::complex(1) {
        Ok(mut r) => {
            r.port(p, out)?;
            Ok(r)
        }
        Err(kr) => fail_with(kr, p, out),
    }
}

/// A reply carrying an array of rights: `{body; ool_ports; NDR; count}`
/// (released if there is no memory).
pub(crate) fn ports_reply(mut ports: UVec<MsgPort>, out: &mut Outbox) -> KResult<Reply> {
    let n = ports.len() as u32;
    let mut r = match Reply::complex(1) {
        Ok(r) => r,
        Err(kr) => {
            for p in ports.drain_all() {
                ipc_object::release_msgport(p, out);
            }
            return Err(kr);
        }
    };
    r.ool_ports(ports, out)?;
    // Scalars after the rights: a failure here releases the rights with
    // the reply.
    if let Err(kr) = r.ndr().and_then(|()| r.u32(n)) {
        r.discard(out);
        return Err(kr);
    }
    Ok(r)
}

/// A reply carrying an `info` array: `{NDR; RetCode; count; words}`.
pub(crate) fn info_reply(words: &[u32]) -> KResult<Reply> {
    let mut r = Reply::ok()?;
    r.u32(words.len() as u32)?;
    r.u32s(words)?;
    Ok(r)
}

/// Releases `p` and fails with `kr` (a routine that took a right from the
/// request and then failed: the request's rights are destroyed).
pub(crate) fn fail_with(kr: Kr, p: MsgPort, out: &mut Outbox) -> KResult<Reply> {
    ipc_object::release_msgport(p, out);
    Err(kr)
}

/// Stores `p` with `set`; the replaced right (or `p` if refused) is
/// released.
pub(crate) fn store(
    p: MsgPort,
    out: &mut Outbox,
    set: impl FnOnce(MsgPort) -> GiveBack<Option<MsgPort>, MsgPort>,
) -> KResult<Reply> {
    match set(p) {
        Ok(old) => {
            if let Some(old) = old {
                ipc_object::release_msgport(old, out);
            }
            Reply::ok()
        }
        Err(refused) => fail_with(refused.kr, refused.back, out),
    }
}

/// A `*_set_special_port` routine: `{body; port; NDR; which}`. `target`
/// is the converted destination; `set` stores the right.
pub(crate) fn set_special_routine<T>(
    msg: &mut MsgBox,
    target: KResult<T>,
    out: &mut Outbox,
    set: impl FnOnce(&T, i32, MsgPort) -> GiveBack<Option<MsgPort>, MsgPort>,
) -> KResult<Reply> {
    let mut req = Request::new(msg, 1)?;
    let [which] = req.scalars::<1>()?;
    let p = req.take_port(0, MSG_TYPE_PORT_SEND)?;
    match target {
        Ok(t) => store(p, out, |p| set(&t, which as i32, p)),
        Err(kr) => fail_with(kr, p, out),
    }
}

/// `mach_ports_register(task, ports[cnt])`.
fn ports_register(object: &KObject, msg: &mut MsgBox, out: &mut Outbox) -> KResult<Reply> {
    let mut req = Request::new(msg, 1)?;
    let [cnt] = req.scalars::<1>()?;
    let ports = req.take_ool_ports(0, MSG_TYPE_PORT_SEND)?;
    let release_all = |ports: UVec<MsgPort>, out: &mut Outbox| {
        for p in ports.into_iter() {
            ipc_object::release_msgport(p, out);
        }
    };
    if ports.len() != cnt as usize {
        release_all(ports, out);
        return Err(Kr::MIG_TYPE_ERROR);
    }
    let task = match task_of(object) {
        Ok(t) if ports.len() <= REGISTER_MAX => t,
        Ok(_) | Err(_) => {
            release_all(ports, out);
            return Err(Kr::INVALID_ARGUMENT);
        }
    };
    let mut new: [MsgPort; REGISTER_MAX] = core::array::from_fn(|_| MsgPort::Null);
    for (slot, p) in new.iter_mut().zip(ports) {
        *slot = p;
    }
    let old = match task.register_ports(new) {
        Ok(old) => old,
        Err(refused) => {
            for p in refused.back {
                ipc_object::release_msgport(p, out);
            }
            return Err(refused.kr);
        }
    };
    for p in old {
        ipc_object::release_msgport(p, out);
    }
    Reply::ok()
}

/// `mach_ports_lookup(task)`: always `TASK_PORT_REGISTER_MAX` entries.
fn ports_lookup(task: &Task, out: &mut Outbox) -> KResult<Reply> {
    let ports = task.registered_ports()?;
    let Ok(mut v) = UVec::with_capacity(REGISTER_MAX, gfp_user()) else {
        for p in ports {
            ipc_object::release_msgport(p, out);
        }
        return Err(Kr::RESOURCE_SHORTAGE);
    };
    for p in ports {
        // Cannot fail: reserved above.
        let _ = v.push_within_capacity(p);
    }
    ports_reply(v, out)
}

/// `semaphore_destroy(task, semaphore)`: the semaphore's send right is
/// moved in and consumed whatever the outcome.
fn semaphore_destroy(object: &KObject, msg: &mut MsgBox, out: &mut Outbox) -> KResult<Reply> {
    let mut req = Request::new(msg, 1)?;
    req.scalars::<0>()?;
    let p = req.take_port(0, MSG_TYPE_PORT_SEND)?;
    let task = match task_of(object) {
        Ok(t) => t.clone(),
        Err(kr) => return fail_with(kr, p, out),
    };
    let sem: Option<Arc<Semaphore>> = match &p {
        MsgPort::Right(r) => match &r.port().inner.lock().kobject {
            KObject::Semaphore(s) => Some(s.clone()),
            _ => None,
        },
        _ => None,
    };
    let r = match sem {
        Some(s) => s.destroy_by(&task),
        None => Err(Kr::INVALID_ARGUMENT),
    };
    ipc_object::release_msgport(p, out);
    r?;
    Reply::ok()
}

/// A task routine.
pub(crate) fn task_routine(
    object: &KObject,
    id: i32,
    msg: &mut MsgBox,
    out: &mut Outbox,
) -> KResult<Reply> {
    match id {
        TASK_THREADS_ID => {
            Request::new(msg, 0)?.scalars::<0>()?;
            ports_reply(task_of(object)?.threads(out)?, out)
        }
        MACH_PORTS_REGISTER_ID => ports_register(object, msg, out),
        MACH_PORTS_LOOKUP_ID => {
            Request::new(msg, 0)?.scalars::<0>()?;
            ports_lookup(task_of(object)?, out)
        }
        TASK_INFO_ID => {
            let [flavor, cnt] = Request::new(msg, 0)?.scalars::<2>()?;
            let task = task_name_of(object)?;
            info_reply(&crate::task_info::task_info(
                task,
                flavor as i32,
                cnt.min(TASK_INFO_MAX),
            )?)
        }
        TASK_GET_SPECIAL_PORT_ID => {
            let [which] = Request::new(msg, 0)?.scalars::<1>()?;
            port_reply(task_of(object)?.get_special(which as i32)?, out)
        }
        TASK_SET_SPECIAL_PORT_ID => {
            set_special_routine(msg, task_of(object), out, |t, which, p| {
                t.set_special(which, p)
            })
        }
        SEMAPHORE_CREATE_ID => {
            let [policy, value] = Request::new(msg, 0)?.scalars::<2>()?;
            let right = Semaphore::create(task_of(object)?, policy as i32, value as i32)?;
            port_reply(MsgPort::Right(right), out)
        }
        SEMAPHORE_DESTROY_ID => semaphore_destroy(object, msg, out),
        _ => Err(Kr::MIG_BAD_ID),
    }
}

/// A thread routine.
pub(crate) fn thread_routine(
    object: &KObject,
    id: i32,
    msg: &mut MsgBox,
    out: &mut Outbox,
) -> KResult<Reply> {
    match id {
        THREAD_TERMINATE_ID => {
            Request::new(msg, 0)?.scalars::<0>()?;
            thread_of(object)?;
            // Ending another Linux thread from outside has no safe
            // equivalent.
            Err(Kr::NOT_SUPPORTED)
        }
        THREAD_GET_SPECIAL_PORT_ID => {
            let [which] = Request::new(msg, 0)?.scalars::<1>()?;
            port_reply(thread_of(object)?.get_special(which as i32)?, out)
        }
        THREAD_SET_SPECIAL_PORT_ID => {
            set_special_routine(msg, thread_of(object), out, |t, which, p| {
                t.set_special(which, p).map(Some)
            })
        }
        THREAD_INFO_ID => {
            let [flavor, cnt] = Request::new(msg, 0)?.scalars::<2>()?;
            let asked = cnt.min(THREAD_INFO_MAX);
            let mut words = thread_of(object)?.info(flavor as i32, asked)?;
            // THREAD_IDENTIFIER_INFO leaves the count as MIG set it, the
            // rest of the reply zeroed (XNU 10.11 and later).
            const THREAD_IDENTIFIER_INFO: u32 = 4;
            if flavor == THREAD_IDENTIFIER_INFO {
                words.resize(asked as usize, 0, GFP_KERNEL)?;
            }
            info_reply(&words)
        }
        _ => Err(Kr::MIG_BAD_ID),
    }
}
