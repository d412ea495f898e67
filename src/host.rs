// SPDX-License-Identifier: GPL-2.0

//! The host: its kernel ports (host, host-priv, host-security), special
//! ports and exception ports (XNU `ipc_host.c`, `host.c`); the ports of
//! its processors (one per possible CPU), of the default processor set
//! (name and control) and of its clocks (`SYSTEM_CLOCK`,
//! `CALENDAR_CLOCK`, service and control); and machipc's system
//! bootstrap port (the one a task with no Mach ancestor starts with, as
//! every macOS process starts with launchd's).
//!
//! The host security port is what XNU makes it: held in special slot
//! `HOST_SECURITY_PORT`, which `host_get_special_port` refuses, so no
//! task can get a right to it.
//!
//! Locking: [`HOST`] and the host's own locks are leaves, taken with at
//! most `TASKS` / `Task::inner` held.

use kernel::{
    new_mutex,
    prelude::*,
    sync::{Arc, Mutex},
};

use crate::{
    exception::ExcActions, ipc_kobject::KObject, ipc_object, mach::*, outbox::Outbox, port::Port,
    right::MsgPort,
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
    pub(crate) security_port: Arc<Port>,
    /// Processor ports, by CPU number.
    pub(crate) processors: KVec<Arc<Port>>,
    /// The default processor set's name and control ports.
    pub(crate) pset_name_port: Arc<Port>,
    pub(crate) pset_port: Arc<Port>,
    /// Clock service and control ports, by clock id.
    pub(crate) clocks: [Arc<Port>; CLOCK_COUNT],
    pub(crate) clock_ctrls: [Arc<Port>; CLOCK_COUNT],
    /// `realhost.exc_actions[]`.
    #[pin]
    pub(crate) exceptions: Mutex<ExcActions>,
    /// `realhost.special[]`, indexed by id.
    #[pin]
    special: Mutex<KVec<MsgPort>>,
    /// The bootstrap port of tasks with no Mach ancestor.
    #[pin]
    bootstrap: Mutex<MsgPort>,
}

/// `SYSTEM_CLOCK` and `CALENDAR_CLOCK`.
pub(crate) const CLOCK_COUNT: usize = 2;

fn send_right(p: &Arc<Port>) -> MsgPort {
    p.make_send().map_or(MsgPort::Dead, MsgPort::Right)
}

impl Host {
    /// Creates the host and publishes it in [`HOST`].
    pub(crate) fn init() -> Result {
        let port = Port::new_kernel(KObject::Host)?;
        let priv_port = Port::new_kernel(KObject::HostPriv)?;
        let security_port = Port::new_kernel(KObject::HostSecurity)?;
        let (possible, _) = crate::process::cpu_counts();
        let mut processors = KVec::with_capacity(possible as usize, GFP_KERNEL)?;
        for cpu in 0..possible {
            processors.push(Port::new_kernel(KObject::Processor(cpu))?, GFP_KERNEL)?;
        }
        let clocks = [
            Port::new_kernel(KObject::Clock(0))?,
            Port::new_kernel(KObject::Clock(1))?,
        ];
        let clock_ctrls = [
            Port::new_kernel(KObject::ClockCtrl(0))?,
            Port::new_kernel(KObject::ClockCtrl(1))?,
        ];
        let pset_name_port = Port::new_kernel(KObject::PsetName)?;
        let pset_port = Port::new_kernel(KObject::Pset)?;
        let exceptions = ExcActions::new()?;
        let mut special = KVec::with_capacity(HOST_MAX_SPECIAL_PORT as usize + 1, GFP_KERNEL)?;
        for _ in 0..=HOST_MAX_SPECIAL_PORT {
            special.push(MsgPort::Null, GFP_KERNEL)?;
        }
        special[HOST_SECURITY_PORT as usize] = send_right(&security_port);
        special[HOST_PORT as usize] = send_right(&port);
        special[HOST_PRIV_PORT as usize] = send_right(&priv_port);
        let host = Arc::pin_init(
            pin_init!(Host {
                port,
                priv_port,
                security_port,
                processors,
                pset_name_port,
                pset_port,
                clocks,
                clock_ctrls,
                exceptions <- new_mutex!(exceptions, "Host::exceptions"),
                special <- new_mutex!(special, "Host::special"),
                bootstrap <- new_mutex!(MsgPort::Null, "Host::bootstrap"),
            }),
            GFP_KERNEL,
        );
        match host {
            Ok(h) => {
                *HOST.lock() = Some(h);
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// The host, while the module is loaded.
    pub(crate) fn get() -> KResult<Arc<Host>> {
        HOST.lock().clone().ok_or(Kr::FAILURE)
    }

    /// Tears the host down at module exit (or after a failed init): special
    /// ports released, the kernel ports destroyed.
    pub(crate) fn exit(out: &mut Outbox) {
        let Some(host) = HOST.lock().take() else {
            return;
        };
        let rights = core::mem::take(&mut *host.special.lock());
        for r in rights {
            ipc_object::release_msgport(r, out);
        }
        let b = core::mem::replace(&mut *host.bootstrap.lock(), MsgPort::Null);
        ipc_object::release_msgport(b, out);
        host.exceptions.lock().release(out);
        let fixed = [
            host.port.clone(),
            host.priv_port.clone(),
            host.security_port.clone(),
            host.pset_name_port.clone(),
            host.pset_port.clone(),
        ];
        let lists: [&[Arc<Port>]; 4] = [&fixed, &host.processors, &host.clocks, &host.clock_ctrls];
        for p in lists.into_iter().flatten() {
            let remains = p.inner.lock().destroy(p, out);
            drop(remains);
        }
    }

    /// `host_get_special_port`: a copy of the send right in slot `id`.
    /// Ids above 10.11's 25 are accepted as later XNU accepts them.
    pub(crate) fn get_special(&self, id: i32) -> KResult<MsgPort> {
        if id <= 0 || id > HOST_MAX_SPECIAL_PORT {
            return Err(Kr::INVALID_ARGUMENT);
        }
        Ok(self.special.lock()[id as usize].copy())
    }

    /// `host_set_special_port`: replaces slot `id`; returns the old right
    /// to release. Kernel-owned slots (id <= 7) cannot be set.
    pub(crate) fn set_special(&self, id: i32, right: MsgPort) -> GiveBack<MsgPort, MsgPort> {
        if id <= HOST_MAX_SPECIAL_KERNEL_PORT || id > HOST_MAX_SPECIAL_PORT {
            return Err(Refused::new(Kr::INVALID_ARGUMENT, right));
        }
        Ok(core::mem::replace(
            &mut self.special.lock()[id as usize],
            right,
        ))
    }

    /// A new send right to kernel port `p` of the host.
    pub(crate) fn right(p: &Arc<Port>) -> MsgPort {
        send_right(p)
    }

    /// A copy of the system bootstrap port.
    pub(crate) fn system_bootstrap(&self) -> MsgPort {
        self.bootstrap.lock().copy()
    }

    /// Replaces the system bootstrap port (privileged callers only; the
    /// caller checked); the old one is returned to release.
    pub(crate) fn set_system_bootstrap(&self, p: MsgPort) -> MsgPort {
        core::mem::replace(&mut *self.bootstrap.lock(), p)
    }
}
