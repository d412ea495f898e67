// SPDX-License-Identifier: GPL-2.0

//! Limits: the module parameters, and the per-user and global budgets that
//! bound how much kernel memory user space can pin.
//!
//! Every object a user's call creates is charged to the user (the real uid
//! of the calling process, as Linux charges per-user resources) and to the
//! global budget: ports (with port sets and semaphores), kernel messages
//! and their bytes (inline and out-of-line), and request-table slots (with
//! port-set memberships). A charge is a [`Charge`] value held by the object
//! and returned when it is dropped, so no path can forget to refund it.
//! Allocations are also charged to the caller's memory cgroup
//! (`GFP_KERNEL_ACCOUNT`). A user over budget gets the Mach code of a
//! failed allocation (`KERN_RESOURCE_SHORTAGE`, `KERN_NO_SPACE`,
//! `MACH_SEND_NO_BUFFER`); a process with `CAP_SYS_RESOURCE` is held only
//! to the global budget.
//!
//! Locking: [`ACCOUNTS`] is a leaf, taken with nothing else held; the
//! counters are atomics.

use core::{alloc::Layout, ptr::NonNull};

use kernel::{
    alloc::{allocator::Kmalloc, AllocError, Allocator, Flags, NumaNode},
    bindings,
    prelude::*,
    sync::{
        atomic::{ordering::Relaxed, Atomic},
        Arc,
    },
};

use crate::mach::{KResult, Kr};

/// Flags of every allocation whose size a user chooses: charged to the
/// caller's memory cgroup, and never warning (a failure is an answer).
/// Buffers of [`UVec`] ignore them for [`USER_GFP`].
pub(crate) fn gfp_user() -> Flags {
    GFP_KERNEL_ACCOUNT | kernel::alloc::flags::__GFP_NOWARN
}

/// The GFP flags of every [`UserAlloc`] allocation: charged to the caller's
/// memory cgroup, never warning, and never invoking the OOM killer --
/// `__GFP_NORETRY`, without which a memory cgroup at its limit kills a
/// process (`try_charge_memcg` calls the memcg OOM killer for order-0
/// charges, which is what the vmalloc fallback of a large buffer makes).
/// With it a failure comes back quickly as the call's Mach code. (The
/// `kernel` crate's `Flags` cannot express `__GFP_NORETRY`, hence raw
/// flags and this allocator.)
const USER_GFP: u32 =
    bindings::GFP_KERNEL_ACCOUNT | bindings::__GFP_NOWARN | (1 << bindings::___GFP_NORETRY_BIT);

/// The allocator of buffers whose size a user chooses (message bodies,
/// out-of-line memory, port arrays, descriptor lists, name tables):
/// `kvrealloc` with [`USER_GFP`], so that running out of memory -- the
/// machine's or a memory cgroup's -- is the Mach code of a failed
/// allocation, never the OOM killer. Of the `flags` a caller passes only
/// two facts are used: whether it may sleep (`GFP_KERNEL`; if not, the
/// allocation is `GFP_NOWAIT`) and `__GFP_ZERO`; the NUMA node is always
/// "any".
pub(crate) struct UserAlloc;

// SAFETY: every allocation comes from `kvrealloc_node_align` and is freed
// or resized only by it (through `realloc`), so it stays valid until then
// and any pointer it returned may be passed back to it; `realloc` keeps
// the guarantees of `Allocator::realloc` as `kvrealloc` does (contents up
// to the smaller size preserved, the old buffer valid on failure, a
// `kmalloc`-compatible layout as for the `kernel` crate's `KVmalloc`).
unsafe impl Allocator for UserAlloc {
    const MIN_ALIGN: usize = bindings::ARCH_KMALLOC_MINALIGN;

