// SPDX-License-Identifier: GPL-2.0

//! IPC spaces: a task's table of port names.
//!
//! Names are XNU's `(index << 8) | generation`: the generation of a slot
//! changes every time it is freed, so a stale name never finds the entry
//! that reused its slot. Free slots form a doubly linked list, so a name
//! chosen by the caller (`mach_port_allocate_name`) takes its slot in O(1).
//! A reverse map (port id -> name) gives a port the same name every time
//! it enters the space with a send or receive right.
//!
//! Locking: `Space::inner` is the outermost lock of the IPC code: taken
//! before any port lock, never while another space's lock is held, never
//! while user memory is accessed.

use kernel::{
    new_mutex,
    prelude::*,
    rbtree::{RBTree, RBTreeNodeReservation},
    sync::{Arc, Mutex},
};

use crate::{mach::*, port::next_id, port::Port, pset::PortSet, right::Outbox};

/// A preallocated node of the reverse map.
pub(crate) type ReverseSlot = RBTreeNodeReservation<u64, u32>;

/// What an entry names.
#[derive(Clone)]
pub(crate) enum Object {
    None,
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
            object: Object::None,
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
    table: KVec<Entry>,
    /// Names of send and receive rights, by port id.
    reverse: RBTree<u64, u32>,
    max_entries: u32,
}

/// An IPC space.
#[pin_data]
pub(crate) struct Space {
    pub(crate) id: u64,
    #[pin]
    pub(crate) inner: Mutex<SpaceInner>,
}

impl Space {
    pub(crate) fn new(max_entries: u32) -> Result<Arc<Space>> {
        let mut table = KVec::new();
        table.push(Entry::free_slot(0), GFP_KERNEL_ACCOUNT)?;
        let sid = next_id();
        Arc::pin_init(
            pin_init!(Space {
                id: sid,
                inner <- new_mutex!(SpaceInner {
                    id: sid,
                    active: true,
                    table,
                    reverse: RBTree::new(),
                    max_entries: max_entries.clamp(2, 1 << 24),
                }, "Space::inner"),
            }),
            GFP_KERNEL_ACCOUNT,
        )
    }

    /// `ipc_space_terminate`: the space dies and every right it holds is
    /// released (receive rights destroy their ports, send-once rights are
    /// destroyed unused, sets are destroyed).
    pub(crate) fn terminate(&self) {
        let table = {
            let mut inner = self.inner.lock();
            if !inner.active {
                return;
            }
            inner.active = false;
            inner.reverse = RBTree::new();
            core::mem::take(&mut inner.table)
        };
        let mut out = Outbox::new();
        for (index, mut entry) in table.into_iter().enumerate() {
            if entry.ty == 0 {
                continue;
            }
            let name = name_make(index as u32, entry.gen);
            crate::ipc_right::terminate_entry(name, &mut entry, &mut out);
        }
        out.flush();
    }
}

impl SpaceInner {
    fn check_active(&self) -> KResult {
        if self.active {
            Ok(())
        } else {
            Err(KERN_INVALID_TASK)
        }
    }

    /// Looks up an in-use entry (`ipc_right_lookup_write`).
    pub(crate) fn lookup(&mut self, name: u32) -> KResult<&mut Entry> {
        self.check_active()?;
        let index = name_index(name) as usize;
        match self.table.get_mut(index) {
            Some(e) if index != 0 && e.ty != 0 && e.gen == name_gen(name) => Ok(e),
            _ => Err(KERN_INVALID_NAME),
        }
    }

    /// An entry just allocated by `alloc` / `alloc_name` with type 0, about
    /// to be filled in.
    pub(crate) fn lookup_free(&mut self, name: u32) -> KResult<&mut Entry> {
        let index = name_index(name) as usize;
        match self.table.get_mut(index) {
            Some(e) if index != 0 && e.gen == name_gen(name) => Ok(e),
            _ => Err(KERN_INVALID_NAME),
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

    /// Grows the table to at least `len` slots; new slots go on the free
    /// list. `KERN_NO_SPACE` past the entry limit.
    fn grow(&mut self, len: usize) -> KResult {
        if len > self.max_entries as usize {
            return Err(KERN_NO_SPACE);
        }
        let old = self.table.len();
        if len <= old {
            return Ok(());
        }
        // Grow geometrically, within the limit.
        let target = len.max(old * 2).min(self.max_entries as usize);
        self.table
            .reserve(target - old, GFP_KERNEL_ACCOUNT)
            .map_err(|_| KERN_RESOURCE_SHORTAGE)?;
        for _ in old..target {
            if self
                .table
                .push_within_capacity(Entry::free_slot(GEN_FIRST))
                .is_err()
            {
                return Err(KERN_RESOURCE_SHORTAGE);
            }
        }
        // Highest first, so that names are handed out in index order.
        for index in (old..target).rev() {
            self.link_free(index as u32);
        }
        Ok(())
    }

    /// `ipc_entry_alloc`: a fresh name. The entry is returned in use with
    /// type `ty`; the caller fills it in.
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
        Ok(name_make(index, e.gen))
    }

    /// `ipc_entry_alloc_name`: takes the given name. `KERN_NAME_EXISTS` if
    /// its slot is in use (under this or another generation).
    pub(crate) fn alloc_name(&mut self, name: u32, ty: u32) -> KResult {
        self.check_active()?;
        let index = name_index(name);
        if index == 0 {
            return Err(KERN_INVALID_VALUE);
        }
        self.grow(index as usize + 1)?;
        if self.table[index as usize].ty != 0 {
            return Err(KERN_NAME_EXISTS);
        }
        self.unlink_free(index);
        let e = &mut self.table[index as usize];
        e.gen = name_gen(name);
        e.ty = ty;
        Ok(())
    }

    /// `ipc_entry_dealloc`: frees the name; its slot's generation moves on.
    pub(crate) fn free(&mut self, name: u32) {
        let index = name_index(name);
        {
            let e = &mut self.table[index as usize];
            e.object = Object::None;
            e.ty = 0;
            e.urefs = 0;
            e.request = 0;
            e.gen = e.gen.wrapping_add(GEN_STEP);
        }
        self.link_free(index);
    }

    /// The name under which this space holds a send or receive right for
    /// the port (`ipc_right_reverse`).
    pub(crate) fn reverse_lookup(&self, port: &Port) -> Option<u32> {
        self.reverse.get(&port.id).copied()
    }

    /// Allocates what [`reverse_insert`](Self::reverse_insert) needs, so
    /// that the insertion itself cannot fail halfway through an update.
    pub(crate) fn reverse_reserve() -> KResult<ReverseSlot> {
        RBTreeNodeReservation::new(GFP_KERNEL_ACCOUNT).map_err(|_| KERN_RESOURCE_SHORTAGE)
    }

    pub(crate) fn reverse_insert(&mut self, slot: ReverseSlot, port: &Port, name: u32) {
        self.reverse.insert(slot.into_node(port.id, name));
    }

    pub(crate) fn reverse_remove(&mut self, port: &Port) {
        self.reverse.remove(&port.id);
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
