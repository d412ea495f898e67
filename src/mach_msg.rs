// SPDX-License-Identifier: GPL-2.0

//! `mach_msg`: send, receive, or both in one call (XNU `mach_msg.c`,
//! `ipc_kmsg.c`, `ipc_mqueue.c`).
//!
//! Send: the message is copied in from user memory (with its out-of-line
//! memory) with no lock held; then, under the sender's space lock, the
//! header rights are validated and copied in atomically (a failed header
//! leaves the space exactly as it was) and the body rights after them (a
//! failed body releases every right copied in, header rights too, as XNU
//! does). The message is queued on the destination port, blocking while the
//! queue is full. A send that fails after copyin (timed out, interrupted, no
//! buffer) pseudo-receives: the rights go back into the sender's space and
//! the message is written back to its buffer.
//!
//! Receive: waits for a message on a port or a port set, dequeues it (it
//! gets the port's next sequence number), then copies its rights out into
//! the receiver's space and its out-of-line memory into fresh mappings, and
//! writes header, body and the requested trailer to the receive buffer.
//!
//! Locks: a space lock and port locks are never held while user memory is
//! touched; waiting happens on the port's (or set's) own condition variable
//! with only that lock held.

use kernel::{
    alloc::KVVec,
    prelude::*,
    sync::{Arc, CondVarTimeoutResult},
    time::{msecs_to_jiffies, Jiffies},
    uaccess::{UserPtr, UserSlice},
};

use crate::{
    ipc_right,
    kmsg::*,
    kserver,
    mach::*,
    port::{Port, Receiver, TRANSIT},
    pset::PortSet,
    right::{CopiedRight, Outbox, Right},
    space::{Object, SpaceInner},
    task::Task,
    uapi::Msg,
};

/// A wait budget in jiffies: `None` waits forever.
struct Budget(Option<Jiffies>);

impl Budget {
    fn new(enabled: bool, ms: u32) -> Budget {
        Budget(enabled.then(|| msecs_to_jiffies(ms)))
    }

    fn expired(&self) -> bool {
        self.0 == Some(0)
    }

    fn jiffies(&self) -> Jiffies {
        self.0.unwrap_or(Jiffies::MAX)
    }
}

/// Why a wait ended.
enum Waited {
    Again,
    TimedOut,
    Interrupted,
}

/// Waits on `cond` with the guard, updating the budget.
fn wait<T>(
    cond: &kernel::sync::CondVar,
    guard: &mut kernel::sync::MutexGuard<'_, T>,
    budget: &mut Budget,
) -> Waited {
    match cond.wait_interruptible_timeout(guard, budget.jiffies()) {
        CondVarTimeoutResult::Timeout => Waited::TimedOut,
        CondVarTimeoutResult::Signal { .. } => Waited::Interrupted,
        CondVarTimeoutResult::Woken { jiffies } => {
            if budget.0.is_some() {
                budget.0 = Some(jiffies);
            }
            Waited::Again
        }
    }
}

/// A receiver's wait for a message (or for a change of its port or set):
/// `Ok` to look again.
fn wait_rcv<T>(
    cond: &kernel::sync::CondVar,
    guard: &mut kernel::sync::MutexGuard<'_, T>,
    budget: &mut Budget,
) -> KResult {
    if budget.expired() {
        return Err(MACH_RCV_TIMED_OUT);
    }
    match wait(cond, guard, budget) {
        Waited::Again => Ok(()),
        Waited::TimedOut => Err(MACH_RCV_TIMED_OUT),
        Waited::Interrupted => Err(MACH_RCV_INTERRUPTED),
    }
}

/// Runs one `mach_msg` call.
pub(crate) fn mach_msg(task: &Task, m: &Msg) -> Kr {
    if m.option & MACH_SEND_MSG != 0 {
        let mr = send(task, m);
        if mr != 0 {
            return mr;
        }
    }
    if m.option & MACH_RCV_MSG != 0 {
        return receive(task, m);
    }
    0
}

// ----------------------------------------------------------------- send --