    #[inline]
    unsafe fn realloc(
        ptr: Option<NonNull<u8>>,
        layout: Layout,
        old_layout: Layout,
        flags: Flags,
        _nid: NumaNode,
    ) -> core::result::Result<NonNull<[u8]>, AllocError> {
        if layout.size() == 0 && (ptr.is_none() || old_layout.size() == 0) {
            // Nothing to free and nothing to allocate (an empty vector
            // dropped: every `Vec` drop frees): no allocator call, and
            // (inlined) no call at all.
            let p = NonNull::new(core::ptr::without_provenance_mut::<u8>(layout.align()))
                .ok_or(AllocError)?;
            return Ok(NonNull::slice_from_raw_parts(p, 0));
        }
        // SAFETY: the caller's contract, passed on.
        unsafe { user_realloc(ptr, layout, old_layout, flags) }
    }
}

/// [`UserAlloc`]'s `realloc` once there is something to allocate or free
/// (kept out of line: the inlined part is the check above).
///
/// # Safety
///
/// As `Allocator::realloc`.
#[inline(never)]
unsafe fn user_realloc(
    ptr: Option<NonNull<u8>>,
    layout: Layout,
    old_layout: Layout,
    flags: Flags,
) -> core::result::Result<NonNull<[u8]>, AllocError> {
    let layout = Kmalloc::aligned_layout(layout);
    let size = layout.size();
    let old = match ptr {
        Some(p) if old_layout.size() != 0 => p.as_ptr().cast_const(),
        _ => core::ptr::null(),
    };
    // A caller that may not sleep gets a non-sleeping allocation (no
    // such caller today: every user-sized buffer is made in process
    // context with no spinlock held).
    let mut gfp = if flags.contains(GFP_KERNEL) {
        USER_GFP
    } else {
        bindings::GFP_NOWAIT
            | bindings::__GFP_NOWARN
            | (bindings::GFP_KERNEL_ACCOUNT & !bindings::GFP_KERNEL)
    };
    if flags.contains(kernel::alloc::flags::__GFP_ZERO) {
        gfp |= bindings::__GFP_ZERO;
    }
    // SAFETY: `old` is null or, by the caller's contract, a live
    // allocation of this allocator, i.e. of `kvrealloc_node_align`;
    // a zero `size` frees it.
    let raw = unsafe {
        bindings::kvrealloc_node_align(
            old.cast(),
            size,
            layout.align() as kernel::ffi::c_ulong,
            gfp,
            bindings::NUMA_NO_NODE,
        )
    };
    let p = if size == 0 {
        NonNull::new(core::ptr::without_provenance_mut::<u8>(layout.align())).ok_or(AllocError)?
    } else {
        NonNull::new(raw.cast::<u8>()).ok_or(AllocError)?
    };
    Ok(NonNull::slice_from_raw_parts(p, size))
}

/// A vector whose size a user chooses (see [`UserAlloc`]).
pub(crate) type UVec<T> = kernel::alloc::Vec<T, UserAlloc>;

/// A module parameter's value.
macro_rules! param {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        pub(crate) fn $name() -> u32 {
            crate::module_parameters::$name.value()
        }
    };
}

param!(
    /// Names in one task's IPC space.
    max_port_names
);
param!(
    /// Inline bytes of one message.
    max_msg_size
);
param!(
    /// Out-of-line bytes of one message.
    max_ool_size
);
param!(
    /// Descriptors in one message.
    max_msg_descriptors
);
param!(
    /// Port rights in one message (header, port and out-of-line ports).
    max_msg_rights
);

/// The longest receive spin (`rcv_spin_us`), in microseconds.
pub(crate) const RCV_SPIN_MAX_US: u32 = 1000;

/// The receive spin now: the `rcv_spin_us` parameter at load, then what
/// root writes to the debugfs file `machipc/rcv_spin_us`.
static RCV_SPIN_US: Atomic<u32> = Atomic::new(0);

/// Microseconds a blocking receive polls for a message before it sleeps
/// (at most [`RCV_SPIN_MAX_US`]; 0: it sleeps at once).
pub(crate) fn rcv_spin_us() -> u32 {
    RCV_SPIN_US.load(Relaxed)
}

/// Sets the receive spin, cut at [`RCV_SPIN_MAX_US`].
pub(crate) fn set_rcv_spin_us(us: u32) {
    RCV_SPIN_US.store(us.min(RCV_SPIN_MAX_US), Relaxed);
}

