// SPDX-License-Identifier: GPL-2.0

//! Kernel messages: the type (XNU `ipc_kmsg.h`), the queue of a port, and
//! the messages the kernel itself sends.
//!
//! A [`KMsg`] keeps the bytes the sender gave (header and body, with room
//! for the largest trailer after them, so a receive copies out once) and,
//! separately, what it carries: the destination and reply rights, and per
//! descriptor the port rights and out-of-line memory. It is charged to its
//! sender (or, for a kernel message, to the owner of its destination).
//!
//! Ownership: a message is owned by exactly one holder at a time. Owned
//! and mutable it is a [`MsgBox`] (a pinned `UniqueArc`); queued on a port
//! or an [`Outbox`](crate::outbox::Outbox) it is a `ListArc` in an
//! intrusive list, so queueing never allocates. [`own`] turns the second
//! back into the first. Nothing else ever holds a reference.
//!
//! Small messages are recycled (XNU's preallocated kmsgs, `ikm_cache`): a
//! [`KMsgCache`] keeps a few free message structures whose bytes fit
//! inline. A space has one; a send takes its message from the sender's
//! space's cache and a receive gives the message back to the receiver's,
//! so the common RPC hop allocates nothing. A cached structure is not a
//! message: its charges are refunded and it leaves the `kmsgs` count when
//! it enters the cache, exactly as if it had been freed.
//!
//! Copying messages in from and out to user space is `kmsg_copyin.rs` /
//! `kmsg_copyout.rs`; this file has no knowledge of spaces.
//!
//! Lock order: `KMsgCache::free` (a spinlock) is a leaf, held only to push
//! or pop one item; nothing is allocated, freed or slept on under it.

use kernel::{
    list::{List, ListArc, ListLinks},
    new_spinlock,
    prelude::*,
    sync::{Arc, ArcBorrow, SpinLock, UniqueArc},
};

use crate::{
    limits::{gfp_user, MsgCharge, UVec, UserAccount},
    mach::*,
    process::{self, PidRef},
    right::{MsgPort, Right},
    stats::{self, Counted},
};

/// `mach_msg_header_t` is 24 bytes; its fields' offsets.
pub(crate) const HEADER_SIZE: usize = 24;
pub(crate) const OFF_BITS: usize = 0;
pub(crate) const OFF_SIZE: usize = 4;
pub(crate) const OFF_REMOTE: usize = 8;
pub(crate) const OFF_LOCAL: usize = 12;
pub(crate) const OFF_VOUCHER: usize = 16;
pub(crate) const OFF_ID: usize = 20;
/// `mach_msg_body_t` follows the header of a complex message.
pub(crate) const OFF_DESC_COUNT: usize = 24;
pub(crate) const DESC_START: usize = 28;
/// `NDR_record_t` size; MIG bodies start with one.
pub(crate) const NDR_SIZE: usize = 8;
/// `NDR_record` of this machine (little-endian, ASCII, IEEE float).
pub(crate) const NDR: [u8; 8] = [0, 0, 0, 0, 1, 0, 0, 0];

/// Descriptor types, and sizes in a 64-bit task.
pub(crate) const DESC_PORT: u8 = 0;
pub(crate) const DESC_OOL: u8 = 1;
pub(crate) const DESC_OOL_PORTS: u8 = 2;
pub(crate) const DESC_OOL_VOLATILE: u8 = 3;
pub(crate) const PORT_DESC_SIZE: usize = 12;
pub(crate) const OOL_DESC_SIZE: usize = 16;
/// Offsets within a descriptor.
pub(crate) const DESC_DEALLOC: usize = 8;
pub(crate) const DESC_COPY: usize = 9;
pub(crate) const DESC_DISPOSITION: usize = 10;
pub(crate) const DESC_TYPE: usize = 11;
pub(crate) const DESC_COUNT: usize = 12;

/// `mach_msg_max_trailer_t`: the largest trailer.
pub(crate) const MAX_TRAILER_SIZE: usize = 68;

