// SPDX-License-Identifier: GPL-2.0

//! Port sets and their memberships (XNU `ipc_pset.c`, and the waitq-set
//! preposts).
//!
//! A set lives in one space; its members are ports whose receive rights are
//! named in that space, and a port may be in several sets. Each (port, set)
//! pair is a [`Membership`], on three intrusive lists: the port's list of
//! its sets, the set's list of members, and -- while the port has messages
//! -- the set's ready list, in the order the ports got their first message
//! (XNU's prepost order). A receiver on the set takes the first message of
//! the first ready port, so messages come in arrival order across members.
//!
//! Locking: port, then set (`Port::inner` -> `PortSet::inner`). Membership
//! lists change only with the owning space locked (or while it is being
//! terminated, alone), so the unlocked walks below cannot race with each
//! other. The ready list changes under the set lock only.

use kernel::{
    list::{AtomicTracker, List, ListArc, ListLinks, TryNewListArc},
    new_mutex,
    prelude::*,
    sync::{Arc, Mutex, UniqueArc},
};

use crate::{
    limits::{Charge, Res, UserAccount},
    mach::*,
    outbox::Outbox,
    port::{next_id, Port},
    stats::{self, Counted},
    waitq::{self, Outcome, WaitList, Waiter, Wakes},
};

/// A port's membership in a set. See the module documentation.
#[pin_data]
pub(crate) struct Membership {
    pub(crate) port: Arc<Port>,
    pub(crate) set: Arc<PortSet>,
    /// On `PortInner::memberships` (under the port lock).
    #[pin]
    port_links: ListLinks<0>,
    /// On `PortSetInner::ready` (under the set lock).
    #[pin]
    ready_links: ListLinks<1>,
    #[pin]
    ready_track: AtomicTracker<1>,
    /// On `PortSetInner::members` (under the set lock).
    #[pin]
    set_links: ListLinks<2>,
    _charge: Charge,
    _count: Counted<{ stats::MEMBERSHIPS }>,
}

kernel::list::impl_list_arc_safe! {
    impl ListArcSafe<0> for Membership { untracked; }
    impl ListArcSafe<1> for Membership { tracked_by ready_track: AtomicTracker<1>; }
    impl ListArcSafe<2> for Membership { untracked; }
}
kernel::list::impl_list_item! {
    impl ListItem<0> for Membership { using ListLinks { self.port_links }; }
    impl ListItem<1> for Membership { using ListLinks { self.ready_links }; }
    impl ListItem<2> for Membership { using ListLinks { self.set_links }; }
}

/// A port's list of its memberships.
pub(crate) type Memberships = List<Membership, 0>;

pub(crate) struct PortSetInner {
    pub(crate) active: bool,
    members: List<Membership, 2>,
    member_count: u32,
    /// Members with messages, in the order they got them.
    ready: List<Membership, 1>,
    /// Receivers waiting on the set.
    pub(crate) waiters: WaitList,
    /// What the set's descriptors report (`pollfd.rs`).
    pub(crate) poll: Option<Arc<crate::pollfd::PollState>>,
}

impl PortSetInner {
    /// Whether a member has messages.
    pub(crate) fn is_ready(&self) -> bool {
        !self.ready.is_empty()
    }

    /// The ready list changed: descriptors follow it.
    fn poll_update(&self) {
        if let Some(p) = &self.poll {
            p.set_ready(self.is_ready());
        }
    }
}

/// A port set.
#[pin_data]
pub(crate) struct PortSet {
    pub(crate) id: u64,
    _charge: Charge,
    #[pin]
    pub(crate) inner: Mutex<PortSetInner>,
    _count: Counted<{ stats::PORT_SETS }>,
}

