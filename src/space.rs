// SPDX-License-Identifier: GPL-2.0

//! IPC spaces: a task's table of port names (XNU `ipc_space.c`,
//! `ipc_entry.c`, `ipc_hash.c`).
//!
//! Names are XNU's `(index << 8) | generation`: a slot's generation moves on
//! every time it is freed, so a stale name never finds the entry that
//! reused its slot. Free slots form a doubly linked list, so a name chosen
//! by the caller (`mach_port_allocate_name`) takes its slot in O(1); a
//! fresh name takes the most recently freed slot, as XNU's does.
//!
//! The reverse map (port -> name), which gives a port one name in a space
//! for its send and receive rights, is an open-addressing hash table over
//! the entry indices (as XNU's `ipc_hash` uses the table itself): it is
//! sized with the table, so inserting never allocates and never fails.
//!
//! Both grow geometrically, with the table, up to `max_port_names`
//! (`KERN_NO_SPACE` beyond); growth is the only allocation, charged to the
//! caller's memory cgroup.
//!
//! Locking: `Space::inner` is the outermost lock of the IPC code: taken
//! before any port lock, never while another space's lock is held, never
//! while user memory is accessed. The space's waiter pool and message
//! cache have spinlocks of their own, leaves taken with nothing else held.

use kernel::{
    new_mutex,
    prelude::*,
    sync::{Arc, Mutex},
};

use crate::{
    kmsg::KMsgCache,
    limits::{gfp_user, UVec, UserAccount},
    mach::*,
    port::{next_id, Port},
    pset::PortSet,
    stats::{self, Counted},
    waitq::WaiterPool,
};

/// What an entry names.
pub(crate) enum Object {
    /// A dead name (or a free slot).
    Dead,
    Port(Arc<Port>),
    Set(Arc<PortSet>),
}

/// One slot of the table.
pub(crate) struct Entry {
    pub(crate) object: Object,
    /// `MACH_PORT_TYPE_*` bits of the rights the name denotes; 0 when free.
    pub(crate) ty: u32,
    pub(crate) urefs: u32,
    /// Index of this name's slot in its port's request table, 0 if none.
    pub(crate) request: u32,
    gen: u8,
    prev_free: u32,
    next_free: u32,
}

impl Entry {
    fn free_slot(gen: u8) -> Entry {
        Entry {
            object: Object::Dead,
            ty: 0,
            urefs: 0,
            request: 0,
            gen,
            prev_free: 0,
            next_free: 0,
        }
    }

    /// The port, for entries with port rights.
    pub(crate) fn port(&self) -> Option<&Arc<Port>> {
        match &self.object {
            Object::Port(p) => Some(p),
            _ => None,
        }
    }

    /// Whether the entry belongs in the reverse map.
    fn reversible(&self) -> bool {
        self.ty & TYPE_SEND_RECEIVE != 0
    }
}

/// The generation a fresh slot starts with; `+4` on every reuse, so names
/// look like XNU's (`0x103`, `0x203`, ... then `0x107`).
const GEN_FIRST: u8 = 3;
const GEN_STEP: u8 = 4;

/// The space's state, under `Space::inner`.
pub(crate) struct SpaceInner {
    /// The space's id (a copy of `Space::id`).
    pub(crate) id: u64,
    pub(crate) active: bool,
    /// Slot 0 is the free list head and never names anything.
    table: UVec<Entry>,
    /// Reverse map: entry indices (0: empty), by hash of the port id.
    hash: UVec<u32>,
    max_entries: u32,
}

/// An IPC space.
#[pin_data]
pub(crate) struct Space {
    pub(crate) id: u64,
    #[pin]
    pub(crate) inner: Mutex<SpaceInner>,
    /// Idle waiters for this space's blocking calls.
    #[pin]
    pub(crate) waiters: WaiterPool,
    /// Free message structures for this space's sends (filled by its
    /// receives).
    #[pin]
    pub(crate) kmsgs: KMsgCache,
    _count: Counted<{ stats::SPACES }>,
}