/// The debugfs file `rcv_spin_us` written: a decimal number of
/// microseconds (cut at [`RCV_SPIN_MAX_US`]); `EINVAL` for anything else.
pub(crate) fn write_rcv_spin_us(r: &mut kernel::uaccess::UserSliceReader) -> Result {
    let mut buf = [0u8; 16];
    let n = r.len();
    if n > buf.len() {
        return Err(EINVAL);
    }
    r.read_slice(&mut buf[..n])?;
    let text = core::str::from_utf8(&buf[..n]).map_err(|_| EINVAL)?;
    let us = text.trim().parse::<u32>().map_err(|_| EINVAL)?;
    set_rcv_spin_us(us);
    Ok(())
}

/// What a budget counts.
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Res {
    /// Ports, port sets and semaphores.
    Ports,
    /// Kernel messages (queued or in flight).
    Kmsgs,
    /// Bytes of kernel messages (inline and out-of-line).
    Bytes,
    /// Request-table slots and port-set memberships.
    Requests,
}

const RES_COUNT: usize = 4;

impl Res {
    const fn index(self) -> usize {
        match self {
            Res::Ports => 0,
            Res::Kmsgs => 1,
            Res::Bytes => 2,
            Res::Requests => 3,
        }
    }

    fn user_limit(self) -> u64 {
        let p = &crate::module_parameters::max_user_ports;
        self.fitted(match self {
            Res::Ports => p.value(),
            Res::Kmsgs => crate::module_parameters::max_user_kmsgs.value(),
            Res::Bytes => crate::module_parameters::max_user_kmsg_mbytes.value(),
            Res::Requests => crate::module_parameters::max_user_requests.value(),
        })
    }

    /// A limit of `n` (units, or MiB for [`Res::Bytes`]) in bytes for
    /// [`Res::Bytes`], cut to what a message budget's word can count.
    fn fitted(self, n: u32) -> u64 {
        match self {
            Res::Kmsgs => u64::from(n).min(MSG_COUNT_MAX),
            Res::Bytes => (u64::from(n) << 20).min(MSG_BYTE_MASK),
            Res::Ports | Res::Requests => u64::from(n),
        }
    }

    fn global_limit(self) -> u64 {
        self.fitted(match self {
            Res::Ports => crate::module_parameters::max_ports.value(),
            Res::Kmsgs => crate::module_parameters::max_kmsgs.value(),
            Res::Bytes => crate::module_parameters::max_kmsg_mbytes.value(),
            Res::Requests => crate::module_parameters::max_requests.value(),
        })
    }

    /// The Mach code a refused charge gives.
    pub(crate) fn refusal(self) -> Kr {
        match self {
            Res::Requests => Kr::NO_SPACE,
            _ => Kr::RESOURCE_SHORTAGE,
        }
    }
}

/// Bits of a message budget's word that count bytes; the messages are
/// counted in the bits above.
const MSG_BYTE_BITS: u32 = 40;
/// The bytes of a message budget's word; also the largest byte limit
/// (the `max_*kmsg_mbytes` parameters are cut to it: 1 TiB).
const MSG_BYTE_MASK: u64 = (1 << MSG_BYTE_BITS) - 1;
/// The largest message limit (the `max_*kmsgs` parameters are cut to it:
/// 16,777,215).
const MSG_COUNT_MAX: u64 = (1 << (64 - MSG_BYTE_BITS)) - 1;

/// A message budget's word for `count` messages of `bytes` bytes.
const fn msg_word(count: u64, bytes: u64) -> u64 {
    (count << MSG_BYTE_BITS) | bytes
}

/// One budget: what is in use. Ports and request slots are counted
/// apiece; messages and their bytes share one word (`msg_word`), so that
/// a message is charged, and refunded, with one atomic operation.
///
/// A word never carries from its bytes into its count: every charge is
/// checked against limits within the fields (`Res::fitted`) before it is
/// added (compare-and-exchange), a charge past the user's limit (the
/// `CAP_SYS_RESOURCE` exemption) is always within the global budget's,
/// which it was charged too, and a refund gives back exactly what was
/// taken.
struct Budget {
    ports: Atomic<u64>,
    requests: Atomic<u64>,
    msgs: Atomic<u64>,
}

