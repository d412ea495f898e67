// SPDX-License-Identifier: GPL-2.0

//! Message queues: delivery to a port, dequeue from a port or a port set,
//! and the waits of both (XNU `ipc_mqueue.c`).
//!
//! Delivery posts a message under the destination's lock: straight to a
//! receiver already waiting on the port or on one of its sets (XNU's
//! handoff: the sender does the dequeue work and the receiver neither
//! relocks the port nor dequeues), or onto the queue, making the port
//! ready in its sets. A full queue makes the sender wait for room.
//!
//! Dequeue happens under the port's lock and does everything a received
//! message needs from the port at once: its sequence number and context,
//! the use of its destination right (a right to this very port), room for
//! a blocked sender, the send-possible notifications. Waiters are woken
//! after the locks are dropped, through the [`Outbox`].

use kernel::sync::Arc;

use crate::{
    ipc_object,
    kmsg::{self, MsgBox},
    mach::*,
    outbox::Outbox,
    port::{Port, PortInner, Receiver},
    pset::{self, PortSet},
    stats,
    waitq::{self, Budget, Interrupted, Outcome, WaiterPool},
};

/// How a send may wait.
#[derive(Clone, Copy)]
pub(crate) struct SendOpts {
    pub(crate) budget: Budget,
    /// Never wait for room (kernel messages; `MACH_SEND_NOTIFY` on a queue
    /// with room): XNU's `MACH_SEND_ALWAYS`.
    pub(crate) always: bool,
}

/// What became of a sent message.
pub(crate) enum Sent {
    /// Queued or handed to a receiver.
    Posted,
    /// The destination is a kernel port: the caller serves it.
    Kernel(MsgBox),
    /// The destination is dead: destroyed (the send succeeds, as XNU).
    Destroyed,
}

/// The name of a port's receive right in its space (0 if none).
fn receiver_name(pi: &PortInner) -> u32 {
    match pi.receiver {
        Receiver::Space { name, .. } => name,
        _ => MACH_PORT_NULL,
    }
}

/// The dequeue bookkeeping of message `msg`, taken off `port` (locked):
/// sequence number, context, its destination right used up, send-possible
/// notifications (XNU fires them at every receive from the port).
fn dequeued(port: &Port, pi: &mut PortInner, mut msg: MsgBox, out: &mut Outbox) -> MsgBox {
    let b = kmsg::body(&mut msg);
    b.seqno = pi.seqno;
    pi.seqno = pi.seqno.wrapping_add(1);
    b.context = pi.context;
    if let Some(d) = b.dest.take() {
        ipc_object::consume_dest(d, port, pi, out);
    }
    pi.send_possible(out);
    msg
}

/// Whether the queue takes one more message: below its limit, or (a
/// send-once destination, or `always`) below the kernel limit.
fn has_room(pi: &PortInner, send_once: bool, always: bool) -> bool {
    let len = pi.queue.len();
    len < pi.qlimit || ((send_once || always) && len < QLIMIT_KERNEL)
}

/// `ipc_mqueue_post` under the destination's lock: hands `msg` to a
/// waiting receiver of the port or of one of its sets, or queues it. The
/// caller checked there is room.
pub(crate) fn post_locked(port: &Arc<Port>, pi: &mut PortInner, msg: MsgBox, out: &mut Outbox) {
    let size = msg.size();
    let name = receiver_name(pi);
    if pi.queue.is_empty() {
        if let Some(w) = waitq::take_acceptor(&mut pi.rcv_waiters, size, name, &mut out.wakes) {
            let msg = dequeued(port, pi, msg, out);
            out.wakes.push(w, Outcome::Msg(msg, name));
            stats::count(stats::Counter::HandoffsTotal);
            return;
        }
        // Each set: a waiting receiver takes it, or the port becomes ready.
        let mut sets = pset::take_all(&mut pi.memberships);
        let mut msg = Some(msg);
        while let Some(m) = sets.pop_front() {
            let handle = m.clone_arc();
            pi.memberships.push_back(m);
            if let Some(mm) = msg.take() {
                let mut held = Some(mm);
                let handed = handle.set.post(&handle, size, name, out, |out| {
                    // Always `Some`: `post` calls this at most once.
                    let mm = held.take().unwrap_or_else(|| unreachable!());
                    dequeued(port, pi, mm, out)
                });
                if handed {
                    stats::count(stats::Counter::HandoffsTotal);
                } else {
                    msg = held;
                }
            }
        }
        match msg {
            Some(m) => queue(pi, m),
            None => return,
        }
        return;
    }
    queue(pi, msg);
}

/// Queues `msg`; the port's descriptors become readable.
fn queue(pi: &mut PortInner, msg: MsgBox) {
    pi.queue.push(msg);
    if let Some(p) = &pi.poll {
        p.set_ready(true);
    }
}

/// Tries to post without waiting: `Err` gives the message back if the
/// queue is full. Lock held.
pub(crate) fn try_post_locked(
    port: &Arc<Port>,
    pi: &mut PortInner,
    msg: MsgBox,
    always: bool,
    out: &mut Outbox,
) -> core::result::Result<(), MsgBox> {
    let send_once = msg.body.dest_type == MSG_TYPE_PORT_SEND_ONCE;
    if !has_room(pi, send_once, always) {
        return Err(msg);
    }
    post_locked(port, pi, msg, out);
    Ok(())
}