/// Bytes of message (with trailer room) kept inside the `KMsg` itself;
/// larger messages get a buffer of their own.
const INLINE_CAPACITY: usize = 248;

/// A 32-bit field of a message buffer (unaligned, native endian): one
/// word-sized load.
pub(crate) fn get_u32(b: &[u8], off: usize) -> u32 {
    match b.get(off..).and_then(|t| t.first_chunk::<4>()) {
        Some(w) => u32::from_ne_bytes(*w),
        None => 0,
    }
}

/// Stores a 32-bit field (ignored if out of bounds): one word-sized store.
pub(crate) fn put_u32(b: &mut [u8], off: usize, v: u32) {
    if let Some(w) = b.get_mut(off..).and_then(|t| t.first_chunk_mut::<4>()) {
        *w = v.to_ne_bytes();
    }
}

/// A 64-bit field (unaligned, native endian; 0 if out of bounds).
pub(crate) fn get_u64(b: &[u8], off: usize) -> u64 {
    match b.get(off..).and_then(|t| t.first_chunk::<8>()) {
        Some(w) => u64::from_ne_bytes(*w),
        None => 0,
    }
}

/// Stores a 64-bit field (ignored if out of bounds).
pub(crate) fn put_u64(b: &mut [u8], off: usize, v: u64) {
    if let Some(w) = b.get_mut(off..).and_then(|t| t.first_chunk_mut::<8>()) {
        *w = v.to_ne_bytes();
    }
}

/// Copies `src` into the start of `dst` (a loop: `copy_from_slice`'s
/// length-mismatch panic path confuses objtool in the perf kernel).
pub(crate) fn copy_bytes(dst: &mut [u8], src: &[u8]) {
    for (d, s) in dst.iter_mut().zip(src.iter()) {
        *d = *s;
    }
}

/// The header fields, decoded (`mach_msg_header_t`).
#[derive(Clone, Copy, Default)]
pub(crate) struct Header {
    pub(crate) bits: u32,
    pub(crate) size: u32,
    pub(crate) remote: u32,
    pub(crate) local: u32,
    pub(crate) voucher: u32,
    pub(crate) id: i32,
}

/// One field of a header array (the offset is a constant within it).
fn field(h: &[u8; HEADER_SIZE], off: usize) -> u32 {
    get_u32(h, off)
}

impl Header {
    /// Decodes the header at the start of `b` (zeros if `b` is shorter).
    pub(crate) fn read(b: &[u8]) -> Header {
        let Some(h) = b.first_chunk::<HEADER_SIZE>() else {
            return Header {
                bits: get_u32(b, OFF_BITS),
                size: get_u32(b, OFF_SIZE),
                remote: get_u32(b, OFF_REMOTE),
                local: get_u32(b, OFF_LOCAL),
                voucher: get_u32(b, OFF_VOUCHER),
                id: get_u32(b, OFF_ID) as i32,
            };
        };
        Header {
            bits: field(h, OFF_BITS),
            size: field(h, OFF_SIZE),
            remote: field(h, OFF_REMOTE),
            local: field(h, OFF_LOCAL),
            voucher: field(h, OFF_VOUCHER),
            id: field(h, OFF_ID) as i32,
        }
    }

    /// Encodes the header into the start of `b` (nothing if `b` is
    /// shorter than a header).
    pub(crate) fn write(&self, b: &mut [u8]) {
        let Some(h) = b.first_chunk_mut::<HEADER_SIZE>() else {
            return;
        };
        put_u32(h, OFF_BITS, self.bits);
        put_u32(h, OFF_SIZE, self.size);
        put_u32(h, OFF_REMOTE, self.remote);
        put_u32(h, OFF_LOCAL, self.local);
        put_u32(h, OFF_VOUCHER, self.voucher);
        put_u32(h, OFF_ID, self.id as u32);
    }