impl Budget {
    const fn new() -> Budget {
        Budget {
            ports: Atomic::new(0),
            requests: Atomic::new(0),
            msgs: Atomic::new(0),
        }
    }

    /// The word that counts `res`, and what `n` of it adds to that word.
    /// (`n` messages or bytes fit their field: a message amount is never
    /// more than was checked against a limit.)
    fn counter(&self, res: Res, n: u64) -> (&Atomic<u64>, u64) {
        match res {
            Res::Ports => (&self.ports, n),
            Res::Requests => (&self.requests, n),
            Res::Kmsgs => (&self.msgs, msg_word(n, 0)),
            Res::Bytes => (&self.msgs, msg_word(0, n)),
        }
    }

    /// Takes `n` of `res` if that stays within `limit`.
    fn take(&self, res: Res, n: u64, limit: u64) -> bool {
        match res {
            Res::Kmsgs => self.take_msgs(n, 0, (limit, 0)),
            Res::Bytes => self.take_msgs(0, n, (0, limit)),
            Res::Ports | Res::Requests => {
                let (used, _) = self.counter(res, n);
                let before = used.fetch_add(n, Relaxed);
                if before.saturating_add(n) > limit {
                    used.fetch_sub(n, Relaxed);
                    return false;
                }
                true
            }
        }
    }

    /// Takes `count` messages and `bytes` bytes if each that is taken
    /// stays within its limit (`limits`: messages, bytes), or neither.
    /// Lock-free: a retry means another charge or refund went through.
    fn take_msgs(&self, count: u64, bytes: u64, limits: (u64, u64)) -> bool {
        let mut cur = self.msgs.load(Relaxed);
        loop {
            let (used_count, used_bytes) = (cur >> MSG_BYTE_BITS, cur & MSG_BYTE_MASK);
            if (count != 0 && used_count + count > limits.0)
                || (bytes != 0 && used_bytes + bytes > limits.1)
            {
                return false;
            }
            match self
                .msgs
                .cmpxchg(cur, cur + msg_word(count, bytes), Relaxed)
            {
                Ok(_) => return true,
                Err(now) => cur = now,
            }
        }
    }

    fn give(&self, res: Res, n: u64) {
        let (word, v) = self.counter(res, n);
        word.fetch_sub(v, Relaxed);
    }

    /// Gives back `count` messages and `bytes` bytes taken before.
    fn give_msgs(&self, count: u64, bytes: u64) {
        self.msgs.fetch_sub(msg_word(count, bytes), Relaxed);
    }

    /// Adds to `res` with no limit (the exemption; see the type's docs).
    fn force(&self, res: Res, n: u64) {
        let (word, v) = self.counter(res, n);
        word.fetch_add(v, Relaxed);
    }

    fn force_msgs(&self, count: u64, bytes: u64) {
        self.msgs.fetch_add(msg_word(count, bytes), Relaxed);
    }

    fn used(&self, res: Res) -> u64 {
        let v = self.counter(res, 0).0.load(Relaxed);
        match res {
            Res::Kmsgs => v >> MSG_BYTE_BITS,
            Res::Bytes => v & MSG_BYTE_MASK,
            Res::Ports | Res::Requests => v,
        }
    }
}

/// The global budget.
static GLOBAL: Budget = Budget::new();

/// One user's budget.
pub(crate) struct UserAccount {
    uid: u32,
    budget: Budget,
    /// The user and global limits of each resource, read from the module
    /// parameters (fixed once loaded) when the account was made, so that a
    /// charge reads no parameter.
    limits: [(u64, u64); RES_COUNT],
}

kernel::sync::global_lock! {
    // SAFETY: initialised in the module initialiser before first use.
    /// Every user's account. Accounts live until the module is unloaded
    /// (one per uid that ever used /dev/mach: a handful, searched in turn).
    pub(crate) unsafe(uninit) static ACCOUNTS: Mutex<KVec<Arc<UserAccount>>> = KVec::new();
}