/// `ipc_mqueue_send`: queues `msg` on its destination, waiting for room
/// as `opts` say. On failure the message comes back with the code.
pub(crate) fn send(
    msg: MsgBox,
    opts: SendOpts,
    pool: &WaiterPool,
    out: &mut Outbox,
) -> core::result::Result<Sent, (MsgReturn, MsgBox)> {
    let Some(port) = msg.dest_port().cloned() else {
        return Err((MsgReturn::SEND_INVALID_DEST, msg));
    };
    let mut budget = opts.budget;
    let mut msg = msg;
    loop {
        let mut pi = port.inner.lock();
        if !pi.active {
            drop(pi);
            out.destroy(msg);
            return Ok(Sent::Destroyed);
        }
        if pi.receiver == Receiver::Kernel {
            return Ok(Sent::Kernel(msg));
        }
        msg = match try_post_locked(&port, &mut pi, msg, opts.always, out) {
            Ok(()) => return Ok(Sent::Posted),
            Err(m) => m,
        };
        // Full: as XNU, a zero timeout fails first, then the kernel limit.
        let code = if budget.is_poll() {
            Some(MsgReturn::SEND_TIMED_OUT)
        } else if pi.queue.len() >= QLIMIT_KERNEL {
            Some(MsgReturn::SEND_NO_BUFFER)
        } else {
            None
        };
        if let Some(code) = code {
            return Err((code, msg));
        }
        let (w, handle) = match pool.get(0, false) {
            Ok(x) => x,
            Err(_) => return Err((MsgReturn::SEND_NO_BUFFER, msg)),
        };
        pi.snd_waiters.push_back(w);
        drop(pi);
        let slept = handle.sleep(&mut budget);
        if slept.is_err() {
            let mut pi = port.inner.lock();
            waitq::cancel(&mut pi.snd_waiters, &handle);
        }
        let outcome = handle.take_outcome();
        pool.put(handle);
        let code = match (outcome, slept) {
            (Outcome::Changed, _) => MsgReturn::SEND_INVALID_DEST,
            (Outcome::Woken, _) => continue,
            (_, Err(Interrupted::TimedOut)) => MsgReturn::SEND_TIMED_OUT,
            (_, Err(Interrupted::Signal)) => MsgReturn::SEND_INTERRUPTED,
            (_, Ok(())) => continue,
        };
        return Err((code, msg));
    }
}

/// A received message, or the report of one too large for the buffer.
pub(crate) enum Got {
    /// The message, from the port the receive right has this name for.
    Msg(MsgBox, u32),
    /// `MACH_RCV_LARGE`: left queued; its size (without trailer).
    TooLarge { size: u32, name: u32 },
}

/// What a receiver accepts.
#[derive(Clone, Copy)]
pub(crate) struct RcvOpts {
    /// The most message bytes that fit (the buffer less the trailer).
    pub(crate) room: u32,
    pub(crate) large: bool,
    pub(crate) budget: Budget,
}

/// `ipc_mqueue_select_on_thread` for a locked port: takes its first message
/// if it fits (or `MACH_RCV_LARGE` is not set), leaving the port unready
/// in its sets if that was the last.
fn take_front(port: &Port, pi: &mut PortInner, rcv: &RcvOpts, out: &mut Outbox) -> Option<Got> {
    let size = pi.queue.front_size()?;
    let name = receiver_name(pi);
    if size > rcv.room && rcv.large {
        return Some(Got::TooLarge { size, name });
    }
    let msg = pi.queue.pop()?;
    let msg = dequeued(port, pi, msg, out);
    if !pi.full() {
        out.wakes.one(&mut pi.snd_waiters);
    }
    if pi.queue.is_empty() {
        for m in pi.memberships.iter() {
            m.set.unready(&m);
        }
        if let Some(p) = &pi.poll {
            p.set_ready(false);
        }
    }
    Some(Got::Msg(msg, name))
}

/// The outcome of a finished wait, as a receive result.
fn rcv_outcome(
    outcome: Outcome,
    slept: core::result::Result<(), Interrupted>,
) -> Option<core::result::Result<Got, MsgReturn>> {
    match outcome {
        Outcome::Msg(m, name) => Some(Ok(Got::Msg(m, name))),
        Outcome::TooLarge { size, name } => Some(Ok(Got::TooLarge { size, name })),
        Outcome::Changed => Some(Err(MsgReturn::RCV_PORT_CHANGED)),
        Outcome::Woken | Outcome::Waiting => match slept {
            Ok(()) => None,
            Err(Interrupted::TimedOut) => Some(Err(MsgReturn::RCV_TIMED_OUT)),
            Err(Interrupted::Signal) => Some(Err(MsgReturn::RCV_INTERRUPTED)),
        },
    }
}