/// Checks that copyin of `msgt` from `name` would succeed, changing
/// nothing (the lazy dead-name conversion has been done).
fn copyin_check(sp: &mut SpaceInner, name: u32, msgt: u32, deadok: bool) -> KResult {
    let e = sp.lookup(name)?;
    let need = match msgt {
        MSG_TYPE_MAKE_SEND | MSG_TYPE_MAKE_SEND_ONCE | MSG_TYPE_MOVE_RECEIVE => TYPE_RECEIVE,
        MSG_TYPE_COPY_SEND | MSG_TYPE_MOVE_SEND => TYPE_SEND,
        MSG_TYPE_MOVE_SEND_ONCE => TYPE_SEND_ONCE,
        _ => return Err(KERN_INVALID_VALUE),
    };
    if e.ty & need != 0 || (deadok && need != TYPE_RECEIVE && e.ty & TYPE_DEAD_NAME != 0) {
        Ok(())
    } else {
        Err(KERN_INVALID_RIGHT)
    }
}

/// The right a copyin without `deadok` gave (never a dead name).
fn expect_right(c: CopiedRight) -> KResult<Right> {
    match c {
        CopiedRight::Right(r) => Ok(r),
        CopiedRight::Dead => Err(KERN_INVALID_RIGHT),
    }
}

/// The header rights: destination and reply, copied in atomically.
fn copyin_header(
    sp: &mut SpaceInner,
    dest: (u32, u32),
    reply: (u32, u32),
    out: &mut Outbox,
) -> KResult<(Right, Option<CopiedRight>)> {
    let (dname, dtype) = dest;
    let (rname, rtype) = reply;
    ipc_right::check_dead(sp, dname);
    if name_valid(rname) {
        ipc_right::check_dead(sp, rname);
    }
    if dname == rname {
        // One name for both: validate the pair, then copy in the right
        // that copies before the one that moves.
        if dtype == MSG_TYPE_MOVE_SEND_ONCE || rtype == MSG_TYPE_MOVE_SEND_ONCE {
            return Err(MACH_SEND_INVALID_DEST);
        }
        copyin_check(sp, dname, dtype, false).map_err(|_| MACH_SEND_INVALID_DEST)?;
        copyin_check(sp, dname, rtype, false).map_err(|_| MACH_SEND_INVALID_DEST)?;
        let moves = u32::from(dtype == MSG_TYPE_MOVE_SEND) + u32::from(rtype == MSG_TYPE_MOVE_SEND);
        if moves > sp.lookup(dname)?.urefs {
            return Err(MACH_SEND_INVALID_DEST);
        }
        let order = |t: u32| u32::from(t == MSG_TYPE_MOVE_SEND);
        let (d, r) = if order(dtype) > order(rtype) {
            let r = ipc_right::copyin(sp, dname, rtype, false, out)?;
            let d = ipc_right::copyin(sp, dname, dtype, false, out)?;
            (d, r)
        } else {
            let d = ipc_right::copyin(sp, dname, dtype, false, out)?;
            let r = ipc_right::copyin(sp, dname, rtype, false, out)?;
            (d, r)
        };
        return Ok((expect_right(d)?, Some(r)));
    }
    copyin_check(sp, dname, dtype, false).map_err(|_| MACH_SEND_INVALID_DEST)?;
    if name_valid(rname) {
        copyin_check(sp, rname, rtype, true).map_err(|_| MACH_SEND_INVALID_REPLY)?;
    }
    let d = ipc_right::copyin(sp, dname, dtype, false, out).map_err(|_| MACH_SEND_INVALID_DEST)?;
    let d = expect_right(d)?;
    let r = match rname {
        MACH_PORT_NULL => None,
        MACH_PORT_DEAD => Some(CopiedRight::Dead),
        _ => match ipc_right::copyin(sp, rname, rtype, true, out) {
            Ok(r) => Some(r),
            Err(_) => {
                // Unreachable after the check; never leave half a header.
                out.release(d);
                return Err(MACH_SEND_INVALID_REPLY);
            }
        },
    };
    Ok((d, r))
}

