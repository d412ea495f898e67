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

/// What a budget counts apiece (messages and their bytes are charged
/// together, by [`MsgCharge`]).
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Res {
    /// Ports, port sets and semaphores.
    Ports,
    /// Request-table slots and port-set memberships.
    Requests,
}

/// An amount taken from, or given back to, a budget.
#[derive(Clone, Copy)]
enum Amount {
    /// `n` of a resource counted apiece.
    Units(Res, u64),
    /// `count` kernel messages (queued or in flight) of `bytes` bytes
    /// (inline and out-of-line) in all.
    Msgs { count: u64, bytes: u64 },
}

impl Amount {
    /// The Mach code a refused charge gives.
    fn refusal(self) -> Kr {
        match self {
            Amount::Units(Res::Requests, _) => Kr::NO_SPACE,
            _ => Kr::RESOURCE_SHORTAGE,
        }
    }

    fn is_zero(self) -> bool {
        matches!(
            self,
            Amount::Units(_, 0) | Amount::Msgs { count: 0, bytes: 0 }
        )
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

/// The limits of one budget, read from the module parameters (fixed once
/// loaded) when the budget's account is made, so that a charge reads no
/// parameter. Message limits are cut to what a message word can count.
#[derive(Clone, Copy)]
struct Limits {
    ports: u64,
    requests: u64,
    msgs: u64,
    bytes: u64,
}

impl Limits {
    /// Limits from parameter values: units, and MiB for the bytes.
    fn new(ports: u32, requests: u32, msgs: u32, mbytes: u32) -> Limits {
        Limits {
            ports: u64::from(ports),
            requests: u64::from(requests),
            msgs: u64::from(msgs).min(MSG_COUNT_MAX),
            bytes: (u64::from(mbytes) << 20).min(MSG_BYTE_MASK),
        }
    }

    fn user() -> Limits {
        use crate::module_parameters as p;
        Limits::new(
            p::max_user_ports.value(),
            p::max_user_requests.value(),
            p::max_user_kmsgs.value(),
            p::max_user_kmsg_mbytes.value(),
        )
    }

    fn global() -> Limits {
        use crate::module_parameters as p;
        Limits::new(
            p::max_ports.value(),
            p::max_requests.value(),
            p::max_kmsgs.value(),
            p::max_kmsg_mbytes.value(),
        )
    }

    /// Whether `a` may be added to `used`, the word that counts it.
    fn admit(&self, a: Amount, used: u64) -> bool {
        match a {
            Amount::Units(Res::Ports, n) => used.saturating_add(n) <= self.ports,
            Amount::Units(Res::Requests, n) => used.saturating_add(n) <= self.requests,
            Amount::Msgs { count, bytes } => {
                (count == 0 || (used >> MSG_BYTE_BITS) + count <= self.msgs)
                    && (bytes == 0 || (used & MSG_BYTE_MASK) + bytes <= self.bytes)
            }
        }
    }
}

/// One budget: what is in use. Ports and request slots are counted
/// apiece; messages and their bytes share one word (`msg_word`), so that
/// a message is charged, and refunded, with one atomic operation.
///
/// A word never carries from its bytes into its count: every charge is
/// checked against limits within the fields ([`Limits`]) before it is
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

    /// The word that counts `a`, and what `a` adds to that word. (A
    /// message amount fits its fields: it is never more than was checked
    /// against a limit.)
    fn word(&self, a: Amount) -> (&Atomic<u64>, u64) {
        match a {
            Amount::Units(Res::Ports, n) => (&self.ports, n),
            Amount::Units(Res::Requests, n) => (&self.requests, n),
            Amount::Msgs { count, bytes } => (&self.msgs, msg_word(count, bytes)),
        }
    }

    /// Takes `a` if that stays within `limits`, or nothing. Lock-free: a
    /// retry means another charge or refund went through.
    fn take(&self, a: Amount, limits: &Limits) -> bool {
        let (word, v) = self.word(a);
        let mut cur = word.load(Relaxed);
        loop {
            if !limits.admit(a, cur) {
                return false;
            }
            match word.cmpxchg(cur, cur + v, Relaxed) {
                Ok(_) => return true,
                Err(now) => cur = now,
            }
        }
    }

    /// Gives back `a`, taken before.
    fn give(&self, a: Amount) {
        let (word, v) = self.word(a);
        word.fetch_sub(v, Relaxed);
    }

    /// Adds `a` with no limit (the exemption; see the type's docs).
    fn force(&self, a: Amount) {
        let (word, v) = self.word(a);
        word.fetch_add(v, Relaxed);
    }
}

/// The global budget.
static GLOBAL: Budget = Budget::new();

/// One user's budget.
pub(crate) struct UserAccount {
    uid: u32,
    budget: Budget,
    /// This user's limits.
    limits: Limits,
    /// The global budget's limits (the same in every account; kept here
    /// so that a charge reads no parameter).
    global_limits: Limits,
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
        let acct = Arc::new(
            UserAccount {
                uid,
                budget: Budget::new(),
                limits: Limits::user(),
                global_limits: Limits::global(),
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
        self.take(Amount::Units(res, u64::from(n)))?;
        Ok(Charge {
            acct: (n != 0).then(|| self.clone()),
            res,
            n,
        })
    }

    /// Takes `a` from both budgets, or from neither. Nothing is always
    /// taken, even from a budget already past its limit (the exemption).
    fn take(&self, a: Amount) -> KResult {
        if a.is_zero() {
            return Ok(());
        }
        if !GLOBAL.take(a, &self.global_limits) {
            crate::stats::count(crate::stats::Counter::LimitRefusals);
            return Err(a.refusal());
        }
        if !self.budget.take(a, &self.limits) {
            if !may_exceed_user_budget() {
                GLOBAL.give(a);
                crate::stats::count(crate::stats::Counter::LimitRefusals);
                return Err(a.refusal());
            }
            // Exempt: charged anyway, so the refund balances.
            self.budget.force(a);
        }
        Ok(())
    }

    /// Gives `a` back to both budgets.
    fn give(&self, a: Amount) {
        self.budget.give(a);
        GLOBAL.give(a);
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
            acct.give(Amount::Units(self.res, u64::from(self.n)));
        }
    }
}

/// The charge of one message and its bytes to one account, refunded together when dropped. One
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
        acct.take(Amount::Msgs {
            count: 1,
            bytes: u64::from(bytes),
        })?;
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
            acct.give(Amount::Msgs {
                count: 1,
                bytes: u64::from(self.bytes),
            });
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
        let more = Amount::Msgs {
            count: 0,
            bytes: u64::from(n),
        };
        let total = self.bytes.checked_add(n).ok_or(more.refusal())?;
        acct.take(more)?;
        self.bytes = total;
        Ok(())
    }
}

impl Drop for MsgCharge {
    fn drop(&mut self) {
        self.refund();
    }
}

/// Writes the global budget use (`budget_*` lines of the statistics file).
pub(crate) fn write_budgets(f: &mut kernel::fmt::Formatter<'_>) -> kernel::fmt::Result {
    let msgs = GLOBAL.msgs.load(Relaxed);
    for (name, used) in [
        ("budget_ports", GLOBAL.ports.load(Relaxed)),
        ("budget_kmsgs", msgs >> MSG_BYTE_BITS),
        ("budget_bytes", msgs & MSG_BYTE_MASK),
        ("budget_requests", GLOBAL.requests.load(Relaxed)),
    ] {
        writeln!(f, "{} {}", name, used)?;
    }
    Ok(())
}