/// The first message of a port the caller names with its space locked,
/// if one is queued and the port is still that space's receive right
/// `name`: a receive that needs no wait, and no reference to the port.
/// `None`: the full [`receive_port`] decides (waits, or fails).
pub(crate) fn try_receive_port(
    space: u64,
    name: u32,
    port: &Port,
    rcv: &RcvOpts,
    out: &mut Outbox,
) -> Option<Got> {
    let mut pi = port.inner.lock();
    if !pi.active || pi.receiver != (Receiver::Space { space, name }) {
        return None;
    }
    take_front(port, &mut pi, rcv, out)
}

/// Receives from the port whose receive right is `name` in the space with
/// id `space`.
pub(crate) fn receive_port(
    space: u64,
    name: u32,
    port: &Arc<Port>,
    mut rcv: RcvOpts,
    pool: &WaiterPool,
    out: &mut Outbox,
) -> core::result::Result<Got, MsgReturn> {
    let mut waited = false;
    loop {
        let mut pi = port.inner.lock();
        if !pi.active || pi.receiver != (Receiver::Space { space, name }) {
            // As XNU: a receiver whose port went away while it waited is
            // restarted with MACH_RCV_PORT_CHANGED.
            return Err(if waited {
                MsgReturn::RCV_PORT_CHANGED
            } else {
                MsgReturn::RCV_PORT_DIED
            });
        }
        if let Some(got) = take_front(port, &mut pi, &rcv, out) {
            return Ok(got);
        }
        if rcv.budget.is_poll() {
            return Err(MsgReturn::RCV_TIMED_OUT);
        }
        // No memory for a waiter (the pool was empty): the receive ends as
        // if its time ran out. XNU's waits cannot fail; a timeout is the
        // outcome every caller handles without retrying at once.
        let (w, handle) = pool
            .get(rcv.room, rcv.large)
            .map_err(|_| MsgReturn::RCV_TIMED_OUT)?;
        pi.rcv_waiters.push_back(w);
        drop(pi);
        handle.spin(crate::limits::rcv_spin_us());
        let slept = handle.sleep(&mut rcv.budget);
        if slept.is_err() {
            waitq::cancel(&mut port.inner.lock().rcv_waiters, &handle);
        }
        let outcome = handle.take_outcome();
        pool.put(handle);
        waited = true;
        if let Some(r) = rcv_outcome(outcome, slept) {
            return r;
        }
    }
}

/// Receives from a port set of the space with id `space`: the first
/// message of the first ready member (members are ready in the order they
/// got their first message).
pub(crate) fn receive_set(
    space: u64,
    set: &Arc<PortSet>,
    mut rcv: RcvOpts,
    pool: &WaiterPool,
    out: &mut Outbox,
) -> core::result::Result<Got, MsgReturn> {
    let mut waited = false;
    let dead = |waited: bool| {
        if waited {
            MsgReturn::RCV_PORT_CHANGED
        } else {
            MsgReturn::RCV_PORT_DIED
        }
    };
    loop {
        // No memory for a waiter: as in `receive_port`.
        let (w, handle) = pool
            .get(rcv.room, rcv.large)
            .map_err(|_| MsgReturn::RCV_TIMED_OUT)?;
        let ready = match set.ready_or_wait(w) {
            Ok(r) => r,
            Err(()) => {
                pool.put(handle);
                return Err(dead(waited));
            }
        };
        if let Some(m) = ready {
            pool.put(handle);
            let port = m.port.clone();
            let mut pi = port.inner.lock();
            let ours =
                pi.active && matches!(pi.receiver, Receiver::Space { space: s, .. } if s == space);
            if ours {
                if let Some(got) = take_front(&port, &mut pi, &rcv, out) {
                    return Ok(got);
                }
            }
            drop(pi);
            // Stale (someone took its messages): no longer ready.
            set.unready(&m);
            continue;
        }
        if rcv.budget.is_poll() {
            set.cancel_wait(&handle);
            let outcome = handle.take_outcome();
            pool.put(handle);
            if let Some(r) = rcv_outcome(outcome, Ok(())) {
                return r;
            }
            return Err(MsgReturn::RCV_TIMED_OUT);
        }
        handle.spin(crate::limits::rcv_spin_us());
        let slept = handle.sleep(&mut rcv.budget);
        if slept.is_err() {
            set.cancel_wait(&handle);
        }
        let outcome = handle.take_outcome();
        pool.put(handle);
        waited = true;
        match rcv_outcome(outcome, slept) {
            Some(Err(e)) if e == MsgReturn::RCV_PORT_CHANGED => return Err(dead(true)),
            Some(r) => return r,
            None => {}
        }
    }
}

/// Raising a queue limit wakes blocked senders (and fires armed
/// send-possible requests if there is room), as XNU's
/// `ipc_mqueue_set_qlimit`. Lock held.
pub(crate) fn qlimit_changed(pi: &mut PortInner, out: &mut Outbox) {
    let mut room = pi.qlimit.saturating_sub(pi.queue.len());
    while room > 0 && !pi.snd_waiters.is_empty() {
        out.wakes.one(&mut pi.snd_waiters);
        room -= 1;
    }
    if !pi.full() {
        pi.send_possible(out);
    }
}
