// SPDX-License-Identifier: GPL-2.0

//! A port's request table: dead-name and send-possible registrations (XNU
//! `ipc_port_request_*` in `ipc_port.c`, sizes from `ipc_table.c`).
//!
//! Slot 0 is the header in XNU; here too it is never used, so index 0
//! means "no request" and the reported size counts it. Free slots form a
//! list. The table grows through XNU's size classes (2, 4, 8, ... 47616
//! slots); `KERN_NO_SPACE` beyond (`KERN_RESOURCE_SHORTAGE` for a step
//! past the largest, as XNU). Each growth is charged to the user who
//! caused it, and refunded with the table.
//!
//! The table of a port the kernel receives on (a task, thread or host
//! port) is freed, and its charges refunded, when its last request goes:
//! nobody can see its size, and such a port may outlive every user who
//! made requests on it (the host port lives as long as the module).
//!
//! When the port dies the table stays with it (dead entries still look up
//! whether their request fired, for the extra uref of the dead-name
//! conversion) and is also queued on an outbox, which sends the dead-name
//! notifications one slot at a time with no lock held.
//!
//! Locking: `RequestTable::inner` is taken after the port's lock, or alone
//! by the outbox.

use kernel::{
    list::{AtomicTracker, ListArc, ListLinks, TryNewListArc},
    new_mutex,
    prelude::*,
    sync::{Arc, Mutex},
};

use crate::{
    limits::{gfp_user, Charge, Res, UVec, UserAccount},
    mach::*,
    right::Right,
    stats,
};

/// XNU's request table sizes (`ipc_table_fill(..., 2, sizeof(struct
/// ipc_port_request))` with 16-byte slots and 4 KiB pages; 63 classes).
const SIZES: [u32; 63] = [
    2, 4, 8, 16, 32, 64, 128, 256, 512, 768, 1024, 1280, 1536, 1792, 2048, 2304, 2560, 2816, 3072,
    3328, 3584, 3840, 4096, 4608, 5120, 5632, 6144, 6656, 7168, 7680, 8192, 8704, 9216, 9728,
    10240, 10752, 11264, 11776, 12800, 13824, 14848, 15872, 16896, 17920, 18944, 19968, 20992,
    22016, 23040, 24064, 25088, 26112, 27136, 29184, 31232, 33280, 35328, 37376, 39424, 41472,
    43520, 45568, 47616,
];

/// One registration.
struct Slot {
    /// The name watched; `MACH_PORT_NULL` if free.
    name: u32,
    /// Next free slot (when free).
    next_free: u32,
    /// The send-once right the notification goes to.
    notify: Option<Right>,
    /// A send-possible request (`IPR_SOR_SPREQ`).
    send_possible: bool,
    /// Armed: a sender found the queue full (`IPR_SOR_SPARM`).
    armed: bool,
    /// The port died with this slot registered (its dead-name
    /// notification was sent or is being sent).
    fired: bool,
}

impl Slot {
    fn free(next_free: u32) -> Slot {
        Slot {
            name: MACH_PORT_NULL,
            next_free,
            notify: None,
            send_possible: false,
            armed: false,
            fired: false,
        }
    }
}

struct Inner {
    slots: UVec<Slot>,
    /// Index of the current size in [`SIZES`].
    class: usize,
    free_head: u32,
    /// Slots holding a request.
    used: u32,
    /// Growths, each charged to the user who caused it.
    charges: KVec<Charge>,
    /// Where the dead-name notifications of a dead port's table resume.
    reap_next: u32,
}

/// A request table. See the module documentation.
#[pin_data(PinnedDrop)]
pub(crate) struct RequestTable {
    #[pin]
    links: ListLinks<0>,
    #[pin]
    track: AtomicTracker<0>,
    #[pin]
    inner: Mutex<Inner>,
}

kernel::list::impl_list_arc_safe! {
    impl ListArcSafe<0> for RequestTable { tracked_by track: AtomicTracker<0>; }
}
kernel::list::impl_list_item! {
    impl ListItem<0> for RequestTable { using ListLinks { self.links }; }
}

/// The size class at least `target` slots big, after class `from`.
fn class_for(target: u32, from: Option<usize>) -> KResult<usize> {
    let start = from.map_or(0, |c| c + 1);
    SIZES
        .iter()
        .enumerate()
        .skip(start)
        .find(|(_, &s)| s >= target)
        .map(|(i, _)| i)
        .ok_or(Kr::NO_SPACE)
}

impl Inner {
    fn size(&self) -> u32 {
        self.slots.len() as u32
    }