/// Whether sending the receive right of `port` to `dest` is circular:
/// `dest` is `port`, or is (transitively) in transit inside it. Caller
/// holds `TRANSIT`.
pub(crate) fn circular(port: &Arc<Port>, dest: &Arc<Port>) -> bool {
    let mut cur = dest.clone();
    loop {
        if Arc::ptr_eq(&cur, port) {
            return true;
        }
        let next = cur.inner.lock().transit.clone();
        match next {
            Some(n) => cur = n,
            None => return false,
        }
    }
}

/// Copies in one right of the body (`deadok`: dead names allowed).
fn copyin_body_right(
    sp: &mut SpaceInner,
    name: u32,
    disp: u32,
    dest: &Arc<Port>,
    is_circular: &mut bool,
    out: &mut Outbox,
) -> KResult<Option<CopiedRight>> {
    let r = match name {
        MACH_PORT_NULL => return Ok(None),
        MACH_PORT_DEAD => return Ok(Some(CopiedRight::Dead)),
        _ => ipc_right::copyin(sp, name, disp, true, out).map_err(|_| MACH_SEND_INVALID_RIGHT)?,
    };
    if let CopiedRight::Right(right) = &r {
        if disp == MSG_TYPE_MOVE_RECEIVE {
            let _t = TRANSIT.lock();
            if circular(right.port(), dest) {
                *is_circular = true;
            } else {
                right.port().inner.lock().transit = Some(dest.clone());
            }
        }
    }
    Ok(Some(r))
}

/// The body rights, after the header's. On failure everything copied in so
/// far is handed to `out` for release.
fn copyin_body(
    sp: &mut SpaceInner,
    raw: &mut KVec<RawDesc>,
    dest: &Arc<Port>,
    is_circular: &mut bool,
    out: &mut Outbox,
) -> KResult<KVec<Desc>> {
    let mut descs =
        KVec::with_capacity(raw.len(), GFP_KERNEL_ACCOUNT).map_err(|_| MACH_SEND_NO_BUFFER)?;
    let mut failed = None;
    for r in raw.iter_mut() {
        let d = match r {
            RawDesc::Port { off, name, disp } => {
                if !msg_type_port_any(*disp) {
                    failed = Some(MACH_SEND_INVALID_TYPE);
                    break;
                }
                match copyin_body_right(sp, *name, *disp, dest, is_circular, out) {
                    Ok(right) => Desc::Port {
                        off: *off,
                        right,
                        ty: copyin_type(*disp),
                    },
                    Err(kr) => {
                        failed = Some(kr);
                        break;
                    }
                }
            }
            RawDesc::Ool { off, data, .. } => Desc::Ool {
                off: *off,
                data: core::mem::take(data),
            },
            RawDesc::OolPorts {
                off, names, disp, ..
            } => {
                if !msg_type_port_any(*disp) {
                    failed = Some(MACH_SEND_INVALID_TYPE);
                    break;
                }
                let mut rights = KVec::new();
                if rights.reserve(names.len(), GFP_KERNEL_ACCOUNT).is_err() {
                    failed = Some(MACH_SEND_NO_BUFFER);
                    break;
                }
                for &n in names.iter() {
                    match copyin_body_right(sp, n, *disp, dest, is_circular, out) {
                        Ok(r) => {
                            // Cannot fail: reserved above.
                            let _ = rights.push_within_capacity(r);
                        }
                        Err(kr) => {
                            failed = Some(kr);
                            break;
                        }
                    }
                }
                let d = Desc::OolPorts {
                    off: *off,
                    rights,
                    ty: copyin_type(*disp),
                };
                if failed.is_some() {
                    d.release(out);
                    break;
                }
                d
            }
        };
        // Cannot fail: reserved above.
        if let Err(e) = descs.push_within_capacity(d) {
            e.0.release(out);
        }
    }
    match failed {
        None => Ok(descs),
        Some(kr) => {
            for d in descs.drain_all() {
                d.release(out);
            }
            Err(kr)
        }
    }
}