impl PortSet {
    pub(crate) fn new(acct: &Arc<UserAccount>) -> KResult<Arc<PortSet>> {
        let charge = acct.charge(Res::Ports, 1)?;
        Ok(Arc::pin_init(
            pin_init!(PortSet {
                id: next_id(),
                _charge: charge,
                inner <- new_mutex!(PortSetInner {
                    active: true,
                    members: List::new(),
                    member_count: 0,
                    ready: List::new(),
                    waiters: List::new(),
                    poll: None,
                }, "PortSet::inner"),
                _count: Counted::new(),
            }),
            GFP_KERNEL_ACCOUNT,
        )?)
    }

    /// `ipc_pset_add`: adds `port` (whose receive right the caller holds in
    /// this set's space, space lock held) to the set; `acct` pays for the
    /// membership. A port with messages is ready at once, and a receiver
    /// waiting on the set is woken to take them.
    pub(crate) fn add(
        self: &Arc<Self>,
        port: &Arc<Port>,
        acct: &Arc<UserAccount>,
        out: &mut Outbox,
    ) -> KResult {
        let charge = acct.charge(Res::Requests, 1)?;
        let m = UniqueArc::pin_init(
            pin_init!(Membership {
                port: port.clone(),
                set: self.clone(),
                port_links <- ListLinks::new(),
                ready_links <- ListLinks::new(),
                ready_track <- AtomicTracker::new(),
                set_links <- ListLinks::new(),
                _charge: charge,
                _count: Counted::new(),
            }),
            GFP_KERNEL_ACCOUNT,
        )?;
        let (on_port, on_set) = ListArc::<Membership, 0>::pair_from_pin_unique::<2>(m);
        let handle = on_port.clone_arc();
        let mut pi = port.inner.lock();
        if is_member(&pi.memberships, self) {
            return Err(Kr::ALREADY_IN_SET);
        }
        let mut si = self.inner.lock();
        if !si.active {
            return Err(Kr::INVALID_RIGHT);
        }
        si.members.push_back(on_set);
        si.member_count += 1;
        if !pi.queue.is_empty() {
            if let Ok(r) = ListArc::try_from_arc(handle) {
                si.ready.push_back(r);
            }
            si.poll_update();
            out.wakes.one(&mut si.waiters);
        }
        drop(si);
        pi.memberships.push_back(on_port);
        Ok(())
    }

    /// `ipc_pset_remove`: removes `port` from the set. `KERN_NOT_IN_SET`
    /// if it is not a member.
    pub(crate) fn remove(self: &Arc<Self>, port: &Arc<Port>) -> KResult {
        let m = {
            let mut pi = port.inner.lock();
            let Some(m) = take_membership(&mut pi.memberships, self) else {
                return Err(Kr::NOT_IN_SET);
            };
            m
        };
        self.unlink(&m);
        Ok(())
    }

    /// Takes `m` off the set's lists (its port side is done).
    pub(crate) fn unlink(&self, m: &Membership) {
        let mut si = self.inner.lock();
        // SAFETY: `m.set_links` and `m.ready_links` are only ever on this
        // set's `members` and `ready` lists.
        unsafe {
            if si.members.remove(m).is_some() {
                si.member_count -= 1;
            }
            si.ready.remove(m);
        }
        si.poll_update();
    }

    /// A member (`m`, whose port is locked by the caller: port -> set) got
    /// a message while its queue was empty: a receiver waiting on the set
    /// that accepts `size` bytes gets it right away -- `deliver` does the
    /// port's dequeue bookkeeping and yields the message -- and `true` is
    /// returned; otherwise the member becomes ready (if it is not already).
    pub(crate) fn post(
        &self,
        m: &Arc<Membership>,
        size: u32,
        name: u32,
        out: &mut Outbox,
        deliver: impl FnOnce(&mut Outbox) -> crate::kmsg::MsgBox,
    ) -> bool {
        let mut si = self.inner.lock();
        if !si.active {
            return false;
        }
        if let Some(w) = waitq::take_acceptor(&mut si.waiters, size, name, &mut out.wakes) {
            let msg = deliver(out);
            out.wakes.push(w, Outcome::Msg(msg, name));
            return true;
        }
        if let Ok(r) = ListArc::try_from_arc(m.clone()) {
            si.ready.push_back(r);
        }
        si.poll_update();
        false
    }

