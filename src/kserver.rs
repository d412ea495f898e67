// SPDX-License-Identifier: GPL-2.0

//! The kernel's message server: messages sent to kernel ports (task, host)
//! are answered synchronously, MIG-style (XNU `ipc_kobject_server`).
//!
//! A request is `mach_msg_header_t`, an `NDR_record_t` and the routine's
//! arguments (32-bit each); the reply, sent to the request's reply port,
//! has id + 100 and carries the NDR record, the return code and the
//! routine's results. Unknown ids get `MIG_BAD_ID`, malformed requests
//! `MIG_BAD_ARGUMENTS`. Implemented: the scalar routines of the
//! `mach_port` subsystem (3200) on task ports.

use kernel::{alloc::KVVec, prelude::*};

use crate::{
    kmsg::*,
    mach::*,
    mach_msg::deliver,
    port::KObject,
    port_calls,
    right::{CopiedRight, Outbox},
    task::Task,
};

const NDR_SIZE: usize = 8;

const MACH_PORT_TYPE_ID: i32 = 3201;
const MACH_PORT_ALLOCATE_NAME_ID: i32 = 3203;
const MACH_PORT_ALLOCATE_ID: i32 = 3204;
const MACH_PORT_DESTROY_ID: i32 = 3205;
const MACH_PORT_DEALLOCATE_ID: i32 = 3206;
const MACH_PORT_GET_REFS_ID: i32 = 3207;
const MACH_PORT_MOD_REFS_ID: i32 = 3208;
const MACH_PORT_SET_MSCOUNT_ID: i32 = 3210;
const MACH_PORT_SET_SEQNO_ID: i32 = 3216;

/// The routine's arguments, or `MIG_BAD_ARGUMENTS` if the request does
/// not have exactly `n` of them.
fn args(msg: &KMsg, n: usize) -> KResult<KVec<u32>> {
    if msg.is_complex() || msg.data.len() != HEADER_SIZE + NDR_SIZE + 4 * n {
        return Err(MIG_BAD_ARGUMENTS);
    }
    let mut v = KVec::new();
    for i in 0..n {
        v.push(
            get_u32(&msg.data, HEADER_SIZE + NDR_SIZE + 4 * i),
            GFP_KERNEL,
        )
        .map_err(|_| KERN_RESOURCE_SHORTAGE)?;
    }
    Ok(v)
}

/// Runs a `mach_port` routine on `task`; its results.
fn mach_port_routine(task: &Task, msg: &KMsg) -> KResult<KVec<u32>> {
    let mut res = KVec::new();
    let mut push = |v: u32| res.push(v, GFP_KERNEL).map_err(|_| KERN_RESOURCE_SHORTAGE);
    match msg.id() {
        MACH_PORT_TYPE_ID => push(port_calls::port_type_of(task, args(msg, 1)?[0])?)?,
        MACH_PORT_ALLOCATE_NAME_ID => {
            let a = args(msg, 2)?;
            if !name_valid(a[1]) {
                return Err(KERN_INVALID_VALUE);
            }
            port_calls::allocate(task, a[0], Some(a[1]))?;
        }
        MACH_PORT_ALLOCATE_ID => push(port_calls::allocate(task, args(msg, 1)?[0], None)?)?,
        MACH_PORT_DESTROY_ID => port_calls::destroy(task, args(msg, 1)?[0])?,
        MACH_PORT_DEALLOCATE_ID => port_calls::deallocate(task, args(msg, 1)?[0])?,
        MACH_PORT_GET_REFS_ID => {
            let a = args(msg, 2)?;
            push(port_calls::get_refs(task, a[0], a[1])?)?;
        }
        MACH_PORT_MOD_REFS_ID => {
            let a = args(msg, 3)?;
            port_calls::mod_refs(task, a[0], a[1], a[2] as i32)?;
        }
        MACH_PORT_SET_MSCOUNT_ID => {
            let a = args(msg, 2)?;
            port_calls::set_mscount(task, a[0], a[1])?;
        }
        MACH_PORT_SET_SEQNO_ID => {
            let a = args(msg, 2)?;
            port_calls::set_seqno(task, a[0], a[1])?;
        }
        _ => return Err(MIG_BAD_ID),
    }
    Ok(res)
}

/// Builds the reply: header, NDR, return code, results (none on error, as
/// `mig_reply_error_t`).
fn reply_bytes(id: i32, dest_type: u32, kr: Kr, results: &[u32]) -> Result<KVVec<u8>> {
    let size = HEADER_SIZE + NDR_SIZE + 4 + 4 * results.len();
    let mut d = KVVec::new();
    d.resize(size, 0, GFP_KERNEL)?;
    put_u32(&mut d, OFF_BITS, dest_type);
    put_u32(&mut d, OFF_SIZE, size as u32);
    put_u32(&mut d, OFF_ID, id.wrapping_add(100) as u32);
    copy_bytes(&mut d[HEADER_SIZE..], &crate::notify::NDR);
    put_u32(&mut d, HEADER_SIZE + NDR_SIZE, kr as u32);
    for (i, v) in results.iter().enumerate() {
        put_u32(&mut d, HEADER_SIZE + NDR_SIZE + 4 + 4 * i, *v);
    }
    Ok(d)
}

/// Serves a message sent to a kernel port, then destroys it.
pub(crate) fn serve(mut msg: KBox<KMsg>, out: &mut Outbox) {
    let task = msg
        .dest
        .as_ref()
        .and_then(|d| match &d.port().inner.lock().kobject {
            KObject::Task(t) => Some(t.clone()),
            _ => None,
        });
    let result = match &task {
        Some(t) if t.is_active() => mach_port_routine(t, &msg),
        Some(_) => Err(KERN_INVALID_TASK),
        None => Err(MIG_BAD_ID),
    };
    if let Some(t) = task {
        out.drop_task(t);
    }
    let id = msg.id();
    if let Some(CopiedRight::Right(reply)) = msg.reply.take() {
        let (kr, results) = match &result {
            Ok(r) => (0, &r[..]),
            Err(kr) => (*kr, &[][..]),
        };
        let dest_type = reply.msg_type();
        match reply_bytes(id, dest_type, kr, results) {
            Ok(data) => send_reply(data, reply, dest_type, out),
            Err(_) => out.release(reply),
        }
    }
    if let Some(d) = msg.dest.take() {
        out.consume(d);
    }
    out.destroy_msg(msg);
}

fn send_reply(data: KVVec<u8>, reply: crate::right::Right, dest_type: u32, out: &mut Outbox) {
    // Allocate first, so that a failure still has the right to release.
    let Ok(slot) = KBox::<KMsg>::new_uninit(GFP_KERNEL) else {
        out.release(reply);
        return;
    };
    let msg = KBox::write(
        slot,
        KMsg {
            data,
            dest: Some(reply),
            dest_type,
            reply: None,
            reply_type: 0,
            descs: KVec::new(),
            sender: Sender::default(),
            seqno: 0,
            context: 0,
        },
    );
    // The kernel never waits for room: a full queue loses the reply.
    if let Err((_, msg)) = deliver(msg, MACH_SEND_TIMEOUT, 0, out) {
        out.destroy_msg(msg);
    }
}