/// Reads the message to send from user memory.
fn read_message(m: &Msg) -> KResult<KVVec<u8>> {
    let size = m.send_size as usize;
    if size < HEADER_SIZE || size % 4 != 0 {
        return Err(MACH_SEND_MSG_TOO_SMALL);
    }
    if size > crate::max_msg_size() as usize {
        return Err(MACH_SEND_TOO_LARGE);
    }
    let mut data = KVVec::new();
    UserSlice::new(UserPtr::from_addr(m.send_buf as usize), size)
        .read_all(&mut data, GFP_KERNEL_ACCOUNT)
        .map_err(|e| {
            if e == ENOMEM {
                MACH_SEND_NO_BUFFER
            } else {
                MACH_SEND_INVALID_DATA
            }
        })?;
    put_u32(&mut data, OFF_SIZE, size as u32);
    Ok(data)
}

/// Copies a message in from the caller: checks, out-of-line memory, rights.
fn copyin_message(task: &Task, m: &Msg, out: &mut Outbox) -> KResult<(KBox<KMsg>, bool)> {
    let mut data = read_message(m)?;
    // Bits outside MACH_MSGH_BITS_USER are dropped, as XNU's
    // ipc_kmsg_copyin does before looking at the header.
    let bits = get_u32(&data, OFF_BITS) & MSGH_BITS_USER;
    put_u32(&mut data, OFF_BITS, bits);
    let (dtype, rtype, vtype) = (bits & 0x1f, (bits >> 8) & 0x1f, (bits >> 16) & 0x1f);
    let (dname, rname, vname) = (
        get_u32(&data, OFF_REMOTE),
        get_u32(&data, OFF_LOCAL),
        get_u32(&data, OFF_VOUCHER),
    );
    let reply_ok = if rtype == 0 {
        rname == MACH_PORT_NULL
    } else {
        msg_type_port_any_send(rtype)
    };
    if !msg_type_port_any_send(dtype) || !reply_ok {
        return Err(MACH_SEND_INVALID_HEADER);
    }
    if vname != MACH_PORT_NULL || (vtype != 0 && !msg_type_port_any_send(vtype)) {
        return Err(MACH_SEND_INVALID_VOUCHER);
    }
    if !name_valid(dname) {
        return Err(MACH_SEND_INVALID_DEST);
    }
    // The body is parsed (and its out-of-line memory read) before any lock
    // is taken; an error there is reported after the header rights are
    // copied in and released, as XNU orders it (header first).
    let (mut raw, body_error) = if bits & MSGH_BITS_COMPLEX != 0 {
        match parse_body(&data, crate::max_ool_size() as usize) {
            Ok(raw) => (raw, None),
            Err(kr) => (KVec::new(), Some(kr)),
        }
    } else {
        (KVec::new(), None)
    };
    let mut is_circular = false;
    let msg = KBox::new(
        KMsg {
            data,
            dest: None,
            dest_type: copyin_type(dtype),
            reply: None,
            reply_type: if rtype == 0 { 0 } else { copyin_type(rtype) },
            descs: KVec::new(),
            sender: Sender::current(),
            seqno: 0,
            context: 0,
        },
        GFP_KERNEL_ACCOUNT,
    )
    .map_err(|_| MACH_SEND_NO_BUFFER)?;
    let mut msg = msg;
    {
        let mut sp = task.space.inner.lock();
        if m.option & MACH_SEND_NOTIFY != 0 {
            ipc_right::arm_send_possible(&mut sp, dname);
        }
        let (dest, reply) = copyin_header(&mut sp, (dname, dtype), (rname, rtype), out)?;
        let dport = dest.port().clone();
        msg.dest = Some(dest);
        msg.reply = reply;
        let body = match body_error {
            Some(kr) => Err(kr),
            None => copyin_body(&mut sp, &mut raw, &dport, &mut is_circular, out),
        };
        match body {
            Ok(descs) => msg.descs = descs,
            Err(kr) => {
                drop(sp);
                KBox::into_inner(msg).release_into(out);
                return Err(kr);
            }
        }
    }
    // Regions sent with the deallocate flag leave the sender.
    for r in raw.iter() {
        match r {
            RawDesc::Ool {
                dealloc: Some((a, l)),
                ..
            }
            | RawDesc::OolPorts {
                dealloc: Some((a, l)),
                ..
            } => unmap_user(*a, *l),
            _ => {}
        }
    }
    Ok((msg, is_circular))
}