    pub(crate) fn is_complex(&self) -> bool {
        self.bits & MSGH_BITS_COMPLEX != 0
    }
}

/// Out-of-line memory carried by a message: a kernel copy.
pub(crate) type OolData = UVec<u8>;

/// The rights of an out-of-line ports descriptor.
pub(crate) type PortVec = UVec<MsgPort>;

/// What one descriptor carries. `off` is the descriptor's offset in the
/// message bytes.
pub(crate) enum Desc {
    Port {
        off: u32,
        port: MsgPort,
        /// `MACH_MSG_TYPE_PORT_*` after copyin.
        ty: u8,
    },
    Ool {
        off: u32,
        data: OolData,
    },
    OolPorts {
        off: u32,
        ports: PortVec,
        ty: u8,
    },
}

/// Kernel memory one descriptor pins besides its bytes in the message (its
/// entry in the descriptor list), and one right of an out-of-line ports
/// descriptor (its entry in the array): charged to the byte budget.
pub(crate) const PINNED_PER_DESC: usize = core::mem::size_of::<Desc>();
pub(crate) const PINNED_PER_RIGHT: usize = core::mem::size_of::<MsgPort>();

/// What `descs` pin beyond the message's bytes (see
/// [`KMsgBody::charge_pinned`]).
pub(crate) fn pinned_by(descs: &[Desc]) -> usize {
    descs
        .iter()
        .map(|d| {
            PINNED_PER_DESC
                + match d {
                    Desc::Ool { data, .. } => data.len(),
                    Desc::OolPorts { ports, .. } => ports.len() * PINNED_PER_RIGHT,
                    Desc::Port { .. } => 0,
                }
        })
        .sum()
}

impl Desc {
    /// Takes one right out of the descriptor, if it still has any.
    fn take_right(&mut self) -> Option<Right> {
        match self {
            Desc::Port { port, .. } => port.take_right(),
            Desc::OolPorts { ports, .. } => {
                while let Some(mut p) = ports.pop() {
                    if let Some(r) = p.take_right() {
                        return Some(r);
                    }
                }
                None
            }
            Desc::Ool { .. } => None,
        }
    }
}

/// Who sent a message: taken by the kernel at send time; a kernel message
/// has no process (pid 0, root).
#[derive(Default)]
pub(crate) struct Sender {
    pub(crate) pid: Option<PidRef>,
    /// Changes when a pid is reused and at every exec (the task's pid
    /// version).
    pub(crate) pidversion: u32,
    pub(crate) ids: crate::process::Ids,
}

impl Sender {
    /// The security and audit tokens of the sender, mapped into the
    /// calling (receiving) process's user and pid namespaces.
    pub(crate) fn tokens(&self) -> ([u32; 2], [u32; 8]) {
        let Some(pid) = &self.pid else {
            return ([0, 1], [0; 8]);
        };
        let ids = &self.ids;
        let (uid, gid) = (
            process::uid_for_current(ids.uid),
            process::gid_for_current(ids.gid),
        );
        let (euid, egid) = (
            process::uid_for_current(ids.euid),
            process::gid_for_current(ids.egid),
        );
        // audit_token_t: auid, euid, egid, ruid, rgid, pid, asid, pidversion.
        (
            [euid, egid],
            [
                uid,
                euid,
                egid,
                uid,
                gid,
                pid.nr_for_current(),
                0,
                self.pidversion,
            ],
        )
    }
}

/// The message bytes: in the message itself, or (`heap` not empty) in a
/// buffer of their own.
struct Data {
    inline: [u8; INLINE_CAPACITY],
    heap: UVec<u8>,
}

impl Data {
    fn all(&self) -> &[u8] {
        if self.heap.is_empty() {
            &self.inline
        } else {
            &self.heap
        }
    }

    fn all_mut(&mut self) -> &mut [u8] {
        if self.heap.is_empty() {
            &mut self.inline
        } else {
            &mut self.heap
        }
    }
}

/// What an outbox does with a message it holds.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    Deliver,
    Destroy,
}

