// SPDX-License-Identifier: GPL-2.0

//! A task's special ports (`itk_sself`, `itk_host`, `itk_bootstrap`, ...)
//! and registered ports, and the history that lets a child inherit them as
//! they were when it was created (XNU `ipc_task_init` copies them at fork;
//! a module sees no fork, so the child reconstructs them when it first
//! opens `/dev/mach`).
//!
//! The history keeps the last [`HISTORY_MAX`] replaced values with the
//! time they stopped being current. It holds the ports, not send rights
//! (so keeping history never delays a no-senders notification): a child
//! created at time `t` starts from the ancestor's current ports, undoes
//! every change made after `t`, newest first, and gets new send rights to
//! the ports it ends up with (`MACH_PORT_DEAD` for one that died since). A
//! child that first opens `/dev/mach` after more than `HISTORY_MAX`
//! changes of its ancestor since its creation gets the state after the
//! oldest change still known (documented in docs/design.md).

use kernel::{prelude::*, sync::Arc};

use crate::{host::Host, ipc_object, mach::*, outbox::Outbox, port::Port, process, right::MsgPort};

/// Most changes a task remembers.
pub(crate) const HISTORY_MAX: usize = 64;

/// `TASK_PORT_REGISTER_MAX`.
pub(crate) const REGISTER_MAX: usize = 3;

/// The slots: the task special ports, then the registered ports.
const IDS: [i32; 6] = [
    TASK_KERNEL_PORT,
    TASK_HOST_PORT,
    TASK_BOOTSTRAP_PORT,
    TASK_SEATBELT_PORT,
    TASK_ACCESS_PORT,
    TASK_DEBUG_CONTROL_PORT,
];
pub(crate) const SLOTS: usize = IDS.len() + REGISTER_MAX;
/// History id of registered port `i`.
const fn registered_id(i: usize) -> i32 {
    100 + i as i32
}

fn slot_of(which: i32) -> Option<usize> {
    if (100..100 + REGISTER_MAX as i32).contains(&which) {
        return Some(IDS.len() + (which - 100) as usize);
    }
    IDS.iter().position(|&x| x == which)
}

/// The special and registered ports of a task.
pub(crate) struct SpecialPorts {
    slots: [MsgPort; SLOTS],
}

impl SpecialPorts {
    pub(crate) const fn new() -> SpecialPorts {
        SpecialPorts {
            slots: [const { MsgPort::Null }; SLOTS],
        }
    }

    /// Special ports `task_get_special_port` hands out from the slots.
    pub(crate) fn gettable(which: i32) -> bool {
        IDS.contains(&which)
    }

    /// Special ports `task_set_special_port` sets.
    pub(crate) fn settable(which: i32) -> bool {
        IDS.contains(&which)
    }

    /// The ports of a new task: its own task port; from the ancestor (as
    /// of `start`), the host, bootstrap, seatbelt and access ports and the
    /// registered ports (never the debug control port); with no ancestor,
    /// the host port and the system bootstrap port. The host-priv port goes
    /// only to privileged tasks (the plain host port to others).
    pub(crate) fn initial(
        task_port: &Arc<Port>,
        host: &Host,
        inherited: Option<[MsgPort; SLOTS]>,
    ) -> SpecialPorts {
        let privileged = process::privileged();
        let mut s = SpecialPorts::new();
        s.slots[0] = task_port.make_send().map_or(MsgPort::Dead, MsgPort::Right);
        match inherited {
            Some(then) => {
                for (i, r) in then.into_iter().enumerate() {
                    let inherited = i >= IDS.len()
                        || (IDS[i] != TASK_KERNEL_PORT && IDS[i] != TASK_DEBUG_CONTROL_PORT);
                    if inherited {
                        s.slots[i] = r;
                    } else {
                        drop_copy(r);
                    }
                }
            }
            None => {
                s.slots[2] = host.system_bootstrap();
            }
        }
        let host_slot = 1;
        let wrong = match &s.slots[host_slot] {
            MsgPort::Right(r) => !privileged && Arc::ptr_eq(r.port(), &host.priv_port),
            _ => true,
        };
        if wrong {
            // Not for an unprivileged child (or none inherited): the host
            // port its privilege gives.
            let p = if privileged {
                &host.priv_port
            } else {
                &host.port
            };
            let old = core::mem::replace(
                &mut s.slots[host_slot],
                p.make_send().map_or(MsgPort::Dead, MsgPort::Right),
            );
            drop_copy(old);
        }
        s
    }

    /// A copy of special port `which`.
    pub(crate) fn copy(&self, which: i32) -> MsgPort {
        slot_of(which).map_or(MsgPort::Null, |i| self.slots[i].copy())
    }

    /// Whether `which` holds a live right.
    pub(crate) fn is_valid(&self, which: i32) -> bool {
        slot_of(which).is_some_and(|i| match &self.slots[i] {
            MsgPort::Right(r) => r.port().is_active(),
            _ => false,
        })
    }