/// Queues `msg` on its destination, waiting for room as the options say.
/// A dead destination destroys the message (the send succeeds); a kernel
/// port serves it. On failure the message comes back.
pub(crate) fn deliver(
    msg: KBox<KMsg>,
    option: u32,
    timeout: u32,
    out: &mut Outbox,
) -> core::result::Result<(), (Kr, KBox<KMsg>)> {
    let Some(port) = msg.dest.as_ref().map(|d| d.port().clone()) else {
        return Err((MACH_SEND_INVALID_DEST, msg));
    };
    let so = msg.dest_type == MSG_TYPE_PORT_SEND_ONCE;
    let mut budget = Budget::new(option & MACH_SEND_TIMEOUT != 0, timeout);
    let mut pi = port.inner.lock();
    loop {
        if !pi.active {
            drop(pi);
            out.destroy_msg(msg);
            return Ok(());
        }
        if pi.receiver == Receiver::Kernel {
            drop(pi);
            kserver::serve(msg, out);
            return Ok(());
        }
        let limit = if so { QLIMIT_KERNEL } else { pi.qlimit };
        if pi.queue.len() < limit {
            if pi.queue.reserve().is_err() {
                return Err((MACH_SEND_NO_BUFFER, msg));
            }
            if let Err(msg) = pi.queue.push(msg) {
                return Err((MACH_SEND_NO_BUFFER, msg));
            }
            port.rcv_cond.notify_all();
            for set in pi.sets.iter() {
                set.wake();
            }
            return Ok(());
        }
        if budget.expired() {
            return Err((MACH_SEND_TIMED_OUT, msg));
        }
        match wait(&port.snd_cond, &mut pi, &mut budget) {
            Waited::Again => {}
            Waited::TimedOut => return Err((MACH_SEND_TIMED_OUT, msg)),
            Waited::Interrupted => return Err((MACH_SEND_INTERRUPTED, msg)),
        }
    }
}

fn send(task: &Task, m: &Msg) -> Kr {
    let mut out = Outbox::new();
    let (msg, is_circular) = match copyin_message(task, m, &mut out) {
        Ok(x) => x,
        Err(kr) => return kr,
    };
    out.flush();
    if is_circular {
        // A receive right sent into its own destination chain: the message
        // is destroyed and the send succeeds (XNU).
        out.destroy_msg(msg);
        return 0;
    }
    match deliver(msg, m.option, m.timeout, &mut out) {
        Ok(()) => 0,
        Err((kr, msg)) => {
            out.flush();
            kr | pseudo_receive(task, msg, m.send_buf, &mut out)
        }
    }
}

// -------------------------------------------------------------- copyout --

/// Where a copied-out message's destination goes.
enum DestOut {
    /// A receive: the destination right is consumed; the local port is
    /// the receiver's name for the port.
    Receive(u32),
    /// A pseudo-receive: the destination right goes back to the sender.
    Pseudo,
}

/// Copies a right out into the space: its name, `MACH_PORT_DEAD`, or
/// `MACH_PORT_NULL` with `MACH_MSG_IPC_SPACE` added to `mods` on failure.
fn copyout_right(
    sp: &mut SpaceInner,
    r: Option<CopiedRight>,
    mods: &mut Kr,
    out: &mut Outbox,
) -> u32 {
    match r {
        None => MACH_PORT_NULL,
        Some(CopiedRight::Dead) => MACH_PORT_DEAD,
        Some(CopiedRight::Right(r)) => {
            if !r.port().is_active() && r.kind() != crate::right::RightKind::Receive {
                out.release(r);
                return MACH_PORT_DEAD;
            }
            match ipc_right::copyout(sp, r, None, true) {
                Ok(n) => n,
                Err((_, r)) => {
                    out.release(r);
                    *mods |= MACH_MSG_IPC_SPACE;
                    MACH_PORT_NULL
                }
            }
        }
    }
}

