// SPDX-License-Identifier: GPL-2.0

//! `mach_msg`: send, receive, or both in one call (XNU `mach_msg.c`).
//!
//! The send copies the message in (`kmsg_copyin.rs`), then queues it on
//! its destination (`mqueue.rs`) or has the kernel serve it (`kserver.rs`);
//! a send that fails after copyin pseudo-receives: the rights go back into
//! the sender's space and the message is written back to its buffer. The
//! work the send deferred (a kernel reply, notifications, wake-ups) is done
//! before the receive starts (by the caller, `file.rs`, which runs the two
//! halves). The receive dequeues a message from a port
//! or a set and copies it out (`kmsg_copyout.rs`).

use kernel::uaccess::{UserPtr, UserSlice};

use crate::{
    kmsg::{self, Sender, OFF_LOCAL, OFF_SIZE},
    kmsg_copyin::{self, SendArgs},
    kmsg_copyout, kserver,
    mach::*,
    mqueue::{self, Got, RcvOpts, SendOpts, Sent},
    outbox::Outbox,
    process,
    space::Object,
    task::Task,
    uapi::Msg,
    waitq::Budget,
};

/// Who the calling process is, for the trailer.
fn sender(task: &Task) -> Sender {
    Sender {
        pid: Some(task.owner().clone_ref()),
        pidversion: task.pid_version(),
        ids: process::current_ids(),
    }
}

/// The send half of `mach_msg` (`MACH_SEND_MSG`).
pub(crate) fn send(task: &Task, m: &Msg, out: &mut Outbox) -> MsgReturn {
    let args = SendArgs {
        buf: m.send_buf,
        size: m.send_size,
        notify: m.option & MACH_SEND_NOTIFY != 0,
    };
    let msg = match kmsg_copyin::read(&args, sender(task), &task.space.kmsgs) {
        Ok(msg) => msg,
        Err(mr) => return mr,
    };
    let copied = match kmsg_copyin::copyin(&task.space.inner, msg, &args, out) {
        Ok(c) => c,
        Err(mr) => return mr,
    };
    if copied.circular {
        // A receive right sent into its own destination chain: the message
        // is destroyed and the send succeeds (XNU).
        out.destroy(copied.msg);
        return MsgReturn::SUCCESS;
    }
    let opts = SendOpts {
        budget: Budget::new(m.option & MACH_SEND_TIMEOUT != 0, m.timeout),
        always: copied.always,
    };
    match mqueue::send(copied.msg, opts, &task.space.waiters, out) {
        Ok(Sent::Posted) | Ok(Sent::Destroyed) => MsgReturn::SUCCESS,
        Ok(Sent::Kernel(msg)) => {
            kserver::serve(msg, out);
            MsgReturn::SUCCESS
        }
        Err((mr, mut msg)) => {
            let (len, mods) = kmsg_copyout::pseudo(&task.space.inner, &mut msg, out);
            let mods = if kmsg_copyout::put(kmsg::body(&mut msg), m.send_buf, len).is_err() {
                mods | MsgReturn::VM_SPACE
            } else {
                mods
            };
            if msg.body.holds_rights() {
                out.destroy(msg);
            } else {
                task.space.kmsgs.give(msg);
            }
            mr.with(mods)
        }
    }
}

/// What a receive waits on, or what it got at once.
enum Source {
    Port(kernel::sync::Arc<crate::port::Port>),
    Set(kernel::sync::Arc<crate::pset::PortSet>),
    Got(Got),
}

