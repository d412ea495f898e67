// SPDX-License-Identifier: GPL-2.0

//! Doing the deferred work of an [`Outbox`], with no lock held: the one
//! place that delivers notifications and kernel replies, destroys messages
//! and sends the dead-name notifications of dead ports. Also the work
//! items that run it outside a call (a task whose process exited).
//!
//! Every step is bounded (one message delivered, a few rights of a message
//! released, one dead-name notification), and what a step creates is done
//! before what was already pending (depth first), which is the order XNU's
//! recursive code sends notifications in. Nothing here recurses, however
//! deep the chain of ports in messages in ports.
//!
//! A message the kernel itself sends (a notification, a reply) that cannot
//! be delivered -- its queue is at `MACH_PORT_QLIMIT_KERNEL`, or its port
//! is a kernel port -- is destroyed without notifying anyone, so no
//! notification can beget another without end.

use kernel::sync::Arc;

use crate::{
    ipc_object,
    kmsg::{self, Action, Desc, MsgBox},
    kserver, mqueue, notify,
    outbox::Outbox,
    port::{self, Receiver},
    right::{MsgPort, RightKind},
    task::Task,
};

/// Rights released per step of a message's destruction.
const RIGHTS_PER_STEP: usize = 32;

/// Does all the work of `out`, and the work that work creates.
pub(crate) fn flush(out: &mut Outbox) {
    // Most calls leave nothing to do.
    if out.is_empty() {
        return;
    }
    loop {
        out.wake();
        if let Some(m) = out.pop_msg() {
            let mut newer = Outbox::new();
            match m.body.action {
                Action::Deliver => deliver(m, &mut newer),
                Action::Destroy => destroy_step(m, &mut newer),
            }
            out.prepend(newer);
            continue;
        }
        if let Some(table) = out.pop_table() {
            let mut newer = Outbox::new();
            if let Some((r, name)) = table.reap_one() {
                notify::dead_name(r, name, &mut newer);
                // The rest of the table after this notification.
                newer.reap(table);
            }
            out.prepend(newer);
            continue;
        }
        break;
    }
}

/// Releases the next few rights of a message being destroyed; the message
/// goes back behind the work that creates, until it holds none.
fn destroy_step(mut m: MsgBox, out: &mut Outbox) {
    let from_kernel = m.body.from_kernel;
    for _ in 0..RIGHTS_PER_STEP {
        let Some(r) = kmsg::body(&mut m).take_right() else {
            return;
        };
        if from_kernel && r.kind() == RightKind::SendOnce {
            // A kernel message not delivered: its send-once right goes away
            // without a send-once notification.
            notify::drop_silently(r);
        } else {
            ipc_object::release(r, out);
        }
    }
    if m.body.holds_rights() {
        out.destroy(m);
    }
}

/// Whether delivering `m` to its destination would put one of the receive
/// rights it carries into its own destination chain; if not, they enter
/// transit to it.
fn circular(m: &MsgBox) -> bool {
    let Some(dest) = m.dest_port().cloned() else {
        return false;
    };
    for d in m.body.descs.iter() {
        let ports: &[MsgPort] = match d {
            Desc::Port { port, .. } => core::slice::from_ref(port),
            Desc::OolPorts { ports, .. } => ports,
            Desc::Ool { .. } => &[],
        };
        for p in ports {
            if let MsgPort::Right(r) = p {
                if r.kind() == RightKind::Receive && port::enter_transit(r.port(), &dest) {
                    return true;
                }
            }
        }
    }
    false
}

/// Delivers a kernel message (a notification, a reply): never waits. A
/// message for a kernel port goes to its server, unless it is itself from
/// the kernel (XNU destroys a reply to a kernel port).
fn deliver(m: MsgBox, out: &mut Outbox) {
    if m.body.carries_receive && circular(&m) {
        // The port-destroyed notification of a port would carry it into
        // itself: the port dies after all.
        out.destroy(m);
        return;
    }
    let Some(port) = m.dest_port().cloned() else {
        out.destroy(m);
        return;
    };
    let mut pi = port.inner.lock();
    if !pi.active {
        drop(pi);
        out.destroy(m);
        return;
    }
    if pi.receiver == Receiver::Kernel {
        drop(pi);
        if m.body.from_kernel {
            kserver::kernel_notification(&port, m, out);
        } else {
            kserver::serve(m, out);
        }
        return;
    }
    if let Err(m) = mqueue::try_post_locked(&port, &mut pi, m, true, out) {
        drop(pi);
        crate::stats::count(crate::stats::Counter::NotificationsDroppedTotal);
        out.destroy(m);
    }
}

/// The exit work of a thread object: its Linux thread exited (or was
/// reaped); the object dies if it is gone.
pub(crate) fn thread_exit_work(t: Arc<crate::thread::Thread>) {
    let mut out = Outbox::new();
    t.exit_check(&mut out);
    flush(&mut out);
}

/// The exit work of a task: a thread of its process exited; the task dies
/// if the whole process is gone.
pub(crate) fn task_exit_work(task: Arc<Task>) {
    let mut out = Outbox::new();
    task.exit_check(&mut out);
    flush(&mut out);
}