impl UserAccount {
    /// The account of kernel uid `uid`, made on first use.
    pub(crate) fn get(uid: u32) -> Result<Arc<UserAccount>> {
        let mut accounts = ACCOUNTS.lock();
        if let Some(a) = accounts.iter().find(|a| a.uid == uid) {
            return Ok(a.clone());
        }
        let limits = [Res::Ports, Res::Kmsgs, Res::Bytes, Res::Requests]
            .map(|r| (r.user_limit(), r.global_limit()));
        let acct = Arc::new(
            UserAccount {
                uid,
                budget: Budget::new(),
                limits,
            },
            GFP_KERNEL,
        )?;
        accounts.push(acct.clone(), GFP_KERNEL)?;
        Ok(acct)
    }

    pub(crate) fn uid(&self) -> u32 {
        self.uid
    }

    /// Charges `n` units of `res` to this user and the global budget.
    pub(crate) fn charge(self: &Arc<Self>, res: Res, n: u32) -> KResult<Charge> {
        self.take(res, u64::from(n))?;
        Ok(Charge {
            acct: (n != 0).then(|| self.clone()),
            res,
            n,
        })
    }

    /// Gives `n` units of `res` back to both budgets.
    fn give(&self, res: Res, n: u64) {
        self.budget.give(res, n);
        GLOBAL.give(res, n);
    }

    /// Takes `n` units of `res` from both budgets, or neither.
    fn take(&self, res: Res, n: u64) -> KResult {
        if n == 0 {
            return Ok(());
        }
        let (user_limit, global_limit) = self.limits[res.index()];
        if !GLOBAL.take(res, n, global_limit) {
            crate::stats::count(crate::stats::Counter::LimitRefusals);
            return Err(res.refusal());
        }
        if !self.budget.take(res, n, user_limit) {
            if !may_exceed_user_budget() {
                GLOBAL.give(res, n);
                crate::stats::count(crate::stats::Counter::LimitRefusals);
                return Err(res.refusal());
            }
            // Exempt: charged anyway, so the refund balances.
            self.budget.force(res, n);
        }
        Ok(())
    }

    /// Takes `count` messages of `bytes` bytes from both budgets, or
    /// nothing: [`UserAccount::take`] for a message's two resources at
    /// once (one atomic operation per budget).
    fn take_msgs(&self, count: u64, bytes: u64) -> KResult {
        let (k, b) = (Res::Kmsgs.index(), Res::Bytes.index());
        let user = (self.limits[k].0, self.limits[b].0);
        let global = (self.limits[k].1, self.limits[b].1);
        if !GLOBAL.take_msgs(count, bytes, global) {
            crate::stats::count(crate::stats::Counter::LimitRefusals);
            return Err(Res::Kmsgs.refusal());
        }
        if !self.budget.take_msgs(count, bytes, user) {
            if !may_exceed_user_budget() {
                GLOBAL.give_msgs(count, bytes);
                crate::stats::count(crate::stats::Counter::LimitRefusals);
                return Err(Res::Kmsgs.refusal());
            }
            self.budget.force_msgs(count, bytes);
        }
        Ok(())
    }

    /// Gives back `count` messages of `bytes` bytes to both budgets.
    fn give_msgs(&self, count: u64, bytes: u64) {
        self.budget.give_msgs(count, bytes);
        GLOBAL.give_msgs(count, bytes);
    }
}

/// Whether the caller may go past its user budget (`CAP_SYS_RESOURCE`),
/// asked only once the budget is exhausted. A process over budget through
/// this exemption is charged anyway, so its later refunds balance.
fn may_exceed_user_budget() -> bool {
    // SAFETY: `capable` only reads the current task's credentials; every
    // charge is made in process context.
    unsafe { kernel::bindings::capable(kernel::bindings::CAP_SYS_RESOURCE as i32) }
}

/// Units of one resource charged to a user; refunded when dropped.
pub(crate) struct Charge {
    acct: Option<Arc<UserAccount>>,
    n: u32,
    res: Res,
}

impl Charge {
    /// A charge of nothing.
    pub(crate) const fn none() -> Charge {
        Charge {
            acct: None,
            res: Res::Ports,
            n: 0,
        }
    }