/// Resolves the receive name: a receive right or a port set. A message
/// already queued on a receive right is taken here, under the space lock
/// (the lock order allows the port's lock inside it), so that the port
/// needs no reference of its own.
fn source(
    task: &Task,
    name: u32,
    rcv: &RcvOpts,
    out: &mut Outbox,
) -> core::result::Result<Source, MsgReturn> {
    if !name_valid(name) {
        return Err(MsgReturn::RCV_INVALID_NAME);
    }
    let sp = task.space.inner.lock();
    let e = sp.get(name).map_err(|_| MsgReturn::RCV_INVALID_NAME)?;
    match &e.object {
        Object::Port(p) if e.ty & TYPE_RECEIVE != 0 => Ok(
            match mqueue::try_receive_port(task.space.id, name, p, rcv, out) {
                Some(got) => Source::Got(got),
                None => Source::Port(p.clone()),
            },
        ),
        Object::Set(s) => Ok(Source::Set(s.clone())),
        _ => Err(MsgReturn::RCV_INVALID_NAME),
    }
}

/// Writes `bytes` at `off` in the user buffer at `addr`; false if that
/// fails (a buffer whose end would pass the top of the address space
/// included: `addr` is the caller's).
fn write_user(addr: u64, off: usize, bytes: &[u8]) -> bool {
    let Some(at) = (addr as usize).checked_add(off) else {
        return false;
    };
    UserSlice::new(UserPtr::from_addr(at), bytes.len())
        .writer()
        .write_slice(bytes)
        .is_ok()
}

/// The receive half of `mach_msg` (`MACH_RCV_MSG`).
pub(crate) fn receive(task: &Task, m: &Msg, out: &mut Outbox) -> MsgReturn {
    let tsize = kmsg_copyout::trailer_size(m.option);
    let rcv = RcvOpts {
        room: m.rcv_size.saturating_sub(tsize),
        large: m.option & MACH_RCV_LARGE != 0,
        budget: Budget::new(m.option & MACH_RCV_TIMEOUT != 0, m.timeout),
    };
    let pool = &task.space.waiters;
    let got = match source(task, m.rcv_name, &rcv, out) {
        Ok(Source::Got(got)) => Ok(got),
        Ok(Source::Port(p)) => mqueue::receive_port(task.space.id, m.rcv_name, &p, rcv, pool, out),
        Ok(Source::Set(s)) => mqueue::receive_set(task.space.id, &s, rcv, pool, out),
        Err(mr) => Err(mr),
    };
    let (mut msg, name) = match got {
        Err(mr) => return mr,
        Ok(Got::TooLarge { size, name }) => {
            // Left queued; the caller learns the size it needs (without
            // the trailer) and, if it asked, which port it came from.
            if m.option & MACH_RCV_LARGE_IDENTITY != 0
                && !write_user(m.rcv_buf, OFF_LOCAL, &name.to_ne_bytes())
            {
                return MsgReturn::RCV_INVALID_DATA;
            }
            if !write_user(m.rcv_buf, OFF_SIZE, &size.to_ne_bytes()) {
                return MsgReturn::RCV_INVALID_DATA;
            }
            return MsgReturn::RCV_TOO_LARGE;
        }
        Ok(Got::Msg(msg, name)) => (msg, name),
    };
    let (len, code) = if msg.size() > rcv.room {
        // Too large and no MACH_RCV_LARGE: consumed; the caller gets the
        // header and the trailer (`msg_receive_error`).
        let len = kmsg_copyout::error_reply(kmsg::body(&mut msg), name, tsize, m.option, out);
        (len.min(m.rcv_size as usize), MsgReturn::RCV_TOO_LARGE)
    } else {
        let d = kmsg_copyout::receive(&task.space.inner, &mut msg, name, m.option, out);
        let len = if d.code == MsgReturn::RCV_HEADER_ERROR.with(MsgReturn::IPC_SPACE) {
            d.len.min(m.rcv_size as usize)
        } else {
            d.len
        };
        (len, d.code)
    };
    let copied = kmsg_copyout::put(kmsg::body(&mut msg), m.rcv_buf, len).is_ok();
    if msg.body.holds_rights() {
        out.destroy(msg);
    } else {
        // The structure serves this space's next send (the reply).
        task.space.kmsgs.give(msg);
    }
    if !copied {
        return MsgReturn::RCV_INVALID_DATA;
    }
    code
}
