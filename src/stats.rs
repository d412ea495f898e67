// SPDX-License-Identifier: GPL-2.0

//! Statistics: live object counts and cumulative event counts, read-only in
//! debugfs (`/sys/kernel/debug/machipc/stats`, one `name value` line each).
//!
//! Live counts go up when an object is made and down when it is freed, so
//! once every process using Mach has exited they are back where they were:
//! the fuzzer and the selftests check exactly that. Names ending in
//! `_total` count events and only grow (`kmsg_cache_hits_total`: messages
//! whose structure came from a space's cache of free ones, see `kmsg.rs`;
//! the free structures themselves are no live messages and are not
//! counted: at most 8 per space, freed with it). The file also lists the budget use
//! of `limits.rs` (`budget_*`), which writes those lines itself.
//!
//! The counters are per CPU (in `glue.c`: the `kernel` crate has no per-CPU
//! variables): an update on the message path is one plain add to this
//! CPU's copy, where a shared atomic would be a locked operation on a
//! contended cache line; the file sums the copies.

/// A statistic.
#[derive(Clone, Copy)]
pub(crate) enum Counter {
    Tasks,
    Spaces,
    Entries,
    Ports,
    PortSets,
    Memberships,
    Kmsgs,
    SendRights,
    SendOnceRights,
    RequestSlots,
    Threads,
    Semaphores,
    PollFds,
    Deferred,
    /// Messages made with a new structure; `kmsgs_total` in the file adds
    /// [`Counter::KmsgCacheHitsTotal`] (one count per cached message
    /// instead of two).
    KmsgsTotal,
    NotificationsTotal,
    NotificationsDroppedTotal,
    KernelRepliesDroppedTotal,
    LimitRefusals,
    HandoffsTotal,
    TaskResetsTotal,
    KmsgCacheHitsTotal,
}

const NAMES: [&str; 22] = [
    "tasks",
    "spaces",
    "entries",
    "ports",
    "port_sets",
    "memberships",
    "kmsgs",
    "send_rights",
    "send_once_rights",
    "request_slots",
    "threads",
    "semaphores",
    "poll_fds",
    "deferred",
    "kmsgs_total",
    "notifications_total",
    "notifications_dropped_total",
    "kernel_replies_dropped_total",
    "limit_refusals_total",
    "handoffs_total",
    "task_resets_total",
    "kmsg_cache_hits_total",
];

// Every statistic has a per-CPU slot in `glue.c`.
const _: () = assert!(NAMES.len() <= crate::glue::STAT_SLOTS);

/// Adds `n` (possibly negative) to statistic `i`: an unlocked add to this
/// CPU's copy (`this_cpu_add`), no atomic operation.
fn add_slot(i: usize, n: i64) {
    // SAFETY: `machipc_stat_add` only adds to the calling CPU's copy of a
    // per-CPU array (preemption-safe) and ignores indices out of range;
    // `i` is a `Counter` discriminant, below `NAMES.len()`.
    unsafe { crate::glue::machipc_stat_add(i as u32, n as core::ffi::c_long) }
}

/// Statistic `i`, summed over the CPUs.
fn value(i: usize) -> i64 {
    // SAFETY: `machipc_stat_sum` only reads the per-CPU array's copies
    // and returns 0 for indices out of range.
    unsafe { crate::glue::machipc_stat_sum(i as u32) }
}

/// Adds one to `c`.
pub(crate) fn count(c: Counter) {
    add_slot(c as usize, 1);
}

/// Adds `n` (possibly negative) to `c`.
pub(crate) fn add(c: Counter, n: i64) {
    add_slot(c as usize, n);
}

/// Writes the statistics file.
pub(crate) fn write(f: &mut kernel::fmt::Formatter<'_>) -> kernel::fmt::Result {
    for (i, name) in NAMES.iter().enumerate() {
        let mut n = value(i);
        if i == Counter::KmsgsTotal as usize {
            n += value(Counter::KmsgCacheHitsTotal as usize);
        }
        writeln!(f, "{} {}", name, n)?;
    }
    Ok(())
}

/// A live object counted in `C` for as long as the value exists.
pub(crate) struct Counted<const C: usize>(());

impl<const C: usize> Counted<C> {
    pub(crate) fn new() -> Self {
        add_slot(C, 1);
        Counted(())
    }
}

impl<const C: usize> Drop for Counted<C> {
    fn drop(&mut self) {
        add_slot(C, -1);
    }
}

/// `Counted` indices.
pub(crate) const TASKS: usize = Counter::Tasks as usize;
pub(crate) const SPACES: usize = Counter::Spaces as usize;
pub(crate) const PORTS: usize = Counter::Ports as usize;
pub(crate) const PORT_SETS: usize = Counter::PortSets as usize;
pub(crate) const MEMBERSHIPS: usize = Counter::Memberships as usize;
pub(crate) const KMSGS: usize = Counter::Kmsgs as usize;
pub(crate) const THREADS: usize = Counter::Threads as usize;
pub(crate) const SEMAPHORES: usize = Counter::Semaphores as usize;
pub(crate) const POLL_FDS: usize = Counter::PollFds as usize;