    /// For a receiver: the first ready member, or else `w` is queued to
    /// wait (under the same lock, so no message is missed). `Err` if the
    /// set is dead.
    pub(crate) fn ready_or_wait(
        &self,
        w: ListArc<Waiter>,
    ) -> core::result::Result<Option<Arc<Membership>>, ()> {
        let mut si = self.inner.lock();
        if !si.active {
            return Err(());
        }
        let mut cursor = si.ready.cursor_front();
        if let Some(m) = cursor.peek_next() {
            return Ok(Some(m.arc().into()));
        }
        si.waiters.push_back(w);
        Ok(None)
    }

    /// A waiting receiver gives up (timed out, signalled): see
    /// [`waitq::cancel`].
    pub(crate) fn cancel_wait(&self, w: &Waiter) -> bool {
        waitq::cancel(&mut self.inner.lock().waiters, w)
    }

    /// Member `m` has no messages left (or a receiver found it empty):
    /// it is no longer ready.
    pub(crate) fn unready(&self, m: &Membership) {
        let mut si = self.inner.lock();
        // SAFETY: `m.ready_links` are only ever on this set's ready list.
        unsafe { si.ready.remove(m) };
        si.poll_update();
    }

    /// `ipc_pset_destroy`: the set dies; every member leaves it; its
    /// receivers are woken (and find it dead). Space lock held (or the
    /// space is being terminated).
    pub(crate) fn destroy(&self) {
        let mut wakes = Wakes::new();
        let mut members = {
            let mut si = self.inner.lock();
            if !si.active {
                return;
            }
            si.active = false;
            wakes.changed(&mut si.waiters);
            si.ready = List::default();
            si.member_count = 0;
            if let Some(p) = si.poll.take() {
                p.hang_up();
            }
            core::mem::take(&mut si.members)
        };
        wakes.wake_all();
        while let Some(m) = members.pop_front() {
            let mut pi = m.port.inner.lock();
            // SAFETY: `m.port_links` are only ever on its port's list.
            unsafe { pi.memberships.remove(&m) };
        }
    }

    /// The members' ports, for `mach_port_get_set_status`.
    pub(crate) fn members(&self) -> Result<KVec<Arc<Port>>> {
        let si = self.inner.lock();
        let mut v = KVec::with_capacity(si.member_count as usize, GFP_KERNEL_ACCOUNT)?;
        for m in si.members.iter() {
            v.push(m.port.clone(), GFP_KERNEL_ACCOUNT)?;
        }
        Ok(v)
    }
}

/// Takes `port`'s membership in `set` off the port's list.
fn take_membership(list: &mut Memberships, set: &Arc<PortSet>) -> Option<ListArc<Membership>> {
    let mut cursor = list.cursor_front();
    while let Some(peek) = cursor.peek_next() {
        if Arc::ptr_eq(&peek.set, set) {
            return Some(peek.remove());
        }
        cursor.move_next();
    }
    None
}

/// Takes every membership off a port whose receive right leaves its space
/// (`ipc_port_clear_receiver`): the port leaves all its sets. Port lock
/// held; the sets' side is done by [`leave_all`].
pub(crate) fn take_all(list: &mut Memberships) -> Memberships {
    core::mem::take(list)
}

/// The set side of [`take_all`], with the port lock held (port -> set).
pub(crate) fn leave_all(mut taken: Memberships) {
    while let Some(m) = taken.pop_front() {
        m.set.unlink(&m);
    }
}

/// Whether a port's membership list has a membership in `set`.
pub(crate) fn is_member(list: &Memberships, set: &Arc<PortSet>) -> bool {
    list.iter().any(|m| Arc::ptr_eq(&m.set, set))
}