fn hash_of(id: u64, mask: usize) -> usize {
    (id.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32) as usize & mask
}

impl Space {
    /// A new space whose owner's messages are charged to `account`.
    pub(crate) fn new(max_entries: u32, account: Arc<UserAccount>) -> Result<Arc<Space>> {
        let mut table = UVec::new();
        table.push(Entry::free_slot(0), GFP_KERNEL_ACCOUNT)?;
        let mut hash = UVec::new();
        hash.resize(2, 0, GFP_KERNEL_ACCOUNT)?;
        let sid = next_id();
        Arc::pin_init(
            try_pin_init!(Space {
                id: sid,
                inner <- new_mutex!(SpaceInner {
                    id: sid,
                    active: true,
                    table,
                    hash,
                    max_entries: max_entries.clamp(2, 1 << 24),
                }, "Space::inner"),
                waiters <- WaiterPool::new(),
                kmsgs <- KMsgCache::new(account),
                _count: Counted::new(),
            }),
            GFP_KERNEL_ACCOUNT,
        )
    }
}

/// Every in-use entry of a dying space, taken out of it.
pub(crate) struct TakenTable {
    table: UVec<Entry>,
    next: usize,
}

impl TakenTable {
    /// The next entry (in index order, as XNU's `ipc_space_terminate`) and
    /// its name, for release.
    pub(crate) fn pop(&mut self) -> Option<(u32, Entry)> {
        while self.next < self.table.len() {
            let index = self.next;
            self.next += 1;
            let e = core::mem::replace(&mut self.table[index], Entry::free_slot(0));
            if index != 0 && e.ty != 0 {
                stats::add(stats::Counter::Entries, -1);
                return Some((name_make(index as u32, e.gen), e));
            }
        }
        None
    }
}

impl SpaceInner {
    fn check_active(&self) -> KResult {
        if self.active {
            Ok(())
        } else {
            Err(Kr::INVALID_TASK)
        }
    }

    /// `ipc_space_terminate`: the space dies; its entries are handed to
    /// the caller to release with no lock held.
    pub(crate) fn terminate(&mut self) -> Option<TakenTable> {
        if !self.active {
            return None;
        }
        self.active = false;
        self.hash = UVec::new();
        Some(TakenTable {
            table: core::mem::take(&mut self.table),
            next: 0,
        })
    }

    /// Looks up an in-use entry (`ipc_right_lookup_write`).
    pub(crate) fn lookup(&mut self, name: u32) -> KResult<&mut Entry> {
        self.check_active()?;
        let index = name_index(name) as usize;
        match self.table.get_mut(index) {
            Some(e) if index != 0 && e.ty != 0 && e.gen == name_gen(name) => Ok(e),
            _ => Err(Kr::INVALID_NAME),
        }
    }

    /// Looks up an entry without changing anything.
    pub(crate) fn get(&self, name: u32) -> KResult<&Entry> {
        self.check_active()?;
        let index = name_index(name) as usize;
        match self.table.get(index) {
            Some(e) if index != 0 && e.ty != 0 && e.gen == name_gen(name) => Ok(e),
            _ => Err(Kr::INVALID_NAME),
        }
    }

    fn unlink_free(&mut self, index: u32) {
        let (prev, next) = {
            let e = &self.table[index as usize];
            (e.prev_free, e.next_free)
        };
        self.table[prev as usize].next_free = next;
        self.table[next as usize].prev_free = prev;
    }

    fn link_free(&mut self, index: u32) {
        // Push at the head (slot 0 is the list head and tail sentinel).
        let first = self.table[0].next_free;
        {
            let e = &mut self.table[index as usize];
            e.prev_free = 0;
            e.next_free = first;
        }
        self.table[first as usize].prev_free = index;
        self.table[0].next_free = index;
    }