/// The contents of a message; see the module documentation.
pub(crate) struct KMsgBody {
    /// The header as it will be delivered (rewritten at copyout).
    pub(crate) hdr: Header,
    /// Bytes of header and body (`msgh_size`).
    len: u32,
    data: Data,
    pub(crate) dest: Option<Right>,
    /// `MACH_MSG_TYPE_PORT_*` of the destination and reply after copyin.
    pub(crate) dest_type: u32,
    pub(crate) reply: MsgPort,
    pub(crate) reply_type: u32,
    pub(crate) descs: UVec<Desc>,
    pub(crate) sender: Sender,
    /// Set at dequeue.
    pub(crate) seqno: u32,
    pub(crate) context: u64,
    /// Sent by the kernel (a notification or a kernel server reply): if it
    /// cannot be delivered it is destroyed without notifying anyone.
    pub(crate) from_kernel: bool,
    /// Carries a receive right: delivery checks circularity.
    pub(crate) carries_receive: bool,
    pub(crate) action: Action,
    /// The message's budget (one kmsg, its bytes: inline, and what its
    /// descriptors pin -- see [`KMsgBody::charge_pinned`]), refunded when
    /// it is freed or cached.
    charge: MsgCharge,
    /// In the `kmsgs` count while a message (`None` while cached).
    count: Option<Counted<{ stats::KMSGS }>>,
}

/// A message. See the module documentation.
#[pin_data]
pub(crate) struct KMsg {
    #[pin]
    links: ListLinks<0>,
    pub(crate) body: KMsgBody,
}

kernel::list::impl_list_arc_safe! {
    impl ListArcSafe<0> for KMsg { untracked; }
}
kernel::list::impl_list_item! {
    impl ListItem<0> for KMsg { using ListLinks { self.links }; }
}

/// An owned message.
pub(crate) type MsgBox = Pin<UniqueArc<KMsg>>;

/// A list of messages (a port's queue, an outbox's work).
pub(crate) type MsgList = List<KMsg>;

/// Takes a message out of a list back into sole ownership. Messages are
/// only ever referenced by their one holder (see the module docs), so this
/// always succeeds.
pub(crate) fn own(m: ListArc<KMsg>) -> Option<MsgBox> {
    Arc::into_unique_or_drop(ListArc::into_arc(m))
}

/// Puts an owned message into list form.
pub(crate) fn listed(m: MsgBox) -> ListArc<KMsg> {
    ListArc::from(m)
}

/// The body of an owned message, mutably.
pub(crate) fn body(m: &mut MsgBox) -> &mut KMsgBody {
    m.as_mut().project().body
}

/// The charge of a message of `room` bytes (with trailer room) to `acct`
/// (none: not budgeted).
fn charge(
    room: usize,
    acct: Option<Arc<UserAccount>>,
) -> core::result::Result<MsgCharge, MsgReturn> {
    match acct {
        Some(a) => MsgCharge::new(a, room as u32).map_err(|_| MsgReturn::SEND_NO_BUFFER),
        None => Ok(MsgCharge::none()),
    }
}

impl KMsg {
    /// A message of `len` bytes (header and body), with trailer room, for
    /// `sender`, charged to `acct` (none: not budgeted). The bytes are
    /// zeroed; the caller fills them in.
    pub(crate) fn alloc(
        len: usize,
        sender: Sender,
        acct: Option<Arc<UserAccount>>,
    ) -> core::result::Result<MsgBox, MsgReturn> {
        let room = len + MAX_TRAILER_SIZE;
        let charge = charge(room, acct)?;
        let mut heap = UVec::new();
        if room > INLINE_CAPACITY {
            heap.resize(room, 0, gfp_user())
                .map_err(|_| MsgReturn::SEND_NO_BUFFER)?;
        }
        let data = Data {
            inline: [0; INLINE_CAPACITY],
            heap,
        };
        let body = KMsgBody {
            hdr: Header::default(),
            len: len as u32,
            data,
            dest: None,
            dest_type: 0,
            reply: MsgPort::Null,
            reply_type: 0,
            descs: UVec::new(),
            sender,
            seqno: 0,
            context: 0,
            from_kernel: false,
            carries_receive: false,
            action: Action::Deliver,
            charge,
            count: Some(Counted::new()),
        };
        let m = UniqueArc::pin_init(
            pin_init!(KMsg {
                links <- ListLinks::new(),
                body,
            }),
            gfp_user(),
        )
        .map_err(|_| MsgReturn::SEND_NO_BUFFER)?;
        stats::count(stats::Counter::KmsgsTotal);
        Ok(m)
    }

