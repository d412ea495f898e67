// SPDX-License-Identifier: GPL-2.0

//! Ports: the kernel object that rights name.
//!
//! A port is in one of four states (XNU `ipc_port.c`): in a space (its
//! receive right has a name in one space), in limbo (the receive right is
//! held by the kernel in flight), in transit (queued in a message), or
//! dead. Kernel ports (task, host) have the kernel as receiver and a kernel
//! object.
//!
//! Locking: `Port::inner` is taken after the space lock of any space that
//! holds a right to the port, and before the lock of a port set the port is
//! in (`Space` -> `Port` -> `PortSet`). Two port locks are never held at
//! once. Everything a port operation must do after dropping its locks
//! (releasing rights, and later sending notifications) goes into an
//! [`Outbox`].

use kernel::{
    new_condvar, new_mutex,
    prelude::*,
    sync::{
        atomic::{ordering::Relaxed, Atomic},
        Arc, CondVar, Mutex,
    },
};

use crate::{
    mach::*,
    mqueue::MsgQueue,
    pset::PortSet,
    right::{Outbox, Right, RightKind},
    task::Task,
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
    /// Held by the kernel in flight (limbo), or the port is dead.
    None,
    /// Named `name` in the space with id `space`.
    Space { space: u64, name: u32 },
    /// A kernel port: the kernel receives (and serves) its messages.
    Kernel,
}

/// The kernel object behind a kernel port.
pub(crate) enum KObject {
    None,
    Task(Arc<Task>),
    Host,
    HostPriv,
}

impl KObject {
    /// `IKOT_*` of the object.
    pub(crate) fn kotype(&self) -> u32 {
        match self {
            KObject::None => IKOT_NONE,
            KObject::Task(_) => IKOT_TASK,
            KObject::Host => IKOT_HOST,
            KObject::HostPriv => IKOT_HOST_PRIV,
        }
    }
}

/// One slot of the request table: the name a request watches and the
/// send-once right it fires to.
pub(crate) struct RequestSlot {
    pub(crate) name: u32,
    pub(crate) notify: Option<Right>,
    /// The port died while the slot held a right: its dead-name
    /// notification went out (the name gets one more uref when converted).
    pub(crate) fired: bool,
    /// A send-possible request (else dead-name only).
    pub(crate) send_possible: bool,
    /// Armed by a sender that found the queue full (MACH_SEND_NOTIFY).
    pub(crate) armed: bool,
}

/// Maximum number of slots of a port's request table.
pub(crate) const REQUESTS_MAX: u32 = 1 << 16;

/// The port's mutable state, under `Port::inner`.
pub(crate) struct PortInner {
    pub(crate) active: bool,
    pub(crate) receiver: Receiver,
    pub(crate) kobject: KObject,
    /// Make-send count.
    pub(crate) mscount: u32,
    /// Send rights anywhere (entries and rights in flight), not urefs.
    pub(crate) srights: u32,
    /// Send-once rights anywhere.
    pub(crate) sorights: u32,
    pub(crate) seqno: u32,
    pub(crate) qlimit: u32,
    /// The context; the guard value when `guarded`.
    pub(crate) context: u64,
    pub(crate) guarded: bool,
    pub(crate) strict_guard: bool,
    pub(crate) tempowner: bool,
    pub(crate) impdonation: bool,
    pub(crate) denap: bool,
    /// The port sets this port is a member of (its receiver's space).
    pub(crate) sets: KVec<Arc<PortSet>>,
    /// No-senders and port-destroyed requests.
    pub(crate) nsrequest: Option<Right>,
    pub(crate) pdrequest: Option<Right>,
    /// The dead-name / send-possible request table. Slot 0 is never used
    /// (index 0 is "no request"); its length is the table size.
    pub(crate) requests: KVec<RequestSlot>,
    /// Queued messages.
    pub(crate) queue: MsgQueue,
    /// While the receive right is in transit: the port whose queue holds
    /// the message carrying it (changed only under `TRANSIT`).
    pub(crate) transit: Option<Arc<Port>>,
}

/// A Mach port.
#[pin_data]
pub(crate) struct Port {
    pub(crate) id: u64,
    #[pin]
    pub(crate) inner: Mutex<PortInner>,
    /// Receivers waiting for a message.
    #[pin]
    pub(crate) rcv_cond: CondVar,
    /// Senders waiting for room in the queue.
    #[pin]
    pub(crate) snd_cond: CondVar,
}

kernel::sync::global_lock! {
    // SAFETY: initialised in the module initialiser before first use.
    /// Serialises changes of the in-transit state (`PortInner::transit`)
    /// with the circularity check. Taken after space locks, before port locks.
    pub(crate) unsafe(uninit) static TRANSIT: Mutex<()> = ();
}