    /// `task_set_port_space` (`ipc_entry_grow_table`): the table grows to
    /// at least `entries` slots; `KERN_NO_SPACE` past the entry limit.
    /// XNU's size is unsigned: -1 (`ITS_SIZE_NONE`) is one growth step
    /// (`KERN_NO_SPACE` at the limit), any other negative size is huge.
    pub(crate) fn set_port_space(&mut self, entries: i32) -> KResult {
        self.check_active().map_err(|_| Kr::INVALID_TASK)?;
        let max = self.max_entries as usize;
        let len = match entries {
            -1 => {
                let len = self.table.len();
                if len >= max {
                    return Err(Kr::NO_SPACE);
                }
                (len * 2).clamp(1, max)
            }
            n => n as u32 as usize,
        };
        self.grow(len)
    }

    /// Grows the table to at least `len` slots; new slots go on the free
    /// list. `KERN_NO_SPACE` past the entry limit.
    fn grow(&mut self, len: usize) -> KResult {
        if len > self.max_entries as usize {
            return Err(Kr::NO_SPACE);
        }
        let old = self.table.len();
        if len <= old {
            return Ok(());
        }
        let target = len.max(old * 2).min(self.max_entries as usize);
        let hash_len = (2 * target).next_power_of_two();
        let mut hash = UVec::new();
        hash.resize(hash_len, 0, gfp_user())
            .map_err(|_| Kr::RESOURCE_SHORTAGE)?;
        self.table
            .reserve(target - old, gfp_user())
            .map_err(|_| Kr::RESOURCE_SHORTAGE)?;
        for _ in old..target {
            // Cannot fail: reserved above.
            let _ = self.table.push_within_capacity(Entry::free_slot(GEN_FIRST));
        }
        // Highest first, so that names are handed out in index order.
        for index in (old..target).rev() {
            self.link_free(index as u32);
        }
        self.hash = hash;
        for index in 1..old {
            let e = &self.table[index];
            if e.ty != 0 && e.reversible() {
                if let Some(id) = e.port().map(|p| p.id) {
                    self.hash_insert(index as u32, id);
                }
            }
        }
        Ok(())
    }

    /// `ipc_entry_alloc`: a fresh name, in use with type `ty`; the caller
    /// fills the entry in.
    pub(crate) fn alloc(&mut self, ty: u32) -> KResult<u32> {
        self.check_active()?;
        if self.table[0].next_free == 0 {
            let len = self.table.len();
            self.grow(len + 1)?;
        }
        let index = self.table[0].next_free;
        self.unlink_free(index);
        let e = &mut self.table[index as usize];
        e.ty = ty;
        stats::add(stats::Counter::Entries, 1);
        Ok(name_make(index, e.gen))
    }

    /// `ipc_entry_alloc_name`: takes the given name. Index 0 is reserved and
    /// a slot in use under another generation cannot be renamed: both
    /// `KERN_FAILURE`, as XNU. `Ok(false)` if the name is already in use
    /// (the caller decides: `KERN_NAME_EXISTS`, or the same port).
    pub(crate) fn alloc_name(&mut self, name: u32, ty: u32) -> KResult<bool> {
        self.check_active()?;
        let index = name_index(name);
        if index == 0 {
            return Err(Kr::FAILURE);
        }
        self.grow(index as usize + 1)?;
        let e = &self.table[index as usize];
        if e.ty != 0 {
            return if e.gen == name_gen(name) {
                Ok(false)
            } else {
                Err(Kr::FAILURE)
            };
        }
        self.unlink_free(index);
        let e = &mut self.table[index as usize];
        e.gen = name_gen(name);
        e.ty = ty;
        stats::add(stats::Counter::Entries, 1);
        Ok(true)
    }