    /// Grows to class `class`, charging `acct`. As XNU, the new slots go
    /// on the free list lowest first, so the highest is taken first.
    fn grow_to(&mut self, class: usize, acct: &Arc<UserAccount>) -> KResult {
        let old = self.size();
        let new = SIZES[class];
        self.charges.reserve(1, GFP_KERNEL_ACCOUNT)?;
        let charge = acct.charge(Res::Requests, new - old)?;
        self.slots
            .reserve((new - old) as usize, gfp_user())
            .map_err(|_| Kr::RESOURCE_SHORTAGE)?;
        let mut free = self.free_head;
        for i in old..new {
            if i == 0 {
                // The header slot: never used.
                let _ = self.slots.push_within_capacity(Slot::free(0));
                continue;
            }
            // Cannot fail: reserved above.
            let _ = self.slots.push_within_capacity(Slot::free(free));
            free = i;
        }
        self.free_head = free;
        self.class = class;
        // Cannot fail: reserved above.
        let _ = self.charges.push_within_capacity(charge);
        stats::add(stats::Counter::RequestSlots, i64::from(new - old));
        Ok(())
    }
}

impl RequestTable {
    /// A table of the smallest size (or at least `target` slots),
    /// charged to `acct`.
    pub(crate) fn new(target: u32, acct: &Arc<UserAccount>) -> KResult<Arc<RequestTable>> {
        let class = class_for(target.max(1), None)?;
        let t = Arc::pin_init(
            pin_init!(RequestTable {
                links <- ListLinks::new(),
                track <- AtomicTracker::new(),
                inner <- new_mutex!(Inner {
                    slots: UVec::new(),
                    class: 0,
                    free_head: 0,
                    used: 0,
                    charges: KVec::new(),
                    reap_next: 1,
                }, "RequestTable::inner"),
            }),
            GFP_KERNEL_ACCOUNT,
        )?;
        t.inner.lock().grow_to(class, acct)?;
        Ok(t)
    }

    /// Slots holding a request (`mach_port_dnrequest_info`'s `used`).
    pub(crate) fn used(&self) -> u32 {
        let t = self.inner.lock();
        t.slots
            .iter()
            .skip(1)
            .filter(|s| s.name != MACH_PORT_NULL)
            .count() as u32
    }

    /// The size reported by `MACH_PORT_DNREQUESTS_SIZE` (with slot 0).
    pub(crate) fn size(&self) -> u32 {
        self.inner.lock().size()
    }

    /// `ipc_port_request_grow`: grows to the next size class, or to one of
    /// at least `target` slots (nothing to do if it is that big already).
    /// No class that big is `KERN_NO_SPACE`; no next class
    /// `KERN_RESOURCE_SHORTAGE`, as in XNU.
    pub(crate) fn grow(&self, target: Option<u32>, acct: &Arc<UserAccount>) -> KResult {
        let mut t = self.inner.lock();
        // A table emptied by `free_if_unused` starts again from the smallest.
        let from = (t.size() != 0).then_some(t.class);
        let class = match target {
            Some(n) if n <= t.size() => return Ok(()),
            Some(n) => class_for(n, from)?,
            // One step past the largest size: XNU reaches the table's
            // terminating entry and fails the allocation.
            None => class_for(0, from).map_err(|_| Kr::RESOURCE_SHORTAGE)?,
        };
        t.grow_to(class, acct)
    }

    /// `ipc_port_request_alloc`: a slot for `name`, firing to `notify`.
    /// `KERN_NO_SPACE` (with the right back) if the table is full.
    pub(crate) fn alloc(
        &self,
        name: u32,
        notify: Right,
        send_possible: bool,
        immediate: bool,
    ) -> GiveBack<u32, Right> {
        let mut t = self.inner.lock();
        let index = t.free_head;
        if index == 0 {
            return Err(Refused::new(Kr::NO_SPACE, notify));
        }
        let slot = &mut t.slots[index as usize];
        let next = slot.next_free;
        *slot = Slot {
            name,
            next_free: 0,
            notify: Some(notify),
            send_possible,
            // A send-possible request made with `sync` is armed at once.
            armed: send_possible && immediate,
            fired: false,
        };
        t.free_head = next;
        t.used += 1;
        Ok(index)
    }

    /// `ipc_port_request_cancel`: frees slot `index` (registered for
    /// `name`), returning its right.
    pub(crate) fn cancel(&self, name: u32, index: u32) -> Option<Right> {
        let mut t = self.inner.lock();
        let head = t.free_head;
        let slot = t.slots.get_mut(index as usize)?;
        if index == 0 || name == MACH_PORT_NULL || slot.name != name {
            return None;
        }
        let right = slot.notify.take();
        *slot = Slot::free(head);
        t.free_head = index;
        t.used -= 1;
        right
    }