/// Copies a message out into `task`'s space and the calling process's
/// memory; returns the bytes to hand to user space (header and body, not
/// the trailer) and the `MACH_MSG_*_SPACE` modifiers of what failed.
fn copyout_message(
    task: &Task,
    mut msg: KBox<KMsg>,
    dest: DestOut,
    out: &mut Outbox,
) -> (KVVec<u8>, Kr) {
    let mut mods = 0;
    let mut data = core::mem::take(&mut msg.data);
    // Out-of-line memory into fresh mappings (no lock held).
    for d in msg.descs.iter() {
        if let Desc::Ool { off, data: bytes } = d {
            let addr = map_user(bytes).unwrap_or_else(|m| {
                mods |= m;
                0
            });
            put_u64(&mut data, *off, addr);
            // As XNU: a virtual copy arrives for the receiver to deallocate.
            data[*off + 8] = u8::from(data[*off + 9] == MSG_VIRTUAL_COPY);
        }
    }
    let mut names_arrays: KVec<(usize, KVec<u32>)> = KVec::new();
    let (remote, local, bits_ports);
    {
        let mut sp = task.space.inner.lock();
        let reply = copyout_right(&mut sp, msg.reply.take(), &mut mods, out);
        match dest {
            DestOut::Receive(name) => {
                if let Some(d) = msg.dest.take() {
                    out.consume(d);
                }
                remote = reply;
                local = name;
                bits_ports = msg.reply_type | (msg.dest_type << 8);
            }
            DestOut::Pseudo => {
                let d = msg.dest.take().map(CopiedRight::Right);
                remote = copyout_right(&mut sp, d, &mut mods, out);
                local = reply;
                bits_ports = msg.dest_type | (msg.reply_type << 8);
            }
        }
        for d in msg.descs.drain_all() {
            match d {
                Desc::Port { off, right, ty } => {
                    let n = copyout_right(&mut sp, right, &mut mods, out);
                    put_u32(&mut data, off, n);
                    data[off + 10] = ty as u8;
                }
                Desc::OolPorts { off, rights, ty } => {
                    let mut names = KVec::new();
                    let _ = names.reserve(rights.len(), GFP_KERNEL);
                    for r in rights {
                        let n = copyout_right(&mut sp, r, &mut mods, out);
                        if names.push_within_capacity(n).is_err() {
                            mods |= MACH_MSG_IPC_SPACE;
                        }
                    }
                    data[off + 10] = ty as u8;
                    if names_arrays.push((off, names), GFP_KERNEL).is_err() {
                        mods |= MACH_MSG_VM_SPACE;
                        put_u64(&mut data, off, 0);
                    }
                }
                Desc::Ool { .. } => {}
            }
        }
    }
    for (off, names) in names_arrays.iter() {
        let mut bytes = KVVec::new();
        for n in names.iter() {
            let _ = bytes.extend_from_slice(&n.to_ne_bytes(), GFP_KERNEL);
        }
        let addr = map_user(&bytes).unwrap_or_else(|m| {
            mods |= m;
            0
        });
        put_u64(&mut data, *off, addr);
        // As XNU: port arrays arrive as virtual copies to deallocate.
        data[*off + 8] = 1;
        data[*off + 9] = MSG_VIRTUAL_COPY;
    }
    let bits = (get_u32(&data, OFF_BITS) & !MSGH_BITS_PORTS_MASK) | bits_ports;
    put_u32(&mut data, OFF_BITS, bits);
    put_u32(&mut data, OFF_REMOTE, remote);
    put_u32(&mut data, OFF_LOCAL, local);
    put_u32(&mut data, OFF_VOUCHER, MACH_PORT_NULL);
    (data, mods)
}

