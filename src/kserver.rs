// SPDX-License-Identifier: GPL-2.0

//! The kernel's message server: messages sent to kernel ports are answered
//! synchronously, MIG-style (XNU `ipc_kobject_server`).
//!
//! The routine is chosen by the request's id alone, as in XNU; each
//! routine converts the destination port to the object it wants (a task,
//! a thread, the host, ...) and fails with its own code when the port is
//! something else. Requests and replies are laid out as Apple's MIG lays
//! them out for a 64-bit task (`mig.rs`). Unknown ids get `MIG_BAD_ID`,
//! malformed requests `MIG_BAD_ARGUMENTS` or `MIG_TYPE_ERROR`. The reply
//! (id + 100) goes to the request's reply right; a failed routine's reply
//! is `mig_reply_error_t`. Whatever the request still carries afterwards
//! is destroyed, as XNU does. The reply is queued on the outbox, so it
//! goes out once every lock is dropped.
//!
//! Routines run in the context of the sending thread (the send's deferred
//! work is done before its ioctl returns), so a routine that needs
//! privilege looks at the caller's credentials.
//!
//! Kernel messages to kernel ports are not served; the one such message
//! the kernel acts on is the no-senders notification of a semaphore's
//! port (XNU `ipc_kobject_notify`).

use kernel::sync::Arc;

use crate::{
    host_server,
    ipc_kobject::KObject,
    ipc_object,
    kmsg::{self, MsgBox},
    mach::*,
    mig::{Reply, Request},
    outbox::Outbox,
    port::Port,
    port_attributes, port_calls,
    right::MsgPort,
    task::Task,
    task_server,
};

const MACH_PORT_TYPE_ID: i32 = 3201;
const MACH_PORT_ALLOCATE_NAME_ID: i32 = 3203;
const MACH_PORT_ALLOCATE_ID: i32 = 3204;
const MACH_PORT_DESTROY_ID: i32 = 3205;
const MACH_PORT_DEALLOCATE_ID: i32 = 3206;
const MACH_PORT_GET_REFS_ID: i32 = 3207;
const MACH_PORT_MOD_REFS_ID: i32 = 3208;
const MACH_PORT_SET_MSCOUNT_ID: i32 = 3210;
const MACH_PORT_SET_SEQNO_ID: i32 = 3216;

/// `MACH_NOTIFY_NO_SENDERS`.
const MACH_NOTIFY_NO_SENDERS: i32 = 70;

/// A reply with scalar results.
fn results(v: &[u32]) -> KResult<Reply> {
    let mut r = Reply::ok()?;
    r.u32s(v)?;
    Ok(r)
}

/// `convert_port_to_space`: the live task a `mach_port` routine works on.
fn space_of(object: &KObject) -> KResult<&Arc<Task>> {
    match object {
        KObject::Task(t) if t.is_active() => Ok(t),
        _ => Err(Kr::INVALID_TASK),
    }
}

/// Runs a `mach_port` routine.
fn mach_port_routine(
    object: &KObject,
    id: i32,
    msg: &mut MsgBox,
    out: &mut Outbox,
) -> KResult<Reply> {
    let req = Request::new(msg, 0)?;
    let task = space_of(object)?;
    let acct = task.account();
    match id {
        MACH_PORT_TYPE_ID => results(&[port_calls::port_type_of(task, req.scalars::<1>()?[0])?]),
        MACH_PORT_ALLOCATE_NAME_ID => {
            let [right, name] = req.scalars::<2>()?;
            if !name_valid(name) {
                return Err(Kr::INVALID_VALUE);
            }
            port_calls::allocate(task, &acct, right, Some(name))?;
            results(&[])
        }
        MACH_PORT_ALLOCATE_ID => results(&[port_calls::allocate(
            task,
            &acct,
            req.scalars::<1>()?[0],
            None,
        )?]),
        MACH_PORT_DESTROY_ID => {
            port_calls::destroy(task, req.scalars::<1>()?[0], out)?;
            results(&[])
        }
        MACH_PORT_DEALLOCATE_ID => {
            port_calls::deallocate(task, req.scalars::<1>()?[0], out)?;
            results(&[])
        }
        MACH_PORT_GET_REFS_ID => {
            let [name, right] = req.scalars::<2>()?;
            results(&[port_calls::get_refs(task, name, right)?])
        }
        MACH_PORT_MOD_REFS_ID => {
            let [name, right, delta] = req.scalars::<3>()?;
            port_calls::mod_refs(task, name, right, delta as i32, out)?;
            results(&[])
        }
        MACH_PORT_SET_MSCOUNT_ID => {
            let [name, mscount] = req.scalars::<2>()?;
            port_attributes::set_mscount(task, name, mscount)?;
            results(&[])
        }
        MACH_PORT_SET_SEQNO_ID => {
            let [name, seqno] = req.scalars::<2>()?;
            port_attributes::set_seqno(task, name, seqno)?;
            results(&[])
        }
        _ => Err(Kr::MIG_BAD_ID),
    }
}

