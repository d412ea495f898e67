// SPDX-License-Identifier: GPL-2.0

//! The host: the host and host-priv kernel ports and the host special
//! ports (XNU `ipc_host.c`, `host.c`).

use kernel::{
    new_mutex,
    prelude::*,
    sync::{Arc, Mutex},
};

use crate::{
    mach::*,
    port::{KObject, Port},
    right::{CopiedRight, Outbox},
};

kernel::sync::global_lock! {
    // SAFETY: initialised in the module initialiser before first use.
    pub(crate) unsafe(uninit) static HOST: Mutex<Option<Arc<Host>>> = None;
}

/// The host.
#[pin_data]
pub(crate) struct Host {
    pub(crate) port: Arc<Port>,
    pub(crate) priv_port: Arc<Port>,
    /// `realhost.special[]`, indexed by id; `None` is `MACH_PORT_NULL`.
    #[pin]
    special: Mutex<KVec<Option<CopiedRight>>>,
}

impl Host {
    /// Creates the host and publishes it in [`HOST`].
    pub(crate) fn init() -> Result {
        let port = Port::new_kernel(KObject::Host)?;
        let priv_port = Port::new_kernel(KObject::HostPriv)?;
        let mut special = KVec::new();
        for _ in 0..=HOST_MAX_SPECIAL_PORT {
            special.push(None, GFP_KERNEL)?;
        }
        let mut set = |id: i32, p: &Arc<Port>| {
            special[id as usize] = p.make_send().map(CopiedRight::Right);
        };
        set(HOST_PORT, &port);
        set(HOST_PRIV_PORT, &priv_port);
        let host = Arc::pin_init(
            pin_init!(Host {
                port,
                priv_port,
                special <- new_mutex!(special, "Host::special"),
            }),
            GFP_KERNEL,
        );
        *HOST.lock() = Some(host?);
        Ok(())
    }

    /// The host, while the module is loaded.
    pub(crate) fn get() -> KResult<Arc<Host>> {
        HOST.lock().clone().ok_or(KERN_FAILURE)
    }

    /// Tears the host down at module exit: special ports released, the
    /// kernel ports destroyed.
    pub(crate) fn exit() {
        let Some(host) = HOST.lock().take() else {
            return;
        };
        let rights = core::mem::take(&mut *host.special.lock());
        for r in rights.into_iter().flatten() {
            r.release();
        }
        let mut out = Outbox::new();
        for p in [&host.port, &host.priv_port] {
            p.inner.lock().destroy(p, &mut out);
        }
        out.flush();
    }

    /// `host_get_special_port`: a copy of the send right in slot `id`.
    pub(crate) fn get_special(&self, id: i32) -> KResult<Option<CopiedRight>> {
        if id <= 0 || id > HOST_MAX_SPECIAL_PORT {
            return Err(KERN_INVALID_ARGUMENT);
        }
        let special = self.special.lock();
        Ok(match &special[id as usize] {
            None => None,
            Some(CopiedRight::Dead) => Some(CopiedRight::Dead),
            Some(CopiedRight::Right(r)) => {
                Some(r.copy_send().map_or(CopiedRight::Dead, CopiedRight::Right))
            }
        })
    }

    /// `host_set_special_port`: replaces slot `id`; returns the old right
    /// to release. Kernel-owned slots (id <= 7) cannot be set.
    pub(crate) fn set_special(
        &self,
        id: i32,
        right: Option<CopiedRight>,
    ) -> core::result::Result<Option<CopiedRight>, (Kr, Option<CopiedRight>)> {
        if id <= HOST_MAX_SPECIAL_KERNEL_PORT || id > HOST_MAX_SPECIAL_PORT {
            return Err((KERN_INVALID_ARGUMENT, right));
        }
        let mut special = self.special.lock();
        Ok(core::mem::replace(&mut special[id as usize], right))
    }
}

/// Whether the calling process may have the host-priv port.
pub(crate) fn caller_privileged() -> bool {
    // SAFETY: `capable` only reads the current task's credentials; we are
    // in process context (an open or ioctl of /dev/mach).
    unsafe { kernel::bindings::capable(kernel::bindings::CAP_SYS_ADMIN as i32) }
}