    /// As [`KMsg::alloc`], taking the message structure from `cache` when
    /// the bytes fit inline and the cache has one (no allocation), charged
    /// to the account of the cache's owner.
    pub(crate) fn alloc_cached(
        cache: &KMsgCache,
        len: usize,
        sender: Sender,
    ) -> core::result::Result<MsgBox, MsgReturn> {
        let room = len + MAX_TRAILER_SIZE;
        if room > INLINE_CAPACITY {
            return Self::alloc(len, sender, Some(cache.account()));
        }
        let (mut m, switch) = match cache.take() {
            Take::Hit(m, switch) => (m, switch),
            Take::Miss(acct) => return Self::alloc(len, sender, Some(acct)),
        };
        // Charged as a fresh message: a failed charge frees nothing but
        // gives the structure back.
        let charged = match switch {
            None => body(&mut m).charge.recharge_kept(room as u32),
            Some(acct) => body(&mut m).charge.recharge(acct, room as u32),
        };
        if charged.is_err() {
            cache.give(m);
            return Err(MsgReturn::SEND_NO_BUFFER);
        }
        let b = body(&mut m);
        // The bytes are read over `..len` next. The trailer room keeps the
        // previous message's bytes: every receive writes the whole trailer
        // it copies out (`kmsg_copyout::fill_trailer`), and nothing else
        // reads past `len`.
        b.hdr = Header::default();
        b.len = len as u32;
        b.dest_type = 0;
        b.reply_type = 0;
        b.sender = sender;
        b.seqno = 0;
        b.context = 0;
        b.from_kernel = false;
        b.carries_receive = false;
        b.action = Action::Deliver;
        b.count = Some(Counted::new());
        // (Counted in `kmsgs_total` too, by the statistics file.)
        stats::count(stats::Counter::KmsgCacheHitsTotal);
        Ok(m)
    }

    /// The message's size (`msgh_size`, without the trailer).
    pub(crate) fn size(&self) -> u32 {
        self.body.len
    }

    /// The destination right's port, if the message has one.
    pub(crate) fn dest_port(&self) -> Option<&Arc<crate::port::Port>> {
        self.body.dest.as_ref().map(|d| d.port())
    }
}

