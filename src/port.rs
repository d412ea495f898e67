// SPDX-License-Identifier: GPL-2.0

//! Ports: the kernel object that rights name (XNU `ipc_port.c`).
//!
//! A port is in one of four states: in a space (its receive right has a
//! name in one space), in limbo (the kernel holds its receive right, e.g.
//! between copyin and enqueue), in transit (the receive right is in a
//! queued message), or dead. Kernel ports (task, host, ...) have the kernel
//! as receiver and a kernel object.
//!
//! Counts: `mscount`, `srights` (send rights anywhere, not urefs) and the
//! queue under the port lock; `sorights` is an atomic, so that a send-once
//! right can be dropped without its port's lock (a notification that
//! cannot be sent is dropped that way, with no lock order to respect).
//!
//! Locking: `Port::inner` is taken after the lock of any space holding a
//! right to the port and after [`TRANSIT`], before the lock of a set the
//! port is in, of its request table, and of a waiter. Two port locks are
//! never held at once. What must happen once the locks are dropped goes
//! into an [`Outbox`] (messages, request tables) or a [`Wakes`] (threads).

use kernel::{
    new_mutex,
    prelude::*,
    sync::{
        atomic::{ordering::Relaxed, Atomic},
        Arc, Mutex,
    },
};

use crate::{
    ipc_kobject::KObject,
    kmsg::KMsgQueue,
    limits::{Charge, Res, UserAccount},
    mach::*,
    notify,
    outbox::Outbox,
    pollfd::PollState,
    port_request::RequestTable,
    pset::{self, Memberships},
    right::{Right, RightKind},
    stats::{self, Counted},
    waitq::{WaitList, Wakes},
};

static NEXT_ID: Atomic<u64> = Atomic::new(1);

/// A unique, never reused id for ports, sets and spaces: the key of the
/// reverse maps and the opaque object id reported to user space.
pub(crate) fn next_id() -> u64 {
    NEXT_ID.fetch_add(1, Relaxed)
}

/// Who holds the receive right.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Receiver {
    /// Held by the kernel in flight (limbo or in transit), or dead.
    Limbo,
    /// Named `name` in the space with id `space`.
    Space { space: u64, name: u32 },
    /// A kernel port: the kernel receives (and serves) its messages.
    Kernel,
}

/// The port's mutable state, under `Port::inner`.
pub(crate) struct PortInner {
    pub(crate) active: bool,
    pub(crate) guarded: bool,
    pub(crate) strict_guard: bool,
    pub(crate) tempowner: bool,
    pub(crate) impdonation: bool,
    pub(crate) denap: bool,
    /// Some send-possible request is armed (`ip_sprequests`).
    pub(crate) sp_armed: bool,
    pub(crate) receiver: Receiver,
    pub(crate) kobject: KObject,
    /// Make-send count.
    pub(crate) mscount: u32,
    /// Send rights anywhere (entries and rights in flight), not urefs.
    pub(crate) srights: u32,
    pub(crate) seqno: u32,
    pub(crate) qlimit: u32,
    /// The context; the guard value when `guarded`.
    pub(crate) context: u64,
    /// No-senders and port-destroyed requests (send-once rights).
    pub(crate) nsrequest: Option<Right>,
    pub(crate) pdrequest: Option<Right>,
    /// Dead-name and send-possible requests.
    pub(crate) requests: Option<Arc<RequestTable>>,
    pub(crate) queue: KMsgQueue,
    pub(crate) rcv_waiters: WaitList,
    pub(crate) snd_waiters: WaitList,
    /// The sets the port is in.
    pub(crate) memberships: Memberships,
    /// While the receive right is in transit: the port whose queue holds
    /// the message carrying it (changed only under [`TRANSIT`]).
    pub(crate) transit: Option<Arc<Port>>,
    /// What the port's descriptors report (`pollfd.rs`), while its receive
    /// right stays in the space it was asked in.
    pub(crate) poll: Option<Arc<PollState>>,
}