/// `ipc_kmsg_copyout_pseudo`: a message that could not be sent goes back
/// to the sender, rights and all; returns the modifiers to OR into the
/// send's error.
fn pseudo_receive(task: &Task, msg: KBox<KMsg>, buf: u64, out: &mut Outbox) -> Kr {
    let (data, mods) = copyout_message(task, msg, DestOut::Pseudo, out);
    out.flush();
    let mut w = UserSlice::new(UserPtr::from_addr(buf as usize), data.len()).writer();
    if w.write_slice(&data).is_err() {
        return mods | MACH_MSG_VM_SPACE;
    }
    mods
}

// -------------------------------------------------------------- receive --

/// What a receive waits on.
enum Source {
    Port(Arc<Port>),
    Set(Arc<PortSet>),
}

/// A dequeued message, or the report of one too large for the buffer.
enum Got {
    Msg(KBox<KMsg>, u32),
    Large { size: u32, name: u32 },
}

/// Takes the first message of a port whose receive right is `name` in
/// space `space`, if it fits (or RCV_LARGE is not set). Port lock held.
fn take_front(
    port: &Port,
    pi: &mut crate::port::PortInner,
    name: u32,
    room: u32,
    tsize: u32,
    option: u32,
    out: &mut Outbox,
) -> Option<Got> {
    let size = pi.queue.front()?.size();
    if size + tsize > room && option & MACH_RCV_LARGE != 0 {
        // As XNU: the message's size, without the trailer.
        return Some(Got::Large { size, name });
    }
    let mut msg = pi.queue.pop()?;
    msg.seqno = pi.seqno;
    pi.seqno = pi.seqno.wrapping_add(1);
    msg.context = pi.context;
    port.snd_cond.notify_one();
    if !pi.full() {
        pi.fire_send_possible(out);
    }
    Some(Got::Msg(msg, name))
}

fn dequeue_port(
    space: u64,
    name: u32,
    port: &Arc<Port>,
    m: &Msg,
    tsize: u32,
    out: &mut Outbox,
) -> KResult<Got> {
    let mut budget = Budget::new(m.option & MACH_RCV_TIMEOUT != 0, m.timeout);
    let mut pi = port.inner.lock();
    let mut waited = false;
    loop {
        if !pi.active || pi.receiver != (Receiver::Space { space, name }) {
            // As XNU: a waiting receiver whose port was destroyed or moved
            // is restarted with MACH_RCV_PORT_CHANGED.
            return Err(if waited {
                MACH_RCV_PORT_CHANGED
            } else {
                MACH_RCV_PORT_DIED
            });
        }
        if let Some(got) = take_front(port, &mut pi, name, m.rcv_size, tsize, m.option, out) {
            return Ok(got);
        }
        wait_rcv(&port.rcv_cond, &mut pi, &mut budget)?;
        waited = true;
    }
}

fn dequeue_set(
    space: u64,
    set: &Arc<PortSet>,
    m: &Msg,
    tsize: u32,
    out: &mut Outbox,
) -> KResult<Got> {
    let mut budget = Budget::new(m.option & MACH_RCV_TIMEOUT != 0, m.timeout);
    let mut waited = false;
    loop {
        let (seq, members) = set.snapshot().map_err(|_| MACH_RCV_TIMED_OUT)?;
        for port in members.iter() {
            let mut pi = port.inner.lock();
            let Receiver::Space { space: s, name } = pi.receiver else {
                continue;
            };
            if s != space || !pi.active {
                continue;
            }
            if let Some(got) = take_front(port, &mut pi, name, m.rcv_size, tsize, m.option, out) {
                return Ok(got);
            }
        }
        let mut si = set.inner.lock();
        if !si.active {
            return Err(if waited {
                MACH_RCV_PORT_CHANGED
            } else {
                MACH_RCV_PORT_DIED
            });
        }
        if si.seq != seq {
            continue;
        }
        wait_rcv(&set.cond, &mut si, &mut budget)?;
        waited = true;
    }
}