impl KMsgBody {
    /// Header and body bytes (`len` of them).
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.data.all()[..self.len as usize]
    }

    /// Header and body bytes, mutably.
    pub(crate) fn bytes_mut(&mut self) -> &mut [u8] {
        let len = self.len as usize;
        &mut self.data.all_mut()[..len]
    }

    /// Header, body and `tsize` bytes of trailer room, mutably (what a
    /// receive copies out in one go).
    pub(crate) fn bytes_with_trailer(&mut self, tsize: usize) -> &mut [u8] {
        let end = self.len as usize + tsize.min(MAX_TRAILER_SIZE);
        &mut self.data.all_mut()[..end]
    }

    /// Shrinks the message to its header (a too-large message delivered
    /// as `msg_receive_error` does).
    pub(crate) fn truncate_to_header(&mut self) {
        self.len = HEADER_SIZE as u32;
    }

    /// The message's length (`msgh_size`).
    pub(crate) fn len(&self) -> u32 {
        self.len
    }

    /// Takes one right out of the message (destination, reply, then the
    /// descriptors'), for destruction a right at a time.
    pub(crate) fn take_right(&mut self) -> Option<Right> {
        if let Some(d) = self.dest.take() {
            return Some(d);
        }
        if let Some(r) = self.reply.take_right() {
            return Some(r);
        }
        while let Some(d) = self.descs.last_mut() {
            if let Some(r) = d.take_right() {
                return Some(r);
            }
            self.descs.pop();
        }
        None
    }

    /// Charges the message's sender (its byte budget) `n` more bytes: what
    /// its descriptors make the kernel keep (out-of-line memory, port
    /// arrays, the descriptor list), for as long as the message holds
    /// them. `MACH_SEND_NO_BUFFER` over budget. A message charged to no
    /// one is not budgeted.
    pub(crate) fn charge_pinned(&mut self, n: usize) -> core::result::Result<(), MsgReturn> {
        let n = u32::try_from(n).map_err(|_| MsgReturn::SEND_NO_BUFFER)?;
        self.charge.grow(n).map_err(|_| MsgReturn::SEND_NO_BUFFER)
    }

    /// Whether the message still holds any right.
    pub(crate) fn holds_rights(&self) -> bool {
        self.dest.is_some()
            || self.reply.has_right()
            || self.descs.iter().any(|d| match d {
                Desc::Port { port, .. } => port.has_right(),
                Desc::OolPorts { ports, .. } => ports.iter().any(|p| p.has_right()),
                Desc::Ool { .. } => false,
            })
    }
}

/// Most free message structures a cache keeps.
const CACHE_MAX: usize = 8;

struct CacheState {
    /// The free structures: `free[..len]` are `Some`, a stack. An array,
    /// not a list, so that keeping or taking one changes no reference
    /// count.
    free: [Option<MsgBox>; CACHE_MAX],
    len: usize,
    /// Cleared when the cache's owner dies: nothing more is kept.
    open: bool,
    /// The account of the cache's owner, which its sends are charged to:
    /// the task's account (`Task::account`) is this one.
    account: Arc<UserAccount>,
}

/// What [`KMsgCache::take`] found.
enum Take {
    /// A structure, and the owner's account if its charge keeps another
    /// one (`None`: the same).
    Hit(MsgBox, Option<Arc<UserAccount>>),
    /// None: a new message is charged to the account given.
    Miss(Arc<UserAccount>),
}

/// Free message structures for reuse; see the module documentation. Each
/// holds no charge (but a reference to the account it was last charged
/// to, so that charging it again to the same one takes no new reference),
/// no right, no sender and no buffer of its own; the
/// memory (about 512 bytes each) stays with the memory cgroup of whoever
/// allocated it.
#[pin_data]
pub(crate) struct KMsgCache {
    #[pin]
    free: SpinLock<CacheState>,
}

impl KMsgCache {
    /// An empty cache of an owner charged to `account`.
    pub(crate) fn new(account: Arc<UserAccount>) -> impl PinInit<KMsgCache> {
        pin_init!(KMsgCache {
            free <- new_spinlock!(CacheState {
                free: Default::default(),
                len: 0,
                open: true,
                account,
            }, "KMsgCache::free"),
        })
    }

    /// The account the owner's messages are charged to.
    pub(crate) fn account(&self) -> Arc<UserAccount> {
        self.free.lock().account.clone()
    }

    /// The owner's credentials changed: its messages are charged to
    /// `account` from now on.
    pub(crate) fn set_account(&self, account: Arc<UserAccount>) {
        let old = core::mem::replace(&mut self.free.lock().account, account);
        // Released with no lock held.
        drop(old);
    }

    /// A free message structure, if there is one.
    fn take(&self) -> Take {
        let mut c = self.free.lock();
        let Some(m) = c.len.checked_sub(1).and_then(|top| {
            c.len = top;
            c.free[top].take()
        }) else {
            return Take::Miss(c.account.clone());
        };
        let switch = (!m.body.charge.keeps(&c.account)).then(|| c.account.clone());
        Take::Hit(m, switch)
    }

