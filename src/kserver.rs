// SPDX-License-Identifier: GPL-2.0

//! The kernel's message server: messages sent to kernel ports are answered
//! synchronously, MIG-style (XNU `ipc_kobject_server`).
//!
//! A request is `mach_msg_header_t`, an `NDR_record_t` and the routine's
//! arguments; the reply, sent to the request's reply right (its
//! disposition as the reply's remote), has id + 100 and carries the NDR
//! record, the return code and the routine's results. Unknown ids get
//! `MIG_BAD_ID`, malformed requests `MIG_BAD_ARGUMENTS`. A failed routine's
//! request is destroyed with all it carries, as XNU does; a reply to a
//! kernel port is destroyed. The reply is queued on the outbox, so it goes
//! out once every lock is dropped, in order.



use crate::{
    ipc_kobject::KObject,
    ipc_object,
    kmsg::{self, MsgBox, HEADER_SIZE, NDR, NDR_SIZE},
    mach::*,
    outbox::Outbox,
    port_calls,
    right::MsgPort,
    task::Task,
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

/// Most scalar results of a routine.
const RESULTS_MAX: usize = 4;

/// A routine's scalar results.
struct Results {
    v: [u32; RESULTS_MAX],
    n: usize,
}

impl Results {
    fn none() -> Results {
        Results { v: [0; RESULTS_MAX], n: 0 }
    }

    fn one(x: u32) -> Results {
        let mut r = Results::none();
        r.v[0] = x;
        r.n = 1;
        r
    }
}

/// The `N` 32-bit arguments after the NDR record, or `MIG_BAD_ARGUMENTS`
/// if the request does not have exactly that many.
fn args<const N: usize>(msg: &MsgBox) -> KResult<[u32; N]> {
    let b = &msg.body;
    if b.hdr.is_complex() || b.len() as usize != HEADER_SIZE + NDR_SIZE + 4 * N {
        return Err(Kr::MIG_BAD_ARGUMENTS);
    }
    let bytes = b.bytes();
    Ok(core::array::from_fn(|i| kmsg::get_u32(bytes, HEADER_SIZE + NDR_SIZE + 4 * i)))
}

/// Runs a `mach_port` routine on `task`'s space.
fn mach_port_routine(task: &Task, msg: &MsgBox, out: &mut Outbox) -> KResult<Results> {
    let acct = task.account();
    Ok(match msg.body.hdr.id {
        MACH_PORT_TYPE_ID => Results::one(port_calls::port_type_of(task, args::<1>(msg)?[0])?),
        MACH_PORT_ALLOCATE_NAME_ID => {
            let [right, name] = args::<2>(msg)?;
            if !name_valid(name) {
                return Err(Kr::INVALID_VALUE);
            }
            port_calls::allocate(task, &acct, right, Some(name))?;
            Results::none()
        }
        MACH_PORT_ALLOCATE_ID => Results::one(port_calls::allocate(task, &acct, args::<1>(msg)?[0], None)?),
        MACH_PORT_DESTROY_ID => {
            port_calls::destroy(task, args::<1>(msg)?[0], out)?;
            Results::none()
        }
        MACH_PORT_DEALLOCATE_ID => {
            port_calls::deallocate(task, args::<1>(msg)?[0], out)?;
            Results::none()
        }
        MACH_PORT_GET_REFS_ID => {
            let [name, right] = args::<2>(msg)?;
            Results::one(port_calls::get_refs(task, name, right)?)
        }
        MACH_PORT_MOD_REFS_ID => {
            let [name, right, delta] = args::<3>(msg)?;
            port_calls::mod_refs(task, name, right, delta as i32, out)?;
            Results::none()
        }
        MACH_PORT_SET_MSCOUNT_ID => {
            let [name, mscount] = args::<2>(msg)?;
            port_calls::set_mscount(task, name, mscount)?;
            Results::none()
        }
        MACH_PORT_SET_SEQNO_ID => {
            let [name, seqno] = args::<2>(msg)?;
            port_calls::set_seqno(task, name, seqno)?;
            Results::none()
        }
        _ => return Err(Kr::MIG_BAD_ID),
    })
}

/// Queues the reply (`mig_reply_error_t` on failure: no results) to the
/// request's reply right.
fn reply(msg: &mut MsgBox, result: &KResult<Results>, out: &mut Outbox) {
    let id = msg.body.hdr.id;
    let b = kmsg::body(msg);
    let MsgPort::Right(to) = core::mem::replace(&mut b.reply, MsgPort::Null) else {
        return;
    };
    let (kr, results): (i32, &[u32]) = match result {
        Ok(r) => (0, &r.v[..r.n]),
        Err(kr) => (kr.raw(), &[]),
    };
    let len = HEADER_SIZE + NDR_SIZE + 4 + 4 * results.len();
    let Ok(mut m) = kmsg::kernel_message(to, id.wrapping_add(100), len) else {
        crate::stats::count(crate::stats::Counter::KernelRepliesDroppedTotal);
        return;
    };
    let bytes = kmsg::body(&mut m).bytes_mut();
    kmsg::copy_bytes(&mut bytes[HEADER_SIZE..], &NDR);
    kmsg::put_u32(bytes, HEADER_SIZE + NDR_SIZE, kr as u32);
    for (i, v) in results.iter().enumerate() {
        kmsg::put_u32(bytes, HEADER_SIZE + NDR_SIZE + 4 + 4 * i, *v);
    }
    out.deliver(m);
}

/// Serves a message sent to a kernel port, then disposes of it.
pub(crate) fn serve(mut msg: MsgBox, out: &mut Outbox) {
    let task = msg.dest_port().and_then(|p| match &p.inner.lock().kobject {
        KObject::Task(t) => Some(t.clone()),
        _ => None,
    });
    let result = match &task {
        Some(t) if t.is_active() => mach_port_routine(t, &msg, out),
        Some(_) => Err(Kr::INVALID_TASK),
        None => Err(Kr::MIG_BAD_ID),
    };
    drop(task);
    reply(&mut msg, &result, out);
    let b = kmsg::body(&mut msg);
    if let Some(d) = b.dest.take() {
        ipc_object::consume_dest_unlocked(d, out);
    }
    if b.holds_rights() {
        out.destroy(msg);
    }
}
