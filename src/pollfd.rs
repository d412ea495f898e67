// SPDX-License-Identifier: GPL-2.0

//! Pollable ports and port sets (`MACHIPC_OP_PORT_FD`): a file descriptor
//! that `poll`/`epoll` report readable while a message is queued on a
//! port (or on a member of a set), and hung up once the port or set is
//! gone from its space -- the name destroyed, or the receive right moved
//! away. It is what `EVFILT_MACHPORT` gives a kqueue on macOS.
//!
//! The port (or set) holds a [`PollState`] that its queue keeps up to
//! date: ready when a message is queued, not ready when the queue is seen
//! empty, hung up when the receive right leaves its space. The descriptor
//! holds only the state, never the port: it grants readiness and nothing
//! else, and passing it to another process gives no right. A spurious
//! readiness is possible (a receiver took the message meanwhile); a
//! missed one is not.
//!
//! Locking: the state's flags are atomics, changed under the lock of the
//! port or set that holds it; waking pollers takes only the poll wait
//! queue's lock.

use kernel::{
    bindings,
    fs::File,
    prelude::*,
    sync::{
        atomic::{Atomic, Relaxed},
        poll::{PollCondVarBox, PollTable},
        Arc,
    },
};

use crate::{
    mach::*,
    stats::{self, Counted},
    task::Task,
};

const READY: u32 = 1;
const HUP: u32 = 2;

/// What a port's or set's descriptors report. See the module docs.
pub(crate) struct PollState {
    cv: PollCondVarBox,
    flags: Atomic<u32>,
    _count: Counted<{ stats::POLL_FDS }>,
}

impl PollState {
    fn new(ready: bool) -> Result<Arc<PollState>> {
        let cv = PollCondVarBox::new(c"PollState::cv", kernel::static_lock_class!())?;
        Ok(Arc::new(
            PollState {
                cv,
                flags: Atomic::new(if ready { READY } else { 0 }),
                _count: Counted::new(),
            },
            GFP_KERNEL_ACCOUNT,
        )?)
    }

    /// The queue became non-empty (`true`) or was seen empty (`false`).
    pub(crate) fn set_ready(&self, ready: bool) {
        let old = self.flags.load(Relaxed);
        if ready && old & READY == 0 {
            self.flags.store(old | READY, Relaxed);
            self.cv.notify_all();
        } else if !ready && old & READY != 0 {
            self.flags.store(old & !READY, Relaxed);
        }
    }

    /// The port or set is gone from its space.
    pub(crate) fn hang_up(&self) {
        self.flags.store(HUP, Relaxed);
        self.cv.notify_all();
    }

    fn is_hung_up(&self) -> bool {
        self.flags.load(Relaxed) & HUP != 0
    }

    fn events(&self) -> u32 {
        let f = self.flags.load(Relaxed);
        if f & HUP != 0 {
            bindings::POLLHUP
        } else if f & READY != 0 {
            bindings::POLLIN | bindings::POLLRDNORM
        } else {
            0
        }
    }
}

/// The state to install on a port or set that has `current` (a new one
/// unless it has a live one): `(state, replaced)`; the replaced one is
/// dropped by the caller after unlocking.
fn install(current: &mut Option<Arc<PollState>>, fresh: Arc<PollState>) -> Arc<PollState> {
    match current {
        Some(s) if !s.is_hung_up() => s.clone(),
        _ => {
            *current = Some(fresh.clone());
            fresh
        }
    }
}

/// `MACHIPC_OP_PORT_FD`: a new descriptor for the receive right or port
/// set `name` of `task`.
pub(crate) fn port_fd(task: &Task, name: u32) -> KResult<i32> {
    if !name_valid(name) {
        return Err(Kr::INVALID_NAME);
    }
    // Made before any lock is taken; unused if the object has one.
    let fresh = PollState::new(false).map_err(|_| Kr::RESOURCE_SHORTAGE)?;
    let state = {
        let mut sp = task.space.inner.lock();
        let e = sp.lookup(name)?;
        if let crate::space::Object::Set(set) = &e.object {
            let set = set.clone();
            let mut si = set.inner.lock();
            fresh.set_ready(si.is_ready());
            install(&mut si.poll, fresh)
        } else if e.ty & TYPE_RECEIVE != 0 {
            let port = e.port().cloned().ok_or(Kr::INVALID_RIGHT)?;
            let mut pi = port.inner.lock();
            fresh.set_ready(!pi.queue.is_empty());
            install(&mut pi.poll, fresh)
        } else {
            return Err(Kr::INVALID_RIGHT);
        }
    };
    let raw = Arc::into_raw(state);
    // SAFETY: `raw` is an `Arc` reference the new file owns from now on,
    // given back through `machipc_pollfd_release`.
    let fd = unsafe { crate::glue::machipc_pollfd_create(raw.cast_mut().cast()) };
    if fd < 0 {
        // SAFETY: the file was not made; the reference is still ours.
        drop(unsafe { Arc::from_raw(raw) });
        return Err(Kr::RESOURCE_SHORTAGE);
    }
    Ok(fd)
}

/// The `poll` file operation of a descriptor (called from `glue.c`).
///
/// # Safety
///
/// `private` is the file's `PollState` reference (from `port_fd`), `file`
/// the file, valid for the call, and `wait` a valid or null poll table.
#[no_mangle]
pub(crate) unsafe extern "C" fn machipc_pollfd_poll(
    private: *mut core::ffi::c_void,
    file: *mut bindings::file,
    wait: *mut bindings::poll_table,
) -> bindings::__poll_t {
    // SAFETY: `private` is a live `Arc<PollState>` owned by the file, which
    // outlives this call.
    let state = unsafe { &*private.cast::<PollState>() };
    // SAFETY: `file` is valid for the call; poll never uses `fdget_pos`.
    let file = unsafe { File::from_raw_file(file) };
    // SAFETY: `wait` is valid or null for the call.
    let table = unsafe { PollTable::from_raw(wait) };
    table.register_wait(file, &state.cv);
    state.events()
}

/// The `release` file operation: the file's reference goes.
///
/// # Safety
///
/// `private` is the file's `PollState` reference, given back once.
#[no_mangle]
pub(crate) unsafe extern "C" fn machipc_pollfd_release(private: *mut core::ffi::c_void) {
    // SAFETY: the reference `port_fd` handed to the file.
    drop(unsafe { Arc::from_raw(private.cast::<PollState>().cast_const()) });
}