    /// The account charged, if any.
    pub(crate) fn account(&self) -> Option<&Arc<UserAccount>> {
        self.acct.as_ref()
    }
}

impl Drop for Charge {
    fn drop(&mut self) {
        if let Some(acct) = self.acct.take() {
            acct.give(self.res, u64::from(self.n));
        }
    }
}

/// The charge of one message: one [`Res::Kmsgs`] and its bytes
/// ([`Res::Bytes`]) to one account, refunded together when dropped. One
/// reference to the account serves both. A refunded charge may keep its
/// account (a structure in a message cache does): charging the same
/// account again then takes no new reference.
pub(crate) struct MsgCharge {
    acct: Option<Arc<UserAccount>>,
    bytes: u32,
    /// Whether the message and `bytes` are taken from `acct`.
    charged: bool,
}

impl MsgCharge {
    /// A charge of nothing (a message charged to no one).
    pub(crate) const fn none() -> MsgCharge {
        MsgCharge {
            acct: None,
            bytes: 0,
            charged: false,
        }
    }

    /// Charges one message of `bytes` bytes to `acct`, or nothing if
    /// either is over budget.
    pub(crate) fn new(acct: Arc<UserAccount>, bytes: u32) -> KResult<MsgCharge> {
        let mut c = MsgCharge {
            acct: Some(acct),
            bytes: 0,
            charged: false,
        };
        c.take(bytes)?;
        Ok(c)
    }

    fn take(&mut self, bytes: u32) -> KResult {
        let Some(acct) = &self.acct else {
            return Ok(());
        };
        acct.take_msgs(1, u64::from(bytes))?;
        self.bytes = bytes;
        self.charged = true;
        Ok(())
    }

    /// Whether the charge is (or was, if refunded) to `acct`.
    pub(crate) fn keeps(&self, acct: &Arc<UserAccount>) -> bool {
        self.acct
            .as_ref()
            .is_some_and(|kept| Arc::ptr_eq(kept, acct))
    }

    /// Charges a refunded charge again, to the account it kept: one
    /// message of `bytes` bytes. Nothing is taken if either is over budget.
    pub(crate) fn recharge_kept(&mut self, bytes: u32) -> KResult {
        self.refund();
        self.take(bytes)
    }

    /// Charges a refunded charge again, to `acct`.
    pub(crate) fn recharge(&mut self, acct: Arc<UserAccount>, bytes: u32) -> KResult {
        self.refund();
        self.acct = Some(acct);
        self.take(bytes)
    }

    /// Gives everything back now; the account stays referenced (for
    /// [`MsgCharge::recharge`]).
    pub(crate) fn refund(&mut self) {
        if !core::mem::replace(&mut self.charged, false) {
            return;
        }
        if let Some(acct) = &self.acct {
            acct.give_msgs(1, u64::from(self.bytes));
        }
        self.bytes = 0;
    }

    /// Charges `n` more bytes to the account charged (nothing if the
    /// message is charged to no one), or nothing if that is over budget.
    pub(crate) fn grow(&mut self, n: u32) -> KResult {
        let Some(acct) = &self.acct else {
            return Ok(());
        };
        if !self.charged {
            return Ok(());
        }
        let total = self.bytes.checked_add(n).ok_or(Res::Bytes.refusal())?;
        acct.take_msgs(0, u64::from(n))?;
        self.bytes = total;
        Ok(())
    }
}

impl Drop for MsgCharge {
    fn drop(&mut self) {
        self.refund();
    }
}

/// The global use of `res` (for the statistics file).
pub(crate) fn global_used(res: Res) -> u64 {
    GLOBAL.used(res)
}

/// Writes the global budget use (`budget_*` lines of the statistics file).
pub(crate) fn write_budgets(f: &mut kernel::fmt::Formatter<'_>) -> kernel::fmt::Result {
    for (name, res) in [
        ("budget_ports", Res::Ports),
        ("budget_kmsgs", Res::Kmsgs),
        ("budget_bytes", Res::Bytes),
        ("budget_requests", Res::Requests),
    ] {
        writeln!(f, "{} {}", name, global_used(res))?;
    }
    Ok(())
}