    /// Replaces special port `which`; the old value (`None` if there is no
    /// such slot).
    pub(crate) fn replace(&mut self, which: i32, p: MsgPort) -> Option<MsgPort> {
        let i = slot_of(which)?;
        Some(core::mem::replace(&mut self.slots[i], p))
    }

    /// Takes special port `which` out.
    pub(crate) fn take(&mut self, which: i32) -> Option<MsgPort> {
        self.replace(which, MsgPort::Null)
    }

    /// A set-id exec: the kernel port slot names the new task port.
    pub(crate) fn reset_kernel_port(&mut self, new: &Arc<Port>) -> Option<MsgPort> {
        self.replace(
            TASK_KERNEL_PORT,
            new.make_send().map_or(MsgPort::Dead, MsgPort::Right),
        )
    }

    /// The registered ports (`mach_ports_lookup`): copies.
    pub(crate) fn registered(&self) -> [MsgPort; REGISTER_MAX] {
        core::array::from_fn(|i| self.slots[IDS.len() + i].copy())
    }

    /// Replaces registered port `i`; the old value.
    pub(crate) fn register(&mut self, i: usize, p: MsgPort) -> MsgPort {
        core::mem::replace(&mut self.slots[IDS.len() + i], p)
    }

    /// Releases every port (the task died).
    pub(crate) fn release(self, out: &mut Outbox) {
        for p in self.slots {
            ipc_object::release_msgport(p, out);
        }
    }
}

/// A history id for registered port `i`, for [`SpecialHistory::record`].
pub(crate) fn registered_history_id(i: usize) -> i32 {
    registered_id(i)
}

/// Drops a send right copied by `initial` and not kept.
fn drop_copy(p: MsgPort) {
    if let MsgPort::Right(r) = p {
        // A send right copied here is not the last one of its port (the
        // original is still held), so no no-senders notification can come
        // of it.
        let port = r.into_port();
        let mut pi = port.inner.lock();
        pi.srights -= 1;
        crate::stats::add(crate::stats::Counter::SendRights, -1);
    }
}

/// A replaced value: the port, not a right to it.
enum Old {
    Null,
    Dead,
    Port(Arc<Port>),
}

impl Old {
    fn of(p: &MsgPort) -> Old {
        match p {
            MsgPort::Null => Old::Null,
            MsgPort::Dead => Old::Dead,
            MsgPort::Right(r) => Old::Port(r.port().clone()),
        }
    }

    /// A new send right to the port (`MACH_PORT_DEAD` if it died).
    fn copy(&self) -> MsgPort {
        match self {
            Old::Null => MsgPort::Null,
            Old::Dead => MsgPort::Dead,
            Old::Port(p) => p.copy_send().map_or(MsgPort::Dead, MsgPort::Right),
        }
    }
}

/// One replaced value.
struct Change {
    /// When it stopped being current.
    time: u64,
    slot: usize,
    old: Old,
}

/// The recent changes of a task's special ports.
pub(crate) struct SpecialHistory {
    changes: KVec<Change>,
    /// Index of the oldest change (the vector is a ring once full).
    start: usize,
}

impl SpecialHistory {
    pub(crate) const fn new() -> SpecialHistory {
        SpecialHistory {
            changes: KVec::new(),
            start: 0,
        }
    }

    /// Remembers that `which` held `old` until now (without memory, the
    /// change is not remembered). `old` is handed back, to be released.
    pub(crate) fn record(&mut self, which: i32, old: MsgPort) -> MsgPort {
        let Some(slot) = slot_of(which) else {
            return old;
        };
        let change = Change {
            time: process::now_ns(),
            slot,
            old: Old::of(&old),
        };
        if self.changes.len() < HISTORY_MAX {
            if self.changes.reserve(1, GFP_KERNEL_ACCOUNT).is_ok() {
                // Cannot fail: reserved above.
                let _ = self.changes.push_within_capacity(change);
            }
            return old;
        }
        self.changes[self.start] = change;
        self.start = (self.start + 1) % HISTORY_MAX;
        old
    }

    /// New send rights to the ports as they were at time `t`: `current`,
    /// with every change made after `t` undone, newest first.
    pub(crate) fn rights_at(&self, current: &SpecialPorts, t: u64) -> [MsgPort; SLOTS] {
        let mut older: [Option<&Old>; SLOTS] = [None; SLOTS];
        let n = self.changes.len();
        for k in (0..n).rev() {
            let c = &self.changes[(self.start + k) % n];
            if c.time > t {
                older[c.slot] = Some(&c.old);
            }
        }
        core::array::from_fn(|i| match older[i] {
            Some(o) => o.copy(),
            None => current.slots[i].copy(),
        })
    }
}