    /// An entry just allocated by `alloc` / `alloc_name` with type 0, to be
    /// filled in.
    pub(crate) fn lookup_new(&mut self, name: u32) -> KResult<&mut Entry> {
        let index = name_index(name) as usize;
        match self.table.get_mut(index) {
            Some(e) if index != 0 && e.gen == name_gen(name) => Ok(e),
            _ => Err(Kr::INVALID_NAME),
        }
    }

    /// `ipc_entry_dealloc`: frees the name; its slot's generation moves on.
    /// The caller has taken it out of the reverse map.
    pub(crate) fn free(&mut self, name: u32) {
        let index = name_index(name);
        {
            let Some(e) = self.table.get_mut(index as usize) else {
                return;
            };
            e.object = Object::Dead;
            e.ty = 0;
            e.urefs = 0;
            e.request = 0;
            e.gen = e.gen.wrapping_add(GEN_STEP);
        }
        stats::add(stats::Counter::Entries, -1);
        self.link_free(index);
    }

    fn hash_mask(&self) -> usize {
        self.hash.len().wrapping_sub(1)
    }

    fn hash_insert(&mut self, index: u32, id: u64) {
        let mask = self.hash_mask();
        let mut h = hash_of(id, mask);
        // The hash has twice as many slots as the table has entries, so
        // there is always a free slot.
        for _ in 0..self.hash.len() {
            if self.hash[h] == 0 {
                self.hash[h] = index;
                return;
            }
            h = (h + 1) & mask;
        }
    }

    /// The name under which this space holds a send or receive right for
    /// `port` (`ipc_right_reverse`).
    pub(crate) fn reverse_lookup(&self, port: &Port) -> Option<u32> {
        let mask = self.hash_mask();
        let mut h = hash_of(port.id, mask);
        for _ in 0..self.hash.len() {
            let index = self.hash[h];
            if index == 0 {
                return None;
            }
            let e = &self.table[index as usize];
            if e.port().is_some_and(|p| p.id == port.id) {
                return Some(name_make(index, e.gen));
            }
            h = (h + 1) & mask;
        }
        None
    }

    /// Puts `name` (which now holds a send or receive right for `port`)
    /// into the reverse map.
    pub(crate) fn reverse_insert(&mut self, name: u32, port: &Port) {
        self.hash_insert(name_index(name), port.id);
    }

    /// Takes `name` (for `port`) out of the reverse map (linear probing,
    /// with backward-shift deletion so that no probe chain breaks).
    pub(crate) fn reverse_remove(&mut self, name: u32, port: &Port) {
        let index = name_index(name);
        let mask = self.hash_mask();
        let len = self.hash.len();
        let mut h = hash_of(port.id, mask);
        let mut found = None;
        for _ in 0..len {
            match self.hash[h] {
                0 => break,
                i if i == index => {
                    found = Some(h);
                    break;
                }
                _ => h = (h + 1) & mask,
            }
        }
        let Some(mut hole) = found else { return };
        self.hash[hole] = 0;
        let mut j = hole;
        for _ in 0..len {
            j = (j + 1) & mask;
            let i = self.hash[j];
            if i == 0 {
                break;
            }
            let Some(id) = self.table[i as usize].port().map(|p| p.id) else {
                continue;
            };
            let home = hash_of(id, mask);
            // Move `i` into the hole if its home is not in (hole, j].
            let in_range = if hole <= j {
                home > hole && home <= j
            } else {
                home > hole || home <= j
            };
            if !in_range {
                self.hash[hole] = i;
                self.hash[j] = 0;
                hole = j;
            }
        }
    }

    /// Number of slots (`iis_table_size`).
    pub(crate) fn table_size(&self) -> u32 {
        self.table.len() as u32
    }

    /// Every in-use entry with its name.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (u32, &Entry)> {
        self.table
            .iter()
            .enumerate()
            .filter(|(i, e)| *i != 0 && e.ty != 0)
            .map(|(i, e)| (name_make(i as u32, e.gen), e))
    }
}