/// A Mach port.
#[pin_data(PinnedDrop)]
pub(crate) struct Port {
    pub(crate) id: u64,
    /// The user the port is charged to (its creator), which also pays for
    /// the kernel's messages to it.
    charge: Charge,
    /// Send-once rights anywhere.
    sorights: Atomic<u32>,
    #[pin]
    pub(crate) inner: Mutex<PortInner>,
    _count: Counted<{ stats::PORTS }>,
}

kernel::sync::global_lock! {
    // SAFETY: initialised in the module initialiser before first use.
    /// Serialises changes of the in-transit state (`PortInner::transit`)
    /// with the circularity check. Taken after space locks, before port locks.
    pub(crate) unsafe(uninit) static TRANSIT: Mutex<()> = ();
}

impl Port {
    fn new_with(receiver: Receiver, kobject: KObject, charge: Charge) -> Result<Arc<Port>> {
        Arc::pin_init(
            pin_init!(Port {
                id: next_id(),
                charge,
                sorights: Atomic::new(0),
                inner <- new_mutex!(PortInner {
                    active: true,
                    guarded: false,
                    strict_guard: false,
                    tempowner: false,
                    impdonation: false,
                    denap: false,
                    sp_armed: false,
                    receiver,
                    kobject,
                    mscount: 0,
                    srights: 0,
                    seqno: 0,
                    qlimit: QLIMIT_DEFAULT,
                    context: 0,
                    nsrequest: None,
                    pdrequest: None,
                    requests: None,
                    queue: KMsgQueue::new(),
                    rcv_waiters: WaitList::new(),
                    snd_waiters: WaitList::new(),
                    memberships: Memberships::new(),
                    transit: None,
                    poll: None,
                }, "Port::inner"),
                _count: Counted::new(),
            }),
            GFP_KERNEL_ACCOUNT,
        )
    }

    /// A new port charged to `acct`, whose receive right is (about to be)
    /// named in the space `space`.
    pub(crate) fn new_receive(acct: &Arc<UserAccount>, space: u64) -> KResult<Arc<Port>> {
        let charge = acct.charge(Res::Ports, 1)?;
        Self::new_with(Receiver::Space { space, name: 0 }, KObject::None, charge)
            .map_err(|_| Kr::RESOURCE_SHORTAGE)
    }

    /// A new kernel port for `kobject`.
    pub(crate) fn new_kernel(kobject: KObject) -> Result<Arc<Port>> {
        Self::new_with(Receiver::Kernel, kobject, Charge::none())
    }

    /// The user this port is charged to.
    pub(crate) fn owner(&self) -> Option<&Arc<UserAccount>> {
        self.charge.account()
    }

    /// `ipc_port_make_send`: a new send right (mscount and srights grow).
    /// `None` if the port is dead.
    pub(crate) fn make_send(self: &Arc<Self>) -> Option<Right> {
        let mut pi = self.inner.lock();
        if !pi.active {
            return None;
        }
        pi.mscount = pi.mscount.wrapping_add(1);
        pi.count_send(1);
        drop(pi);
        Some(Right::new(self.clone(), RightKind::Send))
    }

    /// `ipc_port_copy_send`: another send right to a live port.
    pub(crate) fn copy_send(self: &Arc<Self>) -> Option<Right> {
        let mut pi = self.inner.lock();
        if !pi.active {
            return None;
        }
        pi.count_send(1);
        drop(pi);
        Some(Right::new(self.clone(), RightKind::Send))
    }

    /// `ipc_port_make_sonce`, with the port lock held by the caller.
    pub(crate) fn make_send_once_locked(self: &Arc<Self>) -> Right {
        self.count_send_once(1);
        Right::new(self.clone(), RightKind::SendOnce)
    }

    /// Counts `n` more send-once rights.
    pub(crate) fn count_send_once(&self, n: u32) {
        self.sorights.fetch_add(n, Relaxed);
        stats::add(stats::Counter::SendOnceRights, i64::from(n));
    }

    /// A send-once right goes away (used or destroyed). No lock needed.
    pub(crate) fn uncount_send_once(&self) {
        self.sorights.fetch_sub(1, Relaxed);
        stats::add(stats::Counter::SendOnceRights, -1);
    }

