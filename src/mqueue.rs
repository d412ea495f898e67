// SPDX-License-Identifier: GPL-2.0

//! A port's message queue: FIFO of kernel messages.

use kernel::prelude::*;

use crate::kmsg::KMsg;

/// FIFO of messages: a vector consumed from `head`, compacted as it goes,
/// so push and pop are amortised O(1).
pub(crate) struct MsgQueue {
    slots: KVec<Option<KBox<KMsg>>>,
    head: usize,
}

impl MsgQueue {
    pub(crate) const fn new() -> MsgQueue {
        MsgQueue {
            slots: KVec::new(),
            head: 0,
        }
    }

    pub(crate) fn len(&self) -> u32 {
        (self.slots.len() - self.head) as u32
    }

    /// Makes room for one more message (may sleep; the queue's port lock
    /// is a mutex). On failure the caller still owns its message.
    pub(crate) fn reserve(&mut self) -> Result {
        if self.head > 0 && self.head * 2 >= self.slots.len() {
            self.compact();
        }
        self.slots.reserve(1, GFP_KERNEL_ACCOUNT)?;
        Ok(())
    }

    /// Appends a message; `reserve` must have succeeded first.
    pub(crate) fn push(&mut self, msg: KBox<KMsg>) -> core::result::Result<(), KBox<KMsg>> {
        self.slots
            .push_within_capacity(Some(msg))
            .map_err(|e| e.0.expect("pushed Some"))
    }

    /// The first message, if any.
    pub(crate) fn front(&self) -> Option<&KMsg> {
        self.slots.get(self.head).and_then(|m| m.as_deref())
    }

    pub(crate) fn pop(&mut self) -> Option<KBox<KMsg>> {
        let msg = self.slots.get_mut(self.head)?.take();
        self.head += 1;
        if self.head == self.slots.len() {
            self.slots.clear();
            self.head = 0;
        }
        msg
    }

    fn compact(&mut self) {
        let live = self.slots.len() - self.head;
        for i in 0..live {
            self.slots.swap(i, self.head + i);
        }
        self.slots.truncate(live);
        self.head = 0;
    }
}
