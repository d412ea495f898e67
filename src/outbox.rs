// SPDX-License-Identifier: GPL-2.0

//! The outbox: work an operation defers until it holds no lock.
//!
//! Releasing rights can destroy ports, which destroys their queued
//! messages, which release the rights they carry, and so on, and every
//! notification is a message to deliver; none of it may run under the
//! locks of the operation that started it. So operations push that work
//! here: messages to deliver (notifications, kernel replies) or to destroy,
//! and request tables of dead ports whose dead-name notifications are
//! still to be sent. Pushing never allocates: messages and request tables
//! are intrusive list items.
//!
//! The work is done by `deferred::flush`, at the one place where each call
//! unwinds (the ioctl dispatcher, the task-exit work item, module exit),
//! one bounded step at a time with no lock held. Work that a step creates
//! runs before the rest (depth first), so notifications go out in the
//! order XNU sends them from its recursive code, without recursion.

use kernel::list::List;

use crate::{
    kmsg::{self, Action, MsgBox, MsgList},
    port_request::RequestTable,
    stats,
    waitq::Wakes,
};

/// Deferred work. See the module documentation.
pub(crate) struct Outbox {
    msgs: MsgList,
    tables: List<RequestTable>,
    pending: i64,
    /// Threads to wake (first, before any other work).
    pub(crate) wakes: Wakes,
}

impl Outbox {
    pub(crate) const fn new() -> Outbox {
        Outbox {
            msgs: List::new(),
            tables: List::new(),
            pending: 0,
            wakes: Wakes::new(),
        }
    }

    /// Wakes the threads the work so far completed (no lock held).
    pub(crate) fn wake(&mut self) {
        core::mem::replace(&mut self.wakes, Wakes::new()).wake_all();
    }

    fn added(&mut self) {
        self.pending += 1;
        stats::add(stats::Counter::Deferred, 1);
    }

    fn taken(&mut self) {
        self.pending -= 1;
        stats::add(stats::Counter::Deferred, -1);
    }

    /// Delivers `m` later (a notification or a kernel reply).
    pub(crate) fn deliver(&mut self, mut m: MsgBox) {
        kmsg::body(&mut m).action = Action::Deliver;
        self.msgs.push_back(kmsg::listed(m));
        self.added();
    }

    /// Destroys `m` later: every right it carries is released.
    pub(crate) fn destroy(&mut self, mut m: MsgBox) {
        kmsg::body(&mut m).action = Action::Destroy;
        self.msgs.push_back(kmsg::listed(m));
        self.added();
    }

    /// Destroys every message of a dead port's queue later, in O(1)
    /// (queued messages are marked for destruction when queued).
    pub(crate) fn destroy_queue(&mut self, (mut list, len): (MsgList, u32)) {
        self.msgs.push_all_back(&mut list);
        self.pending += i64::from(len);
        stats::add(stats::Counter::Deferred, i64::from(len));
    }

    /// Sends the dead-name notifications of a dead port's request table
    /// later.
    pub(crate) fn reap(&mut self, table: kernel::list::ListArc<RequestTable>) {
        self.tables.push_back(table);
        self.added();
    }

    /// The next message to work on.
    pub(crate) fn pop_msg(&mut self) -> Option<MsgBox> {
        let m = self.msgs.pop_front()?;
        self.taken();
        kmsg::own(m)
    }

    /// The next request table to work on.
    pub(crate) fn pop_table(&mut self) -> Option<kernel::list::ListArc<RequestTable>> {
        let t = self.tables.pop_front()?;
        self.taken();
        Some(t)
    }

    /// Puts the work of `newer` before this outbox's own (depth first).
    pub(crate) fn prepend(&mut self, mut newer: Outbox) {
        newer.msgs.push_all_back(&mut self.msgs);
        core::mem::swap(&mut self.msgs, &mut newer.msgs);
        newer.tables.push_all_back(&mut self.tables);
        core::mem::swap(&mut self.tables, &mut newer.tables);
        newer.wake();
        self.pending += newer.pending;
        newer.pending = 0;
    }

    /// Whether nothing is left to do (checked on drop in debug builds, and
    /// by the flush, which most calls give nothing).
    pub(crate) fn is_empty(&self) -> bool {
        self.msgs.is_empty() && self.tables.is_empty() && self.wakes.is_empty()
    }
}

impl Drop for Outbox {
    fn drop(&mut self) {
        // Every outbox is flushed where its call unwinds.
        #[cfg(CONFIG_RUST_DEBUG_ASSERTIONS)]
        kernel::warn_on!(!self.is_empty());
        if self.pending != 0 {
            stats::add(stats::Counter::Deferred, -self.pending);
        }
    }
}