    pub(crate) fn sorights(&self) -> u32 {
        self.sorights.load(Relaxed)
    }

    /// Whether the port is alive.
    pub(crate) fn is_active(&self) -> bool {
        self.inner.lock().active
    }
}

/// What a destroyed port hands back, to be dropped once its lock is.
#[must_use]
pub(crate) struct Remains {
    _kobject: KObject,
    _transit: Option<Arc<Port>>,
}

impl Remains {
    pub(crate) fn none() -> Remains {
        Remains {
            _kobject: KObject::None,
            _transit: None,
        }
    }
}

impl PortInner {
    /// Counts `n` more send rights.
    pub(crate) fn count_send(&mut self, n: u32) {
        self.srights += n;
        stats::add(stats::Counter::SendRights, i64::from(n));
    }

    /// One send right goes away; the no-senders request fires when it was
    /// the last (`ipc_port_release_send`).
    pub(crate) fn uncount_send(&mut self, out: &mut Outbox) {
        self.srights -= 1;
        stats::add(stats::Counter::SendRights, -1);
        if self.srights == 0 && self.active {
            if let Some(r) = self.nsrequest.take() {
                notify::no_senders(r, self.mscount, out);
            }
        }
    }

    /// `ipc_port_clear_receiver`: the receive right leaves its space. The
    /// port leaves every port set, its waiting receivers are woken (they
    /// find the port changed), and mscount, seqno and the guard are reset,
    /// as for a receive right in limbo.
    pub(crate) fn clear_receiver(&mut self, wakes: &mut Wakes) {
        self.receiver = Receiver::Limbo;
        if let Some(p) = self.poll.take() {
            p.hang_up();
        }
        pset::leave_all(pset::take_all(&mut self.memberships));
        wakes.changed(&mut self.rcv_waiters);
        self.mscount = 0;
        self.seqno = 0;
        self.context = 0;
        self.guarded = false;
        self.strict_guard = false;
    }

    /// `ipc_port_destroy` with the lock held. With a port-destroyed
    /// request the port goes to limbo with its messages and requests, and
    /// its receive right travels in the notification. Otherwise it dies:
    /// waiters are woken, the no-senders request is destroyed (a send-once
    /// notification), the queue is destroyed, and the dead-name
    /// notifications go out, in that order, through `out`.
    pub(crate) fn destroy(&mut self, port: &Arc<Port>, out: &mut Outbox) -> Remains {
        if !self.active {
            return Remains::none();
        }
        self.clear_receiver(&mut out.wakes);
        if let Some(pd) = self.pdrequest.take() {
            match notify::port_destroyed(pd, Right::new(port.clone(), RightKind::Receive), out) {
                Ok(()) => return Remains::none(),
                Err(receive) => {
                    // No memory for the notification: the port dies after
                    // all. The receive right is the one being destroyed.
                    let _ = receive.into_port();
                }
            }
        }
        self.active = false;
        out.wakes.changed(&mut self.snd_waiters);
        if let Some(r) = self.nsrequest.take() {
            // Never fired: destroyed unused.
            notify::send_once(r, out);
        }
        out.destroy_queue(self.queue.take_all());
        if let Some(table) = &self.requests {
            if table.mark_fired() {
                if let Some(t) = table.for_outbox() {
                    out.reap(t);
                }
            }
        }
        Remains {
            _kobject: core::mem::replace(&mut self.kobject, KObject::None),
            _transit: self.transit.take(),
        }
    }

    /// Whether the queue is full for ordinary senders.
    pub(crate) fn full(&self) -> bool {
        self.queue.len() >= self.qlimit
    }

    /// The `MACH_PORT_TYPE_*REQUEST` bits of `name`'s request `index`.
    pub(crate) fn request_type(&self, name: u32, index: u32) -> u32 {
        match (&self.requests, index) {
            (Some(t), i) if i != 0 => t.request_type(name, i),
            _ => 0,
        }
    }

    /// `ipc_port_spnotify`: the queue has room; armed send-possible
    /// requests fire.
    pub(crate) fn send_possible(&mut self, out: &mut Outbox) {
        if !self.sp_armed {
            return;
        }
        self.sp_armed = false;
        if let Some(t) = &self.requests {
            t.take_armed(|r, name| notify::send_possible(r, name, out));
        }
    }