impl Port {
    fn new_with(receiver: Receiver, kobject: KObject) -> Result<Arc<Port>> {
        Arc::pin_init(
            pin_init!(Port {
                id: next_id(),
                inner <- new_mutex!(PortInner {
                    active: true,
                    receiver,
                    kobject,
                    mscount: 0,
                    srights: 0,
                    sorights: 0,
                    seqno: 0,
                    qlimit: QLIMIT_DEFAULT,
                    context: 0,
                    guarded: false,
                    strict_guard: false,
                    tempowner: false,
                    impdonation: false,
                    denap: false,
                    sets: KVec::new(),
                    nsrequest: None,
                    pdrequest: None,
                    requests: KVec::new(),
                    queue: MsgQueue::new(),
                    transit: None,
                }, "Port::inner"),
                rcv_cond <- new_condvar!("Port::rcv_cond"),
                snd_cond <- new_condvar!("Port::snd_cond"),
            }),
            GFP_KERNEL_ACCOUNT,
        )
    }

    /// A new port whose receive right is (about to be) named `name` in
    /// the space `space`.
    pub(crate) fn new_receive(space: u64, name: u32) -> Result<Arc<Port>> {
        Self::new_with(Receiver::Space { space, name }, KObject::None)
    }

    /// A new kernel port for `kobject`.
    pub(crate) fn new_kernel(kobject: KObject) -> Result<Arc<Port>> {
        Self::new_with(Receiver::Kernel, kobject)
    }

    /// Makes a send right to a live port (`ipc_port_make_send`): mscount
    /// and srights grow. `None` if the port is dead.
    pub(crate) fn make_send(self: &Arc<Self>) -> Option<Right> {
        let mut inner = self.inner.lock();
        if !inner.active {
            return None;
        }
        inner.mscount = inner.mscount.wrapping_add(1);
        inner.srights += 1;
        drop(inner);
        Some(Right::send(self.clone()))
    }

    /// Whether the port is alive.
    pub(crate) fn is_active(&self) -> bool {
        self.inner.lock().active
    }
}

impl PortInner {
    /// `ipc_port_clear_receiver`: the receive right of `port` leaves its
    /// space. The port leaves every port set (set locks nest inside the port
    /// lock), its waiting receivers are woken (they find the port gone), and
    /// mscount, seqno and the guard are reset, as for a receive right in
    /// limbo.
    pub(crate) fn clear_receiver(&mut self, port: &Port) {
        self.receiver = Receiver::None;
        for set in self.sets.drain_all() {
            set.remove_member(port.id);
        }
        port.rcv_cond.notify_all();
        self.mscount = 0;
        self.seqno = 0;
        self.context = 0;
        self.guarded = false;
        self.strict_guard = false;
    }

    /// `ipc_port_destroy` with the lock held: the port dies. Its requests
    /// and kernel object are handed to `out`, to be released once every
    /// lock is dropped.
    pub(crate) fn destroy(&mut self, port: &Arc<Port>, out: &mut Outbox) {
        if !self.active {
            return;
        }
        self.clear_receiver(port);
        if let Some(pd) = self.pdrequest.take() {
            // Saved by a port-destroyed request: the port lives on in limbo,
            // with its messages and requests, and its receive right travels
            // in the notification.
            out.port_destroyed(pd, Right::new(port.clone(), RightKind::Receive));
            return;
        }
        self.active = false;
        port.snd_cond.notify_all();
        while let Some(msg) = self.queue.pop() {
            out.destroy_msg(msg);
        }
        if let Some(dest) = self.transit.take() {
            out.drop_port(dest);
        }
        if let KObject::Task(task) = core::mem::replace(&mut self.kobject, KObject::None) {
            out.drop_task(task);
        }
        if let Some(r) = self.nsrequest.take() {
            // Never fired: destroyed unused (a send-once notification).
            out.release(r);
        }
        for slot in self.requests.iter_mut() {
            if let Some(r) = slot.notify.take() {
                out.dead_name(r, slot.name);
                slot.fired = true;
            }
        }
    }

    /// The `MACH_PORT_TYPE_*REQUEST` bits of request slot `index`.
    pub(crate) fn request_type(&self, index: u32) -> u32 {
        match self.requests.get(index as usize) {
            Some(slot) if slot.notify.is_some() => {
                // As XNU's ipc_port_request_type: "delayed" until armed.
                let mut t = TYPE_DNREQUEST;
                if slot.send_possible {
                    t |= TYPE_SPREQUEST;
                    if !slot.armed {
                        t |= TYPE_SPREQUEST_DELAYED;
                    }
                }
                t
            }
            _ => 0,
        }
    }