/// The routine for `id`, by subsystem.
fn route(object: &KObject, id: i32, msg: &mut MsgBox, out: &mut Outbox) -> KResult<Reply> {
    match id {
        3200..=3299 => mach_port_routine(object, id, msg, out),
        3400..=3499 => task_server::task_routine(object, id, msg, out),
        3600..=3699 => task_server::thread_routine(object, id, msg, out),
        200..=299 | 400..=499 | 1000..=1099 | 3000..=3099 | 4000..=4099 => {
            host_server::routine(object, id, msg, out)
        }
        _ => Err(Kr::MIG_BAD_ID),
    }
}

/// Queues the reply to the request's reply right (none: the reply's
/// rights are released).
fn send_reply(msg: &mut MsgBox, id: i32, result: KResult<Reply>, out: &mut Outbox) {
    let reply = match result {
        Ok(r) => Ok(r),
        Err(kr) => Reply::error(kr),
    };
    let Ok(reply) = reply else {
        crate::stats::count(crate::stats::Counter::KernelRepliesDroppedTotal);
        return;
    };
    let b = kmsg::body(msg);
    let MsgPort::Right(to) = core::mem::replace(&mut b.reply, MsgPort::Null) else {
        reply.discard(out);
        return;
    };
    match reply.into_message(to, id) {
        Ok(m) => out.deliver(m),
        Err((to, reply)) => {
            crate::stats::count(crate::stats::Counter::KernelRepliesDroppedTotal);
            reply.discard(out);
            ipc_object::release(to, out);
        }
    }
}

/// Serves a message sent to a kernel port, then disposes of it.
pub(crate) fn serve(mut msg: MsgBox, out: &mut Outbox) {
    let id = msg.body.hdr.id;
    let kobject = |msg: &MsgBox| {
        msg.dest_port()
            .map_or(KObject::None, |p| p.inner.lock().kobject.clone())
    };
    let mut object = kobject(&msg);
    if let KObject::Task(t) = &object {
        // A set-id exec not seen yet retires and destroys the task port
        // (XNU resets at exec): the request then went to a port that died
        // after its copyin, and is destroyed unserved, as XNU destroys a
        // message whose destination died (its send-once reply right tells
        // the client, MIG_SERVER_DIED).
        t.refresh(out);
        if msg.dest_port().is_some_and(|p| !p.is_active()) {
            drop(object);
            out.destroy(msg);
            return;
        }
        object = kobject(&msg);
    }
    let result = route(&object, id, &mut msg, out);
    drop(object);
    send_reply(&mut msg, id, result, out);
    let b = kmsg::body(&mut msg);
    if let Some(d) = b.dest.take() {
        ipc_object::consume_dest_unlocked(d, out);
    }
    if b.holds_rights() {
        out.destroy(msg);
    }
}

/// A kernel message (a notification) for kernel port `port`: a semaphore
/// port's no-senders notification destroys the semaphore; anything else is
/// destroyed unread.
pub(crate) fn kernel_notification(port: &Arc<Port>, m: MsgBox, out: &mut Outbox) {
    if m.body.hdr.id == MACH_NOTIFY_NO_SENDERS {
        let sem = match &port.inner.lock().kobject {
            KObject::Semaphore(s) => Some(s.clone()),
            _ => None,
        };
        if let Some(sem) = sem {
            // Still no senders (a send right made since would have come
            // with another request)?
            if port.inner.lock().srights == 0 {
                sem.no_senders(port, out);
            }
        }
    }
    out.destroy(m);
}