    /// The request table, made (charged to `acct`) if the port has none.
    pub(crate) fn requests_or_new(
        &mut self,
        acct: &Arc<UserAccount>,
    ) -> KResult<Arc<RequestTable>> {
        if let Some(t) = &self.requests {
            return Ok(t.clone());
        }
        let t = RequestTable::new(0, acct)?;
        self.requests = Some(t.clone());
        Ok(t)
    }

    /// `ipc_port_request_cancel`: frees `name`'s request `index`,
    /// returning its right. The table of a kernel port goes once unused.
    pub(crate) fn cancel_request(&self, name: u32, index: u32) -> Option<Right> {
        let t = self.requests.as_ref()?;
        let right = t.cancel(name, index);
        self.free_requests_if_unused();
        right
    }

    /// A kernel port's request table with no request left is freed (see
    /// `port_request.rs`); a task's port keeps its table.
    pub(crate) fn free_requests_if_unused(&self) {
        if self.receiver == Receiver::Kernel {
            if let Some(t) = &self.requests {
                t.free_if_unused();
            }
        }
    }

    /// The request table size reported by `MACH_PORT_DNREQUESTS_SIZE`.
    pub(crate) fn requests_size(&self) -> u32 {
        self.requests.as_ref().map_or(0, |t| t.size())
    }

    /// `mach_port_status_t` of the port, as 10 `natural_t`.
    pub(crate) fn status(&self, port: &Port) -> [u32; 10] {
        let mut flags = 0;
        if self.tempowner {
            flags |= STATUS_FLAG_TEMPOWNER;
        }
        if self.guarded {
            flags |= STATUS_FLAG_GUARDED;
        }
        if self.strict_guard {
            flags |= STATUS_FLAG_STRICT_GUARD;
        }
        if self.impdonation {
            flags |= STATUS_FLAG_IMP_DONATION;
        }
        [
            u32::from(!self.memberships.is_empty()),
            self.seqno,
            self.mscount,
            self.qlimit,
            self.queue.len(),
            port.sorights(),
            u32::from(self.srights > 0),
            u32::from(self.pdrequest.is_some()),
            u32::from(self.nsrequest.is_some()),
            flags,
        ]
    }
}

/// Whether sending the receive right of `port` to `dest` is circular:
/// `dest` is `port`, or is (transitively) in transit inside it
/// (`ipc_port_check_circularity`). Caller holds [`TRANSIT`]. The walk is
/// bounded by the number of ports in transit.
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

/// Records that `port`'s receive right is now in transit in a message
/// queued (or about to be) on `dest`, unless that is circular. Takes
/// [`TRANSIT`]; returns whether it was circular.
pub(crate) fn enter_transit(port: &Arc<Port>, dest: &Arc<Port>) -> bool {
    let _t = TRANSIT.lock();
    if circular(port, dest) {
        return true;
    }
    port.inner.lock().transit = Some(dest.clone());
    false
}

/// A receive right leaves transit (it is copied out, or its message is
/// destroyed). Returns the destination reference to drop after unlocking.
pub(crate) fn leave_transit(port: &Arc<Port>) -> Option<Arc<Port>> {
    let _t = TRANSIT.lock();
    port.inner.lock().transit.take()
}

#[pinned_drop]
impl PinnedDrop for Port {
    fn drop(self: Pin<&mut Self>) {
        // A port is freed dead or never used, and never with rights in it.
        // The last reference may go with another port's lock held (a
        // notification to a dead port that could not be built drops its
        // right): nobody else can hold this lock, so `try_lock`, which
        // always succeeds here and adds no lock order for lockdep.
        #[cfg(CONFIG_RUST_DEBUG_ASSERTIONS)]
        if let Some(pi) = self.inner.try_lock() {
            kernel::warn_on!(
                pi.nsrequest.is_some() || pi.pdrequest.is_some() || !pi.queue.is_empty()
            );
        }
        let _ = self;
    }
}