    /// `ipc_port_request_alloc`: a slot watching `name`, firing to
    /// `notify`; grows the table when full. Returns the slot index.
    pub(crate) fn request_alloc(
        &mut self,
        name: u32,
        notify: Right,
        send_possible: bool,
    ) -> core::result::Result<u32, (Kr, Right)> {
        let free = |s: &RequestSlot| s.notify.is_none() && s.name == MACH_PORT_NULL && !s.fired;
        let mut index = self.requests.iter().skip(1).position(free).map(|i| i + 1);
        if index.is_none() {
            let size = self.requests_size().max(2) * 2;
            if let Err(kr) = self.grow_requests(size) {
                return Err((kr, notify));
            }
            index = self.requests.iter().skip(1).position(free).map(|i| i + 1);
        }
        let Some(index) = index else {
            return Err((KERN_NO_SPACE, notify));
        };
        let slot = &mut self.requests[index];
        slot.name = name;
        slot.notify = Some(notify);
        slot.send_possible = send_possible;
        slot.armed = false;
        Ok(index as u32)
    }

    /// `ipc_port_request_cancel`: frees slot `index`, returning its right.
    pub(crate) fn request_cancel(&mut self, index: u32) -> Option<Right> {
        let slot = self.requests.get_mut(index as usize)?;
        slot.name = MACH_PORT_NULL;
        slot.armed = false;
        slot.send_possible = false;
        slot.fired = false;
        slot.notify.take()
    }

    /// `ipc_port_request_sparm`: a sender found the queue full; arm the
    /// send-possible request in slot `index`.
    pub(crate) fn request_arm(&mut self, index: u32) {
        if let Some(slot) = self.requests.get_mut(index as usize) {
            if slot.send_possible && slot.notify.is_some() {
                slot.armed = true;
            }
        }
    }

    /// `ipc_port_spnotify`: the queue has room again; every armed
    /// send-possible request fires (and is used up).
    pub(crate) fn fire_send_possible(&mut self, out: &mut Outbox) {
        for slot in self.requests.iter_mut() {
            if slot.armed {
                slot.armed = false;
                if let Some(r) = slot.notify.take() {
                    out.send_possible(r, slot.name);
                }
            }
        }
    }

    /// Whether the queue is full for ordinary senders.
    pub(crate) fn full(&self) -> bool {
        self.queue.len() >= self.qlimit
    }

    /// Whether slot `index` fired a dead-name notification.
    pub(crate) fn request_fired(&self, index: u32) -> bool {
        self.requests
            .get(index as usize)
            .is_some_and(|slot| slot.fired)
    }

    /// Frees slot `index` of a dead port's table.
    pub(crate) fn cancel_dead_request(&mut self, index: u32) {
        if index == 0 {
            return;
        }
        if let Some(slot) = self.requests.get_mut(index as usize) {
            slot.name = MACH_PORT_NULL;
            slot.fired = false;
        }
    }

    /// The request table size reported by `MACH_PORT_DNREQUESTS_SIZE`.
    pub(crate) fn requests_size(&self) -> u32 {
        self.requests.len() as u32
    }

    /// Grows the request table to at least `size` slots (a power of two).
    pub(crate) fn grow_requests(&mut self, size: u32) -> KResult {
        if size <= self.requests_size() {
            return Ok(());
        }
        let size = size.checked_next_power_of_two().unwrap_or(u32::MAX);
        if size > REQUESTS_MAX {
            return Err(KERN_NO_SPACE);
        }
        let more = (size - self.requests_size()) as usize;
        self.requests
            .reserve(more, GFP_KERNEL_ACCOUNT)
            .map_err(|_| KERN_RESOURCE_SHORTAGE)?;
        while self.requests_size() < size {
            self.requests
                .push_within_capacity(RequestSlot {
                    name: MACH_PORT_NULL,
                    notify: None,
                    fired: false,
                    send_possible: false,
                    armed: false,
                })
                .map_err(|_| KERN_RESOURCE_SHORTAGE)?;
        }
        Ok(())
    }

    /// `mach_port_status_t` of the port, as 10 `natural_t`.
    pub(crate) fn status(&self) -> [u32; 10] {
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
            u32::from(!self.sets.is_empty()),
            self.seqno,
            self.mscount,
            self.qlimit,
            self.queue.len(),
            self.sorights,
            u32::from(self.srights > 0),
            u32::from(self.pdrequest.is_some()),
            u32::from(self.nsrequest.is_some()),
            flags,
        ]
    }
}