    /// Done with `m`: kept for reuse if its bytes are inline and the cache
    /// has room, freed otherwise; either way its charges are refunded and
    /// it leaves the `kmsgs` count now. A message that still holds rights
    /// must be destroyed through an outbox instead (given here, it is only
    /// dropped).
    pub(crate) fn give(&self, mut m: MsgBox) {
        let b = body(&mut m);
        if !b.data.heap.is_empty() || b.holds_rights() {
            return;
        }
        // What the message held goes now, with no lock held.
        if b.descs.capacity() != 0 {
            // (Dropping an empty list would still call the allocator.)
            b.descs = UVec::new();
        }
        b.reply = MsgPort::Null;
        b.sender = Sender::default();
        b.charge.refund();
        b.count = None;
        let refused = {
            let mut c = self.free.lock();
            let top = c.len;
            if c.open && top < CACHE_MAX {
                c.free[top] = Some(m);
                c.len = top + 1;
                None
            } else {
                Some(m)
            }
        };
        // Freed after the lock is dropped.
        drop(refused);
    }

    /// Frees every cached structure and keeps no more (the owner is
    /// dying).
    pub(crate) fn drain(&self) {
        let free = {
            let mut c = self.free.lock();
            c.open = false;
            c.len = 0;
            core::mem::take(&mut c.free)
        };
        drop(free);
    }
}

/// A port's message queue: FIFO, with its length.
pub(crate) struct KMsgQueue {
    list: MsgList,
    len: u32,
}

impl KMsgQueue {
    pub(crate) const fn new() -> KMsgQueue {
        KMsgQueue {
            list: List::new(),
            len: 0,
        }
    }

    pub(crate) fn len(&self) -> u32 {
        self.len
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub(crate) fn push(&mut self, mut m: MsgBox) {
        // Should the port die with the message queued, its queue moves to
        // an outbox as a whole, to be destroyed.
        body(&mut m).action = Action::Destroy;
        self.list.push_back(listed(m));
        self.len += 1;
    }

    /// Message `i` (0: the first), for a peek.
    pub(crate) fn nth(&self, i: u32) -> Option<ArcBorrow<'_, KMsg>> {
        self.list.iter().nth(i as usize)
    }

    /// The size of the first message.
    pub(crate) fn front_size(&self) -> Option<u32> {
        self.list.iter().next().map(|m| m.size())
    }

    pub(crate) fn pop(&mut self) -> Option<MsgBox> {
        let m = self.list.pop_front()?;
        self.len -= 1;
        own(m)
    }

    /// Takes every message (the port died), leaving the queue empty.
    pub(crate) fn take_all(&mut self) -> (MsgList, u32) {
        let len = core::mem::replace(&mut self.len, 0);
        (core::mem::take(&mut self.list), len)
    }
}

/// A message from the kernel to the send-once or send right `to`: `len`
/// bytes (header and body), zeroed but for the header, which gets `id` and
/// the remote disposition of `to`. Charged to the owner of `to`'s port.
/// `None` if no memory: the caller then drops `to` without notifying.
pub(crate) fn kernel_message(
    to: Right,
    id: i32,
    len: usize,
) -> core::result::Result<MsgBox, Right> {
    let acct = to.port().owner().cloned();
    let mut m = match KMsg::alloc(len, Sender::default(), acct) {
        Ok(m) => m,
        Err(_) => return Err(to),
    };
    let b = body(&mut m);
    let ty = to.kind().msg_type();
    b.hdr = Header {
        bits: msgh_bits(ty, 0),
        size: len as u32,
        remote: MACH_PORT_NULL,
        local: MACH_PORT_NULL,
        voucher: MACH_PORT_NULL,
        id,
    };
    b.dest = Some(to);
    b.dest_type = ty;
    b.from_kernel = true;
    Ok(m)
}
