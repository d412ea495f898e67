// SPDX-License-Identifier: GPL-2.0

//! Port sets.
//!
//! A set lives in one space; its members are ports whose receive rights are
//! named in that space. Membership is recorded on both sides: the port's
//! `sets` (under the port lock) and the set's `members` (under the set
//! lock). Lock order: space, then port, then set. Every change of
//! membership happens with the space lock held.

use kernel::{
    new_condvar, new_mutex,
    prelude::*,
    sync::{Arc, CondVar, Mutex},
};

use crate::{mach::*, port::next_id, port::Port};

pub(crate) struct PortSetInner {
    pub(crate) active: bool,
    pub(crate) members: KVec<Arc<Port>>,
    /// Bumped whenever a member gets a message, so that a receiver that
    /// scanned the members without the set lock sees it missed one.
    pub(crate) seq: u64,
}

/// A port set.
#[pin_data]
pub(crate) struct PortSet {
    pub(crate) id: u64,
    #[pin]
    pub(crate) inner: Mutex<PortSetInner>,
    /// Receivers waiting on the set.
    #[pin]
    pub(crate) cond: CondVar,
}

impl PortSet {
    pub(crate) fn new() -> Result<Arc<PortSet>> {
        Arc::pin_init(
            pin_init!(PortSet {
                id: next_id(),
                inner <- new_mutex!(PortSetInner {
                    active: true,
                    members: KVec::new(),
                    seq: 0,
                }, "PortSet::inner"),
                cond <- new_condvar!("PortSet::cond"),
            }),
            GFP_KERNEL_ACCOUNT,
        )
    }

    /// `ipc_pset_add`: adds `port` (whose receive right the caller holds in
    /// this set's space, space lock held) to the set.
    pub(crate) fn add(self: &Arc<Self>, port: &Arc<Port>) -> KResult {
        let mut pinner = port.inner.lock();
        if pinner.sets.iter().any(|s| Arc::ptr_eq(s, self)) {
            return Err(KERN_ALREADY_IN_SET);
        }
        pinner
            .sets
            .reserve(1, GFP_KERNEL_ACCOUNT)
            .map_err(|_| KERN_RESOURCE_SHORTAGE)?;
        let mut sinner = self.inner.lock();
        if !sinner.active {
            return Err(KERN_INVALID_RIGHT);
        }
        sinner
            .members
            .push(port.clone(), GFP_KERNEL_ACCOUNT)
            .map_err(|_| KERN_RESOURCE_SHORTAGE)?;
        drop(sinner);
        // Cannot fail: reserved above, under the same lock.
        pinner
            .sets
            .push_within_capacity(self.clone())
            .map_err(|_| KERN_RESOURCE_SHORTAGE)
    }

    /// `ipc_pset_remove`: removes `port` from the set.
    pub(crate) fn remove(self: &Arc<Self>, port: &Arc<Port>) -> KResult {
        let mut pinner = port.inner.lock();
        let before = pinner.sets.len();
        pinner.sets.retain(|s| !Arc::ptr_eq(s, self));
        if pinner.sets.len() == before {
            return Err(KERN_NOT_IN_SET);
        }
        self.remove_member(port.id);
        Ok(())
    }

    /// Drops port `id` from the member list (the port side is the caller's).
    pub(crate) fn remove_member(&self, id: u64) {
        self.inner.lock().members.retain(|p| p.id != id);
    }

    /// A member got a message: wakes the set's receivers. Called with the
    /// member's lock held (port -> set order).
    pub(crate) fn wake(&self) {
        let mut sinner = self.inner.lock();
        sinner.seq = sinner.seq.wrapping_add(1);
        self.cond.notify_all();
    }

    /// The wake-up sequence number and the members, for a receiver.
    pub(crate) fn snapshot(&self) -> Result<(u64, KVec<Arc<Port>>)> {
        let seq = self.inner.lock().seq;
        Ok((seq, self.members()?))
    }

    /// `ipc_pset_destroy`: the set dies; every member leaves it; its
    /// receivers are woken (and find it dead).
    pub(crate) fn destroy(self: &Arc<Self>) {
        let members = {
            let mut sinner = self.inner.lock();
            sinner.active = false;
            self.cond.notify_all();
            core::mem::take(&mut sinner.members)
        };
        for port in members.iter() {
            port.inner.lock().sets.retain(|s| !Arc::ptr_eq(s, self));
        }
    }

    /// The members, for `mach_port_get_set_status`.
    pub(crate) fn members(&self) -> Result<KVec<Arc<Port>>> {
        let sinner = self.inner.lock();
        let mut v = KVec::with_capacity(sinner.members.len(), GFP_KERNEL)?;
        for p in sinner.members.iter() {
            v.push(p.clone(), GFP_KERNEL)?;
        }
        Ok(v)
    }
}
