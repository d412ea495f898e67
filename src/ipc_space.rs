// SPDX-License-Identifier: GPL-2.0

//! The death of a space (XNU `ipc_space_terminate`): its table is taken out
//! under the space lock, then every entry is released with no lock held,
//! in index order. Receive rights destroy their ports, send rights leave
//! their ports' counts (maybe firing no-senders), send-once rights are
//! destroyed unused, port sets are destroyed. The space's pools (idle
//! waiters, free message structures) are emptied last.

use crate::{ipc_right, outbox::Outbox, space::Space};

/// Terminates `space`; its consequences go into `out`.
pub(crate) fn terminate(space: &Space, out: &mut Outbox) {
    let Some(mut table) = space.inner.lock().terminate() else {
        return;
    };
    while let Some((name, entry)) = table.pop() {
        ipc_right::terminate_entry(name, entry, out);
    }
    space.waiters.drain();
    space.kmsgs.drain();
}