    /// Frees the slots of a table with no request left, refunding their
    /// charges (the table of a port the kernel receives on: see the module
    /// documentation). The next request grows it from the smallest size.
    pub(crate) fn free_if_unused(&self) {
        let (slots, charges) = {
            let mut t = self.inner.lock();
            if t.used != 0 || t.size() == 0 {
                return;
            }
            stats::add(stats::Counter::RequestSlots, -i64::from(t.size()));
            t.free_head = 0;
            t.class = 0;
            (
                core::mem::take(&mut t.slots),
                core::mem::take(&mut t.charges),
            )
        };
        // Freed and refunded with the table's lock dropped.
        drop(slots);
        drop(charges);
    }

    /// `ipc_port_request_type`: the `MACH_PORT_TYPE_*REQUEST` bits of slot
    /// `index`.
    pub(crate) fn request_type(&self, name: u32, index: u32) -> u32 {
        let t = self.inner.lock();
        match t.slots.get(index as usize) {
            Some(s) if index != 0 && s.name == name && (s.notify.is_some() || s.fired) => {
                let mut ty = TYPE_DNREQUEST;
                if s.send_possible {
                    ty |= TYPE_SPREQUEST;
                    if !s.armed {
                        ty |= TYPE_SPREQUEST_DELAYED;
                    }
                }
                ty
            }
            _ => 0,
        }
    }

    /// `ipc_port_request_sparm`: a sender found the queue full; arms slot
    /// `index` if it is a send-possible request. Whether it was.
    pub(crate) fn arm(&self, name: u32, index: u32) -> bool {
        let mut t = self.inner.lock();
        match t.slots.get_mut(index as usize) {
            Some(s) if index != 0 && s.name == name && s.send_possible && s.notify.is_some() => {
                s.armed = true;
                true
            }
            _ => false,
        }
    }

    /// `ipc_port_spnotify`: the queue has room; takes the right of every
    /// armed send-possible request into `fire`. The slots stay in use (with
    /// no right) until their entries cancel them, as XNU's do.
    pub(crate) fn take_armed(&self, mut fire: impl FnMut(Right, u32)) {
        let mut t = self.inner.lock();
        for s in t.slots.iter_mut().skip(1) {
            if s.armed && name_valid(s.name) {
                s.armed = false;
                if let Some(r) = s.notify.take() {
                    fire(r, s.name);
                }
            }
        }
    }

    /// The port died: every registered slot fires (see [`reap_one`]).
    /// Marks them; whether there is anything to send.
    pub(crate) fn mark_fired(&self) -> bool {
        let mut t = self.inner.lock();
        let mut any = false;
        for s in t.slots.iter_mut().skip(1) {
            if s.notify.is_some() {
                s.fired = true;
                any = true;
            }
        }
        t.reap_next = 1;
        any
    }

    /// The next dead-name notification of a dead port: the right and the
    /// name, in slot order (`ipc_port_dnnotify`). `None` when done.
    pub(crate) fn reap_one(&self) -> Option<(Right, u32)> {
        let mut t = self.inner.lock();
        while (t.reap_next as usize) < t.slots.len() {
            let i = t.reap_next as usize;
            t.reap_next += 1;
            let s = &mut t.slots[i];
            if let Some(r) = s.notify.take() {
                return Some((r, s.name));
            }
        }
        None
    }

    /// Whether the (dead port's) slot `index` for `name` fired, for the
    /// extra uref of the dead-name conversion; frees the slot.
    pub(crate) fn take_fired(&self, name: u32, index: u32) -> bool {
        let mut t = self.inner.lock();
        let head = t.free_head;
        match t.slots.get_mut(index as usize) {
            Some(s) if index != 0 && name != MACH_PORT_NULL && s.name == name => {
                let fired = s.fired || s.notify.is_some();
                // A right still there is sent by the reaper: leave it.
                if s.notify.is_none() {
                    *s = Slot::free(head);
                    t.free_head = index;
                    t.used -= 1;
                }
                fired
            }
            _ => false,
        }
    }

    /// Makes a list reference for an outbox (the table of a dying port).
    pub(crate) fn for_outbox(self: &Arc<Self>) -> Option<ListArc<RequestTable>> {
        ListArc::try_from_arc(self.clone()).ok()
    }
}

#[pinned_drop]
impl PinnedDrop for RequestTable {
    fn drop(self: Pin<&mut Self>) {
        let t = self.inner.lock();
        stats::add(stats::Counter::RequestSlots, -i64::from(t.size()));
        // Rights still registered are dropped with the table only if the
        // port died and the reaper was never run; that is a bug.
        #[cfg(CONFIG_RUST_DEBUG_ASSERTIONS)]
        kernel::warn_on!(t.slots.iter().any(|s| s.notify.is_some()));
    }
}