/// Resolves the receive name: a receive right or a port set.
fn source(task: &Task, name: u32) -> KResult<Source> {
    if !name_valid(name) {
        return Err(MACH_RCV_INVALID_NAME);
    }
    let mut sp = task.space.inner.lock();
    let e = sp.lookup(name).map_err(|_| MACH_RCV_INVALID_NAME)?;
    match &e.object {
        Object::Port(p) if e.ty & TYPE_RECEIVE != 0 => Ok(Source::Port(p.clone())),
        Object::Set(s) => Ok(Source::Set(s.clone())),
        _ => Err(MACH_RCV_INVALID_NAME),
    }
}

fn write_user(addr: u64, off: usize, bytes: &[u8]) -> bool {
    UserSlice::new(UserPtr::from_addr(addr as usize + off), bytes.len())
        .writer()
        .write_slice(bytes)
        .is_ok()
}

fn receive(task: &Task, m: &Msg) -> Kr {
    let Some(tsize) = trailer_size(m.option) else {
        return MACH_RCV_INVALID_TRAILER;
    };
    let mut out = Outbox::new();
    let got = match source(task, m.rcv_name) {
        Ok(Source::Port(p)) => dequeue_port(task.space.id, m.rcv_name, &p, m, tsize, &mut out),
        Ok(Source::Set(s)) => dequeue_set(task.space.id, &s, m, tsize, &mut out),
        Err(kr) => Err(kr),
    };
    out.flush();
    let (msg, name) = match got {
        Err(kr) => return kr,
        Ok(Got::Large { size, name }) => {
            // Left queued; the caller learns the size it needs.
            if m.rcv_size as usize >= HEADER_SIZE {
                let _ = write_user(m.rcv_buf, OFF_SIZE, &size.to_ne_bytes());
                if m.option & MACH_RCV_LARGE_IDENTITY != 0 {
                    let _ = write_user(m.rcv_buf, OFF_LOCAL, &name.to_ne_bytes());
                }
            }
            return MACH_RCV_TOO_LARGE;
        }
        Ok(Got::Msg(msg, name)) => (msg, name),
    };
    let needed = msg.size() + tsize;
    if needed > m.rcv_size {
        // Too large and no RCV_LARGE: consumed; its rights are destroyed and
        // the caller gets the header.
        return too_large(msg, name, m, &mut out);
    }
    let trailer = trailer(&msg, tsize);
    let (data, mods) = copyout_message(task, msg, DestOut::Receive(name), &mut out);
    out.flush();
    if !write_user(m.rcv_buf, 0, &data)
        || !write_user(m.rcv_buf, data.len(), &trailer[..tsize as usize])
    {
        return MACH_RCV_INVALID_DATA;
    }
    mods
}

/// A consumed message too large for the buffer (XNU `msg_receive_error`):
/// the destination right is consumed, everything else destroyed, and the
/// caller gets a bare header (`msgh_size` 24, local = the port's name, no
/// remote) followed by a minimal trailer.
fn too_large(msg: KBox<KMsg>, name: u32, m: &Msg, out: &mut Outbox) -> Kr {
    let mut msg = msg;
    let mut head = [0u8; HEADER_SIZE + 8];
    copy_bytes(&mut head, &msg.data[..HEADER_SIZE]);
    let bits =
        (get_u32(&head, OFF_BITS) & !MSGH_BITS_PORTS_MASK) | msg.reply_type | (msg.dest_type << 8);
    put_u32(&mut head, OFF_BITS, bits);
    put_u32(&mut head, OFF_SIZE, HEADER_SIZE as u32);
    put_u32(&mut head, OFF_REMOTE, MACH_PORT_NULL);
    put_u32(&mut head, OFF_LOCAL, name);
    put_u32(&mut head, OFF_VOUCHER, MACH_PORT_NULL);
    // mach_msg_trailer_t: format 0, size 8.
    put_u32(&mut head, HEADER_SIZE + 4, 8);
    if let Some(d) = msg.dest.take() {
        out.consume(d);
    }
    out.destroy_msg(msg);
    out.flush();
    let room = (m.rcv_size as usize).min(head.len());
    if room >= HEADER_SIZE {
        let _ = write_user(m.rcv_buf, 0, &head[..room]);
    }
    MACH_RCV_TOO_LARGE
}
